/* main.c — multihead-studio: a subcommand (train, …) or the application. */
#include <string.h>
#include <glib/gi18n.h>
#include "mh-application.h"
#include "mh-blas.h"
#include "mh-cli.h"
#include "mh-i18n.h"

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "train", mh_cli_train, N_("train a project without a display") },
  { "eval", mh_cli_eval, N_("each head's figures on the test set for given weights") },
  { "predict", mh_cli_predict, N_("every head's prediction for image files") },
  { "export-torch", mh_cli_export_torch, N_("write the model as PyTorch code (model.py, train_ddp.py)") },
  { "render-attention", mh_cli_render_attention, N_("draw what every attention head looks at (PNG)") },
  { "render-saliency", mh_cli_render_saliency, N_("draw what each prediction head looks at (PNG, SVG, JSON)") },
  { "runs", mh_cli_runs, N_("the project's recorded runs: list, rename, pin, delete, retention") },
  { "render-curves", mh_cli_render_curves, N_("the recorded runs' per-head loss curves overlaid (PNG, SVG, PDF)") },
};

static void
usage (void)
{
  g_print (_("Usage:\n  multihead-studio [FILE.mhproj]\n  multihead-studio --ui-benchmark [FILE.mhproj] [--seconds N]\n"
           "  multihead-studio COMMAND [OPTION…]\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-17s %s\n", commands[i].name, _(commands[i].summary));
  g_print (_("\n'multihead-studio COMMAND --help' describes a command's options.\n"));
}

int
main (int argc, char **argv)
{
  mh_i18n_init (NULL);
  mh_blas_ensure_best_core (argv);

  if (argc > 1 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      usage ();
      return 0;
    }
  if (argc > 1 && strcmp (argv[1], "--ui-benchmark") == 0)
    return mh_cli_ui_benchmark (argc - 1, argv + 1);
  for (guint i = 0; argc > 1 && i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);
  /* a mistyped command is said so, before GTK looks for a display */
  if (argc > 1)
    {
      const char *names[G_N_ELEMENTS (commands) + 1] = { NULL };
      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        names[i] = commands[i].name;
      if (mh_cli_unknown_command (argv[1], names))
        return 2;
    }

  /* No subcommand: the application, on FILE.mhproj or the default project. */
  {
    g_autofree char *project = mh_cli_default_project ();
    g_autoptr(MhApplication) app = mh_application_new (project);
    return g_application_run (G_APPLICATION (app), argc, argv);
  }
}
