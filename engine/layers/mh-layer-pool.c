/* mh-layer-pool.c — max pooling over size×size windows with stride size.
 *
 * x: n × H × W × C → y: n × ⌊H/size⌋ × ⌊W/size⌋ × C.  The index of each
 * maximum is kept (iscratch) for backward.
 */
#include <float.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-simd.h"
#include "mh-error.h"

static gboolean
pool_infer (MhLayer *l, GError **error)
{
  int s = l->spec.size;

  if (!mh_layer_expect_rank (l, 3, NULL, error))
    return FALSE;
  if (l->in.dim[0] < s || l->in.dim[1] < s)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   _("maxpool '%s': a %d×%d window does not fit a %d×%d input"),
                   l->spec.name, s, s, l->in.dim[0], l->in.dim[1]);
      return FALSE;
    }
  l->out = mh_shape3 (l->in.dim[0] / s, l->in.dim[1] / s, l->in.dim[2]);
  l->iscratch_per_sample = mh_shape_size (&l->out);
  return TRUE;
}

/* One output pixel of a 2×2 window, all channels at once (vectorised). */
static inline void
pool_pixel_2x2 (const float *restrict x, int row_stride, int c, int base,
                float *restrict y, int *restrict arg)
{
  const float *restrict r0 = x + base, *restrict r1 = x + base + row_stride;

  for (int ch = 0; ch < c; ch++)
    {
      float a = r0[ch], b = r0[c + ch], d = r1[ch], e = r1[c + ch];
      int ia = base + ch, ib = ia + c, id = ia + row_stride, ie = id + c;
      float m1 = a >= b ? a : b, m2 = d >= e ? d : e;
      int i1 = a >= b ? ia : ib, i2 = d >= e ? id : ie;
      y[ch] = m1 >= m2 ? m1 : m2;
      arg[ch] = m1 >= m2 ? i1 : i2;
    }
}

/* One output pixel of any window. */
static inline void
pool_pixel (const float *restrict x, int row_stride, int s, int c, int base,
            float *restrict y, int *restrict arg)
{
  for (int ch = 0; ch < c; ch++)
    {
      y[ch] = x[base + ch];
      arg[ch] = base + ch;
    }
  for (int ky = 0; ky < s; ky++)
    for (int kx = ky == 0 ? 1 : 0; kx < s; kx++)
      {
        int at = base + ky * row_stride + kx * c;
        for (int ch = 0; ch < c; ch++)
          {
            float v = x[at + ch];
            gboolean more = v > y[ch];
            y[ch] = more ? v : y[ch];
            arg[ch] = more ? at + ch : arg[ch];
          }
      }
}

/* x: n×H×W×C → y: n×Ho×Wo×C, iscratch: the index of each maximum in x */
MH_HOT static void
pool_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  int w = l->in.dim[1], c = l->in.dim[2];
  int ho = l->out.dim[0], wo = l->out.dim[1], s = l->spec.size;
  gsize in_size = mh_shape_size (&l->in), out_size = mh_shape_size (&l->out);

  for (int i = 0; i < n; i++)
    for (int oy = 0; oy < ho; oy++)
      for (int ox = 0; ox < wo; ox++)
        {
          gsize o = i * out_size + ((gsize) oy * wo + ox) * c;
          int base = (oy * s * w + ox * s) * c;
          if (s == 2)
            pool_pixel_2x2 (l->x + i * in_size, w * c, c, base, l->y + o, l->iscratch + o);
          else
            pool_pixel (l->x + i * in_size, w * c, s, c, base, l->y + o, l->iscratch + o);
        }
}

MH_HOT static void
pool_backward (MhLayer *l, int n, gboolean accumulate)
{
  gsize in_size = mh_shape_size (&l->in), out_size = mh_shape_size (&l->out);

  if (l->dx == NULL)
    return;
  if (!accumulate)
    memset (l->dx, 0, sizeof (float) * n * in_size);
  for (int i = 0; i < n; i++)
    {
      const float *dy = l->dy + i * out_size;
      const int *arg = l->iscratch + i * out_size;
      float *dx = l->dx + i * in_size;
      for (gsize j = 0; j < out_size; j++)
        dx[arg[j]] += dy[j];
    }
}

const MhLayerClass mh_maxpool_class = {
  .type = "maxpool",
  .keys = "size",
  .infer = pool_infer,
  .forward = pool_forward,
  .backward = pool_backward,
};
