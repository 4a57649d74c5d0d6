/* mh-trainer-private.h — what mh-trainer.c (the worker and its commands)
 * and mh-trainer-events.c (the events and the steps they carry) share. */
#pragma once

#include "mh-trainer.h"

G_BEGIN_DECLS

/* Steps logged since the last progress event. */
typedef struct {
  int    n, cap, n_heads, n_pairs;
  int   *step, *epoch;
  float *loss, *metric, *total, *weight, *grad_norm, *cosine;
} StepRows;

void _mh_trainer_step_rows_reset (StepRows *rows, int n_heads);
void _mh_trainer_step_rows_clear (StepRows *rows);
/* The step the run just took (batch_n samples): each head's figures. */
void _mh_trainer_step_rows_add   (StepRows *rows, const MhTraining *r, int batch_n);

G_END_DECLS
