/* mh-idx.c — reading IDX files (the format of MNIST and Fashion-MNIST).
 *
 * An IDX file is a 4-byte magic (0, 0, type, rank), `rank` big-endian
 * 32-bit dimensions, then the data in row-major order.  Files may be
 * gzip-compressed; we look at the first two bytes (1f 8b), not the name.
 * Only unsigned-byte data (type 0x08) is accepted.
 */
#include <string.h>
#include <glib/gi18n.h>
#include <gio/gio.h>
#include "mh-dataset.h"
#include "mh-error.h"
#include "mh-limits.h"
#include <glib/gstdio.h>
#include <sys/stat.h>

#define IDX_TYPE_UBYTE 0x08
#define IDX_MAX_BYTES  ((guint64) 1 << 31)

/* Open `path`; the message names the path and the reason. */
static GInputStream *
idx_open (const char *path, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local = NULL;
  GFileInputStream *in;
  const char *reason;
  GStatBuf st;

  /* a regular file: not /dev/zero, not a FIFO that would block (mh-input.h) */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot open: not a regular file "
                   "(a device or a pipe)"), path);
      return NULL;
    }
  in = g_file_read (file, NULL, &local);
  if (in != NULL)
    return G_INPUT_STREAM (in);

  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    reason = _("no such file");
  else if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    reason = _("permission denied");
  else if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    reason = _("is a directory");
  else
    reason = local->message;
  g_set_error (error, MH_ERROR, MH_ERROR_IO,
               _("%s: cannot open: %s"), path, reason);
  return NULL;
}

/* Turn an error of the (possibly decompressing) stream into ours. */
static void
idx_stream_error (const char  *path,
                  gboolean     gzip,
                  GError      *local,
                  GError     **error)
{
  if (gzip && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    g_set_error (error, MH_ERROR, MH_ERROR_IO,
                 _("%s: truncated gzip stream"), path);
  else if (gzip && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                 _("%s: corrupt gzip data: %s"), path, local->message);
  else
    g_set_error (error, MH_ERROR, MH_ERROR_IO,
                 _("%s: read error: %s"), path, local->message);
}

/* Read exactly `len` bytes at `offset` (of the decompressed data); on a short
 * read the message says what was being read, expected and got. */
static gboolean
idx_read_exact (GInputStream *in,
                const char   *path,
                gboolean      gzip,
                const char   *what,
                guint64       offset,
                void         *buf,
                gsize         len,
                GError      **error)
{
  g_autoptr(GError) local = NULL;
  gsize got = 0;

  if (!g_input_stream_read_all (in, buf, len, &got, NULL, &local))
    {
      idx_stream_error (path, gzip, local, error);
      return FALSE;
    }
  if (got < len)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO,
                   "%s: truncated %s at offset %" G_GUINT64_FORMAT
                   "%s: expected %" G_GSIZE_FORMAT " bytes, got %" G_GSIZE_FORMAT,
                   path, what, offset, gzip ? _(" of the decompressed data") : "",
                   len, got);
      return FALSE;
    }
  return TRUE;
}

/* Peek at the first two bytes and, for gzip, wrap the stream in a
 * decompressor.  Returns a new reference; *gzip tells which it was. */
static GInputStream *
idx_maybe_decompress (GInputStream *raw,
                      const char   *path,
                      gboolean     *gzip,
                      GError      **error)
{
  g_autoptr(GError) local = NULL;
  guint8 head[2] = { 0, 0 };
  gsize got = 0;

  if (!g_input_stream_read_all (raw, head, sizeof head, &got, NULL, &local) ||
      !g_seekable_seek (G_SEEKABLE (raw), 0, G_SEEK_SET, NULL, &local))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO,
                   _("%s: read error: %s"), path, local->message);
      return NULL;
    }

  *gzip = got == 2 && head[0] == 0x1f && head[1] == 0x8b;
  if (!*gzip)
    return g_object_ref (raw);

  g_autoptr(GZlibDecompressor) z =
    g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  return g_converter_input_stream_new (raw, G_CONVERTER (z));
}

/* Check the magic (0, 0, 0x08, rank in 1..4). */
static gboolean
idx_check_magic (const guint8  magic[4],
                 const char   *path,
                 GError      **error)
{
  if (magic[0] != 0 || magic[1] != 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s: not an IDX file: bytes 0–1 are %02x %02x, expected 00 00"),
                   path, magic[0], magic[1]);
      return FALSE;
    }
  if (magic[2] != IDX_TYPE_UBYTE)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s: IDX data type (byte 2) is 0x%02x; only unsigned bytes "
                   "(0x08) are supported"), path, magic[2]);
      return FALSE;
    }
  if (magic[3] < 1 || magic[3] > 4)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s: IDX rank (byte 3) is %d, expected 1 to 4"),
                   path, magic[3]);
      return FALSE;
    }
  return TRUE;
}

/* Decode the big-endian dimensions and their product, refusing anything
 * that does not fit an int or would need more than IDX_MAX_BYTES. */
static gboolean
idx_parse_dims (const guint8  *raw,
                int            rank,
                const char    *path,
                int            dims[4],
                gsize         *size,
                GError       **error)
{
  guint64 total = 1;

  for (int i = 0; i < rank; i++)
    {
      const guint8 *b = raw + 4 * i;
      guint32 d = (guint32) b[0] << 24 | (guint32) b[1] << 16 |
                  (guint32) b[2] << 8 | (guint32) b[3];

      if (d > G_MAXINT)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                       _("%s: dimension %d (offset %d) is %u, too large"),
                       path, i, 4 + 4 * i, d);
          return FALSE;
        }
      dims[i] = (int) d;
      total *= d;  /* total ≤ 2^31 and d < 2^31: no overflow */
      if (total > IDX_MAX_BYTES)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                       "%s: dimension %d (offset %d) is %u, which makes the "
                       "data larger than %" G_GUINT64_FORMAT " bytes; "
                       "not a plausible IDX file",
                       path, i, 4 + 4 * i, d, IDX_MAX_BYTES);
          return FALSE;
        }
    }
  for (int i = rank; i < 4; i++)
    dims[i] = 0;
  *size = (gsize) total;
  return mh_limits_check_bytes (total, path, _("the data its dimensions declare"), error);
}

/* The `size` bytes of data at `offset`, read in growing chunks, so that a
 * short file whose header claims gigabytes fails on its length without that
 * much memory ever being asked for (found by fuzzing).  Never NULL on
 * success, even for no data. */
static guint8 *
idx_read_data (GInputStream *in,
               const char   *path,
               gboolean      gzip,
               guint64       offset,
               gsize         size,
               GError      **error)
{
  g_autofree guint8 *data = NULL;
  gsize have = 0, capacity = MIN (size, (gsize) 1 << 20);

  data = g_try_malloc (MAX (capacity, 1));
  while (data != NULL)
    {
      g_autoptr(GError) local = NULL;
      gsize got = 0;

      if (!g_input_stream_read_all (in, data + have, capacity - have, &got, NULL, &local))
        {
          idx_stream_error (path, gzip, local, error);
          return NULL;
        }
      have += got;
      if (have < capacity)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_IO,
                       "%s: truncated data at offset %" G_GUINT64_FORMAT
                       "%s: expected %" G_GSIZE_FORMAT " bytes, got %" G_GSIZE_FORMAT,
                       path, offset, gzip ? _(" of the decompressed data") : "", size, have);
          return NULL;
        }
      if (have == size)
        return g_steal_pointer (&data);
      capacity = MIN (size, 2 * capacity);
      data = g_try_realloc (g_steal_pointer (&data), capacity);
    }
  g_set_error (error, MH_ERROR, MH_ERROR_IO,
               "%s: out of memory for %" G_GSIZE_FORMAT " bytes of data", path, size);
  return NULL;
}

/* Fail unless the stream is at its end. */
static gboolean
idx_check_end (GInputStream *in,
               const char   *path,
               gboolean      gzip,
               guint64       offset,
               GError      **error)
{
  g_autoptr(GError) local = NULL;
  guint8 extra;
  gssize got = g_input_stream_read (in, &extra, 1, NULL, &local);

  if (got < 0)
    {
      idx_stream_error (path, gzip, local, error);
      return FALSE;
    }
  if (got > 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   "%s: unexpected bytes after the data at offset %" G_GUINT64_FORMAT
                   "%s", path, offset, gzip ? _(" of the decompressed data") : "");
      return FALSE;
    }
  return TRUE;
}

guint8 *
mh_idx_read (const char  *path,
             int         *rank,
             int          dims[4],
             GError     **error)
{
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autofree guint8 *data = NULL;
  guint8 magic[4];
  guint8 raw_dims[16];
  gboolean gzip = FALSE;
  gsize size;
  int r;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (rank != NULL && dims != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  raw = idx_open (path, error);
  if (raw == NULL)
    return NULL;
  in = idx_maybe_decompress (raw, path, &gzip, error);
  if (in == NULL)
    return NULL;

  if (!idx_read_exact (in, path, gzip, "header", 0, magic, 4, error) ||
      !idx_check_magic (magic, path, error))
    return NULL;
  r = magic[3];
  if (!idx_read_exact (in, path, gzip, "dimensions", 4, raw_dims, 4 * r, error) ||
      !idx_parse_dims (raw_dims, r, path, dims, &size, error))
    return NULL;

  data = idx_read_data (in, path, gzip, 4 + 4 * r, size, error);
  if (data == NULL ||
      !idx_check_end (in, path, gzip, 4 + 4 * r + size, error))
    return NULL;

  *rank = r;
  return g_steal_pointer (&data);
}
