/* test-imagefolder.c — a folder of images with labels.csv: kinds of columns
 * inferred, images decoded, resized, made grey; bad images skipped and
 * listed; the CSV's mistakes named by file, line and column.  Also the CSV
 * reader itself.  The images are written with gdk-pixbuf. */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>
#include <unistd.h>
#include "mh-csv.h"
#include "mh-image.h"
#include "mh-splits.h"
#include "mh-test-util.h"

/* An image w × h, left half `a`, right half `b` (RGBA when alpha < 255). */
static void
write_image (const char *dir, const char *name, const char *type, int w, int h,
             const guint8 a[3], const guint8 b[3], guint8 alpha)
{
  g_autoptr(GdkPixbuf) pb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha < 255, 8, w, h);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  guint8 *px = gdk_pixbuf_get_pixels (pb);
  int stride = gdk_pixbuf_get_rowstride (pb), nc = gdk_pixbuf_get_n_channels (pb);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *p = px + y * stride + x * nc;
        memcpy (p, x < w / 2 ? a : b, 3);
        if (nc == 4)
          p[3] = alpha;
      }
  if (g_str_equal (type, "jpeg"))
    gdk_pixbuf_save (pb, path, type, &error, "quality", "98", NULL);
  else
    gdk_pixbuf_save (pb, path, type, &error, NULL);
  g_assert_no_error (error);
}

static void
write_uniform (const char *dir, const char *name, const char *type, const guint8 c[3])
{
  write_image (dir, name, type, 12, 9, c, c, 255);
}

static void
write_text (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  mh_test_write_file (path, text, strlen (text), FALSE);
}

static MhDataSpec
spec_for (const char *dir, int w, int h, int channels)
{
  return (MhDataSpec) { .kind = (char *) "image-folder", .path = (char *) dir, .width = w,
                        .height = h, .channels = channels, .test_fraction = 0, .seed = 1 };
}

static const guint8 red[3] = { 255, 0, 0 }, blue[3] = { 0, 0, 255 };
static const guint8 green[3] = { 10, 200, 30 }, orange[3] = { 200, 100, 50 };
static const guint8 grey[3] = { 128, 128, 128 };

/* a.png (red | blue), b.png (green), c.jpg (orange), d.png (transparent),
 * e.png (grey), a corrupt PNG and a missing file. */
static char *
mixed_folder (void)
{
  char *dir = mh_test_tmp_dir ();

  write_image (dir, "a.png", "png", 40, 20, red, blue, 255);
  write_uniform (dir, "b.png", "png", green);
  write_uniform (dir, "c.jpg", "jpeg", orange);
  write_image (dir, "d.png", "png", 8, 8, green, green, 0);
  write_uniform (dir, "e.png", "png", grey);
  write_text (dir, "corrupt.png", "\x89PNG\r\n\x1a\nthis is not a PNG at all");
  write_text (dir, "labels.csv",
              "file,category,tags,box:box,score\n"
              "a.png,cat,\"small;striped\",0 0 0.5 1,1.5\n"
              "corrupt.png,dog,small,0 0 1 1,2\n"
              "b.png,dog,striped,0.1 0.2 0.3 0.4,-3\n"
              "\n"
              "missing.png,cat,,0 0 1 1,4\r\n"
              "c.jpg,\"big, red\",; striped ;,0 0 1 1,5e-1\n"
              "d.png,cat,,0 0 1 1,6\n"
              "e.png,dog,big,0.25 0.25 0.75 0.75,7\n");
  return dir;
}

static const guint8 *
pixel (const MhDataset *d, int i, int x, int y)
{
  return d->pixels + (gsize) i * mh_shape_size (&d->shape)
         + ((gsize) y * d->shape.dim[1] + x) * d->shape.dim[2];
}

static void
assert_rgb (const guint8 *p, const guint8 want[3], int tolerance)
{
  for (int c = 0; c < 3; c++)
    g_assert_cmpint (ABS ((int) p[c] - want[c]), <=, tolerance);
}

static void
test_load (void)
{
  g_autofree char *dir = mixed_folder ();
  MhDataSpec spec = spec_for (dir, 8, 4, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(MhSplits) s = mh_splits_load (&spec, NULL, "p.mhproj", &error);
  const guint8 black[3] = { 0 };
  const MhDataset *d;

  g_assert_no_error (error);
  /* the bad ones listed, with the reason */
  g_assert_nonnull (s->skipped);
  g_assert_cmpuint (s->skipped->len, ==, 2);   /* one line per reason (mh-row-report.h) */
  g_assert_true (g_str_has_suffix (s->skipped->pdata[0], "/labels.csv: 1 row left out: not an image "
                                   "gdk-pixbuf can decode, or a damaged one (line 3 'corrupt.png')"));
  g_assert_true (g_str_has_suffix (s->skipped->pdata[1],
                                   "/labels.csv: 1 row left out: no such file (line 6 'missing.png')"));
  d = s->train;
  g_assert_cmpint (d->n, ==, 5);
  g_assert_cmpint (s->test->n, ==, 0);
  g_assert_cmpint (s->validation->n, ==, 0);
  g_assert_cmpint (d->shape.dim[0], ==, 4);
  g_assert_cmpint (d->shape.dim[1], ==, 8);
  g_assert_cmpint (d->shape.dim[2], ==, 3);

  /* fields: classes sorted, labels the union, numbers */
  g_assert_cmpint (d->n_fields, ==, 4);
  g_assert_cmpint (d->fields[0].kind, ==, MH_FIELD_CLASS);
  g_assert_true (g_strv_equal ((const char *const *) d->fields[0].names,
                               (const char *const[]) { "big, red", "cat", "dog", NULL }));
  g_assert_cmpint (d->fields[1].kind, ==, MH_FIELD_LABELS);
  g_assert_true (g_strv_equal ((const char *const *) d->fields[1].names,
                               (const char *const[]) { "big", "small", "striped", NULL }));
  g_assert_cmpint (d->fields[2].kind, ==, MH_FIELD_NUMBERS);
  g_assert_cmpint (d->fields[2].dim, ==, 4);
  g_assert_true (d->fields[2].box);
  g_assert_cmpint (d->fields[3].kind, ==, MH_FIELD_NUMBERS);
  g_assert_cmpint (d->fields[3].dim, ==, 1);
  g_assert_false (d->fields[3].box);
  /* samples in the CSV's order: a, b, c, d, e */
  g_assert_cmpint (d->fields[0].classes[0], ==, 1);
  g_assert_cmpint (d->fields[0].classes[1], ==, 2);
  g_assert_cmpint (d->fields[0].classes[2], ==, 0);
  g_assert_cmpfloat (d->fields[1].values[0 * 3 + 1], ==, 1);   /* a: small, striped */
  g_assert_cmpfloat (d->fields[1].values[0 * 3 + 2], ==, 1);
  g_assert_cmpfloat (d->fields[1].values[0 * 3 + 0], ==, 0);
  g_assert_cmpfloat (d->fields[1].values[2 * 3 + 2], ==, 1);   /* c: striped */
  g_assert_cmpfloat (d->fields[1].values[3 * 3 + 0] + d->fields[1].values[3 * 3 + 1]
                     + d->fields[1].values[3 * 3 + 2], ==, 0); /* d: none */
  g_assert_cmpfloat (d->fields[2].values[1 * 4 + 3], ==, 0.4f);
  g_assert_cmpfloat (d->fields[3].values[1], ==, -3);
  g_assert_cmpfloat (d->fields[3].values[2], ==, 0.5f);

  /* pixels: resized, colours kept, transparent over black */
  for (int y = 0; y < 4; y++)
    {
      for (int x = 0; x < 3; x++)
        assert_rgb (pixel (d, 0, x, y), red, 2);
      for (int x = 5; x < 8; x++)
        assert_rgb (pixel (d, 0, x, y), blue, 2);
      for (int x = 0; x < 8; x++)
        {
          assert_rgb (pixel (d, 1, x, y), green, 0);
          assert_rgb (pixel (d, 2, x, y), orange, 4);
          assert_rgb (pixel (d, 3, x, y), black, 0);
          assert_rgb (pixel (d, 4, x, y), grey, 0);
        }
    }
  mh_test_rm_rf (dir);
}

static void
test_grey (void)
{
  g_autofree char *dir = mixed_folder ();
  MhDataSpec spec = spec_for (dir, 6, 6, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(MhSplits) s = mh_image_folder_load (NULL, &spec, &error);
  const MhDataset *d;

  g_assert_no_error (error);
  d = s->train;
  g_assert_cmpint (d->shape.dim[2], ==, 1);
  /* luma 0.299 R + 0.587 G + 0.114 B */
  g_assert_cmpint (*pixel (d, 0, 0, 0), ==, 76);            /* red */
  g_assert_cmpint (*pixel (d, 0, 5, 5), ==, 29);            /* blue */
  g_assert_cmpint (*pixel (d, 1, 3, 3), ==, 124);           /* 10, 200, 30 */
  g_assert_cmpint (ABS (*pixel (d, 2, 3, 3) - 124), <=, 4); /* 200, 100, 50 */
  g_assert_cmpint (*pixel (d, 4, 3, 3), ==, 128);
  mh_test_rm_rf (dir);
}

/* Ten images told apart by their colour. */
static char *
numbered_folder (int n)
{
  char *dir = mh_test_tmp_dir ();
  GString *csv = g_string_new ("file,index:class\n");

  for (int i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("img%d.png", i);
      guint8 c[3] = { (guint8) (i * 20), 0, 0 };
      write_uniform (dir, name, "png", c);
      g_string_append_printf (csv, "%s,%d\n", name, i);
    }
  write_text (dir, "labels.csv", csv->str);
  g_string_free (csv, TRUE);
  return dir;
}

static void
collect (const MhDataset *d, int *seen, int mark)
{
  for (int i = 0; i < d->n; i++)
    {
      int k = d->pixels[(gsize) i * mh_shape_size (&d->shape)] / 20;
      g_autofree char *label = g_strdup_printf ("%d", k);

      g_assert_cmpint (seen[k], ==, 0);
      seen[k] = mark;
      g_assert_cmpstr (d->fields[0].names[d->fields[0].classes[i]], ==, label);
    }
}

static void
test_split (void)
{
  g_autofree char *dir = numbered_folder (10);
  MhDataSpec spec = spec_for (dir, 4, 4, 3);
  int first[10] = { 0 }, again[10] = { 0 }, other[10] = { 0 };
  gboolean differs = FALSE;

  spec.test_fraction = 0.3;
  spec.validation = 2;
  for (int round = 0; round < 3; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MhSplits) s = NULL;
      int *seen = round == 0 ? first : round == 1 ? again : other;

      spec.seed = round < 2 ? 5 : 6;
      s = mh_image_folder_load (NULL, &spec, &error);
      g_assert_no_error (error);
      g_assert_cmpint (s->test->n, ==, 3);
      g_assert_cmpint (s->train->n, ==, 5);
      g_assert_cmpint (s->validation->n, ==, 2);
      g_assert_cmpuint (s->skipped->len, ==, 0);
      collect (s->train, seen, 1);
      collect (s->validation, seen, 2);
      collect (s->test, seen, 3);
      for (int k = 0; k < 10; k++)
        g_assert_cmpint (seen[k], !=, 0);
    }
  for (int k = 0; k < 10; k++)
    {
      g_assert_cmpint (first[k], ==, again[k]);
      differs = differs || first[k] != other[k];
    }
  g_assert_true (differs);

  spec.validation = 7;   /* 7 train, 3 test: nothing left to train on */
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (mh_image_folder_load (NULL, &spec, &error));
    mh_test_assert_error_mentions (error, MH_ERROR_INVALID, dir, "10 usable images", NULL);
  }
  mh_test_rm_rf (dir);
}

/* labels.csv `text` in a folder with a.png, b.png, c.png fails with a
 * message holding `mention`. */
static void
expect_csv_error (const char *text, MhErrorCode code, const char *mention, const char *mention2)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *csv = g_build_filename (dir, "labels.csv", NULL);
  MhDataSpec spec = spec_for (dir, 4, 4, 3);
  g_autoptr(GError) e1 = NULL, e2 = NULL;
  g_autoptr(MhDataset) schema = NULL;

  write_uniform (dir, "a.png", "png", red);
  write_uniform (dir, "b.png", "png", blue);
  write_uniform (dir, "c.png", "png", green);
  if (text != NULL)
    write_text (dir, "labels.csv", text);
  g_assert_null (mh_image_folder_load (NULL, &spec, &e1));
  g_test_message ("%s", e1->message);
  mh_test_assert_error_mentions (e1, code, mention, mention2, NULL);
  if (text != NULL)
    mh_test_assert_error_mentions (e1, code, csv, NULL);
  /* the schema reads the same CSV */
  g_assert_null (mh_image_folder_schema (NULL, &spec, &e2));
  g_assert_cmpstr (e1->message, ==, e2->message);
  mh_test_rm_rf (dir);
}

static void
test_csv_errors (void)
{
  expect_csv_error ("file,size\na.png,1\nb.png,2,3\n", MH_ERROR_FORMAT,
                    "labels.csv:3: 3 cells, but the header has 2 columns", NULL);
  expect_csv_error ("file,size\na.png,1\nb.png,2\n\nc.png,big\n", MH_ERROR_INVALID,
                    "labels.csv:5: column 2 ('size'): 'big'", "line 2 holds '1'");
  expect_csv_error ("file,size:colour\na.png,1\n", MH_ERROR_INVALID,
                    "labels.csv:1: column 2 ('size:colour'): unknown column type 'colour'", NULL);
  expect_csv_error ("file,cat,box\na.png,x,1 2 3 4\nb.png,y,1 2 3\n", MH_ERROR_INVALID,
                    "labels.csv:3: column 3 ('box'): '1 2 3' holds 3 numbers", NULL);
  expect_csv_error ("file,where:box\na.png,0 0 1 1\nb.png,0.5 0 0.4 1\n", MH_ERROR_INVALID,
                    "labels.csv:3: column 2 ('where:box'): '0.5 0 0.4 1' is not a box", NULL);
  expect_csv_error ("file,where:numbers\na.png,0 x\n", MH_ERROR_INVALID,
                    "labels.csv:2: column 2 ('where:numbers'): '0 x' is not a list of numbers", NULL);
  /* finite as a double, infinite as the float it would become */
  expect_csv_error ("file,where:numbers\na.png,0 1e300\n", MH_ERROR_INVALID,
                    "labels.csv:2: column 2 ('where:numbers'): '0 1e300' is not a list of numbers", "±3.4e38");
  expect_csv_error ("file,where:numbers\na.png,nan\n", MH_ERROR_INVALID,
                    "labels.csv:2: column 2 ('where:numbers'): 'nan' is not a list of numbers", NULL);
  expect_csv_error ("file,kind\na.png,\"\"\n", MH_ERROR_INVALID,
                    "labels.csv:2: column 2 ('kind'): the class is empty", NULL);
  expect_csv_error ("file,kind,kind\na.png,x,y\n", MH_ERROR_INVALID,
                    "labels.csv:1: column 3 ('kind')", "also column 2");
  expect_csv_error ("image,kind\na.png,x\n", MH_ERROR_FORMAT, "labels.csv:1: the header must be", NULL);
  expect_csv_error ("file,kind\na.png,\"x\n", MH_ERROR_FORMAT,
                    "labels.csv:2: column 2: the quoted cell is not closed", NULL);
  expect_csv_error ("", MH_ERROR_FORMAT, "empty", NULL);
  expect_csv_error (NULL, MH_ERROR_IO, "labels.csv: cannot open the labels.csv: no such file", NULL);
}

/* An image file cut short is refused as truncated, whatever its loader
 * does with the rows it lacks (PNG and BMP: never decoded, a BMP bottom
 * up; JPEG: filled in grey by libjpeg); the whole file reads. */
static void
test_truncated (void)
{
  static const char *const types[] = { "png", "jpeg", "bmp" };
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GdkPixbuf) pb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 48, 40);
  guint8 *px = gdk_pixbuf_get_pixels (pb), out[8 * 8 * 3];
  int stride = gdk_pixbuf_get_rowstride (pb);

  for (int y = 0; y < 40; y++)   /* noise: compresses badly, so a cut loses rows */
    for (int x = 0; x < 48 * 3; x++)
      px[y * stride + x] = (guint8) g_rand_int_range (rand, 0, 256);
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autofree char *whole = g_strdup_printf ("%s/whole.%s", dir, types[t]);
      g_autofree char *cut = g_strdup_printf ("%s/cut.%s", dir, types[t]);
      g_autofree char *bytes = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;

      g_assert_true (gdk_pixbuf_save (pb, whole, types[t], &error, NULL));
      g_assert_true (g_file_get_contents (whole, &bytes, &len, &error));
      g_assert_true (g_file_set_contents (cut, bytes, len * 2 / 3, &error));
      g_assert_true (mh_image_load_bytes (whole, mh_shape3 (8, 8, 3), out, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (mh_image_load_bytes (cut, mh_shape3 (8, 8, 3), out, NULL, NULL, &error));
      g_test_message ("%s", error->message);
      mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, cut, "truncated: the file ends before the image does",
                                     NULL);
    }
  mh_test_rm_rf (dir);
}

/* Rows whose path cannot be used, each under its own reason: outside the
 * folder ('..', absolute, a link leading out, a link through a link), a
 * link that loops or is broken, a missing file; the good rows load. */
static void
test_paths (void)
{
  g_autofree char *base = mh_test_tmp_dir ();
  g_autofree char *dir = g_build_filename (base, "imgs", NULL);
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *csv = NULL, *abs_inside = NULL;
  MhDataSpec spec = spec_for (dir, 4, 4, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(MhSplits) s = NULL;
  struct { const char *link, *to; } links[] = {
    { "sub/up.png", "../../secret.png" }, { "chain.png", "sub/up.png" },
    { "loop1.png", "loop2.png" }, { "loop2.png", "loop1.png" }, { "broken.png", "nothing.png" },
    { "inside.png", "sub/../a.png" },
  };

  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  write_uniform (base, "secret.png", "png", red);
  write_uniform (dir, "a.png", "png", green);
  write_uniform (dir, "b.png", "png", blue);
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autofree char *path = g_build_filename (dir, links[i].link, NULL);
      g_assert_cmpint (symlink (links[i].to, path), ==, 0);
    }
  abs_inside = g_build_filename (dir, "a.png", NULL);
  csv = g_strdup_printf ("file,kind\na.png,x\nb.png,y\n../secret.png,x\nsub/../../secret.png,y\n%s,x\n"
                         "chain.png,y\nloop1.png,x\nbroken.png,y\ngone.png,x\ninside.png,y\n./b.png,x\n",
                         abs_inside);
  write_text (dir, "labels.csv", csv);
  s = mh_splits_load (&spec, NULL, "p.mhproj", &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->train->n, ==, 4);   /* a, b, inside (a link kept inside), ./b */
  g_assert_cmpuint (s->skipped->len, ==, 4);
  for (guint i = 0; i < s->skipped->len; i++)
    g_test_message ("%s", (const char *) s->skipped->pdata[i]);
  g_assert_nonnull (strstr (s->skipped->pdata[0], "3 rows left out: the path leads outside the image folder "
                                                  "(line 4 '../secret.png', line 5 'sub/../../secret.png', "
                                                  "line 7 'chain.png')"));
  /* an absolute path, even to a file inside, is named as what it is */
  g_assert_nonnull (strstr (s->skipped->pdata[1], "1 row left out: an absolute path: name the file relative to "
                                                  "the image folder (line 6 '"));
  g_assert_nonnull (strstr (s->skipped->pdata[2], "2 rows left out: a symbolic link that leads nowhere "
                                                  "(broken, or a loop) (line 8 'loop1.png', line 9 'broken.png')"));
  g_assert_nonnull (strstr (s->skipped->pdata[3], "1 row left out: no such file (line 10 'gone.png')"));
  /* nothing outside was read: the secret is red, every image loaded is not */
  for (int i = 0; i < s->train->n; i++)
    g_assert_cmpint (s->train->pixels[(gsize) i * mh_shape_size (&s->train->shape)], <, 100);
  mh_test_rm_rf (base);
}

/* Nothing readable: an error that says why. */
static void
test_all_bad (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  MhDataSpec spec = spec_for (dir, 4, 4, 3);
  g_autoptr(GError) e1 = NULL, e2 = NULL;

  write_text (dir, "bad.png", "not an image");
  write_text (dir, "labels.csv", "file,kind\nbad.png,x\ngone.png,y\n");
  g_assert_null (mh_splits_load (&spec, NULL, "p.mhproj", &e1));
  mh_test_assert_error_mentions (e1, MH_ERROR_INVALID, "p.mhproj", dir, "no usable image",
                                 "none could be used", "line 2 'bad.png'", "no such file (line 3 'gone.png')",
                                 NULL);
  write_text (dir, "labels.csv", "file,kind\n");
  g_assert_null (mh_splits_load (&spec, NULL, "p.mhproj", &e2));
  mh_test_assert_error_mentions (e2, MH_ERROR_INVALID, "labels.csv: no image listed", NULL);
  mh_test_rm_rf (dir);
}

/* A class column of numbers, a file name with a comma; the schema alone. */
static void
test_header_types (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  MhDataSpec spec = spec_for (dir, 4, 4, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(MhSplits) s = NULL;
  g_autoptr(MhDataset) schema = NULL;

  write_uniform (dir, "a, b.png", "png", red);
  write_uniform (dir, "c.png", "png", blue);
  write_text (dir, "labels.csv", "\xef\xbb\xbf" "file, digit:class ,tags:labels\r\n"
              "\"a, b.png\",7,x\r\n\"c.png\",10,\r\n");
  s = mh_image_folder_load (NULL, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->train->n, ==, 2);
  g_assert_cmpstr (s->train->fields[0].name, ==, "digit");
  g_assert_true (g_strv_equal ((const char *const *) s->train->fields[0].names,
                               (const char *const[]) { "10", "7", NULL }));
  g_assert_cmpint (s->train->fields[1].kind, ==, MH_FIELD_LABELS);
  g_assert_cmpint (s->train->fields[1].dim, ==, 1);
  g_assert_cmpfloat (s->train->fields[1].values[1], ==, 0);
  schema = mh_image_folder_schema (dir, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (schema->n, ==, 0);
  g_assert_cmpint (schema->n_fields, ==, 2);
  g_assert_cmpint (schema->shape.dim[0], ==, 4);
  mh_test_rm_rf (dir);
}

static void
test_csv_reader (void)
{
  static const char text[] = "a, \"b \"\"q\"\", c\" ,\nx\r\n\r\n\"multi\nline\",y\n  z  ";
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = mh_csv_parse (text, sizeof text - 1, "t.csv", &error);
  MhCsvRow *r;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  r = &g_array_index (rows, MhCsvRow, 0);
  g_assert_cmpint (r->line, ==, 1);
  g_assert_true (g_strv_equal ((const char *const *) r->cells,
                               (const char *const[]) { "a", "b \"q\", c", "", NULL }));
  r = &g_array_index (rows, MhCsvRow, 1);
  g_assert_cmpint (r->line, ==, 2);
  g_assert_cmpstr (r->cells[0], ==, "x");
  r = &g_array_index (rows, MhCsvRow, 2);
  g_assert_cmpint (r->line, ==, 4);
  g_assert_cmpstr (r->cells[0], ==, "multi\nline");
  r = &g_array_index (rows, MhCsvRow, 3);
  g_assert_cmpint (r->line, ==, 6);
  g_assert_cmpstr (r->cells[0], ==, "z");

  g_assert_null (mh_csv_parse ("a,\"b\"c\n", 7, "t.csv", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, "t.csv:1: column 2: text after the closing quote", NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/data/image-folder/load", test_load);
  g_test_add_func ("/engine/data/image-folder/grey", test_grey);
  g_test_add_func ("/engine/data/image-folder/split", test_split);
  g_test_add_func ("/engine/data/image-folder/csv-errors", test_csv_errors);
  g_test_add_func ("/engine/data/image-folder/all-bad", test_all_bad);
  g_test_add_func ("/engine/data/image-folder/paths", test_paths);
  g_test_add_func ("/engine/data/image-folder/truncated", test_truncated);
  g_test_add_func ("/engine/data/image-folder/header-types", test_header_types);
  g_test_add_func ("/engine/data/csv/reader", test_csv_reader);
  return g_test_run ();
}
