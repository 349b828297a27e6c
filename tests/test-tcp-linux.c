/* test-tcp-linux.c: the Linux personality's own TCP rules, one short test
 * per rule, each named after the kernel function it models. Host A runs
 * with timestamps on (TS clock 1 kHz, no offset), MSL 60 s, and TIME-WAIT
 * fixed at TCP_TIMEWAIT_LEN (60 s). In TIME-WAIT A has SND.NXT 1002 and
 * RCV.NXT 5002, TS.Recent PEER_TS + 2. */
#include "tcp-fixture.h"

#include <string.h>

#define PEER_TS 5000u
#define TW_LEN (60 * SIM_S)

static void
linux_config (TcpFixture *f)
{
  f->config.timestamps = TRUE;
  f->config.time_wait = TW_LEN;
  f->config.time_wait_syn = TCP_TW_SYN_LINUX;
  f->config.time_wait_restart = TCP_TW_RESTART_LINUX;
}

/* Established with timestamps, A closes first: TIME-WAIT at 1 s. The
 * configuration is the test's (linux_config, then any change). */
static void
time_wait_ts (TcpFixture *f)
{
  fixture_advance (f, 1 * SIM_S);
  fixture_syn_sent (f);
  fixture_inject_ts (f, SYN | ACK, 5000, 1001, NULL, PEER_TS, 1000);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, 1001, 5001, 0);
  fixture_inject_ts (f, ACK, 5001, 1002, NULL, PEER_TS + 1, 1000);
  fixture_inject_ts (f, FIN | ACK, 5001, 1002, NULL, PEER_TS + 2, 1000);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

/* Checks that the record lives until exactly `from` + TW_LEN. */
static void
assert_time_wait_ends_at (TcpFixture *f, SimTime end)
{
  fixture_run_until (f, end - 1);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  fixture_run_until (f, end);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_tw_bare_ack_restarts (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_timewait_state_process: a bare ACK at RCV.NXT reschedules "
                  "TIME-WAIT to TCP_TIMEWAIT_LEN and updates TS.Recent; nothing is sent");
  linux_config (f);
  time_wait_ts (f);
  fixture_advance (f, 30 * SIM_S);
  fixture_inject_ts (f, ACK, 5002, 1002, NULL, PEER_TS + 50, 1000);
  fixture_expect_nothing (f);
  SimTime restarted = fixture_now (f);
  /* TS.Recent is now PEER_TS + 50: a segment with PEER_TS + 10 fails PAWS. */
  fixture_inject_ts (f, ACK, 5002, 1002, "x", PEER_TS + 10, 1000);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  g_assert_nonnull (strstr (fixture_last_rule (f), "PAWS"));
  assert_time_wait_ends_at (f, restarted + TW_LEN);
}

static void
test_tw_old_data_acked_and_restarts (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_timewait_state_process: an old data segment with ACK is ACKed "
                  "and reschedules TIME-WAIT (\"paws_reject || th->ack\")");
  linux_config (f);
  time_wait_ts (f);
  fixture_advance (f, 20 * SIM_S);
  fixture_inject_ts (f, ACK, 4990, 1002, "old", PEER_TS + 3, 1000);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  assert_time_wait_ends_at (f, fixture_now (f) + TW_LEN);
}

static void
test_tw_out_of_window_ack_restarts (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_timewait_state_process: an out-of-window ACK is ACKed and "
                  "reschedules TIME-WAIT");
  linux_config (f);
  time_wait_ts (f);
  fixture_advance (f, 20 * SIM_S);
  SimTime at = fixture_now (f);
  fixture_inject_ts (f, ACK, 900000, 1002, NULL, PEER_TS + 3, 1000);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  assert_time_wait_ends_at (f, at + TW_LEN);
}

static void
test_tw_paws_rejected_syn_restarts (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_timewait_state_process: a PAWS-rejected SYN is ACKed (the ACK is "
                  "not called a FIN's) and reschedules TIME-WAIT");
  linux_config (f);
  time_wait_ts (f);
  fixture_advance (f, 20 * SIM_S);
  SimTime at = fixture_now (f);
  fixture_inject_ts (f, SYN, 9000, 0, NULL, PEER_TS - 100, 0);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  const char *why = fixture_last_event_text (f, "tcp.send");
  g_assert_null (strstr (why, "FIN"));
  g_assert_nonnull (strstr (why, "PAWS-rejected SYN"));
  assert_time_wait_ends_at (f, at + TW_LEN);
}

static void
test_tw_ackless_segment_no_restart (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_timewait_state_process: an ACKless SYN below RCV.NXT is ACKed "
                  "without rescheduling (\"Do not reschedule in the last case\")");
  linux_config (f);
  time_wait_ts (f);
  SimTime entered = fixture_now (f);
  fixture_advance (f, 20 * SIM_S);
  fixture_inject_ts (f, SYN, 4000, 0, NULL, PEER_TS + 3, 0);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  assert_time_wait_ends_at (f, entered + TW_LEN);
}

static void
test_tw_rst_rfc1337_no_restart (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_timewait_state_process (6.x), tcp_rfc1337=1: a RST at RCV.NXT "
                  "is ignored and does not reschedule TIME-WAIT");
  linux_config (f);
  f->config.time_wait_rst = TCP_TW_RST_IGNORE;
  time_wait_ts (f);
  SimTime entered = fixture_now (f);
  fixture_advance (f, 20 * SIM_S);
  fixture_inject (f, RST, 5002, 0, NULL);
  fixture_expect_nothing (f);
  assert_time_wait_ends_at (f, entered + TW_LEN);
}

static void
test_tw_rfc_bare_ack_no_restart (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 (time_wait_restart=fin, the other personalities): a bare "
                  "ACK at RCV.NXT does not restart TIME-WAIT");
  linux_config (f);
  f->config.time_wait_restart = TCP_TW_RESTART_FIN;
  time_wait_ts (f);
  SimTime entered = fixture_now (f);
  fixture_advance (f, 30 * SIM_S);
  fixture_inject_ts (f, ACK, 5002, 1002, NULL, PEER_TS + 50, 1000);
  fixture_expect_nothing (f);
  assert_time_wait_ends_at (f, entered + TW_LEN);
}

static void
test_abort_sends_rst_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_send_active_reset (abort_rst=rst+ack): an abort in ESTABLISHED "
                  "sends <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>");
  f->config.abort_rst_ack = TRUE;
  fixture_established (f);
  tcp_conn_abort (f->conn);
  fixture_expect_segment (f, RST | ACK, 1001, 5001, 0);
  fixture_expect_nothing (f);
}

static void
test_abort_rfc_sends_bare_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.5 ABORT (abort_rst=rst): <SEQ=SND.NXT><CTL=RST>, no ACK");
  fixture_established (f);
  tcp_conn_abort (f->conn);
  fixture_expect_segment (f, RST, 1001, 0, 0);
  fixture_expect_nothing (f);
}

static void
test_takeover_syn_tsecr (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_twsk_unique + tcp_syn_options: the SYN of a connect() that takes "
                  "over a TIME-WAIT record carries TSecr = the record's TS.Recent");
  linux_config (f);
  time_wait_ts (f);
  fixture_advance (f, 2 * SIM_S);
  TcpConn *c = tcp_stack_connect_take_over (fixture_stack (f), &f->tuple, "test", NULL, NULL);
  g_assert_nonnull (c);
  TcpSegment *syn = fixture_expect_segment (f, SYN, 1002 + 65537, 0, 0);
  g_assert_true (syn->has_timestamps);
  g_assert_cmpuint (syn->tsecr, ==, PEER_TS + 2);
  g_assert_cmpuint (syn->tsval, ==, 3000); /* the same TS clock, at 3 s */
}

static void
test_dup_syn_resends_synack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_check_req (syn_recv_dup_syn=synack): a pure retransmitted SYN "
                  "in SYN-RECEIVED gets the SYN,ACK again at once");
  f->config.dup_syn_resends_synack = TRUE;
  fixture_syn_received_passive (f);
  fixture_advance (f, 300 * SIM_MS);
  fixture_inject (f, SYN, 5000, 0, NULL);
  TcpSegment *synack = fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  g_assert_true (synack->retransmission);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_SYN_RECEIVED);
}

static void
test_dup_syn_rfc_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 first (syn_recv_dup_syn=ack): a retransmitted SYN in "
                  "SYN-RECEIVED is not acceptable and gets an ACK");
  fixture_syn_received_passive (f);
  fixture_advance (f, 300 * SIM_MS);
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_SYN_RECEIVED);
}

/* A at 0 sends SYN, the SYN,ACK comes back after 10 ms: one RTT sample
 * of 10 ms (SRTT 10 ms, RTTVAR 5 ms); rto_min 200 ms. */
static void
established_rtt_10ms (TcpFixture *f)
{
  f->config.rto_min = 200 * SIM_MS;
  fixture_syn_sent (f);
  fixture_advance (f, 10 * SIM_MS);
  fixture_inject (f, SYN | ACK, 5000, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  g_assert_cmpuint (tcp_conn_send (f->conn, (const guint8 *) "x", 1), ==, 1);
  fixture_expect_segment (f, ACK | PSH, 1001, 5001, 1);
}

static void
test_rto_linux (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_set_rto (rto_formula=linux): RTO = SRTT + max(4 x RTTVAR, "
                  "rto_min) = 10 ms + 200 ms");
  f->config.rto_linux = TRUE;
  established_rtt_10ms (f);
  fixture_advance (f, 210 * SIM_MS - 1);
  fixture_expect_nothing (f);
  fixture_advance (f, 1);
  fixture_expect_segment (f, ACK | PSH, 1001, 5001, 1);
}

static void
test_rto_rfc6298 (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6298 (2.3)/(2.4) (rto_formula=rfc6298): RTO = max(SRTT + 4 x RTTVAR, "
                  "rto_min) = 200 ms");
  established_rtt_10ms (f);
  fixture_advance (f, 200 * SIM_MS - 1);
  fixture_expect_nothing (f);
  fixture_advance (f, 1);
  fixture_expect_segment (f, ACK | PSH, 1001, 5001, 1);
}

static void
test_orphan_retries (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_orphan_retries (orphan_retries=0, the default): an orphan in "
                  "FIN-WAIT-1 gives up after 8 retransmissions, not data_retries (15)");
  f->config.orphan_retries = 0;
  f->config.rto_initial = 200 * SIM_MS;
  f->config.rto_min = 200 * SIM_MS;
  f->config.rto_max = 120 * SIM_S;
  fixture_established (f);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, 1001, 5001, 0);
  tcp_conn_orphan (f->conn);
  f->conn = NULL; /* no callbacks any more: the socket let go */
  fixture_run_until (f, 1000 * SIM_S);
  guint rexmits = 0;
  while (fixture_sent_count (f) > 0)
    {
      TcpSegment *seg = fixture_pop (f);
      g_assert_cmpuint (seg->flags, ==, FIN | ACK);
      rexmits++;
    }
  g_assert_cmpuint (rexmits, ==, 8);
  g_assert_null (tcp_stack_find_conn (fixture_stack (f), &f->tuple));
}

static void
test_syn_sent_rearm (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_rcv_synsent_state_process (syn_sent_rearm, HZ 250): after its RST "
                  "for an unacceptable ACK, SYN-SENT sends the SYN again after TCP_TIMEOUT_MIN "
                  "= 2 jiffies = 8 ms");
  f->config.syn_sent_rearm = TRUE;
  f->config.hz = 250;
  fixture_syn_sent (f);
  fixture_advance (f, 20 * SIM_MS);
  fixture_inject (f, ACK, 7000, 9999, NULL);
  fixture_expect_segment (f, RST, 9999, 0, 0);
  fixture_advance (f, 8 * SIM_MS - 1);
  fixture_expect_nothing (f);
  fixture_advance (f, 1);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
  fixture_assert_state (f, TCP_STATE_SYN_SENT);
}

static void
test_syn_sent_rearm_only_before_retransmission (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_rcv_synsent_state_process: \"if (icsk->icsk_retransmits == 0)\": "
                  "once the SYN was retransmitted, the RST leaves the timer alone");
  f->config.syn_sent_rearm = TRUE;
  f->config.hz = 250;
  fixture_syn_sent (f);
  fixture_advance (f, 1 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0); /* retransmission #1, next in 2 s */
  fixture_advance (f, 20 * SIM_MS);
  fixture_inject (f, ACK, 7000, 9999, NULL);
  fixture_expect_segment (f, RST, 9999, 0, 0);
  fixture_advance (f, 1 * SIM_S);
  fixture_expect_nothing (f);
}

static void
test_syn_sent_rfc_timer_runs_on (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.3 (syn_sent_rearm=off): the RST for an unacceptable ACK "
                  "leaves the retransmission timer: the SYN goes again at the RTO (1 s)");
  fixture_syn_sent (f);
  fixture_advance (f, 20 * SIM_MS);
  fixture_inject (f, ACK, 7000, 9999, NULL);
  fixture_expect_segment (f, RST, 9999, 0, 0);
  fixture_run_until (f, 1 * SIM_S - 1);
  fixture_expect_nothing (f);
  fixture_run_until (f, 1 * SIM_S);
  fixture_expect_segment (f, SYN, 1000, 0, 0);
}

static void
test_narration_time_wait_len (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("narration: a Linux TIME-WAIT is TCP_TIMEWAIT_LEN (60 s whatever the MSL), "
                  "not \"2 x MSL\"");
  linux_config (f);
  f->config.time_wait_linux = TRUE;
  time_wait_ts (f);
  const char *text = fixture_last_event_text (f, "tcp.timer");
  g_assert_nonnull (strstr (text, "TCP_TIMEWAIT_LEN"));
  g_assert_null (strstr (text, "2 x MSL"));
}

static void
test_narration_time_wait_2msl (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("narration: an RFC host's TIME-WAIT is \"2 x MSL, RFC 9293 3.4.2\"");
  f->config.timestamps = TRUE;
  time_wait_ts (f);
  const char *text = fixture_last_event_text (f, "tcp.timer");
  g_assert_nonnull (strstr (text, "2 x MSL, RFC 9293 3.4.2"));
}

static void
test_narration_fin_wait_2_rule (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("narration: the orphaned FIN-WAIT-2 timer of a non-Linux host names its own "
                  "rule, not Linux tcp_fin_timeout");
  f->config.fin_wait_2_timeout = 600 * SIM_S;
  f->config.fin_wait_2_rule = "FreeBSD TP_MAXIDLE, tcp_usrclosed()";
  fixture_established (f);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, 1001, 5001, 0);
  fixture_inject (f, ACK, 5001, 1002, NULL);
  tcp_conn_orphan (f->conn);
  f->conn = NULL;
  const char *text = fixture_last_event_text (f, "tcp.timer");
  g_assert_nonnull (strstr (text, "FreeBSD TP_MAXIDLE"));
  g_assert_null (strstr (text, "Linux"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  TCP_TEST ("/tcp/linux/tcp_timewait_state_process/bare-ack-at-rcv-nxt-restarts",
            test_tw_bare_ack_restarts);
  TCP_TEST ("/tcp/linux/tcp_timewait_state_process/old-data-acked-and-restarts",
            test_tw_old_data_acked_and_restarts);
  TCP_TEST ("/tcp/linux/tcp_timewait_state_process/out-of-window-ack-restarts",
            test_tw_out_of_window_ack_restarts);
  TCP_TEST ("/tcp/linux/tcp_timewait_state_process/paws-rejected-syn-acked-and-restarts",
            test_tw_paws_rejected_syn_restarts);
  TCP_TEST ("/tcp/linux/tcp_timewait_state_process/ackless-syn-no-restart",
            test_tw_ackless_segment_no_restart);
  TCP_TEST ("/tcp/linux/tcp_timewait_state_process/rst-rfc1337-ignored-no-restart",
            test_tw_rst_rfc1337_no_restart);
  TCP_TEST ("/tcp/linux/rfc9293-time-wait/bare-ack-does-not-restart",
            test_tw_rfc_bare_ack_no_restart);
  TCP_TEST ("/tcp/linux/tcp_send_active_reset/abort-sends-rst-ack", test_abort_sends_rst_ack);
  TCP_TEST ("/tcp/linux/rfc9293-abort/bare-rst", test_abort_rfc_sends_bare_rst);
  TCP_TEST ("/tcp/linux/tcp_twsk_unique/takeover-syn-echoes-ts-recent", test_takeover_syn_tsecr);
  TCP_TEST ("/tcp/linux/tcp_check_req/retransmitted-syn-gets-syn-ack", test_dup_syn_resends_synack);
  TCP_TEST ("/tcp/linux/rfc9293-syn-received/retransmitted-syn-gets-ack", test_dup_syn_rfc_acked);
  TCP_TEST ("/tcp/linux/tcp_set_rto/srtt-plus-max-4rttvar-rto-min", test_rto_linux);
  TCP_TEST ("/tcp/linux/rfc6298-rto/clamped-to-rto-min", test_rto_rfc6298);
  TCP_TEST ("/tcp/linux/tcp_orphan_retries/orphan-gives-up-after-8", test_orphan_retries);
  TCP_TEST ("/tcp/linux/tcp_rcv_synsent_state_process/rst-rearms-syn-at-timeout-min",
            test_syn_sent_rearm);
  TCP_TEST ("/tcp/linux/tcp_rcv_synsent_state_process/no-rearm-after-retransmission",
            test_syn_sent_rearm_only_before_retransmission);
  TCP_TEST ("/tcp/linux/rfc9293-syn-sent/rst-leaves-timer", test_syn_sent_rfc_timer_runs_on);
  TCP_TEST ("/tcp/linux/narration/time-wait-is-tcp-timewait-len", test_narration_time_wait_len);
  TCP_TEST ("/tcp/linux/narration/rfc-time-wait-is-2-msl", test_narration_time_wait_2msl);
  TCP_TEST ("/tcp/linux/narration/fin-wait-2-timer-names-own-rule", test_narration_fin_wait_2_rule);
  return g_test_run ();
}
