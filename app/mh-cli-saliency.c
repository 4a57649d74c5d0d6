/* mh-cli-saliency.c — `multihead-studio render-saliency FILE --weights W
 * --sample N --out PNG|SVG [--json]`: what each prediction head looks at in
 * one test image, side by side (mh-attribution.h).
 *
 * The figure: the input (with the true box when the data set has one),
 * then one panel per head — per output for a regression head — with the
 * head's map over the image, its answer above it (green where right, red
 * where wrong), what it was computed on below, the map's peak marked.  The
 * title gives the sample's true labels and the heads' answers.  With
 * --json the last line on stdout is one JSON object: every map as numbers
 * (rows × columns over the image, normalised as documented in
 * docs/file-formats.md) and the sample's true labels.  --pointing-game runs
 * over the whole test split instead: how often each map's peak falls inside
 * the object's true box.  Errors: one line, exit status 1.
 */
#include <cairo.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "mh-attribution.h"
#include "mh-cli.h"
#include "mh-cli-figure.h"
#include "mh-error.h"
#include "mh-heatmap.h"
#include "mh-save.h"
#include "mh-training.h"
#include "mh-weights.h"

#define CELL    150     /* a panel, in pixels */
#define GAP     14
#define MARGIN  24
#define HEAD_H  150     /* title, two lines, the panels' labels */
#define BELOW   30      /* what each map was computed on */
#define FOOT_H  78      /* colour bar and caption */

typedef struct {
  char     *weights;
  char     *out;
  char     *data_dir;
  char     *method;
  char     *layer;
  int       sample;
  gboolean  json;
  gboolean  pointing_game;
} Options;

typedef struct {
  const char      *where;
  MhProject       *project;
  MhSplits        *data;
  MhAttributor    *attributor;
  MhModel         *model;       /* the attributor's */
  const MhDataset *test;
  int              box_field;   /* the data set's box field, or -1 */
} Job;

static const double right_rgb[3] = { 0.05, 0.45, 0.15 }, wrong_rgb[3] = { 0.75, 0.1, 0.1 };

static const char *
method_title (MhAttributionMethod m)
{
  return m == MH_ATTRIBUTION_GRAD_CAM ? _("Grad-CAM")
       : m == MH_ATTRIBUTION_GRAD_ROLLOUT ? _("gradient-weighted attention rollout") : _("gradient × input");
}

static const char *
kind_name (MhFieldKind kind)
{
  return kind == MH_FIELD_CLASS ? "classification" : kind == MH_FIELD_LABELS ? "multilabel" : "regression";
}

/* "star", "filled", "x0", "output 2". */
static char *
output_name (const Job *job, const MhAttributionMap *map)
{
  static const char *const box_names[] = { "x0", "y0", "x1", "y1" };
  const MhField *f = &job->test->fields[job->model->heads[map->head].field];

  if (f->names != NULL)
    return g_strdup (f->names[map->output]);
  if (f->box)
    return g_strdup (box_names[map->output]);
  return g_strdup_printf ("output %d", map->output);
}

/* The box of `sample`, or FALSE. */
static gboolean
true_box (const Job *job, int sample, float box[4])
{
  if (job->box_field < 0)
    return FALSE;
  memcpy (box, job->test->fields[job->box_field].values + (gsize) sample * 4, sizeof (float) * 4);
  return TRUE;
}

/* ---- the figure ------------------------------------------------------------ */

/* The box outlined over the panel at (x, y), and the map's peak ringed. */
static void
draw_marks (cairo_t *cr, const Job *job, int sample, const MhAttributionMap *map, double x, double y)
{
  MhShape in = job->model->input;
  double scale = (double) CELL / MAX (in.dim[0], in.dim[1]);
  double w = in.dim[1] * scale, h = in.dim[0] * scale, x0 = x + (CELL - w) / 2, y0 = y + (CELL - h) / 2;
  float box[4];

  if (true_box (job, sample, box))
    for (int pass = 0; pass < 2; pass++)
      {
        cairo_set_source_rgba (cr, pass ? 1 : 0, pass ? 1 : 0, pass ? 1 : 0, pass ? 0.95 : 0.5);
        cairo_set_line_width (cr, pass ? 1.5 : 3.5);
        cairo_rectangle (cr, x0 + box[0] * w, y0 + box[1] * h, (box[2] - box[0]) * w, (box[3] - box[1]) * h);
        cairo_stroke (cr);
      }
  if (map != NULL && map->peak > 0)
    {
      int cell = mh_attribution_peak_cell (map);
      double cx = x0 + (cell % map->cols + 0.5) * w / map->cols, cy = y0 + (cell / map->cols + 0.5) * h / map->rows;
      for (int pass = 0; pass < 2; pass++)
        {
          cairo_set_source_rgb (cr, pass, pass, pass);
          cairo_set_line_width (cr, pass ? 1.5 : 3.5);
          cairo_arc (cr, cx, cy, 7, 0, 2 * G_PI);
          cairo_stroke (cr);
        }
    }
}

/* Above a panel: the head, and its answer for this map. */
static void
draw_label (cairo_t *cr, const Job *job, int sample, const MhAttributionMap *map, double cx, double y)
{
  const MhHead *head = &job->model->heads[map->head];
  const MhField *f = &job->test->fields[head->field];
  g_autofree char *name = output_name (job, map), *answer = NULL;
  const double *rgb = NULL;

  mh_figure_text (cr, cx, y - 28, 15, TRUE, TRUE, NULL, head->name);
  if (f->kind == MH_FIELD_CLASS)
    {
      answer = g_strdup_printf ("%s %.0f%%", name, 100 * map->value);
      rgb = map->output == f->classes[sample] ? right_rgb : wrong_rgb;
    }
  else if (f->kind == MH_FIELD_LABELS)
    {
      answer = g_strdup_printf ("%s %.0f%%", name, 100 * map->value);
      rgb = (f->values[(gsize) sample * f->dim + map->output] > 0.5f) == (map->value > head->threshold)
            ? right_rgb : wrong_rgb;
    }
  else
    answer = g_strdup_printf ("%s %.2f (true %.2f)", name, map->value,
                              f->values[(gsize) sample * f->dim + map->output]);
  mh_figure_text (cr, cx, y - 9, 13, FALSE, TRUE, rgb, answer);
}

static void
draw_panel (cairo_t *cr, const Job *job, int sample, cairo_surface_t *image, const MhAttributionMap *map,
            double x, double y)
{
  cairo_surface_t *heat = mh_heatmap_surface (map->map, map->cols, map->rows, 1.0f);
  g_autofree char *below = g_strdup_printf ("%s %d×%d", map->layer, map->rows, map->cols);

  mh_paint_scaled (cr, image, x, y, CELL, 1.0);
  mh_paint_smooth (cr, heat, x, y, CELL, 0.6);
  cairo_surface_destroy (heat);
  draw_marks (cr, job, sample, map, x, y);
  mh_figure_frame (cr, x, y, CELL);
  draw_label (cr, job, sample, map, x + CELL / 2.0, y);
  mh_figure_text (cr, x + CELL / 2.0, y + CELL + 18, 12, FALSE, TRUE, NULL, below);
}

static void
draw_header (cairo_t *cr, const Job *job, int sample, MhAttributionMethod method)
{
  g_autofree char *title = g_strdup_printf (_("%s — test sample %d: what each head looks at (%s)"),
                                            job->project->name, sample, method_title (method));

  mh_figure_text (cr, MARGIN, 34, 20, TRUE, FALSE, NULL, title);
  mh_figure_truth (cr, job->test, sample, MARGIN, 60);
  mh_figure_predictions (cr, job->model, job->test, sample, MARGIN, 82);
}

static void
draw_footer (cairo_t *cr, const Job *job, MhAttributionMethod method, int height)
{
  static const char *const how[] = {
    NULL,
    N_("Grad-CAM: the layer's channels weighted by the mean gradient of the head's output on them"),
    N_("Rollout: R = I, then R += mean over heads of ReLU(∂y/∂A ⊙ A)·R through the blocks; the class token's row"),
    N_("Gradient × input: each pixel times the gradient of the head's output on it, summed over channels"),
  };
  double y = height - FOOT_H + 12;
  g_autofree char *caption = g_strdup_printf (
    _("%s.  Each map is ReLU'd and scaled to its own maximum (1, ringed)%s."), _(how[method]),
    job->box_field >= 0 ? _("; white: the object's true box") : "");

  mh_figure_colour_bar (cr, MARGIN, y, 220, _("drives the answer most"));
  mh_figure_text (cr, MARGIN, y + 38, 12, FALSE, FALSE, NULL, caption);
  mh_figure_text (cr, MARGIN, y + 56, 12, FALSE, FALSE, NULL,
                  _("A classification head's map is for its answer (the logit before softmax); a regression "
                  "head has one map per output."));
}

/* The width the header's lines need. */
static int
header_width (const Job *job, int sample, MhAttributionMethod method)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 8, 8);
  cairo_t *cr = cairo_create (s);
  g_autofree char *title = g_strdup_printf (_("%s — test sample %d: what each head looks at (%s)"),
                                            job->project->name, sample, method_title (method));
  double w = mh_figure_text (cr, 0, 0, 20, TRUE, FALSE, NULL, title);

  cairo_destroy (cr);
  cairo_surface_destroy (s);
  return (int) ceil (w) + 2 * MARGIN;
}

static gboolean
draw_figure (const Job *job, int sample, const MhAttribution *r, const float *x, const char *path,
             GError **error)
{
  MhAttributionMethod method = r->n_maps ? r->maps[0].method : mh_attributor_method (job->attributor);
  int width = MAX (2 * MARGIN + (r->n_maps + 1) * (CELL + GAP) - GAP, header_width (job, sample, method));
  int height = HEAD_H + CELL + BELOW + FOOT_H;
  cairo_surface_t *surface = mh_figure_surface_new (path, width, height);
  cairo_surface_t *image = mh_input_surface (x, job->model->input);
  cairo_t *cr = cairo_create (surface);
  gboolean ok;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  draw_header (cr, job, sample, method);
  mh_figure_text (cr, MARGIN + CELL / 2.0, HEAD_H - 28, 15, TRUE, TRUE, NULL, "input");
  mh_paint_scaled (cr, image, MARGIN, HEAD_H, CELL, 1.0);
  draw_marks (cr, job, sample, NULL, MARGIN, HEAD_H);
  mh_figure_frame (cr, MARGIN, HEAD_H, CELL);
  for (int i = 0; i < r->n_maps; i++)
    draw_panel (cr, job, sample, image, &r->maps[i], MARGIN + (i + 1) * (CELL + GAP), HEAD_H);
  draw_footer (cr, job, method, height);
  cairo_destroy (cr);
  cairo_surface_destroy (image);
  ok = mh_figure_save (surface, path, error);
  cairo_surface_destroy (surface);
  return ok;
}

/* ---- JSON --------------------------------------------------------------------- */

static void
json_truth (JsonBuilder *b, const MhDataset *d, int sample)
{
  json_builder_set_member_name (b, "truth");
  json_builder_begin_object (b);
  for (int i = 0; i < d->n_fields; i++)
    {
      const MhField *f = &d->fields[i];
      json_builder_set_member_name (b, f->name);
      if (f->kind == MH_FIELD_CLASS)
        {
          json_builder_add_string_value (b, f->names ? f->names[f->classes[sample]] : "");
          continue;
        }
      json_builder_begin_array (b);
      for (int k = 0; k < f->dim; k++)
        {
          float v = f->values[(gsize) sample * f->dim + k];
          if (f->kind == MH_FIELD_NUMBERS)
            json_builder_add_double_value (b, v);
          else if (v > 0.5f)
            json_builder_add_string_value (b, f->names[k]);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static void
json_map (JsonBuilder *b, const Job *job, int sample, const MhAttributionMap *map)
{
  g_autofree char *name = output_name (job, map);
  float box[4];

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "output");
  json_builder_add_int_value (b, map->output);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "value");
  json_builder_add_double_value (b, map->value);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, mh_attribution_method_name (map->method));
  json_builder_set_member_name (b, "layer");
  json_builder_add_string_value (b, map->layer);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, map->rows);
  json_builder_set_member_name (b, "cols");
  json_builder_add_int_value (b, map->cols);
  json_builder_set_member_name (b, "peak");
  json_builder_add_double_value (b, map->peak);
  if (true_box (job, sample, box))
    {
      json_builder_set_member_name (b, "peak_in_box");
      json_builder_add_boolean_value (b, mh_attribution_points_into (map, box));
    }
  json_builder_set_member_name (b, "map");
  json_builder_begin_array (b);
  for (int r = 0; r < map->rows; r++)
    {
      json_builder_begin_array (b);
      for (int c = 0; c < map->cols; c++)   /* 4 decimals: 1e-4 of the peak */
        json_builder_add_double_value (b, round (map->map[r * map->cols + c] * 1e4) / 1e4);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_json (const Job *job, int sample, const MhAttribution *r)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  MhShape in = job->model->input;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "project");
  json_builder_add_string_value (b, job->project->name);
  json_builder_set_member_name (b, "sample");
  json_builder_add_int_value (b, sample);
  json_builder_set_member_name (b, "input");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, in.rank == 3 ? in.dim[0] : 1);
  json_builder_set_member_name (b, "cols");
  json_builder_add_int_value (b, in.rank == 3 ? in.dim[1] : in.dim[0]);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "normalisation");
  json_builder_add_string_value (b, "relu-max");
  json_truth (b, job->test, sample);
  json_builder_set_member_name (b, "heads");
  json_builder_begin_object (b);
  for (int h = 0, i = 0; h < job->model->n_heads; h++)
    {
      json_builder_set_member_name (b, job->model->heads[h].name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, kind_name (job->model->heads[h].field_kind));
      json_builder_set_member_name (b, "maps");
      json_builder_begin_array (b);
      for (; i < r->n_maps && r->maps[i].head == h; i++)
        json_map (b, job, sample, &r->maps[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  mh_cli_print_json (b);
}

/* ---- the pointing game ---------------------------------------------------- */

static gboolean
pointing_game (const Job *job, gboolean json, GError **error)
{
  const MhDataset *d = job->test;
  g_autofree float *x = g_new (float, mh_shape_size (&d->shape));
  g_autofree int *hits = NULL;
  g_autoptr (MhAttribution) first = NULL;
  g_autoptr (JsonBuilder) b = NULL;
  float box[4];

  if (job->box_field < 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: --pointing-game needs a data set with a box field (such as shapes)"), job->where);
      return FALSE;
    }
  for (int s = 0; s < d->n; s++)
    {
      g_autoptr (MhAttribution) r = NULL;
      mh_dataset_fill_inputs (d, &s, 1, x);
      r = mh_attributor_explain (job->attributor, x, NULL);
      if (hits == NULL)
        hits = g_new0 (int, r->n_maps);
      true_box (job, s, box);
      for (int i = 0; i < r->n_maps; i++)
        hits[i] += mh_attribution_points_into (&r->maps[i], box);
      if (first == NULL)
        first = g_steal_pointer (&r);
    }
  if (first == NULL)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID, _("%s: the test split is empty"), job->where);
      return FALSE;
    }
  g_printerr (_("pointing game on %d test images (the map's peak inside the true box):\n"), d->n);
  if (json)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "project");
      json_builder_add_string_value (b, job->project->name);
      json_builder_set_member_name (b, "test_samples");
      json_builder_add_int_value (b, d->n);
      json_builder_set_member_name (b, "pointing_game");
      json_builder_begin_object (b);
    }
  for (int i = 0; i < first->n_maps; i++)
    {
      const MhAttributionMap *map = &first->maps[i];
      const MhHead *head = &job->model->heads[map->head];
      g_autofree char *output = output_name (job, map);
      g_autofree char *name = head->field_kind == MH_FIELD_NUMBERS ? g_strdup_printf ("%s.%s", head->name, output)
                                                                   : g_strdup (head->name);
      g_printerr ("  %-16s %5.1f%%  (%s on %s)\n", name, 100.0 * hits[i] / d->n,
                  mh_attribution_method_name (map->method), map->layer);
      if (json)
        {
          json_builder_set_member_name (b, name);
          json_builder_add_double_value (b, (double) hits[i] / d->n);
        }
    }
  if (json)
    {
      json_builder_end_object (b);
      json_builder_end_object (b);
      mh_cli_print_json (b);
    }
  return TRUE;
}

/* ---- options and the run -------------------------------------------------- */

static gboolean
parse_options (char ***args, Options *opt, GError **error)
{
  g_autoptr (GOptionContext) ctx =
    g_option_context_new (N_("FILE.mhproj — draw what each prediction head looks at, for one test image"));
  const GOptionEntry entries[] = {
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &opt->weights, N_("The trained weights (default: the project's)"), "W" },
    { "sample", 0, 0, G_OPTION_ARG_INT, &opt->sample, N_("The test image, 0-based (default 0)"), "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &opt->out, N_("The figure to write (.png or .svg)"), "FIGURE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt->json, N_("Print every map and the true labels as JSON on the last line"), NULL },
    { "method", 0, 0, G_OPTION_ARG_STRING, &opt->method,
      N_("auto (default), grad-cam, grad-rollout or grad-input"), "M" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &opt->layer,
      N_("The backbone layer grad-cam reads (default: the last convolution each head reads)"), "NAME" },
    { "pointing-game", 0, 0, G_OPTION_ARG_NONE, &opt->pointing_game,
      N_("Over the whole test split: how often each map's peak falls inside the true box"), NULL },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opt->data_dir, N_("Where the dataset is (default: the project's)"), "DIR" },
    { NULL }
  };

  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  mh_cli_add_common_options (ctx);
  if (!g_option_context_parse_strv (ctx, args, error) || !mh_cli_apply_common_options (error))
    return FALSE;
  if (g_strv_length (*args) != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("render-saliency takes one project file (see 'multihead-studio render-saliency --help')"));
      return FALSE;
    }
  if (opt->out == NULL && !opt->json && !opt->pointing_game)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("render-saliency needs --out FIGURE.png (or .svg), --json or --pointing-game"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare (Job *job, const Options *opt, GError **error)
{
  MhAttributionMethod method = MH_ATTRIBUTION_AUTO;
  g_autofree char *weights = NULL;
  const char *where = job->where;

  if (opt->method != NULL && !mh_attribution_method_from_name (opt->method, &method))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--method must be auto, grad-cam, grad-rollout or grad-input, not '%s'"), opt->method);
      return FALSE;
    }
  if (!(job->project = mh_project_load (where, error))
      || !(weights = mh_cli_weights_option (where, job->project, opt->weights, error)))
    return FALSE;
  mh_cli_protect_inputs (where, job->project, opt->data_dir, weights);
  if ((opt->out != NULL && !mh_save_check (opt->out, MH_FILE_KIND_IMAGE, MH_SAVE_DEFAULT, error))
      || !(job->data = mh_splits_load (&job->project->data, opt->data_dir, where, error)))
    return FALSE;
  job->test = job->data->test;
  if (!opt->pointing_game && (opt->sample < 0 || opt->sample >= job->test->n))
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("--sample %d is out of range: the test set has %d images (0 … %d)"),
                   opt->sample, job->test->n, job->test->n - 1);
      return FALSE;
    }
  if (!(job->attributor = mh_attributor_new (job->project, job->test, NULL, method, opt->layer, where, error)))
    return FALSE;
  job->model = mh_attributor_model (job->attributor);
  if (opt->out != NULL && job->model->input_kind != MH_INPUT_PIXELS)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: render-saliency draws images; for text and signals 'render-attention --sample N "
                   "--out FIGURE' draws each head's saliency (--json gives the maps here)"), where);
      return FALSE;
    }
  if (!mh_model_load_weights (job->model, weights, error))
    return FALSE;
  job->box_field = -1;
  for (int i = 0; i < job->test->n_fields; i++)
    if (job->test->fields[i].box && job->box_field < 0)
      job->box_field = i;
  return TRUE;
}

static gboolean
run (const Job *job, const Options *opt, GError **error)
{
  g_autofree float *x = g_new (float, mh_shape_size (&job->test->shape));
  g_autoptr (MhAttribution) r = NULL;
  int sample = opt->sample;

  if (opt->pointing_game)
    return pointing_game (job, opt->json, error);
  mh_dataset_fill_inputs (job->test, &sample, 1, x);
  r = mh_attributor_explain (job->attributor, x, NULL);   /* leaves the forward pass of x */
  if (opt->out != NULL)
    {
      if (!draw_figure (job, sample, r, x, opt->out, error))
        return FALSE;
      g_printerr (_("what each head looks at in test sample %d written to %s\n"), sample, opt->out);
    }
  if (opt->json)
    print_json (job, sample, r);
  return TRUE;
}

int
mh_cli_render_saliency (int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  Options opt = { 0 };
  Job job = { 0 };
  GError *error = NULL;
  gboolean ok;

  ok = parse_options (&args, &opt, &error)
       && (job.where = args[1], prepare (&job, &opt, &error))
       && run (&job, &opt, &error);
  if (!ok)
    g_printerr ("multihead-studio: %s\n", error->message);
  g_clear_error (&error);
  mh_attributor_free (job.attributor);
  mh_splits_free (job.data);
  g_clear_pointer (&job.project, mh_project_free);
  g_free (opt.weights);
  g_free (opt.out);
  g_free (opt.data_dir);
  g_free (opt.method);
  g_free (opt.layer);
  return ok ? 0 : 1;
}
