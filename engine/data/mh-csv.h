/* mh-csv.h — reading comma-separated values (RFC 4180, leniently). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char **cells;   /* NULL-terminated */
  int    line;    /* the 1-based line the row starts on */
} MhCsvRow;

/* The rows of `text`: cells separated by ',', rows by LF or CRLF; a cell
 * in double quotes may hold ',', line breaks and "" (a quote).  Unquoted
 * cells lose their surrounding spaces; blank lines and a UTF-8 byte-order
 * mark are skipped.  Every cell must be UTF-8 and no byte NUL.  Errors
 * name `where`, the line and the column.  Free the array with
 * g_array_unref(). */
GArray *mh_csv_parse (const char *text, gsize len, const char *where, GError **error);

/* The largest CSV file read (mh_input_read_all()). */
#define MH_CSV_MAX_FILE ((guint64) 256 << 20)

G_END_DECLS
