/* test-grad.c — finite-difference gradient checks for every layer and loss,
 * and forward passes against naive references (docs/ARCHITECTURE.md, "Engine rules"; docs/testing.md).  The
 * harness and its tolerances are described in mh-grad-check.h.
 */
#include <math.h>
#include <string.h>
#include "mh-grad-check.h"
#include "mh-loss.h"

/* ---- dense ------------------------------------------------------------- */

static void
set_units (MhLayerSpec *spec, gpointer data)
{
  spec->units = GPOINTER_TO_INT (data);
}

static void
test_dense (void)
{
  Harness *h = harness_for ("dense", mh_shape1 (7), 1, set_units, GINT_TO_POINTER (5));
  MhLayer *l = h->l;
  const float *w = l->params[0].data, *b = l->params[1].data;

  assert_out_shape (h, mh_shape1 (5));
  g_assert_cmpuint (l->params[0].size, ==, 5 * 7);   /* units × in */
  g_assert_cmpuint (l->params[1].size, ==, 5);

  /* forward against y[i][j] = b[j] + Σ_k W[j][k]·x[i][k] in double;
   * float32 sums of 7 terms of size ≤ 1: 1e-5 is ~100 ulps */
  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    for (int j = 0; j < 5; j++)
      {
        double ref = b[j];
        for (int k = 0; k < 7; k++)
          ref += (double) w[j * 7 + k] * h->x[i * 7 + k];
        g_assert_cmpfloat_with_epsilon (h->y[i * 5 + j], ref, 1e-5);
      }

  /* y is linear in each single input or parameter: central differences
   * are exact but for rounding, which a large ε divides down */
  g_free (check_layer (h, 0.1f));
  harness_free (h);
}

/* ---- conv2d ------------------------------------------------------------ */

typedef struct {
  const char *path;
  int         filters, kernel, stride, padding;
  int         h, w, c;     /* input */
  int         ho, wo;      /* output, worked out by hand */
} ConvCase;

/* out = ⌊(in + 2·pad − k)/stride⌋ + 1 */
static const ConvCase conv_cases[] = {
  /* (5 + 2 − 3)/1 + 1 = 5; 3·3·2 = 18 values a patch: the direct path */
  { "/engine/grad/conv2d/k3-s1-p1", 3, 3, 1, 1, 5, 5, 2, 5, 5 },
  /* 16 filters, one channel: the direct path's vector blocks */
  { "/engine/grad/conv2d/k3-direct-16", 16, 3, 1, 1, 6, 6, 1, 6, 6 },
  /* 32 filters, stride 2, two channels: two blocks, taps cut at the edges */
  { "/engine/grad/conv2d/k3-s2-direct-32", 32, 3, 2, 1, 7, 7, 2, 4, 4 },
  /* the same with 3·3·4 = 36 values a patch: im2col + GEMM */
  { "/engine/grad/conv2d/k3-s1-p1-im2col", 3, 3, 1, 1, 5, 5, 4, 5, 5 },
  /* (7 + 2 − 3)/2 + 1 = 4, im2col with stride and padding */
  { "/engine/grad/conv2d/k3-s2-p1-im2col", 2, 3, 2, 1, 7, 7, 5, 4, 4 },
  /* one input channel (im2col's single-channel path), as on Fashion-MNIST */
  { "/engine/grad/conv2d/k3-one-channel", 2, 3, 1, 1, 6, 6, 1, 6, 6 },
  /* (8 − 3)/2 + 1 = 3 windows starting at 0, 2, 4: row and column 7 are
   * never read, their gradient must be exactly 0 */
  { "/engine/grad/conv2d/k3-s2-p0", 4, 3, 2, 0, 8, 8, 2, 3, 3 },
  /* 1×1, stride 1, no padding: the pointwise path (no im2col) */
  { "/engine/grad/conv2d/k1", 5, 1, 1, 0, 4, 4, 3, 4, 4 },
  /* patch embedding: 8×8 in 4×4 patches → 2×2 */
  { "/engine/grad/conv2d/k4-s4", 6, 4, 4, 0, 8, 8, 3, 2, 2 },
  /* 32·32 columns of 3·3·8 floats are 288 KiB a sample, more than a third
   * of the layer's 768 KiB column chunk: the batch of 3 goes in two chunks */
  { "/engine/grad/conv2d/chunks", 4, 3, 1, 1, 32, 32, 8, 32, 32 },
};

static void
set_conv (MhLayerSpec *spec, gpointer data)
{
  const ConvCase *c = data;

  spec->filters = c->filters;
  spec->kernel = c->kernel;
  spec->stride = c->stride;
  spec->padding = c->padding;
}

/* Direct convolution, channels-last, weight F × k × k × C, in double:
 * y[i,oy,ox,f] = b[f] + Σ_{ky,kx,c} w[f,ky,kx,c] · x[i, oy·s − p + ky, ox·s − p + kx, c]
 * with x = 0 outside the image.  `mag` gets Σ |terms| for the tolerance. */
static void
conv_reference (const MhLayer *l, int n, const float *x, double *y, double *mag)
{
  int h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2];
  int ho = l->out.dim[0], wo = l->out.dim[1], f = l->out.dim[2];
  int k = l->spec.kernel, s = l->spec.stride, p = l->spec.padding;
  const float *wt = l->params[0].data, *b = l->params[1].data;

  for (int i = 0; i < n; i++)
    for (int oy = 0; oy < ho; oy++)
      for (int ox = 0; ox < wo; ox++)
        for (int fi = 0; fi < f; fi++)
          {
            double acc = b[fi], abs_acc = fabs (b[fi]);
            for (int ky = 0; ky < k; ky++)
              for (int kx = 0; kx < k; kx++)
                {
                  int iy = oy * s - p + ky, ix = ox * s - p + kx;
                  if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                    continue;
                  for (int ch = 0; ch < c; ch++)
                    {
                      double t = (double) wt[((fi * k + ky) * k + kx) * c + ch]
                               * x[(((gsize) i * h + iy) * w + ix) * c + ch];
                      acc += t;
                      abs_acc += fabs (t);
                    }
                }
            gsize at = (((gsize) i * ho + oy) * wo + ox) * f + fi;
            y[at] = acc;
            mag[at] = abs_acc;
          }
}

static void
test_conv (gconstpointer data)
{
  const ConvCase *cc = data;
  Harness *h = harness_for ("conv2d", mh_shape3 (cc->h, cc->w, cc->c),
                            10 + (guint32) (cc - conv_cases), set_conv, (gpointer) cc);
  g_autofree double *ref = NULL, *mag = NULL;
  float *dx;
  int read_to_y, read_to_x;

  assert_out_shape (h, mh_shape3 (cc->ho, cc->wo, cc->filters));
  g_assert_cmpuint (h->l->params[0].size, ==,
                    (gsize) cc->filters * cc->kernel * cc->kernel * cc->c);
  g_assert_cmpuint (h->l->params[1].size, ==, (gsize) cc->filters);

  /* forward against the direct loops: |y − ref| ≤ 1e-5·(1 + Σ|terms|), a
   * few ulps per term of the float32 sum */
  ref = g_new (double, h->out_len);
  mag = g_new (double, h->out_len);
  harness_forward (h);
  conv_reference (h->l, h->n, h->x, ref, mag);
  for (gsize i = 0; i < h->out_len; i++)
    if (!(fabs (h->y[i] - ref[i]) <= 1e-5 * (1 + mag[i])))
      {
        g_test_fail_printf ("conv2d y[%" G_GSIZE_FORMAT "] = %.7g, direct convolution %.7g",
                            i, h->y[i], ref[i]);
        break;
      }

  /* y is linear in each single input or parameter: central differences are
   * exact but for rounding, which a large ε divides down (one weight moves
   * 3072 outputs in the chunks case) */
  dx = check_layer (h, 0.1f);
  /* inputs past the last window, (ho − 1)·stride − pad + k on, get no gradient */
  read_to_y = (cc->ho - 1) * cc->stride - cc->padding + cc->kernel;
  read_to_x = (cc->wo - 1) * cc->stride - cc->padding + cc->kernel;
  for (int i = 0; i < h->n; i++)
    for (int y = 0; y < cc->h; y++)
      for (int x = 0; x < cc->w; x++)
        if (y >= read_to_y || x >= read_to_x)
          for (int ch = 0; ch < cc->c; ch++)
            g_assert_cmpfloat (dx[(((gsize) i * cc->h + y) * cc->w + x) * cc->c + ch], ==, 0.0f);
  g_free (dx);
  harness_free (h);
}

/* ---- maxpool ----------------------------------------------------------- */

typedef struct {
  const char *path;
  int         size;
  int         h, w, c;     /* input */
  int         ho, wo;      /* ⌊h/size⌋, ⌊w/size⌋ by hand */
} PoolCase;

static const PoolCase pool_cases[] = {
  { "/engine/grad/maxpool/even", 2, 4, 4, 3, 2, 2 },
  /* ⌊5/2⌋ = 2: row 4 and column 4 are dropped */
  { "/engine/grad/maxpool/odd", 2, 5, 5, 2, 2, 2 },
  /* a window other than 2×2 (the general path): ⌊7/3⌋ = 2, row and column 6 dropped */
  { "/engine/grad/maxpool/size3", 3, 7, 7, 2, 2, 2 },
};

static void
set_size (MhLayerSpec *spec, gpointer data)
{
  spec->size = ((const PoolCase *) data)->size;
}

/* Inputs 0.05 apart, ε = 1e-3: no perturbation changes a window's maximum. */
static void
test_maxpool (gconstpointer data)
{
  const PoolCase *pc = data;
  int s = pc->size, h = pc->h, w = pc->w, c = pc->c, ho = pc->ho, wo = pc->wo;
  Harness *hs = harness_for ("maxpool", mh_shape3 (h, w, c), 20 + (guint32) (pc - pool_cases),
                             set_size, (gpointer) pc);
  float *dx;

  assert_out_shape (hs, mh_shape3 (ho, wo, c));
  fill_distinct (hs->x, hs->in_len, 0.05, hs->rng);

  /* forward: each output is the largest of its s×s window */
  harness_forward (hs);
  for (int i = 0; i < hs->n; i++)
    for (int oy = 0; oy < ho; oy++)
      for (int ox = 0; ox < wo; ox++)
        for (int ch = 0; ch < c; ch++)
          {
            float m = -INFINITY;
            for (int ky = 0; ky < s; ky++)
              for (int kx = 0; kx < s; kx++)
                m = MAX (m, hs->x[((i * h + oy * s + ky) * w + ox * s + kx) * c + ch]);
            g_assert_cmpfloat (hs->y[((i * ho + oy) * wo + ox) * c + ch], ==, m);
          }

  dx = check_layer (hs, 1e-3f);
  /* the rows and columns past ho·s, wo·s are in no window */
  for (int i = 0; i < hs->n; i++)
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        if (y >= ho * s || x >= wo * s)
          for (int ch = 0; ch < c; ch++)
            g_assert_cmpfloat (dx[((i * h + y) * w + x) * c + ch], ==, 0.0f);
  g_free (dx);
  harness_free (hs);
}

/* ---- element-wise ------------------------------------------------------ */

static void
test_relu (void)
{
  Harness *h = harness_for ("relu", mh_shape1 (20), 31, NULL, NULL);

  /* |x| ≥ 0.05 and ε = 1e-3: never across the kink at 0 */
  fill_away_from_zero (h->x, h->in_len, 0.05, 1.0, h->rng);
  harness_forward (h);
  for (gsize i = 0; i < h->in_len; i++)
    g_assert_cmpfloat (h->y[i], ==, h->x[i] > 0 ? h->x[i] : 0.0f);
  g_free (check_layer (h, 1e-3f));
  harness_free (h);
}

static void
test_gelu (void)
{
  Harness *h = harness_for ("gelu", (MhShape) { 2, { 3, 5 } }, 32, NULL, NULL);

  fill_uniform (h->x, h->in_len, -3, 3, h->rng);
  /* forward against x·Φ(x) in double */
  harness_forward (h);
  for (gsize i = 0; i < h->in_len; i++)
    g_assert_cmpfloat_with_epsilon (h->y[i], 0.5 * h->x[i] * (1 + erf (h->x[i] * G_SQRT2 / 2)),
                                    1e-6);
  g_free (check_layer (h, 1e-2f));
  harness_free (h);
}

static void
set_rate (MhLayerSpec *spec, gpointer data)
{
  spec->rate = 0.3;
}

static void
test_dropout (void)
{
  Harness *h = harness_for ("dropout", mh_shape1 (40), 33, set_rate, NULL);
  const float keep = 1.0f / (1.0f - 0.3f);
  g_autofree float *mask = NULL;
  int dropped = 0;

  /* training: the mask (scratch) is 0 or 1/(1 − rate) and y = x · mask */
  h->train = TRUE;
  harness_forward (h);
  for (gsize i = 0; i < h->in_len; i++)
    {
      float m = h->scratch[i];
      g_assert_true (m == 0.0f || m == keep);
      dropped += m == 0.0f;
      g_assert_cmpfloat (h->y[i], ==, h->x[i] * m);
    }
  /* 120 draws at 0.3: 36 expected, σ ≈ 5 */
  g_assert_cmpint (dropped, >, 15);
  g_assert_cmpint (dropped, <, 60);
  mask = g_memdup2 (h->scratch, sizeof (float) * h->in_len);

  /* the same seed gives the same mask (which the finite differences rely on),
   * another seed another mask */
  harness_forward (h);
  g_assert_cmpmem (h->scratch, sizeof (float) * h->in_len, mask, sizeof (float) * h->in_len);
  {
    g_autoptr(GRand) other = g_rand_new_with_seed (h->fwd_seed + 1);
    h->l->klass->forward (h->l, h->n, TRUE, other);
    g_assert_true (memcmp (h->scratch, mask, sizeof (float) * h->in_len) != 0);
  }

  g_free (check_layer (h, 1e-2f));

  /* evaluation: the identity, both ways */
  h->train = FALSE;
  harness_forward (h);
  g_assert_cmpmem (h->y, sizeof (float) * h->out_len, h->x, sizeof (float) * h->in_len);
  h->l->klass->backward (h->l, h->n, FALSE);
  g_assert_cmpmem (h->dx, sizeof (float) * h->in_len, h->r, sizeof (float) * h->out_len);
  harness_free (h);
}

static void
test_flatten (void)
{
  Harness *h = harness_for ("flatten", mh_shape3 (2, 3, 2), 34, NULL, NULL);

  assert_out_shape (h, mh_shape1 (12));
  /* channels-last order is kept: a plain copy */
  harness_forward (h);
  g_assert_cmpmem (h->y, sizeof (float) * h->out_len, h->x, sizeof (float) * h->in_len);
  g_free (check_layer (h, 1e-2f));
  harness_free (h);
}

/* ---- layernorm --------------------------------------------------------- */

/* y = (x − μ)/√(σ² + eps)·γ + β per row of the last dimension, in double */
static void
layernorm_check_forward (Harness *h, int d)
{
  const float *g = h->l->params[0].data, *b = h->l->params[1].data;
  gsize rows = h->in_len / d;

  harness_forward (h);
  for (gsize r = 0; r < rows; r++)
    {
      const float *x = h->x + r * d;
      double mean = 0, var = 0;
      for (int j = 0; j < d; j++)
        mean += x[j];
      mean /= d;
      for (int j = 0; j < d; j++)
        var += (x[j] - mean) * (x[j] - mean);
      var /= d;
      for (int j = 0; j < d; j++)
        g_assert_cmpfloat_with_epsilon (h->y[r * d + j],
                                        (x[j] - mean) / sqrt (var + 1e-5) * g[j] + b[j], 1e-5);
    }
}

static void
test_layernorm_features (void)
{
  Harness *h = harness_for ("layernorm", mh_shape1 (8), 41, NULL, NULL);

  assert_out_shape (h, mh_shape1 (8));
  g_assert_cmpuint (h->l->params[0].size, ==, 8);
  layernorm_check_forward (h, 8);
  g_free (check_layer (h, 3e-3f));
  harness_free (h);
}

static void
test_layernorm_tokens (void)
{
  MhShape in = { 2, { 4, 6 } };
  Harness *h = harness_for ("layernorm", in, 42, NULL, NULL);

  assert_out_shape (h, in);
  g_assert_cmpuint (h->l->params[0].size, ==, 6);   /* γ, β over the last dimension */
  layernorm_check_forward (h, 6);
  g_free (check_layer (h, 3e-3f));
  harness_free (h);
}

/* ---- losses ------------------------------------------------------------ */

typedef double (*LossFunc) (const float *z, gconstpointer target, int n, int k,
                            float scale, float *grad);

static double
ce_func (const float *z, gconstpointer t, int n, int k, float scale, float *grad)
{
  return mh_loss_cross_entropy (z, t, n, k, scale, grad);
}

static double
bce_func (const float *z, gconstpointer t, int n, int k, float scale, float *grad)
{
  return mh_loss_bce (z, t, n, k, scale, grad);
}

static double
mse_func (const float *z, gconstpointer t, int n, int k, float scale, float *grad)
{
  return mh_loss_mse (z, t, n, k, scale, grad);
}

static double
smooth_l1_func (const float *z, gconstpointer t, int n, int k, float scale, float *grad)
{
  return mh_loss_smooth_l1 (z, t, n, k, scale, grad);
}

#define LOSS_SCALE 0.7f

/* grad = LOSS_SCALE · ∂loss/∂z, against central differences of the returned
 * loss with ε = 1e-2.  Losses are means, so gradients are ~1/len: the
 * tolerance is |a - d| ≤ 1e-5 + 1e-3·max(|a|, |d|) (the loss is float32
 * inside, ~1e-7 relative, so the difference quotient is good to ~1e-5). */
static void
check_loss_grad (LossFunc f, float *z, gconstpointer target, int n, int k, float eps)
{
  gsize len = (gsize) n * k;
  g_autofree float *grad = g_new (float, len);
  g_autofree float *junk = g_new (float, len);
  double worst = 0;

  for (gsize i = 0; i < len; i++)
    grad[i] = 1e3f;   /* must be overwritten */
  f (z, target, n, k, LOSS_SCALE, grad);
  for (gsize i = 0; i < len; i++)
    {
      float saved = z[i], up, down;
      double lp, lm, num;

      z[i] = up = saved + eps;
      lp = f (z, target, n, k, 1.0f, junk);
      z[i] = down = saved - eps;
      lm = f (z, target, n, k, 1.0f, junk);
      z[i] = saved;
      num = LOSS_SCALE * (lp - lm) / ((double) up - down);
      worst = MAX (worst, fabs (grad[i] - num));
      if (!(fabs (grad[i] - num) <= 1e-5 + 1e-3 * MAX (fabs (grad[i]), fabs (num))))
        {
          g_test_fail_printf ("grad[%" G_GSIZE_FORMAT "] = %.7g, numeric %.7g", i, grad[i], num);
          return;
        }
    }
  g_test_message ("worst |a - d| = %.3g over %" G_GSIZE_FORMAT " logits", worst, len);
}

static void
assert_all_finite (const float *v, gsize len)
{
  for (gsize i = 0; i < len; i++)
    g_assert_true (isfinite (v[i]));
}

static void
test_loss_cross_entropy (void)
{
  enum { N = 4, K = 5 };
  g_autoptr(GRand) rng = g_rand_new_with_seed (51);
  float z[N * K], grad[N * K];
  int labels[N] = { 0, 3, 4, 3 };
  double want = 0, got;

  fill_uniform (z, N * K, -3, 3, rng);
  /* CE = mean_i (logsumexp(z_i) − z_i[label_i]), in double */
  for (int i = 0; i < N; i++)
    {
      double m = z[i * K], s = 0;
      for (int j = 1; j < K; j++)
        m = MAX (m, z[i * K + j]);
      for (int j = 0; j < K; j++)
        s += exp (z[i * K + j] - m);
      want += m + log (s) - z[i * K + labels[i]];
    }
  want /= N;
  got = mh_loss_cross_entropy (z, labels, N, K, LOSS_SCALE, grad);
  g_assert_cmpfloat_with_epsilon (got, want, 1e-5 * (1 + want));
  /* each row of softmax − one-hot sums to 0 */
  for (int i = 0; i < N; i++)
    {
      double s = 0;
      for (int j = 0; j < K; j++)
        s += grad[i * K + j];
      g_assert_cmpfloat_with_epsilon (s, 0.0, 1e-6);
    }
  check_loss_grad (ce_func, z, labels, N, K, 1e-2f);

  /* extreme logits E = 80 and E = 200
   * (past float32's expf overflow at 88.7, so only a max-subtracting softmax
   * survives).  Row 0: z = (E, −E, 0), label 1:
   *   logsumexp = E + log(1 + e^−E + e^−2E) ≈ E, loss ≈ E − (−E) = 2E,
   *   grad ≈ (1, −1, 0) · s with s = scale/n.
   * Row 1: z = (−E, E, E), label 1: logsumexp = E + log 2, loss = log 2,
   *   grad ≈ (0, ½ − 1, ½) · s. */
  for (int e = 0; e < 2; e++)
    {
      float big = e == 0 ? 80.0f : 200.0f;
      float ze[6] = { big, -big, 0, -big, big, big }, ge[6];
      int le[2] = { 1, 1 };
      double s = LOSS_SCALE / 2.0;
      double want_g[6] = { s, -s, 0, 0, -s / 2, s / 2 };

      got = mh_loss_cross_entropy (ze, le, 2, 3, LOSS_SCALE, ge);
      g_assert_true (isfinite (got));
      assert_all_finite (ge, 6);
      g_assert_cmpfloat_with_epsilon (got, (2 * big + G_LN2) / 2, 1e-4);
      for (int j = 0; j < 6; j++)
        g_assert_cmpfloat_with_epsilon (ge[j], want_g[j], 1e-6);
    }
}

static void
test_loss_bce (void)
{
  enum { N = 3, K = 4 };
  g_autoptr(GRand) rng = g_rand_new_with_seed (52);
  float z[N * K], t[N * K], grad[N * K];
  double want = 0, got;

  fill_uniform (z, N * K, -4, 4, rng);
  for (int i = 0; i < N * K; i++)
    t[i] = (float) g_rand_int_range (rng, 0, 2);
  /* −[t·log σ(z) + (1 − t)·log(1 − σ(z))], plainly in double (|z| ≤ 4) */
  for (int i = 0; i < N * K; i++)
    {
      double sig = 1 / (1 + exp (-z[i]));
      want -= t[i] * log (sig) + (1 - t[i]) * log (1 - sig);
    }
  want /= N * K;
  got = mh_loss_bce (z, t, N, K, LOSS_SCALE, grad);
  g_assert_cmpfloat_with_epsilon (got, want, 1e-5 * (1 + want));
  check_loss_grad (bce_func, z, t, N, K, 1e-2f);

  /* extreme logits, E = 80 and 200 (see cross-entropy):
   * z = (E, −E, E, −E), t = (0, 1, 1, 0): the wrong two cost
   * E + log(1 + e^−E) ≈ E each, the right two log(1 + e^−E) ≈ 0, mean E/2;
   * grad = (σ(z) − t)·scale/4 ≈ (1, −1, 0, 0)·scale/4 */
  for (int e = 0; e < 2; e++)
    {
      float big = e == 0 ? 80.0f : 200.0f;
      float ze[4] = { big, -big, big, -big }, te[4] = { 0, 1, 1, 0 }, ge[4];
      double s = LOSS_SCALE / 4.0;
      double want_g[4] = { s, -s, 0, 0 };

      got = mh_loss_bce (ze, te, 1, 4, LOSS_SCALE, ge);
      g_assert_true (isfinite (got));
      assert_all_finite (ge, 4);
      g_assert_cmpfloat_with_epsilon (got, big / 2, 1e-4);
      for (int j = 0; j < 4; j++)
        g_assert_cmpfloat_with_epsilon (ge[j], want_g[j], 1e-6);
    }
}

static void
test_loss_mse (void)
{
  enum { N = 3, K = 4 };
  g_autoptr(GRand) rng = g_rand_new_with_seed (53);
  float z[N * K], t[N * K], grad[N * K];
  double want = 0, got;

  fill_uniform (z, N * K, -2, 2, rng);
  fill_uniform (t, N * K, -2, 2, rng);
  for (int i = 0; i < N * K; i++)
    want += ((double) z[i] - t[i]) * ((double) z[i] - t[i]);
  want /= N * K;
  got = mh_loss_mse (z, t, N, K, LOSS_SCALE, grad);
  g_assert_cmpfloat_with_epsilon (got, want, 1e-6 * (1 + want));
  check_loss_grad (mse_func, z, t, N, K, 1e-2f);

  /* by hand: z = (1, 3), t = (0, 0): (1 + 9)/2 = 5, grad = 2·(1, 3)/2·scale */
  {
    float zh[2] = { 1, 3 }, th[2] = { 0, 0 }, gh[2];
    g_assert_cmpfloat_with_epsilon (mh_loss_mse (zh, th, 1, 2, LOSS_SCALE, gh), 5.0, 1e-6);
    g_assert_cmpfloat_with_epsilon (gh[0], 1 * LOSS_SCALE, 1e-6);
    g_assert_cmpfloat_with_epsilon (gh[1], 3 * LOSS_SCALE, 1e-6);
  }
}

static void
test_loss_smooth_l1 (void)
{
  /* differences d = z − t on both sides of |d| = 1, none within ε of it */
  enum { N = 2, K = 5 };
  const float d[N * K] = { -2.5f, -1.3f, -0.6f, -0.2f, 0.0f, 0.3f, 0.8f, 1.2f, 3.0f, -0.95f };
  g_autoptr(GRand) rng = g_rand_new_with_seed (54);
  float z[N * K], t[N * K], grad[N * K];
  double want = 0, got;

  fill_uniform (t, N * K, -1, 1, rng);
  for (int i = 0; i < N * K; i++)
    z[i] = t[i] + d[i];
  /* |d| < 1: ½d², else |d| − ½ */
  for (int i = 0; i < N * K; i++)
    {
      double di = (double) z[i] - t[i];
      want += fabs (di) < 1 ? 0.5 * di * di : fabs (di) - 0.5;
    }
  want /= N * K;
  got = mh_loss_smooth_l1 (z, t, N, K, LOSS_SCALE, grad);
  g_assert_cmpfloat_with_epsilon (got, want, 1e-6 * (1 + want));
  check_loss_grad (smooth_l1_func, z, t, N, K, 1e-2f);

  /* by hand: d = (−3, 0.5, 2): (2.5 + 0.125 + 1.5)/3 = 1.375,
   * grad = (−1, 0.5, 1)·scale/3 */
  {
    float zh[3] = { -3, 0.5f, 2 }, th[3] = { 0, 0, 0 }, gh[3];
    g_assert_cmpfloat_with_epsilon (mh_loss_smooth_l1 (zh, th, 1, 3, LOSS_SCALE, gh), 1.375, 1e-6);
    g_assert_cmpfloat_with_epsilon (gh[0], -1 * LOSS_SCALE / 3.0, 1e-6);
    g_assert_cmpfloat_with_epsilon (gh[1], 0.5 * LOSS_SCALE / 3.0, 1e-6);
    g_assert_cmpfloat_with_epsilon (gh[2], 1 * LOSS_SCALE / 3.0, 1e-6);
  }
}

static void
test_count_correct (void)
{
  /* argmax per row: 2, 0, 1, 1; labels 2, 1, 1, 0 → rows 0 and 2 right */
  const float z[4 * 3] = {
    0.1f, 0.2f, 0.9f,
    5.0f, -1.0f, 4.9f,
    -3.0f, -1.0f, -2.0f,
    0.0f, 7.0f, 6.0f,
  };
  const int labels[4] = { 2, 1, 1, 0 };

  g_assert_cmpint (mh_count_correct (z, labels, 4, 3), ==, 2);
  g_assert_cmpint (mh_count_correct (z, labels, 1, 3), ==, 1);
  g_assert_cmpint (mh_count_correct (z + 3, labels + 1, 1, 3), ==, 0);
  g_assert_cmpint (mh_count_correct (z, labels, 0, 3), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/grad/dense", test_dense);
  for (guint i = 0; i < G_N_ELEMENTS (conv_cases); i++)
    g_test_add_data_func (conv_cases[i].path, &conv_cases[i], test_conv);
  for (guint i = 0; i < G_N_ELEMENTS (pool_cases); i++)
    g_test_add_data_func (pool_cases[i].path, &pool_cases[i], test_maxpool);
  g_test_add_func ("/engine/grad/relu", test_relu);
  g_test_add_func ("/engine/grad/gelu", test_gelu);
  g_test_add_func ("/engine/grad/dropout", test_dropout);
  g_test_add_func ("/engine/grad/flatten", test_flatten);
  g_test_add_func ("/engine/grad/layernorm/features", test_layernorm_features);
  g_test_add_func ("/engine/grad/layernorm/tokens", test_layernorm_tokens);
  g_test_add_func ("/engine/grad/loss/cross-entropy", test_loss_cross_entropy);
  g_test_add_func ("/engine/grad/loss/bce", test_loss_bce);
  g_test_add_func ("/engine/grad/loss/mse", test_loss_mse);
  g_test_add_func ("/engine/grad/loss/smooth-l1", test_loss_smooth_l1);
  g_test_add_func ("/engine/grad/loss/count-correct", test_count_correct);

  return g_test_run ();
}
