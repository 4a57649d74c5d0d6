/* mh-window.c — the main window: a palette on the left, the canvas, the
 * inspector on the right; the project's title and state in the header bar;
 * toasts for what the user should read; a banner when the data set is
 * missing.  File actions are in mh-window-actions.c. */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-schema.h"
#include "mh-teach.h"
#include "mh-window-private.h"

G_DEFINE_FINAL_TYPE (MhWindow, mh_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_title (MhWindow *self)
{
  g_autofree char *title = mh_document_dup_title (self->document);
  g_autofree char *shown = NULL;
  g_autofree char *subtitle = NULL;
  GFile *file = mh_document_get_file (self->document);
  gboolean modified = mh_document_get_modified (self->document);

  shown = modified ? g_strdup_printf ("• %s", title) : g_strdup (title);
  if (file != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *dir = parent ? g_file_get_parse_name (parent) : g_strdup ("");
      const char *home = g_get_home_dir ();
      subtitle = g_str_has_prefix (dir, home) ? g_strdup_printf ("~%s", dir + strlen (home)) : g_strdup (dir);
    }
  else
    subtitle = g_strdup (self->is_default ? _("Example project") : _("Not saved"));
  adw_window_title_set_title (self->title, shown);
  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
update_banner (MhWindow *self)
{
  const MhAnalysis *a = mh_document_get_analysis (self->document);

  if (a->data_missing != NULL)
    gtk_label_set_text (self->banner_label, a->data_missing);
  gtk_revealer_set_reveal_child (self->banner, a->data_missing != NULL);
}

static void
document_changed (MhWindow *self)
{
  const MhProject *p = mh_document_get_project (self->document);

  self->is_default = self->is_default && !mh_document_get_modified (self->document);
  /* a project with no model yet: the examples are one click away */
  gtk_widget_set_visible (self->examples_button, p->backbone->len == 0 && p->heads->len == 0);
  update_title (self);
  update_banner (self);
  _mh_window_update_actions (self);
  _mh_window_training_changed (self);
  _mh_window_results_changed (self);
  _mh_window_runs_changed (self);
}

static void
selection_changed (MhWindow *self)
{
  GArray *selection = mh_canvas_get_selection (self->canvas);

  mh_inspector_set_block (self->inspector, selection->len == 1
                          ? g_array_index (selection, MhBlockRef, 0)
                          : MH_BLOCK_REF (MH_BLOCK_NONE, 0));
}

static void
canvas_message (MhWindow *self, const char *message)
{
  mh_window_toast (self, message);
}

static void
zoom_changed (MhWindow *self)
{
  g_autofree char *text = g_strdup_printf ("%.0f%%", mh_canvas_get_zoom (self->canvas) * 100);

  gtk_label_set_text (self->zoom_label, text);
}

static void
palette_activated (MhWindow *self, const char *id)
{
  mh_canvas_add (self->canvas, id, NAN, NAN, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

/* template_file: the example the document was made from (its runs' place). */
static void
set_document (MhWindow *self, MhDocument *document, const char *template_file)
{
  /* a clean slate: the last project's run stops (recorded), and no plot,
   * status, card, map or matrix of it stays */
  _mh_window_training_forget (self);
  while (self->shown_toasts->len > 0)   /* "Training finished — test: …" was the last project's */
    {
      g_autoptr (AdwToast) toast = g_object_ref (self->shown_toasts->pdata[self->shown_toasts->len - 1]);
      g_ptr_array_remove_index (self->shown_toasts, self->shown_toasts->len - 1);
      adw_toast_dismiss (toast);
    }
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  _mh_window_results_clear (self);
  _mh_window_training_document (self);
  g_signal_connect_object (document, "changed", G_CALLBACK (document_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (document, "notify::modified", G_CALLBACK (document_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (document, "notify::file", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  mh_canvas_set_document (self->canvas, document);
  mh_inspector_set_document (self->inspector, document);
  _mh_window_runs_document (self, template_file);
  document_changed (self);
}

void
mh_window_set_document (MhWindow *self, MhDocument *document)
{
  set_document (self, document, NULL);
}

MhDocument *
mh_window_get_document (MhWindow *self)
{
  return self->document;
}

MhCanvas *
mh_window_get_canvas (MhWindow *self)
{
  return self->canvas;
}

gboolean
mh_window_open_file (MhWindow *self, GFile *file, GError **error)
{
  g_autoptr(MhDocument) document = mh_document_load (file, error);
  MhApplication *app = MH_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (document == NULL)
    return FALSE;
  self->is_default = FALSE;
  mh_window_set_document (self, document);
  if (mh_document_get_analysis (document)->first_problem != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("A draft: %s — the marked block says what to fix"),
                                                  mh_document_get_analysis (document)->first_problem);
      mh_window_toast (self, message);
    }
  if (app != NULL)
    mh_application_add_recent (app, file);
  return TRUE;
}

void
mh_window_open_default (MhWindow *self, GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhDocument) loaded = mh_document_load (file, &error);
  g_autoptr(MhDocument) document = NULL;

  if (loaded != NULL)   /* an example is a template: saving asks where */
    document = mh_document_new (mh_project_copy (mh_document_get_project (loaded)), NULL);
  else
    document = mh_document_new_empty ();
  self->is_default = loaded != NULL;
  {
    g_autofree char *path = loaded != NULL ? g_file_get_path (file) : NULL;
    set_document (self, document, path);   /* its runs go where the example's go */
  }
  if (loaded == NULL)
    mh_window_show_error (self, _("The example project is missing"), error->message);
}

gboolean
mh_window_save_to (MhWindow *self, GFile *file, GError **error)
{
  const MhAnalysis *a = mh_document_get_analysis (self->document);
  MhApplication *app = MH_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (!mh_document_save (self->document, file, error))
    return FALSE;
  if (a->first_problem != NULL)   /* a draft: saved with its problem */
    {
      g_autofree char *message = g_strdup_printf (_("Saved as a draft: %s"), a->first_problem);
      mh_window_toast (self, message);
    }
  self->is_default = FALSE;
  if (app != NULL)
    mh_application_add_recent (app, file);
  update_title (self);
  return TRUE;
}

void
mh_window_show_error (MhWindow *self, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
toast_dismissed (AdwToast *toast, MhWindow *self)
{
  if (self->shown_toasts != NULL)
    g_ptr_array_remove (self->shown_toasts, toast);
}

void
_mh_window_add_toast (MhWindow *self, AdwToast *toast)
{
  /* kept until dismissed: another project dismisses them (they are about this one) */
  g_ptr_array_add (self->shown_toasts, g_object_ref (toast));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

void
mh_window_toast (MhWindow *self, const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  _mh_window_add_toast (self, toast);
}

/* ---- dropping a project file on the window ----------------------------- */

static void
open_dropped (MhWindow *self, gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!mh_window_open_file (self, data, &error))
    mh_window_show_error (self, _("Could not open the project"), error->message);
}

static gboolean
is_project (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);

  return name != NULL && g_str_has_suffix (name, ".mhproj");
}

/* A project opens; image files go to the predictions board. */
static gboolean
file_dropped (GtkDropTarget *target, const GValue *value, double x, double y, MhWindow *self)
{
  g_autoptr (GPtrArray) images = g_ptr_array_new ();
  GSList *files = NULL, *one = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    files = g_value_get_boxed (value);
  else if (g_value_get_object (value) != NULL)
    files = one = g_slist_prepend (NULL, g_value_get_object (value));
  for (GSList *l = files; l != NULL; l = l->next)
    if (is_project (l->data))
      {
        _mh_window_confirm_discard (self, open_dropped, g_object_ref (l->data), g_object_unref);
        g_slist_free (one);
        return TRUE;
      }
    else
      g_ptr_array_add (images, l->data);
  _mh_window_add_images (self, (GFile **) images->pdata, images->len);
  g_slist_free (one);
  return files != NULL;
}

/* ---- class ------------------------------------------------------------ */

static void
close_now (MhWindow *self, gpointer data)
{
  g_clear_object (&self->document);   /* nothing left to ask about */
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
mh_window_close_request (GtkWindow *window)
{
  MhWindow *self = MH_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }
  if (self->document != NULL && mh_document_get_modified (self->document))
    {
      _mh_window_confirm_discard (self, close_now, NULL, NULL);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (mh_window_parent_class)->close_request (window);
}

void
mh_window_size_for_monitor (int monitor_width, int monitor_height, int *width, int *height)
{
  g_return_if_fail (width != NULL && height != NULL);

  if (monitor_width <= 0 || monitor_height <= 0)   /* no monitor known: as asked */
    return;
  /* room for a top bar (GNOME's is 32 pixels at 720) or a dock, never
   * less than 640×480; the saved or template size otherwise (a 4K screen
   * does not make a 4K window) */
  *width = CLAMP (*width, 640, MAX (640, monitor_width - monitor_width / 32));
  *height = CLAMP (*height, 480, MAX (480, monitor_height - MAX (32, monitor_height / 24)));
}

/* The default size within the monitor the window will most likely open on
 * (the first: X11 and Wayland list the primary one first). */
static void
fit_to_monitor (MhWindow *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GListModel *monitors = display != NULL ? gdk_display_get_monitors (display) : NULL;
  g_autoptr(GdkMonitor) monitor = monitors != NULL && g_list_model_get_n_items (monitors) > 0
                                  ? g_list_model_get_item (monitors, 0) : NULL;
  GdkRectangle geometry = { 0 };
  int width, height;

  if (monitor == NULL)
    return;
  gdk_monitor_get_geometry (monitor, &geometry);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width <= 0 || height <= 0)
    return;
  mh_window_size_for_monitor (geometry.width, geometry.height, &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
}

MhWindow *
mh_window_new (MhApplication *app)
{
  return g_object_new (MH_TYPE_WINDOW, "application", app, NULL);
}

static void
mh_window_constructed (GObject *object)
{
  MhWindow *self = MH_WINDOW (object);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  G_OBJECT_CLASS (mh_window_parent_class)->constructed (object);

  if (MH_IS_APPLICATION (app))
    self->settings = mh_application_get_settings (MH_APPLICATION (app));
  if (self->settings != NULL)
    {
      g_object_ref (self->settings);
      gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_signal_connect_object (self->settings, "changed::recent-files",
                               G_CALLBACK (_mh_window_update_recent), self, G_CONNECT_SWAPPED);
    }
  fit_to_monitor (self);
  _mh_window_update_recent (self);
  mh_palette_refresh (self->palette);
}

static void
mh_window_dispose (GObject *object)
{
  MhWindow *self = MH_WINDOW (object);

  _mh_window_training_dispose (self);
  _mh_window_runs_dispose (self);
  _mh_window_results_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MH_TYPE_WINDOW);
  g_clear_object (&self->document);
  g_clear_object (&self->settings);
  g_clear_object (&self->recent_menu);
  g_clear_pointer (&self->shown_toasts, g_ptr_array_unref);

  G_OBJECT_CLASS (mh_window_parent_class)->dispose (object);
}

static void
mh_window_class_init (MhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = mh_window_constructed;
  object_class->dispose = mh_window_dispose;
  window_class->close_request = mh_window_close_request;

  g_type_ensure (MH_TYPE_CANVAS);
  g_type_ensure (MH_TYPE_INSPECTOR);
  g_type_ensure (MH_TYPE_PALETTE);
  g_type_ensure (MH_TYPE_TRAINING_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/multihead/Studio/ui/mh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MhWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, title);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, palette);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, inspector_revealer);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, examples_button);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, train_controls);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, train_button);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, train_label);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, step_button);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, progress_state);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, MhWindow, training_panel);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, canvas_message);
  gtk_widget_class_bind_template_callback (widget_class, zoom_changed);
  gtk_widget_class_bind_template_callback (widget_class, palette_activated);
  mh_teach_class_init (widget_class);
}

static void
add_shortcuts (MhWindow *self)
{
  static const struct { const char *trigger, *action; } shortcuts[] = {
    { "<Control>n", "win.new" },
    { "<Control><Shift>n", "win.new-from-example" },
    { "<Control>o", "win.open" },
    { "<Control>s", "win.save" },
    { "<Control><Shift>s", "win.save-as" },
    { "<Control>e", "win.export" },
    { "<Control>z", "win.undo" },
    { "<Control><Shift>z", "win.redo" },
    { "<Control>y", "win.redo" },
    { "space", "win.pause" },
    { "<Control><Shift>v", "win.paste-image" },
    { "<Control>i", "win.open-images" },
  };
  /* Function keys are never typed: they go to the window before any widget
   * sees them (GtkPaned, around the canvas, would take F6 for itself). */
  static const struct { const char *trigger, *action; } function_keys[] = {
    { "F9", "win.toggle-inspector" },
    { "F1", "win.learn" },
    { "F5", "win.train" },
    { "<Shift>F5", "win.stop" },
    { "F6", "win.step" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkEventController *first = gtk_shortcut_controller_new ();

  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string (shortcuts[i].trigger),
                                                            gtk_named_action_new (shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  for (guint i = 0; i < G_N_ELEMENTS (function_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (first),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string (function_keys[i].trigger),
                                                            gtk_named_action_new (function_keys[i].action)));
  gtk_event_controller_set_propagation_phase (first, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (GTK_WIDGET (self), first);
}

/* The dashboard's share, once the window has its size: it is always
 * there, so nothing moves when training starts. */
static gboolean
place_panel (gpointer data)
{
  MhWindow *self = data;

  if (!self->panel_placed && self->paned != NULL)
    _mh_window_show_panel (self);
  return G_SOURCE_REMOVE;
}

static void
window_mapped (MhWindow *self)
{
  g_timeout_add_full (G_PRIORITY_DEFAULT, 30, place_panel, g_object_ref (self), g_object_unref);
}

static void
mh_window_init (MhWindow *self)
{
  GtkDropTarget *drop;

  self->shown_toasts = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  _mh_window_install_actions (self);
  _mh_window_training_init (self);
  _mh_window_results_init (self);
  _mh_window_model_init (self);
  _mh_window_runs_init (self);
  mh_teach_install (self);
  add_shortcuts (self);
  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect (drop, "drop", G_CALLBACK (file_dropped), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  self->recent_menu = g_menu_new ();
  g_signal_connect (self, "map", G_CALLBACK (window_mapped), NULL);
  zoom_changed (self);
}
