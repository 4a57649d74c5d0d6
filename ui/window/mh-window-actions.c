/* mh-window-actions.c — the window's actions: New, Open, Open Recent, Save,
 * Save As, Export Image, Undo, Redo; the primary menu; the unsaved-changes
 * dialog. */
#include "mh-window-private.h"
#include <glib/gi18n.h>
#include "mh-edits.h"
#include "mh-file-chooser.h"

/* ---- unsaved changes --------------------------------------------------- */

typedef struct {
  MhWindow       *self;
  void          (*then) (MhWindow *self, gpointer data);
  gpointer        data;
  GDestroyNotify  destroy;
} Pending;

static void
pending_free (Pending *pending)
{
  if (pending->destroy != NULL)
    pending->destroy (pending->data);
  g_object_unref (pending->self);
  g_free (pending);
}

static void save_as (MhWindow *self, Pending *pending);

static void
discard_response (AdwMessageDialog *dialog, const char *response, Pending *pending)
{
  MhWindow *self = pending->self;
  GFile *file = mh_document_get_file (self->document);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "discard"))
    pending->then (self, pending->data);
  else if (g_str_equal (response, "save"))
    {
      if (file == NULL)
        {
          save_as (self, g_steal_pointer (&pending));
          return;
        }
      if (mh_window_save_to (self, file, &error))
        pending->then (self, pending->data);
      else
        mh_window_show_error (self, _("Could not save the project"), error->message);
    }
  pending_free (pending);
}

void
_mh_window_confirm_discard (MhWindow *self, void (*then) (MhWindow *self, gpointer data),
                            gpointer data, GDestroyNotify destroy)
{
  Pending *pending = g_new0 (Pending, 1);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  *pending = (Pending) { g_object_ref (self), then, data, destroy };
  if (self->document == NULL || !mh_document_get_modified (self->document))
    {
      then (self, data);
      pending_free (pending);
      return;
    }
  title = mh_document_dup_title (self->document);
  body = g_strdup_printf (_("“%s” has changes that are not saved. Discarded changes are lost."), title);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "discard", _("_Discard"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (discard_response), pending);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- files ------------------------------------------------------------ */

static GtkFileFilter *
project_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Multihead Studio projects"));
  gtk_file_filter_add_pattern (filter, "*.mhproj");
  gtk_file_filter_add_mime_type (filter, "application/x-multihead-project");
  return filter;
}

static void
new_project (MhWindow *self, gpointer data)
{
  g_autoptr(MhDocument) document = mh_document_new_empty ();

  self->is_default = FALSE;
  mh_window_set_document (self, document);
}

static void
action_new (GSimpleAction *action, GVariant *param, gpointer widget)
{
  _mh_window_confirm_discard (MH_WINDOW (widget), new_project, NULL, NULL);
}

/* ---- new from an example -------------------------------------------------- */

static void
open_example (MhWindow *self, gpointer data)
{
  g_autoptr(GFile) file = g_file_new_for_path (data);

  mh_window_open_default (self, file);   /* a new, unsaved project; saving asks where */
}

static void
example_chosen (MhExampleGallery *gallery, const char *path, MhWindow *self)
{
  _mh_window_confirm_discard (self, open_example, g_strdup (path), g_free);
}

MhExampleGallery *
mh_window_show_examples (MhWindow *self)
{
  MhExampleGallery *gallery = mh_example_gallery_new (GTK_WINDOW (self), mh_edits_get_examples_dir ());

  g_signal_connect_object (gallery, "chosen", G_CALLBACK (example_chosen), self, 0);
  gtk_window_present (GTK_WINDOW (gallery));
  return gallery;
}

static void
action_new_from_example (GSimpleAction *action, GVariant *param, gpointer widget)
{
  mh_window_show_examples (MH_WINDOW (widget));
}

static void
open_chosen (GtkNativeDialog *native, int response, MhWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      if (!mh_window_open_file (self, file, &error))
        mh_window_show_error (self, _("Could not open the project"), error->message);
    }
  g_object_unref (native);
}

static void
choose_and_open (MhWindow *self, gpointer data)
{
  mh_file_chooser_show (GTK_WIDGET (self), _("Open Project"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), NULL,
                        project_filter (), FALSE, G_CALLBACK (open_chosen), self);
}

static void
action_open (GSimpleAction *action, GVariant *param, gpointer widget)
{
  _mh_window_confirm_discard (MH_WINDOW (widget), choose_and_open, NULL, NULL);
}

static void
open_path (MhWindow *self, gpointer data)
{
  g_autoptr(GFile) file = g_file_new_for_path (data);
  g_autoptr(GError) error = NULL;

  if (!mh_window_open_file (self, file, &error))
    mh_window_show_error (self, _("Could not open the project"), error->message);
}

static void
action_open_recent (GSimpleAction *action, GVariant *param, gpointer widget)
{
  _mh_window_confirm_discard (MH_WINDOW (widget), open_path,
                              g_strdup (g_variant_get_string (param, NULL)), g_free);
}

static void
save_chosen (GtkNativeDialog *native, int response, Pending *pending)
{
  MhWindow *self = pending->self;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      if (!mh_window_save_to (self, file, &error))
        mh_window_show_error (self, _("Could not save the project"), error->message);
      else
        {
          mh_window_toast (self, _("Saved"));
          if (pending->then != NULL)
            pending->then (self, pending->data);
        }
    }
  pending_free (pending);
  g_object_unref (native);
}

static void
save_as (MhWindow *self, Pending *pending)
{
  g_autofree char *name = NULL;

  name = g_strdup_printf ("%s.mhproj", mh_document_get_project (self->document)->name);
  mh_file_chooser_show (GTK_WIDGET (self), _("Save Project"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), name,
                        project_filter (), FALSE, G_CALLBACK (save_chosen), pending);
}

static Pending *
nothing_pending (MhWindow *self)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = g_object_ref (self);
  return pending;
}

static void
action_save_as (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);

  save_as (self, nothing_pending (self));
}

static void
action_save (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);
  GFile *file = mh_document_get_file (self->document);
  g_autoptr(GError) error = NULL;

  if (file == NULL)
    save_as (self, nothing_pending (self));
  else if (!mh_window_save_to (self, file, &error))
    mh_window_show_error (self, _("Could not save the project"), error->message);
}

/* ---- export ----------------------------------------------------------- */

static void
export_chosen (GtkNativeDialog *native, int response, MhWindow *self)
{
  GtkWidget *canvas = GTK_WIDGET (self->canvas);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (canvas), height = gtk_widget_get_height (canvas);

  if (response != GTK_RESPONSE_ACCEPT)
    {
      g_object_unref (native);
      return;
    }
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  path = g_file_get_path (file);
  paintable = gtk_widget_paintable_new (canvas);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (self)), node,
                                           &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));
  if (texture == NULL || path == NULL || !gdk_texture_save_to_png (texture, path))
    mh_window_show_error (self, _("Could not export the image"), _("The image could not be written there."));
  else
    mh_window_toast (self, _("Image exported"));
  g_object_unref (native);
}

static void
action_export (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);
  g_autofree char *file_name = g_strdup_printf ("%s.png", mh_document_get_project (self->document)->name);

  mh_file_chooser_show (GTK_WIDGET (self), _("Export Image"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), file_name,
                        NULL, FALSE, G_CALLBACK (export_chosen), self);
}

/* ---- edit ------------------------------------------------------------- */

static void
action_undo (GSimpleAction *action, GVariant *param, gpointer widget)
{
  mh_document_undo (MH_WINDOW (widget)->document);
}

static void
action_redo (GSimpleAction *action, GVariant *param, gpointer widget)
{
  mh_document_redo (MH_WINDOW (widget)->document);
}

static void
action_toggle_inspector (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->inspector_revealer,
                                 !gtk_revealer_get_reveal_child (self->inspector_revealer));
}

void
_mh_window_update_actions (MhWindow *self)
{
  GAction *undo = g_action_map_lookup_action (G_ACTION_MAP (self), "undo");
  GAction *redo = g_action_map_lookup_action (G_ACTION_MAP (self), "redo");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (undo), mh_document_can_undo (self->document));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (redo), mh_document_can_redo (self->document));
}

/* ---- menu ------------------------------------------------------------- */

void
_mh_window_update_recent (MhWindow *self)
{
  g_auto(GStrv) recent = self->settings ? g_settings_get_strv (self->settings, "recent-files") : NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) file = g_menu_new ();
  g_autoptr(GMenu) edit = g_menu_new ();
  g_autoptr(GMenu) style = g_menu_new ();
  g_autoptr(GMenu) help = g_menu_new ();
  guint shown = 0;

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; recent != NULL && recent[i] != NULL; i++)
    if (g_file_test (recent[i], G_FILE_TEST_EXISTS))
      {
        g_autofree char *base = g_path_get_basename (recent[i]);
        g_autoptr(GMenuItem) item = g_menu_item_new (base, NULL);
        g_menu_item_set_action_and_target (item, "win.open-recent", "s", recent[i]);
        g_menu_append_item (self->recent_menu, item);
        shown++;
      }
  if (shown == 0)
    g_menu_append (self->recent_menu, _("No Recent Projects"), "win.no-recent");

  g_menu_append (file, _("_New Project"), "win.new");
  g_menu_append (file, _("New from _Example…"), "win.new-from-example");
  g_menu_append (file, _("_Open…"), "win.open");
  g_menu_append_submenu (file, _("Open _Recent"), G_MENU_MODEL (self->recent_menu));
  g_menu_append (file, _("_Save"), "win.save");
  g_menu_append (file, _("Save _As…"), "win.save-as");
  g_menu_append (file, _("_Export Image…"), "win.export");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (file));
  {
    /* the model shown (the epoch slider's, or the one training) */
    g_autoptr(GMenu) model = g_menu_new ();
    g_menu_append (model, _("Save _Weights…"), "win.save-weights");
    g_menu_append (model, _("Export to _PyTorch…"), "win.export-torch");
    g_menu_append (model, _("_Load Weights…"), "win.load-weights");
    g_menu_append_section (menu, NULL, G_MENU_MODEL (model));
  }
  g_menu_append (edit, _("Show _Inspector"), "win.toggle-inspector");
  g_menu_append (edit, _("_Fit to View"), "canvas.fit");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
  {
    g_autoptr(GMenu) choices = g_menu_new ();
    g_menu_append (choices, _("Follow System"), "app.style::default");
    g_menu_append (choices, _("Light"), "app.style::light");
    g_menu_append (choices, _("Dark"), "app.style::dark");
    g_menu_append_submenu (style, _("_Appearance"), G_MENU_MODEL (choices));
  }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (style));
  g_menu_append (help, _("_Preferences"), "app.preferences");
  g_menu_append (help, _("_Keyboard Shortcuts"), "win.show-help-overlay");
  g_menu_append (help, _("_About Multihead Studio"), "app.about");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (help));
  gtk_menu_button_set_menu_model (self->menu_button, G_MENU_MODEL (menu));
}

void
_mh_window_install_actions (MhWindow *self)
{
  static const GActionEntry entries[] = {
    { "new", action_new, NULL, NULL, NULL, { 0 } },
    { "new-from-example", action_new_from_example, NULL, NULL, NULL, { 0 } },
    { "open", action_open, NULL, NULL, NULL, { 0 } },
    { "open-recent", action_open_recent, "s", NULL, NULL, { 0 } },
    { "save", action_save, NULL, NULL, NULL, { 0 } },
    { "save-as", action_save_as, NULL, NULL, NULL, { 0 } },
    { "export", action_export, NULL, NULL, NULL, { 0 } },
    { "undo", action_undo, NULL, NULL, NULL, { 0 } },
    { "redo", action_redo, NULL, NULL, NULL, { 0 } },
    { "toggle-inspector", action_toggle_inspector, NULL, NULL, NULL, { 0 } },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}
