/* mh-inspector-private.h — shared by mh-inspector.c (the panel, its groups
 * and edits) and mh-inspector-layers.c (the layer list of a block). */
#pragma once

#include "mh-inspector.h"

G_BEGIN_DECLS

typedef enum {
  F_NAME, F_BATCH, F_EPOCHS, F_SEED, F_OPT_KIND, F_LR, F_MOMENTUM, F_WEIGHT_DECAY, F_CLIP,
  F_SCHED_KIND, F_WARMUP, F_MIN_LR, F_BALANCING,
  F_DATA_PATH, F_DATA_VALIDATION, F_DATA_SEED, F_DATA_SIZE, F_DATA_TRAIN, F_DATA_TEST, F_DATA_WIDTH,
  F_DATA_HEIGHT, F_DATA_CHANNELS, F_DATA_TEST_FRACTION, F_DATA_LENGTH, F_AUG_SHIFT, F_AUG_FLIP,
  F_VIT_PATCH, F_VIT_DIM, F_VIT_DEPTH, F_VIT_HEADS, F_VIT_MLP_RATIO,
  F_SEQ_CELL, F_SEQ_HIDDEN, F_SEQ_LAYERS, F_SEQ_BIDIRECTIONAL, F_SEQ_HEADS, F_SEQ_KERNEL, F_SEQ_FILTERS,
  F_BB_KIND, F_BB_FROZEN,
  F_HEAD_NAME, F_HEAD_KIND, F_HEAD_TARGET, F_HEAD_INPUT, F_HEAD_LOSS, F_HEAD_WEIGHT, F_HEAD_FROZEN,
  F_LAYER_NAME, F_LAYER_KEY, F_LAYER_FROZEN, F_LAYER_BIDIRECTIONAL, F_LAYER_MODE, F_LAYER_UP, F_LAYER_DOWN, F_LAYER_REMOVE, F_LAYER_ADD,
} Field;

/* What a row edits: a field of the project, of a head (block ≥ 0) or of the
 * backbone (block -1), of one of their layers. */
typedef struct {
  MhInspector *self;
  Field        field;
  int          block;
  int          layer;
  const char  *key;        /* F_LAYER_KEY: the layer key; F_LAYER_ADD: the type */
  char       **choices;    /* combo rows: the values, in order */
} Binding;

struct _MhInspector
{
  GtkWidget    parent_instance;

  MhDocument  *document;
  gulong       changed_id;
  MhBlockRef   block;
  GtkWidget   *scroller;
  GtkWidget   *page;        /* GtkBox of groups, rebuilt */
  GtkWidget   *problem;     /* AdwActionRow saying what is wrong, in place */
  gboolean     committing;
  gboolean     training;    /* the window's model trains */  /* our own edit: keep the widgets (and the focus) */
  GHashTable  *open_layers; /* "block:layer" of expanded layer rows */
};

/* mh-inspector.c */
Binding   *_mh_inspector_bind       (GtkWidget *row, MhInspector *self, Field field, int block,
                                     int layer, const char *key);
GtkWidget *_mh_inspector_spin_row   (MhInspector *self, const char *title, const char *subtitle,
                                     double value, double lower, double upper, double step,
                                     guint digits, Field field, int block, int layer,
                                     const char *key);
GtkWidget *_mh_inspector_switch_row (MhInspector *self, const char *title, const char *subtitle,
                                     gboolean active, Field field, int block, int layer);
GtkWidget *_mh_inspector_entry_row  (MhInspector *self, const char *title, const char *text,
                                     Field field, int block, int layer);
GtkWidget *_mh_inspector_combo_row  (MhInspector *self, const char *title, const char *subtitle,
                                     const char *const *values, const char *const *titles,
                                     const char *current, Field field, int block);
/* A preferences group appended to the page. */
GtkWidget *_mh_inspector_group      (MhInspector *self, const char *title, const char *description);
void       _mh_inspector_apply      (Binding *b, const GValue *value);
void       _mh_inspector_set_string (char **field, const char *value);

/* mh-inspector-data.c: the data source's page and its edits */
void        _mh_inspector_data_page  (MhInspector *self, const MhProject *p, const MhAnalysis *a);
const char *_mh_inspector_apply_data (MhInspector *self, MhProject *p, Binding *b, const GValue *value,
                                      gboolean *rebuild);

/* mh-inspector-layers.c */
GtkWidget *_mh_inspector_layers_group (MhInspector *self, int block);
/* The vision transformer's settings (patch, width, depth, heads, MLP
 * ratio) over its layers, when the backbone has them; else NULL. */
GtkWidget *_mh_inspector_vit_group  (MhInspector *self, const MhProject *p);
const char *_mh_inspector_apply_vit (MhInspector *self, MhProject *p, Binding *b, const GValue *value,
                                     gboolean *rebuild);
/* mh-inspector-sequence.c: a recurrent backbone's settings (cell, state
 * size, stacked layers, both directions) or a multi-head convolution's
 * (heads, kernel, filters, and the channels each head reads), over its
 * layers; NULL for other backbones. */
GtkWidget  *_mh_inspector_sequence_group (MhInspector *self, const MhProject *p, const MhAnalysis *a);
const char *_mh_inspector_apply_sequence (MhInspector *self, MhProject *p, Binding *b, const GValue *value,
                                          gboolean *rebuild);

/* Apply a layer edit to `p`; returns the undo label, or NULL for no change. */
const char *_mh_inspector_apply_layer (MhInspector *self, MhProject *p, Binding *b,
                                       const GValue *value, gboolean *rebuild);

G_END_DECLS
