/* mh-optim.c — SGD with momentum, Adam and AdamW, as PyTorch defines them. */
#include <math.h>
#include <string.h>
#include "mh-optim.h"
#include "mh-simd.h"

struct _MhOptim {
  MhOptimKind kind;
  MhOptimSpec spec;          /* spec.kind is not owned */
  gboolean    cosine;
  int         warmup;
  double      min_lr;
  int         total_steps;
  int         t;             /* updates done */
  float       lr_now;        /* this update's learning rate */
  float       clip_scale;    /* this update's gradient scale */
  gsize       n;
  float      *m;             /* momentum buffer or first moment */
  float      *v;             /* second moment (Adam, AdamW) */
};

MhOptim *
mh_optim_new (const MhOptimSpec *spec, const MhScheduleSpec *schedule,
              gsize n_params, int total_steps)
{
  MhOptim *o;

  g_return_val_if_fail (spec != NULL && schedule != NULL, NULL);

  o = g_new0 (MhOptim, 1);
  o->kind = g_strcmp0 (spec->kind, "sgd") == 0 ? MH_OPTIM_SGD
          : g_strcmp0 (spec->kind, "adamw") == 0 ? MH_OPTIM_ADAMW : MH_OPTIM_ADAM;
  o->spec = *spec;
  o->spec.kind = NULL;
  o->cosine = g_strcmp0 (schedule->kind, "cosine") == 0;
  o->warmup = schedule->warmup_steps;
  o->min_lr = schedule->min_lr;
  o->total_steps = MAX (1, total_steps);
  o->n = n_params;
  o->m = g_new0 (float, MAX (n_params, 1));
  if (o->kind != MH_OPTIM_SGD)
    o->v = g_new0 (float, MAX (n_params, 1));
  return o;
}

void
mh_optim_free (MhOptim *o)
{
  if (o == NULL)
    return;
  g_free (o->m);
  g_free (o->v);
  g_free (o);
}

double
mh_optim_lr (const MhOptim *o, int step)
{
  double base = o->spec.lr, progress;

  if (step < o->warmup)
    return base * (step + 1) / o->warmup;
  if (!o->cosine)
    return base;
  progress = (double) (step - o->warmup) / MAX (1, o->total_steps - o->warmup);
  progress = CLAMP (progress, 0.0, 1.0);
  return o->min_lr + (base - o->min_lr) * 0.5 * (1.0 + cos (G_PI * progress));
}

void
mh_optim_set_base_lr (MhOptim *o, double lr)
{
  o->spec.lr = lr;
}

int
mh_optim_step_count (const MhOptim *o)
{
  return o->t;
}

void
mh_optim_state (MhOptim *o, float **m, float **v)
{
  *m = o->m;
  *v = o->v;
}

void
mh_optim_set_step_count (MhOptim *o, int t)
{
  o->t = t;
}

MH_HOT static double
sum_squares (const float *g, gsize n)
{
  double sum = 0;

  /* float partial sums (vectorised) of short blocks, added in double */
  for (gsize start = 0; start < n; start += 4096)
    {
      gsize end = MIN (n, start + 4096);
      float part = 0;
      for (gsize i = start; i < end; i++)
        part += g[i] * g[i];
      sum += part;
    }
  return sum;
}

double
mh_grad_norm (const float *grads, const MhRange *ranges, int n_ranges)
{
  double sum = 0;

  for (int r = 0; r < n_ranges; r++)
    sum += sum_squares (grads + ranges[r].offset, ranges[r].size);
  return sqrt (sum);
}

MH_HOT static void
sgd_update (float *restrict p, const float *restrict g, float *restrict buf, gsize n,
            float lr, float mom, float wd, float scale, gboolean first)
{
  for (gsize i = 0; i < n; i++)
    {
      float gi = g[i] * scale + wd * p[i];
      buf[i] = first ? gi : mom * buf[i] + gi;
      p[i] -= lr * (mom > 0 ? buf[i] : gi);
    }
}

MH_HOT static void
adam_update (float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
             gsize n, float lr, float b1, float b2, float eps, float c1, float c2,
             float shrink, float l2, float scale)
{
  for (gsize i = 0; i < n; i++)
    {
      float gi = g[i] * scale + l2 * p[i];
      m[i] = b1 * m[i] + (1.0f - b1) * gi;
      v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
      p[i] = p[i] * shrink - lr * (m[i] * c1) / (sqrtf (v[i] * c2) + eps);
    }
}

gboolean
mh_optim_clips (const MhOptim *o)
{
  return o->spec.clip_norm > 0;
}

void
mh_optim_begin (MhOptim *o, double norm)
{
  o->lr_now = (float) mh_optim_lr (o, o->t);
  o->clip_scale = mh_optim_clips (o) && norm > o->spec.clip_norm ? (float) (o->spec.clip_norm / norm) : 1.0f;
}

void
mh_optim_update (MhOptim *o, float *params, const float *grads, gsize off, gsize n)
{
  float lr = o->lr_now, wd = (float) o->spec.weight_decay;

  if (o->kind == MH_OPTIM_SGD)
    {
      sgd_update (params + off, grads + off, o->m + off, n, lr, (float) o->spec.momentum, wd,
                  o->clip_scale, o->t == 0);
      return;
    }
  float b1 = (float) o->spec.beta1, b2 = (float) o->spec.beta2;
  float c1 = 1.0f / (1.0f - powf (b1, o->t + 1)), c2 = 1.0f / (1.0f - powf (b2, o->t + 1));
  gboolean decoupled = o->kind == MH_OPTIM_ADAMW;
  adam_update (params + off, grads + off, o->m + off, o->v + off, n, lr, b1, b2, (float) o->spec.eps,
               c1, c2, decoupled ? 1.0f - lr * wd : 1.0f, decoupled ? 0.0f : wd, o->clip_scale);
}

void
mh_optim_end (MhOptim *o)
{
  o->t++;
}

double
mh_optim_step (MhOptim *o, float *params, float *grads, const MhRange *ranges, int n_ranges)
{
  double norm = mh_optim_clips (o) ? mh_grad_norm (grads, ranges, n_ranges) : NAN;

  mh_optim_begin (o, norm);
  for (int r = 0; r < n_ranges; r++)
    mh_optim_update (o, params, grads, ranges[r].offset, ranges[r].size);
  mh_optim_end (o);
  return norm;
}
