/* mh-loss.c — softmax cross-entropy, sigmoid BCE, MSE, smooth-L1. */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-loss.h"

const MhLossInfo mh_loss_table[] = {
  { MH_LOSS_CROSS_ENTROPY, "cross-entropy", N_("Cross-entropy") },
  { MH_LOSS_BCE, "bce", N_("Binary cross-entropy") },
  { MH_LOSS_MSE, "mse", N_("Mean squared error") },
  { MH_LOSS_SMOOTH_L1, "smooth-l1", N_("Smooth L1 (Huber)") },
  { 0, NULL, NULL },
};

gboolean
mh_loss_from_name (const char *name, MhLossKind *kind)
{
  for (guint i = 0; mh_loss_table[i].id != NULL; i++)
    if (g_strcmp0 (name, mh_loss_table[i].id) == 0)
      {
        *kind = mh_loss_table[i].kind;
        return TRUE;
      }
  return FALSE;
}

const char *
mh_loss_name (MhLossKind kind)
{
  for (guint i = 0; mh_loss_table[i].id != NULL; i++)
    if (mh_loss_table[i].kind == kind)
      return mh_loss_table[i].id;
  g_return_val_if_reached ("?");
}

char **
mh_loss_ids (void)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; mh_loss_table[i].id != NULL; i++)
    g_ptr_array_add (out, g_strdup (mh_loss_table[i].id));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

char *
mh_loss_id_list (void)
{
  g_auto(GStrv) ids = mh_loss_ids ();

  return g_strjoinv (", ", ids);
}

/* loss = −log softmax(z)[label], grad = softmax(z) − onehot(label) */
double
mh_loss_cross_entropy (const float *z, const int *labels, int n, int k, float scale, float *grad)
{
  double total = 0;
  float s = scale / n;

  for (int i = 0; i < n; i++)
    {
      const float *zi = z + (gsize) i * k;
      float *gi = grad + (gsize) i * k;
      float max = zi[0];
      double sum = 0;

      for (int j = 1; j < k; j++)
        max = MAX (max, zi[j]);
      for (int j = 0; j < k; j++)
        {
          gi[j] = expf (zi[j] - max);
          sum += gi[j];
        }
      total += log (sum) - (zi[labels[i]] - max);
      for (int j = 0; j < k; j++)
        gi[j] = (float) (gi[j] / sum) * s;
      gi[labels[i]] -= s;
    }
  return total / n;
}

/* loss = max(z,0) − z·t + log(1 + e^−|z|), grad = σ(z) − t */
double
mh_loss_bce (const float *z, const float *t, int n, int k, float scale, float *grad)
{
  gsize len = (gsize) n * k;
  double total = 0;
  float s = scale / (float) len;

  for (gsize i = 0; i < len; i++)
    {
      float x = z[i];
      total += MAX (x, 0.0f) - x * t[i] + log1pf (expf (-fabsf (x)));
      float sig = x >= 0 ? 1.0f / (1.0f + expf (-x)) : expf (x) / (1.0f + expf (x));
      grad[i] = (sig - t[i]) * s;
    }
  return total / len;
}

double
mh_loss_mse (const float *z, const float *t, int n, int k, float scale, float *grad)
{
  gsize len = (gsize) n * k;
  double total = 0;
  float s = scale / (float) len;

  for (gsize i = 0; i < len; i++)
    {
      float d = z[i] - t[i];
      total += (double) d * d;
      grad[i] = 2.0f * d * s;
    }
  return total / len;
}

/* |d| < 1: ½d², else |d| − ½ */
double
mh_loss_smooth_l1 (const float *z, const float *t, int n, int k, float scale, float *grad)
{
  gsize len = (gsize) n * k;
  double total = 0;
  float s = scale / (float) len;

  for (gsize i = 0; i < len; i++)
    {
      float d = z[i] - t[i], a = fabsf (d);
      total += a < 1.0f ? 0.5 * d * d : a - 0.5;
      grad[i] = (a < 1.0f ? d : (d > 0 ? 1.0f : -1.0f)) * s;
    }
  return total / len;
}

int
mh_count_correct (const float *z, const int *labels, int n, int k)
{
  int correct = 0;

  for (int i = 0; i < n; i++)
    {
      const float *zi = z + (gsize) i * k;
      int best = 0;
      for (int j = 1; j < k; j++)
        if (zi[j] > zi[best])
          best = j;
      correct += best == labels[i];
    }
  return correct;
}
