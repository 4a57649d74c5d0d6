/* mh-window-runs.c — the project's recorded runs in the window: the Runs
 * page (compare, trade-off, rename, pin, delete with Undo), whose results
 * are shown ("run 3, before your edit"), the run the epoch slider scrubs,
 * Branch Here (the loss plot's context menu, or a run's menu), and Repeat
 * With 3 Seeds (a queue of runs).  The runs live in the project's store
 * (mh-run-store.h); the trainer records them. */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-schema.h"
#include "mh-window-private.h"

struct _MhWindowRuns
{
  MhRunsPage *page;
  MhRunStore *store;        /* the document's */
  char       *project_file; /* its file, or the example it was made from */
  char       *live_dir;     /* the run the trainer has (its model); NULL: none */
  int         live_per_epoch;
  GQueue      queue;        /* MhProject: runs waiting (Repeat With 3 Seeds) */
};

static MhRun *
read_run (const char *dir)
{
  return dir != NULL ? mh_run_read (dir) : NULL;
}

/* ---- what is shown, and whose ---------------------------------------------------------- */

static void
update_labels (MhWindow *self)
{
  struct _MhWindowRuns *r = self->runs;
  g_autoptr (MhRun) live = read_run (r->live_dir);
  g_autofree char *title = live != NULL ? mh_runs_page_dup_title (r->page, live) : NULL;

  mh_training_panel_set_caption (self->training_panel, title);
}

/* The epoch slider scrubs `run` (live: the trainer has its model). */
static void
show_run (MhWindow *self, const MhRun *run, gboolean live)
{
  g_autofree char *title = run != NULL ? mh_runs_page_dup_title (self->runs->page, run) : NULL;

  _mh_window_results_set_run (self, run, title, live);
}

/* The latest run that can be shown: after opening a project, its last results. */
static void
show_latest (MhWindow *self)
{
  GPtrArray *runs = mh_runs_page_get_runs (self->runs->page);

  for (guint i = runs->len; i-- > 0;)
    {
      MhRun *run = runs->pdata[i];
      const MhRunCheckpoint *c = run->state != MH_RUN_UNREADABLE ? mh_run_find_checkpoint (run, -1) : NULL;
      if (c != NULL && c->problem == NULL && !c->at_stop)
        {
          show_run (self, run, FALSE);
          return;
        }
    }
  show_run (self, NULL, FALSE);
}

static void
refresh_views (MhWindow *self)
{
  struct _MhWindowRuns *r = self->runs;
  g_autoptr (GPtrArray) ticked = mh_runs_page_dup_ticked (r->page);
  g_autoptr (GPtrArray) logs = g_ptr_array_new_with_free_func ((GDestroyNotify) mh_train_log_free);
  const MhProject *p = mh_document_get_project (self->document);
  GStrvBuilder *b = g_strv_builder_new ();
  g_auto (GStrv) heads = NULL;

  for (guint h = 0; h < p->heads->len; h++)
    g_strv_builder_add (b, g_array_index (p->heads, MhHeadSpec, h).name);
  heads = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  for (guint i = 0; i < ticked->len; i++)
    g_ptr_array_add (logs, mh_run_load_metrics (ticked->pdata[i], NULL));
  mh_compare_view_set_runs (mh_runs_page_get_compare (r->page), ticked, logs, (const char *const *) heads);
  mh_tradeoff_view_set_runs (mh_runs_page_get_tradeoff (r->page), mh_runs_page_get_runs (r->page),
                             (const char *const *) heads);
}

/* ---- the document ----------------------------------------------------------------------- */

const char *
_mh_window_runs_project_file (MhWindow *self)
{
  return self->runs->project_file;
}

const char *
_mh_window_runs_dir (MhWindow *self)
{
  return self->runs->store != NULL ? self->runs->store->dir : NULL;
}

void
_mh_window_runs_document (MhWindow *self, const char *template_file)
{
  struct _MhWindowRuns *r = self->runs;
  GFile *file = mh_document_get_file (self->document);
  const MhProject *p = mh_document_get_project (self->document);

  if (r->store != NULL)
    mh_run_store_empty_trash (r->store);   /* deleting was undoable while the project was open */
  g_clear_pointer (&r->store, mh_run_store_free);
  g_clear_pointer (&r->project_file, g_free);
  g_clear_pointer (&r->live_dir, g_free);
  g_queue_clear_full (&r->queue, (GDestroyNotify) mh_project_free);
  r->project_file = file != NULL ? g_file_get_path (file) : g_strdup (template_file);
  r->store = mh_run_store_for_project (r->project_file, p->name);
  mh_runs_page_set_store (r->page, r->store, p);
  mh_tradeoff_view_live_begin (mh_runs_page_get_tradeoff (r->page), NULL, NULL);
  refresh_views (self);
  show_latest (self);
  update_labels (self);
}

/* After each change: "before your edit" where a run is no longer the canvas's. */
void
_mh_window_runs_changed (MhWindow *self)
{
  struct _MhWindowRuns *r = self->runs;
  GFile *file = mh_document_get_file (self->document);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  int epoch;
  const char *shown = _mh_window_results_get_model (self, &epoch);
  g_autoptr (MhRun) run = NULL;

  if (r->store == NULL)
    return;
  if (path != NULL && g_strcmp0 (path, r->project_file) != 0)
    {
      /* saved under a name: the runs of that file from now on (the old ones stay where they are) */
      g_free (r->project_file);
      r->project_file = g_steal_pointer (&path);
      mh_run_store_free (r->store);
      r->store = mh_run_store_for_project (r->project_file, mh_document_get_project (self->document)->name);
      mh_runs_page_set_store (r->page, r->store, mh_document_get_project (self->document));
    }
  else
    mh_runs_page_set_project (r->page, mh_document_get_project (self->document));
  update_labels (self);
  run = read_run (shown != NULL ? shown : r->live_dir);
  if (run != NULL)
    show_run (self, run, g_strcmp0 (run->dir, r->live_dir) == 0);
}

/* ---- the trainer's events ---------------------------------------------------------------- */

static void start_queued (MhWindow *self);

void
_mh_window_runs_event (MhWindow *self, const MhTrainerEvent *e, MhTrainerState before)
{
  struct _MhWindowRuns *r = self->runs;
  g_autoptr (MhRun) run = NULL;

  switch (e->kind)
    {
    case MH_TRAINER_EVENT_STARTED:
      g_free (r->live_dir);
      r->live_dir = g_strdup (e->run_dir);
      r->live_per_epoch = e->steps_per_epoch;
      mh_runs_page_set_current (r->page, e->run_id);
      run = read_run (r->live_dir);
      if (run != NULL)
        {
          g_autofree char *title = mh_runs_page_dup_title (r->page, run);
          mh_tradeoff_view_live_begin (mh_runs_page_get_tradeoff (r->page), title,
                                       (const char *const *) e->head_names);
        }
      show_run (self, run, TRUE);
      update_labels (self);
      if (e->note != NULL)
        mh_window_toast (self, e->note);
      break;
    case MH_TRAINER_EVENT_EPOCH:
      mh_tradeoff_view_live_epoch (mh_runs_page_get_tradeoff (r->page), e->validation);
      {
        int epoch;
        const char *shown = _mh_window_results_get_model (self, &epoch);
        run = read_run (r->live_dir);   /* its new checkpoint */
        if (run != NULL && (shown == NULL || g_strcmp0 (shown, r->live_dir) == 0))
          show_run (self, run, TRUE);
      }
      break;
    case MH_TRAINER_EVENT_NOTE:
      mh_window_toast (self, e->message);
      break;
    case MH_TRAINER_EVENT_STATE:
      if (before == e->state)
        break;
      if (e->state == MH_TRAINER_FINISHED || e->state == MH_TRAINER_STOPPED || e->state == MH_TRAINER_FAILED)
        {
          mh_runs_page_reload (r->page);
          refresh_views (self);
        }
      if (e->state == MH_TRAINER_FINISHED && !g_queue_is_empty (&r->queue))
        start_queued (self);
      else if (e->state == MH_TRAINER_STOPPED || e->state == MH_TRAINER_FAILED)
        g_queue_clear_full (&r->queue, (GDestroyNotify) mh_project_free);   /* stopping stops the queue */
      break;
    case MH_TRAINER_EVENT_PROGRESS:
    default:
      break;
    }
}

/* ---- the page's requests ------------------------------------------------------------------- */

static void
page_show_run (MhWindow *self, const char *id, int epoch)
{
  MhRun *run = mh_runs_page_find (self->runs->page, id);
  gboolean live = run != NULL && g_strcmp0 (run->dir, self->runs->live_dir) == 0;
  const MhRunCheckpoint *last = run != NULL ? mh_run_find_checkpoint (run, -1) : NULL;

  if (run == NULL)
    return;
  show_run (self, run, live);
  if (epoch < 0 && !live && last != NULL)
    epoch = last->epoch;
  _mh_window_results_show_epoch (self, epoch);
  _mh_window_show_panel (self);
  mh_training_panel_show_page (self->training_panel, "predictions");
}

void
mh_window_branch (MhWindow *self, const char *id, int epoch)
{
  MhRun *run = mh_runs_page_find (self->runs->page, id);

  if (run == NULL)
    return;
  if (mh_window_get_training_state (self) == MH_TRAINER_RUNNING
      || mh_window_get_training_state (self) == MH_TRAINER_PAUSED
      || mh_window_get_training_state (self) == MH_TRAINER_LOADING)
    {
      mh_window_toast (self, _("A run is training: stop it (Shift+F5) to branch"));
      return;
    }
  _mh_window_start (self, NULL, run->dir, epoch);
}

static void
start_queued (MhWindow *self)
{
  g_autoptr (MhProject) p = g_queue_pop_head (&self->runs->queue);

  if (p != NULL)
    _mh_window_start (self, p, NULL, 0);
}

/* Runs of `id`'s project with three other seeds, one after another. */
void
mh_window_repeat_seeds (MhWindow *self, const char *id)
{
  MhRun *run = id != NULL ? mh_runs_page_find (self->runs->page, id) : NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MhProject) p = run != NULL ? mh_run_dup_project (run, &error) : NULL;
  gboolean idle = mh_window_get_training_state (self) != MH_TRAINER_RUNNING
                  && mh_window_get_training_state (self) != MH_TRAINER_PAUSED
                  && mh_window_get_training_state (self) != MH_TRAINER_LOADING;
  g_autofree char *message = NULL, *title = NULL;

  if (p == NULL)
    {
      mh_window_toast (self, run == NULL ? _("Train a run first: its project is repeated with other seeds")
                                         : error->message);
      return;
    }
  for (guint32 k = 1; k <= 3; k++)
    {
      MhProject *q = mh_project_copy (p);
      q->seed = run->seed + k;
      g_queue_push_tail (&self->runs->queue, q);
    }
  title = mh_run_dup_title (run);
  message = g_strdup_printf (_("3 runs of %s queued (seeds %u, %u, %u); they are drawn as mean ± spread"),
                             title, run->seed + 1, run->seed + 2, run->seed + 3);
  mh_window_toast (self, message);
  mh_runs_page_set_ticked (self->runs->page, run->id, TRUE);
  if (idle)
    start_queued (self);
}

static void
run_deleted (MhWindow *self, const char *id)
{
  g_autofree char *text = g_strdup_printf (_("Run %s deleted"), id);
  AdwToast *toast = adw_toast_new (text);
  g_autofree char *action = g_strdup_printf ("win.undo-delete-run('%s')", id);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_detailed_action_name (toast, action);
  _mh_window_add_toast (self, toast);
}

static void
action_undo_delete (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);
  g_autoptr (GError) error = NULL;

  if (self->runs->store == NULL || !mh_run_store_restore (self->runs->store, g_variant_get_string (param, NULL), &error))
    {
      mh_window_toast (self, error != NULL ? error->message : _("Nothing to restore"));
      return;
    }
  mh_runs_page_reload (self->runs->page);
  refresh_views (self);
}

static void
action_branch_run (GSimpleAction *action, GVariant *param, gpointer widget)
{
  const char *id;
  int epoch;

  g_variant_get (param, "(&si)", &id, &epoch);
  mh_window_branch (MH_WINDOW (widget), id, epoch);
}

static void
action_show_run (GSimpleAction *action, GVariant *param, gpointer widget)
{
  const char *id;
  int epoch;

  g_variant_get (param, "(&si)", &id, &epoch);
  page_show_run (MH_WINDOW (widget), id, epoch);
}

/* ---- Branch Here: the loss plot's context menu ------------------------------------------------ */

/* The loss plot's context menu: Branch Here at the epoch nearest to the
 * step clicked (that has a checkpoint), and its predictions. */
static GMenuModel *
branch_menu (MhPlot *plot, double step, double value, gpointer data)
{
  MhWindow *self = data;
  g_autoptr (MhRun) run = self->runs != NULL ? read_run (self->runs->live_dir) : NULL;
  GMenu *menu;
  int best = -1, best_step = 0;

  if (run == NULL)
    return NULL;
  for (guint i = 0; i < run->checkpoints->len; i++)
    {
      const MhRunCheckpoint *c = &g_array_index (run->checkpoints, MhRunCheckpoint, i);
      if (!c->at_stop && c->problem == NULL && (best < 0 || fabs (c->step - step) < fabs (best_step - step)))
        best = c->epoch, best_step = c->step;
    }
  if (best < 0)
    return NULL;   /* no epoch ended yet */
  menu = g_menu_new ();
  {
    g_autofree char *title = mh_run_dup_title (run);
    g_autofree char *branch = g_strdup_printf (_("Branch Here: %s After Epoch %d (the canvas as it is)"), title, best);
    g_autofree char *show = g_strdup_printf (_("Show Predictions After Epoch %d"), best);
    g_autoptr (GMenuItem) a = g_menu_item_new (branch, NULL);
    g_autoptr (GMenuItem) b = g_menu_item_new (show, NULL);
    g_menu_item_set_action_and_target (a, "win.branch-run", "(si)", run->id, best);
    g_menu_item_set_action_and_target (b, "win.show-run", "(si)", run->id, best);
    g_menu_append_item (menu, a);
    g_menu_append_item (menu, b);
  }
  return G_MENU_MODEL (menu);
}

/* ---- the window's part -------------------------------------------------------------------------- */

MhRunsPage *
mh_window_get_runs_page (MhWindow *self)
{
  return self->runs->page;
}

void
_mh_window_runs_init (MhWindow *self)
{
  static const GActionEntry entries[] = {
    { "undo-delete-run", action_undo_delete, "s", NULL, NULL, { 0 } },
    { "branch-run", action_branch_run, "(si)", NULL, NULL, { 0 } },
    { "show-run", action_show_run, "(si)", NULL, NULL, { 0 } },
  };
  struct _MhWindowRuns *r = g_new0 (struct _MhWindowRuns, 1);

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  self->runs = r;
  g_queue_init (&r->queue);
  r->page = MH_RUNS_PAGE (mh_runs_page_new ());
  g_signal_connect_object (r->page, "ticked-changed", G_CALLBACK (refresh_views), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (r->page, "show-run", G_CALLBACK (page_show_run), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (r->page, "branch", G_CALLBACK (mh_window_branch), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (r->page, "repeat", G_CALLBACK (mh_window_repeat_seeds), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (r->page, "deleted", G_CALLBACK (run_deleted), self, G_CONNECT_SWAPPED);
  mh_training_panel_add_page (self->training_panel, GTK_WIDGET (r->page), "runs", _("Runs"));
  mh_plot_set_menu_func (mh_training_panel_get_plot (self->training_panel, "loss"), branch_menu, self);
}

void
_mh_window_runs_dispose (MhWindow *self)
{
  struct _MhWindowRuns *r = self->runs;

  if (r == NULL)
    return;
  if (r->store != NULL)
    mh_run_store_empty_trash (r->store);
  mh_run_store_free (r->store);
  g_free (r->project_file);
  g_free (r->live_dir);
  g_queue_clear_full (&r->queue, (GDestroyNotify) mh_project_free);
  g_clear_pointer (&self->runs, g_free);
}
