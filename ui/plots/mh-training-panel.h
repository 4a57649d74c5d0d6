/* mh-training-panel.h — the live view of a training run, fed by the
 * trainer's events: per-head loss (raw, smoothed, validation per epoch),
 * the total loss, each head's metric, and the gradient-conflict page
 * (matrix, norms, weights, the cosine of each pair over time).  It keeps
 * the run's log (every figure of every step) for the CSV export. */
#pragma once

#include <gtk/gtk.h>
#include "mh-plot.h"
#include "mh-train-log.h"
#include "mh-trainer.h"

G_BEGIN_DECLS

#define MH_TYPE_TRAINING_PANEL (mh_training_panel_get_type ())
G_DECLARE_FINAL_TYPE (MhTrainingPanel, mh_training_panel, MH, TRAINING_PANEL, GtkWidget)

GtkWidget  *mh_training_panel_new        (void);
/* A new run (a STARTED event): series for its heads, the log emptied. */
void        mh_training_panel_begin      (MhTrainingPanel *self, const MhTrainerEvent *started);
/* PROGRESS and EPOCH events. */
void        mh_training_panel_add        (MhTrainingPanel *self, const MhTrainerEvent *event);
/* The balancing method's name as the project spells it ("pcgrad"). */
void        mh_training_panel_set_method (MhTrainingPanel *self, const char *method);
MhTrainLog *mh_training_panel_get_log    (MhTrainingPanel *self);
/* Nothing shown: no series, no log (another project). */
void        mh_training_panel_reset      (MhTrainingPanel *self);
/* Whose results are shown, beside the tabs ("run 3, before your edit"); NULL: none. */
void        mh_training_panel_set_caption (MhTrainingPanel *self, const char *caption);
const char *mh_training_panel_get_caption (MhTrainingPanel *self);
/* "loss", "total", "metric", "cosine", "weights". */
MhPlot     *mh_training_panel_get_plot   (MhTrainingPanel *self, const char *name);
/* Another page (the inspection views), after the plots' pages. */
void        mh_training_panel_add_page   (MhTrainingPanel *self, GtkWidget *page, const char *name,
                                          const char *title);
/* "loss", "metrics", "conflict", and the pages added. */
void        mh_training_panel_show_page  (MhTrainingPanel *self, const char *page);

G_END_DECLS
