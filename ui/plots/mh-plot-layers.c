/* mh-plot-layers.c — grid, marks, lines, legend and the pointer's layers,
 * on a plain cairo_t. */
#include <math.h>
#include <pango/pangocairo.h>
#include "mh-plot-layers.h"

#define PAD        10.0
#define TICK_GAP    6.0
#define LEGEND_DOT  8.0

static const GdkRGBA *
color_of (const MhPlotTheme *theme, const MhPlotSeries *s)
{
  return mh_plot_theme_pick (theme, &s->light, &s->dark);
}

static GdkRGBA
with_alpha (const GdkRGBA *c, float alpha)
{
  GdkRGBA out = *c;

  out.alpha = alpha;
  return out;
}

/* ---- grid ------------------------------------------------------------------------ */

void
mh_plot_layer_grid (const MhPlotFigure *f, cairo_t *cr, const MhPlotTheme *theme, gpointer data)
{
  const MhPlotRect *fr = &f->frame;
  double bottom = fr->y + fr->height;
  GdkRGBA axis = with_alpha (&theme->fg, 0.35f);
  char buf[32];

  for (guint i = 0; i < f->y.n_ticks; i++)
    {
      double v = mh_plot_axis_tick (&f->y, i), t, py;
      if (!mh_plot_axis_to_unit (&f->y, v, &t))
        continue;
      py = round (bottom - t * fr->height);
      mh_plot_fill_rect (cr, fr->x, py, fr->width, 1, 0, &theme->grid);
      mh_plot_axis_format (&f->y, v, buf, sizeof buf);
      mh_plot_text (cr, theme, buf, fr->x - TICK_GAP, py + 0.5, 1, 0.5, 0.8, FALSE, &theme->dim, -1);
    }
  for (guint i = 0; i < f->x.n_ticks; i++)
    {
      double v = mh_plot_axis_tick (&f->x, i), t, px;
      if (!mh_plot_axis_to_unit (&f->x, v, &t) || t < -1e-9 || t > 1 + 1e-9)
        continue;
      px = fr->x + t * fr->width;
      mh_plot_axis_format (&f->x, v, buf, sizeof buf);
      mh_plot_text (cr, theme, buf, px, bottom + 4, i == 0 && px - fr->x < 10 ? 0 : 0.5, 0, 0.8, FALSE, &theme->dim,
                    -1);
    }
  if (f->x_label != NULL)
    mh_plot_text (cr, theme, f->x_label, fr->x + fr->width, bottom + 4 + 14, 1, 0, 0.75, FALSE, &theme->dim, -1);
  mh_plot_fill_rect (cr, fr->x, bottom - 1, fr->width, 1, 0, &axis);
}

/* ---- marks ------------------------------------------------------------------------ */

void
mh_plot_layer_marks (const MhPlotFigure *f, cairo_t *cr, const MhPlotTheme *theme, gpointer data)
{
  const MhPlotRect *fr = &f->frame;
  GdkRGBA line = with_alpha (&theme->fg, 0.18f);
  double last_line = -INFINITY, last_label = -INFINITY;

  /* marks closer than a few pixels would be a grey wall: every n-th only */
  for (guint i = 0; i < f->marks->len; i++)
    {
      const MhPlotMark *m = &g_array_index (f->marks, MhPlotMark, i);
      double t, px;
      if (!mh_plot_axis_to_unit (&f->x, m->x, &t))
        continue;
      px = fr->x + t * fr->width;
      if (px < fr->x || px > fr->x + fr->width || px - last_line < 24)
        continue;
      last_line = px;
      mh_plot_fill_rect (cr, round (px), fr->y, 1, fr->height, 0, &line);
      if (m->label != NULL && px - last_label > 70 && px < fr->x + fr->width - 50)
        {
          mh_plot_text (cr, theme, m->label, px + 4, fr->y + 2, 0, 0, 0.72, FALSE, &theme->dim, -1);
          last_label = px;
        }
    }
}

/* ---- lines ------------------------------------------------------------------------ */

static void
set_dash (cairo_t *cr, const MhPlotSeries *s)
{
  static const double dashed[] = { 5, 4 }, dotted[] = { 0.1, 3.5 };
  MhPlotDash dash = s->dash;

  if (dash == MH_PLOT_DASH_DEFAULT)
    dash = s->style == MH_PLOT_MARKERS ? MH_PLOT_DASH_DASHED : MH_PLOT_DASH_SOLID;
  cairo_set_line_cap (cr, dash == MH_PLOT_DASH_DOTTED ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
  if (dash == MH_PLOT_DASH_DASHED)
    cairo_set_dash (cr, dashed, 2, 0);
  else if (dash == MH_PLOT_DASH_DOTTED)
    cairo_set_dash (cr, dotted, 2, 0);
  else
    cairo_set_dash (cr, NULL, 0, 0);
}

static double
line_width (const MhPlotSeries *s)
{
  if (s->width > 0)
    return s->width;
  return s->style == MH_PLOT_RAW ? 1.0 : s->style == MH_PLOT_MARKERS ? 1.6 : 2.2;
}

static void
dots (cairo_t *cr, const MhPlotTheme *theme, const MhPlotSeries *s, const GdkRGBA *c)
{
  gboolean ring = s->style == MH_PLOT_MARKERS;

  cairo_set_dash (cr, NULL, 0, 0);
  for (guint k = 0; k < s->path->len; k++)
    {
      const MhPlotPoint *p = &g_array_index (s->path, MhPlotPoint, k);
      cairo_new_path (cr);
      cairo_arc (cr, p->x, p->y, ring ? 4 : 4.5, 0, 2 * G_PI);
      gdk_cairo_set_source_rgba (cr, ring ? &theme->bg : c);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, ring ? c : &theme->bg);
      cairo_set_line_width (cr, ring ? 2 : 1.2);
      cairo_stroke (cr);
    }
}

void
mh_plot_layer_lines (const MhPlotFigure *f, cairo_t *cr, const MhPlotTheme *theme, gpointer data)
{
  const MhPlotRect *fr = &f->frame;

  cairo_rectangle (cr, fr->x - 5, fr->y - 5, fr->width + 10, fr->height + 10);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);   /* round joins cost a sin/cos per point */
  for (int pass = 0; pass < 2; pass++)   /* raw traces under the others */
    for (guint i = 0; i < f->series->len; i++)
      {
        const MhPlotSeries *s = f->series->pdata[i];
        GdkRGBA c = *color_of (theme, s);
        if (s->path->len == 0 || (pass == 0) != (s->style == MH_PLOT_RAW))
          continue;
        if (s->style != MH_PLOT_POINTS)
          {
            cairo_new_path (cr);
            for (guint k = 0; k < s->path->len; k++)
              {
                const MhPlotPoint *p = &g_array_index (s->path, MhPlotPoint, k);
                cairo_line_to (cr, p->x, p->y);
              }
            if (s->style == MH_PLOT_RAW)
              c.alpha *= 0.3f;
            /* the faint raw traces have the most points: coarser antialiasing is plenty */
            cairo_set_antialias (cr, s->style == MH_PLOT_RAW ? CAIRO_ANTIALIAS_FAST : CAIRO_ANTIALIAS_DEFAULT);
            gdk_cairo_set_source_rgba (cr, &c);
            cairo_set_line_width (cr, line_width (s));
            set_dash (cr, s);
            cairo_stroke (cr);
            cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
          }
        if (s->style == MH_PLOT_MARKERS || s->style == MH_PLOT_POINTS)
          dots (cr, theme, s, &c);
      }
}

/* ---- legend ----------------------------------------------------------------------- */

void
mh_plot_layer_legend (const MhPlotFigure *f, cairo_t *cr, const MhPlotTheme *theme, gpointer data)
{
  if (f->title != NULL)
    mh_plot_text (cr, theme, f->title, PAD + 2, PAD, 0, 0, 1.0, TRUE, &theme->fg, -1);
  for (guint i = 0; i < f->series->len; i++)
    {
      const MhPlotSeries *s = f->series->pdata[i];
      const MhPlotRect *r = &s->legend;
      GdkRGBA c = *color_of (theme, s), text = theme->fg;
      double cy = r->y + r->height / 2;
      if (r->width <= 0)
        continue;
      if (!s->visible)
        c.alpha = 0.25f, text = theme->dim, text.alpha = 0.35f;
      if (s->style == MH_PLOT_MARKERS)
        mh_plot_fill_rect (cr, r->x, cy - 1.5, LEGEND_DOT, 3, 1, &c);
      else if (s->dash == MH_PLOT_DASH_DASHED || s->dash == MH_PLOT_DASH_DOTTED)
        {
          /* a run told apart by its dash: a sample of the line */
          cairo_new_path (cr);
          cairo_move_to (cr, r->x - 2, cy);
          cairo_line_to (cr, r->x + LEGEND_DOT + 2, cy);
          gdk_cairo_set_source_rgba (cr, &c);
          cairo_set_line_width (cr, 2);
          set_dash (cr, s);
          cairo_stroke (cr);
        }
      else
        mh_plot_fill_rect (cr, r->x, cy - LEGEND_DOT / 2, LEGEND_DOT, LEGEND_DOT, LEGEND_DOT / 2, &c);
      mh_plot_text (cr, theme, s->label, r->x + LEGEND_DOT + 5, cy, 0, 0.5, 0.85, FALSE, &text, -1);
    }
}

/* ---- the pointer ------------------------------------------------------------------ */

void
mh_plot_layer_readout (const MhPlotFigure *f, cairo_t *cr, const MhPlotTheme *theme, double px, double py)
{
  const MhPlotRect *fr = &f->frame;
  g_autoptr(GArray) readings = mh_plot_figure_read (f, px, py);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PangoLayout) l = NULL;
  GdkRGBA line = with_alpha (&theme->fg, 0.35f), bg = with_alpha (&theme->bg, 0.94f);
  double x, y, lx, bx, by, lh;
  int w, h;
  char buf[32];

  if (!mh_plot_figure_unmap (f, px, py, &x, &y))
    return;
  if (readings->len > 0)   /* the line goes through the points read */
    {
      x = g_array_index (readings, MhPlotReading, 0).x;
      if (!mh_plot_figure_map (f, x, mh_plot_axis_lower (&f->y), &lx, &y))
        lx = px;
    }
  else
    lx = px;
  mh_plot_fill_rect (cr, round (lx), fr->y, 1, fr->height, 0, &line);
  {
    MhPlotAxis digits = f->x;
    digits.step = MIN (digits.step, 1);   /* a step is a whole number, a fraction has its digits */
    mh_plot_axis_format (&digits, x, buf, sizeof buf);
  }
  g_string_append_printf (text, "%s%s%s", f->x_label ? f->x_label : "", f->x_label ? " " : "", buf);
  for (guint i = 0; i < readings->len; i++)
    {
      const MhPlotReading *r = &g_array_index (readings, MhPlotReading, i);
      double dx, dy;
      g_string_append_printf (text, "\n%s  %.4g", r->series->label, r->y);
      if (r->series->style == MH_PLOT_SMOOTHED && r->series->source != NULL)
        g_string_append_printf (text, "  (raw %.4g)", r->raw);
      if (mh_plot_figure_map (f, r->x, r->y, &dx, &dy) && dy >= fr->y - 4 && dy <= fr->y + fr->height + 4)
        mh_plot_fill_rect (cr, dx - 4, dy - 4, 8, 8, 4, color_of (theme, r->series));
    }
  l = mh_plot_text_layout (theme, text->str, 0.85, FALSE, -1);
  pango_layout_get_pixel_size (l, &w, &h);
  bx = lx + 14, by = fr->y + 6;
  if (bx + w + 28 > fr->x + fr->width)
    bx = lx - 14 - w - 28;
  for (int k = 3; k >= 1; k--)   /* a soft shadow */
    {
      GdkRGBA shade = { 0, 0, 0, 0.06f };
      mh_plot_fill_rect (cr, bx - k, by + 1 - k, w + 28 + 2 * k, h + 12 + 2 * k, 6 + k, &shade);
    }
  mh_plot_fill_rect (cr, bx, by, w + 28, h + 12, 6, &bg);
  lh = (double) h / (readings->len + 1);
  for (guint i = 0; i < readings->len; i++)   /* a swatch before each series' line */
    mh_plot_fill_rect (cr, bx + 8, by + 6 + lh * (i + 1) + lh / 2 - 3, 6, 6, 0,
                       color_of (theme, g_array_index (readings, MhPlotReading, i).series));
  cairo_move_to (cr, bx + 20, by + 6);
  gdk_cairo_set_source_rgba (cr, &theme->fg);
  pango_cairo_show_layout (cr, l);
}

void
mh_plot_layer_band (const MhPlotFigure *f, cairo_t *cr, const MhPlotTheme *theme, double x0, double x1)
{
  GdkRGBA band = with_alpha (&theme->fg, 0.12f);

  mh_plot_fill_rect (cr, MIN (x0, x1), f->frame.y, fabs (x1 - x0), f->frame.height, 0, &band);
}
