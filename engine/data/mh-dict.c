/* mh-dict.c — the nouns of a dictd dictionary, and syllables from IPA
 * (mh-dict.h).
 *
 * The text is read through GIO's zlib decompressor in blocks and cut into
 * lines here, so no line and no total size is trusted: a line over 64 KiB is
 * skipped (and listed), more than 2 GiB of text is an error.
 */
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-dict.h"
#include "mh-error.h"

#define MAX_FILE   ((goffset) 512 << 20)
#define MAX_TEXT   ((guint64) 2 << 30)
#define MAX_LINE   (64 << 10)
#define BLOCK      (256 << 10)
#define MAX_LISTED 20

/* ---- IPA ------------------------------------------------------------------ */

static gboolean
is_vowel (gunichar c)
{
  static const gunichar vowels[] = {
    'a', 'e', 'i', 'o', 'u', 'y', 0xf8 /* ø */, 0x153 /* œ */, 0xe6 /* æ */, 0x250 /* ɐ */,
    0x251 /* ɑ */, 0x252 /* ɒ */, 0x254 /* ɔ */, 0x259 /* ə */, 0x25b /* ɛ */, 0x25c /* ɜ */,
    0x26a /* ɪ */, 0x28a /* ʊ */, 0x28c /* ʌ */, 0x28f /* ʏ */, 0x268 /* ɨ */, 0x275 /* ɵ */,
  };

  for (guint i = 0; i < G_N_ELEMENTS (vowels); i++)
    if (vowels[i] == c)
      return TRUE;
  return FALSE;
}

static gboolean
is_diphthong (gunichar a, gunichar b)
{
  static const gunichar pairs[][2] = {
    { 'a', 0x26a }, { 'a', 0x28a }, { 0x254, 0xf8 }, { 0x254, 0x28f }, { 0x254, 0x26a },
    { 'e', 0x26a }, { 'o', 0x28a }, { 0x259, 0x28a },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    if (pairs[i][0] == a && pairs[i][1] == b)
      return TRUE;
  return FALSE;
}

gboolean
mh_ipa_syllables (const char *ipa, int *syllables, int *stressed)
{
  int count = 0, stress = 0;
  gboolean open = FALSE, glide_taken = FALSE, want_stress = FALSE, primary_seen = FALSE;
  gunichar first = 0;

  for (const char *p = ipa; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '(')   /* "(en)": a language switch */
        {
          const char *end = strchr (p, ')');
          if (end == NULL)
            break;
          p = end;
          open = FALSE;
          continue;
        }
      if (is_vowel (c))
        {
          if (open && !glide_taken && is_diphthong (first, c))
            {
              glide_taken = TRUE;
              continue;
            }
          count++;
          open = TRUE, glide_taken = FALSE, first = c;
          if (want_stress)
            stress = count, want_stress = FALSE;
        }
      else if (c == 0x303)   /* nasal: the same vowel */
        continue;
      else
        {
          if (c == 0x2c8 && !primary_seen)   /* ˈ */
            want_stress = primary_seen = TRUE;
          open = FALSE;   /* ː, consonants, ˌ, spaces: the nucleus is over */
        }
    }
  *syllables = count;
  *stressed = stress;
  return count > 0;
}

/* ---- reading --------------------------------------------------------------- */

typedef struct {
  guint    genders;    /* bit per MhGender */
  gboolean several;    /* one entry named two genders */
  guint    index;      /* into the ordered list */
} Seen;

typedef struct {
  MhDictNouns *out;
  GHashTable  *seen;   /* word → Seen */
  GPtrArray   *order;  /* words in first-seen order (owned by `seen`) */
  GPtrArray   *ipas;   /* their first IPA */
} Reader;

static void
skip_line (Reader *r, gsize line, const char *why)
{
  if (r->out->n_skipped++ < MAX_LISTED)
    g_ptr_array_add (r->out->skipped, g_strdup_printf ("line %" G_GSIZE_FORMAT ": %s", line, why));
}

/* The genders a tag list names ("fem, n, sg"): 0 unless it is a singular noun. */
static guint
noun_genders (const char *tags, gsize len)
{
  static const char *const names[MH_N_GENDERS] = { "masc", "fem", "neut" };
  g_autofree char *copy = g_strndup (tags, len);
  g_auto (GStrv) parts = g_strsplit (copy, ",", -1);
  gboolean noun = FALSE, singular = FALSE;
  guint genders = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *t = g_strstrip (parts[i]);
      noun = noun || g_str_equal (t, "n");
      singular = singular || g_str_equal (t, "sg");
      for (int g = 0; g < MH_N_GENDERS; g++)
        if (g_str_equal (t, names[g]))
          genders |= 1u << g;
    }
  return noun && singular ? genders : 0;
}

/* "WORD /IPA/ <TAGS>": a headword line of a noun, else nothing. */
static void
read_line (Reader *r, const char *s, gsize len, gsize line)
{
  const char *lt, *slash, *end = s + len;
  guint genders;
  Seen *seen;
  g_autofree char *word = NULL;

  if (len < 8 || s[len - 1] != '>' || s[0] == ' ' || s[0] == '\t')
    return;
  lt = g_strrstr_len (s, len, " <");
  if (lt == NULL || lt < s + 4 || lt[-1] != '/')
    return;
  slash = g_strstr_len (s, lt - s, " /");
  if (slash == NULL || slash + 2 > lt - 1)
    return;
  genders = noun_genders (lt + 2, end - 1 - (lt + 2));
  if (genders == 0)
    return;
  if (!g_utf8_validate (s, slash - s, NULL) || !g_utf8_validate (slash + 2, lt - 1 - (slash + 2), NULL))
    {
      skip_line (r, line, _("not UTF-8"));
      return;
    }
  if (memchr (s, ' ', slash - s) != NULL)
    {
      r->out->multi_word++;
      return;
    }
  if (g_utf8_strlen (s, slash - s) > MH_DICT_MAX_WORD)
    {
      g_autofree char *why = g_strdup_printf (_("a headword of %ld characters (at most %d are kept)"),
                                              g_utf8_strlen (s, slash - s), MH_DICT_MAX_WORD);
      skip_line (r, line, why);
      return;
    }
  word = g_strndup (s, slash - s);
  seen = g_hash_table_lookup (r->seen, word);
  if (seen == NULL)
    {
      seen = g_new0 (Seen, 1);
      seen->index = r->order->len;
      g_ptr_array_add (r->order, word);
      g_ptr_array_add (r->ipas, g_strndup (slash + 2, lt - 1 - (slash + 2)));
      g_hash_table_insert (r->seen, g_steal_pointer (&word), seen);
    }
  seen->several = seen->several || (genders & (genders - 1)) != 0;
  seen->genders |= genders;
}

/* Feeds the text's lines to read_line(); `tail` holds a line cut by the block's end. */
static gboolean
read_text (Reader *r, GInputStream *in, const char *path, GError **error)
{
  g_autofree char *block = g_malloc (BLOCK);
  g_autoptr (GByteArray) tail = g_byte_array_new ();
  gboolean too_long = FALSE;
  guint64 total = 0;
  gsize line = 1;

  for (;;)
    {
      g_autoptr (GError) read_error = NULL;
      gssize got = g_input_stream_read (in, block, BLOCK, NULL, &read_error);
      const char *p, *nl;

      if (got < 0)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                       _("%s: the dictionary is damaged or cut short (%s): reinstall it"), path,
                       read_error->message);
          return FALSE;
        }
      if (got == 0)
        break;
      total += (guint64) got;
      if (total > MAX_TEXT)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                       _("%s: more than 2 GiB of text once uncompressed: not a dictionary this version reads"),
                       path);
          return FALSE;
        }
      for (p = block; p < block + got; p = nl + 1)
        {
          nl = memchr (p, '\n', block + got - p);
          if (nl == NULL)
            {
              if (!too_long && tail->len + (block + got - p) > MAX_LINE)
                {
                  too_long = TRUE;
                  g_byte_array_set_size (tail, 0);
                }
              if (!too_long)
                g_byte_array_append (tail, (const guint8 *) p, block + got - p);
              break;
            }
          if (too_long)
            skip_line (r, line, _("longer than 64 KiB"));
          else if (tail->len > 0)
            {
              g_byte_array_append (tail, (const guint8 *) p, nl - p);
              read_line (r, (const char *) tail->data, tail->len, line);
            }
          else
            read_line (r, p, nl - p, line);
          g_byte_array_set_size (tail, 0);
          too_long = FALSE;
          line++;
        }
    }
  if (tail->len > 0)
    read_line (r, (const char *) tail->data, tail->len, line);
  r->out->lines = line - (tail->len > 0 ? 0 : 1);
  return TRUE;
}

static gboolean
check_file (GFile *file, const char *path, const char *hint_package, GError **error)
{
  g_autoptr (GError) info_error = NULL;
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                  G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                                                  NULL, &info_error);

  if (info == NULL && g_error_matches (info_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      if (hint_package != NULL)
        g_set_error (error, MH_ERROR, MH_ERROR_IO,
                     _("%s: no such file; install Debian's %s package (sudo apt install %s)"), path,
                     hint_package, hint_package);
      else
        g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: no such file"), path);
      return FALSE;
    }
  if (info == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: %s", path, info_error->message);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: not a file (a dictionary .dict.dz is)"), path);
      return FALSE;
    }
  if (g_file_info_get_size (info) > MAX_FILE)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   "%s: %" G_GOFFSET_FORMAT " bytes, more than a dictionary this version reads (512 MiB)",
                   path, g_file_info_get_size (info));
      return FALSE;
    }
  return TRUE;
}

MhDictNouns *
mh_dict_read_nouns (const char *path, const char *hint_package, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) raw = NULL;
  g_autoptr (GZlibDecompressor) gunzip = NULL;
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (MhDictNouns) out = NULL;
  Reader r;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  if (!check_file (file, path, hint_package, error) || !(raw = g_file_read (file, NULL, error)))
    return NULL;
  gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  in = g_converter_input_stream_new (G_INPUT_STREAM (raw), G_CONVERTER (gunzip));
  out = g_new0 (MhDictNouns, 1);
  out->nouns = g_array_new (FALSE, FALSE, sizeof (MhDictNoun));
  out->skipped = g_ptr_array_new_with_free_func (g_free);
  r = (Reader) {
    out, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    g_ptr_array_new (), g_ptr_array_new_with_free_func (g_free),
  };
  ok = read_text (&r, in, path, error);
  for (guint i = 0; ok && i < r.order->len; i++)
    {
      const Seen *seen = g_hash_table_lookup (r.seen, r.order->pdata[i]);
      MhDictNoun noun = { g_strdup (r.order->pdata[i]), g_strdup (r.ipas->pdata[i]), 0 };

      if (seen->several || (seen->genders & (seen->genders - 1)) != 0)
        {
          out->several_genders++;
          g_free (noun.word);
          g_free (noun.ipa);
          continue;
        }
      noun.gender = seen->genders == 1 ? MH_GENDER_MASC : seen->genders == 2 ? MH_GENDER_FEM : MH_GENDER_NEUT;
      g_array_append_val (out->nouns, noun);
    }
  g_ptr_array_unref (r.order);
  g_ptr_array_unref (r.ipas);
  g_hash_table_unref (r.seen);
  if (ok && out->nouns->len == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_FORMAT,
                   _("%s: no nouns found (lines such as 'Aal /ˈɑːl/ <masc, n, sg>'): not a German dictionary "
                   "this version reads"), path);
      return NULL;
    }
  return ok ? g_steal_pointer (&out) : NULL;
}

void
mh_dict_nouns_free (MhDictNouns *d)
{
  if (d == NULL)
    return;
  for (guint i = 0; d->nouns != NULL && i < d->nouns->len; i++)
    {
      g_free (g_array_index (d->nouns, MhDictNoun, i).word);
      g_free (g_array_index (d->nouns, MhDictNoun, i).ipa);
    }
  g_clear_pointer (&d->nouns, g_array_unref);
  g_clear_pointer (&d->skipped, g_ptr_array_unref);
  g_free (d);
}
