/* mh-dataset-fashion.c — Fashion-MNIST with three label fields.
 *
 * `category` is the dataset's own label; `group` and `upper` are derived
 * from it, so one set of images teaches three related tasks:
 *   group: clothing = {0, 2, 3, 4, 6}, trousers = {1}, footwear = {5, 7, 9},
 *          bag = {8};
 *   upper: yes iff the group is clothing.
 */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-dataset.h"
#include "mh-error.h"

#ifndef MH_FASHION_MNIST_DIR
#define MH_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"
#endif

#define FASHION_SIDE       28
#define FASHION_CATEGORIES 10
#define FASHION_HINT \
  _("install Debian's dataset-fashion-mnist package or set MH_FASHION_MNIST_DIR")

static const char *const category_names[] = {
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot", NULL
};

enum { GROUP_CLOTHING, GROUP_TROUSERS, GROUP_FOOTWEAR, GROUP_BAG, N_GROUPS };

static const char *const group_names[] = {
  "clothing", "trousers", "footwear", "bag", NULL
};

static const int group_of_category[FASHION_CATEGORIES] = {
  GROUP_CLOTHING,  /* T-shirt/top */
  GROUP_TROUSERS,  /* Trouser */
  GROUP_CLOTHING,  /* Pullover */
  GROUP_CLOTHING,  /* Dress */
  GROUP_CLOTHING,  /* Coat */
  GROUP_FOOTWEAR,  /* Sandal */
  GROUP_CLOTHING,  /* Shirt */
  GROUP_FOOTWEAR,  /* Sneaker */
  GROUP_BAG,       /* Bag */
  GROUP_FOOTWEAR,  /* Ankle boot */
};

static const char *const upper_names[] = { "no", "yes", NULL };

typedef struct {
  const char *images;
  const char *labels;
} SplitFiles;

static const SplitFiles train_files = {
  "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"
};
static const SplitFiles test_files = {
  "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"
};

/* Images and labels of one file pair, checked against each other. */
typedef struct {
  int     n;
  guint8 *pixels;  /* n × 28 × 28 */
  guint8 *labels;  /* n */
} RawSplit;

static void
raw_split_clear (RawSplit *r)
{
  g_clear_pointer (&r->pixels, g_free);
  g_clear_pointer (&r->labels, g_free);
}

const char *
mh_fashion_mnist_default_dir (void)
{
  return MH_FASHION_MNIST_DIR;
}

const char *const *
mh_fashion_mnist_category_names (void)
{
  return category_names;
}

/* mh_idx_read, with the install hint when the file is not there. */
static guint8 *
read_idx_file (const char  *dir,
               const char  *name,
               int         *rank,
               int          dims[4],
               GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO,
                   _("%s: no such file; %s"), path, FASHION_HINT);
      return NULL;
    }
  return mh_idx_read (path, rank, dims, error);
}

static gboolean
check_images (const char  *dir,
              const char  *name,
              int          rank,
              const int    dims[4],
              GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (rank != 3)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s: images must have rank 3 (n × 28 × 28), not %d"),
                   path, rank);
      return FALSE;
    }
  if (dims[1] != FASHION_SIDE || dims[2] != FASHION_SIDE)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s: images must be 28 × 28, not %d × %d"),
                   path, dims[1], dims[2]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_labels (const char        *dir,
              const SplitFiles  *files,
              int                rank,
              const int          dims[4],
              const guint8      *labels,
              int                n_images,
              GError           **error)
{
  g_autofree char *path = g_build_filename (dir, files->labels, NULL);
  g_autofree char *images_path = g_build_filename (dir, files->images, NULL);

  if (rank != 1)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s: labels must have rank 1 (n), not %d"), path, rank);
      return FALSE;
    }
  if (dims[0] != n_images)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s holds %d labels but %s holds %d images"),
                   path, dims[0], images_path, n_images);
      return FALSE;
    }
  for (int i = 0; i < dims[0]; i++)
    if (labels[i] >= FASHION_CATEGORIES)
      {
        g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                     _("%s: label %d (offset %d) is %u; Fashion-MNIST has "
                     "classes 0 to 9"), path, i, 8 + i, labels[i]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
raw_split_load (RawSplit          *r,
                const char        *dir,
                const SplitFiles  *files,
                GError           **error)
{
  int rank, dims[4];

  r->pixels = read_idx_file (dir, files->images, &rank, dims, error);
  if (r->pixels == NULL || !check_images (dir, files->images, rank, dims, error))
    return FALSE;
  r->n = dims[0];

  r->labels = read_idx_file (dir, files->labels, &rank, dims, error);
  if (r->labels == NULL ||
      !check_labels (dir, files, rank, dims, r->labels, r->n, error))
    return FALSE;
  return TRUE;
}

static void
field_init_class (MhField            *f,
                  const char         *name,
                  const char *const  *names,
                  int                *classes)
{
  f->name = g_strdup (name);
  f->kind = MH_FIELD_CLASS;
  f->names = g_strdupv ((char **) names);
  f->dim = (int) g_strv_length (f->names);
  f->classes = classes;
}

/* A dataset of `n` samples; takes `pixels`, reads labels[0..n). */
static MhDataset *
dataset_new (const char   *name,
             int           n,
             guint8       *pixels,
             const guint8 *labels)
{
  MhDataset *d = g_new0 (MhDataset, 1);
  int *category = g_new (int, MAX (n, 1));
  int *group = g_new (int, MAX (n, 1));
  int *upper = g_new (int, MAX (n, 1));

  for (int i = 0; i < n; i++)
    {
      category[i] = labels[i];
      group[i] = group_of_category[labels[i]];
      upper[i] = group[i] == GROUP_CLOTHING;
    }

  d->name = g_strdup (name);
  d->n = n;
  d->shape = mh_shape3 (FASHION_SIDE, FASHION_SIDE, 1);
  d->pixels = pixels;
  d->n_fields = 3;
  d->fields = g_new0 (MhField, d->n_fields);
  field_init_class (&d->fields[0], "category", category_names, category);
  field_init_class (&d->fields[1], "group", group_names, group);
  field_init_class (&d->fields[2], "upper", upper_names, upper);
  return d;
}

/* Split the training file: the first n - validation images train, the
 * last `validation` validate. */
static void
split_train (MhSplits *s,
             RawSplit *train,
             int       validation)
{
  gsize image = (gsize) FASHION_SIDE * FASHION_SIDE;
  int n_train = train->n - validation;
  guint8 *val_pixels = g_malloc (MAX ((gsize) validation * image, 1));

  memcpy (val_pixels, train->pixels + (gsize) n_train * image,
          (gsize) validation * image);
  s->validation = dataset_new ("validation", validation, val_pixels,
                               train->labels + n_train);

  /* Shrinking keeps the bytes and gives the tail back. */
  train->pixels = g_realloc (train->pixels, MAX ((gsize) n_train * image, 1));
  s->train = dataset_new ("train", n_train, g_steal_pointer (&train->pixels),
                          train->labels);
}

static const char *
resolve_dir (const char *dir)
{
  const char *env;

  if (dir != NULL)
    return dir;
  env = g_getenv ("MH_FASHION_MNIST_DIR");
  if (env != NULL && *env != '\0')
    return env;
  return mh_fashion_mnist_default_dir ();
}

MhSplits *
mh_fashion_mnist_load (const char  *dir,
                       int          validation,
                       GError     **error)
{
  RawSplit train = { 0 }, test = { 0 };
  MhSplits *s = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = resolve_dir (dir);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO,
                   _("Fashion-MNIST directory %s not found; %s"), dir, FASHION_HINT);
      return NULL;
    }

  if (!raw_split_load (&train, dir, &train_files, error) ||
      !raw_split_load (&test, dir, &test_files, error))
    goto out;

  if (validation < 0 || validation >= train.n)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("validation size %d out of range: %s/%s holds %d images, "
                   "so it must be from 0 to %d"),
                   validation, dir, train_files.images, train.n, train.n - 1);
      goto out;
    }

  s = g_new0 (MhSplits, 1);
  split_train (s, &train, validation);
  s->test = dataset_new ("test", test.n, g_steal_pointer (&test.pixels),
                         test.labels);

out:
  raw_split_clear (&train);
  raw_split_clear (&test);
  return s;
}
