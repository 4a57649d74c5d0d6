/* mh-analysis.c — shapes and problems of a project, block by block.
 *
 * The whole project is validated once (its first problem is what the command
 * line would say); then each block is checked on its own so that every block
 * with a problem is marked, not only the first: the backbone's layers are
 * inferred one by one from the schema's input, and each head is validated and
 * built alone on the backbone with mh_model_new().
 */
#include <stdio.h>
#include <string.h>
#include "mh-analysis.h"
#include "mh-error.h"
#include "mh-model.h"
#include "mh-schema.h"

#define WHERE "project"

/* The engine's message without the "project: " it starts with. */
static char *
strip_where (const char *message)
{
  if (g_str_has_prefix (message, WHERE ": "))
    return g_strdup (message + strlen (WHERE ": "));
  return g_strdup (message);
}

/* In messages about a head checked alone (as heads[0]), its real index. */
static char *
reindex_head (const char *message, guint index)
{
  g_autofree char *stripped = strip_where (message);
  g_autofree char *real = g_strdup_printf ("heads[%u]", index);
  g_auto(GStrv) parts = g_strsplit (stripped, "heads[0]", -1);

  return g_strjoinv (real, parts);
}

/* Which block a whole-project message is about. */
static void
place_problem (MhAnalysis *a, const char *message)
{
  g_autofree char *text = strip_where (message);
  guint head;

  if (g_str_has_prefix (text, "dataset"))
    {
      if (a->data_problem == NULL)
        a->data_problem = g_steal_pointer (&text);
    }
  else if (g_str_has_prefix (text, "backbone"))
    {
      if (a->backbone_problem == NULL)
        a->backbone_problem = g_steal_pointer (&text);
    }
  else if (sscanf (text, "heads[%u]", &head) == 1 && head < a->n_heads)
    {
      if (a->heads[head].problem == NULL)
        a->heads[head].problem = g_steal_pointer (&text);
    }
  else if (a->project_problem == NULL)
    a->project_problem = g_steal_pointer (&text);
}

static void
infer_backbone (MhAnalysis *a, const MhProject *p)
{
  MhShape shape = a->schema->shape;

  for (guint i = 0; i < p->backbone->len; i++)
    {
      const MhLayerSpec *spec = &g_array_index (p->backbone, MhLayerSpec, i);
      g_autofree char *name = NULL;
      g_autoptr(GError) error = NULL;
      MhLayer *l;

      if (mh_layer_class_lookup (spec->type) == NULL)
        {
          if (a->backbone_problem == NULL)
            a->backbone_problem = g_strdup_printf ("backbone.layers[%u].type: unknown layer type"
                                                   " '%s' (known: %s)", i,
                                                   spec->type ? spec->type : "(none)",
                                                   mh_layer_types ());
          return;
        }
      name = mh_block_layer_name (p->backbone, i);
      l = mh_layer_new (spec, name);
      l->in = shape;
      if (!l->klass->infer (l, &error))
        {
          if (a->backbone_problem == NULL)
            a->backbone_problem = g_strdup_printf ("backbone.layers[%u]: %s", i, error->message);
          mh_layer_free (l);
          return;
        }
      shape = l->out;
      for (int k = 0; k < l->n_params; k++)
        a->backbone_params += l->params[k].size;
      g_array_append_val (a->shapes, shape);
      mh_layer_free (l);
    }
}

/* The project with only head `index`, on a valid data set. */
static MhProject *
project_with_head (const MhProject *p, guint index)
{
  MhProject *alone = mh_project_copy (p);
  MhHeadSpec head;

  mh_head_spec_copy (&g_array_index (p->heads, MhHeadSpec, index), &head);
  g_array_set_size (alone->heads, 0);
  g_array_append_val (alone->heads, head);
  return alone;
}

static void
check_head (MhAnalysis *a, const MhProject *p, guint index)
{
  MhHeadReport *r = &a->heads[index];
  const MhHeadSpec *spec = &g_array_index (p->heads, MhHeadSpec, index);
  g_autoptr(MhProject) alone = NULL;
  g_autoptr(GError) error = NULL;
  MhModel *m;

  r->connected = p->backbone->len > 0;
  if (r->connected)
    r->connected = mh_analysis_tap_shape (a, p, spec->input, &r->in) || a->schema == NULL;
  if (a->schema == NULL || a->backbone_problem != NULL || p->backbone->len == 0)
    return;   /* nothing to build it on */
  alone = project_with_head (p, index);
  if (!mh_project_validate (alone, WHERE, &error))
    {
      if (r->problem == NULL)
        r->problem = reindex_head (error->message, index);
      return;
    }
  m = mh_model_new (alone, a->schema, 1, WHERE, &error);
  if (m == NULL)
    {
      if (r->problem == NULL)
        r->problem = reindex_head (error->message, index);
      return;
    }
  r->out_dim = m->heads[0].out_dim;
  r->params = m->n_params - a->backbone_params;
  mh_model_free (m);
}

MhAnalysis *
mh_analysis_new (const MhProject *p)
{
  MhAnalysis *a = g_new0 (MhAnalysis, 1);
  g_autoptr(GError) error = NULL;

  a->shapes = g_array_new (FALSE, FALSE, sizeof (MhShape));
  a->n_heads = p->heads->len;
  a->heads = g_new0 (MhHeadReport, MAX (a->n_heads, 1));

  if (!mh_project_validate (p, WHERE, &error))
    {
      a->first_problem = strip_where (error->message);
      place_problem (a, error->message);
      g_clear_error (&error);
    }
  if (p->data.kind != NULL)
    {
      a->schema = mh_schema_new (&p->data, &error);
      if (a->schema == NULL && a->data_problem == NULL)
        a->data_problem = g_strdup (error->message);
      g_clear_error (&error);
      if (a->schema != NULL)
        mh_schema_data_available (&p->data, &a->data_missing);
    }
  if (a->schema != NULL && p->backbone->len > 0)
    infer_backbone (a, p);
  for (guint i = 0; i < a->n_heads; i++)
    check_head (a, p, i);
  if (a->first_problem == NULL && a->schema != NULL)
    {
      MhModel *m = mh_model_new (p, a->schema, 1, WHERE, &error);
      if (m != NULL)
        a->params = m->n_params;
      else
        {
          a->first_problem = strip_where (error->message);
          place_problem (a, error->message);
        }
      mh_model_free (m);
    }
  return a;
}

void
mh_analysis_free (MhAnalysis *a)
{
  if (a == NULL)
    return;
  mh_dataset_free (a->schema);
  g_free (a->data_problem);
  g_free (a->data_missing);
  g_free (a->backbone_problem);
  g_array_unref (a->shapes);
  for (guint i = 0; i < a->n_heads; i++)
    g_free (a->heads[i].problem);
  g_free (a->heads);
  g_free (a->project_problem);
  g_free (a->first_problem);
  g_free (a);
}

gboolean
mh_analysis_tap_shape (const MhAnalysis *a, const MhProject *p, const char *input, MhShape *shape)
{
  if (input == NULL)
    {
      if (p->backbone->len == 0 || a->shapes->len != p->backbone->len)
        return FALSE;
      *shape = g_array_index (a->shapes, MhShape, a->shapes->len - 1);
      return TRUE;
    }
  for (guint i = 0; i < p->backbone->len; i++)
    {
      g_autofree char *name = mh_block_layer_name (p->backbone, i);
      if (g_str_equal (name, input))
        {
          if (i >= a->shapes->len)
            return FALSE;
          *shape = g_array_index (a->shapes, MhShape, i);
          return TRUE;
        }
    }
  return FALSE;
}

char *
mh_analysis_describe_shape (const MhShape *shape)
{
  g_autofree char *dims = NULL;

  /* one notation everywhere, the engine's messages' too: height×width×channels (7×7×64) */
  if (shape->rank == 2)
    return g_strdup_printf ("%d×%d tokens", shape->dim[0], shape->dim[1]);
  dims = mh_shape_to_string (shape);
  return g_steal_pointer (&dims);
}

char *
mh_analysis_describe_layer (const MhLayerSpec *spec)
{
  const char *t = spec->type != NULL ? spec->type : "?";

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
    return g_strdup_printf ("dropout %g", spec->rate);
  if (g_str_equal (t, "relu"))
    return g_strdup ("ReLU");
  if (g_str_equal (t, "gelu"))
    return g_strdup ("GELU");
  if (g_str_equal (t, "layernorm"))
    return g_strdup ("layer norm");
  /* the transformer's layers, short enough for a block on the canvas */
  if (g_str_equal (t, "patch_embed"))
    return g_strdup_printf ("patches %d×%d → %d", spec->patch, spec->patch, spec->dim);
  if (g_str_equal (t, "class_token"))
    return g_strdup ("class token");
  if (g_str_equal (t, "position_embedding"))
    return g_strdup ("positions");
  if (g_str_equal (t, "transformer_block"))
    return g_strdup_printf ("%d heads, MLP %d", spec->heads, spec->hidden);
  if (g_str_equal (t, "attention"))
    return g_strdup_printf ("%d-head attention", spec->heads);
  if (g_str_equal (t, "select_token"))
    return g_strdup (g_strcmp0 (spec->mode, "mean") == 0 ? "mean of tokens" : "the class token");
  return g_strdup (t);
}
