/* mh-model-private.h — building a model in parts, for mh-model-check.c. */
#pragma once

#include "mh-model.h"

G_BEGIN_DECLS

/* The backbone's layers from `input` on, into `layers` (MhLayer, owned by
 * the array) as far as they build; FALSE with the first failure's error
 * (about backbone.layers[i]). */
gboolean _mh_model_build_backbone   (const MhProject *p, const MhShape *input, GPtrArray *layers,
                                     const char *where, GError **error);
/* Head `index` alone on those (all) backbone layers: its output size and
 * parameter count, or the error a whole model's build gives for it. */
gboolean _mh_model_build_head_alone (const MhProject *p, const MhDataset *schema, GPtrArray *backbone,
                                     int index, int *out_dim, gsize *n_params, const char *where,
                                     GError **error);

G_END_DECLS
