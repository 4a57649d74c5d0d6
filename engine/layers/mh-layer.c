/* mh-layer.c — the registry of layer types and what all layers share. */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-layer.h"
#include "mh-error.h"
#include "mh-limits.h"

static const MhLayerClass *const layer_classes[] = {
  &mh_dense_class,
  &mh_conv2d_class,
  &mh_maxpool_class,
  &mh_relu_class,
  &mh_gelu_class,
  &mh_dropout_class,
  &mh_flatten_class,
  &mh_layernorm_class,
  &mh_patch_embed_class,
  &mh_class_token_class,
  &mh_position_embedding_class,
  &mh_attention_class,
  &mh_transformer_block_class,
  &mh_select_token_class,
  &mh_embedding_class,
  &mh_conv1d_class,
  &mh_seqpool_class,
  &mh_gru_class,
  &mh_lstm_class,
};

/* The product of a shape's dimensions in 64 bits; FALSE when a dimension
 * is out of 1 … MH_MAX_DIM (0 allowed when `zero_ok`) or the product is
 * over MH_MAX_SAMPLE_SIZE. */
static gboolean
shape_count (const MhShape *s, gboolean zero_ok, guint64 *count)
{
  *count = 1;
  if (s->rank < 1 || s->rank > MH_MAX_RANK)
    return FALSE;
  for (int i = 0; i < s->rank; i++)
    {
      if (s->dim[i] < (zero_ok ? 0 : 1) || s->dim[i] > MH_MAX_DIM
          || !mh_limits_bytes (*count, s->dim[i], count))
        return FALSE;
    }
  return *count <= MH_MAX_SAMPLE_SIZE;
}

gboolean
mh_layer_check_sizes (const MhLayer *l, GError **error)
{
  guint64 count;

  g_return_val_if_fail (l != NULL, FALSE);

  if (!shape_count (&l->out, FALSE, &count))
    {
      g_autofree char *shape = mh_shape_to_string (&l->out);
      g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                   "%s '%s': its output (%s per sample) is out of range: each dimension must be 1 … %d "
                   "and a sample at most %" G_GUINT64_FORMAT " values", l->klass->type, l->spec.name,
                   shape, MH_MAX_DIM, MH_MAX_SAMPLE_SIZE);
      return FALSE;
    }
  for (int i = 0; i < l->n_params; i++)
    if (!shape_count (&l->params[i].shape, TRUE, &count) || count != l->params[i].size)
      {
        g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
                     "%s '%s': parameter %s holds more than %" G_GUINT64_FORMAT " values",
                     l->klass->type, l->spec.name, l->params[i].name, MH_MAX_SAMPLE_SIZE);
        return FALSE;
      }
  return TRUE;
}

const MhLayerClass *
mh_layer_class_lookup (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (layer_classes); i++)
    if (g_strcmp0 (layer_classes[i]->type, type) == 0)
      return layer_classes[i];
  return NULL;
}

const char *
mh_layer_types (void)
{
  static char *types;

  if (g_once_init_enter (&types))
    {
      GString *s = g_string_new (NULL);
      for (guint i = 0; i < G_N_ELEMENTS (layer_classes); i++)
        g_string_append_printf (s, "%s%s", i ? ", " : "", layer_classes[i]->type);
      g_once_init_leave (&types, g_string_free (s, FALSE));
    }
  return types;
}

void
mh_layer_spec_init (MhLayerSpec *spec, const char *type)
{
  const MhLayerClass *klass = mh_layer_class_lookup (type);

  g_return_if_fail (spec != NULL);

  *spec = (MhLayerSpec) {
    .type = g_strdup (type),
    .stride = 1,
    .size = 2,
    .rate = 0.5,
    .eps = 1e-5,
    .mode = g_strdup (klass != NULL && klass->modes != NULL ? klass->modes[0] : "class"),
    .dilation = 1,
    .groups = 1,
    .num_layers = 1,
  };
}

gboolean
mh_layer_check_mode (MhLayer *l, GError **error)
{
  const char *const *modes = l->klass->modes;
  g_autofree char *list = NULL;

  if (modes == NULL || l->spec.mode == NULL || g_strv_contains (modes, l->spec.mode))
    return TRUE;
  list = g_strjoinv ("' or '", (char **) modes);
  g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s '%s': mode '%s' is not one it takes ('%s')"),
               l->klass->type, l->spec.name, l->spec.mode, list);
  return FALSE;
}

const char *
mh_layer_mode (const MhLayer *l)
{
  const char *const *modes = l->klass->modes;

  return l->spec.mode != NULL ? l->spec.mode : modes != NULL ? modes[0] : "";
}

void
mh_layer_spec_clear (MhLayerSpec *spec)
{
  g_return_if_fail (spec != NULL);

  g_clear_pointer (&spec->type, g_free);
  g_clear_pointer (&spec->name, g_free);
  g_clear_pointer (&spec->mode, g_free);
}

void
mh_layer_spec_copy (const MhLayerSpec *src, MhLayerSpec *dst)
{
  g_return_if_fail (src != NULL && dst != NULL);

  *dst = *src;
  dst->type = g_strdup (src->type);
  dst->name = g_strdup (src->name);
  dst->mode = g_strdup (src->mode);
}

MhLayer *
mh_layer_new (const MhLayerSpec *spec, const char *resolved_name)
{
  MhLayer *l = g_new0 (MhLayer, 1);

  l->klass = mh_layer_class_lookup (spec->type);
  g_return_val_if_fail (l->klass != NULL, NULL);
  mh_layer_spec_copy (spec, &l->spec);
  g_free (l->spec.name);
  l->spec.name = g_strdup (resolved_name);
  l->frozen = spec->frozen;
  return l;
}

void
mh_layer_free (MhLayer *l)
{
  if (l == NULL)
    return;
  mh_layer_spec_clear (&l->spec);
  g_free (l);
}

void
mh_init_uniform (float *p, gsize n, float bound, GRand *rng)
{
  for (gsize i = 0; i < n; i++)
    p[i] = (float) g_rand_double_range (rng, -bound, bound);
}

gboolean
mh_layer_expect_rank (MhLayer *l, int rank, const char *hint, GError **error)
{
  g_autofree char *got = NULL;

  if (l->in.rank == rank)
    return TRUE;
  got = mh_shape_to_string (&l->in);
  g_set_error (error, MH_ERROR, MH_ERROR_SHAPE,
               _("%s '%s' expects a %s input but gets %s%s%s"),
               l->klass->type, l->spec.name,
               rank == 1 ? "flat (vector)" : rank == 3 ? "height×width×channels" : "token×dim",
               got, hint ? ": " : "", hint ? hint : "");
  return FALSE;
}

MhLayer
mh_layer_view (const MhLayerClass *klass, const MhLayer *owner, int first_param, int in, int out)
{
  MhLayer v = {
    .klass = klass,
    .spec = owner->spec,   /* borrowed: the name for messages, eps */
    .in = mh_shape1 (in),
    .out = mh_shape1 (out),
    .frozen = owner->frozen,
  };

  if (first_param >= 0)
    {
      v.n_params = 2;
      v.params[0] = owner->params[first_param];
      v.params[1] = owner->params[first_param + 1];
    }
  return v;
}
