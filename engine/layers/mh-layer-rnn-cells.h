/* mh-layer-rnn-cells.h — one time step of a GRU or LSTM cell for one sample,
 * forward and backward, in PyTorch's gate order and equations (the
 * recurrent layer, mh-layer-rnn.c, runs them over the batch and the steps).
 *
 * The input part of every gate, a = x·W_ihᵀ + b_ih, comes in `xa` (G·H
 * values) and the state part, b = h·W_hhᵀ + b_hh, in `hb`:
 *   GRU (G = 3, gates r, z, n):
 *     r = σ(a_r + b_r),  z = σ(a_z + b_z),  n = tanh(a_n + r ⊙ b_n),
 *     h' = (1 − z) ⊙ n + z ⊙ h
 *   LSTM (G = 4, gates i, f, g, o):
 *     i = σ(a_i + b_i),  f = σ(a_f + b_f),  g = tanh(a_g + b_g),  o = σ(a_o + b_o),
 *     c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
 * Forward overwrites `xa` with the gates' values (r, z, n or i, f, g, o),
 * which backward reads; the GRU also keeps b_n.
 */
#pragma once

#include <math.h>
#include "mh-vecmath.h"

static inline float
mh_sigmoid (float x)
{
  return 1.0f / (1.0f + mh_expf (-x));
}

static inline float
mh_tanh (float x)
{
  return 2.0f / (1.0f + mh_expf (-2.0f * x)) - 1.0f;
}

static inline void
mh_gru_cell_forward (int h, float *restrict xa, const float *restrict hb, const float *restrict hprev,
                     float *restrict hout, float *restrict bn)
{
  for (int j = 0; j < h; j++)
    {
      float r = mh_sigmoid (xa[j] + hb[j]);
      float z = mh_sigmoid (xa[h + j] + hb[h + j]);
      float n = mh_tanh (xa[2 * h + j] + r * hb[2 * h + j]);
      bn[j] = hb[2 * h + j];
      hout[j] = (1.0f - z) * n + z * hprev[j];
      xa[j] = r, xa[h + j] = z, xa[2 * h + j] = n;
    }
}

/* dh: the gradient at h' → da (the input part's gradient), db (the state
 * part's), and dhprev = dh ⊙ z (the product with W_hh is added later). */
static inline void
mh_gru_cell_backward (int h, const float *restrict gates, const float *restrict bn,
                      const float *restrict hprev, const float *restrict dh, float *restrict da,
                      float *restrict db, float *restrict dhprev)
{
  for (int j = 0; j < h; j++)
    {
      float r = gates[j], z = gates[h + j], n = gates[2 * h + j];
      float dn = dh[j] * (1.0f - z) * (1.0f - n * n);
      float dz = dh[j] * (hprev[j] - n) * z * (1.0f - z);
      float dr = dn * bn[j] * r * (1.0f - r);

      da[j] = db[j] = dr;
      da[h + j] = db[h + j] = dz;
      da[2 * h + j] = dn;
      db[2 * h + j] = dn * r;
      dhprev[j] = dh[j] * z;
    }
}

static inline void
mh_lstm_cell_forward (int h, float *restrict xa, const float *restrict hb, const float *restrict cprev,
                      float *restrict cout, float *restrict hout)
{
  for (int j = 0; j < h; j++)
    {
      float i = mh_sigmoid (xa[j] + hb[j]);
      float f = mh_sigmoid (xa[h + j] + hb[h + j]);
      float g = mh_tanh (xa[2 * h + j] + hb[2 * h + j]);
      float o = mh_sigmoid (xa[3 * h + j] + hb[3 * h + j]);
      float c = f * cprev[j] + i * g;

      cout[j] = c;
      hout[j] = o * mh_tanh (c);
      xa[j] = i, xa[h + j] = f, xa[2 * h + j] = g, xa[3 * h + j] = o;
    }
}

/* dh, dc: the gradients at h' and c' → da (= the state part's gradient),
 * dcprev, and dhprev = 0 (the product with W_hh is added later). */
static inline void
mh_lstm_cell_backward (int h, const float *restrict gates, const float *restrict cprev,
                       const float *restrict c, const float *restrict dh, const float *restrict dc,
                       float *restrict da, float *restrict dcprev, float *restrict dhprev)
{
  for (int j = 0; j < h; j++)
    {
      float i = gates[j], f = gates[h + j], g = gates[2 * h + j], o = gates[3 * h + j];
      float tc = mh_tanh (c[j]);
      float dct = dc[j] + dh[j] * o * (1.0f - tc * tc);

      da[j] = dct * g * i * (1.0f - i);
      da[h + j] = dct * cprev[j] * f * (1.0f - f);
      da[2 * h + j] = dct * i * (1.0f - g * g);
      da[3 * h + j] = dh[j] * tc * o * (1.0f - o);
      dcprev[j] = dct * f;
      dhprev[j] = 0.0f;
    }
}
