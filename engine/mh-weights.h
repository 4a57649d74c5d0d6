/* mh-weights.h — a model's parameters to and from safetensors files.
 *
 * Tensor names are the model's parameter names (backbone.conv1.weight,
 * heads.category.fc.bias); layouts are PyTorch's (dense: out × in,
 * conv2d: F × C × k × k), so other tools read them as they are.
 */
#pragma once

#include "mh-model.h"

G_BEGIN_DECLS

gboolean mh_model_save_weights (const MhModel *m, const char *path, const char *project_name,
                                GError **error);
/* All or nothing: every parameter must be there with its shape and finite
 * values, or nothing is changed. */
gboolean mh_model_load_weights (MhModel *m, const char *path, GError **error);

G_END_DECLS
