/* mh-run-lock.c — a run folder's lock (mh-run-lock.h). */
#include <errno.h>
#include <glib/gi18n.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "mh-error.h"
#include "mh-run-lock.h"

struct _MhRunLock
{
  char *path;
  int   fd;
};

MhRunLock *
mh_run_lock_acquire (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "lock", NULL);
  g_autofree char *text = NULL;
  MhRunLock *lock;
  /* not a save (mh-save.h): the lock is on this file's inode, which a
   * rename would replace; it holds a line for people, nothing is read back */
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);

  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot make the run's lock: %s"), path, g_strerror (e));
      return NULL;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int e = errno;
      close (fd);
      g_set_error (error, MH_ERROR, MH_ERROR_REFUSED, "%s: %s", path,
                   e == EWOULDBLOCK ? _("another program is recording this run") : g_strerror (e));
      return NULL;
    }
  text = g_strdup_printf ("%d %s\n", (int) getpid (), g_get_host_name ());
  if (ftruncate (fd, 0) != 0 || write (fd, text, strlen (text)) < 0)
    { /* the line is for people: the lock holds without it */ }
  lock = g_new0 (MhRunLock, 1);
  lock->path = g_steal_pointer (&path);
  lock->fd = fd;
  return lock;
}

void
mh_run_lock_release (MhRunLock *lock)
{
  if (lock == NULL)
    return;
  g_unlink (lock->path);   /* first: no one finds a file nobody holds */
  close (lock->fd);
  g_free (lock->path);
  g_free (lock);
}

gboolean
mh_run_lock_is_held (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "lock", NULL);
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  gboolean held;

  if (fd < 0)
    return FALSE;
  held = flock (fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close (fd);   /* a shared lock taken here goes with it */
  return held;
}
