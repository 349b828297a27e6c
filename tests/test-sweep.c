/* test-sweep.c: `twsim sweep` and `twsim sweep-merge`: Wilson intervals,
 * the same counts whatever the number of workers and however the runs are
 * sharded, merging that refuses an incomplete or mixed set of parts, the
 * GNU parallel pipeline of the README, plots, and bad options. */
#include "cli-fixture.h"
#include "sweep.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#define FLAGSHIP "scenarios/hazards/stale-data-corrupts-new-connection.scn"

static const char *
source_root (void)
{
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  return root != NULL ? root : ".";
}

static char *
read_file (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* Runs `twsim sweep FLAGSHIP --seeds 1..40 --vary ... EXTRA...`. */
static CliOutcome
run_sweep (const char *const *extra)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  const char *base[] = { "sweep", FLAGSHIP, "--seeds", "1..40",
                         "--vary", "link.client-server.dup=0,0.3",
                         "--vary", "host.*.timestamps=off,on" };
  for (gsize i = 0; i < G_N_ELEMENTS (base); i++)
    g_ptr_array_add (args, (gpointer) base[i]);
  for (; extra != NULL && *extra != NULL; extra++)
    g_ptr_array_add (args, (gpointer) *extra);
  g_ptr_array_add (args, NULL);
  return cli_run_twsim (source_root (), (const char *const *) args->pdata, NULL);
}

/* Wilson (1927): k = 0 of n = 200 still gives an upper bound z²/(n + z²). */
static void
test_wilson_interval_at_zero (void)
{
  double lo, hi;
  sweep_wilson (0, 200, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (hi, 3.841459 / 203.841459, 1e-6);
}

static void
test_wilson_interval_symmetric_at_half (void)
{
  double lo, hi;
  sweep_wilson (5, 10, &lo, &hi);
  g_assert_cmpfloat_with_epsilon (lo, 0.236593, 1e-6);
  g_assert_cmpfloat_with_epsilon (hi, 0.763407, 1e-6);
}

static void
test_wilson_interval_at_all (void)
{
  double lo, hi;
  sweep_wilson (200, 200, &lo, &hi);
  g_assert_cmpfloat (hi, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (lo, 1.0 - 3.841459 / 203.841459, 1e-6);
}

/* The flagship as written corrupts for every seed: H1 in 40 of 40 runs. */
static void
test_flagship_corrupts_in_every_run (void)
{
  const char *extra[] = { "--jobs", "1", NULL };
  CliOutcome o = run_sweep (extra);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "link.client-server.dup=0 host.*.timestamps=off: 40 runs"));
  g_assert_nonnull (strstr (o.out, "| H1 | 40 | 1.000000 | [0.912378, 1.000000] |"));
  cli_outcome_clear (&o);
}

/* --jobs 1 and --jobs 3 give byte-identical CSV and JSON. */
static void
test_same_result_whatever_the_workers (void)
{
  g_autofree char *dir = g_dir_make_tmp ("twsim-sweep-XXXXXX", NULL);
  const char *names[2][2] = { { "one.csv", "one.json" }, { "three.csv", "three.json" } };
  const char *jobs[2] = { "1", "3" };
  for (int j = 0; j < 2; j++)
    {
      g_autofree char *csv = g_build_filename (dir, names[j][0], NULL);
      g_autofree char *json = g_build_filename (dir, names[j][1], NULL);
      const char *extra[] = { "--jobs", jobs[j], "--csv", csv, "--json", json, NULL };
      CliOutcome o = run_sweep (extra);
      g_assert_cmpint (o.status, ==, 0);
      cli_outcome_clear (&o);
    }
  for (int f = 0; f < 2; f++)
    {
      g_autofree char *a_path = g_build_filename (dir, names[0][f], NULL);
      g_autofree char *b_path = g_build_filename (dir, names[1][f], NULL);
      g_autofree char *a = read_file (a_path);
      g_autofree char *b = read_file (b_path);
      g_assert_cmpstr (a, ==, b);
    }
  cli_remove_tree (dir);
}

/* Writes shard i/3 of the sweep into DIR/pI.part. */
static void
write_shard (const char *dir, int i)
{
  g_autofree char *shard = g_strdup_printf ("%d/3", i);
  g_autofree char *part = g_strdup_printf ("%s/p%d.part", dir, i);
  const char *extra[] = { "--shard", shard, "--part", part, NULL };
  CliOutcome o = run_sweep (extra);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
}

/* Three shards merged in any order: exactly the unsharded table, CSV, JSON. */
static void
test_merged_shards_equal_the_whole_sweep (void)
{
  g_autofree char *dir = g_dir_make_tmp ("twsim-sweep-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "whole.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "whole.json", NULL);
  const char *extra[] = { "--csv", csv, "--json", json, NULL };
  CliOutcome whole = run_sweep (extra);
  g_assert_cmpint (whole.status, ==, 0);
  for (int i = 1; i <= 3; i++)
    write_shard (dir, i);
  g_autofree char *p1 = g_build_filename (dir, "p1.part", NULL);
  g_autofree char *p2 = g_build_filename (dir, "p2.part", NULL);
  g_autofree char *p3 = g_build_filename (dir, "p3.part", NULL);
  g_autofree char *mcsv = g_build_filename (dir, "merged.csv", NULL);
  g_autofree char *mjson = g_build_filename (dir, "merged.json", NULL);
  const char *merge[] = { "sweep-merge", p3, p1, p2, "--csv", mcsv, "--json", mjson, NULL };
  CliOutcome merged = cli_run_twsim (source_root (), merge, NULL);
  g_assert_cmpint (merged.status, ==, 0);
  g_assert_cmpstr (merged.out, ==, whole.out);
  g_autofree char *a = read_file (csv), *b = read_file (mcsv);
  g_assert_cmpstr (a, ==, b);
  g_autofree char *c = read_file (json), *d = read_file (mjson);
  g_assert_cmpstr (c, ==, d);
  cli_outcome_clear (&whole);
  cli_outcome_clear (&merged);
  cli_remove_tree (dir);
}

/* A missing shard, a shard given twice, or a part of another sweep: exit 2. */
static void
test_merge_refuses_an_incomplete_set (void)
{
  g_autofree char *dir = g_dir_make_tmp ("twsim-sweep-XXXXXX", NULL);
  write_shard (dir, 1);
  write_shard (dir, 2);
  g_autofree char *p1 = g_build_filename (dir, "p1.part", NULL);
  g_autofree char *p2 = g_build_filename (dir, "p2.part", NULL);
  g_autofree char *other = g_build_filename (dir, "other.part", NULL);
  const char *other_sweep[] = { "sweep", FLAGSHIP, "--seeds", "1..5", "--shard", "3/3", "--part", other, NULL };
  CliOutcome o = cli_run_twsim (source_root (), other_sweep, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
  const char *missing[] = { "sweep-merge", p1, p2, NULL };
  const char *twice[] = { "sweep-merge", p1, p1, p2, NULL };
  const char *mixed[] = { "sweep-merge", p1, p2, other, NULL };
  const char *const *cases[] = { missing, twice, mixed };
  const char *why[] = { "shard 3/3 is missing", "shard given twice", "another sweep" };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CliOutcome m = cli_run_twsim (source_root (), cases[i], NULL);
      g_assert_cmpint (m.status, ==, 2);
      g_assert_nonnull (strstr (m.err, why[i]));
      g_assert_cmpstr (m.out, ==, "");
      cli_outcome_clear (&m);
    }
  cli_remove_tree (dir);
}

/* The README's GNU parallel pipeline, run locally: identical to one process. */
static void
test_parallel_pipeline_equals_one_process (void)
{
  g_autofree char *parallel = g_find_program_in_path ("parallel");
  if (parallel == NULL)
    {
      g_test_skip ("GNU parallel is not installed (Debian package parallel; .ci/run installs it)");
      return;
    }
  g_autofree char *dir = g_dir_make_tmp ("twsim-sweep-XXXXXX", NULL);
  const char *twsim = g_getenv ("TWSIM");
  g_autofree char *script = g_strdup_printf (
      "parallel --will-cite -j 2 %s sweep " FLAGSHIP " --seeds 1..40"
      " --vary link.client-server.dup=0,0.3 --vary 'host.*.timestamps=off,on'"
      " --shard {}/4 --part %s/part-{}.part ::: 1 2 3 4 >/dev/null && "
      "%s sweep-merge %s/part-*.part", twsim, dir, twsim, dir);
  const char *argv[] = { "sh", "-c", script, NULL };
  CliOutcome piped = cli_spawn (source_root (), argv, NULL);
  g_assert_cmpint (piped.status, ==, 0);
  CliOutcome whole = run_sweep (NULL);
  g_assert_cmpstr (piped.out, ==, whole.out);
  cli_outcome_clear (&piped);
  cli_outcome_clear (&whole);
  cli_remove_tree (dir);
}

/* --plot: probability against the first varied setting, data and script. */
static void
test_plot_has_one_series_per_verdict_found (void)
{
  g_autofree char *dir = g_dir_make_tmp ("twsim-sweep-XXXXXX", NULL);
  const char *extra[] = { "--plot", dir, NULL };
  CliOutcome o = run_sweep (extra);
  g_assert_cmpint (o.status, ==, 0);
  g_autofree char *dat_path = g_build_filename (dir, "sweep.dat", NULL);
  g_autofree char *gp_path = g_build_filename (dir, "sweep.gp", NULL);
  g_autofree char *dat = read_file (dat_path);
  g_autofree char *gp = read_file (gp_path);
  g_assert_nonnull (strstr (dat, "# [0] H1 host.*.timestamps=off\n"));
  g_assert_nonnull (strstr (gp, "set xtics ('0' 0, '0.3' 1)"));
  g_assert_nonnull (strstr (gp, "with yerrorlines"));
  cli_outcome_clear (&o);
  cli_remove_tree (dir);
}

static const struct {
  const char *name;
  const char *args[8];
  const char *message;
} bad_options[] = {
  { "seeds-reversed", { "--seeds", "9..3" }, "--seeds 9..3: expected FIRST..LAST" },
  { "seeds-not-a-number", { "--seeds", "x" }, "--seeds x: expected" },
  { "vary-without-values", { "--vary", "host.server.time_wait" }, "--vary host.server.time_wait: expected" },
  { "vary-unknown-scope", { "--vary", "net.x.y=1" }, "--vary net.x.y=1: expected" },
  { "vary-empty-value", { "--vary", "host.server.time_wait=1s,,2s" }, "no empty value" },
  { "vary-unknown-host", { "--vary", "host.nobody.time_wait=1s" }, "has no host 'nobody'" },
  { "vary-bad-value", { "--vary", "host.server.time_wait=soon" }, "(at host.server.time_wait=soon)" },
  { "shard-out-of-range", { "--shard", "4/3", "--part", "x" }, "--shard takes I/N" },
  { "shard-without-part", { "--shard", "1/3" }, "--shard and --part go together" },
  { "jobs-zero", { "--jobs", "0" }, "--jobs takes a positive number" },
};

static void
test_bad_option_exits_2 (gconstpointer data)
{
  gsize i = GPOINTER_TO_SIZE (data);
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_ptr_array_add (args, (gpointer) "sweep");
  g_ptr_array_add (args, (gpointer) FLAGSHIP);
  for (gsize a = 0; bad_options[i].args[a] != NULL; a++)
    g_ptr_array_add (args, (gpointer) bad_options[i].args[a]);
  g_ptr_array_add (args, NULL);
  CliOutcome o = cli_run_twsim (source_root (), (const char *const *) args->pdata, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, bad_options[i].message));
  g_assert_cmpstr (o.out, ==, "");
  cli_outcome_clear (&o);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sweep/wilson-interval-at-zero", test_wilson_interval_at_zero);
  g_test_add_func ("/sweep/wilson-interval-symmetric-at-half", test_wilson_interval_symmetric_at_half);
  g_test_add_func ("/sweep/wilson-interval-at-all", test_wilson_interval_at_all);
  g_test_add_func ("/sweep/flagship-corrupts-in-every-run", test_flagship_corrupts_in_every_run);
  g_test_add_func ("/sweep/same-result-whatever-the-workers", test_same_result_whatever_the_workers);
  g_test_add_func ("/sweep/merged-shards-equal-the-whole-sweep", test_merged_shards_equal_the_whole_sweep);
  g_test_add_func ("/sweep/merge-refuses-an-incomplete-set", test_merge_refuses_an_incomplete_set);
  g_test_add_func ("/sweep/parallel-pipeline-equals-one-process", test_parallel_pipeline_equals_one_process);
  g_test_add_func ("/sweep/plot-has-one-series-per-verdict-found", test_plot_has_one_series_per_verdict_found);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_options); i++)
    {
      g_autofree char *name = g_strdup_printf ("/sweep/bad-option-exits-2/%s", bad_options[i].name);
      g_test_add_data_func (name, GSIZE_TO_POINTER (i), test_bad_option_exits_2);
    }
  return g_test_run ();
}
