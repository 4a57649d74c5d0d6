/* test-runs-ui.c — under Xvfb (docs/testing.md): runs in the window.
 *
 * Opening project B after training A leaves nothing of A: no curve, card
 * answer, attention map, confusion matrix, caption, status or toast (the
 * widgets' data and every label shown, and a screenshot).  On one project:
 * the epoch slider as a user moves it changes the cards' answers to those
 * of that epoch's checkpoint, and the confusion page follows; Save Weights
 * writes a file `eval` accepts, Export to PyTorch the same model; two runs
 * ticked are overlaid per head with the table of their figures and
 * differences; the trade-off places them and draws the last run's path;
 * Branch Here in the loss plot's menu; 20 runs open at once.  A project's
 * "transfer" is applied in the window as `train` applies it, or refused
 * with the same message.  A branch from an epoch with a head deleted
 * (the run's menu), delete and Undo, Rename…, pin, the retention rule,
 * Repeat With 3 Seeds drawn as mean ± spread, a broken run.json listed with
 * its reason.  Screenshots: ui-runs-*.png in the build folder.  Measures
 * (g_test_message): the slider's latency with 20 cards, opening a project
 * with 20 runs. */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include "mh-compare-view.h"
#include "mh-run-store.h"
#include "mh-safetensors.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-tradeoff-view.h"
#include "mh-weights.h"
#include "mh-window.h"

static char *tmp_dir;
static char *fashion_dir;

/* ---- helpers ------------------------------------------------------------------------- */

static void
save_png (GtkWidget *widget, const char *name)
{
  g_autofree char *out = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".", name,
                                           NULL);
  g_autoptr (GdkTexture) texture = NULL;

  mh_test_pump (800);   /* the dashboard's page transition ended, the plots drawn */
  texture = mh_test_ui_render (widget);
  g_assert_true (gdk_texture_save_to_png (texture, out));
  g_test_message ("screenshot: %s", out);
}

/* A copy of example `example` as `name`.mhproj in the test's folder, small. */
static char *
write_project (const char *example, const char *name, int epochs, void (*change) (MhProject *p))
{
  g_autofree char *from = g_strdup_printf (MH_TEST_EXAMPLES "/%s.mhproj", example);
  g_autofree char *leaf = g_strdup_printf ("%s.mhproj", name);
  char *path = g_build_filename (tmp_dir, leaf, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = mh_project_load (from, &error);

  g_assert_no_error (error);
  g_free (p->name);
  p->name = g_strdup (name);
  if (g_str_equal (p->data.kind, "shapes"))
    {
      p->data.train = 320;
      p->data.test = 64;
      p->data.validation = 64;
      memset (&p->data.augment, 0, sizeof p->data.augment);
    }
  else
    {
      g_free (p->data.path);
      p->data.path = g_strdup (fashion_dir);
      p->data.validation = 32;
    }
  p->epochs = epochs;
  p->batch = 32;
  if (change != NULL)
    change (p);
  g_assert_true (mh_project_save (p, path, &error));
  g_assert_no_error (error);
  return path;
}

static MhWindow *
new_window (int width, int height)
{
  MhWindow *window = mh_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (200);
  return window;
}

static void
open_project (MhWindow *window, const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;

  g_assert_true (mh_window_open_file (window, file, &error));
  g_assert_no_error (error);
}

static void
train (MhWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_LOADING
                    || mh_trainer_state_is_active (mh_window_get_training_state (window)));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_FINISHED);
  mh_test_pump (100);
}

static gboolean
all_answered (MhPredictions *board)
{
  for (int i = 0; i < mh_predictions_get_n_items (board); i++)
    if (mh_predictions_get_answer (board, i, 0, NULL) < 0)
      return FALSE;
  return mh_predictions_get_n_items (board) > 0;
}

/* Every mapped label's text under `w`, one a line. */
static void
collect_text (GtkWidget *w, GString *out)
{
  if (!gtk_widget_get_mapped (w))
    return;
  if (GTK_IS_LABEL (w))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (w)));
  else if (GTK_IS_EDITABLE (w) && !GTK_IS_TEXT (w))
    g_string_append_printf (out, "%s\n", gtk_editable_get_text (GTK_EDITABLE (w)));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_text (c, out);
}

static GtkWidget *
find_child (GtkWidget *w, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_child (c, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The epoch slider moved as the user moves it (-1: now). */
static void
move_slider (MhWindow *window, int epoch)
{
  MhEpochScrubber *s = mh_window_get_epoch_scrubber (window);
  GtkRange *range = GTK_RANGE (find_child (GTK_WIDGET (s), GTK_TYPE_RANGE));
  double lower = gtk_adjustment_get_lower (gtk_range_get_adjustment (range));
  double upper = gtk_adjustment_get_upper (gtk_range_get_adjustment (range));

  gtk_range_set_value (range, epoch < 0 ? upper : epoch);
  g_assert_cmpfloat (lower, ==, 1);
  g_assert_cmpint (mh_epoch_scrubber_get_epoch (s), ==, epoch);
}

/* Every card's answer of head 0 and its probability. */
static GArray *
answers (MhPredictions *board)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (float));

  for (int i = 0; i < mh_predictions_get_n_items (board); i++)
    {
      float p = 0;
      float k = (float) mh_predictions_get_answer (board, i, 0, &p);
      g_array_append_val (a, k);
      g_array_append_val (a, p);
    }
  return a;
}

static gboolean
close_answers (GArray *a, GArray *b, double tolerance)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i += 2)
    if (g_array_index (a, float, i) != g_array_index (b, float, i)
        || fabs (g_array_index (a, float, i + 1) - g_array_index (b, float, i + 1)) > tolerance)
      return FALSE;
  return TRUE;
}

/* The slider to `epoch` as the user moves it, and the cards' answers once
 * that model has answered. */
static GArray *
slide_to (MhWindow *window, int epoch)
{
  MhPredictions *board = mh_window_get_predictions (window);

  move_slider (window, epoch);
  MH_TEST_WAIT_FOR (mh_window_get_epoch_latency (window) >= 0 && all_answered (board));
  return answers (board);
}

static void
fashion_small (MhProject *p)
{
  (void) p;
}

/* ---- open B after training A ----------------------------------------------------------- */

static void
test_clean_slate (void)
{
  g_autofree char *vit = write_project ("fashion-vit", "vit-a", 1, fashion_small);
  g_autofree char *shapes = write_project ("shapes", "shapes-b", 1, NULL);
  MhWindow *window = new_window (1280, 720);
  MhPredictions *board = mh_window_get_predictions (window);
  MhAttentionView *attention = mh_window_get_attention_view (window);
  MhConfusionView *confusion = mh_window_get_confusion (window);
  MhTrainingPanel *panel = mh_window_get_training_panel (window);
  MhRunsPage *runs = mh_window_get_runs_page (window);
  g_autoptr (GString) text = g_string_new (NULL);
  int layers = 0, heads = 0, count;

  open_project (window, vit);
  train (window);
  mh_training_panel_show_page (panel, "predictions");
  MH_TEST_WAIT_FOR (mh_predictions_get_test_set (board) != NULL && mh_predictions_get_n_items (board) > 0);
  mh_predictions_select (board, 0);
  MH_TEST_WAIT_FOR (all_answered (board));
  mh_training_panel_show_page (panel, "attention");
  MH_TEST_WAIT_FOR ((mh_attention_view_get_grid (attention, &layers, &heads), layers > 0));
  mh_training_panel_show_page (panel, "confusion");   /* its matrix is computed when it is shown */
  MH_TEST_WAIT_FOR (mh_confusion_view_get_cell (confusion, 0, 0, &count, NULL));
  g_assert_cmpuint (mh_runs_page_get_runs (runs)->len, ==, 1);
  g_assert_nonnull (mh_training_panel_get_caption (panel));
  g_assert_cmpuint (mh_plot_get_n_series (mh_training_panel_get_plot (panel, "loss")), >, 0);
  mh_training_panel_show_page (panel, "loss");
  save_png (GTK_WIDGET (window), "ui-runs-a-trained.png");

  /* B opens: none of A */
  open_project (window, shapes);
  mh_test_pump (600);   /* A's toasts dismissed: their hiding takes a moment */
  for (int round = 0; round < 2; round++)
    {
      g_assert_cmpint (mh_window_get_training_state (window), ==, MH_TRAINER_IDLE);
      g_assert_null (mh_window_get_training_event (window));
      g_assert_cmpuint (mh_plot_get_n_series (mh_training_panel_get_plot (panel, "loss")), ==, 0);
      g_assert_cmpuint (mh_plot_get_n_series (mh_training_panel_get_plot (panel, "metric")), ==, 0);
      g_assert_null (mh_training_panel_get_log (panel));
      g_assert_null (mh_training_panel_get_caption (panel));
      for (int i = 0; i < mh_predictions_get_n_items (board); i++)
        g_assert_cmpint (mh_predictions_get_answer (board, i, 0, NULL), ==, -1);
      mh_attention_view_get_grid (attention, &layers, &heads);
      g_assert_cmpint (layers, ==, 0);
      g_assert_false (mh_confusion_view_get_cell (confusion, 0, 0, &count, NULL));
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (mh_window_get_epoch_scrubber (window))));
      g_assert_cmpuint (mh_runs_page_get_runs (runs)->len, ==, 0);
      /* nothing the window shows names A's heads or its run */
      for (const char *page = "loss"; page != NULL;
           page = g_str_equal (page, "loss") ? "predictions" : g_str_equal (page, "predictions") ? "attention"
                : g_str_equal (page, "attention") ? "confusion" : g_str_equal (page, "confusion") ? "runs" : NULL)
        {
          mh_training_panel_show_page (panel, page);
          mh_test_pump (150);
          g_string_truncate (text, 0);
          collect_text (GTK_WIDGET (window), text);
          for (const char *const *w = (const char *const[]) { "category", "vit-a", "epoch 1 of 1", "Finished", NULL };
               *w != NULL; w++)
            if (strstr (text->str, *w) != NULL)
              g_error ("page %s still shows '%s' of the last project:\n%s", page, *w, text->str);
        }
      mh_test_pump (400);   /* an event or an answer of A still on its way lands nowhere */
    }
  mh_training_panel_show_page (panel, "predictions");
  save_png (GTK_WIDGET (window), "ui-runs-b-opened.png");
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}


/* ---- the runs of one project: the slider, Save Weights, compare, trade-off ------------- */

static GHashTable *tensors_of (const char *path);

static GtkWidget *
row_of (MhRunsPage *page, const char *id)
{
  GtkWidget *list = find_child (GTK_WIDGET (page), GTK_TYPE_LIST_BOX);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "mh-run-id"), id) == 0)
      return row;
  return NULL;
}

static char *
text_of (GtkWidget *w)
{
  g_autoptr (GString) text = g_string_new (NULL);

  collect_text (w, text);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_box_weight (MhWindow *window, double w)
{
  MhDocument *doc = mh_window_get_document (window);
  MhProject *p = mh_document_begin (doc);

  for (guint h = 0; h < p->heads->len; h++)
    if (g_str_equal (g_array_index (p->heads, MhHeadSpec, h).name, "box"))
      g_array_index (p->heads, MhHeadSpec, h).weight = w;
  g_assert_true (mh_document_commit (doc, "Box Weight", NULL));
}

static void
test_runs (void)
{
  g_autofree char *path = write_project ("shapes", "shapes-c", 2, NULL);
  g_autofree char *weights = g_build_filename (tmp_dir, "epoch1.safetensors", NULL);
  MhWindow *window = new_window (1920, 1080);
  MhPredictions *board = mh_window_get_predictions (window);
  MhTrainingPanel *panel = mh_window_get_training_panel (window);
  MhRunsPage *page = mh_window_get_runs_page (window);
  MhConfusionView *confusion = mh_window_get_confusion (window);
  g_autoptr (GArray) now = NULL, first = NULL, last = NULL;
  g_autofree char *shown = NULL;
  MhRun *run;
  int count;

  open_project (window, path);
  mh_training_panel_show_page (panel, "predictions");
  MH_TEST_WAIT_FOR (mh_predictions_get_test_set (board) != NULL && mh_predictions_get_n_items (board) > 0);
  for (int i = mh_predictions_get_n_items (board); i < 20; i++)
    mh_predictions_add_sample (board, 10 + i);
  g_assert_cmpint (mh_predictions_get_n_items (board), ==, 20);
  train (window);
  MH_TEST_WAIT_FOR (all_answered (board));

  /* the run, recorded beside the project */
  g_assert_cmpuint (mh_runs_page_get_runs (page)->len, ==, 1);
  run = mh_runs_page_find (page, "1");
  g_assert_nonnull (run);
  g_assert_true (g_str_has_prefix (run->dir, tmp_dir));
  g_assert_true (g_str_has_suffix (mh_runs_page_get_store (page)->dir, "shapes-c.runs"));
  g_assert_cmpint (run->state, ==, MH_RUN_FINISHED);
  g_assert_cmpint (mh_run_epochs_done (run), ==, 2);
  g_assert_cmpstr (mh_training_panel_get_caption (panel), ==, "run 1");

  /* the slider: epoch 1's checkpoint answers otherwise than the model now; epoch 2's is the model now */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (mh_window_get_epoch_scrubber (window))));
  g_assert_cmpint (mh_epoch_scrubber_get_epoch (mh_window_get_epoch_scrubber (window)), ==, -1);
  first = slide_to (window, 1);
  g_test_message ("the slider with %d cards: %.0f ms from the move to every card's answers",
                  mh_predictions_get_n_items (board), 1000 * mh_window_get_epoch_latency (window));
  shown = text_of (GTK_WIDGET (board));
  g_assert_nonnull (strstr (shown, "run 1, epoch 1"));
  save_png (GTK_WIDGET (window), "ui-runs-slider.png");
  /* the confusion page follows the slider: the model after epoch 1 (8 steps) */
  mh_training_panel_show_page (panel, "confusion");
  MH_TEST_WAIT_FOR ((g_free (shown), shown = text_of (GTK_WIDGET (confusion)),
                     strstr (shown, "after step 8") != NULL));
  g_assert_true (mh_confusion_view_get_cell (confusion, 0, 0, &count, NULL));
  mh_training_panel_show_page (panel, "predictions");
  last = slide_to (window, 2);
  g_test_message ("the slider with %d cards, to another epoch of the run: %.0f ms",
                  mh_predictions_get_n_items (board), 1000 * mh_window_get_epoch_latency (window));
  now = slide_to (window, -1);
  /* the same parameters (the checkpoint's model answers in batches of its own size: float rounding aside) */
  g_assert_true (close_answers (last, now, 1e-5));
  g_assert_false (close_answers (first, now, 1e-5));
  g_assert_cmpint (mh_predictions_get_n_items (board), ==, 20);

  /* Save Weights: the model the slider shows (epoch 1), a file `eval` takes */
  g_clear_pointer (&first, g_array_unref);
  first = slide_to (window, 1);
  g_assert_true (mh_window_save_weights (window, weights));
  MH_TEST_WAIT_FOR (g_file_test (weights, G_FILE_TEST_IS_REGULAR));
  mh_test_pump (200);
  {
    const char *args[] = { "eval", path, "--weights", weights, "--json", NULL };
    g_autofree char *out = mh_test_cli_ok (args);
    g_assert_nonnull (strstr (out, "shape"));
  }

  /* Export to PyTorch: what export-torch writes, of the same model */
  {
    g_autofree char *dir = g_build_filename (tmp_dir, "torch-epoch1", NULL);
    g_autofree char *model = g_build_filename (dir, "model.py", NULL);
    g_autofree char *w = g_build_filename (dir, "weights.safetensors", NULL);
    g_assert_true (mh_window_export_torch (window, dir));
    MH_TEST_WAIT_FOR (g_file_test (w, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (model, G_FILE_TEST_IS_REGULAR));
    {
      g_autoptr (GHashTable) a = tensors_of (weights), b = tensors_of (w);
      MhTensorEntry *x = g_hash_table_lookup (a, "backbone.conv1.weight"), *y = g_hash_table_lookup (b, "backbone.conv1.weight");
      g_assert_nonnull (x);
      g_assert_nonnull (y);
      g_assert_cmpmem (x->data, x->size * sizeof (float), y->data, y->size * sizeof (float));
    }
  }

  /* run 2: the box head weighs 5 instead of 20 */
  set_box_weight (window, 5);
  g_assert_cmpstr (mh_training_panel_get_caption (panel), ==, "run 1, before your edit");
  train (window);
  g_assert_cmpuint (mh_runs_page_get_runs (page)->len, ==, 2);
  g_assert_cmpstr (mh_training_panel_get_caption (panel), ==, "run 2");

  /* Compare: both ticked, overlaid per head, the figures side by side */
  mh_training_panel_show_page (panel, "runs");
  mh_runs_page_show_view (page, "compare");
  mh_runs_page_set_ticked (page, "1", TRUE);
  mh_runs_page_set_ticked (page, "2", TRUE);
  {
    MhCompareView *compare = mh_runs_page_get_compare (page);
    MhPlotFigure *loss = mh_plot_get_figure (mh_compare_view_get_plot (compare, FALSE));
    g_assert_cmpint (mh_plot_figure_find_series (loss, "1", "run 1 · shape"), >=, 0);
    g_assert_cmpint (mh_plot_figure_find_series (loss, "2", "run 2 · shape"), >=, 0);
    g_assert_cmpint (mh_plot_figure_find_series (loss, "2", "run 2 · box"), >=, 0);
    g_assert_cmpint (mh_plot_figure_get_series (loss, mh_plot_figure_find_series (loss, "1", "run 1 · box"))->dash,
                     !=, mh_plot_figure_get_series (loss, mh_plot_figure_find_series (loss, "2", "run 2 · box"))->dash);
    g_assert_cmpstr (mh_compare_view_get_cell (compare, 0, 1), ==, "run 1");
    g_assert_cmpstr (mh_compare_view_get_cell (compare, 0, 2), ==, "run 2");
    /* a difference beside each figure of the second run */
    {
      gboolean differences = FALSE;
      for (int r = 1; r < 40 && mh_compare_view_get_cell (compare, r, 0) != NULL; r++)
        differences |= strstr (mh_compare_view_get_cell (compare, r, 2), "(+") != NULL
                       || strstr (mh_compare_view_get_cell (compare, r, 2), "(-") != NULL;
      g_assert_true (differences);
    }
    save_png (GTK_WIDGET (window), "ui-runs-compare.png");
  }
  /* the trade-off: a point per run */
  mh_runs_page_show_view (page, "trade-off");
  {
    MhTradeoffView *tradeoff = mh_runs_page_get_tradeoff (page);
    MhPlot *plot = mh_tradeoff_view_get_plot (tradeoff);
    MhPlotFigure *f = mh_plot_get_figure (plot);
    int live;
    mh_tradeoff_view_set_pair (tradeoff, 0, 3);   /* shape against box */
    g_assert_cmpint (mh_plot_figure_find_series (f, "1", "run 1"), >=, 0);
    g_assert_cmpint (mh_plot_figure_find_series (f, "2", "run 2"), >=, 0);
    /* the run trained last drew its path, an epoch a point */
    live = mh_plot_figure_find_series (f, NULL, "run 2 (now)");
    g_assert_cmpint (live, >=, 0);
    g_assert_cmpuint (mh_plot_figure_get_series (f, live)->points->len, ==, 2);
    save_png (GTK_WIDGET (window), "ui-runs-tradeoff.png");
  }

  /* Branch Here: a right click on the loss plot near step 8 offers run 2's epoch 1 */
  mh_training_panel_show_page (panel, "loss");
  mh_test_pump (300);
  {
    MhPlot *plot = mh_training_panel_get_plot (panel, "loss");
    g_autoptr (GMenuModel) menu = NULL, branch = NULL;
    g_autofree char *action = NULL, *export = NULL;
    g_autoptr (GVariant) target = NULL;
    double px, py;
    g_assert_true (mh_plot_value_to_point (plot, 8, 1.0, &px, &py));
    menu = mh_plot_dup_menu (plot, px, py);
    /* Branch Here first, the plot's own items (export) after it: one menu */
    g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
    branch = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
    g_assert_true (g_menu_model_get_item_attribute (branch, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_assert_cmpstr (action, ==, "win.branch-run");
    target = g_menu_model_get_item_attribute_value (branch, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE ("(si)"));
    g_assert_nonnull (target);
    {
      g_autoptr (GMenuModel) own = g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SECTION);
      g_assert_true (g_menu_model_get_item_attribute (own, 2, G_MENU_ATTRIBUTE_ACTION, "s", &export));
      g_assert_cmpstr (export, ==, "plot.export");
    }
    set_box_weight (window, 20);   /* the branch: run 2's first epoch, the box head at 20 again */
    g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), action, target));
    MH_TEST_WAIT_FOR (mh_runs_page_get_runs (page)->len == 3
                      && mh_window_get_training_state (window) == MH_TRAINER_FINISHED);
    run = mh_runs_page_find (page, "3");
    g_assert_cmpstr (run->parent_id, ==, "2");
    g_assert_cmpint (run->parent_epoch, ==, 1);
    mh_test_pump (100);
  }

  /* a project with 20 runs opens at once, all of them listed */
  for (int i = 4; i <= 20; i++)
    {
      g_autofree char *to = g_strdup_printf ("%s/shapes-c.runs/%d", tmp_dir, i);
      g_autofree char *from = g_strdup_printf ("%s/shapes-c.runs/%d", tmp_dir, 1 + i % 2);
      const char *cp[] = { "cp", "-r", from, to, NULL };
      g_autoptr (GError) error = NULL;
      int status = -1;
      g_assert_true (g_spawn_sync (NULL, (char **) cp, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
                                   &error));
      g_assert_cmpint (status, ==, 0);
    }
  {
    g_autofree char *other = write_project ("shapes", "shapes-other", 1, NULL);
    gint64 t0;
    double opened, drawn;
    t0 = g_get_monotonic_time ();
    open_project (window, other);
    g_test_message ("opening a project with no runs: %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
    mh_test_pump (200);
    t0 = g_get_monotonic_time ();
    open_project (window, path);
    opened = (g_get_monotonic_time () - t0) / 1000.0;
    while (g_main_context_iteration (NULL, FALSE))
      ;
    drawn = (g_get_monotonic_time () - t0) / 1000.0;
    g_assert_cmpuint (mh_runs_page_get_runs (page)->len, ==, 20);
    g_test_message ("opening a project with 20 runs: %.0f ms (%.0f ms until the main loop is idle)", opened, drawn);
    mh_runs_page_show_view (page, "list");
    save_png (GTK_WIDGET (window), "ui-runs-20.png");
  }
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}

/* ---- "transfer" in the window ------------------------------------------------------------ */

static char *transfer_file;

static void
with_transfer (MhProject *p)
{
  g_free (p->transfer_weights);
  p->transfer_weights = g_strdup (transfer_file);
  p->transfer_layers = 0;
  p->backbone_frozen = TRUE;   /* the backbone stays what it was given */
}

static GHashTable *
tensors_of (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = mh_safetensors_read (path, NULL, &error);
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) mh_tensor_entry_free);

  g_assert_no_error (error);
  g_ptr_array_set_free_func (list, NULL);
  for (guint i = 0; i < list->len; i++)
    g_hash_table_insert (out, ((MhTensorEntry *) list->pdata[i])->name, list->pdata[i]);
  return out;
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *tops = gtk_window_get_toplevels ();   /* the toolkit's */

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static void
test_transfer (void)
{
  g_autofree char *src = write_project ("shapes", "source", 1, NULL);
  g_autofree char *src_weights = g_build_filename (tmp_dir, "source.safetensors", NULL);
  g_autofree char *dst = NULL, *missing = NULL;
  g_autofree char *trained = g_build_filename (tmp_dir, "transferred.safetensors", NULL);
  MhWindow *window = new_window (1280, 720);
  g_autoptr (GHashTable) given = NULL, after = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint same = 0, changed = 0;

  /* the weights it transfers: trained by `train` */
  {
    const char *args[] = { "train", src, "--save", src_weights, "--no-record", NULL };
    g_autofree char *out = mh_test_cli_ok (args);
  }
  transfer_file = g_strdup ("source.safetensors");   /* relative: to the project's folder */
  dst = write_project ("shapes", "transfer", 1, with_transfer);
  g_free (transfer_file);
  transfer_file = g_strdup ("nowhere.safetensors");
  missing = write_project ("shapes", "transfer-missing", 1, with_transfer);
  g_clear_pointer (&transfer_file, g_free);

  open_project (window, dst);
  train (window);
  g_assert_true (mh_window_save_weights (window, trained));
  MH_TEST_WAIT_FOR (g_file_test (trained, G_FILE_TEST_IS_REGULAR));
  mh_test_pump (200);
  given = tensors_of (src_weights);
  after = tensors_of (trained);
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      MhTensorEntry *a = value, *b = g_hash_table_lookup (given, key);
      g_assert_nonnull (b);
      g_assert_cmpuint (a->size, ==, b->size);
      if (memcmp (a->data, b->data, a->size * sizeof (float)) == 0)
        same++;
      else
        changed++;
    }
  /* the frozen backbone (4 convolutions and a dense layer, weights and biases) is the file's; the heads trained */
  g_assert_cmpuint (same, ==, 10);
  g_assert_cmpuint (changed, >, 0);

  /* a transfer file that is not there: the window refuses as `train` does, with its message */
  open_project (window, missing);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_FAILED);
  MH_TEST_WAIT_FOR (find_dialog () != NULL);
  {
    const char *args[] = { "train", missing, "--no-record", NULL };
    MhTestRun r = mh_test_cli (args);
    g_auto (GStrv) lines = g_strsplit (g_strstrip (r.err), "\n", -1);
    const char *body = adw_message_dialog_get_body (find_dialog ());
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (body, "nowhere.safetensors"));
    g_assert_nonnull (strstr (lines[g_strv_length (lines) - 1], body));
    mh_test_run_clear (&r);
    gtk_window_destroy (GTK_WINDOW (find_dialog ()));
  }
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}

/* ---- branch, delete and Undo, rename, pin, repeat with 3 seeds, a bad run -------------------- */

static void
delete_head (MhWindow *window, const char *name)
{
  MhDocument *doc = mh_window_get_document (window);
  MhProject *p = mh_document_begin (doc);

  for (guint h = 0; h < p->heads->len; h++)
    if (g_str_equal (g_array_index (p->heads, MhHeadSpec, h).name, name))
      {
        mh_head_spec_clear (&g_array_index (p->heads, MhHeadSpec, h));
        g_array_remove_index (p->heads, h);
        break;
      }
  g_assert_true (mh_document_commit (doc, "Delete Head", NULL));
}

static void
wait_idle_with_runs (MhWindow *window, guint n)
{
  MhRunsPage *page = mh_window_get_runs_page (window);

  g_test_message ("waiting for %u runs", n);
  MH_TEST_WAIT_FOR (mh_runs_page_get_runs (page)->len == n
                    && mh_window_get_training_state (window) == MH_TRAINER_FINISHED
                    && ((MhRun *) mh_runs_page_get_runs (page)->pdata[n - 1])->state == MH_RUN_FINISHED);
  mh_test_pump (100);
}

static void
test_branch_repeat (void)
{
  g_autofree char *path = write_project ("shapes", "shapes-d", 2, NULL);
  MhWindow *window = new_window (1280, 720);
  MhTrainingPanel *panel = mh_window_get_training_panel (window);
  MhRunsPage *page = mh_window_get_runs_page (window);
  g_autoptr (MhTrainLog) log = NULL;
  g_autofree char *text = NULL, *bad = NULL, *trash = NULL;
  GtkWidget *row;
  MhRun *run;

  open_project (window, path);
  train (window);
  mh_training_panel_show_page (panel, "runs");

  /* a branch from epoch 1 with the attributes head deleted, from the run's menu */
  delete_head (window, "attributes");
  g_assert_cmpstr (mh_training_panel_get_caption (panel), ==, "run 1, before your edit");
  row = row_of (page, "1");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (row, "row.branch", "i", 1));
  wait_idle_with_runs (window, 2);
  run = mh_runs_page_find (page, "2");
  g_assert_cmpstr (run->parent_id, ==, "1");
  g_assert_cmpint (run->parent_epoch, ==, 1);
  g_assert_cmpint (run->n_heads, ==, 3);
  g_assert_cmpint (mh_run_find_head (run, "attributes"), <, 0);
  log = mh_run_load_metrics (run, NULL);
  g_assert_nonnull (log);
  /* its steps go on from the parent's: 8 steps an epoch, the branch's first is 9 */
  g_assert_cmpfloat (mh_train_log_get (log, 0, mh_train_log_find_column (log, "step")), ==, 9);
  g_assert_cmpstr (mh_training_panel_get_caption (panel), ==, "run 2");
  text = text_of (row_of (page, "2"));
  g_assert_nonnull (strstr (text, "branch of run 1 at epoch 1"));
  g_clear_pointer (&text, g_free);
  /* parent and branch overlaid */
  mh_runs_page_set_ticked (page, "1", TRUE);
  mh_runs_page_set_ticked (page, "2", TRUE);
  {
    MhPlotFigure *loss = mh_plot_get_figure (mh_compare_view_get_plot (mh_runs_page_get_compare (page), FALSE));
    int b = mh_plot_figure_find_series (loss, "2", "run 2 · shape");
    g_assert_cmpint (b, >=, 0);
    g_assert_cmpfloat (g_array_index (mh_plot_figure_get_series (loss, b)->points, MhPlotPoint, 0).x, ==, 9);
    g_assert_cmpint (mh_plot_figure_find_series (loss, "1", "run 1 · attributes"), >=, 0);
  }

  /* delete, then Undo (the toast's action) */
  g_assert_true (gtk_widget_activate_action (row_of (page, "2"), "row.delete", NULL));
  g_assert_cmpuint (mh_runs_page_get_runs (page)->len, ==, 1);
  mh_test_pump (50);
  g_assert_null (row_of (page, "2"));
  trash = g_build_filename (mh_runs_page_get_store (page)->dir, ".trash-2", "run.json", NULL);
  g_assert_true (g_file_test (trash, G_FILE_TEST_IS_REGULAR));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-delete-run", "s", "2"));
  g_assert_cmpuint (mh_runs_page_get_runs (page)->len, ==, 2);
  g_assert_nonnull (row_of (page, "2"));

  /* rename (Rename… in the run's menu: a dialog) and pin */
  g_assert_true (gtk_widget_activate_action (row_of (page, "1"), "row.rename", NULL));
  MH_TEST_WAIT_FOR (find_dialog () != NULL);
  {
    AdwMessageDialog *dialog = find_dialog ();
    g_autoptr (MhRun) read = NULL;
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "  baseline ");
    adw_message_dialog_response (dialog, "rename");
    mh_test_pump (100);
    read = mh_run_read (mh_runs_page_find (page, "1")->dir);
    g_assert_cmpstr (read->name, ==, "baseline");
    g_assert_cmpstr (mh_runs_page_find (page, "1")->name, ==, "baseline");
    g_free (text);
    text = text_of (row_of (page, "1"));
    g_assert_nonnull (strstr (text, "baseline"));
    g_clear_pointer (&text, g_free);
  }
  {
    GtkToggleButton *pin = GTK_TOGGLE_BUTTON (find_child (row_of (page, "1"), GTK_TYPE_TOGGLE_BUTTON));
    g_autoptr (MhRun) read = NULL;
    gtk_toggle_button_set_active (pin, TRUE);
    mh_test_pump (50);
    read = mh_run_read (mh_runs_page_find (page, "1")->dir);
    g_assert_true (read->pinned);
  }

  /* Repeat With 3 Seeds: three runs of run 1's project, drawn with it as mean ± spread */
  g_assert_true (gtk_widget_activate_action (row_of (page, "1"), "row.repeat", NULL));
  wait_idle_with_runs (window, 5);
  for (int i = 3; i <= 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("%d", i);
      run = mh_runs_page_find (page, id);
      g_assert_cmpuint (run->seed, ==, mh_runs_page_find (page, "1")->seed + (guint32) (i - 2));
      g_assert_cmpint (mh_run_find_head (run, "attributes"), >=, 0);
      mh_runs_page_set_ticked (page, id, TRUE);
    }
  mh_runs_page_set_ticked (page, "2", FALSE);
  {
    MhPlotFigure *loss = mh_plot_get_figure (mh_compare_view_get_plot (mh_runs_page_get_compare (page), FALSE));
    g_assert_cmpint (mh_plot_figure_find_series (loss, "1", "baseline (mean of 4 seeds) · shape"), >=, 0);
    g_assert_cmpint (mh_plot_figure_find_series (loss, "3", "run 3 · shape"), <, 0);
    mh_runs_page_show_view (page, "compare");
    save_png (GTK_WIDGET (window), "ui-runs-seeds.png");
  }

  /* the retention rule, from the disk button's popover: the checkpoints of the last 2 runs and of pinned ones */
  {
    /* the first menu button, the rule's; its first spin button: how many runs keep their checkpoints */
    GtkWidget *button = find_child (GTK_WIDGET (page), GTK_TYPE_MENU_BUTTON);
    GtkSpinButton *keep;
    g_assert_nonnull (button);
    keep = GTK_SPIN_BUTTON (find_child (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))),
                                        GTK_TYPE_SPIN_BUTTON));
    g_assert_nonnull (keep);
    gtk_spin_button_set_value (keep, 2);
    mh_test_pump (50);
    g_assert_cmpint (mh_run_store_get_retention (mh_runs_page_get_store (page)).keep_checkpoints, ==, 2);
    g_assert_null (mh_run_find_checkpoint (mh_runs_page_find (page, "1"), -1)->problem);   /* pinned */
    g_assert_nonnull (mh_run_find_checkpoint (mh_runs_page_find (page, "2"), -1)->problem);
    g_assert_nonnull (strstr (mh_run_find_checkpoint (mh_runs_page_find (page, "3"), -1)->problem, "removed"));
    g_assert_null (mh_run_find_checkpoint (mh_runs_page_find (page, "5"), -1)->problem);
  }

  /* a run folder whose record is broken: listed, marked, with the reason; the others intact */
  bad = g_build_filename (mh_runs_page_get_store (page)->dir, "6", NULL);
  g_assert_cmpint (g_mkdir (bad, 0755), ==, 0);
  {
    g_autofree char *json = g_build_filename (bad, "run.json", NULL);
    g_assert_true (g_file_set_contents (json, "{ \"format\": 1, \"id\": ", -1, NULL));
  }
  mh_runs_page_reload (page);
  mh_runs_page_show_view (page, "list");
  mh_test_pump (300);
  g_assert_cmpuint (mh_runs_page_get_runs (page)->len, ==, 6);
  g_assert_cmpint (mh_runs_page_find (page, "6")->state, ==, MH_RUN_UNREADABLE);
  text = text_of (row_of (page, "6"));
  g_assert_nonnull (strstr (text, "run.json"));
  g_assert_cmpint (mh_runs_page_find (page, "1")->state, ==, MH_RUN_FINISHED);
  mh_runs_page_show_view (page, "list");
  save_png (GTK_WIDGET (window), "ui-runs-page.png");
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (100);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  fashion_dir = mh_test_fake_fashion_dir (tmp_dir, 256, 64, 5);
  g_test_add_func ("/ui/runs/clean-slate", test_clean_slate);
  g_test_add_func ("/ui/runs/runs", test_runs);
  g_test_add_func ("/ui/runs/transfer", test_transfer);
  g_test_add_func ("/ui/runs/branch-repeat", test_branch_repeat);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  g_free (fashion_dir);
  return status;
}
