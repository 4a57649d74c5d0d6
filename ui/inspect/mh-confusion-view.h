/* mh-confusion-view.h — the confusion matrix of each classification head on the
 * test set, normalised by row (each true class sums to 100 %), the counts
 * on hover; clicking a cell emits "cell-activated" (head, true class,
 * answer) so the window can show those test images on the board. */
#pragma once

#include <gtk/gtk.h>
#include "mh-model-probe.h"

G_BEGIN_DECLS

#define MH_TYPE_CONFUSION_VIEW (mh_confusion_view_get_type ())
G_DECLARE_FINAL_TYPE (MhConfusionView, mh_confusion_view, MH, CONFUSION_VIEW, GtkWidget)

GtkWidget *mh_confusion_view_new         (void);
/* The answers of a run on the test set (copied); NULL: `status` says why there are none. */
void       mh_confusion_view_set_answers (MhConfusionView *self, const MhProbeAnswers *answers,
                                          const char *status);
/* The head shown (an index among all heads; classification heads only). */
void       mh_confusion_view_set_head    (MhConfusionView *self, int head);
/* Cell (truth, answer) of the head shown: its count and its share of the row. */
gboolean   mh_confusion_view_get_cell    (MhConfusionView *self, int truth, int answer, int *count,
                                          double *fraction);
/* Up to max test samples of that cell (free with g_free); *n: how many. */
int       *mh_confusion_view_dup_samples (MhConfusionView *self, int truth, int answer, int max, int *n);
/* The matrix shown, drawn at width × height as a PNG, an SVG or a PDF
 * (by the file's extension); also the export button's. */
gboolean   mh_confusion_view_export      (MhConfusionView *self, const char *path, int width, int height,
                                          GError **error);

G_END_DECLS
