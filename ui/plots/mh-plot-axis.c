/* mh-plot-axis.c — ranges, ticks and labels of one axis. */
#include <math.h>
#include "mh-format.h"
#include "mh-plot-axis.h"

void
mh_plot_axis_init (MhPlotAxis *axis, gboolean log)
{
  g_return_if_fail (axis != NULL);

  *axis = (MhPlotAxis) { .log = !!log, .u0 = 0, .u1 = 1, .step = 0.25 };
  mh_plot_axis_fit (axis, NAN, NAN, 5, FALSE);
}

static double
nice_number (double x, gboolean round_it)
{
  double e = floor (log10 (x)), f = x / pow (10, e), n;

  if (round_it)
    n = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  else
    n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return n * pow (10, e);
}

static void
add_tick (MhPlotAxis *axis, double t)
{
  if (axis->n_ticks < MH_PLOT_AXIS_MAX_TICKS)
    axis->ticks[axis->n_ticks++] = t;
}

static void
linear_ticks (MhPlotAxis *axis, double lo, double hi, int target, gboolean widen)
{
  double range = nice_number (MAX (hi - lo, 1e-12), FALSE);
  double step = nice_number (range / MAX (target - 1, 1), TRUE);

  if (widen)
    {
      lo = floor (lo / step) * step;
      hi = ceil (hi / step) * step;
    }
  axis->u0 = lo, axis->u1 = hi, axis->step = step;
  axis->n_ticks = 0;
  for (double t = ceil (lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
    add_tick (axis, fabs (t) < step * 1e-9 ? 0 : t);
}

static void
log_ticks (MhPlotAxis *axis, double lo, double hi)
{
  double a = floor (lo), b = ceil (hi);

  if (b - a < 1)
    b = a + 1;
  axis->u0 = a, axis->u1 = b, axis->step = 1;
  axis->n_ticks = 0;
  for (double d = a; d <= b + 1e-9; d++)
    {
      add_tick (axis, d);
      if (b - a <= 2 && d < b)
        {
          add_tick (axis, d + log10 (2));
          add_tick (axis, d + log10 (5));
        }
    }
}

void
mh_plot_axis_fit (MhPlotAxis *axis, double lo, double hi, int n_ticks, gboolean widen)
{
  g_return_if_fail (axis != NULL);

  if (!isfinite (lo) || !isfinite (hi) || hi < lo)
    lo = axis->log ? 0.1 : 0, hi = 1;
  if (axis->log)
    log_ticks (axis, log10 (MAX (lo, 1e-12)), log10 (MAX (hi, 1e-12)));
  else
    {
      if (hi - lo < 1e-9)
        lo -= 0.5, hi += 0.5;
      linear_ticks (axis, lo, hi, n_ticks, widen);
    }
}

gboolean
mh_plot_axis_to_unit (const MhPlotAxis *axis, double value, double *fraction)
{
  double u;

  if (axis->log)
    {
      if (!(value > 0))
        return FALSE;
      u = log10 (value);
    }
  else
    u = value;
  if (!isfinite (u))
    return FALSE;
  *fraction = (u - axis->u0) / (axis->u1 - axis->u0);
  return TRUE;
}

double
mh_plot_axis_from_unit (const MhPlotAxis *axis, double fraction)
{
  double u = axis->u0 + fraction * (axis->u1 - axis->u0);

  return axis->log ? pow (10, u) : u;
}

double
mh_plot_axis_tick (const MhPlotAxis *axis, guint i)
{
  g_return_val_if_fail (i < axis->n_ticks, NAN);
  return axis->log ? pow (10, axis->ticks[i]) : axis->ticks[i];
}

double
mh_plot_axis_lower (const MhPlotAxis *axis)
{
  return axis->log ? pow (10, axis->u0) : axis->u0;
}

double
mh_plot_axis_upper (const MhPlotAxis *axis)
{
  return axis->log ? pow (10, axis->u1) : axis->u1;
}

void
mh_plot_axis_format (const MhPlotAxis *axis, double value, char *buf, gsize len)
{
  double a = fabs (value), step = axis->log ? value : axis->step;

  if (value == 0)
    g_snprintf (buf, len, "0");
  else if (a >= 10000 || a < 1e-3)
    g_snprintf (buf, len, "%.0e", value);
  else
    {
      int digits = step > 0 ? MAX (0, (int) ceil (-log10 (fabs (step)) - 1e-9)) : 3;
      g_snprintf (buf, len, "%.*f", MIN (digits, 4), value);
    }
  {
    /* the window's decimal separator (mh-format.h) */
    g_autofree char *local = mh_format_localise (buf, FALSE);
    g_strlcpy (buf, local, len);
  }
}
