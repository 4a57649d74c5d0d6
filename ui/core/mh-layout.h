/* mh-layout.h — where the blocks stand on the canvas, kept in the project's
 * "layout" (MhProject.layout, which the engine keeps as it is):
 *
 *   "layout": { "data": [x, y], "backbone": [x, y],
 *               "heads": { "<head name>": [x, y], … } }
 *
 * A block without a position gets one from an automatic layout (data on the
 * left, the backbone in the middle, the heads in a column on the right).
 * Layout nodes are never changed in place: setting a position builds a new
 * one (project copies share JSON nodes).
 */
#pragma once

#include "mh-project.h"

G_BEGIN_DECLS

typedef enum {
  MH_BLOCK_NONE,
  MH_BLOCK_DATA,
  MH_BLOCK_BACKBONE,
  MH_BLOCK_HEAD,
} MhBlockKind;

typedef struct {
  MhBlockKind kind;
  int         head;   /* MH_BLOCK_HEAD: index into the project's heads */
} MhBlockRef;

#define MH_BLOCK_REF(k, h) ((MhBlockRef) { (k), (h) })

static inline gboolean
mh_block_ref_equal (MhBlockRef a, MhBlockRef b)
{
  return a.kind == b.kind && (a.kind != MH_BLOCK_HEAD || a.head == b.head);
}

/* Whether the block is in the project (a data source, a backbone with layers, a head). */
gboolean mh_layout_block_exists (const MhProject *p, MhBlockRef ref);
/* The saved position, or the automatic one; FALSE: automatic. */
gboolean mh_layout_get (const MhProject *p, MhBlockRef ref, double *x, double *y);
void     mh_layout_set (MhProject *p, MhBlockRef ref, double x, double y);
/* Forget a block's position (deleted), or follow a head's new name. */
void     mh_layout_forget (MhProject *p, MhBlockRef ref);
void     mh_layout_rename_head (MhProject *p, const char *old_name, const char *new_name);

G_END_DECLS
