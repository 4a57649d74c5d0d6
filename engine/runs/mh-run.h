/* mh-run.h — a training run as it is kept on disk: one folder (mh-run-store.h)
 * holding
 *
 *   run.json                the record: the project as trained (its JSON), seed,
 *                           threads, start and end, state (and a failure's
 *                           message), parent run and epoch (a branch), name,
 *                           pin, the heads, the final validation and test
 *                           figures, the checkpoints with their sizes
 *   metrics.csv             every step's figures (mh-train-log.h), the
 *                           validation figures on each epoch's last step
 *   epoch-<n>.safetensors   a checkpoint (mh-checkpoint.h) after epoch n
 *   step-<n>.safetensors    the checkpoint of a run stopped within an epoch
 *   lock                    while a program records it (mh-run-lock.h)
 *
 * Reading never fails on a run: a missing or corrupt run.json, a record of a
 * newer version, a project that no longer reads, a checkpoint cut short are
 * each a `problem` (or a checkpoint's) saying so.  A run recorded as running
 * whose program has gone reads as stopped, `interrupted`.  docs/file-formats.md
 * ("Runs") describes the files.
 */
#pragma once

#include <glib.h>
#include "mh-dataset.h"
#include "mh-metrics.h"
#include "mh-project.h"
#include "mh-train-log.h"

G_BEGIN_DECLS

#define MH_RUN_FORMAT 1

typedef enum {
  MH_RUN_RUNNING,
  MH_RUN_PAUSED,
  MH_RUN_STOPPED,     /* stopped by the user, or interrupted (its program ended) */
  MH_RUN_FINISHED,    /* every planned step done */
  MH_RUN_FAILED,      /* `message` says why */
  MH_RUN_UNREADABLE,  /* its run.json is missing, corrupt or of a newer version: `problem` */
} MhRunState;

typedef struct {
  char        *name;
  MhFieldKind  kind;
} MhRunHead;

typedef struct {
  int      epoch;      /* epochs done when it was written */
  int      step;       /* steps done */
  char    *file;       /* its name in the run's folder */
  gint64   bytes;      /* as written; 0: not known */
  gboolean at_stop;    /* written when the run stopped within an epoch */
  char    *problem;    /* NULL: there, whole; else "removed to save space", "cut short (… bytes of …)" */
} MhRunCheckpoint;

typedef struct {
  /*< private >*/
  gint           ref_count;
  /*< public >*/
  char          *id;            /* its folder's name: "1", "2", … */
  char          *dir;           /* its folder */
  char          *name;          /* NULL: "run ID" */
  MhRunState     state;
  char          *message;       /* FAILED: why; a stopped run's note */
  char          *problem;       /* UNREADABLE: why; else what is wrong with it (its project no longer reads) */
  gboolean       interrupted;   /* recorded as running, but its program has gone */
  char          *project_json;  /* the project as trained */
  char          *project_file;  /* the file it was trained from; NULL: an unsaved project */
  char          *project_name;
  char          *balancing;
  guint32        seed;
  int            threads;
  int            batch;
  gint64         started, ended;  /* seconds since 1970 (UTC); ended 0: not yet */
  char          *parent_id;     /* a branch: the run and epoch it started from; NULL: none */
  int            parent_epoch;
  int            parent_step;
  gboolean       pinned;        /* its checkpoints are kept whatever the retention rule */
  int            steps;         /* done */
  int            total_steps;   /* planned (a branch counts its parent's steps) */
  int            steps_per_epoch;
  int            epochs;        /* planned */
  double         train_seconds;
  double         samples_per_s;
  char          *blas_core;
  int            n_heads;
  MhRunHead     *heads;
  MhHeadMetrics *validation;    /* n_heads: the last epoch's; NULL: none */
  MhHeadMetrics *test;          /* n_heads: at the end; NULL: none */
  GArray        *checkpoints;   /* MhRunCheckpoint, in step order */
  GPtrArray     *notes;         /* what went wrong while it was recorded (a checkpoint not written) */
  gint64         disk_bytes;    /* its folder's files (when read) */
} MhRun;

MhRun       *mh_run_new       (const char *dir);
MhRun       *mh_run_ref       (MhRun *run);
void         mh_run_unref     (MhRun *run);

/* The run in folder `dir` (its name is the id); never NULL. */
MhRun       *mh_run_read      (const char *dir);
/* run.json, atomically. */
gboolean     mh_run_save      (const MhRun *run, GError **error);
char        *mh_run_to_json   (const MhRun *run, gsize *len);

/* "running", "paused", "stopped", "finished", "failed", "unreadable". */
const char  *mh_run_state_name (MhRunState state);
/* The name shown: its name, else "run ID". */
char        *mh_run_dup_title (const MhRun *run);   /* for people: "run 3" is translated */
int          mh_run_epochs_done (const MhRun *run);
/* The project it trained, parsed; NULL (error) when it no longer reads. */
MhProject   *mh_run_dup_project (const MhRun *run, GError **error);
/* Whether it trained this project (the structure, data and hyper-parameters;
 * the name and the canvas layout aside). */
gboolean     mh_run_trained_project (const MhRun *run, const MhProject *p);
/* The checkpoint after epoch `epoch` (-1: the last one written), or NULL. */
const MhRunCheckpoint *mh_run_find_checkpoint (const MhRun *run, int epoch);
/* Its path; NULL when there is none for that epoch or it has a problem
 * (the error says which). */
char        *mh_run_checkpoint_path (const MhRun *run, int epoch, GError **error);
/* metrics.csv read back. */
MhTrainLog  *mh_run_load_metrics (const MhRun *run, GError **error);
int          mh_run_find_head  (const MhRun *run, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhRun, mh_run_unref)

G_END_DECLS
