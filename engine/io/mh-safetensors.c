/* mh-safetensors.c — reading and writing safetensors files. */
#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <gio/gio.h>
#include "mh-safetensors.h"
#include "mh-error.h"

void
mh_tensor_entry_free (MhTensorEntry *t)
{
  if (t == NULL)
    return;
  g_free (t->name);
  g_free (t->data);
  g_free (t);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(MhTensorEntry *const *) a)->name, (*(MhTensorEntry *const *) b)->name);
}

gboolean
mh_safetensors_write (const char *path, GPtrArray *tensors, GHashTable *metadata, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) sorted = g_ptr_array_sized_new (tensors->len);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *header = NULL;
  gsize header_len, padded, offset = 0;
  guint64 len_le;

  /* safetensors writers order tensors by name; so do we. */
  for (guint i = 0; i < tensors->len; i++)
    g_ptr_array_add (sorted, tensors->pdata[i]);
  g_ptr_array_sort (sorted, compare_names);
  json_builder_begin_object (b);
  if (metadata != NULL)
    {
      GHashTableIter it;
      gpointer k, v;
      json_builder_set_member_name (b, "__metadata__");
      json_builder_begin_object (b);
      g_hash_table_iter_init (&it, metadata);
      while (g_hash_table_iter_next (&it, &k, &v))
        {
          json_builder_set_member_name (b, k);
          json_builder_add_string_value (b, v);
        }
      json_builder_end_object (b);
    }
  for (guint i = 0; i < sorted->len; i++)
    {
      MhTensorEntry *t = sorted->pdata[i];
      json_builder_set_member_name (b, t->name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dtype");
      json_builder_add_string_value (b, "F32");
      json_builder_set_member_name (b, "shape");
      json_builder_begin_array (b);
      for (int d = 0; d < t->rank; d++)
        json_builder_add_int_value (b, t->shape[d]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "data_offsets");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, offset);
      json_builder_add_int_value (b, offset + t->size * 4);
      json_builder_end_array (b);
      json_builder_end_object (b);
      offset += t->size * 4;
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  header = json_generator_to_data (gen, &header_len);
  padded = (header_len + 7) / 8 * 8;   /* the data starts 8-byte aligned */
  len_le = GUINT64_TO_LE ((guint64) padded);
  g_byte_array_append (out, (guint8 *) &len_le, 8);
  g_byte_array_append (out, (guint8 *) header, header_len);
  for (gsize i = header_len; i < padded; i++)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  for (guint i = 0; i < sorted->len; i++)
    {
      MhTensorEntry *t = sorted->pdata[i];
      for (gsize j = 0; j < t->size; j++)
        {
          guint32 v;
          memcpy (&v, &t->data[j], 4);
          v = GUINT32_TO_LE (v);
          g_byte_array_append (out, (guint8 *) &v, 4);
        }
    }
  if (!g_file_replace_contents (file, (const char *) out->data, out->len, NULL, FALSE,
                                G_FILE_CREATE_NONE, NULL, NULL, error))
    {
      g_prefix_error (error, "%s: cannot write the weights: ", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_int (JsonNode *node, gint64 *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static MhTensorEntry *
parse_entry (const char *name, JsonNode *node, const guint8 *data, gsize data_len,
             const char *where, GError **error)
{
  g_autoptr (MhTensorEntry) t = NULL;
  JsonObject *o;
  JsonArray *shape, *offsets;
  JsonNode *dtype_node;
  const char *dtype;
  gint64 begin, end;
  gsize size = 1;

if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: tensor '%s': not a JSON object", where, name);
      return NULL;
    }
  o = json_node_get_object (node);
  dtype_node = json_object_get_member (o, "dtype");   /* not a string: as missing (found by fuzzing) */
  dtype = dtype_node != NULL && JSON_NODE_HOLDS_VALUE (dtype_node)
          && json_node_get_value_type (dtype_node) == G_TYPE_STRING ? json_node_get_string (dtype_node) : NULL;
  if (g_strcmp0 (dtype, "F32") != 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: tensor '%s': dtype %s is not supported (only F32)",
                   where, name, dtype ? dtype : "(missing)");
      return NULL;
    }
  shape = json_object_has_member (o, "shape") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "shape"))
          ? json_object_get_array_member (o, "shape") : NULL;
  offsets = json_object_has_member (o, "data_offsets") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "data_offsets"))
            ? json_object_get_array_member (o, "data_offsets") : NULL;
  if (shape == NULL || offsets == NULL || json_array_get_length (offsets) != 2
      || json_array_get_length (shape) > 8)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: tensor '%s': needs a shape (at most 8 "
                   "dimensions) and two data_offsets", where, name);
      return NULL;
    }
  t = g_new0 (MhTensorEntry, 1);
  t->name = g_strdup (name);
  t->rank = json_array_get_length (shape);
  for (int d = 0; d < t->rank; d++)
    {
      if (!read_int (json_array_get_element (shape, d), &t->shape[d]) || t->shape[d] < 0
          || t->shape[d] > G_MAXINT32 || (t->shape[d] > 0 && size > G_MAXSIZE / 8 / t->shape[d]))
        {
          g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: tensor '%s': shape[%d] is not a valid size",
                       where, name, d);
          return NULL;
        }
      size *= t->shape[d];
    }
  if (!read_int (json_array_get_element (offsets, 0), &begin)
      || !read_int (json_array_get_element (offsets, 1), &end)
      || begin < 0 || end < begin || (guint64) end > data_len || (guint64) (end - begin) != size * 4)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   "%s: tensor '%s': data_offsets do not hold %" G_GSIZE_FORMAT " floats within the "
                   "%" G_GSIZE_FORMAT " data bytes (the file may be truncated)",
                   where, name, size, data_len);
      return NULL;
    }
  t->size = size;
  t->data = g_new (float, MAX (size, 1));
  for (gsize i = 0; i < size; i++)
    {
      guint32 v;
      memcpy (&v, data + begin + 4 * i, 4);
      v = GUINT32_FROM_LE (v);
      memcpy (&t->data[i], &v, 4);
    }
  return g_steal_pointer (&t);
}

GPtrArray *
mh_safetensors_parse (const guint8 *bytes, gsize len, const char *where,
                      GHashTable **metadata, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GPtrArray) tensors = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_tensor_entry_free);
  g_autoptr (GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GError) local = NULL;
  g_autoptr (GList) members = NULL;
  JsonObject *root;
  guint64 header_len;

  if (len < 8)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   "%s: not a safetensors file (%" G_GSIZE_FORMAT " bytes, shorter than its header length)",
                   where, len);
      return NULL;
    }
  memcpy (&header_len, bytes, 8);
  header_len = GUINT64_FROM_LE (header_len);
  if (header_len > MH_SAFETENSORS_MAX_HEADER || header_len > len - 8)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   "%s: the header claims %" G_GUINT64_FORMAT " bytes but the file has %" G_GSIZE_FORMAT
                   " after the length (truncated or not a safetensors file)", where, header_len, len - 8);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, (const char *) bytes + 8, header_len, &local))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: the header is not valid JSON: %s",
                   where, local->message);
      return NULL;
    }
  /* an empty header parses, to no root at all (found by fuzzing) */
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: the header is not a JSON object", where);
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (root);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (root, name);
      if (strcmp (name, "__metadata__") == 0)
        {
          if (JSON_NODE_HOLDS_OBJECT (node))
            {
              JsonObject *mo = json_node_get_object (node);
              g_autoptr (GList) keys = json_object_get_members (mo);
              for (GList *k = keys; k; k = k->next)
                {
                  JsonNode *v = json_object_get_member (mo, k->data);
                  if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
                    g_hash_table_insert (meta, g_strdup (k->data), g_strdup (json_node_get_string (v)));
                }
            }
          continue;
        }
      MhTensorEntry *t = parse_entry (name, node, bytes + 8 + header_len, len - 8 - header_len, where, error);
      if (t == NULL)
        return NULL;
      g_ptr_array_add (tensors, t);
    }
  if (metadata != NULL)
    *metadata = g_steal_pointer (&meta);
  return g_steal_pointer (&tensors);
}

GPtrArray *
mh_safetensors_read (const char *path, GHashTable **metadata, GError **error)
{
  g_autofree char *bytes = NULL;
  gsize len;

  if (!g_file_get_contents (path, &bytes, &len, error))
    return NULL;
  return mh_safetensors_parse ((const guint8 *) bytes, len, path, metadata, error);
}
