/* mh-lesson-card.h — the card of the lesson in progress, laid over the
 * window beside the part the step is about: the lesson and the step
 * (i of n), what to do, what to notice once it is done, whether the app is
 * still waiting, and Back, Show Me, Next (Finish on the last step). */
#pragma once

#include <gtk/gtk.h>
#include "mh-lesson-runner.h"

G_BEGIN_DECLS

#define MH_TYPE_LESSON_CARD (mh_lesson_card_get_type ())
G_DECLARE_FINAL_TYPE (MhLessonCard, mh_lesson_card, MH, LESSON_CARD, GtkWidget)

GtkWidget *mh_lesson_card_new        (void);
/* Shows the runner's step and follows it (NULL: none). */
void       mh_lesson_card_set_runner (MhLessonCard *self, MhLessonRunner *runner);
/* Its buttons, for tests: "back", "show-me", "next", "close". */
GtkWidget *mh_lesson_card_get_button (MhLessonCard *self, const char *which);

G_END_DECLS
