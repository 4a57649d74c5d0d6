/* mh-document.h — an open project: the spec (the single source of truth),
 * its file, its analysis and the history of edits.
 *
 * Every edit is a command on the spec: mh_document_begin() returns the spec
 * to change, mh_document_commit() records what changed as one undoable step
 * (merged with the previous one when both carry the same merge key, e.g. the
 * steps of one spin button), then re-analyses and emits "changed".
 */
#pragma once

#include <gio/gio.h>
#include "mh-analysis.h"
#include "mh-project.h"

G_BEGIN_DECLS

#define MH_TYPE_DOCUMENT (mh_document_get_type ())
G_DECLARE_FINAL_TYPE (MhDocument, mh_document, MH, DOCUMENT, GObject)

MhDocument       *mh_document_new           (MhProject *project, GFile *file);
MhDocument       *mh_document_new_empty     (void);
MhDocument       *mh_document_load          (GFile *file, GError **error);
gboolean          mh_document_save          (MhDocument *self, GFile *file, GError **error);

const MhProject  *mh_document_get_project   (MhDocument *self);
const MhAnalysis *mh_document_get_analysis  (MhDocument *self);
GFile            *mh_document_get_file      (MhDocument *self);
/* The file's name, else the project's name. */
char             *mh_document_dup_title     (MhDocument *self);
gboolean          mh_document_get_modified  (MhDocument *self);

MhProject        *mh_document_begin         (MhDocument *self);
/* FALSE (and nothing recorded) when the spec did not change. */
gboolean          mh_document_commit        (MhDocument *self, const char *label,
                                             const char *merge_key);
void              mh_document_abort         (MhDocument *self);

gboolean          mh_document_can_undo      (MhDocument *self);
gboolean          mh_document_can_redo      (MhDocument *self);
/* The label of the step undo would revert, or NULL. */
const char       *mh_document_get_undo_label (MhDocument *self);
void              mh_document_undo          (MhDocument *self);
void              mh_document_redo          (MhDocument *self);

/* A check of every change of the spec (an edit, undo, redo): FALSE, with
 * the reason in *reason (g_free'd), refuses it — the spec stays as it was,
 * "refused" is emitted with the reason, and a refused edit's commit()
 * returns FALSE.  The window uses it to keep the model's structure while it
 * trains. */
typedef gboolean (*MhDocumentGuard) (const MhProject *before, const MhProject *after, char **reason,
                                     gpointer data);
void              mh_document_set_guard     (MhDocument *self, MhDocumentGuard guard, gpointer data);

G_END_DECLS
