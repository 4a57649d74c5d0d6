/* mh-vecmath.h — exp and GELU written so that the compiler vectorises the
 * loops that call them (libm's expf and erff are scalar calls).
 *
 * mh_expf: e^x within 2e-7 relative error for x in [−87, 88] (clamped
 * outside): x = k·ln 2 + r with |r| ≤ ½ ln 2, e^r by its Taylor series to
 * r⁶, 2^k put straight into the exponent bits.
 */
#pragma once

#include <glib.h>
#include <math.h>
#include <string.h>

G_BEGIN_DECLS

static inline float
mh_expf (float x)
{
  float k, r, p, scale;
  gint32 bits;

  x = x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x;
  k = floorf (x * 1.44269504f + 0.5f);
  r = x - k * 0.693359375f + k * 2.12194440e-4f;   /* ln 2 in two parts (Cephes) */
  p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720))))));
  bits = ((gint32) k + 127) << 23;
  memcpy (&scale, &bits, sizeof scale);
  return p * scale;
}

/* Σ a·b, or Σ a when b is NULL, in 16 partial sums so that the compiler
 * vectorises it (a float reduction is otherwise kept in order). */
static inline float
mh_row_dot (const float *a, const float *b, int n)
{
  float acc[16] = { 0 }, r = 0;
  int c = 0;

  for (; c + 16 <= n; c += 16)
    for (int k = 0; k < 16; k++)
      acc[k] += b != NULL ? a[c + k] * b[c + k] : a[c + k];
  for (int k = 0; k < 16; k++)
    r += acc[k];
  for (; c < n; c++)
    r += b != NULL ? a[c] * b[c] : a[c];
  return r;
}

/* sums[c] = Σ_r m[r·cols + c]: a bias's gradient from its output's. */
void mh_column_sums (const float *m, gsize rows, int cols, float *sums);

/* GELU, exact form, and its derivative in one pass over n values:
 *   g = x·Φ(x),  d = Φ(x) + x·φ(x)
 * Φ by Abramowitz & Stegun 7.1.26 (|error| < 1e-7), sharing e^(−x²/2) with
 * φ.  d may be x (the derivative replaces the input). */
void mh_gelu_with_grad (const float *x, float *g, float *d, gsize n);

G_END_DECLS
