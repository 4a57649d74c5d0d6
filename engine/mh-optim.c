/* mh-optim.c — SGD with momentum, Adam and AdamW, as PyTorch defines them. */
#include <math.h>
#include <string.h>
#include "mh-optim.h"

struct _MhOptim {
  MhOptimKind kind;
  MhOptimSpec spec;          /* spec.kind is not owned */
  gboolean    cosine;
  int         warmup;
  double      min_lr;
  int         total_steps;
  int         t;             /* updates done */
  gsize       n;
  float      *m;             /* momentum buffer or first moment */
  float      *v;             /* second moment (Adam, AdamW) */
};

MhOptim *
mh_optim_new (const MhOptimSpec *spec, const MhScheduleSpec *schedule,
              gsize n_params, int total_steps)
{
  MhOptim *o = g_new0 (MhOptim, 1);

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

double
mh_grad_norm (const float *grads, const MhRange *ranges, int n_ranges)
{
  double sum = 0;

  for (int r = 0; r < n_ranges; r++)
    {
      const float *g = grads + ranges[r].offset;
      double part = 0;
      for (gsize i = 0; i < ranges[r].size; i++)
        part += (double) g[i] * g[i];
      sum += part;
    }
  return sqrt (sum);
}

static void
sgd_update (MhOptim *o, float *p, const float *g, float *buf, gsize n, float lr)
{
  float mom = (float) o->spec.momentum, wd = (float) o->spec.weight_decay;
  gboolean first = o->t == 0;

  for (gsize i = 0; i < n; i++)
    {
      float gi = g[i] + wd * p[i];
      buf[i] = first ? gi : mom * buf[i] + gi;
      p[i] -= lr * (mom > 0 ? buf[i] : gi);
    }
}

static void
adam_update (MhOptim *o, float *p, const float *g, float *m, float *v, gsize n, float lr)
{
  float b1 = (float) o->spec.beta1, b2 = (float) o->spec.beta2, eps = (float) o->spec.eps;
  float wd = (float) o->spec.weight_decay;
  float c1 = 1.0f / (1.0f - powf (b1, o->t + 1)), c2 = 1.0f / (1.0f - powf (b2, o->t + 1));
  gboolean decoupled = o->kind == MH_OPTIM_ADAMW;
  float shrink = decoupled ? 1.0f - lr * wd : 1.0f, l2 = decoupled ? 0.0f : wd;

  for (gsize i = 0; i < n; i++)
    {
      float gi = g[i] + l2 * p[i];
      m[i] = b1 * m[i] + (1.0f - b1) * gi;
      v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
      p[i] = p[i] * shrink - lr * (m[i] * c1) / (sqrtf (v[i] * c2) + eps);
    }
}

double
mh_optim_step (MhOptim *o, float *params, float *grads, const MhRange *ranges, int n_ranges)
{
  double norm = mh_grad_norm (grads, ranges, n_ranges);
  float lr = (float) mh_optim_lr (o, o->t);

  if (o->spec.clip_norm > 0 && norm > o->spec.clip_norm)
    {
      float s = (float) (o->spec.clip_norm / norm);
      for (int r = 0; r < n_ranges; r++)
        for (gsize i = 0; i < ranges[r].size; i++)
          grads[ranges[r].offset + i] *= s;
    }
  for (int r = 0; r < n_ranges; r++)
    {
      gsize off = ranges[r].offset, n = ranges[r].size;
      if (o->kind == MH_OPTIM_SGD)
        sgd_update (o, params + off, grads + off, o->m + off, n, lr);
      else
        adam_update (o, params + off, grads + off, o->m + off, o->v + off, n, lr);
    }
  o->t++;
  return norm;
}
