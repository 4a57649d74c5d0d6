/* mh-layer-vit.c — the layers around a vision transformer's blocks: patch
 * embedding, class token, position embedding and token selection.
 *
 * Tokens are rows: a sequence is T × D, channels-last like everything else,
 * so a convolution's Ho × Wo × D output is already the token matrix.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-layer-conv.h"
#include "mh-error.h"

static MhShape
tokens_shape (int t, int d)
{
  return (MhShape) { 2, { t, d } };
}

/* N(0, std²), by Box–Muller. */
static void
init_normal (float *p, gsize n, double std, GRand *rng)
{
  for (gsize i = 0; i < n; i++)
    {
      double u = 1.0 - g_rand_double (rng), v = g_rand_double (rng);
      p[i] = (float) (std * sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v));
    }
}

/* dst (n rows of len) = src, or += src when `add`. */
static void
copy_or_add (float *dst, const float *src, gsize len, gboolean add)
{
  if (!add)
    memcpy (dst, src, sizeof (float) * len);
  else
    for (gsize i = 0; i < len; i++)
      dst[i] += src[i];
}

/* ---- patch_embed: H × W × C → T × D, T = (H/p)·(W/p) ---------------------
 *
 * A convolution with kernel = stride = p: each patch, laid out by im2col as
 * p·p·C values, goes through one dense layer.  weight: D × p × p × C in the
 * engine (rows in im2col's order), D × C × p × p in files like a PyTorch
 * Conv2d; bias: D.  Scratch: the patches (H·W·C a sample), then their
 * gradient. */

static gboolean
patch_infer (MhLayer *l, GError **error)
{
  const MhLayerSpec *s = &l->spec;
  int h, w, c, p = s->patch;

  if (!mh_layer_expect_rank (l, 3, NULL, error))
    return FALSE;
  h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2];
  if (p < 1 || s->dim < 1)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("patch_embed '%s' needs a patch size and a dim of at least 1 (got patch %d, dim %d)"),
                   s->name, p, s->dim);
      return FALSE;
    }
  if (h % p != 0 || w % p != 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   _("patch_embed '%s': patches of %d×%d do not tile the %d×%d image "
                   "(%d is not a multiple of %d): use a patch size that divides both sides"),
                   s->name, p, p, h, w, h % p ? h : w, p);
      return FALSE;
    }
  l->out = tokens_shape ((h / p) * (w / p), s->dim);
  l->n_params = 2;
  l->params[0] = (MhParam) { "weight", { 4, { s->dim, p, p, c } }, (gsize) s->dim * p * p * c };
  l->params[1] = (MhParam) { "bias", mh_shape1 (s->dim), (gsize) s->dim };
  l->scratch_per_sample = 2 * (gsize) h * w * c;
  return TRUE;
}

static void
patch_init (MhLayer *l, GRand *rng)
{
  /* PyTorch's Conv2d: U(−1/√fan_in, 1/√fan_in), fan_in = C·p·p */
  float bound = 1.0f / sqrtf ((float) (l->params[0].size / l->spec.dim));

  mh_init_uniform (l->params[0].data, l->params[0].size, bound, rng);
  mh_init_uniform (l->params[1].data, l->params[1].size, bound, rng);
}

static MhLayer
patch_dense (const MhLayer *l)
{
  int pp_c = (int) (l->params[0].size / l->spec.dim);

  return mh_layer_view (&mh_dense_class, l, 0, pp_c, l->spec.dim);
}

/* x: n×H×W×C → y: n×T×D */
static void
patch_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  int h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2], p = l->spec.patch;
  gsize image = (gsize) h * w * c;
  MhLayer dense = patch_dense (l);

  for (int i = 0; i < n; i++)
    mh_im2col (l->x + i * image, h, w, c, p, p, 0, h / p, w / p, l->scratch + i * image);
  dense.x = l->scratch;
  dense.y = l->y;
  mh_dense_class.forward (&dense, n * l->out.dim[0], train, rng);
}

/* dy: n×T×D → dW, db; dx: n×H×W×C */
static void
patch_backward (MhLayer *l, int n, gboolean accumulate)
{
  int h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2], p = l->spec.patch;
  gsize image = (gsize) h * w * c;
  float *dcols = l->scratch + n * image;
  MhLayer dense = patch_dense (l);

  dense.x = l->scratch;
  dense.dy = l->dy;
  dense.dx = l->dx != NULL ? dcols : NULL;
  mh_dense_class.backward (&dense, n * l->out.dim[0], FALSE);
  if (l->dx == NULL)
    return;
  if (!accumulate)
    memset (l->dx, 0, sizeof (float) * n * image);
  for (int i = 0; i < n; i++)
    mh_col2im_add (dcols + i * image, h, w, c, p, p, 0, h / p, w / p, l->dx + i * image);
}

const MhLayerClass mh_patch_embed_class = {
  .type = "patch_embed",
  .keys = "patch dim",
  .infer = patch_infer,
  .init = patch_init,
  .forward = patch_forward,
  .backward = patch_backward,
};

/* ---- class_token: T × D → (T + 1) × D, a learned token first ------------
 * weight: D (a PyTorch ViT's cls_token, 1 × 1 × D, flattened). */

static gboolean
expect_tokens (MhLayer *l, GError **error)
{
  return mh_layer_expect_rank (l, 2, _("put a patch_embed or embedding layer before it"), error);
}

static gboolean
class_token_infer (MhLayer *l, GError **error)
{
  int d;

  if (!expect_tokens (l, error))
    return FALSE;
  d = l->in.dim[1];
  l->out = tokens_shape (l->in.dim[0] + 1, d);
  l->n_params = 1;
  l->params[0] = (MhParam) { "weight", mh_shape1 (d), (gsize) d };
  return TRUE;
}

static void
embedding_init (MhLayer *l, GRand *rng)
{
  /* timm's ViT: N(0, 0.02²) (truncated there; at 0.02 it makes no odds) */
  init_normal (l->params[0].data, l->params[0].size, 0.02, rng);
}

static void
class_token_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  gsize in = mh_shape_size (&l->in), out = mh_shape_size (&l->out), d = l->in.dim[1];

  for (int i = 0; i < n; i++)
    {
      memcpy (l->y + i * out, l->params[0].data, sizeof (float) * d);
      memcpy (l->y + i * out + d, l->x + i * in, sizeof (float) * in);
    }
}

static void
class_token_backward (MhLayer *l, int n, gboolean accumulate)
{
  gsize in = mh_shape_size (&l->in), out = mh_shape_size (&l->out), d = l->in.dim[1];

  if (!l->frozen)
    {
      float *g = l->params[0].grad;
      memset (g, 0, sizeof (float) * d);
      for (int i = 0; i < n; i++)
        for (gsize j = 0; j < d; j++)
          g[j] += l->dy[i * out + j];
    }
  if (l->dx != NULL)
    for (int i = 0; i < n; i++)
      copy_or_add (l->dx + i * in, l->dy + i * out + d, in, accumulate);
}

/* The class token is real; the others keep their mask. */
static void
class_token_mask (MhLayer *l, int n)
{
  int t = l->in.dim[0];

  for (int i = 0; i < n; i++)
    {
      l->out_mask[(gsize) i * (t + 1)] = 1;
      memcpy (l->out_mask + (gsize) i * (t + 1) + 1, l->mask + (gsize) i * t, t);
    }
}

const MhLayerClass mh_class_token_class = {
  .type = "class_token",
  .keys = "",
  .infer = class_token_infer,
  .init = embedding_init,
  .forward = class_token_forward,
  .backward = class_token_backward,
  .mask_out = class_token_mask,
};

/* ---- position_embedding: T × D → T × D, y = x + E ------------------------
 * weight E: T × D.  Reads neither x nor y in backward, so it runs in place. */

static gboolean
position_infer (MhLayer *l, GError **error)
{
  if (!expect_tokens (l, error))
    return FALSE;
  l->out = l->in;
  l->n_params = 1;
  l->params[0] = (MhParam) { "weight", l->in, mh_shape_size (&l->in) };
  return TRUE;
}

static void
position_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  gsize len = mh_shape_size (&l->in);
  const float *e = l->params[0].data;

  for (int i = 0; i < n; i++)
    {
      const float *x = l->x + i * len;
      float *y = l->y + i * len;
      for (gsize j = 0; j < len; j++)
        y[j] = x[j] + e[j];
    }
}

static void
position_backward (MhLayer *l, int n, gboolean accumulate)
{
  gsize len = mh_shape_size (&l->in);

  if (!l->frozen)
    {
      float *g = l->params[0].grad;
      memcpy (g, l->dy, sizeof (float) * len);
      for (int i = 1; i < n; i++)
        copy_or_add (g, l->dy + i * len, len, TRUE);
    }
  if (l->dx != NULL && l->dx != l->dy)   /* in place, dx is dy already */
    copy_or_add (l->dx, l->dy, (gsize) n * len, accumulate);
}

const MhLayerClass mh_position_embedding_class = {
  .type = "position_embedding",
  .keys = "",
  .in_place = TRUE,
  .infer = position_infer,
  .init = embedding_init,
  .forward = position_forward,
  .backward = position_backward,
};

/* ---- select_token: T × D → D ---------------------------------------------
 * mode "class": the first token (the class token); "mean": the mean of the
 * real tokens (those the padding mask keeps; all when there is none). */

static const char *const select_modes[] = { "class", "mean", NULL };

static gboolean
select_is_mean (const MhLayer *l)
{
  return g_strcmp0 (l->spec.mode, "mean") == 0;
}

static gboolean
select_infer (MhLayer *l, GError **error)
{
  if (!expect_tokens (l, error) || !mh_layer_check_mode (l, error))
    return FALSE;
  l->out = mh_shape1 (l->in.dim[1]);
  return TRUE;
}

/* How many of sample i's tokens are real. */
static int
real_tokens (const MhLayer *l, int i, int t)
{
  int count = 0;

  if (l->mask == NULL)
    return t;
  for (int r = 0; r < t; r++)
    count += l->mask[(gsize) i * t + r] != 0;
  return count;
}

static void
select_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  int t = l->in.dim[0], d = l->in.dim[1];

  for (int i = 0; i < n; i++)
    {
      const float *x = l->x + (gsize) i * t * d;
      float *y = l->y + (gsize) i * d;
      int count;

      if (!select_is_mean (l))
        {
          memcpy (y, x, sizeof (float) * d);
          continue;
        }
      memset (y, 0, sizeof (float) * d);
      for (int r = 0; r < t; r++)
        if (mh_mask_on (l->mask, t, i, r))
          copy_or_add (y, x + (gsize) r * d, d, TRUE);
      count = real_tokens (l, i, t);
      for (int j = 0; j < d; j++)
        y[j] = count > 0 ? y[j] / count : 0.0f;
    }
}

static void
select_backward (MhLayer *l, int n, gboolean accumulate)
{
  int t = l->in.dim[0], d = l->in.dim[1];
  gboolean mean = select_is_mean (l);

  if (l->dx == NULL)
    return;
  for (int i = 0; i < n; i++)
    {
      const float *dy = l->dy + (gsize) i * d;
      float *dx = l->dx + (gsize) i * t * d;
      int count = mean ? real_tokens (l, i, t) : 1;
      float scale = count > 0 ? 1.0f / count : 0.0f;

      for (int r = 0; r < t; r++, dx += d)
        {
          gboolean used = mean ? mh_mask_on (l->mask, t, i, r) : r == 0;
          for (int j = 0; j < d; j++)
            {
              float v = used ? dy[j] * scale : 0.0f;
              dx[j] = accumulate ? dx[j] + v : v;
            }
        }
    }
}

const MhLayerClass mh_select_token_class = {
  .type = "select_token",
  .keys = "mode",
  .modes = select_modes,
  .infer = select_infer,
  .forward = select_forward,
  .backward = select_backward,
};
