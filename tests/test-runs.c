/* test-runs.c — runs kept on disk: a run recorded and read back (its
 * record, its metrics log, its checkpoints); the store's place; ids;
 * retention with pins and a size cap; trash and restore; a branch that
 * starts bit for bit where its parent was, and one with a head removed;
 * `train`'s loop and the trainer giving the same figures; runs in bad
 * shape (no record, a corrupt or newer one, a checkpoint cut short, a
 * killed recorder, a read-only folder) listed with the reason.  No display. */
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "mh-checkpoint.h"
#include "mh-run-loop.h"
#include "mh-test-util.h"
#include "mh-trainer.h"
#include "mh-weights.h"

static char *data_dir;
static MhSplits *splits;

#define PROJECT_JSON \
  "{ \"format\": 1, \"name\": \"tiny\", \"dataset\": { \"kind\": \"fashion-mnist\", \"validation\": 32 }," \
  "  \"backbone\": { \"kind\": \"mlp\", \"layers\": [ { \"type\": \"flatten\" }," \
  "    { \"type\": \"dense\", \"name\": \"fc\", \"units\": 12 }, { \"type\": \"relu\" }," \
  "    { \"type\": \"dropout\", \"rate\": 0.2 } ] }," \
  "  \"heads\": [" \
  "    { \"name\": \"category\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] }," \
  "    { \"name\": \"group\", \"target\": \"group\", \"weight\": 0.5, \"layers\": [ { \"type\": \"dense\" } ] } ]," \
  "  \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.01 }," \
  "  \"balancing\": { \"method\": \"uncertainty\" }," \
  "  \"training\": { \"batch\": 16, \"epochs\": 2, \"seed\": 5 } }"

static MhProject *
project (void)
{
  g_autoptr (GError) error = NULL;
  MhProject *p = mh_project_load_data (PROJECT_JSON, -1, "tiny.mhproj", &error);

  g_assert_no_error (error);
  return p;
}

/* A run of p trained to its end through the loop (what `train` does);
 * returns the loop, ended. */
static MhRunLoop *
train (const MhProject *p, const MhRunStore *store, const MhRun *branch, int branch_epoch)
{
  MhRunLoopOptions o = { 0 };
  g_autoptr (GError) error = NULL;
  MhRunLoop *loop;

  o.threads = 1;
  o.project_file = "tiny.mhproj";
  o.store = store;
  o.branch = branch;
  o.branch_epoch = branch_epoch;
  loop = mh_run_loop_new (p, splits, &o, &error);
  g_assert_no_error (error);
  while (!mh_run_loop_done (loop))
    {
      g_assert_cmpuint (mh_run_loop_step (loop, &error), !=, 0);
      g_assert_no_error (error);
    }
  return loop;
}

static MhRunStore *
new_store (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *runs = g_build_filename (dir, "tiny.runs", NULL);

  return mh_run_store_new (runs);
}

static void
free_store (MhRunStore *store)
{
  g_autofree char *parent = g_path_get_dirname (store->dir);

  mh_test_rm_rf (parent);
  mh_run_store_free (store);
}

/* ---- recorded and read back --------------------------------------------------- */

static void
test_record (void)
{
  MhRunStore *store = new_store ();
  g_autoptr (MhProject) p = project ();
  g_autoptr (MhRunLoop) loop = train (p, store, NULL, 0);
  g_autoptr (GPtrArray) runs = mh_run_store_list (store);
  g_autoptr (MhTrainLog) log = NULL;
  g_autoptr (MhProject) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ck_path = NULL;
  g_autoptr (MhCheckpoint) ck = NULL;
  const MhTrainLog *recorded;
  MhRun *run;
  int per_epoch = loop->training->steps_per_epoch, col;

  g_assert_cmpuint (runs->len, ==, 1);
  run = runs->pdata[0];
  if (run->problem != NULL)
    g_test_message ("%s", run->problem);
  g_assert_cmpstr (run->id, ==, "1");
  g_assert_cmpint (run->state, ==, MH_RUN_FINISHED);
  g_assert_null (run->problem);
  g_assert_false (run->interrupted);
  g_assert_cmpuint (run->seed, ==, 5);
  g_assert_cmpint (run->threads, ==, 1);
  g_assert_cmpint (run->steps, ==, 2 * per_epoch);
  g_assert_cmpint (run->total_steps, ==, 2 * per_epoch);
  g_assert_cmpint (run->epochs, ==, 2);
  g_assert_cmpint (mh_run_epochs_done (run), ==, 2);
  g_assert_cmpstr (run->balancing, ==, "uncertainty");
  g_assert_cmpstr (run->project_name, ==, "tiny");
  g_assert_cmpint (run->started, >, 0);
  g_assert_cmpint (run->ended, >=, run->started);
  g_assert_null (run->parent_id);
  g_assert_cmpint (run->n_heads, ==, 2);
  g_assert_cmpstr (run->heads[1].name, ==, "group");
  /* the final figures are the loop's */
  g_assert_nonnull (run->validation);
  g_assert_nonnull (run->test);
  g_assert_cmpfloat_with_epsilon (run->test[0].accuracy, loop->test[0].accuracy, 1e-12);
  g_assert_cmpfloat_with_epsilon (run->validation[1].loss, loop->validation[1].loss, 1e-9);
  g_assert_cmpint (run->test[0].n, ==, splits->test->n);
  /* the project as trained */
  back = mh_run_dup_project (run, &error);
  g_assert_no_error (error);
  g_assert_true (mh_run_trained_project (run, p));
  g_free (g_array_index (p->heads, MhHeadSpec, 1).name);
  g_array_index (p->heads, MhHeadSpec, 1).name = g_strdup ("kind");
  g_assert_false (mh_run_trained_project (run, p));
  /* a checkpoint per epoch, whole, that resumes */
  g_assert_cmpuint (run->checkpoints->len, ==, 2);
  for (int e = 1; e <= 2; e++)
    {
      const MhRunCheckpoint *c = mh_run_find_checkpoint (run, e);
      g_assert_nonnull (c);
      g_assert_null (c->problem);
      g_assert_cmpint (c->step, ==, e * per_epoch);
      g_assert_cmpint (c->bytes, >, 0);
    }
  ck_path = mh_run_checkpoint_path (run, 1, &error);
  g_assert_no_error (error);
  ck = mh_checkpoint_read (ck_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ck->step, ==, per_epoch);
  g_assert_null (mh_run_checkpoint_path (run, 3, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* the metrics log: every step, validation on each epoch's last step, as recorded */
  recorded = mh_run_recorder_get_log (loop->recorder);
  log = mh_run_load_metrics (run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mh_train_log_get_n_rows (log), ==, (guint) (2 * per_epoch));
  g_assert_cmpuint (mh_train_log_get_n_columns (log), ==, mh_train_log_get_n_columns (recorded));
  for (guint c = 0; c < mh_train_log_get_n_columns (log); c++)
    {
      g_assert_cmpstr (mh_train_log_column_name (log, c), ==, mh_train_log_column_name (recorded, c));
      for (guint r = 0; r < mh_train_log_get_n_rows (log); r++)
        {
          double a = mh_train_log_get (log, r, c), b = mh_train_log_get (recorded, r, c);
          g_assert_true (isnan (a) == isnan (b));
          if (!isnan (a))
            g_assert_cmpfloat (fabs (a - b), <=, 1e-5 * fabs (b) + 1e-30);
        }
    }
  col = mh_train_log_find_column (log, "group/val_accuracy");
  g_assert_true (isnan (mh_train_log_get (log, 0, col)));
  g_assert_true (isfinite (mh_train_log_get (log, per_epoch - 1, col)));
  g_assert_cmpint (run->disk_bytes, >, 2 * mh_run_find_checkpoint (run, 1)->bytes);
  g_assert_cmpint (mh_run_store_disk_use (store), >=, run->disk_bytes);
  free_store (store);
}

/* Stopped within an epoch: a checkpoint where it stopped; stopped before
 * the first epoch ended: the record says so. */
static void
test_stopped (void)
{
  MhRunStore *store = new_store ();
  g_autoptr (MhProject) p = project ();
  MhRunLoopOptions o = { .threads = 1, .store = store };
  g_autoptr (GError) error = NULL;
  g_autoptr (MhRunLoop) loop = mh_run_loop_new (p, splits, &o, &error);
  g_autoptr (MhRun) run = NULL;
  int per_epoch = loop->training->steps_per_epoch;

  for (int i = 0; i < per_epoch + 3; i++)
    g_assert_cmpuint (mh_run_loop_step (loop, &error), !=, 0);
  mh_run_loop_set_paused (loop, TRUE);
  run = mh_run_store_get (store, "1", &error);
  g_assert_cmpint (run->state, ==, MH_RUN_PAUSED);   /* its lock is held: not interrupted */
  g_clear_pointer (&run, mh_run_unref);
  mh_run_loop_end (loop, MH_RUN_STOPPED, NULL);
  run = mh_run_store_get (store, "1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (run->state, ==, MH_RUN_STOPPED);
  g_assert_false (run->interrupted);
  g_assert_cmpint (run->steps, ==, per_epoch + 3);
  g_assert_cmpuint (run->checkpoints->len, ==, 2);
  g_assert_true (mh_run_find_checkpoint (run, -1)->at_stop);
  g_assert_cmpint (mh_run_find_checkpoint (run, -1)->step, ==, per_epoch + 3);
  g_assert_null (run->test);
  free_store (store);
}

/* ---- where runs go ---------------------------------------------------------------- */

static void
test_places (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *file = g_build_filename (dir, "mine.mhproj", NULL);
  g_autofree char *ro = g_build_filename (dir, "ro", NULL);
  g_autofree char *ro_file = g_build_filename (ro, "locked.mhproj", NULL);
  g_autofree char *example = g_build_filename (MH_SOURCE_DIR, "resources", "examples", "fashion-cnn.mhproj", NULL);
  g_autofree char *beside = g_build_filename (dir, "mine.runs", NULL);
  g_autofree char *user_runs = g_build_filename (g_get_user_data_dir (), "multihead-studio", "runs", NULL);
  MhRunStore *s;

  mh_test_write_file (file, "{}", 2, FALSE);
  s = mh_run_store_for_project (file, "mine");
  g_assert_cmpstr (s->dir, ==, beside);
  g_assert_false (s->in_user_data);
  mh_run_store_free (s);

  /* an example is a template: never written beside */
  g_assert_true (mh_run_store_is_template (example));
  g_assert_false (mh_run_store_is_template (file));
  s = mh_run_store_for_project (example, "fashion-cnn");
  g_assert_true (s->in_user_data);
  g_assert_true (g_str_has_prefix (s->dir, user_runs));
  g_assert_true (g_str_has_prefix (s->dir + strlen (user_runs), "/fashion-cnn-"));
  g_assert_nonnull (strstr (s->why, "example"));
  mh_run_store_free (s);

  /* a folder it may not write to */
  g_assert_cmpint (g_mkdir (ro, 0755), ==, 0);
  mh_test_write_file (ro_file, "{}", 2, FALSE);
  g_assert_cmpint (g_chmod (ro, 0555), ==, 0);
  s = mh_run_store_for_project (ro_file, "locked");
  if (access (ro, W_OK) == 0)   /* root writes anywhere */
    g_assert_false (s->in_user_data);
  else
    {
      g_assert_true (s->in_user_data);
      g_assert_true (g_str_has_prefix (s->dir, user_runs));
      g_assert_nonnull (strstr (s->why, "not writable"));
    }
  mh_run_store_free (s);
  g_chmod (ro, 0755);

  /* not saved yet */
  s = mh_run_store_for_project (NULL, "my draft/1");
  g_assert_true (s->in_user_data);
  g_assert_true (g_str_has_suffix (s->dir, "/my-draft-1-unsaved"));
  mh_run_store_free (s);
  mh_test_rm_rf (dir);
}

/* ---- ids, names, pins, the trash ------------------------------------------------ */

static MhRunStore *
store_with_runs (int n)
{
  MhRunStore *store = new_store ();
  g_autoptr (MhProject) p = project ();

  p->epochs = 1;
  for (int i = 0; i < n; i++)
    {
      g_autoptr (MhRunLoop) loop = train (p, store, NULL, 0);
      g_assert_nonnull (mh_run_loop_get_run (loop));
    }
  return store;
}

static void
test_edit (void)
{
  MhRunStore *store = store_with_runs (3);
  g_autoptr (GPtrArray) runs = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  MhRunLock *lock = NULL;
  g_autofree char *dir = NULL;

  g_assert_true (mh_run_store_set_name (store, "2", "box weight 5", &error));
  g_assert_true (mh_run_store_set_pinned (store, "3", TRUE, &error));
  g_assert_no_error (error);
  runs = mh_run_store_list (store);
  g_assert_cmpuint (runs->len, ==, 3);
  title = mh_run_dup_title (runs->pdata[1]);
  g_assert_cmpstr (title, ==, "box weight 5");
  g_clear_pointer (&title, g_free);
  title = mh_run_dup_title (runs->pdata[0]);
  g_assert_cmpstr (title, ==, "run 1");
  g_assert_true (((MhRun *) runs->pdata[2])->pinned);
  g_assert_cmpint (((MhRun *) runs->pdata[2])->state, ==, MH_RUN_FINISHED);
  g_clear_pointer (&runs, g_ptr_array_unref);

  /* deleted, then back; an id is never given twice */
  g_assert_true (mh_run_store_trash (store, "2", &error));
  runs = mh_run_store_list (store);
  g_assert_cmpuint (runs->len, ==, 2);
  g_clear_pointer (&runs, g_ptr_array_unref);
  dir = mh_run_store_create (store, &lock, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (dir, "/4"));
  mh_run_lock_release (lock);
  g_rmdir (dir);
  g_assert_true (mh_run_store_restore (store, "2", &error));
  runs = mh_run_store_list (store);
  g_assert_cmpuint (runs->len, ==, 3);
  g_assert_cmpstr (((MhRun *) runs->pdata[1])->name, ==, "box weight 5");
  g_clear_pointer (&runs, g_ptr_array_unref);
  g_assert_true (mh_run_store_trash (store, "1", &error));
  mh_run_store_empty_trash (store);
  g_assert_false (mh_run_store_restore (store, "1", &error));
  g_clear_error (&error);
  g_assert_true (mh_run_store_delete (store, "3", &error));
  runs = mh_run_store_list (store);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_null (mh_run_store_get (store, "7", &error));
  g_assert_nonnull (strstr (error->message, "no run 7"));
  g_clear_error (&error);
  g_assert_null (mh_run_store_get (store, "../x", &error));
  g_clear_error (&error);
  free_store (store);
}

/* ---- retention ------------------------------------------------------------------- */

static guint
checkpoints_on_disk (const MhRun *run)
{
  guint n = 0;

  for (guint i = 0; i < run->checkpoints->len; i++)
    {
      const MhRunCheckpoint *c = &g_array_index (run->checkpoints, MhRunCheckpoint, i);
      g_autofree char *path = g_build_filename (run->dir, c->file, NULL);
      n += g_file_test (path, G_FILE_TEST_EXISTS);
    }
  return n;
}

static void
test_retention (void)
{
  MhRunStore *store = store_with_runs (5);
  MhRunRetention rule = { 2, 0 };
  g_autoptr (GPtrArray) runs = NULL;
  g_autoptr (GError) error = NULL;
  gint64 before, after;

  /* the default keeps the last 10 runs' checkpoints: all of them */
  runs = mh_run_store_list (store);
  for (guint i = 0; i < runs->len; i++)
    g_assert_cmpuint (checkpoints_on_disk (runs->pdata[i]), ==, 1);
  g_clear_pointer (&runs, g_ptr_array_unref);
  g_assert_cmpint (mh_run_store_get_retention (store).keep_checkpoints, ==, MH_RUN_KEEP_CHECKPOINTS_DEFAULT);

  /* keep the last 2, and run 1 is pinned */
  g_assert_true (mh_run_store_set_pinned (store, "1", TRUE, &error));
  g_assert_true (mh_run_store_set_retention (store, &rule, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mh_run_store_get_retention (store).keep_checkpoints, ==, 2);
  before = mh_run_store_disk_use (store);
  g_assert_cmpuint (mh_run_store_apply_retention (store), ==, 2);   /* runs 2 and 3 */
  after = mh_run_store_disk_use (store);
  g_assert_cmpint (after, <, before);
  runs = mh_run_store_list (store);
  g_assert_cmpuint (checkpoints_on_disk (runs->pdata[0]), ==, 1);   /* pinned */
  g_assert_cmpuint (checkpoints_on_disk (runs->pdata[1]), ==, 0);
  g_assert_cmpuint (checkpoints_on_disk (runs->pdata[2]), ==, 0);
  g_assert_cmpuint (checkpoints_on_disk (runs->pdata[3]), ==, 1);
  g_assert_cmpuint (checkpoints_on_disk (runs->pdata[4]), ==, 1);
  /* the records and logs stay; the record says where the checkpoints went */
  for (guint i = 1; i <= 2; i++)
    {
      MhRun *run = runs->pdata[i];
      g_autoptr (MhTrainLog) log = mh_run_load_metrics (run, &error);
      g_assert_no_error (error);
      g_assert_cmpint (run->state, ==, MH_RUN_FINISHED);
      g_assert_nonnull (run->test);
      g_assert_nonnull (strstr (mh_run_find_checkpoint (run, 1)->problem, "retention"));
      g_assert_null (mh_run_checkpoint_path (run, 1, &error));
      g_assert_nonnull (strstr (error->message, "removed"));
      g_clear_error (&error);
    }
  g_clear_pointer (&runs, g_ptr_array_unref);

  free_store (store);
}

/* The size cap: the oldest unpinned runs' checkpoints go first. */
static void
test_size_cap (void)
{
  MhRunStore *store = store_with_runs (3);
  g_autoptr (GPtrArray) runs = mh_run_store_list (store);
  g_autoptr (GError) error = NULL;
  gint64 one = mh_run_find_checkpoint (runs->pdata[0], 1)->bytes, total = mh_run_store_disk_use (store);
  MhRunRetention rule = { 10, total - one / 2 };
  g_autofree char *path = g_build_filename (store->dir, "retention.json", NULL);

  g_clear_pointer (&runs, g_ptr_array_unref);
  g_assert_true (mh_run_store_set_retention (store, &rule, &error));
  g_assert_no_error (error);
  g_assert_cmpint (llabs (mh_run_store_get_retention (store).max_bytes - rule.max_bytes), <=, 1);
  g_assert_cmpuint (mh_run_store_apply_retention (store), ==, 1);   /* run 1's: enough */
  g_assert_cmpint (mh_run_store_disk_use (store), <=, rule.max_bytes);
  g_assert_true (mh_run_store_set_pinned (store, "2", TRUE, &error));
  rule.max_bytes = total - 5 * one / 2;   /* room for one checkpoint */
  g_assert_true (mh_run_store_set_retention (store, &rule, &error));
  g_assert_cmpuint (mh_run_store_apply_retention (store), ==, 1);   /* run 3's: run 2 is pinned */
  runs = mh_run_store_list (store);
  g_assert_cmpuint (checkpoints_on_disk (runs->pdata[0]), ==, 0);
  g_assert_cmpuint (checkpoints_on_disk (runs->pdata[1]), ==, 1);
  g_assert_cmpuint (checkpoints_on_disk (runs->pdata[2]), ==, 0);
  g_assert_nonnull (strstr (mh_run_find_checkpoint (runs->pdata[2], 1)->problem, "MB"));
  /* pinned runs stay even above the cap */
  rule.max_bytes = 1;
  g_assert_true (mh_run_store_set_retention (store, &rule, &error));
  g_assert_cmpuint (mh_run_store_apply_retention (store), ==, 0);
  /* a broken rule is the default rule (which keeps more) */
  mh_test_write_file (path, "{ broken", 8, FALSE);
  g_assert_cmpint (mh_run_store_get_retention (store).keep_checkpoints, ==, MH_RUN_KEEP_CHECKPOINTS_DEFAULT);
  free_store (store);
}

/* ---- branches ------------------------------------------------------------------- */

static void
assert_same_params (const MhModel *a, const MhModel *b)
{
  g_assert_cmpuint (a->n_params, ==, b->n_params);
  g_assert_cmpint (memcmp (a->params, b->params, sizeof (float) * a->n_params), ==, 0);
}

/* A branch of an unchanged project from epoch 1 of a 2-epoch run is, bit
 * for bit, the parent's epoch 2; its steps go on from the parent's. */
static void
test_branch_identical (void)
{
  MhRunStore *store = new_store ();
  g_autoptr (MhProject) p = project ();
  g_autoptr (MhRunLoop) parent = train (p, store, NULL, 0);
  g_autoptr (MhRun) parent_run = mh_run_store_get (store, "1", NULL);
  g_autoptr (MhRunLoop) branch = train (p, store, parent_run, 1);
  g_autoptr (MhRun) run = mh_run_store_get (store, "2", NULL);
  g_autoptr (MhTrainLog) plog = mh_run_load_metrics (parent_run, NULL);
  g_autoptr (MhTrainLog) blog = mh_run_load_metrics (run, NULL);
  int per_epoch = parent->training->steps_per_epoch;
  int step = mh_train_log_find_column (blog, "step");
  int loss = mh_train_log_find_column (blog, "category/loss");

  assert_same_params (parent->training->model, branch->training->model);
  g_assert_cmpmem (parent->test, sizeof (MhHeadMetrics) * 2, branch->test, sizeof (MhHeadMetrics) * 2);
  g_assert_cmpfloat (parent->training->balance->log_var[1], ==, branch->training->balance->log_var[1]);
  g_assert_nonnull (strstr (branch->note, "branch of run 1 at epoch 1"));
  g_assert_cmpstr (run->parent_id, ==, "1");
  g_assert_cmpint (run->parent_epoch, ==, 1);
  g_assert_cmpint (run->parent_step, ==, per_epoch);
  /* the branch's steps continue the parent's numbering, with the parent's figures */
  g_assert_cmpuint (mh_train_log_get_n_rows (blog), ==, (guint) per_epoch);
  g_assert_cmpfloat (mh_train_log_get (blog, 0, step), ==, per_epoch + 1);
  for (int r = 0; r < per_epoch; r++)
    g_assert_cmpfloat (mh_train_log_get (blog, r, loss), ==, mh_train_log_get (plog, per_epoch + r, loss));
  g_assert_cmpint (mh_run_find_checkpoint (run, 2)->step, ==, 2 * per_epoch);
  g_assert_null (mh_run_find_checkpoint (run, 1));
  free_store (store);
}

/* A branch with a head removed, another's weight changed, the balancing
 * switched and the first layer frozen: it starts from the parent's shared
 * parameters and trains on. */
static void
test_branch_changed (void)
{
  MhRunStore *store = new_store ();
  g_autoptr (MhProject) p = project ();
  g_autoptr (MhRunLoop) parent = NULL;
  g_autoptr (MhRun) parent_run = NULL;
  g_autoptr (MhProject) q = project ();
  g_autoptr (MhCheckpoint) ck = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ck_path = NULL;
  MhRunLoopOptions o = { .threads = 1, .store = NULL };
  g_autoptr (MhRunLoop) branch = NULL;
  const MhParamRef *fc;
  MhTensorEntry *t;
  g_autofree float *before = NULL;

  parent = train (p, store, NULL, 0);
  parent_run = mh_run_store_get (store, "1", NULL);
  mh_head_spec_clear (&g_array_index (q->heads, MhHeadSpec, 1));   /* "group" detached */
  g_array_remove_index (q->heads, 1);
  g_array_index (q->heads, MhHeadSpec, 0).weight = 3;
  g_free (q->balancing);
  q->balancing = g_strdup ("fixed");
  q->epochs = 3;
  o.branch = parent_run;
  o.branch_epoch = 2;
  branch = mh_run_loop_new (q, splits, &o, &error);
  g_assert_no_error (error);
  /* where the parent was: its backbone and the kept head, to the bit */
  ck_path = mh_run_checkpoint_path (parent_run, 2, &error);
  ck = mh_checkpoint_read (ck_path, &error);
  g_assert_no_error (error);
  fc = mh_model_find_param (branch->training->model, "backbone.fc.weight");
  t = mh_tensor_find (ck->tensors, "backbone.fc.weight");
  g_assert_nonnull (fc);
  g_assert_nonnull (t);
  before = g_memdup2 (fc->param->data, sizeof (float) * fc->param->size);
  g_assert_cmpint (memcmp (before, parent->training->model->params + mh_model_find_param (parent->training->model,
                           "backbone.fc.weight")->offset, sizeof (float) * fc->param->size), ==, 0);
  g_assert_cmpint (branch->training->step, ==, 2 * parent->training->steps_per_epoch);
  g_assert_cmpint (branch->training->model->n_heads, ==, 1);
  g_assert_cmpfloat (branch->training->balance->weight[0], ==, 3);
  while (!mh_run_loop_done (branch))
    g_assert_cmpuint (mh_run_loop_step (branch, &error), !=, 0);
  g_assert_cmpint (branch->training->step, ==, 3 * parent->training->steps_per_epoch);
  g_assert_true (isfinite (branch->test[0].loss));
  g_assert_cmpint (memcmp (before, fc->param->data, sizeof (float) * fc->param->size), !=, 0);   /* it learned */

  /* a branch that changes a shared layer's shape is refused, naming it */
  g_clear_pointer (&branch, mh_run_loop_free);
  g_array_index (q->backbone, MhLayerSpec, 1).units = 7;
  g_assert_null (mh_run_loop_new (q, splits, &o, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_SHAPE, "backbone.fc.weight", NULL);
  g_clear_error (&error);
  /* and one from an epoch the parent does not have */
  g_array_index (q->backbone, MhLayerSpec, 1).units = 12;
  o.branch_epoch = 9;
  g_assert_null (mh_run_loop_new (q, splits, &o, &error));
  g_assert_nonnull (strstr (error->message, "epoch 9"));
  free_store (store);
}

/* ---- `train` and the trainer: one loop, the same figures --------------------------- */

typedef struct {
  MhTrainerState  state;
  MhTrainerEvent *end;
  char           *run_dir;
} Seen;

static void
on_event (MhTrainer *trainer, const MhTrainerEvent *e, gpointer data)
{
  Seen *s = data;

  s->state = e->state;
  if (e->kind == MH_TRAINER_EVENT_STARTED && e->run_dir != NULL)
    s->run_dir = g_strdup (e->run_dir);
  if (e->kind == MH_TRAINER_EVENT_STATE && e->state == MH_TRAINER_FINISHED)
    s->end = mh_trainer_event_ref ((MhTrainerEvent *) e);
}

static char *
read_text (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_train_equals_trainer (void)
{
  MhRunStore *store = new_store ();
  g_autoptr (MhProject) p = project ();
  g_autoptr (MhRunLoop) loop = train (p, store, NULL, 0);
  Seen s = { 0 };
  MhTrainer *trainer = mh_trainer_new (NULL, on_event, &s, NULL);
  MhTrainerOptions o = { .threads = 1, .data_dir = data_dir, .runs_dir = store->dir,
                         .project_file = "tiny.mhproj", .event_interval_ms = 5 };
  const MhRun *cli_run = mh_run_loop_get_run (loop);
  g_autofree char *cli_csv = read_text (cli_run->dir, "metrics.csv");
  g_autofree char *trainer_csv = NULL;
  g_autoptr (MhRun) trained = NULL;
  g_autoptr (MhCheckpoint) a = NULL;
  g_autoptr (MhCheckpoint) b = NULL;
  g_autofree char *pa = NULL, *pb = NULL;

  mh_trainer_start (trainer, p, &o);
  MH_TEST_WAIT_FOR (s.state == MH_TRAINER_FINISHED || s.state == MH_TRAINER_FAILED);
  g_assert_cmpint (s.state, ==, MH_TRAINER_FINISHED);
  g_assert_nonnull (s.run_dir);
  mh_trainer_free (trainer);   /* the record is written by now */
  trainer_csv = read_text (s.run_dir, "metrics.csv");
  g_assert_cmpstr (trainer_csv, ==, cli_csv);   /* every step's every figure, as text */
  g_assert_cmpmem (s.end->test, sizeof (MhHeadMetrics) * 2, loop->test, sizeof (MhHeadMetrics) * 2);
  trained = mh_run_read (s.run_dir);
  g_assert_cmpint (trained->state, ==, MH_RUN_FINISHED);
  g_assert_cmpstr (trained->id, ==, "2");
  pa = mh_run_checkpoint_path (cli_run, 2, NULL);
  pb = mh_run_checkpoint_path (trained, 2, NULL);
  a = mh_checkpoint_read (pa, NULL);
  b = mh_checkpoint_read (pb, NULL);
  for (guint i = 0; i < a->tensors->len; i++)
    {
      MhTensorEntry *ta = a->tensors->pdata[i], *tb = mh_tensor_find (b->tensors, ta->name);
      g_assert_nonnull (tb);
      g_assert_cmpmem (ta->data, sizeof (float) * ta->size, tb->data, sizeof (float) * tb->size);
    }
  mh_trainer_event_unref (s.end);
  g_free (s.run_dir);
  free_store (store);
}

/* ---- runs in bad shape ---------------------------------------------------------------- */

static void
write_in (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  mh_test_write_file (path, text, strlen (text), FALSE);
}

static MhRun *
run_numbered (GPtrArray *runs, const char *id)
{
  for (guint i = 0; i < runs->len; i++)
    if (g_strcmp0 (((MhRun *) runs->pdata[i])->id, id) == 0)
      return runs->pdata[i];
  g_assert_not_reached ();
}

static void
test_bad_runs (void)
{
  MhRunStore *store = store_with_runs (2);
  g_autofree char *one = g_build_filename (store->dir, "1", NULL);
  g_autofree char *two = g_build_filename (store->dir, "2", NULL);
  g_autofree char *ck = g_build_filename (two, "epoch-1.safetensors", NULL);
  g_autofree char *json = read_text (two, "run.json");
  g_autoptr (GString) edited = g_string_new (json);
  g_autoptr (GPtrArray) runs = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MhTrainLog) log = NULL;
  g_autofree char *cut = NULL;
  const char *names[] = { "3", "4", "5", "6", "7" };
  gsize len;
  MhRun *run;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *d = g_build_filename (store->dir, names[i], NULL);
      g_assert_cmpint (g_mkdir (d, 0755), ==, 0);
    }
  /* 3: no record; 4: a corrupt one; 5: a newer version's; 6: not an object */
  write_in (store->dir, "4/run.json", "{ \"format\": 1, \"state\": ");
  write_in (store->dir, "5/run.json", "{ \"format\": 7, \"state\": \"finished\" }");
  write_in (store->dir, "6/run.json", "[]");
  /* 7: recorded as running by a program that was killed: its lock file stays, nobody holds it */
  g_string_replace (edited, "\"finished\"", "\"running\"", 1);
  write_in (store->dir, "7/run.json", edited->str);
  write_in (store->dir, "7/lock", "12345 elsewhere\n");
  /* 2: its checkpoint cut short, its metrics too */
  g_assert_true (g_file_get_contents (ck, &cut, &len, NULL));
  mh_test_write_file (ck, cut, len / 2, FALSE);
  write_in (two, "metrics.csv", "step,epoch,total_loss\n1,1,0.5\n2,1");
  /* a folder that is not a run, a file */
  write_in (store->dir, "notes.txt", "mine");
  g_assert_cmpint (g_mkdir (g_build_filename (store->dir, "old", NULL), 0755), ==, 0);

  runs = mh_run_store_list (store);
  g_assert_cmpuint (runs->len, ==, 7);
  run = run_numbered (runs, "1");
  g_assert_cmpint (run->state, ==, MH_RUN_FINISHED);   /* the others untouched */
  g_assert_null (run->problem);
  run = run_numbered (runs, "2");
  g_assert_cmpint (run->state, ==, MH_RUN_FINISHED);
  g_assert_nonnull (strstr (mh_run_find_checkpoint (run, 1)->problem, "cut short"));
  g_assert_null (mh_run_checkpoint_path (run, 1, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_IO, "epoch-1.safetensors", "cut short", NULL);
  g_clear_error (&error);
  log = mh_run_load_metrics (run, &error);
  g_assert_null (log);
  mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, "metrics.csv:3", "cut-off", NULL);
  g_clear_error (&error);
  run = run_numbered (runs, "3");
  g_assert_cmpint (run->state, ==, MH_RUN_UNREADABLE);
  g_assert_nonnull (strstr (run->problem, "missing"));
  run = run_numbered (runs, "4");
  g_assert_cmpint (run->state, ==, MH_RUN_UNREADABLE);
  g_assert_nonnull (strstr (run->problem, "4/run.json"));
  run = run_numbered (runs, "5");
  g_assert_cmpint (run->state, ==, MH_RUN_UNREADABLE);
  g_assert_nonnull (strstr (run->problem, "newer version"));
  run = run_numbered (runs, "6");
  g_assert_cmpint (run->state, ==, MH_RUN_UNREADABLE);
  run = run_numbered (runs, "7");
  g_assert_cmpint (run->state, ==, MH_RUN_STOPPED);
  g_assert_true (run->interrupted);
  g_assert_nonnull (strstr (run->message, "interrupted"));
  g_assert_cmpuint (run->checkpoints->len, ==, 1);   /* 2's: the epochs it wrote (here cut short) */
  /* renaming an unreadable run is refused; a new run gets the next id */
  g_assert_false (mh_run_store_set_name (store, "4", "x", &error));
  g_clear_error (&error);
  g_clear_pointer (&runs, g_ptr_array_unref);
  {
    g_autoptr (MhProject) p = project ();
    g_autoptr (MhRunLoop) loop = NULL;
    p->epochs = 1;
    loop = train (p, store, NULL, 0);
    g_assert_cmpstr (mh_run_loop_get_run (loop)->id, ==, "8");
  }
  mh_test_rm_rf (one);
  free_store (store);
}

/* A recorder killed mid-run: its lock goes with it. */
static void
test_killed (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  int ready[2];
  pid_t pid;
  char c;

  g_assert_cmpint (pipe (ready), ==, 0);
  pid = fork ();
  if (pid == 0)
    {
      MhRunLock *lock = mh_run_lock_acquire (dir, NULL);
      if (write (ready[1], lock != NULL ? "y" : "n", 1) != 1)
        _exit (2);
      pause ();
      _exit (0);
    }
  g_assert_cmpint (read (ready[0], &c, 1), ==, 1);
  g_assert_cmpint (c, ==, 'y');
  g_assert_true (mh_run_lock_is_held (dir));   /* alive */
  {
    g_autoptr (GError) error = NULL;
    g_assert_null (mh_run_lock_acquire (dir, &error));
    g_assert_nonnull (strstr (error->message, "another program"));
  }
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_assert_false (mh_run_lock_is_held (dir));   /* dead: the file stays, the lock does not */
  g_assert_true (g_file_test (g_build_filename (dir, "lock", NULL), G_FILE_TEST_EXISTS));
  close (ready[0]);
  close (ready[1]);
  mh_test_rm_rf (dir);
}

/* Writes that fail (a runs folder that cannot be made, read-only or full;
 * a checkpoint that cannot be written): the run trains on, says so, and the
 * record keeps a note; the other runs stay whole.  A read-only folder is
 * simulated with a file where the folder would be (root writes anywhere). */
static void
test_write_failures (void)
{
  MhRunStore *store = store_with_runs (1);
  g_autoptr (MhProject) p = project ();
  g_autoptr (MhRunLoop) loop = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *dir = g_build_filename (store->dir, "blocked.runs", NULL);
  g_autofree char *two = g_build_filename (store->dir, "2", NULL);
  g_autofree char *blocker = g_build_filename (two, "epoch-1.safetensors", NULL);
  g_autoptr (MhRunStore) blocked = mh_run_store_new (dir);
  MhRunLoopOptions o = { .threads = 1, .store = store };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) runs = NULL;
  g_autoptr (MhRun) run = NULL;
  int per_epoch;

  p->epochs = 1;
  mh_test_write_file (dir, "x", 1, FALSE);   /* the store cannot be made */
  loop = train (p, blocked, NULL, 0);
  g_assert_null (mh_run_loop_get_run (loop));
  warning = mh_run_loop_take_warning (loop);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "not recorded"));
  g_assert_nonnull (strstr (warning, "blocked.runs"));
  g_assert_true (isfinite (loop->test[0].loss));   /* it trained */
  g_clear_pointer (&loop, mh_run_loop_free);
  g_clear_pointer (&warning, g_free);

  /* a checkpoint that cannot be written: a note, and the run finishes */
  loop = mh_run_loop_new (p, splits, &o, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mh_run_loop_get_run (loop)->id, ==, "2");
  per_epoch = loop->training->steps_per_epoch;
  g_assert_cmpint (g_mkdir (blocker, 0755), ==, 0);
  for (int i = 0; i < per_epoch; i++)
    g_assert_cmpuint (mh_run_loop_step (loop, &error), !=, 0);
  g_assert_true (mh_run_loop_done (loop));
  warning = mh_run_loop_take_warning (loop);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "checkpoint of epoch 1"));
  run = mh_run_read (two);
  g_assert_cmpint (run->state, ==, MH_RUN_FINISHED);
  g_assert_cmpuint (run->checkpoints->len, ==, 0);   /* none taken for a good one */
  g_assert_cmpuint (run->notes->len, ==, 1);
  g_assert_nonnull (strstr (run->notes->pdata[0], "epoch 1"));
  runs = mh_run_store_list (store);
  g_assert_cmpint (((MhRun *) runs->pdata[0])->state, ==, MH_RUN_FINISHED);
  g_assert_nonnull (mh_run_find_checkpoint (runs->pdata[0], 1));
  g_rmdir (blocker);
  g_unlink (dir);
  free_store (store);
}

/* A write that fails the same way every epoch (a disk that stays full) is
 * said once and noted once, not once an epoch. */
static void
test_repeated_failure_said_once (void)
{
  MhRunStore *store = store_with_runs (0);
  g_autoptr (MhProject) p = project ();
  g_autoptr (MhRunLoop) loop = NULL;
  MhRunLoopOptions o = { .threads = 1, .store = store };
  g_autoptr (GError) error = NULL;
  g_autofree char *record = NULL;
  const MhRun *run;
  int warnings = 0, steps;

  p->epochs = 3;
  loop = mh_run_loop_new (p, splits, &o, &error);
  g_assert_no_error (error);
  run = mh_run_loop_get_run (loop);
  record = g_build_filename (run->dir, "run.json", NULL);
  g_assert_cmpint (g_unlink (record), ==, 0);
  g_assert_cmpint (g_mkdir (record, 0755), ==, 0);   /* run.json can no longer be replaced */
  steps = 3 * loop->training->steps_per_epoch;
  for (int i = 0; i < steps; i++)
    {
      g_autofree char *w = NULL;
      g_assert_cmpuint (mh_run_loop_step (loop, &error), !=, 0);
      w = mh_run_loop_take_warning (loop);
      if (w != NULL && strstr (w, "run.json") != NULL)
        warnings++;
    }
  g_assert_true (mh_run_loop_done (loop));
  g_assert_cmpint (warnings, ==, 1);
  g_assert_cmpuint (run->notes->len, ==, 1);
  g_assert_nonnull (strstr (run->notes->pdata[0], "run.json"));
  g_rmdir (record);
  free_store (store);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  data_dir = mh_test_tmp_dir ();
  mh_test_write_fake_fashion (data_dir, 160, 48, 7);
  {
    g_autoptr (MhProject) p = project ();
    splits = mh_splits_load (&p->data, data_dir, "tiny.mhproj", &error);
    g_assert_no_error (error);
  }
  g_test_add_func ("/engine/runs/record", test_record);
  g_test_add_func ("/engine/runs/stopped", test_stopped);
  g_test_add_func ("/engine/runs/places", test_places);
  g_test_add_func ("/engine/runs/edit", test_edit);
  g_test_add_func ("/engine/runs/retention", test_retention);
  g_test_add_func ("/engine/runs/size-cap", test_size_cap);
  g_test_add_func ("/engine/runs/branch-identical", test_branch_identical);
  g_test_add_func ("/engine/runs/branch-changed", test_branch_changed);
  g_test_add_func ("/engine/runs/train-equals-trainer", test_train_equals_trainer);
  g_test_add_func ("/engine/runs/bad-runs", test_bad_runs);
  g_test_add_func ("/engine/runs/killed", test_killed);
  g_test_add_func ("/engine/runs/write-failures", test_write_failures);
  g_test_add_func ("/engine/runs/repeated-failure-said-once", test_repeated_failure_said_once);
  status = g_test_run ();
  mh_splits_free (splits);
  mh_test_rm_rf (data_dir);
  g_free (data_dir);
  return status;
}
