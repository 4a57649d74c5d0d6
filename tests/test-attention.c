/* test-attention.c — the vision transformer: gradient checks of its layers,
 * forward passes against naive references, the attention maps and rollout,
 * a planted-signal training run, and bad input (DESIGN.md §4, §9; issue 3).
 *
 * Gradient checks use the harness of mh-grad-check.h and its tolerance
 * |a − d| ≤ 3e-4 + 3e-3·max(|a|, |d|).  ε: 0.1 for the layers that are
 * linear in each variable (patch embedding, class token, position embedding,
 * token selection); 1e-2 for attention and the transformer block, where
 * truncation (softmax, layer norm, GELU) and float32 rounding balance: the
 * worst element over 30 other seeds was 0.6 of the tolerance (0.85 at
 * ε = 5e-3, more below), while a gradient 1 % off is outside it.
 */
#include <math.h>
#include <string.h>
#include "mh-attention-maps.h"
#include "mh-grad-check.h"
#include "mh-layer-attention.h"
#include "mh-safetensors.h"
#include "mh-test-util.h"
#include "mh-training.h"
#include "mh-weights.h"

static MhShape
tokens (int t, int d)
{
  return (MhShape) { 2, { t, d } };
}

/* ---- patch_embed ----------------------------------------------------------- */

typedef struct {
  const char *path;
  int h, w, c, patch, dim;
} PatchCase;

static const PatchCase patch_cases[] = {
  { "/engine/grad/patch_embed/8x8x2-p4", 8, 8, 2, 4, 5 },
  { "/engine/grad/patch_embed/6x4x1-p2", 6, 4, 1, 2, 3 },
};

static void
set_patch (MhLayerSpec *spec, gpointer data)
{
  const PatchCase *pc = data;

  spec->patch = pc->patch;
  spec->dim = pc->dim;
}

static void
test_patch_embed (gconstpointer data)
{
  const PatchCase *pc = data;
  Harness *h = harness_for ("patch_embed", mh_shape3 (pc->h, pc->w, pc->c), 31, set_patch, (gpointer) pc);
  int p = pc->patch, gw = pc->w / p, t = (pc->h / p) * gw;
  const float *wt = h->l->params[0].data, *b = h->l->params[1].data;
  g_autofree double *ref = g_new (double, h->out_len);

  assert_out_shape (h, tokens (t, pc->dim));
  g_assert_cmpuint (h->l->params[0].size, ==, (gsize) pc->dim * p * p * pc->c);
  /* token (py, px) = b + Σ w[f, ky, kx, c] · x[py·p + ky, px·p + kx, c] */
  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    for (int tok = 0; tok < t; tok++)
      for (int f = 0; f < pc->dim; f++)
        {
          int py = tok / gw, px = tok % gw;
          double acc = b[f];
          for (int ky = 0; ky < p; ky++)
            for (int kx = 0; kx < p; kx++)
              for (int ch = 0; ch < pc->c; ch++)
                acc += (double) wt[((f * p + ky) * p + kx) * pc->c + ch]
                     * h->x[(((gsize) i * pc->h + py * p + ky) * pc->w + px * p + kx) * pc->c + ch];
          ref[((gsize) i * t + tok) * pc->dim + f] = acc;
        }
  assert_near (h->y, ref, h->out_len, 1e-5, "patch_embed y");
  g_free (check_layer (h, 0.1f));
  harness_free (h);
}

/* ---- class_token, position_embedding, select_token ------------------------- */

static void
test_class_token (void)
{
  Harness *h = harness_for ("class_token", tokens (3, 4), 32, NULL, NULL);

  assert_out_shape (h, tokens (4, 4));
  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    {
      g_assert_cmpmem (h->y + i * 16, 4 * sizeof (float), h->l->params[0].data, 4 * sizeof (float));
      g_assert_cmpmem (h->y + i * 16 + 4, 12 * sizeof (float), h->x + i * 12, 12 * sizeof (float));
    }
  g_free (check_layer (h, 0.1f));
  harness_free (h);
}

static void
test_position_embedding (void)
{
  Harness *h = harness_for ("position_embedding", tokens (5, 3), 33, NULL, NULL);

  assert_out_shape (h, tokens (5, 3));
  g_assert_true (h->l->klass->in_place);
  g_assert_cmpuint (h->l->params[0].size, ==, 15);
  harness_forward (h);
  for (gsize i = 0; i < h->out_len; i++)
    g_assert_cmpfloat (h->y[i], ==, h->x[i] + h->l->params[0].data[i % 15]);
  g_free (check_layer (h, 0.1f));
  harness_free (h);
}

static void
set_mode (MhLayerSpec *spec, gpointer data)
{
  g_free (spec->mode);
  spec->mode = g_strdup (data);
}

static void
test_select_token (gconstpointer data)
{
  gboolean mean = g_str_equal (data, "mean");
  Harness *h = harness_for ("select_token", tokens (4, 3), 34, set_mode, (gpointer) data);

  assert_out_shape (h, mh_shape1 (3));
  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    for (int j = 0; j < 3; j++)
      {
        double want = 0;
        for (int t = 0; t < (mean ? 4 : 1); t++)
          want += h->x[(i * 4 + t) * 3 + j];
        g_assert_cmpfloat_with_epsilon (h->y[i * 3 + j], want / (mean ? 4 : 1), 1e-6);
      }
  g_free (check_layer (h, 0.1f));
  harness_free (h);
}

/* ---- attention and the transformer block: naive references ----------------- */

typedef struct {
  int t, d, heads, hidden;
} AttCase;

static void
set_att (MhLayerSpec *spec, gpointer data)
{
  const AttCase *ac = data;

  spec->heads = ac->heads;
  spec->hidden = ac->hidden;
}

/* y[t×out] = x[t×in]·Wᵀ + b, in double */
static void
ref_dense (const double *x, int rows, int in, int out, const float *w, const float *b, double *y)
{
  for (int r = 0; r < rows; r++)
    for (int o = 0; o < out; o++)
      {
        double acc = b[o];
        for (int k = 0; k < in; k++)
          acc += (double) w[o * in + k] * x[r * in + k];
        y[r * out + o] = acc;
      }
}

static void
ref_layernorm (const double *x, int rows, int d, const float *g, const float *b, double *y)
{
  for (int r = 0; r < rows; r++)
    {
      double mean = 0, var = 0;
      for (int j = 0; j < d; j++)
        mean += x[r * d + j] / d;
      for (int j = 0; j < d; j++)
        var += (x[r * d + j] - mean) * (x[r * d + j] - mean) / d;
      for (int j = 0; j < d; j++)
        y[r * d + j] = (x[r * d + j] - mean) / sqrt (var + 1e-5) * g[j] + b[j];
    }
}

/* One sample of multi-head self-attention; `pre` names the parameters
 * ("" or "qkv." …) and maps gets h × T × T. */
static void
ref_attention (const MhLayer *l, const double *x, int t, int d, int heads, double *y, double *maps)
{
  int dh = d / heads;
  g_autofree double *qkv = g_new (double, t * 3 * d);
  g_autofree double *ctx = g_new0 (double, t * d);

  ref_dense (x, t, d, 3 * d, layer_param (l, "qkv.weight")->data, layer_param (l, "qkv.bias")->data, qkv);
  for (int h = 0; h < heads; h++)
    for (int q = 0; q < t; q++)
      {
        double *row = maps + ((gsize) h * t + q) * t, max = -INFINITY, sum = 0;
        for (int k = 0; k < t; k++)
          {
            double s = 0;
            for (int j = 0; j < dh; j++)
              s += qkv[q * 3 * d + h * dh + j] * qkv[k * 3 * d + d + h * dh + j];
            row[k] = s / sqrt (dh);
            max = MAX (max, row[k]);
          }
        for (int k = 0; k < t; k++)
          sum += row[k] = exp (row[k] - max);
        for (int k = 0; k < t; k++)
          {
            row[k] /= sum;
            for (int j = 0; j < dh; j++)
              ctx[q * d + h * dh + j] += row[k] * qkv[k * 3 * d + 2 * d + h * dh + j];
          }
      }
  ref_dense (ctx, t, d, d, layer_param (l, "proj.weight")->data, layer_param (l, "proj.bias")->data, y);
}

static void
ref_block (const MhLayer *l, const double *x, int t, int d, int heads, int hid, double *y,
           double *maps)
{
  g_autofree double *a = g_new (double, t * d);
  g_autofree double *r = g_new (double, t * d);
  g_autofree double *u = g_new (double, t * hid);

  ref_layernorm (x, t, d, layer_param (l, "norm1.weight")->data, layer_param (l, "norm1.bias")->data, a);
  ref_attention (l, a, t, d, heads, r, maps);
  for (int i = 0; i < t * d; i++)
    r[i] += x[i];
  ref_layernorm (r, t, d, layer_param (l, "norm2.weight")->data, layer_param (l, "norm2.bias")->data, a);
  ref_dense (a, t, d, hid, layer_param (l, "fc1.weight")->data, layer_param (l, "fc1.bias")->data, u);
  for (int i = 0; i < t * hid; i++)
    u[i] = 0.5 * u[i] * (1 + erf (u[i] / sqrt (2)));
  ref_dense (u, t, hid, d, layer_param (l, "fc2.weight")->data, layer_param (l, "fc2.bias")->data, y);
  for (int i = 0; i < t * d; i++)
    y[i] += r[i];
}

/* Forward against the reference, maps included; then the gradients. */
static void
check_attention_layer (const char *type, const AttCase *ac, float eps)
{
  Harness *h = harness_for (type, tokens (ac->t, ac->d), 40 + ac->heads, set_att, (gpointer) ac);
  gboolean block = g_str_equal (type, "transformer_block");
  gsize per = (gsize) ac->t * ac->d, tt = (gsize) ac->t * ac->t;
  g_autofree double *x = g_new (double, per);
  g_autofree double *y = g_new (double, h->out_len);
  g_autofree double *maps = g_new (double, ac->heads * tt);

  assert_out_shape (h, tokens (ac->t, ac->d));
  g_assert_cmpint (h->l->n_params, ==, block ? 12 : 4);
  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    {
      for (gsize j = 0; j < per; j++)
        x[j] = h->x[i * per + j];
      if (block)
        ref_block (h->l, x, ac->t, ac->d, ac->heads, ac->hidden, y + i * per, maps);
      else
        ref_attention (h->l, x, ac->t, ac->d, ac->heads, y + i * per, maps);
      for (int head = 0; head < ac->heads; head++)
        assert_near (mh_attention_layer_map (h->l, i, head), maps + head * tt, tt, 1e-5, "attention map");
    }
  assert_near (h->y, y, h->out_len, 1e-5, type);
  g_free (check_layer (h, eps));
  harness_free (h);
}

/* With n·T ≥ 3D rows (the first case, and the block's) qkv's weight
 * gradient goes through the transposed product (view_backward). */
static const AttCase att_cases[] = {
  { 9, 8, 2, 0 },
  { 4, 8, 1, 0 },
  { 6, 8, 4, 0 },    /* dh = 2 */
};

static void
test_attention (gconstpointer data)
{
  check_attention_layer ("attention", data, 1e-2f);
}

static const AttCase block_case = { 9, 8, 2, 12 };

static void
test_transformer_block (void)
{
  check_attention_layer ("transformer_block", &block_case, 1e-2f);
}

/* ---- the maps -------------------------------------------------------------- */

static void
test_rows_sum_to_one (void)
{
  static const AttCase ac = { 7, 12, 3, 10 };
  Harness *h = harness_for ("transformer_block", tokens (7, 12), 50, set_att, (gpointer) &ac);

  /* large inputs: saturated softmax rows still sum to 1 */
  fill_uniform (h->x, h->in_len, -30, 30, h->rng);
  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    for (int head = 0; head < 3; head++)
      {
        const float *m = mh_attention_layer_map (h->l, i, head);
        for (int r = 0; r < 7; r++)
          {
            double sum = 0;
            for (int c = 0; c < 7; c++)
              {
                g_assert_cmpfloat (m[r * 7 + c], >=, 0);
                sum += m[r * 7 + c];
              }
            g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
          }
      }
  harness_free (h);
}

static void
test_identical_tokens (void)
{
  static const AttCase ac = { 6, 8, 2, 0 };
  Harness *h = harness_for ("attention", tokens (6, 8), 51, set_att, (gpointer) &ac);

  for (int i = 0; i < h->n; i++)
    for (int t = 1; t < 6; t++)
      memcpy (h->x + (i * 6 + t) * 8, h->x + i * 6 * 8, 8 * sizeof (float));
  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    for (int head = 0; head < 2; head++)
      {
        const float *m = mh_attention_layer_map (h->l, i, head);
        for (int c = 0; c < 36; c++)
          g_assert_cmpfloat_with_epsilon (m[c], 1.0 / 6, 1e-6);
      }
  harness_free (h);
}

static void
test_rollout (void)
{
  enum { T = 5 };
  float fused[3 * T * T] = { 0 }, out[T * T], want[T * T];

  /* identity attention in every layer: the identity */
  for (int l = 0; l < 3; l++)
    for (int i = 0; i < T; i++)
      fused[l * T * T + i * T + i] = 1;
  mh_attention_rollout_of (fused, 3, T, out);
  for (int i = 0; i < T * T; i++)
    g_assert_cmpfloat (out[i], ==, i % (T + 1) == 0 ? 1.0f : 0.0f);
  /* uniform attention: ½U + ½I, twice.  (½U + ½I)² = ¾U + ¼I as U² = U. */
  for (int i = 0; i < T * T; i++)
    fused[i] = fused[T * T + i] = 1.0f / T;
  mh_attention_rollout_of (fused, 2, T, out);
  for (int i = 0; i < T * T; i++)
    want[i] = 0.75f / T + (i % (T + 1) == 0 ? 0.25f : 0.0f);
  for (int i = 0; i < T * T; i++)
    g_assert_cmpfloat_with_epsilon (out[i], want[i], 1e-6);
  /* a layer whose rows do not sum to 1 (max fusion): renormalised */
  for (int i = 0; i < T * T; i++)
    fused[i] = 1.0f;
  mh_attention_rollout_of (fused, 1, T, out);
  for (int i = 0; i < T * T; i++)
    g_assert_cmpfloat_with_epsilon (out[i], (0.5f + (i % (T + 1) == 0 ? 0.5f : 0.0f)) / (0.5f * T + 0.5f), 1e-6);
}

/* ---- a whole vit ----------------------------------------------------------- */

#define VIT_PROJECT(patch, dim, blocks, rest) \
  "{ \"format\": 1, \"name\": \"vit\", \"dataset\": { \"kind\": \"fashion-mnist\" },\n" \
  "  \"backbone\": { \"kind\": \"vit\", \"layers\": [\n" \
  "    { \"type\": \"patch_embed\", \"name\": \"patch\", \"patch\": " #patch ", \"dim\": " #dim " },\n" \
  "    { \"type\": \"class_token\", \"name\": \"cls\" }, { \"type\": \"position_embedding\", \"name\": \"pos\" },\n" \
  "    " blocks "\n" \
  "    { \"type\": \"layernorm\", \"name\": \"norm\" }, { \"type\": \"select_token\", \"mode\": \"class\" } ] },\n" \
  "  \"heads\": [ { \"name\": \"half\", \"target\": \"half\", \"layers\": [ { \"type\": \"dense\" } ] } ]" rest " }"
#define BLOCK(name, heads, hidden) \
  "{ \"type\": \"transformer_block\", \"name\": \"" name "\", \"heads\": " #heads ", \"hidden\": " #hidden " },"

static MhProject *
load_project (const char *json)
{
  g_autoptr (GError) error = NULL;
  MhProject *p = mh_project_load_data (json, -1, "vit.mhproj", &error);

  g_assert_no_error (error);
  return p;
}

static MhModel *
build (const MhProject *p, const MhDataset *d, int batch)
{
  g_autoptr (GError) error = NULL;
  MhModel *m = mh_model_new (p, d, batch, "vit.mhproj", &error);

  g_assert_no_error (error);
  mh_model_init (m, p->seed);
  return m;
}

static void
test_model_maps (void)
{
  g_autoptr (MhProject) p = load_project (VIT_PROJECT (4, 8, BLOCK ("b1", 2, 16) BLOCK ("b2", 2, 16), ""));
  g_autoptr (MhDataset) d = mh_test_blob_dataset (4, 12, 8, 7);
  MhModel *m = build (p, d, 4);
  MhAttentionInfo info;
  g_autoptr (GError) error = NULL;
  int idx[4] = { 0, 1, 2, 3 };
  float grid[6], rollout[7 * 7];

  mh_model_set_batch (m, d, idx, 4);
  mh_model_forward (m, 4, FALSE, NULL);
  g_assert_true (mh_attention_info (m, &info, "vit.mhproj", &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.n_layers, ==, 2);
  g_assert_cmpint (info.tokens, ==, 7);          /* 3 × 2 patches and the class token */
  g_assert_cmpint (info.grid_h, ==, 3);
  g_assert_cmpint (info.grid_w, ==, 2);
  g_assert_cmpint (info.first_patch, ==, 1);
  g_assert_true (info.has_class_token);
  g_assert_cmpint (mh_attention_heads (m, 1), ==, 2);
  g_assert_null (mh_attention_layer (m, 2));
  {
    gsize len = mh_attention_copy_sample (m, 3, NULL);
    g_autofree float *copy = g_new (float, len);
    g_assert_cmpuint (len, ==, 2 * 2 * 49);
    g_assert_cmpuint (mh_attention_copy_sample (m, 3, copy), ==, len);
    g_assert_cmpmem (copy + 3 * 49, 49 * sizeof (float), mh_attention_map (m, 1, 1, 3), 49 * sizeof (float));
  }
  for (int s = 0; s < 4; s++)
    {
      const float *map = mh_attention_map (m, 1, 1, s);
      mh_attention_class_grid (m, &info, 1, 1, s, grid);
      for (int k = 0; k < 6; k++)
        g_assert_cmpfloat (grid[k], ==, map[1 + k]);
      mh_attention_patch_grid (m, &info, 0, 0, s, 4, grid);
      for (int k = 0; k < 6; k++)
        g_assert_cmpfloat (grid[k], ==, mh_attention_map (m, 0, 0, s)[5 * 7 + 1 + k]);
      for (MhHeadFusion f = MH_FUSE_MEAN; f <= MH_FUSE_MIN; f++)
        {
          mh_attention_rollout (m, s, 0, f, rollout);
          for (int r = 0; r < 7; r++)
            {
              double sum = 0;
              for (int c = 0; c < 7; c++)
                sum += rollout[r * 7 + c];
              g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
            }
        }
    }
  mh_model_free (m);
}

/* Images of 4 × 4 patches of 4 × 4 pixels.  Patch SIGNAL is bright or dark,
 * and that is the label; every other patch has a random grey level.  Only
 * its position tells the signal patch apart, so to classify the class token
 * has to look at it — with one block, in that block's attention (with two,
 * the signal can reach it through a patch token in the first block).  Over
 * seeds 1–16 the test set was always classified right and the head with the
 * most mass on the signal patch had 53–99 % of the class token's attention. */
#define SIGNAL 6
#define STEPS  600

static MhDataset *
planted_dataset (int n, guint32 seed)
{
  MhDataset *d = mh_test_blob_dataset (n, 16, 16, seed);
  g_autoptr (GRand) rng = g_rand_new_with_seed (seed);
  int half = mh_dataset_find_field (d, "half");

  for (int i = 0; i < n; i++)
    for (int patch = 0; patch < 16; patch++)
      {
        gboolean bright = g_rand_boolean (rng);
        int level = patch == SIGNAL ? (bright ? 200 : 55) : g_rand_int_range (rng, 20, 236);
        for (int y = 0; y < 4; y++)
          for (int x = 0; x < 4; x++)
            d->pixels[(gsize) i * 256 + (patch / 4 * 4 + y) * 16 + patch % 4 * 4 + x] =
              level + g_rand_int_range (rng, -20, 20);
        if (patch == SIGNAL)
          d->fields[half].classes[i] = bright;
      }
  return d;
}

static void
test_planted_signal (void)
{
  g_autoptr (MhProject) p = load_project (VIT_PROJECT (4, 16, BLOCK ("b1", 2, 32),
    ", \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.003 }, \"training\": { \"batch\": 32, \"seed\": 11 }"));
  g_autoptr (MhSplits) data = g_new0 (MhSplits, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhTraining) run = NULL;
  MhHeadMetrics test;
  MhAttentionInfo info;
  int idx[64], best_head = -1;
  double best = 0;

  data->train = planted_dataset (2048, 11);
  data->validation = planted_dataset (0, 12);
  data->test = planted_dataset (256, 13);
  run = mh_training_new (p, data, STEPS, 1, "planted", &error);
  g_assert_no_error (error);
  while (run->step < STEPS)
    {
      mh_training_step (run, &error);
      g_assert_no_error (error);
    }
  mh_training_evaluate (run, data->test, &test);
  g_test_message ("test accuracy %.3f", test.accuracy);
  g_assert_cmpfloat (test.accuracy, >, 0.95);

  /* the class token's attention in the last block, over 64 test images */
  for (int i = 0; i < 64; i++)
    idx[i] = i;
  mh_model_set_batch (run->model, data->test, idx, run->model->max_batch);
  mh_model_forward (run->model, run->model->max_batch, FALSE, NULL);
  g_assert_true (mh_attention_info (run->model, &info, "planted", NULL));
  for (int head = 0; head < 2; head++)
    {
      double mass = 0;
      for (int s = 0; s < run->model->max_batch; s++)
        {
          float grid[16];
          mh_attention_class_grid (run->model, &info, info.n_layers - 1, head, s, grid);
          mass += grid[SIGNAL] / run->model->max_batch;
        }
      g_test_message ("head %d: %.1f%% of the class token's attention on the signal patch", head, 100 * mass);
      if (mass > best)
        best = mass, best_head = head;
    }
  g_assert_cmpint (best_head, >=, 0);
  g_assert_cmpfloat (best, >=, 0.5);
}

/* ---- bad input ------------------------------------------------------------- */

static void
expect_model_error (const char *json, const char *first, ...)
{
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhDataset) d = mh_test_blob_dataset (2, 16, 16, 1);
  g_autoptr (GError) error = NULL;
  va_list args;

  p = load_project (json);
  g_assert_null (mh_model_new (p, d, 2, "vit.mhproj", &error));
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "vit.mhproj: backbone.layers["));
  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    if (strstr (error->message, s) == NULL)
      g_error ("'%s' is not in: %s", s, error->message);
  va_end (args);
}

static void
expect_project_error (const char *json, const char *first, const char *second)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (mh_project_load_data (json, -1, "vit.mhproj", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "vit.mhproj", first, second, NULL);
}

static void
test_bad_heads (void)
{
  MhLayerSpec spec;
  MhLayer *l;
  g_autoptr (GError) error = NULL;

  expect_project_error (VIT_PROJECT (4, 16, BLOCK ("b1", 0, 32), ""),
                        "backbone.layers[3].heads", "between 1 and 1024");
  expect_model_error (VIT_PROJECT (4, 30, BLOCK ("b1", 4, 32), ""),
                      "transformer_block 'b1'", "dim 30", "4 heads", NULL);
  /* a spec made in code, not read from a file */
  mh_layer_spec_init (&spec, "attention");
  l = mh_layer_new (&spec, "att");
  l->in = tokens (5, 8);
  g_assert_false (l->klass->infer (l, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "attention 'att'", "at least 1 head", NULL);
  mh_layer_free (l);
  mh_layer_spec_clear (&spec);
}

static void
test_bad_patch (void)
{
  expect_model_error (VIT_PROJECT (5, 16, BLOCK ("b1", 2, 32), ""),
                      "patch_embed 'patch'", "16×16", "5×5", NULL);
  expect_project_error (VIT_PROJECT (4, 16, "{ \"type\": \"transformer_block\", \"heads\": 2 },", ""),
                        "backbone.layers[3]", "hidden");
  expect_project_error (VIT_PROJECT (4, 16, BLOCK ("b1", 2, 32) "{ \"type\": \"select_token\", \"mode\": \"max\" },", ""),
                        "backbone.layers[4].mode", "class, mean");
}

/* Weights of a vit whose blocks have other attention shapes (dim 16 where
 * the model has 8 in block 1's qkv) are refused, naming the tensor. */
static void
test_bad_weights (void)
{
  g_autoptr (MhProject) p = load_project (VIT_PROJECT (4, 8, BLOCK ("b1", 2, 16), ""));
  g_autoptr (MhDataset) d = mh_test_blob_dataset (2, 16, 16, 1);
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "w.safetensors", NULL);
  g_autoptr (GPtrArray) tensors = NULL;
  g_autoptr (GError) error = NULL;
  MhModel *m = build (p, d, 2);
  gboolean found = FALSE;

  g_assert_true (mh_model_save_weights (m, path, "vit", &error));
  tensors = mh_safetensors_read (path, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tensors->len; i++)
    {
      MhTensorEntry *t = tensors->pdata[i];
      if (g_str_equal (t->name, "backbone.patch.weight"))   /* PyTorch's Conv2d layout */
        {
          g_assert_cmpint (t->rank, ==, 4);
          g_assert_cmpint (t->shape[0], ==, 8);
          g_assert_cmpint (t->shape[1], ==, 1);
          g_assert_cmpint (t->shape[2], ==, 4);
        }
      if (g_str_equal (t->name, "backbone.b1.qkv.weight"))
        {
          g_assert_cmpint (t->shape[0], ==, 24);
          g_assert_cmpint (t->shape[1], ==, 8);
          t->shape[0] = 48, t->shape[1] = 16;
          t->size = 48 * 16;
          t->data = g_renew (float, t->data, t->size);
          memset (t->data, 0, sizeof (float) * t->size);
          found = TRUE;
        }
    }
  g_assert_true (found);
  g_assert_true (mh_safetensors_write (path, tensors, NULL, &error));
  g_assert_false (mh_model_load_weights (m, path, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_SHAPE, "backbone.b1.qkv.weight", "48×16", "24×8", NULL);
  mh_model_free (m);
  mh_test_rm_rf (dir);
}

/* ---- the example ----------------------------------------------------------- */

static void
test_example (void)
{
  g_autofree char *path = g_build_filename (MH_SOURCE_DIR, "resources", "examples", "fashion-vit.mhproj", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = mh_project_load (path, &error);
  g_autoptr (MhProject) again = NULL;
  g_autofree char *text = NULL, *text2 = NULL;
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autoptr (MhSplits) data = NULL;
  MhModel *m;
  const MhParamRef *ref;

  g_assert_no_error (error);
  g_assert_cmpstr (p->backbone_kind, ==, "vit");
  text = mh_project_to_data (p, NULL);
  g_assert_nonnull (strstr (text, "\"mode\": \"class\""));
  g_assert_nonnull (strstr (text, "\"heads\": 4, \"hidden\": 128"));
  again = mh_project_load_data (text, -1, "written", &error);
  g_assert_no_error (error);
  text2 = mh_project_to_data (again, NULL);
  g_assert_cmpstr (text, ==, text2);

  /* the reference vit: 49 patches and the class token, dim 64, two blocks */
  mh_test_write_fake_fashion (dir, 8, 4, 1);
  data = mh_fashion_mnist_load (dir, 0, &error);
  g_assert_no_error (error);
  m = build (p, data->train, 1);
  ref = mh_model_find_param (m, "backbone.pos.weight");
  g_assert_nonnull (ref);
  g_assert_cmpint (ref->param->shape.dim[0], ==, 50);
  g_assert_cmpint (ref->param->shape.dim[1], ==, 64);
  g_assert_nonnull (mh_model_find_param (m, "backbone.block1.qkv.weight"));
  g_assert_nonnull (mh_model_find_param (m, "backbone.block2.norm2.bias"));
  g_assert_nonnull (mh_model_find_param (m, "backbone.block2.fc2.bias"));
  g_assert_cmpint (mh_model_features (m).dim[0], ==, 64);
  g_assert_cmpuint (m->n_params, ==, 72464);   /* as PyTorch counts the same model */
  mh_model_free (m);
  mh_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (patch_cases); i++)
    g_test_add_data_func (patch_cases[i].path, &patch_cases[i], test_patch_embed);
  g_test_add_func ("/engine/grad/class_token", test_class_token);
  g_test_add_func ("/engine/grad/position_embedding", test_position_embedding);
  g_test_add_data_func ("/engine/grad/select_token/class", "class", test_select_token);
  g_test_add_data_func ("/engine/grad/select_token/mean", "mean", test_select_token);
  g_test_add_data_func ("/engine/grad/attention/2-heads", &att_cases[0], test_attention);
  g_test_add_data_func ("/engine/grad/attention/1-head", &att_cases[1], test_attention);
  g_test_add_data_func ("/engine/grad/attention/4-heads", &att_cases[2], test_attention);
  g_test_add_func ("/engine/grad/transformer_block", test_transformer_block);
  g_test_add_func ("/engine/attention/rows-sum-to-1", test_rows_sum_to_one);
  g_test_add_func ("/engine/attention/identical-tokens", test_identical_tokens);
  g_test_add_func ("/engine/attention/rollout", test_rollout);
  g_test_add_func ("/engine/attention/model-maps", test_model_maps);
  g_test_add_func ("/engine/attention/planted-signal", test_planted_signal);
  g_test_add_func ("/engine/attention/error/heads", test_bad_heads);
  g_test_add_func ("/engine/attention/error/patch", test_bad_patch);
  g_test_add_func ("/engine/attention/error/weights", test_bad_weights);
  g_test_add_func ("/engine/attention/example", test_example);
  return g_test_run ();
}
