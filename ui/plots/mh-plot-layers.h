/* mh-plot-layers.h — the small drawing layers of a figure, each on a plain
 * cairo_t from what mh_plot_figure_layout() computed: nothing here
 * measures data or decides ranges.  The first four are a figure's
 * standard layers (MhPlotLayerFunc); the pointer's two are drawn by the
 * widget over its cached layers. */
#pragma once

#include "mh-plot-figure.h"

G_BEGIN_DECLS

/* Horizontal grid lines, the ticks' labels, the x label, the x axis line. */
void mh_plot_layer_grid    (const MhPlotFigure *figure, cairo_t *cr, const MhPlotTheme *theme, gpointer data);
/* The marks: vertical lines with their labels (every n-th when crowded). */
void mh_plot_layer_marks   (const MhPlotFigure *figure, cairo_t *cr, const MhPlotTheme *theme, gpointer data);
/* Every visible series' path: raw traces first, faint; then lines,
 * markers (dots on a dashed line) and points, in their dash and width. */
void mh_plot_layer_lines   (const MhPlotFigure *figure, cairo_t *cr, const MhPlotTheme *theme, gpointer data);
/* The title and the legend (a hidden series' entry faded). */
void mh_plot_layer_legend  (const MhPlotFigure *figure, cairo_t *cr, const MhPlotTheme *theme, gpointer data);

/* The pointer at (px, py): a line at the readings' x, a dot on each and a
 * box with their figures (mh_plot_figure_read()). */
void mh_plot_layer_readout (const MhPlotFigure *figure, cairo_t *cr, const MhPlotTheme *theme, double px,
                            double py);
/* The band a drag to zoom covers, from pixel x0 to x1. */
void mh_plot_layer_band    (const MhPlotFigure *figure, cairo_t *cr, const MhPlotTheme *theme, double x0,
                            double x1);

G_END_DECLS
