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
#include <glib/gi18n.h>
#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "mh-csv.h"
#include "mh-error.h"
#include "mh-image.h"
#include "mh-input.h"
#include "mh-label-columns.h"
#include "mh-limits.h"
#include "mh-row-report.h"
#include "mh-splits.h"

#define LABELS_CSV "labels.csv"

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
      g_set_error (error, local->domain, local->code, _("%s; an image folder needs labels.csv:"
                   " a header 'file,FIELD,…' and a row per image"), local->message);
      return NULL;
    }
  if (!(rows = mh_csv_parse (text, len, csv, error)))
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: empty: it needs a header 'file,FIELD,…'"), csv);
      return NULL;
    }
  header = g_array_index (rows, MhCsvRow, 0).cells;
  width = g_strv_length (header);
  if (!g_str_equal (header[0], "file") || width < 2)
    {
      g_autofree char *got = g_strjoinv (",", header);
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s:%d: the header must be 'file' and then"
                   " one column per field (e.g. 'file,category'), got '%s'"),
                   csv, g_array_index (rows, MhCsvRow, 0).line, got);
      return NULL;
    }
  if (rows->len < 2)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: no image listed: add a row per image"
                   " after the header"), csv);
      return NULL;
    }
  for (guint r = 1; r < rows->len; r++)
    if (g_strv_length (g_array_index (rows, MhCsvRow, r).cells) != width)
      {
        g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s:%d: %u cells, but the header has %u columns"),
                     csv, g_array_index (rows, MhCsvRow, r).line,
                     g_strv_length (g_array_index (rows, MhCsvRow, r).cells), width);
        return NULL;
      }
  /* the images twice (all of them, then the splits' copies), before allocating */
  {
    g_autoptr(MhDataset) probe = mh_dataset_new ("schema", 0, shape, 0);
    g_autofree char *what = g_strdup_printf (_("%s's rows"), csv);
    if (rows->len - 1 > G_MAXINT / 2
        || !mh_dataset_check_memory (probe, rows->len - 1, 2, what, error))
      {
        if (error != NULL && *error == NULL)
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: %u rows; at most %d are read"), csv,
                       rows->len - 1, G_MAXINT / 2);
        return NULL;
      }
  }
  d = mh_dataset_new ("all", (int) rows->len - 1, shape, (int) width - 1);
  for (guint col = 1; col < width; col++)
    {
      MhLabelColumn c = { csv, rows, (int) col };
      g_autofree char *name = NULL;
      gboolean ok = mh_label_column_header (&c, &name, error);

      for (guint k = 1; ok && k < col; k++)
        if (g_str_equal (d->fields[k - 1].name, name))
          ok = mh_label_column_fail (error, &c, g_array_index (rows, MhCsvRow, 0).line, NULL,
                                     _("the field '%s' is also column %u"), name, k + 1);
      ok = ok && mh_label_column_read (&c, error);
      /* a label column's targets: rows × labels floats */
      if (ok && c.kind == MH_LABEL_LABELS)
        {
          g_autofree char *field = g_strdup_printf (_("%s: column %u ('%s': %d labels × %d rows)"),
                                                    csv, col + 1, name, c.dim, d->n);
          ok = mh_limits_check_bytes ((guint64) c.dim * d->n * sizeof (float) * 2, NULL, field, error);
        }
      if (ok)
        mh_label_column_to_field (&c, &d->fields[col - 1], d->n, name, NULL);
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
    return _("the file cannot be read (missing, not a regular file, or no permission)");
  if (e->code == MH_ERROR_INVALID)
    return _("the image is too large (or an SVG that loads other files)");
  return _("not an image gdk-pixbuf can decode, or a damaged one");
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
          mh_row_report_add (report, line, _("no file name"), NULL);
          continue;
        }
      /* inside the folder, symbolic links resolved (mh-input.h) */
      path = mh_input_path_inside (dir, name, csv, field, &local);
      if (path == NULL)
        {
          g_autofree char *joined = g_build_filename (dir, name, NULL);
          struct stat st;
          /* a name that is there but resolves to nothing: a link that is
           * broken or loops (ELOOP), not a missing file */
          mh_row_report_add (report, line, g_path_is_absolute (name)
                             ? _("an absolute path: name the file relative to the image folder")
                             : local->code != MH_ERROR_IO ? _("the path leads outside the image folder")
                             : lstat (joined, &st) == 0 ? _("a symbolic link that leads nowhere (broken, or a loop)")
                             : _("no such file"), name);
        }
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
                   _("%s: %d usable images: %d for the test split (test_fraction %g) and %d for"
                   " validation leave %d for training; at least 1 is needed"),
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
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("dataset.path: an image folder needs the folder"));
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
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("dataset.path: an image folder needs the folder"));
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
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: no usable image: labels.csv lists %d,"
                   " none could be used: %s"), dir, all->n, why);
      return NULL;
    }
  s = split (all, ok, n_ok, spec, dir, error);
  if (s != NULL)
    s->skipped = g_steal_pointer (&skipped);
  return s;
}
