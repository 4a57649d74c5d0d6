/* mh-canvas-draw.c — drawing the canvas with GtkSnapshot: a dotted grid,
 * the wires with the shape travelling on each, the blocks, the wire being
 * dragged and the rubber band.  Cairo draws only the curves. */
#include <math.h>
#include "mh-canvas-private.h"
#include "mh-colors.h"

#define GRID 24.0

typedef struct {
  GdkRGBA fg, bg, card, accent, error, border, dim, wire, header;
  gboolean dark;
} Palette;

static void
lookup (GtkWidget *w, const char *name, const char *fallback, GdkRGBA *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (w), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
palette_init (GtkWidget *w, Palette *pal)
{
  lookup (w, "window_fg_color", "#303030", &pal->fg);
  lookup (w, "view_bg_color", "#ffffff", &pal->bg);
  lookup (w, "card_bg_color", "#ffffff", &pal->card);
  lookup (w, "accent_bg_color", "#3584e4", &pal->accent);
  lookup (w, "error_color", "#c01c28", &pal->error);
  pal->dark = (0.299 * pal->bg.red + 0.587 * pal->bg.green + 0.114 * pal->bg.blue) < 0.5;
  if (pal->dark)   /* cards stand out from a dark view by being lighter */
    gdk_rgba_parse (&pal->card, "#36363a");
  pal->border = pal->fg, pal->border.alpha = pal->dark ? 0.22f : 0.16f;
  pal->dim = pal->fg, pal->dim.alpha = 0.6f;
  pal->wire = pal->fg, pal->wire.alpha = pal->dark ? 0.55f : 0.45f;
  pal->header = pal->fg, pal->header.alpha = 0.07f;
}

static PangoLayout *
text (GtkWidget *w, const char *s, gboolean bold, double scale, double width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (w, NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  if (scale != 1.0)
    pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_text (layout, s, -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

/* Draws `s` with its left (align 0), centre (0.5) or right (1) at x, centred on y. */
static double
draw_text (GtkSnapshot *snap, GtkWidget *w, const char *s, double x, double y, double align,
           gboolean bold, double scale, double width, const GdkRGBA *color)
{
  PangoLayout *layout = text (w, s, bold, scale, width);
  int lw, lh;

  pango_layout_get_pixel_size (layout, &lw, &lh);
  gtk_snapshot_save (snap);
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) (x - lw * align), (float) (y - lh / 2.0)));
  gtk_snapshot_append_layout (snap, layout, color);
  gtk_snapshot_restore (snap);
  g_object_unref (layout);
  return lw;
}

static void
draw_grid (MhCanvas *self, GtkSnapshot *snap, const Palette *pal, int width, int height)
{
  double step = GRID * self->zoom;
  GdkRGBA dot = pal->fg;
  graphene_rect_t all = GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height);
  double ox = fmod (self->pan_x, step), oy = fmod (self->pan_y, step);

  if (step < 8)
    return;
  dot.alpha = pal->dark ? 0.14f : 0.12f;
  gtk_snapshot_push_repeat (snap, &all, &GRAPHENE_RECT_INIT ((float) (ox < 0 ? ox + step : ox),
                                                             (float) (oy < 0 ? oy + step : oy),
                                                             (float) step, (float) step));
  gtk_snapshot_append_color (snap, &dot, &GRAPHENE_RECT_INIT ((float) ((ox < 0 ? ox + step : ox) - 1),
                                                              (float) ((oy < 0 ? oy + step : oy) - 1),
                                                              2, 2));
  gtk_snapshot_pop (snap);
}

static void
wire_path (cairo_t *cr, double x0, double y0, double x1, double y1)
{
  double bend = MAX (60, fabs (x1 - x0) * 0.5);

  cairo_move_to (cr, x0, y0);
  cairo_curve_to (cr, x0 + bend, y0, x1 - bend, y1, x1, y1);
}

static void
stroke_wire (GtkSnapshot *snap, const graphene_rect_t *area, double x0, double y0, double x1,
             double y1, const GdkRGBA *color, double width, gboolean dashed)
{
  static const double dash[] = { 6, 4 };
  double bend = MAX (60, fabs (x1 - x0) * 0.5);
  double xmin = MIN (MIN (x0, x1), x1 - bend) - width, xmax = MAX (MAX (x0, x1), x0 + bend) + width;
  graphene_rect_t bounds = GRAPHENE_RECT_INIT ((float) xmin, (float) (MIN (y0, y1) - width),
                                               (float) (xmax - xmin), (float) (fabs (y1 - y0) + 2 * width));
  cairo_t *cr;

  if (!graphene_rect_intersection (&bounds, area, &bounds))
    return;
  cr = gtk_snapshot_append_cairo (snap, &bounds);

  wire_path (cr, x0, y0, x1, y1);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (dashed)
    cairo_set_dash (cr, dash, 2, 0);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
draw_pill (GtkSnapshot *snap, GtkWidget *w, const char *label, double x, double y,
           const Palette *pal, const GdkRGBA *edge)
{
  PangoLayout *layout = text (w, label, FALSE, 0.82, -1);
  int lw, lh;
  GskRoundedRect rr;
  float pw, ph;
  const float widths[4] = { 1, 1, 1, 1 };
  const GdkRGBA colors[4] = { *edge, *edge, *edge, *edge };

  pango_layout_get_pixel_size (layout, &lw, &lh);
  pw = (float) lw + 14, ph = (float) lh + 4;
  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) x - pw / 2, (float) y - ph / 2, pw, ph), ph / 2);
  gtk_snapshot_push_rounded_clip (snap, &rr);
  gtk_snapshot_append_color (snap, &pal->card, &rr.bounds);
  gtk_snapshot_pop (snap);
  gtk_snapshot_append_border (snap, &rr, widths, colors);
  gtk_snapshot_save (snap);
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) x - lw / 2.0f, (float) y - lh / 2.0f));
  gtk_snapshot_append_layout (snap, layout, &pal->fg);
  gtk_snapshot_restore (snap);
  g_object_unref (layout);
}

static void
draw_wires (MhCanvas *self, GtkSnapshot *snap, const Palette *pal, const graphene_rect_t *area)
{
  for (guint i = 0; i < self->wires->len; i++)
    {
      MhWire *wire = &g_array_index (self->wires, MhWire, i);
      double x0, y0, x1, y1;
      GdkRGBA color = pal->wire;

      if (!_mh_canvas_port_position (self, wire->from, &x0, &y0, NULL)
          || !_mh_canvas_port_position (self, wire->to, &x1, &y1, NULL))
        continue;
      if (wire->labels)
        mh_head_color (wire->color, pal->dark, &color);
      stroke_wire (snap, area, x0, y0, x1, y1, &color, wire->labels ? 1.8 : 2.6, wire->labels);
    }
  /* labels above every wire */
  for (guint i = 0; i < self->wires->len; i++)
    {
      MhWire *wire = &g_array_index (self->wires, MhWire, i);
      double x0, y0, x1, y1;
      GdkRGBA edge = pal->border;

      if (wire->label == NULL || !_mh_canvas_port_position (self, wire->from, &x0, &y0, NULL)
          || !_mh_canvas_port_position (self, wire->to, &x1, &y1, NULL))
        continue;
      if (wire->labels)
        mh_head_color (wire->color, pal->dark, &edge);
      /* the bezier's middle; label wires a little nearer their head, off the data wires */
      draw_pill (snap, GTK_WIDGET (self), wire->label,
                 wire->labels ? x1 - 70 : (x0 + x1) / 2, wire->labels ? y1 : (y0 + y1) / 2, pal, &edge);
    }
}

static void
draw_port (GtkSnapshot *snap, double x, double y, gboolean diamond,
           gboolean filled, gboolean hot, const GdkRGBA *color, const Palette *pal)
{
  double r = hot ? MH_PORT_RADIUS + 2 : MH_PORT_RADIUS;
  cairo_t *cr = gtk_snapshot_append_cairo (snap, &GRAPHENE_RECT_INIT ((float) (x - r - 3), (float) (y - r - 3),
                                                                      (float) (2 * r + 6), (float) (2 * r + 6)));

  if (diamond)
    {
      cairo_move_to (cr, x, y - r - 1);
      cairo_line_to (cr, x + r + 1, y);
      cairo_line_to (cr, x, y + r + 1);
      cairo_line_to (cr, x - r - 1, y);
      cairo_close_path (cr);
    }
  else
    cairo_arc (cr, x, y, r, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, filled ? color : &pal->card);
  cairo_fill_preserve (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
draw_node (MhCanvas *self, GtkSnapshot *snap, const Palette *pal, MhNode *node,
           const graphene_rect_t *area)
{
  GtkWidget *w = GTK_WIDGET (self);
  graphene_rect_t r = _mh_canvas_node_rect (self, node);
  gboolean selected = _mh_canvas_is_selected (self, node->ref);
  GskRoundedRect rr, header;
  GdkRGBA head_color, title_color = pal->fg, edge;
  float bw;
  double x = r.origin.x, y = r.origin.y, width = r.size.width;
  GdkRGBA shadow = { 0, 0, 0, pal->dark ? 0.45f : 0.12f };

  mh_head_color (node->color, pal->dark, &head_color);
  gsk_rounded_rect_init_from_rect (&rr, &r, MH_BLOCK_RADIUS);
  gtk_snapshot_append_outset_shadow (snap, &rr, &shadow, 0, 2, 1, 8);
  gtk_snapshot_push_rounded_clip (snap, &rr);
  gtk_snapshot_append_color (snap, &pal->card, &r);
  header.bounds = GRAPHENE_RECT_INIT (r.origin.x, r.origin.y, r.size.width, (float) MH_BLOCK_HEADER);
  gtk_snapshot_append_color (snap, node->colored ? &head_color : &pal->header, &header.bounds);
  gtk_snapshot_pop (snap);
  if (node->colored)
    gdk_rgba_parse (&title_color, "#ffffff");

  draw_text (snap, w, node->title, x + 14, y + MH_BLOCK_HEADER / 2, 0, TRUE, 1.05, width - 48,
             &title_color);
  if (node->problem != NULL)   /* a warning badge in the header */
    {
      GdkRGBA white = { 1, 1, 1, 1 };
      GskRoundedRect badge;
      gsk_rounded_rect_init_from_rect (&badge, &GRAPHENE_RECT_INIT ((float) (x + width - 32), (float) (y + 9),
                                                                     20, 20), 10);
      gtk_snapshot_push_rounded_clip (snap, &badge);
      gtk_snapshot_append_color (snap, &pal->error, &badge.bounds);
      gtk_snapshot_pop (snap);
      draw_text (snap, w, "!", x + width - 22, y + 19, 0.5, TRUE, 1.0, -1, &white);
    }

  for (guint i = 0; i < node->rows->len; i++)
    {
      MhRow *row = node->rows->pdata[i];
      double ry = y + MH_BLOCK_HEADER + MH_BLOCK_ROW * (i + 0.5);
      double right_w = 0;
      GdkRGBA right_color = row->missing ? pal->error : pal->dim;

      if (row->right && *row->right)
        right_w = draw_text (snap, w, row->right, x + width - 16, ry, 1, row->strong, 0.92, -1,
                             &right_color);
      draw_text (snap, w, row->left, x + 16, ry, 0, row->strong, 0.92, width - 40 - right_w,
                 &pal->fg);
    }
  if (node->footer != NULL)
    {
      GdkRGBA line = pal->border;
      double fy = y + r.size.height - MH_BLOCK_FOOTER;
      gtk_snapshot_append_color (snap, &line, &GRAPHENE_RECT_INIT ((float) x + 12, (float) fy,
                                                                   (float) width - 24, 1));
      draw_text (snap, w, node->footer, x + 16, fy + MH_BLOCK_FOOTER / 2, 0, FALSE, 0.8,
                 width - 28, &pal->dim);
    }

  edge = node->problem != NULL ? pal->error : selected ? pal->accent : pal->border;
  bw = node->problem != NULL || selected ? 2.0f : 1.0f;
  if (node->problem != NULL && selected)   /* both: a problem, and the selection around it */
    {
      GskRoundedRect outer = rr;
      const GdkRGBA c[4] = { pal->accent, pal->accent, pal->accent, pal->accent };
      const float wd[4] = { 2, 2, 2, 2 };
      gsk_rounded_rect_shrink (&outer, -4, -4, -4, -4);
      gtk_snapshot_append_border (snap, &outer, wd, c);
    }
  {
    const GdkRGBA c[4] = { edge, edge, edge, edge };
    const float wd[4] = { bw, bw, bw, bw };
    gtk_snapshot_append_border (snap, &rr, wd, c);
  }

  for (guint i = 0; i < node->ports->len; i++)
    {
      MhPort *port = &g_array_index (node->ports, MhPort, i);
      GdkRGBA color = pal->wire;
      gboolean hot = self->hover_port && port->ref.kind == self->hovered.kind
                     && port->ref.index == self->hovered.index;

      color.alpha = 0.85f;
      if (port->diamond && node->colored)
        color = head_color;
      else if (port->diamond)
        color = pal->accent;
      if (self->drag == DRAG_WIRE && self->wire_over_port && port->ref.kind == self->wire_to.kind
          && port->ref.index == self->wire_to.index)
        color = self->wire_refusal ? pal->error : pal->accent, hot = TRUE;
      draw_port (snap, port->on_left ? x : x + width, y + port->y, port->diamond,
                 port->connected, hot, &color, pal);
    }
}

static void
draw_drag (MhCanvas *self, GtkSnapshot *snap, const Palette *pal, const graphene_rect_t *area)
{
  if (self->drag == DRAG_WIRE)
    {
      double x0, y0, x1 = self->wire_x, y1 = self->wire_y;
      gboolean on_left;
      GdkRGBA color = self->wire_refusal ? pal->error : pal->accent;

      if (!_mh_canvas_port_position (self, self->wire_from, &x0, &y0, &on_left))
        return;
      if (self->wire_over_port)
        _mh_canvas_port_position (self, self->wire_to, &x1, &y1, NULL);
      if (on_left)
        stroke_wire (snap, area, x1, y1, x0, y0, &color, 2.6, FALSE);
      else
        stroke_wire (snap, area, x0, y0, x1, y1, &color, 2.6, FALSE);
      if (self->wire_refusal != NULL)
        {
          PangoLayout *layout = text (GTK_WIDGET (self), self->wire_refusal, FALSE, 0.9, 320);
          int lw, lh;
          GskRoundedRect rr;
          GdkRGBA white = { 1, 1, 1, 1 };

          pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
          pango_layout_get_pixel_size (layout, &lw, &lh);
          gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) x1 + 14, (float) y1 + 14,
                                                                     (float) lw + 20, (float) lh + 12), 8);
          gtk_snapshot_push_rounded_clip (snap, &rr);
          gtk_snapshot_append_color (snap, &pal->error, &rr.bounds);
          gtk_snapshot_pop (snap);
          gtk_snapshot_save (snap);
          gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) x1 + 24, (float) y1 + 20));
          gtk_snapshot_append_layout (snap, layout, &white);
          gtk_snapshot_restore (snap);
          g_object_unref (layout);
        }
    }
  else if (self->drag == DRAG_BAND)
    {
      GdkRGBA fill = pal->accent, line = pal->accent;
      const float wd[4] = { 1, 1, 1, 1 };
      GskRoundedRect rr;

      fill.alpha = 0.12f;
      gtk_snapshot_append_color (snap, &fill, &self->band);
      gsk_rounded_rect_init_from_rect (&rr, &self->band, 0);
      gtk_snapshot_append_border (snap, &rr, wd, (GdkRGBA[4]) { line, line, line, line });
    }
}

static void
draw_empty (MhCanvas *self, GtkSnapshot *snap, const Palette *pal, int width, int height)
{
  draw_text (snap, GTK_WIDGET (self), "Drag a data source, a backbone and heads here",
             width / 2.0, height / 2.0 - 12, 0.5, TRUE, 1.3, -1, &pal->dim);
  draw_text (snap, GTK_WIDGET (self), "or select one in the palette and press Enter",
             width / 2.0, height / 2.0 + 16, 0.5, FALSE, 1.0, -1, &pal->dim);
}

void
_mh_canvas_snapshot (GtkWidget *widget, GtkSnapshot *snap)
{
  MhCanvas *self = MH_CANVAS (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  Palette pal;
  graphene_rect_t area;

  palette_init (widget, &pal);
  gtk_snapshot_append_color (snap, &pal.bg, &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));
  draw_grid (self, snap, &pal, width, height);
  if (self->nodes == NULL || self->nodes->len == 0)
    {
      draw_empty (self, snap, &pal, width, height);
      return;
    }
  gtk_snapshot_save (snap);
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) self->pan_x, (float) self->pan_y));
  gtk_snapshot_scale (snap, (float) self->zoom, (float) self->zoom);
  /* what is visible, in canvas units: where cairo may draw */
  area = GRAPHENE_RECT_INIT ((float) (-self->pan_x / self->zoom), (float) (-self->pan_y / self->zoom),
                             (float) (width / self->zoom), (float) (height / self->zoom));
  draw_wires (self, snap, &pal, &area);
  for (guint i = 0; i < self->nodes->len; i++)
    draw_node (self, snap, &pal, self->nodes->pdata[i], &area);
  draw_drag (self, snap, &pal, &area);
  gtk_snapshot_restore (snap);
}
