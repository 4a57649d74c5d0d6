/* mh-canvas.h — the model canvas: the project's data source, backbone and
 * heads as blocks with ports, and the wires between them, drawn with
 * GtkSnapshot.  Every change goes to the document as an undoable edit. */
#pragma once

#include <gtk/gtk.h>
#include "mh-document.h"
#include "mh-edits.h"

G_BEGIN_DECLS

#define MH_TYPE_CANVAS (mh_canvas_get_type ())
G_DECLARE_FINAL_TYPE (MhCanvas, mh_canvas, MH, CANVAS, GtkWidget)

GtkWidget  *mh_canvas_new                 (void);
void        mh_canvas_set_document        (MhCanvas *self, MhDocument *document);

/* Add a palette item at (x, y) in canvas units, or at a free spot when x is NAN. */
gboolean    mh_canvas_add                 (MhCanvas *self, const char *id, double x, double y,
                                           GError **error);
gboolean    mh_canvas_connect             (MhCanvas *self, MhPortRef from, MhPortRef to,
                                           GError **error);

/* The selection: blocks, in the order they were selected. */
GArray     *mh_canvas_get_selection       (MhCanvas *self);   /* MhBlockRef, transfer none */
void        mh_canvas_select              (MhCanvas *self, MhBlockRef ref, gboolean extend);
void        mh_canvas_select_all          (MhCanvas *self);
void        mh_canvas_unselect_all        (MhCanvas *self);
void        mh_canvas_move_selection      (MhCanvas *self, double dx, double dy);
void        mh_canvas_delete_selection    (MhCanvas *self);
gboolean    mh_canvas_duplicate_selection (MhCanvas *self, GError **error);

double      mh_canvas_get_zoom            (MhCanvas *self);
void        mh_canvas_set_zoom            (MhCanvas *self, double zoom);
void        mh_canvas_fit                 (MhCanvas *self);
void        mh_canvas_set_expanded        (MhCanvas *self, gboolean expanded);

/* Where things are, in widget coordinates (for tests and accessibility). */
gboolean    mh_canvas_get_block_bounds    (MhCanvas *self, MhBlockRef ref, graphene_rect_t *bounds);
gboolean    mh_canvas_get_port_point      (MhCanvas *self, MhPortRef ref, graphene_point_t *point);

G_END_DECLS
