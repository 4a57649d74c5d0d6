/* mh-confusion-view.h — the confusion matrix of each classification head on the
 * test set, normalised by row (each true class sums to 100 %), the counts
 * on hover; clicking a cell emits "cell-activated" (head, true class,
 * answer) so the window can show those test images on the board. */
#pragma once

#include <gtk/gtk.h>
#include "mh-model-probe.h"

G_BEGIN_DECLS

#define MH_TYPE_CONFUSION (mh_confusion_get_type ())
G_DECLARE_FINAL_TYPE (MhConfusion, mh_confusion, MH, CONFUSION, GtkWidget)

GtkWidget *mh_confusion_new          (void);
/* The answers of a run on the test set (copied); NULL: `status` says why there are none. */
void       mh_confusion_set_answers  (MhConfusion *self, const MhProbeAnswers *answers, const char *status);
/* The head shown (an index among all heads; classification heads only). */
void       mh_confusion_set_head     (MhConfusion *self, int head);
int        mh_confusion_get_head     (MhConfusion *self);
/* Cell (truth, answer) of the head shown: its count and its share of the row. */
gboolean   mh_confusion_get_cell     (MhConfusion *self, int truth, int answer, int *count, double *fraction);
/* Up to max test samples of that cell (free with g_free); *n: how many. */
int       *mh_confusion_dup_samples  (MhConfusion *self, int truth, int answer, int max, int *n);

G_END_DECLS
