/* mh-cli-train.c — `multihead-studio train FILE …`: headless training.
 *
 * Progress goes to stderr; with --json the last line on stdout is one JSON
 * object with the run's figures (docs/command-line.md).  Errors: one line naming the
 * file and field, exit status 1.
 */
#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include "mh-blas.h"
#include "mh-checkpoint.h"
#include "mh-cli.h"
#include "mh-error.h"
#include "mh-kinds.h"
#include "mh-save.h"
#include "mh-run-loop.h"
#include "mh-weights.h"

typedef struct {
  int       epochs;     /* -1: the project's */
  int       steps;      /* 0: by epochs */
  int       threads;
  gint64    seed;       /* -1: the project's */
  char     *save;
  char     *data_dir;
  char     *balancing;
  char     *checkpoints;  /* folder of latest.safetensors and best.safetensors */
  char     *resume;       /* a checkpoint */
  char     *branch;       /* ID:EPOCH of a recorded run */
  gboolean  no_record;
  gboolean  json;
  gboolean  eval;
} TrainOptions;

static void
train_options_clear (TrainOptions *opt)
{
  g_clear_pointer (&opt->save, g_free);
  g_clear_pointer (&opt->data_dir, g_free);
  g_clear_pointer (&opt->balancing, g_free);
  g_clear_pointer (&opt->checkpoints, g_free);
  g_clear_pointer (&opt->resume, g_free);
  g_clear_pointer (&opt->branch, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrainOptions, train_options_clear)

char *
mh_cli_default_project (void)
{
  const char *const dirs[] = { MH_SOURCE_DIR "/resources/examples", MH_DATA_DIR "/examples" };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "fashion-cnn.mhproj", NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
  return g_build_filename (MH_DATA_DIR, "examples", "fashion-cnn.mhproj", NULL);
}

static void
print_progress (MhTraining *run, int total_steps, double samples_per_s)
{
  MhModel *m = run->model;
  g_autofree MhHeadMetrics *mt = g_new (MhHeadMetrics, m->n_heads);   /* not on the stack */
  GString *line = g_string_new (NULL);

  mh_training_take_train_metrics (run, mt);
  g_string_append_printf (line, "epoch %d  step %d/%d  loss", run->epoch + !mh_training_epoch_done (run),
                          run->step, total_steps);
  for (int h = 0; h < m->n_heads; h++)
    g_string_append_printf (line, " %s %.4f", m->heads[h].name, mt[h].loss);
  g_string_append_printf (line, _("  %.0f samples/s"), samples_per_s);
  g_printerr ("%s\n", line->str);
  g_string_free (line, TRUE);
}

/* The gradient-conflict figures averaged over the last epoch (or the
 * steps since it). */
typedef struct {
  double *cosine;     /* heads × heads */
  double *negative;   /* share of steps with a negative cosine */
  double *grad_norm;  /* per head */
} Conflict;

static void
conflict_take (MhTraining *run, Conflict *c)
{
  int n = run->model->n_heads;

  c->cosine = g_renew (double, c->cosine, n * n);
  c->negative = g_renew (double, c->negative, n * n);
  c->grad_norm = g_renew (double, c->grad_norm, n);
  mh_balance_take_epoch (run->balance, c->cosine, c->negative, c->grad_norm);
}

static void
conflict_clear (Conflict *c)
{
  g_free (c->cosine);
  g_free (c->negative);
  g_free (c->grad_norm);
}

static void
print_conflict (MhTraining *run, const Conflict *c)
{
  MhModel *m = run->model;
  GString *line = g_string_new (_("gradient cosine"));
  int n = m->n_heads, pairs = 0;

  for (int h = 0; h < n; h++)
    for (int j = h + 1; j < n; j++)
      if (isfinite (c->cosine[h * n + j]))
        {
          g_string_append_printf (line, "  %s/%s %+.2f (%.0f%% conflicting)", m->heads[h].name,
                                  m->heads[j].name, c->cosine[h * n + j], 100 * c->negative[h * n + j]);
          pairs++;
        }
  g_string_append (line, "  weights");
  for (int h = 0; h < n; h++)
    g_string_append_printf (line, " %s %.3g", m->heads[h].name, run->balance->weight[h]);
  if (pairs > 0)
    g_printerr ("%s\n", line->str);
  g_string_free (line, TRUE);
}

static void
add_conflict (JsonBuilder *b, MhTraining *run, const Conflict *c)
{
  MhModel *m = run->model;
  int n = m->n_heads;
  const char *names[] = { "cosine", "negative_share" };
  const double *values[] = { c->cosine, c->negative };

  json_builder_set_member_name (b, "balancing");
  json_builder_add_string_value (b, run->project->balancing);
  json_builder_set_member_name (b, "conflict");
  json_builder_begin_object (b);
  for (int v = 0; v < 2; v++)
    {
      json_builder_set_member_name (b, names[v]);
      json_builder_begin_object (b);
      for (int h = 0; h < n; h++)
        for (int j = h + 1; j < n; j++)
          if (isfinite (values[v][h * n + j]))
            {
              g_autofree char *pair = g_strdup_printf ("%s/%s", m->heads[h].name, m->heads[j].name);
              json_builder_set_member_name (b, pair);
              json_builder_add_double_value (b, values[v][h * n + j]);
            }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static void
print_json (const MhRunLoop *loop, const TrainOptions *opt, const Conflict *c)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  MhTraining *run = loop->training;
  MhModel *m = run->model;
  const MhHeadMetrics *val = loop->validation, *test = loop->test;
  const MhRun *record = mh_run_loop_get_run (loop);
  double seconds = loop->train_seconds;
  double samples_per_s = seconds > 0 ? (run->samples - loop->samples0) / seconds : 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "project");
  json_builder_add_string_value (b, run->project->name);
  json_builder_set_member_name (b, "train_samples_per_s");
  json_builder_add_double_value (b, samples_per_s);
  json_builder_set_member_name (b, "blas_core");
  json_builder_add_string_value (b, mh_blas_core ());
  json_builder_set_member_name (b, "threads");
  json_builder_add_int_value (b, opt->threads);
  json_builder_set_member_name (b, "steps");
  json_builder_add_int_value (b, run->step);
  json_builder_set_member_name (b, "epochs");
  json_builder_add_double_value (b, (double) run->step / run->steps_per_epoch);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, seconds);
  json_builder_set_member_name (b, "parameters");
  json_builder_add_int_value (b, m->n_params);
  json_builder_set_member_name (b, "run");
  if (record != NULL)
    json_builder_add_string_value (b, record->id);
  else
    json_builder_add_null_value (b);
  add_conflict (b, run, c);
  json_builder_set_member_name (b, "heads");
  json_builder_begin_object (b);
  for (int h = 0; h < m->n_heads; h++)
    {
      json_builder_set_member_name (b, m->heads[h].name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "weight");
      json_builder_add_double_value (b, run->balance->weight[h]);
      mh_cli_json_number (b, "grad", "norm", c->grad_norm[h]);
      if (val != NULL)
        mh_cli_json_metrics (b, "val", &val[h]);
      if (test != NULL)
        mh_cli_json_metrics (b, "test", &test[h]);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  mh_cli_print_json (b);
}

static gboolean
parse_options (char ***args, TrainOptions *opt, GError **error)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new (N_("FILE.mhproj — train a project without a display"));
  int epochs = G_MININT;
  gint64 seed = -1;
  const GOptionEntry entries[] = {
    { "epochs", 0, 0, G_OPTION_ARG_INT, &epochs, N_("Train N epochs (default: the project's)"), "N" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &opt->steps, N_("Train N batches instead of whole epochs"), "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &opt->threads, N_("Threads for the matrix products (default: all cores)"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed (default: the project's)"), "N" },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &opt->save, N_("Write the weights to the file W (safetensors)"), "W" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opt->data_dir, N_("Where the dataset is (default: the project's)"), "DIR" },
    { "balancing", 0, 0, G_OPTION_ARG_STRING, &opt->balancing,
      N_("How the heads' losses are weighted: fixed, equal, uncertainty, gradnorm, pcgrad (default: the project's)"), "METHOD" },
    { "checkpoints", 0, 0, G_OPTION_ARG_FILENAME, &opt->checkpoints,
      N_("Write DIR/latest.safetensors and DIR/best.safetensors every epoch"), "DIR" },
    { "resume", 0, 0, G_OPTION_ARG_FILENAME, &opt->resume, N_("Go on with the run saved in checkpoint CKPT"), "CKPT" },
    { "branch", 0, 0, G_OPTION_ARG_STRING, &opt->branch,
      N_("Start from recorded run ID's checkpoint after epoch EPOCH, with the project as it is now"), "ID:EPOCH" },
    { "no-record", 0, 0, G_OPTION_ARG_NONE, &opt->no_record, N_("Do not record the run (FILE.runs/)"), NULL },
    { "eval", 0, 0, G_OPTION_ARG_NONE, &opt->eval, N_("Evaluate on the test set at the end also when it is within "
      "an epoch (--steps)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt->json, N_("Print the run's figures as JSON on the last line"), NULL },
    { NULL }
  };

  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  mh_cli_add_common_options (ctx);
  if (!g_option_context_parse_strv (ctx, args, error) || !mh_cli_apply_common_options (error))
    return FALSE;
  opt->epochs = epochs == G_MININT ? -1 : epochs;
  opt->seed = seed;
  if (g_strv_length (*args) != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("train takes one project file (see 'multihead-studio train --help')"));
      return FALSE;
    }
  if (opt->steps < 0 || (opt->steps > 0 && epochs != G_MININT))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--steps must be positive and cannot go with --epochs"));
      return FALSE;
    }
  if (epochs != G_MININT && epochs < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--epochs must not be negative"));
      return FALSE;
    }
  if (seed < -1 || seed > G_MAXUINT32)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--seed must be 0 … 4294967295"));
      return FALSE;
    }
  if (opt->resume != NULL && opt->branch != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--resume and --branch cannot go together"));
      return FALSE;
    }
  if (opt->threads <= 0)
    opt->threads = MAX (1, (int) g_get_num_processors ());
  return TRUE;
}

/* Where checkpoints go: --checkpoints, else beside the project's weights
 * file (W.safetensors → W.checkpoints/), else nowhere (NULL). */
static char *
checkpoint_dir (const char *where, const MhProject *p, const TrainOptions *opt)
{
  g_autofree char *weights = NULL;

  if (opt->checkpoints != NULL)
    return g_strdup (opt->checkpoints);
  if (p->weights == NULL)
    return NULL;
  weights = mh_cli_project_path (where, p->weights);
  if (g_str_has_suffix (weights, ".safetensors"))
    weights[strlen (weights) - strlen (".safetensors")] = '\0';
  return g_strconcat (weights, ".checkpoints", NULL);
}

/* --branch ID:EPOCH: the recorded run and the epoch. */
static MhRun *
branch_run (const MhRunStore *store, const char *spec, int *epoch, GError **error)
{
  const char *colon = strrchr (spec, ':');
  g_autofree char *id = colon != NULL ? g_strndup (spec, colon - spec) : NULL;
  guint64 e;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, G_MAXINT, &e, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--branch wants ID:EPOCH, a recorded run and one of its epochs (see 'multihead-studio runs "
                   "FILE'), not '%s'"), spec);
      return NULL;
    }
  *epoch = (int) e;
  return mh_run_store_get (store, id, error);
}

int
mh_cli_train (int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  g_auto (TrainOptions) opt = { 0 };
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhSplits) data = NULL;
  g_autoptr (MhRunLoop) loop = NULL;
  g_autoptr (MhCheckpoint) ck = NULL;
  g_autoptr (MhRunStore) store = NULL;
  g_autoptr (MhRun) parent = NULL;
  g_autofree char *ck_dir = NULL, *save = NULL, *warning = NULL, *n_params = NULL;
  MhRunLoopOptions lo = { 0 };
  MhTraining *run;
  Conflict conflict = { 0 };
  GError *error = NULL;
  int status = 0, branch_epoch = 0;
  gint64 t_report;
  const char *where;

  if (!parse_options (&args, &opt, &error))
    return mh_cli_fail (error);
  where = args[1];
  if (!(p = mh_project_load (where, &error)))
    return mh_cli_fail (error);
  if (opt.epochs >= 0)
    p->epochs = opt.epochs;
  if (opt.seed >= 0)
    p->seed = (guint32) opt.seed;
  if (opt.balancing != NULL)
    {
      MhBalanceMethod method;
      if (!mh_balance_method_from_name (opt.balancing, &method))
        {
          g_autofree char *known = mh_kind_id_list (mh_balancing_methods);
          return mh_cli_fail (g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                           _("--balancing: unknown method '%s' (known: %s)"), opt.balancing, known));
        }
      g_free (p->balancing);
      p->balancing = g_strdup (opt.balancing);
    }
  if (opt.resume != NULL)
    {
      if (!(ck = mh_checkpoint_read (opt.resume, &error)))
        return mh_cli_fail (error);
      if (opt.seed >= 0 && (guint32) opt.seed != ck->seed)
        return mh_cli_fail (g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                         _("--seed %u differs from the checkpoint's seed %u: a resumed "
                                         "run keeps its seed"), (guint32) opt.seed, ck->seed));
    }
  store = mh_run_store_for_project (where, p->name);
  if (opt.branch != NULL && !(parent = branch_run (store, opt.branch, &branch_epoch, &error)))
    return mh_cli_fail (error);
  if (parent != NULL && opt.seed >= 0 && (guint32) opt.seed != parent->seed)
    return mh_cli_fail (g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                     _("--seed %u differs from run %s's seed %u: a branch goes on with its "
                                     "parent's"), (guint32) opt.seed, parent->id, parent->seed));
  ck_dir = checkpoint_dir (where, p, &opt);
  save = opt.save != NULL ? g_strdup (opt.save) : mh_cli_project_path (where, p->weights);
  /* never over the project, its data or the weights it starts from; refused now, not after training */
  mh_cli_protect_inputs (where, p, opt.data_dir, NULL);
  if (save != NULL && !mh_save_check (save, MH_FILE_KIND_WEIGHTS, MH_SAVE_DEFAULT, &error))
    return mh_cli_fail (error);
  if (ck_dir != NULL && g_file_test (ck_dir, G_FILE_TEST_EXISTS) && !g_file_test (ck_dir, G_FILE_TEST_IS_DIR))
    return mh_cli_fail (g_error_new (MH_ERROR, MH_ERROR_REFUSED, _("%s: the checkpoints' folder is a file; "
                                     "give --checkpoints another folder"), ck_dir));
  for (guint i = 0; ck_dir != NULL && i < 2; i++)
    {
      g_autofree char *ck_file = g_build_filename (ck_dir, i ? "best.safetensors" : "latest.safetensors", NULL);
      if (!mh_save_check (ck_file, MH_FILE_KIND_WEIGHTS, MH_SAVE_DEFAULT, &error) && error->code == MH_ERROR_REFUSED)
        return mh_cli_fail (error);
      g_clear_error (&error);   /* a folder not made yet is made after the first epoch */
    }
  if (ck_dir != NULL && !mh_save_check_folder (ck_dir, &error))
    return mh_cli_fail (error);
  if (!(data = mh_splits_load (&p->data, opt.data_dir, where, &error)))
    return mh_cli_fail (error);
  for (guint i = 0; data->skipped != NULL && i < data->skipped->len; i++)
    g_printerr ("%s\n", (const char *) data->skipped->pdata[i]);   /* "…/labels.csv: N rows left out: …" */
  lo.total_steps = opt.steps;
  lo.threads = opt.threads;
  lo.project_file = where;
  lo.store = opt.no_record ? NULL : store;
  lo.resume = ck;
  lo.branch = parent;
  lo.branch_epoch = branch_epoch;
  lo.checkpoint_dir = ck_dir;
  lo.test_mid_epoch = opt.eval;
  if (!(loop = mh_run_loop_new (p, data, &lo, &error)))
    return mh_cli_fail (error);
  run = loop->training;
  n_params = g_strdup_printf ("%" G_GSIZE_FORMAT, run->model->n_params);
  if (loop->note != NULL)
    g_printerr ("%s\n", loop->note);
  g_printerr (_("%s: %d training, %d validation, %d test samples; %s parameters; "
                "OpenBLAS %s kernels, %d threads\n"), p->name, data->train->n, data->validation->n,
              data->test->n, n_params, mh_blas_core (), opt.threads);
  if (mh_run_loop_get_run (loop) != NULL)
    g_printerr (_("recording run %s in %s\n"), mh_run_loop_get_run (loop)->id, store->dir);

  t_report = g_get_monotonic_time ();
  while (!mh_run_loop_done (loop))
    {
      guint flags = mh_run_loop_step (loop, &error);
      gint64 now = g_get_monotonic_time ();
      if (flags == 0)
        {
          status = 1;
          break;
        }
      if ((warning = mh_run_loop_take_warning (loop)) != NULL)
        g_printerr ("multihead-studio: %s\n", warning);
      g_clear_pointer (&warning, g_free);
      if ((flags & (MH_RUN_LOOP_EPOCH | MH_RUN_LOOP_FINISHED)) || now - t_report > 3 * G_USEC_PER_SEC)
        {
          print_progress (run, loop->total_steps,
                          loop->train_seconds > 0 ? (run->samples - loop->samples0) / loop->train_seconds : 0);
          t_report = now;
        }
      if (flags & MH_RUN_LOOP_EPOCH)
        {
          conflict_take (run, &conflict);
          print_conflict (run, &conflict);
          if (loop->validation != NULL)
            mh_cli_print_metrics ("validation", run->model, loop->validation);
        }
    }
  if (status != 0)
    {
      g_printerr ("multihead-studio: %s: %s\n", where, error->message);
      g_clear_error (&error);
    }
  if ((warning = mh_run_loop_take_warning (loop)) != NULL)
    g_printerr ("multihead-studio: %s\n", warning);
  if (save != NULL && !mh_model_save_weights (run->model, save, p->name, &error))
    {
      status = mh_cli_fail (error);
      error = NULL;
    }
  else if (save != NULL)
    g_printerr (_("weights written to %s\n"), save);
  if (status == 0 && loop->test != NULL)
    mh_cli_print_metrics ("test", run->model, loop->test);
  if (conflict.cosine == NULL || !mh_training_epoch_done (run))
    conflict_take (run, &conflict);   /* the steps since the last epoch */
  if (opt.json && status == 0)
    print_json (loop, &opt, &conflict);
  conflict_clear (&conflict);
  return status;
}
