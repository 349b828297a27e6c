/* test-segments.c: `peer`, `inject` and `expect segment` in scenarios, and
 * the option list each personality puts in SYN and SYN,ACK. One short
 * test per rule, in virtual time. */
#include "scenario-parser.h"
#include "scenario-runner.h"
#include "sim-trace.h"

#include <string.h>

#define SERVER "host server 10.0.0.2 personality=linux isn=fixed:5000\n" \
               "peer client 10.0.0.9\n" \
               "link client server delay=10ms\n" \
               "0ms server s = socket(); bind(s, *:80) = 0; listen(s, 8) = 0\n"
#define SYN "100ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN seq=1000 mss=1460 sack_ok=on ts=100/0 wscale=7\n"

typedef struct {
  guint failures;
  gboolean held;
  char *first; /* first failure line, or NULL */
  GString *trace;
} Outcome;

static void
collect (const SimTraceEvent *ev, gpointer data)
{
  GString *out = data;
  g_string_append_printf (out, "%s %s\n", ev->kind, ev->text != NULL ? ev->text->str : "");
}

static Outcome
run (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScenarioScript) script = scenario_parse_string (text, -1, "t.scn", &error);
  g_assert_no_error (error);
  ScenarioRunner *r = scenario_runner_new (script, FALSE, 0, &error);
  g_assert_no_error (error);
  Outcome o = { 0 };
  o.trace = g_string_new (NULL);
  sim_trace_add_sink (sim_engine_trace (scenario_runner_engine (r)), collect, o.trace);
  scenario_runner_run (r, 10 * SIM_S, 100000);
  o.failures = scenario_runner_failures (r);
  o.held = scenario_runner_all_held (r);
  const RunnerFailure *f = scenario_runner_failure (r, 0);
  if (f != NULL)
    o.first = g_strdup_printf ("%u: %s / %s", f->loc.line, f->actual, f->detail != NULL ? f->detail : "");
  scenario_runner_free (r);
  return o;
}

static void
outcome_clear (Outcome *o)
{
  g_free (o->first);
  g_string_free (o->trace, TRUE);
}

/* An injected SYN reaches a listener over the link; its SYN,ACK matches. */
static void
test_inject_over_link (void)
{
  Outcome o = run (SERVER SYN
                   "110ms expect segment server -> 10.0.0.9:4000 SYN|ACK seq=5000 ack=1001\n");
  g_assert_true (o.held);
  g_assert_nonnull (strstr (o.trace->str, "(injected)"));
  outcome_clear (&o);
}

/* via=direct skips the link: the SYN arrives at once, even if the link
 * would drop it. */
static void
test_inject_direct (void)
{
  Outcome o = run (SERVER "50ms link client->server drop next SYN\n"
                   "100ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN seq=1000 via=direct\n"
                   "100ms expect segment server SYN|ACK ack=1001\n");
  g_assert_true (o.held);
  outcome_clear (&o);
}

/* Over the link, targeted faults apply to injected segments too. */
static void
test_inject_fault_applies (void)
{
  Outcome o = run (SERVER "50ms link client->server drop next SYN\n" SYN
                   "110ms expect segment server SYN|ACK ack=1001\n");
  g_assert_false (o.held);
  g_assert_nonnull (strstr (o.first, "nothing sent by"));
  outcome_clear (&o);
}

/* A field that differs fails the line with expected vs actual. */
static void
test_expect_field_mismatch (void)
{
  Outcome o = run (SERVER SYN "110ms expect segment server SYN|ACK ack=1002\n");
  g_assert_cmpuint (o.failures, ==, 1);
  g_assert_nonnull (strstr (o.first, "ack=1001"));
  g_assert_nonnull (strstr (o.first, "tcp_ack_seq"));
  outcome_clear (&o);
}

/* A segment sent at another time than the line says fails (timing). */
static void
test_expect_wrong_time (void)
{
  Outcome o = run (SERVER SYN "105ms expect segment server SYN|ACK within=2ms\n");
  g_assert_cmpuint (o.failures, ==, 1);
  g_assert_nonnull (strstr (o.first, "timing error"));
  outcome_clear (&o);
}

/* An extra segment between two expected ones fails the second line. */
static void
test_expect_extra_segment (void)
{
  Outcome o = run (SERVER SYN
                   "110ms expect segment server SYN|ACK\n"
                   "200ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN seq=7 ts=101/0\n"
                   "3s expect segment server FIN|ACK\n");
  g_assert_false (o.held);
  g_assert_nonnull (o.first);
  outcome_clear (&o);
}

/* expect segment HOST VAR: only that socket's connection is checked. */
static void
test_expect_on_connection (void)
{
  Outcome o = run (SERVER SYN "110ms expect segment server s SYN|ACK\n"
                   "150ms server a = accept(s)\n"
                   "150ms inject 10.0.0.9:4000 -> 10.0.0.2:80 ACK seq=1001 ack=5001 ts=101/0\n"
                   "200ms server write(a, \"x\")\n"
                   "200ms expect segment server a ACK|PSH seq=5001 len=1\n");
  g_assert_false (o.held); /* s is the listener: no segment is its own */
  outcome_clear (&o);
  o = run (SERVER SYN "150ms inject 10.0.0.9:4000 -> 10.0.0.2:80 ACK seq=1001 ack=5001 ts=101/0\n"
           "160ms server a = accept(s)\n"
           "200ms server write(a, \"x\")\n"
           "200ms expect segment server a ACK|PSH seq=5001 len=1\n");
  g_assert_true (o.held);
  outcome_clear (&o);
}

/* A scripted peer swallows what it receives: the SYN,ACK draws no RST. */
static void
test_peer_swallows (void)
{
  Outcome o = run (SERVER SYN "110ms expect segment server SYN|ACK\n");
  g_assert_null (strstr (o.trace->str, "RST"));
  outcome_clear (&o);
}

/* Linux tcp_options_write(): <mss,sackOK,TS,nop,wscale> in the SYN,ACK
 * when the SYN offered all of them. */
static void
test_linux_synack_options (void)
{
  Outcome o = run (SERVER SYN
                   "110ms expect segment server SYN|ACK mss=1460 sack_ok=on ts=0/0 wscale=7\n");
  g_assert_true (o.held);
  outcome_clear (&o);
}

/* RFC 7323 2.2 and RFC 2018 2: no window scale or SACK-permitted in a
 * SYN,ACK unless the SYN had them. */
static void
test_synack_options_only_if_offered (void)
{
  Outcome o = run (SERVER "100ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN seq=1000 mss=1460\n"
                   "110ms expect segment server SYN|ACK mss=1460 wscale=7\n");
  g_assert_false (o.held);
  outcome_clear (&o);
  o = run (SERVER "100ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN seq=1000 mss=1460\n"
           "110ms expect segment server SYN|ACK mss=1460\n");
  g_assert_true (o.held);
  outcome_clear (&o);
}

/* FreeBSD tcp_addoptions(), XNU tcp_output(), RFC 9293 3.7.1: each
 * personality's SYN layout. */
static void
test_personality_syn_layouts (void)
{
  static const struct {
    TcpOptionLayout layout;
    gboolean sack, ts;
    int ws;
    const char *text;
  } cases[] = {
    { TCP_LAYOUT_LINUX, TRUE, TRUE, 7, "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7" },
    { TCP_LAYOUT_LINUX, TRUE, FALSE, 7, "mss 1460,nop,nop,sackOK,nop,wscale 7" },
    { TCP_LAYOUT_FREEBSD, TRUE, TRUE, 6, "mss 1460,nop,wscale 6,sackOK,TS val 1 ecr 0" },
    { TCP_LAYOUT_FREEBSD, TRUE, FALSE, 6, "mss 1460,nop,wscale 6,sackOK,eol,eol" },
    { TCP_LAYOUT_XNU, TRUE, TRUE, 6, "mss 1460,nop,wscale 6,nop,nop,TS val 1 ecr 0,sackOK,eol,eol" },
    { TCP_LAYOUT_RFC7323, FALSE, FALSE, -1, "mss 1460" },
    { TCP_LAYOUT_RFC7323, FALSE, TRUE, -1, "mss 1460,nop,nop,TS val 1 ecr 0" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcpSegment seg = { .flags = TCP_FLAG_SYN, .mss = 1460, .layout = cases[i].layout,
                         .sack_ok = cases[i].sack, .has_timestamps = cases[i].ts, .tsval = 1,
                         .has_wscale = cases[i].ws >= 0, .wscale = (guint8) MAX (cases[i].ws, 0) };
      g_autoptr (GString) out = g_string_new (NULL);
      tcp_segment_append_options (out, &seg);
      g_assert_cmpstr (out->str, ==, cases[i].text);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/segments/inject/over-link", test_inject_over_link);
  g_test_add_func ("/segments/inject/direct", test_inject_direct);
  g_test_add_func ("/segments/inject/fault-applies", test_inject_fault_applies);
  g_test_add_func ("/segments/expect/field-mismatch", test_expect_field_mismatch);
  g_test_add_func ("/segments/expect/wrong-time", test_expect_wrong_time);
  g_test_add_func ("/segments/expect/extra-segment", test_expect_extra_segment);
  g_test_add_func ("/segments/expect/on-connection", test_expect_on_connection);
  g_test_add_func ("/segments/peer/swallows", test_peer_swallows);
  g_test_add_func ("/segments/options/linux-synack", test_linux_synack_options);
  g_test_add_func ("/segments/options/synack-only-if-offered", test_synack_options_only_if_offered);
  g_test_add_func ("/segments/options/personality-syn-layouts", test_personality_syn_layouts);
  return g_test_run ();
}
