/* mh-vecmath.c — see mh-vecmath.h. */
#include "mh-vecmath.h"
#include "mh-simd.h"

MH_HOT void
mh_column_sums (const float *m, gsize rows, int cols, float *sums)
{
  memset (sums, 0, sizeof (float) * cols);
  for (gsize r = 0; r < rows; r++, m += cols)
    for (int c = 0; c < cols; c++)
      sums[c] += m[c];
}

MH_HOT void
mh_gelu_with_grad (const float *x, float *g, float *d, gsize n)
{
  const float p = 0.3275911f, a1 = 0.254829592f, a2 = -0.284496736f, a3 = 1.421413741f,
              a4 = -1.453152027f, a5 = 1.061405429f, inv_sqrt_2pi = 0.3989422804014327f;

  for (gsize i = 0; i < n; i++)
    {
      float v = x[i], e = mh_expf (-0.5f * v * v);
      float t = 1.0f / (1.0f + p * (float) M_SQRT1_2 * fabsf (v));
      float half_erfc = 0.5f * t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5)))) * e;
      float cdf = v >= 0.0f ? 1.0f - half_erfc : half_erfc;   /* Φ(v) */
      g[i] = v * cdf;
      d[i] = cdf + v * e * inv_sqrt_2pi;
    }
}
