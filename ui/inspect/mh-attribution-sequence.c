/* mh-attribution-sequence.c — what each head looks at in a sequence, for
 * the attribution view (mh-attribution-view.c):
 *
 *   a word: a row per head, its name and answer, then the word's characters
 *     each on its share of the map (viridis: bright where the head's answer
 *     rests), padding left out;
 *   a sensor window: a tile per head (per output of a regression head), the
 *     channels as rows of the map over the time steps, each channel's
 *     signal drawn over its row. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "mh-attribution-private.h"
#include "mh-heatmap.h"

#define MARGIN   10
#define LABEL_W  170
#define ROW_H    34
#define CELL_MAX 30.0
#define CELL_MIN 11.0
#define ABOVE    34
#define CH_H     16
#define CH_LABEL 26

gboolean
_mh_attribution_is_sequence (const MhProbeAttribution *r)
{
  return r != NULL && (r->input.rank == 1 || r->input.rank == 2);
}

/* The word's characters the model reads: the non-padding positions of x.
 * first: the first of them. */
static int
real_positions (const MhProbeAttribution *r, int *first)
{
  int t = r->input.dim[0], n = 0;

  *first = t;
  for (int i = 0; i < t; i++)
    if ((int) r->x[i] != MH_TOKEN_PADDING)
      {
        *first = MIN (*first, i);
        n++;
      }
  return n;
}

gboolean
_mh_attribution_sequence_map (const MhProbeAttribution *r, int i, float *out, int *rows, int *cols)
{
  const MhAttributionMap *map;

  if (!_mh_attribution_is_sequence (r) || i < 0 || i >= r->attribution->n_maps)
    return FALSE;
  map = &r->attribution->maps[i];
  if (r->input.rank == 1)
    {
      int first, n = real_positions (r, &first);
      if (map->rows != 1 || map->cols != r->input.dim[0])
        return FALSE;
      if (out != NULL)
        memcpy (out, map->map + first, sizeof (float) * n);
      *rows = 1, *cols = n;
      return TRUE;
    }
  if (out != NULL)
    memcpy (out, map->map, sizeof (float) * map->rows * map->cols);
  *rows = map->rows, *cols = map->cols;
  return TRUE;
}

static int
tile_w (gboolean compact)
{
  return compact ? 250 : 320;
}

static int
tile_h (const MhProbeAttribution *r)
{
  return ABOVE + r->input.dim[1] * CH_H + 6;
}

static int
tiles_per_row (const MhProbeAttribution *r, int width, gboolean compact)
{
  return MAX (1, (width - 2 * MARGIN + MARGIN) / (tile_w (compact) + MARGIN));
}

int
_mh_attribution_sequence_height (const MhProbeAttribution *r, int width, gboolean compact)
{
  int n = r->attribution->n_maps;

  if (r->input.rank == 1)
    return 2 * MARGIN + n * ROW_H;
  return 2 * MARGIN + (n + tiles_per_row (r, width, compact) - 1) / tiles_per_row (r, width, compact)
                      * (tile_h (r) + MARGIN);
}

int
_mh_attribution_sequence_at (const MhProbeAttribution *r, int width, gboolean compact, double x, double y)
{
  int n = r->attribution->n_maps, per = tiles_per_row (r, width, compact);

  if (r->input.rank == 1)
    {
      int i = (int) floor ((y - MARGIN) / ROW_H);
      return y >= MARGIN && i < n ? i : -1;
    }
  for (int i = 0; i < n; i++)
    {
      double tx = MARGIN + (i % per) * (tile_w (compact) + MARGIN), ty = MARGIN + (i / per) * (tile_h (r) + MARGIN);
      if (x >= tx && x < tx + tile_w (compact) && y >= ty && y < ty + tile_h (r))
        return i;
    }
  return -1;
}

static void
heat (cairo_t *cr, double v, double alpha)
{
  double rgb[3];

  mh_viridis (CLAMP (v, 0, 1), rgb);
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
}

static void
draw_word_row (cairo_t *cr, const MhPlotTheme *theme, const MhProbeAttribution *r, int i, const gunichar *chars,
               glong n_chars, double y, int width, gboolean hover)
{
  const MhAttributionMap *map = &r->attribution->maps[i];
  g_autofree char *answer = _mh_attribution_answer_text (r, map);
  int first, n = real_positions (r, &first);
  double avail = width - MARGIN - LABEL_W - MARGIN, cell = CLAMP (avail / MAX (n, 1), CELL_MIN, CELL_MAX);
  double x0 = MARGIN + LABEL_W;

  mh_plot_text (cr, theme, r->heads[map->head].name, MARGIN, y + ROW_H / 2.0 - 7, 0, 0.5, 0.9, TRUE, &theme->fg,
                LABEL_W - 8);
  mh_plot_text (cr, theme, answer, MARGIN, y + ROW_H / 2.0 + 8, 0, 0.5, 0.8, FALSE, &theme->dim, LABEL_W - 8);
  for (int c = 0; c < n; c++)
    {
      float v = map->map[first + c];
      double rgb[3];
      char buf[8] = "?";
      GdkRGBA ink;
      /* the word's end is what the model reads */
      glong at = n_chars - n + c;
      if (chars != NULL && at >= 0 && at < n_chars)
        buf[g_unichar_to_utf8 (chars[at], buf)] = '\0';
      heat (cr, v, 1);
      cairo_rectangle (cr, x0 + c * cell, y + 4, cell - 1, ROW_H - 8);
      cairo_fill (cr);
      mh_viridis (CLAMP (v, 0, 1), rgb);
      ink = (GdkRGBA) { 0.07f, 0.07f, 0.07f, 1 };
      if (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 0.5)
        ink = (GdkRGBA) { 1, 1, 1, 1 };
      mh_plot_text (cr, theme, buf, x0 + c * cell + cell / 2, y + ROW_H / 2.0, 0.5, 0.5, cell < 18 ? 0.8 : 1.15,
                    TRUE, &ink, (int) cell);
    }
  if (hover)
    {
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, x0 - 2, y + 2, n * cell + 3, ROW_H - 4);
      cairo_stroke (cr);
    }
}

static void
draw_signal_tile (cairo_t *cr, const MhPlotTheme *theme, const MhProbeAttribution *r, int i, double x, double y,
                  int w, gboolean hover, char *const *channels)
{
  const MhAttributionMap *map = &r->attribution->maps[i];
  g_autofree char *answer = _mh_attribution_answer_text (r, map);
  int t = r->input.dim[0], c_n = r->input.dim[1];
  double px = x + CH_LABEL, pw = w - CH_LABEL;

  mh_plot_text (cr, theme, r->heads[map->head].name, x + w / 2.0, y + 9, 0.5, 0.5, 0.9, TRUE, &theme->fg, w);
  mh_plot_text (cr, theme, answer, x + w / 2.0, y + 24, 0.5, 0.5, 0.8, FALSE, &theme->dim, w);
  y += ABOVE;
  for (int c = 0; c < c_n; c++)
    {
      double cy = y + c * CH_H;
      float lo = G_MAXFLOAT, hi = -G_MAXFLOAT;
      char name[16];
      /* the map's row of this channel, then its signal over it */
      for (int k = 0; k < t; k++)
        {
          float v = map->rows == c_n && map->cols == t ? map->map[(gsize) c * t + k] : 0;
          heat (cr, v, 1);
          cairo_rectangle (cr, px + pw * k / t, cy, pw / t + 0.5, CH_H - 1);
          cairo_fill (cr);
          lo = MIN (lo, r->x[(gsize) k * c_n + c]), hi = MAX (hi, r->x[(gsize) k * c_n + c]);
        }
      if (hi - lo < 1e-6f)
        lo -= 1, hi += 1;
      cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
      cairo_set_line_width (cr, 1);
      for (int k = 0; k < t; k++)
        {
          double sx = px + pw * (k + 0.5) / t, sy = cy + CH_H - 2 - (CH_H - 4) * (r->x[(gsize) k * c_n + c] - lo) / (hi - lo);
          if (k == 0)
            cairo_move_to (cr, sx, sy);
          else
            cairo_line_to (cr, sx, sy);
        }
      cairo_stroke (cr);
      g_snprintf (name, sizeof name, "%s", channels != NULL && c < (int) g_strv_length ((char **) channels)
                                             ? channels[c] : "");
      mh_plot_text (cr, theme, name, x, cy + CH_H / 2.0, 0, 0.5, 0.78, FALSE, &theme->fg, CH_LABEL - 2);
    }
  if (hover)
    {
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
      cairo_set_line_width (cr, 2.5);
      cairo_rectangle (cr, px - 2, y - 2, pw + 4, c_n * CH_H + 4);
      cairo_stroke (cr);
    }
}

void
_mh_attribution_sequence_draw (cairo_t *cr, const MhPlotTheme *theme, const MhProbeAttribution *r, const char *word,
                               char *const *channels, int width, gboolean compact, int hover)
{
  int n = r->attribution->n_maps;

  if (r->input.rank == 1)
    {
      glong n_chars = 0;
      g_autofree gunichar *chars = word != NULL ? g_utf8_to_ucs4_fast (word, -1, &n_chars) : NULL;
      for (int i = 0; i < n; i++)
        draw_word_row (cr, theme, r, i, chars, n_chars, MARGIN + i * ROW_H, width, i == hover);
      return;
    }
  for (int i = 0; i < n; i++)
    {
      int per = tiles_per_row (r, width, compact);
      draw_signal_tile (cr, theme, r, i, MARGIN + (i % per) * (tile_w (compact) + MARGIN),
                        MARGIN + (i / per) * (tile_h (r) + MARGIN), tile_w (compact), i == hover, channels);
    }
}
