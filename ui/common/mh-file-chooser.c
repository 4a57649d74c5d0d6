/* mh-file-chooser.c — a modal native file chooser. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include "mh-file-chooser.h"

void
mh_file_chooser_show (GtkWidget *widget, const char *title, GtkFileChooserAction action,
                      const char *accept, const char *current_name, GtkFileFilter *filter,
                      gboolean multiple, GCallback response, gpointer data)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *native;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  native = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, action,
                                        accept, _("_Cancel"));
  if (filter != NULL)
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), current_name);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), multiple);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_clear_object (&filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect (native, "response", response, data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

typedef struct {
  GtkWidget    *widget;
  MhExportFunc  save;
} Export;

static void
export_chosen (GtkNativeDialog *native, int response, Export *e)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      path = g_file_get_path (file);
      if (path != NULL && !e->save (e->widget, path, &error))
        {
          GtkRoot *root = gtk_widget_get_root (e->widget);
          GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                      _("Could not export the image"), error->message);
          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (dialog));
        }
    }
  g_object_unref (native);
  g_object_unref (e->widget);
  g_free (e);
}

void
mh_file_chooser_export (GtkWidget *widget, const char *title, const char *file_name, MhExportFunc save)
{
  Export *e;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (save != NULL);

  e = g_new (Export, 1);
  e->widget = g_object_ref (widget);
  e->save = save;
  mh_file_chooser_show (widget, title, GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), file_name, NULL, FALSE,
                        G_CALLBACK (export_chosen), e);
}
