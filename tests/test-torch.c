/* test-torch.c — export-torch: the exported model.py gives the engine's
 * outputs (within 1e-4) on 16 test images for the mlp, cnn and vit examples,
 * and train_ddp.py trains with 2 processes on the CPU (gloo), writing
 * weights the engine loads.  Needs /usr/bin/python3 with torch and numpy
 * (Debian's python3-torch); skipped without them. */
#include <math.h>
#include <string.h>
#include <gio/gio.h>
#include "mh-splits.h"
#include "mh-test-util.h"
#include "mh-weights.h"

#define PYTHON "/usr/bin/python3"
#define N_IMAGES 16

static char *data_dir;
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
engine_outputs (const char *project_file, const char *weights, const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = mh_project_load (project_file, &error);
  g_autoptr (MhSplits) data = NULL;
  MhModel *m;
  int idx[N_IMAGES];

  g_assert_no_error (error);
  data = mh_splits_load (&p->data, data_dir, project_file, &error);
  g_assert_no_error (error);
  m = mh_model_new (p, data->test, N_IMAGES, project_file, &error);
  g_assert_no_error (error);
  g_assert_true (mh_model_load_weights (m, weights, &error));
  for (int i = 0; i < N_IMAGES; i++)
    idx[i] = i;
  mh_model_set_batch (m, data->test, idx, N_IMAGES);
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
  "c, h, w = model.INPUT_SHAPE\n"
  "x = np.fromfile('x.bin', dtype='<f4').reshape(-1, h, w, c).transpose(0, 3, 1, 2)\n"
  "with torch.no_grad():\n"
  "    out = m(torch.from_numpy(np.ascontiguousarray(x)))\n"
  "diff = {k: float(np.abs(v.numpy() - np.fromfile(k + '.bin', dtype='<f4').reshape(v.shape)).max())\n"
  "        for k, v in out.items()}\n"
  "print(json.dumps(diff))\n";

static void
test_export (gconstpointer data)
{
  const char *name = data;
  g_autofree char *example = g_strdup_printf ("%s/resources/examples/fashion-%s.mhproj", MH_SOURCE_DIR, name);
  g_autofree char *dir = g_build_filename (work_dir, name, NULL);
  g_autofree char *weights = g_build_filename (work_dir, name, "w.safetensors", NULL);
  g_autofree char *report = NULL, *ddp_out = NULL, *trained = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GList) heads = NULL;
  const char *binary = g_getenv ("MH_BINARY");
  JsonObject *diff;

  if (!have_torch ())
    {
      g_test_skip ("needs /usr/bin/python3 with torch and numpy (python3-torch)");
      return;
    }
  g_mkdir_with_parents (dir, 0700);
  g_free (spawn (NULL, (const char *[]) { binary, "train", example, "--data", data_dir, "--steps", "3",
                                          "--threads", "1", "--save", weights, NULL }));
  g_free (spawn (NULL, (const char *[]) { binary, "export-torch", example, "--weights", weights,
                                          "--out", dir, "--data", data_dir, NULL }));
  engine_outputs (example, weights, dir);
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
      g_assert_cmpfloat (d, <, 1e-4);
    }

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

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  work_dir = mh_test_tmp_dir ();
  /* the examples hold 5000 training images out for validation */
  data_dir = mh_test_fake_fashion_dir (work_dir, 5200, 32, 5);
  g_test_add_data_func ("/torch/export/mlp", "mlp", test_export);
  g_test_add_data_func ("/torch/export/cnn", "cnn", test_export);
  g_test_add_data_func ("/torch/export/vit", "vit", test_export);
  status = g_test_run ();
  mh_test_rm_rf (work_dir);
  g_free (work_dir);
  g_free (data_dir);
  return status;
}
