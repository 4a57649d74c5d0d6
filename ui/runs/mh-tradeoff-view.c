/* mh-tradeoff-view.c — two heads' validation losses, a point per run
 * (mh-tradeoff-view.h). */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-drop-down.h"
#include <adwaita.h>
#include "mh-colors.h"
#include "mh-tradeoff-view.h"
#include "mh-fit-label.h"

struct _MhTradeoffView
{
  GtkWidget  parent_instance;
  GtkWidget *box, *first, *second, *note;
  MhPlot    *plot;
  GPtrArray *runs;          /* MhRun */
  GStrv      heads;
  char      *live_title;
  GStrv      live_heads;
  GArray    *live;          /* double: per epoch, one loss per live head */
  gboolean   setting;
};

G_DEFINE_FINAL_TYPE (MhTradeoffView, mh_tradeoff_view, GTK_TYPE_WIDGET)

static double
final_loss (const MhRun *run, const char *head)
{
  int h = mh_run_find_head (run, head);

  return h >= 0 && run->validation != NULL ? run->validation[h].loss : NAN;
}

static int
index_of (GStrv names, const char *name)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return (int) i;
  return -1;
}

static void
set_note (MhTradeoffView *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->note), text);
  gtk_widget_set_tooltip_text (self->note, text);
}

static void
redraw (MhTradeoffView *self)
{
  MhPlotFigure *f = mh_plot_get_figure (self->plot);
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->first));
  guint j = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->second));
  guint n_heads = self->heads != NULL ? g_strv_length (self->heads) : 0, placed = 0;
  g_autofree char *x_label = NULL, *y_label = NULL;

  mh_plot_clear (self->plot);
  if (i >= n_heads || j >= n_heads || i == j)
    {
      set_note (self, n_heads < 2 ? _("A trade-off needs two heads.") : _("Choose two different heads."));
      mh_plot_queue_update (self->plot);
      return;
    }
  x_label = g_strdup_printf (_("%s: validation loss"), self->heads[i]);
  y_label = g_strdup_printf (_("%s: validation loss (up)"), self->heads[j]);
  mh_plot_set_x_label (self->plot, x_label);
  mh_plot_set_title (self->plot, y_label);
  f->x_from_zero = FALSE;
  for (guint r = 0; self->runs != NULL && r < self->runs->len; r++)
    {
      const MhRun *run = self->runs->pdata[r];
      double x = final_loss (run, self->heads[i]), y = final_loss (run, self->heads[j]);
      g_autofree char *title = mh_run_dup_title (run);
      GdkRGBA light, dark;
      int s;
      if (!isfinite (x) || !isfinite (y))
        continue;
      mh_head_color (r, FALSE, &light);
      mh_head_color (r, TRUE, &dark);
      s = mh_plot_add_series (self->plot, title, &light, &dark, MH_PLOT_POINTS, -1);
      mh_plot_set_series_run (self->plot, s, run->id, MH_PLOT_DASH_DEFAULT);
      mh_plot_append (self->plot, s, x, y);
      placed++;
    }
  if (self->live_title != NULL && self->live->len > 0)
    {
      int li = index_of (self->live_heads, self->heads[i]), lj = index_of (self->live_heads, self->heads[j]);
      guint nh = g_strv_length (self->live_heads);
      GdkRGBA light = { 0.2f, 0.2f, 0.22f, 1 }, dark = { 0.92f, 0.92f, 0.92f, 1 };
      g_autofree char *label = g_strdup_printf ("%s (now)", self->live_title);
      int s = li >= 0 && lj >= 0 ? mh_plot_add_series (self->plot, label, &light, &dark, MH_PLOT_MARKERS, -1) : -1;
      for (guint e = 0; s >= 0 && e < self->live->len / nh; e++)
        mh_plot_append (self->plot, s, g_array_index (self->live, double, e * nh + li),
                        g_array_index (self->live, double, e * nh + lj));
    }
  set_note (self, placed == 0 ? _("No recorded run has validation figures for both heads "
                      "yet.") : _("Each point: a run's last validation losses. Runs that weigh or balance the heads "
                      "differently trace the trade-off; lower left is better for both."));
  mh_plot_queue_update (self->plot);
}

static GtkStringList *
names_model (GStrv heads)
{
  return gtk_string_list_new ((const char *const *) heads);
}

void
mh_tradeoff_view_set_runs (MhTradeoffView *self, GPtrArray *runs, const char *const *heads)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->first));
  guint j = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->second));
  gboolean same = self->heads != NULL && heads != NULL && g_strv_equal ((const char *const *) self->heads, heads);

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  self->runs = runs != NULL ? g_ptr_array_ref (runs) : NULL;
  if (!same)
    {
      g_auto (GStrv) empty = g_new0 (char *, 1);
      g_strfreev (self->heads);
      self->heads = g_strdupv ((char **) (heads != NULL ? heads : (const char *const *) empty));
      self->setting = TRUE;
      {
        g_autoptr (GtkStringList) a = names_model (self->heads);
        g_autoptr (GtkStringList) b = names_model (self->heads);
        gtk_drop_down_set_model (GTK_DROP_DOWN (self->first), G_LIST_MODEL (a));
        gtk_drop_down_set_model (GTK_DROP_DOWN (self->second), G_LIST_MODEL (b));
      }
      i = 0, j = 1;
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->first), i);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->second), MIN (j, g_strv_length (self->heads) - 1));
      self->setting = FALSE;
    }
  redraw (self);
}

void
mh_tradeoff_view_set_pair (MhTradeoffView *self, int i, int j)
{
  self->setting = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->first), (guint) i);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->second), (guint) j);
  self->setting = FALSE;
  redraw (self);
}

void
mh_tradeoff_view_live_begin (MhTradeoffView *self, const char *title, const char *const *heads)
{
  g_free (self->live_title);
  g_strfreev (self->live_heads);
  self->live_title = g_strdup (title);
  self->live_heads = g_strdupv ((char **) heads);
  g_array_set_size (self->live, 0);
  redraw (self);
}

void
mh_tradeoff_view_live_epoch (MhTradeoffView *self, const MhHeadMetrics *validation)
{
  guint nh = self->live_heads != NULL ? g_strv_length (self->live_heads) : 0;

  if (self->live_title == NULL || validation == NULL || nh == 0)
    return;
  for (guint h = 0; h < nh; h++)
    g_array_append_val (self->live, validation[h].loss);
  redraw (self);
}

MhPlot *
mh_tradeoff_view_get_plot (MhTradeoffView *self)
{
  return self->plot;
}

static void
pair_chosen (MhTradeoffView *self)
{
  if (!self->setting)
    redraw (self);
}

static void
mh_tradeoff_view_dispose (GObject *object)
{
  MhTradeoffView *self = MH_TRADEOFF_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (mh_tradeoff_view_parent_class)->dispose (object);
}

static void
mh_tradeoff_view_finalize (GObject *object)
{
  MhTradeoffView *self = MH_TRADEOFF_VIEW (object);

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_strfreev (self->heads);
  g_strfreev (self->live_heads);
  g_free (self->live_title);
  g_array_unref (self->live);
  G_OBJECT_CLASS (mh_tradeoff_view_parent_class)->finalize (object);
}

static void
mh_tradeoff_view_class_init (MhTradeoffViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_tradeoff_view_dispose;
  object_class->finalize = mh_tradeoff_view_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-tradeoff-view");
}

static void
mh_tradeoff_view_init (MhTradeoffView *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *against = gtk_label_new (_("against"));
  GtkWidget *plot = mh_plot_new ();

  self->live = g_array_new (FALSE, FALSE, sizeof (double));
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->first = gtk_drop_down_new (NULL, NULL);
  self->second = gtk_drop_down_new (NULL, NULL);
  mh_drop_down_ellipsize (GTK_DROP_DOWN (self->first));
  mh_drop_down_ellipsize (GTK_DROP_DOWN (self->second));
  gtk_widget_set_tooltip_text (self->first, _("The head along x"));
  gtk_widget_set_tooltip_text (self->second, _("The head along y"));
  gtk_widget_add_css_class (against, "dim-label");
  gtk_box_append (GTK_BOX (bar), self->first);
  gtk_box_append (GTK_BOX (bar), against);
  gtk_box_append (GTK_BOX (bar), self->second);
  mh_fit_label (GTK_LABEL (against), PANGO_ELLIPSIZE_END, 1);
  g_signal_connect_swapped (self->first, "notify::selected", G_CALLBACK (pair_chosen), self);
  g_signal_connect_swapped (self->second, "notify::selected", G_CALLBACK (pair_chosen), self);
  gtk_box_append (GTK_BOX (self->box), bar);
  self->plot = MH_PLOT (plot);
  gtk_widget_set_vexpand (plot, TRUE);
  gtk_widget_add_css_class (plot, "mh-plot-card");
  gtk_box_append (GTK_BOX (self->box), plot);
  /* one line, whatever it says (a wrapped note grew the page when its text
   * changed); the whole text in its tooltip when it does not fit */
  self->note = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->note), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (self->note), 0);
  gtk_widget_add_css_class (self->note, "dim-label");
  gtk_box_append (GTK_BOX (self->box), self->note);
  redraw (self);
}

GtkWidget *
mh_tradeoff_view_new (void)
{
  return g_object_new (MH_TYPE_TRADEOFF_VIEW, NULL);
}
