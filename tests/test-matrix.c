/* test-matrix.c: `twsim matrix` reproduces the table in the README; its
 * CSV and JSON agree with the table; an output file that cannot be
 * written is not left half-written and the exit status says so. */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#define BEGIN_MARK "<!-- twsim matrix scenarios/hazards/*.scn: begin -->\n"
#define END_MARK "<!-- twsim matrix: end -->"

static const char *
source_root (void)
{
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  return root != NULL ? root : ".";
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* "scenarios/hazards/X.scn", sorted as the shell sorts the glob (C locale). */
static GPtrArray *
hazard_files (void)
{
  g_autofree char *dir = g_build_filename (source_root (), "scenarios", "hazards", NULL);
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".scn"))
      g_ptr_array_add (files, g_build_filename ("scenarios", "hazards", name, NULL));
  g_dir_close (d);
  g_ptr_array_sort (files, compare_names);
  return files;
}

static CliOutcome
run_matrix (const char *const *extra)
{
  g_autoptr (GPtrArray) files = hazard_files ();
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_ptr_array_add (args, (gpointer) "matrix");
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (args, g_ptr_array_index (files, i));
  for (; extra != NULL && *extra != NULL; extra++)
    g_ptr_array_add (args, (gpointer) *extra);
  g_ptr_array_add (args, NULL);
  return cli_run_twsim (source_root (), (const char *const *) args->pdata, NULL);
}

static void
test_readme_table (void)
{
  g_test_summary ("twsim matrix reproduces the table in the README");
  g_autofree char *readme_path = g_build_filename (source_root (), "README.md", NULL);
  g_autofree char *readme = NULL;
  g_assert_true (g_file_get_contents (readme_path, &readme, NULL, NULL));
  const char *begin = strstr (readme, BEGIN_MARK);
  g_assert_nonnull (begin);
  begin += strlen (BEGIN_MARK);
  const char *end = strstr (begin, END_MARK);
  g_assert_nonnull (end);
  g_autofree char *committed = g_strndup (begin, (gsize) (end - begin));
  CliOutcome o = run_matrix (NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_cmpstr (o.out, ==, committed);
  cli_outcome_clear (&o);
}

static void
test_csv_json (void)
{
  g_test_summary ("--csv and --json hold one record per cell, as in the table");
  g_autofree char *dir = g_dir_make_tmp ("twsim-matrix-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "m.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "m.json", NULL);
  const char *extra[] = { "--csv", csv, "--json", json, NULL };
  CliOutcome o = run_matrix (extra);
  g_assert_cmpint (o.status, ==, 0);
  g_autofree char *csv_text = NULL, *json_text = NULL;
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  g_assert_true (g_file_get_contents (json, &json_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv_text, "scenario,variant,settings,hazards\n"));
  g_assert_nonnull (strstr (csv_text, "stale-data-corrupts-new-connection,as written,,H1"));
  g_assert_nonnull (strstr (json_text, "\"scenario\": \"stale-data-corrupts-new-connection\", "
                                       "\"variant\": \"as written\""));
  /* Rows of the table (minus 2 header lines) x columns = CSV records. */
  g_auto (GStrv) table_lines = g_strsplit (o.out, "\n", -1);
  g_auto (GStrv) csv_lines = g_strsplit (csv_text, "\n", -1);
  guint rows = g_strv_length (table_lines) - 3;
  guint columns = 0;
  for (const char *p = table_lines[0]; *p != '\0'; p++)
    columns += *p == '|' ? 1 : 0;
  columns -= 2; /* the scenario column and the closing bar */
  g_assert_cmpuint (g_strv_length (csv_lines) - 2, ==, rows * columns);
  g_unlink (csv);
  g_unlink (json);
  g_rmdir (dir);
  cli_outcome_clear (&o);
}

static void
test_unwritable_output (void)
{
  g_test_summary ("a CSV path that cannot be written: exit 2, nothing left behind");
  const char *extra[] = { "--csv", "/nonexistent-dir/m.csv", NULL };
  CliOutcome o = run_matrix (extra);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_false (g_file_test ("/nonexistent-dir/m.csv", G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (o.err, "m.csv"));
  cli_outcome_clear (&o);
}

static void
test_applicability (void)
{
  g_test_summary ("`# matrix:` lines choose the variants; the others read n/a; unknown names "
                  "are an error at file:line");
  g_autofree char *dir = g_dir_make_tmp ("twsim-matrix-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "only-paws.scn", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.scn", NULL);
  g_assert_true (g_file_set_contents (good,
                                      "# one variant:\n#matrix: timestamps=on\n"
                                      "host a 10.0.0.1\n0ms expect no corruption\n",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (bad, "host a 10.0.0.1\n  # matrix: isn=clock isn=bogus\n",
                                      -1, NULL));
  const char *twsim = g_getenv ("TWSIM");
  g_assert_nonnull (twsim);
  const char *argv_good[] = { twsim, "matrix", good, NULL };
  const char *argv_bad[] = { twsim, "matrix", bad, NULL };
  CliOutcome o = { 0 };
  int wait_status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv_good, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &o.out, &o.err, &wait_status, NULL));
  g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
  g_auto (GStrv) lines = g_strsplit (o.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_auto (GStrv) cells = g_strsplit (lines[2], " | ", -1);
  guint na = 0, none = 0;
  for (guint i = 0; cells[i] != NULL; i++)
    {
      na += strcmp (cells[i], "n/a") == 0 ? 1 : 0;
      none += strcmp (cells[i], "none") == 0 || strcmp (cells[i], "none |") == 0 ? 1 : 0;
    }
  g_assert_cmpuint (none, ==, 2); /* as written, and PAWS (last column) */
  g_assert_cmpuint (na, >, 0);
  g_assert_true (g_str_has_suffix (lines[2], "| none |"));
  cli_outcome_clear (&o);
  g_assert_true (g_spawn_sync (NULL, (char **) argv_bad, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &o.out, &o.err, &wait_status, NULL));
  g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 2);
  g_autofree char *where = g_strdup_printf ("%s:2: unknown matrix variant 'isn=bogus'", bad);
  g_assert_nonnull (strstr (o.err, where));
  cli_outcome_clear (&o);
  g_unlink (good);
  g_unlink (bad);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/matrix/readme-table", test_readme_table);
  g_test_add_func ("/matrix/csv-json", test_csv_json);
  g_test_add_func ("/matrix/unwritable-output", test_unwritable_output);
  g_test_add_func ("/matrix/applicability", test_applicability);
  return g_test_run ();
}
