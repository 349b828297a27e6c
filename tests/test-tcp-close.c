/* test-tcp-close.c: closing a connection, RFC 9293 3.6, 3.10.4 CLOSE,
 * 3.10.5 ABORT and the FIN processing of 3.10.7.4 (Figure 5). A has ISS 1000
 * (SND.NXT 1001 once established), the peer ISS 5000 (RCV.NXT 5001). */
#include "tcp-fixture.h"

/* ---- ESTABLISHED ---------------------------------------------------------- */

static void
test_established_close_sends_fin (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.4 CLOSE in ESTABLISHED: form a FIN segment and send it, FIN-WAIT-1");
  fixture_established (f);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, 1001, 5001, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_1);
}

static void
test_established_close_fin_after_queued_data (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.4 CLOSE in ESTABLISHED: queue the FIN until all preceding SENDs "
                  "have been segmentized");
  f->peer_window = 3; /* the peer's window holds back part of the data */
  fixture_established (f);
  g_assert_cmpuint (tcp_conn_send (f->conn, (const guint8 *) "hello", 5), ==, 5);
  fixture_expect_segment (f, ACK, 1001, 5001, 3);
  tcp_conn_close (f->conn);
  fixture_expect_nothing (f); /* "lo" is still queued: no FIN yet */
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_1);
  f->peer_window = 100;
  fixture_inject (f, ACK, 5001, 1004, NULL);
  TcpSegment *seg = fixture_pop (f);
  g_assert_cmpuint (seg->seq, ==, 1004);
  g_assert_cmpuint (tcp_segment_payload_len (seg), ==, 2);
  if (!tcp_segment_has (seg, TCP_FLAG_FIN))
    fixture_expect_segment (f, FIN | ACK, 1006, 5001, 0); /* FIN follows the data */
  fixture_expect_nothing (f);
}

static void
test_established_fin_close_wait (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 ESTABLISHED: FIN -> advance RCV.NXT over it, ACK, "
                  "signal \"connection closing\", CLOSE-WAIT");
  fixture_established (f);
  fixture_inject (f, FIN | ACK, 5001, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSE_WAIT);
  g_assert_cmpuint (f->readable, >=, 1);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 0);
  g_assert_true (tcp_conn_at_eof (f->conn));
}

static void
test_established_data_fin_eof_after_reading (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 ESTABLISHED: data + FIN; end of stream only after the data is read");
  fixture_established (f);
  fixture_inject (f, FIN | ACK, 5001, 1001, "bye");
  fixture_expect_segment (f, ACK, 1001, 5005, 0); /* 3 octets + FIN */
  fixture_assert_state (f, TCP_STATE_CLOSE_WAIT);
  g_assert_false (tcp_conn_at_eof (f->conn));
  g_autofree char *got = fixture_receive (f, 100);
  g_assert_cmpstr (got, ==, "bye");
  g_assert_true (tcp_conn_at_eof (f->conn));
}

static void
test_established_out_of_order_fin_waits (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4: a FIN beyond a gap is not processed until the gap is filled");
  fixture_established (f);
  fixture_inject (f, FIN | ACK, 5006, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
  fixture_inject (f, ACK, 5001, 1001, "hello");
  fixture_expect_segment (f, ACK, 1001, 5007, 0);
  fixture_assert_state (f, TCP_STATE_CLOSE_WAIT);
}

/* ---- FIN-WAIT-1, FIN-WAIT-2, CLOSING -------------------------------------- */

static void
test_fin_wait_1_ack_of_fin (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-1: our FIN is now acknowledged -> FIN-WAIT-2");
  fixture_fin_wait_1 (f);
  fixture_inject (f, ACK, 5001, 1002, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_2);
}

static void
test_fin_wait_1_ack_of_fin_fin_trimmed (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-1: our FIN acknowledged by a segment whose own "
                  "FIN the window trimmed away -> FIN-WAIT-2 (not TIME-WAIT, not FIN-WAIT-1)");
  f->config.rcv_buffer = 6;
  fixture_established (f);
  fixture_inject (f, ACK, 5001, 1001, "abcd");
  fixture_expect_segment (f, ACK, 1001, 5005, 0); /* RCV.WND is now 2 */
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, 1001, 5005, 0);
  fixture_inject (f, FIN | ACK, 5005, 1002, "efgh");
  /* "ef" fits, "gh" and the FIN do not. */
  fixture_expect_segment (f, ACK, 1002, 5007, 0);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_2);
}

static void
test_fin_wait_1_old_ack_stays (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-1: an ACK that does not cover the FIN leaves us in FIN-WAIT-1");
  fixture_fin_wait_1 (f);
  fixture_inject (f, ACK, 5001, 1001, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_1);
}

static void
test_fin_wait_1_fin_ack_time_wait (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-1: FIN that also ACKs our FIN -> TIME-WAIT (Figure 5 note 2)");
  fixture_fin_wait_1 (f);
  fixture_inject (f, FIN | ACK, 5001, 1002, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  g_assert_cmpuint (f->released, ==, 1);
}

static void
test_fin_wait_1_fin_closing (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-1: FIN while our FIN is unacknowledged -> ACK it, CLOSING");
  fixture_fin_wait_1 (f);
  fixture_inject (f, FIN | ACK, 5001, 1001, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSING);
}

static void
test_closing_ack_time_wait (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 CLOSING: ACK of our FIN -> TIME-WAIT");
  fixture_closing (f);
  fixture_inject (f, ACK, 5002, 1002, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

static void
test_fin_wait_2_fin_time_wait (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-2: FIN -> ACK it, TIME-WAIT, the TCB becomes a record");
  fixture_fin_wait_2 (f);
  fixture_inject (f, FIN | ACK, 5001, 1002, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
  g_assert_cmpuint (f->released, ==, 1);
  g_assert_cmpuint (f->failed, ==, 0);
  g_assert_cmpuint (tcp_stack_time_wait_count (fixture_stack (f)), ==, 1);
}

/* ---- CLOSE-WAIT, LAST-ACK -------------------------------------------------- */

static void
test_close_wait_close_last_ack (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.4 CLOSE in CLOSE-WAIT: send FIN, LAST-ACK");
  fixture_close_wait (f);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, 1001, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_LAST_ACK);
}

static void
test_close_wait_can_still_send (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.2 SEND in CLOSE-WAIT: data may still be sent");
  fixture_close_wait (f);
  g_assert_cmpuint (tcp_conn_send (f->conn, (const guint8 *) "late", 4), ==, 4);
  fixture_expect_segment (f, ACK, 1001, 5002, 4);
}

static void
test_last_ack_ack_closed (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 LAST-ACK: ACK of our FIN -> delete the TCB, CLOSED, no TIME-WAIT");
  fixture_last_ack (f);
  fixture_inject (f, ACK, 5002, 1002, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
  g_assert_cmpuint (f->released, ==, 1);
  g_assert_cmpuint (f->failed, ==, 0);
}

static void
test_last_ack_old_ack_stays (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 LAST-ACK: an ACK that does not cover the FIN leaves us in LAST-ACK");
  fixture_last_ack (f);
  fixture_inject (f, ACK, 5002, 1001, NULL);
  fixture_assert_state (f, TCP_STATE_LAST_ACK);
}

static void
test_simultaneous_close (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.6 case 3 (Figure 13): both close at once -> CLOSING -> TIME-WAIT");
  fixture_fin_wait_1 (f);
  fixture_inject (f, FIN | ACK, 5001, 1001, NULL);    /* the peer's FIN, sent before ours arrived */
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_inject (f, ACK, 5002, 1002, NULL);          /* the peer's ACK of our FIN */
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

/* ---- ABORT ----------------------------------------------------------------- */

static void
test_established_abort_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.5 ABORT in ESTABLISHED: send <SEQ=SND.NXT><CTL=RST>, CLOSED, no TIME-WAIT");
  fixture_established (f);
  g_assert_cmpuint (tcp_conn_send (f->conn, (const guint8 *) "abc", 3), ==, 3);
  fixture_expect_segment (f, ACK, 1001, 5001, 3);
  tcp_conn_abort (f->conn);
  g_assert_null (f->conn); /* `released` fired before abort returned */
  fixture_expect_segment (f, RST, 1004, 0, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
  g_assert_false (tcp_stack_has_time_wait (fixture_stack (f), &f->tuple));
  g_assert_cmpuint (tcp_stack_time_wait_count (fixture_stack (f)), ==, 0);
}

static void
test_close_wait_abort_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.5 ABORT in CLOSE-WAIT: send <SEQ=SND.NXT><CTL=RST>, CLOSED");
  fixture_close_wait (f);
  tcp_conn_abort (f->conn);
  fixture_expect_segment (f, RST, 1001, 0, 0);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_fin_wait_1_abort_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.5 ABORT in FIN-WAIT-1: send <SEQ=SND.NXT><CTL=RST>, no TIME-WAIT");
  fixture_fin_wait_1 (f);
  tcp_conn_abort (f->conn);
  fixture_expect_segment (f, RST, 1002, 0, 0);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_syn_sent_abort_no_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.5 ABORT in SYN-SENT: delete the TCB, no RST is sent");
  fixture_syn_sent (f);
  tcp_conn_abort (f->conn);
  g_assert_null (f->conn);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_last_ack_abort_no_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.5 ABORT in LAST-ACK: respond \"ok\", delete the TCB (no RST)");
  fixture_last_ack (f);
  tcp_conn_abort (f->conn);
  g_assert_null (f->conn);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_orphan_fin_wait_2_data_rst (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_rcv_state_process: orphaned FIN-WAIT-2 receiving new data -> RST, CLOSED");
  fixture_fin_wait_2 (f);
  TcpConn *conn = f->conn;
  tcp_conn_orphan (conn);
  fixture_inject (f, ACK, 5001, 1002, "late");
  TcpSegment *rst = fixture_pop (f);
  g_assert_true (tcp_segment_has (rst, TCP_FLAG_RST));
  g_assert_cmpuint (rst->seq, ==, 1002);
  fixture_expect_nothing (f);
  f->conn = NULL; /* orphaned: no callbacks any more, the pointer is gone */
  fixture_assert_state (f, TCP_STATE_CLOSED);
}

static void
test_close_wait_data_after_fin_ignored (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 \"Seventh\" CLOSE-WAIT: text after the peer's FIN should not occur; "
                  "ignore it");
  fixture_close_wait (f);
  fixture_inject (f, ACK, 5002, 1001, "ghost");
  while (fixture_sent_count (f) > 0) /* an ACK is allowed, data is not */
    g_assert_cmpuint (tcp_segment_payload_len (fixture_pop (f)), ==, 0);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 0);
  g_assert_true (tcp_conn_at_eof (f->conn));
  fixture_assert_state (f, TCP_STATE_CLOSE_WAIT);
}

static void
test_close_wait_retransmitted_fin_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 CLOSE-WAIT: a retransmitted FIN is old -> "
                  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
  fixture_close_wait (f);
  fixture_inject (f, FIN | ACK, 5001, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSE_WAIT);
}

static void
test_last_ack_retransmitted_fin_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 LAST-ACK: a retransmitted FIN from the peer -> "
                  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, still LAST-ACK");
  fixture_last_ack (f);
  fixture_inject (f, FIN | ACK, 5001, 1001, NULL);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_LAST_ACK);
}

/* The peer closes its window, then A closes: FIN,ACK 1001 goes out into
 * the zero window; the peer drops it and ACKs 1001 with window 0. */
static void
fin_into_zero_window (TcpFixture *f)
{
  fixture_established (f);
  f->peer_window = 0;
  fixture_inject (f, ACK, 5001, 1001, NULL);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, 1001, 5001, 0);
  fixture_inject (f, ACK, 5001, 1001, NULL);
  fixture_expect_nothing (f);
}

/* Runs `minutes` of virtual time; `answer`: the peer ACKs every FIN A
 * sends with window 0. Returns how many FINs A sent. */
static guint
fin_probes_for (TcpFixture *f, guint minutes, gboolean answer)
{
  guint fins = 0;
  for (guint m = 0; m < minutes && f->conn != NULL; m++)
    {
      fixture_advance (f, 60 * SIM_S);
      while (fixture_sent_count (f) > 0)
        {
          TcpSegment *seg = fixture_pop (f);
          g_assert_true (tcp_segment_has (seg, TCP_FLAG_FIN));
          g_assert_cmpuint (seg->seq, ==, 1001);
          fins++;
          if (answer)
            fixture_inject (f, ACK, 5001, 1001, NULL);
        }
    }
  return fins;
}

static void
test_fin_zero_window_persists (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.8.6.1 (MUST-36), RFC 1122 4.2.2.17: a FIN sent into a zero window is "
                  "probed as long as the receiver ACKs; those probes are not retransmission failures");
  fin_into_zero_window (f);
  /* Far beyond data_retries (15) x rto_max (60 s). */
  guint fins = fin_probes_for (f, 60, TRUE);
  g_assert_cmpuint (fins, >, f->config.data_retries);
  g_assert_cmpuint (f->failed, ==, 0);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_1);
  /* The window opens: the FIN goes out at once and is acknowledged. */
  f->peer_window = 1000;
  fixture_inject (f, ACK, 5001, 1001, NULL);
  fixture_expect_segment (f, FIN | ACK, 1001, 5001, 0);
  fixture_inject (f, ACK, 5001, 1002, NULL);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_2);
}

static void
test_fin_zero_window_unanswered_gives_up (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 1122 4.2.2.17: only answered probes keep the connection; a FIN probed into "
                  "a zero window that nobody ACKs any more times out after data_retries");
  fin_into_zero_window (f);
  fin_probes_for (f, 60, FALSE);
  g_assert_cmpuint (f->failed, ==, 1);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_TIMEOUT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TCP_TEST ("/tcp/established/close-sends-fin-fin-wait-1", test_established_close_sends_fin);
  TCP_TEST ("/tcp/established/close-sends-fin-after-queued-data", test_established_close_fin_after_queued_data);
  TCP_TEST ("/tcp/established/fin-close-wait-ack-eof", test_established_fin_close_wait);
  TCP_TEST ("/tcp/established/data-and-fin-eof-after-reading", test_established_data_fin_eof_after_reading);
  TCP_TEST ("/tcp/established/out-of-order-fin-waits-for-gap", test_established_out_of_order_fin_waits);
  TCP_TEST ("/tcp/fin-wait-1/ack-of-fin-fin-wait-2", test_fin_wait_1_ack_of_fin);
  TCP_TEST ("/tcp/fin-wait-1/ack-of-fin-with-trimmed-fin-fin-wait-2",
            test_fin_wait_1_ack_of_fin_fin_trimmed);
  TCP_TEST ("/tcp/fin-wait-1/ack-not-covering-fin-stays", test_fin_wait_1_old_ack_stays);
  TCP_TEST ("/tcp/fin-wait-1/fin-and-ack-of-fin-time-wait", test_fin_wait_1_fin_ack_time_wait);
  TCP_TEST ("/tcp/fin-wait-1/fin-without-ack-of-fin-closing", test_fin_wait_1_fin_closing);
  TCP_TEST ("/tcp/closing/ack-of-fin-time-wait", test_closing_ack_time_wait);
  TCP_TEST ("/tcp/fin-wait-2/fin-time-wait-and-ack", test_fin_wait_2_fin_time_wait);
  TCP_TEST ("/tcp/close-wait/close-sends-fin-last-ack", test_close_wait_close_last_ack);
  TCP_TEST ("/tcp/close-wait/can-still-send", test_close_wait_can_still_send);
  TCP_TEST ("/tcp/last-ack/ack-of-fin-closed-released", test_last_ack_ack_closed);
  TCP_TEST ("/tcp/last-ack/ack-not-covering-fin-stays", test_last_ack_old_ack_stays);
  TCP_TEST ("/tcp/simultaneous-close/closing-then-time-wait", test_simultaneous_close);
  TCP_TEST ("/tcp/established/abort-sends-rst-no-time-wait", test_established_abort_rst);
  TCP_TEST ("/tcp/close-wait/abort-sends-rst", test_close_wait_abort_rst);
  TCP_TEST ("/tcp/fin-wait-1/abort-sends-rst", test_fin_wait_1_abort_rst);
  TCP_TEST ("/tcp/syn-sent/abort-sends-nothing", test_syn_sent_abort_no_rst);
  TCP_TEST ("/tcp/last-ack/abort-sends-nothing", test_last_ack_abort_no_rst);
  TCP_TEST ("/tcp/fin-wait-2/orphan-new-data-rst", test_orphan_fin_wait_2_data_rst);
  TCP_TEST ("/tcp/close-wait/data-after-fin-ignored", test_close_wait_data_after_fin_ignored);
  TCP_TEST ("/tcp/close-wait/retransmitted-fin-acked", test_close_wait_retransmitted_fin_acked);
  TCP_TEST ("/tcp/last-ack/retransmitted-fin-acked", test_last_ack_retransmitted_fin_acked);
  TCP_TEST ("/tcp/persist/fin-into-zero-window-persists", test_fin_zero_window_persists);
  TCP_TEST ("/tcp/persist/fin-into-zero-window-unanswered-gives-up", test_fin_zero_window_unanswered_gives_up);

  return g_test_run ();
}
