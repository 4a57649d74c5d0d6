/* mh-cli-sequence-figure.c — `render-attention` for sequence models: what
 * every head looks at in one word (--text WORD) or one test sample
 * (--sample N), as a PNG or SVG (by the --out file's name).
 *
 *   a transformer over characters: BertViz's head view, a panel per layer
 *     and head, lines from every character (left) to every character
 *     (right) as strong as its attention, and under each panel the class
 *     token's attention to each character as a heat strip (no class token:
 *     the mean attention each character gets);
 *   a recurrent or convolutional backbone: each head's saliency, gradient ×
 *     input of its answer (mh-saliency.h): per character, or per time step
 *     and channel under the signals.  Red pushes the answer up, blue down.
 */
#include <cairo.h>
#include <glib/gi18n.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>
#include "mh-attention-maps.h"
#include "mh-cli.h"
#include "mh-conv-heads.h"
#include "mh-error.h"
#include "mh-heatmap.h"
#include "mh-layer-attention.h"
#include "mh-saliency.h"
#include "mh-schema.h"
#include "mh-splits.h"
#include "mh-weights.h"

#define FONT    "DejaVu Sans"
#define MARGIN  24
#define HEAD_H  96       /* title, truth, predictions */
#define PANEL_W 220
#define ROW_H   17
#define GAP     22
#define STRIP_H 22
#define CELL_W  22

static const double ink[3] = { 0.13, 0.13, 0.13 };
static const double head_colours[][3] = {
  { 0.12, 0.47, 0.71 }, { 1.0, 0.5, 0.05 }, { 0.17, 0.63, 0.17 }, { 0.84, 0.15, 0.16 },
  { 0.58, 0.4, 0.74 }, { 0.55, 0.34, 0.29 }, { 0.89, 0.47, 0.76 }, { 0.5, 0.5, 0.5 },
};

typedef struct {
  MhModel         *model;
  const MhDataset *schema;
  const MhDataset *test;      /* --sample: the split it comes from; NULL for --text */
  int              sample;
  const char      *project;
  char            *word;      /* what the model reads, as text */
  int              n_chars;
  gunichar        *chars;     /* the input's tokens as characters (0: padding) */
} Figure;

static double
text_at (cairo_t *cr, double x, double y, double size, gboolean bold, int align, const double *rgb,
         const char *s)
{
  cairo_text_extents_t ext;

  cairo_select_font_face (cr, FONT, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
  cairo_set_source_rgb (cr, rgb ? rgb[0] : ink[0], rgb ? rgb[1] : ink[1], rgb ? rgb[2] : ink[2]);
  cairo_text_extents (cr, s, &ext);
  x -= align == 0 ? 0 : align == 1 ? ext.x_advance / 2 : ext.x_advance;
  cairo_move_to (cr, x, y);
  cairo_show_text (cr, s);
  return x + ext.x_advance;
}

/* "gender die 97%" for every classification head (green when right, red
 * when wrong on a test sample); numbers for the others. */
static void
draw_answers (cairo_t *cr, const Figure *f, double x, double y)
{
  static const double right[3] = { 0.05, 0.45, 0.15 }, wrong[3] = { 0.75, 0.1, 0.1 };
  const MhModel *m = f->model;

  x = text_at (cr, x, y, 14, TRUE, 0, NULL, _("Predicted:"));
  for (int h = 0; h < m->n_heads; h++)
    {
      const MhHead *head = &m->heads[h];
      const MhField *fld = &f->schema->fields[head->field];
      g_autofree char *s = NULL;
      const double *rgb = NULL;

      if (head->field_kind == MH_FIELD_CLASS && fld->names != NULL)
        {
          int best = 0;
          double sum = 0;
          for (int k = 1; k < head->out_dim; k++)
            best = head->logits[k] > head->logits[best] ? k : best;
          for (int k = 0; k < head->out_dim; k++)
            sum += exp (head->logits[k] - head->logits[best]);
          s = g_strdup_printf ("%s%s %s %.0f%%", h ? "  ·  " : "  ", head->name, fld->names[best], 100 / sum);
          if (f->test != NULL)
            rgb = best == f->test->fields[head->field].classes[f->sample] ? right : wrong;
        }
      else if (head->field_kind == MH_FIELD_LABELS)
        {
          g_autoptr (GString) on = g_string_new (NULL);
          for (int k = 0; k < head->out_dim; k++)
            if (1 / (1 + exp (-head->logits[k])) >= head->threshold)
              g_string_append_printf (on, "%s%s", on->len ? "+" : "", fld->names[k]);
          s = g_strdup_printf ("%s%s %s", h ? "  ·  " : "  ", head->name, on->len ? on->str : "none");
        }
      else
        s = g_strdup_printf ("%s%s %.1f", h ? "  ·  " : "  ", head->name, head->logits[0]);
      x = text_at (cr, x, y, 14, FALSE, 0, rgb, s);
    }
}

static char *
title_of (const Figure *f, const char *what)
{
  if (f->test != NULL)
    return g_strdup_printf (_("%s — test sample %d%s%s%s: %s"), f->project, f->sample, f->word ? " '" : "",
                            f->word ? f->word : "", f->word ? "'" : "", what);
  return g_strdup_printf ("%s — '%s': %s", f->project, f->word, what);
}

/* The width the title takes, to make room for it. */
static int
title_width (const Figure *f, const char *what)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (s);
  g_autofree char *title = title_of (f, what);
  cairo_text_extents_t ext;

  cairo_select_font_face (cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 19);
  cairo_text_extents (cr, title, &ext);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  return (int) ceil (ext.x_advance) + 2 * MARGIN;
}

#define HEAD_VIEW_WHAT _("what each attention head attends to")
#define SALIENCY_WHAT  _("what each head's answer rests on (gradient × input)")

static void
draw_header (cairo_t *cr, const Figure *f, const char *what)
{
  g_autofree char *title = title_of (f, what);

  text_at (cr, MARGIN, 32, 19, TRUE, 0, NULL, title);
  if (f->test != NULL)
    {
      g_autoptr (GString) truth = g_string_new (_("True:"));
      for (int i = 0; i < f->test->n_fields; i++)
        {
          const MhField *fld = &f->test->fields[i];
          if (fld->kind == MH_FIELD_CLASS)
            g_string_append_printf (truth, "  %s %s", fld->name, fld->names[fld->classes[f->sample]]);
          else if (fld->kind == MH_FIELD_NUMBERS)
            g_string_append_printf (truth, "  %s %.1f", fld->name, fld->values[(gsize) f->sample * fld->dim]);
        }
      text_at (cr, MARGIN, 56, 14, FALSE, 0, NULL, truth->str);
    }
  draw_answers (cr, f, MARGIN, f->test != NULL ? 78 : 58);
}

/* ---- the head view ----------------------------------------------------------- */

/* The label of attention token j: [CLS] or its character. */
static char *
token_label (const Figure *f, const MhAttentionInfo *info, int j)
{
  char buf[8] = { 0 };

  if (info->has_class_token && j == 0)
    return g_strdup ("[CLS]");
  j -= info->has_class_token ? 1 : 0;
  if (j < 0 || j >= f->n_chars || f->chars[j] == 0)
    return g_strdup ("·");
  g_unichar_to_utf8 (f->chars[j], buf);
  return g_strdup (buf);
}

static void
draw_head_panel (cairo_t *cr, const Figure *f, const MhAttentionInfo *info, const MhLayer *layer, int head,
                 const int *real, int n_real, double x, double y)
{
  const float *map = mh_attention_layer_map (layer, 0, head);
  const double *c = head_colours[head % G_N_ELEMENTS (head_colours)];
  int t = info->tokens;
  double left = x + 52, right = x + PANEL_W - 52, strip_y = y + n_real * ROW_H + 10;
  float max = 0;

  for (int a = 0; a < n_real; a++)
    for (int b = 0; b < n_real; b++)
      {
        double p = map[real[a] * t + real[b]], ya = y + a * ROW_H + ROW_H / 2.0, yb = y + b * ROW_H + ROW_H / 2.0;
        cairo_set_source_rgba (cr, c[0], c[1], c[2], MIN (1.0, 1.6 * p));
        cairo_set_line_width (cr, 1 + 2.5 * p);
        cairo_move_to (cr, left + 4, ya);
        cairo_line_to (cr, right - 4, yb);
        cairo_stroke (cr);
      }
  for (int a = 0; a < n_real; a++)
    {
      g_autofree char *label = token_label (f, info, real[a]);
      double yy = y + a * ROW_H + ROW_H / 2.0 + 5;
      text_at (cr, left - 2, yy, 13, FALSE, 2, NULL, label);
      text_at (cr, right + 2, yy, 13, FALSE, 0, NULL, label);
    }
  /* the heat strip: the class token's row (or the mean of the rows), over the characters */
  {
    int first = info->has_class_token ? 1 : 0, cells = n_real - first;
    g_autofree float *heat = g_new0 (float, MAX (cells, 1));
    double cw = MIN (CELL_W, (PANEL_W - 8.0) / MAX (cells, 1)), x0 = x + (PANEL_W - cw * cells) / 2;

    for (int b = first; b < n_real; b++)
      {
        if (info->has_class_token)
          heat[b - first] = map[real[b]];
        else
          for (int a = 0; a < n_real; a++)
            heat[b - first] += map[real[a] * t + real[b]] / n_real;
        max = MAX (max, heat[b - first]);
      }
    for (int k = 0; k < cells; k++)
      {
        double rgb[3];
        g_autofree char *label = token_label (f, info, real[k + first]);
        mh_viridis (max > 0 ? heat[k] / max : 0, rgb);
        cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
        cairo_rectangle (cr, x0 + k * cw, strip_y, cw - 1, STRIP_H);
        cairo_fill (cr);
        text_at (cr, x0 + k * cw + cw / 2, strip_y + STRIP_H - 6, 12, TRUE, 1,
                 heat[k] > 0.6 * max ? ink : (const double[3]) { 1, 1, 1 }, label);
      }
  }
}

static gboolean
draw_head_view (cairo_t *cr, const Figure *f, const MhAttentionInfo *info, int width, int height)
{
  const MhLayer *first = mh_attention_layer (f->model, 0);
  int t = info->tokens, n_real = 0, max_heads = 0;
  g_autofree int *real = g_new (int, t);
  double panel_h;

  for (int j = 0; j < t; j++)
    if (mh_mask_on (first->mask, t, 0, j))
      real[n_real++] = j;
  panel_h = n_real * ROW_H + 10 + STRIP_H;
  for (int l = 0; l < info->n_layers; l++)
    max_heads = MAX (max_heads, mh_attention_heads (f->model, l));
  draw_header (cr, f, HEAD_VIEW_WHAT);
  for (int h = 0; h < max_heads; h++)
    {
      g_autofree char *label = g_strdup_printf ("head %d", h + 1);
      text_at (cr, MARGIN + 90 + h * (PANEL_W + GAP) + PANEL_W / 2.0, HEAD_H + 6, 14, TRUE, 1,
               head_colours[h % G_N_ELEMENTS (head_colours)], label);
    }
  for (int l = 0; l < info->n_layers; l++)
    {
      const MhLayer *layer = mh_attention_layer (f->model, l);
      double y = HEAD_H + 20 + l * (panel_h + GAP);
      text_at (cr, MARGIN, y + panel_h / 2, 14, TRUE, 0, NULL, layer->spec.name);
      for (int h = 0; h < mh_attention_heads (f->model, l); h++)
        draw_head_panel (cr, f, info, layer, h, real, n_real, MARGIN + 90 + h * (PANEL_W + GAP), y);
    }
  text_at (cr, MARGIN, height - 14, 12, FALSE, 0, NULL,
           info->has_class_token
             ? _("Lines: attention from each token (left) to each token (right).  Strip: the class token's "
               "attention to each character, scaled to its largest.")
             : _("Lines: attention from each token (left) to each token (right).  Strip: the mean attention "
               "each character gets, scaled to its largest."));
  return TRUE;
}

static void
head_view_size (const Figure *f, const MhAttentionInfo *info, int *width, int *height)
{
  const MhLayer *first = mh_attention_layer (f->model, 0);
  int n_real = 0, max_heads = 0;

  for (int j = 0; j < info->tokens; j++)
    n_real += mh_mask_on (first->mask, info->tokens, 0, j);
  for (int l = 0; l < info->n_layers; l++)
    max_heads = MAX (max_heads, mh_attention_heads (f->model, l));
  *width = 2 * MARGIN + 90 + max_heads * (PANEL_W + GAP);
  *height = HEAD_H + 20 + info->n_layers * (n_real * ROW_H + 10 + STRIP_H + GAP) + 30;
  *width = MAX (*width, title_width (f, HEAD_VIEW_WHAT));
}

/* ---- saliency ------------------------------------------------------------------ */

/* Red for positive, blue for negative, white at 0; v ∈ [−1, 1]. */
static void
diverging (double v, double rgb[3])
{
  v = CLAMP (v, -1, 1);
  if (v >= 0)
    rgb[0] = 1, rgb[1] = rgb[2] = 1 - 0.8 * v;
  else
    rgb[2] = 1, rgb[0] = rgb[1] = 1 + 0.8 * v;
}

static double
max_abs (const float *v, gsize n)
{
  double m = 0;

  for (gsize i = 0; i < n; i++)
    m = MAX (m, fabs (v[i]));
  return m > 0 ? m : 1;
}

#define SAL_LABEL_W 190
#define LANE_H 26

#define CONV_ROW 20

/* The heads of the backbone's multi-head convolutions, all together. */
static int
conv_head_rows (const MhModel *m)
{
  int rows = 0;

  for (guint i = 0; i < m->backbone->len; i++)
    if (mh_conv_heads (m->backbone->pdata[i]) > 1)
      rows += mh_conv_heads (m->backbone->pdata[i]);
  return rows;
}

/* "ax", "ax–az", or "features 1–24" for the channels a head reads. */
static char *
head_channels (const Figure *f, const MhLayer *l, int head, gboolean first_layer)
{
  int first, count;

  mh_conv_head_channels (l, head, &first, &count);
  if (first_layer && f->schema->channels != NULL)
    return count == 1 ? g_strdup (f->schema->channels[first])
                      : g_strdup_printf ("%s–%s", f->schema->channels[first], f->schema->channels[first + count - 1]);
  return g_strdup_printf ("features %d–%d", first + 1, first + count);
}

static double
draw_conv_heads (cairo_t *cr, const Figure *f, double y)
{
  const MhModel *m = f->model;
  double x0 = MARGIN + SAL_LABEL_W;

  if (conv_head_rows (m) == 0)
    return y;
  text_at (cr, MARGIN, y + 16, 14, TRUE, 0, NULL, _("The convolution's heads (each its own channels): their output over time"));
  y += 26;
  for (guint i = 0; i < m->backbone->len; i++)
    {
      const MhLayer *l = m->backbone->pdata[i];
      int heads = mh_conv_heads (l), to = l->out.dim[0], fg;
      g_autofree float *out = NULL, *mean = g_new (float, to);
      if (heads < 2)
        continue;
      fg = l->out.dim[1] / heads;
      out = g_new (float, (gsize) to * fg);
      for (int h = 0; h < heads; h++, y += CONV_ROW)
        {
          g_autofree char *ch = head_channels (f, l, h, i == 0), *label = g_strdup_printf ("%s · %s", l->spec.name, ch);
          float max = 0;
          double cw = MAX (1.0, 512.0 / to);
          mh_conv_head_output (l, 0, h, out);
          for (int o = 0; o < to; o++)
            {
              mean[o] = 0;
              for (int k = 0; k < fg; k++)
                mean[o] += out[(gsize) o * fg + k] / fg;
              max = MAX (max, fabsf (mean[o]));
            }
          text_at (cr, x0 - 8, y + 14, 12, FALSE, 2, NULL, label);
          for (int o = 0; o < to; o++)
            {
              double rgb[3];
              mh_viridis (max > 0 ? fabsf (mean[o]) / max : 0, rgb);
              cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
              cairo_rectangle (cr, x0 + o * cw, y + 2, cw, CONV_ROW - 4);
              cairo_fill (cr);
            }
        }
    }
  return y;
}

static void
saliency_size (const Figure *f, int *width, int *height)
{
  const MhModel *m = f->model;

  if (m->input_kind == MH_INPUT_TOKENS)
    {
      *width = 2 * MARGIN + SAL_LABEL_W + f->n_chars * 30;
      *height = HEAD_H + 20 + m->n_heads * 48 + 40;
    }
  else
    {
      int steps = m->input.dim[0], channels = m->input.rank == 2 ? m->input.dim[1] : 1;
      *width = 2 * MARGIN + 40 + steps * 4;
      *height = HEAD_H + 20 + m->n_heads * (channels * LANE_H + 30) + 40;
    }
  if (conv_head_rows (m) > 0)
    {
      *height += 26 + conv_head_rows (m) * CONV_ROW + 10;
      *width = MAX (*width, 2 * MARGIN + SAL_LABEL_W + 512);
    }
  *width = MAX (*width, MAX (760, title_width (f, SALIENCY_WHAT)));
}

static gboolean
draw_saliency (cairo_t *cr, Figure *f, int width, int height, GError **error)
{
  MhModel *m = f->model;
  gsize size = mh_saliency_size (m);
  g_autofree float *s = g_new (float, size);
  g_autofree float *x = g_memdup2 (m->x, sizeof (float) * mh_shape_size (&m->input));
  g_autofree float *logits = NULL;
  double y = HEAD_H + 20;

  draw_header (cr, f, SALIENCY_WHAT);
  for (int h = 0; h < m->n_heads; h++)
    {
      const MhHead *head = &m->heads[h];
      const MhField *fld = &f->schema->fields[head->field];
      g_autofree char *label = NULL;
      int best = 0;
      double top;

      /* each backward pass overwrites the activations it read: forward again */
      memcpy (m->x, x, sizeof (float) * mh_shape_size (&m->input));
      mh_model_forward (m, 1, FALSE, NULL);
      for (int k = 1; k < head->out_dim; k++)
        best = head->logits[k] > head->logits[best] ? k : best;
      if (!mh_saliency (m, h, head->field_kind == MH_FIELD_NUMBERS ? 0 : best, s, error))
        return FALSE;
      top = max_abs (s, size);
      label = head->field_kind == MH_FIELD_CLASS ? g_strdup_printf ("%s → %s", head->name, fld->names[best])
            : head->field_kind == MH_FIELD_LABELS ? g_strdup_printf (_("%s → %s (its likeliest label)"), head->name,
                                                                     fld->names[best])
            : g_strdup_printf ("%s → %.1f", head->name, head->logits[0]);
      text_at (cr, MARGIN, y + 22, 14, TRUE, 0, NULL, label);
      if (m->input_kind == MH_INPUT_TOKENS)
        {
          double x0 = MARGIN + SAL_LABEL_W;
          for (int i = 0, k = 0; i < f->n_chars; i++)
            {
              char buf[8] = { 0 };
              double rgb[3];
              if (f->chars[i] == 0)
                continue;
              diverging (s[i] / top, rgb);
              cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
              cairo_rectangle (cr, x0 + k * 30, y + 4, 28, 28);
              cairo_fill (cr);
              g_unichar_to_utf8 (f->chars[i], buf);
              text_at (cr, x0 + k * 30 + 14, y + 24, 15, TRUE, 1, NULL, buf);
              k++;
            }
          y += 48;
          continue;
        }
      {
        int steps = m->input.dim[0], channels = m->input.rank == 2 ? m->input.dim[1] : 1;
        double x0 = MARGIN + 40, sw = 4;
        for (int c = 0; c < channels; c++)
          {
            double ly = y + 30 + c * LANE_H, lo = INFINITY, hi = -INFINITY;
            if (f->schema->channels != NULL && f->schema->channels[c] != NULL)
              text_at (cr, x0 - 6, ly + LANE_H / 2.0 + 4, 12, FALSE, 2, NULL, f->schema->channels[c]);
            for (int t = 0; t < steps; t++)
              {
                double rgb[3];
                diverging (s[t * channels + c] / top, rgb);
                cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
                cairo_rectangle (cr, x0 + t * sw, ly, sw, LANE_H - 2);
                cairo_fill (cr);
                lo = MIN (lo, x[t * channels + c]);
                hi = MAX (hi, x[t * channels + c]);
              }
            cairo_set_source_rgb (cr, ink[0], ink[1], ink[2]);
            cairo_set_line_width (cr, 1.2);
            for (int t = 0; t < steps; t++)
              {
                double v = hi > lo ? (x[t * channels + c] - lo) / (hi - lo) : 0.5;
                double px = x0 + t * sw + sw / 2, py = ly + (LANE_H - 4) * (1 - v) + 1;
                if (t == 0)
                  cairo_move_to (cr, px, py);
                else
                  cairo_line_to (cr, px, py);
              }
            cairo_stroke (cr);
          }
        y += channels * LANE_H + 30;
      }
    }
  draw_conv_heads (cr, f, y + 6);
  text_at (cr, MARGIN, height - 14, 12, FALSE, 0, NULL,
           _("Red: the value pushes the head's answer up; blue: down; white: no part in it.  Each head scaled to "
           "its largest."));
  (void) width;
  return TRUE;
}

/* ---- the command ----------------------------------------------------------------- */

static gboolean
write_figure (Figure *f, const char *path, GError **error)
{
  MhAttentionInfo info;
  gboolean heads = f->model->input_kind == MH_INPUT_TOKENS && mh_attention_info (f->model, &info, "", NULL);
  gboolean svg = g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".SVG");
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  int width, height;
  gboolean ok;

  if (heads)
    head_view_size (f, &info, &width, &height);
  else
    saliency_size (f, &width, &height);
  surface = svg ? cairo_svg_surface_create (path, width, height)
                : cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  ok = heads ? draw_head_view (cr, f, &info, width, height) : draw_saliency (cr, f, width, height, error);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  status = svg ? cairo_surface_status (surface) : cairo_surface_write_to_png (surface, path);
  cairo_surface_finish (surface);
  if (ok && status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_IO, _("%s: cannot write the figure: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  return ok;
}

/* The model reads the input: a word, or test sample `sample`. */
static gboolean
set_input (Figure *f, const MhCliSequenceOptions *opt, MhSplits **data, const MhProject *p, GError **error)
{
  MhModel *m = f->model;
  int t = m->input.dim[0];

  if (opt->text != NULL)
    {
      if (m->input_kind != MH_INPUT_TOKENS)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("--text: this model reads sensor recordings, not text: "
                       "use --sample N"));
          return FALSE;
        }
      if (!mh_vocab_encode (m->vocab, opt->text, t, m->x, NULL, NULL, "--text", error))
        return FALSE;
    }
  else
    {
      if (!(*data = mh_splits_load (&p->data, opt->data_dir, f->project, error)))
        return FALSE;
      if (opt->sample < 0 || opt->sample >= (*data)->test->n)
        {
          g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("--sample %d is out of range: the test set has %d samples "
                       "(0 … %d)"), opt->sample, (*data)->test->n, (*data)->test->n - 1);
          return FALSE;
        }
      f->test = (*data)->test;
      f->sample = opt->sample;
      mh_model_set_batch (m, f->test, &f->sample, 1);
    }
  if (m->input_kind == MH_INPUT_TOKENS)
    {
      GString *word = g_string_new (NULL);
      f->n_chars = t;
      f->chars = g_new0 (gunichar, t);
      for (int i = 0; i < t; i++)
        if ((f->chars[i] = mh_vocab_char (m->vocab, (int) m->x[i])) != 0 || m->x[i] == MH_TOKEN_UNKNOWN)
          {
            if (f->chars[i] == 0)
              f->chars[i] = 0xfffd;   /* unknown: the replacement character */
            g_string_append_unichar (word, f->chars[i]);
          }
      f->word = g_string_free (word, FALSE);
    }
  mh_model_forward (m, 1, FALSE, NULL);
  return TRUE;
}

int
mh_cli_render_sequence (const char *where, const MhCliSequenceOptions *opt)
{
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhDataset) schema = NULL;
  g_autoptr (MhSplits) data = NULL;
  Figure f = { 0 };
  GError *error = NULL;
  gboolean ok;

  ok = (p = mh_project_load (where, &error)) && (schema = mh_schema_new_at (&p->data, opt->data_dir, &error));
  if (ok)
    {
      /* saliency needs every gradient: nothing frozen (the weights are the file's) */
      p->backbone_frozen = FALSE;
      for (guint i = 0; i < p->backbone->len; i++)
        g_array_index (p->backbone, MhLayerSpec, i).frozen = FALSE;
      for (guint h = 0; h < p->heads->len; h++)
        g_array_index (p->heads, MhHeadSpec, h).frozen = FALSE;
      f.schema = schema;
      f.project = p->name;
      ok = (f.model = mh_model_new (p, schema, 1, where, &error)) && mh_model_load_weights (f.model, opt->weights, &error);
    }
  if (ok && f.model->input_kind != MH_INPUT_TOKENS)
    mh_model_keep_input_grad (f.model);
  ok = ok && set_input (&f, opt, &data, p, &error) && write_figure (&f, opt->out, &error);
  if (ok)
    g_printerr (_("%s of %s written to %s\n"),
                f.model->input_kind == MH_INPUT_TOKENS && mh_attention_layer (f.model, 0) ? "attention" : "saliency",
                f.word ? f.word : _("the test sample"), opt->out);
  mh_model_free (f.model);
  g_free (f.word);
  g_free (f.chars);
  return ok ? 0 : mh_cli_fail (error);
}
