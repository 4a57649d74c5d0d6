/* mh-project-data.c — the "dataset" section of a project file: the keys each
 * kind takes and their defaults, reading, checking and writing them.  The
 * table is docs/file-formats.md's ("Project files"); keep the two in step.
 *
 *   kind            keys besides "kind", "validation" and "augment"
 *   fashion-mnist   path
 *   multi-fashion   path, seed
 *   shapes          size, train, test, seed
 *   image-folder    path (required), width, height, channels, test_fraction, seed
 *   german-nouns    path, length, test_fraction
 *   sensors         train, test, seed
 *   sensor-csv      path (required), length, test_fraction, seed
 *
 *   "augment": { "shift": pixels, "flip": true or false }
 */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-project-private.h"

#define FASHION_SIDE 28

static const char *const fashion_keys[] = { "kind", "path", "validation", "augment", NULL };
static const char *const multi_keys[] = { "kind", "path", "validation", "seed", "augment", NULL };
static const char *const shapes_keys[] = {
  "kind", "size", "train", "test", "validation", "seed", "augment", NULL
};
static const char *const folder_keys[] = {
  "kind", "path", "width", "height", "channels", "test_fraction", "validation", "seed", "augment", NULL
};
static const char *const nouns_keys[] = { "kind", "path", "length", "test_fraction", "validation", NULL };
static const char *const sensors_keys[] = { "kind", "train", "test", "validation", "seed", NULL };
static const char *const sensor_csv_keys[] = {
  "kind", "path", "length", "test_fraction", "validation", "seed", NULL
};
static const char *const augment_keys[] = { "shift", "flip", NULL };

static const struct {
  const char        *kind;
  const char *const *keys;
} kinds[] = {
  { "fashion-mnist", fashion_keys },
  { "multi-fashion", multi_keys },
  { "shapes", shapes_keys },
  { "image-folder", folder_keys },
  { "german-nouns", nouns_keys },
  { "sensors", sensors_keys },
  { "sensor-csv", sensor_csv_keys },
};

/* The integer keys and where they go. */
static const struct {
  const char *key;
  gsize       offset;
} int_keys[] = {
  { "validation", G_STRUCT_OFFSET (MhDataSpec, validation) },
  { "size", G_STRUCT_OFFSET (MhDataSpec, size) },
  { "train", G_STRUCT_OFFSET (MhDataSpec, train) },
  { "test", G_STRUCT_OFFSET (MhDataSpec, test) },
  { "width", G_STRUCT_OFFSET (MhDataSpec, width) },
  { "height", G_STRUCT_OFFSET (MhDataSpec, height) },
  { "channels", G_STRUCT_OFFSET (MhDataSpec, channels) },
  { "length", G_STRUCT_OFFSET (MhDataSpec, length) },
};

static int *
int_key (const MhDataSpec *d, const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (int_keys); i++)
    if (g_str_equal (int_keys[i].key, key))
      return (int *) ((char *) d + int_keys[i].offset);
  return NULL;
}

void
_mh_project_data_defaults (MhDataSpec *d)
{
  d->validation = 0;
  d->seed = 1;
  d->size = 48;
  d->train = 10000;
  d->test = 2000;
  d->width = 32;
  d->height = 32;
  d->channels = 3;
  d->test_fraction = 0.2;
  d->length = 128;
  d->augment = (MhAugmentSpec) { 0, FALSE };
}

/* Defaults that differ by kind, set once the kind is known. */
static void
kind_defaults (MhDataSpec *d)
{
  if (g_strcmp0 (d->kind, "german-nouns") == 0)
    {
      d->length = 24;
      d->test_fraction = 0.1;
      d->validation = 5000;
    }
  else if (g_strcmp0 (d->kind, "sensors") == 0)
    {
      d->train = 20000;
      d->test = 4000;
      d->validation = 2000;
    }
}

/* The keys `kind` takes; NULL for an unknown kind. */
static const char *const *
kind_keys (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].kind, kind) == 0)
      return kinds[i].keys;
  return NULL;
}

static gboolean
fail_kind (const char *where, const char *kind, GError **error)
{
  g_autoptr(GString) known = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_string_append_printf (known, "%s%s", i ? ", " : "", kinds[i].kind);
  if (kind == NULL)
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, "dataset.kind", _("dataset.kind is missing"));
  return _mh_project_fail (error, MH_ERROR_INVALID, where, "dataset.kind",
                           _("unknown kind '%s' (known: %s)"), kind, known->str);
}

/* Every key of `o` is one of `keys`, those `what` takes ("a shapes dataset"). */
static gboolean
check_kind_keys (const char *where, const char *path, JsonObject *o, const char *what,
                 const char *const *keys, GError **error)
{
  g_autoptr(GList) members = json_object_get_members (o);

  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *list = NULL;
      gboolean elsewhere = FALSE;

      if (g_strv_contains (keys, l->data))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        elsewhere = elsewhere || g_strv_contains (kinds[i].keys, l->data);
      list = g_strjoinv (", ", (char **) keys);
      if (elsewhere)
        return _mh_project_fail (error, MH_ERROR_INVALID, where, path,
                                 _("'%s' is not a key of %s (it takes: %s)"),
                                 (const char *) l->data, what, list);
      return _mh_project_fail (error, MH_ERROR_INVALID, where, path,
                               _("unknown key '%s' (%s takes: %s)"), (const char *) l->data, what, list);
    }
  return TRUE;
}

static gboolean
read_augment (const char *where, JsonObject *o, MhAugmentSpec *a, GError **error)
{
  static const char path[] = "dataset.augment";
  JsonObject *aug = NULL;

  if (!_mh_project_read (where, "dataset", o, "augment", MH_READ_OBJECT, &aug, error))
    return FALSE;
  if (aug == NULL)
    return TRUE;
  return check_kind_keys (where, path, aug, "augment", augment_keys, error)
         && _mh_project_read (where, path, aug, "shift", MH_READ_INT, &a->shift, error)
         && _mh_project_read (where, path, aug, "flip", MH_READ_BOOL, &a->flip, error);
}

gboolean
_mh_project_read_dataset (const char *where, JsonObject *o, MhDataSpec *d, GError **error)
{
  static const char path[] = "dataset";
  const char *const *keys;
  g_autofree char *what = NULL;

  if (!json_object_has_member (o, "kind"))
    return _mh_project_fail (error, MH_ERROR_INVALID, where, path, _("missing key 'kind'"));
  if (!_mh_project_read (where, path, o, "kind", MH_READ_STRING, &d->kind, error))
    return FALSE;
  keys = kind_keys (d->kind);
  if (keys == NULL)
    return fail_kind (where, d->kind, error);
  kind_defaults (d);
  what = g_strdup_printf (_("a %s dataset"), d->kind);
  if (!check_kind_keys (where, path, o, what, keys, error)
      || !_mh_project_read (where, path, o, "path", MH_READ_STRING, &d->path, error)
      || !_mh_project_read (where, path, o, "seed", MH_READ_SEED, &d->seed, error)
      || !_mh_project_read (where, path, o, "test_fraction", MH_READ_DOUBLE, &d->test_fraction, error)
      || !read_augment (where, o, &d->augment, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (int_keys); i++)
    if (!_mh_project_read (where, path, o, int_keys[i].key, MH_READ_INT,
                           int_key (d, int_keys[i].key), error))
      return FALSE;
  return TRUE;
}

static gboolean
check_range (const char *where, const char *key, int v, int lo, int hi, GError **error)
{
  g_autofree char *at = NULL;

  if (v >= lo && v <= hi)
    return TRUE;
  at = g_strdup_printf ("dataset.%s", key);
  return _mh_project_fail_in (error, MH_ERROR_INVALID, where, at, _("%s must be between %d and %d, got %d"), at, lo,
                              hi, v);
}

/* The side of the images, for the shift's limit. */
static int
image_side (const MhDataSpec *d)
{
  if (g_str_equal (d->kind, "shapes"))
    return d->size;
  if (g_str_equal (d->kind, "image-folder"))
    return MIN (d->width, d->height);
  return FASHION_SIDE;
}

static gboolean
is_sequence_kind (const char *kind)
{
  return g_str_equal (kind, "german-nouns") || g_str_equal (kind, "sensors") || g_str_equal (kind, "sensor-csv");
}

static gboolean
check_fraction (const char *where, const MhDataSpec *d, GError **error)
{
  if (d->test_fraction >= 0 && d->test_fraction < 1)
    return TRUE;
  return _mh_project_fail_in (error, MH_ERROR_INVALID, where, "dataset.test_fraction",
                              _("dataset.test_fraction must be at least 0 and below 1, got %g"), d->test_fraction);
}

static gboolean
check_sequences (const char *where, const MhDataSpec *d, GError **error)
{
  if (g_str_equal (d->kind, "german-nouns"))
    return check_range (where, "length", d->length, 1, 100, error) && check_fraction (where, d, error);
  if (g_str_equal (d->kind, "sensors"))
    return check_range (where, "train", d->train, 1, 10000000, error)
           && check_range (where, "test", d->test, 0, 10000000, error)
           && check_range (where, "validation", d->validation, 0, d->train - 1, error);
  if (d->path == NULL || *d->path == '\0')
    return _mh_project_fail (error, MH_ERROR_INVALID, where, "dataset",
                             _("a sensor-csv dataset needs 'path', the CSV file of the recordings"));
  return check_range (where, "length", d->length, 2, 100000, error) && check_fraction (where, d, error);
}

gboolean
_mh_project_check_dataset (const char *where, const MhDataSpec *d, GError **error)
{
  if (kind_keys (d->kind) == NULL)
    return fail_kind (where, d->kind, error);
  if (d->validation < 0)
    return _mh_project_fail_in (error, MH_ERROR_INVALID, where, "dataset.validation",
                                _("dataset.validation must not be negative, got %d"), d->validation);
  if (is_sequence_kind (d->kind))
    return check_sequences (where, d, error);
  if (g_str_equal (d->kind, "shapes")
      && (!check_range (where, "size", d->size, 16, 512, error)
          || !check_range (where, "train", d->train, 1, 10000000, error)
          || !check_range (where, "test", d->test, 0, 10000000, error)
          || !check_range (where, "validation", d->validation, 0, d->train - 1, error)))
    return FALSE;
  if (g_str_equal (d->kind, "image-folder"))
    {
      if (d->path == NULL || *d->path == '\0')
        return _mh_project_fail (error, MH_ERROR_INVALID, where, "dataset",
                                 _("an image-folder dataset needs 'path', the folder with labels.csv"));
      if (!check_range (where, "width", d->width, 1, 4096, error)
          || !check_range (where, "height", d->height, 1, 4096, error))
        return FALSE;
      if (d->channels != 1 && d->channels != 3)
        return _mh_project_fail_in (error, MH_ERROR_INVALID, where, "dataset.channels",
                                    _("dataset.channels must be 1 (grey) or 3 (RGB), got %d"), d->channels);
      if (!check_fraction (where, d, error))
        return FALSE;
    }
  if (d->augment.flip && g_str_equal (d->kind, "multi-fashion"))
    return _mh_project_fail (error, MH_ERROR_INVALID, where, "dataset.augment.flip",
                             _("a multi-fashion image cannot be flipped: its left and right items"
                             " would swap places"));
  return check_range (where, "augment.shift", d->augment.shift, 0, (image_side (d) - 1) / 2, error);
}

void
_mh_project_build_dataset (JsonBuilder *b, const MhDataSpec *d)
{
  const char *const *keys = kind_keys (d->kind);

  json_builder_begin_object (b);
  if (keys == NULL && d->kind != NULL)   /* an unknown kind: what there is */
    {
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, d->kind);
    }
  for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
    {
      const char *key = keys[k];
      const int *v = int_key (d, key);

      if (g_str_equal (key, "path") && d->path == NULL)
        continue;
      json_builder_set_member_name (b, key);
      if (v != NULL)
        json_builder_add_int_value (b, *v);
      else if (g_str_equal (key, "seed"))
        json_builder_add_int_value (b, d->seed);
      else if (g_str_equal (key, "test_fraction"))
        json_builder_add_double_value (b, d->test_fraction);
      else if (g_str_equal (key, "augment"))
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "shift");
          json_builder_add_int_value (b, d->augment.shift);
          json_builder_set_member_name (b, "flip");
          json_builder_add_boolean_value (b, d->augment.flip);
          json_builder_end_object (b);
        }
      else
        json_builder_add_string_value (b, g_str_equal (key, "kind") ? d->kind : d->path);
    }
  json_builder_end_object (b);
}

void
mh_data_spec_set_kind (MhDataSpec *d, const char *kind)
{
  g_return_if_fail (d != NULL);

  g_free (d->kind);
  d->kind = g_strdup (kind);
  _mh_project_data_defaults (d);
  kind_defaults (d);
}

gboolean
mh_data_kind_known (const char *kind)
{
  return kind_keys (kind) != NULL;
}

char *
mh_data_spec_key (const MhDataSpec *d)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (d != NULL, NULL);

  /* the section of the project file, less what changes no sample */
  _mh_project_build_dataset (b, d);
  root = json_builder_get_root (b);
  json_object_remove_member (json_node_get_object (root), "augment");
  return json_to_string (root, FALSE);
}
