/* test-sequence-layers.c — the layers over sequences: embedding, conv1d,
 * seqpool, gru, lstm, and the padding mask through attention, the
 * transformer block, class_token and select_token (issue 14).
 *
 * Each layer's forward pass is checked against a naive reference in double
 * (written from PyTorch's documented equations), then its gradients with the
 * harness of mh-grad-check.h, tolerance |a − d| ≤ 3e-4 + 3e-3·max(|a|, |d|).
 * ε: 0.1 for the layers linear in each variable (embedding, conv1d, mean
 * pooling); 1e-2 for max pooling (inputs 0.05 apart: no tie moves) and for
 * the recurrent layers, whose worst element over 20 other seeds was 0.1 of
 * the tolerance; 5e-3 for masked attention and the transformer block, where
 * truncation dominates (worst over 20 other seeds 0.68 of the tolerance; at
 * 1e-2 one seed reached 1.2).
 *
 * Padding is checked as a property: with a mask, every output that belongs
 * to a real token equals what the layer gives on the sequence with the
 * padding cut out, whatever the padding holds.
 */
#include <math.h>
#include <string.h>
#include "mh-conv-heads.h"
#include "mh-grad-check.h"
#include "mh-layer-attention.h"

static MhShape
seq (int t, int d)
{
  return (MhShape) { 2, { t, d } };
}

/* A mask for n samples of t tokens: sample i has its first pad[i] tokens as
 * padding (the data sets right-align words), and those tokens' inputs are
 * drawn afresh: junk, which must not matter. */
static guint8 *
left_padding (Harness *h, int t, const int *pad)
{
  guint8 *mask = g_new (guint8, (gsize) h->n * t);
  gsize per = mh_shape_size (&h->l->in) / t;

  for (int i = 0; i < h->n; i++)
    for (int r = 0; r < t; r++)
      {
        mask[(gsize) i * t + r] = r >= pad[i];
        if (r < pad[i])
          for (gsize j = 0; j < per; j++)
            h->x[((gsize) i * t + r) * per + j] = (float) g_rand_double_range (h->rng, -1, 1);
      }
  h->l->mask = mask;
  if (h->l->klass->mask_out != NULL)
    {
      h->l->out_mask = g_new (guint8, (gsize) h->n * h->l->out.dim[0]);
      h->l->klass->mask_out (h->l, h->n);
    }
  return mask;
}

static void
free_mask (Harness *h, guint8 *mask)
{
  g_free (mask);
  g_free (h->l->out_mask);
  h->l->mask = NULL;
  h->l->out_mask = NULL;
}

/* ---- embedding ------------------------------------------------------------- */

static void
set_embedding (MhLayerSpec *spec, gpointer data)
{
  spec->vocab = 7;
  spec->dim = 4;
}

static void
test_embedding (void)
{
  Harness *h = harness_for ("embedding", mh_shape1 (6), 60, set_embedding, NULL);
  const float *w = h->l->params[0].data;
  g_autofree float *dx = NULL;

  assert_out_shape (h, seq (6, 4));
  g_assert_cmpuint (h->l->params[0].size, ==, 28);
  /* ids, padding (0) among them; an id outside the vocabulary reads as unknown (1) */
  for (gsize i = 0; i < h->in_len; i++)
    h->x[i] = (float) g_rand_int_range (h->rng, 0, 7);
  h->x[0] = 0, h->x[1] = 0, h->x[2] = 99;
  /* the padding row starts at zero (the harness offsets every parameter) */
  memset (h->l->params[0].data, 0, 4 * sizeof (float));
  /* padding is never an output anyone reads (the layers after it leave it
   * out): with no gradient there, the padding row's true derivative is 0 too */
  for (gsize r = 0; r < h->in_len; r++)
    if (h->x[r] == 0)
      memset (h->r + r * 4, 0, 4 * sizeof (float));
  harness_forward (h);
  for (gsize r = 0; r < h->in_len; r++)
    {
      int id = r == 2 ? 1 : (int) h->x[r];
      g_assert_cmpmem (h->y + r * 4, 4 * sizeof (float), w + id * 4, 4 * sizeof (float));
    }
  dx = check_layer (h, 0.1f);
  for (gsize i = 0; i < h->in_len; i++)
    g_assert_cmpfloat (dx[i], ==, 0.0f);
  /* the padding token never gets a gradient, so it stays zeros */
  harness_forward (h);
  h->l->klass->backward (h->l, h->n, FALSE);
  for (int j = 0; j < 4; j++)
    {
      g_assert_cmpfloat (h->l->params[0].grad[j], ==, 0.0f);
      g_assert_cmpfloat (h->y[j], ==, 0.0f);
    }
  harness_free (h);
}

/* ---- conv1d ---------------------------------------------------------------- */

typedef struct {
  const char *path;
  int t, c, filters, kernel, stride, padding, dilation, groups;
  gboolean masked;
} ConvCase;

static const ConvCase conv_cases[] = {
  { "/engine/grad/conv1d/basic", 9, 3, 4, 3, 1, 0, 1, 1, FALSE },
  { "/engine/grad/conv1d/stride-padding-dilation", 11, 2, 3, 3, 2, 2, 2, 1, FALSE },
  { "/engine/grad/conv1d/groups", 8, 6, 4, 3, 1, 1, 1, 2, FALSE },
  { "/engine/grad/conv1d/one-per-channel", 7, 3, 6, 2, 1, 1, 1, 3, FALSE },
  { "/engine/grad/conv1d/masked", 8, 2, 3, 3, 1, 1, 1, 1, TRUE },
  /* 16 or 32 filters a group, as a multi-head convolution's */
  { "/engine/grad/conv1d/direct-groups", 9, 4, 64, 3, 1, 2, 2, 2, FALSE },
  { "/engine/grad/conv1d/direct-stride", 10, 3, 16, 4, 2, 2, 1, 1, FALSE },
  { "/engine/grad/conv1d/direct-masked", 7, 2, 32, 3, 1, 1, 1, 2, TRUE },
};

static void
set_conv (MhLayerSpec *spec, gpointer data)
{
  const ConvCase *cc = data;

  spec->filters = cc->filters;
  spec->kernel = cc->kernel;
  spec->stride = cc->stride;
  spec->padding = cc->padding;
  spec->dilation = cc->dilation;
  spec->groups = cc->groups;
}

/* nn.Conv1d on one sample, PyTorch's weight layout F × C/G × k read from
 * the engine's F × k × C/G. */
static void
ref_conv1d (const ConvCase *cc, const float *w, const float *b, const float *x, int to, double *y)
{
  int cg = cc->c / cc->groups, fg = cc->filters / cc->groups;

  for (int o = 0; o < to; o++)
    for (int f = 0; f < cc->filters; f++)
      {
        double acc = b[f];
        int g = f / fg;
        for (int j = 0; j < cc->kernel; j++)
          {
            int t = o * cc->stride - cc->padding + j * cc->dilation;
            if (t < 0 || t >= cc->t)
              continue;
            for (int c = 0; c < cg; c++)
              acc += (double) w[((gsize) f * cc->kernel + j) * cg + c] * x[(gsize) t * cc->c + g * cg + c];
          }
        y[(gsize) o * cc->filters + f] = acc;
      }
}

static void
test_conv1d (gconstpointer data)
{
  const ConvCase *cc = data;
  Harness *h = harness_for ("conv1d", seq (cc->t, cc->c), 61, set_conv, (gpointer) cc);
  int to = (cc->t + 2 * cc->padding - cc->dilation * (cc->kernel - 1) - 1) / cc->stride + 1;
  static const int pad[3] = { 0, 3, 5 };
  g_autofree double *ref = g_new (double, h->out_len);
  guint8 *mask = NULL;

  assert_out_shape (h, seq (to, cc->filters));
  g_assert_cmpuint (h->l->params[0].size, ==, (gsize) cc->filters * cc->kernel * (cc->c / cc->groups));
  if (cc->masked)
    mask = left_padding (h, cc->t, pad);
  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    {
      ref_conv1d (cc, h->l->params[0].data, h->l->params[1].data, h->x + (gsize) i * cc->t * cc->c, to,
                  ref + (gsize) i * to * cc->filters);
      /* the centre rule: an output step is real when the input under the kernel's centre is */
      for (int o = 0; cc->masked && o < to; o++)
        {
          int centre = o * cc->stride - cc->padding + cc->dilation * (cc->kernel - 1) / 2;
          gboolean real = centre >= pad[i];
          g_assert_cmpint (h->l->out_mask[i * to + o], ==, real);
          for (int f = 0; f < cc->filters && !real; f++)
            ref[((gsize) i * to + o) * cc->filters + f] = 0;
        }
    }
  /* the padding's junk reaches the edges of the real outputs, as it would in nn.Conv1d */
  assert_near (h->y, ref, h->out_len, 1e-5, "conv1d y");
  g_free (check_layer (h, 0.1f));
  if (mask != NULL)
    free_mask (h, mask);
  harness_free (h);
}

/* A multi-head convolution's heads are independent: junk in the other
 * heads' channels leaves a head's output as it was. */
static void
test_conv_heads (void)
{
  static const ConvCase cc = { NULL, 16, 6, 24, 5, 1, 2, 1, 3, FALSE };
  Harness *h = harness_for ("conv1d", seq (16, 6), 67, set_conv, (gpointer) &cc);
  g_autofree float *before = g_new (float, 16 * 8), *after = g_new (float, 16 * 8);
  int first, count;

  g_assert_cmpint (mh_conv_heads (h->l), ==, 3);
  mh_conv_head_channels (h->l, 1, &first, &count);
  g_assert_cmpint (first, ==, 2);
  g_assert_cmpint (count, ==, 2);
  harness_forward (h);
  mh_conv_head_output (h->l, 2, 1, before);
  for (int t = 0; t < 16; t++)
    for (int c = 0; c < 6; c++)
      if (c < first || c >= first + count)
        h->x[(2 * 16 + t) * 6 + c] = 100.0f + t;
  harness_forward (h);
  mh_conv_head_output (h->l, 2, 1, after);
  g_assert_cmpmem (before, 16 * 8 * sizeof (float), after, 16 * 8 * sizeof (float));
  /* the head's output is its block of the layer's output */
  for (int o = 0; o < 16; o++)
    g_assert_cmpfloat (after[o * 8 + 3], ==, h->y[(2 * 16 + o) * 24 + 8 + 3]);
  harness_free (h);
  h = harness_for ("relu", seq (2, 2), 1, NULL, NULL);
  g_assert_cmpint (mh_conv_heads (h->l), ==, 0);
  harness_free (h);
}

/* ---- seqpool --------------------------------------------------------------- */

static void
set_mode (MhLayerSpec *spec, gpointer data)
{
  g_free (spec->mode);
  spec->mode = g_strdup (data);
}

static void
test_seqpool (gconstpointer data)
{
  const char *mode = data;
  gboolean max = g_str_has_prefix (mode, "max"), masked = g_str_has_suffix (mode, "masked");
  g_autofree char *name = g_strndup (mode, strcspn (mode, "-"));
  Harness *h = harness_for ("seqpool", seq (6, 4), 62, set_mode, name);
  static const int pad[3] = { 2, 0, 5 };
  guint8 *mask = NULL;

  assert_out_shape (h, mh_shape1 (4));
  if (max)
    fill_distinct (h->x, h->in_len, 0.05, h->rng);
  if (masked)
    mask = left_padding (h, 6, pad);
  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    for (int j = 0; j < 4; j++)
      {
        double want = max ? -INFINITY : 0;
        int count = 0;
        for (int r = masked ? pad[i] : 0; r < 6; r++, count++)
          {
            double v = h->x[(i * 6 + r) * 4 + j];
            want = max ? MAX (want, v) : want + v;
          }
        g_assert_cmpfloat_with_epsilon (h->y[i * 4 + j], max ? want : want / count, 1e-6);
      }
  g_free (check_layer (h, max ? 1e-2f : 0.1f));
  if (mask != NULL)
    free_mask (h, mask);
  harness_free (h);
}

/* ---- gru, lstm --------------------------------------------------------------- */

/* masks: NULL, or one string of 0s and 1s per sample (N_BATCH of them) */
typedef struct {
  const char *path;
  const char *type;
  int t, in, hidden, layers;
  gboolean bidirectional, all;
  const char *mask[N_BATCH];
} RnnCase;

#define LEFT_PADDED5 { "11111", "00111", "00001" }
#define LEFT_PADDED6 { "111111", "001111", "000011" }
/* words at the start, and one with a hole: the general case of the order */
#define RIGHT_PADDED_HOLE { "111000", "110111", "111110" }

static const RnnCase rnn_cases[] = {
  { "/engine/grad/gru/last", "gru", 5, 3, 4, 1, FALSE, FALSE, { NULL } },
  { "/engine/grad/gru/bidirectional-all", "gru", 4, 3, 3, 1, TRUE, TRUE, { NULL } },
  { "/engine/grad/gru/2-layers-bidirectional-masked", "gru", 5, 2, 3, 2, TRUE, FALSE, LEFT_PADDED5 },
  { "/engine/grad/gru/masked-all", "gru", 6, 2, 3, 1, FALSE, TRUE, LEFT_PADDED6 },
  { "/engine/grad/gru/bidirectional-right-padded-hole", "gru", 6, 2, 3, 1, TRUE, TRUE, RIGHT_PADDED_HOLE },
  { "/engine/grad/lstm/last", "lstm", 5, 3, 4, 1, FALSE, FALSE, { NULL } },
  { "/engine/grad/lstm/bidirectional-all", "lstm", 4, 3, 3, 1, TRUE, TRUE, { NULL } },
  { "/engine/grad/lstm/2-layers-bidirectional-masked", "lstm", 5, 2, 3, 2, TRUE, FALSE, LEFT_PADDED5 },
  { "/engine/grad/lstm/bidirectional-right-padded-hole", "lstm", 6, 2, 3, 1, TRUE, FALSE, RIGHT_PADDED_HOLE },
};

/* The case's mask, its padding's inputs drawn afresh (junk). */
static guint8 *
pattern_mask (Harness *h, const RnnCase *rc)
{
  guint8 *mask = g_new (guint8, (gsize) h->n * rc->t);

  for (int i = 0; i < h->n; i++)
    for (int t = 0; t < rc->t; t++)
      {
        mask[i * rc->t + t] = rc->mask[i][t] == '1';
        if (!mask[i * rc->t + t])
          fill_uniform (h->x + ((gsize) i * rc->t + t) * rc->in, rc->in, -1, 1, h->rng);
      }
  h->l->mask = mask;
  return mask;
}

static void
set_rnn (MhLayerSpec *spec, gpointer data)
{
  const RnnCase *rc = data;

  spec->hidden = rc->hidden;
  spec->num_layers = rc->layers;
  spec->bidirectional = rc->bidirectional;
  g_free (spec->mode);
  spec->mode = g_strdup (rc->all ? "all" : "last");
}

static double
sig (double x)
{
  return 1 / (1 + exp (-x));
}

/* PyTorch's GRU or LSTM, one direction of one layer over the real steps
 * (mask: T bytes, NULL: all real) of one sample: x (T × in) → out (T ×
 * out_ld, column col; zeros left alone at padding), the final state into
 * last (H).  Padding carries the state over. */
static void
ref_direction (const MhLayer *l, const RnnCase *rc, int k, gboolean rev, const double *x, int in,
               const guint8 *mask, double *out, int out_ld, int col, double *last)
{
  g_autofree char *suffix = g_strdup_printf ("_l%d%s", k, rev ? "_reverse" : "");
  g_autofree char *n_wih = g_strconcat ("weight_ih", suffix, NULL), *n_whh = g_strconcat ("weight_hh", suffix, NULL);
  g_autofree char *n_bih = g_strconcat ("bias_ih", suffix, NULL), *n_bhh = g_strconcat ("bias_hh", suffix, NULL);
  const float *wih = layer_param (l, n_wih)->data, *whh = layer_param (l, n_whh)->data;
  const float *bih = layer_param (l, n_bih)->data, *bhh = layer_param (l, n_bhh)->data;
  gboolean lstm = g_str_equal (rc->type, "lstm");
  int hsz = rc->hidden, gates = lstm ? 4 : 3;
  g_autofree double *hs = g_new0 (double, hsz), *cs = g_new0 (double, hsz);
  g_autofree double *a = g_new (double, gates * hsz), *b = g_new (double, gates * hsz);

  for (int s = 0; s < rc->t; s++)
    {
      int t = rev ? rc->t - 1 - s : s;
      if (mask != NULL && !mask[t])
        continue;
      for (int g = 0; g < gates * hsz; g++)
        {
          a[g] = bih[g], b[g] = bhh[g];
          for (int j = 0; j < in; j++)
            a[g] += wih[g * in + j] * x[t * in + j];
          for (int j = 0; j < hsz; j++)
            b[g] += whh[g * hsz + j] * hs[j];
        }
      for (int j = 0; j < hsz; j++)
        if (lstm)
          {
            double i = sig (a[j] + b[j]), f = sig (a[hsz + j] + b[hsz + j]);
            double gg = tanh (a[2 * hsz + j] + b[2 * hsz + j]), o = sig (a[3 * hsz + j] + b[3 * hsz + j]);
            cs[j] = f * cs[j] + i * gg;
            hs[j] = o * tanh (cs[j]);
          }
        else
          {
            double r = sig (a[j] + b[j]), z = sig (a[hsz + j] + b[hsz + j]);
            double n = tanh (a[2 * hsz + j] + r * b[2 * hsz + j]);
            hs[j] = (1 - z) * n + z * hs[j];
          }
      for (int j = 0; j < hsz; j++)
        out[t * out_ld + col + j] = hs[j];
    }
  memcpy (last, hs, sizeof (double) * hsz);
}

/* The whole layer on one sample (its mask row, or NULL), into y. */
static void
ref_rnn (const MhLayer *l, const RnnCase *rc, const float *xf, const guint8 *mask, double *y)
{
  int t = rc->t, dirs = rc->bidirectional ? 2 : 1, hd = rc->hidden * dirs, in = rc->in;
  g_autofree double *x = g_new (double, (gsize) t * MAX (in, hd));
  g_autofree double *out = g_new0 (double, (gsize) t * hd);
  g_autofree double *last = g_new (double, hd);

  for (int j = 0; j < t * in; j++)
    x[j] = xf[j];
  for (int k = 0; k < rc->layers; k++)
    {
      memset (out, 0, sizeof (double) * t * hd);
      for (int r = 0; r < dirs; r++)
        ref_direction (l, rc, k, r == 1, x, in, mask, out, hd, r * rc->hidden, last + r * rc->hidden);
      memcpy (x, out, sizeof (double) * t * hd);
      in = hd;
    }
  memcpy (y, rc->all ? out : last, sizeof (double) * (rc->all ? t * hd : hd));
}

static void
test_rnn (gconstpointer data)
{
  const RnnCase *rc = data;
  Harness *h = harness_for (rc->type, seq (rc->t, rc->in), 63, set_rnn, (gpointer) rc);
  int dirs = rc->bidirectional ? 2 : 1, gates = g_str_equal (rc->type, "lstm") ? 4 : 3;
  gsize per_out = mh_shape_size (&h->l->out);
  g_autofree double *ref = g_new (double, h->out_len);
  guint8 *mask = NULL;

  assert_out_shape (h, rc->all ? seq (rc->t, rc->hidden * dirs) : mh_shape1 (rc->hidden * dirs));
  g_assert_cmpint (h->l->n_params, ==, 4 * rc->layers * dirs);
  g_assert_cmpuint (layer_param (h->l, "weight_ih_l0")->size, ==, (gsize) gates * rc->hidden * rc->in);
  if (rc->mask[0] != NULL)
    mask = pattern_mask (h, rc);
  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    ref_rnn (h->l, rc, h->x + (gsize) i * rc->t * rc->in, mask ? mask + i * rc->t : NULL, ref + i * per_out);
  assert_near (h->y, ref, h->out_len, 2e-5, rc->type);
  g_free (check_layer (h, 1e-2f));
  if (mask != NULL)
    free_mask (h, mask);
  harness_free (h);
}

/* ---- the mask through attention ------------------------------------------- */

static void
set_heads (MhLayerSpec *spec, gpointer data)
{
  spec->heads = 2;
  spec->hidden = 10;
}

/* Sample 1's real tokens alone through the same layer (its parameters
 * shared) give what the masked run gives on them. */
static void
test_attention_mask (gconstpointer data)
{
  const char *type = data;
  enum { T = 7, D = 8, PAD = 3 };
  Harness *h = harness_for (type, seq (T, D), 64, set_heads, NULL);
  static const int pad[3] = { 0, PAD, 6 };
  MhLayer alone = *h->l;
  g_autofree float *y = g_new (float, (T - PAD) * D);
  g_autofree float *scratch = g_new0 (float, h->l->scratch_per_sample * T);   /* room enough */
  guint8 *mask = left_padding (h, T, pad);

  harness_forward (h);
  for (int head = 0; head < 2; head++)
    for (int q = 0; q < T; q++)
      for (int k = 0; k < PAD; k++)
        g_assert_cmpfloat (mh_attention_layer_map (h->l, 1, head)[q * T + k], ==, 0.0f);
  alone.in = alone.out = seq (T - PAD, D);
  alone.mask = NULL;
  alone.x = h->x + (T + PAD) * D;
  alone.y = y;
  alone.scratch = scratch;
  alone.klass->forward (&alone, 1, FALSE, NULL);
  for (int j = 0; j < (T - PAD) * D; j++)
    g_assert_cmpfloat_with_epsilon (h->y[(T + PAD) * D + j], y[j], 1e-5);
  g_free (check_layer (h, 5e-3f));
  free_mask (h, mask);
  harness_free (h);
}

static void
test_class_token_mask (void)
{
  Harness *h = harness_for ("class_token", seq (3, 2), 65, NULL, NULL);
  static const int pad[3] = { 1, 0, 3 };
  guint8 *mask = left_padding (h, 3, pad);
  static const guint8 want[] = { 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 };

  g_assert_cmpmem (h->l->out_mask, 12, want, 12);
  free_mask (h, mask);
  harness_free (h);
}

static void
test_select_mean_mask (void)
{
  Harness *h = harness_for ("select_token", seq (4, 3), 66, set_mode, "mean");
  static const int pad[3] = { 1, 0, 2 };
  guint8 *mask = left_padding (h, 4, pad);

  harness_forward (h);
  for (int i = 0; i < h->n; i++)
    for (int j = 0; j < 3; j++)
      {
        double want = 0;
        for (int r = pad[i]; r < 4; r++)
          want += h->x[(i * 4 + r) * 3 + j];
        g_assert_cmpfloat_with_epsilon (h->y[i * 3 + j], want / (4 - pad[i]), 1e-6);
      }
  g_free (check_layer (h, 0.1f));
  free_mask (h, mask);
  harness_free (h);
}

/* ---- shapes and their messages ---------------------------------------------- */

static void
expect_infer_error (const char *type, MhShape in, SpecSetter set, gpointer data, const char *needle)
{
  g_autoptr (GError) error = NULL;
  MhLayerSpec spec;
  MhLayer *l;

  mh_layer_spec_init (&spec, type);
  if (set != NULL)
    set (&spec, data);
  l = mh_layer_new (&spec, "bad");
  l->in = in;
  g_assert_false (l->klass->infer (l, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, needle));
  g_assert_nonnull (strstr (error->message, "'bad'"));
  mh_layer_free (l);
  mh_layer_spec_clear (&spec);
}

static void
test_shape_errors (void)
{
  static const ConvCase groups = { NULL, 8, 6, 4, 3, 1, 0, 1, 4, FALSE };
  static const ConvCase too_long = { NULL, 4, 2, 4, 3, 1, 0, 3, 1, FALSE };
  static const RnnCase deep = { NULL, "gru", 4, 2, 3, 9, FALSE, FALSE, { NULL } };

  expect_infer_error ("embedding", seq (4, 3), set_embedding, NULL, "token ids");
  expect_infer_error ("conv1d", mh_shape1 (8), set_conv, (gpointer) &groups, "time steps × channels");
  expect_infer_error ("conv1d", seq (8, 6), set_conv, (gpointer) &groups, "4 groups must divide");
  expect_infer_error ("conv1d", seq (4, 2), set_conv, (gpointer) &too_long, "spans 7 steps");
  expect_infer_error ("seqpool", mh_shape1 (5), set_mode, "max", "token×dim");
  expect_infer_error ("seqpool", seq (5, 2), set_mode, "class", "mode 'class'");
  expect_infer_error ("gru", seq (5, 2), set_rnn, (gpointer) &deep, "1 to 4 layers");
  expect_infer_error ("lstm", mh_shape3 (5, 2, 1), set_rnn, (gpointer) &rnn_cases[5], "token×dim");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/grad/embedding", test_embedding);
  for (guint i = 0; i < G_N_ELEMENTS (conv_cases); i++)
    g_test_add_data_func (conv_cases[i].path, &conv_cases[i], test_conv1d);
  g_test_add_func ("/engine/sequence/conv-heads", test_conv_heads);
  g_test_add_data_func ("/engine/grad/seqpool/max", "max", test_seqpool);
  g_test_add_data_func ("/engine/grad/seqpool/mean", "mean", test_seqpool);
  g_test_add_data_func ("/engine/grad/seqpool/max-masked", "max-masked", test_seqpool);
  g_test_add_data_func ("/engine/grad/seqpool/mean-masked", "mean-masked", test_seqpool);
  for (guint i = 0; i < G_N_ELEMENTS (rnn_cases); i++)
    g_test_add_data_func (rnn_cases[i].path, &rnn_cases[i], test_rnn);
  g_test_add_data_func ("/engine/grad/attention/masked", "attention", test_attention_mask);
  g_test_add_data_func ("/engine/grad/transformer_block/masked", "transformer_block", test_attention_mask);
  g_test_add_func ("/engine/sequence/class-token-mask", test_class_token_mask);
  g_test_add_func ("/engine/grad/select_token/mean-masked", test_select_mean_mask);
  g_test_add_func ("/engine/sequence/shape-errors", test_shape_errors);
  return g_test_run ();
}
