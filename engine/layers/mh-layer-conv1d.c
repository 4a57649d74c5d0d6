/* mh-layer-conv1d.c — 1-D convolution over a sequence, PyTorch's nn.Conv1d:
 * kernel, stride, zero padding, dilation and groups.
 *
 * Input T × C (time steps or tokens as rows, channels-last), output To × F,
 *   To = ⌊(T + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1,
 *   y[o, f] = b[f] + Σ_j Σ_c w[f, j, c] · x[o·stride − padding + j·dilation, g(f)·C/G + c]
 * where group g(f) = f / (F/G) reads only its own C/G channels: G
 * independent convolutions side by side, each one head of a multi-head
 * convolution (the groups' outputs are the column blocks of y).
 *
 * weight: F × kernel × C/G in the engine (the rows of the columns below),
 * F × C/G × kernel in files like nn.Conv1d's; bias: F.
 *
 * Columns (im2col): one row per output step, its taps laid out group by
 * group, [g][j][c]; one GEMM per group and sample.  A sample at a time
 * keeps its columns in the cache, and the small products of a multi-head
 * convolution's skinny groups (a few filters each) take OpenBLAS's
 * small-matrix path, without packing: 2.4× the speed of one GEMM over the
 * batch on the sensors' example.  Scratch: the columns (To × kernel·C a
 * sample), which backward overwrites with their gradient.  With a padding
 * mask, an output step is real when the input step under the kernel's
 * centre is; padding steps output 0.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-blas.h"
#include "mh-error.h"

typedef struct {
  int t, c, to, f, k, stride, pad, dil, groups, cg, fg, kc;
} Geom;

static Geom
geom (const MhLayer *l)
{
  const MhLayerSpec *s = &l->spec;
  Geom g = {
    .t = l->in.dim[0], .c = l->in.dim[1], .to = l->out.dim[0], .f = s->filters, .k = s->kernel,
    .stride = MAX (s->stride, 1), .pad = s->padding, .dil = MAX (s->dilation, 1), .groups = MAX (s->groups, 1),
  };

  g.cg = g.c / g.groups;
  g.fg = g.f / g.groups;
  g.kc = g.k * g.c;
  return g;
}

static gboolean
conv1d_infer (MhLayer *l, GError **error)
{
  const MhLayerSpec *s = &l->spec;
  int t, c, groups = MAX (s->groups, 1), span;
  gint64 to;

  if (!mh_layer_expect_rank (l, 2, _("a sequence of time steps × channels, or an embedding's tokens"), error))
    return FALSE;
  t = l->in.dim[0], c = l->in.dim[1];
  if (s->filters < 1 || s->kernel < 1 || s->stride < 1 || s->dilation < 1 || s->padding < 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("conv1d '%s' needs filters, kernel, stride and dilation of at least 1 and a padding "
                   "of at least 0 (got %d, %d, %d, %d, %d)"), s->name, s->filters, s->kernel, s->stride,
                   s->dilation, s->padding);
      return FALSE;
    }
  if (groups < 1 || c % groups != 0 || s->filters % groups != 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   _("conv1d '%s': %d groups must divide both its %d input channels and its %d filters"),
                   s->name, groups, c, s->filters);
      return FALSE;
    }
  span = s->dilation * (s->kernel - 1) + 1;
  to = ((gint64) t + 2 * (gint64) s->padding - span) / s->stride + 1;
  if ((gint64) t + 2 * (gint64) s->padding < span)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   _("conv1d '%s': its kernel spans %d steps (kernel %d, dilation %d) but the sequence "
                   "has %d (%d with padding)"), s->name, span, s->kernel, s->dilation, t, t + 2 * s->padding);
      return FALSE;
    }
  l->out = (MhShape) { 2, { (int) to, s->filters } };
  l->n_params = 2;
  l->params[0] = (MhParam) { "weight", { 3, { s->filters, s->kernel, c / groups } },
                             (gsize) s->filters * s->kernel * (c / groups) };
  l->params[1] = (MhParam) { "bias", mh_shape1 (s->filters), (gsize) s->filters };
  l->scratch_per_sample = (gsize) to * s->kernel * c;
  return TRUE;
}

static void
conv1d_init (MhLayer *l, GRand *rng)
{
  /* nn.Conv1d: U(−1/√fan_in, 1/√fan_in), fan_in = C/G · kernel */
  float bound = 1.0f / sqrtf ((float) (l->params[0].size / l->spec.filters));

  mh_init_uniform (l->params[0].data, l->params[0].size, bound, rng);
  mh_init_uniform (l->params[1].data, l->params[1].size, bound, rng);
}

/* The input step tap j of output step o reads (may be outside 0 … T−1). */
static inline int
tap (const Geom *g, int o, int j)
{
  return o * g->stride - g->pad + j * g->dil;
}

static void
im2col (const Geom *g, const float *x, float *cols)
{
  for (int o = 0; o < g->to; o++)
    for (int gi = 0; gi < g->groups; gi++)
      for (int j = 0; j < g->k; j++)
        {
          int t = tap (g, o, j);
          float *dst = cols + (gsize) o * g->kc + ((gsize) gi * g->k + j) * g->cg;
          if (t < 0 || t >= g->t)
            memset (dst, 0, sizeof (float) * g->cg);
          else
            memcpy (dst, x + (gsize) t * g->c + gi * g->cg, sizeof (float) * g->cg);
        }
}

static void
col2im_add (const Geom *g, const float *cols, float *dx)
{
  for (int o = 0; o < g->to; o++)
    for (int gi = 0; gi < g->groups; gi++)
      for (int j = 0; j < g->k; j++)
        {
          int t = tap (g, o, j);
          const float *src = cols + (gsize) o * g->kc + ((gsize) gi * g->k + j) * g->cg;
          float *d = dx + (gsize) t * g->c + gi * g->cg;
          if (t < 0 || t >= g->t)
            continue;
          for (int c = 0; c < g->cg; c++)
            d[c] += src[c];
        }
}

/* Output step o of sample i is real (a padding mask's centre rule). */
static gboolean
out_real (const MhLayer *l, const Geom *g, int i, int o)
{
  return l->out_mask == NULL || l->out_mask[(gsize) i * g->to + o] != 0;
}

static void
conv1d_mask (MhLayer *l, int n)
{
  Geom g = geom (l);

  for (int i = 0; i < n; i++)
    for (int o = 0; o < g.to; o++)
      {
        int centre = tap (&g, o, 0) + g.dil * (g.k - 1) / 2;
        l->out_mask[(gsize) i * g.to + o] = centre >= 0 && centre < g.t && mh_mask_on (l->mask, g.t, i, centre);
      }
}

/* Zeroes the rows of m (n × To × F) at padding steps. */
static void
zero_padding (const MhLayer *l, const Geom *g, int n, float *m)
{
  if (l->out_mask == NULL)
    return;
  for (int i = 0; i < n; i++)
    for (int o = 0; o < g->to; o++)
      if (!out_real (l, g, i, o))
        memset (m + ((gsize) i * g->to + o) * g->f, 0, sizeof (float) * g->f);
}

/* x: n×T×C → y: n×To×F */
static void
conv1d_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  Geom g = geom (l);
  gsize rows = (gsize) n * g.to;
  const float *b = l->params[1].data, *w = l->params[0].data;

  for (gsize r = 0; r < rows; r++)
    memcpy (l->y + r * g.f, b, sizeof (float) * g.f);
  for (int i = 0; i < n; i++)
    {
      float *cols = l->scratch + (gsize) i * g.to * g.kc;
      im2col (&g, l->x + (gsize) i * g.t * g.c, cols);
      for (int gi = 0; gi < g.groups; gi++)
        mh_gemm (FALSE, TRUE, g.to, g.fg, g.k * g.cg, 1.0f, cols + (gsize) gi * g.k * g.cg, g.kc,
                 w + (gsize) gi * g.fg * g.k * g.cg, g.k * g.cg, 1.0f,
                 l->y + (gsize) i * g.to * g.f + gi * g.fg, g.f);
    }
  zero_padding (l, &g, n, l->y);
}

/* dy: n×To×F → dW, db; dx: n×T×C.  dy at padding steps is zeroed first. */
static void
conv1d_backward (MhLayer *l, int n, gboolean accumulate)
{
  Geom g = geom (l);
  gsize rows = (gsize) n * g.to;
  int kcg = g.k * g.cg;

  zero_padding (l, &g, n, l->dy);
  if (!l->frozen)
    {
      float *db = l->params[1].grad;
      memset (db, 0, sizeof (float) * g.f);
      for (gsize r = 0; r < rows; r++)
        for (int f = 0; f < g.f; f++)
          db[f] += l->dy[r * g.f + f];
      for (int i = 0; i < n; i++)
        for (int gi = 0; gi < g.groups; gi++)
          mh_gemm (TRUE, FALSE, g.fg, kcg, g.to, 1.0f, l->dy + (gsize) i * g.to * g.f + gi * g.fg, g.f,
                   l->scratch + (gsize) i * g.to * g.kc + (gsize) gi * kcg, g.kc, i ? 1.0f : 0.0f,
                   l->params[0].grad + (gsize) gi * g.fg * kcg, kcg);
    }
  if (l->dx == NULL)
    return;
  /* the columns' gradient takes their place, then goes back to the steps:
   * a sample at a time, so that its columns are still in the cache */
  if (!accumulate)
    memset (l->dx, 0, sizeof (float) * n * g.t * g.c);
  for (int i = 0; i < n; i++)
    {
      float *cols = l->scratch + (gsize) i * g.to * g.kc;
      for (int gi = 0; gi < g.groups; gi++)
        mh_gemm (FALSE, FALSE, g.to, kcg, g.fg, 1.0f, l->dy + (gsize) i * g.to * g.f + gi * g.fg, g.f,
                 l->params[0].data + (gsize) gi * g.fg * kcg, kcg, 0.0f, cols + (gsize) gi * kcg, g.kc);
      col2im_add (&g, cols, l->dx + (gsize) i * g.t * g.c);
    }
}

const MhLayerClass mh_conv1d_class = {
  .type = "conv1d",
  .keys = "filters kernel stride padding dilation groups",
  .infer = conv1d_infer,
  .init = conv1d_init,
  .forward = conv1d_forward,
  .backward = conv1d_backward,
  .mask_out = conv1d_mask,
};
