/* mh-run.c — a run's record, read and written (mh-run.h). */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "mh-error.h"
#include "mh-input.h"
#include "mh-json.h"
#include "mh-run-lock.h"
#include "mh-run.h"
#include "mh-save.h"
#include "mh-schema.h"

/* metrics.csv: ~40 bytes a cell; a long run of many heads stays far below */
#define MAX_METRICS_BYTES ((guint64) 1 << 30)

static const char *const state_names[] = { "running", "paused", "stopped", "finished", "failed", "unreadable" };
static const char *const kind_names[] = { "class", "labels", "numbers" };

const char *
mh_run_state_name (MhRunState state)
{
  return (guint) state < G_N_ELEMENTS (state_names) ? state_names[state] : "unreadable";
}

static void
checkpoint_clear (gpointer p)
{
  MhRunCheckpoint *c = p;

  g_free (c->file);
  g_free (c->problem);
}

MhRun *
mh_run_new (const char *dir)
{
  MhRun *run = g_new0 (MhRun, 1);

  run->ref_count = 1;
  run->dir = g_strdup (dir);
  run->id = g_path_get_basename (dir);
  run->parent_epoch = -1;
  run->parent_step = -1;
  run->checkpoints = g_array_new (FALSE, TRUE, sizeof (MhRunCheckpoint));
  g_array_set_clear_func (run->checkpoints, checkpoint_clear);
  run->notes = g_ptr_array_new_with_free_func (g_free);
  return run;
}

MhRun *
mh_run_ref (MhRun *run)
{
  g_atomic_int_inc (&run->ref_count);
  return run;
}

void
mh_run_unref (MhRun *run)
{
  if (run == NULL || !g_atomic_int_dec_and_test (&run->ref_count))
    return;
  g_free (run->id);
  g_free (run->dir);
  g_free (run->name);
  g_free (run->message);
  g_free (run->problem);
  g_free (run->project_json);
  g_free (run->project_file);
  g_free (run->project_name);
  g_free (run->balancing);
  g_free (run->parent_id);
  g_free (run->blas_core);
  for (int h = 0; h < run->n_heads; h++)
    g_free (run->heads[h].name);
  g_free (run->heads);
  g_free (run->validation);
  g_free (run->test);
  g_array_unref (run->checkpoints);
  g_ptr_array_unref (run->notes);
  g_free (run);
}

char *
mh_run_dup_title (const MhRun *run)
{
  /* TRANSLATORS: an unnamed run, by its number ("run 3") */
  return run->name != NULL && *run->name ? g_strdup (run->name) : g_strdup_printf (_("run %s"), run->id);
}

int
mh_run_epochs_done (const MhRun *run)
{
  return run->steps_per_epoch > 0 ? run->steps / run->steps_per_epoch : 0;
}

int
mh_run_find_head (const MhRun *run, const char *name)
{
  for (int h = 0; h < run->n_heads; h++)
    if (g_strcmp0 (run->heads[h].name, name) == 0)
      return h;
  return -1;
}

/* ---- writing ------------------------------------------------------------------ */

static void
add_number (JsonBuilder *b, const char *name, double v)
{
  if (!isfinite (v))
    return;   /* JSON has no NaN: a missing figure is left out */
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, v);
}




static void
add_metrics (JsonBuilder *b, const char *name, const MhRun *run, const MhHeadMetrics *m)
{
  if (m == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (int h = 0; h < run->n_heads; h++)
    {
      json_builder_set_member_name (b, run->heads[h].name);
      json_builder_begin_object (b);
      add_number (b, "loss", m[h].loss);
      add_number (b, "accuracy", m[h].accuracy);
      add_number (b, "f1_micro", m[h].f1_micro);
      add_number (b, "f1_macro", m[h].f1_macro);
      add_number (b, "mae", m[h].mae);
      add_number (b, "iou", m[h].iou);
      mh_json_add_int (b, "n", m[h].n);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

char *
mh_run_to_json (const MhRun *run, gsize *len)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonParser) project = json_parser_new ();
  char *text;

  json_builder_begin_object (b);
  mh_json_add_int (b, "format", MH_RUN_FORMAT);
  mh_json_add_string (b, "id", run->id);
  mh_json_add_string (b, "name", run->name);
  mh_json_add_string (b, "state", mh_run_state_name (run->state));
  mh_json_add_string (b, "message", run->message);
  mh_json_add_string (b, "project_file", run->project_file);
  mh_json_add_string (b, "project_name", run->project_name);
  if (run->project_json != NULL && json_parser_load_from_data (project, run->project_json, -1, NULL)
      && json_parser_get_root (project) != NULL)
    {
      json_builder_set_member_name (b, "project");
      json_builder_add_value (b, json_node_copy (json_parser_get_root (project)));
    }
  mh_json_add_string (b, "balancing", run->balancing);
  mh_json_add_int (b, "seed", run->seed);
  mh_json_add_int (b, "threads", run->threads);
  mh_json_add_int (b, "batch", run->batch);
  mh_json_add_time (b, "started", run->started);
  mh_json_add_time (b, "ended", run->ended);
  if (run->parent_id != NULL)
    {
      json_builder_set_member_name (b, "parent");
      json_builder_begin_object (b);
      mh_json_add_string (b, "run", run->parent_id);
      mh_json_add_int (b, "epoch", run->parent_epoch);
      mh_json_add_int (b, "step", run->parent_step);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "pinned");
  json_builder_add_boolean_value (b, run->pinned);
  mh_json_add_int (b, "steps", run->steps);
  mh_json_add_int (b, "total_steps", run->total_steps);
  mh_json_add_int (b, "steps_per_epoch", run->steps_per_epoch);
  mh_json_add_int (b, "epochs", run->epochs);
  add_number (b, "train_seconds", run->train_seconds);
  add_number (b, "samples_per_s", run->samples_per_s);
  mh_json_add_string (b, "blas_core", run->blas_core);
  json_builder_set_member_name (b, "heads");
  json_builder_begin_array (b);
  for (int h = 0; h < run->n_heads; h++)
    {
      json_builder_begin_object (b);
      mh_json_add_string (b, "name", run->heads[h].name);
      mh_json_add_string (b, "kind", kind_names[CLAMP ((int) run->heads[h].kind, 0, 2)]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_metrics (b, "validation", run, run->validation);
  add_metrics (b, "test", run, run->test);
  json_builder_set_member_name (b, "checkpoints");
  json_builder_begin_array (b);
  for (guint i = 0; i < run->checkpoints->len; i++)
    {
      const MhRunCheckpoint *c = &g_array_index (run->checkpoints, MhRunCheckpoint, i);
      json_builder_begin_object (b);
      mh_json_add_int (b, "epoch", c->epoch);
      mh_json_add_int (b, "step", c->step);
      mh_json_add_string (b, "file", c->file);
      mh_json_add_int (b, "bytes", c->bytes);
      if (c->at_stop)
        {
          json_builder_set_member_name (b, "at_stop");
          json_builder_add_boolean_value (b, TRUE);
        }
      if (c->problem != NULL && g_str_has_prefix (c->problem, "removed"))
        mh_json_add_string (b, "removed", c->problem);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (run->notes->len > 0)
    {
      json_builder_set_member_name (b, "notes");
      json_builder_begin_array (b);
      for (guint i = 0; i < run->notes->len; i++)
        json_builder_add_string_value (b, run->notes->pdata[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = mh_json_write (root, len);
  return text;
}

gboolean
mh_run_save (const MhRun *run, GError **error)
{
  gsize len;
  g_autofree char *text = mh_run_to_json (run, &len);
  g_autofree char *path = g_build_filename (run->dir, "run.json", NULL);

  /* it holds a project, and reads as one to the kind check (mh-save.h): a
   * project may replace plain JSON and itself */
  return mh_save_contents (path, MH_FILE_KIND_PROJECT, text, len, MH_SAVE_DEFAULT, error);
}

/* ---- reading ------------------------------------------------------------------ */

static const char *
get_string (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

static gboolean
is_number (JsonNode *n)
{
  return n != NULL && JSON_NODE_HOLDS_VALUE (n)
         && (json_node_get_value_type (n) == G_TYPE_INT64 || json_node_get_value_type (n) == G_TYPE_DOUBLE);
}

static double
get_double (JsonObject *o, const char *name, double fallback)
{
  JsonNode *n = json_object_get_member (o, name);

  return is_number (n) ? json_node_get_double (n) : fallback;
}

static gint64
get_int (JsonObject *o, const char *name, gint64 min, gint64 max, gint64 fallback)
{
  JsonNode *n = json_object_get_member (o, name);
  gint64 v;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return fallback;
  v = json_node_get_int (n);
  return v < min || v > max ? fallback : v;
}

static gint64
get_time (JsonObject *o, const char *name)
{
  const char *s = get_string (o, name);
  g_autoptr (GDateTime) dt = s != NULL ? g_date_time_new_from_iso8601 (s, NULL) : NULL;

  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

static MhHeadMetrics *
get_metrics (JsonObject *o, const char *name, const MhRun *run)
{
  JsonNode *n = json_object_get_member (o, name);
  JsonObject *m;
  MhHeadMetrics *out;

  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n) || run->n_heads == 0)
    return NULL;
  m = json_node_get_object (n);
  out = g_new (MhHeadMetrics, run->n_heads);
  for (int h = 0; h < run->n_heads; h++)
    {
      JsonNode *hn = json_object_get_member (m, run->heads[h].name);
      JsonObject *ho = hn != NULL && JSON_NODE_HOLDS_OBJECT (hn) ? json_node_get_object (hn) : NULL;
      out[h].loss = ho ? get_double (ho, "loss", NAN) : NAN;
      out[h].accuracy = ho ? get_double (ho, "accuracy", NAN) : NAN;
      out[h].f1_micro = ho ? get_double (ho, "f1_micro", NAN) : NAN;
      out[h].f1_macro = ho ? get_double (ho, "f1_macro", NAN) : NAN;
      out[h].mae = ho ? get_double (ho, "mae", NAN) : NAN;
      out[h].iou = ho ? get_double (ho, "iou", NAN) : NAN;
      out[h].n = ho ? (int) get_int (ho, "n", 0, G_MAXINT, 0) : 0;
    }
  return out;
}

static void
read_heads (MhRun *run, JsonObject *o)
{
  JsonNode *n = json_object_get_member (o, "heads");
  JsonArray *a = n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
  guint len = a != NULL ? json_array_get_length (a) : 0;

  run->heads = g_new0 (MhRunHead, MAX (len, 1));
  for (guint i = 0; i < len; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      JsonObject *h = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      const char *name = h ? get_string (h, "name") : NULL;
      const char *kind = h ? get_string (h, "kind") : NULL;
      if (name == NULL)
        continue;
      run->heads[run->n_heads].name = g_strdup (name);
      run->heads[run->n_heads].kind = g_strcmp0 (kind, "labels") == 0 ? MH_FIELD_LABELS
                                      : g_strcmp0 (kind, "numbers") == 0 ? MH_FIELD_NUMBERS : MH_FIELD_CLASS;
      run->n_heads++;
    }
}

/* Each checkpoint as recorded, checked against its file. */
static void
read_checkpoints (MhRun *run, JsonObject *o)
{
  JsonNode *n = json_object_get_member (o, "checkpoints");
  JsonArray *a = n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;

  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      JsonObject *c = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      const char *file = c ? get_string (c, "file") : NULL;
      MhRunCheckpoint ck = { 0 };
      g_autofree char *path = NULL;
      GStatBuf st;

      /* a name inside the folder, nothing else */
      if (file == NULL || strchr (file, '/') != NULL || file[0] == '.' || !g_str_has_suffix (file, ".safetensors"))
        continue;
      ck.file = g_strdup (file);
      ck.epoch = (int) get_int (c, "epoch", 0, G_MAXINT, 0);
      ck.step = (int) get_int (c, "step", 0, G_MAXINT, 0);
      ck.bytes = get_int (c, "bytes", 0, G_MAXINT64, 0);
      ck.at_stop = json_object_get_boolean_member_with_default (c, "at_stop", FALSE);
      path = g_build_filename (run->dir, file, NULL);
      if (get_string (c, "removed") != NULL)
        ck.problem = g_strdup (get_string (c, "removed"));
      else if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
        ck.problem = g_strdup ("missing");
      else if (ck.bytes > 0 && st.st_size != ck.bytes)
        ck.problem = g_strdup_printf ("cut short or changed (%" G_GINT64_FORMAT " bytes, %" G_GINT64_FORMAT
                                      " when written)", (gint64) st.st_size, ck.bytes);
      g_array_append_val (run->checkpoints, ck);
    }
}

static gint64
folder_bytes (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  gint64 total = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;
      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode))
        total += st.st_size;
    }
  return total;
}

static void
unreadable (MhRun *run, char *problem)
{
  run->state = MH_RUN_UNREADABLE;
  g_free (run->problem);
  run->problem = problem;
}

static void
read_record (MhRun *run, JsonObject *o)
{
  JsonNode *project = json_object_get_member (o, "project");
  JsonNode *parent = json_object_get_member (o, "parent");
  JsonNode *notes = json_object_get_member (o, "notes");
  const char *state = get_string (o, "state");
  gint64 format = get_int (o, "format", 1, G_MAXINT, -1);
  guint s;

  if (format < 0)
    return unreadable (run, g_strdup (_("run.json has no valid 'format'")));
  if (format > MH_RUN_FORMAT)
    return unreadable (run, g_strdup_printf ("recorded by a newer version of Multihead Studio (run format %"
                                             G_GINT64_FORMAT ", this one reads %d)", format, MH_RUN_FORMAT));
  for (s = 0; s < MH_RUN_UNREADABLE && g_strcmp0 (state, state_names[s]) != 0; s++)
    ;
  if (s == MH_RUN_UNREADABLE)
    return unreadable (run, g_strdup_printf ("run.json: 'state' is %s", state ? "unknown" : "missing"));
  if (project == NULL || !JSON_NODE_HOLDS_OBJECT (project))
    return unreadable (run, g_strdup (_("run.json holds no project")));
  run->state = (MhRunState) s;
  run->project_json = mh_json_write (project, NULL);
  run->name = g_strdup (get_string (o, "name"));
  run->message = g_strdup (get_string (o, "message"));
  run->project_file = g_strdup (get_string (o, "project_file"));
  run->project_name = g_strdup (get_string (o, "project_name"));
  run->balancing = g_strdup (get_string (o, "balancing"));
  run->blas_core = g_strdup (get_string (o, "blas_core"));
  run->seed = (guint32) get_int (o, "seed", 0, G_MAXUINT32, 0);
  run->threads = (int) get_int (o, "threads", 0, G_MAXINT, 0);
  run->batch = (int) get_int (o, "batch", 0, G_MAXINT, 0);
  run->started = get_time (o, "started");
  run->ended = get_time (o, "ended");
  run->pinned = json_object_get_boolean_member_with_default (o, "pinned", FALSE);
  run->steps = (int) get_int (o, "steps", 0, G_MAXINT, 0);
  run->total_steps = (int) get_int (o, "total_steps", 0, G_MAXINT, 0);
  run->steps_per_epoch = (int) get_int (o, "steps_per_epoch", 0, G_MAXINT, 0);
  run->epochs = (int) get_int (o, "epochs", 0, G_MAXINT, 0);
  run->train_seconds = get_double (o, "train_seconds", 0);
  run->samples_per_s = get_double (o, "samples_per_s", 0);
  if (parent != NULL && JSON_NODE_HOLDS_OBJECT (parent) && get_string (json_node_get_object (parent), "run"))
    {
      JsonObject *po = json_node_get_object (parent);
      run->parent_id = g_strdup (get_string (po, "run"));
      run->parent_epoch = (int) get_int (po, "epoch", 0, G_MAXINT, 0);
      run->parent_step = (int) get_int (po, "step", 0, G_MAXINT, 0);
    }
  read_heads (run, o);
  run->validation = get_metrics (o, "validation", run);
  run->test = get_metrics (o, "test", run);
  read_checkpoints (run, o);
  for (guint i = 0; notes != NULL && JSON_NODE_HOLDS_ARRAY (notes) && i < json_array_get_length (json_node_get_array (notes)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (notes), i);
      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
        g_ptr_array_add (run->notes, g_strdup (json_node_get_string (e)));
    }
}

MhRun *
mh_run_read (const char *dir)
{
  MhRun *run = mh_run_new (dir);
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (MhProject) p = NULL;
  JsonNode *root;

  run->disk_bytes = folder_bytes (dir);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      unreadable (run, g_strdup (mh_run_lock_is_held (dir) ? _("being created") : _("its record (run.json) is missing")));
      return run;
    }
  parser = mh_json_load_file (path, _("run record"), MH_JSON_MAX_FILE, &error);
  root = parser != NULL ? json_parser_get_root (parser) : NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      unreadable (run, error != NULL ? g_strdup (error->message)
                                     : g_strdup_printf (_("%s: not a run record (no JSON object)"), path));
      return run;
    }
  read_record (run, json_node_get_object (root));
  if (run->state == MH_RUN_UNREADABLE)
    {
      g_autofree char *why = run->problem;
      run->problem = g_strdup_printf ("%s: %s", path, why);
      return run;
    }
  if ((run->state == MH_RUN_RUNNING || run->state == MH_RUN_PAUSED) && !mh_run_lock_is_held (dir))
    {
      run->state = MH_RUN_STOPPED;
      run->interrupted = TRUE;
      g_free (run->message);
      run->message = g_strdup (_("interrupted: the program recording it ended before the run did"));
    }
  if (!(p = mh_run_dup_project (run, &error)))
    run->problem = g_strdup_printf (_("its project no longer reads (%s)"), error->message);
  return run;
}

/* ---- what it holds -------------------------------------------------------------- */

MhProject *
mh_run_dup_project (const MhRun *run, GError **error)
{
  g_autofree char *where = g_build_filename (run->dir, "run.json", NULL);

  if (run->project_json == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: the run holds no project"), where);
      return NULL;
    }
  return mh_project_load_data (run->project_json, -1, where, error);
}

/* The project as it trains: its name and canvas aside. */
static MhProject *
as_trained (const MhProject *p)
{
  MhProject *s = mh_project_copy (p);

  g_free (s->name);
  s->name = g_strdup ("");
  g_clear_pointer (&s->layout, json_node_unref);
  return s;
}

gboolean
mh_run_trained_project (const MhRun *run, const MhProject *p)
{
  g_autoptr (MhProject) mine = mh_run_dup_project (run, NULL);
  g_autoptr (MhProject) a = NULL;
  g_autoptr (MhProject) b = NULL;

  if (mine == NULL)
    return FALSE;
  a = as_trained (mine);
  b = as_trained (p);
  return mh_project_equal (a, b);
}

const MhRunCheckpoint *
mh_run_find_checkpoint (const MhRun *run, int epoch)
{
  if (epoch < 0)   /* they are in step order */
    return run->checkpoints->len > 0
           ? &g_array_index (run->checkpoints, MhRunCheckpoint, run->checkpoints->len - 1) : NULL;
  for (guint i = 0; i < run->checkpoints->len; i++)
    {
      const MhRunCheckpoint *c = &g_array_index (run->checkpoints, MhRunCheckpoint, i);
      if (c->epoch == epoch && !c->at_stop)
        return c;
    }
  return NULL;
}

char *
mh_run_checkpoint_path (const MhRun *run, int epoch, GError **error)
{
  const MhRunCheckpoint *c = mh_run_find_checkpoint (run, epoch);
  g_autofree char *title = mh_run_dup_title (run);

  if (c == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: %s has no checkpoint of epoch %d (it has %s)"),
                   run->dir, title, epoch, run->checkpoints->len > 0 ? "others" : "none");
      return NULL;
    }
  if (c->problem != NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s/%s: the checkpoint of epoch %d is %s"), run->dir, c->file,
                   c->epoch, c->problem);
      return NULL;
    }
  return g_build_filename (run->dir, c->file, NULL);
}

MhTrainLog *
mh_run_load_metrics (const MhRun *run, GError **error)
{
  g_autofree char *path = g_build_filename (run->dir, "metrics.csv", NULL);
  gsize len;
  g_autofree char *text = mh_input_read_all (path, _("metrics log"), MAX_METRICS_BYTES, &len, error);

  return text != NULL ? mh_train_log_from_csv (text, len, path, error) : NULL;
}
