/* mh-run-curves.c — recorded runs' curves on one chart (mh-run-curves.h). */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-colors.h"
#include "mh-run-curves.h"
#include "mh-schema.h"

MhPlotDash
mh_run_curves_dash (guint i)
{
  static const MhPlotDash dashes[] = { MH_PLOT_DASH_SOLID, MH_PLOT_DASH_DASHED, MH_PLOT_DASH_DOTTED };

  return dashes[i % G_N_ELEMENTS (dashes)];
}

/* The project with the seed, the name and the canvas aside. */
static MhProject *
seedless (const MhRun *run)
{
  MhProject *p = mh_run_dup_project (run, NULL);

  if (p == NULL)
    return NULL;
  p->seed = 0;
  g_free (p->name);
  p->name = g_strdup ("");
  g_clear_pointer (&p->layout, json_node_unref);
  return p;
}

gboolean
mh_runs_differ_by_seed_only (const MhRun *a, const MhRun *b)
{
  g_autoptr (MhProject) x = NULL;
  g_autoptr (MhProject) y = NULL;

  if (g_strcmp0 (a->parent_id, b->parent_id) != 0 || a->parent_epoch != b->parent_epoch
      || a->total_steps != b->total_steps)
    return FALSE;
  x = seedless (a);
  y = seedless (b);
  return x != NULL && y != NULL && mh_project_equal (x, y);
}

/* ---- a band: mean ± spread ---------------------------------------------------------- */

typedef struct {
  GArray  *x, *lo, *hi;   /* double */
  GdkRGBA  light, dark;
} Band;

static void
band_free (gpointer p)
{
  Band *b = p;

  g_array_unref (b->x);
  g_array_unref (b->lo);
  g_array_unref (b->hi);
  g_free (b);
}

static void
draw_band (const MhPlotFigure *f, cairo_t *cr, const MhPlotTheme *theme, gpointer data)
{
  Band *b = data;
  GdkRGBA c = *mh_plot_theme_pick (theme, &b->light, &b->dark);
  guint n = b->x->len, every = MAX (1, n / MAX (1, (guint) f->frame.width));
  gboolean started = FALSE;
  double px, py;

  if (n < 2)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, f->frame.x, f->frame.y, f->frame.width, f->frame.height);
  cairo_clip (cr);
  cairo_new_path (cr);
  for (guint i = 0; i < n; i += every)
    if (mh_plot_figure_map (f, g_array_index (b->x, double, i), g_array_index (b->hi, double, i), &px, &py))
      {
        if (!started)
          cairo_move_to (cr, px, py);
        else
          cairo_line_to (cr, px, py);
        started = TRUE;
      }
  for (guint k = 0; k <= (n - 1) / every; k++)
    {
      guint i = (n - 1) / every * every - k * every;
      if (mh_plot_figure_map (f, g_array_index (b->x, double, i), g_array_index (b->lo, double, i), &px, &py))
        cairo_line_to (cr, px, py);
    }
  if (started)
    {
      cairo_close_path (cr);
      c.alpha = 0.2f;
      gdk_cairo_set_source_rgba (cr, &c);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

/* ---- the curves --------------------------------------------------------------------- */

static int
head_index (const char *const *heads, GPtrArray *order, const char *name)
{
  for (guint i = 0; heads != NULL && heads[i] != NULL; i++)
    if (g_strcmp0 (heads[i], name) == 0)
      return (int) i;
  for (guint i = 0; i < order->len; i++)
    if (g_strcmp0 (order->pdata[i], name) == 0)
      return (int) i + (heads != NULL ? (int) g_strv_length ((char **) heads) : 0);
  g_ptr_array_add (order, g_strdup (name));
  return (int) order->len - 1 + (heads != NULL ? (int) g_strv_length ((char **) heads) : 0);
}

static const char *
step_column (const MhRunHead *h, MhRunCurvesKind kind, char *buf, gsize size)
{
  if (kind == MH_RUN_CURVES_LOSS)
    g_snprintf (buf, size, "%s/loss", h->name);
  else if (h->kind == MH_FIELD_CLASS)
    g_snprintf (buf, size, "%s/accuracy", h->name);
  else
    return NULL;   /* a batch has no F1 or IoU of its own */
  return buf;
}

static const char *
validation_column (const MhTrainLog *log, const MhRunHead *h, MhRunCurvesKind kind, char *buf, gsize size)
{
  static const char *const metrics[] = { "val_accuracy", "val_f1", "val_iou", "val_mae" };

  if (kind == MH_RUN_CURVES_LOSS)
    {
      g_snprintf (buf, size, "%s/val_loss", h->name);
      return buf;
    }
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      g_snprintf (buf, size, "%s/%s", h->name, metrics[i]);
      if (mh_train_log_find_column (log, buf) >= 0)
        return buf;
    }
  return NULL;
}

/* A column's finite values as series points (x: the step). */
static void
fill (MhPlotSeries *s, const MhTrainLog *log, int column)
{
  int step = mh_train_log_find_column (log, "step");

  for (guint r = 0; step >= 0 && column >= 0 && r < mh_train_log_get_n_rows (log); r++)
    {
      double y = mh_train_log_get (log, r, column);
      if (isfinite (y))
        mh_plot_series_append (s, mh_train_log_get (log, r, step), y);
    }
}

static MhPlotSeries *
add (MhPlotFigure *f, const char *label, int color, MhPlotStyle style, int source, const char *run, MhPlotDash dash)
{
  GdkRGBA light, dark;
  MhPlotSeries *s;
  int i;

  mh_head_color ((guint) color, FALSE, &light);
  mh_head_color ((guint) color, TRUE, &dark);
  i = mh_plot_figure_add_series (f, label, &light, &dark, style, source);
  s = mh_plot_figure_get_series (f, i);
  mh_plot_series_set_run (s, run);
  s->dash = dash;
  return s;
}

/* Runs of one group: their smoothed curves' mean as a line, ± one standard
 * deviation as a band (steps all the runs have); one run: its smoothed line. */
static void
add_group (MhPlotFigure *f, GPtrArray *logs, GArray *members, const char *column, const char *label, int color,
           const char *run, MhPlotDash dash)
{
  g_autoptr (GHashTable) sums = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr (GArray) steps = g_array_new (FALSE, FALSE, sizeof (gint64));
  Band *band = g_new0 (Band, 1);
  MhPlotSeries *mean = add (f, label, color, MH_PLOT_LINE, -1, run, dash);

  mean->width = 2;
  double a = f->smoothing;

  for (guint m = 0; m < members->len; m++)
    {
      const MhTrainLog *log = logs->pdata[g_array_index (members, guint, m)];
      int col = mh_train_log_find_column (log, column), step = mh_train_log_find_column (log, "step");
      double ema = 0;
      int seen = 0;
      for (guint r = 0; col >= 0 && step >= 0 && r < mh_train_log_get_n_rows (log); r++)
        {
          double y = mh_train_log_get (log, r, col), *acc;
          gint64 x = (gint64) mh_train_log_get (log, r, step);
          if (!isfinite (y))
            continue;
          ema = a * ema + (1 - a) * y;
          seen++;
          y = ema / (1 - pow (a, seen));   /* debiased, as the plots smooth */
          acc = g_hash_table_lookup (sums, &x);
          if (acc == NULL)
            {
              gint64 *key = g_memdup2 (&x, sizeof x);
              acc = g_new0 (double, 3);
              g_hash_table_insert (sums, key, acc);
              g_array_append_val (steps, x);
            }
          acc[0] += 1, acc[1] += y, acc[2] += y * y;
        }
    }
  band->x = g_array_new (FALSE, FALSE, sizeof (double));
  band->lo = g_array_new (FALSE, FALSE, sizeof (double));
  band->hi = g_array_new (FALSE, FALSE, sizeof (double));
  mh_head_color ((guint) color, FALSE, &band->light);
  mh_head_color ((guint) color, TRUE, &band->dark);
  for (guint i = 0; i < steps->len; i++)
    {
      gint64 x = g_array_index (steps, gint64, i);
      double *acc = g_hash_table_lookup (sums, &x), n = acc[0], mu, sd, xd = (double) x, lo, hi;
      if (n < members->len)
        continue;   /* a step not every run took */
      mu = acc[1] / n;
      sd = n > 1 ? sqrt (MAX (0, (acc[2] - n * mu * mu) / (n - 1))) : 0;
      lo = mu - sd, hi = mu + sd;
      mh_plot_series_append (mean, xd, mu);
      g_array_append_val (band->x, xd);
      g_array_append_val (band->lo, lo);
      g_array_append_val (band->hi, hi);
    }
  if (members->len > 1)
    mh_plot_figure_add_layer (f, MH_PLOT_LAYER_DATA, draw_band, band, band_free);
  else
    band_free (band);   /* one run: its smoothed line alone */
}

void
mh_run_curves_clear (MhPlotFigure *f)
{
  mh_plot_figure_clear (f);
  mh_plot_figure_remove_layers (f, draw_band);
}

guint
mh_run_curves_add (MhPlotFigure *f, GPtrArray *runs, GPtrArray *logs, const char *const *heads, const char *head,
                   MhRunCurvesKind kind, gboolean seeds_as_band)
{
  g_autoptr (GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autofree int *group = g_new (int, MAX (1, runs->len));
  guint lines = 0, style = 0, n_groups = 0;
  char col[256], vcol[256];

  g_return_val_if_fail (runs->len == logs->len, 0);
  if (head != NULL)
    {
      g_autofree char *title = g_strdup_printf ("%s: %s", head, kind == MH_RUN_CURVES_LOSS ? "loss" : "accuracy");
      mh_plot_figure_set_title (f, title);
    }
  else
    mh_plot_figure_set_title (f, kind == MH_RUN_CURVES_LOSS ? _("Loss per head") : _("Accuracy per head"));
  mh_plot_figure_set_x_label (f, _("step"));
  /* groups: runs that differ by their seed only */
  for (guint i = 0; i < runs->len; i++)
    {
      group[i] = (int) i;
      for (guint j = 0; seeds_as_band && j < i; j++)
        if (group[j] == (int) j && mh_runs_differ_by_seed_only (runs->pdata[i], runs->pdata[j]))
          {
            group[i] = (int) j;
            break;
          }
      n_groups += group[i] == (int) i;
    }
  for (guint i = 0; i < runs->len; i++)
    {
      const MhRun *run = runs->pdata[i];
      const MhTrainLog *log = logs->pdata[i];
      g_autoptr (GArray) members = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autofree char *title = mh_run_dup_title (run);
      MhPlotDash dash;

      if (group[i] != (int) i || log == NULL)
        continue;
      for (guint j = i; j < runs->len; j++)
        if (group[j] == (int) i && logs->pdata[j] != NULL)
          g_array_append_val (members, j);
      if (members->len > 1)
        {
          char *mean = g_strdup_printf (_("%s (mean of %u seeds)"), title, members->len);
          g_free (title);
          title = mean;
        }
      dash = mh_run_curves_dash (style++);
      for (int h = 0; h < run->n_heads; h++)
        {
          const MhRunHead *rh = &run->heads[h];
          g_autofree char *label = NULL;
          int color;
          if (head != NULL && g_strcmp0 (head, rh->name) != 0)
            continue;
          color = head_index (heads, order, rh->name);
          label = head != NULL ? g_strdup (title) : g_strdup_printf ("%s · %s", title, rh->name);
          if (step_column (rh, kind, col, sizeof col) != NULL)
            {
              /* a comparison: smoothed lines only (raw traces of several runs are noise) */
              if (members->len > 1 || n_groups > 1)
                add_group (f, logs, members, col, label, color, run->id, dash);
              else
                {
                  MhPlotSeries *raw = add (f, label, color, MH_PLOT_RAW, -1, run->id, dash);
                  fill (raw, log, mh_train_log_find_column (log, col));
                  add (f, label, color, MH_PLOT_SMOOTHED, (int) f->series->len - 1, run->id, dash);
                }
              lines++;
            }
          if (members->len == 1 && validation_column (log, rh, kind, vcol, sizeof vcol) != NULL)
            {
              /* markers with no legend entry of their own: the line's names them */
              MhPlotSeries *val = add (f, "", color, MH_PLOT_MARKERS, -1, run->id, MH_PLOT_DASH_DEFAULT);
              fill (val, log, mh_train_log_find_column (log, vcol));
              lines += val->points->len > 0 && step_column (rh, kind, col, sizeof col) == NULL;
            }
        }
    }
  return lines;
}
