/* mh-save-cairo.c — cairo drawings written atomically (mh-save-cairo.h). */
#include "mh-save-cairo.h"
#include <glib/gi18n.h>
#include "mh-error.h"
#include "mh-save.h"

static cairo_status_t
write_chunk (void *closure, const unsigned char *data, unsigned int len)
{
  return g_output_stream_write_all (closure, data, len, NULL, NULL, NULL)
         ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static gboolean
write_png (GOutputStream *out, gpointer surface, GError **error)
{
  cairo_status_t status = cairo_surface_write_to_png_stream (surface, write_chunk, out);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("cannot write the PNG: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
mh_save_png (const char *path, cairo_surface_t *surface, GError **error)
{
  return mh_save_stream (path, MH_FILE_KIND_IMAGE, MH_SAVE_DEFAULT, write_png, surface, error);
}
