/* cmd-plot.c: `twsim plot TRACE.jsonl --out DIR [--from T] [--to T]`:
 * ladder, state timeline and time-sequence plots of a saved trace. */
#include "cli.h"

static gboolean
parse_plot_time (const char *option, const char *text, gboolean *given, gint64 *out)
{
  if (text == NULL)
    return TRUE;
  const char *problem = NULL;
  if (!sim_time_parse_duration (text, out, &problem))
    {
      g_printerr ("twsim: %s %s: %s\n", option, text, problem);
      return FALSE;
    }
  *given = TRUE;
  return TRUE;
}

int
cmd_plot (int argc, char **argv)
{
  g_autofree char *out = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the plots into DIR (created if missing)", "DIR" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Ladder: show segments sent from this time on (e.g. 100ms)", "T" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Ladder: show segments sent up to this time (e.g. 2s)", "T" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("TRACE.jsonl --out DIR - draw plots from a JSON lines trace");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Writes ladder, states and tseq-HOST-INC plots into DIR: data (*.dat), gnuplot\n"
    "scripts (*.gp) and, when gnuplot is installed, PNG and SVG images.\n"
    "The ladder shows the first 300 segments unless --from/--to choose a window.\n"
    "Exit status: 0 plots written, 2 bad trace, usage or gnuplot failure.");
  if (!cli_parse_options (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  if (argc != 2)
    return cli_usage_error ("plot needs exactly one TRACE.jsonl file");
  if (out == NULL)
    return cli_usage_error ("plot needs --out DIR");
  PlotOptions opts = { 0 };
  if (!parse_plot_time ("--from", from, &opts.from_given, &opts.from)
      || !parse_plot_time ("--to", to, &opts.to_given, &opts.to))
    return EXIT_BAD_INPUT;
  if (opts.from_given && opts.to_given && opts.from > opts.to)
    return cli_usage_error ("--from is after --to");
  return cli_plot_trace_file (argv[1], out, &opts);
}
