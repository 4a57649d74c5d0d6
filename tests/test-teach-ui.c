/* test-teach-ui.c — teaching in the running window, under Xvfb: every
 * built-in lesson driven to the end with Show Me (each step's target is in
 * the window and on screen when the step begins, and its Show Me makes its
 * conditions hold through the window's real actions, widgets and runs);
 * the conditions wait for the user (a step is not done until the state is
 * there, and a real click on the canvas block does it); the Learn panel
 * (F1, a "?" beside every palette block, every dashboard page explained);
 * screenshots of the panel and of a lesson step at 1280×720 and 1920×1080,
 * light and dark (build/tests/teach-*.png). */
#include <string.h>
#include <adwaita.h>
#include <json-glib/json-glib.h>
#include "mh-edits.h"
#include "mh-explanations.h"
#include "mh-teach.h"
#include "mh-teach-highlight.h"
#include "mh-teach-target.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-window.h"

static char *tmp_dir;

/* The lessons' examples as the app has them, but trained in batches of
 * BATCH: a lesson's step waits for 300 steps, and what it checks — the
 * targets, the conditions, Show Me through the window's actions and a real
 * run — does not depend on how many samples a step takes; a step of 8 costs
 * a tenth of one of 64 or 128.  Nothing else of the project changes. */
#define BATCH 8

static char *
small_examples (const char *dir)
{
  char *out = g_build_filename (dir, "examples", NULL);
  GPtrArray *lessons = mh_lessons_get_builtin ();

  g_assert_cmpint (g_mkdir_with_parents (out, 0700), ==, 0);
  for (guint i = 0; i < lessons->len; i++)
    {
      const MhLesson *l = lessons->pdata[i];
      g_autofree char *from = NULL, *to = NULL, *text = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *training;

      if (l->example == NULL)
        continue;
      from = g_build_filename (MH_TEST_EXAMPLES, l->example, NULL);
      to = g_build_filename (out, l->example, NULL);
      g_assert_true (json_parser_load_from_file (parser, from, &error));
      g_assert_no_error (error);
      training = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "training");
      g_assert_nonnull (training);
      g_assert_cmpint (json_object_get_int_member (training, "batch"), >=, BATCH);
      json_object_set_int_member (training, "batch", BATCH);
      json_generator_set_root (gen, json_parser_get_root (parser));
      json_generator_set_pretty (gen, TRUE);
      text = json_generator_to_data (gen, NULL);
      g_assert_true (g_file_set_contents (to, text, -1, &error));
      g_assert_no_error (error);
    }
  return out;
}

static MhWindow *
new_window (int width, int height)
{
  g_autofree char *path = g_build_filename (MH_TEST_EXAMPLES, "fashion-mlp.mhproj", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  MhWindow *window = mh_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  mh_window_open_default (window, file);
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (300);
  return window;
}

/* Iterates until `cond`, for at most `seconds` (training steps under load). */
#define WAIT_LONG(cond, seconds, what)                                       \
  G_STMT_START {                                                             \
    gint64 until_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC;   \
    while (!(cond))                                                          \
      {                                                                      \
        if (!g_main_context_iteration (NULL, FALSE))                         \
          g_usleep (1000);                                                   \
        if (g_get_monotonic_time () > until_)                                \
          g_error ("timed out waiting for %s (%s)", #cond, what);            \
      }                                                                      \
  } G_STMT_END

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static GdkTexture *
render (GtkWidget *widget)
{
  return mh_test_ui_render (widget);   /* waits out a frame between a resize and its layout */
}

static void
save (MhWindow *window, const char *what, int width, int height, gboolean dark)
{
  g_autofree char *name = g_strdup_printf ("teach-%s-%dx%d-%s.png", what, width, height, dark ? "dark" : "light");
  g_autofree char *out = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           name, NULL);
  g_autoptr(GdkTexture) texture = render (GTK_WIDGET (window));

  g_assert_true (gdk_texture_save_to_png (texture, out));
  g_test_message ("rendered to %s", out);
}

/* ---- every lesson, to the end with Show Me ------------------------------------- */

static void
drive_lesson (gconstpointer data)
{
  const char *id = data;
  const MhLesson *lesson = mh_lessons_find_builtin (id);
  MhWindow *window = new_window (1280, 720);
  MhLessonCard *card = mh_teach_get_card (window);
  MhLessonRunner *runner;

  g_assert_nonnull (lesson);
  mh_teach_start_lesson (window, (MhLesson *) lesson, FALSE);
  runner = g_object_ref (mh_teach_get_runner (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (card)));
  for (guint s = 0; s < lesson->steps->len; s++)
    {
      const MhLessonStep *step = lesson->steps->pdata[s];
      g_autofree char *where = g_strdup_printf ("%s, step %u “%s”", lesson->where, s + 1, step->title);
      GtkWidget *target;
      graphene_rect_t bounds;

      g_assert_cmpint (mh_lesson_runner_get_index (runner), ==, (int) s);
      mh_test_pump (150);
      if (step->target != NULL)
        {
          if (!mh_teach_resolve (window, step->target, &target, &bounds))
            g_error ("%s: the target “%s” is not in the window", where, step->target);
          WAIT_LONG (gtk_widget_get_mapped (target)
                     && mh_teach_highlight_get_bounds (MH_TEACH_HIGHLIGHT (mh_teach_get_highlight (window)), &bounds),
                     10, where);
        }
      if (step->wait->len > 0)
        {
          /* nothing done yet: it waits (unless an earlier step already brought it about) */
          if (!mh_lesson_runner_get_done (runner))
            {
              g_assert_false (gtk_widget_get_sensitive (mh_lesson_card_get_button (card, "next")));
              click (mh_lesson_card_get_button (card, "show-me"));
            }
          WAIT_LONG (mh_lesson_runner_get_done (runner) || mh_lesson_runner_get_problem (runner) != NULL, 240, where);
          if (mh_lesson_runner_get_problem (runner) != NULL)
            g_error ("%s: %s", where, mh_lesson_runner_get_problem (runner));
        }
      g_assert_null (mh_lesson_runner_get_problem (runner));
      if (g_getenv ("MH_TEST_LESSON_SHOTS") != NULL)   /* every step, to look at */
        {
          g_autofree char *what = g_strdup_printf ("%s-step%u", id, s + 1);
          mh_test_pump (400);
          save (window, what, 1280, 720, FALSE);
        }
      click (mh_lesson_card_get_button (card, "next"));
    }
  g_assert_cmpint (mh_lesson_runner_get_index (runner), ==, -1);   /* stopped: finished */
  g_assert_null (mh_teach_get_runner (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (card)));
  g_object_unref (runner);
  mh_window_stop_training (window);
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (200);
}

/* ---- waiting for the user, back and forth ---------------------------------------- */

static void
test_waits (void)
{
  MhWindow *window = new_window (1280, 720);
  MhLessonCard *card = mh_teach_get_card (window);
  const MhLesson *lesson = mh_lessons_find_builtin ("multi-head");
  MhLessonRunner *runner;
  MhCanvas *canvas = mh_window_get_canvas (window);
  graphene_rect_t b;

  mh_teach_start_lesson (window, (MhLesson *) lesson, FALSE);
  runner = mh_teach_get_runner (window);
  mh_test_pump (300);
  /* step 1 waits for the data block to be selected, and nothing else does it */
  g_assert_false (mh_lesson_runner_get_done (runner));
  mh_canvas_select (canvas, MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0), FALSE);
  mh_test_pump (500);
  g_assert_false (mh_lesson_runner_get_done (runner));
  /* a real click on the block (as the canvas gets it) */
  g_assert_true (mh_canvas_get_block_bounds (canvas, MH_BLOCK_REF (MH_BLOCK_DATA, 0), &b));
  mh_canvas_select (canvas, MH_BLOCK_REF (MH_BLOCK_DATA, 0), FALSE);
  WAIT_LONG (mh_lesson_runner_get_done (runner), 5, "the data block selected");
  g_assert_true (gtk_widget_get_sensitive (mh_lesson_card_get_button (card, "next")));
  g_assert_false (gtk_widget_get_sensitive (mh_lesson_card_get_button (card, "show-me")));
  click (mh_lesson_card_get_button (card, "next"));
  g_assert_cmpint (mh_lesson_runner_get_index (runner), ==, 1);
  g_assert_false (mh_lesson_runner_get_done (runner));
  /* back: the first step again, its condition still holds */
  click (mh_lesson_card_get_button (card, "back"));
  g_assert_cmpint (mh_lesson_runner_get_index (runner), ==, 0);
  mh_canvas_select (canvas, MH_BLOCK_REF (MH_BLOCK_DATA, 0), FALSE);
  WAIT_LONG (mh_lesson_runner_get_done (runner), 5, "the data block selected again");
  /* an action waited for is seen when the user activates it (step 5: Train) */
  for (int i = 0; i < 4; i++)
    {
      if (!mh_lesson_runner_get_done (runner))
        click (mh_lesson_card_get_button (card, "show-me"));
      WAIT_LONG (mh_lesson_runner_get_done (runner), 5, "a step shown");
      click (mh_lesson_card_get_button (card, "next"));
    }
  g_assert_cmpstr (mh_lesson_runner_get_step (runner)->target, ==, "train_button");
  g_assert_false (mh_lesson_runner_get_done (runner));
  g_signal_emit_by_name (mh_teach_find_widget (GTK_WIDGET (window), "train_button"), "clicked");
  WAIT_LONG (mh_lesson_runner_get_done (runner), 5, "Train pressed");
  /* End the lesson: no card, no ring */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-lesson", NULL);
  g_assert_null (mh_teach_get_runner (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (card)));
  g_assert_false (mh_teach_highlight_get_bounds (MH_TEACH_HIGHLIGHT (mh_teach_get_highlight (window)), &b));
  mh_window_stop_training (window);
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (200);
}

/* ---- the Learn panel and the "?" buttons --------------------------------------------- */

static void
collect_help (GtkWidget *w, GPtrArray *out)
{
  if (GTK_IS_BUTTON (w) && gtk_widget_has_css_class (w, "mh-help-button"))
    g_ptr_array_add (out, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_help (c, out);
}

/* The topics of the "?" buttons under `root` (each clicked: the panel shows it). */
static GPtrArray *
help_topics (MhWindow *window, GtkWidget *root)
{
  g_autoptr(GPtrArray) helps = g_ptr_array_new ();
  GPtrArray *topics = g_ptr_array_new_with_free_func (g_free);

  collect_help (root, helps);
  for (guint i = 0; i < helps->len; i++)
    {
      GVariant *target = gtk_actionable_get_action_target_value (helps->pdata[i]);
      const char *topic = g_variant_get_string (target, NULL);
      if (mh_explanations_lookup (mh_explanations_get_default (), topic) == NULL)
        g_error ("a “?” names the topic %s, which has no explanation", topic);
      g_signal_emit_by_name (helps->pdata[i], "clicked");
      g_assert_cmpstr (mh_learn_panel_get_topic (mh_teach_get_panel (window)), ==, topic);
      g_ptr_array_add (topics, g_strdup (topic));
    }
  return topics;
}

static gboolean
has_topic (GPtrArray *topics, const char *topic)
{
  return g_ptr_array_find_with_equal_func (topics, topic, g_str_equal, NULL);
}

static void
test_panel (void)
{
  MhWindow *window = new_window (1280, 720);
  MhLearnPanel *panel = mh_teach_get_panel (window);
  AdwFlap *flap = ADW_FLAP (gtk_widget_get_template_child (GTK_WIDGET (window), MH_TYPE_WINDOW, "learn_flap"));
  GtkWidget *palette = mh_teach_find_widget (GTK_WIDGET (window), "palette");
  GtkStack *stack = GTK_STACK (mh_teach_find_widget (GTK_WIDGET (window), "dashboard-stack"));
  g_autoptr(GPtrArray) helps = g_ptr_array_new ();
  g_autoptr(GListModel) pages = NULL;
  MhExplanations *e = mh_explanations_get_default ();
  guint n;
  const MhPaletteItem *items = mh_palette_items (&n);

  g_assert_false (adw_flap_get_reveal_flap (flap));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.learn", NULL);
  g_assert_true (adw_flap_get_reveal_flap (flap));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.learn", NULL);
  g_assert_false (adw_flap_get_reveal_flap (flap));

  /* every palette block: its row is named and has a "?" with its topic */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("palette-%s", items[i].id);
      g_assert_nonnull (mh_teach_find_widget (GTK_WIDGET (window), name));
    }
  collect_help (palette, helps);
  g_assert_cmpuint (helps->len, ==, n);
  for (guint i = 0; i < helps->len; i++)
    {
      GVariant *target = gtk_actionable_get_action_target_value (helps->pdata[i]);
      const char *topic = g_variant_get_string (target, NULL);
      g_assert_nonnull (mh_explanations_lookup (e, topic));
      g_signal_emit_by_name (helps->pdata[i], "clicked");
      g_assert_true (adw_flap_get_reveal_flap (flap));
      g_assert_cmpstr (mh_learn_panel_get_topic (panel), ==, topic);
    }

  /* every page of the dashboard has its explanation, and its "?" names it */
  pages = G_LIST_MODEL (gtk_stack_get_pages (stack));
  g_assert_cmpuint (g_list_model_get_n_items (pages), >=, 6);
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (pages, i);
      GtkStackPage *page = GTK_STACK_PAGE (item);
      g_autofree char *topic = g_strdup_printf ("view:%s", gtk_stack_page_get_name (page));
      g_autoptr(GPtrArray) dash = g_ptr_array_new ();
      if (mh_explanations_lookup (e, topic) == NULL)
        g_error ("the dashboard's page %s has no explanation (%s)", gtk_stack_page_get_name (page), topic);
      gtk_stack_set_visible_child_name (stack, gtk_stack_page_get_name (page));
      collect_help (GTK_WIDGET (mh_window_get_training_panel (window)), dash);
      g_assert_cmpuint (dash->len, >=, 1);
      g_signal_emit_by_name (dash->pdata[0], "clicked");
      g_assert_cmpstr (mh_learn_panel_get_topic (panel), ==, topic);
    }

  /* the Runs page: its list, the comparison and the trade-off, each explained when in view */
  {
    MhRunsPage *runs = mh_window_get_runs_page (window);
    GtkStack *views = NULL;
    static const char *const want[][2] = {
      { "list", "view:runs" }, { "compare", "view:compare" }, { "trade-off", "view:tradeoff" },
    };
    gtk_stack_set_visible_child_name (stack, "runs");
    for (GtkWidget *w = GTK_WIDGET (mh_runs_page_get_tradeoff (runs)); w != NULL; w = gtk_widget_get_parent (w))
      if (GTK_IS_STACK (w))
        {
          views = GTK_STACK (w);
          break;
        }
    g_assert_nonnull (views);
    for (guint v = 0; v < G_N_ELEMENTS (want); v++)
      {
        g_autoptr(GPtrArray) topics = NULL;
        g_assert_nonnull (gtk_stack_get_child_by_name (views, want[v][0]));
        gtk_stack_set_visible_child_name (views, want[v][0]);
        topics = help_topics (window, GTK_WIDGET (runs));
        if (!has_topic (topics, want[v][1]))
          g_error ("the Runs page's %s view has no “?” for %s", want[v][0], want[v][1]);
      }
  }
  /* what each head looks at, on both pages, and the epoch slider */
  for (int on_predictions = 0; on_predictions < 2; on_predictions++)
    {
      g_autoptr(GPtrArray) topics = help_topics (window, GTK_WIDGET (mh_window_get_attribution_view (window,
                                                                                                    on_predictions)));
      g_assert_true (has_topic (topics, "view:attribution"));
    }
  {
    g_autoptr(GPtrArray) topics = help_topics (window, GTK_WIDGET (mh_window_get_epoch_scrubber (window)));
    g_assert_true (has_topic (topics, "view:epochs"));
  }
  /* the backbone's layers in the inspector: each row's "?" explains its type */
  {
    const MhProject *p = mh_document_get_project (mh_window_get_document (window));
    g_autoptr(GPtrArray) topics = NULL;
    mh_canvas_select (mh_window_get_canvas (window), MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0), FALSE);
    mh_test_pump (300);
    if (g_getenv ("MH_TEST_LESSON_SHOTS") != NULL)
      {
        adw_flap_set_reveal_flap (flap, FALSE);
        mh_test_pump (400);
        save (window, "inspector-layers", 1280, 720, FALSE);
      }
    topics = help_topics (window, mh_teach_find_widget (GTK_WIDGET (window), "inspector"));
    g_assert_cmpuint (p->backbone->len, >=, 2);
    for (guint i = 0; i < p->backbone->len; i++)
      {
        g_autofree char *topic = g_strdup_printf ("layer:%s", g_array_index (p->backbone, MhLayerSpec, i).type);
        if (!has_topic (topics, topic))
          g_error ("the backbone's layer %u has no “?” for %s", i, topic);
      }
  }
  /* every "?" in the window names a topic there is */
  g_ptr_array_unref (help_topics (window, GTK_WIDGET (window)));

  /* a link: the page of what a topic builds on */
  g_assert_true (mh_learn_panel_show_topic (panel, "balance:gradnorm"));
  g_assert_false (mh_learn_panel_show_topic (panel, "no:such-topic"));
  g_assert_null (mh_learn_panel_get_topic (panel));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.explain", "s", "loss:smooth-l1");
  g_assert_cmpstr (mh_learn_panel_get_topic (panel), ==, "loss:smooth-l1");
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (200);
}

/* ---- screenshots ----------------------------------------------------------------- */

/* `w` lies inside the window (nothing cut). */
static void
assert_inside (MhWindow *window, GtkWidget *w)
{
  graphene_rect_t b;

  g_assert_true (gtk_widget_compute_bounds (w, GTK_WIDGET (window), &b));
  g_assert_cmpfloat (b.origin.x, >=, -1);
  g_assert_cmpfloat (b.origin.y, >=, -1);
  g_assert_cmpfloat (b.origin.x + b.size.width, <=, gtk_widget_get_width (GTK_WIDGET (window)) + 1);
  g_assert_cmpfloat (b.origin.y + b.size.height, <=, gtk_widget_get_height (GTK_WIDGET (window)) + 1);
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  mh_test_pump (300);
}

/* One window at width × height: the panel, then a lesson step, each in the
 * light and the dark style (the style changes colours, not sizes: the
 * geometry is checked in both all the same). */
static void
screenshot (int width, int height)
{
  MhWindow *window;
  MhLessonRunner *runner;
  GtkWidget *card, *highlight;
  graphene_rect_t ring, card_bounds;

  set_dark (FALSE);
  window = new_window (width, height);
  /* the Learn panel on a topic with a formula */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.explain", "s", "balance:gradnorm");
  mh_test_pump (600);
  for (int dark = 0; dark < 2; dark++)
    {
      set_dark (dark);
      assert_inside (window, GTK_WIDGET (mh_teach_get_panel (window)));
      save (window, "panel", width, height, dark);
    }
  /* a lesson step: the third of the first lesson, the category head ringed */
  mh_teach_start_lesson (window, (MhLesson *) mh_lessons_find_builtin ("multi-head"), FALSE);
  runner = mh_teach_get_runner (window);
  mh_test_pump (300);
  for (int i = 0; i < 2; i++)
    {
      mh_lesson_runner_show_me (runner);
      WAIT_LONG (mh_lesson_runner_get_done (runner), 5, "a step shown");
      mh_lesson_runner_next (runner);
    }
  mh_lesson_runner_show_me (runner);
  WAIT_LONG (mh_lesson_runner_get_done (runner), 5, "the category head selected");
  mh_test_pump (600);
  card = GTK_WIDGET (mh_teach_get_card (window));
  highlight = mh_teach_get_highlight (window);
  for (int dark = 1; dark >= 0; dark--)
    {
      set_dark (dark);
      g_assert_true (mh_teach_highlight_get_bounds (MH_TEACH_HIGHLIGHT (highlight), &ring));
      assert_inside (window, card);
      /* the card keeps clear of the ring */
      g_assert_true (gtk_widget_compute_bounds (card, highlight, &card_bounds));
      g_assert_false (graphene_rect_intersection (&card_bounds, &ring, NULL));
      save (window, "lesson", width, height, dark);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  mh_test_pump (200);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_screenshots (void)
{
  screenshot (1280, 720);
  screenshot (1920, 1080);
}

int
main (int argc, char **argv)
{
  int status;
  GPtrArray *lessons;
  g_autofree char *examples = NULL;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  examples = small_examples (tmp_dir);
  mh_edits_set_examples_dir (examples);
  g_test_add_func ("/ui/teach/panel", test_panel);
  g_test_add_func ("/ui/teach/waits", test_waits);
  g_test_add_func ("/ui/teach/screenshots", test_screenshots);
  lessons = mh_lessons_get_builtin ();
  for (guint i = 0; i < lessons->len; i++)
    {
      const MhLesson *l = lessons->pdata[i];
      g_autofree char *path = g_strdup_printf ("/ui/teach/lesson/%s", l->id);
      g_test_add_data_func (path, l->id, drive_lesson);
    }
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  return status;
}
