/* mh-cli-eval.c — `multihead-studio eval FILE --weights W [--json]`: each
 * head's figures on the test split, computed as `train` computes them (the
 * same evaluation, so the same numbers for the same weights and threads).
 */
#include "mh-blas.h"
#include <glib/gi18n.h>
#include "mh-cli.h"
#include "mh-training.h"
#include "mh-weights.h"

typedef struct {
  char     *weights;
  char     *data_dir;
  int       threads;
  gboolean  json;
} EvalOptions;

static gboolean
parse_options (char ***args, EvalOptions *opt, GError **error)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new (N_("FILE.mhproj — each head's figures on the test set"));
  const GOptionEntry entries[] = {
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &opt->weights, N_("The weights (default: the project's)"), "W" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opt->data_dir, N_("Where the dataset is (default: the project's)"), "DIR" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &opt->threads, N_("Threads (default: all cores)"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt->json, N_("Print the figures as JSON on the last line"), NULL },
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
                   _("eval takes one project file (see 'multihead-studio eval --help')"));
      return FALSE;
    }
  if (opt->threads <= 0)
    opt->threads = MAX (1, (int) g_get_num_processors ());
  return TRUE;
}

static void
print_json (const MhProject *p, const char *weights, const MhModel *m, int n_test, int threads,
            const MhHeadMetrics *test)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *shown = g_filename_display_name (weights);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "project");
  json_builder_add_string_value (b, p->name);
  json_builder_set_member_name (b, "weights");
  json_builder_add_string_value (b, shown);   /* UTF-8 in the JSON, whatever the name's bytes */
  json_builder_set_member_name (b, "test_samples");
  json_builder_add_int_value (b, n_test);
  json_builder_set_member_name (b, "threads");
  json_builder_add_int_value (b, threads);
  json_builder_set_member_name (b, "blas_core");
  json_builder_add_string_value (b, mh_blas_core ());
  json_builder_set_member_name (b, "heads");
  json_builder_begin_object (b);
  for (int h = 0; h < m->n_heads; h++)
    {
      json_builder_set_member_name (b, m->heads[h].name);
      json_builder_begin_object (b);
      mh_cli_json_metrics (b, "test", &test[h]);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  mh_cli_print_json (b);
}

int
mh_cli_eval (int argc, char **argv)
{
  g_auto (GStrv) args = g_strdupv (argv);
  EvalOptions opt = { 0 };
  g_autoptr (MhProject) p = NULL;
  g_autoptr (MhSplits) data = NULL;
  g_autoptr (MhTraining) run = NULL;
  g_autofree char *weights = NULL;
  g_autofree MhHeadMetrics *test = NULL;
  GError *error = NULL;
  const char *where;
  int status = 0;

  if (!parse_options (&args, &opt, &error))
    status = mh_cli_fail (error);
  else if (!(p = mh_project_load ((where = args[1]), &error))
           || !(weights = mh_cli_weights_option (where, p, opt.weights, &error))
           || !(data = mh_splits_load (&p->data, opt.data_dir, where, &error))
           || !(run = mh_training_new (p, data, 1, opt.threads, where, &error))
           || !mh_model_load_weights (run->model, weights, &error))
    status = mh_cli_fail (error);
  else if (data->test->n == 0)
    status = mh_cli_fail (g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                                       _("%s: the test split is empty"), where));
  else
    {
      test = g_new (MhHeadMetrics, run->model->n_heads);
      mh_training_evaluate (run, data->test, test);
      g_printerr (_("%s: %d test samples, weights %s\n"), p->name, data->test->n, weights);
      mh_cli_print_metrics ("test", run->model, test);
      if (opt.json)
        print_json (p, weights, run->model, data->test->n, opt.threads, test);
    }
  g_free (opt.weights);
  g_free (opt.data_dir);
  return status;
}
