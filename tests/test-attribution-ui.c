/* test-attribution-ui.c — under Xvfb (docs/testing.md): what each head looks
 * at, in the window.  The Shapes example (small data) trained in the
 * window: the strip under the predictions (folded at first, and not asked
 * for then) shows the chosen card's maps, one per head and per box
 * coordinate, each on the layer its head reads and
 * normalised; the Attention page of a model without attention layers is
 * the maps' alone; the method menu asks again (both views follow); another
 * card, other maps; the views follow training.  A vision transformer: its
 * maps are gradient-weighted rollouts over the 7 × 7 patches, under the
 * attention heads (folded at first).  The maps follow the epoch slider
 * (the checkpoint's maps, then the model now).  Screenshots at 1280 × 720 and 1920 × 1080, light and
 * dark (build/tests/ui-attribution-*.png), and the export. */
#include <math.h>
#include <string.h>
#include <adwaita.h>
#include "mh-attribution.h"
#include "mh-run.h"
#include "mh-weights.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-window.h"

static char *tmp_dir;

static MhWindow *
example_window (const char *example, int width, int height)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.mhproj", MH_TEST_EXAMPLES,
                                           g_str_has_prefix (example, "shapes") ? "shapes" : example);
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
  if (g_str_has_prefix (example, "shapes"))
    p->data.train = 256, p->data.test = 24, p->data.validation = 0;
  else
    {
      g_free (p->data.path);
      p->data.path = g_strdup (tmp_dir);
      p->data.validation = 16;
    }
  p->epochs = g_str_equal (example, "shapes-2") ? 2 : 1;
  p->batch = 32;
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
assert_normalised (const MhAttributionMap *map)
{
  float max = 0;

  for (int i = 0; i < map->rows * map->cols; i++)
    {
      g_assert_true (map->map[i] >= 0 && map->map[i] <= 1);
      max = MAX (max, map->map[i]);
    }
  g_assert_cmpfloat (max, ==, map->peak > 0 ? 1.0f : 0.0f);
}

/* The view's result once it has one of `method` for input x. */
static const MhProbeAttribution *
wait_result (MhAttributionView *view, MhAttributionMethod method, const float *x, gsize len)
{
  const MhProbeAttribution *r = NULL;

  MH_TEST_WAIT_FOR ((r = mh_attribution_view_get_result (view)) != NULL && r->attribution->n_maps > 0
                    && r->attribution->maps[0].method == method && memcmp (r->x, x, sizeof (float) * len) == 0);
  return r;
}

static GtkWidget *
find_named (GtkWidget *w, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (w), name) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* As a user would: the view's method menu. */
static void
choose_method (MhAttributionView *view, MhAttributionMethod method)
{
  GtkWidget *drop = find_named (GTK_WIDGET (view), "attribution-method");

  g_assert_nonnull (drop);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop), method);
}

static void
test_shapes (void)
{
  MhWindow *window = example_window ("shapes", 1280, 720);
  MhPredictions *board = mh_window_get_predictions (window);
  MhTrainingPanel *panel = mh_window_get_training_panel (window);
  MhAttributionView *strip = mh_window_get_attribution_view (window, TRUE);
  MhAttributionView *page = mh_window_get_attribution_view (window, FALSE);
  AdwStyleManager *style = adw_style_manager_get_default ();
  static const struct { const char *head, *layer; int rows; } want[] = {
    { "shape", "relu4", 6 }, { "colour", "relu4", 6 }, { "attributes", "relu4", 6 },
    { "box", "relu3", 12 }, { "box", "relu3", 12 }, { "box", "relu3", 12 }, { "box", "relu3", 12 },
  };
  const MhProbeAttribution *r;
  const float *x0, *x2;
  gsize len = 48 * 48 * 3;
  g_autofree char *png = g_build_filename (tmp_dir, "heads.png", NULL);
  g_autofree char *svg = g_build_filename (tmp_dir, "heads.svg", NULL);
  g_autoptr (GError) error = NULL;
  int step;

  mh_training_panel_show_page (panel, "predictions");
  MH_TEST_WAIT_FOR (mh_predictions_get_test_set (board) != NULL);
  mh_predictions_clear (board);
  for (int i = 0; i < 4; i++)
    mh_predictions_add_sample (board, i);
  mh_predictions_select (board, 0);
  x0 = mh_predictions_get_input (board, 0, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_FINISHED);

  /* the strip starts folded, and nothing is asked for it then */
  mh_test_pump (500);
  g_assert_false (mh_attribution_view_is_showing (strip));
  g_assert_null (mh_attribution_view_get_result (strip));
  /* unfolded, as a user would: the chosen card's maps, every head, every box coordinate */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (GTK_WIDGET (strip), "attribution-expander")), TRUE);
  r = wait_result (strip, MH_ATTRIBUTION_GRAD_CAM, x0, len);
  MH_TEST_WAIT_FOR ((r = mh_attribution_view_get_result (strip)) != NULL && r->step == 8);
  g_assert_cmpint (r->attribution->n_maps, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      const MhAttributionMap *map = &r->attribution->maps[i];
      g_assert_cmpstr (r->heads[map->head].name, ==, want[i].head);
      g_assert_cmpstr (map->layer, ==, want[i].layer);
      g_assert_cmpint (map->rows, ==, want[i].rows);
      assert_normalised (map);
    }
  for (int k = 0; k < 4; k++)
    g_assert_cmpint (r->attribution->maps[3 + k].output, ==, k);
  render (window, "ui-attribution-predictions-1280.png");

  /* the Attention page of a CNN: the attention view has nothing and makes way */
  mh_training_panel_show_page (panel, "attention");
  r = wait_result (page, MH_ATTRIBUTION_GRAD_CAM, x0, len);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (mh_window_get_attention_view (window))));
  render (window, "ui-attribution-attention-1280.png");

  /* another method: asked again, both views follow */
  choose_method (page, MH_ATTRIBUTION_GRAD_INPUT);
  r = wait_result (page, MH_ATTRIBUTION_GRAD_INPUT, x0, len);
  g_assert_cmpint (mh_attribution_view_get_method (strip), ==, MH_ATTRIBUTION_GRAD_INPUT);
  g_assert_cmpint (r->attribution->maps[0].rows, ==, 48);
  g_assert_cmpstr (r->attribution->maps[0].layer, ==, "input");
  assert_normalised (&r->attribution->maps[0]);
  /* a method the backbone cannot do: the reason, no maps */
  choose_method (page, MH_ATTRIBUTION_GRAD_ROLLOUT);
  MH_TEST_WAIT_FOR (mh_attribution_view_get_result (page) == NULL);
  choose_method (page, MH_ATTRIBUTION_AUTO);
  wait_result (page, MH_ATTRIBUTION_GRAD_CAM, x0, len);

  /* another card: its maps */
  mh_training_panel_show_page (panel, "predictions");
  mh_predictions_select (board, 2);
  x2 = mh_predictions_get_input (board, 2, NULL);
  r = wait_result (strip, MH_ATTRIBUTION_GRAD_CAM, x2, len);
  step = r->step;

  /* the maps follow training: another epoch, a later step */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_FINISHED);
  MH_TEST_WAIT_FOR ((r = mh_attribution_view_get_result (strip)) != NULL && r->step != step);

  /* the export */
  g_assert_true (mh_attribution_view_export (strip, png, &error));
  g_assert_no_error (error);
  g_assert_true (mh_attribution_view_export (strip, svg, &error));
  g_assert_no_error (error);
  g_assert_false (mh_attribution_view_export (strip, "/nonexistent/heads.svg", &error));
  g_assert_nonnull (error);

  /* screenshots: dark, and a large window */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  render (window, "ui-attribution-predictions-1280-dark.png");
  mh_training_panel_show_page (panel, "attention");
  mh_predictions_select (board, 0);
  wait_result (page, MH_ATTRIBUTION_GRAD_CAM, x0, len);
  render (window, "ui-attribution-attention-1280-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  mh_test_pump (500);
  render (window, "ui-attribution-attention-1920.png");
  mh_training_panel_show_page (panel, "predictions");
  render (window, "ui-attribution-predictions-1920.png");
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}

/* The maps follow the epoch slider: of the run's checkpoint of the epoch
 * it picks (the very maps an attributor gives with those weights, not the
 * live model's), and of the model now at its right end. */
static void
test_epochs (void)
{
  MhWindow *window = example_window ("shapes-2", 1280, 720);
  MhPredictions *board = mh_window_get_predictions (window);
  MhAttributionView *strip = mh_window_get_attribution_view (window, TRUE);
  GtkWidget *scale = NULL;
  GPtrArray *runs;
  g_autoptr (MhRun) run = NULL;
  g_autoptr (MhAttributor) a = NULL;
  g_autoptr (MhAttribution) want = NULL;
  g_autoptr (MhProbeAttribution) now = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *checkpoint = NULL;
  const MhProbeAttribution *r;
  const float *x;
  gboolean differs = FALSE;

  mh_training_panel_show_page (mh_window_get_training_panel (window), "predictions");
  MH_TEST_WAIT_FOR (mh_predictions_get_test_set (board) != NULL);
  mh_predictions_clear (board);
  mh_predictions_add_sample (board, 3);
  mh_predictions_select (board, 0);
  x = mh_predictions_get_input (board, 0, NULL);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (GTK_WIDGET (strip), "attribution-expander")), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_FINISHED);
  /* two epochs of 8 steps: the model now */
  MH_TEST_WAIT_FOR ((r = mh_attribution_view_get_result (strip)) != NULL && r->step == 16
                    && memcmp (r->x, x, sizeof (float) * 48 * 48 * 3) == 0);
  now = mh_probe_attribution_copy (r);

  /* the slider, as a user drags it, to epoch 1 */
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (mh_window_get_epoch_scrubber (window))); w != NULL;)
    {
      if (GTK_IS_SCALE (w))
        {
          scale = w;
          break;
        }
      w = gtk_widget_get_first_child (w) != NULL ? gtk_widget_get_first_child (w) : gtk_widget_get_next_sibling (w);
    }
  g_assert_nonnull (scale);
  MH_TEST_WAIT_FOR (gtk_widget_get_mapped (scale) && gtk_adjustment_get_upper (gtk_range_get_adjustment (GTK_RANGE (scale))) >= 3);
  gtk_range_set_value (GTK_RANGE (scale), 1);
  MH_TEST_WAIT_FOR ((r = mh_attribution_view_get_result (strip)) != NULL && r->step == 8);
  g_assert_cmpmem (r->x, sizeof (float) * 48 * 48 * 3, x, sizeof (float) * 48 * 48 * 3);

  /* the same maps as the checkpoint's weights give */
  runs = mh_runs_page_get_runs (mh_window_get_runs_page (window));
  g_assert_cmpuint (runs->len, >=, 1);
  run = mh_run_read (((MhRun *) runs->pdata[runs->len - 1])->dir);
  checkpoint = mh_run_checkpoint_path (run, 1, &error);
  g_assert_no_error (error);
  a = mh_attributor_new (mh_document_get_project (mh_window_get_document (window)), mh_predictions_get_test_set (board),
                         NULL, MH_ATTRIBUTION_AUTO, NULL, "test", &error);
  g_assert_no_error (error);
  g_assert_true (mh_model_load_weights (mh_attributor_model (a), checkpoint, &error));
  g_assert_no_error (error);
  want = mh_attributor_explain (a, x, NULL);
  g_assert_cmpint (r->attribution->n_maps, ==, want->n_maps);
  g_assert_cmpint (now->attribution->n_maps, ==, want->n_maps);
  for (int m = 0; m < want->n_maps; m++)
    {
      const MhAttributionMap *got = &r->attribution->maps[m], *exp = &want->maps[m], *live = &now->attribution->maps[m];
      g_assert_cmpint (got->rows * got->cols, ==, exp->rows * exp->cols);
      g_assert_cmpint (got->output, ==, exp->output);
      g_assert_cmpfloat_with_epsilon (got->value, exp->value, 1e-5);
      for (int k = 0; k < exp->rows * exp->cols; k++)
        {
          g_assert_cmpfloat_with_epsilon (got->map[k], exp->map[k], 1e-5);
          differs |= fabsf (live->map[k] - exp->map[k]) > 1e-3;
        }
    }
  g_assert_true (differs);   /* another model than the one now */

  /* back to now, at the right end */
  gtk_range_set_value (GTK_RANGE (scale), 3);
  MH_TEST_WAIT_FOR ((r = mh_attribution_view_get_result (strip)) != NULL && r->step == 16);
  for (int k = 0; k < r->attribution->maps[0].rows * r->attribution->maps[0].cols; k++)
    g_assert_cmpfloat_with_epsilon (r->attribution->maps[0].map[k], now->attribution->maps[0].map[k], 1e-6);
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}

/* A vision transformer: rollouts over the patches, beside the attention heads. */
static void
test_vit (void)
{
  MhWindow *window = example_window ("fashion-vit", 1280, 720);
  MhPredictions *board = mh_window_get_predictions (window);
  MhTrainingPanel *panel = mh_window_get_training_panel (window);
  MhAttributionView *page = mh_window_get_attribution_view (window, FALSE);
  const MhProbeAttribution *r;
  const float *x;

  mh_training_panel_show_page (panel, "attention");
  MH_TEST_WAIT_FOR (mh_predictions_get_test_set (board) != NULL);
  mh_predictions_select (board, 1);
  x = mh_predictions_get_input (board, 1, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_FINISHED);
  /* the maps start folded under the attention heads, then unfolded */
  MH_TEST_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (mh_window_get_attention_view (window)))
                    && mh_predictions_get_answer (board, 1, 0, NULL) >= 0);
  mh_test_pump (300);
  g_assert_false (mh_attribution_view_is_showing (page));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (GTK_WIDGET (page), "attribution-expander")), TRUE);
  r = wait_result (page, MH_ATTRIBUTION_GRAD_ROLLOUT, x, 28 * 28);
  g_assert_cmpint (r->attribution->n_maps, ==, 3);   /* category, group, upper */
  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpint (r->attribution->maps[i].rows, ==, 7);
      g_assert_cmpint (r->attribution->maps[i].cols, ==, 7);
      g_assert_cmpstr (r->attribution->maps[i].layer, ==, "block1–block2");
      assert_normalised (&r->attribution->maps[i]);
    }
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (mh_window_get_attention_view (window))));
  render (window, "ui-attribution-vit-1280.png");
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  mh_test_write_fake_fashion (tmp_dir, 256, 32, 5);
  g_test_add_func ("/ui/attribution/shapes", test_shapes);
  g_test_add_func ("/ui/attribution/epochs", test_epochs);
  g_test_add_func ("/ui/attribution/vit", test_vit);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
