/* mh-drop-down.h — drop-downs (and combo rows) whose chosen item may be ellipsized (German
 * words are long): its label then carries the whole text as a tooltip. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Gives `drop` (of GtkStringObjects) labels that ellipsize at the end and
 * show their text as a tooltip; the popup keeps the whole names. */
void mh_drop_down_ellipsize (GtkDropDown *drop);
/* The factory for those labels (ellipsizing with tooltips, or whole for a
 * popup), for an AdwComboRow's factory and list factory too. */
GtkListItemFactory *mh_drop_down_factory_new (gboolean ellipsize);

G_END_DECLS
