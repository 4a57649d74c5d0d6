/* mh-tradeoff-view.h — the trade-off between two heads: each recorded run
 * is a point, its final validation loss of head i against that of head j,
 * so runs that differ in head weights or balancing trace how one head's
 * gain is the other's loss; the run training now draws its path through
 * that plane, epoch by epoch, live. */
#pragma once

#include <gtk/gtk.h>
#include "mh-metrics.h"
#include "mh-plot.h"
#include "mh-run.h"

G_BEGIN_DECLS

#define MH_TYPE_TRADEOFF_VIEW (mh_tradeoff_view_get_type ())
G_DECLARE_FINAL_TYPE (MhTradeoffView, mh_tradeoff_view, MH, TRADEOFF_VIEW, GtkWidget)

GtkWidget *mh_tradeoff_view_new       (void);
/* The runs (MhRun) to place; heads: the names to choose from (the project's). */
void       mh_tradeoff_view_set_runs  (MhTradeoffView *self, GPtrArray *runs, const char *const *heads);
/* The live run: its title, and its heads' validation figures after each epoch
 * (validation: n_heads entries, names as in `heads`); NULL title: none. */
void       mh_tradeoff_view_live_begin (MhTradeoffView *self, const char *title, const char *const *heads);
void       mh_tradeoff_view_live_epoch (MhTradeoffView *self, const MhHeadMetrics *validation);
/* The pair shown (indices into the heads set). */
void       mh_tradeoff_view_set_pair  (MhTradeoffView *self, int i, int j);
MhPlot    *mh_tradeoff_view_get_plot  (MhTradeoffView *self);

G_END_DECLS
