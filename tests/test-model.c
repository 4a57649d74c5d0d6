/* test-model.c — the multi-head model as a whole: heads' gradients add up on
 * the shared backbone, frozen blocks stay put, a tiny model overfits, seeded
 * runs are bit-reproducible, bad shapes are refused with clear messages. */
#include <math.h>
#include <string.h>
#include "mh-blas.h"
#include "mh-error.h"
#include "mh-training.h"
#include "mh-test-util.h"

/* A CNN backbone with a tap, four heads of every kind: one on the tap. */
static const char *multi_json =
  "{ \"format\": 1, \"name\": \"multi\", \"dataset\": { \"kind\": \"fashion-mnist\" },"
  "  \"backbone\": { \"kind\": \"cnn\", \"layers\": ["
  "    { \"type\": \"conv2d\", \"name\": \"conv1\", \"filters\": 4, \"kernel\": 3, \"padding\": 1 },"
  "    { \"type\": \"relu\" }, { \"type\": \"maxpool\", \"size\": 2 },"
  "    { \"type\": \"flatten\" }, { \"type\": \"dense\", \"name\": \"mid\", \"units\": 12 },"
  "    { \"type\": \"gelu\" }, { \"type\": \"layernorm\", \"name\": \"norm\" },"
  "    { \"type\": \"dense\", \"name\": \"feat\", \"units\": 10 }, { \"type\": \"relu\" } ] },"
  "  \"heads\": ["
  "    { \"name\": \"cls\", \"target\": \"cls\", \"layers\": [ { \"type\": \"dense\", \"units\": 6 },"
  "        { \"type\": \"relu\" }, { \"type\": \"dense\" } ] },"
  "    { \"name\": \"half\", \"target\": \"half\", \"input\": \"mid\", \"weight\": 0.7,"
  "      \"layers\": [ { \"type\": \"dense\" } ] },"
  "    { \"name\": \"pos\", \"kind\": \"regression\", \"loss\": \"mse\", \"target\": \"pos\", \"weight\": 2,"
  "      \"layers\": [ { \"type\": \"dense\" } ] },"
  "    { \"name\": \"tags\", \"kind\": \"multilabel\", \"target\": \"tags\", \"weight\": 0.5,"
  "      \"layers\": [ { \"type\": \"dense\" } ] } ],"
  "  \"training\": { \"batch\": 8, \"epochs\": 1, \"seed\": 5 } }";

static MhProject *
load (const char *json)
{
  g_autoptr (GError) error = NULL;
  MhProject *p = mh_project_load_data (json, -1, "test.mhproj", &error);

  g_assert_no_error (error);
  return p;
}

static MhModel *
build (const MhProject *p, const MhDataset *d, int batch)
{
  g_autoptr (GError) error = NULL;
  MhModel *m = mh_model_new (p, d, batch, "test.mhproj", &error);

  g_assert_no_error (error);
  mh_model_init (m, p->seed);
  return m;
}

static void
batch_of (MhModel *m, const MhDataset *d, int n)
{
  int *idx = g_newa (int, n);

  for (int i = 0; i < n; i++)
    idx[i] = i;
  mh_model_set_batch (m, d, idx, n);
}

static double
total_loss (MhModel *m, int n)
{
  mh_model_forward (m, n, FALSE, NULL);
  return mh_model_loss (m, n);
}

/* The gradient with every head equals the sum of each head's alone. */
static void
test_multihead_sum (void)
{
  g_autoptr (MhProject) p = load (multi_json);
  g_autoptr (MhDataset) d = mh_test_blob_dataset (8, 8, 8, 1);
  MhModel *m = build (p, d, 8);
  float *all = g_new (float, m->n_params), *sum = g_new0 (float, m->n_params);
  float *weights = g_newa (float, m->n_heads);

  g_assert_cmpint (m->n_heads, ==, 4);
  g_assert_cmpint (m->heads[1].attach, ==, 4);   /* "mid" */
  batch_of (m, d, 8);
  total_loss (m, 8);
  mh_model_backward (m, 8);
  memcpy (all, m->grads, sizeof (float) * m->n_params);
  for (int h = 0; h < m->n_heads; h++)
    weights[h] = m->heads[h].weight;
  for (int only = 0; only < m->n_heads; only++)
    {
      for (int h = 0; h < m->n_heads; h++)
        m->heads[h].weight = h == only ? weights[h] : 0.0f;
      total_loss (m, 8);
      mh_model_backward (m, 8);
      for (gsize i = 0; i < m->n_params; i++)
        sum[i] += m->grads[i];
    }
  double max_abs = 0;
  for (gsize i = 0; i < m->n_params; i++)
    max_abs = MAX (max_abs, fabsf (all[i]));
  g_assert_cmpfloat (max_abs, >, 1e-4);   /* there is a gradient at all */
  for (gsize i = 0; i < m->n_params; i++)
    g_assert_cmpfloat (fabsf (all[i] - sum[i]), <=, 1e-5 * MAX (1.0, fabsf (all[i])));
  g_free (all);
  g_free (sum);
  mh_model_free (m);
}

/* Finite differences of the weighted total loss through the whole model,
 * taps included.  Tolerance: |a − n| ≤ 2e-2·max(|a|, |n|) + 2e-4, float32
 * forward with ε = 1e-2 (relu/maxpool kinks make a few samples noisy, so
 * the check is on 40 sampled parameters and needs 90% of them right). */
static void
test_whole_model_gradient (void)
{
  g_autoptr (MhProject) p = load (multi_json);
  g_autoptr (MhDataset) d = mh_test_blob_dataset (6, 8, 8, 2);
  g_autoptr (GRand) rng = g_rand_new_with_seed (9);
  MhModel *m = build (p, d, 6);
  int good = 0, tried = 40;

  batch_of (m, d, 6);
  total_loss (m, 6);
  mh_model_backward (m, 6);
  for (int t = 0; t < tried; t++)
    {
      gsize i = g_rand_int_range (rng, 0, m->n_params);
      float keep = m->params[i], eps = 1e-2f, analytic = m->grads[i];
      m->params[i] = keep + eps;
      double up = total_loss (m, 6);
      m->params[i] = keep - eps;
      double down = total_loss (m, 6);
      m->params[i] = keep;
      double numeric = (up - down) / (2 * eps);
      good += fabs (analytic - numeric) <= 2e-2 * MAX (fabs (analytic), fabs (numeric)) + 2e-4;
    }
  g_assert_cmpint (good, >=, tried * 9 / 10);
  mh_model_free (m);
}

static gboolean
range_equal (const float *a, const float *b, gsize n)
{
  return memcmp (a, b, sizeof (float) * n) == 0;
}

static void
test_frozen (void)
{
  g_autofree char *json = g_strdup (multi_json);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) data = mh_test_blob_splits (32, 8, 8, 8, 3);
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhTraining) run = NULL;
  const MhParamRef *conv, *half, *cls;
  float *conv0, *half0, *cls0;

  /* Freeze conv1 and the whole "half" head. */
  p = load (json);
  g_array_index (p->backbone, MhLayerSpec, 0).frozen = TRUE;
  g_array_index (p->heads, MhHeadSpec, 1).frozen = TRUE;
  run = mh_training_new (p, data, 20, 2, "test.mhproj", &error);
  g_assert_no_error (error);
  conv = mh_model_find_param (run->model, "backbone.conv1.weight");
  half = mh_model_find_param (run->model, "heads.half.dense1.weight");
  cls = mh_model_find_param (run->model, "heads.cls.dense1.weight");
  g_assert_nonnull (conv);
  g_assert_nonnull (half);
  g_assert_nonnull (cls);
  conv0 = g_memdup2 (conv->param->data, sizeof (float) * conv->param->size);
  half0 = g_memdup2 (half->param->data, sizeof (float) * half->param->size);
  cls0 = g_memdup2 (cls->param->data, sizeof (float) * cls->param->size);
  for (int i = 0; i < 8; i++)
    {
      mh_training_step (run, &error);
      g_assert_no_error (error);
    }
  g_assert_true (range_equal (conv0, conv->param->data, conv->param->size));
  g_assert_true (range_equal (half0, half->param->data, half->param->size));
  g_assert_false (range_equal (cls0, cls->param->data, cls->param->size));
  /* The first layer computes no gradient for its input. */
  g_assert_null (((MhLayer *) run->model->backbone->pdata[0])->dx);
  g_free (conv0);
  g_free (half0);
  g_free (cls0);
}

static const char *mlp_json =
  "{ \"format\": 1, \"name\": \"tiny\", \"dataset\": { \"kind\": \"fashion-mnist\" },"
  "  \"backbone\": { \"layers\": [ { \"type\": \"flatten\" },"
  "    { \"type\": \"dense\", \"units\": 64 }, { \"type\": \"relu\" } ] },"
  "  \"heads\": [ { \"name\": \"cls\", \"target\": \"cls\", \"layers\": [ { \"type\": \"dense\" } ] },"
  "               { \"name\": \"half\", \"target\": \"half\", \"layers\": [ { \"type\": \"dense\" } ] } ],"
  "  \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.01 },"
  "  \"training\": { \"batch\": 64, \"epochs\": 1, \"seed\": 11 } }";

/* 64 samples with labels that are pure noise can only be learnt by heart. */
static void
test_overfit (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) data = mh_test_blob_splits (64, 1, 8, 8, 4);
  g_autoptr (MhProject) p = load (mlp_json);
  g_autoptr (GRand) rng = g_rand_new_with_seed (17);
  g_autoptr (MhTraining) run = NULL;
  MhHeadMetrics mt[2];

  for (int i = 0; i < 64; i++)
    data->train->fields[0].classes[i] = g_rand_int_range (rng, 0, 3);
  run = mh_training_new (p, data, 300, 1, "test.mhproj", &error);
  g_assert_no_error (error);
  mh_training_evaluate (run, data->train, mt);
  g_assert_cmpfloat (mt[0].accuracy, <, 0.8);
  for (int i = 0; i < 300; i++)
    {
      mh_training_step (run, &error);
      g_assert_no_error (error);
    }
  mh_training_evaluate (run, data->train, mt);
  g_assert_cmpfloat (mt[0].accuracy, ==, 1.0);
  g_assert_cmpfloat (mt[1].accuracy, ==, 1.0);
  g_assert_cmpfloat (mt[0].loss, <, 0.05);
}

static float *
train_params (const char *json, guint32 seed, int threads, gsize *n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) data = mh_test_blob_splits (96, 1, 8, 8, 6);
  g_autoptr (MhProject) p = load (json);
  g_autoptr (MhTraining) run = NULL;

  p->seed = seed;
  p->batch = 16;
  run = mh_training_new (p, data, 15, threads, "test.mhproj", &error);
  g_assert_no_error (error);
  for (int i = 0; i < 15; i++)   /* crosses an epoch: reshuffles */
    {
      mh_training_step (run, &error);
      g_assert_no_error (error);
    }
  *n = run->model->n_params;
  return g_memdup2 (run->model->params, sizeof (float) * *n);
}

/* Bit for bit the same for the same seed and number of threads. */
static void
test_reproducible (void)
{
  for (int threads = 1; threads <= 2; threads++)
    {
      gsize n1, n2, n3;
      g_autofree float *a = train_params (multi_json, 42, threads, &n1);
      g_autofree float *b = train_params (multi_json, 42, threads, &n2);
      g_autofree float *c = train_params (multi_json, 43, threads, &n3);
      g_assert_cmpuint (n1, ==, n2);
      g_assert_true (memcmp (a, b, sizeof (float) * n1) == 0);
      g_assert_false (memcmp (a, c, sizeof (float) * n1) == 0);
    }
}

/* Splitting a batch over lanes gives the batch's gradient: two lanes of
 * 8 and 7 samples against one lane of 15 (float32 sums: 1e-5 relative). */
static void
test_lanes_gradient (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) data = mh_test_blob_splits (15, 1, 8, 8, 12);
  g_autoptr (MhProject) p = load (multi_json);
  g_autoptr (MhTraining) one = NULL, two = NULL;
  double loss_one[4];

  p->batch = 15;
  one = mh_training_new (p, data, 1, 1, "test.mhproj", &error);
  g_assert_no_error (error);
  two = mh_training_new (p, data, 1, 2, "test.mhproj", &error);
  g_assert_no_error (error);
  g_assert_cmpint (two->n_lanes, ==, 2);
  g_assert_true (memcmp (one->model->params, two->model->params, sizeof (float) * one->model->n_params) == 0);
  mh_training_step (one, &error);
  g_assert_no_error (error);
  for (int h = 0; h < 4; h++)
    loss_one[h] = one->model->heads[h].loss_value;
  mh_training_step (two, &error);
  g_assert_no_error (error);
  for (int h = 0; h < 4; h++)
    g_assert_cmpfloat (fabs (loss_one[h] - two->model->heads[h].loss_value), <=, 1e-5 * fabs (loss_one[h]) + 1e-7);
  for (gsize i = 0; i < one->model->n_params; i++)
    g_assert_cmpfloat (fabsf (one->model->grads[i] - two->model->grads[i]), <=,
                       1e-5 * fabsf (one->model->grads[i]) + 1e-6);
}

static void
expect_build_error (const char *json, int code, const char *const *words)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = load (json);
  g_autoptr (MhDataset) d = mh_test_blob_dataset (4, 8, 8, 1);
  MhModel *m = mh_model_new (p, d, 4, "bad.mhproj", &error);

  g_assert_null (m);
  g_assert_error (error, MH_ERROR, code);
  for (int i = 0; words[i]; i++)
    if (strstr (error->message, words[i]) == NULL)
      g_error ("'%s' is not in: %s", words[i], error->message);
}

#define BAD(backbone, heads) \
  "{ \"format\": 1, \"dataset\": { \"kind\": \"fashion-mnist\" }, \"backbone\": { \"layers\": [" \
  backbone "] }, \"heads\": [" heads "] }"
#define CLS_HEAD "{ \"name\": \"c\", \"target\": \"cls\", \"layers\": [ { \"type\": \"dense\" } ] }"

static void
test_shape_errors (void)
{
  expect_build_error (BAD ("{ \"type\": \"dense\", \"units\": 4 }", CLS_HEAD), MH_ERROR_SHAPE,
                      (const char *[]) { "bad.mhproj", "backbone.layers[0]", "8×8×1", "flatten", NULL });
  expect_build_error (BAD ("{ \"type\": \"flatten\" }, { \"type\": \"conv2d\", \"filters\": 2, \"kernel\": 3 }",
                           CLS_HEAD), MH_ERROR_SHAPE,
                      (const char *[]) { "backbone.layers[1]", "conv2d", "64", NULL });
  expect_build_error (BAD ("{ \"type\": \"conv2d\", \"filters\": 2, \"kernel\": 11 }", CLS_HEAD), MH_ERROR_SHAPE,
                      (const char *[]) { "backbone.layers[0]", "11×11", NULL });
  expect_build_error (BAD ("{ \"type\": \"flatten\" }",
                           "{ \"name\": \"c\", \"target\": \"cls\", \"layers\": [ { \"type\": \"dense\", \"units\": 7 } ] }"),
                      MH_ERROR_SHAPE, (const char *[]) { "heads[0]", "7", "'cls'", "3 classes", NULL });
  expect_build_error (BAD ("{ \"type\": \"flatten\" }",
                           "{ \"name\": \"c\", \"target\": \"colour\", \"layers\": [ { \"type\": \"dense\" } ] }"),
                      MH_ERROR_INVALID, (const char *[]) { "heads[0].target", "colour", "cls, half, pos, tags", NULL });
  expect_build_error (BAD ("{ \"type\": \"flatten\" }",
                           "{ \"name\": \"c\", \"kind\": \"regression\", \"target\": \"cls\", \"layers\": [ { \"type\": \"dense\" } ] }"),
                      MH_ERROR_INVALID, (const char *[]) { "heads[0].loss", "cross-entropy", NULL });
}

/* A learning rate far too large: the loss becomes NaN or infinite; the run
 * stops naming the step and the head, and the kept weights are finite. */
static void
test_nan_loss (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) data = mh_test_blob_splits (64, 1, 8, 8, 8);
  g_autoptr (MhProject) p = load (mlp_json);
  g_autoptr (MhTraining) run = NULL;
  int steps = 0;

  p->optim.kind = (g_free (p->optim.kind), g_strdup ("sgd"));
  p->optim.lr = 1e12;
  p->optim.momentum = 0;
  p->batch = 16;
  run = mh_training_new (p, data, 100, 1, "test.mhproj", &error);
  g_assert_no_error (error);
  while (steps < 100 && mh_training_step (run, &error))
    steps++;
  g_assert_error (error, MH_ERROR, MH_ERROR_NUMERIC);
  g_assert_nonnull (strstr (error->message, "step"));
  g_assert_true (strstr (error->message, "'cls'") || strstr (error->message, "'half'"));
  for (gsize i = 0; i < run->model->n_params; i++)
    g_assert_true (isfinite (run->model->params[i]));
  g_assert_true (memcmp (run->model->params, run->last_good, sizeof (float) * run->model->n_params) == 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/model/multihead-sum", test_multihead_sum);
  g_test_add_func ("/engine/model/whole-gradient", test_whole_model_gradient);
  g_test_add_func ("/engine/model/frozen", test_frozen);
  g_test_add_func ("/engine/model/overfit", test_overfit);
  g_test_add_func ("/engine/model/reproducible", test_reproducible);
  g_test_add_func ("/engine/model/lanes-gradient", test_lanes_gradient);
  g_test_add_func ("/engine/model/shape-errors", test_shape_errors);
  g_test_add_func ("/engine/model/nan-loss", test_nan_loss);
  return g_test_run ();
}
