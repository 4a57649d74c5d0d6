/* mh-json.h — every JSON the program reads goes through here: the text is
 * checked to be UTF-8 and to nest at most MH_JSON_MAX_DEPTH levels before
 * json-glib parses it (its parser recurses: 100,000 levels overflow the
 * stack), and json-glib's "<data>:LINE:COL" becomes "FILE:LINE:COL".
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Arrays and objects inside each other; a project needs 6. */
#define MH_JSON_MAX_DEPTH 64
/* The largest JSON file read whole (a project, a run's record). */
#define MH_JSON_MAX_FILE  ((guint64) 64 << 20)

/* A parser holding the document (its root may be NULL for empty text).
 * `where` names the source in messages. */
JsonParser *mh_json_parse (const char *data, gssize len, const char *where, GError **error);
/* The same for a file, read with mh_input_read_all() (regular files of at
 * most max_bytes; 0: MH_JSON_MAX_FILE); `what` names it ("project"). */
JsonParser *mh_json_load_file (const char *path, const char *what, guint64 max_bytes,
                               GError **error);
/* Only the nesting check: FALSE with "WHERE:LINE:COL: …" past max_depth. */
gboolean    mh_json_check_depth (const char *data, gsize len, guint max_depth,
                                 const char *where, GError **error);

/* Writing: a member of the object being built.  A NULL string or a time
 * <= 0 (unknown) adds no member. */
void        mh_json_add_string (JsonBuilder *b, const char *name, const char *value);
void        mh_json_add_int    (JsonBuilder *b, const char *name, gint64 value);
/* Seconds since 1970 (UTC) as ISO 8601 text (transfer full), NULL for <= 0. */
char       *mh_json_iso_time   (gint64 unix_time);
void        mh_json_add_time   (JsonBuilder *b, const char *name, gint64 unix_time);

G_END_DECLS
