/* mh-inspector-layers.c — the layers of the backbone or of a head in the
 * inspector: one expander row per layer (its settings inside), moved up and
 * down, removed, and added from a menu of every layer type the engine has. */
#include <math.h>
#include <glib/gi18n.h>
#include <stddef.h>
#include <glib/gi18n.h>
#include "mh-inspector-private.h"
#include "mh-explanations.h"
#include "mh-schema.h"
#include "mh-teach.h"

typedef struct {
  const char *key;
  const char *title;
  gboolean    is_int;
  gsize       offset;
  double      lower, upper, step;
  guint       digits;
} LayerKey;

static const LayerKey layer_keys[] = {
  { "units", N_("Units"), TRUE, offsetof (MhLayerSpec, units), 1, 65536, 1, 0 },
  { "filters", N_("Filters"), TRUE, offsetof (MhLayerSpec, filters), 1, 4096, 1, 0 },
  { "kernel", N_("Kernel size"), TRUE, offsetof (MhLayerSpec, kernel), 1, 31, 1, 0 },
  { "stride", N_("Stride"), TRUE, offsetof (MhLayerSpec, stride), 1, 16, 1, 0 },
  { "padding", N_("Padding"), TRUE, offsetof (MhLayerSpec, padding), 0, 16, 1, 0 },
  { "size", N_("Window"), TRUE, offsetof (MhLayerSpec, size), 1, 16, 1, 0 },
  { "rate", N_("Drop rate"), FALSE, offsetof (MhLayerSpec, rate), 0, 0.95, 0.05, 2 },
  { "eps", N_("Epsilon"), FALSE, offsetof (MhLayerSpec, eps), 1e-12, 1, 1e-6, 8 },
  { "patch", N_("Patch size"), TRUE, offsetof (MhLayerSpec, patch), 1, 64, 1, 0 },
  { "dim", N_("Width (token dimension)"), TRUE, offsetof (MhLayerSpec, dim), 1, 4096, 8, 0 },
  { "heads", N_("Attention heads"), TRUE, offsetof (MhLayerSpec, heads), 1, 64, 1, 0 },
  { "hidden", N_("MLP hidden units"), TRUE, offsetof (MhLayerSpec, hidden), 1, 65536, 16, 0 },
  { "dilation", N_("Dilation"), TRUE, offsetof (MhLayerSpec, dilation), 1, 64, 1, 0 },
  { "groups", N_("Heads (channel groups)"), TRUE, offsetof (MhLayerSpec, groups), 1, 512, 1, 0 },
  { "num_layers", N_("Stacked layers"), TRUE, offsetof (MhLayerSpec, num_layers), 1, 4, 1, 0 },
  { "vocab", N_("Vocabulary (0: the data set’s)"), TRUE, offsetof (MhLayerSpec, vocab), 0, 1 << 20, 1, 0 },
};

/* The state's size of a recurrent layer is its "hidden" key too. */
static const LayerKey rnn_hidden = { "hidden", N_("State size"), TRUE, offsetof (MhLayerSpec, hidden), 1, 4096, 16, 0 };

static const LayerKey *
find_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (layer_keys); i++)
    if (g_str_equal (layer_keys[i].key, key))
      return &layer_keys[i];
  return NULL;
}

static double
key_get (const MhLayerSpec *spec, const LayerKey *k)
{
  const char *at = (const char *) spec + k->offset;
  return k->is_int ? *(const int *) at : *(const double *) at;
}

static void
key_set (MhLayerSpec *spec, const LayerKey *k, double v)
{
  char *at = (char *) spec + k->offset;

  if (k->is_int)
    *(int *) at = (int) v;
  else
    *(double *) at = v;
}

static GArray *
block_layers (const MhProject *p, int block)
{
  if (block < 0)
    return p->backbone;
  return (guint) block < p->heads->len ? g_array_index (p->heads, MhHeadSpec, block).layers : NULL;
}

static char *
open_key (int block, int layer)
{
  return g_strdup_printf ("%d:%d", block, layer);
}

/* ---- edits ------------------------------------------------------------ */

const char *
_mh_inspector_apply_layer (MhInspector *self, MhProject *p, Binding *b, const GValue *v,
                           gboolean *rebuild)
{
  GArray *layers = block_layers (p, b->block);
  MhLayerSpec *spec;
  MhLayerSpec fresh;
  int i = b->layer;

  if (layers == NULL)
    return NULL;
  if (b->field == F_LAYER_ADD)
    {
      guint at = b->block >= 0 && layers->len > 0 ? layers->len - 1 : layers->len;  /* before a head's output */
      mh_layer_spec_init (&fresh, b->key);
      if (g_str_equal (b->key, "dense"))
        fresh.units = 64;
      else if (g_str_equal (b->key, "conv2d"))
        fresh.filters = 32, fresh.kernel = 3, fresh.padding = 1;
      g_array_insert_val (layers, at, fresh);
      g_hash_table_add (self->open_layers, open_key (b->block, (int) at));
      *rebuild = TRUE;
      return _("Add Layer");
    }
  if (i < 0 || (guint) i >= layers->len)
    return NULL;
  spec = &g_array_index (layers, MhLayerSpec, i);
  switch (b->field)
    {
    case F_LAYER_NAME:
      g_free (spec->name);
      spec->name = *g_value_get_string (v) ? g_value_dup_string (v) : NULL;
      *rebuild = TRUE;
      return _("Rename Layer");
    case F_LAYER_KEY:
      key_set (spec, find_key (b->key), g_value_get_double (v));
      return _("Change Layer");
    case F_LAYER_FROZEN:
      spec->frozen = g_value_get_boolean (v);
      return spec->frozen ? _("Freeze Layer") : _("Unfreeze Layer");
    case F_LAYER_BIDIRECTIONAL:
      spec->bidirectional = g_value_get_boolean (v);
      *rebuild = TRUE;   /* the shapes after it change */
      return _("Change Direction");
    case F_LAYER_MODE:
      _mh_inspector_set_string (&spec->mode, g_value_get_string (v));
      *rebuild = TRUE;
      return _("Change Layer Mode");
    case F_LAYER_UP:
    case F_LAYER_DOWN:
      {
        int j = b->field == F_LAYER_UP ? i - 1 : i + 1;
        MhLayerSpec t;
        if (j < 0 || (guint) j >= layers->len)
          return NULL;
        t = g_array_index (layers, MhLayerSpec, i);
        g_array_index (layers, MhLayerSpec, i) = g_array_index (layers, MhLayerSpec, j);
        g_array_index (layers, MhLayerSpec, j) = t;
        *rebuild = TRUE;
        return _("Move Layer");
      }
    case F_LAYER_REMOVE:
      g_array_remove_index (layers, (guint) i);
      *rebuild = TRUE;
      return _("Remove Layer");
    default:
      return NULL;
    }
}

/* ---- the vision transformer as a whole ---------------------------------------- */

static gboolean
is_type (const MhLayerSpec *spec, const char *type)
{
  return g_strcmp0 (spec->type, type) == 0;
}

/* The first layer of `type` in the backbone, or NULL; *count: how many. */
static MhLayerSpec *
find_layer (GArray *layers, const char *type, guint *count)
{
  MhLayerSpec *first = NULL;

  if (count != NULL)
    *count = 0;
  for (guint i = 0; i < layers->len; i++)
    {
      MhLayerSpec *spec = &g_array_index (layers, MhLayerSpec, i);
      if (!is_type (spec, type))
        continue;
      if (first == NULL)
        first = spec;
      if (count != NULL)
        (*count)++;
    }
  return first;
}

/* The layer whose "dim" is the transformer's width: the patches' embedding
 * for images, the characters' for text. */
static MhLayerSpec *
width_layer (GArray *layers)
{
  MhLayerSpec *patch = find_layer (layers, "patch_embed", NULL);

  return patch != NULL ? patch : find_layer (layers, "embedding", NULL);
}

/* The MLP ratio of a block (hidden / width); 2 when there is no width. */
static double
mlp_ratio (GArray *layers)
{
  MhLayerSpec *patch = width_layer (layers);
  MhLayerSpec *block = find_layer (layers, "transformer_block", NULL);

  if (patch == NULL || block == NULL || patch->dim <= 0)
    return 2;
  return (double) block->hidden / patch->dim;
}

/* Every transformer block's hidden units to ratio × width. */
static void
set_hidden (GArray *layers, int dim, double ratio)
{
  for (guint i = 0; i < layers->len; i++)
    {
      MhLayerSpec *spec = &g_array_index (layers, MhLayerSpec, i);
      if (is_type (spec, "transformer_block"))
        spec->hidden = MAX (1, (int) lround (ratio * dim));
    }
}

/* A name for one more block: "block3" after "block2", else automatic. */
static char *
next_block_name (GArray *layers, const MhLayerSpec *last, guint depth)
{
  g_autofree char *name = g_strdup_printf ("block%u", depth + 1);

  if (last->name == NULL || !g_str_has_prefix (last->name, "block"))
    return NULL;
  for (guint i = 0; i < layers->len; i++)
    if (g_strcmp0 (g_array_index (layers, MhLayerSpec, i).name, name) == 0)
      return NULL;
  return g_steal_pointer (&name);
}

/* Blocks added after the last one (copies of it) or removed from the end. */
static void
set_depth (GArray *layers, guint depth)
{
  guint count, last = 0;

  find_layer (layers, "transformer_block", &count);
  while (count > depth && count > 1)
    {
      for (guint i = 0; i < layers->len; i++)
        if (is_type (&g_array_index (layers, MhLayerSpec, i), "transformer_block"))
          last = i;
      g_array_remove_index (layers, last);
      count--;
    }
  while (count < depth && count > 0)
    {
      MhLayerSpec copy;
      for (guint i = 0; i < layers->len; i++)
        if (is_type (&g_array_index (layers, MhLayerSpec, i), "transformer_block"))
          last = i;
      mh_layer_spec_copy (&g_array_index (layers, MhLayerSpec, last), &copy);
      g_free (copy.name);
      copy.name = next_block_name (layers, &g_array_index (layers, MhLayerSpec, last), count);
      g_array_insert_val (layers, last + 1, copy);
      count++;
    }
}

const char *
_mh_inspector_apply_vit (MhInspector *self, MhProject *p, Binding *b, const GValue *v, gboolean *rebuild)
{
  GArray *layers = p->backbone;
  MhLayerSpec *patch = width_layer (layers);
  double x = G_VALUE_HOLDS_DOUBLE (v) ? g_value_get_double (v) : 0;
  double ratio = mlp_ratio (layers);

  *rebuild = TRUE;   /* the layer rows show the same values */
  switch (b->field)
    {
    case F_VIT_PATCH:
      if (patch == NULL || !is_type (patch, "patch_embed"))
        return NULL;
      patch->patch = (int) x;
      return _("Change Patch Size");
    case F_VIT_DIM:
      if (patch == NULL)
        return NULL;
      patch->dim = (int) x;
      set_hidden (layers, patch->dim, ratio);   /* the MLP keeps its ratio */
      return _("Change Width");
    case F_VIT_DEPTH:
      set_depth (layers, (guint) x);
      return _("Change Depth");
    case F_VIT_HEADS:
      for (guint i = 0; i < layers->len; i++)
        {
          MhLayerSpec *spec = &g_array_index (layers, MhLayerSpec, i);
          if (is_type (spec, "transformer_block") || is_type (spec, "attention"))
            spec->heads = (int) x;
        }
      return _("Change Attention Heads");
    case F_VIT_MLP_RATIO:
      if (patch == NULL)
        return NULL;
      set_hidden (layers, patch->dim, x);
      return _("Change MLP Ratio");
    default:
      return NULL;
    }
}

GtkWidget *
_mh_inspector_vit_group (MhInspector *self, const MhProject *p)
{
  MhLayerSpec *patch = find_layer (p->backbone, "patch_embed", NULL);
  MhLayerSpec *width = width_layer (p->backbone);
  guint depth;
  MhLayerSpec *block = find_layer (p->backbone, "transformer_block", &depth);
  gboolean text = patch == NULL && width != NULL;
  GtkWidget *g;

  if (block == NULL && patch == NULL)
    return NULL;
  g = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), text ? _("Text transformer") : _("Vision transformer"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g),
                                         _("Set for every block at once; each layer below has them too"));
  if (patch != NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                               _mh_inspector_spin_row (self, _("Patch size"), _("Pixels a side of each token's patch"),
                                                       patch->patch, 1, 64, 1, 0, F_VIT_PATCH, -1, -1, NULL));
  if (text && g_strcmp0 (p->data.kind, "german-nouns") == 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                               _mh_inspector_spin_row (self, _("Sequence length"),
                                                       _("Characters a word (the data source’s word length)"),
                                                       p->data.length, 1, 64, 1, 0, F_DATA_LENGTH, -1, -1, NULL));
  if (width != NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                               _mh_inspector_spin_row (self, _("Width"), text ? _("Numbers per character") : _("Numbers per token"),
                                                       width->dim, 1, 4096, 8, 0, F_VIT_DIM, -1, -1, NULL));
  if (block != NULL)
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 _mh_inspector_spin_row (self, _("Depth"), _("Transformer blocks"), depth, 1, 48, 1, 0,
                                                         F_VIT_DEPTH, -1, -1, NULL));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                 _mh_inspector_spin_row (self, _("Attention heads"), _("The width must split evenly"),
                                                         block->heads, 1, 64, 1, 0, F_VIT_HEADS, -1, -1, NULL));
      if (width != NULL)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                                   _mh_inspector_spin_row (self, _("MLP ratio"), _("Hidden units per width unit"),
                                                           mlp_ratio (p->backbone), 0.25, 16, 0.25, 2,
                                                           F_VIT_MLP_RATIO, -1, -1, NULL));
    }
  return g;
}

/* ---- rows ------------------------------------------------------------- */

static void
button_clicked (GtkButton *button, Binding *b)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_BOOLEAN);
  _mh_inspector_apply (b, &v);
}

static GtkWidget *
icon_button (MhInspector *self, const char *icon, const char *tooltip, Field field, int block,
             int layer, gboolean sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);
  Binding *b = _mh_inspector_bind (button, self, field, block, layer, NULL);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_sensitive (button, sensitive);
  g_signal_connect (button, "clicked", G_CALLBACK (button_clicked), b);
  return button;
}

static void
expanded_changed (AdwExpanderRow *row, GParamSpec *pspec, MhInspector *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "open-key");

  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (self->open_layers, g_strdup (key));
  else
    g_hash_table_remove (self->open_layers, key);
}

static GtkWidget *
layer_row (MhInspector *self, const MhProject *p, const MhAnalysis *a, int block, guint i)
{
  GArray *layers = block_layers (p, block);
  const MhLayerSpec *spec = &g_array_index (layers, MhLayerSpec, i);
  const MhLayerClass *klass = mh_layer_class_lookup (spec->type);
  g_autofree char *name = mh_block_layer_name (layers, i);
  g_autofree char *what = mh_analysis_describe_layer (spec);
  g_autofree char *title = g_strdup_printf ("%s  ·  %s", name, what);
  g_autofree char *shape = NULL;
  gboolean head_output = block >= 0 && i + 1 == layers->len;
  GtkWidget *row = adw_expander_row_new ();
  g_auto(GStrv) keys = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (block < 0 && i < a->shapes->len)
    {
      g_autofree char *s = mh_analysis_shape_text (a, &g_array_index (a->shapes, MhShape, i));
      shape = g_strdup_printf ("→ %s", s);
    }
  else if (head_output)
    shape = g_strdup (_("the head's output"));
  if (shape != NULL)
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), shape);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                               icon_button (self, "go-up-symbolic", _("Move up"), F_LAYER_UP, block, (int) i, i > 0));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                               icon_button (self, "go-down-symbolic", _("Move down"), F_LAYER_DOWN, block, (int) i,
                                            i + 1 < layers->len));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                               icon_button (self, "user-trash-symbolic", _("Remove"), F_LAYER_REMOVE, block, (int) i,
                                            layers->len > 1));
  {
    /* what the layer does: its explanation (every layer type has one, test-teach) */
    g_autofree char *topic = g_strdup_printf ("layer:%s", spec->type);
    if (mh_explanations_lookup (mh_explanations_get_default (), topic) != NULL)
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), mh_teach_help_button_new (topic));
  }
  g_object_set_data_full (G_OBJECT (row), "open-key", open_key (block, (int) i), g_free);
  {
    g_autofree char *k = open_key (block, (int) i);
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), g_hash_table_contains (self->open_layers, k));
  }
  g_signal_connect (row, "notify::expanded", G_CALLBACK (expanded_changed), self);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            _mh_inspector_entry_row (self, _("Name"), spec->name, F_LAYER_NAME, block, (int) i));
  keys = klass != NULL ? g_strsplit (klass->keys, " ", -1) : g_new0 (char *, 1);
  for (guint k = 0; keys[k] != NULL; k++)
    {
      const LayerKey *lk = find_key (keys[k]);
      gboolean recurrent = is_type (spec, "gru") || is_type (spec, "lstm");
      if (g_str_equal (keys[k], "bidirectional"))
        {
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                    _mh_inspector_switch_row (self, _("Both directions"),
                                                              _("A second pass from the end; states side by side"),
                                                              spec->bidirectional, F_LAYER_BIDIRECTIONAL, block,
                                                              (int) i));
          continue;
        }
      if (g_str_equal (keys[k], "mode") && klass->modes != NULL)
        {
          GtkWidget *combo = _mh_inspector_combo_row (self, _("Mode"), NULL, klass->modes, klass->modes,
                                                      spec->mode != NULL ? spec->mode : klass->modes[0],
                                                      F_LAYER_MODE, block);
          ((Binding *) g_object_get_data (G_OBJECT (combo), "binding"))->layer = (int) i;
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), combo);
          continue;
        }
      if (recurrent && g_str_equal (keys[k], "hidden"))
        lk = &rnn_hidden;
      if (lk == NULL || *keys[k] == '\0')
        continue;
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                _mh_inspector_spin_row (self, _(lk->title),
                                                        head_output && g_str_equal (lk->key, "units")
                                                        ? _("0: as many as the target has") : NULL,
                                                        key_get (spec, lk),
                                                        head_output && g_str_equal (lk->key, "units") ? 0 : lk->lower,
                                                        lk->upper, lk->step, lk->digits, F_LAYER_KEY,
                                                        block, (int) i, lk->key));
    }
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            _mh_inspector_switch_row (self, _("Frozen"), NULL, spec->frozen, F_LAYER_FROZEN,
                                                      block, (int) i));
  return row;
}

static void
add_layer_activated (GSimpleAction *action, GVariant *param, MhInspector *self)
{
  int block = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (action), "block"));
  Binding b = { self, F_LAYER_ADD, block, -1, g_variant_get_string (param, NULL), NULL };
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_BOOLEAN);
  _mh_inspector_apply (&b, &v);
}

GtkWidget *
_mh_inspector_layers_group (MhInspector *self, int block)
{
  const MhProject *p = mh_document_get_project (self->document);
  const MhAnalysis *a = mh_document_get_analysis (self->document);
  GArray *layers = block_layers (p, block);
  GtkWidget *g = adw_preferences_group_new ();
  GtkWidget *button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("add", G_VARIANT_TYPE_STRING);
  g_auto(GStrv) types = g_strsplit (mh_layer_types (), ", ", -1);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), _("Layers"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g),
                                         block < 0 ? _("From the input to the features, in order")
                                                   : _("Hidden layers, then the output layer"));
  for (guint t = 0; types[t] != NULL; t++)
    {
      g_autofree char *detailed = g_strdup_printf ("layers.add::%s", types[t]);
      g_auto(GStrv) parts = g_strsplit (types[t], "_", -1);
      g_autofree char *label = g_strjoinv ("__", parts);   /* "patch_embed", not a mnemonic */
      g_menu_append (menu, label, detailed);
    }
  g_object_set_data (G_OBJECT (action), "block", GINT_TO_POINTER (block));
  g_signal_connect (action, "activate", G_CALLBACK (add_layer_activated), self);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (g, "layers", G_ACTION_GROUP (group));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "list-add-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_tooltip_text (button, _("Add a layer"));
  gtk_widget_add_css_class (button, "flat");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (g), button);

  for (guint i = 0; layers != NULL && i < layers->len; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), layer_row (self, p, a, block, i));
  return g;
}
