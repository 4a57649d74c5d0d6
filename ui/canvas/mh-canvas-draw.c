/* mh-canvas-draw.c — drawing the canvas with GtkSnapshot: a dotted grid,
 * the wires with the shape travelling on each, the blocks, the wire being
 * dragged and the rubber band.  Cairo draws only the curves. */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
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

/* Draws `s` with its left (align 0), centre (0.5) or right (1) at canvas (x, y),
 * centred on y; returns its width in canvas units.  Text is laid out at the
 * zoomed size and placed on whole pixels, not scaled: it stays crisp. */
static double
draw_text (MhCanvas *self, GtkSnapshot *snap, const char *s, double x, double y, double align,
           gboolean bold, double scale, double width, const GdkRGBA *color)
{
  double z = self->zoom;
  PangoLayout *layout = text (GTK_WIDGET (self), s, bold, scale * z, width > 0 ? width * z : -1);
  int lw, lh;
  double wx, wy;

  pango_layout_get_pixel_size (layout, &lw, &lh);
  wx = x * z + self->pan_x - lw * align;
  wy = y * z + self->pan_y - lh / 2.0;
  gtk_snapshot_save (snap);
  gtk_snapshot_scale (snap, (float) (1 / z), (float) (1 / z));
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) (round (wx) - self->pan_x),
                                                      (float) (round (wy) - self->pan_y)));
  gtk_snapshot_append_layout (snap, layout, color);
  gtk_snapshot_restore (snap);
  g_object_unref (layout);
  return lw / z;
}

/* The size of `s` in canvas units. */
static void
text_size (MhCanvas *self, const char *s, double scale, double *width, double *height)
{
  PangoLayout *layout = text (GTK_WIDGET (self), s, FALSE, scale * self->zoom, -1);
  int lw, lh;

  pango_layout_get_pixel_size (layout, &lw, &lh);
  *width = lw / self->zoom;
  *height = lh / self->zoom;
  g_object_unref (layout);
}

double
_mh_canvas_slider_start (MhCanvas *self)
{
  double w, h;

  text_size (self, _("weight"), 1.0, &w, &h);
  return MAX (MH_SLIDER_START, 16 + w + 12);
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

/* A wire's curve: one cubic from an output (x0, y0) to an input (x1, y1),
 * or, with `below` > y0, two that pass under an obstacle at that height
 * through x = xm (label wires go under the backbone). */
typedef struct {
  double x0, y0, x1, y1;
  double below, xa, xm;   /* under the backbone from xa to xm */
} WirePath;

static void
wire_path (cairo_t *cr, const WirePath *w)
{
  double bend = MAX (60, fabs (w->x1 - w->x0) * 0.5);

  cairo_move_to (cr, w->x0, w->y0);
  if (w->below > 0)
    {
      double b0 = (w->xa - w->x0) * 0.5, b1 = MAX (40, (w->x1 - w->xm) * 0.6);
      cairo_curve_to (cr, w->x0 + b0, w->y0, w->xa - b0, w->below, w->xa, w->below);
      cairo_line_to (cr, w->xm, w->below);
      cairo_curve_to (cr, w->xm + b1, w->below, w->x1 - b1, w->y1, w->x1, w->y1);
    }
  else
    cairo_curve_to (cr, w->x0 + bend, w->y0, w->x1 - bend, w->y1, w->x1, w->y1);
}

/* The point of the wire at t in [0, 1] of its first curve. */
static void
wire_point (const WirePath *w, double t, double *x, double *y)
{
  double bend = MAX (60, fabs (w->x1 - w->x0) * 0.5);
  double px[4] = { w->x0, w->x0 + bend, w->x1 - bend, w->x1 };
  double py[4] = { w->y0, w->y0, w->y1, w->y1 };
  double u = 1 - t;

  if (w->below > 0)
    {
      double b0 = (w->xa - w->x0) * 0.5;
      px[1] = w->x0 + b0, px[2] = w->xa - b0, px[3] = w->xa;
      py[2] = py[3] = w->below;
    }
  *x = u * u * u * px[0] + 3 * u * u * t * px[1] + 3 * u * t * t * px[2] + t * t * t * px[3];
  *y = u * u * u * py[0] + 3 * u * u * t * py[1] + 3 * u * t * t * py[2] + t * t * t * py[3];
}

static void
stroke_wire (cairo_t *cr, const WirePath *w, const GdkRGBA *color, double width, gboolean dashed)
{
  static const double dash[] = { 6, 4 };

  wire_path (cr, w);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_dash (cr, dash, dashed ? 2 : 0, 0);
  cairo_stroke (cr);
}

/* A cairo node over the whole widget, drawing in canvas units: cairo does the
 * zoom, so curves stay smooth whatever the renderer. */
static cairo_t *
canvas_cairo (MhCanvas *self, GtkSnapshot *snap)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snap, &GRAPHENE_RECT_INIT (0, 0,
                                                                      (float) gtk_widget_get_width (GTK_WIDGET (self)),
                                                                      (float) gtk_widget_get_height (GTK_WIDGET (self))));
  cairo_translate (cr, self->pan_x, self->pan_y);
  cairo_scale (cr, self->zoom, self->zoom);
  return cr;
}

static void
draw_pill (MhCanvas *self, GtkSnapshot *snap, const char *label, double x, double y,
           const Palette *pal, const GdkRGBA *edge)
{
  const float widths[4] = { 1, 1, 1, 1 };
  const GdkRGBA colors[4] = { *edge, *edge, *edge, *edge };
  GskRoundedRect rr;
  double lw, lh;
  float pw, ph;

  text_size (self, label, 0.82, &lw, &lh);
  pw = (float) lw + 14, ph = (float) lh + 4;
  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) x - pw / 2, (float) y - ph / 2, pw, ph), ph / 2);
  gtk_snapshot_push_rounded_clip (snap, &rr);
  gtk_snapshot_append_color (snap, &pal->card, &rr.bounds);
  gtk_snapshot_pop (snap);
  gtk_snapshot_append_border (snap, &rr, widths, colors);
  draw_text (self, snap, label, x, y, 0.5, FALSE, 0.82, -1, &pal->fg);
}

/* The path of a wire; label wires that would cross the backbone go under it. */
static gboolean
wire_geometry (MhCanvas *self, const MhWire *wire, WirePath *w)
{
  MhNode *backbone = _mh_canvas_find_node (self, MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0));

  memset (w, 0, sizeof *w);
  if (!_mh_canvas_port_position (self, wire->from, &w->x0, &w->y0, NULL)
      || !_mh_canvas_port_position (self, wire->to, &w->x1, &w->y1, NULL))
    return FALSE;
  if (wire->labels && backbone != NULL)
    {
      graphene_rect_t bb = _mh_canvas_node_rect (self, backbone);
      double bottom = bb.origin.y + bb.size.height;
      if (w->x0 < bb.origin.x && w->x1 > bb.origin.x + bb.size.width && w->y0 < bottom + 20)
        {
          w->below = bottom + 28 + 10 * (wire->color % 4);
          w->xa = w->x0 + (bb.origin.x - w->x0) * 0.75;
          w->xm = bb.origin.x + bb.size.width + 16;
        }
    }
  return TRUE;
}

static void
draw_wires (MhCanvas *self, GtkSnapshot *snap, const Palette *pal)
{
  cairo_t *cr = canvas_cairo (self, snap);

  for (guint i = 0; i < self->wires->len; i++)
    {
      MhWire *wire = &g_array_index (self->wires, MhWire, i);
      GdkRGBA color = pal->wire;
      WirePath w;

      if (!wire_geometry (self, wire, &w))
        continue;
      if (wire->labels)
        mh_head_color (wire->color, pal->dark, &color);
      stroke_wire (cr, &w, &color, wire->labels ? 2.0 : 2.6, wire->labels);
    }
  cairo_destroy (cr);
}

/* The shapes travelling on the wires, in the zoomed snapshot. */
static void
draw_wire_labels (MhCanvas *self, GtkSnapshot *snap, const Palette *pal)
{
  /* the shapes travelling on them, above every wire */
  for (guint i = 0; i < self->wires->len; i++)
    {
      MhWire *wire = &g_array_index (self->wires, MhWire, i);
      GdkRGBA edge = pal->border;
      WirePath w;
      double x, y;

      if (wire->label == NULL || wire->labels || !wire_geometry (self, wire, &w))
        continue;
      if (wire->labels)
        mh_head_color (wire->color, pal->dark, &edge);
      wire_point (&w, wire->labels ? (w.below > 0 ? 0.22 : 0.3) : 0.5, &x, &y);
      draw_pill (self, snap, wire->label, x, y, pal, &edge);
    }
}

/* A port: a circle for tensors, a diamond for labels; filled when connected. */
static void
draw_port (GtkSnapshot *snap, double x, double y, gboolean diamond, gboolean filled, gboolean hot,
           const GdkRGBA *color, const Palette *pal)
{
  float r = (float) (hot ? MH_PORT_RADIUS + 2 : MH_PORT_RADIUS);
  const float widths[4] = { 2, 2, 2, 2 };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };
  GskRoundedRect rr;

  gtk_snapshot_save (snap);
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) x, (float) y));
  if (diamond)
    {
      gtk_snapshot_rotate (snap, 45);
      r *= 0.9f;
    }
  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (-r, -r, 2 * r, 2 * r), diamond ? 1.5f : r);
  gtk_snapshot_push_rounded_clip (snap, &rr);
  gtk_snapshot_append_color (snap, filled ? color : &pal->card, &rr.bounds);
  gtk_snapshot_pop (snap);
  gtk_snapshot_append_border (snap, &rr, widths, colors);
  gtk_snapshot_restore (snap);
}

/* A head's loss weight: a track filled in the head's colour, a knob, the value. */
static void
draw_slider (MhCanvas *self, GtkSnapshot *snap, const Palette *pal, const MhRow *row, double x, double ry,
             double width, const GdkRGBA *color)
{
  double x0 = x + _mh_canvas_slider_start (self), x1 = x + width - MH_SLIDER_END_GAP;
  double t = CLAMP (row->value / MH_WEIGHT_MAX, 0, 1), kx = x0 + (x1 - x0) * t;
  GdkRGBA track = pal->fg, knob_edge = *color;
  GskRoundedRect rr;
  const float bw[4] = { 2, 2, 2, 2 };

  track.alpha = 0.15f;
  draw_text (self, snap, row->left, x + 16, ry, 0, FALSE, 1.0, -1, &pal->fg);
  draw_text (self, snap, row->right, x + width - 16, ry, 1, TRUE, 0.95, -1, &pal->fg);
  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) x0, (float) ry - 2, (float) (x1 - x0), 4), 2);
  gtk_snapshot_push_rounded_clip (snap, &rr);
  gtk_snapshot_append_color (snap, &track, &rr.bounds);
  gtk_snapshot_append_color (snap, color, &GRAPHENE_RECT_INIT ((float) x0, (float) ry - 2, (float) (kx - x0), 4));
  gtk_snapshot_pop (snap);
  /* a tick at weight 1 */
  gtk_snapshot_append_color (snap, &track, &GRAPHENE_RECT_INIT ((float) (x0 + (x1 - x0) / MH_WEIGHT_MAX) - 0.5f,
                                                                (float) ry - 6, 1, 12));
  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) kx - 7, (float) ry - 7, 14, 14), 7);
  gtk_snapshot_push_rounded_clip (snap, &rr);
  gtk_snapshot_append_color (snap, &pal->card, &rr.bounds);
  gtk_snapshot_pop (snap);
  gtk_snapshot_append_border (snap, &rr, bw, (GdkRGBA[4]) { knob_edge, knob_edge, knob_edge, knob_edge });
}

/* A multi-head convolution's heads: parallel lanes across the block, each
 * a rounded strip in a colour of its own labelled with the channels it
 * reads; a fine rail through them says they run side by side. */
static void
draw_lanes (MhCanvas *self, GtkSnapshot *snap, const Palette *pal, const MhRow *row, double x, double ry,
            double width)
{
  guint n = g_strv_length (row->lanes);
  double x0 = x + 16, span = width - 32, gap = 4, w = (span - gap * (n - 1)) / MAX (n, 1);
  GdkRGBA rail = pal->border;

  gtk_snapshot_append_color (snap, &rail, &GRAPHENE_RECT_INIT ((float) x0, (float) ry - 0.5f, (float) span, 1));
  for (guint i = 0; i < n; i++)
    {
      GdkRGBA fill, edge;
      GskRoundedRect rr;
      double lx = x0 + i * (w + gap);
      const float bw[4] = { 1, 1, 1, 1 };

      mh_head_color (i + 4, pal->dark, &edge);   /* lanes in colours the heads' first few do not use */
      fill = edge;
      fill.alpha = 0.16f;
      gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) lx, (float) ry - 9, (float) w, 18), 5);
      gtk_snapshot_push_rounded_clip (snap, &rr);
      gtk_snapshot_append_color (snap, &pal->card, &rr.bounds);
      gtk_snapshot_append_color (snap, &fill, &rr.bounds);
      gtk_snapshot_pop (snap);
      gtk_snapshot_append_border (snap, &rr, bw, (GdkRGBA[4]) { edge, edge, edge, edge });
      draw_text (self, snap, row->lanes[i], lx + w / 2, ry, 0.5, FALSE, n > 4 ? 0.72 : 0.82, w - 4, &pal->fg);
    }
}

static void
draw_node (MhCanvas *self, GtkSnapshot *snap, const Palette *pal, MhNode *node)
{
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
  if (node->colored)   /* white on the light palette's colours, near-black on the dark's */
    gdk_rgba_parse (&title_color, pal->dark ? "#1e1e1e" : "#ffffff");

  draw_text (self, snap, node->title, x + 14, y + MH_BLOCK_HEADER / 2, 0, TRUE, 1.05, width - 48,
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
      draw_text (self, snap, "!", x + width - 22, y + 19, 0.5, TRUE, 1.0, -1, &white);
    }

  for (guint i = 0; i < node->rows->len; i++)
    {
      MhRow *row = node->rows->pdata[i];
      double ry = y + MH_BLOCK_HEADER + MH_BLOCK_ROW * (i + 0.5);
      double right_w = 0;
      GdkRGBA right_color = row->missing ? pal->error : pal->dim;

      if (row->slider)
        {
          draw_slider (self, snap, pal, row, x, ry, width, &head_color);
          continue;
        }
      if (row->lanes != NULL)
        {
          draw_lanes (self, snap, pal, row, x, ry, width);
          continue;
        }
      if (row->right && *row->right)
        right_w = draw_text (self, snap, row->right, x + width - 16, ry, 1, row->strong, 0.95, -1,
                             &right_color);
      draw_text (self, snap, row->left, x + 16, ry, 0, row->strong, 1.0, width - 40 - right_w,
                 &pal->fg);
    }
  if (node->footer != NULL)
    {
      GdkRGBA line = pal->border;
      double fy = y + r.size.height - MH_BLOCK_FOOTER;
      gtk_snapshot_append_color (snap, &line, &GRAPHENE_RECT_INIT ((float) x + 12, (float) fy,
                                                                   (float) width - 24, 1));
      draw_text (self, snap, node->footer, x + 16, fy + MH_BLOCK_FOOTER / 2, 0, FALSE, 0.8,
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
      if (port->diamond && port->color >= 0)
        mh_head_color ((guint) port->color, pal->dark, &color);
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
draw_drag (MhCanvas *self, GtkSnapshot *snap, const Palette *pal)
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
      WirePath w = { on_left ? x1 : x0, on_left ? y1 : y0, on_left ? x0 : x1, on_left ? y0 : y1, 0, 0, 0 };
      cairo_t *cr = canvas_cairo (self, snap);
      stroke_wire (cr, &w, &color, 2.6, FALSE);
      cairo_destroy (cr);
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

/* Why the wire being dragged cannot go there: a red note by the pointer,
 * in widget coordinates (the same size at any zoom). */
static void
draw_refusal (MhCanvas *self, GtkSnapshot *snap, const Palette *pal)
{
  PangoLayout *layout;
  GskRoundedRect rr;
  GdkRGBA white = { 1, 1, 1, 1 };
  double x = self->wire_x * self->zoom + self->pan_x, y = self->wire_y * self->zoom + self->pan_y;
  int lw, lh;

  if (self->drag != DRAG_WIRE || self->wire_refusal == NULL)
    return;
  layout = text (GTK_WIDGET (self), self->wire_refusal, FALSE, 0.95, 340);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_get_pixel_size (layout, &lw, &lh);
  x = MIN (x + 16, gtk_widget_get_width (GTK_WIDGET (self)) - lw - 32);
  y = MIN (y + 16, gtk_widget_get_height (GTK_WIDGET (self)) - lh - 24);
  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) lw + 24,
                                                             (float) lh + 14), 8);
  gtk_snapshot_push_rounded_clip (snap, &rr);
  gtk_snapshot_append_color (snap, &pal->error, &rr.bounds);
  gtk_snapshot_pop (snap);
  gtk_snapshot_save (snap);
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) round (x + 12), (float) round (y + 7)));
  gtk_snapshot_append_layout (snap, layout, &white);
  gtk_snapshot_restore (snap);
  g_object_unref (layout);
}

static void
draw_empty (MhCanvas *self, GtkSnapshot *snap, const Palette *pal, int width, int height)
{
  double cx, cy;

  _mh_canvas_to_canvas (self, width / 2.0, height / 2.0, &cx, &cy);
  gtk_snapshot_save (snap);
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) self->pan_x, (float) self->pan_y));
  gtk_snapshot_scale (snap, (float) self->zoom, (float) self->zoom);
  draw_text (self, snap, _("Drag a data source, a backbone and heads here"), cx, cy - 14 / self->zoom,
             0.5, TRUE, 1.3 / self->zoom, -1, &pal->dim);
  draw_text (self, snap, _("or select one in the palette and press Enter"), cx, cy + 16 / self->zoom,
             0.5, FALSE, 1.0 / self->zoom, -1, &pal->dim);
  gtk_snapshot_restore (snap);
}

void
_mh_canvas_snapshot (GtkWidget *widget, GtkSnapshot *snap)
{
  MhCanvas *self = MH_CANVAS (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  Palette pal;

  palette_init (widget, &pal);
  gtk_snapshot_append_color (snap, &pal.bg, &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));
  draw_grid (self, snap, &pal, width, height);
  if (self->nodes == NULL || self->nodes->len == 0)
    {
      draw_empty (self, snap, &pal, width, height);
      return;
    }
  draw_wires (self, snap, &pal);
  gtk_snapshot_save (snap);
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) self->pan_x, (float) self->pan_y));
  gtk_snapshot_scale (snap, (float) self->zoom, (float) self->zoom);
  draw_wire_labels (self, snap, &pal);
  for (guint i = 0; i < self->nodes->len; i++)
    draw_node (self, snap, &pal, self->nodes->pdata[i]);
  if (self->drag == DRAG_BAND)
    draw_drag (self, snap, &pal);
  gtk_snapshot_restore (snap);
  if (self->drag == DRAG_WIRE)
    draw_drag (self, snap, &pal);
  draw_refusal (self, snap, &pal);
}
