/* mh-training.c — the training loop. */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-training.h"
#include "mh-blas.h"
#include "mh-error.h"
#include "mh-limits.h"
#include "mh-simd.h"

#define SHUFFLE_SEED(seed) ((seed) ^ 0x9e3779b9u)

/* Dropout's generator of a lane, seeded afresh every step so that a run can
 * resume at any step (mh_training_seek) and draw the same masks. */
static guint32
lane_seed (guint32 seed, int lane, int step)
{
  return seed * 7919u + 1000003u * (guint32) (lane + 1) + 0x9e3779b1u * (guint32) step;
}

MhTraining *
mh_training_new (const MhProject *p, const MhSplits *data, int total_steps, int threads,
            const char *where, GError **error)
{
  MhTraining *r;
  /* a batch larger than the training set is the whole set (mh_training_step) */
  int batch = MIN (p->batch, MAX (data->train->n, 1));
  int n_lanes = CLAMP (threads, 1, batch), per_lane = (batch + n_lanes - 1) / n_lanes;
  MhModel *model = mh_model_new (p, data->train, per_lane, where, error);
  guint64 need;

  if (model == NULL)
    return NULL;
  /* every lane has its own activations; all share the parameters (mh-limits.h) */
  if (!mh_limits_bytes (model->bytes_batch, n_lanes, &need)
      || !mh_limits_add (need, model->bytes_params, &need)
      || !mh_limits_check_bytes (need, where, _("training.batch (the model's activations for "
                                 "a batch on every thread, with its parameters)"), error))
    {
      mh_model_free (model);
      return NULL;
    }
  r = g_new0 (MhTraining, 1);
  r->project = p;
  r->data = data;
  r->model = model;
  mh_model_init (model, p->seed);
  r->n_lanes = n_lanes;
  r->lane_models = g_new0 (MhModel *, n_lanes);
  r->lane_rngs = g_new0 (GRand *, n_lanes);
  r->lane_models[0] = model;
  for (int i = 0; i < n_lanes; i++)
    {
      if (i > 0 && !(r->lane_models[i] = mh_model_new (p, data->train, per_lane, where, error)))
        {
          r->n_lanes = i;
          mh_training_free (r);
          return NULL;
        }
      if (i > 0)
        mh_model_share_params (r->lane_models[i], model);
      r->lane_rngs[i] = g_rand_new_with_seed (lane_seed (p->seed, i, 0));
    }
  r->lanes = mh_thread_team_new (n_lanes);
  mh_blas_set_threads (1);
  r->optim = mh_optim_new (&p->optim, &p->schedule, model->n_params, total_steps);
  r->rng = g_rand_new_with_seed (SHUFFLE_SEED (p->seed));
  r->order = g_new (int, MAX (data->train->n, 1));
  for (int i = 0; i < data->train->n; i++)
    r->order[i] = i;
  mh_shuffle (r->order, data->train->n, r->rng);
  r->steps_per_epoch = (data->train->n + p->batch - 1) / p->batch;
  r->last_good = g_new (float, MAX (model->n_params, 1));
  r->loss_sum = g_new0 (double, model->n_heads);
  r->correct_sum = g_new0 (int, model->n_heads);
  r->balance = mh_balance_new (p, p->seed);
  r->gram = g_new0 (double, (gsize) n_lanes * model->n_heads * model->n_heads);
  r->step_gram = g_new0 (double, (gsize) model->n_heads * model->n_heads);
  r->step_losses = g_new0 (double, MAX (model->n_heads, 1));
  return r;
}

void
mh_training_free (MhTraining *r)
{
  if (r == NULL)
    return;
  mh_thread_team_free (r->lanes);
  for (int i = r->n_lanes - 1; i >= 0; i--)   /* lane 0 owns the parameters: last */
    {
      mh_model_free (r->lane_models[i]);
      g_rand_free (r->lane_rngs[i]);
    }
  g_free (r->lane_models);
  g_free (r->lane_rngs);
  mh_optim_free (r->optim);
  mh_balance_free (r->balance);
  g_free (r->gram);
  g_free (r->step_gram);
  g_free (r->step_losses);
  g_clear_pointer (&r->rng, g_rand_free);
  g_free (r->order);
  g_free (r->last_good);
  g_free (r->loss_sum);
  g_free (r->correct_sum);
  g_free (r);
}

/* One batch split over the lanes. */
typedef struct {
  MhTraining           *run;
  const MhDataset *d;
  const int       *idx;
  int              n;
  gboolean         train;
} Batch;

static int
lane_share (const MhTraining *r, int n, int lane, int *start)
{
  int per = (n + r->n_lanes - 1) / r->n_lanes;

  *start = MIN (n, lane * per);
  return MIN (per, n - *start);
}

static void
lane_batch (int lane, gpointer data)
{
  Batch *b = data;
  MhModel *m = b->run->lane_models[lane];
  int start, n = lane_share (b->run, b->n, lane, &start);

  if (n == 0)
    return;
  mh_model_set_batch (m, b->d, b->idx + start, n);
  if (b->train && mh_augment_active (&b->run->project->data.augment, b->d))
    mh_augment_batch (&b->run->project->data.augment, b->d, b->idx + start, n, m->x,
                      m->augment_targets, m->n_heads, b->run->lane_rngs[lane]);
  mh_model_forward (m, n, b->train, b->run->lane_rngs[lane]);
  mh_model_loss_part (m, n, (float) n / b->n);
  if (b->train)
    {
      int nh = m->n_heads;
      double *gram = b->run->gram + (gsize) lane * nh * nh;
      mh_model_backward_heads (m, n);
      memset (gram, 0, sizeof (double) * nh * nh);
      mh_model_head_dots (m, n, gram);
    }
}

static void
lane_shared_backward (int lane, gpointer data)
{
  Batch *b = data;
  int start, n = lane_share (b->run, b->n, lane, &start);

  if (n > 0)
    mh_model_backward_shared (b->run->lane_models[lane], n, b->run->balance->coef);
}

/* The heads' tap gradients' Gram matrix over the whole batch: NaN for
 * pairs on different taps (or without a tap gradient). */
static void
sum_gram (MhTraining *r, int n, double *gram)
{
  const MhModel *m = r->model;
  int nh = m->n_heads;

  for (int h = 0; h < nh; h++)
    for (int j = 0; j < nh; j++)
      {
        const MhHead *a = &m->heads[h], *c = &m->heads[j];
        double sum = 0;
        int start;
        if (a->tap_grad == NULL || c->tap_grad == NULL || a->attach != c->attach)
          {
            gram[h * nh + j] = NAN;
            continue;
          }
        for (int i = 0; i < r->n_lanes; i++)
          if (lane_share (r, n, i, &start) > 0)
            sum += r->gram[(gsize) i * nh * nh + h * nh + j];
        gram[h * nh + j] = sum;
      }
}

/* The balancer's weights, in every lane's heads. */
static void
set_weights (MhTraining *r)
{
  const float *w = mh_balance_weights (r->balance);

  for (int i = 0; i < r->n_lanes; i++)
    for (int h = 0; h < r->model->n_heads; h++)
      r->lane_models[i]->heads[h].weight = w[h];
}

/* Runs a batch on the lanes; lane 0's heads then hold the batch's figures
 * (loss_value, correct) and, when training, model->grads its gradient. */
static void
run_batch (MhTraining *r, const MhDataset *d, const int *idx, int n, gboolean train)
{
  Batch b = { r, d, idx, n, train };
  MhModel *m0 = r->model;

  mh_thread_team_run (r->lanes, lane_batch, &b);
  for (int h = 0; h < m0->n_heads; h++)
    {
      int start, n0 = lane_share (r, n, 0, &start);
      double loss = m0->heads[h].loss_value * n0;
      for (int i = 1; i < r->n_lanes; i++)
        {
          int ni = lane_share (r, n, i, &start);
          if (ni == 0)
            continue;
          loss += r->lane_models[i]->heads[h].loss_value * ni;
          m0->heads[h].correct += r->lane_models[i]->heads[h].correct;
        }
      m0->heads[h].loss_value = loss / n;
    }
}

/* ---- after the lanes' backward: their gradients summed, the update ---- */

typedef struct {
  MhTraining   *run;
  int      n;          /* the batch */
  gboolean reduce;     /* add the other lanes' gradients into lane 0's */
  gboolean update;     /* keep the parameters as last good, then update */
} Finish;

/* This lane's slice of the parameter slab: [*start, *end), 16-aligned. */
static void
lane_slice (const MhTraining *r, int lane, gsize *start, gsize *end)
{
  gsize n = r->model->n_params, per = ((n + r->n_lanes - 1) / r->n_lanes + 15) / 16 * 16;

  *start = MIN (n, lane * per);
  *end = MIN (n, *start + per);
}

MH_HOT static void
add_into (float *restrict dst, const float *restrict src, gsize n)
{
  for (gsize i = 0; i < n; i++)
    dst[i] += src[i];
}

static void
lane_finish (int lane, gpointer data)
{
  Finish *f = data;
  MhTraining *r = f->run;
  MhModel *m = r->model;
  gsize start, end;

  lane_slice (r, lane, &start, &end);
  if (start == end)
    return;
  if (f->reduce)
    for (int i = 1; i < r->n_lanes; i++)
      {
        int first;
        if (lane_share (r, f->n, i, &first) > 0)
          add_into (m->grads + start, r->lane_models[i]->grads + start, end - start);
      }
  if (!f->update)
    return;
  memcpy (r->last_good + start, m->params + start, sizeof (float) * (end - start));
  for (int k = 0; k < m->n_trainable; k++)
    {
      gsize a = MAX (start, m->trainable[k].offset);
      gsize b = MIN (end, m->trainable[k].offset + m->trainable[k].size);
      if (a < b)
        mh_optim_update (r->optim, m->params, m->grads, a, b - a);
    }
}

/* Sums the lanes' gradients, keeps the parameters as the last good ones and
 * takes the optimiser's step, each lane on its slice of the slab. */
static void
reduce_and_update (MhTraining *r, int n)
{
  MhModel *m = r->model;
  Finish f = { r, n, r->n_lanes > 1, TRUE };
  double norm = NAN;

  if (mh_optim_clips (r->optim))
    {
      Finish reduce = { r, n, f.reduce, FALSE };
      mh_thread_team_run (r->lanes, lane_finish, &reduce);
      norm = mh_grad_norm (m->grads, m->trainable, m->n_trainable);
      f.reduce = FALSE;
    }
  mh_optim_begin (r->optim, norm);
  mh_thread_team_run (r->lanes, lane_finish, &f);
  mh_optim_end (r->optim);
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
mh_training_step (MhTraining *r, GError **error)
{
  MhModel *m = r->model;
  const MhDataset *train = r->data->train;
  int n = MIN (r->project->batch, train->n - r->pos), bad;

  g_return_val_if_fail (n > 0, FALSE);
  for (int i = 0; i < r->n_lanes; i++)
    g_rand_set_seed (r->lane_rngs[i], lane_seed (r->project->seed, i, r->step));
  set_weights (r);
  run_batch (r, train, r->order + r->pos, n, TRUE);
  bad = first_bad_head (m);
  if (bad >= 0)
    {
      if (r->step > 0)
        memcpy (m->params, r->last_good, sizeof (float) * m->n_params);
      g_set_error (error, MH_ERROR, MH_ERROR_NUMERIC,
                   _("training stopped at step %d (epoch %d): the loss of head '%s' became %s; "
                   "the weights of step %d, the last with a finite loss, are kept"),
                   r->step + 1, r->epoch + 1, m->heads[bad].name,
                   isnan (m->heads[bad].loss_value) ? _("NaN") : "infinite", r->step);
      return FALSE;
    }
  {
    int nh = m->n_heads;
    double *gram = r->step_gram, *losses = r->step_losses;
    Batch b = { r, train, r->order + r->pos, n, TRUE };
    for (int h = 0; h < nh; h++)
      losses[h] = m->heads[h].loss_value;
    sum_gram (r, n, gram);
    mh_balance_after_heads (r->balance, gram, losses);
    mh_thread_team_run (r->lanes, lane_shared_backward, &b);
  }
  reduce_and_update (r, n);
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

void
mh_training_seek (MhTraining *r, int epoch, int step, int pos, gint64 samples)
{
  int n = r->data->train->n;

  g_rand_set_seed (r->rng, SHUFFLE_SEED (r->project->seed));
  for (int i = 0; i < n; i++)
    r->order[i] = i;
  for (int e = 0; e <= epoch; e++)   /* one shuffle at the start, one per epoch done */
    mh_shuffle (r->order, n, r->rng);
  r->epoch = epoch;
  r->step = step;
  r->pos = pos;
  r->samples = samples;
  r->seen = 0;
  memset (r->loss_sum, 0, sizeof (double) * r->model->n_heads);
  memset (r->correct_sum, 0, sizeof (int) * r->model->n_heads);
}

gboolean
mh_training_epoch_done (const MhTraining *r)
{
  return r->pos == 0 && r->step > 0;
}

static double
accuracy_or_nan (const MhHead *h, int correct, int n)
{
  return h->field_kind == MH_FIELD_CLASS && n > 0 ? (double) correct / n : NAN;
}

void
mh_training_take_train_metrics (MhTraining *r, MhHeadMetrics *out)
{
  for (int h = 0; h < r->model->n_heads; h++)
    {
      out[h] = (MhHeadMetrics) { NAN, NAN, NAN, NAN, NAN, NAN, r->seen };
      out[h].loss = r->seen ? r->loss_sum[h] / r->seen : NAN;
      out[h].accuracy = accuracy_or_nan (&r->model->heads[h], r->correct_sum[h], r->seen);
      r->loss_sum[h] = 0;
      r->correct_sum[h] = 0;
    }
  r->seen = 0;
}

void
mh_training_evaluate_full (MhTraining *r, const MhDataset *d, MhHeadMetrics *out, int **confusion)
{
  mh_training_evaluate_answers (r, d, out, confusion, NULL);
}

/* The index of each row's largest of k values. */
static void
argmax_rows (const float *v, int n, int k, int *out)
{
  for (int i = 0; i < n; i++)
    {
      const float *row = v + (gsize) i * k;
      int best = 0;
      for (int j = 1; j < k; j++)
        if (row[j] > row[best])
          best = j;
      out[i] = best;
    }
}

void
mh_training_evaluate_answers (MhTraining *r, const MhDataset *d, MhHeadMetrics *out, int **confusion,
                         int **answers)
{
  MhModel *m = r->model;
  int nh = m->n_heads, chunk = m->max_batch * r->n_lanes;
  int *idx = g_new (int, chunk);
  MhMetricsAcc *acc = g_new0 (MhMetricsAcc, nh);

  for (int h = 0; h < nh; h++)
    mh_metrics_acc_init (&acc[h], &m->heads[h], d->fields[m->heads[h].field].box);
  for (int start = 0; start < d->n; start += chunk)
    {
      int n = MIN (chunk, d->n - start);
      for (int i = 0; i < n; i++)
        idx[i] = start + i;
      run_batch (r, d, idx, n, FALSE);
      for (int lane = 0; lane < r->n_lanes; lane++)
        {
          int first, ln = lane_share (r, n, lane, &first);
          MhModel *lm = r->lane_models[lane];
          if (ln == 0)
            continue;
          for (int h = 0; h < nh; h++)
            {
              const MhHead *head = &lm->heads[h];
              /* lane 0's loss_value now holds the whole chunk's: use the
               * chunk's mean for every lane, weighted by its share */
              mh_metrics_acc_add (&acc[h], head->logits, head->classes, head->values, ln,
                                  m->heads[h].loss_value);
              if (answers != NULL && answers[h] != NULL)
                argmax_rows (head->logits, ln, head->out_dim, answers[h] + start + first);
            }
        }
    }
  for (int h = 0; h < nh; h++)
    {
      mh_metrics_acc_finish (&acc[h], &out[h]);
      if (confusion != NULL)
        confusion[h] = g_steal_pointer (&acc[h].confusion);
      mh_metrics_acc_clear (&acc[h]);
    }
  g_free (acc);
  g_free (idx);
}

void
mh_training_evaluate (MhTraining *r, const MhDataset *d, MhHeadMetrics *out)
{
  mh_training_evaluate_full (r, d, out, NULL);
}
