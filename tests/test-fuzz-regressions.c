/* test-fuzz-regressions.c — every input the fuzzers found a problem with
 * (tests/fuzz/regressions/<target>/) fed again to the same code as the
 * fuzz target's (tests/fuzz/fuzz-<target>.c, included here under another
 * name): each must give a result or a clean error — no crash, no critical
 * warning (fatal in GLib tests), nothing leaked under ASan.  The seed
 * corpus goes through too.  Every target has both folders (a README.md
 * while it has no regression) and at least one seed: a missing folder
 * fails rather than passing on nothing. */
#define _GNU_SOURCE
#include <glib.h>

#define LLVMFuzzerTestOneInput fuzz_project
#include "fuzz/fuzz-project.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_safetensors
#include "fuzz/fuzz-safetensors.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_idx
#include "fuzz/fuzz-idx.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_csv
#include "fuzz/fuzz-csv.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_checkpoint
#include "fuzz/fuzz-checkpoint.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_image
#include "fuzz/fuzz-image.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_labels
#include "fuzz/fuzz-labels.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_dict
#include "fuzz/fuzz-dict.c"
#undef LLVMFuzzerTestOneInput

typedef int (*FuzzFunc) (const guint8 *data, size_t len);

static const struct {
  const char *target;
  FuzzFunc    func;
} targets[] = {
  { "project", fuzz_project },
  { "safetensors", fuzz_safetensors },
  { "idx", fuzz_idx },
  { "csv", fuzz_csv },
  { "checkpoint", fuzz_checkpoint },
  { "image", fuzz_image },
  { "labels", fuzz_labels },
  { "dict", fuzz_dict },
};

/* Feeds every input of `dir` to func; how many.  The folder must be there:
 * a target whose folder is missing or misnamed would pass on nothing. */
static guint
feed_folder (const char *dir, FuzzFunc func)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *bytes = NULL;
      gsize len;

      if (g_str_has_prefix (name, ".") || g_str_has_suffix (name, ".md"))
        continue;
      g_file_get_contents (path, &bytes, &len, &error);
      g_assert_no_error (error);
      g_test_message ("%s (%" G_GSIZE_FORMAT " bytes)", path, len);
      g_assert_cmpint (func ((const guint8 *) bytes, len), ==, 0);
      n++;
    }
  return n;
}

static void
test_target (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autofree char *regressions = g_test_build_filename (G_TEST_DIST, "fuzz", "regressions", targets[i].target, NULL);
  g_autofree char *corpus = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", targets[i].target, NULL);
  guint found = feed_folder (regressions, targets[i].func);
  guint seeds = feed_folder (corpus, targets[i].func);

  /* the fuzzer starts from the seeds: without any it explores nothing */
  if (seeds == 0)
    g_error ("%s: no seed inputs for fuzz-%s", corpus, targets[i].target);
  g_test_message ("fuzz-%s: %u regressions, %u seeds", targets[i].target, found, seeds);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fuzz/regressions/%s", targets[i].target);
      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_target);
    }
  return g_test_run ();
}
