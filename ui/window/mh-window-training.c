/* mh-window-training.c — training from the window: the trainer (its worker
 * thread owns the model), Train / Pause / Stop / Step, the progress strip,
 * the dashboard fed by the trainer's events, the hyper-parameters that change
 * live (head weights, learning rate, balancing) and the guard that keeps the
 * model's structure while it trains. */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-format.h"
#include "mh-balance.h"
#include "mh-file-chooser.h"
#include "mh-schema.h"
#include "mh-window-private.h"

static gboolean
active (MhWindow *self)
{
  return mh_trainer_state_is_active (self->train_state);
}

/* ---- the header bar and the progress strip -------------------------------------- */

static char *
format_duration (double seconds)
{
  int s = (int) round (seconds);

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%d:%02d", s / 60, s % 60);
}

static void
update_progress (MhWindow *self)
{
  const MhTrainerEvent *e = self->last_event;
  static const char *const states[] = { N_("Ready"), N_("Loading"), N_("Training"), N_("Paused"), N_("Finished"), N_("Stopped"), N_("Failed") };
  g_autoptr(GString) text = g_string_new (NULL);

  gtk_label_set_text (self->progress_state, _(states[self->train_state]));
  if (e == NULL || e->total_steps == 0)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      const char *idle = self->train_state == MH_TRAINER_LOADING ? _("reading the data set, building the model…")
                         : self->train_state == MH_TRAINER_IDLE ? _("not trained yet: Train (F5), or one step (F6)") : "";
      gtk_label_set_text (self->progress_label, idle);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_label), idle);
      return;
    }
  gtk_progress_bar_set_fraction (self->progress_bar, (double) e->step / e->total_steps);
  g_string_append_printf (text, _("epoch %d of %d  ·  step %d of %d"),
                          MIN (e->step / MAX (1, e->steps_per_epoch) + 1,
                               (e->total_steps + e->steps_per_epoch - 1) / MAX (1, e->steps_per_epoch)),
                          (e->total_steps + e->steps_per_epoch - 1) / MAX (1, e->steps_per_epoch),
                          e->step, e->total_steps);
  if (e->samples_per_s > 0)
    {
      g_autofree char *rate = mh_format (_("  ·  %'.0f samples/s"), e->samples_per_s);
      g_string_append (text, rate);
    }
  if (self->train_state == MH_TRAINER_RUNNING && isfinite (e->seconds_left) && e->seconds_left > 0)
    {
      g_autofree char *left = format_duration (e->seconds_left);
      g_string_append_printf (text, _("  ·  %s left"), left);
    }
  else if (self->train_state != MH_TRAINER_RUNNING && e->train_seconds > 0)
    {
      g_autofree char *took = format_duration (e->train_seconds);
      g_string_append_printf (text, _("  ·  %s of training"), took);
    }
  if (g_strcmp0 (gtk_label_get_text (self->progress_label), text->str) != 0)
    {
      gtk_label_set_text (self->progress_label, text->str);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_label), text->str);   /* when ellipsized */
    }
}

static void
update_controls (MhWindow *self)
{
  MhTrainerState s = self->train_state;
  GAction *pause = g_action_map_lookup_action (G_ACTION_MAP (self), "pause");
  GAction *stop = g_action_map_lookup_action (G_ACTION_MAP (self), "stop");
  GAction *train = g_action_map_lookup_action (G_ACTION_MAP (self), "train");
  GAction *csv = g_action_map_lookup_action (G_ACTION_MAP (self), "export-metrics");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (train), s != MH_TRAINER_RUNNING && s != MH_TRAINER_LOADING);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (pause), s == MH_TRAINER_RUNNING || s == MH_TRAINER_PAUSED);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (stop), active (self));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (csv), mh_training_panel_get_log (self->training_panel) != NULL);
  gtk_stack_set_visible_child_name (self->train_label, s == MH_TRAINER_PAUSED ? "resume"
                                    : s == MH_TRAINER_RUNNING || s == MH_TRAINER_LOADING ? "training" : "train");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->train_button),
                               s == MH_TRAINER_PAUSED ? _("Resume (F5 or Space)") : _("Train (F5)"));
  /* one Resume (the Train button); Pause only pauses */
  gtk_widget_set_sensitive (GTK_WIDGET (self->pause_button), s == MH_TRAINER_RUNNING);
  /* nothing can be added while it trains; the palette stays where it is */
  gtk_widget_set_sensitive (GTK_WIDGET (self->palette), !active (self));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->palette),
                               active (self) ? _("Stop training (Shift+F5) to add blocks") : NULL);
  mh_inspector_set_training (self->inspector, active (self));
  update_progress (self);
}

void
_mh_window_show_panel (MhWindow *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->paned));

  gtk_widget_set_visible (GTK_WIDGET (self->training_panel), TRUE);
  if (!self->panel_placed && height > 0)
    {
      /* once: the canvas keeps half; it fits its new size while the user has not zoomed */
      gtk_paned_set_position (self->paned, MAX (220, height / 2));
      self->panel_placed = TRUE;
    }
}

/* ---- events from the trainer ------------------------------------------------------- */

static void
report_end (MhWindow *self, const MhTrainerEvent *e)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (e->state == MH_TRAINER_FAILED && e->bad_head >= 0)
    {
      AdwToast *toast = adw_toast_new (e->message);
      adw_toast_set_timeout (toast, 0);   /* until dismissed: the class should see it */
      _mh_window_add_toast (self, toast);
      return;
    }
  if (e->state == MH_TRAINER_FAILED)
    {
      mh_window_show_error (self, _("Training could not start"), e->message);
      return;
    }
  if (e->state != MH_TRAINER_FINISHED)
    return;
  g_string_append (text, _("Training finished"));
  for (int h = 0; e->test != NULL && self->live != NULL && h < e->n_heads; h++)
    {
      const char *name = NULL;
      double v = mh_head_metrics_primary (&e->test[h], &name);
      const MhHeadSpec *head = &g_array_index (self->live->heads, MhHeadSpec, h);
      if (!isfinite (v))
        continue;
      g_string_append_printf (text, "%s %s %s %.1f%s", h == 0 ? " — test:" : ",", head->name, name,
                              g_strcmp0 (name, "MAE") == 0 ? v : 100 * v, g_strcmp0 (name, "MAE") == 0 ? "" : "%");
    }
  mh_window_toast (self, text->str);
}

static void
on_event (MhTrainer *trainer, const MhTrainerEvent *e, gpointer data)
{
  MhWindow *self = data;
  MhTrainerState before = self->train_state;

  self->train_state = e->state;
  switch (e->kind)
    {
    case MH_TRAINER_EVENT_STARTED:
      mh_training_panel_begin (self->training_panel, e);
      _mh_window_show_panel (self);
      break;
    case MH_TRAINER_EVENT_PROGRESS:
    case MH_TRAINER_EVENT_EPOCH:
      mh_training_panel_add (self->training_panel, e);
      break;
    case MH_TRAINER_EVENT_STATE:
    default:
      break;
    }
  if (e->n_heads > 0)
    {
      g_clear_pointer (&self->last_event, mh_trainer_event_unref);
      self->last_event = mh_trainer_event_ref ((MhTrainerEvent *) e);
    }
  _mh_window_results_event (self, e, before);
  _mh_window_runs_event (self, e, before);
  if (before != e->state)
    {
      update_controls (self);
      if (e->kind == MH_TRAINER_EVENT_STATE)
        report_end (self, e);
    }
  else if (g_get_monotonic_time () - self->progress_time > G_USEC_PER_SEC / 4)
    {
      /* a few times a second is all one reads, and a label's new text lays out the window again */
      self->progress_time = g_get_monotonic_time ();
      update_progress (self);
    }
}

/* ---- actions ---------------------------------------------------------------------- */

static gboolean
start_with (MhWindow *self, gboolean paused, const MhProject *project, const char *branch_dir, int branch_epoch)
{
  const MhAnalysis *a = mh_document_get_analysis (self->document);
  MhTrainerOptions options = { 0 };

  if (project == NULL && (a->first_problem != NULL || a->data_missing != NULL))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot train yet: %s"),
                                                  a->first_problem ? a->first_problem : a->data_missing);
      mh_window_toast (self, message);
      return FALSE;
    }
  g_clear_pointer (&self->live, mh_project_free);
  g_clear_pointer (&self->last_event, mh_trainer_event_unref);
  self->live = mh_project_copy (project != NULL ? project : mh_document_get_project (self->document));
  options.start_paused = paused;
  options.nice = 4;   /* the window's frames come first; alone, the trainer still has every core */
  /* as `train` does: the project's file for its relative paths ("transfer"), the run recorded */
  options.project_file = _mh_window_runs_project_file (self);
  options.runs_dir = _mh_window_runs_dir (self);
  options.branch_run = branch_dir;
  options.branch_epoch = branch_epoch;
  mh_trainer_start (self->trainer, self->live, &options);
  self->train_state = MH_TRAINER_LOADING;
  update_controls (self);
  return TRUE;
}

static gboolean
start (MhWindow *self, gboolean paused)
{
  return start_with (self, paused, NULL, NULL, 0);
}

gboolean
_mh_window_start (MhWindow *self, const MhProject *project, const char *branch_dir, int branch_epoch)
{
  return start_with (self, FALSE, project, branch_dir, branch_epoch);
}

/* Another project: nothing of this one's run stays (its plots, status, model). */
void
_mh_window_training_forget (MhWindow *self)
{
  mh_trainer_forget (self->trainer);
  g_clear_pointer (&self->live, mh_project_free);
  g_clear_pointer (&self->last_event, mh_trainer_event_unref);
  self->train_state = MH_TRAINER_IDLE;
  mh_training_panel_reset (self->training_panel);
  update_controls (self);
}

void
mh_window_train (MhWindow *self)
{
  if (self->train_state == MH_TRAINER_PAUSED)
    {
      mh_trainer_resume (self->trainer);
      return;
    }
  if (!active (self))
    start (self, FALSE);
}

static void
action_train (GSimpleAction *action, GVariant *param, gpointer widget)
{
  mh_window_train (MH_WINDOW (widget));
}

static void
action_pause (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);

  if (self->train_state == MH_TRAINER_RUNNING)
    mh_trainer_pause (self->trainer);
  else if (self->train_state == MH_TRAINER_PAUSED)
    mh_trainer_resume (self->trainer);
}

static void
action_stop (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);

  if (active (self))
    mh_trainer_stop (self->trainer);
}

gboolean
_mh_window_ensure_run (MhWindow *self)
{
  return active (self) || start (self, TRUE);
}

static void
action_step (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);

  if (self->train_state == MH_TRAINER_RUNNING)
    mh_trainer_pause (self->trainer);
  else if (self->train_state == MH_TRAINER_PAUSED)
    mh_trainer_step (self->trainer);
  else if (!active (self) && start (self, TRUE))
    mh_trainer_step (self->trainer);
}

static void
action_balancing (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);
  MhProject *p = mh_document_begin (self->document);

  g_free (p->balancing);
  p->balancing = g_strdup (g_variant_get_string (param, NULL));
  mh_document_commit (self->document, _("Change Loss Balancing"), NULL);
}

static void
csv_chosen (GtkNativeDialog *native, int response, MhWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  MhTrainLog *log = mh_training_panel_get_log (self->training_panel);

  if (response == GTK_RESPONSE_ACCEPT && log != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      path = g_file_get_path (file);
      if (path == NULL || !mh_train_log_save_csv (log, path, &error))
        mh_window_show_error (self, _("Could not export the metrics"),
                              error ? error->message : _("The file could not be written there."));
      else
        mh_window_toast (self, _("Metrics exported"));
    }
  g_object_unref (native);
}

static void
action_export_metrics (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);
  g_autofree char *name = g_strdup_printf ("%s-metrics.csv", mh_document_get_project (self->document)->name);

  mh_file_chooser_show (GTK_WIDGET (self), _("Export Metrics (CSV)"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                        name, NULL, FALSE, G_CALLBACK (csv_chosen), self);
}

/* ---- the spec while it trains ------------------------------------------------------- */

/* The spec without what may change during a run. */
static MhProject *
structure_of (const MhProject *p)
{
  MhProject *s = mh_project_copy (p);

  for (guint h = 0; h < s->heads->len; h++)
    g_array_index (s->heads, MhHeadSpec, h).weight = 1;
  s->optim.lr = 1e-3;
  g_free (s->balancing);
  s->balancing = g_strdup ("fixed");
  g_free (s->name);
  s->name = g_strdup ("x");
  g_clear_pointer (&s->layout, json_node_unref);
  return s;
}

static gboolean
guard (const MhProject *before, const MhProject *after, char **reason, gpointer data)
{
  MhWindow *self = data;
  g_autoptr(MhProject) a = NULL;
  g_autoptr(MhProject) b = NULL;

  if (!active (self))
    return TRUE;
  a = structure_of (before);
  b = structure_of (after);
  if (mh_project_equal (a, b))
    return TRUE;
  *reason = g_strdup (_("The model is training: stop it (Shift+F5) to change its structure. "
                        "Head weights, the learning rate and the balancing change live."));
  return FALSE;
}

static void
refused (MhWindow *self, const char *reason)
{
  AdwToast *toast = adw_toast_new (reason);

  adw_toast_set_button_label (toast, _("Stop Training"));
  adw_toast_set_action_name (toast, "win.stop");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  _mh_window_add_toast (self, toast);
}

void
_mh_window_training_document (MhWindow *self)
{
  mh_document_set_guard (self->document, guard, self);
  g_signal_connect_object (self->document, "refused", G_CALLBACK (refused), self, G_CONNECT_SWAPPED);
}

/* After each change of the spec: the values that change live go to the run. */
void
_mh_window_training_changed (MhWindow *self)
{
  const MhProject *p = mh_document_get_project (self->document);
  MhBalanceMethod method;

  mh_training_panel_set_method (self->training_panel, p->balancing);
  if (!active (self) || self->live == NULL || p->heads->len != self->live->heads->len)
    return;
  for (guint h = 0; h < p->heads->len; h++)
    {
      double w = g_array_index (p->heads, MhHeadSpec, h).weight;
      MhHeadSpec *live = &g_array_index (self->live->heads, MhHeadSpec, h);
      if (w != live->weight)
        {
          mh_trainer_set_head_weight (self->trainer, (int) h, w);
          live->weight = w;
        }
    }
  if (p->optim.lr != self->live->optim.lr)
    {
      mh_trainer_set_lr (self->trainer, p->optim.lr);
      self->live->optim.lr = p->optim.lr;
    }
  if (g_strcmp0 (p->balancing, self->live->balancing) != 0 && mh_balance_method_from_name (p->balancing, &method))
    {
      mh_trainer_set_method (self->trainer, method);
      g_free (self->live->balancing);
      self->live->balancing = g_strdup (p->balancing);
    }
}

/* ---- the window's part ------------------------------------------------------------- */

MhTrainingPanel *
mh_window_get_training_panel (MhWindow *self)
{
  return self->training_panel;
}

MhTrainerState
mh_window_get_training_state (MhWindow *self)
{
  return self->train_state;
}

const MhTrainerEvent *
mh_window_get_training_event (MhWindow *self)
{
  return self->last_event;
}

void
mh_window_stop_training (MhWindow *self)
{
  if (active (self))
    mh_trainer_stop (self->trainer);
}

void
_mh_window_training_init (MhWindow *self)
{
  static const GActionEntry entries[] = {
    { "train", action_train, NULL, NULL, NULL, { 0 } },
    { "pause", action_pause, NULL, NULL, NULL, { 0 } },
    { "stop", action_stop, NULL, NULL, NULL, { 0 } },
    { "step", action_step, NULL, NULL, NULL, { 0 } },
    { "balancing", action_balancing, "s", NULL, NULL, { 0 } },
    { "export-metrics", action_export_metrics, NULL, NULL, NULL, { 0 } },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  self->trainer = mh_trainer_new (NULL, on_event, self, NULL);
  /* a closed window may live on a moment (a timeout's reference): its run stops now */
  g_signal_connect (self, "unrealize", G_CALLBACK (mh_window_stop_training), NULL);
  self->train_state = MH_TRAINER_IDLE;
  update_controls (self);
}

void
_mh_window_training_dispose (MhWindow *self)
{
  /* stops the run within a batch and joins the worker: no event comes after */
  g_clear_pointer (&self->trainer, mh_trainer_free);
  g_clear_pointer (&self->live, mh_project_free);
  g_clear_pointer (&self->last_event, mh_trainer_event_unref);
  self->train_state = MH_TRAINER_IDLE;
}
