/* mh-cli.h — the subcommands that need no display (DESIGN.md §7). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv[0] is the subcommand's name.  Return the exit status. */
int mh_cli_train (int argc, char **argv);
int mh_cli_render_attention (int argc, char **argv);

/* The example project opened when no file is given. */
char *mh_cli_default_project (void);

G_END_DECLS
