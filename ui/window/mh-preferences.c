/* mh-preferences.c — the Preferences window (mh-preferences.h). */
#include "mh-preferences.h"

#include <glib/gi18n.h>
#include "mh-i18n.h"

/* The language row's choices: "" (the desktop's), then mh_i18n_languages. */
static GPtrArray *
language_codes (void)
{
  GPtrArray *codes = g_ptr_array_new ();

  g_ptr_array_add (codes, (gpointer) "");
  for (guint i = 0; mh_i18n_languages[i] != NULL; i += 2)
    g_ptr_array_add (codes, (gpointer) mh_i18n_languages[i]);
  return codes;
}

static void
language_chosen (AdwComboRow *row, GParamSpec *pspec, GSettings *settings)
{
  g_autoptr(GPtrArray) codes = language_codes ();
  guint chosen = adw_combo_row_get_selected (row);

  if (settings == NULL || chosen >= codes->len)
    return;
  g_settings_set_string (settings, "language", codes->pdata[chosen]);
  /* the window keeps the language it started with: say so while they differ */
  gtk_widget_set_visible (GTK_WIDGET (g_object_get_data (G_OBJECT (row), "restart")),
                          g_strcmp0 (codes->pdata[chosen], g_object_get_data (G_OBJECT (row), "running")) != 0);
}

static GtkWidget *
language_row (GSettings *settings)
{
  g_autoptr(GPtrArray) codes = language_codes ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *current = settings != NULL ? g_settings_get_string (settings, "language") : g_strdup ("");
  GtkWidget *row = adw_combo_row_new ();
  GtkWidget *restart = gtk_image_new_from_icon_name ("view-refresh-symbolic");
  guint selected = 0;

  /* TRANSLATORS: the language choice that follows the desktop's */
  gtk_string_list_append (names, _("System"));
  for (guint i = 0; mh_i18n_languages[i] != NULL; i += 2)
    gtk_string_list_append (names, mh_i18n_languages[i + 1]);   /* each in its own language */
  for (guint i = 1; i < codes->len; i++)
    if (g_strcmp0 (current, codes->pdata[i]) == 0)
      selected = i;
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Language"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Applies the next time Multihead Studio starts"));
  gtk_widget_set_tooltip_text (restart, _("Start Multihead Studio again to use this language"));
  gtk_widget_set_visible (restart, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), restart);
  gtk_widget_set_name (row, "language-row");
  gtk_widget_set_sensitive (row, settings != NULL);
  g_object_set_data_full (G_OBJECT (row), "running", g_strdup (codes->pdata[selected]), g_free);
  g_object_set_data (G_OBJECT (row), "restart", restart);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (language_chosen), settings, 0);
  return row;
}

static void
style_chosen (AdwComboRow *row, GParamSpec *pspec, gpointer unused)
{
  static const char *const styles[] = { "default", "light", "dark" };
  guint chosen = adw_combo_row_get_selected (row);

  if (chosen < G_N_ELEMENTS (styles))
    gtk_widget_activate_action (GTK_WIDGET (row), "app.style", "s", styles[chosen]);
}

static GtkWidget *
style_row (GSettings *settings)
{
  const char *const names[] = { _("Follow System"), _("Light"), _("Dark"), NULL };
  g_autofree char *current = settings != NULL ? g_settings_get_string (settings, "style") : g_strdup ("default");
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) list = gtk_string_list_new (names);

  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), g_str_equal (current, "light") ? 1 : g_str_equal (current, "dark") ? 2 : 0);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Style"));
  gtk_widget_set_name (row, "style-row");
  g_signal_connect (row, "notify::selected", G_CALLBACK (style_chosen), NULL);
  return row;
}

GtkWidget *
mh_preferences_new (GtkWindow *parent, GSettings *settings)
{
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();

  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 360);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (window), FALSE);
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("General"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "preferences-system-symbolic");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Appearance"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), language_row (settings));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), style_row (settings));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  return window;
}
