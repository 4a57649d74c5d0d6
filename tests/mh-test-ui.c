/* mh-test-ui.c — set-up shared by the window's test programs. */
#include <adwaita.h>
#include "mh-edits.h"
#include "mh-resources.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"

char *
mh_test_ui_init (int *argc, char ***argv)
{
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  (void) mh_get_resource ();
  {
    /* the app's style sheet, as AdwApplication loads it for the app */
    GtkCssProvider *css = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (css, "/io/github/multihead/Studio/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    g_object_unref (css);
  }
  mh_edits_set_examples_dir (MH_TEST_EXAMPLES);
  return mh_test_tmp_dir ();
}
