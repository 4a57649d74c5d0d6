/* mh-window-model.c — the model's files from the primary menu: Load
 * Weights… (into the run's model), Save Weights… and Export to PyTorch…
 * (of the model the inspection pages show: a run's checkpoint, or the model
 * as it trains).  All of it happens on the trainer's worker
 * (mh-trainer-requests.h), which owns the model; the window is told when it
 * is done. */
#include <glib/gi18n.h>
#include "mh-file-chooser.h"
#include <glib/gi18n.h>
#include "mh-trainer-requests.h"
#include "mh-window-private.h"

typedef struct {
  GWeakRef window;
  char    *path;
  int      kind;   /* 0 load, 1 save, 2 export */
} FileRequest;

static void
file_request_free (gpointer data)
{
  FileRequest *r = data;

  g_weak_ref_clear (&r->window);
  g_free (r->path);
  g_free (r);
}

static FileRequest *
file_request_new (MhWindow *self, const char *path, int kind)
{
  FileRequest *r = g_new0 (FileRequest, 1);

  g_weak_ref_init (&r->window, self);
  r->path = g_strdup (path);
  r->kind = kind;
  return r;
}

static void
file_done (gpointer result, const GError *error, gpointer data)
{
  FileRequest *r = data;
  g_autoptr (MhWindow) self = g_weak_ref_get (&r->window);
  g_autofree char *name = g_path_get_basename (r->path);
  g_autofree char *message = NULL;

  if (self == NULL)
    return;
  self->model_file_done++;
  if (error != NULL)
    {
      static const char *const headings[] = { N_("Could not load the weights"), N_("Could not save the weights"),
                                              N_("Could not export to PyTorch") };
      if (r->kind == 0)
        mh_window_toast (self, error->message);
      else
        mh_window_show_error (self, _(headings[r->kind]), error->message);
      return;
    }
  if (r->kind == 0)
    {
      message = g_strdup_printf (_("Weights loaded from %s — Train (F5) goes on from them"), name);
      _mh_window_results_show_epoch (self, -1);   /* the pages show the model they went into */
      mh_predictions_set_origin (mh_window_get_predictions (self), name);
      _mh_window_show_panel (self);
      mh_training_panel_show_page (self->training_panel, "predictions");
    }
  else if (r->kind == 1)
    message = g_strdup_printf (_("Weights saved to %s"), name);
  else
    message = g_strdup_printf (_("%s/model.py, train_ddp.py and weights.safetensors written"), name);
  mh_window_toast (self, message);
}

/* Loads weights into the model (a paused run is made when none is active);
 * the predictions, attention and confusion pages follow at once. */
void
mh_window_load_weights (MhWindow *self, const char *path)
{
  if (!_mh_window_ensure_run (self))
    return;
  mh_trainer_load_weights (self->trainer, path, file_done, file_request_new (self, path, 0), file_request_free);
}

/* The model shown, or NULL (a toast says why) when there is none. */
static gboolean
shown_model (MhWindow *self, MhTrainerModel *model)
{
  int epoch;

  model->run_dir = _mh_window_results_get_model (self, &epoch);
  model->epoch = epoch;
  if (model->run_dir == NULL && mh_window_get_training_event (self) == NULL)
    {
      mh_window_toast (self, _("Nothing trained yet: train the model (F5) or pick a run on the Runs page"));
      return FALSE;
    }
  return TRUE;
}

gboolean
mh_window_save_weights (MhWindow *self, const char *path)
{
  MhTrainerModel model;

  if (!shown_model (self, &model))
    return FALSE;
  mh_trainer_save_weights (self->trainer, model.run_dir != NULL ? &model : NULL, path, file_done,
                           file_request_new (self, path, 1), file_request_free);
  return TRUE;
}

gboolean
mh_window_export_torch (MhWindow *self, const char *dir)
{
  MhTrainerModel model;

  if (!shown_model (self, &model))
    return FALSE;
  mh_trainer_export_torch (self->trainer, model.run_dir != NULL ? &model : NULL, dir, file_done,
                           file_request_new (self, dir, 2), file_request_free);
  return TRUE;
}

/* ---- the dialogs --------------------------------------------------------------------------- */

static char *
chosen_path (GtkNativeDialog *native)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  G_GNUC_END_IGNORE_DEPRECATIONS

  return file != NULL ? g_file_get_path (file) : NULL;
}

static void
chosen (GtkNativeDialog *native, int response, MhWindow *self, int kind)
{
  g_autofree char *path = response == GTK_RESPONSE_ACCEPT ? chosen_path (native) : NULL;

  if (path != NULL && kind == 0)
    mh_window_load_weights (self, path);
  else if (path != NULL && kind == 1)
    mh_window_save_weights (self, path);
  else if (path != NULL)
    mh_window_export_torch (self, path);
  g_object_unref (native);
}

static void
load_chosen (GtkNativeDialog *native, int response, gpointer data)
{
  chosen (native, response, data, 0);
}

static void
save_chosen (GtkNativeDialog *native, int response, gpointer data)
{
  chosen (native, response, data, 1);
}

static void
export_chosen (GtkNativeDialog *native, int response, gpointer data)
{
  chosen (native, response, data, 2);
}

static GtkFileFilter *
weights_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Weights (safetensors)"));
  gtk_file_filter_add_pattern (filter, "*.safetensors");
  return filter;
}

/* The name suggested: the project's, and the run and epoch shown. */
static char *
suggested_name (MhWindow *self, const char *suffix)
{
  const MhProject *p = mh_document_get_project (self->document);
  int epoch;
  const char *run = _mh_window_results_get_model (self, &epoch);
  g_autofree char *id = run != NULL ? g_path_get_basename (run) : NULL;

  if (run != NULL)
    return g_strdup_printf ("%s-run%s-epoch%d%s", p->name, id, epoch, suffix);
  return g_strdup_printf ("%s%s", p->name, suffix);
}

static void
show_chooser (MhWindow *self, int kind)
{
  static const char *const titles[] = { N_("Load Weights"), N_("Save Weights"), N_("Export to PyTorch (a new folder)") };
  static const char *const accept[] = { N_("_Load"), N_("_Save"), N_("_Export") };
  g_autofree char *name = kind == 0 ? NULL : suggested_name (self, kind == 1 ? ".safetensors" : "-torch");
  GtkFileChooserAction action = kind == 0 ? GTK_FILE_CHOOSER_ACTION_OPEN : GTK_FILE_CHOOSER_ACTION_SAVE;

  if (kind != 0)
    {
      MhTrainerModel model;
      if (!shown_model (self, &model))
        return;
    }
  static const GCallback responses[] = { G_CALLBACK (load_chosen), G_CALLBACK (save_chosen),
                                         G_CALLBACK (export_chosen) };
  mh_file_chooser_show (GTK_WIDGET (self), _(titles[kind]), action, _(accept[kind]), name,
                        kind != 2 ? weights_filter () : NULL, FALSE, responses[kind], self);
}

static void
action_load_weights (GSimpleAction *action, GVariant *param, gpointer widget)
{
  show_chooser (MH_WINDOW (widget), 0);
}

static void
action_save_weights (GSimpleAction *action, GVariant *param, gpointer widget)
{
  show_chooser (MH_WINDOW (widget), 1);
}

static void
action_export_torch (GSimpleAction *action, GVariant *param, gpointer widget)
{
  show_chooser (MH_WINDOW (widget), 2);
}

void
_mh_window_model_init (MhWindow *self)
{
  static const GActionEntry entries[] = {
    { "load-weights", action_load_weights, NULL, NULL, NULL, { 0 } },
    { "save-weights", action_save_weights, NULL, NULL, NULL, { 0 } },
    { "export-torch", action_export_torch, NULL, NULL, NULL, { 0 } },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}
