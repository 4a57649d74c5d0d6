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

typedef struct {
  MhLossKind  kind;
  const char *id;      /* the project file's name: "smooth-l1" */
  const char *title;   /* "Smooth L1 (Huber)" */
} MhLossInfo;

/* Every loss, in MhLossKind's order; the last entry's id is NULL.  Adding
 * a loss is a line here (and its function below, and its head kinds in
 * mh-kinds.c). */
extern const MhLossInfo mh_loss_table[];

/* "cross-entropy", "bce", "mse", "smooth-l1" → kind; FALSE when unknown. */
gboolean    mh_loss_from_name (const char *name, MhLossKind *kind);
const char *mh_loss_name (MhLossKind kind);
/* The ids, NULL-terminated (free with g_strfreev()); as "a, b, c" (g_free()). */
char      **mh_loss_ids (void);
char       *mh_loss_id_list (void);

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
