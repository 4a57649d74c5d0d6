/* mh-dict.h — the nouns of a dictd dictionary such as Debian's
 * dict-freedict-deu-eng (/usr/share/dictd/freedict-deu-eng.dict.dz), and what
 * their pronunciation says.
 *
 * The file is dictzip: gzip with an index of its chunks, which reads as
 * plain gzip (GIO's zlib decompressor).  Each entry starts with a headword
 * line, for nouns
 *   Aalfischerei /ˌɑːlfɪʃeːrˈaɪ/ <fem, n, sg>
 * the word, its IPA between slashes, its grammar in angle brackets; the
 * translations follow on lines of their own.  A noun is kept when it is one
 * word (no space) and every entry of it gives the same gender.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum { MH_GENDER_MASC, MH_GENDER_FEM, MH_GENDER_NEUT, MH_N_GENDERS } MhGender;

/* The longest headword kept, in characters. */
#define MH_DICT_MAX_WORD 100

typedef struct {
  char    *word;     /* UTF-8 */
  char    *ipa;      /* the first pronunciation given */
  MhGender gender;
} MhDictNoun;

typedef struct {
  GArray    *nouns;          /* MhDictNoun, in the order the file first names them */
  gsize      lines;          /* lines read */
  int        several_genders;/* nouns dropped: entries disagree, or one names two genders */
  int        multi_word;     /* noun entries dropped: more than one word */
  GPtrArray *skipped;        /* "line N: why", for lines that could not be read (at most 20) */
  int        n_skipped;      /* all of them */
} MhDictNouns;

/* Reads the nouns of `path` (gzip-compressed dictd text).  Errors: the file
 * missing (the message says to install hint_package when it is not NULL),
 * not a regular file, over 512 MiB, not gzip, cut short or damaged, or more
 * than 2 GiB of text once uncompressed. */
MhDictNouns *mh_dict_read_nouns (const char *path, const char *hint_package, GError **error);
void         mh_dict_nouns_free (MhDictNouns *d);

/* What an IPA transcription says of a word: its syllables (vowel nuclei, a
 * diphthong — aɪ aʊ ɔø ɔʏ ɔɪ eɪ oʊ əʊ — once, a long vowel ː ends one; stress
 * marks and spaces separate them) and the 1-based syllable after the first
 * primary stress mark ˈ (0: none).  Language switches such as "(en)" are
 * left out.  FALSE when it has no vowel. */
gboolean     mh_ipa_syllables (const char *ipa, int *syllables, int *stressed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhDictNouns, mh_dict_nouns_free)

G_END_DECLS
