/* test-tcp-retransmit.c: the retransmission timer, RFC 6298 (via RFC 9293
 * 3.8.1, MUST-18/19) and Karn's algorithm. rto_initial = rto_min = 1 s and
 * rto_max = 60 s unless a test says otherwise. Time is virtual: each test
 * runs the engine to exact instants. */
#include "tcp-fixture.h"
#include "personality.h"

static void
expect_nothing_until (TcpFixture *f, SimTime t)
{
  fixture_run_until (f, t);
  fixture_expect_nothing (f);
}

/* ---- SYN ------------------------------------------------------------------ */

static void
test_syn_retransmitted_after_initial_rto (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (2.1), (5.4): before any RTT sample RTO = 1 s; the unacknowledged SYN "
                  "is retransmitted when it expires");
  fixture_syn_sent (f);
  expect_nothing_until (f, 1 * SIM_S - 1);
  fixture_run_until (f, 1 * SIM_S);
  TcpSegment *syn = fixture_expect_segment (f, SYN, 1000, 0, 0);
  g_assert_true (syn->retransmission);
  g_assert_cmpuint (syn->mss, >, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_SYN_SENT);
}

static void
test_syn_backoff_doubles (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (5.5): after each expiry RTO <- 2 x RTO: SYNs at 0, 1, 3, 7 s");
  fixture_syn_sent (f);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  expect_nothing_until (f, 3 * SIM_S - 1);
  fixture_run_until (f, 3 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  expect_nothing_until (f, 7 * SIM_S - 1);
  fixture_run_until (f, 7 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
}

static void
test_syn_retries_exhausted_timeout (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.8.3 (R2 for SYN): after syn_retries (2) retransmissions and one more RTO "
                  "the open fails with a timeout, CLOSED");
  f->config.syn_retries = 2;
  fixture_syn_sent (f);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  fixture_run_until (f, 3 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  fixture_run_until (f, 7 * SIM_S - 1);
  g_assert_cmpuint (f->failed, ==, 0);
  fixture_run_until (f, 7 * SIM_S);
  g_assert_cmpuint (f->failed, ==, 1);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_TIMEOUT);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_syn_ack_after_retransmission_establishes (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (5.2): the SYN,ACK stops the timer; nothing more is sent");
  fixture_syn_sent (f);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  fixture_inject (f, SYN | ACK, 5000, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  expect_nothing_until (f, 100 * SIM_S);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_synack_retransmitted_in_syn_received (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (2.1), (5.4): an unacknowledged SYN,ACK is retransmitted after 1 s");
  fixture_syn_received_passive (f);
  expect_nothing_until (f, 1 * SIM_S - 1);
  fixture_run_until (f, 1 * SIM_S);
  TcpSegment *synack = fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  g_assert_true (synack->retransmission);
}

/* ---- data ----------------------------------------------------------------- */

static void
test_data_retransmitted_after_rto (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (5.4): on expiry retransmit the earliest unacknowledged segment, same "
                  "sequence number, same bytes");
  fixture_established (f);
  fixture_run_until (f, 2 * SIM_S);
  tcp_conn_send (f->conn, (const guint8 *) "hello", 5);
  TcpSegment *orig = fixture_expect_segment (f, ACK, 1001, 5001, 5);
  g_assert_false (orig->retransmission);
  expect_nothing_until (f, 3 * SIM_S - 1);
  fixture_run_until (f, 3 * SIM_S);
  TcpSegment *rexmit = fixture_expect_segment (f, ACK, 1001, 5001, 5);
  g_assert_true (rexmit->retransmission);
  g_assert_cmpmem (g_bytes_get_data (rexmit->payload, NULL), 5, "hello", 5);
  g_assert_cmpuint (rexmit->stream_offset, ==, 0);
  fixture_expect_nothing (f);
}

static void
test_data_backoff_doubles (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (5.5): data retransmissions back off: +1 s, then +2 s, then +4 s");
  fixture_established (f);
  tcp_conn_send (f->conn, (const guint8 *) "hello", 5);
  fixture_expect_segment (f, ACK, 1001, 5001, 5);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, ACK, 1001, 5001, 5);
  expect_nothing_until (f, 3 * SIM_S - 1);
  fixture_run_until (f, 3 * SIM_S);
  fixture_expect_segment (f, ACK, 1001, 5001, 5);
  expect_nothing_until (f, 7 * SIM_S - 1);
  fixture_run_until (f, 7 * SIM_S);
  fixture_expect_segment (f, ACK, 1001, 5001, 5);
}

static void
test_ack_stops_timer (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (5.2): when all outstanding data has been acknowledged, turn off the timer");
  fixture_established (f);
  tcp_conn_send (f->conn, (const guint8 *) "hello", 5);
  fixture_expect_segment (f, ACK, 1001, 5001, 5);
  fixture_run_until (f, 500 * SIM_MS);
  fixture_inject (f, ACK, 5001, 1006, NULL);
  expect_nothing_until (f, 100 * SIM_S);
}

static void
test_data_retries_exhausted_timeout (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.8.3 (R2): after data_retries (2) retransmissions and one more RTO the "
                  "connection fails with a timeout");
  f->config.data_retries = 2;
  fixture_established (f);
  tcp_conn_send (f->conn, (const guint8 *) "hello", 5);
  fixture_expect_segment (f, ACK, 1001, 5001, 5);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, ACK, 1001, 5001, 5);
  fixture_run_until (f, 3 * SIM_S);
  fixture_expect_segment (f, ACK, 1001, 5001, 5);
  fixture_run_until (f, 7 * SIM_S - 1);
  g_assert_cmpuint (f->failed, ==, 0);
  fixture_run_until (f, 7 * SIM_S);
  g_assert_cmpuint (f->failed, ==, 1);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_TIMEOUT);
  g_assert_null (f->conn);
  g_assert_false (tcp_stack_has_time_wait (fixture_stack (f), &f->tuple));
}

/* ---- RTO computation -------------------------------------------------------- */

/* Opens with a retransmitted SYN (Karn: no sample from it), then takes one
 * clean sample R = 100 ms from "a" sent at 2 s and ACKed at 2.1 s. */
static void
established_with_sample_100ms (TcpFixture *f)
{
  fixture_syn_sent (f);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  fixture_run_until (f, 1100 * SIM_MS);
  fixture_inject (f, SYN | ACK, 5000, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_run_until (f, 2 * SIM_S);
  tcp_conn_send (f->conn, (const guint8 *) "a", 1);
  fixture_expect_segment (f, ACK, 1001, 5001, 1);
  fixture_run_until (f, 2100 * SIM_MS);
  fixture_inject (f, ACK, 5001, 1002, NULL);
  fixture_expect_nothing (f);
}

static void
test_rto_from_first_sample (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (2.2): first sample R: SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + 4 RTTVAR "
                  "(R = 100 ms -> RTO = 300 ms; rto_min 1 ms)");
  f->config.rto_min = 1 * SIM_MS;
  established_with_sample_100ms (f);
  fixture_run_until (f, 3 * SIM_S);
  tcp_conn_send (f->conn, (const guint8 *) "b", 1);
  fixture_expect_segment (f, ACK, 1002, 5001, 1);
  expect_nothing_until (f, 3300 * SIM_MS - 1);
  fixture_run_until (f, 3300 * SIM_MS);
  fixture_expect_segment (f, ACK, 1002, 5001, 1);
}

static void
test_rto_from_second_sample (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (2.3): RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'|, SRTT <- 7/8 SRTT + 1/8 R' "
                  "(R' = 200 ms -> RTO = 112.5 + 4 x 62.5 = 362.5 ms)");
  f->config.rto_min = 1 * SIM_MS;
  established_with_sample_100ms (f);
  fixture_run_until (f, 3 * SIM_S);
  tcp_conn_send (f->conn, (const guint8 *) "b", 1);
  fixture_expect_segment (f, ACK, 1002, 5001, 1);
  fixture_run_until (f, 3200 * SIM_MS);
  fixture_inject (f, ACK, 5001, 1003, NULL);
  fixture_run_until (f, 4 * SIM_S);
  tcp_conn_send (f->conn, (const guint8 *) "c", 1);
  fixture_expect_segment (f, ACK, 1003, 5001, 1);
  expect_nothing_until (f, 4 * SIM_S + 362500 * SIM_US - 1);
  fixture_run_until (f, 4 * SIM_S + 362500 * SIM_US);
  fixture_expect_segment (f, ACK, 1003, 5001, 1);
}

static void
test_rto_min_rounds_up (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (2.4): an RTO below rto_min (1 s) is rounded up to it");
  established_with_sample_100ms (f); /* computed RTO 300 ms */
  fixture_run_until (f, 3 * SIM_S);
  tcp_conn_send (f->conn, (const guint8 *) "b", 1);
  fixture_expect_segment (f, ACK, 1002, 5001, 1);
  expect_nothing_until (f, 4 * SIM_S - 1);
  fixture_run_until (f, 4 * SIM_S);
  fixture_expect_segment (f, ACK, 1002, 5001, 1);
}

static void
test_rto_max_caps_backoff (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (2.5): a maximum may be placed on RTO: backoff stops at rto_max (4 s here)");
  f->config.rto_max = 4 * SIM_S;
  f->config.syn_retries = 10;
  fixture_syn_sent (f);
  fixture_run_until (f, 1 * SIM_S);  /* RTO 1 s */
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  fixture_run_until (f, 3 * SIM_S);  /* RTO 2 s */
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  fixture_run_until (f, 7 * SIM_S);  /* RTO 4 s */
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  expect_nothing_until (f, 11 * SIM_S - 1);
  fixture_run_until (f, 11 * SIM_S); /* RTO capped at 4 s, not 8 s */
  fixture_expect_segment (f, SYN, 1000, 0, 0);
}

static void
test_karn_no_sample_from_retransmission (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 3 (Karn): no RTT sample from a retransmitted segment; the backed-off "
                  "RTO (600 ms) stays until a clean sample");
  f->config.rto_min = 1 * SIM_MS;
  established_with_sample_100ms (f); /* RTO 300 ms */
  fixture_run_until (f, 3 * SIM_S);
  tcp_conn_send (f->conn, (const guint8 *) "b", 1);
  fixture_expect_segment (f, ACK, 1002, 5001, 1);
  fixture_run_until (f, 3300 * SIM_MS);
  fixture_expect_segment (f, ACK, 1002, 5001, 1); /* RTO <- 600 ms */
  fixture_run_until (f, 3350 * SIM_MS);
  fixture_inject (f, ACK, 5001, 1003, NULL);      /* ambiguous: no sample */
  fixture_run_until (f, 4 * SIM_S);
  tcp_conn_send (f->conn, (const guint8 *) "c", 1);
  fixture_expect_segment (f, ACK, 1003, 5001, 1);
  expect_nothing_until (f, 4600 * SIM_MS - 1);
  fixture_run_until (f, 4600 * SIM_MS);
  fixture_expect_segment (f, ACK, 1003, 5001, 1);
}

/* ---- FIN ------------------------------------------------------------------ */

static void
test_fin_retransmitted_in_fin_wait_1 (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.6 / RFC 6298 (5.4): an unacknowledged FIN in FIN-WAIT-1 is retransmitted");
  fixture_fin_wait_1 (f);
  expect_nothing_until (f, 1 * SIM_S - 1);
  fixture_run_until (f, 1 * SIM_S);
  TcpSegment *fin = fixture_expect_segment (f, FIN | ACK, 1001, 5001, 0);
  g_assert_true (fin->retransmission);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_1);
}

static void
test_fin_retransmitted_in_closing (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.6: in CLOSING our FIN is still unacknowledged and is retransmitted");
  fixture_closing (f);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, FIN | ACK, 1001, 5002, 0);
  fixture_assert_state (f, TCP_STATE_CLOSING);
}

static void
test_fin_retransmitted_in_last_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.3.2: the final ACK is lost -> LAST-ACK retransmits its FIN; the ACK then closes");
  fixture_last_ack (f);
  expect_nothing_until (f, 1 * SIM_S - 1);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, FIN | ACK, 1001, 5002, 0);
  fixture_inject (f, ACK, 5002, 1002, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_time_wait_turns_off_timers (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-2: on FIN \"start the time-wait timer, turn off the other "
                  "timers\": nothing is sent during TIME-WAIT");
  fixture_time_wait (f);
  expect_nothing_until (f, 2 * FIX_MSL + 10 * SIM_S);
}

static void
test_only_earliest_segment_retransmitted (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (5.4): on expiry retransmit the earliest segment not yet acknowledged (only that one)");
  f->peer_mss = 500;
  fixture_established (f);
  guint8 bytes[1000] = { 0 };
  tcp_conn_send (f->conn, bytes, sizeof bytes);
  fixture_expect_segment (f, ACK, 1001, 5001, 500);
  fixture_expect_segment (f, ACK, 1501, 5001, 500);
  fixture_run_until (f, 1 * SIM_S);
  TcpSegment *r = fixture_expect_segment (f, ACK, 1001, 5001, 500);
  g_assert_true (r->retransmission);
  fixture_expect_nothing (f);
}

/* ---- RFC 6298 (5.7) and RFC 9293 3.8.3 (MUST-23) ------------------------- */

static void
test_syn_timeout_data_rto_3s (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (5.7): after the timer expired awaiting the ACK of our SYN, the RTO "
                  "for data is re-initialized to 3 s");
  fixture_syn_sent (f);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  fixture_inject (f, SYN | ACK, 5000, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  tcp_conn_send (f->conn, (const guint8 *) "data", 4);
  fixture_expect_segment (f, ACK, 1001, 5001, 4);
  SimTime sent = fixture_now (f);
  expect_nothing_until (f, sent + 3 * SIM_S - 1);
  fixture_run_until (f, sent + 3 * SIM_S);
  TcpSegment *again = fixture_expect_segment (f, ACK, 1001, 5001, 4);
  g_assert_true (again->retransmission);
}

static void
test_synack_timeout_data_rto_3s (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (5.7): the same for the passive side whose SYN,ACK timed out");
  fixture_syn_received_passive (f);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  fixture_inject (f, ACK, 5001, 1001, NULL);
  f->conn = tcp_listener_accept (f->listener);
  g_assert_nonnull (f->conn);
  tcp_conn_set_callbacks (f->conn, &fixture_conn_callbacks, f);
  tcp_conn_send (f->conn, (const guint8 *) "data", 4);
  fixture_expect_segment (f, ACK, 1001, 5001, 4);
  SimTime sent = fixture_now (f);
  expect_nothing_until (f, sent + 3 * SIM_S - 1);
  fixture_run_until (f, sent + 3 * SIM_S);
  fixture_expect_segment (f, ACK, 1001, 5001, 4);
}

static void
test_no_syn_timeout_keeps_measured_rto (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (5.7) applies only after a SYN timeout: a handshake with an RTT sample "
                  "keeps the measured RTO (rounded up to rto_min, 1 s)");
  fixture_established (f);
  tcp_conn_send (f->conn, (const guint8 *) "data", 4);
  fixture_expect_segment (f, ACK, 1001, 5001, 4);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, ACK, 1001, 5001, 4);
}

/* A SYN nobody answers under a personality's TCP settings: the open must
 * not fail before `at_least`. */
static void
test_personality_syn_give_up (TcpFixture *f, gconstpointer data)
{
  const char *name = data;
  g_test_summary ("RFC 9293 3.8.3 (MUST-23), RFC 1122 4.2.3.5: R2 for a SYN is at least 3 minutes "
                  "(rfc9293 and textbook personalities)");
  SockConfig sock;
  const Personality *p = personality_find (name);
  g_assert_nonnull (p);
  personality_apply (p, &f->config, &sock);
  f->config.isn_kind = TCP_ISN_FIXED;
  f->config.isn_fixed = FIX_ISS;
  fixture_syn_sent (f);
  fixture_run_until (f, 180 * SIM_S);
  g_assert_cmpuint (f->failed, ==, 0);
  fixture_assert_state (f, TCP_STATE_SYN_SENT);
  fixture_run_until (f, 3600 * SIM_S);
  g_assert_cmpuint (f->failed, ==, 1);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_TIMEOUT);
}

static void
test_syn_retransmission_one_timer_line (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (5.6): a SYN retransmission restarts the timer once: one "
                  "\"retransmit timer set\" line, not two");
  fixture_syn_sent (f);
  g_assert_cmpuint (fixture_count_events (f, "tcp.timer"), ==, 1); /* set */
  fixture_advance (f, 1 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  g_assert_cmpuint (fixture_count_events (f, "tcp.timer"), ==, 3); /* set, fired, set */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TCP_TEST ("/tcp/retransmit/syn-after-initial-rto", test_syn_retransmitted_after_initial_rto);
  TCP_TEST ("/tcp/retransmit/syn-backoff-doubles", test_syn_backoff_doubles);
  TCP_TEST ("/tcp/retransmit/syn-retransmission-one-timer-line",
            test_syn_retransmission_one_timer_line);
  TCP_TEST ("/tcp/retransmit/syn-retries-exhausted-timeout", test_syn_retries_exhausted_timeout);
  TCP_TEST ("/tcp/retransmit/syn-timeout-data-rto-3s", test_syn_timeout_data_rto_3s);
  TCP_TEST ("/tcp/retransmit/synack-timeout-data-rto-3s", test_synack_timeout_data_rto_3s);
  TCP_TEST ("/tcp/retransmit/no-syn-timeout-keeps-measured-rto", test_no_syn_timeout_keeps_measured_rto);
  g_test_add ("/tcp/retransmit/syn-give-up-at-least-3-min/rfc9293", TcpFixture, "rfc9293",
              fixture_setup, test_personality_syn_give_up, fixture_teardown);
  g_test_add ("/tcp/retransmit/syn-give-up-at-least-3-min/textbook", TcpFixture, "textbook",
              fixture_setup, test_personality_syn_give_up, fixture_teardown);
  TCP_TEST ("/tcp/retransmit/syn-ack-after-retransmission-establishes", test_syn_ack_after_retransmission_establishes);
  TCP_TEST ("/tcp/retransmit/synack-in-syn-received", test_synack_retransmitted_in_syn_received);
  TCP_TEST ("/tcp/retransmit/data-after-rto-same-seq", test_data_retransmitted_after_rto);
  TCP_TEST ("/tcp/retransmit/data-backoff-doubles", test_data_backoff_doubles);
  TCP_TEST ("/tcp/retransmit/ack-stops-timer", test_ack_stops_timer);
  TCP_TEST ("/tcp/retransmit/data-retries-exhausted-timeout", test_data_retries_exhausted_timeout);
  TCP_TEST ("/tcp/retransmit/rto-from-first-rtt-sample", test_rto_from_first_sample);
  TCP_TEST ("/tcp/retransmit/rto-from-second-rtt-sample", test_rto_from_second_sample);
  TCP_TEST ("/tcp/retransmit/rto-min-rounds-up", test_rto_min_rounds_up);
  TCP_TEST ("/tcp/retransmit/rto-max-caps-backoff", test_rto_max_caps_backoff);
  TCP_TEST ("/tcp/retransmit/karn-no-sample-from-retransmission", test_karn_no_sample_from_retransmission);
  TCP_TEST ("/tcp/retransmit/fin-in-fin-wait-1", test_fin_retransmitted_in_fin_wait_1);
  TCP_TEST ("/tcp/retransmit/fin-in-closing", test_fin_retransmitted_in_closing);
  TCP_TEST ("/tcp/retransmit/fin-in-last-ack", test_fin_retransmitted_in_last_ack);
  TCP_TEST ("/tcp/retransmit/time-wait-turns-off-timers", test_time_wait_turns_off_timers);
  TCP_TEST ("/tcp/retransmit/only-earliest-segment", test_only_earliest_segment_retransmitted);

  return g_test_run ();
}
