/* test-optim.c — SGD, Adam and AdamW against reference loops written here
 * (PyTorch's update rules, in double), gradient clipping, parameter ranges
 * and learning-rate schedules.
 *
 * The engine updates float32 parameters, so results are compared with
 * |p − p_ref| ≤ 1e-6 · (1 + |p_ref|): a few ulps of values ~1 plus the
 * rounding of float32 constants such as β₂ (1 − 0.999f differs from 0.001 by
 * 1.3e-5 relative, which moves an Adam update of size lr by ~1e-7).  A
 * missing bias correction, momentum term or decay changes the result by
 * 1e-4 or more.
 */
#include <math.h>
#include <string.h>
#include "mh-optim.h"

#define N_PARAMS 6

static MhOptimSpec
optim_spec (const char *kind, double lr)
{
  return (MhOptimSpec) {
    .kind = (char *) kind,
    .lr = lr,
    .momentum = 0,
    .beta1 = 0.9,
    .beta2 = 0.999,
    .eps = 1e-8,
    .weight_decay = 0,
    .clip_norm = 0,
  };
}

static MhScheduleSpec
schedule_spec (const char *kind, int warmup, double min_lr)
{
  return (MhScheduleSpec) { .kind = (char *) kind, .warmup_steps = warmup, .min_lr = min_lr };
}

static void
fill_uniform (float *v, gsize len, double lo, double hi, GRand *rng)
{
  for (gsize i = 0; i < len; i++)
    v[i] = (float) g_rand_double_range (rng, lo, hi);
}

static void
assert_params (const float *got, const double *want, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!(fabs (got[i] - want[i]) <= 1e-6 * (1 + fabs (want[i]))))
      {
        g_test_fail_printf ("p[%" G_GSIZE_FORMAT "] = %.9g, reference %.9g", i, got[i], want[i]);
        return;
      }
}

/* ---- SGD --------------------------------------------------------------- */

static void
test_sgd_plain (void)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (1);
  MhScheduleSpec sched = schedule_spec ("constant", 0, 0);
  MhRange all = { 0, N_PARAMS };

  /* p ← p − lr·(g + wd·p), without and with weight decay (L2 for SGD) */
  for (int with_wd = 0; with_wd < 2; with_wd++)
    {
      MhOptimSpec spec = optim_spec ("sgd", 0.1);
      float p[N_PARAMS], g[N_PARAMS];
      double want[N_PARAMS];
      MhOptim *o;

      spec.weight_decay = with_wd ? 0.05 : 0;
      o = mh_optim_new (&spec, &sched, N_PARAMS, 10);
      fill_uniform (p, N_PARAMS, -1, 1, rng);
      fill_uniform (g, N_PARAMS, -1, 1, rng);
      for (int i = 0; i < N_PARAMS; i++)
        want[i] = p[i] - 0.1 * (g[i] + spec.weight_decay * p[i]);
      g_assert_cmpint (mh_optim_step_count (o), ==, 0);
      mh_optim_step (o, p, g, &all, 1);
      g_assert_cmpint (mh_optim_step_count (o), ==, 1);
      assert_params (p, want, N_PARAMS);
      mh_optim_free (o);
    }
}

/* PyTorch's SGD: g' = g + wd·p; buf = g' on the first step, then
 * buf = m·buf + g'; p ← p − lr·buf.  Three steps, a new gradient each. */
static void
test_sgd_momentum (void)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (2);
  MhOptimSpec spec = optim_spec ("sgd", 0.05);
  MhScheduleSpec sched = schedule_spec ("constant", 0, 0);
  MhRange all = { 0, N_PARAMS };
  float p[N_PARAMS], g[N_PARAMS];
  double ref[N_PARAMS], buf[N_PARAMS];
  MhOptim *o;

  spec.momentum = 0.9;
  spec.weight_decay = 0.01;
  o = mh_optim_new (&spec, &sched, N_PARAMS, 10);
  fill_uniform (p, N_PARAMS, -1, 1, rng);
  for (int i = 0; i < N_PARAMS; i++)
    ref[i] = p[i];
  for (int t = 0; t < 3; t++)
    {
      fill_uniform (g, N_PARAMS, -1, 1, rng);
      for (int i = 0; i < N_PARAMS; i++)
        {
          double gi = g[i] + 0.01 * ref[i];
          buf[i] = t == 0 ? gi : 0.9 * buf[i] + gi;
          ref[i] -= 0.05 * buf[i];
        }
      mh_optim_step (o, p, g, &all, 1);
      assert_params (p, ref, N_PARAMS);
    }
  mh_optim_free (o);
}

/* ---- Adam, AdamW ------------------------------------------------------- */

/* One PyTorch Adam/AdamW step at t (1-based) on double state:
 * g' = g + wd·p (Adam, L2) or p ← p·(1 − lr·wd) first (AdamW);
 * m = β₁m + (1 − β₁)g', v = β₂v + (1 − β₂)g'², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
 * p ← p − lr·m̂/(√v̂ + eps). */
static void
adam_reference (double *p, const float *g, double *m, double *v, int n, int t,
                double lr, double wd, gboolean decoupled)
{
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;

  for (int i = 0; i < n; i++)
    {
      double gi = g[i] + (decoupled ? 0 : wd * p[i]);
      if (decoupled)
        p[i] *= 1 - lr * wd;
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      p[i] -= lr * (m[i] / (1 - pow (b1, t))) / (sqrt (v[i] / (1 - pow (b2, t))) + eps);
    }
}

/* Runs 3 steps of `kind` with weight decay `wd` from the same start as the
 * reference; leaves the final parameters in `out`. */
static void
run_adam (const char *kind, double wd, gboolean decoupled, float *out)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (3);
  MhOptimSpec spec = optim_spec (kind, 0.01);
  MhScheduleSpec sched = schedule_spec ("constant", 0, 0);
  MhRange all = { 0, N_PARAMS };
  double ref[N_PARAMS], m[N_PARAMS] = { 0 }, v[N_PARAMS] = { 0 };
  float g[N_PARAMS];
  MhOptim *o;

  spec.weight_decay = wd;
  o = mh_optim_new (&spec, &sched, N_PARAMS, 10);
  fill_uniform (out, N_PARAMS, -2, 2, rng);
  for (int i = 0; i < N_PARAMS; i++)
    ref[i] = out[i];
  for (int t = 1; t <= 3; t++)
    {
      fill_uniform (g, N_PARAMS, -1, 1, rng);
      adam_reference (ref, g, m, v, N_PARAMS, t, 0.01, wd, decoupled);
      mh_optim_step (o, out, g, &all, 1);
      assert_params (out, ref, N_PARAMS);
    }
  mh_optim_free (o);
}

static void
test_adam (void)
{
  float p[N_PARAMS];

  run_adam ("adam", 0, FALSE, p);
  /* Adam's weight decay is PyTorch's: L2, added to the gradient */
  run_adam ("adam", 0.5, FALSE, p);
}

static void
test_adamw (void)
{
  float pw[N_PARAMS], pl2[N_PARAMS];
  double diff = 0;

  run_adam ("adamw", 0.5, TRUE, pw);
  /* the same run with L2 instead of decoupled decay ends elsewhere: the
   * decay terms are lr·wd·|p| ~ 0.005 per step */
  run_adam ("adam", 0.5, FALSE, pl2);
  for (int i = 0; i < N_PARAMS; i++)
    diff = MAX (diff, fabs (pw[i] - pl2[i]));
  g_assert_cmpfloat (diff, >, 1e-3);
}

/* ---- clipping and ranges ----------------------------------------------- */

static void
test_clip (void)
{
  MhOptimSpec spec = optim_spec ("sgd", 0.1);
  MhScheduleSpec sched = schedule_spec ("constant", 0, 0);
  /* the range covers g[0..3] = (6, 8, 0, 0): norm √(36 + 64) = 10; g[4..5]
   * lie outside, must neither count nor change */
  MhRange range = { 0, 4 };
  float p[N_PARAMS] = { 1, 2, 3, 4, 5, 6 };
  float g[N_PARAMS] = { 6, 8, 0, 0, 100, 100 };
  MhOptim *o;
  double norm;

  g_assert_cmpfloat_with_epsilon (mh_grad_norm (g, &range, 1), 10.0, 1e-6);

  /* clip_norm 1: the update is as if g were (0.6, 0.8, 0, 0) */
  spec.clip_norm = 1;
  o = mh_optim_new (&spec, &sched, N_PARAMS, 10);
  norm = mh_optim_step (o, p, g, &range, 1);
  g_assert_cmpfloat_with_epsilon (norm, 10.0, 1e-6);
  {
    double want[N_PARAMS] = { 1 - 0.1 * 0.6, 2 - 0.1 * 0.8, 3, 4, 5, 6 };
    assert_params (p, want, N_PARAMS);
  }
  g_assert_cmpfloat (g[4], ==, 100);
  g_assert_cmpfloat (g[5], ==, 100);

  /* below the limit nothing is scaled: g = (0.3, 0.4), norm 0.5 */
  {
    float p2[2] = { 0, 0 }, g2[2] = { 0.3f, 0.4f };
    double want[2] = { -0.1 * 0.3, -0.1 * 0.4 };
    MhRange r2 = { 0, 2 };

    g_assert_cmpfloat_with_epsilon (mh_optim_step (o, p2, g2, &r2, 1), 0.5, 1e-6);
    assert_params (p2, want, 2);
  }
  mh_optim_free (o);
}

static void
test_ranges (void)
{
  const char *kinds[] = { "sgd", "adam", "adamw" };
  MhScheduleSpec sched = schedule_spec ("constant", 0, 0);
  /* 10 parameters; only [0, 3) and [6, 8) are trained */
  MhRange ranges[2] = { { 0, 3 }, { 6, 2 } };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GRand) rng = g_rand_new_with_seed (4 + k);
      MhOptimSpec spec = optim_spec (kinds[k], 0.1);
      float p[10], start[10], g[10];
      MhOptim *o;

      spec.momentum = 0.9;
      spec.weight_decay = 0.1;
      spec.clip_norm = 0.5;
      o = mh_optim_new (&spec, &sched, 10, 10);
      fill_uniform (p, 10, -1, 1, rng);
      memcpy (start, p, sizeof p);
      for (int t = 0; t < 3; t++)
        {
          fill_uniform (g, 10, -1, 1, rng);
          mh_optim_step (o, p, g, ranges, 2);
        }
      for (int i = 0; i < 10; i++)
        {
          gboolean trained = i < 3 || (i >= 6 && i < 8);
          if (trained)
            g_assert_cmpfloat (p[i], !=, start[i]);
          else
            g_assert_cmpfloat (p[i], ==, start[i]);
        }
      mh_optim_free (o);
    }
}

/* ---- schedules --------------------------------------------------------- */

static void
test_schedule_constant (void)
{
  MhOptimSpec spec = optim_spec ("adam", 0.003);
  MhScheduleSpec sched = schedule_spec ("constant", 0, 0);
  MhOptim *o = mh_optim_new (&spec, &sched, 1, 100);
  int steps[] = { 0, 1, 50, 99, 100, 1000000 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, steps[i]), 0.003, 1e-12);
  mh_optim_free (o);
}

static void
test_schedule_warmup (void)
{
  /* warm-up 4 at lr 0.1: lr·(step + 1)/4 = 0.025, 0.05, 0.075, 0.1, then 0.1 */
  MhOptimSpec spec = optim_spec ("sgd", 0.1);
  MhScheduleSpec sched = schedule_spec ("constant", 4, 0);
  MhOptim *o = mh_optim_new (&spec, &sched, 1, 100);
  const double want[] = { 0.025, 0.05, 0.075, 0.1, 0.1, 0.1 };

  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, i), want[i], 1e-12);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 99), 0.1, 1e-12);
  mh_optim_free (o);
}

static void
test_schedule_cosine (void)
{
  /* base 0.1, min 0.001, warm-up 10, 110 steps: the cosine runs over steps
   * 10 … 110, from 0.1 to 0.001, through (0.1 + 0.001)/2 = 0.0505 at 60 */
  MhOptimSpec spec = optim_spec ("adamw", 0.1);
  MhScheduleSpec sched = schedule_spec ("cosine", 10, 0.001);
  MhOptim *o = mh_optim_new (&spec, &sched, 1, 110);
  double prev;

  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 0), 0.01, 1e-12);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 9), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 10), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 60), 0.0505, 1e-12);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 110), 0.001, 1e-12);
  /* past the end it stays at the minimum */
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 500), 0.001, 1e-12);
  prev = mh_optim_lr (o, 10);
  for (int s = 11; s <= 110; s++)
    {
      double lr = mh_optim_lr (o, s);
      g_assert_cmpfloat (lr, <, prev);
      prev = lr;
    }
  mh_optim_free (o);

  /* without warm-up the first step has the base rate */
  sched.warmup_steps = 0;
  o = mh_optim_new (&spec, &sched, 1, 100);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 0), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 50), 0.0505, 1e-12);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 100), 0.001, 1e-12);
  mh_optim_free (o);
}

/* Each step updates with the rate of its own index: SGD at lr 0.1 with a
 * warm-up of 4 and g = 1 moves p by 0.025, 0.05, 0.075, 0.1, 0.1. */
static void
test_schedule_applied (void)
{
  MhOptimSpec spec = optim_spec ("sgd", 0.1);
  MhScheduleSpec sched = schedule_spec ("constant", 4, 0);
  MhOptim *o = mh_optim_new (&spec, &sched, 1, 100);
  MhRange all = { 0, 1 };
  const double moves[] = { 0.025, 0.05, 0.075, 0.1, 0.1 };
  float p = 0;
  double want = 0;

  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    {
      float g = 1;
      mh_optim_step (o, &p, &g, &all, 1);
      want -= moves[i];
      g_assert_cmpfloat_with_epsilon (p, want, 1e-6);
    }
  mh_optim_free (o);
}

static void
test_set_base_lr (void)
{
  MhOptimSpec spec = optim_spec ("sgd", 0.1);
  MhScheduleSpec sched = schedule_spec ("constant", 0, 0);
  MhOptim *o = mh_optim_new (&spec, &sched, 1, 100);
  MhRange all = { 0, 1 };
  float p = 1, g = 1;

  mh_optim_step (o, &p, &g, &all, 1);
  g_assert_cmpfloat_with_epsilon (p, 0.9, 1e-7);
  mh_optim_set_base_lr (o, 0.01);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, mh_optim_step_count (o)), 0.01, 1e-12);
  g = 1;
  mh_optim_step (o, &p, &g, &all, 1);
  g_assert_cmpfloat_with_epsilon (p, 0.89, 1e-7);
  mh_optim_free (o);

  /* under a schedule the new base scales the whole curve */
  sched = schedule_spec ("cosine", 4, 0);
  o = mh_optim_new (&spec, &sched, 1, 100);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 1), 0.05, 1e-12);
  mh_optim_set_base_lr (o, 0.2);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 1), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (mh_optim_lr (o, 4), 0.2, 1e-12);
  mh_optim_free (o);
}

/* ---- end to end -------------------------------------------------------- */

/* minimise Σ (p − t)², gradient 2(p − t), with Adam at lr 0.1 */
static void
test_quadratic (void)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (5);
  MhOptimSpec spec = optim_spec ("adam", 0.1);
  MhScheduleSpec sched = schedule_spec ("constant", 0, 0);
  MhOptim *o = mh_optim_new (&spec, &sched, 8, 300);
  MhRange all = { 0, 8 };
  float p[8] = { 0 }, t[8], g[8];

  fill_uniform (t, 8, -3, 3, rng);
  for (int step = 0; step < 300; step++)
    {
      for (int i = 0; i < 8; i++)
        g[i] = 2 * (p[i] - t[i]);
      mh_optim_step (o, p, g, &all, 1);
    }
  g_assert_cmpint (mh_optim_step_count (o), ==, 300);
  for (int i = 0; i < 8; i++)
    g_assert_cmpfloat (fabsf (p[i] - t[i]), <, 1e-2);
  mh_optim_free (o);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/optim/sgd", test_sgd_plain);
  g_test_add_func ("/engine/optim/sgd-momentum", test_sgd_momentum);
  g_test_add_func ("/engine/optim/adam", test_adam);
  g_test_add_func ("/engine/optim/adamw", test_adamw);
  g_test_add_func ("/engine/optim/clip", test_clip);
  g_test_add_func ("/engine/optim/ranges", test_ranges);
  g_test_add_func ("/engine/optim/schedule/constant", test_schedule_constant);
  g_test_add_func ("/engine/optim/schedule/warmup", test_schedule_warmup);
  g_test_add_func ("/engine/optim/schedule/cosine", test_schedule_cosine);
  g_test_add_func ("/engine/optim/schedule/applied", test_schedule_applied);
  g_test_add_func ("/engine/optim/set-base-lr", test_set_base_lr);
  g_test_add_func ("/engine/optim/quadratic", test_quadratic);

  return g_test_run ();
}
