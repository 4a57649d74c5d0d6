/* test-checkpoint.c — checkpoints (a run stopped and resumed is bit for bit
 * the run that never stopped; bad checkpoints refused with nothing changed)
 * and transfer learning (a backbone's first layers from another project's
 * weights; every mismatch named with both shapes). */
#include <math.h>
#include <string.h>
#include "mh-checkpoint.h"
#include "mh-test-util.h"
#include "mh-weights.h"

#define PROJECT(balancing, backbone, heads) \
  "{ \"format\": 1, \"name\": \"ck\", \"dataset\": { \"kind\": \"fashion-mnist\" }," \
  "  \"backbone\": { \"layers\": [ " backbone " ] }, \"heads\": [ " heads " ]," \
  "  \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.01 }, \"training\": { \"batch\": 8, \"seed\": 4 }," \
  "  \"balancing\": { \"method\": \"" balancing "\" } }"
#define BACKBONE \
  "{ \"type\": \"conv2d\", \"name\": \"conv\", \"filters\": 3, \"kernel\": 3, \"padding\": 1 }," \
  "{ \"type\": \"relu\" }, { \"type\": \"flatten\" }, { \"type\": \"dropout\", \"rate\": 0.3 }," \
  "{ \"type\": \"dense\", \"name\": \"fc\", \"units\": 12 }, { \"type\": \"relu\" }"
#define HEADS \
  "{ \"name\": \"cls\", \"target\": \"cls\", \"layers\": [ { \"type\": \"dense\" } ] }," \
  "{ \"name\": \"pos\", \"kind\": \"regression\", \"target\": \"pos\", \"layers\": [ { \"type\": \"dense\" } ] }"

static MhProject *
project (const char *json)
{
  g_autoptr (GError) error = NULL;
  MhProject *p = mh_project_load_data (json, -1, "ck.mhproj", &error);

  g_assert_no_error (error);
  return p;
}

static MhTraining *
new_run (const MhProject *p, const MhSplits *data)
{
  g_autoptr (GError) error = NULL;
  MhTraining *r = mh_training_new (p, data, 4 * ((data->train->n + p->batch - 1) / p->batch), 1, "ck.mhproj", &error);

  g_assert_no_error (error);
  return r;
}

static void
train_until (MhTraining *r, int steps)
{
  g_autoptr (GError) error = NULL;

  while (r->step < steps)
    {
      g_assert_true (mh_training_step (r, &error));
      g_assert_no_error (error);
    }
}

/* 2 epochs (and a bit) straight against 1 epoch and a half, a checkpoint,
 * a new run from it, and the rest: the same bits. */
static void
test_resume (gconstpointer data)
{
  const char *method = data;
  g_autofree char *json = g_strdup_printf (PROJECT ("%s", BACKBONE, HEADS), method);
  g_autoptr (MhProject) p = project (json);
  g_autoptr (MhSplits) splits = mh_test_blob_splits (60, 10, 8, 8, 3);
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "ck.safetensors", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhTraining) straight = new_run (p, splits), first = new_run (p, splits), second = NULL;
  g_autoptr (MhCheckpoint) ck = NULL;
  int per_epoch = straight->steps_per_epoch;

  for (int stop = 0; stop < 2; stop++)
    {
      /* at an epoch's end, then within one */
      int at = stop == 0 ? per_epoch : per_epoch + per_epoch / 2 + 1;
      train_until (first, at);
      g_assert_true (mh_training_save_checkpoint (first, path, 0.5, &error));
      g_assert_no_error (error);
      ck = mh_checkpoint_read (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ck->step, ==, at);
      g_assert_cmpfloat (ck->best_loss, ==, 0.5);
      g_clear_pointer (&second, mh_training_free);
      second = new_run (p, splits);
      g_assert_true (mh_training_restore (second, ck, &error));
      g_assert_no_error (error);
      g_clear_pointer (&ck, mh_checkpoint_free);
      g_clear_pointer (&first, mh_training_free);
      first = g_steal_pointer (&second);
    }
  train_until (first, 2 * per_epoch + 2);
  train_until (straight, 2 * per_epoch + 2);
  g_assert_cmpint (first->epoch, ==, straight->epoch);
  g_assert_cmpint (memcmp (first->model->params, straight->model->params,
                           sizeof (float) * straight->model->n_params), ==, 0);
  for (int h = 0; h < straight->balance->n; h++)
    g_assert_cmpfloat (first->balance->weight[h], ==, straight->balance->weight[h]);
  mh_test_rm_rf (dir);
}

static void
expect_refused (MhTraining *r, const char *path, const char *words)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MhCheckpoint) ck = mh_checkpoint_read (path, &error);
  g_autofree float *before = g_memdup2 (r->model->params, sizeof (float) * r->model->n_params);
  int step = r->step;

  if (ck != NULL)
    g_assert_false (mh_training_restore (r, ck, &error));
  g_assert_nonnull (error);
  if (strstr (error->message, words) == NULL)
    g_error ("expected '%s' in: %s", words, error->message);
  g_assert_cmpint (memcmp (before, r->model->params, sizeof (float) * r->model->n_params), ==, 0);
  g_assert_cmpint (r->step, ==, step);
}

static void
test_bad_checkpoints (void)
{
  g_autoptr (MhProject) p = project (PROJECT ("fixed", BACKBONE, HEADS));
  g_autoptr (MhSplits) splits = mh_test_blob_splits (40, 8, 8, 8, 3);
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "ck.safetensors", NULL);
  g_autofree char *bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MhTraining) r = new_run (p, splits), other = NULL;
  g_autoptr (GPtrArray) t = NULL;
  g_autoptr (GHashTable) meta = NULL;
  gsize len;

  train_until (r, 3);
  g_assert_true (mh_model_save_weights (r->model, path, "ck", &error));
  expect_refused (r, path, "not a checkpoint");

  g_assert_true (mh_training_save_checkpoint (r, path, NAN, &error));
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (path, bytes, (gssize) len - 20, NULL));
  expect_refused (r, path, "truncated");

  /* another seed; the optimiser's moments cut short; a position past the data */
  g_assert_true (g_file_set_contents (path, bytes, (gssize) len, NULL));
  p->seed = 9;
  other = new_run (p, splits);
  expect_refused (other, path, "seed 4");
  p->seed = 4;
  t = mh_safetensors_read (path, &meta, &error);
  ((MhTensorEntry *) mh_tensor_find (t, "optim.v"))->size = 5;
  ((MhTensorEntry *) mh_tensor_find (t, "optim.v"))->shape[0] = 5;
  g_assert_true (mh_safetensors_write (path, t, meta, &error));
  expect_refused (r, path, "optim.v");
  g_clear_pointer (&t, g_ptr_array_unref);
  g_assert_true (g_file_set_contents (path, bytes, (gssize) len, NULL));
  t = mh_safetensors_read (path, NULL, &error);
  g_hash_table_insert (meta, g_strdup ("run.pos"), g_strdup ("100000"));
  g_assert_true (mh_safetensors_write (path, t, meta, &error));
  expect_refused (r, path, "position");
  mh_test_rm_rf (dir);
}

/* The first 2 layers (conv) from another project with other heads; then a
 * backbone of other sizes: every mismatch named with both shapes. */
static void
test_transfer (void)
{
  g_autoptr (MhProject) a = project (PROJECT ("fixed", BACKBONE, HEADS));
  g_autoptr (MhProject) b = project (PROJECT ("fixed", BACKBONE,
    "{ \"name\": \"tags\", \"kind\": \"multilabel\", \"target\": \"tags\", \"layers\": [ { \"type\": \"dense\" } ] }"));
  g_autoptr (MhProject) c = project (PROJECT ("fixed",
    "{ \"type\": \"conv2d\", \"name\": \"conv\", \"filters\": 4, \"kernel\": 3, \"padding\": 1 },"
    "{ \"type\": \"flatten\" }, { \"type\": \"dense\", \"name\": \"fc\", \"units\": 12 }", HEADS));
  g_autoptr (MhDataset) d = mh_test_blob_dataset (4, 8, 8, 1);
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.safetensors", NULL);
  g_autoptr (GError) error = NULL;
  MhModel *ma = mh_model_new (a, d, 1, "a", &error), *mb = mh_model_new (b, d, 1, "b", &error);
  MhModel *mc = mh_model_new (c, d, 1, "c", &error);
  const MhParamRef *conv_a, *conv_b, *fc_a, *fc_b;
  g_autofree float *before = NULL;
  int loaded = 0;

  g_assert_no_error (error);
  mh_model_init (ma, 1);
  mh_model_init (mb, 2);
  mh_model_init (mc, 3);
  g_assert_true (mh_model_save_weights (ma, path, "a", &error));
  g_assert_true (mh_model_load_backbone (mb, path, 2, &loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpint (loaded, ==, 2);
  conv_a = mh_model_find_param (ma, "backbone.conv.weight");
  conv_b = mh_model_find_param (mb, "backbone.conv.weight");
  fc_a = mh_model_find_param (ma, "backbone.fc.weight");
  fc_b = mh_model_find_param (mb, "backbone.fc.weight");
  g_assert_cmpint (memcmp (conv_a->param->data, conv_b->param->data, sizeof (float) * conv_a->param->size), ==, 0);
  g_assert_cmpint (memcmp (fc_a->param->data, fc_b->param->data, sizeof (float) * fc_a->param->size), !=, 0);
  g_assert_true (mh_model_load_backbone (mb, path, 0, &loaded, &error));
  g_assert_cmpint (loaded, ==, 4);
  g_assert_cmpint (memcmp (fc_a->param->data, fc_b->param->data, sizeof (float) * fc_a->param->size), ==, 0);

  before = g_memdup2 (mc->params, sizeof (float) * mc->n_params);
  g_assert_false (mh_model_load_backbone (mc, path, 0, NULL, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_SHAPE);
  for (const char *const *w = (const char *const[]) { "3 of the 4", "'backbone.conv.weight' is 3×1×3×3 in the file, 4×1×3×3",
                                                      "'backbone.conv.bias' is 3 in the file, 4 in the model",
                                                      "'backbone.fc.weight' is 12×192 in the file, 12×256", NULL }; *w; w++)
    if (strstr (error->message, *w) == NULL)
      g_error ("expected '%s' in: %s", *w, error->message);
  g_assert_cmpint (memcmp (before, mc->params, sizeof (float) * mc->n_params), ==, 0);
  g_clear_error (&error);
  g_assert_false (mh_model_load_backbone (mc, path, 9, NULL, &error));
  g_assert_nonnull (strstr (error->message, "transfer.layers is 9"));
  mh_model_free (ma);
  mh_model_free (mb);
  mh_model_free (mc);
  mh_test_rm_rf (dir);
}

/* The project's "weights" and "transfer" keys: read, written, checked. */
static void
test_project_keys (void)
{
  static const char *const bad[][2] = {
    { "\"transfer\": { \"layers\": 2 }", "transfer: missing key 'weights'" },
    { "\"transfer\": { \"weights\": \"a\", \"layers\": -1 }", "transfer.layers" },
    { "\"transfer\": { \"weights\": \"a\", \"layer\": 1 }", "unknown key 'layer'" },
    { "\"weights\": 3", "weights" },
  };
  g_autofree char *json = g_strdup_printf ("%.*s, \"weights\": \"w.safetensors\", \"transfer\": "
                                           "{ \"weights\": \"../base.safetensors\", \"layers\": 2 } }",
                                           (int) strlen (PROJECT ("fixed", BACKBONE, HEADS)) - 2,
                                           PROJECT ("fixed", BACKBONE, HEADS));
  g_autoptr (MhProject) p = project (json), again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  g_assert_cmpstr (p->weights, ==, "w.safetensors");
  g_assert_cmpstr (p->transfer_weights, ==, "../base.safetensors");
  g_assert_cmpint (p->transfer_layers, ==, 2);
  text = mh_project_to_data (p, &len);
  again = mh_project_load_data (text, (gssize) len, "again", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->weights, ==, "w.safetensors");
  g_assert_cmpstr (again->transfer_weights, ==, "../base.safetensors");
  g_assert_cmpint (again->transfer_layers, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *b = g_strdup_printf ("%.*s, %s }", (int) strlen (PROJECT ("fixed", BACKBONE, HEADS)) - 2,
                                            PROJECT ("fixed", BACKBONE, HEADS), bad[i][0]);
      g_autoptr (MhProject) none = mh_project_load_data (b, -1, "bad.mhproj", &error);
      g_assert_null (none);
      if (strstr (error->message, bad[i][1]) == NULL)
        g_error ("expected '%s' in: %s", bad[i][1], error->message);
      g_clear_error (&error);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/engine/checkpoint/resume/fixed", "fixed", test_resume);
  g_test_add_data_func ("/engine/checkpoint/resume/uncertainty", "uncertainty", test_resume);
  g_test_add_data_func ("/engine/checkpoint/resume/gradnorm", "gradnorm", test_resume);
  g_test_add_data_func ("/engine/checkpoint/resume/pcgrad", "pcgrad", test_resume);
  g_test_add_func ("/engine/checkpoint/refused", test_bad_checkpoints);
  g_test_add_func ("/engine/transfer/backbone", test_transfer);
  g_test_add_func ("/engine/transfer/project-keys", test_project_keys);
  return g_test_run ();
}
