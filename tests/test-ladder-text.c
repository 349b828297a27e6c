/* test-ladder-text.c: `twsim run --ladder`, the ladder in the terminal: a
 * link's copy and a held segment are drawn on the row of their arrival,
 * STALE marks the stale copy and not its original, the verdicts are marked,
 * a legend line ends the ladder, and every line of every scenario with up
 * to 4 hosts fits 100 columns, in colour too (escapes take no column). */
#include "cli-fixture.h"
#include "ladder-text.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static const char *const flagship = "scenarios/hazards/stale-data-corrupts-new-connection.scn";

/* The ladder's lines: from the standard output of `run -q --ladder` up to
 * the closing report. */
static GPtrArray *
ladder_lines (const char *cwd, const char *path)
{
  const char *args[] = { "run", "--quiet", "--ladder", path, NULL };
  CliOutcome o = cli_run_twsim (cwd, args, NULL);
  g_assert_cmpint (o.status, !=, 2);
  g_auto (GStrv) lines = g_strsplit (o.out, "\n", -1);
  GPtrArray *ladder = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; lines[i] != NULL && !g_str_has_prefix (lines[i], "End of run"); i++)
    g_ptr_array_add (ladder, g_strdup (lines[i]));
  cli_outcome_clear (&o);
  return ladder;
}

/* The index of the first line containing all of `a` and `b`, or -1. */
static int
find_line (GPtrArray *lines, const char *a, const char *b)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      if (strstr (line, a) != NULL && (b == NULL || strstr (line, b) != NULL))
        return (int) i;
    }
  return -1;
}

/* The time of line i: the last time printed at or above it. */
static char *
time_of_line (GPtrArray *lines, int i)
{
  for (; i >= 0; i--)
    {
      const char *line = g_ptr_array_index (lines, i);
      line += strspn (line, " ");
      if (*line >= '0' && *line <= '9')
        return g_strndup (line, strcspn (line, " "));
    }
  return g_strdup ("");
}

static guint
count_lines (GPtrArray *lines, const char *needle)
{
  guint n = 0;
  for (guint i = 0; i < lines->len; i++)
    n += strstr (g_ptr_array_index (lines, i), needle) != NULL;
  return n;
}

static void
test_link_copy_drawn_at_its_arrival (void)
{
  g_test_summary ("The flagship's copy of the request: a stub `|~~` when the link makes it "
                  "(0.100s), and a `~~>|` arrow on the row of its arrival (2.110s).");
  g_autoptr (GPtrArray) lines = ladder_lines (g_getenv ("TWSIM_SOURCE_ROOT"), flagship);
  int stub = find_line (lines, "|~~ PSH,ACK 1001:5001 (11) #1 copy 1, arrives 2.110s", NULL);
  g_assert_cmpint (stub, >=, 0);
  g_autofree char *sent = time_of_line (lines, stub);
  g_assert_cmpstr (sent, ==, "0.100s");
  int arrival = find_line (lines, "PSH,ACK 1001:5001 (11) #1 copy, sent 0.100s", "~>|");
  g_assert_cmpint (arrival, >, stub);
  g_autofree char *arrived = time_of_line (lines, arrival);
  g_assert_cmpstr (arrived, ==, "2.110s");
  /* ...after the real request of #2, sent at 2.105s. */
  g_assert_cmpint (arrival, >, find_line (lines, "PSH,ACK 1001:5001 (11) #2", NULL));
}

static void
test_stale_on_the_copy_only (void)
{
  g_test_summary ("STALE is on the one line of the copy that incarnation #2 accepted, not on "
                  "the original request of #1 it was copied from.");
  g_autoptr (GPtrArray) lines = ladder_lines (g_getenv ("TWSIM_SOURCE_ROOT"), flagship);
  g_assert_cmpuint (count_lines (lines, "STALE"), ==, 1);
  g_assert_cmpint (find_line (lines, "STALE", NULL), ==,
                   find_line (lines, "#1 copy, sent 0.100s", NULL));
  int original = find_line (lines, "PSH,ACK 1001:5001 (11) #1 --", NULL);
  g_assert_cmpint (original, >=, 0);
  g_assert_null (strstr (g_ptr_array_index (lines, original), "STALE"));
}

static void
test_verdicts_marked_where_they_happen (void)
{
  g_test_summary ("The stale bytes accepted and the real request discarded are marked on the "
                  "rows of their segments, CORRUPTION at the read, on the server's column.");
  g_autoptr (GPtrArray) lines = ladder_lines (g_getenv ("TWSIM_SOURCE_ROOT"), flagship);
  int stale = find_line (lines, "STALE", NULL);
  int accepted = find_line (lines, "!! stale accepted: 11 bytes of #1 into #2", NULL);
  int discarded = find_line (lines, "!! new data discarded: 11 bytes of #2", NULL);
  int corruption = find_line (lines, "** CORRUPTION **", NULL);
  g_assert_cmpint (accepted, ==, stale + 1);
  g_assert_cmpint (discarded, >, accepted);
  g_assert_cmpint (corruption, >, discarded);
  g_autofree char *at = time_of_line (lines, corruption);
  g_assert_cmpstr (at, ==, "2.200s");
  g_assert_cmpint (find_line (lines, "** PORT REUSE WITHOUT TIME-WAIT **", NULL), >=, 0);
}

static void
test_held_segment_drawn_at_its_arrival (void)
{
  g_test_summary ("A segment the link holds until 500ms: a stub at its sending, the arrow at "
                  "500ms, and the ACK it causes after it.");
  g_autofree char *dir = g_dir_make_tmp ("twsim-ladder-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "held.scn", NULL);
  const char *text = "host client 10.0.0.1\n"
                     "host server 10.0.0.2\n"
                     "link client server delay=10ms\n"
                     "0ms    server  s = socket(); bind(s, 10.0.0.2:80) = 0; listen(s, 8) = 0\n"
                     "0ms    client  c = socket(); connect(c, 10.0.0.2:80) = 0\n"
                     "10ms   server  a = accept(s)\n"
                     "100ms  link client->server hold next data until=500ms\n"
                     "100ms  client  write(c, \"hello\") = 5\n"
                     "1s     server  read(a, 100) = 5 \"hello\"\n";
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_autoptr (GPtrArray) lines = ladder_lines (dir, "held.scn");
  int stub = find_line (lines, "|~~ PSH,ACK 1:2501 (5) #1 held, arrives 0.500s", NULL);
  int arrival = find_line (lines, "PSH,ACK 1:2501 (5) #1 held, sent 0.100s", "~>|");
  g_assert_cmpint (stub, >=, 0);
  g_assert_cmpint (arrival, >, stub);
  g_autofree char *at = time_of_line (lines, arrival);
  g_assert_cmpstr (at, ==, "0.500s");
  g_assert_cmpint (find_line (lines, "|<-", "ACK 2501:6 (0) #1"), >, arrival);
  cli_remove_tree (dir);
}

static void
test_legend_line_ends_the_ladder (void)
{
  g_test_summary ("The ladder's last line is its legend, naming the arrows, states and marks.");
  g_autoptr (GPtrArray) lines = ladder_lines (g_getenv ("TWSIM_SOURCE_ROOT"), flagship);
  g_assert_cmpuint (lines->len, >, 2);
  const char *last = g_ptr_array_index (lines, lines->len - 1);
  g_assert_true (g_str_has_prefix (last, "legend: --> segment  ~~> copy or held segment"));
  g_assert_nonnull (strstr (last, "[STATE]"));
  g_assert_nonnull (strstr (last, "verdict"));
}

static guint
host_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], "host ");
  return n;
}

static void
collect_scenarios (const char *dir, GPtrArray *out)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_scenarios (path, out);
      else if (g_str_has_suffix (name, ".scn"))
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

/* Display columns of a line, colour escapes left out. */
static glong
display_width (const char *line)
{
  g_autoptr (GRegex) escapes = g_regex_new ("\033\\[[0-9;]*m", 0, 0, NULL);
  g_autofree char *plain = g_regex_replace_literal (escapes, line, -1, 0, "", 0, NULL);
  return g_utf8_strlen (plain, -1);
}

static void
test_every_line_fits_100_columns_up_to_4_hosts (void)
{
  g_test_summary ("Every scenario with at most 4 hosts: every ladder line is at most 100 "
                  "display columns wide.");
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autofree char *dir = g_build_filename (root, "scenarios", NULL);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  collect_scenarios (dir, files);
  guint checked = 0, four = 0;
  for (guint f = 0; f < files->len; f++)
    {
      const char *path = g_ptr_array_index (files, f);
      guint hosts = host_lines (path);
      if (hosts > 4)
        continue;
      g_autoptr (GPtrArray) lines = ladder_lines (root, path);
      for (guint i = 0; i < lines->len; i++)
        {
          const char *line = g_ptr_array_index (lines, i);
          if (display_width (line) > 100)
            g_error ("%s: %ld columns: %s", path, display_width (line), line);
        }
      checked++;
      four += hosts == 4;
    }
  g_assert_cmpuint (checked, >=, 40);
  g_assert_cmpuint (four, >=, 1);
}


/* A segment on the link from -> to, as the link traces it. */
static void
publish_segment (SimTrace *trace, SimTime t, const char *from, const char *to, gint64 seg,
                 gint64 seq)
{
  g_autofree char *link = g_strdup_printf ("%s->%s", from, to);
  SimTraceEvent *ev = sim_trace_begin (trace, t, "link.send", from);
  sim_trace_field_int (ev, "seg", seg);
  sim_trace_field_str (ev, "flags", "FIN,PSH,ACK");
  sim_trace_field_int (ev, "seq", seq);
  sim_trace_field_int (ev, "ack", seq + 1);
  sim_trace_field_int (ev, "len", 1460);
  sim_trace_field_int (ev, "seg_inc", 12);
  sim_trace_field_int (ev, "copy", 0);
  sim_trace_field_str (ev, "link", link);
  sim_trace_field_int (ev, "arrive", t + 1000000);
  sim_trace_publish (trace, ev);
}

static void
test_colour_takes_no_column (void)
{
  g_test_summary ("4 hosts in colour, with the longest labels between neighbours and across the "
                  "ladder, states on the last column and a long verdict: every line fits 100 "
                  "columns once the colour escapes are left out, every coloured line is reset, and "
                  "no label hides an arrow's head.");
  const char *hosts[] = { "client-one", "client-two", "middlebox", "server-far" };
  SimTrace *trace = sim_trace_new ();
  LadderText *ladder = ladder_text_new (hosts, 4, TRUE);
  sim_trace_add_sink (trace, ladder_text_sink, ladder);
  gint64 seq = G_GINT64_CONSTANT (4294967295);
  for (guint i = 0; i < 4; i++)
    for (guint j = 0; j < 4; j++)
      if (i != j)
        publish_segment (trace, (SimTime) (i * 4 + j) * 1000000000, hosts[i], hosts[j],
                         i * 4 + j + 1, seq);
  SimTraceEvent *ev = sim_trace_begin (trace, 20 * (SimTime) 1000000000, "tcp.state", "server-far");
  sim_trace_field_str (ev, "to", "SYN-RECEIVED");
  sim_trace_publish (trace, ev);
  ev = sim_trace_begin (trace, 21 * (SimTime) 1000000000, "verdict.corruption", "server-far");
  sim_trace_text (ev, "CORRUPTION: server-far read bytes of an older incarnation and more words");
  sim_trace_publish (trace, ev);
  g_autoptr (GString) out = g_string_new (NULL);
  ladder_text_render (ladder, out);
  sim_trace_free (trace);
  ladder_text_free (ladder);
  g_auto (GStrv) lines = g_strsplit (out->str, "\n", -1);
  guint coloured = 0, heads = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_test_message ("%s", lines[i]);
      heads += strstr (lines[i], ">|") != NULL || strstr (lines[i], "|<") != NULL;
      if (display_width (lines[i]) > 100)
        g_error ("%ld columns: %s", display_width (lines[i]), lines[i]);
      if (g_str_has_prefix (lines[i], "\033["))
        {
          coloured++;
          g_assert_true (g_str_has_suffix (lines[i], "\033[0m"));
        }
    }
  g_assert_cmpuint (coloured, >=, 12);
  /* No label covers an arrow's head: one too long goes on a line above. */
  g_assert_cmpuint (heads, ==, 12);
  g_assert_nonnull (strstr (out->str, "** CORRUPTION **"));
  g_assert_nonnull (strstr (out->str, "[SYN-RECEIVED]"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ladder-text/link-copy-drawn-at-its-arrival", test_link_copy_drawn_at_its_arrival);
  g_test_add_func ("/ladder-text/stale-on-the-copy-only", test_stale_on_the_copy_only);
  g_test_add_func ("/ladder-text/verdicts-marked-where-they-happen",
                   test_verdicts_marked_where_they_happen);
  g_test_add_func ("/ladder-text/held-segment-drawn-at-its-arrival",
                   test_held_segment_drawn_at_its_arrival);
  g_test_add_func ("/ladder-text/legend-line-ends-the-ladder", test_legend_line_ends_the_ladder);
  g_test_add_func ("/ladder-text/every-line-fits-100-columns-up-to-4-hosts",
                   test_every_line_fits_100_columns_up_to_4_hosts);
  g_test_add_func ("/ladder-text/colour-takes-no-column", test_colour_takes_no_column);
  return g_test_run ();
}
