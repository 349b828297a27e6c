/* cmd-matrix.c: `twsim matrix FILES... [--csv FILE] [--json FILE]`: each
 * hazard scenario under each defence variant, as a table (matrix.h). */
#include "cli.h"

#include "matrix.h"

#include <stdio.h>

int
cmd_matrix (int argc, char **argv)
{
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Also write the cells as CSV to FILE (whole or not at all)", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json, "Also write the cells as JSON to FILE (whole or not at all)", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILES... - each hazard scenario under each defence");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GString) help = g_string_new (
      "Runs every scenario as written and under each defence variant (settings put\n"
      "on every host), and prints which hazards the verdicts found: H1 (corruption),\n"
      "H2, H3, TWA (TIME-WAIT assassination), REUSE (TIME-WAIT cut short, then the\n"
      "four-tuple reused), or none; n/a where the variant does not apply to the\n"
      "scenario (a `# matrix: SETTINGS...` comment line in the file lists the variants\n"
      "that apply, by their settings; without one, all do). The scenarios' own\n"
      "expectations are not checked.\n\n"
      "Variants:\n");
  matrix_describe_variants (help);
  g_string_append (help, "\nExit status: 0 table printed, 2 bad input, usage or a file not written.");
  g_option_context_set_summary (ctx, help->str);
  GError *error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("twsim: %s\nTry 'twsim matrix --help'.\n", error->message);
      g_error_free (error);
      return 2;
    }
  if (argc < 2)
    {
      g_printerr ("twsim: matrix needs at least one scenario FILE\nTry 'twsim matrix --help'.\n");
      return 2;
    }
  g_autoptr (GPtrArray) cells = matrix_run ((const char *const *) argv + 1, (guint) argc - 1, &error);
  if (cells == NULL)
    {
      g_printerr ("%s\n", error->message);
      g_error_free (error);
      return 2;
    }
  g_autoptr (GString) table = g_string_new (NULL);
  matrix_format_table (cells, table);
  fputs (table->str, stdout);
  int status = 0;
  if (csv != NULL)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      matrix_format_csv (cells, text);
      if (!cli_write_whole (csv, text))
        status = 2;
    }
  if (json != NULL)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      matrix_format_json (cells, text);
      if (!cli_write_whole (json, text))
        status = 2;
    }
  return status;
}
