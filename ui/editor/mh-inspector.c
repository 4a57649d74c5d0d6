/* mh-inspector.c — the inspector: a page of preference groups for what is
 * selected, rebuilt when the selection or the spec changes (except after its
 * own edits, so that a spin button keeps the focus while it is typed in). */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-drop-down.h"
#include "mh-spin.h"
#include "mh-colors.h"
#include "mh-edits.h"
#include "mh-inspector-private.h"
#include "mh-teach.h"
#include "mh-kinds.h"
#include "mh-schema.h"

G_DEFINE_FINAL_TYPE (MhInspector, mh_inspector, GTK_TYPE_WIDGET)

static void rebuild (MhInspector *self);

/* ---- rows ------------------------------------------------------------- */

static void
binding_free (Binding *b)
{
  g_strfreev (b->choices);
  g_free (b);
}

Binding *
_mh_inspector_bind (GtkWidget *row, MhInspector *self, Field field, int block, int layer,
                    const char *key)
{
  Binding *b = g_new0 (Binding, 1);

  *b = (Binding) { self, field, block, layer, key, NULL };
  g_object_set_data_full (G_OBJECT (row), "binding", b, (GDestroyNotify) binding_free);
  return b;
}

static void
spin_changed (GtkSpinButton *spin, Binding *b)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, gtk_spin_button_get_value (spin));
  _mh_inspector_apply (b, &v);
}

GtkWidget *
_mh_inspector_spin_row (MhInspector *self, const char *title, const char *subtitle, double value,
                        double lower, double upper, double step, guint digits, Field field,
                        int block, int layer, const char *key)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);
  Binding *b = _mh_inspector_bind (row, self, field, block, layer, key);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  mh_spin_button_localise (GTK_SPIN_BUTTON (spin));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect (spin, "value-changed", G_CALLBACK (spin_changed), b);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  return row;
}

static void
scale_changed (GtkRange *range, Binding *b)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, round (gtk_range_get_value (range) * 20) / 20);
  _mh_inspector_apply (b, &v);
}

/* A slider for a value people turn up and down (a head's weight, live
 * while it trains); a mark at `mark`. */
static GtkWidget *
scale_row (MhInspector *self, const char *title, const char *subtitle, double value, double lower,
           double upper, double mark, Field field, int block)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, lower, upper, 0.05);
  Binding *b = _mh_inspector_bind (row, self, field, block, -1, NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_range_set_value (GTK_RANGE (scale), value);
  gtk_scale_set_digits (GTK_SCALE (scale), 2);
  gtk_scale_set_draw_value (GTK_SCALE (scale), TRUE);
  mh_scale_localise (GTK_SCALE (scale));
  gtk_scale_set_value_pos (GTK_SCALE (scale), GTK_POS_RIGHT);
  gtk_scale_add_mark (GTK_SCALE (scale), mark, GTK_POS_BOTTOM, NULL);
  gtk_widget_set_size_request (scale, 150, -1);
  gtk_widget_set_valign (scale, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect (scale, "value-changed", G_CALLBACK (scale_changed), b);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), scale);
  return row;
}

static void
switch_changed (GtkSwitch *sw, GParamSpec *pspec, Binding *b)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_BOOLEAN);
  g_value_set_boolean (&v, gtk_switch_get_active (sw));
  _mh_inspector_apply (b, &v);
}

GtkWidget *
_mh_inspector_switch_row (MhInspector *self, const char *title, const char *subtitle,
                          gboolean active, Field field, int block, int layer)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();
  Binding *b = _mh_inspector_bind (row, self, field, block, layer, NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_switch_set_active (GTK_SWITCH (sw), active);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  g_signal_connect (sw, "notify::active", G_CALLBACK (switch_changed), b);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  return row;
}

static void
entry_applied (AdwEntryRow *row, Binding *b)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, gtk_editable_get_text (GTK_EDITABLE (row)));
  _mh_inspector_apply (b, &v);
  g_value_unset (&v);
}

GtkWidget *
_mh_inspector_entry_row (MhInspector *self, const char *title, const char *text, Field field,
                         int block, int layer)
{
  GtkWidget *row = adw_entry_row_new ();
  Binding *b = _mh_inspector_bind (row, self, field, block, layer, NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  g_signal_connect (row, "apply", G_CALLBACK (entry_applied), b);
  return row;
}

static void
combo_changed (AdwComboRow *row, GParamSpec *pspec, Binding *b)
{
  GValue v = G_VALUE_INIT;
  guint selected = adw_combo_row_get_selected (row);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length (b->choices))
    return;
  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, b->choices[selected]);
  _mh_inspector_apply (b, &v);
  g_value_unset (&v);
}

/* A combo row offering `titles` for `values`; `current` selected. */
GtkWidget *
_mh_inspector_combo_row (MhInspector *self, const char *title, const char *subtitle, const char *const *values,
           const char *const *titles, const char *current, Field field, int block)
{
  GtkWidget *row = adw_combo_row_new ();
  GtkStringList *model = gtk_string_list_new ((const char *const *) titles);
  Binding *b = _mh_inspector_bind (row, self, field, block, -1, NULL);
  guint selected = GTK_INVALID_LIST_POSITION;

  b->choices = g_strdupv ((char **) values);
  for (guint i = 0; values[i] != NULL; i++)
    if (g_strcmp0 (values[i], current) == 0)
      selected = i;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_object_unref (model);
  {
    /* a long choice (in German) ellipsizes with its whole name as a tooltip */
    g_autoptr(GtkListItemFactory) shown = mh_drop_down_factory_new (TRUE);
    g_autoptr(GtkListItemFactory) list = mh_drop_down_factory_new (FALSE);
    adw_combo_row_set_factory (ADW_COMBO_ROW (row), shown);
    adw_combo_row_set_list_factory (ADW_COMBO_ROW (row), list);
  }
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_signal_connect (row, "notify::selected", G_CALLBACK (combo_changed), b);
  return row;
}

/* A combo row of one of the project's kind tables (mh-kinds.h). */
static GtkWidget *
kind_row (MhInspector *self, const char *title, const char *subtitle, const MhKind *kinds, const char *current,
          Field field, int block)
{
  g_auto(GStrv) ids = mh_kind_ids (kinds);
  g_auto(GStrv) titles = mh_kind_titles (kinds);

  return _mh_inspector_combo_row (self, title, subtitle, (const char *const *) ids, (const char *const *) titles,
                                  current, field, block);
}

GtkWidget *
_mh_inspector_group (MhInspector *self, const char *title, const char *description)
{
  GtkWidget *g = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g), description);
  gtk_box_append (GTK_BOX (self->page), g);
  return g;
}

static void
add (GtkWidget *g, GtkWidget *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
}

/* ---- edits ------------------------------------------------------------ */

void
_mh_inspector_set_string (char **field, const char *value)
{
  g_free (*field);
  *field = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}


/* Apply to the project; returns the undo label (NULL: nothing to do). */
static const char *
apply_field (MhInspector *self, MhProject *p, Binding *b, const GValue *v, gboolean *rebuild_after)
{
  MhHeadSpec *head = b->block >= 0 && (guint) b->block < p->heads->len
                     ? &g_array_index (p->heads, MhHeadSpec, b->block) : NULL;
  double d = G_VALUE_HOLDS_DOUBLE (v) ? g_value_get_double (v) : 0;
  const char *s = G_VALUE_HOLDS_STRING (v) ? g_value_get_string (v) : NULL;
  gboolean on = G_VALUE_HOLDS_BOOLEAN (v) && g_value_get_boolean (v);

  switch (b->field)
    {
    case F_NAME: _mh_inspector_set_string (&p->name, s); return _("Rename Project");
    case F_BATCH: p->batch = (int) d; return _("Change Batch Size");
    case F_EPOCHS: p->epochs = (int) d; return _("Change Epochs");
    case F_SEED: p->seed = (guint32) d; return _("Change Seed");
    case F_OPT_KIND:
      _mh_inspector_set_string (&p->optim.kind, s);
      p->optim.weight_decay = g_strcmp0 (s, "adamw") == 0 ? 0.01 : 0;
      *rebuild_after = TRUE;
      return _("Change Optimiser");
    case F_LR: p->optim.lr = d; return _("Change Learning Rate");
    case F_MOMENTUM: p->optim.momentum = d; return _("Change Momentum");
    case F_WEIGHT_DECAY: p->optim.weight_decay = d; return _("Change Weight Decay");
    case F_CLIP: p->optim.clip_norm = d; return _("Change Gradient Clipping");
    case F_SCHED_KIND: _mh_inspector_set_string (&p->schedule.kind, s); *rebuild_after = TRUE; return _("Change Schedule");
    case F_WARMUP: p->schedule.warmup_steps = (int) d; return _("Change Warm-up");
    case F_MIN_LR: p->schedule.min_lr = d; return _("Change Final Learning Rate");
    case F_BALANCING: _mh_inspector_set_string (&p->balancing, s); return _("Change Loss Balancing");
    case F_BB_KIND: _mh_inspector_set_string (&p->backbone_kind, s); return _("Change Backbone Kind");
    case F_BB_FROZEN: p->backbone_frozen = on; return on ? _("Freeze Backbone") : _("Unfreeze Backbone");
    case F_HEAD_NAME:
      if (head == NULL || s == NULL || *s == '\0')
        return NULL;
      mh_layout_rename_head (p, head->name, s);
      _mh_inspector_set_string (&head->name, s);
      return _("Rename Head");
    case F_HEAD_KIND:
      if (head == NULL)
        return NULL;
      _mh_inspector_set_string (&head->kind, s);
      _mh_inspector_set_string (&head->loss, mh_head_kind_default_loss (s));
      *rebuild_after = TRUE;
      return _("Change Head Kind");
    case F_HEAD_TARGET:
      if (head == NULL)
        return NULL;
      _mh_inspector_set_string (&head->target, s);
      return _("Change Head Target");
    case F_HEAD_INPUT:
      if (head == NULL)
        return NULL;
      _mh_inspector_set_string (&head->input, s);
      return _("Change Head Input");
    case F_HEAD_LOSS:
      if (head == NULL)
        return NULL;
      _mh_inspector_set_string (&head->loss, s);
      return _("Change Loss");
    case F_HEAD_WEIGHT:
      if (head == NULL)
        return NULL;
      head->weight = d;
      return _("Change Head Weight");
    case F_HEAD_FROZEN:
      if (head == NULL)
        return NULL;
      head->frozen = on;
      return on ? _("Freeze Head") : _("Unfreeze Head");
    default:
      if (b->field >= F_DATA_PATH && b->field <= F_AUG_FLIP)
        return _mh_inspector_apply_data (self, p, b, v, rebuild_after);
      if (b->field >= F_VIT_PATCH && b->field <= F_VIT_MLP_RATIO)
        return _mh_inspector_apply_vit (self, p, b, v, rebuild_after);
      if (b->field >= F_SEQ_CELL && b->field <= F_SEQ_FILTERS)
        return _mh_inspector_apply_sequence (self, p, b, v, rebuild_after);
      return _mh_inspector_apply_layer (self, p, b, v, rebuild_after);
    }
}

static void
update_problem (MhInspector *self);

/* Not in the handler of the row being edited: it is rebuilt too. */
static gboolean
rebuild_later (gpointer data)
{
  MhInspector *self = data;

  if (self->scroller != NULL)
    rebuild (self);
  return G_SOURCE_REMOVE;
}

void
_mh_inspector_apply (Binding *b, const GValue *value)
{
  MhInspector *self = b->self;
  g_autofree char *merge_key = NULL;
  gboolean rebuild_after = FALSE, refused;
  const char *label;
  MhProject *p;

  if (self->document == NULL || self->committing)
    return;
  p = mh_document_begin (self->document);
  label = apply_field (self, p, b, value, &rebuild_after);
  if (label == NULL)
    {
      mh_document_abort (self->document);
      return;
    }
  /* the steps of one spin button, or the keys typed in one entry, are one undo step */
  merge_key = g_strdup_printf ("inspector:%d:%d:%d:%s", b->field, b->block, b->layer,
                               b->key ? b->key : "");
  /* rebuilt at idle, never under the edited row's own signal: a spin
   * button, a switch or a combo row goes on using itself after notifying */
  self->committing = TRUE;
  refused = !mh_document_commit (self->document, label, merge_key);
  self->committing = FALSE;
  if (refused   /* (the model is training): show the spec as it is */
      || rebuild_after)
    g_idle_add_full (G_PRIORITY_HIGH_IDLE, rebuild_later, g_object_ref (self), g_object_unref);
  else
    update_problem (self);
}

/* ---- pages ------------------------------------------------------------ */

static const char *
block_problem (MhInspector *self)
{
  const MhAnalysis *a = mh_document_get_analysis (self->document);

  switch (self->block.kind)
    {
    case MH_BLOCK_DATA:
      return a->data_problem;
    case MH_BLOCK_BACKBONE:
      return a->backbone_problem;
    case MH_BLOCK_HEAD:
      return (guint) self->block.head < a->n_heads ? a->heads[self->block.head].problem : NULL;
    case MH_BLOCK_NONE:
    default:
      return a->first_problem;
    }
}

static void
update_problem (MhInspector *self)
{
  const char *problem;

  if (self->problem == NULL || self->document == NULL)
    return;
  problem = block_problem (self);
  gtk_image_set_from_icon_name (g_object_get_data (G_OBJECT (self->problem), "icon"),
                                problem != NULL ? "dialog-warning-symbolic" : "emblem-ok-symbolic");
  if (problem != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->problem), problem);
      gtk_widget_remove_css_class (self->problem, "ready");
      gtk_widget_add_css_class (self->problem, "problem");
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->problem),
                                     self->training ? _("Training: weights, balancing and the learning rate apply "
                                                      "live; other changes wait until it stops")
                                     : self->block.kind == MH_BLOCK_NONE ? _("Ready to train") : _("No problems"));
      gtk_widget_remove_css_class (self->problem, "problem");
      gtk_widget_add_css_class (self->problem, "ready");
    }
}

static void
problem_group (MhInspector *self)
{
  GtkWidget *g = _mh_inspector_group (self, NULL, NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  self->problem = adw_action_row_new ();
  gtk_widget_add_css_class (self->problem, "status-row");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->problem), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (self->problem), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self->problem), icon);
  g_object_set_data (G_OBJECT (self->problem), "icon", icon);
  add (g, self->problem);
  update_problem (self);
}

static void
project_page (MhInspector *self, const MhProject *p)
{
  GtkWidget *g;

  g = _mh_inspector_group (self, _("Project"), NULL);
  add (g, _mh_inspector_entry_row (self, _("Name"), p->name, F_NAME, -1, -1));

  g = _mh_inspector_group (self, _("Training"), NULL);
  add (g, _mh_inspector_spin_row (self, _("Batch size"), _("Samples per step"), p->batch, 1, 4096, 1, 0,
                                  F_BATCH, -1, -1, NULL));
  add (g, _mh_inspector_spin_row (self, _("Epochs"), _("Passes over the training set"), p->epochs, 0, 1000, 1, 0,
                                  F_EPOCHS, -1, -1, NULL));
  add (g, _mh_inspector_spin_row (self, _("Seed"), _("Same seed, same run"), p->seed, 0, 4294967295.0, 1, 0,
                                  F_SEED, -1, -1, NULL));

  g = _mh_inspector_group (self, _("Optimiser"), NULL);
  add (g, kind_row (self, _("Method"), NULL, mh_optimizer_kinds, p->optim.kind, F_OPT_KIND, -1));
  add (g, _mh_inspector_spin_row (self, _("Learning rate"), NULL, p->optim.lr, 1e-6, 10, 1e-4, 5,
                                  F_LR, -1, -1, NULL));
  if (g_strcmp0 (p->optim.kind, "sgd") == 0)
    add (g, _mh_inspector_spin_row (self, _("Momentum"), NULL, p->optim.momentum, 0, 0.999, 0.01, 3,
                                    F_MOMENTUM, -1, -1, NULL));
  add (g, _mh_inspector_spin_row (self, _("Weight decay"), NULL, p->optim.weight_decay, 0, 1, 0.001, 4,
                                  F_WEIGHT_DECAY, -1, -1, NULL));
  add (g, _mh_inspector_spin_row (self, _("Gradient clipping"), _("Largest gradient norm; 0: none"),
                                  p->optim.clip_norm, 0, 1000, 0.5, 2, F_CLIP, -1, -1, NULL));

  g = _mh_inspector_group (self, _("Schedule"), NULL);
  add (g, kind_row (self, _("Learning rate"), NULL, mh_schedule_kinds, p->schedule.kind, F_SCHED_KIND, -1));
  if (g_strcmp0 (p->schedule.kind, "cosine") == 0)
    {
      add (g, _mh_inspector_spin_row (self, _("Warm-up steps"), NULL, p->schedule.warmup_steps, 0, 1e6, 10, 0,
                                      F_WARMUP, -1, -1, NULL));
      add (g, _mh_inspector_spin_row (self, _("Final learning rate"), NULL, p->schedule.min_lr, 0, 10, 1e-5, 6,
                                      F_MIN_LR, -1, -1, NULL));
    }

  g = _mh_inspector_group (self, _("Multi-task loss"), _("Total loss J = Σ wᵢ Jᵢ over the heads"));
  {
    g_autofree char *topic = g_strdup_printf ("balance:%s", p->balancing ? p->balancing : "fixed");
    GtkWidget *row = kind_row (self, _("Head weights"), _("Changes apply at the next step, also while it trains"),
                               mh_balancing_methods, p->balancing, F_BALANCING, -1);
    gtk_widget_set_name (row, "inspector-balancing");
    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (g), mh_teach_help_button_new (topic));
    add (g, row);
  }
}

static void
backbone_page (MhInspector *self, const MhProject *p)
{
  const MhAnalysis *a = mh_document_get_analysis (self->document);
  gboolean sequences = a->schema != NULL && a->schema->input != MH_INPUT_PIXELS;
  GtkWidget *g = _mh_inspector_group (self, _("Backbone"),
                                      sequences ? _("Shared by every head: it turns the sequence into features")
                                                : _("Shared by every head: it turns images into features"));
  g_autofree char *topic = g_strdup_printf ("backbone:%s", p->backbone_kind ? p->backbone_kind : "custom");

  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (g), mh_teach_help_button_new (topic));

  add (g, kind_row (self, _("Kind"), NULL, mh_backbone_kinds, p->backbone_kind, F_BB_KIND, -1));
  add (g, _mh_inspector_switch_row (self, _("Frozen"), _("Keep its weights; train only the heads"),
                                    p->backbone_frozen, F_BB_FROZEN, -1, -1));
  g = _mh_inspector_vit_group (self, p);
  if (g != NULL)
    gtk_box_append (GTK_BOX (self->page), g);
  g = _mh_inspector_sequence_group (self, p, mh_document_get_analysis (self->document));
  if (g != NULL)
    gtk_box_append (GTK_BOX (self->page), g);
  gtk_box_append (GTK_BOX (self->page), _mh_inspector_layers_group (self, -1));
}

static void
head_page (MhInspector *self, const MhProject *p, const MhAnalysis *a, int index)
{
  const MhHeadSpec *head = &g_array_index (p->heads, MhHeadSpec, index);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) taps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tap_titles = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **losses = NULL;
  g_autofree char *swatch = mh_head_color_class ((guint) index);
  GtkWidget *g, *dot, *row;
  g_autofree char *head_topic = g_strdup_printf ("head:%s", head->kind);
  g_autofree char *loss_topic = NULL;

  g = _mh_inspector_group (self, _("Head"), NULL);
  dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (dot, "head-swatch");
  gtk_widget_add_css_class (dot, swatch);
  gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_box_append (GTK_BOX (row), dot);
  gtk_box_append (GTK_BOX (row), mh_teach_help_button_new (head_topic));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (g), row);
  add (g, _mh_inspector_entry_row (self, _("Name"), head->name, F_HEAD_NAME, index, -1));
  {
    g_auto(GStrv) kinds = mh_head_kind_ids ();
    g_auto(GStrv) titles = mh_head_kind_titles ();
    add (g, _mh_inspector_combo_row (self, _("Kind"), NULL, (const char *const *) kinds, (const char *const *) titles,
                                     head->kind, F_HEAD_KIND, index));
  }

  for (int i = 0; a->schema != NULL && i < a->schema->n_fields; i++)
    g_ptr_array_add (fields, g_strdup (a->schema->fields[i].name));
  g_ptr_array_add (fields, NULL);
  add (g, _mh_inspector_combo_row (self, _("Target"), _("The label field it learns"), (const char *const *) fields->pdata,
                     (const char *const *) fields->pdata, head->target, F_HEAD_TARGET, index));

  g_ptr_array_add (taps, g_strdup (""));
  g_ptr_array_add (tap_titles, g_strdup (_("The backbone's output")));
  for (guint i = 0; i + 1 < p->backbone->len; i++)
    {
      char *name = mh_block_layer_name (p->backbone, i);
      g_ptr_array_add (taps, name);
      g_ptr_array_add (tap_titles, g_strdup_printf (_("Layer %s"), name));
    }
  g_ptr_array_add (taps, NULL);
  g_ptr_array_add (tap_titles, NULL);
  add (g, _mh_inspector_combo_row (self, _("Input"), _("The backbone layer it reads"), (const char *const *) taps->pdata,
                     (const char *const *) tap_titles->pdata, head->input ? head->input : "",
                     F_HEAD_INPUT, index));

  losses = mh_head_kind_loss_ids (mh_head_kind_lookup (head->kind) ? mh_head_kind_lookup (head->kind)
                                                                   : &mh_head_kinds[0]);
  row = _mh_inspector_combo_row (self, _("Loss"), NULL, losses, losses, head->loss ? head->loss : losses[0],
                                 F_HEAD_LOSS, index);
  loss_topic = g_strdup_printf ("loss:%s", head->loss ? head->loss : losses[0]);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), mh_teach_help_button_new (loss_topic));
  gtk_widget_set_name (row, "inspector-loss");
  add (g, row);
  row = scale_row (self, _("Weight"), _("wᵢ in the total loss; live while it trains"), head->weight, 0,
                   MAX (3, head->weight), 1, F_HEAD_WEIGHT, index);
  gtk_widget_set_name (row, "inspector-head-weight");   /* for lessons (docs/lessons.md) */
  add (g, row);
  add (g, _mh_inspector_switch_row (self, _("Frozen"), _("Keep its weights"), head->frozen, F_HEAD_FROZEN,
                                    index, -1));
  gtk_box_append (GTK_BOX (self->page), _mh_inspector_layers_group (self, index));
}

/* The binding of the row that holds `widget`, or NULL. */
static Binding *
binding_of (GtkWidget *widget, GtkWidget *page)
{
  for (; widget != NULL && widget != page; widget = gtk_widget_get_parent (widget))
    {
      Binding *b = g_object_get_data (G_OBJECT (widget), "binding");
      if (b != NULL)
        return b;
    }
  return NULL;
}

/* The row of the new page bound like `want`, depth first. */
static GtkWidget *
find_bound (GtkWidget *widget, const Binding *want)
{
  Binding *b = g_object_get_data (G_OBJECT (widget), "binding");

  if (b != NULL && b->field == want->field && b->block == want->block && b->layer == want->layer
      && g_strcmp0 (b->key, want->key) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_bound (c, want);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void build_page (MhInspector *self);

/* A new page, with the focus where it was (on the row of the same field),
 * so that a spin button clicked or typed in keeps it. */
static void
rebuild (MhInspector *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  Binding *had = focus != NULL && self->page != NULL && gtk_widget_is_ancestor (focus, self->page)
                 ? binding_of (focus, self->page) : NULL;
  Binding want = { 0 };
  g_autofree char *key = NULL;
  GtkWidget *row, *target;

  if (had != NULL)
    {
      want = *had;
      want.key = key = g_strdup (had->key);
    }
  build_page (self);
  if (had == NULL || (row = find_bound (self->page, &want)) == NULL)
    return;
  target = find_type (row, GTK_TYPE_SPIN_BUTTON);
  gtk_widget_grab_focus (target != NULL ? target : row);
}

static void
build_page (MhInspector *self)
{
  const MhProject *p;
  const MhAnalysis *a;
  double scroll = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)));

  self->page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_set_margin_top (self->page, 18);
  gtk_widget_set_margin_bottom (self->page, 24);
  gtk_widget_set_margin_start (self->page, 18);
  gtk_widget_set_margin_end (self->page, 18);
  self->problem = NULL;
  if (self->document != NULL)
    {
      p = mh_document_get_project (self->document);
      a = mh_document_get_analysis (self->document);
      if (!mh_layout_block_exists (p, self->block))
        self->block = MH_BLOCK_REF (MH_BLOCK_NONE, 0);
      problem_group (self);
      switch (self->block.kind)
        {
        case MH_BLOCK_DATA: _mh_inspector_data_page (self, p, a); break;
        case MH_BLOCK_BACKBONE: backbone_page (self, p); break;
        case MH_BLOCK_HEAD: head_page (self, p, a, self->block.head); break;
        case MH_BLOCK_NONE:
        default: project_page (self, p); break;
        }
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->page);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), scroll);
}

static void
document_changed (MhInspector *self)
{
  if (!self->committing)
    rebuild (self);
}

/* ---- class ------------------------------------------------------------ */

GtkWidget *
mh_inspector_new (void)
{
  return g_object_new (MH_TYPE_INSPECTOR, NULL);
}

void
mh_inspector_set_document (MhInspector *self, MhDocument *document)
{
  g_return_if_fail (MH_IS_INSPECTOR (self));

  if (self->document != NULL)
    g_clear_signal_handler (&self->changed_id, self->document);
  g_set_object (&self->document, document);
  if (document != NULL)
    self->changed_id = g_signal_connect_swapped (document, "changed", G_CALLBACK (document_changed), self);
  self->block = MH_BLOCK_REF (MH_BLOCK_NONE, 0);
  g_hash_table_remove_all (self->open_layers);
  rebuild (self);
}

void
mh_inspector_set_block (MhInspector *self, MhBlockRef ref)
{
  g_return_if_fail (MH_IS_INSPECTOR (self));

  if (mh_block_ref_equal (ref, self->block))
    return;
  self->block = ref;
  rebuild (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
}

void
mh_inspector_set_training (MhInspector *self, gboolean training)
{
  g_return_if_fail (MH_IS_INSPECTOR (self));

  if (self->training == training)
    return;
  self->training = training;
  update_problem (self);
}

static void
mh_inspector_dispose (GObject *object)
{
  MhInspector *self = MH_INSPECTOR (object);

  if (self->document != NULL)
    g_clear_signal_handler (&self->changed_id, self->document);
  g_clear_object (&self->document);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_pointer (&self->open_layers, g_hash_table_unref);

  G_OBJECT_CLASS (mh_inspector_parent_class)->dispose (object);
}

static void
mh_inspector_class_init (MhInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_inspector_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-inspector");
}

static void
mh_inspector_init (MhInspector *self)
{
  self->open_layers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  rebuild (self);
}
