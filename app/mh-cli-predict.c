/* mh-cli-predict.c — `multihead-studio predict FILE --weights W IMAGE…
 * [--json]`: every head's answer for each image.
 *
 * Classification heads: the top classes with their probabilities (softmax);
 * multi-label heads: each label's probability (sigmoid) and those over the
 * head's threshold; regression heads: their numbers (a box also in the
 * image's pixels).  Images go through mh-image.h (decoded, stretched to the
 * model's input, grey or RGB); no dataset is loaded, only its schema.
 */
#include <math.h>
#include "mh-cli.h"
#include "mh-image.h"
#include "mh-schema.h"
#include "mh-weights.h"

typedef struct {
  char     *weights;
  int       top;
  gboolean  invert;
  gboolean  json;
} PredictOptions;

static gboolean
parse_options (char ***args, PredictOptions *opt, GError **error)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE.mhproj IMAGE… — every head's prediction for each image");
  const GOptionEntry entries[] = {
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &opt->weights, "The weights (default: the project's)", "W" },
    { "top", 0, 0, G_OPTION_ARG_INT, &opt->top, "Classes shown per classification head (default 3)", "K" },
    { "invert", 0, 0, G_OPTION_ARG_NONE, &opt->invert,
      "Invert the pixels (dark things on a light ground, for a model of Fashion-MNIST's light on dark)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt->json, "Print the predictions as JSON on the last line", NULL },
    { NULL }
  };

  opt->top = 3;
  g_option_context_add_main_entries (ctx, entries, NULL);
  mh_cli_add_common_options (ctx);
  if (!g_option_context_parse_strv (ctx, args, error) || !mh_cli_apply_common_options (error))
    return FALSE;
  if (g_strv_length (*args) < 3)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "predict takes a project file and at least one image (see 'multihead-studio predict --help')");
      return FALSE;
    }
  if (opt->top < 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--top must be at least 1");
      return FALSE;
    }
  return TRUE;
}

/* Indices of the k largest of v[0..n), largest first. */
static void
top_k (const double *v, int n, int k, int *idx)
{
  for (int j = 0; j < k; j++)
    {
      int best = -1;
      for (int i = 0; i < n; i++)
        {
          gboolean taken = FALSE;
          for (int t = 0; t < j; t++)
            taken = taken || idx[t] == i;
          if (!taken && (best < 0 || v[i] > v[best]))
            best = i;
        }
      idx[j] = best;
    }
}

static void
softmax (const float *z, int n, double *p)
{
  double max = z[0], sum = 0;

  for (int i = 1; i < n; i++)
    max = MAX (max, z[i]);
  for (int i = 0; i < n; i++)
    sum += p[i] = exp (z[i] - max);
  for (int i = 0; i < n; i++)
    p[i] /= sum;
}

static const char *
name_of (const MhField *f, int i)
{
  return f->names != NULL ? f->names[i] : "?";
}

/* One head's answer, on `line` and into the builder. */
static void
describe_head (const MhHead *head, const MhField *f, int top, int width, int height,
               GString *line, JsonBuilder *b)
{
  int k = head->out_dim;
  const float *z = head->logits;
  g_autofree double *p = g_new (double, k);   /* not on the stack: k comes from the data */

  g_string_append_printf (line, "  %s:", head->name);
  json_builder_set_member_name (b, head->name);
  json_builder_begin_object (b);
  if (f->kind == MH_FIELD_CLASS)
    {
      int n = MIN (top, k);
      g_autofree int *idx = g_new (int, n);
      softmax (z, k, p);
      top_k (p, k, n, idx);
      json_builder_set_member_name (b, "top");
      json_builder_begin_array (b);
      for (int j = 0; j < n; j++)
        {
          g_string_append_printf (line, "%s %s %.1f%%", j ? "," : "", name_of (f, idx[j]), 100 * p[idx[j]]);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "class");
          json_builder_add_string_value (b, name_of (f, idx[j]));
          json_builder_set_member_name (b, "index");
          json_builder_add_int_value (b, idx[j]);
          json_builder_set_member_name (b, "probability");
          json_builder_add_double_value (b, p[idx[j]]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  else if (f->kind == MH_FIELD_LABELS)
    {
      int shown = 0;
      json_builder_set_member_name (b, "probabilities");
      json_builder_begin_object (b);
      for (int i = 0; i < k; i++)
        {
          p[i] = 1.0 / (1.0 + exp (-z[i]));
          json_builder_set_member_name (b, name_of (f, i));
          json_builder_add_double_value (b, p[i]);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "labels");
      json_builder_begin_array (b);
      for (int i = 0; i < k; i++)
        if (p[i] >= head->threshold)
          {
            g_string_append_printf (line, "%s %s %.2f", shown++ ? "," : "", name_of (f, i), p[i]);
            json_builder_add_string_value (b, name_of (f, i));
          }
      json_builder_end_array (b);
      g_string_append_printf (line, "%s (labels with a probability ≥ %.2f)", shown ? "" : " none",
                              head->threshold);
    }
  else
    {
      json_builder_set_member_name (b, "values");
      json_builder_begin_array (b);
      for (int i = 0; i < k; i++)
        {
          g_string_append_printf (line, " %.4f", z[i]);
          json_builder_add_double_value (b, z[i]);
        }
      json_builder_end_array (b);
      if (f->box && k == 4)
        {
          double px[4] = { z[0] * width, z[1] * height, z[2] * width, z[3] * height };
          g_string_append_printf (line, "  (box x0 %.0f, y0 %.0f, x1 %.0f, y1 %.0f in the image's pixels)",
                                  px[0], px[1], px[2], px[3]);
          json_builder_set_member_name (b, "box_pixels");
          json_builder_begin_array (b);
          for (int i = 0; i < 4; i++)
            json_builder_add_double_value (b, px[i]);
          json_builder_end_array (b);
        }
    }
  json_builder_end_object (b);
  g_string_append_c (line, '\n');
}

static gboolean
predict_image (MhModel *m, const MhDataset *schema, const char *path, const PredictOptions *opt,
               JsonBuilder *b, GError **error)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *shown = g_filename_display_name (path);
  gsize size = mh_shape_size (&m->input);
  int width, height;

  if (!mh_image_load_input (path, m->input, m->x, &width, &height, error))
    return FALSE;
  for (gsize i = 0; opt->invert && i < size; i++)
    m->x[i] = 1.0f - m->x[i];
  mh_model_forward (m, 1, FALSE, NULL);
  g_string_append_printf (text, "%s (%d×%d):\n", shown, width, height);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, shown);   /* UTF-8, whatever the file name's bytes */
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, width);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, height);
  json_builder_set_member_name (b, "heads");
  json_builder_begin_object (b);
  for (int h = 0; h < m->n_heads; h++)
    describe_head (&m->heads[h], &schema->fields[m->heads[h].field], opt->top, width, height, text, b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  if (opt->json)
    g_printerr ("%s", text->str);
  else
    g_print ("%s", text->str);
  return TRUE;
}

int
mh_cli_predict (int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  PredictOptions opt = { 0 };
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhDataset) schema = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *weights = NULL;
  MhModel *m = NULL;
  GError *error = NULL;
  const char *where;
  gboolean ok;

  ok = parse_options (&args, &opt, &error)
       && (p = mh_project_load ((where = args[1]), &error))
       && (weights = mh_cli_weights_option (where, p, opt.weights, &error))
       && (schema = mh_schema_new (&p->data, &error))
       && (m = mh_model_new (p, schema, 1, where, &error))
       && mh_model_load_weights (m, weights, &error);
  if (ok)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "project");
      json_builder_add_string_value (b, p->name);
      json_builder_set_member_name (b, "images");
      json_builder_begin_array (b);
      for (int i = 2; ok && args[i] != NULL; i++)
        ok = predict_image (m, schema, args[i], &opt, b, &error);
      json_builder_end_array (b);
      json_builder_end_object (b);
      if (ok && opt.json)
        mh_cli_print_json (b);
    }
  mh_model_free (m);
  g_free (opt.weights);
  return ok ? 0 : mh_cli_fail (error);
}
