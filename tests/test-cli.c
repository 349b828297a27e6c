/* test-cli.c: the `twsim` command as a user meets it: exit status 0/1/2,
 * `file:line:col: message` for bad input, and output files written whole
 * or not at all. */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static const char *good_scenario =
  "host client 10.0.0.1 isn=fixed:1000 msl=1s\n"
  "host server 10.0.0.2 isn=fixed:5000 msl=1s\n"
  "link client server delay=10ms\n"
  "0ms server s = socket(); bind(s, 10.0.0.2:80) = 0; listen(s, 8) = 0\n"
  "0ms server a = accept(s); read(a, 10) = 0; close(a) = 0\n"
  "0ms client c = socket(); connect(c, 10.0.0.2:80) = 0\n"
  "100ms client close(c) = 0\n"
  "200ms expect client c state TIME-WAIT\n";

static char *tmp_dir;

static char *
write_scenario (const char *name, const char *text)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static guint
count_files (void)
{
  GDir *d = g_dir_open (tmp_dir, 0, NULL);
  guint n = 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

typedef struct {
  const char *name;
  const char *text;
  const char *where; /* "line:col" expected in the message */
} BadInput;

static const BadInput bad_inputs[] = {
  { "unknown-host", "host a 10.0.0.1\n0ms b s = socket()\n", "2:5" },
  { "bad-time", "host a 10.0.0.1\n10xs a s = socket()\n", "2:1" },
  { "missing-paren", "host a 10.0.0.1\n0ms a s = socket(\n", "2:" },
  { "bad-address", "host a 10.0.0.300\n", "1:8" },
  { "bad-setting", "host a 10.0.0.1 msl=forever\n", "1:21" },
  { "unknown-setting", "host a 10.0.0.1 colour=blue\n", "1:17" },
};

static void
test_bad_input_exits_2 (gconstpointer data)
{
  const BadInput *bad = data;
  g_autofree char *file = g_strdup_printf ("%s.scn", bad->name);
  g_autofree char *path = write_scenario (file, bad->text);
  guint before = count_files ();
  const char *args[] = { "run", path, "--trace", "out.jsonl", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_autofree char *prefix = g_strdup_printf ("%s:%s", path, bad->where);
  g_test_message ("stderr: %s", o.err);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_true (g_str_has_prefix (o.err, prefix));
  g_assert_cmpuint (count_files (), ==, before); /* no trace, no temporary file */
  cli_outcome_clear (&o);
  const char *check_args[] = { "check", path, NULL };
  o = cli_run_twsim (tmp_dir, check_args, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_true (g_str_has_prefix (o.err, prefix));
  cli_outcome_clear (&o);
  g_unlink (path);
}

static void
test_good_run_exits_0_and_writes_trace (void)
{
  g_autofree char *path = write_scenario ("good.scn", good_scenario);
  const char *args[] = { "run", path, "--trace", "good.jsonl", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "TIME-WAIT"));
  g_assert_nonnull (strstr (o.out, " held, 0 failed."));
  g_autofree char *trace_path = g_build_filename (tmp_dir, "good.jsonl", NULL);
  g_autofree char *trace = NULL;
  g_assert_true (g_file_get_contents (trace_path, &trace, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (trace, "\n", -1);
  /* The v1 header, then definitions of keys and rows of values. */
  g_assert_cmpstr (lines[0], ==, "{\"v\":1,\"twsim\":\"trace\"}");
  guint rows = 0;
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      gboolean row = g_str_has_prefix (lines[i], "[") && g_str_has_suffix (lines[i], "]");
      g_assert_true (row || (g_str_has_prefix (lines[i], "{\"d\":") && g_str_has_suffix (lines[i], "}")));
      rows += row;
    }
  g_assert_cmpuint (rows, >, 10);
  cli_outcome_clear (&o);
}

static void
test_failed_expectation_exits_1 (void)
{
  g_autofree char *text = g_strdup_printf ("%s%s", good_scenario,
                                           "300ms expect client c state ESTABLISHED\n");
  g_autofree char *path = write_scenario ("failing.scn", text);
  const char *args[] = { "run", "--quiet", path, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 1);
  g_autofree char *want = g_strdup_printf ("FAILED %s:9: state of c: expected ESTABLISHED vs actual TIME-WAIT", path);
  g_test_message ("stdout: %s", o.out);
  g_assert_nonnull (strstr (o.out, want));
  cli_outcome_clear (&o);
}

static void
test_ladder_in_terminal (void)
{
  g_test_summary ("--ladder draws one column per host with arrows and states; plain text when not a terminal.");
  g_autofree char *path = write_scenario ("ladder.scn", good_scenario);
  const char *args[] = { "run", "--quiet", "--ladder", path, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "client"));
  g_assert_nonnull (strstr (o.out, "[TIME-WAIT]"));
  g_assert_nonnull (strstr (o.out, " SYN 1000:0 (0) #1 "));
  g_assert_nonnull (strstr (o.out, "->|"));
  g_assert_nonnull (strstr (o.out, "|<-"));
  g_assert_null (strstr (o.out, "\033["));
  /* The ladder comes before the closing report. */
  g_assert_true (strstr (o.out, "[TIME-WAIT]") < strstr (o.out, "End of run"));
  cli_outcome_clear (&o);
}

static void
test_usage_errors_exit_2 (void)
{
  const char *no_command[] = { NULL };
  const char *unknown[] = { "frobnicate", NULL };
  const char *missing_file[] = { "run", "does-not-exist.scn", NULL };
  const char *bad_until[] = { "run", "x.scn", "--until", "soon", NULL };
  const char *const *cases[] = { no_command, unknown, missing_file, bad_until };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CliOutcome o = cli_run_twsim (tmp_dir, cases[i], NULL);
      g_assert_cmpint (o.status, ==, 2);
      g_assert_cmpuint (strlen (o.err), >, 0);
      cli_outcome_clear (&o);
    }
}

static void
test_help_and_version (void)
{
  const char *help[] = { "--help", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, help, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "run FILE"));
  cli_outcome_clear (&o);
  const char *version[] = { "--version", NULL };
  o = cli_run_twsim (tmp_dir, version, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_true (g_str_has_prefix (o.out, "twsim "));
  cli_outcome_clear (&o);
}

/* `twsim personalities`: the table has a column for each of the six
 * personalities, and each has a section giving every setting with its
 * source. */
static void
test_personalities_with_sources (void)
{
  static const struct {
    const char *name;
    const char *source; /* one source the section must quote */
  } rows[] = {
    { "linux", "TCP_TIMEWAIT_LEN" },
    { "freebsd", "TP_MAXIDLE" },
    { "macos", "TCPTV_MSL = 15 s" },
    { "windows", "TcpTimedWaitDelay" },
    { "rfc9293", "RFC 9293 3.4.2" },
    { "textbook", "Stevens" },
  };
  const char *args[] = { "personalities", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_auto (GStrv) lines = g_strsplit (o.out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "setting"));
  /* The settings: the table's rows, up to the first empty line. */
  guint n_fields = 0;
  while (lines[1 + n_fields] != NULL && lines[1 + n_fields][0] != '\0')
    n_fields++;
  g_assert_cmpuint (n_fields, >=, 15);
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_assert_nonnull (strstr (lines[0], rows[i].name));
      g_autofree char *head = g_strdup_printf ("%s: ", rows[i].name);
      guint at = 0;
      while (lines[at] != NULL && !g_str_has_prefix (lines[at], head))
        at++;
      g_assert_nonnull (lines[at]);
      if (lines[at] == NULL)
        continue;
      gboolean quoted = FALSE;
      for (guint f = 0; f < n_fields; f++)
        {
          const char *line = lines[at + 1 + f];
          g_assert_nonnull (line);
          if (line == NULL)
            break;
          /* "  FIELD(24) VALUE(14) SOURCE": the setting is the table's. */
          g_auto (GStrv) table_row = g_strsplit (lines[1 + f], "  ", 2);
          g_assert_true (g_str_has_prefix (line + 2, table_row[0]));
          g_assert_cmpuint (strlen (line), >, 42);
          g_autofree char *source = g_strstrip (g_strdup (line + MIN (strlen (line), 42)));
          g_assert_cmpuint (strlen (source), >, 0);
          quoted = quoted || strstr (line, rows[i].source) != NULL;
        }
      if (!quoted)
        g_test_message ("%s: no source quotes '%s'", rows[i].name, rows[i].source);
      g_assert_true (quoted);
    }
  cli_outcome_clear (&o);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  tmp_dir = g_dir_make_tmp ("twsim-cli-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cli/bad-input-exits-2/%s", bad_inputs[i].name);
      g_test_add_data_func (name, &bad_inputs[i], test_bad_input_exits_2);
    }
  g_test_add_func ("/cli/good-run-exits-0-and-writes-trace", test_good_run_exits_0_and_writes_trace);
  g_test_add_func ("/cli/failed-expectation-exits-1", test_failed_expectation_exits_1);
  g_test_add_func ("/cli/usage-errors-exit-2", test_usage_errors_exit_2);
  g_test_add_func ("/cli/ladder-in-terminal", test_ladder_in_terminal);
  g_test_add_func ("/cli/help-and-version", test_help_and_version);
  g_test_add_func ("/cli/personalities-with-sources", test_personalities_with_sources);
  int rc = g_test_run ();
  cli_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
