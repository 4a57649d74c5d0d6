/* mh-edits.h — the edits the canvas and the inspector make to a project
 * spec, each checked first: an edit that cannot work is refused with the
 * reason (a GError whose message the user reads), and the spec is untouched.
 *
 * Plain C: no widgets.  The caller wraps each in mh_document_begin/commit.
 */
#pragma once

#include "mh-analysis.h"
#include "mh-layout.h"

G_BEGIN_DECLS

/* What the palette offers: "data:fashion-mnist", "backbone:mlp",
 * "backbone:cnn", "backbone:vit", "head:classification", "head:multilabel",
 * "head:regression". */
typedef struct {
  const char *id;
  const char *title;
  const char *subtitle;
  const char *icon;
} MhPaletteItem;

const MhPaletteItem *mh_palette_items (guint *n);
const MhPaletteItem *mh_palette_find (const char *id);

/* Where the examples (the backbone templates) are. */
void        mh_edits_set_examples_dir (const char *dir);
const char *mh_edits_get_examples_dir (void);   /* NULL: not known */
/* NULL if the item can be added to some project, else why not (e.g. the
 * engine lacks the layers of a vision transformer). */
char       *mh_palette_unavailable (const char *id);

/* Add the item; the new block is returned in `added`. */
gboolean    mh_edit_add (MhProject *p, const char *id, double x, double y,
                         MhBlockRef *added, GError **error);
/* Remove blocks (any order); wires to them go too. */
void        mh_edit_delete (MhProject *p, const MhBlockRef *refs, guint n);
/* A copy of a head next to it; data sources and backbones are one per project. */
gboolean    mh_edit_duplicate (MhProject *p, MhBlockRef ref, MhBlockRef *added, GError **error);

typedef enum {
  MH_PORT_IMAGE,         /* data source: the images (out) */
  MH_PORT_FIELD,         /* data source: a label field (out); index: the field */
  MH_PORT_BACKBONE_IN,   /* backbone: its input */
  MH_PORT_TAP,           /* backbone: a layer's output; index: the layer */
  MH_PORT_HEAD_IN,       /* head: what it reads; index: the head */
  MH_PORT_HEAD_TARGET,   /* head: the label it learns; index: the head */
} MhPortKind;

typedef struct {
  MhPortKind kind;
  int        index;
} MhPortRef;

gboolean    mh_port_is_output (MhPortKind kind);
/* Connect two ports (either order): a field to a head's target, a backbone
 * layer to a head's input.  The analysis is the project's current one. */
gboolean    mh_edit_connect (MhProject *p, const MhAnalysis *a, MhPortRef from, MhPortRef to,
                             GError **error);
/* A head's target wire removed. */
void        mh_edit_disconnect_target (MhProject *p, guint head);

/* A name for a new head, unique in the project ("category", "box2"). */
char       *mh_edit_unique_head_name (const MhProject *p, const char *base);

G_END_DECLS
