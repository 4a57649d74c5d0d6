/* mh-edits.c — checked edits of a project spec. */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-edits.h"
#include "mh-kinds.h"
#include "mh-error.h"
#include "mh-schema.h"

static const MhPaletteItem palette[] = {
  { "data:fashion-mnist", N_("Fashion-MNIST"), N_("70,000 clothing images, 3 label fields"), "image-x-generic-symbolic" },
  { "data:multi-fashion", N_("Multi-Fashion"), N_("Two overlapping items: a left and a right class"), "image-x-generic-symbolic" },
  { "data:shapes", N_("Shapes"), N_("Generated shapes: classes, labels, boxes"), "image-x-generic-symbolic" },
  { "data:image-folder", N_("Image folder"), N_("Your own images with a labels.csv"), "folder-pictures-symbolic" },
  { "data:german-nouns", N_("German nouns"), N_("169,000 words: der/die/das, syllables, stress"),
    "accessories-dictionary-symbolic" },
  { "data:sensors", N_("Sensors"), N_("A phone’s accelerometer and gyroscope: activity, cadence, faults"),
    "phone-symbolic" },
  { "data:sensor-csv", N_("Sensor CSV"), N_("Your own recordings, one window per row"), "phone-symbolic" },
  { "backbone:mlp", "MLP", N_("Dense layers on the flattened image"), "mh-backbone-mlp-symbolic" },
  { "backbone:cnn", "CNN", N_("Convolutions and pooling"), "mh-backbone-cnn-symbolic" },
  { "backbone:vit", N_("Vision Transformer"), N_("Patches, attention heads"), "mh-backbone-vit-symbolic" },
  { "backbone:rnn", N_("RNN (GRU / LSTM)"), N_("Reads a sequence step by step"), "mh-backbone-rnn-symbolic" },
  { "backbone:conv1d", N_("Multi-head 1-D convolution"), N_("One convolution head per group of channels"),
    "mh-backbone-conv1d-symbolic" },
  { "backbone:transformer", N_("Text transformer"), N_("Attention heads over the characters"),
    "mh-backbone-vit-symbolic" },
  { "head:classification", N_("Classification"), N_("One class of k · cross-entropy"), "mh-head-class-symbolic" },
  { "head:multilabel", N_("Multi-label"), N_("Any labels of k · binary cross-entropy"), "mh-head-multilabel-symbolic" },
  { "head:regression", N_("Box / regression"), N_("Numbers, e.g. a box · smooth-L1"), "mh-head-box-symbolic" },
};

static char *examples_dir;

const MhPaletteItem *
mh_palette_items (guint *n)
{
  *n = G_N_ELEMENTS (palette);
  return palette;
}

const MhPaletteItem *
mh_palette_find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    if (g_strcmp0 (palette[i].id, id) == 0)
      return &palette[i];
  return NULL;
}

void
mh_edits_set_examples_dir (const char *dir)
{
  g_free (examples_dir);
  examples_dir = g_strdup (dir);
}

const char *
mh_edits_get_examples_dir (void)
{
  return examples_dir;
}

/* The example whose backbone a palette backbone is: the Fashion-MNIST ones
 * for images, the nouns' or the sensors' for sequences (by what the data
 * source gives, text when there is none yet). */
static const char *
template_name (const char *kind, MhInputKind input)
{
  gboolean signals = input == MH_INPUT_SIGNALS;

  if (g_str_equal (kind, "rnn"))
    return signals ? "sensors-gru" : "german-nouns-gru";
  if (g_str_equal (kind, "conv1d"))
    return "sensors-multihead-conv";
  if (g_str_equal (kind, "transformer"))
    return "german-nouns-transformer";
  return NULL;
}

static MhProject *
load_template (const char *kind, MhInputKind input, GError **error)
{
  const char *example = template_name (kind, input);
  g_autofree char *name = example != NULL ? g_strdup_printf ("%s.mhproj", example)
                                          : g_strdup_printf ("fashion-%s.mhproj", kind);
  g_autofree char *path = NULL;

  if (examples_dir == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("the examples' folder is not known"));
      return NULL;
    }
  path = g_build_filename (examples_dir, name, NULL);
  return mh_project_load (path, error);
}

/* What the project's data source gives: text unless it is known to be
 * signals or images. */
static MhInputKind
data_input (const MhProject *p)
{

  if (p->data.kind == NULL)
    return MH_INPUT_TOKENS;
  if (g_str_equal (p->data.kind, "sensors") || g_str_equal (p->data.kind, "sensor-csv"))
    return MH_INPUT_SIGNALS;
  if (g_str_equal (p->data.kind, "german-nouns"))
    return MH_INPUT_TOKENS;
  return MH_INPUT_PIXELS;
}

/* A sequence backbone fitted to the input: characters go through an
 * embedding first, signals straight into the convolutions (a transformer
 * over signals projects each step to its width with a 1-wide convolution). */
static void
fit_backbone (GArray *layers, const char *kind, MhInputKind input)
{
  gboolean embeds = layers->len > 0 && g_strcmp0 (g_array_index (layers, MhLayerSpec, 0).type, "embedding") == 0;
  MhLayerSpec first;

  if (!g_str_equal (kind, "rnn") && !g_str_equal (kind, "conv1d") && !g_str_equal (kind, "transformer"))
    return;
  if (input == MH_INPUT_TOKENS && !embeds)
    {
      mh_layer_spec_init (&first, "embedding");
      first.name = g_strdup ("embed");
      first.dim = 48;
      g_array_prepend_val (layers, first);
    }
  else if (input == MH_INPUT_SIGNALS && embeds)
    {
      int dim = g_array_index (layers, MhLayerSpec, 0).dim;
      g_array_remove_index (layers, 0);
      mh_layer_spec_init (&first, "conv1d");
      first.name = g_strdup ("embed");
      first.filters = dim;
      first.kernel = 1;
      g_array_prepend_val (layers, first);
    }
}

char *
mh_palette_unavailable (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MhProject) template = NULL;

  if (g_str_has_prefix (id, "data:"))
    {
      if (!mh_data_kind_known (id + strlen ("data:")))
        return g_strdup (_("Not available in this version"));
      return NULL;
    }
  if (!g_str_has_prefix (id, "backbone:"))
    return NULL;
  template = load_template (id + strlen ("backbone:"), MH_INPUT_TOKENS, &error);
  if (template == NULL)
    return g_strdup_printf (_("Not available in this version (%s)"), error->message);
  return NULL;
}

char *
mh_edit_unique_head_name (const MhProject *p, const char *base)
{
  if (mh_project_find_head (p, base) == NULL)
    return g_strdup (base);
  for (guint n = 2;; n++)
    {
      g_autofree char *name = g_strdup_printf ("%s%u", base, n);
      if (mh_project_find_head (p, name) == NULL)
        return g_steal_pointer (&name);
    }
}

static void
add_head (MhProject *p, const char *kind, double x, double y, MhBlockRef *added)
{
  const MhHeadKind *k = mh_head_kind_lookup (kind) != NULL ? mh_head_kind_lookup (kind) : &mh_head_kinds[0];
  g_autofree char *name = mh_edit_unique_head_name (p, k->new_name);
  MhHeadSpec head;
  MhLayerSpec fc;

  mh_head_spec_init (&head, name, k->id, NULL);
  head.loss = g_strdup (mh_loss_name (k->loss));
  mh_layer_spec_init (&fc, "dense");
  fc.name = g_strdup ("fc");
  fc.units = 0;   /* as many as its target has */
  g_array_append_val (head.layers, fc);
  g_array_append_val (p->heads, head);
  *added = MH_BLOCK_REF (MH_BLOCK_HEAD, (int) p->heads->len - 1);
  mh_layout_set (p, *added, x, y);
}

gboolean
mh_edit_add (MhProject *p, const char *id, double x, double y, MhBlockRef *added, GError **error)
{
  const MhPaletteItem *item = mh_palette_find (id);
  MhBlockRef none;

  added = added != NULL ? added : &none;
  if (item == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("Unknown block '%s'"), id);
      return FALSE;
    }
  if (g_str_has_prefix (id, "data:"))
    {
      if (p->data.kind != NULL)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                       _("This project already has a data source: a model trains on one data set."
                       " Delete it first to use another"));
          return FALSE;
        }
      mh_data_spec_set_kind (&p->data, id + strlen ("data:"));
      *added = MH_BLOCK_REF (MH_BLOCK_DATA, 0);
    }
  else if (g_str_has_prefix (id, "backbone:"))
    {
      g_autoptr(MhProject) template = NULL;

      if (p->backbone->len > 0)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                       _("This project already has a backbone: the heads share one."
                       " Delete it first, or double-click it to edit its layers"));
          return FALSE;
        }
      template = load_template (id + strlen ("backbone:"), data_input (p), error);
      if (template == NULL)
        return FALSE;
      g_array_unref (p->backbone);
      p->backbone = mh_layer_block_copy (template->backbone);
      fit_backbone (p->backbone, id + strlen ("backbone:"), data_input (p));
      g_free (p->backbone_kind);
      p->backbone_kind = g_strdup (template->backbone_kind);
      *added = MH_BLOCK_REF (MH_BLOCK_BACKBONE, 0);
    }
  else
    {
      add_head (p, id + strlen ("head:"), x, y, added);
      return TRUE;
    }
  mh_layout_set (p, *added, x, y);
  return TRUE;
}

static int
compare_desc (gconstpointer a, gconstpointer b)
{
  return *(const int *) b - *(const int *) a;
}

void
mh_edit_delete (MhProject *p, const MhBlockRef *refs, guint n)
{
  g_autoptr(GArray) heads = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < n; i++)
    {
      if (!mh_layout_block_exists (p, refs[i]))
        continue;
      mh_layout_forget (p, refs[i]);
      if (refs[i].kind == MH_BLOCK_HEAD)
        g_array_append_val (heads, refs[i].head);
      else if (refs[i].kind == MH_BLOCK_DATA)
        {
          g_clear_pointer (&p->data.kind, g_free);
          g_clear_pointer (&p->data.path, g_free);
          for (guint h = 0; h < p->heads->len; h++)   /* their label wires go too */
            g_clear_pointer (&g_array_index (p->heads, MhHeadSpec, h).target, g_free);
        }
      else if (refs[i].kind == MH_BLOCK_BACKBONE)
        {
          g_array_set_size (p->backbone, 0);
          g_free (p->backbone_kind);
          p->backbone_kind = g_strdup ("custom");
          for (guint h = 0; h < p->heads->len; h++)
            g_clear_pointer (&g_array_index (p->heads, MhHeadSpec, h).input, g_free);
        }
    }
  g_array_sort (heads, compare_desc);
  for (guint i = 0; i < heads->len; i++)
    if (i == 0 || g_array_index (heads, int, i) != g_array_index (heads, int, i - 1))
      g_array_remove_index (p->heads, g_array_index (heads, int, i));
}

gboolean
mh_edit_duplicate (MhProject *p, MhBlockRef ref, MhBlockRef *added, GError **error)
{
  MhHeadSpec copy;
  double x, y;

  if (ref.kind != MH_BLOCK_HEAD || !mh_layout_block_exists (p, ref))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   ref.kind == MH_BLOCK_DATA
                   ? _("A project has one data source: it cannot be duplicated")
                   : _("The heads share one backbone: it cannot be duplicated"));
      return FALSE;
    }
  mh_layout_get (p, ref, &x, &y);
  mh_head_spec_copy (&g_array_index (p->heads, MhHeadSpec, ref.head), &copy);
  g_free (copy.name);
  copy.name = mh_edit_unique_head_name (p, g_array_index (p->heads, MhHeadSpec, ref.head).name);
  g_array_append_val (p->heads, copy);
  *added = MH_BLOCK_REF (MH_BLOCK_HEAD, (int) p->heads->len - 1);
  mh_layout_set (p, *added, x + 40, y + 40);
  return TRUE;
}

gboolean
mh_port_is_output (MhPortKind kind)
{
  return kind == MH_PORT_IMAGE || kind == MH_PORT_FIELD || kind == MH_PORT_TAP;
}

static const char *
field_holds (MhFieldKind kind)
{
  return kind == MH_FIELD_CLASS ? _("one class per image")
       : kind == MH_FIELD_LABELS ? _("a set of labels per image") : "numbers";
}

/* A head of `kind` can learn a field of `field_kind`; else why not. */
static gboolean
check_target (const char *kind, const MhField *f, GError **error)
{
  const MhHeadKind *k = mh_head_kind_lookup (kind);
  const char *wants, *use;

  if (k == NULL || k->field == f->kind)
    return TRUE;
  wants = k->field == MH_FIELD_CLASS ? _("a classification head predicts one class")
        : k->field == MH_FIELD_LABELS ? _("a multi-label head predicts a set of labels")
        : _("a box/regression head predicts numbers");
  use = k->field == MH_FIELD_CLASS ? _("a class field")
      : k->field == MH_FIELD_LABELS ? _("a label-set field, or use a classification head")
      : _("a numbers field (such as a box), or use a classification head");
  g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("Cannot connect: %s, but '%s' holds %s (%d %s): connect it to %s"),
               wants, f->name, field_holds (f->kind), f->dim,
               f->kind == MH_FIELD_NUMBERS ? ngettext ("number", "numbers", f->dim)
               : f->kind == MH_FIELD_LABELS ? ngettext ("label", "labels", f->dim) : ngettext ("class", "classes", f->dim),
               use);
  return FALSE;
}

/* The head's layers on the shape of `tap`, as mh_model_new() infers them. */
static gboolean
check_input (const MhProject *p, const MhAnalysis *a, guint head, int tap, GError **error)
{
  const MhHeadSpec *spec = &g_array_index (p->heads, MhHeadSpec, head);
  MhShape shape;

  if (a->schema == NULL || tap < 0 || (guint) tap >= a->shapes->len)
    return TRUE;   /* nothing known to check against */
  shape = g_array_index (a->shapes, MhShape, tap);
  for (guint i = 0; i < spec->layers->len; i++)
    {
      const MhLayerSpec *ls = &g_array_index (spec->layers, MhLayerSpec, i);
      g_autoptr(GError) infer_error = NULL;
      g_autofree char *name = NULL;
      MhLayer *l;
      gboolean ok;

      if (mh_layer_class_lookup (ls->type) == NULL)
        return TRUE;
      name = mh_block_layer_name (spec->layers, i);
      l = mh_layer_new (ls, name);
      if (l->klass == &mh_dense_class && l->spec.units == 0)
        l->spec.units = 1;
      l->in = shape;
      ok = l->klass->infer (l, &infer_error);
      shape = l->out;
      mh_layer_free (l);
      if (!ok)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_SHAPE, _("Cannot connect: heads[%u].layers[%u]: %s"),
                       head, i, infer_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
refuse (GError **error, const char *message)
{
  g_set_error_literal (error, MH_ERROR, MH_ERROR_INVALID, message);
  return FALSE;
}

gboolean
mh_edit_connect (MhProject *p, const MhAnalysis *a, MhPortRef from, MhPortRef to, GError **error)
{
  if (!mh_port_is_output (from.kind))   /* wires are stored output → input */
    {
      MhPortRef t = from;
      from = to, to = t;
    }
  if (!mh_port_is_output (from.kind))
    return refuse (error, _("Cannot connect two inputs: drag from an output (right side) to an input (left side)"));
  if (mh_port_is_output (to.kind))
    return refuse (error, _("Cannot connect two outputs: drag from an output (right side) to an input (left side)"));

  if (from.kind == MH_PORT_FIELD && to.kind == MH_PORT_HEAD_TARGET)
    {
      MhHeadSpec *head = &g_array_index (p->heads, MhHeadSpec, to.index);
      const MhField *f;

      if (a->schema == NULL || from.index < 0 || from.index >= a->schema->n_fields)
        return refuse (error, _("Cannot connect: the data source has no such field"));
      f = &a->schema->fields[from.index];
      if (!check_target (head->kind, f, error))
        return FALSE;
      g_free (head->target);
      head->target = g_strdup (f->name);
      return TRUE;
    }
  if (from.kind == MH_PORT_TAP && to.kind == MH_PORT_HEAD_IN)
    {
      MhHeadSpec *head = &g_array_index (p->heads, MhHeadSpec, to.index);

      if (from.index < 0 || (guint) from.index >= p->backbone->len)
        return refuse (error, _("Cannot connect: the backbone has no such layer"));
      if (!check_input (p, a, (guint) to.index, from.index, error))
        return FALSE;
      g_free (head->input);
      head->input = (guint) from.index + 1 == p->backbone->len
                    ? NULL : mh_block_layer_name (p->backbone, (guint) from.index);
      return TRUE;
    }
  if (from.kind == MH_PORT_IMAGE && to.kind == MH_PORT_BACKBONE_IN)
    return TRUE;   /* the backbone always reads the data source's images */
  if (from.kind == MH_PORT_FIELD)
    return refuse (error, to.kind == MH_PORT_BACKBONE_IN
                   ? _("Cannot connect: the backbone reads images, not labels")
                   : _("Cannot connect: a label field goes to a head's target port (the diamond)"));
  if (from.kind == MH_PORT_IMAGE)
    return refuse (error, _("Cannot connect: the images go to the backbone's input; heads read the backbone's features"));
  return refuse (error, to.kind == MH_PORT_HEAD_TARGET
                 ? _("Cannot connect: a head's target port takes a label field of the data source")
                 : _("Cannot connect: a backbone cannot read its own features"));
}

void
mh_edit_disconnect_target (MhProject *p, guint head)
{
  g_return_if_fail (head < p->heads->len);
  g_clear_pointer (&g_array_index (p->heads, MhHeadSpec, head).target, g_free);
}
