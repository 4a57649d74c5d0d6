/* mh-runs-page.c — the project's recorded runs (mh-runs-page.h). */
#include <math.h>
#include <adwaita.h>
#include "mh-fit-label.h"
#include <glib/gi18n.h>
#include "mh-format.h"
#include "mh-runs-page.h"
#include "mh-schema.h"
#include "mh-teach.h"
#include "mh-trainer.h"

/* The list's columns: every row's cells line up (each of a fixed width, or a
 * size group; the name's takes the rest).  The name's column also holds the
 * date, balancing, seed, epochs and disk use below it (the dashboard is narrow
 * at 1280 × 720). */
enum { COL_TICK, COL_NAME, COL_STATE, COL_FIGURES, COL_TOOLS, N_COLUMNS };
static const int column_width[N_COLUMNS] = { -1, 120, 76, 110, -1 };

struct _MhRunsPage
{
  GtkWidget   parent_instance;
  GtkWidget  *box, *list, *summary, *where, *keep, *max_mb, *views, *empty;
  GtkSizeGroup *columns[N_COLUMNS];   /* each column's width, the header's and every row's */
  MhCompareView  *compare;
  MhTradeoffView *tradeoff;
  MhRunStore *store;
  MhProject  *current;
  GPtrArray  *runs;          /* MhRun, oldest first */
  GHashTable *ticked;        /* id → TRUE */
  char       *current_id;
  gboolean    filling;
  guint       reload_source;   /* a reload after a row's own signal (it goes with the row) */
  GtkWidget  *views_help;      /* "?" by the views: the comparison or the trade-off explained, the one in view */
};

enum { TICKED_CHANGED, SHOW_RUN, BRANCH, REPEAT, DELETED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MhRunsPage, mh_runs_page, GTK_TYPE_WIDGET)

/* ---- a row ----------------------------------------------------------------------------- */

char *
mh_runs_page_dup_title (MhRunsPage *self, const MhRun *run)
{
  g_autofree char *title = mh_run_dup_title (run);

  if (self->current != NULL && run->state != MH_RUN_UNREADABLE && !mh_run_trained_project (run, self->current))
    /* TRANSLATORS: a run's name, and that the canvas has changed since it trained */
    return g_strdup_printf (_("%s, before your edit"), title);
  return g_steal_pointer (&title);
}

static char *
date_of (const MhRun *run)
{
  g_autoptr (GDateTime) utc = run->started > 0 ? g_date_time_new_from_unix_utc (run->started) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  /* TRANSLATORS: a run's start in the runs list (strftime: day, month, hour:minute) */
  char *date = local != NULL ? g_date_time_format (local, _("%e %b %H:%M")) : NULL;

  return date != NULL ? g_strstrip (date) : g_strdup ("—");
}

const char *
mh_run_state_title (const MhRun *run)
{
  if (run->interrupted)
    return _("interrupted");
  switch (run->state)
    {
    case MH_RUN_RUNNING: return _("running");
    case MH_RUN_PAUSED: return _("paused");
    case MH_RUN_STOPPED: return _("stopped");
    case MH_RUN_FINISHED: return _("finished");
    case MH_RUN_FAILED: return _("failed");
    case MH_RUN_UNREADABLE:
    default: return _("unreadable");
    }
}

/* Each head's headline figure, one a line: the test split's, else the last validation's. */
static char *
figures (const MhRun *run)
{
  g_autoptr (GString) s = g_string_new (NULL);
  const MhHeadMetrics *m = run->test != NULL ? run->test : run->validation;

  for (int h = 0; m != NULL && h < run->n_heads; h++)
    {
      const char *name = NULL;
      double v = mh_head_metrics_primary (&m[h], &name);
      if (!isfinite (v))
        continue;
      g_string_append_printf (s, "%s%s ", s->len ? "\n" : "", run->heads[h].name);
      {
        /* the window's decimal separator (mh-format.h) */
        g_autofree char *figure = g_strcmp0 (name, "accuracy") == 0 ? mh_format ("%.1f%%", 100 * v)
                                                                    : mh_format ("%s %.3f", name, v);
        g_string_append (s, figure);
      }
    }
  if (m != NULL && m == run->validation && s->len > 0)
    /* TRANSLATORS: after a run's figures: they are of the validation split (it has no test figures) */
    g_string_append (s, _(" (validation)"));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
reload_now (gpointer data)
{
  MhRunsPage *self = data;

  self->reload_source = 0;
  mh_runs_page_reload (self);
  g_signal_emit (self, signals[TICKED_CHANGED], 0);   /* the names the comparison shows */
  return G_SOURCE_REMOVE;
}

/* The list again once the signal of a row's widget has returned (reloading
 * destroys the row and the widget inside its own signal). */
static void
reload_later (MhRunsPage *self)
{
  if (self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reload_now, g_object_ref (self), g_object_unref);
}

static const char *
row_id (GtkWidget *w)
{
  return g_object_get_data (G_OBJECT (w), "mh-run-id");
}

static void
ticked (GtkCheckButton *check, MhRunsPage *self)
{
  const char *id = row_id (GTK_WIDGET (check));

  if (self->filling)
    return;
  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->ticked, g_strdup (id));
  else
    g_hash_table_remove (self->ticked, id);
  g_signal_emit (self, signals[TICKED_CHANGED], 0);
}

static void
show_message (MhRunsPage *self, const char *heading, const char *body)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_WINDOW);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (window), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
mh_runs_page_rename (MhRunsPage *self, const char *id, const char *name)
{
  g_autoptr (GError) error = NULL;
  MhRun *run = mh_runs_page_find (self, id);

  if (run == NULL)
    return;
  if (!mh_run_store_set_name (self->store, id, name, &error))
    {
      show_message (self, _("Could not rename the run"), error->message);
      return;
    }
  g_free (run->name);
  run->name = name != NULL && *name ? g_strdup (name) : NULL;
  reload_later (self);
}

static void
rename_answered (AdwMessageDialog *dialog, const char *response, MhRunsPage *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *id = g_object_get_data (G_OBJECT (dialog), "mh-run-id");

  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_strcmp0 (response, "rename") == 0)
    mh_runs_page_rename (self, id, text);
}

/* Rename: a dialog with the name (an empty name: "run ID" again). */
static void
ask_name (MhRunsPage *self, const MhRun *run)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_WINDOW);
  g_autofree char *title = mh_run_dup_title (run);
  g_autofree char *heading = g_strdup_printf (_("Rename %s"), title);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (window), heading,
                                              _("An empty name gives it its number again."));
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), run->name != NULL ? run->name : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "mh-run-id", g_strdup (run->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_answered), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
pinned (GtkToggleButton *button, MhRunsPage *self)
{
  g_autoptr (GError) error = NULL;
  MhRun *run;

  if (self->filling)
    return;
  if (!mh_run_store_set_pinned (self->store, row_id (GTK_WIDGET (button)), gtk_toggle_button_get_active (button),
                                &error))
    {
      show_message (self, _("Could not pin the run"), error->message);
      reload_later (self);
      return;
    }
  run = mh_runs_page_find (self, row_id (GTK_WIDGET (button)));
  if (run != NULL)
    run->pinned = gtk_toggle_button_get_active (button);
}

static void
show_run_folder (MhRunsPage *self, const MhRun *run)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_WINDOW);
  g_autoptr (GFile) dir = g_file_new_for_path (run->dir);
  g_autofree char *uri = g_file_get_uri (dir);

  gtk_show_uri (GTK_WINDOW (window), uri, GDK_CURRENT_TIME);
}

/* The row's menu: "row.show", "row.branch" (epoch), "row.repeat", "row.rename", "row.folder", "row.delete". */
static void
row_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkWidget *row = data;
  MhRunsPage *self = MH_RUNS_PAGE (gtk_widget_get_ancestor (row, MH_TYPE_RUNS_PAGE));
  const char *name = g_action_get_name (G_ACTION (action));
  g_autofree char *id = g_strdup (row_id (row));
  MhRun *run = mh_runs_page_find (self, id);

  if (run == NULL)
    return;
  if (g_str_equal (name, "show"))
    g_signal_emit (self, signals[SHOW_RUN], 0, id, param != NULL ? g_variant_get_int32 (param) : -1);
  else if (g_str_equal (name, "branch"))
    g_signal_emit (self, signals[BRANCH], 0, id, g_variant_get_int32 (param));
  else if (g_str_equal (name, "repeat"))
    g_signal_emit (self, signals[REPEAT], 0, id);
  else if (g_str_equal (name, "rename"))
    ask_name (self, run);
  else if (g_str_equal (name, "folder"))
    show_run_folder (self, run);
  else if (g_str_equal (name, "delete"))
    {
      g_autoptr (GError) error = NULL;
      g_hash_table_remove (self->ticked, id);
      if (!mh_run_store_trash (self->store, id, &error))
        {
          show_message (self, _("Could not delete the run"), error->message);
          return;
        }
      g_ptr_array_remove (self->runs, run);   /* gone from the list now; its row after this action */
      gtk_widget_set_visible (row, FALSE);
      reload_later (self);
      g_signal_emit (self, signals[DELETED], 0, id);
      g_signal_emit (self, signals[TICKED_CHANGED], 0);
    }
}

static GMenuModel *
row_menu (const MhRun *run)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) branch = g_menu_new ();
  g_autoptr (GMenu) show = g_menu_new ();
  g_autoptr (GMenu) first = g_menu_new ();
  g_autoptr (GMenu) middle = g_menu_new ();
  g_autoptr (GMenu) last = g_menu_new ();

  for (guint i = 0; i < run->checkpoints->len; i++)
    {
      const MhRunCheckpoint *c = &g_array_index (run->checkpoints, MhRunCheckpoint, i);
      g_autofree char *label = g_strdup_printf (_("Epoch %d"), c->epoch);
      g_autoptr (GMenuItem) b = NULL, s = NULL;
      if (c->at_stop || c->problem != NULL)
        continue;
      b = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (b, "row.branch", "i", c->epoch);
      g_menu_append_item (branch, b);
      s = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (s, "row.show", "i", c->epoch);
      g_menu_append_item (show, s);
    }
  if (g_menu_model_get_n_items (G_MENU_MODEL (show)) > 0)
    {
      g_menu_append_submenu (first, _("Show _Predictions After"), G_MENU_MODEL (show));
      g_menu_append_submenu (first, _("_Branch From (the canvas as it is)"), G_MENU_MODEL (branch));
    }
  g_menu_append (first, _("_Repeat With 3 Seeds"), "row.repeat");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (first));
  g_menu_append (middle, _("Re_name…"), "row.rename");
  g_menu_append (middle, _("Show _Folder"), "row.folder");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (middle));
  g_menu_append (last, _("_Delete"), "row.delete");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (last));
  return G_MENU_MODEL (menu);
}

static void
make_menu (GtkMenuButton *button, gpointer data)
{
  MhRun *run = mh_runs_page_find (MH_RUNS_PAGE (data), row_id (GTK_WIDGET (button)));
  g_autoptr (GMenuModel) model = run != NULL ? row_menu (run) : NULL;

  if (model != NULL && gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, model);
}

static GtkWidget *
cell (MhRunsPage *self, GtkWidget *box, int column, const char *text, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (column_width[column] > 0)
    {
      gtk_widget_set_size_request (label, column_width[column], -1);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 1);   /* the width asked for: wrap beyond it */
    }
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  gtk_size_group_add_widget (self->columns[column], label);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static GtkWidget *
new_row (MhRunsPage *self, const MhRun *run)
{
  static const GActionEntry entries[] = {
    { "show", row_action, "i", NULL, NULL, { 0 } },
    { "branch", row_action, "i", NULL, NULL, { 0 } },
    { "repeat", row_action, NULL, NULL, NULL, { 0 } },
    { "rename", row_action, NULL, NULL, NULL, { 0 } },
    { "folder", row_action, NULL, NULL, NULL, { 0 } },
    { "delete", row_action, NULL, NULL, NULL, { 0 } },
  };
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *name_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *tools = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *title = mh_run_dup_title (run), *date = date_of (run), *figs = figures (run);
  g_autofree char *c_disk = g_format_size ((guint64) MAX (0, run->disk_bytes));
  g_autofree char *disk = mh_format_localise (c_disk, FALSE);
  GtkWidget *name = gtk_label_new (title);
  GtkWidget *pin = gtk_toggle_button_new ();
  GtkWidget *menu = gtk_menu_button_new ();
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  gboolean readable = run->state != MH_RUN_UNREADABLE;

  g_object_set_data_full (G_OBJECT (row), "mh-run-id", g_strdup (run->id), g_free);
  g_object_set_data_full (G_OBJECT (check), "mh-run-id", g_strdup (run->id), g_free);
  g_object_set_data_full (G_OBJECT (pin), "mh-run-id", g_strdup (run->id), g_free);
  g_object_set_data (G_OBJECT (row), "mh-check", check);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (self->ticked, run->id));
  gtk_widget_set_sensitive (check, readable);
  gtk_widget_set_valign (check, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (check, _("Compare: tick two or more runs"));
  g_signal_connect (check, "toggled", G_CALLBACK (ticked), self);
  gtk_size_group_add_widget (self->columns[COL_TICK], check);
  gtk_box_append (GTK_BOX (box), check);

  /* the name (Rename… in the menu, or a double click), and what is wrong with the run below it */
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 24);
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (name_box), name);
  if (readable)
    {
      /* TRANSLATORS: below a run's name: its start, balancing method, seed, epochs done of planned, disk use */
      g_autofree char *text = g_strdup_printf (_("%s · %s · seed %u · %d of %d epochs · %s"), date,
                                               run->balancing ? run->balancing : "—", run->seed,
                                               mh_run_epochs_done (run), run->epochs, disk);
      GtkWidget *detail = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (detail), 0);
      gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (detail), 24);
      gtk_widget_add_css_class (detail, "caption");
      gtk_widget_add_css_class (detail, "dim-label");
      gtk_box_append (GTK_BOX (name_box), detail);
    }
  if (run->parent_id != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("branch of run %s at epoch %d"), run->parent_id, run->parent_epoch);
      GtkWidget *branch = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (branch), 0);
      gtk_label_set_wrap (GTK_LABEL (branch), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (branch), 24);
      gtk_widget_add_css_class (branch, "caption");
      gtk_widget_add_css_class (branch, "dim-label");
      gtk_box_append (GTK_BOX (name_box), branch);
    }
  for (int k = 0; k < 2; k++)
    {
      /* an unreadable record or a project that no longer reads; a failed run's message */
      const char *text = k == 0 ? run->problem : run->state == MH_RUN_FAILED ? run->message : NULL;
      GtkWidget *label;
      if (text == NULL)
        continue;
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, k == 0 && readable ? "warning" : "error");
      gtk_box_append (GTK_BOX (name_box), label);
    }
  gtk_widget_set_size_request (name_box, column_width[COL_NAME], -1);
  gtk_widget_set_hexpand (name_box, TRUE);
  gtk_box_append (GTK_BOX (box), name_box);

  cell (self, box, COL_STATE, mh_run_state_title (run), !readable || run->state == MH_RUN_FAILED ? "error" : NULL);
  cell (self, box, COL_FIGURES, figs, "numeric");

  gtk_button_set_icon_name (GTK_BUTTON (pin), "view-pin-symbolic");
  gtk_widget_add_css_class (pin, "flat");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (pin), run->pinned);
  gtk_widget_set_sensitive (pin, readable);
  gtk_widget_set_tooltip_text (pin, _("Pinned: its checkpoints are kept whatever the retention rule"));
  gtk_widget_set_valign (pin, GTK_ALIGN_START);
  g_signal_connect (pin, "toggled", G_CALLBACK (pinned), self);
  gtk_box_append (GTK_BOX (tools), pin);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "view-more-symbolic");
  /* the menu made when it first opens: a project with many runs opens at once */
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (menu), make_menu, self, NULL);
  g_object_set_data_full (G_OBJECT (menu), "mh-run-id", g_strdup (run->id), g_free);
  gtk_widget_add_css_class (menu, "flat");
  gtk_widget_set_valign (menu, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (menu, _("Show, branch, repeat, rename or delete this run"));
  gtk_box_append (GTK_BOX (tools), menu);
  gtk_size_group_add_widget (self->columns[COL_TOOLS], tools);
  gtk_box_append (GTK_BOX (box), tools);

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), row);
  if (!readable)
    for (guint i = 0; i < 4; i++)   /* an unreadable run can be shown in its folder and deleted */
      g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (group),
                                                                                entries[i].name)), FALSE);
  gtk_widget_insert_action_group (row, "row", G_ACTION_GROUP (group));
  if (g_strcmp0 (run->id, self->current_id) == 0)
    gtk_widget_add_css_class (row, "mh-current-run");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), readable);
  return row;
}

/* ---- the list ------------------------------------------------------------------------ */

static void
update_summary (MhRunsPage *self)
{
  g_autofree char *c_size = self->store ? g_format_size ((guint64) mh_run_store_disk_use (self->store)) : NULL;
  g_autofree char *size = c_size != NULL ? mh_format_localise (c_size, FALSE) : NULL;   /* "6,9 MB" in German */
  /* TRANSLATORS: the runs page's header: how many runs, and their disk use ("3 runs · 12.7 MB") */
  g_autofree char *text = self->store ? g_strdup_printf (ngettext ("%u run · %s", "%u runs · %s", self->runs->len),
                                                         self->runs->len, size)
                                      : g_strdup ("");
  MhRunRetention rule = self->store ? mh_run_store_get_retention (self->store)
                                    : (MhRunRetention) { MH_RUN_KEEP_CHECKPOINTS_DEFAULT, MH_RUN_MAX_BYTES_DEFAULT };
  g_autofree char *where = self->store == NULL ? g_strdup ("")
                         : self->store->in_user_data ? g_strdup_printf (_("%s — in your data folder: %s"),
                                                                        self->store->dir, self->store->why)
                         : g_strdup (self->store->dir);

  gtk_label_set_text (GTK_LABEL (self->summary), text);
  gtk_widget_set_tooltip_text (self->summary, *text != '\0' ? text : NULL);   /* ellipsized when narrow */
  gtk_label_set_text (GTK_LABEL (self->where), where);
  gtk_widget_set_tooltip_text (self->where, where);
  self->filling = TRUE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->keep), rule.keep_checkpoints);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->max_mb), (double) rule.max_bytes / 1048576.0);
  self->filling = FALSE;
}

void
mh_runs_page_reload (MhRunsPage *self)
{
  GtkWidget *child;

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  self->runs = self->store != NULL ? mh_run_store_list (self->store)
                                   : g_ptr_array_new_with_free_func ((GDestroyNotify) mh_run_unref);
  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  for (guint i = self->runs->len; i-- > 0;)   /* the latest first */
    gtk_list_box_append (GTK_LIST_BOX (self->list), new_row (self, self->runs->pdata[i]));
  self->filling = FALSE;
  update_summary (self);
}

void
mh_runs_page_set_store (MhRunsPage *self, const MhRunStore *store, const MhProject *current)
{
  g_clear_pointer (&self->store, mh_run_store_free);
  if (store != NULL)
    {
      self->store = mh_run_store_new (store->dir);
      self->store->in_user_data = store->in_user_data;
      self->store->why = g_strdup (store->why);
      self->store->project_file = g_strdup (store->project_file);
    }
  g_hash_table_remove_all (self->ticked);
  g_clear_pointer (&self->current_id, g_free);
  g_clear_pointer (&self->current, mh_project_free);
  mh_runs_page_set_project (self, current);
}

void
mh_runs_page_set_project (MhRunsPage *self, const MhProject *current)
{
  if (current != NULL && self->current != NULL && mh_project_equal (current, self->current))
    return;   /* what each row says is the same */
  g_clear_pointer (&self->current, mh_project_free);
  self->current = current != NULL ? mh_project_copy (current) : NULL;
  mh_runs_page_reload (self);
}

const MhRunStore *
mh_runs_page_get_store (MhRunsPage *self)
{
  return self->store;
}

GPtrArray *
mh_runs_page_get_runs (MhRunsPage *self)
{
  return self->runs;
}

GPtrArray *
mh_runs_page_dup_ticked (MhRunsPage *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_run_unref);

  for (guint i = 0; i < self->runs->len; i++)
    {
      MhRun *run = self->runs->pdata[i];
      if (g_hash_table_contains (self->ticked, run->id) && run->state != MH_RUN_UNREADABLE)
        g_ptr_array_add (out, mh_run_ref (run));
    }
  return out;
}

void
mh_runs_page_set_ticked (MhRunsPage *self, const char *id, gboolean on)
{
  if (on)
    g_hash_table_add (self->ticked, g_strdup (id));
  else
    g_hash_table_remove (self->ticked, id);
  /* its box, in place (this may come from one of the row's own actions) */
  self->filling = TRUE;
  for (GtkWidget *row = gtk_widget_get_first_child (self->list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (row_id (row), id) == 0 && g_object_get_data (G_OBJECT (row), "mh-check") != NULL)
      gtk_check_button_set_active (g_object_get_data (G_OBJECT (row), "mh-check"), on);
  self->filling = FALSE;
  g_signal_emit (self, signals[TICKED_CHANGED], 0);
}

MhRun *
mh_runs_page_find (MhRunsPage *self, const char *id)
{
  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    if (g_strcmp0 (((MhRun *) self->runs->pdata[i])->id, id) == 0)
      return self->runs->pdata[i];
  return NULL;
}

void
mh_runs_page_set_current (MhRunsPage *self, const char *id)
{
  g_free (self->current_id);
  self->current_id = g_strdup (id);
  mh_runs_page_reload (self);
}

MhCompareView *
mh_runs_page_get_compare (MhRunsPage *self)
{
  return self->compare;
}

MhTradeoffView *
mh_runs_page_get_tradeoff (MhRunsPage *self)
{
  return self->tradeoff;
}

void
mh_runs_page_show_view (MhRunsPage *self, const char *view)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->views), view);
}

/* ---- the header: where, retention ------------------------------------------------------- */

static void
show_folder (MhRunsPage *self)
{
  g_autoptr (GFile) dir = self->store != NULL ? g_file_new_for_path (self->store->dir) : NULL;
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_WINDOW);
  g_autofree char *uri = NULL;

  if (dir == NULL)
    return;
  g_mkdir_with_parents (self->store->dir, 0755);
  uri = g_file_get_uri (dir);
  gtk_show_uri (GTK_WINDOW (window), uri, GDK_CURRENT_TIME);
}

static void
retention_changed (MhRunsPage *self)
{
  MhRunRetention rule;
  g_autoptr (GError) error = NULL;

  if (self->filling || self->store == NULL)
    return;
  rule.keep_checkpoints = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->keep));
  rule.max_bytes = (gint64) (gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->max_mb)) * 1048576.0);
  if (!mh_run_store_set_retention (self->store, &rule, &error))
    g_warning ("%s", error->message);
  mh_run_store_apply_retention (self->store);
  mh_runs_page_reload (self);
}

static GtkWidget *
retention_button (MhRunsPage *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *l1 = gtk_label_new (_("Keep the checkpoints of the last"));
  GtkWidget *l2 = gtk_label_new (_("runs (and of pinned runs)"));
  GtkWidget *l3 = gtk_label_new (_("Above"));
  GtkWidget *l4 = gtk_label_new (_("MB, the oldest go first (0: no limit)"));
  GtkWidget *note = gtk_label_new (_("Every run’s record and metrics are kept."));

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "drive-harddisk-symbolic");
  gtk_widget_set_tooltip_text (button, _("How much disk the runs may use"));
  gtk_widget_add_css_class (button, "flat");
  self->keep = gtk_spin_button_new_with_range (0, 1000, 1);
  self->max_mb = gtk_spin_button_new_with_range (0, 1e6, 100);
  g_signal_connect_swapped (self->keep, "value-changed", G_CALLBACK (retention_changed), self);
  g_signal_connect_swapped (self->max_mb, "value-changed", G_CALLBACK (retention_changed), self);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  for (GtkWidget **l = (GtkWidget *[]) { l1, l2, l3, l4, note, NULL }; *l != NULL; l++)
    gtk_label_set_xalign (GTK_LABEL (*l), 0);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), l1, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->keep, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), l2, 2, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), l3, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->max_mb, 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), l4, 2, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), note, 0, 2, 3, 1);
  gtk_popover_set_child (GTK_POPOVER (popover), grid);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

static void
row_activated (GtkListBox *box, GtkListBoxRow *row, MhRunsPage *self)
{
  g_signal_emit (self, signals[SHOW_RUN], 0, row_id (GTK_WIDGET (row)), -1);
}

static void
repeat_clicked (MhRunsPage *self)
{
  g_autoptr (GPtrArray) ticked = mh_runs_page_dup_ticked (self);
  MhRun *run = ticked->len > 0 ? ticked->pdata[ticked->len - 1]
             : self->runs->len > 0 ? self->runs->pdata[self->runs->len - 1] : NULL;

  g_signal_emit (self, signals[REPEAT], 0, run != NULL ? run->id : NULL);
}

static void
view_changed (MhRunsPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (GTK_STACK (self->views));

  /* the list is where runs are ticked for the comparison: it explains that too */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->views_help), "s",
                                    g_strcmp0 (name, "trade-off") == 0 ? "view:tradeoff" : "view:compare");
}

/* ---- class ------------------------------------------------------------------------------- */

static void
mh_runs_page_dispose (GObject *object)
{
  MhRunsPage *self = MH_RUNS_PAGE (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (mh_runs_page_parent_class)->dispose (object);
}

static void
mh_runs_page_finalize (GObject *object)
{
  MhRunsPage *self = MH_RUNS_PAGE (object);

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->store, mh_run_store_free);
  g_clear_pointer (&self->current, mh_project_free);
  g_hash_table_unref (self->ticked);
  for (int c = 0; c < N_COLUMNS; c++)
    g_clear_object (&self->columns[c]);
  g_free (self->current_id);
  G_OBJECT_CLASS (mh_runs_page_parent_class)->finalize (object);
}

static void
mh_runs_page_class_init (MhRunsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = mh_runs_page_dispose;
  object_class->finalize = mh_runs_page_finalize;
  signals[TICKED_CHANGED] = g_signal_new ("ticked-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  signals[SHOW_RUN] = g_signal_new ("show-run", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                    G_TYPE_STRING, G_TYPE_INT);
  signals[BRANCH] = g_signal_new ("branch", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                  G_TYPE_STRING, G_TYPE_INT);
  signals[REPEAT] = g_signal_new ("repeat", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                  G_TYPE_STRING);
  signals[DELETED] = g_signal_new ("deleted", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                   G_TYPE_STRING);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-runs-page");
}

static void
mh_runs_page_init (MhRunsPage *self)
{
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (_("Runs"));
  GtkWidget *folder = gtk_button_new_from_icon_name ("folder-open-symbolic");
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list_page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *switcher = gtk_stack_switcher_new ();
  GtkWidget *repeat = gtk_button_new_with_mnemonic (_("_Repeat With 3 Seeds"));

  self->ticked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_run_unref);
  for (int c = 0; c < N_COLUMNS; c++)
    self->columns[c] = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);

  /* the header: the store's size, the views, Repeat, the retention rule, the folder */
  gtk_widget_add_css_class (title, "heading");
  mh_fit_label (GTK_LABEL (title), PANGO_ELLIPSIZE_END, 1);
  self->summary = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->summary, "dim-label");
  gtk_widget_set_hexpand (self->summary, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  mh_fit_label (GTK_LABEL (self->summary), PANGO_ELLIPSIZE_END, 1);   /* its text in a tooltip when cut */
  gtk_widget_set_tooltip_text (folder, _("Show the runs’ folder"));
  gtk_widget_add_css_class (folder, "flat");
  g_signal_connect_swapped (folder, "clicked", G_CALLBACK (show_folder), self);
  gtk_widget_set_tooltip_text (repeat, _("Train the ticked (or the latest) run’s project again with 3 other seeds: "
                                         "the comparison draws their mean ± spread"));
  g_signal_connect_swapped (repeat, "clicked", G_CALLBACK (repeat_clicked), self);
  gtk_box_append (GTK_BOX (head), title);
  gtk_box_append (GTK_BOX (head), self->summary);
  gtk_box_append (GTK_BOX (head), mh_teach_help_button_new ("view:runs"));
  gtk_box_append (GTK_BOX (head), switcher);
  self->views_help = mh_teach_help_button_new ("view:compare");
  gtk_box_append (GTK_BOX (head), self->views_help);
  gtk_box_append (GTK_BOX (head), retention_button (self));
  gtk_box_append (GTK_BOX (head), folder);
  gtk_box_append (GTK_BOX (self->box), head);
  /* where the runs are, and Repeat */
  self->where = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->where), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->where), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (self->where, TRUE);
  gtk_widget_add_css_class (self->where, "dim-label");
  gtk_widget_add_css_class (self->where, "caption");
  gtk_widget_add_css_class (repeat, "flat");
  gtk_box_append (GTK_BOX (line), self->where);
  gtk_box_append (GTK_BOX (line), repeat);
  gtk_box_append (GTK_BOX (self->box), line);

  /* the list: a row per run, its columns under the titles */
  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_valign (self->list, GTK_ALIGN_START);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated), self);
  self->empty = gtk_label_new (_("No runs yet. Every run is kept here: train (F5), then tick runs to compare them, "
                                 "branch from an epoch, or scrub its predictions epoch by epoch."));
  gtk_label_set_wrap (GTK_LABEL (self->empty), TRUE);
  gtk_widget_add_css_class (self->empty, "dim-label");
  gtk_widget_set_margin_top (self->empty, 18);
  gtk_widget_set_margin_bottom (self->empty, 18);
  gtk_widget_set_margin_start (self->empty, 12);
  gtk_widget_set_margin_end (self->empty, 12);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->list), self->empty);
  gtk_box_append (GTK_BOX (list_page), self->list);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list_page);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);

  /* the list, the comparison of the ticked runs, the trade-off: one at a time, the whole width */
  self->views = gtk_stack_new ();
  gtk_widget_set_vexpand (self->views, TRUE);
  self->compare = MH_COMPARE_VIEW (mh_compare_view_new ());
  self->tradeoff = MH_TRADEOFF_VIEW (mh_tradeoff_view_new ());
  gtk_stack_add_titled (GTK_STACK (self->views), scroller, "list", _("List"));
  gtk_stack_add_titled (GTK_STACK (self->views), GTK_WIDGET (self->compare), "compare", _("Compare"));
  gtk_stack_add_titled (GTK_STACK (self->views), GTK_WIDGET (self->tradeoff), "trade-off", _("Trade-off"));
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (self->views));
  g_signal_connect_swapped (self->views, "notify::visible-child-name", G_CALLBACK (view_changed), self);
  gtk_box_append (GTK_BOX (self->box), self->views);
  update_summary (self);
}

GtkWidget *
mh_runs_page_new (void)
{
  return g_object_new (MH_TYPE_RUNS_PAGE, NULL);
}
