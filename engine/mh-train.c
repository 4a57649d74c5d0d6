/* mh-train.c — the training loop. */
#include <math.h>
#include <string.h>
#include "mh-train.h"
#include "mh-error.h"

MhSplits *
mh_splits_load (const MhDataSpec *spec, const char *dir, const char *where, GError **error)
{
  MhSplits *s = NULL;

  if (g_strcmp0 (spec->kind, "fashion-mnist") == 0)
    s = mh_fashion_mnist_load (dir ? dir : spec->path, spec->validation, error);
  else
    g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "dataset.kind: '%s' is not a dataset this version reads",
                 spec->kind);
  if (s == NULL)
    g_prefix_error (error, "%s: ", where);
  return s;
}

MhRun *
mh_run_new (const MhProject *p, const MhSplits *data, int total_steps,
            const char *where, GError **error)
{
  MhRun *r;
  MhModel *model = mh_model_new (p, data->train, p->batch, where, error);

  if (model == NULL)
    return NULL;
  r = g_new0 (MhRun, 1);
  r->project = p;
  r->data = data;
  r->model = model;
  mh_model_init (model, p->seed);
  r->optim = mh_optim_new (&p->optim, &p->schedule, model->n_params, total_steps);
  r->rng = g_rand_new_with_seed (p->seed ^ 0x9e3779b9u);
  r->order = g_new (int, MAX (data->train->n, 1));
  for (int i = 0; i < data->train->n; i++)
    r->order[i] = i;
  mh_shuffle (r->order, data->train->n, r->rng);
  r->steps_per_epoch = (data->train->n + p->batch - 1) / p->batch;
  r->last_good = g_new (float, MAX (model->n_params, 1));
  r->loss_sum = g_new0 (double, model->n_heads);
  r->correct_sum = g_new0 (int, model->n_heads);
  return r;
}

void
mh_run_free (MhRun *r)
{
  if (r == NULL)
    return;
  mh_model_free (r->model);
  mh_optim_free (r->optim);
  g_rand_free (r->rng);
  g_free (r->order);
  g_free (r->last_good);
  g_free (r->loss_sum);
  g_free (r->correct_sum);
  g_free (r);
}

static int
first_bad_head (const MhModel *m)
{
  for (int h = 0; h < m->n_heads; h++)
    if (!isfinite (m->heads[h].loss_value))
      return h;
  return -1;
}

gboolean
mh_run_step (MhRun *r, GError **error)
{
  MhModel *m = r->model;
  const MhDataset *train = r->data->train;
  int n = MIN (r->project->batch, train->n - r->pos), bad;

  g_return_val_if_fail (n > 0, FALSE);
  mh_model_set_batch (m, train, r->order + r->pos, n);
  mh_model_forward (m, n, TRUE, r->rng);
  mh_model_loss (m, n);
  bad = first_bad_head (m);
  if (bad >= 0)
    {
      if (r->step > 0)
        memcpy (m->params, r->last_good, sizeof (float) * m->n_params);
      g_set_error (error, MH_ERROR, MH_ERROR_NUMERIC,
                   "training stopped at step %d (epoch %d): the loss of head '%s' became %s; "
                   "the weights of step %d, the last with a finite loss, are kept",
                   r->step + 1, r->epoch + 1, m->heads[bad].name,
                   isnan (m->heads[bad].loss_value) ? "NaN" : "infinite", r->step);
      return FALSE;
    }
  mh_model_backward (m, n);
  memcpy (r->last_good, m->params, sizeof (float) * m->n_params);
  mh_optim_step (r->optim, m->params, m->grads, m->trainable, m->n_trainable);
  for (int h = 0; h < m->n_heads; h++)
    {
      r->loss_sum[h] += m->heads[h].loss_value * n;
      r->correct_sum[h] += m->heads[h].correct;
    }
  r->seen += n;
  r->samples += n;
  r->step++;
  r->pos += n;
  if (r->pos >= train->n)
    {
      r->pos = 0;
      r->epoch++;
      mh_shuffle (r->order, train->n, r->rng);
    }
  return TRUE;
}

gboolean
mh_run_epoch_done (const MhRun *r)
{
  return r->pos == 0 && r->step > 0;
}

static double
accuracy_or_nan (const MhHead *h, int correct, int n)
{
  return h->field_kind == MH_FIELD_CLASS && n > 0 ? (double) correct / n : NAN;
}

void
mh_run_take_train_metrics (MhRun *r, MhHeadMetrics *out)
{
  for (int h = 0; h < r->model->n_heads; h++)
    {
      out[h].n = r->seen;
      out[h].loss = r->seen ? r->loss_sum[h] / r->seen : NAN;
      out[h].accuracy = accuracy_or_nan (&r->model->heads[h], r->correct_sum[h], r->seen);
      r->loss_sum[h] = 0;
      r->correct_sum[h] = 0;
    }
  r->seen = 0;
}

void
mh_run_evaluate (MhRun *r, const MhDataset *d, MhHeadMetrics *out)
{
  MhModel *m = r->model;
  int nh = m->n_heads, *idx = g_new (int, m->max_batch), *correct = g_new0 (int, nh);
  double *loss = g_new0 (double, nh);

  for (int start = 0; start < d->n; start += m->max_batch)
    {
      int n = MIN (m->max_batch, d->n - start);
      for (int i = 0; i < n; i++)
        idx[i] = start + i;
      mh_model_set_batch (m, d, idx, n);
      mh_model_forward (m, n, FALSE, NULL);
      mh_model_loss (m, n);
      for (int h = 0; h < nh; h++)
        {
          loss[h] += m->heads[h].loss_value * n;
          correct[h] += m->heads[h].correct;
        }
    }
  for (int h = 0; h < nh; h++)
    {
      out[h].n = d->n;
      out[h].loss = d->n ? loss[h] / d->n : NAN;
      out[h].accuracy = accuracy_or_nan (&m->heads[h], correct[h], d->n);
    }
  g_free (idx);
  g_free (correct);
  g_free (loss);
}
