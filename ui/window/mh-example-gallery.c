/* mh-example-gallery.c — New from Example (mh-example-gallery.h): a flow box
 * of cards, each a button holding a small, inert canvas of the example's
 * model, its title and the line on what it teaches. */
#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include "mh-canvas.h"
#include "mh-example-gallery.h"

#define THUMB_W 300
#define THUMB_H 170

typedef struct {
  char *path;
  char *title;
  char *lesson;
} Example;

struct _MhExampleGallery
{
  AdwWindow  parent_instance;

  GArray    *examples;   /* Example */
  GtkWidget *flow;
};

G_DEFINE_FINAL_TYPE (MhExampleGallery, mh_example_gallery, ADW_TYPE_WINDOW)

enum { SIGNAL_CHOSEN, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
example_clear (Example *e)
{
  g_free (e->path);
  g_free (e->title);
  g_free (e->lesson);
}

/* The gallery's texts, for xgettext: resources/examples/gallery.json holds
 * them (a data file xgettext cannot read); they are shown through _(), and
 * test-i18n checks that every title and lesson of the file is here. */
static const char *const gallery_texts[] G_GNUC_UNUSED = {
  N_("Three heads on one CNN"),
  N_("One shared backbone, three tasks on the same clothes: see related heads learn together."),
  N_("The simplest backbone"),
  N_("Dense layers on the flattened image: the quickest way to see a multi-head model train."),
  N_("A vision transformer"),
  N_("Patches become tokens; open Attention to see where each of its heads looks."),
  N_("Transfer learning"),
  N_("Frozen convolutions from another model, new heads on top: fine-tuning in small steps."),
  N_("Two items, two heads"),
  N_("A left and a right garment in one image: watch the heads' gradients conflict."),
  N_("Classes, labels and boxes"),
  N_("Generated shapes: classification, multi-label and box heads, each with its own loss."),
  N_("Words, read letter by letter"),
  N_("A GRU reads German nouns: one head guesses the gender, others the syllables and the stress."),
  N_("Attention over letters"),
  N_("The same three heads on a transformer: see which letters each attention head looks at."),
  N_("A phone in a pocket"),
  N_("Motion sensors over time: activity, step cadence and faulty channels, three kinds of head."),
  N_("Convolutions over time"),
  N_("The sensor tasks on 1-D convolutions in groups: compare with the GRU on the same data."),
};

/* gallery.json: [ { "file", "title", "lesson" } ] */
static JsonArray *
load_index (JsonParser *parser)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/multihead/Studio/examples/gallery.json",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  JsonNode *root;

  if (bytes == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;
}

static void
add_example (MhExampleGallery *self, const char *dir, const char *file, const char *title, const char *lesson)
{
  Example e = { g_build_filename (dir, file, NULL), NULL, g_strdup (lesson) };

  for (guint i = 0; i < self->examples->len; i++)
    if (g_str_equal (g_array_index (self->examples, Example, i).path, e.path))
      {
        example_clear (&e);
        return;
      }
  if (!g_file_test (e.path, G_FILE_TEST_IS_REGULAR))
    {
      example_clear (&e);
      return;
    }
  e.title = title != NULL ? g_strdup (title) : g_strndup (file, strlen (file) - strlen (".mhproj"));
  g_array_append_val (self->examples, e);
}

static void
find_examples (MhExampleGallery *self, const char *dir)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *index = load_index (parser);
  g_autoptr(GDir) d = dir != NULL ? g_dir_open (dir, 0, NULL) : NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  for (guint i = 0; index != NULL && i < json_array_get_length (index); i++)
    {
      JsonObject *o = json_array_get_object_element (index, i);
      const char *file = o != NULL ? json_object_get_string_member_with_default (o, "file", NULL) : NULL;
      if (file != NULL && dir != NULL && g_str_has_suffix (file, ".mhproj") && strchr (file, '/') == NULL)
        add_example (self, dir, file, json_object_get_string_member_with_default (o, "title", NULL),
                     json_object_get_string_member_with_default (o, "lesson", NULL));
    }
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".mhproj"))
      g_ptr_array_add (others, g_strdup (name));
  g_ptr_array_sort (others, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < others->len; i++)
    add_example (self, dir, g_ptr_array_index (others, i), NULL, NULL);
}

/* ---- cards ------------------------------------------------------------ */

static GtkWidget *
thumbnail (const Example *e)
{
  g_autoptr(GFile) file = g_file_new_for_path (e->path);
  g_autoptr(MhDocument) document = mh_document_load (file, NULL);
  GtkWidget *canvas = mh_canvas_new ();
  GtkWidget *frame = gtk_frame_new (NULL);

  gtk_widget_set_size_request (canvas, THUMB_W, THUMB_H);
  gtk_widget_set_can_target (canvas, FALSE);
  gtk_widget_set_can_focus (canvas, FALSE);
  if (document != NULL)
    mh_canvas_set_document (MH_CANVAS (canvas), document);
  gtk_frame_set_child (GTK_FRAME (frame), canvas);
  gtk_widget_set_overflow (frame, GTK_OVERFLOW_HIDDEN);
  return frame;
}

static GtkWidget *
label (const char *text, const char *css, gboolean wrap)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD);
      gtk_label_set_max_width_chars (GTK_LABEL (l), 36);
      gtk_label_set_width_chars (GTK_LABEL (l), 36);
      gtk_label_set_lines (GTK_LABEL (l), 3);
    }
  if (css != NULL)
    gtk_widget_add_css_class (l, css);
  return l;
}

static void
card_clicked (GtkButton *button, MhExampleGallery *self)
{
  mh_example_gallery_choose (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")));
}

static GtkWidget *
card (MhExampleGallery *self, guint i)
{
  const Example *e = &g_array_index (self->examples, Example, i);
  g_autofree char *base = g_path_get_basename (e->path);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_box_append (GTK_BOX (box), thumbnail (e));
  gtk_box_append (GTK_BOX (box), label (_(e->title), "heading", TRUE));
  gtk_box_append (GTK_BOX (box), label (e->lesson != NULL ? _(e->lesson) : "", NULL, TRUE));
  gtk_box_append (GTK_BOX (box), label (base, "dim-label", FALSE));
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "mh-example");
  gtk_widget_set_tooltip_text (button, e->lesson != NULL ? _(e->lesson) : NULL);
  g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (i));
  g_signal_connect (button, "clicked", G_CALLBACK (card_clicked), self);
  return button;
}

/* ---- class ------------------------------------------------------------ */

static void
mh_example_gallery_finalize (GObject *object)
{
  MhExampleGallery *self = MH_EXAMPLE_GALLERY (object);

  g_array_unref (self->examples);
  G_OBJECT_CLASS (mh_example_gallery_parent_class)->finalize (object);
}

static void
mh_example_gallery_class_init (MhExampleGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mh_example_gallery_finalize;
  /* (const char *path): the example chosen; the gallery then closes */
  signals[SIGNAL_CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mh_example_gallery_init (MhExampleGallery *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkEventController *shortcut = gtk_shortcut_controller_new ();

  self->examples = g_array_new (FALSE, TRUE, sizeof (Example));
  g_array_set_clear_func (self->examples, (GDestroyNotify) example_clear);
  gtk_window_set_title (GTK_WINDOW (self), _("New from Example"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1080, 720);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  self->flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->flow), TRUE);
  /* three cards a line (a canvas would ask for its natural 960 px each) */
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->flow), 3);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow), 3);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->flow), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->flow), 12);
  gtk_widget_set_valign (self->flow, GTK_ALIGN_START);
  gtk_widget_set_margin_start (self->flow, 18);
  gtk_widget_set_margin_end (self->flow, 18);
  gtk_widget_set_margin_top (self->flow, 18);
  gtk_widget_set_margin_bottom (self->flow, 18);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), self->flow);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_box_append (GTK_BOX (box), scroll);
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcut),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Escape"),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcut);
}

MhExampleGallery *
mh_example_gallery_new (GtkWindow *parent, const char *dir)
{
  MhExampleGallery *self = g_object_new (MH_TYPE_EXAMPLE_GALLERY, "transient-for", parent, NULL);

  find_examples (self, dir);
  for (guint i = 0; i < self->examples->len; i++)
    gtk_flow_box_append (GTK_FLOW_BOX (self->flow), card (self, i));
  return self;
}

guint
mh_example_gallery_get_n (MhExampleGallery *self)
{
  g_return_val_if_fail (MH_IS_EXAMPLE_GALLERY (self), 0);

  return self->examples->len;
}

const char *
mh_example_gallery_get_path (MhExampleGallery *self, guint i)
{
  g_return_val_if_fail (MH_IS_EXAMPLE_GALLERY (self) && i < self->examples->len, NULL);

  return g_array_index (self->examples, Example, i).path;
}

const char *
mh_example_gallery_get_lesson (MhExampleGallery *self, guint i)
{
  g_return_val_if_fail (MH_IS_EXAMPLE_GALLERY (self) && i < self->examples->len, NULL);

  return g_array_index (self->examples, Example, i).lesson;
}

void
mh_example_gallery_choose (MhExampleGallery *self, guint i)
{
  g_autofree char *path = NULL;

  g_return_if_fail (MH_IS_EXAMPLE_GALLERY (self) && i < self->examples->len);

  path = g_strdup (g_array_index (self->examples, Example, i).path);
  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, path);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}
