/* mh-format.c — numbers for labels, in the window's language (mh-format.h). */
#include "mh-format.h"

#include <glib/gi18n.h>
#include <string.h>

const char *
mh_format_decimal_point (void)
{
  /* TRANSLATORS: the decimal separator of your language, for numbers in the
   * window (not in files): "," in German */
  return C_("decimal separator", ".");
}

const char *
mh_format_thousands (void)
{
  /* TRANSLATORS: the thousands separator of your language, for numbers in
   * the window: "." in German; a narrow no-break space is fine too */
  return C_("thousands separator", ",");
}

char *
mh_format_localise (const char *c_number, gboolean group)
{
  GString *out = g_string_new (NULL);
  const char *p = c_number;
  const char *digits, *end;

  while (*p != '\0' && !g_ascii_isdigit (*p))   /* sign, spaces of a width */
    g_string_append_c (out, *p++);
  digits = p;
  while (g_ascii_isdigit (*p))
    p++;
  end = p;
  for (const char *d = digits; d < end; d++)
    {
      g_string_append_c (out, *d);
      if (group && end - d > 1 && (end - d - 1) % 3 == 0)
        g_string_append (out, mh_format_thousands ());
    }
  for (; *p != '\0'; p++)
    if (*p == '.')
      g_string_append (out, mh_format_decimal_point ());
    else
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* Formats one conversion `spec` ("%'8.2f") taking its argument from args.
 * The spec is a piece of mh_format's format, which the compiler checked. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void
append_conversion (GString *out, const char *spec, gsize len, va_list *args)
{
  g_autofree char *c_spec = NULL;
  g_autofree char *text = NULL;
  char conv = spec[len - 1];
  gboolean group = memchr (spec, '\'', len) != NULL;
  GString *s = g_string_new_len (spec, len);
  const char *l;
  gboolean is_long, is_long_long, is_size;

  /* the C locale has no grouping: drop the ' and group ourselves */
  for (char *q; (q = strchr (s->str, '\'')) != NULL;)
    g_string_erase (s, q - s->str, 1);
  c_spec = g_string_free (s, FALSE);
  l = c_spec + 1;
  while (*l != '\0' && strchr ("-+ #0123456789.*", *l) != NULL)
    l++;
  is_long_long = l[0] == 'l' && l[1] == 'l';
  is_long = !is_long_long && l[0] == 'l';
  is_size = l[0] == 'z';
  if (strchr (c_spec, '*') != NULL)
    {
      /* widths and precisions as arguments are not used for labels */
      text = g_strdup (c_spec);
    }
  else
    switch (conv)
      {
      case 'f': case 'F': case 'g': case 'G': case 'e': case 'E':
        {
          g_autofree char *c = g_strdup_printf (c_spec, va_arg (*args, double));
          text = mh_format_localise (c, group && (conv == 'f' || conv == 'F'));
          break;
        }
      case 'd': case 'i':
        {
          g_autofree char *c = is_long_long ? g_strdup_printf (c_spec, va_arg (*args, long long))
                             : is_long ? g_strdup_printf (c_spec, va_arg (*args, long))
                             : is_size ? g_strdup_printf (c_spec, va_arg (*args, gssize))
                             : g_strdup_printf (c_spec, va_arg (*args, int));
          text = group ? mh_format_localise (c, TRUE) : g_steal_pointer (&c);
          break;
        }
      case 'u': case 'x': case 'X': case 'o':
        {
          g_autofree char *c = is_long_long ? g_strdup_printf (c_spec, va_arg (*args, unsigned long long))
                             : is_long ? g_strdup_printf (c_spec, va_arg (*args, unsigned long))
                             : is_size ? g_strdup_printf (c_spec, va_arg (*args, gsize))
                             : g_strdup_printf (c_spec, va_arg (*args, unsigned int));
          text = group && conv == 'u' ? mh_format_localise (c, TRUE) : g_steal_pointer (&c);
          break;
        }
      case 'c':
        text = g_strdup_printf (c_spec, va_arg (*args, int));
        break;
      case 's':
        text = g_strdup_printf (c_spec, va_arg (*args, const char *));
        break;
      case 'p':
        text = g_strdup_printf (c_spec, va_arg (*args, void *));
        break;
      default:
        text = g_strdup (c_spec);
      }
  g_string_append (out, text);
}
#pragma GCC diagnostic pop

char *
mh_format_valist (const char *format, va_list args)
{
  GString *out = g_string_new (NULL);
  va_list copy;

  va_copy (copy, args);
  for (const char *p = format; *p != '\0';)
    {
      const char *q;

      if (*p != '%')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if (p[1] == '%')
        {
          g_string_append_c (out, '%');
          p += 2;
          continue;
        }
      q = p + 1;
      while (*q != '\0' && strchr ("-+ #0123456789.*'hlLqjzt", *q) != NULL)
        q++;
      if (*q == '\0')
        {
          g_string_append (out, p);
          break;
        }
      append_conversion (out, p, q - p + 1, &copy);
      p = q + 1;
    }
  va_end (copy);
  return g_string_free (out, FALSE);
}

char *
mh_format (const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = mh_format_valist (format, args);
  va_end (args);
  return text;
}
