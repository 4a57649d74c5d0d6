/* mh-window-results.c — the inspection pages of the dashboard: the
 * predictions board, the attention view and the confusion matrix, and the
 * epoch slider above each.  Images come from the Open dialog, drops on the
 * window, the clipboard and the test set (the one the trainer loaded: it
 * hands it out); the answers come from the trainer's worker
 * (mh-trainer-requests.h) with the model the slider chooses — a recorded
 * run's checkpoint, or the model as it trains —: at once when the images or
 * the slider change or a run ends, at most 4 times a second while it
 * trains.  Each answer is a copy; an old one is dropped.  The window never
 * touches the model. */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-epoch-scrubber.h"
#include "mh-error.h"
#include "mh-file-chooser.h"
#include "mh-schema.h"
#include "mh-trainer-requests.h"
#include "mh-window-private.h"

#define LIVE_INTERVAL_US (G_USEC_PER_SEC / 4)

struct _MhWindowResults
{
  MhPredictions   *board;
  MhAttentionView *attention;
  MhHeadView      *heads;         /* the attention view of a transformer over characters */
  MhConfusionView     *confusion;
  gboolean         in_flight, pending;
  gint64           last_request;
  guint            serial;        /* of the latest request: older answers are dropped */
  char            *data_key;      /* the data set the test split and the input shape are of */
  guint            loading;       /* the serial of the test split asked for; 0: none */
  gboolean         answers_in_flight, answers_pending;
  gboolean         answers_stale;  /* asked for while the Confusion page was hidden */
  guint            answers_serial;  /* of the latest: an answer of an earlier model is dropped */
  /* the model the pages show: a run's checkpoint after an epoch, or the live one */
  MhEpochScrubber *scrubbers[3];
  char            *run_dir;       /* the run the slider scrubs; NULL: none */
  char            *run_title;
  gboolean         run_is_live;   /* it is the trainer's run: "now" is its model */
  int              epoch;         /* -1: now (the live model) */
  gint64           epoch_moved;   /* when the slider moved, for its latency */
  double           last_latency;  /* seconds from a move to the cards' answers */
  MhShape          input;         /* the board's input shape */
};

typedef struct {
  GWeakRef  window;
  float    *x;        /* the inputs asked about, kept for the attention view */
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

/* The model the pages show: NULL, the live one. */
static const MhTrainerModel *
shown_model (MhWindow *self, MhTrainerModel *model)
{
  struct _MhWindowResults *in = self->results;

  if (in->run_dir == NULL || in->epoch < 0)
    return NULL;
  model->run_dir = in->run_dir;
  model->epoch = in->epoch;
  return model;
}

static const char *
untrained_status (MhWindow *self)
{
  if (self->train_state == MH_TRAINER_LOADING)
    return _("Reading the data set and building the model…");
  if (self->train_state == MH_TRAINER_FAILED)
    return _("The last run failed: fix the project and train again (F5).");
  return _("Not trained yet: press Train (F5) and watch every head’s answer change as it learns.");
}

/* ---- predictions and attention ------------------------------------------------------- */

static void request_predictions (MhWindow *self);
static void ensure_test_set (MhWindow *self);

static void
predict_done (gpointer result, const GError *error, gpointer data)
{
  Request *r = data;
  g_autoptr (MhProbeResult) res = result;
  g_autoptr (MhWindow) self = g_weak_ref_get (&r->window);
  struct _MhWindowResults *in;
  const char *status;

  if (self == NULL || self->results == NULL)
    return;
  in = self->results;
  in->in_flight = FALSE;
  if (r->serial == in->serial)
    {
      /* no model yet is the usual case; another reason is worth saying */
      status = res == NULL && error != NULL && in->run_dir != NULL && in->epoch >= 0 ? error->message
             : untrained_status (self);
      mh_predictions_set_result (in->board, res, status);
      if (res != NULL && !res->has_attention && r->attention >= 0)
        status = _("This model has no attention layers: the attention view is for transformer backbones "
                 "(try the fashion-vit example).");
      else if (r->attention < 0)
        status = _("Choose an image on the Predictions page (or pick one from the test set) to see where "
                   "every attention head looks.");
      {
        const float *x = res != NULL && r->attention >= 0 ? r->x + r->attention * mh_shape_size (&res->input) : NULL;
        gboolean words = mh_predictions_get_input_kind (in->board) == MH_INPUT_TOKENS;
        const char *word = words && r->attention >= 0 ? mh_predictions_get_text (in->board, r->attention) : NULL;
        if (words && r->attention < 0)
          status = _("Type a word on the Predictions page (or pick one from the test set) to see what every "
                     "attention head reads in it.");
        if (words && res != NULL && !res->has_attention)
          status = _("This model has no attention layers: the head view is for transformers (try the "
                     "german-nouns-transformer example).");
        mh_attention_view_set_maps (in->attention, words ? NULL : res, words ? NULL : x, r->title, status);
        mh_head_view_set_maps (in->heads, words ? res : NULL, words ? x : NULL, mh_predictions_get_vocab (in->board),
                               word != NULL ? word : r->title, status);
        gtk_widget_set_visible (GTK_WIDGET (in->heads), words);
      }
      if (in->epoch_moved > 0)
        {
          in->last_latency = (g_get_monotonic_time () - in->epoch_moved) / 1e6;
          in->epoch_moved = 0;
        }
      _mh_window_attribution_show_attention (self, res == NULL || res->has_attention);
      _mh_window_attribution_request (self);   /* what each head looks at, as often as the answers */
    }
  if (in->pending)
    request_predictions (self);
}

/* The board or an attention view is on screen: live answers are worth asking for. */
static gboolean
shown (struct _MhWindowResults *in)
{
  return gtk_widget_get_mapped (GTK_WIDGET (in->board)) || gtk_widget_get_mapped (GTK_WIDGET (in->attention))
         || gtk_widget_get_mapped (GTK_WIDGET (in->heads));
}

static void
page_mapped (MhWindow *self)
{
  struct _MhWindowResults *in = self->results;

  ensure_test_set (self);
  if (in->epoch < 0 && mh_trainer_state_is_active (self->train_state) && mh_predictions_get_n_items (in->board) > 0)
    request_predictions (self);   /* it was not asked while hidden */
}

static void
request_predictions (MhWindow *self)
{
  struct _MhWindowResults *in = self->results;
  MhTrainerModel model;
  Request *r;
  const char *title = NULL;
  float *x;

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
  /* the trainer takes a copy of the inputs; the request keeps its own for the attention view */
  x = r->n > 0 ? g_memdup2 (r->x, sizeof (float) * r->n * mh_shape_size (&in->input)) : NULL;
  mh_trainer_predict (self->trainer, shown_model (self, &model), x, (gsize) r->n * mh_shape_size (&in->input),
                      r->n, r->attention, predict_done, r, request_free);
}

/* ---- the confusion matrices ------------------------------------------------------------ */

/* A request that only needs the window and which request it was. */
typedef struct {
  GWeakRef window;
  guint    serial;
} TestRequest;

static TestRequest *
test_request_new (MhWindow *self, guint serial)
{
  TestRequest *t = g_new0 (TestRequest, 1);

  g_weak_ref_init (&t->window, self);
  t->serial = serial;
  return t;
}

static void
test_request_free (gpointer data)
{
  TestRequest *t = data;

  g_weak_ref_clear (&t->window);
  g_free (t);
}

static void request_answers (MhWindow *self);

static void
answers_done (gpointer result, const GError *error, gpointer data)
{
  g_autoptr (MhProbeAnswers) a = result;
  TestRequest *t = data;
  g_autoptr (MhWindow) self = g_weak_ref_get (&t->window);
  struct _MhWindowResults *in;

  if (self == NULL || self->results == NULL)
    return;
  in = self->results;
  in->answers_in_flight = FALSE;
  if (t->serial == in->answers_serial)   /* else asked of a model no longer shown */
    mh_confusion_view_set_answers (in->confusion, a,
                                 a == NULL && error != NULL && in->run_dir != NULL && in->epoch >= 0
                                 ? error->message : untrained_status (self));
  if (in->answers_pending)
    request_answers (self);
}

static void
request_answers (MhWindow *self)
{
  struct _MhWindowResults *in = self->results;
  MhTrainerModel model;

  if (in->answers_in_flight)
    {
      in->answers_pending = TRUE;
      return;
    }
  in->answers_pending = FALSE;
  in->answers_stale = FALSE;
  in->answers_in_flight = TRUE;
  mh_trainer_answers (self->trainer, shown_model (self, &model), answers_done,
                      test_request_new (self, ++in->answers_serial), test_request_free);
}

/* The test split's answers take a pass over the whole split on the worker
 * (seconds, between two batches of a run): only for the Confusion page in
 * view (a hidden one asks when it is shown), and not for the model as it
 * trains (the run's end asks, or the refresh button). */
static void
request_answers_for_view (MhWindow *self)
{
  struct _MhWindowResults *in = self->results;

  if (in->epoch < 0 && mh_trainer_state_is_active (mh_window_get_training_state (self)))
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (in->confusion)))
    {
      in->answers_stale = TRUE;
      return;
    }
  request_answers (self);
}

static void
confusion_mapped (MhWindow *self)
{
  if (self->results->answers_stale)
    request_answers (self);
}

static void
cell_activated (MhWindow *self, int head, int truth, int answer, MhConfusionView *confusion)
{
  int n = 0;
  g_autofree int *samples = mh_confusion_view_dup_samples (confusion, truth, answer, 12, &n);

  if (mh_predictions_get_test_set (self->results->board) == NULL)
    {
      mh_window_toast (self, _("The test set is still loading"));
      return;
    }
  mh_predictions_clear (self->results->board);
  for (int i = 0; i < n; i++)
    mh_predictions_add_sample (self->results->board, samples[i]);
  mh_training_panel_show_page (self->training_panel, "predictions");
}

/* ---- the test set, from the trainer ------------------------------------------------------- */


static void
test_loaded (gpointer result, const GError *error, gpointer data)
{
  TestRequest *t = data;
  g_autoptr (MhWindow) self = g_weak_ref_get (&t->window);
  MhDataset *test = result;
  MhPredictions *board;

  if (self == NULL || self->results == NULL || t->serial != self->results->loading)
    {
      mh_dataset_free (test);
      return;   /* another data set since */
    }
  self->results->loading = 0;
  if (test == NULL)
    return;   /* the data set is missing: the banner says so */
  board = self->results->board;
  mh_predictions_set_test_set (board, test);
  /* something to look at right away: images, words or sensor windows */
  if (mh_predictions_get_n_items (board) == 0)
    {
      static const int first[] = { 0, 1, 2, 3, 4, 8 };
      for (guint i = 0; i < G_N_ELEMENTS (first) && first[i] < test->n; i++)
        mh_predictions_add_sample (board, first[i]);
      mh_predictions_select (board, 0);
    }
}

/* The test split, asked of the trainer when an inspection page is first
 * shown: it loads the data set once, for this and for training. */
static void
ensure_test_set (MhWindow *self)
{
  struct _MhWindowResults *in = self->results;
  const MhProject *p = mh_document_get_project (self->document);
  static guint serial;
  TestRequest *t;

  if (in == NULL || in->loading != 0 || mh_predictions_get_test_set (in->board) != NULL
      || !mh_schema_data_available (&p->data, NULL))
    return;
  t = test_request_new (self, in->loading = ++serial);
  mh_trainer_test_set (self->trainer, p, test_loaded, t, test_request_free);
}

/* The document's data set changed (or is new): the input shape; the test copy is dropped. */
void
_mh_window_results_changed (MhWindow *self)
{
  struct _MhWindowResults *in = self->results;
  const MhProject *p = mh_document_get_project (self->document);
  g_autofree char *key = mh_data_spec_key (&p->data);
  g_autoptr (MhDataset) schema = NULL;

  if (in == NULL || g_strcmp0 (key, in->data_key) == 0)
    return;
  g_free (in->data_key);
  in->data_key = g_steal_pointer (&key);
  schema = mh_schema_new (&p->data, NULL);
  if (schema != NULL)
    {
      mh_predictions_set_input (in->board, schema->input, schema->shape, schema->vocab,
                                (const char *const *) schema->channels);
      for (int i = 0; i < 2 && self->attribution != NULL; i++)
        mh_attribution_view_set_channels (mh_window_get_attribution_view (self, i == 0),
                                          (const char *const *) schema->channels);
      in->input = schema->shape;
    }
  mh_predictions_set_test_set (in->board, NULL);
  in->loading = 0;   /* an answer for the old data set is dropped */
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
  if (!mh_predictions_add_file (self->results->board, file, error))
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

  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  mh_file_chooser_show (GTK_WIDGET (widget), _("Open Images"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), NULL,
                        filter, TRUE, G_CALLBACK (images_chosen), widget);
}

static void
texture_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (MhWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);

  if (self->results == NULL)
    return;
  if (texture == NULL)
    {
      mh_window_toast (self, _("The clipboard holds no image"));
      return;
    }
  if (!mh_predictions_add_texture (self->results->board, texture, _("Pasted image"), &error))
    mh_window_toast (self, error->message);
  else
    show_board (self);
}

/* Words from the clipboard: a card a line. */
static void
text_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (MhWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);

  if (self->results == NULL)
    return;
  if (text == NULL)
    mh_window_toast (self, _("The clipboard holds no text"));
  else if (!mh_predictions_add_text (self->results->board, text, &error))
    mh_window_toast (self, error->message);
  else
    show_board (self);
}

static void
action_paste_image (GSimpleAction *action, GVariant *param, gpointer widget)
{
  MhWindow *self = MH_WINDOW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (widget));

  /* a model of words takes words: pasted text, a card a line */
  if (mh_predictions_get_input_kind (self->results->board) == MH_INPUT_TOKENS)
    gdk_clipboard_read_text_async (clipboard, NULL, text_read, g_object_ref (widget));
  else
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

/* ---- the model shown: the epoch slider ---------------------------------------------------- */

/* The pages ask again with the model now chosen. */
static void
model_changed (MhWindow *self)
{
  struct _MhWindowResults *in = self->results;
  g_autofree char *origin = in->run_dir != NULL && in->epoch >= 0
                            ? g_strdup_printf (_("%s, epoch %d"), in->run_title, in->epoch) : NULL;

  mh_predictions_set_checkpoint (in->board, origin);
  /* what is on its way is of the model shown before: dropped when it comes */
  in->serial++;
  in->answers_serial++;
  request_predictions (self);
  request_answers_for_view (self);
}

static void
epoch_moved (MhWindow *self, int epoch, MhEpochScrubber *scrubber)
{
  struct _MhWindowResults *in = self->results;

  for (guint i = 0; i < G_N_ELEMENTS (in->scrubbers); i++)   /* the three pages' sliders agree */
    if (in->scrubbers[i] != scrubber)
      mh_epoch_scrubber_set_epoch (in->scrubbers[i], epoch);
  in->epoch = epoch;
  in->epoch_moved = g_get_monotonic_time ();
  model_changed (self);
}

void
_mh_window_results_set_run (MhWindow *self, const MhRun *run, const char *title, gboolean live)
{
  struct _MhWindowResults *in = self->results;
  g_autofree gboolean *available = NULL;
  gboolean same = run != NULL && g_strcmp0 (run->dir, in->run_dir) == 0;
  int n = 0;

  if (run != NULL)
    {
      n = MAX (run->epochs, mh_run_epochs_done (run));
      available = g_new0 (gboolean, MAX (1, n));
      for (guint i = 0; i < run->checkpoints->len; i++)
        {
          const MhRunCheckpoint *c = &g_array_index (run->checkpoints, MhRunCheckpoint, i);
          if (!c->at_stop && c->problem == NULL && c->epoch >= 1 && c->epoch <= n)
            available[c->epoch - 1] = TRUE;
        }
    }
  g_free (in->run_dir);
  g_free (in->run_title);
  in->run_dir = run != NULL ? g_strdup (run->dir) : NULL;
  in->run_title = g_strdup (title);
  in->run_is_live = run != NULL && live;
  for (guint i = 0; i < G_N_ELEMENTS (in->scrubbers); i++)
    mh_epoch_scrubber_set_run (in->scrubbers[i], run != NULL ? title : NULL, n, available, in->run_is_live);
  if (run == NULL)
    {
      in->epoch = -1;
      return;
    }
  if (!same || in->epoch != mh_epoch_scrubber_get_epoch (in->scrubbers[0]))
    {
      in->epoch = mh_epoch_scrubber_get_epoch (in->scrubbers[0]);
      model_changed (self);
    }
  else
    {
      g_autofree char *origin = in->epoch >= 0 ? g_strdup_printf (_("%s, epoch %d"), title, in->epoch) : NULL;
      mh_predictions_set_checkpoint (in->board, origin);
    }
}

void
_mh_window_results_show_epoch (MhWindow *self, int epoch)
{
  struct _MhWindowResults *in = self->results;

  for (guint i = 0; i < G_N_ELEMENTS (in->scrubbers); i++)
    mh_epoch_scrubber_set_epoch (in->scrubbers[i], epoch);
  in->epoch = epoch;
  in->epoch_moved = g_get_monotonic_time ();
  model_changed (self);
}

const char *
_mh_window_results_get_model (MhWindow *self, int *epoch)
{
  struct _MhWindowResults *in = self->results;

  *epoch = in->epoch;
  return in->run_dir != NULL && in->epoch >= 0 ? in->run_dir : NULL;
}

double
mh_window_get_epoch_latency (MhWindow *self)
{
  return self->results->epoch_moved > 0 ? -1 : self->results->last_latency;
}

/* Another project: nothing of the last one stays. */
void
_mh_window_results_clear (MhWindow *self)
{
  struct _MhWindowResults *in = self->results;

  in->serial++;   /* answers in flight are the old model's */
  in->answers_serial++;
  in->in_flight = in->pending = FALSE;
  _mh_window_results_set_run (self, NULL, NULL, FALSE);
  mh_predictions_set_origin (in->board, NULL);
  mh_predictions_set_checkpoint (in->board, NULL);
  mh_predictions_set_result (in->board, NULL, untrained_status (self));
  mh_attention_view_set_maps (in->attention, NULL, NULL, NULL, untrained_status (self));
  mh_head_view_set_maps (in->heads, NULL, NULL, NULL, NULL, untrained_status (self));
  mh_confusion_view_set_answers (in->confusion, NULL, _("Train the model (F5): when the run ends each classification "
                                 "head’s answers on the test set appear here."));
  /* the same data set or not, the test split comes again from the trainer (a new one: no old cards) */
  g_clear_pointer (&in->data_key, g_free);
  mh_predictions_clear (in->board);
  mh_predictions_set_test_set (in->board, NULL);
  in->loading = 0;
  _mh_window_results_changed (self);
}

/* ---- the trainer's events ------------------------------------------------------------------- */

void
_mh_window_results_event (MhWindow *self, const MhTrainerEvent *e, MhTrainerState before)
{
  struct _MhWindowResults *in = self->results;
  gboolean ended = before != e->state && (e->state == MH_TRAINER_FINISHED || e->state == MH_TRAINER_STOPPED);
  gboolean live = in != NULL && in->epoch < 0;

  if (in == NULL)
    return;
  if (live && (ended || (before != e->state && e->state == MH_TRAINER_PAUSED)))
    request_predictions (self);
  else if (live && e->kind == MH_TRAINER_EVENT_PROGRESS && mh_predictions_get_n_items (in->board) > 0
           && g_get_monotonic_time () - in->last_request >= LIVE_INTERVAL_US && !in->in_flight
           && shown (in))   /* no work for hidden pages: they ask when shown */
    request_predictions (self);
  if (live && ended)
    request_answers_for_view (self);
  if (e->kind == MH_TRAINER_EVENT_STARTED)
    {
      mh_predictions_set_origin (in->board, NULL);   /* a new model */
      mh_confusion_view_set_answers (in->confusion, NULL, _("Training… the matrix is computed on the test set when the "
                                     "run ends (or press the refresh button)."));
    }
}

/* ---- the window's part ------------------------------------------------------------------------ */

MhPredictions *
mh_window_get_predictions (MhWindow *self)
{
  return self->results->board;
}

MhAttentionView *
mh_window_get_attention_view (MhWindow *self)
{
  return self->results->attention;
}

MhHeadView *
mh_window_get_head_view (MhWindow *self)
{
  return self->results->heads;
}

MhConfusionView *
mh_window_get_confusion (MhWindow *self)
{
  return self->results->confusion;
}

MhEpochScrubber *
mh_window_get_epoch_scrubber (MhWindow *self)
{
  return self->results->scrubbers[0];
}


/* A page with the epoch slider above it. */
static GtkWidget *
with_scrubber (MhWindow *self, GtkWidget *page, int i)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *scrubber = mh_epoch_scrubber_new ();

  self->results->scrubbers[i] = MH_EPOCH_SCRUBBER (scrubber);
  g_signal_connect_object (scrubber, "epoch-changed", G_CALLBACK (epoch_moved), self, G_CONNECT_SWAPPED);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), scrubber);
  gtk_box_append (GTK_BOX (box), page);
  return box;
}

void
_mh_window_results_init (MhWindow *self)
{
  static const GActionEntry entries[] = {
    { "open-images", action_open_images, NULL, NULL, NULL, { 0 } },
    { "paste-image", action_paste_image, NULL, NULL, NULL, { 0 } },
    { "refresh-confusion", action_refresh_confusion, NULL, NULL, NULL, { 0 } },
    { "show-message", action_show_message, "s", NULL, NULL, { 0 } },
  };
  struct _MhWindowResults *in = g_new0 (struct _MhWindowResults, 1);

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  self->results = in;
  in->epoch = -1;
  in->board = MH_PREDICTIONS (mh_predictions_new ());
  in->attention = MH_ATTENTION_VIEW (mh_attention_view_new ());
  in->heads = MH_HEAD_VIEW (mh_head_view_new ());
  gtk_widget_set_visible (GTK_WIDGET (in->heads), FALSE);
  in->confusion = MH_CONFUSION_VIEW (mh_confusion_view_new ());
  mh_attention_view_set_maps (in->attention, NULL, NULL, NULL, untrained_status (self));
  mh_head_view_set_maps (in->heads, NULL, NULL, NULL, NULL, untrained_status (self));
  mh_confusion_view_set_answers (in->confusion, NULL, _("Train the model (F5): when the run ends each classification "
                            "head’s answers on the test set appear here."));
  g_signal_connect_object (in->board, "changed", G_CALLBACK (request_predictions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (in->board, "map", G_CALLBACK (page_mapped), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (in->attention, "map", G_CALLBACK (page_mapped), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (in->confusion, "map", G_CALLBACK (confusion_mapped), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (in->heads, "map", G_CALLBACK (page_mapped), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (in->confusion, "cell-activated", G_CALLBACK (cell_activated), self, G_CONNECT_SWAPPED);
  gtk_widget_set_name (GTK_WIDGET (in->board), "predictions-board");   /* for lessons (docs/lessons.md) */
  gtk_widget_set_name (GTK_WIDGET (in->attention), "attention-view");
  gtk_widget_set_name (GTK_WIDGET (in->heads), "head-view");
  gtk_widget_set_name (GTK_WIDGET (in->confusion), "confusion-view");
  {
    GtkWidget *board_page = GTK_WIDGET (in->board), *attention_page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
    gtk_widget_set_vexpand (GTK_WIDGET (in->attention), TRUE);
    gtk_widget_set_vexpand (GTK_WIDGET (in->heads), TRUE);
    gtk_box_append (GTK_BOX (attention_page), GTK_WIDGET (in->attention));
    gtk_box_append (GTK_BOX (attention_page), GTK_WIDGET (in->heads));
    _mh_window_attribution_init (self, &board_page, &attention_page);
    mh_training_panel_add_page (self->training_panel, with_scrubber (self, board_page, 0), "predictions",
                                _("Predictions"));
    mh_training_panel_add_page (self->training_panel, with_scrubber (self, attention_page, 1), "attention",
                                _("Attention"));
  }
  mh_training_panel_add_page (self->training_panel, with_scrubber (self, GTK_WIDGET (in->confusion), 2),
                              "confusion", _("Confusion"));
}

void
_mh_window_results_dispose (MhWindow *self)
{
  struct _MhWindowResults *in = self->results;

  if (in == NULL)
    return;
  g_free (in->data_key);
  g_free (in->run_dir);
  g_free (in->run_title);
  g_clear_pointer (&self->results, g_free);
  _mh_window_attribution_dispose (self);
}
