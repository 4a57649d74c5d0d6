/* mh-project.c — reading project files (.mhproj, JSON); making, freeing and
 * looking into a project.  Checking is in mh-project-check.c, writing in
 * mh-project-write.c.
 *
 * The format, its keys and their defaults are documented in docs/file-formats.md
 * ("Project files"); keep the two in step.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-kinds.h"
#include "mh-project-private.h"
#include "mh-limits.h"
#include "mh-input.h"
#include "mh-json.h"

static const char *const top_keys[] = {
  "format", "name", "dataset", "backbone", "heads", "optimizer", "schedule",
  "training", "balancing", "weights", "transfer", "layout", NULL
};
static const char *const backbone_keys[] = { "kind", "frozen", "layers", NULL };
static const char *const head_keys[] = {
  "name", "kind", "input", "target", "loss", "weight", "threshold", "frozen", "layers", NULL
};
static const char *const optim_keys[] = {
  "kind", "lr", "momentum", "beta1", "beta2", "eps", "weight_decay", "clip_norm", NULL
};
static const char *const schedule_keys[] = { "kind", "warmup_steps", "min_lr", NULL };
static const char *const training_keys[] = { "batch", "epochs", "seed", NULL };
static const char *const balancing_keys[] = { "method", "alpha", "lr", NULL };
static const char *const transfer_keys[] = { "weights", "layers", NULL };

/* Every layer class's modes (each class checks its own: MhLayerClass.modes). */
static const char *const layer_modes[] = { "class", "mean", "max", "last", "all", NULL };

/* The ranges are documented in docs/file-formats.md; the limits are mh-limits.h's. */
static const LayerField layer_fields[] = {
  { "units",   TRUE,  G_STRUCT_OFFSET (MhLayerSpec, units),   RULE_MIN_1, NULL, MH_MAX_UNITS },
  { "filters", TRUE,  G_STRUCT_OFFSET (MhLayerSpec, filters), RULE_MIN_1, NULL, MH_MAX_CHANNELS },
  { "kernel",  TRUE,  G_STRUCT_OFFSET (MhLayerSpec, kernel),  RULE_MIN_1, NULL, MH_MAX_KERNEL },
  { "stride",  TRUE,  G_STRUCT_OFFSET (MhLayerSpec, stride),  RULE_MIN_1, NULL, MH_MAX_KERNEL },
  { "padding", TRUE,  G_STRUCT_OFFSET (MhLayerSpec, padding), RULE_MIN_0, NULL, MH_MAX_KERNEL },
  { "size",    TRUE,  G_STRUCT_OFFSET (MhLayerSpec, size),    RULE_MIN_1, NULL, MH_MAX_KERNEL },
  { "rate",    FALSE, G_STRUCT_OFFSET (MhLayerSpec, rate),    RULE_FRACTION },
  { "eps",     FALSE, G_STRUCT_OFFSET (MhLayerSpec, eps),     RULE_POSITIVE },
  { "patch",   TRUE,  G_STRUCT_OFFSET (MhLayerSpec, patch),   RULE_MIN_1, NULL, MH_MAX_KERNEL },
  { "dim",     TRUE,  G_STRUCT_OFFSET (MhLayerSpec, dim),     RULE_MIN_1, NULL, MH_MAX_CHANNELS },
  { "heads",   TRUE,  G_STRUCT_OFFSET (MhLayerSpec, heads),   RULE_MIN_1, NULL, MH_MAX_ATTN_HEADS },
  { "hidden",  TRUE,  G_STRUCT_OFFSET (MhLayerSpec, hidden),  RULE_MIN_1, NULL, MH_MAX_UNITS },
  { "mode",    FALSE, G_STRUCT_OFFSET (MhLayerSpec, mode),    0, layer_modes },
  { "vocab",   TRUE,  G_STRUCT_OFFSET (MhLayerSpec, vocab),   RULE_MIN_0, NULL, MH_MAX_UNITS },
  { "dilation", TRUE, G_STRUCT_OFFSET (MhLayerSpec, dilation), RULE_MIN_1, NULL, MH_MAX_KERNEL },
  { "groups",  TRUE,  G_STRUCT_OFFSET (MhLayerSpec, groups),  RULE_MIN_1, NULL, MH_MAX_CHANNELS },
  { "num_layers", TRUE, G_STRUCT_OFFSET (MhLayerSpec, num_layers), RULE_MIN_1, NULL, MH_MAX_LAYERS },
  { "bidirectional", FALSE, G_STRUCT_OFFSET (MhLayerSpec, bidirectional), 0, NULL, 0, TRUE },
};

/* Keys a layer type cannot do without ("units" of a head's last dense
 * layer excepted). */
static const struct { const char *type, *key; } layer_required[] = {
  { "dense", "units" }, { "conv2d", "filters" }, { "conv2d", "kernel" },
  { "patch_embed", "patch" }, { "patch_embed", "dim" }, { "attention", "heads" },
  { "transformer_block", "heads" }, { "transformer_block", "hidden" },
  { "embedding", "dim" }, { "conv1d", "filters" }, { "conv1d", "kernel" },
  { "gru", "hidden" }, { "lstm", "hidden" },
};

/* ---- shared with checking and writing ---------------------------------- */

const LayerField *
_mh_project_find_field (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (layer_fields); i++)
    if (g_str_equal (layer_fields[i].key, key))
      return &layer_fields[i];
  return NULL;
}

double
_mh_project_field_get (const MhLayerSpec *spec, const LayerField *f)
{
  const char *at = (const char *) spec + f->offset;

  if (f->is_bool)
    return *(const gboolean *) at;
  return f->is_int ? *(const int *) at : *(const double *) at;
}

char **
_mh_project_field_string (const MhLayerSpec *spec, const LayerField *f)
{
  return (char **) ((const char *) spec + f->offset);
}

char **
_mh_project_class_keys (const MhLayerClass *klass)
{
  return g_strsplit (klass->keys != NULL ? klass->keys : "", " ", -1);
}

gboolean
_mh_project_fail (GError **error, MhErrorCode code, const char *where, const char *path,
                  const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  mh_set_error_at (error, code, where, path, "%s", message);
  return FALSE;
}

gboolean
_mh_project_fail_in (GError **error, MhErrorCode code, const char *where, const char *path,
                     const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  mh_set_error_in (error, code, where, path, "%s", message);
  return FALSE;
}

/* ---- reading ---------------------------------------------------------- */

static void
field_set (MhLayerSpec *spec, const LayerField *f, double v)
{
  char *at = (char *) spec + f->offset;

  if (f->is_int)
    *(int *) at = (int) v;
  else
    *(double *) at = v;
}

static double
default_weight_decay (const char *optim_kind)
{
  return g_strcmp0 (optim_kind, "adamw") == 0 ? 0.01 : 0;
}

static gboolean
is_integral (double v)
{
  return v == floor (v) && fabs (v) < 9e18;
}

/* Where the reader is: the file, and the JSON path of the object it reads
 * ("" at the top). */
typedef struct {
  const char *where;
  const char *path;
} At;

typedef enum {
  WANT_STRING, WANT_NUMBER, WANT_INT, WANT_BOOL, WANT_OBJECT, WANT_ARRAY,
} Want;

static const char *const want_names[] = {
  N_("a string"), N_("a number"), N_("an integer"), N_("true or false"), N_("an object"), N_("an array"),
};

static char *
join_path (const char *path, const char *key)
{
  return *path != '\0' ? g_strconcat (path, ".", key, NULL) : g_strdup (key);
}

static const char *
describe (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("a boolean");
    default:
      return _("a number");
    }
}

static gboolean
node_is (JsonNode *node, Want want)
{
  GType t = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  switch (want)
    {
    case WANT_STRING:
      return t == G_TYPE_STRING;
    case WANT_NUMBER:
      return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
    case WANT_INT:
      return t == G_TYPE_INT64 || (t == G_TYPE_DOUBLE && is_integral (json_node_get_double (node)));
    case WANT_BOOL:
      return t == G_TYPE_BOOLEAN;
    case WANT_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    case WANT_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    }
  return FALSE;
}

/* The member `key` of `o`, checked to be what we want.  *out is NULL when
 * the member is absent (an error when it is required). */
static gboolean
get_member (const At *at, JsonObject *o, const char *key, Want want,
            gboolean required, JsonNode **out, GError **error)
{
  JsonNode *node = json_object_get_member (o, key);
  g_autofree char *path = NULL;
  char got[G_ASCII_DTOSTR_BUF_SIZE];

  *out = NULL;
  if (node == NULL && required)
    return _mh_project_fail (error, MH_ERROR_INVALID, at->where, at->path, _("missing key '%s'"), key);
  if (node == NULL || node_is (node, want))
    {
      *out = node;
      return TRUE;
    }
  path = join_path (at->path, key);
  if (want == WANT_INT && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    _mh_project_format_double (got, json_node_get_double (node));
  else
    g_strlcpy (got, describe (node), sizeof got);
  return _mh_project_fail (error, MH_ERROR_INVALID, at->where, path, "expected %s, got %s",
                           _(want_names[want]), got);
}

static gboolean
read_string (const At *at, JsonObject *o, const char *key, gboolean required,
             char **out, GError **error)
{
  JsonNode *node;

  if (!get_member (at, o, key, WANT_STRING, required, &node, error))
    return FALSE;
  if (node != NULL)
    {
      g_free (*out);
      *out = g_strdup (json_node_get_string (node));
    }
  return TRUE;
}

static gboolean
read_int64 (const At *at, JsonObject *o, const char *key, gint64 lo, gint64 hi,
            gint64 *out, GError **error)
{
  g_autofree char *path = NULL;
  JsonNode *node;
  gint64 v;

  if (!get_member (at, o, key, WANT_INT, FALSE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  v = json_node_get_int (node);   /* converts an integral double */
  if (v >= lo && v <= hi)
    {
      *out = v;
      return TRUE;
    }
  path = join_path (at->path, key);
  return _mh_project_fail_in (error, MH_ERROR_INVALID, at->where, path,
                              "%s must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                              ", got %" G_GINT64_FORMAT, path, lo, hi, v);
}

static gboolean
read_int (const At *at, JsonObject *o, const char *key, int *out, GError **error)
{
  gint64 v = *out;

  if (!read_int64 (at, o, key, G_MININT, G_MAXINT, &v, error))
    return FALSE;
  *out = (int) v;
  return TRUE;
}

static gboolean
read_double (const At *at, JsonObject *o, const char *key, double *out, GError **error)
{
  JsonNode *node;

  if (!get_member (at, o, key, WANT_NUMBER, FALSE, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_double (node);   /* converts an integer */
  return TRUE;
}

static gboolean
read_bool (const At *at, JsonObject *o, const char *key, gboolean *out, GError **error)
{
  JsonNode *node;

  if (!get_member (at, o, key, WANT_BOOL, FALSE, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
check_keys (const At *at, JsonObject *o, const char *const *known, GError **error)
{
  g_autoptr(GList) members = json_object_get_members (o);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_autofree char *list = g_strjoinv (", ", (char **) known);
        return _mh_project_fail (error, MH_ERROR_INVALID, at->where, at->path,
                                 _("unknown key '%s' (it takes: %s)"), (const char *) l->data, list);
      }
  return TRUE;
}

static GArray *
new_block (void)
{
  GArray *layers = g_array_new (FALSE, TRUE, sizeof (MhLayerSpec));

  g_array_set_clear_func (layers, (GDestroyNotify) mh_layer_spec_clear);
  return layers;
}

static gboolean
check_layer_keys (const At *at, JsonObject *o, const MhLayerClass *klass,
                  char **keys, GError **error)
{
  static const char *const common[] = { "type", "name", "frozen", NULL };
  g_autoptr(GList) members = json_object_get_members (o);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (common, l->data) && !g_strv_contains ((const char *const *) keys, l->data))
      {
        g_autofree char *list = g_strjoinv (", ", keys);
        return _mh_project_fail (error, MH_ERROR_INVALID, at->where, at->path,
                                 _("unknown key '%s' for a %s layer (it takes%s%s)"),
                                 (const char *) l->data, klass->type,
                                 *list ? ": " : " only name and frozen", list);
      }
  return TRUE;
}

static gboolean
read_layer_field (const At *at, JsonObject *o, const MhLayerClass *klass,
                  const char *key, MhLayerSpec *spec, GError **error)
{
  const LayerField *f = _mh_project_find_field (key);
  double d;
  int i;

  if (f == NULL)
    return _mh_project_fail (error, MH_ERROR_INVALID, at->where, at->path,
                             _("this version cannot read the '%s' of a %s layer"), key, klass->type);
  if (f->choices != NULL)
    return read_string (at, o, key, FALSE, _mh_project_field_string (spec, f), error);
  if (f->is_bool)
    return read_bool (at, o, key, (gboolean *) ((char *) spec + f->offset), error);
  if (!f->is_int)
    {
      d = _mh_project_field_get (spec, f);
      if (!read_double (at, o, key, &d, error))
        return FALSE;
      field_set (spec, f, d);
      return TRUE;
    }
  i = (int) _mh_project_field_get (spec, f);
  if (!read_int (at, o, key, &i, error))
    return FALSE;
  field_set (spec, f, i);
  return TRUE;
}

static gboolean
read_layer (const At *at, JsonObject *o, gboolean last_of_head, MhLayerSpec *spec,
            GError **error)
{
  g_autofree char *type = NULL;
  g_auto(GStrv) keys = NULL;
  const MhLayerClass *klass;

  if (!read_string (at, o, "type", TRUE, &type, error))
    return FALSE;
  klass = mh_layer_class_lookup (type);
  if (klass == NULL)
    {
      g_autofree char *path = join_path (at->path, "type");
      return _mh_project_fail (error, MH_ERROR_INVALID, at->where, path,
                               _("unknown layer type '%s' (known: %s)"), type, mh_layer_types ());
    }
  mh_layer_spec_init (spec, type);
  keys = _mh_project_class_keys (klass);
  if (!check_layer_keys (at, o, klass, keys, error)
      || !read_string (at, o, "name", FALSE, &spec->name, error)
      || !read_bool (at, o, "frozen", &spec->frozen, error))
    return FALSE;
  for (guint k = 0; keys[k] != NULL; k++)
    if (*keys[k] && !read_layer_field (at, o, klass, keys[k], spec, error))
      return FALSE;
  for (guint r = 0; r < G_N_ELEMENTS (layer_required); r++)
    if (g_str_equal (layer_required[r].type, type)
        && !json_object_has_member (o, layer_required[r].key)
        && !(last_of_head && g_str_equal (layer_required[r].key, "units")))
      return _mh_project_fail (error, MH_ERROR_INVALID, at->where, at->path,
                               _("a %s layer needs '%s'"), type, layer_required[r].key);
  return TRUE;
}

/* Reads the "layers" array of the block object `o` into `layers`. */
static gboolean
read_block (const At *at, JsonObject *o, GArray *layers, gboolean is_head, GError **error)
{
  JsonNode *node;
  JsonArray *array;
  guint n;

  if (!get_member (at, o, "layers", WANT_ARRAY, TRUE, &node, error))
    return FALSE;
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s%slayers[%u]", at->path, *at->path ? "." : "", i);
      JsonNode *item = json_array_get_element (array, i);
      At child = { at->where, path };

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return _mh_project_fail (error, MH_ERROR_INVALID, at->where, path,
                                 _("expected a layer (an object), got %s"), describe (item));
      g_array_set_size (layers, i + 1);
      if (!read_layer (&child, json_node_get_object (item), is_head && i == n - 1,
                       &g_array_index (layers, MhLayerSpec, i), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_head (const At *at, JsonObject *o, MhHeadSpec *head, GError **error)
{
  head->kind = g_strdup ("classification");
  head->weight = 1;
  head->threshold = 0.5;
  head->layers = new_block ();
  if (!check_keys (at, o, head_keys, error)
      || !read_string (at, o, "name", TRUE, &head->name, error)
      || !read_string (at, o, "kind", FALSE, &head->kind, error)
      || !read_string (at, o, "input", FALSE, &head->input, error)
      || !read_string (at, o, "target", FALSE,   /* a draft's may be missing: mh_project_validate() says so */
                       &head->target, error)
      || !read_string (at, o, "loss", FALSE, &head->loss, error)
      || !read_double (at, o, "weight", &head->weight, error)
      || !read_double (at, o, "threshold", &head->threshold, error)
      || !read_bool (at, o, "frozen", &head->frozen, error)
      || !read_block (at, o, head->layers, TRUE, error))
    return FALSE;
  if (head->loss == NULL)
    head->loss = g_strdup (mh_head_kind_default_loss (head->kind));
  return TRUE;
}

static gboolean
read_heads (const At *at, JsonObject *root, MhProject *p, GError **error)
{
  JsonNode *node;
  JsonArray *array;

  if (!get_member (at, root, "heads", WANT_ARRAY, TRUE, &node, error))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("heads[%u]", i);
      JsonNode *item = json_array_get_element (array, i);
      At child = { at->where, path };

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return _mh_project_fail (error, MH_ERROR_INVALID, at->where, path,
                                 _("expected a head (an object), got %s"), describe (item));
      g_array_set_size (p->heads, i + 1);
      if (!read_head (&child, json_node_get_object (item),
                      &g_array_index (p->heads, MhHeadSpec, i), error))
        return FALSE;
    }
  return TRUE;
}

/* The dataset section's keys depend on its kind: mh-project-data.c. */
static gboolean
read_dataset (const At *at, JsonObject *o, MhProject *p, GError **error)
{
  return _mh_project_read_dataset (at->where, o, &p->data, error);
}

gboolean
_mh_project_read (const char *where, const char *path, JsonObject *o, const char *key,
                  MhReadAs as, gpointer out, GError **error)
{
  At at = { where, path };
  JsonNode *node;
  gint64 seed;

  switch (as)
    {
    case MH_READ_STRING:
      return read_string (&at, o, key, FALSE, out, error);
    case MH_READ_INT:
      return read_int (&at, o, key, out, error);
    case MH_READ_SEED:
      seed = *(guint32 *) out;
      if (!read_int64 (&at, o, key, 0, G_MAXUINT32, &seed, error))
        return FALSE;
      *(guint32 *) out = (guint32) seed;
      return TRUE;
    case MH_READ_DOUBLE:
      return read_double (&at, o, key, out, error);
    case MH_READ_BOOL:
      return read_bool (&at, o, key, out, error);
    case MH_READ_OBJECT:
      if (!get_member (&at, o, key, WANT_OBJECT, FALSE, &node, error))
        return FALSE;
      *(JsonObject **) out = node != NULL ? json_node_get_object (node) : NULL;
      return TRUE;
    }
  g_return_val_if_reached (FALSE);
}

static gboolean
read_backbone (const At *at, JsonObject *o, MhProject *p, GError **error)
{
  return check_keys (at, o, backbone_keys, error)
         && read_string (at, o, "kind", FALSE, &p->backbone_kind, error)
         && read_bool (at, o, "frozen", &p->backbone_frozen, error)
         && read_block (at, o, p->backbone, FALSE, error);
}

static gboolean
read_optimizer (const At *at, JsonObject *o, MhProject *p, GError **error)
{
  MhOptimSpec *opt = &p->optim;

  if (!check_keys (at, o, optim_keys, error)
      || !read_string (at, o, "kind", FALSE, &opt->kind, error))
    return FALSE;
  opt->weight_decay = default_weight_decay (opt->kind);
  return read_double (at, o, "lr", &opt->lr, error)
         && read_double (at, o, "momentum", &opt->momentum, error)
         && read_double (at, o, "beta1", &opt->beta1, error)
         && read_double (at, o, "beta2", &opt->beta2, error)
         && read_double (at, o, "eps", &opt->eps, error)
         && read_double (at, o, "weight_decay", &opt->weight_decay, error)
         && read_double (at, o, "clip_norm", &opt->clip_norm, error);
}

static gboolean
read_schedule (const At *at, JsonObject *o, MhProject *p, GError **error)
{
  return check_keys (at, o, schedule_keys, error)
         && read_string (at, o, "kind", FALSE, &p->schedule.kind, error)
         && read_int (at, o, "warmup_steps", &p->schedule.warmup_steps, error)
         && read_double (at, o, "min_lr", &p->schedule.min_lr, error);
}

static gboolean
read_training (const At *at, JsonObject *o, MhProject *p, GError **error)
{
  gint64 seed = p->seed;

  if (!check_keys (at, o, training_keys, error)
      || !read_int (at, o, "batch", &p->batch, error)
      || !read_int (at, o, "epochs", &p->epochs, error)
      || !read_int64 (at, o, "seed", 0, G_MAXUINT32, &seed, error))
    return FALSE;
  p->seed = (guint32) seed;
  return TRUE;
}

static gboolean
read_balancing (const At *at, JsonObject *o, MhProject *p, GError **error)
{
  return check_keys (at, o, balancing_keys, error)
         && read_string (at, o, "method", FALSE, &p->balancing, error)
         && read_double (at, o, "alpha", &p->balancing_alpha, error)
         && read_double (at, o, "lr", &p->balancing_lr, error);
}

static gboolean
read_transfer (const At *at, JsonObject *o, MhProject *p, GError **error)
{
  if (!check_keys (at, o, transfer_keys, error)
      || !read_string (at, o, "weights", TRUE, &p->transfer_weights, error))
    return FALSE;
  return read_int (at, o, "layers", &p->transfer_layers, error);
}

typedef gboolean (*SectionReader) (const At *at, JsonObject *o, MhProject *p, GError **error);

static gboolean
read_section (const At *top, JsonObject *root, const char *key, gboolean required,
              SectionReader reader, MhProject *p, GError **error)
{
  At at = { top->where, key };
  JsonNode *node;

  if (!get_member (top, root, key, WANT_OBJECT, required, &node, error))
    return FALSE;
  return node == NULL || reader (&at, json_node_get_object (node), p, error);
}

static gboolean
read_project (JsonObject *root, const char *where, MhProject *p, GError **error)
{
  At at = { where, "" };
  JsonNode *node;
  gint64 format;

  /* First, so that a newer file fails on its format, not on a new key. */
  if (!get_member (&at, root, "format", WANT_INT, TRUE, &node, error))
    return FALSE;
  format = json_node_get_int (node);
  if (format != MH_PROJECT_FORMAT)
    return _mh_project_fail (error, MH_ERROR_FORMAT, where, NULL,
                             "format %" G_GINT64_FORMAT " is not supported"
                             " (this version reads format %d)", format, MH_PROJECT_FORMAT);
  p->format = MH_PROJECT_FORMAT;
  if (!check_keys (&at, root, top_keys, error)
      || !read_string (&at, root, "name", FALSE, &p->name, error)
      || !read_section (&at, root, "dataset", TRUE, read_dataset, p, error)
      || !read_section (&at, root, "backbone", TRUE, read_backbone, p, error)
      || !read_heads (&at, root, p, error)
      || !read_section (&at, root, "optimizer", FALSE, read_optimizer, p, error)
      || !read_section (&at, root, "schedule", FALSE, read_schedule, p, error)
      || !read_section (&at, root, "training", FALSE, read_training, p, error)
      || !read_section (&at, root, "balancing", FALSE, read_balancing, p, error)
      || !read_string (&at, root, "weights", FALSE, &p->weights, error)
      || !read_section (&at, root, "transfer", FALSE, read_transfer, p, error))
    return FALSE;
  node = json_object_get_member (root, "layout");
  if (node != NULL)
    p->layout = json_node_copy (node);
  return TRUE;
}

/* Parsed (every key known, of its type); validated unless `problem` is
 * given: then a project that parses but does not validate is returned with
 * the reason there. */
static MhProject *
load_data (const char *data, gssize len, const char *where, char **problem, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(MhProject) p = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  where = where != NULL ? where : "project";
  /* UTF-8 and the nesting checked before json-glib parses (mh-json.h) */
  if (!(parser = mh_json_parse (data, len, where, error)))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      _mh_project_fail (error, MH_ERROR_FORMAT, where, NULL, _("empty file, not a project"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      _mh_project_fail (error, MH_ERROR_FORMAT, where, NULL,
                        _("expected a project (a JSON object), got %s"), describe (root));
      return NULL;
    }
  p = mh_project_new_default ();
  if (!read_project (json_node_get_object (root), where, p, error))
    return NULL;
  if (problem != NULL)
    {
      g_autoptr(GError) invalid = NULL;
      *problem = NULL;
      if (!mh_project_validate (p, where, &invalid))
        *problem = g_strdup (invalid->message);
    }
  else if (!mh_project_validate (p, where, error))
    return NULL;
  return g_steal_pointer (&p);
}

MhProject *
mh_project_load_data (const char *data, gssize len, const char *where, GError **error)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_data (data, len, where, NULL, error);
}

MhProject *
mh_project_load_draft (const char *data, gssize len, const char *where, char **problem, GError **error)
{
  g_return_val_if_fail (problem != NULL, NULL);

  return load_data (data, len, where, problem, error);
}

MhProject *
mh_project_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  /* a regular file of at most MH_JSON_MAX_FILE bytes (mh-input.h) */
  if (!(data = mh_input_read_all (path, "project", MH_JSON_MAX_FILE, &len, error)))
    return NULL;
  return mh_project_load_data (data, (gssize) len, path, error);
}

/* ---- the rest --------------------------------------------------------- */

void
mh_head_spec_clear (MhHeadSpec *head)
{
  g_return_if_fail (head != NULL);

  g_clear_pointer (&head->name, g_free);
  g_clear_pointer (&head->kind, g_free);
  g_clear_pointer (&head->input, g_free);
  g_clear_pointer (&head->target, g_free);
  g_clear_pointer (&head->loss, g_free);
  g_clear_pointer (&head->layers, g_array_unref);
}

MhProject *
mh_project_new_default (void)
{
  MhProject *p = g_new0 (MhProject, 1);

  p->format = MH_PROJECT_FORMAT;
  p->name = g_strdup ("untitled");
  p->data.kind = g_strdup ("fashion-mnist");
  _mh_project_data_defaults (&p->data);
  p->backbone_kind = g_strdup ("custom");
  p->backbone = new_block ();
  p->heads = g_array_new (FALSE, TRUE, sizeof (MhHeadSpec));
  g_array_set_clear_func (p->heads, (GDestroyNotify) mh_head_spec_clear);
  p->optim = (MhOptimSpec) {
    .kind = g_strdup ("adam"),
    .lr = 1e-3,
    .momentum = 0.9,
    .beta1 = 0.9,
    .beta2 = 0.999,
    .eps = 1e-8,
    .weight_decay = default_weight_decay ("adam"),
    .clip_norm = 0,
  };
  p->schedule = (MhScheduleSpec) { .kind = g_strdup ("constant") };
  p->batch = 64;
  p->epochs = 5;
  p->seed = 1;
  p->balancing = g_strdup ("fixed");
  p->balancing_alpha = 1.5;
  p->balancing_lr = 0.025;
  return p;
}

void
mh_project_free (MhProject *p)
{
  if (p == NULL)
    return;
  g_free (p->name);
  g_free (p->data.kind);
  g_free (p->data.path);
  g_free (p->backbone_kind);
  g_clear_pointer (&p->backbone, g_array_unref);
  g_clear_pointer (&p->heads, g_array_unref);
  g_free (p->optim.kind);
  g_free (p->schedule.kind);
  g_free (p->balancing);
  g_free (p->weights);
  g_free (p->transfer_weights);
  g_clear_pointer (&p->layout, json_node_unref);
  g_free (p);
}

const MhHeadSpec *
mh_project_find_head (const MhProject *p, const char *name)
{
  g_return_val_if_fail (p != NULL, NULL);

  for (guint i = 0; p->heads != NULL && i < p->heads->len; i++)
    if (g_strcmp0 (g_array_index (p->heads, MhHeadSpec, i).name, name) == 0)
      return &g_array_index (p->heads, MhHeadSpec, i);
  return NULL;
}

char *
mh_block_layer_name (GArray *layers, guint i)
{
  const MhLayerSpec *spec;
  guint count = 0;

  g_return_val_if_fail (layers != NULL && i < layers->len, NULL);

  spec = &g_array_index (layers, MhLayerSpec, i);
  if (spec->name != NULL)
    return g_strdup (spec->name);
  for (guint j = 0; j <= i; j++)
    if (g_strcmp0 (g_array_index (layers, MhLayerSpec, j).type, spec->type) == 0)
      count++;
  return g_strdup_printf ("%s%u", spec->type, count);
}
