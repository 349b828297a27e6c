/* test-narration-brief.c: `twsim run --brief` and `--relative`, the
 * narration for a class: every line of the two flagship stories within
 * 100 columns, the lines the story hinges on still there (in both views),
 * no held expectation and no timer bookkeeping, relative numbers. */
#include "cli-fixture.h"

#include <glib.h>
#include <string.h>

static const char *const flagship = "scenarios/hazards/stale-data-corrupts-new-connection.scn";
static const char *const linux_contrast = "scenarios/hazards/linux-time-wait-screens-stale-data.scn";

static CliOutcome
run_scenario (const char *opt, const char *scenario)
{
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_assert_nonnull (root);
  const char *args[] = { "run", opt, scenario, NULL };
  CliOutcome o = cli_run_twsim (root, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  return o;
}

static void
assert_width (const char *out, glong width)
{
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_utf8_strlen (lines[i], -1) > width)
      g_error ("line %u is %ld columns: %s", i + 1, g_utf8_strlen (lines[i], -1), lines[i]);
}

static void
test_brief_flagship_fits_100_columns_and_keeps_the_story (void)
{
  g_test_summary ("--brief on the flagship: lines within 100 columns; the stale copy, the real "
                  "request discarded, the TIME-WAIT cut short and the CORRUPTION verdict remain; "
                  "no held expectation, no timer line; relative numbers.");
  CliOutcome o = run_scenario ("--brief", flagship);
  assert_width (o.out, 100);
  g_assert_nonnull (strstr (o.out, "CORRUPTION: server read \"balance=100\""));
  g_assert_nonnull (strstr (o.out, "PORT REUSE WITHOUT TIME-WAIT"));
  g_assert_nonnull (strstr (o.out, "link copies seg 4 (PSH,ACK seq=1 ack=1 len=11 #1)"));
  g_assert_nonnull (strstr (o.out, "recv PSH,ACK seq=1 ack=1 len=11 #1 (copy) in ESTABLISHED: accepted"));
  g_assert_nonnull (strstr (o.out, "new data discarded"));
  g_assert_nonnull (strstr (o.out, "believes it delivered"));
  g_assert_nonnull (strstr (o.out, "TIME-WAIT of incarnation #1 ended 59.720s before"));
  g_assert_nonnull (strstr (o.out, "[12, 65536)"));
  g_assert_nonnull (strstr (o.out, "read(4, 100) = 11 \"balance=100\""));
  g_assert_null (strstr (o.out, "as expected"));
  g_assert_null (strstr (o.out, "timer set"));
  g_assert_null (strstr (o.out, "timer cancelled"));
  g_assert_null (strstr (o.out, "send PSH,ACK seq=1001"));
  g_assert_null (strstr (o.out, "10.0.0.1:4000 > 10.0.0.2:80"));
  g_assert_nonnull (strstr (o.out, "Expectations: 23 checked, 23 held, 0 failed."));
  cli_outcome_clear (&o);
}

static void
test_brief_linux_contrast_fits_100_columns (void)
{
  g_test_summary ("--brief on the Linux contrast: within 100 columns; PAWS screens the copy, the "
                  "reopened record says what protection ended, the real request is read.");
  CliOutcome o = run_scenario ("--brief", linux_contrast);
  assert_width (o.out, 100);
  g_assert_nonnull (strstr (o.out, "in ESTABLISHED: paws"));
  g_assert_nonnull (strstr (o.out, "TIME-WAIT of incarnation #1 ended 59.210s before"));
  g_assert_nonnull (strstr (o.out, "only timestamps"));
  g_assert_nonnull (strstr (o.out, "read(4, 100) = 11 \"balance=999\""));
  g_assert_nonnull (strstr (o.out, "No corruption"));
  g_assert_null (strstr (o.out, "new data discarded"));
  g_assert_null (strstr (o.out, "TS="));
  cli_outcome_clear (&o);
}

static void
test_full_view_says_what_the_story_hinges_on (void)
{
  g_test_summary ("The full view tells the same turning points: real data discarded after the "
                  "stale copy, TIME-WAIT cut short, bytes thrown away by SO_LINGER {1,0}.");
  CliOutcome o = run_scenario ("--seed=7", flagship);
  g_assert_nonnull (strstr (o.out, "new data discarded: these 11 bytes of incarnation #2"));
  g_assert_nonnull (strstr (o.out, "so its sender believes it delivered"));
  g_assert_nonnull (strstr (o.out, "TIME-WAIT of incarnation #1 ended 59.720s before its 2 x MSL"));
  g_assert_nonnull (strstr (o.out, "as expected"));
  cli_outcome_clear (&o);
  o = run_scenario ("--seed=1", "scenarios/sockets/linger-zero.scn");
  g_assert_nonnull (strstr (o.out, "900 written bytes not yet acknowledged are thrown away"));
  cli_outcome_clear (&o);
}

static void
test_relative_alone_keeps_the_full_lines (void)
{
  g_test_summary ("--relative alone: the full view (addresses, windows, expectations, timers) "
                  "with sequence numbers from each ISN, a rule's window included.");
  CliOutcome o = run_scenario ("--relative", flagship);
  g_assert_nonnull (strstr (o.out, "send 10.0.0.1:4000 > 10.0.0.2:80 SYN seq=0 len=0 win=65535 #1"));
  g_assert_nonnull (strstr (o.out, "outside RCV.WND [12, 65536): RFC 9293 3.10.7.4, ACK sent"));
  g_assert_nonnull (strstr (o.out, "as expected"));
  g_assert_nonnull (strstr (o.out, "retransmit timer set"));
  g_assert_null (strstr (o.out, "PSH,ACK seq=1001 "));
  cli_outcome_clear (&o);
}

static void
collect_scenarios (const char *dir, GPtrArray *out)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_str_equal (name, "bench"))
        collect_scenarios (path, out);
      if (g_str_has_suffix (name, ".scn"))
        g_ptr_array_add (out, g_strdup (path));
      g_free (path);
    }
  g_dir_close (d);
}

static void
test_brief_every_scenario_fits_100_columns (void)
{
  g_test_summary ("--brief keeps every line of every scenario (but the benchmark) within 100 "
                  "columns, long quoted bytes cut included.");
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autofree char *dir = g_build_filename (root, "scenarios", NULL);
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  collect_scenarios (dir, paths);
  g_assert_cmpuint (paths->len, >, 40);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *args[] = { "run", "--brief", g_ptr_array_index (paths, i), NULL };
      CliOutcome o = cli_run_twsim (root, args, NULL);
      g_assert_cmpint (o.status, !=, 2);
      assert_width (o.out, 100);
      cli_outcome_clear (&o);
    }
}

static void
test_run_help_documents_brief (void)
{
  g_test_summary ("`twsim run --help` names --brief and --relative and says which view is the default.");
  const char *args[] = { "run", "--help", NULL };
  CliOutcome o = cli_run_twsim (g_get_tmp_dir (), args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "--brief"));
  g_assert_nonnull (strstr (o.out, "--relative"));
  g_assert_nonnull (strstr (o.out, "full one stays the default"));
  cli_outcome_clear (&o);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/narration/brief-flagship-fits-100-columns-and-keeps-the-story",
                   test_brief_flagship_fits_100_columns_and_keeps_the_story);
  g_test_add_func ("/narration/brief-linux-contrast-fits-100-columns",
                   test_brief_linux_contrast_fits_100_columns);
  g_test_add_func ("/narration/full-view-says-what-the-story-hinges-on",
                   test_full_view_says_what_the_story_hinges_on);
  g_test_add_func ("/narration/relative-alone-keeps-the-full-lines",
                   test_relative_alone_keeps_the_full_lines);
  g_test_add_func ("/narration/brief-every-scenario-fits-100-columns",
                   test_brief_every_scenario_fits_100_columns);
  g_test_add_func ("/narration/run-help-documents-brief", test_run_help_documents_brief);
  return g_test_run ();
}
