/* mh-run-recorder.c — a run written while it trains (mh-run-recorder.h). */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "mh-blas.h"
#include "mh-checkpoint.h"
#include "mh-json.h"
#include "mh-run-recorder.h"

struct _MhRunRecorder
{
  MhRun      *run;
  MhRunLock  *lock;
  MhTrainLog *log;
  char       *warning;
  gboolean    ended;
  gint64      samples0;   /* the samples trained on before (a resumed or branched run) */
};

static void
warn (MhRunRecorder *rec, const char *what, const GError *error)
{
  char *note = g_strdup_printf ("%s: %s", what, error->message);

  /* a disk that stays full fails every epoch the same way: said once */
  for (guint i = 0; i < rec->run->notes->len; i++)
    if (g_str_equal (g_ptr_array_index (rec->run->notes, i), note))
      {
        g_free (note);
        return;
      }
  g_ptr_array_add (rec->run->notes, g_strdup (note));
  g_free (rec->warning);
  rec->warning = note;
}

/* A rename or pin made meanwhile by someone else wins. */
static void
keep_edits (MhRun *run)
{
  g_autofree char *path = g_build_filename (run->dir, "run.json", NULL);
  g_autoptr (JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *o;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  parser = mh_json_load_file (path, _("run record"), MH_JSON_MAX_FILE, NULL);
  root = parser != NULL ? json_parser_get_root (parser) : NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  o = json_node_get_object (root);
  g_free (run->name);
  run->name = g_strdup (json_object_get_string_member_with_default (o, "name", NULL));
  run->pinned = json_object_get_boolean_member_with_default (o, "pinned", FALSE);
}

static void
save_record (MhRunRecorder *rec)
{
  g_autoptr (GError) error = NULL;

  keep_edits (rec->run);
  if (!mh_run_save (rec->run, &error))
    warn (rec, _("the record (run.json) was not updated"), error);
}

static void
save_metrics (MhRunRecorder *rec)
{
  g_autofree char *path = g_build_filename (rec->run->dir, "metrics.csv", NULL);
  g_autoptr (GError) error = NULL;

  if (!mh_train_log_save_csv (rec->log, path, &error))
    warn (rec, _("the metrics (metrics.csv) were not written"), error);
}

static void
set_figures (MhHeadMetrics **slot, const MhHeadMetrics *m, int n)
{
  g_clear_pointer (slot, g_free);
  if (m != NULL)
    *slot = g_memdup2 (m, sizeof (MhHeadMetrics) * MAX (n, 1));
}

static void
update (MhRunRecorder *rec, const MhTraining *t, double train_seconds)
{
  MhRun *run = rec->run;

  run->steps = t->step;
  run->train_seconds = train_seconds;
  run->samples_per_s = train_seconds > 0 ? (double) (t->samples - rec->samples0) / train_seconds : 0;
  run->balancing = (g_free (run->balancing), g_strdup (mh_balance_method_name (t->balance->method)));
}

/* A checkpoint now, recorded with its size (a file of another size later
 * was cut short). */
static void
checkpoint (MhRunRecorder *rec, MhTraining *t, gboolean at_stop)
{
  MhRunCheckpoint c = { 0 };
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  c.epoch = t->epoch;
  c.step = t->step;
  c.at_stop = at_stop;
  c.file = at_stop ? g_strdup_printf ("step-%d.safetensors", t->step) : g_strdup_printf ("epoch-%d.safetensors", t->epoch);
  path = g_build_filename (rec->run->dir, c.file, NULL);
  if (!mh_training_save_checkpoint (t, path, NAN, &error))
    {
      g_autofree char *what = g_strdup_printf (_("the checkpoint of %s %d was not written"), at_stop ? "step" : "epoch",
                                               at_stop ? t->step : t->epoch);
      warn (rec, what, error);
      g_free (c.file);
      return;
    }
  c.bytes = g_stat (path, &st) == 0 ? st.st_size : 0;
  g_array_append_val (rec->run->checkpoints, c);
}

MhRunRecorder *
mh_run_recorder_new (const MhRunStore *store, const MhTraining *t, const MhRunRecorderInfo *info, GError **error)
{
  MhRunLock *lock = NULL;
  g_autofree char *dir = mh_run_store_create (store, &lock, error);
  MhRunRecorder *rec;
  const MhModel *m = t->model;
  const MhProject *p = t->project;
  g_autofree char **names = NULL;
  g_autofree MhFieldKind *kinds = NULL;
  MhRun *run;
  gsize len;

  if (dir == NULL)
    return NULL;
  rec = g_new0 (MhRunRecorder, 1);
  rec->lock = lock;
  rec->run = run = mh_run_new (dir);
  run->state = MH_RUN_RUNNING;
  run->project_json = mh_project_to_data (p, &len);
  run->project_file = g_strdup (info->project_file);
  run->project_name = g_strdup (p->name);
  run->seed = p->seed;
  run->threads = info->threads;
  run->batch = p->batch;
  run->started = g_get_real_time () / G_USEC_PER_SEC;
  run->parent_id = g_strdup (info->parent_id);
  run->parent_epoch = info->parent_id ? info->parent_epoch : -1;
  run->parent_step = info->parent_id ? info->parent_step : -1;
  run->total_steps = info->total_steps;
  run->steps_per_epoch = t->steps_per_epoch;
  run->epochs = (info->total_steps + t->steps_per_epoch - 1) / MAX (1, t->steps_per_epoch);
  run->blas_core = g_strdup (mh_blas_core ());
  run->n_heads = m->n_heads;
  run->heads = g_new0 (MhRunHead, MAX (1, m->n_heads));
  names = g_new0 (char *, m->n_heads + 1);
  kinds = g_new0 (MhFieldKind, MAX (1, m->n_heads));
  for (int h = 0; h < m->n_heads; h++)
    {
      run->heads[h].name = g_strdup (m->heads[h].name);
      run->heads[h].kind = kinds[h] = m->heads[h].field_kind;
      names[h] = m->heads[h].name;
    }
  rec->samples0 = t->samples;
  rec->log = mh_train_log_new_for_heads ((const char *const *) names, kinds, m->n_heads);
  update (rec, t, 0);
  if (!mh_run_save (run, error))
    {
      mh_run_lock_release (rec->lock);
      g_rmdir (dir);
      mh_run_unref (run);
      mh_train_log_free (rec->log);
      g_free (rec);
      return NULL;
    }
  return rec;
}

const MhRun *
mh_run_recorder_get_run (const MhRunRecorder *rec)
{
  return rec->run;
}

const MhTrainLog *
mh_run_recorder_get_log (const MhRunRecorder *rec)
{
  return rec->log;
}

void
mh_run_recorder_step (MhRunRecorder *rec, const MhStepRows *row)
{
  mh_train_log_add_rows (rec->log, row);
}

void
mh_run_recorder_epoch (MhRunRecorder *rec, MhTraining *t, const MhHeadMetrics *validation, double train_seconds)
{
  mh_train_log_set_validation (rec->log, t->step, validation);
  set_figures (&rec->run->validation, validation, rec->run->n_heads);
  update (rec, t, train_seconds);
  checkpoint (rec, t, FALSE);
  save_metrics (rec);
  save_record (rec);
}

void
mh_run_recorder_set_state (MhRunRecorder *rec, MhRunState state)
{
  if (rec->ended || rec->run->state == state)
    return;
  rec->run->state = state;
  save_record (rec);
}

void
mh_run_recorder_end (MhRunRecorder *rec, MhTraining *t, MhRunState state, const char *message,
                     const MhHeadMetrics *test, double train_seconds)
{
  MhRun *run = rec->run;

  if (rec->ended)
    return;
  rec->ended = TRUE;
  if (t != NULL)
    {
      update (rec, t, train_seconds);
      /* ended within an epoch (stopped, or --steps): where it ended (a
       * failed run's weights are the last finite ones: nothing goes on from them) */
      if (state != MH_RUN_FAILED && t->pos != 0 && t->step > 0)
        checkpoint (rec, t, TRUE);
    }
  set_figures (&run->test, test, run->n_heads);
  run->state = state;
  g_free (run->message);
  run->message = g_strdup (message);
  run->ended = g_get_real_time () / G_USEC_PER_SEC;
  save_metrics (rec);
  save_record (rec);
  /* nothing more is written: the run may be renamed, pinned or deleted while
   * the trainer keeps its model (the window's Runs page) */
  g_clear_pointer (&rec->lock, mh_run_lock_release);
}

char *
mh_run_recorder_take_warning (MhRunRecorder *rec)
{
  return g_steal_pointer (&rec->warning);
}

void
mh_run_recorder_free (MhRunRecorder *rec)
{
  if (rec == NULL)
    return;
  if (!rec->ended)
    mh_run_recorder_end (rec, NULL, MH_RUN_STOPPED, NULL, NULL, rec->run->train_seconds);
  g_clear_pointer (&rec->lock, mh_run_lock_release);
  mh_run_unref (rec->run);
  mh_train_log_free (rec->log);
  g_free (rec->warning);
  g_free (rec);
}
