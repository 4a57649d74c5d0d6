/* mh-head-view.c — BertViz's head view of one word (mh-head-view.h): the
 * maps are copies from the trainer's worker; the panels are cairo lines
 * and Pango text on a drawing area sized to the word, in a scrolled
 * window. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <adwaita.h>
#include "mh-file-chooser.h"
#include "mh-head-view.h"
#include "mh-heatmap.h"
#include "mh-plot-theme.h"
#include "mh-wrap-bar.h"

#define MARGIN    12
#define LABEL_W   64
#define HEADER    22
#define PANEL_W   160
#define GAP       16
#define ROW_H     16
#define TEXT_W    40
#define STRIP_H   10
#define CELL_W    30
#define WORD_H    76

/* the attention heads' colours (not the prediction heads'): Tableau's, as BertViz */
static const double head_rgb[][3] = {
  { 0.58, 0.40, 0.74 }, { 0.55, 0.34, 0.29 }, { 0.89, 0.47, 0.76 }, { 0.74, 0.74, 0.13 },
  { 0.09, 0.75, 0.81 }, { 0.12, 0.47, 0.71 }, { 1.0, 0.50, 0.05 }, { 0.17, 0.63, 0.17 },
};

struct _MhHeadView
{
  GtkWidget        parent_instance;

  GtkWidget       *box, *stack, *scroll, *area, *empty, *title_label, *fusion_drop;
  MhAttentionInfo  info;
  int             *layer_heads;
  gsize           *offsets;       /* per layer: where its maps start */
  int              max_heads;
  float           *maps;          /* layer by layer, head by head, T × T */
  int             *drawn;         /* the model's token of each drawn token */
  char           **text;          /* the drawn tokens' text, NULL-terminated */
  int              n_drawn;
  int              first_char;    /* the drawn index of the first character: 1 after a class token */
  float           *rollout;       /* n_drawn − first_char: the class token's attention, rolled out */
  MhHeadFusion     fusion;
  int              hover;
  int              drawn_lines;
  int              step;          /* of the maps shown, -1 */
  MhPlotTheme      theme;
};

G_DEFINE_FINAL_TYPE (MhHeadView, mh_head_view, GTK_TYPE_WIDGET)

static gboolean
has_maps (MhHeadView *self)
{
  return self->maps != NULL && self->n_drawn > 0;
}

static int
n_chars (MhHeadView *self)
{
  return self->n_drawn - self->first_char;
}

static double
panel_height (MhHeadView *self)
{
  return self->n_drawn * ROW_H + 6 + STRIP_H;
}

static void
panel_origin (MhHeadView *self, int layer, int head, double *x, double *y)
{
  *x = MARGIN + LABEL_W + head * (PANEL_W + GAP);
  *y = MARGIN + HEADER + layer * (panel_height (self) + GAP);
}

static double
word_top (MhHeadView *self)
{
  return MARGIN + HEADER + self->info.n_layers * (panel_height (self) + GAP) + 8;
}

static void
content_size (MhHeadView *self, int *width, int *height)
{
  *width = (int) (MARGIN + LABEL_W + MAX (self->max_heads * (PANEL_W + GAP), n_chars (self) * CELL_W + 40) + MARGIN);
  *height = (int) (word_top (self) + WORD_H + MARGIN);
}

/* ---- the maps ---------------------------------------------------------------------------- */

static const float *
head_map (MhHeadView *self, int layer, int head)
{
  return self->maps + self->offsets[layer] + (gsize) head * self->info.tokens * self->info.tokens;
}

gboolean
mh_head_view_get_row (MhHeadView *self, int layer, int head, int query, float *out, int *n)
{
  const float *map;
  int t;

  g_return_val_if_fail (MH_IS_HEAD_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!has_maps (self) || layer < 0 || layer >= self->info.n_layers || head < 0 || head >= self->layer_heads[layer]
      || query < 0 || query >= self->n_drawn)
    return FALSE;
  map = head_map (self, layer, head);
  t = self->info.tokens;
  for (int k = 0; k < self->n_drawn; k++)
    out[k] = map[(gsize) self->drawn[query] * t + self->drawn[k]];
  if (n != NULL)
    *n = self->n_drawn;
  return TRUE;
}

/* The rollout through every layer, its class token's row over the
 * characters (the mean of the characters' rows without a class token). */
static void
compute_rollout (MhHeadView *self)
{
  int t = self->info.tokens, nl = self->info.n_layers;
  gsize tt = (gsize) t * t;
  g_autofree float *fused = g_new (float, nl * tt);
  g_autofree float *r = g_new (float, tt);

  for (int l = 0; l < nl; l++)
    {
      g_autofree const float **heads = g_new (const float *, self->layer_heads[l]);
      for (int h = 0; h < self->layer_heads[l]; h++)
        heads[h] = head_map (self, l, h);
      mh_attention_fuse_of (heads, self->layer_heads[l], tt, self->fusion, fused + l * tt);
    }
  mh_attention_rollout_of (fused, nl, t, r);
  g_free (self->rollout);
  self->rollout = g_new0 (float, MAX (1, n_chars (self)));
  for (int c = 0; c < n_chars (self); c++)
    {
      int key = self->drawn[self->first_char + c];
      if (self->info.has_class_token)
        self->rollout[c] = r[key];   /* row 0: the class token */
      else
        for (int q = 0; q < n_chars (self); q++)
          self->rollout[c] += r[(gsize) self->drawn[q] * t + key] / n_chars (self);
    }
}

/* ---- drawing ---------------------------------------------------------------------------- */

static void
heat_cell (cairo_t *cr, double x, double y, double w, double h, double v)
{
  double rgb[3];

  mh_viridis (CLAMP (v, 0, 1), rgb);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
}

static void
draw_panel (MhHeadView *self, cairo_t *cr, const MhPlotTheme *theme, int layer, int head, double x, double y)
{
  g_autofree float *row = g_new (float, self->n_drawn);
  const double *rgb = head_rgb[head % G_N_ELEMENTS (head_rgb)];
  double lx = x + TEXT_W + 4, rx = x + PANEL_W - TEXT_W - 4;
  float strip_max = 0;

  for (int i = 0; i < self->n_drawn; i++)
    {
      double ty = y + (i + 0.5) * ROW_H;
      GdkRGBA ink = i < self->first_char ? theme->dim : theme->fg;
      gboolean hot = i == self->hover;
      ink.alpha = self->hover < 0 || hot ? ink.alpha : ink.alpha * 0.45f;
      mh_plot_text (cr, theme, self->text[i], x + TEXT_W, ty, 1, 0.5, 0.9, hot, &ink, TEXT_W);
      mh_plot_text (cr, theme, self->text[i], x + PANEL_W - TEXT_W, ty, 0, 0.5, 0.9, FALSE, &theme->fg, TEXT_W);
    }
  cairo_set_line_width (cr, self->hover >= 0 ? 2 : 1.5);
  for (int q = 0; q < self->n_drawn; q++)
    {
      if (self->hover >= 0 && q != self->hover)
        continue;
      mh_head_view_get_row (self, layer, head, q, row, NULL);
      for (int k = 0; k < self->n_drawn; k++)
        {
          if (row[k] < 0.005f)
            continue;
          cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], CLAMP (row[k], 0, 1));
          cairo_move_to (cr, lx, y + (q + 0.5) * ROW_H);
          cairo_line_to (cr, rx, y + (k + 0.5) * ROW_H);
          cairo_stroke (cr);
          self->drawn_lines++;
        }
    }
  /* the class token's attention to each character, as a strip */
  if (self->first_char > 0 && n_chars (self) > 0)
    {
      double cw = (PANEL_W - 8.0) / n_chars (self), sy = y + self->n_drawn * ROW_H + 6;
      mh_head_view_get_row (self, layer, head, 0, row, NULL);
      for (int c = 0; c < n_chars (self); c++)
        strip_max = MAX (strip_max, row[self->first_char + c]);
      for (int c = 0; c < n_chars (self); c++)
        heat_cell (cr, x + 4 + c * cw, sy, cw, STRIP_H, strip_max > 0 ? row[self->first_char + c] / strip_max : 0);
    }
}

static void
draw_word (MhHeadView *self, cairo_t *cr, const MhPlotTheme *theme)
{
  static const char *const fusions[] = { N_("mean"), N_("max"), N_("min") };
  double y = word_top (self), x = MARGIN + LABEL_W;
  float max = 0;
  g_autofree char *caption = NULL;

  caption = g_strdup_printf (_("The class token’s attention through layers 1–%d (rollout, heads fused by %s)"),
                             self->info.n_layers, _(fusions[self->fusion]));
  if (self->first_char == 0)
    caption = (g_free (caption), g_strdup_printf (_("The attention each character gets through layers 1–%d "
                                                    "(rollout, heads fused by %s)"),
                                                  self->info.n_layers, _(fusions[self->fusion])));
  mh_plot_text (cr, theme, caption, x, y + 8, 0, 0.5, 0.9, TRUE, &theme->fg, -1);
  for (int c = 0; c < n_chars (self); c++)
    max = MAX (max, self->rollout[c]);
  for (int c = 0; c < n_chars (self); c++)
    {
      gboolean hot = self->first_char + c == self->hover;
      double cx = x + c * CELL_W;
      mh_plot_text (cr, theme, self->text[self->first_char + c], cx + CELL_W / 2.0, y + 34, 0.5, 0.5, 1.5, hot,
                    &theme->fg, CELL_W);
      heat_cell (cr, cx + 1, y + 50, CELL_W - 2, 14, max > 0 ? self->rollout[c] / max : 0);
    }
}

static void
draw_view (cairo_t *cr, int width, int height, const MhPlotTheme *theme, gpointer data)
{
  MhHeadView *self = data;
  char label[64];

  self->drawn_lines = 0;
  for (int h = 0; h < self->max_heads; h++)
    {
      double x, y;
      panel_origin (self, 0, h, &x, &y);
      g_snprintf (label, sizeof label, _("head %d"), h + 1);
      mh_plot_text (cr, theme, label, x + PANEL_W / 2.0, MARGIN + 8, 0.5, 0.5, 0.9, TRUE, &theme->fg, PANEL_W);
    }
  for (int l = 0; l < self->info.n_layers; l++)
    {
      double x, y;
      panel_origin (self, l, 0, &x, &y);
      g_snprintf (label, sizeof label, _("layer %d"), l + 1);
      mh_plot_text (cr, theme, label, MARGIN, y + panel_height (self) / 2, 0, 0.5, 0.9, TRUE, &theme->fg, LABEL_W);
      for (int h = 0; h < self->layer_heads[l]; h++)
        {
          panel_origin (self, l, h, &x, &y);
          draw_panel (self, cr, theme, l, h, x, y);
        }
    }
  draw_word (self, cr, theme);
}

static void
draw_area (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  MhHeadView *self = data;

  if (!has_maps (self))
    return;
  mh_plot_theme_update_for_widget (&self->theme, GTK_WIDGET (area));
  draw_view (cr, width, height, &self->theme, self);
}

/* The drawn token under (x, y): a character on a panel's left or on the
 * word below; -1: none. */
static int
token_at (MhHeadView *self, double x, double y)
{
  double wy = word_top (self);

  if (!has_maps (self))
    return -1;
  if (y >= wy + 20 && y < wy + WORD_H && x >= MARGIN + LABEL_W)
    {
      int c = (int) floor ((x - MARGIN - LABEL_W) / CELL_W);
      return c < n_chars (self) ? self->first_char + c : -1;
    }
  for (int l = 0; l < self->info.n_layers; l++)
    for (int h = 0; h < self->layer_heads[l]; h++)
      {
        double px, py;
        panel_origin (self, l, h, &px, &py);
        if (x >= px && x < px + TEXT_W + 4 && y >= py && y < py + self->n_drawn * ROW_H)
          return (int) ((y - py) / ROW_H);
      }
  return -1;
}

static void
motion (GtkEventControllerMotion *motion, double x, double y, MhHeadView *self)
{
  int t = token_at (self, x, y);

  if (t != self->hover)
    mh_head_view_set_hover (self, t);
}

static void
leave (GtkEventControllerMotion *motion, MhHeadView *self)
{
  mh_head_view_set_hover (self, -1);
}

/* ---- public API ---------------------------------------------------------------------------- */

static void
clear_maps (MhHeadView *self)
{
  g_clear_pointer (&self->layer_heads, g_free);
  g_clear_pointer (&self->offsets, g_free);
  g_clear_pointer (&self->maps, g_free);
  g_clear_pointer (&self->drawn, g_free);
  g_clear_pointer (&self->text, g_strfreev);
  g_clear_pointer (&self->rollout, g_free);
  memset (&self->info, 0, sizeof self->info);
  self->max_heads = self->n_drawn = self->first_char = 0;
  self->step = -1;
}

void
mh_head_view_set_maps (MhHeadView *self, const MhProbeResult *r, const float *x, const MhVocab *vocab,
                       const char *title, const char *status)
{
  gsize tt, total = 0;
  int t_in, width, height;
  g_autofree char *old = NULL;
  g_autofree gunichar *word = NULL;
  glong word_at = -1;
  GPtrArray *text;

  g_return_if_fail (MH_IS_HEAD_VIEW (self));

  /* the same word again (a live update): the hovered character stays */
  old = self->text != NULL ? g_strjoinv ("", self->text) : NULL;
  if (r == NULL || !r->has_attention || x == NULL || r->input.rank != 1 || vocab == NULL)
    {
      clear_maps (self);
      self->hover = -1;
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty), status);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  clear_maps (self);
  self->info = r->info;
  self->step = r->step;
  t_in = r->input.dim[0];
  tt = (gsize) r->info.tokens * r->info.tokens;
  self->layer_heads = g_memdup2 (r->layer_heads, sizeof (int) * r->info.n_layers);
  self->offsets = g_new (gsize, r->info.n_layers);
  for (int l = 0; l < r->info.n_layers; l++)
    {
      self->offsets[l] = total;
      total += r->layer_heads[l] * tt;
      self->max_heads = MAX (self->max_heads, r->layer_heads[l]);
    }
  self->maps = g_memdup2 (r->maps, sizeof (float) * total);
  /* the tokens drawn: the class token, then the characters (padding left out) */
  self->drawn = g_new (int, r->info.tokens);
  text = g_ptr_array_new ();
  if (r->info.has_class_token)
    {
      self->drawn[self->n_drawn++] = 0;
      g_ptr_array_add (text, g_strdup ("[CLS]"));
      self->first_char = 1;
    }
  /* a character the vocabulary lacks is shown as typed: the title is the
   * word, whose last characters the model reads */
  {
    int real = 0;
    glong len = 0;
    for (int i = 0; i < t_in; i++)
      real += (int) x[i] != MH_TOKEN_PADDING;
    word = title != NULL ? g_utf8_to_ucs4_fast (title, -1, &len) : NULL;
    word_at = len >= real ? len - real : -1;
  }
  for (int i = 0; i < t_in && self->info.first_patch + i < r->info.tokens; i++)
    {
      int id = (int) x[i];
      gunichar c;
      char buf[8];
      if (id == MH_TOKEN_PADDING)
        continue;
      c = id == MH_TOKEN_UNKNOWN ? (word_at >= 0 ? word[word_at] : 0) : mh_vocab_char (vocab, id);
      if (word_at >= 0)
        word_at++;
      buf[c != 0 ? g_unichar_to_utf8 (c, buf) : 0] = '\0';
      self->drawn[self->n_drawn++] = self->info.first_patch + i;
      g_ptr_array_add (text, g_strdup (c != 0 ? buf : "?"));
    }
  g_ptr_array_add (text, NULL);
  self->text = (char **) g_ptr_array_free (text, FALSE);
  {
    g_autofree char *now = g_strjoinv ("", self->text);
    if (g_strcmp0 (now, old) != 0 || self->hover >= self->n_drawn)
      self->hover = -1;
  }
  compute_rollout (self);
  content_size (self, &width, &height);
  gtk_widget_set_size_request (self->area, width, height);
  {
    g_autofree char *label = g_strdup_printf (_("%s — the model after step %d: every head’s attention from each "
                                                "character (left) to each (right)"),
                                              title != NULL ? title : "", r->step);
    gtk_label_set_text (GTK_LABEL (self->title_label), label);
  }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "maps");
  gtk_widget_queue_draw (self->area);
}

void
mh_head_view_get_grid (MhHeadView *self, int *layers, int *heads)
{
  g_return_if_fail (MH_IS_HEAD_VIEW (self));
  g_return_if_fail (layers != NULL && heads != NULL);

  *layers = has_maps (self) ? self->info.n_layers : 0;
  *heads = has_maps (self) ? self->max_heads : 0;
}

int
mh_head_view_get_tokens (MhHeadView *self, const char *const **text)
{
  g_return_val_if_fail (MH_IS_HEAD_VIEW (self), 0);

  if (text != NULL)
    *text = (const char *const *) self->text;
  return self->n_drawn;
}

gboolean
mh_head_view_get_rollout (MhHeadView *self, float *out, int *n)
{
  g_return_val_if_fail (MH_IS_HEAD_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!has_maps (self))
    return FALSE;
  memcpy (out, self->rollout, sizeof (float) * n_chars (self));
  if (n != NULL)
    *n = n_chars (self);
  return TRUE;
}

void
mh_head_view_set_fusion (MhHeadView *self, MhHeadFusion fusion)
{
  g_return_if_fail (MH_IS_HEAD_VIEW (self));

  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->fusion_drop)) != (guint) fusion)
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->fusion_drop), fusion);
      return;   /* the drop-down's notification comes back here */
    }
  self->fusion = fusion;
  if (has_maps (self))
    compute_rollout (self);
  gtk_widget_queue_draw (self->area);
}

void
mh_head_view_set_hover (MhHeadView *self, int token)
{
  g_return_if_fail (MH_IS_HEAD_VIEW (self));

  self->hover = token >= 0 && token < self->n_drawn ? token : -1;
  gtk_widget_queue_draw (self->area);
}


int
mh_head_view_get_step (MhHeadView *self)
{
  g_return_val_if_fail (MH_IS_HEAD_VIEW (self), -1);
  return self->step;
}

int
mh_head_view_get_drawn_lines (MhHeadView *self)
{
  g_return_val_if_fail (MH_IS_HEAD_VIEW (self), 0);
  return self->drawn_lines;
}

gboolean
mh_head_view_export (MhHeadView *self, const char *path, GError **error)
{
  int width, height;

  g_return_val_if_fail (MH_IS_HEAD_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!has_maps (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There are no attention heads to export yet"));
      return FALSE;
    }
  content_size (self, &width, &height);
  mh_plot_theme_update_for_widget (&self->theme, self->area);
  return mh_plot_export_drawing (path, width, height, &self->theme, draw_view, self, error);
}

/* ---- building ------------------------------------------------------------------------------ */

static gboolean
export_to (GtkWidget *widget, const char *path, GError **error)
{
  return mh_head_view_export (MH_HEAD_VIEW (widget), path, error);
}

static void
export_clicked (MhHeadView *self)
{
  mh_file_chooser_export (GTK_WIDGET (self), _("Export the Attention Heads (PNG, SVG or PDF)"), "heads.png",
                          export_to);
}

static void
fusion_chosen (MhHeadView *self)
{
  mh_head_view_set_fusion (self, (MhHeadFusion) gtk_drop_down_get_selected (GTK_DROP_DOWN (self->fusion_drop)));
}

static GtkWidget *
tool_bar (MhHeadView *self)
{
  GtkWidget *wrap = mh_wrap_bar_new ();
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *export = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  GtkWidget *fusion_label = gtk_label_new (_("Rollout fuses heads by"));
  const char *fusions[] = { _("mean"), _("max"), _("min"), NULL };

  self->title_label = gtk_label_new ("");
  gtk_label_set_ellipsize (GTK_LABEL (self->title_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->title_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_widget_add_css_class (self->title_label, "heading");
  gtk_box_append (GTK_BOX (bar), self->title_label);
  gtk_widget_set_hexpand (bar, TRUE);
  mh_wrap_bar_append (wrap, bar);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  mh_wrap_bar_append (wrap, bar);
  gtk_widget_add_css_class (fusion_label, "dim-label");
  gtk_box_append (GTK_BOX (bar), fusion_label);
  self->fusion_drop = gtk_drop_down_new_from_strings (fusions);
  g_signal_connect_swapped (self->fusion_drop, "notify::selected", G_CALLBACK (fusion_chosen), self);
  gtk_box_append (GTK_BOX (bar), self->fusion_drop);
  gtk_widget_set_tooltip_text (export, _("Export the heads as PNG, SVG or PDF"));
  g_signal_connect_swapped (export, "clicked", G_CALLBACK (export_clicked), self);
  gtk_box_append (GTK_BOX (bar), export);
  gtk_widget_set_margin_start (wrap, 12);
  gtk_widget_set_margin_end (wrap, 12);
  gtk_widget_set_margin_bottom (wrap, 4);
  return wrap;
}

static void
mh_head_view_dispose (GObject *object)
{
  MhHeadView *self = MH_HEAD_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  mh_plot_theme_clear (&self->theme);
  G_OBJECT_CLASS (mh_head_view_parent_class)->dispose (object);
}

static void
mh_head_view_finalize (GObject *object)
{
  clear_maps (MH_HEAD_VIEW (object));
  G_OBJECT_CLASS (mh_head_view_parent_class)->finalize (object);
}

static void
mh_head_view_class_init (MhHeadViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_head_view_dispose;
  object_class->finalize = mh_head_view_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-head-view");
}

static void
mh_head_view_init (MhHeadView *self)
{
  GtkEventController *move = gtk_event_controller_motion_new ();

  self->hover = -1;
  self->step = -1;
  self->area = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->area), draw_area, self, NULL);
  g_signal_connect (move, "motion", G_CALLBACK (motion), self);
  g_signal_connect (move, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (self->area, move);
  self->scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroll), self->area);
  gtk_widget_set_vexpand (self->scroll, TRUE);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_box_append (GTK_BOX (self->box), tool_bar (self));
  self->empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "view-grid-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("Attention heads"));
  gtk_widget_add_css_class (self->empty, "compact");
  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), self->empty, "empty");
  gtk_stack_add_named (GTK_STACK (self->stack), self->scroll, "maps");
  gtk_widget_set_name (self->area, "head-view-panels");   /* names for lessons (docs/lessons.md) */
  gtk_widget_set_name (self->fusion_drop, "head-view-fusion");
  gtk_box_append (GTK_BOX (self->box), self->stack);
}

GtkWidget *
mh_head_view_new (void)
{
  return g_object_new (MH_TYPE_HEAD_VIEW, NULL);
}
