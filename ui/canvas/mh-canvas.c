/* mh-canvas.c — the model canvas: the widget, its gestures and actions.
 *
 * Primary drag: on a port, a wire (refused with the reason when it cannot
 * work); on a block, select and move (one undo step); elsewhere, a rubber
 * band (Shift adds).  Middle drag and scrolling pan; Ctrl+scroll zooms.
 * Double-click the backbone to see all its layers.  Drawing is in
 * mh-canvas-draw.c, layout and hit-testing in mh-canvas-geometry.c.
 */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-canvas-private.h"
#include "mh-layout.h"
#include "mh-schema.h"

G_DEFINE_FINAL_TYPE (MhCanvas, mh_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_ZOOM,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_mh_canvas_say (MhCanvas *self, const char *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

void
_mh_canvas_selection_changed (MhCanvas *self)
{
  gboolean any = self->selection->len > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.delete", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.duplicate", any);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
document_changed (MhCanvas *self)
{
  const MhProject *p = mh_document_get_project (self->document);
  guint before = self->selection->len;

  for (guint i = self->selection->len; i-- > 0;)
    if (!mh_layout_block_exists (p, g_array_index (self->selection, MhBlockRef, i)))
      g_array_remove_index (self->selection, i);
  _mh_canvas_rebuild (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (before != self->selection->len)
    _mh_canvas_selection_changed (self);
}

/* ---- edits ------------------------------------------------------------ */

static gboolean
finish_edit (MhCanvas *self, gboolean ok, const char *label, GError *error)
{
  if (ok)
    mh_document_commit (self->document, label, NULL);
  else
    {
      mh_document_abort (self->document);
      if (error != NULL)
        _mh_canvas_say (self, error->message);
    }
  return ok;
}

/* A spot with nothing under it, for blocks added from the keyboard. */
static void
free_spot (MhCanvas *self, const char *id, double *x, double *y)
{
  const MhProject *p = mh_document_get_project (self->document);
  double bottom = -1, hx = 760, hy;

  if (!g_str_has_prefix (id, "head:"))
    {
      mh_layout_get (p, MH_BLOCK_REF (g_str_has_prefix (id, "data:") ? MH_BLOCK_DATA : MH_BLOCK_BACKBONE, 0),
                     x, y);
      return;
    }
  for (guint h = 0; h < p->heads->len; h++)
    {
      MhNode *node = _mh_canvas_find_node (self, MH_BLOCK_REF (MH_BLOCK_HEAD, (int) h));
      mh_layout_get (p, MH_BLOCK_REF (MH_BLOCK_HEAD, (int) h), &hx, &hy);
      if (node != NULL)
        bottom = MAX (bottom, node->rect.origin.y + node->rect.size.height);
    }
  *x = hx;
  *y = bottom < 0 ? 40 : bottom + 24;
}

gboolean
mh_canvas_add (MhCanvas *self, const char *id, double x, double y, GError **error)
{
  g_autoptr(GError) local = NULL;
  MhProject *p;
  MhBlockRef added;
  gboolean ok;

  g_return_val_if_fail (MH_IS_CANVAS (self), FALSE);
  g_return_val_if_fail (self->document != NULL, FALSE);

  if (isnan (x))
    free_spot (self, id, &x, &y);
  p = mh_document_begin (self->document);
  ok = mh_edit_add (p, id, x, y, &added, &local);
  if (ok)
    {
      g_autofree char *label = g_strdup_printf (_("Add %s"), _(mh_palette_find (id)->title));
      finish_edit (self, TRUE, label, NULL);
      if (!mh_layout_block_exists (mh_document_get_project (self->document), added))
        {
          /* the document's guard refused it (the model is training) and said why */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, _("The model cannot change now"));
          return FALSE;
        }
      mh_canvas_select (self, added, FALSE);
      return TRUE;
    }
  finish_edit (self, FALSE, NULL, error == NULL ? local : NULL);
  if (error != NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
mh_canvas_connect (MhCanvas *self, MhPortRef from, MhPortRef to, GError **error)
{
  g_autoptr(GError) local = NULL;
  MhProject *p;
  gboolean ok;

  g_return_val_if_fail (MH_IS_CANVAS (self), FALSE);

  p = mh_document_begin (self->document);
  ok = mh_edit_connect (p, mh_document_get_analysis (self->document), from, to, &local);
  finish_edit (self, ok, _("Connect"), error == NULL ? local : NULL);
  if (!ok && error != NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}

void
_mh_canvas_set_weight (MhCanvas *self, int head, double weight)
{
  g_autofree char *key = g_strdup_printf ("canvas:weight:%d", head);
  MhProject *p = mh_document_begin (self->document);

  if (head < 0 || (guint) head >= p->heads->len)
    {
      mh_document_abort (self->document);
      return;
    }
  /* steps of 0.05: the value a teacher reads out is the value set */
  g_array_index (p->heads, MhHeadSpec, head).weight = round (weight * 20) / 20;
  mh_document_commit (self->document, _("Change Head Weight"), key);
}

/* Why connecting `from` to `to` would be refused, or NULL; the spec is untouched. */
char *
_mh_canvas_refusal (MhCanvas *self, MhPortRef from, MhPortRef to)
{
  g_autoptr(MhProject) trial = mh_project_copy (mh_document_get_project (self->document));
  g_autoptr(GError) error = NULL;

  if (mh_edit_connect (trial, mh_document_get_analysis (self->document), from, to, &error))
    return NULL;
  return g_strdup (error->message);
}

void
mh_canvas_move_selection (MhCanvas *self, double dx, double dy)
{
  MhProject *p;

  g_return_if_fail (MH_IS_CANVAS (self));

  if (self->selection->len == 0 || (dx == 0 && dy == 0))
    return;
  p = mh_document_begin (self->document);
  for (guint i = 0; i < self->selection->len; i++)
    {
      MhBlockRef ref = g_array_index (self->selection, MhBlockRef, i);
      MhNode *node = _mh_canvas_find_node (self, ref);
      if (node != NULL)
        mh_layout_set (p, ref, node->rect.origin.x + dx, node->rect.origin.y + dy);
    }
  mh_document_commit (self->document, self->selection->len > 1 ? _("Move Blocks") : _("Move Block"), NULL);
}

void
mh_canvas_delete_selection (MhCanvas *self)
{
  g_autoptr(GArray) refs = NULL;
  MhProject *p;

  g_return_if_fail (MH_IS_CANVAS (self));

  if (self->selection->len == 0)
    return;
  refs = g_array_copy (self->selection);
  p = mh_document_begin (self->document);
  mh_edit_delete (p, (MhBlockRef *) (gpointer) refs->data, refs->len);
  g_array_set_size (self->selection, 0);
  mh_document_commit (self->document, refs->len > 1 ? _("Delete Blocks") : _("Delete Block"), NULL);
  _mh_canvas_selection_changed (self);
}

gboolean
mh_canvas_duplicate_selection (MhCanvas *self, GError **error)
{
  g_autoptr(GArray) refs = NULL;
  g_autoptr(GError) local = NULL;
  MhProject *p;
  gboolean ok = TRUE;

  g_return_val_if_fail (MH_IS_CANVAS (self), FALSE);

  if (self->selection->len == 0)
    return FALSE;
  refs = g_array_copy (self->selection);
  g_array_set_size (self->selection, 0);
  p = mh_document_begin (self->document);
  for (guint i = 0; i < refs->len && ok; i++)
    {
      MhBlockRef added;
      ok = mh_edit_duplicate (p, g_array_index (refs, MhBlockRef, i), &added, &local);
      if (ok)
        g_array_append_val (self->selection, added);
    }
  if (!ok)
    g_array_set_size (self->selection, 0), g_array_append_vals (self->selection, refs->data, refs->len);
  finish_edit (self, ok, _("Duplicate"), error == NULL ? local : NULL);
  if (!ok && error != NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  _mh_canvas_selection_changed (self);
  return ok;
}

/* ---- selection -------------------------------------------------------- */

GArray *
mh_canvas_get_selection (MhCanvas *self)
{
  g_return_val_if_fail (MH_IS_CANVAS (self), NULL);
  return self->selection;
}

void
mh_canvas_select (MhCanvas *self, MhBlockRef ref, gboolean extend)
{
  g_return_if_fail (MH_IS_CANVAS (self));

  if (!extend)
    g_array_set_size (self->selection, 0);
  if (ref.kind != MH_BLOCK_NONE && !_mh_canvas_is_selected (self, ref))
    g_array_append_val (self->selection, ref);
  _mh_canvas_selection_changed (self);
}

void
_mh_canvas_toggle_selected (MhCanvas *self, MhBlockRef ref)
{
  for (guint i = 0; i < self->selection->len; i++)
    if (mh_block_ref_equal (g_array_index (self->selection, MhBlockRef, i), ref))
      {
        g_array_remove_index (self->selection, i);
        _mh_canvas_selection_changed (self);
        return;
      }
  mh_canvas_select (self, ref, TRUE);
}

void
mh_canvas_select_all (MhCanvas *self)
{
  g_array_set_size (self->selection, 0);
  for (guint i = 0; i < self->nodes->len; i++)
    g_array_append_val (self->selection, ((MhNode *) self->nodes->pdata[i])->ref);
  _mh_canvas_selection_changed (self);
}

void
mh_canvas_unselect_all (MhCanvas *self)
{
  g_array_set_size (self->selection, 0);
  _mh_canvas_selection_changed (self);
}

/* ---- view ------------------------------------------------------------- */

double
mh_canvas_get_zoom (MhCanvas *self)
{
  return self->zoom;
}

/* Zoom keeping the canvas point under widget point (wx, wy) in place. */
void
_mh_canvas_zoom_at (MhCanvas *self, double zoom, double wx, double wy)
{
  double cx, cy;

  zoom = CLAMP (zoom, MH_ZOOM_MIN, MH_ZOOM_MAX);
  _mh_canvas_to_canvas (self, wx, wy, &cx, &cy);
  self->zoom = zoom;
  self->pan_x = wx - cx * zoom;
  self->pan_y = wy - cy * zoom;
  self->fitted = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
mh_canvas_set_zoom (MhCanvas *self, double zoom)
{
  g_return_if_fail (MH_IS_CANVAS (self));
  _mh_canvas_zoom_at (self, zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
mh_canvas_fit (MhCanvas *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  graphene_rect_t b;
  double zoom;
  int usable_h;

  g_return_if_fail (MH_IS_CANVAS (self));

  if (width <= 1 || height <= 1)
    {
      self->needs_fit = TRUE;
      return;
    }
  self->needs_fit = FALSE;
  _mh_canvas_bounds (self, &b);
  /* 32 px clear on each side, and the zoom bar's strip below */
  usable_h = MAX (1, height - 32 - MH_CANVAS_CONTROLS_HEIGHT);
  zoom = MIN ((width - 64) / b.size.width, (usable_h - 16) / b.size.height);
  self->zoom = CLAMP (zoom, MH_ZOOM_MIN, 1.25);
  self->pan_x = width / 2.0 - (b.origin.x + b.size.width / 2) * self->zoom;
  self->pan_y = 24 + usable_h / 2.0 - (b.origin.y + b.size.height / 2) * self->zoom;
  self->fitted = TRUE;
  self->fit_width = width;
  self->fit_height = height;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
mh_canvas_set_expanded (MhCanvas *self, gboolean expanded)
{
  g_return_if_fail (MH_IS_CANVAS (self));
  self->expanded = expanded;
  _mh_canvas_rebuild (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
mh_canvas_get_block_bounds (MhCanvas *self, MhBlockRef ref, graphene_rect_t *bounds)
{
  MhNode *node = _mh_canvas_find_node (self, ref);

  if (node == NULL)
    return FALSE;
  *bounds = GRAPHENE_RECT_INIT ((float) (node->rect.origin.x * self->zoom + self->pan_x),
                                (float) (node->rect.origin.y * self->zoom + self->pan_y),
                                (float) (node->rect.size.width * self->zoom),
                                (float) (node->rect.size.height * self->zoom));
  return TRUE;
}

gboolean
mh_canvas_get_port_point (MhCanvas *self, MhPortRef ref, graphene_point_t *point)
{
  double cx, cy;

  if (!_mh_canvas_port_position (self, ref, &cx, &cy, NULL))
    return FALSE;
  *point = GRAPHENE_POINT_INIT ((float) (cx * self->zoom + self->pan_x),
                                (float) (cy * self->zoom + self->pan_y));
  return TRUE;
}

/* ---- actions ---------------------------------------------------------- */

static void
action_delete (GtkWidget *widget, const char *name, GVariant *param)
{
  mh_canvas_delete_selection (MH_CANVAS (widget));
}

static void
action_duplicate (GtkWidget *widget, const char *name, GVariant *param)
{
  mh_canvas_duplicate_selection (MH_CANVAS (widget), NULL);
}

static void
action_select_all (GtkWidget *widget, const char *name, GVariant *param)
{
  mh_canvas_select_all (MH_CANVAS (widget));
}

static void
action_zoom (GtkWidget *widget, const char *name, GVariant *param)
{
  MhCanvas *self = MH_CANVAS (widget);

  if (g_str_equal (name, "canvas.zoom-in"))
    mh_canvas_set_zoom (self, self->zoom * 1.25);
  else if (g_str_equal (name, "canvas.zoom-out"))
    mh_canvas_set_zoom (self, self->zoom / 1.25);
  else if (g_str_equal (name, "canvas.zoom-reset"))
    mh_canvas_set_zoom (self, 1.0);
  else
    mh_canvas_fit (self);
}

static void
action_expand (GtkWidget *widget, const char *name, GVariant *param)
{
  mh_canvas_set_expanded (MH_CANVAS (widget), !MH_CANVAS (widget)->expanded);
}

static void
action_disconnect (GtkWidget *widget, const char *name, GVariant *param)
{
  MhCanvas *self = MH_CANVAS (widget);
  MhProject *p = mh_document_begin (self->document);

  for (guint i = 0; i < self->selection->len; i++)
    {
      MhBlockRef ref = g_array_index (self->selection, MhBlockRef, i);
      if (ref.kind == MH_BLOCK_HEAD)
        mh_edit_disconnect_target (p, (guint) ref.head);
    }
  mh_document_commit (self->document, _("Disconnect Label"), NULL);
}

static void
action_nudge (GtkWidget *widget, const char *name, GVariant *param)
{
  MhCanvas *self = MH_CANVAS (widget);
  int dx, dy;

  g_variant_get (param, "(ii)", &dx, &dy);
  mh_canvas_move_selection (self, dx, dy);
}

/* ---- class ------------------------------------------------------------ */

void
mh_canvas_set_document (MhCanvas *self, MhDocument *document)
{
  g_return_if_fail (MH_IS_CANVAS (self));

  if (self->document == document)
    return;
  if (self->document != NULL)
    g_clear_signal_handler (&self->changed_id, self->document);
  g_set_object (&self->document, document);
  if (document != NULL)
    self->changed_id = g_signal_connect_swapped (document, "changed", G_CALLBACK (document_changed), self);
  g_array_set_size (self->selection, 0);
  self->expanded = FALSE;
  _mh_canvas_rebuild (self);
  mh_canvas_fit (self);
  _mh_canvas_selection_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

GtkWidget *
mh_canvas_new (void)
{
  return g_object_new (MH_TYPE_CANVAS, NULL);
}

static void
mh_canvas_dispose (GObject *object)
{
  MhCanvas *self = MH_CANVAS (object);

  if (self->document != NULL)
    g_clear_signal_handler (&self->changed_id, self->document);
  g_clear_object (&self->document);
  g_clear_pointer (&self->menu, gtk_widget_unparent);

  G_OBJECT_CLASS (mh_canvas_parent_class)->dispose (object);
}

static void
mh_canvas_finalize (GObject *object)
{
  MhCanvas *self = MH_CANVAS (object);

  g_clear_pointer (&self->nodes, g_ptr_array_unref);
  g_clear_pointer (&self->wires, g_array_unref);
  g_clear_pointer (&self->selection, g_array_unref);
  g_free (self->wire_refusal);

  G_OBJECT_CLASS (mh_canvas_parent_class)->finalize (object);
}

static void
mh_canvas_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MhCanvas *self = MH_CANVAS (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_canvas_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MhCanvas *self = MH_CANVAS (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      mh_canvas_set_document (self, g_value_get_object (value));
      break;
    case PROP_ZOOM:
      mh_canvas_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_canvas_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                   int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 160;   /* a 1280×720 screen holds the dashboard too */
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 960 : 600;
}

static void
mh_canvas_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  MhCanvas *self = MH_CANVAS (widget);

  if (self->needs_fit || (self->fitted && (width != self->fit_width || height != self->fit_height)))
    mh_canvas_fit (self);   /* untouched since it was fitted: fit the new size too */
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
mh_canvas_class_init (MhCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_canvas_dispose;
  object_class->finalize = mh_canvas_finalize;
  object_class->get_property = mh_canvas_get_property;
  object_class->set_property = mh_canvas_set_property;
  widget_class->snapshot = _mh_canvas_snapshot;
  widget_class->measure = mh_canvas_measure;
  widget_class->size_allocate = mh_canvas_size_allocate;
  widget_class->query_tooltip = _mh_canvas_query_tooltip;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, MH_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, MH_ZOOM_MIN, MH_ZOOM_MAX, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Something the user should read: why an edit was refused. */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "canvas.delete", NULL, action_delete);
  gtk_widget_class_install_action (widget_class, "canvas.duplicate", NULL, action_duplicate);
  gtk_widget_class_install_action (widget_class, "canvas.select-all", NULL, action_select_all);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-reset", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "canvas.fit", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "canvas.expand", NULL, action_expand);
  gtk_widget_class_install_action (widget_class, "canvas.disconnect", NULL, action_disconnect);
  gtk_widget_class_install_action (widget_class, "canvas.nudge", "(ii)", action_nudge);

  /* shortcuts, in one block */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "canvas.duplicate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "canvas.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "canvas.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "canvas.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "canvas.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "canvas.nudge", "(ii)", -12, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "canvas.nudge", "(ii)", 12, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "canvas.nudge", "(ii)", 0, -12);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "canvas.nudge", "(ii)", 0, 12);

  gtk_widget_class_set_css_name (widget_class, "mh-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
mh_canvas_init (MhCanvas *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  self->zoom = 1.0;
  self->selection = g_array_new (FALSE, FALSE, sizeof (MhBlockRef));
  _mh_canvas_rebuild (self);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  _mh_canvas_init_input (self);

  g_menu_append (section, _("Duplicate"), "canvas.duplicate");
  g_menu_append (section, _("Disconnect Label"), "canvas.disconnect");
  g_menu_append (section, _("Show All Layers"), "canvas.expand");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_menu_append (menu, _("Delete"), "canvas.delete");
  self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
  _mh_canvas_selection_changed (self);
}
