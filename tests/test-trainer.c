/* test-trainer.c — the trainer thread: start, pause, resume, one step,
 * stop and restart a hundred times with no stale event and no gap in the
 * steps; a finished run's figures; a stopped run's model is usable; live
 * weights, balancing and learning rate; NaN; bad data; freeing while it
 * trains; the run's log as CSV.  No display.  tests/tsan.sh runs this
 * program under ThreadSanitizer. */
#include <math.h>
#include <string.h>
#include "mh-test-util.h"
#include "mh-train-log.h"
#include "mh-trainer.h"
#include "mh-weights.h"

static char *data_dir;

static const char *tiny_json =
  "{ \"format\": 1, \"name\": \"tiny\", \"dataset\": { \"kind\": \"fashion-mnist\", \"validation\": 64 },"
  "  \"backbone\": { \"kind\": \"mlp\", \"layers\": [ { \"type\": \"flatten\" },"
  "    { \"type\": \"dense\", \"units\": 16 }, { \"type\": \"relu\" } ] },"
  "  \"heads\": ["
  "    { \"name\": \"category\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] },"
  "    { \"name\": \"group\", \"target\": \"group\", \"layers\": [ { \"type\": \"dense\" } ] },"
  "    { \"name\": \"upper\", \"target\": \"upper\", \"weight\": 0.5, \"layers\": [ { \"type\": \"dense\" } ] } ],"
  "  \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.01 },"
  "  \"training\": { \"batch\": 16, \"epochs\": EPOCHS, \"seed\": 3 } }";

/* What the callback saw. */
typedef struct {
  MhTrainer      *trainer;
  MhTrainerState  state;
  guint           generation;    /* the events' */
  int             last_step;     /* of this generation */
  int             rows;
  int             epochs;
  int             started;
  int             delivered;
  gboolean        destroyed;
  MhTrainerEvent *last_state;
  MhTrainerEvent *last_progress;
  MhTrainLog     *log;
} Seen;

static void
seen_reset (Seen *s)
{
  g_clear_pointer (&s->last_state, mh_trainer_event_unref);
  g_clear_pointer (&s->last_progress, mh_trainer_event_unref);
  g_clear_pointer (&s->log, mh_train_log_free);
  s->last_step = s->rows = s->epochs = s->started = 0;
}

static void
on_event (MhTrainer *trainer, const MhTrainerEvent *e, gpointer data)
{
  Seen *s = data;

  s->delivered++;
  /* no event of an earlier run */
  g_assert_cmpuint (e->generation, ==, mh_trainer_get_generation (trainer));
  if (e->generation != s->generation)
    {
      seen_reset (s);
      s->generation = e->generation;
    }
  s->state = e->state;
  switch (e->kind)
    {
    case MH_TRAINER_EVENT_STARTED:
      s->started++;
      g_assert_cmpint (e->n_heads, ==, 3);
      g_assert_cmpstr (e->head_names[2], ==, "upper");
      s->log = mh_train_log_new (e);
      break;
    case MH_TRAINER_EVENT_PROGRESS:
      /* steps come in order, with no gap */
      for (int r = 0; r < e->n_rows; r++)
        {
          g_assert_cmpint (e->row_step[r], ==, s->last_step + 1);
          s->last_step = e->row_step[r];
        }
      g_assert_cmpint (e->step, ==, s->last_step);
      s->rows += e->n_rows;
      g_clear_pointer (&s->last_progress, mh_trainer_event_unref);
      s->last_progress = mh_trainer_event_ref ((MhTrainerEvent *) e);
      break;
    case MH_TRAINER_EVENT_EPOCH:
      s->epochs++;
      g_assert_cmpint (e->step, ==, s->last_step);
      break;
    case MH_TRAINER_EVENT_STATE:
    default:
      g_clear_pointer (&s->last_state, mh_trainer_event_unref);
      s->last_state = mh_trainer_event_ref ((MhTrainerEvent *) e);
      break;
    }
  if (s->log != NULL)
    mh_train_log_add (s->log, e);
}

static void
on_destroy (gpointer data)
{
  ((Seen *) data)->destroyed = TRUE;
}

static MhProject *
tiny_project (int epochs)
{
  g_autoptr(GString) json = g_string_new (tiny_json);
  g_autofree char *n = g_strdup_printf ("%d", epochs);
  g_autoptr(GError) error = NULL;
  MhProject *p;

  g_string_replace (json, "EPOCHS", n, 1);
  p = mh_project_load_data (json->str, -1, "tiny.mhproj", &error);

  g_assert_no_error (error);
  return p;
}

static MhTrainerOptions
options (void)
{
  MhTrainerOptions o = { 0 };

  o.threads = 1;
  o.data_dir = data_dir;
  o.event_interval_ms = 2;
  return o;
}

static MhTrainer *
new_trainer (Seen *s)
{
  memset (s, 0, sizeof *s);
  s->trainer = mh_trainer_new (NULL, on_event, s, on_destroy);
  return s->trainer;
}

static void
free_trainer (Seen *s)
{
  mh_trainer_free (s->trainer);
  g_assert_true (s->destroyed);
  seen_reset (s);
}

/* ---- start, pause, resume, step, stop, restart ------------------------------ */

static void
test_lifecycle (void)
{
  Seen s;
  MhTrainer *t = new_trainer (&s);
  g_autoptr(MhProject) p = tiny_project (1000);
  MhTrainerOptions o = options ();

  for (int i = 0; i < 100; i++)
    {
      guint gen = mh_trainer_start (t, p, &o);
      int paused_at;

      g_assert_true (mh_trainer_is_active (t));
      MH_TEST_WAIT_FOR (s.generation == gen && s.state == MH_TRAINER_RUNNING && s.last_step >= 2);
      mh_trainer_pause (t);
      MH_TEST_WAIT_FOR (s.state == MH_TRAINER_PAUSED);
      paused_at = s.last_step;
      g_assert_cmpint (s.last_state->step, ==, paused_at);
      mh_test_pump (3);
      g_assert_cmpint (s.last_step, ==, paused_at);   /* paused: no step */
      mh_trainer_step (t);
      MH_TEST_WAIT_FOR (s.last_step == paused_at + 1);
      g_assert_true (s.state == MH_TRAINER_PAUSED);
      mh_trainer_resume (t);
      MH_TEST_WAIT_FOR (s.state == MH_TRAINER_RUNNING && s.last_step > paused_at + 2);
      if (i % 3 == 0)
        continue;   /* the next start replaces a running run */
      mh_trainer_stop (t);
      if (i % 3 == 1)
        {
          MH_TEST_WAIT_FOR (s.state == MH_TRAINER_STOPPED);
          g_assert_false (mh_trainer_is_active (t));
        }
      /* else: restart at once; the stop's event may never be delivered */
    }
  /* a start and a stop before anything ran */
  mh_trainer_start (t, p, &o);
  mh_trainer_stop (t);
  MH_TEST_WAIT_FOR (s.state == MH_TRAINER_STOPPED || s.state == MH_TRAINER_FAILED);
  g_assert_cmpint (s.state, ==, MH_TRAINER_STOPPED);
  free_trainer (&s);
}

/* ---- a whole run ------------------------------------------------------------ */

static void
test_finish (void)
{
  Seen s;
  MhTrainer *t = new_trainer (&s);
  g_autoptr(MhProject) p = tiny_project (2);
  MhTrainerOptions o = options ();
  int steps_per_epoch = (256 - 64 + 15) / 16;
  double first = 0, last = 0;
  int col;

  mh_trainer_start (t, p, &o);
  MH_TEST_WAIT_FOR (s.state == MH_TRAINER_FINISHED || s.state == MH_TRAINER_FAILED);
  g_assert_cmpint (s.state, ==, MH_TRAINER_FINISHED);
  g_assert_cmpint (s.started, ==, 1);
  g_assert_cmpint (s.last_step, ==, 2 * steps_per_epoch);
  g_assert_cmpint (s.rows, ==, 2 * steps_per_epoch);
  g_assert_cmpint (s.epochs, ==, 2);
  g_assert_nonnull (s.last_state->test);
  g_assert_true (isfinite (s.last_state->test[0].loss));
  g_assert_cmpfloat (s.last_state->test[0].accuracy, >, 0.3);   /* 10 classes, an easy fake */
  g_assert_cmpint (s.last_state->total_steps, ==, 2 * steps_per_epoch);
  g_assert_cmpfloat (s.last_state->seconds_left, ==, 0);
  g_assert_cmpfloat (s.last_state->samples_per_s, >, 0);

  /* the log: every step, the loss going down, validation at each epoch's end */
  g_assert_cmpuint (mh_train_log_get_n_rows (s.log), ==, (guint) (2 * steps_per_epoch));
  col = mh_train_log_find_column (s.log, "category/loss");
  g_assert_cmpint (col, >=, 0);
  for (int r = 0; r < 3; r++)
    first += mh_train_log_get (s.log, r, col) / 3;
  for (int r = 2 * steps_per_epoch - 3; r < 2 * steps_per_epoch; r++)
    last += mh_train_log_get (s.log, r, col) / 3;
  g_assert_cmpfloat (last, <, first);
  col = mh_train_log_find_column (s.log, "group/val_accuracy");
  g_assert_true (isnan (mh_train_log_get (s.log, 0, col)));
  g_assert_true (isfinite (mh_train_log_get (s.log, steps_per_epoch - 1, col)));
  g_assert_true (isfinite (mh_train_log_get (s.log, 2 * steps_per_epoch - 1, col)));
  g_assert_cmpint (mh_train_log_find_column (s.log, "cos/category/upper"), >=, 0);
  g_assert_cmpint (mh_train_log_find_column (s.log, "upper/weight"), >=, 0);
  free_trainer (&s);
}

/* ---- the CSV of a run -------------------------------------------------------- */

static void
test_csv (void)
{
  Seen s;
  MhTrainer *t = new_trainer (&s);
  g_autoptr(MhProject) p = tiny_project (1);
  MhTrainerOptions o = options ();
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *path = g_build_filename (data_dir, "run.csv", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows, n_cols;

  mh_trainer_start (t, p, &o);
  MH_TEST_WAIT_FOR (s.state == MH_TRAINER_FINISHED);
  n_rows = mh_train_log_get_n_rows (s.log);
  n_cols = mh_train_log_get_n_columns (s.log);
  g_assert_cmpuint (n_rows, ==, (guint) s.last_step);
  csv = mh_train_log_to_csv (s.log, NULL);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n_rows + 2);   /* header, rows, "" after the last \n */
  g_assert_true (g_str_has_prefix (lines[0], "step,epoch,total_loss,category/loss,category/accuracy,"));
  for (guint i = 0; i <= n_rows; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (cells), ==, n_cols);   /* a column per series */
      if (i > 0)
        g_assert_cmpint (atoi (cells[0]), ==, (int) i);        /* a row per step */
    }
  g_assert_cmpstr (lines[n_rows + 1], ==, "");
  g_assert_true (mh_train_log_save_csv (s.log, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_cmpstr (saved, ==, csv);
  free_trainer (&s);
}

/* ---- stopped mid-epoch: the model is usable ---------------------------------- */

typedef struct {
  int            pos;
  gboolean       finite;
  MhHeadMetrics  test[3];
  gboolean       saved;
  gboolean       reloaded;
} Check;

typedef struct {
  char   *path;    /* where the weights go */
  Check **out;
} CheckCall;

static void
check_call_free (gpointer data)
{
  CheckCall *call = data;

  g_free (call->path);
  g_free (call);
}

static gpointer
check_run (MhTraining *run, gpointer data)
{
  const char *path = ((CheckCall *) data)->path;
  Check *c = g_new0 (Check, 1);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (run);
  c->pos = run->pos;
  c->finite = TRUE;
  for (gsize i = 0; i < run->model->n_params; i++)
    c->finite = c->finite && isfinite (run->model->params[i]);
  mh_training_evaluate (run, run->data->test, c->test);
  c->saved = mh_model_save_weights (run->model, path, "tiny", &error);
  g_assert_no_error (error);
  {
    MhModel *copy = mh_model_new (run->project, run->data->train, 8, "tiny", &error);
    g_assert_no_error (error);
    c->reloaded = mh_model_load_weights (copy, path, &error)
                  && memcmp (copy->params, run->model->params, sizeof (float) * copy->n_params) == 0;
    g_assert_no_error (error);
    mh_model_free (copy);
  }
  return c;
}

static void
check_done (gpointer result, gpointer data)
{
  *((CheckCall *) data)->out = result;
}

static void
test_stop_usable (void)
{
  Seen s;
  MhTrainer *t = new_trainer (&s);
  g_autoptr(MhProject) p = tiny_project (1000);
  MhTrainerOptions o = options ();
  CheckCall *call = g_new0 (CheckCall, 1);
  Check *check = NULL;

  o.event_interval_ms = 1;
  mh_trainer_start (t, p, &o);
  MH_TEST_WAIT_FOR (s.last_step >= 17);   /* past the first epoch's 12 steps */
  mh_trainer_pause (t);
  MH_TEST_WAIT_FOR (s.state == MH_TRAINER_PAUSED);
  if (s.last_step % 12 == 0)       /* not at an epoch's end */
    {
      int step = s.last_step;
      mh_trainer_step (t);
      MH_TEST_WAIT_FOR (s.last_step == step + 1);
    }
  mh_trainer_stop (t);
  MH_TEST_WAIT_FOR (s.state == MH_TRAINER_STOPPED);
  g_assert_cmpint (s.last_state->step, ==, s.last_step);
  call->path = g_build_filename (data_dir, "stopped.safetensors", NULL);
  call->out = &check;
  mh_trainer_call (t, check_run, check_done, call, check_call_free);
  MH_TEST_WAIT_FOR (check != NULL);
  g_assert_cmpint (check->pos, >, 0);   /* mid-epoch */
  g_assert_true (check->finite);
  g_assert_true (isfinite (check->test[0].loss));
  g_assert_cmpfloat (check->test[0].accuracy, >, 0.2);
  g_assert_true (check->saved);
  g_assert_true (check->reloaded);
  g_free (check);
  free_trainer (&s);
}

/* ---- live hyper-parameters --------------------------------------------------- */

static void
test_live (void)
{
  Seen s;
  MhTrainer *t = new_trainer (&s);
  g_autoptr(MhProject) p = tiny_project (1000);
  MhTrainerOptions o = options ();
  int step;

  mh_trainer_start (t, p, &o);
  MH_TEST_WAIT_FOR (s.last_progress != NULL);
  g_assert_cmpfloat (s.last_progress->weight[2], ==, 0.5f);
  g_assert_cmpfloat_with_epsilon (s.last_progress->lr, 0.01, 1e-9);
  /* paused, the main thread sees the worker's step: the changes apply to the very next one */
  mh_trainer_pause (t);
  MH_TEST_WAIT_FOR (s.state == MH_TRAINER_PAUSED);
  mh_trainer_set_head_weight (t, 2, 0.25);
  mh_trainer_set_lr (t, 0.002);
  step = s.last_step;
  mh_trainer_step (t);
  MH_TEST_WAIT_FOR (s.last_step == step + 1);
  g_assert_cmpfloat (s.last_progress->weight[2], ==, 0.25f);
  g_assert_cmpfloat (s.last_progress->row_weight[(s.last_progress->n_rows - 1) * 3 + 2], ==, 0.25f);
  g_assert_cmpfloat_with_epsilon (s.last_progress->lr, 0.002, 1e-9);
  mh_trainer_set_method (t, MH_BALANCE_EQUAL);
  mh_trainer_step (t);
  MH_TEST_WAIT_FOR (s.last_step == step + 2);
  for (int h = 0; h < 3; h++)
    g_assert_cmpfloat_with_epsilon (s.last_progress->row_weight[(s.last_progress->n_rows - 1) * 3 + h], 1.0 / 3, 1e-6);
  g_assert_cmpint (s.last_progress->method, ==, MH_BALANCE_EQUAL);
  mh_trainer_resume (t);
  MH_TEST_WAIT_FOR (s.last_step > step + 4);
  /* the conflict figures: cosines in [-1, 1], a symmetric matrix */
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++)
      {
        double c = s.last_progress->cosine[a * 3 + b];
        g_assert_true (isfinite (c) && c >= -1.0001 && c <= 1.0001);
        g_assert_cmpfloat_with_epsilon (c, s.last_progress->cosine[b * 3 + a], 1e-9);
      }
  g_assert_cmpfloat (s.last_progress->grad_norm[0], >, 0);
  free_trainer (&s);
}

/* ---- failures ---------------------------------------------------------------- */

static void
test_nan (void)
{
  Seen s;
  MhTrainer *t = new_trainer (&s);
  g_autoptr(MhProject) p = tiny_project (50);
  MhTrainerOptions o = options ();

  g_free (p->optim.kind);
  p->optim.kind = g_strdup ("sgd");
  p->optim.lr = 1e30;
  mh_trainer_start (t, p, &o);
  MH_TEST_WAIT_FOR (s.state == MH_TRAINER_FAILED || s.state == MH_TRAINER_FINISHED);
  g_assert_cmpint (s.state, ==, MH_TRAINER_FAILED);
  g_assert_cmpint (s.last_state->bad_head, >=, 0);
  g_assert_nonnull (strstr (s.last_state->message, "step"));
  g_assert_nonnull (strstr (s.last_state->message, s.last_state->bad_head == 0 ? "category"
                            : s.last_state->bad_head == 1 ? "group" : "upper"));
  free_trainer (&s);
}

static void
test_bad_data (void)
{
  Seen s;
  MhTrainer *t = new_trainer (&s);
  g_autoptr(MhProject) p = tiny_project (1);
  MhTrainerOptions o = options ();

  o.data_dir = "/nonexistent/fashion";
  mh_trainer_start (t, p, &o);
  MH_TEST_WAIT_FOR (s.state == MH_TRAINER_FAILED);
  g_assert_nonnull (strstr (s.last_state->message, "/nonexistent/fashion"));
  g_assert_cmpint (s.started, ==, 0);
  free_trainer (&s);
}

/* ---- freeing while it trains --------------------------------------------------- */

static void
test_free_running (void)
{
  Seen s;
  MhTrainer *t = new_trainer (&s);
  g_autoptr(MhProject) p = tiny_project (1000);
  MhTrainerOptions o = options ();
  int delivered;

  mh_trainer_start (t, p, &o);
  MH_TEST_WAIT_FOR (s.last_step > 3);
  mh_trainer_free (t);   /* joins; events in flight are dropped */
  g_assert_true (s.destroyed);
  delivered = s.delivered;
  mh_test_pump (20);
  g_assert_cmpint (s.delivered, ==, delivered);
  seen_reset (&s);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  data_dir = mh_test_tmp_dir ();
  mh_test_write_fake_fashion (data_dir, 256, 96, 11);

  g_test_add_func ("/engine/trainer/lifecycle", test_lifecycle);
  g_test_add_func ("/engine/trainer/finish", test_finish);
  g_test_add_func ("/engine/trainer/csv", test_csv);
  g_test_add_func ("/engine/trainer/stop-usable", test_stop_usable);
  g_test_add_func ("/engine/trainer/live", test_live);
  g_test_add_func ("/engine/trainer/nan", test_nan);
  g_test_add_func ("/engine/trainer/bad-data", test_bad_data);
  g_test_add_func ("/engine/trainer/free-running", test_free_running);
  status = g_test_run ();
  mh_test_rm_rf (data_dir);
  g_free (data_dir);
  return status;
}
