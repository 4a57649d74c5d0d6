/* mh-prediction-card.c — one image on the predictions board, drawn with
 * cairo and Pango: the image as loaded and as the model sees it on the
 * left (a box head's answer drawn over them), every head's answer on the
 * right: top-k bars (classification), chips (multi-label), numbers, and
 * the true label where the image comes from the test set. */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-format.h"
#include <pango/pangocairo.h>
#include "mh-colors.h"
#include "mh-predictions-private.h"

#define text _mh_card_text

#define PAD      10
#define TITLE_H  26
#define BIG      120
#define SMALL    56
#define LEFT_W   (BIG + 2 * PAD)
#define HEADER_H 20
#define BAR_H    16
#define CHIP_H   20

static const double right_rgb[3] = { 0.15, 0.64, 0.41 }, wrong_rgb[3] = { 0.88, 0.11, 0.14 };

int
_mh_pred_top (const float *p, int k, int rank)
{
  int order[64];
  int n = MIN (k, 64);

  for (int i = 0; i < n; i++)
    order[i] = i;
  for (int r = 0; r <= rank && r < n; r++)   /* a partial selection sort: k is small */
    {
      int best = r;
      for (int i = r + 1; i < n; i++)
        if (p[order[i]] > p[order[best]])
          best = i;
      int t = order[r];
      order[r] = order[best];
      order[best] = t;
    }
  return rank < n ? order[rank] : -1;
}

/* Text at (x, y) (top-left), at most `width` wide (ellipsized); returns its width. */
double
_mh_card_text (cairo_t *cr, double x, double y, double width, const char *s, gboolean bold, double size,
      gboolean right_align)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (bold ? "Sans Bold" : "Sans");
  int w, h;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, s, -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, right_align ? x - w : x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
  return w;
}

static void
set_rgba (cairo_t *cr, const GdkRGBA *c, double alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

static void
rounded (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static double
threshold_of (const MhCardStyle *s, const MhProbeHead *head)
{
  return s->threshold >= 0 ? s->threshold : head->threshold;
}

/* Rows of chips a multi-label head needs in `width`. */
static int
chip_rows (const MhProbeHead *head, double width)
{
  double x = 0;
  int rows = 1;

  for (int j = 0; j < head->k; j++)
    {
      double w = 18 + 7.0 * (head->names ? g_utf8_strlen (head->names[j], -1) + 4 : 6);
      if (x > 0 && x + w > width)
        rows++, x = 0;
      x += w + 4;
    }
  return rows;
}

static int
head_height (const MhProbeHead *head, const MhCardStyle *s, double width)
{
  switch (head->kind)
    {
    case MH_FIELD_CLASS:
      return HEADER_H + MIN (s->top_k, head->k) * BAR_H + 6;
    case MH_FIELD_LABELS:
      return HEADER_H + chip_rows (head, width) * (CHIP_H + 4) + 4;
    case MH_FIELD_NUMBERS:
    default:
      return HEADER_H + BAR_H + 6;
    }
}

int
_mh_prediction_card_heads_height (const MhPredItem *item, const MhCardStyle *s, double width)
{
  int h = 0;

  for (int i = 0; s->heads != NULL && item->answer != NULL && i < s->n_heads; i++)
    h += head_height (&s->heads[i], s, width);
  return h;
}

int
_mh_prediction_card_height (const MhPredItem *item, const MhCardStyle *s)
{
  int left = TITLE_H + BIG + 18 + (item->original != NULL ? SMALL + 18 : 0) + PAD;
  int right = TITLE_H + PAD + 40;

  if (s->input != MH_INPUT_PIXELS)
    return _mh_sequence_card_height (item, s);
  if (s->heads != NULL && item->answer != NULL)
    {
      right = TITLE_H + PAD;
      for (int h = 0; h < s->n_heads; h++)
        right += head_height (&s->heads[h], s, MH_CARD_WIDTH - LEFT_W - PAD);
    }
  return MAX (left, right);
}

void
_mh_prediction_card_close_rect (int width, GdkRectangle *rect)
{
  *rect = (GdkRectangle) { width - 26, 4, 22, 22 };
}

/* The boxes of the box heads over an image drawn in the square (x, y, side). */
static void
draw_boxes (cairo_t *cr, const MhPredItem *item, const MhCardStyle *s, double x, double y, double side,
            int img_w, int img_h)
{
  double scale = side / MAX (img_w, img_h);
  double w = img_w * scale, h = img_h * scale, x0 = x + (side - w) / 2, y0 = y + (side - h) / 2;

  for (int h_ = 0; s->heads != NULL && item->answer != NULL && h_ < s->n_heads; h_++)
    {
      const MhProbeHead *head = &s->heads[h_];
      const float *b = item->answer[h_];
      GdkRGBA color;
      if (head->kind != MH_FIELD_NUMBERS || !head->box || b == NULL)
        continue;
      if (item->truth != NULL && item->truth[head->field] != NULL)
        {
          const float *t = item->truth[head->field];
          const double dash[] = { 4, 3 };
          cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
          cairo_set_line_width (cr, 1.5);
          cairo_set_dash (cr, dash, 2, 0);
          cairo_rectangle (cr, x0 + t[0] * w, y0 + t[1] * h, (t[2] - t[0]) * w, (t[3] - t[1]) * h);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      mh_head_color ((guint) h_, FALSE, &color);
      set_rgba (cr, &color, 1);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, x0 + CLAMP (b[0], 0, 1) * w, y0 + CLAMP (b[1], 0, 1) * h,
                       (CLAMP (b[2], 0, 1) - CLAMP (b[0], 0, 1)) * w, (CLAMP (b[3], 0, 1) - CLAMP (b[1], 0, 1)) * h);
      cairo_stroke (cr);
    }
}

static void
draw_picture (cairo_t *cr, cairo_surface_t *surface, double x, double y, double side, gboolean sharp)
{
  int w = cairo_image_surface_get_width (surface), h = cairo_image_surface_get_height (surface);
  double scale = side / MAX (w, h);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, side, side);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_fill (cr);
  cairo_translate (cr, x + (side - w * scale) / 2, y + (side - h * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), sharp ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
}

static void
draw_images (cairo_t *cr, const MhPredItem *item, const MhCardStyle *s)
{
  int in_w = cairo_image_surface_get_width (item->seen), in_h = cairo_image_surface_get_height (item->seen);
  double y = TITLE_H;
  char caption[96];

  cairo_save (cr);
  if (item->original != NULL)
    {
      draw_picture (cr, item->original, PAD, y, BIG, FALSE);
      draw_boxes (cr, item, s, PAD, y, BIG, item->orig_w, item->orig_h);
      set_rgba (cr, &s->fg, 0.6);
      g_snprintf (caption, sizeof caption, "%d×%d", item->orig_w, item->orig_h);
      text (cr, PAD, y + BIG + 1, BIG, caption, FALSE, 11, FALSE);
      y += BIG + 18;
      draw_picture (cr, item->seen, PAD, y, SMALL, TRUE);
      draw_boxes (cr, item, s, PAD, y, SMALL, in_w, in_h);
      set_rgba (cr, &s->fg, 0.6);
      g_snprintf (caption, sizeof caption, _("the model sees\n%d×%d"), in_w, in_h);
      text (cr, PAD + SMALL + 6, y + 14, BIG - SMALL - 6, caption, FALSE, 11, FALSE);
    }
  else
    {
      draw_picture (cr, item->seen, PAD, y, BIG, TRUE);
      draw_boxes (cr, item, s, PAD, y, BIG, in_w, in_h);
      set_rgba (cr, &s->fg, 0.6);
      g_snprintf (caption, sizeof caption, _("model input %d×%d"), in_w, in_h);
      text (cr, PAD, y + BIG + 1, BIG, caption, FALSE, 11, FALSE);
    }
  cairo_restore (cr);
}

/* The head's name in its colour and, right-aligned, `right` in `rgb`. */
static void
head_header (cairo_t *cr, const MhCardStyle *s, int h, double x, double y, double width, const char *right,
             const double *rgb)
{
  GdkRGBA color;

  mh_head_color ((guint) h, s->dark, &color);
  set_rgba (cr, &color, 1);
  cairo_arc (cr, x + 5, y + 8, 4.5, 0, 2 * G_PI);
  cairo_fill (cr);
  set_rgba (cr, &s->fg, 1);
  text (cr, x + 14, y, width / 2, s->heads[h].name, TRUE, 12.5, FALSE);
  if (right != NULL)
    {
      if (rgb != NULL)
        cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      else
        set_rgba (cr, &s->fg, 0.65);
      text (cr, x + width, y + 1, 0, right, FALSE, 11.5, TRUE);
    }
}

static void
draw_class (cairo_t *cr, const MhPredItem *item, const MhCardStyle *s, int h, double x, double y,
            double width)
{
  const MhProbeHead *head = &s->heads[h];
  const float *p = item->answer[h];
  int truth = item->truth_class != NULL ? item->truth_class[head->field] : -1;
  int best = _mh_pred_top (p, head->k, 0);
  double label_w = 92, pct_w = 40, bar_w = width - label_w - pct_w - 8;
  g_autofree char *right = NULL;
  GdkRGBA color;

  if (truth >= 0 && head->names != NULL)
    right = g_strdup_printf (_("%s true: %s"), truth == best ? "✓" : "✗", head->names[truth]);
  head_header (cr, s, h, x, y, width, right, truth < 0 ? NULL : truth == best ? right_rgb : wrong_rgb);
  y += HEADER_H;
  mh_head_color ((guint) h, s->dark, &color);
  for (int r = 0; r < MIN (s->top_k, head->k); r++)
    {
      int c = _mh_pred_top (p, head->k, r);
      char pct[16], fallback[16];
      const char *name = head->names != NULL ? head->names[c] : fallback;

      g_snprintf (fallback, sizeof fallback, _("class %d"), c);
      set_rgba (cr, &s->fg, r == 0 ? 1 : 0.75);
      text (cr, x + 2, y, label_w - 4, name, c == truth, 11.5, FALSE);
      set_rgba (cr, &s->fg, 0.08);
      rounded (cr, x + label_w, y + 3, bar_w, BAR_H - 6, 3);
      cairo_fill (cr);
      set_rgba (cr, &color, r == 0 ? 1 : 0.55);
      rounded (cr, x + label_w, y + 3, MAX (2, bar_w * p[c]), BAR_H - 6, 3);
      cairo_fill (cr);
      g_snprintf (pct, sizeof pct, "%.0f%%", 100 * p[c]);
      set_rgba (cr, &s->fg, 0.8);
      text (cr, x + width, y, 0, pct, FALSE, 11, TRUE);
      y += BAR_H;
    }
}

static void
draw_labels (cairo_t *cr, const MhPredItem *item, const MhCardStyle *s, int h, double x, double y,
             double width)
{
  const MhProbeHead *head = &s->heads[h];
  const float *p = item->answer[h];
  const float *truth = item->truth != NULL ? item->truth[head->field] : NULL;
  double thr = threshold_of (s, head), cx = 0;
  g_autofree char *right = mh_format (_("threshold %.2f"), thr);
  GdkRGBA color;

  head_header (cr, s, h, x, y, width, right, NULL);
  y += HEADER_H;
  mh_head_color ((guint) h, s->dark, &color);
  for (int j = 0; j < head->k; j++)
    {
      g_autofree char *label = mh_format ("%s%s %.0f%%", truth != NULL && truth[j] > 0.5f ? "✓ " : "",
                                                head->names ? head->names[j] : "?", 100 * p[j]);
      double w = 18 + 7.0 * (head->names ? g_utf8_strlen (head->names[j], -1) + 4 : 6);
      gboolean on = p[j] >= thr;
      if (cx > 0 && cx + w > width)
        cx = 0, y += CHIP_H + 4;
      rounded (cr, x + cx, y, w, CHIP_H, CHIP_H / 2.0);
      if (on)
        {
          set_rgba (cr, &color, 1);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 1, 1, 1);
        }
      else
        {
          set_rgba (cr, &s->fg, 0.3);
          cairo_set_line_width (cr, 1);
          cairo_stroke (cr);
          set_rgba (cr, &s->fg, 0.6);
        }
      text (cr, x + cx + 8, y + 3, w - 12, label, on, 11, FALSE);
      cx += w + 4;
    }
}

static void
draw_numbers (cairo_t *cr, const MhPredItem *item, const MhCardStyle *s, int h, double x, double y,
              double width)
{
  const MhProbeHead *head = &s->heads[h];
  const float *v = item->answer[h];
  const float *truth = item->truth != NULL ? item->truth[head->field] : NULL;
  g_autoptr (GString) line = g_string_new (head->box ? "box " : "");
  g_autofree char *right = NULL;

  if (head->box && truth != NULL)
    right = mh_format (_("IoU with the true box %.2f"), mh_box_iou (v, truth));
  else if (head->box)
    right = g_strdup (_("drawn over the image"));
  head_header (cr, s, h, x, y, width, right, NULL);
  for (int j = 0; j < head->k; j++)
    g_string_append_printf (line, "%s%.2f", j ? ", " : "", v[j]);
  if (truth != NULL)
    {
      g_string_append (line, "   (true ");
      for (int j = 0; j < head->k; j++)
        g_string_append_printf (line, "%s%.2f", j ? ", " : "", truth[j]);
      g_string_append (line, ")");
    }
  set_rgba (cr, &s->fg, 0.85);
  text (cr, x + 2, y + HEADER_H, width, line->str, FALSE, 11.5, FALSE);
}

void
_mh_prediction_card_frame (cairo_t *cr, const MhPredItem *item, const MhCardStyle *s, int width, int height)
{
  GdkRectangle close;

  if (s->selected)
    {
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
      cairo_set_line_width (cr, 2.5);
      rounded (cr, 1.25, 1.25, width - 2.5, height - 2.5, 9);
      cairo_stroke (cr);
    }
  set_rgba (cr, &s->fg, 1);
  text (cr, PAD, 6, width - 2 * PAD - 58, item->title, TRUE, 12.5, FALSE);
  _mh_prediction_card_close_rect (width, &close);
  set_rgba (cr, &s->fg, 0.5);
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, close.x + 7, close.y + 7);
  cairo_line_to (cr, close.x + close.width - 7, close.y + close.height - 7);
  cairo_move_to (cr, close.x + close.width - 7, close.y + 7);
  cairo_line_to (cr, close.x + 7, close.y + close.height - 7);
  cairo_stroke (cr);
}

void
_mh_prediction_card_draw_heads (cairo_t *cr, const MhPredItem *item, const MhCardStyle *s, double x, double y,
                                double w)
{
  if (s->heads == NULL || item->answer == NULL)
    {
      PangoLayout *layout = pango_cairo_create_layout (cr);
      pango_layout_set_text (layout, s->status ? s->status : _("Waiting for the model…"), -1);
      pango_layout_set_width (layout, (int) (w * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      set_rgba (cr, &s->fg, 0.6);
      cairo_move_to (cr, x, y + 4);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
      return;
    }
  for (int h = 0; h < s->n_heads && h < item->n_answer; h++)
    {
      const MhProbeHead *head = &s->heads[h];
      if (head->kind == MH_FIELD_CLASS)
        draw_class (cr, item, s, h, x, y, w);
      else if (head->kind == MH_FIELD_LABELS)
        draw_labels (cr, item, s, h, x, y, w);
      else
        draw_numbers (cr, item, s, h, x, y, w);
      y += head_height (head, s, w);
    }
}

void
_mh_prediction_card_draw (cairo_t *cr, const MhPredItem *item, const MhCardStyle *s, int width, int height)
{
  if (s->input != MH_INPUT_PIXELS)
    {
      _mh_sequence_card_draw (cr, (MhPredItem *) item, s, width, height);
      return;
    }
  _mh_prediction_card_frame (cr, item, s, width, height);
  draw_images (cr, item, s);
  _mh_prediction_card_draw_heads (cr, item, s, LEFT_W, TITLE_H, width - LEFT_W - PAD);
}
