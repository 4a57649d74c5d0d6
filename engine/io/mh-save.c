/* mh-save.c — atomic saves that never replace an input (mh-save.h). */
#include <errno.h>
#include <glib/gi18n.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>
#include "mh-save.h"
#include "mh-error.h"

#define TEMP_MARK ".mh-save-"
#define LOCK_NAME ".mh-save-lock"
#define MAX_LINKS 40
#define SNIFF_BYTES 4096

/* ---- what a file holds ------------------------------------------------- */

static gboolean
has (const guint8 *head, gsize len, const char *magic, gsize at)
{
  gsize n = strlen (magic);
  return len >= at + n && memcmp (head + at, magic, n) == 0;
}

/* Valid UTF-8 without NUL bytes, allowing a character cut at the end. */
static gboolean
is_text (const guint8 *head, gsize len)
{
  const char *end;

  if (g_utf8_validate_len ((const char *) head, len, &end))
    return TRUE;
  return *end != '\0' && len - (end - (const char *) head) < 4
         && g_utf8_get_char_validated (end, len - (end - (const char *) head)) == (gunichar) -2;
}

MhFileKind
mh_file_kind_sniff (const guint8 *head, gsize len)
{
  guint64 header_len;
  gsize i = 0;

  if (len == 0)
    return MH_FILE_KIND_EMPTY;
  if (has (head, len, "\x89PNG\r\n\x1a\n", 0) || has (head, len, "\xff\xd8\xff", 0)
      || has (head, len, "GIF8", 0) || has (head, len, "BM", 0)
      || (has (head, len, "RIFF", 0) && has (head, len, "WEBP", 8))
      || has (head, len, "II*", 0) || has (head, len, "MM\0*", 0))
    return MH_FILE_KIND_IMAGE;
  if (len >= 9)
    {
      memcpy (&header_len, head, 8);
      header_len = GUINT64_FROM_LE (header_len);
      if (header_len >= 2 && header_len < ((guint64) 100 << 20) && head[8] == '{')
        return MH_FILE_KIND_WEIGHTS;
    }
  if (!is_text (head, len))
    return MH_FILE_KIND_BINARY;
  if (has (head, len, "\xef\xbb\xbf", 0))
    i = 3;
  while (i < len && g_ascii_isspace (head[i]))
    i++;
  if (i < len && head[i] == '<'
      && (g_strstr_len ((const char *) head, len, "<svg") != NULL))
    return MH_FILE_KIND_IMAGE;
  if (i < len && (head[i] == '{' || head[i] == '['))
    {
      if (head[i] == '{' && g_strstr_len ((const char *) head, len, "\"format\"") != NULL
          && (g_strstr_len ((const char *) head, len, "\"backbone\"") != NULL
              || g_strstr_len ((const char *) head, len, "\"heads\"") != NULL
              || g_strstr_len ((const char *) head, len, "\"dataset\"") != NULL))
        return MH_FILE_KIND_PROJECT;
      return MH_FILE_KIND_JSON;
    }
  return MH_FILE_KIND_TEXT;
}

MhFileKind
mh_file_kind_of (const char *path)
{
  guint8 head[SNIFF_BYTES];
  gssize got;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  struct stat st;

  if (fd < 0)
    return MH_FILE_KIND_EMPTY;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      return MH_FILE_KIND_BINARY;
    }
  do
    got = read (fd, head, sizeof head);
  while (got < 0 && errno == EINTR);
  close (fd);
  return mh_file_kind_sniff (head, got > 0 ? (gsize) got : 0);
}

const char *
mh_file_kind_describe (MhFileKind kind)
{
  switch (kind)
    {
    case MH_FILE_KIND_EMPTY:
      return _("an empty file");
    case MH_FILE_KIND_PROJECT:
      return _("a project file");
    case MH_FILE_KIND_WEIGHTS:
      return _("a weights file (safetensors)");
    case MH_FILE_KIND_JSON:
      return _("a JSON file");
    case MH_FILE_KIND_IMAGE:
      return _("an image");
    case MH_FILE_KIND_TEXT:
      return _("a text file");
    case MH_FILE_KIND_BINARY:
      return _("a binary file");
    }
  return _("a file");
}

/* ---- inputs not to write over ------------------------------------------ */

typedef struct {
  dev_t    dev;
  ino_t    ino;
  gboolean folder;
  char    *real;    /* folders: the resolved path */
  char    *role;
} Protected;

static GMutex lock;
static GArray *protected;   /* Protected */
static gboolean force_all;

static void
protected_clear (gpointer p)
{
  g_free (((Protected *) p)->real);
  g_free (((Protected *) p)->role);
}

void
mh_save_protect (const char *path, const char *role)
{
  Protected p = { 0 };
  struct stat st;

  if (path == NULL || stat (path, &st) != 0)
    return;
  p.dev = st.st_dev;
  p.ino = st.st_ino;
  p.folder = S_ISDIR (st.st_mode);
  p.real = p.folder ? realpath (path, NULL) : NULL;
  p.role = g_strdup (role);
  g_mutex_lock (&lock);
  if (protected == NULL)
    {
      protected = g_array_new (FALSE, TRUE, sizeof (Protected));
      g_array_set_clear_func (protected, protected_clear);
    }
  g_array_append_val (protected, p);
  g_mutex_unlock (&lock);
}

void
mh_save_protect_clear (void)
{
  g_mutex_lock (&lock);
  g_clear_pointer (&protected, g_array_unref);
  g_mutex_unlock (&lock);
}

void
mh_save_set_force (gboolean force)
{
  force_all = force;
}

/* The role of the protected input `target` (existing, resolved) is, or
 * lies in; NULL if none.  Free with g_free(). */
static char *
protected_role (const char *target, const struct stat *st)
{
  g_autofree char *real = realpath (target, NULL);
  char *role = NULL;

  g_mutex_lock (&lock);
  for (guint i = 0; protected != NULL && i < protected->len && role == NULL; i++)
    {
      const Protected *p = &g_array_index (protected, Protected, i);
      gsize n = p->real ? strlen (p->real) : 0;

      if (!p->folder && p->dev == st->st_dev && p->ino == st->st_ino)
        role = g_strdup (p->role);
      else if (p->folder && p->real != NULL && real != NULL && g_str_has_prefix (real, p->real)
               && (real[n] == G_DIR_SEPARATOR || g_str_equal (p->real, "/")))
        role = g_strdup_printf ("in %s", p->role);
    }
  g_mutex_unlock (&lock);
  return role;
}

/* ---- the target -------------------------------------------------------- */

/* `path` with its symbolic links followed (a dangling link: where it
 * points).  Free with g_free(). */
static char *
resolve_target (const char *path, GError **error)
{
  g_autofree char *p = g_strdup (path);

  for (int hops = 0; hops < MAX_LINKS; hops++)
    {
      struct stat st;
      g_autofree char *link = NULL;

      if (lstat (p, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&p);
      if ((link = g_file_read_link (p, error)) == NULL)
        return NULL;
      if (!g_path_is_absolute (link))
        {
          g_autofree char *dir = g_path_get_dirname (p);
          char *joined = g_build_filename (dir, link, NULL);
          g_free (link);
          link = joined;
        }
      g_free (p);
      p = g_steal_pointer (&link);
    }
  g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot save: too many symbolic links"), path);
  return NULL;
}

/* May a `kind` file replace a `there` one?  A project may replace other
 * JSON (a project written by hand may not look like one yet). */
static gboolean
kinds_agree (MhFileKind there, MhFileKind kind)
{
  return there == MH_FILE_KIND_EMPTY || there == kind
         || (there == MH_FILE_KIND_JSON && kind == MH_FILE_KIND_PROJECT);
}

/* The checks of a save to `target` (resolved); *st_out, *exists: what is there. */
static gboolean
check_target (const char *path, const char *target, MhFileKind kind, MhSaveFlags flags,
              struct stat *st_out, gboolean *exists, GError **error)
{
  g_autofree char *role = NULL;
  MhFileKind there;

  *exists = lstat (target, st_out) == 0;
  if (!*exists)
    {
      g_autofree char *dir = g_path_get_dirname (target);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot save: the folder %s does not exist"),
                       path, dir);
          return FALSE;
        }
      return TRUE;
    }
  if (!S_ISREG (st_out->st_mode))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_REFUSED, _("%s: cannot save: it is %s, not a regular file"),
                   path, S_ISDIR (st_out->st_mode) ? _("a folder") : _("a device, pipe or socket"));
      return FALSE;
    }
  if ((role = protected_role (target, st_out)) != NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_REFUSED, _("%s: refusing to write over %s; save to "
                   "another file"), path, role);
      return FALSE;
    }
  there = mh_file_kind_of (target);
  if (!kinds_agree (there, kind) && !(flags & MH_SAVE_FORCE) && !force_all)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_REFUSED, _("%s: refusing to replace %s with %s; "
                   "choose another name, or give --force to replace it"), path,
                   mh_file_kind_describe (there), mh_file_kind_describe (kind));
      return FALSE;
    }
  return TRUE;
}

gboolean
mh_save_check_folder (const char *dir, GError **error)
{
  g_autofree char *at = g_strdup (dir);
  struct stat st;

  /* a folder not made yet is made in its nearest existing parent */
  while (stat (at, &st) != 0 && errno == ENOENT)
    {
      char *up = g_path_get_dirname (at);
      gboolean top = g_str_equal (up, at);
      g_free (at);
      at = up;
      if (top)
        break;
    }
  if (stat (at, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: cannot save there: %s is not a folder", dir, at);
      return FALSE;
    }
  /* access() asks with the process's real rights: a read-only folder, a
   * read-only file system (EROFS) */
  if (g_access (at, W_OK | X_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: cannot save there: the folder %s cannot be "
                   "written to (%s)", dir, at, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
mh_save_check (const char *path, MhFileKind kind, MhSaveFlags flags, GError **error)
{
  g_autofree char *target = resolve_target (path, error), *dir = NULL;
  gboolean exists;
  struct stat st;

  if (target == NULL || !check_target (path, target, kind, flags, &st, &exists, error))
    return FALSE;
  dir = g_path_get_dirname (target);
  if (g_access (dir, W_OK | X_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: cannot save: the folder %s cannot be written "
                   "to (%s)", path, dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* ---- temporary files ---------------------------------------------------- */

static gboolean
is_temp_name (const char *name)
{
  const char *mark = strstr (name, TEMP_MARK);
  return name[0] == '.' && mark != NULL && strlen (mark) == strlen (TEMP_MARK) + 6;
}

/* TRUE when nobody holds the lock on `path` (so its save is dead). */
static gboolean
lock_is_free (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  gboolean free_ = FALSE;

  if (fd < 0)
    return FALSE;
  free_ = flock (fd, LOCK_EX | LOCK_NB) == 0;
  close (fd);
  return free_;
}

static void
remove_temp_folder (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      struct stat st;
      if (lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
        remove_temp_folder (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
mh_save_clean_folder (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL, *lock_file = NULL;
      struct stat st;

      if (!is_temp_name (name))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (lstat (path, &st) != 0)
        continue;
      if (S_ISREG (st.st_mode) && lock_is_free (path))
        g_unlink (path);
      else if (S_ISDIR (st.st_mode))
        {
          lock_file = g_build_filename (path, LOCK_NAME, NULL);
          /* no lock file: a save died before making it (or is about to: give it a minute) */
          if (g_file_test (lock_file, G_FILE_TEST_EXISTS) ? lock_is_free (lock_file)
              : st.st_mtime < time (NULL) - 60)
            remove_temp_folder (path);
        }
    }
}

/* A new locked temporary file beside `target`; *tmp_path its name. */
static int
open_temp (const char *target, mode_t mode, char **tmp_path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (target), *base = g_path_get_basename (target);

  for (int attempt = 0; attempt < 8; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".%s" TEMP_MARK "XXXXXX", base);
      char *path = g_build_filename (dir, name, NULL);
      int fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, mode);
      struct stat st;
      int saved = errno;

      if (fd < 0)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot save: cannot create a file in %s: %s"),
                       target, dir, g_strerror (saved));
          g_free (path);
          return -1;
        }
      /* a cleaner may have taken the new file for a dead one before we locked it */
      if (flock (fd, LOCK_EX) == 0 && fstat (fd, &st) == 0 && st.st_nlink > 0)
        {
          *tmp_path = path;
          return fd;
        }
      close (fd);
      g_free (path);
    }
  g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot save: no temporary file in %s"), target, dir);
  return -1;
}

static void
sync_folder (const char *target)
{
  g_autofree char *dir = g_path_get_dirname (target);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

gboolean
mh_save_stream (const char *path, MhFileKind kind, MhSaveFlags flags, MhSaveWriteFunc write,
                gpointer user_data, GError **error)
{
  g_autofree char *target = NULL, *tmp = NULL, *dir = NULL;
  g_autoptr(GOutputStream) raw = NULL, out = NULL;
  g_autoptr(GError) local = NULL;
  gboolean exists, ok;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL && write != NULL, FALSE);

  if (!(target = resolve_target (path, error))
      || !check_target (path, target, kind, flags, &st, &exists, error))
    return FALSE;
  dir = g_path_get_dirname (target);
  mh_save_clean_folder (dir);
  if ((fd = open_temp (target, exists ? (st.st_mode & 07777) : 0666, &tmp, error)) < 0)
    return FALSE;
  if (exists)
    {
      if (fchown (fd, st.st_uid, st.st_gid) != 0)
        { /* another owner's file: it becomes ours, as any rename does */ }
      fchmod (fd, st.st_mode & 07777);
    }
  raw = g_unix_output_stream_new (fd, TRUE);
  out = g_buffered_output_stream_new_sized (raw, 1 << 20);
  ok = write (out, user_data, &local)
       && g_output_stream_flush (out, NULL, &local);
  if (ok && fsync (fd) != 0)
    {
      int saved = errno;
      g_set_error (&local, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      ok = FALSE;
    }
  if (ok && rename (tmp, target) != 0)
    {
      int saved = errno;
      g_set_error (&local, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (tmp);
      g_output_stream_close (out, NULL, NULL);
      if (local->domain == MH_ERROR)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot save: %s (the old file is kept)"),
                     path, local->message);
      return FALSE;
    }
  g_output_stream_close (out, NULL, NULL);   /* closes fd, dropping the lock */
  sync_folder (target);
  return TRUE;
}

typedef struct {
  const void *data;
  gsize       len;
} Contents;

static gboolean
write_contents (GOutputStream *out, gpointer user_data, GError **error)
{
  const Contents *c = user_data;
  return g_output_stream_write_all (out, c->data, c->len, NULL, NULL, error);
}

gboolean
mh_save_contents (const char *path, MhFileKind kind, const void *data, gsize len,
                  MhSaveFlags flags, GError **error)
{
  Contents c = { data, len };
  return mh_save_stream (path, kind, flags, write_contents, &c, error);
}

/* ---- a folder saved together ------------------------------------------- */

struct _MhSaveFolder {
  char       *dir;       /* as given */
  char       *target;    /* resolved */
  char       *tmp;
  int         lock_fd;
  MhSaveFlags flags;
};

MhSaveFolder *
mh_save_folder_begin (const char *dir, MhSaveFlags flags, GError **error)
{
  g_autofree char *target = resolve_target (dir, error), *parent = NULL, *base = NULL,
                  *lock_file = NULL;
  MhSaveFolder *f;
  struct stat st;

  if (target == NULL)
    return NULL;
  if (lstat (target, &st) == 0 && !S_ISDIR (st.st_mode))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_REFUSED, _("%s: cannot write a folder there: it is %s"),
                   dir, mh_file_kind_describe (mh_file_kind_of (target)));
      return NULL;
    }
  parent = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  mh_save_clean_folder (parent);
  f = g_new0 (MhSaveFolder, 1);
  f->dir = g_strdup (dir);
  f->target = g_steal_pointer (&target);
  f->flags = flags;
  f->lock_fd = -1;
  {
    g_autofree char *name = g_strdup_printf (".%s" TEMP_MARK "XXXXXX", base);
    f->tmp = g_build_filename (parent, name, NULL);
  }
  if (g_mkdtemp (f->tmp) == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot make a temporary folder in %s: %s"),
                   dir, parent, g_strerror (errno));
      g_clear_pointer (&f->tmp, g_free);
      mh_save_folder_abort (f);
      return NULL;
    }
  lock_file = g_build_filename (f->tmp, LOCK_NAME, NULL);
  f->lock_fd = open (lock_file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (f->lock_fd >= 0)
    flock (f->lock_fd, LOCK_EX);
  return f;
}

const char *
mh_save_folder_path (const MhSaveFolder *f)
{
  return f->tmp;
}

void
mh_save_folder_abort (MhSaveFolder *f)
{
  if (f == NULL)
    return;
  if (f->tmp != NULL)
    remove_temp_folder (f->tmp);
  if (f->lock_fd >= 0)
    close (f->lock_fd);
  g_free (f->dir);
  g_free (f->target);
  g_free (f->tmp);
  g_free (f);
}

gboolean
mh_save_folder_commit (MhSaveFolder *f, GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = NULL;
  const char *name;
  gboolean ok = TRUE;

  if (!g_file_test (f->target, G_FILE_TEST_EXISTS))
    {
      g_autofree char *lock_file = g_build_filename (f->target, LOCK_NAME, NULL);
      if (rename (f->tmp, f->target) != 0)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot move the new folder into place: %s"),
                       f->dir, g_strerror (errno));
          mh_save_folder_abort (f);
          return FALSE;
        }
      g_unlink (lock_file);
      g_clear_pointer (&f->tmp, g_free);
      sync_folder (f->target);
      mh_save_folder_abort (f);
      return TRUE;
    }
  /* every file checked first, then all moved */
  d = g_dir_open (f->tmp, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (!g_str_equal (name, LOCK_NAME))
      g_ptr_array_add (names, g_strdup (name));
  for (guint i = 0; ok && i < names->len; i++)
    {
      g_autofree char *src = g_build_filename (f->tmp, names->pdata[i], NULL);
      g_autofree char *dst = g_build_filename (f->dir, names->pdata[i], NULL);
      ok = mh_save_check (dst, mh_file_kind_of (src), f->flags, error);
    }
  for (guint i = 0; ok && i < names->len; i++)
    {
      g_autofree char *src = g_build_filename (f->tmp, names->pdata[i], NULL);
      g_autofree char *name_in = g_build_filename (f->target, names->pdata[i], NULL);
      g_autofree char *dst = resolve_target (name_in, error);   /* a link stays a link */
      if (dst == NULL)
        ok = FALSE;
      else if (rename (src, dst) != 0)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot move %s into place: %s"),
                       f->dir, (const char *) names->pdata[i], g_strerror (errno));
          ok = FALSE;
        }
    }
  if (ok)
    sync_folder (f->target);
  mh_save_folder_abort (f);
  return ok;
}
