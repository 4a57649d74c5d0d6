/* mh-layer-conv.h — what the convolution files share (and the patch
 * embedding uses): the im2col pair, and the direct path for tiny patches. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void mh_im2col (const float *x, int h, int w, int c, int k, int stride, int pad,
                int ho, int wo, float *col);
void mh_col2im_add (const float *col, int h, int w, int c, int k, int stride, int pad,
                    int ho, int wo, float *dx);

/* Patches of at most this many values (k·k·C) take the direct path. */
#define MH_CONV_DIRECT_MAX 32

typedef struct _MhLayer MhLayer;
gboolean mh_conv_direct_fits (const MhLayer *l);
void     mh_conv_direct_forward (MhLayer *l, int n);
void     mh_conv_direct_backward (MhLayer *l, int n, gboolean accumulate);

G_END_DECLS
