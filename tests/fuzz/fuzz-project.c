/* fuzz-project.c — libFuzzer target: the project parser (.mhproj JSON),
 * its checks, and the writer on what parses (it must parse back). */
#include <glib.h>
#include "mh-fuzz.h"
#include "mh-project.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t len);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t len)
{
  GError *error = NULL;
  MhProject *p;

  mh_fuzz_init ();
  p = mh_project_load_data ((const char *) data, (gssize) len, "fuzz.mhproj", &error);

  if (p != NULL)
    {
      gsize out_len;
      char *text = mh_project_to_data (p, &out_len);
      MhProject *again = mh_project_load_data (text, (gssize) out_len, "again.mhproj", NULL);
      g_assert (again != NULL);
      mh_project_free (again);
      g_free (text);
      mh_project_free (p);
    }
  else
    g_assert (error != NULL && error->message != NULL);
  g_clear_error (&error);
  return 0;
}
