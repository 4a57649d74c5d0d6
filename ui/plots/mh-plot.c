/* mh-plot.c — the plot widget: a figure on screen, its layers cached as
 * render nodes, the pointer (readout, legend clicks, drag to zoom,
 * double-click to see everything), the context menu and export.  The
 * figure (mh-plot-figure.c) holds the data and normalises; the layers
 * (mh-plot-layers.c) draw. */
#include <math.h>
#include <glib/gi18n.h>
#include <adwaita.h>
#include "mh-file-chooser.h"
#include "mh-plot-layers.h"
#include "mh-plot-private.h"

struct _MhPlot
{
  GtkWidget      parent_instance;

  MhPlotFigure  *figure;
  MhPlotTheme    theme;      /* context NULL: to be looked up */

  /* normalised for `width` × `height`; `dirty` when the data changed */
  gboolean       dirty;
  guint          tick_id;
  guint          wait_id;       /* a timeout to the next allowed update */
  gint64         last_update;   /* frame time of the last normalising */
  int            width, height;
  GskRenderNode *cache;         /* the DATA layers (the series) */
  GskRenderNode *axis_cache;    /* the AXIS layers: grid, ticks, marks, title, legend; they change more rarely */
  guint          axis_serial;   /* the figure's, when axis_cache was drawn */

  /* the pointer */
  gboolean       hover;
  double         hover_x, hover_y;
  gboolean       dragging;
  double         drag_from, drag_to;   /* widget x */
  GtkWidget     *menu;
  GMenuModel    *base_menu;            /* the plot's own items */
  MhPlotMenuFunc menu_func;            /* the caller's, above them */
  gpointer       menu_data;
};

G_DEFINE_FINAL_TYPE (MhPlot, mh_plot, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOG_SCALE,
  PROP_SMOOTHING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- updates: on the frame clock ------------------------------------------- */

static const MhPlotTheme *
get_theme (MhPlot *self)
{
  if (self->theme.context == NULL)
    mh_plot_theme_init_for_widget (&self->theme, GTK_WIDGET (self));
  return &self->theme;
}

static void
normalise (MhPlot *self, int width, int height)
{
  self->width = width, self->height = height;
  self->dirty = FALSE;
  mh_plot_figure_layout (self->figure, get_theme (self), width, height);
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  if (self->figure->axis_serial != self->axis_serial)   /* the axis only if what it shows changed */
    g_clear_pointer (&self->axis_cache, gsk_render_node_unref);
}

static void
invalidate_drawing (MhPlot *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->axis_cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

#define MIN_UPDATE_US (G_USEC_PER_SEC / 12)

static gboolean
update_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  MhPlot *self = MH_PLOT (widget);

  self->last_update = g_get_monotonic_time ();
  self->tick_id = 0;
  normalise (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

static void schedule_update (MhPlot *self);

static gboolean
wait_done (gpointer data)
{
  MhPlot *self = data;

  self->wait_id = 0;
  schedule_update (self);
  return G_SOURCE_REMOVE;
}

/* Normalised at the next frame, or — within 1/12 s of the last time — a
 * timeout first: the curves move 12 times a second, and between two moves
 * the frame clock may rest (a tick callback waiting would make it run every
 * frame, waking the window 60 times a second while the trainer wants the cores). */
static void
schedule_update (MhPlot *self)
{
  gint64 wait = self->last_update + MIN_UPDATE_US - g_get_monotonic_time ();

  if (self->tick_id != 0 || self->wait_id != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (wait > 1000)
    self->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((wait + 999) / 1000), wait_done, self, NULL);
  else
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_tick, NULL, NULL);
}

/* The data or the view changed: normalise again before the next frame. */
void
mh_plot_queue_update (MhPlot *self)
{
  g_return_if_fail (MH_IS_PLOT (self));

  self->dirty = TRUE;
  schedule_update (self);
}

static void
ensure_normalised (MhPlot *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->dirty || width != self->width || height != self->height)
    normalise (self, width, height);
}

/* ---- series ----------------------------------------------------------------- */

static MhPlotSeries *
get_series (MhPlot *self, int series)
{
  g_return_val_if_fail (MH_IS_PLOT (self), NULL);
  g_return_val_if_fail (series >= 0 && (guint) series < self->figure->series->len, NULL);
  return self->figure->series->pdata[series];
}

int
mh_plot_add_series (MhPlot *self, const char *label, const GdkRGBA *light, const GdkRGBA *dark,
                    MhPlotStyle style, int source)
{
  int index;

  g_return_val_if_fail (MH_IS_PLOT (self), -1);

  index = mh_plot_figure_add_series (self->figure, label, light, dark, style, source);
  mh_plot_queue_update (self);
  return index;
}

guint
mh_plot_get_n_series (MhPlot *self)
{
  g_return_val_if_fail (MH_IS_PLOT (self), 0);
  return self->figure->series->len;
}

void
mh_plot_append (MhPlot *self, int series, double x, double y)
{
  MhPlotSeries *s = get_series (self, series);

  if (s == NULL)
    return;
  mh_plot_series_append (s, x, y);
  mh_plot_queue_update (self);
}

guint
mh_plot_get_n_points (MhPlot *self, int series)
{
  MhPlotSeries *s = get_series (self, series);

  g_return_val_if_fail (MH_IS_PLOT (self), 0);

  return s != NULL ? mh_plot_series_points (s)->len : 0;
}

void
mh_plot_clear (MhPlot *self)
{
  g_return_if_fail (MH_IS_PLOT (self));

  mh_plot_figure_clear (self->figure);
  mh_plot_queue_update (self);
}

void
mh_plot_set_series_visible (MhPlot *self, int series, gboolean visible)
{
  if (get_series (self, series) == NULL)
    return;
  mh_plot_figure_set_visible (self->figure, series, visible);
  mh_plot_queue_update (self);
}

gboolean
mh_plot_get_series_visible (MhPlot *self, int series)
{
  MhPlotSeries *s = get_series (self, series);

  return s != NULL && s->visible;
}

void
mh_plot_set_series_run (MhPlot *self, int series, const char *run, MhPlotDash dash)
{
  MhPlotSeries *s = get_series (self, series);

  if (s == NULL)
    return;
  mh_plot_series_set_run (s, run);
  s->dash = dash;
  mh_plot_queue_update (self);
}


void
mh_plot_add_mark (MhPlot *self, double x, const char *label)
{
  g_return_if_fail (MH_IS_PLOT (self));

  mh_plot_figure_add_mark (self->figure, x, label);
  mh_plot_queue_update (self);
}

void
mh_plot_set_title (MhPlot *self, const char *title)
{
  g_return_if_fail (MH_IS_PLOT (self));

  mh_plot_figure_set_title (self->figure, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  mh_plot_queue_update (self);
}

void
mh_plot_set_x_label (MhPlot *self, const char *label)
{
  g_return_if_fail (MH_IS_PLOT (self));

  mh_plot_figure_set_x_label (self->figure, label);
  mh_plot_queue_update (self);
}

MhPlotFigure *
mh_plot_get_figure (MhPlot *self)
{
  g_return_val_if_fail (MH_IS_PLOT (self), NULL);
  return self->figure;
}

/* ---- the view ------------------------------------------------------------------ */

void
mh_plot_set_log_scale (MhPlot *self, gboolean log_scale)
{
  g_return_if_fail (MH_IS_PLOT (self));

  log_scale = !!log_scale;
  if (self->figure->y.log == log_scale)
    return;
  mh_plot_figure_set_log_scale (self->figure, self->figure->x.log, log_scale);
  mh_plot_queue_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_SCALE]);
}

gboolean
mh_plot_get_log_scale (MhPlot *self)
{
  g_return_val_if_fail (MH_IS_PLOT (self), FALSE);
  return self->figure->y.log;
}

void
mh_plot_set_smoothing (MhPlot *self, double smoothing)
{
  g_return_if_fail (MH_IS_PLOT (self));

  smoothing = CLAMP (smoothing, 0, 0.999);
  if (self->figure->smoothing == smoothing)
    return;
  self->figure->smoothing = smoothing;
  mh_plot_queue_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SMOOTHING]);
}

void
mh_plot_set_y_range (MhPlot *self, double lower, double upper)
{
  g_return_if_fail (MH_IS_PLOT (self));

  self->figure->fixed_y0 = lower;
  self->figure->fixed_y1 = upper;
  mh_plot_queue_update (self);
}

void
mh_plot_set_x_range (MhPlot *self, double lower, double upper)
{
  g_return_if_fail (MH_IS_PLOT (self));

  self->figure->zoom_x0 = MIN (lower, upper);
  self->figure->zoom_x1 = MAX (lower, upper);
  mh_plot_queue_update (self);
}

void
mh_plot_reset_zoom (MhPlot *self)
{
  mh_plot_set_x_range (self, NAN, NAN);
}

gboolean
mh_plot_value_to_point (MhPlot *self, double x, double y, double *px, double *py)
{
  g_return_val_if_fail (MH_IS_PLOT (self), FALSE);

  if (self->dirty && gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    ensure_normalised (self);
  return mh_plot_figure_map (self->figure, x, y, px, py);
}

gboolean
mh_plot_point_to_value (MhPlot *self, double px, double py, double *x, double *y)
{
  g_return_val_if_fail (MH_IS_PLOT (self), FALSE);
  return mh_plot_figure_unmap (self->figure, px, py, x, y);
}

/* ---- export --------------------------------------------------------------------- */

void
mh_plot_set_menu_func (MhPlot *self, MhPlotMenuFunc func, gpointer data)
{
  g_return_if_fail (MH_IS_PLOT (self));

  self->menu_func = func;
  self->menu_data = data;
}

GMenuModel *
mh_plot_dup_menu (MhPlot *self, double px, double py)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenuModel) extra = NULL;
  double x, y;

  g_return_val_if_fail (MH_IS_PLOT (self), NULL);
  if (self->menu_func != NULL && mh_plot_point_to_value (self, px, py, &x, &y))
    extra = self->menu_func (self, x, y, self->menu_data);
  if (extra != NULL)
    g_menu_append_section (menu, NULL, extra);
  g_menu_append_section (menu, NULL, self->base_menu);
  return G_MENU_MODEL (menu);
}

gboolean
mh_plot_export (MhPlot *self, const char *path, int width, int height, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (MH_IS_PLOT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  ok = mh_plot_figure_export (self->figure, get_theme (self), path, width, height, error);
  self->dirty = TRUE;   /* back to the widget's size at the next frame */
  mh_plot_queue_update (self);
  return ok;
}

static gboolean
export_at_size (GtkWidget *widget, const char *path, GError **error)
{
  MhPlot *self = MH_PLOT (widget);

  return mh_plot_export (self, path, MAX (self->width, 720), MAX (self->height, 400), error);
}

static void
action_export (GtkWidget *widget, const char *name, GVariant *param)
{
  MhPlot *self = MH_PLOT (widget);
  g_autofree char *file_name = g_strdup_printf ("%s.png", self->figure->title ? self->figure->title : "plot");

  g_strdelimit (file_name, "/ ", '-');
  mh_file_chooser_export (widget, _("Export Plot (PNG, SVG or PDF)"), file_name, export_at_size);
}

static void
action_reset_zoom (GtkWidget *widget, const char *name, GVariant *param)
{
  mh_plot_reset_zoom (MH_PLOT (widget));
}

/* ---- the pointer ------------------------------------------------------------------ */

static gboolean
in_frame (MhPlot *self, double x, double y)
{
  const MhPlotRect *f = &self->figure->frame;

  return x >= f->x && x <= f->x + f->width && y >= f->y && y <= f->y + f->height;
}

static void
motion (GtkEventControllerMotion *controller, double x, double y, MhPlot *self)
{
  self->hover = TRUE;
  self->hover_x = x, self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));   /* the overlay only: the cache stays */
}

static void
leave (GtkEventControllerMotion *controller, MhPlot *self)
{
  self->hover = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pressed (GtkGestureClick *gesture, int n_press, double x, double y, MhPlot *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (button == GDK_BUTTON_SECONDARY)
    {
      g_autoptr (GMenuModel) menu = mh_plot_dup_menu (self, x, y);
      gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), menu);
      gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
      gtk_popover_popup (GTK_POPOVER (self->menu));
      return;
    }
  if (n_press == 2)
    {
      mh_plot_reset_zoom (self);
      return;
    }
  {
    int i = mh_plot_figure_legend_at (self->figure, x, y);
    if (i >= 0)
      mh_plot_set_series_visible (self, i, !mh_plot_get_series_visible (self, i));
  }
}

static void
drag_begin (GtkGestureDrag *gesture, double x, double y, MhPlot *self)
{
  if (!in_frame (self, x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->dragging = TRUE;
  self->drag_from = self->drag_to = x;
}

static void
drag_update (GtkGestureDrag *gesture, double dx, double dy, MhPlot *self)
{
  const MhPlotRect *f = &self->figure->frame;

  self->drag_to = CLAMP (self->drag_from + dx, f->x, f->x + f->width);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end (GtkGestureDrag *gesture, double dx, double dy, MhPlot *self)
{
  double x0, x1, y;

  if (!self->dragging)
    return;
  self->dragging = FALSE;
  if (fabs (self->drag_to - self->drag_from) > 6
      && mh_plot_point_to_value (self, self->drag_from, 0, &x0, &y)
      && mh_plot_point_to_value (self, self->drag_to, 0, &x1, &y))
    mh_plot_set_x_range (self, x0, x1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- the widget ---------------------------------------------------------------------- */

static GskRenderNode *
draw_layers (MhPlot *self, MhPlotLayerGroup group)
{
  GskRenderNode *node = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (0, 0, (float) self->width, (float) self->height));
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);

  mh_plot_figure_draw (self->figure, cr, get_theme (self), group);
  cairo_destroy (cr);
  return node;
}

static void
mh_plot_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MhPlot *self = MH_PLOT (widget);
  gboolean band = self->dragging && fabs (self->drag_to - self->drag_from) > 3;
  gboolean readout = !band && self->hover && in_frame (self, self->hover_x, self->hover_y);
  cairo_t *cr;

  ensure_normalised (self);   /* only when no frame tick came first (size changes) */
  if (self->width <= 0 || self->height <= 0)
    return;
  if (self->axis_cache == NULL)
    {
      self->axis_cache = draw_layers (self, MH_PLOT_LAYER_AXIS);
      self->axis_serial = self->figure->axis_serial;
    }
  if (self->cache == NULL)
    self->cache = draw_layers (self, MH_PLOT_LAYER_DATA);
  gtk_snapshot_append_node (snapshot, self->axis_cache);
  gtk_snapshot_append_node (snapshot, self->cache);
  if (!band && !readout)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float) self->width, (float) self->height));
  if (band)
    mh_plot_layer_band (self->figure, cr, get_theme (self), self->drag_from, self->drag_to);
  else
    mh_plot_layer_readout (self->figure, cr, get_theme (self), self->hover_x, self->hover_y);
  cairo_destroy (cr);
}

GskRenderNode *
_mh_plot_get_cached_node (MhPlot *self, MhPlotLayerGroup group)
{
  return group == MH_PLOT_LAYER_AXIS ? self->axis_cache : self->cache;
}

static void
mh_plot_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  MhPlot *self = MH_PLOT (widget);

  if (width != self->width || height != self->height)
    self->dirty = TRUE;
  gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
mh_plot_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                 int *minimum_baseline, int *natural_baseline)
{
  /* small enough for two side by side in the dashboard at 1280×720 */
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 260;
}

static void
mh_plot_widget_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mh_plot_parent_class)->map (widget);
  mh_plot_queue_update (MH_PLOT (widget));
}

static void
theme_changed (MhPlot *self)
{
  mh_plot_theme_clear (&self->theme);   /* looked up again at the next frame */
  self->dirty = TRUE;
  invalidate_drawing (self);
}

static void
mh_plot_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  MhPlot *self = MH_PLOT (widget);

  GTK_WIDGET_CLASS (mh_plot_parent_class)->css_changed (widget, change);
  /* often a state (the pointer over it) that changes no colour: the caches stay then */
  if (self->theme.context != NULL && mh_plot_theme_update_for_widget (&self->theme, widget))
    invalidate_drawing (self);
}

static void
mh_plot_system_setting_changed (GtkWidget *widget, GtkSystemSetting setting)
{
  GTK_WIDGET_CLASS (mh_plot_parent_class)->system_setting_changed (widget, setting);
  theme_changed (MH_PLOT (widget));   /* the font, its size or its rendering */
}

static void
mh_plot_dispose (GObject *object)
{
  MhPlot *self = MH_PLOT (object);

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  g_clear_handle_id (&self->wait_id, g_source_remove);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_object (&self->base_menu);
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->axis_cache, gsk_render_node_unref);
  mh_plot_theme_clear (&self->theme);

  G_OBJECT_CLASS (mh_plot_parent_class)->dispose (object);
}

static void
mh_plot_finalize (GObject *object)
{
  MhPlot *self = MH_PLOT (object);

  mh_plot_figure_free (self->figure);

  G_OBJECT_CLASS (mh_plot_parent_class)->finalize (object);
}

static void
mh_plot_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MhPlot *self = MH_PLOT (object);

  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      g_value_set_boolean (value, self->figure->y.log);
      break;
    case PROP_SMOOTHING:
      g_value_set_double (value, self->figure->smoothing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_plot_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MhPlot *self = MH_PLOT (object);

  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      mh_plot_set_log_scale (self, g_value_get_boolean (value));
      break;
    case PROP_SMOOTHING:
      mh_plot_set_smoothing (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mh_plot_class_init (MhPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_plot_dispose;
  object_class->finalize = mh_plot_finalize;
  object_class->get_property = mh_plot_get_property;
  object_class->set_property = mh_plot_set_property;
  widget_class->snapshot = mh_plot_snapshot;
  widget_class->measure = mh_plot_measure;
  widget_class->size_allocate = mh_plot_size_allocate;
  widget_class->map = mh_plot_widget_map;
  widget_class->css_changed = mh_plot_css_changed;
  widget_class->system_setting_changed = mh_plot_system_setting_changed;

  properties[PROP_LOG_SCALE] =
    g_param_spec_boolean ("log-scale", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SMOOTHING] =
    g_param_spec_double ("smoothing", NULL, NULL, 0, 0.999, 0.9,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_property_action (widget_class, "plot.log-scale", "log-scale");
  gtk_widget_class_install_action (widget_class, "plot.reset-zoom", NULL, action_reset_zoom);
  gtk_widget_class_install_action (widget_class, "plot.export", NULL, action_export);
  gtk_widget_class_set_css_name (widget_class, "mh-plot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
mh_plot_init (MhPlot *self)
{
  GtkEventController *motion_controller = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();
  g_autoptr(GMenu) menu = g_menu_new ();

  self->figure = mh_plot_figure_new ();
  self->dirty = TRUE;

  g_signal_connect (motion_controller, "motion", G_CALLBACK (motion), self);
  g_signal_connect (motion_controller, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion_controller);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_menu_append (menu, _("_Logarithmic Scale"), "plot.log-scale");
  g_menu_append (menu, _("Show _Everything"), "plot.reset-zoom");
  g_menu_append (menu, _("E_xport Image…"), "plot.export");
  self->base_menu = G_MENU_MODEL (g_object_ref (menu));
  self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (theme_changed), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
mh_plot_new (void)
{
  return g_object_new (MH_TYPE_PLOT, NULL);
}
