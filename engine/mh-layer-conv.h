/* mh-layer-conv.h — the im2col pair, shared with the patch embedding. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void mh_im2col (const float *x, int h, int w, int c, int k, int stride, int pad,
                int ho, int wo, float *col);
void mh_col2im_add (const float *col, int h, int w, int c, int k, int stride, int pad,
                    int ho, int wo, float *dx);

G_END_DECLS
