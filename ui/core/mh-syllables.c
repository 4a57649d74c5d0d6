/* mh-syllables.c — German syllables by spelling rules (mh-syllables.h). */
#include "mh-syllables.h"

static gboolean
is_vowel (gunichar c)
{
  return c != 0 && g_utf8_strchr ("aeiouäöüy", -1, c) != NULL;
}

/* Two vowels that make one nucleus. */
static gboolean
one_nucleus (gunichar a, gunichar b)
{
  static const char *const pairs[] = { "ei", "ie", "ai", "au", "eu", "äu", "ey", "ay", "aa", "ee", "oo", NULL };
  char s[16];
  int n = g_unichar_to_utf8 (a, s);

  n += g_unichar_to_utf8 (b, s + n);
  s[n] = '\0';
  for (int i = 0; pairs[i] != NULL; i++)
    if (g_str_equal (pairs[i], s))
      return TRUE;
  return FALSE;
}

/* How many characters the consonant unit starting at c[i] spans (1, 2 or 3). */
static int
unit_length (const gunichar *c, int i, int end)
{
  if (i + 2 < end && c[i] == 's' && c[i + 1] == 'c' && c[i + 2] == 'h')
    return 3;
  if (i + 1 < end && ((c[i] == 'c' && (c[i + 1] == 'h' || c[i + 1] == 'k')) || (c[i] == 'p' && c[i + 1] == 'h')
                      || (c[i] == 't' && c[i + 1] == 'h') || (c[i] == 'q' && c[i + 1] == 'u')))
    return 2;
  return 1;
}

int
mh_syllables_split (const char *word, int *starts, int max)
{
  g_autofree char *lower = NULL;
  g_autofree gunichar *c = NULL;
  glong n = 0;
  int count = 0, i = 0, prev_end = -1;

  g_return_val_if_fail (word != NULL && starts != NULL && max > 0, 0);

  lower = g_utf8_strdown (word, -1);
  c = g_utf8_to_ucs4_fast (lower, -1, &n);
  starts[count++] = 0;
  while (i < n)
    {
      int nucleus, end;
      if (!is_vowel (c[i]) || (c[i] == 'u' && i > 0 && c[i - 1] == 'q'))   /* qu: a consonant */
        {
          i++;
          continue;
        }
      nucleus = i;
      end = i + 1;
      if (end < n && is_vowel (c[end]) && one_nucleus (c[i], c[end]))
        end++;
      if (prev_end >= 0 && count < max)
        {
          /* the consonants between the last nucleus and this one: the last
           * unit (ch, sch, ck…) goes with this syllable */
          int start = nucleus;
          if (nucleus > prev_end)
            {
              int j = prev_end, last = prev_end;
              while (j < nucleus)
                {
                  last = j;
                  j += unit_length (c, j, nucleus);
                }
              start = last;
            }
          starts[count++] = start;
        }
      prev_end = end;
      i = end;
    }
  return count;
}
