/* test-layout-ui.c — a layout that holds still, under Xvfb: at the
 * window's minimum size and at 1280×720, before, during and after training,
 * every label shows its whole text (or is ellipsized with the text in a
 * tooltip, and a wrapped one breaks between words), no widget leaves the
 * window, the palette and the dashboard stay where they are; F6 steps with
 * the focus on the canvas (a real key press, xdotool); the add-layer menu
 * shows "patch_embed"; the window rendered at 1280×720 and 1920×1080, light
 * and dark (build/tests/ui-layout-*.png). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include "mh-palette.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-window.h"

static char *tmp_dir;

static const char *tiny_json =
  "{ \"format\": 1, \"name\": \"a project with a rather long name for a class demo\","
  "  \"dataset\": { \"kind\": \"fashion-mnist\", \"path\": \"DIR\", \"validation\": 64 },"
  "  \"backbone\": { \"kind\": \"cnn\", \"layers\": [ { \"type\": \"conv2d\", \"filters\": 4, \"kernel\": 3, \"padding\": 1 },"
  "    { \"type\": \"relu\" }, { \"type\": \"maxpool\", \"size\": 2 }, { \"type\": \"flatten\" },"
  "    { \"type\": \"dense\", \"units\": 16 }, { \"type\": \"relu\" } ] },"
  "  \"heads\": ["
  "    { \"name\": \"category\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] },"
  "    { \"name\": \"group\", \"target\": \"group\", \"layers\": [ { \"type\": \"dense\" } ] },"
  "    { \"name\": \"upper\", \"target\": \"upper\", \"layers\": [ { \"type\": \"dense\" } ] } ],"
  "  \"optimizer\": { \"kind\": \"adam\", \"lr\": 0.01 },"
  "  \"training\": { \"batch\": 16, \"epochs\": 400, \"seed\": 3 } }";

static MhWindow *
tiny_window (int width, int height)
{
  g_autoptr(GString) json = g_string_new (tiny_json);
  g_autofree char *path = g_build_filename (tmp_dir, "tiny.mhproj", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MhWindow *window = mh_window_new (NULL);

  g_string_replace (json, "DIR", tmp_dir, 1);
  g_assert_true (g_file_set_contents (path, json->str, -1, NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  g_assert_true (mh_window_open_file (window, file, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (400);
  return window;
}

static int
last_step (MhWindow *window)
{
  const MhTrainerEvent *e = mh_window_get_training_event (window);

  return e != NULL ? e->step : 0;
}

/* ---- walking the widget tree ------------------------------------------- */

static gboolean
tooltip_has (GtkWidget *w, const char *text)
{
  for (int up = 0; w != NULL && up < 4; up++, w = gtk_widget_get_parent (w))
    {
      const char *tip = gtk_widget_get_tooltip_text (w);
      if (tip != NULL && strstr (tip, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* A wrapped line that ends inside a word (Pango hyphenates it). */
static gboolean
breaks_a_word (PangoLayout *layout)
{
  const char *text = pango_layout_get_text (layout);
  GSList *lines = pango_layout_get_lines_readonly (layout);

  for (GSList *l = lines; l != NULL && l->next != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;
      int end = line->start_index + line->length;
      if (end > 0 && text[end] != '\0' && g_ascii_isalnum (text[end - 1]) && g_ascii_isalnum (text[end]))
        return TRUE;
    }
  return FALSE;
}

static void
check_tree (GtkWidget *w, GtkWidget *window, gboolean scrolled, GString *bad)
{
  int width = gtk_widget_get_width (window), height = gtk_widget_get_height (window);
  graphene_rect_t b;

  if (!gtk_widget_get_mapped (w) || (GTK_IS_NATIVE (w) && w != window))
    return;
  if (!scrolled && w != window && gtk_widget_compute_bounds (w, window, &b) && b.size.width > 0 && b.size.height > 0
      && (b.origin.x < -1 || b.origin.y < -1 || b.origin.x + b.size.width > width + 1
          || b.origin.y + b.size.height > height + 1))
    g_string_append_printf (bad, "  %s leaves the window (%.0f,%.0f %.0f×%.0f in %d×%d)\n",
                            G_OBJECT_TYPE_NAME (w), b.origin.x, b.origin.y, b.size.width, b.size.height,
                            width, height);
  if (GTK_IS_LABEL (w) && *gtk_label_get_text (GTK_LABEL (w)) != '\0')
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (w));
      const char *text = gtk_label_get_text (GTK_LABEL (w));
      int lw, lh;

      pango_layout_get_pixel_size (layout, &lw, &lh);
      if (pango_layout_is_ellipsized (layout))
        {
          if (!tooltip_has (w, text))
            g_string_append_printf (bad, "  “%s” is ellipsized with no tooltip\n", text);
        }
      else if (lw > gtk_widget_get_width (w) + 1 || lh > gtk_widget_get_height (w) + 1)
        g_string_append_printf (bad, "  “%s” is cut (%d×%d in %d×%d)\n", text, lw, lh,
                                gtk_widget_get_width (w), gtk_widget_get_height (w));
      else if (breaks_a_word (layout))
        g_string_append_printf (bad, "  “%s” breaks a word across lines\n", text);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      /* a paned's pane that may shrink is clipped by the paned, as a scrolled window's child is */
      gboolean clipped = GTK_IS_PANED (w)
                         && ((c == gtk_paned_get_start_child (GTK_PANED (w)) && gtk_paned_get_shrink_start_child (GTK_PANED (w)))
                             || (c == gtk_paned_get_end_child (GTK_PANED (w)) && gtk_paned_get_shrink_end_child (GTK_PANED (w))));
      check_tree (c, window, scrolled || clipped || GTK_IS_SCROLLED_WINDOW (w), bad);
    }
}

/* MH_TEST_DEBUG_WIDTHS=N: the minimums of N pixels and more (heights with
 * MH_TEST_DEBUG_HEIGHTS=1), to find what widens the window. */
static void
print_widths (GtkWidget *w, int depth)
{
  int min, nat;

  if (!gtk_widget_get_visible (w) || depth > 40)
    return;
  gtk_widget_measure (w, g_getenv ("MH_TEST_DEBUG_HEIGHTS") ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL,
                      -1, &min, &nat, NULL, NULL);
  if (min >= atoi (g_getenv ("MH_TEST_DEBUG_WIDTHS")))
    g_printerr ("%*s%s %s min %d %.40s\n", depth, "", G_OBJECT_TYPE_NAME (w), gtk_widget_get_css_name (w), min,
                GTK_IS_LABEL (w) ? gtk_label_get_text (GTK_LABEL (w)) : "");
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    print_widths (c, depth + 1);
}

/* The widgets whose minimum width (height) is at least `floor` and more than
 * any child's: what makes the window wide (tall). */
static void
widest (GtkWidget *w, GtkOrientation o, int floor, int depth, GString *out)
{
  int min, child_max = 0;

  if (!gtk_widget_get_visible (w))
    return;
  gtk_widget_measure (w, o, -1, &min, NULL, NULL, NULL);
  if (min < floor)
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int cmin = 0;
      if (gtk_widget_get_visible (c))
        gtk_widget_measure (c, o, -1, &cmin, NULL, NULL, NULL);
      child_max = MAX (child_max, cmin);
      widest (c, o, floor, depth + 1, out);
    }
  if (min > child_max + 24)
    {
      const char *name = gtk_widget_get_name (w);
      gboolean named = !g_str_has_prefix (name, "Gtk") && !g_str_has_prefix (name, "Mh") && !g_str_has_prefix (name, "Adw");
      g_string_append_printf (out, "    %*s%s%s%s%s%.60s%s (min %d, widest child %d)\n", depth, "",
                              G_OBJECT_TYPE_NAME (w),
                              named ? " #" : "", named ? name : "", GTK_IS_LABEL (w) ? " “" : "",
                              GTK_IS_LABEL (w) ? gtk_label_get_text (GTK_LABEL (w)) : "", GTK_IS_LABEL (w) ? "”" : "",
                              min, child_max);
    }
}

/* The window's minimum size fits a 1280×720 screen: every page of the
 * dashboard's stack counts (a stack is as wide as its widest page). */
static void
check_fits_screen (MhWindow *window, const char *when, GString *bad)
{
  int min_w, min_h;

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, 1280, &min_h, NULL, NULL, NULL);
  if (min_w > 1280 || min_h > 688)
    {
      g_string_append_printf (bad, "  %s: the window needs at least %d×%d (a 1280×720 screen, less a panel: "
                              "1280×688); the widest parts:\n", when, min_w, min_h);
      if (min_w > 1280)
        widest (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, 300, 0, bad);
      else
        widest (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, 150, 0, bad);
    }
}

typedef struct
{
  GtkWidget *window;
  GString   *bad;
  gboolean   done;
} LayoutCheck;

/* Checked right after a frame is painted: what the user sees, laid out,
 * not a tree halfway between an update and its layout. */
static void
after_paint (GdkFrameClock *clock, LayoutCheck *c)
{
  if (c->done)
    return;
  check_tree (c->window, c->window, FALSE, c->bad);
  c->done = TRUE;
}

static void
check_layout (MhWindow *window, const char *when)
{
  if (g_getenv ("MH_TEST_DEBUG_WIDTHS") != NULL)
    print_widths (GTK_WIDGET (window), 0);
  g_autoptr(GString) bad = g_string_new (NULL);
  LayoutCheck c = { GTK_WIDGET (window), bad, FALSE };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), &c);

  check_fits_screen (window, when, bad);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  MH_TEST_WAIT_FOR (c.done);
  g_signal_handler_disconnect (clock, id);
  if (bad->len > 0)
    g_error ("%d×%d, %s:\n%s", gtk_widget_get_width (GTK_WIDGET (window)),
             gtk_widget_get_height (GTK_WIDGET (window)), when, bad->str);
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Before, during and after training, every page of the dashboard. */
static void
walk_training (int width, int height)
{
  MhWindow *window = tiny_window (width, height);
  MhTrainingPanel *panel = mh_window_get_training_panel (window);
  GtkWidget *palette = find_type (GTK_WIDGET (window), MH_TYPE_PALETTE);
  static const char *const pages[] = { "loss", "metrics", "conflict", "predictions", "attention", "confusion" };
  graphene_rect_t palette_before, palette_during, panel_before, panel_during;

  check_layout (window, "before training");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, MAX (width, 1280));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, MAX (height, 720));
  g_assert_true (gtk_widget_compute_bounds (palette, GTK_WIDGET (window), &palette_before));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (panel), GTK_WIDGET (window), &panel_before));
  mh_window_train (window);
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_RUNNING && last_step (window) > 20);
  mh_test_pump (300);
  if (g_getenv ("MH_TEST_DEBUG_WIDTHS") != NULL)
    print_widths (GTK_WIDGET (window), 0);
  /* nothing moved: the palette stays (inactive), the dashboard keeps its place */
  g_assert_true (gtk_widget_get_mapped (palette));
  g_assert_true (gtk_widget_compute_bounds (palette, GTK_WIDGET (window), &palette_during));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (panel), GTK_WIDGET (window), &panel_during));
  if (!graphene_rect_equal (&palette_before, &palette_during) || !graphene_rect_equal (&panel_before, &panel_during))
    g_error ("moved during training (%d×%d window): palette %g,%g %g×%g → %g,%g %g×%g; dashboard %g,%g %g×%g → %g,%g %g×%g",
             width, height,
             palette_before.origin.x, palette_before.origin.y, palette_before.size.width, palette_before.size.height,
             palette_during.origin.x, palette_during.origin.y, palette_during.size.width, palette_during.size.height,
             panel_before.origin.x, panel_before.origin.y, panel_before.size.width, panel_before.size.height,
             panel_during.origin.x, panel_during.origin.y, panel_during.size.width, panel_during.size.height);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *when = g_strdup_printf ("training, page %s", pages[i]);
      mh_training_panel_show_page (panel, pages[i]);
      mh_test_pump (250);
      check_layout (window, when);
    }
  mh_window_stop_training (window);
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_STOPPED);
  mh_test_pump (300);
  mh_training_panel_show_page (panel, "loss");
  mh_test_pump (200);
  check_layout (window, "after training");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- translations: German is about 30% longer ------------------------------ */

/* Every word of `text` 30% longer ("Loss" → "Losslo"): longer words are what
 * a wrapping label cannot break. */
static char *
longer (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start = p;
      glong n;

      if (!g_unichar_isalnum (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          g_string_append_len (out, start, p - start);
          continue;
        }
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      g_string_append_len (out, start, p - start);
      n = g_utf8_strlen (start, p - start);
      for (glong i = 0, extra = (n * 3 + 9) / 10; i < extra; i++)
        g_string_append_unichar (out, g_unichar_tolower (g_utf8_get_char (g_utf8_offset_to_pointer (start, i % n))));
    }
  return g_string_free (out, FALSE);
}

/* Every label of the tree, shown or not (the other pages of a stack count);
 * `was` gets each label and its text as it was, to put back. */
static void
lengthen_labels (GtkWidget *w, GPtrArray *was)
{
  if (GTK_IS_LABEL (w) && *gtk_label_get_text (GTK_LABEL (w)) != '\0')
    {
      g_autofree char *text = longer (gtk_label_get_text (GTK_LABEL (w)));
      g_ptr_array_add (was, g_object_ref (w));
      g_ptr_array_add (was, g_strdup (gtk_label_get_label (GTK_LABEL (w))));
      g_ptr_array_add (was, GINT_TO_POINTER (gtk_label_get_use_markup (GTK_LABEL (w))
                                             | gtk_label_get_use_underline (GTK_LABEL (w)) << 1));
      gtk_label_set_text (GTK_LABEL (w), text);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    lengthen_labels (c, was);
}

static void
restore_labels (GPtrArray *was)
{
  for (guint i = 0; i + 2 < was->len; i += 3)
    {
      GtkLabel *label = was->pdata[i];
      int flags = GPOINTER_TO_INT (was->pdata[i + 2]);
      gtk_label_set_use_markup (label, flags & 1);
      gtk_label_set_use_underline (label, (flags & 2) != 0);
      gtk_label_set_label (label, was->pdata[i + 1]);
      g_object_unref (label);
      g_free (was->pdata[i + 1]);
    }
}

static void
check_longer_texts (MhWindow *window, const char *when)
{
  g_autoptr(GString) bad = g_string_new (NULL);
  g_autoptr(GPtrArray) was = g_ptr_array_new ();
  g_autofree char *what = NULL;
  guint n;

  lengthen_labels (GTK_WIDGET (window), was);
  n = was->len / 3;
  g_assert_cmpuint (n, >, 50);
  what = g_strdup_printf ("%s, %u labels 30%% longer", when, n);
  if (g_getenv ("MH_TEST_DEBUG_WIDTHS") != NULL)
    print_widths (GTK_WIDGET (window), 0);
  check_fits_screen (window, what, bad);   /* no main loop turn: no label is set again in between */
  restore_labels (was);
  if (bad->len > 0)
    g_error ("%s", bad->str);
}

static void
test_longer_texts (void)
{
  MhWindow *window = tiny_window (1280, 720);

  check_longer_texts (window, "before training");
  mh_window_train (window);
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_RUNNING && last_step (window) > 20);
  mh_test_pump (300);
  check_longer_texts (window, "training");
  mh_window_stop_training (window);
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_STOPPED);
  mh_test_pump (200);
  check_longer_texts (window, "after training");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- the dashboard's pages: tabs, or a drop-down where they do not fit ------ */

static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
visible_page (MhWindow *window)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find_named (GTK_WIDGET (window), "dashboard-stack")));
}

static void
test_page_menu (void)
{
  MhWindow *wide = tiny_window (1920, 1000), *narrow;
  GtkWidget *menu, *tabs;
  GListModel *pages;
  guint runs = GTK_INVALID_LIST_POSITION;

  /* room enough: the tabs, the drop-down not shown */
  g_assert_true (gtk_widget_get_mapped (find_named (GTK_WIDGET (wide), "dashboard-switcher")));
  g_assert_false (gtk_widget_get_mapped (find_named (GTK_WIDGET (wide), "dashboard-page-menu")));
  gtk_window_destroy (GTK_WINDOW (wide));

  /* the window at its minimum: the same pages in a drop-down, which follows the stack and leads it */
  narrow = tiny_window (1, 1);
  menu = find_named (GTK_WIDGET (narrow), "dashboard-page-menu");
  tabs = find_named (GTK_WIDGET (narrow), "dashboard-switcher");
  g_assert_true (gtk_widget_get_mapped (menu));
  g_assert_false (gtk_widget_get_mapped (tabs));
  pages = gtk_drop_down_get_model (GTK_DROP_DOWN (menu));
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 7);
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(GObject) page = g_list_model_get_item (pages, i);
      if (g_strcmp0 (gtk_stack_page_get_name (GTK_STACK_PAGE (page)), "runs") == 0)
        runs = i;
    }
  g_assert_cmpuint (runs, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (menu), runs);
  mh_test_pump (100);
  g_assert_cmpstr (visible_page (narrow), ==, "runs");
  mh_training_panel_show_page (mh_window_get_training_panel (narrow), "conflict");
  mh_test_pump (100);
  {
    g_autoptr(GObject) shown = g_list_model_get_item (pages, gtk_drop_down_get_selected (GTK_DROP_DOWN (menu)));
    g_assert_cmpstr (gtk_stack_page_get_name (GTK_STACK_PAGE (shown)), ==, "conflict");
  }
  check_layout (narrow, "the page drop-down");
  gtk_window_destroy (GTK_WINDOW (narrow));
}

/* ---- no layout loop: at rest the window is not laid out again every frame ----- */

static void
count_layout (GdkFrameClock *clock, int *n)
{
  (*n)++;
}

static gboolean
keep_ticking (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  (*(int *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Layouts and frames in `ms` of frames running (a tick callback keeps the clock going). */
static void
count_layouts (MhWindow *window, guint ms, int *layouts, int *frames)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gulong id = g_signal_connect (clock, "layout", G_CALLBACK (count_layout), layouts);
  guint tick = gtk_widget_add_tick_callback (GTK_WIDGET (window), keep_ticking, frames, NULL);

  *layouts = *frames = 0;
  mh_test_pump (ms);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick);
  g_signal_handler_disconnect (clock, id);
}

static void
test_layout_rests (void)
{
  int sizes[][2] = { { 1, 1 }, { 1280, 720 }, { 1920, 1000 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      MhWindow *window = tiny_window (sizes[i][0], sizes[i][1]);
      int layouts, frames;

      mh_test_pump (300);
      count_layouts (window, 1000, &layouts, &frames);
      g_test_message ("%d×%d at rest: %d layouts in %d frames", sizes[i][0], sizes[i][1], layouts, frames);
      g_assert_cmpint (frames, >, 10);
      g_assert_cmpint (layouts, <=, frames / 4);
      mh_window_train (window);
      MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_RUNNING && last_step (window) > 10);
      count_layouts (window, 1000, &layouts, &frames);
      g_test_message ("%d×%d training: %d layouts in %d frames", sizes[i][0], sizes[i][1], layouts, frames);
      g_assert_cmpint (layouts, <=, frames / 2);
      mh_window_stop_training (window);
      MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_STOPPED);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* ---- the default size ------------------------------------------------------ */

static void
test_default_size (void)
{
  static const struct { int monitor_w, monitor_h, want_w, want_h, w, h; } cases[] = {
    { 1280, 720, 1360, 840, 1240, 688 },     /* a small laptop or a projector: within it */
    { 1920, 1080, 1360, 840, 1360, 840 },    /* room enough: as saved */
    { 3840, 2160, 1360, 840, 1360, 840 },    /* not a 4K window */
    { 1024, 600, 1360, 840, 992, 568 },
    { 800, 480, 300, 200, 640, 480 },        /* a saved size too small for anything */
    { 0, 0, 1360, 840, 1360, 840 },          /* no monitor known */
  };
  g_autoptr(GdkMonitor) monitor = NULL;
  MhWindow *window;
  GdkRectangle geometry;
  int w, h;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      w = cases[i].want_w, h = cases[i].want_h;
      mh_window_size_for_monitor (cases[i].monitor_w, cases[i].monitor_h, &w, &h);
      g_assert_cmpint (w, ==, cases[i].w);
      g_assert_cmpint (h, ==, cases[i].h);
    }
  /* a new window's default on this screen (Xvfb's, 1920×1080) */
  monitor = g_list_model_get_item (gdk_display_get_monitors (gdk_display_get_default ()), 0);
  gdk_monitor_get_geometry (monitor, &geometry);
  window = mh_window_new (NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &w, &h);
  g_assert_cmpint (w, <=, geometry.width);
  g_assert_cmpint (h, <=, geometry.height);
  g_assert_cmpint (w, >=, 640);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_minimum_size (void)
{
  walk_training (1, 1);   /* GTK makes it the minimum */
}

static void
test_1280 (void)
{
  walk_training (1280, 720);
}

/* ---- F6 --------------------------------------------------------------------- */

static void
subprocess_done (GObject *process, GAsyncResult *result, gpointer done)
{
  g_subprocess_wait_finish (G_SUBPROCESS (process), result, NULL);
  *(gboolean *) done = TRUE;
}

static void
press_key (MhWindow *window, const char *key)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "xdotool", "windowfocus", "--sync", xid,
                              "key", "--window", xid, key, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, subprocess_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_successful (process));
  mh_test_pump (200);
}

static void
test_f6_anywhere (void)
{
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  MhWindow *window;
  GtkWidget *focus[3];

  if (xdotool_path == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }
  window = tiny_window (1280, 720);
  focus[0] = GTK_WIDGET (mh_window_get_canvas (window));
  focus[1] = find_type (GTK_WIDGET (window), GTK_TYPE_SPIN_BUTTON);   /* typing in the inspector */
  focus[2] = find_type (GTK_WIDGET (window), MH_TYPE_PALETTE);
  for (guint i = 0; i < G_N_ELEMENTS (focus); i++)
    {
      int before = last_step (window);
      g_assert_nonnull (focus[i]);
      gtk_widget_grab_focus (focus[i]);
      mh_test_pump (100);
      press_key (window, "F6");
      MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_PAUSED && last_step (window) == before + 1);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- screenshots ----------------------------------------------------------------- */

static void
screenshot (int width, int height, gboolean dark)
{
  const char *language = g_getenv ("MH_TEST_LANGUAGE");
  g_autofree char *name = g_strdup_printf ("ui-layout-%s%s%dx%d-%s.png", language ? language : "", language ? "-" : "",
                                          width, height, dark ? "dark" : "light");
  g_autofree char *out = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           name, NULL);
  g_autoptr(GdkTexture) texture = NULL;
  MhWindow *window;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  window = tiny_window (width, height);
  mh_window_train (window);
  MH_TEST_WAIT_FOR (last_step (window) > 60);
  mh_test_pump (400);
  texture = mh_test_ui_render (GTK_WIDGET (window));
  g_assert_cmpint (ABS (gdk_texture_get_width (texture) - width), <=, 20);   /* less the shadow */
  g_assert_true (gdk_texture_save_to_png (texture, out));
  g_test_message ("rendered to %s", out);
  if (!dark)   /* every other page of the dashboard, to look at (ui-layout-1280x720-predictions.png, …) */
    {
      static const char *const pages[] = { "metrics", "conflict", "predictions", "attention", "confusion", "runs" };
      MhTrainingPanel *panel = mh_window_get_training_panel (window);
      for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
        {
          g_autoptr(GdkTexture) page = NULL;
          g_autofree char *page_name = g_strdup_printf ("ui-layout-%s%s%dx%d-%s.png", language ? language : "",
                                                        language ? "-" : "", width, height, pages[i]);
          g_autofree char *page_out = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR")
                                                        : ".", page_name, NULL);
          mh_training_panel_show_page (panel, pages[i]);
          mh_test_pump (400);
          /* the page itself, not the cross-fade from the last one */
          MH_TEST_WAIT_FOR (!gtk_stack_get_transition_running (GTK_STACK (find_named (GTK_WIDGET (window),
                                                                                      "dashboard-stack"))));
          page = mh_test_ui_render (GTK_WIDGET (window));
          g_assert_true (gdk_texture_save_to_png (page, page_out));
        }
    }
  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_screenshots (void)
{
  screenshot (1280, 720, FALSE);
  screenshot (1280, 720, TRUE);
  screenshot (1920, 1080, FALSE);
  screenshot (1920, 1080, TRUE);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  mh_test_write_fake_fashion (tmp_dir, 256, 64, 5);
  g_test_add_func ("/ui/layout/minimum-size", test_minimum_size);
  g_test_add_func ("/ui/layout/1280x720", test_1280);
  g_test_add_func ("/ui/layout/longer-texts", test_longer_texts);
  g_test_add_func ("/ui/layout/default-size", test_default_size);
  g_test_add_func ("/ui/layout/page-menu", test_page_menu);
  g_test_add_func ("/ui/layout/rests", test_layout_rests);
  g_test_add_func ("/ui/layout/f6-anywhere", test_f6_anywhere);
  g_test_add_func ("/ui/layout/screenshots", test_screenshots);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
