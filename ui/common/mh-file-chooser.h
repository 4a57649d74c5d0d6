/* mh-file-chooser.h — the one way the window asks for a file (GTK 4.8: a
 * GtkFileChooserNative; GtkFileDialog is newer). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows a modal chooser over `widget`'s window.  `filter` (transfer full)
 * and `current_name` may be NULL.  `response` (GtkNativeDialog *, int
 * response, gpointer data) gets `data` and unrefs the dialog when done. */
void mh_file_chooser_show (GtkWidget *widget, const char *title, GtkFileChooserAction action,
                           const char *accept, const char *current_name, GtkFileFilter *filter,
                           gboolean multiple, GCallback response, gpointer data);

/* Asks where to export `widget`'s picture (suggesting `file_name`; PNG, SVG
 * or PDF by the extension the user types), calls `save` with the path
 * chosen and shows its error, if any, in a dialog. */
typedef gboolean (*MhExportFunc) (GtkWidget *widget, const char *path, GError **error);
void mh_file_chooser_export (GtkWidget *widget, const char *title, const char *file_name, MhExportFunc save);

G_END_DECLS
