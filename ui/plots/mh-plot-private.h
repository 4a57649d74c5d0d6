/* mh-plot-private.h — what the tests look at inside the plot widget. */
#pragma once

#include "mh-plot.h"

G_BEGIN_DECLS

/* The cached render node of a group of layers (NULL: none yet or dropped). */
GskRenderNode *_mh_plot_get_cached_node (MhPlot *self, MhPlotLayerGroup group);

G_END_DECLS
