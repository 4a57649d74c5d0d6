/* mh-trainer-requests.h — what the window asks of the model, answered on
 * the trainer's worker (the model is the worker's: docs/ARCHITECTURE.md,
 * "Threads") between batches, or at once when it is idle.
 *
 * `model` says which model answers (mh-trainer.h): NULL, the run's; else a
 * recorded run's checkpoint of an epoch, loaded on the worker and kept for
 * the next request of that checkpoint.  reply(result, error, data) comes on
 * the trainer's context with a result the reply owns (free it with the
 * result's _free or unref), or NULL and the reason; then destroy(data).
 */
#pragma once

#include "mh-model-probe.h"
#include "mh-trainer.h"

G_BEGIN_DECLS

/* Every head's answer for n inputs (x: n × the model's input size floats,
 * len of them; taken), and the attention maps of input attention_sample
 * (≥ 0).  Result: MhProbeResult. */
void mh_trainer_predict      (MhTrainer *self, const MhTrainerModel *model, float *x, gsize len, int n,
                              int attention_sample, MhTrainerReply reply, gpointer data, GDestroyNotify destroy);
/* What each head looks at in one input (x: the model's input size floats,
 * len of them; taken), by `method` (mh-attribution.h).  Result:
 * MhProbeAttribution. */
void mh_trainer_attribute    (MhTrainer *self, const MhTrainerModel *model, float *x, gsize len,
                              MhAttributionMethod method, MhTrainerReply reply, gpointer data,
                              GDestroyNotify destroy);
/* Every classification head's answers on the test split of the model's
 * data.  Result: MhProbeAnswers. */
void mh_trainer_answers      (MhTrainer *self, const MhTrainerModel *model, MhTrainerReply reply, gpointer data,
                              GDestroyNotify destroy);
/* The test split of project p's data set, loaded on the worker (and kept
 * for training it): the window shows it without loading it again.
 * Result: an MhDataset reference (mh_dataset_free drops it). */
void mh_trainer_test_set     (MhTrainer *self, const MhProject *p, MhTrainerReply reply, gpointer data,
                              GDestroyNotify destroy);
/* Weights into the run's model: all or nothing (mh_model_load_weights).
 * Result: NULL; an error says why not. */
void mh_trainer_load_weights (MhTrainer *self, const char *path, MhTrainerReply reply, gpointer data,
                              GDestroyNotify destroy);
/* The model's weights to a file (atomically: mh-save.h). */
void mh_trainer_save_weights (MhTrainer *self, const MhTrainerModel *model, const char *path, MhTrainerReply reply,
                              gpointer data, GDestroyNotify destroy);
/* The model as PyTorch code with its weights in folder `dir`
 * (mh-export-torch.h: what `export-torch` writes). */
void mh_trainer_export_torch (MhTrainer *self, const MhTrainerModel *model, const char *dir, MhTrainerReply reply,
                              gpointer data, GDestroyNotify destroy);

G_END_DECLS
