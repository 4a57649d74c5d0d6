/* mh-save-cairo.c — cairo drawings written atomically (mh-save-cairo.h). */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include "mh-save-cairo.h"
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
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "cannot write the PNG: %s",
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

static const cairo_user_data_key_t bytes_key;
static const cairo_user_data_key_t kind_key;

static cairo_status_t
keep_chunk (void *closure, const unsigned char *data, unsigned int len)
{
  g_byte_array_append (closure, data, len);
  return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *
mh_save_vector_surface (MhVectorKind kind, double width, double height)
{
  GByteArray *bytes = g_byte_array_new ();
  cairo_surface_t *s = kind == MH_VECTOR_SVG
                       ? cairo_svg_surface_create_for_stream (keep_chunk, bytes, width, height)
                       : cairo_pdf_surface_create_for_stream (keep_chunk, bytes, width, height);

  cairo_surface_set_user_data (s, &bytes_key, bytes, (cairo_destroy_func_t) g_byte_array_unref);
  cairo_surface_set_user_data (s, &kind_key, GINT_TO_POINTER (kind), NULL);
  return s;
}

gboolean
mh_save_vector_finish (cairo_surface_t *surface, const char *path, GError **error)
{
  GByteArray *bytes = cairo_surface_get_user_data (surface, &bytes_key);
  MhVectorKind kind = GPOINTER_TO_INT (cairo_surface_get_user_data (surface, &kind_key));
  cairo_status_t status;
  gboolean ok;

  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: cannot draw it: %s", path,
                   cairo_status_to_string (status));
      cairo_surface_destroy (surface);
      return FALSE;
    }
  /* PDF: binary; SVG: an image (mh-save.h's kinds) */
  ok = mh_save_contents (path, kind == MH_VECTOR_SVG ? MH_FILE_KIND_IMAGE : MH_FILE_KIND_BINARY,
                         bytes->data, bytes->len, MH_SAVE_DEFAULT, error);
  cairo_surface_destroy (surface);
  return ok;
}
