/* mh-predictions.c — the predictions board (mh-predictions.h): a tool bar
 * (open, paste, the text field for words, the test set, top-k, the
 * multi-label threshold) and the cards of the images, words or sensor
 * windows in a flow box.  The test set's browser is in
 * mh-predictions-browser.c, the text field in mh-predictions-words.c. */
#include <string.h>
#include "mh-drop-down.h"
#include "mh-spin.h"
#include <unistd.h>
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include "mh-heatmap.h"
#include "mh-image.h"
#include "mh-fit-label.h"
#include "mh-predictions-private.h"
#include "mh-wrap-bar.h"



G_DEFINE_FINAL_TYPE (MhPredictions, mh_predictions, GTK_TYPE_WIDGET)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
item_free (gpointer data)
{
  MhPredItem *item = data;

  g_free (item->title);
  g_free (item->text);
  g_free (item->unknown_chars);
  g_clear_pointer (&item->original, cairo_surface_destroy);
  g_clear_pointer (&item->seen, cairo_surface_destroy);
  g_free (item->x);
  g_free (item->truth_class);
  for (int f = 0; item->truth != NULL && f < item->n_fields; f++)
    g_free (item->truth[f]);
  g_free (item->truth);
  for (int h = 0; h < item->n_answer; h++)
    g_free (item->answer[h]);
  g_free (item->answer);
  g_free (item);
}

/* ---- cards ------------------------------------------------------------------ */

static void
card_style (MhPredictions *self, GtkWidget *card, const MhPredItem *item, MhCardStyle *s)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (card), &s->fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  s->dark = s->fg.red > 0.5f;
  s->heads = self->heads;
  s->n_heads = self->n_heads;
  s->top_k = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->top_k));
  s->threshold = gtk_widget_get_visible (self->threshold_box) ? gtk_range_get_value (GTK_RANGE (self->threshold)) : -1;
  s->selected = self->items->len > 1 && self->selected >= 0 && g_ptr_array_index (self->items, self->selected) == item;
  s->status = self->status;
  s->input = self->input;
  s->shape = self->shape;
  s->channels = self->channels;
}

static void
draw_card (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  MhPredictions *self = g_object_get_data (G_OBJECT (area), "board");
  MhCardStyle style;

  card_style (self, GTK_WIDGET (area), data, &style);
  _mh_prediction_card_draw (cr, data, &style, width, height);
}

static void
resize_card (MhPredictions *self, MhPredItem *item)
{
  MhCardStyle style;

  card_style (self, item->card, item, &style);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (item->card), _mh_prediction_card_height (item, &style));
}

#define redraw_cards _mh_predictions_redraw

void
_mh_predictions_redraw (MhPredictions *self)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      MhPredItem *item = g_ptr_array_index (self->items, i);
      resize_card (self, item);
      gtk_widget_queue_draw (item->card);
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->items->len > 0 ? "cards" : "empty");
}

static int
item_index (MhPredictions *self, GtkWidget *card)
{
  for (guint i = 0; i < self->items->len; i++)
    if (((MhPredItem *) g_ptr_array_index (self->items, i))->card == card)
      return (int) i;
  return -1;
}

#define remove_item _mh_predictions_remove

void
_mh_predictions_remove (MhPredictions *self, int i)
{
  MhPredItem *item = g_ptr_array_index (self->items, i);

  gtk_flow_box_remove (GTK_FLOW_BOX (self->flow), gtk_widget_get_parent (item->frame));
  g_ptr_array_remove_index (self->items, (guint) i);
  if (self->selected >= (int) self->items->len || self->selected > i)
    self->selected = self->items->len > 0 ? MAX (0, self->selected - 1) : -1;
  redraw_cards (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
card_pressed (GtkGestureClick *click, int n_press, double x, double y, MhPredictions *self)
{
  GtkWidget *card = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (click));
  int i = item_index (self, card);
  GdkRectangle close;

  if (i < 0)
    return;
  _mh_prediction_card_close_rect (gtk_widget_get_width (card), &close);
  if (x >= close.x && x < close.x + close.width && y >= close.y && y < close.y + close.height)
    remove_item (self, i);
  else
    mh_predictions_select (self, i);
}

static int
item_of_invert (MhPredictions *self, GtkWidget *button)
{
  for (guint i = 0; i < self->items->len; i++)
    if (((MhPredItem *) g_ptr_array_index (self->items, i))->invert == button)
      return (int) i;
  return -1;
}

static void
invert_toggled (GtkToggleButton *button, MhPredictions *self)
{
  int i = item_of_invert (self, GTK_WIDGET (button));

  if (i >= 0)
    mh_predictions_set_inverted (self, i, gtk_toggle_button_get_active (button));
}

void
_mh_predictions_changed (MhPredictions *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

#define add_item _mh_predictions_add_item

void
_mh_predictions_add_item (MhPredictions *self, MhPredItem *item)
{
  GtkGesture *click = gtk_gesture_click_new ();
  g_autofree char *tooltip = g_strdup_printf (_("%s — click to choose it for the attention view"), item->title);
  gboolean image = self->input == MH_INPUT_PIXELS;

  while (self->items->len >= MH_PREDICTIONS_MAX_ITEMS)
    remove_item (self, item->live || self->items->len == 0 || !((MhPredItem *) self->items->pdata[0])->live ? 0 : 1);
  if (image && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->invert_all)))
    {
      gsize size = mh_shape_size (&self->shape);
      for (gsize j = 0; j < size; j++)
        item->x[j] = 1.0f - item->x[j];
      item->inverted = TRUE;
    }
  if (image)
    item->seen = mh_input_surface (item->x, self->shape);
  item->card = gtk_drawing_area_new ();
  g_object_set_data (G_OBJECT (item->card), "board", self);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (item->card),
                                      self->input == MH_INPUT_SIGNALS ? MH_SIGNAL_CARD_WIDTH : MH_CARD_WIDTH);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (item->card), draw_card, item, NULL);
  gtk_widget_add_css_class (item->card, "mh-plot-card");
  gtk_widget_set_tooltip_text (item->card, tooltip);
  g_signal_connect (click, "pressed", G_CALLBACK (card_pressed), self);
  gtk_widget_add_controller (item->card, GTK_EVENT_CONTROLLER (click));
  item->frame = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (item->frame), item->card);
  if (!image)
    goto placed;
  item->invert = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (item->invert), "mh-invert-symbolic");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (item->invert), item->inverted);
  gtk_widget_set_tooltip_text (item->invert, _("Invert: for dark things on a light ground (most photos)"));
  gtk_widget_add_css_class (item->invert, "flat");
  gtk_widget_add_css_class (item->invert, "circular");
  gtk_widget_set_halign (item->invert, GTK_ALIGN_END);
  gtk_widget_set_valign (item->invert, GTK_ALIGN_START);
  gtk_widget_set_margin_top (item->invert, 2);
  gtk_widget_set_margin_end (item->invert, 30);   /* left of the close button */
  g_signal_connect (item->invert, "toggled", G_CALLBACK (invert_toggled), self);
  gtk_overlay_add_overlay (GTK_OVERLAY (item->frame), item->invert);
placed:
  if (item->live)   /* the word being typed comes first */
    {
      gtk_flow_box_insert (GTK_FLOW_BOX (self->flow), item->frame, 0);
      g_ptr_array_insert (self->items, 0, item);
      self->selected = 0;
    }
  else
    {
      gtk_flow_box_append (GTK_FLOW_BOX (self->flow), item->frame);
      g_ptr_array_add (self->items, item);
      self->selected = (int) self->items->len - 1;
    }
  redraw_cards (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* ---- adding images ------------------------------------------------------------ */

gboolean
mh_predictions_add_file (MhPredictions *self, GFile *file, GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree float *x = NULL;
  g_autoptr (GdkPixbuf) oriented = NULL, thumb = NULL;
  MhPredItem *item;
  int w = 0, h = 0;

  if (self->input != MH_INPUT_PIXELS)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   self->input == MH_INPUT_TOKENS ? _("%s: this project’s model reads words, not images (type or "
                                                      "paste words on the Predictions page)")
                                                  : _("%s: this project’s model reads sensor signals, not images"),
                   name);
      return FALSE;
    }
  if (self->shape.rank != 3)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The project has no data set yet: images cannot be "
                   "turned into the model's input"));
      return FALSE;
    }
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("%s: not a local file"), uri);
      return FALSE;
    }
  x = g_new (float, mh_shape_size (&self->shape));
  /* decoded once, within the limits (the header, the size, the format
   * checked before anything is decoded); the thumbnail is made of it */
  if (!(oriented = mh_image_load_input_pixbuf (path, self->shape, x, error)))
    return FALSE;
  w = gdk_pixbuf_get_width (oriented);
  h = gdk_pixbuf_get_height (oriented);
  if (w > 256 || h > 256)
    {
      double s = 256.0 / MAX (w, h);
      thumb = gdk_pixbuf_scale_simple (oriented, MAX (1, (int) (w * s + 0.5)), MAX (1, (int) (h * s + 0.5)),
                                       GDK_INTERP_BILINEAR);
    }
  else
    thumb = g_object_ref (oriented);
  item = g_new0 (MhPredItem, 1);
  item->title = g_file_get_basename (file);
  item->x = g_steal_pointer (&x);
  item->sample = -1;
  item->orig_w = w;
  item->orig_h = h;
  if (thumb != NULL)
    {
      cairo_t *cr;
      item->original = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gdk_pixbuf_get_width (thumb),
                                                   gdk_pixbuf_get_height (thumb));
      cr = cairo_create (item->original);
      gdk_cairo_set_source_pixbuf (cr, thumb, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
    }
  add_item (self, item);
  return TRUE;
}

gboolean
mh_predictions_add_texture (MhPredictions *self, GdkTexture *texture, const char *title, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  int fd = g_file_open_tmp ("mh-paste-XXXXXX.png", &path, error);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  close (fd);
  /* one path for every image: the file's checks and conversion */
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The pasted image could not be read"));
      g_unlink (path);
      return FALSE;
    }
  file = g_file_new_for_path (path);
  ok = mh_predictions_add_file (self, file, error);
  g_unlink (path);
  if (ok)
    {
      MhPredItem *item = g_ptr_array_index (self->items, self->items->len - 1);
      g_free (item->title);
      item->title = g_strdup (title);
      gtk_widget_queue_draw (item->card);
    }
  return ok;
}

void
mh_predictions_add_sample (MhPredictions *self, int index)
{
  const MhDataset *d = self->test;
  MhPredItem *item;

  g_return_if_fail (d != NULL && index >= 0 && index < d->n);
  item = g_new0 (MhPredItem, 1);
  if (d->input == MH_INPUT_TOKENS && d->texts != NULL)
    {
      item->title = g_strdup_printf (_("Test word %d"), index);
      item->text = g_strdup (d->texts[index]);
      item->kept = MIN ((int) g_utf8_strlen (item->text, -1), d->shape.dim[0]);
    }
  else if (d->input == MH_INPUT_SIGNALS)
    item->title = g_strdup_printf (_("Test window %d"), index);
  else
    item->title = g_strdup_printf (_("Test image %d"), index);
  item->sample = index;
  item->x = g_new (float, mh_shape_size (&d->shape));
  mh_dataset_fill_inputs (d, &index, 1, item->x);
  item->truth_class = g_new (int, d->n_fields);
  item->truth = g_new0 (float *, d->n_fields);
  item->n_fields = d->n_fields;
  for (int f = 0; f < d->n_fields; f++)
    {
      const MhField *fld = &d->fields[f];
      item->truth_class[f] = fld->kind == MH_FIELD_CLASS ? fld->classes[index] : -1;
      if (fld->kind != MH_FIELD_CLASS)
        item->truth[f] = g_memdup2 (fld->values + (gsize) index * fld->dim, sizeof (float) * fld->dim);
    }
  add_item (self, item);
}

void
mh_predictions_clear (MhPredictions *self)
{
  /* the typed word's card goes too: so does the word */
  if (self->word_entry != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->word_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->word_entry), "");
  while (self->items->len > 0)
    {
      MhPredItem *item = g_ptr_array_index (self->items, self->items->len - 1);
      gtk_flow_box_remove (GTK_FLOW_BOX (self->flow), gtk_widget_get_parent (item->frame));
      g_ptr_array_remove_index (self->items, self->items->len - 1);
    }
  self->selected = -1;
  redraw_cards (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* ---- answers ------------------------------------------------------------------ */

/* The tool bar's line: which model answers. */
static void
update_status (MhPredictions *self)
{
  g_autofree char *text = NULL;

  if (self->step < 0)
    text = g_strdup ("");
  else if (self->checkpoint != NULL)
    /* TRANSLATORS: which model answers: a recorded run's checkpoint ("run 3, epoch 2") and its step */
    text = g_strdup_printf (_("%s: the model after step %d"), self->checkpoint, self->step);
  else if (self->origin != NULL && self->step == 0)
    text = g_strdup_printf (_("the weights from %s"), self->origin);
  else if (self->origin != NULL)
    text = g_strdup_printf (_("the weights from %s, then %d steps"), self->origin, self->step);
  else
    text = g_strdup_printf (_("the model after step %d"), self->step);
  gtk_label_set_text (GTK_LABEL (self->status_label), text);
  gtk_widget_set_tooltip_text (self->status_label, *text != '\0' ? text : NULL);
}

void
mh_predictions_set_result (MhPredictions *self, const MhProbeResult *r, const char *status)
{
  gboolean any_labels = FALSE;

  g_free (self->status);
  self->status = g_strdup (status);
  mh_probe_heads_free (self->heads, self->n_heads);
  self->heads = NULL;
  self->n_heads = 0;
  for (guint i = 0; i < self->items->len; i++)
    {
      MhPredItem *item = g_ptr_array_index (self->items, i);
      for (int h = 0; h < item->n_answer; h++)
        g_free (item->answer[h]);
      g_clear_pointer (&item->answer, g_free);
      item->n_answer = 0;
      if (r == NULL || (int) i >= r->n)
        continue;
      item->n_answer = r->n_heads;
      item->answer = g_new (float *, r->n_heads);
      for (int h = 0; h < r->n_heads; h++)
        item->answer[h] = g_memdup2 (r->outputs[h] + (gsize) i * r->heads[h].k, sizeof (float) * r->heads[h].k);
    }
  if (r != NULL)
    {
      self->n_heads = r->n_heads;
      self->heads = g_new0 (MhProbeHead, r->n_heads);
      for (int h = 0; h < r->n_heads; h++)
        {
          self->heads[h] = r->heads[h];
          self->heads[h].name = g_strdup (r->heads[h].name);
          self->heads[h].names = g_strdupv (r->heads[h].names);
          if (r->heads[h].kind == MH_FIELD_LABELS && !any_labels)
            {
              if (!gtk_widget_get_visible (self->threshold_box))
                gtk_range_set_value (GTK_RANGE (self->threshold), r->heads[h].threshold);
              any_labels = TRUE;
            }
        }
    }
  gtk_widget_set_visible (self->threshold_box, any_labels);
  self->step = r != NULL ? r->step : -1;
  update_status (self);
  redraw_cards (self);
}

void
mh_predictions_set_inverted (MhPredictions *self, int i, gboolean inverted)
{
  MhPredItem *item;
  gsize size = mh_shape_size (&self->shape);

  g_return_if_fail (MH_IS_PREDICTIONS (self));
  if (i < 0 || i >= (int) self->items->len || self->input != MH_INPUT_PIXELS)
    return;
  item = g_ptr_array_index (self->items, i);
  if (item->inverted == inverted)
    return;
  item->inverted = inverted;
  for (gsize j = 0; j < size; j++)
    item->x[j] = 1.0f - item->x[j];
  g_clear_pointer (&item->seen, cairo_surface_destroy);
  item->seen = mh_input_surface (item->x, self->shape);
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (item->invert)) != inverted)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (item->invert), inverted);
  gtk_widget_queue_draw (item->card);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gboolean
mh_predictions_get_inverted (MhPredictions *self, int i)
{
  g_return_val_if_fail (MH_IS_PREDICTIONS (self), FALSE);

  return i >= 0 && i < (int) self->items->len && ((MhPredItem *) g_ptr_array_index (self->items, i))->inverted;
}

void
mh_predictions_set_invert_all (MhPredictions *self, gboolean inverted)
{
  g_return_if_fail (MH_IS_PREDICTIONS (self));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->invert_all), inverted);
}

static void
invert_all_toggled (GtkToggleButton *button, MhPredictions *self)
{
  gboolean on = gtk_toggle_button_get_active (button);

  for (guint i = 0; i < self->items->len; i++)
    mh_predictions_set_inverted (self, (int) i, on);
}

void
mh_predictions_set_origin (MhPredictions *self, const char *origin)
{
  g_return_if_fail (MH_IS_PREDICTIONS (self));

  g_free (self->origin);
  self->origin = g_strdup (origin);
  update_status (self);
}

void
mh_predictions_set_checkpoint (MhPredictions *self, const char *checkpoint)
{
  g_return_if_fail (MH_IS_PREDICTIONS (self));

  g_free (self->checkpoint);
  self->checkpoint = g_strdup (checkpoint);
  update_status (self);
}

int
mh_predictions_get_answer (MhPredictions *self, int i, int head, float *probability)
{
  MhPredItem *item;
  int best;

  if (i < 0 || i >= (int) self->items->len || head < 0 || head >= self->n_heads)
    return -1;
  item = g_ptr_array_index (self->items, i);
  if (item->answer == NULL || head >= item->n_answer || self->heads[head].kind != MH_FIELD_CLASS)
    return -1;
  best = _mh_pred_top (item->answer[head], self->heads[head].k, 0);
  if (probability != NULL)
    *probability = item->answer[head][best];
  return best;
}

float *
mh_predictions_dup_inputs (MhPredictions *self, int *n)
{
  gsize size = mh_shape_size (&self->shape);
  float *x = g_new (float, size * MAX (1, self->items->len));

  for (guint i = 0; i < self->items->len; i++)
    memcpy (x + i * size, ((MhPredItem *) g_ptr_array_index (self->items, i))->x, sizeof (float) * size);
  *n = (int) self->items->len;
  return x;
}

int
mh_predictions_get_n_items (MhPredictions *self)
{
  return (int) self->items->len;
}

int
mh_predictions_get_selected (MhPredictions *self)
{
  return self->selected;
}

void
mh_predictions_select (MhPredictions *self, int i)
{
  if (i < -1 || i >= (int) self->items->len || i == self->selected)
    return;
  self->selected = i;
  redraw_cards (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

const float *
mh_predictions_get_input (MhPredictions *self, int i, const char **title)
{
  MhPredItem *item;

  if (i < 0 || i >= (int) self->items->len)
    return NULL;
  item = g_ptr_array_index (self->items, i);
  if (title != NULL)
    *title = item->title;
  return item->x;
}


void
mh_predictions_set_input (MhPredictions *self, MhInputKind input, MhShape shape, MhVocab *vocab,
                          const char *const *channels)
{
  gboolean same = mh_shape_equal (&shape, &self->shape) && input == self->input;

  g_return_if_fail (MH_IS_PREDICTIONS (self));

  if (vocab != self->vocab)
    {
      g_clear_pointer (&self->vocab, mh_vocab_unref);
      self->vocab = vocab != NULL ? mh_vocab_ref (vocab) : NULL;
    }
  g_strfreev (self->channels);
  self->channels = g_strdupv ((char **) channels);
  gtk_widget_set_visible (self->image_tools, input == MH_INPUT_PIXELS);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), input == MH_INPUT_TOKENS ? "accessories-dictionary-symbolic"
                                                              : input == MH_INPUT_SIGNALS ? "phone-symbolic"
                                                              : "image-x-generic-symbolic");
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty),
                                   input == MH_INPUT_TOKENS
                                   ? _("Type a word above, paste a list (one a line), or pick words from the test "
                                       "set: every head answers, live while the model trains.")
                                   : input == MH_INPUT_SIGNALS
                                   ? _("Pick sensor windows from the test set: every head answers, live while the "
                                       "model trains.")
                                   : _("Drop images on the window, open or paste them, or pick some from the test set: "
                                       "every head answers, live while the model trains."));
  gtk_widget_set_visible (self->word_box, input == MH_INPUT_TOKENS);
  if (same)
    return;
  self->shape = shape;
  self->input = input;
  mh_predictions_clear (self);
}

MhInputKind
mh_predictions_get_input_kind (MhPredictions *self)
{
  g_return_val_if_fail (MH_IS_PREDICTIONS (self), MH_INPUT_PIXELS);
  return self->input;
}

const MhVocab *
mh_predictions_get_vocab (MhPredictions *self)
{
  g_return_val_if_fail (MH_IS_PREDICTIONS (self), NULL);
  return self->vocab;
}

const float *
mh_predictions_get_output (MhPredictions *self, int i, int head, int *k)
{
  MhPredItem *item;

  g_return_val_if_fail (MH_IS_PREDICTIONS (self), NULL);
  if (i < 0 || i >= (int) self->items->len || head < 0 || head >= self->n_heads)
    return NULL;
  item = g_ptr_array_index (self->items, i);
  if (item->answer == NULL || head >= item->n_answer)
    return NULL;
  if (k != NULL)
    *k = self->heads[head].k;
  return item->answer[head];
}

const char *
mh_predictions_get_text (MhPredictions *self, int i)
{
  g_return_val_if_fail (MH_IS_PREDICTIONS (self), NULL);
  if (i < 0 || i >= (int) self->items->len)
    return NULL;
  return ((MhPredItem *) g_ptr_array_index (self->items, i))->text;
}

int
mh_predictions_get_drawn_signals (MhPredictions *self, int i, guint *true_faulty, guint *predicted_faulty)
{
  MhPredItem *item;

  g_return_val_if_fail (MH_IS_PREDICTIONS (self), 0);
  if (i < 0 || i >= (int) self->items->len)
    return 0;
  item = g_ptr_array_index (self->items, i);
  if (true_faulty != NULL)
    *true_faulty = item->drawn_true;
  if (predicted_faulty != NULL)
    *predicted_faulty = item->drawn_predicted;
  return item->drawn_channels;
}

MhShape
mh_predictions_get_input_shape (MhPredictions *self)
{
  return self->shape;
}

/* ---- building ----------------------------------------------------------------------- */

static GtkWidget *
tool_bar (MhPredictions *self)
{
  GtkWidget *wrap = mh_wrap_bar_new ();
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open Images…"));
  GtkWidget *paste = gtk_button_new_from_icon_name ("edit-paste-symbolic");
  GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-all-symbolic");
  GtkWidget *k_label = gtk_label_new (_("Top"));
  GtkWidget *t_label = gtk_label_new (_("Label threshold"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "win.open-images");
  gtk_widget_set_tooltip_text (open, _("Load image files (any size and format); you can also drop them on the window"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (paste), "win.paste-image");
  gtk_widget_set_tooltip_text (paste, _("Paste an image (Ctrl+Shift+V)"));
  g_signal_connect_swapped (clear, "clicked", G_CALLBACK (mh_predictions_clear), self);
  gtk_widget_set_tooltip_text (clear, _("Remove every image from the board"));
  self->image_tools = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (self->image_tools), open);
  gtk_box_append (GTK_BOX (self->image_tools), paste);
  gtk_box_append (GTK_BOX (bar), self->image_tools);
  gtk_box_append (GTK_BOX (bar), _mh_predictions_word_bar (self));
  gtk_box_append (GTK_BOX (bar), _mh_predictions_browser (self));
  gtk_box_append (GTK_BOX (bar), clear);
  mh_fit_button_label (open);
  mh_fit_button_label (self->browse_button);
  mh_wrap_bar_append (wrap, bar);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->invert_all = gtk_toggle_button_new_with_mnemonic (_("_Invert All"));
  mh_fit_button_label (self->invert_all);
  gtk_widget_set_tooltip_text (self->invert_all, _("Invert every image's brightness, now and as they come: for dark "
                               "things on a light ground (most photos); each card has its own button too"));
  g_signal_connect (self->invert_all, "toggled", G_CALLBACK (invert_all_toggled), self);
  gtk_box_append (GTK_BOX (self->image_tools), self->invert_all);
  mh_wrap_bar_append (wrap, bar);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  mh_wrap_bar_append (wrap, bar);
  self->status_label = gtk_label_new ("");
  gtk_label_set_ellipsize (GTK_LABEL (self->status_label), PANGO_ELLIPSIZE_START);
  gtk_label_set_width_chars (GTK_LABEL (self->status_label), 12);
  gtk_widget_add_css_class (self->status_label, "dim-label");
  gtk_box_append (GTK_BOX (bar), self->status_label);

  self->threshold_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  self->threshold = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.05, 0.95, 0.05);
  gtk_scale_set_draw_value (GTK_SCALE (self->threshold), TRUE);
  mh_scale_localise (GTK_SCALE (self->threshold));
  gtk_scale_set_value_pos (GTK_SCALE (self->threshold), GTK_POS_RIGHT);
  gtk_widget_set_size_request (self->threshold, 140, -1);
  gtk_widget_set_tooltip_text (self->threshold, _("A label is on when its probability reaches this"));
  g_signal_connect_swapped (self->threshold, "value-changed", G_CALLBACK (redraw_cards), self);
  gtk_widget_add_css_class (t_label, "dim-label");
  gtk_box_append (GTK_BOX (self->threshold_box), t_label);
  gtk_box_append (GTK_BOX (self->threshold_box), self->threshold);
  gtk_widget_set_visible (self->threshold_box, FALSE);
  gtk_box_append (GTK_BOX (bar), self->threshold_box);

  self->top_k = gtk_spin_button_new_with_range (1, 10, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->top_k), 3);
  gtk_widget_set_tooltip_text (self->top_k, _("How many classes each classification head shows"));
  g_signal_connect_swapped (self->top_k, "value-changed", G_CALLBACK (redraw_cards), self);
  gtk_widget_add_css_class (k_label, "dim-label");
  gtk_widget_set_margin_start (k_label, 8);
  gtk_box_append (GTK_BOX (bar), k_label);
  gtk_box_append (GTK_BOX (bar), self->top_k);
  gtk_widget_set_margin_start (wrap, 12);
  gtk_widget_set_margin_end (wrap, 12);
  gtk_widget_set_margin_bottom (wrap, 8);
  return wrap;
}

static void
mh_predictions_dispose (GObject *object)
{
  MhPredictions *self = MH_PREDICTIONS (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (mh_predictions_parent_class)->dispose (object);
}

static void
mh_predictions_finalize (GObject *object)
{
  MhPredictions *self = MH_PREDICTIONS (object);

  g_ptr_array_unref (self->items);
  g_clear_pointer (&self->test, mh_dataset_free);
  g_clear_pointer (&self->vocab, mh_vocab_unref);
  g_strfreev (self->channels);
  mh_probe_heads_free (self->heads, self->n_heads);
  g_free (self->status);
  g_free (self->origin);
  g_free (self->checkpoint);
  g_rand_free (self->rng);
  G_OBJECT_CLASS (mh_predictions_parent_class)->finalize (object);
}

static void
mh_predictions_class_init (MhPredictionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_predictions_dispose;
  object_class->finalize = mh_predictions_finalize;
  /* the images or the chosen one changed: the window asks the model again */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-predictions");
}

static void
mh_predictions_init (MhPredictions *self)
{
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkWidget *empty = adw_status_page_new ();

  self->empty = empty;

  self->items = g_ptr_array_new_with_free_func (item_free);
  self->selected = -1;
  self->step = -1;
  self->rng = g_rand_new_with_seed (20240611);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_box_append (GTK_BOX (self->box), tool_bar (self));

  self->flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow), 12);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->flow), 10);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->flow), 10);
  gtk_widget_set_valign (self->flow, GTK_ALIGN_START);
  gtk_widget_set_margin_start (self->flow, 12);
  gtk_widget_set_margin_end (self->flow, 12);
  gtk_widget_set_margin_bottom (self->flow, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), self->flow);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "image-x-generic-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("What does each head say?"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Drop images on the window, open or paste them, or pick some from the test set: "
                                   "every head answers, live while the model trains."));
  gtk_widget_add_css_class (empty, "compact");
  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_stack_add_named (GTK_STACK (self->stack), scroll, "cards");
  gtk_widget_set_name (self->stack, "predictions-stack");
  gtk_box_append (GTK_BOX (self->box), self->stack);
}

GtkWidget *
mh_predictions_new (void)
{
  return g_object_new (MH_TYPE_PREDICTIONS, NULL);
}
