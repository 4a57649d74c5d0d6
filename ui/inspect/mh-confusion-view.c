/* mh-confusion-view.c — a classification head's confusion matrix on the test
 * set (mh-confusion.h), drawn with cairo: rows the true classes, columns
 * the answers, each cell's share of its row in the accent colour. */
#include <math.h>
#include <string.h>
#include <adwaita.h>
#include "mh-confusion-view.h"

#define MARGIN 12

struct _MhConfusion
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
};

G_DEFINE_FINAL_TYPE (MhConfusion, mh_confusion, GTK_TYPE_WIDGET)

enum { SIGNAL_CELL_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  double x0, y0, cell, label_w;
} Geometry;

static void
layout (MhConfusion *self, int width, int height, Geometry *g)
{
  int k = MAX (1, self->head_k[self->head]);

  g->label_w = 110;
  g->cell = MIN ((width - g->label_w - 2 * MARGIN - 40) / k, (height - 2 * MARGIN - 44) / k);
  g->cell = MAX (g->cell, 8);
  g->x0 = MARGIN + g->label_w + 22;
  g->y0 = MARGIN + 30;
}

static gboolean
has_matrix (MhConfusion *self)
{
  return self->confusion != NULL && self->head >= 0 && self->head < self->n_heads
         && self->confusion[self->head] != NULL;
}

static int
row_total (MhConfusion *self, int t)
{
  int k = self->head_k[self->head], sum = 0;

  for (int a = 0; a < k; a++)
    sum += self->confusion[self->head][t * k + a];
  return sum;
}

gboolean
mh_confusion_get_cell (MhConfusion *self, int t, int a, int *count, double *fraction)
{
  int k, total;

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
mh_confusion_dup_samples (MhConfusion *self, int t, int a, int max, int *n)
{
  int *out = g_new (int, MAX (1, max));

  *n = has_matrix (self) ? mh_confusion_samples (self->truth[self->head], self->answers[self->head], self->n, t, a,
                                                 out, max) : 0;
  return out;
}

static void
label (cairo_t *cr, double x, double y, const char *s, double size, gboolean bold, double align, double max_w)
{
  cairo_text_extents_t ext;
  g_autofree char *shown = g_strdup (s);

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
  cairo_text_extents (cr, shown, &ext);
  while (max_w > 0 && ext.x_advance > max_w && g_utf8_strlen (shown, -1) > 2)
    {
      char *end = g_utf8_offset_to_pointer (shown, g_utf8_strlen (shown, -1) - 2);
      strcpy (end, "…");
      cairo_text_extents (cr, shown, &ext);
    }
  cairo_move_to (cr, x - ext.x_advance * align, y);
  cairo_show_text (cr, shown);
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  MhConfusion *self = data;
  int k;
  Geometry g;
  GdkRGBA fg;
  char text[32];

  if (!has_matrix (self))
    return;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  k = self->head_k[self->head];
  layout (self, width, height, &g);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
  label (cr, g.x0 + k * g.cell / 2, MARGIN + 10, "answer", 11, TRUE, 0.5, 0);
  cairo_save (cr);
  cairo_translate (cr, MARGIN + 8, g.y0 + k * g.cell / 2);
  cairo_rotate (cr, -G_PI / 2);
  label (cr, 0, 0, "true class", 11, TRUE, 0.5, 0);
  cairo_restore (cr);
  for (int t = 0; t < k; t++)
    {
      const char *name = self->class_names[self->head] ? self->class_names[self->head][t] : NULL;
      g_autofree char *fallback = g_strdup_printf ("%d", t);
      int total = row_total (self, t);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, t == self->hover_t ? 1 : 0.8);
      label (cr, g.x0 - 6, g.y0 + t * g.cell + g.cell / 2 + 4, name ? name : fallback, 11, t == self->hover_t, 1,
             g.label_w);
      /* the column's name, short, over it */
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, t == self->hover_a ? 1 : 0.8);
      label (cr, g.x0 + t * g.cell + g.cell / 2, g.y0 - 6, name ? name : fallback, 10, t == self->hover_a, 0.5,
             g.cell - 2);
      for (int a = 0; a < k; a++)
        {
          double f = total > 0 ? (double) self->confusion[self->head][t * k + a] / total : 0;
          double x = g.x0 + a * g.cell, y = g.y0 + t * g.cell;
          if (a == t)
            cairo_set_source_rgba (cr, 0.15, 0.64, 0.41, 0.12 + 0.88 * f);
          else
            cairo_set_source_rgba (cr, 0.88, 0.11, 0.14, f > 0 ? 0.08 + 0.92 * sqrt (f) : 0.03);
          cairo_rectangle (cr, x + 1, y + 1, g.cell - 2, g.cell - 2);
          cairo_fill (cr);
          if (g.cell >= 26 && f >= 0.005)
            {
              g_snprintf (text, sizeof text, "%.0f", 100 * f);
              if ((a == t && f > 0.5) || (a != t && f > 0.35))
                cairo_set_source_rgb (cr, 1, 1, 1);
              else
                cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.85);
              label (cr, x + g.cell / 2, y + g.cell / 2 + 4, text, MIN (12, g.cell / 3), a == t, 0.5, 0);
            }
          if (t == self->hover_t && a == self->hover_a)
            {
              cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
              cairo_set_line_width (cr, 2);
              cairo_rectangle (cr, x + 1, y + 1, g.cell - 2, g.cell - 2);
              cairo_stroke (cr);
            }
        }
    }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
  label (cr, g.x0, g.y0 + k * g.cell + 16, "% of each true class; click a cell to see those images on the board", 11,
         FALSE, 0, 0);
}

static gboolean
cell_at (MhConfusion *self, double x, double y, int *t, int *a)
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
query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, MhConfusion *self)
{
  int t, a, count;
  double f;
  g_autofree char *text = NULL;
  char **names;

  if (!cell_at (self, x, y, &t, &a) || !mh_confusion_get_cell (self, t, a, &count, &f))
    return FALSE;
  names = self->class_names[self->head];
  text = g_strdup_printf ("True <b>%s</b>, answered <b>%s</b>\n%d of %d test images (%.1f%%)%s",
                          names ? names[t] : "?", names ? names[a] : "?", count, row_total (self, t), 100 * f,
                          count > 0 ? "\nClick to see them on the board" : "");
  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

static void
motion (GtkEventControllerMotion *motion, double x, double y, MhConfusion *self)
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
pressed (GtkGestureClick *click, int n_press, double x, double y, MhConfusion *self)
{
  int t, a, count;

  if (cell_at (self, x, y, &t, &a) && mh_confusion_get_cell (self, t, a, &count, NULL) && count > 0)
    g_signal_emit (self, signals[SIGNAL_CELL_ACTIVATED], 0, self->head, t, a);
}

static void
update_summary (MhConfusion *self)
{
  g_autofree char *text = NULL;

  if (!has_matrix (self))
    return;
  text = g_strdup_printf ("%s: %.1f%% right on %d test images — the model after step %d",
                          self->head_names[self->head], 100 * self->accuracy[self->head], self->n, self->step);
  gtk_label_set_text (GTK_LABEL (self->summary), text);
}

/* ---- public API --------------------------------------------------------------------- */

static void
clear (MhConfusion *self)
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

void
mh_confusion_set_answers (MhConfusion *self, const MhProbeAnswers *a, const char *status)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  int keep = self->head;
  gboolean same = a != NULL && self->n_heads == a->n_heads;

  for (int h = 0; same && h < a->n_heads; h++)
    same = g_strcmp0 (self->head_names[h], a->heads[h].name) == 0;
  clear (self);
  g_array_set_size (self->choice, 0);
  if (a == NULL)
    {
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty), status);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
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
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty), "No head classifies: there is no confusion "
                                       "matrix to show.");
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->head_drop), G_LIST_MODEL (names));
  self->head = -1;
  mh_confusion_set_head (self, same && keep >= 0 && self->head_k[keep] > 0 ? keep
                                                                          : g_array_index (self->choice, int, 0));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "matrix");
}

void
mh_confusion_set_head (MhConfusion *self, int head)
{
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

int
mh_confusion_get_head (MhConfusion *self)
{
  return self->head;
}

/* ---- building -------------------------------------------------------------------------- */

static void
head_chosen (MhConfusion *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->head_drop));

  if (i < self->choice->len)
    mh_confusion_set_head (self, g_array_index (self->choice, int, i));
}

static void
mh_confusion_dispose (GObject *object)
{
  MhConfusion *self = MH_CONFUSION (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (mh_confusion_parent_class)->dispose (object);
}

static void
mh_confusion_finalize (GObject *object)
{
  MhConfusion *self = MH_CONFUSION (object);

  clear (self);
  g_array_unref (self->choice);
  G_OBJECT_CLASS (mh_confusion_parent_class)->finalize (object);
}

static void
mh_confusion_class_init (MhConfusionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_confusion_dispose;
  object_class->finalize = mh_confusion_finalize;
  signals[SIGNAL_CELL_ACTIVATED] = g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                 0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_INT,
                                                 G_TYPE_INT);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-confusion");
}

static void
mh_confusion_init (MhConfusion *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *refresh = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  GtkEventController *move = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->choice = g_array_new (FALSE, FALSE, sizeof (int));
  self->head = -1;
  self->hover_t = self->hover_a = -1;
  self->head_drop = gtk_drop_down_new_from_strings ((const char *const[]) { "—", NULL });
  g_signal_connect_swapped (self->head_drop, "notify::selected", G_CALLBACK (head_chosen), self);
  self->summary = gtk_label_new ("");
  gtk_widget_set_hexpand (self->summary, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_widget_add_css_class (self->summary, "dim-label");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (refresh), "win.refresh-confusion");
  gtk_widget_set_tooltip_text (refresh, "Evaluate the model on the test set again");
  gtk_box_append (GTK_BOX (bar), self->head_drop);
  gtk_box_append (GTK_BOX (bar), self->summary);
  gtk_box_append (GTK_BOX (bar), refresh);
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
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), "Confusion matrix");
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
mh_confusion_new (void)
{
  return g_object_new (MH_TYPE_CONFUSION, NULL);
}
