/* mh-dataset-sensor-csv.c — the user's own sensor recordings, as a CSV, in
 * one of two forms:
 *
 *   windows  one window a row; each signal cell holds the window's `length`
 *            values, separated by spaces:
 *              ax:signal,ay:signal,…,activity
 *              "0.01 0.02 …","0.98 0.97 …",…,walking
 *   steps    one time step a row, cut into consecutive windows of `length`
 *            steps; a column "recording" (optional) keeps windows within one
 *            recording; a window whose labels change is left out and listed,
 *            as is the end of a recording too short for a window:
 *              recording,ax:signal,…,activity
 *              1,0.01,…,walking
 *
 * Signal columns are those marked ":signal" in the header; without any
 * mark, those named like the Sensors data set's channels (ax ay az gx gy gz).
 * The other columns are label fields, as in an image folder's labels.csv
 * (mh-label-columns.h).  Which form a file has is told by its first row: a
 * signal cell of one number is a step.  Every value must be a finite number;
 * a row with another number of cells than the header, a cell that is not a
 * number, NaN, an empty window or a window of the wrong length is an error
 * naming the file, the line and the column.
 *
 * The split is as an image folder's: test_fraction of the windows, chosen by
 * the seed, for testing; the last `validation` of the others validating.
 */
#include <float.h>
#include <glib/gi18n.h>
#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mh-csv.h"
#include "mh-error.h"
#include "mh-input.h"
#include "mh-label-columns.h"
#include "mh-splits.h"

#define MAX_FILE ((guint64) 1 << 30)
#define SIGNAL_MARK ":signal"

static const char *const default_channels[] = { "ax", "ay", "az", "gx", "gy", "gz", NULL };

typedef struct {
  const char *csv;
  GArray     *rows;        /* MhCsvRow; rows[0] is the header */
  int         width;       /* cells a row */
  GArray     *signal;      /* int: the signal columns */
  char      **channels;    /* their names */
  int         recording;   /* the column "recording", or −1 */
  gboolean    steps;       /* the steps form */
} Table;

static void
table_clear (Table *t)
{
  g_clear_pointer (&t->rows, g_array_unref);
  g_clear_pointer (&t->signal, g_array_unref);
  g_clear_pointer (&t->channels, g_strfreev);
}

static const char *
cell (const Table *t, guint row, int col)
{
  return g_array_index (t->rows, MhCsvRow, row).cells[col];
}

static int
line (const Table *t, guint row)
{
  return g_array_index (t->rows, MhCsvRow, row).line;
}

static gboolean G_GNUC_PRINTF (5, 6)
fail (GError **error, const Table *t, guint row, int col, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "%s:%d: column %d ('%s'): %s", t->csv, line (t, row), col + 1,
               cell (t, 0, col), message);
  return FALSE;
}

/* The values of a signal cell into out (want of them). */
static gboolean
parse_signal (const Table *t, guint row, int col, int want, float *out, GError **error)
{
  g_auto (GStrv) parts = g_strsplit_set (cell (t, row, col), " \t", -1);
  int n = 0;

  for (guint k = 0; parts[k] != NULL; k++)
    {
      char *end;
      double v;

      if (*parts[k] == '\0')
        continue;
      v = g_ascii_strtod (parts[k], &end);
      if (*end != '\0')
        return fail (error, t, row, col, _("'%s' is not a number"), parts[k]);
      if (!isfinite (v) || fabs (v) > FLT_MAX)   /* 1e300 is finite, but not as a float */
        return fail (error, t, row, col, _("'%s' is not a finite number within ±3.4e38 (a 32-bit "
                     "float): a recording holds measured values"), parts[k]);
      if (n < want)
        out[n] = (float) v;
      n++;
    }
  if (n == 0)
    return fail (error, t, row, col, t->steps ? _("the step has no value") : _("the window is empty"));
  if (n != want)
    return fail (error, t, row, col, t->steps ? _("holds %d values; a step holds one")
                                              : _("holds %d values, but a window is %d steps (dataset.length)"),
                 n, want);
  return TRUE;
}

static gboolean
is_signal_header (const char *h, gboolean marks)
{
  return marks ? g_str_has_suffix (h, SIGNAL_MARK) : g_strv_contains (default_channels, h);
}

/* Reads and checks the CSV's shape: header, signal columns, form. */
static gboolean
read_table (const char *path, Table *t, GError **error)
{
  g_autofree char *text = NULL;
  gboolean marks = FALSE;
  char **header;
  gsize len;

  t->csv = path;
  t->recording = -1;
  if (!(text = mh_input_read_all (path, _("recordings CSV"), MAX_FILE, &len, error))
      || !mh_input_check_utf8 (text, (gssize) len, path, _("the text"), error))
    return FALSE;
  if (!(t->rows = mh_csv_parse (text, len, path, error)))
    return FALSE;
  if (t->rows->len < 2)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s: %s: a recording CSV needs a header (e.g. 'ax,ay,az,gx,gy,gz,activity') and rows"), path,
                   t->rows->len == 0 ? "empty" : _("only a header"));
      return FALSE;
    }
  header = g_array_index (t->rows, MhCsvRow, 0).cells;
  t->width = (int) g_strv_length (header);
  for (int c = 0; c < t->width; c++)
    marks = marks || g_str_has_suffix (header[c], SIGNAL_MARK);
  t->signal = g_array_new (FALSE, FALSE, sizeof (int));
  {
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    for (int c = 0; c < t->width; c++)
      if (is_signal_header (header[c], marks))
        {
          g_array_append_val (t->signal, c);
          g_ptr_array_add (names, marks ? g_strndup (header[c], strlen (header[c]) - strlen (SIGNAL_MARK))
                                        : g_strdup (header[c]));
        }
      else if (g_str_equal (header[c], "recording"))
        t->recording = c;
    g_ptr_array_add (names, NULL);
    t->channels = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  }
  if (t->signal->len == 0)
    {
      g_autofree char *got = g_strjoinv (",", header);
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s:%d: no signal column: mark them 'NAME:signal' in the header, or name them ax, ay, az, "
                   "gx, gy, gz (got '%s')"), path, line (t, 0), got);
      return FALSE;
    }
  for (guint r = 1; r < t->rows->len; r++)
    if ((int) g_strv_length (g_array_index (t->rows, MhCsvRow, r).cells) != t->width)
      {
        g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s:%d: %u cells, but the header has %d columns"), path,
                     line (t, r), g_strv_length (g_array_index (t->rows, MhCsvRow, r).cells), t->width);
        return FALSE;
      }
  t->steps = mh_label_parse_numbers (cell (t, 1, g_array_index (t->signal, int, 0)), NULL, 0) == 1;
  return TRUE;
}

/* The windows: their first CSV rows (starts), and the skipped stretches listed. */
static GArray *
cut_windows (const Table *t, int length, GPtrArray *skipped)
{
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = t->rows->len;

  if (!t->steps)
    {
      for (guint r = 1; r < n; r++)
        g_array_append_val (starts, r);
      return starts;
    }
  for (guint r = 1; r < n;)
    {
      guint end = r;
      /* the stretch of one recording */
      while (end < n && (t->recording < 0 || g_str_equal (cell (t, end, t->recording), cell (t, r, t->recording))))
        end++;
      for (; r + length <= end; r += length)
        g_array_append_val (starts, r);
      if (r < end && skipped != NULL)
        g_ptr_array_add (skipped, g_strdup_printf (_("%s:%d–%d: %u steps at the end of a recording, fewer than a "
                                                   "window of %d"), t->csv, line (t, r), line (t, end - 1), end - r,
                                                   length));
      r = end;
    }
  return starts;
}

/* Whether every row of the window starting at row `start` has the labels of its first. */
static int
label_change (const Table *t, guint start, int length, const gboolean *is_label)
{
  for (int k = 1; t->steps && k < length; k++)
    for (int c = 0; c < t->width; c++)
      if (is_label[c] && !g_str_equal (cell (t, start + k, c), cell (t, start, c)))
        return c;
  return -1;
}

/* The windows as a data set (labels unless `labels` is FALSE); the signal
 * columns must be `want` when it is not NULL. */
static MhDataset *
read_windows (const char *path, int length, gboolean labels, const char *const *want, GPtrArray *skipped,
              GError **error)
{
  Table t = { 0 };
  g_autoptr (GArray) starts = NULL, kept = NULL;
  g_autofree gboolean *is_label = NULL;
  MhDataset *d = NULL;
  int n_labels = 0, channels;

  if (!read_table (path, &t, error))
    goto out;
  channels = (int) t.signal->len;
  if (want != NULL && !g_strv_equal (want, (const char *const *) t.channels))
    {
      g_autofree char *w = g_strjoinv (", ", (char **) want), *got = g_strjoinv (", ", t.channels);
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: its signal columns are %s, but the model reads %s, in "
                   "that order"), path, got, w);
      goto out;
    }
  /* every step's values are checked, those left out of the windows too */
  for (guint r = 1; t.steps && r < t.rows->len; r++)
    for (int s = 0; s < channels; s++)
      {
        float v;
        if (!parse_signal (&t, r, g_array_index (t.signal, int, s), 1, &v, error))
          goto out;
      }
  is_label = g_new0 (gboolean, t.width);
  for (int c = 0; labels && c < t.width; c++)
    {
      gboolean signal = FALSE;
      for (guint s = 0; s < t.signal->len; s++)
        signal = signal || g_array_index (t.signal, int, s) == c;
      is_label[c] = !signal && c != t.recording;
      n_labels += is_label[c];
    }
  starts = cut_windows (&t, length, skipped);
  kept = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint w = 0; w < starts->len; w++)
    {
      guint start = g_array_index (starts, guint, w);
      int changed = label_change (&t, start, length, is_label);
      if (changed < 0)
        g_array_append_val (kept, start);
      else if (skipped != NULL)
        g_ptr_array_add (skipped, g_strdup_printf (_("%s:%d–%d: column '%s' changes within the window"), path,
                                                   line (&t, start), line (&t, start + length - 1),
                                                   cell (&t, 0, changed)));
    }
  if (kept->len == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: no window of %d steps: %u %s"), path, length,
                   t.rows->len - 1, t.steps ? _("steps, none making a whole window with the same labels") : "rows");
      goto out;
    }
  {
    g_autoptr (MhDataset) probe = mh_dataset_new_input ("probe", 0, MH_INPUT_SIGNALS,
                                                        (MhShape) { 2, { length, channels } }, NULL,
                                                        (const char *const *) t.channels, 0);
    /* the windows, and their copies in the splits */
    if (!mh_dataset_check_memory (probe, kept->len, 2, path, error))
      goto out;
  }
  d = mh_dataset_new_input ("all", (int) kept->len, MH_INPUT_SIGNALS, (MhShape) { 2, { length, channels } }, NULL,
                            (const char *const *) t.channels, n_labels);
  for (guint w = 0; w < kept->len; w++)
    {
      guint start = g_array_index (kept, guint, w);
      float *x = d->signals + (gsize) w * length * channels;
      for (int s = 0; s < channels; s++)
        {
          int col = g_array_index (t.signal, int, s);
          g_autofree float *values = g_new (float, t.steps ? 1 : length);
          for (int k = 0; k < (t.steps ? length : 1); k++)
            {
              if (!parse_signal (&t, start + k, col, t.steps ? 1 : length, values, error))
                {
                  g_clear_pointer (&d, mh_dataset_free);
                  goto out;
                }
              for (int v = 0; v < (t.steps ? 1 : length); v++)
                x[(gsize) (k + v) * channels + s] = values[v];
            }
        }
    }
  for (int c = 0, f = 0; c < t.width; c++)
    if (is_label[c])
      {
        MhLabelColumn lc = { path, t.rows, c };
        g_autofree char *name = NULL;
        gboolean ok = mh_label_column_header (&lc, &name, error) && mh_label_column_read (&lc, error);
        if (ok)
          mh_label_column_to_field (&lc, &d->fields[f++], d->n, name, (const guint *) kept->data);
        g_strfreev (lc.names);
        if (!ok)
          {
            g_clear_pointer (&d, mh_dataset_free);
            goto out;
          }
      }
out:
  table_clear (&t);
  return d;
}

MhDataset *
mh_sensor_csv_read (const char *path, int length, const char *const *channels, GPtrArray *skipped,
                    GError **error)
{
  g_return_val_if_fail (path != NULL && length > 0, NULL);
  return read_windows (path, length, FALSE, channels, skipped, error);
}

static const char *
csv_path (const char *dir, const MhDataSpec *spec, GError **error)
{
  const char *path = dir != NULL ? dir : spec->path;

  if (path == NULL)
    g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("dataset.path: a sensor-csv data set needs the CSV file"));
  return path;
}

MhDataset *
mh_sensor_csv_schema (const char *dir, const MhDataSpec *spec, GError **error)
{
  const char *path = csv_path (dir, spec, error);
  g_autoptr (MhDataset) all = path != NULL ? read_windows (path, spec->length, TRUE, NULL, NULL, error) : NULL;

  return all != NULL ? mh_dataset_new_like (all, "schema", 0) : NULL;
}

MhSplits *
mh_sensor_csv_load (const char *dir, const MhDataSpec *spec, GError **error)
{
  guint32 key[2] = { spec->seed, 0x73656e73 };
  g_autoptr (GRand) rng = g_rand_new_with_seed_array (key, G_N_ELEMENTS (key));
  g_autoptr (GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  const char *path = csv_path (dir, spec, error);
  g_autoptr (MhDataset) all = path != NULL ? read_windows (path, spec->length, TRUE, NULL, skipped, error) : NULL;
  g_autofree int *order = NULL;
  int n_test, n_fit;
  MhSplits *s;

  if (all == NULL)
    return NULL;
  n_test = (int) lround (all->n * spec->test_fraction);
  n_fit = all->n - n_test - spec->validation;
  if (n_fit < 1)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: %d windows: %d for the test split (test_fraction %g) and %d for validation leave %d for "
                   "training; at least 1 is needed"), path, all->n, n_test, spec->test_fraction, spec->validation,
                   MAX (n_fit, 0));
      return NULL;
    }
  order = g_new (int, all->n);
  for (int i = 0; i < all->n; i++)
    order[i] = i;
  mh_shuffle (order, all->n, rng);
  s = g_new0 (MhSplits, 1);
  s->test = mh_dataset_subset (all, "test", order, n_test);
  s->train = mh_dataset_subset (all, "train", order + n_test, n_fit);
  s->validation = mh_dataset_subset (all, "validation", order + n_test + n_fit, spec->validation);
  s->skipped = skipped->len > 0 ? g_steal_pointer (&skipped) : NULL;
  return s;
}
