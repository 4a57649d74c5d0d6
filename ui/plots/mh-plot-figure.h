/* mh-plot-figure.h — a chart without a widget (Sysprof's way): an x and a y
 * axis, normalised series, vertical marks, a title and a legend, drawn by a
 * list of small layers on any cairo_t.  mh_plot_figure_layout() normalises
 * (ranges, ticks, the frame, the legend, every series' path in pixels) for
 * a size; the layers only draw what it computed.  The plot widget
 * (mh-plot.h) shows one, caching its layers as render nodes; export and the
 * command line draw one on a file's surface.
 *
 * The standard layers (mh-plot-layers.h) are added by mh_plot_figure_new():
 * grid, marks, lines (the series) and legend; add more with
 * mh_plot_figure_add_layer() (a Pareto front on a trade-off scatter, …). */
#pragma once

#include <cairo.h>
#include "mh-plot-axis.h"
#include "mh-plot-series.h"
#include "mh-plot-theme.h"

G_BEGIN_DECLS

typedef struct _MhPlotFigure MhPlotFigure;

/* What a layer's drawing depends on: the axes, marks, title and legend
 * (drawn again when they change), or the data (each time it changes). */
typedef enum {
  MH_PLOT_LAYER_AXIS = 1 << 0,
  MH_PLOT_LAYER_DATA = 1 << 1,
  MH_PLOT_LAYER_ALL  = MH_PLOT_LAYER_AXIS | MH_PLOT_LAYER_DATA,
} MhPlotLayerGroup;

typedef void (*MhPlotLayerFunc) (const MhPlotFigure *figure, cairo_t *cr, const MhPlotTheme *theme, gpointer data);

typedef struct {
  double  x;
  char   *label;   /* NULL: a line alone */
} MhPlotMark;

/* One reading under the pointer: series s at its point `index`. */
typedef struct {
  const MhPlotSeries *series;
  guint               index;
  double              x, y;    /* y: what is drawn (a smoothed series: the average) */
  double              raw;     /* a smoothed series: its source's y; else y */
} MhPlotReading;

struct _MhPlotFigure
{
  char        *title;
  char        *x_label;
  GPtrArray   *series;      /* MhPlotSeries, owned */
  GArray      *marks;       /* MhPlotMark */
  GArray      *layers;      /* the drawing layers, in order */
  double       smoothing;   /* of SMOOTHED series: 0 … 0.999 */
  double       fixed_y0, fixed_y1;   /* NAN: automatic */
  double       zoom_x0, zoom_x1;     /* NAN: everything */
  gboolean     x_from_zero;          /* automatic x starts at 0 or before (TRUE: steps) */

  /* normalised by mh_plot_figure_layout() */
  int          width, height;
  MhPlotAxis   x, y;        /* x.log, y.log: set with mh_plot_figure_set_log_scale() */
  MhPlotRect   frame;       /* the plotting area, in pixels */
  double       header;      /* height of the title and legend */
  guint        axis_serial; /* changes when what the AXIS layers draw changes */
  char        *axis_key;
};

MhPlotFigure *mh_plot_figure_new          (void);
void          mh_plot_figure_free         (MhPlotFigure *figure);

void          mh_plot_figure_set_title    (MhPlotFigure *figure, const char *title);
void          mh_plot_figure_set_x_label  (MhPlotFigure *figure, const char *label);

/* A series: returns its index.  `dark`: the colour on a dark background
 * (NULL: the same).  source: for MH_PLOT_SMOOTHED the index of the series
 * it smooths, else -1; a RAW series is shown and hidden with the series
 * that smooths it. */
int           mh_plot_figure_add_series   (MhPlotFigure *figure, const char *label, const GdkRGBA *light,
                                           const GdkRGBA *dark, MhPlotStyle style, int source);
MhPlotSeries *mh_plot_figure_get_series   (const MhPlotFigure *figure, int index);
/* The index of the series with that label (and run, if not NULL), or -1. */
int           mh_plot_figure_find_series  (const MhPlotFigure *figure, const char *run, const char *label);
/* Removes the series of a run (indices after them move down); how many. */
guint         mh_plot_figure_remove_run   (MhPlotFigure *figure, const char *run);
void          mh_plot_figure_set_visible  (MhPlotFigure *figure, int index, gboolean visible);
/* Removes every series and mark. */
void          mh_plot_figure_clear        (MhPlotFigure *figure);
void          mh_plot_figure_add_mark     (MhPlotFigure *figure, double x, const char *label);
void          mh_plot_figure_set_log_scale (MhPlotFigure *figure, gboolean x_log, gboolean y_log);

/* Appends a drawing layer (data: owned if destroy is not NULL). */
void          mh_plot_figure_add_layer    (MhPlotFigure *figure, MhPlotLayerGroup group, MhPlotLayerFunc draw,
                                           gpointer data, GDestroyNotify destroy);

/* Removes the layers that `draw` draws (their data freed); how many. */
guint         mh_plot_figure_remove_layers (MhPlotFigure *figure, MhPlotLayerFunc draw);

/* Normalises for a width × height drawing (theme: for measuring text). */
void          mh_plot_figure_layout       (MhPlotFigure *figure, const MhPlotTheme *theme, int width, int height);
/* Runs the layers of `groups` on cr, in order (after layout). */
void          mh_plot_figure_draw         (const MhPlotFigure *figure, cairo_t *cr, const MhPlotTheme *theme,
                                           MhPlotLayerGroup groups);
/* Lays it out at width × height and saves it as PNG, SVG or PDF (by the
 * file's extension). */
gboolean      mh_plot_figure_export       (MhPlotFigure *figure, const MhPlotTheme *theme, const char *path,
                                           int width, int height, GError **error);

/* Where a value is drawn, in pixels, after layout; FALSE if nowhere. */
gboolean      mh_plot_figure_map          (const MhPlotFigure *figure, double x, double y, double *px, double *py);
gboolean      mh_plot_figure_unmap        (const MhPlotFigure *figure, double px, double py, double *x, double *y);
/* The series whose legend entry is at (px, py), or -1. */
int           mh_plot_figure_legend_at    (const MhPlotFigure *figure, double px, double py);
/* What the readout shows for the pointer at pixel (px, py): each visible
 * line's point nearest in x (a MARKERS series only within 4 % of the range
 * of it, POINTS only within 12 pixels), raw traces left out.  Free with
 * g_array_unref. */
GArray       *mh_plot_figure_read         (const MhPlotFigure *figure, double px, double py);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhPlotFigure, mh_plot_figure_free)

G_END_DECLS
