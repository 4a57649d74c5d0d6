/* test-balance.c — loss balancing and gradient conflict: PCGrad on
 * hand-made gradients, a GradNorm update worked out by hand, the
 * uncertainty objective's gradient, conflict figures, and whole runs. */
#include <math.h>
#include <string.h>
#include "mh-balance.h"
#include "mh-training.h"
#include "mh-test-util.h"

/* g1 = (1, 0), g2 = (−1, 1): g1·g2 = −1 < 0, so
 *   g1' = g1 − (g1·g2)/|g2|² g2 = (1, 0) + ½(−1, 1) = (½, ½)
 *   g2' = g2 − (g2·g1)/|g1|² g1 = (−1, 1) + (1, 0) = (0, 1)
 * Σ g' = (½, 3⁄2) = c1·g1 + c2·g2 with c2 = 3⁄2 (the y part), c1 = 2 (x: c1 − c2 = ½). */
static void
test_pcgrad_2d (void)
{
  double gram[4] = { 1, -1, -1, 2 };
  float w[2] = { 1, 1 }, coef[2];
  int order[2] = { 0, 1 };

  mh_pcgrad_coefficients (gram, w, 2, order, coef);
  g_assert_cmpfloat_with_epsilon (coef[0], 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (coef[1], 1.5, 1e-6);
}

/* Weights scale the vectors PCGrad sees: with w = (2, 1) the weighted
 * gradients are (2, 0) and (−1, 1): (2,0)·(−1,1) = −2;
 *   a' = (2,0) + (−1,1) = (1, 1);  b' = (−1,1) + ½(2,0) = (0, 1)
 * Σ = (1, 2) = c1·g1 + c2·g2 with c2 = 2, c1 − c2 = 1: c1 = 3. */
static void
test_pcgrad_weighted (void)
{
  double gram[4] = { 1, -1, -1, 2 };
  float w[2] = { 2, 1 }, coef[2];
  int order[2] = { 1, 0 };

  mh_pcgrad_coefficients (gram, w, 2, order, coef);
  g_assert_cmpfloat_with_epsilon (coef[0], 3.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (coef[1], 2.0, 1e-6);
}

/* Gradients that agree (positive dot products) are left alone. */
static void
test_pcgrad_no_conflict (void)
{
  double gram[9] = { 1, 0.5, 0, 0.5, 2, 0.1, 0, 0.1, 3 };
  float w[3] = { 1, 0.5, 2 }, coef[3];
  int order[3] = { 2, 0, 1 };

  mh_pcgrad_coefficients (gram, w, 3, order, coef);
  for (int i = 0; i < 3; i++)
    g_assert_cmpfloat_with_epsilon (coef[i], w[i], 1e-6);
}

/* Three vectors in 3-D checked against projections done on the vectors
 * themselves, in the test: the coefficients must reproduce Σ g'. */
static void
test_pcgrad_vectors (void)
{
  double g[3][3] = { { 1, 0.2, 0 }, { -0.8, 1, 0.3 }, { -0.5, -0.6, 1 } };
  double gram[9], proj[3][3], sum[3] = { 0 }, got[3] = { 0 };
  float w[3] = { 1, 1, 1 }, coef[3];
  int order[3] = { 0, 1, 2 };

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      gram[i * 3 + j] = g[i][0] * g[j][0] + g[i][1] * g[j][1] + g[i][2] * g[j][2];
  for (int i = 0; i < 3; i++)
    {
      memcpy (proj[i], g[i], sizeof proj[i]);
      for (int t = 0; t < 3; t++)
        {
          int j = order[t];
          double d = 0;
          if (j == i)
            continue;
          for (int k = 0; k < 3; k++)
            d += proj[i][k] * g[j][k];
          if (d < 0)
            for (int k = 0; k < 3; k++)
              proj[i][k] -= d / gram[j * 3 + j] * g[j][k];
        }
      for (int k = 0; k < 3; k++)
        sum[k] += proj[i][k];
    }
  mh_pcgrad_coefficients (gram, w, 3, order, coef);
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < 3; k++)
      got[k] += coef[i] * g[i][k];
  for (int k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (got[k], sum[k], 1e-6);
}

/* w = (1, 1), ‖g‖ = (1, 3), equal loss ratios, α anything: Ḡ = 2, target 2;
 * G1 = 1 < 2: w1 += lr·1; G2 = 3 > 2: w2 −= lr·3.  lr = 0.1: (1.1, 0.7),
 * renormalised to Σ = 2: (1.1, 0.7)·2/1.8 = (1.2222…, 0.7777…). */
static void
test_gradnorm_update (void)
{
  double w[2] = { 1, 1 }, norm[2] = { 1, 3 }, ratio[2] = { 1, 1 };

  mh_gradnorm_update (w, norm, ratio, 2, 1.5, 0.1);
  g_assert_cmpfloat_with_epsilon (w[0], 1.1 * 2 / 1.8, 1e-9);
  g_assert_cmpfloat_with_epsilon (w[1], 0.7 * 2 / 1.8, 1e-9);
}

/* A head that trains slower (higher loss ratio) gets a higher target with
 * α > 0, so its weight grows relative to the other's. */
static void
test_gradnorm_rates (void)
{
  double w[2] = { 1, 1 }, norm[2] = { 1, 1 }, ratio[2] = { 0.5, 1.0 };

  for (int i = 0; i < 50; i++)
    mh_gradnorm_update (w, norm, ratio, 2, 1.0, 0.01);
  g_assert_cmpfloat (w[1], >, w[0]);
  g_assert_cmpfloat_with_epsilon (w[0] + w[1], 2.0, 1e-9);
}

/* d/ds of Σ e^−s·L + s against central differences (ε = 1e-5, double:
 * |a − n| ≤ 1e-7). */
static void
test_uncertainty_gradient (void)
{
  double s[3] = { -0.3, 0.2, 1.1 }, L[3] = { 0.7, 2.5, 0.05 }, g[3];

  mh_uncertainty_objective (s, L, 3, g);
  for (int i = 0; i < 3; i++)
    {
      double keep = s[i], up, down;
      s[i] = keep + 1e-5;
      up = mh_uncertainty_objective (s, L, 3, NULL);
      s[i] = keep - 1e-5;
      down = mh_uncertainty_objective (s, L, 3, NULL);
      s[i] = keep;
      g_assert_cmpfloat (fabs (g[i] - (up - down) / 2e-5), <=, 1e-7);
    }
}

static MhProject *
project (const char *method)
{
  static const char *json =
    "{ \"format\": 1, \"name\": \"bal\", \"dataset\": { \"kind\": \"fashion-mnist\" },"
    "  \"backbone\": { \"layers\": [ { \"type\": \"flatten\" }, { \"type\": \"dense\", \"name\": \"mid\", \"units\": 24 },"
    "    { \"type\": \"relu\" }, { \"type\": \"dense\", \"units\": 16 }, { \"type\": \"relu\" } ] },"
    "  \"heads\": [ { \"name\": \"cls\", \"target\": \"cls\", \"layers\": [ { \"type\": \"dense\" } ] },"
    "    { \"name\": \"half\", \"target\": \"half\", \"layers\": [ { \"type\": \"dense\" } ] },"
    "    { \"name\": \"pos\", \"kind\": \"regression\", \"target\": \"pos\", \"layers\": [ { \"type\": \"dense\" } ] },"
    "    { \"name\": \"tags\", \"kind\": \"multilabel\", \"target\": \"tags\", \"input\": \"mid\","
    "      \"layers\": [ { \"type\": \"dense\" } ] } ],"
    "  \"optimizer\": { \"lr\": 0.003 }, \"training\": { \"batch\": 32, \"seed\": 3 } }";
  g_autoptr (GError) error = NULL;
  MhProject *p = mh_project_load_data (json, -1, "bal.mhproj", &error);

  g_assert_no_error (error);
  g_free (p->balancing);
  p->balancing = g_strdup (method);
  return p;
}

/* Uncertainty weighting with constant losses learns s = log L: weights 1/L. */
static void
test_uncertainty_learns (void)
{
  g_autoptr (MhProject) p = project ("uncertainty");
  MhBalance *b = mh_balance_new (p, 1);
  double gram[16], losses[4] = { 0.5, 2.0, 1.0, 0.25 };

  p->balancing_lr = 0.05;
  b->lr = 0.05;
  for (int i = 0; i < 16; i++)
    gram[i] = NAN;
  for (int t = 0; t < 2000; t++)
    {
      mh_balance_weights (b);
      mh_balance_after_heads (b, gram, losses);
    }
  mh_balance_weights (b);
  for (int h = 0; h < 4; h++)
    g_assert_cmpfloat (fabs (b->weight[h] - 1.0 / losses[h]), <=, 0.05 / losses[h]);
  mh_balance_free (b);
}

/* Switching methods keeps every method's state. */
static void
test_switch_keeps_state (void)
{
  g_autoptr (MhProject) p = project ("uncertainty");
  MhBalance *b = mh_balance_new (p, 1);
  double gram[16], losses[4] = { 0.5, 2.0, 1.0, 0.25 }, kept[4];

  for (int i = 0; i < 16; i++)
    gram[i] = NAN;
  for (int t = 0; t < 50; t++)
    {
      mh_balance_weights (b);
      mh_balance_after_heads (b, gram, losses);
    }
  memcpy (kept, b->log_var, sizeof kept);
  mh_balance_set_method (b, MH_BALANCE_FIXED);
  for (int t = 0; t < 10; t++)
    mh_balance_after_heads (b, gram, losses);
  g_assert_cmpfloat (b->weight[0], ==, 1.0f);
  mh_balance_set_method (b, MH_BALANCE_UNCERTAINTY);
  g_assert_true (memcmp (kept, b->log_var, sizeof kept) == 0);
  g_assert_cmpfloat_with_epsilon (b->weight[1], exp (-kept[1]), 1e-6);
  mh_balance_set_method (b, MH_BALANCE_EQUAL);
  g_assert_cmpfloat_with_epsilon (b->weight[2], 0.25, 1e-7);
  mh_balance_free (b);
}

/* Cosines, norms and the share of conflicting steps from known Gram
 * matrices; NaN for heads on different taps. */
static void
test_conflict_figures (void)
{
  g_autoptr (MhProject) p = project ("fixed");
  MhBalance *b = mh_balance_new (p, 1);
  double losses[4] = { 1, 1, 1, 1 }, cosine[16], negative[16], norm[4];
  /* heads 0–2 share a tap: |g0| = 1, |g1| = 2, |g2| = 3; head 3 alone */
  double step1[16] = { 1, -1, 0, NAN, -1, 4, 3, NAN, 0, 3, 9, NAN, NAN, NAN, NAN, 4 };
  double step2[16] = { 1, 1, 0, NAN, 1, 4, 3, NAN, 0, 3, 9, NAN, NAN, NAN, NAN, 4 };

  mh_balance_after_heads (b, step1, losses);
  g_assert_cmpfloat_with_epsilon (b->cosine[0 * 4 + 1], -0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (b->cosine[1 * 4 + 2], 0.5, 1e-12);
  g_assert_true (isnan (b->cosine[0 * 4 + 3]));
  g_assert_cmpfloat_with_epsilon (b->grad_norm[2], 3.0, 1e-12);
  mh_balance_after_heads (b, step2, losses);
  mh_balance_take_epoch (b, cosine, negative, norm);
  g_assert_cmpfloat_with_epsilon (cosine[0 * 4 + 1], 0.0, 1e-12);   /* mean of −½ and ½ */
  g_assert_cmpfloat_with_epsilon (negative[0 * 4 + 1], 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (negative[1 * 4 + 2], 0.0, 1e-12);
  g_assert_true (isnan (cosine[2 * 4 + 3]));
  g_assert_cmpfloat_with_epsilon (norm[1], 2.0, 1e-12);
  /* and the epoch starts again */
  mh_balance_take_epoch (b, cosine, NULL, NULL);
  g_assert_true (isnan (cosine[0]));
  mh_balance_free (b);
}

/* Whole runs with every method: the loss goes down, weights stay finite
 * and positive, conflict figures exist for heads on the backbone's output
 * and are NaN against the head on the "mid" tap. */
static void
test_runs (gconstpointer data)
{
  const char *method = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) splits = mh_test_blob_splits (256, 64, 8, 8, 5);
  g_autoptr (MhProject) p = project (method);
  g_autoptr (MhTraining) run = NULL;
  MhHeadMetrics before[4], after[4];

  run = mh_training_new (p, splits, 200, 2, "bal.mhproj", &error);
  g_assert_no_error (error);
  mh_training_evaluate (run, splits->train, before);
  for (int i = 0; i < 200; i++)
    {
      mh_training_step (run, &error);
      g_assert_no_error (error);
    }
  mh_training_evaluate (run, splits->train, after);
  for (int h = 0; h < 4; h++)
    {
      g_assert_cmpfloat (after[h].loss, <, before[h].loss);
      g_assert_true (isfinite (run->balance->weight[h]) && run->balance->weight[h] > 0);
    }
  g_assert_true (isfinite (run->balance->cosine[0 * 4 + 1]));
  g_assert_true (isfinite (run->balance->cosine[1 * 4 + 2]));
  g_assert_true (isnan (run->balance->cosine[0 * 4 + 3]));
  g_assert_true (isfinite (run->balance->grad_norm[3]));
  if (g_str_equal (method, "gradnorm"))
    {
      double sum = 0;
      for (int h = 0; h < 4; h++)
        sum += run->balance->weight[h];
      g_assert_cmpfloat_with_epsilon (sum, 4.0, 1e-4);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/balance/pcgrad/2d", test_pcgrad_2d);
  g_test_add_func ("/engine/balance/pcgrad/weighted", test_pcgrad_weighted);
  g_test_add_func ("/engine/balance/pcgrad/no-conflict", test_pcgrad_no_conflict);
  g_test_add_func ("/engine/balance/pcgrad/vectors", test_pcgrad_vectors);
  g_test_add_func ("/engine/balance/gradnorm/update", test_gradnorm_update);
  g_test_add_func ("/engine/balance/gradnorm/rates", test_gradnorm_rates);
  g_test_add_func ("/engine/balance/uncertainty/gradient", test_uncertainty_gradient);
  g_test_add_func ("/engine/balance/uncertainty/learns", test_uncertainty_learns);
  g_test_add_func ("/engine/balance/switch-keeps-state", test_switch_keeps_state);
  g_test_add_func ("/engine/balance/conflict-figures", test_conflict_figures);
  g_test_add_data_func ("/engine/balance/run/fixed", "fixed", test_runs);
  g_test_add_data_func ("/engine/balance/run/equal", "equal", test_runs);
  g_test_add_data_func ("/engine/balance/run/uncertainty", "uncertainty", test_runs);
  g_test_add_data_func ("/engine/balance/run/gradnorm", "gradnorm", test_runs);
  g_test_add_data_func ("/engine/balance/run/pcgrad", "pcgrad", test_runs);
  return g_test_run ();
}
