/* test-metrics.c — each head's figures on hand-made predictions. */
#include <math.h>
#include "mh-metrics.h"

static MhHead
head_of (MhFieldKind kind, int k, float threshold)
{
  return (MhHead) { .field_kind = kind, .out_dim = k, .threshold = threshold };
}

/* 3 classes, 5 samples: truth 0 0 1 2 2, answers 0 1 1 2 0:
 * accuracy 3/5; confusion rows (truth) × columns (answer):
 *   [1 1 0]  [0 1 0]  [1 0 1] */
static void
test_classes (void)
{
  MhHead h = head_of (MH_FIELD_CLASS, 3, 0.5f);
  float z[15] = { 2, 1, 0,  0, 3, 1,  0, 1, 0,  0, 0, 5,  4, 0, 1 };
  int truth[5] = { 0, 0, 1, 2, 2 }, want[9] = { 1, 1, 0, 0, 1, 0, 1, 0, 1 };
  MhMetricsAcc a;
  MhHeadMetrics m;

  mh_metrics_acc_init (&a, &h, FALSE);
  mh_metrics_acc_add (&a, z, truth, NULL, 3, 0.5);
  mh_metrics_acc_add (&a, z + 9, truth + 3, NULL, 2, 1.0);
  mh_metrics_acc_finish (&a, &m);
  g_assert_cmpfloat_with_epsilon (m.accuracy, 0.6, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.loss, (0.5 * 3 + 1.0 * 2) / 5, 1e-12);
  for (int i = 0; i < 9; i++)
    g_assert_cmpint (a.confusion[i], ==, want[i]);
  g_assert_true (isnan (m.f1_micro) && isnan (m.mae) && isnan (m.iou));
  mh_metrics_acc_clear (&a);
}

/* 2 labels, threshold 0.7 (logit ≈ 0.847): logits 1.0 → yes, 0.5 → no.
 *   sample 0: said (1, 0)  truth (1, 1)   label 0 tp; label 1 fn
 *   sample 1: said (1, 1)  truth (0, 1)   label 0 fp; label 1 tp
 *   sample 2: said (0, 0)  truth (0, 0)
 * label 0: tp 1 fp 1 fn 0 → F1 2/3; label 1: tp 1 fp 0 fn 1 → F1 2/3;
 * micro: tp 2 fp 1 fn 1 → 4/6; macro 2/3. */
static void
test_labels (void)
{
  MhHead h = head_of (MH_FIELD_LABELS, 2, 0.7f);
  float z[6] = { 1.0f, 0.5f, 1.0f, 1.0f, -3, 0.5f }, t[6] = { 1, 1, 0, 1, 0, 0 };
  MhMetricsAcc a;
  MhHeadMetrics m;

  mh_metrics_acc_init (&a, &h, FALSE);
  mh_metrics_acc_add (&a, z, NULL, t, 3, 0.2);
  mh_metrics_acc_finish (&a, &m);
  g_assert_cmpfloat_with_epsilon (m.f1_micro, 4.0 / 6, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.f1_macro, 2.0 / 3, 1e-12);
  g_assert_true (isnan (m.accuracy));
  mh_metrics_acc_clear (&a);
}

/* Boxes: prediction (0, 0, 0.5, 0.5) against truth (0.25, 0.25, 0.75, 0.75):
 * intersection 0.25², union 2·0.25 − 0.0625 = 0.4375: IoU 1/7; a perfect
 * box: 1.  Mean abs. error: (4·0.25 + 0)/(4·2) = 0.125. */
static void
test_boxes (void)
{
  MhHead h = head_of (MH_FIELD_NUMBERS, 4, 0.5f);
  float z[8] = { 0, 0, 0.5f, 0.5f, 0.1f, 0.2f, 0.3f, 0.4f };
  float t[8] = { 0.25f, 0.25f, 0.75f, 0.75f, 0.1f, 0.2f, 0.3f, 0.4f };
  MhMetricsAcc a;
  MhHeadMetrics m;

  g_assert_cmpfloat_with_epsilon (mh_box_iou (z, t), 1.0 / 7, 1e-7);
  g_assert_cmpfloat (mh_box_iou ((float[]) { 0, 0, 0.1f, 0.1f }, (float[]) { 0.5f, 0.5f, 1, 1 }), ==, 0);
  g_assert_cmpfloat (mh_box_iou ((float[]) { 0.5f, 0.5f, 0.2f, 0.2f }, t), ==, 0);   /* empty */
  mh_metrics_acc_init (&a, &h, TRUE);
  mh_metrics_acc_add (&a, z, NULL, t, 2, 0.1);
  mh_metrics_acc_finish (&a, &m);
  g_assert_cmpfloat_with_epsilon (m.iou, (1.0 / 7 + 1) / 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (m.mae, 0.125, 1e-6);
  mh_metrics_acc_clear (&a);
  /* the same numbers, not a box: no IoU */
  mh_metrics_acc_init (&a, &h, FALSE);
  mh_metrics_acc_add (&a, z, NULL, t, 2, 0.1);
  mh_metrics_acc_finish (&a, &m);
  g_assert_true (isnan (m.iou));
  mh_metrics_acc_clear (&a);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/metrics/classes", test_classes);
  g_test_add_func ("/engine/metrics/labels", test_labels);
  g_test_add_func ("/engine/metrics/boxes", test_boxes);
  return g_test_run ();
}
