/* mh-layer-conv.c — 2-D convolution as im2col + one GEMM for the batch.
 *
 * Channels-last: x is n × H × W × C, y is n × Ho × Wo × F.
 * weight: F × k × k × C in the engine (each row one filter, in the order
 * im2col lays out a patch); files store PyTorch's F × C × k × k.
 * bias: F.  Scratch: the im2col matrix of a chunk of samples, small enough
 * to stay in the core's cache (MH_CONV_CHUNK_BYTES); backward builds the
 * columns again rather than keeping a whole batch's, and reuses the buffer
 * for their gradient.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-simd.h"
#include "mh-layer-conv.h"
#include "mh-blas.h"
#include "mh-error.h"
#include "mh-limits.h"

#define MH_CONV_CHUNK_BYTES (768 * 1024)

static gboolean
conv_infer (MhLayer *l, GError **error)
{
  const MhLayerSpec *s = &l->spec;
  gint64 h, w, c, ho, wo;   /* 64 bits: a huge padding must not wrap (mh-limits.h) */

  if (!mh_layer_expect_rank (l, 3, NULL, error))
    return FALSE;
  h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2];
  if (s->stride < 1 || s->kernel < 1 || s->padding < 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("conv2d '%s': kernel %d, stride %d, padding %d "
                   "(kernel and stride at least 1, padding at least 0)"), s->name, s->kernel,
                   s->stride, s->padding);
      return FALSE;
    }
  ho = (h + 2 * (gint64) s->padding - s->kernel) / s->stride + 1;
  wo = (w + 2 * (gint64) s->padding - s->kernel) / s->stride + 1;
  if (ho > MH_MAX_DIM || wo > MH_MAX_DIM)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE, "conv2d '%s': padding %d makes a %" G_GINT64_FORMAT
                   "×%" G_GINT64_FORMAT " output, over %d on a side", s->name, s->padding, ho, wo,
                   MH_MAX_DIM);
      return FALSE;
    }
  if (h + 2 * (gint64) s->padding < s->kernel || w + 2 * (gint64) s->padding < s->kernel)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   _("conv2d '%s': a %d×%d kernel does not fit a %d×%d input with padding %d"),
                   s->name, s->kernel, s->kernel, (int) h, (int) w, s->padding);
      return FALSE;
    }
  l->out = mh_shape3 ((int) ho, (int) wo, s->filters);
  l->n_params = 2;
  l->params[0] = (MhParam) { "weight", { 4, { s->filters, s->kernel, s->kernel, (int) c } },
                             (gsize) s->filters * s->kernel * s->kernel * c };
  l->params[1] = (MhParam) { "bias", mh_shape1 (s->filters), (gsize) s->filters };
  /* One sample's columns (a chunk of samples uses the first ones), or
   * the direct path's transposed weights and their gradient. */
  if (mh_conv_direct_fits (l))
    {
      gsize kk = (gsize) s->kernel * s->kernel * c, fp = (s->filters + 15) / 16 * 16;
      l->scratch_per_sample = (2 * kk + 1) * fp;
      l->iscratch_per_sample = 2 * kk;
    }
  else
    l->scratch_per_sample = (gsize) ho * wo * s->kernel * s->kernel * c;
  return TRUE;
}

static void
conv_init (MhLayer *l, GRand *rng)
{
  int k = l->spec.kernel, c = l->in.dim[2];
  float bound = 1.0f / sqrtf ((float) (k * k * c));

  mh_init_uniform (l->params[0].data, l->params[0].size, bound, rng);
  mh_init_uniform (l->params[1].data, l->params[1].size, bound, rng);
}

/* Runs are a pixel's channels: short, so an inline loop beats memcpy(). */
static inline void
copy_run (float *restrict dst, const float *restrict src, int c)
{
  for (int ch = 0; ch < c; ch++)
    dst[ch] = src[ch];
}

/* Every row of y (rows × f) starts as the bias. */
MH_HOT static void
fill_rows (float *restrict y, const float *restrict b, gsize rows, int f)
{
  for (gsize r = 0; r < rows; r++)
    for (int j = 0; j < f; j++)
      y[r * f + j] = b[j];
}

/* x: H×W×C of one sample → col: Ho·Wo × k·k·C */
MH_HOT void
mh_im2col (const float *x, int h, int w, int c, int k, int stride, int pad,
           int ho, int wo, float *col)
{
  gsize run = sizeof (float) * c;

  for (int oy = 0; oy < ho; oy++)
    for (int ox = 0; ox < wo; ox++)
      {
        float *row = col + ((gsize) oy * wo + ox) * k * k * c;
        for (int ky = 0; ky < k; ky++)
          {
            int iy = oy * stride - pad + ky;
            for (int kx = 0; kx < k; kx++, row += c)
              {
                int ix = ox * stride - pad + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                  memset (row, 0, run);
                else if (c == 1)
                  row[0] = x[(gsize) iy * w + ix];
                else
                  copy_run (row, x + ((gsize) iy * w + ix) * c, c);
              }
          }
      }
}

/* col: Ho·Wo × k·k·C → adds into dx: H×W×C of one sample */
MH_HOT void
mh_col2im_add (const float *col, int h, int w, int c, int k, int stride, int pad,
               int ho, int wo, float *dx)
{
  for (int oy = 0; oy < ho; oy++)
    for (int ox = 0; ox < wo; ox++)
      {
        const float *row = col + ((gsize) oy * wo + ox) * k * k * c;
        for (int ky = 0; ky < k; ky++)
          {
            int iy = oy * stride - pad + ky;
            for (int kx = 0; kx < k; kx++, row += c)
              {
                int ix = ox * stride - pad + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                  continue;
                float *d = dx + ((gsize) iy * w + ix) * c;
                for (int ch = 0; ch < c; ch++)
                  d[ch] += row[ch];
              }
          }
      }
}

static gboolean
conv_is_pointwise (const MhLayer *l)
{
  return l->spec.kernel == 1 && l->spec.stride == 1 && l->spec.padding == 0;
}

/* Samples per chunk of columns. */
static int
conv_chunk (const MhLayer *l, int n)
{
  gsize per = l->scratch_per_sample * sizeof (float);
  return CLAMP ((int) (MH_CONV_CHUNK_BYTES / MAX (per, 1)), 1, n);
}

static void
conv_columns (const MhLayer *l, int first, int count)
{
  int h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2];

  for (int i = 0; i < count; i++)
    mh_im2col (l->x + (gsize) (first + i) * h * w * c, h, w, c, l->spec.kernel, l->spec.stride,
               l->spec.padding, l->out.dim[0], l->out.dim[1],
               l->scratch + (gsize) i * l->scratch_per_sample);
}

/* x: n×H×W×C → y: n×Ho×Wo×F */
static void
conv_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  int f = l->out.dim[2], kk = l->spec.kernel * l->spec.kernel * l->in.dim[2];
  int pixels = l->out.dim[0] * l->out.dim[1], chunk = conv_chunk (l, n);
  gsize rows = (gsize) n * pixels;

  if (mh_conv_direct_fits (l))
    {
      mh_conv_direct_forward (l, n);
      return;
    }
  fill_rows (l->y, l->params[1].data, rows, f);
  if (conv_is_pointwise (l))
    {
      mh_gemm (FALSE, TRUE, rows, f, kk, 1.0f, l->x, kk, l->params[0].data, kk, 1.0f, l->y, f);
      return;
    }
  for (int first = 0; first < n; first += chunk)
    {
      int count = MIN (chunk, n - first);
      conv_columns (l, first, count);
      mh_gemm (FALSE, TRUE, count * pixels, f, kk, 1.0f, l->scratch, kk, l->params[0].data, kk,
               1.0f, l->y + (gsize) first * pixels * f, f);
    }
}

MH_HOT static void
conv_bias_grad (MhLayer *l, gsize rows, int f)
{
  float *db = l->params[1].grad;

  memset (db, 0, sizeof (float) * f);
  for (gsize r = 0; r < rows; r++)
    {
      const float *dyr = l->dy + r * f;
      for (int j = 0; j < f; j++)
        db[j] += dyr[j];
    }
}

/* dy: n×Ho×Wo×F → dW: F×k·k·C, db: F, dx: n×H×W×C */
static void
conv_backward (MhLayer *l, int n, gboolean accumulate)
{
  int h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2];
  int ho = l->out.dim[0], wo = l->out.dim[1], f = l->out.dim[2];
  int k = l->spec.kernel, kk = k * k * c, pixels = ho * wo, chunk = conv_chunk (l, n);
  gsize rows = (gsize) n * pixels;
  const float *wt = l->params[0].data;
  float *dw = l->params[0].grad;

  if (!l->frozen)
    conv_bias_grad (l, rows, f);
  if (mh_conv_direct_fits (l))
    {
      mh_conv_direct_backward (l, n, accumulate);
      return;
    }
  if (conv_is_pointwise (l))
    {
      if (!l->frozen)
        mh_gemm (TRUE, FALSE, f, kk, rows, 1.0f, l->dy, f, l->x, kk, 0.0f, dw, kk);
      if (l->dx != NULL)
        mh_gemm (FALSE, FALSE, rows, kk, f, 1.0f, l->dy, f, wt, kk, accumulate ? 1.0f : 0.0f, l->dx, kk);
      return;
    }
  if (l->dx != NULL && !accumulate)
    memset (l->dx, 0, sizeof (float) * n * h * w * c);
  for (int first = 0; first < n; first += chunk)
    {
      int count = MIN (chunk, n - first);
      const float *dy = l->dy + (gsize) first * pixels * f;
      if (!l->frozen)
        {
          conv_columns (l, first, count);
          mh_gemm (TRUE, FALSE, f, kk, count * pixels, 1.0f, dy, f, l->scratch, kk,
                   first ? 1.0f : 0.0f, dw, kk);
        }
      if (l->dx == NULL)
        continue;
      /* The columns' gradient takes their place, then goes back to pixels. */
      mh_gemm (FALSE, FALSE, count * pixels, kk, f, 1.0f, dy, f, wt, kk, 0.0f, l->scratch, kk);
      for (int i = 0; i < count; i++)
        mh_col2im_add (l->scratch + (gsize) i * l->scratch_per_sample, h, w, c, k,
                       l->spec.stride, l->spec.padding, ho, wo, l->dx + (gsize) (first + i) * h * w * c);
    }
}

const MhLayerClass mh_conv2d_class = {
  .type = "conv2d",
  .keys = "filters kernel stride padding",
  .infer = conv_infer,
  .init = conv_init,
  .forward = conv_forward,
  .backward = conv_backward,
};
