/* test-torch.c — export-torch: the exported model.py gives the engine's
 * outputs (within 1e-4) on 16 test samples for the mlp, cnn and vit
 * examples, and train_ddp.py trains with 2 processes on the CPU (gloo),
 * writing weights the engine loads; and for the sequence examples (the
 * German nouns' GRU and transformer on an invented dictionary, the sensors'
 * multi-head convolution and GRU) and two more text models that use every
 * sequence layer (lstm, conv1d over tokens, seqpool, masked mean), the
 * outputs of model.py's nn.Embedding, nn.GRU, nn.LSTM and nn.Conv1d with the
 * padding mask agree within 1e-5.  Needs /usr/bin/python3 with torch and
 * numpy (Debian's python3-torch); skipped without them. */
#include <math.h>
#include <string.h>
#include <gio/gio.h>
#include "mh-splits.h"
#include "mh-test-util.h"
#include "mh-weights.h"

#define PYTHON "/usr/bin/python3"
#define N_IMAGES 16

static char *data_dir;
static char *dict_path;
static char *work_dir;

/* Runs argv in `cwd`; fails the test with its output unless it exits 0. */
static char *
spawn (const char *cwd, const char *const *argv)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  g_spawn_sync (cwd, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed:\n%s\n%s", argv[0], out, err);
  return g_steal_pointer (&out);
}

static gboolean
have_torch (void)
{
  int status;

  return g_spawn_sync (NULL, (char *[]) { PYTHON, "-c", "import torch, numpy", NULL }, NULL,
                       G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                       &status, NULL)
         && g_spawn_check_wait_status (status, NULL);
}

static void
write_floats (const char *path, const float *v, gsize n)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, (const char *) v, (gssize) (n * sizeof (float)), &error);
  g_assert_no_error (error);
}

/* The engine's outputs on the first 16 test images, as raw float32 files
 * in `dir`: x.bin (N × H × W × C) and HEAD.bin (N × outputs). */
static void
engine_outputs (const char *project_file, const char *data, const char *weights, const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = mh_project_load (project_file, &error);
  g_autoptr (MhSplits) splits = NULL;
  MhModel *m;
  int idx[N_IMAGES];

  g_assert_no_error (error);
  splits = mh_splits_load (&p->data, data, project_file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (splits->test->n, >=, N_IMAGES);
  m = mh_model_new (p, splits->test, N_IMAGES, project_file, &error);
  g_assert_no_error (error);
  g_assert_true (mh_model_load_weights (m, weights, &error));
  for (int i = 0; i < N_IMAGES; i++)
    idx[i] = i;
  mh_model_set_batch (m, splits->test, idx, N_IMAGES);
  mh_model_forward (m, N_IMAGES, FALSE, NULL);
  {
    g_autofree char *x = g_build_filename (dir, "x.bin", NULL);
    write_floats (x, m->x, N_IMAGES * mh_shape_size (&m->input));
  }
  for (int h = 0; h < m->n_heads; h++)
    {
      g_autofree char *name = g_strdup_printf ("%s.bin", m->heads[h].name);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      write_floats (path, m->heads[h].logits, (gsize) N_IMAGES * m->heads[h].out_dim);
    }
  mh_model_free (m);
}

static const char *compare_py =
  "import json, sys, numpy as np, torch\n"
  "sys.path.insert(0, '.')\n"
  "import model\n"
  "m = model.load_model('weights.safetensors')\n"
  "x = np.fromfile('x.bin', dtype='<f4')\n"
  "if model.INPUT_KIND == 'pixels':\n"
  "    c, h, w = model.INPUT_SHAPE\n"
  "    x = torch.from_numpy(np.ascontiguousarray(x.reshape(-1, h, w, c).transpose(0, 3, 1, 2)))\n"
  "elif model.INPUT_KIND == 'tokens':\n"
  "    x = torch.from_numpy(x.reshape(-1, *model.INPUT_SHAPE).astype(np.int64))\n"
  "    assert (x == 0).any(), 'no padding in the test words'\n"
  "else:\n"
  "    x = torch.from_numpy(x.reshape(-1, *model.INPUT_SHAPE))\n"
  "with torch.no_grad():\n"
  "    out = m(x)\n"
  "diff = {k: float(np.abs(v.numpy() - np.fromfile(k + '.bin', dtype='<f4').reshape(v.shape)).max())\n"
  "        for k, v in out.items()}\n"
  "print(json.dumps(diff))\n";

/* Trains `project` a few steps, exports it, and compares model.py's
 * outputs with the engine's (each head's largest difference under
 * `tolerance`); returns the export's folder. */
static char *
export_and_compare (const char *name, const char *project, const char *data, double tolerance)
{
  g_autofree char *dir = g_build_filename (work_dir, name, NULL);
  g_autofree char *weights = g_build_filename (work_dir, name, "w.safetensors", NULL);
  g_autofree char *report = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GList) heads = NULL;
  const char *binary = g_getenv ("MH_BINARY");
  const char *train[] = { binary, "train", project, "--steps", "3", "--threads", "1", "--save", weights,
                          data ? "--data" : NULL, data, NULL };
  const char *export[] = { binary, "export-torch", project, "--weights", weights, "--out", dir,
                           data ? "--data" : NULL, data, NULL };
  JsonObject *diff;

  g_mkdir_with_parents (dir, 0700);
  g_free (spawn (NULL, train));
  g_free (spawn (NULL, export));
  engine_outputs (project, data, weights, dir);
  report = spawn (dir, (const char *[]) { PYTHON, "-c", compare_py, NULL });
  json_parser_load_from_data (parser, report, -1, &error);
  g_assert_no_error (error);
  diff = json_node_get_object (json_parser_get_root (parser));
  heads = json_object_get_members (diff);
  g_assert_cmpuint (g_list_length (heads), ==, 3);
  for (GList *l = heads; l; l = l->next)
    {
      double d = json_object_get_double_member (diff, l->data);
      g_test_message ("%s: head %s: max |torch - engine| = %.3g", name, (char *) l->data, d);
      g_assert_cmpfloat (d, <, tolerance);
    }
  return g_steal_pointer (&dir);
}

static void
test_export (gconstpointer data)
{
  const char *name = data;
  g_autofree char *example = g_strdup_printf ("%s/resources/examples/fashion-%s.mhproj", MH_SOURCE_DIR, name);
  g_autofree char *dir = NULL, *ddp_out = NULL, *trained = NULL;
  g_autoptr (GError) error = NULL;

  if (!have_torch ())
    {
      g_test_skip ("needs /usr/bin/python3 with torch and numpy (python3-torch)");
      return;
    }
  dir = export_and_compare (name, example, data_dir, 1e-4);

  /* DDP: 2 processes, gloo, a few steps; the engine reads what it wrote. */
  trained = g_build_filename (dir, "ddp.safetensors", NULL);
  /* Debian 12's torchrun fails under Python 3.11: the script starts its
   * processes itself, as torchrun would (RANK, WORLD_SIZE, MASTER_* set). */
  ddp_out = spawn (dir, (const char *[]) { PYTHON, "train_ddp.py", "--nproc", "2", "--port",
                                           name[0] == 'm' ? "29511" : name[0] == 'c' ? "29512" : "29513",
                                           "--data", data_dir, "--steps", "3",
                                           "--weights", "weights.safetensors", "--save", trained, NULL });
  g_assert_nonnull (strstr (ddp_out, "trained 3 steps on 2 processes (gloo)"));
  {
    g_autoptr (MhProject) p = mh_project_load (example, &error);
    g_autoptr (MhSplits) splits = mh_splits_load (&p->data, data_dir, example, &error);
    MhModel *m = mh_model_new (p, splits->test, 1, example, &error);
    g_assert_no_error (error);
    g_assert_true (mh_model_load_weights (m, trained, &error));
    g_assert_no_error (error);
    mh_model_free (m);
  }
}

/* The sequence examples, and two text models that use the other layers. */
static const char *const text_zoo[] = {
  "lstm-conv",
  "\"backbone\": { \"kind\": \"rnn\", \"layers\": [ { \"type\": \"embedding\", \"dim\": 6 },"
  " { \"type\": \"conv1d\", \"filters\": 8, \"kernel\": 3, \"padding\": 1 }, { \"type\": \"relu\" },"
  " { \"type\": \"lstm\", \"hidden\": 5, \"num_layers\": 2, \"bidirectional\": true, \"mode\": \"all\" },"
  " { \"type\": \"seqpool\", \"mode\": \"mean\" } ] }",
  "transformer-mean",
  "\"backbone\": { \"kind\": \"transformer\", \"layers\": [ { \"type\": \"embedding\", \"dim\": 8 },"
  " { \"type\": \"position_embedding\" }, { \"type\": \"transformer_block\", \"heads\": 2, \"hidden\": 16 },"
  " { \"type\": \"conv1d\", \"filters\": 8, \"kernel\": 2, \"stride\": 2, \"groups\": 2 },"
  " { \"type\": \"gru\", \"hidden\": 4, \"mode\": \"all\" }, { \"type\": \"seqpool\", \"mode\": \"max\" } ] }",
};

static void
test_export_sequences (gconstpointer data)
{
  const char *name = data;
  g_autofree char *project = NULL, *dir = NULL;

  if (!have_torch ())
    {
      g_test_skip ("needs /usr/bin/python3 with torch and numpy (python3-torch)");
      return;
    }
  if (g_str_has_prefix (name, "german-nouns") || g_str_has_prefix (name, "sensors"))
    project = g_strdup_printf ("%s/resources/examples/%s.mhproj", MH_SOURCE_DIR, name);
  else
    for (guint i = 0; i < G_N_ELEMENTS (text_zoo); i += 2)
      if (g_str_equal (text_zoo[i], name))
        {
          g_autofree char *json = g_strdup_printf (
            "{ \"format\": 1, \"name\": \"%s\", \"dataset\": { \"kind\": \"german-nouns\", \"length\": 12,"
            " \"validation\": 20 }, %s, \"heads\": ["
            " { \"name\": \"gender\", \"target\": \"gender\", \"layers\": [ { \"type\": \"dense\" } ] },"
            " { \"name\": \"syllables\", \"target\": \"syllables\", \"layers\": [ { \"type\": \"dense\" } ] },"
            " { \"name\": \"stress\", \"target\": \"stress\", \"layers\": [ { \"type\": \"dense\" } ] } ] }",
            name, text_zoo[i + 1]);
          project = g_build_filename (work_dir, "zoo.mhproj", NULL);
          mh_test_write_file (project, json, strlen (json), FALSE);
        }
  g_assert_nonnull (project);
  /* the sensors' examples hold 2000 windows out for validation: a shorter run will do */
  /* measured: at most 7.2e-7 (the transformer over characters), most near 1e-7 */
  dir = export_and_compare (name, project, g_str_has_prefix (name, "sensors") ? NULL : dict_path, 1e-5);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  work_dir = mh_test_tmp_dir ();
  /* the examples hold 5000 training images out for validation */
  data_dir = mh_test_fake_fashion_dir (work_dir, 5200, 32, 5);
  /* the German nouns' examples hold 5000 words out for validation */
  dict_path = g_build_filename (work_dir, "nouns.dict.dz", NULL);
  mh_test_write_fake_dict (dict_path, 12000, 5);
  g_test_add_data_func ("/torch/export/mlp", "mlp", test_export);
  g_test_add_data_func ("/torch/export/cnn", "cnn", test_export);
  g_test_add_data_func ("/torch/export/vit", "vit", test_export);
  g_test_add_data_func ("/torch/export/german-nouns-gru", "german-nouns-gru", test_export_sequences);
  g_test_add_data_func ("/torch/export/german-nouns-transformer", "german-nouns-transformer",
                        test_export_sequences);
  g_test_add_data_func ("/torch/export/sensors-multihead-conv", "sensors-multihead-conv", test_export_sequences);
  g_test_add_data_func ("/torch/export/sensors-gru", "sensors-gru", test_export_sequences);
  g_test_add_data_func ("/torch/export/lstm-conv", "lstm-conv", test_export_sequences);
  g_test_add_data_func ("/torch/export/transformer-mean", "transformer-mean", test_export_sequences);
  status = g_test_run ();
  mh_test_rm_rf (work_dir);
  g_free (work_dir);
  g_free (data_dir);
  g_free (dict_path);
  return status;
}
