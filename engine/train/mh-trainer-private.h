/* mh-trainer-private.h — what the worker (mh-trainer.c) and the requests
 * answered on it (mh-trainer-requests.c) share. */
#pragma once

#include "mh-run-loop.h"
#include "mh-trainer.h"

G_BEGIN_DECLS

/* The worker's own state: touched by the worker thread alone. */
typedef struct {
  MhTrainer       *trainer;
  guint            generation;
  MhTrainerState   state;
  MhSplits        *data;
  char            *data_spec;    /* what `data` was loaded from: the project's "dataset" … */
  char            *data_dir;     /* … and the folder that overrode its path */
  MhRunLoop       *loop;         /* the run (NULL: none yet, or it did not start) */
  MhRunStore      *store;        /* where it is recorded */
  int              threads;
  gint64           interval_us;
  gint64           last_post;
  gint64           train_us;
  gint64           rate_us;      /* train_us and samples at the last rate update */
  gint64           rate_samples;
  double           rate;
  MhStepRows       rows;
  /* a recorded run's checkpoint, for requests (mh-trainer-requests.c) */
  MhTraining      *view;
  MhProject       *view_project;
  char            *view_key;     /* run folder and epoch */
} Worker;

/* The splits of project p's data set (`dir` overrides its path): kept for
 * the next call with the same data set. */
MhSplits *_mh_trainer_load_data (Worker *w, const MhProject *p, const char *dir, GError **error);
/* The model of a request: the run's, or a recorded run's checkpoint. */
MhTraining *_mh_trainer_model (Worker *w, const MhTrainerModel *model, GError **error);
void        _mh_trainer_view_clear (Worker *w);

/* A call of any kind: work(w, run, data, error) on the worker. */
typedef gpointer (*MhTrainerWorkerFunc) (Worker *w, MhTraining *run, gpointer data, GError **error);
void _mh_trainer_push_call (MhTrainer *self, const MhTrainerModel *model, MhTrainerWorkerFunc work,
                            MhTrainerReply reply, gpointer data, GDestroyNotify destroy);

G_END_DECLS
