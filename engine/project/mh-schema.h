/* mh-schema.h — what an editor needs without loading any data: a data
 * set's schema (its input shape and label fields, with no samples) and
 * deep copies of a project spec.
 *
 * A schema is an MhDataset with n = 0: mh_model_new() builds a model from it,
 * so an editor infers every layer's shape with the engine's own rules and
 * reports the engine's own messages.
 */
#pragma once

#include <glib.h>
#include "mh-dataset.h"
#include "mh-project.h"

G_BEGIN_DECLS

/* The schema of a project's data set (dataset.kind), or NULL with an error
 * naming "dataset.kind". */
MhDataset *mh_schema_new (const MhDataSpec *data, GError **error);
/* The same with `dir` (NULL: none) in place of the project's path, as
 * mh_splits_load() takes it (for german-nouns the vocabulary is the data's). */
MhDataset *mh_schema_new_at (const MhDataSpec *data, const char *dir, GError **error);

/* Whether the data set's files are where the project says; if not, `hint`
 * (may be NULL) receives what to install or set, in one sentence. */
gboolean   mh_schema_data_available (const MhDataSpec *data, char **hint);

/* A deep copy (layout included). */
MhProject *mh_project_copy (const MhProject *p);
/* A head spec with the defaults of the project reader; `layers` is taken. */
void       mh_head_spec_init (MhHeadSpec *head, const char *name, const char *kind, GArray *layers);
void       mh_head_spec_copy (const MhHeadSpec *src, MhHeadSpec *dst);
/* An empty block of layers (MhLayerSpec, cleared when removed). */
GArray    *mh_layer_block_new (void);
GArray    *mh_layer_block_copy (GArray *layers);


G_END_DECLS
