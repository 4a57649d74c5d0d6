/* mh-balance.h — how the heads' losses are weighted, and how much their
 * gradients on the shared representation agree.
 *
 * Methods: fixed (the project's weights), equal (1/n), uncertainty (Kendall
 * et al. 2018: learned log-variances s, weight e^−s, objective
 * Σ e^−s·L + s), gradnorm (Chen et al. 2018, on the shared representation:
 * weights learned so that each head's weighted gradient norm follows its
 * relative training rate^α, renormalised to sum to the number of heads),
 * pcgrad (Yu et al. 2020: a head's gradient on the shared representation
 * that conflicts with another's, negative dot product, is projected onto
 * the other's normal plane).  The method can change between steps; every
 * method's state is kept.
 *
 * Per step the balancer sees the Gram matrix of the heads' (unweighted)
 * gradients on their tap, G[h·n + j] = g_h · g_j (NaN where two heads read
 * different taps), and their losses.
 */
#pragma once

#include <glib.h>
#include "mh-project.h"

G_BEGIN_DECLS

typedef enum {
  MH_BALANCE_FIXED,
  MH_BALANCE_EQUAL,
  MH_BALANCE_UNCERTAINTY,
  MH_BALANCE_GRADNORM,
  MH_BALANCE_PCGRAD,
} MhBalanceMethod;   /* in the order of mh_balancing_methods[] (mh-kinds.h): ids, titles, what they do */

typedef struct {
  MhBalanceMethod method;
  int      n;
  double   alpha, lr;
  float   *fixed;        /* the project's (or the user's live) weights */
  double  *log_var;      /* uncertainty: s per head */
  double  *lv_m, *lv_v;  /* uncertainty: Adam moments of s */
  int      lv_t;
  double  *gn_weight;    /* gradnorm: learned weights, Σ = n */
  double  *first_loss;   /* gradnorm: each head's loss at its first step */
  GRand   *rng;          /* pcgrad: the order of projections */
  int      pcgrad_steps; /* orders drawn from rng (to replay it: checkpoints) */
  /* the last step */
  float   *weight;       /* effective weights (n) */
  float   *coef;         /* coefficients of the heads' tap gradients (n) */
  double  *grad_norm;    /* ‖g_h‖ (n), NaN when the head has none */
  double  *cosine;       /* n × n, NaN where not comparable */
  /* since the last mh_balance_take_epoch() */
  double  *cos_sum;      /* n × n */
  int     *cos_count;
  int     *negative;     /* steps with a negative cosine, n × n */
  double  *norm_sum;
  int     *norm_count;
  /* a step's working space, allocated once (nothing on the stack in
   * proportion to the number of heads) */
  double  *work;         /* n × n + n */
  int     *order;        /* n */
} MhBalance;

MhBalance *mh_balance_new (const MhProject *p, guint32 seed);
void       mh_balance_free (MhBalance *b);

gboolean   mh_balance_method_from_name (const char *name, MhBalanceMethod *method);
const char *mh_balance_method_name (MhBalanceMethod method);
void       mh_balance_set_method (MhBalance *b, MhBalanceMethod method);
void       mh_balance_set_fixed_weight (MhBalance *b, int head, float weight);

/* The weights the heads' losses get this step (into b->weight). */
const float *mh_balance_weights (MhBalance *b);
/* After the heads' backward: conflict figures, the tap coefficients
 * (b->coef) and the learned weights' update.  losses: unweighted, per head. */
void       mh_balance_after_heads (MhBalance *b, const double *gram, const double *losses);

/* The generator as after `steps` PCGrad steps from the start (resuming). */
void       mh_balance_replay_pcgrad (MhBalance *b, guint32 seed, int steps);

/* Per-epoch means: cosine (n × n, NaN where never comparable), share of
 * steps with a negative cosine, gradient norms; then starts again. */
void       mh_balance_take_epoch (MhBalance *b, double *cosine, double *negative_share,
                                  double *grad_norm);

/* The pieces, pure, for tests.
 * PCGrad: coef[k] such that Σ_i g_i' = Σ_k coef[k]·g_k, for the weighted
 * gradients w_k·g_k of the heads in `group` (order: the projection order). */
void   mh_pcgrad_coefficients (const double *gram, const float *w, int n, const int *order,
                               float *coef);
/* GradNorm: one update of w (n) from the unweighted gradient norms and the
 * losses relative to their first values; renormalised to Σ w = n. */
void   mh_gradnorm_update (double *w, const double *grad_norm, const double *loss_ratio, int n,
                           double alpha, double lr);
/* Uncertainty: Σ e^−s·L + s and its gradient in s. */
double mh_uncertainty_objective (const double *s, const double *losses, int n, double *grad_s);

G_END_DECLS
