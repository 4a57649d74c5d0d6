/* mh-layer-attention.c — multi-head self-attention, and the pre-norm
 * transformer block built around it.
 *
 * Input and output are token sequences, T × D a sample.  Attention:
 *   [Q K V] = x·Wqkvᵀ + bqkv           one GEMM, D → 3D for all n·T rows
 *   P_j = softmax(Q_j K_jᵀ / √dh)      per head j, dh = D / h columns each
 *   ctx = [P_1 V_1 … P_h V_h]          heads side by side
 *   y = ctx·Wprojᵀ + bproj
 * The transformer block (its residual paths make it one layer, as the model
 * is a list of layers):
 *   r = x + attention(norm1(x))
 *   y = r + fc2(gelu(fc1(norm2(r))))
 *
 * Parameters are named and laid out like PyTorch's (nn.Linear: out × in;
 * qkv rows Q, K, V as nn.MultiheadAttention's in_proj_weight):
 *   attention:          qkv.weight 3D×D, qkv.bias 3D, proj.weight D×D, proj.bias D
 *   transformer_block:  norm1.weight, norm1.bias (D), those four, norm2.weight,
 *                       norm2.bias (D), fc1.weight H×D, fc1.bias H, fc2.weight D×H,
 *                       fc2.bias D
 * The dense and layer-norm parts run through those layers' own code
 * (mh_layer_view) on all n·T rows at once; GELU keeps its derivative from
 * the forward pass (mh_gelu_with_grad), where fc1's output was.  The
 * per-head products are GEMMs on strided views of qkv (no copies); softmax
 * and its backward are vector loops.  Nothing is allocated.
 *
 * Scratch, each part n samples long: first the attention probabilities
 * (n × h × T × T, kept for backward and for whoever wants to look at them:
 * mh_attention_layer_map()), then what backward needs and its temporaries.
 * When l->dprobs is set (attribution sets it), backward also keeps the
 * gradient on the probabilities there.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-layer-attention.h"
#include "mh-blas.h"
#include "mh-error.h"
#include "mh-limits.h"
#include "mh-simd.h"
#include "mh-vecmath.h"

/* Parameter indices. */
enum { ATT_QKV_W, ATT_QKV_B, ATT_PROJ_W, ATT_PROJ_B, ATT_N_PARAMS };
enum {
  BLK_NORM1_W, BLK_NORM1_B, BLK_ATT, BLK_NORM2_W = BLK_ATT + ATT_N_PARAMS, BLK_NORM2_B,
  BLK_FC1_W, BLK_FC1_B, BLK_FC2_W, BLK_FC2_B, BLK_N_PARAMS
};

typedef struct {
  int   t, d, heads, dh, hidden;
  float scale;      /* 1/√dh */
} Geom;

/* Scratch regions; the transformer block's own ones are NULL for attention. */
typedef struct {
  float *maps;                  /* n × h × T × T */
  float *qkv, *ctx;             /* n·T × 3D, n·T × D */
  float *dqkv, *dtmp, *ds;      /* n·T × 3D, n·T × D, n × T × T */
  float *a, *stat1, *r, *c, *stat2;   /* block: norm1(x), its statistics, r, norm2(r), … */
  float *du, *g;                /* block: n·T × H: fc1's output, then GELU's derivative there; GELU */
  float *dr, *dhid;             /* block: n·T × D, n·T × H */
} Bufs;

static gboolean
is_block (const MhLayer *l)
{
  return l->klass == &mh_transformer_block_class;
}

static Geom
geom (const MhLayer *l)
{
  Geom g = { l->in.dim[0], l->in.dim[1], l->spec.heads, 0, is_block (l) ? l->spec.hidden : 0, 0 };

  g.dh = g.d / g.heads;
  g.scale = 1.0f / sqrtf ((float) g.dh);
  return g;
}

/* Lays the regions out in l->scratch for n samples (only counts when the
 * scratch is not bound yet); returns the floats they take. */
static gsize
carve (const MhLayer *l, int n, Bufs *b)
{
  Geom g = geom (l);
  gsize t = g.t, d = g.d, at = 0;

  memset (b, 0, sizeof *b);
#define TAKE(field, per_sample) \
  (b->field = l->scratch != NULL ? l->scratch + at : NULL, at += (gsize) n * (per_sample))
  TAKE (maps, g.heads * t * t);
  TAKE (qkv, 3 * t * d);
  TAKE (ctx, t * d);
  TAKE (dqkv, 3 * t * d);
  TAKE (dtmp, t * d);
  TAKE (ds, t * t);
  if (is_block (l))
    {
      TAKE (a, t * d);
      TAKE (stat1, 2 * t);
      TAKE (r, t * d);
      TAKE (c, t * d);
      TAKE (stat2, 2 * t);
      TAKE (du, t * g.hidden);
      TAKE (g, t * g.hidden);
      TAKE (dr, t * d);
      TAKE (dhid, t * g.hidden);
    }
#undef TAKE
  return at;
}

/* ---- the attention core: qkv → probabilities → ctx ------------------------ */

/* Float reductions in 16 independent lanes, so that they vectorise without
 * -ffast-math (which would let the compiler reorder every sum). */
#define LANES 16

static inline float
row_max (const float *s, int n)
{
  float m[LANES], r;
  int c = 0;

  for (int k = 0; k < LANES; k++)
    m[k] = s[0];
  for (; c + LANES <= n; c += LANES)
    for (int k = 0; k < LANES; k++)
      m[k] = s[c + k] > m[k] ? s[c + k] : m[k];
  r = m[0];
  for (int k = 1; k < LANES; k++)
    r = MAX (r, m[k]);
  for (; c < n; c++)
    r = MAX (r, s[c]);
  return r;
}

/* Rows of s become softmax(rows), the largest subtracted first.  The
 * exponentials run over the whole matrix at once: long vector loops.
 * keys (cols bytes, NULL: all real): the columns of padding tokens, left
 * out — probability 0, as a score of −∞ would give. */
MH_HOT static void
softmax_rows (float *s, int rows, int cols, const guint8 *keys)
{
  gsize len = (gsize) rows * cols;
  float *row = s;

  for (int r = 0; r < rows; r++, row += cols)
    {
      float max;
      if (keys != NULL)
        for (int c = 0; c < cols; c++)
          row[c] = keys[c] ? row[c] : -1e30f;
      max = row_max (row, cols);
      for (int c = 0; c < cols; c++)
        row[c] -= max;
    }
  for (gsize i = 0; i < len; i++)
    s[i] = mh_expf (s[i]);
  row = s;
  for (int r = 0; r < rows; r++, row += cols)
    {
      float sum, inv;
      if (keys != NULL)
        for (int c = 0; c < cols; c++)
          row[c] = keys[c] ? row[c] : 0.0f;
      sum = mh_row_dot (row, NULL, cols);
      inv = sum > 0 ? 1.0f / sum : 0.0f;
      for (int c = 0; c < cols; c++)
        row[c] *= inv;
    }
}

/* ds holds dP; it becomes dS = P ⊙ (dP − rowsum(dP ⊙ P)). */
MH_HOT static void
softmax_backward_rows (const float *p, float *ds, int rows, int cols)
{
  for (int r = 0; r < rows; r++, p += cols, ds += cols)
    {
      float dot = mh_row_dot (ds, p, cols);
      for (int c = 0; c < cols; c++)
        ds[c] = p[c] * (ds[c] - dot);
    }
}

/* qkv: n·T × 3D → maps: n × h × T × T, ctx: n·T × D.  Q_j, K_j and V_j are
 * column blocks of qkv (leading dimension 3D): no copies.  mask (n × T,
 * NULL: none): keys that are padding get no attention. */
static void
core_forward (const Geom *g, int n, const guint8 *mask, const float *qkv, float *maps, float *ctx)
{
  int t = g->t, d = g->d, dh = g->dh;

  for (int i = 0; i < n; i++)
    {
      const float *qi = qkv + (gsize) i * t * 3 * d;
      float *pi = maps + (gsize) i * g->heads * t * t;

      for (int j = 0; j < g->heads; j++)
        mh_gemm (FALSE, TRUE, t, t, dh, g->scale, qi + j * dh, 3 * d, qi + d + j * dh, 3 * d, 0.0f,
                 pi + (gsize) j * t * t, t);
      softmax_rows (pi, g->heads * t, t, mask != NULL ? mask + (gsize) i * t : NULL);
      for (int j = 0; j < g->heads; j++)
        mh_gemm (FALSE, FALSE, t, dh, t, 1.0f, pi + (gsize) j * t * t, t, qi + 2 * d + j * dh, 3 * d, 0.0f,
                 ctx + (gsize) i * t * d + j * dh, d);
    }
}

/* dctx: n·T × D → dqkv: n·T × 3D.  ds: T × T a sample, a temporary.
 *   dP = dO·Vᵀ, dV = Pᵀ·dO, dS = P ⊙ (dP − rowsum(dP ⊙ P)),
 *   dQ = dS·K/√dh, dK = dSᵀ·Q/√dh
 * keep_dp (NULL: not kept): dP, n × h × T × T, for attribution. */
static void
core_backward (const Geom *g, int n, const float *qkv, const float *maps, const float *dctx,
               float *dqkv, float *ds, float *keep_dp)
{
  int t = g->t, d = g->d, dh = g->dh;

  for (int i = 0; i < n; i++)
    for (int j = 0; j < g->heads; j++)
      {
        gsize at = (gsize) i * t * 3 * d + j * dh;
        const float *q = qkv + at, *k = q + d, *v = q + 2 * d;
        const float *p = maps + ((gsize) i * g->heads + j) * t * t;
        const float *dout = dctx + (gsize) i * t * d + j * dh;
        float *dq = dqkv + at, *dk = dq + d, *dv = dq + 2 * d, *s = ds + (gsize) i * t * t;

        mh_gemm (FALSE, TRUE, t, t, dh, 1.0f, dout, d, v, 3 * d, 0.0f, s, t);
        mh_gemm (TRUE, FALSE, t, dh, t, 1.0f, p, t, dout, d, 0.0f, dv, 3 * d);
        if (keep_dp != NULL)
          memcpy (keep_dp + ((gsize) i * g->heads + j) * t * t, s, sizeof (float) * t * t);
        softmax_backward_rows (p, s, t, t);
        mh_gemm (FALSE, FALSE, t, dh, t, g->scale, s, t, k, 3 * d, 0.0f, dq, 3 * d);
        mh_gemm (TRUE, FALSE, t, dh, t, g->scale, s, t, q, 3 * d, 0.0f, dk, 3 * d);
      }
}

/* ---- attention (params from `first` on): x → y ----------------------------- */

static MhLayer
dense_view (const MhLayer *l, int first, int in, int out, const float *x, float *y,
            float *dx, float *dy)
{
  MhLayer v = mh_layer_view (&mh_dense_class, l, first, in, out);

  v.x = x, v.y = y, v.dx = dx, v.dy = dy;
  return v;
}

/* A dense view's backward.  The dense layer computes dW = dyᵀ·x, which
 * OpenBLAS does far slower when out > in (27 against 69 GFLOP/s for the
 * 192 × 64 of qkv over 1600 rows, on Cooperlake kernels); then dWᵀ = xᵀ·dy
 * goes into `tmp` (a dead region of the scratch, when it has room for
 * in × out floats) and is transposed, and the dense layer does the rest. */
static void
view_backward (MhLayer *v, int rows, gboolean accumulate, float *tmp, gsize tmp_len)
{
  int in = v->in.dim[0], out = v->out.dim[0];
  float *dw = v->params[0].grad;

  if (v->frozen || out <= in || tmp_len < (gsize) in * out)
    {
      mh_dense_class.backward (v, rows, accumulate);
      return;
    }
  mh_gemm (TRUE, FALSE, in, out, rows, 1.0f, v->x, in, v->dy, out, 0.0f, tmp, out);
  for (int o = 0; o < out; o++)
    for (int i = 0; i < in; i++)
      dw[(gsize) o * in + i] = tmp[(gsize) i * out + o];
  mh_column_sums (v->dy, rows, out, v->params[1].grad);
  v->frozen = TRUE;   /* its parameter gradients are done: dx only */
  mh_dense_class.backward (v, rows, accumulate);
}

/* y = skip + dense(x) for a dense view: the residual path folded into the
 * product's accumulator (skip NULL: the plain dense layer). */
MH_HOT static void
residual_dense_forward (const MhLayer *v, int rows, const float *skip)
{
  int in = v->in.dim[0], out = v->out.dim[0];
  const float *bias = v->params[1].data;

  if (skip == NULL)
    {
      mh_dense_class.forward ((MhLayer *) v, rows, FALSE, NULL);
      return;
    }
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < out; c++)
      v->y[(gsize) r * out + c] = skip[(gsize) r * out + c] + bias[c];
  mh_gemm (FALSE, TRUE, rows, out, in, 1.0f, v->x, in, v->params[0].data, in, 1.0f, v->y, out);
}

/* y = skip + attention(x); skip may be NULL */
static void
attention_part_forward (const MhLayer *l, int first, const Bufs *b, int n, const float *x,
                        const float *skip, float *y)
{
  Geom g = geom (l);
  int rows = n * g.t;
  MhLayer qkv = dense_view (l, first + ATT_QKV_W, g.d, 3 * g.d, x, b->qkv, NULL, NULL);
  MhLayer proj = dense_view (l, first + ATT_PROJ_W, g.d, g.d, b->ctx, y, NULL, NULL);

  mh_dense_class.forward (&qkv, rows, FALSE, NULL);
  core_forward (&g, n, l->mask, b->qkv, b->maps, b->ctx);
  residual_dense_forward (&proj, rows, skip);
}

/* dy → parameter gradients and dx (written, or added to when accumulate;
 * dx may be NULL).  Uses dtmp for dctx. */
static void
attention_part_backward (const MhLayer *l, int first, const Bufs *b, int n, const float *x,
                         const float *dy, float *dx, gboolean accumulate)
{
  Geom g = geom (l);
  int rows = n * g.t;
  MhLayer proj = dense_view (l, first + ATT_PROJ_W, g.d, g.d, b->ctx, NULL, b->dtmp, (float *) dy);
  MhLayer qkv = dense_view (l, first + ATT_QKV_W, g.d, 3 * g.d, x, NULL, dx, b->dqkv);

  mh_dense_class.backward (&proj, rows, FALSE);
  core_backward (&g, n, b->qkv, b->maps, b->dtmp, b->dqkv, b->ds, l->dprobs);
  view_backward (&qkv, rows, accumulate, b->ctx, (gsize) rows * g.d);   /* ctx is done with */
}

static void
attention_part_params (MhLayer *l, int first, int d)
{
  l->params[first + ATT_QKV_W] = (MhParam) { "qkv.weight", { 2, { 3 * d, d } }, (gsize) 3 * d * d };
  l->params[first + ATT_QKV_B] = (MhParam) { "qkv.bias", mh_shape1 (3 * d), (gsize) 3 * d };
  l->params[first + ATT_PROJ_W] = (MhParam) { "proj.weight", { 2, { d, d } }, (gsize) d * d };
  l->params[first + ATT_PROJ_B] = (MhParam) { "proj.bias", mh_shape1 (d), (gsize) d };
}

/* nn.MultiheadAttention's: in_proj Xavier-uniform, out_proj U(±1/√D), biases 0. */
static void
attention_part_init (MhLayer *l, int first, GRand *rng)
{
  int d = l->in.dim[1];

  mh_init_uniform (l->params[first + ATT_QKV_W].data, l->params[first + ATT_QKV_W].size,
                   sqrtf (6.0f / (d + 3 * d)), rng);
  mh_init_uniform (l->params[first + ATT_PROJ_W].data, l->params[first + ATT_PROJ_W].size,
                   1.0f / sqrtf ((float) d), rng);
  memset (l->params[first + ATT_QKV_B].data, 0, sizeof (float) * 3 * d);
  memset (l->params[first + ATT_PROJ_B].data, 0, sizeof (float) * d);
}

static gboolean
attention_check (MhLayer *l, GError **error)
{
  int d;

  if (!mh_layer_expect_rank (l, 2, _("put a patch_embed or embedding layer before it"), error))
    return FALSE;
  d = l->in.dim[1];
  if (l->in.dim[0] > MH_MAX_TOKENS)   /* heads × T × T scores per sample stay countable */
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE, _("%s '%s': %d tokens; attention takes at most %d"),
                   l->klass->type, l->spec.name, l->in.dim[0], MH_MAX_TOKENS);
      return FALSE;
    }
  if (l->spec.heads < 1)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s '%s' needs at least 1 head (heads = %d)"),
                   l->klass->type, l->spec.name, l->spec.heads);
      return FALSE;
    }
  if (d % l->spec.heads != 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   _("%s '%s': dim %d does not split into %d heads of equal size: "
                   "use a number of heads that divides %d"),
                   l->klass->type, l->spec.name, d, l->spec.heads, d);
      return FALSE;
    }
  l->out = l->in;
  return TRUE;
}

static gboolean
attention_infer (MhLayer *l, GError **error)
{
  Bufs b;

  if (!attention_check (l, error))
    return FALSE;
  l->n_params = ATT_N_PARAMS;
  attention_part_params (l, 0, l->in.dim[1]);
  l->scratch_per_sample = carve (l, 1, &b);
  return TRUE;
}

static void
attention_init (MhLayer *l, GRand *rng)
{
  attention_part_init (l, 0, rng);
}

/* x: n×T×D → y: n×T×D */
static void
attention_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  Bufs b;

  carve (l, n, &b);
  attention_part_forward (l, 0, &b, n, l->x, NULL, l->y);
}

static void
attention_backward (MhLayer *l, int n, gboolean accumulate)
{
  Bufs b;

  carve (l, n, &b);
  attention_part_backward (l, 0, &b, n, l->x, l->dy, l->dx, accumulate);
}

const MhLayerClass mh_attention_class = {
  .type = "attention",
  .keys = "heads",
  .infer = attention_infer,
  .init = attention_init,
  .forward = attention_forward,
  .backward = attention_backward,
};

/* ---- transformer_block ----------------------------------------------------- */

static gboolean
block_infer (MhLayer *l, GError **error)
{
  int d, h = l->spec.hidden;
  Bufs b;

  if (!attention_check (l, error))
    return FALSE;
  if (h < 1)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("transformer_block '%s' needs a hidden size of at least 1 (hidden = %d)"),
                   l->spec.name, h);
      return FALSE;
    }
  d = l->in.dim[1];
  l->n_params = BLK_N_PARAMS;
  l->params[BLK_NORM1_W] = (MhParam) { "norm1.weight", mh_shape1 (d), (gsize) d };
  l->params[BLK_NORM1_B] = (MhParam) { "norm1.bias", mh_shape1 (d), (gsize) d };
  attention_part_params (l, BLK_ATT, d);
  l->params[BLK_NORM2_W] = (MhParam) { "norm2.weight", mh_shape1 (d), (gsize) d };
  l->params[BLK_NORM2_B] = (MhParam) { "norm2.bias", mh_shape1 (d), (gsize) d };
  l->params[BLK_FC1_W] = (MhParam) { "fc1.weight", { 2, { h, d } }, (gsize) h * d };
  l->params[BLK_FC1_B] = (MhParam) { "fc1.bias", mh_shape1 (h), (gsize) h };
  l->params[BLK_FC2_W] = (MhParam) { "fc2.weight", { 2, { d, h } }, (gsize) d * h };
  l->params[BLK_FC2_B] = (MhParam) { "fc2.bias", mh_shape1 (d), (gsize) d };
  l->scratch_per_sample = carve (l, 1, &b);
  return TRUE;
}

/* The block's layer-norm, GELU and MLP parts, bound to the buffers. */
typedef struct {
  MhLayer norm1, norm2, fc1, fc2;
} Parts;

static Parts
block_parts (const MhLayer *l, const Bufs *b)
{
  Geom g = geom (l);
  Parts p = {
    mh_layer_view (&mh_layernorm_class, l, BLK_NORM1_W, g.d, g.d),
    mh_layer_view (&mh_layernorm_class, l, BLK_NORM2_W, g.d, g.d),
    dense_view (l, BLK_FC1_W, g.d, g.hidden, b->c, b->du, b->dtmp, b->dhid),
    dense_view (l, BLK_FC2_W, g.hidden, g.d, b->g, l->y, b->dhid, l->dy),
  };

  p.norm1.x = l->x, p.norm1.y = b->a, p.norm1.dx = l->dx, p.norm1.dy = b->dtmp, p.norm1.scratch = b->stat1;
  p.norm2.x = b->r, p.norm2.y = b->c, p.norm2.dx = b->dr, p.norm2.dy = b->dtmp, p.norm2.scratch = b->stat2;
  return p;
}

static void
block_init (MhLayer *l, GRand *rng)
{
  Bufs b = { 0 };
  Parts p = block_parts (l, &b);

  mh_layernorm_class.init (&p.norm1, rng);
  attention_part_init (l, BLK_ATT, rng);
  mh_layernorm_class.init (&p.norm2, rng);
  mh_dense_class.init (&p.fc1, rng);
  mh_dense_class.init (&p.fc2, rng);
}

MH_HOT static void
add_into (float *y, const float *x, gsize len)
{
  for (gsize i = 0; i < len; i++)
    y[i] += x[i];
}

MH_HOT static void
mul_into (float *y, const float *x, gsize len)
{
  for (gsize i = 0; i < len; i++)
    y[i] *= x[i];
}

/* x: n×T×D → y: n×T×D */
static void
block_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  Bufs b;
  int rows = n * l->in.dim[0];

  carve (l, n, &b);
  Parts p = block_parts (l, &b);
  mh_layernorm_class.forward (&p.norm1, rows, train, rng);
  attention_part_forward (l, BLK_ATT, &b, n, b.a, l->x, b.r);
  mh_layernorm_class.forward (&p.norm2, rows, train, rng);
  mh_dense_class.forward (&p.fc1, rows, train, rng);
  mh_gelu_with_grad (b.du, b.g, b.du, (gsize) rows * l->spec.hidden);
  residual_dense_forward (&p.fc2, rows, b.r);
}

static void
block_backward (MhLayer *l, int n, gboolean accumulate)
{
  Bufs b;
  int rows = n * l->in.dim[0];
  gsize len = (gsize) rows * l->in.dim[1];

  if (l->frozen && l->dx == NULL)
    return;
  carve (l, n, &b);
  /* dr, the gradient at r, is built in dx itself when dx is ours alone */
  if (l->dx != NULL && !accumulate)
    b.dr = l->dx;
  Parts p = block_parts (l, &b);
  /* MLP branch: dr = dy + norm2ᵀ(fc1ᵀ(gelu'(fc2ᵀ dy))) */
  mh_dense_class.backward (&p.fc2, rows, FALSE);
  mul_into (b.dhid, b.du, (gsize) rows * l->spec.hidden);
  view_backward (&p.fc1, rows, FALSE, b.g, (gsize) rows * l->spec.hidden);   /* so is the GELU */
  memcpy (b.dr, l->dy, sizeof (float) * len);
  mh_layernorm_class.backward (&p.norm2, rows, TRUE);
  /* attention branch: dx = dr + norm1ᵀ(attentionᵀ dr) */
  attention_part_backward (l, BLK_ATT, &b, n, b.a, b.dr, b.dtmp, FALSE);
  if (l->dx != NULL && accumulate)
    add_into (l->dx, b.dr, len);
  mh_layernorm_class.backward (&p.norm1, rows, TRUE);
}

const MhLayerClass mh_transformer_block_class = {
  .type = "transformer_block",
  .keys = "heads hidden",
  .infer = block_infer,
  .init = block_init,
  .forward = block_forward,
  .backward = block_backward,
};

/* ---- what the attention layers show ---------------------------------------- */

gboolean
mh_layer_is_attention (const MhLayer *l)
{
  return l->klass == &mh_attention_class || l->klass == &mh_transformer_block_class;
}

int
mh_attention_layer_heads (const MhLayer *l)
{
  return l->spec.heads;
}

int
mh_attention_layer_tokens (const MhLayer *l)
{
  return l->in.dim[0];
}

const float *
mh_attention_layer_map (const MhLayer *l, int sample, int head)
{
  gsize t = l->in.dim[0];

  g_return_val_if_fail (mh_layer_is_attention (l) && l->scratch != NULL, NULL);
  g_return_val_if_fail (head >= 0 && head < l->spec.heads, NULL);
  return l->scratch + ((gsize) sample * l->spec.heads + head) * t * t;
}
