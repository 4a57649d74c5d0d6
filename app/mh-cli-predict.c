/* mh-cli-predict.c — `multihead-studio predict FILE --weights W INPUT…
 * [--json]`: every head's answer for each input, which is by the model's
 * data set
 *   an image    IMAGE… (decoded by mh-image.h, stretched to the model's
 *               input, grey or RGB);
 *   text        --text WORD… (the word's last characters as tokens; the
 *               characters its vocabulary lacks read as unknown);
 *   signals     RECORDING.csv… (mh-dataset-sensor-csv.c: every window of
 *               each file, its labels ignored).
 *
 * Classification heads: the top classes with their probabilities (softmax);
 * multi-label heads: each label's probability (sigmoid) and those over the
 * head's threshold; regression heads: their numbers (a box also in the
 * image's pixels).  No data set is loaded, only its schema (for text, the
 * vocabulary: the dictionary is read).
 */
#include <math.h>
#include <glib/gi18n.h>
#include "mh-cli.h"
#include "mh-error.h"
#include "mh-image.h"
#include "mh-schema.h"
#include "mh-splits.h"
#include "mh-weights.h"

typedef struct {
  char     *weights;
  char     *data_dir;
  int       top;
  gboolean  invert;
  gboolean  text;
  gboolean  json;
} PredictOptions;

static gboolean
parse_options (char ***args, PredictOptions *opt, GError **error)
{
  g_autoptr (GOptionContext) ctx =
    g_option_context_new (N_("FILE.mhproj IMAGE…|--text WORD…|RECORDING.csv… — every head's prediction for each input"));
  const GOptionEntry entries[] = {
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &opt->weights, N_("The weights (default: the project's)"), "W" },
    { "text", 0, 0, G_OPTION_ARG_NONE, &opt->text, N_("The arguments are words (a model of text)"), NULL },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opt->data_dir,
      N_("Where the data set is (default: the project's); for text, its vocabulary is read from there"), "PATH" },
    { "top", 0, 0, G_OPTION_ARG_INT, &opt->top, N_("Classes shown per classification head (default 3)"), "K" },
    { "invert", 0, 0, G_OPTION_ARG_NONE, &opt->invert,
      N_("Invert the pixels (dark things on a light ground, for a model of Fashion-MNIST's light on dark)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt->json, N_("Print the predictions as JSON on the last line"), NULL },
    { NULL }
  };

  opt->top = 3;
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  mh_cli_add_common_options (ctx);
  if (!g_option_context_parse_strv (ctx, args, error) || !mh_cli_apply_common_options (error))
    return FALSE;
  if (g_strv_length (*args) < 3)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("predict takes a project file and at least one input: images, --text WORDS or recording CSVs "
                   "(see 'multihead-studio predict --help')"));
      return FALSE;
    }
  if (opt->top < 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--top must be at least 1"));
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
      g_string_append_printf (line, _("%s (labels with a probability ≥ %.2f)"), shown ? "" : _(" none"),
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
          g_string_append_printf (line, _("  (box x0 %.0f, y0 %.0f, x1 %.0f, y1 %.0f in the image's pixels)"),
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

/* The heads' answers of the last forward pass into `text` and the builder. */
static void
describe_heads (const MhModel *m, const MhDataset *schema, const PredictOptions *opt, GString *text,
                JsonBuilder *b)
{
  json_builder_set_member_name (b, "heads");
  json_builder_begin_object (b);
  for (int h = 0; h < m->n_heads; h++)
    describe_head (&m->heads[h], &schema->fields[m->heads[h].field], opt->top, 0, 0, text, b);
  json_builder_end_object (b);
}

static void
emit (const PredictOptions *opt, GString *text)
{
  if (opt->json)
    g_printerr ("%s", text->str);
  else
    g_print ("%s", text->str);
}

static gboolean
predict_word (MhModel *m, const MhDataset *schema, const char *word, int index, const PredictOptions *opt,
              JsonBuilder *b, GError **error)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *what = g_strdup_printf (_("--text word %d"), index);
  int t = m->input.dim[0], unknown, kept;
  glong len;

  if (!mh_vocab_encode (m->vocab, word, t, m->x, &unknown, &kept, what, error))
    return FALSE;
  len = g_utf8_strlen (word, -1);
  mh_model_forward (m, 1, FALSE, NULL);
  g_string_append_printf (text, "%s", word);
  if (kept < len)
    g_string_append_printf (text, _(" (the model reads its last %d characters: '%s')"), kept,
                            g_utf8_offset_to_pointer (word, len - kept));
  if (unknown > 0)
    {
      g_autoptr (GString) chars = g_string_new (NULL);
      for (const char *p = g_utf8_offset_to_pointer (word, len - kept); *p; p = g_utf8_next_char (p))
        if (mh_vocab_token (m->vocab, g_utf8_get_char (p)) == MH_TOKEN_UNKNOWN)
          g_string_append_unichar (chars, g_utf8_get_char (p));
      g_string_append_printf (text, _(" (%d %s the vocabulary lacks, read as unknown: '%s')"), unknown,
                              unknown == 1 ? "character" : "characters", chars->str);
    }
  g_string_append (text, ":\n");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, word);
  json_builder_set_member_name (b, "characters");
  json_builder_add_int_value (b, len);
  json_builder_set_member_name (b, "characters_read");
  json_builder_add_int_value (b, kept);
  json_builder_set_member_name (b, "unknown_characters");
  json_builder_add_int_value (b, unknown);
  describe_heads (m, schema, opt, text, b);
  json_builder_end_object (b);
  emit (opt, text);
  return TRUE;
}

/* Every window of a recording CSV; its signal columns must be the model's. */
static gboolean
predict_recording (MhModel *m, const MhDataset *schema, const char *path, const PredictOptions *opt,
                   JsonBuilder *b, GError **error)
{
  g_autoptr (GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (MhDataset) d = mh_sensor_csv_read (path, m->input.dim[0], (const char *const *) schema->channels,
                                                skipped, error);

  if (d == NULL)
    return FALSE;
  for (guint i = 0; i < skipped->len; i++)
    g_printerr (_("left out: %s\n"), (char *) skipped->pdata[i]);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "windows");
  json_builder_begin_array (b);
  for (int w = 0; w < d->n; w++)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      mh_dataset_fill_inputs (d, &w, 1, m->x);
      mh_model_forward (m, 1, FALSE, NULL);
      g_string_append_printf (text, _("%s, window %d of %d:\n"), path, w + 1, d->n);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "window");
      json_builder_add_int_value (b, w);
      describe_heads (m, schema, opt, text, b);
      json_builder_end_object (b);
      emit (opt, text);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return TRUE;
}

static gboolean
predict_all (MhModel *m, const MhDataset *schema, char **args, const PredictOptions *opt, JsonBuilder *b,
             GError **error)
{
  static const char *const members[] = { "images", "texts", "recordings" };
  gboolean ok = TRUE;

  if (opt->text && m->input_kind != MH_INPUT_TOKENS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--text: this model reads %s, not text"), m->input_kind == MH_INPUT_PIXELS ? _("images")
                                                                                             : _("sensor recordings"));
      return FALSE;
    }
  /* every word checked before any answer is printed */
  for (int i = 2; m->input_kind == MH_INPUT_TOKENS && args[i] != NULL; i++)
    {
      g_autofree char *what = g_strdup_printf (_("--text word %d"), i - 1);
      if (!mh_vocab_encode (m->vocab, args[i], m->input.dim[0], m->x, NULL, NULL, what, error))
        return FALSE;
    }
  json_builder_set_member_name (b, members[m->input_kind]);
  json_builder_begin_array (b);
  for (int i = 2; ok && args[i] != NULL; i++)
    switch (m->input_kind)
      {
      case MH_INPUT_PIXELS:
        ok = predict_image (m, schema, args[i], opt, b, error);
        break;
      case MH_INPUT_TOKENS:
        ok = predict_word (m, schema, args[i], i - 1, opt, b, error);
        break;
      case MH_INPUT_SIGNALS:
        ok = predict_recording (m, schema, args[i], opt, b, error);
        break;
      }
  json_builder_end_array (b);
  return ok;
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
       && (schema = mh_schema_new_at (&p->data, opt.data_dir, &error))
       && (m = mh_model_new (p, schema, 1, where, &error))
       && mh_model_load_weights (m, weights, &error);
  if (ok)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "project");
      json_builder_add_string_value (b, p->name);
      ok = predict_all (m, schema, args, &opt, b, &error);
      json_builder_end_object (b);
      if (ok && opt.json)
        mh_cli_print_json (b);
    }
  mh_model_free (m);
  g_free (opt.weights);
  g_free (opt.data_dir);
  return ok ? 0 : mh_cli_fail (error);
}
