/* mh-spin.c — localised spin buttons (mh-spin.h). */
#include "mh-spin.h"

#include <string.h>
#include "mh-format.h"

static gboolean
output (GtkSpinButton *spin, gpointer unused)
{
  g_autofree char *c = g_strdup_printf ("%.*f", (int) gtk_spin_button_get_digits (spin),
                                        gtk_spin_button_get_value (spin));
  g_autofree char *text = mh_format_localise (c, FALSE);

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* "0,25" (or "0.25", as typed in C) to 0.25; GTK_INPUT_ERROR for anything else. */
static int
input (GtkSpinButton *spin, double *value, gpointer unused)
{
  const char *decimal = mh_format_decimal_point (), *thousands = mh_format_thousands ();
  g_autoptr(GString) s = g_string_new (gtk_editable_get_text (GTK_EDITABLE (spin)));
  char *end;

  g_strstrip (s->str);
  g_string_set_size (s, strlen (s->str));
  if (strstr (s->str, decimal) != NULL)
    {
      if (*thousands != '\0')
        g_string_replace (s, thousands, "", 0);
      g_string_replace (s, decimal, ".", 0);
    }
  *value = g_ascii_strtod (s->str, &end);
  if (s->len == 0 || *end != '\0')
    {
      /* GTK takes *value even then (GTK_UPDATE_ALWAYS): keep the old one */
      *value = gtk_spin_button_get_value (spin);
      return GTK_INPUT_ERROR;
    }
  return TRUE;
}

void
mh_spin_button_localise (GtkSpinButton *spin)
{
  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));

  if (g_str_equal (mh_format_decimal_point (), "."))
    return;
  /* numeric mode takes only the C locale's digits and point: input() checks */
  gtk_spin_button_set_numeric (spin, FALSE);
  g_signal_connect (spin, "output", G_CALLBACK (output), NULL);
  g_signal_connect (spin, "input", G_CALLBACK (input), NULL);
  output (spin, NULL);
}

static char *
scale_value (GtkScale *scale, double value, gpointer unused)
{
  g_autofree char *c = g_strdup_printf ("%.*f", gtk_scale_get_digits (scale), value);

  return mh_format_localise (c, FALSE);
}

void
mh_scale_localise (GtkScale *scale)
{
  g_return_if_fail (GTK_IS_SCALE (scale));

  if (!g_str_equal (mh_format_decimal_point (), "."))
    gtk_scale_set_format_value_func (scale, scale_value, NULL, NULL);
}
