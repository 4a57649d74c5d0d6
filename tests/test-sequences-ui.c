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
#include "mh-inspector.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-window.h"

static char *tmp_dir;

static gboolean
have_dictionary (void)
{
  return g_file_test ("/usr/share/dictd/freedict-deu-eng.dict.dz", G_FILE_TEST_EXISTS);
}

/* A small dictionary in dict-freedict-deu-eng's form: invented nouns whose
 * endings set their gender as German does, umlauts and ß among their
 * letters, a stress mark on the first syllable; and a few real words. */
static char *
write_dictionary (void)
{
  static const char *const onsets[] = { "b", "k", "l", "m", "s", "t", "w", "r", "h", "st", "br", "f", "gr", "sch" };
  static const char *const vowels[] = { "a", "e", "i", "o", "u", "au", "ei", "ä", "ö", "ü" };
  static const char *const ipa[] = { "a", "ɛ", "ɪ", "ɔ", "ʊ", "aʊ", "aɪ", "ɛː", "øː", "yː" };
  static const struct { const char *text, *ipa, *gender; } suffixes[] = {
    { "ung", "ʊŋ", "fem" }, { "heit", "haɪt", "fem" }, { "keit", "kaɪt", "fem" }, { "schaft", "ʃaft", "fem" },
    { "chen", "çən", "neut" }, { "lein", "laɪn", "neut" }, { "ling", "lɪŋ", "masc" }, { "ismus", "ɪsmʊs", "masc" },
    { "ße", "sə", "fem" },
  };
  g_autoptr (GRand) rng = g_rand_new_with_seed (7);
  g_autoptr (GString) text = g_string_new ("\n00-database-dictfmt-1.13.0\nA small dictionary for tests\n");
  char *path = g_build_filename (tmp_dir, "nouns.dict.dz", NULL);

  for (int i = 0; i < 3000; i++)
    {
      g_autoptr (GString) word = g_string_new (NULL), sound = g_string_new ("ˈ");
      int syllables = g_rand_int_range (rng, 1, 4), s = g_rand_int_range (rng, 0, G_N_ELEMENTS (suffixes));
      g_autofree char *upper = NULL;
      for (int k = 0; k < syllables; k++)
        {
          int o = g_rand_int_range (rng, 0, G_N_ELEMENTS (onsets)), v = g_rand_int_range (rng, 0, G_N_ELEMENTS (vowels));
          g_string_append_printf (word, "%s%s", onsets[o], vowels[v]);
          g_string_append_printf (sound, "%s%s", onsets[o], ipa[v]);
        }
      upper = g_utf8_strup (word->str, 1);
      g_string_append_printf (text, "%s%s%s /%s%s/ <%s, n, sg>\n a thing <n>\n", upper, word->str + 1,
                              suffixes[s].text, sound->str, suffixes[s].ipa, suffixes[s].gender);
    }
  g_string_append (text, "Übung /ˈyːbʊŋ/ <fem, n, sg>\nexercise <n>\nMädchen /mˈɛːtçən/ <neut, n, sg>\ngirl <n>\n"
                         "Straße /ʃtʁˈaːsə/ <fem, n, sg>\nstreet <n>\nFrühling /fʁˈyːlɪŋ/ <masc, n, sg>\nspring <n>\n");
  mh_test_write_file (path, text->str, text->len, TRUE);
  return path;
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
  else
    {
      g_free (p->data.path);
      p->data.path = write_dictionary ();
      p->data.validation = 100;
    }
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

/* ---- the inspector, as a user drives it ------------------------------------------------------ */

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

static GtkWidget *
inspector_row (MhWindow *window, const char *title)
{
  GtkWidget *r = find (find (GTK_WIDGET (window), MH_TYPE_INSPECTOR, NULL), ADW_TYPE_PREFERENCES_ROW, title);

  if (r == NULL)
    g_error ("no inspector row '%s'", title);
  return r;
}

static void
set_spin (MhWindow *window, const char *title, double value)
{
  GtkWidget *spin = find (inspector_row (window, title), GTK_TYPE_SPIN_BUTTON, NULL);

  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  mh_test_pump (250);   /* the page is rebuilt at idle */
}

static const MhLayerSpec *
backbone_layer (MhWindow *window, const char *type)
{
  const MhProject *p = mh_document_get_project (mh_window_get_document (window));

  for (guint i = 0; i < p->backbone->len; i++)
    if (g_strcmp0 (g_array_index (p->backbone, MhLayerSpec, i).type, type) == 0)
      return &g_array_index (p->backbone, MhLayerSpec, i);
  return NULL;
}

static void
test_inspector (void)
{
  MhWindow *window = example_window ("german-nouns-gru", 1280, 720);
  MhDocument *doc = mh_window_get_document (window);
  GtkWidget *sw;
  g_autofree char *features = NULL, *input = NULL;
  g_auto (GStrv) lanes = NULL;
  const MhAnalysis *a;

  /* a recurrent backbone: cell, hidden size, layers, both directions */
  mh_canvas_select (mh_window_get_canvas (window), MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0), FALSE);
  mh_test_pump (100);
  set_spin (window, "Hidden size", 64);
  set_spin (window, "Layers", 2);
  sw = find (inspector_row (window, "Bidirectional"), GTK_TYPE_SWITCH, NULL);
  g_assert_nonnull (sw);
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  mh_test_pump (250);
  adw_combo_row_set_selected (ADW_COMBO_ROW (inspector_row (window, "Cell")), 1);
  mh_test_pump (250);
  g_assert_null (backbone_layer (window, "gru"));
  g_assert_cmpint (backbone_layer (window, "lstm")->hidden, ==, 64);
  g_assert_cmpint (backbone_layer (window, "lstm")->num_layers, ==, 2);
  g_assert_false (backbone_layer (window, "lstm")->bidirectional);
  a = mh_document_get_analysis (doc);
  g_assert_null (a->backbone_problem);
  features = mh_analysis_shape_text (a, &g_array_index (a->shapes, MhShape, a->shapes->len - 1));
  g_assert_cmpstr (features, ==, "64");
  render (window, "ui-sequences-inspector-rnn-1280.png");
  /* the data source's word length */
  mh_canvas_select (mh_window_get_canvas (window), MH_BLOCK_REF (MH_BLOCK_DATA, 0), FALSE);
  mh_test_pump (100);
  set_spin (window, "Word length", 16);
  a = mh_document_get_analysis (doc);
  input = mh_analysis_describe_input (a->schema);
  g_assert_cmpstr (input, ==, "16 tokens");
  gtk_window_destroy (GTK_WINDOW (window));

  /* a multi-head convolution: three heads of two channels each */
  window = example_window ("sensors-multihead-conv", 1280, 720);
  doc = mh_window_get_document (window);
  mh_canvas_select (mh_window_get_canvas (window), MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0), FALSE);
  mh_test_pump (100);
  set_spin (window, "Heads", 3);
  set_spin (window, "Kernel", 7);
  g_assert_cmpint (backbone_layer (window, "conv1d")->groups, ==, 3);
  g_assert_cmpint (backbone_layer (window, "conv1d")->kernel, ==, 7);
  a = mh_document_get_analysis (doc);
  lanes = mh_analysis_conv_lanes (a, mh_document_get_project (doc), 0);
  g_assert_nonnull (lanes);
  g_assert_cmpuint (g_strv_length (lanes), ==, 3);
  g_assert_cmpstr (lanes[0], ==, "ax–ay");
  g_assert_cmpstr (lanes[2], ==, "gy–gz");
  g_assert_nonnull (inspector_row (window, "per_channel: 3 heads read"));
  mh_canvas_set_zoom (mh_window_get_canvas (window), 1.0);
  render (window, "ui-sequences-inspector-conv-1280.png");
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

/* ---- predictions ------------------------------------------------------------------------ */

static void assert_normalised (const MhAttributionMap *map);
static void expand (MhAttributionView *view);

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

/* Every head of item i answered, and what head h said (k values into out). */
static gboolean
answered (MhPredictions *board, int i, int heads, float out[][16])
{
  for (int h = 0; h < heads; h++)
    {
      int k = 0;
      const float *p = mh_predictions_get_output (board, i, h, &k);
      if (p == NULL)
        return FALSE;
      if (out != NULL)
        memcpy (out[h], p, sizeof (float) * MIN (k, 16));
    }
  return TRUE;
}

static gboolean
differs (const float *a, const float *b, int k)
{
  for (int i = 0; i < k; i++)
    if (a[i] != b[i])
      return TRUE;
  return FALSE;
}

static void
type_into (GtkWidget *entry, const char *word)
{
  /* key by key, as a user types */
  for (const char *end = g_utf8_next_char (word);; end = g_utf8_next_char (end))
    {
      g_autofree char *prefix = g_strndup (word, end - word);
      gtk_editable_set_text (GTK_EDITABLE (entry), prefix);
      mh_test_pump (20);
      if (*end == '\0')
        break;
    }
}

static MhWindow *
trained_nouns (int width, int height)
{
  MhWindow *window = example_window ("german-nouns-transformer", width, height);
  MhPredictions *board = mh_window_get_predictions (window);

  mh_training_panel_show_page (mh_window_get_training_panel (window), "predictions");
  MH_TEST_WAIT_FOR (mh_predictions_get_test_set (board) != NULL);
  g_assert_cmpint (mh_predictions_get_input_kind (board), ==, MH_INPUT_TOKENS);
  g_assert_cmpint (mh_predictions_get_n_items (board), ==, 6);   /* test words to look at right away */
  g_assert_nonnull (mh_predictions_get_text (board, 0));
  {
    /* the head view follows training: new maps while it trains */
    MhHeadView *view = mh_window_get_head_view (window);
    GHashTable *steps = g_hash_table_new (NULL, NULL);
    MhProject *p = mh_document_begin (mh_window_get_document (window));
    p->epochs = 2;
    g_assert_true (mh_document_commit (mh_window_get_document (window), "Two Epochs", NULL));
    mh_training_panel_show_page (mh_window_get_training_panel (window), "attention");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
    while (mh_window_get_training_state (window) != MH_TRAINER_FINISHED)
      {
        g_main_context_iteration (NULL, TRUE);
        if (mh_window_get_training_state (window) == MH_TRAINER_RUNNING && mh_head_view_get_step (view) > 0)
          g_hash_table_add (steps, GINT_TO_POINTER (mh_head_view_get_step (view)));
      }
    g_test_message ("the head view showed %u steps while it trained", g_hash_table_size (steps));
    g_assert_cmpuint (g_hash_table_size (steps), >=, 2);
    g_hash_table_unref (steps);
    mh_training_panel_show_page (mh_window_get_training_panel (window), "predictions");
  }
  return window;
}

/* The epoch slider moved as the user moves it (-1: now). */
static void
move_slider (MhWindow *window, int epoch)
{
  MhEpochScrubber *s = mh_window_get_epoch_scrubber (window);
  GtkRange *range = GTK_RANGE (find (GTK_WIDGET (s), GTK_TYPE_RANGE, NULL));

  gtk_range_set_value (range, epoch < 0 ? gtk_adjustment_get_upper (gtk_range_get_adjustment (range)) : epoch);
  g_assert_cmpint (mh_epoch_scrubber_get_epoch (s), ==, epoch);
}

/* The Attention page of the chosen word: BertViz's head view. */
static void
test_head_view (MhWindow *window)
{
  MhPredictions *board = mh_window_get_predictions (window);
  MhHeadView *view = mh_window_get_head_view (window);
  const char *const *text = NULL;
  int layers = 0, heads = 0, n = 0, all_lines, lines, long_card = -1;
  float row[64], rollout[64], rollout_max[64];

  mh_training_panel_show_page (mh_window_get_training_panel (window), "attention");
  MH_TEST_WAIT_FOR ((mh_head_view_get_grid (view, &layers, &heads), layers > 0) && mh_head_view_get_tokens (view, NULL) == 6);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (view)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (mh_window_get_attention_view (window))));
  g_assert_cmpint (layers, ==, 2);
  g_assert_cmpint (heads, ==, 4);
  /* the class token, then the word's characters */
  g_assert_cmpint (mh_head_view_get_tokens (view, &text), ==, 6);
  g_assert_cmpstr (text[0], ==, "[CLS]");
  g_assert_cmpstr (text[5], ==, "g");
  /* every token's row, as drawn, sums to 1: padding has no attention */
  for (int l = 0; l < layers; l++)
    for (int h = 0; h < heads; h++)
      for (int q = 0; q < 6; q++)
        {
          double sum = 0;
          g_assert_true (mh_head_view_get_row (view, l, h, q, row, &n));
          g_assert_cmpint (n, ==, 6);
          for (int k = 0; k < n; k++)
            {
              g_assert_true (row[k] >= 0 && row[k] <= 1);
              sum += row[k];
            }
          g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-4);
        }
  g_assert_false (mh_head_view_get_row (view, 2, 0, 0, row, &n));
  /* the rollout under the word: the class token's attention to each character */
  g_assert_true (mh_head_view_get_rollout (view, rollout, &n));
  g_assert_cmpint (n, ==, 5);
  render (window, "ui-sequences-heads-1280.png");
  all_lines = mh_head_view_get_drawn_lines (view);
  g_assert_cmpint (all_lines, >, layers * heads * 6);
  /* hovering a character isolates its row in every panel */
  mh_head_view_set_hover (view, 3);
  render (window, "ui-sequences-heads-hover-1280.png");
  lines = mh_head_view_get_drawn_lines (view);
  g_assert_cmpint (lines, >, 0);
  g_assert_cmpint (lines, <=, layers * heads * 6);
  mh_head_view_set_hover (view, -1);
  /* another fusion, another rollout */
  mh_head_view_set_fusion (view, MH_FUSE_MAX);
  g_assert_true (mh_head_view_get_rollout (view, rollout_max, &n));
  g_assert_true (differs (rollout, rollout_max, n));
  mh_head_view_set_fusion (view, MH_FUSE_MEAN);
  /* at the epoch the slider picks: the first epoch's checkpoint answers */
  {
    MhEpochScrubber *scrubber = mh_window_get_epoch_scrubber (window);
    int now = mh_head_view_get_step (view);
    float later[64];
    g_assert_true (mh_head_view_get_row (view, 1, 0, 0, later, &n));
    move_slider (window, 1);
    MH_TEST_WAIT_FOR (mh_head_view_get_step (view) > 0 && mh_head_view_get_step (view) < now);
    g_assert_cmpint (mh_epoch_scrubber_get_epoch (scrubber), ==, 1);
    g_assert_true (mh_head_view_get_row (view, 1, 0, 0, row, &n));
    g_assert_true (differs (row, later, n));
    move_slider (window, -1);
    MH_TEST_WAIT_FOR (mh_head_view_get_step (view) == now);
  }
  /* under the heads, what each head looks at: attention rollout weighted by
   * the gradient, over the word's letters */
  {
    MhAttributionView *maps = mh_window_get_attribution_view (window, FALSE);
    const MhProbeAttribution *r = NULL;
    int rows = 0, cols = 0;
    expand (maps);
    MH_TEST_WAIT_FOR ((r = mh_attribution_view_get_result (maps)) != NULL && r->attribution->n_maps == 3
                      && r->attribution->maps[0].method == MH_ATTRIBUTION_GRAD_ROLLOUT);
    for (int i = 0; i < 3; i++)
      {
        g_assert_true (mh_attribution_view_get_sequence_map (maps, i, NULL, &rows, &cols));
        g_assert_cmpint (rows, ==, 1);
        g_assert_cmpint (cols, ==, 5);   /* Übung */
      }
    resize (window, 1920, 1080);
    render (window, "ui-sequences-heads-maps-1920.png");
    resize (window, 1280, 720);
  }
  /* a long word: what the model reads of it, its last 24 characters */
  for (int i = 0; i < mh_predictions_get_n_items (board); i++)
    if (g_str_has_prefix (mh_predictions_get_text (board, i) ? mh_predictions_get_text (board, i) : "", "Donau"))
      long_card = i;
  g_assert_cmpint (long_card, >=, 0);
  mh_predictions_select (board, long_card);
  MH_TEST_WAIT_FOR (mh_head_view_get_tokens (view, &text) == 25);
  g_assert_cmpstr (text[24], ==, "n");
  resize (window, 1920, 1080);
  render (window, "ui-sequences-heads-long-1920.png");
}

static void
test_words (void)
{
  MhWindow *window = trained_nouns (1280, 720);
  MhPredictions *board = mh_window_get_predictions (window);
  GtkWidget *entry = find_named (GTK_WIDGET (board), "predictions-word");
  g_autoptr (GError) error = NULL;
  float first[3][16], second[3][16];
  int n, k;
  g_autoptr (GString) huge = g_string_new (NULL);

  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_is_visible (entry));
  /* the test set's words, random or by class */
  gtk_menu_button_popup (GTK_MENU_BUTTON (find_named (GTK_WIDGET (board), "predictions-test-set")));
  render (window, "ui-sequences-test-words-1280.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (find_named (GTK_WIDGET (board), "predictions-test-set")));
  /* typing a word: its card comes first and every head answers for it */
  type_into (entry, "Freiheit");
  g_assert_cmpstr (mh_predictions_get_text (board, 0), ==, "Freiheit");
  MH_TEST_WAIT_FOR (answered (board, 0, 3, first));
  /* another word typed into the same field: the same card, every head's answer changes */
  n = mh_predictions_get_n_items (board);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  type_into (entry, "Mädchen");
  g_assert_cmpint (mh_predictions_get_n_items (board), ==, n);
  g_assert_cmpstr (mh_predictions_get_text (board, 0), ==, "Mädchen");
  MH_TEST_WAIT_FOR (answered (board, 0, 3, second) && differs (first[0], second[0], 3)
                    && differs (first[1], second[1], 8) && differs (first[2], second[2], 4));
  g_assert_nonnull (mh_predictions_get_output (board, 0, 0, &k));
  g_assert_cmpint (k, ==, 3);
  /* Enter keeps it; the field is empty again */
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_cmpint (mh_predictions_get_n_items (board), ==, n);
  /* a pasted list: a card a line */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Haus\nStraße\n\nDonaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen\n");
  g_assert_cmpint (mh_predictions_get_n_items (board), ==, n + 3);
  g_assert_cmpstr (mh_predictions_get_text (board, n + 1), ==, "Straße");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  MH_TEST_WAIT_FOR (answered (board, n + 2, 3, NULL));
  /* words from the clipboard (Ctrl+Shift+V): a card a line; an image file is refused */
  {
    g_autoptr (GFile) png = g_file_new_for_path (MH_SOURCE_DIR "/resources/icons/hicolor/scalable/apps/io.github.multihead.Studio.svg");
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (window)), "Tür\nBaum\n");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.paste-image", NULL));
    MH_TEST_WAIT_FOR (mh_predictions_get_n_items (board) == n + 5);
    g_assert_cmpstr (mh_predictions_get_text (board, n + 3), ==, "Tür");
    g_assert_false (mh_window_add_image (window, png, &error));
    g_assert_nonnull (strstr (error->message, "words, not images"));
    g_clear_error (&error);
  }
  n += 2;
  /* bad words: a clear message, nothing changed */
  for (int i = 0; i < 2000; i++)
    g_string_append (huge, "Haus");
  g_assert_false (mh_predictions_add_text (board, huge->str, &error));
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_clear_error (&error);
  g_assert_false (mh_predictions_add_text (board, " \n \n", &error));
  g_clear_error (&error);
  g_assert_false (mh_predictions_set_text (board, huge->str, &error));
  g_clear_error (&error);
  g_assert_cmpint (mh_predictions_get_n_items (board), ==, n + 3);
  type_into (entry, "Übung");
  MH_TEST_WAIT_FOR (answered (board, 0, 3, NULL) && g_strcmp0 (mh_predictions_get_text (board, 0), "Übung") == 0);
  render (window, "ui-sequences-words-1280.png");
  resize (window, 1920, 1080);
  render (window, "ui-sequences-words-1920.png");
  resize (window, 1280, 720);
  test_head_view (window);
  /* a long word's card: the word wrapped, what the model reads of it */
  mh_training_panel_show_page (mh_window_get_training_panel (window), "predictions");
  mh_predictions_clear (board);
  g_assert_true (mh_predictions_add_text (board, "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen\n"
                                                 "Straße\nÜbungsgelände", &error));
  MH_TEST_WAIT_FOR (answered (board, 2, 3, NULL));
  mh_test_pump (1000);   /* the page's transition */
  render (window, "ui-sequences-words-long-1920.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_sensors (void)
{
  MhWindow *window = example_window ("sensors-multihead-conv", 1280, 720);
  MhPredictions *board = mh_window_get_predictions (window);
  const MhDataset *test;
  int faulty = -1, chosen[4] = { -1, -1, -1, -1 }, n_chosen = 0, fault_head = 2;

  mh_training_panel_show_page (mh_window_get_training_panel (window), "predictions");
  MH_TEST_WAIT_FOR ((test = mh_predictions_get_test_set (board)) != NULL);
  g_assert_cmpint (mh_predictions_get_input_kind (board), ==, MH_INPUT_SIGNALS);
  g_assert_false (gtk_widget_is_visible (find_named (GTK_WIDGET (board), "predictions-word")));
  faulty = mh_dataset_find_field (test, "faulty");
  g_assert_cmpint (faulty, >=, 0);
  /* windows with a faulty channel, and one without */
  for (int i = 0; i < test->n && n_chosen < 3; i++)
    {
      gboolean any = FALSE;
      for (int c = 0; c < 6; c++)
        any |= test->fields[faulty].values[i * 6 + c] > 0.5f;
      if (any)
        chosen[n_chosen++] = i;
    }
  g_assert_cmpint (n_chosen, >, 0);
  for (int i = 0; i < test->n && n_chosen < 4; i++)
    if (i != chosen[0] && i != chosen[1] && i != chosen[2])
      chosen[n_chosen++] = i;
  mh_predictions_clear (board);
  for (int i = 0; i < n_chosen; i++)
    mh_predictions_add_sample (board, chosen[i]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_FINISHED);
  MH_TEST_WAIT_FOR (answered (board, n_chosen - 1, 3, NULL));
  render (window, "ui-sequences-sensors-1280.png");
  /* each card drew the six signals, marked as the truth and the fault head say */
  for (int i = 0; i < n_chosen; i++)
    {
      guint true_mask = 0, predicted_mask = 0, want_true = 0, want_predicted = 0;
      int k = 0;
      const float *p = mh_predictions_get_output (board, i, fault_head, &k);
      g_assert_nonnull (p);
      g_assert_cmpint (k, ==, 6);
      for (int c = 0; c < 6; c++)
        {
          want_true |= test->fields[faulty].values[chosen[i] * 6 + c] > 0.5f ? 1u << c : 0;
          want_predicted |= p[c] >= 0.5f ? 1u << c : 0;
        }
      g_assert_cmpint (mh_predictions_get_drawn_signals (board, i, &true_mask, &predicted_mask), ==, 6);
      g_assert_cmphex (true_mask, ==, want_true);
      g_assert_cmphex (predicted_mask, ==, want_predicted);
    }
  resize (window, 1920, 1080);
  render (window, "ui-sequences-sensors-1920.png");
  /* what each head looks at: channels × time steps, the window's shape */
  {
    MhAttributionView *strip = mh_window_get_attribution_view (window, TRUE);
    const MhProbeAttribution *r = NULL;
    int rows = 0, cols = 0;
    mh_predictions_select (board, 0);
    expand (strip);
    MH_TEST_WAIT_FOR ((r = mh_attribution_view_get_result (strip)) != NULL && r->attribution->n_maps > 0
                      && memcmp (r->x, mh_predictions_get_input (board, 0, NULL), sizeof (float) * 128 * 6) == 0);
    g_assert_cmpint (r->input.rank, ==, 2);
    for (int i = 0; i < r->attribution->n_maps; i++)
      {
        g_assert_true (mh_attribution_view_get_sequence_map (strip, i, NULL, &rows, &cols));
        g_assert_cmpint (rows, ==, 6);
        g_assert_cmpint (cols, ==, 128);
        assert_normalised (&r->attribution->maps[i]);
      }
    g_assert_false (mh_attribution_view_get_sequence_map (strip, r->attribution->n_maps, NULL, &rows, &cols));
    render (window, "ui-sequences-saliency-sensors-1920.png");
    resize (window, 1280, 720);
    render (window, "ui-sequences-saliency-sensors-1280.png");
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
    render (window, "ui-sequences-sensors-dark-1280.png");
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A GRU over characters: each head's saliency over the word's letters. */
static void
test_saliency_words (void)
{
  MhWindow *window = example_window ("german-nouns-gru", 1280, 720);
  MhPredictions *board = mh_window_get_predictions (window);
  MhAttributionView *strip = mh_window_get_attribution_view (window, TRUE);
  const MhProbeAttribution *r = NULL;
  float map[64];
  int rows = 0, cols = 0;

  mh_training_panel_show_page (mh_window_get_training_panel (window), "predictions");
  MH_TEST_WAIT_FOR (mh_predictions_get_test_set (board) != NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  MH_TEST_WAIT_FOR (mh_window_get_training_state (window) == MH_TRAINER_FINISHED);
  g_assert_true (mh_predictions_set_text (board, "Gemütlichkeit", NULL));
  expand (strip);
  MH_TEST_WAIT_FOR ((r = mh_attribution_view_get_result (strip)) != NULL && r->attribution->n_maps == 3
                    && memcmp (r->x, mh_predictions_get_input (board, 0, NULL), sizeof (float) * 24) == 0);
  /* the gender, syllables and stress heads, each over the word's 13 letters */
  for (int i = 0; i < 3; i++)
    {
      double max = 0;
      g_assert_true (mh_attribution_view_get_sequence_map (strip, i, map, &rows, &cols));
      g_assert_cmpint (rows, ==, 1);
      g_assert_cmpint (cols, ==, g_utf8_strlen ("Gemütlichkeit", -1));
      g_assert_cmpint (r->attribution->maps[i].method, ==, MH_ATTRIBUTION_GRAD_INPUT);
      for (int c = 0; c < cols; c++)
        max = MAX (max, map[c]);
      g_assert_cmpfloat (max, ==, r->attribution->maps[i].peak > 0 ? 1.0 : 0.0);   /* the peak is on a letter */
      assert_normalised (&r->attribution->maps[i]);
    }
  render (window, "ui-sequences-saliency-words-1280.png");
  resize (window, 1920, 1080);
  render (window, "ui-sequences-saliency-words-1920.png");
  gtk_window_destroy (GTK_WINDOW (window));
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

/* The strip under the predictions unfolded, as a user would. */
static void
expand (MhAttributionView *view)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (GTK_WIDGET (view), "attribution-expander")), TRUE);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/sequences/palette", test_palette);
  g_test_add_func ("/ui/sequences/canvas", test_canvas);
  g_test_add_func ("/ui/sequences/inspector", test_inspector);
  g_test_add_func ("/ui/sequences/words", test_words);
  g_test_add_func ("/ui/sequences/sensors", test_sensors);
  g_test_add_func ("/ui/sequences/saliency-words", test_saliency_words);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
