/* mh-layer-act.c — element-wise layers: ReLU, GELU, dropout; and flatten.
 * Any shape in, the same shape out (flatten: one flat vector per sample).
 */
#include <math.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-simd.h"

static gboolean
same_shape_infer (MhLayer *l, GError **error)
{
  l->out = l->in;
  return TRUE;
}

static gsize
batch_size (const MhLayer *l, int n)
{
  return (gsize) n * mh_shape_size (&l->in);
}

/* ---- ReLU: y = max(x, 0).  Backward reads y (y > 0 ⇔ x > 0), so it
 * can run in place. ---- */

/* In place the input and output are one buffer, which defeats the
 * compiler's aliasing checks: give it one pointer, or restrict ones. */
MH_HOT static void
relu_inplace (float *v, gsize len)
{
  for (gsize i = 0; i < len; i++)
    v[i] = v[i] > 0.0f ? v[i] : 0.0f;
}

MH_HOT static void
relu_to (float *restrict y, const float *restrict x, gsize len)
{
  for (gsize i = 0; i < len; i++)
    y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

static void
relu_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  gsize len = batch_size (l, n);

  if (l->y == l->x)
    relu_inplace (l->y, len);
  else
    relu_to (l->y, l->x, len);
}

/* d = (y > 0) · d, in place */
MH_HOT static void
relu_mask_inplace (float *d, const float *restrict y, gsize len)
{
  for (gsize i = 0; i < len; i++)
    d[i] = y[i] > 0.0f ? d[i] : 0.0f;
}

MH_HOT static void
relu_mask_to (float *restrict dx, const float *restrict dy, const float *restrict y,
              gsize len, gboolean accumulate)
{
  if (accumulate)
    for (gsize i = 0; i < len; i++)
      dx[i] += y[i] > 0.0f ? dy[i] : 0.0f;
  else
    for (gsize i = 0; i < len; i++)
      dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

static void
relu_backward (MhLayer *l, int n, gboolean accumulate)
{
  gsize len = batch_size (l, n);

  if (l->dx == NULL)
    return;
  if (l->dx == l->dy)
    relu_mask_inplace (l->dx, l->y, len);   /* in place: never accumulating */
  else
    relu_mask_to (l->dx, l->dy, l->y, len, accumulate);
}

const MhLayerClass mh_relu_class = {
  .type = "relu",
  .keys = "",
  .in_place = TRUE,
  .infer = same_shape_infer,
  .forward = relu_forward,
  .backward = relu_backward,
};

/* ---- GELU, exact: y = x·Φ(x) = ½x(1 + erf(x/√2)) ---- */

MH_HOT static void
gelu_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  gsize len = batch_size (l, n);

  for (gsize i = 0; i < len; i++)
    l->y[i] = 0.5f * l->x[i] * (1.0f + erff (l->x[i] * (float) M_SQRT1_2));
}

MH_HOT static void
gelu_backward (MhLayer *l, int n, gboolean accumulate)
{
  const float inv_sqrt_2pi = 0.3989422804014327f;
  gsize len = batch_size (l, n);

  if (l->dx == NULL)
    return;
  for (gsize i = 0; i < len; i++)
    {
      float x = l->x[i];
      float d = 0.5f * (1.0f + erff (x * (float) M_SQRT1_2)) + x * inv_sqrt_2pi * expf (-0.5f * x * x);
      l->dx[i] = (accumulate ? l->dx[i] : 0.0f) + d * l->dy[i];
    }
}

const MhLayerClass mh_gelu_class = {
  .type = "gelu",
  .keys = "",
  .infer = same_shape_infer,
  .forward = gelu_forward,
  .backward = gelu_backward,
};

/* ---- Dropout: in training y = x·m with m = 0 (probability rate) or
 * 1/(1 − rate); in evaluation y = x.  Scratch: the mask m. ---- */

static gboolean
dropout_infer (MhLayer *l, GError **error)
{
  l->out = l->in;
  l->scratch_per_sample = mh_shape_size (&l->in);
  return TRUE;
}

static void
dropout_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  gsize len = batch_size (l, n);
  float keep = 1.0f / (1.0f - (float) l->spec.rate);

  if (!train || l->spec.rate <= 0.0)
    {
      memcpy (l->y, l->x, sizeof (float) * len);
      for (gsize i = 0; i < len; i++)
        l->scratch[i] = 1.0f;
      return;
    }
  for (gsize i = 0; i < len; i++)
    {
      l->scratch[i] = g_rand_double (rng) < l->spec.rate ? 0.0f : keep;
      l->y[i] = l->x[i] * l->scratch[i];
    }
}

static void
dropout_backward (MhLayer *l, int n, gboolean accumulate)
{
  gsize len = batch_size (l, n);

  if (l->dx == NULL)
    return;
  for (gsize i = 0; i < len; i++)
    l->dx[i] = (accumulate ? l->dx[i] : 0.0f) + l->dy[i] * l->scratch[i];
}

const MhLayerClass mh_dropout_class = {
  .type = "dropout",
  .keys = "rate",
  .infer = dropout_infer,
  .forward = dropout_forward,
  .backward = dropout_backward,
};

/* ---- Flatten: n × (any) → n × size, channels-last order (H, W, C) ---- */

static gboolean
flatten_infer (MhLayer *l, GError **error)
{
  l->out = mh_shape1 ((int) mh_shape_size (&l->in));
  return TRUE;
}

static void
flatten_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  if (l->y != l->x)   /* in place it is only a new shape */
    memcpy (l->y, l->x, sizeof (float) * batch_size (l, n));
}

static void
flatten_backward (MhLayer *l, int n, gboolean accumulate)
{
  gsize len = batch_size (l, n);

  if (l->dx == NULL || l->dx == l->dy)
    return;
  if (!accumulate)
    memcpy (l->dx, l->dy, sizeof (float) * len);
  else
    for (gsize i = 0; i < len; i++)
      l->dx[i] += l->dy[i];
}

const MhLayerClass mh_flatten_class = {
  .type = "flatten",
  .keys = "",
  .in_place = TRUE,
  .infer = flatten_infer,
  .forward = flatten_forward,
  .backward = flatten_backward,
};
