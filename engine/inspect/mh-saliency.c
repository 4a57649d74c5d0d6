/* mh-saliency.c — gradient × input of one head's output (mh-saliency.h). */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-error.h"
#include "mh-saliency.h"

void
mh_model_keep_input_grad (MhModel *m)
{
  MhLayer *first;

  g_return_if_fail (m->backbone->len > 0);
  /* the one input-gradient path: an inspection model has it already */
  if (m->dx == NULL)
    m->dx = g_new0 (float, mh_shape_size (&m->input) * m->max_batch);
  first = m->backbone->pdata[0];
  first->dx = m->dx;
}

gsize
mh_saliency_size (const MhModel *m)
{
  return m->input_kind == MH_INPUT_TOKENS ? (gsize) m->input.dim[0] : mh_shape_size (&m->input);
}

gboolean
mh_saliency (MhModel *m, int head, int output, float *out, GError **error)
{
  g_autofree float *coef = g_new0 (float, MAX (m->n_heads, 1));
  MhHead *h;
  const MhLayer *embed;

  g_return_val_if_fail (head >= 0 && head < m->n_heads, FALSE);
  h = &m->heads[head];
  if (output < 0)
    {
      output = 0;
      for (int k = 1; k < h->out_dim; k++)
        if (h->logits[k] > h->logits[output])
          output = k;
    }
  g_return_val_if_fail (output < h->out_dim, FALSE);
  embed = m->input_kind == MH_INPUT_TOKENS ? m->backbone->pdata[0] : NULL;
  if (h->tap_grad == NULL || (embed != NULL && m->backbone->len < 2)
      || (embed == NULL && m->dx == NULL))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("the gradient of head '%s' does not reach the input (frozen layers, or a head on the input)"),
                   h->name);
      return FALSE;
    }
  for (int k = 0; k < m->n_heads; k++)
    memset (m->heads[k].dlogits, 0, sizeof (float) * m->heads[k].out_dim);
  h->dlogits[output] = 1.0f;
  coef[head] = 1.0f;
  mh_model_backward_heads (m, 1);
  /* backward_heads scaled the head's parameter gradients by its weight; the
   * tap's gradient is unweighted, and coef is 1 for it alone */
  mh_model_backward_shared (m, 1, coef);
  if (embed != NULL)
    {
      int t = m->input.dim[0], d = embed->out.dim[1];
      for (int i = 0; i < t; i++)
        {
          double s = 0;
          for (int j = 0; j < d; j++)
            s += (double) embed->dy[i * d + j] * embed->y[i * d + j];
          out[i] = m->x[i] > 0.5f ? (float) s : 0.0f;
        }
      return TRUE;
    }
  for (gsize i = 0, n = mh_shape_size (&m->input); i < n; i++)
    out[i] = m->dx[i] * m->x[i];
  return TRUE;
}
