/* mh-augment.c — random shifts and horizontal flips of a training batch. */
#include <string.h>
#include "mh-augment.h"

typedef struct {
  gboolean flip;
  int      dx, dy;   /* pixels: right and down */
} Move;

gboolean
mh_augment_active (const MhAugmentSpec *spec, const MhDataset *d)
{
  g_return_val_if_fail (d != NULL, FALSE);

  return spec != NULL && (spec->shift > 0 || (spec->flip && !d->no_flip));
}

/* Mirrors each row of an h × w × c image in place. */
static void
flip_image (float *img, int h, int w, int c)
{
  for (int y = 0; y < h; y++)
    {
      float *row = img + (gsize) y * w * c;
      for (int a = 0, b = w - 1; a < b; a++, b--)
        for (int k = 0; k < c; k++)
          {
            float t = row[a * c + k];
            row[a * c + k] = row[b * c + k];
            row[b * c + k] = t;
          }
    }
}

/* Moves an h × w × c image by (dx, dy) in place, zero where nothing moves
 * in: rows are visited away from where they come from. */
static void
shift_image (float *img, int h, int w, int c, int dx, int dy)
{
  gsize row = (gsize) w * c;
  int keep = w - ABS (dx);

  for (int i = 0; i < h; i++)
    {
      int y = dy > 0 ? h - 1 - i : i, from = y - dy;
      float *dst = img + (gsize) y * row;

      if (from < 0 || from >= h || keep <= 0)
        {
          memset (dst, 0, row * sizeof (float));
          continue;
        }
      memmove (dst + (gsize) MAX (dx, 0) * c, img + (gsize) from * row + (gsize) MAX (-dx, 0) * c,
               (gsize) keep * c * sizeof (float));
      memset (dst + (dx > 0 ? 0 : (gsize) keep * c), 0, (gsize) ABS (dx) * c * sizeof (float));
    }
}

/* The box after the move, clamped to [0, 1]. */
static void
move_box (const float in[4], float out[4], const Move *m, int h, int w)
{
  float x0 = m->flip ? 1 - in[2] : in[0], x1 = m->flip ? 1 - in[0] : in[2];

  out[0] = CLAMP (x0 + (float) m->dx / w, 0.0f, 1.0f);
  out[1] = CLAMP (in[1] + (float) m->dy / h, 0.0f, 1.0f);
  out[2] = CLAMP (x1 + (float) m->dx / w, 0.0f, 1.0f);
  out[3] = CLAMP (in[3] + (float) m->dy / h, 0.0f, 1.0f);
}

static void
move_target (const MhDataset *d, const MhAugmentTarget *t, int i, int sample, const Move *m)
{
  const MhField *f = &d->fields[t->field];
  int h = d->shape.dim[0], w = d->shape.dim[1];

  if (f->box && t->values != NULL)
    {
      float *box = t->values + (gsize) i * 4;
      move_box (box, box, m, h, w);
    }
  else if (f->kind == MH_FIELD_CLASS && f->cell_cols > 0 && t->classes != NULL)
    {
      float box[4];
      move_box (d->fields[f->cell_of].values + (gsize) sample * 4, box, m, h, w);
      t->classes[i] = mh_box_cell (box, f->cell_cols, f->cell_rows);
    }
}

void
mh_augment_batch (const MhAugmentSpec   *spec,
                  const MhDataset       *d,
                  const int             *idx,
                  int                    n,
                  float                 *x,
                  const MhAugmentTarget *targets,
                  int                    n_targets,
                  GRand                 *rng)
{
  int h, w, c;
  gsize size;

  g_return_if_fail (d != NULL && d->shape.rank == 3 && rng != NULL);
  g_return_if_fail (n == 0 || (idx != NULL && x != NULL));

  if (!mh_augment_active (spec, d))
    return;
  h = d->shape.dim[0];
  w = d->shape.dim[1];
  c = d->shape.dim[2];
  size = mh_shape_size (&d->shape);
  for (int i = 0; i < n; i++)
    {
      Move m = { FALSE, 0, 0 };
      float *img = x + (gsize) i * size;

      if (spec->flip && !d->no_flip)
        m.flip = g_rand_boolean (rng);
      if (spec->shift > 0)
        {
          m.dx = g_rand_int_range (rng, -spec->shift, spec->shift + 1);
          m.dy = g_rand_int_range (rng, -spec->shift, spec->shift + 1);
        }
      if (m.flip)
        flip_image (img, h, w, c);
      if (m.dx != 0 || m.dy != 0)
        shift_image (img, h, w, c, m.dx, m.dy);
      for (int k = 0; k < n_targets; k++)
        move_target (d, &targets[k], i, idx[i], &m);
    }
}
