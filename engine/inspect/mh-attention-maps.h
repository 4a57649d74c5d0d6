/* mh-attention-maps.h — what a vision transformer's attention heads look at.
 *
 * After a forward pass the attention layers of a model's backbone
 * (attention, transformer_block) hold the probabilities of every head for
 * every sample of the batch — backward needs them anyway, so keeping them
 * costs nothing.  These functions read them for one sample, on request:
 * a head's T × T map, the class token's row or any patch's row as a patch
 * grid (7 × 7 for patch 4 on 28 × 28), and attention rollout.  They read the
 * model's memory: call them on the thread that owns the model, between
 * batches, and copy what another thread needs.
 */
#pragma once

#include <glib.h>
#include "mh-model.h"

G_BEGIN_DECLS

typedef enum {
  MH_FUSE_MEAN,   /* the heads' mean (Abnar & Zuidema) */
  MH_FUSE_MAX,
  MH_FUSE_MIN,
} MhHeadFusion;

/* How a model's tokens map onto the image. */
typedef struct {
  int n_layers;      /* attention layers in the backbone */
  int tokens;        /* T, class token included */
  int grid_h, grid_w;  /* the patch grid; 0 × 0 when there is no patch_embed */
  int first_patch;   /* token of the top-left patch: 1 after a class token, else 0 */
  gboolean has_class_token;
} MhAttentionInfo;

/* Fills `info`; FALSE (with an error naming `where`) when the backbone has
 * no attention layer. */
gboolean     mh_attention_info (const MhModel *m, MhAttentionInfo *info, const char *where,
                                GError **error);
/* The index-th attention layer of the backbone (0-based), or NULL. */
const MhLayer *mh_attention_layer (const MhModel *m, int index);
int          mh_attention_heads (const MhModel *m, int layer);

/* The T × T probabilities of (layer, head, sample) from the last forward
 * pass (sample < the n it ran on): row = query token, column = key token.
 * Points into the model. */
const float *mh_attention_map (const MhModel *m, int layer, int head, int sample);

/* Every map of `sample` (layer by layer, head by head, T × T each) copied
 * into out, for another thread (the window's views); returns the floats
 * written.  out NULL: only counts them. */
gsize        mh_attention_copy_sample (const MhModel *m, int sample, float *out);

/* Row `query` (a token) of a T × T matrix as the patch grid: out gets
 * grid_h · grid_w values, the key tokens that are patches (the class
 * token's column is left out). */
void         mh_attention_row_grid (const MhAttentionInfo *info, const float *map, int query,
                                    float *out);
/* The class token's attention of (layer, head, sample) as the patch grid.
 * Without a class token: the mean over all query tokens. */
void         mh_attention_class_grid (const MhModel *m, const MhAttentionInfo *info, int layer,
                                      int head, int sample, float *out);
/* The attention of patch `patch` (row-major in the grid) of (layer, head,
 * sample) as the patch grid. */
void         mh_attention_patch_grid (const MhModel *m, const MhAttentionInfo *info, int layer,
                                      int head, int sample, int patch, float *out);

/* Attention rollout of `sample` through the first `depth` attention layers
 * (all when depth ≤ 0): at each layer the heads fused, Ã = ½A + ½I with
 * rows renormalised, R = Ã_depth ⋯ Ã_1.  out: T × T. */
void         mh_attention_rollout (const MhModel *m, int sample, int depth, MhHeadFusion fusion,
                                   float *out);
/* The same from fused maps (n_layers × T × T, first layer first). */
void         mh_attention_rollout_of (const float *fused, int n_layers, int t, float *out);
/* One layer's heads fused into a T × T matrix (no identity added). */
void         mh_attention_fuse (const MhModel *m, int layer, int sample, MhHeadFusion fusion,
                                float *out);
/* The same from `heads` maps of tt = T × T values each (copies, say). */
void         mh_attention_fuse_of (const float *const *maps, int heads, gsize tt, MhHeadFusion fusion,
                                   float *out);

G_END_DECLS
