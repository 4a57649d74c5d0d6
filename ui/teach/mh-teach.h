/* mh-teach.h — teaching in the window: the Learn panel (F1), the "?"
 * buttons beside blocks and pages, and lessons carried out on the window
 * with a card and a highlight.  The window calls mh_teach_install() once;
 * the rest of the window reaches it through actions:
 *
 *   win.learn                 show or hide the Learn panel (a boolean state)
 *   win.explain (s)           the Learn panel at a topic ("loss:bce", …)
 *   win.start-lesson (s)      a built-in lesson by id ("multi-head", …)
 *   win.open-lesson           a lesson file, chosen in a dialog
 *   win.stop-lesson           end the lesson in progress
 *
 * The window's template holds the AdwFlap "learn_flap" (the panel goes in
 * its flap) and the GtkOverlay "teach_overlay" over everything (the card
 * and the highlight go there). */
#pragma once

#include "mh-learn-panel.h"
#include "mh-lesson-card.h"
#include "mh-lesson-runner.h"
#include "mh-window.h"

G_BEGIN_DECLS

/* From the window's class_init: binds the template's teaching parts. */
void            mh_teach_class_init       (GtkWidgetClass *window_class);
/* From the window's init, after its template. */
void            mh_teach_install          (MhWindow *window);
/* A small "?" button that opens the explanation of `topic`. */
GtkWidget      *mh_teach_help_button_new  (const char *topic);

/* Begins `lesson` (owned by the runner when `owned`): its example opened
 * first (asking when the project has unsaved changes), the panel closed. */
void            mh_teach_start_lesson     (MhWindow *window, MhLesson *lesson, gboolean owned);
/* For tests and the glue: the lesson in progress (NULL), the panel, the card. */
MhLessonRunner *mh_teach_get_runner       (MhWindow *window);
MhLearnPanel   *mh_teach_get_panel        (MhWindow *window);
MhLessonCard   *mh_teach_get_card         (MhWindow *window);
GtkWidget      *mh_teach_get_highlight    (MhWindow *window);

G_END_DECLS
