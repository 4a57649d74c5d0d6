/* mh-vocab.c — characters and their token ids (mh-vocab.h). */
#include <stdlib.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-error.h"
#include "mh-vocab.h"

struct _MhVocab {
  gatomicrefcount ref;
  gunichar       *chars;   /* size; [0], [1]: padding and unknown (0) */
  int             size;
};

static int
compare_chars (gconstpointer a, gconstpointer b)
{
  gunichar x = *(const gunichar *) a, y = *(const gunichar *) b;

  return (x > y) - (x < y);
}

MhVocab *
mh_vocab_new (const gunichar *chars, int n)
{
  MhVocab *v = g_new0 (MhVocab, 1);
  gunichar *sorted = g_new (gunichar, MAX (n, 1));
  int kept = 0;

  g_atomic_ref_count_init (&v->ref);
  memcpy (sorted, chars, sizeof (gunichar) * n);
  qsort (sorted, n, sizeof (gunichar), compare_chars);
  v->chars = g_new0 (gunichar, n + 2);
  for (int i = 0; i < n; i++)
    if (sorted[i] != 0 && (kept == 0 || sorted[i] != v->chars[kept + 1]))
      v->chars[2 + kept++] = sorted[i];
  v->size = kept + 2;
  g_free (sorted);
  return v;
}

MhVocab *
mh_vocab_ref (MhVocab *v)
{
  g_return_val_if_fail (v != NULL, NULL);
  g_atomic_ref_count_inc (&v->ref);
  return v;
}

void
mh_vocab_unref (MhVocab *v)
{
  if (v == NULL || !g_atomic_ref_count_dec (&v->ref))
    return;
  g_free (v->chars);
  g_free (v);
}

int
mh_vocab_size (const MhVocab *v)
{
  return v->size;
}

gunichar
mh_vocab_char (const MhVocab *v, int token)
{
  return token >= 2 && token < v->size ? v->chars[token] : 0;
}

int
mh_vocab_token (const MhVocab *v, gunichar c)
{
  int lo = 2, hi = v->size - 1;

  while (lo <= hi)
    {
      int mid = (lo + hi) / 2;
      if (v->chars[mid] == c)
        return mid;
      if (v->chars[mid] < c)
        lo = mid + 1;
      else
        hi = mid - 1;
    }
  return MH_TOKEN_UNKNOWN;
}

char *
mh_vocab_to_string (const MhVocab *v)
{
  GString *s = g_string_new (NULL);

  for (int i = 2; i < v->size; i++)
    g_string_append_unichar (s, v->chars[i]);
  return g_string_free (s, FALSE);
}

gboolean
mh_vocab_encode_ids (const MhVocab *v, const char *text, int t, guint32 *out, int *unknown,
                     int *kept, const char *what, GError **error)
{
  glong len;
  const char *p;
  int start, unknown_count = 0;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s is not UTF-8 text"), what);
      return FALSE;
    }
  len = g_utf8_strlen (text, -1);
  if (len == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s is empty: give at least one character"), what);
      return FALSE;
    }
  if (len > MH_VOCAB_MAX_TEXT)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s is %ld characters long; at most %d are read (and the model looks at the last %d)"),
                   what, len, MH_VOCAB_MAX_TEXT, t);
      return FALSE;
    }
  for (int i = 0; i < t; i++)
    out[i] = MH_TOKEN_PADDING;
  /* the last t characters, right-aligned */
  start = (int) MAX (0, len - t);
  p = g_utf8_offset_to_pointer (text, start);
  for (int i = t - (int) MIN (len, t); *p != '\0'; i++, p = g_utf8_next_char (p))
    {
      int token = mh_vocab_token (v, g_utf8_get_char (p));
      unknown_count += token == MH_TOKEN_UNKNOWN;
      out[i] = (guint32) token;
    }
  if (unknown != NULL)
    *unknown = unknown_count;
  if (kept != NULL)
    *kept = (int) MIN (len, t);
  return TRUE;
}

gboolean
mh_vocab_encode (const MhVocab *v, const char *text, int t, float *out, int *unknown, int *kept,
                 const char *what, GError **error)
{
  g_autofree guint32 *ids = g_new (guint32, MAX (t, 1));

  if (!mh_vocab_encode_ids (v, text, t, ids, unknown, kept, what, error))
    return FALSE;
  for (int i = 0; i < t; i++)
    out[i] = (float) ids[i];
  return TRUE;
}
