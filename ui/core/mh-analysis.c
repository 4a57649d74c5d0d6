/* mh-analysis.c — a project's shapes and problems, part by part, from the
 * engine's check (mh-model-check.c): no message is read here. */
#include <string.h>
#include "mh-analysis.h"
#include <glib/gi18n.h>
#include "mh-format.h"

/* the channels followed from the data to a multi-head convolution */
#define MH_MAX_DIM_LANES 4096

static const char *
problem_of (const MhModelCheck *c, MhProjectPart part, int index)
{
  const MhProblem *p = mh_model_check_problem (c, part, index);

  return p != NULL ? p->message : NULL;
}

MhAnalysis *
mh_analysis_new (const MhProject *p)
{
  MhAnalysis *a = g_new0 (MhAnalysis, 1);
  MhModelCheck *c;

  g_return_val_if_fail (p != NULL, NULL);

  a->check = c = mh_model_check_new (p);
  a->schema = c->schema;
  a->data_problem = problem_of (c, MH_PART_DATASET, -1);
  a->data_missing = c->data_missing;
  a->backbone_problem = problem_of (c, MH_PART_BACKBONE, -1);
  a->shapes = c->shapes;
  a->backbone_params = c->backbone_params;
  a->n_heads = c->n_heads;
  a->heads = g_new0 (MhHeadReport, MAX (a->n_heads, 1));
  for (guint i = 0; i < a->n_heads; i++)
    {
      const MhHeadCheck *h = &c->heads[i];
      a->heads[i] = (MhHeadReport) { problem_of (c, MH_PART_HEAD, (int) i), h->connected,
                                     h->in_known ? h->in : (MhShape) { 0 }, h->out_dim, h->params };
    }
  a->project_problem = problem_of (c, MH_PART_PROJECT, -1);
  a->first_problem = c->first != NULL ? c->first->message : NULL;
  a->params = c->params;
  return a;
}

void
mh_analysis_free (MhAnalysis *a)
{
  if (a == NULL)
    return;
  mh_model_check_free (a->check);
  g_free (a->heads);
  g_free (a);
}

char *
mh_analysis_describe_shape_of (const MhShape *shape, MhInputKind input)
{
  g_return_val_if_fail (shape != NULL, NULL);

  /* one notation everywhere, the engine's messages' too: height×width×channels (7×7×64) */
  if (shape->rank == 2 && input == MH_INPUT_SIGNALS)
    return g_strdup_printf (_("%d ch × %d"), shape->dim[1], shape->dim[0]);
  if (shape->rank == 2)
    return g_strdup_printf (_("%d tokens × %d"), shape->dim[0], shape->dim[1]);
  return mh_shape_to_string (shape);
}


char *
mh_analysis_shape_text (const MhAnalysis *a, const MhShape *shape)
{
  g_return_val_if_fail (a != NULL && shape != NULL, NULL);
  return mh_analysis_describe_shape_of (shape, a->schema != NULL ? a->schema->input : MH_INPUT_PIXELS);
}

char *
mh_analysis_describe_input (const MhDataset *schema)
{
  g_return_val_if_fail (schema != NULL, NULL);

  if (schema->input == MH_INPUT_TOKENS)
    return g_strdup_printf (_("%d tokens"), schema->shape.dim[0]);
  return mh_analysis_describe_shape_of (&schema->shape, schema->input);
}

/* "acc_x", "acc_x–acc_z", "dims 0–15": the data's channels lo … hi − 1. */
static char *
channels_label (const MhDataset *schema, int lo, int hi)
{
  char **names = schema != NULL && schema->input == MH_INPUT_SIGNALS ? schema->channels : NULL;
  int n = names != NULL ? (int) g_strv_length (names) : 0;

  if (hi <= lo)
    return g_strdup ("?");
  if (names != NULL && hi <= n)
    return hi - lo == 1 ? g_strdup (names[lo]) : g_strdup_printf ("%s–%s", names[lo], names[hi - 1]);
  return hi - lo == 1 ? g_strdup_printf ("ch %d", lo) : g_strdup_printf ("ch %d–%d", lo, hi - 1);
}

char **
mh_analysis_conv_lanes (const MhAnalysis *a, const MhProject *p, guint layer)
{
  const MhDataset *schema;
  g_autofree int *lo = NULL, *hi = NULL;
  int channels;
  GPtrArray *lanes;

  g_return_val_if_fail (a != NULL && p != NULL, NULL);

  schema = a->schema;
  if (layer >= p->backbone->len || layer >= a->shapes->len || schema == NULL || schema->shape.rank != 2)
    return NULL;
  {
    const MhLayerSpec *spec = &g_array_index (p->backbone, MhLayerSpec, layer);
    if (g_strcmp0 (spec->type, "conv1d") != 0 || spec->groups <= 1)
      return NULL;
  }
  /* for every channel of each layer's output, the data channels it depends
   * on: [lo, hi) — a grouped convolution keeps its groups apart, an
   * element-wise layer changes nothing, anything else mixes all */
  channels = schema->shape.dim[1];
  lo = g_new (int, MH_MAX_DIM_LANES);
  hi = g_new (int, MH_MAX_DIM_LANES);
  if (channels > MH_MAX_DIM_LANES)
    return NULL;
  for (int c = 0; c < channels; c++)
    lo[c] = schema->input == MH_INPUT_SIGNALS ? c : 0, hi[c] = schema->input == MH_INPUT_SIGNALS ? c + 1 : channels;
  for (guint i = 0; i <= layer; i++)
    {
      const MhLayerSpec *spec = &g_array_index (p->backbone, MhLayerSpec, i);
      const MhShape *out = &g_array_index (a->shapes, MhShape, i);
      int f = out->rank == 2 ? out->dim[1] : 0;
      g_autofree int *nlo = NULL, *nhi = NULL;
      if (f <= 0 || f > MH_MAX_DIM_LANES)
        return NULL;
      if (g_strcmp0 (spec->type, "relu") == 0 || g_strcmp0 (spec->type, "gelu") == 0
          || g_strcmp0 (spec->type, "dropout") == 0)
        continue;
      nlo = g_new (int, f);
      nhi = g_new (int, f);
      if (g_strcmp0 (spec->type, "embedding") == 0)
        {
          for (int k = 0; k < f; k++)
            nlo[k] = k, nhi[k] = k + 1;   /* an embedding's dimensions are its channels */
        }
      else if (g_strcmp0 (spec->type, "conv1d") == 0 && spec->groups > 1 && channels % spec->groups == 0
               && f % spec->groups == 0)
        {
          int cg = channels / spec->groups, fg = f / spec->groups;
          for (int k = 0; k < f; k++)
            {
              int g = k / fg;
              nlo[k] = G_MAXINT, nhi[k] = 0;
              for (int c = g * cg; c < (g + 1) * cg; c++)
                nlo[k] = MIN (nlo[k], lo[c]), nhi[k] = MAX (nhi[k], hi[c]);
            }
        }
      else
        {
          int all_lo = G_MAXINT, all_hi = 0;
          for (int c = 0; c < channels; c++)
            all_lo = MIN (all_lo, lo[c]), all_hi = MAX (all_hi, hi[c]);
          for (int k = 0; k < f; k++)
            nlo[k] = all_lo, nhi[k] = all_hi;
        }
      memcpy (lo, nlo, sizeof (int) * f);
      memcpy (hi, nhi, sizeof (int) * f);
      channels = f;
    }
  lanes = g_ptr_array_new ();
  {
    const MhLayerSpec *spec = &g_array_index (p->backbone, MhLayerSpec, layer);
    int fg = channels / spec->groups;
    if (fg <= 0)
      {
        g_ptr_array_free (lanes, TRUE);
        return NULL;
      }
    for (int g = 0; g < spec->groups; g++)
      g_ptr_array_add (lanes, channels_label (schema, lo[g * fg], hi[g * fg]));
  }
  g_ptr_array_add (lanes, NULL);
  return (char **) g_ptr_array_free (lanes, FALSE);
}

char *
mh_analysis_describe_layer (const MhLayerSpec *spec)
{
  const char *t = spec->type != NULL ? spec->type : "?";

  g_return_val_if_fail (spec != NULL, NULL);

  if (g_str_equal (t, "dense"))
    return spec->units > 0 ? g_strdup_printf ("dense %d", spec->units) : g_strdup ("dense → target");
  if (g_str_equal (t, "conv2d"))
    {
      if (spec->stride > 1)
        return g_strdup_printf ("conv %d×%d/%d · %d", spec->kernel, spec->kernel, spec->stride,
                                spec->filters);
      return g_strdup_printf ("conv %d×%d · %d", spec->kernel, spec->kernel, spec->filters);
    }
  if (g_str_equal (t, "maxpool"))
    return g_strdup_printf ("max-pool %d", spec->size);
  if (g_str_equal (t, "dropout"))
    return mh_format ("dropout %g", spec->rate);
  if (g_str_equal (t, "relu"))
    return g_strdup (_("ReLU"));
  if (g_str_equal (t, "gelu"))
    return g_strdup ("GELU");
  if (g_str_equal (t, "layernorm"))
    return g_strdup (_("layer norm"));
  /* the transformer's layers, short enough for a block on the canvas */
  if (g_str_equal (t, "patch_embed"))
    return g_strdup_printf ("patches %d×%d → %d", spec->patch, spec->patch, spec->dim);
  if (g_str_equal (t, "class_token"))
    return g_strdup (_("class token"));
  if (g_str_equal (t, "position_embedding"))
    return g_strdup ("positions");
  if (g_str_equal (t, "transformer_block"))
    return g_strdup_printf (_("%d heads, MLP %d"), spec->heads, spec->hidden);
  if (g_str_equal (t, "attention"))
    return g_strdup_printf (_("%d-head attention"), spec->heads);
  /* the sequences' layers */
  if (g_str_equal (t, "embedding"))
    return g_strdup_printf (_("embedding → %d"), spec->dim);
  if (g_str_equal (t, "conv1d"))
    {
      g_autoptr(GString) s = g_string_new (NULL);
      g_string_printf (s, "conv1d %d · %d", spec->kernel, spec->filters);
      if (spec->stride > 1)
        g_string_append_printf (s, " /%d", spec->stride);
      if (spec->dilation > 1)
        g_string_append_printf (s, _(" dil. %d"), spec->dilation);
      if (spec->groups > 1)
        g_string_append_printf (s, _(", %d heads"), spec->groups);
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  if (g_str_equal (t, "gru") || g_str_equal (t, "lstm"))
    {
      char layers[16] = "";
      if (spec->num_layers > 1)
        g_snprintf (layers, sizeof layers, " ×%d", spec->num_layers);
      return g_strdup_printf ("%s %d%s%s%s", g_str_equal (t, "gru") ? "GRU" : "LSTM", spec->hidden, layers,
                              spec->bidirectional ? _(", both ways") : "",
                              g_strcmp0 (spec->mode, "all") == 0 ? _(", every step") : "");
    }
  if (g_str_equal (t, "seqpool"))
    return g_strdup (g_strcmp0 (spec->mode, "mean") == 0 ? _("mean over time") : _("max over time"));
  if (g_str_equal (t, "select_token"))
    return g_strdup (g_strcmp0 (spec->mode, "mean") == 0 ? "mean of tokens" : "the class token");
  return g_strdup (t);
}
