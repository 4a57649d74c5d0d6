/* mh-training.h — a training run: batches, steps, epochs, evaluation.
 *
 * The loop the command line drives and the trainer thread will drive.
 * It owns the model and the optimiser; the project and the data are
 * borrowed and must outlive it.
 */
#pragma once

#include <glib.h>
#include "mh-balance.h"
#include "mh-thread-team.h"
#include "mh-metrics.h"
#include "mh-model.h"
#include "mh-splits.h"   /* mh_splits_load() */

G_BEGIN_DECLS


typedef struct {
  const MhProject *project;
  const MhSplits  *data;
  MhModel         *model;         /* lane 0's: it owns the parameters */
  MhModel        **lane_models;   /* one per lane, sharing model's parameters */
  GRand          **lane_rngs;     /* dropout, one per lane */
  MhThreadTeam         *lanes;
  int              n_lanes;
  MhOptim         *optim;
  MhBalance       *balance;       /* head weights, gradient conflict */
  double          *gram;          /* per lane: the heads' tap-gradient dot products */
  double          *step_gram;     /* a step's sum of them (heads × heads) and losses (heads):
                                   * allocated once, not on the stack */
  double          *step_losses;
  GRand           *rng;           /* shuffling */
  int             *order;         /* this epoch's sample order */
  int              pos;           /* next sample in the epoch */
  int              epoch;         /* epochs completed */
  int              step;          /* steps (updates) done */
  int              steps_per_epoch;
  gint64           samples;       /* samples trained on */
  float           *last_good;     /* parameters whose loss was finite */
  /* running training figures since the last mh_training_take_train_metrics() */
  double          *loss_sum;      /* per head, Σ loss·n */
  int             *correct_sum;
  int              seen;
} MhTraining;

/* total_steps: the run's planned length (for the learning-rate schedule).
 * threads: each step's batch is split over this many lanes, each with
 * single-threaded BLAS; a run is bit-reproducible for a given seed and
 * number of threads. */
MhTraining   *mh_training_new (const MhProject *p, const MhSplits *data, int total_steps, int threads,
                     const char *where, GError **error);
void     mh_training_free (MhTraining *r);

/* One batch: forward, loss, backward, update.  On a loss that is not finite
 * it stops: the parameters go back to the last ones with a finite loss and
 * the error names the step and the head. */
gboolean mh_training_step (MhTraining *r, GError **error);
gboolean mh_training_epoch_done (const MhTraining *r);   /* the last step ended an epoch */
/* Puts the run where it was after `step` steps (epoch epochs done, next
 * sample `pos`): the shuffling is replayed from the seed.  The model, the
 * optimiser and the balancer are the caller's (mh-checkpoint.h). */
void     mh_training_seek (MhTraining *r, int epoch, int step, int pos, gint64 samples);

/* Training figures per head since the last call (out: n_heads entries). */
void     mh_training_take_train_metrics (MhTraining *r, MhHeadMetrics *out);
/* Figures per head on a whole split (out: n_heads entries). */
void     mh_training_evaluate (MhTraining *r, const MhDataset *d, MhHeadMetrics *out);
/* The same, and for each classification head its confusion matrix (k × k,
 * rows the truth; confusion[h] NULL for other heads; free with g_free). */
void     mh_training_evaluate_full (MhTraining *r, const MhDataset *d, MhHeadMetrics *out, int **confusion);
/* The same, and each classification head's answer for every sample:
 * answers[h] (d->n ints, the caller's) is filled where it is not NULL. */
void     mh_training_evaluate_answers (MhTraining *r, const MhDataset *d, MhHeadMetrics *out, int **confusion,
                                  int **answers);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhTraining, mh_training_free)

G_END_DECLS
