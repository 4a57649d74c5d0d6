/* mh-train-log.h — every figure of a training run, one row per step, from
 * the trainer's events: the table behind the plots and its CSV export.
 *
 * Columns: step, epoch, total_loss; per head <head>/loss, <head>/accuracy
 * (classification heads), <head>/weight, <head>/grad_norm; per pair of heads
 * cos/<a>/<b>; per head the validation figures <head>/val_loss and
 * <head>/val_accuracy, val_f1, val_iou, val_mae as its kind has them, set on
 * the row of the step that ended the epoch.  A missing value is NaN (an
 * empty cell in the CSV).
 */
#pragma once

#include <glib.h>
#include "mh-step-rows.h"
#include "mh-trainer.h"

G_BEGIN_DECLS

typedef struct _MhTrainLog MhTrainLog;

/* From a STARTED event (head names and kinds), or the heads themselves. */
MhTrainLog *mh_train_log_new        (const MhTrainerEvent *started);
MhTrainLog *mh_train_log_new_for_heads (const char *const *names, const MhFieldKind *kinds, int n_heads);
void        mh_train_log_free       (MhTrainLog *log);

/* Takes the rows of PROGRESS events and the figures of EPOCH events;
 * ignores the others. */
void        mh_train_log_add        (MhTrainLog *log, const MhTrainerEvent *event);
/* The same from the run loop: steps, and the validation figures of the
 * epoch that ended at `step` (set on that step's row). */
void        mh_train_log_add_rows   (MhTrainLog *log, const MhStepRows *rows);
void        mh_train_log_set_validation (MhTrainLog *log, int step, const MhHeadMetrics *validation);

guint       mh_train_log_get_n_rows    (const MhTrainLog *log);
guint       mh_train_log_get_n_columns (const MhTrainLog *log);
const char *mh_train_log_column_name   (const MhTrainLog *log, guint column);
/* The column called `name`, or -1. */
int         mh_train_log_find_column   (const MhTrainLog *log, const char *name);
double      mh_train_log_get           (const MhTrainLog *log, guint row, guint column);

/* A header line, then one line per row; numbers in the C locale. */
char       *mh_train_log_to_csv     (const MhTrainLog *log, gsize *len);
gboolean    mh_train_log_save_csv   (const MhTrainLog *log, const char *path, GError **error);
/* A log read back from its CSV (a run's metrics.csv): the columns by name,
 * empty cells NaN; it takes no more rows.  Errors name `where` and the line. */
MhTrainLog *mh_train_log_from_csv   (const char *text, gsize len, const char *where, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhTrainLog, mh_train_log_free)

G_END_DECLS
