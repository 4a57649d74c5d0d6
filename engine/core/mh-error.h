/* mh-error.h — the engine's GError domain.  Messages name the file and the
 * field (JSON path, tensor name, byte offset) so one line tells what is wrong. */
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

G_END_DECLS
