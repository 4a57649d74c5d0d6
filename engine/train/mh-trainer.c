/* mh-trainer.c — the worker thread that owns the training run.
 *
 * The main thread only pushes commands and reads events; the worker only
 * pops commands and posts events.  The shared state is the command queue,
 * two atomics (the latest generation, the generation to stop) and the sink
 * (where events go), whose mutable part is touched by the main thread alone.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#endif
#include <json-glib/json-glib.h>
#include "mh-blas.h"
#include "mh-error.h"
#include "mh-schema.h"
#include "mh-trainer-private.h"

/* GLib's mutexes are futexes ThreadSanitizer cannot see: say where the
 * queue and the main loop hand data from one thread to the other, and let
 * it ignore what GLib allocates for the hand-off (list nodes, sources) in
 * one thread and frees in the other. */
#if defined(__SANITIZE_THREAD__)
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);
void AnnotateIgnoreWritesBegin (const char *file, int line);
void AnnotateIgnoreWritesEnd (const char *file, int line);
#define HANDOFF_RELEASE(p) __tsan_release (p)
#define HANDOFF_ACQUIRE(p) __tsan_acquire (p)
#define GLIB_INTERNALS_BEGIN() AnnotateIgnoreWritesBegin (__FILE__, __LINE__)
#define GLIB_INTERNALS_END() AnnotateIgnoreWritesEnd (__FILE__, __LINE__)
#else
#define HANDOFF_RELEASE(p) ((void) (p))
#define HANDOFF_ACQUIRE(p) ((void) (p))
#define GLIB_INTERNALS_BEGIN() ((void) 0)
#define GLIB_INTERNALS_END() ((void) 0)
#endif

#define DEFAULT_INTERVAL_MS 33

typedef enum {
  CMD_START, CMD_PAUSE, CMD_RESUME, CMD_STOP, CMD_STEP,
  CMD_SET_WEIGHT, CMD_SET_LR, CMD_SET_METHOD, CMD_CALL, CMD_CALL_AT, CMD_FORGET, CMD_QUIT,
} CmdKind;

typedef struct {
  CmdKind          kind;
  guint            generation;
  MhProject       *project;      /* START: taken */
  MhTrainerOptions options;
  char            *data_dir;     /* START: the options' strings, owned */
  char            *project_file;
  char            *runs_dir;
  char            *branch_run;
  int              head;
  double           value;
  MhTrainerWork    work;
  MhTrainerDone    done;
  MhTrainerWorkerFunc work_at;   /* CALL_AT: a request's (mh-trainer-requests.c) … */
  MhTrainerWorkAt  user_work;    /* … or the caller's (mh_trainer_call_at) */
  MhTrainerReply   reply;
  char            *model_run;    /* CALL_AT: the model asked for (NULL: the run's) */
  int              model_epoch;
  gpointer         data;
  GDestroyNotify   destroy;
} Cmd;

/* Where events go; shared by the trainer and the events in flight. */
typedef struct {
  gint           ref_count;
  GMainContext  *context;
  MhTrainer     *trainer;        /* main thread only; NULL once freed */
  MhTrainerFunc  func;
  gpointer       user_data;
  GDestroyNotify destroy;
} EventSink;


struct _MhTrainer
{
  GThread        *thread;
  GAsyncQueue    *queue;
  EventSink           *sink;
  gint            generation;    /* atomic: the latest run's */
  gint            stop_generation; /* atomic: runs up to this one stop */
  MhTrainerState  state;         /* main thread: as the delivered events tell */
  Worker          worker;
};

/* ---- the sink ----------------------------------------------------------- */

static EventSink *
sink_ref (EventSink *sink)
{
  g_atomic_int_inc (&sink->ref_count);
  return sink;
}

static void
sink_unref (EventSink *sink)
{
  if (!g_atomic_int_dec_and_test (&sink->ref_count))
    return;
  HANDOFF_ACQUIRE (sink);
  if (sink->destroy != NULL)
    sink->destroy (sink->user_data);
  g_main_context_unref (sink->context);
  g_free (sink);
}

typedef struct {
  EventSink      *sink;
  MhTrainerEvent *event;
  MhTrainerDone   done;          /* a call's answer instead of an event */
  MhTrainerReply  reply;         /* or a request's */
  GError         *error;
  gpointer        result, data;
  GDestroyNotify  destroy;
} Delivery;

static void
delivery_free (gpointer p)
{
  Delivery *d = p;

  if (d->event != NULL)
    mh_trainer_event_unref (d->event);
  g_clear_error (&d->error);
  if (d->destroy != NULL)
    d->destroy (d->data);
  HANDOFF_RELEASE (d->sink);
  sink_unref (d->sink);
  g_free (d);
}

static gboolean
deliver (gpointer p)
{
  Delivery *d = p;
  MhTrainer *self;

  HANDOFF_ACQUIRE (d);
  self = d->sink->trainer;
  if (d->event == NULL)
    {
      if (d->done != NULL)
        d->done (d->result, d->data);
      else if (d->reply != NULL)
        d->reply (d->result, d->error, d->data);
    }
  else if (self != NULL && d->event->generation == (guint) g_atomic_int_get (&self->generation))
    {
      self->state = d->event->state;
      d->sink->func (self, d->event, d->sink->user_data);
    }
  return G_SOURCE_REMOVE;
}

static void
post (Worker *w, Delivery *d)
{
  EventSink *sink = w->trainer->sink;

  d->sink = sink_ref (sink);
  HANDOFF_RELEASE (d);
  GLIB_INTERNALS_BEGIN ();
  g_main_context_invoke_full (sink->context, G_PRIORITY_DEFAULT, deliver, d, delivery_free);
  GLIB_INTERNALS_END ();
}

/* ---- the worker: events from the run -------------------------------------- */

static MhTraining *
training (const Worker *w)
{
  return w->loop != NULL ? w->loop->training : NULL;
}

static MhTrainerEvent *
event_new (Worker *w, MhTrainerEventKind kind)
{
  MhTrainerEvent *e = g_new0 (MhTrainerEvent, 1);
  MhTraining *r = training (w);
  int total;

  e->ref_count = 1;
  e->kind = kind;
  e->generation = w->generation;
  e->state = w->state;
  e->bad_head = -1;
  e->seconds_left = NAN;
  e->train_seconds = w->train_us / 1e6;
  e->samples_per_s = w->rate;
  if (r == NULL)
    return e;
  total = w->loop->total_steps;
  e->n_heads = r->model->n_heads;
  e->n_pairs = e->n_heads * (e->n_heads - 1) / 2;
  e->step = r->step;
  e->epoch = r->epoch;
  e->total_steps = total;
  e->steps_per_epoch = r->steps_per_epoch;
  e->batch = r->project->batch;
  e->samples = r->samples;
  e->lr = mh_optim_lr (r->optim, MAX (0, r->step - 1));
  e->method = r->balance->method;
  e->weight = g_memdup2 (r->balance->weight, sizeof (float) * e->n_heads);
  e->grad_norm = g_memdup2 (r->balance->grad_norm, sizeof (double) * e->n_heads);
  e->cosine = g_memdup2 (r->balance->cosine, sizeof (double) * e->n_heads * e->n_heads);
  for (int h = 0; h < e->n_heads; h++)
    e->cosine[h * e->n_heads + h] = isfinite (e->grad_norm[h]) ? 1.0 : NAN;
  if (w->rate > 0 && total > r->step)
    e->seconds_left = (double) (total - r->step) * r->project->batch / w->rate;
  else if (total <= r->step)
    e->seconds_left = 0;
  return e;
}

static void
post_event (Worker *w, MhTrainerEvent *e)
{
  Delivery *d = g_new0 (Delivery, 1);

  d->event = e;
  post (w, d);
}

static void
post_state (Worker *w, MhTrainerState state, const char *message, int bad_head, MhHeadMetrics *test)
{
  MhTrainerEvent *e;

  w->state = state;
  e = event_new (w, MH_TRAINER_EVENT_STATE);
  e->message = g_strdup (message);
  e->bad_head = bad_head;
  e->test = test;
  post_event (w, e);
}

/* What the run loop had to say (a write that failed): a note. */
static void
post_warning (Worker *w)
{
  g_autofree char *warning = w->loop != NULL ? mh_run_loop_take_warning (w->loop) : NULL;
  MhTrainerEvent *e;

  if (warning == NULL)
    return;
  e = event_new (w, MH_TRAINER_EVENT_NOTE);
  e->message = g_steal_pointer (&warning);
  post_event (w, e);
}

static void
update_rate (Worker *w)
{
  gint64 dt = w->train_us - w->rate_us;
  MhTraining *r = training (w);
  double now;

  if (r == NULL || dt < 250000)
    return;
  now = (r->samples - w->rate_samples) / (dt / 1e6);
  w->rate = w->rate > 0 ? 0.6 * w->rate + 0.4 * now : now;
  w->rate_us = w->train_us;
  w->rate_samples = r->samples;
}

/* A progress event with the rows logged since the last one. */
static void
flush (Worker *w)
{
  MhStepRows *rows = &w->rows;
  MhTrainerEvent *e;
  int n = rows->n, nh = rows->n_heads, np = rows->n_pairs;

  w->last_post = g_get_monotonic_time ();
  if (n == 0)
    return;
  update_rate (w);
  e = event_new (w, MH_TRAINER_EVENT_PROGRESS);
  e->n_rows = n;
  e->row_step = g_memdup2 (rows->step, sizeof (int) * n);
  e->row_epoch = g_memdup2 (rows->epoch, sizeof (int) * n);
  e->row_loss = g_memdup2 (rows->loss, sizeof (float) * n * nh);
  e->row_metric = g_memdup2 (rows->metric, sizeof (float) * n * nh);
  e->row_total = g_memdup2 (rows->total, sizeof (float) * n);
  e->row_weight = g_memdup2 (rows->weight, sizeof (float) * n * nh);
  e->row_grad_norm = g_memdup2 (rows->grad_norm, sizeof (float) * n * nh);
  e->row_cosine = g_memdup2 (rows->cosine, sizeof (float) * n * MAX (np, 1));
  rows->n = 0;
  post_event (w, e);
}

/* ---- the worker: runs ------------------------------------------------------ */

static gboolean
stop_requested (Worker *w)
{
  return (guint) g_atomic_int_get (&w->trainer->stop_generation) >= w->generation;
}

static MhRunState
run_state (MhTrainerState state)
{
  return state == MH_TRAINER_FINISHED ? MH_RUN_FINISHED : state == MH_TRAINER_FAILED ? MH_RUN_FAILED
                                                                                     : MH_RUN_STOPPED;
}

static void
end_run (Worker *w, MhTrainerState state, const char *message, int bad_head, MhHeadMetrics *test)
{
  MhTraining *r = training (w);

  flush (w);
  if (w->loop != NULL)
    mh_run_loop_end (w->loop, run_state (state), message);   /* the record: already, when finished or failed */
  if (w->rate == 0 && r != NULL && w->train_us > 0)   /* a short run */
    w->rate = (r->samples - w->loop->samples0) / (w->train_us / 1e6);
  post_warning (w);
  post_state (w, state, message, bad_head, test);
}

/* Which samples the project's data set holds (mh_data_spec_key). */
static char *
data_spec (const MhProject *p)
{
  return mh_data_spec_key (&p->data);
}

/* dir NULL: wherever the same data set was loaded from last time. */
MhSplits *
_mh_trainer_load_data (Worker *w, const MhProject *p, const char *dir, GError **error)
{
  g_autofree char *spec = data_spec (p);

  if (w->data != NULL && g_strcmp0 (spec, w->data_spec) == 0 && (dir == NULL || g_strcmp0 (dir, w->data_dir) == 0))
    return w->data;
  if (w->loop != NULL && !mh_run_loop_done (w->loop))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the model is training on another data set: stop it first"),
                   p->name);
      return NULL;
    }
  /* what was made on the old data goes with it */
  g_clear_pointer (&w->loop, mh_run_loop_free);
  _mh_trainer_view_clear (w);
  g_clear_pointer (&w->data, mh_splits_free);
  g_clear_pointer (&w->data_spec, g_free);
  g_clear_pointer (&w->data_dir, g_free);
  w->data = mh_splits_load (&p->data, dir, p->name, error);
  if (w->data == NULL)
    return NULL;
  w->data_spec = g_steal_pointer (&spec);
  w->data_dir = g_strdup (dir);
  return w->data;
}

static void
post_started (Worker *w)
{
  MhTrainerEvent *e = event_new (w, MH_TRAINER_EVENT_STARTED);
  MhModel *m = w->loop->training->model;
  const MhRun *run = mh_run_loop_get_run (w->loop);

  e->head_names = g_new0 (char *, m->n_heads + 1);
  e->head_kinds = g_new (MhFieldKind, MAX (1, m->n_heads));
  for (int h = 0; h < m->n_heads; h++)
    {
      e->head_names[h] = g_strdup (m->heads[h].name);
      e->head_kinds[h] = m->heads[h].field_kind;
    }
  e->n_params = m->n_params;
  e->n_train = w->data->train->n;
  e->n_validation = w->data->validation->n;
  e->n_test = w->data->test->n;
  e->threads = w->threads;
  e->blas_core = mh_blas_core ();
  e->note = g_strdup (w->loop->note);
  if (run != NULL)
    {
      e->run_id = g_strdup (run->id);
      e->run_dir = g_strdup (run->dir);
    }
  post_event (w, e);
}

static void
start_run (Worker *w, Cmd *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr (MhProject) p = g_steal_pointer (&c->project);
  g_autoptr (MhRun) branch = NULL;
  MhRunLoopOptions o = { 0 };

  if (w->loop != NULL && !mh_run_loop_done (w->loop))
    mh_run_loop_end (w->loop, MH_RUN_STOPPED, NULL);
  g_clear_pointer (&w->loop, mh_run_loop_free);
  g_clear_pointer (&w->store, mh_run_store_free);
  w->generation = c->generation;
  w->interval_us = (c->options.event_interval_ms > 0 ? c->options.event_interval_ms : DEFAULT_INTERVAL_MS) * 1000;
  w->threads = c->options.threads > 0 ? c->options.threads : MAX (1, (int) g_get_num_processors ());
  w->train_us = w->rate_us = w->rate_samples = 0;
  w->rate = 0;
  post_state (w, MH_TRAINER_LOADING, NULL, -1, NULL);
  if (!_mh_trainer_load_data (w, p, c->data_dir, &error))
    {
      post_state (w, MH_TRAINER_FAILED, error->message, -1, NULL);
      return;
    }
  if (stop_requested (w))
    {
      post_state (w, MH_TRAINER_STOPPED, NULL, -1, NULL);
      return;
    }
#ifdef __linux__
  /* below the window's thread: it wins the cores when it has a frame to
   * draw (a thread's niceness is its own on Linux; lanes inherit it) */
  if (c->options.nice > 0 && getpriority (PRIO_PROCESS, 0) < c->options.nice)
    setpriority (PRIO_PROCESS, 0, c->options.nice);
#endif
  if (c->runs_dir != NULL)
    w->store = mh_run_store_new (c->runs_dir);
  if (c->branch_run != NULL)
    branch = mh_run_read (c->branch_run);
  o.total_steps = c->options.total_steps;
  o.threads = w->threads;
  o.project_file = c->project_file;
  o.store = w->store;
  o.branch = branch;
  o.branch_epoch = c->options.branch_epoch;
  o.test_mid_epoch = TRUE;
  w->loop = mh_run_loop_new (p, w->data, &o, &error);
  if (w->loop == NULL)
    {
      post_state (w, MH_TRAINER_FAILED, error->message, -1, NULL);
      return;
    }
  w->rate_samples = w->loop->training->samples;
  mh_step_rows_reset (&w->rows, w->loop->training->model->n_heads);
  post_started (w);
  post_warning (w);
  w->last_post = g_get_monotonic_time ();
  if (c->options.start_paused)
    mh_run_loop_set_paused (w->loop, TRUE);
  post_state (w, c->options.start_paused ? MH_TRAINER_PAUSED : MH_TRAINER_RUNNING, NULL, -1, NULL);
}

static int
non_finite_head (const MhTraining *r)
{
  for (int h = 0; h < r->model->n_heads; h++)
    if (!isfinite (r->model->heads[h].loss_value))
      return h;
  return -1;
}

static MhHeadMetrics *
dup_figures (const MhHeadMetrics *m, int n)
{
  return m != NULL ? g_memdup2 (m, sizeof (MhHeadMetrics) * MAX (n, 1)) : NULL;
}

/* One batch and what follows it: the epoch's validation, the run's end. */
static void
train_one (Worker *w)
{
  MhRunLoop *loop = w->loop;
  MhTraining *r = loop->training;
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  guint flags = mh_run_loop_step (loop, &error);

  w->train_us = (gint64) (loop->train_seconds * 1e6);
  if (flags == 0)
    {
      end_run (w, MH_TRAINER_FAILED, error->message, non_finite_head (r), NULL);
      return;
    }
  mh_step_rows_add (&w->rows, r, loop->last_batch);
  if (flags & MH_RUN_LOOP_EPOCH)
    {
      MhTrainerEvent *e;
      flush (w);
      e = event_new (w, MH_TRAINER_EVENT_EPOCH);
      e->validation = dup_figures (loop->validation, r->model->n_heads);
      post_event (w, e);
      post_warning (w);
    }
  if (flags & MH_RUN_LOOP_FINISHED)
    end_run (w, MH_TRAINER_FINISHED, NULL, -1, dup_figures (loop->test, r->model->n_heads));
  else if (g_get_monotonic_time () - w->last_post >= w->interval_us)
    flush (w);
  if (flags & MH_RUN_LOOP_EPOCH)   /* validation and writing are not the next interval's */
    w->last_post = MAX (w->last_post, t0);
}

static gboolean
active (const Worker *w)
{
  return w->loop != NULL && (w->state == MH_TRAINER_RUNNING || w->state == MH_TRAINER_PAUSED);
}

static void
cmd_free (Cmd *c)
{
  if (c->project != NULL)
    mh_project_free (c->project);
  g_free (c->data_dir);
  g_free (c->project_file);
  g_free (c->runs_dir);
  g_free (c->branch_run);
  g_free (c->model_run);
  g_free (c);
}

static void
answer_call (Worker *w, Cmd *c)
{
  Delivery *d = g_new0 (Delivery, 1);

  d->data = c->data;
  d->destroy = c->destroy;
  if (c->kind == CMD_CALL)
    {
      d->done = c->done;
      d->result = c->work != NULL ? c->work (training (w), c->data) : NULL;
    }
  else
    {
      MhTrainerModel model = { c->model_run, c->model_epoch };
      MhTraining *t = _mh_trainer_model (w, c->model_run != NULL ? &model : NULL, &d->error);
      d->reply = c->reply;
      if (c->user_work != NULL && t != NULL)
        d->result = c->user_work (t, c->data, &d->error);
      else if (c->work_at != NULL && (t != NULL || c->model_run == NULL))
        {
          /* without a run some requests need no model (the test split) */
          g_clear_error (&d->error);
          d->result = c->work_at (w, t, c->data, &d->error);
        }
    }
  post (w, d);
}

/* FALSE: quit. */
static gboolean
handle (Worker *w, Cmd *c)
{
  MhTraining *r = training (w);

  switch (c->kind)
    {
    case CMD_START:
      start_run (w, c);
      break;
    case CMD_PAUSE:
      if (active (w) && w->state == MH_TRAINER_RUNNING)
        {
          flush (w);
          mh_run_loop_set_paused (w->loop, TRUE);
          post_state (w, MH_TRAINER_PAUSED, NULL, -1, NULL);
        }
      break;
    case CMD_RESUME:
      if (active (w) && w->state == MH_TRAINER_PAUSED)
        {
          mh_run_loop_set_paused (w->loop, FALSE);
          post_state (w, MH_TRAINER_RUNNING, NULL, -1, NULL);
        }
      break;
    case CMD_STOP:
      if (active (w))
        end_run (w, MH_TRAINER_STOPPED, NULL, -1, NULL);
      break;
    case CMD_STEP:
      if (active (w) && w->state == MH_TRAINER_PAUSED && !stop_requested (w))
        {
          train_one (w);
          flush (w);
        }
      break;
    case CMD_SET_WEIGHT:
      if (r != NULL && c->head >= 0 && c->head < r->model->n_heads)
        mh_balance_set_fixed_weight (r->balance, c->head, (float) c->value);
      break;
    case CMD_SET_LR:
      if (r != NULL)
        mh_optim_set_base_lr (r->optim, c->value);
      break;
    case CMD_SET_METHOD:
      if (r != NULL)
        mh_balance_set_method (r->balance, (MhBalanceMethod) c->head);
      break;
    case CMD_CALL:
    case CMD_CALL_AT:
      answer_call (w, c);
      break;
    case CMD_FORGET:
      /* another project: its run stops (recorded), its model and views go */
      flush (w);
      g_clear_pointer (&w->loop, mh_run_loop_free);
      g_clear_pointer (&w->store, mh_run_store_free);
      _mh_trainer_view_clear (w);
      w->state = MH_TRAINER_IDLE;
      break;
    case CMD_QUIT:
    default:
      return FALSE;
    }
  return TRUE;
}

static gpointer
worker_main (gpointer data)
{
  MhTrainer *self = data;
  Worker *w = &self->worker;
  /* not the default context: g_main_context_invoke_full() must never run
   * the main thread's callbacks here */
  GMainContext *own = g_main_context_new ();

  g_main_context_push_thread_default (own);
  for (;;)
    {
      gboolean busy = active (w) && w->state == MH_TRAINER_RUNNING;
      Cmd *c;

      GLIB_INTERNALS_BEGIN ();
      c = busy ? g_async_queue_try_pop (self->queue) : g_async_queue_pop (self->queue);
      GLIB_INTERNALS_END ();

      if (c != NULL)
        {
          gboolean go_on;
          HANDOFF_ACQUIRE (c);
          go_on = handle (w, c);
          cmd_free (c);
          if (!go_on)
            break;
          continue;
        }
      if (stop_requested (w))
        end_run (w, MH_TRAINER_STOPPED, NULL, -1, NULL);
      else
        train_one (w);
    }
  g_clear_pointer (&w->loop, mh_run_loop_free);   /* a run still going is recorded as stopped */
  g_clear_pointer (&w->store, mh_run_store_free);
  _mh_trainer_view_clear (w);
  g_clear_pointer (&w->data, mh_splits_free);
  g_clear_pointer (&w->data_spec, g_free);
  g_clear_pointer (&w->data_dir, g_free);
  mh_step_rows_clear (&w->rows);
  g_main_context_pop_thread_default (own);
  g_main_context_unref (own);
  return NULL;
}

/* ---- the main thread's side ------------------------------------------------ */

static void
push (MhTrainer *self, Cmd *c)
{
  HANDOFF_RELEASE (c);
  GLIB_INTERNALS_BEGIN ();
  g_async_queue_push (self->queue, c);
  GLIB_INTERNALS_END ();
}

static Cmd *
cmd_new (CmdKind kind)
{
  Cmd *c = g_new0 (Cmd, 1);

  c->kind = kind;
  return c;
}

MhTrainer *
mh_trainer_new (GMainContext *context, MhTrainerFunc func, gpointer user_data, GDestroyNotify destroy)
{
  MhTrainer *self = g_new0 (MhTrainer, 1);
  EventSink *sink = g_new0 (EventSink, 1);

  sink->ref_count = 1;
  sink->context = context != NULL ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  sink->trainer = self;
  sink->func = func;
  sink->user_data = user_data;
  sink->destroy = destroy;
  self->sink = sink;
  self->queue = g_async_queue_new ();
  self->worker.trainer = self;
  self->thread = g_thread_new ("mh-trainer", worker_main, self);
  return self;
}

void
mh_trainer_free (MhTrainer *self)
{
  if (self == NULL)
    return;
  g_atomic_int_set (&self->stop_generation, G_MAXINT);
  push (self, cmd_new (CMD_QUIT));
  g_thread_join (self->thread);
  self->sink->trainer = NULL;   /* events still queued are dropped */
  if (self->sink->destroy != NULL)
    self->sink->destroy (self->sink->user_data);
  self->sink->destroy = NULL;
  sink_unref (self->sink);
  g_async_queue_unref (self->queue);
  g_free (self);
}

guint
mh_trainer_start (MhTrainer *self, const MhProject *project, const MhTrainerOptions *options)
{
  Cmd *c = cmd_new (CMD_START);
  guint generation;

  g_return_val_if_fail (self != NULL && project != NULL, 0);

  c->generation = generation = (guint) g_atomic_int_add (&self->generation, 1) + 1;
  c->project = mh_project_copy (project);
  if (options != NULL)
    c->options = *options;
  c->data_dir = g_strdup (c->options.data_dir);
  c->project_file = g_strdup (c->options.project_file);
  c->runs_dir = g_strdup (c->options.runs_dir);
  c->branch_run = g_strdup (c->options.branch_run);
  c->options.data_dir = c->options.project_file = c->options.runs_dir = c->options.branch_run = NULL;
  self->state = MH_TRAINER_LOADING;
  push (self, c);   /* the worker owns c from here */
  return generation;
}

void
mh_trainer_pause (MhTrainer *self)
{
  push (self, cmd_new (CMD_PAUSE));
}

void
mh_trainer_resume (MhTrainer *self)
{
  push (self, cmd_new (CMD_RESUME));
}

void
mh_trainer_stop (MhTrainer *self)
{
  g_atomic_int_set (&self->stop_generation, g_atomic_int_get (&self->generation));
  push (self, cmd_new (CMD_STOP));
}

void
mh_trainer_forget (MhTrainer *self)
{
  /* a new generation: every event of the old run is dropped from now on */
  gint old = g_atomic_int_add (&self->generation, 1);

  g_atomic_int_set (&self->stop_generation, old);
  self->state = MH_TRAINER_IDLE;
  push (self, cmd_new (CMD_FORGET));
}

void
mh_trainer_step (MhTrainer *self)
{
  push (self, cmd_new (CMD_STEP));
}

void
mh_trainer_set_head_weight (MhTrainer *self, int head, double weight)
{
  Cmd *c = cmd_new (CMD_SET_WEIGHT);

  c->head = head;
  c->value = weight;
  push (self, c);
}

void
mh_trainer_set_lr (MhTrainer *self, double lr)
{
  Cmd *c = cmd_new (CMD_SET_LR);

  c->value = lr;
  push (self, c);
}

void
mh_trainer_set_method (MhTrainer *self, MhBalanceMethod method)
{
  Cmd *c = cmd_new (CMD_SET_METHOD);

  c->head = (int) method;
  push (self, c);
}

void
mh_trainer_call (MhTrainer *self, MhTrainerWork work, MhTrainerDone done, gpointer data,
                 GDestroyNotify destroy)
{
  Cmd *c = cmd_new (CMD_CALL);

  c->work = work;
  c->done = done;
  c->data = data;
  c->destroy = destroy;
  push (self, c);
}

void
_mh_trainer_push_call (MhTrainer *self, const MhTrainerModel *model, MhTrainerWorkerFunc work,
                       MhTrainerReply reply, gpointer data, GDestroyNotify destroy)
{
  Cmd *c = cmd_new (CMD_CALL_AT);

  c->work_at = work;
  c->reply = reply;
  c->data = data;
  c->destroy = destroy;
  if (model != NULL && model->run_dir != NULL)
    {
      c->model_run = g_strdup (model->run_dir);
      c->model_epoch = model->epoch;
    }
  push (self, c);
}

void
mh_trainer_call_at (MhTrainer *self, const MhTrainerModel *model, MhTrainerWorkAt work, MhTrainerReply reply,
                    gpointer data, GDestroyNotify destroy)
{
  Cmd *c = cmd_new (CMD_CALL_AT);

  c->user_work = work;
  c->reply = reply;
  c->data = data;
  c->destroy = destroy;
  if (model != NULL && model->run_dir != NULL)
    {
      c->model_run = g_strdup (model->run_dir);
      c->model_epoch = model->epoch;
    }
  push (self, c);
}

guint
mh_trainer_get_generation (MhTrainer *self)
{
  return (guint) g_atomic_int_get (&self->generation);
}


gboolean
mh_trainer_state_is_active (MhTrainerState state)
{
  return state == MH_TRAINER_LOADING || state == MH_TRAINER_RUNNING || state == MH_TRAINER_PAUSED;
}

gboolean
mh_trainer_is_active (MhTrainer *self)
{
  return mh_trainer_state_is_active (self->state);
}
