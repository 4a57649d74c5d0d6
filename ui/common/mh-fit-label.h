/* mh-fit-label.h — a label that never widens the window: it ellipsizes
 * (or wraps into a few lines, then ellipsizes) and keeps its whole text in
 * its tooltip, whatever text it is given later (translations are longer). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* `label` ellipsizes at `mode` and its tooltip follows its text.  `lines`
 * > 1: it wraps between words first, ellipsizing the last of `lines` lines. */
void mh_fit_label (GtkLabel *label, PangoEllipsizeMode mode, int lines);
/* The label of a button (a GtkButton's, a GtkMenuButton's, a toggle's: the
 * first label inside `widget`) ellipsized at the end. */
void mh_fit_button_label (GtkWidget *widget);

G_END_DECLS
