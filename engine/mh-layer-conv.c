/* mh-layer-conv.c — 2-D convolution as im2col + one GEMM for the batch.
 *
 * Channels-last: x is n × H × W × C, y is n × Ho × Wo × F.
 * weight: F × k × k × C in the engine (each row one filter, in the order
 * im2col lays out a patch); files store PyTorch's F × C × k × k.
 * bias: F.  Scratch: the im2col matrix (Ho·Wo × k·k·C per sample), reused
 * by backward for the gradient of the columns.
 */
#include <math.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-layer-conv.h"
#include "mh-blas.h"
#include "mh-error.h"

static gboolean
conv_infer (MhLayer *l, GError **error)
{
  const MhLayerSpec *s = &l->spec;
  int h, w, c, ho, wo;

  if (!mh_layer_expect_rank (l, 3, NULL, error))
    return FALSE;
  h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2];
  ho = (h + 2 * s->padding - s->kernel) / s->stride + 1;
  wo = (w + 2 * s->padding - s->kernel) / s->stride + 1;
  if (h + 2 * s->padding < s->kernel || w + 2 * s->padding < s->kernel)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   "conv2d '%s': a %d×%d kernel does not fit a %d×%d input with padding %d",
                   s->name, s->kernel, s->kernel, h, w, s->padding);
      return FALSE;
    }
  l->out = mh_shape3 (ho, wo, s->filters);
  l->n_params = 2;
  l->params[0] = (MhParam) { "weight", { 4, { s->filters, s->kernel, s->kernel, c } },
                             (gsize) s->filters * s->kernel * s->kernel * c };
  l->params[1] = (MhParam) { "bias", mh_shape1 (s->filters), (gsize) s->filters };
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

/* x: H×W×C of one sample → col: Ho·Wo × k·k·C */
void
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
                  memcpy (row, x + ((gsize) iy * w + ix) * c, run);
              }
          }
      }
}

/* col: Ho·Wo × k·k·C → adds into dx: H×W×C of one sample */
void
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

/* x: n×H×W×C → y: n×Ho×Wo×F */
static void
conv_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  int h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2];
  int ho = l->out.dim[0], wo = l->out.dim[1], f = l->out.dim[2];
  int k = l->spec.kernel, kk = k * k * c;
  gsize rows = (gsize) n * ho * wo;
  const float *col = l->x;

  if (!conv_is_pointwise (l))
    {
      for (int i = 0; i < n; i++)
        mh_im2col (l->x + (gsize) i * h * w * c, h, w, c, k, l->spec.stride, l->spec.padding,
                   ho, wo, l->scratch + (gsize) i * l->scratch_per_sample);
      col = l->scratch;
    }
  for (gsize r = 0; r < rows; r++)
    memcpy (l->y + r * f, l->params[1].data, sizeof (float) * f);
  mh_gemm (FALSE, TRUE, rows, f, kk, 1.0f, col, kk, l->params[0].data, kk, 1.0f, l->y, f);
}

/* dy: n×Ho×Wo×F → dW: F×k·k·C, db: F, dx: n×H×W×C */
static void
conv_backward (MhLayer *l, int n, gboolean accumulate)
{
  int h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2];
  int ho = l->out.dim[0], wo = l->out.dim[1], f = l->out.dim[2];
  int k = l->spec.kernel, kk = k * k * c;
  gsize rows = (gsize) n * ho * wo;
  gboolean pointwise = conv_is_pointwise (l);
  const float *col = pointwise ? l->x : l->scratch;

  if (!l->frozen)
    {
      float *db = l->params[1].grad;

      mh_gemm (TRUE, FALSE, f, kk, rows, 1.0f, l->dy, f, col, kk, 0.0f, l->params[0].grad, kk);
      memset (db, 0, sizeof (float) * f);
      for (gsize r = 0; r < rows; r++)
        {
          const float *dyr = l->dy + r * f;
          for (int j = 0; j < f; j++)
            db[j] += dyr[j];
        }
    }
  if (l->dx == NULL)
    return;
  if (pointwise)
    {
      mh_gemm (FALSE, FALSE, rows, kk, f, 1.0f, l->dy, f, l->params[0].data, kk,
               accumulate ? 1.0f : 0.0f, l->dx, kk);
      return;
    }
  /* The columns are no longer needed: their gradient takes their place. */
  mh_gemm (FALSE, FALSE, rows, kk, f, 1.0f, l->dy, f, l->params[0].data, kk, 0.0f, l->scratch, kk);
  if (!accumulate)
    memset (l->dx, 0, sizeof (float) * n * h * w * c);
  for (int i = 0; i < n; i++)
    mh_col2im_add (l->scratch + (gsize) i * l->scratch_per_sample, h, w, c, k,
                   l->spec.stride, l->spec.padding, ho, wo, l->dx + (gsize) i * h * w * c);
}

const MhLayerClass mh_conv2d_class = {
  .type = "conv2d",
  .keys = "filters kernel stride padding",
  .infer = conv_infer,
  .init = conv_init,
  .forward = conv_forward,
  .backward = conv_backward,
};
