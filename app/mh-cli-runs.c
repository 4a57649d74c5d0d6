/* mh-cli-runs.c — `multihead-studio runs FILE` (the recorded runs: list,
 * rename, pin, delete, the retention rule) and `render-curves FILE` (their
 * per-head loss curves overlaid, as the window draws them, for slides). */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include "mh-json.h"
#include "mh-cli.h"
#include "mh-error.h"
#include "mh-run-curves.h"
#include "mh-run-store.h"
#include "mh-trainer.h"

/* ---- the listing ------------------------------------------------------------------ */

static char *
format_time (gint64 t)
{
  g_autoptr (GDateTime) utc = t > 0 ? g_date_time_new_from_unix_utc (t) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("—");
}

static char *
format_bytes (gint64 bytes)
{
  return g_format_size_full ((guint64) MAX (0, bytes), G_FORMAT_SIZE_DEFAULT);
}

/* A head's final figure: the test split's, else the last validation. */
static char *
final_figure (const MhRun *run, int h)
{
  const MhHeadMetrics *m = run->test != NULL ? &run->test[h] : run->validation != NULL ? &run->validation[h] : NULL;
  const char *name = NULL;
  double v = m != NULL ? mh_head_metrics_primary (m, &name) : NAN;

  if (!isfinite (v))
    return g_strdup ("—");
  if (g_strcmp0 (name, "accuracy") == 0)
    return g_strdup_printf ("%.1f%%%s", 100 * v, run->test ? "" : " (val)");
  return g_strdup_printf ("%s %.3f%s", name, v, run->test ? "" : " (val)");
}

static void
print_table (const MhRunStore *store, GPtrArray *runs, const char *where)
{
  g_autofree char *total = format_bytes (mh_run_store_disk_use (store));
  MhRunRetention rule = mh_run_store_get_retention (store);
  g_autofree char *cap = rule.max_bytes > 0 ? format_bytes (rule.max_bytes) : g_strdup (_("no limit"));

  g_print (_("Runs of %s: %u, %s in %s\n"), where, runs->len, total, store->dir);
  if (store->in_user_data)
    g_print (_("  (in your data folder: %s)\n"), store->why);
  g_print (_("Retention: the checkpoints of the last %d runs and of pinned runs are kept; at most %s\n\n"),
           rule.keep_checkpoints, cap);
  for (guint i = 0; i < runs->len; i++)
    {
      const MhRun *run = runs->pdata[i];
      g_autofree char *title = mh_run_dup_title (run);
      g_autofree char *date = format_time (run->started);
      g_autofree char *disk = format_bytes (run->disk_bytes);
      g_autoptr (GString) line = g_string_new (NULL);

      g_string_append_printf (line, "%-4s %-20s %s  %-9s", run->id, title, date, _(mh_run_state_name (run->state)));
      if (run->state == MH_RUN_UNREADABLE)
        {
          g_print ("%s  %s\n", line->str, run->problem);
          continue;
        }
      g_string_append_printf (line, " seed %-5u %s  epochs %d/%d", run->seed, run->balancing ? run->balancing : "",
                              mh_run_epochs_done (run), run->epochs);
      if (run->parent_id != NULL)
        g_string_append_printf (line, _("  branch of %s:%d"), run->parent_id, run->parent_epoch);
      for (int h = 0; h < run->n_heads; h++)
        {
          g_autofree char *fig = final_figure (run, h);
          g_string_append_printf (line, "  %s %s", run->heads[h].name, fig);
        }
      g_string_append_printf (line, "  %s%s", disk, run->pinned ? "  pinned" : "");
      g_print ("%s\n", line->str);
      if (run->message != NULL)
        g_print ("     %s\n", run->message);
      if (run->problem != NULL)
        g_print ("     %s\n", run->problem);
      for (guint n = 0; n < run->notes->len; n++)
        g_print ("     note: %s\n", (const char *) run->notes->pdata[n]);
    }
}

static void
json_metrics (JsonBuilder *b, const char *prefix, const MhHeadMetrics *m)
{
  if (m != NULL)
    mh_cli_json_metrics (b, prefix, m);
}

static void
json_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}



/* ISO 8601, or null when unknown */
static void
json_time (JsonBuilder *b, const char *name, gint64 t)
{
  g_autofree char *text = mh_json_iso_time (t);

  json_string (b, name, text);
}

static void
json_run (JsonBuilder *b, const MhRun *run)
{
  /* the JSON is for programs: the same in every language */
  g_autofree char *title = run->name != NULL && *run->name ? g_strdup (run->name) : g_strdup_printf ("run %s", run->id);

  json_builder_begin_object (b);
  json_string (b, "id", run->id);
  json_string (b, "name", title);
  json_string (b, "state", mh_run_state_name (run->state));
  json_string (b, "message", run->message);
  json_string (b, "problem", run->problem);
  json_builder_set_member_name (b, "interrupted");
  json_builder_add_boolean_value (b, run->interrupted);
  json_builder_set_member_name (b, "pinned");
  json_builder_add_boolean_value (b, run->pinned);
  json_time (b, "started", run->started);
  json_time (b, "ended", run->ended);
  mh_json_add_int (b, "seed", run->seed);
  mh_json_add_int (b, "threads", run->threads);
  json_string (b, "balancing", run->balancing);
  mh_json_add_int (b, "epochs", run->epochs);
  mh_json_add_int (b, "epochs_done", mh_run_epochs_done (run));
  mh_json_add_int (b, "steps", run->steps);
  mh_json_add_int (b, "total_steps", run->total_steps);
  json_builder_set_member_name (b, "parent");
  if (run->parent_id != NULL)
    {
      json_builder_begin_object (b);
      json_string (b, "run", run->parent_id);
      mh_json_add_int (b, "epoch", run->parent_epoch);
      mh_json_add_int (b, "step", run->parent_step);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  mh_json_add_int (b, "disk_bytes", run->disk_bytes);
  json_builder_set_member_name (b, "heads");
  json_builder_begin_object (b);
  for (int h = 0; h < run->n_heads; h++)
    {
      json_builder_set_member_name (b, run->heads[h].name);
      json_builder_begin_object (b);
      json_metrics (b, "val", run->validation ? &run->validation[h] : NULL);
      json_metrics (b, "test", run->test ? &run->test[h] : NULL);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "checkpoints");
  json_builder_begin_array (b);
  for (guint i = 0; i < run->checkpoints->len; i++)
    {
      const MhRunCheckpoint *c = &g_array_index (run->checkpoints, MhRunCheckpoint, i);
      g_autofree char *path = g_build_filename (run->dir, c->file, NULL);
      json_builder_begin_object (b);
      mh_json_add_int (b, "epoch", c->epoch);
      mh_json_add_int (b, "step", c->step);
      json_string (b, "path", path);
      mh_json_add_int (b, "bytes", c->bytes);
      json_builder_set_member_name (b, "at_stop");
      json_builder_add_boolean_value (b, c->at_stop);
      json_string (b, "problem", c->problem);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_json (const MhRunStore *store, GPtrArray *runs, const char *where)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  MhRunRetention rule = mh_run_store_get_retention (store);

  json_builder_begin_object (b);
  json_string (b, "project", where);
  json_string (b, "store", store->dir);
  json_builder_set_member_name (b, "in_user_data");
  json_builder_add_boolean_value (b, store->in_user_data);
  mh_json_add_int (b, "disk_bytes", mh_run_store_disk_use (store));
  json_builder_set_member_name (b, "retention");
  json_builder_begin_object (b);
  mh_json_add_int (b, "keep_checkpoints", rule.keep_checkpoints);
  mh_json_add_int (b, "max_bytes", rule.max_bytes);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint i = 0; i < runs->len; i++)
    json_run (b, runs->pdata[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  mh_cli_print_json (b);
}

/* ---- runs FILE ----------------------------------------------------------------------- */

typedef struct {
  gboolean json;
  char    *rename;    /* ID=NAME */
  char    *pin, *unpin, *delete_;
  int      keep;      /* -1: unchanged */
  double   max_mb;    /* < 0: unchanged */
} RunsOptions;

static gboolean
edit (const MhRunStore *store, const RunsOptions *o, GError **error)
{
  if (o->rename != NULL)
    {
      const char *eq = strchr (o->rename, '=');
      g_autofree char *id = eq != NULL ? g_strndup (o->rename, eq - o->rename) : NULL;
      if (eq == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--rename wants ID=NAME, not '%s'"), o->rename);
          return FALSE;
        }
      if (!mh_run_store_set_name (store, id, eq + 1, error))
        return FALSE;
    }
  if ((o->pin != NULL && !mh_run_store_set_pinned (store, o->pin, TRUE, error))
      || (o->unpin != NULL && !mh_run_store_set_pinned (store, o->unpin, FALSE, error))
      || (o->delete_ != NULL && !mh_run_store_delete (store, o->delete_, error)))
    return FALSE;
  if (o->keep >= 0 || o->max_mb >= 0)
    {
      MhRunRetention rule = mh_run_store_get_retention (store);
      if (o->keep >= 0)
        rule.keep_checkpoints = o->keep;
      if (o->max_mb >= 0)
        rule.max_bytes = (gint64) (o->max_mb * 1048576.0);
      if (!mh_run_store_set_retention (store, &rule, error))
        return FALSE;
      g_printerr (_("retention: %u checkpoint files removed\n"), mh_run_store_apply_retention (store));
    }
  return TRUE;
}

int
mh_cli_runs (int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  g_autoptr (GOptionContext) ctx = g_option_context_new (N_("FILE.mhproj — the project's recorded runs"));
  RunsOptions o = { .keep = -1, .max_mb = -1 };
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print them as one line of JSON"), NULL },
    { "rename", 0, 0, G_OPTION_ARG_STRING, &o.rename, N_("Give run ID a name"), "ID=NAME" },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &o.pin, N_("Keep run ID's checkpoints whatever the retention rule"), "ID" },
    { "unpin", 0, 0, G_OPTION_ARG_STRING, &o.unpin, N_("Let the retention rule apply to run ID again"), "ID" },
    { "delete", 0, 0, G_OPTION_ARG_STRING, &o.delete_, N_("Delete run ID and its files"), "ID" },
    { "keep-checkpoints", 0, 0, G_OPTION_ARG_INT, &o.keep,
      N_("Retention: keep the checkpoints of the last N runs (and of pinned runs)"), "N" },
    { "max-megabytes", 0, 0, G_OPTION_ARG_DOUBLE, &o.max_mb,
      N_("Retention: above this, the oldest runs' checkpoints go (0: no limit)"), "MB" },
    { NULL }
  };
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhRunStore) store = NULL;
  g_autoptr (GPtrArray) runs = NULL;
  GError *error = NULL;
  int status = 0;

  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  mh_cli_add_common_options (ctx);
  if (!g_option_context_parse_strv (ctx, &args, &error) || !mh_cli_apply_common_options (&error))
    status = mh_cli_fail (error);
  else if (g_strv_length (args) != 2)
    status = mh_cli_fail (g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                                       _("runs takes one project file (see 'multihead-studio runs --help')")));
  else if (!(p = mh_project_load (args[1], &error)))
    status = mh_cli_fail (error);
  if (status == 0)
    {
      store = mh_run_store_for_project (args[1], p->name);
      if (!edit (store, &o, &error))
        status = mh_cli_fail (error);
    }
  if (status == 0)
    {
      runs = mh_run_store_list (store);
      if (o.json)
        print_json (store, runs, args[1]);
      else
        print_table (store, runs, args[1]);
    }
  g_free (o.rename);
  g_free (o.pin);
  g_free (o.unpin);
  g_free (o.delete_);
  return status;
}

/* ---- render-curves FILE --out PNG ------------------------------------------------------ */

/* --runs ID,ID… (default: every readable run), with their metrics. */
static gboolean
chosen_runs (const MhRunStore *store, const char *list, GPtrArray *runs, GPtrArray *logs, GError **error)
{
  g_autoptr (GPtrArray) all = mh_run_store_list (store);
  g_auto (GStrv) ids = list != NULL ? g_strsplit (list, ",", -1) : NULL;

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      MhRun *run = mh_run_store_get (store, g_strstrip (ids[i]), error);
      if (run == NULL)
        return FALSE;
      g_ptr_array_add (runs, run);
    }
  for (guint i = 0; ids == NULL && i < all->len; i++)
    if (((MhRun *) all->pdata[i])->state != MH_RUN_UNREADABLE)
      g_ptr_array_add (runs, mh_run_ref (all->pdata[i]));
  if (runs->len == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: no recorded runs (train the project first)"), store->dir);
      return FALSE;
    }
  for (guint i = 0; i < runs->len; i++)
    {
      MhRun *run = runs->pdata[i];
      MhTrainLog *log = run->state == MH_RUN_UNREADABLE ? NULL : mh_run_load_metrics (run, error);
      if (log == NULL)
        {
          if (run->state == MH_RUN_UNREADABLE)
            g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "run %s: %s", run->id, run->problem);
          return FALSE;
        }
      g_ptr_array_add (logs, log);
    }
  return TRUE;
}

/* The heads in colour order: the project's, then the runs' others. */
static GStrv
head_order (const MhProject *p)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv heads;

  for (guint h = 0; h < p->heads->len; h++)
    g_strv_builder_add (b, g_array_index (p->heads, MhHeadSpec, h).name);
  heads = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return heads;
}

int
mh_cli_render_curves (int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  g_autoptr (GOptionContext) ctx = g_option_context_new (N_("FILE.mhproj — the recorded runs' loss curves, overlaid"));
  g_autofree char *list = NULL, *head = NULL, *out = NULL;
  int width = 960, height = 540;
  gboolean dark = FALSE, metric = FALSE, no_band = FALSE;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_STRING, &list, N_("The runs to draw (default: all)"), "ID,ID…" },
    { "head", 0, 0, G_OPTION_ARG_STRING, &head, N_("Only this head's curves"), "NAME" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The picture: .png, .svg or .pdf"), "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, N_("Width in pixels (default 960)"), "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, N_("Height in pixels (default 540)"), "H" },
    { "metric", 0, 0, G_OPTION_ARG_NONE, &metric, N_("Accuracy instead of the loss"), NULL },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, N_("Dark colours"), NULL },
    { "no-band", 0, 0, G_OPTION_ARG_NONE, &no_band, N_("Runs that differ only by seed: each line, not mean ± spread"), NULL },
    { NULL }
  };
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhRunStore) store = NULL;
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_run_unref);
  g_autoptr (GPtrArray) logs = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_train_log_free);
  g_autoptr (MhPlotFigure) figure = NULL;
  g_auto (GStrv) heads = NULL;
  MhPlotTheme theme;
  GError *error = NULL;
  gboolean ok;

  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  mh_cli_add_common_options (ctx);
  if (!g_option_context_parse_strv (ctx, &args, &error) || !mh_cli_apply_common_options (&error))
    return mh_cli_fail (error);
  if (g_strv_length (args) != 2 || out == NULL)
    return mh_cli_fail (g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                                     _("render-curves takes one project file and --out FILE (see "
                                     "'multihead-studio render-curves --help')")));
  if (width < 200 || width > 8000 || height < 150 || height > 8000)
    return mh_cli_fail (g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                     _("--width must be 200 … 8000 and --height 150 … 8000")));
  if (!(p = mh_project_load (args[1], &error)))
    return mh_cli_fail (error);
  mh_cli_protect_inputs (args[1], p, NULL, NULL);
  store = mh_run_store_for_project (args[1], p->name);
  if (!chosen_runs (store, list, runs, logs, &error))
    return mh_cli_fail (error);
  heads = head_order (p);
  figure = mh_plot_figure_new ();
  if (mh_run_curves_add (figure, runs, logs, (const char *const *) heads, head,
                         metric ? MH_RUN_CURVES_METRIC : MH_RUN_CURVES_LOSS, !no_band) == 0)
    return mh_cli_fail (g_error_new (MH_ERROR, MH_ERROR_INVALID, "%s: %s", args[1],
                                     head != NULL ? _("no chosen run has that head") : _("the runs have no curves")));
  mh_plot_theme_init (&theme, dark);
  ok = mh_plot_figure_export (figure, &theme, out, width, height, &error);
  mh_plot_theme_clear (&theme);
  if (!ok)
    return mh_cli_fail (error);
  g_printerr (_("%s: %u runs drawn\n"), out, runs->len);
  return 0;
}
