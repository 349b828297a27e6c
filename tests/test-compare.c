/* test-compare.c: `twsim compare A.scn B.scn`: the flagship against the
 * Linux contrast parts at the first different line and differs in its
 * CORRUPTION verdict; a scenario against itself tells the same story; a
 * missing file is exit 2. */
#include "cli-fixture.h"

#include <glib.h>
#include <string.h>

static const char *const flagship = "scenarios/hazards/stale-data-corrupts-new-connection.scn";
static const char *const linux_contrast = "scenarios/hazards/linux-time-wait-screens-stale-data.scn";

static void
test_compare_flagship_with_linux_names_divergence_and_verdicts (void)
{
  g_test_summary ("Flagship vs Linux contrast: the common prefix, both runs' first different "
                  "lines, and the verdicts: corruption in A only, port reuse in both.");
  const char *args[] = { "compare", flagship, linux_contrast, NULL };
  CliOutcome o = cli_run_twsim (g_getenv ("TWSIM_SOURCE_ROOT"), args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "The two runs agree for 40 lines; they first part here"));
  g_assert_nonnull (strstr (o.out, "  A    0.210s  client    link copies seg 8"));
  g_assert_nonnull (strstr (o.out, "  B    0.210s  client    close(3) = 0"));
  g_assert_nonnull (strstr (o.out, "  corruption    A only"));
  g_assert_nonnull (strstr (o.out, "  reuse         both runs"));
  g_assert_nonnull (strstr (o.out, "The difference that matters: A corrupted, B did not."));
  g_assert_null (strstr (o.out, "timer set"));
  cli_outcome_clear (&o);
}

static void
test_compare_scenario_with_itself_is_the_same_story (void)
{
  g_test_summary ("A scenario compared with itself: the same story, the same verdicts.");
  const char *args[] = { "compare", flagship, flagship, NULL };
  CliOutcome o = cli_run_twsim (g_getenv ("TWSIM_SOURCE_ROOT"), args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "The two runs tell the same story"));
  g_assert_nonnull (strstr (o.out, "  corruption    both runs"));
  cli_outcome_clear (&o);
}

static void
test_compare_missing_file_exits_2 (void)
{
  g_test_summary ("A file that cannot be read, or one file only: exit 2.");
  const char *missing[] = { "compare", flagship, "no-such.scn", NULL };
  CliOutcome o = cli_run_twsim (g_getenv ("TWSIM_SOURCE_ROOT"), missing, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "no-such.scn"));
  cli_outcome_clear (&o);
  const char *one[] = { "compare", flagship, NULL };
  o = cli_run_twsim (g_getenv ("TWSIM_SOURCE_ROOT"), one, NULL);
  g_assert_cmpint (o.status, ==, 2);
  cli_outcome_clear (&o);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compare/flagship-with-linux-names-divergence-and-verdicts",
                   test_compare_flagship_with_linux_names_divergence_and_verdicts);
  g_test_add_func ("/compare/scenario-with-itself-is-the-same-story",
                   test_compare_scenario_with_itself_is_the_same_story);
  g_test_add_func ("/compare/missing-file-exits-2", test_compare_missing_file_exits_2);
  return g_test_run ();
}
