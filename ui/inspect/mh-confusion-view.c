/* mh-confusion-view.c — a classification head's confusion matrix on the test
 * set, drawn on a cairo_t with the plots' theme (mh-plot-theme.h): rows the
 * true classes, columns the answers, each cell's share of its row, green on
 * the diagonal and red off it; on screen, or into a PNG, SVG or PDF file. */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-drop-down.h"
#include "mh-format.h"
#include <string.h>
#include <adwaita.h>
#include "mh-fit-label.h"
#include "mh-confusion-view.h"
#include "mh-file-chooser.h"
#include "mh-plot-theme.h"

#define MARGIN 12

struct _MhConfusionView
{
  GtkWidget   parent_instance;

  GtkWidget  *box, *stack, *area, *empty, *head_drop, *summary;
  int         n_heads;
  char      **head_names;   /* n_heads, NULL-terminated */
  int        *head_k;       /* 0: not a classification head */
  char     ***class_names;
  int       **confusion, **truth, **answers;
  double     *accuracy;
  int         n, step;
  int         head;         /* shown */
  GArray     *choice;       /* drop-down position → head */
  int         hover_t, hover_a;
  MhPlotTheme theme;
  gboolean    exporting;    /* drawing into a file: no hints about clicking */
};

G_DEFINE_FINAL_TYPE (MhConfusionView, mh_confusion_view, GTK_TYPE_WIDGET)

enum { SIGNAL_CELL_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  double   x0, y0, cell, label_w;
  double   column_h;   /* rotated column labels: their length; 0: level */
} Geometry;

/* The widest class name of the head shown, in pixels. */
static int
widest_name (MhConfusionView *self, int k)
{
  int widest = 0;

  for (int t = 0; t < k && self->class_names != NULL && self->class_names[self->head] != NULL; t++)
    {
      int w = 0, h = 0;
      if (self->class_names[self->head][t] == NULL)
        break;
      mh_plot_text_size (&self->theme, self->class_names[self->head][t], 0.78, FALSE, &w, &h);
      widest = MAX (widest, w);
    }
  return widest;
}

/* The cells as large as fit; column labels that do not fit over a cell
 * are turned to read upwards (whole up to 110 px, then ellipsized). */
static void
layout (MhConfusionView *self, int width, int height, Geometry *g)
{
  int k = MAX (1, self->head_k[self->head]);
  int widest = widest_name (self, k);

  g->label_w = 110;
  g->column_h = 0;
  g->cell = MIN ((width - g->label_w - 2 * MARGIN - 40) / k, (height - 2 * MARGIN - 44) / k);
  if (widest > g->cell - 2)
    {
      g->column_h = MIN (widest, 110) + 6;
      g->cell = MIN ((width - g->label_w - 2 * MARGIN - 40) / k, (height - 2 * MARGIN - 44 - g->column_h) / k);
    }
  g->cell = MAX (g->cell, 8);
  g->x0 = MARGIN + g->label_w + 22;
  g->y0 = MARGIN + 30 + g->column_h;
}

static gboolean
has_matrix (MhConfusionView *self)
{
  return self->confusion != NULL && self->head >= 0 && self->head < self->n_heads
         && self->confusion[self->head] != NULL;
}

static int
row_total (MhConfusionView *self, int t)
{
  int k = self->head_k[self->head], sum = 0;

  for (int a = 0; a < k; a++)
    sum += self->confusion[self->head][t * k + a];
  return sum;
}

gboolean
mh_confusion_view_get_cell (MhConfusionView *self, int t, int a, int *count, double *fraction)
{
  int k, total;

  g_return_val_if_fail (MH_IS_CONFUSION_VIEW (self), FALSE);

  if (!has_matrix (self) || t < 0 || a < 0 || t >= self->head_k[self->head] || a >= self->head_k[self->head])
    return FALSE;
  k = self->head_k[self->head];
  total = row_total (self, t);
  if (count != NULL)
    *count = self->confusion[self->head][t * k + a];
  if (fraction != NULL)
    *fraction = total > 0 ? (double) self->confusion[self->head][t * k + a] / total : 0;
  return TRUE;
}

int *
mh_confusion_view_dup_samples (MhConfusionView *self, int t, int a, int max, int *n)
{
  int *out;

  g_return_val_if_fail (MH_IS_CONFUSION_VIEW (self), NULL);
  g_return_val_if_fail (n != NULL, NULL);

  out = g_new (int, MAX (1, max));
  *n = has_matrix (self) ? mh_confusion_samples (self->truth[self->head], self->answers[self->head], self->n, t, a,
                                                 out, max) : 0;
  return out;
}

static void
draw_matrix (cairo_t *cr, int width, int height, const MhPlotTheme *theme, gpointer data)
{
  MhConfusionView *self = data;
  const GdkRGBA green = { 0.15f, 0.64f, 0.41f, 1 }, red = { 0.88f, 0.11f, 0.14f, 1 }, white = { 1, 1, 1, 1 };
  const GdkRGBA accent = { 0.21f, 0.52f, 0.89f, 1 };
  GdkRGBA ink = theme->fg;
  Geometry g;
  char text[32];
  int k;

  if (!has_matrix (self))
    return;
  k = self->head_k[self->head];
  layout (self, width, height, &g);
  ink.alpha = 0.7f;
  mh_plot_text (cr, theme, _("answer"), g.x0 + k * g.cell / 2, MARGIN + 6, 0.5, 0.5, 0.85, TRUE, &ink, -1);
  cairo_save (cr);
  cairo_translate (cr, MARGIN + 8, g.y0 + k * g.cell / 2);
  cairo_rotate (cr, -G_PI / 2);
  mh_plot_text (cr, theme, _("true class"), 0, 0, 0.5, 0.8, 0.85, TRUE, &ink, -1);
  cairo_restore (cr);
  for (int t = 0; t < k; t++)
    {
      const char *name = self->class_names[self->head] ? self->class_names[self->head][t] : NULL;
      g_autofree char *fallback = g_strdup_printf ("%d", t);
      int total = row_total (self, t);
      ink.alpha = t == self->hover_t ? 1 : 0.8f;
      mh_plot_text (cr, theme, name ? name : fallback, g.x0 - 6, g.y0 + t * g.cell + g.cell / 2, 1, 0.5, 0.85,
                    t == self->hover_t, &ink, (int) g.label_w);
      /* the column's name over it: level when it fits, else reading upwards */
      ink.alpha = t == self->hover_a ? 1 : 0.8f;
      if (g.column_h > 0)
        {
          cairo_save (cr);
          cairo_translate (cr, g.x0 + t * g.cell + g.cell / 2, g.y0 - 4);
          cairo_rotate (cr, -G_PI / 2);
          mh_plot_text (cr, theme, name ? name : fallback, 0, 0, 0, 0.5, 0.78, t == self->hover_a, &ink,
                        (int) g.column_h - 6);
          cairo_restore (cr);
        }
      else
        mh_plot_text (cr, theme, name ? name : fallback, g.x0 + t * g.cell + g.cell / 2, g.y0 - 3, 0.5, 1, 0.78,
                      t == self->hover_a, &ink, (int) g.cell - 2);
      for (int a = 0; a < k; a++)
        {
          double f = total > 0 ? (double) self->confusion[self->head][t * k + a] / total : 0;
          double x = g.x0 + a * g.cell, y = g.y0 + t * g.cell;
          GdkRGBA fill = a == t ? green : red;
          fill.alpha = a == t ? (float) (0.12 + 0.88 * f) : f > 0 ? (float) (0.08 + 0.92 * sqrt (f)) : 0.03f;
          mh_plot_fill_rect (cr, x + 1, y + 1, g.cell - 2, g.cell - 2, 0, &fill);
          if (g.cell >= 26 && f >= 0.005)
            {
              GdkRGBA number = theme->fg;
              number.alpha = 0.85f;
              g_snprintf (text, sizeof text, "%.0f", 100 * f);
              mh_plot_text (cr, theme, text, x + g.cell / 2, y + g.cell / 2, 0.5, 0.5, MIN (12, g.cell / 3) / 13.0,
                            a == t, (a == t && f > 0.5) || (a != t && f > 0.35) ? &white : &number, -1);
            }
          if (t == self->hover_t && a == self->hover_a)
            {
              gdk_cairo_set_source_rgba (cr, &accent);
              cairo_set_line_width (cr, 2);
              cairo_rectangle (cr, x + 1, y + 1, g.cell - 2, g.cell - 2);
              cairo_stroke (cr);
            }
        }
    }
  ink.alpha = 0.6f;
  /* xgettext:no-c-format */
  mh_plot_text (cr, theme, self->exporting ? _("% of each true class")
                                           /* xgettext:no-c-format */
                                           : _("% of each true class; click a cell to see those images on the board"),
                g.x0, g.y0 + k * g.cell + 6, 0, 0, 0.85, FALSE, &ink, (int) (width - g.x0 - MARGIN));
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  MhConfusionView *self = data;

  mh_plot_theme_update_for_widget (&self->theme, GTK_WIDGET (area));
  draw_matrix (cr, width, height, &self->theme, self);
}

gboolean
mh_confusion_view_export (MhConfusionView *self, const char *path, int width, int height, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (MH_IS_CONFUSION_VIEW (self), FALSE);

  if (!has_matrix (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There is no confusion matrix to export yet"));
      return FALSE;
    }
  mh_plot_theme_update_for_widget (&self->theme, self->area);
  self->exporting = TRUE;
  ok = mh_plot_export_drawing (path, width, height, &self->theme, draw_matrix, self, error);
  self->exporting = FALSE;
  return ok;
}

static gboolean
export_at_size (GtkWidget *widget, const char *path, GError **error)
{
  MhConfusionView *self = MH_CONFUSION_VIEW (widget);

  return mh_confusion_view_export (self, path, MAX (gtk_widget_get_width (self->area), 560),
                              MAX (gtk_widget_get_height (self->area), 480), error);
}

static void
export_clicked (MhConfusionView *self)
{
  g_autofree char *name = g_strdup_printf ("confusion-%s.png", has_matrix (self) ? self->head_names[self->head] : "");

  g_strdelimit (name, "/ ", '-');
  mh_file_chooser_export (GTK_WIDGET (self), _("Export the Confusion Matrix (PNG, SVG or PDF)"), name, export_at_size);
}

static gboolean
cell_at (MhConfusionView *self, double x, double y, int *t, int *a)
{
  Geometry g;
  int k;

  if (!has_matrix (self))
    return FALSE;
  k = self->head_k[self->head];
  layout (self, gtk_widget_get_width (self->area), gtk_widget_get_height (self->area), &g);
  *a = (int) floor ((x - g.x0) / g.cell);
  *t = (int) floor ((y - g.y0) / g.cell);
  return x >= g.x0 && y >= g.y0 && *a < k && *t < k;
}

static gboolean
query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, MhConfusionView *self)
{
  int t, a, count;
  double f;
  g_autofree char *text = NULL;
  char **names;

  if (!cell_at (self, x, y, &t, &a) || !mh_confusion_view_get_cell (self, t, a, &count, &f))
    return FALSE;
  names = self->class_names[self->head];
  text = mh_format (_("True <b>%s</b>, answered <b>%s</b>\n%d of %d test images (%.1f%%)%s"),
                          names ? names[t] : "?", names ? names[a] : "?", count, row_total (self, t), 100 * f,
                          count > 0 ? _("\nClick to see them on the board") : "");
  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

static void
motion (GtkEventControllerMotion *motion, double x, double y, MhConfusionView *self)
{
  int t = -1, a = -1;

  if (!cell_at (self, x, y, &t, &a))
    t = a = -1;
  if (t != self->hover_t || a != self->hover_a)
    {
      self->hover_t = t;
      self->hover_a = a;
      gtk_widget_queue_draw (self->area);
    }
}

static void
pressed (GtkGestureClick *click, int n_press, double x, double y, MhConfusionView *self)
{
  int t, a, count;

  if (cell_at (self, x, y, &t, &a) && mh_confusion_view_get_cell (self, t, a, &count, NULL) && count > 0)
    g_signal_emit (self, signals[SIGNAL_CELL_ACTIVATED], 0, self->head, t, a);
}

static void
update_summary (MhConfusionView *self)
{
  g_autofree char *text = NULL;

  if (!has_matrix (self))
    return;
  text = mh_format (_("%s: %.1f%% right on %d test images — the model after step %d"),
                          self->head_names[self->head], 100 * self->accuracy[self->head], self->n, self->step);
  gtk_label_set_text (GTK_LABEL (self->summary), text);
}

/* ---- public API --------------------------------------------------------------------- */

static void
clear (MhConfusionView *self)
{
  for (int h = 0; h < self->n_heads; h++)
    {
      g_strfreev (self->class_names[h]);
      g_free (self->confusion[h]);
      g_free (self->truth[h]);
      g_free (self->answers[h]);
    }
  g_clear_pointer (&self->class_names, g_free);
  g_clear_pointer (&self->confusion, g_free);
  g_clear_pointer (&self->truth, g_free);
  g_clear_pointer (&self->answers, g_free);
  g_clear_pointer (&self->accuracy, g_free);
  g_clear_pointer (&self->head_k, g_free);
  g_clear_pointer (&self->head_names, g_strfreev);
  self->n_heads = 0;
}

/* No matrix: the status, and no head or figure of the last answers (another project's, maybe). */
static void
show_empty (MhConfusionView *self, const char *status)
{
  g_autoptr (GtkStringList) none = gtk_string_list_new (NULL);

  self->head = -1;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->head_drop), G_LIST_MODEL (none));
  gtk_label_set_text (GTK_LABEL (self->summary), "");
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty), status);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
}

void
mh_confusion_view_set_answers (MhConfusionView *self, const MhProbeAnswers *a, const char *status)
{
  g_autoptr (GtkStringList) names = NULL;
  int keep;
  gboolean same;

  g_return_if_fail (MH_IS_CONFUSION_VIEW (self));

  names = gtk_string_list_new (NULL);
  keep = self->head;
  same = a != NULL && self->n_heads == a->n_heads;
  for (int h = 0; same && h < a->n_heads; h++)
    same = g_strcmp0 (self->head_names[h], a->heads[h].name) == 0;
  clear (self);
  g_array_set_size (self->choice, 0);
  if (a == NULL)
    {
      show_empty (self, status);
      return;
    }
  self->n_heads = a->n_heads;
  self->n = a->n;
  self->step = a->step;
  self->head_names = g_new0 (char *, a->n_heads + 1);
  self->head_k = g_new0 (int, a->n_heads);
  self->class_names = g_new0 (char **, a->n_heads);
  self->confusion = g_new0 (int *, a->n_heads);
  self->truth = g_new0 (int *, a->n_heads);
  self->answers = g_new0 (int *, a->n_heads);
  self->accuracy = g_new0 (double, a->n_heads);
  for (int h = 0; h < a->n_heads; h++)
    {
      int k = a->heads[h].k;
      self->head_names[h] = g_strdup (a->heads[h].name);
      if (a->confusion[h] == NULL)
        continue;
      self->head_k[h] = k;
      self->class_names[h] = g_strdupv (a->heads[h].names);
      self->confusion[h] = g_memdup2 (a->confusion[h], sizeof (int) * k * k);
      self->truth[h] = g_memdup2 (a->truth[h], sizeof (int) * MAX (1, a->n));
      self->answers[h] = g_memdup2 (a->answers[h], sizeof (int) * MAX (1, a->n));
      self->accuracy[h] = a->metrics[h].accuracy;
      g_array_append_val (self->choice, h);
      gtk_string_list_append (names, a->heads[h].name);
    }
  if (self->choice->len == 0)
    {
      show_empty (self, _("No head classifies: there is no confusion matrix to show."));
      return;
    }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->head_drop), G_LIST_MODEL (names));
  self->head = -1;
  mh_confusion_view_set_head (self, same && keep >= 0 && self->head_k[keep] > 0 ? keep
                                                                          : g_array_index (self->choice, int, 0));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "matrix");
}

void
mh_confusion_view_set_head (MhConfusionView *self, int head)
{
  g_return_if_fail (MH_IS_CONFUSION_VIEW (self));

  if (head < 0 || head >= self->n_heads || self->head_k[head] == 0)
    return;
  self->head = head;
  for (guint i = 0; i < self->choice->len; i++)
    if (g_array_index (self->choice, int, i) == head
        && gtk_drop_down_get_selected (GTK_DROP_DOWN (self->head_drop)) != i)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->head_drop), i);
  update_summary (self);
  gtk_widget_queue_draw (self->area);
}

/* ---- building -------------------------------------------------------------------------- */

static void
head_chosen (MhConfusionView *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->head_drop));

  if (i < self->choice->len)
    mh_confusion_view_set_head (self, g_array_index (self->choice, int, i));
}

static void
mh_confusion_view_dispose (GObject *object)
{
  MhConfusionView *self = MH_CONFUSION_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (mh_confusion_view_parent_class)->dispose (object);
}

static void
mh_confusion_view_finalize (GObject *object)
{
  MhConfusionView *self = MH_CONFUSION_VIEW (object);

  clear (self);
  g_array_unref (self->choice);
  mh_plot_theme_clear (&self->theme);
  G_OBJECT_CLASS (mh_confusion_view_parent_class)->finalize (object);
}

static void
mh_confusion_view_class_init (MhConfusionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_confusion_view_dispose;
  object_class->finalize = mh_confusion_view_finalize;
  signals[SIGNAL_CELL_ACTIVATED] = g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                 0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_INT,
                                                 G_TYPE_INT);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-confusion-view");
}

static void
mh_confusion_view_init (MhConfusionView *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *refresh = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  GtkWidget *export = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  GtkEventController *move = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->choice = g_array_new (FALSE, FALSE, sizeof (int));
  self->head = -1;
  self->hover_t = self->hover_a = -1;
  self->head_drop = gtk_drop_down_new_from_strings ((const char *const[]) { "—", NULL });
  mh_drop_down_ellipsize (GTK_DROP_DOWN (self->head_drop));
  g_signal_connect_swapped (self->head_drop, "notify::selected", G_CALLBACK (head_chosen), self);
  self->summary = gtk_label_new ("");
  gtk_widget_set_hexpand (self->summary, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  mh_fit_label (GTK_LABEL (self->summary), PANGO_ELLIPSIZE_END, 2);
  gtk_widget_add_css_class (self->summary, "dim-label");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (refresh), "win.refresh-confusion");
  gtk_widget_set_tooltip_text (refresh, _("Evaluate the model on the test set again"));
  gtk_box_append (GTK_BOX (bar), self->head_drop);
  gtk_box_append (GTK_BOX (bar), self->summary);
  gtk_box_append (GTK_BOX (bar), refresh);
  gtk_widget_set_tooltip_text (export, _("Export the matrix as PNG, SVG or PDF"));
  g_signal_connect_swapped (export, "clicked", G_CALLBACK (export_clicked), self);
  gtk_box_append (GTK_BOX (bar), export);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_bottom (bar, 4);

  self->area = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->area), draw, self, NULL);
  gtk_widget_set_has_tooltip (self->area, TRUE);
  g_signal_connect (self->area, "query-tooltip", G_CALLBACK (query_tooltip), self);
  g_signal_connect (move, "motion", G_CALLBACK (motion), self);
  gtk_widget_add_controller (self->area, move);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (self->area, GTK_EVENT_CONTROLLER (click));

  self->empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "view-app-grid-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("Confusion matrix"));
  gtk_widget_add_css_class (self->empty, "compact");
  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), self->empty, "empty");
  gtk_stack_add_named (GTK_STACK (self->stack), self->area, "matrix");
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_box_append (GTK_BOX (self->box), bar);
  gtk_box_append (GTK_BOX (self->box), self->stack);
}

GtkWidget *
mh_confusion_view_new (void)
{
  return g_object_new (MH_TYPE_CONFUSION_VIEW, NULL);
}
