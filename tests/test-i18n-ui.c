/* test-i18n-ui.c — the window's language pieces, under Xvfb in German
 * (MH_TEST_LANGUAGE=de, set by tests/meson.build): the Preferences window's
 * language row writes the setting and says that it applies at the next
 * start; spin buttons show and read the decimal comma, scales draw it; a drop-down's
 * ellipsized choice carries its whole name as a tooltip; the window's
 * title bar and dashboard speak German. */
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>
#include "mh-application.h"
#include "mh-drop-down.h"
#include "mh-preferences.h"
#include "mh-spin.h"
#include "mh-test-ui.h"
#include "mh-test-util.h"
#include "mh-window.h"

static char *tmp_dir;

static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

static void
test_preferences_language (void)
{
  g_autoptr(GSettings) settings = mh_settings_new ();
  GtkWidget *window, *row;

  g_assert_nonnull (settings);
  g_settings_set_string (settings, "language", "");
  window = mh_preferences_new (NULL, settings);
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (200);
  row = find_named (window, "language-row");
  g_assert_nonnull (row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);   /* the desktop's */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Sprache");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 2);                          /* Deutsch */
  {
    g_autofree char *language = g_settings_get_string (settings, "language");
    g_assert_cmpstr (language, ==, "de");
  }
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);                          /* English */
  {
    g_autofree char *language = g_settings_get_string (settings, "language");
    g_assert_cmpstr (language, ==, "en");
  }
  g_assert_true (has_label (window, _("Applies the next time Multihead Studio starts")));
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_set_string (settings, "language", "");
}

static void
test_spin_decimal_comma (void)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 10, 0.001);
  g_object_ref_sink (spin);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0.125);
  mh_spin_button_localise (GTK_SPIN_BUTTON (spin));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0,125");
  gtk_editable_set_text (GTK_EDITABLE (spin), "2,5");
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 2.5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "2,500");
  gtk_editable_set_text (GTK_EDITABLE (spin), "0.75");                          /* as typed in C */
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 0.75);
  gtk_editable_set_text (GTK_EDITABLE (spin), "zwei");                          /* refused: the value stays */
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 0.75);
  g_object_unref (spin);
}

static GtkWidget *
find_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_drop_down_tooltip (void)
{
  const char *long_name = "Unsicherheitsgewichtung (gelernt, mit eigenem Adam)";
  GtkWidget *window = gtk_window_new ();
  GtkWidget *drop = gtk_drop_down_new_from_strings ((const char *const[]) { long_name, "kurz", NULL });
  GtkWidget *label;

  mh_drop_down_ellipsize (GTK_DROP_DOWN (drop));
  gtk_widget_set_size_request (drop, 120, -1);
  gtk_widget_set_halign (drop, GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (window), drop);
  gtk_window_set_default_size (GTK_WINDOW (window), 130, 40);
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (300);
  label = find_label (drop, long_name);
  g_assert_nonnull (label);
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (label), ==, long_name);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_scale_decimal_comma (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.05);

  gtk_scale_set_digits (GTK_SCALE (scale), 2);
  gtk_scale_set_draw_value (GTK_SCALE (scale), TRUE);
  gtk_range_set_value (GTK_RANGE (scale), 0.25);
  mh_scale_localise (GTK_SCALE (scale));
  gtk_window_set_child (GTK_WINDOW (window), scale);
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (200);
  g_assert_nonnull (find_label (scale, "0,25"));
  g_assert_null (find_label (scale, "0.25"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_in_german (void)
{
  MhWindow *window = mh_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
  gtk_window_present (GTK_WINDOW (window));
  mh_test_pump (600);
  /* the dashboard's pages and the train button, as de.po has them */
  g_assert_true (has_label (GTK_WIDGET (window), "Verlust"));
  g_assert_true (has_label (GTK_WIDGET (window), "Kennzahlen"));
  g_assert_true (has_label (GTK_WIDGET (window), "Trainieren"));
  g_assert_false (has_label (GTK_WIDGET (window), "Loss"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The language chosen in Preferences wins over the environment's at the
 * next start: mh_application_new reads it before GTK makes any window. */
static void
test_preference_applies_at_start (void)
{
  g_autoptr(GSettings) settings = mh_settings_new ();
  MhApplication *app;

  g_settings_set_string (settings, "language", "en");
  g_setenv ("LANGUAGE", "de", TRUE);
  app = mh_application_new (MH_TEST_EXAMPLES "/fashion-mlp.mhproj");
  g_assert_cmpstr (_("Loss"), ==, "Loss");
  g_object_unref (app);
  g_settings_set_string (settings, "language", "de");
  g_setenv ("LANGUAGE", "en", TRUE);
  app = mh_application_new (MH_TEST_EXAMPLES "/fashion-mlp.mhproj");
  g_assert_cmpstr (_("Loss"), ==, "Verlust");
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "de");
  g_object_unref (app);
  g_settings_set_string (settings, "language", "");
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = mh_test_ui_init (&argc, &argv);
  g_assert_cmpstr (_("Loss"), ==, "Verlust");   /* MH_TEST_LANGUAGE=de */
  g_test_add_func ("/i18n-ui/preferences-language", test_preferences_language);
  g_test_add_func ("/i18n-ui/spin-decimal-comma", test_spin_decimal_comma);
  g_test_add_func ("/i18n-ui/drop-down-tooltip", test_drop_down_tooltip);
  g_test_add_func ("/i18n-ui/scale-decimal-comma", test_scale_decimal_comma);
  g_test_add_func ("/i18n-ui/window-in-german", test_window_in_german);
  g_test_add_func ("/i18n-ui/preference-applies-at-start", test_preference_applies_at_start);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
