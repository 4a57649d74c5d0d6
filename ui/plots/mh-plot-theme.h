/* mh-plot-theme.h — what every chart draws with, on a plain cairo_t: the
 * colours (from a widget's style, or Adwaita's for a file drawn without a
 * display), the font, text and filled shapes, and export to PNG, SVG or PDF.
 * The loss, metric, conflict, confusion and attention views share it, and so
 * can the command line (no GTK widget is needed: mh_plot_theme_init()). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  GdkRGBA       fg;        /* text and axes */
  GdkRGBA       bg;        /* what the chart is drawn on (opaque) */
  GdkRGBA       dim;       /* secondary text */
  GdkRGBA       grid;      /* grid lines */
  gboolean      dark;
  PangoContext *context;   /* text is laid out with it (owned) */
} MhPlotTheme;

/* Adwaita's light or dark colours and the default font ("Sans 10" at 96 dpi). */
void           mh_plot_theme_init     (MhPlotTheme *theme, gboolean dark);
/* The widget's colours (libadwaita's named colours) and font. */
void           mh_plot_theme_init_for_widget (MhPlotTheme *theme, GtkWidget *widget);
/* Looks the widget's colours up again (cheap; the font's context is kept,
 * or made if there is none): TRUE if they changed. */
gboolean       mh_plot_theme_update_for_widget (MhPlotTheme *theme, GtkWidget *widget);
void           mh_plot_theme_clear    (MhPlotTheme *theme);
/* `light` on a light theme, else `dark`. */
const GdkRGBA *mh_plot_theme_pick     (const MhPlotTheme *theme, const GdkRGBA *light, const GdkRGBA *dark);

/* Text: `scale` times the theme's font, tabular figures; max_width > 0
 * ellipsises it at that many pixels. */
PangoLayout   *mh_plot_text_layout    (const MhPlotTheme *theme, const char *text, double scale, gboolean bold,
                                       int max_width);
void           mh_plot_text_size      (const MhPlotTheme *theme, const char *text, double scale, gboolean bold,
                                       int *width, int *height);
/* Draws text with the point (ax · width, ay · height) of it at (x, y). */
void           mh_plot_text           (cairo_t *cr, const MhPlotTheme *theme, const char *text, double x, double y,
                                       double ax, double ay, double scale, gboolean bold, const GdkRGBA *color,
                                       int max_width);
/* A filled rectangle with rounded corners (radius 0: square). */
void           mh_plot_fill_rect      (cairo_t *cr, double x, double y, double width, double height, double radius,
                                       const GdkRGBA *color);
void           mh_plot_rounded_path   (cairo_t *cr, double x, double y, double width, double height, double radius);

/* Draws a width × height picture (in pixels; PNG at twice that, sharp on a
 * slide) with `draw` on the theme's background, into `path` by its
 * extension: .png, .svg or .pdf; G_IO_ERROR_INVALID_ARGUMENT for another. */
typedef void (*MhPlotDrawFunc) (cairo_t *cr, int width, int height, const MhPlotTheme *theme, gpointer data);
gboolean       mh_plot_export_drawing (const char *path, int width, int height, const MhPlotTheme *theme,
                                       MhPlotDrawFunc draw, gpointer data, GError **error);

G_END_DECLS
