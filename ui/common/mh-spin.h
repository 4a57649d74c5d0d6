/* mh-spin.h — spin buttons (and scales) that show and read numbers with the window's
 * decimal separator ("0,001" in German; mh-format.h). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Nothing changes when the separator is ".": GTK's own formatting stays. */
void mh_spin_button_localise (GtkSpinButton *spin);
/* A scale that draws its value: drawn with the window's separator. */
void mh_scale_localise       (GtkScale *scale);

G_END_DECLS
