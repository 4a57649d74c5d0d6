/* mh-plot-axis.h — one axis of a chart: the range it shows, linear or
 * logarithmic, its ticks and their labels, and where a value falls on it.
 * Plain C (no widget): the figure (mh-plot-figure.h) has one for x and one
 * for y; the matrices' colour scales can use one too. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MH_PLOT_AXIS_MAX_TICKS 32

typedef struct {
  gboolean log;                             /* log10 scale: values ≤ 0 have no place */
  double   u0, u1;                          /* the range shown, in axis units: values, or their log10 */
  double   ticks[MH_PLOT_AXIS_MAX_TICKS];   /* in axis units */
  guint    n_ticks;
  double   step;                            /* between linear ticks (the labels' digits) */
} MhPlotAxis;

/* A linear (or log) axis over [0, 1] (log: [1, 10]). */
void     mh_plot_axis_init   (MhPlotAxis *axis, gboolean log);
/* Shows the values lo … hi (both NAN: nothing to show, a default range)
 * with about n_ticks ticks.  widen: out to whole ticks, so that the axis
 * stays put while the data grows.  A log axis always shows whole decades
 * (and 2 and 5 within them when it spans two or fewer); values ≤ 0 are
 * left out of lo. */
void     mh_plot_axis_fit    (MhPlotAxis *axis, double lo, double hi, int n_ticks, gboolean widen);
/* Where value is, as a fraction of the range (0 at the start, 1 at the end;
 * outside the range: below 0 or above 1).  FALSE: not finite, or ≤ 0 on a
 * log axis. */
gboolean mh_plot_axis_to_unit   (const MhPlotAxis *axis, double value, double *fraction);
double   mh_plot_axis_from_unit (const MhPlotAxis *axis, double fraction);
/* The i-th tick as a value; the shown range's ends as values. */
double   mh_plot_axis_tick      (const MhPlotAxis *axis, guint i);
double   mh_plot_axis_lower     (const MhPlotAxis *axis);
double   mh_plot_axis_upper     (const MhPlotAxis *axis);
/* A tick label: as many digits as the ticks' spacing needs, 1e-04 for
 * the very small and very large. */
void     mh_plot_axis_format    (const MhPlotAxis *axis, double value, char *buf, gsize len);

G_END_DECLS
