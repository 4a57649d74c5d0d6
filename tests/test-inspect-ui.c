/* test-inspect-ui.c — under Xvfb (docs/testing.md): the inspection pages.
 * PNG and JPEG files dropped on the window (through its drop target) land
 * on the predictions board; a corrupt, an empty and a 30000×30000 file are
 * refused with a message and change nothing; the confusion matrix of a
 * known set of answers; a vision transformer trained in the window: every
 * image gets every head's answer, the attention grid has layers × heads
 * cells whose maps sum to 1, the grid exports as PNG and SVG, the test
 * set's confusion matrix counts every test image; the board and the
 * attention view rendered to PNGs that are not blank. */
#include <math.h>
#include <string.h>
#include <adwaita.h>
#include "mh-edits.h"
#include "mh-resources.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-window.h"
#include "mh-training.h"
#include "mh-weights.h"

#define EXAMPLES MH_SOURCE_DIR "/resources/examples"

static char *tmp_dir;

static guint
distinct_colours (const char *png, guint enough)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = gdk_texture_new_from_filename (png, &error);
  int width, height;
  g_autofree guint32 *pixels = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);

  g_assert_no_error (error);
  width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  pixels = g_new (guint32, (gsize) width * height);
  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height && g_hash_table_size (seen) < enough; i += 3)
    g_hash_table_add (seen, GUINT_TO_POINTER (pixels[i]));
  return g_hash_table_size (seen);
}

static void
render_window (MhWindow *window, const char *name)
{
  g_autofree char *out = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".", name,
                                           NULL);
  g_autoptr (GdkTexture) texture = NULL;

  mh_test_pump (300);   /* laid out first: its size is known (a loaded machine is slow to map it) */
  texture = mh_test_ui_render (GTK_WIDGET (window));   /* waits out a frame between a resize and its layout */
  g_assert_true (gdk_texture_save_to_png (texture, out));
  g_assert_cmpuint (distinct_colours (out, 300), >=, 300);
}

/* A window on the fashion-vit example, its data the test's fake Fashion-MNIST. */
static MhWindow *
vit_window (int epochs)
{
  g_autoptr (GFile) file = g_file_new_for_path (EXAMPLES "/fashion-vit.mhproj");
  g_autoptr (GError) error = NULL;
  MhWindow *window = mh_window_new (NULL);
  MhDocument *doc;
  MhProject *p;

  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 900);
  g_assert_true (mh_window_open_file (window, file, &error));
  g_assert_no_error (error);
  doc = mh_window_get_document (window);
  p = mh_document_begin (doc);
  g_free (p->data.path);
  p->data.path = g_strdup (tmp_dir);
  p->data.validation = 32;
  p->epochs = epochs;
  p->batch = 32;
  g_assert_true (mh_document_commit (doc, "Use the Test Data", NULL));
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (300);
  return window;
}

/* Drops `files` on the window through its own drop target. */
static gboolean
drop_files (MhWindow *window, GFile **files, int n)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  GSList *list = NULL;
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  for (int i = n - 1; i >= 0; i--)
    list = g_slist_prepend (list, g_object_ref (files[i]));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, list);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (c))
        g_signal_emit_by_name (c, "drop", &value, 10.0, 10.0, &handled);
    }
  g_value_unset (&value);
  return handled;
}

static GFile *
write_image (const char *name, const char *type, int w, int h)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GdkPixbuf) pb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_fill (pb, 0x202020ff);
  for (int y = h / 4; y < 3 * h / 4; y++)   /* a bright square in the middle */
    for (int x = w / 3; x < 2 * w / 3; x++)
      memset (gdk_pixbuf_get_pixels (pb) + y * gdk_pixbuf_get_rowstride (pb) + x * 3, 230, 3);
  g_assert_true (gdk_pixbuf_save (pb, path, type, &error, NULL));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static guint32
crc32_of (const guint8 *p, gsize n)
{
  guint32 c = 0xffffffffu;

  for (gsize i = 0; i < n; i++)
    {
      c ^= p[i];
      for (int k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
  return c ^ 0xffffffffu;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24, p[1] = v >> 16 & 0xff, p[2] = v >> 8 & 0xff, p[3] = v & 0xff;
}

/* A PNG whose header says 30000 × 30000: its IHDR, then the start of its
 * image data (as a real enormous file begins). */
static GFile *
write_enormous_png (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "enormous.png", NULL);
  guint8 png[8 + 25 + 16] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
  guint8 *idat = png + 33;

  put_be32 (png + 16, 30000);
  put_be32 (png + 20, 30000);
  png[24] = 8, png[25] = 2;   /* 8-bit RGB */
  put_be32 (png + 29, crc32_of (png + 12, 17));
  put_be32 (idat, 4);
  memcpy (idat + 4, "IDAT\x78\x9c\x63\x60", 8);
  put_be32 (idat + 12, crc32_of (idat + 4, 8));
  mh_test_write_file (path, png, sizeof png, FALSE);
  return g_file_new_for_path (path);
}

static void
test_drop_images (void)
{
  MhWindow *window = vit_window (1);
  MhPredictions *board = mh_window_get_predictions (window);
  g_autoptr (GFile) png = write_image ("shirt.png", "png", 640, 480);
  g_autoptr (GFile) jpeg = write_image ("boot.jpg", "jpeg", 300, 900);
  g_autofree char *corrupt_path = g_build_filename (tmp_dir, "corrupt.png", NULL);
  g_autofree char *empty_path = g_build_filename (tmp_dir, "empty.png", NULL);
  g_autoptr (GFile) corrupt = g_file_new_for_path (corrupt_path);
  g_autoptr (GFile) empty = g_file_new_for_path (empty_path);
  g_autoptr (GFile) enormous = write_enormous_png ();
  g_autoptr (GError) error = NULL;
  GFile *both[2] = { png, jpeg };
  int n = 0;
  g_autofree float *x = NULL;

  g_assert_true (drop_files (window, both, 2));
  g_assert_cmpint (mh_predictions_get_n_items (board), ==, 2);
  /* the board in view: the test set loads in a thread */
  MH_TEST_WAIT_FOR (mh_predictions_get_test_set (board) != NULL);
  g_assert_cmpint (mh_predictions_get_n_items (board), ==, 2);
  x = mh_predictions_dup_inputs (board, &n);
  g_assert_cmpint (n, ==, 2);
  /* 28×28 grey: the bright square is bright, the ground dark */
  g_assert_cmpfloat (x[14 * 28 + 14], >, 0.8f);
  g_assert_cmpfloat (x[1 * 28 + 1], <, 0.2f);
  g_assert_cmpfloat (x[784 + 14 * 28 + 14], >, 0.8f);

  /* broken files: an error naming the file, the board unchanged */
  mh_test_write_file (corrupt_path, "\x89PNG\r\n\x1a\nthis is not a png", 26, FALSE);
  mh_test_write_file (empty_path, "", 0, FALSE);
  g_assert_false (mh_window_add_image (window, corrupt, &error));
  g_assert_nonnull (strstr (error->message, "corrupt.png"));
  g_clear_error (&error);
  g_assert_false (mh_window_add_image (window, empty, &error));
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);
  g_assert_false (mh_window_add_image (window, enormous, &error));
  if (strstr (error->message, "30000") == NULL)
    g_error ("%s", error->message);
  g_clear_error (&error);
  {
    GFile *bad[3] = { corrupt, empty, enormous };
    drop_files (window, bad, 3);   /* toasts, no crash */
  }
  g_assert_cmpint (mh_predictions_get_n_items (board), ==, 2);

  /* the untrained model: no answers yet */
  g_assert_cmpint (mh_predictions_get_answer (board, 0, 0, NULL), ==, -1);
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}

static void
test_confusion_known (void)
{
  /* 3 classes, 8 answers: rows the truth */
  static const int truth[] = { 0, 0, 0, 1, 1, 2, 2, 2 };
  static const int answers[] = { 0, 1, 0, 1, 1, 0, 2, 1 };
  static const int expected[] = { 2, 1, 0, 0, 2, 0, 1, 1, 1 };
  int counts[9], samples[4], n, count;
  double f;
  MhProbeAnswers a = { 0 };
  MhProbeHead head = { .name = (char *) "category", .kind = MH_FIELD_CLASS, .k = 3 };
  int *truth_p = (int *) truth, *answers_p = (int *) answers, *confusion_p = counts;
  MhHeadMetrics metrics = { .accuracy = 5.0 / 8 };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = mh_confusion_view_new ();
  g_autofree int *cell = NULL;

  mh_confusion_count (truth, answers, 8, 3, counts);
  for (int i = 0; i < 9; i++)
    g_assert_cmpint (counts[i], ==, expected[i]);
  n = mh_confusion_samples (truth, answers, 8, 2, 1, samples, 4);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpint (samples[0], ==, 7);

  a.n_heads = 1, a.heads = &head, a.n = 8, a.truth = &truth_p, a.answers = &answers_p, a.confusion = &confusion_p;
  a.metrics = &metrics;
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 500, 400);
  gtk_window_present (GTK_WINDOW (window));
  mh_confusion_view_set_answers (MH_CONFUSION_VIEW (view), &a, NULL);
  mh_test_pump (100);
  g_assert_true (mh_confusion_view_get_cell (MH_CONFUSION_VIEW (view), 0, 1, &count, &f));
  g_assert_cmpint (count, ==, 1);
  g_assert_cmpfloat_with_epsilon (f, 1.0 / 3, 1e-12);
  g_assert_true (mh_confusion_view_get_cell (MH_CONFUSION_VIEW (view), 1, 1, &count, &f));
  g_assert_cmpfloat_with_epsilon (f, 1.0, 1e-12);
  g_assert_false (mh_confusion_view_get_cell (MH_CONFUSION_VIEW (view), 3, 0, &count, &f));
  cell = mh_confusion_view_dup_samples (MH_CONFUSION_VIEW (view), 0, 0, 10, &n);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpint (cell[0], ==, 0);
  g_assert_cmpint (cell[1], ==, 2);
  /* it exports what it shows */
  {
    g_autofree char *png = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                             "ui-confusion-export.png", NULL);
    g_autoptr(GError) error = NULL;
    g_assert_true (mh_confusion_view_export (MH_CONFUSION_VIEW (view), png, 500, 400, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (distinct_colours (png, 60), >=, 60);
    g_assert_false (mh_confusion_view_export (MH_CONFUSION_VIEW (view), "/nonexistent/c.svg", 500, 400, &error));
    g_assert_nonnull (error);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
all_answered (MhPredictions *board)
{
  for (int i = 0; i < mh_predictions_get_n_items (board); i++)
    if (mh_predictions_get_answer (board, i, 0, NULL) < 0)
      return FALSE;
  return mh_predictions_get_n_items (board) > 0;
}

static void
test_vit_inspect (void)
{
  MhWindow *window = vit_window (3);
  MhPredictions *board = mh_window_get_predictions (window);
  MhAttentionView *attention = mh_window_get_attention_view (window);
  MhTrainingPanel *panel = mh_window_get_training_panel (window);
  g_autoptr (GFile) png = write_image ("square.png", "png", 200, 200);
  g_autofree char *png_out = g_build_filename (tmp_dir, "attention.png", NULL);
  g_autofree char *svg_out = g_build_filename (tmp_dir, "attention.svg", NULL);
  g_autoptr (GError) error = NULL;
  int layers, heads, n;
  float map[64], p;

  g_assert_true (mh_window_add_image (window, png, &error));
  g_assert_no_error (error);
  MH_TEST_WAIT_FOR (mh_predictions_get_test_set (board) != NULL);
  for (int i = 0; i < 5; i++)
    mh_predictions_add_sample (board, i);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_FINISHED);
  /* after the run: every image has every head's answer, a probability */
  MH_TEST_WAIT_FOR (all_answered (board));
  g_assert_cmpint (mh_predictions_get_answer (board, 0, 0, &p), <, 10);
  g_assert_cmpfloat (p, >, 0.1f);
  g_assert_cmpfloat (p, <=, 1.0f);

  /* the attention grid: 2 blocks × 4 heads, every map a distribution */
  mh_predictions_select (board, 0);
  MH_TEST_WAIT_FOR ((mh_attention_view_get_grid (attention, &layers, &heads), layers > 0));
  g_assert_cmpint (layers, ==, 2);
  g_assert_cmpint (heads, ==, 4);
  for (int query = -1; query < 49; query += 24)
    {
      mh_attention_view_set_query (attention, query);
      for (int l = 0; l < layers; l++)
        for (int h = -1; h < heads; h++)
          {
            double sum = 0;
            g_assert_true (mh_attention_view_cell_map (attention, l, h, map, &n));
            g_assert_cmpint (n, ==, 49);
            for (int k = 0; k < n; k++)
              {
                g_assert_cmpfloat (map[k], >=, 0);
                sum += map[k];
              }
            g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-4);
            g_assert_cmpfloat (mh_attention_view_cell_entropy (attention, l, h), <=, log2 (50) + 1e-6);
          }
    }
  g_assert_false (mh_attention_view_cell_map (attention, 2, 0, map, &n));
  mh_attention_view_set_query (attention, -1);
  for (int f = MH_FUSE_MEAN; f <= MH_FUSE_MIN; f++)
    {
      mh_attention_view_set_fusion (attention, (MhHeadFusion) f);
      g_assert_true (mh_attention_view_cell_map (attention, 1, -1, map, &n));
    }
  mh_attention_view_set_fusion (attention, MH_FUSE_MEAN);
  g_assert_true (mh_attention_view_export (attention, png_out, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (distinct_colours (png_out, 200), >=, 200);
  g_assert_true (mh_attention_view_export (attention, svg_out, &error));
  g_assert_no_error (error);
  g_assert_false (mh_attention_view_export (attention, "/nonexistent/attention.gif", &error));
  g_clear_error (&error);

  /* the confusion matrix counts every test image once */
  {
    MhConfusionView *confusion = mh_window_get_confusion (window);
    int total = 0, count;
    /* a hidden page costs the run nothing: the matrix (a pass over the
     * whole test split on the trainer's worker) is asked for when shown */
    mh_test_pump (300);
    g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (confusion)));
    g_assert_false (mh_confusion_view_get_cell (confusion, 0, 0, &count, NULL));
    mh_training_panel_show_page (panel, "confusion");
    MH_TEST_WAIT_FOR (mh_confusion_view_get_cell (confusion, 0, 0, &count, NULL));
    for (int t = 0; t < 10; t++)
      for (int a = 0; a < 10; a++)
        if (mh_confusion_view_get_cell (confusion, t, a, &count, NULL))
          total += count;
    g_assert_cmpint (total, ==, 64);
  }

  /* the pages, as a teacher would show them */
  mh_training_panel_show_page (panel, "predictions");
  render_window (window, "ui-predictions.png");
  mh_training_panel_show_page (panel, "attention");
  render_window (window, "ui-attention.png");
  mh_training_panel_show_page (panel, "confusion");
  render_window (window, "ui-confusion.png");
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}

/* Weights trained here, outside the window, then loaded into it: a paused
 * run takes them and every image on the board gets its answers at once. */
static void
test_load_weights (void)
{
  MhWindow *window = vit_window (1);
  MhPredictions *board = mh_window_get_predictions (window);
  const MhProject *p = mh_document_get_project (mh_window_get_document (window));
  g_autofree char *path = g_build_filename (tmp_dir, "vit.safetensors", NULL);
  g_autofree char *bad = g_build_filename (tmp_dir, "bad.safetensors", NULL);
  g_autoptr (GFile) png = write_image ("load.png", "png", 64, 64);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhSplits) data = mh_splits_load (&p->data, NULL, "test", &error);
  g_autoptr (MhTraining) run = NULL;

  g_assert_no_error (error);
  run = mh_training_new (p, data, 4, 1, "test", &error);
  g_assert_no_error (error);
  for (int i = 0; i < 4; i++)
    g_assert_true (mh_training_step (run, &error));
  g_assert_true (mh_model_save_weights (run->model, path, p->name, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (bad, "not weights", -1, NULL));

  g_assert_true (mh_window_add_image (window, png, &error));
  g_assert_no_error (error);
  g_assert_false (all_answered (board));   /* nothing trained, nothing loaded */
  /* a file that is not weights: refused with a toast, and the paused run
   * it made answers with its fresh (untrained) parameters */
  mh_window_load_weights (window, bad);
  /* the answers and the run's state come by separate ways: wait for both */
  MH_TEST_WAIT_FOR (all_answered (board) && mh_window_get_training_state (window) == MH_TRAINER_PAUSED);
  {
    float p0, p1;
    int a0 = mh_predictions_get_answer (board, 0, 0, &p0), a1;
    /* the trained weights: the answer follows them at once */
    mh_window_load_weights (window, path);
    MH_TEST_WAIT_FOR ((a1 = mh_predictions_get_answer (board, 0, 0, &p1), a1 != a0 || fabsf (p1 - p0) > 1e-3f));
  }
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  mh_test_write_fake_fashion (tmp_dir, 512, 64, 5);

  g_test_add_func ("/ui/inspect/drop-images", test_drop_images);
  g_test_add_func ("/ui/inspect/confusion", test_confusion_known);
  g_test_add_func ("/ui/inspect/vit", test_vit_inspect);
  g_test_add_func ("/ui/inspect/load-weights", test_load_weights);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
