/* mh-plot-theme.c — colours, text, shapes and export for every chart. */
#include <math.h>
#include <glib/gi18n.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include "mh-plot-theme.h"
#include "mh-save.h"

static void
derive (MhPlotTheme *theme)
{
  theme->dim = theme->fg, theme->dim.alpha = 0.6f;
  theme->grid = theme->fg, theme->grid.alpha = theme->dark ? 0.10f : 0.08f;
}

void
mh_plot_theme_init (MhPlotTheme *theme, gboolean dark)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 10");

  g_return_if_fail (theme != NULL);

  gdk_rgba_parse (&theme->fg, dark ? "#ffffff" : "#303030");
  gdk_rgba_parse (&theme->bg, dark ? "#303034" : "#ffffff");
  theme->dark = dark;
  derive (theme);
  theme->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_resolution (theme->context, 96);
  pango_context_set_font_description (theme->context, font);
}

static void
lookup (GtkWidget *w, const char *name, GdkRGBA *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (w), name, color))
    gtk_style_context_get_color (gtk_widget_get_style_context (w), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
colours_for_widget (MhPlotTheme *theme, GtkWidget *widget)
{
  lookup (widget, "window_fg_color", &theme->fg);
  lookup (widget, "card_bg_color", &theme->bg);
  theme->dark = (0.299 * theme->fg.red + 0.587 * theme->fg.green + 0.114 * theme->fg.blue) > 0.5;
  if (theme->bg.alpha < 1)   /* the card's translucent colour over the window */
    gdk_rgba_parse (&theme->bg, theme->dark ? "#303034" : "#ffffff");
  derive (theme);
}

void
mh_plot_theme_init_for_widget (MhPlotTheme *theme, GtkWidget *widget)
{
  g_return_if_fail (theme != NULL);
  g_return_if_fail (GTK_IS_WIDGET (widget));

  colours_for_widget (theme, widget);
  theme->context = gtk_widget_create_pango_context (widget);
}

gboolean
mh_plot_theme_update_for_widget (MhPlotTheme *theme, GtkWidget *widget)
{
  MhPlotTheme before = *theme;

  g_return_val_if_fail (theme != NULL, FALSE);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  if (theme->context == NULL)
    {
      mh_plot_theme_init_for_widget (theme, widget);
      return TRUE;
    }
  colours_for_widget (theme, widget);
  return !gdk_rgba_equal (&before.fg, &theme->fg) || !gdk_rgba_equal (&before.bg, &theme->bg);
}

void
mh_plot_theme_clear (MhPlotTheme *theme)
{
  g_return_if_fail (theme != NULL);

  g_clear_object (&theme->context);
}

const GdkRGBA *
mh_plot_theme_pick (const MhPlotTheme *theme, const GdkRGBA *light, const GdkRGBA *dark)
{
  return theme->dark ? dark : light;
}

/* ---- text and shapes -------------------------------------------------------- */

PangoLayout *
mh_plot_text_layout (const MhPlotTheme *theme, const char *text, double scale, gboolean bold, int max_width)
{
  PangoLayout *l;
  PangoAttrList *attrs;

  g_return_val_if_fail (theme != NULL && theme->context != NULL, NULL);

  l = pango_layout_new (theme->context);
  attrs = pango_attr_list_new ();
  pango_layout_set_text (l, text != NULL ? text : "", -1);
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  if (scale != 1.0)
    pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (l, attrs);
  pango_attr_list_unref (attrs);
  if (max_width > 0)
    {
      pango_layout_set_width (l, max_width * PANGO_SCALE);
      pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
    }
  return l;
}

void
mh_plot_text_size (const MhPlotTheme *theme, const char *text, double scale, gboolean bold, int *width, int *height)
{
  g_autoptr(PangoLayout) l = mh_plot_text_layout (theme, text, scale, bold, -1);

  pango_layout_get_pixel_size (l, width, height);
}

void
mh_plot_text (cairo_t *cr, const MhPlotTheme *theme, const char *text, double x, double y, double ax, double ay,
              double scale, gboolean bold, const GdkRGBA *color, int max_width)
{
  g_autoptr(PangoLayout) l = NULL;
  int w, h;

  g_return_if_fail (cr != NULL && theme != NULL && color != NULL);

  l = mh_plot_text_layout (theme, text, scale, bold, max_width);
  pango_layout_get_pixel_size (l, &w, &h);
  cairo_save (cr);
  cairo_move_to (cr, round (x - w * ax), round (y - h * ay));
  gdk_cairo_set_source_rgba (cr, color);
  pango_cairo_show_layout (cr, l);
  cairo_restore (cr);
}

void
mh_plot_rounded_path (cairo_t *cr, double x, double y, double width, double height, double radius)
{
  radius = MIN (radius, MIN (width, height) / 2);
  cairo_new_sub_path (cr);
  if (radius <= 0)
    {
      cairo_rectangle (cr, x, y, width, height);
      return;
    }
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

void
mh_plot_fill_rect (cairo_t *cr, double x, double y, double width, double height, double radius,
                   const GdkRGBA *color)
{
  if (width <= 0 || height <= 0)
    return;
  cairo_new_path (cr);
  mh_plot_rounded_path (cr, x, y, width, height, radius);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_fill (cr);
}

/* ---- export ------------------------------------------------------------------- */

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
mh_plot_export_drawing (const char *path, int width, int height, const MhPlotTheme *theme, MhPlotDrawFunc draw,
                        gpointer data, GError **error)
{
  g_autofree char *lower = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  gboolean png, svg;

  g_return_val_if_fail (path != NULL && theme != NULL && draw != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  png = g_str_has_suffix (lower, ".png");
  svg = g_str_has_suffix (lower, ".svg");
  if (!png && !svg && !g_str_has_suffix (lower, ".pdf"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: the file name must end in .png, .svg or .pdf"), path);
      return FALSE;
    }
  /* drawn into memory, then saved: a failed export leaves no half file */
  bytes = g_byte_array_new ();
  if (png)
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * 2, height * 2);
  else if (svg)
    surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, width, height);
  else
    surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, width, height);
  cr = cairo_create (surface);
  if (png)
    cairo_scale (cr, 2, 2);   /* sharp on a slide */
  gdk_cairo_set_source_rgba (cr, &theme->bg);
  cairo_paint (cr);
  draw (cr, width, height, theme, data);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (status == CAIRO_STATUS_SUCCESS && png)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: could not be drawn: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  /* atomic, never over an input or a file of another kind (mh-save.h) */
  return mh_save_contents (path, mh_file_kind_sniff (bytes->data, MIN (bytes->len, 4096)), bytes->data, bytes->len,
                           MH_SAVE_DEFAULT, error);
}
