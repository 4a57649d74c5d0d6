/* mh-attention-view.c — layers × heads of attention over one image, and
 * the rollout column (mh-attention-view.h).  The maps are copies from the
 * trainer's worker; the cells are cairo drawings of small surfaces. */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-format.h"
#include <string.h>
#include <adwaita.h>
#include "mh-heatmap.h"
#include "mh-file-chooser.h"
#include "mh-plot-theme.h"
#include "mh-fit-label.h"
#include "mh-attention-view.h"
#include "mh-wrap-bar.h"

#define MARGIN  12
#define GAP     8
#define HEADER  22
#define ROW_W   64

struct _MhAttentionView
{
  GtkWidget        parent_instance;

  GtkWidget       *box, *stack, *area, *empty, *fusion_drop, *opacity, *class_button, *title_label;
  MhAttentionInfo  info;
  int             *layer_heads;
  gsize           *offsets;     /* per layer: where its maps start */
  int              max_heads;
  float           *maps;
  float           *rollout;     /* n_layers × T × T: through layers 0..l */
  float           *x;
  MhShape          shape;
  int              query;
  MhHeadFusion     fusion;
  int              hover_layer, hover_head;
  MhPlotTheme      theme;
};

G_DEFINE_FINAL_TYPE (MhAttentionView, mh_attention_view, GTK_TYPE_WIDGET)

typedef struct {
  double image_x, image_y, image_side;
  double grid_x, grid_y, cell;
  int    cols;
} Geometry;

static gboolean
has_maps (MhAttentionView *self)
{
  return self->maps != NULL && self->info.grid_h > 0;
}

static void
layout (MhAttentionView *self, int width, int height, Geometry *g)
{
  int rows = MAX (1, self->info.n_layers);
  double avail_h = height - 2 * MARGIN - HEADER;

  g->cols = self->max_heads + 1;
  g->image_side = CLAMP (MIN (avail_h, width * 0.22), 60, 240);
  g->image_x = MARGIN;
  g->image_y = MARGIN + HEADER;
  g->grid_x = g->image_x + g->image_side + 24 + ROW_W;
  g->grid_y = MARGIN + HEADER;
  g->cell = MIN (avail_h / rows - GAP, (width - g->grid_x - MARGIN) / g->cols - GAP);
  g->cell = CLAMP (g->cell, 24, 220);
}

/* ---- the maps -------------------------------------------------------------------- */

static const float *
head_map (MhAttentionView *self, int layer, int head)
{
  gsize tt = (gsize) self->info.tokens * self->info.tokens;

  return head < 0 ? self->rollout + layer * tt : self->maps + self->offsets[layer] + head * tt;
}

/* The query's row of a T × T map (the mean of every row when the query is
 * the class token and there is none) into row[T]. */
static void
query_row (MhAttentionView *self, const float *map, float *row)
{
  int t = self->info.tokens;

  if (self->query >= 0 || self->info.has_class_token)
    {
      int q = self->query >= 0 ? self->info.first_patch + self->query : 0;
      memcpy (row, map + (gsize) q * t, sizeof (float) * t);
      return;
    }
  memset (row, 0, sizeof (float) * t);
  for (int q = 0; q < t; q++)
    for (int k = 0; k < t; k++)
      row[k] += map[(gsize) q * t + k] / t;
}

gboolean
mh_attention_view_cell_map (MhAttentionView *self, int layer, int head, float *out, int *n)
{
  int cells;
  g_autofree float *row = NULL;
  double sum = 0;

  g_return_val_if_fail (MH_IS_ATTENTION_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  cells = self->info.grid_h * self->info.grid_w;
  if (!has_maps (self) || layer < 0 || layer >= self->info.n_layers || head < -1
      || head >= self->layer_heads[layer])
    return FALSE;
  row = g_new (float, self->info.tokens);
  query_row (self, head_map (self, layer, head), row);
  for (int k = 0; k < cells; k++)
    sum += row[self->info.first_patch + k];
  for (int k = 0; k < cells; k++)
    out[k] = sum > 0 ? (float) (row[self->info.first_patch + k] / sum) : 1.0f / cells;
  if (n != NULL)
    *n = cells;
  return TRUE;
}

double
mh_attention_view_cell_entropy (MhAttentionView *self, int layer, int head)
{
  g_autofree float *row = NULL;

  g_return_val_if_fail (MH_IS_ATTENTION_VIEW (self), NAN);

  if (!has_maps (self) || layer < 0 || layer >= self->info.n_layers)
    return NAN;
  row = g_new (float, self->info.tokens);
  query_row (self, head_map (self, layer, head), row);
  return mh_entropy_bits (row, self->info.tokens);
}

static void
compute_rollout (MhAttentionView *self)
{
  int t = self->info.tokens, nl = self->info.n_layers;
  gsize tt = (gsize) t * t;
  g_autofree float *fused = g_new (float, nl * tt);

  g_free (self->rollout);
  self->rollout = g_new (float, nl * tt);
  for (int l = 0; l < nl; l++)
    {
      g_autofree const float **heads = g_new (const float *, self->layer_heads[l]);
      for (int h = 0; h < self->layer_heads[l]; h++)
        heads[h] = head_map (self, l, h);
      mh_attention_fuse_of (heads, self->layer_heads[l], tt, self->fusion, fused + l * tt);
      mh_attention_rollout_of (fused, l + 1, t, self->rollout + l * tt);
    }
}

/* ---- drawing ---------------------------------------------------------------------- */

/* text with its baseline near y: 80 % of its height above it */
static void
show_text (cairo_t *cr, const MhPlotTheme *theme, double x, double y, const char *s, double scale, gboolean bold,
           gboolean centred, double alpha)
{
  GdkRGBA ink = theme->fg;

  ink.alpha = (float) alpha;
  mh_plot_text (cr, theme, s, x, y, centred ? 0.5 : 0, 0.8, scale, bold, &ink, -1);
}

static void
outline_query (MhAttentionView *self, cairo_t *cr, double x, double y, double side)
{
  double p = side / MAX (self->info.grid_h, self->info.grid_w);

  if (self->query < 0)
    return;
  cairo_set_source_rgb (cr, 1.0, 0.35, 0.2);
  cairo_set_line_width (cr, 2);
  cairo_rectangle (cr, x + p * (self->query % self->info.grid_w) + 1, y + p * (self->query / self->info.grid_w) + 1,
                   p - 2, p - 2);
  cairo_stroke (cr);
}

static void
draw_cell (MhAttentionView *self, cairo_t *cr, cairo_surface_t *image, int layer, int head, double x, double y,
           double side, double opacity)
{
  int cells = self->info.grid_h * self->info.grid_w;
  g_autofree float *grid = g_new (float, cells);
  cairo_surface_t *heat;
  float max = 0;

  mh_attention_view_cell_map (self, layer, head, grid, NULL);
  for (int k = 0; k < cells; k++)
    max = MAX (max, grid[k]);
  heat = mh_heatmap_surface (grid, self->info.grid_w, self->info.grid_h, max);
  mh_paint_scaled (cr, image, x, y, side, 1.0);
  mh_paint_scaled (cr, heat, x, y, side, opacity);
  cairo_surface_destroy (heat);
  outline_query (self, cr, x, y, side);
}

static void
draw_view (cairo_t *cr, int width, int height, const MhPlotTheme *theme, gpointer data)
{
  MhAttentionView *self = data;
  double opacity = gtk_range_get_value (GTK_RANGE (self->opacity));
  static const char *const fusions[] = { N_("mean"), N_("max"), N_("min") };
  cairo_surface_t *image = mh_input_surface (self->x, self->shape);
  Geometry g;
  char label[64];

  layout (self, width, height, &g);
  show_text (cr, theme, g.image_x, MARGIN + 12, self->query < 0 ? _("query: the class token") : _("query: the patch in red"),
             0.9, TRUE, FALSE, 1);
  mh_paint_scaled (cr, image, g.image_x, g.image_y, g.image_side, 1.0);
  outline_query (self, cr, g.image_x, g.image_y, g.image_side);
  show_text (cr, theme, g.image_x, g.image_y + g.image_side + 16, _("click a patch to query it"), 0.82, FALSE, FALSE, 0.6);
  {
    cairo_pattern_t *bar = cairo_pattern_create_linear (g.image_x, 0, g.image_x + g.image_side, 0);
    for (int i = 0; i <= 16; i++)
      {
        double rgb[3];
        mh_viridis (i / 16.0, rgb);
        cairo_pattern_add_color_stop_rgb (bar, i / 16.0, rgb[0], rgb[1], rgb[2]);
      }
    cairo_rectangle (cr, g.image_x, g.image_y + g.image_side + 26, g.image_side, 8);
    cairo_set_source (cr, bar);
    cairo_fill (cr);
    cairo_pattern_destroy (bar);
    show_text (cr, theme, g.image_x, g.image_y + g.image_side + 48, _("low"), 0.82, FALSE, FALSE, 0.6);
    mh_plot_text (cr, theme, _("high"), g.image_x + g.image_side, g.image_y + g.image_side + 48, 1, 0.8, 0.82, FALSE,
                  &theme->dim, -1);
  }
  for (int h = 0; h < g.cols; h++)
    {
      double cx = g.grid_x + h * (g.cell + GAP) + g.cell / 2;
      if (h < self->max_heads)
        g_snprintf (label, sizeof label, _("head %d"), h + 1);
      else
        g_snprintf (label, sizeof label, _("rollout (%s)"), _(fusions[self->fusion]));
      show_text (cr, theme, cx, MARGIN + 12, label, 0.9, TRUE, TRUE, 1);
    }
  for (int l = 0; l < self->info.n_layers; l++)
    {
      double y = g.grid_y + l * (g.cell + GAP);
      g_snprintf (label, sizeof label, _("layer %d"), l + 1);
      show_text (cr, theme, g.grid_x - ROW_W, y + g.cell / 2 + 4, label, 0.9, TRUE, FALSE, 1);
      for (int h = 0; h < self->layer_heads[l]; h++)
        draw_cell (self, cr, image, l, h, g.grid_x + h * (g.cell + GAP), y, g.cell, opacity);
      draw_cell (self, cr, image, l, -1, g.grid_x + self->max_heads * (g.cell + GAP), y, g.cell, opacity);
      if (l == self->hover_layer && self->hover_head >= -1)
        {
          int col = self->hover_head < 0 ? self->max_heads : self->hover_head;
          cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
          cairo_set_line_width (cr, 2.5);
          cairo_rectangle (cr, g.grid_x + col * (g.cell + GAP) - 2, y - 2, g.cell + 4, g.cell + 4);
          cairo_stroke (cr);
        }
    }
  cairo_surface_destroy (image);
}

static void
draw_area (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  MhAttentionView *self = data;

  if (!has_maps (self))
    return;
  mh_plot_theme_update_for_widget (&self->theme, GTK_WIDGET (area));
  draw_view (cr, width, height, &self->theme, self);
}

/* The cell at (x, y): its layer and head (-1: rollout); FALSE: none. */
static gboolean
cell_at (MhAttentionView *self, double x, double y, int *layer, int *head)
{
  Geometry g;
  int col, row;

  layout (self, gtk_widget_get_width (self->area), gtk_widget_get_height (self->area), &g);
  col = (int) floor ((x - g.grid_x) / (g.cell + GAP));
  row = (int) floor ((y - g.grid_y) / (g.cell + GAP));
  if (x < g.grid_x || y < g.grid_y || col >= g.cols || row >= self->info.n_layers
      || x - g.grid_x - col * (g.cell + GAP) > g.cell || y - g.grid_y - row * (g.cell + GAP) > g.cell)
    return FALSE;
  if (col < self->max_heads && col >= self->layer_heads[row])
    return FALSE;
  *layer = row;
  *head = col == self->max_heads ? -1 : col;
  return TRUE;
}

static gboolean
query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, MhAttentionView *self)
{
  int layer, head;
  g_autofree char *text = NULL;
  g_autofree float *row = NULL;
  double h, share;

  if (!has_maps (self) || !cell_at (self, x, y, &layer, &head))
    return FALSE;
  row = g_new (float, self->info.tokens);
  query_row (self, head_map (self, layer, head), row);
  h = mh_entropy_bits (row, self->info.tokens);
  share = self->info.has_class_token ? row[0] : 0;
  if (head >= 0)
    text = mh_format (_("<b>Layer %d, head %d</b>\nentropy %.2f bits (uniform: %.2f)\n%.0f%% of the attention "
                            "on the class token"), layer + 1, head + 1, h, log2 (self->info.tokens), 100 * share);
  else
    text = mh_format (_("<b>Rollout through layers 1–%d</b>\nentropy %.2f bits (uniform: %.2f)"), layer + 1, h,
                            log2 (self->info.tokens));
  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

static void
motion (GtkEventControllerMotion *motion, double x, double y, MhAttentionView *self)
{
  int layer = -1, head = -2;

  if (!has_maps (self) || !cell_at (self, x, y, &layer, &head))
    layer = -1, head = -2;
  if (layer != self->hover_layer || head != self->hover_head)
    {
      self->hover_layer = layer;
      self->hover_head = head;
      gtk_widget_queue_draw (self->area);
    }
}

static void
pressed (GtkGestureClick *click, int n_press, double x, double y, MhAttentionView *self)
{
  Geometry g;
  int side, col, row;
  double p;

  if (!has_maps (self))
    return;
  layout (self, gtk_widget_get_width (self->area), gtk_widget_get_height (self->area), &g);
  side = MAX (self->info.grid_h, self->info.grid_w);
  p = g.image_side / side;
  col = (int) floor ((x - g.image_x) / p);
  row = (int) floor ((y - g.image_y) / p);
  if (col < 0 || row < 0 || col >= self->info.grid_w || row >= self->info.grid_h)
    return;
  mh_attention_view_set_query (self, row * self->info.grid_w + col == self->query ? -1
                                                                                   : row * self->info.grid_w + col);
}

/* ---- public API --------------------------------------------------------------------- */

static void
clear_maps (MhAttentionView *self)
{
  g_clear_pointer (&self->layer_heads, g_free);
  g_clear_pointer (&self->offsets, g_free);
  g_clear_pointer (&self->maps, g_free);
  g_clear_pointer (&self->rollout, g_free);
  g_clear_pointer (&self->x, g_free);
  memset (&self->info, 0, sizeof self->info);
  self->max_heads = 0;
}

void
mh_attention_view_set_maps (MhAttentionView *self, const MhProbeResult *r, const float *x, const char *title,
                            const char *status)
{
  gsize tt, total = 0;
  gboolean same_grid;

  if (r == NULL || !r->has_attention || r->info.grid_h == 0 || x == NULL)
    {
      clear_maps (self);
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty), status);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  same_grid = self->info.grid_h == r->info.grid_h && self->info.grid_w == r->info.grid_w;
  clear_maps (self);
  if (!same_grid)
    self->query = -1;
  self->info = r->info;
  self->shape = r->input;
  self->x = g_memdup2 (x, sizeof (float) * mh_shape_size (&r->input));
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
  compute_rollout (self);
  {
    g_autofree char *text = g_strdup_printf (_("%s — the model after step %d"), title, r->step);
    gtk_label_set_text (GTK_LABEL (self->title_label), text);
  }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "maps");
  gtk_widget_queue_draw (self->area);
}

void
mh_attention_view_set_query (MhAttentionView *self, int patch)
{
  g_return_if_fail (MH_IS_ATTENTION_VIEW (self));

  if (has_maps (self) && patch >= self->info.grid_h * self->info.grid_w)
    return;
  self->query = MAX (-1, patch);
  gtk_widget_set_sensitive (self->class_button, self->query >= 0);
  gtk_widget_queue_draw (self->area);
}

void
mh_attention_view_set_fusion (MhAttentionView *self, MhHeadFusion fusion)
{
  g_return_if_fail (MH_IS_ATTENTION_VIEW (self));

  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->fusion_drop)) != (guint) fusion)
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->fusion_drop), fusion);
      return;   /* the drop-down's notification comes back here */
    }
  self->fusion = fusion;
  if (self->maps != NULL)
    compute_rollout (self);
  gtk_widget_queue_draw (self->area);
}

void
mh_attention_view_get_grid (MhAttentionView *self, int *layers, int *heads)
{
  g_return_if_fail (MH_IS_ATTENTION_VIEW (self));
  g_return_if_fail (layers != NULL && heads != NULL);

  *layers = has_maps (self) ? self->info.n_layers : 0;
  *heads = has_maps (self) ? self->max_heads : 0;
}

gboolean
mh_attention_view_export (MhAttentionView *self, const char *path, GError **error)
{
  int height = 2 * MARGIN + HEADER + self->info.n_layers * (150 + GAP) + 10;
  int width = (int) (MARGIN + 220 + 24 + ROW_W + (self->max_heads + 1) * (150 + GAP) + MARGIN);

  g_return_val_if_fail (MH_IS_ATTENTION_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!has_maps (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There are no attention maps to export yet"));
      return FALSE;
    }
  mh_plot_theme_update_for_widget (&self->theme, self->area);
  return mh_plot_export_drawing (path, width, MAX (height, 2 * MARGIN + HEADER + 220 + 60), &self->theme, draw_view,
                                 self, error);
}

/* ---- building ------------------------------------------------------------------------ */

static gboolean
export_to (GtkWidget *widget, const char *path, GError **error)
{
  return mh_attention_view_export (MH_ATTENTION_VIEW (widget), path, error);
}

static void
export_clicked (MhAttentionView *self)
{
  mh_file_chooser_export (GTK_WIDGET (self), _("Export the Attention Grid (PNG, SVG or PDF)"), "attention.png",
                          export_to);
}

static void
fusion_chosen (MhAttentionView *self)
{
  mh_attention_view_set_fusion (self, (MhHeadFusion) gtk_drop_down_get_selected (GTK_DROP_DOWN (self->fusion_drop)));
}

static void
query_class_token (MhAttentionView *self)
{
  mh_attention_view_set_query (self, -1);
}

static GtkWidget *
tool_bar (MhAttentionView *self)
{
  GtkWidget *wrap = mh_wrap_bar_new ();
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *export = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  GtkWidget *label = gtk_label_new (_("Opacity"));
  GtkWidget *fusion_label = gtk_label_new (_("Rollout fuses heads by"));

  self->title_label = gtk_label_new ("");
  mh_fit_label (GTK_LABEL (self->title_label), PANGO_ELLIPSIZE_END, 1);
  gtk_widget_set_hexpand (self->title_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_widget_add_css_class (self->title_label, "heading");
  gtk_box_append (GTK_BOX (bar), self->title_label);
  self->class_button = gtk_button_new_with_label (_("Query the Class Token"));
  gtk_widget_set_tooltip_text (self->class_button, _("Show what the class token attends to (click a patch of the "
                               "image to query that patch)"));
  gtk_widget_set_sensitive (self->class_button, FALSE);
  g_signal_connect_swapped (self->class_button, "clicked", G_CALLBACK (query_class_token), self);
  gtk_box_append (GTK_BOX (bar), self->class_button);
  mh_fit_button_label (self->class_button);
  mh_wrap_bar_append (wrap, bar);
  gtk_widget_set_hexpand (bar, TRUE);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  mh_wrap_bar_append (wrap, bar);
  gtk_widget_add_css_class (fusion_label, "dim-label");
  gtk_widget_set_margin_start (fusion_label, 8);
  mh_fit_label (GTK_LABEL (fusion_label), PANGO_ELLIPSIZE_END, 1);
  mh_fit_label (GTK_LABEL (label), PANGO_ELLIPSIZE_END, 1);
  gtk_box_append (GTK_BOX (bar), fusion_label);
  self->fusion_drop = gtk_drop_down_new_from_strings ((const char *const[]) { _("mean"), _("max"), _("min"), NULL });
  g_signal_connect_swapped (self->fusion_drop, "notify::selected", G_CALLBACK (fusion_chosen), self);
  gtk_box_append (GTK_BOX (bar), self->fusion_drop);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 8);
  gtk_box_append (GTK_BOX (bar), label);
  self->opacity = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.05);
  gtk_range_set_value (GTK_RANGE (self->opacity), 0.65);
  gtk_widget_set_size_request (self->opacity, 120, -1);
  gtk_widget_set_tooltip_text (self->opacity, _("How much the heat map covers the image"));
  g_signal_connect_swapped (self->opacity, "value-changed", G_CALLBACK (gtk_widget_queue_draw), self->area);
  gtk_box_append (GTK_BOX (bar), self->opacity);
  gtk_widget_set_tooltip_text (export, _("Export the grid as PNG, SVG or PDF"));
  g_signal_connect_swapped (export, "clicked", G_CALLBACK (export_clicked), self);
  gtk_box_append (GTK_BOX (bar), export);
  gtk_widget_set_margin_start (wrap, 12);
  gtk_widget_set_margin_end (wrap, 12);
  gtk_widget_set_margin_bottom (wrap, 4);
  return wrap;
}

static void
mh_attention_view_dispose (GObject *object)
{
  MhAttentionView *self = MH_ATTENTION_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  mh_plot_theme_clear (&self->theme);
  G_OBJECT_CLASS (mh_attention_view_parent_class)->dispose (object);
}

static void
mh_attention_view_finalize (GObject *object)
{
  clear_maps (MH_ATTENTION_VIEW (object));
  G_OBJECT_CLASS (mh_attention_view_parent_class)->finalize (object);
}

static void
mh_attention_view_class_init (MhAttentionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_attention_view_dispose;
  object_class->finalize = mh_attention_view_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-attention-view");
}

static void
mh_attention_view_init (MhAttentionView *self)
{
  GtkEventController *move = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->query = -1;
  self->hover_layer = -1;
  self->hover_head = -2;
  self->area = gtk_drawing_area_new ();
  gtk_widget_set_vexpand (self->area, TRUE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->area), draw_area, self, NULL);
  gtk_widget_set_has_tooltip (self->area, TRUE);
  g_signal_connect (self->area, "query-tooltip", G_CALLBACK (query_tooltip), self);
  g_signal_connect (move, "motion", G_CALLBACK (motion), self);
  gtk_widget_add_controller (self->area, move);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (self->area, GTK_EVENT_CONTROLLER (click));

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
  gtk_stack_add_named (GTK_STACK (self->stack), self->area, "maps");
  gtk_widget_set_name (self->stack, "attention-stack");   /* names for lessons (docs/lessons.md) */
  gtk_widget_set_name (self->area, "attention-maps");
  gtk_widget_set_name (self->fusion_drop, "attention-fusion");
  gtk_box_append (GTK_BOX (self->box), self->stack);
}

GtkWidget *
mh_attention_view_new (void)
{
  return g_object_new (MH_TYPE_ATTENTION_VIEW, NULL);
}
