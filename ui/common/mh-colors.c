/* mh-colors.c — per-head colours. */
#include "mh-colors.h"

/* GNOME palette: blue 3, orange 3, green 4, purple 3, red 3, teal, yellow 5, brown 3;
 * the dark variants are a step lighter. */
static const char *const light[] = {
  "#3584e4", "#e66100", "#2ec27e", "#9141ac", "#e01b24", "#1f9ede", "#c88800", "#986a44",
};
static const char *const dark[] = {
  "#62a0ea", "#ffa348", "#57e389", "#c061cb", "#f66151", "#4fc1e9", "#f6d32d", "#cdab8f",
};

void
mh_head_color (guint index, gboolean is_dark, GdkRGBA *color)
{
  g_return_if_fail (color != NULL);

  gdk_rgba_parse (color, (is_dark ? dark : light)[index % G_N_ELEMENTS (light)]);
}

char *
mh_head_color_class (guint index)
{
  return g_strdup_printf ("head-color-%u", index % (guint) G_N_ELEMENTS (light));
}
