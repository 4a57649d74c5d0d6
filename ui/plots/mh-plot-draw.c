/* mh-plot-draw.c — the plot's layers.  Normalising (ranges, ticks, the
 * frame, the legend and each series as a polyline in pixels, at most a few
 * points per pixel column) happens when the data or the size changes; the
 * layers only draw what it computed.  Cairo draws the curves alone. */
#include <math.h>
#include "mh-plot-private.h"

#define PAD        10.0
#define TICK_GAP    6.0
#define LEGEND_DOT  8.0

static void
lookup (GtkWidget *w, const char *name, const char *fallback, GdkRGBA *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (w), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

void
_mh_plot_palette (MhPlot *self, MhPlotPalette *pal)
{
  lookup (GTK_WIDGET (self), "window_fg_color", "#303030", &pal->fg);
  lookup (GTK_WIDGET (self), "card_bg_color", "#ffffff", &pal->bg);
  pal->dark = (0.299 * pal->fg.red + 0.587 * pal->fg.green + 0.114 * pal->fg.blue) > 0.5;
  if (pal->dark && pal->bg.alpha < 1)   /* the card's translucent colour over the dark window */
    gdk_rgba_parse (&pal->bg, "#303034");
  else if (pal->bg.alpha < 1)
    gdk_rgba_parse (&pal->bg, "#ffffff");
  pal->dim = pal->fg, pal->dim.alpha = 0.6f;
  pal->grid = pal->fg, pal->grid.alpha = pal->dark ? 0.10f : 0.08f;
}

static PangoLayout *
layout (MhPlot *self, const char *text, double scale, gboolean bold)
{
  PangoLayout *l = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  if (scale != 1.0)
    pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (l, attrs);
  pango_attr_list_unref (attrs);
  return l;
}

static void
text_size (MhPlot *self, const char *text, double scale, gboolean bold, int *w, int *h)
{
  PangoLayout *l = layout (self, text, scale, bold);

  pango_layout_get_pixel_size (l, w, h);
  g_object_unref (l);
}

/* Draws `text` with its (align · width, 0) at (x, y). */
static void
draw_text (MhPlot *self, GtkSnapshot *snap, const char *text, double x, double y, double align,
           double scale, gboolean bold, const GdkRGBA *color)
{
  PangoLayout *l = layout (self, text, scale, bold);
  int w, h;

  pango_layout_get_pixel_size (l, &w, &h);
  gtk_snapshot_save (snap);
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) round (x - w * align), (float) round (y)));
  gtk_snapshot_append_layout (snap, l, color);
  gtk_snapshot_restore (snap);
  g_object_unref (l);
}

static void
format_value (double v, double step, char *buf, gsize len)
{
  double a = fabs (v);

  if (v == 0)
    g_snprintf (buf, len, "0");
  else if (a >= 10000 || a < 1e-3)
    g_snprintf (buf, len, "%.0e", v);
  else
    {
      int digits = step > 0 ? MAX (0, (int) ceil (-log10 (step) - 1e-9)) : 3;
      g_snprintf (buf, len, "%.*f", MIN (digits, 4), v);
    }
}

/* ---- ranges and ticks -------------------------------------------------------- */

const GArray *
_mh_plot_points (MhPlot *self, MhPlotSeries *s)
{
  if (s->style == MH_PLOT_SMOOTHED && s->source >= 0 && (guint) s->source < self->series->len)
    return ((MhPlotSeries *) self->series->pdata[s->source])->points;
  return s->points;
}

double
_mh_plot_y_value (MhPlot *self, MhPlotSeries *s, guint i)
{
  if (s->style == MH_PLOT_SMOOTHED)
    return i < s->smooth->len ? g_array_index (s->smooth, double, i) : NAN;
  return g_array_index (s->points, MhPlotPoint, i).y;
}

/* Exponential moving average, debiased (as TensorBoard's). */
static void
smooth (MhPlot *self, MhPlotSeries *s)
{
  const GArray *pts = _mh_plot_points (self, s);
  double a = CLAMP (self->smoothing, 0, 0.999), last = 0, weight = 0;

  g_array_set_size (s->smooth, pts->len);
  for (guint i = 0; i < pts->len; i++)
    {
      double y = g_array_index (pts, MhPlotPoint, i).y;
      if (!isfinite (y))
        {
          g_array_index (s->smooth, double, i) = NAN;
          continue;
        }
      last = last * a + (1 - a) * y;
      weight = weight * a + (1 - a);
      g_array_index (s->smooth, double, i) = last / weight;
    }
}

static double
nice_number (double x, gboolean round_it)
{
  double e = floor (log10 (x)), f = x / pow (10, e), n;

  if (round_it)
    n = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  else
    n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return n * pow (10, e);
}

/* Linear ticks over [*lo, *hi], widened to whole ticks when `widen`. */
static void
linear_ticks (double *lo, double *hi, int target, gboolean widen, GArray *ticks)
{
  double range = nice_number (MAX (*hi - *lo, 1e-12), FALSE), step = nice_number (range / MAX (target - 1, 1), TRUE);

  if (widen)
    {
      *lo = floor (*lo / step) * step;
      *hi = ceil (*hi / step) * step;
    }
  g_array_set_size (ticks, 0);
  for (double t = ceil (*lo / step - 1e-9) * step; t <= *hi + step * 1e-9; t += step)
    {
      double v = fabs (t) < step * 1e-9 ? 0 : t;
      g_array_append_val (ticks, v);
    }
}

static void
log_ticks (double *lo, double *hi, GArray *ticks)
{
  double a = floor (*lo), b = ceil (*hi);

  if (b - a < 1)
    b = a + 1;
  *lo = a, *hi = b;
  g_array_set_size (ticks, 0);
  for (double d = a; d <= b + 1e-9; d++)
    {
      g_array_append_val (ticks, d);
      if (b - a <= 2 && d < b)
        {
          double t2 = d + log10 (2), t5 = d + log10 (5);
          g_array_append_val (ticks, t2);
          g_array_append_val (ticks, t5);
        }
    }
}

static void
x_range (MhPlot *self)
{
  double lo = INFINITY, hi = -INFINITY;

  for (guint i = 0; i < self->series->len; i++)
    {
      MhPlotSeries *s = self->series->pdata[i];
      if (s->points->len == 0)
        continue;
      lo = MIN (lo, g_array_index (s->points, MhPlotPoint, 0).x);
      hi = MAX (hi, g_array_index (s->points, MhPlotPoint, s->points->len - 1).x);
    }
  if (!isfinite (lo))
    lo = 0, hi = 1;
  lo = MIN (lo, 0);
  if (!isnan (self->zoom_x0))
    lo = self->zoom_x0, hi = self->zoom_x1;
  if (hi - lo < 1e-9)
    hi = lo + 1;
  self->x0 = lo, self->x1 = hi;
}

static void
y_range (MhPlot *self)
{
  double lo = INFINITY, hi = -INFINITY;

  if (!isnan (self->fixed_y0))
    lo = self->fixed_y0, hi = self->fixed_y1;
  else
    for (guint i = 0; i < self->series->len; i++)
      {
        MhPlotSeries *s = self->series->pdata[i];
        const GArray *pts = _mh_plot_points (self, s);
        gboolean has_smoothed = FALSE;
        for (guint j = 0; j < self->series->len && s->style == MH_PLOT_RAW; j++)
          has_smoothed = has_smoothed || ((MhPlotSeries *) self->series->pdata[j])->source == (int) i;
        if (!s->visible || has_smoothed)   /* the raw trace's spikes would flatten the rest */
          continue;
        for (guint k = 0; k < pts->len; k++)
          {
            double x = g_array_index (pts, MhPlotPoint, k).x, y = _mh_plot_y_value (self, s, k);
            if (x < self->x0 || x > self->x1 || !isfinite (y) || (self->log_scale && y <= 0))
              continue;
            lo = MIN (lo, y), hi = MAX (hi, y);
          }
      }
  if (!isfinite (lo))
    lo = self->log_scale ? 0.1 : 0, hi = 1;
  if (self->log_scale)
    {
      lo = log10 (MAX (lo, 1e-12)), hi = log10 (MAX (hi, 1e-12));
      log_ticks (&lo, &hi, self->y_ticks);
    }
  else
    {
      if (hi - lo < 1e-9)
        lo -= 0.5, hi += 0.5;
      linear_ticks (&lo, &hi, 5, isnan (self->fixed_y0), self->y_ticks);
    }
  self->y0 = lo, self->y1 = hi;
  /* to whole ticks while it grows: the axis stays put for many updates */
  linear_ticks (&self->x0, &self->x1, 7, isnan (self->zoom_x0), self->x_ticks);
}

/* ---- normalising ----------------------------------------------------------- */

static void
layout_legend (MhPlot *self, int width)
{
  double x, y = PAD, line, first;
  int tw, th;

  text_size (self, self->title ? self->title : "", 1.0, TRUE, &tw, &th);
  line = th + 4;
  x = first = PAD + tw + 20;
  /* left to right after the title, on more lines when they do not fit */
  for (guint i = 0; i < self->series->len; i++)
    {
      MhPlotSeries *s = self->series->pdata[i];
      int w, h;
      s->legend = GRAPHENE_RECT_INIT (0, 0, 0, 0);
      if (s->style == MH_PLOT_RAW)
        continue;
      text_size (self, s->label, 0.85, FALSE, &w, &h);
      w += (int) (LEGEND_DOT + 6);
      if (x + w > width - PAD && x > first)
        x = first, y += line;
      s->legend = GRAPHENE_RECT_INIT ((float) x, (float) y, (float) w, (float) line);
      x += w + 14;
    }
  self->header = y + line + 6;
}

static void
series_path (MhPlot *self, MhPlotSeries *s)
{
  const GArray *pts = _mh_plot_points (self, s);
  double lo_px = self->frame.origin.x, hi_px = lo_px + self->frame.size.width;
  int column = G_MININT;
  MhPlotPoint first = { 0 }, low = { 0 }, high = { 0 }, last = { 0 };
  guint n_in = 0;

  g_array_set_size (s->path, 0);
  if (!s->visible)
    return;
  for (guint i = 0; i < pts->len; i++)
    {
      double x = g_array_index (pts, MhPlotPoint, i).x, y = _mh_plot_y_value (self, s, i), px, py;
      int c;
      if (!mh_plot_value_to_point (self, x, y, &px, &py) || px < lo_px - 40 || px > hi_px + 40)
        continue;
      c = (int) floor (px);
      if (s->style == MH_PLOT_MARKERS || pts->len < (guint) self->frame.size.width)
        {
          {
              MhPlotPoint q = { px, py };
              g_array_append_val (s->path, q);
            }
          continue;
        }
      /* one pixel column: its first, lowest, highest and last points */
      if (c != column)
        {
          if (n_in > 0)
            {
              g_array_append_val (s->path, first);
              if (n_in > 2)
                {
                  gboolean low_first = low.x <= high.x;
                  MhPlotPoint a = low_first ? low : high, b = low_first ? high : low;
                  g_array_append_val (s->path, a);
                  g_array_append_val (s->path, b);
                }
              if (n_in > 1)
                g_array_append_val (s->path, last);
            }
          column = c;
          first = low = high = last = (MhPlotPoint) { px, py };
          n_in = 0;
        }
      n_in++;
      last = (MhPlotPoint) { px, py };
      if (py > low.y)
        low = last;
      if (py < high.y)
        high = last;
    }
  if (n_in > 0)
    {
      g_array_append_val (s->path, first);
      if (n_in > 1)
        g_array_append_val (s->path, last);
    }
}

void
_mh_plot_normalise (MhPlot *self, int width, int height)
{
  double left = 0;
  int w, h;
  char buf[32];

  self->width = width, self->height = height;
  self->dirty = FALSE;   /* mh_plot_value_to_point() below must not come back here */
  for (guint i = 0; i < self->series->len; i++)
    {
      MhPlotSeries *s = self->series->pdata[i];
      if (s->style == MH_PLOT_SMOOTHED)
        smooth (self, s);
    }
  x_range (self);
  y_range (self);
  layout_legend (self, width);
  for (guint i = 0; i < self->y_ticks->len; i++)
    {
      double t = g_array_index (self->y_ticks, double, i);
      double step = self->y_ticks->len > 1 ? fabs (g_array_index (self->y_ticks, double, 1)
                                                   - g_array_index (self->y_ticks, double, 0)) : 1;
      format_value (self->log_scale ? pow (10, t) : t, self->log_scale ? pow (10, t) : step, buf, sizeof buf);
      text_size (self, buf, 0.8, FALSE, &w, &h);
      left = MAX (left, w);
    }
  text_size (self, "0", 0.8, FALSE, &w, &h);
  self->frame = GRAPHENE_RECT_INIT ((float) (PAD + left + TICK_GAP), (float) self->header,
                                    (float) MAX (1, width - (PAD + left + TICK_GAP) - PAD - 4),
                                    (float) MAX (1, height - self->header - h - TICK_GAP - PAD));
  for (guint i = 0; i < self->series->len; i++)
    series_path (self, self->series->pdata[i]);
  {
    GString *key = g_string_new (NULL);
    g_string_append_printf (key, "%d %d %.17g %.17g %.17g %.17g %d %u %s %s", width, height, self->x0, self->x1,
                            self->y0, self->y1, self->log_scale, self->marks->len, self->title ? self->title : "",
                            self->x_label ? self->x_label : "");
    for (guint i = 0; i < self->series->len; i++)
      g_string_append_c (key, ((MhPlotSeries *) self->series->pdata[i])->visible ? '1' : '0');
    if (g_strcmp0 (key->str, self->axis_key) != 0)
      {
        g_free (self->axis_key);
        self->axis_key = g_string_free (key, FALSE);
        g_clear_pointer (&self->axis_cache, gsk_render_node_unref);
      }
    else
      g_string_free (key, TRUE);
  }
}

/* ---- the cached layers -------------------------------------------------------- */

static void
grid_layer (MhPlot *self, GtkSnapshot *snap, const MhPlotPalette *pal)
{
  const graphene_rect_t *f = &self->frame;
  char buf[32];

  for (guint i = 0; i < self->y_ticks->len; i++)
    {
      double t = g_array_index (self->y_ticks, double, i), px, py, v = self->log_scale ? pow (10, t) : t;
      double step = self->y_ticks->len > 1 ? fabs (g_array_index (self->y_ticks, double, 1)
                                                   - g_array_index (self->y_ticks, double, 0)) : 1;
      if (!mh_plot_value_to_point (self, self->x0, v, &px, &py))
        continue;
      gtk_snapshot_append_color (snap, &pal->grid, &GRAPHENE_RECT_INIT (f->origin.x, (float) round (py), f->size.width, 1));
      format_value (v, self->log_scale ? v : step, buf, sizeof buf);
      draw_text (self, snap, buf, f->origin.x - TICK_GAP, py - 8, 1, 0.8, FALSE, &pal->dim);
    }
  for (guint i = 0; i < self->x_ticks->len; i++)
    {
      double t = g_array_index (self->x_ticks, double, i), px, py;
      if (t < self->x0 || t > self->x1 || !mh_plot_value_to_point (self, t, pow (10, self->y0), &px, &py))
        continue;
      format_value (t, 1, buf, sizeof buf);
      draw_text (self, snap, buf, px, f->origin.y + f->size.height + 4, i == 0 && px - f->origin.x < 10 ? 0 : 0.5,
                 0.8, FALSE, &pal->dim);
    }
  if (self->x_label != NULL)
    draw_text (self, snap, self->x_label, f->origin.x + f->size.width, f->origin.y + f->size.height + 4 + 14,
               1, 0.75, FALSE, &pal->dim);
  {
    GdkRGBA axis = pal->fg;
    axis.alpha = 0.35f;
    gtk_snapshot_append_color (snap, &axis, &GRAPHENE_RECT_INIT (f->origin.x, f->origin.y + f->size.height - 1,
                                                                 f->size.width, 1));
  }
}

static void
marks_layer (MhPlot *self, GtkSnapshot *snap, const MhPlotPalette *pal)
{
  const graphene_rect_t *f = &self->frame;
  GdkRGBA line = pal->fg;
  double last_line = -INFINITY, last_label = -INFINITY;

  line.alpha = 0.18f;
  /* marks closer than a few pixels would be a grey wall: every n-th only */
  for (guint i = 0; i < self->marks->len; i++)
    {
      MhPlotMark *m = &g_array_index (self->marks, MhPlotMark, i);
      double px = f->origin.x + (m->x - self->x0) / (self->x1 - self->x0) * f->size.width;
      if (px < f->origin.x || px > f->origin.x + f->size.width || px - last_line < 24)
        continue;
      last_line = px;
      gtk_snapshot_append_color (snap, &line, &GRAPHENE_RECT_INIT ((float) round (px), f->origin.y, 1, f->size.height));
      if (m->label != NULL && px - last_label > 70 && px < f->origin.x + f->size.width - 50)
        {
          draw_text (self, snap, m->label, px + 4, f->origin.y + 2, 0, 0.72, FALSE, &pal->dim);
          last_label = px;
        }
    }
}

static void
series_layer (MhPlot *self, GtkSnapshot *snap, const MhPlotPalette *pal)
{
  const graphene_rect_t *f = &self->frame;
  cairo_t *cr;
  static const double dash[] = { 5, 4 };

  cr = gtk_snapshot_append_cairo (snap, &GRAPHENE_RECT_INIT (f->origin.x - 5, f->origin.y - 5, f->size.width + 10,
                                                              f->size.height + 10));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);   /* round joins cost a sin/cos per point */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (int pass = 0; pass < 2; pass++)   /* raw traces under the others */
    for (guint i = 0; i < self->series->len; i++)
      {
        MhPlotSeries *s = self->series->pdata[i];
        GdkRGBA c = pal->dark ? s->dark : s->light;
        if (s->path->len == 0 || (pass == 0) != (s->style == MH_PLOT_RAW))
          continue;
        cairo_new_path (cr);
        for (guint k = 0; k < s->path->len; k++)
          {
            MhPlotPoint *p = &g_array_index (s->path, MhPlotPoint, k);
            cairo_line_to (cr, p->x, p->y);
          }
        if (s->style == MH_PLOT_RAW)
          c.alpha *= 0.3f;
        /* the faint raw traces have the most points: coarser antialiasing is plenty */
        cairo_set_antialias (cr, s->style == MH_PLOT_RAW ? CAIRO_ANTIALIAS_FAST : CAIRO_ANTIALIAS_DEFAULT);
        gdk_cairo_set_source_rgba (cr, &c);
        cairo_set_line_width (cr, s->style == MH_PLOT_RAW ? 1.0 : s->style == MH_PLOT_MARKERS ? 1.6 : 2.2);
        cairo_set_dash (cr, dash, s->style == MH_PLOT_MARKERS ? 2 : 0, 0);
        cairo_stroke (cr);
        if (s->style != MH_PLOT_MARKERS)
          continue;
        cairo_set_dash (cr, NULL, 0, 0);
        for (guint k = 0; k < s->path->len; k++)
          {
            MhPlotPoint *p = &g_array_index (s->path, MhPlotPoint, k);
            cairo_new_sub_path (cr);
            cairo_arc (cr, p->x, p->y, 4, 0, 2 * G_PI);
            gdk_cairo_set_source_rgba (cr, &pal->bg);
            cairo_fill_preserve (cr);
            gdk_cairo_set_source_rgba (cr, &c);
            cairo_set_line_width (cr, 2);
            cairo_stroke (cr);
          }
      }
  cairo_destroy (cr);
}

static void
header_layer (MhPlot *self, GtkSnapshot *snap, const MhPlotPalette *pal)
{
  if (self->title != NULL)
    draw_text (self, snap, self->title, PAD + 2, PAD, 0, 1.0, TRUE, &pal->fg);
  for (guint i = 0; i < self->series->len; i++)
    {
      MhPlotSeries *s = self->series->pdata[i];
      GdkRGBA c = pal->dark ? s->dark : s->light, text = pal->fg;
      GskRoundedRect dot;
      float cy;
      if (s->legend.size.width <= 0)
        continue;
      if (!s->visible)
        c.alpha = 0.25f, text = pal->dim, text.alpha = 0.35f;
      cy = s->legend.origin.y + s->legend.size.height / 2;
      gsk_rounded_rect_init_from_rect (&dot, &GRAPHENE_RECT_INIT (s->legend.origin.x, cy - (float) LEGEND_DOT / 2 - 1,
                                                                   (float) LEGEND_DOT,
                                                                   s->style == MH_PLOT_MARKERS ? 3 : (float) LEGEND_DOT),
                                       s->style == MH_PLOT_MARKERS ? 1 : (float) LEGEND_DOT / 2);
      if (s->style == MH_PLOT_MARKERS)
        dot.bounds.origin.y += 3;
      gtk_snapshot_push_rounded_clip (snap, &dot);
      gtk_snapshot_append_color (snap, &c, &dot.bounds);
      gtk_snapshot_pop (snap);
      draw_text (self, snap, s->label, s->legend.origin.x + LEGEND_DOT + 5, s->legend.origin.y + 1, 0, 0.85,
                 FALSE, &text);
    }
}

GskRenderNode *
_mh_plot_build_axis (MhPlot *self, const MhPlotPalette *pal)
{
  GtkSnapshot *snap = gtk_snapshot_new ();

  grid_layer (self, snap, pal);
  marks_layer (self, snap, pal);
  header_layer (self, snap, pal);
  return gtk_snapshot_free_to_node (snap);
}

GskRenderNode *
_mh_plot_build_series (MhPlot *self, const MhPlotPalette *pal)
{
  GtkSnapshot *snap = gtk_snapshot_new ();

  series_layer (self, snap, pal);
  return gtk_snapshot_free_to_node (snap);
}

GskRenderNode *
_mh_plot_build (MhPlot *self, const MhPlotPalette *pal, gboolean background)
{
  GtkSnapshot *snap = gtk_snapshot_new ();

  if (background)
    gtk_snapshot_append_color (snap, &pal->bg, &GRAPHENE_RECT_INIT (0, 0, (float) self->width, (float) self->height));
  grid_layer (self, snap, pal);
  marks_layer (self, snap, pal);
  series_layer (self, snap, pal);
  header_layer (self, snap, pal);
  return gtk_snapshot_free_to_node (snap);
}

/* ---- the pointer's layer ---------------------------------------------------------- */

/* The index of the point nearest to x (points sorted by x), or -1. */
static int
nearest (const GArray *pts, double x)
{
  guint lo = 0, hi = pts->len;

  if (pts->len == 0)
    return -1;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (g_array_index (pts, MhPlotPoint, mid).x < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == pts->len || (lo > 0 && x - g_array_index (pts, MhPlotPoint, lo - 1).x
                                   < g_array_index (pts, MhPlotPoint, lo).x - x))
    lo--;
  return (int) lo;
}

static void
readout (MhPlot *self, GtkSnapshot *snap, const MhPlotPalette *pal, double x)
{
  const graphene_rect_t *f = &self->frame;
  GString *text = g_string_new (NULL);
  GPtrArray *colors = g_ptr_array_new ();
  PangoLayout *l;
  double px, py;
  int w, h, lines = 0;
  GskRoundedRect box;
  GdkRGBA bg = pal->bg, line = pal->fg;

  g_string_append_printf (text, "step %.0f", x);
  line.alpha = 0.35f;
  mh_plot_value_to_point (self, x, self->log_scale ? pow (10, self->y0) : self->y0, &px, &py);
  gtk_snapshot_append_color (snap, &line, &GRAPHENE_RECT_INIT ((float) round (px), f->origin.y, 1, f->size.height));
  for (guint i = 0; i < self->series->len; i++)
    {
      MhPlotSeries *s = self->series->pdata[i];
      const GArray *pts = _mh_plot_points (self, s);
      int k = nearest (pts, x);
      double y, dx, dy;
      if (!s->visible || s->style == MH_PLOT_RAW || k < 0)
        continue;
      if (s->style == MH_PLOT_MARKERS && fabs (g_array_index (pts, MhPlotPoint, k).x - x) > (self->x1 - self->x0) * 0.04)
        continue;   /* an epoch's figure, shown near its step only */
      y = _mh_plot_y_value (self, s, (guint) k);
      if (!isfinite (y))
        continue;
      g_string_append_printf (text, "\n%s  %.4g", s->label, y);
      if (s->style == MH_PLOT_SMOOTHED && s->source >= 0)
        g_string_append_printf (text, "  (raw %.4g)", g_array_index (pts, MhPlotPoint, k).y);
      g_ptr_array_add (colors, pal->dark ? &s->dark : &s->light);
      lines++;
      if (mh_plot_value_to_point (self, g_array_index (pts, MhPlotPoint, k).x, y, &dx, &dy)
          && dy >= f->origin.y - 4 && dy <= f->origin.y + f->size.height + 4)
        {
          GskRoundedRect dot;
          gsk_rounded_rect_init_from_rect (&dot, &GRAPHENE_RECT_INIT ((float) dx - 4, (float) dy - 4, 8, 8), 4);
          gtk_snapshot_push_rounded_clip (snap, &dot);
          gtk_snapshot_append_color (snap, pal->dark ? &s->dark : &s->light, &dot.bounds);
          gtk_snapshot_pop (snap);
        }
    }
  l = layout (self, text->str, 0.85, FALSE);
  pango_layout_get_pixel_size (l, &w, &h);
  {
    double bx = px + 14, by = f->origin.y + 6;
    if (bx + w + 28 > f->origin.x + f->size.width)
      bx = px - 14 - w - 28;
    gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT ((float) bx, (float) by, (float) w + 28,
                                                                 (float) h + 12), 6);
  }
  bg.alpha = 0.94f;
  gtk_snapshot_append_outset_shadow (snap, &box, &(GdkRGBA) { 0, 0, 0, 0.25f }, 0, 1, 0, 6);
  gtk_snapshot_push_rounded_clip (snap, &box);
  gtk_snapshot_append_color (snap, &bg, &box.bounds);
  gtk_snapshot_pop (snap);
  for (int i = 0; i < lines; i++)   /* a swatch before each series' line */
    {
      float lh = (float) h / (lines + 1);
      gtk_snapshot_append_color (snap, colors->pdata[i],
                                 &GRAPHENE_RECT_INIT (box.bounds.origin.x + 8, box.bounds.origin.y + 6 + lh * (i + 1) + lh / 2 - 3,
                                                      6, 6));
    }
  gtk_snapshot_save (snap);
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT (box.bounds.origin.x + 20, box.bounds.origin.y + 6));
  gtk_snapshot_append_layout (snap, l, &pal->fg);
  gtk_snapshot_restore (snap);
  g_object_unref (l);
  g_ptr_array_unref (colors);
  g_string_free (text, TRUE);
}

void
_mh_plot_overlay (MhPlot *self, GtkSnapshot *snap, const MhPlotPalette *pal)
{
  const graphene_rect_t *f = &self->frame;
  double x, y;

  if (self->dragging && fabs (self->drag_to - self->drag_from) > 3)
    {
      GdkRGBA band = pal->fg;
      band.alpha = 0.12f;
      gtk_snapshot_append_color (snap, &band,
                                 &GRAPHENE_RECT_INIT ((float) MIN (self->drag_from, self->drag_to), f->origin.y,
                                                      (float) fabs (self->drag_to - self->drag_from), f->size.height));
      return;
    }
  if (!self->hover || !graphene_rect_contains_point (f, &GRAPHENE_POINT_INIT ((float) self->hover_x, (float) self->hover_y)))
    return;
  if (mh_plot_point_to_value (self, self->hover_x, self->hover_y, &x, &y))
    readout (self, snap, pal, round (x));
}
