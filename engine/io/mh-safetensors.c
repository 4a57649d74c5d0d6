/* mh-safetensors.c — reading and writing safetensors files.
 *
 * Reading follows the format's rules (github.com/huggingface/safetensors):
 * an 8-byte little-endian header length N, N bytes of UTF-8 JSON starting
 * with '{' (padded with spaces), then the data.  Each tensor's data_offsets
 * [begin, end) are relative to the data; sorted by begin they must follow
 * each other with no gap and no overlap from 0 to the end of the file
 * exactly, and end − begin must be the shape's element count × 4 (F32).
 * A file is opened and checked (a regular file; header within it) before
 * anything is read, and then only the bytes the header declares are read,
 * tensor by tensor.
 */
#include <math.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include "mh-safetensors.h"
#include "mh-error.h"
#include "mh-input.h"
#include "mh-json.h"
#include "mh-limits.h"
#include "mh-save.h"

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

/* ---- writing ------------------------------------------------------------- */

typedef struct {
  GPtrArray  *sorted;    /* MhTensorEntry*, by name */
  const char *header;
  gsize       header_len, padded;
} Writing;

static gboolean
write_file (GOutputStream *out, gpointer user_data, GError **error)
{
  const Writing *w = user_data;
  guint64 len_le = GUINT64_TO_LE ((guint64) w->padded);
  guint32 block[4096];

  if (!g_output_stream_write_all (out, &len_le, 8, NULL, NULL, error)
      || !g_output_stream_write_all (out, w->header, w->header_len, NULL, NULL, error))
    return FALSE;
  for (gsize i = w->header_len; i < w->padded; i++)
    if (!g_output_stream_write_all (out, " ", 1, NULL, NULL, error))
      return FALSE;
  for (guint i = 0; i < w->sorted->len; i++)
    {
      const MhTensorEntry *t = w->sorted->pdata[i];
      for (gsize j = 0; j < t->size; j += G_N_ELEMENTS (block))
        {
          gsize n = MIN (G_N_ELEMENTS (block), t->size - j);
          memcpy (block, t->data + j, n * 4);
          for (gsize k = 0; k < n; k++)
            block[k] = GUINT32_TO_LE (block[k]);
          if (!g_output_stream_write_all (out, block, n * 4, NULL, NULL, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
mh_safetensors_write (const char *path, GPtrArray *tensors, GHashTable *metadata, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) sorted = g_ptr_array_sized_new (tensors->len);
  g_autofree char *header = NULL;
  gsize header_len, offset = 0;
  Writing w;

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
  w = (Writing) { sorted, header, header_len, (header_len + 7) / 8 * 8 };   /* data 8-byte aligned */
  return mh_save_stream (path, MH_FILE_KIND_WEIGHTS, MH_SAVE_DEFAULT, write_file, &w, error);
}

/* ---- reading ------------------------------------------------------------- */

/* The bytes of a file, or of memory (mh_safetensors_parse). */
typedef struct {
  MhInputFile  *file;
  const guint8 *bytes;
  guint64       len;
  const char   *where;
} Source;

static gboolean
source_read (Source *s, guint64 offset, void *buf, gsize n, const char *field, GError **error)
{
  guint64 end;

  if (s->file != NULL)
    return mh_input_read_at (s->file, offset, buf, n, field, error);
  if (!mh_limits_add (offset, n, &end) || end > s->len)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: %s: bytes %" G_GUINT64_FORMAT "–%"
                   G_GUINT64_FORMAT " are past the end of the file (%" G_GUINT64_FORMAT " bytes)",
                   s->where, field, offset, end, s->len);
      return FALSE;
    }
  memcpy (buf, s->bytes + offset, n);
  return TRUE;
}

/* What the header says of one tensor. */
typedef struct {
  const char *name;
  int         rank;
  gint64      shape[8];
  guint64     size;        /* elements */
  guint64     begin, end;  /* in the data */
} Declared;

static gboolean
read_int (JsonNode *node, gint64 *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static JsonArray *
array_member (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static gboolean
declare (const char *name, JsonNode *node, const char *where, Declared *t, GError **error)
{
  JsonObject *o;
  JsonArray *shape, *offsets;
  JsonNode *dtype_node;
  const char *dtype;
  gint64 begin, end;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: tensor '%s': not a JSON object"), where, name);
      return FALSE;
    }
  o = json_node_get_object (node);
  dtype_node = json_object_get_member (o, "dtype");   /* not a string: as missing (found by fuzzing) */
  dtype = dtype_node != NULL && JSON_NODE_HOLDS_VALUE (dtype_node)
          && json_node_get_value_type (dtype_node) == G_TYPE_STRING ? json_node_get_string (dtype_node) : NULL;
  if (g_strcmp0 (dtype, "F32") != 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: tensor '%s': dtype %s is not supported (only F32)"),
                   where, name, dtype ? dtype : "(missing)");
      return FALSE;
    }
  shape = array_member (o, "shape");
  offsets = array_member (o, "data_offsets");
  if (shape == NULL || offsets == NULL || json_array_get_length (offsets) != 2
      || json_array_get_length (shape) > 8)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: tensor '%s': needs a shape (at most 8 "
                   "dimensions) and two data_offsets"), where, name);
      return FALSE;
    }
  *t = (Declared) { name, (int) json_array_get_length (shape) };
  t->size = 1;
  for (int d = 0; d < t->rank; d++)
    {
      if (!read_int (json_array_get_element (shape, d), &t->shape[d]) || t->shape[d] < 0
          || t->shape[d] > G_MAXINT32 || !mh_limits_bytes (t->size, t->shape[d], &t->size))
        {
          g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: tensor '%s': shape[%d] is not a valid size"),
                       where, name, d);
          return FALSE;
        }
    }
  if (!read_int (json_array_get_element (offsets, 0), &begin)
      || !read_int (json_array_get_element (offsets, 1), &end) || begin < 0 || end < begin)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: tensor '%s': data_offsets must be two "
                   "integers [begin, end] with 0 ≤ begin ≤ end"), where, name);
      return FALSE;
    }
  t->begin = begin;
  t->end = end;
  if (t->size > G_MAXUINT64 / 4 || t->end - t->begin != t->size * 4)
    {
      g_autofree char *shape_text = NULL;
      GString *s = g_string_new (NULL);
      for (int d = 0; d < t->rank; d++)
        g_string_append_printf (s, "%s%" G_GINT64_FORMAT, d ? "×" : "", t->shape[d]);
      shape_text = g_string_free (s, FALSE);
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: tensor '%s': data_offsets [%" G_GUINT64_FORMAT
                   ", %" G_GUINT64_FORMAT ") hold %" G_GUINT64_FORMAT " bytes, but shape [%s] of F32 "
                   "needs %" G_GUINT64_FORMAT, where, name, t->begin, t->end, t->end - t->begin,
                   shape_text, t->size > G_MAXUINT64 / 4 ? G_MAXUINT64 : t->size * 4);
      return FALSE;
    }
  return TRUE;
}

static int
compare_begin (gconstpointer a, gconstpointer b)
{
  const Declared *x = a, *y = b;
  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

/* Sorted by offset, the tensors tile the data [0, data_len) exactly. */
static gboolean
check_tiling (GArray *declared, guint64 data_len, const char *where, GError **error)
{
  guint64 at = 0;

  g_array_sort (declared, compare_begin);
  for (guint i = 0; i < declared->len; i++)
    {
      const Declared *t = &g_array_index (declared, Declared, i);
      if (t->begin != at)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: tensor '%s': data_offsets begin at %"
                       G_GUINT64_FORMAT ", but %s at %" G_GUINT64_FORMAT " (%s)", where, t->name,
                       t->begin, i ? _("the tensor before ends") : _("the data begin"), at,
                       t->begin < at ? _("tensors overlap") : _("a gap of bytes no tensor holds"));
          return FALSE;
        }
      if (t->end > data_len)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: tensor '%s': data_offsets [%"
                       G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ") run past the %" G_GUINT64_FORMAT
                       " data bytes the file has (it is truncated)", where, t->name, t->begin,
                       t->end, data_len);
          return FALSE;
        }
      at = t->end;
    }
  if (at != data_len)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: the tensors hold %" G_GUINT64_FORMAT
                   " data bytes, but the file has %" G_GUINT64_FORMAT " after the header (%s)", where,
                   at, data_len, at > data_len ? _("the file is truncated") : _("extra bytes no tensor holds"));
      return FALSE;
    }
  return TRUE;
}

static MhTensorEntry *
load_tensor (Source *s, guint64 data_start, const Declared *d, GError **error)
{
  g_autoptr (MhTensorEntry) t = g_new0 (MhTensorEntry, 1);
  g_autofree char *field = g_strdup_printf ("tensor '%s'", d->name);

  t->name = g_strdup (d->name);
  t->rank = d->rank;
  memcpy (t->shape, d->shape, sizeof t->shape);
  t->size = d->size;
  if (!(t->data = mh_limits_try_alloc0 (d->size, 4, s->where, field, error))
      || !source_read (s, data_start + d->begin, t->data, d->size * 4, field, error))
    return NULL;
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (gsize i = 0; i < d->size; i++)
    {
      guint32 v;
      memcpy (&v, &t->data[i], 4);
      v = GUINT32_FROM_LE (v);
      memcpy (&t->data[i], &v, 4);
    }
#endif
  return g_steal_pointer (&t);
}

static void
read_metadata (JsonNode *node, GHashTable *meta)
{
  JsonObject *mo;
  g_autoptr (GList) keys = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  mo = json_node_get_object (node);
  keys = json_object_get_members (mo);
  for (GList *k = keys; k; k = k->next)
    {
      JsonNode *v = json_object_get_member (mo, k->data);
      if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
        g_hash_table_insert (meta, g_strdup (k->data), g_strdup (json_node_get_string (v)));
    }
}

static GPtrArray *
read_source (Source *s, GHashTable **metadata, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GPtrArray) tensors = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_tensor_entry_free);
  g_autoptr (GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GArray) declared = g_array_new (FALSE, FALSE, sizeof (Declared));
  g_autoptr (GList) members = NULL;
  g_autofree char *header = NULL;
  const char *where = s->where;
  JsonObject *root;
  guint64 header_len, data_len;

  if (s->len < 8)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   "%s: not a safetensors file (%" G_GUINT64_FORMAT " bytes, shorter than its header length)",
                   where, s->len);
      return NULL;
    }
  if (!source_read (s, 0, &header_len, 8, _("the header length"), error))
    return NULL;
  header_len = GUINT64_FROM_LE (header_len);
  if (header_len > MH_SAFETENSORS_MAX_HEADER || header_len > s->len - 8)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   "%s: the header claims %" G_GUINT64_FORMAT " bytes but the file has %" G_GUINT64_FORMAT
                   " after the length (truncated or not a safetensors file; headers up to %d MiB are read)",
                   where, header_len, s->len - 8, MH_SAFETENSORS_MAX_HEADER >> 20);
      return NULL;
    }
  header = g_malloc (header_len + 1);
  if (!source_read (s, 8, header, header_len, _("the header"), error))
    return NULL;
  header[header_len] = '\0';
  if (header_len == 0 || header[0] != '{')
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: the header is not a JSON object "
                   "(it must begin with '{')"), where);
      return NULL;
    }
  if (!(parser = mh_json_parse (header, header_len, where, error)))
    {
      g_prefix_error (error, _("the header: "));
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, _("%s: the header is not a JSON object"), where);
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (root);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      Declared t;

      if (strcmp (name, "__metadata__") == 0)
        {
          read_metadata (json_object_get_member (root, name), meta);
          continue;
        }
      if (!declare (name, json_object_get_member (root, name), where, &t, error))
        return NULL;
      g_array_append_val (declared, t);
    }
  data_len = s->len - 8 - header_len;
  if (!check_tiling (declared, data_len, where, error)
      || !mh_limits_check_bytes (data_len, where, _("the tensors' data"), error))
    return NULL;
  /* in the header's order, as before */
  for (GList *l = members; l != NULL; l = l->next)
    for (guint i = 0; i < declared->len; i++)
      if (strcmp (g_array_index (declared, Declared, i).name, l->data) == 0)
        {
          MhTensorEntry *t = load_tensor (s, 8 + header_len, &g_array_index (declared, Declared, i), error);
          if (t == NULL)
            return NULL;
          g_ptr_array_add (tensors, t);
          break;
        }
  if (metadata != NULL)
    *metadata = g_steal_pointer (&meta);
  return g_steal_pointer (&tensors);
}

GPtrArray *
mh_safetensors_parse (const guint8 *bytes, gsize len, const char *where,
                      GHashTable **metadata, GError **error)
{
  Source s = { NULL, bytes, len, where };
  return read_source (&s, metadata, error);
}

GPtrArray *
mh_safetensors_read (const char *path, GHashTable **metadata, GError **error)
{
  g_autoptr (MhInputFile) f = mh_input_open (path, _("weights file"), 0, error);
  Source s = { f, NULL, 0, path };

  if (f == NULL)
    return NULL;
  s.len = mh_input_size (f);
  return read_source (&s, metadata, error);
}
