/* mh-project.h — the project spec, the single source of truth (docs/ARCHITECTURE.md, "Data flow"),
 * read from and written to `.mhproj` JSON (docs/file-formats.md).
 *
 * Unknown keys are errors naming their JSON path; optional keys take the
 * defaults documented in docs/file-formats.md ("Project files").
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "mh-layer.h"

G_BEGIN_DECLS

#define MH_PROJECT_FORMAT 1

/* Random changes to every training sample (mh-augment.h). */
typedef struct {
  int      shift;      /* up to ± shift pixels across and down, zero fill; 0: none */
  gboolean flip;       /* a horizontal flip, half of the time */
} MhAugmentSpec;

/* The keys each kind takes are in mh-project-data.c (and docs/file-formats.md). */
typedef struct {
  char         *kind;          /* "fashion-mnist", "multi-fashion", "shapes", "image-folder",
                                * "german-nouns", "sensors", "sensor-csv" */
  char         *path;          /* NULL: the default place for that kind */
  int           validation;    /* training samples held out for validation */
  guint32       seed;          /* multi-fashion's pairs, shapes' drawings, image-folder's test split */
  int           size;          /* shapes: the images' side */
  int           length;        /* german-nouns: characters a word; sensor-csv: steps a window */
  int           train, test;   /* shapes: samples per split (train includes validation) */
  int           width, height; /* image-folder: the images are resized to this */
  int           channels;      /* image-folder: 1 (grey) or 3 (RGB) */
  double        test_fraction; /* image-folder: share of the images for the test split */
  MhAugmentSpec augment;
} MhDataSpec;

typedef struct {
  char    *name;
  char    *kind;       /* "classification", "multilabel", "regression" */
  char    *input;      /* backbone tap (a layer name); NULL: the backbone's output */
  char    *target;     /* the dataset field it predicts */
  char    *loss;       /* "cross-entropy", "bce", "mse", "smooth-l1"; NULL: the kind's */
  double   weight;
  double   threshold;  /* multilabel: a label is predicted when its probability ≥ this */
  gboolean frozen;
  GArray  *layers;     /* MhLayerSpec */
} MhHeadSpec;

typedef struct {
  char  *kind;         /* "sgd", "adam", "adamw" */
  double lr;
  double momentum;     /* sgd */
  double beta1, beta2, eps;
  double weight_decay; /* decoupled (AdamW); L2 for sgd */
  double clip_norm;    /* 0: no clipping */
} MhOptimSpec;

typedef struct {
  char  *kind;         /* "constant", "cosine" */
  int    warmup_steps;
  double min_lr;       /* cosine: the final learning rate */
} MhScheduleSpec;

typedef struct {
  int            format;
  char          *name;
  MhDataSpec     data;
  char          *backbone_kind;   /* "mlp", "cnn", "vit": for people and the canvas */
  GArray        *backbone;        /* MhLayerSpec */
  gboolean       backbone_frozen;
  GArray        *heads;           /* MhHeadSpec */
  MhOptimSpec    optim;
  MhScheduleSpec schedule;
  int            batch;
  int            epochs;
  guint32        seed;
  char          *balancing;       /* "fixed", "equal", "uncertainty", "gradnorm", "pcgrad" */
  double         balancing_alpha; /* GradNorm's asymmetry α */
  double         balancing_lr;    /* learning rate of the learned weights (uncertainty, GradNorm) */
  char          *weights;         /* the project's weights file, relative to the project
                                   * file's folder; NULL: none named */
  char          *transfer_weights;/* transfer learning: weights of another project to start
                                   * from (relative as above); NULL: none */
  int            transfer_layers; /* the first k backbone layers loaded from them; 0: all */
  JsonNode      *layout;          /* canvas positions, kept as they are */
} MhProject;

MhProject *mh_project_new_default (void);   /* empty backbone, no heads, defaults */
void       mh_project_free (MhProject *p);

/* Parse; `where` names the source in messages (a file name). */
MhProject *mh_project_load_data (const char *data, gssize len, const char *where, GError **error);
MhProject *mh_project_load (const char *path, GError **error);
/* A draft, as the window saves it: it must parse (or NULL and `error`), but
 * values that do not validate (batch 0, a head with no target…) are kept
 * and *problem says the first (free it; NULL when there is none). */
MhProject *mh_project_load_draft (const char *data, gssize len, const char *where, char **problem,
                                  GError **error);

/* Serialise; the output parses back to an identical project. */
char      *mh_project_to_data (const MhProject *p, gsize *len);
/* Whether two projects write the same file. */
gboolean   mh_project_equal (const MhProject *a, const MhProject *b);
/* Any JSON as the project writer writes it: numbers that read back exactly
 * (json-glib's generator writes 1e-08 as "1e-08.0", which is not JSON), short
 * containers on one line.  Used for the other JSON files the program keeps
 * (a run's record). */
char      *mh_json_write (JsonNode *node, gsize *len);
/* The same on one line, no newline (the command line's --json). */
char      *mh_json_write_line (JsonNode *node);
/* Atomic: written to a temporary file, then renamed over `path`. */
gboolean   mh_project_save (const MhProject *p, const char *path, GError **error);

/* The kind of data set d is, with the defaults of every key for that kind
 * (as a file naming only the kind reads); the path is kept. */
void       mh_data_spec_set_kind (MhDataSpec *d, const char *kind);
/* Whether this version knows the data set kind ("fashion-mnist", …). */
gboolean   mh_data_kind_known (const char *kind);
/* The identity of a data set's samples: two specs with the same key load
 * the same samples (its section of the project file; augmentation, which
 * changes no sample, left out).  Free with g_free(). */
char      *mh_data_spec_key (const MhDataSpec *d);

/* Checks values that parse but make no sense (batch 0, lr NaN, …); the
 * error is about a JSON path (mh_error_get_path(), mh-problem.h). */
gboolean   mh_project_validate (const MhProject *p, const char *where, GError **error);
/* The same for one part alone: the project's own settings (format, name,
 * how many heads, optimiser, schedule, training, balancing, transfer), the
 * data set, the backbone, head `index`. */
gboolean   mh_project_validate_settings (const MhProject *p, const char *where, GError **error);
gboolean   mh_project_validate_dataset  (const MhProject *p, const char *where, GError **error);
gboolean   mh_project_validate_backbone (const MhProject *p, const char *where, GError **error);
gboolean   mh_project_validate_head     (const MhProject *p, guint index, const char *where, GError **error);

const MhHeadSpec *mh_project_find_head (const MhProject *p, const char *name);
void       mh_head_spec_clear (MhHeadSpec *head);

/* The resolved name of layer `i` of a block (the backbone's or a head's
 * layers): its "name", else its type followed by the 1-based count of that
 * type among layers 0..i of the block ("dense1", "relu2").  Free with g_free(). */
char      *mh_block_layer_name (GArray *layers, guint i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhProject, mh_project_free)

G_END_DECLS
