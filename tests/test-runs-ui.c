/* test-runs-ui.c — under Xvfb (docs/testing.md): runs in the window.
 *
 * Opening project B after training A leaves nothing of A: no curve, card
 * answer, attention map, confusion matrix, caption or status (the widgets'
 * data, and a screenshot); the Runs page lists a project's runs (its
 * columns, rename, pin, delete and Undo); two runs ticked are overlaid per
 * head with the table of their figures and differences; the trade-off plot
 * places them; the epoch slider changes the cards' answers to those of that
 * epoch's checkpoint; Save Weights writes a file `eval` accepts; a branch
 * from an epoch with a head deleted; Repeat With 3 Seeds; a project's
 * "transfer" is applied in the window as `train` applies it, or refused
 * with the same message; a bad run folder is listed with its reason.
 * Screenshots: the Runs page, a comparison, the trade-off plot and the
 * slider (ui-runs-*.png in the build folder).  Measures (printed with
 * g_test_message): opening a project with 20 runs, the slider's latency
 * with 20 cards. */
#include <math.h>
#include <string.h>
#include <adwaita.h>
#include "mh-compare-view.h"
#include "mh-run-store.h"
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

  mh_test_pump (300);
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
same_answers (GArray *a, GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (float)) == 0;
}

static void
wait_answers_change (MhPredictions *board, GArray *before)
{
  gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr (GArray) now = answers (board);
      if (all_answered (board) && !same_answers (now, before))
        return;
      if (g_get_monotonic_time () > until)
        g_error ("the cards' answers did not change");
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (500);
    }
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

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  fashion_dir = mh_test_fake_fashion_dir (tmp_dir, 256, 64, 5);
  g_test_add_func ("/ui/runs/clean-slate", test_clean_slate);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  g_free (fashion_dir);
  return status;
}
