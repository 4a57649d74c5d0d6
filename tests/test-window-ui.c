/* test-window-ui.c — the window's settings and files, under Xvfb: every
 * engine setting the inspector offers (the vision transformer's patch,
 * width, depth, heads and MLP ratio; the data source's keys; augmentation)
 * goes from its row into the project, the saved file and the model that
 * trains; Invert on the predictions board; New from Example opens every
 * example; a draft with a problem saves and reopens with it; F6 steps
 * whatever has the focus. */
#include <math.h>
#include <string.h>
#include <adwaita.h>
#include "mh-augment.h"
#include "mh-edits.h"
#include "mh-image.h"
#include "mh-inspector.h"
#include "mh-model.h"
#include "mh-schema.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-window.h"

static char *tmp_dir;

static MhWindow *
open_example (const char *example)
{
  g_autofree char *path = g_build_filename (MH_TEST_EXAMPLES, example, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  MhWindow *window = mh_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 840);
  mh_window_open_default (window, file);
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (300);
  return window;
}

/* The first widget under `root` of `type` (and with `title`, for rows). */
static GtkWidget *
find (GtkWidget *root, GType type, const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type)
      && (title == NULL
          || (ADW_IS_PREFERENCES_ROW (root)
              && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find (c, type, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first button under `root` that activates `action`. */
static GtkWidget *
find_action (GtkWidget *root, const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_action (c, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
row (MhWindow *window, const char *title)
{
  GtkWidget *inspector = find (GTK_WIDGET (window), MH_TYPE_INSPECTOR, NULL);
  GtkWidget *r = find (inspector, ADW_TYPE_PREFERENCES_ROW, title);

  if (r == NULL)
    g_error ("no inspector row '%s'", title);
  return r;
}

static void
set_spin (MhWindow *window, const char *title, double value)
{
  GtkWidget *spin = find (row (window, title), GTK_TYPE_SPIN_BUTTON, NULL);

  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  mh_test_pump (60);   /* the page is rebuilt at idle */
}

static void
set_switch (MhWindow *window, const char *title, gboolean on)
{
  GtkWidget *sw = find (row (window, title), GTK_TYPE_SWITCH, NULL);

  g_assert_nonnull (sw);
  gtk_switch_set_active (GTK_SWITCH (sw), on);
  mh_test_pump (60);
}

static void
apply_entry (MhWindow *window, const char *title, const char *text)
{
  GtkWidget *r = row (window, title);

  gtk_editable_set_text (GTK_EDITABLE (r), text);
  g_signal_emit_by_name (r, "apply");
  mh_test_pump (60);
}

static void
select_block (MhWindow *window, MhBlockKind kind)
{
  mh_canvas_select (mh_window_get_canvas (window), MH_BLOCK_REF (kind, 0), FALSE);
  mh_test_pump (60);
}

/* Saved, then read back by the engine as the command line reads it. */
static MhProject *
save_and_reload (MhWindow *window, const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MhProject *back;

  g_assert_true (mh_window_save_to (window, file, &error));
  g_assert_no_error (error);
  back = mh_project_load (path, &error);
  g_assert_no_error (error);
  return back;
}

/* ---- the vision transformer ---------------------------------------------- */

static void
test_vit_settings (void)
{
  MhWindow *window = open_example ("fashion-vit.mhproj");
  MhDocument *doc = mh_window_get_document (window);
  g_autoptr(MhProject) back = NULL;
  g_autoptr(MhDataset) schema = NULL;
  g_autoptr(GError) error = NULL;
  MhModel *m;
  int blocks = 0;

  select_block (window, MH_BLOCK_BACKBONE);
  set_spin (window, "Patch size", 7);
  set_spin (window, "Width", 32);
  set_spin (window, "Depth", 3);
  set_spin (window, "Attention heads", 2);
  set_spin (window, "MLP ratio", 3);
  g_assert_null (mh_document_get_analysis (doc)->first_problem);

  back = save_and_reload (window, "vit.mhproj");
  for (guint i = 0; i < back->backbone->len; i++)
    {
      const MhLayerSpec *l = &g_array_index (back->backbone, MhLayerSpec, i);
      if (g_str_equal (l->type, "patch_embed"))
        {
          g_assert_cmpint (l->patch, ==, 7);
          g_assert_cmpint (l->dim, ==, 32);
        }
      if (g_str_equal (l->type, "transformer_block"))
        {
          g_assert_cmpint (l->heads, ==, 2);
          g_assert_cmpint (l->hidden, ==, 96);
          blocks++;
        }
    }
  g_assert_cmpint (blocks, ==, 3);
  g_assert_cmpstr (g_array_index (back->backbone, MhLayerSpec, 5).name, ==, "block3");

  /* into training: the model the trainer builds has these shapes */
  schema = mh_schema_new (&back->data, &error);
  g_assert_no_error (error);
  m = mh_model_new (back, schema, 4, "vit.mhproj", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < m->backbone->len; i++)
    {
      MhLayer *l = g_ptr_array_index (m->backbone, i);
      if (g_str_equal (l->klass->type, "patch_embed"))
        {
          g_assert_cmpint (l->out.dim[0], ==, 16);   /* 28 / 7 = 4, 4 × 4 tokens */
          g_assert_cmpint (l->out.dim[1], ==, 32);
        }
    }
  mh_model_free (m);

  /* the layer rows show the same values */
  g_assert_nonnull (row (window, "Patch size"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- the data source ---------------------------------------------------- */

static void
test_data_settings (void)
{
  MhWindow *window = open_example ("shapes.mhproj");
  g_autoptr(MhProject) back = NULL;
  g_autoptr(MhDataset) schema = NULL;
  g_autoptr(GError) error = NULL;

  select_block (window, MH_BLOCK_DATA);
  set_spin (window, "Image size", 32);
  set_spin (window, "Training images", 300);
  set_spin (window, "Test images", 50);
  set_spin (window, "Validation images", 20);
  set_spin (window, "Data seed", 7);
  set_spin (window, "Random shift", 3);
  set_switch (window, "Random flip", TRUE);
  back = save_and_reload (window, "shapes.mhproj");
  g_assert_cmpint (back->data.size, ==, 32);
  g_assert_cmpint (back->data.train, ==, 300);
  g_assert_cmpint (back->data.test, ==, 50);
  g_assert_cmpint (back->data.validation, ==, 20);
  g_assert_cmpuint (back->data.seed, ==, 7);
  g_assert_cmpint (back->data.augment.shift, ==, 3);
  g_assert_true (back->data.augment.flip);
  /* into training: the data set the run loads, and its augmentation */
  schema = mh_schema_new (&back->data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (schema->shape.dim[0], ==, 32);
  g_assert_true (mh_augment_active (&back->data.augment, schema));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
write_png (const char *dir, const char *name, guint8 v)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 20, 12);
  cairo_t *cr = cairo_create (s);

  cairo_set_source_rgb (cr, v / 255.0, v / 255.0, v / 255.0);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (s, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
}

static void
test_image_folder_settings (void)
{
  g_autofree char *folder = g_build_filename (tmp_dir, "images", NULL);
  g_autofree char *csv = g_build_filename (folder, "labels.csv", NULL);
  g_autofree char *project = g_build_filename (tmp_dir, "folder-draft.mhproj", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (project);
  g_autoptr(GError) error = NULL;
  g_autoptr(MhProject) back = NULL;
  g_autoptr(MhDataset) schema = NULL;
  g_autoptr(GString) labels = g_string_new ("file,kind\n");
  MhWindow *window;
  GtkWidget *combo;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (int i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("%d.png", i);
      write_png (folder, name, i % 2 ? 230 : 20);
      g_string_append_printf (labels, "%s,%s\n", name, i % 2 ? "light" : "dark");
    }
  g_assert_true (g_file_set_contents (csv, labels->str, -1, NULL));
  /* a draft: an image folder with no folder yet */
  g_assert_true (g_file_set_contents (project,
    "{ \"format\": 1, \"name\": \"folder\", \"dataset\": { \"kind\": \"image-folder\" },"
    " \"backbone\": { \"kind\": \"mlp\", \"layers\": [ { \"type\": \"flatten\" }, { \"type\": \"dense\", \"units\": 8 } ] },"
    " \"heads\": [ { \"name\": \"kind\", \"kind\": \"classification\", \"target\": \"kind\","
    " \"layers\": [ { \"type\": \"dense\" } ] } ] }", -1, NULL));
  window = mh_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mh_window_open_file (window, file, &error));
  g_assert_no_error (error);
  g_assert_nonnull (mh_document_get_analysis (mh_window_get_document (window))->first_problem);
  mh_test_pump (200);
  select_block (window, MH_BLOCK_DATA);
  g_assert_nonnull (find (row (window, "Folder with labels.csv (required)"), GTK_TYPE_BUTTON, NULL));
  apply_entry (window, "Folder with labels.csv (required)", folder);
  set_spin (window, "Image width", 24);
  set_spin (window, "Image height", 16);
  combo = row (window, "Channels");
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 0);   /* grey */
  mh_test_pump (60);
  set_spin (window, "Test share", 0.3);
  g_assert_null (mh_document_get_analysis (mh_window_get_document (window))->first_problem);
  back = save_and_reload (window, "folder.mhproj");
  g_assert_cmpstr (back->data.path, ==, folder);
  g_assert_cmpint (back->data.width, ==, 24);
  g_assert_cmpint (back->data.height, ==, 16);
  g_assert_cmpint (back->data.channels, ==, 1);
  g_assert_cmpfloat_with_epsilon (back->data.test_fraction, 0.3, 1e-9);
  schema = mh_schema_new (&back->data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (schema->shape.dim[0], ==, 16);
  g_assert_cmpint (schema->shape.dim[1], ==, 24);
  g_assert_cmpint (schema->shape.dim[2], ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- drafts ------------------------------------------------------------- */

static void
test_draft (void)
{
  MhWindow *window = open_example ("fashion-mlp.mhproj");
  MhDocument *doc = mh_window_get_document (window);
  g_autofree char *path = g_build_filename (tmp_dir, "draft.mhproj", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  MhProject *p;

  p = mh_document_begin (doc);
  mh_edit_disconnect_target (p, 0);   /* a head that learns nothing: a problem */
  g_assert_true (mh_document_commit (doc, "Disconnect", NULL));
  problem = g_strdup (mh_document_get_analysis (doc)->first_problem);
  g_assert_nonnull (problem);
  g_assert_true (mh_window_save_to (window, file, &error));
  g_assert_no_error (error);
  g_assert_false (mh_document_get_modified (doc));
  /* the command line refuses it, naming the problem; the window opens it with it */
  g_assert_null (mh_project_load (path, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (mh_window_open_file (window, file, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mh_document_get_analysis (mh_window_get_document (window))->first_problem, ==, problem);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- examples -------------------------------------------------------------- */

static void
test_examples (void)
{
  MhWindow *window = mh_window_new (NULL);
  g_autoptr(GDir) dir = g_dir_open (MH_TEST_EXAMPLES, 0, NULL);
  MhExampleGallery *gallery;
  GtkWidget *button;
  guint n = 0;
  const char *name;

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new", NULL);
  mh_test_pump (200);
  /* an empty window offers the examples */
  button = find_action (GTK_WIDGET (window), "win.new-from-example");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));

  while ((name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_suffix (name, ".mhproj");
  gallery = mh_window_show_examples (window);
  mh_test_pump (300);
  g_assert_cmpuint (mh_example_gallery_get_n (gallery), ==, n);
  {
    g_autoptr(GdkTexture) shot = mh_test_ui_render (GTK_WIDGET (gallery));
    g_autofree char *out = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                             "ui-gallery.png", NULL);
    g_assert_true (gdk_texture_save_to_png (shot, out));
  }
  gtk_window_destroy (GTK_WINDOW (gallery));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MhProject) want = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;

      gallery = mh_window_show_examples (window);
      mh_test_pump (100);
      path = g_strdup (mh_example_gallery_get_path (gallery, i));
      g_assert_nonnull (mh_example_gallery_get_lesson (gallery, i));   /* each says what it teaches */
      g_assert_cmpuint (strlen (mh_example_gallery_get_lesson (gallery, i)), >, 20);
      want = mh_project_load (path, &error);
      g_assert_no_error (error);
      mh_example_gallery_choose (gallery, i);
      mh_test_pump (200);
      g_assert_cmpstr (mh_document_get_project (mh_window_get_document (window))->name, ==, want->name);
      g_assert_null (mh_document_get_file (mh_window_get_document (window)));   /* saving asks where */
      g_assert_false (gtk_widget_get_visible (button));
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- invert -------------------------------------------------------------------- */

static void
test_invert (void)
{
  MhWindow *window = open_example ("fashion-mlp.mhproj");
  MhPredictions *board = mh_window_get_predictions (window);
  g_autofree char *png = g_build_filename (tmp_dir, "light.png", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *before = NULL;
  const float *x;
  int n;

  write_png (tmp_dir, "light.png", 200);
  file = g_file_new_for_path (png);
  g_assert_true (mh_window_add_image (window, file, &error));
  g_assert_no_error (error);
  before = mh_predictions_dup_inputs (board, &n);
  g_assert_cmpint (n, ==, 1);
  mh_predictions_set_inverted (board, 0, TRUE);
  g_assert_true (mh_predictions_get_inverted (board, 0));
  x = mh_predictions_get_input (board, 0, NULL);
  for (int i = 0; i < 28 * 28; i++)
    g_assert_cmpfloat_with_epsilon (x[i], 1.0f - before[i], 1e-6);
  {
    /* what the model is asked about is the inverted image */
    g_autofree float *asked = mh_predictions_dup_inputs (board, &n);
    g_assert_cmpfloat_with_epsilon (asked[0], 1.0f - before[0], 1e-6);
  }
  /* Invert All: every image, and those added after */
  mh_predictions_set_invert_all (board, TRUE);
  g_assert_true (mh_window_add_image (window, file, &error));
  g_assert_true (mh_predictions_get_inverted (board, 1));
  g_assert_cmpfloat_with_epsilon (mh_predictions_get_input (board, 1, NULL)[0], 1.0f - before[0], 1e-6);
  mh_predictions_set_invert_all (board, FALSE);
  g_assert_false (mh_predictions_get_inverted (board, 0));
  g_assert_cmpfloat_with_epsilon (mh_predictions_get_input (board, 0, NULL)[0], before[0], 1e-6);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/settings/vit", test_vit_settings);
  g_test_add_func ("/ui/settings/data", test_data_settings);
  g_test_add_func ("/ui/settings/image-folder", test_image_folder_settings);
  g_test_add_func ("/ui/files/draft", test_draft);
  g_test_add_func ("/ui/examples/gallery", test_examples);
  g_test_add_func ("/ui/predictions/invert", test_invert);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
