/* mh-trainer-events.c — the trainer's events (immutable, refcounted) and
 * the per-step figures they carry. */
#include <math.h>
#include <string.h>
#include "mh-trainer-private.h"

/* ---- events ------------------------------------------------------------- */

MhTrainerEvent *
mh_trainer_event_ref (MhTrainerEvent *event)
{
  g_atomic_int_inc (&event->ref_count);
  return event;
}

void
mh_trainer_event_unref (MhTrainerEvent *event)
{
  if (event == NULL || !g_atomic_int_dec_and_test (&event->ref_count))
    return;
  g_free (event->weight);
  g_free (event->row_step);
  g_free (event->row_epoch);
  g_free (event->row_loss);
  g_free (event->row_metric);
  g_free (event->row_total);
  g_free (event->row_weight);
  g_free (event->row_grad_norm);
  g_free (event->row_cosine);
  g_free (event->cosine);
  g_free (event->grad_norm);
  g_free (event->validation);
  g_free (event->test);
  g_strfreev (event->head_names);
  g_free (event->head_kinds);
  g_free (event->message);
  g_free (event);
}

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

double
mh_head_metrics_primary (const MhHeadMetrics *m, const char **name)
{
  const struct { double value; const char *name; } order[] = {
    { m->accuracy, "accuracy" }, { m->f1_macro, "F1" }, { m->iou, "IoU" }, { m->mae, "MAE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (isfinite (order[i].value))
      {
        if (name != NULL)
          *name = order[i].name;
        return order[i].value;
      }
  if (name != NULL)
    *name = NULL;
  return NAN;
}

const char *
mh_trainer_state_name (MhTrainerState state)
{
  static const char *const names[] = { "idle", "loading", "running", "paused", "finished", "stopped", "failed" };

  return (guint) state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

void
_mh_trainer_step_rows_reset (StepRows *rows, int n_heads)
{
  rows->n = 0;
  rows->n_heads = n_heads;
  rows->n_pairs = n_heads * (n_heads - 1) / 2;
}

void
_mh_trainer_step_rows_clear (StepRows *rows)
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
_mh_trainer_step_rows_add (StepRows *rows, const MhTraining *r, int batch_n)
{
  const MhBalance *b = r->balance;
  int nh = rows->n_heads, np = rows->n_pairs, i = rows->n;
  double total = 0;

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
