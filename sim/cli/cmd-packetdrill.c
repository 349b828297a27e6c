/* cmd-packetdrill.c: `twsim packetdrill FILE.pkt`: a packetdrill script run
 * against one host of a personality and a scripted peer, in virtual time;
 * `--table DIR` runs a folder under several personalities.
 * Exit status: 0 every line held, 1 a line did not, 2 bad input or usage. */
#include "cli.h"
#include "personality.h"
#include "pkt-run.h"
#include "run-outputs.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  char *personality;
  char **sets;
  gint64 tolerance_usecs;
  char *table_dir;
  gboolean verbose;
  char *trace_path;
  char *pcap_path;
  char *plot_dir;
  gboolean ladder;
  gboolean any_options;
} PktCmdOptions;

/* --set KEY=VALUE, in order; NULL (message printed) when one is malformed. */
static GPtrArray *
parse_sets (char **sets)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) scenario_setting_free);
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *eq = strchr (sets[i], '=');
      if (eq == NULL || eq == sets[i] || eq[1] == '\0')
        {
          g_printerr ("twsim: --set %s: expected KEY=VALUE (see `twsim settings`)\n", sets[i]);
          g_ptr_array_free (out, TRUE);
          return NULL;
        }
      g_autofree char *key = g_strndup (sets[i], (gsize) (eq - sets[i]));
      ScenarioLoc loc = { "--set", i + 1, 1 };
      g_ptr_array_add (out, scenario_setting_new (key, &loc, eq + 1, &loc));
    }
  return out;
}

static int
run_one (const PktCmdOptions *opts, const PktOptions *pkt, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScenarioScript) script = pkt_read_file (path, pkt, &error);
  if (script == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_BAD_INPUT;
    }
  ScenarioRunner *runner = scenario_runner_new (script, FALSE, 0, &error);
  if (runner == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_BAD_INPUT;
    }
  RunOutputs outputs = { 0 };
  RunOutputOptions out_opts = {
    .quiet = !opts->verbose, .ladder = opts->ladder, .trace_path = opts->trace_path,
    .pcap_path = opts->pcap_path, .plot_dir = opts->plot_dir,
  };
  int status = EXIT_BAD_INPUT;
  if (run_outputs_open (&outputs, runner, script, &out_opts))
    {
      g_autoptr (GString) message = g_string_new (NULL);
      status = pkt_run_loaded (runner, script, message);
      run_outputs_print_ladder (&outputs);
      fputs (message->str, stderr);
      if (!run_outputs_commit (&outputs, &out_opts))
        status = EXIT_BAD_INPUT;
    }
  fflush (stdout);
  run_outputs_close (&outputs);
  scenario_runner_free (runner);
  return status;
}

static int
run_table (const PktCmdOptions *opts, const PktOptions *pkt)
{
  g_auto (GStrv) names = g_strsplit (opts->personality != NULL ? opts->personality : "linux", ",", -1);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  if (!pkt_table (opts->table_dir, (const char *const *) names, pkt, out, &error))
    {
      g_printerr ("twsim: %s\n", error->message);
      return EXIT_BAD_INPUT;
    }
  fputs (out->str, stdout);
  return EXIT_SUCCESS;
}

/* Every name of --personality a,b,... is a personality. */
static gboolean
personalities_known (const char *list)
{
  g_auto (GStrv) names = g_strsplit (list != NULL ? list : "linux", ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    if (personality_find (names[i]) == NULL)
      {
        g_printerr ("twsim: --personality %s: unknown personality (known: %s)\n", names[i],
                    personality_names ());
        return FALSE;
      }
  return TRUE;
}

static int
run_with_options (const PktCmdOptions *opts, int argc, char **argv)
{
  if (!personalities_known (opts->personality))
    return EXIT_BAD_INPUT;
  if (opts->table_dir == NULL && opts->personality != NULL && strchr (opts->personality, ',') != NULL)
    return cli_usage_error ("several personalities need --table DIR");
  if (opts->tolerance_usecs < 0)
    return cli_usage_error ("--tolerance-usecs takes a non-negative number");
  if ((opts->table_dir == NULL) != (argc == 2) || argc > 2)
    return cli_usage_error ("packetdrill needs exactly one FILE.pkt, or --table DIR");
  g_autoptr (GPtrArray) sets = parse_sets (opts->sets);
  if (sets == NULL)
    return EXIT_BAD_INPUT;
  PktOptions pkt;
  pkt_options_init (&pkt);
  pkt.settings = sets;
  pkt.tolerance = opts->tolerance_usecs * SIM_US;
  pkt.any_options = opts->any_options;
  if (opts->table_dir != NULL)
    return run_table (opts, &pkt);
  if (opts->personality != NULL)
    pkt.personality = opts->personality;
  return run_one (opts, &pkt, argv[1]);
}

int
cmd_packetdrill (int argc, char **argv)
{
  PktCmdOptions opts = { .tolerance_usecs = 4000 };
  GOptionEntry entries[] = {
    { "personality", 0, 0, G_OPTION_ARG_STRING, &opts.personality, "The stack under test (default linux); with --table, a comma-separated list", "P" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts.sets, "A host setting for the stack under test, after the script's sysctls (repeatable)", "KEY=VALUE" },
    { "tolerance-usecs", 0, 0, G_OPTION_ARG_INT64, &opts.tolerance_usecs, "Timing tolerance of '>' lines, as packetdrill's --tolerance_usecs (default 4000)", "N" },
    { "any-options", 0, 0, G_OPTION_ARG_NONE, &opts.any_options, "Check no option of '>' packets (as if each said <...>), to compare personalities beyond their option layouts", NULL },
    { "table", 0, 0, G_OPTION_ARG_FILENAME, &opts.table_dir, "Run every DIR/*.pkt under each --personality and print a Markdown table", "DIR" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opts.verbose, "Narrate the run", NULL },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &opts.trace_path, "Write the JSON lines trace to FILE", "FILE.jsonl" },
    { "pcap", 0, 0, G_OPTION_ARG_FILENAME, &opts.pcap_path, "Write every delivered segment to FILE.pcap", "FILE.pcap" },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &opts.plot_dir, "At the end, draw the plots into DIR", "DIR" },
    { "ladder", 0, 0, G_OPTION_ARG_NONE, &opts.ladder, "Print a ladder diagram at the end", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE.pkt - run a packetdrill script against a personality");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx, "The script's host is 192.168.0.2 (port 8080), the remote 192.0.2.1.\n"
                                     "Exit status: 0 every line held, 1 a line did not, 2 bad input or usage.");
  if (!cli_parse_options (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  int status = run_with_options (&opts, argc, argv);
  g_free (opts.personality);
  g_strfreev (opts.sets);
  g_free (opts.table_dir);
  g_free (opts.trace_path);
  g_free (opts.pcap_path);
  g_free (opts.plot_dir);
  return status;
}
