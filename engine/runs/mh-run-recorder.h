/* mh-run-recorder.h — writes a run into its folder while it trains
 * (mh-run.h): run.json when it starts, after every epoch and when it ends;
 * metrics.csv after every epoch and at the end; a checkpoint after every
 * epoch and one when it stops within an epoch.  Every file is written
 * atomically (mh-save.h), so a run killed at any moment keeps the epochs it
 * wrote, and its run.json still says "running" while nobody holds its lock:
 * it reads as interrupted (mh-run-lock.h).
 *
 * A write that fails (a full disk, a folder made read-only) does not stop
 * the training: it becomes a note in the record, and the caller is told
 * once (mh_run_recorder_take_warning()).  A rename or a pin made meanwhile
 * (mh-run-store.h) is kept.  Used by the run loop (mh-run-loop.h) on the
 * thread that trains.
 */
#pragma once

#include <glib.h>
#include "mh-run-store.h"
#include "mh-training.h"

G_BEGIN_DECLS

typedef struct _MhRunRecorder MhRunRecorder;

typedef struct {
  const char *project_file;   /* NULL: unsaved */
  int         total_steps;
  int         threads;
  const char *parent_id;      /* a branch: its parent run and epoch */
  int         parent_epoch;
  int         parent_step;
} MhRunRecorderInfo;

/* A new run folder in `store` for training `t` (its project as trained). */
MhRunRecorder *mh_run_recorder_new   (const MhRunStore *store, const MhTraining *t, const MhRunRecorderInfo *info,
                                      GError **error);
/* Ends it as stopped if it has not ended, and lets its lock go. */
void           mh_run_recorder_free  (MhRunRecorder *rec);

const MhRun   *mh_run_recorder_get_run (const MhRunRecorder *rec);
const MhTrainLog *mh_run_recorder_get_log (const MhRunRecorder *rec);

/* The step just taken (its row). */
void           mh_run_recorder_step  (MhRunRecorder *rec, const MhStepRows *row);
/* An epoch ended (validation: its figures, NULL without a split). */
void           mh_run_recorder_epoch (MhRunRecorder *rec, MhTraining *t, const MhHeadMetrics *validation,
                                      double train_seconds);
/* Running or paused. */
void           mh_run_recorder_set_state (MhRunRecorder *rec, MhRunState state);
/* The end: finished (test: the test split's figures, or NULL), stopped
 * (a checkpoint if it stopped within an epoch) or failed (its message).
 * Its lock goes: nothing more is written. */
void           mh_run_recorder_end   (MhRunRecorder *rec, MhTraining *t, MhRunState state, const char *message,
                                      const MhHeadMetrics *test, double train_seconds);
/* The latest write that failed since the last call, or NULL (free it). */
char          *mh_run_recorder_take_warning (MhRunRecorder *rec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhRunRecorder, mh_run_recorder_free)

G_END_DECLS
