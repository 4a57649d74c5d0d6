/* test-limits.c — the shared input checks: the memory budget and checked
 * byte counts (mh-limits), safe opening and reading (mh-input), paths kept
 * inside their folder, UTF-8, JSON nesting (mh-json), and summaries of
 * rows left out (mh-row-report). */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "mh-input.h"
#include "mh-json.h"
#include "mh-limits.h"
#include "mh-model.h"
#include "mh-row-report.h"
#include "mh-safetensors.h"
#include "mh-splits.h"
#include "mh-test-util.h"

static void
test_parse_size (void)
{
  guint64 v;
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_limits_parse_size ("2G", "x", &v, NULL));
  g_assert_cmpuint (v, ==, 2ull << 30);
  g_assert_true (mh_limits_parse_size ("512 MiB", "x", &v, NULL));
  g_assert_cmpuint (v, ==, 512ull << 20);
  g_assert_true (mh_limits_parse_size ("1.5k", "x", &v, NULL));
  g_assert_cmpuint (v, ==, 1536);
  g_assert_true (mh_limits_parse_size ("1000", "x", &v, NULL));
  g_assert_cmpuint (v, ==, 1000);
  g_assert_true (mh_limits_parse_size ("50%", "x", &v, NULL));
  g_assert_cmpuint (v, >, 0);
  g_assert_false (mh_limits_parse_size ("lots", "--memory-limit", &v, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "--memory-limit", "lots", NULL);
  g_clear_error (&error);
  g_assert_false (mh_limits_parse_size ("-1G", "x", &v, &error));
  g_clear_error (&error);
  g_assert_false (mh_limits_parse_size ("200%", "x", &v, &error));
  g_clear_error (&error);
  g_assert_false (mh_limits_parse_size ("99999999999T", "x", &v, &error));
}

static void
test_budget (void)
{
  g_autoptr(GError) error = NULL;
  MhMemTally t = MH_MEM_TALLY_INIT;
  guint64 b;
  gpointer p;

  g_assert_cmpuint (mh_limits_memory_budget (), >=, 16u << 20);
  mh_limits_set_memory_budget (100u << 20);
  g_assert_cmpuint (mh_limits_memory_budget (), ==, 100u << 20);
  g_assert_cmpstr (mh_limits_budget_source (), ==, "--memory-limit");
  g_assert_true (mh_limits_check_bytes (100u << 20, "f", "x", NULL));
  g_assert_false (mh_limits_check_bytes ((100u << 20) + 1, "p.mhproj", "training.batch", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "p.mhproj", "training.batch",
                                 "104857601 bytes", "memory limit of 100.0", NULL);
  g_clear_error (&error);
  /* overflow: a · b beyond 64 bits */
  g_assert_false (mh_limits_bytes (G_MAXUINT64 / 2, 3, &b));
  g_assert_cmpuint (b, ==, G_MAXUINT64);
  g_assert_true (mh_limits_bytes (1u << 20, 1u << 20, &b));
  g_assert_cmpuint (b, ==, 1ull << 40);
  g_assert_false (mh_limits_check_bytes (b, "w", "t", &error));
  g_clear_error (&error);
  p = mh_limits_try_alloc0 (G_MAXUINT64 / 4, 8, "f.csv", "rows", &error);
  g_assert_null (p);
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "f.csv", "rows", "64 bits", NULL);
  g_clear_error (&error);
  p = mh_limits_try_alloc0 (0, 4, "f", "x", &error);
  g_assert_nonnull (p);
  g_free (p);
  /* a tally names the part that needs the most */
  mh_mem_tally_add (&t, "backbone.layers[0]", 1000, 4);
  mh_mem_tally_add (&t, "backbone.layers[1].units", 50u << 20, 4);
  mh_mem_tally_add (&t, "heads[0]", 10, 4);
  g_assert_false (mh_mem_tally_check (&t, "p.mhproj", "the model", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "p.mhproj", "the model",
                                 "backbone.layers[1].units", "209715200 bytes", NULL);
  g_clear_error (&error);
  mh_mem_tally_add (&t, "huge", G_MAXUINT64, 2);
  g_assert_cmpuint (t.bytes, ==, G_MAXUINT64);
  mh_limits_set_memory_budget (0);
  g_assert_cmpstr (mh_limits_budget_source (), !=, "--memory-limit");
  /* ranges */
  g_assert_true (mh_limits_check_int (5, 1, 5, "p", "x", NULL));
  g_assert_false (mh_limits_check_int (2147483647, 0, MH_MAX_KERNEL, "p.mhproj",
                                       "backbone.layers[0].padding", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "p.mhproj", "backbone.layers[0].padding",
                                 "between 0 and 1024", "2147483647", NULL);
}

static void
test_open (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *file = g_build_filename (dir, "f.bin", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *sparse = g_build_filename (dir, "sparse", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MhInputFile) f = NULL;
  char buf[8];
  char *all;
  gsize len;

  g_assert_true (g_file_set_contents (file, "0123456789", 10, NULL));
  /* not regular files */
  g_assert_null (mh_input_open ("/dev/zero", "weights", 0, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_IO, "/dev/zero", "weights", "a device", NULL);
  g_clear_error (&error);
  g_assert_null (mh_input_open (dir, "weights", 0, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_IO, "a folder", NULL);
  g_clear_error (&error);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_null (mh_input_open (fifo, "project", 0, &error));   /* does not wait for a writer */
  mh_test_assert_error_mentions (error, MH_ERROR_IO, "pipe", NULL);
  g_clear_error (&error);
  g_assert_null (mh_input_open ("/nonexistent/x", "project", 0, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_IO, "/nonexistent/x", "no such file", NULL);
  g_clear_error (&error);
  /* a 10 GiB sparse file: refused by its size, nothing read */
  {
    FILE *s = fopen (sparse, "w");
    g_assert_nonnull (s);
    g_assert_cmpint (ftruncate (fileno (s), (off_t) 10 << 30), ==, 0);
    fclose (s);
  }
  g_assert_null (mh_input_read_all (sparse, "project", 1 << 20, &len, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, sparse, "10737418240 bytes", "1048576 bytes", NULL);
  g_clear_error (&error);
  /* reads exactly what is asked, and names the field past the end */
  f = mh_input_open (file, "weights", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mh_input_size (f), ==, 10);
  g_assert_true (mh_input_read_at (f, 2, buf, 3, "x", &error));
  g_assert_cmpint (memcmp (buf, "234", 3), ==, 0);
  g_assert_false (mh_input_read_at (f, 8, buf, 3, "tensor 'a'", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_IO, file, "tensor 'a'", "past the end", NULL);
  g_clear_error (&error);
  g_assert_false (mh_input_read_at (f, G_MAXUINT64 - 1, buf, 3, "x", &error));
  g_clear_error (&error);
  all = mh_input_read_all (file, "text", 0, &len, &error);
  g_assert_cmpuint (len, ==, 10);
  g_assert_cmpstr (all, ==, "0123456789");
  g_free (all);
  mh_test_rm_rf (dir);
}

static void
test_inside (void)
{
  g_autofree char *dir = mh_test_tmp_dir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *sub = g_build_filename (images, "sub", NULL);
  g_autofree char *secret = g_build_filename (dir, "secret.png", NULL);
  g_autofree char *inner = g_build_filename (sub, "a.png", NULL);
  g_autofree char *out_link = g_build_filename (images, "out.png", NULL);
  g_autofree char *in_link = g_build_filename (images, "in.png", NULL);
  g_autofree char *dir_link = g_build_filename (images, "up", NULL);
  g_autoptr(GError) error = NULL;
  char *got;
  const char *escaping[] = { "../secret.png", "sub/../../secret.png", "../../../../etc/passwd",
                             "out.png", "up/secret.png", "/etc/passwd" };

  g_mkdir_with_parents (sub, 0755);
  g_assert_true (g_file_set_contents (secret, "s", 1, NULL));
  g_assert_true (g_file_set_contents (inner, "a", 1, NULL));
  g_assert_cmpint (symlink (secret, out_link), ==, 0);
  g_assert_cmpint (symlink ("sub/a.png", in_link), ==, 0);
  g_assert_cmpint (symlink ("..", dir_link), ==, 0);
  got = mh_input_path_inside (images, "sub/a.png", "labels.csv", "line 2", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (got, "/images/sub/a.png"));
  g_free (got);
  got = mh_input_path_inside (images, "./sub/../in.png", "labels.csv", "line 3", &error);
  g_assert_no_error (error);   /* a link that stays inside */
  g_free (got);
  for (guint i = 0; i < G_N_ELEMENTS (escaping); i++)
    {
      g_assert_null (mh_input_path_inside (images, escaping[i], "labels.csv", "line 4", &error));
      mh_test_assert_error_mentions (error, i == 5 ? MH_ERROR_INVALID : MH_ERROR_INVALID,
                                     "labels.csv", "line 4", escaping[i], NULL);
      g_clear_error (&error);
    }
  g_assert_null (mh_input_path_inside (images, "missing.png", "labels.csv", "line 5", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_IO, "missing.png", "no such file", NULL);
  g_clear_error (&error);
  g_assert_null (mh_input_path_inside (images, "", "labels.csv", "line 6", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "line 6", "no file name", NULL);
  mh_test_rm_rf (dir);
}

static void
test_utf8 (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_input_check_utf8 ("Größe", -1, "f", "x", NULL));
  g_assert_false (mh_input_check_utf8 ("ab\xff", -1, "labels.csv", "line 3, column 'class'", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, "labels.csv", "line 3, column 'class'",
                                 "byte 2", "UTF-8", NULL);
  g_clear_error (&error);
  g_assert_false (mh_input_check_utf8 ("a\nb\nc\xc3(", -1, "f.txt", "text", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, "line 3", NULL);
  g_clear_error (&error);
  g_assert_false (mh_input_check_utf8 ("a\0b", 3, "f", "name", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, "NUL", NULL);
}

static void
test_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) ok = NULL;
  GString *deep = g_string_new (NULL);
  JsonParser *p;

  /* 100,000 levels: refused before json-glib recurses */
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, i % 2 ? '[' : '{');
  p = mh_json_parse (deep->str, deep->len, "deep.mhproj", &error);
  g_assert_null (p);
  mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, "deep.mhproj:1:65", "deeper than 64", NULL);
  g_clear_error (&error);
  g_string_free (deep, TRUE);
  /* brackets inside strings do not count; 64 levels are fine */
  deep = g_string_new ("{\"a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\", \"b\": ");
  for (int i = 0; i < 63; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 63; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  ok = mh_json_parse (deep->str, -1, "ok.json", &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (ok));
  g_string_free (deep, TRUE);
  /* not UTF-8; a syntax error names the file, line and column */
  g_assert_null (mh_json_parse ("{\"a\": \"\xff\"}", -1, "bad.json", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, "bad.json", "UTF-8", NULL);
  g_clear_error (&error);
  g_assert_null (mh_json_parse ("{\n  \"a\": }", -1, "syntax.json", &error));
  mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, "syntax.json:2:", NULL);
  g_assert_false (strstr (error->message, "<data>"));
  g_clear_error (&error);
  g_assert_null (mh_json_load_file ("/dev/zero", "project", 0, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_IO, "/dev/zero", "project", "regular", NULL);
}

static void
test_row_report (void)
{
  g_autoptr(MhRowReport) r = mh_row_report_new ("d/labels.csv");
  g_autoptr(GPtrArray) lines = NULL;

  for (int i = 0; i < 10000; i++)
    mh_row_report_add (r, i + 2, i % 10 ? "the file is not an image" : "leaves the folder",
                       i % 10 ? "x.txt" : "../s.png");
  mh_row_report_add (r, 20000, "not UTF-8", "\xff.png");
  g_assert_cmpuint (mh_row_report_count (r), ==, 10001);
  lines = mh_row_report_lines (r, MH_ROW_REPORT_NAMED);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (lines->pdata[0], ==, "d/labels.csv: 1000 rows left out: leaves the folder "
                   "(line 2 '../s.png', line 12 '../s.png', line 22 '../s.png', and 997 more)");
  g_assert_cmpstr (lines->pdata[1], ==, "d/labels.csv: 9000 rows left out: the file is not an image "
                   "(line 3 'x.txt', line 4 'x.txt', line 5 'x.txt', and 8997 more)");
  g_assert_true (g_utf8_validate (lines->pdata[2], -1, NULL));
  g_assert_nonnull (strstr (lines->pdata[2], "1 row left out: not UTF-8 (line 20000"));
}

/* A project on Shapes (16×16×3) with `layers` as its backbone. */
static MhModel *
try_model (const char *layers, int batch, GError **error)
{
  g_autofree char *json = g_strdup_printf (
    "{ \"format\": 1, \"dataset\": { \"kind\": \"shapes\", \"size\": 16 },"
    "  \"backbone\": { \"layers\": [ %s ] },"
    "  \"heads\": [ { \"name\": \"s\", \"target\": \"shape\", \"layers\": [ { \"type\": \"dense\" } ] } ] }",
    layers);
  g_autoptr(MhProject) p = mh_project_load_data (json, -1, "m.mhproj", error);
  g_autoptr(MhDataset) schema = mh_shapes_schema (16);

  return p != NULL ? mh_model_new (p, schema, batch, "m.mhproj", error) : NULL;
}

/* The model's memory is added up before any slab is allocated, and the
 * error names the part that needs the most; shapes are checked in 64 bits. */
static void
test_model_memory (void)
{
  g_autoptr(GError) error = NULL;
  MhModel *m;

  mh_limits_set_memory_budget (64u << 20);
  m = try_model ("{ \"type\": \"flatten\" }, { \"type\": \"dense\", \"units\": 16 }", 8, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->bytes_params, ==, (768 * 16 + 16 + 16 * 5 + 5) * 20);
  g_assert_cmpuint (m->bytes_params + m->bytes_batch, <, 64u << 20);
  mh_model_free (m);
  /* parameters: a dense layer of 1,000,000 units */
  g_assert_null (try_model ("{ \"type\": \"flatten\" }, { \"type\": \"dense\", \"units\": 1000000 }", 8, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "m.mhproj: the model needs",
                                 "backbone.layers[1] (dense 'dense1': 769000000 parameters)",
                                 "memory limit of 64.0", NULL);
  g_clear_error (&error);
  /* activations: the same conv is fine for 1 sample, not for 4096 */
  m = try_model ("{ \"type\": \"conv2d\", \"filters\": 64, \"kernel\": 3, \"padding\": 1 }, { \"type\": \"flatten\" }", 1, &error);
  g_assert_no_error (error);
  mh_model_free (m);
  g_assert_null (try_model ("{ \"type\": \"conv2d\", \"filters\": 64, \"kernel\": 3, \"padding\": 1 }, { \"type\": \"flatten\" }", 4096, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "training.batch (4096 samples at a time)",
                                 "backbone.layers[0] (conv2d 'conv2d1')", NULL);
  g_clear_error (&error);
  mh_limits_set_memory_budget (0);
  /* 64 bits: padding 1024 with 65536 filters is a shape over 2^31 values a sample */
  g_assert_null (try_model ("{ \"type\": \"conv2d\", \"filters\": 65536, \"kernel\": 1, \"padding\": 1024 }", 1, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_SHAPE, "conv2d 'conv2d1'", "out of range", NULL);
  g_clear_error (&error);
  /* and a range before that */
  g_assert_null (try_model ("{ \"type\": \"conv2d\", \"filters\": 4, \"kernel\": 1, \"padding\": 2147483647 }", 1, &error));
  mh_test_assert_error_mentions (error, MH_ERROR_INVALID, "backbone.layers[0].padding must be between 0 and 1024", NULL);
}

/* The bytes of a safetensors file whose header is `header` and whose data
 * are `data_len` zero bytes. */
static GByteArray *
safetensors_bytes (const char *header, gsize data_len)
{
  GByteArray *b = g_byte_array_new ();
  gsize n = strlen (header), padded = (n + 7) / 8 * 8;
  guint64 len = GUINT64_TO_LE ((guint64) padded);

  g_byte_array_append (b, (const guint8 *) &len, 8);
  g_byte_array_append (b, (const guint8 *) header, n);
  for (gsize i = n; i < padded; i++)
    g_byte_array_append (b, (const guint8 *) " ", 1);
  for (gsize i = 0; i < data_len; i++)
    g_byte_array_append (b, (const guint8 *) "", 1);
  return b;
}

static void
expect_safetensors (const char *header, gsize data_len, const char *mention)
{
  g_autoptr(GByteArray) b = safetensors_bytes (header, data_len);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) t = mh_safetensors_parse (b->data, b->len, "s.safetensors", NULL, &error);

  if (mention == NULL)
    {
      g_assert_no_error (error);
      g_assert_nonnull (t);
      return;
    }
  g_assert_null (t);
  mh_test_assert_error_mentions (error, MH_ERROR_FORMAT, "s.safetensors", mention, NULL);
}

#define T(name, shape, b, e) "\"" name "\": {\"dtype\": \"F32\", \"shape\": " shape ", \"data_offsets\": [" #b ", " #e "]}"

/* As the format's specification requires: offsets in order, no overlap,
 * no gap, the data covered exactly, shape × 4 = the bytes. */
static void
test_safetensors_spec (void)
{
  expect_safetensors ("{" T ("a", "[2]", 0, 8) ", " T ("b", "[3]", 8, 20) "}", 20, NULL);
  /* listed out of order, but tiling the data: fine */
  expect_safetensors ("{" T ("b", "[3]", 8, 20) ", " T ("a", "[2]", 0, 8) "}", 20, NULL);
  expect_safetensors ("{" T ("a", "[2]", 0, 8) ", " T ("b", "[3]", 4, 16) "}", 20, "tensors overlap");
  expect_safetensors ("{" T ("a", "[2]", 0, 8) ", " T ("b", "[3]", 12, 24) "}", 24, "a gap of bytes");
  expect_safetensors ("{" T ("a", "[2]", 4, 12) "}", 12, "tensor 'a': data_offsets begin at 4");
  expect_safetensors ("{" T ("a", "[2]", 0, 8) "}", 12, "extra bytes no tensor holds");
  expect_safetensors ("{" T ("a", "[2]", 0, 8) "}", 4, "run past the 4 data bytes");
  expect_safetensors ("{" T ("a", "[3]", 0, 8) "}", 8, "shape [3] of F32 needs 12");
  expect_safetensors ("{" T ("a", "[65536, 65536, 65536, 65536]", 0, 8) "}", 8, "shape[3] is not a valid size");
  expect_safetensors ("{" T ("a", "[2]", 8, 0) "}", 8, "0 ≤ begin ≤ end");
  expect_safetensors ("[1]", 0, "must begin with '{'");
  expect_safetensors ("{\"a\": \"\xff\"}", 0, "UTF-8");
  /* an empty file of tensors: fine; an empty tensor (shape [0]) too */
  expect_safetensors ("{}", 0, NULL);
  expect_safetensors ("{" T ("a", "[0]", 0, 0) ", " T ("b", "[1]", 0, 4) "}", 4, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/limits/parse-size", test_parse_size);
  g_test_add_func ("/engine/limits/budget", test_budget);
  g_test_add_func ("/engine/input/open", test_open);
  g_test_add_func ("/engine/input/inside", test_inside);
  g_test_add_func ("/engine/input/utf8", test_utf8);
  g_test_add_func ("/engine/json/depth", test_json);
  g_test_add_func ("/engine/row-report/summary", test_row_report);
  g_test_add_func ("/engine/limits/model-memory", test_model_memory);
  g_test_add_func ("/engine/limits/safetensors-spec", test_safetensors_spec);
  return g_test_run ();
}
