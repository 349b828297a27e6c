/* test-tcp-time-wait.c: the TIME-WAIT state, RFC 9293 3.3.2 (MUST-13),
 * 3.10.7.4 and 3.10.8, RFC 1337 F1 and RFC 5961 4. MSL is pinned to 60 s, so
 * TIME-WAIT lasts 120 s. In TIME-WAIT A has SND.NXT 1002 and RCV.NXT 5002. */
#include "tcp-fixture.h"

#define TWO_MSL (2 * FIX_MSL)

static void
test_time_wait_lasts_2msl (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.8 TIME-WAIT TIMEOUT: the record lives exactly 2 x MSL (MUST-13)");
  fixture_advance (f, 5 * SIM_S);
  fixture_time_wait (f);
  SimTime entered = fixture_now (f);
  fixture_run_until (f, entered + TWO_MSL - 1);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  fixture_run_until (f, entered + TWO_MSL);
  fixture_assert_state (f, TCP_STATE_CLOSED);
  g_assert_cmpuint (tcp_stack_time_wait_count (fixture_stack (f)), ==, 0);
  fixture_expect_nothing (f);
}

static void
test_time_wait_from_closing_lasts_2msl (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 CLOSING -> TIME-WAIT: the 2 MSL timer starts on entering TIME-WAIT");
  fixture_closing (f);
  fixture_advance (f, 10 * SIM_MS);
  fixture_inject (f, ACK, 5002, 1002, NULL);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  SimTime entered = fixture_now (f);
  fixture_run_until (f, entered + TWO_MSL - 1);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  fixture_run_until (f, entered + TWO_MSL);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_time_wait_msl_from_config (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.4.2: TIME-WAIT is 2 x the configured MSL (MSL = 1 s here)");
  f->config.msl = 1 * SIM_S;
  fixture_time_wait (f);
  fixture_run_until (f, 2 * SIM_S - 1);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  fixture_run_until (f, 2 * SIM_S);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_time_wait_retransmitted_fin_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 TIME-WAIT: a retransmitted FIN is acknowledged "
                  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
  fixture_time_wait (f);
  fixture_advance (f, 1 * SIM_S);
  fixture_inject (f, FIN | ACK, 5001, 1002, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

static void
test_time_wait_retransmitted_fin_restarts_2msl (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 TIME-WAIT: retransmitted FIN -> ACK it and restart the 2 MSL timeout");
  fixture_time_wait (f);
  SimTime entered = fixture_now (f);
  fixture_run_until (f, entered + 100 * SIM_S);
  fixture_inject (f, FIN | ACK, 5001, 1002, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  SimTime restarted = fixture_now (f);
  fixture_run_until (f, entered + TWO_MSL);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT); /* the first deadline passed */
  fixture_run_until (f, restarted + TWO_MSL - 1);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  fixture_run_until (f, restarted + TWO_MSL);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_time_wait_out_of_window_data_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 TIME-WAIT: an unacceptable (old duplicate) data segment -> "
                  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
  fixture_time_wait (f);
  fixture_inject (f, ACK, 4000, 1002, "stale");
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

static void
test_time_wait_old_ack_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 1337 TWA example: an old duplicate <SEQ=..><ACK=..> in TIME-WAIT is answered "
                  "with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
  fixture_time_wait (f);
  fixture_inject (f, ACK, 4500, 900, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

static void
test_time_wait_rst_closes (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 TIME-WAIT: valid RST -> enter CLOSED, delete the TCB "
                  "(RFC 1337 \"assassination\")");
  f->config.time_wait_rst = TCP_TW_RST_CLOSE;
  fixture_time_wait (f);
  fixture_inject (f, RST, 5002, 0, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
  g_assert_cmpuint (tcp_stack_time_wait_count (fixture_stack (f)), ==, 0);
}

static void
test_time_wait_rst_ignored_rfc1337 (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 1337 F1: ignore RST segments in TIME-WAIT state");
  f->config.time_wait_rst = TCP_TW_RST_IGNORE;
  fixture_time_wait (f);
  fixture_inject (f, RST, 5002, 0, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  g_assert_cmpuint (tcp_stack_time_wait_count (fixture_stack (f)), ==, 1);
}

static void
test_time_wait_rst_out_of_window_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 / RFC 5961 3: RST outside the window in TIME-WAIT is silently dropped");
  f->config.time_wait_rst = TCP_TW_RST_CLOSE;
  fixture_time_wait (f);
  fixture_inject (f, RST, 4000, 0, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

static void
test_time_wait_syn_challenge_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 / RFC 5961 4: SYN in TIME-WAIT -> challenge ACK "
                  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, stay");
  f->config.challenge_acks = TRUE;
  fixture_time_wait (f);
  fixture_inject (f, SYN, 3000, 0, NULL); /* an old SYN (below RCV.NXT): no reopen */
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

static void
test_time_wait_answers_before_listener (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Demultiplexing (tcp.h): the TIME-WAIT record for a 4-tuple answers before a "
                  "listener on the same port (ACK, not the listener's RST)");
  fixture_established_passive (f); /* A listens on :80; peer 10.0.0.2:5555 */
  fixture_time_wait (f);           /* A closes first: TIME-WAIT on 10.0.0.1:80 */
  fixture_inject (f, ACK, 4000, 1500, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0); /* a listener would send <SEQ=1500><CTL=RST> */
  fixture_inject (f, SYN | ACK, 4000, 1500, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 0);
}

static void
test_time_wait_count (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("tcp_stack_time_wait_count counts TIME-WAIT records; 0 after 2 MSL");
  g_assert_cmpuint (tcp_stack_time_wait_count (fixture_stack (f)), ==, 0);
  fixture_time_wait (f);
  g_assert_cmpuint (tcp_stack_time_wait_count (fixture_stack (f)), ==, 1);
  fixture_advance (f, TWO_MSL);
  g_assert_cmpuint (tcp_stack_time_wait_count (fixture_stack (f)), ==, 0);
}

static void
test_time_wait_discard (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("tcp_stack_discard_time_wait deletes the records of a local endpoint; "
                  "the 4-tuple is then CLOSED (ACK -> <SEQ=SEG.ACK><CTL=RST>)");
  fixture_time_wait (f);
  NetEndpoint other = { FIX_A_IP, FIX_A_PORT + 1 };
  g_assert_cmpuint (tcp_stack_discard_time_wait (fixture_stack (f), other), ==, 0);
  g_assert_cmpuint (tcp_stack_discard_time_wait (fixture_stack (f), f->tuple.local), ==, 1);
  g_assert_false (tcp_stack_has_time_wait (fixture_stack (f), &f->tuple));
  g_assert_cmpuint (tcp_stack_time_wait_count (fixture_stack (f)), ==, 0);
  fixture_inject (f, FIN | ACK, 5001, 1002, NULL);
  fixture_expect_segment (f, RST, 1002, 0, 0);
}

static void
test_time_wait_expired_then_closed_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.1: after 2 MSL the 4-tuple is CLOSED: a retransmitted FIN gets "
                  "<SEQ=SEG.ACK><CTL=RST>");
  fixture_time_wait (f);
  fixture_advance (f, TWO_MSL);
  fixture_inject (f, FIN | ACK, 5001, 1002, NULL);
  fixture_expect_segment (f, RST, 1002, 0, 0);
}

typedef struct {
  guint visits;
  TcpState state;
  guint64 conn_id;
  NetFourTuple tuple;
} PortVisit;

static void
record_visit (const NetFourTuple *tuple, TcpState state, guint bind_flags,
              guint64 conn_id, gpointer data)
{
  PortVisit *v = data;
  v->visits++;
  v->state = state;
  v->conn_id = conn_id;
  v->tuple = *tuple;
}

static void
test_time_wait_visible_on_port (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("tcp_stack_foreach_on_port visits the TIME-WAIT record with its 4-tuple, "
                  "state and the TCB's conn id");
  fixture_time_wait (f);
  PortVisit v = { 0 };
  tcp_stack_foreach_on_port (fixture_stack (f), FIX_A_PORT, record_visit, &v);
  g_assert_cmpuint (v.visits, ==, 1);
  g_assert_cmpint (v.state, ==, TCP_STATE_TIME_WAIT);
  g_assert_cmpuint (v.conn_id, ==, f->conn_id);
  g_assert_true (net_four_tuple_equal (&v.tuple, &f->tuple));
}

static void
test_time_wait_rst_in_window_challenge_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 / RFC 5961 3 TIME-WAIT: RST in window, not at RCV.NXT -> "
                  "challenge ACK, the record stays");
  f->config.time_wait_rst = TCP_TW_RST_CLOSE;
  f->config.time_wait_syn = TCP_TW_SYN_CHALLENGE; /* the RFC personality */
  f->config.challenge_acks = TRUE;
  fixture_time_wait (f);
  fixture_inject (f, RST, 5100, 0, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

static void
test_time_wait_rst_in_window_linux_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_timewait_state_process (time_wait_syn=linux): RST in window, not "
                  "at rcv_nxt -> silently dropped, no challenge ACK; at rcv_nxt it kills");
  f->config.time_wait_rst = TCP_TW_RST_CLOSE;
  f->config.time_wait_syn = TCP_TW_SYN_LINUX;
  f->config.challenge_acks = TRUE;
  fixture_time_wait (f);
  fixture_inject (f, RST, 5100, 0, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "dropped");
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  fixture_inject (f, RST, 5002, 0, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_time_wait_assassination_sequence (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 1337 TWA example: old duplicate -> TIME-WAIT ACKs -> peer (CLOSED) answers "
                  "<SEQ=SEG.ACK><CTL=RST> -> RFC 9293 closes the record");
  f->config.time_wait_rst = TCP_TW_RST_CLOSE;
  fixture_time_wait (f);
  fixture_inject (f, ACK, 4500, 900, "old");
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_inject (f, RST, ack->ack, 0, NULL); /* the peer's RST for it: SEQ = that ACK */
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TCP_TEST ("/tcp/time-wait/lasts-exactly-2msl", test_time_wait_lasts_2msl);
  TCP_TEST ("/tcp/time-wait/from-closing-lasts-2msl", test_time_wait_from_closing_lasts_2msl);
  TCP_TEST ("/tcp/time-wait/msl-from-config", test_time_wait_msl_from_config);
  TCP_TEST ("/tcp/time-wait/retransmitted-fin-acked", test_time_wait_retransmitted_fin_acked);
  TCP_TEST ("/tcp/time-wait/retransmitted-fin-restarts-2msl", test_time_wait_retransmitted_fin_restarts_2msl);
  TCP_TEST ("/tcp/time-wait/out-of-window-data-acked", test_time_wait_out_of_window_data_acked);
  TCP_TEST ("/tcp/time-wait/old-duplicate-ack-acked", test_time_wait_old_ack_acked);
  TCP_TEST ("/tcp/time-wait/rst-closes-record", test_time_wait_rst_closes);
  TCP_TEST ("/tcp/time-wait/rst-ignored-rfc1337", test_time_wait_rst_ignored_rfc1337);
  TCP_TEST ("/tcp/time-wait/rst-out-of-window-dropped", test_time_wait_rst_out_of_window_dropped);
  TCP_TEST ("/tcp/time-wait/syn-challenge-ack", test_time_wait_syn_challenge_ack);
  TCP_TEST ("/tcp/time-wait/answers-before-listener", test_time_wait_answers_before_listener);
  TCP_TEST ("/tcp/time-wait/count", test_time_wait_count);
  TCP_TEST ("/tcp/time-wait/discard-removes-record", test_time_wait_discard);
  TCP_TEST ("/tcp/time-wait/expired-then-closed-rst", test_time_wait_expired_then_closed_rst);
  TCP_TEST ("/tcp/time-wait/visible-on-port", test_time_wait_visible_on_port);
  TCP_TEST ("/tcp/time-wait/rst-in-window-challenge-ack", test_time_wait_rst_in_window_challenge_ack);
  TCP_TEST ("/tcp/time-wait/rst-in-window-linux-dropped", test_time_wait_rst_in_window_linux_dropped);
  TCP_TEST ("/tcp/time-wait/assassination-sequence", test_time_wait_assassination_sequence);

  return g_test_run ();
}
