/* mh-grad-check.c — the finite-difference gradient harness of the layer
 * tests (test-grad.c, test-attention.c); mh-grad-check.h says what it checks.
 */
#include <math.h>
#include <string.h>
#include "mh-grad-check.h"

#define ALL_UP_TO  400     /* tensors this small are checked element by element */
#define MAX_CHECKS 64      /* otherwise this many elements */

/* ---- helpers ------------------------------------------------------------- */

void
fill_uniform (float *v, gsize len, double lo, double hi, GRand *rng)
{
  for (gsize i = 0; i < len; i++)
    v[i] = (float) g_rand_double_range (rng, lo, hi);
}

/* Random values with lo ≤ |v| < hi, either sign: away from ReLU's kink. */
void
fill_away_from_zero (float *v, gsize len, double lo, double hi, GRand *rng)
{
  for (gsize i = 0; i < len; i++)
    v[i] = (float) (g_rand_double_range (rng, lo, hi) * (g_rand_boolean (rng) ? 1 : -1));
}

/* A random permutation of the values (i − len/2)·step: all distinct, at least
 * `step` apart, so a small perturbation never changes which one is largest. */
void
fill_distinct (float *v, gsize len, double step, GRand *rng)
{
  for (gsize i = 0; i < len; i++)
    v[i] = (float) (((double) i - (double) len / 2) * step);
  for (gsize i = len - 1; i > 0; i--)
    {
      gsize j = (gsize) g_rand_int_range (rng, 0, (gint32) i + 1);
      float t = v[i];
      v[i] = v[j];
      v[j] = t;
    }
}

/* The elements to check: all of them when few, else MAX_CHECKS distinct ones
 * (a partial Fisher–Yates shuffle with a fixed seed). */
static gsize *
pick_indices (gsize len, guint32 seed, gsize *count)
{
  gsize *idx = g_new (gsize, len);

  for (gsize i = 0; i < len; i++)
    idx[i] = i;
  if (len <= ALL_UP_TO)
    {
      *count = len;
      return idx;
    }
  g_autoptr(GRand) rng = g_rand_new_with_seed (seed);
  for (gsize i = 0; i < MAX_CHECKS; i++)
    {
      gsize j = i + (gsize) g_rand_int_range (rng, 0, (gint32) (len - i));
      gsize t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
  *count = MAX_CHECKS;
  return idx;
}

/* |a − d| as a fraction of the tolerance: ≤ 1 passes */
static double
grad_error (double a, double d)
{
  return fabs (a - d) / (GRAD_ATOL + GRAD_RTOL * MAX (fabs (a), fabs (d)));
}

/* |got − want| ≤ tol · (1 + |want|), element by element. */
static void
assert_close_array (const float *got, const float *want, gsize len, double tol, const char *what)
{
  for (gsize i = 0; i < len; i++)
    if (!(fabs ((double) got[i] - want[i]) <= tol * (1 + fabs (want[i]))))
      {
        g_test_fail_printf ("%s[%" G_GSIZE_FORMAT "] = %.9g, expected %.9g",
                            what, i, got[i], want[i]);
        return;
      }
}

/* ---- the layer harness ------------------------------------------------- */


/* Make a layer of `spec` for inputs of shape `in`, batch `n`; its parameters
 * get the layer's own init plus a random offset (so that layernorm's γ = 1,
 * β = 0 and zero biases do not hide mistakes), x and r are U(−1, 1). */
Harness *
harness_new (const MhLayerSpec *spec, MhShape in, int n, guint32 seed)
{
  g_autoptr(GError) error = NULL;
  Harness *h = g_new0 (Harness, 1);
  MhLayer *l;

  h->l = l = mh_layer_new (spec, "t");
  g_assert_nonnull (l);
  l->in = in;
  g_assert_true (l->klass->infer (l, &error));
  g_assert_no_error (error);
  h->n = n;
  h->rng = g_rand_new_with_seed (seed);
  h->fwd_seed = seed ^ 0x5eed;
  h->fwd_rng = g_rand_new_with_seed (h->fwd_seed);
  h->in_len = (gsize) n * mh_shape_size (&l->in);
  h->out_len = (gsize) n * mh_shape_size (&l->out);
  /* exact sizes, so that AddressSanitizer sees any overrun */
  h->x = g_new (float, h->in_len);
  h->dx = g_new (float, h->in_len);
  h->y = g_new (float, h->out_len);
  h->r = g_new (float, h->out_len);
  h->scratch = g_new0 (float, l->scratch_per_sample * n);
  h->iscratch = g_new0 (int, l->iscratch_per_sample * n);
  for (int p = 0; p < l->n_params; p++)
    {
      MhParam *param = &l->params[p];
      g_assert_cmpuint (param->size, ==, mh_shape_size (&param->shape));
      param->data = g_new (float, param->size);
      param->grad = g_new (float, param->size);
      memset (param->data, 0, sizeof (float) * param->size);
    }
  if (l->klass->init != NULL)
    l->klass->init (l, h->rng);
  for (int p = 0; p < l->n_params; p++)
    for (gsize i = 0; i < l->params[p].size; i++)
      l->params[p].data[i] += (float) g_rand_double_range (h->rng, -0.3, 0.3);
  fill_uniform (h->x, h->in_len, -1, 1, h->rng);
  fill_uniform (h->r, h->out_len, -1, 1, h->rng);
  l->x = h->x;
  l->y = h->y;
  l->dx = h->dx;
  l->dy = h->r;
  l->scratch = h->scratch;
  l->iscratch = h->iscratch;
  return h;
}

void
harness_free (Harness *h)
{
  for (int p = 0; p < h->l->n_params; p++)
    {
      g_free (h->l->params[p].data);
      g_free (h->l->params[p].grad);
    }
  mh_layer_free (h->l);
  g_rand_free (h->rng);
  g_rand_free (h->fwd_rng);
  g_free (h->x);
  g_free (h->dx);
  g_free (h->y);
  g_free (h->r);
  g_free (h->scratch);
  g_free (h->iscratch);
  g_free (h);
}

void
harness_forward (Harness *h)
{
  /* The same random stream every time: dropout draws the same mask. */
  g_rand_set_seed (h->fwd_rng, h->fwd_seed);
  h->l->klass->forward (h->l, h->n, h->train, h->fwd_rng);
}

/* L = Σ r ⊙ y, in double */
static double
harness_loss (Harness *h)
{
  double sum = 0;

  harness_forward (h);
  for (gsize i = 0; i < h->out_len; i++)
    sum += (double) h->r[i] * h->y[i];
  return sum;
}

/* Compares the analytic gradient `analytic` of the tensor `v` (len floats,
 * which the layer reads) with central differences of L. */
void
check_fd (Harness *h, float *v, gsize len, const float *analytic, float eps, const char *what)
{
  gsize count;
  g_autofree gsize *idx = pick_indices (len, 1234 + (guint32) len, &count);
  double worst = 0;
  int failures = 0;

  for (gsize c = 0; c < count; c++)
    {
      gsize i = idx[c];
      float saved = v[i], up, down;
      double lp, lm, num;

      v[i] = up = saved + eps;
      lp = harness_loss (h);
      v[i] = down = saved - eps;
      lm = harness_loss (h);
      v[i] = saved;
      num = (lp - lm) / ((double) up - down);
      worst = MAX (worst, grad_error (analytic[i], num));
      if (!(grad_error (analytic[i], num) <= 1) && failures++ < 5)
        g_test_fail_printf ("%s %s[%" G_GSIZE_FORMAT "]: analytic %.7g, numeric %.7g",
                            h->l->klass->type, what, i, analytic[i], num);
    }
  g_test_message ("%s %s: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                  " elements checked, worst error %.3g of the tolerance",
                  h->l->klass->type, what, count, len, worst);
}

/* Everything a layer promises about its gradients:
 *  - dx and every parameter gradient match central differences;
 *  - with `accumulate`, dx_after = dx_before + dx (parameter gradients are
 *    still overwritten, not summed);
 *  - with dx == NULL the parameter gradients are still right;
 *  - a frozen layer leaves its parameter gradients alone and still gives dx.
 * Returns dx (fresh) for further checks; free with g_free(). */
float *
check_layer (Harness *h, float eps)
{
  MhLayer *l = h->l;
  float *fresh_dx = g_new (float, h->in_len);
  float *fresh_grad[MH_LAYER_MAX_PARAMS] = { NULL };
  const float sentinel = 12345.0f;

  /* the reference gradients; dx and the grads start as garbage */
  for (gsize i = 0; i < h->in_len; i++)
    h->dx[i] = NAN;
  for (int p = 0; p < l->n_params; p++)
    for (gsize i = 0; i < l->params[p].size; i++)
      l->params[p].grad[i] = NAN;
  harness_forward (h);
  l->klass->backward (l, h->n, FALSE);
  memcpy (fresh_dx, h->dx, sizeof (float) * h->in_len);
  for (int p = 0; p < l->n_params; p++)
    fresh_grad[p] = g_memdup2 (l->params[p].grad, sizeof (float) * l->params[p].size);

  check_fd (h, h->x, h->in_len, fresh_dx, eps, "dx");
  for (int p = 0; p < l->n_params; p++)
    check_fd (h, l->params[p].data, l->params[p].size, fresh_grad[p], eps, l->params[p].name);

  /* accumulate: adds to dx; parameter gradients overwritten all the same */
  {
    g_autofree float *prefill = g_new (float, h->in_len);
    g_autofree float *want = g_new (float, h->in_len);

    fill_uniform (prefill, h->in_len, -2, 2, h->rng);
    memcpy (h->dx, prefill, sizeof (float) * h->in_len);
    for (gsize i = 0; i < h->in_len; i++)
      want[i] = prefill[i] + fresh_dx[i];
    for (int p = 0; p < l->n_params; p++)
      for (gsize i = 0; i < l->params[p].size; i++)
        l->params[p].grad[i] = sentinel;
    harness_forward (h);   /* backward may consume its scratch (conv2d does) */
    l->klass->backward (l, h->n, TRUE);
    assert_close_array (h->dx, want, h->in_len, 1e-5, "accumulated dx");
    for (int p = 0; p < l->n_params; p++)
      assert_close_array (l->params[p].grad, fresh_grad[p], l->params[p].size, 1e-5,
                          "parameter gradient after an accumulating backward");
  }

  /* nobody needs dx: the parameter gradients alone */
  for (int p = 0; p < l->n_params; p++)
    for (gsize i = 0; i < l->params[p].size; i++)
      l->params[p].grad[i] = sentinel;
  l->dx = NULL;
  harness_forward (h);
  l->klass->backward (l, h->n, FALSE);
  l->dx = h->dx;
  for (int p = 0; p < l->n_params; p++)
    assert_close_array (l->params[p].grad, fresh_grad[p], l->params[p].size, 1e-5,
                        "parameter gradient with dx = NULL");

  /* frozen: parameter gradients untouched, dx still propagated */
  for (int p = 0; p < l->n_params; p++)
    for (gsize i = 0; i < l->params[p].size; i++)
      l->params[p].grad[i] = sentinel;
  for (gsize i = 0; i < h->in_len; i++)
    h->dx[i] = NAN;
  l->frozen = TRUE;
  harness_forward (h);
  l->klass->backward (l, h->n, FALSE);
  l->frozen = FALSE;
  assert_close_array (h->dx, fresh_dx, h->in_len, 1e-5, "dx of a frozen layer");
  for (int p = 0; p < l->n_params; p++)
    for (gsize i = 0; i < l->params[p].size; i++)
      if (l->params[p].grad[i] != sentinel)
        {
          g_test_fail_printf ("frozen %s wrote %s.grad[%" G_GSIZE_FORMAT "]",
                              l->klass->type, l->params[p].name, i);
          break;
        }

  for (int p = 0; p < l->n_params; p++)
    g_free (fresh_grad[p]);
  return fresh_dx;
}


Harness *
harness_for (const char *type, MhShape in, guint32 seed, SpecSetter set, gpointer data)
{
  MhLayerSpec spec;
  Harness *h;

  mh_layer_spec_init (&spec, type);
  if (set != NULL)
    set (&spec, data);
  h = harness_new (&spec, in, N_BATCH, seed);
  mh_layer_spec_clear (&spec);
  return h;
}

void
assert_out_shape (Harness *h, MhShape want)
{
  g_autofree char *got = mh_shape_to_string (&h->l->out);
  g_autofree char *expected = mh_shape_to_string (&want);

  g_assert_cmpstr (got, ==, expected);
}

void
assert_near (const float *got, const double *want, gsize len, double tol, const char *what)
{
  for (gsize i = 0; i < len; i++)
    if (!(fabs (got[i] - want[i]) <= tol * (1 + fabs (want[i]))))
      {
        g_test_fail_printf ("%s[%" G_GSIZE_FORMAT "] = %.7g, reference %.7g", what, i, got[i], want[i]);
        return;
      }
}

const MhParam *
layer_param (const MhLayer *l, const char *name)
{
  for (int i = 0; i < l->n_params; i++)
    if (g_str_equal (l->params[i].name, name))
      return &l->params[i];
  g_error ("%s has no parameter %s", l->klass->type, name);
}
