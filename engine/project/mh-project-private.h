/* mh-project-private.h — what the project reader (mh-project.c), checker
 * (mh-project-check.c) and writer (mh-project-write.c) share.
 */
#pragma once

#include <glib.h>
#include "mh-error.h"
#include "mh-layer.h"
#include "mh-project.h"

G_BEGIN_DECLS

typedef enum {
  RULE_MIN_0,         /* integers */
  RULE_MIN_1,
  RULE_FRACTION,      /* [0, 1) */
  RULE_POSITIVE,      /* finite, > 0 */
  RULE_NON_NEGATIVE,  /* finite, ≥ 0 */
} Rule;

/* The type-specific keys of MhLayerSpec: numbers (int or double, kept by
 * `rule`; an int also at most `max`, its documented range, mh-limits.h), true or false (is_bool), or, when `choices` is set, a string that
 * must be one of them (for "mode": of the layer class's `modes`). */
typedef struct {
  const char        *key;
  gboolean           is_int;
  gsize              offset;
  Rule               rule;
  const char *const *choices;
  gint64             max;
  gboolean           is_bool;
} LayerField;

/* The field of MhLayerSpec a layer key ("units", "rate", …) sets; NULL if none. */
const LayerField *_mh_project_find_field (const char *key);
double            _mh_project_field_get (const MhLayerSpec *spec, const LayerField *f);
/* A string field's place in `spec`. */
char            **_mh_project_field_string (const MhLayerSpec *spec, const LayerField *f);
/* The keys a layer class takes, as a vector; free with g_strfreev(). */
char            **_mh_project_class_keys (const MhLayerClass *klass);

/* The shortest text that reads back as `v` ("0.001", "1e-08", "nan"). */
void              _mh_project_format_double (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v);

/* Sets "where: path: message" (or "where: message" when path is NULL or
 * empty), about path, and returns FALSE. */
gboolean          _mh_project_fail (GError **error, MhErrorCode code, const char *where,
                                    const char *path, const char *format, ...) G_GNUC_PRINTF (5, 6);
/* Sets "where: message" about path (the message names it: "x.y must be
 * …") and returns FALSE. */
gboolean          _mh_project_fail_in (GError **error, MhErrorCode code, const char *where,
                                       const char *path, const char *format, ...) G_GNUC_PRINTF (5, 6);

/* Reads member `key` of the JSON object `o` at JSON path `path` ("" at the
 * top) into `out` (a char *, int, guint32 seed, double, gboolean or
 * JsonObject *), for the dataset section (mh-project-data.c).  An absent key
 * leaves *out as it is (NULL for an object); a wrong type or a seed out of
 * range is an error naming the path. */
typedef enum {
  MH_READ_STRING, MH_READ_INT, MH_READ_SEED, MH_READ_DOUBLE, MH_READ_BOOL, MH_READ_OBJECT,
} MhReadAs;

gboolean          _mh_project_read (const char *where, const char *path, JsonObject *o,
                                    const char *key, MhReadAs as, gpointer out, GError **error);

/* The dataset section (mh-project-data.c): defaults, reading the object
 * at "dataset", checking, writing it as one object. */
void              _mh_project_data_defaults (MhDataSpec *d);
gboolean          _mh_project_read_dataset (const char *where, JsonObject *o, MhDataSpec *d,
                                            GError **error);
gboolean          _mh_project_check_dataset (const char *where, const MhDataSpec *d, GError **error);
void              _mh_project_build_dataset (JsonBuilder *b, const MhDataSpec *d);

G_END_DECLS
