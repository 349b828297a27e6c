/* test-plot-rules.c: the rules that make the state timeline and the
 * time-sequence graphs fit for a slide: connections named for people
 * ("client #2 (10.0.0.1:4000 > 10.0.0.2:80)") and their files after them
 * (tseq-client-2), no graph for a listener, y ticks that are round and
 * distinct, a time axis that cuts a quiet stretch that would squash the
 * rest, a TIME-WAIT restart and the 2 x MSL not waited drawn. Checked on
 * the data and scripts twsim writes (gnuplot is kept off PATH). */
#include "cli-fixture.h"
#include "plot-names.h"
#include "plot-ticks.h"
#include "plot-time-axis.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#define S (G_GINT64_CONSTANT (1000000000))
#define MS (G_GINT64_CONSTANT (1000000))

static char *tmp_dir;

/* Plots scenario NAME (under scenarios/) into tmp_dir/LABEL, without
 * gnuplot: the data and scripts only. Returns the directory. */
static char *
plot_scenario (const char *name, const char *label)
{
  g_autofree char *scn = g_build_filename (g_getenv ("TWSIM_SOURCE_ROOT"), "scenarios", name, NULL);
  char *dir = g_build_filename (tmp_dir, label, NULL);
  g_autofree char *empty = g_build_filename (tmp_dir, "empty-path", NULL);
  g_mkdir_with_parents (empty, 0755);
  char **envp = g_environ_setenv (g_get_environ (), "PATH", empty, TRUE);
  const char *args[] = { "run", "--quiet", scn, "--plot", dir, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, envp);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
  g_strfreev (envp);
  return dir;
}

static char *
read_in (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_test_fail_printf ("%s: not written", path);
  return text != NULL ? text : g_strdup ("");
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The sorted names in dir that start with prefix and end with ext. */
static GPtrArray *
files_like (const char *dir, const char *prefix, const char *ext)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, ext))
      g_ptr_array_add (names, g_strdup (name));
  if (d != NULL)
    g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  return names;
}

/* The labels and positions of "set Xtics ... ('l1' p1, 'l2' p2, ...)". */
static void
tic_list (const char *script, const char *axis, GPtrArray *labels, GArray *positions)
{
  g_autofree char *head = g_strdup_printf ("set %s", axis);
  g_auto (GStrv) lines = g_strsplit (script, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *open = strchr (lines[i], '(');
      if (!g_str_has_prefix (lines[i], head) || open == NULL)
        continue;
      g_auto (GStrv) items = g_strsplit (open + 1, ",", -1);
      for (guint k = 0; items[k] != NULL; k++)
        {
          g_auto (GStrv) parts = g_strsplit (g_strstrip (items[k]), "'", -1);
          if (g_strv_length (parts) < 3)
            continue;
          g_ptr_array_add (labels, g_strdup (parts[1]));
          double p = g_ascii_strtod (parts[2], NULL);
          g_array_append_val (positions, p);
        }
    }
}

/* The data lines (not comments) of block `title` of a data file. */
static GPtrArray *
block_lines (const char *data, const char *title)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *head = g_strdup_printf ("] %s\n", title);
  const char *at = strstr (data, head);
  if (at == NULL)
    return out;
  at += strlen (head);
  const char *end = strstr (at, "\n\n");
  g_autofree char *block = end != NULL ? g_strndup (at, end - at) : g_strdup (at);
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '#' && lines[i][0] != '\0')
      g_ptr_array_add (out, g_strdup (lines[i]));
  return out;
}

/* Column n (0-based, split on blanks) of a data line, as a number. */
static double
column (const char *line, guint n)
{
  g_auto (GStrv) cols = g_strsplit_set (line, " ", -1);
  guint k = 0;
  for (guint i = 0; cols[i] != NULL; i++)
    if (cols[i][0] != '\0' && k++ == n)
      return g_ascii_strtod (cols[i], NULL);
  g_test_fail_printf ("no column %u in %s", n, line);
  return 0;
}

static void
test_connection_names (void)
{
  g_test_summary ("A connection is named by its host, incarnation and four-tuple; a listener "
                  "by its host and address, the next on the same address numbered.");
  PlotConnId client = { .host = "client", .inc = 2, .local = "10.0.0.1:4000", .remote = "10.0.0.2:80" };
  g_autofree char *name = plot_conn_name (&client);
  g_autofree char *stem = plot_conn_stem (&client);
  g_assert_cmpstr (name, ==, "client #2 (10.0.0.1:4000 > 10.0.0.2:80)");
  g_assert_cmpstr (stem, ==, "client-2");
  PlotConnId listener = { .host = "server", .local = "[::]:80", .remote = "*:0", .listening = TRUE,
                          .nth = 2 };
  g_autofree char *lname = plot_conn_name (&listener);
  g_autofree char *lstem = plot_conn_stem (&listener);
  g_assert_cmpstr (lname, ==, "server listener 2 ([::]:80)");
  g_assert_cmpstr (lstem, ==, "server-listener-80-2");
}

static void
test_file_stems_unique (void)
{
  g_test_summary ("Stems shared by several connections get their local port, then a number.");
  g_autoptr (GPtrArray) stems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) ports = g_ptr_array_new ();
  const char *const in[][2] = { { "client-1", "4000" }, { "client-1", "4001" }, { "server-1", "80" },
                                { "client-1", "4001" } };
  for (guint i = 0; i < G_N_ELEMENTS (in); i++)
    {
      g_ptr_array_add (stems, g_strdup (in[i][0]));
      g_ptr_array_add (ports, (gpointer) in[i][1]);
    }
  plot_conn_stems_unique (stems, ports);
  const char *const want[] = { "client-1-p4000", "client-1-p4001-1", "server-1", "client-1-p4001-2" };
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpstr (g_ptr_array_index (stems, i), ==, want[i]);
}

static void
test_tseq_files_named_after_connections (void)
{
  g_test_summary ("The flagship's time-sequence graphs are tseq-HOST-INC, titled with the "
                  "connection's human name; no internal id (cN) in any title.");
  g_autofree char *dir = plot_scenario ("hazards/stale-data-corrupts-new-connection.scn", "names");
  g_autoptr (GPtrArray) gps = files_like (dir, "tseq-", ".gp");
  const char *const want[] = { "tseq-client-1.gp", "tseq-client-2.gp", "tseq-server-1.gp",
                               "tseq-server-2.gp" };
  g_assert_cmpuint (gps->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < gps->len && i < G_N_ELEMENTS (want); i++)
    g_assert_cmpstr (g_ptr_array_index (gps, i), ==, want[i]);
  g_autofree char *gp = read_in (dir, "tseq-client-2.gp");
  g_assert_nonnull (strstr (gp, "set title 'Time-sequence graph: client #2 (10.0.0.1:4000 > 10.0.0.2:80)'"));
  g_autofree char *states = read_in (dir, "states.gp");
  g_assert_nonnull (strstr (states, "'server #2 (10.0.0.2:80 > 10.0.0.1:4000)'"));
  g_assert_nonnull (strstr (states, "'server listener 2 (10.0.0.2:80)'"));
  g_autoptr (GRegex) internal = g_regex_new ("'c[0-9]+ ", 0, 0, NULL);
  g_assert_false (g_regex_match (internal, gp, 0, NULL));
  g_assert_false (g_regex_match (internal, states, 0, NULL));
}

static void
test_no_listener_graph (void)
{
  g_test_summary ("A listener that answered a stray FIN with a RST has no time-sequence graph: "
                  "it has no sequence space.");
  g_autofree char *dir = plot_scenario ("hazards/stale-data-corrupts-new-connection.scn", "listener");
  g_autoptr (GPtrArray) gps = files_like (dir, "tseq-", ".gp");
  for (guint i = 0; i < gps->len; i++)
    g_assert_null (strstr (g_ptr_array_index (gps, i), "listener"));
  /* The listener did send: the RST the old FIN copy got at 0.720 s. */
  g_autofree char *ladder = read_in (dir, "ladder.dat");
  g_assert_nonnull (strstr (ladder, "RST"));
  g_autoptr (GPtrArray) server = files_like (dir, "tseq-server", ".gp");
  g_assert_cmpuint (server->len, ==, 2);
}

/* Every tseq graph of dir: explicit y ticks, whole numbers, no two alike,
 * no "-0", at one round step. */
static void
assert_y_ticks_sane (const char *dir)
{
  g_autoptr (GPtrArray) gps = files_like (dir, "tseq-", ".gp");
  g_assert_cmpuint (gps->len, >, 0);
  for (guint i = 0; i < gps->len; i++)
    {
      g_autofree char *gp = read_in (dir, g_ptr_array_index (gps, i));
      g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GArray) at = g_array_new (FALSE, FALSE, sizeof (double));
      tic_list (gp, "ytics", labels, at);
      g_assert_cmpuint (labels->len, >=, 2);
      for (guint k = 0; k < labels->len; k++)
        {
          const char *l = g_ptr_array_index (labels, k);
          g_assert_cmpstr (l, !=, "-0");
          char *end = NULL;
          g_ascii_strtoll (l, &end, 10);
          g_assert_true (end != l && *end == '\0');
          for (guint j = 0; j < k; j++)
            g_assert_cmpstr (g_ptr_array_index (labels, j), !=, l);
          if (k >= 2)
            g_assert_cmpfloat (g_array_index (at, double, k) - g_array_index (at, double, k - 1), ==,
                               g_array_index (at, double, 1) - g_array_index (at, double, 0));
        }
    }
}

static void
test_tseq_y_ticks_distinct (void)
{
  g_test_summary ("Time-sequence y ticks are whole, round, distinct and never -0, for graphs "
                  "spanning a few bytes (a bare handshake and a RST) or many.");
  g_autofree char *few = plot_scenario ("hazards/time-wait-assassination.scn", "ticks-few");
  assert_y_ticks_sane (few);
  g_autofree char *many = plot_scenario ("data/data-both-directions.scn", "ticks-many");
  assert_y_ticks_sane (many);
}

/* The numbers of "set xrange [a:b]" in a script. */
static void
x_range (const char *script, double *lo, double *hi)
{
  const char *at = strstr (script, "set xrange [");
  g_assert_nonnull (at);
  *lo = *hi = 0;
  if (at == NULL)
    return;
  char *end = NULL;
  *lo = g_ascii_strtod (at + strlen ("set xrange ["), &end);
  *hi = g_ascii_strtod (end + 1, NULL);
}

static const char *const flag_blocks[] = {
  "SYN, FIN and RST (labels that would touch another left out), left-aligned at the label's place",
  "SYN, FIN and RST (labels that would touch another left out), right-aligned at the label's place",
};

static void
test_tseq_flag_labels_apart (void)
{
  g_test_summary ("SYNs retransmitted 1, 2, 4 ... s apart on a 2 minute graph: two SYN labels "
                  "aligned alike on one line are never closer than a label is wide (3 "
                  "characters of 7.8 px on a frame of 1150 px); the first SYN keeps its label, "
                  "beside it.");
  g_autofree char *dir = plot_scenario ("loss/syn-give-up-3-minutes.scn", "flags");
  g_autofree char *gp = read_in (dir, "tseq-client-1.gp");
  g_autofree char *dat = read_in (dir, "tseq-client-1.dat");
  double lo, hi;
  x_range (gp, &lo, &hi);
  guint labels = 0;
  double first = G_MAXDOUBLE;
  for (guint b = 0; b < G_N_ELEMENTS (flag_blocks); b++)
    {
      g_autoptr (GPtrArray) flags = block_lines (dat, flag_blocks[b]);
      labels += flags->len;
      for (guint i = 0; i < flags->len; i++)
        {
          const char *a = g_ptr_array_index (flags, i);
          first = MIN (first, fabs (column (a, 0)));
          for (guint k = i + 1; k < flags->len; k++)
            {
              const char *c = g_ptr_array_index (flags, k);
              if (column (a, 1) == column (c, 1))
                g_assert_cmpfloat (fabs (column (a, 0) - column (c, 0)) / (hi - lo) * 1150, >=, 3 * 7.8);
            }
        }
    }
  g_assert_cmpuint (labels, >=, 2);
  g_assert_cmpfloat (first / (hi - lo) * 1150, <=, 10);
}

static void
test_tick_step_round (void)
{
  g_test_summary ("Tick steps are 1, 2 or 5 x 10^k, at least the minimum, at most max ticks.");
  g_assert_cmpint (plot_tick_step (4, 9, 1), ==, 1);
  g_assert_cmpint (plot_tick_step (12, 9, 1), ==, 2);
  g_assert_cmpint (plot_tick_step (65536, 9, 1), ==, 10000);
  g_assert_cmpint (plot_tick_step (1, 9, 1), ==, 1);
  g_assert_cmpint (plot_tick_first (-7, 5), ==, -5);
  g_assert_cmpint (plot_tick_first (7, 5), ==, 10);
}

static PlotTimeAxis *
axis_of (const gint64 *keys, guint n)
{
  g_autoptr (GArray) a = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (a, keys, n);
  return plot_time_axis_new (a, 4);
}

static void
test_axis_cuts_a_dominant_quiet_stretch (void)
{
  g_test_summary ("A 58 s quiet stretch after 2.2 s of steps 10 ms apart is cut to an eighth of the "
                  "action; times after it keep their order; an RTO backoff (1, 2, 4, 8 s) and evenly "
                  "spaced steps are not cut.");
  const gint64 flagship[] = { 0, 10 * MS, 20 * MS, 30 * MS, 200 * MS, 210 * MS, 220 * MS, 230 * MS,
                              500 * MS, 1 * S, 1010 * MS, 1020 * MS, 1030 * MS, 2200 * MS, 60220 * MS };
  g_autoptr (PlotTimeAxis) axis = axis_of (flagship, G_N_ELEMENTS (flagship));
  g_assert_cmpuint (plot_time_axis_cuts (axis), ==, 1);
  g_assert_cmpint (plot_time_axis_x (axis, 2200 * MS), ==, 2200 * MS);
  g_assert_cmpint (plot_time_axis_x_end (axis), ==, 2200 * MS + 2200 * MS / 8);
  g_assert_cmpint (plot_time_axis_x (axis, 30 * S), <, plot_time_axis_x (axis, 60 * S));
  const gint64 backoff[] = { 0, 1 * S, 3 * S, 7 * S, 15 * S };
  g_autoptr (PlotTimeAxis) plain = axis_of (backoff, G_N_ELEMENTS (backoff));
  g_assert_cmpuint (plot_time_axis_cuts (plain), ==, 0);
  g_assert_cmpint (plot_time_axis_x (plain, 15 * S), ==, 15 * S);
  /* A handshake 10 ms apart after a first step of 1 ms: nothing dwarfs it. */
  const gint64 handshake[] = { 0, 1 * MS, 11 * MS, 21 * MS, 31 * MS };
  g_autoptr (PlotTimeAxis) even = axis_of (handshake, G_N_ELEMENTS (handshake));
  g_assert_cmpuint (plot_time_axis_cuts (even), ==, 0);
}

static void
test_states_axis_cut_in_flagship (void)
{
  g_test_summary ("The flagship's state timeline cuts the 58 s between the end of the trace "
                  "(2.2 s) and the end of the discarded TIME-WAIT's 2 x MSL (60.22 s): a grey "
                  "band labelled // 58 s, ticks 2.2 and 60.22 on either side.");
  g_autofree char *dir = plot_scenario ("hazards/stale-data-corrupts-new-connection.scn", "cut");
  g_autofree char *gp = read_in (dir, "states.gp");
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) at = g_array_new (FALSE, FALSE, sizeof (double));
  tic_list (gp, "xtics", labels, at);
  guint i22 = labels->len, i6022 = labels->len;
  for (guint k = 0; k < labels->len; k++)
    {
      i22 = strcmp (g_ptr_array_index (labels, k), "2.2") == 0 ? k : i22;
      i6022 = strcmp (g_ptr_array_index (labels, k), "60.22") == 0 ? k : i6022;
    }
  g_assert_cmpuint (i22, <, labels->len);
  g_assert_cmpuint (i6022, <, labels->len);
  if (i22 >= labels->len || i6022 >= labels->len)
    return;
  double x22 = g_array_index (at, double, i22), x6022 = g_array_index (at, double, i6022);
  /* Drawn an eighth of the 2.2 s wide, not 58 s. */
  g_assert_cmpfloat_with_epsilon (x6022 - x22, 0.275, 1e-9);
  g_assert_nonnull (strstr (gp, "set label '// 58 s'"));
  g_assert_nonnull (strstr (gp, "set object rect from 2.200000000, graph 0 to 2.475000000, graph 1 behind"));
  /* The 2 x MSL not waited reaches 60.22 s, past the end of the trace. */
  g_autofree char *dat = read_in (dir, "states.dat");
  g_autoptr (GPtrArray) ghost = block_lines (dat, "the rest of a TIME-WAIT cut short (to its 2 x MSL)");
  g_assert_cmpuint (ghost->len, ==, 1);
  if (ghost->len == 1)
    {
      g_assert_cmpfloat (column (g_ptr_array_index (ghost, 0), 2), ==, 0.5);
      g_assert_cmpfloat_with_epsilon (column (g_ptr_array_index (ghost, 0), 3), x6022, 1e-9);
      g_assert_cmpfloat (column (g_ptr_array_index (ghost, 0), 6), ==, 60.22);
    }
}

static void
test_states_no_cut_without_quiet (void)
{
  g_test_summary ("A run with no stretch that dwarfs the rest keeps a plain time axis.");
  g_autofree char *dir = plot_scenario ("data/data-both-directions.scn", "nocut");
  g_autofree char *gp = read_in (dir, "states.gp");
  g_assert_null (strstr (gp, "set object rect"));
  g_assert_null (strstr (gp, "drawn short"));
}

static void
test_states_time_wait_restart_drawn (void)
{
  g_test_summary ("Assassination: the old FIN copy at 0.720 s restarts TIME-WAIT (a mark on "
                  "its bar, 'restarted 1x' in its label) and the RST at 0.740 s cuts it: the "
                  "dashed 2 x MSL not waited runs to 60.720 s, 2 x MSL after the restart.");
  g_autofree char *dir = plot_scenario ("hazards/time-wait-assassination.scn", "restart");
  g_autofree char *dat = read_in (dir, "states.dat");
  g_autoptr (GPtrArray) restarts = block_lines (dat, "TIME-WAIT restarted (its 2 x MSL set again)");
  g_assert_cmpuint (restarts->len, ==, 1);
  if (restarts->len == 1)
    {
      g_assert_cmpfloat (column (g_ptr_array_index (restarts, 0), 0), ==, 0.72);
      g_assert_cmpfloat (column (g_ptr_array_index (restarts, 0), 3), ==, 60.72);
    }
  g_autoptr (GPtrArray) ghost = block_lines (dat, "the rest of a TIME-WAIT cut short (to its 2 x MSL)");
  g_assert_cmpuint (ghost->len, ==, 1);
  if (ghost->len == 1)
    g_assert_cmpfloat (column (g_ptr_array_index (ghost, 0), 6), ==, 60.72);
  g_assert_nonnull (strstr (dat, "\"TIME-WAIT 520.0 ms, restarted 1x (RST: TIME-WAIT assassination)"));
  g_autofree char *gp = read_in (dir, "states.gp");
  g_assert_nonnull (strstr (gp, "title 'TIME-WAIT restart'"));
  g_assert_nonnull (strstr (gp, "title '2 x MSL not waited'"));
}

static void
test_states_long_reason_said_briefly (void)
{
  g_test_summary ("A TIME-WAIT taken over by connect() (reason 'taken over: connect() on an "
                  "explicitly bound port, Linux tcp_twsk_unique', too wide for the frame) is "
                  "labelled below its bar with the reason up to its ':'.");
  g_autofree char *dir = plot_scenario ("time-wait/linux-connect-takes-over-time-wait.scn", "brief");
  g_autofree char *dat = read_in (dir, "states.dat");
  g_autoptr (GPtrArray) below = block_lines (dat, "TIME-WAIT labels below their bars");
  g_assert_cmpuint (below->len, ==, 1);
  if (below->len == 1)
    {
      const char *l = g_ptr_array_index (below, 0);
      g_assert_nonnull (strstr (l, "\"TIME-WAIT 196.0 ms (taken over); 2 x MSL would end at 60.004 s\""));
      g_assert_null (strstr (l, "tcp_twsk_unique"));
    }
}

static void
test_states_gone_is_thin (void)
{
  g_test_summary ("The CLOSED stretch of a connection gone is a thin line (under a fifth of a "
                  "row), not a full bar.");
  g_autofree char *dir = plot_scenario ("hazards/stale-data-corrupts-new-connection.scn", "gone");
  g_autofree char *dat = read_in (dir, "states.dat");
  g_autoptr (GPtrArray) closed = block_lines (dat, "CLOSED");
  g_assert_cmpuint (closed->len, >=, 3);
  for (guint i = 0; i < closed->len; i++)
    {
      const char *l = g_ptr_array_index (closed, i);
      g_assert_cmpfloat (column (l, 5) - column (l, 4), <, 0.2);
    }
  g_autoptr (GPtrArray) est = block_lines (dat, "ESTABLISHED");
  g_assert_cmpuint (est->len, >, 0);
  if (est->len > 0)
    g_assert_cmpfloat (column (g_ptr_array_index (est, 0), 5) - column (g_ptr_array_index (est, 0), 4), >, 0.5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  tmp_dir = g_dir_make_tmp ("twsim-plot-rules-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/plot-rules/connection-names", test_connection_names);
  g_test_add_func ("/plot-rules/file-stems-unique", test_file_stems_unique);
  g_test_add_func ("/plot-rules/tseq-files-named-after-connections", test_tseq_files_named_after_connections);
  g_test_add_func ("/plot-rules/no-listener-graph", test_no_listener_graph);
  g_test_add_func ("/plot-rules/tseq-flag-labels-apart", test_tseq_flag_labels_apart);
  g_test_add_func ("/plot-rules/tick-step-round", test_tick_step_round);
  g_test_add_func ("/plot-rules/tseq-y-ticks-distinct", test_tseq_y_ticks_distinct);
  g_test_add_func ("/plot-rules/axis-cuts-a-dominant-quiet-stretch", test_axis_cuts_a_dominant_quiet_stretch);
  g_test_add_func ("/plot-rules/states-axis-cut-in-flagship", test_states_axis_cut_in_flagship);
  g_test_add_func ("/plot-rules/states-no-cut-without-quiet", test_states_no_cut_without_quiet);
  g_test_add_func ("/plot-rules/states-time-wait-restart-drawn", test_states_time_wait_restart_drawn);
  g_test_add_func ("/plot-rules/states-gone-is-thin", test_states_gone_is_thin);
  g_test_add_func ("/plot-rules/states-long-reason-said-briefly", test_states_long_reason_said_briefly);
  int status = g_test_run ();
  if (status == 0)
    cli_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
