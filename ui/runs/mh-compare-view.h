/* mh-compare-view.h — two or more recorded runs side by side: the loss and
 * the accuracy plots overlaid per head (mh-run-curves.h: the head's colour,
 * a line style per run, the legend naming the run, validation markers; runs
 * that differ only by seed as mean ± spread), and a table of their settings
 * and final figures with each run's difference to the first. */
#pragma once

#include <gtk/gtk.h>
#include "mh-plot.h"
#include "mh-run.h"

G_BEGIN_DECLS

#define MH_TYPE_COMPARE_VIEW (mh_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (MhCompareView, mh_compare_view, MH, COMPARE_VIEW, GtkWidget)

GtkWidget *mh_compare_view_new      (void);
/* runs (MhRun) with their metrics logs (MhTrainLog; NULL where unreadable),
 * heads in colour order (the project's; NULL: the runs' own). */
void       mh_compare_view_set_runs (MhCompareView *self, GPtrArray *runs, GPtrArray *logs,
                                     const char *const *heads);
MhPlot    *mh_compare_view_get_plot (MhCompareView *self, gboolean metric);
/* The table's cell at row, column (0, 0: the corner), or NULL. */
const char *mh_compare_view_get_cell (MhCompareView *self, int row, int column);

G_END_DECLS
