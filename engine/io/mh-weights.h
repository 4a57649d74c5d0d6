/* mh-weights.h — a model's parameters to and from safetensors files.
 *
 * Tensor names are the model's parameter names (backbone.conv1.weight,
 * heads.category.fc.bias); layouts are PyTorch's (dense: out × in,
 * conv2d: F × C × k × k), so other tools read them as they are.
 */
#pragma once

#include "mh-model.h"
#include "mh-safetensors.h"

G_BEGIN_DECLS

#define MH_WEIGHTS_FORMAT 1

gboolean mh_model_save_weights (const MhModel *m, const char *path, const char *project_name,
                                GError **error);
/* All or nothing: every parameter must be there with its shape and finite
 * values, or nothing is changed. */
gboolean mh_model_load_weights (MhModel *m, const char *path, GError **error);

/* The pieces, for checkpoints (mh-checkpoint.h): the parameters as file
 * tensors; the metadata every weights file carries (format, producer,
 * project); checking tensors against the model (presence, shape,
 * finiteness; extra tensors are ignored) and setting them. */
GPtrArray     *mh_model_weight_tensors (const MhModel *m);
GHashTable    *mh_weights_metadata (const char *project_name);
/* What the model's inputs need to be read as it was trained: for text, its
 * "vocabulary" (the characters of tokens 2, 3, …). */
void           mh_weights_metadata_add_model (GHashTable *meta, const MhModel *m);
/* FALSE, naming `path`, when the metadata's vocabulary is not the model's. */
gboolean       mh_model_check_metadata (const MhModel *m, GHashTable *meta, const char *path, GError **error);
gboolean       mh_model_check_tensors (const MhModel *m, GPtrArray *tensors, const char *path,
                                       GError **error);
void           mh_model_set_tensors (MhModel *m, GPtrArray *tensors);
MhTensorEntry *mh_tensor_find (GPtrArray *tensors, const char *name);

/* Transfer learning: the parameters of the first `layers` backbone layers
 * (0: the whole backbone) from another project's weights, matched by name
 * and shape.  All or nothing: every tensor missing or of another shape is
 * named, with both shapes, in one error.  *loaded: how many tensors. */
gboolean mh_model_load_backbone (MhModel *m, const char *path, int layers, int *loaded,
                                 GError **error);

G_END_DECLS
