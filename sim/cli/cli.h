/* cli.h: what the `twsim` subcommands share: exit statuses, option
 * parsing, loading a scenario and drawing a saved trace. One file per
 * subcommand (cmd-*.c); twsim.c only dispatches. */
#pragma once

#include <glib.h>

#include "plot-render.h"
#include "scenario-runner.h"

G_BEGIN_DECLS

#define EXIT_EXPECTATION_FAILED 1
#define EXIT_BAD_INPUT 2

/* "twsim: MESSAGE / Try 'twsim --help'." on stderr; returns EXIT_BAD_INPUT. */
int             cli_usage_error      (const char *message);
/* Parses a command's options; on a usage error says so and returns FALSE. */
gboolean        cli_parse_options    (GOptionContext *ctx, int *argc, char ***argv);
/* Parses the scenario and builds its runner; prints file:line:col errors. */
ScenarioRunner *cli_load_scenario    (const char *path, gboolean seed_given, guint64 seed,
                                      ScenarioScript **script_out);
/* Draws the plots of a saved trace into dir; prints notes and errors.
 * Returns EXIT_SUCCESS or EXIT_BAD_INPUT. */
int             cli_plot_trace_file  (const char *trace_path, const char *dir,
                                      const PlotOptions *opts);

/* Writes the file whole or not at all (a complete temporary file renamed
 * into place); says why on stderr when it cannot. */
gboolean        cli_write_whole      (const char *path, const GString *text);

/* The subcommands; argv[0] is the subcommand's name. */
int cmd_run           (int argc, char **argv);
int cmd_check         (int argc, char **argv);
int cmd_plot          (int argc, char **argv);
int cmd_matrix        (int argc, char **argv);
int cmd_sweep         (int argc, char **argv);
int cmd_sweep_merge   (int argc, char **argv);
int cmd_settings      (int argc, char **argv);
int cmd_personalities (int argc, char **argv);
int cmd_packetdrill   (int argc, char **argv);

G_END_DECLS
