/* cmd-run.c: `twsim run FILE [options]`: replay a scenario, narrate it,
 * write the outputs asked for, and report its expectations.
 * Exit status: 0 every expectation held, 1 an expectation failed,
 * 2 bad input or usage, 3 stopped for lack of progress. */
#include "cli.h"
#include "progress-watch.h"
#include "run-outputs.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_EVENT_CAP 50000000

typedef struct {
  gint64 seed;
  gboolean seed_given;
  char *until;
  char *trace_path;
  gboolean quiet;
  gint64 max_events;
  gint64 max_idle_events;
  char *max_idle_time;
  char *plot_dir;
  char *pcap_path;
  char *html_path;
  gboolean ladder;
  gboolean brief;
  gboolean relative;
} RunOptions;

static gboolean
parse_until (const RunOptions *opts, SimTime *until)
{
  *until = SIM_TIME_NEVER;
  if (opts->until == NULL)
    return TRUE;
  const char *problem = NULL;
  if (!sim_time_parse_duration (opts->until, until, &problem))
    {
      g_printerr ("twsim: --until %s: %s\n", opts->until, problem);
      return FALSE;
    }
  return TRUE;
}

static RunOutputOptions
output_options (const RunOptions *opts)
{
  return (RunOutputOptions) {
    .quiet = opts->quiet,
    .brief = opts->brief,
    .relative = opts->relative,
    .ladder = opts->ladder,
    .trace_path = opts->trace_path,
    .pcap_path = opts->pcap_path,
    .plot_dir = opts->plot_dir,
    .html_path = opts->html_path,
  };
}

static gboolean
parse_idle_time (const RunOptions *opts, SimTime *out)
{
  *out = PROGRESS_WATCH_DEFAULT_TIME;
  if (opts->max_idle_time == NULL)
    return TRUE;
  if (strcmp (opts->max_idle_time, "0") == 0)
    {
      *out = 0;
      return TRUE;
    }
  const char *problem = NULL;
  if (!sim_time_parse_duration (opts->max_idle_time, out, &problem))
    {
      g_printerr ("twsim: --max-idle-time %s: %s\n", opts->max_idle_time, problem);
      return FALSE;
    }
  return TRUE;
}

static int
run_loaded (ScenarioRunner *runner, const ScenarioScript *script, const RunOptions *opts, SimTime until,
            const ProgressWatch *watch)
{
  RunOutputs outputs = { 0 };
  RunOutputOptions out_opts = output_options (opts);
  out_opts.title = script->path;
  if (!run_outputs_open (&outputs, runner, script, &out_opts))
    {
      run_outputs_close (&outputs);
      return EXIT_BAD_INPUT;
    }
  SimRunOutcome outcome = scenario_runner_run (runner, until, (guint64) opts->max_events);
  run_outputs_print_ladder (&outputs);
  g_autoptr (GString) report = g_string_new (NULL);
  scenario_runner_report (runner, outcome, report);
  if (opts->brief)
    {
      g_autoptr (GString) wrapped = g_string_new (NULL);
      narration_wrap_text (wrapped, report->str, NARRATION_BRIEF_WIDTH);
      fputs (wrapped->str, stdout);
    }
  else
    fputs (report->str, stdout);
  int status = scenario_runner_all_held (runner) ? EXIT_SUCCESS : EXIT_EXPECTATION_FAILED;
  if (progress_watch_stalled (watch) != NULL)
    {
      g_autofree char *at = sim_time_format (sim_engine_now (scenario_runner_engine (runner)));
      g_printerr ("twsim: %s: run stopped at %s: %s. --max-idle-time and --max-idle-events set "
                  "the limits (0 = none).\n", script->path, at, progress_watch_stalled (watch));
      status = EXIT_NO_PROGRESS;
    }
  if (!run_outputs_commit (&outputs, &out_opts))
    status = EXIT_BAD_INPUT;
  fflush (stdout);
  run_outputs_close (&outputs);
  return status;
}

static int
run_with_options (const RunOptions *opts, int argc, char **argv)
{
  if (argc != 2)
    return cli_usage_error ("run needs exactly one scenario FILE");
  if ((opts->seed_given && opts->seed < 0) || opts->max_events < 0 || opts->max_idle_events < 0)
    return cli_usage_error ("--seed, --max-events and --max-idle-events take non-negative numbers");
  SimTime until, idle_time;
  if (!parse_until (opts, &until) || !parse_idle_time (opts, &idle_time))
    return EXIT_BAD_INPUT;
  RunOutputOptions out_opts = output_options (opts);
  if (!run_outputs_check_paths (argv[1], &out_opts))
    return EXIT_BAD_INPUT;
  ScenarioScript *script = NULL;
  ScenarioRunner *runner = cli_load_scenario (argv[1], opts->seed_given, (guint64) opts->seed, &script);
  if (runner == NULL)
    return EXIT_BAD_INPUT;
  ProgressWatch *watch = progress_watch_new (scenario_runner_engine (runner),
                                             (guint64) opts->max_idle_events, idle_time);
  int status = run_loaded (runner, script, opts, until, watch);
  scenario_runner_free (runner);
  progress_watch_free (watch);
  scenario_script_free (script);
  return status;
}

int
cmd_run (int argc, char **argv)
{
  RunOptions opts = { .seed = -1, .max_events = DEFAULT_EVENT_CAP,
                      .max_idle_events = PROGRESS_WATCH_DEFAULT_EVENTS };
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opts.seed, "Seed for every random stream (overrides the scenario's `seed`)", "N" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &opts.until, "Stop at this virtual time (e.g. 90s); default: when nothing is left to happen", "T" },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &opts.trace_path, "Write the JSON lines trace to FILE (written whole or not at all)", "FILE.jsonl" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opts.quiet, "Print only the closing report, not the timeline", NULL },
    { "max-events", 0, 0, G_OPTION_ARG_INT64, &opts.max_events, "Stop after N events (default 50000000; 0 = no cap)", "N" },
    { "max-idle-events", 0, 0, G_OPTION_ARG_INT64, &opts.max_idle_events, "Stop a run after N trace events in a row without progress (default 1000000; 0 = no limit)", "N" },
    { "max-idle-time", 0, 0, G_OPTION_ARG_STRING, &opts.max_idle_time, "Stop a run whose events go on for T of virtual time without progress (default 10min; 0 = no limit)", "T" },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &opts.plot_dir, "At the end, draw the plots into DIR (as `twsim plot`)", "DIR" },
    { "pcap", 0, 0, G_OPTION_ARG_FILENAME, &opts.pcap_path, "Write every delivered segment to FILE.pcap (IPv4 or IPv6, TCP or UDP, for Wireshark/tshark)", "FILE.pcap" },
    { "html", 0, 0, G_OPTION_ARG_FILENAME, &opts.html_path, "At the end, write the viewer page to OUT.html (as `twsim html`)", "OUT.html" },
    { "ladder", 0, 0, G_OPTION_ARG_NONE, &opts.ladder, "Print a ladder diagram in the terminal at the end", NULL },
    { "brief", 'b', 0, G_OPTION_ARG_NONE, &opts.brief, "The story for a class: no expectation that held, no timer bookkeeping, short segment lines, relative sequence numbers, lines wrapped to 100 columns", NULL },
    { "relative", 0, 0, G_OPTION_ARG_NONE, &opts.relative, "Sequence numbers relative to each direction's ISN (Wireshark's habit; implied by --brief)", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE - replay a scenario and narrate it");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "The default narration is the full detail: every segment with addresses, window\n"
    "and timestamps, every timer, every expectation checked. --brief is the view for\n"
    "students (the full one stays the default, for checking and for diffs).\n\n"
    "Progress: a TCP state change, a socket call, bytes accepted, a timer fired or an\n"
    "expectation checked. A run whose events go on without progress (an endless ACK\n"
    "loop) is stopped with exit status 3.\n"
    "Exit status: 0 every expectation held, 1 an expectation failed, 2 bad input or usage,\n"
    "3 stopped for lack of progress.");
  if (!cli_parse_options (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  opts.seed_given = opts.seed != -1;
  /* The strings are freed here only, on every path. */
  int status = run_with_options (&opts, argc, argv);
  g_free (opts.until);
  g_free (opts.max_idle_time);
  g_free (opts.trace_path);
  g_free (opts.plot_dir);
  g_free (opts.pcap_path);
  g_free (opts.html_path);
  return status;
}
