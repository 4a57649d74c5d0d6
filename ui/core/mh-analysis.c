/* mh-analysis.c — a project's shapes and problems, part by part, from the
 * engine's check (mh-model-check.c): no message is read here. */
#include "mh-analysis.h"
#include <glib/gi18n.h>
#include "mh-format.h"

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
mh_analysis_describe_shape (const MhShape *shape)
{
  g_return_val_if_fail (shape != NULL, NULL);

  g_autofree char *dims = NULL;

  /* one notation everywhere, the engine's messages' too: height×width×channels (7×7×64) */
  if (shape->rank == 2)
    return g_strdup_printf (_("%d×%d tokens"), shape->dim[0], shape->dim[1]);
  dims = mh_shape_to_string (shape);
  return g_steal_pointer (&dims);
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
  if (g_str_equal (t, "select_token"))
    return g_strdup (g_strcmp0 (spec->mode, "mean") == 0 ? "mean of tokens" : "the class token");
  return g_strdup (t);
}
