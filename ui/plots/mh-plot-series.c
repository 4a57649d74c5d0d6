/* mh-plot-series.c — a series' points, smoothing and normalised path. */
#include <math.h>
#include "mh-plot-series.h"

MhPlotSeries *
mh_plot_series_new (const char *label, const GdkRGBA *light, const GdkRGBA *dark, MhPlotStyle style)
{
  MhPlotSeries *s;

  g_return_val_if_fail (light != NULL, NULL);

  s = g_new0 (MhPlotSeries, 1);
  s->label = g_strdup (label);
  s->light = *light;
  s->dark = dark != NULL ? *dark : *light;
  s->style = style;
  s->visible = TRUE;
  s->points = g_array_new (FALSE, FALSE, sizeof (MhPlotPoint));
  s->smooth = g_array_new (FALSE, FALSE, sizeof (double));
  s->path = g_array_new (FALSE, FALSE, sizeof (MhPlotPoint));
  return s;
}

void
mh_plot_series_free (MhPlotSeries *s)
{
  if (s == NULL)
    return;
  g_free (s->label);
  g_free (s->run);
  g_array_unref (s->points);
  g_array_unref (s->smooth);
  g_array_unref (s->path);
  g_free (s);
}

void
mh_plot_series_set_run (MhPlotSeries *s, const char *run)
{
  g_return_if_fail (s != NULL);

  g_free (s->run);
  s->run = g_strdup (run);
}

void
mh_plot_series_append (MhPlotSeries *s, double x, double y)
{
  MhPlotPoint p = { x, y };

  g_return_if_fail (s != NULL);
  g_array_append_val (s->points, p);
}

const GArray *
mh_plot_series_points (const MhPlotSeries *s)
{
  if (s->style == MH_PLOT_SMOOTHED && s->source != NULL)
    return s->source->points;
  return s->points;
}

double
mh_plot_series_y (const MhPlotSeries *s, guint i)
{
  if (s->style == MH_PLOT_SMOOTHED)
    return i < s->smooth->len ? g_array_index (s->smooth, double, i) : NAN;
  return i < s->points->len ? g_array_index (s->points, MhPlotPoint, i).y : NAN;
}

void
mh_plot_series_smooth (MhPlotSeries *s, double a)
{
  const GArray *pts = mh_plot_series_points (s);
  double last = 0, weight = 0;

  g_return_if_fail (s->style == MH_PLOT_SMOOTHED);

  a = CLAMP (a, 0, 0.999);
  g_array_set_size (s->smooth, pts->len);
  for (guint i = 0; i < pts->len; i++)
    {
      double y = g_array_index (pts, MhPlotPoint, i).y;
      if (!isfinite (y))
        {
          g_array_index (s->smooth, double, i) = NAN;
          continue;
        }
      last = last * a + (1 - a) * y;
      weight = weight * a + (1 - a);
      g_array_index (s->smooth, double, i) = last / weight;
    }
}

gboolean
mh_plot_series_y_range (const MhPlotSeries *s, double x0, double x1, gboolean log, double *lo, double *hi)
{
  const GArray *pts = mh_plot_series_points (s);
  double a = INFINITY, b = -INFINITY;

  for (guint k = 0; k < pts->len; k++)
    {
      double x = g_array_index (pts, MhPlotPoint, k).x, y = mh_plot_series_y (s, k);
      if (x < x0 || x > x1 || !isfinite (y) || (log && y <= 0))
        continue;
      a = MIN (a, y), b = MAX (b, y);
    }
  if (!isfinite (a))
    return FALSE;
  *lo = a, *hi = b;
  return TRUE;
}

gboolean
mh_plot_map (const MhPlotAxis *xa, const MhPlotAxis *ya, const MhPlotRect *f, double x, double y, double *px,
             double *py)
{
  double tx, ty;

  if (f->width <= 1 || f->height <= 1 || !mh_plot_axis_to_unit (xa, x, &tx) || !mh_plot_axis_to_unit (ya, y, &ty))
    return FALSE;
  *px = f->x + tx * f->width;
  *py = f->y + f->height - ty * f->height;
  return TRUE;
}

gboolean
mh_plot_unmap (const MhPlotAxis *xa, const MhPlotAxis *ya, const MhPlotRect *f, double px, double py, double *x,
               double *y)
{
  if (f->width <= 1 || f->height <= 1)
    return FALSE;
  *x = mh_plot_axis_from_unit (xa, (px - f->x) / f->width);
  *y = mh_plot_axis_from_unit (ya, (f->y + f->height - py) / f->height);
  return TRUE;
}

static void
add (GArray *path, MhPlotPoint p)
{
  g_array_append_val (path, p);
}

void
mh_plot_series_trace (MhPlotSeries *s, const MhPlotAxis *xa, const MhPlotAxis *ya, const MhPlotRect *frame)
{
  const GArray *pts = mh_plot_series_points (s);
  double lo_px = frame->x, hi_px = frame->x + frame->width;
  gboolean every = s->style == MH_PLOT_MARKERS || s->style == MH_PLOT_POINTS || pts->len < (guint) frame->width;
  MhPlotPoint first = { 0 }, low = { 0 }, high = { 0 }, last = { 0 };
  int column = G_MININT;
  guint n_in = 0;

  g_array_set_size (s->path, 0);
  if (!s->visible)
    return;
  for (guint i = 0; i < pts->len; i++)
    {
      double px, py;
      int c;
      if (!mh_plot_map (xa, ya, frame, g_array_index (pts, MhPlotPoint, i).x, mh_plot_series_y (s, i), &px, &py)
          || px < lo_px - 40 || px > hi_px + 40)
        continue;
      if (every)
        {
          add (s->path, (MhPlotPoint) { px, py });
          continue;
        }
      /* one pixel column: its first, lowest, highest and last points */
      c = (int) floor (px);
      if (c != column)
        {
          if (n_in > 0)
            {
              add (s->path, first);
              if (n_in > 2)
                {
                  gboolean low_first = low.x <= high.x;
                  add (s->path, low_first ? low : high);
                  add (s->path, low_first ? high : low);
                }
              if (n_in > 1)
                add (s->path, last);
            }
          column = c;
          first = low = high = (MhPlotPoint) { px, py };
          n_in = 0;
        }
      n_in++;
      last = (MhPlotPoint) { px, py };
      if (py > low.y)
        low = last;
      if (py < high.y)
        high = last;
    }
  if (n_in > 0)
    {
      add (s->path, first);
      if (n_in > 2)
        {
          gboolean low_first = low.x <= high.x;
          add (s->path, low_first ? low : high);
          add (s->path, low_first ? high : low);
        }
      if (n_in > 1)
        add (s->path, last);
    }
}

int
mh_plot_series_nearest (const MhPlotSeries *s, double x)
{
  const GArray *pts = mh_plot_series_points (s);
  guint lo = 0, hi = pts->len;

  if (pts->len == 0)
    return -1;
  if (s->style == MH_PLOT_POINTS)   /* in any order */
    {
      int best = 0;
      for (guint i = 1; i < pts->len; i++)
        if (fabs (g_array_index (pts, MhPlotPoint, i).x - x) < fabs (g_array_index (pts, MhPlotPoint, best).x - x))
          best = (int) i;
      return best;
    }
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (g_array_index (pts, MhPlotPoint, mid).x < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == pts->len || (lo > 0 && x - g_array_index (pts, MhPlotPoint, lo - 1).x
                                   < g_array_index (pts, MhPlotPoint, lo).x - x))
    lo--;
  return (int) lo;
}
