/* mh-cli-attention.c — `multihead-studio render-attention FILE --weights W
 * --sample N --out PNG`: what every attention head looks at, as a figure.
 * Models of text or signals (--text WORD, or --sample N) are drawn by
 * mh-cli-sequence-figure.c; this file draws those of images:
 *
 * For test sample N: the input image, then one row per attention layer
 * (transformer block) with a heat map per head over the image — the class
 * token's attention to each patch, or a chosen patch's with --query — and
 * the attention rollout through the blocks up to that row.  The title gives
 * the sample's true labels and the heads' predictions.  Viridis colours,
 * each map scaled to its own maximum.  Errors: one line, exit status 1.
 */
#include <cairo.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "mh-attention-maps.h"
#include "mh-cli.h"
#include "mh-cli-figure.h"
#include "mh-error.h"
#include "mh-heatmap.h"
#include "mh-save.h"
#include "mh-save-cairo.h"
#include "mh-training.h"
#include "mh-weights.h"

#define CELL    150     /* a panel, in pixels */
#define GAP     14
#define MARGIN  24
#define LABEL_W 92      /* the row labels' column */
#define HEAD_H  118     /* title, two lines, column labels */
#define FOOT_H  64      /* colour bar and caption */

typedef struct {
  char     *weights;
  char     *out;
  char     *data_dir;
  char     *fusion;
  char     *text;
  int       sample;
  int       query;      /* a patch, or -1: the class token */
} Options;

typedef struct {
  const MhModel   *model;
  const MhDataset *test;
  MhAttentionInfo  info;
  const char      *project;
  int              sample;
  int              query;
  MhHeadFusion     fusion;
  int              max_heads;
} Figure;

static void
text (cairo_t *cr, double x, double y, double size, gboolean bold, gboolean centred, const char *s)
{
  mh_figure_text (cr, x, y, size, bold, centred, NULL, s);
}

static void
frame (cairo_t *cr, double x, double y)
{
  mh_figure_frame (cr, x, y, CELL);
}

/* The input, dimmed, under the attention of one grid (normalised to its max). */
static void
draw_heat (cairo_t *cr, const Figure *f, cairo_surface_t *image, const float *grid, double x, double y)
{
  float max = 0;
  cairo_surface_t *s;

  for (int k = 0; k < f->info.grid_h * f->info.grid_w; k++)
    max = MAX (max, grid[k]);
  s = mh_heatmap_surface (grid, f->info.grid_w, f->info.grid_h, max);
  mh_paint_scaled (cr, image, x, y, CELL, 1.0);
  mh_paint_scaled (cr, s, x, y, CELL, 0.62);
  cairo_surface_destroy (s);
  if (f->query >= 0)   /* outline the query patch */
    {
      double side = (double) CELL / MAX (f->info.grid_h, f->info.grid_w);
      double x0 = x + (CELL - side * f->info.grid_w) / 2, y0 = y + (CELL - side * f->info.grid_h) / 2;
      cairo_set_source_rgb (cr, 1.0, 0.35, 0.2);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, x0 + side * (f->query % f->info.grid_w) + 1, y0 + side * (f->query / f->info.grid_w) + 1,
                       side - 2, side - 2);
      cairo_stroke (cr);
    }
  frame (cr, x, y);
}

static void
draw_header (cairo_t *cr, const Figure *f, int width)
{
  g_autofree char *title = NULL;
  double x0 = MARGIN + LABEL_W, y = HEAD_H - 10;

  if (f->query < 0)
    title = g_strdup_printf (_("%s — test sample %d: what the class token attends to"), f->project, f->sample);
  else
    title = g_strdup_printf (_("%s — test sample %d: what patch %d (row %d, column %d) attends to"), f->project,
                             f->sample, f->query, f->query / f->info.grid_w + 1, f->query % f->info.grid_w + 1);
  text (cr, MARGIN, 34, 20, TRUE, FALSE, title);
  mh_figure_truth (cr, f->test, f->sample, MARGIN, 60);
  mh_figure_predictions (cr, f->model, f->test, f->sample, MARGIN, 82);
  text (cr, x0 + CELL / 2.0, y, 14, TRUE, TRUE, "input");
  for (int h = 0; h < f->max_heads; h++)
    {
      g_autofree char *label = g_strdup_printf ("head %d", h + 1);
      text (cr, x0 + (h + 1) * (CELL + GAP) + CELL / 2.0, y, 14, TRUE, TRUE, label);
    }
  text (cr, x0 + (f->max_heads + 1) * (CELL + GAP) + CELL / 2.0, y, 14, TRUE, TRUE, "rollout");
}

static void
draw_footer (cairo_t *cr, const Figure *f, int width, int height)
{
  static const char *const fusions[] = { N_("averaged"), N_("fused by max"), N_("fused by min") };
  double y = height - FOOT_H + 14, bar_w = 220;
  g_autofree char *caption = g_strdup_printf (
    _("Each map is scaled to its own maximum, over the %d×%d patches.  Rollout: heads %s, ½A + ½I, "
    "multiplied through the blocks up to that row."), f->info.grid_h, f->info.grid_w, _(fusions[f->fusion]));

  mh_figure_colour_bar (cr, MARGIN, y, bar_w, _("high attention"));
  text (cr, MARGIN, y + 38, 12, FALSE, FALSE, caption);
}

/* The grid one head shows: the class token's row, or the query patch's. */
static void
head_grid (const Figure *f, int layer, int head, float *grid)
{
  if (f->query < 0)
    mh_attention_class_grid (f->model, &f->info, layer, head, 0, grid);
  else
    mh_attention_patch_grid (f->model, &f->info, layer, head, 0, f->query, grid);
}

static gboolean
draw_figure (const Figure *f, const char *path, GError **error)
{
  int n_layers = f->info.n_layers, t = f->info.tokens;
  int width = 2 * MARGIN + LABEL_W + (f->max_heads + 2) * (CELL + GAP) - GAP;
  int height = HEAD_H + n_layers * (CELL + GAP) + FOOT_H;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_surface_t *image = mh_input_surface (f->model->x, f->model->input);
  cairo_t *cr = cairo_create (surface);
  g_autofree float *grid = g_new (float, f->info.grid_h * f->info.grid_w);
  g_autofree float *rollout = g_new (float, (gsize) t * t);
  gboolean ok;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  draw_header (cr, f, width);
  mh_paint_scaled (cr, image, MARGIN + LABEL_W, HEAD_H, CELL, 1.0);
  frame (cr, MARGIN + LABEL_W, HEAD_H);
  for (int l = 0; l < n_layers; l++)
    {
      double y = HEAD_H + l * (CELL + GAP), x = MARGIN + LABEL_W;
      const MhLayer *layer = mh_attention_layer (f->model, l);

      text (cr, MARGIN, y + CELL / 2.0 + 5, 14, TRUE, FALSE, layer->spec.name);
      for (int h = 0; h < mh_attention_heads (f->model, l); h++)
        {
          head_grid (f, l, h, grid);
          draw_heat (cr, f, image, grid, x + (h + 1) * (CELL + GAP), y);
        }
      mh_attention_rollout (f->model, 0, l + 1, f->fusion, rollout);
      mh_attention_row_grid (&f->info, rollout, f->query < 0 ? 0 : f->info.first_patch + f->query, grid);
      draw_heat (cr, f, image, grid, x + (f->max_heads + 1) * (CELL + GAP), y);
    }
  draw_footer (cr, f, width, height);
  cairo_destroy (cr);
  cairo_surface_destroy (image);
  ok = mh_save_png (path, surface, error);   /* atomic, never over an input */
  cairo_surface_destroy (surface);
  return ok;
}

static gboolean
parse_options (char ***args, Options *opt, GError **error)
{
  g_autoptr (GOptionContext) ctx =
    g_option_context_new (N_("FILE.mhproj — draw what every attention head looks at, for one test image"));
  const GOptionEntry entries[] = {
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &opt->weights, N_("The trained weights (W.safetensors)"), "W" },
    { "sample", 0, 0, G_OPTION_ARG_INT, &opt->sample, N_("The test image, 0-based (default 0)"), "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &opt->out, N_("The figure to write"), "PNG" },
    { "query", 0, 0, G_OPTION_ARG_INT, &opt->query,
      N_("Show what patch P attends to (row-major, 0-based) instead of the class token"), "P" },
    { "fusion", 0, 0, G_OPTION_ARG_STRING, &opt->fusion, N_("How rollout fuses the heads: mean, max or min"), "F" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opt->data_dir, N_("Where the dataset is (default: the project's)"), "DIR" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &opt->text,
      N_("A word, for a model of text: its heads' attention (a transformer) or saliency (other backbones)"), "WORD" },
    { NULL }
  };

  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  mh_cli_add_common_options (ctx);
  /* _strv: the strings it takes out of args are freed, not leaked */
  if (!g_option_context_parse_strv (ctx, args, error) || !mh_cli_apply_common_options (error))
    return FALSE;
  if (g_strv_length (*args) != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("render-attention takes one project file (see 'multihead-studio render-attention --help')"));
      return FALSE;
    }
  if (opt->weights == NULL || opt->out == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("render-attention needs --weights W.safetensors and --out FIGURE.png (or .svg for text and signals)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_fusion (const char *name, MhHeadFusion *out, GError **error)
{
  static const char *const names[] = { "mean", "max", "min", NULL };

  for (int i = 0; names[i]; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *out = (MhHeadFusion) i;
        return TRUE;
      }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--fusion must be mean, max or min, not '%s'"), name);
  return FALSE;
}

/* Everything but the drawing: the project, the model with its weights, the
 * forward pass of the one sample. */
static gboolean
prepare (const char *where, const Options *opt, MhProject **project, MhSplits **data,
         MhModel **model, Figure *f, GError **error)
{
  int idx[1] = { opt->sample };

  if (!parse_fusion (opt->fusion ? opt->fusion : "mean", &f->fusion, error)
      || !(*project = mh_project_load (where, error)))
    return FALSE;
  mh_cli_protect_inputs (where, *project, opt->data_dir, opt->weights);
  if (!mh_save_check (opt->out, MH_FILE_KIND_IMAGE, MH_SAVE_DEFAULT, error)
      || !(*data = mh_splits_load (&(*project)->data, opt->data_dir, where, error))
      || !(*model = mh_model_new (*project, (*data)->test, 1, where, error))
      || !mh_attention_info (*model, &f->info, where, error))
    return FALSE;
  if (f->info.grid_h == 0)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("%s: the attention layers' tokens are not the patches of a patch_embed layer: "
                   "there is no image to draw them on"), where);
      return FALSE;
    }
  if (opt->sample < 0 || opt->sample >= (*data)->test->n)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("--sample %d is out of range: the test set has %d images (0 … %d)"),
                   opt->sample, (*data)->test->n, (*data)->test->n - 1);
      return FALSE;
    }
  if (opt->query < -1 || opt->query >= f->info.grid_h * f->info.grid_w)
    {
      g_set_error (error, MH_ERROR, MH_ERROR_INVALID,
                   _("--query %d is out of range: the image has %d×%d patches (0 … %d)"), opt->query,
                   f->info.grid_h, f->info.grid_w, f->info.grid_h * f->info.grid_w - 1);
      return FALSE;
    }
  if (!mh_model_load_weights (*model, opt->weights, error))
    return FALSE;
  mh_model_set_batch (*model, (*data)->test, idx, 1);
  mh_model_forward (*model, 1, FALSE, NULL);
  f->model = *model;
  f->test = (*data)->test;
  f->project = (*project)->name;
  f->sample = opt->sample;
  f->query = opt->query;
  for (int l = 0; l < f->info.n_layers; l++)
    f->max_heads = MAX (f->max_heads, mh_attention_heads (*model, l));
  return TRUE;
}

/* A model of text or signals (its data set's kind), or --text given. */
static gboolean
is_sequence_project (const char *where, const char *text)
{
  g_autoptr (MhProject) p = text == NULL ? mh_project_load (where, NULL) : NULL;
  static const char *const kinds[] = { "german-nouns", "sensors", "sensor-csv", NULL };

  return text != NULL || (p != NULL && g_strv_contains (kinds, p->data.kind));
}

int
mh_cli_render_attention (int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  Options opt = { .query = -1 };
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhSplits) data = NULL;
  MhModel *model = NULL;
  Figure f = { 0 };
  GError *error = NULL;
  gboolean ok;

  ok = parse_options (&args, &opt, &error);
  if (ok && is_sequence_project (args[1], opt.text))
    {
      MhCliSequenceOptions seq = { opt.weights, opt.out, opt.data_dir, opt.text, opt.sample };
      int status = mh_cli_render_sequence (args[1], &seq);
      g_free (opt.weights);
      g_free (opt.out);
      g_free (opt.data_dir);
      g_free (opt.fusion);
      g_free (opt.text);
      return status;
    }
  ok = ok && prepare (args[1], &opt, &p, &data, &model, &f, &error)
       && draw_figure (&f, opt.out, &error);
  if (ok)
    g_printerr (_("attention of test sample %d written to %s\n"), f.sample, opt.out);
  else
    g_printerr ("multihead-studio: %s\n", error->message);
  g_clear_error (&error);
  mh_model_free (model);
  g_free (opt.weights);
  g_free (opt.out);
  g_free (opt.data_dir);
  g_free (opt.fusion);
  g_free (opt.text);
  return ok ? 0 : 1;
}
