/* mh-image.c — image files as model inputs (mh-image.h). */
#include <string.h>
#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include "mh-image.h"
#include "mh-error.h"
#include "mh-input.h"
#include "mh-save.h"

/* What "size-prepared" saw, and whether it stopped the loader. */
typedef struct {
  int      width, height;
  gboolean too_large;
  int      top, bottom; /* the rows decoded, as "area-updated" said: [top, bottom) */
} Prepared;

/* The loaders decode rows in order (top down; a BMP's bottom up; an
 * interlaced PNG's passes each span the image), so the rows seen are one
 * stretch: less than the image's height when the file ends early. */
static void
on_area_updated (GdkPixbufLoader *loader, int x, int y, int width, int height, gpointer data)
{
  Prepared *p = data;

  if (height <= 0)
    return;
  if (p->bottom == 0)
    p->top = y;
  p->top = MIN (p->top, y);
  p->bottom = MAX (p->bottom, y + height);
}

/* A JPEG that ends before its image does: libjpeg fills in the rows the
 * file lacks with grey and gdk-pixbuf's loader takes it whole.  The end
 * marker (FF D9) must follow the last scan's start (FF DA; inside a scan
 * FF is always followed by 00 or a restart marker, so a thumbnail's end
 * marker comes before it). */
static gboolean
jpeg_ends (const guint8 *b, gsize len)
{
  gsize last_sos = 0;

  for (gsize i = 2; i + 1 < len; i++)
    if (b[i] == 0xff && b[i + 1] == 0xda)
      last_sos = i;
  for (gsize i = last_sos + 2; last_sos > 0 && i + 1 < len; i++)
    if (b[i] == 0xff && b[i + 1] == 0xd9)
      return TRUE;
  return FALSE;
}

static void
on_size_prepared (GdkPixbufLoader *loader, int width, int height, gpointer data)
{
  Prepared *p = data;

  p->width = width;
  p->height = height;
  if (width > MH_IMAGE_MAX_SIDE || height > MH_IMAGE_MAX_SIDE
      || (gint64) width * height > MH_IMAGE_MAX_PIXELS)
    {
      p->too_large = TRUE;
      /* 0 × 0: the module stops before it allocates the pixels (the
       * convention gdk_pixbuf_get_file_info() relies on) */
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

static void
set_too_large (GError **error, const char *path, const char *what, int width, int height)
{
  g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
               _("%s: %s %d×%d pixels; images up to %d on a side and %d megapixels are read: scale "
               "it down first"), path, what, width, height, MH_IMAGE_MAX_SIDE,
               MH_IMAGE_MAX_PIXELS / (1024 * 1024));
}

static const char *image_type (const guint8 *b, gsize len, gboolean *bad);

/* An image an SVG embeds (bytes[0..len), the whole of it): held to what an
 * image file is — one of the formats read, its header checked as
 * image_type() checks a file's (librsvg hands it to the same gdk-pixbuf
 * loaders), its size as its loader's header says within the limits —
 * without decoding it: FALSE with an error otherwise. */
static gboolean
check_embedded (const char *path, const guint8 *bytes, gsize len, GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  Prepared p = { 0 };
  gboolean damaged;
  const char *type = image_type (bytes, len, &damaged);

  if (type == NULL || damaged)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, type == NULL
                   ? _("%s: the SVG embeds an image that is not of a format that is read (PNG, JPEG, GIF, "
                     "BMP, TIFF, WebP); it is not read")
                   : _("%s: the SVG embeds a damaged image (its header's sizes do not fit it); it is not read"),
                   path);
      return FALSE;
    }
  if ((loader = gdk_pixbuf_loader_new_with_type (type, NULL)) == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: the SVG embeds a %s image, which cannot be "
                   "read here"), path, type);
      return FALSE;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &p);
  gdk_pixbuf_loader_write (loader, bytes, len, NULL);
  gdk_pixbuf_loader_close (loader, NULL);
  if (p.too_large)
    {
      set_too_large (error, path, _("the SVG embeds an image of"), p.width, p.height);
      return FALSE;
    }
  return TRUE;
}

/* An SVG: each data: URI image is measured before librsvg decodes it whole
 * (it does, whatever the SVG's own size); references to other files and
 * nested SVGs are refused. */
static gboolean
check_svg (const char *path, const char *text, gsize len, GError **error)
{
  const char *end = text + len, *at = text;

  while ((at = g_strstr_len (at, end - at, "href")) != NULL)
    {
      const char *v = at + 4, *stop;
      char quote;

      at += 4;
      while (v < end && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
        v++;
      if (v >= end || *v != '=')
        continue;
      for (v++; v < end && g_ascii_isspace (*v); v++)
        ;
      if (v >= end || (*v != '"' && *v != '\''))
        continue;
      quote = *v++;
      stop = memchr (v, quote, end - v);
      if (stop == NULL)
        stop = end;
      while (v < stop && g_ascii_isspace (*v))
        v++;
      if (v == stop || *v == '#')   /* a link inside the document */
        continue;
      if (stop - v > 5 && g_ascii_strncasecmp (v, "data:", 5) == 0)
        {
          const char *comma = memchr (v, ',', stop - v);
          g_autofree guint8 *image = NULL;
          gint state = 0;
          guint save = 0;
          gsize n, take;

          if (comma == NULL || g_strstr_len (v, comma - v, "svg") != NULL
              || g_strstr_len (v, comma - v, ";base64") == NULL)
            {
              g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the SVG embeds an image that is "
                           "not a base64 raster image (an SVG inside an SVG, say); it is not read"),
                           path);
              return FALSE;
            }
          /* the whole image (a GIF's frames are checked to its end): less
           * than the file, which is at most MH_IMAGE_MAX_FILE */
          take = (gsize) (stop - comma - 1);
          if ((image = g_try_malloc (take / 4 * 3 + 3)) == NULL)
            {
              g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "%s: out of memory decoding the "
                           "image the SVG embeds (%" G_GSIZE_FORMAT " bytes of base64)", path, take);
              return FALSE;
            }
          n = g_base64_decode_step (comma + 1, take, image, &state, &save);
          if (!check_embedded (path, image, n, error))
            return FALSE;
          continue;
        }
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the SVG loads another file (href=\"%.*s\"); "
                   "SVG images are read only when they hold everything themselves"), path,
                   (int) MIN (stop - v, 80), v);
      return FALSE;
    }
  /* CSS: url(#id) points inside, anything else at another file */
  for (at = text; (at = g_strstr_len (at, end - at, "url(")) != NULL;)
    {
      const char *v = at + 4;
      for (at = v; v < end && (g_ascii_isspace (*v) || *v == '"' || *v == '\''); v++)
        ;
      if (v < end && *v != '#')
        {
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the SVG's style loads another file "
                       "(url(%.*s…); SVG images are read only when they hold everything themselves"),
                       path, (int) MIN (end - v, 40), v);
          return FALSE;
        }
    }
  return TRUE;
}

/* A GIF's structure walked (header, colour tables, extensions, frames):
 * FALSE when a frame is 0 pixels wide or high or reaches out of the
 * logical screen, or the blocks run past the end — gdk-pixbuf's GIF loader
 * (2.42) logs critical warnings on those rather than an error. */
static gboolean
gif_frames_ok (const guint8 *b, gsize len)
{
  gsize at = 13;
  guint screen_w, screen_h;

  if (len < 13)
    return FALSE;
  screen_w = b[6] | b[7] << 8, screen_h = b[8] | b[9] << 8;
  if (screen_w == 0 || screen_h == 0)
    return FALSE;
  if (b[10] & 0x80)
    at += 3u << ((b[10] & 7) + 1);
  while (at < len)
    {
      guint8 kind = b[at++];
      if (kind == 0x3b)   /* the end */
        return TRUE;
      if (kind == 0x2c)   /* a frame: x, y, width, height, flags */
        {
          guint x, y, w, h;
          if (at + 9 > len)
            return FALSE;
          x = b[at] | b[at + 1] << 8, y = b[at + 2] | b[at + 3] << 8;
          w = b[at + 4] | b[at + 5] << 8, h = b[at + 6] | b[at + 7] << 8;
          /* inside the logical screen, as the loader's compositing assumes */
          if (w == 0 || h == 0 || x + w > screen_w || y + h > screen_h)
            return FALSE;
          if (b[at + 8] & 0x80)
            at += 3u << ((b[at + 8] & 7) + 1);
          at += 9 + 1;    /* and the LZW code size */
        }
      else if (kind == 0x21)   /* an extension: its label */
        at++;
      else
        return FALSE;
      while (at < len && b[at] != 0)   /* sub-blocks */
        at += 1 + b[at];
      at++;
    }
  return TRUE;   /* truncated after a whole block: the loader says so */
}

/* The gdk-pixbuf module for the format the first bytes say, among those
 * read (the common formats; not the exotic loaders: ICO, TGA, XPM, …), or
 * NULL.  BMP headers are checked first (its loader grows a buffer to the
 * sizes the header claims before it validates them), GIFs' frames too. */
static const char *
image_type (const guint8 *b, gsize len, gboolean *bad)
{
  *bad = FALSE;
  if (len >= 8 && memcmp (b, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (len >= 3 && memcmp (b, "\xff\xd8\xff", 3) == 0)
    return "jpeg";
  if (len >= 6 && (memcmp (b, "GIF87a", 6) == 0 || memcmp (b, "GIF89a", 6) == 0))
    {
      *bad = !gif_frames_ok (b, len);
      return "gif";
    }
  if (len >= 4 && (memcmp (b, "II*\0", 4) == 0 || memcmp (b, "MM\0*", 4) == 0))
    return "tiff";
  if (len >= 12 && memcmp (b, "RIFF", 4) == 0 && memcmp (b + 8, "WEBP", 4) == 0)
    return "webp";
  if (len >= 2 && b[0] == 'B' && b[1] == 'M')
    {
      guint32 offset = 0, info = 0;
      if (len >= 18)
        {
          memcpy (&offset, b + 10, 4);
          memcpy (&info, b + 14, 4);
          offset = GUINT32_FROM_LE (offset);
          info = GUINT32_FROM_LE (info);
        }
      *bad = len < 26 || offset > len || offset < 14 + info
                 || (info != 12 && info != 16 && info != 40 && info != 52 && info != 56
                     && info != 64 && info != 108 && info != 124);
      if (!*bad && info >= 40 && len >= 50)
        {
          guint16 bits;
          guint32 colours;
          memcpy (&bits, b + 28, 2);
          memcpy (&colours, b + 46, 4);
          bits = GUINT16_FROM_LE (bits);
          colours = GUINT32_FROM_LE (colours);
          /* the palette: at most 256 colours, and within the bytes before the pixels */
          *bad = (bits != 1 && bits != 4 && bits != 8 && bits != 16 && bits != 24 && bits != 32)
                 || colours > 256 || (guint64) colours * 4 > offset - 14 - info;
        }
      return "bmp";
    }
  return NULL;
}

GdkPixbuf *
mh_image_decode (const char *path, GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *bytes = NULL;
  Prepared p = { 0 };
  const char *type;
  gboolean ok, damaged, svg = FALSE;
  gsize len;

  if (!(bytes = mh_input_read_all (path, "image", MH_IMAGE_MAX_FILE, &len, error)))
    return NULL;
  if (len == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: the file is empty, not an image"), path);
      return NULL;
    }
  /* An SVG is looked at before any loader sees it: the SVG loader draws it
   * when it is closed, decoding what it embeds or links whole. */
  if (len >= 2 && (guint8) bytes[0] == 0x1f && (guint8) bytes[1] == 0x8b)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: a gzip-compressed file (an .svgz, say) is "
                   "not read as an image; decompress it first"), path);
      return NULL;
    }
  type = image_type ((const guint8 *) bytes, len, &damaged);
  if (type == NULL && mh_file_kind_sniff ((const guint8 *) bytes, MIN (len, 4096)) != MH_FILE_KIND_BINARY
      && g_strstr_len (bytes, MIN (len, 65536), "<svg") != NULL)
    {
      if (!check_svg (path, bytes, len, error))
        return NULL;
      type = "svg";
      svg = TRUE;
    }
  if (type == NULL || damaged)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, damaged
                   ? _("%s: a damaged image (its header's sizes do not fit the file)")
                   : _("%s: not an image of a format that is read (PNG, JPEG, GIF, BMP, TIFF, WebP, SVG), "
                     "or its header is damaged"), path);
      return NULL;
    }
  /* raster loaders decode as the bytes come, and stop in size-prepared when
   * the image is too large */
  loader = gdk_pixbuf_loader_new_with_type (type, &local);
  if (loader == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: %s images cannot be read here: %s"), path,
                   type, local->message);
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &p);
  g_signal_connect (loader, "area-updated", G_CALLBACK (on_area_updated), &p);
  ok = gdk_pixbuf_loader_write (loader, (const guint8 *) bytes, len, &local);
  ok = gdk_pixbuf_loader_close (loader, ok && !p.too_large ? &local : NULL) && ok;
  if (p.too_large)
    {
      set_too_large (error, path, _("the image is"), p.width, p.height);
      return NULL;
    }
  if (!ok || gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: cannot be decoded%s: %s"), path,
                   svg ? " (SVG)" : "", local != NULL ? local->message : _("the image is damaged or truncated"));
      return NULL;
    }
  /* a file that ends early: the loaders decode what is there and say
   * nothing (PNG and BMP: rows never decoded; JPEG: filled in grey) */
  if (((g_str_equal (type, "png") && len > 28 && bytes[28] == 0)   /* not interlaced */
       || g_str_equal (type, "bmp"))
      && p.bottom - p.top < gdk_pixbuf_get_height (gdk_pixbuf_loader_get_pixbuf (loader)))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: truncated: the file ends before the image does "
                   "(%d of its %d rows are in it)"), path, MAX (p.bottom - p.top, 0),
                   gdk_pixbuf_get_height (gdk_pixbuf_loader_get_pixbuf (loader)));
      return NULL;
    }
  if (g_str_equal (type, "jpeg") && !jpeg_ends ((const guint8 *) bytes, len))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: truncated: the file ends before the image does "
                   "(the JPEG has no end marker after its last scan)"), path);
      return NULL;
    }
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

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

/* The oriented pixbuf into out[H·W·C], stretched to the shape. */
static gboolean
oriented_to_bytes (const char *path, GdkPixbuf *oriented, MhShape shape, guint8 *out, GError **error)
{
  g_autoptr (GdkPixbuf) scaled = NULL;
  int h = shape.dim[0], w = shape.dim[1], channels = shape.dim[2];

  scaled = gdk_pixbuf_scale_simple (oriented, w, h, GDK_INTERP_BILINEAR);
  if (scaled == NULL || gdk_pixbuf_get_bits_per_sample (scaled) != 8 || gdk_pixbuf_get_n_channels (scaled) < 3)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s: cannot be resized (out of memory, or not 8-bit RGB)"), path);
      return FALSE;
    }
  pixbuf_to_bytes (scaled, h, w, channels, out);
  return TRUE;
}

gboolean
mh_image_load_bytes (const char *path, MhShape shape, guint8 *out, int *width, int *height,
                     GError **error)
{
  g_autoptr (GdkPixbuf) raw = NULL, oriented = NULL;

  g_return_val_if_fail (shape.rank == 3 && (shape.dim[2] == 1 || shape.dim[2] == 3), FALSE);

  if (!(raw = mh_image_decode (path, error)))
    return FALSE;
  oriented = gdk_pixbuf_apply_embedded_orientation (raw);
  if (!oriented_to_bytes (path, oriented, shape, out, error))
    return FALSE;
  if (width != NULL)
    *width = gdk_pixbuf_get_width (oriented);
  if (height != NULL)
    *height = gdk_pixbuf_get_height (oriented);
  return TRUE;
}

GdkPixbuf *
mh_image_load_input_pixbuf (const char *path, MhShape shape, float *x, GError **error)
{
  g_autoptr (GdkPixbuf) raw = NULL, oriented = NULL;
  gsize n = mh_shape_size (&shape);
  g_autofree guint8 *bytes = NULL;

  g_return_val_if_fail (shape.rank == 3 && (shape.dim[2] == 1 || shape.dim[2] == 3), NULL);

  if (!(raw = mh_image_decode (path, error)))
    return NULL;
  oriented = gdk_pixbuf_apply_embedded_orientation (raw);
  bytes = g_malloc (n);
  if (!oriented_to_bytes (path, oriented, shape, bytes, error))
    return NULL;
  for (gsize i = 0; i < n; i++)
    x[i] = (float) bytes[i] / 255.0f;   /* as mh_dataset_fill_inputs() */
  return g_steal_pointer (&oriented);
}

gboolean
mh_image_load_input (const char *path, MhShape shape, float *x, int *width, int *height,
                     GError **error)
{
  g_autoptr (GdkPixbuf) oriented = mh_image_load_input_pixbuf (path, shape, x, error);

  if (oriented == NULL)
    return FALSE;
  if (width != NULL)
    *width = gdk_pixbuf_get_width (oriented);
  if (height != NULL)
    *height = gdk_pixbuf_get_height (oriented);
  return TRUE;
}
