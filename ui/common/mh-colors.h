/* mh-colors.h — one colour per head, the same on the canvas, in the
 * inspector and in the plots (GNOME's palette, tuned for light and dark). */
#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

void mh_head_color (guint index, gboolean dark, GdkRGBA *color);
/* The CSS class "head-color-N" that paints a swatch in that colour. */
char *mh_head_color_class (guint index);

G_END_DECLS
