/* test-project.c — reading, checking and writing project files (.mhproj).
 *
 * The examples in resources/examples must load; every project written must
 * read back to the same bytes; every way a file can be wrong gives an error
 * whose message names the file and the JSON path.
 */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include "mh-project.h"
#include "mh-error.h"
#include "mh-test-util.h"

#ifndef MH_SOURCE_DIR
#define MH_SOURCE_DIR "."
#endif

#define WHERE "test.mhproj"

#define LAYERS \
  "{ \"type\": \"flatten\" }, { \"type\": \"dense\", \"name\": \"fc1\", \"units\": 8 }," \
  " { \"type\": \"relu\" }"
#define HEAD(name) \
  "{ \"name\": \"" name "\", \"target\": \"category\"," \
  " \"layers\": [ { \"type\": \"dense\", \"units\": 10 } ] }"
#define HEADS HEAD ("category")

/* ---- helpers ---------------------------------------------------------- */

/* A small valid project with `layers` in the backbone, `heads`, and
 * `extra` top-level members (NULL: the defaults above, and none). */
static char *
project_json (const char *layers, const char *heads, const char *extra)
{
  return g_strdup_printf ("{\n"
                          "  \"format\": 1,\n"
                          "  \"dataset\": { \"kind\": \"fashion-mnist\" },\n"
                          "  \"backbone\": { \"layers\": [ %s ] },\n"
                          "  \"heads\": [ %s ]%s%s\n"
                          "}\n",
                          layers ? layers : LAYERS, heads ? heads : HEADS,
                          extra ? ",\n  " : "", extra ? extra : "");
}

static MhProject *
load_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  MhProject *p = mh_project_load_data (json, -1, WHERE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static void
assert_message (const GError *error, const char *needle)
{
  g_test_message ("message: %s", error->message);
  g_assert_nonnull (strstr (error->message, needle));
}

/* Loads `json` (owned), expecting an error of `code` whose message starts
 * with the file name and contains `needle`. */
static void
expect_error (char *json, gint code, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *owned = json;
  MhProject *p = mh_project_load_data (owned, -1, WHERE, &error);

  g_assert_null (p);
  g_assert_error (error, MH_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, WHERE));
  assert_message (error, needle);
}

static char *
example_path (const char *name)
{
  return g_build_filename (MH_SOURCE_DIR, "resources", "examples", name, NULL);
}

static const MhLayerSpec *
layer_at (GArray *layers, guint i)
{
  g_assert_cmpuint (i, <, layers->len);
  return &g_array_index (layers, MhLayerSpec, i);
}

static const MhHeadSpec *
head_at (const MhProject *p, guint i)
{
  g_assert_cmpuint (i, <, p->heads->len);
  return &g_array_index (p->heads, MhHeadSpec, i);
}

/* to_data (p) reads back to a project whose to_data is the same text. */
static void
assert_round_trip (const MhProject *p)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhProject) again = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gsize len1, len2;

  first = mh_project_to_data (p, &len1);
  g_assert_cmpuint (len1, ==, strlen (first));
  again = mh_project_load_data (first, (gssize) len1, "written", &error);
  g_assert_no_error (error);
  second = mh_project_to_data (again, &len2);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpuint (len1, ==, len2);
}

/* ---- the examples ----------------------------------------------------- */

static void
test_example_mlp (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = example_path ("fashion-mlp.mhproj");
  g_autoptr(MhProject) p = mh_project_load (path, &error);
  g_autofree char *tap = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (p->name, ==, "fashion-mlp");
  g_assert_cmpstr (p->data.kind, ==, "fashion-mnist");
  g_assert_null (p->data.path);
  g_assert_cmpint (p->data.validation, ==, 5000);
  g_assert_cmpstr (p->backbone_kind, ==, "mlp");
  g_assert_cmpuint (p->backbone->len, ==, 5);
  g_assert_cmpstr (layer_at (p->backbone, 1)->type, ==, "dense");
  g_assert_cmpint (layer_at (p->backbone, 1)->units, ==, 256);
  g_assert_cmpint (layer_at (p->backbone, 3)->units, ==, 128);
  tap = mh_block_layer_name (p->backbone, 4);
  g_assert_cmpstr (tap, ==, "features");

  g_assert_cmpuint (p->heads->len, ==, 3);
  g_assert_cmpstr (head_at (p, 0)->name, ==, "category");
  g_assert_cmpstr (head_at (p, 1)->name, ==, "group");
  g_assert_cmpstr (head_at (p, 2)->name, ==, "upper");
  g_assert_cmpint (layer_at (head_at (p, 1)->layers, 0)->units, ==, 4);
  g_assert_cmpstr (head_at (p, 2)->loss, ==, "cross-entropy");
  g_assert_cmpfloat (head_at (p, 2)->weight, ==, 1.0);

  g_assert_cmpstr (p->optim.kind, ==, "adam");
  g_assert_cmpfloat (p->optim.lr, ==, 0.001);
  g_assert_cmpint (p->batch, ==, 64);
  g_assert_cmpint (p->epochs, ==, 5);
  g_assert_cmpuint (p->seed, ==, 1);
  g_assert_cmpstr (p->balancing, ==, "fixed");
}

static void
test_example_cnn (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = example_path ("fashion-cnn.mhproj");
  g_autoptr(MhProject) p = mh_project_load (path, &error);
  const MhLayerSpec *conv;
  const char *const expected[] = {
    "conv1", "relu1", "maxpool1", "conv2", "relu2", "pool2", "flatten1", "fc1", "features",
  };

  g_assert_no_error (error);
  g_assert_cmpstr (p->backbone_kind, ==, "cnn");
  g_assert_cmpuint (p->backbone->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *name = mh_block_layer_name (p->backbone, i);
      g_assert_cmpstr (name, ==, expected[i]);
    }
  conv = layer_at (p->backbone, 3);
  g_assert_cmpstr (conv->type, ==, "conv2d");
  g_assert_cmpint (conv->filters, ==, 64);
  g_assert_cmpint (conv->kernel, ==, 3);
  g_assert_cmpint (conv->stride, ==, 1);
  g_assert_cmpint (conv->padding, ==, 1);
  g_assert_cmpint (layer_at (p->backbone, 2)->size, ==, 2);
  g_assert_nonnull (mh_project_find_head (p, "upper"));
  g_assert_null (mh_project_find_head (p, "colour"));
  g_assert_true (mh_project_find_head (p, "group") == head_at (p, 1));
}

static void
test_round_trip_examples (void)
{
  const char *const names[] = { "fashion-mlp.mhproj", "fashion-cnn.mhproj", "shapes.mhproj",
                                "multi-fashion.mhproj" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = example_path (names[i]);
      g_autoptr(MhProject) p = mh_project_load (path, &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      assert_round_trip (p);
      /* every key is written, defaults included */
      text = mh_project_to_data (p, NULL);
      g_assert_nonnull (strstr (text, "\"momentum\": 0.9"));
      g_assert_nonnull (strstr (text, "\"warmup_steps\": "));
      g_assert_nonnull (strstr (text, "\"frozen\": false"));
    }
}

/* ---- every key -------------------------------------------------------- */

static const char every_key[] =
  "{\n"
  "  \"format\": 1,\n"
  "  \"name\": \"everything \\\"quoted\\\" é\",\n"
  "  \"dataset\": { \"kind\": \"fashion-mnist\", \"path\": \"/data/fm\", \"validation\": 1000 },\n"
  "  \"backbone\": {\n"
  "    \"kind\": \"cnn\",\n"
  "    \"frozen\": true,\n"
  "    \"layers\": [\n"
  "      { \"type\": \"conv2d\", \"name\": \"stem\", \"filters\": 16, \"kernel\": 4,"
  " \"stride\": 4, \"padding\": 0, \"frozen\": true },\n"
  "      { \"type\": \"gelu\" },\n"
  "      { \"type\": \"maxpool\", \"size\": 3 },\n"
  "      { \"type\": \"flatten\" },\n"
  "      { \"type\": \"layernorm\", \"eps\": 1e-6 },\n"
  "      { \"type\": \"dropout\", \"rate\": 0.25 },\n"
  "      { \"type\": \"dense\", \"units\": 64.0 },\n"
  "      { \"type\": \"relu\", \"name\": \"features\" }\n"
  "    ]\n"
  "  },\n"
  "  \"heads\": [\n"
  "    { \"name\": \"category\", \"kind\": \"classification\", \"target\": \"category\","
  " \"loss\": \"cross-entropy\", \"weight\": 0.5, \"frozen\": true,"
  " \"layers\": [ { \"type\": \"dense\", \"name\": \"fc\", \"units\": 10 } ] },\n"
  "    { \"name\": \"tags\", \"kind\": \"multilabel\", \"input\": \"layernorm1\","
  " \"target\": \"tags\", \"loss\": \"bce\", \"weight\": 2, \"frozen\": false,"
  " \"layers\": [ { \"type\": \"dense\", \"units\": 32 }, { \"type\": \"relu\" },"
  " { \"type\": \"dense\", \"units\": 0 } ] },\n"
  "    { \"name\": \"box_1\", \"kind\": \"regression\", \"input\": \"stem\","
  " \"target\": \"box\", \"loss\": \"mse\", \"weight\": 0.0003,"
  " \"layers\": [ { \"type\": \"flatten\" }, { \"type\": \"dense\" } ] }\n"
  "  ],\n"
  "  \"optimizer\": { \"kind\": \"adamw\", \"lr\": 0.0003, \"momentum\": 0.8, \"beta1\": 0.85,"
  " \"beta2\": 0.99, \"eps\": 1e-7, \"weight_decay\": 0.05, \"clip_norm\": 1.5 },\n"
  "  \"schedule\": { \"kind\": \"cosine\", \"warmup_steps\": 100, \"min_lr\": 1e-5 },\n"
  "  \"training\": { \"batch\": 32, \"epochs\": 0, \"seed\": 4294967295 },\n"
  "  \"balancing\": { \"method\": \"equal\" },\n"
  "  \"layout\": { \"backbone\": [12.5, 40.0], \"heads\": { \"category\": [300, -2.25e-3] },"
  " \"zoom\": 1e300, \"notes\": [null, true, \"x\"], \"empty\": {}, \"none\": [] }\n"
  "}\n";

static void
test_round_trip_every_key (void)
{
  g_autoptr(MhProject) p = load_ok (every_key);
  JsonObject *layout;

  g_assert_cmpstr (p->name, ==, "everything \"quoted\" é");
  g_assert_cmpstr (p->data.path, ==, "/data/fm");
  g_assert_cmpint (p->data.validation, ==, 1000);
  g_assert_true (p->backbone_frozen);
  g_assert_true (layer_at (p->backbone, 0)->frozen);
  g_assert_cmpint (layer_at (p->backbone, 0)->stride, ==, 4);
  g_assert_cmpint (layer_at (p->backbone, 2)->size, ==, 3);
  g_assert_cmpfloat (layer_at (p->backbone, 4)->eps, ==, 1e-6);
  g_assert_cmpfloat (layer_at (p->backbone, 5)->rate, ==, 0.25);
  g_assert_cmpint (layer_at (p->backbone, 6)->units, ==, 64);
  g_assert_cmpstr (head_at (p, 1)->input, ==, "layernorm1");
  g_assert_cmpint (layer_at (head_at (p, 1)->layers, 2)->units, ==, 0);
  g_assert_cmpint (layer_at (head_at (p, 2)->layers, 1)->units, ==, 0);
  g_assert_cmpfloat (head_at (p, 2)->weight, ==, 0.0003);
  g_assert_true (head_at (p, 0)->frozen);
  g_assert_cmpstr (p->optim.kind, ==, "adamw");
  g_assert_cmpfloat (p->optim.eps, ==, 1e-7);
  g_assert_cmpfloat (p->optim.clip_norm, ==, 1.5);
  g_assert_cmpstr (p->schedule.kind, ==, "cosine");
  g_assert_cmpint (p->schedule.warmup_steps, ==, 100);
  g_assert_cmpint (p->epochs, ==, 0);
  g_assert_cmpuint (p->seed, ==, 4294967295u);
  g_assert_cmpstr (p->balancing, ==, "equal");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (p->layout));
  layout = json_node_get_object (p->layout);
  g_assert_cmpfloat (json_array_get_double_element (json_object_get_array_member (layout, "backbone"), 0), ==, 12.5);
  assert_round_trip (p);
}

/* The writer's numbers are valid JSON and short (json-glib 1.6 itself
 * would write 1e-8 as "1e-08.0"). */
static void
test_write_numbers (void)
{
  g_autoptr(MhProject) p = load_ok (every_key);
  g_autofree char *text = mh_project_to_data (p, NULL);

  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\"lr\": 0.0003,"));
  g_assert_nonnull (strstr (text, "\"eps\": 1e-07,"));
  g_assert_nonnull (strstr (text, "\"weight\": 2,"));
  g_assert_nonnull (strstr (text, "\"units\": 64 }"));
  g_assert_nonnull (strstr (text, "[12.5, 40.0]"));
  g_assert_nonnull (strstr (text, "\"zoom\": 1e+300"));
  g_assert_null (strstr (text, "e-08.0"));
}

/* ---- defaults --------------------------------------------------------- */

static void
test_defaults (void)
{
  g_autofree char *json = project_json (NULL, NULL, NULL);
  g_autoptr(MhProject) p = load_ok (json);
  const MhHeadSpec *head = head_at (p, 0);
  g_autofree char *text = NULL;

  g_assert_cmpint (p->format, ==, 1);
  g_assert_cmpstr (p->name, ==, "untitled");
  g_assert_null (p->data.path);
  g_assert_cmpint (p->data.validation, ==, 0);
  g_assert_cmpstr (p->backbone_kind, ==, "custom");
  g_assert_false (p->backbone_frozen);
  g_assert_cmpstr (head->kind, ==, "classification");
  g_assert_null (head->input);
  g_assert_cmpstr (head->loss, ==, "cross-entropy");
  g_assert_cmpfloat (head->weight, ==, 1.0);
  g_assert_false (head->frozen);
  g_assert_null (layer_at (p->backbone, 0)->name);
  g_assert_false (layer_at (p->backbone, 0)->frozen);
  g_assert_cmpstr (p->optim.kind, ==, "adam");
  g_assert_cmpfloat (p->optim.lr, ==, 0.001);
  g_assert_cmpfloat (p->optim.momentum, ==, 0.9);
  g_assert_cmpfloat (p->optim.beta1, ==, 0.9);
  g_assert_cmpfloat (p->optim.beta2, ==, 0.999);
  g_assert_cmpfloat (p->optim.eps, ==, 1e-8);
  g_assert_cmpfloat (p->optim.weight_decay, ==, 0.0);
  g_assert_cmpfloat (p->optim.clip_norm, ==, 0.0);
  g_assert_cmpstr (p->schedule.kind, ==, "constant");
  g_assert_cmpint (p->schedule.warmup_steps, ==, 0);
  g_assert_cmpfloat (p->schedule.min_lr, ==, 0.0);
  g_assert_cmpint (p->batch, ==, 64);
  g_assert_cmpint (p->epochs, ==, 5);
  g_assert_cmpuint (p->seed, ==, 1);
  g_assert_cmpstr (p->balancing, ==, "fixed");
  g_assert_null (p->layout);

  text = mh_project_to_data (p, NULL);
  g_assert_null (strstr (text, "\"path\""));
  g_assert_null (strstr (text, "\"input\""));
  g_assert_null (strstr (text, "\"layout\""));
  assert_round_trip (p);
}

static void
test_defaults_by_kind (void)
{
  g_autofree char *json = project_json (
    "{ \"type\": \"conv2d\", \"filters\": 4, \"kernel\": 3 }, { \"type\": \"maxpool\" },"
    " { \"type\": \"dropout\" }, { \"type\": \"flatten\" }, { \"type\": \"layernorm\" }",
    "{ \"name\": \"tags\", \"kind\": \"multilabel\", \"target\": \"tags\", \"layers\": [ { \"type\": \"dense\" } ] },"
    " { \"name\": \"box\", \"kind\": \"regression\", \"target\": \"box\", \"layers\": [ { \"type\": \"dense\", \"units\": 4 } ] }",
    "\"optimizer\": { \"kind\": \"adamw\" }");
  g_autoptr(MhProject) p = load_ok (json);

  g_assert_cmpstr (head_at (p, 0)->loss, ==, "bce");
  g_assert_cmpstr (head_at (p, 1)->loss, ==, "smooth-l1");
  g_assert_cmpint (layer_at (head_at (p, 0)->layers, 0)->units, ==, 0);
  g_assert_cmpfloat (p->optim.weight_decay, ==, 0.01);
  g_assert_cmpint (layer_at (p->backbone, 0)->stride, ==, 1);
  g_assert_cmpint (layer_at (p->backbone, 0)->padding, ==, 0);
  g_assert_cmpint (layer_at (p->backbone, 1)->size, ==, 2);
  g_assert_cmpfloat (layer_at (p->backbone, 2)->rate, ==, 0.5);
  g_assert_cmpfloat (layer_at (p->backbone, 4)->eps, ==, 1e-5);
  assert_round_trip (p);
}

static void
test_new_default (void)
{
  g_autoptr(MhProject) p = mh_project_new_default ();
  g_autoptr(GError) error = NULL;
  MhLayerSpec spec;
  MhHeadSpec head = { 0 };

  g_assert_cmpint (p->format, ==, MH_PROJECT_FORMAT);
  g_assert_cmpuint (p->backbone->len, ==, 0);
  g_assert_cmpuint (p->heads->len, ==, 0);
  g_assert_cmpint (p->batch, ==, 64);
  g_assert_cmpfloat (p->optim.lr, ==, 0.001);

  /* Empty: not yet a valid project. */
  g_assert_false (mh_project_validate (p, "new", &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_INVALID);
  assert_message (error, "backbone.layers");
  g_clear_error (&error);

  /* Filled in by code (as the canvas does), it validates and round-trips. */
  mh_layer_spec_init (&spec, "flatten");
  g_array_append_val (p->backbone, spec);
  head.name = g_strdup ("category");
  head.kind = g_strdup ("classification");
  head.target = g_strdup ("category");
  head.weight = 1;
  head.threshold = 0.5;
  head.layers = g_array_new (FALSE, TRUE, sizeof (MhLayerSpec));
  g_array_set_clear_func (head.layers, (GDestroyNotify) mh_layer_spec_clear);
  mh_layer_spec_init (&spec, "dense");
  g_array_append_val (head.layers, spec);
  g_array_append_val (p->heads, head);
  g_assert_true (mh_project_validate (p, "new", &error));
  g_assert_no_error (error);
  assert_round_trip (p);
}

static void
test_layer_names (void)
{
  g_autofree char *json = project_json (
    "{ \"type\": \"dense\", \"units\": 4 }, { \"type\": \"relu\" },"
    " { \"type\": \"dense\", \"name\": \"mid\", \"units\": 4 }, { \"type\": \"relu\" },"
    " { \"type\": \"dense\", \"units\": 4 }",
    NULL, NULL);
  g_autoptr(MhProject) p = load_ok (json);
  const char *const expected[] = { "dense1", "relu1", "mid", "relu2", "dense3" };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *name = mh_block_layer_name (p->backbone, i);
      g_assert_cmpstr (name, ==, expected[i]);
    }
}

/* ---- saving ----------------------------------------------------------- */

static void
test_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mh-test-project-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "saved.mhproj", NULL);
  g_autoptr(MhProject) p = load_ok (every_key);
  g_autoptr(MhProject) back = NULL;
  g_autofree char *expected = mh_project_to_data (p, NULL);
  g_autofree char *contents = NULL;
  const char *entry;
  GDir *d;

  g_assert_no_error (error);
  /* not over a file of another kind (mh-save.h) */
  g_assert_true (g_file_set_contents (path, "old contents", -1, &error));
  g_assert_false (mh_project_save (p, path, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_REFUSED, path, "a text file", "--force", NULL);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "old contents");
  g_clear_pointer (&contents, g_free);
  /* over an existing project */
  g_assert_true (g_file_set_contents (path, "{\"format\": 1, \"name\": \"old\", \"dataset\": {}}", -1, &error));
  g_assert_true (mh_project_save (p, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, expected);

  back = mh_project_load (path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  contents = mh_project_to_data (back, NULL);
  g_assert_cmpstr (contents, ==, expected);

  /* nothing left beside it: no temporary file, no backup */
  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (d)) != NULL)
    g_assert_cmpstr (entry, ==, "saved.mhproj");
  g_dir_close (d);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_save_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhProject) p = load_ok (every_key);
  const char *path = "/nonexistent-mh-dir/saved.mhproj";

  g_assert_false (mh_project_save (p, path, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_IO);
  assert_message (error, path);
}

/* ---- errors ----------------------------------------------------------- */

static void
test_error_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  const char *path = "/nonexistent-mh-dir/missing.mhproj";

  g_assert_null (mh_project_load (path, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_IO);
  assert_message (error, path);
}

static void
test_error_syntax (void)
{
  /* line 3, column 11: the comma where a value should be */
  expect_error (g_strdup ("{\n  \"format\": 1,\n  \"name\": ,\n}\n"),
                MH_ERROR_FORMAT, WHERE ":3:11:");
}

static void
test_error_not_a_project (void)
{
  expect_error (g_strdup (""), MH_ERROR_FORMAT, "empty");
  expect_error (g_strdup ("[1, 2]"), MH_ERROR_FORMAT, "got an array");
}

static void
test_error_format (void)
{
  expect_error (g_strdup ("{ \"format\": 2, \"future\": {} }"), MH_ERROR_FORMAT,
                "format 2 is not supported (this version reads format 1)");
  expect_error (g_strdup ("{ \"dataset\": {} }"), MH_ERROR_INVALID, "missing key 'format'");
  expect_error (g_strdup ("{ \"format\": \"1\" }"), MH_ERROR_INVALID,
                "format: expected an integer, got a string");
}

static void
test_error_unknown_key_top (void)
{
  expect_error (project_json (NULL, NULL, "\"epochs\": 3"), MH_ERROR_INVALID,
                WHERE ": unknown key 'epochs' (it takes: format, name,");
}

static void
test_error_unknown_key_optimizer (void)
{
  expect_error (project_json (NULL, NULL, "\"optimizer\": { \"learning_rate\": 0.1 }"),
                MH_ERROR_INVALID,
                WHERE ": optimizer: unknown key 'learning_rate' (it takes: kind, lr,");
}

static void
test_error_unknown_key_layer (void)
{
  expect_error (project_json (NULL, HEADS ", { \"name\": \"group\", \"target\": \"group\","
                              " \"layers\": [ { \"type\": \"dense\", \"unit\": 4 } ] }", NULL),
                MH_ERROR_INVALID,
                "heads[1].layers[0]: unknown key 'unit' for a dense layer (it takes: units)");
  expect_error (project_json ("{ \"type\": \"relu\", \"rate\": 0.1 }", NULL, NULL),
                MH_ERROR_INVALID, "backbone.layers[0]: unknown key 'rate' for a relu layer");
  expect_error (project_json (NULL, NULL, "\"dataset\": { \"kind\": \"fashion-mnist\", \"dir\": \"x\" }"),
                MH_ERROR_INVALID, "dataset: unknown key 'dir'");
}

static void
test_error_unknown_layer_type (void)
{
  expect_error (project_json ("{ \"type\": \"flatten\" }, { \"type\": \"dens\", \"units\": 3 }", NULL, NULL),
                MH_ERROR_INVALID,
                "backbone.layers[1].type: unknown layer type 'dens' (known: dense, conv2d,");
}

static void
test_error_wrong_type (void)
{
  expect_error (project_json (NULL, "{ \"name\": \"category\", \"target\": \"category\","
                              " \"weight\": \"1\", \"layers\": [ { \"type\": \"dense\" } ] }", NULL),
                MH_ERROR_INVALID, WHERE ": heads[0].weight: expected a number, got a string");
  expect_error (project_json ("{ \"type\": \"dense\", \"units\": 2.5 }", NULL, NULL),
                MH_ERROR_INVALID, "backbone.layers[0].units: expected an integer, got 2.5");
  expect_error (project_json (NULL, NULL, "\"training\": { \"batch\": null }"),
                MH_ERROR_INVALID, "training.batch: expected an integer, got null");
  expect_error (project_json (NULL, NULL, "\"balancing\": \"equal\""),
                MH_ERROR_INVALID, "balancing: expected an object, got a string");
  expect_error (project_json ("3", NULL, NULL),
                MH_ERROR_INVALID, "backbone.layers[0]: expected a layer (an object), got a number");
}

static void
test_error_missing_key (void)
{
  expect_error (project_json (NULL, "{ \"name\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] }", NULL),
                MH_ERROR_INVALID, "heads[0].target is missing");
  expect_error (g_strdup ("{ \"format\": 1, \"dataset\": { \"kind\": \"fashion-mnist\" }, \"heads\": [] }"),
                MH_ERROR_INVALID, "missing key 'backbone'");
}

static void
test_error_unknown_dataset (void)
{
  expect_error (project_json (NULL, NULL, "\"dataset\": { \"kind\": \"mnist\" }"),
                MH_ERROR_INVALID, "dataset.kind: unknown kind 'mnist'"
                " (known: fashion-mnist, multi-fashion, shapes, image-folder, german-nouns, sensors, sensor-csv)");
}

static void
test_error_unknown_kinds (void)
{
  expect_error (project_json (NULL, NULL, "\"optimizer\": { \"kind\": \"rmsprop\" }"),
                MH_ERROR_INVALID, "optimizer.kind: unknown kind 'rmsprop' (known: sgd, adam, adamw)");
  expect_error (project_json (NULL, NULL, "\"balancing\": { \"method\": \"magic\" }"),
                MH_ERROR_INVALID, "balancing.method: unknown method 'magic'");
  expect_error (project_json (NULL, "{ \"name\": \"c\", \"kind\": \"ranking\", \"target\": \"category\","
                              " \"layers\": [ { \"type\": \"dense\" } ] }", NULL),
                MH_ERROR_INVALID, "heads[0].kind: unknown kind 'ranking'");
}

static void
test_error_head_input (void)
{
  expect_error (project_json (NULL, "{ \"name\": \"category\", \"input\": \"fc3\", \"target\": \"category\","
                              " \"layers\": [ { \"type\": \"dense\" } ] }", NULL),
                MH_ERROR_INVALID,
                "heads[0].input: head 'category' reads 'fc3', but no backbone layer has that name"
                " (taps: flatten1, fc1, relu1)");
}

static void
test_error_duplicate_layer_name (void)
{
  expect_error (project_json ("{ \"type\": \"flatten\", \"name\": \"a\" }, { \"type\": \"relu\", \"name\": \"a\" }",
                              NULL, NULL),
                MH_ERROR_INVALID, "backbone.layers[1]: the name 'a' is already used by backbone.layers[0]");
  /* an automatic name that clashes with a given one */
  expect_error (project_json (NULL, "{ \"name\": \"category\", \"target\": \"category\", \"layers\": ["
                              " { \"type\": \"dense\", \"name\": \"relu1\", \"units\": 4 }, { \"type\": \"relu\" },"
                              " { \"type\": \"dense\" } ] }", NULL),
                MH_ERROR_INVALID,
                "heads[0].layers[1]: the automatic name 'relu1' is already used by heads[0].layers[0]");
}

static void
test_error_duplicate_head_name (void)
{
  expect_error (project_json (NULL, HEAD ("category") ", " HEAD ("group") ", " HEAD ("category"), NULL),
                MH_ERROR_INVALID, "heads[2].name: 'category' is already the name of heads[0]");
}

static void
test_error_bad_name (void)
{
  expect_error (project_json (NULL, HEAD ("my head"), NULL), MH_ERROR_INVALID,
                "heads[0].name must contain only letters, digits, '_' and '-', got 'my head'");
  expect_error (project_json ("{ \"type\": \"flatten\", \"name\": \"a.b\" }", NULL, NULL), MH_ERROR_INVALID,
                "backbone.layers[0].name must contain only letters, digits");
}

static void
test_error_batch_0 (void)
{
  expect_error (project_json (NULL, NULL, "\"training\": { \"batch\": 0 }"), MH_ERROR_INVALID,
                WHERE ": training.batch must be between 1 and 1048576, got 0");
}

static void
test_error_epochs_negative (void)
{
  expect_error (project_json (NULL, NULL, "\"training\": { \"epochs\": -1 }"), MH_ERROR_INVALID,
                WHERE ": training.epochs must be between 0 and 1000000, got -1");
}

static void
test_error_seed_range (void)
{
  expect_error (project_json (NULL, NULL, "\"training\": { \"seed\": 4294967296 }"), MH_ERROR_INVALID,
                "training.seed must be between 0 and 4294967295, got 4294967296");
  expect_error (project_json (NULL, NULL, "\"training\": { \"batch\": 3000000000 }"), MH_ERROR_INVALID,
                "training.batch must be between");
}

static void
test_error_lr_inf (void)
{
  expect_error (project_json (NULL, NULL, "\"optimizer\": { \"lr\": 1e999 }"), MH_ERROR_INVALID,
                "optimizer.lr must be a positive finite number, got inf");
}

static void
test_error_lr_negative (void)
{
  expect_error (project_json (NULL, NULL, "\"optimizer\": { \"lr\": -0.01 }"), MH_ERROR_INVALID,
                "optimizer.lr must be a positive finite number, got -0.01");
  expect_error (project_json (NULL, NULL, "\"optimizer\": { \"lr\": 0 }"), MH_ERROR_INVALID,
                "optimizer.lr must be a positive finite number, got 0");
}

static void
test_error_lr_nan (void)
{
  g_autofree char *json = project_json (NULL, NULL, NULL);
  g_autoptr(MhProject) p = load_ok (json);
  g_autoptr(GError) error = NULL;

  p->optim.lr = NAN;
  g_assert_false (mh_project_validate (p, "edited", &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_INVALID);
  assert_message (error, "edited: optimizer.lr must be a positive finite number, got nan");
}

static void
test_error_optimizer_ranges (void)
{
  expect_error (project_json (NULL, NULL, "\"optimizer\": { \"beta2\": 1 }"), MH_ERROR_INVALID,
                "optimizer.beta2 must be at least 0 and below 1, got 1");
  expect_error (project_json (NULL, NULL, "\"optimizer\": { \"eps\": 0 }"), MH_ERROR_INVALID,
                "optimizer.eps must be a positive finite number, got 0");
  expect_error (project_json (NULL, NULL, "\"optimizer\": { \"weight_decay\": -1 }"), MH_ERROR_INVALID,
                "optimizer.weight_decay must be a finite number, at least 0, got -1");
  expect_error (project_json (NULL, NULL, "\"schedule\": { \"min_lr\": -1e-3 }"), MH_ERROR_INVALID,
                "schedule.min_lr must be a finite number, at least 0, got -0.001");
  expect_error (project_json (NULL, NULL, "\"dataset\": { \"kind\": \"fashion-mnist\", \"validation\": -5 }"),
                MH_ERROR_INVALID, "dataset.validation must not be negative, got -5");
}

static void
test_error_loss_kind (void)
{
  expect_error (project_json (NULL, "{ \"name\": \"category\", \"target\": \"category\", \"loss\": \"mse\","
                              " \"layers\": [ { \"type\": \"dense\" } ] }", NULL),
                MH_ERROR_INVALID,
                "heads[0].loss: 'mse' does not fit a classification head (use cross-entropy)");
  expect_error (project_json (NULL, "{ \"name\": \"c\", \"target\": \"category\", \"loss\": \"hinge\","
                              " \"layers\": [ { \"type\": \"dense\" } ] }", NULL),
                MH_ERROR_INVALID, "heads[0].loss: unknown loss 'hinge'");
}

static void
test_error_weight (void)
{
  expect_error (project_json (NULL, "{ \"name\": \"c\", \"target\": \"category\", \"weight\": -1,"
                              " \"layers\": [ { \"type\": \"dense\" } ] }", NULL),
                MH_ERROR_INVALID, "heads[0].weight must be a finite number, at least 0, got -1");
}

static void
test_error_layer_ranges (void)
{
  expect_error (project_json ("{ \"type\": \"dense\", \"units\": 0 }", NULL, NULL), MH_ERROR_INVALID,
                "backbone.layers[0].units must be between 1 and 1048576, got 0");
  expect_error (project_json (NULL, "{ \"name\": \"c\", \"target\": \"category\", \"layers\": ["
                              " { \"type\": \"dense\", \"units\": 0 }, { \"type\": \"dense\" } ] }", NULL),
                MH_ERROR_INVALID, "heads[0].layers[0].units must be between 1 and 1048576, got 0");
  expect_error (project_json (NULL, "{ \"name\": \"c\", \"target\": \"category\", \"layers\": ["
                              " { \"type\": \"dense\", \"units\": -1 } ] }", NULL),
                MH_ERROR_INVALID, "heads[0].layers[0].units must be between 0 and 1048576, got -1");
  expect_error (project_json ("{ \"type\": \"conv2d\", \"filters\": 4, \"kernel\": 3, \"stride\": 0 }", NULL, NULL),
                MH_ERROR_INVALID, "backbone.layers[0].stride must be between 1 and 1024, got 0");
  expect_error (project_json ("{ \"type\": \"conv2d\", \"filters\": 4, \"kernel\": 3, \"padding\": -1 }", NULL, NULL),
                MH_ERROR_INVALID, "backbone.layers[0].padding must be between 0 and 1024, got -1");
  expect_error (project_json ("{ \"type\": \"maxpool\", \"size\": 0 }", NULL, NULL),
                MH_ERROR_INVALID, "backbone.layers[0].size must be between 1 and 1024, got 0");
  expect_error (project_json ("{ \"type\": \"dropout\", \"rate\": 1 }", NULL, NULL),
                MH_ERROR_INVALID, "backbone.layers[0].rate must be at least 0 and below 1, got 1");
  expect_error (project_json ("{ \"type\": \"layernorm\", \"eps\": 0 }", NULL, NULL),
                MH_ERROR_INVALID, "backbone.layers[0].eps must be a positive finite number, got 0");
}

static void
test_error_layer_needs_key (void)
{
  expect_error (project_json ("{ \"type\": \"dense\" }", NULL, NULL), MH_ERROR_INVALID,
                "backbone.layers[0]: a dense layer needs 'units'");
  expect_error (project_json ("{ \"type\": \"conv2d\", \"filters\": 8 }", NULL, NULL), MH_ERROR_INVALID,
                "backbone.layers[0]: a conv2d layer needs 'kernel'");
  expect_error (project_json (NULL, "{ \"name\": \"c\", \"target\": \"category\", \"layers\": ["
                              " { \"type\": \"dense\" }, { \"type\": \"dense\" } ] }", NULL),
                MH_ERROR_INVALID, "heads[0].layers[0]: a dense layer needs 'units'");
}

static void
test_error_empty_blocks (void)
{
  expect_error (project_json (NULL, "", NULL), MH_ERROR_INVALID, "heads must have at least one head");
  expect_error (project_json ("", NULL, NULL), MH_ERROR_INVALID,
                "backbone.layers must have at least one layer");
  expect_error (project_json (NULL, "{ \"name\": \"c\", \"target\": \"category\", \"layers\": [] }", NULL),
                MH_ERROR_INVALID, "heads[0].layers must have at least one layer");
}

/* ---- the dataset section: keys by kind -------------------------------- */

/* A valid project whose dataset section is `dataset`. */
static char *
with_dataset (const char *dataset)
{
  g_autofree char *json = project_json (NULL, NULL, NULL);
  g_auto(GStrv) parts = g_strsplit (json, "{ \"kind\": \"fashion-mnist\" }", 2);

  return g_strconcat (parts[0], dataset, parts[1], NULL);
}

static void
test_dataset_kinds (void)
{
  static const char *const sections[] = {
    "{ \"kind\": \"fashion-mnist\", \"path\": \"/fm\", \"validation\": 7,"
    " \"augment\": { \"shift\": 2, \"flip\": true } }",
    "{ \"kind\": \"multi-fashion\", \"validation\": 100, \"seed\": 9, \"augment\": { \"shift\": 1 } }",
    "{ \"kind\": \"shapes\", \"size\": 64, \"train\": 500, \"test\": 50, \"validation\": 20,"
    " \"seed\": 4294967295 }",
    "{ \"kind\": \"image-folder\", \"path\": \"pics\", \"width\": 40, \"height\": 30, \"channels\": 1,"
    " \"test_fraction\": 0.25, \"seed\": 3, \"augment\": { \"flip\": true } }",
  };
  MhProject *p[G_N_ELEMENTS (sections)];

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_autofree char *json = with_dataset (sections[i]);
      p[i] = load_ok (json);
      assert_round_trip (p[i]);
    }
  g_assert_cmpstr (p[0]->data.path, ==, "/fm");
  g_assert_cmpint (p[0]->data.augment.shift, ==, 2);
  g_assert_true (p[0]->data.augment.flip);
  g_assert_cmpuint (p[1]->data.seed, ==, 9);
  g_assert_cmpint (p[1]->data.augment.shift, ==, 1);
  g_assert_false (p[1]->data.augment.flip);
  g_assert_cmpint (p[2]->data.size, ==, 64);
  g_assert_cmpint (p[2]->data.train, ==, 500);
  g_assert_cmpint (p[2]->data.test, ==, 50);
  g_assert_cmpint (p[2]->data.validation, ==, 20);
  g_assert_cmpuint (p[2]->data.seed, ==, 4294967295u);
  g_assert_cmpint (p[3]->data.width, ==, 40);
  g_assert_cmpint (p[3]->data.height, ==, 30);
  g_assert_cmpint (p[3]->data.channels, ==, 1);
  g_assert_cmpfloat (p[3]->data.test_fraction, ==, 0.25);
  g_assert_true (p[3]->data.augment.flip);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    mh_project_free (p[i]);
}

/* Only the keys of the kind are written, every one of them. */
static void
test_dataset_defaults (void)
{
  g_autofree char *json = with_dataset ("{ \"kind\": \"shapes\" }");
  g_autofree char *fashion_json = project_json (NULL, NULL, NULL);
  g_autoptr(MhProject) p = load_ok (json);
  g_autoptr(MhProject) fashion = load_ok (fashion_json);
  g_autofree char *text = mh_project_to_data (p, NULL);
  g_autofree char *fashion_text = mh_project_to_data (fashion, NULL);

  g_assert_cmpint (p->data.size, ==, 48);
  g_assert_cmpint (p->data.train, ==, 10000);
  g_assert_cmpint (p->data.test, ==, 2000);
  g_assert_cmpint (p->data.validation, ==, 0);
  g_assert_cmpuint (p->data.seed, ==, 1);
  g_assert_cmpint (p->data.augment.shift, ==, 0);
  g_assert_false (p->data.augment.flip);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "    \"kind\": \"shapes\",\n    \"size\": 48,\n    \"train\": 10000,\n"
                                  "    \"test\": 2000,\n    \"validation\": 0,\n    \"seed\": 1,\n"
                                  "    \"augment\": { \"shift\": 0, \"flip\": false }\n  },"));
  g_assert_nonnull (strstr (fashion_text, "    \"kind\": \"fashion-mnist\",\n    \"validation\": 0,\n"
                                          "    \"augment\": { \"shift\": 0, \"flip\": false }\n  },"));
  g_assert_cmpint (fashion->data.width, ==, 32);
  g_assert_cmpint (fashion->data.channels, ==, 3);
  g_assert_cmpfloat (fashion->data.test_fraction, ==, 0.2);
}

static void
test_error_dataset_keys (void)
{
  expect_error (with_dataset ("{ \"kind\": \"fashion-mnist\", \"size\": 48 }"), MH_ERROR_INVALID,
                "dataset: 'size' is not a key of a fashion-mnist dataset"
                " (it takes: kind, path, validation, augment)");
  expect_error (with_dataset ("{ \"kind\": \"shapes\", \"path\": \"x\" }"), MH_ERROR_INVALID,
                "dataset: 'path' is not a key of a shapes dataset");
  expect_error (with_dataset ("{ \"kind\": \"shapes\", \"colours\": 3 }"), MH_ERROR_INVALID,
                "dataset: unknown key 'colours' (a shapes dataset takes: kind, size, train, test,"
                " validation, seed, augment)");
  expect_error (with_dataset ("{ \"kind\": \"shapes\", \"augment\": { \"rotate\": 1 } }"),
                MH_ERROR_INVALID, "dataset.augment: unknown key 'rotate' (augment takes: shift, flip)");
  expect_error (with_dataset ("{ \"kind\": \"shapes\", \"augment\": 2 }"), MH_ERROR_INVALID,
                "dataset.augment: expected an object, got a number");
  expect_error (with_dataset ("{ \"kind\": \"shapes\", \"augment\": { \"flip\": 1 } }"),
                MH_ERROR_INVALID, "dataset.augment.flip: expected true or false");
  expect_error (with_dataset ("{ \"kind\": \"shapes\", \"train\": 2.5 }"), MH_ERROR_INVALID,
                "dataset.train: expected an integer, got 2.5");
  expect_error (with_dataset ("{ \"kind\": 7 }"), MH_ERROR_INVALID,
                "dataset.kind: expected a string, got a number");
  expect_error (with_dataset ("{ \"path\": \"x\" }"), MH_ERROR_INVALID, "dataset: missing key 'kind'");
}

static void
test_error_dataset_values (void)
{
  expect_error (with_dataset ("{ \"kind\": \"multi-fashion\", \"augment\": { \"flip\": true } }"),
                MH_ERROR_INVALID, "dataset.augment.flip: a multi-fashion image cannot be flipped");
  expect_error (with_dataset ("{ \"kind\": \"image-folder\" }"), MH_ERROR_INVALID,
                "dataset: an image-folder dataset needs 'path'");
  expect_error (with_dataset ("{ \"kind\": \"image-folder\", \"path\": \"p\", \"channels\": 2 }"),
                MH_ERROR_INVALID, "dataset.channels must be 1 (grey) or 3 (RGB), got 2");
  expect_error (with_dataset ("{ \"kind\": \"image-folder\", \"path\": \"p\", \"test_fraction\": 1 }"),
                MH_ERROR_INVALID, "dataset.test_fraction must be at least 0 and below 1, got 1");
  expect_error (with_dataset ("{ \"kind\": \"image-folder\", \"path\": \"p\", \"width\": 0 }"),
                MH_ERROR_INVALID, "dataset.width must be between 1 and 4096, got 0");
  expect_error (with_dataset ("{ \"kind\": \"shapes\", \"size\": 8 }"), MH_ERROR_INVALID,
                "dataset.size must be between 16 and 512, got 8");
  expect_error (with_dataset ("{ \"kind\": \"shapes\", \"train\": 10, \"validation\": 10 }"),
                MH_ERROR_INVALID, "dataset.validation must be between 0 and 9, got 10");
  expect_error (with_dataset ("{ \"kind\": \"shapes\", \"test\": -1 }"), MH_ERROR_INVALID,
                "dataset.test must be between 0 and 10000000, got -1");
  expect_error (with_dataset ("{ \"kind\": \"fashion-mnist\", \"augment\": { \"shift\": 14 } }"),
                MH_ERROR_INVALID, "dataset.augment.shift must be between 0 and 13, got 14");
  expect_error (with_dataset ("{ \"kind\": \"shapes\", \"size\": 16, \"augment\": { \"shift\": -1 } }"),
                MH_ERROR_INVALID, "dataset.augment.shift must be between 0 and 7, got -1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/project/examples/mlp", test_example_mlp);
  g_test_add_func ("/engine/project/examples/cnn", test_example_cnn);
  g_test_add_func ("/engine/project/round-trip/examples", test_round_trip_examples);
  g_test_add_func ("/engine/project/round-trip/every-key", test_round_trip_every_key);
  g_test_add_func ("/engine/project/write/numbers", test_write_numbers);
  g_test_add_func ("/engine/project/defaults", test_defaults);
  g_test_add_func ("/engine/project/defaults/by-kind", test_defaults_by_kind);
  g_test_add_func ("/engine/project/new-default", test_new_default);
  g_test_add_func ("/engine/project/layer-names", test_layer_names);
  g_test_add_func ("/engine/project/save", test_save);
  g_test_add_func ("/engine/project/save/error", test_save_error);
  g_test_add_func ("/engine/project/error/missing-file", test_error_missing_file);
  g_test_add_func ("/engine/project/error/syntax", test_error_syntax);
  g_test_add_func ("/engine/project/error/not-a-project", test_error_not_a_project);
  g_test_add_func ("/engine/project/error/format", test_error_format);
  g_test_add_func ("/engine/project/error/unknown-key/top", test_error_unknown_key_top);
  g_test_add_func ("/engine/project/error/unknown-key/optimizer", test_error_unknown_key_optimizer);
  g_test_add_func ("/engine/project/error/unknown-key/layer", test_error_unknown_key_layer);
  g_test_add_func ("/engine/project/error/unknown-layer-type", test_error_unknown_layer_type);
  g_test_add_func ("/engine/project/error/wrong-type", test_error_wrong_type);
  g_test_add_func ("/engine/project/error/missing-key", test_error_missing_key);
  g_test_add_func ("/engine/project/error/unknown-dataset", test_error_unknown_dataset);
  g_test_add_func ("/engine/project/error/unknown-kinds", test_error_unknown_kinds);
  g_test_add_func ("/engine/project/error/head-input", test_error_head_input);
  g_test_add_func ("/engine/project/error/duplicate-layer-name", test_error_duplicate_layer_name);
  g_test_add_func ("/engine/project/error/duplicate-head-name", test_error_duplicate_head_name);
  g_test_add_func ("/engine/project/error/bad-name", test_error_bad_name);
  g_test_add_func ("/engine/project/error/batch-0", test_error_batch_0);
  g_test_add_func ("/engine/project/error/epochs-negative", test_error_epochs_negative);
  g_test_add_func ("/engine/project/error/seed-range", test_error_seed_range);
  g_test_add_func ("/engine/project/error/lr-inf", test_error_lr_inf);
  g_test_add_func ("/engine/project/error/lr-negative", test_error_lr_negative);
  g_test_add_func ("/engine/project/error/lr-nan", test_error_lr_nan);
  g_test_add_func ("/engine/project/error/optimizer-ranges", test_error_optimizer_ranges);
  g_test_add_func ("/engine/project/error/loss-kind", test_error_loss_kind);
  g_test_add_func ("/engine/project/error/weight", test_error_weight);
  g_test_add_func ("/engine/project/error/layer-ranges", test_error_layer_ranges);
  g_test_add_func ("/engine/project/error/layer-needs-key", test_error_layer_needs_key);
  g_test_add_func ("/engine/project/error/empty-blocks", test_error_empty_blocks);

  g_test_add_func ("/engine/project/dataset/kinds", test_dataset_kinds);
  g_test_add_func ("/engine/project/dataset/defaults", test_dataset_defaults);
  g_test_add_func ("/engine/project/error/dataset-keys", test_error_dataset_keys);
  g_test_add_func ("/engine/project/error/dataset-values", test_error_dataset_values);

  return g_test_run ();
}
