/* mh-inspector-data.c — the data source's page of the inspector: where the
 * images come from (a folder chooser where the kind reads a folder), the
 * keys that kind takes (mh-project-data.c: image side and split sizes of
 * Shapes; image size, channels and test share of an image folder; seeds),
 * the validation split, augmentation (shift, flip) and the label fields. */
#include <glib/gi18n.h>
#include <math.h>
#include <glib/gi18n.h>
#include "mh-edits.h"
#include "mh-file-chooser.h"
#include "mh-inspector-private.h"
#include "mh-teach.h"
#include "mh-schema.h"

#define FASHION_SIDE 28

static const char *const channel_values[] = { "1", "3", NULL };
static const char *const channel_titles[] = { "1 — grey", "3 — colour (RGB)", NULL };

static gboolean
kind_is (const MhProject *p, const char *kind)
{
  return g_strcmp0 (p->data.kind, kind) == 0;
}

/* The images' side, for the shift's limit (as the project check has it). */
static int
image_side (const MhProject *p)
{
  if (kind_is (p, "shapes"))
    return p->data.size;
  if (kind_is (p, "image-folder"))
    return MIN (p->data.width, p->data.height);
  return FASHION_SIDE;
}

const char *
_mh_inspector_apply_data (MhInspector *self, MhProject *p, Binding *b, const GValue *v, gboolean *rebuild)
{
  MhDataSpec *d = &p->data;
  double x = G_VALUE_HOLDS_DOUBLE (v) ? g_value_get_double (v) : 0;
  const char *s = G_VALUE_HOLDS_STRING (v) ? g_value_get_string (v) : NULL;

  switch (b->field)
    {
    case F_DATA_PATH:
      _mh_inspector_set_string (&d->path, s);
      *rebuild = TRUE;   /* the label fields may change */
      return _("Change Data Folder");
    case F_DATA_VALIDATION: d->validation = (int) x; return _("Change Validation Split");
    case F_DATA_SEED: d->seed = (guint32) x; return _("Change Data Seed");
    case F_DATA_SIZE: d->size = (int) x; *rebuild = TRUE; return _("Change Image Size");
    case F_DATA_TRAIN: d->train = (int) x; return _("Change Training Images");
    case F_DATA_TEST: d->test = (int) x; return _("Change Test Images");
    case F_DATA_WIDTH: d->width = (int) x; *rebuild = TRUE; return _("Change Image Width");
    case F_DATA_HEIGHT: d->height = (int) x; *rebuild = TRUE; return _("Change Image Height");
    case F_DATA_CHANNELS:
      if (s == NULL)
        return NULL;
      d->channels = (int) g_ascii_strtoll (s, NULL, 10);
      return _("Change Channels");
    case F_DATA_TEST_FRACTION: d->test_fraction = x; return _("Change Test Share");
    case F_DATA_LENGTH: d->length = (int) x; *rebuild = TRUE; return _("Change Sequence Length");
    case F_AUG_SHIFT: d->augment.shift = (int) x; return _("Change Random Shift");
    case F_AUG_FLIP:
      d->augment.flip = G_VALUE_HOLDS_BOOLEAN (v) && g_value_get_boolean (v);
      return d->augment.flip ? _("Flip Training Images") : _("Do Not Flip Training Images");
    default:
      return NULL;
    }
}

/* ---- the folder ---------------------------------------------------------- */

static void
folder_chosen (GtkNativeDialog *native, int response, GtkWidget *row)
{
  Binding *b = g_object_get_data (G_OBJECT (row), "binding");

  if (response == GTK_RESPONSE_ACCEPT && b != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      GValue v = G_VALUE_INIT;

      if (path != NULL)
        {
          g_value_init (&v, G_TYPE_STRING);
          g_value_set_string (&v, path);
          gtk_editable_set_text (GTK_EDITABLE (row), path);
          _mh_inspector_apply (b, &v);
          g_value_unset (&v);
        }
    }
  g_object_unref (row);   /* held while the dialog was open */
  g_object_unref (native);
}

static void
choose_folder (GtkButton *button, GtkWidget *row)
{
  mh_file_chooser_show (row, _("Choose the Data Folder"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Choose"),
                        NULL, NULL, FALSE, G_CALLBACK (folder_chosen), g_object_ref (row));
}

/* What an empty folder means depends on the kind. */
static const char *
folder_title (const MhProject *p)
{
  if (kind_is (p, "image-folder"))
    return _("Folder with labels.csv (required)");
  if (kind_is (p, "german-nouns"))
    return _("Dictionary (empty: Debian’s dict-freedict-deu-eng)");
  if (kind_is (p, "sensor-csv"))
    return _("CSV file of the recordings (required)");
  return _("Folder (empty: Debian's dataset-fashion-mnist)");
}

static GtkWidget *
folder_row (MhInspector *self, const MhProject *p)
{
  GtkWidget *row = _mh_inspector_entry_row (self, folder_title (p), p->data.path, F_DATA_PATH, -1, -1);
  GtkWidget *button = gtk_button_new_from_icon_name ("folder-open-symbolic");

  gtk_widget_set_tooltip_text (button, _("Choose a folder…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_name (button, "choose-folder");
  g_signal_connect (button, "clicked", G_CALLBACK (choose_folder), row);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
  return row;
}

/* ---- the page ------------------------------------------------------------ */

static GtkWidget *
spin (MhInspector *self, const char *title, const char *subtitle, double value, double lower, double upper,
      double step, guint digits, Field field)
{
  return _mh_inspector_spin_row (self, title, subtitle, value, lower, upper, step, digits, field, -1, -1, NULL);
}

static void
source_group (MhInspector *self, const MhProject *p)
{
  GtkWidget *g = _mh_inspector_group (self, _("Data source"), NULL);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *id = g_strdup_printf ("data:%s", p->data.kind);
  g_autofree char *channels = g_strdup_printf ("%d", p->data.channels);
  const MhPaletteItem *item = mh_palette_find (id);
  const MhDataSpec *d = &p->data;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item != NULL ? _(item->title) : p->data.kind);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (g), mh_teach_help_button_new (id));
  if (item != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(item->subtitle));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
  if (!kind_is (p, "shapes") && !kind_is (p, "sensors"))
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), folder_row (self, p));
  if (kind_is (p, "german-nouns") || kind_is (p, "sensor-csv"))
    {
      gboolean words = kind_is (p, "german-nouns");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 spin (self, words ? _("Word length") : _("Window length"),
                                       words ? _("Characters the model reads: a longer word keeps its end")
                                             : _("Time steps in a window"),
                                       d->length, 1, words ? 64 : 4096, 1, 0, F_DATA_LENGTH));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 spin (self, _("Test share"), words ? _("Share of the words kept for the test set")
                                                                 : _("Share of the windows kept for the test set"),
                                       d->test_fraction, 0, 0.95, 0.05, 2, F_DATA_TEST_FRACTION));
    }
  if (kind_is (p, "sensors"))
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 spin (self, _("Training windows"), _("Generated anew from the seed"), d->train,
                                       1, 1e7, 1000, 0, F_DATA_TRAIN));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 spin (self, _("Test windows"), NULL, d->test, 0, 1e7, 500, 0, F_DATA_TEST));
    }
  if (kind_is (p, "shapes"))
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 spin (self, _("Image size"), _("Side of the square images, in pixels"), d->size,
                                       16, 512, 8, 0, F_DATA_SIZE));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 spin (self, _("Training images"), _("Drawn anew from the seed"), d->train,
                                       1, 1e7, 1000, 0, F_DATA_TRAIN));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 spin (self, _("Test images"), NULL, d->test, 0, 1e7, 500, 0, F_DATA_TEST));
    }
  if (kind_is (p, "image-folder"))
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 spin (self, _("Image width"), _("Every image is resized to this"), d->width,
                                       1, 4096, 1, 0, F_DATA_WIDTH));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 spin (self, _("Image height"), NULL, d->height, 1, 4096, 1, 0, F_DATA_HEIGHT));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 _mh_inspector_combo_row (self, _("Channels"), NULL, channel_values, channel_titles,
                                                          channels, F_DATA_CHANNELS, -1));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 spin (self, _("Test share"), _("Share of the images kept for the test set"),
                                       d->test_fraction, 0, 0.95, 0.05, 2, F_DATA_TEST_FRACTION));
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                             spin (self, _("Validation images"), _("Training images held out to validate"),
                                   d->validation, 0, kind_is (p, "shapes") ? MAX (0, d->train - 1) : 1e7, 500, 0,
                                   F_DATA_VALIDATION));
  if (!kind_is (p, "fashion-mnist") && !kind_is (p, "german-nouns"))
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                               spin (self, _("Data seed"),
                                     kind_is (p, "image-folder") ? _("Which images go to the test set")
                                     : kind_is (p, "shapes") ? _("Which shapes are drawn")
                                     : kind_is (p, "sensors") ? _("Which windows are generated")
                                     : kind_is (p, "sensor-csv") ? _("Which windows go to the test set")
                                     : _("Which items are paired"),
                                     d->seed, 0, 4294967295.0, 1, 0, F_DATA_SEED));
}

static void
augment_group (MhInspector *self, const MhProject *p)
{
  GtkWidget *g = _mh_inspector_group (self, _("Augmentation"),
                                      _("Random changes to every training image, new each epoch"));
  int max_shift = MAX (0, (image_side (p) - 1) / 2);
  GtkWidget *flip;

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                             spin (self, _("Random shift"), _("Up to ± this many pixels across and down"),
                                   p->data.augment.shift, 0, MAX (max_shift, p->data.augment.shift), 1, 0,
                                   F_AUG_SHIFT));
  flip = _mh_inspector_switch_row (self, _("Random flip"),
                                   kind_is (p, "multi-fashion") ? _("Not for Multi-Fashion: left and right would swap")
                                   : _("Mirror half of the training images"),
                                   p->data.augment.flip, F_AUG_FLIP, -1, -1);
  gtk_widget_set_sensitive (flip, !kind_is (p, "multi-fashion") || p->data.augment.flip);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), flip);
}

void
_mh_inspector_data_page (MhInspector *self, const MhProject *p, const MhAnalysis *a)
{
  GtkWidget *g;

  source_group (self, p);
  if (a->schema == NULL || a->schema->input == MH_INPUT_PIXELS)   /* shifts and flips are for images */
    augment_group (self, p);
  if (a->schema == NULL)
    return;
  g = _mh_inspector_group (self, _("Label fields"), _("Connect a field to a head's target port to make the head learn it"));
  for (int i = 0; i < a->schema->n_fields; i++)
    {
      const MhField *f = &a->schema->fields[i];
      g_autofree char *names = f->names != NULL ? g_strjoinv (", ", f->names) : NULL;
      g_autofree char *title = g_strdup_printf ("%s — %d %s", f->name, f->dim,
                                                f->kind == MH_FIELD_CLASS ? "classes"
                                                : f->kind == MH_FIELD_LABELS ? "labels" : "numbers");
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), names);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
    }
}
