/* mh-window-attribution.c — what each head looks at, on the Predictions
 * page (a strip under the cards, for the chosen card) and on the Attention
 * page (beside the attention heads; the whole page for a model without
 * attention).  The maps come from the trainer's worker
 * (mh_trainer_attribute), of the model the epoch slider picks, after each
 * answer of the predictions — at most 4 times a second while it trains, and
 * when the slider moves — and when the chosen image, the method or the
 * folding changes, only while one of the views is on screen.  An old answer
 * is dropped. */
#include <glib/gi18n.h>
#include "mh-attribution-view.h"
#include "mh-trainer-requests.h"
#include "mh-window-private.h"

struct _MhWindowAttribution
{
  MhAttributionView *strip;    /* under the predictions */
  MhAttributionView *page;     /* on the attention page */
  gboolean           in_flight, pending;
  guint              serial;   /* of the latest request */
  int                attention;   /* the model has attention layers: 1, 0, or -1 not known yet */
};

typedef struct {
  GWeakRef window;
  guint    serial;
  char    *title;
} Request;

static void
request_free (gpointer data)
{
  Request *r = data;

  g_weak_ref_clear (&r->window);
  g_free (r->title);
  g_free (r);
}

static gboolean
showing (struct _MhWindowAttribution *a)
{
  return mh_attribution_view_is_showing (a->strip) || mh_attribution_view_is_showing (a->page);
}

static void
show (struct _MhWindowAttribution *a, const MhProbeAttribution *r, const char *title, const char *status)
{
  mh_attribution_view_set_result (a->strip, r, title, status);
  mh_attribution_view_set_result (a->page, r, title, status);
}

static void
answered (gpointer result, const GError *error, gpointer data)
{
  Request *r = data;
  g_autoptr (MhProbeAttribution) res = result;
  g_autoptr (MhWindow) self = g_weak_ref_get (&r->window);
  struct _MhWindowAttribution *a;

  if (self == NULL || self->attribution == NULL)
    return;
  a = self->attribution;
  a->in_flight = FALSE;
  if (r->serial == a->serial)
    {
      g_autofree char *status = NULL;
      if (res == NULL)
        status = error != NULL && !g_str_has_prefix (error->message, "no model yet")
                 ? g_strdup (error->message)
                 : g_strdup (_("Train the model (F5) or load weights: then every head’s map over the chosen image "
                               "appears here, and follows training."));
      show (a, res, r->title, status);
    }
  if (a->pending)
    _mh_window_attribution_request (self);
}

void
_mh_window_attribution_request (MhWindow *self)
{
  struct _MhWindowAttribution *a = self->attribution;
  MhPredictions *board;
  const char *title = NULL;
  const float *x;
  MhTrainerModel model = { NULL, -1 };
  MhShape shape;
  gsize len;
  int chosen;
  Request *r;

  if (a == NULL || !showing (a))
    return;
  if (a->in_flight)
    {
      a->pending = TRUE;
      return;
    }
  a->pending = FALSE;
  board = mh_window_get_predictions (self);
  chosen = mh_predictions_get_selected (board);
  x = chosen >= 0 ? mh_predictions_get_input (board, chosen, &title) : NULL;
  if (x == NULL)
    {
      a->serial++;
      show (a, NULL, NULL, mh_predictions_get_input_kind (board) == MH_INPUT_TOKENS
                           ? _("Type a word on the Predictions page (or pick one from the test set) to see which "
                               "letters each head looks at.")
                           : _("Choose an image on the Predictions page (or pick one from the test set) to see what "
                               "each head looks at."));
      return;
    }
  a->in_flight = TRUE;
  r = g_new0 (Request, 1);
  g_weak_ref_init (&r->window, self);
  r->serial = ++a->serial;
  /* a word's maps are drawn on its characters: the word is their title */
  r->title = g_strdup (mh_predictions_get_text (board, chosen) != NULL ? mh_predictions_get_text (board, chosen) : title);
  shape = mh_predictions_get_input_shape (board);
  len = mh_shape_size (&shape);
  /* the model the epoch slider shows: a run's checkpoint, or the live one */
  model.run_dir = _mh_window_results_get_model (self, &model.epoch);
  mh_trainer_attribute (self->trainer, model.run_dir != NULL ? &model : NULL, g_memdup2 (x, sizeof (float) * len), len,
                        mh_attribution_view_get_method (a->strip), answered, r, request_free);
}

/* One method for both views: the one just chosen. */
static void
method_changed (MhWindow *self, MhAttributionView *view)
{
  struct _MhWindowAttribution *a = self->attribution;
  MhAttributionMethod m = mh_attribution_view_get_method (view);

  mh_attribution_view_set_method (view == a->strip ? a->page : a->strip, m);
  _mh_window_attribution_request (self);
}

static void
expanded (MhWindow *self)
{
  _mh_window_attribution_request (self);
}

void
_mh_window_attribution_show_attention (MhWindow *self, gboolean has_attention)
{
  struct _MhWindowAttribution *a = self->attribution;

  g_return_if_fail (a != NULL);
  /* without attention layers the attention view has nothing: the page is
   * the maps'; with them, the maps start folded under the heads (a new kind
   * of model only: the user's choice stays) */
  {
    GtkWidget *view = GTK_WIDGET (mh_window_get_attention_view (self));
    gboolean words = mh_predictions_get_input_kind (mh_window_get_predictions (self)) == MH_INPUT_TOKENS;
    /* words have the head view beside it, in the same box */
    gtk_widget_set_visible (view, has_attention && !words);
    gtk_widget_set_visible (gtk_widget_get_parent (view), has_attention);
  }
  if (a->attention != has_attention)
    g_object_set (a->page, "expanded", !has_attention, NULL);
  a->attention = has_attention;
}

/* top over bottom in a vertical paned whose bottom pane may shrink; the
 * bottom one keeps its natural height, the top one takes the rest. */
static GtkWidget *
stack_in_paned (GtkWidget *top, GtkWidget *bottom)
{
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);

  gtk_paned_set_start_child (GTK_PANED (paned), top);
  gtk_paned_set_end_child (GTK_PANED (paned), bottom);
  gtk_paned_set_resize_start_child (GTK_PANED (paned), TRUE);
  gtk_paned_set_resize_end_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);   /* its toolbar stays whole */
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), TRUE);
  gtk_paned_set_wide_handle (GTK_PANED (paned), TRUE);
  return paned;
}

void
_mh_window_attribution_init (MhWindow *self, GtkWidget **board_page, GtkWidget **attention_page)
{
  struct _MhWindowAttribution *a = g_new0 (struct _MhWindowAttribution, 1);

  self->attribution = a;
  a->attention = -1;
  a->strip = MH_ATTRIBUTION_VIEW (mh_attribution_view_new (TRUE));
  a->page = MH_ATTRIBUTION_VIEW (mh_attribution_view_new (FALSE));
  gtk_widget_set_name (GTK_WIDGET (a->strip), "attribution-strip");   /* for lessons (docs/lessons.md) */
  gtk_widget_set_name (GTK_WIDGET (a->page), "attribution-view");
  show (a, NULL, NULL, _("Train the model (F5) or load weights: then every head’s map over the chosen image "
                         "appears here, and follows training."));
  /* the predictions, and under them the chosen card's maps; the other
   * attention heads, and under them every head's map.  Panes that may
   * shrink: the dashboard keeps its own minimum size. */
  *board_page = stack_in_paned (*board_page, GTK_WIDGET (a->strip));
  *attention_page = stack_in_paned (*attention_page, GTK_WIDGET (a->page));
  g_signal_connect_object (a->strip, "method-changed", G_CALLBACK (method_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (a->page, "method-changed", G_CALLBACK (method_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (a->strip, "map", G_CALLBACK (_mh_window_attribution_request), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (a->page, "map", G_CALLBACK (_mh_window_attribution_request), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (a->strip, "notify::expanded", G_CALLBACK (expanded), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (a->page, "notify::expanded", G_CALLBACK (expanded), self, G_CONNECT_SWAPPED);
}

void
_mh_window_attribution_dispose (MhWindow *self)
{
  g_clear_pointer (&self->attribution, g_free);
}

MhAttributionView *
mh_window_get_attribution_view (MhWindow *self, gboolean on_predictions)
{
  g_return_val_if_fail (self->attribution != NULL, NULL);
  return on_predictions ? self->attribution->strip : self->attribution->page;
}
