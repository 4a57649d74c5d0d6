/* mh-run-store.c — a project's runs on disk (mh-run-store.h). */
#include <errno.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "mh-error.h"
#include "mh-json.h"
#include "mh-run-store.h"
#include "mh-save.h"

#define TRASH_PREFIX ".trash-"

/* ---- where ---------------------------------------------------------------------- */

static char *
real_path (const char *path)
{
  char *r = realpath (path, NULL);
  char *out = r != NULL ? g_strdup (r) : g_canonicalize_filename (path, NULL);

  free (r);
  return out;
}

static gboolean
path_under (const char *path, const char *dir)
{
  g_autofree char *real_dir = real_path (dir);
  gsize n = strlen (real_dir);

  return strncmp (path, real_dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

gboolean
mh_run_store_is_template (const char *project_file)
{
  g_autofree char *real = real_path (project_file);

  return path_under (real, MH_SOURCE_DIR "/resources/examples") || path_under (real, MH_DATA_DIR);
}

/* A file-name-safe version of a name. */
static char *
safe_name (const char *name)
{
  char *s = g_strdup (name != NULL && *name ? name : "untitled");

  for (char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      *p = '-';
  if (s[0] == '.')
    s[0] = '_';
  return s;
}

static char *
user_data_store (const char *stem, const char *suffix)
{
  g_autofree char *safe = safe_name (stem);
  g_autofree char *leaf = g_strdup_printf ("%s-%s", safe, suffix);

  return g_build_filename (g_get_user_data_dir (), "multihead-studio", "runs", leaf, NULL);
}

MhRunStore *
mh_run_store_for_project (const char *project_file, const char *name)
{
  MhRunStore *s = g_new0 (MhRunStore, 1);
  g_autofree char *real = NULL, *folder = NULL, *base = NULL, *hash = NULL, *beside = NULL;

  if (project_file == NULL)
    {
      s->dir = user_data_store (name, "unsaved");
      s->in_user_data = TRUE;
      s->why = g_strdup (_("the project is not saved yet"));
      return s;
    }
  real = real_path (project_file);
  s->project_file = g_strdup (real);
  folder = g_path_get_dirname (real);
  base = g_path_get_basename (real);
  if (g_str_has_suffix (base, ".mhproj"))
    base[strlen (base) - strlen (".mhproj")] = '\0';
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, real, -1);
  hash[8] = '\0';
  beside = g_strdup_printf ("%s/%s.runs", folder, base);
  if (mh_run_store_is_template (real))
    s->why = g_strdup (_("it is a shipped example (a template: nothing is written beside it)"));
  else if (!g_file_test (beside, G_FILE_TEST_IS_DIR) && g_access (folder, W_OK) != 0)
    s->why = g_strdup_printf (_("%s is not writable"), folder);
  if (s->why != NULL)
    {
      s->dir = user_data_store (base, hash);
      s->in_user_data = TRUE;
    }
  else
    s->dir = g_steal_pointer (&beside);
  return s;
}

MhRunStore *
mh_run_store_new (const char *dir)
{
  MhRunStore *s = g_new0 (MhRunStore, 1);

  s->dir = g_strdup (dir);
  return s;
}

void
mh_run_store_free (MhRunStore *store)
{
  if (store == NULL)
    return;
  g_free (store->dir);
  g_free (store->project_file);
  g_free (store->why);
  g_free (store);
}

/* ---- runs ----------------------------------------------------------------------- */

/* A run folder's name is a number (1, 2, …): its value, else 0. */
static guint64
id_number (const char *name)
{
  guint64 v;

  return g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &v, NULL) ? v : 0;
}

static gint
by_id (gconstpointer a, gconstpointer b)
{
  guint64 x = id_number ((*(MhRun *const *) a)->id), y = id_number ((*(MhRun *const *) b)->id);

  return x < y ? -1 : x > y;
}

GPtrArray *
mh_run_store_list (const MhRunStore *store)
{
  GPtrArray *runs = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_run_unref);
  g_autoptr (GDir) d = g_dir_open (store->dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (store->dir, name, NULL);
      if (id_number (name) > 0 && g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        g_ptr_array_add (runs, mh_run_read (path));
    }
  g_ptr_array_sort (runs, by_id);
  return runs;
}

MhRun *
mh_run_store_get (const MhRunStore *store, const char *id, GError **error)
{
  g_autofree char *path = NULL;

  if (id == NULL || id_number (id) == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("'%s' is not a run id (runs are numbered 1, 2, …)"),
                   id ? id : "");
      return NULL;
    }
  path = g_build_filename (store->dir, id, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: there is no run %s"), store->dir, id);
      return NULL;
    }
  return mh_run_read (path);
}

char *
mh_run_store_create (const MhRunStore *store, MhRunLock **lock, GError **error)
{
  g_autoptr (GDir) d = NULL;
  const char *name;
  guint64 next = 1;

  if (g_mkdir_with_parents (store->dir, 0755) != 0)
    {
      int e = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot make the runs folder: %s"), store->dir, g_strerror (e));
      return NULL;
    }
  d = g_dir_open (store->dir, 0, error);
  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    next = MAX (next, id_number (g_str_has_prefix (name, TRASH_PREFIX) ? name + strlen (TRASH_PREFIX) : name) + 1);
  for (int tries = 0; tries < 1000; tries++, next++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, next);
      g_autofree char *path = g_build_filename (store->dir, id, NULL);
      if (g_mkdir (path, 0755) == 0)
        {
          *lock = mh_run_lock_acquire (path, error);
          if (*lock == NULL)
            {
              g_rmdir (path);
              return NULL;
            }
          return g_steal_pointer (&path);
        }
      if (errno != EEXIST)
        {
          int e = errno;
          g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot make a run folder: %s"), path, g_strerror (e));
          return NULL;
        }
    }
  g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: no free run id"), store->dir);
  return NULL;
}

static gboolean
edit_run (const MhRunStore *store, const char *id, const char *name, int pinned, GError **error)
{
  g_autoptr (MhRun) run = mh_run_store_get (store, id, error);

  if (run == NULL)
    return FALSE;
  if (run->state == MH_RUN_UNREADABLE)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: the run cannot be changed: %s"), run->dir, run->problem);
      return FALSE;
    }
  if (name != NULL)
    {
      g_free (run->name);
      run->name = *name ? g_strdup (name) : NULL;
    }
  if (pinned >= 0)
    run->pinned = pinned;
  return mh_run_save (run, error);
}

gboolean
mh_run_store_set_name (const MhRunStore *store, const char *id, const char *name, GError **error)
{
  return edit_run (store, id, name ? name : "", -1, error);
}

gboolean
mh_run_store_set_pinned (const MhRunStore *store, const char *id, gboolean pinned, GError **error)
{
  return edit_run (store, id, NULL, pinned ? 1 : 0, error);
}

/* ---- deleting ------------------------------------------------------------------- */

/* A run folder holds files only: they go, then the folder. */
static gboolean
remove_folder (const char *dir, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  const char *name;

  if (d == NULL)
    return FALSE;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          g_set_error (error, MH_ERROR, MH_ERROR_REFUSED, _("%s: not deleted: it holds a folder (%s)"), dir, name);
          return FALSE;
        }
      if (g_unlink (path) != 0)
        {
          int e = errno;
          g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot delete: %s"), path, g_strerror (e));
          return FALSE;
        }
    }
  if (g_rmdir (dir) != 0)
    {
      int e = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot delete: %s"), dir, g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

static gboolean
move (const char *from, const char *to, GError **error)
{
  if (g_rename (from, to) != 0)
    {
      int e = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot move it to %s: %s"), from, to, g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

static gboolean
refuse_recording (const MhRunStore *store, const char *id, GError **error)
{
  g_autofree char *path = g_build_filename (store->dir, id, NULL);

  if (!mh_run_lock_is_held (path))
    return FALSE;
  g_set_error (error, MH_ERROR, MH_ERROR_REFUSED, _("%s: run %s is being recorded: stop it first"), store->dir, id);
  return TRUE;
}

gboolean
mh_run_store_trash (const MhRunStore *store, const char *id, GError **error)
{
  g_autoptr (MhRun) run = mh_run_store_get (store, id, error);
  g_autofree char *to = NULL;

  if (run == NULL || refuse_recording (store, id, error))
    return FALSE;
  to = g_strdup_printf ("%s/" TRASH_PREFIX "%s", store->dir, id);
  return move (run->dir, to, error);
}

gboolean
mh_run_store_restore (const MhRunStore *store, const char *id, GError **error)
{
  g_autofree char *from = g_strdup_printf ("%s/" TRASH_PREFIX "%s", store->dir, id);
  g_autofree char *to = g_build_filename (store->dir, id, NULL);

  if (g_file_test (to, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_REFUSED, _("%s: there is a run %s again"), store->dir, id);
      return FALSE;
    }
  return move (from, to, error);
}

void
mh_run_store_empty_trash (const MhRunStore *store)
{
  g_autoptr (GDir) d = g_dir_open (store->dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, TRASH_PREFIX) && id_number (name + strlen (TRASH_PREFIX)) > 0)
      {
        g_autofree char *path = g_build_filename (store->dir, name, NULL);
        g_autoptr (GError) error = NULL;
        if (!remove_folder (path, &error))
          g_warning ("%s", error->message);
      }
}

gboolean
mh_run_store_delete (const MhRunStore *store, const char *id, GError **error)
{
  g_autoptr (MhRun) run = mh_run_store_get (store, id, error);

  if (run == NULL || refuse_recording (store, id, error))
    return FALSE;
  return remove_folder (run->dir, error);
}

/* ---- retention ------------------------------------------------------------------ */

MhRunRetention
mh_run_store_get_retention (const MhRunStore *store)
{
  MhRunRetention r = { MH_RUN_KEEP_CHECKPOINTS_DEFAULT, MH_RUN_MAX_BYTES_DEFAULT };
  g_autofree char *path = g_build_filename (store->dir, "retention.json", NULL);
  g_autoptr (JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *o;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return r;
  parser = mh_json_load_file (path, _("retention rule"), 1 << 16, NULL);
  root = parser != NULL ? json_parser_get_root (parser) : NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return r;   /* a broken rule: the defaults, which keep more */
  o = json_node_get_object (root);
  r.keep_checkpoints = (int) CLAMP (json_object_get_int_member_with_default (o, "keep_checkpoints", r.keep_checkpoints),
                                    0, 100000);
  r.max_bytes = (gint64) MAX (0, json_object_get_double_member_with_default (o, "max_megabytes",
                                                                            r.max_bytes / 1048576.0) * 1048576.0);
  return r;
}

gboolean
mh_run_store_set_retention (const MhRunStore *store, const MhRunRetention *r, GError **error)
{
  g_autofree char *path = g_build_filename (store->dir, "retention.json", NULL);
  char mb[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = g_strdup_printf ("{\n  \"keep_checkpoints\": %d,\n  \"max_megabytes\": %s\n}\n",
                                           MAX (0, r->keep_checkpoints),
                                           g_ascii_dtostr (mb, sizeof mb, MAX (0, r->max_bytes) / 1048576.0));

  if (g_mkdir_with_parents (store->dir, 0755) != 0)
    {
      int e = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot make the runs folder: %s"), store->dir, g_strerror (e));
      return FALSE;
    }
  return mh_save_contents (path, MH_FILE_KIND_JSON, text, strlen (text), MH_SAVE_DEFAULT, error);
}

/* Deletes a run's checkpoints, says so in its record; how many files. */
static guint
drop_checkpoints (MhRun *run, const char *why, gint64 *freed)
{
  guint n = 0;

  for (guint i = 0; i < run->checkpoints->len; i++)
    {
      MhRunCheckpoint *c = &g_array_index (run->checkpoints, MhRunCheckpoint, i);
      g_autofree char *path = g_build_filename (run->dir, c->file, NULL);
      GStatBuf st;
      if (c->problem != NULL && g_str_has_prefix (c->problem, "removed"))
        continue;
      if (g_lstat (path, &st) == 0 && g_unlink (path) == 0)
        {
          *freed += st.st_size;
          n++;
        }
      g_free (c->problem);
      c->problem = g_strdup (why);
    }
  if (run->checkpoints->len > 0 && !mh_run_save (run, NULL))
    g_warning ("%s: the record could not be updated after its checkpoints were removed", run->dir);
  return n;
}

static gboolean
has_checkpoints (const MhRun *run)
{
  for (guint i = 0; i < run->checkpoints->len; i++)
    {
      const MhRunCheckpoint *c = &g_array_index (run->checkpoints, MhRunCheckpoint, i);
      if (c->problem == NULL || !g_str_has_prefix (c->problem, "removed"))
        return TRUE;
    }
  return FALSE;
}

guint
mh_run_store_apply_retention (const MhRunStore *store)
{
  MhRunRetention rule = mh_run_store_get_retention (store);
  g_autoptr (GPtrArray) runs = mh_run_store_list (store);
  gint64 total = mh_run_store_disk_use (store), freed = 0;
  guint removed = 0;
  g_autofree char *why_old = g_strdup_printf (_("removed by the retention rule (the checkpoints of the last %d runs "
                                              "are kept)"), rule.keep_checkpoints);

  for (guint i = 0; i + rule.keep_checkpoints < runs->len; i++)
    {
      MhRun *run = runs->pdata[i];
      if (run->pinned || run->state == MH_RUN_UNREADABLE || mh_run_lock_is_held (run->dir) || !has_checkpoints (run))
        continue;
      removed += drop_checkpoints (run, why_old, &freed);
    }
  for (guint i = 0; rule.max_bytes > 0 && total - freed > rule.max_bytes && i < runs->len; i++)
    {
      MhRun *run = runs->pdata[i];
      g_autofree char *why = NULL;
      if (run->pinned || run->state == MH_RUN_UNREADABLE || mh_run_lock_is_held (run->dir) || !has_checkpoints (run))
        continue;
      why = g_strdup_printf (_("removed to keep the runs under %.0f MB"), rule.max_bytes / 1048576.0);
      removed += drop_checkpoints (run, why, &freed);
    }
  return removed;
}

static gint64
tree_bytes (const char *dir, int depth)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  gint64 total = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;
      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISREG (st.st_mode))
        total += st.st_size;
      else if (S_ISDIR (st.st_mode) && depth > 0)
        total += tree_bytes (path, depth - 1);
    }
  return total;
}

gint64
mh_run_store_disk_use (const MhRunStore *store)
{
  return tree_bytes (store->dir, 1);
}
