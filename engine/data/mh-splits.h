/* mh-splits.h — the data sets a project can name (dataset.kind), each as
 * train, validation and test splits.
 *
 *   fashion-mnist   Fashion-MNIST (mh-dataset-fashion.c): category, group, upper.
 *   multi-fashion   two Fashion-MNIST items overlapped, the MultiMNIST
 *                   construction of Sener & Koltun 2018 (mh-dataset-multi-fashion.c):
 *                   left, right.
 *   shapes          procedurally drawn RGB images (mh-dataset-shapes.c): shape, colour,
 *                   size, position, attributes, box.  Needs nothing installed.
 *   image-folder    a folder of images and labels.csv (mh-dataset-image-folder.c):
 *                   the fields are the CSV's columns.
 *   german-nouns    the nouns of Debian's dict-freedict-deu-eng as characters
 *                   (mh-dataset-german-nouns.c): gender, syllables, stress.
 *   sensors         generated windows of a phone's accelerometer and gyroscope
 *                   (mh-dataset-sensors.c): activity, cadence, faulty.  Needs
 *                   nothing installed.
 *   sensor-csv      the user's own recordings, a CSV of windows or of steps cut
 *                   into windows (mh-dataset-sensor-csv.c): the CSV's columns.
 *
 * Every loader is deterministic: the same spec and seed give the same bytes.
 * A schema is the data set's MhDataset with no samples (mh-schema.h).
 */
#pragma once

#include <glib.h>
#include "mh-dataset.h"
#include "mh-project.h"

G_BEGIN_DECLS

/* The splits of the dataset a project names.  dir: a directory that
 * overrides the project's path (NULL: the project's).  Items that could
 * not be read (image folder) are listed in the result's `skipped`. */
MhSplits  *mh_splits_load (const MhDataSpec *spec, const char *dir, const char *where,
                           GError **error);

/* Shapes: n_train training images (the last `validation` of them form the
 * validation split) and n_test test images of size × size × 3. */
MhSplits  *mh_shapes_load (int size, int n_train, int n_test, int validation, guint32 seed,
                           GError **error);
MhDataset *mh_shapes_schema (int size);

/* Multi-Fashion from the Fashion-MNIST files in `dir` (NULL: as
 * mh_fashion_mnist_load()): one pair per source image, 60,000 training and
 * 10,000 test pairs; the validation pairs are drawn from the last
 * `validation` training images only, so no item is in two splits. */
MhSplits  *mh_multi_fashion_load (const char *dir, int validation, guint32 seed, GError **error);
MhDataset *mh_multi_fashion_schema (void);

/* An image folder: `dir` (NULL: spec->path) with labels.csv, images
 * resized to spec->width × spec->height × spec->channels; spec->test_fraction
 * of them (chosen by spec->seed) form the test split, the last
 * spec->validation of the others the validation split.  Missing or
 * unreadable images are left out and listed in `skipped`. */
MhSplits  *mh_image_folder_load (const char *dir, const MhDataSpec *spec, GError **error);
/* Its fields, from labels.csv alone. */
MhDataset *mh_image_folder_schema (const char *dir, const MhDataSpec *spec, GError **error);

/* German Nouns from spec->path (NULL: mh_german_nouns_default_path()):
 * spec->length characters a word, spec->test_fraction of the words (by a
 * hash of each) for testing, spec->validation of the others validating.
 * The schema needs the dictionary too: its vocabulary is the data's. */
MhSplits  *mh_german_nouns_load (const MhDataSpec *spec, GError **error);
MhDataset *mh_german_nouns_schema (const MhDataSpec *spec, GError **error);
/* $MH_GERMAN_NOUNS_DICT, else Debian's /usr/share/dictd/freedict-deu-eng.dict.dz. */
const char *mh_german_nouns_default_path (void);

/* Sensors: spec->train training windows (the last spec->validation of them
 * validating) and spec->test test windows, drawn from spec->seed. */
MhSplits  *mh_sensors_load (const MhDataSpec *spec, GError **error);
MhDataset *mh_sensors_schema (void);

/* A sensor CSV (mh-dataset-sensor-csv.c): `dir` (NULL: spec->path) is the
 * file; spec->length steps a window, split as an image folder.  Windows
 * left out (a recording's short end, labels changing) are listed in
 * `skipped`. */
MhSplits  *mh_sensor_csv_load (const char *dir, const MhDataSpec *spec, GError **error);
MhDataset *mh_sensor_csv_schema (const char *dir, const MhDataSpec *spec, GError **error);
/* The windows of a recording CSV without its labels (for predict): their
 * signals and channel names, which must be `channels` when it is not NULL;
 * left-out stretches listed in skipped (may be NULL). */
MhDataset *mh_sensor_csv_read (const char *path, int length, const char *const *channels,
                               GPtrArray *skipped, GError **error);

G_END_DECLS
