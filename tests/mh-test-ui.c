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
  mh_edits_set_examples_dir (MH_TEST_EXAMPLES);
  return mh_test_tmp_dir ();
}
