/* mh-syllables.h — a written German word cut into syllables by spelling
 * rules (vowel groups are the nuclei: ei, ie, au, eu, äu, ai and doubled
 * vowels count once; of the consonants between two nuclei the last goes to
 * the next syllable, ch, ck, sch, ph, th and qu kept whole), for the
 * predictions' cards: the model's stress head names a syllable, and this
 * finds it on the word.  The dictionary's syllables come from the
 * pronunciation; this is the reader's rule, right for most words.
 *
 * Plain C: no widgets. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The syllables of `word` (UTF-8): how many, and where each starts, in
 * characters, into starts[] (at most max of them; the first is 0).  A
 * word without a vowel is one syllable. */
int mh_syllables_split (const char *word, int *starts, int max);

G_END_DECLS
