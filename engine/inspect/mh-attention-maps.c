/* mh-attention-maps.c — reading the attention layers' probabilities. */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-attention-maps.h"
#include "mh-layer-attention.h"
#include "mh-blas.h"
#include "mh-error.h"

const MhLayer *
mh_attention_layer (const MhModel *m, int index)
{
  for (guint i = 0; i < m->backbone->len; i++)
    {
      const MhLayer *l = m->backbone->pdata[i];
      if (mh_layer_is_attention (l) && index-- == 0)
        return l;
    }
  return NULL;
}

gboolean
mh_attention_info (const MhModel *m, MhAttentionInfo *info, const char *where, GError **error)
{
  const MhLayer *first;

  memset (info, 0, sizeof *info);
  while (mh_attention_layer (m, info->n_layers) != NULL)
    info->n_layers++;
  if (info->n_layers == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: the backbone has no attention layer (no transformer_block or attention): "
                   "there are no attention maps to show"), where);
      return FALSE;
    }
  first = mh_attention_layer (m, 0);
  info->tokens = mh_attention_layer_tokens (first);
  for (guint i = 0; i < m->backbone->len; i++)
    {
      const MhLayer *l = m->backbone->pdata[i];
      if (l == first)
        break;
      if (l->klass == &mh_patch_embed_class)
        {
          info->grid_h = l->in.dim[0] / l->spec.patch;
          info->grid_w = l->in.dim[1] / l->spec.patch;
          info->first_patch = 0;
          info->has_class_token = FALSE;
        }
      else if (l->klass == &mh_class_token_class)
        {
          info->first_patch++;
          info->has_class_token = TRUE;
        }
    }
  /* Tokens that are not patches and a grid that does not fit them: no grid. */
  if (info->first_patch + info->grid_h * info->grid_w != info->tokens)
    info->grid_h = info->grid_w = 0;
  return TRUE;
}

int
mh_attention_heads (const MhModel *m, int layer)
{
  const MhLayer *l = mh_attention_layer (m, layer);

  return l != NULL ? mh_attention_layer_heads (l) : 0;
}

const float *
mh_attention_map (const MhModel *m, int layer, int head, int sample)
{
  const MhLayer *l = mh_attention_layer (m, layer);

  g_return_val_if_fail (l != NULL, NULL);
  g_return_val_if_fail (sample >= 0 && sample < m->max_batch, NULL);
  return mh_attention_layer_map (l, sample, head);
}

gsize
mh_attention_copy_sample (const MhModel *m, int sample, float *out)
{
  gsize at = 0;

  for (int l = 0; mh_attention_layer (m, l) != NULL; l++)
    {
      gsize tt = (gsize) mh_attention_layer_tokens (mh_attention_layer (m, l));
      tt *= tt;
      for (int h = 0; h < mh_attention_heads (m, l); h++, at += tt)
        if (out != NULL)
          memcpy (out + at, mh_attention_map (m, l, h, sample), sizeof (float) * tt);
    }
  return at;
}

void
mh_attention_row_grid (const MhAttentionInfo *info, const float *map, int query, float *out)
{
  const float *row = map + (gsize) query * info->tokens + info->first_patch;

  memcpy (out, row, sizeof (float) * info->grid_h * info->grid_w);
}

void
mh_attention_class_grid (const MhModel *m, const MhAttentionInfo *info, int layer, int head,
                         int sample, float *out)
{
  const float *map = mh_attention_map (m, layer, head, sample);
  int t = info->tokens, cells = info->grid_h * info->grid_w;

  if (info->has_class_token)
    {
      mh_attention_row_grid (info, map, 0, out);
      return;
    }
  memset (out, 0, sizeof (float) * cells);
  for (int q = 0; q < t; q++)
    for (int k = 0; k < cells; k++)
      out[k] += map[(gsize) q * t + info->first_patch + k] / t;
}

void
mh_attention_patch_grid (const MhModel *m, const MhAttentionInfo *info, int layer, int head,
                         int sample, int patch, float *out)
{
  g_return_if_fail (patch >= 0 && patch < info->grid_h * info->grid_w);
  mh_attention_row_grid (info, mh_attention_map (m, layer, head, sample), info->first_patch + patch, out);
}

void
mh_attention_fuse_of (const float *const *maps, int heads, gsize tt, MhHeadFusion fusion, float *out)
{
  memcpy (out, maps[0], sizeof (float) * tt);
  for (int h = 1; h < heads; h++)
    {
      const float *a = maps[h];
      for (gsize i = 0; i < tt; i++)
        out[i] = fusion == MH_FUSE_MEAN ? out[i] + a[i]
               : fusion == MH_FUSE_MAX ? MAX (out[i], a[i]) : MIN (out[i], a[i]);
    }
  if (fusion == MH_FUSE_MEAN)
    for (gsize i = 0; i < tt; i++)
      out[i] /= heads;
}

void
mh_attention_fuse (const MhModel *m, int layer, int sample, MhHeadFusion fusion, float *out)
{
  int heads = mh_attention_heads (m, layer);
  gsize tt = (gsize) mh_attention_layer_tokens (mh_attention_layer (m, layer));
  g_autofree const float **maps = g_new (const float *, heads);

  for (int h = 0; h < heads; h++)
    maps[h] = mh_attention_map (m, layer, h, sample);
  mh_attention_fuse_of (maps, heads, tt * tt, fusion, out);
}

void
mh_attention_rollout_of (const float *fused, int n_layers, int t, float *out)
{
  gsize tt = (gsize) t * t;
  g_autofree float *a = g_new (float, tt);
  g_autofree float *product = g_new (float, tt);

  memset (out, 0, sizeof (float) * tt);
  for (int i = 0; i < t; i++)
    out[(gsize) i * t + i] = 1.0f;
  for (int l = 0; l < n_layers; l++)
    {
      const float *f = fused + l * tt;
      for (int r = 0; r < t; r++)
        {
          float *ar = a + (gsize) r * t, sum = 0;
          for (int c = 0; c < t; c++)
            sum += ar[c] = 0.5f * f[(gsize) r * t + c] + (r == c ? 0.5f : 0.0f);
          for (int c = 0; c < t; c++)
            ar[c] /= sum;
        }
      mh_gemm (FALSE, FALSE, t, t, t, 1.0f, a, t, out, t, 0.0f, product, t);
      memcpy (out, product, sizeof (float) * tt);
    }
}

void
mh_attention_rollout (const MhModel *m, int sample, int depth, MhHeadFusion fusion, float *out)
{
  MhAttentionInfo info;
  g_autofree float *fused = NULL;
  gsize tt;

  if (!mh_attention_info (m, &info, "model", NULL))
    g_return_if_reached ();
  depth = depth <= 0 ? info.n_layers : MIN (depth, info.n_layers);
  tt = (gsize) info.tokens * info.tokens;
  fused = g_new (float, depth * tt);
  for (int l = 0; l < depth; l++)
    mh_attention_fuse (m, l, sample, fusion, fused + l * tt);
  mh_attention_rollout_of (fused, depth, info.tokens, out);
}
