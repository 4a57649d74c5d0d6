/* mh-window-private.h — shared by mh-window.c and mh-window-actions.c. */
#pragma once

#include "mh-attention-view.h"
#include "mh-confusion-view.h"
#include "mh-inspector.h"
#include "mh-predictions.h"
#include "mh-palette.h"
#include "mh-runs-page.h"
#include "mh-epoch-scrubber.h"
#include "mh-trainer.h"
#include "mh-training-panel.h"
#include "mh-window.h"

G_BEGIN_DECLS

struct _MhWindow
{
  AdwApplicationWindow  parent_instance;

  MhDocument           *document;
  gboolean              is_default;   /* the untouched default project: replace it freely */
  GSettings            *settings;
  GMenu                *recent_menu;

  /* training (mh-window-training.c) */
  MhTrainer            *trainer;
  MhTrainerState        train_state;
  MhProject            *live;         /* the running spec, with the live values last sent */
  MhTrainerEvent       *last_event;   /* the latest with the run's figures */
  gboolean              panel_placed;
  gint64                progress_time;  /* the strip's last update */

  /* template children */
  AdwToastOverlay      *toasts;
  AdwWindowTitle       *title;
  GtkRevealer          *banner;
  GtkLabel             *banner_label;
  MhPalette            *palette;
  MhCanvas             *canvas;
  MhInspector          *inspector;
  GtkRevealer          *inspector_revealer;
  GtkLabel             *zoom_label;
  GtkWidget            *examples_button;
  GtkMenuButton        *menu_button;
  GtkWidget            *train_controls;
  GtkButton            *train_button;
  GtkStack             *train_label;   /* "train", "training", "resume" */
  GtkButton            *pause_button;
  GtkWidget            *step_button;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_state;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  GtkPaned             *paned;
  MhTrainingPanel      *training_panel;

  /* inspecting (mh-window-results.c) */
  struct _MhWindowResults *results;
  /* what each head looks at (mh-window-attribution.c) */
  struct _MhWindowAttribution *attribution;
  /* the recorded runs (mh-window-runs.c) */
  struct _MhWindowRuns    *runs;
  guint                    model_file_done;
  GPtrArray               *shown_toasts;      /* AdwToast: those not dismissed yet */   /* model files written or read (mh-window-model.c) */
};

/* mh-window.c */
void mh_window_set_document   (MhWindow *self, MhDocument *document);
/* Every toast goes through here: opening another project dismisses them. */
void _mh_window_add_toast     (MhWindow *self, AdwToast *toast);

/* mh-window-actions.c */
void _mh_window_install_actions (MhWindow *self);
void _mh_window_update_actions  (MhWindow *self);
void _mh_window_update_recent   (MhWindow *self);
/* mh-window-training.c */
void _mh_window_training_init     (MhWindow *self);
void _mh_window_training_dispose  (MhWindow *self);
/* A new document: its guard; after each change: the live values to the run. */
void _mh_window_training_document (MhWindow *self);
void _mh_window_training_changed  (MhWindow *self);
/* Another project: the run forgotten (no event of it comes), nothing shown. */
void _mh_window_training_forget   (MhWindow *self);
/* The dashboard in view (its size set the first time). */
void _mh_window_show_panel        (MhWindow *self);
/* A run ready to use, paused, when none is active; FALSE (and a toast) when the
 * project cannot train yet. */
gboolean _mh_window_ensure_run    (MhWindow *self);
/* A run of `project` (NULL: the document's), or a branch of the run in
 * branch_dir from its epoch; FALSE (a toast) when it cannot start. */
gboolean _mh_window_start         (MhWindow *self, const MhProject *project, const char *branch_dir, int branch_epoch);
/* mh-window-results.c */
void _mh_window_results_init      (MhWindow *self);
void _mh_window_results_dispose   (MhWindow *self);
void _mh_window_results_changed   (MhWindow *self);
void _mh_window_results_event     (MhWindow *self, const MhTrainerEvent *e, MhTrainerState before);
void _mh_window_add_images        (MhWindow *self, GFile **files, guint n);
/* mh-window-attribution.c: the two views wrapped around the pages' widgets
 * (each replaced by the page it is now part of); the maps of the chosen
 * image asked for again (when a view shows); the attention view shown or
 * not (a model without attention layers). */
void _mh_window_attribution_init    (MhWindow *self, GtkWidget **board_page, GtkWidget **attention_page);
void _mh_window_attribution_dispose (MhWindow *self);
void _mh_window_attribution_request (MhWindow *self);
void _mh_window_attribution_show_attention (MhWindow *self, gboolean has_attention);
/* The run the epoch slider scrubs (NULL: none; live: "now" is the trainer's model of it). */
void _mh_window_results_set_run   (MhWindow *self, const MhRun *run, const char *title, gboolean live);
/* The slider to an epoch (-1: now); the pages ask again. */
void _mh_window_results_show_epoch (MhWindow *self, int epoch);
/* The model shown: a run's folder and *epoch, or NULL (the live one). */
const char *_mh_window_results_get_model (MhWindow *self, int *epoch);
/* Another project: no card, map, matrix or test split of the last one. */
void _mh_window_results_clear     (MhWindow *self);
/* mh-window-model.c */
void _mh_window_model_init        (MhWindow *self);
/* mh-window-runs.c */
void _mh_window_runs_init         (MhWindow *self);
void _mh_window_runs_dispose      (MhWindow *self);
/* A new document (template_file: the example it was made from, or NULL). */
void _mh_window_runs_document     (MhWindow *self, const char *template_file);
void _mh_window_runs_changed      (MhWindow *self);
void _mh_window_runs_event        (MhWindow *self, const MhTrainerEvent *e, MhTrainerState before);
const char *_mh_window_runs_dir   (MhWindow *self);
const char *_mh_window_runs_project_file (MhWindow *self);

/* Run `then` once the user has saved or discarded the changes (at once if none). */
void _mh_window_confirm_discard (MhWindow *self, void (*then) (MhWindow *self, gpointer data),
                                 gpointer data, GDestroyNotify destroy);

G_END_DECLS
