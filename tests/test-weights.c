/* test-weights.c — safetensors files: round trip, PyTorch layouts, and every
 * kind of bad file refused with a clear message and nothing half-loaded. */
#include <math.h>
#include <string.h>
#include "mh-error.h"
#include "mh-safetensors.h"
#include "mh-weights.h"
#include "mh-test-util.h"

static const char *cnn_json =
  "{ \"format\": 1, \"name\": \"w\", \"dataset\": { \"kind\": \"fashion-mnist\" },"
  "  \"backbone\": { \"layers\": ["
  "    { \"type\": \"conv2d\", \"name\": \"conv1\", \"filters\": 3, \"kernel\": 3, \"padding\": 1 },"
  "    { \"type\": \"relu\" }, { \"type\": \"conv2d\", \"name\": \"conv2\", \"filters\": 2, \"kernel\": 3, \"padding\": 1 },"
  "    { \"type\": \"flatten\" }, { \"type\": \"dense\", \"name\": \"fc\", \"units\": 5 } ] },"
  "  \"heads\": [ { \"name\": \"cls\", \"target\": \"cls\", \"layers\": [ { \"type\": \"dense\", \"name\": \"out\" } ] } ] }";

typedef struct {
  char      *dir;
  char      *path;
  MhProject *project;
  MhDataset *data;
  MhModel   *model;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;

  f->dir = mh_test_tmp_dir ();
  f->path = g_build_filename (f->dir, "w.safetensors", NULL);
  f->project = mh_project_load_data (cnn_json, -1, "w.mhproj", &error);
  g_assert_no_error (error);
  f->data = mh_test_blob_dataset (2, 6, 6, 1);
  f->model = mh_model_new (f->project, f->data, 2, "w.mhproj", &error);
  g_assert_no_error (error);
  mh_model_init (f->model, 7);
  mh_model_save_weights (f->model, f->path, "w", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer unused)
{
  mh_model_free (f->model);
  mh_dataset_free (f->data);
  mh_project_free (f->project);
  mh_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
test_round_trip (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autofree float *saved = g_memdup2 (f->model->params, sizeof (float) * f->model->n_params);

  mh_model_init (f->model, 8);
  g_assert_false (memcmp (saved, f->model->params, sizeof (float) * f->model->n_params) == 0);
  g_assert_true (mh_model_load_weights (f->model, f->path, &error));
  g_assert_no_error (error);
  g_assert_true (memcmp (saved, f->model->params, sizeof (float) * f->model->n_params) == 0);
}

/* Names, PyTorch shapes, metadata, and the conv weight in F×C×k×k order. */
static void
test_layout (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) meta = NULL;
  g_autoptr (GPtrArray) t = mh_safetensors_read (f->path, &meta, &error);
  const MhParamRef *conv = mh_model_find_param (f->model, "backbone.conv2.weight");
  MhTensorEntry *cw = NULL, *fc = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (t->len, ==, 8);
  g_assert_cmpstr (g_hash_table_lookup (meta, "project"), ==, "w");
  g_assert_cmpstr (g_hash_table_lookup (meta, "format"), ==, "1");
  for (guint i = 0; i < t->len; i++)
    {
      MhTensorEntry *e = t->pdata[i];
      if (strcmp (e->name, "backbone.conv2.weight") == 0)
        cw = e;
      if (strcmp (e->name, "backbone.fc.weight") == 0)
        fc = e;
    }
  g_assert_nonnull (cw);
  g_assert_nonnull (fc);
  g_assert_cmpint (cw->rank, ==, 4);
  g_assert_cmpint (cw->shape[0], ==, 2);   /* F */
  g_assert_cmpint (cw->shape[1], ==, 3);   /* C */
  g_assert_cmpint (cw->shape[2], ==, 3);
  g_assert_cmpint (cw->shape[3], ==, 3);
  g_assert_cmpint (fc->shape[0], ==, 5);   /* out × in, as nn.Linear */
  g_assert_cmpint (fc->shape[1], ==, 6 * 6 * 2);
  /* file [o][c][y][x] = engine [o][y][x][c] */
  for (int o = 0; o < 2; o++)
    for (int c = 0; c < 3; c++)
      for (int y = 0; y < 3; y++)
        for (int x = 0; x < 3; x++)
          g_assert_cmpfloat (cw->data[((o * 3 + c) * 3 + y) * 3 + x], ==,
                             conv->param->data[((o * 3 + y) * 3 + x) * 3 + c]);
}

static void
write_bytes (const char *path, const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

static void
expect_load_error (Fixture *f, int code, const char *words)
{
  g_autoptr (GError) error = NULL;
  g_autofree float *before = g_memdup2 (f->model->params, sizeof (float) * f->model->n_params);

  g_assert_false (mh_model_load_weights (f->model, f->path, &error));
  g_assert_error (error, MH_ERROR, code);
  if (strstr (error->message, f->path) == NULL || strstr (error->message, words) == NULL)
    g_error ("expected the path and '%s' in: %s", words, error->message);
  /* Nothing half-loaded. */
  g_assert_true (memcmp (before, f->model->params, sizeof (float) * f->model->n_params) == 0);
}

static void
test_truncated (Fixture *f, gconstpointer unused)
{
  g_autofree char *bytes = NULL;
  gsize len;

  g_file_get_contents (f->path, &bytes, &len, NULL);
  write_bytes (f->path, bytes, len - 10);
  expect_load_error (f, MH_ERROR_FORMAT, "truncated");
  write_bytes (f->path, bytes, 5);
  expect_load_error (f, MH_ERROR_FORMAT, "header");
}

static void
test_absurd_header (Fixture *f, gconstpointer unused)
{
  guint64 huge = GUINT64_TO_LE (G_GUINT64_CONSTANT (1) << 60);
  char buf[64] = { 0 };

  memcpy (buf, &huge, 8);
  write_bytes (f->path, buf, sizeof buf);
  expect_load_error (f, MH_ERROR_FORMAT, "header");
}

static void
write_header (const char *path, const char *json, gsize data_len)
{
  gsize hl = strlen (json);
  g_autofree guint8 *buf = g_malloc0 (8 + hl + data_len);
  guint64 le = GUINT64_TO_LE (hl);

  memcpy (buf, &le, 8);
  memcpy (buf + 8, json, hl);
  write_bytes (path, buf, 8 + hl + data_len);
}

static void
test_wrong_dtype (Fixture *f, gconstpointer unused)
{
  write_header (f->path, "{\"backbone.conv1.weight\":{\"dtype\":\"F16\",\"shape\":[3,1,3,3],\"data_offsets\":[0,54]}}", 54);
  expect_load_error (f, MH_ERROR_FORMAT, "F16");
}

static void
test_missing_tensor (Fixture *f, gconstpointer unused)
{
  write_header (f->path, "{\"backbone.conv1.weight\":{\"dtype\":\"F32\",\"shape\":[3,1,3,3],\"data_offsets\":[0,108]}}", 108);
  expect_load_error (f, MH_ERROR_INVALID, "backbone.conv1.bias");
}

static void
test_shape_mismatch (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) t = mh_safetensors_read (f->path, NULL, &error);

  for (guint i = 0; i < t->len; i++)
    {
      MhTensorEntry *e = t->pdata[i];
      if (strcmp (e->name, "backbone.fc.weight") == 0)
        e->shape[0] = 15, e->shape[1] = 24;   /* same count, other shape */
    }
  mh_safetensors_write (f->path, t, NULL, &error);
  g_assert_no_error (error);
  expect_load_error (f, MH_ERROR_SHAPE, "15×24");
}

static void
test_not_finite (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) t = mh_safetensors_read (f->path, NULL, &error);

  ((MhTensorEntry *) t->pdata[0])->data[1] = NAN;
  mh_safetensors_write (f->path, t, NULL, &error);
  g_assert_no_error (error);
  expect_load_error (f, MH_ERROR_NUMERIC, ((MhTensorEntry *) t->pdata[0])->name);
}

static void
test_offsets_outside (Fixture *f, gconstpointer unused)
{
  write_header (f->path, "{\"backbone.conv1.weight\":{\"dtype\":\"F32\",\"shape\":[3,1,3,3],\"data_offsets\":[0,108]}}", 40);
  expect_load_error (f, MH_ERROR_FORMAT, "backbone.conv1.weight");
}

static void
test_missing_file (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "nope.safetensors", NULL);

  g_assert_false (mh_model_load_weights (f->model, path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "nope.safetensors"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/engine/weights/round-trip", test_round_trip);
  ADD ("/engine/weights/layout", test_layout);
  ADD ("/engine/weights/truncated", test_truncated);
  ADD ("/engine/weights/absurd-header", test_absurd_header);
  ADD ("/engine/weights/wrong-dtype", test_wrong_dtype);
  ADD ("/engine/weights/missing-tensor", test_missing_tensor);
  ADD ("/engine/weights/shape-mismatch", test_shape_mismatch);
  ADD ("/engine/weights/not-finite", test_not_finite);
  ADD ("/engine/weights/offsets-outside", test_offsets_outside);
  ADD ("/engine/weights/missing-file", test_missing_file);
  return g_test_run ();
}
