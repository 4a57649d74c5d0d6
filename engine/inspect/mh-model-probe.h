/* mh-model-probe.h — what the window's inspection views need from a run, as
 * copies the main thread may keep (docs/ARCHITECTURE.md, "Data flow"): every head's answer for
 * a few inputs (probabilities, not logits), the attention maps of one of
 * them, and every classification head's answers over a whole split with
 * its confusion matrix.
 *
 * The functions taking an MhTraining read the model: call them on the thread
 * that owns it (the trainer's worker, through mh_trainer_call()).  The
 * results are plain data, freed with their _free().
 */
#pragma once

#include <glib.h>
#include "mh-attention-maps.h"
#include "mh-attribution.h"
#include "mh-training.h"

G_BEGIN_DECLS

/* A head as the views show it. */
typedef struct {
  char        *name;
  MhFieldKind  kind;
  int          field;       /* its field's index in the data set */
  int          k;           /* outputs */
  gboolean     box;         /* NUMBERS that are a box x0, y0, x1, y1 in [0, 1] */
  float        threshold;   /* LABELS: the probability a label needs */
  char       **names;       /* the field's class or label names (NULL-terminated); NULL for numbers */
} MhProbeHead;

typedef struct {
  int            n_heads;
  MhProbeHead *heads;
  MhShape        input;
  int            step;        /* the run's steps when this was computed */
  int            n;           /* inputs */
  float        **outputs;     /* per head: n × k — softmax (CLASS), sigmoid (LABELS), values */
  /* the attention maps of input `attention_sample` (has_attention) */
  gboolean       has_attention;
  int            attention_sample;
  MhAttentionInfo info;
  int           *layer_heads; /* info.n_layers: heads per layer */
  float         *maps;        /* layer by layer, head by head, T × T each */
} MhProbeResult;

/* The heads of a run's model (n_heads entries; free with mh_probe_heads_free). */
MhProbeHead   *mh_probe_heads_new  (const MhTraining *run, int *n_heads);
void             mh_probe_heads_free (MhProbeHead *heads, int n_heads);

/* Every head's answer for inputs x (n × the model's input size, pixels/255);
 * the attention maps of input `attention_sample` too when ≥ 0 and the
 * backbone has attention layers.  The model's activations are overwritten:
 * call it between steps. */
MhProbeResult *mh_probe_predict     (MhTraining *run, const float *x, int n, int attention_sample);
void             mh_probe_result_free (MhProbeResult *r);

/* What each head looks at in one input (mh-attribution.h), with the heads
 * to name them and the input itself. */
typedef struct {
  int            n_heads;
  MhProbeHead   *heads;
  MhShape        input;
  int            step;
  float         *x;           /* the input explained */
  MhAttribution *attribution; /* head by head (a regression head: one map per output) */
} MhProbeAttribution;

/* For input x (the model's input size, pixels/255) by `method` (AUTO: the
 * backbone's own), on a model for inspection sharing the run's parameters
 * (built for the request: the run's model is not touched).  NULL and an
 * error when the method does not fit the backbone. */
MhProbeAttribution *mh_probe_attribute (MhTraining *run, const float *x, MhAttributionMethod method,
                                        GError **error);
MhProbeAttribution *mh_probe_attribution_copy (const MhProbeAttribution *a);
void                mh_probe_attribution_free (MhProbeAttribution *a);

/* Every classification head's answers on a split. */
typedef struct {
  int            n_heads;
  MhProbeHead *heads;
  int            n;           /* samples */
  int            step;
  int          **truth;       /* per head: n classes (CLASS heads; NULL for others) */
  int          **answers;     /* per head: n answers (CLASS heads; NULL for others) */
  int          **confusion;   /* per head: k × k, rows the truth (CLASS heads; NULL for others) */
  MhHeadMetrics *metrics;     /* per head */
} MhProbeAnswers;

MhProbeAnswers *mh_probe_answers      (MhTraining *run, const MhDataset *d);
void              mh_probe_answers_free (MhProbeAnswers *a);

/* The k × k confusion matrix (rows the truth) of n answers. */
void  mh_confusion_count (const int *truth, const int *answers, int n, int k, int *out);
/* Up to `max` samples whose truth is t and answer a, in order; returns how many. */
int   mh_confusion_samples (const int *truth, const int *answers, int n, int t, int a,
                            int *out, int max);
/* The entropy (bits) of a probability row of n values. */
double mh_entropy_bits (const float *p, int n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhProbeResult, mh_probe_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhProbeAnswers, mh_probe_answers_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhProbeAttribution, mh_probe_attribution_free)

G_END_DECLS
