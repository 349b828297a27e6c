/* twsim.c: the command line. `twsim run FILE`, `twsim check FILE`,
 * `twsim plot TRACE`.
 * Exit status: 0 every expectation held, 1 an expectation failed,
 * 2 bad input or usage. */
#include "ladder-text.h"
#include "matrix.h"
#include "narration.h"
#include "pcap-writer.h"
#include "plot-render.h"
#include "scenario-parser.h"
#include "scenario-runner.h"
#include "host-settings.h"
#include "personality.h"
#include "trace-jsonl.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define EXIT_EXPECTATION_FAILED 1
#define EXIT_BAD_INPUT 2
#define DEFAULT_EVENT_CAP 50000000

typedef struct {
  gint64 seed;
  gboolean seed_given;
  char *until;
  char *trace_path;
  gboolean quiet;
  gint64 max_events;
  char *plot_dir;
  char *pcap_path;
  gboolean ladder;
} RunOptions;

static const char *const usage_summary =
  "Commands:\n"
  "  run FILE      replay a scenario and narrate it (see `twsim run --help`)\n"
  "  check FILE    parse and validate a scenario without running it\n"
  "  plot TRACE    draw a ladder, state timeline and time-sequence graphs from a\n"
  "                JSON lines trace (see `twsim plot --help`)\n"
  "  settings      list the host and link settings a scenario may use\n"
  "  matrix FILES  each hazard scenario under each defence, as a table\n"
  "                (see `twsim matrix --help`)\n"
  "  personalities the OS personalities (linux, freebsd, ...) with their sources\n"
  "\n"
  "Exit status: 0 every expectation held, 1 an expectation failed, 2 bad input or usage.";

static int
usage_error (const char *message)
{
  g_printerr ("twsim: %s\nTry 'twsim --help'.\n", message);
  return EXIT_BAD_INPUT;
}

/* Parses a command's options; on a usage error says so and returns FALSE. */
static gboolean
parse_command_line (GOptionContext *ctx, int *argc, char ***argv)
{
  GError *error = NULL;
  if (g_option_context_parse (ctx, argc, argv, &error))
    return TRUE;
  usage_error (error->message);
  g_error_free (error);
  return FALSE;
}

static guint
host_name_width (const ScenarioScript *script)
{
  guint width = 4;
  for (guint i = 0; i < script->hosts->len; i++)
    width = MAX (width, (guint) strlen (((ScenarioHost *) g_ptr_array_index (script->hosts, i))->name));
  return width;
}

/* Parses the scenario and builds the runner; prints file:line:col errors. */
static ScenarioRunner *
load_scenario (const char *path, ScenarioScript **script_out, const RunOptions *opts)
{
  GError *error = NULL;
  ScenarioScript *script = scenario_parse_file (path, &error);
  if (script == NULL)
    {
      g_printerr ("%s\n", error->message);
      g_error_free (error);
      return NULL;
    }
  ScenarioRunner *runner = scenario_runner_new (script, opts->seed_given, (guint64) opts->seed, &error);
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

/* Draws the plots of a saved trace into dir; prints notes and errors. */
static int
plot_trace_file (const char *trace_path, const char *dir, const PlotOptions *opts)
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

/* `run --plot` without `--trace`: the trace goes to a temporary file. */
static char *
temporary_trace_path (void)
{
  char *path = NULL;
  GError *error = NULL;
  int fd = g_file_open_tmp ("twsim-plot-XXXXXX.jsonl", &path, &error);
  if (fd < 0)
    {
      g_printerr ("twsim: %s\n", error->message);
      g_error_free (error);
      return NULL;
    }
  close (fd);
  return path;
}

/* Everything a run writes besides the report. */
typedef struct {
  Narration *narration;
  TraceJsonl *jsonl;
  PcapWriter *pcap;
  LadderText *ladder;
  char *plot_trace; /* temporary trace for --plot without --trace */
  const char *trace_path;
} RunOutputs;

static gboolean
open_failed (RunOutputs *o, GError *error)
{
  g_printerr ("twsim: %s\n", error->message);
  g_error_free (error);
  return FALSE;
}

static LadderText *
ladder_for (const ScenarioScript *script)
{
  GPtrArray *names = g_ptr_array_new ();
  for (guint i = 0; i < script->hosts->len; i++)
    g_ptr_array_add (names, ((ScenarioHost *) g_ptr_array_index (script->hosts, i))->name);
  LadderText *ladder = ladder_text_new ((const char *const *) names->pdata, names->len,
                                        isatty (STDOUT_FILENO));
  g_ptr_array_free (names, TRUE);
  return ladder;
}

static gboolean
outputs_open (RunOutputs *o, ScenarioRunner *runner, const ScenarioScript *script, const RunOptions *opts)
{
  SimTrace *trace = sim_engine_trace (scenario_runner_engine (runner));
  GError *error = NULL;
  o->trace_path = opts->trace_path;
  if (opts->plot_dir != NULL && o->trace_path == NULL)
    {
      o->trace_path = o->plot_trace = temporary_trace_path ();
      if (o->trace_path == NULL)
        return FALSE;
    }
  if (o->trace_path != NULL)
    {
      o->jsonl = trace_jsonl_open (o->trace_path, &error);
      if (o->jsonl == NULL)
        return open_failed (o, error);
      sim_trace_add_sink (trace, trace_jsonl_sink, o->jsonl);
    }
  if (opts->pcap_path != NULL)
    {
      o->pcap = pcap_writer_open (opts->pcap_path, &error);
      if (o->pcap == NULL)
        return open_failed (o, error);
      network_add_tap (scenario_runner_network (runner), pcap_writer_tap, o->pcap);
    }
  if (opts->ladder)
    {
      o->ladder = ladder_for (script);
      sim_trace_add_sink (trace, ladder_text_sink, o->ladder);
    }
  if (!opts->quiet)
    {
      o->narration = narration_new (stdout, host_name_width (script));
      sim_trace_add_sink (trace, narration_sink, o->narration);
      printf ("twsim %s: %s, seed %" G_GUINT64_FORMAT "\n", PACKAGE_VERSION, script->path,
              scenario_runner_seed (runner));
    }
  return TRUE;
}

/* Commits the files of a finished run; returns FALSE if one failed. */
static gboolean
outputs_commit (RunOutputs *o, const RunOptions *opts)
{
  gboolean ok = TRUE;
  GError *error = NULL;
  if (o->pcap != NULL && !pcap_writer_commit (g_steal_pointer (&o->pcap), &error))
    ok = open_failed (o, error);
  if (o->jsonl != NULL && !trace_jsonl_commit (g_steal_pointer (&o->jsonl), &error))
    ok = open_failed (o, error);
  else if (ok && opts->plot_dir != NULL)
    {
      PlotOptions plot_opts = { 0 };
      ok = plot_trace_file (o->trace_path, opts->plot_dir, &plot_opts) == EXIT_SUCCESS;
    }
  return ok;
}

static void
outputs_close (RunOutputs *o)
{
  pcap_writer_abandon (o->pcap);
  trace_jsonl_abandon (o->jsonl);
  if (o->plot_trace != NULL)
    g_unlink (o->plot_trace);
  g_free (o->plot_trace);
  ladder_text_free (o->ladder);
  narration_free (o->narration);
}

static int
run_loaded (ScenarioRunner *runner, const ScenarioScript *script, const RunOptions *opts, SimTime until)
{
  RunOutputs outputs = { 0 };
  if (!outputs_open (&outputs, runner, script, opts))
    {
      outputs_close (&outputs);
      return EXIT_BAD_INPUT;
    }
  SimRunOutcome outcome = scenario_runner_run (runner, until, (guint64) opts->max_events);
  if (outputs.ladder != NULL)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      ladder_text_render (outputs.ladder, text);
      fputs (text->str, stdout);
    }
  g_autoptr (GString) report = g_string_new (NULL);
  scenario_runner_report (runner, outcome, report);
  fputs (report->str, stdout);
  int status = scenario_runner_all_held (runner) ? EXIT_SUCCESS : EXIT_EXPECTATION_FAILED;
  if (!outputs_commit (&outputs, opts))
    status = EXIT_BAD_INPUT;
  fflush (stdout);
  outputs_close (&outputs);
  return status;
}

static int
run_with_options (RunOptions *opts, int argc, char **argv);

static int
command_run (int argc, char **argv)
{
  RunOptions opts = { .seed = -1, .max_events = DEFAULT_EVENT_CAP };
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opts.seed, "Seed for every random stream (overrides the scenario's `seed`)", "N" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &opts.until, "Stop at this virtual time (e.g. 90s); default: when nothing is left to happen", "T" },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &opts.trace_path, "Write the JSON lines trace to FILE (written whole or not at all)", "FILE.jsonl" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opts.quiet, "Print only the closing report, not the timeline", NULL },
    { "max-events", 0, 0, G_OPTION_ARG_INT64, &opts.max_events, "Stop after N events (default 50000000; 0 = no cap)", "N" },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &opts.plot_dir, "At the end, draw the plots into DIR (as `twsim plot`)", "DIR" },
    { "pcap", 0, 0, G_OPTION_ARG_FILENAME, &opts.pcap_path, "Write every delivered segment to FILE.pcap (IPv4+TCP, for Wireshark/tshark)", "FILE.pcap" },
    { "ladder", 0, 0, G_OPTION_ARG_NONE, &opts.ladder, "Print a ladder diagram in the terminal at the end", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE - replay a scenario and narrate it");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx, "Exit status: 0 every expectation held, 1 an expectation failed, 2 bad input or usage.");
  if (!parse_command_line (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  opts.seed_given = opts.seed != -1;
  /* The strings are freed here only, on every path. */
  int status = run_with_options (&opts, argc, argv);
  g_free (opts.until);
  g_free (opts.trace_path);
  g_free (opts.plot_dir);
  g_free (opts.pcap_path);
  return status;
}

static int
run_with_options (RunOptions *opts_in, int argc, char **argv)
{
  RunOptions opts = *opts_in;
  if (argc != 2)
    return usage_error ("run needs exactly one scenario FILE");
  if ((opts.seed_given && opts.seed < 0) || opts.max_events < 0)
    return usage_error ("--seed and --max-events take non-negative numbers");
  SimTime until;
  if (!parse_until (&opts, &until))
    return EXIT_BAD_INPUT;
  ScenarioScript *script = NULL;
  ScenarioRunner *runner = load_scenario (argv[1], &script, &opts);
  if (runner == NULL)
    return EXIT_BAD_INPUT;
  int status = run_loaded (runner, script, &opts, until);
  scenario_runner_free (runner);
  scenario_script_free (script);
  return status;
}

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

static int
command_plot (int argc, char **argv)
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
    "Writes ladder, states and tseq-CONN plots into DIR: data (*.dat), gnuplot\n"
    "scripts (*.gp) and, when gnuplot is installed, PNG and SVG images.\n"
    "The ladder shows the first 300 segments unless --from/--to choose a window.\n"
    "Exit status: 0 plots written, 2 bad trace, usage or gnuplot failure.");
  if (!parse_command_line (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  if (argc != 2)
    return usage_error ("plot needs exactly one TRACE.jsonl file");
  if (out == NULL)
    return usage_error ("plot needs --out DIR");
  PlotOptions opts = { 0 };
  if (!parse_plot_time ("--from", from, &opts.from_given, &opts.from)
      || !parse_plot_time ("--to", to, &opts.to_given, &opts.to))
    return EXIT_BAD_INPUT;
  if (opts.from_given && opts.to_given && opts.from > opts.to)
    return usage_error ("--from is after --to");
  return plot_trace_file (argv[1], out, &opts);
}

static int
command_check (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE - parse and validate a scenario");
  if (!parse_command_line (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  if (argc != 2)
    return usage_error ("check needs exactly one scenario FILE");
  RunOptions opts = { 0 };
  ScenarioScript *script = NULL;
  ScenarioRunner *runner = load_scenario (argv[1], &script, &opts);
  if (runner == NULL)
    return EXIT_BAD_INPUT;
  printf ("%s: ok (%u hosts, %u links, %u timed lines)\n", argv[1], script->hosts->len,
          script->links->len, script->steps->len);
  scenario_runner_free (runner);
  scenario_script_free (script);
  return EXIT_SUCCESS;
}

static int
command_settings (void)
{
  g_autoptr (GString) out = g_string_new ("Host settings (host NAME ADDR key=value ...):\n");
  host_settings_describe (out);
  fputs (out->str, stdout);
  return EXIT_SUCCESS;
}

int
main (int argc, char **argv)
{
  g_set_prgname ("twsim");
  if (argc >= 2 && strcmp (argv[1], "run") == 0)
    return command_run (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "check") == 0)
    return command_check (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "plot") == 0)
    return command_plot (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "matrix") == 0)
    return matrix_command (argc - 1, argv + 1);
  if (argc == 2 && strcmp (argv[1], "settings") == 0)
    return command_settings ();
  if (argc == 2 && strcmp (argv[1], "personalities") == 0)
    {
      /* personality.h: one row of settings per system, each with its source. */
      g_autoptr (GString) out = g_string_new (NULL);
      personality_describe (out);
      fputs (out->str, stdout);
      return EXIT_SUCCESS;
    }
  if (argc == 2 && strcmp (argv[1], "--version") == 0)
    {
      printf ("twsim %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (argc == 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      printf ("Usage: twsim COMMAND [OPTIONS] FILE\n\n"
              "twsim replays a TCP scenario deterministically and narrates what each endpoint\n"
              "does and why, through connection teardown and TIME-WAIT.\n\n%s\n",
              usage_summary);
      return EXIT_SUCCESS;
    }
  if (argc < 2)
    return usage_error ("missing command");
  g_autofree char *msg = g_strdup_printf ("unknown command '%s'", argv[1]);
  return usage_error (msg);
}
