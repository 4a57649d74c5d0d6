/* fuzz-labels.c — libFuzzer target: an image folder's labels.csv loaded
 * whole (mh_image_folder_load): the rows' paths resolved inside the folder
 * — the folder holds images, a subfolder, a symbolic link out of it and one
 * to its parent —, the images decoded, the rows left out summarised, the
 * splits made. */
#include <stdlib.h>
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "mh-fuzz.h"
#include "mh-splits.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t len);

static char *labels_folder;

static void
remove_labels_folder (void)
{
  const char *names[] = { "labels.csv", "a.png", "sub/b.png", "out.png", "up", "sub", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (labels_folder, names[i], NULL);
      g_remove (path);
    }
  g_rmdir (labels_folder);
}

static void
labels_write_png (const char *name, double r)
{
  g_autofree char *path = g_build_filename (labels_folder, name, NULL);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 3, 2);
  cairo_t *cr = cairo_create (s);

  cairo_set_source_rgb (cr, r, 0.5, 0.2);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert (cairo_surface_write_to_png (s, path) == CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
}

static void
make_labels_folder (void)
{
  g_autofree char *sub = NULL, *out = NULL, *up = NULL;

  labels_folder = g_dir_make_tmp ("fuzz-labels-XXXXXX", NULL);
  g_assert (labels_folder != NULL);
  sub = g_build_filename (labels_folder, "sub", NULL);
  out = g_build_filename (labels_folder, "out.png", NULL);
  up = g_build_filename (labels_folder, "up", NULL);
  g_mkdir (sub, 0700);
  labels_write_png ("a.png", 1);
  labels_write_png ("sub/b.png", 0);
  g_assert (symlink ("/etc/passwd", out) == 0);
  g_assert (symlink ("..", up) == 0);
  atexit (remove_labels_folder);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t len)
{
  g_autofree char *labels = NULL;
  GError *error = NULL;
  MhDataSpec spec = { .kind = "image-labels_folder", .width = 4, .height = 4, .channels = 1,
                      .test_fraction = 0.3, .seed = 1 };
  MhSplits *s;

  mh_fuzz_init ();
  if (labels_folder == NULL)
    make_labels_folder ();
  labels = g_build_filename (labels_folder, "labels.csv", NULL);
  g_assert (g_file_set_contents (labels, (const char *) data, (gssize) len, NULL));
  s = mh_image_folder_load (labels_folder, &spec, &error);
  if (s != NULL)
    {
      /* nothing from outside the folder, and few lines whatever the rows */
      g_assert (s->train->n + s->test->n + s->validation->n <= 2 * 1000000);
      g_assert (s->skipped == NULL || s->skipped->len <= 8);
      mh_splits_free (s);
    }
  else
    g_assert (error != NULL);
  g_clear_error (&error);
  return 0;
}
