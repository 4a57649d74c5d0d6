/* fuzz-csv.c — libFuzzer target: the CSV reader, and labels.csv as an image
 * folder reads it (header, columns typed as classes, label sets or numbers). */
#include <glib.h>
#include <glib/gstdio.h>
#include "mh-csv.h"
#include "mh-splits.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t len);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t len)
{
  static char *dir, *labels;
  GError *error = NULL;
  GArray *rows = mh_csv_parse ((const char *) data, len, "labels.csv", &error);
  MhDataSpec spec = { .kind = "image-folder", .width = 8, .height = 8, .channels = 1,
                      .test_fraction = 0.2 };
  MhDataset *schema;

  if (rows != NULL)
    g_array_unref (rows);
  else
    g_assert (error != NULL);
  g_clear_error (&error);

  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("fuzz-csv-XXXXXX", NULL);
      g_assert (dir != NULL);
      labels = g_build_filename (dir, "labels.csv", NULL);
    }
  g_assert (g_file_set_contents (labels, (const char *) data, (gssize) len, NULL));
  schema = mh_image_folder_schema (dir, &spec, &error);
  if (schema != NULL)
    mh_dataset_free (schema);
  else
    g_assert (error != NULL);
  g_clear_error (&error);
  return 0;
}
