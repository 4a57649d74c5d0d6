/* mh-cli.h — the subcommands that need no display (DESIGN.md §7). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "mh-metrics.h"
#include "mh-model.h"

G_BEGIN_DECLS

/* argv[0] is the subcommand's name.  Return the exit status. */
int mh_cli_train (int argc, char **argv);
int mh_cli_render_attention (int argc, char **argv);
int mh_cli_render_saliency (int argc, char **argv);
int mh_cli_eval (int argc, char **argv);
int mh_cli_predict (int argc, char **argv);
int mh_cli_export_torch (int argc, char **argv);
int mh_cli_runs (int argc, char **argv);
int mh_cli_render_curves (int argc, char **argv);
/* argv[0] is "--ui-benchmark" (mh-cli-benchmark.c; needs a display). */
int mh_cli_ui_benchmark (int argc, char **argv);

/* render-attention on a sequence model (mh-cli-sequence-figure.c). */
typedef struct {
  const char *weights;
  const char *out;       /* .png or .svg */
  const char *data_dir;
  const char *text;      /* the word; NULL: test sample `sample` */
  int         sample;
} MhCliSequenceOptions;
int mh_cli_render_sequence (const char *project_file, const MhCliSequenceOptions *opt);

/* Shared by the subcommands (mh-cli-common.c). */
/* Prints "multihead-studio: MESSAGE", frees the error, returns 1. */
int   mh_cli_fail (GError *error);
/* Each head's figures on stderr: "SPLIT HEAD: loss …  accuracy …". */
void  mh_cli_print_metrics (const char *split, const MhModel *m, const MhHeadMetrics *mt);
/* PREFIX_loss, PREFIX_acc, … (NaN figures left out). */
void  mh_cli_json_number (JsonBuilder *b, const char *prefix, const char *name, double value);
void  mh_cli_json_metrics (JsonBuilder *b, const char *prefix, const MhHeadMetrics *mt);
/* The builder's object as one line on stdout. */
void  mh_cli_print_json (JsonBuilder *b);
/* A path a project names, relative to the project file's folder. */
char *mh_cli_project_path (const char *project_file, const char *path);
/* --weights, else the project's "weights", else an error. */
char *mh_cli_weights_option (const char *project_file, const MhProject *p, const char *given,
                             GError **error);

/* The options every subcommand takes (--force, --memory-limit): add them to
 * a command's context, then apply them once it has parsed. */
void  mh_cli_add_common_options (GOptionContext *ctx);
gboolean mh_cli_apply_common_options (GError **error);
/* The inputs of the command (the project file, its data, the weights it
 * reads; NULLs are skipped) are never written over (mh-save.h). */
void  mh_cli_protect_inputs (const char *project_file, const MhProject *p, const char *data_dir,
                             const char *weights);
/* argv[1] is not a command: "unknown command 'trian' (did you mean 'train'?)",
 * with the valid ones, if it does not name a file either.  Returns TRUE
 * when it told so. */
gboolean mh_cli_unknown_command (const char *arg, const char *const *commands);
/* Levenshtein distance, for "did you mean …?". */
guint mh_cli_edit_distance (const char *a, const char *b);

/* The example project opened when no file is given. */
char *mh_cli_default_project (void);

G_END_DECLS
