/* mh-training-panel.c — the training dashboard: a switcher of three pages
 * (loss, metrics, gradient conflict) and the controls every plot shares
 * (balancing, smoothing, log scale, CSV).  Each event only appends points:
 * the plots normalise and redraw once per frame at most. */
#include <math.h>
#include <adwaita.h>
#include <glib/gi18n.h>
#include "mh-drop-down.h"
#include "mh-colors.h"
#include "mh-conflict-view.h"
#include "mh-teach.h"
#include "mh-kinds.h"
#include "mh-training-panel.h"
#include "mh-wrap-bar.h"

struct _MhTrainingPanel
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkWidget      *stack;
  GtkWidget      *method;        /* GtkDropDown */
  GtkWidget      *plot_controls; /* what only the plots' pages use */
  GtkWidget      *help;          /* "?": the page in view explained */
  gboolean        setting_method;
  MhPlot         *loss, *total, *metric, *weights, *cosine;
  MhConflictView *conflict;
  MhTrainLog     *log;
  int             n_heads, n_pairs;
  int            *loss_raw, *loss_val;       /* series per head */
  int            *metric_raw, *metric_val;   /* -1: none */
  int            *weight_series;
  int            *pair_raw;
  int             total_raw;
  double         *cos_ema;                   /* n × n, for the matrix */
  double         *norm_ema;
  guint           ema_steps;
  GtkWidget      *caption;
  GtkWidget      *page_menu;     /* the pages as a drop-down, when the switcher does not fit */
  gboolean        syncing_pages;
};

G_DEFINE_FINAL_TYPE (MhTrainingPanel, mh_training_panel, GTK_TYPE_WIDGET)

static void
head_colors (int h, GdkRGBA *light, GdkRGBA *dark)
{
  mh_head_color ((guint) h, FALSE, light);
  mh_head_color ((guint) h, TRUE, dark);
}

static void
mix (const GdkRGBA *a, const GdkRGBA *b, GdkRGBA *out)
{
  out->red = (a->red + b->red) / 2;
  out->green = (a->green + b->green) / 2;
  out->blue = (a->blue + b->blue) / 2;
  out->alpha = 1;
}

/* A raw series and its smoothed line; returns the raw one. */
static int
add_smoothed (MhPlot *plot, const char *label, const GdkRGBA *light, const GdkRGBA *dark)
{
  int raw = mh_plot_add_series (plot, label, light, dark, MH_PLOT_RAW, -1);

  mh_plot_add_series (plot, label, light, dark, MH_PLOT_SMOOTHED, raw);
  return raw;
}

static void
free_series (MhTrainingPanel *self)
{
  g_clear_pointer (&self->loss_raw, g_free);
  g_clear_pointer (&self->loss_val, g_free);
  g_clear_pointer (&self->metric_raw, g_free);
  g_clear_pointer (&self->metric_val, g_free);
  g_clear_pointer (&self->weight_series, g_free);
  g_clear_pointer (&self->pair_raw, g_free);
  g_clear_pointer (&self->cos_ema, g_free);
  g_clear_pointer (&self->norm_ema, g_free);
}

void
mh_training_panel_begin (MhTrainingPanel *self, const MhTrainerEvent *e)
{
  int nh = e->n_heads;
  MhPlot *plots[] = { self->loss, self->total, self->metric, self->weights, self->cosine };
  GdkRGBA light, dark;

  g_return_if_fail (e->kind == MH_TRAINER_EVENT_STARTED);

  for (guint i = 0; i < G_N_ELEMENTS (plots); i++)
    mh_plot_clear (plots[i]);
  free_series (self);
  g_clear_pointer (&self->log, mh_train_log_free);
  self->log = mh_train_log_new (e);
  self->n_heads = nh;
  self->n_pairs = e->n_pairs;
  self->loss_raw = g_new (int, nh);
  self->loss_val = g_new (int, nh);
  self->metric_raw = g_new (int, nh);
  self->metric_val = g_new (int, nh);
  self->weight_series = g_new (int, nh);
  self->pair_raw = g_new (int, MAX (1, e->n_pairs));
  self->cos_ema = g_new (double, nh * nh);
  self->norm_ema = g_new (double, nh);
  self->ema_steps = 0;
  for (int h = 0; h < nh; h++)
    {
      head_colors (h, &light, &dark);
      self->loss_raw[h] = add_smoothed (self->loss, e->head_names[h], &light, &dark);
      self->metric_raw[h] = e->head_kinds[h] == MH_FIELD_CLASS
                            ? add_smoothed (self->metric, e->head_names[h], &light, &dark) : -1;
      self->weight_series[h] = mh_plot_add_series (self->weights, e->head_names[h], &light, &dark, MH_PLOT_LINE, -1);
    }
  for (int h = 0; h < nh; h++)   /* the validation series after the training ones: a tidy legend */
    {
      g_autofree char *val = g_strdup_printf ("%s (val)", e->head_names[h]);
      head_colors (h, &light, &dark);
      self->loss_val[h] = e->n_validation > 0
                          ? mh_plot_add_series (self->loss, val, &light, &dark, MH_PLOT_MARKERS, -1) : -1;
      self->metric_val[h] = e->n_validation > 0
                            ? mh_plot_add_series (self->metric, val, &light, &dark, MH_PLOT_MARKERS, -1) : -1;
    }
  {
    GdkRGBA fg_light = { 0.2f, 0.2f, 0.22f, 1 }, fg_dark = { 0.92f, 0.92f, 0.92f, 1 };
    self->total_raw = add_smoothed (self->total, "Σ wᵢ·Jᵢ", &fg_light, &fg_dark);
  }
  for (int a = 0; a < nh; a++)
    for (int b = a + 1; b < nh; b++)
      {
        GdkRGBA la, lb, da, db, l, d;
        g_autofree char *label = g_strdup_printf ("%s · %s", e->head_names[a], e->head_names[b]);
        head_colors (a, &la, &da);
        head_colors (b, &lb, &db);
        mix (&la, &lb, &l);
        mix (&da, &db, &d);
        self->pair_raw[mh_trainer_pair_index (nh, a, b)] = add_smoothed (self->cosine, label, &l, &d);
      }
  mh_conflict_view_set_heads (self->conflict, (const char *const *) e->head_names);
  {
    gboolean all_class = TRUE;
    for (int h = 0; h < nh; h++)
      all_class = all_class && e->head_kinds[h] == MH_FIELD_CLASS;
    mh_plot_set_title (self->metric, all_class ? _("Accuracy per head") : _("Metric per head (accuracy, F1, IoU)"));
  }
}

static void
add_rows (MhTrainingPanel *self, const MhTrainerEvent *e)
{
  int nh = e->n_heads, np = e->n_pairs;
  double a = 0.9;

  for (int r = 0; r < e->n_rows; r++)
    {
      double x = e->row_step[r];
      for (int h = 0; h < nh; h++)
        {
          mh_plot_append (self->loss, self->loss_raw[h], x, e->row_loss[r * nh + h]);
          if (self->metric_raw[h] >= 0)
            mh_plot_append (self->metric, self->metric_raw[h], x, e->row_metric[r * nh + h]);
          mh_plot_append (self->weights, self->weight_series[h], x, e->row_weight[r * nh + h]);
        }
      mh_plot_append (self->total, self->total_raw, x, e->row_total[r]);
      for (int p = 0; p < np; p++)
        mh_plot_append (self->cosine, self->pair_raw[p], x, e->row_cosine[r * np + p]);
      /* the matrix shows a moving average: one batch's cosine is noisy */
      for (int i = 0; i < nh; i++)
        {
          double g = e->row_grad_norm[r * nh + i];
          if (isfinite (g))
            self->norm_ema[i] = self->ema_steps == 0 ? g : a * self->norm_ema[i] + (1 - a) * g;
          for (int j = 0; j < nh; j++)
            {
              double c = i == j ? 1.0 : e->row_cosine[r * MAX (np, 1) + mh_trainer_pair_index (nh, i, j)];
              double *m = &self->cos_ema[i * nh + j];
              *m = self->ema_steps == 0 || !isfinite (*m) ? c : isfinite (c) ? a * *m + (1 - a) * c : *m;
            }
        }
      self->ema_steps++;
    }
  if (e->n_rows > 0)
    mh_conflict_view_set (self->conflict, self->cos_ema, self->norm_ema, e->weight);
}

void
mh_training_panel_add (MhTrainingPanel *self, const MhTrainerEvent *e)
{
  g_return_if_fail (MH_IS_TRAINING_PANEL (self));
  g_return_if_fail (e != NULL);

  if (self->log == NULL || e->n_heads != self->n_heads)
    return;
  mh_train_log_add (self->log, e);
  if (e->kind == MH_TRAINER_EVENT_PROGRESS)
    add_rows (self, e);
  else if (e->kind == MH_TRAINER_EVENT_EPOCH)
    {
      g_autofree char *label = g_strdup_printf (_("epoch %d"), e->epoch + 1);
      MhPlot *plots[] = { self->loss, self->total, self->metric, self->weights, self->cosine };
      for (guint i = 0; i < G_N_ELEMENTS (plots); i++)
        mh_plot_add_mark (plots[i], e->step, e->step < e->total_steps ? label : NULL);
      for (int h = 0; h < e->n_heads && e->validation != NULL; h++)
        {
          double metric = mh_head_metrics_primary (&e->validation[h], NULL);
          if (self->loss_val[h] >= 0)
            mh_plot_append (self->loss, self->loss_val[h], e->step, e->validation[h].loss);
          if (self->metric_val[h] >= 0 && isfinite (metric))
            mh_plot_append (self->metric, self->metric_val[h], e->step, metric);
        }
    }
}

void
mh_training_panel_reset (MhTrainingPanel *self)
{
  MhPlot *plots[] = { self->loss, self->total, self->metric, self->weights, self->cosine };

  for (guint i = 0; i < G_N_ELEMENTS (plots); i++)
    mh_plot_clear (plots[i]);
  free_series (self);
  g_clear_pointer (&self->log, mh_train_log_free);
  self->n_heads = self->n_pairs = 0;
  mh_conflict_view_set_heads (self->conflict, (const char *const[]) { NULL });
  mh_training_panel_set_caption (self, NULL);
}

void
mh_training_panel_set_caption (MhTrainingPanel *self, const char *caption)
{
  /* the label keeps its place when empty: showing a caption moves nothing */
  gtk_label_set_text (GTK_LABEL (self->caption), caption != NULL ? caption : "");
  gtk_widget_set_tooltip_text (self->caption, caption != NULL && *caption ? caption : NULL);
}

const char *
mh_training_panel_get_caption (MhTrainingPanel *self)
{
  const char *text = gtk_label_get_text (GTK_LABEL (self->caption));

  return *text != '\0' ? text : NULL;
}

MhTrainLog *
mh_training_panel_get_log (MhTrainingPanel *self)
{
  g_return_val_if_fail (MH_IS_TRAINING_PANEL (self), NULL);

  return self->log;
}

MhPlot *
mh_training_panel_get_plot (MhTrainingPanel *self, const char *name)
{
  g_return_val_if_fail (MH_IS_TRAINING_PANEL (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "loss"))
    return self->loss;
  if (g_str_equal (name, "total"))
    return self->total;
  if (g_str_equal (name, "metric"))
    return self->metric;
  if (g_str_equal (name, "weights"))
    return self->weights;
  if (g_str_equal (name, "cosine"))
    return self->cosine;
  return NULL;
}

static void
page_changed (MhTrainingPanel *self)
{
  const char *name = gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
  g_autofree char *topic = g_strdup_printf ("view:%s", name ? name : "loss");

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->help), "s", topic);

  if (self->page_menu != NULL && !self->syncing_pages)
    {
      g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (GTK_STACK (self->stack));
      guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));
      self->syncing_pages = TRUE;
      for (guint i = 0; i < n; i++)
        if (gtk_selection_model_is_selected (pages, i))
          gtk_drop_down_set_selected (GTK_DROP_DOWN (self->page_menu), i);
      self->syncing_pages = FALSE;
    }
  gtk_widget_set_visible (self->plot_controls, g_strcmp0 (name, "loss") == 0 || g_strcmp0 (name, "metrics") == 0
                                               || g_strcmp0 (name, "conflict") == 0);
}

void
mh_training_panel_add_page (MhTrainingPanel *self, GtkWidget *page, const char *name, const char *title)
{
  g_return_if_fail (MH_IS_TRAINING_PANEL (self));
  g_return_if_fail (GTK_IS_WIDGET (page) && name != NULL);

  gtk_stack_add_titled (GTK_STACK (self->stack), page, name, title);
}

void
mh_training_panel_show_page (MhTrainingPanel *self, const char *page)
{
  g_return_if_fail (MH_IS_TRAINING_PANEL (self));

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), page);
}

void
mh_training_panel_set_method (MhTrainingPanel *self, const char *method)
{
  int i = mh_kind_index (mh_balancing_methods, method);

  g_return_if_fail (MH_IS_TRAINING_PANEL (self));

  if (i < 0)
    return;
  self->setting_method = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->method), (guint) i);
  self->setting_method = FALSE;
  mh_conflict_view_set_note (self->conflict, mh_balancing_methods[i].about ? _(mh_balancing_methods[i].about) : NULL);
}

/* ---- building ---------------------------------------------------------------- */

static void
method_chosen (GtkDropDown *drop, GParamSpec *pspec, MhTrainingPanel *self)
{
  guint i = gtk_drop_down_get_selected (drop);
  g_autofree char *tip = NULL;

  if (i >= mh_kind_count (mh_balancing_methods))
    return;
  /* the chosen method's whole name, should a long one be ellipsized */
  tip = g_strdup_printf (_("%s: how the heads’ losses are weighted; changes apply at the next step"),
                         _(mh_balancing_methods[i].title));
  gtk_widget_set_tooltip_text (GTK_WIDGET (drop), tip);
  if (self->setting_method)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.balancing", "s", mh_balancing_methods[i].id);
}

static MhPlot *
new_plot (const char *title, gboolean expand)
{
  GtkWidget *plot = mh_plot_new ();

  mh_plot_set_title (MH_PLOT (plot), title);
  mh_plot_set_x_label (MH_PLOT (plot), _("step"));
  gtk_widget_set_hexpand (plot, expand);
  gtk_widget_set_vexpand (plot, TRUE);
  gtk_widget_add_css_class (plot, "mh-plot-card");   /* not .card: its blurred shadows cost every redraw */
  return MH_PLOT (plot);
}

static GtkWidget *
page (GtkWidget *first, GtkWidget *second)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_box_append (GTK_BOX (box), first);
  gtk_box_append (GTK_BOX (box), second);
  gtk_box_set_homogeneous (GTK_BOX (box), FALSE);
  return box;
}

static void
page_chosen (MhTrainingPanel *self)
{
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (GTK_STACK (self->stack));
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->page_menu));

  if (!self->syncing_pages && i != GTK_INVALID_LIST_POSITION)
    gtk_selection_model_select_item (pages, i, TRUE);
}

/* The page switcher while its buttons fit, a drop-down of the same pages
 * when they do not (a narrow window, longer translations). */
static GtkWidget *
page_switcher (MhTrainingPanel *self)
{
  GtkWidget *squeezer = adw_squeezer_new ();
  GtkWidget *switcher = gtk_stack_switcher_new ();
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (GTK_STACK (self->stack));

  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (self->stack));
  /* buttons as wide as their labels, not all as wide as the widest */
  gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (switcher)), FALSE);
  gtk_widget_set_name (switcher, "dashboard-switcher");
  self->page_menu = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (pages)),
                                       gtk_property_expression_new (GTK_TYPE_STACK_PAGE, NULL, "title"));
  gtk_widget_set_name (self->page_menu, "dashboard-page-menu");
  gtk_widget_set_halign (self->page_menu, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (self->page_menu, _("The dashboard’s page"));
  g_signal_connect_swapped (self->page_menu, "notify::selected", G_CALLBACK (page_chosen), self);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), switcher);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), self->page_menu);
  adw_squeezer_set_homogeneous (ADW_SQUEEZER (squeezer), FALSE);
  adw_squeezer_set_transition_type (ADW_SQUEEZER (squeezer), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  adw_squeezer_set_xalign (ADW_SQUEEZER (squeezer), 0);
  return squeezer;
}

static GtkWidget *
header (MhTrainingPanel *self)
{
  GtkWidget *wrap = mh_wrap_bar_new (), *bar = wrap;
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 0.99, 0.01);
  GtkWidget *log_button = gtk_toggle_button_new_with_label (_("Log"));
  GtkWidget *csv = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  GtkWidget *label = gtk_label_new (_("Smooth"));

  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 8);
  gtk_widget_set_margin_bottom (bar, 8);
  GtkWidget *pages = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *context = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  /* the page switcher and its "?", then the caption and the plots'
   * controls: on a second line when they do not fit (two groups: a flow box
   * aligns its children in columns, more groups would make more lines) */
  gtk_box_append (GTK_BOX (pages), page_switcher (self));
  self->help = mh_teach_help_button_new ("view:loss");
  gtk_widget_set_valign (self->help, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (pages), self->help);
  /* whose results these are ("run 3, before your edit") */
  self->caption = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->caption, "dim-label");
  gtk_label_set_ellipsize (GTK_LABEL (self->caption), PANGO_ELLIPSIZE_END);
  /* always there, its width reserved, so that a caption appearing moves nothing */
  gtk_label_set_width_chars (GTK_LABEL (self->caption), 10);
  gtk_label_set_max_width_chars (GTK_LABEL (self->caption), 10);   /* one size whatever it says; */
  /* it shows more where the line has room (it expands) */
  gtk_label_set_xalign (GTK_LABEL (self->caption), 0);
  gtk_widget_set_hexpand (self->caption, TRUE);
  mh_wrap_bar_append (bar, pages);
  gtk_box_append (GTK_BOX (context), self->caption);
  self->plot_controls = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_box_append (GTK_BOX (context), self->plot_controls);
  mh_wrap_bar_append (bar, context);
  bar = self->plot_controls;

  {
    g_auto(GStrv) titles = mh_kind_titles (mh_balancing_methods);
    self->method = gtk_drop_down_new_from_strings ((const char *const *) titles);
    gtk_widget_set_name (self->method, "balancing-method");
    mh_drop_down_ellipsize (GTK_DROP_DOWN (self->method));
  }
  gtk_widget_set_tooltip_text (self->method, _("How the heads’ losses are weighted; changes apply at the next step"));
  g_signal_connect (self->method, "notify::selected", G_CALLBACK (method_chosen), self);
  gtk_box_append (GTK_BOX (bar), self->method);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 10);
  gtk_box_append (GTK_BOX (bar), label);
  gtk_range_set_value (GTK_RANGE (scale), 0.9);
  gtk_scale_set_draw_value (GTK_SCALE (scale), FALSE);
  gtk_widget_set_size_request (scale, 100, -1);
  gtk_widget_set_tooltip_text (scale, _("Smoothing of the training curves (moving average)"));
  gtk_box_append (GTK_BOX (bar), scale);
  {
    GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (scale));
    MhPlot *smoothed[] = { self->loss, self->total, self->metric, self->cosine };
    for (guint i = 0; i < G_N_ELEMENTS (smoothed); i++)
      g_object_bind_property (adj, "value", smoothed[i], "smoothing", G_BINDING_SYNC_CREATE);
  }
  gtk_widget_set_tooltip_text (log_button, _("Logarithmic loss scale"));
  g_object_bind_property (log_button, "active", self->loss, "log-scale", G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (log_button, "active", self->total, "log-scale", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (bar), log_button);
  gtk_widget_set_tooltip_text (csv, _("Export every figure of the run as CSV"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (csv), "win.export-metrics");
  gtk_box_append (GTK_BOX (bar), csv);
  return wrap;
}

static void
mh_training_panel_dispose (GObject *object)
{
  MhTrainingPanel *self = MH_TRAINING_PANEL (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (mh_training_panel_parent_class)->dispose (object);
}

static void
mh_training_panel_finalize (GObject *object)
{
  MhTrainingPanel *self = MH_TRAINING_PANEL (object);

  free_series (self);
  g_clear_pointer (&self->log, mh_train_log_free);
  G_OBJECT_CLASS (mh_training_panel_parent_class)->finalize (object);
}

static void
mh_training_panel_class_init (MhTrainingPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_training_panel_dispose;
  object_class->finalize = mh_training_panel_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-training-panel");
}

static void
mh_training_panel_init (MhTrainingPanel *self)
{
  GtkWidget *conflict = mh_conflict_view_new ();

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_vexpand (self->stack, TRUE);

  self->loss = new_plot (_("Loss per head"), TRUE);
  self->total = new_plot (_("Total loss"), FALSE);
  gtk_widget_set_size_request (GTK_WIDGET (self->total), 260, -1);
  self->metric = new_plot (_("Accuracy per head"), TRUE);
  mh_plot_set_y_range (self->metric, 0, 1);
  self->weights = new_plot (_("Loss weights"), FALSE);
  gtk_widget_set_size_request (GTK_WIDGET (self->weights), 260, -1);
  self->cosine = new_plot (_("Cosine of each pair over time"), TRUE);
  mh_plot_set_y_range (self->cosine, -1, 1);
  self->conflict = MH_CONFLICT_VIEW (conflict);
  gtk_widget_add_css_class (conflict, "mh-plot-card");

  gtk_stack_add_titled (GTK_STACK (self->stack), page (GTK_WIDGET (self->loss), GTK_WIDGET (self->total)),
                        "loss", _("Loss"));
  gtk_stack_add_titled (GTK_STACK (self->stack), page (GTK_WIDGET (self->metric), GTK_WIDGET (self->weights)),
                        "metrics", _("Metrics"));
  gtk_stack_add_titled (GTK_STACK (self->stack), page (conflict, GTK_WIDGET (self->cosine)),
                        "conflict", _("Conflict"));
  gtk_widget_set_name (self->stack, "dashboard-stack");   /* names for lessons (docs/lessons.md) */
  gtk_widget_set_name (conflict, "conflict-view");
  gtk_widget_set_name (GTK_WIDGET (self->loss), "loss-plot");
  gtk_widget_set_name (GTK_WIDGET (self->total), "total-plot");
  gtk_widget_set_name (GTK_WIDGET (self->metric), "metric-plot");
  gtk_widget_set_name (GTK_WIDGET (self->weights), "weights-plot");
  gtk_widget_set_name (GTK_WIDGET (self->cosine), "cosine-plot");
  gtk_box_append (GTK_BOX (self->box), header (self));
  g_signal_connect_swapped (self->stack, "notify::visible-child-name", G_CALLBACK (page_changed), self);
  gtk_box_append (GTK_BOX (self->box), self->stack);
  mh_training_panel_set_method (self, "fixed");
}

GtkWidget *
mh_training_panel_new (void)
{
  return g_object_new (MH_TYPE_TRAINING_PANEL, NULL);
}
