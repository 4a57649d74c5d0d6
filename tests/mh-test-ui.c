/* mh-test-ui.c — set-up shared by the window's test programs. */
#include <adwaita.h>
#include "mh-edits.h"
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
  adw_init ();
  (void) mh_get_resource ();
  mh_edits_set_examples_dir (MH_TEST_EXAMPLES);
  return dir;
}
