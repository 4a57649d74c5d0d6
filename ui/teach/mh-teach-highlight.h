/* mh-teach-highlight.h — the lesson's pointer: laid over the whole window
 * (it takes no input), it draws a ring around the part of the window the
 * step is about and dims the rest a little.  It follows the target as the
 * window's layout moves (looking again a few times a second). */
#pragma once

#include "mh-window.h"

G_BEGIN_DECLS

#define MH_TYPE_TEACH_HIGHLIGHT (mh_teach_highlight_get_type ())
G_DECLARE_FINAL_TYPE (MhTeachHighlight, mh_teach_highlight, MH, TEACH_HIGHLIGHT, GtkWidget)

GtkWidget *mh_teach_highlight_new        (MhWindow *window);
/* The target (mh-teach-target.h), or NULL for none. */
void       mh_teach_highlight_set_target (MhTeachHighlight *self, const char *target);
/* Where the ring is, in the highlight's coordinates; FALSE when the
 * target is not on screen. */
gboolean   mh_teach_highlight_get_bounds (MhTeachHighlight *self, graphene_rect_t *bounds);

/* Signal "moved": the ring moved, appeared or went. */

G_END_DECLS
