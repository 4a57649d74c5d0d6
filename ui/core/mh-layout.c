/* mh-layout.c — block positions in the project's "layout" object. */
#include "mh-layout.h"

#define AUTO_DATA_X      0.0
#define AUTO_BACKBONE_X  330.0
#define AUTO_HEAD_X      760.0
#define AUTO_TOP         40.0
#define AUTO_HEAD_STEP   170.0

gboolean
mh_layout_block_exists (const MhProject *p, MhBlockRef ref)
{
  switch (ref.kind)
    {
    case MH_BLOCK_DATA:
      return p->data.kind != NULL;
    case MH_BLOCK_BACKBONE:
      return p->backbone->len > 0;
    case MH_BLOCK_HEAD:
      return ref.head >= 0 && (guint) ref.head < p->heads->len;
    case MH_BLOCK_NONE:
    default:
      return FALSE;
    }
}

static JsonObject *
layout_object (const MhProject *p)
{
  return p->layout != NULL && JSON_NODE_HOLDS_OBJECT (p->layout)
         ? json_node_get_object (p->layout) : NULL;
}

static gboolean
read_point (JsonNode *node, double *x, double *y)
{
  JsonArray *a;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  a = json_node_get_array (node);
  if (json_array_get_length (a) != 2)
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *v = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_VALUE (v) || (json_node_get_value_type (v) != G_TYPE_DOUBLE
                                         && json_node_get_value_type (v) != G_TYPE_INT64))
        return FALSE;
    }
  *x = json_array_get_double_element (a, 0);
  *y = json_array_get_double_element (a, 1);
  return TRUE;
}

static JsonNode *
find_node (const MhProject *p, MhBlockRef ref)
{
  JsonObject *o = layout_object (p);
  JsonNode *heads;

  if (o == NULL)
    return NULL;
  if (ref.kind == MH_BLOCK_DATA)
    return json_object_get_member (o, "data");
  if (ref.kind == MH_BLOCK_BACKBONE)
    return json_object_get_member (o, "backbone");
  heads = json_object_get_member (o, "heads");
  if (ref.kind != MH_BLOCK_HEAD || heads == NULL || !JSON_NODE_HOLDS_OBJECT (heads)
      || !mh_layout_block_exists (p, ref))
    return NULL;
  return json_object_get_member (json_node_get_object (heads),
                                 g_array_index (p->heads, MhHeadSpec, ref.head).name);
}

gboolean
mh_layout_get (const MhProject *p, MhBlockRef ref, double *x, double *y)
{
  if (read_point (find_node (p, ref), x, y))
    return TRUE;
  switch (ref.kind)
    {
    case MH_BLOCK_DATA:
      *x = AUTO_DATA_X, *y = AUTO_TOP;   /* its image port level with the backbone's input */
      break;
    case MH_BLOCK_BACKBONE:
      *x = AUTO_BACKBONE_X, *y = AUTO_TOP;
      break;
    default:
      *x = AUTO_HEAD_X, *y = AUTO_HEAD_STEP * MAX (ref.head, 0);
      break;
    }
  return FALSE;
}

static JsonNode *
point_node (double x, double y)
{
  JsonArray *a = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  /* whole canvas units: stable, readable files */
  json_array_add_int_element (a, (gint64) (x < 0 ? x - 0.5 : x + 0.5));
  json_array_add_int_element (a, (gint64) (y < 0 ? y - 0.5 : y + 0.5));
  json_node_take_array (node, a);
  return node;
}

/* A new object with the members of `old` (shared, never changed) but `skip`. */
static JsonObject *
copy_object (JsonObject *old, const char *skip)
{
  JsonObject *o = json_object_new ();
  g_autoptr(GList) members = old != NULL ? json_object_get_members (old) : NULL;

  for (GList *m = members; m != NULL; m = m->next)
    if (g_strcmp0 (m->data, skip) != 0)
      json_object_set_member (o, m->data, json_node_copy (json_object_get_member (old, m->data)));
  return o;
}

/* Replace (point != NULL) or remove the member `key` of the heads object or of the root. */
static void
update (MhProject *p, gboolean in_heads, const char *key, JsonNode *point)
{
  JsonObject *old = layout_object (p);
  JsonObject *root = copy_object (old, in_heads ? "heads" : key);
  JsonNode *node;

  if (in_heads)
    {
      JsonNode *old_heads = old != NULL ? json_object_get_member (old, "heads") : NULL;
      JsonObject *heads = copy_object (old_heads != NULL && JSON_NODE_HOLDS_OBJECT (old_heads)
                                       ? json_node_get_object (old_heads) : NULL, key);
      if (point != NULL)
        json_object_set_member (heads, key, point);
      json_object_set_object_member (root, "heads", heads);
    }
  else if (point != NULL)
    json_object_set_member (root, key, point);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  g_clear_pointer (&p->layout, json_node_unref);
  p->layout = node;
}

void
mh_layout_set (MhProject *p, MhBlockRef ref, double x, double y)
{
  g_return_if_fail (mh_layout_block_exists (p, ref));

  if (ref.kind == MH_BLOCK_HEAD)
    update (p, TRUE, g_array_index (p->heads, MhHeadSpec, ref.head).name, point_node (x, y));
  else
    update (p, FALSE, ref.kind == MH_BLOCK_DATA ? "data" : "backbone", point_node (x, y));
}

void
mh_layout_forget (MhProject *p, MhBlockRef ref)
{
  if (layout_object (p) == NULL || !mh_layout_block_exists (p, ref))
    return;
  if (ref.kind == MH_BLOCK_HEAD)
    update (p, TRUE, g_array_index (p->heads, MhHeadSpec, ref.head).name, NULL);
  else
    update (p, FALSE, ref.kind == MH_BLOCK_DATA ? "data" : "backbone", NULL);
}

void
mh_layout_rename_head (MhProject *p, const char *old_name, const char *new_name)
{
  JsonObject *o = layout_object (p);
  JsonNode *heads = o != NULL ? json_object_get_member (o, "heads") : NULL;
  JsonNode *point;
  double x, y;

  if (heads == NULL || !JSON_NODE_HOLDS_OBJECT (heads))
    return;
  point = json_object_get_member (json_node_get_object (heads), old_name);
  if (!read_point (point, &x, &y))
    return;
  update (p, TRUE, old_name, NULL);
  update (p, TRUE, new_name, point_node (x, y));
}
