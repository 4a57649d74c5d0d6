/* mh-trainer.h — the trainer: one long-lived worker thread that owns the
 * training run and its model (docs/ARCHITECTURE.md, "Threads").
 *
 * Commands go in through a GAsyncQueue and are handled between batches:
 * start (with a copy of the project), pause, resume, stop, one step, a head's
 * weight, the learning rate, the balancing method, and requests answered
 * with a model — the run's, or a recorded run's checkpoint of an epoch —
 * (predictions, the test split's answers, loading and saving weights, the
 * test split itself: mh-trainer-requests.h; any work: mh_trainer_call()).
 * Stop is also an atomic flag: it takes effect within one batch.
 *
 * A run goes through the one run loop (mh-run-loop.h), which the command
 * line's `train` drives too: it applies the project's "transfer", goes on as
 * a branch of a recorded run, and records the run in a store (mh-run-store.h).
 *
 * Events come out on the GMainContext given at creation
 * (g_main_context_invoke_full) as immutable, refcounted snapshots stamped
 * with the run's generation: events of an earlier run are dropped, and none
 * is delivered after mh_trainer_free().  Progress events come at most every
 * `event_interval_ms` (about 30 a second) and carry every step since the
 * previous one.
 *
 * The data set is loaded in the worker (the last one is kept for the next
 * run when the project's "dataset" is the same).  A loss that becomes NaN or
 * infinite stops the run (MH_TRAINER_FAILED, naming the head and the step);
 * the run keeps the weights of the last step with a finite loss.  After a
 * run ends its model stays usable (mh_trainer_call) until the next start.
 *
 * Plain GLib: no GTK.  Every function is called from the thread that owns
 * the context given to mh_trainer_new().
 */
#pragma once

#include <glib.h>
#include "mh-balance.h"
#include "mh-metrics.h"
#include "mh-project.h"
#include "mh-step-rows.h"
#include "mh-training.h"

G_BEGIN_DECLS

typedef enum {
  MH_TRAINER_IDLE,       /* no run yet */
  MH_TRAINER_LOADING,    /* reading the data set, building the model */
  MH_TRAINER_RUNNING,
  MH_TRAINER_PAUSED,
  MH_TRAINER_FINISHED,   /* every planned step done */
  MH_TRAINER_STOPPED,    /* stopped by mh_trainer_stop() */
  MH_TRAINER_FAILED,     /* the data or the model did not load, or a loss became NaN */
} MhTrainerState;

typedef enum {
  MH_TRAINER_EVENT_STATE,     /* the state changed (figures as of then) */
  MH_TRAINER_EVENT_STARTED,   /* the model is built: heads, sizes */
  MH_TRAINER_EVENT_PROGRESS,  /* the steps since the last event */
  MH_TRAINER_EVENT_EPOCH,     /* an epoch ended: validation figures */
  MH_TRAINER_EVENT_NOTE,      /* something to tell (`message`): a run not recorded, a checkpoint not written */
} MhTrainerEventKind;

typedef struct {
  /*< private >*/
  gint               ref_count;
  /*< public >*/
  MhTrainerEventKind kind;
  guint              generation;     /* the run's: mh_trainer_start()'s value */
  MhTrainerState     state;
  int                n_heads;
  int                n_pairs;        /* n_heads·(n_heads − 1)/2 */
  int                step;           /* steps done */
  int                epoch;          /* epochs completed */
  int                total_steps;
  int                steps_per_epoch;
  int                batch;
  gint64             samples;        /* samples trained on */
  double             train_seconds;  /* time spent in steps (not paused, not validating) */
  double             samples_per_s;  /* over the last few seconds */
  double             seconds_left;   /* NaN: not known yet */
  double             lr;             /* the base learning rate */
  MhBalanceMethod    method;
  float             *weight;         /* n_heads: the effective weights now */

  /* PROGRESS: n_rows steps, oldest first.  Pairs are (0,1), (0,2), …, (1,2), …
   * (mh_trainer_pair_index()).  Metric: the batch's accuracy (classification
   * heads; NaN for others). */
  int                n_rows;
  int               *row_step;       /* n_rows: 1-based step numbers */
  int               *row_epoch;      /* n_rows: the epoch the step is in (0-based) */
  float             *row_loss;       /* n_rows × n_heads: batch loss, unweighted */
  float             *row_metric;     /* n_rows × n_heads */
  float             *row_total;      /* n_rows: Σ wᵢ·lossᵢ */
  float             *row_weight;     /* n_rows × n_heads: effective weights */
  float             *row_grad_norm;  /* n_rows × n_heads: ‖gᵢ‖ on the shared representation */
  float             *row_cosine;     /* n_rows × n_pairs: cos(gᵢ, gⱼ); NaN: not comparable */
  double            *cosine;         /* n_heads × n_heads: the last row's (diagonal 1) */
  double            *grad_norm;      /* n_heads: the last row's */

  /* EPOCH: the figures on the validation split (NULL without one); at the
   * end of a finished run (STATE, FINISHED) `test` holds the test split's. */
  MhHeadMetrics     *validation;
  MhHeadMetrics     *test;

  /* STARTED */
  char             **head_names;     /* NULL-terminated */
  MhFieldKind       *head_kinds;
  gsize              n_params;
  int                n_train, n_validation, n_test;
  int                threads;
  const char        *blas_core;
  char              *run_id;         /* the record's id (NULL: not recorded) */
  char              *run_dir;        /* its folder */
  char              *note;           /* how it started: "transfer: …", "branch of run 2 at epoch 3 …"; NULL */

  /* FAILED, NOTE */
  char              *message;        /* one sentence naming the file, or the head and step */
  int                bad_head;       /* the head whose loss was not finite; -1 */
} MhTrainerEvent;

typedef struct _MhTrainer MhTrainer;

typedef void (*MhTrainerFunc) (MhTrainer *trainer, const MhTrainerEvent *event, gpointer user_data);
/* Runs on the worker, between batches, with the current run (NULL: none). */
typedef gpointer (*MhTrainerWork) (MhTraining *run, gpointer data);
/* The same with the model asked for (mh_trainer_call_at); NULL and an error
 * when there is none. */
typedef gpointer (*MhTrainerWorkAt) (MhTraining *run, gpointer data, GError **error);
/* Runs on the trainer's context: the work's result (owned by the reply) or
 * why there is none. */
typedef void (*MhTrainerReply) (gpointer result, const GError *error, gpointer data);
/* Runs on the trainer's context with the work's result. */
typedef void (*MhTrainerDone) (gpointer result, gpointer data);

typedef struct {
  int         threads;            /* 0: every core */
  int         total_steps;        /* 0: the project's epochs */
  const char *data_dir;           /* NULL: the project's dataset.path */
  gboolean    start_paused;       /* load and build, then wait (for mh_trainer_step) */
  int         event_interval_ms;  /* 0: 33 */
  int         nice;               /* > 0: the worker and its lanes run at this niceness (Linux;
                                   * it stays for later runs: it cannot be lowered again) */
  const char *project_file;       /* the project's file: "transfer" paths are relative to its folder,
                                   * the record names it; NULL: unsaved */
  const char *runs_dir;           /* record the run in this store (mh-run-store.h); NULL: not recorded */
  const char *branch_run;         /* a branch of this recorded run (its folder) … */
  int         branch_epoch;       /* … from its checkpoint of this epoch */
} MhTrainerOptions;

/* Which model a request is answered with: NULL, the run's (live) model; else
 * a recorded run's checkpoint after an epoch, loaded on the worker (kept for
 * the next request of the same run). */
typedef struct {
  const char *run_dir;
  int         epoch;
} MhTrainerModel;

MhTrainer      *mh_trainer_new        (GMainContext *context, MhTrainerFunc func, gpointer user_data,
                                       GDestroyNotify destroy);
/* Stops the run, joins the worker; no event is delivered afterwards. */
void            mh_trainer_free       (MhTrainer *self);

/* A new run of a copy of `project`; returns its generation. */
guint           mh_trainer_start      (MhTrainer *self, const MhProject *project,
                                       const MhTrainerOptions *options);
void            mh_trainer_pause      (MhTrainer *self);
void            mh_trainer_resume     (MhTrainer *self);
void            mh_trainer_stop       (MhTrainer *self);
/* Another project: the run stops (and is recorded as stopped), its model
 * goes, and no event of it is delivered from now on; the state is IDLE. */
void            mh_trainer_forget     (MhTrainer *self);
/* One batch, when paused. */
void            mh_trainer_step       (MhTrainer *self);
/* Live, from the next step on. */
void            mh_trainer_set_head_weight (MhTrainer *self, int head, double weight);
void            mh_trainer_set_lr     (MhTrainer *self, double lr);
void            mh_trainer_set_method (MhTrainer *self, MhBalanceMethod method);
/* work(run, data) on the worker between batches (at once when idle); then
 * done(result, data) and destroy(data) on the context — also after
 * mh_trainer_free(), so that nothing leaks: done() must not assume the
 * trainer is there.  The hook for predictions and attention maps. */
void            mh_trainer_call       (MhTrainer *self, MhTrainerWork work, MhTrainerDone done,
                                       gpointer data, GDestroyNotify destroy);
/* The same with a chosen model: work(run, data, error) on the worker, then
 * reply(result, error, data) and destroy(data) on the context (also after
 * mh_trainer_free(): reply must not assume the trainer is there).  The
 * result is the reply's. */
void            mh_trainer_call_at    (MhTrainer *self, const MhTrainerModel *model, MhTrainerWorkAt work,
                                       MhTrainerReply reply, gpointer data, GDestroyNotify destroy);

guint           mh_trainer_get_generation (MhTrainer *self);
gboolean        mh_trainer_is_active  (MhTrainer *self);   /* its state is active: */
/* Loading, running or paused: a run is under way (the one definition). */
gboolean        mh_trainer_state_is_active (MhTrainerState state);

MhTrainerEvent *mh_trainer_event_ref   (MhTrainerEvent *event);
void            mh_trainer_event_unref (MhTrainerEvent *event);

/* A head's headline figure and its name: accuracy, F1 (macro), IoU, else
 * mean absolute error; NaN when there is none. */
double          mh_head_metrics_primary (const MhHeadMetrics *m, const char **name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhTrainerEvent, mh_trainer_event_unref)

G_END_DECLS
