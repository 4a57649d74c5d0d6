/* mh-plot.h — a chart widget: a figure (mh-plot-figure.h: an axis for x and
 * one for y, normalised series, small drawing layers) on screen, Sysprof's
 * way.  Data is normalised to pixels on the frame clock, not in snapshot();
 * each group of layers is cached as one render node until the data, the
 * size or the view changes; the pointer's readout is drawn over them.
 *
 * Linear or logarithmic y; automatic ranges, or a fixed y range; zoom to an
 * x range by dragging (double-click: everything again); a legend whose
 * entries show and hide their series; a readout of every series at the
 * pointer's step; smoothed series (exponential moving average of another
 * series, adjustable); vertical marks (epochs); series of several runs
 * told apart by dash; export as PNG, SVG or PDF. */
#pragma once

#include <gtk/gtk.h>
#include "mh-plot-figure.h"

G_BEGIN_DECLS

#define MH_TYPE_PLOT (mh_plot_get_type ())
G_DECLARE_FINAL_TYPE (MhPlot, mh_plot, MH, PLOT, GtkWidget)

GtkWidget  *mh_plot_new                (void);
void        mh_plot_set_title          (MhPlot *self, const char *title);
void        mh_plot_set_x_label        (MhPlot *self, const char *label);

/* Series: returns its index.  `dark`: the colour on a dark background (NULL:
 * the same).  source: for MH_PLOT_SMOOTHED the series it smooths, else -1;
 * a RAW series is shown and hidden with the series that smooths it. */
int         mh_plot_add_series         (MhPlot *self, const char *label, const GdkRGBA *light,
                                        const GdkRGBA *dark, MhPlotStyle style, int source);
guint       mh_plot_get_n_series       (MhPlot *self);
void        mh_plot_append             (MhPlot *self, int series, double x, double y);
/* Remove every series and mark. */
void        mh_plot_clear              (MhPlot *self);
guint       mh_plot_get_n_points       (MhPlot *self, int series);
void        mh_plot_set_series_visible (MhPlot *self, int series, gboolean visible);
gboolean    mh_plot_get_series_visible (MhPlot *self, int series);
/* The run a series shows and its dash (several runs on one plot). */
void        mh_plot_set_series_run     (MhPlot *self, int series, const char *run, MhPlotDash dash);
/* A vertical line at x with a short label ("epoch 2"). */
void        mh_plot_add_mark           (MhPlot *self, double x, const char *label);

void        mh_plot_set_log_scale      (MhPlot *self, gboolean log_scale);
gboolean    mh_plot_get_log_scale      (MhPlot *self);
/* 0 (none) … 0.999: the weight of the past in the moving average
 * (the "smoothing" property). */
void        mh_plot_set_smoothing      (MhPlot *self, double smoothing);
/* A fixed y range (NAN, NAN: automatic). */
void        mh_plot_set_y_range        (MhPlot *self, double lower, double upper);
/* Show x in [lower, upper] (NAN, NAN: everything). */
void        mh_plot_set_x_range        (MhPlot *self, double lower, double upper);
void        mh_plot_reset_zoom         (MhPlot *self);

/* The figure shown, to add layers or change series; call
 * mh_plot_queue_update() after changing it directly. */
MhPlotFigure *mh_plot_get_figure       (MhPlot *self);
void        mh_plot_queue_update       (MhPlot *self);

/* Where a value is drawn, in widget pixels, at the current size; FALSE
 * when the plot has no room or (log scale) y ≤ 0. */
gboolean    mh_plot_value_to_point     (MhPlot *self, double x, double y, double *px, double *py);
gboolean    mh_plot_point_to_value     (MhPlot *self, double px, double py, double *x, double *y);

/* Items of the caller's at the top of the context menu (right click): the
 * function gets the point's value (x, y) and gives a section (transfer
 * full), or NULL for none there. */
typedef GMenuModel *(*MhPlotMenuFunc) (MhPlot *plot, double x, double y, gpointer data);
void        mh_plot_set_menu_func      (MhPlot *self, MhPlotMenuFunc func, gpointer data);
/* The context menu a right click at (px, py) opens: the caller's section, then the plot's. */
GMenuModel *mh_plot_dup_menu           (MhPlot *self, double px, double py);

/* The plot drawn at width × height on its background, as a PNG, an SVG
 * or a PDF (by the file's extension). */
gboolean    mh_plot_export             (MhPlot *self, const char *path, int width, int height,
                                        GError **error);

G_END_DECLS
