/* test-cli-sequences.c — the command line on sequence models (issue 14):
 * train, eval, predict --text WORD… and predict on recording CSVs (text and
 * JSON), render-attention's head view and saliency (PNG and SVG), and one
 * clear line for each bad input the issue lists: the dictionary missing or
 * damaged, a word of 10,000 characters, an empty word, characters outside
 * the vocabulary (read as unknown, and said so), a CSV with the wrong column
 * count, NaN, an empty window or a window of the wrong length.
 */
#include <json-glib/json-glib.h>
#include <string.h>
#include "mh-test-util.h"

static char *work_dir;
static char *dict;
static char *nouns_gru, *nouns_transformer, *sensors;
static char *gru_weights, *transformer_weights, *sensors_weights;

static char *
path_in (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

static char *
write_text (const char *name, const char *text)
{
  char *path = path_in (name);

  mh_test_write_file (path, text, strlen (text), FALSE);
  return path;
}

static char *
nouns_project (const char *name, const char *path, const char *backbone)
{
  g_autofree char *json = g_strdup_printf (
    "{ \"format\": 1, \"name\": \"%s\", \"dataset\": { \"kind\": \"german-nouns\", \"path\": \"%s\", \"length\": 12,"
    " \"validation\": 50 }, \"backbone\": { \"kind\": \"rnn\", \"layers\": [ %s ] }, \"heads\": ["
    " { \"name\": \"gender\", \"target\": \"gender\", \"layers\": [ { \"type\": \"dense\" } ] },"
    " { \"name\": \"syllables\", \"target\": \"syllables\", \"layers\": [ { \"type\": \"dense\" } ] } ],"
    " \"training\": { \"batch\": 32, \"epochs\": 1, \"seed\": 1 } }", name, path, backbone);
  g_autofree char *file = g_strdup_printf ("%s.mhproj", name);

  return write_text (file, json);
}

/* The JSON object on stdout's last line. */
static JsonObject *
last_json (const char *out, JsonParser *parser)
{
  g_autoptr (GError) error = NULL;
  const char *last = strrchr (g_strchomp ((char *) out), '\n');

  json_parser_load_from_data (parser, last != NULL ? last + 1 : out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_predict_text (void)
{
  g_autofree char *out = mh_test_cli_ok ((const char *[]) { "predict", nouns_gru, "--weights", gru_weights, "--text",
                                                            "Blorkung", "Glumpchen", "Жук", "--json", NULL });
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = last_json (out, parser), *first, *gender;
  JsonArray *texts = json_object_get_array_member (o, "texts");
  MhTestRun r;

  g_assert_cmpuint (json_array_get_length (texts), ==, 3);
  first = json_array_get_object_element (texts, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "text"), ==, "Blorkung");
  g_assert_cmpint (json_object_get_int_member (first, "characters_read"), ==, 8);
  gender = json_object_get_object_member (json_object_get_object_member (first, "heads"), "gender");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (gender, "top")), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (texts, 2), "unknown_characters"), ==, 3);
  /* as text: every head, the characters the vocabulary lacks named */
  r = mh_test_cli ((const char *[]) { "predict", nouns_gru, "--weights", gru_weights, "--text", "Жук",
                                      "Donaudampfschifffahrt", NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "3 characters the vocabulary lacks, read as unknown: 'Жук'"));
  g_assert_nonnull (strstr (r.out, "Donaudampfschifffahrt (the model reads its last 12 characters: 'fschifffahrt')"));
  g_assert_nonnull (strstr (r.out, "  gender: "));
  g_assert_nonnull (strstr (r.out, "  syllables: "));
  mh_test_run_clear (&r);
}

static void
test_predict_text_errors (void)
{
  g_autofree char *long_word = g_strnfill (10000, 'a');

  mh_test_cli_fails ((const char *[]) { "predict", nouns_gru, "--weights", gru_weights, "--text", "Haus", "", NULL },
                     "--text word 2 is empty");
  mh_test_cli_fails ((const char *[]) { "predict", nouns_gru, "--weights", gru_weights, "--text", long_word, NULL },
                     "--text word 1 is 10000 characters long; at most 1000 are read");
  mh_test_cli_fails ((const char *[]) { "predict", nouns_gru, "--weights", gru_weights, "--text", "Ha\xffus", NULL },
                     "--text word 1 is not UTF-8");
  mh_test_cli_fails ((const char *[]) { "predict", sensors, "--weights", sensors_weights, "--text", "Haus", NULL },
                     "--text: this model reads sensor recordings, not text");
  /* weights of the other text model */
  mh_test_cli_fails ((const char *[]) { "predict", nouns_gru, "--weights", transformer_weights, "--text", "Haus", NULL },
                     "transformer.safetensors: tensor 'backbone.embedding1.weight' has shape");
}

static char *
steps_csv (const char *name, int steps, const char *bad_row)
{
  g_autoptr (GString) text = g_string_new ("ax,ay,az,gx,gy,gz\n");

  for (int t = 0; t < steps; t++)
    g_string_append_printf (text, "%g,%g,0.1,%g,0,0\n", 0.01 * (t % 7), 0.98, 0.5 * (t % 5));
  if (bad_row != NULL)
    g_string_append (text, bad_row);
  return write_text (name, text->str);
}

static void
test_predict_csv (void)
{
  g_autofree char *csv = steps_csv ("walk.csv", 300, NULL);
  g_autofree char *out = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  MhTestRun r = mh_test_cli ((const char *[]) { "predict", sensors, "--weights", sensors_weights, csv, "--json", NULL });
  JsonObject *o, *rec, *w;

  g_assert_cmpint (r.status, ==, 0);
  /* 300 steps: two windows of 128, the last 44 steps left out and said so */
  g_assert_nonnull (strstr (r.err, "left out: "));
  g_assert_nonnull (strstr (r.err, "44 steps at the end of a recording"));
  o = last_json (r.out, parser);
  rec = json_array_get_object_element (json_object_get_array_member (o, "recordings"), 0);
  g_assert_cmpstr (json_object_get_string_member (rec, "file"), ==, csv);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (rec, "windows")), ==, 2);
  w = json_array_get_object_element (json_object_get_array_member (rec, "windows"), 1);
  o = json_object_get_object_member (w, "heads");
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "activity"), "top"));
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "cadence"), "values"));
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "faulty"), "labels"));
  mh_test_run_clear (&r);
}

static void
test_predict_csv_errors (void)
{
  g_autofree char *cells = steps_csv ("cells.csv", 130, "1,2,3\n");
  g_autofree char *nan = steps_csv ("nan.csv", 130, "0,1,nan,0,0,0\n");
  g_autofree char *names = write_text ("names.csv", "a:signal,b:signal\n1,2\n");
  g_autofree char *empty = write_text ("empty.csv", "ax:signal,ay:signal,az:signal,gx:signal,gy:signal,gz:signal\n"
                                                    "\"\",1,1,1,1,1\n");
  g_autofree char *wrong = write_text ("wrong.csv", "ax:signal,ay:signal,az:signal,gx:signal,gy:signal,gz:signal\n"
                                                    "1 2 3,1 2 3,1 2 3,1 2 3,1 2 3,1 2 3\n");
  g_autofree char *nan_at = g_strdup_printf ("%s:132: 3 cells, but the header has 6 columns", cells);

  mh_test_cli_fails ((const char *[]) { "predict", sensors, "--weights", sensors_weights, cells, NULL }, nan_at);
  mh_test_cli_fails ((const char *[]) { "predict", sensors, "--weights", sensors_weights, nan, NULL },
                     "nan.csv:132: column 3 ('az'): 'nan' is not a finite number");
  mh_test_cli_fails ((const char *[]) { "predict", sensors, "--weights", sensors_weights, names, NULL },
                     "its signal columns are a, b, but the model reads ax, ay, az, gx, gy, gz");
  mh_test_cli_fails ((const char *[]) { "predict", sensors, "--weights", sensors_weights, empty, NULL },
                     "empty.csv:2: column 1 ('ax:signal'): the window is empty");
  mh_test_cli_fails ((const char *[]) { "predict", sensors, "--weights", sensors_weights, wrong, NULL },
                     "holds 3 values, but a window is 128 steps");
}

static void
assert_png (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 2000);
  g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
}

static void
test_render (void)
{
  g_autofree char *heads = path_in ("heads.png"), *svg = path_in ("heads.svg"), *sal = path_in ("saliency.png");
  g_autofree char *signals = path_in ("signals.png"), *text = NULL;
  MhTestRun r;

  r = mh_test_cli ((const char *[]) { "render-attention", nouns_transformer, "--weights", transformer_weights,
                                      "--text", "Bauheit", "--out", heads, NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "attention of Bauheit written to"));
  mh_test_run_clear (&r);
  assert_png (heads);
  g_free (mh_test_cli_ok ((const char *[]) { "render-attention", nouns_transformer, "--weights", transformer_weights,
                                             "--text", "Bauheit", "--out", svg, NULL }));
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "<?xml") && strstr (text, "<svg") != NULL);
  r = mh_test_cli ((const char *[]) { "render-attention", nouns_gru, "--weights", gru_weights, "--text", "Bauheit",
                                      "--out", sal, NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "saliency of Bauheit"));
  mh_test_run_clear (&r);
  assert_png (sal);
  g_free (mh_test_cli_ok ((const char *[]) { "render-attention", sensors, "--weights", sensors_weights, "--sample", "3",
                                             "--out", signals, NULL }));
  assert_png (signals);
  mh_test_cli_fails ((const char *[]) { "render-attention", sensors, "--weights", sensors_weights, "--text", "Haus",
                                        "--out", signals, NULL }, "this model reads sensor recordings, not text");
  mh_test_cli_fails ((const char *[]) { "render-attention", sensors, "--weights", sensors_weights, "--sample", "999",
                                        "--out", signals, NULL }, "--sample 999 is out of range: the test set has 40");
  mh_test_cli_fails ((const char *[]) { "render-attention", nouns_gru, "--weights", gru_weights, "--text", "",
                                        "--out", sal, NULL }, "--text is empty");
}

static void
test_bad_dictionary (void)
{
  g_autofree char *missing = path_in ("missing.dict.dz");
  g_autofree char *garbage = write_text ("garbage.dict.dz", "not gzip\n");
  g_autofree char *p1 = nouns_project ("missing", missing, "{ \"type\": \"embedding\", \"dim\": 4 }, { \"type\": \"gru\", \"hidden\": 4 }");
  g_autofree char *p2 = nouns_project ("garbage", garbage, "{ \"type\": \"embedding\", \"dim\": 4 }, { \"type\": \"gru\", \"hidden\": 4 }");

  mh_test_cli_fails ((const char *[]) { "train", p1, "--steps", "1", NULL },
                     "no such file; install Debian's dict-freedict-deu-eng package");
  mh_test_cli_fails ((const char *[]) { "train", p2, "--steps", "1", NULL }, "the dictionary is damaged or cut short");
}

/* eval prints each head's figures by kind: accuracy, MAE, F1. */
static void
test_eval_sensors (void)
{
  g_autofree char *out = mh_test_cli_ok ((const char *[]) { "eval", sensors, "--weights", sensors_weights, "--json", NULL });
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *heads = json_object_get_object_member (last_json (out, parser), "heads");

  g_assert_true (json_object_has_member (json_object_get_object_member (heads, "activity"), "test_acc"));
  g_assert_true (json_object_has_member (json_object_get_object_member (heads, "cadence"), "test_mae"));
  g_assert_true (json_object_has_member (json_object_get_object_member (heads, "faulty"), "test_f1_micro"));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  work_dir = mh_test_tmp_dir ();
  dict = path_in ("nouns.dict.dz");
  mh_test_write_fake_dict (dict, 3000, 3);
  nouns_gru = nouns_project ("gru", dict, "{ \"type\": \"embedding\", \"dim\": 6 },"
                             " { \"type\": \"gru\", \"hidden\": 8, \"bidirectional\": true }");
  nouns_transformer = nouns_project ("transformer", dict, "{ \"type\": \"embedding\", \"dim\": 8 },"
                                     " { \"type\": \"class_token\" }, { \"type\": \"position_embedding\" },"
                                     " { \"type\": \"transformer_block\", \"heads\": 2, \"hidden\": 16 },"
                                     " { \"type\": \"transformer_block\", \"heads\": 2, \"hidden\": 16 },"
                                     " { \"type\": \"select_token\" }");
  sensors = write_text ("sensors.mhproj",
    "{ \"format\": 1, \"name\": \"sensors\", \"dataset\": { \"kind\": \"sensors\", \"train\": 100, \"test\": 40,"
    " \"validation\": 20 }, \"backbone\": { \"kind\": \"conv1d\", \"layers\": ["
    " { \"type\": \"conv1d\", \"filters\": 8, \"kernel\": 5, \"padding\": 2, \"groups\": 2 }, { \"type\": \"relu\" },"
    " { \"type\": \"seqpool\" } ] }, \"heads\": ["
    " { \"name\": \"activity\", \"target\": \"activity\", \"layers\": [ { \"type\": \"dense\" } ] },"
    " { \"name\": \"cadence\", \"kind\": \"regression\", \"target\": \"cadence\", \"layers\": [ { \"type\": \"dense\" } ] },"
    " { \"name\": \"faulty\", \"kind\": \"multilabel\", \"target\": \"faulty\", \"layers\": [ { \"type\": \"dense\" } ] } ],"
    " \"training\": { \"batch\": 16, \"epochs\": 1, \"seed\": 1 } }");
  gru_weights = path_in ("gru.safetensors");
  transformer_weights = path_in ("transformer.safetensors");
  sensors_weights = path_in ("sensors.safetensors");
  g_free (mh_test_cli_ok ((const char *[]) { "train", nouns_gru, "--steps", "20", "--save", gru_weights, NULL }));
  g_free (mh_test_cli_ok ((const char *[]) { "train", nouns_transformer, "--steps", "5", "--save", transformer_weights, NULL }));
  g_free (mh_test_cli_ok ((const char *[]) { "train", sensors, "--steps", "5", "--save", sensors_weights, NULL }));
  g_test_add_func ("/cli/sequences/predict-text", test_predict_text);
  g_test_add_func ("/cli/sequences/predict-text-errors", test_predict_text_errors);
  g_test_add_func ("/cli/sequences/predict-csv", test_predict_csv);
  g_test_add_func ("/cli/sequences/predict-csv-errors", test_predict_csv_errors);
  g_test_add_func ("/cli/sequences/render-attention", test_render);
  g_test_add_func ("/cli/sequences/bad-dictionary", test_bad_dictionary);
  g_test_add_func ("/cli/sequences/eval-sensors", test_eval_sensors);
  status = g_test_run ();
  mh_test_rm_rf (work_dir);
  g_free (work_dir);
  g_free (dict);
  g_free (nouns_gru);
  g_free (nouns_transformer);
  g_free (sensors);
  g_free (gru_weights);
  g_free (transformer_weights);
  g_free (sensors_weights);
  return status;
}
