/* mh-application.h — the application: windows, settings, the style. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MH_APPLICATION_ID "io.github.multihead.Studio"
#define MH_TYPE_APPLICATION (mh_application_get_type ())
G_DECLARE_FINAL_TYPE (MhApplication, mh_application, MH, APPLICATION, AdwApplication)

/* `default_project`: opened when no file is given; its folder holds the
 * examples (the backbone templates). */
MhApplication *mh_application_new (const char *default_project);
/* The application's settings; NULL when the schema is not installed. */
GSettings     *mh_application_get_settings (MhApplication *self);
void           mh_application_add_recent (MhApplication *self, GFile *file);

/* Settings for the schema, found installed or, when running from the build
 * tree, in the build's compiled schemas; NULL if neither. */
GSettings     *mh_settings_new (void);

G_END_DECLS
