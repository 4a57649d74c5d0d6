/* mh-inspector-sequence.c — a sequence backbone's settings in the
 * inspector, set for all its layers at once (each layer below has them
 * too): a recurrent backbone's cell (GRU or LSTM), state size, stacked
 * layers and directions; a multi-head convolution's heads (the channel
 * groups of its first convolution), kernel and filters, and the channels
 * each head reads, layer by layer. */
#include <glib/gi18n.h>
#include "mh-inspector-private.h"

static const char *const cell_values[] = { "gru", "lstm", NULL };
static const char *const cell_titles[] = { N_("GRU"), N_("LSTM"), NULL };

static gboolean
is_type (const MhLayerSpec *spec, const char *type)
{
  return g_strcmp0 (spec->type, type) == 0;
}

static gboolean
is_recurrent (const MhLayerSpec *spec)
{
  return is_type (spec, "gru") || is_type (spec, "lstm");
}

/* The first layer that `test` accepts, or NULL. */
static MhLayerSpec *
first_of (GArray *layers, gboolean (*test) (const MhLayerSpec *))
{
  for (guint i = 0; i < layers->len; i++)
    if (test (&g_array_index (layers, MhLayerSpec, i)))
      return &g_array_index (layers, MhLayerSpec, i);
  return NULL;
}

static gboolean
is_conv1d (const MhLayerSpec *spec)
{
  return is_type (spec, "conv1d");
}

const char *
_mh_inspector_apply_sequence (MhInspector *self, MhProject *p, Binding *b, const GValue *v, gboolean *rebuild)
{
  double x = G_VALUE_HOLDS_DOUBLE (v) ? g_value_get_double (v) : 0;
  MhLayerSpec *conv = first_of (p->backbone, is_conv1d);
  const char *label = NULL;

  *rebuild = TRUE;   /* the layer rows below show the same values */
  for (guint i = 0; i < p->backbone->len; i++)
    {
      MhLayerSpec *spec = &g_array_index (p->backbone, MhLayerSpec, i);
      if (!is_recurrent (spec))
        continue;
      switch (b->field)
        {
        case F_SEQ_CELL:
          if (G_VALUE_HOLDS_STRING (v) && g_value_get_string (v) != NULL
              && g_strv_contains (cell_values, g_value_get_string (v)))
            {
              g_free (spec->type);
              spec->type = g_value_dup_string (v);
              label = _("Change Recurrent Cell");
            }
          break;
        case F_SEQ_HIDDEN: spec->hidden = (int) x; label = _("Change State Size"); break;
        case F_SEQ_LAYERS: spec->num_layers = (int) x; label = _("Change Stacked Layers"); break;
        case F_SEQ_BIDIRECTIONAL:
          spec->bidirectional = G_VALUE_HOLDS_BOOLEAN (v) && g_value_get_boolean (v);
          label = _("Change Direction");
          break;
        default:
          break;
        }
    }
  if (conv == NULL)
    return label;
  switch (b->field)
    {
    case F_SEQ_HEADS: conv->groups = (int) x; return _("Change Convolution Heads");
    case F_SEQ_KERNEL:
    case F_SEQ_FILTERS:
      for (guint i = 0; i < p->backbone->len; i++)
        {
          MhLayerSpec *spec = &g_array_index (p->backbone, MhLayerSpec, i);
          if (!is_conv1d (spec))
            continue;
          if (b->field == F_SEQ_KERNEL)
            spec->kernel = (int) x;
          else if (spec == conv)
            spec->filters = (int) x;   /* the heads' filters; later layers keep theirs */
        }
      return b->field == F_SEQ_KERNEL ? _("Change Kernel Size") : _("Change Filters");
    default:
      return label;
    }
}

static GtkWidget *
spin (MhInspector *self, const char *title, const char *subtitle, double value, double lower, double upper,
      double step, Field field)
{
  return _mh_inspector_spin_row (self, title, subtitle, value, lower, upper, step, 0, field, -1, -1, NULL);
}

static void
recurrent_rows (MhInspector *self, GtkWidget *g, const MhLayerSpec *rnn)
{
  g_autofree char *t0 = g_strdup (_(cell_titles[0])), *t1 = g_strdup (_(cell_titles[1]));
  const char *titles[] = { t0, t1, NULL };

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                             _mh_inspector_combo_row (self, _("Cell"), _("GRU: two gates; LSTM: three and a memory"),
                                                      cell_values, titles, rnn->type, F_SEQ_CELL, -1));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                             spin (self, _("Hidden size"), _("Numbers in the state, each direction"), rnn->hidden,
                                   1, 4096, 16, F_SEQ_HIDDEN));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                             spin (self, _("Layers"), _("Recurrent layers stacked, each reading the one before"),
                                   rnn->num_layers, 1, 4, 1, F_SEQ_LAYERS));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                             _mh_inspector_switch_row (self, _("Bidirectional"),
                                                       _("A second pass from the end: a word is read both ways"),
                                                       rnn->bidirectional, F_SEQ_BIDIRECTIONAL, -1, -1));
}

static void
conv_rows (MhInspector *self, GtkWidget *g, const MhProject *p, const MhAnalysis *a, const MhLayerSpec *conv)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                             spin (self, _("Heads"), _("Independent convolutions, one per group of channels: the "
                                                       "channels must split evenly"),
                                   conv->groups, 1, 512, 1, F_SEQ_HEADS));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                             spin (self, _("Kernel"), _("Time steps each filter sees (every convolution)"),
                                   conv->kernel, 1, 31, 1, F_SEQ_KERNEL));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g),
                             spin (self, _("Filters"), _("The heads’ outputs together (split evenly between them)"),
                                   conv->filters, 1, 4096, 1, F_SEQ_FILTERS));
  /* what each head reads, for every grouped convolution */
  for (guint i = 0; i < p->backbone->len; i++)
    {
      g_auto(GStrv) lanes = mh_analysis_conv_lanes (a, p, i);
      g_autofree char *name = NULL, *title = NULL, *list = NULL;
      GtkWidget *row;

      if (lanes == NULL)
        continue;
      name = mh_block_layer_name (p->backbone, i);
      title = g_strdup_printf (_("%s: %u heads read"), name, g_strv_length (lanes));
      list = g_strjoinv (" · ", lanes);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), list);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
    }
}

GtkWidget *
_mh_inspector_sequence_group (MhInspector *self, const MhProject *p, const MhAnalysis *a)
{
  const MhLayerSpec *rnn = first_of (p->backbone, is_recurrent);
  const MhLayerSpec *conv = first_of (p->backbone, is_conv1d);
  gboolean multihead = g_strcmp0 (p->backbone_kind, "conv1d") == 0 || (conv != NULL && conv->groups > 1);
  GtkWidget *g;

  if (rnn == NULL && (conv == NULL || !multihead))
    return NULL;
  g = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g),
                                   rnn != NULL ? _("Recurrent network") : _("Multi-head convolution"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g),
                                         _("Set for every layer at once; each layer below has them too"));
  if (rnn != NULL)
    recurrent_rows (self, g, rnn);
  if (conv != NULL && multihead)
    conv_rows (self, g, p, a, conv);
  return g;
}
