/* mh-model-check.c — every part's problems and the shapes of a project.
 *
 * The whole project is validated once (its first problem is what the
 * command line would say); then each part is checked on its own so that
 * every part with a problem is marked, not only the first: the settings,
 * the data set
 * and its schema, the backbone (validated, then built layer by layer from
 * the schema's input as far as it goes), each head (validated, then built
 * alone on the backbone), and at last the whole model. */
#include "mh-model-check.h"
#include "mh-model-private.h"
#include "mh-schema.h"

#define WHERE "project"

/* The backbone's layers as far as they build; FALSE with the first failure. */
static gboolean
build_backbone (const MhProject *p, const MhDataset *schema, GPtrArray *layers, GError **error)
{
  MhShape shape = schema->shape;

  for (guint i = 0; i < p->backbone->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("backbone.layers[%u]", i);
      MhLayer *l = _mh_model_build_layer (&g_array_index (p->backbone, MhLayerSpec, i), p->backbone, i, &shape,
                                          p->backbone_frozen, 0, schema, i == 0, WHERE, path, error);
      if (l == NULL)
        return FALSE;
      g_ptr_array_add (layers, l);
      shape = l->out;
    }
  return TRUE;
}

/* Head `index` alone on the (whole) backbone: its outputs and parameters. */
static gboolean
build_head_alone (const MhProject *p, const MhDataset *schema, GPtrArray *backbone, int index, MhHeadCheck *r,
                  GError **error)
{
  MhModel m = { .input = schema->shape, .backbone = backbone, .n_heads = (int) p->heads->len };
  MhHead *h;
  gboolean ok;

  m.heads = g_new0 (MhHead, m.n_heads);
  h = &m.heads[index];
  ok = _mh_model_build_head (&m, p, index, schema, WHERE, error);
  if (ok)
    {
      r->out_dim = h->out_dim;
      r->params = 0;
      for (guint i = 0; i < h->layers->len; i++)
        {
          MhLayer *l = h->layers->pdata[i];
          for (int k = 0; k < l->n_params; k++)
            r->params += l->params[k].size;
        }
    }
  g_free (h->name);
  g_clear_pointer (&h->layers, g_ptr_array_unref);
  g_free (m.heads);
  return ok;
}

/* Keeps `error` as the first problem of the part its path is in (or of
 * `part` and `index`, when part is not -1); a part's later problems are
 * dropped. */
static void
add_problem (MhModelCheck *c, const GError *error, int part, int index)
{
  g_autoptr(MhProblem) p = mh_problem_new_from_error (error);

  if (part >= 0)
    p->part = (MhProjectPart) part, p->index = index;
  if (mh_model_check_problem (c, p->part, p->index) == NULL)
    g_ptr_array_add (c->problems, g_steal_pointer (&p));
}

static void
check_backbone (MhModelCheck *c, const MhProject *p)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_layer_free);
  g_autoptr(GError) error = NULL;

  if (!mh_project_validate_backbone (p, WHERE, &error))
    {
      add_problem (c, error, -1, -1);
      g_clear_error (&error);
    }
  if (c->schema == NULL || p->backbone->len == 0)
    return;
  if (!build_backbone (p, c->schema, layers, &error))
    add_problem (c, error, -1, -1);
  for (guint i = 0; i < layers->len; i++)   /* the shapes as far as they go */
    {
      MhLayer *l = layers->pdata[i];
      g_array_append_val (c->shapes, l->out);
      for (int k = 0; k < l->n_params; k++)
        c->backbone_params += l->params[k].size;
    }
  if (layers->len != p->backbone->len)
    return;
  for (guint h = 0; h < c->n_heads; h++)
    {
      MhHeadCheck *r = &c->heads[h];
      g_clear_error (&error);
      if (mh_model_check_problem (c, MH_PART_HEAD, (int) h) != NULL)
        continue;
      if (!build_head_alone (p, c->schema, layers, (int) h, r, &error))
        add_problem (c, error, MH_PART_HEAD, (int) h);
    }
}

MhModelCheck *
mh_model_check_new (const MhProject *p)
{
  MhModelCheck *c;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (p != NULL, NULL);

  c = g_new0 (MhModelCheck, 1);
  c->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_problem_free);
  c->shapes = g_array_new (FALSE, FALSE, sizeof (MhShape));
  c->n_heads = p->heads->len;
  c->heads = g_new0 (MhHeadCheck, MAX (c->n_heads, 1));

  if (!mh_project_validate (p, WHERE, &error))
    {
      c->first = mh_problem_new_from_error (error);
      add_problem (c, error, -1, -1);
      g_clear_error (&error);
    }
  if (!mh_project_validate_settings (p, WHERE, &error))
    add_problem (c, error, MH_PART_PROJECT, -1);
  g_clear_error (&error);
  if (!mh_project_validate_dataset (p, WHERE, &error))
    add_problem (c, error, MH_PART_DATASET, -1);
  g_clear_error (&error);
  if (p->data.kind != NULL)
    {
      c->schema = mh_schema_new (&p->data, &error);
      if (c->schema == NULL)
        add_problem (c, error, MH_PART_DATASET, -1);
      else
        mh_schema_data_available (&p->data, &c->data_missing);
      g_clear_error (&error);
    }
  for (guint h = 0; h < c->n_heads; h++)
    if (!mh_project_validate_head (p, h, WHERE, &error))
      {
        add_problem (c, error, MH_PART_HEAD, (int) h);
        g_clear_error (&error);
      }
  check_backbone (c, p);
  for (guint h = 0; h < c->n_heads; h++)
    {
      const MhHeadSpec *spec = &g_array_index (p->heads, MhHeadSpec, h);
      MhHeadCheck *r = &c->heads[h];
      r->in_known = mh_model_check_tap_shape (c, p, spec->input, &r->in);
      r->connected = p->backbone->len > 0 && (r->in_known || c->schema == NULL);
    }
  if (c->first == NULL && c->schema != NULL)
    {
      MhModel *m = mh_model_new (p, c->schema, 1, WHERE, &error);
      if (m != NULL)
        c->params = m->n_params;
      else
        {
          c->first = mh_problem_new_from_error (error);
          add_problem (c, error, -1, -1);
        }
      mh_model_free (m);
    }
  return c;
}

void
mh_model_check_free (MhModelCheck *c)
{
  if (c == NULL)
    return;
  mh_dataset_free (c->schema);
  g_free (c->data_missing);
  g_ptr_array_unref (c->problems);
  mh_problem_free (c->first);
  g_array_unref (c->shapes);
  g_free (c->heads);
  g_free (c);
}

const MhProblem *
mh_model_check_problem (const MhModelCheck *c, MhProjectPart part, int index)
{
  g_return_val_if_fail (c != NULL, NULL);

  for (guint i = 0; i < c->problems->len; i++)
    {
      const MhProblem *p = c->problems->pdata[i];
      if (p->part == part && (part != MH_PART_HEAD || p->index == index))
        return p;
    }
  return NULL;
}

gboolean
mh_model_check_tap_shape (const MhModelCheck *c, const MhProject *p, const char *input, MhShape *shape)
{
  g_return_val_if_fail (c != NULL && p != NULL && shape != NULL, FALSE);

  if (input == NULL)
    {
      if (p->backbone->len == 0 || c->shapes->len != p->backbone->len)
        return FALSE;
      *shape = g_array_index (c->shapes, MhShape, c->shapes->len - 1);
      return TRUE;
    }
  for (guint i = 0; i < p->backbone->len && i < c->shapes->len; i++)
    {
      g_autofree char *name = mh_block_layer_name (p->backbone, i);
      if (g_str_equal (name, input))
        {
          *shape = g_array_index (c->shapes, MhShape, i);
          return TRUE;
        }
    }
  return FALSE;
}
