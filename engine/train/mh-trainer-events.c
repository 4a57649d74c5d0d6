/* mh-trainer-events.c — the trainer's events (immutable, refcounted). */
#include <math.h>
#include <string.h>
#include "mh-trainer.h"

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
  g_free (event->run_id);
  g_free (event->run_dir);
  g_free (event->note);
  g_free (event);
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
