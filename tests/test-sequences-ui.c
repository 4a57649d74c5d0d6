/* test-sequences-ui.c — under Xvfb: sequences in the window.  The German
 * nouns (Debian's dict-freedict-deu-eng) and the generated sensors, each
 * trained for a little in the window:
 *   the palette's sources and backbones, the canvas's sequence shapes
 *   ("24 tokens × 64", "6 ch × 128") and a multi-head convolution's lanes,
 *   each labelled with the channels it reads; the backbones' settings in
 *   the inspector;
 *   typing a word updates every head's answer; a pasted list is a card per
 *   line; a sensors card draws six signals and marks the faulty ones;
 *   the head view has layers × heads panels and every character's row sums
 *   to 1 before it is drawn; hovering a character isolates its row;
 *   saliency maps have the word's length or the window's shape.
 * Screenshots at 1280 × 720 and 1920 × 1080 (build/tests/ui-sequences-*.png). */
#include <math.h>
#include <string.h>
#include <adwaita.h>
#include "mh-analysis.h"
#include "mh-edits.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-window.h"

static char *tmp_dir;

static gboolean
have_dictionary (void)
{
  return g_file_test ("/usr/share/dictd/freedict-deu-eng.dict.dz", G_FILE_TEST_EXISTS);
}

static MhWindow *
example_window (const char *example, int width, int height)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.mhproj", MH_TEST_EXAMPLES, example);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  MhWindow *window = mh_window_new (NULL);
  MhDocument *doc;
  MhProject *p;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  g_assert_true (mh_window_open_file (window, file, &error));
  g_assert_no_error (error);
  doc = mh_window_get_document (window);
  p = mh_document_begin (doc);
  if (g_str_has_prefix (example, "sensors"))
    p->data.train = 640, p->data.test = 64, p->data.validation = 0;
  p->epochs = 1;
  p->batch = 64;
  g_assert_true (mh_document_commit (doc, "Small Data", NULL));
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (300);
  return window;
}

static void
render (MhWindow *window, const char *name)
{
  g_autofree char *out = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".", name,
                                           NULL);
  g_autoptr (GdkTexture) texture = NULL;

  mh_test_pump (400);
  texture = mh_test_ui_render (GTK_WIDGET (window));
  g_assert_true (gdk_texture_save_to_png (texture, out));
}

static void
resize (MhWindow *window, int width, int height)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  mh_test_pump (300);
}

/* ---- the canvas and the inspector ----------------------------------------------------- */

static void
test_canvas (void)
{
  MhWindow *window = example_window ("sensors-multihead-conv", 1280, 720);
  MhDocument *doc = mh_window_get_document (window);
  const MhProject *p = mh_document_get_project (doc);
  const MhAnalysis *a = mh_document_get_analysis (doc);
  g_autofree char *input = NULL, *first = NULL, *pooled = NULL;
  g_auto (GStrv) lanes1 = NULL, lanes2 = NULL, none = NULL;

  /* the shapes in the window's one notation */
  g_assert_nonnull (a->schema);
  input = mh_analysis_describe_input (a->schema);
  g_assert_cmpstr (input, ==, "6 ch × 128");
  first = mh_analysis_shape_text (a, &g_array_index (a->shapes, MhShape, 0));
  g_assert_cmpstr (first, ==, "48 ch × 128");
  pooled = mh_analysis_shape_text (a, &g_array_index (a->shapes, MhShape, a->shapes->len - 1));
  g_assert_cmpstr (pooled, ==, "64");
  /* the heads of the multi-head convolutions and the channels each reads */
  lanes1 = mh_analysis_conv_lanes (a, p, 0);
  g_assert_nonnull (lanes1);
  g_assert_cmpuint (g_strv_length (lanes1), ==, 6);
  g_assert_cmpstr (lanes1[0], ==, "ax");
  g_assert_cmpstr (lanes1[5], ==, "gz");
  lanes2 = mh_analysis_conv_lanes (a, p, 2);
  g_assert_nonnull (lanes2);
  g_assert_cmpuint (g_strv_length (lanes2), ==, 2);
  g_assert_cmpstr (lanes2[0], ==, "ax–az");
  g_assert_cmpstr (lanes2[1], ==, "gx–gz");
  none = mh_analysis_conv_lanes (a, p, 1);   /* a ReLU has no heads */
  g_assert_null (none);

  mh_canvas_select (mh_window_get_canvas (window), MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0), FALSE);
  mh_canvas_set_expanded (mh_window_get_canvas (window), TRUE);
  mh_canvas_fit (mh_window_get_canvas (window));
  render (window, "ui-sequences-canvas-sensors-1280.png");
  resize (window, 1920, 1080);
  mh_canvas_fit (mh_window_get_canvas (window));
  render (window, "ui-sequences-canvas-sensors-1920.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The palette's new blocks build a project of sequences: German nouns and
 * a text transformer, then the sensors and a multi-head convolution. */
static void
test_palette (void)
{
  g_autoptr (MhProject) p = mh_project_new_default ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MhAnalysis) a = NULL;
  g_autofree char *tokens = NULL, *embedded = NULL;
  MhBlockRef ref;

  mh_edits_set_examples_dir (MH_TEST_EXAMPLES);
  g_assert_nonnull (mh_palette_find ("data:german-nouns"));
  g_assert_nonnull (mh_palette_find ("data:sensors"));
  for (guint i = 0; i < 3; i++)
    {
      static const char *const ids[] = { "backbone:rnn", "backbone:conv1d", "backbone:transformer" };
      g_autofree char *why = mh_palette_unavailable (ids[i]);
      g_assert_null (why);
    }
  mh_edit_delete (p, (MhBlockRef[]) { MH_BLOCK_REF (MH_BLOCK_DATA, 0), MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0) }, 2);
  g_assert_true (mh_edit_add (p, "data:german-nouns", 40, 40, &ref, &error));
  g_assert_no_error (error);
  g_assert_cmpint (p->data.length, ==, 24);   /* the kind's defaults */
  g_assert_true (mh_edit_add (p, "backbone:transformer", 300, 40, &ref, &error));
  g_assert_no_error (error);
  if (have_dictionary ())
    {
      a = mh_analysis_new (p);
      g_assert_null (a->backbone_problem);
      tokens = mh_analysis_describe_input (a->schema);
      g_assert_cmpstr (tokens, ==, "24 tokens");
      embedded = mh_analysis_shape_text (a, &g_array_index (a->shapes, MhShape, 0));
      g_assert_cmpstr (embedded, ==, "24 tokens × 64");
      g_clear_pointer (&a, mh_analysis_free);
    }
  mh_edit_delete (p, (MhBlockRef[]) { MH_BLOCK_REF (MH_BLOCK_DATA, 0), MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0) }, 2);
  g_assert_true (mh_edit_add (p, "data:sensors", 40, 40, &ref, &error));
  g_assert_true (mh_edit_add (p, "backbone:conv1d", 300, 40, &ref, &error));
  g_assert_no_error (error);
  a = mh_analysis_new (p);
  g_assert_null (a->backbone_problem);
  g_assert_cmpstr (g_array_index (p->backbone, MhLayerSpec, 0).type, ==, "conv1d");
  /* an RNN on signals reads them as they are; on text it embeds the characters */
  mh_edit_delete (p, (MhBlockRef[]) { MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0) }, 1);
  g_assert_true (mh_edit_add (p, "backbone:rnn", 300, 40, &ref, &error));
  g_assert_cmpstr (g_array_index (p->backbone, MhLayerSpec, 0).type, !=, "embedding");
  g_clear_pointer (&a, mh_analysis_free);
  a = mh_analysis_new (p);
  g_assert_null (a->backbone_problem);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/sequences/palette", test_palette);
  g_test_add_func ("/ui/sequences/canvas", test_canvas);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
