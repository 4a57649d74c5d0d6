/* test-model-check.c — problems as records: an engine error keeps the JSON
 * path it is about and its text apart from the file (made, prefixed,
 * copied); a path places a problem in its part; a project checked against
 * its schema marks every part that has a problem — each head at its own
 * index, with its own path — infers the shapes as far as they go, builds
 * each head alone (its outputs and parameters), and says the same first
 * problem as `train`. */
#include <string.h>
#include "mh-model.h"
#include "mh-model-check.h"
#include "mh-schema.h"

#define WHERE "test.mhproj"

static void
test_error_record (void)
{
  g_autoptr(GError) e = NULL, copy = NULL, other = NULL;

  mh_set_error_at (&e, MH_ERROR_INVALID, WHERE, "heads[2].loss", "'%s' does not fit", "bce");
  g_assert_error (e, MH_ERROR, MH_ERROR_INVALID);
  g_assert_cmpstr (e->message, ==, WHERE ": heads[2].loss: 'bce' does not fit");
  g_assert_cmpstr (mh_error_get_path (e), ==, "heads[2].loss");
  g_assert_cmpstr (mh_error_get_text (e), ==, "heads[2].loss: 'bce' does not fit");
  copy = g_error_copy (e);
  g_assert_cmpstr (mh_error_get_path (copy), ==, "heads[2].loss");
  g_clear_error (&e);
  /* the text names the path as it likes */
  mh_set_error_in (&e, MH_ERROR_INVALID, WHERE, "training.batch", "training.batch must be at least %d", 1);
  g_assert_cmpstr (e->message, ==, WHERE ": training.batch must be at least 1");
  g_assert_cmpstr (mh_error_get_text (e), ==, "training.batch must be at least 1");
  g_assert_cmpstr (mh_error_get_path (e), ==, "training.batch");
  g_clear_error (&e);
  /* a layer's message placed at its layer */
  g_set_error (&e, MH_ERROR, MH_ERROR_SHAPE, "expects 3 dimensions, got 1");
  g_assert_null (mh_error_get_path (e));
  g_assert_cmpstr (mh_error_get_text (e), ==, "expects 3 dimensions, got 1");
  mh_error_prefix_at (&e, MH_ERROR_SHAPE, WHERE, "backbone.layers[1]");
  g_assert_error (e, MH_ERROR, MH_ERROR_SHAPE);
  g_assert_cmpstr (e->message, ==, WHERE ": backbone.layers[1]: expects 3 dimensions, got 1");
  g_assert_cmpstr (mh_error_get_path (e), ==, "backbone.layers[1]");
  /* another domain's error becomes the engine's */
  g_set_error (&other, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no such file");
  mh_error_prefix_at (&other, MH_ERROR_IO, WHERE, "dataset.path");
  g_assert_error (other, MH_ERROR, MH_ERROR_IO);
  g_assert_cmpstr (other->message, ==, WHERE ": dataset.path: no such file");
  /* no where, no path: the text alone */
  g_clear_error (&e);
  mh_set_error_at (&e, MH_ERROR_INVALID, NULL, NULL, "plain");
  g_assert_cmpstr (e->message, ==, "plain");
  g_assert_null (mh_error_get_path (e));
}

static void
test_problem_place (void)
{
  static const struct {
    const char   *path;
    MhProjectPart part;
    int           index;
  } cases[] = {
    { "heads[2].loss", MH_PART_HEAD, 2 },
    { "heads[13]", MH_PART_HEAD, 13 },
    { "heads[0].layers[1].units", MH_PART_HEAD, 0 },
    { "heads", MH_PART_PROJECT, -1 },
    { "heads[x]", MH_PART_PROJECT, -1 },
    { "headsets[1]", MH_PART_PROJECT, -1 },
    { "backbone.layers[1].units", MH_PART_BACKBONE, 1 },
    { "backbone.kind", MH_PART_BACKBONE, -1 },
    { "backbone", MH_PART_BACKBONE, -1 },
    { "dataset.path", MH_PART_DATASET, -1 },
    { "dataset", MH_PART_DATASET, -1 },
    { "optimizer.lr", MH_PART_PROJECT, -1 },
    { "", MH_PART_PROJECT, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MhProblem) p = mh_problem_new (cases[i].path, "what", MH_ERROR_INVALID);
      g_autoptr(MhProblem) q = mh_problem_copy (p);
      g_assert_cmpint (p->part, ==, cases[i].part);
      g_assert_cmpint (p->index, ==, cases[i].index);
      g_assert_cmpint (q->part, ==, cases[i].part);
      g_assert_cmpstr (q->path, ==, cases[i].path);
    }
  g_assert_cmpstr (mh_project_part_name (MH_PART_HEAD), ==, "head");
}

static const char *good_json =
  "{ \"format\": 1, \"name\": \"check\", \"dataset\": { \"kind\": \"fashion-mnist\" },"
  "  \"backbone\": { \"kind\": \"cnn\", \"layers\": ["
  "    { \"type\": \"conv2d\", \"filters\": 4, \"kernel\": 3, \"padding\": 1 }, { \"type\": \"relu\" },"
  "    { \"type\": \"maxpool\", \"size\": 2 }, { \"type\": \"flatten\" }, { \"type\": \"dense\", \"units\": 8 } ] },"
  "  \"heads\": ["
  "    { \"name\": \"category\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] },"
  "    { \"name\": \"group\", \"target\": \"group\", \"input\": \"flatten1\","
  "      \"layers\": [ { \"type\": \"dense\", \"units\": 5 }, { \"type\": \"dense\" } ] } ] }";

static MhProject *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  MhProject *p = mh_project_load_data (json, -1, WHERE, &error);

  g_assert_no_error (error);
  return p;
}

static void
test_check_good (void)
{
  g_autoptr(MhProject) p = load (good_json);
  g_autoptr(MhModelCheck) c = mh_model_check_new (p);
  g_autoptr(GError) error = NULL;
  MhModel *m;
  MhShape s;

  g_assert_nonnull (c->schema);
  g_assert_cmpuint (c->problems->len, ==, 0);
  g_assert_null (c->first);
  /* the shapes, layer by layer: 28×28×4, 28×28×4, 14×14×4, 784, 8 */
  g_assert_cmpuint (c->shapes->len, ==, 5);
  s = g_array_index (c->shapes, MhShape, 2);
  g_assert_cmpint (s.rank, ==, 3);
  g_assert_cmpint (s.dim[0], ==, 14);
  g_assert_cmpint (s.dim[2], ==, 4);
  s = g_array_index (c->shapes, MhShape, 3);
  g_assert_cmpint (s.rank, ==, 1);
  g_assert_cmpint (s.dim[0], ==, 14 * 14 * 4);
  /* what each head reads and gives, and its parameters, as the whole model has them */
  g_assert_true (c->heads[0].connected && c->heads[0].in_known);
  g_assert_cmpint (c->heads[0].in.dim[0], ==, 8);
  g_assert_cmpint (c->heads[0].out_dim, ==, 10);
  g_assert_cmpuint (c->heads[0].params, ==, 8 * 10 + 10);
  g_assert_cmpint (c->heads[1].in.dim[0], ==, 784);
  g_assert_cmpint (c->heads[1].out_dim, ==, 4);
  g_assert_cmpuint (c->heads[1].params, ==, 784 * 5 + 5 + 5 * 4 + 4);
  g_assert_true (mh_model_check_tap_shape (c, p, "flatten1", &s));
  g_assert_cmpint (s.dim[0], ==, 784);
  g_assert_false (mh_model_check_tap_shape (c, p, "nowhere", &s));
  m = mh_model_new (p, c->schema, 1, WHERE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->params, ==, m->n_params);
  g_assert_cmpuint (c->backbone_params + c->heads[0].params + c->heads[1].params, ==, m->n_params);
  mh_model_free (m);
}

static MhProject *
broken (void)
{
  MhProject *p = load (good_json);
  MhHeadSpec *group = &g_array_index (p->heads, MhHeadSpec, 1);
  MhHeadSpec *third;

  /* head 1 gives 7 outputs for a 4-class field; a third head has no target;
   * the optimiser's lr is broken */
  g_array_index (group->layers, MhLayerSpec, 1).units = 7;
  g_array_set_size (p->heads, 3);
  third = &g_array_index (p->heads, MhHeadSpec, 2);
  mh_head_spec_init (third, "upper", "classification", mh_layer_block_new ());
  g_array_set_size (third->layers, 1);
  g_array_index (third->layers, MhLayerSpec, 0).type = g_strdup ("dense");
  p->optim.lr = -1;
  return p;
}

static void
test_check_every_part (void)
{
  g_autoptr(MhProject) p = broken ();
  g_autoptr(MhModelCheck) c = mh_model_check_new (p);
  g_autoptr(GError) error = NULL;
  const MhProblem *head1, *head2, *settings;

  /* head 0 is fine: neither the optimiser nor the other heads mark it */
  g_assert_null (mh_model_check_problem (c, MH_PART_HEAD, 0));
  g_assert_cmpuint (c->heads[0].out_dim, ==, 10);
  /* head 1: its shapes, at its own index */
  head1 = mh_model_check_problem (c, MH_PART_HEAD, 1);
  g_assert_nonnull (head1);
  g_assert_cmpint (head1->code, ==, MH_ERROR_SHAPE);
  g_assert_cmpstr (head1->path, ==, "heads[1]");
  g_assert_true (g_str_has_prefix (head1->message, "heads[1] ('group') gives 7 outputs"));
  /* head 2: no target */
  head2 = mh_model_check_problem (c, MH_PART_HEAD, 2);
  g_assert_nonnull (head2);
  g_assert_cmpstr (head2->path, ==, "heads[2]");
  g_assert_cmpstr (head2->message, ==, "heads[2].target is missing");
  /* the settings */
  settings = mh_model_check_problem (c, MH_PART_PROJECT, -1);
  g_assert_nonnull (settings);
  g_assert_cmpstr (settings->path, ==, "optimizer.lr");
  g_assert_null (mh_model_check_problem (c, MH_PART_BACKBONE, -1));
  g_assert_null (mh_model_check_problem (c, MH_PART_DATASET, -1));
  g_assert_cmpuint (c->problems->len, ==, 3);
  /* the first is what the command line says, without the file */
  g_assert_false (mh_project_validate (p, WHERE, &error));
  g_assert_nonnull (c->first);
  g_assert_cmpstr (c->first->message, ==, error->message + strlen (WHERE ": "));
  g_assert_true (c->first->part == MH_PART_HEAD && c->first->index == 2);
}

static void
test_check_backbone (void)
{
  g_autoptr(MhProject) p = load (good_json);
  g_autoptr(MhModelCheck) c = NULL;
  const MhProblem *b;

  /* a dense layer's units at 0 in the backbone: validation says so, at layer 4;
   * the shapes come as far as the layer before */
  g_array_index (p->backbone, MhLayerSpec, 4).units = 0;
  g_clear_pointer (&g_array_index (p->backbone, MhLayerSpec, 2).type, g_free);
  g_array_index (p->backbone, MhLayerSpec, 2).type = g_strdup ("flatten");
  c = mh_model_check_new (p);
  b = mh_model_check_problem (c, MH_PART_BACKBONE, -1);
  g_assert_nonnull (b);
  g_assert_cmpint (b->index, ==, 4);
  g_assert_cmpstr (b->path, ==, "backbone.layers[4].units");
  g_assert_cmpuint (c->shapes->len, ==, 4);
  /* the heads on the backbone's output are not built on nothing */
  g_assert_false (c->heads[0].in_known);
  g_assert_cmpint (c->heads[0].out_dim, ==, 0);
  g_assert_true (c->heads[1].in_known);   /* flatten1 is there */
  g_assert_cmpuint (c->params, ==, 0);
}

static void
test_check_dataset (void)
{
  g_autoptr(MhProject) p = load (good_json);
  g_autoptr(MhModelCheck) c = NULL;
  const MhProblem *d;

  g_free (p->data.kind);
  p->data.kind = g_strdup ("nothing-like-it");
  c = mh_model_check_new (p);
  g_assert_null (c->schema);
  d = mh_model_check_problem (c, MH_PART_DATASET, -1);
  g_assert_nonnull (d);
  g_assert_cmpstr (d->path, ==, "dataset.kind");
  g_assert_nonnull (strstr (d->message, "nothing-like-it"));
  g_assert_cmpuint (c->shapes->len, ==, 0);
  g_assert_true (c->heads[0].connected);   /* unknown, not refused */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/problem/error-record", test_error_record);
  g_test_add_func ("/engine/problem/place", test_problem_place);
  g_test_add_func ("/engine/model-check/good", test_check_good);
  g_test_add_func ("/engine/model-check/every-part", test_check_every_part);
  g_test_add_func ("/engine/model-check/backbone", test_check_backbone);
  g_test_add_func ("/engine/model-check/dataset", test_check_dataset);
  return g_test_run ();
}
