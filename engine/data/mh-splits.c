/* mh-splits.c — the data set a project names, loaded by its kind. */
#include "mh-error.h"
#include <glib/gi18n.h>
#include "mh-splits.h"

MhSplits *
mh_splits_load (const MhDataSpec *spec, const char *dir, const char *where, GError **error)
{
  MhSplits *s = NULL;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_strcmp0 (spec->kind, "fashion-mnist") == 0)
    s = mh_fashion_mnist_load (dir ? dir : spec->path, spec->validation, error);
  else if (g_strcmp0 (spec->kind, "multi-fashion") == 0)
    s = mh_multi_fashion_load (dir ? dir : spec->path, spec->validation, spec->seed, error);
  else if (g_strcmp0 (spec->kind, "shapes") == 0)
    s = mh_shapes_load (spec->size, spec->train, spec->test, spec->validation, spec->seed, error);
  else if (g_strcmp0 (spec->kind, "image-folder") == 0)
    s = mh_image_folder_load (dir, spec, error);
  else if (g_strcmp0 (spec->kind, "german-nouns") == 0)
    {
      MhDataSpec at = *spec;
      at.path = dir != NULL ? (char *) dir : spec->path;
      s = mh_german_nouns_load (&at, error);
    }
  else if (g_strcmp0 (spec->kind, "sensors") == 0)
    s = mh_sensors_load (spec, error);
  else if (g_strcmp0 (spec->kind, "sensor-csv") == 0)
    s = mh_sensor_csv_load (dir, spec, error);
  else
    g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("dataset.kind: '%s' is not a dataset this version reads"),
                 spec->kind);
  if (s == NULL && where != NULL)
    g_prefix_error (error, "%s: ", where);
  return s;
}
