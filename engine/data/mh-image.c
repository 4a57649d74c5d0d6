/* mh-image.c — image files as model inputs (mh-image.h). */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include "mh-image.h"
#include "mh-error.h"

/* The pixbuf's pixels (8 bits a sample) into out: h × w × channels bytes. */
static void
pixbuf_to_bytes (GdkPixbuf *pb, int h, int w, int channels, guint8 *out)
{
  const guint8 *px = gdk_pixbuf_read_pixels (pb);
  int stride = gdk_pixbuf_get_rowstride (pb), n_channels = gdk_pixbuf_get_n_channels (pb);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pb);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *p = px + (gsize) y * stride + (gsize) x * n_channels;
        guint a = alpha ? p[3] : 255;
        guint rgb[3] = { (p[0] * a + 127) / 255, (p[1] * a + 127) / 255, (p[2] * a + 127) / 255 };
        guint8 *o = out + ((gsize) y * w + x) * channels;

        if (channels == 1)
          o[0] = (guint8) ((299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2] + 500) / 1000);
        else
          for (int c = 0; c < 3; c++)
            o[c] = (guint8) rgb[c];
      }
}

gboolean
mh_image_load_bytes (const char *path, MhShape shape, guint8 *out, int *width, int *height,
                     GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GdkPixbuf) raw = NULL, oriented = NULL, scaled = NULL;
  int h = shape.dim[0], w = shape.dim[1], channels = shape.dim[2], fw = 0, fh = 0;
  GStatBuf st;

  g_return_val_if_fail (shape.rank == 3 && (channels == 1 || channels == 3), FALSE);

  if (g_stat (path, &st) != 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: no such file", path);
      return FALSE;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: the file is empty, not an image", path);
      return FALSE;
    }
  if (gdk_pixbuf_get_file_info (path, &fw, &fh) == NULL || fw <= 0 || fh <= 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   "%s: not an image gdk-pixbuf can read (PNG, JPEG, …), or its header is damaged", path);
      return FALSE;
    }
  if (fw > MH_IMAGE_MAX_SIDE || fh > MH_IMAGE_MAX_SIDE || (gint64) fw * fh > MH_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   "%s: the image is %d×%d pixels; images up to %d on a side and %d megapixels are "
                   "read: scale it down first", path, fw, fh, MH_IMAGE_MAX_SIDE,
                   MH_IMAGE_MAX_PIXELS / (1024 * 1024));
      return FALSE;
    }
  raw = gdk_pixbuf_new_from_file (path, &local);
  if (raw == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: cannot be decoded: %s", path, local->message);
      return FALSE;
    }
  oriented = gdk_pixbuf_apply_embedded_orientation (raw);
  scaled = gdk_pixbuf_scale_simple (oriented, w, h, GDK_INTERP_BILINEAR);
  if (scaled == NULL || gdk_pixbuf_get_bits_per_sample (scaled) != 8 || gdk_pixbuf_get_n_channels (scaled) < 3)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   "%s: cannot be resized (out of memory, or not 8-bit RGB)", path);
      return FALSE;
    }
  pixbuf_to_bytes (scaled, h, w, channels, out);
  if (width != NULL)
    *width = gdk_pixbuf_get_width (oriented);
  if (height != NULL)
    *height = gdk_pixbuf_get_height (oriented);
  return TRUE;
}

gboolean
mh_image_load_input (const char *path, MhShape shape, float *x, int *width, int *height,
                     GError **error)
{
  gsize n = mh_shape_size (&shape);
  g_autofree guint8 *bytes = g_malloc (n);

  if (!mh_image_load_bytes (path, shape, bytes, width, height, error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    x[i] = (float) bytes[i] / 255.0f;   /* as mh_dataset_fill_inputs() */
  return TRUE;
}
