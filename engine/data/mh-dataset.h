/* mh-dataset.h — samples with named label fields, split into train,
 * validation and test.
 *
 * A field is one thing to predict about every sample: a class (one of k), a
 * label set (any of k, stored 0/1) or numbers (k floats, e.g. a box).
 * A sample's input is one of:
 *   pixels   an image, bytes (n × H × W × C, channels-last), x/255 in a batch;
 *   tokens   a text as T token ids (mh-vocab.h: 0 padding, 1 unknown),
 *            right-aligned; the batch holds the ids as floats;
 *   signals  a multichannel time series, T steps × C channels of floats
 *            (a sensor window), as they are.
 */
#pragma once

#include <glib.h>
#include "mh-tensor-shape.h"
#include "mh-vocab.h"

G_BEGIN_DECLS

typedef enum {
  MH_INPUT_PIXELS,
  MH_INPUT_TOKENS,
  MH_INPUT_SIGNALS,
} MhInputKind;

typedef enum {
  MH_FIELD_CLASS,
  MH_FIELD_LABELS,
  MH_FIELD_NUMBERS,
} MhFieldKind;

typedef struct {
  char        *name;
  MhFieldKind  kind;
  int          dim;      /* classes, labels or numbers */
  char       **names;    /* dim class/label names (NULL-terminated); NULL for numbers */
  int         *classes;  /* CLASS: n class indices */
  float       *values;   /* LABELS, NUMBERS: n × dim */
  /* How the field follows a flip or shift of the image (mh-augment.h): */
  gboolean     box;      /* NUMBERS, dim 4: x0, y0, x1, y1 in [0, 1], fractions of the
                          * width and height at pixel edges (x1 = (last column + 1) / W) */
  int          cell_of;  /* CLASS, when cell_cols > 0: the cell of a cell_cols × cell_rows
                          * grid (row-major) holding the centre of box field cell_of */
  int          cell_cols, cell_rows;
} MhField;

typedef struct {
  char    *name;         /* "train", "validation", "test" */
  int      n;
  MhInputKind input;
  MhShape  shape;        /* pixels (H, W, C); tokens (T); signals (T, C) */
  guint8  *pixels;       /* n × H × W × C; NULL for other inputs */
  guint32 *tokens;       /* n × T token ids; NULL for other inputs */
  float   *signals;      /* n × T × C; NULL for other inputs */
  MhVocab *vocab;        /* tokens: the characters of the ids */
  char   **texts;        /* tokens: each sample's text (n, NULL-terminated) */
  char   **channels;     /* signals: the C channels' names (NULL-terminated) */
  double   rate;         /* signals: steps per second (0: not known) */
  MhField *fields;
  int      n_fields;
  gboolean no_flip;      /* a horizontal flip changes the labels' meaning (left/right) */
  gint     extra_refs;   /* references besides its owner's (mh_dataset_ref()): a loaded data set is
                          * read-only, so threads may share it */
} MhDataset;

typedef struct {
  MhDataset *train;
  MhDataset *validation; /* may hold 0 samples */
  MhDataset *test;
  GPtrArray *skipped;    /* the items left out (image folder), summarised: one line per
                          * reason naming the first few rows (mh-row-report.h); may be NULL */
} MhSplits;

/* Drops a reference: the last one frees it. */
void mh_dataset_free (MhDataset *d);
MhDataset *mh_dataset_ref (MhDataset *d);
void mh_splits_free (MhSplits *s);

/* A dataset of n samples of `shape` with zeroed pixels and n_fields fields
 * to be set up with mh_field_init(). */
MhDataset *mh_dataset_new (const char *name, int n, MhShape shape, int n_fields);
/* The same for any kind of input: tokens (shape (T); vocab is referenced,
 * texts start NULL) or signals (shape (T, C); channels copied). */
MhDataset *mh_dataset_new_input (const char *name, int n, MhInputKind input, MhShape shape,
                                 MhVocab *vocab, const char *const *channels, int n_fields);
/* Names, kind and zeroed targets for n samples; names (NULL for NUMBERS) is
 * copied and gives dim for CLASS and LABELS. */
void       mh_field_init (MhField *f, const char *name, MhFieldKind kind, int dim,
                          const char *const *names, int n);
/* A dataset with the shape, fields and flags of d (a schema, say) and room
 * for n samples, zeroed. */
MhDataset *mh_dataset_new_like (const MhDataset *d, const char *name, int n);
/* A copy of samples idx[0..n) of d (fields, flags and all), called `name`. */
MhDataset *mh_dataset_subset (const MhDataset *d, const char *name, const int *idx, int n);
/* The row-major cell of a cols × rows grid holding the centre of `box`. */
int        mh_box_cell (const float box[4], int cols, int rows);

/* Whether n samples of schema's shape and fields (pixels and targets, in
 * `copies` copies: a loader that reads all then splits holds two) fit the
 * memory budget (mh-limits.h); the error says "WHAT needs …" with n and
 * the shape.  Loaders call it before they allocate. */
gboolean   mh_dataset_check_memory (const MhDataset *schema, guint64 n, guint copies,
                                    const char *what, GError **error);

/* The index of the field called `name`, or -1. */
int  mh_dataset_find_field (const MhDataset *d, const char *name);
/* All field names, comma-separated, for messages; free with g_free(). */
char *mh_dataset_field_names (const MhDataset *d);

/* Fill x (n × the input's size) with samples idx[0..n): pixels/255, token
 * ids, or signals as they are. */
void mh_dataset_fill_inputs (const MhDataset *d, const int *idx, int n, float *x);
/* Fill a field's targets of samples idx[0..n): CLASS into classes[n],
 * LABELS and NUMBERS into values[n × dim]. */
void mh_field_fill_targets (const MhField *f, const int *idx, int n, int *classes, float *values);

/* Fisher–Yates shuffle of idx[0..n) with the given generator. */
void mh_shuffle (int *idx, int n, GRand *rng);

/* Read an IDX file (gzip-compressed or plain): returns the bytes of its data,
 * its rank and dimensions.  Only unsigned-byte data (type 0x08) is accepted. */
guint8 *mh_idx_read (const char *path, int *rank, int dims[4], GError **error);

/* Fashion-MNIST from `dir` (train-images-idx3-ubyte.gz, …): fields
 * `category` (10 classes), `group` (clothing, trousers, footwear, bag) and
 * `upper` (no, yes: the item is clothing).  The last `validation` training
 * images form the validation split.  dir NULL: $MH_FASHION_MNIST_DIR, else the
 * directory of Debian's dataset-fashion-mnist. */
MhSplits *mh_fashion_mnist_load (const char *dir, int validation, GError **error);
const char *mh_fashion_mnist_default_dir (void);
/* The 10 category names, NULL-terminated. */
const char *const *mh_fashion_mnist_category_names (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhDataset, mh_dataset_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhSplits, mh_splits_free)

G_END_DECLS
