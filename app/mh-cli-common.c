/* mh-cli-common.c — what the subcommands share: the error line, the per-head
 * figures on stderr and in JSON, paths a project names, and opening a
 * project with its data and a model with its weights. */
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>
#include "mh-cli.h"
#include "mh-error.h"
#include "mh-limits.h"
#include "mh-save.h"
#include "mh-weights.h"

static gboolean force;
static char *memory_limit;

void
mh_cli_add_common_options (GOptionContext *ctx)
{
  static const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Replace a file of another kind where a file is saved (never an input of the command)"), NULL },
    { "memory-limit", 0, 0, G_OPTION_ARG_STRING, &memory_limit,
      N_("The most memory a model or data set may need, e.g. 8G, 512M or 75% (default: half of "
      "the physical memory, or $MH_MEMORY_LIMIT)"), "SIZE" },
    { NULL }
  };


  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
}

gboolean
mh_cli_apply_common_options (GError **error)
{
  guint64 bytes;

  mh_save_set_force (force);
  if (memory_limit == NULL)
    return TRUE;
  if (!mh_limits_parse_size (memory_limit, "--memory-limit", &bytes, error))
    return FALSE;
  mh_limits_set_memory_budget (bytes);
  return TRUE;
}

void
mh_cli_protect_inputs (const char *project_file, const MhProject *p, const char *data_dir,
                       const char *weights)
{
  g_autofree char *data = NULL, *transfer = NULL;

  if (project_file != NULL)
    mh_save_protect (project_file, _("the project this command reads"));
  data = data_dir != NULL ? g_strdup (data_dir)
       : p != NULL && p->data.path != NULL ? mh_cli_project_path (project_file, p->data.path) : NULL;
  if (data != NULL)
    mh_save_protect (data, _("the data this command reads"));
  /* the loaders take dataset.path as given (from the current folder) */
  if (data_dir == NULL && p != NULL && p->data.path != NULL)
    mh_save_protect (p->data.path, _("the data this command reads"));
  if (weights != NULL)
    mh_save_protect (weights, _("the weights this command reads"));
  if (p != NULL && p->transfer_weights != NULL)
    {
      transfer = mh_cli_project_path (project_file, p->transfer_weights);
      mh_save_protect (transfer, _("the transfer weights this command reads"));
    }
}

guint
mh_cli_edit_distance (const char *a, const char *b)
{
  gsize n = strlen (b);
  g_autofree guint *row = g_new (guint, n + 1);

  for (gsize j = 0; j <= n; j++)
    row[j] = j;
  for (gsize i = 1; a[i - 1] != '\0'; i++)
    {
      guint diag = row[0];
      row[0] = i;
      for (gsize j = 1; j <= n; j++)
        {
          guint up = row[j];
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + (a[i - 1] != b[j - 1]));
          diag = up;
        }
    }
  return row[n];
}

gboolean
mh_cli_unknown_command (const char *arg, const char *const *commands)
{
  g_autofree char *list = NULL;
  const char *best = NULL;
  guint best_d = G_MAXUINT;

  /* a file to open, an option, or a path: the application's */
  if (arg == NULL || *arg == '-' || strchr (arg, '.') != NULL || strchr (arg, G_DIR_SEPARATOR) != NULL
      || g_file_test (arg, G_FILE_TEST_EXISTS))
    return FALSE;
  for (guint i = 0; commands[i] != NULL; i++)
    {
      /* a command it begins ("render") before the nearest by edits */
      guint d = g_str_has_prefix (commands[i], arg) ? 0 : mh_cli_edit_distance (arg, commands[i]);
      if (d < best_d)
        best_d = d, best = commands[i];
    }
  list = g_strjoinv (", ", (char **) commands);
  if (best != NULL && best_d <= MAX (2, strlen (best) / 3))
    g_printerr (_("multihead-studio: unknown command '%s' — did you mean '%s'?\n"), arg, best);
  else
    g_printerr (_("multihead-studio: unknown command '%s'\n"), arg);
  g_printerr (_("The commands are: %s.\n'multihead-studio FILE.mhproj' opens a project in the window; "
              "'multihead-studio --help' says more.\n"), list);
  return TRUE;
}

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
        g_string_append_printf (line, _("  F1 micro %.3f macro %.3f"), mt[h].f1_micro, mt[h].f1_macro);
      if (!isnan (mt[h].mae))
        g_string_append_printf (line, _("  mean abs. error %.4f"), mt[h].mae);
      if (!isnan (mt[h].iou))
        g_string_append_printf (line, _("  mean IoU %.3f"), mt[h].iou);
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
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  /* not json-glib's generator: it writes 1e-08 as "1e-08.0", which is not JSON */
  g_autofree char *text = mh_json_write_line (root);
  /* the text entering was checked; this keeps every JSON line we write valid UTF-8 whatever
   * a file name holds */
  if (!g_utf8_validate (text, -1, NULL))
    {
      char *valid = g_utf8_make_valid (text, -1);
      g_free (text);
      text = valid;
    }
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
               _("%s: no weights: give --weights W.safetensors (or name them in the project's "
               "\"weights\")"), project_file);
  return NULL;
}
