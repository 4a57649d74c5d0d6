/* mh-run-loop.h — the one training loop: `train` on the command line and the
 * trainer's worker thread (mh-trainer.h) both drive it, so they give the
 * same figures.
 *
 * It starts the run (from scratch, from another project's backbone — the
 * project's "transfer" —, from a checkpoint to go on with, or as a branch of
 * a recorded run at an epoch), takes steps, and after each epoch evaluates
 * the validation split and writes the checkpoints; after the last planned
 * step it evaluates the test split.  It records the run (mh-run-recorder.h)
 * into a store unless told not to.
 *
 * Plain GLib: it runs on the thread that owns it.
 */
#pragma once

#include <glib.h>
#include "mh-checkpoint.h"
#include "mh-run-recorder.h"
#include "mh-run-store.h"
#include "mh-training.h"

G_BEGIN_DECLS

typedef struct {
  int               total_steps;     /* 0: the project's epochs */
  int               threads;         /* 0: every core */
  const char       *project_file;    /* relative paths ("transfer") are from its folder; the record names
                                      * it; NULL: an unsaved project (messages say "project") */
  const MhRunStore *store;           /* record the run here; NULL: not recorded */
  const MhCheckpoint *resume;        /* go on with this run (its seed wins) */
  const MhRun      *branch;          /* start from this recorded run's checkpoint of epoch branch_epoch */
  int               branch_epoch;
  const char       *checkpoint_dir;  /* also DIR/latest.safetensors and DIR/best.safetensors each epoch */
  gboolean          test_mid_epoch;  /* the test split also when the last step ends within an epoch (--steps) */
} MhRunLoopOptions;

typedef enum {
  MH_RUN_LOOP_STEP     = 1 << 0,   /* a batch was trained */
  MH_RUN_LOOP_EPOCH    = 1 << 1,   /* it ended an epoch: `validation` (with a split), checkpoints */
  MH_RUN_LOOP_FINISHED = 1 << 2,   /* the last planned step: `test` (with a test split, at an epoch's end
                                    * or test_mid_epoch); recorded as finished */
} MhRunLoopFlags;

typedef struct {
  MhTraining      *training;
  MhProject       *project;       /* the loop's copy, as it trains (a resumed or branched run's seed) */
  const MhSplits  *data;
  int              total_steps;
  int              last_batch;    /* samples in the last step */
  MhHeadMetrics   *validation;    /* the last epoch's; NULL: none yet, or no validation split */
  MhHeadMetrics   *test;          /* at the end, with a test split */
  double           train_seconds; /* spent in steps (not validating, not writing) */
  gint64           samples0;      /* samples trained on before this run started (resumed, branched) */
  char            *note;          /* how it started ("transfer: …", "resuming …", "branch of …"); NULL: afresh */
  MhRunRecorder   *recorder;      /* NULL: not recorded */
  char            *checkpoint_dir;
  double           best_loss;
  gboolean         ended;
  MhStepRows       row;           /* the last step's */
  char            *warning;
  gboolean         test_mid_epoch;
  double           record_seconds; /* spent recording the run (the recorder's calls, retention) */
  double           record_step_seconds;   /* of it, the steps' rows */
} MhRunLoop;

/* The run of project p on data (both borrowed: they must outlive it);
 * NULL and an error naming the file when it cannot start: the model does
 * not build, the transfer or the checkpoint does not fit. */
MhRunLoop *mh_run_loop_new   (const MhProject *p, const MhSplits *data, const MhRunLoopOptions *options,
                              GError **error);
/* One batch and what follows it (MhRunLoopFlags); 0 and an error when a
 * loss became NaN or infinite: the run is recorded as failed and keeps the
 * last parameters whose loss was finite.  No step after the end. */
guint      mh_run_loop_step  (MhRunLoop *loop, GError **error);
gboolean   mh_run_loop_done  (const MhRunLoop *loop);
/* Paused or running again (for the record). */
void       mh_run_loop_set_paused (MhRunLoop *loop, gboolean paused);
/* Ends the run: stopped (a checkpoint when within an epoch) or failed. */
void       mh_run_loop_end   (MhRunLoop *loop, MhRunState state, const char *message);
/* Ends it as stopped if it has not ended. */
void       mh_run_loop_free  (MhRunLoop *loop);

/* The record (NULL: not recorded). */
const MhRun *mh_run_loop_get_run (const MhRunLoop *loop);
/* A recording problem since the last call (training went on), or NULL. */
char      *mh_run_loop_take_warning (MhRunLoop *loop);

/* A path a project names: absolute, or relative to its file's folder. */
char      *mh_project_resolve_path (const char *project_file, const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhRunLoop, mh_run_loop_free)

G_END_DECLS
