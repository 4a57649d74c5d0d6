/* mh-layer-pool.c — max pooling over size×size windows with stride size.
 *
 * x: n × H × W × C → y: n × ⌊H/size⌋ × ⌊W/size⌋ × C.  The index of each
 * maximum is kept (iscratch) for backward.
 */
#include <float.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-error.h"

static gboolean
pool_infer (MhLayer *l, GError **error)
{
  int s = l->spec.size;

  if (!mh_layer_expect_rank (l, 3, NULL, error))
    return FALSE;
  if (l->in.dim[0] < s || l->in.dim[1] < s)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   "maxpool '%s': a %d×%d window does not fit a %d×%d input",
                   l->spec.name, s, s, l->in.dim[0], l->in.dim[1]);
      return FALSE;
    }
  l->out = mh_shape3 (l->in.dim[0] / s, l->in.dim[1] / s, l->in.dim[2]);
  l->iscratch_per_sample = mh_shape_size (&l->out);
  return TRUE;
}

static void
pool_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  int h = l->in.dim[0], w = l->in.dim[1], c = l->in.dim[2];
  int ho = l->out.dim[0], wo = l->out.dim[1], s = l->spec.size;
  gsize in_size = (gsize) h * w * c, out_size = (gsize) ho * wo * c;

  for (int i = 0; i < n; i++)
    {
      const float *x = l->x + i * in_size;
      float *y = l->y + i * out_size;
      int *arg = l->iscratch + i * out_size;

      for (int oy = 0; oy < ho; oy++)
        for (int ox = 0; ox < wo; ox++)
          {
            float *yo = y + ((gsize) oy * wo + ox) * c;
            int *ao = arg + ((gsize) oy * wo + ox) * c;
            for (int ch = 0; ch < c; ch++)
              yo[ch] = -FLT_MAX;
            for (int ky = 0; ky < s; ky++)
              for (int kx = 0; kx < s; kx++)
                {
                  int at = ((oy * s + ky) * w + ox * s + kx) * c;
                  for (int ch = 0; ch < c; ch++)
                    if (x[at + ch] > yo[ch])
                      {
                        yo[ch] = x[at + ch];
                        ao[ch] = at + ch;
                      }
                }
          }
    }
}

static void
pool_backward (MhLayer *l, int n, gboolean accumulate)
{
  gsize in_size = mh_shape_size (&l->in), out_size = mh_shape_size (&l->out);

  if (l->dx == NULL)
    return;
  if (!accumulate)
    memset (l->dx, 0, sizeof (float) * n * in_size);
  for (int i = 0; i < n; i++)
    {
      const float *dy = l->dy + i * out_size;
      const int *arg = l->iscratch + i * out_size;
      float *dx = l->dx + i * in_size;
      for (gsize j = 0; j < out_size; j++)
        dx[arg[j]] += dy[j];
    }
}

const MhLayerClass mh_maxpool_class = {
  .type = "maxpool",
  .keys = "size",
  .infer = pool_infer,
  .forward = pool_forward,
  .backward = pool_backward,
};
