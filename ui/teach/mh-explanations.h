/* mh-explanations.h — the explanations of every block and view: topics in
 * groups, each a title, paragraphs and formulas, and the topics it builds
 * on (resources/teach/explanations.xml; the format is in docs/lessons.md).
 * Plain C, no widgets.  The strings are the English source text: show them
 * through gettext (_()). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MH_TOPIC_PARAGRAPH,
  MH_TOPIC_FORMULA,
} MhTopicPartKind;

typedef struct {
  MhTopicPartKind kind;
  char           *text;
} MhTopicPart;

typedef struct {
  char       *id;          /* "loss:cross-entropy", "balance:gradnorm", "view:conflict" */
  char       *group;       /* the id of its group */
  char       *title;
  GPtrArray  *parts;       /* MhTopicPart, in order */
  char      **builds_on;   /* topic ids (NULL-terminated, maybe empty) */
} MhTopic;

typedef struct {
  char      *id;
  char      *title;
  GPtrArray *topics;       /* MhTopic, in the file's order */
} MhTopicGroup;

typedef struct _MhExplanations MhExplanations;

/* Reads and checks an explanations file's text: every element and
 * attribute known, ids unique, every topic with a title and a paragraph,
 * every builds-on a topic of the file.  Errors name WHERE and the line. */
MhExplanations *mh_explanations_parse   (const char *text, gsize len, const char *where, GError **error);
void            mh_explanations_free    (MhExplanations *e);
/* The app's own (from the GResource), read once; NULL (and a warning) only
 * if the resource is broken, which the tests rule out. */
MhExplanations *mh_explanations_get_default (void);

guint               mh_explanations_get_n_groups (const MhExplanations *e);
const MhTopicGroup *mh_explanations_get_group    (const MhExplanations *e, guint i);
const MhTopic      *mh_explanations_lookup       (const MhExplanations *e, const char *id);
/* The first paragraph (for lists and tooltips). */
const char         *mh_topic_get_summary         (const MhTopic *topic);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhExplanations, mh_explanations_free)

G_END_DECLS
