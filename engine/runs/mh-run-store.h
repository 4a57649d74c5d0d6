/* mh-run-store.h — where a project's runs are kept, and keeping them.
 *
 * A project FILE.mhproj keeps its runs beside it in FILE.runs/<id>/
 * (mh-run.h).  Where the project's folder is not writable, and for the
 * shipped examples (under the source tree's resources/examples or the
 * installed data folder: templates, never written into), the runs go to
 * $XDG_DATA_HOME/multihead-studio/runs/<name>-<short hash of the project's
 * path>/; those of an unsaved project to …/runs/<name>-unsaved/.
 *
 * Ids are numbers, given in order ("1", "2", …); a folder made with mkdir
 * is the claim, so two programs recording at once get two ids.
 *
 * Retention (retention.json in the store): every run's run.json and
 * metrics.csv are kept; the checkpoints of the last `keep_checkpoints`
 * runs and of pinned runs are kept; then, above `max_bytes`, the
 * checkpoints of the oldest runs go first (pinned runs and runs being
 * recorded are never touched).  Deleting is undoable: a run goes to the
 * trash (a folder .trash-<id> beside it) until the trash is emptied.
 *
 * Plain GLib; not thread-safe: one thread uses a store (the recorder only
 * writes inside its own run's folder).
 */
#pragma once

#include <glib.h>
#include "mh-run-lock.h"
#include "mh-run.h"

G_BEGIN_DECLS

#define MH_RUN_KEEP_CHECKPOINTS_DEFAULT 10
#define MH_RUN_MAX_BYTES_DEFAULT        ((gint64) 2 << 30)

typedef struct {
  int    keep_checkpoints;   /* the last N runs keep their checkpoints */
  gint64 max_bytes;          /* the store's size cap; 0: none */
} MhRunRetention;

typedef struct {
  char    *dir;              /* the store: FILE.runs, or the user's data folder's */
  char    *project_file;     /* NULL: an unsaved project */
  gboolean in_user_data;     /* not beside the project */
  char    *why;              /* in_user_data: why ("an example", "… is not writable", "not saved yet") */
} MhRunStore;

/* The store of a project file (NULL: an unsaved project named `name`). */
MhRunStore *mh_run_store_for_project (const char *project_file, const char *name);
/* The store in folder `dir`, as it is (tests, tools). */
MhRunStore *mh_run_store_new         (const char *dir);
void        mh_run_store_free        (MhRunStore *store);

/* Whether a project file is a shipped example (a template). */
gboolean    mh_run_store_is_template (const char *project_file);

/* Every run (MhRun, a reference each), oldest first; deleted ones (in the
 * trash) left out.  No store folder yet: none. */
GPtrArray  *mh_run_store_list        (const MhRunStore *store);
/* One run, or NULL (error) when there is no run `id`. */
MhRun      *mh_run_store_get         (const MhRunStore *store, const char *id, GError **error);
/* A new run's folder (the store made if needed), locked: returns its path. */
char       *mh_run_store_create      (const MhRunStore *store, MhRunLock **lock, GError **error);

/* Renaming and pinning rewrite run.json (a run being recorded keeps them). */
gboolean    mh_run_store_set_name    (const MhRunStore *store, const char *id, const char *name, GError **error);
gboolean    mh_run_store_set_pinned  (const MhRunStore *store, const char *id, gboolean pinned, GError **error);

/* To the trash and back; emptying it deletes for good. */
gboolean    mh_run_store_trash       (const MhRunStore *store, const char *id, GError **error);
gboolean    mh_run_store_restore     (const MhRunStore *store, const char *id, GError **error);
void        mh_run_store_empty_trash (const MhRunStore *store);
/* At once, for good (a run being recorded is refused). */
gboolean    mh_run_store_delete      (const MhRunStore *store, const char *id, GError **error);

MhRunRetention mh_run_store_get_retention (const MhRunStore *store);
gboolean    mh_run_store_set_retention (const MhRunStore *store, const MhRunRetention *r, GError **error);
/* Removes the checkpoints the rule does not keep; returns how many files. */
guint       mh_run_store_apply_retention (const MhRunStore *store);
/* Bytes of every file in the store (the trash too). */
gint64      mh_run_store_disk_use    (const MhRunStore *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhRunStore, mh_run_store_free)

G_END_DECLS
