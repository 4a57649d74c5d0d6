/* mh-layer-rnn.c — the recurrent layers gru and lstm, PyTorch's nn.GRU and
 * nn.LSTM (batch_first): hidden size H ("hidden"), stacked layers
 * ("num_layers"), one or two directions ("bidirectional"), and either the
 * last state ("mode": "last", H·dirs outputs: the forward pass's final state
 * then the backward pass's) or every state ("all", T × H·dirs).
 *
 * Parameters are named and laid out as nn.GRU's and nn.LSTM's, gate blocks
 * in their order (r, z, n; i, f, g, o), so they map one to one:
 *   weight_ih_l{k}[_reverse]  G·H × I_k    (I_0 = the input's size, then H·dirs)
 *   weight_hh_l{k}[_reverse]  G·H × H
 *   bias_ih_l{k}[_reverse], bias_hh_l{k}[_reverse]  G·H
 * The cells' equations are in mh-layer-rnn-cells.h.
 *
 * The batch goes through together: for each layer and direction the input
 * part of every gate, for all n·T rows, is one GEMM up front; then one GEMM
 * a time step gives the state part of all gate blocks of all n samples.
 * Backward runs the steps in reverse with one GEMM a step (the gradient
 * through W_hh), then W_hh's gradient is one GEMM over all steps, and
 * W_ih's and the input's one each.  These GEMMs over steps run on packed
 * rows only (below): a word's padding costs them nothing.
 *
 * Padding (the mask, see mh-layer.h) is left out as nn.GRU leaves out the
 * end of a packed sequence: at a padding step the state is carried over
 * unchanged and the output is 0, so for each direction the final state is
 * the one after its last real step, wherever the padding is.
 *
 * Padding costs nothing, as in a packed sequence: the samples are taken
 * longest first (an order kept in iscratch), so at each step those with a
 * real token there come first when the real tokens of each sample lie
 * together (right- or left-aligned words), and the step's GEMM runs over
 * that prefix only; the rest carry their state over.  Those prefixes, step
 * after step, are the packed rows (time-major, as a PyTorch packed
 * sequence): the input parts and gates, b_n, the gradients da and db and a
 * packed copy of each layer's input are kept there, so the input
 * projection, W_ih's gradient and the input's gradient are GEMMs over the
 * real tokens only.
 *
 * States are kept time-major in that order, (T + 1) × n × H per direction:
 * S[0] is h₀ = 0 for the forward pass and S[T] for the backward one, and the
 * state after step t is S[t + 1] (forward) or S[t] (backward).  Backward
 * packs each step's active rows of the state parts' gradient and of the
 * previous states together, for one GEMM giving W_hh's gradient (the states
 * are used up: backward runs once after each forward).
 */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-layer.h"
#include "mh-blas.h"
#include "mh-error.h"
#include "mh-vecmath.h"
#include "mh-layer-rnn-cells.h"
#include "mh-simd.h"

#define MH_RNN_MAX_LAYERS 4

enum { P_W_IH, P_W_HH, P_B_IH, P_B_HH, P_PER_DIR };

#define NAMES(k) \
  { { "weight_ih_l" #k, "weight_hh_l" #k, "bias_ih_l" #k, "bias_hh_l" #k }, \
    { "weight_ih_l" #k "_reverse", "weight_hh_l" #k "_reverse", "bias_ih_l" #k "_reverse", \
      "bias_hh_l" #k "_reverse" } }
static const char *const param_names[MH_RNN_MAX_LAYERS][2][P_PER_DIR] = {
  NAMES (0), NAMES (1), NAMES (2), NAMES (3)
};

static const char *const rnn_modes[] = { "last", "all", NULL };

typedef struct {
  int      t, in, h, layers, dirs, gates, gh;
  gboolean lstm, all;
} Geom;

static Geom
geom (const MhLayer *l)
{
  const MhLayerSpec *s = &l->spec;
  Geom g = {
    .t = l->in.dim[0], .in = l->in.dim[1], .h = s->hidden, .layers = s->num_layers,
    .dirs = s->bidirectional ? 2 : 1, .lstm = l->klass == &mh_lstm_class,
    .all = g_strcmp0 (mh_layer_mode (l), "all") == 0,
  };

  g.gates = g.lstm ? 4 : 3;
  g.gh = g.gates * g.h;
  return g;
}

static int
layer_in (const Geom *g, int k)
{
  return k == 0 ? g->in : g->h * g->dirs;
}

static MhParam *
param (MhLayer *l, int k, int r, int which)
{
  return &l->params[(k * (l->spec.bidirectional ? 2 : 1) + r) * P_PER_DIR + which];
}

/* ---- scratch ------------------------------------------------------------- */

typedef struct {
  float *xa;    /* packed rows × G·H: the input parts, then the gates' values */
  float *s;     /* (T + 1) × n × H: the states */
  float *c;     /* (T + 1) × n × H: the LSTM's cell states */
  float *bn;    /* packed rows × H: the GRU's b_n */
} Dir;

typedef struct {
  Dir    dir[MH_RNN_MAX_LAYERS][2];
  float *out[MH_RNN_MAX_LAYERS];   /* n × T × H·dirs: the outputs of the layers under the top */
  float *xp[MH_RNN_MAX_LAYERS];    /* packed rows × I_k: each layer's input, packed */
  float *dxp;                      /* packed rows × max I_k: the gradient at the packed input */
  float *da;                       /* packed rows × G·H: the input parts' gradient */
  float *db;                       /* packed rows × G·H: the GRU's state parts' gradient
                                    * (forward: b of one step; the LSTM's is da) */
  float *dh, *dh2, *dc, *dc2;      /* n × H */
  float *dout[2];                  /* n × T × H·dirs: the gradient at a lower layer's output */
} Bufs;

/* Lays the regions out in l->scratch for n samples (only counts when the
 * scratch is not bound); returns the floats they take. */
static gsize
carve (const MhLayer *l, int n, Bufs *b)
{
  Geom g = geom (l);
  gsize at = 0, nt = (gsize) n * g.t, hd = (gsize) g.h * g.dirs;

  memset (b, 0, sizeof *b);
#define TAKE(ptr, len) ((ptr) = l->scratch != NULL ? l->scratch + at : NULL, at += (len))
  for (int k = 0; k < g.layers; k++)
    {
      for (int r = 0; r < g.dirs; r++)
        {
          Dir *d = &b->dir[k][r];
          TAKE (d->xa, nt * g.gh);
          TAKE (d->s, (nt + n) * g.h);
          if (g.lstm)
            TAKE (d->c, (nt + n) * g.h);
          else
            TAKE (d->bn, nt * g.h);
        }
      TAKE (b->xp[k], nt * layer_in (&g, k));
      if (k + 1 < g.layers)
        TAKE (b->out[k], nt * hd);
    }
  TAKE (b->dxp, nt * MAX (g.in, (int) hd));
  TAKE (b->da, nt * g.gh);
  TAKE (b->db, nt * g.gh);
  TAKE (b->dh, (gsize) n * g.h);
  TAKE (b->dh2, (gsize) n * g.h);
  TAKE (b->dc, (gsize) n * g.h);
  TAKE (b->dc2, (gsize) n * g.h);
  if (g.layers > 1)
    {
      TAKE (b->dout[0], nt * hd);
      TAKE (b->dout[1], nt * hd);
    }
#undef TAKE
  return at;
}

/* ---- shapes and parameters ----------------------------------------------- */

static gboolean
rnn_infer (MhLayer *l, GError **error)
{
  const MhLayerSpec *s = &l->spec;
  Geom g;
  Bufs b;

  if (!mh_layer_expect_rank (l, 2, _("a sequence of steps × features: put it after an embedding or conv1d"),
                             error)
      || !mh_layer_check_mode (l, error))
    return FALSE;
  if (s->hidden < 1 || s->num_layers < 1 || s->num_layers > MH_RNN_MAX_LAYERS)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s '%s' needs a hidden size of at least 1 and 1 to %d layers (hidden = %d, num_layers = %d)"),
                   l->klass->type, s->name, MH_RNN_MAX_LAYERS, s->hidden, s->num_layers);
      return FALSE;
    }
  g = geom (l);
  l->out = g.all ? (MhShape) { 2, { g.t, g.h * g.dirs } } : mh_shape1 (g.h * g.dirs);
  l->n_params = g.layers * g.dirs * P_PER_DIR;
  for (int k = 0; k < g.layers; k++)
    for (int r = 0; r < g.dirs; r++)
      {
        const char *const *names = param_names[k][r];
        int in = layer_in (&g, k);
        *param (l, k, r, P_W_IH) = (MhParam) { names[P_W_IH], { 2, { g.gh, in } }, (gsize) g.gh * in };
        *param (l, k, r, P_W_HH) = (MhParam) { names[P_W_HH], { 2, { g.gh, g.h } }, (gsize) g.gh * g.h };
        *param (l, k, r, P_B_IH) = (MhParam) { names[P_B_IH], mh_shape1 (g.gh), (gsize) g.gh };
        *param (l, k, r, P_B_HH) = (MhParam) { names[P_B_HH], mh_shape1 (g.gh), (gsize) g.gh };
      }
  l->scratch_per_sample = carve (l, 1, &b);
  /* the order (n), each step's active count (T) and first packed row (T + 1) */
  l->iscratch_per_sample = 2 + 2 * g.t;
  return TRUE;
}

/* nn.GRU and nn.LSTM: every parameter U(−1/√H, 1/√H). */
static void
rnn_init (MhLayer *l, GRand *rng)
{
  float bound = 1.0f / sqrtf ((float) l->spec.hidden);

  for (int p = 0; p < l->n_params; p++)
    mh_init_uniform (l->params[p].data, l->params[p].size, bound, rng);
}

/* ---- forward ------------------------------------------------------------- */

/* y (rows × cols) = bias in every row, then += x·Wᵀ */
static void
project (int rows, int in, int out, const float *x, int ldx, const MhParam *w, const MhParam *bias,
         float *y)
{
  for (int r = 0; r < rows; r++)
    memcpy (y + (gsize) r * out, bias->data, sizeof (float) * out);
  mh_gemm (FALSE, TRUE, rows, out, in, 1.0f, x, ldx, w->data, in, 1.0f, y, out);
}

/* order: the batch sorted by real tokens, longest first; active as below */
static void
sort_by_length (const MhLayer *l, const Geom *g, int n, int *order, int *active)
{
  /* insertion sort by real tokens, descending, stable: batches are small */
  for (int i = 1; i < n; i++)
    {
      int s = order[i], len = 0, j = i - 1;
      for (int t = 0; t < g->t; t++)
        len += l->mask[(gsize) s * g->t + t] != 0;
      for (; j >= 0; j--)
        {
          int other = 0;
          for (int t = 0; t < g->t; t++)
            other += l->mask[(gsize) order[j] * g->t + t] != 0;
          if (other >= len)
            break;
          order[j + 1] = order[j];
        }
      order[j + 1] = s;
    }
  for (int t = 0; t < g->t; t++)
    {
      active[t] = 0;
      for (int p = 0; p < n; p++)
        if (l->mask[(gsize) order[p] * g->t + t])
          active[t] = p + 1;
    }
}

/* The batch, longest first: order[p] is the p-th sample; active[t] is one
 * more than the last place p whose sample has a real token at step t.
 * Packed rows: step t's places p < active[t], time-major; off[t] is the
 * first of step t's, off[T] their number. */
static void
order_batch (const MhLayer *l, const Geom *g, int n, int *order, int *active, int *off)
{
  for (int i = 0; i < n; i++)
    order[i] = i;
  if (l->mask == NULL)
    for (int t = 0; t < g->t; t++)
      active[t] = n;
  else
    sort_by_length (l, g, n, order, active);
  off[0] = 0;
  for (int t = 0; t < g->t; t++)
    off[t + 1] = off[t] + active[t];
}

/* xp (packed rows × cols) = the rows of x (n × T × cols) of the packed places */
static void
pack_rows (const Geom *g, const float *x, int cols, const int *order, const int *active,
           const int *off, float *xp)
{
  for (int t = 0; t < g->t; t++)
    for (int p = 0; p < active[t]; p++)
      memcpy (xp + ((gsize) off[t] + p) * cols, x + ((gsize) order[p] * g->t + t) * cols,
              sizeof (float) * cols);
}

/* dx (n × T × cols) = (or += when add) dxp at the packed places, 0 (or as it
 * is) elsewhere */
static void
unpack_rows (const Geom *g, int n, const float *dxp, int cols, const int *order, const int *active,
             const int *off, float *dx, gboolean add)
{
  if (!add)
    memset (dx, 0, sizeof (float) * n * g->t * cols);
  for (int t = 0; t < g->t; t++)
    for (int p = 0; p < active[t]; p++)
      {
        const float *src = dxp + ((gsize) off[t] + p) * cols;
        float *dst = dx + ((gsize) order[p] * g->t + t) * cols;
        for (int c = 0; c < cols; c++)
          dst[c] += src[c];
      }
}

/* One direction r of layer k over the whole batch: x (n × T × in) → the
 * states, and the outputs into out (n × T × out_ld, at column r·H) unless
 * out is NULL. */
MH_HOT static void
direction_forward (MhLayer *l, const Geom *g, const Bufs *b, int n, int k, int r, float *out,
                   int out_ld, const int *order, const int *active, const int *off)
{
  const Dir *d = &b->dir[k][r];
  int in = layer_in (g, k), h = g->h, t_len = g->t;
  gsize nh = (gsize) n * h;
  float *hb = b->db;   /* free during forward: one step's state parts */

  project (off[t_len], in, g->gh, b->xp[k], in, param (l, k, r, P_W_IH), param (l, k, r, P_B_IH), d->xa);
  memset (d->s + (r == 0 ? 0 : (gsize) t_len * nh), 0, sizeof (float) * nh);
  if (g->lstm)
    memset (d->c + (r == 0 ? 0 : (gsize) t_len * nh), 0, sizeof (float) * nh);
  for (int step = 0; step < t_len; step++)
    {
      int t = r == 0 ? step : t_len - 1 - step, prev = r == 0 ? t : t + 1, cur = r == 0 ? t + 1 : t;
      int act = active[t];
      const float *sp = d->s + (gsize) prev * nh, *cp = g->lstm ? d->c + (gsize) prev * nh : NULL;
      float *sc = d->s + (gsize) cur * nh, *cc = g->lstm ? d->c + (gsize) cur * nh : NULL;

      if (act > 0)
        project (act, h, g->gh, sp, h, param (l, k, r, P_W_HH), param (l, k, r, P_B_HH), hb);
      for (int p = 0; p < n; p++)
        {
          int i = order[p];
          gsize row = (gsize) i * t_len + t, at = (gsize) p * h, pr = (gsize) off[t] + p;
          float *xa = d->xa + pr * g->gh, *o = out != NULL ? out + row * out_ld + r * h : NULL;

          if (p >= act || !mh_mask_on (l->mask, t_len, i, t))
            {
              memcpy (sc + at, sp + at, sizeof (float) * h);
              if (g->lstm)
                memcpy (cc + at, cp + at, sizeof (float) * h);
              if (o != NULL)
                memset (o, 0, sizeof (float) * h);
              continue;
            }
          if (g->lstm)
            mh_lstm_cell_forward (h, xa, hb + (gsize) p * g->gh, cp + at, cc + at, sc + at);
          else
            mh_gru_cell_forward (h, xa, hb + (gsize) p * g->gh, sp + at, sc + at, d->bn + pr * h);
          if (o != NULL)
            memcpy (o, sc + at, sizeof (float) * h);
        }
    }
}

/* x: n×T×I → y: n×T×H·dirs ("all") or n×H·dirs ("last") */
static void
rnn_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  Geom g = geom (l);
  int hd = g.h * g.dirs;
  gsize nh = (gsize) n * g.h;
  int *order = l->iscratch, *active = order + n, *off = active + g.t;
  Bufs b;

  carve (l, n, &b);
  order_batch (l, &g, n, order, active, off);
  for (int k = 0; k < g.layers; k++)
    {
      gboolean top = k + 1 == g.layers;
      const float *x = k == 0 ? l->x : b.out[k - 1];
      float *out = !top ? b.out[k] : g.all ? l->y : NULL;
      pack_rows (&g, x, layer_in (&g, k), order, active, off, b.xp[k]);
      for (int r = 0; r < g.dirs; r++)
        direction_forward (l, &g, &b, n, k, r, out, hd, order, active, off);
    }
  if (g.all)
    return;
  for (int r = 0; r < g.dirs; r++)
    {
      const float *final = b.dir[g.layers - 1][r].s + (r == 0 ? (gsize) g.t * nh : 0);
      for (int p = 0; p < n; p++)
        memcpy (l->y + (gsize) order[p] * hd + r * g.h, final + (gsize) p * g.h, sizeof (float) * g.h);
    }
}

/* ---- backward ------------------------------------------------------------ */

/* Direction r of layer k, steps in reverse.  dout: the gradient at this
 * layer's per-step outputs (n × T × out_ld, column r·H; NULL: none), dlast:
 * at its final states (n × out_ld; NULL: none).  Leaves the input parts'
 * gradient in b->da and the state parts' in b->db (the LSTM's: b->da), at
 * the packed rows; then the parameter gradients, and the packed input's
 * gradient b->dxp (= or += when add) da·W_ih unless dx is FALSE. */
MH_HOT static void
direction_backward (MhLayer *l, const Geom *g, const Bufs *b, int n, int k, int r,
                    const float *dout, const float *dlast, int out_ld, gboolean dx, gboolean add,
                    const int *order, const int *active, const int *off)
{
  const Dir *d = &b->dir[k][r];
  int in = layer_in (g, k), h = g->h, t_len = g->t, gh = g->gh;
  gsize nh = (gsize) n * h, packed = (gsize) off[t_len];
  float *dh = b->dh, *dh2 = b->dh2, *dc = b->dc, *dc2 = b->dc2;
  float *db = g->lstm ? b->da : b->db;
  const MhParam *w_ih = param (l, k, r, P_W_IH), *w_hh = param (l, k, r, P_W_HH);

  for (int p = 0; p < n; p++)
    if (dlast != NULL)
      memcpy (dh + (gsize) p * h, dlast + (gsize) order[p] * out_ld + r * h, sizeof (float) * h);
    else
      memset (dh + (gsize) p * h, 0, sizeof (float) * h);
  memset (dc, 0, sizeof (float) * nh);
  for (int step = t_len - 1; step >= 0; step--)
    {
      int t = r == 0 ? step : t_len - 1 - step, prev = r == 0 ? t : t + 1, cur = r == 0 ? t + 1 : t;
      int act = active[t];
      const float *sp = d->s + (gsize) prev * nh;
      float *dbt = db + (gsize) off[t] * gh;

      for (int p = 0; p < n; p++)
        {
          int i = order[p];
          gsize row = (gsize) i * t_len + t, at = (gsize) p * h, pr = (gsize) off[t] + p;
          float *dhi = dh + at, *da = b->da + pr * gh, *dbi = dbt + (gsize) p * gh;

          if (p >= act || !mh_mask_on (l->mask, t_len, i, t))
            {
              /* carried over: the gradient goes on to the previous step as it is */
              if (p < act)
                {
                  memset (da, 0, sizeof (float) * gh);
                  memset (dbi, 0, sizeof (float) * gh);
                }
              memcpy (dh2 + at, dhi, sizeof (float) * h);
              memcpy (dc2 + at, dc + at, sizeof (float) * h);
              continue;
            }
          if (dout != NULL)
            {
              const float *o = dout + row * out_ld + r * h;
              for (int j = 0; j < h; j++)
                dhi[j] += o[j];
            }
          if (g->lstm)
            mh_lstm_cell_backward (h, d->xa + pr * gh, d->c + (gsize) prev * nh + at,
                                   d->c + (gsize) cur * nh + at, dhi, dc + at, da, dc2 + at, dh2 + at);
          else
            mh_gru_cell_backward (h, d->xa + pr * gh, d->bn + pr * h, sp + at, dhi, da, dbi, dh2 + at);
        }
      /* the gradient on to the previous state: dh₂ += db·W_hh, for the active rows */
      if (act > 0)
        mh_gemm (FALSE, FALSE, act, h, gh, 1.0f, dbt, gh, w_hh->data, h, 1.0f, dh2, h);
      float *swap = dh;
      dh = dh2, dh2 = swap;
      swap = dc, dc = dc2, dc2 = swap;
    }
  if (!l->frozen)
    {
      /* each step's active rows of the previous states, packed in step order
       * (in place: a step's rows never move forward) */
      float *s_packed = d->s;
      for (int t = 0; t < t_len; t++)
        {
          int prev = r == 0 ? t : t + 1;
          memmove (s_packed + (gsize) off[t] * h, d->s + (gsize) prev * nh, sizeof (float) * active[t] * h);
        }
      if (packed > 0)
        {
          mh_gemm (TRUE, FALSE, gh, h, (int) packed, 1.0f, db, gh, s_packed, h, 0.0f, w_hh->grad, h);
          mh_gemm (TRUE, FALSE, gh, in, (int) packed, 1.0f, b->da, gh, b->xp[k], in, 0.0f, w_ih->grad, in);
        }
      else
        {
          memset (w_hh->grad, 0, sizeof (float) * w_hh->size);
          memset (w_ih->grad, 0, sizeof (float) * w_ih->size);
        }
      mh_column_sums (db, packed, gh, param (l, k, r, P_B_HH)->grad);
      mh_column_sums (b->da, packed, gh, param (l, k, r, P_B_IH)->grad);
    }
  if (dx && packed > 0)
    mh_gemm (FALSE, FALSE, (int) packed, in, gh, 1.0f, b->da, gh, w_ih->data, in, add ? 1.0f : 0.0f,
             b->dxp, in);
}

/* dy → parameter gradients; dx (written, or added to when accumulate). */
static void
rnn_backward (MhLayer *l, int n, gboolean accumulate)
{
  Geom g = geom (l);
  int hd = g.h * g.dirs, *order = l->iscratch, *active = order + n, *off = active + g.t;
  Bufs b;

  if (l->frozen && l->dx == NULL)
    return;
  carve (l, n, &b);
  order_batch (l, &g, n, order, active, off);
  for (int k = g.layers - 1; k >= 0; k--)
    {
      gboolean top = k + 1 == g.layers;
      const float *dout = top ? (g.all ? l->dy : NULL) : b.dout[k % 2];
      const float *dlast = top && !g.all ? l->dy : NULL;
      float *dx = k == 0 ? l->dx : b.dout[(k - 1) % 2];
      gboolean add = k == 0 ? accumulate : FALSE;

      for (int r = 0; r < g.dirs; r++)
        direction_backward (l, &g, &b, n, k, r, dout, dlast, hd, dx != NULL, r > 0, order, active, off);
      if (dx != NULL)
        unpack_rows (&g, n, b.dxp, layer_in (&g, k), order, active, off, dx, add);
    }
}

const MhLayerClass mh_gru_class = {
  .type = "gru",
  .keys = "hidden num_layers bidirectional mode",
  .modes = rnn_modes,
  .infer = rnn_infer,
  .init = rnn_init,
  .forward = rnn_forward,
  .backward = rnn_backward,
};

const MhLayerClass mh_lstm_class = {
  .type = "lstm",
  .keys = "hidden num_layers bidirectional mode",
  .modes = rnn_modes,
  .infer = rnn_infer,
  .init = rnn_init,
  .forward = rnn_forward,
  .backward = rnn_backward,
};
