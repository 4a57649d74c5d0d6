/* mh-window.h — the main window: palette, canvas, inspector, header bar. */
#pragma once

#include <adwaita.h>
#include "mh-application.h"
#include "mh-attention-view.h"
#include "mh-attribution-view.h"
#include "mh-confusion-view.h"
#include "mh-head-view.h"
#include "mh-predictions.h"
#include "mh-canvas.h"
#include "mh-document.h"
#include "mh-example-gallery.h"
#include "mh-epoch-scrubber.h"
#include "mh-runs-page.h"
#include "mh-training-panel.h"

G_BEGIN_DECLS

#define MH_TYPE_WINDOW (mh_window_get_type ())
G_DECLARE_FINAL_TYPE (MhWindow, mh_window, MH, WINDOW, AdwApplicationWindow)

MhWindow   *mh_window_new           (MhApplication *app);
/* The window's default size (`width` × `height`, the saved or the template's)
 * made to fit a monitor of `monitor_width` × `monitor_height` pixels. */
void        mh_window_size_for_monitor (int monitor_width, int monitor_height, int *width, int *height);
MhDocument *mh_window_get_document  (MhWindow *self);
MhCanvas   *mh_window_get_canvas    (MhWindow *self);

/* Open `file` in this window (no questions asked); on error the current
 * project stays.  The default project opens as a new, unsaved one. */
gboolean    mh_window_open_file     (MhWindow *self, GFile *file, GError **error);
void        mh_window_open_default  (MhWindow *self, GFile *file);
gboolean    mh_window_save_to       (MhWindow *self, GFile *file, GError **error);
void        mh_window_show_error    (MhWindow *self, const char *heading, const char *body);
void        mh_window_toast         (MhWindow *self, const char *message);
void        mh_window_load_weights  (MhWindow *self, const char *path);
/* New from Example (Ctrl+Shift+N): the gallery, shown; a card opens its
 * example as a new project (asking first about unsaved changes). */
MhExampleGallery *mh_window_show_examples (MhWindow *self);

/* Training (mh-window-training.c): start, or resume when paused (F5). */
void                  mh_window_train              (MhWindow *self);
void                  mh_window_stop_training      (MhWindow *self);
MhTrainerState        mh_window_get_training_state (MhWindow *self);
MhTrainingPanel      *mh_window_get_training_panel (MhWindow *self);
/* The latest event with the run's figures, or NULL. */
const MhTrainerEvent *mh_window_get_training_event (MhWindow *self);

/* Inspecting (mh-window-inspect.c): the dashboard's Predictions, Attention
 * and Confusion pages.  An image file onto the board — what a drop, the
 * Open dialog and a paste do; FALSE with an error naming the file when it
 * is empty, not an image or too large, and nothing changes. */
gboolean              mh_window_add_image          (MhWindow *self, GFile *file, GError **error);
MhPredictions        *mh_window_get_predictions    (MhWindow *self);
MhAttentionView      *mh_window_get_attention_view (MhWindow *self);
/* What each head looks at: the strip under the predictions, or the view on
 * the attention page. */
MhAttributionView    *mh_window_get_attribution_view (MhWindow *self, gboolean on_predictions);
MhConfusionView      *mh_window_get_confusion      (MhWindow *self);
/* The Attention page's view of a transformer over characters (BertViz's head view). */
MhHeadView           *mh_window_get_head_view      (MhWindow *self);

/* The model's files (mh-window-model.c): of the model the inspection pages
 * show; done on the trainer's worker (a toast, or a dialog, says how it went). */
gboolean              mh_window_save_weights       (MhWindow *self, const char *path);
gboolean              mh_window_export_torch       (MhWindow *self, const char *dir);

/* Runs (mh-window-runs.c). */
MhRunsPage           *mh_window_get_runs_page      (MhWindow *self);
/* A branch of run `id` from its epoch, with the canvas as it is. */
void                  mh_window_branch             (MhWindow *self, const char *id, int epoch);
/* Runs of run `id`'s project with 3 other seeds, queued. */
void                  mh_window_repeat_seeds       (MhWindow *self, const char *id);
/* The epoch slider of the Predictions page, and the seconds from its last
 * move to the cards' answers (-1: still waiting). */
MhEpochScrubber      *mh_window_get_epoch_scrubber (MhWindow *self);
double                mh_window_get_epoch_latency  (MhWindow *self);

G_END_DECLS
