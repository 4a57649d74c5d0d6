/* mh-run-loop.c — the one training loop (mh-run-loop.h). */
#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "mh-error.h"
#include "mh-run-loop.h"
#include "mh-schema.h"
#include "mh-weights.h"

char *
mh_project_resolve_path (const char *project_file, const char *path, GError **error)
{
  g_autofree char *dir = NULL;

  if (path == NULL || g_path_is_absolute (path))
    return g_strdup (path);
  if (project_file == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("'%s' is relative to the project file's folder, and the "
                   "project is not saved yet: save it first, or give the full path"), path);
      return NULL;
    }
  dir = g_path_get_dirname (project_file);
  return g_build_filename (dir, path, NULL);
}

/* ---- starting ------------------------------------------------------------------ */

/* From the backbone of another project's weights (the project's "transfer"). */
static gboolean
transfer (MhRunLoop *loop, const char *where, const char *project_file, GError **error)
{
  const MhProject *p = loop->project;
  g_autofree char *path = NULL;
  int loaded = 0;

  if (p->transfer_weights == NULL)
    return TRUE;
  path = mh_project_resolve_path (project_file, p->transfer_weights, error);
  if (path == NULL || !mh_model_load_backbone (loop->training->model, path, p->transfer_layers, &loaded, error))
    {
      g_prefix_error (error, "%s: transfer: ", where);
      return FALSE;
    }
  if (p->transfer_layers > 0)
    loop->note = g_strdup_printf (_("transfer: %d backbone tensors (the first %d layers) from %s"), loaded,
                                  p->transfer_layers, path);
  else
    loop->note = g_strdup_printf (_("transfer: %d backbone tensors (the whole backbone) from %s"), loaded, path);
  return TRUE;
}

/* A branch's parent: its checkpoint and project. */
static MhCheckpoint *
branch_checkpoint (const MhRunLoopOptions *o, MhProject **parent, GError **error)
{
  g_autofree char *path = mh_run_checkpoint_path (o->branch, o->branch_epoch, error);
  MhCheckpoint *ck;

  if (path == NULL)
    return NULL;
  if (!(*parent = mh_run_dup_project (o->branch, error)))
    return NULL;
  if (!(ck = mh_checkpoint_read (path, error)))
    g_clear_pointer (parent, mh_project_free);
  return ck;
}

static gboolean
start (MhRunLoop *loop, const MhRunLoopOptions *o, const MhCheckpoint *branch_ck, const MhProject *parent,
       const char *where, GError **error)
{
  MhTraining *t = loop->training;

  if (o->resume != NULL)
    {
      if (!mh_training_restore (t, o->resume, error))
        return FALSE;
      loop->note = g_strdup_printf (_("resuming %s at step %d (epoch %d, sample %d)"), o->resume->path, t->step,
                                    t->epoch + 1, t->pos);
    }
  else if (branch_ck != NULL)
    {
      int fresh = 0;
      g_autofree char *title = mh_run_dup_title (o->branch);
      if (!mh_training_restore_branch (t, branch_ck, parent, &fresh, error))
        return FALSE;
      loop->note = fresh > 0
                   ? g_strdup_printf (_("branch of %s at epoch %d (step %d); %d new tensors start afresh"), title,
                                      o->branch_epoch, t->step, fresh)
                   : g_strdup_printf (_("branch of %s at epoch %d (step %d)"), title, o->branch_epoch, t->step);
    }
  else if (!transfer (loop, where, o->project_file, error))
    return FALSE;
  if (t->step >= loop->total_steps)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: nothing left to train: the run starts at step %d and "
                   "%d steps are planned (ask for more epochs)"), where, t->step, loop->total_steps);
      return FALSE;
    }
  return TRUE;
}

static void
record (MhRunLoop *loop, const MhRunLoopOptions *o)
{
  MhRunRecorderInfo info = { o->project_file, loop->total_steps, loop->training->n_lanes, NULL, -1, -1 };
  g_autoptr (GError) error = NULL;

  if (o->branch != NULL)
    {
      info.parent_id = o->branch->id;
      info.parent_epoch = o->branch_epoch;
      info.parent_step = loop->training->step;
    }
  {
    gint64 r0 = g_get_monotonic_time ();
    loop->recorder = mh_run_recorder_new (o->store, loop->training, &info, &error);
    loop->record_seconds += (g_get_monotonic_time () - r0) / 1e6;
  }
  if (loop->recorder == NULL)
    loop->warning = g_strdup_printf (_("the run is not recorded: %s"), error->message);
}

MhRunLoop *
mh_run_loop_new (const MhProject *p, const MhSplits *data, const MhRunLoopOptions *o, GError **error)
{
  const char *where = o->project_file != NULL ? o->project_file : p->name;
  g_autoptr (MhRunLoop) loop = g_new0 (MhRunLoop, 1);
  g_autoptr (MhCheckpoint) branch_ck = NULL;
  g_autoptr (MhProject) parent = NULL;
  int threads = o->threads > 0 ? o->threads : MAX (1, (int) g_get_num_processors ());
  int per_epoch;

  loop->project = mh_project_copy (p);
  loop->data = data;
  loop->best_loss = NAN;
  loop->ended = TRUE;   /* until it has started: nothing to record */
  if (o->resume != NULL)
    {
      loop->project->seed = o->resume->seed;
      loop->best_loss = o->resume->best_loss;
    }
  if (o->branch != NULL)
    {
      if (!(branch_ck = branch_checkpoint (o, &parent, error)))
        return NULL;
      loop->project->seed = branch_ck->seed;   /* the parent's shuffling and dropout go on */
    }
  if (data->train->n == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the training split is empty"), where);
      return NULL;
    }
  per_epoch = (data->train->n + loop->project->batch - 1) / MAX (1, loop->project->batch);
  loop->total_steps = o->total_steps > 0 ? o->total_steps : loop->project->epochs * per_epoch;
  if (loop->total_steps <= 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: nothing to train: the project asks for 0 epochs"), where);
      return NULL;
    }
  loop->training = mh_training_new (loop->project, data, loop->total_steps, threads, where, error);
  if (loop->training == NULL || !start (loop, o, branch_ck, parent, where, error))
    return NULL;
  loop->samples0 = loop->training->samples;
  loop->checkpoint_dir = g_strdup (o->checkpoint_dir);
  loop->test_mid_epoch = o->test_mid_epoch;
  mh_step_rows_reset (&loop->row, loop->training->model->n_heads);
  loop->ended = FALSE;
  if (o->store != NULL)
    record (loop, o);
  return g_steal_pointer (&loop);
}

/* ---- training ------------------------------------------------------------------ */

static void
take_warning (MhRunLoop *loop)
{
  char *w = loop->recorder != NULL ? mh_run_recorder_take_warning (loop->recorder) : NULL;

  if (w != NULL)
    {
      g_free (loop->warning);
      loop->warning = w;
    }
}

/* DIR/latest, and DIR/best when the validation loss (Σ weight·loss over
 * the heads) is the lowest yet (train --checkpoints). */
static void
save_checkpoints (MhRunLoop *loop, const MhHeadMetrics *val)
{
  MhTraining *t = loop->training;
  g_autofree char *latest = g_build_filename (loop->checkpoint_dir, "latest.safetensors", NULL);
  g_autofree char *best = g_build_filename (loop->checkpoint_dir, "best.safetensors", NULL);
  g_autoptr (GError) error = NULL;
  double loss = val != NULL ? 0 : NAN;
  gboolean ok = TRUE;

  for (int h = 0; val != NULL && h < t->model->n_heads; h++)
    loss += t->balance->fixed[h] * val[h].loss;
  if (g_mkdir_with_parents (loop->checkpoint_dir, 0755) != 0)
    {
      int e = errno;
      g_set_error (&error, MH_ERROR, MH_ERROR_IO, _("%s: cannot make the folder: %s"), loop->checkpoint_dir,
                   g_strerror (e));
      ok = FALSE;
    }
  if (ok && isfinite (loss) && (isnan (loop->best_loss) || loss < loop->best_loss))
    {
      loop->best_loss = loss;
      ok = mh_training_save_checkpoint (t, best, loop->best_loss, &error);
    }
  if (ok)
    ok = mh_training_save_checkpoint (t, latest, loop->best_loss, &error);
  if (!ok)
    {
      g_free (loop->warning);
      loop->warning = g_strdup_printf (_("a checkpoint was not written: %s"), error->message);
    }
}

guint
mh_run_loop_step (MhRunLoop *loop, GError **error)
{
  MhTraining *t = loop->training;
  const MhSplits *data = loop->data;
  g_autoptr (GError) step_error = NULL;
  gint64 samples = t->samples, t0 = g_get_monotonic_time ();
  guint flags = MH_RUN_LOOP_STEP;

  g_return_val_if_fail (!loop->ended, 0);
  if (!mh_training_step (t, &step_error))
    {
      loop->train_seconds += (g_get_monotonic_time () - t0) / 1e6;
      mh_run_loop_end (loop, MH_RUN_FAILED, step_error->message);
      g_propagate_error (error, g_steal_pointer (&step_error));
      return 0;
    }
  loop->train_seconds += (g_get_monotonic_time () - t0) / 1e6;
  loop->last_batch = (int) (t->samples - samples);
  mh_step_rows_reset (&loop->row, t->model->n_heads);
  mh_step_rows_add (&loop->row, t, loop->last_batch);
  if (loop->recorder != NULL)
    {
      gint64 r0 = g_get_monotonic_time ();
      mh_run_recorder_step (loop->recorder, &loop->row);
      loop->record_seconds += (g_get_monotonic_time () - r0) / 1e6;
      loop->record_step_seconds += (g_get_monotonic_time () - r0) / 1e6;
    }
  if (mh_training_epoch_done (t))
    {
      flags |= MH_RUN_LOOP_EPOCH;
      if (data->validation->n > 0)
        {
          loop->validation = g_renew (MhHeadMetrics, loop->validation, t->model->n_heads);
          mh_training_evaluate (t, data->validation, loop->validation);
        }
      if (loop->recorder != NULL)
        {
          gint64 r0 = g_get_monotonic_time ();
          mh_run_recorder_epoch (loop->recorder, t, loop->validation, loop->train_seconds);
          loop->record_seconds += (g_get_monotonic_time () - r0) / 1e6;
        }
      if (loop->checkpoint_dir != NULL)
        save_checkpoints (loop, loop->validation);
      take_warning (loop);
    }
  if (t->step >= loop->total_steps)
    {
      flags |= MH_RUN_LOOP_FINISHED;
      if (data->test->n > 0 && (loop->test_mid_epoch || mh_training_epoch_done (t)))
        {
          loop->test = g_new0 (MhHeadMetrics, t->model->n_heads);   /* zeroed: compared with memcmp, padding included */
          mh_training_evaluate (t, data->test, loop->test);
        }
      mh_run_loop_end (loop, MH_RUN_FINISHED, NULL);
    }
  return flags;
}

gboolean
mh_run_loop_done (const MhRunLoop *loop)
{
  return loop->ended;
}

void
mh_run_loop_set_paused (MhRunLoop *loop, gboolean paused)
{
  if (loop->recorder != NULL && !loop->ended)
    mh_run_recorder_set_state (loop->recorder, paused ? MH_RUN_PAUSED : MH_RUN_RUNNING);
}

void
mh_run_loop_end (MhRunLoop *loop, MhRunState state, const char *message)
{
  MhTraining *t = loop->training;

  if (loop->ended)
    return;
  loop->ended = TRUE;
  /* within an epoch: where it stopped, to go on from */
  if (state != MH_RUN_FAILED && loop->checkpoint_dir != NULL && !mh_training_epoch_done (t) && t->step > 0)
    save_checkpoints (loop, NULL);
  if (loop->recorder != NULL)
    {
      g_autoptr (MhRunStore) store = NULL;
      g_autofree char *dir = g_path_get_dirname (mh_run_recorder_get_run (loop->recorder)->dir);
      gint64 r0 = g_get_monotonic_time ();
      mh_run_recorder_end (loop->recorder, t, state, message, state == MH_RUN_FINISHED ? loop->test : NULL,
                           loop->train_seconds);
      take_warning (loop);
      store = mh_run_store_new (dir);
      mh_run_store_apply_retention (store);
      loop->record_seconds += (g_get_monotonic_time () - r0) / 1e6;
      /* what recording cost the run (docs/testing.md: under 2 % of its training time) */
      g_debug ("run %s recorded: %.3f s (%.3f s of it the steps' rows), %.3f s training (%.2f %%)",
               mh_run_recorder_get_run (loop->recorder)->id, loop->record_seconds, loop->record_step_seconds,
               loop->train_seconds,
               100 * loop->record_seconds / MAX (1e-9, loop->train_seconds));
    }
}

void
mh_run_loop_free (MhRunLoop *loop)
{
  if (loop == NULL)
    return;
  if (loop->training != NULL)
    mh_run_loop_end (loop, MH_RUN_STOPPED, NULL);
  mh_run_recorder_free (loop->recorder);
  mh_training_free (loop->training);
  mh_project_free (loop->project);
  mh_step_rows_clear (&loop->row);
  g_free (loop->validation);
  g_free (loop->test);
  g_free (loop->note);
  g_free (loop->checkpoint_dir);
  g_free (loop->warning);
  g_free (loop);
}

const MhRun *
mh_run_loop_get_run (const MhRunLoop *loop)
{
  return loop->recorder != NULL ? mh_run_recorder_get_run (loop->recorder) : NULL;
}

char *
mh_run_loop_take_warning (MhRunLoop *loop)
{
  take_warning (loop);
  return g_steal_pointer (&loop->warning);
}
