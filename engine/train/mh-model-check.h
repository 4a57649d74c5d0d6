/* mh-model-check.h — a project checked against its data set's schema
 * without loading any data: every part's problems as records (the data
 * set, the backbone, each head, the settings; mh-problem.h), the whole
 * project's first problem as the command line says it, and the shapes:
 * each backbone layer's output as far as they can be inferred, what each
 * head reads and gives, and the parameters.  The engine's own rules and
 * messages (mh_project_validate, the layers' shape inference, the model's
 * build), for editors: the canvas and the inspector show it. */
#pragma once

#include <glib.h>
#include "mh-dataset.h"
#include "mh-problem.h"
#include "mh-project.h"

G_BEGIN_DECLS

typedef struct {
  gboolean connected;   /* reads a backbone layer that exists */
  gboolean in_known;    /* `in` holds what it reads */
  MhShape  in;
  int      out_dim;     /* outputs (its target's size); 0 if unknown */
  gsize    params;
} MhHeadCheck;

typedef struct {
  MhDataset   *schema;           /* NULL: no data source, or an unknown kind */
  char        *data_missing;     /* the data set's files are not there: what to do; else NULL */
  GPtrArray   *problems;         /* MhProblem: the first problem of each part that has one */
  MhProblem   *first;            /* the whole project's first problem (what `train` would say), or NULL;
                                  * also among `problems` unless its part had another first */
  GArray      *shapes;           /* MhShape: each backbone layer's output, as far as known */
  gsize        backbone_params;
  MhHeadCheck *heads;            /* one per head */
  guint        n_heads;
  gsize        params;           /* the whole model's, when it builds; else 0 */
} MhModelCheck;

MhModelCheck    *mh_model_check_new        (const MhProject *project);
void             mh_model_check_free       (MhModelCheck *check);
/* The first problem of a part (index: the head; ignored for the others), or NULL. */
const MhProblem *mh_model_check_problem    (const MhModelCheck *check, MhProjectPart part, int index);
/* The shape the backbone gives at `input` (a layer name; NULL: its
 * output); FALSE when it is not known. */
gboolean         mh_model_check_tap_shape  (const MhModelCheck *check, const MhProject *project,
                                            const char *input, MhShape *shape);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhModelCheck, mh_model_check_free)

G_END_DECLS
