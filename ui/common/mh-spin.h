/* mh-spin.h — spin buttons that show and read numbers with the window's
 * decimal separator ("0,001" in German; mh-format.h). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Nothing changes when the separator is ".": GTK's own formatting stays. */
void mh_spin_button_localise (GtkSpinButton *spin);

G_END_DECLS
