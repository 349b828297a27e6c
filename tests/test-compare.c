/* test-compare.c: `twsim compare A.scn B.scn`: the flagship against the
 * Linux contrast parts at the first different line and differs in its
 * CORRUPTION verdict; a scenario against itself tells the same story; a
 * missing file is exit 2. One scenario under --set / --a-set variants: the
 * same report, bad settings are errors; --ladder draws both ladders on the
 * same time rows; --plot draws both panels on the same ranges. */
#include "cli-fixture.h"

#include <glib.h>
#include <stdlib.h>
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


static void
test_compare_set_variant_names_divergence_and_verdicts (void)
{
  g_test_summary ("The flagship against itself with every host Linux (--set *.personality=linux): "
                  "the runs part at the server's rebind, and only A corrupts.");
  const char *args[] = { "compare", flagship, "--set", "*.personality=linux", NULL };
  CliOutcome o = cli_run_twsim (g_getenv ("TWSIM_SOURCE_ROOT"), args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "B: scenarios/hazards/stale-data-corrupts-new-connection.scn "
                                   "with *.personality=linux (seed 7)"));
  g_assert_nonnull (strstr (o.out, "they first part here"));
  g_assert_nonnull (strstr (o.out, "  A    0.500s  server    TIME-WAIT -> CLOSED (discarded on rebind"));
  g_assert_nonnull (strstr (o.out, "  B    0.500s  server    bind(3, 10.0.0.2:80) = 0\n"));
  g_assert_nonnull (strstr (o.out, "  corruption    A only"));
  g_assert_nonnull (strstr (o.out, "The difference that matters: A corrupted, B did not."));
  cli_outcome_clear (&o);
}

static void
test_compare_a_set_changes_run_a (void)
{
  g_test_summary ("--a-set puts the setting into run A: then B corrupts and A does not.");
  const char *args[] = { "compare", flagship, "--a-set", "*.personality=linux", NULL };
  CliOutcome o = cli_run_twsim (g_getenv ("TWSIM_SOURCE_ROOT"), args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "  corruption    B only"));
  g_assert_nonnull (strstr (o.out, "The difference that matters: B corrupted, A did not."));
  cli_outcome_clear (&o);
}

static void
expect_bad_set (const char *set, const char *message)
{
  const char *args[] = { "compare", flagship, "--set", set, NULL };
  CliOutcome o = cli_run_twsim (g_getenv ("TWSIM_SOURCE_ROOT"), args, NULL);
  g_test_message ("--set %s: %s", set, o.err);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, message));
  g_assert_cmpstr (o.out, ==, "");
  cli_outcome_clear (&o);
}

static void
test_compare_bad_set_is_an_error (void)
{
  g_test_summary ("An unknown host, key or value, or no HOST.KEY=VALUE shape: exit 2, said on "
                  "stderr with where it came from; one file without --set: exit 2.");
  expect_bad_set ("srv.personality=linux",
                  "--set srv.personality=linux: scenarios/hazards/stale-data-corrupts-new-connection.scn "
                  "has no host 'srv' (its hosts: client, server)");
  expect_bad_set ("server.persnality=linux", "stale-data-corrupts-new-connection.scn:21:");
  expect_bad_set ("server.persnality=linux",
                  "unknown host setting 'persnality', did you mean 'personality'?");
  expect_bad_set ("server.persnality=linux", "(at --set server.persnality=linux)");
  expect_bad_set ("server.personality=lnux", "unknown personality 'lnux'");
  expect_bad_set ("personality=linux", "--set personality=linux: expected HOST.KEY=VALUE");
  const char *alone[] = { "compare", flagship, "--ladder", NULL };
  CliOutcome o = cli_run_twsim (g_getenv ("TWSIM_SOURCE_ROOT"), alone, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "two scenario files, or one with --set"));
  cli_outcome_clear (&o);
}

/* The times printed at the start of the ladder lines between `from` and
 * `to` (the next title, or the report). */
static GPtrArray *
ladder_times (const char *from, const char *to)
{
  GPtrArray *times = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *part = g_strndup (from, (gsize) (to - from));
  g_auto (GStrv) lines = g_strsplit (part, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = lines[i] + strspn (lines[i], " ");
      if (*p >= '0' && *p <= '9')
        g_ptr_array_add (times, g_strndup (p, strcspn (p, " ")));
    }
  return times;
}

static void
test_compare_ladders_share_time_rows (void)
{
  g_test_summary ("--ladder: run A's ladder, then run B's, each under its title, with the same "
                  "time rows: 0.730s, a time of B only, is a row of A too.");
  const char *args[] = { "compare", flagship, "--set", "*.personality=linux", "--ladder", NULL };
  CliOutcome o = cli_run_twsim (g_getenv ("TWSIM_SOURCE_ROOT"), args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  const char *a = strstr (o.out, "A: scenarios/hazards/stale-data-corrupts-new-connection.scn\n");
  const char *b = strstr (o.out, "\nB: scenarios/hazards/stale-data-corrupts-new-connection.scn with *.personality=linux\n");
  const char *end = strstr (o.out, "\nA: scenarios/hazards/stale-data-corrupts-new-connection.scn (seed 7)");
  g_assert_true (a != NULL && b != NULL && end != NULL && a < b && b < end);
  g_autoptr (GPtrArray) ta = ladder_times (a, b);
  g_autoptr (GPtrArray) tb = ladder_times (b, end);
  g_assert_cmpuint (ta->len, >, 20);
  g_assert_cmpuint (ta->len, ==, tb->len);
  for (guint i = 0; i < ta->len; i++)
    g_assert_cmpstr (g_ptr_array_index (ta, i), ==, g_ptr_array_index (tb, i));
  g_assert_true (g_ptr_array_find_with_equal_func (ta, "0.730s", g_str_equal, NULL));
  /* A's stale copy was accepted, B's refused by PAWS. */
  g_assert_true (strstr (o.out, "copy, sent 0.100s STALE ~") < b);
  g_assert_true (strstr (o.out, "copy, sent 0.100s STALE (paws) ~") > b);
  cli_outcome_clear (&o);
}

/* The first data row of compare.dat's block whose title ends with `title`. */
static char **
first_row_of_block (const char *dat, const char *title)
{
  g_auto (GStrv) lines = g_strsplit (dat, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "# [") && g_str_has_suffix (lines[i], title)
        && lines[i + 1] != NULL && lines[i + 2] != NULL)
      return g_strsplit (lines[i + 2], " ", -1);
  g_error ("no block ending in '%s'", title);
  return NULL;
}

static guint
count (const char *text, const char *needle)
{
  guint n = 0;
  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_compare_plot_panels_share_x_and_y_range (void)
{
  g_test_summary ("--plot DIR: compare.gp draws two panels with the same xrange and yrange, and "
                  "the stale copy, sent and arrived at the same times in both runs, starts and "
                  "ends at the same y in both panels of compare.dat.");
  g_autofree char *dir = g_dir_make_tmp ("twsim-compare-XXXXXX", NULL);
  g_autofree char *flag = g_build_filename (g_getenv ("TWSIM_SOURCE_ROOT"), flagship, NULL);
  const char *args[] = { "compare", flag, "--set", "*.personality=linux", "--plot", "slide", NULL };
  CliOutcome o = cli_run_twsim (dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_autofree char *gp_path = g_build_filename (dir, "slide", "compare.gp", NULL);
  g_autofree char *dat_path = g_build_filename (dir, "slide", "compare.dat", NULL);
  g_autofree char *gp = NULL, *dat = NULL;
  g_assert_true (g_file_get_contents (gp_path, &gp, NULL, NULL));
  g_assert_true (g_file_get_contents (dat_path, &dat, NULL, NULL));
  g_assert_cmpuint (count (gp, "\n  set multiplot title"), ==, 1);
  g_assert_cmpuint (count (gp, "  plot NaN"), ==, 2);
  g_assert_cmpuint (count (gp, "set xrange"), ==, 2);
  g_assert_cmpuint (count (gp, "  set xrange [x_lo:x_hi]\n"), ==, 2);
  g_assert_cmpuint (count (gp, "set yrange"), ==, 2);
  g_assert_cmpuint (count (gp, "  set yrange [y_bottom:y_top]\n"), ==, 2);
  g_assert_cmpuint (count (gp, "\ny_bottom = "), ==, 1);
  g_auto (GStrv) a = first_row_of_block (dat, "A: stale-data-corrupts-new-connection.scn as written: "
                                              "stale, accepted (older incarnation)");
  g_auto (GStrv) b = first_row_of_block (dat, "B: with *.personality=linux: "
                                              "stale, refused (older incarnation)");
  g_assert_cmpstr (a[1], ==, b[1]);  /* y at sending */
  g_assert_cmpstr (a[3], ==, b[3]);  /* dy to arrival */
  g_assert_cmpfloat (g_ascii_strtod (a[3], NULL), >, 0);
  g_autofree char *gnuplot = g_find_program_in_path ("gnuplot");
  g_autofree char *png = g_build_filename (dir, "slide", "compare.png", NULL);
  if (gnuplot != NULL)
    g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  cli_outcome_clear (&o);
  cli_remove_tree (dir);
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
  g_test_add_func ("/compare/set-variant-names-divergence-and-verdicts",
                   test_compare_set_variant_names_divergence_and_verdicts);
  g_test_add_func ("/compare/a-set-changes-run-a", test_compare_a_set_changes_run_a);
  g_test_add_func ("/compare/bad-set-is-an-error", test_compare_bad_set_is_an_error);
  g_test_add_func ("/compare/ladders-share-time-rows", test_compare_ladders_share_time_rows);
  g_test_add_func ("/compare/plot-panels-share-x-and-y-range",
                   test_compare_plot_panels_share_x_and_y_range);
  return g_test_run ();
}
