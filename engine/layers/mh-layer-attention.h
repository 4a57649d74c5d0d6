/* mh-layer-attention.h — what the attention layers (attention,
 * transformer_block) show of themselves: their attention probabilities.
 */
#pragma once

#include "mh-layer.h"

G_BEGIN_DECLS

/* Whether `l` is a multi-head self-attention layer. */
gboolean     mh_layer_is_attention (const MhLayer *l);
int          mh_attention_layer_heads (const MhLayer *l);
int          mh_attention_layer_tokens (const MhLayer *l);
/* The T × T attention probabilities of head `head` for sample `sample` of
 * the last forward pass (row = query token, column = key token; rows sum
 * to 1).  They live in the layer's scratch until the next forward pass. */
const float *mh_attention_layer_map (const MhLayer *l, int sample, int head);

G_END_DECLS
