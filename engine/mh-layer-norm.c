/* mh-layer-norm.c — layer normalisation over the last dimension.
 *
 * x: n × … × D, normalised per row of D: y = (x − μ)/√(σ² + eps)·γ + β.
 * weight γ: D (init 1), bias β: D (init 0).  Scratch: μ and 1/σ per row.
 */
#include <math.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-simd.h"

static int
norm_dim (const MhLayer *l)
{
  return l->in.dim[l->in.rank - 1];
}

static gboolean
norm_infer (MhLayer *l, GError **error)
{
  int d = norm_dim (l);

  l->out = l->in;
  l->n_params = 2;
  l->params[0] = (MhParam) { "weight", mh_shape1 (d), (gsize) d };
  l->params[1] = (MhParam) { "bias", mh_shape1 (d), (gsize) d };
  l->scratch_per_sample = 2 * (mh_shape_size (&l->in) / d);
  return TRUE;
}

static void
norm_init (MhLayer *l, GRand *rng)
{
  for (gsize i = 0; i < l->params[0].size; i++)
    l->params[0].data[i] = 1.0f;
  memset (l->params[1].data, 0, sizeof (float) * l->params[1].size);
}

MH_HOT static void
norm_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  int d = norm_dim (l);
  gsize rows = n * (mh_shape_size (&l->in) / d);
  const float *g = l->params[0].data, *b = l->params[1].data;

  for (gsize r = 0; r < rows; r++)
    {
      const float *x = l->x + r * d;
      float *y = l->y + r * d;
      double sum = 0, sq = 0;
      float mean, rstd;

      for (int j = 0; j < d; j++)
        sum += x[j];
      mean = (float) (sum / d);
      for (int j = 0; j < d; j++)
        sq += (double) (x[j] - mean) * (x[j] - mean);
      rstd = (float) (1.0 / sqrt (sq / d + l->spec.eps));
      for (int j = 0; j < d; j++)
        y[j] = (x[j] - mean) * rstd * g[j] + b[j];
      l->scratch[2 * r] = mean;
      l->scratch[2 * r + 1] = rstd;
    }
}

/* dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)), with dx̂ = dy · γ */
MH_HOT static void
norm_backward (MhLayer *l, int n, gboolean accumulate)
{
  int d = norm_dim (l);
  gsize rows = n * (mh_shape_size (&l->in) / d);
  const float *g = l->params[0].data;
  float *dg = l->params[0].grad, *db = l->params[1].grad;

  if (!l->frozen)
    {
      memset (dg, 0, sizeof (float) * d);
      memset (db, 0, sizeof (float) * d);
    }
  for (gsize r = 0; r < rows; r++)
    {
      const float *x = l->x + r * d, *dy = l->dy + r * d;
      float mean = l->scratch[2 * r], rstd = l->scratch[2 * r + 1];
      float m1 = 0, m2 = 0;

      for (int j = 0; j < d; j++)
        {
          float xh = (x[j] - mean) * rstd, dxh = dy[j] * g[j];
          if (!l->frozen)
            {
              dg[j] += dy[j] * xh;
              db[j] += dy[j];
            }
          m1 += dxh;
          m2 += dxh * xh;
        }
      if (l->dx == NULL)
        continue;
      m1 /= d;
      m2 /= d;
      float *dx = l->dx + r * d;
      for (int j = 0; j < d; j++)
        {
          float xh = (x[j] - mean) * rstd;
          float v = rstd * (dy[j] * g[j] - m1 - xh * m2);
          dx[j] = accumulate ? dx[j] + v : v;
        }
    }
}

const MhLayerClass mh_layernorm_class = {
  .type = "layernorm",
  .keys = "eps",
  .infer = norm_infer,
  .init = norm_init,
  .forward = norm_forward,
  .backward = norm_backward,
};
