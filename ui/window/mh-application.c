/* mh-application.c — the AdwApplication: opens a window per project, keeps
 * the settings (window size, recent files, style) and the app-wide actions. */
#include "mh-application.h"
#include <glib/gi18n.h>
#include "mh-resources.h"
#include "mh-edits.h"
#include "mh-i18n.h"
#include "mh-preferences.h"
#include "mh-window.h"

#define MAX_RECENT 8

struct _MhApplication
{
  AdwApplication  parent_instance;

  char           *default_project;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (MhApplication, mh_application, ADW_TYPE_APPLICATION)

GSettings *
mh_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaSource) built = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, MH_APPLICATION_ID, TRUE);
#ifdef MH_SCHEMA_BUILD_DIR
  if (schema == NULL)
    {
      built = g_settings_schema_source_new_from_directory (MH_SCHEMA_BUILD_DIR, source, FALSE, NULL);
      if (built != NULL)
        schema = g_settings_schema_source_lookup (built, MH_APPLICATION_ID, FALSE);
    }
#endif
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
apply_style (MhApplication *self)
{
  g_autofree char *style = self->settings ? g_settings_get_string (self->settings, "style") : NULL;
  AdwColorScheme scheme = g_strcmp0 (style, "light") == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                        : g_strcmp0 (style, "dark") == 0 ? ADW_COLOR_SCHEME_FORCE_DARK
                        : ADW_COLOR_SCHEME_DEFAULT;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
}

static void
style_changed (GSimpleAction *action, GVariant *value, MhApplication *self)
{
  g_simple_action_set_state (action, value);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "style", g_variant_get_string (value, NULL));
  apply_style (self);
}

static void
about (GSimpleAction *action, GVariant *param, MhApplication *self)
{
  static const char *developers[] = { "The Multihead Studio authors", NULL };
  GtkWidget *window = adw_about_window_new ();

  g_object_set (window,
                "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                "application-name", _("Multihead Studio"),
                "application-icon", MH_APPLICATION_ID,
                "version", MH_VERSION,
                "developer-name", _("The Multihead Studio authors"),
                "developers", developers,
                "license-type", GTK_LICENSE_GPL_3_0,
                "comments", _("Build multi-head neural networks by dragging blocks and wires, "
                            "train them, and see what every head learns."),
                NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static void
quit (GSimpleAction *action, GVariant *param, MhApplication *self)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* each window asks about its unsaved changes */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static MhWindow *
new_window (MhApplication *self)
{
  MhWindow *window = mh_window_new (self);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
mh_application_activate (GApplication *app)
{
  MhApplication *self = MH_APPLICATION (app);
  g_autoptr(GFile) file = g_file_new_for_path (self->default_project);
  MhWindow *window = new_window (self);

  mh_window_open_default (window, file);
}

static void
mh_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  MhApplication *self = MH_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      MhWindow *window = new_window (self);
      g_autoptr(GError) error = NULL;

      if (!mh_window_open_file (window, files[i], &error))
        {
          g_autoptr(GFile) fallback = g_file_new_for_path (self->default_project);
          mh_window_open_default (window, fallback);
          mh_window_show_error (window, _("Could not open the project"), error->message);
        }
    }
}

static void
preferences (GSimpleAction *action, GVariant *param, MhApplication *self)
{
  GtkWidget *window = mh_preferences_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                          self->settings);
  gtk_window_present (GTK_WINDOW (window));
}

static void
mh_application_startup (GApplication *app)
{
  MhApplication *self = MH_APPLICATION (app);
  static const GActionEntry entries[] = {
    { "about", (void (*) (GSimpleAction *, GVariant *, gpointer)) about, NULL, NULL, NULL },
    { "quit", (void (*) (GSimpleAction *, GVariant *, gpointer)) quit, NULL, NULL, NULL },
    { "preferences", (void (*) (GSimpleAction *, GVariant *, gpointer)) preferences, NULL, NULL, NULL },
    { "style", NULL, "s", "'default'", (void (*) (GSimpleAction *, GVariant *, gpointer)) style_changed },
  };
  /* shown in the menu; the window's shortcut controller (mh-window.c) has them too */
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "win.new", { "<Control>n", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.save-as", { "<Control><Shift>s", NULL } },
    { "win.export", { "<Control>e", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
  };
  g_autofree char *examples = g_path_get_dirname (self->default_project);
  GAction *style;

  G_APPLICATION_CLASS (mh_application_parent_class)->startup (app);

  mh_edits_set_examples_dir (examples);
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
  if (self->settings != NULL)
    {
      g_autofree char *current = g_settings_get_string (self->settings, "style");
      style = g_action_map_lookup_action (G_ACTION_MAP (self), "style");
      g_simple_action_set_state (G_SIMPLE_ACTION (style), g_variant_new_string (current));
    }
  apply_style (self);
}

static void
mh_application_finalize (GObject *object)
{
  MhApplication *self = MH_APPLICATION (object);

  g_free (self->default_project);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mh_application_parent_class)->finalize (object);
}

static void
mh_application_class_init (MhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = mh_application_finalize;
  app_class->activate = mh_application_activate;
  app_class->open = mh_application_open;
  app_class->startup = mh_application_startup;
}

static void
mh_application_init (MhApplication *self)
{
  (void) mh_get_resource ();   /* links the resources in; they register themselves */
  self->settings = mh_settings_new ();
}

/* The language chosen in Preferences wins over the desktop's; GTK must not
 * set the locale again, which would give LC_NUMERIC the desktop's decimal
 * comma for every file written (mh-i18n.h). */
static void
apply_language (void)
{
  g_autoptr(GSettings) settings = mh_settings_new ();
  g_autofree char *language = settings != NULL ? g_settings_get_string (settings, "language") : NULL;

  mh_i18n_init (language);
  if (!gtk_is_initialized ())
    gtk_disable_setlocale ();
}

MhApplication *
mh_application_new (const char *default_project)
{
  MhApplication *self;

  apply_language ();
  self = g_object_new (MH_TYPE_APPLICATION,
                                      "application-id", MH_APPLICATION_ID,
                                      "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                                      "resource-base-path", "/io/github/multihead/Studio",
                                      NULL);

  self->default_project = g_strdup (default_project);
  return self;
}

GSettings *
mh_application_get_settings (MhApplication *self)
{
  g_return_val_if_fail (MH_IS_APPLICATION (self), NULL);
  return self->settings;
}

void
mh_application_add_recent (MhApplication *self, GFile *file)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  g_autofree char *path = g_file_get_path (file);
  guint n = 1;

  if (self->settings == NULL || path == NULL)
    return;
  old = g_settings_get_strv (self->settings, "recent-files");
  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (!g_str_equal (old[i], path))
      g_strv_builder_add (builder, old[i]), n++;
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-files", (const char *const *) recent);
}
