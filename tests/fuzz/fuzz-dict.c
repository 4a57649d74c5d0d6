/* fuzz-dict.c — libFuzzer target: the dictd dictionary reader
 * (mh_dict_read_nouns: the german-nouns data set's .dict.dz).  The input is
 * the dictionary's text, gzip-compressed here so that the fuzzer explores
 * the headword lines; an input that is gzip already (1f 8b) goes as it is,
 * to reach the decompressor's errors too. */
#include <glib.h>
#include <gio/gio.h>
#include "mh-fuzz.h"
#include "mh-dict.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t len);

static GBytes *
gzip (const guint8 *data, size_t len)
{
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (z));

  g_assert (g_output_stream_write_all (out, data, len, NULL, NULL, NULL));
  g_assert (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t len)
{
  g_autoptr(GBytes) packed = NULL;
  GError *error = NULL;
  MhDictNouns *d;
  gsize n;
  const guint8 *bytes;

  mh_fuzz_init ();
  if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    bytes = data, n = len;
  else
    {
      packed = gzip (data, len);
      bytes = g_bytes_get_data (packed, &n);
    }
  d = mh_dict_read_nouns (mh_fuzz_file ("fuzz-dict", bytes, n), NULL, &error);
  if (d != NULL)
    {
      for (guint i = 0; i < d->nouns->len; i++)
        {
          const MhDictNoun *noun = &g_array_index (d->nouns, MhDictNoun, i);
          int syllables, stressed;
          g_assert (g_utf8_validate (noun->word, -1, NULL));
          mh_ipa_syllables (noun->ipa, &syllables, &stressed);
        }
      mh_dict_nouns_free (d);
    }
  else
    g_assert (error != NULL);
  g_clear_error (&error);
  return 0;
}
