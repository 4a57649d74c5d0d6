/* mh-test-ui.h — what the window's test programs share. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MH_TEST_EXAMPLES MH_SOURCE_DIR "/resources/examples"

/* GTK and libadwaita for a test under Xvfb: the cairo renderer, no
 * accessibility bus, the app's resources and examples.  Returns a new
 * temporary directory (remove with mh_test_rm_rf()). */
char *mh_test_ui_init (int *argc, char ***argv);

/* `widget` (a window, say) rendered as its renderer draws it (transfer full). */
GdkTexture *mh_test_ui_render (GtkWidget *widget);

G_END_DECLS
