/* mh-attribution-view.h — what each prediction head looks at in one input,
 * side by side: the input, then a tile per head (per output for a
 * regression head) with the head's map over the image (viridis, smoothed,
 * its peak ringed), the head's answer above and the method and layer
 * below; hovering a tile explains it.  A method menu (automatic, Grad-CAM,
 * gradient-weighted attention rollout, gradient × input) and export as PNG,
 * SVG or PDF.
 *
 * It draws copies (MhProbeAttribution, mh-model-probe.h): it never reads the
 * model.  The window asks the trainer for them (mh_trainer_attribute) and
 * again when the method changes ("method-changed"). */
#pragma once

#include <gtk/gtk.h>
#include "mh-model-probe.h"

G_BEGIN_DECLS

#define MH_TYPE_ATTRIBUTION_VIEW (mh_attribution_view_get_type ())
G_DECLARE_FINAL_TYPE (MhAttributionView, mh_attribution_view, MH, ATTRIBUTION_VIEW, GtkWidget)

/* compact: a strip under the predictions (smaller tiles), folded at
 * first; else unfolded.  The title's button folds the tiles away and back
 * (the "expanded" property). */
GtkWidget *mh_attribution_view_new        (gboolean compact);
/* The maps of r, of the input called `title`; r NULL: `status` says why
 * there is nothing to show. */
void       mh_attribution_view_set_result (MhAttributionView *self, const MhProbeAttribution *r,
                                           const char *title, const char *status);
MhAttributionMethod mh_attribution_view_get_method (MhAttributionView *self);
/* Without emitting "method-changed". */
void       mh_attribution_view_set_method (MhAttributionView *self, MhAttributionMethod method);
/* On screen with its tiles unfolded (the "expanded" property, for a
 * compact view). */
gboolean   mh_attribution_view_is_showing (MhAttributionView *self);
/* What it shows (NULL: nothing); owned by the view. */
const MhProbeAttribution *mh_attribution_view_get_result (MhAttributionView *self);
/* The signals' channel names (for a sensor window's maps). */
void       mh_attribution_view_set_channels (MhAttributionView *self, const char *const *channels);
/* Map i of a sequence as drawn: over a word's characters (1 × its length,
 * padding left out) or a window's channels × time steps; out (may be NULL)
 * gets rows × cols values.  FALSE: no such map, or not a sequence. */
gboolean   mh_attribution_view_get_sequence_map (MhAttributionView *self, int i, float *out, int *rows, int *cols);
/* The tiles as an image: PNG, SVG or PDF by the file name's ending. */
gboolean   mh_attribution_view_export     (MhAttributionView *self, const char *path, GError **error);

G_END_DECLS
