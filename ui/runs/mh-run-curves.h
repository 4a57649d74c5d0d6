/* mh-run-curves.h — recorded runs' curves on one chart (a figure:
 * mh-plot-figure.h, no widget), for the window's Compare page and
 * `render-curves`: each head in its colour (the same as on the canvas), each
 * run in its own line style (solid, dashed, dotted, …) with the legend naming
 * it, the validation figures of every epoch as markers; runs that differ
 * only by their seed drawn as their mean in a band of ± one standard
 * deviation. */
#pragma once

#include "mh-plot-figure.h"
#include "mh-run.h"

G_BEGIN_DECLS

typedef enum {
  MH_RUN_CURVES_LOSS,     /* each head's loss */
  MH_RUN_CURVES_METRIC,   /* each head's accuracy (validation: its headline figure) */
} MhRunCurvesKind;

/* Adds the curves of runs[i] (MhRun) from logs[i] (MhTrainLog, their
 * metrics) to `figure`, with its title.  heads: every head name in colour
 * order (NULL: in the order the runs have them); head: only that head (NULL:
 * all).  Returns how many lines it drew. */
guint    mh_run_curves_add (MhPlotFigure *figure, GPtrArray *runs, GPtrArray *logs, const char *const *heads,
                            const char *head, MhRunCurvesKind kind, gboolean seeds_as_band);

/* Removes every curve and band. */
void     mh_run_curves_clear (MhPlotFigure *figure);

/* Whether two runs trained the same project from the same start, their
 * seed aside. */
gboolean mh_runs_differ_by_seed_only (const MhRun *a, const MhRun *b);

/* The dash of the i-th run of a comparison. */
MhPlotDash mh_run_curves_dash (guint i);

G_END_DECLS
