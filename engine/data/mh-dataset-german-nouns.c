/* mh-dataset-german-nouns.c — German Nouns: the one-word nouns of Debian's
 * dict-freedict-deu-eng with one gender (mh-dict.h), about 169,000, as
 * characters, with three fields:
 *
 *   gender     der, die, das (masculine, feminine, neuter)
 *   syllables  1 … 7, 8+: the vowel nuclei of the word's IPA
 *   stress     first, second, third, later: the syllable after the primary
 *              stress mark ˈ
 *
 * Input: the word's last `length` characters as token ids, right-aligned
 * (mh-vocab.h); the vocabulary is every character that at least
 * MIN_USES training words use, the rest read as unknown.  The split is by a
 * hash of the word (the first 8 bytes of its SHA-256, as a fraction of
 * 2⁶⁴): below test_fraction the word is a test word, else a training word;
 * the `validation` training words with the smallest hashes validate.  So a
 * word is in one split on every machine, whatever else the file holds.
 *
 * Reading the dictionary takes about a second; the nouns are kept (per file,
 * size and time) for the schema and the next load.
 */
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>
#include "mh-dict.h"
#include "mh-error.h"
#include "mh-splits.h"

#define MIN_USES 3
#define PACKAGE  "dict-freedict-deu-eng"

#ifndef MH_GERMAN_NOUNS_DICT
#define MH_GERMAN_NOUNS_DICT "/usr/share/dictd/freedict-deu-eng.dict.dz"
#endif

enum { F_GENDER, F_SYLLABLES, F_STRESS, N_FIELDS };

static const char *const gender_names[] = { "der", "die", "das", NULL };
static const char *const syllable_names[] = { "1", "2", "3", "4", "5", "6", "7", "8+", NULL };
static const char *const stress_names[] = { "first", "second", "third", "later", NULL };

const char *
mh_german_nouns_default_path (void)
{
  const char *env = g_getenv ("MH_GERMAN_NOUNS_DICT");

  return env != NULL && *env != '\0' ? env : MH_GERMAN_NOUNS_DICT;
}

/* ---- the nouns, read once per file ---------------------------------------- */

typedef struct {
  char        *key;     /* path, size, time */
  MhDictNouns *nouns;
} Cached;

G_LOCK_DEFINE_STATIC (cache);
static Cached cache;

static char *
file_key (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                                  G_FILE_ATTRIBUTE_TIME_MODIFIED, G_FILE_QUERY_INFO_NONE,
                                                  NULL, NULL);

  if (info == NULL)
    return NULL;
  return g_strdup_printf ("%s\n%" G_GOFFSET_FORMAT "\n%" G_GUINT64_FORMAT, path, g_file_info_get_size (info),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED));
}

/* The nouns of `path`; borrowed from the cache, which keeps them while
 * the file stays as it was (the caller holds the lock). */
static const MhDictNouns *
nouns_of (const char *path, GError **error)
{
  g_autofree char *key = file_key (path);
  MhDictNouns *nouns;

  if (key != NULL && g_strcmp0 (key, cache.key) == 0)
    return cache.nouns;
  nouns = mh_dict_read_nouns (path, PACKAGE, error);
  if (nouns == NULL)
    return NULL;
  g_free (cache.key);
  mh_dict_nouns_free (cache.nouns);
  cache.key = g_steal_pointer (&key);
  cache.nouns = nouns;
  return nouns;
}

/* ---- splits ---------------------------------------------------------------- */

typedef struct {
  guint   index;    /* into the nouns */
  guint64 hash;
} Word;

static guint64
word_hash (const char *word)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  guint64 h = 0;

  g_checksum_update (sum, (const guchar *) word, -1);
  g_checksum_get_digest (sum, digest, &len);
  for (int i = 0; i < 8; i++)
    h = h << 8 | digest[i];
  return h;
}

static int
compare_words (gconstpointer a, gconstpointer b)
{
  const Word *x = a, *y = b;

  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

/* The characters at least MIN_USES of the training words use. */
static MhVocab *
build_vocab (const MhDictNouns *nouns, const Word *train, guint n)
{
  g_autoptr (GHashTable) uses = g_hash_table_new (NULL, NULL);
  g_autoptr (GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  GHashTableIter it;
  gpointer key, value;

  for (guint i = 0; i < n; i++)
    {
      const char *w = g_array_index (nouns->nouns, MhDictNoun, train[i].index).word;
      g_autoptr (GHashTable) in_word = g_hash_table_new (NULL, NULL);
      for (const char *p = w; *p; p = g_utf8_next_char (p))
        {
          gpointer c = GUINT_TO_POINTER (g_utf8_get_char (p));
          if (g_hash_table_add (in_word, c))
            g_hash_table_insert (uses, c, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (uses, c)) + 1));
        }
    }
  g_hash_table_iter_init (&it, uses);
  while (g_hash_table_iter_next (&it, &key, &value))
    if (GPOINTER_TO_UINT (value) >= MIN_USES)
      {
        gunichar c = GPOINTER_TO_UINT (key);
        g_array_append_val (chars, c);
      }
  return mh_vocab_new ((const gunichar *) chars->data, chars->len);
}

static MhDataset *
schema_new (const char *name, int n, int length, MhVocab *vocab)
{
  MhDataset *d = mh_dataset_new_input (name, n, MH_INPUT_TOKENS, mh_shape1 (length), vocab, NULL, N_FIELDS);

  mh_field_init (&d->fields[F_GENDER], "gender", MH_FIELD_CLASS, 0, gender_names, n);
  mh_field_init (&d->fields[F_SYLLABLES], "syllables", MH_FIELD_CLASS, 0, syllable_names, n);
  mh_field_init (&d->fields[F_STRESS], "stress", MH_FIELD_CLASS, 0, stress_names, n);
  return d;
}

/* The words `words[0 … n)` as a split. */
static MhDataset *
split_new (const char *name, const MhDictNouns *nouns, const Word *words, int n, int length, MhVocab *vocab)
{
  MhDataset *d = schema_new (name, n, length, vocab);

  for (int i = 0; i < n; i++)
    {
      const MhDictNoun *noun = &g_array_index (nouns->nouns, MhDictNoun, words[i].index);
      int syllables, stressed;

      mh_vocab_encode_ids (vocab, noun->word, length, d->tokens + (gsize) i * length, NULL, NULL, noun->word,
                           NULL);
      d->texts[i] = g_strdup (noun->word);
      mh_ipa_syllables (noun->ipa, &syllables, &stressed);
      d->fields[F_GENDER].classes[i] = noun->gender;
      d->fields[F_SYLLABLES].classes[i] = CLAMP (syllables, 1, 8) - 1;
      d->fields[F_STRESS].classes[i] = CLAMP (stressed, 1, 4) - 1;
    }
  return d;
}

/* Test words first (hash below the fraction), then validation, then training. */
static MhSplits *
make_splits (const MhDictNouns *nouns, const MhDataSpec *spec, const char *path, gboolean schema_only,
             GError **error)
{
  guint n = nouns->nouns->len, n_test = 0, n_val, n_train, kept = 0;
  g_autofree Word *words = g_new (Word, MAX (n, 1));
  guint64 cut = (guint64) (spec->test_fraction * 18446744073709551616.0);
  g_autoptr (MhVocab) vocab = NULL;
  MhSplits *s;

  for (guint i = 0; i < n; i++)
    {
      const MhDictNoun *noun = &g_array_index (nouns->nouns, MhDictNoun, i);
      int syllables, stressed;
      if (mh_ipa_syllables (noun->ipa, &syllables, &stressed))   /* else no vowel: nothing to learn */
        words[kept++] = (Word) { i, word_hash (noun->word) };
    }
  n = kept;
  qsort (words, n, sizeof (Word), compare_words);
  for (n_test = 0; n_test < n && words[n_test].hash < cut; n_test++)
    ;
  if (spec->validation >= (int) (n - n_test))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("dataset.validation: %d validation words, but %s has only %u training words"), spec->validation,
                   path, n - n_test);
      return NULL;
    }
  n_val = spec->validation;
  n_train = n - n_test - n_val;
  vocab = build_vocab (nouns, words + n_test + n_val, n_train);
  s = g_new0 (MhSplits, 1);
  if (schema_only)
    {
      s->train = schema_new ("schema", 0, spec->length, vocab);
      return s;
    }
  s->test = split_new ("test", nouns, words, n_test, spec->length, vocab);
  s->validation = split_new ("validation", nouns, words + n_test, n_val, spec->length, vocab);
  s->train = split_new ("train", nouns, words + n_test + n_val, n_train, spec->length, vocab);
  if (nouns->n_skipped > 0)
    {
      s->skipped = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < nouns->skipped->len; i++)
        g_ptr_array_add (s->skipped, g_strdup_printf ("%s: %s", path, (char *) nouns->skipped->pdata[i]));
      if (nouns->n_skipped > (int) nouns->skipped->len)
        g_ptr_array_add (s->skipped, g_strdup_printf (_("%s: %d more lines"), path,
                                                      nouns->n_skipped - (int) nouns->skipped->len));
    }
  return s;
}

static MhSplits *
load (const MhDataSpec *spec, gboolean schema_only, GError **error)
{
  const char *path = spec->path != NULL ? spec->path : mh_german_nouns_default_path ();
  const MhDictNouns *nouns;
  MhSplits *s = NULL;

  if (spec->length < 1 || spec->length > MH_DICT_MAX_WORD)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("dataset.length must be between 1 and %d, got %d"),
                   MH_DICT_MAX_WORD, spec->length);
      return NULL;
    }
  G_LOCK (cache);
  nouns = nouns_of (path, error);
  if (nouns != NULL)
    s = make_splits (nouns, spec, path, schema_only, error);
  G_UNLOCK (cache);
  return s;
}

MhSplits *
mh_german_nouns_load (const MhDataSpec *spec, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return load (spec, FALSE, error);
}

MhDataset *
mh_german_nouns_schema (const MhDataSpec *spec, GError **error)
{
  g_autoptr (MhSplits) s = load (spec, TRUE, error);

  return s != NULL ? g_steal_pointer (&s->train) : NULL;
}
