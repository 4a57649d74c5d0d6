/* mh-i18n.c — the text domain, bound once at start (mh-i18n.h). */
#include "mh-i18n.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

const char *const mh_i18n_languages[] = {
  "en", "English",
  "de", "Deutsch",
  NULL, NULL,
};

/* Whether this executable lives under the build tree. */
static gboolean
running_from_build_tree (void)
{
#ifdef MH_BUILD_ROOT
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *root = g_canonicalize_filename (MH_BUILD_ROOT, NULL);

  return exe != NULL && g_str_has_prefix (exe, root) && exe[strlen (root)] == G_DIR_SEPARATOR
         && g_file_test (MH_BUILD_LOCALE_DIR, G_FILE_TEST_IS_DIR);
#else
  return FALSE;
#endif
}

const char *
mh_i18n_locale_dir (void)
{
  static const char *dir;

  if (g_once_init_enter (&dir))
    {
#ifdef MH_BUILD_LOCALE_DIR
      const char *d = running_from_build_tree () ? MH_BUILD_LOCALE_DIR : MH_LOCALE_DIR;
#else
      const char *d = MH_LOCALE_DIR;
#endif
      g_once_init_leave (&dir, d);
    }
  return dir;
}

void
mh_i18n_init (const char *language)
{
  const char *messages;

  if (language != NULL && *language != '\0')
    g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, "");
  /* gettext ignores LANGUAGE under the plain "C" locale (no LANG set, as in
   * a bare terminal or a test): C.UTF-8 behaves the same and lets it count. */
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages != NULL && (g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
      && g_getenv ("LANGUAGE") != NULL && *g_getenv ("LANGUAGE") != '\0')
    {
      setlocale (LC_MESSAGES, "C.UTF-8");
      setlocale (LC_CTYPE, "C.UTF-8");
    }
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, mh_i18n_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
