/* mh-compare-view.c — recorded runs side by side (mh-compare-view.h). */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-format.h"
#include <adwaita.h>
#include "mh-compare-view.h"
#include "mh-run-curves.h"
#include "mh-runs-page.h"
#include "mh-trainer.h"

struct _MhCompareView
{
  GtkWidget  parent_instance;
  GtkWidget *box, *stack, *plots_box, *table, *placeholder;
  MhPlot    *loss, *metric;
};

G_DEFINE_FINAL_TYPE (MhCompareView, mh_compare_view, GTK_TYPE_WIDGET)

static void
show_curves (MhPlot *plot, GPtrArray *runs, GPtrArray *logs, const char *const *heads, MhRunCurvesKind kind)
{
  MhPlotFigure *f = mh_plot_get_figure (plot);

  mh_run_curves_clear (f);
  mh_run_curves_add (f, runs, logs, heads, NULL, kind, TRUE);
  mh_plot_queue_update (plot);
}

/* ---- the table ------------------------------------------------------------------------- */

static GtkWidget *
cell (const char *text, gboolean heading, gboolean dim, gboolean numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
put (MhCompareView *self, int row, int col, const char *text, gboolean heading, gboolean dim)
{
  gtk_grid_attach (GTK_GRID (self->table), cell (text, heading, dim, col > 0), col, row, 1, 1);
}

/* A head's figure in a run: its headline test figure, else validation. */
static double
figure_of (const MhRun *run, const char *head, gboolean test, gboolean loss, const char **name)
{
  int h = mh_run_find_head (run, head);
  const MhHeadMetrics *m = h < 0 ? NULL : test ? (run->test ? &run->test[h] : NULL)
                                            : (run->validation ? &run->validation[h] : NULL);

  *name = "loss";
  if (m == NULL)
    return NAN;
  return loss ? m->loss : mh_head_metrics_primary (m, name);
}

static char *
format_figure (double v, const char *name, double first)
{
  gboolean percent = g_strcmp0 (name, "accuracy") == 0 || g_strcmp0 (name, "F1") == 0;
  double scale = percent ? 100 : 1;

  if (!isfinite (v))
    return g_strdup ("—");
  if (!isfinite (first))
    return percent ? mh_format ("%.1f%%", scale * v) : mh_format ("%.4f", v);
  return percent ? mh_format ("%.1f%%  (%+.1f)", scale * v, scale * (v - first))
                 : mh_format ("%.4f  (%+.4f)", v, v - first);
}

static char *
setting (const MhRun *run, int which)
{
  switch (which)
    {
    case 0: return g_strdup (run->balancing ? run->balancing : "—");
    case 1: return g_strdup_printf ("%u", run->seed);
    case 2: return g_strdup_printf (_("%d of %d"), mh_run_epochs_done (run), run->epochs);
    case 3: return run->parent_id ? g_strdup_printf (_("run %s, epoch %d"), run->parent_id, run->parent_epoch)
                                  : g_strdup ("—");
    default: return g_strdup (mh_run_state_title (run));
    }
}

static void
fill_table (MhCompareView *self, GPtrArray *runs, const char *const *heads)
{
  static const char *const settings[] = { N_("balancing"), N_("seed"), N_("epochs"), N_("branch of"), N_("state") };
  GtkWidget *child;
  int row = 1;

  while ((child = gtk_widget_get_first_child (self->table)) != NULL)
    gtk_grid_remove (GTK_GRID (self->table), child);
  put (self, 0, 0, "", TRUE, FALSE);
  for (guint c = 0; c < runs->len; c++)
    {
      g_autofree char *title = mh_run_dup_title (runs->pdata[c]);
      put (self, 0, (int) c + 1, title, TRUE, FALSE);
    }
  for (guint s = 0; s < G_N_ELEMENTS (settings); s++, row++)
    {
      g_autofree char *first = setting (runs->pdata[0], (int) s);
      put (self, row, 0, _(settings[s]), FALSE, TRUE);
      for (guint c = 0; c < runs->len; c++)
        {
          g_autofree char *v = setting (runs->pdata[c], (int) s);
          /* what differs from the first run stands out */
          put (self, row, (int) c + 1, v, c > 0 && g_strcmp0 (v, first) != 0, FALSE);
        }
    }
  for (guint h = 0; heads != NULL && heads[h] != NULL; h++)
    for (int kind = 0; kind < 3; kind++, row++)
      {
        /* validation loss, validation figure, test figure */
        const char *name = NULL;
        double first = figure_of (runs->pdata[0], heads[h], kind == 2, kind == 0, &name);
        g_autofree char *label = NULL;
        for (guint c = 0; c < runs->len; c++)
          {
            const char *n = NULL;
            double v = figure_of (runs->pdata[c], heads[h], kind == 2, kind == 0, &n);
            g_autofree char *text = format_figure (v, n, c > 0 ? first : NAN);
            put (self, row, (int) c + 1, text, FALSE, FALSE);
            if (name == NULL || !isfinite (first))
              name = n;
          }
        /* TRANSLATORS: a row of the comparison: a head, the split, the figure ("shape: test accuracy") */
        label = g_strdup_printf (_("%s: %s %s"), heads[h], kind == 2 ? _("test") : _("validation"),
                                 kind == 0 ? _("loss") : name != NULL ? name : _("figure"));
        put (self, row, 0, label, FALSE, TRUE);
      }
}

/* The heads of the runs, in the order given, then any others. */
static GStrv
all_heads (GPtrArray *runs, const char *const *heads)
{
  GStrvBuilder *b = g_strv_builder_new ();
  g_autoptr (GPtrArray) seen = g_ptr_array_new ();
  GStrv out;

  for (guint i = 0; heads != NULL && heads[i] != NULL; i++)
    g_ptr_array_add (seen, (gpointer) heads[i]);
  for (guint r = 0; r < runs->len; r++)
    for (int h = 0; h < ((MhRun *) runs->pdata[r])->n_heads; h++)
      {
        const char *name = ((MhRun *) runs->pdata[r])->heads[h].name;
        gboolean known = FALSE;
        for (guint i = 0; i < seen->len && !known; i++)
          known = g_strcmp0 (seen->pdata[i], name) == 0;
        if (!known)
          g_ptr_array_add (seen, (gpointer) name);
      }
  for (guint i = 0; i < seen->len; i++)
    {
      gboolean used = FALSE;
      for (guint r = 0; r < runs->len && !used; r++)
        used = mh_run_find_head (runs->pdata[r], seen->pdata[i]) >= 0;
      if (used)
        g_strv_builder_add (b, seen->pdata[i]);
    }
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

void
mh_compare_view_set_runs (MhCompareView *self, GPtrArray *runs, GPtrArray *logs, const char *const *heads)
{
  g_auto (GStrv) shown = NULL;

  if (runs == NULL || runs->len == 0)
    {
      gtk_stack_set_visible_child (GTK_STACK (self->stack), self->placeholder);
      mh_run_curves_clear (mh_plot_get_figure (self->loss));
      mh_run_curves_clear (mh_plot_get_figure (self->metric));
      return;
    }
  shown = all_heads (runs, heads);
  show_curves (self->loss, runs, logs, (const char *const *) shown, MH_RUN_CURVES_LOSS);
  show_curves (self->metric, runs, logs, (const char *const *) shown, MH_RUN_CURVES_METRIC);
  fill_table (self, runs, (const char *const *) shown);
  gtk_stack_set_visible_child (GTK_STACK (self->stack), self->plots_box);
}

MhPlot *
mh_compare_view_get_plot (MhCompareView *self, gboolean metric)
{
  return metric ? self->metric : self->loss;
}

const char *
mh_compare_view_get_cell (MhCompareView *self, int row, int column)
{
  GtkWidget *w = gtk_grid_get_child_at (GTK_GRID (self->table), column, row);

  return w != NULL ? gtk_label_get_text (GTK_LABEL (w)) : NULL;
}

/* ---- class ------------------------------------------------------------------------------- */

static void
mh_compare_view_dispose (GObject *object)
{
  MhCompareView *self = MH_COMPARE_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (mh_compare_view_parent_class)->dispose (object);
}

static void
mh_compare_view_class_init (MhCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_compare_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-compare-view");
}

static MhPlot *
new_plot (const char *title)
{
  GtkWidget *plot = mh_plot_new ();

  mh_plot_set_title (MH_PLOT (plot), title);
  mh_plot_set_x_label (MH_PLOT (plot), _("step"));
  gtk_widget_set_hexpand (plot, TRUE);
  gtk_widget_set_vexpand (plot, TRUE);
  gtk_widget_set_size_request (plot, 240, 220);
  gtk_widget_add_css_class (plot, "mh-plot-card");
  return MH_PLOT (plot);
}

static void
mh_compare_view_init (MhCompareView *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->stack);

  self->placeholder = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->placeholder), "view-dual-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->placeholder), _("Compare runs"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->placeholder),
                                   _("Tick two or more runs in the list: their curves are overlaid per head, and "
                                     "their figures set side by side."));
  gtk_widget_add_css_class (self->placeholder, "compact");
  gtk_stack_add_child (GTK_STACK (self->stack), self->placeholder);

  /* the plots, then the table of figures below them: the page scrolls when the dashboard is low */
  self->loss = new_plot (_("Loss per head"));
  self->metric = new_plot (_("Accuracy per head"));
  mh_plot_set_y_range (self->metric, 0, 1);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->loss));
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->metric));
  gtk_widget_set_vexpand (row, TRUE);
  self->table = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->table), 18);
  gtk_grid_set_row_spacing (GTK_GRID (self->table), 4);
  gtk_widget_set_margin_top (self->table, 6);
  gtk_widget_set_margin_start (self->table, 6);
  gtk_widget_set_margin_bottom (self->table, 6);
  gtk_box_append (GTK_BOX (content), row);
  gtk_box_append (GTK_BOX (content), self->table);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), content);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
  self->plots_box = scroller;
  gtk_stack_add_child (GTK_STACK (self->stack), scroller);
  gtk_stack_set_visible_child (GTK_STACK (self->stack), self->placeholder);
}

GtkWidget *
mh_compare_view_new (void)
{
  return g_object_new (MH_TYPE_COMPARE_VIEW, NULL);
}
