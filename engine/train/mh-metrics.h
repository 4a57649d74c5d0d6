/* mh-metrics.h — each head's figures over a split: loss, and by the kind of
 * its field: accuracy and confusion matrix (classes), F1 micro and macro at
 * the head's threshold (label sets), mean absolute error (numbers) and mean
 * IoU (boxes). */
#pragma once

#include <glib.h>
#include "mh-model.h"

G_BEGIN_DECLS

typedef struct {
  double loss;       /* mean loss per sample */
  double accuracy;   /* CLASS; NaN otherwise */
  double f1_micro;   /* LABELS; NaN otherwise */
  double f1_macro;
  double mae;        /* NUMBERS; NaN otherwise */
  double iou;        /* NUMBERS that are a box; NaN otherwise */
  int    n;
} MhHeadMetrics;

typedef struct {
  MhFieldKind kind;
  gboolean    box;
  int         k;          /* outputs */
  float       threshold;  /* LABELS, as a logit */
  double      loss_sum;
  int         n;
  int         correct;
  int        *confusion;  /* CLASS: k × k, rows the truth, columns the answer */
  int        *tp, *fp, *fn;
  double      abs_err;
  double      iou_sum;
} MhMetricsAcc;

void mh_metrics_acc_init (MhMetricsAcc *a, const MhHead *head, gboolean box);
void mh_metrics_acc_clear (MhMetricsAcc *a);
/* n samples of the head's outputs (n × k) and targets; mean_loss: theirs. */
void mh_metrics_acc_add (MhMetricsAcc *a, const float *outputs, const int *classes,
                         const float *values, int n, double mean_loss);
void mh_metrics_acc_finish (const MhMetricsAcc *a, MhHeadMetrics *out);

/* Intersection over union of two boxes x0, y0, x1, y1 (0 when either is empty). */
double mh_box_iou (const float *a, const float *b);

G_END_DECLS
