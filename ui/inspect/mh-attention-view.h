/* mh-attention-view.h — where every attention head looks, for one image:
 * a grid of layers × heads, each cell the image under that head's attention
 * (viridis, with an opacity slider), and a rollout column (the heads fused
 * by mean, max or min, multiplied through the layers).  The query is the
 * class token or a patch clicked on the image; hovering a cell tells its
 * layer, head and the attention's entropy.  Export as PNG, SVG or PDF.
 *
 * It draws copies (MhProbeResult's maps): it never reads the model. */
#pragma once

#include <gtk/gtk.h>
#include "mh-model-probe.h"

G_BEGIN_DECLS

#define MH_TYPE_ATTENTION_VIEW (mh_attention_view_get_type ())
G_DECLARE_FINAL_TYPE (MhAttentionView, mh_attention_view, MH, ATTENTION_VIEW, GtkWidget)

GtkWidget *mh_attention_view_new      (void);
/* The maps of input x (the model's input, shape r->input) called `title`;
 * r NULL or without attention: `status` says why there is nothing to show. */
void       mh_attention_view_set_maps (MhAttentionView *self, const MhProbeResult *r, const float *x,
                                       const char *title, const char *status);
/* -1: the class token; else a patch, row-major. */
void       mh_attention_view_set_query   (MhAttentionView *self, int patch);
void       mh_attention_view_set_fusion  (MhAttentionView *self, MhHeadFusion fusion);
/* Rows and columns of heads in the grid (the rollout column not counted). */
void       mh_attention_view_get_grid    (MhAttentionView *self, int *layers, int *heads);
/* The map a cell shows before it is coloured: the query's attention over
 * the patches, summing to 1 (grid_h × grid_w values into out); head -1:
 * the rollout column.  FALSE: no such cell. */
gboolean   mh_attention_view_cell_map    (MhAttentionView *self, int layer, int head, float *out, int *n);
/* The entropy (bits) of a cell's attention row over every key token. */
double     mh_attention_view_cell_entropy (MhAttentionView *self, int layer, int head);
/* The grid as an image: PNG, SVG or PDF by the file name's ending. */
gboolean   mh_attention_view_export      (MhAttentionView *self, const char *path, GError **error);

G_END_DECLS
