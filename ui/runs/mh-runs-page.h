/* mh-runs-page.h — the Runs page: the project's recorded runs (a row each,
 * in columns: its name (Rename…), date, state, balancing, seed, epochs, final
 * per-head figures, disk use; what is wrong with it; pin; a menu: show its
 * predictions after an epoch, branch from an epoch, repeat with 3 seeds,
 * show its folder, delete), the store's place and size and its retention
 * rule; and, as the other views of the page, Compare and Trade-off of the
 * ticked runs ("list", "compare", "trade-off").
 *
 * Signals:
 *   "ticked-changed" ()                the runs ticked for comparison changed
 *   "show-run" (char *id, int epoch)   show that run's answers (Predictions page)
 *   "branch" (char *id, int epoch)     start a branch from it with the canvas as it is
 *   "repeat" (char *id)                queue runs of its project with 3 more seeds
 *   "deleted" (char *id)               moved to the trash (the window offers Undo)
 */
#pragma once

#include <gtk/gtk.h>
#include "mh-compare-view.h"
#include "mh-run-store.h"
#include "mh-tradeoff-view.h"

G_BEGIN_DECLS

#define MH_TYPE_RUNS_PAGE (mh_runs_page_get_type ())
G_DECLARE_FINAL_TYPE (MhRunsPage, mh_runs_page, MH, RUNS_PAGE, GtkWidget)

GtkWidget  *mh_runs_page_new         (void);
/* The store to list (its directory is copied; NULL: none) and the project
 * now on the canvas (for "before your edit"). */
void        mh_runs_page_set_store   (MhRunsPage *self, const MhRunStore *store, const MhProject *current);
void        mh_runs_page_set_project (MhRunsPage *self, const MhProject *current);
const MhRunStore *mh_runs_page_get_store (MhRunsPage *self);
/* Reads the runs again (a run started, ended, was deleted). */
void        mh_runs_page_reload      (MhRunsPage *self);
/* Every run listed (MhRun), oldest first; those ticked, in the list's order. */
GPtrArray  *mh_runs_page_get_runs    (MhRunsPage *self);
GPtrArray  *mh_runs_page_dup_ticked  (MhRunsPage *self);
void        mh_runs_page_set_ticked  (MhRunsPage *self, const char *id, gboolean ticked);
MhRun      *mh_runs_page_find        (MhRunsPage *self, const char *id);
/* The run training now (its row says so; NULL: none). */
void        mh_runs_page_set_current (MhRunsPage *self, const char *id);
/* A run's state as the window says it ("finished", "interrupted"), translated. */
const char *mh_run_state_title       (const MhRun *run);
/* Renames run `id` (NULL or "": "run ID" again), as Rename… does; an error is shown. */
void        mh_runs_page_rename      (MhRunsPage *self, const char *id, const char *name);
/* The title the window shows for a run: "run 3", "run 3, before your edit". */
char       *mh_runs_page_dup_title   (MhRunsPage *self, const MhRun *run);
MhCompareView  *mh_runs_page_get_compare  (MhRunsPage *self);
MhTradeoffView *mh_runs_page_get_tradeoff (MhRunsPage *self);
/* "list", "compare" or "trade-off". */
void        mh_runs_page_show_view   (MhRunsPage *self, const char *view);

G_END_DECLS
