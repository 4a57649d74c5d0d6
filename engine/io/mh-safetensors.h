/* mh-safetensors.h — the safetensors format: an 8-byte little-endian header
 * length, a JSON header naming each tensor's dtype, shape and byte range,
 * then the raw little-endian data.  Only F32 is read and written.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MH_SAFETENSORS_MAX_HEADER (64 * 1024 * 1024)

typedef struct {
  char   *name;
  int     rank;
  gint64  shape[8];
  gsize   size;      /* elements */
  float  *data;
} MhTensorEntry;

void mh_tensor_entry_free (MhTensorEntry *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhTensorEntry, mh_tensor_entry_free)

/* tensors: MhTensorEntry*; metadata: string → string, may be NULL.
 * Written atomically (temporary file, then rename). */
gboolean   mh_safetensors_write (const char *path, GPtrArray *tensors,
                                 GHashTable *metadata, GError **error);
/* Returns MhTensorEntry* (owned by the array) in file order; metadata, if
 * asked for, is a new string → string table. */
GPtrArray *mh_safetensors_read (const char *path, GHashTable **metadata, GError **error);
GPtrArray *mh_safetensors_parse (const guint8 *bytes, gsize len, const char *where,
                                 GHashTable **metadata, GError **error);

G_END_DECLS
