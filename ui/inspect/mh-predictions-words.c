/* mh-predictions-words.c — the predictions board for sequences: the text
 * field where a word is typed (its card follows every key, so every head's
 * answer does; Enter keeps it; a pasted list is a card per line), and the
 * test set's thumbnails of words and of sensor windows. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "mh-colors.h"
#include "mh-predictions-private.h"

#define THUMB_W 132
#define THUMB_H 44

/* ---- words ------------------------------------------------------------------------------ */

static void
say (MhPredictions *self, const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->word_error), message != NULL ? message : "");
  gtk_widget_set_tooltip_text (self->word_error, message);
  gtk_widget_set_visible (self->word_error, message != NULL);
}

/* `text` as the model's input: a new x (T floats), or NULL and why not. */
static float *
encode (MhPredictions *self, const char *text, const char *what, int *unknown, int *kept, GError **error)
{
  g_autofree float *x = NULL;

  if (self->input != MH_INPUT_TOKENS || self->shape.rank != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("This project’s model does not read words"));
      return NULL;
    }
  if (self->vocab == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The words’ characters are not known yet: the data set is still loading"));
      return NULL;
    }
  x = g_new (float, self->shape.dim[0]);
  if (!mh_vocab_encode (self->vocab, text, self->shape.dim[0], x, unknown, kept, what, error))
    return NULL;
  return g_steal_pointer (&x);
}

/* The characters of `text` the vocabulary lacks, once each. */
static char *
unknown_chars (const MhVocab *vocab, const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *c = text; vocab != NULL && *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);
      char buf[8];
      int n = g_unichar_to_utf8 (u, buf);
      buf[n] = '\0';
      if (mh_vocab_token (vocab, u) == MH_TOKEN_UNKNOWN && strstr (s->str, buf) == NULL)
        g_string_append_printf (s, "%s%s", s->len ? " " : "", g_unichar_isspace (u) ? "␣" : buf);
    }
  return g_string_free (s, FALSE);
}

static MhPredItem *
new_word (MhPredictions *self, const char *title, const char *text, float *x, int unknown, int kept)
{
  MhPredItem *item = g_new0 (MhPredItem, 1);

  item->unknown_chars = unknown > 0 ? unknown_chars (self->vocab, text) : NULL;
  item->title = g_strdup (title);
  item->text = g_strdup (text);
  item->x = x;
  item->unknown = unknown;
  item->kept = kept;
  item->sample = -1;
  return item;
}

static MhPredItem *
live_item (MhPredictions *self)
{
  MhPredItem *first = self->items->len > 0 ? g_ptr_array_index (self->items, 0) : NULL;

  return first != NULL && first->live ? first : NULL;
}

gboolean
mh_predictions_set_text (MhPredictions *self, const char *text, GError **error)
{
  g_autofree char *word = g_strstrip (g_strdup (text != NULL ? text : ""));
  MhPredItem *live = live_item (self);
  g_autoptr (GError) local = NULL;
  int unknown = 0, kept = 0;
  float *x;

  g_return_val_if_fail (MH_IS_PREDICTIONS (self), FALSE);

  if (*word == '\0')
    {
      say (self, NULL);
      if (live != NULL)
        _mh_predictions_remove (self, 0);
      return TRUE;
    }
  x = encode (self, word, _("the typed word"), &unknown, &kept, &local);
  if (x == NULL)
    {
      say (self, local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;   /* the card keeps the last word that could be read */
    }
  say (self, NULL);
  if (live == NULL)
    {
      live = new_word (self, _("Typed"), word, x, unknown, kept);
      live->live = TRUE;
      _mh_predictions_add_item (self, live);
      return TRUE;
    }
  g_free (live->x);
  live->x = x;
  g_free (live->text);
  live->text = g_strdup (word);
  live->unknown = unknown;
  live->kept = kept;
  g_free (live->unknown_chars);
  live->unknown_chars = unknown > 0 ? unknown_chars (self->vocab, word) : NULL;
  self->selected = 0;
  _mh_predictions_redraw (self);
  _mh_predictions_changed (self);
  return TRUE;
}

gboolean
mh_predictions_add_text (MhPredictions *self, const char *text, GError **error)
{
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) counts = g_array_new (FALSE, FALSE, sizeof (int));

  g_return_val_if_fail (MH_IS_PREDICTIONS (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  lines = g_regex_split_simple ("\r\n|\n|\r", text, 0, 0);
  /* all or nothing: every line is read before a card is added */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *word = g_strstrip (g_strdup (lines[i]));
      g_autofree char *what = NULL;
      int unknown = 0, kept = 0;
      float *x;
      if (*word == '\0')
        continue;
      what = g_strdup_printf (_("line %u"), i + 1);
      x = encode (self, word, what, &unknown, &kept, error);
      if (x == NULL)
        return FALSE;
      g_ptr_array_add (words, g_steal_pointer (&word));
      g_ptr_array_add (inputs, x);
      g_array_append_val (counts, unknown);
      g_array_append_val (counts, kept);
    }
  if (words->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("There is no word in the text: one word a line"));
      return FALSE;
    }
  for (guint i = 0; i < words->len; i++)
    _mh_predictions_add_item (self, new_word (self, _("Word"), words->pdata[i], g_steal_pointer (&inputs->pdata[i]),
                                              g_array_index (counts, int, 2 * i),
                                              g_array_index (counts, int, 2 * i + 1)));
  return TRUE;
}

/* The typed word stays as a card of its own. */
static void
keep_word (MhPredictions *self)
{
  MhPredItem *live = live_item (self);

  if (live == NULL)
    return;
  live->live = FALSE;
  g_free (live->title);
  live->title = g_strdup (_("Word"));
  gtk_editable_set_text (GTK_EDITABLE (self->word_entry), "");
  _mh_predictions_redraw (self);
}

static void
entry_changed (GtkEditable *entry, MhPredictions *self)
{
  const char *text = gtk_editable_get_text (entry);

  if (strpbrk (text, "\r\n") != NULL)   /* a pasted list: a card a line */
    {
      g_autofree char *copy = g_strdup (text);
      g_autoptr (GError) error = NULL;
      if (!mh_predictions_add_text (self, copy, &error))
        say (self, error->message);
      else
        {
          say (self, NULL);
          gtk_editable_set_text (entry, "");
        }
      return;
    }
  mh_predictions_set_text (self, text, NULL);
}

GtkWidget *
_mh_predictions_word_bar (MhPredictions *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *keep = gtk_button_new_from_icon_name ("list-add-symbolic");

  self->word_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->word_entry), _("Type a German noun…"));
  gtk_editable_set_width_chars (GTK_EDITABLE (self->word_entry), 20);
  gtk_widget_set_tooltip_text (self->word_entry, _("Every head answers as you type; Enter keeps the word as a card. "
                                                   "Paste a list, one word a line, for a card each."));
  gtk_widget_set_name (self->word_entry, "predictions-word");   /* names for lessons (docs/lessons.md) */
  g_signal_connect (self->word_entry, "changed", G_CALLBACK (entry_changed), self);
  g_signal_connect_swapped (self->word_entry, "activate", G_CALLBACK (keep_word), self);
  gtk_widget_set_tooltip_text (keep, _("Keep this word as a card (Enter)"));
  g_signal_connect_swapped (keep, "clicked", G_CALLBACK (keep_word), self);
  self->word_error = gtk_label_new ("");
  gtk_label_set_ellipsize (GTK_LABEL (self->word_error), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (self->word_error), 40);
  gtk_widget_add_css_class (self->word_error, "error");
  gtk_widget_set_visible (self->word_error, FALSE);
  gtk_box_append (GTK_BOX (box), self->word_entry);
  gtk_box_append (GTK_BOX (box), keep);
  gtk_box_append (GTK_BOX (box), self->word_error);
  self->word_box = box;
  gtk_widget_set_visible (box, FALSE);
  return box;
}

/* ---- thumbnails of the test set ------------------------------------------------------------- */

static void
draw_signals_thumb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  const float *x = g_object_get_data (G_OBJECT (area), "signals");
  int t = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (area), "steps"));
  int c = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (area), "channels"));
  double row = (double) height / MAX (1, c);

  for (int k = 0; k < c; k++)
    {
      float lo = G_MAXFLOAT, hi = -G_MAXFLOAT;
      GdkRGBA color;
      for (int i = 0; i < t; i++)
        if (isfinite (x[(gsize) i * c + k]))
          lo = MIN (lo, x[(gsize) i * c + k]), hi = MAX (hi, x[(gsize) i * c + k]);
      if (hi - lo < 1e-6f)
        lo -= 1, hi += 1;
      mh_head_color (k < 3 ? 0 : 2, FALSE, &color);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.9);
      cairo_set_line_width (cr, 0.8);
      for (int i = 0; i < t; i++)
        {
          float v = isfinite (x[(gsize) i * c + k]) ? x[(gsize) i * c + k] : lo;
          double px = width * i / MAX (1.0, t - 1.0), py = row * (k + 1) - 1 - (row - 2) * (v - lo) / (hi - lo);
          if (i == 0)
            cairo_move_to (cr, px, py);
          else
            cairo_line_to (cr, px, py);
        }
      cairo_stroke (cr);
    }
}

GtkWidget *
_mh_predictions_thumbnail (MhPredictions *self, const MhDataset *d, int index)
{
  GtkWidget *thumb;
  g_autoptr (GString) tip = g_string_new (NULL);

  for (int f = 0; f < d->n_fields; f++)
    if (d->fields[f].kind == MH_FIELD_CLASS && d->fields[f].names != NULL)
      g_string_append_printf (tip, "%s%s: %s", tip->len ? " · " : "", d->fields[f].name,
                              d->fields[f].names[d->fields[f].classes[index]]);
  if (d->input == MH_INPUT_TOKENS && d->texts != NULL)
    {
      thumb = gtk_label_new (d->texts[index]);
      gtk_label_set_ellipsize (GTK_LABEL (thumb), PANGO_ELLIPSIZE_START);   /* a compound's end decides */
      gtk_label_set_width_chars (GTK_LABEL (thumb), 14);
      gtk_label_set_max_width_chars (GTK_LABEL (thumb), 14);
      gtk_widget_set_margin_top (thumb, 4);
      gtk_widget_set_margin_bottom (thumb, 4);
    }
  else
    {
      gsize size = mh_shape_size (&d->shape);
      float *x = g_new (float, size);
      mh_dataset_fill_inputs (d, &index, 1, x);
      thumb = gtk_drawing_area_new ();
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (thumb), THUMB_W);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (thumb), THUMB_H);
      g_object_set_data_full (G_OBJECT (thumb), "signals", x, g_free);
      g_object_set_data (G_OBJECT (thumb), "steps", GINT_TO_POINTER (d->shape.dim[0]));
      g_object_set_data (G_OBJECT (thumb), "channels", GINT_TO_POINTER (d->shape.dim[1]));
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (thumb), draw_signals_thumb, NULL, NULL);
    }
  if (tip->len > 0)
    gtk_widget_set_tooltip_text (thumb, tip->str);
  return thumb;
}
