/* mh-model-private.h — building a model's parts, shared by mh-model.c
 * and mh-model-check.c. */
#pragma once

#include "mh-model.h"

G_BEGIN_DECLS

/* Layer i of `block` on input `in`: its dense units from units_if_auto
 * when it names none (a head's last layer), an embedding's vocabulary from
 * the schema (first: it is the backbone's first layer); NULL with an
 * error about `path`. */
MhLayer  *_mh_model_build_layer (const MhLayerSpec *spec, GArray *block, guint i, const MhShape *in,
                                 gboolean block_frozen, int units_if_auto, const MhDataset *schema,
                                 gboolean first, const char *where, const char *path, GError **error);
/* Head `index` of the project into m->heads[index], on m's input and
 * backbone layers (all built). */
gboolean  _mh_model_build_head  (MhModel *m, const MhProject *p, int index, const MhDataset *schema,
                                 const char *where, GError **error);

G_END_DECLS
