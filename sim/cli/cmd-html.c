/* cmd-html.c: `twsim html A.jsonl [B.jsonl] --out OUT.html`: the
 * interactive viewer of one trace, or of two side by side with their
 * cursors locked on virtual time; also what `twsim run --html` calls. */
#include "cli.h"

#include "html-viewer.h"

int
cli_html_trace_files (const char *const *trace_paths, const char *const *names, guint n,
                      guint64 max_events, const char *out_path)
{
  PlotTrace *traces[2] = { NULL, NULL };
  int status = EXIT_SUCCESS;
  for (guint i = 0; i < n && status == EXIT_SUCCESS; i++)
    {
      GError *error = NULL;
      traces[i] = plot_trace_load_all (trace_paths[i], &error);
      if (traces[i] == NULL)
        {
          gboolean bad_trace = g_error_matches (error, PLOT_ERROR, PLOT_ERROR_BAD_TRACE);
          g_printerr ("%s%s\n", bad_trace ? "" : "twsim: ", error->message);
          g_error_free (error);
          status = EXIT_BAD_INPUT;
        }
    }
  if (status == EXIT_SUCCESS)
    {
      g_autoptr (GString) page = g_string_new (NULL);
      html_viewer_write (page, traces, names, n, max_events);
      if (!cli_write_whole (out_path, page))
        status = EXIT_BAD_INPUT;
    }
  for (guint i = 0; i < n; i++)
    plot_trace_free (traces[i]);
  return status;
}

int
cmd_html (int argc, char **argv)
{
  g_autofree char *out = NULL;
  gint64 max_events = HTML_VIEWER_MAX_EVENTS;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the page to OUT.html (whole or not at all)", "OUT.html" },
    { "max-events", 0, 0, G_OPTION_ARG_INT64, &max_events, "Keep at most N events of each trace (default 60000); the page says what it left out", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("TRACE.jsonl [TRACE2.jsonl] --out OUT.html - step through a run in the browser");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Writes one self-contained HTML page (no network access) with the ladder, a\n"
    "time cursor stepping event by event (keys left/right), each host's RFC 9293\n"
    "state diagram and every decision on a clicked segment. Two traces are shown\n"
    "side by side, their cursors locked on virtual time.\n"
    "Exit status: 0 page written, 2 bad trace or usage.");
  if (!cli_parse_options (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  if (argc != 2 && argc != 3)
    return cli_usage_error ("html needs one or two TRACE.jsonl files");
  if (out == NULL)
    return cli_usage_error ("html needs --out OUT.html");
  if (max_events < 1)
    return cli_usage_error ("--max-events takes a positive number");
  g_autofree char *a = g_path_get_basename (argv[1]);
  g_autofree char *b = argc == 3 ? g_path_get_basename (argv[2]) : NULL;
  const char *names[2] = { a, b };
  return cli_html_trace_files ((const char *const *) argv + 1, names, (guint) argc - 1, (guint64) max_events, out);
}
