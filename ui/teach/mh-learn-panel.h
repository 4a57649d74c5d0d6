/* mh-learn-panel.h — the Learn side panel: the lessons (start one, or open
 * a lesson file) and every explanation by group; a topic's page shows its
 * text and formulas and links to the ideas it builds on. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MH_TYPE_LEARN_PANEL (mh_learn_panel_get_type ())
G_DECLARE_FINAL_TYPE (MhLearnPanel, mh_learn_panel, MH, LEARN_PANEL, GtkWidget)

GtkWidget  *mh_learn_panel_new        (void);
/* The list of lessons and topics. */
void        mh_learn_panel_show_index (MhLearnPanel *self);
/* A topic's page; FALSE (and the index) when there is no such topic. */
gboolean    mh_learn_panel_show_topic (MhLearnPanel *self, const char *id);
/* The topic in view, or NULL on the index. */
const char *mh_learn_panel_get_topic  (MhLearnPanel *self);

G_END_DECLS
