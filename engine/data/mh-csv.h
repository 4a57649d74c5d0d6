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
 * mark are skipped.  Errors name `where` and the line.  Free the array with
 * g_array_unref(). */
GArray *mh_csv_parse (const char *text, gsize len, const char *where, GError **error);

G_END_DECLS
