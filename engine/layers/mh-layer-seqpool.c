/* mh-layer-seqpool.c — pooling over time: T × D → D, the largest ("max") or
 * the mean ("mean") of each feature over the real steps of the sequence
 * (those the padding mask keeps; all of them when there is none).  A
 * sequence with no real step gives zeros.
 *
 * Max keeps, per sample and feature, the step it took (iscratch, n × D) and
 * sends the gradient there; mean spreads it evenly over the real steps.
 */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-layer.h"
#include "mh-error.h"

static const char *const seqpool_modes[] = { "max", "mean", NULL };

static gboolean
seqpool_infer (MhLayer *l, GError **error)
{
  if (!mh_layer_expect_rank (l, 2, _("a sequence: put it after conv1d, gru, lstm or embedding"), error)
      || !mh_layer_check_mode (l, error))
    return FALSE;
  l->out = mh_shape1 (l->in.dim[1]);
  l->iscratch_per_sample = l->in.dim[1];
  return TRUE;
}

static gboolean
is_max (const MhLayer *l)
{
  return g_strcmp0 (mh_layer_mode (l), "max") == 0;
}

static int
count_real (const MhLayer *l, int i, int t)
{
  int count = 0;

  for (int r = 0; r < t; r++)
    count += mh_mask_on (l->mask, t, i, r);
  return count;
}

/* x: n×T×D → y: n×D */
static void
seqpool_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  int t = l->in.dim[0], d = l->in.dim[1];
  gboolean max = is_max (l);

  for (int i = 0; i < n; i++)
    {
      const float *x = l->x + (gsize) i * t * d;
      float *y = l->y + (gsize) i * d;
      int *arg = l->iscratch + (gsize) i * d, count = 0;

      memset (y, 0, sizeof (float) * d);
      for (int j = 0; j < d; j++)
        arg[j] = -1;
      for (int r = 0; r < t; r++)
        {
          const float *row = x + (gsize) r * d;
          if (!mh_mask_on (l->mask, t, i, r))
            continue;
          for (int j = 0; j < d; j++)
            if (!max)
              y[j] += row[j];
            else if (arg[j] < 0 || row[j] > y[j])
              {
                y[j] = row[j];
                arg[j] = r;
              }
          count++;
        }
      if (!max && count > 0)
        for (int j = 0; j < d; j++)
          y[j] /= count;
    }
}

static void
seqpool_backward (MhLayer *l, int n, gboolean accumulate)
{
  int t = l->in.dim[0], d = l->in.dim[1];
  gboolean max = is_max (l);

  if (l->dx == NULL)
    return;
  if (!accumulate)
    memset (l->dx, 0, sizeof (float) * n * t * d);
  for (int i = 0; i < n; i++)
    {
      const float *dy = l->dy + (gsize) i * d;
      const int *arg = l->iscratch + (gsize) i * d;
      float *dx = l->dx + (gsize) i * t * d;
      int count;

      if (max)
        {
          for (int j = 0; j < d; j++)
            if (arg[j] >= 0)
              dx[(gsize) arg[j] * d + j] += dy[j];
          continue;
        }
      count = count_real (l, i, t);
      for (int r = 0; r < t && count > 0; r++)
        if (mh_mask_on (l->mask, t, i, r))
          for (int j = 0; j < d; j++)
            dx[(gsize) r * d + j] += dy[j] / count;
    }
}

const MhLayerClass mh_seqpool_class = {
  .type = "seqpool",
  .keys = "mode",
  .modes = seqpool_modes,
  .infer = seqpool_infer,
  .forward = seqpool_forward,
  .backward = seqpool_backward,
};
