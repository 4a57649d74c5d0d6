/* fuzz-image.c — libFuzzer target: an image file as a model's input
 * (mh-image.h): the decoded-size limits, the SVG check, gdk-pixbuf's
 * loaders behind them, orientation and resizing. */
#include <glib.h>
#include "mh-fuzz.h"
#include "mh-image.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t len);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t len)
{
  GError *error = NULL;
  float x[8 * 6 * 3];
  int w = 0, h = 0;

  mh_fuzz_init ();
  if (mh_image_load_input (mh_fuzz_file ("fuzz-image", data, len), mh_shape3 (6, 8, 3), x, &w, &h,
                           &error))
    g_assert (w > 0 && h > 0 && w <= MH_IMAGE_MAX_SIDE && h <= MH_IMAGE_MAX_SIDE);
  else
    g_assert (error != NULL);
  g_clear_error (&error);
  return 0;
}
