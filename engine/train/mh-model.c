/* mh-model.c — building a multi-head model, and its forward and backward. */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-kinds.h"
#include "mh-model-private.h"
#include "mh-error.h"
#include "mh-limits.h"
#include "mh-simd.h"

/* ---- building ---- */

/* An embedding's vocabulary: the data set's unless it names one that holds it. */
static gboolean
resolve_vocab (MhLayer *l, const MhDataset *schema, gboolean first, const char *where, const char *path,
               GError **error)
{
  int have = schema->vocab != NULL ? mh_vocab_size (schema->vocab) : 0;

  if (schema->input != MH_INPUT_TOKENS || !first)
    {
      mh_set_error_at (error, MH_ERROR_INVALID, where, path,
                       _("embedding '%s' reads token ids: it goes first in the backbone, on a text "
                       "data set (such as german-nouns)"), l->spec.name);
      return FALSE;
    }
  if (l->spec.vocab == 0)
    l->spec.vocab = have;
  else if (l->spec.vocab < have)
    {
      mh_set_error_at (error, MH_ERROR_INVALID, where, path,
                       _("embedding '%s' has %d tokens, but the data set's vocabulary has %d: leave "
                       "\"vocab\" out to take the data set's"), l->spec.name, l->spec.vocab, have);
      return FALSE;
    }
  return TRUE;
}

MhLayer *
_mh_model_build_layer (const MhLayerSpec *spec, GArray *block, guint i, const MhShape *in,
                       gboolean block_frozen, int units_if_auto, const MhDataset *schema, gboolean first,
                       const char *where, const char *path, GError **error)
{
  g_autofree char *name = mh_block_layer_name (block, i);
  MhLayer *l = mh_layer_new (spec, name);

  if (l == NULL)
    {
      mh_set_error_at (error, MH_ERROR_INVALID, where, path, _("unknown layer type '%s' (known: %s)"),
                       spec->type, mh_layer_types ());
      return NULL;
    }
  l->frozen = spec->frozen || block_frozen;
  if (l->klass == &mh_dense_class && l->spec.units == 0)
    {
      if (units_if_auto <= 0)
        {
          mh_set_error_at (error, MH_ERROR_INVALID, where, path, "dense '%s' needs \"units\"", name);
          mh_layer_free (l);
          return NULL;
        }
      l->spec.units = units_if_auto;
    }
  if (l->klass == &mh_embedding_class && !resolve_vocab (l, schema, first, where, path, error))
    {
      mh_layer_free (l);
      return NULL;
    }
  l->in = *in;
  if (!l->klass->infer (l, error) || !mh_layer_check_sizes (l, error))
    {
      mh_error_prefix_at (error, MH_ERROR_SHAPE, where, path);
      mh_layer_free (l);
      return NULL;
    }
  return l;
}

static gboolean
bind_head_field (MhModel *m, MhHead *h, const MhHeadSpec *spec, const MhDataset *schema,
                 const char *where, int index, GError **error)
{
  const MhField *f;
  const MhHeadKind *kind;

  h->field = mh_dataset_find_field (schema, spec->target);
  if (h->field < 0)
    {
      g_autofree char *names = mh_dataset_field_names (schema);
      g_autofree char *path = g_strdup_printf ("heads[%d].target", index);
      mh_set_error_at (error, MH_ERROR_INVALID, where, path, _("the dataset has no field '%s' (it has: %s)"),
                       spec->target, names);
      return FALSE;
    }
  f = &schema->fields[h->field];
  h->field_kind = f->kind;
  h->out_dim = f->dim;
  kind = mh_head_kind_for_field (f->kind);   /* the kind of head this field wants */
  if (spec->loss == NULL || !mh_loss_from_name (spec->loss, &h->loss))
    h->loss = kind->loss;
  if (!mh_head_kind_takes (kind, h->loss))
    {
      g_autofree char *path = g_strdup_printf ("heads[%d].loss", index);
      g_autofree char *use = mh_head_kind_loss_list (kind);
      mh_set_error_at (error, MH_ERROR_INVALID, where, path, _("%s does not fit field '%s', which holds %s (use %s)"),
                       mh_loss_name (h->loss), f->name, kind->field_holds, use);
      return FALSE;
    }
  return TRUE;
}

static int
find_tap (const MhProject *p, const char *input)
{
  for (guint i = 0; i < p->backbone->len; i++)
    {
      g_autofree char *name = mh_block_layer_name (p->backbone, i);
      if (g_strcmp0 (name, input) == 0)
        return (int) i;
    }
  return -2;
}

gboolean
_mh_model_build_head (MhModel *m, const MhProject *p, int index, const MhDataset *schema,
                      const char *where, GError **error)
{
  const MhHeadSpec *spec = &g_array_index (p->heads, MhHeadSpec, index);
  MhHead *h = &m->heads[index];
  MhShape shape;

  h->name = g_strdup (spec->name);
  h->weight = (float) spec->weight;
  h->threshold = (float) spec->threshold;
  h->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_layer_free);
  if (!bind_head_field (m, h, spec, schema, where, index, error))
    return FALSE;
  h->attach = spec->input ? find_tap (p, spec->input) : (int) p->backbone->len - 1;
  if (h->attach == -2)
    {
      g_autofree char *path = g_strdup_printf ("heads[%d].input", index);
      mh_set_error_at (error, MH_ERROR_INVALID, where, path, _("the backbone has no layer '%s'"), spec->input);
      return FALSE;
    }
  shape = h->attach < 0 ? m->input : ((MhLayer *) m->backbone->pdata[h->attach])->out;
  for (guint i = 0; i < spec->layers->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("heads[%d].layers[%u]", index, i);
      gboolean last = i + 1 == spec->layers->len;
      MhLayer *l = _mh_model_build_layer (&g_array_index (spec->layers, MhLayerSpec, i), spec->layers, i,
                                          &shape, spec->frozen, last ? h->out_dim : 0, schema, FALSE, where,
                                          path, error);
      if (l == NULL)
        return FALSE;
      g_ptr_array_add (h->layers, l);
      shape = l->out;
    }
  if (shape.rank != 1 || shape.dim[0] != h->out_dim)
    {
      g_autofree char *got = mh_shape_to_string (&shape);
      const MhField *f = &schema->fields[h->field];
      g_autofree char *path = g_strdup_printf ("heads[%d]", index);
      mh_set_error_in (error, MH_ERROR_SHAPE, where, path, _("%s ('%s') gives %s outputs, but field '%s' has %d %s"),
                       path, h->name, got, f->name, f->dim,
                       f->kind == MH_FIELD_CLASS ? "classes" : f->kind == MH_FIELD_LABELS ? "labels" : "numbers");
      return FALSE;
    }
  return TRUE;
}

static void
add_params (MhModel *m, MhLayer *l, const char *prefix)
{
  for (int j = 0; j < l->n_params; j++)
    {
      MhParamRef ref = {
        g_strdup_printf ("%s.%s.%s", prefix, l->spec.name, l->params[j].name),
        l, &l->params[j], m->n_params,
      };
      g_array_append_val (m->param_refs, ref);
      m->n_params += l->params[j].size;
    }
}

static void
clear_param_ref (gpointer p)
{
  g_free (((MhParamRef *) p)->name);
}

/* Every layer in slab order: backbone, then each head's. */
#define FOR_EACH_LAYER(m, l, body)                                          \
  G_STMT_START {                                                            \
    for (guint _i = 0; _i < (m)->backbone->len; _i++)                       \
      { MhLayer *l = (m)->backbone->pdata[_i]; body; }                      \
    for (int _h = 0; _h < (m)->n_heads; _h++)                               \
      for (guint _i = 0; _i < (m)->heads[_h].layers->len; _i++)             \
        { MhLayer *l = (m)->heads[_h].layers->pdata[_i]; body; }            \
  } G_STMT_END

/* What the slabs will need, before any is allocated: parameters with their
 * gradients, the optimiser's two moments and the training loop's last good
 * copy (5 floats each), and per sample of the batch every layer's output and
 * its gradient, scratch, the input and the heads' targets and tap gradients.
 * Sets m->bytes_params and m->bytes_batch; refuses past the memory budget,
 * naming the part that needs the most. */
static gboolean
check_memory (MhModel *m, const char *where, GError **error)
{
  MhMemTally t = MH_MEM_TALLY_INIT, params = MH_MEM_TALLY_INIT;
  guint64 nb = m->max_batch;
  char field[128];

  mh_mem_tally_add (&t, _("training.batch (its input images)"), mh_shape_size (&m->input) * nb, 4);
  for (int h = -1; h < m->n_heads; h++)
    {
      GPtrArray *layers = h < 0 ? m->backbone : m->heads[h].layers;
      for (guint i = 0; i < layers->len; i++)
        {
          MhLayer *l = layers->pdata[i];
          g_autofree char *path = h < 0 ? g_strdup_printf ("backbone.layers[%u]", i)
                                        : g_strdup_printf ("heads[%d].layers[%u]", h, i);
          guint64 n = 0;
          for (int j = 0; j < l->n_params; j++)
            n += l->params[j].size;
          g_snprintf (field, sizeof field, "%s (%s '%s': %" G_GUINT64_FORMAT " parameters)",
                      path, l->klass->type, l->spec.name, n);
          mh_mem_tally_add (&params, field, n, 5 * sizeof (float));
          g_snprintf (field, sizeof field, _("training.batch (%d samples at a time) × the output of %s (%s '%s')"),
                      m->max_batch, path, l->klass->type, l->spec.name);
          if (!l->in_place)
            mh_mem_tally_add (&t, field, mh_shape_size (&l->out) * nb, 2 * sizeof (float));
          mh_mem_tally_add (&t, field, l->scratch_per_sample * nb, sizeof (float));
          mh_mem_tally_add (&t, field, l->iscratch_per_sample * nb, sizeof (int));
        }
      if (h >= 0 && m->heads[h].attach >= 0)
        mh_mem_tally_add (&t, _("training.batch (the heads' gradients on their taps)"),
                          mh_shape_size (&((MhLayer *) m->backbone->pdata[m->heads[h].attach])->out) * nb,
                          sizeof (float));
      if (h >= 0)
        mh_mem_tally_add (&t, _("training.batch (the heads' targets)"), (guint64) m->heads[h].out_dim * nb,
                          sizeof (float));
    }
  m->bytes_batch = t.bytes;
  m->bytes_params = params.bytes;
  if (params.largest > t.largest)
    {
      t.largest = params.largest;
      g_strlcpy (t.largest_field, params.largest_field, sizeof t.largest_field);
    }
  mh_limits_add (t.bytes, params.bytes, &t.bytes);
  return mh_mem_tally_check (&t, where, _("the model"), error);
}

static gboolean
allocate_slabs (MhModel *m, const char *where, GError **error)
{
  gsize acts = 0, scratch = 0, iscratch = 0, nb = m->max_batch;
  float *a, *da, *s;
  int *is;
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (MhRange));

  FOR_EACH_LAYER (m, l, {
    acts += l->in_place ? 0 : mh_shape_size (&l->out) * nb;
    scratch += l->scratch_per_sample * nb;
    iscratch += l->iscratch_per_sample * nb;
  });
  /* the sizes come from the project: g_try_malloc, so that the system's
   * refusal is an error too (the budget was checked before) */
  m->owns_params = TRUE;
  if (!(m->x = mh_limits_try_alloc0 (mh_shape_size (&m->input) * nb, sizeof (float), where, _("the input batch"), error))
      || !(m->acts = a = mh_limits_try_alloc0 (acts, sizeof (float), where, _("the activations"), error))
      || !(m->dacts = da = mh_limits_try_alloc0 (acts, sizeof (float), where, _("the activations' gradients"), error))
      || !(m->scratch = s = mh_limits_try_alloc0 (scratch, sizeof (float), where, _("the layers' scratch"), error))
      || !(m->iscratch = is = mh_limits_try_alloc0 (iscratch, sizeof (int), where, _("the layers' scratch"), error))
      || !(m->params = mh_limits_try_alloc0 (m->n_params, sizeof (float), where, _("the parameters"), error))
      || !(m->grads = mh_limits_try_alloc0 (m->n_params, sizeof (float), where, _("the gradients"), error)))
    {
      g_array_free (ranges, TRUE);
      return FALSE;
    }
  m->written = g_new0 (gboolean, m->backbone->len);

  FOR_EACH_LAYER (m, l, {
    if (!l->in_place)   /* in-place layers get theirs in wire_layers() */
      {
        l->y = a;
        l->dy = da;
        a += mh_shape_size (&l->out) * nb;
        da += mh_shape_size (&l->out) * nb;
      }
    l->scratch = s;
    s += l->scratch_per_sample * nb;
    l->iscratch = is;
    is += l->iscratch_per_sample * nb;
  });
  /* the slabs were sized by the same walk over the layers */
  g_assert (a == m->acts + acts && da == m->dacts + acts);
  g_assert (s == m->scratch + scratch && is == m->iscratch + iscratch);
  for (guint i = 0; i < m->param_refs->len; i++)
    {
      MhParamRef *ref = &g_array_index (m->param_refs, MhParamRef, i);
      g_assert (ref->offset + ref->param->size <= m->n_params);
      ref->param->data = m->params + ref->offset;
      ref->param->grad = m->grads + ref->offset;
      if (ref->layer->frozen)
        continue;
      MhRange *last = ranges->len ? &g_array_index (ranges, MhRange, ranges->len - 1) : NULL;
      if (last && last->offset + last->size == ref->offset)
        last->size += ref->param->size;
      else
        g_array_append_val (ranges, ((MhRange) { ref->offset, ref->param->size }));
    }
  m->n_trainable = ranges->len;
  m->trainable = (MhRange *) g_array_free (ranges, FALSE);
  return TRUE;
}

static gboolean
trainable (const MhLayer *l)
{
  return l->n_params > 0 && !l->frozen;
}

/* A layer may run in place when its class allows it and its input is a
 * layer's output that nothing else reads (not a tap, not the input). */
static void
mark_in_place (MhModel *m)
{
  gboolean *tap = g_new0 (gboolean, m->backbone->len + 1);

  for (int h = 0; h < m->n_heads; h++)
    tap[m->heads[h].attach + 1] = TRUE;
  for (guint i = 1; i < m->backbone->len; i++)
    {
      MhLayer *l = m->backbone->pdata[i];
      l->in_place = l->klass->in_place && !tap[i] && !m->inspection;
    }
  for (int h = 0; h < m->n_heads; h++)
    for (guint i = 1; i < m->heads[h].layers->len; i++)
      {
        MhLayer *l = m->heads[h].layers->pdata[i];
        l->in_place = l->klass->in_place && !m->inspection;
      }
  g_free (tap);
}

static void
bind_in_place (MhLayer *l, MhLayer *prev)
{
  if (l->in_place)
    {
      l->y = prev->y;
      l->dy = prev->dy;
    }
}

/* Inputs, and input gradients only where some layer upstream learns. */
static void
wire_layers (MhModel *m)
{
  gsize n_bb = m->backbone->len;
  gboolean *upstream_at = g_new0 (gboolean, n_bb + 1);   /* [i + 1]: after layer i */

  upstream_at[0] = m->inspection;   /* every layer computes its input's gradient */

  for (guint i = 0; i < n_bb; i++)
    {
      MhLayer *l = m->backbone->pdata[i], *prev = i ? m->backbone->pdata[i - 1] : NULL;
      bind_in_place (l, prev);
      l->x = prev ? prev->y : m->x;
      l->dx = prev ? (upstream_at[i] ? prev->dy : NULL) : m->dx;   /* m->dx: inspection (or kept, later) */
      upstream_at[i + 1] = upstream_at[i] || trainable (l);
    }
  for (int h = 0; h < m->n_heads; h++)
    {
      MhHead *head = &m->heads[h];
      MhLayer *tap = head->attach >= 0 ? m->backbone->pdata[head->attach] : NULL;
      gboolean upstream = upstream_at[head->attach + 1];

      for (guint i = 0; i < head->layers->len; i++)
        {
          MhLayer *l = head->layers->pdata[i], *prev = i ? head->layers->pdata[i - 1] : tap;
          if (i > 0)
            bind_in_place (l, prev);
          l->x = prev ? prev->y : m->x;
          if (i == 0 && tap != NULL && upstream)
            {
              /* each head's gradient on its tap is kept apart, then summed */
              head->tap_size = mh_shape_size (&tap->out);
              head->tap_grad = g_new0 (float, head->tap_size * m->max_batch);
              l->dx = head->tap_grad;
            }
          else
            l->dx = prev ? (upstream ? prev->dy : NULL) : m->dx;
          upstream = upstream || trainable (l);
        }
      MhLayer *last = head->layers->pdata[head->layers->len - 1];
      head->logits = last->y;
      head->dlogits = last->dy;
      head->classes = g_new0 (int, m->max_batch);
      head->values = g_new0 (float, (gsize) m->max_batch * head->out_dim);
    }
  g_free (upstream_at);
}

/* The mask a layer's output carries, from the one its input carries. */
static const guint8 *
mask_after (MhLayer *l, const guint8 *in, guint8 **slab, gsize nb)
{
  l->mask = l->in.rank == 2 ? in : NULL;
  if (in == NULL || l->out.rank != 2)
    return NULL;
  if (l->klass->mask_out != NULL)
    {
      l->out_mask = *slab;
      *slab += (gsize) l->out.dim[0] * nb;
      return l->out_mask;
    }
  return l->out.dim[0] == (l->in.rank == 2 || l->in.rank == 1 ? l->in.dim[0] : -1) ? in : NULL;
}

/* Token inputs carry a padding mask through every layer that keeps tokens
 * (mh-layer.h); the embedding reads ids, a sequence too. */
static void
wire_masks (MhModel *m)
{
  gsize nb = m->max_batch, need = 0;
  const guint8 **after;
  guint8 *slab;

  if (m->input_kind != MH_INPUT_TOKENS)
    return;
  FOR_EACH_LAYER (m, l, {
    if (l->klass->mask_out != NULL && l->out.rank == 2)
      need += (gsize) l->out.dim[0] * nb;
  });
  m->mask = g_new0 (guint8, mh_shape_size (&m->input) * nb);
  m->masks = slab = g_new0 (guint8, MAX (need, 1));
  after = g_new0 (const guint8 *, m->backbone->len + 1);   /* [i + 1]: after layer i */
  after[0] = m->mask;
  for (guint i = 0; i < m->backbone->len; i++)
    after[i + 1] = mask_after (m->backbone->pdata[i], after[i], &slab, nb);
  for (int h = 0; h < m->n_heads; h++)
    {
      const guint8 *cur = after[m->heads[h].attach + 1];
      for (guint i = 0; i < m->heads[h].layers->len; i++)
        cur = mask_after (m->heads[h].layers->pdata[i], cur, &slab, nb);
    }
  g_free (after);
}

MhModel *
mh_model_new (const MhProject *p, const MhDataset *schema, int max_batch,
              const char *where, GError **error)
{
  return mh_model_new_full (p, schema, max_batch, MH_MODEL_FOR_TRAINING, where, error);
}

MhModel *
mh_model_new_full (const MhProject *p, const MhDataset *schema, int max_batch, MhModelFlags flags,
                   const char *where, GError **error)
{
  MhModel *m;
  MhShape shape;

  g_return_val_if_fail (p != NULL && schema != NULL, NULL);
  g_return_val_if_fail (max_batch > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  m = g_new0 (MhModel, 1);
  shape = schema->shape;
  m->inspection = (flags & MH_MODEL_FOR_INSPECTION) != 0;
  m->input = schema->shape;
  m->input_kind = schema->input;
  m->vocab = schema->vocab != NULL ? mh_vocab_ref (schema->vocab) : NULL;
  if (schema->input == MH_INPUT_TOKENS
      && (p->backbone->len == 0
          || g_strcmp0 (g_array_index (p->backbone, MhLayerSpec, 0).type, "embedding") != 0))
    {
      mh_set_error_at (error, MH_ERROR_INVALID, where, "backbone.layers[0]",
                       _("the data set's input is text (token ids): the backbone starts with an embedding layer"));
      g_clear_pointer (&m->vocab, mh_vocab_unref);
      g_free (m);
      return NULL;
    }
  m->max_batch = max_batch;
  m->backbone = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_layer_free);
  m->param_refs = g_array_new (FALSE, FALSE, sizeof (MhParamRef));
  g_array_set_clear_func (m->param_refs, clear_param_ref);
  for (guint i = 0; i < p->backbone->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("backbone.layers[%u]", i);
      MhLayer *l = _mh_model_build_layer (&g_array_index (p->backbone, MhLayerSpec, i), p->backbone, i,
                                          &shape, p->backbone_frozen, 0, schema, i == 0, where, path, error);
      if (l == NULL)
        goto fail;
      g_ptr_array_add (m->backbone, l);
      add_params (m, l, "backbone");
      shape = l->out;
    }
  m->n_heads = p->heads->len;
  m->heads = g_new0 (MhHead, m->n_heads);
  for (int h = 0; h < m->n_heads; h++)
    {
      if (!_mh_model_build_head (m, p, h, schema, where, error))
        goto fail;
      g_autofree char *prefix = g_strdup_printf ("heads.%s", m->heads[h].name);
      for (guint i = 0; i < m->heads[h].layers->len; i++)
        add_params (m, m->heads[h].layers->pdata[i], prefix);
    }
  if (m->inspection)
    FOR_EACH_LAYER (m, l, l->frozen = TRUE);   /* no parameter gradients */
  mark_in_place (m);
  if (!check_memory (m, where, error) || !allocate_slabs (m, where, error)
      || (m->inspection
          && !(m->dx = mh_limits_try_alloc0 (mh_shape_size (&m->input) * max_batch, sizeof (float), where,
                                             _("the input's gradient"), error))))
    goto fail;
  wire_layers (m);
  wire_masks (m);
  m->augment_targets = g_new (MhAugmentTarget, MAX (m->n_heads, 1));
  for (int h = 0; h < m->n_heads; h++)
    m->augment_targets[h] = (MhAugmentTarget) {
      m->heads[h].field,
      m->heads[h].field_kind == MH_FIELD_CLASS ? m->heads[h].classes : NULL,
      m->heads[h].field_kind == MH_FIELD_CLASS ? NULL : m->heads[h].values,
    };
  return m;

fail:
  mh_model_free (m);
  return NULL;
}

void
mh_model_free (MhModel *m)
{
  if (m == NULL)
    return;
  for (int h = 0; h < m->n_heads; h++)
    {
      g_free (m->heads[h].name);
      g_clear_pointer (&m->heads[h].layers, g_ptr_array_unref);
      g_free (m->heads[h].classes);
      g_free (m->heads[h].tap_grad);
      g_free (m->heads[h].values);
    }
  g_free (m->heads);
  g_free (m->augment_targets);
  g_ptr_array_unref (m->backbone);
  g_array_unref (m->param_refs);
  g_free (m->trainable);
  g_free (m->x);
  g_free (m->dx);
  g_free (m->acts);
  g_free (m->dacts);
  g_free (m->scratch);
  g_free (m->iscratch);
  g_free (m->mask);
  g_free (m->masks);
  g_clear_pointer (&m->vocab, mh_vocab_unref);
  if (m->owns_params)
    g_free (m->params);
  g_free (m->grads);
  g_free (m->written);
  g_free (m);
}

void
mh_model_init (MhModel *m, guint32 seed)
{
  g_autoptr (GRand) rng = NULL;

  g_return_if_fail (m != NULL);

  rng = g_rand_new_with_seed (seed);
  FOR_EACH_LAYER (m, l, {
    if (l->klass->init)
      l->klass->init (l, rng);
  });
}

void
mh_model_share_params (MhModel *m, MhModel *base)
{
  g_return_if_fail (m->n_params == base->n_params);
  if (m->owns_params)
    g_free (m->params);
  m->params = base->params;
  m->owns_params = FALSE;
  for (guint i = 0; i < m->param_refs->len; i++)
    {
      MhParamRef *ref = &g_array_index (m->param_refs, MhParamRef, i);
      ref->param->data = m->params + ref->offset;
    }
}

/* ---- one batch ---- */

void
mh_model_set_batch (MhModel *m, const MhDataset *d, const int *idx, int n)
{
  g_return_if_fail (n <= m->max_batch);
  mh_dataset_fill_inputs (d, idx, n, m->x);
  for (int h = 0; h < m->n_heads; h++)
    mh_field_fill_targets (&d->fields[m->heads[h].field], idx, n,
                           m->heads[h].classes, m->heads[h].values);
}

static void
layer_forward (MhLayer *l, int n, gboolean train, GRand *rng)
{
  if (l->out_mask != NULL)
    l->klass->mask_out (l, n);
  l->klass->forward (l, n, train, rng);
}

void
mh_model_forward (MhModel *m, int n, gboolean train, GRand *rng)
{
  g_return_if_fail (n <= m->max_batch);
  if (m->mask != NULL)
    for (gsize i = 0, len = (gsize) n * mh_shape_size (&m->input); i < len; i++)
      m->mask[i] = m->x[i] > 0.5f;
  for (guint i = 0; i < m->backbone->len; i++)
    layer_forward (m->backbone->pdata[i], n, train, rng);
  for (int h = 0; h < m->n_heads; h++)
    for (guint i = 0; i < m->heads[h].layers->len; i++)
      layer_forward (m->heads[h].layers->pdata[i], n, train, rng);
}

double
mh_model_loss (MhModel *m, int n)
{
  return mh_model_loss_part (m, n, 1.0f);
}

double
mh_model_loss_part (MhModel *m, int n, float share)
{
  double total = 0;

  for (int h = 0; h < m->n_heads; h++)
    {
      MhHead *head = &m->heads[h];
      int k = head->out_dim;
      float scale = share;

      head->correct = 0;
      switch (head->loss)
        {
        case MH_LOSS_CROSS_ENTROPY:
          head->loss_value = mh_loss_cross_entropy (head->logits, head->classes, n, k,
                                                    scale, head->dlogits);
          head->correct = mh_count_correct (head->logits, head->classes, n, k);
          break;
        case MH_LOSS_BCE:
          head->loss_value = mh_loss_bce (head->logits, head->values, n, k, scale, head->dlogits);
          break;
        case MH_LOSS_MSE:
          head->loss_value = mh_loss_mse (head->logits, head->values, n, k, scale, head->dlogits);
          break;
        case MH_LOSS_SMOOTH_L1:
          head->loss_value = mh_loss_smooth_l1 (head->logits, head->values, n, k, scale, head->dlogits);
          break;
        }
      total += head->weight * head->loss_value;
    }
  return total;
}

/* Runs l's backward when it has something to produce.  `into` is the
 * backbone index whose output gradient l's dx adds to (-1: none). */
static void
layer_backward (MhModel *m, MhLayer *l, int n, int into)
{
  gboolean accumulate = FALSE;

  if (l->dx == NULL && !trainable (l))
    return;
  if (into >= 0 && l->dx != NULL)
    {
      accumulate = m->written[into];
      m->written[into] = TRUE;
    }
  l->klass->backward (l, n, accumulate);
}

static void
zero_param_grads (MhLayer *l)
{
  for (int j = 0; j < l->n_params; j++)
    memset (l->params[j].grad, 0, sizeof (float) * l->params[j].size);
}

static void
scale_param_grads (MhLayer *l, float s)
{
  for (int j = 0; j < l->n_params; j++)
    for (gsize i = 0; i < l->params[j].size; i++)
      l->params[j].grad[i] *= s;
}

void
mh_model_backward_heads (MhModel *m, int n)
{
  for (int h = 0; h < m->n_heads; h++)
    {
      MhHead *head = &m->heads[h];
      for (int i = head->layers->len - 1; i >= 0; i--)
        {
          MhLayer *l = head->layers->pdata[i];
          layer_backward (m, l, n, -1);
          if (trainable (l))
            scale_param_grads (l, head->weight);
        }
    }
}

MH_HOT static void
add_scaled (float *restrict dst, const float *restrict src, float s, gsize len, gboolean first)
{
  if (first)
    for (gsize i = 0; i < len; i++)
      dst[i] = s * src[i];
  else
    for (gsize i = 0; i < len; i++)
      dst[i] += s * src[i];
}

void
mh_model_backward_shared (MhModel *m, int n, const float *coef)
{
  int n_bb = m->backbone->len;

  memset (m->written, 0, sizeof (gboolean) * n_bb);
  for (int h = 0; h < m->n_heads; h++)
    {
      MhHead *head = &m->heads[h];
      MhLayer *tap;
      if (head->tap_grad == NULL)
        continue;
      tap = m->backbone->pdata[head->attach];
      add_scaled (tap->dy, head->tap_grad, coef ? coef[h] : head->weight, head->tap_size * n,
                  !m->written[head->attach]);
      m->written[head->attach] = TRUE;
    }
  for (int i = n_bb - 1; i >= 0; i--)
    {
      MhLayer *l = m->backbone->pdata[i];
      if (m->written[i])
        layer_backward (m, l, n, i - 1);
      else if (trainable (l))
        zero_param_grads (l);   /* no head reads past this layer */
    }
}

void
mh_model_backward (MhModel *m, int n)
{
  mh_model_backward_heads (m, n);
  mh_model_backward_shared (m, n, NULL);
}

void
mh_model_backward_head (MhModel *m, int h, int n)
{
  MhHead *head = &m->heads[h];

  g_return_if_fail (h >= 0 && h < m->n_heads && n <= m->max_batch);
  memset (m->written, 0, sizeof (gboolean) * m->backbone->len);
  for (int i = head->layers->len - 1; i >= 0; i--)
    layer_backward (m, head->layers->pdata[i], n, -1);
  if (head->tap_grad != NULL)
    {
      MhLayer *tap = m->backbone->pdata[head->attach];
      memcpy (tap->dy, head->tap_grad, sizeof (float) * head->tap_size * n);
      m->written[head->attach] = TRUE;
    }
  for (int i = head->attach; i >= 0; i--)
    if (m->written[i])
      layer_backward (m, m->backbone->pdata[i], n, i - 1);
}

MH_HOT static double
dot (const float *restrict a, const float *restrict b, gsize len)
{
  double sum = 0;

  for (gsize start = 0; start < len; start += 4096)
    {
      float part = 0;
      for (gsize i = start; i < MIN (len, start + 4096); i++)
        part += a[i] * b[i];
      sum += part;
    }
  return sum;
}

void
mh_model_head_dots (const MhModel *m, int n, double *gram)
{
  int nh = m->n_heads;

  for (int h = 0; h < nh; h++)
    for (int j = h; j < nh; j++)
      {
        const MhHead *a = &m->heads[h], *b = &m->heads[j];
        if (a->tap_grad == NULL || b->tap_grad == NULL || a->attach != b->attach)
          continue;
        double d = dot (a->tap_grad, b->tap_grad, a->tap_size * n);
        gram[h * nh + j] += d;
        if (j != h)
          gram[j * nh + h] += d;
      }
}

const MhParamRef *
mh_model_find_param (const MhModel *m, const char *name)
{
  g_return_val_if_fail (m != NULL, NULL);

  for (guint i = 0; i < m->param_refs->len; i++)
    if (g_strcmp0 (g_array_index (m->param_refs, MhParamRef, i).name, name) == 0)
      return &g_array_index (m->param_refs, MhParamRef, i);
  return NULL;
}

MhShape
mh_model_features (const MhModel *m)
{
  g_return_val_if_fail (m != NULL, (MhShape) { 0 });

  if (m->backbone->len == 0)
    return m->input;
  return ((MhLayer *) m->backbone->pdata[m->backbone->len - 1])->out;
}

