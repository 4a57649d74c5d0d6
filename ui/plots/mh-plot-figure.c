/* mh-plot-figure.c — a chart's data, view and normalising. */
#include <math.h>
#include "mh-plot-figure.h"
#include "mh-plot-layers.h"

#define PAD        10.0
#define TICK_GAP    6.0
#define LEGEND_DOT  8.0

typedef struct {
  MhPlotLayerGroup group;
  MhPlotLayerFunc  draw;
  gpointer         data;
  GDestroyNotify   destroy;
} Layer;

static void
mark_clear (MhPlotMark *m)
{
  g_free (m->label);
}

static void
layer_clear (Layer *l)
{
  if (l->destroy != NULL)
    l->destroy (l->data);
}

MhPlotFigure *
mh_plot_figure_new (void)
{
  MhPlotFigure *f = g_new0 (MhPlotFigure, 1);

  f->series = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_plot_series_free);
  f->marks = g_array_new (FALSE, FALSE, sizeof (MhPlotMark));
  g_array_set_clear_func (f->marks, (GDestroyNotify) mark_clear);
  f->layers = g_array_new (FALSE, FALSE, sizeof (Layer));
  g_array_set_clear_func (f->layers, (GDestroyNotify) layer_clear);
  f->smoothing = 0.9;
  f->fixed_y0 = f->fixed_y1 = NAN;
  f->zoom_x0 = f->zoom_x1 = NAN;
  f->x_from_zero = TRUE;
  mh_plot_axis_init (&f->x, FALSE);
  mh_plot_axis_init (&f->y, FALSE);
  mh_plot_figure_add_layer (f, MH_PLOT_LAYER_AXIS, mh_plot_layer_grid, NULL, NULL);
  mh_plot_figure_add_layer (f, MH_PLOT_LAYER_AXIS, mh_plot_layer_marks, NULL, NULL);
  mh_plot_figure_add_layer (f, MH_PLOT_LAYER_DATA, mh_plot_layer_lines, NULL, NULL);
  mh_plot_figure_add_layer (f, MH_PLOT_LAYER_AXIS, mh_plot_layer_legend, NULL, NULL);
  return f;
}

void
mh_plot_figure_free (MhPlotFigure *f)
{
  if (f == NULL)
    return;
  g_free (f->title);
  g_free (f->x_label);
  g_free (f->axis_key);
  g_ptr_array_unref (f->series);
  g_array_unref (f->marks);
  g_array_unref (f->layers);
  g_free (f);
}

void
mh_plot_figure_set_title (MhPlotFigure *f, const char *title)
{
  g_return_if_fail (f != NULL);

  g_free (f->title);
  f->title = g_strdup (title);
}

void
mh_plot_figure_set_x_label (MhPlotFigure *f, const char *label)
{
  g_return_if_fail (f != NULL);

  g_free (f->x_label);
  f->x_label = g_strdup (label);
}

/* ---- series and marks ---------------------------------------------------------- */

int
mh_plot_figure_add_series (MhPlotFigure *f, const char *label, const GdkRGBA *light, const GdkRGBA *dark,
                           MhPlotStyle style, int source)
{
  MhPlotSeries *s;

  g_return_val_if_fail (f != NULL && light != NULL, -1);
  g_return_val_if_fail (style != MH_PLOT_SMOOTHED || (source >= 0 && (guint) source < f->series->len), -1);

  s = mh_plot_series_new (label, light, dark, style);
  if (style == MH_PLOT_SMOOTHED)
    s->source = f->series->pdata[source];
  g_ptr_array_add (f->series, s);
  return (int) f->series->len - 1;
}

MhPlotSeries *
mh_plot_figure_get_series (const MhPlotFigure *f, int index)
{
  g_return_val_if_fail (f != NULL, NULL);
  g_return_val_if_fail (index >= 0 && (guint) index < f->series->len, NULL);

  return f->series->pdata[index];
}

int
mh_plot_figure_find_series (const MhPlotFigure *f, const char *run, const char *label)
{
  g_return_val_if_fail (f != NULL, -1);

  for (guint i = 0; i < f->series->len; i++)
    {
      MhPlotSeries *s = f->series->pdata[i];
      if (g_strcmp0 (s->label, label) == 0 && (run == NULL || g_strcmp0 (s->run, run) == 0))
        return (int) i;
    }
  return -1;
}

guint
mh_plot_figure_remove_run (MhPlotFigure *f, const char *run)
{
  guint removed = 0;

  g_return_val_if_fail (f != NULL && run != NULL, 0);

  for (guint i = f->series->len; i-- > 0;)
    {
      MhPlotSeries *s = f->series->pdata[i];
      if (g_strcmp0 (s->run, run) != 0)
        continue;
      /* a smoothed line of another run keeps no pointer to a series gone */
      for (guint j = 0; j < f->series->len; j++)
        if (((MhPlotSeries *) f->series->pdata[j])->source == s)
          ((MhPlotSeries *) f->series->pdata[j])->source = NULL;
      g_ptr_array_remove_index (f->series, i);
      removed++;
    }
  return removed;
}

void
mh_plot_figure_set_visible (MhPlotFigure *f, int index, gboolean visible)
{
  MhPlotSeries *s = mh_plot_figure_get_series (f, index);

  g_return_if_fail (f != NULL);

  if (s == NULL)
    return;
  s->visible = !!visible;
  if (s->style == MH_PLOT_SMOOTHED && s->source != NULL)   /* a smoothed line takes its raw trace along */
    s->source->visible = !!visible;
}

void
mh_plot_figure_clear (MhPlotFigure *f)
{
  g_return_if_fail (f != NULL);

  g_ptr_array_set_size (f->series, 0);
  g_array_set_size (f->marks, 0);
}

void
mh_plot_figure_add_mark (MhPlotFigure *f, double x, const char *label)
{
  MhPlotMark m = { x, g_strdup (label) };

  g_return_if_fail (f != NULL);
  g_array_append_val (f->marks, m);
}

void
mh_plot_figure_set_log_scale (MhPlotFigure *f, gboolean x_log, gboolean y_log)
{
  g_return_if_fail (f != NULL);

  f->x.log = !!x_log;
  f->y.log = !!y_log;
}

void
mh_plot_figure_add_layer (MhPlotFigure *f, MhPlotLayerGroup group, MhPlotLayerFunc draw, gpointer data,
                          GDestroyNotify destroy)
{
  Layer l = { group, draw, data, destroy };

  g_return_if_fail (f != NULL && draw != NULL);
  g_array_append_val (f->layers, l);
}

guint
mh_plot_figure_remove_layers (MhPlotFigure *f, MhPlotLayerFunc draw)
{
  guint removed = 0;

  for (guint i = f->layers->len; i-- > 0;)
    if (g_array_index (f->layers, Layer, i).draw == draw)
      {
        g_array_remove_index (f->layers, i);   /* its clear function frees the data */
        removed++;
      }
  return removed;
}

/* ---- normalising ------------------------------------------------------------------ */

/* A raw trace that a smoothed line follows: its spikes would flatten the rest. */
static gboolean
is_smoothed_away (const MhPlotFigure *f, const MhPlotSeries *s)
{
  if (s->style != MH_PLOT_RAW)
    return FALSE;
  for (guint j = 0; j < f->series->len; j++)
    if (((MhPlotSeries *) f->series->pdata[j])->source == s)
      return TRUE;
  return FALSE;
}

static void
fit_x (MhPlotFigure *f)
{
  double lo = INFINITY, hi = -INFINITY;
  gboolean zoomed = !isnan (f->zoom_x0);

  if (zoomed)
    lo = f->zoom_x0, hi = f->zoom_x1;
  else
    {
      for (guint i = 0; i < f->series->len; i++)
        {
          const MhPlotSeries *s = f->series->pdata[i];
          const GArray *pts = s->points;
          /* a line's points are sorted by x: its ends will do; a scatter's are not */
          gboolean ends = s->style != MH_PLOT_POINTS && !f->x.log && pts->len > 2;
          for (guint k = 0; k < pts->len; k = ends && k == 0 ? pts->len - 1 : k + 1)
            {
              double x = g_array_index (pts, MhPlotPoint, k).x;
              if (isfinite (x) && (!f->x.log || x > 0))
                lo = MIN (lo, x), hi = MAX (hi, x);
            }
        }
      if (!isfinite (lo))
        lo = f->x.log ? 0.1 : 0, hi = 1;
      if (f->x_from_zero && !f->x.log)
        lo = MIN (lo, 0);
    }
  if (hi - lo < 1e-9 && !f->x.log)
    hi = lo + 1;
  /* to whole ticks while it grows: the axis stays put for many updates */
  mh_plot_axis_fit (&f->x, lo, hi, 7, !zoomed);
}

static void
fit_y (MhPlotFigure *f)
{
  double lo = INFINITY, hi = -INFINITY, x0 = mh_plot_axis_lower (&f->x), x1 = mh_plot_axis_upper (&f->x);
  gboolean fixed = !isnan (f->fixed_y0);

  if (fixed)
    lo = f->fixed_y0, hi = f->fixed_y1;
  else
    for (guint i = 0; i < f->series->len; i++)
      {
        MhPlotSeries *s = f->series->pdata[i];
        double a, b;
        if (s->visible && !is_smoothed_away (f, s) && mh_plot_series_y_range (s, x0, x1, f->y.log, &a, &b))
          lo = MIN (lo, a), hi = MAX (hi, b);
      }
  mh_plot_axis_fit (&f->y, lo, hi, 5, !fixed);
}

/* The legend's entries from `start` (after the title) left to right, on more
 * lines from `wrap_x` when they do not fit; returns the last line's top. */
static double
place_legend (MhPlotFigure *f, const MhPlotTheme *theme, int width, double start, double wrap_x, double line)
{
  double x = start, y = PAD;

  for (guint i = 0; i < f->series->len; i++)
    {
      MhPlotSeries *s = f->series->pdata[i];
      int w, h;
      s->legend = (MhPlotRect) { 0, 0, 0, 0 };
      if (s->style == MH_PLOT_RAW || s->label == NULL || *s->label == '\0')   /* unnamed: no entry */
        continue;
      mh_plot_text_size (theme, s->label, 0.85, FALSE, &w, &h);
      w += (int) (LEGEND_DOT + 6);
      if (x + w > width - PAD && x > MIN (start, wrap_x))
        x = wrap_x, y += line;
      s->legend = (MhPlotRect) { x, y, w, line };
      x += w + 14;
    }
  return y;
}

static void
layout_legend (MhPlotFigure *f, const MhPlotTheme *theme, int width)
{
  double line, first, y;
  int tw, th;

  mh_plot_text_size (theme, f->title ? f->title : "", 1.0, TRUE, &tw, &th);
  line = th + 4;
  first = PAD + tw + 20;
  /* after the title, more lines under the first entry — or from the left
   * edge when that takes fewer lines (a narrow plot: the curves keep the
   * room) */
  y = place_legend (f, theme, width, first, first, line);
  if (y > PAD + line && place_legend (f, theme, width, first, PAD, line) < y)
    y = place_legend (f, theme, width, first, PAD, line);
  else
    y = place_legend (f, theme, width, first, first, line);
  f->header = y + line + 6;
}

static void
update_axis_key (MhPlotFigure *f)
{
  GString *key = g_string_new (NULL);

  g_string_append_printf (key, "%d %d %.17g %.17g %.17g %.17g %d %d %u %s %s", f->width, f->height, f->x.u0, f->x.u1,
                          f->y.u0, f->y.u1, f->x.log, f->y.log, f->marks->len, f->title ? f->title : "",
                          f->x_label ? f->x_label : "");
  for (guint i = 0; i < f->series->len; i++)
    {
      MhPlotSeries *s = f->series->pdata[i];
      g_string_append_printf (key, " %c%s", s->visible ? '1' : '0', s->label ? s->label : "");
    }
  if (g_strcmp0 (key->str, f->axis_key) != 0)
    {
      g_free (f->axis_key);
      f->axis_key = g_string_free (key, FALSE);
      f->axis_serial++;
    }
  else
    g_string_free (key, TRUE);
}

void
mh_plot_figure_layout (MhPlotFigure *f, const MhPlotTheme *theme, int width, int height)
{
  double left = 0;
  int w, h;
  char buf[32];

  g_return_if_fail (f != NULL && theme != NULL);

  f->width = width, f->height = height;
  for (guint i = 0; i < f->series->len; i++)
    {
      MhPlotSeries *s = f->series->pdata[i];
      if (s->style == MH_PLOT_SMOOTHED)
        mh_plot_series_smooth (s, f->smoothing);
    }
  fit_x (f);
  fit_y (f);
  layout_legend (f, theme, width);
  for (guint i = 0; i < f->y.n_ticks; i++)
    {
      mh_plot_axis_format (&f->y, mh_plot_axis_tick (&f->y, i), buf, sizeof buf);
      mh_plot_text_size (theme, buf, 0.8, FALSE, &w, &h);
      left = MAX (left, w);
    }
  mh_plot_text_size (theme, "0", 0.8, FALSE, &w, &h);
  f->frame = (MhPlotRect) { PAD + left + TICK_GAP, f->header,
                            MAX (1, width - (PAD + left + TICK_GAP) - PAD - 4),
                            MAX (1, height - f->header - h - TICK_GAP - PAD) };
  g_assert (f->frame.width >= 1 && f->frame.height >= 1);
  for (guint i = 0; i < f->series->len; i++)
    mh_plot_series_trace (f->series->pdata[i], &f->x, &f->y, &f->frame);
  update_axis_key (f);
}

void
mh_plot_figure_draw (const MhPlotFigure *f, cairo_t *cr, const MhPlotTheme *theme, MhPlotLayerGroup groups)
{
  g_return_if_fail (f != NULL && cr != NULL && theme != NULL);

  for (guint i = 0; i < f->layers->len; i++)
    {
      Layer *l = &g_array_index (f->layers, Layer, i);
      if ((l->group & groups) == 0)
        continue;
      cairo_save (cr);
      l->draw (f, cr, theme, l->data);
      cairo_restore (cr);
    }
}

static void
draw_export (cairo_t *cr, int width, int height, const MhPlotTheme *theme, gpointer data)
{
  mh_plot_figure_draw (data, cr, theme, MH_PLOT_LAYER_ALL);
}

gboolean
mh_plot_figure_export (MhPlotFigure *f, const MhPlotTheme *theme, const char *path, int width, int height,
                       GError **error)
{
  g_return_val_if_fail (f != NULL && theme != NULL && path != NULL, FALSE);

  mh_plot_figure_layout (f, theme, width, height);
  return mh_plot_export_drawing (path, width, height, theme, draw_export, f, error);
}

/* ---- questions ---------------------------------------------------------------------- */

gboolean
mh_plot_figure_map (const MhPlotFigure *f, double x, double y, double *px, double *py)
{
  g_return_val_if_fail (f != NULL && px != NULL && py != NULL, FALSE);

  return mh_plot_map (&f->x, &f->y, &f->frame, x, y, px, py);
}

gboolean
mh_plot_figure_unmap (const MhPlotFigure *f, double px, double py, double *x, double *y)
{
  g_return_val_if_fail (f != NULL && x != NULL && y != NULL, FALSE);

  return mh_plot_unmap (&f->x, &f->y, &f->frame, px, py, x, y);
}

int
mh_plot_figure_legend_at (const MhPlotFigure *f, double px, double py)
{
  g_return_val_if_fail (f != NULL, -1);

  for (guint i = 0; i < f->series->len; i++)
    {
      const MhPlotRect *r = &((MhPlotSeries *) f->series->pdata[i])->legend;
      if (r->width > 0 && px >= r->x && px < r->x + r->width && py >= r->y && py < r->y + r->height)
        return (int) i;
    }
  return -1;
}

GArray *
mh_plot_figure_read (const MhPlotFigure *f, double px, double py)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (MhPlotReading));
  double x, y, span = mh_plot_axis_upper (&f->x) - mh_plot_axis_lower (&f->x);

  if (!mh_plot_figure_unmap (f, px, py, &x, &y))
    return out;
  for (guint i = 0; i < f->series->len; i++)
    {
      const MhPlotSeries *s = f->series->pdata[i];
      const GArray *pts = mh_plot_series_points (s);
      int k;
      MhPlotReading r;
      if (!s->visible || s->style == MH_PLOT_RAW || (k = mh_plot_series_nearest (s, x)) < 0)
        continue;
      r = (MhPlotReading) { s, (guint) k, g_array_index (pts, MhPlotPoint, k).x, mh_plot_series_y (s, (guint) k),
                            g_array_index (pts, MhPlotPoint, k).y };
      if (!isfinite (r.y))
        continue;
      if (s->style == MH_PLOT_MARKERS && fabs (r.x - x) > fabs (span) * 0.04)
        continue;   /* an epoch's figure, shown near its step only */
      if (s->style == MH_PLOT_POINTS)
        {
          double dx, dy;
          if (!mh_plot_figure_map (f, r.x, r.y, &dx, &dy) || hypot (dx - px, dy - py) > 12)
            continue;
        }
      g_array_append_val (out, r);
    }
  return out;
}
