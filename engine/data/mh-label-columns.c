/* mh-label-columns.c — the label columns of a CSV (labels.csv of an image
 * folder, a sensor CSV): each column one field, its kind written in the
 * header or inferred from its cells (mh-label-columns.h).
 */
#include <float.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mh-csv.h"
#include "mh-error.h"
#include "mh-label-columns.h"

static const char *const kind_names[] = { "class", "labels", "numbers", "box", NULL };

typedef MhLabelColumn Column;

gboolean
mh_label_column_fail (GError **error, const Column *c, int line, const char *cell, const char *format, ...)
{
  g_autofree char *message = NULL;
  const char *header = g_array_index (c->rows, MhCsvRow, 0).cells[c->col];
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (cell != NULL)
    g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "%s:%d: column %d ('%s'): '%s' %s",
                 c->csv, line, c->col + 1, header, cell, message);
  else
    g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "%s:%d: column %d ('%s'): %s",
                 c->csv, line, c->col + 1, header, message);
  return FALSE;
}

/* The cell of data sample `row` (1-based: row 0 is the header), through
 * c->row_of when it is set. */
static const char *
cell_at (const Column *c, guint row)
{
  return g_array_index (c->rows, MhCsvRow, row).cells[c->col];
}

static int
line_at (const Column *c, guint row)
{
  return g_array_index (c->rows, MhCsvRow, row).line;
}

int
mh_label_parse_numbers (const char *cell, float *out, int max)
{
  g_auto(GStrv) tokens = g_strsplit_set (cell, " \t", -1);
  int n = 0;

  for (guint t = 0; tokens[t] != NULL; t++)
    {
      char *end;
      double v;

      if (*tokens[t] == '\0')
        continue;
      v = g_ascii_strtod (tokens[t], &end);
      /* finite as the float it becomes, not only as a double (1e300 is inf) */
      if (*end != '\0' || !isfinite (v) || fabs (v) > FLT_MAX)
        return -1;
      if (out != NULL && n < max)
        out[n] = (float) v;
      n++;
    }
  return n > 0 ? n : -1;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The sorted names a class or label column uses. */
static gboolean
collect_names (Column *c, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);   /* freed with it on an error
                                                                 * (a leak found by fuzzing) */

  for (guint r = 1; r < c->rows->len; r++)
    {
      const char *cell = cell_at (c, r);
      g_auto(GStrv) parts = c->kind == MH_LABEL_LABELS ? g_strsplit (cell, ";", -1)
                                                   : g_strdupv ((char *[]) { (char *) cell, NULL });
      for (guint k = 0; parts[k] != NULL; k++)
        {
          const char *name = g_strstrip (parts[k]);
          if (*name == '\0' && c->kind == MH_LABEL_CLASS)
            {
              g_ptr_array_unref (names);
              return mh_label_column_fail (error, c, line_at (c, r), NULL, _("the class is empty"));
            }
          if (*name != '\0' && !g_hash_table_contains (seen, name))
            {
              char *copy = g_strdup (name);
              g_hash_table_add (seen, copy);
              g_ptr_array_add (names, copy);
            }
        }
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  c->names = (char **) g_ptr_array_free (names, FALSE);
  c->dim = (int) g_strv_length (c->names);
  if (c->dim == 0)
    return mh_label_column_fail (error, c, line_at (c, 0), NULL, _("no row names a label"));
  return TRUE;
}

/* Every cell holds c->dim numbers (a box: 4 in [0, 1], x0 ≤ x1, y0 ≤ y1). */
static gboolean
check_numbers (Column *c, GError **error)
{
  for (guint r = 1; r < c->rows->len; r++)
    {
      float v[4];
      int n = mh_label_parse_numbers (cell_at (c, r), v, 4);

      if (n < 0)
        return mh_label_column_fail (error, c, line_at (c, r), cell_at (c, r), _("is not a list of numbers (finite, each within "
                                     "±3.4e38, what a 32-bit float holds)"));
      if (r == 1 && c->kind == MH_LABEL_NUMBERS)
        c->dim = n;
      if (n != c->dim)
        return mh_label_column_fail (error, c, line_at (c, r), cell_at (c, r), _("holds %d numbers, but %s %d"),
                        n, c->kind == MH_LABEL_BOX ? _("a box has") : _("the column's first row holds"),
                        c->dim);
      if (c->kind == MH_LABEL_BOX
          && !(v[0] >= 0 && v[1] >= 0 && v[2] <= 1 && v[3] <= 1 && v[0] <= v[2] && v[1] <= v[3]))
        return mh_label_column_fail (error, c, line_at (c, r), cell_at (c, r),
                        _("is not a box x0 y0 x1 y1 with 0 ≤ x0 ≤ x1 ≤ 1 and 0 ≤ y0 ≤ y1 ≤ 1"));
    }
  return TRUE;
}

/* Infers the kind: any ';' → labels; all numbers → numbers; none → class;
 * numbers and words mixed → an error. */
static gboolean
infer_kind (Column *c, GError **error)
{
  int number_row = 0, word_row = 0;

  for (guint r = 1; r < c->rows->len; r++)
    {
      if (strchr (cell_at (c, r), ';') != NULL)
        {
          c->kind = MH_LABEL_LABELS;
          return TRUE;
        }
      if (mh_label_parse_numbers (cell_at (c, r), NULL, 0) > 0)
        number_row = number_row ? number_row : (int) r;
      else
        word_row = word_row ? word_row : (int) r;
    }
  c->kind = number_row && !word_row ? MH_LABEL_NUMBERS : MH_LABEL_CLASS;
  if (number_row && word_row)
    return mh_label_column_fail (error, c, line_at (c, MAX (number_row, word_row)),
                    cell_at (c, MAX (number_row, word_row)),
                    _("does not fit the column's kind: line %d holds '%s', so it is numbers and "
                    "words mixed; write the header as '%s:class' if they are class names"),
                    line_at (c, MIN (number_row, word_row)), cell_at (c, MIN (number_row, word_row)),
                    g_array_index (c->rows, MhCsvRow, 0).cells[c->col]);
  return TRUE;
}

gboolean
mh_label_column_read (Column *c, GError **error)
{
  if (c->kind == MH_LABEL_INFER && !infer_kind (c, error))
    return FALSE;
  if (c->kind == MH_LABEL_BOX)
    c->dim = 4;
  if (c->kind == MH_LABEL_NUMBERS || c->kind == MH_LABEL_BOX)
    return check_numbers (c, error);
  return collect_names (c, error);
}

void
mh_label_column_to_field (const Column *c, MhField *f, int n, const char *name, const guint *row_of)
{
  MhFieldKind kind = c->kind == MH_LABEL_CLASS ? MH_FIELD_CLASS
                   : c->kind == MH_LABEL_LABELS ? MH_FIELD_LABELS : MH_FIELD_NUMBERS;

  mh_field_init (f, name, kind, c->dim, (const char *const *) c->names, n);
  f->box = c->kind == MH_LABEL_BOX;
  for (int i = 0; i < n; i++)
    {
      const char *cell = cell_at (c, row_of != NULL ? row_of[i] : (guint) i + 1);
      g_auto(GStrv) parts = NULL;

      if (kind == MH_FIELD_NUMBERS)
        {
          mh_label_parse_numbers (cell, f->values + (gsize) i * f->dim, f->dim);
          continue;
        }
      parts = kind == MH_FIELD_LABELS ? g_strsplit (cell, ";", -1)
                                      : g_strdupv ((char *[]) { (char *) cell, NULL });
      for (guint k = 0; parts[k] != NULL; k++)
        {
          const char *label = g_strstrip (parts[k]);
          char **hit = bsearch (&label, c->names, c->dim, sizeof (char *), compare_strings);

          if (hit == NULL)   /* an empty label */
            continue;
          if (kind == MH_FIELD_CLASS)
            f->classes[i] = (int) (hit - c->names);
          else
            f->values[(gsize) i * f->dim + (hit - c->names)] = 1;
        }
    }
}

gboolean
mh_label_column_header (Column *c, char **name, GError **error)
{
  const char *cell = cell_at (c, 0), *colon = strrchr (cell, ':');

  *name = colon != NULL ? g_strndup (cell, colon - cell) : g_strdup (cell);
  g_strstrip (*name);
  c->kind = MH_LABEL_INFER;
  if (colon != NULL)
    {
      g_autofree char *type = g_strstrip (g_strdup (colon + 1));
      for (int k = 0; kind_names[k] != NULL; k++)
        if (g_str_equal (type, kind_names[k]))
          c->kind = k;
      if (c->kind == MH_LABEL_INFER)
        return mh_label_column_fail (error, c, line_at (c, 0), NULL,
                        _("unknown column type '%s' (known: class, labels, numbers, box)"), type);
    }
  if (**name == '\0')
    return mh_label_column_fail (error, c, line_at (c, 0), NULL, _("the field has no name"));
  return TRUE;
}

