/* mh-step-rows.h — the figures of training steps, one row per step: each
 * head's batch loss, metric, effective weight and gradient norm on the
 * shared representation, the weighted total, each pair of heads' gradient
 * cosine.  The run loop collects them (mh-run-loop.h); the trainer's
 * progress events carry them (mh-trainer.h); the run's metrics log keeps
 * them all (mh-train-log.h). */
#pragma once

#include <glib.h>
#include "mh-training.h"

G_BEGIN_DECLS

/* Pairs are (0,1), (0,2), …, (1,2), … (mh_trainer_pair_index()). */
typedef struct {
  int    n, cap, n_heads, n_pairs;
  int   *step;       /* n: 1-based step numbers */
  int   *epoch;      /* n: the epoch the step is in (0-based) */
  float *loss;       /* n × n_heads: batch loss, unweighted */
  float *metric;     /* n × n_heads: the batch's accuracy (classification heads; NaN for others) */
  float *total;      /* n: Σ wᵢ·lossᵢ */
  float *weight;     /* n × n_heads: effective weights */
  float *grad_norm;  /* n × n_heads: ‖gᵢ‖ on the shared representation */
  float *cosine;     /* n × n_pairs: cos(gᵢ, gⱼ); NaN: not comparable */
} MhStepRows;

/* Empties the rows for a run of n_heads heads (the buffers are kept). */
void mh_step_rows_reset (MhStepRows *rows, int n_heads);
void mh_step_rows_clear (MhStepRows *rows);
/* The step the run just took (batch_n samples): each head's figures. */
void mh_step_rows_add   (MhStepRows *rows, const MhTraining *r, int batch_n);

/* The index of pair (i, j), i ≠ j, among n heads. */
int  mh_trainer_pair_index (int n, int i, int j);

G_END_DECLS
