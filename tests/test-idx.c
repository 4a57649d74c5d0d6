/* test-idx.c — reading IDX files (mh_idx_read): plain and gzip, and every
 * way a file can be broken.
 *
 * The tests write their own small IDX files into a temporary directory, so
 * they need neither the real dataset nor network.
 */
#include <string.h>
#include "mh-dataset.h"
#include "mh-test-util.h"

#define IMAGE (28 * 28)

/* Writes `data` to dir/name, gzip-compressed or plain; returns the path. */
static char *
write_maybe_gzip (const char   *dir,
                  const char   *name,
                  gboolean      gzip,
                  const guint8 *data,
                  gsize         len)
{
  char *path = g_build_filename (dir, name, NULL);

  mh_test_write_file (path, data, len, gzip);
  return path;
}

/* An IDX file whose data need not agree with its dims; returns the path. */
static char *
write_idx (const char    *dir,
           const char    *name,
           gboolean       gzip,
           int            rank,
           const guint32 *dims,
           const guint8  *data,
           gsize          len)
{
  g_autoptr(GByteArray) b = mh_test_idx_bytes (rank, dims, data, len);

  return write_maybe_gzip (dir, name, gzip, b->data, b->len);
}

static guint8 *
pattern (gsize  len,
         guint  seed)
{
  guint8 *p = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    p[i] = (guint8) ((i * 31 + seed * 17 + (i >> 8)) & 0xff);
  return p;
}

/* Read `path` and check rank, dims (zero beyond the rank) and bytes. */
static void
check_idx_roundtrip (const char    *path,
                     int            rank,
                     const guint32 *dims,
                     const guint8  *data,
                     gsize          len)
{
  g_autoptr(GError) error = NULL;
  int got_rank = -1, got_dims[4] = { -1, -1, -1, -1 };
  g_autofree guint8 *got = mh_idx_read (path, &got_rank, got_dims, &error);

  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpint (got_rank, ==, rank);
  for (int i = 0; i < 4; i++)
    g_assert_cmpint (got_dims[i], ==, i < rank ? (int) dims[i] : 0);
  if (len > 0)
    g_assert_cmpmem (got, len, data, len);
}

static void
test_idx_plain (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  const guint32 d3[] = { 2, 3, 4 }, d1[] = { 7 }, d4[] = { 1, 2, 3, 2 };
  const guint32 empty[] = { 0, 28, 28 };
  g_autofree guint8 *data = pattern (24, 1);
  /* A plain file whose name says gzip: the content decides. */
  g_autofree char *p3 = write_idx (dir, "plain.idx.gz", FALSE, 3, d3, data, 24);
  g_autofree char *p1 = write_idx (dir, "labels.idx", FALSE, 1, d1, data, 7);
  g_autofree char *p4 = write_idx (dir, "rank4.idx", FALSE, 4, d4, data, 12);
  g_autofree char *p0 = write_idx (dir, "empty.idx", FALSE, 3, empty, NULL, 0);

  check_idx_roundtrip (p3, 3, d3, data, 24);
  check_idx_roundtrip (p1, 1, d1, data, 7);
  check_idx_roundtrip (p4, 4, d4, data, 12);
  check_idx_roundtrip (p0, 3, empty, NULL, 0);
  mh_test_rm_rf (dir);
}

static void
test_idx_gzip (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  const guint32 small[] = { 2, 3, 4 };
  const guint32 big[] = { 1500, 28, 28 };  /* ≈ 1.2 MB: many converter buffers */
  gsize big_len = 1500 * IMAGE;
  g_autofree guint8 *data = pattern (big_len, 2);
  /* Gzip files whose names do not say so. */
  g_autofree char *ps = write_idx (dir, "small.idx", TRUE, 3, small, data, 24);
  g_autofree char *pb = write_idx (dir, "big", TRUE, 3, big, data, big_len);

  check_idx_roundtrip (ps, 3, small, data, 24);
  check_idx_roundtrip (pb, 3, big, data, big_len);
  mh_test_rm_rf (dir);
}

static void
test_idx_missing (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "nothing-here.idx", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  int rank, dims[4];

  g_assert_null (mh_idx_read (path, &rank, dims, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_IO, path, "no such file", NULL);

  g_assert_null (mh_idx_read (dir, &rank, dims, &error2));
  g_assert_error (error2, MH_ERROR, MH_ERROR_IO);
  g_assert_nonnull (strstr (error2->message, dir));
  mh_test_rm_rf (dir);
}

static void
test_idx_truncated (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  const guint32 dims[] = { 2, 3, 4 };
  g_autofree guint8 *data = pattern (24, 3);
  g_autoptr(GByteArray) b = mh_test_idx_bytes (3, dims, data, 24);
  const struct {
    const char *name;
    gboolean    gzip;
    gsize       len;
    const char *expect[3];
  } cases[] = {
    { "short-data.idx", FALSE, 16 + 20, { "data", "expected 24 bytes", "got 20" } },
    { "short-data-gz.idx", TRUE, 16 + 20, { "data", "expected 24 bytes", "got 20" } },
    { "short-dims.idx", FALSE, 10, { "dimensions", "expected 12 bytes", "got 6" } },
    { "short-header.idx", FALSE, 3, { "header", "expected 4 bytes", "got 3" } },
    { "empty.idx", FALSE, 0, { "header", "expected 4 bytes", "got 0" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_maybe_gzip (dir, cases[i].name, cases[i].gzip,
                                                b->data, cases[i].len);
      int rank, got[4];

      g_test_message ("case %s", cases[i].name);
      g_assert_null (mh_idx_read (path, &rank, got, &error));
      mh_test_assert_error_mentions (error, MH_ERROR_IO, cases[i].name, cases[i].expect[0],
                                     cases[i].expect[1], cases[i].expect[2], NULL);
    }
  mh_test_rm_rf (dir);
}

static void
test_idx_trailing (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  const guint32 dims[] = { 2, 3, 4 };
  g_autofree guint8 *data = pattern (25, 4);

  for (int gzip = 0; gzip <= 1; gzip++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_idx (dir, gzip ? "extra-gz.idx" : "extra.idx",
                                         gzip, 3, dims, data, 25);
      int rank, got[4];

      g_assert_null (mh_idx_read (path, &rank, got, &error));
      /* 4 magic + 12 dims + 24 data = offset 40 */
      mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, path, "offset 40", NULL);
    }
  mh_test_rm_rf (dir);
}

static void
test_idx_bad_magic (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  const guint32 dims[] = { 1, 1, 1, 1 };
  const guint8 one = 7;
  const struct {
    guint8      magic[4];
    gboolean    gzip;
    const char *expect;
  } cases[] = {
    { { 0x01, 0x00, 0x08, 0x01 }, FALSE, "01 00" },
    { { 0x00, 0x02, 0x08, 0x01 }, TRUE, "00 02" },
    { { 0x00, 0x00, 0x0d, 0x01 }, FALSE, "0x0d" },  /* float data */
    { { 0x00, 0x00, 0x08, 0x00 }, FALSE, "rank" },
    { { 0x00, 0x00, 0x08, 0x05 }, TRUE, "rank" },
    { { 0x1f, 0x00, 0x08, 0x01 }, FALSE, "1f 00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GByteArray) b = mh_test_idx_bytes (4, dims, &one, 1);
      g_autofree char *name = g_strdup_printf ("magic-%u.idx", i);
      g_autofree char *path = NULL;
      int rank, got[4];

      memcpy (b->data, cases[i].magic, 4);
      path = write_maybe_gzip (dir, name, cases[i].gzip, b->data, b->len);
      g_assert_null (mh_idx_read (path, &rank, got, &error));
      mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, name, cases[i].expect, NULL);
    }
  mh_test_rm_rf (dir);
}

static void
test_idx_absurd_dims (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  const guint32 huge[] = { 65536, 65536, 1 };           /* 4 GiB */
  const guint32 wrap[] = { 0x10000, 0x10000, 0x10000, 0x10000 };  /* 2^64 */
  const guint32 neg[] = { 0xffffffff, 1 };              /* not an int */
  const struct {
    const char    *name;
    int            rank;
    const guint32 *dims;
  } cases[] = {
    { "huge.idx", 3, huge },
    { "wrap.idx", 4, wrap },
    { "neg.idx", 2, neg },
  };

  /* No data follows: a reader that believed the dims would report a
   * truncated file (MH_ERROR_IO) after a huge malloc, not MH_ERROR_FORMAT. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_idx (dir, cases[i].name, FALSE,
                                         cases[i].rank, cases[i].dims, NULL, 0);
      int rank, got[4];

      g_assert_null (mh_idx_read (path, &rank, got, &error));
      mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, cases[i].name, "dimension", NULL);
    }
  mh_test_rm_rf (dir);
}

static void
test_idx_corrupt_gzip (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  const guint32 dims[] = { 20, 28, 28 };
  g_autofree guint8 *data = pattern (20 * IMAGE, 5);
  g_autoptr(GByteArray) b = mh_test_idx_bytes (3, dims, data, 20 * IMAGE);
  g_autoptr(GBytes) z = mh_test_gzip (b->data, b->len);
  gsize zlen;
  const guint8 *zdata = g_bytes_get_data (z, &zlen);
  g_autofree guint8 *bad = g_memdup2 (zdata, zlen);
  /* A gzip header followed by bytes that are not deflate data. */
  const guint8 garbage[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03,
                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autofree char *p1 = g_build_filename (dir, "garbage.gz", NULL);
  g_autofree char *p2 = g_build_filename (dir, "crc.gz", NULL);
  g_autofree char *p3 = g_build_filename (dir, "cut.gz", NULL);
  int rank, got[4];

  mh_test_write_file (p1, garbage, sizeof garbage, FALSE);
  g_assert_null (mh_idx_read (p1, &rank, got, &e1));
  mh_test_assert_error_mentions (e1, MH_ERROR_FORMAT, "garbage.gz", "gzip", NULL);

  /* Same length, wrong CRC-32 in the trailer: the data check must fail. */
  bad[zlen - 8] ^= 0x55;
  mh_test_write_file (p2, bad, zlen, FALSE);
  g_assert_null (mh_idx_read (p2, &rank, got, &e2));
  mh_test_assert_error_mentions (e2, MH_ERROR_FORMAT, "crc.gz", "gzip", NULL);

  mh_test_write_file (p3, zdata, zlen / 2, FALSE);
  g_assert_null (mh_idx_read (p3, &rank, got, &e3));
  mh_test_assert_error_mentions (e3, MH_ERROR_IO, "cut.gz", "truncated", NULL);
  mh_test_rm_rf (dir);
}

/* Every strict prefix of a valid file, plain or gzip, is an error (never a
 * crash, never silently short data); the whole file reads. */
static void
test_idx_every_prefix (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  const guint32 dims[] = { 3, 5, 4 };
  g_autofree guint8 *data = pattern (60, 6);
  g_autoptr(GByteArray) b = mh_test_idx_bytes (3, dims, data, 60);
  g_autoptr(GBytes) z = mh_test_gzip (b->data, b->len);
  g_autofree char *path = g_build_filename (dir, "prefix.idx", NULL);

  for (int gzip = 0; gzip <= 1; gzip++)
    {
      gsize len;
      const guint8 *bytes = gzip ? g_bytes_get_data (z, &len) : b->data;

      if (!gzip)
        len = b->len;
      for (gsize cut = 0; cut <= len; cut++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree guint8 *got = NULL;
          int rank, got_dims[4];

          mh_test_write_file (path, bytes, cut, FALSE);
          got = mh_idx_read (path, &rank, got_dims, &error);
          if (cut < len)
            {
              g_assert_null (got);
              g_assert_nonnull (error);
              g_assert_true (error->domain == MH_ERROR);
              g_assert_nonnull (strstr (error->message, path));
            }
          else
            {
              g_assert_no_error (error);
              g_assert_cmpmem (got, 60, data, 60);
            }
        }
    }
  mh_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/data/idx/plain", test_idx_plain);
  g_test_add_func ("/engine/data/idx/gzip", test_idx_gzip);
  g_test_add_func ("/engine/data/idx/missing", test_idx_missing);
  g_test_add_func ("/engine/data/idx/truncated", test_idx_truncated);
  g_test_add_func ("/engine/data/idx/trailing", test_idx_trailing);
  g_test_add_func ("/engine/data/idx/bad-magic", test_idx_bad_magic);
  g_test_add_func ("/engine/data/idx/absurd-dims", test_idx_absurd_dims);
  g_test_add_func ("/engine/data/idx/corrupt-gzip", test_idx_corrupt_gzip);
  g_test_add_func ("/engine/data/idx/every-prefix", test_idx_every_prefix);

  return g_test_run ();
}
