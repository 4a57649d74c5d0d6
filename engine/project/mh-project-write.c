/* mh-project-write.c — writing project files: mh_project_to_data() and
 * mh_project_save().  What is written, and in which order, is described at
 * the top of mh-project.c.
 *
 * json-glib 1.6's JsonGenerator writes 1e-8 as "1e-08.0", which is not
 * JSON, so this file prints the JsonNode tree itself, with numbers
 * in the shortest form that reads back to the same double.
 */
#include <math.h>
#include <string.h>
#include <gio/gio.h>
#include "mh-json.h"
#include "mh-kinds.h"
#include "mh-project-private.h"
#include "mh-save.h"

#define MAX_LINE 120   /* a container is written on one line if it fits */

void
_mh_project_format_double (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, formats[i], v);
      if (g_ascii_strtod (buf, NULL) == v)
        return;
    }
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
      g_auto(GStrv) keys = klass != NULL ? _mh_project_class_keys (klass) : g_new0 (char *, 1);

      json_builder_begin_object (b);
      mh_json_add_string (b, "type", spec->type);
      mh_json_add_string (b, "name", spec->name);
      for (guint k = 0; keys[k] != NULL; k++)
        {
          const LayerField *f = _mh_project_find_field (keys[k]);
          if (f != NULL && f->choices != NULL)
            mh_json_add_string (b, f->key, *_mh_project_field_string (spec, f));
          else if (f != NULL && f->is_bool)
            add_bool (b, f->key, (gboolean) _mh_project_field_get (spec, f));
          else if (f != NULL && f->is_int)
            mh_json_add_int (b, f->key, (gint64) _mh_project_field_get (spec, f));
          else if (f != NULL)
            add_number (b, f->key, _mh_project_field_get (spec, f));
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
  mh_json_add_string (b, "name", head->name);
  mh_json_add_string (b, "kind", head->kind);
  mh_json_add_string (b, "input", head->input);
  mh_json_add_string (b, "target", head->target);
  mh_json_add_string (b, "loss", head->loss != NULL ? head->loss : mh_head_kind_default_loss (head->kind));
  add_number (b, "weight", head->weight);
  if (mh_head_kind_lookup (head->kind) != NULL && mh_head_kind_lookup (head->kind)->field == MH_FIELD_LABELS)
    add_number (b, "threshold", head->threshold);
  add_bool (b, "frozen", head->frozen);
  build_layers (b, head->layers);
  json_builder_end_object (b);
}

static void
build_project (JsonBuilder *b, const MhProject *p)
{
  json_builder_begin_object (b);
  mh_json_add_int (b, "format", p->format);
  mh_json_add_string (b, "name", p->name);

  json_builder_set_member_name (b, "dataset");
  _mh_project_build_dataset (b, &p->data);

  begin (b, "backbone", FALSE);
  mh_json_add_string (b, "kind", p->backbone_kind);
  add_bool (b, "frozen", p->backbone_frozen);
  build_layers (b, p->backbone);
  json_builder_end_object (b);

  begin (b, "heads", TRUE);
  for (guint i = 0; p->heads != NULL && i < p->heads->len; i++)
    build_head (b, &g_array_index (p->heads, MhHeadSpec, i));
  json_builder_end_array (b);

  begin (b, "optimizer", FALSE);
  mh_json_add_string (b, "kind", p->optim.kind);
  add_number (b, "lr", p->optim.lr);
  add_number (b, "momentum", p->optim.momentum);
  add_number (b, "beta1", p->optim.beta1);
  add_number (b, "beta2", p->optim.beta2);
  add_number (b, "eps", p->optim.eps);
  add_number (b, "weight_decay", p->optim.weight_decay);
  add_number (b, "clip_norm", p->optim.clip_norm);
  json_builder_end_object (b);

  begin (b, "schedule", FALSE);
  mh_json_add_string (b, "kind", p->schedule.kind);
  mh_json_add_int (b, "warmup_steps", p->schedule.warmup_steps);
  add_number (b, "min_lr", p->schedule.min_lr);
  json_builder_end_object (b);

  begin (b, "training", FALSE);
  mh_json_add_int (b, "batch", p->batch);
  mh_json_add_int (b, "epochs", p->epochs);
  mh_json_add_int (b, "seed", p->seed);
  json_builder_end_object (b);

  begin (b, "balancing", FALSE);
  mh_json_add_string (b, "method", p->balancing);
  add_number (b, "alpha", p->balancing_alpha);
  add_number (b, "lr", p->balancing_lr);
  json_builder_end_object (b);

  if (p->weights != NULL)
    mh_json_add_string (b, "weights", p->weights);
  if (p->transfer_weights != NULL)
    {
      begin (b, "transfer", FALSE);
      mh_json_add_string (b, "weights", p->transfer_weights);
      mh_json_add_int (b, "layers", p->transfer_layers);
      json_builder_end_object (b);
    }

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
          _mh_project_format_double (buf, v);
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

/* Everything on one line. */
static void
write_line (GString *out, JsonNode *node)
{
  gboolean is_object = JSON_NODE_HOLDS_OBJECT (node);
  g_autoptr(GList) children = NULL;
  g_autoptr(GList) keys = NULL;
  GList *k;

  if (!is_object && !JSON_NODE_HOLDS_ARRAY (node))
    {
      write_scalar (out, node);
      return;
    }
  children = children_of (node);
  keys = is_object ? json_object_get_members (json_node_get_object (node)) : NULL;
  k = keys;
  g_string_append_c (out, is_object ? '{' : '[');
  for (GList *c = children; c != NULL; c = c->next, k = k ? k->next : NULL)
    {
      if (c != children)
        g_string_append (out, ", ");
      if (k != NULL)
        {
          write_string (out, k->data);
          g_string_append (out, ": ");
        }
      write_line (out, c->data);
    }
  g_string_append_c (out, is_object ? '}' : ']');
}

char *
mh_json_write_line (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  write_line (out, node);
  return g_string_free (out, FALSE);
}

/* The project as the tree of its file. */
static JsonNode *
project_tree (const MhProject *p)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  build_project (b, p);
  return json_builder_get_root (b);
}

gboolean
mh_project_equal (const MhProject *a, const MhProject *b)
{
  g_autoptr(JsonNode) ta = NULL, tb = NULL;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  /* the same file, compared as trees: no text written, nothing parsed */
  ta = project_tree (a);
  tb = project_tree (b);
  return json_node_equal (ta, tb);
}

char *
mh_json_write (JsonNode *node, gsize *len)
{
  GString *out = g_string_new (NULL);

  write_node (out, node, 0);
  g_string_append_c (out, '\n');
  if (len != NULL)
    *len = out->len;
  return g_string_free (out, FALSE);
}

char *
mh_project_to_data (const MhProject *p, gsize *len)
{
  g_autoptr(JsonNode) root = NULL;
  GString *out;

  g_return_val_if_fail (p != NULL, NULL);

  root = project_tree (p);
  out = g_string_new (NULL);
  write_node (out, root, 0);
  g_string_append_c (out, '\n');
  if (len != NULL)
    *len = out->len;
  return g_string_free (out, FALSE);
}

gboolean
mh_project_save (const MhProject *p, const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (p != NULL && path != NULL, FALSE);

  data = mh_project_to_data (p, &len);
  /* atomic, links included; never over an input or another kind (mh-save.h) */
  return mh_save_contents (path, MH_FILE_KIND_PROJECT, data, len, MH_SAVE_DEFAULT, error);
}
