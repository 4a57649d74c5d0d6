/* test-shapes.c — the Shapes data set: boxes that enclose exactly the drawn
 * pixels, positions that follow the boxes, determinism, balance. */
#include <math.h>
#include <string.h>
#include "mh-splits.h"
#include "mh-test-util.h"

enum { F_SHAPE, F_COLOUR, F_SIZE, F_POSITION, F_ATTRIBUTES, F_BOX };

/* A pixel is the shape's when its channels differ by at least this much:
 * the background's differ by at most 12, the shapes' by 50 or more. */
#define DRAWN_SPREAD 30

static int
spread (const guint8 *p)
{
  return MAX (p[0], MAX (p[1], p[2])) - MIN (p[0], MIN (p[1], p[2]));
}

/* The box of the drawn pixels of image i, in pixels [x0, x1) × [y0, y1);
 * also checks that no pixel is in between the background and the shapes. */
static void
drawn_box (const MhDataset *d, int i, int box[4])
{
  int side = d->shape.dim[0];
  const guint8 *img = d->pixels + (gsize) i * side * side * 3;

  box[0] = box[1] = side;
  box[2] = box[3] = 0;
  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      {
        int s = spread (img + (y * side + x) * 3);
        g_assert_true (s <= 12 || s >= 50);
        if (s < DRAWN_SPREAD)
          continue;
        box[0] = MIN (box[0], x);
        box[1] = MIN (box[1], y);
        box[2] = MAX (box[2], x + 1);
        box[3] = MAX (box[3], y + 1);
      }
}

static void
check_boxes_exact (const MhDataset *d)
{
  const MhField *box = &d->fields[F_BOX];
  int side = d->shape.dim[0];

  g_assert_true (box->box);
  g_assert_cmpint (box->dim, ==, 4);
  for (int i = 0; i < d->n; i++)
    {
      const float *b = box->values + 4 * i;
      int want[4];

      drawn_box (d, i, want);
      g_assert_cmpint (want[0], <, want[2]);   /* something is drawn */
      /* every drawn pixel inside, a drawn pixel on every edge */
      for (int k = 0; k < 4; k++)
        g_assert_cmpfloat (b[k], ==, (float) want[k] / side);
      g_assert_cmpint (d->fields[F_POSITION].classes[i], ==, mh_box_cell (b, 3, 3));
    }
}

static void
test_boxes_exact (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhSplits) s = mh_shapes_load (48, 400, 100, 0, 5, &error);

  g_assert_no_error (error);
  g_assert_cmpint (s->train->n, ==, 400);
  g_assert_cmpint (s->test->n, ==, 100);
  g_assert_cmpint (s->validation->n, ==, 0);
  check_boxes_exact (s->train);
  check_boxes_exact (s->test);
}

static void
test_other_sizes (void)
{
  const int sizes[] = { 16, 29, 64 };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MhSplits) s = mh_shapes_load (sizes[k], 120, 0, 0, 2, &error);

      g_assert_no_error (error);
      g_assert_cmpint (s->train->shape.dim[0], ==, sizes[k]);
      g_assert_cmpint (s->train->shape.dim[1], ==, sizes[k]);
      g_assert_cmpint (s->train->shape.dim[2], ==, 3);
      check_boxes_exact (s->train);
    }
}

static gboolean
datasets_equal (const MhDataset *a, int a0, const MhDataset *b, int b0, int n)
{
  gsize size = mh_shape_size (&a->shape);

  if (memcmp (a->pixels + a0 * size, b->pixels + b0 * size, n * size) != 0)
    return FALSE;
  for (int f = 0; f < a->n_fields; f++)
    {
      const MhField *fa = &a->fields[f], *fb = &b->fields[f];
      if (fa->kind == MH_FIELD_CLASS
          ? memcmp (fa->classes + a0, fb->classes + b0, n * sizeof (int)) != 0
          : memcmp (fa->values + a0 * fa->dim, fb->values + b0 * fb->dim, n * fa->dim * sizeof (float)) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
test_deterministic (void)
{
  g_autoptr(MhSplits) a = mh_shapes_load (32, 200, 50, 40, 9, NULL);
  g_autoptr(MhSplits) b = mh_shapes_load (32, 200, 50, 40, 9, NULL);
  g_autoptr(MhSplits) other = mh_shapes_load (32, 200, 50, 40, 10, NULL);
  g_autoptr(MhSplits) more = mh_shapes_load (32, 300, 80, 0, 9, NULL);

  g_assert_true (datasets_equal (a->train, 0, b->train, 0, 160));
  g_assert_true (datasets_equal (a->validation, 0, b->validation, 0, 40));
  g_assert_true (datasets_equal (a->test, 0, b->test, 0, 50));
  g_assert_false (datasets_equal (a->train, 0, other->train, 0, 160));
  /* a sample does not depend on the counts; validation is the training tail */
  g_assert_true (datasets_equal (a->train, 0, more->train, 0, 160));
  g_assert_true (datasets_equal (a->validation, 0, more->train, 160, 40));
  g_assert_true (datasets_equal (a->test, 0, more->test, 0, 50));
  /* the test split is not the training one */
  g_assert_false (datasets_equal (a->train, 0, a->test, 0, 50));
}

/* Every class of a field is about as common as it should be. */
static void
check_balance (const MhField *f, int n, double lo, double hi)
{
  g_autofree int *count = g_new0 (int, f->dim);

  for (int i = 0; i < n; i++)
    count[f->classes[i]]++;
  for (int c = 0; c < f->dim; c++)
    {
      g_test_message ("%s %s: %.3f", f->name, f->names[c], (double) count[c] / n);
      g_assert_cmpfloat ((double) count[c] / n, >=, lo);
      g_assert_cmpfloat ((double) count[c] / n, <=, hi);
    }
}

static void
test_balance (void)
{
  g_autoptr(MhSplits) s = mh_shapes_load (48, 4000, 0, 0, 1, NULL);
  const MhDataset *d = s->train;
  const MhField *attr = &d->fields[F_ATTRIBUTES];
  double share[3] = { 0 };

  check_balance (&d->fields[F_SHAPE], d->n, 0.17, 0.23);
  check_balance (&d->fields[F_COLOUR], d->n, 0.14, 0.19);
  check_balance (&d->fields[F_SIZE], d->n, 0.30, 0.37);
  check_balance (&d->fields[F_POSITION], d->n, 0.06, 0.17);
  for (int i = 0; i < d->n; i++)
    for (int a = 0; a < 3; a++)
      share[a] += attr->values[3 * i + a] / d->n;
  g_assert_cmpfloat (fabs (share[0] - 0.7), <, 0.03);    /* filled */
  g_assert_cmpfloat (fabs (share[1] - 0.35), <, 0.03);   /* striped */
  g_assert_cmpfloat (fabs (share[2] - 0.35), <, 0.03);   /* outlined */
  for (int i = 0; i < d->n; i++)   /* striped and outlined only when filled */
    g_assert_true (attr->values[3 * i] == 1 || (attr->values[3 * i + 1] == 0 && attr->values[3 * i + 2] == 0));
}

/* Large shapes are larger than small ones, by their boxes. */
static void
test_sizes_grow (void)
{
  g_autoptr(MhSplits) s = mh_shapes_load (48, 600, 0, 0, 3, NULL);
  double area[3] = { 0 };
  int count[3] = { 0 };

  for (int i = 0; i < s->train->n; i++)
    {
      const float *b = s->train->fields[F_BOX].values + 4 * i;
      int size = s->train->fields[F_SIZE].classes[i];
      area[size] += (b[2] - b[0]) * (b[3] - b[1]);
      count[size]++;
    }
  for (int k = 0; k < 3; k++)
    area[k] /= count[k];
  g_assert_cmpfloat (area[0] * 1.5, <, area[1]);
  g_assert_cmpfloat (area[1] * 1.3, <, area[2]);
}

static void
test_schema (void)
{
  static const char *const names[] = { "shape", "colour", "size", "position", "attributes", "box" };
  g_autoptr(MhDataset) schema = mh_shapes_schema (48);
  g_autoptr(MhSplits) s = mh_shapes_load (48, 5, 0, 0, 1, NULL);

  g_assert_cmpint (schema->n, ==, 0);
  g_assert_cmpint (schema->n_fields, ==, G_N_ELEMENTS (names));
  g_assert_cmpint (schema->shape.dim[2], ==, 3);
  g_assert_false (schema->no_flip);
  for (int f = 0; f < schema->n_fields; f++)
    {
      g_assert_cmpstr (schema->fields[f].name, ==, names[f]);
      g_assert_cmpstr (s->train->fields[f].name, ==, names[f]);
      g_assert_cmpint (schema->fields[f].kind, ==, s->train->fields[f].kind);
      g_assert_cmpint (schema->fields[f].dim, ==, s->train->fields[f].dim);
    }
  g_assert_cmpint (schema->fields[F_SHAPE].dim, ==, 5);
  g_assert_cmpint (schema->fields[F_POSITION].dim, ==, 9);
  g_assert_cmpint (schema->fields[F_POSITION].cell_of, ==, F_BOX);
  g_assert_cmpint (schema->fields[F_ATTRIBUTES].kind, ==, MH_FIELD_LABELS);
  g_assert_true (schema->fields[F_BOX].box);
}

static void
test_errors (void)
{
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;

  g_assert_null (mh_shapes_load (8, 10, 10, 0, 1, &e1));
  mh_test_assert_error_mentions (e1, MH_ERROR_INVALID, "dataset.size", "16", "8", NULL);
  g_assert_null (mh_shapes_load (48, 10, 10, 10, 1, &e2));
  mh_test_assert_error_mentions (e2, MH_ERROR_INVALID, "10 validation", NULL);
  g_assert_null (mh_shapes_load (48, 0, 10, 0, 1, &e3));
  mh_test_assert_error_mentions (e3, MH_ERROR_INVALID, "0 training", NULL);
}

/* Through mh_splits_load(), from a project's keys. */
static void
test_from_project (void)
{
  g_autoptr(GError) error = NULL;
  MhDataSpec spec = { .kind = (char *) "shapes", .validation = 3, .seed = 4, .size = 24,
                      .train = 13, .test = 7 };
  g_autoptr(MhSplits) s = mh_splits_load (&spec, "/ignored", "p.mhproj", &error);

  g_assert_no_error (error);
  g_assert_cmpint (s->train->n, ==, 10);
  g_assert_cmpint (s->validation->n, ==, 3);
  g_assert_cmpint (s->test->n, ==, 7);
  g_assert_cmpint (s->train->shape.dim[0], ==, 24);
  spec.size = 4;
  g_assert_null (mh_splits_load (&spec, NULL, "p.mhproj", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "p.mhproj: dataset.size", NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/data/shapes/boxes-exact", test_boxes_exact);
  g_test_add_func ("/engine/data/shapes/other-sizes", test_other_sizes);
  g_test_add_func ("/engine/data/shapes/deterministic", test_deterministic);
  g_test_add_func ("/engine/data/shapes/balance", test_balance);
  g_test_add_func ("/engine/data/shapes/sizes-grow", test_sizes_grow);
  g_test_add_func ("/engine/data/shapes/schema", test_schema);
  g_test_add_func ("/engine/data/shapes/errors", test_errors);
  g_test_add_func ("/engine/data/shapes/from-project", test_from_project);
  return g_test_run ();
}
