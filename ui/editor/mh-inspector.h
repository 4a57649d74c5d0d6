/* mh-inspector.h — the side panel that edits the selected block (data
 * source, backbone and its layers, a head) or, with nothing selected, the
 * project's training settings.  Every change is one undoable, validated edit. */
#pragma once

#include <adwaita.h>
#include "mh-document.h"
#include "mh-layout.h"

G_BEGIN_DECLS

#define MH_TYPE_INSPECTOR (mh_inspector_get_type ())
G_DECLARE_FINAL_TYPE (MhInspector, mh_inspector, MH, INSPECTOR, GtkWidget)

GtkWidget *mh_inspector_new           (void);
void       mh_inspector_set_document  (MhInspector *self, MhDocument *document);
/* What to edit: a block, or MH_BLOCK_NONE for the project. */
void       mh_inspector_set_block     (MhInspector *self, MhBlockRef ref);
/* While the model trains, the status row says so (not "Ready to train"). */
void       mh_inspector_set_training  (MhInspector *self, gboolean training);

G_END_DECLS
