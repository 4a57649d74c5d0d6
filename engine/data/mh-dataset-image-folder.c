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
 * and laid over black where they are transparent.  A missing or unreadable
 * image is left out and listed; the CSV's mistakes are errors naming
 * labels.csv, the line and the column.
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mh-csv.h"
#include "mh-error.h"
#include "mh-image.h"
#include "mh-label-columns.h"
#include "mh-splits.h"

#define LABELS_CSV "labels.csv"

/* labels.csv of `dir`: a dataset of one sample per row, targets filled,
 * pixels zero. */
static MhDataset *
read_labels (const char *dir, MhShape shape, GArray **rows_out, GError **error)
{
  g_autofree char *csv = g_build_filename (dir, LABELS_CSV, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GError) local = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(MhDataset) d = NULL;
  g_autofree char *text = NULL;
  char **header;
  gsize len;
  guint width;

  if (!g_file_load_contents (file, NULL, &text, &len, NULL, &local))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: %s; an image folder needs labels.csv:"
                   " a header 'file,FIELD,…' and a row per image", csv,
                   g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ? "no such file"
                   : local->message);
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
  d = mh_dataset_new ("all", (int) rows->len - 1, shape, (int) width - 1);
  for (guint col = 1; col < width; col++)
    {
      MhLabelColumn c = { csv, rows, (int) col };
      g_autofree char *name = NULL;
      gboolean ok = mh_label_column_header (&c, &name, error);

      for (guint k = 1; ok && k < col; k++)
        if (g_str_equal (d->fields[k - 1].name, name))
          ok = mh_label_column_fail (error, &c, g_array_index (rows, MhCsvRow, 0).line, NULL,
                                     "the field '%s' is also column %u", name, k + 1);
      ok = ok && mh_label_column_read (&c, error);
      if (ok)
        mh_label_column_to_field (&c, &d->fields[col - 1], d->n, name, NULL);
      g_strfreev (c.names);
      if (!ok)
        return NULL;
    }
  *rows_out = g_steal_pointer (&rows);
  return g_steal_pointer (&d);
}

/* Decodes `path` into out (shape's H × W × C bytes, mh-image.h); on
 * failure *reason says why. */
static gboolean
decode_image (const char *path, MhShape shape, guint8 *out, char **reason)
{
  g_autoptr(GError) local = NULL;

  if (mh_image_load_bytes (path, shape, out, NULL, NULL, &local))
    return TRUE;
  /* the message starts with the path; the caller names the file */
  *reason = g_strdup (g_str_has_prefix (local->message, path)
                      ? local->message + strlen (path) + 2 : local->message);
  return FALSE;
}

/* The rows whose image decodes: their pixels set in d; the others listed
 * in `skipped`.  Returns the indices of the good ones (*n_ok of them). */
static int *
decode_images (const char *dir, GArray *rows, MhDataset *d, GPtrArray *skipped, int *n_ok)
{
  gsize size = mh_shape_size (&d->shape);
  int *ok = g_new (int, MAX (d->n, 1));

  *n_ok = 0;
  for (int i = 0; i < d->n; i++)
    {
      const char *name = g_array_index (rows, MhCsvRow, i + 1).cells[0];
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *reason = NULL;

      if (*name == '\0')
        g_ptr_array_add (skipped, g_strdup_printf ("labels.csv:%d: no file name",
                                                   g_array_index (rows, MhCsvRow, i + 1).line));
      else if (decode_image (path, d->shape, d->pixels + (gsize) i * size, &reason))
        ok[(*n_ok)++] = i;
      else
        g_ptr_array_add (skipped, g_strdup_printf ("%s: %s", name, reason));
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
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
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
  ok = decode_images (dir, rows, all, skipped, &n_ok);
  if (n_ok == 0)
    {
      g_autoptr(GString) why = g_string_new (NULL);
      for (guint i = 0; i < MIN (skipped->len, 3); i++)
        g_string_append_printf (why, "%s%s", i ? "; " : " (", (char *) skipped->pdata[i]);
      if (skipped->len > 0)
        g_string_append (why, skipped->len > 3 ? "; …)" : ")");
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "%s: no usable image: labels.csv lists %d,"
                   " %u could not be read%s", dir, all->n, skipped->len, why->str);
      return NULL;
    }
  s = split (all, ok, n_ok, spec, dir, error);
  if (s != NULL)
    s->skipped = g_steal_pointer (&skipped);
  return s;
}
