/* mh-analysis.h — what the canvas and the inspector show about a project:
 * the shapes travelling between blocks and each block's problem, as the
 * engine's check finds them (mh-model-check.h: problems as records, shape
 * inference), put the way the views ask for them.
 *
 * Plain C: no widgets.  Recomputed after every edit of the spec.
 */
#pragma once

#include "mh-dataset.h"
#include "mh-model-check.h"
#include "mh-project.h"

G_BEGIN_DECLS

typedef struct {
  const char *problem;      /* NULL: fine */
  gboolean    connected;    /* reads a backbone that exists */
  MhShape     in;           /* what it reads; rank 0 if unknown */
  int         out_dim;      /* outputs (its target's classes); 0 if unknown */
  gsize       params;
} MhHeadReport;

/* The strings and arrays belong to `check`. */
typedef struct {
  MhModelCheck *check;            /* what the engine found */
  MhDataset    *schema;           /* NULL: no data source, or an unknown kind */
  const char   *data_problem;
  const char   *data_missing;     /* the data set is not installed: what to do */
  const char   *backbone_problem;
  GArray       *shapes;           /* MhShape: each backbone layer's output, as far as known */
  gsize         backbone_params;
  MhHeadReport *heads;
  guint         n_heads;
  const char   *project_problem;  /* optimiser, schedule, training, balancing, name */
  const char   *first_problem;    /* the whole project's first problem, as the CLI says it */
  gsize         params;           /* the whole model's, when it builds */
} MhAnalysis;

MhAnalysis *mh_analysis_new (const MhProject *project);
void        mh_analysis_free (MhAnalysis *a);

/* A shape in the window's one notation (the engine's messages' too):
 * images and feature maps height×width×channels ("7×7×64"), vectors "128",
 * token sequences "24 tokens × 64", signals channels × time steps
 * ("6 ch × 128": a sequence that comes from signals, `input`).  Free with
 * g_free(). */
char       *mh_analysis_describe_shape_of (const MhShape *shape, MhInputKind input);
/* A shape of the project's model: by its data source's input. */
char       *mh_analysis_shape_text (const MhAnalysis *a, const MhShape *shape);
/* The data source's samples: "28×28×1", "24 tokens", "6 ch × 128". */
char       *mh_analysis_describe_input (const MhDataset *schema);
/* For each of the channels of backbone layer `layer`'s output (NULL when
 * it is not a multi-head convolution, conv1d with groups > 1): a label per
 * head naming the data's channels it reads ("acc_x", "acc_x–acc_z",
 * "dims 0–15"), NULL-terminated.  Free with g_strfreev(). */
char      **mh_analysis_conv_lanes (const MhAnalysis *a, const MhProject *p, guint layer);
/* "conv 3×3 · 32", "dense 128", "max-pool 2", "ReLU"; free with g_free(). */
char       *mh_analysis_describe_layer (const MhLayerSpec *spec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhAnalysis, mh_analysis_free)

G_END_DECLS
