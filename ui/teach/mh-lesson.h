/* mh-lesson.h — a lesson: steps that drive the real window, read from a
 * lesson file (*.lesson.xml; the format is in docs/lessons.md).  Each step
 * highlights a part of the window (its target), says what to do and what
 * to notice, waits for conditions on the window's real state, and knows
 * how to do it itself ("Show me").  Plain C, no widgets: the runner
 * (mh-lesson-runner.h) carries it out.  Strings are the English source
 * text: show them through gettext (_()). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MH_LESSON_WAIT_ACTION,     /* action: an action was activated during the step */
  MH_LESSON_WAIT_PROPERTY,   /* widget, property, value: the widget's property has that value */
  MH_LESSON_WAIT_TRAINING,   /* state and/or steps: the run is in that state / has trained that far */
  MH_LESSON_WAIT_PROJECT,    /* heads, balancing, backbone, dataset: the project is so */
  MH_LESSON_WAIT_HEAD,       /* head, weight_min / weight_max: the head's loss weight */
  MH_LESSON_WAIT_SELECTED,   /* block: that block is selected on the canvas */
} MhLessonWaitKind;

typedef struct {
  MhLessonWaitKind kind;
  char   *action;       /* "win.train" */
  char   *widget, *property, *value;
  char   *state;        /* "running", "paused", …; NULL: any */
  int     steps;        /* at least; 0: any */
  int     heads;        /* at least; 0: any */
  char   *balancing, *backbone, *dataset;
  char   *head;         /* a head's name */
  double  weight_min, weight_max;   /* -INFINITY / INFINITY when not given */
  char   *block;        /* "data", "backbone", "head" (any), "head:NAME" */
  int     line;
} MhLessonWait;

typedef enum {
  MH_LESSON_DO_ACTIVATE,     /* action (with target, from widget) */
  MH_LESSON_DO_CLICK,        /* widget: activated as a click would */
  MH_LESSON_DO_SET,          /* widget, property, value */
  MH_LESSON_DO_SELECT,       /* block */
} MhLessonDoKind;

typedef struct {
  MhLessonDoKind kind;
  char   *action;
  char   *target;       /* GVariant text, or NULL */
  char   *widget, *property, *value;
  char   *block;
  int     line;
} MhLessonDo;

typedef struct {
  char      *title;
  char      *say;        /* what to do */
  char      *notice;     /* what to notice, once done (or NULL) */
  char      *target;     /* what to highlight (mh-teach-target.h), or NULL */
  char      *explain;    /* a topic id, or NULL */
  GPtrArray *enter;      /* MhLessonDo, done when the step begins */
  GPtrArray *wait;       /* MhLessonWait, all of them; empty: nothing to wait for */
  GPtrArray *show_me;    /* MhLessonDo */
  int        line;
} MhLessonStep;

typedef struct {
  char      *id;
  char      *where;      /* the file's name, for messages */
  char      *title;
  char      *summary;
  char      *example;    /* an example's file name to open first, or NULL */
  GPtrArray *steps;      /* MhLessonStep */
} MhLesson;

/* Reads and checks a lesson; errors say "WHERE:LINE: step N “TITLE”,
 * field F: …" (or the lesson's field).  explain topics must be topics of
 * `topics` (NULL: not checked). */
MhLesson  *mh_lesson_parse       (const char *text, gsize len, const char *where, GError **error);
/* A lesson file (a regular file of at most 1 MiB, UTF-8). */
MhLesson  *mh_lesson_load_file   (const char *path, GError **error);
void       mh_lesson_free        (MhLesson *lesson);

/* The lessons that come with the app (resources/teach/lessons), in order;
 * loaded once.  A broken one is left out with a warning (the tests rule
 * that out). */
GPtrArray *mh_lessons_get_builtin (void);
const MhLesson *mh_lessons_find_builtin (const char *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhLesson, mh_lesson_free)

G_END_DECLS
