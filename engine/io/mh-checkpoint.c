/* mh-checkpoint.c — training runs saved and resumed (mh-checkpoint.h). */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-checkpoint.h"
#include "mh-error.h"
#include "mh-weights.h"

void
mh_checkpoint_free (MhCheckpoint *c)
{
  if (c == NULL)
    return;
  g_free (c->path);
  g_clear_pointer (&c->tensors, g_ptr_array_unref);
  g_clear_pointer (&c->meta, g_hash_table_unref);
  g_free (c);
}

/* ---- writing ---------------------------------------------------------------- */

static void
put (GHashTable *meta, const char *key, char *value)
{
  g_hash_table_insert (meta, g_strdup (key), value);
}

static void
put_int (GHashTable *meta, const char *key, gint64 v)
{
  put (meta, key, g_strdup_printf ("%" G_GINT64_FORMAT, v));
}

/* Doubles as the shortest text that reads back exactly ("nan" included). */
static void
put_doubles (GHashTable *meta, const char *key, const double *v, int n)
{
  GString *s = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int i = 0; i < n; i++)
    {
      if (isnan (v[i]))
        g_strlcpy (buf, "nan", sizeof buf);
      else
        g_ascii_dtostr (buf, sizeof buf, v[i]);
      g_string_append_printf (s, "%s%s", i ? "," : "", buf);
    }
  put (meta, key, g_string_free (s, FALSE));
}

static MhTensorEntry *
slab_tensor (const char *name, const float *data, gsize n)
{
  MhTensorEntry *t = g_new0 (MhTensorEntry, 1);

  t->name = g_strdup (name);
  t->rank = 1;
  t->shape[0] = (gint64) n;
  t->size = n;
  t->data = g_memdup2 (data, sizeof (float) * MAX (n, 1));
  return t;
}

gboolean
mh_training_save_checkpoint (MhTraining *r, const char *path, double best_loss, GError **error)
{
  g_autoptr (GPtrArray) tensors = mh_model_weight_tensors (r->model);
  g_autoptr (GHashTable) meta = mh_weights_metadata (r->project->name);
  const MhBalance *b = r->balance;

  mh_weights_metadata_add_model (meta, r->model);
  gsize n = r->model->n_params;
  g_autofree double *fixed = g_new (double, MAX (b->n, 1));   /* not on the stack: n heads */
  float *m, *v;

  mh_optim_state (r->optim, &m, &v);
  g_ptr_array_add (tensors, slab_tensor ("optim.m", m, n));
  if (v != NULL)
    g_ptr_array_add (tensors, slab_tensor ("optim.v", v, n));
  put_int (meta, "checkpoint", 1);
  put_int (meta, "run.seed", r->project->seed);
  put_int (meta, "run.epoch", r->epoch);
  put_int (meta, "run.step", r->step);
  put_int (meta, "run.pos", r->pos);
  put_int (meta, "run.samples", r->samples);
  put_int (meta, "run.batch", r->project->batch);
  put_int (meta, "run.train_samples", r->data->train->n);
  put_doubles (meta, "run.best_loss", &best_loss, 1);
  put (meta, "optim.kind", g_strdup (r->project->optim.kind));
  put_int (meta, "optim.step", mh_optim_step_count (r->optim));
  put (meta, "balance.method", g_strdup (mh_balance_method_name (b->method)));
  for (int h = 0; h < b->n; h++)
    fixed[h] = b->fixed[h];
  put_doubles (meta, "balance.fixed", fixed, b->n);
  put_doubles (meta, "balance.log_var", b->log_var, b->n);
  put_doubles (meta, "balance.lv_m", b->lv_m, b->n);
  put_doubles (meta, "balance.lv_v", b->lv_v, b->n);
  put_int (meta, "balance.lv_t", b->lv_t);
  put_doubles (meta, "balance.gn_weight", b->gn_weight, b->n);
  put_doubles (meta, "balance.first_loss", b->first_loss, b->n);
  put_int (meta, "balance.pcgrad_steps", b->pcgrad_steps);
  return mh_safetensors_write (path, tensors, meta, error);
}

/* ---- reading ---------------------------------------------------------------- */

static gboolean
get_int (const MhCheckpoint *c, const char *key, gint64 min, gint64 max, gint64 *out, GError **error)
{
  const char *s = g_hash_table_lookup (c->meta, key);

  if (s == NULL || !g_ascii_string_to_signed (s, 10, min, max, out, NULL))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   "%s: the checkpoint's '%s' is %s (want an integer %" G_GINT64_FORMAT " … %"
                   G_GINT64_FORMAT ")", c->path, key, s ? _("not valid") : "missing", min, max);
      return FALSE;
    }
  return TRUE;
}

/* n comma-separated numbers (NaN only where allow_nan). */
static gboolean
get_doubles (const MhCheckpoint *c, const char *key, int n, gboolean allow_nan, double *out,
             GError **error)
{
  const char *s = g_hash_table_lookup (c->meta, key);
  g_auto (GStrv) parts = s != NULL ? g_strsplit (s, ",", -1) : NULL;
  gboolean ok = parts != NULL && (int) g_strv_length (parts) == MAX (n, 1) && (n > 0 || !*s);

  for (int i = 0; ok && i < n; i++)
    {
      char *end;
      out[i] = g_ascii_strtod (parts[i], &end);
      ok = end != parts[i] && *end == '\0' && !isinf (out[i]) && (allow_nan || !isnan (out[i]));
    }
  if (!ok)
    g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                 _("%s: the checkpoint's '%s' is %s (want %d finite numbers, one per head)"),
                 c->path, key, s ? _("not valid") : "missing", n);
  return ok;
}

MhCheckpoint *
mh_checkpoint_read (const char *path, GError **error)
{
  g_autoptr (MhCheckpoint) c = g_new0 (MhCheckpoint, 1);
  gint64 v[6];

  c->path = g_strdup (path);
  if (!(c->tensors = mh_safetensors_read (path, &c->meta, error)))
    return NULL;
  if (!g_hash_table_contains (c->meta, "checkpoint"))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: not a checkpoint (weights only: no optimiser state or position); "
                   "use it with --weights or transfer, or resume from a file written by "
                   "'train --checkpoints'"), path);
      return NULL;
    }
  if (!get_int (c, "checkpoint", 1, 1, &v[0], error)
      || !get_int (c, "run.seed", 0, G_MAXUINT32, &v[1], error)
      || !get_int (c, "run.epoch", 0, G_MAXINT, &v[2], error)
      || !get_int (c, "run.step", 0, G_MAXINT, &v[3], error)
      || !get_int (c, "run.pos", 0, G_MAXINT, &v[4], error)
      || !get_int (c, "run.samples", 0, G_MAXINT64, &v[5], error)
      || !get_doubles (c, "run.best_loss", 1, TRUE, &c->best_loss, error))
    return NULL;
  c->seed = (guint32) v[1];
  c->epoch = (int) v[2];
  c->step = (int) v[3];
  c->pos = (int) v[4];
  c->samples = v[5];
  return g_steal_pointer (&c);
}

/* The moments, checked: n floats, finite (the second moment ≥ 0). */
static const float *
moments (const MhCheckpoint *c, const char *name, gsize n, gboolean nonneg, GError **error)
{
  MhTensorEntry *t = mh_tensor_find (c->tensors, name);

  if (t == NULL || t->rank != 1 || t->size != n)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   "%s: the optimiser state '%s' is %s, the model has %" G_GSIZE_FORMAT " parameters",
                   c->path, name, t == NULL ? "missing" : _("of another size"), n);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    if (!isfinite (t->data[i]) || (nonneg && t->data[i] < 0))
      {
        g_set_error (error, MH_ERROR, MH_ERROR_NUMERIC,
                     "%s: the optimiser state '%s' holds an invalid value (element %" G_GSIZE_FORMAT ")",
                     c->path, name, i);
        return NULL;
      }
  return t->data;
}

typedef struct {
  MhBalanceMethod method;
  double *fixed, *log_var, *lv_m, *lv_v, *gn_weight, *first_loss;
  gint64  lv_t, pcgrad_steps;
} BalanceState;

static gboolean
read_balance (const MhCheckpoint *c, int n, BalanceState *s, GError **error)
{
  const char *method = g_hash_table_lookup (c->meta, "balance.method");

  if (!mh_balance_method_from_name (method, &s->method))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: the checkpoint's balance.method is %s"),
                   c->path, method ? "unknown" : "missing");
      return FALSE;
    }
  return get_doubles (c, "balance.fixed", n, FALSE, s->fixed, error)
         && get_doubles (c, "balance.log_var", n, FALSE, s->log_var, error)
         && get_doubles (c, "balance.lv_m", n, FALSE, s->lv_m, error)
         && get_doubles (c, "balance.lv_v", n, FALSE, s->lv_v, error)
         && get_doubles (c, "balance.gn_weight", n, FALSE, s->gn_weight, error)
         && get_doubles (c, "balance.first_loss", n, TRUE, s->first_loss, error)
         && get_int (c, "balance.lv_t", 0, G_MAXINT, &s->lv_t, error)
         && get_int (c, "balance.pcgrad_steps", 0, G_MAXINT, &s->pcgrad_steps, error);
}

/* Everything that must agree between the checkpoint and the run. */
static gboolean
check_run (MhTraining *r, const MhCheckpoint *c, GError **error)
{
  gint64 batch, n_train;
  const char *kind = g_hash_table_lookup (c->meta, "optim.kind");

  if (!get_int (c, "run.batch", 1, G_MAXINT, &batch, error)
      || !get_int (c, "run.train_samples", 0, G_MAXINT, &n_train, error))
    return FALSE;
  if (c->seed != r->project->seed)
    return g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the checkpoint's run has seed %u, "
                        "this one %u"), c->path, c->seed, r->project->seed), FALSE;
  if (n_train != r->data->train->n || batch != r->project->batch)
    return g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                        "%s: the checkpoint's run trained on %" G_GINT64_FORMAT " samples in batches of %"
                        G_GINT64_FORMAT "; this one has %d in batches of %d (another dataset or "
                        "validation split, or another batch size)", c->path, n_train, batch,
                        r->data->train->n, r->project->batch), FALSE;
  if (g_strcmp0 (kind, r->project->optim.kind) != 0)
    return g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                        _("%s: the checkpoint's optimiser is %s, the project's %s"), c->path,
                        kind ? kind : "(missing)", r->project->optim.kind), FALSE;
  if (c->pos >= MAX (r->data->train->n, 1) || c->epoch > c->step)
    return g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                        _("%s: the checkpoint's position (epoch %d, step %d, sample %d) is not valid"),
                        c->path, c->epoch, c->step, c->pos), FALSE;
  return TRUE;
}

gboolean
mh_training_restore (MhTraining *r, const MhCheckpoint *c, GError **error)
{
  MhModel *model = r->model;
  MhBalance *b = r->balance;
  int n = b->n;
  g_autofree double *buf = g_new (double, 6 * MAX (n, 1));   /* not on the stack: n heads */
  BalanceState s = { 0, buf, buf + n, buf + 2 * n, buf + 3 * n, buf + 4 * n, buf + 5 * n, 0, 0 };
  const float *cm, *cv = NULL;
  float *m, *v;
  gint64 t;

  mh_optim_state (r->optim, &m, &v);
  if (!check_run (r, c, error)
      || !mh_model_check_metadata (model, c->meta, c->path, error)
      || !mh_model_check_tensors (model, c->tensors, c->path, error)
      || !(cm = moments (c, "optim.m", model->n_params, FALSE, error))
      || (v != NULL && !(cv = moments (c, "optim.v", model->n_params, TRUE, error)))
      || !get_int (c, "optim.step", 0, G_MAXINT, &t, error)
      || !read_balance (c, n, &s, error))
    return FALSE;

  /* Everything is there and sound: now change the run. */
  mh_model_set_tensors (model, c->tensors);
  memcpy (m, cm, sizeof (float) * model->n_params);
  if (v != NULL)
    memcpy (v, cv, sizeof (float) * model->n_params);
  mh_optim_set_step_count (r->optim, (int) t);
  for (int h = 0; h < n; h++)
    {
      b->fixed[h] = (float) s.fixed[h];
      b->log_var[h] = s.log_var[h];
      b->lv_m[h] = s.lv_m[h];
      b->lv_v[h] = s.lv_v[h];
      b->gn_weight[h] = s.gn_weight[h];
      b->first_loss[h] = s.first_loss[h];
    }
  b->lv_t = (int) s.lv_t;
  mh_balance_replay_pcgrad (b, c->seed, (int) s.pcgrad_steps);
  mh_balance_set_method (b, s.method);
  mh_training_seek (r, c->epoch, c->step, c->pos, c->samples);
  return TRUE;
}

/* ---- a branch ----------------------------------------------------------------- */

/* Each parameter of the run: the checkpoint's tensor of that name, else
 * the run's own (fresh) one.  The array owns neither. */
static GPtrArray *
branch_tensors (const MhModel *m, GPtrArray *fresh, GPtrArray *saved, int *n_new)
{
  GPtrArray *merged = g_ptr_array_new ();

  *n_new = 0;
  for (guint i = 0; i < m->param_refs->len; i++)
    {
      const MhParamRef *ref = &g_array_index (m->param_refs, MhParamRef, i);
      MhTensorEntry *t = mh_tensor_find (saved, ref->name);
      if (t == NULL)
        {
          t = mh_tensor_find (fresh, ref->name);
          (*n_new)++;
        }
      g_ptr_array_add (merged, t);
    }
  return merged;
}

gboolean
mh_training_restore_branch (MhTraining *r, const MhCheckpoint *c, const MhProject *parent, int *n_new,
                            GError **error)
{
  MhModel *model = r->model;
  MhBalance *b = r->balance;
  int np = (int) parent->heads->len, fresh_count = 0;
  g_autofree double *buf = g_new (double, 6 * MAX (np, 1));
  BalanceState s = { 0, buf, buf + np, buf + 2 * np, buf + 3 * np, buf + 4 * np, buf + 5 * np, 0, 0 };
  g_autoptr (GError) parent_error = NULL;
  MhModel *pm = NULL;
  g_autoptr (GPtrArray) fresh = NULL;
  g_autoptr (GPtrArray) merged = NULL;
  const float *cm = NULL, *cv = NULL;
  float *m, *v;
  gint64 t;
  gboolean ok;

  mh_optim_state (r->optim, &m, &v);
  if (!check_run (r, c, error))
    return FALSE;
  pm = mh_model_new (parent, r->data->train, 1, c->path, &parent_error);
  if (pm == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the project that wrote the checkpoint no longer builds "
                   "on this data set: %s"), c->path, parent_error->message);
      return FALSE;
    }
  fresh = mh_model_weight_tensors (model);
  merged = branch_tensors (model, fresh, c->tensors, &fresh_count);
  ok = mh_model_check_tensors (model, merged, c->path, error)
       && (cm = moments (c, "optim.m", pm->n_params, FALSE, error)) != NULL
       && (v == NULL || (cv = moments (c, "optim.v", pm->n_params, TRUE, error)) != NULL)
       && get_int (c, "optim.step", 0, G_MAXINT, &t, error)
       && read_balance (c, np, &s, error);
  if (!ok)
    {
      mh_model_free (pm);
      return FALSE;
    }

  /* Everything is there and sound: now change the run. */
  mh_model_set_tensors (model, merged);
  for (guint i = 0; i < model->param_refs->len; i++)
    {
      const MhParamRef *ref = &g_array_index (model->param_refs, MhParamRef, i);
      const MhParamRef *pref = mh_model_find_param (pm, ref->name);
      if (pref == NULL || pref->param->size != ref->param->size)
        continue;   /* new: its moments start at 0 */
      memcpy (m + ref->offset, cm + pref->offset, sizeof (float) * ref->param->size);
      if (v != NULL)
        memcpy (v + ref->offset, cv + pref->offset, sizeof (float) * ref->param->size);
    }
  mh_optim_set_step_count (r->optim, (int) t);
  for (int h = 0; h < b->n; h++)
    {
      int ph;
      for (ph = 0; ph < np; ph++)
        if (g_strcmp0 (g_array_index (parent->heads, MhHeadSpec, ph).name, model->heads[h].name) == 0)
          break;
      if (ph == np)
        continue;   /* a new head: its learned weight starts afresh */
      b->log_var[h] = s.log_var[ph];
      b->lv_m[h] = s.lv_m[ph];
      b->lv_v[h] = s.lv_v[ph];
      b->gn_weight[h] = s.gn_weight[ph];
      b->first_loss[h] = s.first_loss[ph];
    }
  b->lv_t = (int) s.lv_t;
  mh_balance_replay_pcgrad (b, c->seed, (int) s.pcgrad_steps);
  mh_training_seek (r, c->epoch, c->step, c->pos, c->samples);
  mh_model_free (pm);
  if (n_new != NULL)
    *n_new = fresh_count;
  return TRUE;
}
