/* mh-canvas-geometry.c — the canvas's blocks, ports and wires, laid out
 * from the project spec and its analysis; hit-testing. */
#include <glib/gi18n.h>
#include <math.h>
#include <glib/gi18n.h>
#include "mh-format.h"
#include "mh-canvas-private.h"
#include "mh-layout.h"

#define DATA_WIDTH      228.0
#define BACKBONE_WIDTH  300.0
#define HEAD_WIDTH      236.0

static void
row_free (MhRow *row)
{
  g_free (row->left);
  g_free (row->right);
  g_strfreev (row->lanes);
  g_free (row);
}

static void
node_free (MhNode *node)
{
  g_free (node->title);
  g_free (node->footer);
  g_ptr_array_unref (node->rows);
  g_array_unref (node->ports);
  g_free (node);
}

static void
wire_clear (MhWire *wire)
{
  g_free (wire->label);
}

static MhNode *
node_new (const MhProject *p, MhBlockRef ref, double width)
{
  MhNode *node = g_new0 (MhNode, 1);
  double x, y;

  node->ref = ref;
  node->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  node->ports = g_array_new (FALSE, FALSE, sizeof (MhPort));
  mh_layout_get (p, ref, &x, &y);
  graphene_rect_init (&node->rect, (float) x, (float) y, (float) width, 0);
  return node;
}

/* A row; a port on it when `port` is not NULL. */
static void
add_row (MhNode *node, char *left, char *right, const MhPort *port)
{
  MhRow *row = g_new0 (MhRow, 1);

  row->left = left;
  row->right = right;
  if (port != NULL)
    {
      MhPort copy = *port;
      copy.y = MH_BLOCK_HEADER + MH_BLOCK_ROW * (node->rows->len + 0.5);
      g_array_append_val (node->ports, copy);
    }
  g_ptr_array_add (node->rows, row);
}

static void
finish (MhNode *node)
{
  node->rect.size.height = (float) (MH_BLOCK_HEADER + MH_BLOCK_ROW * node->rows->len
                                    + (node->footer ? MH_BLOCK_FOOTER : 8));
}

static char *
format_count (gsize n)
{
  if (n >= 1000000)
    /* TRANSLATORS: millions of parameters, as in "1.2 M" */
    return mh_format (_("%.1f M"), n / 1e6);
  if (n >= 10000)
    /* TRANSLATORS: thousands of parameters, as in "12 k" */
    return mh_format (_("%.0f k"), n / 1e3);
  return mh_format ("%'zu", n);
}

static const char *
field_unit (const MhField *f)
{
  return f->kind == MH_FIELD_CLASS ? ngettext ("class", "classes", f->dim)
       : f->kind == MH_FIELD_LABELS ? ngettext ("label", "labels", f->dim) : ngettext ("number", "numbers", f->dim);
}

/* What the data source's samples are, as its first row says. */
static const char *
input_word (const MhDataset *schema)
{
  return schema->input == MH_INPUT_TOKENS ? _("words") : schema->input == MH_INPUT_SIGNALS ? _("signals")
                                                                                          : _("images");
}

static MhNode *
data_node (const MhProject *p, const MhAnalysis *a)
{
  MhNode *node = node_new (p, MH_BLOCK_REF (MH_BLOCK_DATA, 0), DATA_WIDTH);
  MhPort port = { { MH_PORT_IMAGE, 0 }, FALSE, FALSE, 0, TRUE, -1 };

  node->icon = "image-x-generic-symbolic";
  node->problem = a->data_problem;
  if (a->schema == NULL)
    {
      node->title = g_strdup (p->data.kind);
      finish (node);
      return node;
    }
  {
    const MhPaletteItem *item = NULL;
    g_autofree char *id = g_strdup_printf ("data:%s", p->data.kind);
    item = mh_palette_find (id);
    node->title = g_strdup (item != NULL ? _(item->title) : p->data.kind);
  }
  add_row (node, g_strdup (input_word (a->schema)), mh_analysis_describe_input (a->schema), &port);
  for (int i = 0; i < a->schema->n_fields; i++)
    {
      const MhField *f = &a->schema->fields[i];
      MhPort field_port = { { MH_PORT_FIELD, i }, FALSE, TRUE, 0, FALSE, -1 };

      for (guint h = p->heads->len; h-- > 0;)
        if (g_strcmp0 (g_array_index (p->heads, MhHeadSpec, h).target, f->name) == 0)
          field_port.connected = TRUE, field_port.color = (int) h;
      add_row (node, g_strdup (f->name), g_strdup_printf ("%d %s", f->dim, field_unit (f)), &field_port);
    }
  node->footer = a->data_missing != NULL ? g_strdup (_("Not installed — see the banner"))
                 : g_str_equal (p->data.kind, "fashion-mnist") ? g_strdup (_("60,000 train · 10,000 test"))
                 : NULL;
  finish (node);
  return node;
}

static gboolean
shows_layer (MhCanvas *self, const MhProject *p, guint i)
{
  return self->expanded || i + 1 == p->backbone->len
         || g_array_index (p->backbone, MhLayerSpec, i).name != NULL;
}

static MhNode *
backbone_node (MhCanvas *self, const MhProject *p, const MhAnalysis *a)
{
  MhNode *node = node_new (p, MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0), BACKBONE_WIDTH);
  MhPort in = { { MH_PORT_BACKBONE_IN, 0 }, TRUE, FALSE, 0, p->data.kind != NULL, -1 };
  const char *kind = p->backbone_kind;
  g_autofree char *params = format_count (a->backbone_params);

  node->icon = "mh-backbone-symbolic";
  node->problem = a->backbone_problem;
  node->title = g_strdup_printf (_("%s backbone"),
                                 g_strcmp0 (kind, "mlp") == 0 ? "MLP"
                                 : g_strcmp0 (kind, "cnn") == 0 ? "CNN"
                                 : g_strcmp0 (kind, "vit") == 0 ? "Transformer"
                                 : g_strcmp0 (kind, "rnn") == 0 ? "RNN"
                                 : g_strcmp0 (kind, "conv1d") == 0 ? _("Multi-head convolution")
                                 : g_strcmp0 (kind, "transformer") == 0 ? _("Text transformer") : "Custom");
  add_row (node, g_strdup (_("input")), a->schema != NULL ? mh_analysis_describe_input (a->schema) : g_strdup (""), &in);
  for (guint i = 0; i < p->backbone->len; i++)
    {
      const MhLayerSpec *spec = &g_array_index (p->backbone, MhLayerSpec, i);
      MhPort tap = { { MH_PORT_TAP, (int) i }, FALSE, FALSE, 0, FALSE, -1 };
      g_autofree char *name = NULL, *what = NULL;
      g_auto(GStrv) lanes = NULL;
      gboolean last = i + 1 == p->backbone->len;

      if (!shows_layer (self, p, i))
        continue;
      name = mh_block_layer_name (p->backbone, i);
      what = mh_analysis_describe_layer (spec);
      for (guint h = 0; h < p->heads->len; h++)
        {
          const char *input = g_array_index (p->heads, MhHeadSpec, h).input;
          tap.connected |= input != NULL ? g_str_equal (input, name) : last;
        }
      add_row (node, g_strdup_printf ("%s  ·  %s", name, what),
               i < a->shapes->len ? mh_analysis_shape_text (a, &g_array_index (a->shapes, MhShape, i))
                                  : g_strdup ("?"), &tap);
      ((MhRow *) node->rows->pdata[node->rows->len - 1])->strong = last;
      lanes = mh_analysis_conv_lanes (a, p, i);
      if (lanes != NULL)   /* a multi-head convolution: its heads side by side, each with what it reads */
        {
          add_row (node, NULL, NULL, NULL);
          ((MhRow *) node->rows->pdata[node->rows->len - 1])->lanes = g_steal_pointer (&lanes);
        }
    }
  node->footer = g_strdup_printf (_("%u layers · %s parameters"), p->backbone->len, params);
  finish (node);
  return node;
}

static MhNode *
head_node (const MhProject *p, const MhAnalysis *a, guint index)
{
  const MhHeadSpec *head = &g_array_index (p->heads, MhHeadSpec, index);
  const MhHeadReport *r = &a->heads[index];
  MhNode *node = node_new (p, MH_BLOCK_REF (MH_BLOCK_HEAD, (int) index), HEAD_WIDTH);
  MhPort in = { { MH_PORT_HEAD_IN, (int) index }, TRUE, FALSE, 0, r->connected, -1 };
  MhPort target = { { MH_PORT_HEAD_TARGET, (int) index }, TRUE, TRUE, 0, head->target != NULL, (int) index };
  GString *layers = g_string_new (NULL);
  g_autofree char *params = format_count (r->params);

  node->icon = g_strcmp0 (head->kind, "multilabel") == 0 ? "mh-head-multilabel-symbolic"
             : g_strcmp0 (head->kind, "regression") == 0 ? "mh-head-box-symbolic"
             : "mh-head-class-symbolic";
  node->problem = r->problem;
  node->colored = TRUE;
  node->color = index;
  node->title = g_strdup (head->name);
  add_row (node, g_strdup (_("input")),
           r->connected && r->in.rank > 0 ? mh_analysis_shape_text (a, &r->in)
           : g_strdup (r->connected ? "" : _("not connected")), &in);
  ((MhRow *) node->rows->pdata[0])->missing = !r->connected;
  add_row (node, g_strdup (_("target")),
           head->target != NULL ? g_strdup (head->target) : g_strdup (_("drag to a label")), &target);
  ((MhRow *) node->rows->pdata[1])->missing = head->target == NULL;
  for (guint i = 0; i < head->layers->len; i++)
    {
      const MhLayerSpec *spec = &g_array_index (head->layers, MhLayerSpec, i);
      g_autofree char *what = NULL;

      if (i + 1 == head->layers->len && g_strcmp0 (spec->type, "dense") == 0 && spec->units == 0)
        what = r->out_dim > 0 ? g_strdup_printf ("dense %d", r->out_dim) : g_strdup ("dense");
      else
        what = mh_analysis_describe_layer (spec);
      g_string_append_printf (layers, "%s%s", i ? " → " : "", what);
    }
  add_row (node, g_string_free (layers, FALSE),
           g_strdup (head->loss != NULL ? head->loss : ""), NULL);
  add_row (node, g_strdup (_("weight")), mh_format ("%.2f", head->weight), NULL);
  ((MhRow *) node->rows->pdata[node->rows->len - 1])->slider = TRUE;
  ((MhRow *) node->rows->pdata[node->rows->len - 1])->value = head->weight;
  node->footer = head->frozen ? g_strdup_printf (_("%s parameters · frozen"), params) : g_strdup_printf (_("%s parameters"), params);
  finish (node);
  return node;
}

static void
add_wire (MhCanvas *self, MhPortKind from, int from_index, MhPortKind to, int to_index,
          char *label, gboolean labels, guint color)
{
  MhWire wire = { { from, from_index }, { to, to_index }, label, labels, color };

  g_array_append_val (self->wires, wire);
}

static void
build_wires (MhCanvas *self, const MhProject *p, const MhAnalysis *a)
{
  if (p->data.kind != NULL && p->backbone->len > 0)
    add_wire (self, MH_PORT_IMAGE, 0, MH_PORT_BACKBONE_IN, 0,
              a->schema ? mh_analysis_describe_input (a->schema) : NULL, FALSE, 0);
  for (guint h = 0; h < p->heads->len; h++)
    {
      const MhHeadSpec *head = &g_array_index (p->heads, MhHeadSpec, h);
      int field = a->schema != NULL && head->target != NULL
                  ? mh_dataset_find_field (a->schema, head->target) : -1;
      int tap = -1;

      for (guint i = 0; i < p->backbone->len && head->input != NULL; i++)
        {
          g_autofree char *name = mh_block_layer_name (p->backbone, i);
          if (g_str_equal (name, head->input))
            tap = (int) i;
        }
      if (head->input == NULL)
        tap = (int) p->backbone->len - 1;
      if (tap >= 0 && a->heads[h].connected)
        {
          /* a folded backbone shows only some layers: the wire leaves the next shown one */
          while (!shows_layer (self, p, (guint) tap))
            tap++;
          add_wire (self, MH_PORT_TAP, tap, MH_PORT_HEAD_IN, (int) h,
                    a->heads[h].in.rank > 0 ? mh_analysis_shape_text (a, &a->heads[h].in) : NULL,
                    FALSE, h);
        }
      if (field >= 0)
        {
          const MhField *f = &a->schema->fields[field];
          add_wire (self, MH_PORT_FIELD, field, MH_PORT_HEAD_TARGET, (int) h,
                    g_strdup_printf ("%d %s", f->dim, field_unit (f)), TRUE, h);
        }
    }
}

void
_mh_canvas_rebuild (MhCanvas *self)
{
  const MhProject *p;
  const MhAnalysis *a;

  if (self->nodes == NULL)
    {
      self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
      self->wires = g_array_new (FALSE, FALSE, sizeof (MhWire));
      g_array_set_clear_func (self->wires, (GDestroyNotify) wire_clear);
    }
  g_ptr_array_set_size (self->nodes, 0);
  g_array_set_size (self->wires, 0);
  if (self->document == NULL)
    return;
  p = mh_document_get_project (self->document);
  a = mh_document_get_analysis (self->document);
  if (p->data.kind != NULL)
    g_ptr_array_add (self->nodes, data_node (p, a));
  if (p->backbone->len > 0)
    g_ptr_array_add (self->nodes, backbone_node (self, p, a));
  for (guint h = 0; h < p->heads->len; h++)
    g_ptr_array_add (self->nodes, head_node (p, a, h));
  build_wires (self, p, a);
}

MhNode *
_mh_canvas_find_node (MhCanvas *self, MhBlockRef ref)
{
  for (guint i = 0; self->nodes != NULL && i < self->nodes->len; i++)
    {
      MhNode *node = self->nodes->pdata[i];
      if (mh_block_ref_equal (node->ref, ref))
        return node;
    }
  return NULL;
}

gboolean
_mh_canvas_is_selected (MhCanvas *self, MhBlockRef ref)
{
  for (guint i = 0; i < self->selection->len; i++)
    if (mh_block_ref_equal (g_array_index (self->selection, MhBlockRef, i), ref))
      return TRUE;
  return FALSE;
}

graphene_rect_t
_mh_canvas_node_rect (MhCanvas *self, const MhNode *node)
{
  graphene_rect_t r = node->rect;

  if (self->drag == DRAG_MOVE && _mh_canvas_is_selected (self, node->ref))
    graphene_rect_offset (&r, (float) self->move_dx, (float) self->move_dy);
  return r;
}

static MhNode *
node_of_port (MhCanvas *self, MhPortRef ref)
{
  switch (ref.kind)
    {
    case MH_PORT_IMAGE:
    case MH_PORT_FIELD:
      return _mh_canvas_find_node (self, MH_BLOCK_REF (MH_BLOCK_DATA, 0));
    case MH_PORT_BACKBONE_IN:
    case MH_PORT_TAP:
      return _mh_canvas_find_node (self, MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0));
    case MH_PORT_HEAD_IN:
    case MH_PORT_HEAD_TARGET:
    default:
      return _mh_canvas_find_node (self, MH_BLOCK_REF (MH_BLOCK_HEAD, ref.index));
    }
}

gboolean
_mh_canvas_port_position (MhCanvas *self, MhPortRef ref, double *cx, double *cy, gboolean *on_left)
{
  MhNode *node = node_of_port (self, ref);

  if (node == NULL)
    return FALSE;
  for (guint i = 0; i < node->ports->len; i++)
    {
      MhPort *port = &g_array_index (node->ports, MhPort, i);
      graphene_rect_t r;

      if (port->ref.kind != ref.kind || port->ref.index != ref.index)
        continue;
      r = _mh_canvas_node_rect (self, node);
      *cx = port->on_left ? r.origin.x : r.origin.x + r.size.width;
      *cy = r.origin.y + port->y;
      if (on_left)
        *on_left = port->on_left;
      return TRUE;
    }
  return FALSE;
}

gboolean
_mh_canvas_port_at (MhCanvas *self, double cx, double cy, MhPortRef *ref)
{
  double reach = MAX (MH_PORT_RADIUS + 6, 12 / self->zoom);

  for (guint n = self->nodes->len; n-- > 0;)
    {
      MhNode *node = self->nodes->pdata[n];
      for (guint i = 0; i < node->ports->len; i++)
        {
          MhPort *port = &g_array_index (node->ports, MhPort, i);
          double px, py;

          _mh_canvas_port_position (self, port->ref, &px, &py, NULL);
          if (fabs (px - cx) <= reach && fabs (py - cy) <= MIN (reach, MH_BLOCK_ROW / 2))
            {
              *ref = port->ref;
              return TRUE;
            }
        }
    }
  return FALSE;
}

MhNode *
_mh_canvas_node_at (MhCanvas *self, double cx, double cy)
{
  graphene_point_t pt = GRAPHENE_POINT_INIT ((float) cx, (float) cy);

  for (guint n = self->nodes->len; n-- > 0;)
    {
      MhNode *node = self->nodes->pdata[n];
      graphene_rect_t r = _mh_canvas_node_rect (self, node);
      if (graphene_rect_contains_point (&r, &pt))
        return node;
    }
  return NULL;
}

void
_mh_canvas_to_canvas (MhCanvas *self, double wx, double wy, double *cx, double *cy)
{
  *cx = (wx - self->pan_x) / self->zoom;
  *cy = (wy - self->pan_y) / self->zoom;
}

void
_mh_canvas_bounds (MhCanvas *self, graphene_rect_t *bounds)
{
  for (guint n = 0; n < self->nodes->len; n++)
    {
      MhNode *node = self->nodes->pdata[n];
      if (n == 0)
        *bounds = node->rect;
      else
        graphene_rect_union (bounds, &node->rect, bounds);
    }
  if (self->nodes->len == 0)
    graphene_rect_init (bounds, 0, 0, 800, 500);
}

char *
_mh_canvas_port_description (MhCanvas *self, MhPortRef ref)
{
  switch (ref.kind)
    {
    case MH_PORT_IMAGE:
      return g_strdup (_("The samples (images, words or signals): the backbone reads them"));
    case MH_PORT_FIELD:
      return g_strdup (_("A label field: drag it to a head's target port (◆) to make the head learn it"));
    case MH_PORT_BACKBONE_IN:
      return g_strdup (_("The backbone’s input: the data source’s samples"));
    case MH_PORT_TAP:
      return g_strdup (_("A backbone layer's output: drag it to a head's input to make the head read it"));
    case MH_PORT_HEAD_IN:
      return g_strdup (_("What the head reads: drag to a backbone layer's output to change it"));
    case MH_PORT_HEAD_TARGET:
    default:
      return g_strdup (_("What the head learns: drag to a label field of the data source"));
    }
}

int
_mh_canvas_slider_at (MhCanvas *self, double cx, double cy, double *weight)
{
  for (guint i = 0; self->nodes != NULL && i < self->nodes->len; i++)
    {
      MhNode *node = self->nodes->pdata[i];
      graphene_rect_t r = _mh_canvas_node_rect (self, node);
      double x0 = r.origin.x + _mh_canvas_slider_start (self), x1 = r.origin.x + r.size.width - MH_SLIDER_END_GAP;

      if (node->ref.kind != MH_BLOCK_HEAD || cx < x0 - 8 || cx > x1 + 8)
        continue;
      for (guint k = 0; k < node->rows->len; k++)
        {
          MhRow *row = node->rows->pdata[k];
          double ry = r.origin.y + MH_BLOCK_HEADER + MH_BLOCK_ROW * k;
          if (row->slider && cy >= ry && cy < ry + MH_BLOCK_ROW)
            {
              *weight = CLAMP ((cx - x0) / (x1 - x0), 0, 1) * MH_WEIGHT_MAX;
              return node->ref.head;
            }
        }
    }
  return -1;
}
