/* test-cli.c — `multihead-studio train`, `runs`, `render-curves`, `render-attention` and
 * `render-saliency` end to end:
 * the JSON figures, the weights file, the figure, and one clear line and a
 * non-zero exit for bad input. */
#include <cairo.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include "mh-safetensors.h"
#include "mh-test-util.h"

static char *data_dir;   /* a small fake Fashion-MNIST */
static char *work_dir;

typedef struct {
  int   status;   /* exit status; -1: killed by a signal */
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs the program; env: NULL or NAME, VALUE pairs to set. */
static Result
run_env (const char *const *args, const char *const *env)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  Result r = { 0 };

  g_ptr_array_add (argv, (gpointer) g_getenv ("MH_BINARY"));
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (int i = 0; env && env[i]; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r.out, &r.err, &error);
  g_assert_no_error (error);
  r.status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  return r;
}

static Result
run (const char *const *args)
{
  return run_env (args, NULL);
}

static char *
write_project (const char *name, const char *json)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (work_dir, name, NULL);

  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
  return path;
}

#define PROJECT(backbone, heads, rest) \
  "{ \"format\": 1, \"name\": \"cli\", \"dataset\": { \"kind\": \"fashion-mnist\", \"validation\": 40 },\n" \
  "  \"backbone\": { \"kind\": \"mlp\", \"layers\": [ " backbone " ] },\n" \
  "  \"heads\": [ " heads " ]" rest " }\n"
#define MLP "{ \"type\": \"flatten\" }, { \"type\": \"dense\", \"name\": \"fc1\", \"units\": 32 }, { \"type\": \"relu\" }"
#define HEADS \
  "{ \"name\": \"category\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\", \"units\": 10 } ] }," \
  "{ \"name\": \"upper\", \"target\": \"upper\", \"input\": \"fc1\", \"layers\": [ { \"type\": \"dense\" } ] }"
#define CATEGORY_HEAD "{ \"name\": \"category\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] }"
#define TRAINING ", \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.003 }, \"training\": { \"batch\": 32, \"epochs\": 2, \"seed\": 3 }"

static JsonObject *
last_json_line (const char *out, JsonParser *parser)
{
  g_auto (GStrv) lines = g_strsplit (g_strchomp ((char *) out), "\n", -1);
  guint n = g_strv_length (lines);
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (n, >, 0);
  json_parser_load_from_data (parser, lines[n - 1], -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_train_json (void)
{
  g_autofree char *project = write_project ("ok.mhproj", PROJECT (MLP, HEADS, TRAINING));
  g_autofree char *weights = g_build_filename (work_dir, "ok.safetensors", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tensors = NULL;
  Result r = run ((const char *[]) { "train", project, "--data", data_dir, "--threads", "1",
                                     "--save", weights, "--json", NULL });
  JsonObject *o, *heads, *cat;

  if (r.status != 0)
    g_error ("train failed: %s", r.err);
  o = last_json_line (r.out, parser);
  g_assert_cmpfloat (json_object_get_double_member (o, "train_samples_per_s"), >, 0);
  g_assert_cmpuint (strlen (json_object_get_string_member (o, "blas_core")), >, 0);
  /* 400 training images − 40 for validation, batch 32, two epochs. */
  g_assert_cmpint (json_object_get_int_member (o, "steps"), ==, 2 * 12);
  heads = json_object_get_object_member (o, "heads");
  cat = json_object_get_object_member (heads, "category");
  g_assert_true (json_object_has_member (cat, "test_loss"));
  g_assert_cmpfloat (json_object_get_double_member (cat, "test_acc"), >, 0.5);
  g_assert_true (json_object_has_member (json_object_get_object_member (heads, "upper"), "test_acc"));
  /* the heads read different taps: no cosine for the pair, but each its norm */
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "conflict"), "cosine"));
  g_assert_cmpfloat (json_object_get_double_member (cat, "grad_norm"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "balancing"), ==, "fixed");
  g_assert_nonnull (strstr (r.err, "samples/s"));
  g_assert_nonnull (strstr (r.err, "category"));
  tensors = mh_safetensors_read (weights, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tensors->len, ==, 6);
  result_clear (&r);
}

static void
test_train_steps (void)
{
  g_autofree char *project = write_project ("steps.mhproj", PROJECT (MLP, HEADS, TRAINING));
  g_autoptr (JsonParser) parser = json_parser_new ();
  Result r = run ((const char *[]) { "train", project, "--data", data_dir, "--steps", "3", "--json", NULL });
  JsonObject *o, *cat;

  g_assert_cmpint (r.status, ==, 0);
  o = last_json_line (r.out, parser);
  g_assert_cmpint (json_object_get_int_member (o, "steps"), ==, 3);
  cat = json_object_get_object_member (json_object_get_object_member (o, "heads"), "category");
  g_assert_false (json_object_has_member (cat, "test_acc"));   /* no epoch ended, no --eval */
  result_clear (&r);
}

/* A user's own OPENBLAS_CORETYPE wins over the engine's choice, and the
 * core in use is what the figures report. */
static void
test_blas_core_respected (void)
{
  g_autofree char *project = write_project ("core.mhproj", PROJECT (MLP, HEADS, TRAINING));
  g_autoptr (JsonParser) parser = json_parser_new ();
  Result r = run_env ((const char *[]) { "train", project, "--data", data_dir, "--steps", "2", "--json", NULL },
                      (const char *[]) { "OPENBLAS_CORETYPE", "Haswell", NULL });
  JsonObject *o;

  g_assert_cmpint (r.status, ==, 0);
  o = last_json_line (r.out, parser);
  g_assert_cmpstr (json_object_get_string_member (o, "blas_core"), ==, "Haswell");
  g_assert_nonnull (strstr (r.err, "Haswell"));
  result_clear (&r);
}

/* Exit status 1 (not a crash), nothing on stdout, and one line on stderr
 * with every word asked for. */
static void
expect_failure (const char *const *args, const char *const *words)
{
  Result r = run (args);

  g_assert_cmpint (r.status, ==, 1);
  for (int i = 0; words[i]; i++)
    if (strstr (r.err, words[i]) == NULL)
      g_error ("'%s' is not in: %s", words[i], r.err);
  g_assert_cmpstr (r.out, ==, "");
  result_clear (&r);
}

#define ARGS(...) ((const char *[]) { __VA_ARGS__, NULL })

static void
test_bad_project (gconstpointer data)
{
  const char *const *c = data;   /* file name, JSON, then the words */
  g_autofree char *project = write_project (c[0], c[1]);

  expect_failure (ARGS ("train", project, "--data", data_dir), c + 2);
}

static const char *const bad_projects[][8] = {
  { "syntax.mhproj", "{ \"format\": 1,\n  \"name\": \"x\" \"oops\" }", "syntax.mhproj", ":2:", NULL },
  { "unknown-key.mhproj", PROJECT (MLP, HEADS, ", \"trainig\": {}"), "unknown-key.mhproj", "trainig", NULL },
  { "unknown-layer.mhproj", PROJECT ("{ \"type\": \"flaten\" }", CATEGORY_HEAD, ""), "backbone.layers[0]", "flaten", NULL },
  { "bad-tap.mhproj", PROJECT (MLP, "{ \"name\": \"c\", \"target\": \"category\", \"input\": \"fc9\", \"layers\": [ { \"type\": \"dense\" } ] }", ""),
    "bad-tap.mhproj", "heads[0]", "fc9", NULL },
  { "shape.mhproj", PROJECT ("{ \"type\": \"dense\", \"units\": 8 }", CATEGORY_HEAD, ""), "shape.mhproj", "backbone.layers[0]",
    "28×28×1", NULL },
  { "batch0.mhproj", PROJECT (MLP, HEADS, ", \"training\": { \"batch\": 0 }"), "training.batch", "0", NULL },
  { "epochs.mhproj", PROJECT (MLP, HEADS, ", \"training\": { \"epochs\": -2 }"), "training.epochs", "-2", NULL },
  { "lr-inf.mhproj", PROJECT (MLP, HEADS, ", \"optimizer\": { \"lr\": 1e999 }"), "optimizer.lr", NULL },
  { "lr-neg.mhproj", PROJECT (MLP, HEADS, ", \"optimizer\": { \"lr\": -0.1 }"), "optimizer.lr", NULL },
  { "field.mhproj", PROJECT (MLP, "{ \"name\": \"c\", \"target\": \"colour\", \"layers\": [ { \"type\": \"dense\" } ] }", ""),
    "heads[0].target", "colour", "category, group, upper", NULL },
};

static void
test_missing_file (void)
{
  expect_failure (ARGS ("train", "/nonexistent/x.mhproj"), ARGS ("/nonexistent/x.mhproj"));
}

static void
test_missing_dataset (void)
{
  g_autofree char *project = write_project ("nodata.mhproj", PROJECT (MLP, HEADS, ""));

  expect_failure (ARGS ("train", project, "--data", "/nonexistent/fashion"),
                  ARGS ("/nonexistent/fashion", "dataset-fashion-mnist"));
}

static void
test_truncated_idx (void)
{
  g_autofree char *bad = g_build_filename (work_dir, "truncated-data", NULL);
  g_autofree char *images = g_build_filename (bad, "train-images-idx3-ubyte.gz", NULL);
  g_autofree char *project = write_project ("trunc.mhproj", PROJECT (MLP, HEADS, ""));
  g_autofree char *bytes = NULL;
  gsize len;

  g_mkdir_with_parents (bad, 0700);
  mh_test_write_fake_fashion (bad, 50, 10, 1);
  /* The same file cut short by 10 images, written uncompressed (the reader
   * goes by the magic bytes, not by the name). */
  g_assert_true (g_file_get_contents (images, &bytes, &len, NULL));
  {
    g_autoptr (GInputStream) raw = g_memory_input_stream_new_from_data (bytes, len, NULL);
    g_autoptr (GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
    g_autoptr (GInputStream) in = g_converter_input_stream_new (raw, G_CONVERTER (z));
    g_autofree guint8 *plain = g_malloc (16 + 50 * 784);
    gsize got = 0;
    g_assert_true (g_input_stream_read_all (in, plain, 16 + 50 * 784, &got, NULL, NULL));
    g_assert_cmpuint (got, ==, 16 + 50 * 784);
    g_assert_true (g_file_set_contents (images, (char *) plain, 16 + 40 * 784, NULL));
  }
  expect_failure (ARGS ("train", project, "--data", bad), ARGS ("train-images-idx3-ubyte.gz", "truncated"));
}

static void
test_nan_loss (void)
{
  g_autofree char *project = write_project ("nan.mhproj",
    PROJECT (MLP, HEADS, ", \"optimizer\": { \"kind\": \"sgd\", \"lr\": 1e15, \"momentum\": 0 }, \"training\": { \"batch\": 32 }"));
  g_autofree char *weights = g_build_filename (work_dir, "nan.safetensors", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tensors = NULL;
  Result r = run (ARGS ("train", project, "--data", data_dir, "--save", weights));

  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "nan.mhproj"));
  g_assert_nonnull (strstr (r.err, "step"));
  g_assert_true (strstr (r.err, "'category'") || strstr (r.err, "'upper'"));
  /* The last good weights are kept, and they are finite. */
  tensors = mh_safetensors_read (weights, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tensors->len; i++)
    {
      MhTensorEntry *t = tensors->pdata[i];
      for (gsize j = 0; j < t->size; j++)
        g_assert_true (isfinite (t->data[j]));
    }
  result_clear (&r);
}

static void
test_bad_options (void)
{
  g_autofree char *project = write_project ("opt.mhproj", PROJECT (MLP, HEADS, ""));

  expect_failure (ARGS ("train", project, "--steps", "3", "--epochs", "2"), ARGS ("--steps", "--epochs"));
  expect_failure (ARGS ("train", project, "--epochs", "-1"), ARGS ("--epochs"));
  expect_failure (ARGS ("train"), ARGS ("project file"));
}

/* ---- render-attention ---------------------------------------------------- */

#define VIT(dim) \
  "{ \"type\": \"patch_embed\", \"patch\": 7, \"dim\": " #dim " }, { \"type\": \"class_token\" }," \
  "{ \"type\": \"position_embedding\" }," \
  "{ \"type\": \"transformer_block\", \"name\": \"block1\", \"heads\": 2, \"hidden\": 16 }," \
  "{ \"type\": \"transformer_block\", \"name\": \"block2\", \"heads\": 2, \"hidden\": 16 }," \
  "{ \"type\": \"layernorm\" }, { \"type\": \"select_token\", \"mode\": \"class\" }"

/* Trains `project` for a few steps; returns its weights file. */
static char *
train_briefly (const char *project)
{
  char *weights = g_strconcat (project, ".safetensors", NULL);
  Result r = run (ARGS ("train", project, "--data", data_dir, "--steps", "3", "--save", weights));

  if (r.status != 0)
    g_error ("train failed: %s", r.err);
  result_clear (&r);
  return weights;
}

static void
test_render_attention (void)
{
  g_autofree char *project = write_project ("vit.mhproj", PROJECT (VIT (16), CATEGORY_HEAD, TRAINING));
  g_autofree char *weights = train_briefly (project);
  g_autofree char *png = g_build_filename (work_dir, "attention.png", NULL);
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  Result r = run (ARGS ("render-attention", project, "--weights", weights, "--sample", "7",
                        "--out", png, "--data", data_dir));
  cairo_surface_t *s;
  const guint8 *px;
  int w, h, stride;

  if (r.status != 0)
    g_error ("render-attention failed: %s", r.err);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, png));
  result_clear (&r);
  /* a figure of 2 rows (blocks) × input, 2 heads and the rollout, in colour */
  s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  stride = cairo_image_surface_get_stride (s);
  g_assert_cmpint (w, >=, 600);
  g_assert_cmpint (h, >=, 400);
  px = cairo_image_surface_get_data (s);
  for (int y = 0; y < h; y += 2)
    for (int x = 0; x < w; x += 2)
      g_hash_table_add (colours, GUINT_TO_POINTER (((const guint32 *) (px + (gsize) y * stride))[x] & 0xffffff));
  g_test_message ("%u colours", g_hash_table_size (colours));
  g_assert_cmpuint (g_hash_table_size (colours), >, 200);
  cairo_surface_destroy (s);
}

static void
test_render_attention_errors (void)
{
  g_autofree char *vit = write_project ("vit-e.mhproj", PROJECT (VIT (16), CATEGORY_HEAD, TRAINING));
  g_autofree char *vit8 = write_project ("vit8.mhproj", PROJECT (VIT (8), CATEGORY_HEAD, TRAINING));
  g_autofree char *mlp = write_project ("mlp-e.mhproj", PROJECT (MLP, HEADS, TRAINING));
  g_autofree char *vit_w = train_briefly (vit);
  g_autofree char *mlp_w = train_briefly (mlp);
  g_autofree char *png = g_build_filename (work_dir, "never.png", NULL);

  expect_failure (ARGS ("render-attention", vit, "--weights", vit_w, "--sample", "100", "--out", png,
                        "--data", data_dir), ARGS ("--sample 100", "out of range", "0 … 99"));
  expect_failure (ARGS ("render-attention", vit, "--weights", "/nonexistent/w.safetensors", "--out", png,
                        "--data", data_dir), ARGS ("/nonexistent/w.safetensors"));
  expect_failure (ARGS ("render-attention", vit, "--weights", mlp_w, "--out", png, "--data", data_dir),
                  ARGS (mlp_w, "backbone.", "missing"));
  expect_failure (ARGS ("render-attention", vit8, "--weights", vit_w, "--out", png, "--data", data_dir),
                  ARGS (vit_w, "has shape", "16"));
  expect_failure (ARGS ("render-attention", mlp, "--weights", mlp_w, "--out", png, "--data", data_dir),
                  ARGS ("mlp-e.mhproj", "no attention layer"));
  expect_failure (ARGS ("render-attention", vit, "--weights", vit_w), ARGS ("--out"));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}


/* ---- render-saliency ----------------------------------------------------- */

#define CNN \
  "{ \"type\": \"conv2d\", \"name\": \"conv1\", \"filters\": 4, \"kernel\": 3, \"padding\": 1 }," \
  "{ \"type\": \"relu\", \"name\": \"act1\" }, { \"type\": \"maxpool\", \"size\": 2 }," \
  "{ \"type\": \"conv2d\", \"name\": \"conv2\", \"filters\": 8, \"kernel\": 3, \"padding\": 1 }," \
  "{ \"type\": \"relu\", \"name\": \"act2\" }, { \"type\": \"flatten\" }"
#define SHAPES_PROJECT \
  "{ \"format\": 1, \"name\": \"tiny-shapes\",\n" \
  "  \"dataset\": { \"kind\": \"shapes\", \"size\": 24, \"train\": 64, \"test\": 6, \"validation\": 0, \"seed\": 4 },\n" \
  "  \"backbone\": { \"kind\": \"cnn\", \"layers\": [ " CNN " ] },\n" \
  "  \"heads\": [ { \"name\": \"shape\", \"target\": \"shape\", \"layers\": [ { \"type\": \"dense\" } ] },\n" \
  "    { \"name\": \"attributes\", \"kind\": \"multilabel\", \"target\": \"attributes\", \"layers\": [ { \"type\": \"dense\" } ] },\n" \
  "    { \"name\": \"box\", \"kind\": \"regression\", \"target\": \"box\", \"input\": \"act1\",\n" \
  "      \"layers\": [ { \"type\": \"flatten\" }, { \"type\": \"dense\" } ] } ],\n" \
  "  \"training\": { \"batch\": 16, \"epochs\": 1, \"seed\": 2 } }\n"

static char *
train_shapes_briefly (const char *project)
{
  char *weights = g_strconcat (project, ".safetensors", NULL);
  Result r = run (ARGS ("train", project, "--steps", "3", "--save", weights));

  if (r.status != 0)
    g_error ("train failed: %s", r.err);
  result_clear (&r);
  return weights;
}

/* Every map's rows × cols of numbers in [0, 1], 1 at the peak unless it is all 0. */
static void
assert_json_map (JsonObject *map, int rows, int cols)
{
  JsonArray *grid = json_object_get_array_member (map, "map");
  double max = 0;

  g_assert_cmpint (json_object_get_int_member (map, "rows"), ==, rows);
  g_assert_cmpint (json_object_get_int_member (map, "cols"), ==, cols);
  g_assert_cmpuint (json_array_get_length (grid), ==, rows);
  for (int r = 0; r < rows; r++)
    {
      JsonArray *row = json_array_get_array_element (grid, r);
      g_assert_cmpuint (json_array_get_length (row), ==, cols);
      for (int c = 0; c < cols; c++)
        {
          double v = json_array_get_double_element (row, c);
          g_assert_true (v >= 0 && v <= 1);
          max = MAX (max, v);
        }
    }
  g_assert_cmpfloat (max, ==, json_object_get_double_member (map, "peak") > 0 ? 1.0 : 0.0);
}

static void
test_render_saliency_shapes (void)
{
  g_autofree char *project = write_project ("shapes.mhproj", SHAPES_PROJECT);
  g_autofree char *weights = train_shapes_briefly (project);
  g_autofree char *png = g_build_filename (work_dir, "saliency.png", NULL);
  g_autofree char *svg = g_build_filename (work_dir, "saliency.svg", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *svg_text = NULL;
  Result r = run (ARGS ("render-saliency", project, "--weights", weights, "--sample", "2", "--out", png, "--json"));
  JsonObject *o, *heads, *truth;
  JsonArray *box, *maps;
  cairo_surface_t *s;

  if (r.status != 0)
    g_error ("render-saliency failed: %s", r.err);
  g_assert_nonnull (strstr (r.err, png));
  o = last_json_line (r.out, parser);
  g_assert_cmpint (json_object_get_int_member (o, "sample"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "normalisation"), ==, "relu-max");
  truth = json_object_get_object_member (o, "truth");
  g_assert_nonnull (json_object_get_string_member (truth, "shape"));
  box = json_object_get_array_member (truth, "box");
  g_assert_cmpuint (json_array_get_length (box), ==, 4);   /* x0 y0 x1 y1 in 0…1 */
  for (int i = 0; i < 4; i++)
    g_assert_true (json_array_get_double_element (box, i) >= 0 && json_array_get_double_element (box, i) <= 1);
  g_assert_cmpfloat (json_array_get_double_element (box, 0), <, json_array_get_double_element (box, 2));
  heads = json_object_get_object_member (o, "heads");
  maps = json_object_get_array_member (json_object_get_object_member (heads, "shape"), "maps");
  g_assert_cmpuint (json_array_get_length (maps), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (maps, 0), "method"), ==, "grad-cam");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (maps, 0), "layer"), ==, "act2");
  g_assert_true (json_object_has_member (json_array_get_object_element (maps, 0), "peak_in_box"));
  assert_json_map (json_array_get_object_element (maps, 0), 12, 12);
  maps = json_object_get_array_member (json_object_get_object_member (heads, "box"), "maps");
  g_assert_cmpuint (json_array_get_length (maps), ==, 4);   /* one per coordinate */
  for (int i = 0; i < 4; i++)
    {
      JsonObject *m = json_array_get_object_element (maps, i);
      g_assert_cmpstr (json_object_get_string_member (m, "label"), ==, ((const char *[]) { "x0", "y0", "x1", "y1" })[i]);
      g_assert_cmpstr (json_object_get_string_member (m, "layer"), ==, "act1");
      assert_json_map (m, 24, 24);
    }
  result_clear (&r);
  /* the figure: the input and 6 maps side by side */
  s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), >=, 7 * 150);
  cairo_surface_destroy (s);
  /* SVG by the name; gradient × input on request */
  r = run (ARGS ("render-saliency", project, "--weights", weights, "--out", svg, "--method", "grad-input"));
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_assert_true (g_file_get_contents (svg, &svg_text, NULL, NULL));
  g_assert_nonnull (strstr (svg_text, "<svg"));
  /* the pointing game over the test split */
  r = run (ARGS ("render-saliency", project, "--weights", weights, "--pointing-game", "--json"));
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "pointing game on 6 test images"));
  o = last_json_line (r.out, parser);
  g_assert_cmpint (json_object_get_int_member (o, "test_samples"), ==, 6);
  {
    JsonObject *pg = json_object_get_object_member (o, "pointing_game");
    double v = json_object_get_double_member (pg, "shape");
    g_assert_true (v >= 0 && v <= 1 && fabs (v * 6 - round (v * 6)) < 1e-9);
    g_assert_true (json_object_has_member (pg, "box.x1"));
  }
  result_clear (&r);
}

static void
test_render_saliency_errors (void)
{
  g_autofree char *shapes = write_project ("shapes-e.mhproj", SHAPES_PROJECT);
  g_autofree char *mlp = write_project ("mlp-s.mhproj", PROJECT (MLP, HEADS, TRAINING));
  g_autofree char *shapes_w = train_shapes_briefly (shapes);
  g_autofree char *mlp_w = train_briefly (mlp);
  g_autofree char *png = g_build_filename (work_dir, "never-saliency.png", NULL);

  expect_failure (ARGS ("render-saliency", shapes, "--weights", shapes_w, "--sample", "6", "--out", png),
                  ARGS ("--sample 6", "out of range", "0 … 5"));
  expect_failure (ARGS ("render-saliency", shapes, "--weights", shapes_w, "--layer", "conv9", "--out", png),
                  ARGS ("shapes-e.mhproj", "no layer 'conv9'", "conv1, act1"));
  expect_failure (ARGS ("render-saliency", shapes, "--weights", shapes_w, "--method", "cam", "--out", png),
                  ARGS ("--method", "grad-cam", "'cam'"));
  expect_failure (ARGS ("render-saliency", shapes, "--weights", shapes_w, "--method", "grad-rollout", "--out", png),
                  ARGS ("grad-rollout", "attention"));
  expect_failure (ARGS ("render-saliency", shapes, "--weights", mlp_w, "--out", png),
                  ARGS (mlp_w, "missing"));
  expect_failure (ARGS ("render-saliency", mlp, "--weights", mlp_w, "--pointing-game", "--data", data_dir),
                  ARGS ("mlp-s.mhproj", "box field"));
  expect_failure (ARGS ("render-saliency", shapes, "--weights", shapes_w), ARGS ("--out", "--json"));
  expect_failure (ARGS ("render-saliency", shapes, "--weights", shapes_w, "--out", shapes),
                  ARGS (shapes));   /* never over the project it reads */
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  /* gradient × input on an MLP: a map over the image's 28 × 28 pixels */
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    Result r = run (ARGS ("render-saliency", mlp, "--weights", mlp_w, "--json", "--data", data_dir));
    JsonObject *heads;
    g_assert_cmpint (r.status, ==, 0);
    heads = json_object_get_object_member (last_json_line (r.out, parser), "heads");
    assert_json_map (json_array_get_object_element (
                       json_object_get_array_member (json_object_get_object_member (heads, "category"), "maps"), 0),
                     28, 28);
    result_clear (&r);
  }
}

/* An image folder with a missing image: trained on the others, the missing
 * one named on stderr. */
static void
test_image_folder_skipped (void)
{
  g_autofree char *dir = g_build_filename (work_dir, "pictures", NULL);
  g_autofree char *csv = g_build_filename (dir, "labels.csv", NULL);
  g_autoptr (GString) labels = g_string_new ("file,colour\n");
  g_autofree char *json = NULL, *project = NULL;
  Result r;

  g_mkdir_with_parents (dir, 0700);
  for (int i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%d.png", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 10, 10);
      cairo_t *cr = cairo_create (surface);

      cairo_set_source_rgb (cr, i % 2, 0, 1 - i % 2);
      cairo_paint (cr);
      cairo_destroy (cr);
      g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
      cairo_surface_destroy (surface);
      g_string_append_printf (labels, "%s,%s\n", name, i % 2 ? "red" : "blue");
    }
  g_string_append (labels, "gone.png,red\n");
  g_assert_true (g_file_set_contents (csv, labels->str, -1, NULL));
  json = g_strdup_printf ("{ \"format\": 1, \"dataset\": { \"kind\": \"image-folder\", \"path\": \"%s\","
                          " \"width\": 6, \"height\": 6 }, \"backbone\": { \"layers\": [ " MLP " ] },"
                          " \"heads\": [ { \"name\": \"colour\", \"target\": \"colour\","
                          " \"layers\": [ { \"type\": \"dense\" } ] } ] }", dir);
  project = write_project ("folder.mhproj", json);
  r = run ((const char *[]) { "train", project, "--steps", "2", NULL });
  if (r.status != 0)
    g_error ("train failed: %s", r.err);
  g_assert_nonnull (strstr (r.err, "/pictures/labels.csv: 1 row left out: no such file (line 10 'gone.png')"));
  g_assert_nonnull (strstr (r.err, "6 training, 0 validation, 2 test samples"));
  result_clear (&r);
}


/* ---- recorded runs: runs, train --branch, render-curves -------------------------------- */

static JsonObject *
runs_json (const char *project, JsonParser *parser)
{
  Result r = run ((const char *[]) { "runs", project, "--json", NULL });
  JsonObject *o;

  if (r.status != 0)
    g_error ("runs failed: %s", r.err);
  o = last_json_line (r.out, parser);
  result_clear (&r);
  return o;
}

static JsonObject *
run_number (JsonObject *listing, guint i)
{
  JsonArray *runs = json_object_get_array_member (listing, "runs");

  g_assert_cmpuint (json_array_get_length (runs), >, i);
  return json_array_get_object_element (runs, i);
}

static const char *
head_figure (JsonObject *run, const char *head, const char *name)
{
  static char buf[64];
  JsonObject *h = json_object_get_object_member (json_object_get_object_member (run, "heads"), head);

  g_ascii_dtostr (buf, sizeof buf, json_object_get_double_member (h, name));
  return buf;
}

/* train records every run (not with --no-record); runs lists them with
 * their figures and checkpoints; a branch of an unchanged project from
 * epoch 1 of 2 ends with its parent's figures exactly, its steps going on
 * from the parent's. */
static void
test_runs_record_branch (void)
{
  g_autofree char *project = write_project ("rec.mhproj", PROJECT (MLP, HEADS, TRAINING));
  g_autofree char *runs_dir = g_build_filename (work_dir, "rec.runs", NULL);
  g_autoptr (JsonParser) p1 = json_parser_new ();
  g_autoptr (JsonParser) p2 = json_parser_new ();
  g_autoptr (JsonParser) p3 = json_parser_new ();
  Result r = run ((const char *[]) { "train", project, "--data", data_dir, "--json", NULL });
  JsonObject *o, *listing, *first, *second, *parent;
  JsonArray *cks;
  g_autofree char *test_acc = NULL;

  g_assert_cmpint (r.status, ==, 0);
  o = last_json_line (r.out, p1);
  g_assert_cmpstr (json_object_get_string_member (o, "run"), ==, "1");
  g_assert_nonnull (strstr (r.err, "recording run 1 in"));
  result_clear (&r);
  r = run ((const char *[]) { "train", project, "--data", data_dir, "--steps", "2", "--no-record", NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.err, "recording"));
  result_clear (&r);

  listing = runs_json (project, p2);
  g_assert_cmpstr (json_object_get_string_member (listing, "store"), ==, runs_dir);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (listing, "runs")), ==, 1);
  first = run_number (listing, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "finished");
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "run 1");
  g_assert_cmpint (json_object_get_int_member (first, "seed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (first, "epochs_done"), ==, 2);
  g_assert_true (json_object_get_null_member (first, "parent"));
  test_acc = g_strdup (head_figure (first, "category", "test_acc"));
  cks = json_object_get_array_member (first, "checkpoints");
  g_assert_cmpuint (json_array_get_length (cks), ==, 2);
  g_assert_true (g_file_test (json_object_get_string_member (json_array_get_object_element (cks, 0), "path"),
                              G_FILE_TEST_IS_REGULAR));

  r = run ((const char *[]) { "train", project, "--data", data_dir, "--branch", "1:1", "--json", NULL });
  if (r.status != 0)
    g_error ("train --branch failed: %s", r.err);
  g_assert_nonnull (strstr (r.err, "branch of run 1 at epoch 1"));
  o = last_json_line (r.out, p3);
  g_assert_cmpstr (json_object_get_string_member (o, "run"), ==, "2");
  g_assert_cmpint (json_object_get_int_member (o, "steps"), ==,
                   json_object_get_int_member (first, "total_steps"));
  result_clear (&r);
  g_clear_object (&p2);
  p2 = json_parser_new ();
  listing = runs_json (project, p2);
  second = run_number (listing, 1);
  parent = json_object_get_object_member (second, "parent");
  g_assert_cmpstr (json_object_get_string_member (parent, "run"), ==, "1");
  g_assert_cmpint (json_object_get_int_member (parent, "epoch"), ==, 1);
  g_assert_cmpstr (head_figure (second, "category", "test_acc"), ==, test_acc);   /* bit for bit */
  g_assert_cmpstr (head_figure (second, "upper", "test_loss"), ==, head_figure (run_number (listing, 0), "upper",
                                                                                "test_loss"));

  /* a branch that cannot be */
  r = run ((const char *[]) { "train", project, "--data", data_dir, "--branch", "1:7", NULL });
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no checkpoint of epoch 7"));
  result_clear (&r);
  r = run ((const char *[]) { "train", project, "--data", data_dir, "--branch", "9:1", NULL });
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no run 9"));
  result_clear (&r);
  r = run ((const char *[]) { "train", project, "--branch", "one", NULL });
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "ID:EPOCH"));
  result_clear (&r);
}

/* Naming, pinning, the retention rule and deleting from the command line. */
static void
test_runs_edit (void)
{
  g_autofree char *project = write_project ("edit.mhproj", PROJECT (MLP, HEADS, TRAINING));
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *listing, *a, *b;
  Result r = { 0 };

  for (int i = 0; i < 2; i++)
    {
      r = run ((const char *[]) { "train", project, "--data", data_dir, "--epochs", "1", NULL });
      g_assert_cmpint (r.status, ==, 0);
      result_clear (&r);
    }
  r = run ((const char *[]) { "runs", project, "--rename", "1=baseline", "--pin", "1", "--keep-checkpoints", "0", NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "1 checkpoint files removed"));
  g_assert_nonnull (strstr (r.out, "baseline"));
  g_assert_nonnull (strstr (r.out, "pinned"));
  result_clear (&r);
  listing = runs_json (project, parser);
  a = run_number (listing, 0);
  b = run_number (listing, 1);
  g_assert_cmpstr (json_object_get_string_member (a, "name"), ==, "baseline");
  g_assert_true (json_object_get_boolean_member (a, "pinned"));
  g_assert_null (json_object_get_string_member (json_array_get_object_element (
                   json_object_get_array_member (a, "checkpoints"), 0), "problem"));
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (
                    json_object_get_array_member (b, "checkpoints"), 0), "problem"), "retention"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (listing, "retention"),
                                               "keep_checkpoints"), ==, 0);
  r = run ((const char *[]) { "runs", project, "--delete", "2", NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.out, "\n2 "));
  result_clear (&r);
  r = run ((const char *[]) { "runs", project, "--rename", "5=x", NULL });
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no run 5"));
  result_clear (&r);
}

static void
test_render_curves (void)
{
  g_autofree char *project = write_project ("curves.mhproj", PROJECT (MLP, HEADS, TRAINING));
  g_autofree char *png = g_build_filename (work_dir, "curves.png", NULL);
  g_autofree char *svg = g_build_filename (work_dir, "curves.svg", NULL);
  g_autofree char *head = NULL;
  cairo_surface_t *surface;
  Result r = run ((const char *[]) { "render-curves", project, "--out", png, NULL });

  g_assert_cmpint (r.status, ==, 1);   /* nothing recorded yet */
  g_assert_nonnull (strstr (r.err, "no recorded runs"));
  result_clear (&r);
  for (int seed = 1; seed <= 2; seed++)
    {
      g_autofree char *s = g_strdup_printf ("%d", seed);
      r = run ((const char *[]) { "train", project, "--data", data_dir, "--epochs", "1", "--seed", s, NULL });
      g_assert_cmpint (r.status, ==, 0);
      result_clear (&r);
    }
  r = run ((const char *[]) { "render-curves", project, "--out", png, "--width", "640", "--height", "360", NULL });
  if (r.status != 0)
    g_error ("render-curves failed: %s", r.err);
  result_clear (&r);
  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1280);   /* twice, sharp on a slide */
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 720);
  cairo_surface_destroy (surface);
  r = run ((const char *[]) { "render-curves", project, "--runs", "2", "--head", "upper", "--out", svg, NULL });
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_assert_true (g_file_get_contents (svg, &head, NULL, NULL));
  g_assert_nonnull (strstr (head, "<svg"));
  r = run ((const char *[]) { "render-curves", project, "--head", "nope", "--out", png, NULL });
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no chosen run has that head"));
  result_clear (&r);
  r = run ((const char *[]) { "render-curves", project, "--runs", "1,8", "--out", png, NULL });
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no run 8"));
  result_clear (&r);
  r = run ((const char *[]) { "render-curves", project, "--out", project, NULL });   /* never over its input */
  g_assert_cmpint (r.status, ==, 1);
  result_clear (&r);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  work_dir = mh_test_tmp_dir ();
  data_dir = g_build_filename (work_dir, "fashion", NULL);
  g_mkdir_with_parents (data_dir, 0700);
  mh_test_write_fake_fashion (data_dir, 400, 100, 42);

  g_test_add_func ("/cli/train/json", test_train_json);
  g_test_add_func ("/cli/train/steps", test_train_steps);
  g_test_add_func ("/cli/train/blas-core", test_blas_core_respected);
  g_test_add_func ("/cli/errors/missing-file", test_missing_file);
  g_test_add_func ("/cli/errors/missing-dataset", test_missing_dataset);
  g_test_add_func ("/cli/train/image-folder-skipped", test_image_folder_skipped);
  g_test_add_func ("/cli/errors/truncated-idx", test_truncated_idx);
  g_test_add_func ("/cli/errors/nan-loss", test_nan_loss);
  g_test_add_func ("/cli/errors/options", test_bad_options);
  g_test_add_func ("/cli/render-attention/figure", test_render_attention);
  g_test_add_func ("/cli/render-attention/errors", test_render_attention_errors);
  g_test_add_func ("/cli/render-saliency/shapes", test_render_saliency_shapes);
  g_test_add_func ("/cli/render-saliency/errors", test_render_saliency_errors);
  g_test_add_func ("/cli/runs/record-branch", test_runs_record_branch);
  g_test_add_func ("/cli/runs/edit", test_runs_edit);
  g_test_add_func ("/cli/render-curves", test_render_curves);
  for (guint i = 0; i < G_N_ELEMENTS (bad_projects); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/errors/project/%s", bad_projects[i][0]);
      g_test_add_data_func (path, bad_projects[i], test_bad_project);
    }
  status = g_test_run ();
  mh_test_rm_rf (work_dir);
  g_free (work_dir);
  g_free (data_dir);
  return status;
}
