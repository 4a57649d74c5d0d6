/* mh-window-results.c — the inspection pages of the dashboard: the
 * predictions board, the attention view and the confusion matrix.  Images
 * come from the Open dialog, drops on the window, the clipboard and the
 * test set (loaded here in a thread, a copy of the window's own); the
 * answers come from the trainer's worker (mh_trainer_call): at once when
 * the images change or a run ends, at most 4 times a second while it
 * trains.  Each answer is a copy; an old one is dropped. */
#include <math.h>
#include "mh-error.h"
#include "mh-file-chooser.h"
#include "mh-schema.h"
#include "mh-weights.h"
#include "mh-window-private.h"

#define LIVE_INTERVAL_US (G_USEC_PER_SEC / 4)

struct _MhWindowInspect
{
  MhPredictions   *board;
  MhAttentionView *attention;
  MhConfusionView     *confusion;
  gboolean         in_flight, pending;
  gint64           last_request;
  guint            serial;        /* of the latest request: older answers are dropped */
  char            *data_key;      /* the data set the test copy and the input shape are of */
  GCancellable    *loading;
  gboolean         answers_in_flight;
};

typedef struct {
  GWeakRef  window;
  float    *x;
  int       n;
  int       attention;   /* the board's chosen image, -1 */
  guint     serial;
  char     *title;
} Request;

static void
request_free (gpointer data)
{
  Request *r = data;

  g_weak_ref_clear (&r->window);
  g_free (r->x);
  g_free (r->title);
  g_free (r);
}

static const char *
untrained_status (MhWindow *self)
{
  if (self->train_state == MH_TRAINER_LOADING)
    return "Reading the data set and building the model…";
  if (self->train_state == MH_TRAINER_FAILED)
    return "The last run failed: fix the project and train again (F5).";
  return "Not trained yet: press Train (F5) and watch every head’s answer change as it learns.";
}

/* ---- predictions and attention ------------------------------------------------------- */

static gpointer
predict_work (MhTraining *run, gpointer data)
{
  Request *r = data;

  if (run == NULL || run->model == NULL)
    return NULL;
  return mh_probe_predict (run, r->x, r->n, r->attention);
}

static void request_predictions (MhWindow *self);

static void
predict_done (gpointer result, gpointer data)
{
  Request *r = data;
  g_autoptr (MhProbeResult) res = result;
  g_autoptr (MhWindow) self = g_weak_ref_get (&r->window);
  struct _MhWindowInspect *in;
  const char *status;

  if (self == NULL || self->inspect == NULL)
    return;
  in = self->inspect;
  in->in_flight = FALSE;
  if (r->serial == in->serial)
    {
      status = untrained_status (self);
      mh_predictions_set_result (in->board, res, status);
      if (res != NULL && !res->has_attention && r->attention >= 0)
        status = "This model has no attention layers: the attention view is for transformer backbones "
                 "(try the fashion-vit example).";
      else if (r->attention < 0)
        status = "Choose an image on the Predictions page (or pick one from the test set) to see where "
                 "every attention head looks.";
      mh_attention_view_set_maps (in->attention, res,
                                  res != NULL && r->attention >= 0 ? r->x + r->attention * mh_shape_size (&res->input)
                                                                   : NULL, r->title, status);
      _mh_window_attribution_show_attention (self, res == NULL || res->has_attention);
      _mh_window_attribution_request (self);   /* what each head looks at, as often as the answers */
    }
  if (in->pending)
    request_predictions (self);
}

static void
request_predictions (MhWindow *self)
{
  struct _MhWindowInspect *in = self->inspect;
  Request *r;
  const char *title = NULL;

  if (in->in_flight)
    {
      in->pending = TRUE;
      return;
    }
  in->pending = FALSE;
  in->in_flight = TRUE;
  in->last_request = g_get_monotonic_time ();
  r = g_new0 (Request, 1);
  g_weak_ref_init (&r->window, self);
  r->x = mh_predictions_dup_inputs (in->board, &r->n);
  r->attention = mh_predictions_get_selected (in->board);
  mh_predictions_get_input (in->board, r->attention, &title);
  r->title = g_strdup (title);
  r->serial = ++in->serial;
  mh_trainer_call (self->trainer, predict_work, predict_done, r, request_free);
}

/* ---- the confusion matrices ------------------------------------------------------------ */

static gpointer
answers_work (MhTraining *run, gpointer data)
{
  if (run == NULL || run->model == NULL || run->data == NULL || run->data->test == NULL || run->data->test->n == 0)
    return NULL;
  return mh_probe_answers (run, run->data->test);
}

static void
answers_done (gpointer result, gpointer data)
{
  g_autoptr (MhProbeAnswers) a = result;
  g_autoptr (MhWindow) self = g_weak_ref_get (data);

  if (self == NULL || self->inspect == NULL)
    return;
  self->inspect->answers_in_flight = FALSE;
  mh_confusion_view_set_answers (self->inspect->confusion, a, untrained_status (self));
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
request_answers (MhWindow *self)
{
  GWeakRef *ref;

  if (self->inspect->answers_in_flight)
    return;
  self->inspect->answers_in_flight = TRUE;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  mh_trainer_call (self->trainer, answers_work, answers_done, ref, weak_ref_free);
}

static void
cell_activated (MhWindow *self, int head, int truth, int answer, MhConfusionView *confusion)
{
  int n = 0;
  g_autofree int *samples = mh_confusion_view_dup_samples (confusion, truth, answer, 12, &n);

  if (mh_predictions_get_test_set (self->inspect->board) == NULL)
    {
      mh_window_toast (self, "The test set is still loading");
      return;
    }
  mh_predictions_clear (self->inspect->board);
  for (int i = 0; i < n; i++)
    mh_predictions_add_sample (self->inspect->board, samples[i]);
  mh_training_panel_show_page (self->training_panel, "predictions");
}

/* ---- the test set, loaded in a thread ------------------------------------------------------- */

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  MhProject *p = data;
  GError *error = NULL;
  MhSplits *splits = mh_splits_load (&p->data, NULL, "dataset", &error);
  MhDataset *test;

  if (splits == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  test = g_steal_pointer (&splits->test);
  mh_splits_free (splits);
  g_task_return_pointer (task, test, (GDestroyNotify) mh_dataset_free);
}

static void
test_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (MhWindow) self = data;
  g_autoptr (GError) error = NULL;
  MhDataset *test = g_task_propagate_pointer (G_TASK (result), &error);
  MhPredictions *board;

  if (test == NULL || self->inspect == NULL || g_task_get_cancellable (G_TASK (result)) != self->inspect->loading)
    {
      mh_dataset_free (test);
      return;   /* cancelled, or the data set is missing: the banner says so */
    }
  g_clear_object (&self->inspect->loading);
  board = self->inspect->board;
  mh_predictions_set_test_set (board, test);
  if (mh_predictions_get_n_items (board) == 0)   /* something to look at right away */
    {
      static const int first[] = { 0, 1, 2, 3, 4, 8 };
      for (guint i = 0; i < G_N_ELEMENTS (first) && first[i] < test->n; i++)
        mh_predictions_add_sample (board, first[i]);
      mh_predictions_select (board, 0);
    }
}

/* The test copy, loaded when an inspection page is first shown (a thread). */
static void
ensure_test_set (MhWindow *self)
{
  struct _MhWindowInspect *in = self->inspect;
  const MhProject *p = mh_document_get_project (self->document);
  GTask *task;

  if (in == NULL || in->loading != NULL || mh_predictions_get_test_set (in->board) != NULL
      || !mh_schema_data_available (&p->data, NULL))
    return;
  in->loading = g_cancellable_new ();
  task = g_task_new (NULL, in->loading, test_loaded, g_object_ref (self));
  g_task_set_task_data (task, mh_project_copy (p), (GDestroyNotify) mh_project_free);
  g_task_run_in_thread (task, load_thread);
  g_object_unref (task);
}

/* The document's data set changed (or is new): the input shape; the test copy is dropped. */
void
_mh_window_inspect_changed (MhWindow *self)
{
  struct _MhWindowInspect *in = self->inspect;
  const MhProject *p = mh_document_get_project (self->document);
  g_autofree char *key = mh_data_spec_key (&p->data);
  g_autoptr (MhDataset) schema = NULL;

  if (in == NULL || g_strcmp0 (key, in->data_key) == 0)
    return;
  g_free (in->data_key);
  in->data_key = g_steal_pointer (&key);
  schema = mh_schema_new (&p->data, NULL);
  if (schema != NULL)
    mh_predictions_set_input_shape (in->board, schema->shape);
  mh_predictions_set_test_set (in->board, NULL);
  g_cancellable_cancel (in->loading);
  g_clear_object (&in->loading);
  if (gtk_widget_get_mapped (GTK_WIDGET (in->board)) || gtk_widget_get_mapped (GTK_WIDGET (in->attention))
      || gtk_widget_get_mapped (GTK_WIDGET (in->confusion)))
    ensure_test_set (self);
}

/* ---- images from files, drops and the clipboard ----------------------------------------------- */

static void
show_board (MhWindow *self)
{
  _mh_window_show_panel (self);
  mh_training_panel_show_page (self->training_panel, "predictions");
}

gboolean
mh_window_add_image (MhWindow *self, GFile *file, GError **error)
{
  if (!mh_predictions_add_file (self->inspect->board, file, error))
    return FALSE;
  show_board (self);
  return TRUE;
}

/* Each file to the board; every one that cannot be read gets a toast. */
void
_mh_window_add_images (MhWindow *self, GFile **files, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      if (!mh_window_add_image (self, files[i], &error))
        mh_window_toast (self, error->message);
    }
}

static void
images_chosen (GtkNativeDialog *native, int response, MhWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
      g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (list, g_list_model_get_item (files, i));
      _mh_window_add_images (self, (GFile **) list->pdata, list->len);
    }
  g_object_unref (native);
}

static void
action_open_images (GSimpleAction *action, GVariant *param, gpointer widget)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, "Images");
  gtk_file_filter_add_pixbuf_formats (filter);
  mh_file_chooser_show (GTK_WIDGET (widget), "Open Images", GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", NULL,
                        filter, TRUE, G_CALLBACK (images_chosen), widget);
}

static void
texture_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (MhWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);

  if (self->inspect == NULL)
    return;
  if (texture == NULL)
    {
      mh_window_toast (self, "The clipboard holds no image");
      return;
    }
  if (!mh_predictions_add_texture (self->inspect->board, texture, "Pasted image", &error))
    mh_window_toast (self, error->message);
  else
    show_board (self);
}

static void
action_paste_image (GSimpleAction *action, GVariant *param, gpointer widget)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (widget));

  gdk_clipboard_read_texture_async (clipboard, NULL, texture_read, g_object_ref (widget));
}

static void
action_refresh_confusion (GSimpleAction *action, GVariant *param, gpointer widget)
{
  request_answers (MH_WINDOW (widget));
}

static void
action_show_message (GSimpleAction *action, GVariant *param, gpointer widget)
{
  mh_window_toast (MH_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* ---- the trainer's events ------------------------------------------------------------------- */

void
_mh_window_inspect_event (MhWindow *self, const MhTrainerEvent *e, MhTrainerState before)
{
  struct _MhWindowInspect *in = self->inspect;
  gboolean ended = before != e->state && (e->state == MH_TRAINER_FINISHED || e->state == MH_TRAINER_STOPPED);

  if (in == NULL)
    return;
  if (ended || (before != e->state && e->state == MH_TRAINER_PAUSED))
    request_predictions (self);
  else if (e->kind == MH_TRAINER_EVENT_PROGRESS && mh_predictions_get_n_items (in->board) > 0
           && g_get_monotonic_time () - in->last_request >= LIVE_INTERVAL_US && !in->in_flight)
    request_predictions (self);
  if (ended)
    request_answers (self);
  if (e->kind == MH_TRAINER_EVENT_STARTED)
    mh_predictions_set_origin (in->board, NULL);   /* a new model */
  if (e->kind == MH_TRAINER_EVENT_STARTED)
    mh_confusion_view_set_answers (in->confusion, NULL, "Training… the matrix is computed on the test set when the run "
                              "ends (or press the refresh button).");
}

/* ---- the window's part ------------------------------------------------------------------------ */

MhPredictions *
mh_window_get_predictions (MhWindow *self)
{
  return self->inspect->board;
}

MhAttentionView *
mh_window_get_attention_view (MhWindow *self)
{
  return self->inspect->attention;
}

MhConfusionView *
mh_window_get_confusion (MhWindow *self)
{
  return self->inspect->confusion;
}

/* ---- weights from a file --------------------------------------------------------------------- */

typedef struct {
  GWeakRef window;
  char    *path;
} LoadRequest;

static void
load_request_free (gpointer data)
{
  LoadRequest *r = data;

  g_weak_ref_clear (&r->window);
  g_free (r->path);
  g_free (r);
}

/* On the worker: all or nothing (mh_model_load_weights checks every
 * tensor first); the lanes share lane 0's parameters. */
static gpointer
load_work (MhTraining *run, gpointer data)
{
  LoadRequest *r = data;
  GError *error = NULL;

  if (run == NULL)
    return g_error_new (MH_ERROR, MH_ERROR_INVALID, "%s: no model to load the weights into", r->path);
  if (!mh_model_load_weights (run->model, r->path, &error))
    return error;
  return NULL;
}

static void
load_done (gpointer result, gpointer data)
{
  LoadRequest *r = data;
  g_autoptr (GError) error = result;
  g_autoptr (MhWindow) self = g_weak_ref_get (&r->window);
  g_autofree char *name = g_path_get_basename (r->path);
  g_autofree char *message = NULL;

  if (self == NULL)
    return;
  if (error != NULL)
    {
      mh_window_toast (self, error->message);
      return;
    }
  message = g_strdup_printf ("Weights loaded from %s — Train (F5) goes on from them", name);
  mh_predictions_set_origin (self->inspect->board, name);
  mh_window_toast (self, message);
  show_board (self);
  request_predictions (self);
  request_answers (self);
}

/* Loads weights into the model (a paused run is made when none is active);
 * the predictions, attention and confusion pages follow at once. */
void
mh_window_load_weights (MhWindow *self, const char *path)
{
  LoadRequest *r;

  if (!_mh_window_ensure_run (self))
    return;
  r = g_new0 (LoadRequest, 1);
  g_weak_ref_init (&r->window, self);
  r->path = g_strdup (path);
  mh_trainer_call (self->trainer, load_work, load_done, r, load_request_free);
}

static void
weights_chosen (GtkNativeDialog *native, int response, gpointer data)
{
  MhWindow *self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      G_GNUC_END_IGNORE_DEPRECATIONS
      g_autofree char *path = g_file_get_path (file);
      if (path != NULL)
        mh_window_load_weights (self, path);
    }
  g_object_unref (native);
}

static void
action_load_weights (GSimpleAction *action, GVariant *param, gpointer widget)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, "Weights (safetensors)");
  gtk_file_filter_add_pattern (filter, "*.safetensors");
  mh_file_chooser_show (GTK_WIDGET (widget), "Load Weights", GTK_FILE_CHOOSER_ACTION_OPEN, "_Load", NULL,
                        filter, FALSE, G_CALLBACK (weights_chosen), widget);
}

void
_mh_window_inspect_init (MhWindow *self)
{
  static const GActionEntry entries[] = {
    { "open-images", action_open_images, NULL, NULL, NULL, { 0 } },
    { "load-weights", action_load_weights, NULL, NULL, NULL, { 0 } },
    { "paste-image", action_paste_image, NULL, NULL, NULL, { 0 } },
    { "refresh-confusion", action_refresh_confusion, NULL, NULL, NULL, { 0 } },
    { "show-message", action_show_message, "s", NULL, NULL, { 0 } },
  };
  struct _MhWindowInspect *in = g_new0 (struct _MhWindowInspect, 1);

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  self->inspect = in;
  in->board = MH_PREDICTIONS (mh_predictions_new ());
  in->attention = MH_ATTENTION_VIEW (mh_attention_view_new ());
  in->confusion = MH_CONFUSION_VIEW (mh_confusion_view_new ());
  mh_attention_view_set_maps (in->attention, NULL, NULL, NULL, untrained_status (self));
  mh_confusion_view_set_answers (in->confusion, NULL, "Train the model (F5): when the run ends each classification "
                            "head’s answers on the test set appear here.");
  g_signal_connect_object (in->board, "changed", G_CALLBACK (request_predictions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (in->board, "map", G_CALLBACK (ensure_test_set), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (in->attention, "map", G_CALLBACK (ensure_test_set), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (in->confusion, "cell-activated", G_CALLBACK (cell_activated), self, G_CONNECT_SWAPPED);
  gtk_widget_set_name (GTK_WIDGET (in->board), "predictions-board");   /* for lessons (docs/lessons.md) */
  gtk_widget_set_name (GTK_WIDGET (in->attention), "attention-view");
  gtk_widget_set_name (GTK_WIDGET (in->confusion), "confusion-view");
  {
    GtkWidget *board_page = GTK_WIDGET (in->board), *attention_page = GTK_WIDGET (in->attention);
    _mh_window_attribution_init (self, &board_page, &attention_page);
    mh_training_panel_add_page (self->training_panel, board_page, "predictions", "Predictions");
    mh_training_panel_add_page (self->training_panel, attention_page, "attention", "Attention");
  }
  mh_training_panel_add_page (self->training_panel, GTK_WIDGET (in->confusion), "confusion", "Confusion");
}

void
_mh_window_inspect_dispose (MhWindow *self)
{
  struct _MhWindowInspect *in = self->inspect;

  if (in == NULL)
    return;
  g_cancellable_cancel (in->loading);
  g_clear_object (&in->loading);
  g_free (in->data_key);
  g_clear_pointer (&self->inspect, g_free);
  _mh_window_attribution_dispose (self);
}
