/* mh-vocab.h — the characters of a text data set and their token ids.
 *
 * Token 0 is padding, token 1 an unknown character, tokens 2 … size−1 the
 * characters (Unicode code points) in ascending order.  A word becomes T
 * token ids right-aligned: its last T characters at the end, padding before
 * them (a German compound's gender is its last part's, so the end is kept).
 * A vocabulary is shared by every split of a data set (reference-counted).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MH_TOKEN_PADDING 0
#define MH_TOKEN_UNKNOWN 1
/* The longest text mh_vocab_encode() reads, in characters. */
#define MH_VOCAB_MAX_TEXT 1000

typedef struct _MhVocab MhVocab;

/* The characters of `chars` (n code points, any order, repeats ignored). */
MhVocab  *mh_vocab_new (const gunichar *chars, int n);
MhVocab  *mh_vocab_ref (MhVocab *v);
void      mh_vocab_unref (MhVocab *v);

int       mh_vocab_size (const MhVocab *v);       /* tokens, padding and unknown included */
/* The character of a token (0 for padding and unknown). */
gunichar  mh_vocab_char (const MhVocab *v, int token);
/* The token of a character: MH_TOKEN_UNKNOWN when it has none. */
int       mh_vocab_token (const MhVocab *v, gunichar c);
/* The characters, as UTF-8 (for files and messages); free with g_free(). */
char     *mh_vocab_to_string (const MhVocab *v);

/* `text` (UTF-8) as t token ids into out.  FALSE with an error naming
 * `what` ("--text word 2") when the text is not UTF-8, is empty or is longer
 * than MH_VOCAB_MAX_TEXT characters.  *unknown (may be NULL) gets how many of
 * the characters read have no token; *kept (may be NULL) how many
 * characters were read (at most t). */
gboolean  mh_vocab_encode (const MhVocab *v, const char *text, int t, float *out, int *unknown,
                           int *kept, const char *what, GError **error);
/* The same into token ids. */
gboolean  mh_vocab_encode_ids (const MhVocab *v, const char *text, int t, guint32 *out, int *unknown,
                               int *kept, const char *what, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhVocab, mh_vocab_unref)

G_END_DECLS
