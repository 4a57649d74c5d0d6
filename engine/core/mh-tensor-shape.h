/* mh-tensor-shape.h — the per-sample shape of a tensor (the batch is carried apart).
 *
 * Images and feature maps are channels-last: (H, W, C).  Token sequences are
 * (T, D).  Feature vectors are (N).  Every tensor is float32 and contiguous.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MH_MAX_RANK 4

typedef struct {
  int rank;
  int dim[MH_MAX_RANK];
} MhShape;

static inline MhShape
mh_shape1 (int a)
{
  return (MhShape) { 1, { a } };
}

static inline MhShape
mh_shape3 (int h, int w, int c)
{
  return (MhShape) { 3, { h, w, c } };
}

static inline gsize
mh_shape_size (const MhShape *s)
{
  gsize n = 1;
  for (int i = 0; i < s->rank; i++)
    n *= (gsize) s->dim[i];
  return n;
}

static inline gboolean
mh_shape_equal (const MhShape *a, const MhShape *b)
{
  if (a->rank != b->rank)
    return FALSE;
  for (int i = 0; i < a->rank; i++)
    if (a->dim[i] != b->dim[i])
      return FALSE;
  return TRUE;
}

/* "128", "7×7×64"; free with g_free(). */
char *mh_shape_to_string (const MhShape *s);

G_END_DECLS
