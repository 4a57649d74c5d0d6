/* test-plot.c — the plots' pieces without a display: an axis maps values
 * (linear, log, ticks, labels); a series smooths (debiased, NaN-proof) and
 * keeps at most four points per pixel column but its extremes; a figure
 * maps, reads out under the pointer, removes a run's series, changes its
 * axis serial only when the axis changes, draws its layer groups (series
 * in their colours where the mapping says, light and dark differ, a
 * custom layer in its group) on a plain cairo_t, and exports PNG, SVG and
 * PDF atomically. */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include "mh-plot-figure.h"
#include "mh-plot-layers.h"
#include "mh-test-util.h"

static char *tmp_dir;
static const GdkRGBA blue = { 0.2f, 0.4f, 0.9f, 1 }, orange = { 0.9f, 0.4f, 0.0f, 1 };

/* ---- the axis ------------------------------------------------------------------- */

static void
test_axis_linear (void)
{
  MhPlotAxis a;
  double t;
  char buf[32];

  mh_plot_axis_init (&a, FALSE);
  /* widened to whole ticks of a round step */
  mh_plot_axis_fit (&a, 0.13, 9.7, 5, TRUE);
  g_assert_cmpfloat (mh_plot_axis_lower (&a), ==, 0);
  g_assert_cmpfloat (mh_plot_axis_upper (&a), ==, 10);
  g_assert_cmpuint (a.n_ticks, ==, 6);
  for (guint i = 0; i < a.n_ticks; i++)
    g_assert_cmpfloat_with_epsilon (mh_plot_axis_tick (&a, i), 2.0 * i, 1e-12);
  g_assert_true (mh_plot_axis_to_unit (&a, 5, &t));
  g_assert_cmpfloat_with_epsilon (t, 0.5, 1e-12);
  g_assert_true (mh_plot_axis_to_unit (&a, -5, &t));   /* outside: below 0 */
  g_assert_cmpfloat_with_epsilon (t, -0.5, 1e-12);
  g_assert_false (mh_plot_axis_to_unit (&a, NAN, &t));
  g_assert_cmpfloat_with_epsilon (mh_plot_axis_from_unit (&a, 0.25), 2.5, 1e-12);
  /* not widened: the range as given; a single value gets room around it */
  mh_plot_axis_fit (&a, 0.13, 9.7, 5, FALSE);
  g_assert_cmpfloat (mh_plot_axis_lower (&a), ==, 0.13);
  g_assert_cmpfloat (mh_plot_axis_upper (&a), ==, 9.7);
  mh_plot_axis_fit (&a, 3, 3, 5, FALSE);
  g_assert_cmpfloat_with_epsilon (mh_plot_axis_lower (&a), 2.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (mh_plot_axis_upper (&a), 3.5, 1e-12);
  /* nothing to show: 0 … 1 */
  mh_plot_axis_fit (&a, NAN, NAN, 5, TRUE);
  g_assert_cmpfloat (mh_plot_axis_lower (&a), ==, 0);
  g_assert_cmpfloat (mh_plot_axis_upper (&a), ==, 1);
  /* labels: the ticks' digits, exponents for the extremes */
  mh_plot_axis_fit (&a, 0, 1, 5, TRUE);
  mh_plot_axis_format (&a, mh_plot_axis_tick (&a, 1), buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "0.2");
  mh_plot_axis_format (&a, 0, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "0");
  mh_plot_axis_format (&a, 12345, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "1e+04");
  mh_plot_axis_format (&a, 0.0005, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "5e-04");
  mh_plot_axis_fit (&a, 0, 500, 7, TRUE);
  mh_plot_axis_format (&a, mh_plot_axis_tick (&a, 1), buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "100");
}

static void
test_axis_log (void)
{
  MhPlotAxis a;
  double t;

  mh_plot_axis_init (&a, TRUE);
  /* whole decades: 0.02 … 50 shows 0.01 … 100 */
  mh_plot_axis_fit (&a, 0.02, 50, 5, TRUE);
  g_assert_cmpfloat_with_epsilon (mh_plot_axis_lower (&a), 0.01, 1e-12);
  g_assert_cmpfloat_with_epsilon (mh_plot_axis_upper (&a), 100, 1e-9);
  g_assert_cmpuint (a.n_ticks, ==, 5);
  g_assert_true (mh_plot_axis_to_unit (&a, 1, &t));
  g_assert_cmpfloat_with_epsilon (t, 0.5, 1e-12);
  g_assert_true (mh_plot_axis_to_unit (&a, 0.1, &t));
  g_assert_cmpfloat_with_epsilon (t, 0.25, 1e-12);
  g_assert_false (mh_plot_axis_to_unit (&a, 0, &t));
  g_assert_false (mh_plot_axis_to_unit (&a, -1, &t));
  g_assert_cmpfloat_with_epsilon (mh_plot_axis_from_unit (&a, 0.75), 10, 1e-9);
  /* two decades or fewer: 2 and 5 within them */
  mh_plot_axis_fit (&a, 2, 50, 5, TRUE);
  g_assert_cmpuint (a.n_ticks, ==, 7);
  g_assert_cmpfloat_with_epsilon (mh_plot_axis_tick (&a, 1), 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (mh_plot_axis_tick (&a, 2), 5, 1e-9);
  /* values ≤ 0 have no place, and do not break the range */
  mh_plot_axis_fit (&a, -3, 10, 5, TRUE);
  g_assert_true (isfinite (a.u0) && a.u1 > a.u0);
}

/* ---- a series ------------------------------------------------------------------- */

static MhPlotFigure *
smoothed_figure (double a, const double *ys, int n, MhPlotSeries **smooth)
{
  MhPlotFigure *f = mh_plot_figure_new ();
  int raw = mh_plot_figure_add_series (f, "loss", &blue, NULL, MH_PLOT_RAW, -1);
  int s = mh_plot_figure_add_series (f, "loss", &blue, NULL, MH_PLOT_SMOOTHED, raw);

  for (int i = 0; i < n; i++)
    mh_plot_series_append (mh_plot_figure_get_series (f, raw), i, ys[i]);
  *smooth = mh_plot_figure_get_series (f, s);
  mh_plot_series_smooth (*smooth, a);
  return f;
}

static void
test_series_smoothing (void)
{
  double flat[20], step[40], gap[6] = { 1, 2, NAN, 3, 4, 5 }, no_gap[5] = { 1, 2, 3, 4, 5 };
  MhPlotSeries *s, *t;
  MhPlotFigure *f;

  /* a constant stays itself from the first point on: debiased, not pulled to 0 */
  for (int i = 0; i < 20; i++)
    flat[i] = 2.5;
  f = smoothed_figure (0.9, flat, 20, &s);
  g_assert_cmpuint (mh_plot_series_points (s)->len, ==, 20);
  for (guint i = 0; i < 20; i++)
    g_assert_cmpfloat_with_epsilon (mh_plot_series_y (s, i), 2.5, 1e-12);
  mh_plot_figure_free (f);
  /* no smoothing: the raw values */
  for (int i = 0; i < 40; i++)
    step[i] = i < 10 ? 0 : 10;
  f = smoothed_figure (0, step, 40, &s);
  for (guint i = 0; i < 40; i++)
    g_assert_cmpfloat (mh_plot_series_y (s, i), ==, step[i]);
  /* a step: rises monotonically after it, stays inside, gets close */
  mh_plot_series_smooth (s, 0.8);
  g_assert_cmpfloat (mh_plot_series_y (s, 9), ==, 0);
  for (guint i = 10; i < 40; i++)
    {
      g_assert_cmpfloat (mh_plot_series_y (s, i), >, mh_plot_series_y (s, i - 1));
      g_assert_cmpfloat (mh_plot_series_y (s, i), <, 10);
    }
  g_assert_cmpfloat (mh_plot_series_y (s, 39), >, 9.9);
  g_assert_cmpfloat (mh_plot_series_y (s, 10), <, 5);
  mh_plot_figure_free (f);
  /* a NaN is skipped: the rest is as if it were not there */
  f = smoothed_figure (0.5, gap, 6, &s);
  {
    MhPlotFigure *g = smoothed_figure (0.5, no_gap, 5, &t);
    g_assert_true (isnan (mh_plot_series_y (s, 2)));
    g_assert_cmpfloat_with_epsilon (mh_plot_series_y (s, 5), mh_plot_series_y (t, 4), 1e-12);
    mh_plot_figure_free (g);
  }
  mh_plot_figure_free (f);
}

static void
test_series_decimation (void)
{
  MhPlotSeries *s = mh_plot_series_new ("noisy", &blue, NULL, MH_PLOT_LINE);
  MhPlotAxis x, y;
  MhPlotRect frame = { 20, 10, 500, 300 };
  double lo = INFINITY, hi = -INFINITY, plo = INFINITY, phi = -INFINITY;
  GRand *rng = g_rand_new_with_seed (7);
  const int n = 100000;

  for (int i = 0; i < n; i++)
    mh_plot_series_append (s, i, sin (i / 3000.0) + 0.3 * g_rand_double_range (rng, -1, 1));
  g_rand_free (rng);
  mh_plot_axis_init (&x, FALSE);
  mh_plot_axis_init (&y, FALSE);
  mh_plot_axis_fit (&x, 0, n, 7, FALSE);
  mh_plot_axis_fit (&y, -2, 2, 5, FALSE);
  mh_plot_series_trace (s, &x, &y, &frame);
  /* at most four points (first, lowest, highest, last) per pixel column */
  g_assert_cmpuint (s->path->len, <=, 4 * ((guint) frame.width + 1));
  g_assert_cmpuint (s->path->len, >=, (guint) frame.width);
  /* the noise's extremes survive */
  for (int i = 0; i < n; i++)
    {
      double px, py;
      g_assert_true (mh_plot_map (&x, &y, &frame, i, mh_plot_series_y (s, (guint) i), &px, &py));
      lo = MIN (lo, py), hi = MAX (hi, py);
    }
  for (guint k = 0; k < s->path->len; k++)
    {
      double py = g_array_index (s->path, MhPlotPoint, k).y;
      plo = MIN (plo, py), phi = MAX (phi, py);
    }
  g_assert_cmpfloat_with_epsilon (plo, lo, 1e-9);
  g_assert_cmpfloat_with_epsilon (phi, hi, 1e-9);
  /* in x order, inside the frame */
  for (guint k = 1; k < s->path->len; k++)
    g_assert_cmpfloat (g_array_index (s->path, MhPlotPoint, k).x, >=, g_array_index (s->path, MhPlotPoint, k - 1).x);
  /* fewer points than columns: every one of them; hidden: none */
  g_array_set_size (s->points, 100);
  mh_plot_series_trace (s, &x, &y, &frame);
  g_assert_cmpuint (s->path->len, ==, 100);
  s->visible = FALSE;
  mh_plot_series_trace (s, &x, &y, &frame);
  g_assert_cmpuint (s->path->len, ==, 0);
  mh_plot_series_free (s);
}

/* ---- a figure -------------------------------------------------------------------- */

static MhPlotFigure *
line_figure (const MhPlotTheme *theme, int *line, int *markers)
{
  MhPlotFigure *f = mh_plot_figure_new ();

  mh_plot_figure_set_title (f, "Loss");
  mh_plot_figure_set_x_label (f, "step");
  *line = mh_plot_figure_add_series (f, "train", &blue, NULL, MH_PLOT_LINE, -1);
  *markers = mh_plot_figure_add_series (f, "val", &orange, NULL, MH_PLOT_MARKERS, -1);
  for (int i = 0; i <= 100; i++)
    mh_plot_series_append (mh_plot_figure_get_series (f, *line), i, i / 10.0);
  for (int e = 0; e <= 2; e++)
    mh_plot_series_append (mh_plot_figure_get_series (f, *markers), e * 50, e * 5 + 1);
  f->fixed_y0 = 0, f->fixed_y1 = 12;
  mh_plot_figure_layout (f, theme, 600, 400);
  return f;
}

static void
test_figure_mapping (void)
{
  MhPlotTheme theme;
  int line, markers;
  MhPlotFigure *f;
  double x0, y0, x1, y1, xm, ym, x, y;

  mh_plot_theme_init (&theme, FALSE);
  f = line_figure (&theme, &line, &markers);
  /* the frame is inside the figure, below the title */
  g_assert_cmpfloat (f->frame.x, >, 0);
  g_assert_cmpfloat (f->frame.y, >=, f->header);
  g_assert_cmpfloat (f->frame.x + f->frame.width, <=, 600);
  g_assert_cmpfloat (f->frame.y + f->frame.height, <=, 400);
  g_assert_true (mh_plot_figure_map (f, 0, 0, &x0, &y0));
  g_assert_true (mh_plot_figure_map (f, 100, 12, &x1, &y1));
  g_assert_true (mh_plot_figure_map (f, 50, 6, &xm, &ym));
  g_assert_cmpfloat_with_epsilon (y0, f->frame.y + f->frame.height, 1e-9);
  g_assert_cmpfloat_with_epsilon (y1, f->frame.y, 1e-9);
  g_assert_cmpfloat_with_epsilon (xm, (x0 + x1) / 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (ym, (y0 + y1) / 2, 1e-9);
  g_assert_true (mh_plot_figure_unmap (f, xm, ym, &x, &y));
  g_assert_cmpfloat_with_epsilon (x, 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, 6, 1e-9);
  /* log y: decades equally spaced, nothing at 0 */
  mh_plot_figure_set_log_scale (f, FALSE, TRUE);
  f->fixed_y0 = 0.01, f->fixed_y1 = 100;
  mh_plot_figure_layout (f, &theme, 600, 400);
  g_assert_true (mh_plot_figure_map (f, 0, 0.01, &x0, &y0));
  g_assert_true (mh_plot_figure_map (f, 0, 100, &x1, &y1));
  g_assert_true (mh_plot_figure_map (f, 0, 1, &xm, &ym));
  g_assert_cmpfloat_with_epsilon (ym, (y0 + y1) / 2, 1e-9);
  g_assert_false (mh_plot_figure_map (f, 0, 0, &x, &y));
  /* automatic: every point inside the frame; the x axis starts at 0 */
  mh_plot_figure_set_log_scale (f, FALSE, FALSE);
  f->fixed_y0 = f->fixed_y1 = NAN;
  mh_plot_figure_layout (f, &theme, 600, 400);
  g_assert_cmpfloat (mh_plot_axis_lower (&f->x), ==, 0);
  for (guint i = 0; i < f->series->len; i++)
    {
      MhPlotSeries *s = f->series->pdata[i];
      for (guint k = 0; k < s->path->len; k++)
        {
          MhPlotPoint *p = &g_array_index (s->path, MhPlotPoint, k);
          g_assert_cmpfloat (p->x, >=, f->frame.x - 1e-9);
          g_assert_cmpfloat (p->x, <=, f->frame.x + f->frame.width + 1e-9);
          g_assert_cmpfloat (p->y, >=, f->frame.y - 1e-9);
          g_assert_cmpfloat (p->y, <=, f->frame.y + f->frame.height + 1e-9);
        }
    }
  mh_plot_figure_free (f);
  mh_plot_theme_clear (&theme);
}

static void
test_figure_readout (void)
{
  MhPlotTheme theme;
  int line, markers, raw, smooth, points;
  MhPlotFigure *f;
  g_autoptr(GArray) at_50 = NULL, at_25 = NULL, hidden = NULL, near = NULL, far = NULL;
  double px, py;

  mh_plot_theme_init (&theme, FALSE);
  f = line_figure (&theme, &line, &markers);
  raw = mh_plot_figure_add_series (f, "noisy", &blue, NULL, MH_PLOT_RAW, -1);
  for (int i = 0; i <= 100; i++)
    mh_plot_series_append (mh_plot_figure_get_series (f, raw), i, i % 2 ? 3 : 1);
  smooth = mh_plot_figure_add_series (f, "noisy", &blue, NULL, MH_PLOT_SMOOTHED, raw);
  mh_plot_figure_layout (f, &theme, 600, 400);
  /* at step 50: the line, the marker there, the smoothed line with its raw value; no raw trace */
  g_assert_true (mh_plot_figure_map (f, 50.3, 2, &px, &py));
  at_50 = mh_plot_figure_read (f, px, py);
  g_assert_cmpuint (at_50->len, ==, 3);
  g_assert_true (g_array_index (at_50, MhPlotReading, 0).series == mh_plot_figure_get_series (f, line));
  g_assert_cmpfloat (g_array_index (at_50, MhPlotReading, 0).x, ==, 50);
  g_assert_cmpfloat_with_epsilon (g_array_index (at_50, MhPlotReading, 0).y, 5, 1e-12);
  g_assert_true (g_array_index (at_50, MhPlotReading, 1).series == mh_plot_figure_get_series (f, markers));
  g_assert_cmpfloat (g_array_index (at_50, MhPlotReading, 1).y, ==, 6);
  g_assert_true (g_array_index (at_50, MhPlotReading, 2).series == mh_plot_figure_get_series (f, smooth));
  g_assert_cmpfloat (g_array_index (at_50, MhPlotReading, 2).raw, ==, 1);
  g_assert_cmpfloat (g_array_index (at_50, MhPlotReading, 2).y, >, 1);
  g_assert_cmpfloat (g_array_index (at_50, MhPlotReading, 2).y, <, 3);
  /* at step 25 the epochs' markers are too far */
  g_assert_true (mh_plot_figure_map (f, 25, 2, &px, &py));
  at_25 = mh_plot_figure_read (f, px, py);
  g_assert_cmpuint (at_25->len, ==, 2);
  /* a hidden series is not read */
  mh_plot_figure_set_visible (f, line, FALSE);
  hidden = mh_plot_figure_read (f, px, py);
  g_assert_cmpuint (hidden->len, ==, 1);
  /* a scatter's point: read near it only */
  points = mh_plot_figure_add_series (f, "run 1", &orange, NULL, MH_PLOT_POINTS, -1);
  mh_plot_series_append (mh_plot_figure_get_series (f, points), 80, 4);
  mh_plot_series_append (mh_plot_figure_get_series (f, points), 20, 9);
  mh_plot_figure_layout (f, &theme, 600, 400);
  g_assert_true (mh_plot_figure_map (f, 20, 9, &px, &py));
  near = mh_plot_figure_read (f, px + 3, py - 3);
  g_assert_cmpuint (near->len, ==, 2);
  g_assert_cmpfloat (g_array_index (near, MhPlotReading, 1).y, ==, 9);
  far = mh_plot_figure_read (f, px, py + 40);
  g_assert_cmpuint (far->len, ==, 1);
  mh_plot_figure_free (f);
  mh_plot_theme_clear (&theme);
}

static void
test_figure_runs (void)
{
  g_autoptr(MhPlotFigure) f = mh_plot_figure_new ();
  MhPlotTheme theme;
  int a_raw = mh_plot_figure_add_series (f, "category", &blue, NULL, MH_PLOT_RAW, -1);
  int a_line = mh_plot_figure_add_series (f, "category", &blue, NULL, MH_PLOT_SMOOTHED, a_raw);
  int b_line = mh_plot_figure_add_series (f, "category", &blue, NULL, MH_PLOT_LINE, -1);
  int orphan = mh_plot_figure_add_series (f, "odd", &blue, NULL, MH_PLOT_SMOOTHED, a_raw);

  mh_plot_series_set_run (mh_plot_figure_get_series (f, a_raw), "run-a");
  mh_plot_series_set_run (mh_plot_figure_get_series (f, a_line), "run-a");
  mh_plot_series_set_run (mh_plot_figure_get_series (f, b_line), "run-b");
  mh_plot_figure_get_series (f, b_line)->dash = MH_PLOT_DASH_DASHED;
  for (int i = 0; i < 10; i++)
    {
      mh_plot_series_append (mh_plot_figure_get_series (f, a_raw), i, 2 - i * 0.1);
      mh_plot_series_append (mh_plot_figure_get_series (f, b_line), i, 2 - i * 0.15);
    }
  g_assert_cmpint (mh_plot_figure_find_series (f, "run-b", "category"), ==, b_line);
  g_assert_cmpint (mh_plot_figure_find_series (f, "run-a", "category"), ==, a_raw);
  g_assert_cmpint (mh_plot_figure_find_series (f, "run-c", "category"), ==, -1);
  g_assert_cmpuint (mh_plot_figure_remove_run (f, "run-a"), ==, 2);
  g_assert_cmpuint (f->series->len, ==, 2);
  g_assert_cmpint (mh_plot_figure_find_series (f, "run-b", "category"), ==, 0);
  g_assert_cmpint (mh_plot_figure_find_series (f, NULL, "odd"), ==, 1);
  g_assert_null (mh_plot_figure_get_series (f, 1)->source);   /* its source went with run-a */
  g_assert_cmpuint (mh_plot_figure_remove_run (f, "run-c"), ==, 0);
  /* what is left lays out and draws */
  mh_plot_theme_init (&theme, FALSE);
  mh_plot_figure_layout (f, &theme, 400, 300);
  g_assert_cmpuint (mh_plot_figure_get_series (f, 0)->path->len, ==, 10);
  g_assert_cmpuint (mh_plot_figure_get_series (f, 1)->path->len, ==, 0);
  {
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
    cairo_t *cr = cairo_create (surface);
    mh_plot_figure_draw (f, cr, &theme, MH_PLOT_LAYER_ALL);
    g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }
  (void) orphan;
  mh_plot_theme_clear (&theme);
}

static void
test_figure_axis_serial (void)
{
  MhPlotTheme theme;
  int line, markers;
  MhPlotFigure *f;
  guint serial;

  mh_plot_theme_init (&theme, FALSE);
  f = line_figure (&theme, &line, &markers);
  serial = f->axis_serial;
  mh_plot_figure_layout (f, &theme, 600, 400);
  g_assert_cmpuint (f->axis_serial, ==, serial);
  /* a point inside the axis' range: only the data changed */
  mh_plot_series_append (mh_plot_figure_get_series (f, markers), 100, 4);
  mh_plot_figure_layout (f, &theme, 600, 400);
  g_assert_cmpuint (f->axis_serial, ==, serial);
  /* the title, the size, a mark, a series hidden: the axis layers draw again */
  mh_plot_figure_set_title (f, "Loss per head");
  mh_plot_figure_layout (f, &theme, 600, 400);
  g_assert_cmpuint (f->axis_serial, !=, serial);
  serial = f->axis_serial;
  mh_plot_figure_layout (f, &theme, 640, 400);
  g_assert_cmpuint (f->axis_serial, !=, serial);
  serial = f->axis_serial;
  mh_plot_figure_add_mark (f, 50, "epoch 1");
  mh_plot_figure_layout (f, &theme, 640, 400);
  g_assert_cmpuint (f->axis_serial, !=, serial);
  serial = f->axis_serial;
  mh_plot_figure_set_visible (f, markers, FALSE);
  mh_plot_figure_layout (f, &theme, 640, 400);
  g_assert_cmpuint (f->axis_serial, !=, serial);
  /* far beyond the x range: the ticks move */
  serial = f->axis_serial;
  mh_plot_series_append (mh_plot_figure_get_series (f, line), 1000, 3);
  mh_plot_figure_layout (f, &theme, 640, 400);
  g_assert_cmpuint (f->axis_serial, !=, serial);
  mh_plot_figure_free (f);
  mh_plot_theme_clear (&theme);
}

/* ---- drawing ------------------------------------------------------------------------ */

static guint32
pixel (cairo_surface_t *surface, int x, int y)
{
  cairo_surface_flush (surface);
  return ((guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface)))[x];
}

static guint32
argb (const GdkRGBA *c)
{
  return 0xff000000u | (guint32) lround (c->red * 255) << 16 | (guint32) lround (c->green * 255) << 8
         | (guint32) lround (c->blue * 255);
}

/* The surface's pixels around (x, y) hold `colour` (within a little antialiasing). */
static gboolean
has_colour_near (cairo_surface_t *surface, double x, double y, guint32 colour)
{
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++)
      {
        guint32 p = pixel (surface, (int) x + dx, (int) y + dy);
        gboolean close = TRUE;
        for (int shift = 0; shift < 24; shift += 8)
          close = close && abs ((int) ((p >> shift) & 0xff) - (int) ((colour >> shift) & 0xff)) <= 24;
        if (close)
          return TRUE;
      }
  return FALSE;
}

static cairo_surface_t *
draw_figure (MhPlotFigure *f, const MhPlotTheme *theme, MhPlotLayerGroup groups)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, f->width, f->height);
  cairo_t *cr = cairo_create (surface);

  gdk_cairo_set_source_rgba (cr, &theme->bg);
  cairo_paint (cr);
  mh_plot_figure_draw (f, cr, theme, groups);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return surface;
}

static void
count_layer (const MhPlotFigure *f, cairo_t *cr, const MhPlotTheme *theme, gpointer data)
{
  (*(int *) data)++;
}

static void
test_figure_draw (void)
{
  MhPlotTheme light, dark;
  int line, markers, calls = 0;
  MhPlotFigure *f;
  cairo_surface_t *all, *axis, *data, *night;
  double px, py, ex, ey;

  mh_plot_theme_init (&light, FALSE);
  mh_plot_theme_init (&dark, TRUE);
  f = line_figure (&light, &line, &markers);
  mh_plot_figure_add_layer (f, MH_PLOT_LAYER_DATA, count_layer, &calls, NULL);
  /* the line is drawn where the mapping puts it, in its colour; empty frame is background */
  all = draw_figure (f, &light, MH_PLOT_LAYER_ALL);
  g_assert_cmpint (calls, ==, 1);
  g_assert_true (mh_plot_figure_map (f, 30, 3, &px, &py));
  g_assert_true (has_colour_near (all, px, py, argb (&blue)));
  g_assert_true (mh_plot_figure_map (f, 90, 11, &ex, &ey));
  g_assert_true (has_colour_near (all, ex, ey, argb (&light.bg)));
  g_assert_false (has_colour_near (all, ex, ey, argb (&blue)));
  /* the groups: the axis layers without the line, the data layers without the title */
  axis = draw_figure (f, &light, MH_PLOT_LAYER_AXIS);
  g_assert_cmpint (calls, ==, 1);
  g_assert_false (has_colour_near (axis, px, py, argb (&blue)));
  data = draw_figure (f, &light, MH_PLOT_LAYER_DATA);
  g_assert_cmpint (calls, ==, 2);
  g_assert_true (has_colour_near (data, px, py, argb (&blue)));
  {
    gboolean title_ink = FALSE, title_blank = TRUE;
    for (int y = 8; y < 26; y++)
      for (int x = 12; x < 50; x++)
        {
          title_ink = title_ink || pixel (axis, x, y) != pixel (axis, 0, 0);
          title_blank = title_blank && pixel (data, x, y) == pixel (data, 0, 0);
        }
    g_assert_true (title_ink);
    g_assert_true (title_blank);
  }
  /* dark is not light: another background, the line in its dark colour */
  night = draw_figure (f, &dark, MH_PLOT_LAYER_ALL);
  g_assert_cmpuint (pixel (night, (int) ex, (int) ey) & 0xffffff, !=, pixel (all, (int) ex, (int) ey) & 0xffffff);
  g_assert_true (has_colour_near (night, ex, ey, argb (&dark.bg)));
  g_assert_true (has_colour_near (night, px, py, argb (&blue)));   /* no dark colour given: the same */
  cairo_surface_destroy (all);
  cairo_surface_destroy (axis);
  cairo_surface_destroy (data);
  cairo_surface_destroy (night);
  /* the pointer's layers draw on a plain cairo_t too */
  {
    cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 400);
    cairo_t *cr = cairo_create (s);
    mh_plot_layer_readout (f, cr, &light, px, py);
    mh_plot_layer_band (f, cr, &light, px, px + 50);
    g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpuint (pixel (s, (int) px + 30, (int) f->frame.y + 20) >> 24, >, 0);   /* the box or the band */
    cairo_destroy (cr);
    cairo_surface_destroy (s);
  }
  mh_plot_figure_free (f);
  mh_plot_theme_clear (&light);
  mh_plot_theme_clear (&dark);
}

static void
test_figure_export (void)
{
  MhPlotTheme theme;
  int line, markers;
  MhPlotFigure *f;
  g_autofree char *png = g_build_filename (tmp_dir, "figure.png", NULL);
  g_autofree char *svg = g_build_filename (tmp_dir, "figure.svg", NULL);
  g_autofree char *pdf = g_build_filename (tmp_dir, "figure.pdf", NULL);
  g_autofree char *bmp = g_build_filename (tmp_dir, "figure.bmp", NULL);
  g_autofree char *nowhere = g_build_filename (tmp_dir, "no-such-folder", "figure.png", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *image;

  mh_plot_theme_init (&theme, FALSE);
  f = line_figure (&theme, &line, &markers);
  g_assert_true (mh_plot_figure_export (f, &theme, png, 320, 200, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 640);   /* twice: sharp on a slide */
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 400);
  cairo_surface_destroy (image);
  g_assert_true (mh_plot_figure_export (f, &theme, svg, 320, 200, &error));
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<svg"));
  g_clear_pointer (&text, g_free);
  g_assert_true (mh_plot_figure_export (f, &theme, pdf, 320, 200, &error));
  g_assert_true (g_file_get_contents (pdf, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "%PDF"));
  g_assert_false (mh_plot_figure_export (f, &theme, bmp, 320, 200, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, bmp));
  g_clear_error (&error);
  g_assert_false (g_file_test (bmp, G_FILE_TEST_EXISTS));
  g_clear_pointer (&text, g_free);
  g_assert_false (mh_plot_figure_export (f, &theme, nowhere, 320, 200, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_IO);
  g_assert_nonnull (strstr (error->message, nowhere));
  g_clear_error (&error);
  /* saved through mh-save: never over a file of another kind */
  {
    g_autofree char *project = g_build_filename (tmp_dir, "figure-over-project.png", NULL);
    g_assert_true (g_file_set_contents (project, "{ \"format\": 1, \"heads\": [] }", -1, NULL));
    g_assert_false (mh_plot_figure_export (f, &theme, project, 320, 200, &error));
    g_assert_nonnull (error);
    g_assert_true (g_file_get_contents (project, &text, NULL, NULL) && g_str_has_prefix (text, "{"));
  }
  mh_plot_figure_free (f);
  mh_plot_theme_clear (&theme);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = mh_test_tmp_dir ();
  g_test_add_func ("/ui/plot/axis/linear", test_axis_linear);
  g_test_add_func ("/ui/plot/axis/log", test_axis_log);
  g_test_add_func ("/ui/plot/series/smoothing", test_series_smoothing);
  g_test_add_func ("/ui/plot/series/decimation", test_series_decimation);
  g_test_add_func ("/ui/plot/figure/mapping", test_figure_mapping);
  g_test_add_func ("/ui/plot/figure/readout", test_figure_readout);
  g_test_add_func ("/ui/plot/figure/runs", test_figure_runs);
  g_test_add_func ("/ui/plot/figure/axis-serial", test_figure_axis_serial);
  g_test_add_func ("/ui/plot/figure/draw", test_figure_draw);
  g_test_add_func ("/ui/plot/figure/export", test_figure_export);
  status = g_test_run ();
  mh_test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
