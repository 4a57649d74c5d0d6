/* mh-dataset-multi-fashion.c — Multi-Fashion: the MultiMNIST construction of Sener
 * & Koltun (2018) on Fashion-MNIST.
 *
 * Two items on a 36 × 36 black canvas, the first (left) with its top-left
 * corner at (0, 0), the second (right) at (6, 6), overlapped by pixel-wise
 * maximum, then resized to 28 × 28 by area averaging: each output pixel is
 * the mean of the 36/28-pixel square of the canvas it covers, computed
 * exactly in integers and rounded half up.  Fields `left` and `right`: the
 * two items' Fashion-MNIST classes.
 *
 * Sample i of a split has source image i on the left and a source image
 * j ≠ i drawn by a generator seeded with (seed, split) on the right, from
 * the same part of the source: training pairs from the first n - validation
 * training images, validation pairs from the last `validation`, test pairs
 * from the test images.  A flip would swap left and right: no_flip is set.
 */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-error.h"
#include "mh-splits.h"

#define SIDE   28
#define CANVAS 36
#define OFFSET 6

enum { SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST };

MhDataset *
mh_multi_fashion_schema (void)
{
  MhDataset *d = mh_dataset_new ("schema", 0, mh_shape3 (SIDE, SIDE, 1), 2);

  mh_field_init (&d->fields[0], "left", MH_FIELD_CLASS, 0, mh_fashion_mnist_category_names (), 0);
  mh_field_init (&d->fields[1], "right", MH_FIELD_CLASS, 0, mh_fashion_mnist_category_names (), 0);
  d->no_flip = TRUE;
  return d;
}

/* The weight of source pixel `i` (of `from`) in output pixel `o` (of `to`),
 * in units of 1 / `to` of a source pixel: the overlap of [i·to, (i+1)·to)
 * and [o·from, (o+1)·from). */
static int
overlap (int i, int o, int from, int to)
{
  int lo = MAX (i * to, o * from), hi = MIN ((i + 1) * to, (o + 1) * from);

  return MAX (0, hi - lo);
}

/* Area resize of a from × from grey image to to × to (to ≤ from). */
static void
resize_area (const guint8 *src, int from, guint8 *dst, int to)
{
  int first[CANVAS], weight[CANVAS][3];   /* per output: its first source pixel, ≤ 3 weights */
  guint total = (guint) from * from;

  g_assert (to <= from && from <= CANVAS);
  for (int o = 0; o < to; o++)
    {
      first[o] = o * from / to;
      for (int k = 0; k < 3; k++)
        weight[o][k] = first[o] + k < from ? overlap (first[o] + k, o, from, to) : 0;
    }
  for (int oy = 0; oy < to; oy++)
    for (int ox = 0; ox < to; ox++)
      {
        guint sum = 0;
        for (int ky = 0; ky < 3; ky++)
          for (int kx = 0; kx < 3; kx++)
            if (weight[oy][ky] && weight[ox][kx])
              sum += (guint) weight[oy][ky] * weight[ox][kx]
                     * src[(first[oy] + ky) * from + first[ox] + kx];
        dst[oy * to + ox] = (guint8) ((sum + total / 2) / total);
      }
}

static void
compose_pair (const guint8 *left, const guint8 *right, guint8 *out)
{
  guint8 canvas[CANVAS * CANVAS] = { 0 };

  for (int y = 0; y < SIDE; y++)
    memcpy (canvas + y * CANVAS, left + y * SIDE, SIDE);
  for (int y = 0; y < SIDE; y++)
    for (int x = 0; x < SIDE; x++)
      {
        guint8 *c = &canvas[(y + OFFSET) * CANVAS + x + OFFSET];
        *c = MAX (*c, right[y * SIDE + x]);
      }
  resize_area (canvas, CANVAS, out, SIDE);
}

/* Pairs of source images first … first + n - 1 (pixels, classes). */
static MhDataset *
pairs_new (const MhDataset *schema, const char *name, const MhDataset *source, int first, int n,
           guint32 seed, int split)
{
  guint32 key[2] = { seed, (guint32) split };
  g_autoptr(GRand) rng = g_rand_new_with_seed_array (key, G_N_ELEMENTS (key));
  MhDataset *d = mh_dataset_new_like (schema, name, n);
  const int *category = source->fields[0].classes;

  for (int i = 0; i < n; i++)
    {
      int j = i;
      if (n > 1)
        while (j == i)
          j = g_rand_int_range (rng, 0, n);
      compose_pair (source->pixels + (gsize) (first + i) * SIDE * SIDE,
                    source->pixels + (gsize) (first + j) * SIDE * SIDE,
                    d->pixels + (gsize) i * SIDE * SIDE);
      d->fields[0].classes[i] = category[first + i];
      d->fields[1].classes[i] = category[first + j];
    }
  return d;
}

MhSplits *
mh_multi_fashion_load (const char  *dir,
                       int          validation,
                       guint32      seed,
                       GError     **error)
{
  g_autoptr(MhSplits) source = NULL;
  g_autoptr(MhDataset) schema = NULL;
  MhSplits *s;
  int n_train;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = mh_fashion_mnist_load (dir, 0, error);
  if (source == NULL)
    return NULL;
  if (validation < 0 || validation >= source->train->n)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("dataset.validation must be from 0 to %d (Fashion-MNIST has %d training"
                   " images), got %d"), source->train->n - 1, source->train->n, validation);
      return NULL;
    }
  schema = mh_multi_fashion_schema ();
  n_train = source->train->n - validation;
  s = g_new0 (MhSplits, 1);
  s->train = pairs_new (schema, "train", source->train, 0, n_train, seed, SPLIT_TRAIN);
  s->validation = pairs_new (schema, "validation", source->train, n_train, validation, seed,
                             SPLIT_VALIDATION);
  s->test = pairs_new (schema, "test", source->test, 0, source->test->n, seed, SPLIT_TEST);
  return s;
}
