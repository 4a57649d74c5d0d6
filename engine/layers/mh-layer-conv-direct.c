/* mh-layer-conv-direct.c — convolution without im2col, for layers whose
 * patches are tiny (k·k·C ≤ MH_CONV_DIRECT_MAX, e.g. a 3×3 kernel on a grey
 * image).  There the GEMM of im2col would have an inner dimension of 9:
 * all memory traffic, little arithmetic.  Here each output pixel's filters
 * are a short vector updated tap by tap.
 *
 * Scratch: the weights transposed to (k·k·C) × F, then the same for their
 * gradient.  Shapes as in mh-layer-conv.c.
 */
#include <string.h>
#include "mh-layer.h"
#include "mh-layer-conv.h"
#include "mh-simd.h"

gboolean
mh_conv_direct_fits (const MhLayer *l)
{
  gboolean pointwise = l->spec.kernel == 1 && l->spec.stride == 1 && l->spec.padding == 0;

  return !pointwise && l->spec.kernel * l->spec.kernel * l->in.dim[2] <= MH_CONV_DIRECT_MAX;
}

/* w: rows × cols → t: cols × rows */
static void
transpose (const float *w, int rows, int cols, float *t)
{
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      t[(gsize) c * rows + r] = w[(gsize) r * cols + c];
}

typedef struct {
  int h, w, c, ho, wo, f, k, stride, pad, kk;
} Dims;

static Dims
dims_of (const MhLayer *l)
{
  return (Dims) { l->in.dim[0], l->in.dim[1], l->in.dim[2], l->out.dim[0], l->out.dim[1],
                  l->out.dim[2], l->spec.kernel, l->spec.stride, l->spec.padding,
                  l->spec.kernel * l->spec.kernel * l->in.dim[2] };
}

#define BLOCK 16   /* filters per vector block */

/* GCC/Clang vector extension: 16 floats, lowered to the widest registers
 * the function's target has (one AVX-512, two AVX2 or four SSE ones). */
typedef float Vec16 __attribute__ ((vector_size (64)));

static inline Vec16
load16 (const float *p)
{
  Vec16 v;
  memcpy (&v, p, sizeof v);
  return v;
}

static inline void
store16 (float *p, Vec16 v)
{
  memcpy (p, &v, sizeof v);
}

/* The output rows (or columns) whose tap at offset `kpos` falls inside an
 * input of `size`: [*lo, *hi). */
static void
valid_range (int kpos, int size, int out, int stride, int pad, int *lo, int *hi)
{
  *lo = 0;
  while (*lo < out && *lo * stride - pad + kpos < 0)
    (*lo)++;
  *hi = out;
  while (*hi > *lo && (*hi - 1) * stride - pad + kpos >= size)
    (*hi)--;
}

/* dW[t][j] += Σ over one sample's pixels of x(tap t) · dy[j], filters in
 * blocks of 16 kept in registers; the sample's dy stays in the cache. */
/* One output row when F is a whole number of blocks: tap by tap over the
 * row's pixels, so consecutive updates are independent (no chain of
 * dependent FMAs); the row stays in the L1 cache. */
MH_HOT static void
forward_row (const Dims *d, const float *x, const float *wt, const float *bias, int oy, float *y)
{
  int fp = d->f;

  for (int ox = 0; ox < d->wo; ox++)
    for (int j0 = 0; j0 < d->f; j0 += BLOCK)
      store16 (y + (gsize) ox * d->f + j0, load16 (bias + j0));
  for (int ky = 0; ky < d->k; ky++)
    {
      int iy = oy * d->stride - d->pad + ky, x0, x1;
      if (iy < 0 || iy >= d->h)
        continue;
      for (int kx = 0; kx < d->k; kx++)
        {
          valid_range (kx, d->w, d->wo, d->stride, d->pad, &x0, &x1);
          for (int ch = 0; ch < d->c; ch++)
            {
              const float *wr = wt + (gsize) ((ky * d->k + kx) * d->c + ch) * fp;
              for (int j0 = 0; j0 < d->f; j0 += BLOCK)
                {
                  Vec16 w = load16 (wr + j0);
                  for (int ox = x0; ox < x1; ox++)
                    {
                      float v = x[((gsize) iy * d->w + ox * d->stride - d->pad + kx) * d->c + ch];
                      float *yo = y + (gsize) ox * d->f + j0;
                      store16 (yo, load16 (yo) + v * w);
                    }
                }
            }
        }
    }
}

/* x: n×H×W×C → y: n×Ho×Wo×F.  wt rows are padded to a whole number of
 * blocks of 16 filters (stride fp). */
MH_HOT void
mh_conv_direct_forward (MhLayer *l, int n)
{
  Dims d = dims_of (l);
  int fp = (d.f + BLOCK - 1) / BLOCK * BLOCK;
  float *wt = l->scratch, *bias = l->scratch + (gsize) d.kk * fp;
  int *tap_x = l->iscratch, *tap_w = l->iscratch + d.kk;

  memset (wt, 0, sizeof (float) * (d.kk + 1) * fp);
  for (int j = 0; j < d.f; j++)
    {
      bias[j] = l->params[1].data[j];
      for (int t = 0; t < d.kk; t++)
        wt[(gsize) t * fp + j] = l->params[0].data[(gsize) j * d.kk + t];
    }
  if (fp == d.f)
    {
      for (int i = 0; i < n; i++)
        for (int oy = 0; oy < d.ho; oy++)
          forward_row (&d, l->x + (gsize) i * d.h * d.w * d.c, wt, bias, oy,
                       l->y + (((gsize) i * d.ho + oy) * d.wo) * d.f);
      return;
    }
  for (int i = 0; i < n; i++)
    {
      const float *x = l->x + (gsize) i * d.h * d.w * d.c;
      for (int oy = 0; oy < d.ho; oy++)
        for (int ox = 0; ox < d.wo; ox++)
          {
            float *y = l->y + (((gsize) i * d.ho + oy) * d.wo + ox) * d.f;
            int taps = 0;
            /* the taps inside the image: input offset and weight row */
            for (int ky = 0; ky < d.k; ky++)
              for (int kx = 0; kx < d.k; kx++)
                {
                  int iy = oy * d.stride - d.pad + ky, ix = ox * d.stride - d.pad + kx;
                  if (iy < 0 || iy >= d.h || ix < 0 || ix >= d.w)
                    continue;
                  for (int ch = 0; ch < d.c; ch++, taps++)
                    {
                      tap_x[taps] = (iy * d.w + ix) * d.c + ch;
                      tap_w[taps] = ((ky * d.k + kx) * d.c + ch) * fp;
                    }
                }
            for (int j0 = 0; j0 < fp; j0 += BLOCK)
              {
                Vec16 acc = load16 (bias + j0);
                for (int t = 0; t < taps; t++)
                  acc += x[tap_x[t]] * load16 (wt + tap_w[t] + j0);
                if (j0 + BLOCK <= d.f)
                  store16 (y + j0, acc);
                else
                  memcpy (y + j0, &acc, sizeof (float) * (d.f - j0));
              }
          }
    }
}

MH_HOT static void
weight_grad_sample (const Dims *d, const float *x, const float *dy, float *dwt)
{
  for (int ky = 0; ky < d->k; ky++)
    for (int kx = 0; kx < d->k; kx++)
      {
        int y0, y1, x0, x1;
        valid_range (ky, d->h, d->ho, d->stride, d->pad, &y0, &y1);
        valid_range (kx, d->w, d->wo, d->stride, d->pad, &x0, &x1);
        for (int ch = 0; ch < d->c; ch++)
          for (int j0 = 0; j0 < d->f; j0 += BLOCK)
            {
              float *dr = dwt + (gsize) ((ky * d->k + kx) * d->c + ch) * d->f + j0;
              int nj = MIN (BLOCK, d->f - j0);
              if (nj == BLOCK)
                {
                  Vec16 acc = { 0 };
                  for (int oy = y0; oy < y1; oy++)
                    for (int ox = x0; ox < x1; ox++)
                      {
                        int iy = oy * d->stride - d->pad + ky, ix = ox * d->stride - d->pad + kx;
                        acc += x[(iy * d->w + ix) * d->c + ch]
                               * load16 (dy + ((gsize) oy * d->wo + ox) * d->f + j0);
                      }
                  store16 (dr, load16 (dr) + acc);
                  continue;
                }
              /* the last, partial block of filters */
              for (int oy = y0; oy < y1; oy++)
                for (int ox = x0; ox < x1; ox++)
                  {
                    int iy = oy * d->stride - d->pad + ky, ix = ox * d->stride - d->pad + kx;
                    float v = x[(iy * d->w + ix) * d->c + ch];
                    const float *g = dy + ((gsize) oy * d->wo + ox) * d->f + j0;
                    for (int j = 0; j < nj; j++)
                      dr[j] += v * g[j];
                  }
            }
      }
}

/* dy: n×Ho×Wo×F → dW: F×k·k·C (overwritten unless frozen), dx (if wanted) */
MH_HOT void
mh_conv_direct_backward (MhLayer *l, int n, gboolean accumulate)
{
  Dims d = dims_of (l);
  float *wt = l->scratch, *dwt = l->scratch + (gsize) d.kk * d.f;
  gsize in_size = (gsize) d.h * d.w * d.c, out_size = (gsize) d.ho * d.wo * d.f;

  if (!l->frozen)
    {
      memset (dwt, 0, sizeof (float) * d.kk * d.f);
      for (int i = 0; i < n; i++)
        weight_grad_sample (&d, l->x + i * in_size, l->dy + i * out_size, dwt);
      transpose (dwt, d.kk, d.f, l->params[0].grad);
    }
  if (l->dx == NULL)
    return;
  /* dx[at] += Σ_j dy[j] · W[j][tap] */
  transpose (l->params[0].data, d.f, d.kk, wt);
  if (!accumulate)
    memset (l->dx, 0, sizeof (float) * n * in_size);
  for (int i = 0; i < n; i++)
    for (int oy = 0; oy < d.ho; oy++)
      for (int ox = 0; ox < d.wo; ox++)
        {
          const float *g = l->dy + i * out_size + ((gsize) oy * d.wo + ox) * d.f;
          for (int ky = 0; ky < d.k; ky++)
            for (int kx = 0; kx < d.k; kx++)
              {
                int iy = oy * d.stride - d.pad + ky, ix = ox * d.stride - d.pad + kx;
                if (iy < 0 || iy >= d.h || ix < 0 || ix >= d.w)
                  continue;
                for (int ch = 0; ch < d.c; ch++)
                  {
                    const float *wr = wt + (gsize) ((ky * d.k + kx) * d.c + ch) * d.f;
                    float sum = 0;
                    for (int j = 0; j < d.f; j++)
                      sum += g[j] * wr[j];
                    l->dx[i * in_size + ((gsize) iy * d.w + ix) * d.c + ch] += sum;
                  }
              }
        }
}
