/* mh-teach-target.h — the parts of the window a lesson points at, by
 * stable names (docs/lessons.md, "Targets"):
 *
 *   NAME                a widget of the window: its widget name
 *                       (gtk_widget_set_name) or an id of the window's
 *                       template (train_button, palette, inspector, …)
 *   canvas:data         a block on the canvas: the data source,
 *   canvas:backbone     the backbone,
 *   canvas:head:NAME    the head called NAME
 *
 * and the canvas blocks a step selects or waits for ("data", "backbone",
 * "head", "head:NAME"). */
#pragma once

#include "mh-window.h"

G_BEGIN_DECLS

/* The widget called `name` in `window` (template ids first, then widget
 * names, depth first), or NULL. */
GtkWidget *mh_teach_find_widget   (GtkWidget *window, const char *name);
/* Where `target` is: the widget that holds it and the rectangle in that
 * widget's coordinates (the whole widget, or the canvas block's bounds).
 * FALSE when it is not there (an unknown name, a head the project lacks). */
gboolean   mh_teach_resolve       (MhWindow *window, const char *target, GtkWidget **widget,
                                   graphene_rect_t *bounds);
/* "data", "backbone", "head:NAME" → the block of the window's project;
 * FALSE when there is none such. */
gboolean   mh_teach_block_ref     (MhWindow *window, const char *block, MhBlockRef *ref);
/* Whether the canvas selection matches `block` ("head" matches any head). */
gboolean   mh_teach_block_selected (MhWindow *window, const char *block);

G_END_DECLS
