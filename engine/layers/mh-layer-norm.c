/* mh-layer-norm.c — layer normalisation over the last dimension.
 *
 * x: n × … × D, normalised per row of D: y = (x − μ)/√(σ² + eps)·γ + β.
 * weight γ: D (init 1), bias β: D (init 0).  Scratch: μ and 1/σ per row.
 */
#include <math.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-simd.h"
#include "mh-vecmath.h"

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
      float mean = mh_row_dot (x, NULL, d) / d, rstd;

      for (int j = 0; j < d; j++)
        y[j] = x[j] - mean;
      rstd = 1.0f / sqrtf (mh_row_dot (y, y, d) / d + (float) l->spec.eps);
      for (int j = 0; j < d; j++)
        y[j] = y[j] * rstd * g[j] + b[j];
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
      float m1[16] = { 0 }, m2[16] = { 0 }, s1 = 0, s2 = 0;
      int j = 0;

      if (!l->frozen)
        for (int k = 0; k < d; k++)
          {
            dg[k] += dy[k] * (x[k] - mean) * rstd;
            db[k] += dy[k];
          }
      if (l->dx == NULL)
        continue;
      /* Σ dx̂ and Σ dx̂·x̂ in 16 partial sums (vectorised) */
      for (; j + 16 <= d; j += 16)
        for (int k = 0; k < 16; k++)
          {
            float dxh = dy[j + k] * g[j + k];
            m1[k] += dxh;
            m2[k] += dxh * (x[j + k] - mean) * rstd;
          }
      for (int k = 0; k < 16; k++)
        s1 += m1[k], s2 += m2[k];
      for (; j < d; j++)
        {
          float dxh = dy[j] * g[j];
          s1 += dxh;
          s2 += dxh * (x[j] - mean) * rstd;
        }
      s1 /= d;
      s2 /= d;
      float *dx = l->dx + r * d;
      for (int k = 0; k < d; k++)
        {
          float v = rstd * (dy[k] * g[k] - s1 - (x[k] - mean) * rstd * s2);
          dx[k] = accumulate ? dx[k] + v : v;
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
