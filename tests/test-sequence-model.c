/* test-sequence-model.c — sequence models end to end in the engine (issue
 * 14): the clear errors of a model that does not fit its data, saliency
 * against finite differences, the four examples (they load, build and write
 * back as they were), and learning: a GRU and a transformer on an invented
 * dictionary whose suffixes set the gender learn the rule and apply it to
 * invented words none of them saw; the multi-head convolution learns the
 * sensors' activity.
 */
#include <math.h>
#include <string.h>
#include "mh-saliency.h"
#include "mh-schema.h"
#include "mh-test-util.h"
#include "mh-training.h"

static char *work_dir;
static char *dict_path;

static MhProject *
project_of (const char *json, GError **error)
{
  return mh_project_load_data (json, -1, "seq.mhproj", error);
}

static char *
nouns_project (const char *backbone, const char *extra)
{
  return g_strdup_printf (
    "{ \"format\": 1, \"name\": \"seq\", \"dataset\": { \"kind\": \"german-nouns\", \"path\": \"%s\", \"length\": 16,"
    " \"validation\": 100 }, \"backbone\": { \"kind\": \"custom\", \"layers\": [ %s ] }, \"heads\": ["
    " { \"name\": \"gender\", \"target\": \"gender\", \"layers\": [ { \"type\": \"dense\" } ] },"
    " { \"name\": \"syllables\", \"target\": \"syllables\", \"layers\": [ { \"type\": \"dense\" } ] } ]%s }",
    dict_path, backbone, extra);
}

static MhSplits *
nouns_splits (void)
{
  g_autofree char *json = nouns_project ("{ \"type\": \"embedding\", \"dim\": 4 }, { \"type\": \"seqpool\" }", "");
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = project_of (json, &error);
  MhSplits *s;

  g_assert_no_error (error);
  s = mh_splits_load (&p->data, NULL, "seq.mhproj", &error);
  g_assert_no_error (error);
  return s;
}

/* ---- models that do not fit their data ---------------------------------------------- */

static void
expect_model_error (const char *backbone, const char *first, const char *second)
{
  g_autofree char *json = nouns_project (backbone, "");
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = project_of (json, &error);
  g_autoptr (MhDataset) schema = NULL;
  MhModel *m;

  g_assert_no_error (error);
  schema = mh_schema_new (&p->data, &error);
  g_assert_no_error (error);
  m = mh_model_new (p, schema, 4, "seq.mhproj", &error);
  g_assert_null (m);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, first));
  g_assert_nonnull (strstr (error->message, second));
}

static void
test_model_errors (void)
{
  expect_model_error ("{ \"type\": \"conv1d\", \"filters\": 4, \"kernel\": 3 }", "backbone.layers[0]",
                      "starts with an embedding layer");
  expect_model_error ("{ \"type\": \"embedding\", \"dim\": 4, \"vocab\": 3 }, { \"type\": \"seqpool\" }",
                      "embedding1", "leave \"vocab\" out");
  expect_model_error ("{ \"type\": \"embedding\", \"dim\": 4 }, { \"type\": \"embedding\", \"dim\": 4 }",
                      "backbone.layers[1]", "goes first in the backbone");
  expect_model_error ("{ \"type\": \"embedding\", \"dim\": 4 }, { \"type\": \"gru\", \"hidden\": 3 },"
                      " { \"type\": \"seqpool\" }", "seqpool", "token×dim");
}

static void
test_project_keys (void)
{
  g_autofree char *json = nouns_project (
    "{ \"type\": \"embedding\", \"dim\": 4 }, { \"type\": \"conv1d\", \"filters\": 4, \"kernel\": 3, \"dilation\": 2,"
    " \"groups\": 2, \"padding\": 2 }, { \"type\": \"lstm\", \"hidden\": 3, \"num_layers\": 2, \"bidirectional\": true,"
    " \"mode\": \"all\" }, { \"type\": \"seqpool\", \"mode\": \"mean\" }", "");
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = project_of (json, &error), q = NULL;
  g_autofree char *back = NULL;
  const MhLayerSpec *lstm;

  g_assert_no_error (error);
  lstm = &g_array_index (p->backbone, MhLayerSpec, 2);
  g_assert_true (lstm->bidirectional);
  g_assert_cmpint (lstm->num_layers, ==, 2);
  g_assert_cmpstr (lstm->mode, ==, "all");
  g_assert_cmpint (g_array_index (p->backbone, MhLayerSpec, 1).groups, ==, 2);
  back = mh_project_to_data (p, NULL);
  q = project_of (back, &error);
  g_assert_no_error (error);
  g_assert_true (mh_project_equal (p, q));
  /* a mode the layer does not take: named with the modes it does */
  {
    g_autofree char *bad = nouns_project ("{ \"type\": \"embedding\", \"dim\": 4 }, { \"type\": \"gru\", \"hidden\": 3,"
                                          " \"mode\": \"max\" }", "");
    g_autoptr (MhProject) r = project_of (bad, &error);
    g_assert_null (r);
    g_assert_nonnull (strstr (error->message, "backbone.layers[1].mode: unknown mode 'max' (known: last, all)"));
  }
}

/* ---- saliency --------------------------------------------------------------------------- */

/* z(x) for head 0's output `out` */
static double
output_at (MhModel *m, int out)
{
  mh_model_forward (m, 1, FALSE, NULL);
  return m->heads[0].logits[out];
}

static void
test_saliency_signals (void)
{
  const char *json =
    "{ \"format\": 1, \"name\": \"s\", \"dataset\": { \"kind\": \"sensors\", \"train\": 20, \"test\": 4,"
    " \"validation\": 0 }, \"backbone\": { \"kind\": \"conv1d\", \"layers\": ["
    " { \"type\": \"conv1d\", \"filters\": 4, \"kernel\": 5, \"padding\": 2, \"groups\": 2 }, { \"type\": \"relu\" },"
    " { \"type\": \"gru\", \"hidden\": 5 } ] }, \"heads\": ["
    " { \"name\": \"activity\", \"target\": \"activity\", \"layers\": [ { \"type\": \"dense\" } ] },"
    " { \"name\": \"cadence\", \"kind\": \"regression\", \"target\": \"cadence\", \"layers\": [ { \"type\": \"dense\" } ] } ] }";
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = project_of (json, &error);
  g_autoptr (MhSplits) s = mh_splits_load (&p->data, NULL, "s.mhproj", &error);
  MhModel *m = mh_model_new (p, s->test, 1, "s.mhproj", &error);
  gsize size = mh_saliency_size (m);
  g_autofree float *sal = g_new (float, size);
  int sample = 1;

  g_assert_no_error (error);
  g_assert_cmpuint (size, ==, 128 * 6);
  mh_model_init (m, 3);
  mh_model_keep_input_grad (m);
  mh_model_set_batch (m, s->test, &sample, 1);
  mh_model_forward (m, 1, FALSE, NULL);
  g_assert_true (mh_saliency (m, 0, 2, sal, &error));
  g_assert_no_error (error);
  /* saliency = ∂z/∂x · x: against central differences on 24 inputs */
  for (int k = 0; k < 24; k++)
    {
      gsize i = (gsize) k * 31 % size;
      float keep = m->x[i];
      double up, down, num;
      m->x[i] = keep + 1e-2f;
      up = output_at (m, 2);
      m->x[i] = keep - 1e-2f;
      down = output_at (m, 2);
      m->x[i] = keep;
      num = (up - down) / 2e-2 * keep;
      g_assert_cmpfloat (fabs (num - sal[i]), <=, 1e-3 + 1e-2 * fabs (num));
    }
  mh_model_free (m);
}

static void
test_saliency_text (void)
{
  g_autofree char *json = nouns_project ("{ \"type\": \"embedding\", \"dim\": 6 }, { \"type\": \"gru\", \"hidden\": 5,"
                                         " \"bidirectional\": true }", "");
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = project_of (json, &error);
  g_autoptr (MhDataset) schema = mh_schema_new (&p->data, &error);
  MhModel *m = mh_model_new (p, schema, 1, "seq.mhproj", &error);
  g_autofree float *sal = g_new (float, 16);
  const MhLayer *embed;

  g_assert_no_error (error);
  mh_model_init (m, 4);
  /* characters all different: each token's embedding row moves one position only */
  g_assert_true (mh_vocab_encode (m->vocab, "Kabine", 16, m->x, NULL, NULL, "word", &error));
  mh_model_forward (m, 1, FALSE, NULL);
  g_assert_true (mh_saliency (m, 0, 1, sal, &error));
  embed = m->backbone->pdata[0];
  for (int t = 0; t < 16; t++)
    {
      int id = (int) m->x[t];
      double num = 0;
      if (id == 0)
        {
          g_assert_cmpfloat (sal[t], ==, 0);
          continue;
        }
      for (int d = 0; d < 6; d++)
        {
          float *w = embed->params[0].data + id * 6 + d, keep = *w;
          double up, down;
          *w = keep + 1e-2f;
          up = output_at (m, 1);
          *w = keep - 1e-2f;
          down = output_at (m, 1);
          *w = keep;
          num += (up - down) / 2e-2 * keep;
        }
      g_assert_cmpfloat (fabs (num - sal[t]), <=, 1e-3 + 1e-2 * fabs (num));
    }
  mh_model_free (m);
}

/* ---- learning ------------------------------------------------------------------------------ */

static MhTraining *
train (const MhProject *p, const MhSplits *s)
{
  g_autoptr (GError) error = NULL;
  int steps = p->epochs * ((s->train->n + p->batch - 1) / p->batch);
  MhTraining *r = mh_training_new (p, s, steps, 2, "seq.mhproj", &error);

  g_assert_no_error (error);
  for (int i = 0; i < steps; i++)
    {
      g_assert_true (mh_training_step (r, &error));
      g_assert_no_error (error);
    }
  return r;
}

/* Invented words the dictionary never saw, with the suffixes a learner is
 * taught: -ung, -heit, -keit, -schaft: die; -chen, -lein: das; -ling,
 * -ismus: der. */
static const struct { const char *word; const char *gender; } invented[] = {
  { "Blorkung", "die" }, { "Fimpelheit", "die" }, { "Wuschkeit", "die" }, { "Trabelschaft", "die" },
  { "Glumpchen", "das" }, { "Knirzlein", "das" }, { "Zwiebling", "der" }, { "Flarkismus", "der" },
};

static void
check_invented (MhTraining *r, const MhDataset *schema)
{
  MhModel *m = r->model;
  int right = 0;

  for (guint i = 0; i < G_N_ELEMENTS (invented); i++)
    {
      g_autoptr (GError) error = NULL;
      int best = 0;
      g_assert_true (mh_vocab_encode (m->vocab, invented[i].word, 16, m->x, NULL, NULL, "word", &error));
      mh_model_forward (m, 1, FALSE, NULL);
      for (int k = 1; k < 3; k++)
        best = m->heads[0].logits[k] > m->heads[0].logits[best] ? k : best;
      g_test_message ("%s: %s (the rule: %s)", invented[i].word, schema->fields[0].names[best], invented[i].gender);
      right += g_str_equal (schema->fields[0].names[best], invented[i].gender);
    }
  g_assert_cmpint (right, ==, G_N_ELEMENTS (invented));
}

static void
test_learns_nouns (gconstpointer data)
{
  const char *backbone = data;
  g_autofree char *json = nouns_project (backbone, ", \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.01 },"
                                                   " \"training\": { \"batch\": 32, \"epochs\": 3, \"seed\": 2 }");
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = project_of (json, &error);
  g_autoptr (MhSplits) s = nouns_splits ();
  g_autoptr (MhTraining) r = NULL;
  MhHeadMetrics mt[2];

  g_assert_no_error (error);
  r = train (p, s);
  mh_training_evaluate (r, s->test, mt);
  g_test_message ("test gender %.1f%%, syllables %.1f%%", 100 * mt[0].accuracy, 100 * mt[1].accuracy);
  g_assert_cmpfloat (mt[0].accuracy, >, 0.97);
  g_assert_cmpfloat (mt[1].accuracy, >, 0.9);
  check_invented (r, s->train);
}

static void
test_learns_sensors (void)
{
  const char *json =
    "{ \"format\": 1, \"name\": \"s\", \"dataset\": { \"kind\": \"sensors\", \"train\": 3000, \"test\": 600,"
    " \"validation\": 0, \"seed\": 4 }, \"backbone\": { \"kind\": \"conv1d\", \"layers\": ["
    " { \"type\": \"conv1d\", \"filters\": 16, \"kernel\": 5, \"padding\": 2, \"groups\": 2 }, { \"type\": \"relu\" },"
    " { \"type\": \"conv1d\", \"filters\": 24, \"kernel\": 5, \"padding\": 4, \"dilation\": 2, \"groups\": 2 },"
    " { \"type\": \"relu\" }, { \"type\": \"seqpool\", \"mode\": \"max\" } ] }, \"heads\": ["
    " { \"name\": \"activity\", \"target\": \"activity\", \"layers\": [ { \"type\": \"dense\" } ] } ],"
    " \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.003 }, \"training\": { \"batch\": 32, \"epochs\": 3, \"seed\": 1 } }";
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = project_of (json, &error);
  g_autoptr (MhSplits) s = mh_splits_load (&p->data, NULL, "s.mhproj", &error);
  g_autoptr (MhTraining) r = NULL;
  MhHeadMetrics mt[1];

  g_assert_no_error (error);
  r = train (p, s);
  mh_training_evaluate (r, s->test, mt);
  g_test_message ("test activity %.1f%%", 100 * mt[0].accuracy);
  g_assert_cmpfloat (mt[0].accuracy, >, 0.8);   /* chance: 12.5% */
}

/* ---- the examples ---------------------------------------------------------------------------- */

static void
test_examples (gconstpointer data)
{
  g_autofree char *path = g_strdup_printf ("%s/resources/examples/%s.mhproj", MH_SOURCE_DIR, (const char *) data);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = mh_project_load (path, &error);
  g_autoptr (MhProject) back = NULL;
  g_autoptr (MhDataset) schema = NULL;
  g_autofree char *text = NULL;
  MhModel *m;

  g_assert_no_error (error);
  text = mh_project_to_data (p, NULL);
  back = mh_project_load_data (text, -1, path, &error);
  g_assert_no_error (error);
  g_assert_true (mh_project_equal (p, back));
  /* the nouns' examples build on the invented dictionary, a smaller one */
  if (g_str_equal (p->data.kind, "german-nouns"))
    p->data.validation = 100;
  schema = mh_schema_new_at (&p->data, g_str_equal (p->data.kind, "german-nouns") ? dict_path : NULL, &error);
  g_assert_no_error (error);
  m = mh_model_new (p, schema, 8, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m->n_heads, ==, 3);
  mh_model_free (m);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  work_dir = mh_test_tmp_dir ();
  dict_path = g_build_filename (work_dir, "nouns.dict.dz", NULL);
  mh_test_write_fake_dict (dict_path, 4000, 21);
  g_test_add_func ("/engine/sequence/model-errors", test_model_errors);
  g_test_add_func ("/engine/sequence/project-keys", test_project_keys);
  g_test_add_func ("/engine/saliency/signals", test_saliency_signals);
  g_test_add_func ("/engine/saliency/text", test_saliency_text);
  g_test_add_data_func ("/engine/sequence/learns/nouns-gru",
                        "{ \"type\": \"embedding\", \"dim\": 8 }, { \"type\": \"gru\", \"hidden\": 24, \"bidirectional\": true }",
                        test_learns_nouns);
  g_test_add_data_func ("/engine/sequence/learns/nouns-transformer",
                        "{ \"type\": \"embedding\", \"dim\": 16 }, { \"type\": \"class_token\" },"
                        " { \"type\": \"position_embedding\" }, { \"type\": \"transformer_block\", \"heads\": 2, \"hidden\": 32 },"
                        " { \"type\": \"layernorm\" }, { \"type\": \"select_token\" }", test_learns_nouns);
  g_test_add_func ("/engine/sequence/learns/sensors", test_learns_sensors);
  for (const char *const *e = (const char *const[]) { "german-nouns-gru", "german-nouns-transformer",
                                                      "sensors-multihead-conv", "sensors-gru", NULL }; *e; e++)
    {
      g_autofree char *name = g_strdup_printf ("/engine/sequence/example/%s", *e);
      g_test_add_data_func (name, *e, test_examples);
    }
  status = g_test_run ();
  mh_test_rm_rf (work_dir);
  g_free (work_dir);
  g_free (dict_path);
  return status;
}
