/* mh-layer-dense.c — fully connected layer, y = x·Wᵀ + b.
 *
 * weight: units × in (PyTorch's nn.Linear layout), bias: units.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-blas.h"
#include "mh-simd.h"

static gboolean
dense_infer (MhLayer *l, GError **error)
{
  int in;

  if (!mh_layer_expect_rank (l, 1, _("add a flatten layer before it"), error))
    return FALSE;
  in = l->in.dim[0];
  l->out = mh_shape1 (l->spec.units);
  l->n_params = 2;
  l->params[0] = (MhParam) { "weight", { 2, { l->spec.units, in } }, (gsize) l->spec.units * in };
  l->params[1] = (MhParam) { "bias", mh_shape1 (l->spec.units), (gsize) l->spec.units };
  return TRUE;
}

static void
dense_init (MhLayer *l, GRand *rng)
{
  /* PyTorch's default: U(-1/√in, 1/√in) for weight and bias. */
  float bound = 1.0f / sqrtf ((float) l->in.dim[0]);

  mh_init_uniform (l->params[0].data, l->params[0].size, bound, rng);
  mh_init_uniform (l->params[1].data, l->params[1].size, bound, rng);
}

/* Every row of y (rows × out) starts as the bias. */
MH_HOT static void
fill_bias (float *restrict y, const float *restrict b, int rows, int out)
{
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < out; j++)
      y[(gsize) r * out + j] = b[j];
}

/* x: n×in, y: n×units */
static void
dense_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  int in = l->in.dim[0], out = l->out.dim[0];
  const float *b = l->params[1].data;

  fill_bias (l->y, b, n, out);
  mh_gemm (FALSE, TRUE, n, out, in, 1.0f, l->x, in, l->params[0].data, in, 1.0f, l->y, out);
}

/* dy: n×units → dW: units×in, db: units, dx: n×in */
static void
dense_backward (MhLayer *l, int n, gboolean accumulate)
{
  int in = l->in.dim[0], out = l->out.dim[0];

  if (!l->frozen)
    {
      float *db = l->params[1].grad;

      mh_gemm (TRUE, FALSE, out, in, n, 1.0f, l->dy, out, l->x, in, 0.0f, l->params[0].grad, in);
      memset (db, 0, sizeof (float) * out);
      for (int i = 0; i < n; i++)
        {
          const float *dyi = l->dy + (gsize) i * out;
          for (int j = 0; j < out; j++)
            db[j] += dyi[j];
        }
    }
  if (l->dx != NULL)
    mh_gemm (FALSE, FALSE, n, in, out, 1.0f, l->dy, out, l->params[0].data, in,
             accumulate ? 1.0f : 0.0f, l->dx, in);
}

const MhLayerClass mh_dense_class = {
  .type = "dense",
  .keys = "units",
  .infer = dense_infer,
  .init = dense_init,
  .forward = dense_forward,
  .backward = dense_backward,
};
