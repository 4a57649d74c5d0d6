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

/* "7×7×64", "128", "50×64 tokens"; free with g_free(). */
char       *mh_analysis_describe_shape (const MhShape *shape);
/* "conv 3×3 · 32", "dense 128", "max-pool 2", "ReLU"; free with g_free(). */
char       *mh_analysis_describe_layer (const MhLayerSpec *spec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhAnalysis, mh_analysis_free)

G_END_DECLS
