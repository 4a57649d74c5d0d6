/* mh-plot-series.h — one series of a chart: its points in data units, how
 * it is drawn (role, dash, width, colour for light and dark), which run it
 * belongs to, and its normalised form: a polyline in pixels with at most a
 * few points per pixel column, computed when the data or the size changes,
 * never while drawing.  Plain C: the figure (mh-plot-figure.h) owns its
 * series; read the fields, change them through the figure or these calls. */
#pragma once

#include <gdk/gdk.h>
#include "mh-plot-axis.h"

G_BEGIN_DECLS

typedef enum {
  MH_PLOT_LINE,       /* a line through the points (sorted by x) */
  MH_PLOT_RAW,        /* a thin, faint line: the raw trace under its smoothed series */
  MH_PLOT_SMOOTHED,   /* the moving average of another series (`source`), drawn as a line */
  MH_PLOT_MARKERS,    /* dots joined by a dashed line (a figure per epoch: validation) */
  MH_PLOT_POINTS,     /* dots alone, in any order (a scatter: one point per run) */
} MhPlotStyle;

typedef enum {
  MH_PLOT_DASH_DEFAULT,   /* the style's: solid, MARKERS dashed */
  MH_PLOT_DASH_SOLID,
  MH_PLOT_DASH_DASHED,
  MH_PLOT_DASH_DOTTED,
} MhPlotDash;

typedef struct {
  double x, y;
} MhPlotPoint;

typedef struct {
  double x, y, width, height;
} MhPlotRect;

typedef struct _MhPlotSeries MhPlotSeries;

struct _MhPlotSeries
{
  char          *label;     /* in the legend and the readout */
  char          *run;       /* the run it shows (NULL: none); a comparison overlays several */
  GdkRGBA        light, dark;
  MhPlotStyle    style;
  MhPlotDash     dash;
  double         width;     /* line width in pixels; 0: the style's */
  MhPlotSeries  *source;    /* SMOOTHED: the series it smooths (the figure owns both) */
  gboolean       visible;
  GArray        *points;    /* MhPlotPoint; SMOOTHED: none (its source's) */
  GArray        *smooth;    /* SMOOTHED: a double per source point */
  /* normalised by the figure */
  GArray        *path;      /* MhPlotPoint in pixels */
  MhPlotRect     legend;    /* its legend entry; width 0: none */
};

MhPlotSeries *mh_plot_series_new      (const char *label, const GdkRGBA *light, const GdkRGBA *dark,
                                       MhPlotStyle style);
void          mh_plot_series_free     (MhPlotSeries *series);
void          mh_plot_series_set_run  (MhPlotSeries *series, const char *run);
void          mh_plot_series_append   (MhPlotSeries *series, double x, double y);

/* The points it draws (a smoothed series: its source's) and its i-th y. */
const GArray *mh_plot_series_points   (const MhPlotSeries *series);
double        mh_plot_series_y        (const MhPlotSeries *series, guint i);
/* SMOOTHED: the exponential moving average of the source, debiased (as
 * TensorBoard's); `a` in [0, 0.999] is the weight of the past. */
void          mh_plot_series_smooth   (MhPlotSeries *series, double a);
/* The range of y over the points whose x is in [x0, x1] (log: y > 0 only). */
gboolean      mh_plot_series_y_range  (const MhPlotSeries *series, double x0, double x1, gboolean log,
                                       double *lo, double *hi);
/* The path in pixels through `frame`: a point per data point while there
 * are fewer than pixel columns, else each column's first, lowest,
 * highest and last (the shape of a noisy trace survives); POINTS and
 * MARKERS keep every point. */
void          mh_plot_series_trace    (MhPlotSeries *series, const MhPlotAxis *x, const MhPlotAxis *y,
                                       const MhPlotRect *frame);
/* The index of the point nearest to x (LINE etc.: points sorted by x), or -1. */
int           mh_plot_series_nearest  (const MhPlotSeries *series, double x);

/* Where (x, y) is drawn in frame, in pixels (y grows down); FALSE if
 * nowhere (not finite, or ≤ 0 on a log axis, or no room). */
gboolean      mh_plot_map             (const MhPlotAxis *xa, const MhPlotAxis *ya, const MhPlotRect *frame,
                                       double x, double y, double *px, double *py);
gboolean      mh_plot_unmap           (const MhPlotAxis *xa, const MhPlotAxis *ya, const MhPlotRect *frame,
                                       double px, double py, double *x, double *y);

G_END_DECLS
