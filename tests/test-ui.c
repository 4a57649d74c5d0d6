/* test-ui.c — the window and its canvas, under Xvfb (DESIGN.md §9):
 * edits through the canvas's API and through real pointer events (xdotool),
 * undo/redo back to the start, refused wires, files (round trip, bad files),
 * and the window rendered to a PNG that is not blank. */
#include <math.h>
#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include "mh-canvas.h"
#include "mh-edits.h"
#include "mh-layout.h"
#include "mh-resources.h"
#include "mh-schema.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-window.h"

#define EXAMPLES MH_SOURCE_DIR "/resources/examples"

static char *tmp_dir;

static void
pump (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static MhWindow *
open_window (const char *example)
{
  g_autofree char *path = g_build_filename (EXAMPLES, example, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  MhWindow *window = mh_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 840);
  mh_window_open_default (window, file);
  gtk_window_present (GTK_WINDOW (window));
  pump (400);
  return window;
}

static char *
project_data (MhDocument *doc)
{
  gsize len;
  return mh_project_to_data (mh_document_get_project (doc), &len);
}

static guint
n_heads (MhDocument *doc)
{
  return mh_document_get_project (doc)->heads->len;
}

static MhPortRef
port (MhPortKind kind, int index)
{
  return (MhPortRef) { kind, index };
}

/* ---- through the API --------------------------------------------------- */

static void
test_canvas_edits (void)
{
  MhWindow *window = open_window ("fashion-cnn.mhproj");
  MhCanvas *canvas = mh_window_get_canvas (window);
  MhDocument *doc = mh_window_get_document (window);
  g_autofree char *initial = project_data (doc);
  g_autofree char *edited = NULL;
  g_autoptr(GError) error = NULL;
  const MhHeadSpec *head;
  double x0, y0, x1, y1;
  guint steps = 0;

  /* add a classification head at a free spot: it is selected, not connected */
  g_assert_true (mh_canvas_add (canvas, "head:classification", NAN, NAN, &error));
  g_assert_no_error (error);
  steps++;
  g_assert_cmpuint (n_heads (doc), ==, 4);
  g_assert_cmpuint (mh_canvas_get_selection (canvas)->len, ==, 1);
  head = &g_array_index (mh_document_get_project (doc)->heads, MhHeadSpec, 3);
  g_assert_null (head->target);
  g_assert_nonnull (mh_document_get_analysis (doc)->heads[3].problem);   /* marked: no target */

  /* connect the group field to its target: the problem goes */
  g_assert_true (mh_canvas_connect (canvas, port (MH_PORT_FIELD, 1), port (MH_PORT_HEAD_TARGET, 3), &error));
  g_assert_no_error (error);
  steps++;
  head = &g_array_index (mh_document_get_project (doc)->heads, MhHeadSpec, 3);
  g_assert_cmpstr (head->target, ==, "group");
  g_assert_null (mh_document_get_analysis (doc)->heads[3].problem);
  g_assert_null (mh_document_get_analysis (doc)->first_problem);

  /* a box head cannot learn a class field; a target is not fed features */
  g_assert_true (mh_canvas_add (canvas, "head:regression", NAN, NAN, NULL));
  steps++;
  g_assert_false (mh_canvas_connect (canvas, port (MH_PORT_FIELD, 0), port (MH_PORT_HEAD_TARGET, 4), &error));
  g_assert_nonnull (strstr (error->message, "numbers"));
  g_assert_nonnull (strstr (error->message, "category"));
  g_clear_error (&error);
  g_assert_false (mh_canvas_connect (canvas, port (MH_PORT_TAP, 8), port (MH_PORT_HEAD_TARGET, 4), &error));
  g_assert_nonnull (strstr (error->message, "label field"));
  g_clear_error (&error);
  /* a head's dense layer cannot read a feature map: the engine's own reason */
  g_assert_false (mh_canvas_connect (canvas, port (MH_PORT_TAP, 5), port (MH_PORT_HEAD_IN, 3), &error));
  g_assert_nonnull (strstr (error->message, "flatten"));
  g_clear_error (&error);
  /* a second data source, a second backbone */
  g_assert_false (mh_canvas_add (canvas, "data:fashion-mnist", 0, 0, &error));
  g_assert_nonnull (strstr (error->message, "already has a data source"));
  g_clear_error (&error);
  g_assert_false (mh_canvas_add (canvas, "backbone:mlp", 0, 0, &error));
  g_clear_error (&error);
  /* a head may read an earlier layer that fits */
  g_assert_true (mh_canvas_connect (canvas, port (MH_PORT_TAP, 7), port (MH_PORT_HEAD_IN, 3), &error));
  g_assert_no_error (error);
  steps++;
  g_assert_cmpstr (g_array_index (mh_document_get_project (doc)->heads, MhHeadSpec, 3).input, ==, "fc1");

  /* move the selection (the box head) */
  mh_canvas_select (canvas, MH_BLOCK_REF (MH_BLOCK_HEAD, 4), FALSE);
  mh_layout_get (mh_document_get_project (doc), MH_BLOCK_REF (MH_BLOCK_HEAD, 4), &x0, &y0);
  mh_canvas_move_selection (canvas, 50, 20);
  steps++;
  g_assert_true (mh_layout_get (mh_document_get_project (doc), MH_BLOCK_REF (MH_BLOCK_HEAD, 4), &x1, &y1));
  g_assert_cmpfloat (x1, ==, x0 + 50);
  g_assert_cmpfloat (y1, ==, y0 + 20);

  /* duplicate it, then delete both */
  g_assert_true (mh_canvas_duplicate_selection (canvas, NULL));
  steps++;
  g_assert_cmpuint (n_heads (doc), ==, 6);
  mh_canvas_select (canvas, MH_BLOCK_REF (MH_BLOCK_HEAD, 4), TRUE);
  mh_canvas_delete_selection (canvas);
  steps++;
  g_assert_cmpuint (n_heads (doc), ==, 4);

  /* deleting the data source takes the label wires with it */
  mh_canvas_select (canvas, MH_BLOCK_REF (MH_BLOCK_DATA, 0), FALSE);
  mh_canvas_delete_selection (canvas);
  steps++;
  g_assert_null (mh_document_get_project (doc)->data.kind);
  g_assert_null (g_array_index (mh_document_get_project (doc)->heads, MhHeadSpec, 0).target);

  edited = project_data (doc);
  for (guint i = 0; i < steps; i++)
    {
      g_assert_true (mh_document_can_undo (doc));
      mh_document_undo (doc);
    }
  g_assert_false (mh_document_can_undo (doc));
  {
    g_autofree char *back = project_data (doc);
    g_assert_cmpstr (back, ==, initial);
  }
  g_assert_false (mh_document_get_modified (doc));
  for (guint i = 0; i < steps; i++)
    mh_document_redo (doc);
  {
    g_autofree char *again = project_data (doc);
    g_assert_cmpstr (again, ==, edited);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- through pointer events ----------------------------------------------- */

static void
subprocess_done (GObject *process, GAsyncResult *result, gpointer done)
{
  g_subprocess_wait_finish (G_SUBPROCESS (process), result, NULL);
  *(gboolean *) done = TRUE;
}

/* Runs xdotool on the window, pumping the main loop while it runs. */
static void
xdotool (MhWindow *window, const char *script)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *command = g_strdup_printf ("xdotool %s", script);
  g_autofree char *xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  g_auto(GStrv) words = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) line = g_string_new (command);
  gboolean done = FALSE;

  g_string_replace (line, "WIN", xid, 0);
  words = g_strsplit (line->str, " ", -1);
  process = g_subprocess_newv ((const char *const *) words, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, subprocess_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_successful (process));
  pump (250);
}

/* Widget point of the canvas → window coordinates. */
static void
to_window (MhWindow *window, MhCanvas *canvas, double x, double y, int *wx, int *wy)
{
  graphene_point_t in = GRAPHENE_POINT_INIT ((float) x, (float) y), out;
  double sx, sy;

  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (canvas), GTK_WIDGET (window), &in, &out));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &sx, &sy);
  *wx = (int) round (out.x + sx);
  *wy = (int) round (out.y + sy);
}

static void
drag (MhWindow *window, MhCanvas *canvas, double x0, double y0, double x1, double y1)
{
  int ax, ay, bx, by, mx, my;
  g_autofree char *script = NULL;

  to_window (window, canvas, x0, y0, &ax, &ay);
  to_window (window, canvas, x1, y1, &bx, &by);
  to_window (window, canvas, (x0 + x1) / 2, (y0 + y1) / 2, &mx, &my);
  script = g_strdup_printf ("mousemove --window WIN %d %d sleep 0.1 mousedown 1 sleep 0.1 "
                            "mousemove --window WIN %d %d sleep 0.1 mousemove --window WIN %d %d sleep 0.1 "
                            "mouseup 1", ax, ay, mx, my, bx, by);
  xdotool (window, script);
}

static void
count_message (MhCanvas *canvas, const char *message, GPtrArray *messages)
{
  g_ptr_array_add (messages, g_strdup (message));
}

static void
test_canvas_events (void)
{
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  MhWindow *window;
  MhCanvas *canvas;
  MhDocument *doc;
  g_autofree char *initial = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  graphene_rect_t before, after;
  graphene_point_t from, to;
  double x0, y0, x1, y1;

  if (xdotool_path == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }
  window = open_window ("fashion-cnn.mhproj");
  canvas = mh_window_get_canvas (window);
  doc = mh_window_get_document (window);
  initial = project_data (doc);
  g_signal_connect (canvas, "message", G_CALLBACK (count_message), messages);

  /* drag the backbone by its title: one undo step, the new place saved */
  g_assert_true (mh_canvas_get_block_bounds (canvas, MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0), &before));
  drag (window, canvas, before.origin.x + 60, before.origin.y + 10, before.origin.x + 60, before.origin.y + 90);
  g_assert_true (mh_canvas_get_block_bounds (canvas, MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0), &after));
  g_assert_cmpfloat (fabs (after.origin.y - before.origin.y - 80), <, 2);
  g_assert_cmpfloat (fabs (after.origin.x - before.origin.x), <, 2);
  g_assert_true (mh_layout_get (mh_document_get_project (doc), MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0), &x1, &y1));
  g_assert_cmpstr (mh_document_get_undo_label (doc), ==, "Move Block");

  /* a click selects; a rubber band around nothing clears */
  g_assert_cmpuint (mh_canvas_get_selection (canvas)->len, ==, 1);

  /* add a head (keyboard path), wire a field to its target by dragging */
  g_assert_true (mh_canvas_add (canvas, "head:classification", NAN, NAN, NULL));
  pump (200);
  g_assert_true (mh_canvas_get_port_point (canvas, (MhPortRef) { MH_PORT_FIELD, 2 }, &from));
  g_assert_true (mh_canvas_get_port_point (canvas, (MhPortRef) { MH_PORT_HEAD_TARGET, 3 }, &to));
  drag (window, canvas, from.x, from.y, to.x, to.y);
  g_assert_cmpstr (g_array_index (mh_document_get_project (doc)->heads, MhHeadSpec, 3).target, ==, "upper");

  /* an invalid wire is refused, with the reason said */
  g_assert_true (mh_canvas_add (canvas, "head:regression", NAN, NAN, NULL));
  pump (200);
  g_assert_true (mh_canvas_get_port_point (canvas, (MhPortRef) { MH_PORT_FIELD, 0 }, &from));
  g_assert_true (mh_canvas_get_port_point (canvas, (MhPortRef) { MH_PORT_HEAD_TARGET, 4 }, &to));
  drag (window, canvas, from.x, from.y, to.x, to.y);
  g_assert_null (g_array_index (mh_document_get_project (doc)->heads, MhHeadSpec, 4).target);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_nonnull (strstr (messages->pdata[0], "Cannot connect"));

  /* select the box head with a click, delete it with the Delete key */
  g_assert_true (mh_canvas_get_block_bounds (canvas, MH_BLOCK_REF (MH_BLOCK_HEAD, 4), &before));
  {
    int wx, wy;
    g_autofree char *script = NULL;
    to_window (window, canvas, before.origin.x + 40, before.origin.y + 12, &wx, &wy);
    script = g_strdup_printf ("mousemove --window WIN %d %d click 1 sleep 0.1 key Delete", wx, wy);
    xdotool (window, script);
  }
  g_assert_cmpuint (n_heads (doc), ==, 4);

  /* Ctrl+Z back to the start, step by step */
  for (int i = 0; i < 20 && mh_document_can_undo (doc); i++)
    xdotool (window, "key ctrl+z");
  {
    g_autofree char *back = project_data (doc);
    g_assert_cmpstr (back, ==, initial);
  }
  mh_layout_get (mh_document_get_project (doc), MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0), &x0, &y0);
  g_assert_cmpfloat (y0, !=, y1);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- files --------------------------------------------------------------- */

static char *
read_file (const char *path)
{
  char *data = NULL;
  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static void
test_round_trip (void)
{
  MhWindow *window = open_window ("fashion-cnn.mhproj");
  MhCanvas *canvas = mh_window_get_canvas (window);
  MhDocument *doc = mh_window_get_document (window);
  g_autofree char *a = g_build_filename (tmp_dir, "a.mhproj", NULL);
  g_autofree char *b = g_build_filename (tmp_dir, "b.mhproj", NULL);
  g_autoptr(GFile) fa = g_file_new_for_path (a);
  g_autoptr(GFile) fb = g_file_new_for_path (b);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *da = NULL, *db = NULL;
  g_autoptr(MhProject) cli = NULL;
  double x, y;

  mh_canvas_select (canvas, MH_BLOCK_REF (MH_BLOCK_HEAD, 1), FALSE);
  mh_canvas_move_selection (canvas, 30, -10);
  before = project_data (doc);
  g_assert_true (mh_document_get_modified (doc));
  g_assert_true (mh_window_save_to (window, fa, &error));
  g_assert_no_error (error);
  g_assert_false (mh_document_get_modified (doc));

  /* what the GUI writes, the engine (the CLI) reads: the same spec and layout */
  cli = mh_project_load (a, &error);
  g_assert_no_error (error);
  g_assert_true (mh_layout_get (cli, MH_BLOCK_REF (MH_BLOCK_HEAD, 1), &x, &y));
  {
    gsize len;
    g_autofree char *again = mh_project_to_data (cli, &len);
    g_assert_cmpstr (again, ==, before);
  }

  g_assert_true (mh_window_open_file (window, fa, &error));
  g_assert_no_error (error);
  g_assert_true (mh_window_save_to (window, fb, &error));
  da = read_file (a);
  db = read_file (b);
  g_assert_cmpstr (da, ==, db);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Files that do not parse are refused; those that parse but do not
 * validate open as drafts, their problem marked (draft: TRUE). */
static const struct {
  const char *name;
  const char *data;
  const char *mention;
  gboolean    draft;
} bad_files[] = {
  { "not-json.mhproj", "{ \"format\": 1, ", "not-json.mhproj" },
  { "not-object.mhproj", "[1, 2, 3]", "JSON object" },
  { "empty.mhproj", "", "empty" },
  { "format.mhproj", "{ \"format\": 2, \"dataset\": { \"kind\": \"fashion-mnist\" }, \"backbone\": { \"layers\": [ { \"type\": \"flatten\" } ] },"
    " \"heads\": [ { \"name\": \"c\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] } ] }", "format" },
  { "unknown-key.mhproj", "{ \"format\": 1, \"colour\": 3, \"dataset\": { \"kind\": \"fashion-mnist\" }, \"backbone\": { \"layers\": [ { \"type\": \"flatten\" } ] },"
    " \"heads\": [ { \"name\": \"c\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] } ] }", "colour" },
  { "no-heads.mhproj", "{ \"format\": 1, \"dataset\": { \"kind\": \"fashion-mnist\" }, \"backbone\": { \"layers\": [ { \"type\": \"flatten\" } ] },"
    " \"heads\": [] }", "heads", TRUE },
  { "bad-tap.mhproj", "{ \"format\": 1, \"dataset\": { \"kind\": \"fashion-mnist\" }, \"backbone\": { \"layers\": [ { \"type\": \"flatten\" } ] },"
    " \"heads\": [ { \"name\": \"c\", \"target\": \"category\", \"input\": \"fc9\", \"layers\": [ { \"type\": \"dense\" } ] } ] }", "fc9", TRUE },
  { "bad-loss.mhproj", "{ \"format\": 1, \"dataset\": { \"kind\": \"fashion-mnist\" }, \"backbone\": { \"layers\": [ { \"type\": \"flatten\" } ] },"
    " \"heads\": [ { \"name\": \"c\", \"target\": \"category\", \"loss\": \"bce\", \"layers\": [ { \"type\": \"dense\" } ] } ] }", "bce", TRUE },
  { "bad-layer.mhproj", "{ \"format\": 1, \"dataset\": { \"kind\": \"fashion-mnist\" }, \"backbone\": { \"layers\": [ { \"type\": \"dense\", \"unit\": 3 } ] },"
    " \"heads\": [ { \"name\": \"c\", \"target\": \"category\", \"layers\": [ { \"type\": \"dense\" } ] } ] }", "unit" },
  { "missing.mhproj", NULL, "missing.mhproj" },
};

static void
test_bad_files (void)
{
  MhWindow *window = open_window ("fashion-mlp.mhproj");
  g_autofree char *good = g_build_filename (tmp_dir, "good.mhproj", NULL);
  g_autoptr(GFile) first = g_file_new_for_path (good);
  MhDocument *doc;
  g_autofree char *before = NULL;

  g_assert_true (mh_window_save_to (window, first, NULL));
  doc = mh_window_get_document (window);
  before = project_data (doc);

  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = g_build_filename (tmp_dir, bad_files[i].name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;

      if (bad_files[i].data != NULL)
        g_assert_true (g_file_set_contents (path, bad_files[i].data, -1, NULL));
      if (bad_files[i].draft)
        {
          const char *problem;
          g_assert_true (mh_window_open_file (window, file, &error));
          g_assert_no_error (error);
          problem = mh_document_get_analysis (mh_window_get_document (window))->first_problem;
          g_assert_nonnull (problem);
          if (strstr (problem, bad_files[i].mention) == NULL)
            g_error ("%s: '%s' does not mention '%s'", bad_files[i].name, problem, bad_files[i].mention);
          g_assert_true (mh_window_open_file (window, first, &error));   /* back to the good one */
          doc = mh_window_get_document (window);
          continue;
        }
      g_assert_false (mh_window_open_file (window, file, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, bad_files[i].mention) == NULL)
        g_error ("%s: '%s' does not mention '%s'", bad_files[i].name, error->message, bad_files[i].mention);
      g_assert_true (mh_window_get_document (window) == doc);
      {
        g_autofree char *after = project_data (doc);
        g_assert_cmpstr (after, ==, before);
      }
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- rendering ------------------------------------------------------------ */

/* Distinct colours among the pixels, counted up to `enough`. */
static guint
distinct_colours (GdkTexture *texture, guint enough)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height && g_hash_table_size (seen) < enough; i += 7)
    g_hash_table_add (seen, GUINT_TO_POINTER (pixels[i]));
  return g_hash_table_size (seen);
}

/* The mean luminance of the texture's pixels, 0 (black) … 1 (white). */
static double
mean_luminance (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);
  double sum = 0;
  gsize n = 0;

  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height; i += 5, n++)
    sum += (0.299 * ((pixels[i] >> 16) & 0xff) + 0.587 * ((pixels[i] >> 8) & 0xff) + 0.114 * (pixels[i] & 0xff)) / 255;
  return sum / n;
}

/* Renders an example's window, light or dark, to `png`; its mean luminance. */
static double
check_render (const char *example, gboolean dark, const char *png)
{
  double luminance;
  MhWindow *window;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *out = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           png, NULL);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  window = open_window (example);
  pump (300);
  texture = mh_test_ui_render (GTK_WIDGET (window));
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 800);
  g_assert_cmpuint (distinct_colours (texture, 200), >=, 200);
  g_assert_true (gdk_texture_save_to_png (texture, out));
  luminance = mean_luminance (texture);
  g_test_message ("rendered to %s (mean luminance %.2f)", out, luminance);
  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  return luminance;
}

static void
test_render (void)
{
  double light = check_render ("fashion-cnn.mhproj", FALSE, "ui-window.png");
  double dark = check_render ("fashion-cnn.mhproj", TRUE, "ui-window-dark.png");

  /* dark is dark: the same window, much less light (not the light one again) */
  g_assert_cmpfloat (light, >, 0.6);
  g_assert_cmpfloat (dark, <, 0.4);
  g_assert_cmpfloat (light - dark, >, 0.3);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/canvas/edits", test_canvas_edits);
  g_test_add_func ("/ui/canvas/events", test_canvas_events);
  g_test_add_func ("/ui/files/round-trip", test_round_trip);
  g_test_add_func ("/ui/files/bad", test_bad_files);
  g_test_add_func ("/ui/window/render", test_render);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
