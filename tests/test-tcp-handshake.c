/* test-tcp-handshake.c: opening a connection, RFC 9293 3.5, 3.10.1 and the
 * LISTEN / SYN-SENT / SYN-RECEIVED parts of 3.10.7, plus the replies of a
 * port with no TCB (3.10.7.1). A is 10.0.0.1 with ISS 1000; the peer's ISS
 * is 5000. */
#include "tcp-fixture.h"

#include <string.h>

/* ---- SYN-SENT ------------------------------------------------------------ */

static void
test_active_open_sends_syn (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.1 OPEN: active open sends <SEQ=ISS><CTL=SYN> with an MSS option (3.7.1), SYN-SENT");
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  g_assert_nonnull (f->conn);
  f->conn_id = tcp_conn_id (f->conn);
  TcpSegment *syn = fixture_expect_segment (f, SYN, 1000, 0, 0);
  g_assert_cmpuint (syn->mss, ==, f->config.mss);
  g_assert_cmpuint (syn->mss, >, 0);
  g_assert_cmpuint (syn->window, >, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_SYN_SENT);
  g_assert_cmpuint (f->established, ==, 0);
}

static void
test_syn_sent_syn_ack_established (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.3 SYN-SENT: SYN,ACK with SND.UNA < SEG.ACK =< SND.NXT -> "
                  "ESTABLISHED, send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
  fixture_syn_sent (f);
  fixture_inject (f, SYN | ACK, 5000, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0); /* SND.NXT = ISS + 1 */
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
  g_assert_cmpuint (f->established, ==, 1);
}

static void
test_syn_sent_ack_equals_iss_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.3 SYN-SENT: SEG.ACK =< ISS is unacceptable: send <SEQ=SEG.ACK><CTL=RST>, stay");
  fixture_syn_sent (f);
  fixture_inject (f, SYN | ACK, 5000, 1000, NULL);
  fixture_expect_segment (f, RST, 1000, 0, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_SYN_SENT);
  g_assert_cmpuint (f->established, ==, 0);
}

static void
test_syn_sent_ack_beyond_snd_nxt_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.3 SYN-SENT: SEG.ACK > SND.NXT is unacceptable: send <SEQ=SEG.ACK><CTL=RST>, stay");
  fixture_syn_sent (f);
  fixture_inject (f, SYN | ACK, 5000, 1005, NULL);
  fixture_expect_segment (f, RST, 1005, 0, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_SYN_SENT);
}

static void
test_syn_sent_bad_ack_then_good_syn_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.3 SYN-SENT: after an unacceptable ACK was reset, the real SYN,ACK still opens");
  fixture_syn_sent (f);
  fixture_inject (f, SYN | ACK, 7000, 2000, NULL);
  fixture_expect_segment (f, RST, 2000, 0, 0);
  fixture_inject (f, SYN | ACK, 5000, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_syn_sent_rst_refused (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.3 SYN-SENT: RST with acceptable ACK -> \"connection reset\" "
                  "(refused), CLOSED, delete TCB");
  fixture_syn_sent (f);
  fixture_inject (f, RST | ACK, 0, 1001, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->failed, ==, 1);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_REFUSED);
  g_assert_cmpuint (f->released, ==, 1);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_syn_sent_rst_without_ack_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.3 SYN-SENT: RST without ACK -> drop the segment and return");
  fixture_syn_sent (f);
  fixture_inject (f, RST, 5000, 0, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->failed, ==, 0);
  fixture_assert_state (f, TCP_STATE_SYN_SENT);
}

static void
test_syn_sent_rst_bad_ack_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.3 SYN-SENT: RST with unacceptable ACK -> drop (no RST answers a RST)");
  fixture_syn_sent (f);
  fixture_inject (f, RST | ACK, 0, 1005, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->failed, ==, 0);
  fixture_assert_state (f, TCP_STATE_SYN_SENT);
}

static void
test_syn_sent_close_deletes_tcb (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.4 CLOSE in SYN-SENT: delete the TCB, nothing is sent");
  fixture_syn_sent (f);
  tcp_conn_close (f->conn);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

/* ---- simultaneous open --------------------------------------------------- */

static void
test_simultaneous_open_syn_received (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.3 SYN-SENT: SYN without ACK -> SYN-RECEIVED, "
                  "send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> (MUST-10)");
  fixture_syn_sent (f);
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_SYN_RECEIVED);
  g_assert_cmpuint (f->established, ==, 0);
}

static void
test_simultaneous_open_ack_established (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 SYN-RECEIVED: ACK of our SYN (SND.UNA < SEG.ACK =< SND.NXT) -> ESTABLISHED");
  fixture_syn_sent (f);
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  fixture_inject (f, ACK, 5001, 1001, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
  g_assert_cmpuint (f->established, ==, 1);
}

/* The crossing SYN,ACK of a simultaneous open (RFC 9293 3.5, Figure 7 line
 * 6): <SEQ=IRS><ACK=ISS+1><CTL=SYN,ACK> reaches A in SYN-RECEIVED with
 * SEG.SEQ = RCV.NXT - 1. */
static void
test_simultaneous_open_crossing_synack_rfc (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 first (Appendix A.2): the crossing SYN,ACK of a simultaneous "
                  "open has SEG.SEQ = RCV.NXT - 1, is unacceptable and answered with "
                  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; SYN-RECEIVED until the peer's ACK");
  g_assert_false (f->config.simultaneous_open_synack); /* the RFC default */
  fixture_syn_sent (f);
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  fixture_inject (f, SYN | ACK, 5000, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_expect_nothing (f);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "ack");
  g_assert_nonnull (strstr (fixture_last_rule (f), "outside RCV.WND"));
  fixture_assert_state (f, TCP_STATE_SYN_RECEIVED);
  g_assert_cmpuint (f->established, ==, 0);
  /* The peer's ACK (its answer to our SYN,ACK) completes it, one trip later. */
  fixture_inject (f, ACK, 5001, 1001, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
  g_assert_cmpuint (f->established, ==, 1);
}

static void
test_simultaneous_open_crossing_synack_linux (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("simultaneous_open_synack (Linux tcp_validate_incoming): the crossing SYN,ACK "
                  "(SEG.SEQ + 1 = RCV.NXT, SEG.LEN = 1, SEG.ACK = SND.NXT) is accepted and its ACK "
                  "processed: ESTABLISHED at once, no ACK, challenge ACK or RST");
  f->config.simultaneous_open_synack = TRUE;
  fixture_syn_sent (f);
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  fixture_inject (f, SYN | ACK, 5000, 1001, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "accepted");
  g_assert_nonnull (strstr (fixture_last_rule (f), "crossing SYN,ACK of a simultaneous open: "
                                                   "Linux tcp_validate_incoming waives RFC 9293 "
                                                   "3.10.7.4 (Appendix A.2)"));
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
  g_assert_cmpuint (f->established, ==, 1);
  g_assert_cmpuint (fixture_count_events (f, "tcp.killed-by-stale"), ==, 0);
  /* SND.UNA moved past our SYN: the first byte goes out at ISS + 1, and
   * nothing is retransmitted when the RTO would have fired. */
  g_assert_cmpuint (tcp_conn_send (f->conn, (const guint8 *) "hi", 2), ==, 2);
  fixture_expect_segment (f, ACK, 1001, 5001, 2);
  fixture_inject (f, ACK, 5001, 1003, NULL);
  fixture_advance (f, 5 * SIM_S);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_simultaneous_open_crossing_synack_linux_guards (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("simultaneous_open_synack: only SEG.ACK = SND.NXT and SEG.LEN = 1 qualify; "
                  "another SYN,ACK at IRS is unacceptable as in RFC 9293 3.10.7.4 (ACK sent)");
  f->config.simultaneous_open_synack = TRUE;
  fixture_syn_sent (f);
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  /* SEG.ACK = SND.UNA, not SND.NXT (Linux: ack_seq != snd_nxt). */
  fixture_inject (f, SYN | ACK, 5000, 1000, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_assert_state (f, TCP_STATE_SYN_RECEIVED);
  /* With text, SEG.LEN = 3 (Linux: seq + 1 != end_seq): the SYN part is
   * old, the text in window; the SYN bit draws the challenge ACK. */
  fixture_inject (f, SYN | ACK, 5000, 1001, "ab");
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "challenge-ack");
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_SYN_RECEIVED);
  g_assert_cmpuint (f->established, ==, 0);
}

static void
test_syn_received_active_rst_refused (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 SYN-RECEIVED (from active OPEN): valid RST -> "
                  "\"connection refused\", CLOSED");
  fixture_syn_sent (f);
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  fixture_inject (f, RST, 5001, 0, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->failed, ==, 1);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_REFUSED);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

/* ---- LISTEN --------------------------------------------------------------- */

static void
test_listen_syn_creates_child (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.2 LISTEN: SYN -> RCV.NXT = SEG.SEQ + 1, "
                  "send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, SYN-RECEIVED");
  fixture_listen (f, 8);
  fixture_inject (f, SYN, 5000, 0, NULL);
  TcpSegment *synack = fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  g_assert_cmpuint (synack->mss, >, 0);
  fixture_expect_nothing (f);
  f->conn_id = f->newest_conn_id;
  fixture_assert_state (f, TCP_STATE_SYN_RECEIVED);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 0);
  g_assert_null (tcp_listener_accept (f->listener));
}

static void
test_listen_ack_completes_accept (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 SYN-RECEIVED: ACK of the SYN -> ESTABLISHED; "
                  "the connection waits in the accept queue");
  fixture_syn_received_passive (f);
  fixture_inject (f, ACK, 5001, 1001, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->acceptable, ==, 1);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 1);
  TcpConn *conn = tcp_listener_accept (f->listener);
  g_assert_nonnull (conn);
  g_assert_cmpint (tcp_conn_state (conn), ==, TCP_STATE_ESTABLISHED);
  g_assert_true (net_four_tuple_equal (tcp_conn_tuple (conn), &f->tuple));
  g_assert_cmpuint (tcp_conn_id (conn), ==, f->conn_id);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 0);
}

static void
test_listen_accepted_conn_exchanges_data (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.2 SEND after passive open: first byte at ISS + 1");
  fixture_established_passive (f);
  g_assert_cmpuint (tcp_conn_send (f->conn, (const guint8 *) "hi", 2), ==, 2);
  fixture_expect_segment (f, ACK, 1001, 5001, 2);
  fixture_inject (f, ACK, 5001, 1003, "yo");
  fixture_expect_segment (f, ACK, 1003, 5003, 0);
  g_autofree char *got = fixture_receive (f, 10);
  g_assert_cmpstr (got, ==, "yo");
}

static void
test_listen_rst_ignored (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.2 LISTEN: an incoming RST is ignored");
  fixture_listen (f, 8);
  fixture_inject (f, RST, 5000, 0, NULL);
  fixture_inject (f, RST | ACK, 5000, 1001, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 0);
  /* Still listening. */
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
}

static void
test_listen_ack_answered_with_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.2 LISTEN: any ACK-bearing segment -> <SEQ=SEG.ACK><CTL=RST>");
  fixture_listen (f, 8);
  fixture_inject (f, ACK, 5001, 3000, NULL);
  fixture_expect_segment (f, RST, 3000, 0, 0);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 0);
}

static void
test_listen_backlog_full_syn_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux sk_acceptq_is_full (queue > backlog): backlog 1 queues two "
                  "connections, then a new SYN is dropped");
  fixture_listen (f, 1);
  fixture_established_passive (f); /* reuses the listener; accept empties the queue */
  /* Linux's rule, not ">= backlog counting SYN-RECEIVED children" (the old
   * model's): listen (s, 1) takes two established connections. */
  for (guint i = 0; i < 2; i++)
    {
      fixture_use_passive_tuple (f, (guint16) (5556 + i));
      fixture_inject (f, SYN, 8000, 0, NULL);
      fixture_expect_segment (f, SYN | ACK, 1000, 8001, 0);
      fixture_inject (f, ACK, 8001, 1001, NULL);
      fixture_expect_nothing (f);
      g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, i + 1);
    }
  /* The queue now holds two connections: 2 > backlog 1 is full. */
  fixture_use_passive_tuple (f, 5558);
  fixture_inject (f, SYN, 9000, 0, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "dropped");
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 2);
}

static void
test_listen_backlog_syn_queue_separate (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux: SYN-RECEIVED children do not count against the backlog; a third ACK "
                  "that finds the accept queue full is dropped (tcp_check_req listen_overflow) "
                  "and the child stays in SYN-RECEIVED");
  fixture_listen (f, 0);
  /* Two SYNs with backlog 0: both answered (the SYN queue is separate). */
  fixture_use_passive_tuple (f, 5601);
  fixture_inject (f, SYN, 8000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 8001, 0);
  fixture_use_passive_tuple (f, 5602);
  fixture_inject (f, SYN, 9000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 9001, 0);
  /* backlog 0 still queues one established connection (0 is not > 0). */
  fixture_use_passive_tuple (f, 5601);
  fixture_inject (f, ACK, 8001, 1001, NULL);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 1);
  /* Now 1 > 0: the second child's ACK is dropped, it stays SYN-RECEIVED. */
  fixture_use_passive_tuple (f, 5602);
  fixture_inject (f, ACK, 9001, 1001, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "dropped");
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 1);
  g_assert_cmpint (tcp_conn_state (tcp_stack_find_conn (fixture_stack (f), &f->tuple)), ==,
                   TCP_STATE_SYN_RECEIVED);
  /* Once accept() makes room, the retransmitted ACK completes it. */
  g_assert_nonnull (tcp_listener_accept (f->listener));
  fixture_inject (f, ACK, 9001, 1001, NULL);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 1);
}

static void
test_syn_received_rst_back_to_listen (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 SYN-RECEIVED (from passive OPEN): valid RST -> "
                  "return to LISTEN (the child is deleted, the listener stays)");
  fixture_syn_received_passive (f);
  fixture_inject (f, RST, 5001, 0, NULL);
  fixture_expect_nothing (f);
  /* The child TCB is gone; its trace may say CLOSED or (literally) LISTEN. */
  g_assert_null (tcp_stack_find_conn (fixture_stack (f), &f->tuple));
  g_assert_false (tcp_stack_has_time_wait (fixture_stack (f), &f->tuple));
  const char *child = fixture_traced_state (f, f->conn_id);
  g_assert_nonnull (child);
  if (g_strcmp0 (child, "LISTEN") != 0)
    g_assert_cmpstr (child, ==, "CLOSED");
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 0);
  g_assert_cmpuint (f->acceptable, ==, 0);
  /* The listener still answers a new SYN on the same 4-tuple. */
  fixture_inject (f, SYN, 7000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 7001, 0);
}

static void
test_syn_received_bad_ack_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 SYN-RECEIVED: unacceptable ACK -> <SEQ=SEG.ACK><CTL=RST>, stay");
  fixture_syn_received_passive (f);
  fixture_inject (f, ACK, 5001, 3000, NULL);
  fixture_expect_segment (f, RST, 3000, 0, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_SYN_RECEIVED);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 0);
}

/* ---- CLOSED (no TCB, no listener) ----------------------------------------- */

static void
use_closed_port (TcpFixture *f)
{
  fixture_stack (f);
  f->tuple.local.ip = FIX_A_IP;
  f->tuple.local.port = 81;
  f->tuple.remote.ip = FIX_B_IP;
  f->tuple.remote.port = 6000;
}

static void
test_closed_ack_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.1 CLOSED: ACK bit on -> <SEQ=SEG.ACK><CTL=RST>");
  use_closed_port (f);
  fixture_inject (f, ACK, 5001, 3000, "data");
  fixture_expect_segment (f, RST, 3000, 0, 0);
  fixture_expect_nothing (f);
}

static void
test_closed_syn_rst_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.1 CLOSED: ACK bit off -> <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (SYN counts 1)");
  use_closed_port (f);
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, RST | ACK, 0, 5001, 0);
  fixture_expect_nothing (f);
}

static void
test_closed_data_without_ack_rst_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.1 CLOSED: ACK off, 5 data octets + FIN -> <SEQ=0><ACK=SEG.SEQ+6><CTL=RST,ACK>");
  use_closed_port (f);
  fixture_inject (f, FIN, 5001, 0, "hello");
  fixture_expect_segment (f, RST | ACK, 0, 5007, 0);
  fixture_expect_nothing (f);
}

static void
test_closed_rst_not_answered (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.1 CLOSED: an incoming RST is discarded, never answered with RST");
  use_closed_port (f);
  fixture_inject (f, RST, 5000, 0, NULL);
  fixture_inject (f, RST | ACK, 5000, 1000, NULL);
  fixture_expect_nothing (f);
}

static void
test_listener_other_port_gets_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.1: a listener on port 80 does not take a SYN for port 81");
  fixture_listen (f, 8);
  use_closed_port (f);
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, RST | ACK, 0, 5001, 0);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 0);
}

static void
test_syn_sent_ack_without_syn_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.3 SYN-SENT: neither SYN nor RST set (acceptable ACK) -> drop the segment");
  fixture_syn_sent (f);
  fixture_inject (f, ACK, 5001, 1001, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_SYN_SENT);
  g_assert_cmpuint (f->established, ==, 0);
}

static void
test_no_mss_option_default_536 (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.7.1 (MUST-15): without an MSS option in the SYN, assume a send MSS of 536");
  f->peer_mss = 0;
  fixture_established (f);
  guint8 bytes[1000] = { 0 };
  g_assert_cmpuint (tcp_conn_send (f->conn, bytes, sizeof bytes), ==, sizeof bytes);
  fixture_expect_segment (f, ACK, 1001, 5001, 536);
}

static void
test_isn_clock_ticks_every_4us (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.4.1 (MUST-8): the ISN clock ticks every 4 us: two opens 4 ms apart get "
                  "ISNs 1000 apart");
  f->config.isn_kind = TCP_ISN_CLOCK_4US;
  fixture_run_until (f, 10 * SIM_MS);
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  TcpSegment *first = fixture_pop (f);
  tcp_conn_abort (f->conn);
  fixture_run_until (f, 14 * SIM_MS);
  f->tuple.local.port++;
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  TcpSegment *second = fixture_pop (f);
  g_assert_true (tcp_segment_has (second, TCP_FLAG_SYN));
  g_assert_cmpuint ((guint32) (second->seq - first->seq), ==, 1000);
}

static void
test_reopen_new_incarnation (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Provenance: a second connection on the same 4-tuple is incarnation 2 with a new "
                  "conn id; its segments say so");
  fixture_established (f);
  guint64 first_id = f->conn_id;
  g_assert_cmpuint (tcp_conn_incarnation (f->conn), ==, 1);
  tcp_conn_abort (f->conn);
  fixture_expect_segment (f, RST, 1001, 0, 0);
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  g_assert_nonnull (f->conn);
  g_assert_cmpuint (tcp_conn_incarnation (f->conn), ==, 2);
  g_assert_cmpuint (tcp_conn_id (f->conn), !=, first_id);
  TcpSegment *syn = fixture_expect_segment (f, SYN, 1000, 0, 0);
  g_assert_cmpuint (syn->incarnation, ==, 2);
  g_assert_cmpuint (syn->conn_id, ==, tcp_conn_id (f->conn));
}

static void
test_syn_received_ack_with_data (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 SYN-RECEIVED: the ACK of our SYN may carry text; ESTABLISHED, "
                  "then the text is processed");
  fixture_syn_received_passive (f);
  fixture_inject (f, ACK, 5001, 1001, "hello");
  fixture_expect_segment (f, ACK, 1001, 5006, 0);
  f->conn = tcp_listener_accept (f->listener);
  g_assert_nonnull (f->conn);
  tcp_conn_set_callbacks (f->conn, &fixture_conn_callbacks, f);
  g_autofree char *got = fixture_receive (f, 100);
  g_assert_cmpstr (got, ==, "hello");
}

static void
test_syn_received_fin_close_wait (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 SYN-RECEIVED: ACK of the SYN together with FIN -> ESTABLISHED, "
                  "then CLOSE-WAIT; ACK the FIN");
  fixture_syn_received_passive (f);
  fixture_inject (f, FIN | ACK, 5001, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5002, 0);
  fixture_assert_state (f, TCP_STATE_CLOSE_WAIT);
  f->conn = tcp_listener_accept (f->listener);
  g_assert_nonnull (f->conn);
  tcp_conn_set_callbacks (f->conn, &fixture_conn_callbacks, f);
  g_assert_true (tcp_conn_at_eof (f->conn));
}

static void
test_syn_received_close_sends_fin (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.4 CLOSE in SYN-RECEIVED: no pending data -> send FIN, FIN-WAIT-1");
  fixture_syn_sent (f);
  fixture_inject (f, SYN, 5000, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, 1001, 5001, 0);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_1);
}

static void
test_listen_segment_without_syn_or_ack_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.2 LISTEN: any other text or control without ACK or SYN -> drop");
  fixture_listen (f, 8);
  fixture_inject (f, FIN, 5001, 0, "data");
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 0);
}

static void
test_listener_close_resets_unaccepted (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("tcp.h / Linux inet_csk_listen_stop: closing a listener resets connections not yet "
                  "accepted (<SEQ=SND.NXT><CTL=RST>, RFC 9293 3.10.5)");
  fixture_syn_received_passive (f);
  fixture_inject (f, ACK, 5001, 1001, NULL);
  g_assert_cmpuint (tcp_listener_queue_length (f->listener), ==, 1);
  tcp_listener_close (f->listener);
  f->listener = NULL;
  TcpSegment *rst = fixture_pop (f);
  g_assert_true (tcp_segment_has (rst, TCP_FLAG_RST));
  g_assert_cmpuint (rst->seq, ==, 1001);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
  /* Port 80 is now closed: a SYN gets <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>. */
  fixture_use_passive_tuple (f, 5556);
  fixture_inject (f, SYN, 7000, 0, NULL);
  fixture_expect_segment (f, RST | ACK, 0, 7001, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TCP_TEST ("/tcp/syn-sent/active-open-sends-syn-with-iss-and-mss", test_active_open_sends_syn);
  TCP_TEST ("/tcp/syn-sent/syn-ack-acceptable-ack-established", test_syn_sent_syn_ack_established);
  TCP_TEST ("/tcp/syn-sent/ack-equals-iss-rst", test_syn_sent_ack_equals_iss_rst);
  TCP_TEST ("/tcp/syn-sent/ack-beyond-snd-nxt-rst", test_syn_sent_ack_beyond_snd_nxt_rst);
  TCP_TEST ("/tcp/syn-sent/bad-ack-then-good-syn-ack-established", test_syn_sent_bad_ack_then_good_syn_ack);
  TCP_TEST ("/tcp/syn-sent/rst-acceptable-ack-refused", test_syn_sent_rst_refused);
  TCP_TEST ("/tcp/syn-sent/rst-without-ack-dropped", test_syn_sent_rst_without_ack_dropped);
  TCP_TEST ("/tcp/syn-sent/rst-unacceptable-ack-dropped", test_syn_sent_rst_bad_ack_dropped);
  TCP_TEST ("/tcp/syn-sent/close-deletes-tcb", test_syn_sent_close_deletes_tcb);
  TCP_TEST ("/tcp/syn-sent/simultaneous-open-syn-received", test_simultaneous_open_syn_received);
  TCP_TEST ("/tcp/syn-received/simultaneous-open-ack-established", test_simultaneous_open_ack_established);
  TCP_TEST ("/tcp/syn-received/simultaneous-open-crossing-synack-rfc-acked",
            test_simultaneous_open_crossing_synack_rfc);
  TCP_TEST ("/tcp/syn-received/simultaneous-open-crossing-synack-linux-established",
            test_simultaneous_open_crossing_synack_linux);
  TCP_TEST ("/tcp/syn-received/simultaneous-open-crossing-synack-linux-guards",
            test_simultaneous_open_crossing_synack_linux_guards);
  TCP_TEST ("/tcp/syn-received/active-rst-refused", test_syn_received_active_rst_refused);
  TCP_TEST ("/tcp/listen/syn-creates-syn-received-child", test_listen_syn_creates_child);
  TCP_TEST ("/tcp/listen/ack-completes-and-queues-for-accept", test_listen_ack_completes_accept);
  TCP_TEST ("/tcp/listen/accepted-conn-exchanges-data", test_listen_accepted_conn_exchanges_data);
  TCP_TEST ("/tcp/listen/rst-ignored", test_listen_rst_ignored);
  TCP_TEST ("/tcp/listen/ack-answered-with-rst", test_listen_ack_answered_with_rst);
  TCP_TEST ("/tcp/listen/backlog-full-syn-dropped", test_listen_backlog_full_syn_dropped);
  TCP_TEST ("/tcp/listen/backlog-syn-queue-separate", test_listen_backlog_syn_queue_separate);
  TCP_TEST ("/tcp/syn-received/rst-back-to-listen", test_syn_received_rst_back_to_listen);
  TCP_TEST ("/tcp/syn-received/bad-ack-rst", test_syn_received_bad_ack_rst);
  TCP_TEST ("/tcp/closed/ack-answered-with-rst-seq-seg-ack", test_closed_ack_rst);
  TCP_TEST ("/tcp/closed/syn-answered-with-rst-ack", test_closed_syn_rst_ack);
  TCP_TEST ("/tcp/closed/data-fin-without-ack-rst-ack-covers-seg-len", test_closed_data_without_ack_rst_ack);
  TCP_TEST ("/tcp/closed/rst-not-answered", test_closed_rst_not_answered);
  TCP_TEST ("/tcp/closed/listener-on-other-port-does-not-answer", test_listener_other_port_gets_rst);
  TCP_TEST ("/tcp/syn-sent/ack-without-syn-dropped", test_syn_sent_ack_without_syn_dropped);
  TCP_TEST ("/tcp/syn-sent/no-mss-option-default-536", test_no_mss_option_default_536);
  TCP_TEST ("/tcp/syn-sent/isn-clock-ticks-every-4us", test_isn_clock_ticks_every_4us);
  TCP_TEST ("/tcp/syn-sent/reopen-is-new-incarnation", test_reopen_new_incarnation);
  TCP_TEST ("/tcp/syn-received/ack-with-data-delivered", test_syn_received_ack_with_data);
  TCP_TEST ("/tcp/syn-received/ack-with-fin-close-wait", test_syn_received_fin_close_wait);
  TCP_TEST ("/tcp/syn-received/close-sends-fin", test_syn_received_close_sends_fin);
  TCP_TEST ("/tcp/listen/segment-without-syn-or-ack-dropped", test_listen_segment_without_syn_or_ack_dropped);
  TCP_TEST ("/tcp/listen/close-resets-unaccepted", test_listener_close_resets_unaccepted);

  return g_test_run ();
}
