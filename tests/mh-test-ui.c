/* mh-test-ui.c — set-up shared by the window's test programs. */
#include <adwaita.h>
#include "mh-edits.h"
#include "mh-i18n.h"
#include "mh-resources.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"

char *
mh_test_ui_init (int *argc, char ***argv)
{
  char *dir = mh_test_tmp_dir ();
  g_autofree char *data = g_build_filename (dir, "xdg-data", NULL);

  /* each program's own user data folder: the runs recorded of the examples
   * (mh-run-store.h) are its own, not another test's */
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_test_init (argc, argv, NULL);
  /* English, whatever the desktop, unless a test asks for another
   * language (MH_TEST_LANGUAGE=de: test-layout-ui-de) */
  mh_i18n_init (g_getenv ("MH_TEST_LANGUAGE") != NULL ? g_getenv ("MH_TEST_LANGUAGE") : "en");
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
  return dir;
}

GdkTexture *
mh_test_ui_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  int width = 0, height = 0;

  /* a window between a resize and its next layout draws nothing: a few frames later it does */
  for (int tries = 0; node == NULL && tries < 50; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      if (tries > 0)
        mh_test_pump (20);
      width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));
}
