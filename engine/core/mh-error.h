/* mh-error.h — the engine's GError domain.  Messages name the file and the
 * field (JSON path, tensor name, byte offset) so one line tells what is wrong:
 * "where: path: what" or "where: path must …".  An error made with the calls
 * below also keeps the JSON path it is about and its text without the
 * "where: " (an extended GError domain), so that a program places it without
 * reading the message (mh-problem.h). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MH_ERROR (mh_error_quark ())
GQuark mh_error_quark (void);

typedef enum {
  MH_ERROR_IO,        /* missing, unreadable or truncated file */
  MH_ERROR_FORMAT,    /* a file that is not what it claims to be */
  MH_ERROR_INVALID,   /* a value out of range, an unknown key or name */
  MH_ERROR_SHAPE,     /* shapes that do not fit */
  MH_ERROR_NUMERIC,   /* a loss or value that became NaN or infinite */
  MH_ERROR_REFUSED,   /* a save that would replace an input, or a file of another kind */
} MhErrorCode;

/* Sets "where: path: what" (no "where: " when where is NULL, no "path: "
 * when path is NULL or empty), about path. */
void        mh_set_error_at    (GError **error, MhErrorCode code, const char *where, const char *path,
                                const char *format, ...) G_GNUC_PRINTF (5, 6);
/* Sets "where: text", about path (which the text names as it likes:
 * "training.batch must be at least 1"). */
void        mh_set_error_in    (GError **error, MhErrorCode code, const char *where, const char *path,
                                const char *format, ...) G_GNUC_PRINTF (5, 6);
/* Turns an error's message into "where: path: message", about path (an
 * error of another domain becomes an MH_ERROR of `code`). */
void        mh_error_prefix_at (GError **error, MhErrorCode code, const char *where, const char *path);
/* The JSON path an error is about ("heads[2].loss"), or NULL if none. */
const char *mh_error_get_path  (const GError *error);
/* The message without its "where: " (the file or source); the message if not known. */
const char *mh_error_get_text  (const GError *error);

G_END_DECLS
