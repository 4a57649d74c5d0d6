/* mh-lesson-runner.h — carries out a lesson on a window: the step in view,
 * whether its conditions hold (watched on the window's real state: actions
 * activated, widget properties, the canvas selection, the project, the
 * run), "Show me" (the step done for the user, through the same actions,
 * clicks and properties a user would use), back and forth.  It does not
 * draw: the teaching glue (mh-teach.c) shows the card and the highlight. */
#pragma once

#include "mh-lesson.h"
#include "mh-window.h"

G_BEGIN_DECLS

#define MH_TYPE_LESSON_RUNNER (mh_lesson_runner_get_type ())
G_DECLARE_FINAL_TYPE (MhLessonRunner, mh_lesson_runner, MH, LESSON_RUNNER, GObject)

/* `lesson` must outlive the runner (a built-in one), or is owned by it
 * when `owned`. */
MhLessonRunner      *mh_lesson_runner_new       (MhWindow *window, MhLesson *lesson, gboolean owned);
const MhLesson      *mh_lesson_runner_get_lesson (MhLessonRunner *self);
/* Begins at step 0 (its <enter> done). */
void                 mh_lesson_runner_start     (MhLessonRunner *self);
int                  mh_lesson_runner_get_index (MhLessonRunner *self);
const MhLessonStep  *mh_lesson_runner_get_step  (MhLessonRunner *self);
/* The step's conditions all hold (always for a step with none). */
gboolean             mh_lesson_runner_get_done  (MhLessonRunner *self);
/* A problem doing the step (a target or widget not there, an action that
 * failed), to show; NULL when none. */
const char          *mh_lesson_runner_get_problem (MhLessonRunner *self);
/* On to the next step (the last: "finished"); back one. */
void                 mh_lesson_runner_next      (MhLessonRunner *self);
void                 mh_lesson_runner_back      (MhLessonRunner *self);
/* Does the step's <show-me>. */
void                 mh_lesson_runner_show_me   (MhLessonRunner *self);
void                 mh_lesson_runner_stop      (MhLessonRunner *self);

/* Signals: "changed" (the step, done or problem changed), "finished"
 * (Next on the last step), "stopped". */

G_END_DECLS
