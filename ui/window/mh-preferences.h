/* mh-preferences.h — the Preferences window: the language (System, English,
 * Deutsch), applied at the next start (docs/translating.md), and the style. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A new Preferences window over `parent`, editing `settings` (the
 * application's; NULL when the schema is not installed: the rows are then
 * insensitive). */
GtkWidget *mh_preferences_new (GtkWindow *parent, GSettings *settings);

G_END_DECLS
