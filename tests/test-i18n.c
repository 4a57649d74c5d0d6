/* test-i18n.c — the translations (docs/translating.md), without a display:
 * no literal reaches a label, title, tooltip, button or menu without
 * gettext (the sources and the .ui files scanned, and the scanner shown to
 * catch one); po/POTFILES lists every file that translates; po/de.po has
 * every string of the sources, translated, nothing fuzzy (xgettext, msgcmp,
 * msgfmt --check); the program speaks German under LANGUAGE=de from the
 * build tree, the command line's --help too; numbers in the window get the
 * decimal comma while the files written (metrics CSV, the project's JSON)
 * keep the decimal point, also under a German LC_NUMERIC. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include "mh-format.h"
#include "mh-i18n.h"
#include "mh-project.h"
#include "mh-test-util.h"
#include "mh-train-log.h"
#include <json-glib/json-glib.h>

static char *tmp_dir;

/* ---- the literal scan --------------------------------------------------------- */

/* The calls whose string arguments a person reads. */
static const char *const ui_calls =
  "gtk_label_new|gtk_label_set_text|gtk_label_set_markup|gtk_label_set_label|gtk_button_new_with_label"
  "|gtk_button_new_with_mnemonic|gtk_button_set_label|gtk_check_button_new_with_label|gtk_check_button_set_label"
  "|gtk_toggle_button_new_with_label|gtk_toggle_button_new_with_mnemonic|gtk_widget_set_tooltip_text"
  "|gtk_widget_set_tooltip_markup|gtk_window_set_title|gtk_frame_new|gtk_expander_new|gtk_menu_button_set_label"
  "|gtk_entry_set_placeholder_text|gtk_string_list_append|g_menu_append|g_menu_item_new|g_menu_append_submenu"
  "|g_menu_insert|adw_\\w+_set_title|adw_\\w+_set_subtitle|adw_\\w+_set_description|adw_\\w+_set_label"
  "|adw_\\w+_set_button_label|adw_\\w+_set_body|adw_\\w+_set_heading|adw_toast_new|adw_message_dialog_new"
  "|adw_message_dialog_add_response|adw_message_dialog_add_responses|adw_window_title_new"
  "|gtk_stack_add_titled|adw_view_stack_add_titled|gtk_drop_down_new_from_strings|mh_window_toast"
  "|mh_window_show_error|mh_file_chooser_show|mh_file_chooser_export|mh_plot\\w*_set_title|mh_plot\\w*_set_[xy]_label"
  "|mh_plot_text|draw_text|show_text|pango_layout_set_text|pango_layout_set_markup|text_at|mh_figure_text"
  "|mh_figure_colour_bar|mh_plot_\\w*_add_\\w*|mh_conflict_view_set_note";

/* The text from `open` (a '(') to its matching ')', strings skipped. */
static const char *
call_end (const char *open)
{
  int depth = 0;

  for (const char *p = open; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\'')
        {
          char quote = *p;
          for (p++; *p != '\0' && *p != quote; p++)
            if (*p == '\\' && p[1] != '\0')
              p++;
          if (*p == '\0')
            return p;
        }
      else if (*p == '(')
        depth++;
      else if (*p == ')' && --depth == 0)
        return p;
    }
  return open + strlen (open);
}

/* An id, an action, an icon: not read as text. */
static gboolean
is_text (const char *s)
{
  static GRegex *word, *id;

  if (word == NULL)
    {
      word = g_regex_new ("[A-Za-z]{2,}", 0, 0, NULL);
      id = g_regex_new ("^[a-z0-9_.:/-]*$|^[-\\w]+-symbolic$|^%[-+ #0-9.]*[a-z]+$", 0, 0, NULL);
    }
  return g_regex_match (word, s, 0, NULL) && !g_regex_match (id, s, 0, NULL);
}

/* Appends "WHERE:LINE: call “literal”" for each literal argument of a UI
 * call in `text` that no _(), N_(), C_() or ngettext() wraps. */
static void
scan_source (const char *where, const char *text, GString *bad)
{
  g_autofree char *pattern = g_strdup_printf ("\\b(%s)\\s*\\(", ui_calls);
  g_autoptr(GRegex) call = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL);
  g_autoptr(GRegex) wrapped = g_regex_new ("\\b(_|N_|C_|NC_|ngettext|g_dngettext|gettext|g_dpgettext2|dgettext)\\s*\\(",
                                           0, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;

  g_regex_match (call, text, 0, &m);
  for (; g_match_info_matches (m); g_match_info_next (m, NULL))
    {
      int start, open;
      const char *end;
      g_autoptr(GString) args = NULL;
      g_autoptr(GMatchInfo) w = NULL;

      g_match_info_fetch_pos (m, 0, &start, &open);
      open--;
      end = call_end (text + open);
      args = g_string_new_len (text + open, end - (text + open));
      /* blank what gettext wraps */
      g_regex_match (wrapped, args->str, 0, &w);
      for (; g_match_info_matches (w); g_match_info_next (w, NULL))
        {
          int ws, we;
          const char *close;
          g_match_info_fetch_pos (w, 0, &ws, &we);
          close = call_end (args->str + we - 1);
          memset (args->str + ws, ' ', close - (args->str + ws));
        }
      for (const char *p = args->str; *p != '\0'; p++)
        if (*p == '"')
          {
            g_autoptr(GString) lit = g_string_new (NULL);
            for (p++; *p != '\0' && *p != '"'; p++)
              {
                if (*p == '\\' && p[1] != '\0')
                  g_string_append_c (lit, *p++);
                g_string_append_c (lit, *p);
              }
            if (*p == '\0')
              break;
            if (is_text (lit->str))
              {
                int line = 1;
                g_autofree char *name = g_match_info_fetch (m, 1);
                for (const char *q = text; q < text + start; q++)
                  line += *q == '\n';
                g_string_append_printf (bad, "%s:%d: %s (“%s”)\n", where, line, name, lit->str);
              }
          }
      if (*end == '\0')
        break;
    }
}

/* A .ui file's text properties that are not marked translatable. */
static void
scan_builder (const char *where, const char *text, GString *bad)
{
  g_autoptr(GRegex) prop = g_regex_new ("<property name=\"(label|title|tooltip-text|tooltip-markup|subtitle|description"
                                        "|placeholder-text|text|heading|body)\"([^>]*)>([^<]*)<", 0, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;

  g_regex_match (prop, text, 0, &m);
  for (; g_match_info_matches (m); g_match_info_next (m, NULL))
    {
      g_autofree char *attrs = g_match_info_fetch (m, 2);
      g_autofree char *value = g_match_info_fetch (m, 3);
      if (strstr (attrs, "translatable=\"yes\"") == NULL && is_text (value))
        g_string_append_printf (bad, "%s: <property %s> “%s” is not translatable=\"yes\"\n", where, attrs, value);
    }
}

static void
scan_dir (const char *dir, const char *suffix, void (*scan) (const char *, const char *, GString *), GString *bad)
{
  g_autofree char *path = g_build_filename (MH_SOURCE_DIR, dir, NULL);
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *rel = g_build_filename (dir, name, NULL);
      g_autofree char *full = g_build_filename (MH_SOURCE_DIR, rel, NULL);
      g_autofree char *text = NULL;

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        scan_dir (rel, suffix, scan, bad);
      else if (g_str_has_suffix (name, suffix) && g_file_get_contents (full, &text, NULL, NULL))
        scan (rel, text, bad);
    }
}

static void
test_scanner_catches (void)
{
  g_autoptr(GString) bad = g_string_new (NULL);

  scan_source ("good.c", "gtk_label_new (_(\"Fine\"));\n"
               "gtk_widget_set_tooltip_text (w, n > 1 ? _(\"Blocks\") : _(\"Block\"));\n"
               "g_menu_append (menu, _(\"_Save\"), \"win.save\");\n"
               "gtk_button_set_label (b, ngettext (\"%d run\", \"%d runs\", n));\n"
               "gtk_stack_add_titled (s, c, \"compare\", _(\"Compare\"));\n"
               "gtk_label_set_text (l, \"\");\n", bad);
  g_assert_cmpstr (bad->str, ==, "");
  scan_source ("bad.c", "\n  gtk_widget_set_tooltip_text (w,\n      ok ? _(\"Fine\") : \"Not wrapped\");\n"
               "adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), \"Language\");\n", bad);
  g_assert_cmpstr (bad->str, ==, "bad.c:2: gtk_widget_set_tooltip_text (“Not wrapped”)\n"
                                 "bad.c:4: adw_preferences_row_set_title (“Language”)\n");
  g_string_truncate (bad, 0);
  scan_builder ("x.ui", "<property name=\"tooltip-text\">Open a Project</property>"
                "<property name=\"label\" translatable=\"yes\">Train</property>"
                "<property name=\"icon-name\">list-add-symbolic</property>", bad);
  g_assert_cmpstr (bad->str, ==, "x.ui: <property > “Open a Project” is not translatable=\"yes\"\n");
}

static void
test_no_untranslated_literals (void)
{
  g_autoptr(GString) bad = g_string_new (NULL);

  scan_dir ("ui", ".c", scan_source, bad);
  scan_dir ("app", ".c", scan_source, bad);
  scan_dir ("resources/ui", ".ui", scan_builder, bad);
  scan_dir ("resources/gtk", ".ui", scan_builder, bad);
  if (bad->len > 0)
    g_error ("text shown without gettext (wrap it in _(), N_() in a static table):\n%s", bad->str);
}

/* ---- po/POTFILES ---------------------------------------------------------------- */

static void
collect_translating (const char *dir, GPtrArray *out)
{
  g_autofree char *path = g_build_filename (MH_SOURCE_DIR, dir, NULL);
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *rel = g_build_filename (dir, name, NULL);
      g_autofree char *full = g_build_filename (MH_SOURCE_DIR, rel, NULL);
      g_autofree char *text = NULL;

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_translating (rel, out);
      else if (g_str_has_suffix (name, ".c") && g_file_get_contents (full, &text, NULL, NULL)
               && (strstr (text, "_(\"") != NULL || strstr (text, "N_(\"") != NULL || strstr (text, "C_(\"") != NULL))
        g_ptr_array_add (out, g_steal_pointer (&rel));
    }
}

static void
test_potfiles (void)
{
  g_autofree char *path = g_build_filename (MH_SOURCE_DIR, "po", "POTFILES", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) translating = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) bad = g_string_new (NULL);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && lines[i][0] != '#')
      {
        g_autofree char *full = g_build_filename (MH_SOURCE_DIR, lines[i], NULL);
        if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
          g_string_append_printf (bad, "po/POTFILES lists %s, which is not there\n", lines[i]);
        g_hash_table_add (listed, lines[i]);
      }
  collect_translating ("app", translating);
  collect_translating ("ui", translating);
  collect_translating ("engine", translating);
  g_assert_cmpuint (translating->len, >, 20);
  for (guint i = 0; i < translating->len; i++)
    if (!g_hash_table_contains (listed, translating->pdata[i]))
      g_string_append_printf (bad, "%s translates strings but po/POTFILES does not list it\n",
                              (char *) translating->pdata[i]);
  if (bad->len > 0)
    g_error ("%s", bad->str);
}

/* The example gallery's titles and lessons (a JSON file xgettext cannot
 * read) are listed with N_() in mh-example-gallery.c. */
static void
test_gallery_listed (void)
{
  g_autofree char *json = g_build_filename (MH_SOURCE_DIR, "resources", "examples", "gallery.json", NULL);
  g_autofree char *c = g_build_filename (MH_SOURCE_DIR, "ui", "window", "mh-example-gallery.c", NULL);
  g_autofree char *source = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) bad = g_string_new (NULL);
  JsonArray *examples;

  g_assert_true (g_file_get_contents (c, &source, NULL, NULL));
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  examples = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (examples), >, 3);
  for (guint i = 0; i < json_array_get_length (examples); i++)
    {
      JsonObject *o = json_array_get_object_element (examples, i);
      const char *keys[] = { "title", "lesson" };
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          const char *text = json_object_get_string_member_with_default (o, keys[k], NULL);
          g_autoptr(GString) quoted = g_string_new (text);
          g_autofree char *wanted = NULL;
          if (text == NULL)
            continue;
          g_string_replace (quoted, "\\", "\\\\", 0);
          g_string_replace (quoted, "\"", "\\\"", 0);
          wanted = g_strdup_printf ("N_(\"%s\")", quoted->str);
          if (strstr (source, wanted) == NULL)
            g_string_append_printf (bad, "  %s\n", wanted);
        }
    }
  if (bad->len > 0)
    g_error ("gallery.json's texts missing from gallery_texts in ui/window/mh-example-gallery.c:\n%s", bad->str);
}

/* ---- po/de.po ------------------------------------------------------------------- */

static gboolean
run (const char *const *argv, const char *const *env, char **out, char **err)
{
  int status = -1;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();

  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    envp = g_environ_setenv (envp, env[i], env[i + 1], TRUE);
  if (!g_spawn_sync (MH_SOURCE_DIR, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_german_complete (void)
{
  g_autofree char *xgettext = g_find_program_in_path ("xgettext");
  g_autofree char *pot = g_build_filename (tmp_dir, "multihead-studio.pot", NULL);
  g_autofree char *out = NULL, *err = NULL;

  if (xgettext == NULL || g_find_program_in_path ("msgcmp") == NULL)
    {
      g_test_skip ("gettext is not installed (apt-get install gettext)");
      return;
    }
  {
    /* as po/meson.build has meson run it (the 'glib' preset) */
    const char *argv[] = { "xgettext", "--package-name=multihead-studio", "-f", "po/POTFILES", "-D", MH_SOURCE_DIR,
                           "-o", pot, "--from-code=UTF-8", "--add-comments=TRANSLATORS:", "--keyword=_",
                           "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
                           "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
                           "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format",
                           "--flag=g_strdup_printf:1:c-format", "--flag=g_set_error:4:c-format", NULL };
    const char *env[] = { "GETTEXTDATADIRS", MH_SOURCE_DIR "/resources", NULL };
    if (!run (argv, env, NULL, &err))
      g_error ("xgettext failed: %s", err);
  }
  g_clear_pointer (&err, g_free);
  {
    /* every msgid of the sources is in de.po, translated */
    const char *argv[] = { "msgcmp", "po/de.po", pot, NULL };
    if (!run (argv, NULL, NULL, &err))
      g_error ("po/de.po lacks strings of the sources (meson compile -C build multihead-studio-update-po, "
               "then translate them):\n%s", err);
  }
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", "po/de.po", NULL };
    const char *env[] = { "LC_ALL", "C", "LANGUAGE", "", NULL };
    if (!run (argv, env, &out, &err))
      g_error ("msgfmt --check po/de.po: %s", err);
    g_test_message ("po/de.po: %s", err);
    g_assert_nonnull (strstr (err, " translated message"));
    if (strstr (err, "untranslated") != NULL || strstr (err, "fuzzy") != NULL)
      g_error ("po/de.po is not complete: %s", err);
  }
}

/* ---- German at run time ------------------------------------------------------------ */

static void
test_german_from_build_tree (void)
{
  g_assert_true (g_str_has_prefix (mh_i18n_locale_dir (), MH_BUILD_LOCALE_DIR));
  mh_i18n_init ("de");
  g_assert_cmpstr (setlocale (LC_NUMERIC, NULL), ==, "C");
  /* "Learn" and "Loss" are the window's; their German is de.po's */
  g_assert_cmpstr (_("Learn"), !=, "Learn");
  g_assert_cmpstr (_("Loss"), ==, "Verlust");
  g_assert_cmpstr (mh_format_decimal_point (), ==, ",");
  mh_i18n_init ("en");
  g_assert_cmpstr (_("Loss"), ==, "Loss");
  g_assert_cmpstr (mh_format_decimal_point (), ==, ".");
}

static void
test_cli_help_german (void)
{
  const char *binary = g_getenv ("MH_BINARY");
  g_autofree char *out = NULL, *err = NULL, *expect = NULL, *summary = NULL;

  if (binary == NULL)
    {
      g_test_skip ("MH_BINARY is not set (meson test sets it)");
      return;
    }
  mh_i18n_init ("de");
  expect = g_strdup (_("Train N epochs (default: the project's)"));
  summary = g_strdup (_("train a project without a display"));
  mh_i18n_init ("en");
  g_assert_cmpstr (expect, !=, "Train N epochs (default: the project's)");
  {
    const char *argv[] = { binary, "train", "--help", NULL };
    const char *env[] = { "LANGUAGE", "de", "LANG", "C.UTF-8", "LC_ALL", "", NULL };
    g_assert_true (run (argv, env, &out, &err));
    if (strstr (out, expect) == NULL)
      g_error ("'train --help' under LANGUAGE=de lacks “%s”:\n%s", expect, out);
  }
  g_clear_pointer (&out, g_free);
  {
    /* no LANG at all (the C locale, where gettext would ignore LANGUAGE) */
    const char *argv[] = { binary, "--help", NULL };
    const char *env[] = { "LANGUAGE", "de", "LANG", "", "LC_ALL", "", NULL };
    g_assert_true (run (argv, env, &out, &err));
    if (strstr (out, summary) == NULL)
      g_error ("'--help' under LANGUAGE=de lacks “%s”:\n%s", summary, out);
  }
}

/* ---- numbers: the window's and the files' ------------------------------------------ */

static void
test_numbers_in_labels (void)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

  mh_i18n_init ("de");
  a = mh_format ("%.2f", 0.25);
  b = mh_format ("%'d Schritte, %'.1f", 1234567, -12345.678);
  c = mh_format ("%s: %.1f%% (%d)", "Kopf", 87.25, 3);
  mh_i18n_init ("en");
  d = mh_format ("%.2f", 0.25);
  e = mh_format ("%'d, %g", 1234567, 1e-05);
  g_assert_cmpstr (a, ==, "0,25");
  g_assert_cmpstr (b, ==, "1.234.567 Schritte, -12.345,7");
  g_assert_cmpstr (c, ==, "Kopf: 87,2% (3)");
  g_assert_cmpstr (d, ==, "0.25");
  g_assert_cmpstr (e, ==, "1,234,567, 1e-05");
}

/* What the files say under the current locale: the metrics CSV and a project. */
static void
write_files (char **csv, char **project)
{
  g_autoptr(GError) error = NULL;
  const char *log_csv = "step,epoch,total_loss\n1,1,0.25\n2,1,0.125\n";
  MhTrainLog *log = mh_train_log_from_csv (log_csv, strlen (log_csv), "log.csv", &error);
  g_autoptr(MhProject) p = mh_project_new_default ();

  g_assert_no_error (error);
  *csv = mh_train_log_to_csv (log, NULL);
  mh_train_log_free (log);
  p->optim.lr = 0.0025;
  *project = mh_project_to_data (p, NULL);
}

static void
test_files_stay_c (void)
{
  g_autofree char *csv = NULL, *project = NULL;
  g_autofree char *locales = g_build_filename (tmp_dir, "locales", NULL);
  g_autofree char *target = g_build_filename (locales, "de_DE.UTF-8", NULL);
  g_autofree char *printed = NULL;
  const char *localedef_argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", target, NULL };

  mh_i18n_init ("de");
  write_files (&csv, &project);
  g_assert_nonnull (strstr (csv, "0.25\n"));
  g_assert_nonnull (strstr (project, "0.0025"));
  g_assert_null (strstr (project, "0,0025"));
  g_clear_pointer (&csv, g_free);
  g_clear_pointer (&project, g_free);

  /* and under a German LC_NUMERIC, should anything set one */
  g_mkdir_with_parents (locales, 0700);
  if (g_find_program_in_path ("localedef") == NULL || !g_file_test ("/usr/share/i18n/locales/de_DE", G_FILE_TEST_EXISTS)
      || !run (localedef_argv, NULL, NULL, NULL))
    {
      g_test_skip ("no German locale can be made here (localedef, /usr/share/i18n/locales/de_DE)");
      mh_i18n_init ("en");
      return;
    }
  g_setenv ("LOCPATH", locales, TRUE);
  g_assert_nonnull (setlocale (LC_NUMERIC, "de_DE.UTF-8"));
  printed = g_strdup_printf ("%.2f", 0.25);
  g_assert_cmpstr (printed, ==, "0,25");   /* the locale is German */
  write_files (&csv, &project);
  setlocale (LC_NUMERIC, "C");
  g_unsetenv ("LOCPATH");
  mh_i18n_init ("en");
  g_assert_nonnull (strstr (csv, "0.25\n"));
  g_assert_null (strstr (csv, "0,25"));
  g_assert_nonnull (strstr (project, "0.0025"));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = mh_test_tmp_dir ();
  g_test_add_func ("/i18n/scanner-catches", test_scanner_catches);
  g_test_add_func ("/i18n/no-untranslated-literals", test_no_untranslated_literals);
  g_test_add_func ("/i18n/potfiles", test_potfiles);
  g_test_add_func ("/i18n/gallery-listed", test_gallery_listed);
  g_test_add_func ("/i18n/german-complete", test_german_complete);
  g_test_add_func ("/i18n/german-from-build-tree", test_german_from_build_tree);
  g_test_add_func ("/i18n/cli-help-german", test_cli_help_german);
  g_test_add_func ("/i18n/numbers-in-labels", test_numbers_in_labels);
  g_test_add_func ("/i18n/files-stay-c", test_files_stay_c);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
