/* mh-attribution-private.h — shared by the attribution view
 * (mh-attribution-view.c) and its drawing of sequences
 * (mh-attribution-sequence.c). */
#pragma once

#include "mh-attribution-view.h"
#include "mh-plot-theme.h"

G_BEGIN_DECLS

/* "Sneaker 97%", "filled 88%", "x0 0.31". */
char    *_mh_attribution_answer_text (const MhProbeAttribution *r, const MhAttributionMap *map);

/* mh-attribution-sequence.c: a word (tokens) or a sensor window (signals). */
gboolean _mh_attribution_is_sequence     (const MhProbeAttribution *r);
/* Map i as drawn: a word's characters (1 × its length, padding left out)
 * or the window's channels × time steps; out may be NULL. */
gboolean _mh_attribution_sequence_map    (const MhProbeAttribution *r, int i, float *out, int *rows, int *cols);
int      _mh_attribution_sequence_height (const MhProbeAttribution *r, int width, gboolean compact);
/* The map under (x, y), or -1. */
int      _mh_attribution_sequence_at     (const MhProbeAttribution *r, int width, gboolean compact, double x, double y);
/* word: the word whose last characters the model reads (tokens);
 * channels: the signals' names; hover: the map outlined, -1. */
void     _mh_attribution_sequence_draw   (cairo_t *cr, const MhPlotTheme *theme, const MhProbeAttribution *r,
                                          const char *word, char *const *channels, int width, gboolean compact,
                                          int hover);

G_END_DECLS
