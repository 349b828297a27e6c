/* test-explain.c: `twsim explain TRACE.jsonl SEG`: a segment's provenance
 * and every decision on it with its rule, from the flagship's trace; a
 * segment the trace does not name, or a broken trace, is exit 2. */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir;
static char *trace;

static void
make_trace (void)
{
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  trace = g_build_filename (tmp_dir, "flagship.jsonl", NULL);
  const char *args[] = { "run", "--quiet", "--trace", trace,
                         "scenarios/hazards/stale-data-corrupts-new-connection.scn", NULL };
  CliOutcome o = cli_run_twsim (root, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
}

static void
test_explain_stale_request_names_origin_copy_and_rules (void)
{
  g_test_summary ("Segment 4 of the flagship: sent by incarnation #1 at 0.100s, copied by the "
                  "link (with the fault's line), accepted twice, the second time as STALE into "
                  "incarnation #2, each with its RFC rule, and the CORRUPTION it caused.");
  const char *args[] = { "explain", trace, "4", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "segment 4: PSH,ACK seq=1001 ack=5001 len=11, "
                                   "10.0.0.1:4000 > 10.0.0.2:80"));
  g_assert_nonnull (strstr (o.out, "sent by client at 0.100s by incarnation #1"));
  g_assert_nonnull (strstr (o.out, "an original, not a retransmission"));
  g_assert_nonnull (strstr (o.out, "makes copy 1, arriving at 2.110s"));
  g_assert_nonnull (strstr (o.out, "stale-data-corrupts-new-connection.scn:28"));
  g_assert_nonnull (strstr (o.out, "copy 1 reaches ESTABLISHED of incarnation #2 (STALE"));
  g_assert_nonnull (strstr (o.out, "rule: in window [1001, 66536): RFC 9293 3.10.7.4, accepted"));
  g_assert_nonnull (strstr (o.out, "CORRUPTION: server read \"balance=100\""));
  /* In time order: the original's acceptance before the copy's. */
  g_assert_true (strstr (o.out, "the original reaches") < strstr (o.out, "copy 1 reaches"));
  cli_outcome_clear (&o);
}

static void
test_explain_real_request_says_it_was_discarded (void)
{
  g_test_summary ("Segment 14, the real request of incarnation #2: outside RCV.WND, ACK sent, "
                  "and the plain words: new data discarded, its sender believes it delivered.");
  const char *args[] = { "explain", trace, "14", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "by incarnation #2"));
  g_assert_nonnull (strstr (o.out, "rule: outside RCV.WND [1012, 66536): RFC 9293 3.10.7.4, ACK sent"));
  g_assert_nonnull (strstr (o.out, "new data discarded"));
  g_assert_nonnull (strstr (o.out, "believes it delivered"));
  cli_outcome_clear (&o);
}

static void
test_explain_unknown_segment_or_bad_trace_exits_2 (void)
{
  g_test_summary ("No such segment, a broken trace, or no number: exit 2 with a message.");
  const char *none[] = { "explain", trace, "999", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, none, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "no event names segment 999"));
  cli_outcome_clear (&o);
  g_autofree char *bad = g_build_filename (tmp_dir, "bad.jsonl", NULL);
  g_assert_true (g_file_set_contents (bad, "{\"v\":1,\"twsim\":\"trace\"}\n{\"t\":1,\"k\":\"tcp.send\",\"seg\":1}\nnot json\n", -1, NULL));
  const char *broken[] = { "explain", bad, "1", NULL };
  o = cli_run_twsim (tmp_dir, broken, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "bad.jsonl:3:1: not a JSON object"));
  cli_outcome_clear (&o);
  const char *word[] = { "explain", trace, "four", NULL };
  o = cli_run_twsim (tmp_dir, word, NULL);
  g_assert_cmpint (o.status, ==, 2);
  cli_outcome_clear (&o);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("twsim-explain-XXXXXX", NULL);
  make_trace ();
  g_test_add_func ("/explain/stale-request-names-origin-copy-and-rules",
                   test_explain_stale_request_names_origin_copy_and_rules);
  g_test_add_func ("/explain/real-request-says-it-was-discarded",
                   test_explain_real_request_says_it_was_discarded);
  g_test_add_func ("/explain/unknown-segment-or-bad-trace-exits-2",
                   test_explain_unknown_segment_or_bad_trace_exits_2);
  int status = g_test_run ();
  cli_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (trace);
  return status;
}
