/* mh-augment.h — random shifts and horizontal flips of a training batch.
 *
 * Each sample of the batch is, with its own draw from `rng`, flipped left to
 * right (half of the time, when spec->flip and the dataset allows it: not
 * Multi-Fashion, whose left and right would swap) and then shifted by dx, dy
 * pixels, each uniform in [-shift, shift], the uncovered pixels zero.
 *
 * The targets follow: a box field's x0, y0, x1, y1 are flipped and shifted
 * with the pixels (clamped to [0, 1]), a field that is the grid cell of a
 * box's centre (Shapes' `position`) is computed again from the moved box.
 * Other targets are left alone.  Nothing is allocated.
 */
#pragma once

#include <glib.h>
#include "mh-dataset.h"
#include "mh-project.h"

G_BEGIN_DECLS

/* A batch's targets of one field, as mh_field_fill_targets() filled them. */
typedef struct {
  int    field;     /* its index in d->fields */
  int   *classes;   /* CLASS: n entries; else NULL */
  float *values;    /* LABELS, NUMBERS: n × dim; else NULL */
} MhAugmentTarget;

/* Whether mh_augment_batch() would change anything on batches of d. */
gboolean mh_augment_active (const MhAugmentSpec *spec, const MhDataset *d);

/* x: the batch's inputs, n × H·W·C (d->shape), channels-last, as
 * mh_dataset_fill_inputs() filled them from samples idx[0..n) of d;
 * targets: any number of target buffers of that batch.  Call it once per
 * batch, just after filling it (grid cells are computed from the samples'
 * own boxes). */
void     mh_augment_batch (const MhAugmentSpec *spec, const MhDataset *d, const int *idx, int n,
                           float *x, const MhAugmentTarget *targets, int n_targets, GRand *rng);

G_END_DECLS
