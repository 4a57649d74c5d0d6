/* mh-schema.c — data set schemas without data, and project spec copies. */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-error.h"
#include "mh-schema.h"
#include "mh-splits.h"

/* Fashion-MNIST's fields, as mh-dataset-fashion.c fills them (docs/ARCHITECTURE.md, "Reference models"). */
static const char *const fashion_category[] = {
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot", NULL
};
static const char *const fashion_group[] = { "clothing", "trousers", "footwear", "bag", NULL };
static const char *const fashion_upper[] = { "no", "yes", NULL };

static void
add_class_field (MhDataset *d, const char *name, const char *const *names)
{
  MhField *f = &d->fields[d->n_fields++];

  f->name = g_strdup (name);
  f->kind = MH_FIELD_CLASS;
  f->names = g_strdupv ((char **) names);
  f->dim = (int) g_strv_length (f->names);
}

MhDataset *
mh_schema_new (const MhDataSpec *data, GError **error)
{
  MhDataset *d;

  g_return_val_if_fail (data != NULL, NULL);

  if (g_strcmp0 (data->kind, "multi-fashion") == 0)
    return mh_multi_fashion_schema ();
  if (g_strcmp0 (data->kind, "shapes") == 0)
    return mh_shapes_schema (data->size);
  if (g_strcmp0 (data->kind, "image-folder") == 0)
    return mh_image_folder_schema (NULL, data, error);
  if (g_strcmp0 (data->kind, "german-nouns") == 0)
    return mh_german_nouns_schema (data, error);
  if (g_strcmp0 (data->kind, "sensors") == 0)
    return mh_sensors_schema ();
  if (g_strcmp0 (data->kind, "sensor-csv") == 0)
    return mh_sensor_csv_schema (NULL, data, error);
  if (g_strcmp0 (data->kind, "fashion-mnist") != 0)
    {
      if (data->kind == NULL)
        g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("dataset.kind is missing"));
      else
        g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                     _("dataset.kind: unknown kind '%s' (known: fashion-mnist, multi-fashion,"
                     " shapes, image-folder, german-nouns, sensors, sensor-csv)"), data->kind);
      return NULL;
    }
  d = g_new0 (MhDataset, 1);
  d->name = g_strdup ("schema");
  d->shape = mh_shape3 (28, 28, 1);
  d->fields = g_new0 (MhField, 3);
  add_class_field (d, "category", fashion_category);
  add_class_field (d, "group", fashion_group);
  add_class_field (d, "upper", fashion_upper);
  return d;
}

MhDataset *
mh_schema_new_at (const MhDataSpec *data, const char *dir, GError **error)
{
  MhDataSpec at;

  if (dir == NULL)
    return mh_schema_new (data, error);
  at = *data;
  at.path = (char *) dir;
  return mh_schema_new (&at, error);
}

gboolean
mh_schema_data_available (const MhDataSpec *data, char **hint)
{
  const char *dir;
  g_autofree char *probe = NULL;

  g_return_val_if_fail (data != NULL, FALSE);

  if (g_strcmp0 (data->kind, "sensor-csv") == 0)
    {
      if (data->path != NULL && g_file_test (data->path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
      if (hint != NULL)
        *hint = g_strdup ("choose the CSV file of the recordings");
      return FALSE;
    }
  if (g_strcmp0 (data->kind, "image-folder") == 0)
    {
      probe = data->path != NULL ? g_build_filename (data->path, "labels.csv", NULL) : NULL;
      if (probe != NULL && g_file_test (probe, G_FILE_TEST_EXISTS))
        return TRUE;
      if (hint != NULL)
        *hint = g_strdup ("choose the folder that holds the images and their labels.csv");
      return FALSE;
    }
  if (g_strcmp0 (data->kind, "german-nouns") == 0)
    {
      const char *path = data->path != NULL ? data->path : mh_german_nouns_default_path ();
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
      if (hint != NULL)
        *hint = data->path != NULL
          ? g_strdup_printf (_("the dictionary %s is not there: choose the .dict.dz file"), path)
          : g_strdup (_("German Nouns needs the dictionary: install the Debian package "
                      "dict-freedict-deu-eng (sudo apt install dict-freedict-deu-eng)"));
      return FALSE;
    }
  if (g_strcmp0 (data->kind, "fashion-mnist") != 0 && g_strcmp0 (data->kind, "multi-fashion") != 0)
    return TRUE;   /* nothing to look for */
  dir = data->path != NULL ? data->path : g_getenv ("MH_FASHION_MNIST_DIR");
  if (dir == NULL)
    dir = mh_fashion_mnist_default_dir ();
  probe = g_build_filename (dir, "train-images-idx3-ubyte.gz", NULL);
  if (g_file_test (probe, G_FILE_TEST_EXISTS))
    return TRUE;
  if (hint != NULL)
    *hint = data->path != NULL
      ? g_strdup_printf (_("Fashion-MNIST is not in %s: choose the folder that holds it"), dir)
      : g_strdup (_("Fashion-MNIST is not installed: install the Debian package "
                  "dataset-fashion-mnist (sudo apt install dataset-fashion-mnist)"));
  return FALSE;
}

GArray *
mh_layer_block_new (void)
{
  GArray *layers = g_array_new (FALSE, TRUE, sizeof (MhLayerSpec));

  g_array_set_clear_func (layers, (GDestroyNotify) mh_layer_spec_clear);
  return layers;
}

GArray *
mh_layer_block_copy (GArray *layers)
{
  GArray *copy = mh_layer_block_new ();

  for (guint i = 0; layers != NULL && i < layers->len; i++)
    {
      MhLayerSpec spec;
      mh_layer_spec_copy (&g_array_index (layers, MhLayerSpec, i), &spec);
      g_array_append_val (copy, spec);
    }
  return copy;
}

void
mh_head_spec_init (MhHeadSpec *head, const char *name, const char *kind, GArray *layers)
{
  g_return_if_fail (head != NULL);

  *head = (MhHeadSpec) {
    .name = g_strdup (name),
    .kind = g_strdup (kind),
    .weight = 1,
    .threshold = 0.5,
    .layers = layers != NULL ? layers : mh_layer_block_new (),
  };
}

void
mh_head_spec_copy (const MhHeadSpec *src, MhHeadSpec *dst)
{
  g_return_if_fail (src != NULL && dst != NULL);

  *dst = *src;
  dst->name = g_strdup (src->name);
  dst->kind = g_strdup (src->kind);
  dst->input = g_strdup (src->input);
  dst->target = g_strdup (src->target);
  dst->loss = g_strdup (src->loss);
  dst->layers = mh_layer_block_copy (src->layers);
}

MhProject *
mh_project_copy (const MhProject *p)
{
  MhProject *c;

  g_return_val_if_fail (p != NULL, NULL);

  c = g_new0 (MhProject, 1);
  *c = *p;
  c->name = g_strdup (p->name);
  c->data.kind = g_strdup (p->data.kind);
  c->data.path = g_strdup (p->data.path);
  c->backbone_kind = g_strdup (p->backbone_kind);
  c->backbone = mh_layer_block_copy (p->backbone);
  c->heads = g_array_new (FALSE, TRUE, sizeof (MhHeadSpec));
  g_array_set_clear_func (c->heads, (GDestroyNotify) mh_head_spec_clear);
  for (guint i = 0; p->heads != NULL && i < p->heads->len; i++)
    {
      MhHeadSpec head;
      mh_head_spec_copy (&g_array_index (p->heads, MhHeadSpec, i), &head);
      g_array_append_val (c->heads, head);
    }
  c->optim.kind = g_strdup (p->optim.kind);
  c->schedule.kind = g_strdup (p->schedule.kind);
  c->balancing = g_strdup (p->balancing);
  c->weights = g_strdup (p->weights);
  c->transfer_weights = g_strdup (p->transfer_weights);
  c->layout = p->layout != NULL ? json_node_copy (p->layout) : NULL;
  return c;
}
