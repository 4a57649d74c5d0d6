/* test-dataset.c — Fashion-MNIST loading, batches, shuffling.  Reading IDX
 * files is tested in test-idx.c.
 *
 * The tests write their own small Fashion-MNIST files into a temporary
 * directory, so they need neither the real dataset nor network.
 */
#include <string.h>
#include <glib/gstdio.h>
#include "mh-dataset.h"
#include "mh-test-util.h"

#define SIDE  28
#define IMAGE (SIDE * SIDE)

/* ---- a fake Fashion-MNIST ----------------------------------------------- */

static const guint8 fake_train_labels[12] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 4, 7 };
static const guint8 fake_test_labels[5] = { 9, 8, 1, 5, 6 };

/* Pixel `p` of image `s` of a file; `salt` tells the files apart. */
static guint8
fake_pixel (int s,
            int p,
            int salt)
{
  return (guint8) ((s * 37 + p * 13 + salt * 101 + (p * p >> 5)) & 0xff);
}

static guint8 *
fake_images (int n,
             int salt)
{
  guint8 *px = g_malloc (MAX (n, 1) * IMAGE);

  for (int s = 0; s < n; s++)
    for (int p = 0; p < IMAGE; p++)
      px[s * IMAGE + p] = fake_pixel (s, p, salt);
  /* The extremes, to check the scaling at both ends. */
  if (n > 0)
    {
      px[0] = 0;
      px[1] = 255;
    }
  return px;
}

static void
write_fake_images (const char *dir,
                   const char *name,
                   int         n,
                   int         side,
                   int         salt)
{
  const int dims[] = { n, side, side };
  g_autofree guint8 *px = fake_images (n, salt);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  mh_test_write_idx (path, 3, dims, px, TRUE);
}

static void
write_fake_labels (const char   *dir,
                   const char   *name,
                   const guint8 *labels,
                   int           n)
{
  const int dims[] = { n };
  g_autofree char *path = g_build_filename (dir, name, NULL);

  mh_test_write_idx (path, 1, dims, labels, TRUE);
}

/* 12 training and 5 test images, labels covering all ten classes. */
static char *
fake_fashion_dir (void)
{
  char *dir = mh_test_tmp_dir ();

  write_fake_images (dir, "train-images-idx3-ubyte.gz", 12, SIDE, 1);
  write_fake_labels (dir, "train-labels-idx1-ubyte.gz", fake_train_labels, 12);
  write_fake_images (dir, "t10k-images-idx3-ubyte.gz", 5, SIDE, 2);
  write_fake_labels (dir, "t10k-labels-idx1-ubyte.gz", fake_test_labels, 5);
  return dir;
}

/* The rules, written out independently of the loader's table. */
static const struct {
  const char *name;
  int         members[5];
  int         n_members;
} group_rules[] = {
  { "clothing", { 0, 2, 3, 4, 6 }, 5 },
  { "trousers", { 1 }, 1 },
  { "footwear", { 5, 7, 9 }, 3 },
  { "bag", { 8 }, 1 },
};

static int
expected_group (int category)
{
  for (guint g = 0; g < G_N_ELEMENTS (group_rules); g++)
    for (int m = 0; m < group_rules[g].n_members; m++)
      if (group_rules[g].members[m] == category)
        return (int) g;
  g_assert_not_reached ();
}

static void
check_class_field (const MhField     *f,
                   const char        *name,
                   const char *const *names)
{
  g_assert_cmpstr (f->name, ==, name);
  g_assert_cmpint (f->kind, ==, MH_FIELD_CLASS);
  g_assert_cmpint (f->dim, ==, (int) g_strv_length ((char **) names));
  g_assert_nonnull (f->names);
  g_assert_true (g_strv_equal ((const char *const *) f->names, names));
  g_assert_nonnull (f->classes);
  g_assert_null (f->values);
}

/* Fields, shape and per-sample labels of a split holding labels[0..n) and
 * images [first, first + n) of the file with `salt`. */
static void
check_fake_split (const MhDataset *d,
                  const char      *name,
                  const guint8    *labels,
                  int              first,
                  int              n,
                  int              salt)
{
  static const char *const categories[] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot", NULL
  };
  static const char *const groups[] = { "clothing", "trousers", "footwear", "bag", NULL };
  static const char *const upper[] = { "no", "yes", NULL };
  g_autofree guint8 *px = fake_images (first + n, salt);
  MhShape shape = mh_shape3 (28, 28, 1);

  g_assert_nonnull (d);
  g_assert_cmpstr (d->name, ==, name);
  g_assert_cmpint (d->n, ==, n);
  g_assert_true (mh_shape_equal (&d->shape, &shape));
  g_assert_nonnull (d->pixels);
  if (n > 0)
    g_assert_cmpmem (d->pixels, (gsize) n * IMAGE, px + (gsize) first * IMAGE, (gsize) n * IMAGE);

  g_assert_cmpint (d->n_fields, ==, 3);
  check_class_field (&d->fields[0], "category", categories);
  check_class_field (&d->fields[1], "group", groups);
  check_class_field (&d->fields[2], "upper", upper);

  for (int i = 0; i < n; i++)
    {
      int c = labels[first + i];
      int g = expected_group (c);

      g_assert_cmpint (d->fields[0].classes[i], ==, c);
      g_assert_cmpint (d->fields[1].classes[i], ==, g);
      g_assert_cmpstr (d->fields[1].names[d->fields[1].classes[i]], ==, group_rules[g].name);
      g_assert_cmpint (d->fields[2].classes[i], ==,
                       strcmp (group_rules[g].name, "clothing") == 0 ? 1 : 0);
    }
}

static void
test_fashion_fields (void)
{
  g_autofree char *dir = fake_fashion_dir ();
  g_autoptr(GError) error = NULL;
  MhSplits *s = mh_fashion_mnist_load (dir, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  check_fake_split (s->train, "train", fake_train_labels, 0, 12, 1);
  check_fake_split (s->validation, "validation", fake_train_labels, 12, 0, 1);
  check_fake_split (s->test, "test", fake_test_labels, 0, 5, 2);
  mh_splits_free (s);
  mh_test_rm_rf (dir);
}

static void
test_fashion_validation_split (void)
{
  g_autofree char *dir = fake_fashion_dir ();
  const int bad[] = { -1, 12, 13 };

  for (int v = 1; v <= 11; v += 5)
    {
      g_autoptr(GError) error = NULL;
      MhSplits *s = mh_fashion_mnist_load (dir, v, &error);

      g_assert_no_error (error);
      /* Validation = the last v training images, in file order. */
      check_fake_split (s->train, "train", fake_train_labels, 0, 12 - v, 1);
      check_fake_split (s->validation, "validation", fake_train_labels, 12 - v, v, 1);
      check_fake_split (s->test, "test", fake_test_labels, 0, 5, 2);
      mh_splits_free (s);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *number = g_strdup_printf ("%d", bad[i]);

      g_assert_null (mh_fashion_mnist_load (dir, bad[i], &error));
      mh_test_assert_error_mentions (error, MH_ERROR_INVALID, number,
                                     "train-images-idx3-ubyte.gz", NULL);
    }
  mh_test_rm_rf (dir);
}

static void
test_fashion_count_mismatch (void)
{
  g_autofree char *dir = fake_fashion_dir ();
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;

  write_fake_labels (dir, "train-labels-idx1-ubyte.gz", fake_train_labels, 11);
  g_assert_null (mh_fashion_mnist_load (dir, 2, &e1));
  mh_test_assert_error_mentions (e1, MH_ERROR_FORMAT, "train-labels-idx1-ubyte.gz",
                                 "train-images-idx3-ubyte.gz", "11", "12", NULL);

  write_fake_labels (dir, "train-labels-idx1-ubyte.gz", fake_train_labels, 12);
  write_fake_images (dir, "t10k-images-idx3-ubyte.gz", 6, SIDE, 2);
  g_assert_null (mh_fashion_mnist_load (dir, 2, &e2));
  mh_test_assert_error_mentions (e2, MH_ERROR_FORMAT, "t10k-labels-idx1-ubyte.gz",
                                 "t10k-images-idx3-ubyte.gz", "5", "6", NULL);
  mh_test_rm_rf (dir);
}

static void
test_fashion_bad_label (void)
{
  g_autofree char *dir = fake_fashion_dir ();
  guint8 labels[5];
  g_autoptr(GError) error = NULL;

  memcpy (labels, fake_test_labels, sizeof labels);
  labels[3] = 10;
  write_fake_labels (dir, "t10k-labels-idx1-ubyte.gz", labels, 5);
  g_assert_null (mh_fashion_mnist_load (dir, 2, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "t10k-labels-idx1-ubyte.gz",
                                 "label 3", "is 10", NULL);
  mh_test_rm_rf (dir);
}

static void
test_fashion_bad_shape (void)
{
  g_autofree char *dir = fake_fashion_dir ();
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  const int flat[] = { 12, IMAGE };

  write_fake_images (dir, "train-images-idx3-ubyte.gz", 12, 27, 1);
  g_assert_null (mh_fashion_mnist_load (dir, 2, &e1));
  mh_test_assert_error_mentions (e1, MH_ERROR_FORMAT, "train-images-idx3-ubyte.gz", "27", NULL);

  {
    g_autofree guint8 *px = fake_images (12, 1);
    g_autofree char *path = g_build_filename (dir, "train-images-idx3-ubyte.gz", NULL);

    mh_test_write_idx (path, 2, flat, px, TRUE);
  }
  g_assert_null (mh_fashion_mnist_load (dir, 2, &e2));
  mh_test_assert_error_mentions (e2, MH_ERROR_FORMAT, "train-images-idx3-ubyte.gz", "rank", NULL);

  /* Labels given as images. */
  write_fake_images (dir, "train-images-idx3-ubyte.gz", 12, SIDE, 1);
  write_fake_images (dir, "train-labels-idx1-ubyte.gz", 12, SIDE, 1);
  g_assert_null (mh_fashion_mnist_load (dir, 2, &e3));
  mh_test_assert_error_mentions (e3, MH_ERROR_FORMAT, "train-labels-idx1-ubyte.gz", "rank", NULL);
  mh_test_rm_rf (dir);
}

static void
test_fashion_missing (void)
{
  g_autofree char *dir = fake_fashion_dir ();
  g_autofree char *nowhere = g_build_filename (dir, "no-such-dir", NULL);
  g_autofree char *gone = g_build_filename (dir, "t10k-labels-idx1-ubyte.gz", NULL);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;

  g_assert_null (mh_fashion_mnist_load (nowhere, 0, &e1));
  mh_test_assert_error_mentions (e1, MH_ERROR_IO, nowhere, "dataset-fashion-mnist", NULL);

  g_assert_cmpint (g_remove (gone), ==, 0);
  g_assert_null (mh_fashion_mnist_load (dir, 0, &e2));
  mh_test_assert_error_mentions (e2, MH_ERROR_IO, gone, "dataset-fashion-mnist", NULL);
  mh_test_rm_rf (dir);
}

/* dir NULL: $MH_FASHION_MNIST_DIR, else the compiled-in default. */
static void
test_fashion_env (void)
{
  g_autofree char *dir = fake_fashion_dir ();
  g_autofree char *nowhere = g_build_filename (dir, "elsewhere", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("MH_FASHION_MNIST_DIR"));
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  MhSplits *s;

  g_setenv ("MH_FASHION_MNIST_DIR", dir, TRUE);
  s = mh_fashion_mnist_load (NULL, 1, &e1);
  g_assert_no_error (e1);
  g_assert_cmpint (s->train->n, ==, 11);
  g_assert_cmpint (s->test->n, ==, 5);
  mh_splits_free (s);

  g_setenv ("MH_FASHION_MNIST_DIR", nowhere, TRUE);
  g_assert_null (mh_fashion_mnist_load (NULL, 1, &e2));
  mh_test_assert_error_mentions (e2, MH_ERROR_IO, nowhere, NULL);

  if (saved != NULL)
    g_setenv ("MH_FASHION_MNIST_DIR", saved, TRUE);
  else
    g_unsetenv ("MH_FASHION_MNIST_DIR");
  g_assert_nonnull (mh_fashion_mnist_default_dir ());
  g_assert_true (g_path_is_absolute (mh_fashion_mnist_default_dir ()));
  mh_test_rm_rf (dir);
}

static void
count_classes (const MhField *f,
               int            n,
               int           *counts)
{
  memset (counts, 0, sizeof (int) * f->dim);
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpint (f->classes[i], >=, 0);
      g_assert_cmpint (f->classes[i], <, f->dim);
      counts[f->classes[i]]++;
    }
}

/* The real dataset, when Debian's dataset-fashion-mnist is installed. */
static void
test_fashion_real (void)
{
  const char *dir = mh_fashion_mnist_default_dir ();
  g_autofree char *probe = g_build_filename (dir, "train-images-idx3-ubyte.gz", NULL);
  g_autoptr(GError) error = NULL;
  MhSplits *s;
  int counts[10], groups[4], upper[2];
  const int first_train[] = { 9, 0, 0, 3, 0, 2, 7, 2, 5, 5 };
  const int first_test[] = { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 };
  const MhShape shape = mh_shape3 (28, 28, 1);
  guint64 sum = 0;
  gint64 t0;

  if (!g_file_test (probe, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Fashion-MNIST not installed (Debian package dataset-fashion-mnist)");
      return;
    }

  t0 = g_get_monotonic_time ();
  s = mh_fashion_mnist_load (dir, 0, &error);
  g_test_message ("loaded Fashion-MNIST in %.3f s",
                  (g_get_monotonic_time () - t0) / 1e6);
  g_assert_no_error (error);
  g_assert_cmpint (s->train->n, ==, 60000);
  g_assert_cmpint (s->validation->n, ==, 0);
  g_assert_cmpint (s->test->n, ==, 10000);
  g_assert_true (mh_shape_equal (&s->train->shape, &shape));
  g_assert_true (mh_shape_equal (&s->test->shape, &shape));

  count_classes (&s->train->fields[0], 60000, counts);
  for (int c = 0; c < 10; c++)
    g_assert_cmpint (counts[c], ==, 6000);
  count_classes (&s->test->fields[0], 10000, counts);
  for (int c = 0; c < 10; c++)
    g_assert_cmpint (counts[c], ==, 1000);
  count_classes (&s->train->fields[1], 60000, groups);
  g_assert_cmpint (groups[0], ==, 30000);
  g_assert_cmpint (groups[1], ==, 6000);
  g_assert_cmpint (groups[2], ==, 18000);
  g_assert_cmpint (groups[3], ==, 6000);
  count_classes (&s->train->fields[2], 60000, upper);
  g_assert_cmpint (upper[1], ==, 30000);

  for (int i = 0; i < 10; i++)
    {
      g_assert_cmpint (s->train->fields[0].classes[i], ==, first_train[i]);
      g_assert_cmpint (s->test->fields[0].classes[i], ==, first_test[i]);
    }
  /* The well-known mean pixel of the training set, 0.2860. */
  for (gsize i = 0; i < (gsize) 60000 * IMAGE; i++)
    sum += s->train->pixels[i];
  g_assert_cmpfloat_with_epsilon (sum / 255.0 / (60000.0 * IMAGE), 0.2860, 0.0005);
  mh_splits_free (s);

  /* With a validation split of 5000 the last 5000 training images move. */
  s = mh_fashion_mnist_load (dir, 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->train->n, ==, 55000);
  g_assert_cmpint (s->validation->n, ==, 5000);
  g_assert_cmpint (s->test->n, ==, 10000);
  g_assert_cmpint (s->validation->fields[0].classes[4999], ==, 5);  /* last label */
  g_assert_cmpint (s->validation->fields[0].classes[4995], ==, 5);
  g_assert_cmpint (s->validation->fields[0].classes[4996], ==, 1);
  mh_splits_free (s);
}

/* ---- datasets built by hand --------------------------------------------- */

/* Three 2×2×3 images with a CLASS field and a NUMBERS field. */
static MhDataset *
hand_dataset (void)
{
  MhDataset *d = g_new0 (MhDataset, 1);
  const char *const names[] = { "a", "b", "c", NULL };

  d->name = g_strdup ("hand");
  d->n = 3;
  d->shape = mh_shape3 (2, 2, 3);
  d->pixels = g_malloc (3 * 12);
  for (int i = 0; i < 36; i++)
    d->pixels[i] = (guint8) (i * 7 + 3);
  d->pixels[5] = 0;
  d->pixels[30] = 255;
  d->n_fields = 2;
  d->fields = g_new0 (MhField, 2);
  d->fields[0] = (MhField) {
    .name = g_strdup ("kind"), .kind = MH_FIELD_CLASS, .dim = 3,
    .names = g_strdupv ((char **) names), .classes = g_new (int, 3),
  };
  d->fields[1] = (MhField) {
    .name = g_strdup ("box"), .kind = MH_FIELD_NUMBERS, .dim = 4,
    .values = g_new (float, 12),
  };
  for (int i = 0; i < 3; i++)
    d->fields[0].classes[i] = 2 - i;
  for (int i = 0; i < 12; i++)
    d->fields[1].values[i] = 0.5f * (float) i - 1.0f;
  return d;
}

static void
test_fill_inputs (void)
{
  MhDataset *d = hand_dataset ();
  const int idx[] = { 2, 0, 2 };
  float x[3 * 12];

  mh_dataset_fill_inputs (d, idx, 3, x);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 12; j++)
      g_assert_cmpfloat (x[i * 12 + j], ==, (float) d->pixels[idx[i] * 12 + j] / 255.0f);
  g_assert_cmpfloat (x[1 * 12 + 5], ==, 0.0f);   /* sample 0, byte 5 */
  g_assert_cmpfloat (x[0 * 12 + 6], ==, 1.0f);   /* sample 2, byte 6 = pixel 30 */
  g_assert_cmpfloat (x[2 * 12 + 6], ==, 1.0f);
  mh_dataset_free (d);
}

static void
test_fill_inputs_fashion (void)
{
  g_autofree char *dir = fake_fashion_dir ();
  g_autoptr(GError) error = NULL;
  MhSplits *s = mh_fashion_mnist_load (dir, 4, &error);
  const int idx[] = { 3, 0 };
  g_autofree float *x = g_new (float, 2 * IMAGE);

  g_assert_no_error (error);
  /* Validation sample 3 is training-file image 11. */
  mh_dataset_fill_inputs (s->validation, idx, 2, x);
  for (int p = 0; p < IMAGE; p++)
    {
      g_assert_cmpfloat (x[p], ==, fake_pixel (11, p, 1) / 255.0f);
      g_assert_cmpfloat (x[IMAGE + p], ==, fake_pixel (8, p, 1) / 255.0f);
    }
  mh_dataset_fill_inputs (s->train, (const int[]) { 0 }, 1, x);
  g_assert_cmpfloat (x[0], ==, 0.0f);
  g_assert_cmpfloat (x[1], ==, 1.0f);
  mh_splits_free (s);
  mh_test_rm_rf (dir);
}

static void
test_fill_targets (void)
{
  MhDataset *d = hand_dataset ();
  const int idx[] = { 1, 2, 1, 0 };
  int classes[4] = { -1, -1, -1, -1 };
  float values[4 * 4];

  mh_field_fill_targets (&d->fields[0], idx, 4, classes, NULL);
  g_assert_cmpint (classes[0], ==, 1);
  g_assert_cmpint (classes[1], ==, 0);
  g_assert_cmpint (classes[2], ==, 1);
  g_assert_cmpint (classes[3], ==, 2);

  mh_field_fill_targets (&d->fields[1], idx, 4, NULL, values);
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < 4; k++)
      g_assert_cmpfloat (values[i * 4 + k], ==, 0.5f * (float) (idx[i] * 4 + k) - 1.0f);
  mh_dataset_free (d);
}

static void
test_find_field (void)
{
  MhDataset *d = hand_dataset ();
  g_autofree char *names = mh_dataset_field_names (d);

  g_assert_cmpint (mh_dataset_find_field (d, "kind"), ==, 0);
  g_assert_cmpint (mh_dataset_find_field (d, "box"), ==, 1);
  g_assert_cmpint (mh_dataset_find_field (d, "Box"), ==, -1);
  g_assert_cmpint (mh_dataset_find_field (d, ""), ==, -1);
  g_assert_cmpstr (names, ==, "kind, box");
  mh_dataset_free (d);
  mh_dataset_free (NULL);
  mh_splits_free (NULL);
}

/* ---- shuffling ---------------------------------------------------------- */

static int *
shuffled (int     n,
          guint32 seed)
{
  int *idx = g_new (int, MAX (n, 1));
  g_autoptr(GRand) rng = g_rand_new_with_seed (seed);

  for (int i = 0; i < n; i++)
    idx[i] = i;
  mh_shuffle (idx, n, rng);
  return idx;
}

static void
test_shuffle_deterministic (void)
{
  const int n = 1000;
  g_autofree int *a = shuffled (n, 42);
  g_autofree int *b = shuffled (n, 42);
  g_autofree int *c = shuffled (n, 43);
  g_autofree gboolean *seen = g_new0 (gboolean, n);
  int fixed = 0;

  g_assert_cmpmem (a, n * sizeof (int), b, n * sizeof (int));
  g_assert_true (memcmp (a, c, n * sizeof (int)) != 0);
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpint (a[i], >=, 0);
      g_assert_cmpint (a[i], <, n);
      g_assert_false (seen[a[i]]);
      seen[a[i]] = TRUE;
      fixed += a[i] == i;
    }
  g_assert_cmpint (fixed, <, 10);  /* expected 1 for a uniform permutation */

  g_free (shuffled (0, 1));
  g_autofree int *one = shuffled (1, 1);
  g_assert_cmpint (one[0], ==, 0);
}

/* All 6 orders of 3 items come out about equally often (a naive
 * "swap with any position" shuffle is biased and fails this). */
static void
test_shuffle_uniform (void)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (7);
  int counts[6] = { 0 };
  const int rounds = 60000;

  for (int r = 0; r < rounds; r++)
    {
      int idx[3] = { 0, 1, 2 };

      mh_shuffle (idx, 3, rng);
      /* Lehmer code of the permutation. */
      int code = idx[0] * 2 + (idx[1] > idx[2]);
      counts[code]++;
    }
  for (int k = 0; k < 6; k++)
    {
      g_test_message ("order %d: %d", k, counts[k]);
      g_assert_cmpint (counts[k], >, rounds / 6 - 500);
      g_assert_cmpint (counts[k], <, rounds / 6 + 500);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/data/fashion/fields", test_fashion_fields);
  g_test_add_func ("/engine/data/fashion/validation-split", test_fashion_validation_split);
  g_test_add_func ("/engine/data/fashion/count-mismatch", test_fashion_count_mismatch);
  g_test_add_func ("/engine/data/fashion/bad-label", test_fashion_bad_label);
  g_test_add_func ("/engine/data/fashion/bad-shape", test_fashion_bad_shape);
  g_test_add_func ("/engine/data/fashion/missing", test_fashion_missing);
  g_test_add_func ("/engine/data/fashion/env", test_fashion_env);
  g_test_add_func ("/engine/data/fashion/real", test_fashion_real);
  g_test_add_func ("/engine/data/fill-inputs", test_fill_inputs);
  g_test_add_func ("/engine/data/fill-inputs-fashion", test_fill_inputs_fashion);
  g_test_add_func ("/engine/data/fill-targets", test_fill_targets);
  g_test_add_func ("/engine/data/find-field", test_find_field);
  g_test_add_func ("/engine/data/shuffle/deterministic", test_shuffle_deterministic);
  g_test_add_func ("/engine/data/shuffle/uniform", test_shuffle_uniform);

  return g_test_run ();
}
