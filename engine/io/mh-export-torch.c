/* mh-export-torch.c — model.py and train_ddp.py for a model (mh-export-torch.h).
 *
 * model.py is engine/io/torch/model-common.py (the layer classes, Model, the
 * safetensors reader and writer) followed by what this project generates:
 * PROJECT, INPUT_SHAPE, DATASET, TRAINING, HEADS, build_backbone() and
 * build_heads().  train_ddp.py is engine/io/torch/train_ddp.py as it is.  Both
 * are compiled into the engine as a GResource.
 */
#include <errno.h>
#include <string.h>
#include <gio/gio.h>
#include "mh-export-torch.h"
#include "mh-error.h"
#include "mh-save.h"
#include "mh-torch-resources.h"

#define RESOURCE "/io/github/multihead/Studio/torch/"

static GBytes *
text_of (const char *name, GError **error)
{
  g_autofree char *path = g_strconcat (RESOURCE, name, NULL);

  return g_resource_lookup_data (mh_torch_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

/* A Python string literal (JSON's escapes are Python's). */
static void
py_string (GString *out, const char *s)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *text = NULL;

  if (s == NULL)
    {
      g_string_append (out, "None");
      return;
    }
  json_node_set_string (node, s);
  text = json_to_string (node, FALSE);
  g_string_append (out, text);
}

static void
py_double (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_dtostr (buf, sizeof buf, v));
}

/* One layer's constructor, or FALSE for a type the exporter does not know. */
static gboolean
layer_code (GString *out, const MhLayer *l)
{
  const MhLayerSpec *s = &l->spec;
  const char *type = l->klass->type;
  double eps = s->eps > 0 ? s->eps : 1e-5;

  if (l->klass == &mh_dense_class)
    g_string_append_printf (out, "nn.Linear(%d, %d)", l->in.dim[0], l->out.dim[0]);
  else if (l->klass == &mh_conv2d_class)
    g_string_append_printf (out, "Conv2d(%d, %d, %d, stride=%d, padding=%d)", l->in.dim[2], s->filters,
                            s->kernel, MAX (s->stride, 1), s->padding);
  else if (l->klass == &mh_maxpool_class)
    g_string_append_printf (out, "MaxPool(%d)", s->size);
  else if (l->klass == &mh_relu_class)
    g_string_append (out, "nn.ReLU()");
  else if (l->klass == &mh_gelu_class)
    g_string_append (out, "nn.GELU()");
  else if (l->klass == &mh_dropout_class)
    {
      g_string_append (out, "nn.Dropout(");
      py_double (out, s->rate);
      g_string_append (out, ")");
    }
  else if (l->klass == &mh_flatten_class)
    g_string_append (out, "Flatten()");
  else if (l->klass == &mh_layernorm_class)
    {
      g_string_append_printf (out, "nn.LayerNorm(%d, eps=", l->in.dim[l->in.rank - 1]);
      py_double (out, eps);
      g_string_append (out, ")");
    }
  else if (l->klass == &mh_patch_embed_class)
    g_string_append_printf (out, "PatchEmbed(%d, %d, %d, stride=%d)", l->in.dim[2], s->dim, s->patch, s->patch);
  else if (l->klass == &mh_class_token_class)
    g_string_append_printf (out, "ClassToken(%d)", l->in.dim[1]);
  else if (l->klass == &mh_position_embedding_class)
    g_string_append_printf (out, "PositionEmbedding(%d, %d)", l->in.dim[0], l->in.dim[1]);
  else if (l->klass == &mh_select_token_class)
    {
      g_string_append (out, "SelectToken(");
      py_string (out, g_strcmp0 (s->mode, "mean") == 0 ? "mean" : "class");
      g_string_append (out, ")");
    }
  else if (l->klass == &mh_attention_class)
    g_string_append_printf (out, "Attention(%d, %d)", l->in.dim[1], s->heads);
  else if (l->klass == &mh_embedding_class)
    g_string_append_printf (out, "Embedding(%d, %d)", s->vocab, s->dim);
  else if (l->klass == &mh_conv1d_class)
    g_string_append_printf (out, "Conv1d(%d, %d, %d, stride=%d, padding=%d, dilation=%d, groups=%d)",
                            l->in.dim[1], s->filters, s->kernel, MAX (s->stride, 1), s->padding,
                            MAX (s->dilation, 1), MAX (s->groups, 1));
  else if (l->klass == &mh_seqpool_class)
    {
      g_string_append (out, "SeqPool(");
      py_string (out, mh_layer_mode (l));
      g_string_append (out, ")");
    }
  else if (l->klass == &mh_gru_class || l->klass == &mh_lstm_class)
    {
      g_string_append_printf (out, "%s(%d, %d, %d, %s, ", l->klass == &mh_gru_class ? "GRU" : "LSTM",
                              l->in.dim[1], s->hidden, s->num_layers, s->bidirectional ? "True" : "False");
      py_string (out, mh_layer_mode (l));
      g_string_append (out, ")");
    }
  else if (l->klass == &mh_transformer_block_class)
    {
      g_string_append_printf (out, "TransformerBlock(%d, %d, %d, eps=", l->in.dim[1], s->heads, s->hidden);
      py_double (out, eps);
      g_string_append (out, ")");
    }
  else
    return (void) type, FALSE;
  return TRUE;
}

static gboolean
block_code (GString *out, GPtrArray *layers, const char *indent, GError **error)
{
  g_string_append (out, "[\n");
  for (guint i = 0; i < layers->len; i++)
    {
      const MhLayer *l = layers->pdata[i];
      g_string_append_printf (out, "%s    (", indent);
      py_string (out, l->spec.name);
      g_string_append (out, ", ");
      if (!layer_code (out, l))
        {
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID, "layer '%s': export-torch does not know "
                       "layers of type %s", l->spec.name, l->klass->type);
          return FALSE;
        }
      g_string_append (out, "),\n");
    }
  g_string_append_printf (out, "%s]", indent);
  return TRUE;
}

static const char *
field_kind (MhFieldKind kind)
{
  return kind == MH_FIELD_CLASS ? "class" : kind == MH_FIELD_LABELS ? "labels" : "numbers";
}

static void
settings_code (GString *out, const MhModel *m, const MhProject *p, const MhDataset *schema,
               const char *data_dir)
{
  const MhOptimSpec *o = &p->optim;

  g_string_append (out, "PROJECT = ");
  py_string (out, p->name);
  switch (m->input_kind)
    {
    case MH_INPUT_PIXELS:
      g_string_append_printf (out, "\nINPUT_KIND = \"pixels\"\nINPUT_SHAPE = (%d, %d, %d)   # C, H, W",
                              m->input.dim[2], m->input.dim[0], m->input.dim[1]);
      break;
    case MH_INPUT_TOKENS:
      {
        g_autofree char *chars = schema->vocab != NULL ? mh_vocab_to_string (schema->vocab) : g_strdup ("");
        g_string_append_printf (out, "\nINPUT_KIND = \"tokens\"\nINPUT_SHAPE = (%d,)   # T\n"
                                "# token 0 is padding, 1 unknown, 2 + i the i-th character of:\nVOCABULARY = ",
                                m->input.dim[0]);
        py_string (out, chars);
        break;
      }
    case MH_INPUT_SIGNALS:
      g_string_append_printf (out, "\nINPUT_KIND = \"signals\"\nINPUT_SHAPE = (%d, %d)   # T, C",
                              m->input.dim[0], m->input.dim[1]);
      break;
    }
  g_string_append (out, "\nDATASET = {\"kind\": ");
  py_string (out, p->data.kind);
  g_string_append (out, ", \"path\": ");
  py_string (out, data_dir);
  g_string_append_printf (out, ", \"validation\": %d}\nTRAINING = {\"batch\": %d, \"epochs\": %d, "
                          "\"seed\": %u, \"optimizer\": {\"kind\": ", p->data.validation, p->batch,
                          p->epochs, p->seed);
  py_string (out, o->kind);
  const char *names[] = { "lr", "momentum", "beta1", "beta2", "eps", "weight_decay", "clip_norm" };
  const double values[] = { o->lr, o->momentum, o->beta1, o->beta2, o->eps, o->weight_decay, o->clip_norm };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_string_append_printf (out, ", \"%s\": ", names[i]);
      py_double (out, values[i]);
    }
  g_string_append (out, "}}\n# each head: the backbone layer it reads (\"\": the input), its target field\n"
                        "HEADS = {\n");
  for (int h = 0; h < m->n_heads; h++)
    {
      const MhHead *head = &m->heads[h];
      const MhField *f = &schema->fields[head->field];
      g_string_append (out, "    ");
      py_string (out, head->name);
      g_string_append (out, ": {\"input\": ");
      py_string (out, head->attach >= 0 ? ((MhLayer *) m->backbone->pdata[head->attach])->spec.name : "");
      g_string_append (out, ", \"target\": ");
      py_string (out, f->name);
      g_string_append_printf (out, ", \"field\": \"%s\", \"loss\": ", field_kind (f->kind));
      py_string (out, mh_loss_name (head->loss));
      g_string_append (out, ", \"weight\": ");
      py_double (out, head->weight);
      g_string_append (out, ", \"names\": [");
      for (int i = 0; f->names != NULL && f->names[i] != NULL; i++)
        {
          g_string_append (out, i ? ", " : "");
          py_string (out, f->names[i]);
        }
      g_string_append (out, "]},\n");
    }
  g_string_append (out, "}\n\n");
}

static char *
model_code (const MhModel *m, const MhProject *p, const MhDataset *schema, const char *data_dir,
            GError **error)
{
  g_autoptr (GBytes) common = text_of ("model-common.py", error);
  g_autoptr (GString) out = NULL;

  if (common == NULL)
    return NULL;
  out = g_string_new_len (g_bytes_get_data (common, NULL), g_bytes_get_size (common));
  settings_code (out, m, p, schema, data_dir);
  g_string_append (out, "\ndef build_backbone():\n    return ");
  if (!block_code (out, m->backbone, "    ", error))
    return NULL;
  g_string_append (out, "\n\n\ndef build_heads():\n    return {\n");
  for (int h = 0; h < m->n_heads; h++)
    {
      g_string_append (out, "        ");
      py_string (out, m->heads[h].name);
      g_string_append (out, ": ");
      if (!block_code (out, m->heads[h].layers, "        ", error))
        return NULL;
      g_string_append (out, ",\n");
    }
  g_string_append (out, "    }\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
write_file (const char *dir, const char *name, const char *text, gsize len, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return mh_save_contents (path, MH_FILE_KIND_TEXT, text, len, MH_SAVE_DEFAULT, error);
}

gboolean
mh_export_torch (const MhModel *m, const MhProject *p, const MhDataset *schema, const char *data_dir,
                 const char *dir, GError **error)
{
  g_autofree char *model = NULL;
  g_autoptr (GBytes) train = NULL;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: cannot make the folder: %s", dir, g_strerror (errno));
      return FALSE;
    }
  if (!(model = model_code (m, p, schema, data_dir, error)) || !(train = text_of ("train_ddp.py", error)))
    return FALSE;
  return write_file (dir, "model.py", model, strlen (model), error)
         && write_file (dir, "train_ddp.py", g_bytes_get_data (train, NULL), g_bytes_get_size (train), error);
}
