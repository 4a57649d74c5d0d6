/* mh-balance.c — loss weighting and gradient conflict between heads. */
#include <math.h>
#include <string.h>
#include "mh-balance.h"
#include "mh-kinds.h"

#define BALANCE_RNG_SEED(seed) ((seed) ^ 0x5bd1e995u)

gboolean
mh_balance_method_from_name (const char *name, MhBalanceMethod *method)
{
  int i = mh_kind_index (mh_balancing_methods, name);

  if (i < 0)
    return FALSE;
  *method = (MhBalanceMethod) i;
  return TRUE;
}

const char *
mh_balance_method_name (MhBalanceMethod method)
{
  g_return_val_if_fail ((guint) method < mh_kind_count (mh_balancing_methods), "fixed");
  return mh_balancing_methods[method].id;
}

MhBalance *
mh_balance_new (const MhProject *p, guint32 seed)
{
  MhBalance *b = g_new0 (MhBalance, 1);
  int n = p->heads->len;

  b->n = n;
  b->alpha = p->balancing_alpha;
  b->lr = p->balancing_lr;
  if (!mh_balance_method_from_name (p->balancing, &b->method))
    b->method = MH_BALANCE_FIXED;
  b->fixed = g_new (float, n);
  b->weight = g_new (float, n);
  b->coef = g_new (float, n);
  b->log_var = g_new0 (double, n);
  b->lv_m = g_new0 (double, n);
  b->lv_v = g_new0 (double, n);
  b->gn_weight = g_new (double, n);
  b->first_loss = g_new (double, n);
  b->grad_norm = g_new (double, n);
  b->cosine = g_new (double, n * n);
  b->cos_sum = g_new0 (double, n * n);
  b->cos_count = g_new0 (int, n * n);
  b->negative = g_new0 (int, n * n);
  b->norm_sum = g_new0 (double, n);
  b->norm_count = g_new0 (int, n);
  b->work = g_new0 (double, (gsize) n * n + n);
  b->order = g_new0 (int, MAX (n, 1));
  b->rng = g_rand_new_with_seed (BALANCE_RNG_SEED (seed));
  for (int h = 0; h < n; h++)
    {
      b->fixed[h] = (float) g_array_index (p->heads, MhHeadSpec, h).weight;
      b->gn_weight[h] = 1.0;
      b->first_loss[h] = NAN;
      b->grad_norm[h] = NAN;
    }
  for (int i = 0; i < n * n; i++)
    b->cosine[i] = NAN;
  mh_balance_weights (b);
  return b;
}

void
mh_balance_free (MhBalance *b)
{
  if (b == NULL)
    return;
  g_free (b->fixed);
  g_free (b->weight);
  g_free (b->coef);
  g_free (b->log_var);
  g_free (b->lv_m);
  g_free (b->lv_v);
  g_free (b->gn_weight);
  g_free (b->first_loss);
  g_free (b->grad_norm);
  g_free (b->cosine);
  g_free (b->cos_sum);
  g_free (b->cos_count);
  g_free (b->negative);
  g_free (b->norm_sum);
  g_free (b->norm_count);
  g_free (b->work);
  g_free (b->order);
  g_rand_free (b->rng);
  g_free (b);
}

void
mh_balance_set_method (MhBalance *b, MhBalanceMethod method)
{
  b->method = method;
  mh_balance_weights (b);
}

void
mh_balance_set_fixed_weight (MhBalance *b, int head, float weight)
{
  g_return_if_fail (head >= 0 && head < b->n);
  b->fixed[head] = weight;
  mh_balance_weights (b);
}

const float *
mh_balance_weights (MhBalance *b)
{
  for (int h = 0; h < b->n; h++)
    switch (b->method)
      {
      case MH_BALANCE_EQUAL:
        b->weight[h] = 1.0f / b->n;
        break;
      case MH_BALANCE_UNCERTAINTY:
        b->weight[h] = (float) exp (-b->log_var[h]);
        break;
      case MH_BALANCE_GRADNORM:
        b->weight[h] = (float) b->gn_weight[h];
        break;
      case MH_BALANCE_FIXED:
      case MH_BALANCE_PCGRAD:
      default:
        b->weight[h] = b->fixed[h];
        break;
      }
  return b->weight;
}

/* ---- the pure pieces ---- */

void
mh_pcgrad_coefficients (const double *gram, const float *w, int n, const int *order, float *coef)
{
  /* g'_i = Σ_k c[i][k]·(w_k g_k); W = the Gram matrix of the weighted gradients */
  double *c = g_new0 (double, n * n), *W = g_new (double, n * n);

  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      W[i * n + j] = (double) w[i] * w[j] * gram[i * n + j];
  for (int i = 0; i < n; i++)
    {
      c[i * n + i] = 1.0;
      for (int t = 0; t < n; t++)
        {
          int j = order[t];
          double d = 0;
          if (j == i || !(W[j * n + j] > 0))
            continue;
          for (int k = 0; k < n; k++)
            d += c[i * n + k] * W[k * n + j];
          if (d < 0)
            c[i * n + j] -= d / W[j * n + j];
        }
    }
  for (int k = 0; k < n; k++)
    {
      double s = 0;
      for (int i = 0; i < n; i++)
        s += c[i * n + k];
      coef[k] = (float) (w[k] * s);
    }
  g_free (c);
  g_free (W);
}

void
mh_gradnorm_update (double *w, const double *grad_norm, const double *loss_ratio, int n,
                    double alpha, double lr)
{
  double mean_g = 0, mean_r = 0, sum = 0;
  int used = 0;

  for (int i = 0; i < n; i++)
    if (isfinite (grad_norm[i]) && isfinite (loss_ratio[i]))
      {
        mean_g += w[i] * grad_norm[i];
        mean_r += loss_ratio[i];
        used++;
      }
  if (used < 2 || mean_r <= 0)
    return;
  mean_g /= used;
  mean_r /= used;
  for (int i = 0; i < n; i++)
    if (isfinite (grad_norm[i]) && isfinite (loss_ratio[i]))
      {
        /* L_grad = Σ |w_i‖g_i‖ − Ḡ·r_i^α|, the target held constant */
        double target = mean_g * pow (loss_ratio[i] / mean_r, alpha);
        double gi = w[i] * grad_norm[i] - target;
        w[i] = MAX (1e-4, w[i] - lr * (gi > 0 ? 1 : gi < 0 ? -1 : 0) * grad_norm[i]);
      }
  for (int i = 0; i < n; i++)
    sum += w[i];
  for (int i = 0; i < n; i++)
    w[i] *= n / sum;
}

double
mh_uncertainty_objective (const double *s, const double *losses, int n, double *grad_s)
{
  double total = 0;

  for (int i = 0; i < n; i++)
    {
      total += exp (-s[i]) * losses[i] + s[i];
      if (grad_s != NULL)
        grad_s[i] = 1.0 - exp (-s[i]) * losses[i];
    }
  return total;
}

/* ---- per step ---- */

static void
record_conflict (MhBalance *b, const double *gram)
{
  int n = b->n;

  for (int h = 0; h < n; h++)
    {
      double gg = gram[h * n + h];
      b->grad_norm[h] = isfinite (gg) ? sqrt (gg) : NAN;
      if (isfinite (b->grad_norm[h]))
        {
          b->norm_sum[h] += b->grad_norm[h];
          b->norm_count[h]++;
        }
    }
  for (int h = 0; h < n; h++)
    for (int j = 0; j < n; j++)
      {
        double denom = b->grad_norm[h] * b->grad_norm[j];
        double c = isfinite (gram[h * n + j]) && denom > 0 ? gram[h * n + j] / denom : NAN;
        b->cosine[h * n + j] = c;
        if (isfinite (c))
          {
            b->cos_sum[h * n + j] += c;
            b->cos_count[h * n + j]++;
            b->negative[h * n + j] += c < 0;
          }
      }
}

/* A new order every step, as in the paper. */
static void
draw_order (MhBalance *b, int *order)
{
  for (int i = 0; i < b->n; i++)
    order[i] = i;
  for (int i = b->n - 1; i > 0; i--)
    {
      int j = g_rand_int_range (b->rng, 0, i + 1), t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  b->pcgrad_steps++;
}

void
mh_balance_replay_pcgrad (MhBalance *b, guint32 seed, int steps)
{
  int *order = b->order;

  g_rand_set_seed (b->rng, BALANCE_RNG_SEED (seed));
  b->pcgrad_steps = 0;
  for (int s = 0; s < steps; s++)
    draw_order (b, order);
}

static void
pcgrad (MhBalance *b, const double *gram)
{
  int n = b->n, *order = b->order;
  double *g = b->work;

  draw_order (b, order);
  /* heads on different taps do not interact: zero their entries */
  for (int i = 0; i < n * n; i++)
    g[i] = isfinite (gram[i]) ? gram[i] : 0.0;
  mh_pcgrad_coefficients (g, b->weight, n, order, b->coef);
}

static void
learn_uncertainty (MhBalance *b, const double *losses)
{
  double *grad = b->work;
  double b1 = 0.9, b2 = 0.999, eps = 1e-8;

  mh_uncertainty_objective (b->log_var, losses, b->n, grad);
  b->lv_t++;
  for (int h = 0; h < b->n; h++)
    {
      b->lv_m[h] = b1 * b->lv_m[h] + (1 - b1) * grad[h];
      b->lv_v[h] = b2 * b->lv_v[h] + (1 - b2) * grad[h] * grad[h];
      double mh = b->lv_m[h] / (1 - pow (b1, b->lv_t)), vh = b->lv_v[h] / (1 - pow (b2, b->lv_t));
      b->log_var[h] -= b->lr * mh / (sqrt (vh) + eps);
    }
}

static void
learn_gradnorm (MhBalance *b, const double *losses)
{
  double *ratio = b->work;

  for (int h = 0; h < b->n; h++)
    {
      if (!isfinite (b->first_loss[h]) && losses[h] > 0)
        b->first_loss[h] = losses[h];
      ratio[h] = b->first_loss[h] > 0 ? losses[h] / b->first_loss[h] : NAN;
    }
  mh_gradnorm_update (b->gn_weight, b->grad_norm, ratio, b->n, b->alpha, b->lr);
}

void
mh_balance_after_heads (MhBalance *b, const double *gram, const double *losses)
{
  record_conflict (b, gram);
  if (b->method == MH_BALANCE_PCGRAD)
    pcgrad (b, gram);
  else
    memcpy (b->coef, b->weight, sizeof (float) * b->n);
  /* learned weights move for the next step */
  if (b->method == MH_BALANCE_UNCERTAINTY)
    learn_uncertainty (b, losses);
  else if (b->method == MH_BALANCE_GRADNORM)
    learn_gradnorm (b, losses);
}

void
mh_balance_take_epoch (MhBalance *b, double *cosine, double *negative_share, double *grad_norm)
{
  int n = b->n;

  for (int i = 0; i < n * n; i++)
    {
      if (cosine)
        cosine[i] = b->cos_count[i] ? b->cos_sum[i] / b->cos_count[i] : NAN;
      if (negative_share)
        negative_share[i] = b->cos_count[i] ? (double) b->negative[i] / b->cos_count[i] : NAN;
      b->cos_sum[i] = 0;
      b->cos_count[i] = 0;
      b->negative[i] = 0;
    }
  for (int h = 0; h < n; h++)
    {
      if (grad_norm)
        grad_norm[h] = b->norm_count[h] ? b->norm_sum[h] / b->norm_count[h] : NAN;
      b->norm_sum[h] = 0;
      b->norm_count[h] = 0;
    }
}
