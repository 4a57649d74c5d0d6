/* mh-cli-export.c — `multihead-studio export-torch FILE --weights W --out DIR`:
 * the model as PyTorch code (mh-export-torch.h), the weights beside it. */
#include <gio/gio.h>
#include <glib/gi18n.h>
#include "mh-cli.h"
#include "mh-export-torch.h"
#include "mh-save.h"
#include "mh-schema.h"
#include "mh-weights.h"

typedef struct {
  char *weights;
  char *out;
  char *data_dir;
} ExportOptions;

static gboolean
parse_options (char ***args, ExportOptions *opt, GError **error)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new (N_("FILE.mhproj — the model as PyTorch code"));
  const GOptionEntry entries[] = {
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &opt->weights,
      N_("Weights to check and copy as DIR/weights.safetensors (default: the project's, if any)"), "W" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &opt->out, N_("The folder to write (made if need be)"), "DIR" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opt->data_dir, N_("Where train_ddp.py looks for the data by default"), "DIR" },
    { NULL }
  };

  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  mh_cli_add_common_options (ctx);
  if (!g_option_context_parse_strv (ctx, args, error) || !mh_cli_apply_common_options (error))
    return FALSE;
  if (g_strv_length (*args) != 2 || opt->out == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("export-torch takes one project file and --out DIR (see 'multihead-studio export-torch --help')"));
      return FALSE;
    }
  return TRUE;
}

/* The weights, checked against the model, copied into the folder. */
static gboolean
copy_weights (MhModel *m, const char *weights, const char *dir, GError **error)
{
  g_autofree char *dest = g_build_filename (dir, "weights.safetensors", NULL);
  g_autoptr (GFile) from = g_file_new_for_path (weights), to = g_file_new_for_path (dest);

  if (!mh_model_load_weights (m, weights, error))
    return FALSE;
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    {
      g_prefix_error (error, "%s: ", dest);
      return FALSE;
    }
  return TRUE;
}

int
mh_cli_export_torch (int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  ExportOptions opt = { 0 };
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhDataset) schema = NULL;
  g_autofree char *weights = NULL, *data_dir = NULL;
  g_autoptr (MhSaveFolder) folder = NULL;
  MhModel *m = NULL;
  GError *error = NULL;
  const char *where;
  gboolean ok;

  ok = parse_options (&args, &opt, &error)
       && (p = mh_project_load ((where = args[1]), &error))
       && (schema = mh_schema_new_at (&p->data, opt.data_dir, &error))
       && (m = mh_model_new (p, schema, 1, where, &error));
  if (ok)
    {
      weights = opt.weights != NULL ? g_strdup (opt.weights) : mh_cli_project_path (where, p->weights);
      data_dir = opt.data_dir != NULL ? g_strdup (opt.data_dir)
               : p->data.path != NULL ? mh_cli_project_path (where, p->data.path)
               : g_strcmp0 (p->data.kind, "fashion-mnist") == 0 ? g_strdup (mh_fashion_mnist_default_dir ())
               : NULL;
      mh_cli_protect_inputs (where, p, opt.data_dir, weights);
      /* built in a temporary folder beside DIR, moved into place only when complete */
      folder = mh_save_folder_begin (opt.out, MH_SAVE_DEFAULT, &error);
      ok = folder != NULL
           && mh_export_torch (m, p, schema, data_dir, mh_save_folder_path (folder), &error)
           && (weights == NULL || copy_weights (m, weights, mh_save_folder_path (folder), &error))
           && mh_save_folder_commit (g_steal_pointer (&folder), &error);
    }
  if (ok)
    g_printerr (_("%s/model.py and %s/train_ddp.py written%s%s\n"), opt.out, opt.out,
                weights ? _("; the weights checked and copied to ") : "",
                weights ? "weights.safetensors" : "");
  mh_model_free (m);
  g_free (opt.weights);
  g_free (opt.out);
  g_free (opt.data_dir);
  return ok ? 0 : mh_cli_fail (error);
}
