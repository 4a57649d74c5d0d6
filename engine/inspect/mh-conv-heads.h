/* mh-conv-heads.h — the heads of a multi-head convolution: a conv1d with
 * groups is that many independent 1-D convolutions side by side, each over
 * its own channels (the sensors' accelerometer and gyroscope, or one
 * channel each), their outputs the column blocks of the layer's output.
 * These read one head's output for a sample of the last forward pass (on
 * the thread that owns the model, as mh-attention-maps.h).
 */
#pragma once

#include <glib.h>
#include "mh-layer.h"

G_BEGIN_DECLS

/* The heads (groups) of a conv1d layer; 0 for any other layer. */
int      mh_conv_heads (const MhLayer *l);
/* The input channels head `head` reads: [*first, *first + *count). */
void     mh_conv_head_channels (const MhLayer *l, int head, int *first, int *count);
/* Head `head`'s output for sample `sample`: To × F/G values into out (step by step). */
void     mh_conv_head_output (const MhLayer *l, int sample, int head, float *out);

G_END_DECLS
