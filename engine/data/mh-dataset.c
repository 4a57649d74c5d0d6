/* mh-dataset.c — samples with named label fields: freeing, lookup, batches. */
#include <math.h>
#include <string.h>
#include "mh-dataset.h"
#include "mh-limits.h"
#include "mh-simd.h"

static void
field_clear (MhField *f)
{
  g_clear_pointer (&f->name, g_free);
  g_clear_pointer (&f->names, g_strfreev);
  g_clear_pointer (&f->classes, g_free);
  g_clear_pointer (&f->values, g_free);
}

void
mh_dataset_free (MhDataset *d)
{
  /* the last reference frees it: extra_refs counts the others */
  if (d == NULL || g_atomic_int_add (&d->extra_refs, -1) > 0)
    return;
  for (int i = 0; i < d->n_fields; i++)
    field_clear (&d->fields[i]);
  g_free (d->fields);
  g_free (d->pixels);
  g_free (d->tokens);
  g_free (d->signals);
  g_clear_pointer (&d->vocab, mh_vocab_unref);
  g_strfreev (d->texts);
  g_strfreev (d->channels);
  g_free (d->name);
  g_free (d);
}

MhDataset *
mh_dataset_ref (MhDataset *d)
{
  g_atomic_int_inc (&d->extra_refs);
  return d;
}

void
mh_splits_free (MhSplits *s)
{
  if (s == NULL)
    return;
  mh_dataset_free (s->train);
  mh_dataset_free (s->validation);
  mh_dataset_free (s->test);
  g_clear_pointer (&s->skipped, g_ptr_array_unref);
  g_free (s);
}

MhDataset *
mh_dataset_new_input (const char        *name,
                      int                n,
                      MhInputKind        input,
                      MhShape            shape,
                      MhVocab           *vocab,
                      const char *const *channels,
                      int                n_fields)
{
  MhDataset *d = g_new0 (MhDataset, 1);
  gsize values = MAX ((gsize) n * mh_shape_size (&shape), 1);

  d->name = g_strdup (name);
  d->n = n;
  d->input = input;
  d->shape = shape;
  switch (input)
    {
    case MH_INPUT_PIXELS:
      d->pixels = g_malloc0 (values);
      break;
    case MH_INPUT_TOKENS:
      d->tokens = g_new0 (guint32, values);
      d->vocab = vocab != NULL ? mh_vocab_ref (vocab) : NULL;
      d->texts = g_new0 (char *, n + 1);
      break;
    case MH_INPUT_SIGNALS:
      d->signals = g_new0 (float, values);
      d->channels = g_strdupv ((char **) channels);
      break;
    }
  d->n_fields = n_fields;
  d->fields = g_new0 (MhField, MAX (n_fields, 1));
  return d;
}

MhDataset *
mh_dataset_new (const char *name,
                int         n,
                MhShape     shape,
                int         n_fields)
{
  return mh_dataset_new_input (name, n, MH_INPUT_PIXELS, shape, NULL, NULL, n_fields);
}

void
mh_field_init (MhField           *f,
               const char        *name,
               MhFieldKind        kind,
               int                dim,
               const char *const *names,
               int                n)
{
  *f = (MhField) { .name = g_strdup (name), .kind = kind, .dim = dim };
  if (names != NULL)
    {
      f->names = g_strdupv ((char **) names);
      f->dim = (int) g_strv_length (f->names);
    }
  if (kind == MH_FIELD_CLASS)
    f->classes = g_new0 (int, MAX (n, 1));
  else
    f->values = g_new0 (float, MAX ((gsize) n * f->dim, 1));
}

MhDataset *
mh_dataset_new_like (const MhDataset *d,
                     const char      *name,
                     int              n)
{
  MhDataset *s;

  g_return_val_if_fail (d != NULL && n >= 0, NULL);

  s = mh_dataset_new_input (name, n, d->input, d->shape, d->vocab, (const char *const *) d->channels,
                            d->n_fields);
  s->no_flip = d->no_flip;
  s->rate = d->rate;
  for (int k = 0; k < d->n_fields; k++)
    {
      const MhField *from = &d->fields[k];
      MhField *to = &s->fields[k];

      mh_field_init (to, from->name, from->kind, from->dim, (const char *const *) from->names, n);
      to->box = from->box;
      to->cell_of = from->cell_of;
      to->cell_cols = from->cell_cols;
      to->cell_rows = from->cell_rows;
    }
  return s;
}

MhDataset *
mh_dataset_subset (const MhDataset *d,
                   const char      *name,
                   const int       *idx,
                   int              n)
{
  gsize size = mh_shape_size (&d->shape);
  MhDataset *s;

  g_return_val_if_fail (d != NULL && n >= 0 && (n == 0 || idx != NULL), NULL);

  s = mh_dataset_new_like (d, name, n);
  for (int i = 0; i < n; i++)
    switch (d->input)
      {
      case MH_INPUT_PIXELS:
        memcpy (s->pixels + (gsize) i * size, d->pixels + (gsize) idx[i] * size, size);
        break;
      case MH_INPUT_TOKENS:
        memcpy (s->tokens + (gsize) i * size, d->tokens + (gsize) idx[i] * size, size * sizeof (guint32));
        s->texts[i] = g_strdup (d->texts[idx[i]]);
        break;
      case MH_INPUT_SIGNALS:
        memcpy (s->signals + (gsize) i * size, d->signals + (gsize) idx[i] * size, size * sizeof (float));
        break;
      }
  for (int k = 0; k < d->n_fields; k++)
    mh_field_fill_targets (&d->fields[k], idx, n, s->fields[k].classes, s->fields[k].values);
  return s;
}

int
mh_box_cell (const float box[4],
             int         cols,
             int         rows)
{
  int col = (int) floorf ((box[0] + box[2]) * 0.5f * cols);
  int row = (int) floorf ((box[1] + box[3]) * 0.5f * rows);

  return CLAMP (row, 0, rows - 1) * cols + CLAMP (col, 0, cols - 1);
}

gboolean
mh_dataset_check_memory (const MhDataset *schema, guint64 n, guint copies, const char *what,
                         GError **error)
{
  g_autofree char *shape = mh_shape_to_string (&schema->shape);
  g_autofree char *field = NULL;
  /* pixels are bytes; token ids and signal values 4 bytes each */
  guint64 per_sample = mh_shape_size (&schema->shape) * (schema->input == MH_INPUT_PIXELS ? 1 : 4), bytes;

  for (int k = 0; k < schema->n_fields; k++)
    per_sample += (schema->fields[k].kind == MH_FIELD_CLASS ? 1 : (guint64) schema->fields[k].dim)
                  * sizeof (float);
  field = g_strdup_printf ("%s (%" G_GUINT64_FORMAT " samples of %s)", what, n, shape);
  mh_limits_bytes (per_sample, n, &bytes);
  mh_limits_bytes (bytes, MAX (copies, 1), &bytes);
  return mh_limits_check_bytes (bytes, NULL, field, error);
}

int
mh_dataset_find_field (const MhDataset *d,
                       const char      *name)
{
  g_return_val_if_fail (d != NULL, -1);

  for (int i = 0; i < d->n_fields; i++)
    if (g_strcmp0 (d->fields[i].name, name) == 0)
      return i;
  return -1;
}

char *
mh_dataset_field_names (const MhDataset *d)
{
  GString *s;

  g_return_val_if_fail (d != NULL, g_strdup (""));

  s = g_string_new (NULL);
  for (int i = 0; i < d->n_fields; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", d->fields[i].name);
  return g_string_free (s, FALSE);
}

/* x/255 for every byte value: exact division, as torchvision does, at the
 * cost of a table lookup. */

/* x = pixel/255, exactly (a division, vectorised) */
MH_HOT static void
scale_pixels (float *restrict dst, const guint8 *restrict src, gsize n)
{
  for (gsize j = 0; j < n; j++)
    dst[j] = (float) src[j] / 255.0f;
}

void
mh_dataset_fill_inputs (const MhDataset *d,
                        const int       *idx,
                        int              n,
                        float           *x)
{
  gsize size;

  g_return_if_fail (d != NULL && n >= 0);
  g_return_if_fail (n == 0 || (idx != NULL && x != NULL));

  size = mh_shape_size (&d->shape);
  for (int i = 0; i < n; i++)
    {
      float *dst = x + (gsize) i * size;
      gsize at;

      g_return_if_fail (idx[i] >= 0 && idx[i] < d->n);
      at = (gsize) idx[i] * size;
      switch (d->input)
        {
        case MH_INPUT_PIXELS:
          scale_pixels (dst, d->pixels + at, size);
          break;
        case MH_INPUT_TOKENS:
          for (gsize j = 0; j < size; j++)
            dst[j] = (float) d->tokens[at + j];
          break;
        case MH_INPUT_SIGNALS:
          memcpy (dst, d->signals + at, sizeof (float) * size);
          break;
        }
    }
}

void
mh_field_fill_targets (const MhField *f,
                       const int     *idx,
                       int            n,
                       int           *classes,
                       float         *values)
{
  g_return_if_fail (f != NULL && n >= 0);
  g_return_if_fail (n == 0 || idx != NULL);

  if (f->kind == MH_FIELD_CLASS)
    {
      g_return_if_fail (n == 0 || classes != NULL);
      for (int i = 0; i < n; i++)
        classes[i] = f->classes[idx[i]];
      return;
    }

  g_return_if_fail (n == 0 || values != NULL);
  for (int i = 0; i < n; i++)
    memcpy (values + (gsize) i * f->dim,
            f->values + (gsize) idx[i] * f->dim,
            (gsize) f->dim * sizeof (float));
}

void
mh_shuffle (int   *idx,
            int    n,
            GRand *rng)
{
  g_return_if_fail (n == 0 || idx != NULL);
  g_return_if_fail (rng != NULL);

  for (int i = n - 1; i > 0; i--)
    {
      int j = g_rand_int_range (rng, 0, i + 1);
      int t = idx[i];

      idx[i] = idx[j];
      idx[j] = t;
    }
}
