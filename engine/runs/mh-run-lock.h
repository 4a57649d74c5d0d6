/* mh-run-lock.h — a run folder's lock: the program recording a run holds
 * an flock(2) on RUN/lock for as long as it records (the file says which
 * process, for people).  The kernel drops the lock when the process ends,
 * however it ends, so a run recorded as running whose lock nobody holds was
 * interrupted.  A lock of this process counts as held. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MhRunLock MhRunLock;

/* Takes the lock of run folder `dir` (an error if another process holds it). */
MhRunLock *mh_run_lock_acquire (const char *dir, GError **error);
/* Removes the lock file and lets the lock go. */
void       mh_run_lock_release (MhRunLock *lock);
/* Whether a living process (this one too) holds the lock of `dir`. */
gboolean   mh_run_lock_is_held (const char *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MhRunLock, mh_run_lock_release)

G_END_DECLS
