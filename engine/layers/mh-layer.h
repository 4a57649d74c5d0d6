/* mh-layer.h — a layer: configuration, shape inference, forward, backward.
 *
 * Each layer family lives in its own file (mh-layer-dense.c, mh-layer-conv.c,
 * …) and exports one MhLayerClass.  The model owns the memory: it binds each
 * layer's input x, output y, their gradients dx/dy, its parameters and its
 * scratch space to slabs allocated once per (model, batch size), so forward
 * and backward never allocate.
 *
 * Conventions: tensors are batch-major, per-sample shapes channels-last.
 * backward() writes dx (adding to it when `accumulate`, for taps read by more
 * than one consumer) only when l->dx is not NULL, and overwrites the gradients
 * of its parameters unless the layer is frozen.
 *
 * Sequences (T × D, tokens as rows) may carry a padding mask: l->mask, n × T
 * bytes, 1 where the token is real and 0 where it is padding (NULL: every
 * token is real).  Layers that read it (attention, pooling over time, the
 * recurrent layers, conv1d) leave padding out; a layer that changes the
 * number of tokens says how the mask follows (mask_out, into l->out_mask).
 */
#pragma once

#include <glib.h>
#include "mh-tensor-shape.h"

G_BEGIN_DECLS

typedef struct _MhLayer MhLayer;
typedef struct _MhLayerClass MhLayerClass;

/* What a project says of a layer.  Keys a layer type does not use are 0. */
typedef struct {
  char    *type;      /* "dense", "conv2d", … */
  char    *name;      /* unique within its block; NULL = automatic */
  int      units;     /* dense: outputs (0 = as many as the head's target has) */
  int      filters;   /* conv2d: output channels */
  int      kernel;    /* conv2d: kernel size */
  int      stride;    /* conv2d: stride (default 1) */
  int      padding;   /* conv2d: zero padding */
  int      size;      /* maxpool: window and stride */
  double   rate;      /* dropout: probability of dropping */
  double   eps;       /* layernorm: epsilon (default 1e-5) */
  int      patch;     /* patch_embed: patch size (kernel = stride) */
  int      dim;       /* patch_embed, embedding: token dimension */
  int      heads;     /* attention, transformer_block: attention heads */
  int      hidden;    /* transformer_block: units of the MLP's hidden layer;
                       * gru, lstm: the state's size */
  char    *mode;      /* select_token: "class" or "mean"; seqpool: "max" or "mean";
                       * gru, lstm: "last" (the final state) or "all" (every state);
                       * the first of the class's `modes` by default */
  int      vocab;     /* embedding: tokens, padding (0) and unknown (1) included;
                       * 0: as many as the data set's vocabulary */
  int      dilation;  /* conv1d: spacing of the kernel's taps (default 1) */
  int      groups;    /* conv1d: channel groups, each convolved on its own (default 1) */
  int      num_layers;    /* gru, lstm: stacked layers (default 1) */
  gboolean bidirectional; /* gru, lstm: a second pass from the end, states concatenated */
  gboolean frozen;
} MhLayerSpec;

#define MH_LAYER_MAX_PARAMS 32   /* a transformer block has 12; a gru or lstm 4 per layer
                                  * and direction, up to MH_RNN_MAX_LAYERS (4) layers */

typedef struct {
  const char *name;   /* "weight", "bias", "qkv.weight" (a static string) */
  MhShape     shape;  /* engine layout; see each layer for the file layout */
  gsize       size;
  float      *data;
  float      *grad;
} MhParam;

struct _MhLayerClass {
  const char *type;
  const char *keys;   /* the spec keys it takes, space-separated */
  gboolean    in_place;  /* may write y over x and dx over dy: needs neither x nor
                          * the previous layer's output once it has run */
  const char *const *modes;  /* the values its "mode" takes, the default first; NULL: none */
  /* l->in is set; set l->out, the params' shapes and scratch needs, or fail. */
  gboolean (*infer)    (MhLayer *l, GError **error);
  void     (*init)     (MhLayer *l, GRand *rng);
  void     (*forward)  (MhLayer *l, int n, gboolean train, GRand *rng);
  void     (*backward) (MhLayer *l, int n, gboolean accumulate);
  /* For layers whose output is a sequence of another length (class_token,
   * conv1d): l->out_mask (n × out tokens) from l->mask, before forward. */
  void     (*mask_out) (MhLayer *l, int n);
};

struct _MhLayer {
  const MhLayerClass *klass;
  MhLayerSpec         spec;      /* a copy; spec.name is the resolved name */
  MhShape             in, out;
  MhParam             params[MH_LAYER_MAX_PARAMS];
  int                 n_params;
  gsize               scratch_per_sample;   /* floats */
  gsize               iscratch_per_sample;  /* ints */
  gboolean            frozen;    /* no parameter gradients */
  gboolean            in_place;  /* bound with y = x, dx = dy (by the model) */
  /* bound by the model */
  const float        *x;
  float              *y;
  float              *dx;        /* NULL: nobody needs the input's gradient */
  float              *dprobs;    /* attention layers: where backward keeps the gradient on the
                                  * attention probabilities, n × heads × T × T; NULL: nowhere
                                  * (set for attribution, mh-attribution.c) */
  float              *dy;       /* the output's gradient */
  float              *scratch;
  int                *iscratch;
  const guint8       *mask;      /* n × input tokens; NULL: no padding */
  guint8             *out_mask;  /* n × output tokens, for mask_out (NULL: none needed) */
};

/* The class for a type name, or NULL. */
const MhLayerClass *mh_layer_class_lookup (const char *type);
/* All types, space-separated, for messages. */
const char *mh_layer_types (void);

MhLayer *mh_layer_new (const MhLayerSpec *spec, const char *resolved_name);
void     mh_layer_free (MhLayer *l);

void mh_layer_spec_clear (MhLayerSpec *spec);
void mh_layer_spec_copy (const MhLayerSpec *src, MhLayerSpec *dst);
/* The spec a type starts from, with its documented defaults. */
void mh_layer_spec_init (MhLayerSpec *spec, const char *type);

/* After infer(): every dimension of the output within 1 … MH_MAX_DIM, a
 * sample's output and each parameter tensor at most MH_MAX_SAMPLE_SIZE
 * values, each parameter's size its shape's product (all counted in 64
 * bits, mh-limits.h).  The model calls it for every layer, so a new layer
 * needs nothing more. */
gboolean mh_layer_check_sizes (const MhLayer *l, GError **error);

/* Helpers shared by the layer files. */
/* Whether spec.mode is one of the class's modes; an error naming them if not. */
gboolean mh_layer_check_mode (MhLayer *l, GError **error);
/* spec.mode, or the class's default. */
const char *mh_layer_mode (const MhLayer *l);
void mh_init_uniform (float *p, gsize n, float bound, GRand *rng);
gboolean mh_layer_expect_rank (MhLayer *l, int rank, const char *hint, GError **error);
/* For composite layers (patch embedding, attention, transformer block): a
 * layer of `klass` over vectors of `in` → `out` floats, to run on the rows of
 * the owner's buffers (forward and backward with n = samples × rows).  It
 * uses the owner's params[first_param] and the next one (first_param < 0:
 * none) and its frozen flag; the caller binds x, y, dx, dy and scratch. */
MhLayer mh_layer_view (const MhLayerClass *klass, const MhLayer *owner, int first_param,
                       int in, int out);

extern const MhLayerClass mh_dense_class;
extern const MhLayerClass mh_conv2d_class;
extern const MhLayerClass mh_maxpool_class;
extern const MhLayerClass mh_relu_class;
extern const MhLayerClass mh_gelu_class;
extern const MhLayerClass mh_dropout_class;
extern const MhLayerClass mh_flatten_class;
extern const MhLayerClass mh_layernorm_class;
extern const MhLayerClass mh_patch_embed_class;
extern const MhLayerClass mh_class_token_class;
extern const MhLayerClass mh_position_embedding_class;
extern const MhLayerClass mh_select_token_class;
extern const MhLayerClass mh_attention_class;
extern const MhLayerClass mh_transformer_block_class;
extern const MhLayerClass mh_embedding_class;
extern const MhLayerClass mh_conv1d_class;
extern const MhLayerClass mh_seqpool_class;
extern const MhLayerClass mh_gru_class;
extern const MhLayerClass mh_lstm_class;

/* Whether token t of sample i is real (mask NULL: every token is). */
static inline gboolean
mh_mask_on (const guint8 *mask, int t_len, int i, int t)
{
  return mask == NULL || mask[(gsize) i * t_len + t] != 0;
}

G_END_DECLS
