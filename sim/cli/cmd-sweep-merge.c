/* cmd-sweep-merge.c: `twsim sweep-merge PARTS... [--csv F] [--json F]
 * [--plot DIR]`: the shards of one sweep added up; prints and writes
 * exactly what the unsharded `twsim sweep` would. */
#include "cli.h"
#include "sweep-outputs.h"

int
cmd_sweep_merge (int argc, char **argv)
{
  SweepOutputOptions out = { 0 };
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &out.csv, "Also write the cells as CSV to FILE (whole or not at all)", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &out.json, "Also write the cells as JSON to FILE (whole or not at all)", "FILE" },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &out.plot_dir, "Draw probability against the first varied setting into DIR", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("PARTS... - merge the shards of a sweep");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "PARTS are the files of `twsim sweep --shard I/N --part FILE`, one per\n"
    "shard 1..N of the same sweep, in any order.\n"
    "Exit status: 0 results written, 2 bad input, usage or a file not written.");
  int status = EXIT_BAD_INPUT;
  if (!cli_parse_options (ctx, &argc, &argv))
    ;
  else if (argc < 2)
    cli_usage_error ("sweep-merge needs at least one part FILE");
  else
    {
      GError *error = NULL;
      SweepResult *result = sweep_merge_parts ((const char *const *) argv + 1, (guint) argc - 1, &error);
      if (result == NULL)
        {
          g_printerr ("twsim: %s\n", error->message);
          g_error_free (error);
        }
      else
        status = sweep_outputs_write (result, &out);
      sweep_result_free (result);
    }
  g_free (out.csv);
  g_free (out.json);
  g_free (out.plot_dir);
  return status;
}
