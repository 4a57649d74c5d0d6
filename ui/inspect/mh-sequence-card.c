/* mh-sequence-card.c — the predictions board's cards for sequences, drawn
 * with cairo and Pango.
 *
 *   a word: the word, large and fitted to the card (a long one wraps),
 *     cut into syllables with the stressed one marked as the stress head
 *     says, the gender head's article before it; what the model reads of
 *     it (a long word's end) and the characters it does not know; the true
 *     answers of a test word; then every head's answer (mh-prediction-card.c);
 *   a sensor window: the six signals as small multiples (the accelerometer's
 *     three on one scale, the gyroscope's on another), a channel the fault
 *     head calls faulty filled red, a truly faulty one outlined dashed; every
 *     head's answer beside them. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>
#include "mh-colors.h"
#include "mh-predictions-private.h"
#include "mh-syllables.h"

#define PAD       10
#define TITLE_H   26
#define WORD_PX   26.0
#define WORD_MIN  13.0
#define INFO_H    16
#define SIGNAL_W  220
#define SIGNAL_H  34
#define SIGNAL_GAP 4
#define LABEL_W   24
#define MAX_SYLLABLES 32

static const double fault_rgb[3] = { 0.88, 0.11, 0.14 };

static void
set_rgba (cairo_t *cr, const GdkRGBA *c, double alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

/* ---- which head says what ---------------------------------------------------------- */

static gboolean
names_start (const MhProbeHead *h, const char *const *want)
{
  if (h->names == NULL)
    return FALSE;
  for (int i = 0; want[i] != NULL; i++)
    if (h->names[i] == NULL || !g_str_equal (h->names[i], want[i]))
      return FALSE;
  return TRUE;
}

int
_mh_card_article_head (const MhCardStyle *s)
{
  static const char *const articles[] = { "der", "die", "das", NULL };

  for (int h = 0; s->heads != NULL && h < s->n_heads; h++)
    if (s->heads[h].kind == MH_FIELD_CLASS && s->heads[h].k == 3 && names_start (&s->heads[h], articles))
      return h;
  return -1;
}

int
_mh_card_stress_head (const MhCardStyle *s)
{
  static const char *const places[] = { "first", "second", NULL };

  for (int h = 0; s->heads != NULL && h < s->n_heads; h++)
    if (s->heads[h].kind == MH_FIELD_CLASS && names_start (&s->heads[h], places))
      return h;
  return -1;
}

int
_mh_card_fault_head (const MhCardStyle *s)
{
  int channels = s->shape.rank == 2 ? s->shape.dim[1] : 0;

  for (int h = 0; s->heads != NULL && h < s->n_heads; h++)
    if (s->heads[h].kind == MH_FIELD_LABELS && s->heads[h].k == channels
        && (s->channels == NULL || names_start (&s->heads[h], (const char *const *) s->channels)))
      return h;
  return -1;
}

/* The answer (the top class) of head h for the item, or -1. */
static int
answer_of (const MhPredItem *item, const MhCardStyle *s, int h)
{
  if (h < 0 || item->answer == NULL || h >= item->n_answer)
    return -1;
  return _mh_pred_top (item->answer[h], s->heads[h].k, 0);
}

/* ---- a word --------------------------------------------------------------------------- */

/* The word as markup: the article, the syllables with thin dots between
 * them, the stressed one bold and underlined in the stress head's colour. */
static char *
word_markup (const MhPredItem *item, const MhCardStyle *s)
{
  int starts[MAX_SYLLABLES + 1];
  int n = mh_syllables_split (item->text, starts, MAX_SYLLABLES);
  int article = _mh_card_article_head (s), stress = _mh_card_stress_head (s);
  int a = answer_of (item, s, article), st = answer_of (item, s, stress);
  glong len = g_utf8_strlen (item->text, -1);
  GString *m = g_string_new (NULL);
  GdkRGBA color;
  char hex[16];

  if (a >= 0)
    {
      g_autofree char *name = g_markup_escape_text (s->heads[article].names[a], -1);
      mh_head_color ((guint) article, s->dark, &color);
      g_snprintf (hex, sizeof hex, "#%02x%02x%02x", (int) (color.red * 255), (int) (color.green * 255),
                  (int) (color.blue * 255));
      g_string_append_printf (m, "<span foreground='%s' weight='bold'>%s</span> ", hex, name);
    }
  if (st >= 0)
    {
      mh_head_color ((guint) stress, s->dark, &color);
      g_snprintf (hex, sizeof hex, "#%02x%02x%02x", (int) (color.red * 255), (int) (color.green * 255),
                  (int) (color.blue * 255));
    }
  starts[n] = (int) len;
  for (int i = 0; i < n; i++)
    {
      const char *from = g_utf8_offset_to_pointer (item->text, starts[i]);
      const char *to = g_utf8_offset_to_pointer (item->text, starts[i + 1]);
      g_autofree char *syl = g_markup_escape_text (from, to - from);
      /* the stress head's classes: first, second, third, later (the fourth on) */
      gboolean stressed = st >= 0 && (st == i || (st == 3 && i == MIN (3, n - 1) && n > 3));
      if (i > 0)
        g_string_append (m, "<span alpha='45%' weight='normal'>·</span>");
      if (stressed)
        g_string_append_printf (m, "<span foreground='%s' weight='bold' underline='single'>%s</span>", hex, syl);
      else
        g_string_append (m, syl);
    }
  return g_string_free (m, FALSE);
}

/* The word's layout in `width`: the font shrinks to fit, down to a
 * minimum; a word longer still wraps between characters. */
static PangoLayout *
word_layout (cairo_t *cr, const MhPredItem *item, const MhCardStyle *s, double width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  g_autofree char *markup = word_markup (item, s);
  int w, h;
  double px = WORD_PX;

  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_markup (layout, markup, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  if (w > width)
    {
      px = MAX (WORD_MIN, floor (px * width / w));
      pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
      pango_layout_set_font_description (layout, font);
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_CHAR);   /* the article stays on the word's first line */
    }
  pango_font_description_free (font);
  return layout;
}

/* The lines under the word: what the model reads of it, the characters it
 * does not know, the truth of a test word.  NULL-terminated; g_strfreev. */
static char **
word_notes (const MhPredItem *item, const MhCardStyle *s)
{
  GPtrArray *notes = g_ptr_array_new ();
  glong len = g_utf8_strlen (item->text, -1);

  if (item->kept > 0 && item->kept < len)
    {
      const char *end = g_utf8_offset_to_pointer (item->text, len - item->kept);
      g_ptr_array_add (notes, g_strdup_printf (_("The model reads its last %d of %ld characters:"), item->kept, len));
      g_ptr_array_add (notes, g_strdup_printf ("…%s", end));
    }
  if (item->unknown > 0)
    g_ptr_array_add (notes, g_strdup_printf (_("Unknown to the model (one token for all): %s"),
                                             item->unknown_chars != NULL ? item->unknown_chars : "?"));
  if (item->truth_class != NULL && s->heads != NULL)
    {
      GString *t = g_string_new (_("true:"));
      for (int h = 0; h < s->n_heads; h++)
        {
          const MhProbeHead *head = &s->heads[h];
          int c = head->field < item->n_fields ? item->truth_class[head->field] : -1;
          if (head->kind == MH_FIELD_CLASS && c >= 0 && head->names != NULL)
            g_string_append_printf (t, "%s %s %s", h > 0 ? " ·" : "", head->name, head->names[c]);
        }
      g_ptr_array_add (notes, g_string_free (t, FALSE));
    }
  g_ptr_array_add (notes, NULL);
  return (char **) g_ptr_array_free (notes, FALSE);
}

static int
word_height (const MhPredItem *item, const MhCardStyle *s, int width)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = word_layout (cr, item, s, width - 2 * PAD);
  g_auto(GStrv) notes = word_notes (item, s);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return h + 6 + (int) g_strv_length (notes) * INFO_H + 6;
}

static void
draw_word (cairo_t *cr, const MhPredItem *item, const MhCardStyle *s, int width, double y)
{
  PangoLayout *layout = word_layout (cr, item, s, width - 2 * PAD);
  g_auto(GStrv) notes = word_notes (item, s);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  set_rgba (cr, &s->fg, 1);
  cairo_move_to (cr, PAD, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
  y += h + 6;
  for (int i = 0; notes[i] != NULL; i++, y += INFO_H)
    {
      set_rgba (cr, &s->fg, 0.62);
      _mh_card_text (cr, PAD, y, width - 2 * PAD, notes[i], FALSE, 11, FALSE);
    }
}

/* ---- a sensor window -------------------------------------------------------------------- */

/* The range of channel c's scale: its own, but at least a tenth of its
 * sensor's (the accelerometer's three channels, the gyroscope's), so that
 * a quiet channel's noise is not blown up to fill the plot. */
static void
signal_range (const float *x, int t, int channels, int c, float *lo, float *hi)
{
  int first = channels == 6 ? (c / 3) * 3 : c, last = channels == 6 ? first + 3 : c + 1;
  float glo = G_MAXFLOAT, ghi = -G_MAXFLOAT, min_span;

  *lo = G_MAXFLOAT, *hi = -G_MAXFLOAT;
  for (int k = first; k < last; k++)
    for (int i = 0; i < t; i++)
      {
        float v = x[(gsize) i * channels + k];
        if (!isfinite (v))
          continue;
        glo = MIN (glo, v), ghi = MAX (ghi, v);
        if (k == c)
          *lo = MIN (*lo, v), *hi = MAX (*hi, v);
      }
  if (*lo > *hi)
    *lo = *hi = 0;
  min_span = MAX (0.1f * (ghi - glo), 1e-3f);
  if (*hi - *lo < min_span)
    {
      float mid = (*hi + *lo) / 2;
      *lo = mid - min_span / 2, *hi = mid + min_span / 2;
    }
}

static int
signals_height (const MhCardStyle *s)
{
  int channels = s->shape.rank == 2 ? s->shape.dim[1] : 0;

  return channels * (SIGNAL_H + SIGNAL_GAP) + 3 * INFO_H;
}

static void
draw_signals (cairo_t *cr, MhPredItem *item, const MhCardStyle *s, double x0, double y0)
{
  int t = s->shape.dim[0], channels = s->shape.dim[1];
  int fh = _mh_card_fault_head (s);
  int field = fh >= 0 ? s->heads[fh].field : -1;
  const float *truth = item->truth != NULL && field >= 0 && field < item->n_fields ? item->truth[field] : NULL;
  const float *p = fh >= 0 && item->answer != NULL && fh < item->n_answer ? item->answer[fh] : NULL;
  double threshold = fh >= 0 ? (s->threshold >= 0 ? s->threshold : s->heads[fh].threshold) : 1;
  double plot_x = x0 + LABEL_W, plot_w = SIGNAL_W - LABEL_W;
  GdkRGBA line;

  item->drawn_channels = 0;
  item->drawn_true = item->drawn_predicted = 0;
  for (int c = 0; c < channels; c++)
    {
      double y = y0 + c * (SIGNAL_H + SIGNAL_GAP);
      gboolean is_true = truth != NULL && truth[c] > 0.5f, predicted = p != NULL && p[c] >= threshold;
      char name[32], pct[16];
      float lo, hi;

      /* the plot's ground: red when the model calls the channel faulty */
      if (predicted)
        cairo_set_source_rgba (cr, fault_rgb[0], fault_rgb[1], fault_rgb[2], 0.18);
      else
        set_rgba (cr, &s->fg, 0.05);
      cairo_rectangle (cr, plot_x, y, plot_w, SIGNAL_H);
      cairo_fill (cr);
      if (is_true)   /* a true fault: outlined, dashed */
        {
          const double dash[] = { 4, 3 };
          cairo_set_source_rgb (cr, fault_rgb[0], fault_rgb[1], fault_rgb[2]);
          cairo_set_line_width (cr, 1.5);
          cairo_set_dash (cr, dash, 2, 0);
          cairo_rectangle (cr, plot_x + 0.75, y + 0.75, plot_w - 1.5, SIGNAL_H - 1.5);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      g_snprintf (name, sizeof name, "%s", s->channels != NULL && c < (int) g_strv_length ((char **) s->channels)
                                             ? s->channels[c] : "?");
      set_rgba (cr, &s->fg, 0.8);
      _mh_card_text (cr, x0, y + SIGNAL_H / 2.0 - 8, LABEL_W - 2, name, is_true || predicted, 11, FALSE);
      /* the signal */
      signal_range (item->x, t, channels, c, &lo, &hi);
      mh_head_color ((guint) (c < 3 ? 0 : 2), s->dark, &line);
      set_rgba (cr, &line, 1);
      cairo_set_line_width (cr, 1.1);
      for (int i = 0; i < t; i++)
        {
          float v = item->x[(gsize) i * channels + c];
          double px = plot_x + 1 + (plot_w - 2) * i / MAX (1, t - 1);
          double py = y + SIGNAL_H - 2 - (SIGNAL_H - 4) * (isfinite (v) ? (v - lo) / (hi - lo) : 0.5);
          if (i == 0)
            cairo_move_to (cr, px, py);
          else
            cairo_line_to (cr, px, py);
        }
      cairo_stroke (cr);
      if (p != NULL)
        {
          g_snprintf (pct, sizeof pct, "%s%.0f%%", predicted ? "⚠ " : "", 100 * p[c]);
          if (predicted)
            cairo_set_source_rgb (cr, fault_rgb[0], fault_rgb[1], fault_rgb[2]);
          else
            set_rgba (cr, &s->fg, 0.5);
          _mh_card_text (cr, plot_x + plot_w - 2, y + 1, 0, pct, predicted, 10, TRUE);
        }
      item->drawn_channels++;
      item->drawn_true |= is_true ? 1u << c : 0;
      item->drawn_predicted |= predicted ? 1u << c : 0;
    }
  {
    double y = y0 + channels * (SIGNAL_H + SIGNAL_GAP);
    g_autofree char *span = s->shape.dim[0] > 0 ? g_strdup_printf (_("%d steps"), t) : NULL;
    set_rgba (cr, &s->fg, 0.6);
    _mh_card_text (cr, plot_x, y, plot_w, span, FALSE, 10.5, FALSE);
    _mh_card_text (cr, x0, y + INFO_H, SIGNAL_W, _("red: the model says faulty"), FALSE, 10.5, FALSE);
    if (truth != NULL)
      _mh_card_text (cr, x0, y + 2 * INFO_H, SIGNAL_W, _("dashed: truly faulty"), FALSE, 10.5, FALSE);
  }
}

/* ---- the card --------------------------------------------------------------------------- */

int
_mh_sequence_card_height (const MhPredItem *item, const MhCardStyle *s)
{
  int width = s->input == MH_INPUT_SIGNALS ? MH_SIGNAL_CARD_WIDTH : MH_CARD_WIDTH;

  if (s->input == MH_INPUT_SIGNALS)
    {
      double heads_w = width - SIGNAL_W - 3 * PAD;
      int heads = s->heads != NULL && item->answer != NULL ? _mh_prediction_card_heads_height (item, s, heads_w) : 60;
      return TITLE_H + MAX (signals_height (s), heads) + PAD;
    }
  return TITLE_H + (item->text != NULL ? word_height (item, s, width) : 0)
         + (s->heads != NULL && item->answer != NULL ? _mh_prediction_card_heads_height (item, s, width - 2 * PAD)
                                                     : 50)
         + PAD;
}

void
_mh_sequence_card_draw (cairo_t *cr, MhPredItem *item, const MhCardStyle *s, int width, int height)
{
  _mh_prediction_card_frame (cr, item, s, width, height);
  if (s->input == MH_INPUT_SIGNALS && s->shape.rank == 2)
    {
      draw_signals (cr, item, s, PAD, TITLE_H);
      _mh_prediction_card_draw_heads (cr, item, s, PAD + SIGNAL_W + 2 * PAD, TITLE_H, width - SIGNAL_W - 4 * PAD);
      return;
    }
  if (item->text != NULL)
    {
      draw_word (cr, item, s, width, TITLE_H);
      _mh_prediction_card_draw_heads (cr, item, s, PAD, TITLE_H + word_height (item, s, width), width - 2 * PAD);
    }
}
