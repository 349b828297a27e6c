/* test-tcp-time-wait-syn.c: a SYN arriving in TIME-WAIT under each
 * time_wait_syn policy (RFC 793, RFC 5961, RFC 1122 4.2.2.13, RFC 6191,
 * Linux tcp_timewait_state_process, FreeBSD tcp_twcheck), the time_wait
 * duration knob, and the provenance events (tcp.assassinated,
 * tcp.stale-data, tcp.ack-unsent, tcp.killed-by-stale).
 *
 * The TIME-WAIT record is the server's: A listens on :80, accepts the
 * peer's connection (peer ISS 5000, A's ISS 1000) and closes first, so the
 * record has SND.NXT 1002, RCV.NXT 5002 and the listener is still there. */
#include "tcp-fixture.h"

#include <string.h>

#define PEER_TS 5000u

static guint64
passive_time_wait (TcpFixture *f, TcpTimeWaitSynPolicy policy)
{
  f->config.time_wait_syn = policy;
  fixture_listen (f, 8);
  fixture_established_passive (f);
  fixture_time_wait (f);
  return f->conn_id;
}

/* The same with timestamps negotiated; TS.Recent ends at PEER_TS + 2. */
static guint64
passive_time_wait_ts (TcpFixture *f, TcpTimeWaitSynPolicy policy)
{
  f->config.time_wait_syn = policy;
  f->config.timestamps = TRUE;
  fixture_advance (f, 1 * SIM_S);
  fixture_listen (f, 8);
  fixture_inject_ts (f, SYN, 5000, 0, NULL, PEER_TS, 0);
  fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  f->conn_id = f->newest_conn_id;
  fixture_inject_ts (f, ACK, 5001, 1001, NULL, PEER_TS, 1000);
  f->conn = tcp_listener_accept (f->listener);
  g_assert_nonnull (f->conn);
  tcp_conn_set_callbacks (f->conn, &fixture_conn_callbacks, f);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, 1001, 5001, 0);
  fixture_inject_ts (f, ACK, 5001, 1002, NULL, PEER_TS + 1, 1000);
  fixture_inject_ts (f, FIN | ACK, 5001, 1002, NULL, PEER_TS + 2, 1000);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  return f->conn_id;
}

/* The record `old` was reopened: gone, and a new SYN-RECEIVED child of the
 * next incarnation answered with <SEQ=iss><ACK=seq+1><CTL=SYN,ACK>. */
static void
assert_reopened (TcpFixture *f, guint64 old, TcpSeq seq, TcpSeq iss)
{
  fixture_expect_segment (f, SYN | ACK, iss, seq + 1, 0);
  fixture_expect_nothing (f);
  g_assert_false (tcp_stack_has_time_wait (fixture_stack (f), &f->tuple));
  g_assert_cmpstr (fixture_traced_state (f, old), ==, "CLOSED");
  g_assert_cmpuint (f->newest_conn_id, !=, old);
  g_assert_cmpstr (fixture_traced_state (f, f->newest_conn_id), ==, "SYN-RECEIVED");
  /* With TSopt: the child may have negotiated timestamps (RFC 7323 3.2). */
  fixture_inject_ts (f, ACK, seq + 1, iss + 1, NULL, PEER_TS + 100, 0);
  TcpConn *child = tcp_listener_accept (f->listener);
  g_assert_nonnull (child);
  g_assert_cmpuint (tcp_conn_incarnation (child), ==, 2);
  g_assert_cmpint (tcp_conn_state (child), ==, TCP_STATE_ESTABLISHED);
}

static void
assert_still_time_wait (TcpFixture *f)
{
  g_assert_true (tcp_stack_has_time_wait (fixture_stack (f), &f->tuple));
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

/* ---- challenge, rfc793, reject ------------------------------------------ */

static void
test_challenge (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=challenge: RFC 5961 4.2 / RFC 9293 3.10.7.4, a SYN gets a "
                  "challenge ACK, even above RCV.NXT");
  passive_time_wait (f, TCP_TW_SYN_CHALLENGE);
  fixture_inject (f, SYN, 9000, 0, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "challenge-ack");
  assert_still_time_wait (f);
}

static void
test_rfc793_in_window (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc793: RFC 793 3.9, a SYN in the window: RST, CLOSED");
  passive_time_wait (f, TCP_TW_SYN_RFC793);
  fixture_inject (f, SYN, 5002, 0, NULL);
  /* RFC 9293 3.5.2 form for a segment without ACK (was <SEQ=SND.NXT>
   * <CTL=RST>, which a peer in SYN-SENT drops). */
  fixture_expect_segment (f, RST | ACK, 0, 5003, 0);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_rfc793_rst_acks_syn (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc793: the RST for a SYN in the window is <SEQ=0>"
                  "<ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (RFC 9293 3.5.2), acceptable in SYN-SENT");
  passive_time_wait (f, TCP_TW_SYN_RFC793);
  fixture_inject (f, SYN, 5100, 0, NULL);
  TcpSegment *rst = fixture_expect_segment (f, RST | ACK, 0, 5101, 0);
  /* RFC 9293 3.10.7.3: the peer's SYN-SENT (ISS 5100, SND.NXT 5101)
   * accepts a RST whose ACK satisfies ISS < SEG.ACK =< SND.NXT. */
  g_assert_true (rst->flags & ACK);
  g_assert_cmpuint (rst->ack, ==, 5100 + 1);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_rfc793_out_of_window (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc793: a SYN outside the window is answered with an ACK");
  passive_time_wait (f, TCP_TW_SYN_RFC793);
  fixture_inject (f, SYN, 4000, 0, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  assert_still_time_wait (f);
}

static void
test_reject (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=reject: every SYN is dropped silently");
  passive_time_wait (f, TCP_TW_SYN_REJECT);
  fixture_inject (f, SYN, 9000, 0, NULL);
  fixture_expect_nothing (f);
  assert_still_time_wait (f);
}

/* ---- rfc1122 ------------------------------------------------------------ */

static void
test_rfc1122_reopens (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc1122: RFC 1122 4.2.2.13 / RFC 9293 3.6.1 MAY-2, SEQ > "
                  "RCV.NXT reopens, ISS larger than the old SND.NXT (fixed ISN 1000 -> 1002 + "
                  "65537)");
  guint64 old = passive_time_wait (f, TCP_TW_SYN_RFC1122);
  f->peer_incarnation = 2;
  fixture_inject (f, SYN, 9000, 0, NULL);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "new");
  assert_reopened (f, old, 9000, 1002 + 65537);
}

static void
test_rfc1122_keeps_clock_isn (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc1122: a clock ISN already above the old SND.NXT is kept");
  f->config.isn_kind = TCP_ISN_CLOCK_4US;
  f->config.isn_fixed = 0; /* the clock reads 0 at time 0: A's ISS is 0 */
  guint64 old = passive_time_wait (f, TCP_TW_SYN_RFC1122);
  fixture_advance (f, 1 * SIM_S); /* the clock reads 250000 */
  f->peer_incarnation = 2;
  fixture_inject (f, SYN, 9000, 0, NULL);
  assert_reopened (f, old, 9000, 250000);
}

static void
test_rfc1122_no_listener (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc1122: no LISTEN socket on the port: ACK, the record stays");
  passive_time_wait (f, TCP_TW_SYN_RFC1122);
  tcp_listener_close (f->listener);
  f->listener = NULL;
  fixture_inject (f, SYN, 9000, 0, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  assert_still_time_wait (f);
}

static void
test_rfc1122_below (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc1122: a SYN below RCV.NXT may be an old duplicate: "
                  "RFC 793 rules (out of window: ACK)");
  passive_time_wait (f, TCP_TW_SYN_RFC1122);
  fixture_inject (f, SYN, 4000, 0, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  assert_still_time_wait (f);
}

/* ---- rfc6191 ------------------------------------------------------------ */

static void
test_rfc6191_newer_tsval (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc6191: RFC 6191 2, TSval newer than the last one reopens "
                  "even with SEQ below RCV.NXT");
  guint64 old = passive_time_wait_ts (f, TCP_TW_SYN_RFC6191);
  f->peer_incarnation = 2;
  fixture_inject_ts (f, SYN, 3000, 0, NULL, PEER_TS + 10, 0);
  assert_reopened (f, old, 3000, 1002 + 65537);
}

static void
test_rfc6191_older_tsval (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc6191: RFC 6191 2, an older TSval: silently dropped");
  passive_time_wait_ts (f, TCP_TW_SYN_RFC6191);
  fixture_inject_ts (f, SYN, 9000, 0, NULL, PEER_TS - 10, 0);
  fixture_expect_nothing (f);
  assert_still_time_wait (f);
}

static void
test_rfc6191_equal_tsval_higher_seq (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc6191: RFC 6191 2, equal TSval and SEQ above: reopens");
  guint64 old = passive_time_wait_ts (f, TCP_TW_SYN_RFC6191);
  f->peer_incarnation = 2;
  fixture_inject_ts (f, SYN, 9000, 0, NULL, PEER_TS + 2, 0);
  assert_reopened (f, old, 9000, 1002 + 65537);
}

static void
test_rfc6191_no_ts_before (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc6191: RFC 6191 2, old connection without timestamps, SYN "
                  "with TSopt: reopens; without TSopt and SEQ below: dropped");
  /* Timestamps on here, not negotiated by the old connection (its SYN had
   * no TSopt): the new incarnation would use them. */
  f->config.timestamps = TRUE;
  guint64 old = passive_time_wait (f, TCP_TW_SYN_RFC6191);
  fixture_inject (f, SYN, 3000, 0, NULL);
  fixture_expect_nothing (f);
  assert_still_time_wait (f);
  f->peer_incarnation = 2;
  fixture_inject_ts (f, SYN, 3000, 0, NULL, 1, 0);
  assert_reopened (f, old, 3000, 1002 + 65537);
}

static void
test_rfc6191_tsopt_needs_timestamps_here (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc6191: RFC 6191 2, \"if TCP Timestamps would be enabled "
                  "for the new incarnation\": with timestamps off here a SYN's TSopt does not "
                  "reopen; SEQ below: dropped");
  f->config.timestamps = FALSE;
  passive_time_wait (f, TCP_TW_SYN_RFC6191);
  fixture_inject_ts (f, SYN, 3000, 0, NULL, 1, 0);
  fixture_expect_nothing (f);
  assert_still_time_wait (f);
}

static void
test_rfc6191_seq_at_rcv_nxt (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=rfc6191: RFC 6191 2, SEQ greater than the last sequence number "
                  "seen (the FIN, RCV.NXT - 1): a SYN at RCV.NXT reopens");
  guint64 old = passive_time_wait (f, TCP_TW_SYN_RFC6191);
  f->peer_incarnation = 2;
  fixture_inject (f, SYN, 5002, 0, NULL);
  assert_reopened (f, old, 5002, 1002 + 65537);
}

/* ---- linux -------------------------------------------------------------- */

static void
test_linux_above (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=linux: tcp_timewait_state_process, after(seq, rcv_nxt) "
                  "reopens with ISN = tw_snd_nxt + 65535 + 2");
  guint64 old = passive_time_wait (f, TCP_TW_SYN_LINUX);
  f->peer_incarnation = 2;
  fixture_inject (f, SYN, 9000, 0, NULL);
  assert_reopened (f, old, 9000, 1002 + 65537);
}

static void
test_linux_below_ack_then_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=linux: SYN seq <= rcv_nxt is ACKed; the client in SYN-SENT "
                  "answers RST at RCV.NXT, which assassinates the record; its SYN "
                  "retransmission then opens a connection");
  guint64 old = passive_time_wait (f, TCP_TW_SYN_LINUX);
  f->peer_incarnation = 2;
  fixture_inject (f, SYN, 3000, 0, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  assert_still_time_wait (f);
  /* RFC 9293 3.10.7.3: the client's reply to an unacceptable ACK in
   * SYN-SENT, <SEQ=SEG.ACK><CTL=RST>. */
  fixture_inject (f, RST, 5002, 0, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpstr (fixture_traced_state (f, old), ==, "CLOSED");
  g_assert_cmpuint (fixture_count_events (f, "tcp.assassinated"), ==, 1);
  fixture_advance (f, 1 * SIM_S);
  fixture_inject (f, SYN, 3000, 0, NULL);
  /* Through the listener with the plain generator: fixed ISN 1000 again. */
  fixture_expect_segment (f, SYN | ACK, 1000, 3001, 0);
}

static void
test_linux_below_no_timer_restart (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=linux: an ACKless SYN below rcv_nxt does not restart the "
                  "TIME-WAIT timer");
  f->config.time_wait = 60 * SIM_S;
  passive_time_wait (f, TCP_TW_SYN_LINUX);
  SimTime entered = fixture_now (f);
  fixture_advance (f, 30 * SIM_S);
  fixture_inject (f, SYN, 3000, 0, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_run_until (f, entered + 60 * SIM_S);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_linux_newer_tsval (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=linux: a SYN below rcv_nxt with a newer TSval reopens");
  guint64 old = passive_time_wait_ts (f, TCP_TW_SYN_LINUX);
  f->peer_incarnation = 2;
  fixture_inject_ts (f, SYN, 3000, 0, NULL, PEER_TS + 10, 0);
  assert_reopened (f, old, 3000, 1002 + 65537);
}

static void
test_linux_paws_reject (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=linux: a SYN with an older TSval is PAWS-rejected: ACK, "
                  "timer restarted, even with seq after rcv_nxt");
  passive_time_wait_ts (f, TCP_TW_SYN_LINUX);
  fixture_inject_ts (f, SYN, 9000, 0, NULL, PEER_TS - 10, 0);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  assert_still_time_wait (f);
  g_assert_nonnull (strstr (fixture_last_rule (f), "PAWS"));
}

/* ---- bsd ---------------------------------------------------------------- */

static void
test_bsd_above (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=bsd: FreeBSD tcp_twcheck, SEQ_GT(seq, rcv_nxt) recycles; the "
                  "new ISS is a fresh draw (fixed: 1000 again)");
  guint64 old = passive_time_wait (f, TCP_TW_SYN_BSD);
  f->peer_incarnation = 2;
  fixture_inject (f, SYN, 9000, 0, NULL);
  assert_reopened (f, old, 9000, 1000);
}

static void
test_bsd_below (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=bsd: FreeBSD tcp_twcheck, a SYN not above rcv_nxt has no ACK "
                  "bit: dropped");
  passive_time_wait (f, TCP_TW_SYN_BSD);
  fixture_inject (f, SYN, 4000, 0, NULL);
  fixture_expect_nothing (f);
  assert_still_time_wait (f);
}

static void
test_bsd_no_listener (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait_syn=bsd: the record is closed first; no listener: RST "
                  "(RFC 9293 3.5.2)");
  guint64 old = passive_time_wait (f, TCP_TW_SYN_BSD);
  tcp_listener_close (f->listener);
  f->listener = NULL;
  fixture_inject (f, SYN, 9000, 0, NULL);
  fixture_expect_segment (f, RST | ACK, 0, 9001, 0);
  g_assert_cmpstr (fixture_traced_state (f, old), ==, "CLOSED");
  g_assert_false (tcp_stack_has_time_wait (fixture_stack (f), &f->tuple));
}

/* ---- duration ----------------------------------------------------------- */

static void
test_duration_setting (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("time_wait=DURATION overrides 2 x MSL (Linux TCP_TIMEWAIT_LEN 60 s)");
  f->config.time_wait = 5 * SIM_S;
  fixture_time_wait (f);
  SimTime entered = fixture_now (f);
  fixture_run_until (f, entered + 5 * SIM_S - 1);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  fixture_run_until (f, entered + 5 * SIM_S);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

/* ---- provenance events -------------------------------------------------- */

static void
test_assassinated_event (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("tcp.assassinated: a RST closing TIME-WAIT is reported (RFC 1337 TWA)");
  fixture_time_wait (f);
  fixture_inject (f, RST, 5002, 0, NULL);
  g_assert_cmpuint (fixture_count_events (f, "tcp.assassinated"), ==, 1);
  g_assert_cmpstr (fixture_last_event_text (f, "tcp.assassinated"), ==,
                   "TIME-WAIT assassinated by RST seq=5002 (RFC 1337 TWA; RFC 9293 3.10.7.4 "
                   "closes TIME-WAIT on a valid RST)");
}

static void
test_stale_data_event (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("tcp.stale-data: bytes of another incarnation accepted into the receive "
                  "buffer are reported with the rule (RFC 1337 H1)");
  fixture_established (f);
  f->peer_incarnation = 7;
  fixture_inject (f, ACK, 5001, 1001, "stale");
  fixture_expect_segment (f, ACK, 1001, 5006, 0);
  g_assert_cmpstr (fixture_last_event_text (f, "tcp.stale-data"), ==,
                   "accepted 5 bytes of incarnation #7 into incarnation #1 "
                   "(in window [5001, 15001): RFC 9293 3.10.7.4)");
  f->peer_incarnation = 1;
  fixture_inject (f, ACK, 5006, 1001, "fresh");
  g_assert_cmpuint (fixture_count_events (f, "tcp.stale-data"), ==, 1);
}

static void
test_ack_unsent_event (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("tcp.ack-unsent: an ACK of data never sent, answered with an ACK "
                  "(RFC 9293 3.10.7.4 fifth; RFC 1337 H2)");
  fixture_established (f);
  fixture_inject (f, ACK, 5001, 9999, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  g_assert_cmpuint (fixture_count_events (f, "tcp.ack-unsent"), ==, 1);
}

static void
test_killed_by_stale_event (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("tcp.killed-by-stale: a RST of another incarnation refusing SYN-SENT is "
                  "reported (RFC 1337 H3)");
  fixture_syn_sent (f);
  f->peer_incarnation = 7;
  fixture_inject (f, RST | ACK, 0, 1001, NULL);
  fixture_assert_state (f, TCP_STATE_CLOSED);
  g_assert_cmpuint (fixture_count_events (f, "tcp.killed-by-stale"), ==, 1);
}

static void
test_killed_by_own_not_reported (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("tcp.killed-by-stale: a RST of the same incarnation is not reported");
  fixture_established (f);
  fixture_inject (f, RST, 5001, 0, NULL);
  fixture_assert_state (f, TCP_STATE_CLOSED);
  g_assert_cmpuint (fixture_count_events (f, "tcp.killed-by-stale"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  TCP_TEST ("/tcp/time-wait/challenge/syn-gets-challenge-ack", test_challenge);
  TCP_TEST ("/tcp/time-wait/rfc793/syn-in-window-rst-and-closed", test_rfc793_in_window);
  TCP_TEST ("/tcp/time-wait/rfc793/rst-acks-syn", test_rfc793_rst_acks_syn);
  TCP_TEST ("/tcp/time-wait/rfc793/syn-out-of-window-acked", test_rfc793_out_of_window);
  TCP_TEST ("/tcp/time-wait/reject/syn-dropped", test_reject);
  TCP_TEST ("/tcp/time-wait/rfc1122/syn-above-rcv-nxt-reopens-with-larger-iss",
            test_rfc1122_reopens);
  TCP_TEST ("/tcp/time-wait/rfc1122/clock-isn-above-snd-nxt-kept", test_rfc1122_keeps_clock_isn);
  TCP_TEST ("/tcp/time-wait/rfc1122/no-listener-acked", test_rfc1122_no_listener);
  TCP_TEST ("/tcp/time-wait/rfc1122/syn-below-rcv-nxt-acked", test_rfc1122_below);
  TCP_TEST ("/tcp/time-wait/rfc6191/newer-tsval-reopens", test_rfc6191_newer_tsval);
  TCP_TEST ("/tcp/time-wait/rfc6191/older-tsval-dropped", test_rfc6191_older_tsval);
  TCP_TEST ("/tcp/time-wait/rfc6191/equal-tsval-higher-seq-reopens",
            test_rfc6191_equal_tsval_higher_seq);
  TCP_TEST ("/tcp/time-wait/rfc6191/old-without-timestamps", test_rfc6191_no_ts_before);
  TCP_TEST ("/tcp/time-wait/rfc6191/tsopt-ignored-with-timestamps-off",
            test_rfc6191_tsopt_needs_timestamps_here);
  TCP_TEST ("/tcp/time-wait/rfc6191/syn-at-rcv-nxt-reopens", test_rfc6191_seq_at_rcv_nxt);
  TCP_TEST ("/tcp/time-wait/linux/syn-above-rcv-nxt-reopens-with-isn-plus-65537",
            test_linux_above);
  TCP_TEST ("/tcp/time-wait/linux/syn-below-rcv-nxt-acked-then-rst-assassinates",
            test_linux_below_ack_then_rst);
  TCP_TEST ("/tcp/time-wait/linux/syn-below-rcv-nxt-no-timer-restart",
            test_linux_below_no_timer_restart);
  TCP_TEST ("/tcp/time-wait/linux/newer-tsval-reopens", test_linux_newer_tsval);
  TCP_TEST ("/tcp/time-wait/linux/older-tsval-paws-rejected", test_linux_paws_reject);
  TCP_TEST ("/tcp/time-wait/bsd/syn-above-recycles-with-fresh-isn", test_bsd_above);
  TCP_TEST ("/tcp/time-wait/bsd/syn-below-dropped", test_bsd_below);
  TCP_TEST ("/tcp/time-wait/bsd/no-listener-rst", test_bsd_no_listener);
  TCP_TEST ("/tcp/time-wait/duration-setting-overrides-2msl", test_duration_setting);
  TCP_TEST ("/tcp/provenance/assassinated", test_assassinated_event);
  TCP_TEST ("/tcp/provenance/stale-data-accepted", test_stale_data_event);
  TCP_TEST ("/tcp/provenance/ack-of-unsent-data", test_ack_unsent_event);
  TCP_TEST ("/tcp/provenance/killed-by-stale-rst", test_killed_by_stale_event);
  TCP_TEST ("/tcp/provenance/killed-by-own-incarnation-not-reported",
            test_killed_by_own_not_reported);
  return g_test_run ();
}
