/* mh-wrap-bar.h — a tool bar of groups that wraps: the groups side by side
 * while they fit, the later ones on a new line when the window is narrow
 * (a projector), so that no control is cut off or pushed out of the window. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *mh_wrap_bar_new    (void);
/* `group` (a box of controls) after the others; the last group is aligned
 * to the end of its line. */
void       mh_wrap_bar_append (GtkWidget *bar, GtkWidget *group);

G_END_DECLS
