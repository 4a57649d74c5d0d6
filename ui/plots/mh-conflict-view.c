/* mh-conflict-view.c — the gradient-conflict matrix, norms and weights,
 * drawn with GtkSnapshot (colours and text; no paths). */
#include <math.h>
#include <string.h>
#include "mh-colors.h"
#include "mh-conflict-view.h"

struct _MhConflictView
{
  GtkWidget  parent_instance;

  char     **names;
  int        n;
  double    *cosine;     /* n × n */
  double    *grad_norm;  /* n */
  float     *weight;     /* n */
  char      *note;
};

G_DEFINE_FINAL_TYPE (MhConflictView, mh_conflict_view, GTK_TYPE_WIDGET)

void
mh_conflict_color (double c, gboolean dark, GdkRGBA *color)
{
  /* red 3 … a neutral grey … blue 3 */
  const GdkRGBA neg = { 0.878f, 0.106f, 0.141f, 1 }, pos = { 0.208f, 0.518f, 0.894f, 1 };
  GdkRGBA mid = dark ? (GdkRGBA) { 0.30f, 0.30f, 0.32f, 1 } : (GdkRGBA) { 0.93f, 0.93f, 0.93f, 1 };
  const GdkRGBA *end = c < 0 ? &neg : &pos;
  float t;

  if (!isfinite (c))
    {
      *color = mid;
      color->alpha = 0.4f;
      return;
    }
  t = (float) pow (fmin (1.0, fabs (c)), 0.6);   /* small cosines still show */
  color->red = mid.red + (end->red - mid.red) * t;
  color->green = mid.green + (end->green - mid.green) * t;
  color->blue = mid.blue + (end->blue - mid.blue) * t;
  color->alpha = 1;
}

static gboolean
is_dark (GtkWidget *w, GdkRGBA *fg)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (w), fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return 0.299 * fg->red + 0.587 * fg->green + 0.114 * fg->blue > 0.5;
}

static void
text_at (GtkWidget *w, GtkSnapshot *snap, const char *s, double x, double y, double ax, double ay,
         double scale, gboolean bold, const GdkRGBA *color, int max_width)
{
  PangoLayout *l = gtk_widget_create_pango_layout (w, s);
  PangoAttrList *attrs = pango_attr_list_new ();
  int lw, lh;

  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (l, attrs);
  pango_attr_list_unref (attrs);
  if (max_width > 0)
    {
      pango_layout_set_width (l, max_width * PANGO_SCALE);
      pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (l, &lw, &lh);
  gtk_snapshot_save (snap);
  gtk_snapshot_translate (snap, &GRAPHENE_POINT_INIT ((float) round (x - lw * ax), (float) round (y - lh * ay)));
  gtk_snapshot_append_layout (snap, l, color);
  gtk_snapshot_restore (snap);
  g_object_unref (l);
}

static void
round_rect (GtkSnapshot *snap, graphene_rect_t r, float radius, const GdkRGBA *color)
{
  GskRoundedRect rr;

  gsk_rounded_rect_init_from_rect (&rr, &r, radius);
  gtk_snapshot_push_rounded_clip (snap, &rr);
  gtk_snapshot_append_color (snap, color, &r);
  gtk_snapshot_pop (snap);
}

static void
draw_matrix (MhConflictView *self, GtkSnapshot *snap, double x0, double y0, double cell, gboolean dark,
             const GdkRGBA *fg)
{
  GtkWidget *w = GTK_WIDGET (self);
  GdkRGBA dim = *fg;

  dim.alpha = 0.65f;
  for (int i = 0; i < self->n; i++)
    {
      GdkRGBA hc;
      mh_head_color ((guint) i, dark, &hc);
      /* row labels on the left, column dots on top */
      text_at (w, snap, self->names[i], x0 - 10, y0 + cell * (i + 0.5), 1, 0.5, 0.9, FALSE, fg, 110);
      round_rect (snap, GRAPHENE_RECT_INIT ((float) (x0 - 8), (float) (y0 + cell * i + 6), 3, (float) cell - 12),
                  1.5f, &hc);
      round_rect (snap, GRAPHENE_RECT_INIT ((float) (x0 + cell * i + 6), (float) (y0 - 8), (float) cell - 12, 3),
                  1.5f, &hc);
      for (int j = 0; j < self->n; j++)
        {
          double c = self->cosine != NULL ? self->cosine[i * self->n + j] : NAN;
          GdkRGBA color, text = { 1, 1, 1, 1 };
          char buf[16];
          graphene_rect_t r = GRAPHENE_RECT_INIT ((float) (x0 + cell * j + 2), (float) (y0 + cell * i + 2),
                                                  (float) cell - 4, (float) cell - 4);
          mh_conflict_color (i == j ? NAN : c, dark, &color);
          round_rect (snap, r, 6, &color);
          if (i == j)
            {
              text_at (w, snap, "—", r.origin.x + r.size.width / 2, r.origin.y + r.size.height / 2, 0.5, 0.5, 0.9,
                       FALSE, &dim, -1);
              continue;
            }
          if (!isfinite (c))
            g_snprintf (buf, sizeof buf, "n/a");
          else
            g_snprintf (buf, sizeof buf, "%+.2f", c);
          if (!isfinite (c) || fabs (c) < 0.35)
            text = *fg;
          text_at (w, snap, buf, r.origin.x + r.size.width / 2, r.origin.y + r.size.height / 2, 0.5, 0.5,
                   cell >= 56 ? 1.0 : 0.85, TRUE, &text, -1);
        }
    }
}

static void
draw_scale (MhConflictView *self, GtkSnapshot *snap, double x, double y, double width, gboolean dark,
            const GdkRGBA *fg)
{
  GtkWidget *w = GTK_WIDGET (self);
  GdkRGBA dim = *fg;
  const int steps = 40;

  dim.alpha = 0.65f;
  for (int k = 0; k < steps; k++)
    {
      GdkRGBA c;
      mh_conflict_color (-1 + 2.0 * (k + 0.5) / steps, dark, &c);
      gtk_snapshot_append_color (snap, &c, &GRAPHENE_RECT_INIT ((float) (x + width * k / steps), (float) y,
                                                                (float) (width / steps + 0.5), 8));
    }
  text_at (w, snap, "−1 conflict", x, y + 12, 0, 0, 0.75, FALSE, &dim, -1);
  text_at (w, snap, "0", x + width / 2, y + 12, 0.5, 0, 0.75, FALSE, &dim, -1);
  text_at (w, snap, "agree +1", x + width, y + 12, 1, 0, 0.75, FALSE, &dim, -1);
}

static void
draw_bars (MhConflictView *self, GtkSnapshot *snap, double x, double y, double width, gboolean dark,
           const GdkRGBA *fg)
{
  GtkWidget *w = GTK_WIDGET (self);
  double max_norm = 0, max_weight = 0, row = 22, label = 96, bar = (width - label - 16) / 2;
  GdkRGBA dim = *fg, track = *fg;

  dim.alpha = 0.65f;
  track.alpha = 0.08f;
  for (int i = 0; i < self->n; i++)
    {
      if (self->grad_norm != NULL && isfinite (self->grad_norm[i]))
        max_norm = MAX (max_norm, self->grad_norm[i]);
      if (self->weight != NULL)
        max_weight = MAX (max_weight, self->weight[i]);
    }
  text_at (w, snap, "gradient norm ‖g‖", x + label, y, 0, 0, 0.78, FALSE, &dim, (int) bar);
  text_at (w, snap, "loss weight w", x + label + bar + 16, y, 0, 0, 0.78, FALSE, &dim, (int) bar);
  y += 20;
  for (int i = 0; i < self->n; i++, y += row)
    {
      GdkRGBA hc;
      char buf[32];
      double norm = self->grad_norm != NULL ? self->grad_norm[i] : NAN;
      double weight = self->weight != NULL ? self->weight[i] : NAN;

      mh_head_color ((guint) i, dark, &hc);
      text_at (w, snap, self->names[i], x + label - 8, y + row / 2, 1, 0.5, 0.85, FALSE, fg, (int) label - 8);
      for (int k = 0; k < 2; k++)
        {
          double v = k == 0 ? norm : weight, max = k == 0 ? max_norm : max_weight;
          double bx = x + label + k * (bar + 16);
          round_rect (snap, GRAPHENE_RECT_INIT ((float) bx, (float) (y + 4), (float) bar, (float) row - 8), 4, &track);
          if (isfinite (v) && max > 0)
            round_rect (snap, GRAPHENE_RECT_INIT ((float) bx, (float) (y + 4), (float) MAX (3, bar * v / max),
                                                  (float) row - 8), 4, &hc);
          if (isfinite (v))
            {
              g_snprintf (buf, sizeof buf, k == 0 ? "%.3g" : "%.2f", v);
              text_at (w, snap, buf, bx + bar - 4, y + row / 2, 1, 0.5, 0.78, TRUE, fg, -1);
            }
        }
    }
}

static void
mh_conflict_view_snapshot (GtkWidget *widget, GtkSnapshot *snap)
{
  MhConflictView *self = MH_CONFLICT_VIEW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GdkRGBA fg, dim;
  gboolean dark = is_dark (widget, &fg);
  double left = 120, top = 40, cell, bars_h;

  dim = fg;
  dim.alpha = 0.65f;
  text_at (widget, snap, "Gradient agreement", 12, 10, 0, 0, 1.0, TRUE, &fg, -1);
  text_at (widget, snap, "cosine of the heads’ gradients on the shared features", 12, 30, 0, 0, 0.78, FALSE,
           &dim, width - 24);
  if (self->n < 2)
    {
      text_at (widget, snap, self->n == 1 ? "One head: nothing to compare" : "Train to see how the heads agree",
               width / 2.0, height / 2.0, 0.5, 0.5, 1.0, FALSE, &dim, width - 24);
      return;
    }
  top = 64;
  bars_h = 20 + 22.0 * self->n + 10;
  cell = MIN ((width - left - 16) / self->n, (height - top - bars_h - 48 - (self->note ? 18 : 0)) / self->n);
  cell = CLAMP (cell, 26, 84);
  left = MAX (left, (width - cell * self->n) / 2 + 40);
  draw_matrix (self, snap, left, top, cell, dark, &fg);
  draw_scale (self, snap, left, top + cell * self->n + 8, cell * self->n, dark, &fg);
  if (self->note != NULL)
    text_at (widget, snap, self->note, 12, top + cell * self->n + 36, 0, 0, 0.78, FALSE, &dim, width - 24);
  draw_bars (self, snap, 12, top + cell * self->n + 40 + (self->note ? 18 : 0), width - 24, dark, &fg);
}

static void
mh_conflict_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                          int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 300 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 360 : 320;
}

static void
mh_conflict_view_finalize (GObject *object)
{
  MhConflictView *self = MH_CONFLICT_VIEW (object);

  g_strfreev (self->names);
  g_free (self->cosine);
  g_free (self->grad_norm);
  g_free (self->weight);
  g_free (self->note);

  G_OBJECT_CLASS (mh_conflict_view_parent_class)->finalize (object);
}

static void
mh_conflict_view_class_init (MhConflictViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = mh_conflict_view_finalize;
  widget_class->snapshot = mh_conflict_view_snapshot;
  widget_class->measure = mh_conflict_view_measure;
  gtk_widget_class_set_css_name (widget_class, "mh-conflict-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
mh_conflict_view_init (MhConflictView *self)
{
}

GtkWidget *
mh_conflict_view_new (void)
{
  return g_object_new (MH_TYPE_CONFLICT_VIEW, NULL);
}

void
mh_conflict_view_set_heads (MhConflictView *self, const char *const *names)
{
  g_strfreev (self->names);
  self->names = g_strdupv ((char **) names);
  self->n = (int) g_strv_length (self->names);
  g_clear_pointer (&self->cosine, g_free);
  g_clear_pointer (&self->grad_norm, g_free);
  g_clear_pointer (&self->weight, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
mh_conflict_view_set (MhConflictView *self, const double *cosine, const double *grad_norm, const float *weight)
{
  int n = self->n;

  if (n == 0)
    return;
  if (self->cosine == NULL)
    {
      self->cosine = g_new (double, n * n);
      self->grad_norm = g_new (double, n);
      self->weight = g_new (float, n);
    }
  memcpy (self->cosine, cosine, sizeof (double) * n * n);
  memcpy (self->grad_norm, grad_norm, sizeof (double) * n);
  memcpy (self->weight, weight, sizeof (float) * n);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
mh_conflict_view_set_note (MhConflictView *self, const char *note)
{
  if (g_strcmp0 (note, self->note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
