/* mh-heatmap.c — viridis heat maps and model inputs as cairo surfaces (mh-heatmap.h). */
#include <math.h>
#include "mh-heatmap.h"

/* Viridis (matplotlib's perceptually uniform map) as a degree-6 polynomial
 * per channel, within 3/255 of the original table. */
void
mh_viridis (double t, double rgb[3])
{
  static const double c[7][3] = {
    { 0.2777273272234177, 0.005407344544966578, 0.3340998053353061 },
    { 0.1050930431085774, 1.404613529898575, 1.384590162594685 },
    { -0.3308618287255563, 0.214847559468213, 0.09509516302823659 },
    { -4.634230498983486, -5.799100973351585, -19.33244095627987 },
    { 6.228269936347081, 14.17993336680509, 56.69055260068105 },
    { 4.776384997670288, -13.74514537774601, -65.35303263337234 },
    { -5.435455855934631, 4.645852612178535, 26.3124352495832 },
  };

  t = CLAMP (t, 0.0, 1.0);
  for (int ch = 0; ch < 3; ch++)
    {
      double v = c[6][ch];
      for (int k = 5; k >= 0; k--)
        v = v * t + c[k][ch];
      rgb[ch] = CLAMP (v, 0.0, 1.0);
    }
}

static guint32
pack_rgb (double r, double g, double b)
{
  return (guint32) lround (CLAMP (r, 0, 1) * 255) << 16 | (guint32) lround (CLAMP (g, 0, 1) * 255) << 8
         | (guint32) lround (CLAMP (b, 0, 1) * 255);
}

/* An RGB24 surface of w × h pixels from pixel(x, y) → 0xRRGGBB. */
typedef guint32 (*PixelFunc) (int x, int y, gconstpointer data);

static cairo_surface_t *
make_surface (int w, int h, PixelFunc pixel, gconstpointer data)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, MAX (w, 1), MAX (h, 1));
  int stride = cairo_image_surface_get_stride (s);
  guint8 *bytes;

  cairo_surface_flush (s);
  bytes = cairo_image_surface_get_data (s);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      ((guint32 *) (bytes + (gsize) y * stride))[x] = pixel (x, y, data);
  cairo_surface_mark_dirty (s);
  return s;
}

typedef struct {
  const float *v;
  int          w, c;
  float        max;
} Grid;

static guint32
heat_pixel (int x, int y, gconstpointer data)
{
  const Grid *g = data;
  double rgb[3];

  mh_viridis (g->max > 0 ? g->v[y * g->w + x] / g->max : 0, rgb);
  return pack_rgb (rgb[0], rgb[1], rgb[2]);
}

cairo_surface_t *
mh_heatmap_surface (const float *grid, int w, int h, float max)
{
  Grid g = { grid, w, 1, max };

  return make_surface (w, h, heat_pixel, &g);
}

static guint32
input_pixel (int x, int y, gconstpointer data)
{
  const Grid *g = data;
  const float *px = g->v + ((gsize) y * g->w + x) * g->c;
  double v = 0;

  if (g->c == 3)
    return pack_rgb (px[0], px[1], px[2]);
  for (int ch = 0; ch < g->c; ch++)
    v += CLAMP (px[ch], 0, 1) / g->c;
  return pack_rgb (v, v, v);
}

cairo_surface_t *
mh_input_surface (const float *x, MhShape shape)
{
  Grid g = { x, shape.dim[1], shape.rank == 3 ? shape.dim[2] : 1, 1 };

  return make_surface (shape.dim[1], shape.dim[0], input_pixel, &g);
}

static void
paint_scaled (cairo_t *cr, cairo_surface_t *s, double x, double y, double side, double alpha,
              cairo_filter_t filter)
{
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  double scale = side / MAX (w, h);

  cairo_save (cr);
  cairo_translate (cr, x + (side - w * scale) / 2, y + (side - h * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, s, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), filter);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);   /* no fading at the edges */
  cairo_rectangle (cr, 0, 0, w, h);
  cairo_clip (cr);
  cairo_paint_with_alpha (cr, alpha);
  cairo_restore (cr);
}

void
mh_paint_scaled (cairo_t *cr, cairo_surface_t *s, double x, double y, double side, double alpha)
{
  paint_scaled (cr, s, x, y, side, alpha, CAIRO_FILTER_NEAREST);
}

void
mh_paint_smooth (cairo_t *cr, cairo_surface_t *s, double x, double y, double side, double alpha)
{
  paint_scaled (cr, s, x, y, side, alpha, CAIRO_FILTER_BILINEAR);
}
