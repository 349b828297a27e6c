/* test-plots.c: `twsim run --plot DIR` and `twsim plot TRACE --out DIR` as a
 * user meets them: the same data and scripts both ways, real PNG and SVG
 * images when gnuplot is installed, data and scripts (exit 0) when it is
 * not, gnuplot failures reported (exit 2), and `file:line:` for a bad
 * trace. */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char *tmp_dir;
static char *trace_path;   /* written by the first run, shared */
static char *scenario;

static const char *const plot_names[] = { "ladder", "states", "tseq-" };

static char *
in_tmp (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* The sorted names of the files in dir. */
static GPtrArray *
list_dir (const char *dir)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

static gboolean
has_file_with_prefix (const char *dir, const char *prefix, const char *ext)
{
  g_autoptr (GPtrArray) names = list_dir (dir);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      if (g_str_has_prefix (n, prefix) && g_str_has_suffix (n, ext))
        return TRUE;
    }
  return FALSE;
}

static void
assert_data_and_scripts (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (plot_names); i++)
    {
      g_assert_true (has_file_with_prefix (dir, plot_names[i], ".dat"));
      g_assert_true (has_file_with_prefix (dir, plot_names[i], ".gp"));
    }
  /* No temporary file is left behind. */
  g_autoptr (GPtrArray) names = list_dir (dir);
  for (guint i = 0; i < names->len; i++)
    g_assert_null (strstr (g_ptr_array_index (names, i), ".tmp"));
}

static guint32
be32 (const guchar *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
assert_png (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  static const guchar signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_assert_cmpuint (len, >, 5 * 1024);
  g_assert_cmpmem (data, 8, signature, 8);
  /* The first chunk is IHDR: width and height. */
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  guint32 width = be32 ((const guchar *) data + 16), height = be32 ((const guchar *) data + 20);
  g_assert_cmpuint (width, >=, 640);
  g_assert_cmpuint (width, <=, 4096);
  g_assert_cmpuint (height, >=, 400);
  g_assert_cmpuint (height, <=, 4096);
}

static void
assert_svg (const char *path)
{
  g_autofree char *data = NULL;
  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  g_assert_true (g_str_has_prefix (data, "<?xml") || g_str_has_prefix (data, "<svg"));
  g_assert_nonnull (strstr (data, "</svg>"));
}

static void
assert_images (const char *dir)
{
  g_autoptr (GPtrArray) names = list_dir (dir);
  guint pngs = 0;
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      if (!g_str_has_suffix (n, ".gp"))
        continue;
      g_autofree char *stem = g_strndup (n, strlen (n) - 3);
      g_autofree char *png_name = g_strdup_printf ("%s.png", stem);
      g_autofree char *svg_name = g_strdup_printf ("%s.svg", stem);
      g_autofree char *png = g_build_filename (dir, png_name, NULL);
      g_autofree char *svg = g_build_filename (dir, svg_name, NULL);
      assert_png (png);
      assert_svg (svg);
      pngs++;
    }
  g_assert_cmpuint (pngs, >=, 3);
}

/* Every .dat and .gp file in a is in b, byte for byte, and the reverse. */
static void
assert_same_data_and_scripts (const char *a, const char *b)
{
  g_autoptr (GPtrArray) names_a = list_dir (a);
  g_autoptr (GPtrArray) names_b = list_dir (b);
  guint compared = 0;
  for (guint i = 0; i < names_a->len; i++)
    {
      const char *n = g_ptr_array_index (names_a, i);
      if (!g_str_has_suffix (n, ".dat") && !g_str_has_suffix (n, ".gp"))
        continue;
      g_autofree char *pa = g_build_filename (a, n, NULL);
      g_autofree char *pb = g_build_filename (b, n, NULL);
      g_autofree char *da = NULL, *db = NULL;
      gsize la = 0, lb = 0;
      g_assert_true (g_file_get_contents (pa, &da, &la, NULL));
      g_assert_true (g_file_get_contents (pb, &db, &lb, NULL));
      g_assert_cmpmem (da, la, db, lb);
      compared++;
    }
  guint in_b = 0;
  for (guint i = 0; i < names_b->len; i++)
    {
      const char *n = g_ptr_array_index (names_b, i);
      in_b += g_str_has_suffix (n, ".dat") || g_str_has_suffix (n, ".gp");
    }
  g_assert_cmpuint (compared, ==, in_b);
  g_assert_cmpuint (compared, >=, 6);
}

static gboolean
have_gnuplot (void)
{
  g_autofree char *path = g_find_program_in_path ("gnuplot");
  return path != NULL;
}

/* run --trace --plot, then plot from the saved trace: same data, images. */
static void
test_run_and_plot_agree (void)
{
  g_autofree char *run_dir = in_tmp ("run-plots");
  g_autofree char *plot_dir = in_tmp ("plot-plots");
  g_autofree char *notrace_dir = in_tmp ("run-plots-no-trace");
  const char *run_args[] = { "run", scenario, "--quiet", "--trace", trace_path, "--plot", run_dir, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, run_args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
  g_assert_true (g_file_test (trace_path, G_FILE_TEST_IS_REGULAR));

  const char *plot_args[] = { "plot", trace_path, "--out", plot_dir, NULL };
  o = cli_run_twsim (tmp_dir, plot_args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);

  /* Without --trace the run keeps its trace in a temporary file. */
  const char *notrace_args[] = { "run", scenario, "--quiet", "--plot", notrace_dir, NULL };
  o = cli_run_twsim (tmp_dir, notrace_args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);

  assert_data_and_scripts (run_dir);
  assert_data_and_scripts (plot_dir);
  assert_same_data_and_scripts (run_dir, plot_dir);
  assert_same_data_and_scripts (run_dir, notrace_dir);
  if (!have_gnuplot ())
    {
      g_test_skip ("gnuplot is not installed: images not checked");
      return;
    }
  assert_images (run_dir);
  assert_images (plot_dir);
}

/* The lines of block `title` ("# [N] title") of a data file. */
static char **
data_block (const char *data, const char *title)
{
  g_autofree char *head = g_strdup_printf ("] %s\n", title);
  const char *at = strstr (data, head);
  g_assert_nonnull (at);
  if (at == NULL)
    return g_new0 (char *, 1);
  at += strlen (head);
  const char *end = strstr (at, "\n\n");
  g_autofree char *block = end != NULL ? g_strndup (at, end - at) : g_strdup (at);
  return g_strsplit (block, "\n", -1);
}

static gboolean
block_has_line (char **lines, const char *part1, const char *part2)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '#' && strstr (lines[i], part1) != NULL && strstr (lines[i], part2) != NULL)
      return TRUE;
  return FALSE;
}

/* The flagship (stale data corrupts a new connection): the ladder draws
 * the 2 s old copy of seg 4 as a stale arrow from 0.100 s to 2.110 s with
 * its label shown, the 0.5 s copy of the FIN as a duplicate, the accepted
 * stale bytes on the arrival and the corruption star with its label; the
 * state timeline shows the TIME-WAIT discarded early. Same files from the
 * run and from its trace; real images. */
static void
test_flagship (void)
{
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autofree char *flagship = g_build_filename (root, "scenarios", "hazards",
                                                "stale-data-corrupts-new-connection.scn", NULL);
  g_autofree char *trace = in_tmp ("flagship.jsonl");
  g_autofree char *run_dir = in_tmp ("flagship-run");
  g_autofree char *plot_dir = in_tmp ("flagship-plot");
  const char *run_args[] = { "run", flagship, "--quiet", "--trace", trace, "--plot", run_dir, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, run_args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
  const char *plot_args[] = { "plot", trace, "--out", plot_dir, NULL };
  o = cli_run_twsim (tmp_dir, plot_args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
  assert_data_and_scripts (run_dir);
  assert_same_data_and_scripts (run_dir, plot_dir);

  g_autofree char *ladder_path = g_build_filename (run_dir, "ladder.dat", NULL);
  g_autofree char *ladder = NULL;
  g_assert_true (g_file_get_contents (ladder_path, &ladder, NULL, NULL));
  /* t_send_ms t_arrive_ms seg copy sender label_shown */
  g_auto (GStrv) stale = data_block (ladder, "stale (older incarnation)");
  g_assert_true (block_has_line (stale, "\"PSH,ACK 1001:5001 (11) #1 STALE \xe2\x86\x92 #2\"",
                                 " 100.000000 2110.000000 4 1 \"client\" 1"));
  g_auto (GStrv) dup = data_block (ladder, "duplicate (link copy)");
  g_assert_true (block_has_line (dup, "\"FIN,ACK 1012:5002 (0) copy 1\"",
                                 " 210.000000 720.000000 8 1 \"client\" 1"));
  g_auto (GStrv) accepted = data_block (ladder, "stale bytes accepted (tcp.stale-data)");
  g_assert_true (block_has_line (accepted, "1.00 ", " 2110.000000 4 1 2"));
  g_auto (GStrv) corruption = data_block (ladder, "corruption");
  g_assert_true (block_has_line (corruption, " 2200.000000 ",
                                 "\"CORRUPTION: read \xe2\x80\x9c" "balance=100\xe2\x80\x9d of #1 (seg 4, 2.110 s)\" 4"));
  g_autofree char *gp_path = g_build_filename (run_dir, "ladder.gp", NULL);
  g_autofree char *gp = NULL;
  g_assert_true (g_file_get_contents (gp_path, &gp, NULL, NULL));
  g_assert_nonnull (strstr (gp, "title 'stale (older incarnation)'"));
  g_assert_nonnull (strstr (gp, "title 'duplicate (link copy)'"));
  g_assert_nonnull (strstr (gp, "title 'corruption (stale bytes read)'"));

  g_autofree char *states_path = g_build_filename (run_dir, "states.dat", NULL);
  g_autofree char *states = NULL;
  g_assert_true (g_file_get_contents (states_path, &states, NULL, NULL));
  g_auto (GStrv) below = data_block (states, "TIME-WAIT labels below their bars");
  g_assert_true (block_has_line (below, "\"TIME-WAIT 280.0 ms (discarded on rebind)",
                                 "2 x MSL would end at 60.220 s\" 3 1"));

  if (!have_gnuplot ())
    {
      g_test_skip ("gnuplot is not installed: images not checked");
      return;
    }
  assert_images (run_dir);
  assert_images (plot_dir);
}

/* Without gnuplot on PATH: data and scripts, how to render, exit 0. */
static void
test_without_gnuplot (void)
{
  g_autofree char *empty = in_tmp ("empty-path");
  g_autofree char *dir = in_tmp ("no-gnuplot");
  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  char **envp = g_environ_setenv (g_get_environ (), "PATH", empty, TRUE);
  const char *args[] = { "plot", trace_path, "--out", dir, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, envp);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.err, "gnuplot ladder.gp"));
  assert_data_and_scripts (dir);
  g_assert_false (has_file_with_prefix (dir, "", ".png"));
  g_assert_false (has_file_with_prefix (dir, "", ".svg"));
  cli_outcome_clear (&o);
  g_strfreev (envp);
}

/* A gnuplot that fails: its message and the script's name, exit 2, no
 * image and no temporary file left. */
static void
test_gnuplot_failure_reported (void)
{
  g_autofree char *bin = in_tmp ("failing-gnuplot");
  g_autofree char *fake = g_build_filename (bin, "gnuplot", NULL);
  g_autofree char *dir = in_tmp ("gnuplot-failed");
  g_assert_cmpint (g_mkdir (bin, 0755), ==, 0);
  g_assert_true (g_file_set_contents (fake, "#!/bin/sh\necho \"line 7: boom\" >&2\nexit 1\n", -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  char **envp = g_environ_setenv (g_get_environ (), "PATH", bin, TRUE);
  const char *args[] = { "plot", trace_path, "--out", dir, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, envp);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "ladder.gp"));
  g_assert_nonnull (strstr (o.err, "boom"));
  assert_data_and_scripts (dir);
  g_assert_false (has_file_with_prefix (dir, "", ".png"));
  cli_outcome_clear (&o);
  g_strfreev (envp);
}

typedef struct {
  const char *name;
  const char *text;
  guint line;
  guint col;
  const char *says;   /* words the message holds, or NULL */
} BadTrace;

#define V1 "{\"v\":1,\"twsim\":\"trace\"}\n"

static const BadTrace bad_traces[] = {
  { "not-json", V1 "{\"t\":0,\"i\":0,\"k\":\"x\",\"h\":null,\"text\":\"\"}\n{\"t\":1,\n", 3, 8 },
  { "missing-seq",
    V1 "{\"t\":0,\"i\":0,\"k\":\"x\",\"h\":null,\"text\":\"\"}\n"
    "{\"t\":0,\"i\":1,\"k\":\"x\",\"h\":null,\"text\":\"\"}\n"
    "{\"t\":5,\"i\":2,\"k\":\"tcp.send\",\"h\":\"a\",\"seg\":1,\"src\":\"1.1.1.1:1\",\"dst\":\"1.1.1.2:2\",\"flags\":\"SYN\",\"ack\":0,\"len\":0,\"conn\":1,\"text\":\"\"}\n",
    4, 1 },
  { "not-an-object", V1 "[1, 2]\n", 2, 1 },
  { "row-before-its-definition", V1 "[0,5,\"a\"]\n", 2, 1, "definition" },
  { "row-of-the-wrong-length", V1 "{\"d\":0,\"k\":\"x\",\"keys\":\"t,h\"}\n[0,5,\"a\",7]\n", 3, 10, "has 2 values, this row 3" },
  { "segment-never-given", V1 "{\"t\":0,\"k\":\"link.send\",\"s\":9,\"link\":\"a->b\",\"arrive\":1}\n", 2, 24, "no earlier line gave in full" },
  { "empty", "", 1, 1 },
  { "time-out-of-range", V1 "{\"t\":9223372036854775807,\"i\":0,\"k\":\"x\",\"h\":null,\"text\":\"\"}\n", 2, 1 },
  /* Version 0 had no header: its first line is an event. */
  { "old-trace-without-header", "{\"t\":0,\"i\":0,\"kind\":\"x\",\"host\":null,\"text\":\"\"}\n", 1, 1,
    "not a twsim trace of version 1" },
  { "unknown-version", "{\"v\":2,\"twsim\":\"trace\"}\n{\"t\":0,\"k\":\"x\"}\n", 1, 6,
    "trace version 2: this twsim reads version 1" },
};

static void
test_bad_trace_exits_2 (gconstpointer data)
{
  const BadTrace *bad = data;
  g_autofree char *file = g_strdup_printf ("%s.jsonl", bad->name);
  g_autofree char *path = in_tmp (file);
  g_autofree char *dir_name = g_strdup_printf ("bad-%s", bad->name);
  g_autofree char *dir = in_tmp (dir_name);
  g_assert_true (g_file_set_contents (path, bad->text, -1, NULL));
  const char *args[] = { "plot", path, "--out", dir, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_autofree char *prefix = g_strdup_printf ("%s:%u:%u: ", path, bad->line, bad->col);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_true (g_str_has_prefix (o.err, prefix));
  if (bad->says != NULL)
    g_assert_nonnull (strstr (o.err, bad->says));
  g_autofree char *ladder = g_build_filename (dir, "ladder.dat", NULL);
  g_assert_false (g_file_test (ladder, G_FILE_TEST_EXISTS));
  cli_outcome_clear (&o);
}

/* json-glib's parser recurses per level: 100 000 '[' once overflowed the
 * stack. A twsim trace is flat; a nested line is refused at its column. */
static void
test_deep_nesting_refused (void)
{
  g_autofree char *brackets = g_strnfill (100000, '[');
  g_autofree char *text = g_strdup_printf (
    V1 "{\"t\":0,\"i\":0,\"k\":\"x\",\"h\":null,\"text\":\"[{\"}\n%s\n", brackets);
  const BadTrace deep = { "nested-too-deep", text, 3, 2 };
  test_bad_trace_exits_2 (&deep);
  const BadTrace inside = { "nested-value", V1 "{\"t\":0,\"k\":\"x\",\"h\":[1]}\n", 2, 20 };
  test_bad_trace_exits_2 (&inside);
}

/* A parser error quotes bytes of the line; a line cut inside a UTF-8
 * character (found by fuzz-trace-reader) must still give a valid UTF-8
 * message in file:line:col form. */
static void
test_error_message_is_valid_utf8 (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("TWSIM_SOURCE_ROOT"), "tests", "fuzz", "corpus",
                                            "trace", "regress-invalid-utf8-in-json-error.jsonl", NULL);
  g_autofree char *dir = in_tmp ("bad-utf8");
  const char *args[] = { "plot", path, "--out", dir, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_autofree char *prefix = g_strdup_printf ("%s:28:291: ':' is expected after a key", path);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_true (g_str_has_prefix (o.err, prefix));
  g_assert_true (g_utf8_validate (o.err, -1, NULL));
  cli_outcome_clear (&o);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  tmp_dir = g_dir_make_tmp ("twsim-plots-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_assert_nonnull (root);
  scenario = g_build_filename (root, "scenarios", "close", "final-ack-lost.scn", NULL);
  trace_path = in_tmp ("final-ack-lost.jsonl");

  /* In this order: the first test writes the trace the others read. */
  g_test_add_func ("/plots/run-and-plot-agree", test_run_and_plot_agree);
  g_test_add_func ("/plots/without-gnuplot", test_without_gnuplot);
  g_test_add_func ("/plots/flagship", test_flagship);
  g_test_add_func ("/plots/gnuplot-failure-reported", test_gnuplot_failure_reported);
  g_test_add_func ("/plots/bad-trace/deep-nesting-refused", test_deep_nesting_refused);
  g_test_add_func ("/plots/bad-trace/error-message-is-valid-utf8", test_error_message_is_valid_utf8);
  for (guint i = 0; i < G_N_ELEMENTS (bad_traces); i++)
    {
      g_autofree char *name = g_strdup_printf ("/plots/bad-trace/%s", bad_traces[i].name);
      g_test_add_data_func (name, &bad_traces[i], test_bad_trace_exits_2);
    }
  int status = g_test_run ();
  if (status == 0)
    {
      cli_remove_tree (tmp_dir);
    }
  g_free (scenario);
  g_free (trace_path);
  g_free (tmp_dir);
  return status;
}
