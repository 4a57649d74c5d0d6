/* mh-export-torch.h — a model as PyTorch code.
 *
 * Writes into a folder:
 *   model.py      Model, a torch.nn.Module of the same architecture: the
 *                 backbone's layers in an nn.ModuleDict, the heads in an
 *                 nn.ModuleDict (each an nn.ModuleDict of its layers), so
 *                 that the state dict's keys are the weights file's tensor
 *                 names; load_model(path) reads a weights file (or a
 *                 checkpoint) with a small safetensors reader (numpy and
 *                 torch only) and returns the model in eval mode;
 *                 save_weights(model, path) writes one the engine reads.
 *                 forward(x): x is N × C × H × W float, pixels/255 like the
 *                 engine's; returns {head: raw outputs (logits)}.
 *                 Activations run channels-last (N × H × W × C) inside, like
 *                 the engine's, so flatten and dense weights agree; tokens are
 *                 the patches in row-major order.
 *   train_ddp.py  training with torchrun and DistributedDataParallel (gloo on
 *                 the CPU, NCCL on GPUs) on the project's Fashion-MNIST data,
 *                 with the project's heads, losses, weights and optimiser.
 */
#pragma once

#include <glib.h>
#include "mh-model.h"

G_BEGIN_DECLS

/* data_dir: where train_ddp.py looks for the dataset by default (may be NULL). */
gboolean mh_export_torch (const MhModel *m, const MhProject *p, const MhDataset *schema,
                          const char *data_dir, const char *dir, GError **error);

G_END_DECLS
