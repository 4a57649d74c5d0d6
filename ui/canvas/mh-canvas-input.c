/* mh-canvas-input.c — the canvas's pointer: selecting, moving, wiring,
 * rubber band, panning, zooming, the context menu, tooltips and drops
 * from the palette. */
#include <math.h>
#include "mh-canvas-private.h"

static void
drag_begin (GtkGestureDrag *gesture, double wx, double wy, MhCanvas *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  double cx, cy, weight;
  MhNode *node;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->document == NULL)
    return;
  _mh_canvas_to_canvas (self, wx, wy, &cx, &cy);
  self->drag_x = wx, self->drag_y = wy;
  self->drag_shift = (mods & GDK_SHIFT_MASK) != 0;
  self->weight_head = _mh_canvas_slider_at (self, cx, cy, &weight);
  if (self->weight_head >= 0)
    {
      self->drag = DRAG_WEIGHT;
      _mh_canvas_set_weight (self, self->weight_head, weight);
      return;
    }
  if (_mh_canvas_port_at (self, cx, cy, &self->wire_from))
    {
      self->drag = DRAG_WIRE;
      self->wire_x = cx, self->wire_y = cy;
      self->wire_over_port = FALSE;
      return;
    }
  node = _mh_canvas_node_at (self, cx, cy);
  if (node != NULL)
    {
      if (self->drag_shift)
        _mh_canvas_toggle_selected (self, node->ref);
      else if (!_mh_canvas_is_selected (self, node->ref))
        mh_canvas_select (self, node->ref, FALSE);
      self->drag = _mh_canvas_is_selected (self, node->ref) ? DRAG_MOVE : DRAG_NONE;
      self->move_dx = self->move_dy = 0;
      return;
    }
  if (!self->drag_shift && self->selection->len > 0)
    mh_canvas_unselect_all (self);
  self->drag = DRAG_BAND;
  self->band = GRAPHENE_RECT_INIT ((float) cx, (float) cy, 0, 0);
}

static void
drag_update (GtkGestureDrag *gesture, double ox, double oy, MhCanvas *self)
{
  double cx, cy, sx, sy;

  _mh_canvas_to_canvas (self, self->drag_x + ox, self->drag_y + oy, &cx, &cy);
  switch (self->drag)
    {
    case DRAG_MOVE:
      self->move_dx = ox / self->zoom;
      self->move_dy = oy / self->zoom;
      break;
    case DRAG_WIRE:
      self->wire_x = cx, self->wire_y = cy;
      g_clear_pointer (&self->wire_refusal, g_free);
      self->wire_over_port = _mh_canvas_port_at (self, cx, cy, &self->wire_to)
                             && (self->wire_to.kind != self->wire_from.kind
                                 || self->wire_to.index != self->wire_from.index);
      if (self->wire_over_port)
        self->wire_refusal = _mh_canvas_refusal (self, self->wire_from, self->wire_to);
      break;
    case DRAG_WEIGHT:
      {
        MhNode *node = _mh_canvas_find_node (self, MH_BLOCK_REF (MH_BLOCK_HEAD, self->weight_head));
        graphene_rect_t r;
        if (node == NULL)
          return;
        r = _mh_canvas_node_rect (self, node);
        _mh_canvas_set_weight (self, self->weight_head,
                               CLAMP ((cx - r.origin.x - _mh_canvas_slider_start (self))
                                      / (r.size.width - _mh_canvas_slider_start (self) - MH_SLIDER_END_GAP), 0, 1)
                               * MH_WEIGHT_MAX);
      }
      return;
    case DRAG_BAND:
      _mh_canvas_to_canvas (self, self->drag_x, self->drag_y, &sx, &sy);
      self->band = GRAPHENE_RECT_INIT ((float) MIN (sx, cx), (float) MIN (sy, cy),
                                       (float) fabs (cx - sx), (float) fabs (cy - sy));
      break;
    case DRAG_NONE:
    default:
      return;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end (GtkGestureDrag *gesture, double ox, double oy, MhCanvas *self)
{
  DragMode mode = self->drag;

  drag_update (gesture, ox, oy, self);
  self->drag = DRAG_NONE;
  switch (mode)
    {
    case DRAG_MOVE:
      if (fabs (ox) + fabs (oy) > 2)
        mh_canvas_move_selection (self, self->move_dx, self->move_dy);
      break;
    case DRAG_WIRE:
      if (self->wire_over_port)
        mh_canvas_connect (self, self->wire_from, self->wire_to, NULL);
      g_clear_pointer (&self->wire_refusal, g_free);
      break;
    case DRAG_BAND:
      for (guint i = 0; i < self->nodes->len; i++)
        {
          MhNode *node = self->nodes->pdata[i];
          if (graphene_rect_intersection (&node->rect, &self->band, NULL)
              && !_mh_canvas_is_selected (self, node->ref))
            g_array_append_val (self->selection, node->ref);
        }
      _mh_canvas_selection_changed (self);
      break;
    case DRAG_NONE:
    default:
      break;
    }
  self->move_dx = self->move_dy = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pan_begin (GtkGestureDrag *gesture, double wx, double wy, MhCanvas *self)
{
  self->pan_start_x = self->pan_x, self->pan_start_y = self->pan_y;
}

static void
pan_update (GtkGestureDrag *gesture, double ox, double oy, MhCanvas *self)
{
  self->pan_x = self->pan_start_x + ox;
  self->pan_y = self->pan_start_y + oy;
  self->fitted = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
scrolled (GtkEventControllerScroll *scroll, double dx, double dy, MhCanvas *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  gboolean wheel = gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL;

  if (mods & GDK_CONTROL_MASK)
    _mh_canvas_zoom_at (self, self->zoom * exp (-dy * (wheel ? 0.15 : 0.01)), self->pointer_x, self->pointer_y);
  else
    {
      if (mods & GDK_SHIFT_MASK)
        dx = dy, dy = 0;
      self->pan_x -= dx * (wheel ? 40 : 1);
      self->pan_y -= dy * (wheel ? 40 : 1);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return TRUE;
}

static void
motion (GtkEventControllerMotion *motion_controller, double wx, double wy, MhCanvas *self)
{
  double cx, cy;
  MhPortRef ref;
  gboolean over;

  self->pointer_x = wx, self->pointer_y = wy;
  if (self->nodes == NULL)
    return;
  _mh_canvas_to_canvas (self, wx, wy, &cx, &cy);
  over = _mh_canvas_port_at (self, cx, cy, &ref);
  if (over != self->hover_port || (over && (ref.kind != self->hovered.kind || ref.index != self->hovered.index)))
    {
      self->hover_port = over;
      self->hovered = ref;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), over ? "crosshair" : NULL);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
pressed (GtkGestureClick *click, int n_press, double wx, double wy, MhCanvas *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (click));
  double cx, cy;
  MhNode *node;

  if (self->document == NULL)
    return;
  _mh_canvas_to_canvas (self, wx, wy, &cx, &cy);
  node = _mh_canvas_node_at (self, cx, cy);
  if (button == GDK_BUTTON_PRIMARY && n_press == 2 && node != NULL
      && node->ref.kind == MH_BLOCK_BACKBONE)
    mh_canvas_set_expanded (self, !self->expanded);
  else if (button == GDK_BUTTON_SECONDARY && node != NULL)
    {
      if (!_mh_canvas_is_selected (self, node->ref))
        mh_canvas_select (self, node->ref, FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.disconnect",
                                     node->ref.kind == MH_BLOCK_HEAD);
      gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                                   &(GdkRectangle) { (int) wx, (int) wy, 1, 1 });
      gtk_popover_popup (GTK_POPOVER (self->menu));
    }
}

gboolean
_mh_canvas_query_tooltip (GtkWidget *widget, int wx, int wy, gboolean keyboard, GtkTooltip *tooltip)
{
  MhCanvas *self = MH_CANVAS (widget);
  double cx, cy;
  MhPortRef ref;
  MhNode *node;

  if (self->nodes == NULL || self->drag != DRAG_NONE)
    return FALSE;
  _mh_canvas_to_canvas (self, wx, wy, &cx, &cy);
  if (_mh_canvas_port_at (self, cx, cy, &ref))
    {
      g_autofree char *text = _mh_canvas_port_description (self, ref);
      gtk_tooltip_set_text (tooltip, text);
      return TRUE;
    }
  node = _mh_canvas_node_at (self, cx, cy);
  if (node == NULL || node->problem == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, node->problem);
  return TRUE;
}

static gboolean
dropped (GtkDropTarget *target, const GValue *value, double wx, double wy, MhCanvas *self)
{
  double cx, cy;

  if (self->document == NULL || !G_VALUE_HOLDS_STRING (value))
    return FALSE;
  _mh_canvas_to_canvas (self, wx, wy, &cx, &cy);
  /* the pointer holds the block near its top-left corner */
  return mh_canvas_add (self, g_value_get_string (value), cx - 24, cy - 16, NULL);
}

void
_mh_canvas_init_input (MhCanvas *self)
{
  GtkGesture *drag, *pan, *click;
  GtkEventController *scroll, *hover;
  GtkDropTarget *drop;

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  pan = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (pan), GDK_BUTTON_MIDDLE);
  g_signal_connect (pan, "drag-begin", G_CALLBACK (pan_begin), self);
  g_signal_connect (pan, "drag-update", G_CALLBACK (pan_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pan));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scrolled), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  hover = gtk_event_controller_motion_new ();
  g_signal_connect (hover, "motion", G_CALLBACK (motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), hover);

  drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (dropped), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
