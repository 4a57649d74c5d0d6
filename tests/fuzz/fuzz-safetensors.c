/* fuzz-safetensors.c — libFuzzer target: the safetensors reader. */
#include <glib.h>
#include "mh-fuzz.h"
#include "mh-safetensors.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t len);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t len)
{
  GError *error = NULL;
  GHashTable *meta = NULL;
  GPtrArray *t;

  mh_fuzz_init ();
  t = mh_safetensors_parse (data, len, "fuzz.safetensors", &meta, &error);

  if (t != NULL)
    {
      for (guint i = 0; i < t->len; i++)
        {
          const MhTensorEntry *e = t->pdata[i];
          volatile float sum = 0;
          for (gsize j = 0; j < e->size; j++)
            sum += e->data[j];
        }
      g_ptr_array_unref (t);
      g_hash_table_unref (meta);
    }
  else
    g_assert (error != NULL);
  g_clear_error (&error);
  return 0;
}
