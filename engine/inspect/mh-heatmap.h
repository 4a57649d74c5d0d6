/* mh-heatmap.h — drawing attention: the viridis colour map, a heat map of a
 * grid of values as a cairo surface, a model input as the model sees it,
 * and painting a small surface scaled with sharp pixels.  Shared by
 * `render-attention` and the window's attention view. */
#pragma once

#include <cairo.h>
#include <glib.h>
#include "mh-tensor-shape.h"

G_BEGIN_DECLS

/* Viridis at t ∈ [0, 1] (clamped) into rgb[3] ∈ [0, 1]. */
void             mh_viridis         (double t, double rgb[3]);
/* An RGB24 surface of w × h pixels: grid[y·w + x] / max through viridis
 * (max ≤ 0: everything at the bottom of the map). */
cairo_surface_t *mh_heatmap_surface (const float *grid, int w, int h, float max);
/* An RGB24 surface of the input x (H × W × C, channels-last, pixels/255;
 * C 1: grey; C 3: RGB; else the channels' mean). */
cairo_surface_t *mh_input_surface   (const float *x, MhShape shape);
/* Paints `s` centred in the side × side square at (x, y), scaled to fit with
 * nearest-neighbour pixels, with `alpha`. */
void             mh_paint_scaled    (cairo_t *cr, cairo_surface_t *s, double x, double y, double side,
                                     double alpha);
/* The same with bilinear interpolation between the pixels' centres (a
 * coarse map over a finer image, as Grad-CAM is shown). */
void             mh_paint_smooth    (cairo_t *cr, cairo_surface_t *s, double x, double y, double side,
                                     double alpha);

G_END_DECLS
