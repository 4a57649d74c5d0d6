/* mh-project-check.c — mh_project_validate(): values that parse but make no
 * sense (batch 0, lr NaN, a head reading a layer that is not there, …).
 * The rules are those of the table in mh-project.c.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-project-private.h"
#include "mh-kinds.h"
#include "mh-limits.h"

static gboolean
name_ok (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *c = name; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-')
      return FALSE;
  return TRUE;
}

/* NULL when `v` keeps `rule`, else what it must be. */
static const char *
rule_broken (Rule rule, double v)
{
  switch (rule)
    {
    case RULE_MIN_0:
      return v >= 0 ? NULL : _("must not be negative");
    case RULE_MIN_1:
      return v >= 1 ? NULL : _("must be at least 1");
    case RULE_FRACTION:
      return v >= 0 && v < 1 ? NULL : _("must be at least 0 and below 1");
    case RULE_POSITIVE:
      return v > 0 && isfinite (v) ? NULL : _("must be a positive finite number");
    case RULE_NON_NEGATIVE:
      return v >= 0 && isfinite (v) ? NULL : _("must be a finite number, at least 0");
    }
  return NULL;
}

/* Checks that the integer v is within [lo, hi], its documented range. */
static gboolean G_GNUC_PRINTF (6, 7)
check_range (const char *where, gint64 v, gint64 lo, gint64 hi, GError **error,
             const char *path_format, ...)
{
  g_autofree char *path = NULL;
  va_list args;

  if (v >= lo && v <= hi)
    return TRUE;
  va_start (args, path_format);
  path = g_strdup_vprintf (path_format, args);
  va_end (args);
  return mh_limits_check_int (v, lo, hi, where, path, error);
}

/* Checks `v`; `path_format` makes the JSON path, only when needed. */
static gboolean G_GNUC_PRINTF (5, 6)
check_rule (const char *where, Rule rule, double v, GError **error, const char *path_format, ...)
{
  const char *broken = rule_broken (rule, v);
  g_autofree char *path = NULL;
  char got[G_ASCII_DTOSTR_BUF_SIZE];
  va_list args;

  if (broken == NULL)
    return TRUE;
  va_start (args, path_format);
  path = g_strdup_vprintf (path_format, args);
  va_end (args);
  _mh_project_format_double (got, v);
  return _mh_project_fail_in (error, MH_ERROR_INVALID, where, path, "%s %s, got %s",
                              path, broken, got);
}

/* Checks that `value` is one of `known`; the last part of the path names
 * what it is ("kind", "loss", "method"). */
static gboolean G_GNUC_PRINTF (5, 6)
check_enum (const char *where, const char *const *known, const char *value, GError **error,
            const char *path_format, ...)
{
  g_autofree char *path = NULL;
  g_autofree char *list = NULL;
  const char *what;
  va_list args;

  if (value != NULL && g_strv_contains (known, value))
    return TRUE;
  va_start (args, path_format);
  path = g_strdup_vprintf (path_format, args);
  va_end (args);
  if (value == NULL)
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, path, _("%s is missing"), path);
  what = strrchr (path, '.') != NULL ? strrchr (path, '.') + 1 : path;
  list = g_strjoinv (", ", (char **) known);
  return _mh_project_fail (error, MH_ERROR_INVALID, where, path, "unknown %s '%s' (known: %s)",
                           what, value, list);
}

static gboolean
validate_layer (const char *where, const char *block, guint i, const MhLayerSpec *spec,
                gboolean last_of_head, GError **error)
{
  const MhLayerClass *klass = mh_layer_class_lookup (spec->type);
  g_autofree char *at = g_strdup_printf ("%s.layers[%u]", block, i);
  g_auto(GStrv) keys = NULL;

  if (klass == NULL)
    return _mh_project_fail (error, MH_ERROR_INVALID, where, at,
                             _("type: unknown layer type '%s' (known: %s)"),
                             spec->type ? spec->type : "(none)", mh_layer_types ());
  if (spec->name != NULL && !name_ok (spec->name))
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, at,
                                _("%s.name must contain only letters, digits, '_' and '-',"
                                " got '%s'"), at, spec->name);
  keys = _mh_project_class_keys (klass);
  for (guint k = 0; keys[k] != NULL; k++)
    {
      const LayerField *f = _mh_project_find_field (keys[k]);
      Rule rule;

      if (f == NULL || f->is_bool)
        continue;
      if (f->choices != NULL)
        {
          const char *const *choices = g_str_equal (f->key, "mode") && klass->modes != NULL
                                       ? klass->modes : f->choices;
          if (!check_enum (where, choices, *_mh_project_field_string (spec, f), error,
                           "%s.layers[%u].%s", block, i, f->key))
            return FALSE;
          continue;
        }
      rule = last_of_head && g_str_equal (f->key, "units") ? RULE_MIN_0 : f->rule;
      if (f->is_int)
        {
          if (!check_range (where, (gint64) _mh_project_field_get (spec, f), rule == RULE_MIN_0 ? 0 : 1,
                            f->max, error, "%s.layers[%u].%s", block, i, f->key))
            return FALSE;
          continue;
        }
      if (!check_rule (where, rule, _mh_project_field_get (spec, f), error,
                       "%s.layers[%u].%s", block, i, f->key))
        return FALSE;
    }
  return TRUE;
}

/* `block` is the JSON path of the object holding the layers. */
static gboolean
validate_block (const char *where, const char *block, GArray *layers, gboolean is_head,
                GError **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (layers == NULL || layers->len == 0)
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, block,
                                _("%s.layers must have at least one layer"), block);
  if (layers->len > MH_MAX_LAYERS)
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, block,
                                _("%s.layers has %u layers; at most %d are allowed"), block, layers->len,
                                MH_MAX_LAYERS);
  for (guint i = 0; i < layers->len; i++)
    {
      const MhLayerSpec *spec = &g_array_index (layers, MhLayerSpec, i);
      char *name;
      gpointer other;

      if (!validate_layer (where, block, i, spec, is_head && i == layers->len - 1, error))
        return FALSE;
      name = mh_block_layer_name (layers, i);
      if (g_hash_table_lookup_extended (names, name, NULL, &other))
        {
          g_autofree char *at = g_strdup_printf ("%s.layers[%u]", block, i);
          _mh_project_fail (error, MH_ERROR_INVALID, where, at,
                            _("the %sname '%s' is already used by %s.layers[%u]"),
                            spec->name ? "" : "automatic ", name, block, GPOINTER_TO_UINT (other));
          g_free (name);
          return FALSE;
        }
      g_hash_table_insert (names, name, GUINT_TO_POINTER (i));
    }
  return TRUE;
}

static gboolean
block_has_name (GArray *layers, const char *name)
{
  for (guint i = 0; i < layers->len; i++)
    {
      g_autofree char *candidate = mh_block_layer_name (layers, i);
      if (g_str_equal (candidate, name))
        return TRUE;
    }
  return FALSE;
}

static gboolean
fail_input (const char *where, const MhProject *p, guint i, GError **error)
{
  const MhHeadSpec *head = &g_array_index (p->heads, MhHeadSpec, i);
  g_autoptr(GString) taps = g_string_new (NULL);

  for (guint j = 0; j < p->backbone->len; j++)
    {
      g_autofree char *name = mh_block_layer_name (p->backbone, j);
      g_string_append_printf (taps, "%s%s", j ? ", " : "", name);
    }
  g_autofree char *at = g_strdup_printf ("heads[%u].input", i);

  return _mh_project_fail (error, MH_ERROR_INVALID, where, at,
                           _("head '%s' reads '%s', but no backbone layer has"
                           " that name (taps: %s)"), head->name, head->input, taps->str);
}

static gboolean
validate_head (const char *where, const MhProject *p, guint i, GError **error)
{
  const MhHeadSpec *head = &g_array_index (p->heads, MhHeadSpec, i);
  g_autofree char *block = g_strdup_printf ("heads[%u]", i);
  g_auto(GStrv) head_kinds = mh_head_kind_ids ();
  g_auto(GStrv) losses = mh_loss_ids ();
  const MhHeadKind *kind;
  MhLossKind loss;

  if (!name_ok (head->name))
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, block,
                                _("%s.name must contain only letters, digits, '_' and '-',"
                                " got '%s'"), block, head->name ? head->name : "");
  for (guint j = 0; j < i; j++)
    if (g_strcmp0 (g_array_index (p->heads, MhHeadSpec, j).name, head->name) == 0)
      return _mh_project_fail_in (error, MH_ERROR_INVALID, where, block,
                                  _("%s.name: '%s' is already the name of heads[%u]"),
                                  block, head->name, j);
  if (!check_enum (where, (const char *const *) head_kinds, head->kind, error, "heads[%u].kind", i))
    return FALSE;
  if (head->target == NULL || *head->target == '\0')
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, block, _("%s.target is missing"), block);
  if (head->loss != NULL)
    {
      if (!check_enum (where, (const char *const *) losses, head->loss, error, "heads[%u].loss", i))
        return FALSE;
      kind = mh_head_kind_lookup (head->kind);
      if (mh_loss_from_name (head->loss, &loss) && !mh_head_kind_takes (kind, loss))
        {
          g_autofree char *fitting = mh_head_kind_loss_list (kind);
          return _mh_project_fail_in (error, MH_ERROR_INVALID, where, block,
                                      _("%s.loss: '%s' does not fit a %s head (use %s)"),
                                      block, head->loss, head->kind, fitting);
        }
    }
  if (!check_rule (where, RULE_NON_NEGATIVE, head->weight, error, "heads[%u].weight", i))
    return FALSE;
  if (!(head->threshold > 0 && head->threshold < 1))
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, block,
                                _("%s.threshold must be between 0 and 1 (exclusive), got %g"),
                                block, head->threshold);
  if (head->threshold != 0.5 && mh_head_kind_lookup (head->kind)->field != MH_FIELD_LABELS)
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, block,
                                _("%s.threshold applies only to multilabel heads"), block);
  if (head->input != NULL && !block_has_name (p->backbone, head->input))
    return fail_input (where, p, i, error);
  return validate_block (where, block, head->layers, TRUE, error);
}

static gboolean
validate_optim (const char *where, const MhOptimSpec *opt, GError **error)
{
  g_auto(GStrv) optim_kinds = mh_kind_ids (mh_optimizer_kinds);

  return check_enum (where, (const char *const *) optim_kinds, opt->kind, error, "optimizer.kind")
         && check_rule (where, RULE_POSITIVE, opt->lr, error, "optimizer.lr")
         && check_rule (where, RULE_FRACTION, opt->momentum, error, "optimizer.momentum")
         && check_rule (where, RULE_FRACTION, opt->beta1, error, "optimizer.beta1")
         && check_rule (where, RULE_FRACTION, opt->beta2, error, "optimizer.beta2")
         && check_rule (where, RULE_POSITIVE, opt->eps, error, "optimizer.eps")
         && check_rule (where, RULE_NON_NEGATIVE, opt->weight_decay, error, "optimizer.weight_decay")
         && check_rule (where, RULE_NON_NEGATIVE, opt->clip_norm, error, "optimizer.clip_norm");
}

gboolean
mh_project_validate_dataset (const MhProject *p, const char *where, GError **error)
{
  g_return_val_if_fail (p != NULL, FALSE);

  return _mh_project_check_dataset (where != NULL ? where : "project", &p->data, error);
}

gboolean
mh_project_validate_backbone (const MhProject *p, const char *where, GError **error)
{
  g_auto(GStrv) backbone_kinds = mh_kind_ids (mh_backbone_kinds);

  g_return_val_if_fail (p != NULL, FALSE);

  where = where != NULL ? where : "project";
  return check_enum (where, (const char *const *) backbone_kinds, p->backbone_kind, error, "backbone.kind")
         && validate_block (where, "backbone", p->backbone, FALSE, error);
}

gboolean
mh_project_validate_head (const MhProject *p, guint index, const char *where, GError **error)
{
  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (index < p->heads->len, FALSE);

  return validate_head (where != NULL ? where : "project", p, index, error);
}

/* The project's own keys: its format and name. */
static gboolean
validate_header (const char *where, const MhProject *p, GError **error)
{
  if (p->format != MH_PROJECT_FORMAT)
    return _mh_project_fail_in (error, MH_ERROR_FORMAT, where, "format",
                                _("format %d is not supported (this version reads format %d)"),
                                p->format, MH_PROJECT_FORMAT);
  if (p->name == NULL)
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, "name", _("name is missing"));
  return TRUE;
}

static gboolean
validate_head_count (const char *where, const MhProject *p, GError **error)
{
  if (p->heads == NULL || p->heads->len == 0)
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, "heads",
                                _("heads must have at least one head"));
  if (p->heads->len > MH_MAX_HEADS)
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, "heads",
                                _("heads has %u heads; at most %d are allowed"), p->heads->len, MH_MAX_HEADS);
  return TRUE;
}

/* The optimiser, the schedule, training, balancing and transfer. */
static gboolean
validate_training (const char *where, const MhProject *p, GError **error)
{
  g_auto(GStrv) schedule_kinds = mh_kind_ids (mh_schedule_kinds);
  g_auto(GStrv) balancing_methods = mh_kind_ids (mh_balancing_methods);

  return validate_optim (where, &p->optim, error)
         && check_enum (where, (const char *const *) schedule_kinds, p->schedule.kind, error, "schedule.kind")
         && check_range (where, p->schedule.warmup_steps, 0, MH_MAX_STEPS, error, "schedule.warmup_steps")
         && check_rule (where, RULE_NON_NEGATIVE, p->schedule.min_lr, error, "schedule.min_lr")
         && check_range (where, p->batch, 1, MH_MAX_BATCH, error, "training.batch")
         && check_range (where, p->epochs, 0, MH_MAX_EPOCHS, error, "training.epochs")
         && check_enum (where, (const char *const *) balancing_methods, p->balancing, error, "balancing.method")
         && check_rule (where, RULE_NON_NEGATIVE, p->balancing_alpha, error, "balancing.alpha")
         && check_rule (where, RULE_POSITIVE, p->balancing_lr, error, "balancing.lr")
         && check_range (where, p->transfer_layers, 0, MH_MAX_LAYERS, error, "transfer.layers");
}

gboolean
mh_project_validate_settings (const MhProject *p, const char *where, GError **error)
{
  g_return_val_if_fail (p != NULL, FALSE);

  where = where != NULL ? where : "project";
  return validate_header (where, p, error) && validate_head_count (where, p, error)
         && validate_training (where, p, error);
}

gboolean
mh_project_validate (const MhProject *p, const char *where, GError **error)
{
  g_return_val_if_fail (p != NULL, FALSE);

  where = where != NULL ? where : "project";
  if (!validate_header (where, p, error) || !mh_project_validate_dataset (p, where, error)
      || !mh_project_validate_backbone (p, where, error) || !validate_head_count (where, p, error))
    return FALSE;
  for (guint i = 0; i < p->heads->len; i++)
    if (!validate_head (where, p, i, error))
      return FALSE;
  return validate_training (where, p, error);
}
