/* mh-input.h — reading what the user gives, safely: the file is opened
 * first and looked at (it must be a regular file: not a folder, not a
 * device such as /dev/zero, not a FIFO), its size checked against what the
 * reader accepts before anything is read, and then only the bytes asked for
 * are read.  Paths that a data file names are resolved (symlinks too) and
 * must stay inside its folder; text must be UTF-8.
 *
 * Every message names the file (and the field, row or byte offset).
 *
 *   g_autoptr(MhInputFile) f = mh_input_open (path, "weights", MAX_BYTES, error);
 *   if (f == NULL || !mh_input_read_at (f, 0, head, 8, "the header length", error))
 *     return NULL;
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MhInputFile MhInputFile;

/* Opens `path` (following symlinks) and checks that it is a regular file
 * of at most max_bytes (0: any size).  `what` says what the file is for
 * messages ("weights", "project", "labels.csv"). */
MhInputFile *mh_input_open (const char *path, const char *what, guint64 max_bytes,
                            GError **error);
void         mh_input_close (MhInputFile *f);
guint64      mh_input_size (const MhInputFile *f);
/* Exactly len bytes at `offset`; a file shorter than that (or one that
 * shrank) is an error naming `field` and the offsets. */
gboolean     mh_input_read_at (MhInputFile *f, guint64 offset, void *buf, gsize len,
                               const char *field, GError **error);

/* The whole file, at most max_bytes, NUL-terminated (the NUL is not
 * counted in *len); g_try_malloc'd, so a file too large for memory is an
 * error, not an abort.  Free with g_free(). */
char        *mh_input_read_all (const char *path, const char *what, guint64 max_bytes,
                                gsize *len, GError **error);

/* `relative`, a path a data file gives (a labels.csv row), resolved inside
 * `folder`: absolute paths, and paths that leave the folder — through ".."
 * or through a symlink — are refused.  The file must exist.  Returns the
 * resolved path (free with g_free()); errors say "WHERE: FIELD: …". */
char        *mh_input_path_inside (const char *folder, const char *relative,
                                   const char *where, const char *field, GError **error);

/* Checks that text[0..len) (len -1: NUL-terminated) is UTF-8 without NUL
 * bytes; the error names WHERE, FIELD and the byte offset of the first bad
 * byte. */
gboolean     mh_input_check_utf8 (const char *text, gssize len, const char *where,
                                  const char *field, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhInputFile, mh_input_close)

G_END_DECLS
