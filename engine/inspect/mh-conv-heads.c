/* mh-conv-heads.c — a multi-head convolution's heads (mh-conv-heads.h). */
#include <string.h>
#include "mh-conv-heads.h"

int
mh_conv_heads (const MhLayer *l)
{
  return l->klass == &mh_conv1d_class ? MAX (l->spec.groups, 1) : 0;
}

void
mh_conv_head_channels (const MhLayer *l, int head, int *first, int *count)
{
  int groups = mh_conv_heads (l);

  g_return_if_fail (head >= 0 && head < groups);
  *count = l->in.dim[1] / groups;
  *first = head * *count;
}

void
mh_conv_head_output (const MhLayer *l, int sample, int head, float *out)
{
  int groups = mh_conv_heads (l), to = l->out.dim[0], f = l->out.dim[1], fg;

  g_return_if_fail (head >= 0 && head < groups && l->y != NULL);
  fg = f / groups;
  for (int o = 0; o < to; o++)
    memcpy (out + (gsize) o * fg, l->y + ((gsize) sample * to + o) * f + head * fg, sizeof (float) * fg);
}
