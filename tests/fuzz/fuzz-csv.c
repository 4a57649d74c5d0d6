/* fuzz-csv.c — libFuzzer target: the CSV reader, and labels.csv as an image
 * folder reads it (header, columns typed as classes, label sets or numbers). */
#include <stdlib.h>
#include <glib.h>
#include "mh-fuzz.h"
#include <glib/gstdio.h>
#include "mh-csv.h"
#include "mh-splits.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t len);

static char *csv_dir, *csv_labels;

static void
remove_folder (void)
{
  g_remove (csv_labels);
  g_rmdir (csv_dir);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t len)
{
  GError *error = NULL;
  GArray *rows;
  MhDataSpec spec = { .kind = "image-folder", .width = 8, .height = 8, .channels = 1,
                      .test_fraction = 0.2 };
  MhDataset *schema;

  mh_fuzz_init ();
  rows = mh_csv_parse ((const char *) data, len, "labels.csv", &error);

  if (rows != NULL)
    g_array_unref (rows);
  else
    g_assert (error != NULL);
  g_clear_error (&error);

  if (csv_dir == NULL)
    {
      csv_dir = g_dir_make_tmp ("fuzz-csv-XXXXXX", NULL);
      g_assert (csv_dir != NULL);
      csv_labels = g_build_filename (csv_dir, "labels.csv", NULL);
      atexit (remove_folder);
    }
  g_assert (g_file_set_contents (csv_labels, (const char *) data, (gssize) len, NULL));
  schema = mh_image_folder_schema (csv_dir, &spec, &error);
  if (schema != NULL)
    mh_dataset_free (schema);
  else
    g_assert (error != NULL);
  g_clear_error (&error);
  return 0;
}
