/* mh-conflict-view.h — how much the heads' gradients on the shared
 * representation agree: the heads × heads matrix of their cosine similarity,
 * coloured from conflict (negative, red) to agreement (positive, blue), and
 * each head's gradient norm and effective loss weight as bars. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MH_TYPE_CONFLICT_VIEW (mh_conflict_view_get_type ())
G_DECLARE_FINAL_TYPE (MhConflictView, mh_conflict_view, MH, CONFLICT_VIEW, GtkWidget)

GtkWidget *mh_conflict_view_new       (void);
/* The heads (names; colours by index, as on the canvas); clears the figures. */
void       mh_conflict_view_set_heads (MhConflictView *self, const char *const *names);
/* cosine: n × n (NaN: not comparable); grad_norm, weight: n. */
void       mh_conflict_view_set       (MhConflictView *self, const double *cosine, const double *grad_norm,
                                       const float *weight);
/* What the method does, shown under the matrix ("PCGrad projects …"). */
void       mh_conflict_view_set_note  (MhConflictView *self, const char *note);
/* The view drawn at width × height as a PNG, an SVG or a PDF (by the
 * file's extension); also on its context menu. */
gboolean   mh_conflict_view_export    (MhConflictView *self, const char *path, int width, int height,
                                       GError **error);
/* The colour of a cosine in [-1, 1]. */
void       mh_conflict_color          (double cosine, gboolean dark, GdkRGBA *color);

G_END_DECLS
