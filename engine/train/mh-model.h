/* mh-model.h — a multi-head model: one backbone, any number of heads.
 *
 * Built from a project and a dataset's schema (its input shape and fields),
 * for batches of at most max_batch samples.  Parameters, gradients,
 * activations and scratch live in slabs allocated here once; forward,
 * loss and backward never allocate.
 *
 * A head reads the backbone's output or the output of a named backbone
 * layer (a tap).  Its loss is scaled by its weight; backward sums every
 * head's gradient into the shared backbone.
 */
#pragma once

#include <glib.h>
#include "mh-augment.h"
#include "mh-dataset.h"
#include "mh-layer.h"
#include "mh-loss.h"
#include "mh-optim.h"
#include "mh-project.h"

G_BEGIN_DECLS

typedef struct {
  char        *name;
  int          field;      /* index of its target field in the dataset */
  MhFieldKind  field_kind;
  MhLossKind   loss;
  float        weight;
  float        threshold;  /* multilabel: probability for a label to be predicted */
  int          attach;     /* backbone layer whose output it reads; -1: the input */
  GPtrArray   *layers;     /* MhLayer */
  int          out_dim;
  /* the current batch */
  int         *classes;    /* CLASS targets: max_batch */
  float       *values;     /* other targets: max_batch × out_dim */
  float       *logits;     /* the last layer's output */
  float       *dlogits;    /* the last layer's output gradient */
  float       *tap_grad;   /* its loss's gradient (unweighted) on the tap it reads:
                            * max_batch × tap size; NULL when nothing upstream learns */
  gsize        tap_size;   /* floats per sample of that tap */
  double       loss_value; /* mean loss of the last batch (unweighted) */
  int          correct;    /* CLASS: right answers in the last batch */
} MhHead;

typedef struct {
  char    *name;           /* "backbone.conv1.weight", "heads.category.fc.bias" */
  MhLayer *layer;
  MhParam *param;
  gsize    offset;         /* into the parameter slab */
} MhParamRef;

/* What a model is built for. */
typedef enum {
  MH_MODEL_FOR_TRAINING = 0,
  /* Attribution (mh-attribution.h): no parameter gradients, no layer in
   * place (every layer's output and output gradient stay readable after
   * backward, and backward may run again on the same forward pass), and
   * every layer computes its input's gradient, down to the input (m->dx). */
  MH_MODEL_FOR_INSPECTION = 1 << 0,
} MhModelFlags;

typedef struct {
  MhShape    input;
  MhInputKind input_kind;  /* the data set's: pixels, tokens or signals */
  MhVocab   *vocab;        /* tokens: the data set's vocabulary; NULL for other inputs */
  int        max_batch;
  gboolean   inspection;   /* built MH_MODEL_FOR_INSPECTION */
  GPtrArray *backbone;     /* MhLayer */
  MhHead    *heads;
  int        n_heads;
  gsize      n_params;
  float     *params;       /* slab (another model's when sharing) */
  gboolean   owns_params;
  float     *grads;        /* slab, same layout */
  GArray    *param_refs;   /* MhParamRef, in slab order */
  MhRange   *trainable;    /* slab ranges that are not frozen */
  int        n_trainable;
  float     *x;            /* the input batch: max_batch × input size */
  float     *dx;           /* the gradient on x: an inspection model's (mh-attribution.h), or
                            * kept by mh_model_keep_input_grad() (mh-saliency.h); else NULL */
  MhAugmentTarget *augment_targets;   /* each head's target buffers, for mh_augment_batch() */
  /* slabs behind the layers' pointers */
  float     *acts, *dacts, *scratch;
  int       *iscratch;
  guint8    *mask;         /* tokens: max_batch × T, 1 where x holds a token, 0 padding
                            * (set by forward); NULL for other inputs */
  guint8    *masks;        /* slab of the layers' out_mask */
  gboolean  *written;      /* per backbone layer: its output gradient holds a value */
  /* what it needs (checked against the memory budget before allocating,
   * mh-limits.h): parameters and what goes with them for training, and the
   * slabs that scale with the batch (one copy) */
  guint64    bytes_params, bytes_batch;
} MhModel;

MhModel *mh_model_new (const MhProject *project, const MhDataset *schema, int max_batch,
                       const char *where, GError **error);
MhModel *mh_model_new_full (const MhProject *project, const MhDataset *schema, int max_batch,
                            MhModelFlags flags, const char *where, GError **error);
void     mh_model_free (MhModel *m);

/* Make `m` use the parameters of `base`, a model of the same project
 * (e.g. built for another batch size); gradients stay its own. */
void     mh_model_share_params (MhModel *m, MhModel *base);

/* Fresh parameters, PyTorch's default initialisation, from the seed. */
void     mh_model_init (MhModel *m, guint32 seed);

/* Input and targets of samples idx[0..n) of the dataset. */
void     mh_model_set_batch (MhModel *m, const MhDataset *d, const int *idx, int n);

/* Forward through the backbone and every head.  rng: dropout (train only). */
void     mh_model_forward (MhModel *m, int n, gboolean train, GRand *rng);
/* Each head's loss and the gradient of its (unweighted) loss on its
 * outputs; returns Σ weight·loss.  Heads' loss_value and correct are set.
 * The weights enter in backward. */
double   mh_model_loss (MhModel *m, int n);
/* The same for a part of a larger batch: gradients are scaled by `share`
 * (this part's fraction of the batch) so the parts' gradients add up. */
double   mh_model_loss_part (MhModel *m, int n, float share);
/* Gradients of every unfrozen parameter of Σ weight·loss. */
void     mh_model_backward (MhModel *m, int n);

/* The same in two parts, for balancing methods that look at each head's
 * gradient on the shared representation (its tap) before they are summed:
 * backward_heads() fills each head's parameter gradients (scaled by its
 * weight) and its unweighted tap_grad; backward_shared() sets each tap's
 * gradient to Σ coef[h]·tap_grad[h] (coef NULL: the heads' weights) and
 * runs the backbone's backward. */
void     mh_model_backward_heads (MhModel *m, int n);
void     mh_model_backward_shared (MhModel *m, int n, const float *coef);
/* Backward from head h's output gradient alone (the caller fills its
 * dlogits, n × out_dim; the head's weight does not enter) through its
 * layers and the backbone below its tap.  m->written[i] says whether it set
 * backbone layer i's output gradient.  For attribution: on a model built
 * MH_MODEL_FOR_INSPECTION it leaves every parameter gradient alone and ends
 * in m->dx. */
void     mh_model_backward_head (MhModel *m, int h, int n);
/* gram[h·H + j] += tap_grad[h] · tap_grad[j] over the batch, for heads on
 * the same tap (others are left alone). */
void     mh_model_head_dots (const MhModel *m, int n, double *gram);

/* The parameter called `name`, or NULL. */
const MhParamRef *mh_model_find_param (const MhModel *m, const char *name);
/* The backbone's output shape, and the number of parameters per part. */
MhShape  mh_model_features (const MhModel *m);

G_END_DECLS
