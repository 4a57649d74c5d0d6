/* test-cli-weights.c — weights, checkpoints and what uses them, end to end:
 * `train --checkpoints` then `--resume` gives the parameters of the run that
 * never stopped; `eval` reports the figures `train` reported; `predict` on
 * images (and clear errors on broken, empty and enormous ones); a project's
 * own weights file; transfer learning from a project's "transfer". */
#include <sys/wait.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include "mh-safetensors.h"
#include "mh-test-util.h"

static char *data_dir;
static char *work_dir;

typedef MhTestRun Run;

#define run_clear mh_test_run_clear
#define cli mh_test_cli
#define cli_fails mh_test_cli_fails

static void
cli_ok (const char *const *args)
{
  g_free (mh_test_cli_ok (args));
}

static char *
path_in (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

static char *
write_project (const char *name, const char *extra)
{
  char *path = path_in (name);
  g_autofree char *json = g_strdup_printf (
    "{ \"format\": 1, \"name\": \"%s\", \"dataset\": { \"kind\": \"fashion-mnist\", \"validation\": 40 },"
    "  \"backbone\": { \"layers\": [ { \"type\": \"flatten\" }, { \"type\": \"dropout\", \"rate\": 0.2 },"
    "    { \"type\": \"dense\", \"name\": \"fc1\", \"units\": 24 }, { \"type\": \"relu\" } ] },"
    "  \"heads\": [ { \"name\": \"category\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] },"
    "    { \"name\": \"group\", \"target\": \"group\", \"layers\": [ { \"type\": \"dense\" } ] } ],"
    "  \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.003 }, \"training\": { \"batch\": 32, \"epochs\": 2, \"seed\": 3 },"
    "  \"balancing\": { \"method\": \"uncertainty\" } %s }", name, extra);

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  return path;
}

static GBytes *
tensor_bytes (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) t = mh_safetensors_read (path, NULL, &error);
  GByteArray *all = g_byte_array_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < t->len; i++)
    {
      MhTensorEntry *e = t->pdata[i];
      g_byte_array_append (all, (guint8 *) e->name, strlen (e->name) + 1);
      g_byte_array_append (all, (guint8 *) e->data, e->size * sizeof (float));
    }
  return g_byte_array_free_to_bytes (all);
}

static void
test_resume (void)
{
  g_autofree char *project = write_project ("resume.mhproj", "");
  g_autofree char *straight = path_in ("straight.safetensors"), *resumed = path_in ("resumed.safetensors");
  g_autofree char *ck = path_in ("ck"), *latest = g_build_filename (ck, "latest.safetensors", NULL);
  g_autofree char *best = g_build_filename (ck, "best.safetensors", NULL);
  g_autoptr (GBytes) a = NULL, b = NULL;
  Run r;

  cli_ok ((const char *[]) { "train", project, "--data", data_dir, "--threads", "1", "--save", straight, NULL });
  cli_ok ((const char *[]) { "train", project, "--data", data_dir, "--threads", "1", "--epochs", "1",
                             "--checkpoints", ck, NULL });
  g_assert_true (g_file_test (latest, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (best, G_FILE_TEST_EXISTS));
  r = cli ((const char *[]) { "train", project, "--data", data_dir, "--threads", "1", "--epochs", "2",
                              "--resume", latest, "--save", resumed, NULL });
  if (r.status != 0)
    g_error ("resume failed: %s", r.err);
  g_assert_nonnull (strstr (r.err, "resuming"));
  run_clear (&r);
  a = tensor_bytes (straight);
  b = tensor_bytes (resumed);
  g_assert_true (g_bytes_equal (a, b));
  /* a checkpoint is a weights file too; a weights file is no checkpoint */
  cli_ok ((const char *[]) { "eval", project, "--data", data_dir, "--weights", best, NULL });
  cli_fails ((const char *[]) { "train", project, "--data", data_dir, "--resume", straight, NULL },
             "not a checkpoint");
  cli_fails ((const char *[]) { "train", project, "--data", data_dir, "--resume", latest, "--seed", "9", NULL },
             "the checkpoint's seed 3");
}

static JsonObject *
heads_of (const char *out, JsonParser *parser)
{
  g_auto (GStrv) lines = g_strsplit (g_strchomp ((char *) out), "\n", -1);
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, lines[g_strv_length (lines) - 1], -1, &error);
  g_assert_no_error (error);
  return json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "heads");
}

static void
test_eval_equals_train (void)
{
  g_autofree char *project = write_project ("eval.mhproj", ", \"weights\": \"eval.safetensors\"");
  g_autoptr (JsonParser) p1 = json_parser_new (), p2 = json_parser_new ();
  Run tr = cli ((const char *[]) { "train", project, "--data", data_dir, "--threads", "1", "--json", NULL });
  Run ev;
  JsonObject *h1, *h2;

  if (tr.status != 0)
    g_error ("train failed: %s", tr.err);
  /* the project names its weights: train wrote them there, eval reads them */
  g_assert_nonnull (strstr (tr.err, "eval.safetensors"));
  ev = cli ((const char *[]) { "eval", project, "--data", data_dir, "--threads", "1", "--json", NULL });
  if (ev.status != 0)
    g_error ("eval failed: %s", ev.err);
  h1 = heads_of (tr.out, p1);
  h2 = heads_of (ev.out, p2);
  for (const char *const *h = (const char *const[]) { "category", "group", NULL }; *h; h++)
    for (const char *const *k = (const char *const[]) { "test_loss", "test_acc", NULL }; *k; k++)
      g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (h1, *h), *k), ==,
                         json_object_get_double_member (json_object_get_object_member (h2, *h), *k));
  run_clear (&tr);
  run_clear (&ev);
  cli_fails ((const char *[]) { "eval", project, "--data", data_dir, "--weights", "nope.safetensors", NULL },
             "nope.safetensors");
}

static guint32
crc32 (const guint8 *p, gsize n)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < n; i++)
    {
      crc ^= p[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return crc ^ 0xffffffffu;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (v >> (24 - 8 * i)) & 0xff;
}

/* A PNG whose header claims width × height: a valid IHDR, then the start of
 * its image data (as a real enormous file begins). */
static void
write_png_header (const char *path, guint32 width, guint32 height)
{
  guint8 png[8 + 25 + 16] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
  guint8 *idat = png + 33;

  put_be32 (png + 16, width);
  put_be32 (png + 20, height);
  png[24] = 8, png[25] = 2;   /* 8-bit RGB */
  put_be32 (png + 29, crc32 (png + 12, 17));
  put_be32 (idat, 4);
  memcpy (idat + 4, "IDAT\x78\x9c\x63\x60", 8);
  put_be32 (idat + 12, crc32 (idat + 4, 8));
  g_assert_true (g_file_set_contents (path, (const char *) png, sizeof png, NULL));
}

static void
test_predict (void)
{
  g_autofree char *project = write_project ("predict.mhproj", "");
  g_autofree char *weights = path_in ("predict.safetensors"), *png = path_in ("shirt.png");
  g_autofree char *huge = path_in ("huge.png"), *empty = path_in ("empty.png"), *junk = path_in ("junk.png");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *image, *cat;
  JsonArray *images, *top;
  Run r;

  cli_ok ((const char *[]) { "train", project, "--data", data_dir, "--steps", "5", "--save", weights, NULL });
  {
    guint8 pixels[40 * 30 * 3];
    for (guint i = 0; i < sizeof pixels; i++)
      pixels[i] = (guint8) (i * 7);
    g_autoptr (GBytes) bytes = g_bytes_new (pixels, sizeof pixels);
    g_autoptr (GdkPixbuf) pb = gdk_pixbuf_new_from_bytes (bytes, GDK_COLORSPACE_RGB, FALSE, 8, 40, 30, 40 * 3);
    g_assert_true (gdk_pixbuf_save (pb, png, "png", &error, NULL));
  }
  r = cli ((const char *[]) { "predict", project, "--weights", weights, png, png, "--top", "2", "--json", NULL });
  if (r.status != 0)
    g_error ("predict failed: %s", r.err);
  g_assert_nonnull (strstr (r.err, "shirt.png (40×30)"));
  g_assert_nonnull (strstr (r.err, "category:"));
  {
    g_auto (GStrv) lines = g_strsplit (g_strchomp (r.out), "\n", -1);
    json_parser_load_from_data (parser, lines[g_strv_length (lines) - 1], -1, &error);
    g_assert_no_error (error);
  }
  images = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 2);
  image = json_array_get_object_element (images, 0);
  g_assert_cmpint (json_object_get_int_member (image, "width"), ==, 40);
  cat = json_object_get_object_member (json_object_get_object_member (image, "heads"), "category");
  top = json_object_get_array_member (cat, "top");
  g_assert_cmpuint (json_array_get_length (top), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (top, 0), "probability"), >=,
                     json_object_get_double_member (json_array_get_object_element (top, 1), "probability"));
  run_clear (&r);

  write_png_header (huge, 30000, 30000);
  cli_fails ((const char *[]) { "predict", project, "--weights", weights, huge, NULL }, "30000×30000");
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  cli_fails ((const char *[]) { "predict", project, "--weights", weights, empty, NULL }, "empty");
  g_assert_true (g_file_set_contents (junk, "\x89PNG\r\n\x1a\nnot really", -1, NULL));
  cli_fails ((const char *[]) { "predict", project, "--weights", weights, junk, NULL }, "junk.png");
  cli_fails ((const char *[]) { "predict", project, "--weights", weights, NULL }, "at least one input");
}

static void
test_transfer (void)
{
  g_autofree char *base = write_project ("base.mhproj", ", \"weights\": \"base.safetensors\"");
  g_autofree char *tuned = write_project ("tuned.mhproj",
                                          ", \"transfer\": { \"weights\": \"base.safetensors\", \"layers\": 3 }");
  g_autofree char *wrong = NULL;
  Run r;

  cli_ok ((const char *[]) { "train", base, "--data", data_dir, "--steps", "5", NULL });
  r = cli ((const char *[]) { "train", tuned, "--data", data_dir, "--steps", "2", NULL });
  if (r.status != 0)
    g_error ("train with transfer failed: %s", r.err);
  g_assert_nonnull (strstr (r.err, "transfer: 2 backbone tensors"));
  run_clear (&r);
  {
    g_autofree char *text = NULL, *json = NULL, *json2 = NULL;
    g_auto (GStrv) a = NULL, b = NULL;
    g_file_get_contents (base, &text, NULL, NULL);
    /* the same project with fc1 of 20 units: the transfer names both shapes */
    a = g_strsplit (text, "\"units\": 24", -1);
    json = g_strjoinv ("\"units\": 20", a);
    b = g_strsplit (json, "\"weights\": \"base.safetensors\"", -1);
    json2 = g_strjoinv ("\"transfer\": { \"weights\": \"base.safetensors\" }", b);
    wrong = path_in ("wrong.mhproj");
    g_assert_true (g_file_set_contents (wrong, json2, -1, NULL));
  }
  cli_fails ((const char *[]) { "train", wrong, "--data", data_dir, "--steps", "1", NULL },
             "'backbone.fc1.weight' is 24×784 in the file, 20×784 in the model");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  work_dir = mh_test_tmp_dir ();
  data_dir = mh_test_fake_fashion_dir (work_dir, 400, 100, 7);
  g_test_add_func ("/cli/weights/resume", test_resume);
  g_test_add_func ("/cli/weights/eval-equals-train", test_eval_equals_train);
  g_test_add_func ("/cli/weights/predict", test_predict);
  g_test_add_func ("/cli/weights/transfer", test_transfer);
  status = g_test_run ();
  mh_test_rm_rf (work_dir);
  g_free (work_dir);
  g_free (data_dir);
  return status;
}
