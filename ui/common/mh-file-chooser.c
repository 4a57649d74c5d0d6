/* mh-file-chooser.c — a modal native file chooser. */
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
                                        accept, "_Cancel");
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
