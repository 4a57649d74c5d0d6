/* mh-weights.c — model parameters in safetensors files. */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-weights.h"
#include "mh-safetensors.h"
#include "mh-error.h"

/* Convolution kernels, the patch embedding's included: F × k × k × C in
 * the engine, F × C × k × k in files; conv1d's F × k × C in the engine,
 * F × C × k in files.  Every other tensor is stored as it is. */
static gboolean
is_conv_weight (const MhParamRef *ref)
{
  return (ref->layer->klass == &mh_conv2d_class || ref->layer->klass == &mh_patch_embed_class
          || ref->layer->klass == &mh_conv1d_class)
         && strcmp (ref->param->name, "weight") == 0;
}

/* The file's shape of a parameter: the channels move from last to second. */
static int
file_shape (const MhParamRef *ref, gint64 *shape)
{
  const MhShape *s = &ref->param->shape;

  for (int d = 0; d < s->rank; d++)
    shape[d] = s->dim[d];
  if (is_conv_weight (ref))
    {
      shape[1] = s->dim[s->rank - 1];
      for (int d = 2; d < s->rank; d++)
        shape[d] = s->dim[d - 1];
    }
  return s->rank;
}

/* to_file: engine → file layout (F × taps × C → F × C × taps); else back. */
static void
convert (const MhParamRef *ref, const float *src, float *dst, gboolean to_file)
{
  const MhShape *s = &ref->param->shape;
  gsize taps, c, f;

  if (!is_conv_weight (ref))
    {
      memcpy (dst, src, sizeof (float) * ref->param->size);
      return;
    }
  f = s->dim[0], c = s->dim[s->rank - 1], taps = ref->param->size / (f * c);
  for (gsize o = 0; o < f; o++)
    for (gsize k = 0; k < taps; k++)
      for (gsize ch = 0; ch < c; ch++)
        {
          gsize e = (o * taps + k) * c + ch;
          gsize fl = (o * c + ch) * taps + k;
          if (to_file)
            dst[fl] = src[e];
          else
            dst[e] = src[fl];
        }
}

GPtrArray *
mh_model_weight_tensors (const MhModel *m)
{
  GPtrArray *tensors = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_tensor_entry_free);

  for (guint i = 0; i < m->param_refs->len; i++)
    {
      const MhParamRef *ref = &g_array_index (m->param_refs, MhParamRef, i);
      MhTensorEntry *t = g_new0 (MhTensorEntry, 1);
      t->name = g_strdup (ref->name);
      t->rank = file_shape (ref, t->shape);
      t->size = ref->param->size;
      t->data = g_new (float, MAX (t->size, 1));
      convert (ref, ref->param->data, t->data, TRUE);
      g_ptr_array_add (tensors, t);
    }
  return tensors;
}

GHashTable *
mh_weights_metadata (const char *project_name)
{
  GHashTable *meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (meta, g_strdup ("format"), g_strdup_printf ("%d", MH_WEIGHTS_FORMAT));
  g_hash_table_insert (meta, g_strdup ("producer"), g_strdup ("multihead-studio"));
  if (project_name != NULL)
    g_hash_table_insert (meta, g_strdup ("project"), g_strdup (project_name));
  return meta;
}

void
mh_weights_metadata_add_model (GHashTable *meta, const MhModel *m)
{
  if (m->vocab != NULL)
    g_hash_table_insert (meta, g_strdup ("vocabulary"), mh_vocab_to_string (m->vocab));
}

gboolean
mh_model_check_metadata (const MhModel *m, GHashTable *meta, const char *path, GError **error)
{
  const char *theirs = meta != NULL ? g_hash_table_lookup (meta, "vocabulary") : NULL;
  g_autofree char *ours = m->vocab != NULL ? mh_vocab_to_string (m->vocab) : NULL;

  if (theirs == NULL || ours == NULL || g_str_equal (theirs, ours))
    return TRUE;
  g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
               _("%s: these weights were trained with a vocabulary of %ld characters, the data set's has %ld "
               "(another dictionary?): the same characters would read as other tokens"), path,
               g_utf8_strlen (theirs, -1), g_utf8_strlen (ours, -1));
  return FALSE;
}

gboolean
mh_model_save_weights (const MhModel *m, const char *path, const char *project_name, GError **error)
{
  g_autoptr (GPtrArray) tensors = mh_model_weight_tensors (m);
  g_autoptr (GHashTable) meta = mh_weights_metadata (project_name);

  mh_weights_metadata_add_model (meta, m);
  return mh_safetensors_write (path, tensors, meta, error);
}

MhTensorEntry *
mh_tensor_find (GPtrArray *tensors, const char *name)
{
  for (guint i = 0; i < tensors->len; i++)
    if (strcmp (((MhTensorEntry *) tensors->pdata[i])->name, name) == 0)
      return tensors->pdata[i];
  return NULL;
}

static char *
shape_string (const gint64 *shape, int rank)
{
  GString *s = g_string_new (NULL);

  for (int d = 0; d < rank; d++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, d ? "×" : "", shape[d]);
  return g_string_free (s, FALSE);
}

static gboolean
check_tensor (const MhParamRef *ref, const MhTensorEntry *t, const char *path, GError **error)
{
  gint64 want[MH_MAX_RANK];
  int rank = file_shape (ref, want);
  gboolean same = t->rank == rank;

  for (int d = 0; same && d < rank; d++)
    same = t->shape[d] == want[d];
  if (!same)
    {
      g_autofree char *got_s = shape_string (t->shape, t->rank), *want_s = shape_string (want, rank);
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE, _("%s: tensor '%s' has shape %s, the model needs %s"),
                   path, ref->name, got_s, want_s);
      return FALSE;
    }
  for (gsize i = 0; i < t->size; i++)
    if (!isfinite (t->data[i]))
      {
        g_set_error (error, MH_ERROR, MH_ERROR_NUMERIC,
                     "%s: tensor '%s' holds a value that is not finite (element %" G_GSIZE_FORMAT ")",
                     path, ref->name, i);
        return FALSE;
      }
  return TRUE;
}

gboolean
mh_model_check_tensors (const MhModel *m, GPtrArray *tensors, const char *path, GError **error)
{
  for (guint i = 0; i < m->param_refs->len; i++)
    {
      const MhParamRef *ref = &g_array_index (m->param_refs, MhParamRef, i);
      MhTensorEntry *t = mh_tensor_find (tensors, ref->name);
      if (t == NULL)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                       _("%s: tensor '%s' is missing (weights of another model?)"), path, ref->name);
          return FALSE;
        }
      if (!check_tensor (ref, t, path, error))
        return FALSE;
    }
  return TRUE;
}

void
mh_model_set_tensors (MhModel *m, GPtrArray *tensors)
{
  for (guint i = 0; i < m->param_refs->len; i++)
    {
      const MhParamRef *ref = &g_array_index (m->param_refs, MhParamRef, i);
      convert (ref, mh_tensor_find (tensors, ref->name)->data, ref->param->data, FALSE);
    }
}

gboolean
mh_model_load_weights (MhModel *m, const char *path, GError **error)
{
  g_autoptr (GHashTable) meta = NULL;
  g_autoptr (GPtrArray) tensors = mh_safetensors_read (path, &meta, error);

  if (tensors == NULL || !mh_model_check_metadata (m, meta, path, error)
      || !mh_model_check_tensors (m, tensors, path, error))
    return FALSE;
  mh_model_set_tensors (m, tensors);
  return TRUE;
}

/* ---- transfer learning ---------------------------------------------------- */

/* Whether parameter `ref` belongs to one of the first `layers` backbone
 * layers (0: any backbone layer). */
static gboolean
in_first_layers (const MhModel *m, const MhParamRef *ref, int layers)
{
  guint n = layers > 0 ? MIN ((guint) layers, m->backbone->len) : m->backbone->len;

  for (guint i = 0; i < n; i++)
    if (g_ptr_array_index (m->backbone, i) == ref->layer)
      return TRUE;
  return FALSE;
}

gboolean
mh_model_load_backbone (MhModel *m, const char *path, int layers, int *loaded, GError **error)
{
  g_autoptr (GPtrArray) tensors = mh_safetensors_read (path, NULL, error);
  g_autoptr (GString) problems = g_string_new (NULL);
  int n_problems = 0, n = 0;

  if (tensors == NULL)
    return FALSE;
  if (layers > 0 && (guint) layers > m->backbone->len)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: transfer.layers is %d but the backbone has %u layers"), path, layers,
                   m->backbone->len);
      return FALSE;
    }
  for (guint i = 0; i < m->param_refs->len; i++)
    {
      const MhParamRef *ref = &g_array_index (m->param_refs, MhParamRef, i);
      MhTensorEntry *t;
      gint64 want[MH_MAX_RANK];
      int rank;
      gboolean same;

      if (!in_first_layers (m, ref, layers))
        continue;
      n++;
      t = mh_tensor_find (tensors, ref->name);
      rank = file_shape (ref, want);
      if (t == NULL)
        {
          g_autofree char *want_s = shape_string (want, rank);
          g_string_append_printf (problems, _("%s'%s' (%s) is not in the file"), n_problems ? "; " : "",
                                  ref->name, want_s);
          n_problems++;
          continue;
        }
      same = t->rank == rank;
      for (int d = 0; same && d < rank; d++)
        same = t->shape[d] == want[d];
      if (!same)
        {
          g_autofree char *got_s = shape_string (t->shape, t->rank), *want_s = shape_string (want, rank);
          g_string_append_printf (problems, _("%s'%s' is %s in the file, %s in the model"),
                                  n_problems ? "; " : "", ref->name, got_s, want_s);
          n_problems++;
        }
    }
  if (n_problems > 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE, _("%s: %d of the %d backbone tensors to transfer "
                   "do not match: %s"), path, n_problems, n, problems->str);
      return FALSE;
    }
  for (guint i = 0; i < m->param_refs->len; i++)
    {
      const MhParamRef *ref = &g_array_index (m->param_refs, MhParamRef, i);
      if (in_first_layers (m, ref, layers) && !check_tensor (ref, mh_tensor_find (tensors, ref->name), path, error))
        return FALSE;
    }
  for (guint i = 0; i < m->param_refs->len; i++)
    {
      const MhParamRef *ref = &g_array_index (m->param_refs, MhParamRef, i);
      if (in_first_layers (m, ref, layers))
        convert (ref, mh_tensor_find (tensors, ref->name)->data, ref->param->data, FALSE);
    }
  if (loaded != NULL)
    *loaded = n;
  return TRUE;
}
