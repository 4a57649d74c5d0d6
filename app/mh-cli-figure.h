/* mh-cli-figure.h — what the command line's figures share (render-attention,
 * render-saliency): text, panel frames, the sample's true labels and the
 * heads' answers as a line each, the colour bar, and writing the figure
 * as PNG or SVG (by the file's extension) through mh-save. */
#pragma once

#include <cairo.h>
#include <glib.h>
#include "mh-dataset.h"
#include "mh-model.h"

G_BEGIN_DECLS

#define MH_FIGURE_FONT "DejaVu Sans"

/* Draws `s` at (x, y) (its left end, or its middle when `centred`) in `rgb`
 * (NULL: near black); returns x after it. */
double   mh_figure_text (cairo_t *cr, double x, double y, double size, gboolean bold, gboolean centred,
                         const double *rgb, const char *s);
/* A grey frame around the side × side panel at (x, y). */
void     mh_figure_frame (cairo_t *cr, double x, double y, double side);
/* "True:  category Ankle boot  ·  group footwear": the sample's class
 * fields, its labels, and its numbers (a box as x0 y0 x1 y1). */
void     mh_figure_truth (cairo_t *cr, const MhDataset *d, int sample, double x, double y);
/* "Predicted:  category Ankle boot 97%  ·  …" from the heads' logits after
 * a forward pass of the sample (classification heads; green where right,
 * red where wrong). */
void     mh_figure_predictions (cairo_t *cr, const MhModel *m, const MhDataset *d, int sample, double x,
                                double y);
/* A viridis bar, width w, from "low" to `high`, at (x, y). */
void     mh_figure_colour_bar (cairo_t *cr, double x, double y, double w, const char *high);

/* Whether `path` names an SVG (else a PNG is written). */
gboolean mh_figure_is_svg (const char *path);
/* A surface to draw the figure on: an SVG recording or an image. */
cairo_surface_t *mh_figure_surface_new (const char *path, int width, int height);
/* Writes the figure drawn on `surface` (from mh_figure_surface_new) to path,
 * atomically; finishes the surface. */
gboolean mh_figure_save (cairo_surface_t *surface, const char *path, GError **error);

G_END_DECLS
