/* cli-common.c: the pieces every `twsim` subcommand uses. */
#include "cli.h"

#include "scenario-parser.h"

int
cli_usage_error (const char *message)
{
  g_printerr ("twsim: %s\nTry 'twsim --help'.\n", message);
  return EXIT_BAD_INPUT;
}

gboolean
cli_parse_options (GOptionContext *ctx, int *argc, char ***argv)
{
  GError *error = NULL;
  if (g_option_context_parse (ctx, argc, argv, &error))
    return TRUE;
  cli_usage_error (error->message);
  g_error_free (error);
  return FALSE;
}

ScenarioRunner *
cli_load_scenario (const char *path, gboolean seed_given, guint64 seed, ScenarioScript **script_out)
{
  GError *error = NULL;
  ScenarioScript *script = scenario_parse_file (path, &error);
  if (script == NULL)
    {
      g_printerr ("%s\n", error->message);
      g_error_free (error);
      return NULL;
    }
  ScenarioRunner *runner = scenario_runner_new (script, seed_given, seed, &error);
  if (runner == NULL)
    {
      g_printerr ("%s\n", error->message);
      g_error_free (error);
      scenario_script_free (script);
      return NULL;
    }
  *script_out = script;
  return runner;
}

int
cli_plot_trace_file (const char *trace_path, const char *dir, const PlotOptions *opts)
{
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  gboolean ok = plot_render_file (trace_path, dir, opts, notes, &error);
  for (guint i = 0; i < notes->len; i++)
    g_printerr ("twsim: %s\n", (const char *) g_ptr_array_index (notes, i));
  if (!ok)
    {
      gboolean bad_trace = g_error_matches (error, PLOT_ERROR, PLOT_ERROR_BAD_TRACE);
      g_printerr ("%s%s\n", bad_trace ? "" : "twsim: ", error->message);
      g_error_free (error);
      return EXIT_BAD_INPUT;
    }
  return EXIT_SUCCESS;
}

gboolean
cli_write_whole (const char *path, const GString *text)
{
  GError *error = NULL;
  if (!g_file_set_contents (path, text->str, (gssize) text->len, &error))
    {
      g_printerr ("twsim: %s\n", error->message);
      g_error_free (error);
      return FALSE;
    }
  return TRUE;
}
