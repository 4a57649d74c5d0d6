/* mh-checkpoint.h — a training run saved so that it can go on as if it had
 * never stopped.
 *
 * A checkpoint is a weights file (mh-weights.h: the same tensors and
 * metadata, so eval, predict and export read it as they are) with more:
 *   tensors   optim.m, optim.v   the optimiser's moments (SGD: its momentum
 *                                buffer in optim.m, no optim.v), n_params
 *                                floats each, in the engine's slab order
 *   metadata  checkpoint = 1; run.seed, run.epoch (epochs done), run.step,
 *             run.pos (next sample of the epoch), run.samples, run.batch,
 *             run.train_samples, run.best_loss; optim.kind, optim.step;
 *             balance.method, balance.fixed, balance.log_var, balance.lv_m,
 *             balance.lv_v, balance.lv_t, balance.gn_weight,
 *             balance.first_loss, balance.pcgrad_steps (numbers as text that
 *             reads back exactly; lists comma-separated, one per head).
 * The shuffling and the dropout and PCGrad generators are not stored: they
 * are replayed from run.seed to the step (mh_training_seek()).
 */
#pragma once

#include <glib.h>
#include "mh-training.h"

G_BEGIN_DECLS

typedef struct {
  char       *path;
  GPtrArray  *tensors;     /* MhTensorEntry */
  GHashTable *meta;
  guint32     seed;
  int         epoch, step, pos;
  gint64      samples;
  double      best_loss;   /* the lowest validation loss so far; NaN: none */
} MhCheckpoint;

/* Reads a checkpoint; a plain weights file is refused with a message saying so. */
MhCheckpoint *mh_checkpoint_read (const char *path, GError **error);
void          mh_checkpoint_free (MhCheckpoint *c);

/* Writes the run's state atomically (temporary file, then rename). */
gboolean      mh_training_save_checkpoint (MhTraining *r, const char *path, double best_loss,
                                      GError **error);
/* All or nothing: the parameters, the optimiser, the balancer and the
 * position, once everything has been checked against the run (the run must
 * have been made with the checkpoint's seed: set the project's first). */
gboolean      mh_training_restore (MhTraining *r, const MhCheckpoint *c, GError **error);

/* A branch: run `r`, of a changed project (heads removed or added, head
 * weights, balancing, frozen layers), starts from checkpoint `c`, which a
 * run of project `parent` wrote: every parameter the two models share (by
 * name, with its shape) and its optimiser moments, the learned balancing
 * state of every head they share (by name), the optimiser's step count and
 * the position.  The branch's own head weights and balancing method stay;
 * parameters new in it keep their fresh values (*n_new: how many).  The
 * run must have the checkpoint's seed, batch size, training split and
 * optimiser kind.  All or nothing. */
gboolean      mh_training_restore_branch (MhTraining *r, const MhCheckpoint *c, const MhProject *parent,
                                          int *n_new, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhCheckpoint, mh_checkpoint_free)

G_END_DECLS
