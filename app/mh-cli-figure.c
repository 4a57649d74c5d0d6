/* mh-cli-figure.c — the command line's figures' shared parts (mh-cli-figure.h). */
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "mh-cli-figure.h"
#include "mh-heatmap.h"
#include "mh-save.h"
#include "mh-save-cairo.h"

double
mh_figure_text (cairo_t *cr, double x, double y, double size, gboolean bold, gboolean centred,
                const double *rgb, const char *s)
{
  cairo_text_extents_t ext;

  cairo_select_font_face (cr, MH_FIGURE_FONT, CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
  if (rgb != NULL)
    cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  else
    cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
  cairo_text_extents (cr, s, &ext);
  if (centred)
    x -= ext.x_advance / 2;
  cairo_move_to (cr, x, y);
  cairo_show_text (cr, s);
  return x + ext.x_advance;
}

void
mh_figure_frame (cairo_t *cr, double x, double y, double side)
{
  cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, x - 0.5, y - 0.5, side + 1, side + 1);
  cairo_stroke (cr);
}

/* One field's true value as words: "Ankle boot", "filled, striped", "0.21 0.30 0.65 0.72". */
static char *
field_value (const MhField *f, int sample)
{
  GString *s = g_string_new (NULL);

  if (f->kind == MH_FIELD_CLASS)
    g_string_append (s, f->names != NULL ? f->names[f->classes[sample]] : "?");
  else
    for (int k = 0; k < f->dim; k++)
      {
        float v = f->values[(gsize) sample * f->dim + k];
        if (f->kind == MH_FIELD_NUMBERS)
          g_string_append_printf (s, "%s%.2f", k ? " " : "", v);
        else if (v > 0.5f)
          g_string_append_printf (s, "%s%s", s->len ? ", " : "", f->names[k]);
      }
  if (s->len == 0)
    g_string_append (s, "none");
  return g_string_free (s, FALSE);
}

void
mh_figure_truth (cairo_t *cr, const MhDataset *d, int sample, double x, double y)
{
  x = mh_figure_text (cr, x, y, 14, TRUE, FALSE, NULL, _("True:"));
  for (int i = 0, shown = 0; i < d->n_fields; i++)
    {
      const MhField *fld = &d->fields[i];
      g_autofree char *v = field_value (fld, sample);
      g_autofree char *s = g_strdup_printf ("%s%s %s", shown++ ? "  ·  " : "  ", fld->name, v);
      x = mh_figure_text (cr, x, y, 14, FALSE, FALSE, NULL, s);
    }
}

void
mh_figure_predictions (cairo_t *cr, const MhModel *m, const MhDataset *d, int sample, double x, double y)
{
  static const double right[3] = { 0.05, 0.45, 0.15 }, wrong[3] = { 0.75, 0.1, 0.1 };

  x = mh_figure_text (cr, x, y, 14, TRUE, FALSE, NULL, _("Predicted:"));
  for (int h = 0, shown = 0; h < m->n_heads; h++)
    {
      const MhHead *head = &m->heads[h];
      const MhField *fld = &d->fields[head->field];
      g_autofree char *s = NULL;
      int best = 0;
      double sum = 0;

      if (head->field_kind != MH_FIELD_CLASS || fld->names == NULL)
        continue;
      for (int k = 1; k < head->out_dim; k++)
        if (head->logits[k] > head->logits[best])
          best = k;
      for (int k = 0; k < head->out_dim; k++)
        sum += exp (head->logits[k] - head->logits[best]);
      s = g_strdup_printf ("%s%s %s %.0f%%", shown++ ? "  ·  " : "  ", head->name, fld->names[best], 100 / sum);
      x = mh_figure_text (cr, x, y, 14, FALSE, FALSE, best == fld->classes[sample] ? right : wrong, s);
    }
}

void
mh_figure_colour_bar (cairo_t *cr, double x, double y, double w, const char *high)
{
  cairo_pattern_t *bar = cairo_pattern_create_linear (x + 32, 0, x + 32 + w, 0);

  for (int i = 0; i <= 16; i++)
    {
      double rgb[3];
      mh_viridis (i / 16.0, rgb);
      cairo_pattern_add_color_stop_rgb (bar, i / 16.0, rgb[0], rgb[1], rgb[2]);
    }
  mh_figure_text (cr, x, y + 11, 12, FALSE, FALSE, NULL, "low");
  cairo_rectangle (cr, x + 32, y, w, 14);
  cairo_set_source (cr, bar);
  cairo_fill (cr);
  cairo_pattern_destroy (bar);
  mh_figure_text (cr, x + 40 + w, y + 11, 12, FALSE, FALSE, NULL, high);
}

gboolean
mh_figure_is_svg (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".svg");
}

static const cairo_user_data_key_t svg_bytes;   /* the SVG's bytes, on its surface */

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int len)
{
  g_byte_array_append (closure, data, len);
  return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *
mh_figure_surface_new (const char *path, int width, int height)
{
  cairo_surface_t *s;

  if (!mh_figure_is_svg (path))
    return cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  /* the SVG is written into memory, then saved atomically */
  GByteArray *bytes = g_byte_array_new ();
  s = cairo_svg_surface_create_for_stream (append_bytes, bytes, width, height);
  cairo_surface_set_user_data (s, &svg_bytes, bytes,
                               (cairo_destroy_func_t) g_byte_array_unref);
  return s;
}

gboolean
mh_figure_save (cairo_surface_t *surface, const char *path, GError **error)
{
  GByteArray *bytes = cairo_surface_get_user_data (surface, &svg_bytes);

  if (bytes == NULL)
    return mh_save_png (path, surface, error);
  cairo_surface_finish (surface);
  return mh_save_contents (path, MH_FILE_KIND_IMAGE, bytes->data, bytes->len, MH_SAVE_DEFAULT, error);
}
