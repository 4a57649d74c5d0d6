/* mh-dataset-shapes.c — Shapes: one coloured shape on a textured grey background,
 * drawn with cairo, with six fields to learn:
 *
 *   shape       circle, square, triangle, star, cross (any rotation)
 *   colour      red, green, blue, yellow, magenta, cyan (±10 per channel)
 *   size        small, medium, large: the radius of the circle the shape is
 *               drawn in, 12–15%, 18–21% or 24–27% of the image's side
 *   position    the cell of a 3 × 3 grid holding the centre of the box
 *   attributes  filled (the inside is painted, else only a ring is),
 *               striped (filled with stripes of a darker shade),
 *               outlined (filled with a darker border)
 *   box         x0, y0, x1, y1 in [0, 1]: the bounding box of the shape's
 *               pixels, at pixel edges (x1 = (last column + 1) / side)
 *
 * Shapes are drawn without anti-aliasing, so every pixel is either the
 * background's or the shape's: the box is measured on the pixels after
 * drawing and encloses exactly the shape's.  The background is grey (its
 * channels differ by at most 12) and the shape's pixels are saturated (at
 * least 50 between the largest and smallest channel), so the two are told
 * apart by looking.
 *
 * Sample i of a split is drawn from its own generator, seeded with (seed,
 * split, i): a sample does not depend on how many there are.
 */
#include <cairo.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "mh-error.h"
#include "mh-splits.h"

#define MIN_SIDE 16
#define MAX_SIDE 512

enum { SHAPE_CIRCLE, SHAPE_SQUARE, SHAPE_TRIANGLE, SHAPE_STAR, SHAPE_CROSS, N_SHAPES };
enum { ATTR_FILLED, ATTR_STRIPED, ATTR_OUTLINED, N_ATTRS };
enum { F_SHAPE, F_COLOUR, F_SIZE, F_POSITION, F_ATTRIBUTES, F_BOX, N_FIELDS };
enum { SPLIT_TRAIN, SPLIT_TEST };

static const char *const shape_names[] = {
  "circle", "square", "triangle", "star", "cross", NULL
};
static const char *const colour_names[] = {
  "red", "green", "blue", "yellow", "magenta", "cyan", NULL
};
static const guint8 colour_rgb[][3] = {
  { 225, 35, 35 }, { 35, 190, 55 }, { 45, 75, 235 },
  { 235, 215, 30 }, { 215, 45, 205 }, { 30, 205, 215 },
};
static const char *const size_names[] = { "small", "medium", "large", NULL };
static const double size_radius[][2] = { { 0.12, 0.15 }, { 0.18, 0.21 }, { 0.24, 0.27 } };
static const char *const position_names[] = {
  "top-left", "top", "top-right", "left", "centre", "right",
  "bottom-left", "bottom", "bottom-right", NULL
};
static const char *const attribute_names[] = { "filled", "striped", "outlined", NULL };

#define GRID 3

MhDataset *
mh_shapes_schema (int size)
{
  MhDataset *d = mh_dataset_new ("schema", 0, mh_shape3 (size, size, 3), N_FIELDS);

  mh_field_init (&d->fields[F_SHAPE], "shape", MH_FIELD_CLASS, 0, shape_names, 0);
  mh_field_init (&d->fields[F_COLOUR], "colour", MH_FIELD_CLASS, 0, colour_names, 0);
  mh_field_init (&d->fields[F_SIZE], "size", MH_FIELD_CLASS, 0, size_names, 0);
  mh_field_init (&d->fields[F_POSITION], "position", MH_FIELD_CLASS, 0, position_names, 0);
  mh_field_init (&d->fields[F_ATTRIBUTES], "attributes", MH_FIELD_LABELS, 0, attribute_names, 0);
  mh_field_init (&d->fields[F_BOX], "box", MH_FIELD_NUMBERS, 4, NULL, 0);
  d->fields[F_POSITION].cell_of = F_BOX;
  d->fields[F_POSITION].cell_cols = GRID;
  d->fields[F_POSITION].cell_rows = GRID;
  d->fields[F_BOX].box = TRUE;
  return d;
}

/* What one sample shows, before it is drawn. */
typedef struct {
  int      shape, colour, size;
  gboolean attr[N_ATTRS];
  double   radius, angle, cx, cy;
  double   rgb[3], dark[3];      /* the colour and its darker shade, 0–1 */
} Sample;

/* A centre for the cell's row or column: inside the cell when the shape fits
 * there, else as near as it fits in the image. */
static double
place (GRand *rng, int cell, double side, double reach)
{
  double lo = MAX (cell * side / GRID, reach), hi = MIN ((cell + 1) * side / GRID, side - reach);

  if (lo >= hi)
    {
      lo = reach;
      hi = side - reach;
    }
  return g_rand_double_range (rng, lo, hi);
}

static void
sample_draw_lots (Sample *s, GRand *rng, int side)
{
  int cell;

  s->shape = g_rand_int_range (rng, 0, N_SHAPES);
  s->colour = g_rand_int_range (rng, 0, G_N_ELEMENTS (colour_rgb));
  s->size = g_rand_int_range (rng, 0, 3);
  cell = g_rand_int_range (rng, 0, GRID * GRID);
  s->attr[ATTR_FILLED] = g_rand_double (rng) < 0.7;
  s->attr[ATTR_STRIPED] = s->attr[ATTR_FILLED] && g_rand_boolean (rng);
  s->attr[ATTR_OUTLINED] = s->attr[ATTR_FILLED] && g_rand_boolean (rng);
  s->radius = side * g_rand_double_range (rng, size_radius[s->size][0], size_radius[s->size][1]);
  s->angle = s->shape == SHAPE_CIRCLE ? 0 : g_rand_double_range (rng, 0, 2 * G_PI);
  /* strokes reach at most 0.15 radius past the path */
  s->cx = place (rng, cell % GRID, side, 1.15 * s->radius + 1);
  s->cy = place (rng, cell / GRID, side, 1.15 * s->radius + 1);
  for (int c = 0; c < 3; c++)
    {
      s->rgb[c] = (colour_rgb[s->colour][c] + g_rand_int_range (rng, -10, 11)) / 255.0;
      s->dark[c] = 0.5 * s->rgb[c];
    }
}

/* The shape's outline, in the circle of radius r around the origin. */
static void
shape_path (cairo_t *cr, int shape, double r)
{
  switch (shape)
    {
    case SHAPE_CIRCLE:
      cairo_arc (cr, 0, 0, r, 0, 2 * G_PI);
      break;
    case SHAPE_SQUARE:
      cairo_rectangle (cr, -r * G_SQRT2 / 2, -r * G_SQRT2 / 2, r * G_SQRT2, r * G_SQRT2);
      break;
    case SHAPE_TRIANGLE:
    case SHAPE_STAR:
      {
        int points = shape == SHAPE_STAR ? 10 : 3;
        for (int k = 0; k < points; k++)
          {
            double a = -G_PI / 2 + 2 * G_PI * k / points;
            double rk = shape == SHAPE_STAR && k % 2 ? 0.45 * r : r;
            cairo_line_to (cr, rk * cos (a), rk * sin (a));
          }
        cairo_close_path (cr);
        break;
      }
    case SHAPE_CROSS:
      {
        double a = 0.3 * r, b = sqrt (r * r - a * a);   /* arm half-width, arm reach */
        cairo_rectangle (cr, -b, -a, 2 * b, 2 * a);
        cairo_rectangle (cr, -a, -b, 2 * a, 2 * b);
        break;
      }
    }
}

/* Stripes of the darker shade across the shape, clipped to it. */
static void
draw_stripes (cairo_t *cr, const Sample *s)
{
  double period = MAX (3.0, 0.5 * s->radius);

  cairo_save (cr);
  shape_path (cr, s->shape, s->radius);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  cairo_clip (cr);
  cairo_rotate (cr, G_PI / 4);
  for (double y = -2 * s->radius; y < 2 * s->radius; y += period)
    cairo_rectangle (cr, -2 * s->radius, y, 4 * s->radius, period / 2);
  cairo_set_source_rgb (cr, s->dark[0], s->dark[1], s->dark[2]);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* The shape alone on a transparent surface, without anti-aliasing. */
static void
draw_shape (cairo_surface_t *surface, const Sample *s)
{
  cairo_t *cr = cairo_create (surface);

  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_translate (cr, s->cx, s->cy);
  cairo_rotate (cr, s->angle);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  cairo_set_source_rgb (cr, s->rgb[0], s->rgb[1], s->rgb[2]);
  if (!s->attr[ATTR_FILLED])
    {
      double width = MAX (2.0, 0.3 * s->radius);
      shape_path (cr, s->shape, s->radius - width / 2);
      cairo_set_line_width (cr, width);
      cairo_stroke (cr);
      cairo_destroy (cr);
      return;
    }
  shape_path (cr, s->shape, s->radius);
  cairo_fill (cr);
  if (s->attr[ATTR_STRIPED])
    draw_stripes (cr, s);
  if (s->attr[ATTR_OUTLINED])
    {
      double width = MAX (1.5, 0.2 * s->radius);
      shape_path (cr, s->shape, s->radius - width / 2);
      cairo_set_line_width (cr, width);
      cairo_set_source_rgb (cr, s->dark[0], s->dark[1], s->dark[2]);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

/* A grey ramp in a random direction with a little noise on every channel:
 * channels within 12 of each other. */
static void
draw_background (guint8 *px, int side, GRand *rng)
{
  double base = g_rand_double_range (rng, 60, 170), amp = g_rand_double_range (rng, 0, 25);
  double dir = g_rand_double_range (rng, 0, 2 * G_PI), ux = cos (dir), uy = sin (dir);

  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      {
        double t = ((x + 0.5) / side - 0.5) * ux + ((y + 0.5) / side - 0.5) * uy;
        int grey = (int) lround (base + 2 * amp * t);
        guint32 noise = g_rand_int (rng);
        for (int c = 0; c < 3; c++)
          px[(y * side + x) * 3 + c] = (guint8) (grey + (int) ((noise >> (8 * c)) % 13) - 6);
      }
}

/* Puts the shape's pixels over the background and measures their box. */
static void
compose (guint8 *px, int side, cairo_surface_t *surface, float box[4])
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int x0 = side, y0 = side, x1 = -1, y1 = -1;

  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      {
        guint32 argb = *(const guint32 *) (data + (gsize) y * stride + 4 * x);
        guint a = argb >> 24;
        guint8 *p = px + (gsize) (y * side + x) * 3;

        if (a == 0)
          continue;
        /* premultiplied colour over the background (a is 255 without
         * anti-aliasing) */
        for (int c = 0; c < 3; c++)
          p[c] = (guint8) (((argb >> (16 - 8 * c)) & 0xff) + p[c] * (255 - a) / 255);
        x0 = MIN (x0, x);
        x1 = MAX (x1, x);
        y0 = MIN (y0, y);
        y1 = MAX (y1, y);
      }
  if (x1 < 0)   /* nothing drawn: cannot happen with the radii above */
    x0 = x1 = y0 = y1 = -1;
  box[0] = (float) x0 / side;
  box[1] = (float) y0 / side;
  box[2] = (float) (x1 + 1) / side;
  box[3] = (float) (y1 + 1) / side;
}

static void
draw_sample (MhDataset *d, int i, int first, int split, guint32 seed, cairo_surface_t *surface)
{
  guint32 key[3] = { seed, (guint32) split, (guint32) (first + i) };
  g_autoptr(GRand) rng = g_rand_new_with_seed_array (key, G_N_ELEMENTS (key));
  int side = d->shape.dim[0];
  guint8 *px = d->pixels + (gsize) i * side * side * 3;
  float *box = d->fields[F_BOX].values + 4 * i;
  Sample s;

  sample_draw_lots (&s, rng, side);
  draw_background (px, side, rng);
  draw_shape (surface, &s);
  cairo_surface_flush (surface);
  compose (px, side, surface, box);
  d->fields[F_SHAPE].classes[i] = s.shape;
  d->fields[F_COLOUR].classes[i] = s.colour;
  d->fields[F_SIZE].classes[i] = s.size;
  d->fields[F_POSITION].classes[i] = mh_box_cell (box, GRID, GRID);
  for (int a = 0; a < N_ATTRS; a++)
    d->fields[F_ATTRIBUTES].values[N_ATTRS * i + a] = s.attr[a];
}

/* Samples first … first + n - 1 of a split. */
static MhDataset *
shapes_split (const char *name, int side, int first, int n, int split, guint32 seed)
{
  g_autoptr(MhDataset) schema = mh_shapes_schema (side);
  MhDataset *d = mh_dataset_new_like (schema, name, n);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, side, side);

  for (int i = 0; i < n; i++)
    draw_sample (d, i, first, split, seed, surface);
  cairo_surface_destroy (surface);
  return d;
}

MhSplits *
mh_shapes_load (int       size,
                int       n_train,
                int       n_test,
                int       validation,
                guint32   seed,
                GError  **error)
{
  MhSplits *s;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (size < MIN_SIDE || size > MAX_SIDE)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("dataset.size must be between %d and %d, got %d"), MIN_SIDE, MAX_SIDE, size);
      return NULL;
    }
  if (n_train < 1 || n_test < 0 || validation < 0 || validation >= n_train)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("dataset: %d training samples (at least 1), %d test samples (at least 0) and"
                   " %d validation samples (fewer than the training samples) do not fit"),
                   n_train, n_test, validation);
      return NULL;
    }
  {
    g_autoptr(MhDataset) schema = mh_shapes_schema (size);
    if (!mh_dataset_check_memory (schema, (guint64) n_train + n_test, 1,
                                  "dataset.train + dataset.test", error))
      return NULL;
  }
  s = g_new0 (MhSplits, 1);
  s->train = shapes_split ("train", size, 0, n_train - validation, SPLIT_TRAIN, seed);
  s->validation = shapes_split ("validation", size, n_train - validation, validation,
                                SPLIT_TRAIN, seed);
  s->test = shapes_split ("test", size, 0, n_test, SPLIT_TEST, seed);
  return s;
}
