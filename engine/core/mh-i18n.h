/* mh-i18n.h — the program's translations (gettext, domain GETTEXT_PACKAGE;
 * docs/translating.md).  Every file may use _() and N_() of <glib/gi18n.h>
 * once mh_i18n_init has run.  Plain GLib. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The languages the window offers in Preferences: "" (the desktop's) first,
 * then each language code with its name in that language ("English",
 * "Deutsch").  NULL-terminated pairs. */
extern const char *const mh_i18n_languages[];

/* Where the catalogs are read from: the build tree's po/ when this program
 * runs from the build tree (so that `LANGUAGE=de build/app/multihead-studio`
 * speaks German without installing), else the installed locale folder. */
const char *mh_i18n_locale_dir (void);

/* Sets the locale from the environment, binds and selects the text domain
 * (UTF-8).  `language` ("de", "en"; NULL or "" for the desktop's) overrides
 * LANGUAGE for this process.  LC_NUMERIC stays "C": files and the command
 * line's figures are written with a decimal point whatever the desktop; the
 * window formats its numbers with mh_format_* (ui/common/mh-format.h).
 * Call once, first thing in main(). */
void        mh_i18n_init       (const char *language);

G_END_DECLS
