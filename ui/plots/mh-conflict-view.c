/* mh-conflict-view.c — the gradient-conflict matrix, norms and weights,
 * drawn on a cairo_t with the plots' theme (mh-plot-theme.h): on screen
 * as one render node, or into a PNG, SVG or PDF file. */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-colors.h"
#include "mh-conflict-view.h"
#include "mh-file-chooser.h"
#include "mh-plot-theme.h"

struct _MhConflictView
{
  GtkWidget  parent_instance;

  char     **names;
  int        n;
  double    *cosine;     /* n × n */
  double    *grad_norm;  /* n */
  float     *weight;     /* n */
  char      *note;
  MhPlotTheme theme;
  GtkWidget *menu;
  gint64     last_draw;  /* when new figures were last shown */
  guint      redraw_id;  /* a timeout to the next redraw */
};

/* New figures come with every event (30 a second); a moving average is
 * read, not watched: the matrix is drawn again at most 5 times a second. */
#define MIN_REDRAW_US (G_USEC_PER_SEC / 5)

G_DEFINE_FINAL_TYPE (MhConflictView, mh_conflict_view, GTK_TYPE_WIDGET)

void
mh_conflict_color (double c, gboolean dark, GdkRGBA *color)
{
  g_return_if_fail (color != NULL);

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

static void
draw_matrix (MhConflictView *self, cairo_t *cr, const MhPlotTheme *theme, double x0, double y0, double cell)
{
  for (int i = 0; i < self->n; i++)
    {
      GdkRGBA hc;
      mh_head_color ((guint) i, theme->dark, &hc);
      /* row labels on the left, column bars on top */
      mh_plot_text (cr, theme, self->names[i], x0 - 10, y0 + cell * (i + 0.5), 1, 0.5, 0.9, FALSE, &theme->fg, 110);
      mh_plot_fill_rect (cr, x0 - 8, y0 + cell * i + 6, 3, cell - 12, 1.5, &hc);
      mh_plot_fill_rect (cr, x0 + cell * i + 6, y0 - 8, cell - 12, 3, 1.5, &hc);
      for (int j = 0; j < self->n; j++)
        {
          double c = self->cosine != NULL ? self->cosine[i * self->n + j] : NAN;
          double rx = x0 + cell * j + 2, ry = y0 + cell * i + 2, side = cell - 4;
          GdkRGBA color, text = { 1, 1, 1, 1 };
          char buf[16];
          mh_conflict_color (i == j ? NAN : c, theme->dark, &color);
          mh_plot_fill_rect (cr, rx, ry, side, side, 6, &color);
          if (i == j)
            {
              mh_plot_text (cr, theme, "—", rx + side / 2, ry + side / 2, 0.5, 0.5, 0.9, FALSE, &theme->dim, -1);
              continue;
            }
          if (!isfinite (c) || fabs (c) < 0.35)
            text = theme->fg;
          /* the figure as it fits the cell: two decimals, one, or only the colour (a small window) */
          for (int digits = 2; digits >= 1; digits--)
            {
              int tw, th;
              if (!isfinite (c))
                g_snprintf (buf, sizeof buf, "n/a");
              else
                g_snprintf (buf, sizeof buf, "%+.*f", digits, c);
              mh_plot_text_size (theme, buf, cell >= 56 ? 1.0 : 0.85, TRUE, &tw, &th);
              if (tw <= side - 4)
                {
                  mh_plot_text (cr, theme, buf, rx + side / 2, ry + side / 2, 0.5, 0.5, cell >= 56 ? 1.0 : 0.85, TRUE,
                                &text, -1);
                  break;
                }
            }
        }
    }
}

static void
draw_scale (cairo_t *cr, const MhPlotTheme *theme, double x, double y, double width)
{
  const int steps = 40;

  for (int k = 0; k < steps; k++)
    {
      GdkRGBA c;
      mh_conflict_color (-1 + 2.0 * (k + 0.5) / steps, theme->dark, &c);
      mh_plot_fill_rect (cr, x + width * k / steps, y, width / steps + 0.5, 8, 0, &c);
    }
  {
    /* the words while they fit beside the 0, the numbers alone when not */
    const char *lo = _("−1 conflict"), *hi = _("agree +1");
    int lw, hw, zw, h;
    mh_plot_text_size (theme, lo, 0.75, FALSE, &lw, &h);
    mh_plot_text_size (theme, hi, 0.75, FALSE, &hw, &h);
    mh_plot_text_size (theme, "0", 0.75, FALSE, &zw, &h);
    if (MAX (lw, hw) + zw / 2 + 6 > width / 2)
      lo = "−1", hi = "+1";
    mh_plot_text (cr, theme, lo, x, y + 12, 0, 0, 0.75, FALSE, &theme->dim, -1);
    mh_plot_text (cr, theme, "0", x + width / 2, y + 12, 0.5, 0, 0.75, FALSE, &theme->dim, -1);
    mh_plot_text (cr, theme, hi, x + width, y + 12, 1, 0, 0.75, FALSE, &theme->dim, -1);
  }
}

static void
draw_bars (MhConflictView *self, cairo_t *cr, const MhPlotTheme *theme, double x, double y, double width)
{
  double max_norm = 0, max_weight = 0, row = 22, label = 96, bar = (width - label - 16) / 2;
  GdkRGBA track = theme->fg;

  track.alpha = 0.08f;
  for (int i = 0; i < self->n; i++)
    {
      if (self->grad_norm != NULL && isfinite (self->grad_norm[i]))
        max_norm = MAX (max_norm, self->grad_norm[i]);
      if (self->weight != NULL)
        max_weight = MAX (max_weight, self->weight[i]);
    }
  mh_plot_text (cr, theme, _("gradient norm ‖g‖"), x + label, y, 0, 0, 0.78, FALSE, &theme->dim, (int) bar);
  mh_plot_text (cr, theme, _("loss weight w"), x + label + bar + 16, y, 0, 0, 0.78, FALSE, &theme->dim, (int) bar);
  y += 20;
  for (int i = 0; i < self->n; i++, y += row)
    {
      GdkRGBA hc;
      char buf[32];
      double norm = self->grad_norm != NULL ? self->grad_norm[i] : NAN;
      double weight = self->weight != NULL ? self->weight[i] : NAN;

      mh_head_color ((guint) i, theme->dark, &hc);
      mh_plot_text (cr, theme, self->names[i], x + label - 8, y + row / 2, 1, 0.5, 0.85, FALSE, &theme->fg,
                    (int) label - 8);
      for (int k = 0; k < 2; k++)
        {
          double v = k == 0 ? norm : weight, max = k == 0 ? max_norm : max_weight;
          double bx = x + label + k * (bar + 16);
          mh_plot_fill_rect (cr, bx, y + 4, bar, row - 8, 4, &track);
          if (isfinite (v) && max > 0)
            mh_plot_fill_rect (cr, bx, y + 4, MAX (3, bar * v / max), row - 8, 4, &hc);
          if (isfinite (v))
            {
              g_snprintf (buf, sizeof buf, k == 0 ? "%.3g" : "%.2f", v);
              mh_plot_text (cr, theme, buf, bx + bar - 4, y + row / 2, 1, 0.5, 0.78, TRUE, &theme->fg, -1);
            }
        }
    }
}

static void
draw (cairo_t *cr, int width, int height, const MhPlotTheme *theme, gpointer data)
{
  MhConflictView *self = data;
  double left = 120, top = 64, cell, bars_h;

  mh_plot_text (cr, theme, _("Gradient agreement"), 12, 10, 0, 0, 1.0, TRUE, &theme->fg, -1);
  mh_plot_text (cr, theme, _("cosine of the heads’ gradients on the shared features"), 12, 30, 0, 0, 0.78, FALSE,
                &theme->dim, width - 24);
  if (self->n < 2)
    {
      mh_plot_text (cr, theme, self->n == 1 ? _("One head: nothing to compare") : _("Train to see how the heads agree"),
                    width / 2.0, height / 2.0, 0.5, 0.5, 1.0, FALSE, &theme->dim, width - 24);
      return;
    }
  bars_h = 20 + 22.0 * self->n + 10;
  cell = MIN ((width - left - 16) / self->n, (height - top - bars_h - 48 - (self->note ? 18 : 0)) / self->n);
  cell = CLAMP (cell, 26, 84);
  left = MAX (left, (width - cell * self->n) / 2 + 40);
  draw_matrix (self, cr, theme, left, top, cell);
  draw_scale (cr, theme, left, top + cell * self->n + 8, cell * self->n);
  if (self->note != NULL)
    mh_plot_text (cr, theme, self->note, 12, top + cell * self->n + 36, 0, 0, 0.78, FALSE, &theme->dim, width - 24);
  draw_bars (self, cr, theme, 12, top + cell * self->n + 40 + (self->note ? 18 : 0), width - 24);
}

static void
mh_conflict_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MhConflictView *self = MH_CONFLICT_VIEW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));

  mh_plot_theme_update_for_widget (&self->theme, widget);
  draw (cr, width, height, &self->theme, self);
  cairo_destroy (cr);
}

gboolean
mh_conflict_view_export (MhConflictView *self, const char *path, int width, int height, GError **error)
{
  g_return_val_if_fail (MH_IS_CONFLICT_VIEW (self), FALSE);

  mh_plot_theme_update_for_widget (&self->theme, GTK_WIDGET (self));
  return mh_plot_export_drawing (path, width, height, &self->theme, draw, self, error);
}

static gboolean
export_at_size (GtkWidget *widget, const char *path, GError **error)
{
  return mh_conflict_view_export (MH_CONFLICT_VIEW (widget), path, MAX (gtk_widget_get_width (widget), 480),
                                  MAX (gtk_widget_get_height (widget), 400), error);
}

static void
action_export (GtkWidget *widget, const char *name, GVariant *param)
{
  mh_file_chooser_export (widget, _("Export Gradient Agreement (PNG, SVG or PDF)"), "gradient-agreement.png",
                          export_at_size);
}

static void
pressed (GtkGestureClick *gesture, int n_press, double x, double y, MhConflictView *self)
{
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
mh_conflict_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  gtk_popover_present (GTK_POPOVER (MH_CONFLICT_VIEW (widget)->menu));
}

static void
mh_conflict_view_system_setting_changed (GtkWidget *widget, GtkSystemSetting setting)
{
  GTK_WIDGET_CLASS (mh_conflict_view_parent_class)->system_setting_changed (widget, setting);
  mh_plot_theme_clear (&MH_CONFLICT_VIEW (widget)->theme);   /* the font: made again at the next frame */
  gtk_widget_queue_draw (widget);
}

static void
mh_conflict_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                          int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 300 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 360 : 320;
}

static void
mh_conflict_view_dispose (GObject *object)
{
  MhConflictView *self = MH_CONFLICT_VIEW (object);

  g_clear_handle_id (&self->redraw_id, g_source_remove);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  mh_plot_theme_clear (&self->theme);
  G_OBJECT_CLASS (mh_conflict_view_parent_class)->dispose (object);
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

  object_class->dispose = mh_conflict_view_dispose;
  object_class->finalize = mh_conflict_view_finalize;
  widget_class->snapshot = mh_conflict_view_snapshot;
  widget_class->measure = mh_conflict_view_measure;
  widget_class->size_allocate = mh_conflict_view_size_allocate;
  widget_class->system_setting_changed = mh_conflict_view_system_setting_changed;
  gtk_widget_class_install_action (widget_class, "conflict.export", NULL, action_export);
  gtk_widget_class_set_css_name (widget_class, "mh-conflict-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
mh_conflict_view_init (MhConflictView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  g_autoptr(GMenu) menu = g_menu_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_menu_append (menu, _("E_xport Image…"), "conflict.export");
  self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
}

GtkWidget *
mh_conflict_view_new (void)
{
  return g_object_new (MH_TYPE_CONFLICT_VIEW, NULL);
}

void
mh_conflict_view_set_heads (MhConflictView *self, const char *const *names)
{
  g_return_if_fail (MH_IS_CONFLICT_VIEW (self));
  g_return_if_fail (names != NULL);

  g_strfreev (self->names);
  self->names = g_strdupv ((char **) names);
  self->n = (int) g_strv_length (self->names);
  g_clear_pointer (&self->cosine, g_free);
  g_clear_pointer (&self->grad_norm, g_free);
  g_clear_pointer (&self->weight, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
redraw_now (gpointer data)
{
  MhConflictView *self = data;

  self->redraw_id = 0;
  self->last_draw = g_get_monotonic_time ();
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

void
mh_conflict_view_set (MhConflictView *self, const double *cosine, const double *grad_norm, const float *weight)
{
  int n;

  g_return_if_fail (MH_IS_CONFLICT_VIEW (self));
  g_return_if_fail (cosine != NULL && grad_norm != NULL && weight != NULL);

  n = self->n;
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
  if (self->redraw_id == 0)
    {
      gint64 wait = self->last_draw + MIN_REDRAW_US - g_get_monotonic_time ();
      if (wait > 1000 && gtk_widget_get_mapped (GTK_WIDGET (self)))
        self->redraw_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((wait + 999) / 1000), redraw_now, self, NULL);
      else
        redraw_now (self);
    }
}

void
mh_conflict_view_set_note (MhConflictView *self, const char *note)
{
  g_return_if_fail (MH_IS_CONFLICT_VIEW (self));

  if (g_strcmp0 (note, self->note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
