/* twsim.c: the `twsim` command. It only dispatches: each subcommand is a
 * file of its own (cmd-*.c) that parses its options and calls the runner,
 * the writers and the plots. */
#include "cli.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  gboolean takes_arguments; /* FALSE: only `twsim NAME` */
} Subcommand;

static const Subcommand subcommands[] = {
  { "run", cmd_run, TRUE },
  { "check", cmd_check, TRUE },
  { "plot", cmd_plot, TRUE },
  { "html", cmd_html, TRUE },
  { "explain", cmd_explain, TRUE },
  { "compare", cmd_compare, TRUE },
  { "matrix", cmd_matrix, TRUE },
  { "sweep", cmd_sweep, TRUE },
  { "sweep-merge", cmd_sweep_merge, TRUE },
  { "analyze", cmd_analyze, TRUE },
  { "settings", cmd_settings, FALSE },
  { "personalities", cmd_personalities, FALSE },
  { "packetdrill", cmd_packetdrill, TRUE },
};

static const char *const usage_summary =
  "Commands:\n"
  "  run FILE      replay a scenario and narrate it (see `twsim run --help`)\n"
  "  check FILE    parse and validate a scenario without running it\n"
  "  plot TRACE    draw a ladder, state timeline and time-sequence graphs from a\n"
  "                JSON lines trace (see `twsim plot --help`)\n"
  "  html TRACE    an HTML page to step through a run in the browser (one or two\n"
  "                traces; see `twsim html --help`)\n"
  "  explain TRACE SEG  one segment's provenance and every decision on it,\n"
  "                with the rule behind each (see `twsim explain --help`)\n"
  "  compare A B   the same story under two settings: where the two runs first\n"
  "                part and how their verdicts differ; or one scenario with\n"
  "                --set HOST.KEY=VALUE; --plot DIR: both ladders on one time\n"
  "                axis (see `twsim compare --help`)\n"
  "  settings      list the host and link settings a scenario may use\n"
  "  matrix FILES  each hazard scenario under each defence, as a table\n"
  "                (see `twsim matrix --help`)\n"
  "  sweep FILE    how often each hazard happens over seeds and settings, on all\n"
  "                cores (see `twsim sweep --help`)\n"
  "  sweep-merge PARTS  add up the shards of a sweep\n"
  "  analyze CAPTURE  find port reuse and stale segments in a pcap or pcapng\n"
  "                capture (see `twsim analyze --help`)\n"
  "  personalities the OS personalities (linux, freebsd, ...) with their sources\n"
  "  packetdrill FILE.pkt  run a packetdrill script against a personality\n"
  "                (see `twsim packetdrill --help`)\n"
  "\n"
  "Exit status: 0 every expectation held, 1 an expectation failed, 2 bad input or usage.";

static int
print_help (void)
{
  printf ("Usage: twsim COMMAND [OPTIONS] FILE\n\n"
          "twsim replays a TCP scenario deterministically and narrates what each endpoint\n"
          "does and why, through connection teardown and TIME-WAIT.\n\n%s\n",
          usage_summary);
  return EXIT_SUCCESS;
}

/* The user's locale, so that GLib speaks UTF-8 (`[OPTION…]`, file names
 * quoted “so”); numbers stay "C" (every output is locale-independent);
 * a locale whose charset is not UTF-8 (C, POSIX) gets C.UTF-8 for
 * characters. */
static void
set_locale (void)
{
  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C");
  setlocale (LC_NUMERIC, "C");
  const char *codeset = nl_langinfo (CODESET);
  if (codeset == NULL || (g_ascii_strcasecmp (codeset, "UTF-8") != 0
                          && g_ascii_strcasecmp (codeset, "utf8") != 0))
    setlocale (LC_CTYPE, "C.UTF-8");
}

int
main (int argc, char **argv)
{
  set_locale ();
  g_set_prgname ("twsim");
  for (gsize i = 0; argc >= 2 && i < G_N_ELEMENTS (subcommands); i++)
    if (strcmp (argv[1], subcommands[i].name) == 0 && (subcommands[i].takes_arguments || argc == 2))
      return subcommands[i].run (argc - 1, argv + 1);
  if (argc == 2 && strcmp (argv[1], "--version") == 0)
    {
      printf ("twsim %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (argc == 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    return print_help ();
  if (argc < 2)
    return cli_usage_error ("missing command");
  g_autofree char *msg = g_strdup_printf ("unknown command '%s'", argv[1]);
  return cli_usage_error (msg);
}
