/* mh-optim.h — SGD with momentum, Adam, AdamW; gradient clipping; learning-rate
 * schedules.  The optimiser updates one parameter slab over the ranges that
 * are not frozen; its state (moments) is one slab of the same layout.
 */
#pragma once

#include <glib.h>
#include "mh-project.h"

G_BEGIN_DECLS

typedef struct {
  gsize offset;
  gsize size;
} MhRange;

typedef enum {
  MH_OPTIM_SGD,
  MH_OPTIM_ADAM,
  MH_OPTIM_ADAMW,
} MhOptimKind;

typedef struct _MhOptim MhOptim;

/* total_steps: the length of the run, for the cosine schedule. */
MhOptim *mh_optim_new (const MhOptimSpec *spec, const MhScheduleSpec *schedule,
                       gsize n_params, int total_steps);
void     mh_optim_free (MhOptim *o);

/* The learning rate of step `step` (0-based) under the schedule. */
double   mh_optim_lr (const MhOptim *o, int step);
/* Change the base learning rate (live, from the next step on). */
void     mh_optim_set_base_lr (MhOptim *o, double lr);
int      mh_optim_step_count (const MhOptim *o);
/* The state, for checkpoints: the moment slabs (n_params floats each; *v
 * NULL for SGD) to read or fill, and the step count. */
void     mh_optim_state (MhOptim *o, float **m, float **v);
void     mh_optim_set_step_count (MhOptim *o, int t);

/* One update: clips the gradients over `ranges` to the spec's norm, then
 * updates the parameters there.  Returns the gradient norm before clipping
 * (computed only when the spec clips; else NaN). */
double   mh_optim_step (MhOptim *o, float *params, float *grads,
                        const MhRange *ranges, int n_ranges);

/* The same in three parts, so that threads can update disjoint slices:
 * begin() (one thread: the learning rate; the clipping scale from the
 * gradient norm `norm`, computed by the caller when mh_optim_clips()),
 * update() on each slice (any thread), end() (one thread). */
gboolean mh_optim_clips (const MhOptim *o);
void     mh_optim_begin (MhOptim *o, double norm);
void     mh_optim_update (MhOptim *o, float *params, const float *grads, gsize offset, gsize size);
void     mh_optim_end (MhOptim *o);

/* The L2 norm √(Σ g²) over the ranges. */
double   mh_grad_norm (const float *grads, const MhRange *ranges, int n_ranges);

G_END_DECLS
