/* mh-cli-common.c — what the subcommands share: the error line, the per-head
 * figures on stderr and in JSON, paths a project names, and opening a
 * project with its data and a model with its weights. */
#include <math.h>
#include "mh-cli.h"
#include "mh-error.h"
#include "mh-weights.h"

int
mh_cli_fail (GError *error)
{
  g_printerr ("multihead-studio: %s\n", error->message);
  g_error_free (error);
  return 1;
}

void
mh_cli_print_metrics (const char *split, const MhModel *m, const MhHeadMetrics *mt)
{
  for (int h = 0; h < m->n_heads; h++)
    {
      GString *line = g_string_new (NULL);
      g_string_append_printf (line, "%s %s: loss %.4f", split, m->heads[h].name, mt[h].loss);
      if (!isnan (mt[h].accuracy))
        g_string_append_printf (line, "  accuracy %.2f%%", 100 * mt[h].accuracy);
      if (!isnan (mt[h].f1_micro))
        g_string_append_printf (line, "  F1 micro %.3f macro %.3f", mt[h].f1_micro, mt[h].f1_macro);
      if (!isnan (mt[h].mae))
        g_string_append_printf (line, "  mean abs. error %.4f", mt[h].mae);
      if (!isnan (mt[h].iou))
        g_string_append_printf (line, "  mean IoU %.3f", mt[h].iou);
      g_printerr ("%s\n", line->str);
      g_string_free (line, TRUE);
    }
}

void
mh_cli_json_number (JsonBuilder *b, const char *prefix, const char *name, double value)
{
  g_autofree char *key = g_strdup_printf ("%s_%s", prefix, name);

  if (isnan (value))
    return;
  json_builder_set_member_name (b, key);
  json_builder_add_double_value (b, value);
}

void
mh_cli_json_metrics (JsonBuilder *b, const char *prefix, const MhHeadMetrics *mt)
{
  mh_cli_json_number (b, prefix, "loss", mt->loss);
  mh_cli_json_number (b, prefix, "acc", mt->accuracy);
  mh_cli_json_number (b, prefix, "f1_micro", mt->f1_micro);
  mh_cli_json_number (b, prefix, "f1_macro", mt->f1_macro);
  mh_cli_json_number (b, prefix, "mae", mt->mae);
  mh_cli_json_number (b, prefix, "iou", mt->iou);
}

void
mh_cli_print_json (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

char *
mh_cli_project_path (const char *project_file, const char *path)
{
  g_autofree char *dir = NULL;

  if (path == NULL || g_path_is_absolute (path))
    return g_strdup (path);
  dir = g_path_get_dirname (project_file);
  return g_build_filename (dir, path, NULL);
}

char *
mh_cli_weights_option (const char *project_file, const MhProject *p, const char *given,
                       GError **error)
{
  if (given != NULL)
    return g_strdup (given);
  if (p->weights != NULL)
    return mh_cli_project_path (project_file, p->weights);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               "%s: no weights: give --weights W.safetensors (or name them in the project's "
               "\"weights\")", project_file);
  return NULL;
}
