/* mh-error.c — the engine's GError domain, extended with the JSON path an
 * error is about and its text without the source. */
#include <stdarg.h>
#include "mh-error.h"

typedef struct {
  char *path;
  char *text;
} MhErrorPrivate;

static void
mh_error_private_init (MhErrorPrivate *priv)
{
  priv->path = NULL;
  priv->text = NULL;
}

static void
mh_error_private_copy (const MhErrorPrivate *src, MhErrorPrivate *dest)
{
  dest->path = g_strdup (src->path);
  dest->text = g_strdup (src->text);
}

static void
mh_error_private_clear (MhErrorPrivate *priv)
{
  g_clear_pointer (&priv->path, g_free);
  g_clear_pointer (&priv->text, g_free);
}

G_DEFINE_EXTENDED_ERROR (MhError, mh_error)

/* Makes *error "where: text" about path; takes text. */
static void
set (GError **error, MhErrorCode code, const char *where, const char *path, char *text)
{
  MhErrorPrivate *priv;
  GError *e;

  if (error == NULL)
    {
      g_free (text);
      return;
    }
  if (*error == NULL)
    *error = g_error_new_literal (MH_ERROR, code, "");
  else if ((*error)->domain != MH_ERROR)   /* prefixing another domain's error */
    {
      g_clear_error (error);
      *error = g_error_new_literal (MH_ERROR, code, "");
    }
  e = *error;
  g_free (e->message);
  e->message = where != NULL ? g_strconcat (where, ": ", text, NULL) : g_strdup (text);
  priv = mh_error_get_private (e);
  g_free (priv->path);
  g_free (priv->text);
  priv->path = path != NULL && *path != '\0' ? g_strdup (path) : NULL;
  priv->text = text;
}

void
mh_set_error_at (GError **error, MhErrorCode code, const char *where, const char *path, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  g_return_if_fail (error == NULL || *error == NULL);

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  set (error, code, where, path,
       path != NULL && *path != '\0' ? g_strconcat (path, ": ", what, NULL) : g_strdup (what));
}

void
mh_set_error_in (GError **error, MhErrorCode code, const char *where, const char *path, const char *format, ...)
{
  va_list args;
  char *text;

  g_return_if_fail (error == NULL || *error == NULL);

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  set (error, code, where, path, text);
}

void
mh_error_prefix_at (GError **error, MhErrorCode code, const char *where, const char *path)
{
  if (error == NULL || *error == NULL)
    return;
  set (error, (*error)->domain == MH_ERROR ? (MhErrorCode) (*error)->code : code, where, path,
       path != NULL && *path != '\0' ? g_strconcat (path, ": ", (*error)->message, NULL)
                                     : g_strdup ((*error)->message));
}

const char *
mh_error_get_path (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  return error->domain == MH_ERROR ? mh_error_get_private (error)->path : NULL;
}

const char *
mh_error_get_text (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == MH_ERROR && mh_error_get_private (error)->text != NULL)
    return mh_error_get_private (error)->text;
  return error->message;
}
