/* mh-saliency.h — which parts of an input a head's answer rests on, for
 * backbones without attention maps (recurrent, convolutional): gradient ×
 * input of one of the head's outputs.
 *
 * For text the input is the embedding's output: a character's saliency is
 * Σ_d ∂z/∂e_d · e_d over its vector e (0 for padding); for other inputs it
 * is ∂z/∂x · x for every input value (a sensor window: per time step and
 * channel).  Positive: the value pushes the output up.
 */
#pragma once

#include <glib.h>
#include "mh-model.h"

G_BEGIN_DECLS

/* Keeps the gradient at the model's input (for mh_saliency() on inputs that
 * are not text); costs one more product a backward pass.  Call once. */
void     mh_model_keep_input_grad (MhModel *m);

/* The values it writes: the tokens for text, the input's size otherwise. */
gsize    mh_saliency_size (const MhModel *m);
/* For sample 0 of the last forward pass (n = 1), the saliency of head
 * `head`'s output `output` (< 0: its largest, the answer of a classifier)
 * into out.  Runs backward: the parameters' gradients are overwritten.
 * FALSE with an error when the gradient does not reach the input (a frozen
 * embedding, say, or no mh_model_keep_input_grad()). */
gboolean mh_saliency (MhModel *m, int head, int output, float *out, GError **error);

G_END_DECLS
