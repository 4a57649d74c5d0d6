/* test-training-ui.c — under Xvfb (docs/testing.md): the plot widget maps
 * values to pixels (linear and log), hides series, exports a PNG that is
 * not blank, an SVG and a PDF; the window trains a tiny project: progress,
 * curves, live head weights, a structural edit refused while it trains and
 * allowed after, pause and stop from the actions, the metrics' CSV, the
 * window rendered while it trains, and closing it mid-run. */
#include <math.h>
#include <string.h>
#include <adwaita.h>
#include "mh-edits.h"
#include "mh-conflict-view.h"
#include "mh-plot-private.h"
#include "mh-resources.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-window.h"

#define EXAMPLES MH_SOURCE_DIR "/resources/examples"

static char *tmp_dir;

/* A plot alone in a window of a known size. */
static MhPlot *
plot_window (GtkWidget **window)
{
  GtkWidget *plot = mh_plot_new ();

  *window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (*window), 600, 400);
  gtk_window_set_child (GTK_WINDOW (*window), plot);
  gtk_window_present (GTK_WINDOW (*window));
  mh_test_pump (300);
  g_assert_cmpint (gtk_widget_get_width (plot), >, 300);
  return MH_PLOT (plot);
}

static void
test_plot_mapping (void)
{
  GtkWidget *window;
  MhPlot *plot = plot_window (&window);
  GdkRGBA blue = { 0.2f, 0.5f, 0.9f, 1 };
  int s = mh_plot_add_series (plot, "loss", &blue, NULL, MH_PLOT_LINE, -1);
  double x0, y0, x1, y1, xm, ym, x, y;

  mh_plot_set_title (plot, "Loss");
  for (int i = 0; i <= 100; i++)
    mh_plot_append (plot, s, i, i / 10.0);
  /* linear: a fixed range, the corners of the frame and the middle */
  mh_plot_set_y_range (plot, 0, 10);
  g_assert_true (mh_plot_value_to_point (plot, 0, 0, &x0, &y0));
  g_assert_true (mh_plot_value_to_point (plot, 100, 10, &x1, &y1));
  g_assert_true (mh_plot_value_to_point (plot, 50, 5, &xm, &ym));
  g_assert_cmpfloat (x1, >, x0 + 300);   /* x grows right, y grows up */
  g_assert_cmpfloat (y1, <, y0 - 150);
  g_assert_cmpfloat (x0, >=, 0);
  g_assert_cmpfloat (x1, <=, 600);
  g_assert_cmpfloat (y1, >=, 0);
  g_assert_cmpfloat (y0, <=, 400);
  g_assert_cmpfloat_with_epsilon (xm, (x0 + x1) / 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (ym, (y0 + y1) / 2, 1e-6);
  g_assert_true (mh_plot_point_to_value (plot, xm, ym, &x, &y));
  g_assert_cmpfloat_with_epsilon (x, 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, 5, 1e-9);

  /* log: decades are equally spaced; nothing at 0 or below */
  mh_plot_set_log_scale (plot, TRUE);
  g_assert_true (mh_plot_get_log_scale (plot));
  mh_plot_set_y_range (plot, 0.01, 100);
  g_assert_true (mh_plot_value_to_point (plot, 0, 0.01, &x0, &y0));
  g_assert_true (mh_plot_value_to_point (plot, 0, 100, &x1, &y1));
  g_assert_true (mh_plot_value_to_point (plot, 0, 1, &xm, &ym));
  g_assert_cmpfloat_with_epsilon (ym, (y0 + y1) / 2, 1e-6);
  g_assert_true (mh_plot_value_to_point (plot, 0, 0.1, &x, &y));
  g_assert_cmpfloat_with_epsilon (y, y0 + (y1 - y0) / 4, 1e-6);
  g_assert_false (mh_plot_value_to_point (plot, 0, 0, &x, &y));
  g_assert_false (mh_plot_value_to_point (plot, 0, -1, &x, &y));
  g_assert_true (mh_plot_point_to_value (plot, xm, ym, &x, &y));
  g_assert_cmpfloat_with_epsilon (y, 1, 1e-9);

  /* automatic range: it holds the data; a zoom shows part of x */
  mh_plot_set_log_scale (plot, FALSE);
  mh_plot_set_y_range (plot, NAN, NAN);
  g_assert_true (mh_plot_value_to_point (plot, 100, 10, &x1, &y1));
  g_assert_true (mh_plot_value_to_point (plot, 0, 0, &x0, &y0));
  g_assert_cmpfloat (y1, <, y0);
  mh_plot_set_x_range (plot, 40, 60);
  g_assert_true (mh_plot_value_to_point (plot, 50, 5, &xm, &ym));
  g_assert_true (mh_plot_value_to_point (plot, 40, 5, &x0, &y0));
  g_assert_true (mh_plot_value_to_point (plot, 60, 5, &x1, &y1));
  g_assert_cmpfloat_with_epsilon (xm, (x0 + x1) / 2, 1e-6);
  g_assert_cmpfloat (x1 - x0, >, 300);
  mh_plot_reset_zoom (plot);
  mh_plot_set_series_visible (plot, s, FALSE);
  g_assert_false (mh_plot_get_series_visible (plot, s));
  gtk_window_destroy (GTK_WINDOW (window));
}

static guint
distinct_colours (const char *png, guint enough)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (png, &error);
  int width, height;
  g_autofree guint32 *pixels = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  g_assert_no_error (error);
  width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  pixels = g_new (guint32, (gsize) width * height);
  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height && g_hash_table_size (seen) < enough; i += 3)
    g_hash_table_add (seen, GUINT_TO_POINTER (pixels[i]));
  return g_hash_table_size (seen);
}

static void
test_plot_export (void)
{
  GtkWidget *window;
  MhPlot *plot = plot_window (&window);
  GdkRGBA blue = { 0.21f, 0.52f, 0.89f, 1 }, orange = { 0.9f, 0.38f, 0, 1 };
  int raw = mh_plot_add_series (plot, "category", &blue, NULL, MH_PLOT_RAW, -1);
  int val = mh_plot_add_series (plot, "category (val)", &orange, NULL, MH_PLOT_MARKERS, -1);
  g_autofree char *png = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "ui-plot.png", NULL);
  g_autofree char *svg = g_build_filename (tmp_dir, "plot.svg", NULL);
  g_autofree char *pdf = g_build_filename (tmp_dir, "plot.pdf", NULL);
  g_autofree char *bad = g_build_filename (tmp_dir, "plot.bmp", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GRand *rng = g_rand_new_with_seed (3);

  mh_plot_add_series (plot, "category", &blue, NULL, MH_PLOT_SMOOTHED, raw);
  mh_plot_set_title (plot, "Loss per head");
  mh_plot_set_x_label (plot, "step");
  for (int i = 1; i <= 500; i++)
    mh_plot_append (plot, raw, i, 2.3 * exp (-i / 120.0) + 0.3 * g_rand_double (rng));
  for (int e = 1; e <= 5; e++)
    {
      mh_plot_append (plot, val, e * 100, 2.3 * exp (-e * 100 / 120.0) + 0.2);
      mh_plot_add_mark (plot, e * 100, "epoch");
    }
  g_rand_free (rng);
  mh_plot_set_smoothing (plot, 0.8);
  g_assert_cmpuint (mh_plot_get_n_points (plot, raw), ==, 500);
  g_assert_cmpuint (mh_plot_get_n_series (plot), ==, 3);
  mh_test_pump (100);

  g_assert_true (mh_plot_export (plot, png, 640, 360, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (distinct_colours (png, 100), >=, 100);   /* antialiased curves, text: not blank */
  g_test_message ("plot rendered to %s", png);
  g_assert_true (mh_plot_export (plot, svg, 640, 360, &error));
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<svg"));
  g_clear_pointer (&text, g_free);
  g_assert_true (mh_plot_export (plot, pdf, 640, 360, &error));
  g_assert_true (g_file_get_contents (pdf, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "%PDF"));
  g_assert_false (mh_plot_export (plot, bad, 640, 360, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Each group of layers is one cached render node: the pointer's redraws
 * keep both, new data redraws the series alone, a new title the axis. */
static void
test_plot_cache (void)
{
  GtkWidget *window;
  MhPlot *plot = plot_window (&window);
  GdkRGBA blue = { 0.2f, 0.5f, 0.9f, 1 };
  int s = mh_plot_add_series (plot, "loss", &blue, NULL, MH_PLOT_LINE, -1);
  g_autoptr(GskRenderNode) axis = NULL, data = NULL;

  for (int i = 0; i <= 90; i++)
    mh_plot_append (plot, s, i, i / 10.0);
  mh_plot_set_y_range (plot, 0, 12);
  mh_test_pump (300);
  /* held: a node freed and another made at its address would look unchanged */
  axis = gsk_render_node_ref (_mh_plot_get_cached_node (plot, MH_PLOT_LAYER_AXIS));
  data = gsk_render_node_ref (_mh_plot_get_cached_node (plot, MH_PLOT_LAYER_DATA));
  gtk_widget_queue_draw (GTK_WIDGET (plot));
  mh_test_pump (100);
  g_assert_true (_mh_plot_get_cached_node (plot, MH_PLOT_LAYER_AXIS) == axis);
  g_assert_true (_mh_plot_get_cached_node (plot, MH_PLOT_LAYER_DATA) == data);
  mh_plot_append (plot, s, 95, 9.5);   /* inside the axis' range */
  mh_test_pump (300);
  g_assert_nonnull (_mh_plot_get_cached_node (plot, MH_PLOT_LAYER_DATA));
  g_assert_true (_mh_plot_get_cached_node (plot, MH_PLOT_LAYER_DATA) != data);
  g_assert_true (_mh_plot_get_cached_node (plot, MH_PLOT_LAYER_AXIS) == axis);
  mh_plot_set_title (plot, "Loss per head");
  mh_test_pump (300);
  g_assert_nonnull (_mh_plot_get_cached_node (plot, MH_PLOT_LAYER_AXIS));
  g_assert_true (_mh_plot_get_cached_node (plot, MH_PLOT_LAYER_AXIS) != axis);
  /* the readout's figures come from the figure's reading at the pointer */
  {
    double px, py;
    g_autoptr(GArray) readings = NULL;
    g_assert_true (mh_plot_value_to_point (plot, 40, 4, &px, &py));
    readings = mh_plot_figure_read (mh_plot_get_figure (plot), px, py);
    g_assert_cmpuint (readings->len, ==, 1);
    g_assert_cmpfloat_with_epsilon (g_array_index (readings, MhPlotReading, 0).y, 4, 1e-12);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The conflict view exports what it shows. */
static void
test_conflict_export (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = mh_conflict_view_new ();
  const char *names[] = { "category", "group", "upper", NULL };
  double cosine[9] = { 1, -0.6, 0.2, -0.6, 1, 0.8, 0.2, 0.8, 1 }, norm[3] = { 1.5, 0.4, 0.9 };
  float weight[3] = { 1, 0.5, 0.25 };
  g_autofree char *png = g_build_filename (tmp_dir, "conflict.png", NULL);
  g_autofree char *pdf = g_build_filename (tmp_dir, "conflict.pdf", NULL);
  g_autoptr(GError) error = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 480, 460);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  mh_conflict_view_set_heads (MH_CONFLICT_VIEW (view), names);
  mh_conflict_view_set (MH_CONFLICT_VIEW (view), cosine, norm, weight);
  mh_test_pump (200);
  g_assert_true (mh_conflict_view_export (MH_CONFLICT_VIEW (view), png, 480, 460, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (distinct_colours (png, 100), >=, 100);
  g_assert_true (mh_conflict_view_export (MH_CONFLICT_VIEW (view), pdf, 480, 460, &error));
  g_assert_false (mh_conflict_view_export (MH_CONFLICT_VIEW (view), "/nonexistent/conflict.png", 480, 460, &error));
  g_assert_nonnull (error);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- training in the window -------------------------------------------------------- */

static const char *tiny_json =
  "{ \"format\": 1, \"name\": \"tiny\", \"dataset\": { \"kind\": \"fashion-mnist\", \"path\": \"DIR\", \"validation\": 64 },"
  "  \"backbone\": { \"kind\": \"mlp\", \"layers\": [ { \"type\": \"flatten\" },"
  "    { \"type\": \"dense\", \"units\": 16 }, { \"type\": \"relu\" } ] },"
  "  \"heads\": ["
  "    { \"name\": \"category\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] },"
  "    { \"name\": \"group\", \"target\": \"group\", \"layers\": [ { \"type\": \"dense\" } ] } ],"
  "  \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.01 },"
  "  \"training\": { \"batch\": 16, \"epochs\": 400, \"seed\": 3 } }";

static MhWindow *
training_window (void)
{
  g_autoptr(GString) json = g_string_new (tiny_json);
  g_autofree char *path = g_build_filename (tmp_dir, "tiny.mhproj", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MhWindow *window = mh_window_new (NULL);

  g_string_replace (json, "DIR", tmp_dir, 1);
  g_assert_true (g_file_set_contents (path, json->str, -1, NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 840);
  g_assert_true (mh_window_open_file (window, file, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (300);
  return window;
}

static int
last_step (MhWindow *window)
{
  const MhTrainerEvent *e = mh_window_get_training_event (window);

  return e != NULL ? e->step : 0;
}

static void
test_training_window (void)
{
  MhWindow *window = training_window ();
  MhDocument *doc = mh_window_get_document (window);
  MhTrainingPanel *panel = mh_window_get_training_panel (window);
  g_autofree char *csv_path = g_build_filename (tmp_dir, "metrics.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  MhProject *p;
  int step;

  g_assert_cmpint (mh_window_get_training_state (window), ==, MH_TRAINER_IDLE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_RUNNING && last_step (window) > 30);
  g_assert_nonnull (mh_training_panel_get_log (panel));
  g_assert_cmpuint (mh_plot_get_n_points (mh_training_panel_get_plot (panel, "loss"), 0), >, 0);
  g_assert_cmpuint (mh_plot_get_n_series (mh_training_panel_get_plot (panel, "cosine")), ==, 2);

  /* a head's weight changes live: the run's next steps use it */
  p = mh_document_begin (doc);
  g_array_index (p->heads, MhHeadSpec, 1).weight = 0.25;
  g_assert_true (mh_document_commit (doc, "Change Head Weight", NULL));
  step = last_step (window);
  MH_TEST_WAIT_FOR (last_step (window) > step + 5 && mh_window_get_training_event (window)->weight[1] == 0.25f);

  /* the structure is kept while it trains: a new head is refused */
  g_assert_false (mh_canvas_add (mh_window_get_canvas (window), "head:classification", NAN, NAN, NULL));
  g_assert_cmpuint (mh_document_get_project (doc)->heads->len, ==, 2);
  mh_canvas_add (mh_window_get_canvas (window), "head:classification", NAN, NAN, NULL);
  g_assert_cmpuint (mh_document_get_project (doc)->heads->len, ==, 2);

  /* pause, one step, resume (Space, F6, F5) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_PAUSED);
  step = last_step (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.step", NULL));
  MH_TEST_WAIT_FOR (last_step (window) == step + 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_RUNNING && last_step (window) > step + 3);

  /* the window while it trains, as a PNG */
  {
    g_autofree char *out = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                             "ui-training.png", NULL);
    g_autoptr(GdkTexture) texture = NULL;
    mh_test_pump (200);
    texture = mh_test_ui_render (GTK_WIDGET (window));   /* waits out a frame between a resize and its layout */
    g_assert_true (gdk_texture_save_to_png (texture, out));
    g_assert_cmpuint (distinct_colours (out, 200), >=, 200);
  }

  /* stop: then the structure may change again */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_STOPPED);
  g_assert_true (mh_canvas_add (mh_window_get_canvas (window), "head:classification", NAN, NAN, NULL));
  g_assert_cmpuint (mh_document_get_project (doc)->heads->len, ==, 3);

  /* every step of the run in the CSV */
  g_assert_true (mh_train_log_save_csv (mh_training_panel_get_log (panel), csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, (guint) last_step (window) + 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Closing the window mid-run stops the run and joins the trainer. */
static void
test_close_while_training (void)
{
  MhWindow *window = training_window ();

  mh_window_train (window);
  MH_TEST_WAIT_FOR (last_step (window) > 5);
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  mh_test_write_fake_fashion (tmp_dir, 256, 64, 5);

  g_test_add_func ("/ui/plot/mapping", test_plot_mapping);
  g_test_add_func ("/ui/plot/export", test_plot_export);
  g_test_add_func ("/ui/plot/cache", test_plot_cache);
  g_test_add_func ("/ui/plot/conflict-export", test_conflict_export);
  g_test_add_func ("/ui/training/window", test_training_window);
  g_test_add_func ("/ui/training/close", test_close_while_training);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
