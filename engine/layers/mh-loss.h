/* mh-loss.h — losses on a head's raw outputs (logits), PyTorch's semantics.
 *
 * Each returns the mean loss of the batch and writes grad = scale · ∂loss/∂z
 * (overwriting), so a head's weight and nothing else enters the scale.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MH_LOSS_CROSS_ENTROPY,  /* softmax + cross-entropy on class indices, mean over samples */
  MH_LOSS_BCE,            /* sigmoid + binary cross-entropy on 0/1 targets, mean over all */
  MH_LOSS_MSE,            /* mean squared error, mean over all */
  MH_LOSS_SMOOTH_L1,      /* Huber with β = 1, mean over all */
} MhLossKind;

/* "cross-entropy", "bce", "mse", "smooth-l1" → kind; FALSE when unknown. */
gboolean    mh_loss_from_name (const char *name, MhLossKind *kind);
const char *mh_loss_name (MhLossKind kind);

/* z: n×k logits, labels: n class indices. */
double mh_loss_cross_entropy (const float *z, const int *labels, int n, int k,
                              float scale, float *grad);
/* z, t: n×k */
double mh_loss_bce (const float *z, const float *t, int n, int k, float scale, float *grad);
double mh_loss_mse (const float *z, const float *t, int n, int k, float scale, float *grad);
double mh_loss_smooth_l1 (const float *z, const float *t, int n, int k, float scale, float *grad);

/* Samples whose largest logit is at their label. */
int mh_count_correct (const float *z, const int *labels, int n, int k);

G_END_DECLS
