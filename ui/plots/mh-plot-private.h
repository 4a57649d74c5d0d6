/* mh-plot-private.h — what mh-plot.c (the widget, data, input) and
 * mh-plot-draw.c (normalising and the drawing layers) share. */
#pragma once

#include "mh-plot.h"

G_BEGIN_DECLS

typedef struct {
  double x, y;
} MhPlotPoint;

typedef struct {
  char            *label;
  GdkRGBA          light, dark;
  MhPlotStyle      style;
  int              source;     /* SMOOTHED: the series it smooths */
  gboolean         visible;
  GArray          *points;     /* MhPlotPoint; SMOOTHED: none (its source's) */
  GArray          *smooth;     /* SMOOTHED: a double per source point */
  /* normalised */
  GArray          *path;       /* MhPlotPoint in widget pixels */
  graphene_rect_t  legend;     /* its legend entry; empty: none */
} MhPlotSeries;

typedef struct {
  double x;
  char  *label;
} MhPlotMark;

struct _MhPlot
{
  GtkWidget        parent_instance;

  char            *title;
  char            *x_label;
  GPtrArray       *series;     /* MhPlotSeries */
  GArray          *marks;      /* MhPlotMark */
  gboolean         log_scale;
  double           smoothing;
  double           fixed_y0, fixed_y1;   /* NAN: automatic */
  double           zoom_x0, zoom_x1;     /* NAN: everything */

  /* normalised, for `width` × `height`; `dirty` when the data changed */
  gboolean         dirty;
  guint            tick_id;
  gint64           last_update;   /* frame time of the last normalising */
  int              width, height;
  graphene_rect_t  frame;      /* the plotting area */
  double           x0, x1;     /* the x range shown */
  double           y0, y1;     /* the y range shown (log10 of it on a log scale) */
  GArray          *x_ticks, *y_ticks;   /* double, in the shown units */
  double           header;     /* height of the title and legend */
  GskRenderNode   *cache;      /* the series */
  GskRenderNode   *axis_cache; /* grid, ticks, marks, title, legend: they change more rarely */
  char            *axis_key;   /* what axis_cache was drawn for */

  /* the pointer */
  gboolean         hover;
  double           hover_x, hover_y;
  gboolean         dragging;
  double           drag_from, drag_to;   /* widget x */
  GtkWidget       *menu;
};

typedef struct {
  GdkRGBA fg, bg, dim, grid;
  gboolean dark;
} MhPlotPalette;

/* mh-plot-draw.c */
void           _mh_plot_palette   (MhPlot *self, MhPlotPalette *pal);
/* Ranges, ticks, frame, legend and every visible series' path, for a
 * width × height drawing. */
void           _mh_plot_normalise (MhPlot *self, int width, int height);
/* Everything but the pointer's part, on a background (export). */
GskRenderNode *_mh_plot_build     (MhPlot *self, const MhPlotPalette *pal, gboolean background);
/* The two cached parts: grid, ticks, marks, title and legend; the series. */
GskRenderNode *_mh_plot_build_axis   (MhPlot *self, const MhPlotPalette *pal);
GskRenderNode *_mh_plot_build_series (MhPlot *self, const MhPlotPalette *pal);
/* The pointer's part: the step line, the dots, the readout; the zoom band. */
void           _mh_plot_overlay   (MhPlot *self, GtkSnapshot *snap, const MhPlotPalette *pal);
double         _mh_plot_y_value   (MhPlot *self, MhPlotSeries *s, guint i);
const GArray  *_mh_plot_points    (MhPlot *self, MhPlotSeries *s);

G_END_DECLS
