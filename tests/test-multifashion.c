/* test-multifashion.c — Multi-Fashion: every image is the maximum of its
 * two items, the second moved by (6, 6) on a 36 × 36 canvas, averaged down
 * to 28 × 28; the pairing is fixed by the seed and stays within a split.
 *
 * The check rebuilds each image from the IDX files the test wrote, with its
 * own resampling: a 36 × 36 canvas seen as a 1008 × 1008 grid of
 * sub-pixels (28 per canvas pixel), each output pixel the mean of its
 * 36 × 36 sub-pixels, rounded half up. */
#include <string.h>
#include "mh-splits.h"
#include "mh-test-util.h"

#define SIDE   28
#define CANVAS 36
#define SHIFT  6

typedef struct {
  char   *dir;
  guint8 *train, *test;        /* the source images */
  guint8 *train_labels, *test_labels;
  int     n_train, n_test;
} Source;

static void
source_init (Source *src, int n_train, int n_test, guint32 seed)
{
  int rank, dims[4];
  g_autoptr(GError) error = NULL;
  g_autofree char *ti = NULL, *tl = NULL, *xi = NULL, *xl = NULL;

  src->dir = mh_test_tmp_dir ();
  mh_test_write_fake_fashion (src->dir, n_train, n_test, seed);
  ti = g_build_filename (src->dir, "train-images-idx3-ubyte.gz", NULL);
  tl = g_build_filename (src->dir, "train-labels-idx1-ubyte.gz", NULL);
  xi = g_build_filename (src->dir, "t10k-images-idx3-ubyte.gz", NULL);
  xl = g_build_filename (src->dir, "t10k-labels-idx1-ubyte.gz", NULL);
  src->train = mh_idx_read (ti, &rank, dims, &error);
  src->train_labels = mh_idx_read (tl, &rank, dims, &error);
  src->test = mh_idx_read (xi, &rank, dims, &error);
  src->test_labels = mh_idx_read (xl, &rank, dims, &error);
  g_assert_no_error (error);
  src->n_train = n_train;
  src->n_test = n_test;
}

static void
source_clear (Source *src)
{
  mh_test_rm_rf (src->dir);
  g_free (src->dir);
  g_free (src->train);
  g_free (src->test);
  g_free (src->train_labels);
  g_free (src->test_labels);
}

/* How many sub-pixels of output pixel o (36 sub-pixels wide) fall in canvas
 * pixel c (28 sub-pixels wide). */
static int
subpixels (int o, int c)
{
  int count = 0;

  for (int u = o * CANVAS; u < (o + 1) * CANVAS; u++)
    count += u / SIDE == c;
  return count;
}

static void
rebuild (const guint8 *left, const guint8 *right, guint8 out[SIDE * SIDE])
{
  static int w[SIDE][CANVAS];
  static gboolean ready;
  guint canvas[CANVAS][CANVAS] = { { 0 } }, rows[CANVAS][SIDE];

  if (!ready)
    for (int o = 0; o < SIDE; o++)
      for (int c = 0; c < CANVAS; c++)
        w[o][c] = subpixels (o, c);
  ready = TRUE;
  for (int y = 0; y < SIDE; y++)
    for (int x = 0; x < SIDE; x++)
      canvas[y][x] = left[y * SIDE + x];
  for (int y = 0; y < SIDE; y++)
    for (int x = 0; x < SIDE; x++)
      canvas[y + SHIFT][x + SHIFT] = MAX (canvas[y + SHIFT][x + SHIFT], right[y * SIDE + x]);
  for (int cy = 0; cy < CANVAS; cy++)
    for (int ox = 0; ox < SIDE; ox++)
      {
        rows[cy][ox] = 0;
        for (int cx = 0; cx < CANVAS; cx++)
          rows[cy][ox] += w[ox][cx] * canvas[cy][cx];
      }
  for (int oy = 0; oy < SIDE; oy++)
    for (int ox = 0; ox < SIDE; ox++)
      {
        guint sum = 0;
        for (int cy = 0; cy < CANVAS; cy++)
          sum += w[oy][cy] * rows[cy][ox];
        out[oy * SIDE + ox] = (guint8) ((sum + CANVAS * CANVAS / 2) / (CANVAS * CANVAS));
      }
}

/* Every sample i of d is source image first + i beside one other of
 * first … first + n - 1 with the right labels; returns how many samples
 * have a partner of another class. */
static int
check_pairs (const MhDataset *d, const guint8 *images, const guint8 *labels, int first, int n)
{
  int mixed = 0;

  g_assert_cmpint (d->n, ==, n);
  for (int i = 0; i < n; i++)
    {
      const guint8 *got = d->pixels + (gsize) i * SIDE * SIDE;
      const guint8 *left = images + (gsize) (first + i) * SIDE * SIDE;
      int found = -1;

      for (int j = first; j < first + n; j++)
        {
          guint8 want[SIDE * SIDE];

          if (j == first + i && n > 1)
            continue;
          rebuild (left, images + (gsize) j * SIDE * SIDE, want);
          if (memcmp (want, got, sizeof want) == 0)
            {
              g_assert_cmpint (found, ==, -1);   /* one partner only */
              found = j;
            }
        }
      g_assert_cmpint (found, >=, 0);
      g_assert_cmpint (d->fields[0].classes[i], ==, labels[first + i]);
      g_assert_cmpint (d->fields[1].classes[i], ==, labels[found]);
      mixed += labels[found] != labels[first + i];
    }
  return mixed;
}

static void
test_pixels (void)
{
  Source src;
  g_autoptr(GError) error = NULL;
  g_autoptr(MhSplits) s = NULL;

  source_init (&src, 40, 16, 3);
  s = mh_multi_fashion_load (src.dir, 0, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->validation->n, ==, 0);
  g_assert_cmpint (check_pairs (s->train, src.train, src.train_labels, 0, 40), >, 20);
  g_assert_cmpint (check_pairs (s->test, src.test, src.test_labels, 0, 16), >, 8);
  source_clear (&src);
}

/* Validation pairs come from the last images only, training pairs from the
 * others: no item is in two splits. */
static void
test_validation (void)
{
  Source src;
  g_autoptr(GError) error = NULL;
  g_autoptr(MhSplits) s = NULL;

  source_init (&src, 30, 6, 4);
  s = mh_multi_fashion_load (src.dir, 12, 1, &error);
  g_assert_no_error (error);
  check_pairs (s->train, src.train, src.train_labels, 0, 18);
  check_pairs (s->validation, src.train, src.train_labels, 18, 12);
  check_pairs (s->test, src.test, src.test_labels, 0, 6);
  g_clear_pointer (&s, mh_splits_free);

  g_assert_null (mh_multi_fashion_load (src.dir, 30, 1, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "dataset.validation", "29", "30", NULL);
  source_clear (&src);
}

static gboolean
splits_equal (const MhSplits *a, const MhSplits *b)
{
  const MhDataset *da[] = { a->train, a->validation, a->test };
  const MhDataset *db[] = { b->train, b->validation, b->test };

  for (int k = 0; k < 3; k++)
    if (da[k]->n != db[k]->n
        || memcmp (da[k]->pixels, db[k]->pixels, (gsize) da[k]->n * SIDE * SIDE) != 0
        || memcmp (da[k]->fields[1].classes, db[k]->fields[1].classes, da[k]->n * sizeof (int)) != 0)
      return FALSE;
  return TRUE;
}

static void
test_deterministic (void)
{
  Source src;
  g_autoptr(MhSplits) a = NULL, b = NULL, c = NULL;

  source_init (&src, 50, 20, 5);
  a = mh_multi_fashion_load (src.dir, 10, 11, NULL);
  b = mh_multi_fashion_load (src.dir, 10, 11, NULL);
  c = mh_multi_fashion_load (src.dir, 10, 12, NULL);
  g_assert_true (splits_equal (a, b));
  g_assert_false (splits_equal (a, c));
  source_clear (&src);
}

static void
test_schema (void)
{
  g_autoptr(MhDataset) d = mh_multi_fashion_schema ();
  const char *const *names = mh_fashion_mnist_category_names ();

  g_assert_true (d->no_flip);
  g_assert_cmpint (d->n_fields, ==, 2);
  g_assert_cmpstr (d->fields[0].name, ==, "left");
  g_assert_cmpstr (d->fields[1].name, ==, "right");
  for (int f = 0; f < 2; f++)
    {
      g_assert_cmpint (d->fields[f].kind, ==, MH_FIELD_CLASS);
      g_assert_true (g_strv_equal ((const char *const *) d->fields[f].names, names));
    }
  g_assert_cmpstr (names[9], ==, "Ankle boot");
}

static void
test_missing (void)
{
  g_autoptr(GError) error = NULL;
  MhDataSpec spec = { .kind = (char *) "multi-fashion" };

  g_assert_null (mh_splits_load (&spec, "/nonexistent/fashion", "mf.mhproj", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_IO, "mf.mhproj", "/nonexistent/fashion",
                                 "dataset-fashion-mnist", NULL);
}

/* The installed Fashion-MNIST, when there is one: 60,000 and 10,000 pairs. */
static void
test_real (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhSplits) s = NULL;
  g_autofree char *probe = g_build_filename (mh_fashion_mnist_default_dir (),
                                             "train-images-idx3-ubyte.gz", NULL);

  if (!g_file_test (probe, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Fashion-MNIST is not installed");
      return;
    }
  s = mh_multi_fashion_load (mh_fashion_mnist_default_dir (), 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->train->n, ==, 60000);
  g_assert_cmpint (s->test->n, ==, 10000);
  g_assert_cmpint (s->train->shape.dim[0], ==, SIDE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("MH_FASHION_MNIST_DIR", "/nonexistent", TRUE);
  g_test_add_func ("/engine/data/multi-fashion/pixels", test_pixels);
  g_test_add_func ("/engine/data/multi-fashion/validation", test_validation);
  g_test_add_func ("/engine/data/multi-fashion/deterministic", test_deterministic);
  g_test_add_func ("/engine/data/multi-fashion/schema", test_schema);
  g_test_add_func ("/engine/data/multi-fashion/missing", test_missing);
  g_test_add_func ("/engine/data/multi-fashion/real", test_real);
  return g_test_run ();
}
