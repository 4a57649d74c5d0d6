/* mh-attribution.h — what each prediction head looks at in one input.
 *
 * For every head, a map over the input of how much each place drove the
 * head's answer, by one of these methods (all from the gradient of one
 * output alone, backward through the head and the backbone):
 *
 *   grad-cam      Grad-CAM (Selvaraju et al., 2017) on a convolution's
 *                 output A (positions × channels): α_c = mean_p ∂y/∂A[p,c],
 *                 map_p = ReLU(Σ_c α_c A[p,c]).  By default on the last
 *                 convolution the head reads, after its activation when one
 *                 follows it (as in the paper, where ReLU runs in place).
 *   grad-rollout  for transformers (Chefer et al., 2021, "Generic attention-
 *                 model explainability"): R = I, then through the attention
 *                 layers the head reads, first to last,
 *                 Ā = mean_heads ReLU(∂y/∂P ⊙ P), R ← R + Ā·R; the map is the
 *                 class token's row of R − I over the patches (the mean of
 *                 the rows when the head does not read the class token).
 *   grad-input    gradient × input, the general fallback and the default
 *                 for sequences: map_p = ReLU(Σ_c x[p,c] · ∂y/∂x[p,c]) (a
 *                 chosen layer's output instead of x; for text the
 *                 embedding's, token ids having no gradient, and 0 on
 *                 padding).  On signals (T × C) the map keeps the channels:
 *                 C rows × T columns.
 *
 * y is the explained output: a classification head's logit of its answer
 * (or of a chosen class), a multi-label head's most probable label's logit,
 * each number of a regression head (one map per output: each box
 * coordinate).  Positions are the rows × columns of an image-like layer
 * (H × W × C), or 1 × T for a sequence (T × C: the characters, the time
 * steps); the grid spans the input evenly (cell (r, c) covers rows
 * r·H/rows … (r+1)·H/rows of the image).
 *
 * Normalisation: ReLU'd, then divided by its maximum, so a map lies in
 * [0, 1] with 1 at its peak; a map with nothing positive is all 0 (peak 0).
 *
 * An MhAttributor holds its own model for one sample, built for
 * inspection (mh-model.h), whose parameters are its own (load weights into
 * mh_attributor_model()) or another model's of the same project (the
 * trainer's: maps follow training with no copy).  Call it on the thread
 * that owns those parameters (the trainer's worker, between steps); the
 * results are plain data for any thread.
 */
#pragma once

#include <glib.h>
#include "mh-model.h"

G_BEGIN_DECLS

typedef enum {
  MH_ATTRIBUTION_AUTO,          /* grad-rollout with attention layers, else grad-cam with a
                                 * convolution over an image, else grad-input */
  MH_ATTRIBUTION_GRAD_CAM,
  MH_ATTRIBUTION_GRAD_ROLLOUT,
  MH_ATTRIBUTION_GRAD_INPUT,
} MhAttributionMethod;

/* One head's map for one of its outputs. */
typedef struct {
  int                 head;     /* the head's index in the model */
  int                 output;   /* the output explained: class, label or number */
  float               value;    /* its value: probability (softmax; sigmoid for labels) or number */
  MhAttributionMethod method;   /* the method used (never AUTO) */
  char               *layer;    /* what it read: a layer's name, "input", or the attention
                                 * layers' ("block1–block2") */
  int                 rows, cols;
  float              *map;      /* rows × cols, row-major, normalised (above) */
  float               peak;     /* the map's maximum before it was scaled (≥ 0) */
} MhAttributionMap;

typedef struct {
  int               n_maps;
  MhAttributionMap *maps;       /* head by head; a regression head one per output */
} MhAttribution;

typedef struct _MhAttributor MhAttributor;

/* An attributor for models of `project` on data with `schema`'s fields.
 * base: a model of the same project whose parameters it uses (NULL: its
 * own, zero until loaded).  layer: the backbone layer grad-cam (or
 * grad-input) reads, by name, for the heads that read past it (NULL: each
 * head's default).  Fails, naming `where`, when the model does not build,
 * the layer does not exist or has no positions, or the method needs what
 * the backbone lacks (grad-cam: a convolution; grad-rollout: attention). */
MhAttributor *mh_attributor_new   (const MhProject *project, const MhDataset *schema, MhModel *base,
                                   MhAttributionMethod method, const char *layer, const char *where,
                                   GError **error);
void          mh_attributor_free  (MhAttributor *a);
MhModel      *mh_attributor_model (MhAttributor *a);
/* The method the heads get (AUTO resolved); a head that reads no layer the
 * method needs gets grad-input. */
MhAttributionMethod mh_attributor_method (const MhAttributor *a);

/* Every head's map for input x (one sample: the model's input size,
 * pixels/255).  outputs: per head the output to explain, -1 for the
 * default (the answer; every output of a regression head); NULL: all -1. */
MhAttribution *mh_attributor_explain (MhAttributor *a, const float *x, const int *outputs);
MhAttribution *mh_attribution_copy   (const MhAttribution *r);
void           mh_attribution_free   (MhAttribution *r);

/* "grad-cam", "grad-rollout", "grad-input", "auto"; and back (FALSE: unknown). */
const char *mh_attribution_method_name (MhAttributionMethod method);
gboolean    mh_attribution_method_from_name (const char *name, MhAttributionMethod *out);

/* The peak's cell (row-major; the first of equal ones), and whether its
 * centre ((c + ½)/cols, (r + ½)/rows) lies inside box x0, y0, x1, y1 in
 * [0, 1] (the pointing game; a map with nothing positive misses). */
int      mh_attribution_peak_cell (const MhAttributionMap *map);
gboolean mh_attribution_points_into (const MhAttributionMap *map, const float box[4]);

/* The parts, for tests and for other front ends.  Raw maps, not ReLU'd. */
/* Grad-CAM: out[p] = Σ_c (mean_q grad[q,c]) · act[p,c]; act, grad: positions × channels. */
void  mh_grad_cam (const float *act, const float *grad, int positions, int channels, float *out);
/* out[p] = Σ_c x[p,c] · grad[p,c]. */
void  mh_grad_times_input (const float *x, const float *grad, int positions, int channels, float *out);
/* One attention layer's step: r (T × T) += Ā·r, Ā = mean over `heads` of
 * ReLU(dp ⊙ p) (each heads × T × T); tmp: 2 · T × T floats. */
void  mh_relevance_step (const float *p, const float *dp, int heads, int t, float *r, float *tmp);
/* ReLU, then scaled to max 1 (all 0 when nothing is positive); returns the
 * maximum before scaling. */
float mh_attribution_normalise (float *map, gsize n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhAttributor, mh_attributor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhAttribution, mh_attribution_free)

G_END_DECLS
