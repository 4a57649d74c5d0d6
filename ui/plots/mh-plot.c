/* mh-plot.c — the plot widget: its series and view, the pointer (readout,
 * legend clicks, drag to zoom, double-click to see everything), the context
 * menu and export.  The drawing is in mh-plot-draw.c. */
#include <math.h>
#include <adwaita.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include "mh-plot-private.h"
#include "mh-file-chooser.h"
#include "mh-save-cairo.h"

G_DEFINE_FINAL_TYPE (MhPlot, mh_plot, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOG_SCALE,
  PROP_SMOOTHING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
series_free (MhPlotSeries *s)
{
  g_free (s->label);
  g_array_unref (s->points);
  g_array_unref (s->smooth);
  g_array_unref (s->path);
  g_free (s);
}

static void
mark_clear (MhPlotMark *m)
{
  g_free (m->label);
}

/* ---- updates: on the frame clock ------------------------------------------- */

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
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  /* the curves move 12 times a second: the other frames are free for the pointer */
  if (now - self->last_update < MIN_UPDATE_US)
    return G_SOURCE_CONTINUE;
  self->last_update = now;
  self->tick_id = 0;
  _mh_plot_normalise (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  g_clear_pointer (&self->cache, gsk_render_node_unref);   /* the axis only if its key changed */
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

/* The data or the view changed: normalise again before the next frame. */
static void
queue_update (MhPlot *self)
{
  self->dirty = TRUE;
  if (self->tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_tick, NULL, NULL);
}

static void
ensure_normalised (MhPlot *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->dirty || width != self->width || height != self->height)
    {
      _mh_plot_normalise (self, width, height);
      g_clear_pointer (&self->cache, gsk_render_node_unref);
    }
}

/* ---- series ----------------------------------------------------------------- */

static MhPlotSeries *
get_series (MhPlot *self, int series)
{
  g_return_val_if_fail (series >= 0 && (guint) series < self->series->len, NULL);
  return self->series->pdata[series];
}

int
mh_plot_add_series (MhPlot *self, const char *label, const GdkRGBA *light, const GdkRGBA *dark,
                    MhPlotStyle style, int source)
{
  MhPlotSeries *s = g_new0 (MhPlotSeries, 1);

  g_return_val_if_fail (MH_IS_PLOT (self), -1);

  s->label = g_strdup (label);
  s->light = *light;
  s->dark = dark != NULL ? *dark : *light;
  s->style = style;
  s->source = source;
  s->visible = TRUE;
  s->points = g_array_new (FALSE, FALSE, sizeof (MhPlotPoint));
  s->smooth = g_array_new (FALSE, FALSE, sizeof (double));
  s->path = g_array_new (FALSE, FALSE, sizeof (MhPlotPoint));
  g_ptr_array_add (self->series, s);
  queue_update (self);
  return (int) self->series->len - 1;
}

guint
mh_plot_get_n_series (MhPlot *self)
{
  return self->series->len;
}

void
mh_plot_append (MhPlot *self, int series, double x, double y)
{
  MhPlotSeries *s = get_series (self, series);
  MhPlotPoint p = { x, y };

  if (s == NULL)
    return;
  g_array_append_val (s->points, p);
  queue_update (self);
}

guint
mh_plot_get_n_points (MhPlot *self, int series)
{
  MhPlotSeries *s = get_series (self, series);

  return s != NULL ? _mh_plot_points (self, s)->len : 0;
}

void
mh_plot_clear (MhPlot *self)
{
  g_ptr_array_set_size (self->series, 0);
  g_array_set_size (self->marks, 0);
  queue_update (self);
}

void
mh_plot_reset (MhPlot *self)
{
  for (guint i = 0; i < self->series->len; i++)
    g_array_set_size (((MhPlotSeries *) self->series->pdata[i])->points, 0);
  g_array_set_size (self->marks, 0);
  self->zoom_x0 = self->zoom_x1 = NAN;
  queue_update (self);
}

void
mh_plot_set_series_visible (MhPlot *self, int series, gboolean visible)
{
  MhPlotSeries *s = get_series (self, series);

  if (s == NULL)
    return;
  s->visible = visible;
  /* a smoothed series takes its raw trace along */
  if (s->style == MH_PLOT_SMOOTHED && s->source >= 0)
    get_series (self, s->source)->visible = visible;
  queue_update (self);
}

gboolean
mh_plot_get_series_visible (MhPlot *self, int series)
{
  MhPlotSeries *s = get_series (self, series);

  return s != NULL && s->visible;
}

void
mh_plot_add_mark (MhPlot *self, double x, const char *label)
{
  MhPlotMark m = { x, g_strdup (label) };

  g_array_append_val (self->marks, m);
  queue_update (self);
}

void
mh_plot_set_title (MhPlot *self, const char *title)
{
  g_free (self->title);
  self->title = g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  queue_update (self);
}

void
mh_plot_set_x_label (MhPlot *self, const char *label)
{
  g_free (self->x_label);
  self->x_label = g_strdup (label);
  queue_update (self);
}

/* ---- the view ------------------------------------------------------------------ */

void
mh_plot_set_log_scale (MhPlot *self, gboolean log_scale)
{
  log_scale = !!log_scale;
  if (self->log_scale == log_scale)
    return;
  self->log_scale = log_scale;
  queue_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_SCALE]);
}

gboolean
mh_plot_get_log_scale (MhPlot *self)
{
  return self->log_scale;
}

void
mh_plot_set_smoothing (MhPlot *self, double smoothing)
{
  smoothing = CLAMP (smoothing, 0, 0.999);
  if (self->smoothing == smoothing)
    return;
  self->smoothing = smoothing;
  queue_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SMOOTHING]);
}

double
mh_plot_get_smoothing (MhPlot *self)
{
  return self->smoothing;
}

void
mh_plot_set_y_range (MhPlot *self, double lower, double upper)
{
  self->fixed_y0 = lower;
  self->fixed_y1 = upper;
  queue_update (self);
}

void
mh_plot_set_x_range (MhPlot *self, double lower, double upper)
{
  self->zoom_x0 = MIN (lower, upper);
  self->zoom_x1 = MAX (lower, upper);
  queue_update (self);
}

void
mh_plot_reset_zoom (MhPlot *self)
{
  mh_plot_set_x_range (self, NAN, NAN);
}

gboolean
mh_plot_value_to_point (MhPlot *self, double x, double y, double *px, double *py)
{
  const graphene_rect_t *f = &self->frame;
  double ty;

  if (self->dirty && self->width > 0)
    ensure_normalised (self);
  if (self->log_scale)
    {
      if (!(y > 0))
        return FALSE;
      ty = log10 (y);
    }
  else
    ty = y;
  if (!isfinite (ty) || !isfinite (x) || f->size.width <= 1 || f->size.height <= 1)
    return FALSE;
  *px = f->origin.x + (x - self->x0) / (self->x1 - self->x0) * f->size.width;
  *py = f->origin.y + f->size.height - (ty - self->y0) / (self->y1 - self->y0) * f->size.height;
  return TRUE;
}

gboolean
mh_plot_point_to_value (MhPlot *self, double px, double py, double *x, double *y)
{
  const graphene_rect_t *f = &self->frame;
  double ty;

  if (f->size.width <= 1 || f->size.height <= 1)
    return FALSE;
  *x = self->x0 + (px - f->origin.x) / f->size.width * (self->x1 - self->x0);
  ty = self->y0 + (f->origin.y + f->size.height - py) / f->size.height * (self->y1 - self->y0);
  *y = self->log_scale ? pow (10, ty) : ty;
  return TRUE;
}

/* ---- export --------------------------------------------------------------------- */

gboolean
mh_plot_export (MhPlot *self, const char *path, int width, int height, GError **error)
{
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  gboolean ok;
  MhPlotPalette pal;
  g_autofree char *lower = g_ascii_strdown (path, -1);
  gboolean png = g_str_has_suffix (lower, ".png");

  if (!png && !g_str_has_suffix (lower, ".svg") && !g_str_has_suffix (lower, ".pdf"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: the file name must end in .png, .svg or .pdf", path);
      return FALSE;
    }
  _mh_plot_palette (self, &pal);
  _mh_plot_normalise (self, width, height);
  node = _mh_plot_build (self, &pal, TRUE);
  self->dirty = TRUE;   /* back to the widget's size at the next frame */
  queue_update (self);
  /* drawn in memory, then saved atomically (mh-save-cairo.h) */
  if (png)
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * 2, height * 2);
  else
    surface = mh_save_vector_surface (g_str_has_suffix (lower, ".svg") ? MH_VECTOR_SVG : MH_VECTOR_PDF,
                                      width, height);
  cr = cairo_create (surface);
  if (png)
    cairo_scale (cr, 2, 2);   /* sharp on a slide */
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (!png)
    return mh_save_vector_finish (surface, path, error);
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, cairo_status_to_string (status));
      cairo_surface_destroy (surface);
      return FALSE;
    }
  ok = mh_save_png (path, surface, error);
  cairo_surface_destroy (surface);
  return ok;
}

static void
export_chosen (GtkNativeDialog *native, int response, MhPlot *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      path = g_file_get_path (file);
      if (path != NULL && !mh_plot_export (self, path, MAX (self->width, 720), MAX (self->height, 400), &error))
        {
          GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
          GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                      "Could not export the plot", error->message);
          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", "_Close");
          gtk_window_present (GTK_WINDOW (dialog));
        }
    }
  g_object_unref (native);
  g_object_unref (self);
}

static void
action_export (GtkWidget *widget, const char *name, GVariant *param)
{
  MhPlot *self = MH_PLOT (widget);
  g_autofree char *file_name = g_strdup_printf ("%s.png", self->title ? self->title : "plot");

  g_strdelimit (file_name, "/ ", '-');
  mh_file_chooser_show (widget, "Export Plot (PNG, SVG or PDF)", GTK_FILE_CHOOSER_ACTION_SAVE, "_Export",
                        file_name, NULL, FALSE, G_CALLBACK (export_chosen), g_object_ref (self));
}

static void
action_reset_zoom (GtkWidget *widget, const char *name, GVariant *param)
{
  mh_plot_reset_zoom (MH_PLOT (widget));
}

/* ---- the pointer ------------------------------------------------------------------ */

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
      gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
      gtk_popover_popup (GTK_POPOVER (self->menu));
      return;
    }
  if (n_press == 2)
    {
      mh_plot_reset_zoom (self);
      return;
    }
  for (guint i = 0; i < self->series->len; i++)
    {
      MhPlotSeries *s = self->series->pdata[i];
      if (graphene_rect_contains_point (&s->legend, &GRAPHENE_POINT_INIT ((float) x, (float) y)))
        {
          mh_plot_set_series_visible (self, (int) i, !s->visible);
          return;
        }
    }
}

static void
drag_begin (GtkGestureDrag *gesture, double x, double y, MhPlot *self)
{
  if (!graphene_rect_contains_point (&self->frame, &GRAPHENE_POINT_INIT ((float) x, (float) y)))
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
  self->drag_to = CLAMP (self->drag_from + dx, self->frame.origin.x, self->frame.origin.x + self->frame.size.width);
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

static void
mh_plot_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MhPlot *self = MH_PLOT (widget);
  MhPlotPalette pal;

  _mh_plot_palette (self, &pal);
  ensure_normalised (self);   /* only when no frame tick came first (size changes) */
  if (self->axis_cache == NULL)
    self->axis_cache = _mh_plot_build_axis (self, &pal);
  if (self->cache == NULL)
    self->cache = _mh_plot_build_series (self, &pal);
  gtk_snapshot_append_node (snapshot, self->axis_cache);
  gtk_snapshot_append_node (snapshot, self->cache);
  _mh_plot_overlay (self, snapshot, &pal);
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
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 260;
}

static void
mh_plot_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mh_plot_parent_class)->map (widget);
  queue_update (MH_PLOT (widget));
}

static void
theme_changed (MhPlot *self)
{
  invalidate_drawing (self);
}

static void
mh_plot_dispose (GObject *object)
{
  MhPlot *self = MH_PLOT (object);

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->axis_cache, gsk_render_node_unref);

  G_OBJECT_CLASS (mh_plot_parent_class)->dispose (object);
}

static void
mh_plot_finalize (GObject *object)
{
  MhPlot *self = MH_PLOT (object);

  g_free (self->title);
  g_free (self->x_label);
  g_free (self->axis_key);
  g_ptr_array_unref (self->series);
  g_array_unref (self->marks);
  g_array_unref (self->x_ticks);
  g_array_unref (self->y_ticks);

  G_OBJECT_CLASS (mh_plot_parent_class)->finalize (object);
}

static void
mh_plot_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MhPlot *self = MH_PLOT (object);

  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      g_value_set_boolean (value, self->log_scale);
      break;
    case PROP_SMOOTHING:
      g_value_set_double (value, self->smoothing);
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
  widget_class->map = mh_plot_map;

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

  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  self->marks = g_array_new (FALSE, FALSE, sizeof (MhPlotMark));
  g_array_set_clear_func (self->marks, (GDestroyNotify) mark_clear);
  self->x_ticks = g_array_new (FALSE, FALSE, sizeof (double));
  self->y_ticks = g_array_new (FALSE, FALSE, sizeof (double));
  self->smoothing = 0.9;
  self->fixed_y0 = self->fixed_y1 = NAN;
  self->zoom_x0 = self->zoom_x1 = NAN;
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

  g_menu_append (menu, "_Logarithmic Scale", "plot.log-scale");
  g_menu_append (menu, "Show _Everything", "plot.reset-zoom");
  g_menu_append (menu, "E_xport Image…", "plot.export");
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
