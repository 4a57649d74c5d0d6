/* mh-csv.c — reading comma-separated values. */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-csv.h"
#include "mh-error.h"

static void
row_clear (MhCsvRow *row)
{
  g_clear_pointer (&row->cells, g_strfreev);
}

typedef struct {
  const char *p, *end;
  int         line;
  const char *where;
} Reader;

static gboolean
at_row_end (const Reader *r)
{
  return r->p == r->end || *r->p == '\n' || (*r->p == '\r' && (r->p + 1 == r->end || r->p[1] == '\n'));
}

/* One cell, the reader left on the ',' or row end after it. */
static char *
read_cell (Reader *r, int column, GError **error)
{
  GString *cell = g_string_new (NULL);
  const char *q = r->p;
  int start = r->line;

  while (q < r->end && (*q == ' ' || *q == '\t'))
    q++;
  if (q < r->end && *q == '"')   /* a quoted cell, maybe after spaces */
    {
      for (r->p = q + 1;; r->p++)
        {
          if (r->p == r->end)
            {
              g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                           _("%s:%d: column %d: the quoted cell is not closed"), r->where, start, column);
              g_string_free (cell, TRUE);
              return NULL;
            }
          if (*r->p == '"' && r->p + 1 < r->end && r->p[1] == '"')
            r->p++;
          else if (*r->p == '"')
            break;
          else if (*r->p == '\n')
            r->line++;
          g_string_append_c (cell, *r->p);
        }
      for (r->p++; r->p < r->end && (*r->p == ' ' || *r->p == '\t'); r->p++)
        ;
      if (!at_row_end (r) && *r->p != ',')
        {
          g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                       _("%s:%d: column %d: text after the closing quote"), r->where, r->line, column);
          g_string_free (cell, TRUE);
          return NULL;
        }
      return g_string_free (cell, FALSE);
    }
  for (; !at_row_end (r) && *r->p != ','; r->p++)
    g_string_append_c (cell, *r->p);
  return g_strstrip (g_string_free (cell, FALSE));
}

/* Text enters as UTF-8 (a label with a 0xFF byte would go on into JSON)
 * and without NUL bytes (they would cut the cell short). */
static gboolean
check_cell (const char *cell, const char *where, int line, int column, GError **error)
{
  const char *bad;

  if (g_utf8_validate (cell, -1, &bad))
    return TRUE;
  g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s:%d: column %d: the text is not UTF-8 "
               "(byte %d of the cell is 0x%02x); save the file as UTF-8"), where, line, column,
               (int) (bad - cell) + 1, (guint8) *bad);
  return FALSE;
}

static void
skip_row_end (Reader *r)
{
  if (r->p < r->end && *r->p == '\r')
    r->p++;
  if (r->p < r->end && *r->p == '\n')
    {
      r->p++;
      r->line++;
    }
}

GArray *
mh_csv_parse (const char *text, gsize len, const char *where, GError **error)
{
  Reader r = { text, text + len, 1, where };
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (MhCsvRow));

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    r.p += 3;
  if (memchr (text, '\0', len) != NULL)
    {
      const char *nul = memchr (text, '\0', len);
      int line = 1;
      for (const char *c = text; c < nul; c++)
        line += *c == '\n';
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s:%d: a NUL byte: not a text file"), where, line);
      g_array_unref (rows);
      return NULL;
    }
  while (r.p < r.end)
    {
      GPtrArray *cells;
      MhCsvRow row = { NULL, r.line };

      if (at_row_end (&r))   /* a blank line */
        {
          skip_row_end (&r);
          continue;
        }
      cells = g_ptr_array_new_with_free_func (g_free);
      for (;;)
        {
          int line = r.line;
          char *cell = read_cell (&r, (int) cells->len + 1, error);
          if (cell != NULL && !check_cell (cell, r.where, line, (int) cells->len + 1, error))
            g_clear_pointer (&cell, g_free);
          if (cell == NULL)
            {
              g_ptr_array_unref (cells);
              g_array_unref (rows);
              return NULL;
            }
          g_ptr_array_add (cells, cell);
          if (r.p < r.end && *r.p == ',')
            r.p++;
          else
            break;
        }
      skip_row_end (&r);
      g_ptr_array_add (cells, NULL);
      row.cells = (char **) g_ptr_array_free (cells, FALSE);
      g_array_append_val (rows, row);
    }
  return rows;
}
