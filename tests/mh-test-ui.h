/* mh-test-ui.h — what the window's test programs share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MH_TEST_EXAMPLES MH_SOURCE_DIR "/resources/examples"

/* GTK and libadwaita for a test under Xvfb: the cairo renderer, no
 * accessibility bus, the app's resources and examples.  Returns a new
 * temporary directory (remove with mh_test_rm_rf()). */
char *mh_test_ui_init (int *argc, char ***argv);

G_END_DECLS
