/* mh-step-rows.c — the figures of training steps (mh-step-rows.h). */
#include <math.h>
#include <string.h>
#include "mh-step-rows.h"

int
mh_trainer_pair_index (int n, int i, int j)
{
  if (i > j)
    {
      int t = i;
      i = j;
      j = t;
    }
  return i * n - i * (i + 1) / 2 + (j - i - 1);
}

void
mh_step_rows_reset (MhStepRows *rows, int n_heads)
{
  if (rows->n_heads != n_heads)
    {
      mh_step_rows_clear (rows);
      rows->n_heads = n_heads;
      rows->n_pairs = n_heads * (n_heads - 1) / 2;
    }
  rows->n = 0;
}

void
mh_step_rows_clear (MhStepRows *rows)
{
  g_free (rows->step);
  g_free (rows->epoch);
  g_free (rows->loss);
  g_free (rows->metric);
  g_free (rows->total);
  g_free (rows->weight);
  g_free (rows->grad_norm);
  g_free (rows->cosine);
  memset (rows, 0, sizeof *rows);
}

void
mh_step_rows_add (MhStepRows *rows, const MhTraining *r, int batch_n)
{
  const MhBalance *b = r->balance;
  int nh = rows->n_heads, np = rows->n_pairs, i = rows->n;
  double total = 0;

  g_return_if_fail (nh == r->model->n_heads);
  if (rows->n == rows->cap)
    {
      rows->cap = MAX (64, rows->cap * 2);
      rows->step = g_renew (int, rows->step, rows->cap);
      rows->epoch = g_renew (int, rows->epoch, rows->cap);
      rows->loss = g_renew (float, rows->loss, (gsize) rows->cap * nh);
      rows->metric = g_renew (float, rows->metric, (gsize) rows->cap * nh);
      rows->total = g_renew (float, rows->total, rows->cap);
      rows->weight = g_renew (float, rows->weight, (gsize) rows->cap * nh);
      rows->grad_norm = g_renew (float, rows->grad_norm, (gsize) rows->cap * nh);
      rows->cosine = g_renew (float, rows->cosine, (gsize) rows->cap * MAX (np, 1));
    }
  rows->step[i] = r->step;
  rows->epoch[i] = r->pos == 0 ? r->epoch - 1 : r->epoch;
  for (int h = 0; h < nh; h++)
    {
      const MhHead *head = &r->model->heads[h];
      rows->loss[i * nh + h] = (float) head->loss_value;
      rows->metric[i * nh + h] = head->field_kind == MH_FIELD_CLASS && batch_n > 0
                                 ? (float) head->correct / batch_n : NAN;
      rows->weight[i * nh + h] = b->weight[h];
      rows->grad_norm[i * nh + h] = (float) b->grad_norm[h];
      total += b->weight[h] * head->loss_value;
    }
  rows->total[i] = (float) total;
  for (int a = 0; a < nh; a++)
    for (int c = a + 1; c < nh; c++)
      rows->cosine[i * np + mh_trainer_pair_index (nh, a, c)] = (float) b->cosine[a * nh + c];
  rows->n++;
}
