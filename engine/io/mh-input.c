/* mh-input.c — opening, reading and resolving what the user gives (mh-input.h). */
#include <errno.h>
#include <glib/gi18n.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mh-input.h"
#include "mh-error.h"
#include "mh-limits.h"

struct _MhInputFile {
  int      fd;
  char    *path;
  char    *what;
  guint64  size;
};

/* "a folder", "a device", … for what is not a regular file. */
static const char *
describe_mode (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("a device");
  if (S_ISFIFO (mode))
    return _("a pipe (FIFO)");
  if (S_ISSOCK (mode))
    return _("a socket");
  return _("not a regular file");
}

MhInputFile *
mh_input_open (const char *path, const char *what, guint64 max_bytes, GError **error)
{
  MhInputFile *f;
  struct stat st;
  int fd, saved;

  g_return_val_if_fail (path != NULL, NULL);

  /* O_NONBLOCK: opening a FIFO must not wait for a writer */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot open the %s: %s"), path, what,
                   saved == ENOENT ? _("no such file") : g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      saved = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot open the %s: %s"), path, what,
                   g_strerror (saved));
      close (fd);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: the %s must be a regular file; this is %s"),
                   path, what, describe_mode (st.st_mode));
      close (fd);
      return NULL;
    }
  if (max_bytes > 0 && (guint64) st.st_size > max_bytes)
    {
      g_autofree char *size = mh_limits_format_bytes (st.st_size);
      g_autofree char *max = mh_limits_format_bytes (max_bytes);
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the %s is %s; at most %s are read"),
                   path, what, size, max);
      close (fd);
      return NULL;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  f = g_new0 (MhInputFile, 1);
  f->fd = fd;
  f->path = g_strdup (path);
  f->what = g_strdup (what);
  f->size = st.st_size;
  return f;
}

void
mh_input_close (MhInputFile *f)
{
  if (f == NULL)
    return;
  close (f->fd);
  g_free (f->path);
  g_free (f->what);
  g_free (f);
}

guint64
mh_input_size (const MhInputFile *f)
{
  return f->size;
}


gboolean
mh_input_read_at (MhInputFile *f, guint64 offset, void *buf, gsize len, const char *field,
                  GError **error)
{
  gsize have = 0;
  guint64 end;

  if (!mh_limits_add (offset, len, &end) || end > f->size)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO,
                   "%s: %s: bytes %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT " are past the end "
                   "of the file (%" G_GUINT64_FORMAT " bytes): it is truncated or damaged",
                   f->path, field, offset, end, f->size);
      return FALSE;
    }
  while (have < len)
    {
      gssize got = pread (f->fd, (char *) buf + have, MIN (len - have, (gsize) 1 << 30),
                          (off_t) (offset + have));
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: %s: read error at byte %" G_GUINT64_FORMAT
                       ": %s", f->path, field, offset + have,
                       got < 0 ? g_strerror (errno) : _("the file became shorter"));
          return FALSE;
        }
      have += got;
    }
  return TRUE;
}

char *
mh_input_read_all (const char *path, const char *what, guint64 max_bytes, gsize *len,
                   GError **error)
{
  g_autoptr(MhInputFile) f = mh_input_open (path, what, max_bytes, error);
  g_autofree char *text = NULL;

  if (f == NULL)
    return NULL;
  if (!(text = mh_limits_try_alloc0 (f->size + 1, 1, path, what, error))
      || !mh_input_read_at (f, 0, text, f->size, what, error))
    return NULL;
  if (len != NULL)
    *len = f->size;
  return g_steal_pointer (&text);
}

/* FALSE when the components of `relative` climb above where it starts. */
static gboolean
stays_below (const char *relative)
{
  g_auto(GStrv) parts = g_strsplit (relative, G_DIR_SEPARATOR_S, -1);
  int depth = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], ".."))
        depth--;
      else if (*parts[i] != '\0' && !g_str_equal (parts[i], "."))
        depth++;
      if (depth < 0)
        return FALSE;
    }
  return TRUE;
}

char *
mh_input_path_inside (const char *folder, const char *relative, const char *where,
                      const char *field, GError **error)
{
  g_autofree char *real_folder = NULL, *joined = NULL, *real = NULL;
  int saved;

  if (relative == NULL || *relative == '\0')
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: %s: no file name"), where, field);
      return NULL;
    }
  if (g_path_is_absolute (relative))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: %s: '%s' is an absolute path; the "
                   "files must be named relative to %s and lie inside it"), where, field,
                   relative, folder);
      return NULL;
    }
  if (!stays_below (relative))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: %s: '%s' leaves the folder %s "
                   "(through '..'); the files must lie inside it"), where, field, relative, folder);
      return NULL;
    }
  if ((real_folder = realpath (folder, NULL)) == NULL)
    {
      saved = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot open the folder: %s"), folder,
                   g_strerror (saved));
      return NULL;
    }
  joined = g_build_filename (folder, relative, NULL);
  if ((real = realpath (joined, NULL)) == NULL)
    {
      saved = errno;
      g_set_error (error, MH_ERROR, MH_ERROR_IO, "%s: %s: '%s': %s", where, field, relative,
                   saved == ENOENT ? _("no such file") : g_strerror (saved));
      return NULL;
    }
  if (!g_str_has_prefix (real, real_folder)
      || (real[strlen (real_folder)] != G_DIR_SEPARATOR && !g_str_equal (real_folder, "/")))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: %s: '%s' leads to %s, outside the "
                   "folder %s (through a symbolic link); the files must lie inside it"),
                   where, field, relative, real, folder);
      return NULL;
    }
  return g_steal_pointer (&real);
}

gboolean
mh_input_check_utf8 (const char *text, gssize len, const char *where, const char *field,
                     GError **error)
{
  const char *end;
  gsize line = 1;

  if (len < 0)
    len = strlen (text);
  if (g_utf8_validate_len (text, len, &end))
    return TRUE;
  for (const char *c = text; c < end; c++)
    line += *c == '\n';
  if (memchr (text, '\n', len) != NULL)
    g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: %s: line %" G_GSIZE_FORMAT
                 " (byte %" G_GSIZE_FORMAT "): %s", where, field, line, (gsize) (end - text),
                 *end == '\0' ? "a NUL byte" : "not UTF-8 text");
  else
    g_set_error (error, MH_ERROR, MH_ERROR_FORMAT, "%s: %s: byte %" G_GSIZE_FORMAT " is %s",
                 where, field, (gsize) (end - text),
                 *end == '\0' ? "a NUL byte" : "not UTF-8 (the text must be UTF-8)");
  return FALSE;
}
