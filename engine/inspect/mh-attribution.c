/* mh-attribution.c — Grad-CAM, gradient-weighted attention rollout and
 * gradient × input for every head of one input (mh-attribution.h). */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-attribution.h"
#include "mh-attention-maps.h"
#include "mh-blas.h"
#include "mh-error.h"
#include "mh-layer-attention.h"

/* How one head is explained. */
typedef struct {
  MhAttributionMethod method;
  int       layer;       /* grad-cam, grad-input: the backbone layer read; -1: the input */
  int       n_att;       /* grad-rollout: the first n_att attention layers are read */
  gboolean  class_row;   /* grad-rollout: the class token's row (else the rows' mean) */
  gboolean  by_channel;  /* grad-input on signals (T × C): a row per channel, not summed */
  gboolean  tokens;      /* grad-input on text: 0 where the input is padding */
  char     *name;        /* what it reads, for people */
  int       rows, cols, channels;
} Plan;

struct _MhAttributor {
  MhModel            *model;
  MhAttributionMethod method;
  Plan               *plans;      /* per head */
  MhAttentionInfo     info;       /* when the backbone has attention layers */
  gboolean            has_attention;
  int                *att_index;  /* info.n_layers: each attention layer's backbone index */
  float              *dprobs;     /* every attention layer's ∂y/∂P, one sample */
  float              *r, *tmp;    /* T × T, 2 · T × T */
  float              *raw;        /* the largest grid */
};

/* ---- the parts ------------------------------------------------------------ */

void
mh_grad_cam (const float *act, const float *grad, int positions, int channels, float *out)
{
  g_autofree float *alpha = g_new0 (float, MAX (channels, 1));

  for (int p = 0; p < positions; p++)
    for (int c = 0; c < channels; c++)
      alpha[c] += grad[(gsize) p * channels + c];
  for (int c = 0; c < channels; c++)
    alpha[c] /= positions;
  for (int p = 0; p < positions; p++)
    {
      const float *a = act + (gsize) p * channels;
      double sum = 0;
      for (int c = 0; c < channels; c++)
        sum += (double) alpha[c] * a[c];
      out[p] = (float) sum;
    }
}

void
mh_grad_times_input (const float *x, const float *grad, int positions, int channels, float *out)
{
  for (int p = 0; p < positions; p++)
    {
      double sum = 0;
      for (int c = 0; c < channels; c++)
        sum += (double) x[(gsize) p * channels + c] * grad[(gsize) p * channels + c];
      out[p] = (float) sum;
    }
}

void
mh_relevance_step (const float *p, const float *dp, int heads, int t, float *r, float *tmp)
{
  gsize tt = (gsize) t * t;
  float *a = tmp, *product = tmp + tt;

  memset (a, 0, sizeof (float) * tt);
  for (int h = 0; h < heads; h++)
    for (gsize i = 0; i < tt; i++)
      a[i] += MAX (0.0f, dp[h * tt + i] * p[h * tt + i]) / heads;
  mh_gemm (FALSE, FALSE, t, t, t, 1.0f, a, t, r, t, 0.0f, product, t);
  for (gsize i = 0; i < tt; i++)
    r[i] += product[i];
}

float
mh_attribution_normalise (float *map, gsize n)
{
  float max = 0;

  for (gsize i = 0; i < n; i++)
    {
      map[i] = map[i] > 0 ? map[i] : 0.0f;   /* NaN goes to 0 too */
      max = MAX (max, map[i]);
    }
  if (max > 0 && isfinite (max))
    for (gsize i = 0; i < n; i++)
      map[i] /= max;
  else
    memset (map, 0, sizeof (float) * n);
  return isfinite (max) ? max : 0.0f;
}

int
mh_attribution_peak_cell (const MhAttributionMap *map)
{
  int best = 0;

  for (int i = 1; i < map->rows * map->cols; i++)
    if (map->map[i] > map->map[best])
      best = i;
  return best;
}

gboolean
mh_attribution_points_into (const MhAttributionMap *map, const float box[4])
{
  int cell = mh_attribution_peak_cell (map);
  double x = (cell % map->cols + 0.5) / map->cols, y = (cell / map->cols + 0.5) / map->rows;

  const double e = 1e-6;   /* a centre on a box's edge (both at pixel edges, in float) is inside */

  return map->peak > 0 && x >= box[0] - e && x <= box[2] + e && y >= box[1] - e && y <= box[3] + e;
}

/* ---- names ---------------------------------------------------------------- */

static const char *const method_names[] = { "auto", "grad-cam", "grad-rollout", "grad-input", NULL };

const char *
mh_attribution_method_name (MhAttributionMethod method)
{
  g_return_val_if_fail (method >= 0 && method < G_N_ELEMENTS (method_names) - 1, NULL);
  return method_names[method];
}

gboolean
mh_attribution_method_from_name (const char *name, MhAttributionMethod *out)
{
  for (int i = 0; method_names[i] != NULL; i++)
    if (g_strcmp0 (name, method_names[i]) == 0)
      {
        *out = (MhAttributionMethod) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- planning ------------------------------------------------------------- */

static MhLayer *
backbone_layer (const MhModel *m, int i)
{
  return m->backbone->pdata[i];
}

static gboolean
is_conv (const MhLayer *l)
{
  return g_str_has_prefix (l->klass->type, "conv");   /* conv2d, and conv1d for sequences */
}

static gboolean
is_activation (const MhLayer *l)
{
  return l->klass == &mh_relu_class || l->klass == &mh_gelu_class;
}

/* The grid of positions of a shape: H × W (× C), or 1 × T (× C) for a
 * sequence, or 1 × D of single values.  FALSE for a rank it cannot lay out. */
static gboolean
grid_of (MhShape s, gboolean allow_vector, int *rows, int *cols, int *channels)
{
  if (s.rank == 3)
    *rows = s.dim[0], *cols = s.dim[1], *channels = s.dim[2];
  else if (s.rank == 2)
    *rows = 1, *cols = s.dim[0], *channels = s.dim[1];
  else if (s.rank == 1 && allow_vector)
    *rows = 1, *cols = s.dim[0], *channels = 1;
  else
    return FALSE;
  return TRUE;
}

/* The last convolution at or before backbone layer `attach`, with the
 * activation after it; -1: none. */
static int
default_cam_layer (const MhModel *m, int attach)
{
  for (int i = attach; i >= 0; i--)
    if (is_conv (backbone_layer (m, i)))
      return i + 1 <= attach && is_activation (backbone_layer (m, i + 1)) ? i + 1 : i;
  return -1;
}

/* Gradient × input at backbone layer `layer` (-1: the input; on text the
 * embedding's output, token ids having no gradient). */
static void
plan_input (MhAttributor *a, Plan *plan, int layer)
{
  MhModel *m = a->model;
  MhShape s;

  if (layer < 0 && m->input_kind == MH_INPUT_TOKENS && m->backbone->len > 0)
    layer = 0;
  s = layer < 0 ? m->input : backbone_layer (m, layer)->out;
  plan->method = MH_ATTRIBUTION_GRAD_INPUT;
  plan->layer = layer;
  plan->name = g_strdup (layer < 0 ? "input" : backbone_layer (m, layer)->spec.name);
  plan->tokens = m->input_kind == MH_INPUT_TOKENS && s.rank == 2 && s.dim[0] == m->input.dim[0];
  if (layer < 0 && s.rank == 2 && m->input_kind == MH_INPUT_SIGNALS)
    {
      plan->by_channel = TRUE;   /* channels × time steps */
      plan->rows = s.dim[1], plan->cols = s.dim[0], plan->channels = 1;
    }
  else if (!grid_of (s, TRUE, &plan->rows, &plan->cols, &plan->channels))
    plan->rows = 1, plan->cols = (int) mh_shape_size (&s), plan->channels = 1;
}

/* Whether the head reads the class token: the select_token between the last
 * attention layer it reads and its output (in the backbone or the head). */
static gboolean
reads_class_token (const MhAttributor *a, const MhHead *head, int last_att)
{
  const MhModel *m = a->model;

  if (!a->info.has_class_token)
    return FALSE;
  for (int i = last_att + 1; i <= head->attach; i++)
    if (backbone_layer (m, i)->klass == &mh_select_token_class)
      return g_strcmp0 (backbone_layer (m, i)->spec.mode, "mean") != 0;
  for (guint i = 0; i < head->layers->len; i++)
    {
      const MhLayer *l = head->layers->pdata[i];
      if (l->klass == &mh_select_token_class)
        return g_strcmp0 (l->spec.mode, "mean") != 0;
    }
  return FALSE;
}

static void
plan_rollout (MhAttributor *a, Plan *plan, const MhHead *head)
{
  const MhModel *m = a->model;
  int n = 0;

  while (n < a->info.n_layers && a->att_index[n] <= head->attach)
    n++;
  if (n == 0)
    {
      plan_input (a, plan, -1);
      return;
    }
  plan->method = MH_ATTRIBUTION_GRAD_ROLLOUT;
  plan->n_att = n;
  plan->class_row = reads_class_token (a, head, a->att_index[n - 1]);
  plan->name = n == 1 ? g_strdup (backbone_layer (m, a->att_index[0])->spec.name)
                      : g_strdup_printf ("%s–%s", backbone_layer (m, a->att_index[0])->spec.name,
                                         backbone_layer (m, a->att_index[n - 1])->spec.name);
  plan->channels = 1;
  if (a->info.grid_h > 0)
    plan->rows = a->info.grid_h, plan->cols = a->info.grid_w;
  else
    plan->rows = 1, plan->cols = a->info.tokens - a->info.first_patch;
}

static void
plan_cam (MhAttributor *a, Plan *plan, const MhHead *head, int chosen)
{
  int layer = chosen >= 0 && chosen <= head->attach ? chosen : default_cam_layer (a->model, head->attach);
  MhLayer *l;

  if (layer < 0)
    {
      plan_input (a, plan, -1);
      return;
    }
  l = backbone_layer (a->model, layer);
  plan->method = MH_ATTRIBUTION_GRAD_CAM;
  plan->layer = layer;
  plan->name = g_strdup (l->spec.name);
  grid_of (l->out, FALSE, &plan->rows, &plan->cols, &plan->channels);
}

static int
find_layer (const MhModel *m, const char *name)
{
  for (guint i = 0; i < m->backbone->len; i++)
    if (g_strcmp0 (backbone_layer (m, i)->spec.name, name) == 0)
      return (int) i;
  return -1;
}

/* The method, resolved, and the chosen layer's index (-1: none), or an error. */
static gboolean
resolve (MhAttributor *a, MhAttributionMethod method, const char *layer, int *chosen,
         const char *where, GError **error)
{
  const MhModel *m = a->model;
  gboolean has_conv = FALSE;
  int r, c, ch;

  for (guint i = 0; i < m->backbone->len; i++)
    has_conv = has_conv || is_conv (backbone_layer (m, i));
  *chosen = -1;
  if (layer != NULL)
    {
      g_autofree char *names = NULL;
      *chosen = find_layer (m, layer);
      if (*chosen < 0)
        {
          GString *s = g_string_new (NULL);
          for (guint i = 0; i < m->backbone->len; i++)
            g_string_append_printf (s, "%s%s", i ? ", " : "", backbone_layer (m, i)->spec.name);
          names = g_string_free (s, FALSE);
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the backbone has no layer '%s' (it has: %s)"),
                       where, layer, names);
          return FALSE;
        }
      if (method == MH_ATTRIBUTION_AUTO)
        method = MH_ATTRIBUTION_GRAD_CAM;
    }
  /* sequences (text, signals) get gradient × input: per character, per
   * time step and channel, finer than a convolution's map */
  if (method == MH_ATTRIBUTION_AUTO)
    method = a->has_attention ? MH_ATTRIBUTION_GRAD_ROLLOUT
           : has_conv && m->input_kind == MH_INPUT_PIXELS ? MH_ATTRIBUTION_GRAD_CAM : MH_ATTRIBUTION_GRAD_INPUT;
  if (method == MH_ATTRIBUTION_GRAD_ROLLOUT && !a->has_attention)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: grad-rollout needs attention layers (transformer_block or attention) in the "
                   "backbone: use grad-cam or grad-input"), where);
      return FALSE;
    }
  if (method == MH_ATTRIBUTION_GRAD_CAM && *chosen < 0 && !has_conv)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: grad-cam needs a convolution in the backbone (or a layer chosen): use "
                   "grad-input"), where);
      return FALSE;
    }
  if (*chosen >= 0 && method == MH_ATTRIBUTION_GRAD_CAM
      && !grid_of (backbone_layer (m, *chosen)->out, FALSE, &r, &c, &ch))
    {
      g_autofree char *shape = mh_shape_to_string (&backbone_layer (m, *chosen)->out);
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: layer '%s' gives %s, which has no positions for grad-cam to weigh: choose a "
                   "convolution or a layer of tokens"), where, layer, shape);
      return FALSE;
    }
  if (method == MH_ATTRIBUTION_GRAD_ROLLOUT && *chosen >= 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: grad-rollout reads every attention layer: it takes no layer ('%s')"), where, layer);
      return FALSE;
    }
  a->method = method;
  return TRUE;
}

/* The attention layers' indices and ∂y/∂P buffers. */
static void
bind_attention (MhAttributor *a)
{
  MhModel *m = a->model;
  gsize need = 0, at = 0, tt;
  int k = 0;

  a->has_attention = mh_attention_info (m, &a->info, "model", NULL);
  if (!a->has_attention)
    return;
  a->att_index = g_new (int, a->info.n_layers);
  for (guint i = 0; i < m->backbone->len; i++)
    if (mh_layer_is_attention (backbone_layer (m, i)))
      {
        const MhLayer *l = backbone_layer (m, i);
        tt = (gsize) mh_attention_layer_tokens (l) * mh_attention_layer_tokens (l);
        need += tt * mh_attention_layer_heads (l);
        a->att_index[k++] = (int) i;
      }
  a->dprobs = g_new0 (float, need);
  for (k = 0; k < a->info.n_layers; k++)
    {
      MhLayer *l = backbone_layer (m, a->att_index[k]);
      tt = (gsize) mh_attention_layer_tokens (l) * mh_attention_layer_tokens (l);
      l->dprobs = a->dprobs + at;
      at += tt * mh_attention_layer_heads (l);
    }
  tt = (gsize) a->info.tokens * a->info.tokens;
  a->r = g_new (float, tt);
  a->tmp = g_new (float, 2 * tt);
}

MhAttributor *
mh_attributor_new (const MhProject *project, const MhDataset *schema, MhModel *base,
                   MhAttributionMethod method, const char *layer, const char *where, GError **error)
{
  g_autoptr (MhAttributor) a = g_new0 (MhAttributor, 1);
  gsize largest = 0;
  int chosen;

  a->model = mh_model_new_full (project, schema, 1, MH_MODEL_FOR_INSPECTION, where, error);
  if (a->model == NULL)
    return NULL;
  if (base != NULL)
    {
      g_return_val_if_fail (base->n_params == a->model->n_params, NULL);
      mh_model_share_params (a->model, base);
    }
  bind_attention (a);
  if (!resolve (a, method, layer, &chosen, where, error))
    return NULL;
  a->plans = g_new0 (Plan, a->model->n_heads);
  for (int h = 0; h < a->model->n_heads; h++)
    {
      Plan *plan = &a->plans[h];
      const MhHead *head = &a->model->heads[h];
      if (head->attach < 0)   /* a head on the input: only its gradient there */
        plan_input (a, plan, -1);
      else if (a->method == MH_ATTRIBUTION_GRAD_CAM)
        plan_cam (a, plan, head, chosen);
      else if (a->method == MH_ATTRIBUTION_GRAD_ROLLOUT)
        plan_rollout (a, plan, head);
      else
        plan_input (a, plan, chosen <= head->attach ? chosen : -1);
      largest = MAX (largest, (gsize) plan->rows * plan->cols);
    }
  a->raw = g_new (float, MAX (largest, 1));
  return g_steal_pointer (&a);
}

void
mh_attributor_free (MhAttributor *a)
{
  if (a == NULL)
    return;
  for (int h = 0; a->plans != NULL && h < a->model->n_heads; h++)
    g_free (a->plans[h].name);
  g_free (a->plans);
  mh_model_free (a->model);
  g_free (a->att_index);
  g_free (a->dprobs);
  g_free (a->r);
  g_free (a->tmp);
  g_free (a->raw);
  g_free (a);
}

MhModel *
mh_attributor_model (MhAttributor *a)
{
  return a->model;
}

MhAttributionMethod
mh_attributor_method (const MhAttributor *a)
{
  return a->method;
}

/* ---- explaining ----------------------------------------------------------- */

/* The raw map of the backward pass just run, per the head's plan, into a->raw. */
static void
raw_map (MhAttributor *a, const Plan *plan)
{
  MhModel *m = a->model;
  int positions = plan->rows * plan->cols, t;

  switch (plan->method)
    {
    case MH_ATTRIBUTION_GRAD_CAM:
      {
        const MhLayer *l = backbone_layer (m, plan->layer);
        mh_grad_cam (l->y, l->dy, positions, plan->channels, a->raw);
        break;
      }
    case MH_ATTRIBUTION_GRAD_INPUT:
      if (plan->by_channel)   /* x is T × C: the map C × T */
        for (int c = 0; c < plan->rows; c++)
          for (int k = 0; k < plan->cols; k++)
            a->raw[c * plan->cols + k] = m->x[k * plan->rows + c] * m->dx[k * plan->rows + c];
      else if (plan->layer < 0)
        mh_grad_times_input (m->x, m->dx, positions, plan->channels, a->raw);
      else
        mh_grad_times_input (backbone_layer (m, plan->layer)->y, backbone_layer (m, plan->layer)->dy,
                             positions, plan->channels, a->raw);
      if (plan->tokens)
        for (int k = 0; k < positions; k++)
          a->raw[k] = m->x[k] > 0.5f ? a->raw[k] : 0.0f;   /* padding (id 0) counts for nothing */
      break;
    case MH_ATTRIBUTION_GRAD_ROLLOUT:
      t = a->info.tokens;
      memset (a->r, 0, sizeof (float) * t * t);
      for (int i = 0; i < t; i++)
        a->r[(gsize) i * t + i] = 1.0f;
      for (int k = 0; k < plan->n_att; k++)
        {
          const MhLayer *l = backbone_layer (m, a->att_index[k]);
          mh_relevance_step (mh_attention_layer_map (l, 0, 0), l->dprobs, mh_attention_layer_heads (l), t,
                             a->r, a->tmp);
        }
      for (int i = 0; i < t; i++)
        a->r[(gsize) i * t + i] -= 1.0f;   /* R − I: what the layers added */
      for (int k = 0; k < positions; k++)
        {
          int col = a->info.first_patch + k;
          double sum = 0;
          if (plan->class_row)
            sum = a->r[col];
          else
            for (int q = 0; q < t; q++)
              sum += a->r[(gsize) q * t + col] / t;
          a->raw[k] = (float) sum;
        }
      break;
    case MH_ATTRIBUTION_AUTO:
      g_assert_not_reached ();
    }
}

static float
output_value (const MhHead *head, int o)
{
  const float *z = head->logits;

  if (head->field_kind == MH_FIELD_CLASS)
    {
      double sum = 0;
      for (int j = 0; j < head->out_dim; j++)
        sum += exp ((double) z[j] - z[o]);
      return (float) (1.0 / sum);
    }
  if (head->field_kind == MH_FIELD_LABELS)
    return 1.0f / (1.0f + expf (-z[o]));
  return z[o];
}

static int
answer (const MhHead *head)
{
  int best = 0;

  for (int j = 1; j < head->out_dim; j++)
    if (head->logits[j] > head->logits[best])
      best = j;
  return best;
}

MhAttribution *
mh_attributor_explain (MhAttributor *a, const float *x, const int *outputs)
{
  MhModel *m = a->model;
  MhAttribution *r = g_new0 (MhAttribution, 1);
  GArray *maps = g_array_new (FALSE, TRUE, sizeof (MhAttributionMap));

  memcpy (m->x, x, sizeof (float) * mh_shape_size (&m->input));
  mh_model_forward (m, 1, FALSE, NULL);
  for (int h = 0; h < m->n_heads; h++)
    {
      MhHead *head = &m->heads[h];
      const Plan *plan = &a->plans[h];
      int want = outputs != NULL ? outputs[h] : -1, first, last;

      if (want >= head->out_dim)
        want = -1;
      if (want >= 0)
        first = last = want;
      else if (head->field_kind == MH_FIELD_NUMBERS)
        first = 0, last = head->out_dim - 1;
      else
        first = last = answer (head);
      for (int o = first; o <= last; o++)
        {
          gsize cells = (gsize) plan->rows * plan->cols;
          MhAttributionMap map = {
            h, o, output_value (head, o), plan->method, g_strdup (plan->name), plan->rows, plan->cols,
            NULL, 0,
          };
          memset (head->dlogits, 0, sizeof (float) * head->out_dim);
          head->dlogits[o] = 1.0f;
          mh_model_backward_head (m, h, 1);
          raw_map (a, plan);
          map.map = g_memdup2 (a->raw, sizeof (float) * cells);
          map.peak = mh_attribution_normalise (map.map, cells);
          g_array_append_val (maps, map);
        }
    }
  r->n_maps = maps->len;
  r->maps = (MhAttributionMap *) g_array_free (maps, FALSE);
  return r;
}

MhAttribution *
mh_attribution_copy (const MhAttribution *r)
{
  MhAttribution *c = g_new0 (MhAttribution, 1);

  c->n_maps = r->n_maps;
  c->maps = r->n_maps > 0 ? g_memdup2 (r->maps, sizeof (MhAttributionMap) * r->n_maps) : NULL;
  for (int i = 0; i < r->n_maps; i++)
    {
      c->maps[i].layer = g_strdup (r->maps[i].layer);
      c->maps[i].map = g_memdup2 (r->maps[i].map, sizeof (float) * r->maps[i].rows * r->maps[i].cols);
    }
  return c;
}

void
mh_attribution_free (MhAttribution *r)
{
  if (r == NULL)
    return;
  for (int i = 0; i < r->n_maps; i++)
    {
      g_free (r->maps[i].layer);
      g_free (r->maps[i].map);
    }
  g_free (r->maps);
  g_free (r);
}
