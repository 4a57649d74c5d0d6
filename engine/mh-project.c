/* mh-project.c — reading and writing project files (.mhproj, JSON).
 *
 * Project files, format 1
 * -----------------------
 * A project file is one JSON object.  Keys not listed here are errors naming
 * their JSON path; a missing optional key takes its default.  null is not a
 * value for any key (except inside "layout").
 *
 *   key                  type     default                  rule
 *   format               integer  (required)               must be 1
 *   name                 string   "untitled"
 *   dataset              object   (required)
 *     kind               string   (required)               fashion-mnist
 *     path               string   the kind's default place
 *     validation         integer  0                        ≥ 0 training samples held out
 *   backbone             object   (required)
 *     kind               string   "custom"                 mlp, cnn, vit, custom
 *     frozen             boolean  false
 *     layers             array    (required)               at least one layer
 *   heads                array    (required)               at least one head
 *     name               string   (required)               unique; letters, digits, _ and -
 *     kind               string   "classification"         classification, multilabel, regression
 *     input              string   the backbone's output    a backbone layer's name
 *     target             string   (required)               the dataset field it predicts
 *     loss               string   by kind: cross-entropy,  classification: cross-entropy;
 *                                 bce, smooth-l1           multilabel: bce; regression: mse, smooth-l1
 *     weight             number   1                        finite, ≥ 0
 *     frozen             boolean  false
 *     layers             array    (required)               at least one layer
 *   optimizer            object
 *     kind               string   "adam"                   sgd, adam, adamw
 *     lr                 number   0.001                    finite, > 0
 *     momentum           number   0.9                      [0, 1); sgd
 *     beta1              number   0.9                      [0, 1)
 *     beta2              number   0.999                    [0, 1)
 *     eps                number   1e-8                     finite, > 0
 *     weight_decay       number   0.01 for adamw, else 0   finite, ≥ 0
 *     clip_norm          number   0 (no clipping)          finite, ≥ 0
 *   schedule             object
 *     kind               string   "constant"               constant, cosine
 *     warmup_steps       integer  0                        ≥ 0
 *     min_lr             number   0                        finite, ≥ 0
 *   training             object
 *     batch              integer  64                       ≥ 1
 *     epochs             integer  5                        ≥ 0
 *     seed               integer  1                        0 … 4294967295
 *   balancing            object
 *     method             string   "fixed"                  fixed, equal
 *   layout               any      absent                   canvas positions, kept as they are
 *
 * A layer is { "type": …, "name": …, "frozen": …, and the keys its type
 * takes }; "name" (letters, digits, _ and -) and "frozen" (default false)
 * are optional:
 *
 *   type        keys (default)                             rule
 *   dense       units (required*)                          ≥ 1; 0 = as many as the
 *                                                          head's target field has*
 *   conv2d      filters (required), kernel (required),     ≥ 1, ≥ 1,
 *               stride (1), padding (0)                    ≥ 1, ≥ 0
 *   maxpool     size (2)                                   ≥ 1
 *   dropout     rate (0.5)                                 [0, 1)
 *   layernorm   eps (1e-5)                                 finite, > 0
 *   relu, gelu, flatten                                    no keys
 *
 *   * In a head's last layer, units may be 0 or left out (= 0).
 *
 * A layer without a name is called by its type and the 1-based count of
 * that type among the layers of its block up to it: "dense1", "relu2".
 * Names, given or automatic, are unique within a block; a head's "input"
 * names a backbone layer that way.
 *
 * Integers may be written 64 or 64.0; numbers may be written as integers.
 * The writer writes every key (defaults included) in the order above,
 * except absent strings (dataset.path, a head's input, a layer's name) and
 * the layout; a layer's "frozen" is written only when true, and a layer
 * carries only the keys its type takes.
 *
 * json-glib 1.6's JsonGenerator writes 1e-8 as "1e-08.0", which is not
 * JSON, so the writer below prints the JsonNode tree itself, with numbers
 * in the shortest form that reads back to the same double.
 */
#include <math.h>
#include <string.h>
#include <gio/gio.h>
#include "mh-project.h"
#include "mh-error.h"

#define MAX_LINE 120   /* a container is written on one line if it fits */

static const char *const dataset_kinds[] = { "fashion-mnist", NULL };
static const char *const backbone_kinds[] = { "mlp", "cnn", "vit", "custom", NULL };
static const char *const head_kinds[] = { "classification", "multilabel", "regression", NULL };
static const char *const losses[] = { "cross-entropy", "bce", "mse", "smooth-l1", NULL };
static const char *const optim_kinds[] = { "sgd", "adam", "adamw", NULL };
static const char *const schedule_kinds[] = { "constant", "cosine", NULL };
static const char *const balancing_methods[] = { "fixed", "equal", NULL };

static const char *const top_keys[] = {
  "format", "name", "dataset", "backbone", "heads", "optimizer", "schedule",
  "training", "balancing", "layout", NULL
};
static const char *const dataset_keys[] = { "kind", "path", "validation", NULL };
static const char *const backbone_keys[] = { "kind", "frozen", "layers", NULL };
static const char *const head_keys[] = {
  "name", "kind", "input", "target", "loss", "weight", "frozen", "layers", NULL
};
static const char *const optim_keys[] = {
  "kind", "lr", "momentum", "beta1", "beta2", "eps", "weight_decay", "clip_norm", NULL
};
static const char *const schedule_keys[] = { "kind", "warmup_steps", "min_lr", NULL };
static const char *const training_keys[] = { "batch", "epochs", "seed", NULL };
static const char *const balancing_keys[] = { "method", NULL };

typedef enum {
  RULE_MIN_0,         /* integers */
  RULE_MIN_1,
  RULE_FRACTION,      /* [0, 1) */
  RULE_POSITIVE,      /* finite, > 0 */
  RULE_NON_NEGATIVE,  /* finite, ≥ 0 */
} Rule;

/* The type-specific keys of MhLayerSpec. */
typedef struct {
  const char *key;
  gboolean    is_int;
  gsize       offset;
  Rule        rule;
} LayerField;

static const LayerField layer_fields[] = {
  { "units",   TRUE,  G_STRUCT_OFFSET (MhLayerSpec, units),   RULE_MIN_1 },
  { "filters", TRUE,  G_STRUCT_OFFSET (MhLayerSpec, filters), RULE_MIN_1 },
  { "kernel",  TRUE,  G_STRUCT_OFFSET (MhLayerSpec, kernel),  RULE_MIN_1 },
  { "stride",  TRUE,  G_STRUCT_OFFSET (MhLayerSpec, stride),  RULE_MIN_1 },
  { "padding", TRUE,  G_STRUCT_OFFSET (MhLayerSpec, padding), RULE_MIN_0 },
  { "size",    TRUE,  G_STRUCT_OFFSET (MhLayerSpec, size),    RULE_MIN_1 },
  { "rate",    FALSE, G_STRUCT_OFFSET (MhLayerSpec, rate),    RULE_FRACTION },
  { "eps",     FALSE, G_STRUCT_OFFSET (MhLayerSpec, eps),     RULE_POSITIVE },
};

/* Keys a layer type cannot do without ("units" of a head's last dense
 * layer excepted). */
static const struct { const char *type, *key; } layer_required[] = {
  { "dense", "units" }, { "conv2d", "filters" }, { "conv2d", "kernel" },
};

/* ---- small helpers ---------------------------------------------------- */

static const LayerField *
find_field (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (layer_fields); i++)
    if (g_str_equal (layer_fields[i].key, key))
      return &layer_fields[i];
  return NULL;
}

static double
field_get (const MhLayerSpec *spec, const LayerField *f)
{
  const char *at = (const char *) spec + f->offset;

  return f->is_int ? *(const int *) at : *(const double *) at;
}

static void
field_set (MhLayerSpec *spec, const LayerField *f, double v)
{
  char *at = (char *) spec + f->offset;

  if (f->is_int)
    *(int *) at = (int) v;
  else
    *(double *) at = v;
}

/* The keys a layer class takes, as a vector. */
static char **
class_keys (const MhLayerClass *klass)
{
  return g_strsplit (klass->keys != NULL ? klass->keys : "", " ", -1);
}

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

static const char *
default_loss (const char *head_kind)
{
  if (g_strcmp0 (head_kind, "multilabel") == 0)
    return "bce";
  if (g_strcmp0 (head_kind, "regression") == 0)
    return "smooth-l1";
  return "cross-entropy";
}

/* The losses a head kind takes, for messages; NULL if `loss` fits. */
static const char *
loss_misfit (const char *head_kind, const char *loss)
{
  if (g_str_equal (head_kind, "classification"))
    return g_str_equal (loss, "cross-entropy") ? NULL : "cross-entropy";
  if (g_str_equal (head_kind, "multilabel"))
    return g_str_equal (loss, "bce") ? NULL : "bce";
  return g_str_equal (loss, "mse") || g_str_equal (loss, "smooth-l1") ? NULL : "mse or smooth-l1";
}

static double
default_weight_decay (const char *optim_kind)
{
  return g_strcmp0 (optim_kind, "adamw") == 0 ? 0.01 : 0;
}

/* The shortest text that reads back as `v` ("0.001", "1e-08", "nan"). */
static void
format_double (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, formats[i], v);
      if (g_ascii_strtod (buf, NULL) == v)
        return;
    }
}

static gboolean
is_integral (double v)
{
  return v == floor (v) && fabs (v) < 9e18;
}

/* Sets "where: path: message" (or "where: message" when path is NULL or
 * empty) and returns FALSE. */
static gboolean G_GNUC_PRINTF (5, 6)
fail (GError **error, MhErrorCode code, const char *where, const char *path,
      const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (path != NULL && *path != '\0')
    g_set_error (error, MH_ERROR, code, "%s: %s: %s", where, path, message);
  else
    g_set_error (error, MH_ERROR, code, "%s: %s", where, message);
  return FALSE;
}

/* ---- reading ---------------------------------------------------------- */

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
  "a string", "a number", "an integer", "true or false", "an object", "an array",
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
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
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
    return fail (error, MH_ERROR_INVALID, at->where, at->path, "missing key '%s'", key);
  if (node == NULL || node_is (node, want))
    {
      *out = node;
      return TRUE;
    }
  path = join_path (at->path, key);
  if (want == WANT_INT && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    format_double (got, json_node_get_double (node));
  else
    g_strlcpy (got, describe (node), sizeof got);
  return fail (error, MH_ERROR_INVALID, at->where, path, "expected %s, got %s",
               want_names[want], got);
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
  return fail (error, MH_ERROR_INVALID, at->where, NULL,
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
        return fail (error, MH_ERROR_INVALID, at->where, at->path,
                     "unknown key '%s' (it takes: %s)", (const char *) l->data, list);
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
        return fail (error, MH_ERROR_INVALID, at->where, at->path,
                     "unknown key '%s' for a %s layer (it takes%s%s)",
                     (const char *) l->data, klass->type, *list ? ": " : " only name and frozen",
                     list);
      }
  return TRUE;
}

static gboolean
read_layer_field (const At *at, JsonObject *o, const MhLayerClass *klass,
                  const char *key, MhLayerSpec *spec, GError **error)
{
  const LayerField *f = find_field (key);
  double d;
  int i;

  if (f == NULL)
    return fail (error, MH_ERROR_INVALID, at->where, at->path,
                 "this version cannot read the '%s' of a %s layer", key, klass->type);
  if (!f->is_int)
    {
      d = field_get (spec, f);
      if (!read_double (at, o, key, &d, error))
        return FALSE;
      field_set (spec, f, d);
      return TRUE;
    }
  i = (int) field_get (spec, f);
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
      return fail (error, MH_ERROR_INVALID, at->where, path,
                   "unknown layer type '%s' (known: %s)", type, mh_layer_types ());
    }
  mh_layer_spec_init (spec, type);
  keys = class_keys (klass);
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
      return fail (error, MH_ERROR_INVALID, at->where, at->path,
                   "a %s layer needs '%s'", type, layer_required[r].key);
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
        return fail (error, MH_ERROR_INVALID, at->where, path,
                     "expected a layer (an object), got %s", describe (item));
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
  head->layers = new_block ();
  if (!check_keys (at, o, head_keys, error)
      || !read_string (at, o, "name", TRUE, &head->name, error)
      || !read_string (at, o, "kind", FALSE, &head->kind, error)
      || !read_string (at, o, "input", FALSE, &head->input, error)
      || !read_string (at, o, "target", TRUE, &head->target, error)
      || !read_string (at, o, "loss", FALSE, &head->loss, error)
      || !read_double (at, o, "weight", &head->weight, error)
      || !read_bool (at, o, "frozen", &head->frozen, error)
      || !read_block (at, o, head->layers, TRUE, error))
    return FALSE;
  if (head->loss == NULL)
    head->loss = g_strdup (default_loss (head->kind));
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
        return fail (error, MH_ERROR_INVALID, at->where, path,
                     "expected a head (an object), got %s", describe (item));
      g_array_set_size (p->heads, i + 1);
      if (!read_head (&child, json_node_get_object (item),
                      &g_array_index (p->heads, MhHeadSpec, i), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_dataset (const At *at, JsonObject *o, MhProject *p, GError **error)
{
  return check_keys (at, o, dataset_keys, error)
         && read_string (at, o, "kind", TRUE, &p->data.kind, error)
         && read_string (at, o, "path", FALSE, &p->data.path, error)
         && read_int (at, o, "validation", &p->data.validation, error);
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
         && read_string (at, o, "method", FALSE, &p->balancing, error);
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
    return fail (error, MH_ERROR_FORMAT, where, NULL,
                 "format %" G_GINT64_FORMAT " is not supported (this version reads format %d)",
                 format, MH_PROJECT_FORMAT);
  p->format = MH_PROJECT_FORMAT;
  if (!check_keys (&at, root, top_keys, error)
      || !read_string (&at, root, "name", FALSE, &p->name, error)
      || !read_section (&at, root, "dataset", TRUE, read_dataset, p, error)
      || !read_section (&at, root, "backbone", TRUE, read_backbone, p, error)
      || !read_heads (&at, root, p, error)
      || !read_section (&at, root, "optimizer", FALSE, read_optimizer, p, error)
      || !read_section (&at, root, "schedule", FALSE, read_schedule, p, error)
      || !read_section (&at, root, "training", FALSE, read_training, p, error)
      || !read_section (&at, root, "balancing", FALSE, read_balancing, p, error))
    return FALSE;
  node = json_object_get_member (root, "layout");
  if (node != NULL)
    p->layout = json_node_copy (node);
  return TRUE;
}

/* json-glib says "<data>:LINE:COL: Parse error: …"; name the file instead. */
static void
set_syntax_error (const char *where, const GError *parse_error, GError **error)
{
  const char *message = parse_error->message;

  if (g_str_has_prefix (message, "<data>:"))
    g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s%s", where, message + strlen ("<data>"));
  else
    g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: %s", where, message);
}

MhProject *
mh_project_load_data (const char *data, gssize len, const char *where, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(MhProject) p = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  where = where != NULL ? where : "project";
  if (!json_parser_load_from_data (parser, data, len, &parse_error))
    {
      set_syntax_error (where, parse_error, error);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      fail (error, MH_ERROR_FORMAT, where, NULL, "empty file, not a project");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, MH_ERROR_FORMAT, where, NULL,
            "expected a project (a JSON object), got %s", describe (root));
      return NULL;
    }
  p = mh_project_new_default ();
  if (!read_project (json_node_get_object (root), where, p, error)
      || !mh_project_validate (p, where, error))
    return NULL;
  return g_steal_pointer (&p);
}

MhProject *
mh_project_load (const char *path, GError **error)
{
  g_autoptr(GError) read_error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &len, &read_error))
    {
      /* GLib's message names the file and the reason. */
      g_set_error_literal (error, MH_ERROR, MH_ERROR_IO, read_error->message);
      return NULL;
    }
  return mh_project_load_data (data, (gssize) len, path, error);
}

/* ---- validation ------------------------------------------------------- */

/* NULL when `v` keeps `rule`, else what it must be. */
static const char *
rule_broken (Rule rule, double v)
{
  switch (rule)
    {
    case RULE_MIN_0:
      return v >= 0 ? NULL : "must not be negative";
    case RULE_MIN_1:
      return v >= 1 ? NULL : "must be at least 1";
    case RULE_FRACTION:
      return v >= 0 && v < 1 ? NULL : "must be at least 0 and below 1";
    case RULE_POSITIVE:
      return v > 0 && isfinite (v) ? NULL : "must be a positive finite number";
    case RULE_NON_NEGATIVE:
      return v >= 0 && isfinite (v) ? NULL : "must be a finite number, at least 0";
    }
  return NULL;
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
  format_double (got, v);
  return fail (error, MH_ERROR_INVALID, where, NULL, "%s %s, got %s", path, broken, got);
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
    return fail (error, MH_ERROR_INVALID, where, NULL, "%s is missing", path);
  what = strrchr (path, '.') != NULL ? strrchr (path, '.') + 1 : path;
  list = g_strjoinv (", ", (char **) known);
  return fail (error, MH_ERROR_INVALID, where, path, "unknown %s '%s' (known: %s)", what, value, list);
}

static gboolean
validate_layer (const char *where, const char *block, guint i, const MhLayerSpec *spec,
                gboolean last_of_head, GError **error)
{
  const MhLayerClass *klass = mh_layer_class_lookup (spec->type);
  g_auto(GStrv) keys = NULL;

  if (klass == NULL)
    return fail (error, MH_ERROR_INVALID, where, NULL,
                 "%s.layers[%u].type: unknown layer type '%s' (known: %s)",
                 block, i, spec->type ? spec->type : "(none)", mh_layer_types ());
  if (spec->name != NULL && !name_ok (spec->name))
    return fail (error, MH_ERROR_INVALID, where, NULL,
                 "%s.layers[%u].name must contain only letters, digits, '_' and '-', got '%s'",
                 block, i, spec->name);
  keys = class_keys (klass);
  for (guint k = 0; keys[k] != NULL; k++)
    {
      const LayerField *f = find_field (keys[k]);
      Rule rule;

      if (f == NULL)
        continue;
      rule = last_of_head && g_str_equal (f->key, "units") ? RULE_MIN_0 : f->rule;
      if (!check_rule (where, rule, field_get (spec, f), error,
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
    return fail (error, MH_ERROR_INVALID, where, NULL, "%s.layers must have at least one layer", block);
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
          fail (error, MH_ERROR_INVALID, where, NULL,
                "%s.layers[%u]: the %sname '%s' is already used by %s.layers[%u]",
                block, i, spec->name ? "" : "automatic ", name, block, GPOINTER_TO_UINT (other));
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
  return fail (error, MH_ERROR_INVALID, where, NULL,
               "heads[%u].input: head '%s' reads '%s', but no backbone layer has that name"
               " (taps: %s)", i, head->name, head->input, taps->str);
}

static gboolean
validate_head (const char *where, const MhProject *p, guint i, GError **error)
{
  const MhHeadSpec *head = &g_array_index (p->heads, MhHeadSpec, i);
  g_autofree char *block = g_strdup_printf ("heads[%u]", i);
  const char *fitting;

  if (!name_ok (head->name))
    return fail (error, MH_ERROR_INVALID, where, NULL,
                 "heads[%u].name must contain only letters, digits, '_' and '-', got '%s'",
                 i, head->name ? head->name : "");
  for (guint j = 0; j < i; j++)
    if (g_strcmp0 (g_array_index (p->heads, MhHeadSpec, j).name, head->name) == 0)
      return fail (error, MH_ERROR_INVALID, where, NULL,
                   "heads[%u].name: '%s' is already the name of heads[%u]", i, head->name, j);
  if (!check_enum (where, head_kinds, head->kind, error, "heads[%u].kind", i))
    return FALSE;
  if (head->target == NULL || *head->target == '\0')
    return fail (error, MH_ERROR_INVALID, where, NULL, "heads[%u].target is missing", i);
  if (head->loss != NULL)
    {
      if (!check_enum (where, losses, head->loss, error, "heads[%u].loss", i))
        return FALSE;
      fitting = loss_misfit (head->kind, head->loss);
      if (fitting != NULL)
        return fail (error, MH_ERROR_INVALID, where, NULL,
                     "heads[%u].loss: '%s' does not fit a %s head (use %s)",
                     i, head->loss, head->kind, fitting);
    }
  if (!check_rule (where, RULE_NON_NEGATIVE, head->weight, error, "heads[%u].weight", i))
    return FALSE;
  if (head->input != NULL && !block_has_name (p->backbone, head->input))
    return fail_input (where, p, i, error);
  return validate_block (where, block, head->layers, TRUE, error);
}

static gboolean
validate_optim (const char *where, const MhOptimSpec *opt, GError **error)
{
  return check_enum (where, optim_kinds, opt->kind, error, "optimizer.kind")
         && check_rule (where, RULE_POSITIVE, opt->lr, error, "optimizer.lr")
         && check_rule (where, RULE_FRACTION, opt->momentum, error, "optimizer.momentum")
         && check_rule (where, RULE_FRACTION, opt->beta1, error, "optimizer.beta1")
         && check_rule (where, RULE_FRACTION, opt->beta2, error, "optimizer.beta2")
         && check_rule (where, RULE_POSITIVE, opt->eps, error, "optimizer.eps")
         && check_rule (where, RULE_NON_NEGATIVE, opt->weight_decay, error, "optimizer.weight_decay")
         && check_rule (where, RULE_NON_NEGATIVE, opt->clip_norm, error, "optimizer.clip_norm");
}

gboolean
mh_project_validate (const MhProject *p, const char *where, GError **error)
{
  g_return_val_if_fail (p != NULL, FALSE);

  where = where != NULL ? where : "project";
  if (p->format != MH_PROJECT_FORMAT)
    return fail (error, MH_ERROR_FORMAT, where, NULL,
                 "format %d is not supported (this version reads format %d)",
                 p->format, MH_PROJECT_FORMAT);
  if (p->name == NULL)
    return fail (error, MH_ERROR_INVALID, where, NULL, "name is missing");
  if (!check_enum (where, dataset_kinds, p->data.kind, error, "dataset.kind")
      || !check_rule (where, RULE_MIN_0, p->data.validation, error, "dataset.validation")
      || !check_enum (where, backbone_kinds, p->backbone_kind, error, "backbone.kind")
      || !validate_block (where, "backbone", p->backbone, FALSE, error))
    return FALSE;
  if (p->heads == NULL || p->heads->len == 0)
    return fail (error, MH_ERROR_INVALID, where, NULL, "heads must have at least one head");
  for (guint i = 0; i < p->heads->len; i++)
    if (!validate_head (where, p, i, error))
      return FALSE;
  return validate_optim (where, &p->optim, error)
         && check_enum (where, schedule_kinds, p->schedule.kind, error, "schedule.kind")
         && check_rule (where, RULE_MIN_0, p->schedule.warmup_steps, error, "schedule.warmup_steps")
         && check_rule (where, RULE_NON_NEGATIVE, p->schedule.min_lr, error, "schedule.min_lr")
         && check_rule (where, RULE_MIN_1, p->batch, error, "training.batch")
         && check_rule (where, RULE_MIN_0, p->epochs, error, "training.epochs")
         && check_enum (where, balancing_methods, p->balancing, error, "balancing.method");
}

/* ---- writing ---------------------------------------------------------- */

static void
add_string (JsonBuilder *b, const char *key, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, value);
}

static void
add_int (JsonBuilder *b, const char *key, gint64 value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

static void
add_bool (JsonBuilder *b, const char *key, gboolean value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_boolean_value (b, value);
}

/* Whole numbers as integers ("weight": 1), the others as doubles. */
static void
add_number (JsonBuilder *b, const char *key, double value)
{
  json_builder_set_member_name (b, key);
  if (value == floor (value) && fabs (value) < 1e15)
    json_builder_add_int_value (b, (gint64) value);
  else
    json_builder_add_double_value (b, value);
}

static void
begin (JsonBuilder *b, const char *key, gboolean array)
{
  json_builder_set_member_name (b, key);
  if (array)
    json_builder_begin_array (b);
  else
    json_builder_begin_object (b);
}

static void
build_layers (JsonBuilder *b, GArray *layers)
{
  begin (b, "layers", TRUE);
  for (guint i = 0; layers != NULL && i < layers->len; i++)
    {
      const MhLayerSpec *spec = &g_array_index (layers, MhLayerSpec, i);
      const MhLayerClass *klass = mh_layer_class_lookup (spec->type);
      g_auto(GStrv) keys = klass != NULL ? class_keys (klass) : g_new0 (char *, 1);

      json_builder_begin_object (b);
      add_string (b, "type", spec->type);
      add_string (b, "name", spec->name);
      for (guint k = 0; keys[k] != NULL; k++)
        {
          const LayerField *f = find_field (keys[k]);
          if (f != NULL && f->is_int)
            add_int (b, f->key, (gint64) field_get (spec, f));
          else if (f != NULL)
            add_number (b, f->key, field_get (spec, f));
        }
      if (spec->frozen)
        add_bool (b, "frozen", TRUE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
build_head (JsonBuilder *b, const MhHeadSpec *head)
{
  json_builder_begin_object (b);
  add_string (b, "name", head->name);
  add_string (b, "kind", head->kind);
  add_string (b, "input", head->input);
  add_string (b, "target", head->target);
  add_string (b, "loss", head->loss != NULL ? head->loss : default_loss (head->kind));
  add_number (b, "weight", head->weight);
  add_bool (b, "frozen", head->frozen);
  build_layers (b, head->layers);
  json_builder_end_object (b);
}

static void
build_project (JsonBuilder *b, const MhProject *p)
{
  json_builder_begin_object (b);
  add_int (b, "format", p->format);
  add_string (b, "name", p->name);

  begin (b, "dataset", FALSE);
  add_string (b, "kind", p->data.kind);
  add_string (b, "path", p->data.path);
  add_int (b, "validation", p->data.validation);
  json_builder_end_object (b);

  begin (b, "backbone", FALSE);
  add_string (b, "kind", p->backbone_kind);
  add_bool (b, "frozen", p->backbone_frozen);
  build_layers (b, p->backbone);
  json_builder_end_object (b);

  begin (b, "heads", TRUE);
  for (guint i = 0; p->heads != NULL && i < p->heads->len; i++)
    build_head (b, &g_array_index (p->heads, MhHeadSpec, i));
  json_builder_end_array (b);

  begin (b, "optimizer", FALSE);
  add_string (b, "kind", p->optim.kind);
  add_number (b, "lr", p->optim.lr);
  add_number (b, "momentum", p->optim.momentum);
  add_number (b, "beta1", p->optim.beta1);
  add_number (b, "beta2", p->optim.beta2);
  add_number (b, "eps", p->optim.eps);
  add_number (b, "weight_decay", p->optim.weight_decay);
  add_number (b, "clip_norm", p->optim.clip_norm);
  json_builder_end_object (b);

  begin (b, "schedule", FALSE);
  add_string (b, "kind", p->schedule.kind);
  add_int (b, "warmup_steps", p->schedule.warmup_steps);
  add_number (b, "min_lr", p->schedule.min_lr);
  json_builder_end_object (b);

  begin (b, "training", FALSE);
  add_int (b, "batch", p->batch);
  add_int (b, "epochs", p->epochs);
  add_int (b, "seed", p->seed);
  json_builder_end_object (b);

  begin (b, "balancing", FALSE);
  add_string (b, "method", p->balancing);
  json_builder_end_object (b);

  if (p->layout != NULL)
    {
      json_builder_set_member_name (b, "layout");
      json_builder_add_value (b, json_node_copy (p->layout));
    }
  json_builder_end_object (b);
}

static void write_node (GString *out, JsonNode *node, guint depth);

static void
write_string (GString *out, const char *s)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), s);
  g_autofree char *quoted = json_to_string (node, FALSE);

  g_string_append (out, quoted);
}

static void
write_scalar (GString *out, JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double v;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      write_string (out, json_node_get_string (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    default:
      v = json_node_get_double (node);
      if (isnan (v))
        g_string_append (out, "null");
      else if (isinf (v))
        g_string_append (out, v > 0 ? "1e999" : "-1e999");   /* reads back as ±inf */
      else
        {
          format_double (buf, v);
          /* keep it a double: "120.0", not "120" */
          g_string_append_printf (out, "%s%s", buf, strpbrk (buf, ".e") ? "" : ".0");
        }
    }
}

static GList *
children_of (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_values (json_node_get_object (node));
  return json_array_get_elements (json_node_get_array (node));
}

static gboolean
is_flat (GList *children)
{
  for (GList *l = children; l != NULL; l = l->next)
    if (JSON_NODE_HOLDS_OBJECT (l->data) || JSON_NODE_HOLDS_ARRAY (l->data))
      return FALSE;
  return TRUE;
}

static void
write_indent (GString *out, guint depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* An object or array, on one line when `inline_` ({ "a": 1 }, [1, 2]),
 * else one member a line. */
static void
write_container (GString *out, JsonNode *node, GList *children, guint depth, gboolean inline_)
{
  gboolean is_object = JSON_NODE_HOLDS_OBJECT (node);
  g_autoptr(GList) keys = is_object ? json_object_get_members (json_node_get_object (node)) : NULL;
  GList *k = keys;

  g_string_append_c (out, is_object ? '{' : '[');
  for (GList *c = children; c != NULL; c = c->next, k = k ? k->next : NULL)
    {
      if (c != children)
        g_string_append_c (out, ',');
      if (!inline_)
        {
          g_string_append_c (out, '\n');
          write_indent (out, depth + 1);
        }
      else if (is_object || c != children)
        g_string_append_c (out, ' ');
      if (k != NULL)
        {
          write_string (out, k->data);
          g_string_append (out, ": ");
        }
      write_node (out, c->data, depth + 1);
    }
  if (!inline_)
    {
      g_string_append_c (out, '\n');
      write_indent (out, depth);
    }
  else if (is_object)
    g_string_append_c (out, ' ');
  g_string_append_c (out, is_object ? '}' : ']');
}

/* The length of the last line of `out`. */
static gsize
line_length (GString *out)
{
  const char *newline = g_strrstr_len (out->str, out->len, "\n");

  return newline != NULL ? out->len - (gsize) (newline + 1 - out->str) : out->len;
}

static void
write_node (GString *out, JsonNode *node, guint depth)
{
  g_autoptr(GList) children = NULL;
  gsize start = out->len;

  if (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    {
      write_scalar (out, node);
      return;
    }
  children = children_of (node);
  if (children == NULL)
    {
      g_string_append (out, JSON_NODE_HOLDS_OBJECT (node) ? "{}" : "[]");
      return;
    }
  if (is_flat (children))
    {
      write_container (out, node, children, depth, TRUE);
      if (line_length (out) <= MAX_LINE)
        return;
      g_string_truncate (out, start);
    }
  write_container (out, node, children, depth, FALSE);
}

char *
mh_project_to_data (const MhProject *p, gsize *len)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (p != NULL, NULL);

  build_project (b, p);
  root = json_builder_get_root (b);
  write_node (out, root, 0);
  g_string_append_c (out, '\n');
  if (len != NULL)
    *len = out->len;
  return g_string_free (out, FALSE);
}

gboolean
mh_project_save (const MhProject *p, const char *path, GError **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) io_error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (p != NULL && path != NULL, FALSE);

  data = mh_project_to_data (p, &len);
  file = g_file_new_for_path (path);
  /* Writes a temporary file beside `path`, then renames it over. */
  if (!g_file_replace_contents (file, data, len, NULL, FALSE, G_FILE_CREATE_NONE,
                                NULL, NULL, &io_error))
    return fail (error, MH_ERROR_IO, path, NULL, "cannot save the project: %s", io_error->message);
  return TRUE;
}

/* ---- the rest --------------------------------------------------------- */

static void
head_spec_clear (MhHeadSpec *head)
{
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
  p->backbone_kind = g_strdup ("custom");
  p->backbone = new_block ();
  p->heads = g_array_new (FALSE, TRUE, sizeof (MhHeadSpec));
  g_array_set_clear_func (p->heads, (GDestroyNotify) head_spec_clear);
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
