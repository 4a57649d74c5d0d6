/* mh-metrics.c — accuracy, confusion, F1, MAE and IoU per head. */
#include <math.h>
#include <string.h>
#include "mh-metrics.h"

void
mh_metrics_acc_init (MhMetricsAcc *a, const MhHead *head, gboolean box)
{
  int k;
  double t;

  g_return_if_fail (a != NULL && head != NULL);

  k = head->out_dim;
  t = CLAMP (head->threshold, 1e-6, 1 - 1e-6);

  *a = (MhMetricsAcc) { head->field_kind, box && k == 4, k, (float) log (t / (1 - t)) };
  if (a->kind == MH_FIELD_CLASS)
    a->confusion = g_new0 (int, k * k);
  if (a->kind == MH_FIELD_LABELS)
    {
      a->tp = g_new0 (int, k);
      a->fp = g_new0 (int, k);
      a->fn = g_new0 (int, k);
    }
}

void
mh_metrics_acc_clear (MhMetricsAcc *a)
{
  g_clear_pointer (&a->confusion, g_free);
  g_clear_pointer (&a->tp, g_free);
  g_clear_pointer (&a->fp, g_free);
  g_clear_pointer (&a->fn, g_free);
}

double
mh_box_iou (const float *a, const float *b)
{
  double iw = MIN (a[2], b[2]) - MAX (a[0], b[0]), ih = MIN (a[3], b[3]) - MAX (a[1], b[1]);
  double area_a = MAX (0.0, a[2] - a[0]) * MAX (0.0, a[3] - a[1]);
  double area_b = MAX (0.0, b[2] - b[0]) * MAX (0.0, b[3] - b[1]);
  double inter = iw > 0 && ih > 0 ? iw * ih : 0, uni = area_a + area_b - inter;

  return uni > 0 ? inter / uni : 0;
}

void
mh_metrics_acc_add (MhMetricsAcc *a, const float *z, const int *classes, const float *values,
                    int n, double mean_loss)
{
  int k = a->k;

  a->loss_sum += mean_loss * n;
  a->n += n;
  for (int i = 0; i < n; i++)
    {
      const float *zi = z + (gsize) i * k;
      if (a->kind == MH_FIELD_CLASS)
        {
          int best = 0;
          for (int j = 1; j < k; j++)
            if (zi[j] > zi[best])
              best = j;
          a->correct += best == classes[i];
          a->confusion[classes[i] * k + best]++;
        }
      else if (a->kind == MH_FIELD_LABELS)
        for (int j = 0; j < k; j++)
          {
            gboolean said = zi[j] >= a->threshold, is = values[(gsize) i * k + j] > 0.5f;
            a->tp[j] += said && is;
            a->fp[j] += said && !is;
            a->fn[j] += !said && is;
          }
      else
        {
          for (int j = 0; j < k; j++)
            a->abs_err += fabsf (zi[j] - values[(gsize) i * k + j]) / k;
          if (a->box)
            a->iou_sum += mh_box_iou (zi, values + (gsize) i * 4);
        }
    }
}

static double
f1 (int tp, int fp, int fn)
{
  return tp + fp + fn > 0 ? 2.0 * tp / (2.0 * tp + fp + fn) : 1.0;
}

void
mh_metrics_acc_finish (const MhMetricsAcc *a, MhHeadMetrics *out)
{
  *out = (MhHeadMetrics) { NAN, NAN, NAN, NAN, NAN, NAN, a->n };
  if (a->n == 0)
    return;
  out->loss = a->loss_sum / a->n;
  if (a->kind == MH_FIELD_CLASS)
    out->accuracy = (double) a->correct / a->n;
  else if (a->kind == MH_FIELD_LABELS)
    {
      int tp = 0, fp = 0, fn = 0;
      double macro = 0;
      for (int j = 0; j < a->k; j++)
        {
          tp += a->tp[j];
          fp += a->fp[j];
          fn += a->fn[j];
          macro += f1 (a->tp[j], a->fp[j], a->fn[j]);
        }
      out->f1_micro = f1 (tp, fp, fn);
      out->f1_macro = macro / a->k;
    }
  else
    {
      out->mae = a->abs_err / a->n;
      if (a->box)
        out->iou = a->iou_sum / a->n;
    }
}
