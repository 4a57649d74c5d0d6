/* mh-dataset-image-folder.c — a folder of images (anything gdk-pixbuf decodes: PNG,
 * JPEG, …) with labels.csv:
 *
 *   file,category,tags,box
 *   cat1.jpg,cat,indoor;small,0.1 0.2 0.5 0.9
 *
 * The header names the fields after `file`; a column's kind is inferred:
 * every cell numbers (separated by spaces, as many on every row) → numbers;
 * any cell with ';' → a label set (the names are all those used); else →
 * classes (the names sorted).  `name:class`, `name:labels`, `name:numbers`
 * or `name:box` (4 numbers x0 y0 x1 y1 in [0, 1]) in the header say it.
 *
 * Images are stretched to width × height (gdk-pixbuf's bilinear filter,
 * after the EXIF orientation), made grey (ITU-R 601 luma) for 1 channel,
 * and laid over black where they are transparent.  A row whose file is
 * missing, unreadable, not an image, too large, or outside the folder (an
 * absolute path, "..", or a symbolic link leading out) is left out; the rows
 * left out are summarised per reason, the first few named
 * (mh-row-report.h).  The CSV's mistakes — text that is not UTF-8
 * included — are errors naming labels.csv, the line and the column.
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mh-csv.h"
#include "mh-error.h"
#include "mh-image.h"
#include "mh-input.h"
#include "mh-limits.h"
#include "mh-row-report.h"
#include "mh-splits.h"

#define LABELS_CSV "labels.csv"

static const char *const kind_names[] = { "class", "labels", "numbers", "box", NULL };
enum { KIND_CLASS, KIND_LABELS, KIND_NUMBERS, KIND_BOX, KIND_INFER };

/* A column of labels.csv and the field it makes. */
typedef struct {
  const char *csv;      /* for messages: DIR/labels.csv */
  GArray     *rows;     /* MhCsvRow; rows[0] is the header */
  int         col;
  int         kind;     /* KIND_* */
  int         dim;
  char      **names;    /* sorted: classes or labels */
} Column;

static gboolean G_GNUC_PRINTF (5, 6)
fail_at (GError **error, const Column *c, int line, const char *cell, const char *format, ...)
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

/* The numbers of a cell, or -1 if it is not numbers (out: up to max). */
static int
parse_numbers (const char *cell, float *out, int max)
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
      if (*end != '\0' || !isfinite (v))
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
      g_auto(GStrv) parts = c->kind == KIND_LABELS ? g_strsplit (cell, ";", -1)
                                                   : g_strdupv ((char *[]) { (char *) cell, NULL });
      for (guint k = 0; parts[k] != NULL; k++)
        {
          const char *name = g_strstrip (parts[k]);
          if (*name == '\0' && c->kind == KIND_CLASS)
            {
              g_ptr_array_unref (names);
              return fail_at (error, c, line_at (c, r), NULL, "the class is empty");
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
    return fail_at (error, c, line_at (c, 0), NULL, "no row names a label");
  return TRUE;
}

/* Every cell holds c->dim numbers (a box: 4 in [0, 1], x0 ≤ x1, y0 ≤ y1). */
static gboolean
check_numbers (Column *c, GError **error)
{
  for (guint r = 1; r < c->rows->len; r++)
    {
      float v[4];
      int n = parse_numbers (cell_at (c, r), v, 4);

      if (n < 0)
        return fail_at (error, c, line_at (c, r), cell_at (c, r), "is not a list of numbers");
      if (r == 1 && c->kind == KIND_NUMBERS)
        c->dim = n;
      if (n != c->dim)
        return fail_at (error, c, line_at (c, r), cell_at (c, r), "holds %d numbers, but %s %d",
                        n, c->kind == KIND_BOX ? "a box has" : "the column's first row holds",
                        c->dim);
      if (c->kind == KIND_BOX
          && !(v[0] >= 0 && v[1] >= 0 && v[2] <= 1 && v[3] <= 1 && v[0] <= v[2] && v[1] <= v[3]))
        return fail_at (error, c, line_at (c, r), cell_at (c, r),
                        "is not a box x0 y0 x1 y1 with 0 ≤ x0 ≤ x1 ≤ 1 and 0 ≤ y0 ≤ y1 ≤ 1");
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
          c->kind = KIND_LABELS;
          return TRUE;
        }
      if (parse_numbers (cell_at (c, r), NULL, 0) > 0)
        number_row = number_row ? number_row : (int) r;
      else
        word_row = word_row ? word_row : (int) r;
    }
  c->kind = number_row && !word_row ? KIND_NUMBERS : KIND_CLASS;
  if (number_row && word_row)
    return fail_at (error, c, line_at (c, MAX (number_row, word_row)),
                    cell_at (c, MAX (number_row, word_row)),
                    "does not fit the column's kind: line %d holds '%s', so it is numbers and "
                    "words mixed; write the header as '%s:class' if they are class names",
                    line_at (c, MIN (number_row, word_row)), cell_at (c, MIN (number_row, word_row)),
                    g_array_index (c->rows, MhCsvRow, 0).cells[c->col]);
  return TRUE;
}

static gboolean
column_read (Column *c, GError **error)
{
  if (c->kind == KIND_INFER && !infer_kind (c, error))
    return FALSE;
  if (c->kind == KIND_BOX)
    c->dim = 4;
  if (c->kind == KIND_NUMBERS || c->kind == KIND_BOX)
    return check_numbers (c, error);
  return collect_names (c, error);
}

/* Sets up field f of d from column c and fills its targets (row r of the
 * CSV is sample r - 1). */
static void
column_to_field (const Column *c, MhField *f, int n, const char *name)
{
  MhFieldKind kind = c->kind == KIND_CLASS ? MH_FIELD_CLASS
                   : c->kind == KIND_LABELS ? MH_FIELD_LABELS : MH_FIELD_NUMBERS;

  mh_field_init (f, name, kind, c->dim, (const char *const *) c->names, n);
  f->box = c->kind == KIND_BOX;
  for (int i = 0; i < n; i++)
    {
      const char *cell = cell_at (c, i + 1);
      g_auto(GStrv) parts = NULL;

      if (kind == MH_FIELD_NUMBERS)
        {
          parse_numbers (cell, f->values + (gsize) i * f->dim, f->dim);
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

/* The header's column `col`: its field name and kind. */
static gboolean
read_header_cell (Column *c, char **name, GError **error)
{
  const char *cell = cell_at (c, 0), *colon = strrchr (cell, ':');

  *name = colon != NULL ? g_strndup (cell, colon - cell) : g_strdup (cell);
  g_strstrip (*name);
  c->kind = KIND_INFER;
  if (colon != NULL)
    {
      g_autofree char *type = g_strstrip (g_strdup (colon + 1));
      for (int k = 0; kind_names[k] != NULL; k++)
        if (g_str_equal (type, kind_names[k]))
          c->kind = k;
      if (c->kind == KIND_INFER)
        return fail_at (error, c, line_at (c, 0), NULL,
                        "unknown column type '%s' (known: class, labels, numbers, box)", type);
    }
  if (**name == '\0')
    return fail_at (error, c, line_at (c, 0), NULL, "the field has no name");
  return TRUE;
}

/* labels.csv of `dir`: a dataset of one sample per row, targets filled,
 * pixels zero. */
static MhDataset *
read_labels (const char *dir, MhShape shape, GArray **rows_out, GError **error)
{
  g_autofree char *csv = g_build_filename (dir, LABELS_CSV, NULL);
  g_autoptr(GError) local = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(MhDataset) d = NULL;
  g_autofree char *text = NULL;
  char **header;
  gsize len;
  guint width;

  /* a regular file of sane size (mh-input.h) */
  if (!(text = mh_input_read_all (csv, LABELS_CSV, MH_CSV_MAX_FILE, &len, &local)))
    {
      g_set_error (error, local->domain, local->code, "%s; an image folder needs labels.csv:"
                   " a header 'file,FIELD,…' and a row per image", local->message);
      return NULL;
    }
  if (!(rows = mh_csv_parse (text, len, csv, error)))
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: empty: it needs a header 'file,FIELD,…'", csv);
      return NULL;
    }
  header = g_array_index (rows, MhCsvRow, 0).cells;
  width = g_strv_length (header);
  if (!g_str_equal (header[0], "file") || width < 2)
    {
      g_autofree char *got = g_strjoinv (",", header);
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s:%d: the header must be 'file' and then"
                   " one column per field (e.g. 'file,category'), got '%s'",
                   csv, g_array_index (rows, MhCsvRow, 0).line, got);
      return NULL;
    }
  if (rows->len < 2)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "%s: no image listed: add a row per image"
                   " after the header", csv);
      return NULL;
    }
  for (guint r = 1; r < rows->len; r++)
    if (g_strv_length (g_array_index (rows, MhCsvRow, r).cells) != width)
      {
        g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s:%d: %u cells, but the header has %u columns",
                     csv, g_array_index (rows, MhCsvRow, r).line,
                     g_strv_length (g_array_index (rows, MhCsvRow, r).cells), width);
        return NULL;
      }
  /* the images twice (all of them, then the splits' copies), before allocating */
  {
    g_autoptr(MhDataset) probe = mh_dataset_new ("schema", 0, shape, 0);
    g_autofree char *what = g_strdup_printf ("%s's rows", csv);
    if (rows->len - 1 > G_MAXINT / 2
        || !mh_dataset_check_memory (probe, rows->len - 1, 2, what, error))
      {
        if (error != NULL && *error == NULL)
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "%s: %u rows; at most %d are read", csv,
                       rows->len - 1, G_MAXINT / 2);
        return NULL;
      }
  }
  d = mh_dataset_new ("all", (int) rows->len - 1, shape, (int) width - 1);
  for (guint col = 1; col < width; col++)
    {
      Column c = { csv, rows, (int) col };
      g_autofree char *name = NULL;
      gboolean ok = read_header_cell (&c, &name, error);

      for (guint k = 1; ok && k < col; k++)
        if (g_str_equal (d->fields[k - 1].name, name))
          ok = fail_at (error, &c, line_at (&c, 0), NULL, "the field '%s' is also column %u",
                        name, k + 1);
      ok = ok && column_read (&c, error);
      /* a label column's targets: rows × labels floats */
      if (ok && c.kind == KIND_LABELS)
        {
          g_autofree char *field = g_strdup_printf ("%s: column %u ('%s': %d labels × %d rows)",
                                                    csv, col + 1, name, c.dim, d->n);
          ok = mh_limits_check_bytes ((guint64) c.dim * d->n * sizeof (float) * 2, NULL, field, error);
        }
      if (ok)
        column_to_field (&c, &d->fields[col - 1], d->n, name);
      g_strfreev (c.names);
      if (!ok)
        return NULL;
    }
  *rows_out = g_steal_pointer (&rows);
  return g_steal_pointer (&d);
}

/* Why an image could not be used, in words that group the rows (the
 * details are in the files themselves). */
static const char *
image_reason (const GError *e)
{
  if (e->code == MH_ERROR_IO)
    return "the file cannot be read (missing, not a regular file, or no permission)";
  if (e->code == MH_ERROR_INVALID)
    return "the image is too large (or an SVG that loads other files)";
  return "not an image gdk-pixbuf can decode, or a damaged one";
}

/* The rows whose image decodes: their pixels set in d; the others left
 * out and counted in `report`.  Returns the indices of the good ones
 * (*n_ok of them). */
static int *
decode_images (const char *dir, const char *csv, GArray *rows, MhDataset *d, MhRowReport *report,
               int *n_ok)
{
  gsize size = mh_shape_size (&d->shape);
  int *ok = g_new (int, MAX (d->n, 1));

  *n_ok = 0;
  for (int i = 0; i < d->n; i++)
    {
      const char *name = g_array_index (rows, MhCsvRow, i + 1).cells[0];
      int line = g_array_index (rows, MhCsvRow, i + 1).line;
      g_autofree char *field = g_strdup_printf ("line %d, column 1 ('file')", line);
      g_autofree char *path = NULL;
      g_autoptr(GError) local = NULL;

      if (*name == '\0')
        {
          mh_row_report_add (report, line, "no file name", NULL);
          continue;
        }
      /* inside the folder, symbolic links resolved (mh-input.h) */
      path = mh_input_path_inside (dir, name, csv, field, &local);
      if (path == NULL)
        mh_row_report_add (report, line, local->code == MH_ERROR_IO ? "no such file"
                           : "the path leads outside the image folder", name);
      else if (mh_image_load_bytes (path, d->shape, d->pixels + (gsize) i * size, NULL, NULL, &local))
        ok[(*n_ok)++] = i;
      else
        mh_row_report_add (report, line, image_reason (local), name);
    }
  return ok;
}

static int
compare_ints (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* Splits the good samples ok[0..n): a share `test_fraction` chosen by the
 * seed for the test split (in their order), the last `validation` of the
 * rest for validation. */
static MhSplits *
split (const MhDataset *all, int *ok, int n, const MhDataSpec *spec, const char *dir,
       GError **error)
{
  guint32 key[2] = { spec->seed, 0x696d6721 };
  g_autoptr(GRand) rng = g_rand_new_with_seed_array (key, G_N_ELEMENTS (key));
  int n_test = (int) lround (n * spec->test_fraction), n_train = n - n_test;
  int n_fit = n_train - spec->validation;
  MhSplits *s;

  if (n_train < 1 || n_fit < 1)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   "%s: %d usable images: %d for the test split (test_fraction %g) and %d for"
                   " validation leave %d for training; at least 1 is needed",
                   dir, n, n_test, spec->test_fraction, spec->validation, MAX (n_fit, 0));
      return NULL;
    }
  mh_shuffle (ok, n, rng);
  qsort (ok, n_test, sizeof (int), compare_ints);
  qsort (ok + n_test, n_train, sizeof (int), compare_ints);
  s = g_new0 (MhSplits, 1);
  s->test = mh_dataset_subset (all, "test", ok, n_test);
  s->train = mh_dataset_subset (all, "train", ok + n_test, n_fit);
  s->validation = mh_dataset_subset (all, "validation", ok + n_test + n_fit, spec->validation);
  return s;
}

static MhShape
folder_shape (const MhDataSpec *spec)
{
  return mh_shape3 (spec->height, spec->width, spec->channels);
}

MhDataset *
mh_image_folder_schema (const char *dir, const MhDataSpec *spec, GError **error)
{
  g_autoptr(GArray) rows = NULL;
  g_autoptr(MhDataset) all = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  dir = dir != NULL ? dir : spec->path;
  if (dir == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "dataset.path: an image folder needs the folder");
      return NULL;
    }
  all = read_labels (dir, folder_shape (spec), &rows, error);
  if (all == NULL)
    return NULL;
  return mh_dataset_new_like (all, "schema", 0);
}

MhSplits *
mh_image_folder_load (const char *dir, const MhDataSpec *spec, GError **error)
{
  g_autoptr(GArray) rows = NULL;
  g_autoptr(MhDataset) all = NULL;
  g_autoptr(MhRowReport) report = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autofree char *csv = NULL;
  g_autofree int *ok = NULL;
  MhSplits *s;
  int n_ok;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = dir != NULL ? dir : spec->path;
  if (dir == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "dataset.path: an image folder needs the folder");
      return NULL;
    }
  all = read_labels (dir, folder_shape (spec), &rows, error);
  if (all == NULL)
    return NULL;
  csv = g_build_filename (dir, LABELS_CSV, NULL);
  report = mh_row_report_new (csv);
  ok = decode_images (dir, csv, rows, all, report, &n_ok);
  skipped = mh_row_report_lines (report, MH_ROW_REPORT_NAMED);
  if (n_ok == 0)
    {
      g_autofree char *why = NULL;
      g_ptr_array_add (skipped, NULL);
      why = g_strjoinv ("; ", (char **) skipped->pdata);
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "%s: no usable image: labels.csv lists %d,"
                   " none could be used: %s", dir, all->n, why);
      return NULL;
    }
  s = split (all, ok, n_ok, spec, dir, error);
  if (s != NULL)
    s->skipped = g_steal_pointer (&skipped);
  return s;
}
