/* test-augment.c — random shifts and flips of a batch: the pixels move as a
 * whole, boxes and grid positions follow them, Multi-Fashion is never
 * flipped, a flip done twice is no change. */
#include <math.h>
#include <string.h>
#include "mh-augment.h"
#include "mh-splits.h"
#include "mh-test-util.h"

enum { F_SHAPE, F_COLOUR, F_SIZE, F_POSITION, F_ATTRIBUTES, F_BOX };

/* A batch of the first n samples of d: inputs and every field's targets. */
typedef struct {
  const MhDataset *d;
  int              n;
  int             *idx;
  float           *x;
  MhAugmentTarget *targets;
} Batch;

static void
batch_init (Batch *b, const MhDataset *d, int n)
{
  b->d = d;
  b->n = n;
  b->idx = g_new (int, n);
  for (int i = 0; i < n; i++)
    b->idx[i] = i;
  b->x = g_new (float, n * mh_shape_size (&d->shape));
  mh_dataset_fill_inputs (d, b->idx, n, b->x);
  b->targets = g_new0 (MhAugmentTarget, d->n_fields);
  for (int f = 0; f < d->n_fields; f++)
    {
      MhAugmentTarget *t = &b->targets[f];
      t->field = f;
      if (d->fields[f].kind == MH_FIELD_CLASS)
        t->classes = g_new (int, n);
      else
        t->values = g_new (float, n * d->fields[f].dim);
      mh_field_fill_targets (&d->fields[f], b->idx, n, t->classes, t->values);
    }
}

static void
batch_clear (Batch *b)
{
  for (int f = 0; f < b->d->n_fields; f++)
    {
      g_free (b->targets[f].classes);
      g_free (b->targets[f].values);
    }
  g_free (b->targets);
  g_free (b->idx);
  g_free (b->x);
}

static void
augment (Batch *b, int shift, gboolean flip, guint32 seed)
{
  MhAugmentSpec spec = { shift, flip };
  g_autoptr(GRand) rng = g_rand_new_with_seed (seed);

  mh_augment_batch (&spec, b->d, b->idx, b->n, b->x, b->targets, b->d->n_fields, rng);
}

/* Image i of d moved as the augmentation says it moves it, written out. */
static void
reference (const MhDataset *d, int i, gboolean flip, int dx, int dy, float *out)
{
  int h = d->shape.dim[0], w = d->shape.dim[1], c = d->shape.dim[2];
  const guint8 *src = d->pixels + (gsize) i * h * w * c;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int k = 0; k < c; k++)
        {
          int sy = y - dy, sx = x - dx;
          if (flip)
            sx = w - 1 - sx;
          out[(y * w + x) * c + k] = sy >= 0 && sy < h && sx >= 0 && sx < w
                                     ? src[(sy * w + sx) * c + k] / 255.0f : 0;
        }
}

/* Which move (flip, dx, dy within ±shift) made image i of the batch; FALSE
 * when none did. */
static gboolean
find_move (const Batch *b, int i, int shift, gboolean flips, gboolean *flip, int *dx, int *dy)
{
  gsize size = mh_shape_size (&b->d->shape);
  g_autofree float *want = g_new (float, size);

  for (int f = 0; f <= flips; f++)
    for (*dy = -shift; *dy <= shift; (*dy)++)
      for (*dx = -shift; *dx <= shift; (*dx)++)
        {
          reference (b->d, i, f, *dx, *dy, want);
          if (memcmp (want, b->x + i * size, size * sizeof (float)) == 0)
            {
              *flip = f;
              return TRUE;
            }
        }
  return FALSE;
}

/* The box of the shape's (saturated) pixels of image i of the batch. */
static void
drawn_box (const Batch *b, int i, float box[4])
{
  int side = b->d->shape.dim[0], x0 = side, y0 = side, x1 = 0, y1 = 0;
  const float *img = b->x + (gsize) i * side * side * 3;

  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      {
        const float *p = img + (y * side + x) * 3;
        if (MAX (p[0], MAX (p[1], p[2])) - MIN (p[0], MIN (p[1], p[2])) < 30 / 255.0f)
          continue;
        x0 = MIN (x0, x);
        y0 = MIN (y0, y);
        x1 = MAX (x1, x + 1);
        y1 = MAX (y1, y + 1);
      }
  box[0] = (float) x0 / side;
  box[1] = (float) y0 / side;
  box[2] = (float) x1 / side;
  box[3] = (float) y1 / side;
}

static void
test_shift_and_flip (void)
{
  g_autoptr(MhSplits) s = mh_shapes_load (32, 60, 0, 0, 4, NULL);
  const MhDataset *d = s->train;
  int moves[2][9][9] = { { { 0 } } }, distinct = 0;
  Batch b;

  batch_init (&b, d, d->n);
  augment (&b, 4, TRUE, 17);
  for (int i = 0; i < b.n; i++)
    {
      gboolean flip;
      int dx, dy;
      float want[4], got_box[4];
      const float *orig = d->fields[F_BOX].values + 4 * i;
      const float *box = b.targets[F_BOX].values + 4 * i;

      g_assert_true (find_move (&b, i, 4, TRUE, &flip, &dx, &dy));
      moves[flip][dy + 4][dx + 4]++;
      /* the box moved with the pixels, and still encloses exactly the shape */
      want[0] = CLAMP ((flip ? 1 - orig[2] : orig[0]) + dx / 32.0f, 0, 1);
      want[1] = CLAMP (orig[1] + dy / 32.0f, 0, 1);
      want[2] = CLAMP ((flip ? 1 - orig[0] : orig[2]) + dx / 32.0f, 0, 1);
      want[3] = CLAMP (orig[3] + dy / 32.0f, 0, 1);
      drawn_box (&b, i, got_box);
      for (int k = 0; k < 4; k++)
        {
          g_assert_cmpfloat_with_epsilon (box[k], want[k], 1e-6);
          g_assert_cmpfloat_with_epsilon (box[k], got_box[k], 1e-6);
        }
      g_assert_cmpint (b.targets[F_POSITION].classes[i], ==, mh_box_cell (box, 3, 3));
      /* the other targets are what they were */
      g_assert_cmpint (b.targets[F_SHAPE].classes[i], ==, d->fields[F_SHAPE].classes[i]);
      g_assert_cmpint (b.targets[F_SIZE].classes[i], ==, d->fields[F_SIZE].classes[i]);
      g_assert_cmpmem (b.targets[F_ATTRIBUTES].values + 3 * i, 3 * sizeof (float),
                       d->fields[F_ATTRIBUTES].values + 3 * i, 3 * sizeof (float));
    }
  for (int f = 0; f < 2; f++)
    for (int y = 0; y < 9; y++)
      for (int x = 0; x < 9; x++)
        distinct += moves[f][y][x] > 0;
  g_assert_cmpint (distinct, >, 30);
  batch_clear (&b);
}

/* The same generator twice: every flipped image and box flipped back.
 * (Positions are computed from the samples' own boxes each time: a batch
 * is augmented once, as it was filled.) */
static void
test_flip_twice (void)
{
  g_autoptr(MhSplits) s = mh_shapes_load (24, 40, 0, 0, 8, NULL);
  gsize size = mh_shape_size (&s->train->shape);
  int flipped = 0;
  Batch b;

  batch_init (&b, s->train, 40);
  augment (&b, 0, TRUE, 5);
  for (int i = 0; i < b.n; i++)
    {
      gboolean flip;
      int dx, dy;
      g_assert_true (find_move (&b, i, 0, TRUE, &flip, &dx, &dy));
      flipped += flip;
    }
  g_assert_cmpint (flipped, >, 10);
  g_assert_cmpint (flipped, <, 30);
  augment (&b, 0, TRUE, 5);
  for (int i = 0; i < b.n; i++)
    {
      g_autofree float *orig = g_new (float, size);
      reference (s->train, i, FALSE, 0, 0, orig);
      g_assert_cmpmem (b.x + i * size, size * sizeof (float), orig, size * sizeof (float));
      for (int k = 0; k < 4; k++)
        g_assert_cmpfloat_with_epsilon (b.targets[F_BOX].values[4 * i + k],
                                        s->train->fields[F_BOX].values[4 * i + k], 1e-6);
    }
  batch_clear (&b);
}

/* Grey images, shifts only; other numbers than boxes stay. */
static void
test_grey_shift (void)
{
  g_autoptr(MhDataset) d = mh_test_blob_dataset (30, 12, 10, 3);
  Batch b;

  batch_init (&b, d, 30);
  augment (&b, 3, FALSE, 2);
  for (int i = 0; i < b.n; i++)
    {
      gboolean flip;
      int dx, dy;
      g_assert_true (find_move (&b, i, 3, FALSE, &flip, &dx, &dy));
      g_assert_false (flip);
      g_assert_cmpmem (b.targets[2].values + 2 * i, 2 * sizeof (float),
                       d->fields[2].values + 2 * i, 2 * sizeof (float));
    }
  batch_clear (&b);
}

static void
test_multi_fashion_never_flipped (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autoptr(MhSplits) s = NULL;
  MhAugmentSpec flip_only = { 0, TRUE };
  gsize size;
  Batch b;

  mh_test_write_fake_fashion (dir, 30, 4, 9);
  s = mh_multi_fashion_load (dir, 0, 1, NULL);
  size = mh_shape_size (&s->train->shape);
  g_assert_false (mh_augment_active (&flip_only, s->train));
  batch_init (&b, s->train, 30);
  augment (&b, 0, TRUE, 3);
  for (int i = 0; i < b.n; i++)
    {
      g_autofree float *orig = g_new (float, size);
      reference (s->train, i, FALSE, 0, 0, orig);
      g_assert_cmpmem (b.x + i * size, size * sizeof (float), orig, size * sizeof (float));
    }
  augment (&b, 2, TRUE, 3);   /* shifts, still no flip */
  for (int i = 0; i < b.n; i++)
    {
      gboolean flip;
      int dx, dy;
      g_assert_true (find_move (&b, i, 2, FALSE, &flip, &dx, &dy));
    }
  batch_clear (&b);
  mh_test_rm_rf (dir);
}

static void
test_off_and_deterministic (void)
{
  g_autoptr(MhSplits) s = mh_shapes_load (20, 16, 0, 0, 2, NULL);
  MhAugmentSpec off = { 0, FALSE }, on = { 1, TRUE };
  gsize size = mh_shape_size (&s->train->shape);
  g_autoptr(GRand) rng = g_rand_new_with_seed (1);
  g_autoptr(GRand) fresh = g_rand_new_with_seed (1);
  Batch a, b;

  g_assert_false (mh_augment_active (&off, s->train));
  g_assert_false (mh_augment_active (NULL, s->train));
  g_assert_true (mh_augment_active (&on, s->train));
  batch_init (&a, s->train, 16);
  batch_init (&b, s->train, 16);
  mh_augment_batch (&off, a.d, a.idx, a.n, a.x, a.targets, a.d->n_fields, rng);
  g_assert_cmpmem (a.x, 16 * size * sizeof (float), b.x, 16 * size * sizeof (float));
  g_assert_cmpuint (g_rand_int (rng), ==, g_rand_int (fresh));   /* nothing drawn */
  augment (&a, 2, TRUE, 4);
  augment (&b, 2, TRUE, 4);
  g_assert_cmpmem (a.x, 16 * size * sizeof (float), b.x, 16 * size * sizeof (float));
  g_assert_cmpmem (a.targets[F_BOX].values, 64 * sizeof (float), b.targets[F_BOX].values,
                   64 * sizeof (float));
  batch_clear (&a);
  batch_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/augment/shift-and-flip", test_shift_and_flip);
  g_test_add_func ("/engine/augment/flip-twice", test_flip_twice);
  g_test_add_func ("/engine/augment/grey-shift", test_grey_shift);
  g_test_add_func ("/engine/augment/multi-fashion-never-flipped", test_multi_fashion_never_flipped);
  g_test_add_func ("/engine/augment/off-and-deterministic", test_off_and_deterministic);
  return g_test_run ();
}
