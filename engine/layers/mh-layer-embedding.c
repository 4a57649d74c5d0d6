/* mh-layer-embedding.c — token ids to vectors, PyTorch's nn.Embedding with
 * padding_idx = 0.
 *
 * Input: T token ids a sample, held as floats (exact below 2²⁴); 0 is the
 * padding token, 1 the unknown one.  Output: T × D, row t the weight row of
 * token t.  weight: V × D (nn.Embedding's layout).  The padding row starts
 * at zero and never gets a gradient, so padding stays zeros; an id outside
 * 0 … V−1 (which a data set never gives) reads as the unknown token.
 * Token ids have no gradient: dx, when asked for, is zero.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-error.h"

#define PADDING 0
#define UNKNOWN 1

static gboolean
embedding_infer (MhLayer *l, GError **error)
{
  const MhLayerSpec *s = &l->spec;

  if (l->in.rank != 1)
    {
      g_autofree char *got = mh_shape_to_string (&l->in);
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   _("embedding '%s' reads token ids (a sequence of T) but gets %s: "
                   "put it first, on a text data set"), s->name, got);
      return FALSE;
    }
  if (s->vocab < 2 || s->dim < 1)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("embedding '%s' needs a vocabulary of at least 2 tokens (padding and unknown) "
                   "and a dim of at least 1 (got vocab %d, dim %d)"), s->name, s->vocab, s->dim);
      return FALSE;
    }
  l->out = (MhShape) { 2, { l->in.dim[0], s->dim } };
  l->n_params = 1;
  l->params[0] = (MhParam) { "weight", { 2, { s->vocab, s->dim } }, (gsize) s->vocab * s->dim };
  return TRUE;
}

/* nn.Embedding: N(0, 1), the padding row zero. */
static void
embedding_init (MhLayer *l, GRand *rng)
{
  float *w = l->params[0].data;

  for (gsize i = 0; i < l->params[0].size; i++)
    {
      double u = 1.0 - g_rand_double (rng), v = g_rand_double (rng);
      w[i] = (float) (sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v));
    }
  memset (w + (gsize) PADDING * l->spec.dim, 0, sizeof (float) * l->spec.dim);
}

static int
token_of (const MhLayer *l, float x)
{
  int id = (int) lrintf (x);

  return id >= 0 && id < l->spec.vocab ? id : UNKNOWN;
}

/* x: n×T ids → y: n×T×D */
static void
embedding_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  gsize rows = (gsize) n * l->in.dim[0], d = l->spec.dim;
  const float *w = l->params[0].data;

  for (gsize r = 0; r < rows; r++)
    memcpy (l->y + r * d, w + (gsize) token_of (l, l->x[r]) * d, sizeof (float) * d);
}

/* dy: n×T×D → dW (rows added up per token; the padding row stays 0) */
static void
embedding_backward (MhLayer *l, int n, gboolean accumulate)
{
  gsize rows = (gsize) n * l->in.dim[0], d = l->spec.dim;

  if (!l->frozen)
    {
      float *g = l->params[0].grad;

      memset (g, 0, sizeof (float) * l->params[0].size);
      for (gsize r = 0; r < rows; r++)
        {
          int id = token_of (l, l->x[r]);
          float *row = g + (gsize) id * d;
          const float *dy = l->dy + r * d;
          if (id == PADDING)
            continue;
          for (gsize j = 0; j < d; j++)
            row[j] += dy[j];
        }
    }
  if (l->dx != NULL && !accumulate)
    memset (l->dx, 0, sizeof (float) * rows);
}

const MhLayerClass mh_embedding_class = {
  .type = "embedding",
  .keys = "dim vocab",
  .infer = embedding_infer,
  .init = embedding_init,
  .forward = embedding_forward,
  .backward = embedding_backward,
};
