/* mh-kinds.c — the tables of the names a project file uses. */
#include "mh-kinds.h"
#include <glib/gi18n.h>

const MhKind mh_optimizer_kinds[] = {
  { "sgd", N_("SGD with momentum"), N_("Stochastic gradient descent; L2 weight decay") },
  { "adam", N_("Adam"), N_("Adaptive moments (Kingma & Ba 2015)") },
  { "adamw", N_("AdamW"), N_("Adam with decoupled weight decay (Loshchilov & Hutter 2019)") },
  { NULL },
};

const MhKind mh_schedule_kinds[] = {
  { "constant", N_("Constant"), N_("The same learning rate at every step") },
  { "cosine", N_("Cosine, with warm-up"), N_("A linear warm-up, then down to min_lr along a half cosine") },
  { NULL },
};

const MhKind mh_backbone_kinds[] = {
  { "mlp", "MLP", NULL },
  { "cnn", "CNN", NULL },
  { "vit", N_("Vision transformer"), NULL },
  { "rnn", N_("Recurrent (GRU, LSTM)"), NULL },
  { "conv1d", N_("1-D convolution"), NULL },
  { "transformer", N_("Transformer"), NULL },
  { "custom", N_("Custom"), NULL },
  { NULL },
};

const MhKind mh_balancing_methods[] = {
  { "fixed", N_("Fixed weights"), N_("The loss is Σ wᵢ·Jᵢ with the weights you set.") },
  { "equal", N_("Equal (1/n)"), N_("Every head weighs 1/n.") },
  { "uncertainty", N_("Uncertainty (learned)"), N_("Each weight is e^−s, with s learned: noisy tasks are turned down.") },
  { "gradnorm", N_("GradNorm (learned)"), N_("Weights learned so that the heads’ gradient norms train at the same pace.") },
  { "pcgrad", N_("PCGrad (projection)"),
    N_("A head’s gradient that conflicts with another’s is projected onto its normal plane.") },
  { NULL },
};

#define LOSS(k) (1u << MH_LOSS_##k)

const MhHeadKind mh_head_kinds[] = {
  { "classification", N_("Classification"), "classify", MH_FIELD_CLASS, "classes", MH_LOSS_CROSS_ENTROPY,
    LOSS (CROSS_ENTROPY) },
  { "multilabel", N_("Multi-label"), "labels", MH_FIELD_LABELS, "label sets", MH_LOSS_BCE, LOSS (BCE) },
  { "regression", N_("Box / regression"), "box", MH_FIELD_NUMBERS, "numbers", MH_LOSS_SMOOTH_L1,
    LOSS (MSE) | LOSS (SMOOTH_L1) },
  { NULL },
};

/* ---- the simple kinds ------------------------------------------------------ */

int
mh_kind_index (const MhKind *kinds, const char *id)
{
  g_return_val_if_fail (kinds != NULL, -1);

  for (int i = 0; id != NULL && kinds[i].id != NULL; i++)
    if (g_str_equal (kinds[i].id, id))
      return i;
  return -1;
}

const MhKind *
mh_kind_lookup (const MhKind *kinds, const char *id)
{
  int i = mh_kind_index (kinds, id);

  return i >= 0 ? &kinds[i] : NULL;
}

guint
mh_kind_count (const MhKind *kinds)
{
  guint n = 0;

  g_return_val_if_fail (kinds != NULL, 0);

  while (kinds[n].id != NULL)
    n++;
  return n;
}

char **
mh_kind_ids (const MhKind *kinds)
{
  guint n = mh_kind_count (kinds);
  char **out = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    out[i] = g_strdup (kinds[i].id);
  return out;
}

char **
mh_kind_titles (const MhKind *kinds)
{
  guint n = mh_kind_count (kinds);
  char **out = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    out[i] = g_strdup (_(kinds[i].title));
  return out;
}

char *
mh_kind_id_list (const MhKind *kinds)
{
  g_auto(GStrv) ids = mh_kind_ids (kinds);

  return g_strjoinv (", ", ids);
}

/* ---- head kinds --------------------------------------------------------------- */

const MhHeadKind *
mh_head_kind_lookup (const char *id)
{
  for (guint i = 0; id != NULL && mh_head_kinds[i].id != NULL; i++)
    if (g_str_equal (mh_head_kinds[i].id, id))
      return &mh_head_kinds[i];
  return NULL;
}

const MhHeadKind *
mh_head_kind_for_field (MhFieldKind field)
{
  for (guint i = 0; mh_head_kinds[i].id != NULL; i++)
    if (mh_head_kinds[i].field == field)
      return &mh_head_kinds[i];
  g_return_val_if_reached (&mh_head_kinds[0]);
}

const char *
mh_head_kind_default_loss (const char *id)
{
  const MhHeadKind *kind = mh_head_kind_lookup (id);

  return mh_loss_name (kind != NULL ? kind->loss : mh_head_kinds[0].loss);
}

gboolean
mh_head_kind_takes (const MhHeadKind *kind, MhLossKind loss)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  return (kind->losses & (1u << loss)) != 0;
}

char *
mh_head_kind_loss_list (const MhHeadKind *kind)
{
  GString *out = g_string_new (NULL);
  guint n = 0, total = 0;

  g_return_val_if_fail (kind != NULL, NULL);

  for (guint i = 0; mh_loss_table[i].id != NULL; i++)
    total += mh_head_kind_takes (kind, mh_loss_table[i].kind);
  for (guint i = 0; mh_loss_table[i].id != NULL; i++)
    if (mh_head_kind_takes (kind, mh_loss_table[i].kind))
      {
        n++;
        if (n > 1)
          g_string_append (out, n == total ? " or " : ", ");
        g_string_append (out, mh_loss_table[i].id);
      }
  return g_string_free (out, FALSE);
}

const char **
mh_head_kind_loss_ids (const MhHeadKind *kind)
{
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (kind != NULL, NULL);

  g_ptr_array_add (out, (gpointer) mh_loss_name (kind->loss));
  for (guint i = 0; mh_loss_table[i].id != NULL; i++)
    if (mh_loss_table[i].kind != kind->loss && mh_head_kind_takes (kind, mh_loss_table[i].kind))
      g_ptr_array_add (out, (gpointer) mh_loss_table[i].id);
  g_ptr_array_add (out, NULL);
  return (const char **) g_ptr_array_free (out, FALSE);
}

char **
mh_head_kind_ids (void)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; mh_head_kinds[i].id != NULL; i++)
    g_ptr_array_add (out, g_strdup (mh_head_kinds[i].id));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

char **
mh_head_kind_titles (void)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; mh_head_kinds[i].id != NULL; i++)
    g_ptr_array_add (out, g_strdup (_(mh_head_kinds[i].title)));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}
