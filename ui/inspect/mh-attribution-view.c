/* mh-attribution-view.c — every head's map over one input, side by side
 * (mh-attribution-view.h).  The tiles are cairo drawings of small surfaces
 * on a GtkDrawingArea; the layout picks the rows that give the largest
 * tiles. */
#include <glib/gi18n.h>
#include "mh-drop-down.h"
#include "mh-format.h"
#include <math.h>
#include <string.h>
#include "mh-attribution-private.h"
#include "mh-fit-label.h"
#include "mh-file-chooser.h"
#include "mh-heatmap.h"
#include "mh-plot-theme.h"
#include "mh-teach.h"

#define MARGIN   10
#define GAP      10
#define ABOVE    34     /* the head's name and answer */
#define BELOW    16     /* the method and layer */
#define MIN_TILE 48
#define OPACITY  0.6

struct _MhAttributionView
{
  GtkWidget           parent_instance;

  GtkWidget          *box, *stack, *area, *empty, *method_drop, *title_label, *revealer, *arrow;
  gboolean            compact;
  gboolean            expanded;    /* the tiles are shown (not folded away) */
  MhProbeAttribution *result;
  MhAttributionMethod method;
  int                 hover;       /* the tile under the pointer: 0 the input, 1… the maps; -1 */
  MhPlotTheme         theme;
  char               *word;        /* a word's maps: the word (the title) */
  char              **channels;    /* signals: the channels' names */
};

G_DEFINE_FINAL_TYPE (MhAttributionView, mh_attribution_view, GTK_TYPE_WIDGET)

enum { METHOD_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];
enum { PROP_0, PROP_EXPANDED, N_PROPS };
static GParamSpec *props[N_PROPS];

/* The menu's order is the enum's. */
static const char *const method_labels[] = {
  N_("Automatic"), N_("Grad-CAM"), N_("Attention rollout"), N_("Gradient × input"), NULL,
};

typedef struct {
  double tile;
  int    cols, rows;
} Layout;

static int
n_tiles (MhAttributionView *self)
{
  return self->result != NULL ? 1 + self->result->attribution->n_maps : 0;
}

/* The rows (1 to 3) that give the largest tiles in width × height. */
static void
layout (MhAttributionView *self, int width, int height, Layout *l)
{
  int n = MAX (1, n_tiles (self));
  double max_tile = self->compact ? 110 : 240;

  l->tile = 0;
  for (int rows = 1; rows <= 3; rows++)
    {
      int cols = (n + rows - 1) / rows;
      double by_w = (width - 2.0 * MARGIN - (cols - 1) * GAP) / cols;
      double by_h = (height - 2.0 * MARGIN - rows * (ABOVE + BELOW) - (rows - 1) * GAP) / rows;
      double tile = MIN (MIN (by_w, by_h), max_tile);
      if (tile > l->tile + 0.5)
        l->tile = tile, l->cols = cols, l->rows = rows;
    }
  l->tile = MAX (l->tile, MIN_TILE);
}

static void
tile_origin (const Layout *l, int i, double *x, double *y)
{
  *x = MARGIN + (i % l->cols) * (l->tile + GAP);
  *y = MARGIN + ABOVE + (i / l->cols) * (l->tile + ABOVE + BELOW + GAP);
}

/* ---- words ------------------------------------------------------------------------ */

static const char *
method_name (MhAttributionMethod m)
{
  return m == MH_ATTRIBUTION_GRAD_CAM ? _("Grad-CAM")
       : m == MH_ATTRIBUTION_GRAD_ROLLOUT ? _("Attention rollout") : _("Gradient × input");
}

static const char *
method_explained (MhAttributionMethod m)
{
  return m == MH_ATTRIBUTION_GRAD_CAM
         ? _("the layer’s channels, each weighted by the mean gradient of the answer on it")
         : m == MH_ATTRIBUTION_GRAD_ROLLOUT
         ? _("attention weighted by its gradient, rolled out through the blocks (Chefer et al., 2021)")
         : _("each input value times the gradient of the answer on it");
}

/* "Sneaker 97%", "filled 88%", "x0 0.31". */
char *
_mh_attribution_answer_text (const MhProbeAttribution *r, const MhAttributionMap *map)
{
  static const char *const box_names[] = { "x0", "y0", "x1", "y1" };
  const MhProbeHead *head = &r->heads[map->head];

  if (head->names != NULL && map->output < (int) g_strv_length (head->names))
    return mh_format ("%s %.0f%%", head->names[map->output], 100 * map->value);
  if (head->box && map->output < 4)
    return mh_format ("%s %.2f", box_names[map->output], map->value);
  return mh_format (_("output %d: %.3g"), map->output + 1, map->value);
}

/* ---- drawing ---------------------------------------------------------------------- */

static void
draw_heat (cairo_t *cr, const MhAttributionMap *map, double x, double y, double side)
{
  cairo_surface_t *heat = mh_heatmap_surface (map->map, map->cols, map->rows, 1.0f);
  double w = side, h = side, cx, cy;
  int cell;

  mh_paint_smooth (cr, heat, x, y, side, OPACITY);
  cairo_surface_destroy (heat);
  if (map->peak <= 0)
    return;
  /* the grid is drawn fitted into the square like the image */
  if (map->cols > map->rows)
    h = side * map->rows / map->cols;
  else
    w = side * map->cols / map->rows;
  cell = mh_attribution_peak_cell (map);
  cx = x + (side - w) / 2 + (cell % map->cols + 0.5) * w / map->cols;
  cy = y + (side - h) / 2 + (cell / map->cols + 0.5) * h / map->rows;
  for (int pass = 0; pass < 2; pass++)
    {
      cairo_set_source_rgb (cr, pass, pass, pass);
      cairo_set_line_width (cr, pass ? 1.5 : 3.5);
      cairo_arc (cr, cx, cy, MAX (4, side / 22), 0, 2 * G_PI);
      cairo_stroke (cr);
    }
}

static void
draw_tiles (cairo_t *cr, int width, int height, const MhPlotTheme *theme, gpointer data)
{
  MhAttributionView *self = data;
  const MhProbeAttribution *r = self->result;
  gboolean image = r->input.rank == 3;
  cairo_surface_t *input = image ? mh_input_surface (r->x, r->input) : NULL;
  Layout l;

  layout (self, width, height, &l);
  for (int i = 0; i < n_tiles (self); i++)
    {
      const MhAttributionMap *map = i > 0 ? &r->attribution->maps[i - 1] : NULL;
      double x, y, cx;
      tile_origin (&l, i, &x, &y);
      cx = x + l.tile / 2;
      if (map == NULL)
        mh_plot_text (cr, theme, _("input"), cx, y - 23, 0.5, 0.5, 0.95, TRUE, &theme->fg, (int) l.tile + GAP);
      else
        {
          g_autofree char *answer = _mh_attribution_answer_text (r, map);
          g_autofree char *below = g_strdup_printf ("%s · %s", method_name (map->method), map->layer);
          int w;
          mh_plot_text_size (theme, below, 0.78, FALSE, &w, NULL);
          if (w > l.tile + GAP)   /* the method is in the title too */
            {
              g_free (below);
              below = g_strdup (map->layer);
            }
          mh_plot_text (cr, theme, r->heads[map->head].name, cx, y - 23, 0.5, 0.5, 0.95, TRUE, &theme->fg,
                        (int) l.tile + GAP);
          mh_plot_text (cr, theme, answer, cx, y - 8, 0.5, 0.5, 0.85, FALSE, &theme->fg, (int) l.tile + GAP);
          mh_plot_text (cr, theme, below, cx, y + l.tile + 9, 0.5, 0.5, 0.78, FALSE, &theme->dim,
                        (int) l.tile + GAP);
        }
      if (input != NULL)
        mh_paint_scaled (cr, input, x, y, l.tile, 1.0);
      else
        mh_plot_fill_rect (cr, x, y, l.tile, l.tile, 0, &theme->grid);
      if (map != NULL)
        draw_heat (cr, map, x, y, l.tile);
      if (i == self->hover)
        {
          cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
          cairo_set_line_width (cr, 2.5);
          cairo_rectangle (cr, x - 2, y - 2, l.tile + 4, l.tile + 4);
          cairo_stroke (cr);
        }
    }
  if (input != NULL)
    cairo_surface_destroy (input);
}

static void
draw_area (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  MhAttributionView *self = data;

  if (self->result == NULL)
    return;
  mh_plot_theme_update_for_widget (&self->theme, GTK_WIDGET (area));
  if (_mh_attribution_is_sequence (self->result))
    _mh_attribution_sequence_draw (cr, &self->theme, self->result, self->word, self->channels, width, self->compact,
                                   self->hover - 1);
  else
    draw_tiles (cr, width, height, &self->theme, self);
}

/* The tile at (x, y), or -1. */
static int
tile_at (MhAttributionView *self, double x, double y)
{
  Layout l;

  if (self->result == NULL)
    return -1;
  if (_mh_attribution_is_sequence (self->result))
    return 1 + _mh_attribution_sequence_at (self->result, gtk_widget_get_width (self->area), self->compact, x, y);
  layout (self, gtk_widget_get_width (self->area), gtk_widget_get_height (self->area), &l);
  for (int i = 0; i < n_tiles (self); i++)
    {
      double tx, ty;
      tile_origin (&l, i, &tx, &ty);
      if (x >= tx && x < tx + l.tile && y >= ty - ABOVE && y < ty + l.tile + BELOW)
        return i;
    }
  return -1;
}

static gboolean
query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, MhAttributionView *self)
{
  int i = tile_at (self, x, y);
  const MhAttributionMap *map;
  g_autofree char *answer = NULL, *text = NULL;

  if (i <= 0)
    return FALSE;
  map = &self->result->attribution->maps[i - 1];
  answer = _mh_attribution_answer_text (self->result, map);
  text = g_markup_printf_escaped (_("<b>%s: %s</b>\n%s on %s (%d × %d): %s.\nOnly what raises the answer counts; "
                                   "scaled to its own maximum (ringed)."),
                                  self->result->heads[map->head].name, answer, method_name (map->method), map->layer,
                                  map->rows, map->cols, method_explained (map->method));
  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

static void
motion (GtkEventControllerMotion *motion, double x, double y, MhAttributionView *self)
{
  int i = tile_at (self, x, y);

  if (i != self->hover)
    {
      self->hover = i;
      gtk_widget_queue_draw (self->area);
    }
}

static void
leave (GtkEventControllerMotion *motion, MhAttributionView *self)
{
  if (self->hover != -1)
    {
      self->hover = -1;
      gtk_widget_queue_draw (self->area);
    }
}

/* ---- public API --------------------------------------------------------------------- */

void
mh_attribution_view_set_result (MhAttributionView *self, const MhProbeAttribution *r, const char *title,
                                const char *status)
{
  g_return_if_fail (MH_IS_ATTRIBUTION_VIEW (self));

  g_clear_pointer (&self->result, mh_probe_attribution_free);
  if (r == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->empty), status != NULL ? status : "");
      gtk_label_set_text (GTK_LABEL (self->title_label), _("What each head looks at in the chosen image"));
      gtk_widget_set_tooltip_text (self->title_label, _("What each head looks at in the chosen image"));
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  self->result = mh_probe_attribution_copy (r);
  g_free (self->word);
  self->word = r->input.rank == 1 ? g_strdup (title) : NULL;
  if (_mh_attribution_is_sequence (r))
    {
      int width = gtk_widget_get_width (self->area) > 0 ? gtk_widget_get_width (self->area) : 800;
      gtk_widget_set_size_request (self->area, -1, _mh_attribution_sequence_height (r, width, self->compact));
    }
  else
    gtk_widget_set_size_request (self->area, -1, 2 * MARGIN + ABOVE + BELOW + (self->compact ? 84 : 120));
  {
    g_autofree char *text = g_strdup_printf (_("What each head looks at in %s, after step %d (%s)"),
                                             title != NULL ? title : _("the chosen image"), r->step,
                                             r->attribution->n_maps > 0 ? method_name (r->attribution->maps[0].method)
                                                                        : "");
    gtk_label_set_text (GTK_LABEL (self->title_label), text);
    gtk_widget_set_tooltip_text (self->title_label, text);   /* ellipsized when long (German) */
  }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "tiles");
  gtk_widget_queue_draw (self->area);
}

const MhProbeAttribution *
mh_attribution_view_get_result (MhAttributionView *self)
{
  g_return_val_if_fail (MH_IS_ATTRIBUTION_VIEW (self), NULL);
  return self->result;
}

MhAttributionMethod
mh_attribution_view_get_method (MhAttributionView *self)
{
  g_return_val_if_fail (MH_IS_ATTRIBUTION_VIEW (self), MH_ATTRIBUTION_AUTO);
  return self->method;
}

void
mh_attribution_view_set_method (MhAttributionView *self, MhAttributionMethod method)
{
  g_return_if_fail (MH_IS_ATTRIBUTION_VIEW (self));
  self->method = method;
  g_signal_handlers_block_matched (self->method_drop, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->method_drop), method);
  g_signal_handlers_unblock_matched (self->method_drop, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
draw_sequence_export (cairo_t *cr, int width, int height, const MhPlotTheme *theme, gpointer data)
{
  MhAttributionView *self = data;

  _mh_attribution_sequence_draw (cr, theme, self->result, self->word, self->channels, width, FALSE, -1);
}

void
mh_attribution_view_set_channels (MhAttributionView *self, const char *const *channels)
{
  g_return_if_fail (MH_IS_ATTRIBUTION_VIEW (self));
  g_strfreev (self->channels);
  self->channels = g_strdupv ((char **) channels);
  gtk_widget_queue_draw (self->area);
}

gboolean
mh_attribution_view_get_sequence_map (MhAttributionView *self, int i, float *out, int *rows, int *cols)
{
  g_return_val_if_fail (MH_IS_ATTRIBUTION_VIEW (self), FALSE);
  g_return_val_if_fail (rows != NULL && cols != NULL, FALSE);
  return _mh_attribution_sequence_map (self->result, i, out, rows, cols);
}

gboolean
mh_attribution_view_export (MhAttributionView *self, const char *path, GError **error)
{
  int n = n_tiles (self), cols = MIN (n, 6), rows;
  double tile = 150;

  g_return_val_if_fail (MH_IS_ATTRIBUTION_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  if (self->result == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There are no maps to export yet"));
      return FALSE;
    }
  rows = (n + cols - 1) / cols;
  mh_plot_theme_update_for_widget (&self->theme, self->area);
  if (_mh_attribution_is_sequence (self->result))
    return mh_plot_export_drawing (path, 900, _mh_attribution_sequence_height (self->result, 900, FALSE), &self->theme,
                                   draw_sequence_export, self, error);
  return mh_plot_export_drawing (path, (int) (2 * MARGIN + cols * (tile + GAP) - GAP),
                                 (int) (2 * MARGIN + rows * (tile + ABOVE + BELOW + GAP) - GAP), &self->theme,
                                 draw_tiles, self, error);
}

/* ---- building ------------------------------------------------------------------------ */

static gboolean
export_to (GtkWidget *widget, const char *path, GError **error)
{
  return mh_attribution_view_export (MH_ATTRIBUTION_VIEW (widget), path, error);
}

static void
export_clicked (MhAttributionView *self)
{
  mh_file_chooser_export (GTK_WIDGET (self), _("Export What Each Head Looks At (PNG, SVG or PDF)"),
                          "heads.png", export_to);
}

static void
method_chosen (MhAttributionView *self)
{
  MhAttributionMethod m = (MhAttributionMethod) gtk_drop_down_get_selected (GTK_DROP_DOWN (self->method_drop));

  if (m == self->method)
    return;
  self->method = m;
  g_signal_emit (self, signals[METHOD_CHANGED], 0);
}

/* One row: a disclosure button with the title (ellipsised), the method
 * menu and the export button. */
static GtkWidget *
tool_bar (MhAttributionView *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *toggle = gtk_toggle_button_new (), *inner = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *export = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  GtkWidget *label = gtk_label_new (_("Method"));
  GtkStringList *methods = gtk_string_list_new (NULL);

  self->title_label = gtk_label_new (_("What each head looks at in the chosen image"));
  mh_fit_label (GTK_LABEL (self->title_label), PANGO_ELLIPSIZE_END, 1);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_widget_add_css_class (self->title_label, "heading");
  self->arrow = gtk_image_new_from_icon_name (self->expanded ? "pan-down-symbolic" : "pan-end-symbolic");
  gtk_box_append (GTK_BOX (inner), self->arrow);
  gtk_box_append (GTK_BOX (inner), self->title_label);
  gtk_button_set_child (GTK_BUTTON (toggle), inner);
  gtk_widget_add_css_class (toggle, "flat");
  gtk_widget_set_hexpand (toggle, TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), self->expanded);
  gtk_widget_set_tooltip_text (toggle, _("Show or hide every head’s map over the chosen image"));
  gtk_widget_set_name (toggle, "attribution-expander");
  g_object_bind_property (toggle, "active", self, "expanded", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (bar), toggle);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (bar), label);
  for (int i = 0; method_labels[i] != NULL; i++)
    gtk_string_list_append (methods, _(method_labels[i]));
  self->method_drop = gtk_drop_down_new (G_LIST_MODEL (methods), NULL);
  mh_drop_down_ellipsize (GTK_DROP_DOWN (self->method_drop));
  gtk_widget_set_tooltip_text (self->method_drop,
                               _("Automatic: Grad-CAM for a convolutional backbone, attention rollout for a "
                                 "transformer, gradient × input otherwise"));
  g_signal_connect_swapped (self->method_drop, "notify::selected", G_CALLBACK (method_chosen), self);
  gtk_box_append (GTK_BOX (bar), self->method_drop);
  gtk_widget_set_tooltip_text (export, _("Export the maps as PNG, SVG or PDF"));
  g_signal_connect_swapped (export, "clicked", G_CALLBACK (export_clicked), self);
  gtk_box_append (GTK_BOX (bar), export);
  gtk_box_append (GTK_BOX (bar), mh_teach_help_button_new ("view:attribution"));
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 2);
  gtk_widget_set_margin_bottom (bar, 2);
  return bar;
}

static void
set_expanded (MhAttributionView *self, gboolean expanded)
{
  if (self->expanded == expanded)
    return;
  self->expanded = expanded;
  if (self->revealer != NULL)
    gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), expanded);
  if (self->arrow != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (self->arrow), expanded ? "pan-down-symbolic" : "pan-end-symbolic");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EXPANDED]);
}

static void
mh_attribution_view_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  if (id == PROP_EXPANDED)
    g_value_set_boolean (value, MH_ATTRIBUTION_VIEW (object)->expanded);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
mh_attribution_view_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  if (id == PROP_EXPANDED)
    set_expanded (MH_ATTRIBUTION_VIEW (object), g_value_get_boolean (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

gboolean
mh_attribution_view_is_showing (MhAttributionView *self)
{
  g_return_val_if_fail (MH_IS_ATTRIBUTION_VIEW (self), FALSE);
  return gtk_widget_get_mapped (GTK_WIDGET (self)) && self->expanded;
}

static void
mh_attribution_view_dispose (GObject *object)
{
  MhAttributionView *self = MH_ATTRIBUTION_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  mh_plot_theme_clear (&self->theme);
  G_OBJECT_CLASS (mh_attribution_view_parent_class)->dispose (object);
}

static void
mh_attribution_view_finalize (GObject *object)
{
  g_clear_pointer (&MH_ATTRIBUTION_VIEW (object)->result, mh_probe_attribution_free);
  g_free (MH_ATTRIBUTION_VIEW (object)->word);
  g_strfreev (MH_ATTRIBUTION_VIEW (object)->channels);
  G_OBJECT_CLASS (mh_attribution_view_parent_class)->finalize (object);
}

static void
mh_attribution_view_class_init (MhAttributionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mh_attribution_view_dispose;
  object_class->finalize = mh_attribution_view_finalize;
  object_class->get_property = mh_attribution_view_get_property;
  object_class->set_property = mh_attribution_view_set_property;
  /* the tiles are shown (the title's button folds them away) */
  props[PROP_EXPANDED] = g_param_spec_boolean ("expanded", NULL, NULL, TRUE,
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  /* the method menu changed: the maps are to be asked for again */
  signals[METHOD_CHANGED] = g_signal_new ("method-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mh-attribution-view");
}

static void
mh_attribution_view_init (MhAttributionView *self)
{
  self->hover = -1;
  self->expanded = TRUE;
}

/* The parts, once it is known whether the view is compact and folded. */
static void
build (MhAttributionView *self)
{
  GtkEventController *move = gtk_event_controller_motion_new ();

  self->area = gtk_drawing_area_new ();
  gtk_widget_set_vexpand (self->area, TRUE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->area), draw_area, self, NULL);
  gtk_widget_set_has_tooltip (self->area, TRUE);
  g_signal_connect (self->area, "query-tooltip", G_CALLBACK (query_tooltip), self);
  g_signal_connect (move, "motion", G_CALLBACK (motion), self);
  g_signal_connect (move, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (self->area, move);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_box_append (GTK_BOX (self->box), tool_bar (self));
  self->empty = gtk_label_new ("");
  gtk_label_set_wrap (GTK_LABEL (self->empty), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->empty), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->empty, "dim-label");
  gtk_widget_set_margin_start (self->empty, 24);
  gtk_widget_set_margin_end (self->empty, 24);
  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), self->empty, "empty");
  gtk_stack_add_named (GTK_STACK (self->stack), self->area, "tiles");
  gtk_widget_set_name (self->area, "attribution-tiles");   /* names for lessons (docs/lessons.md) */
  gtk_widget_set_name (self->method_drop, "attribution-method");
  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), self->expanded);
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), self->stack);
  gtk_widget_set_vexpand (self->revealer, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->revealer);
}

GtkWidget *
mh_attribution_view_new (gboolean compact)
{
  MhAttributionView *self = g_object_new (MH_TYPE_ATTRIBUTION_VIEW, NULL);

  self->compact = compact;
  self->expanded = !compact;   /* the strip starts folded: the cards keep the room */
  build (self);
  /* room for one row of tiles and their words: a strip of 84-pixel tiles, or 120 */
  gtk_widget_set_size_request (self->area, -1, 2 * MARGIN + ABOVE + BELOW + (compact ? 84 : 120));
  return GTK_WIDGET (self);
}
