/* test-tcp-data.c: data transfer and the segment acceptability test,
 * RFC 9293 3.4 (Table 5 / 3.10.7.4 Table 6), 3.7, 3.8.6 and 3.10.7.4
 * "Seventh, process the segment text". Established: SND.NXT 1001,
 * RCV.NXT 5001, rcv_buffer (= RCV.WND when empty) 10000. */
#include "tcp-fixture.h"

#include <string.h>

/* ---- receiving ------------------------------------------------------------ */

static void
test_in_order_data_delivered (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 \"Seventh\": in-order text goes to the user, RCV.NXT advances, "
                  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>");
  fixture_established (f);
  fixture_inject (f, ACK, 5001, 1001, "hello");
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1001, 5006, 0);
  g_assert_cmpuint (ack->window, ==, 10000 - 5); /* RCV.WND shrinks by the unread octets */
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->readable, >=, 1);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 5);
  g_autofree char *got = fixture_receive (f, 100);
  g_assert_cmpstr (got, ==, "hello");
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 0);
  g_assert_false (tcp_conn_at_eof (f->conn));
}

static void
test_receive_partial (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.3 RECEIVE: at most the requested number of octets, in order");
  fixture_established (f);
  fixture_inject (f, ACK, 5001, 1001, "helloworld");
  fixture_expect_segment (f, ACK, 1001, 5011, 0);
  g_autofree char *first = fixture_receive (f, 5);
  g_autofree char *second = fixture_receive (f, 100);
  g_assert_cmpstr (first, ==, "hello");
  g_assert_cmpstr (second, ==, "world");
}

static void
test_out_of_order_queued (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 (SHLD-31): a segment beyond RCV.NXT is held; one ACK of the "
                  "merged RCV.NXT once the gap fills");
  fixture_established (f);
  fixture_inject (f, ACK, 5006, 1001, "world");
  fixture_expect_segment (f, ACK, 1001, 5001, 0); /* RFC 5681 4.2: immediate duplicate ACK */
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 0);
  fixture_inject (f, ACK, 5001, 1001, "hello");
  fixture_expect_segment (f, ACK, 1001, 5011, 0);
  fixture_expect_nothing (f);
  g_autofree char *got = fixture_receive (f, 100);
  g_assert_cmpstr (got, ==, "helloworld");
}

static void
test_receive_spans_carry_provenance (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RECEIVE reports each byte's origin: the sending conn, incarnation and stream "
                  "offset carried by the segment");
  fixture_established (f);
  fixture_inject (f, ACK, 5001, 1001, "hello"); /* conn 99, incarnation 1, offset 0 */
  TcpSegment *seg = fixture_make_segment (f, ACK, 5006, 1001, (const guint8 *) "world", 5);
  seg->conn_id = 42; /* an old duplicate from another incarnation, say */
  seg->incarnation = 7;
  seg->stream_offset = 1000;
  fixture_deliver (f, seg);
  fixture_expect_segment (f, ACK, 1001, 5006, 0);
  fixture_expect_segment (f, ACK, 1001, 5011, 0);

  GByteArray *out = g_byte_array_new ();
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (TcpByteSpan));
  g_assert_cmpuint (tcp_conn_receive (f->conn, 100, out, spans), ==, 10);
  g_assert_cmpmem (out->data, out->len, "helloworld", 10);
  g_assert_cmpuint (spans->len, ==, 2);
  TcpByteSpan *a = &g_array_index (spans, TcpByteSpan, 0);
  TcpByteSpan *b = &g_array_index (spans, TcpByteSpan, 1);
  g_assert_cmpuint (a->conn_id, ==, FIX_PEER_CONN_ID);
  g_assert_cmpuint (a->incarnation, ==, 1);
  g_assert_cmpuint (a->stream_offset, ==, 0);
  g_assert_cmpuint (a->length, ==, 5);
  g_assert_cmpuint (b->conn_id, ==, 42);
  g_assert_cmpuint (b->incarnation, ==, 7);
  g_assert_cmpuint (b->stream_offset, ==, 1000);
  g_assert_cmpuint (b->length, ==, 5);
  g_array_unref (spans);
  g_byte_array_unref (out);
}

static void
test_partial_receive_span_offset (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RECEIVE of part of a segment: the next span starts at the right stream offset");
  fixture_established (f);
  fixture_inject (f, ACK, 5001, 1001, "helloworld");
  fixture_expect_segment (f, ACK, 1001, 5011, 0);
  g_autofree char *first = fixture_receive (f, 3);
  g_assert_cmpstr (first, ==, "hel");
  GByteArray *out = g_byte_array_new ();
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (TcpByteSpan));
  g_assert_cmpuint (tcp_conn_receive (f->conn, 100, out, spans), ==, 7);
  g_assert_cmpuint (spans->len, ==, 1);
  g_assert_cmpuint (g_array_index (spans, TcpByteSpan, 0).stream_offset, ==, 3);
  g_assert_cmpuint (g_array_index (spans, TcpByteSpan, 0).length, ==, 7);
  g_array_unref (spans);
  g_byte_array_unref (out);
}

/* ---- sending --------------------------------------------------------------- */

static void
test_send_data (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.2 SEND: data goes out at SND.NXT; ACK of it empties the queue "
                  "(SND.UNA = SEG.ACK) and signals sendable");
  fixture_established (f);
  g_assert_cmpuint (tcp_conn_send (f->conn, (const guint8 *) "hello", 5), ==, 5);
  TcpSegment *seg = fixture_expect_segment (f, ACK, 1001, 5001, 5);
  g_assert_cmpmem (g_bytes_get_data (seg->payload, NULL), 5, "hello", 5);
  g_assert_cmpuint (seg->stream_offset, ==, 0);
  g_assert_cmpuint (seg->conn_id, ==, f->conn_id);
  g_assert_false (seg->retransmission);
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 5);
  guint sendable_before = f->sendable;
  fixture_inject (f, ACK, 5001, 1006, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 0);
  g_assert_cmpuint (f->sendable, >, sendable_before);
}

static void
test_send_segments_at_most_mss (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.7.1: no segment carries more than the peer's announced MSS (500)");
  f->peer_mss = 500;
  fixture_established (f);
  guint8 bytes[1200];
  memset (bytes, 'm', sizeof bytes);
  g_assert_cmpuint (tcp_conn_send (f->conn, bytes, sizeof bytes), ==, sizeof bytes);
  TcpSeq next = 1001;
  guint rounds = 0;
  while (next != 1001 + sizeof bytes)
    {
      g_assert_cmpuint (++rounds, <, 10);
      g_assert_cmpuint (fixture_sent_count (f), >, 0);
      while (fixture_sent_count (f) > 0)
        {
          TcpSegment *seg = fixture_pop (f);
          gsize len = tcp_segment_payload_len (seg);
          g_assert_cmpuint (seg->seq, ==, next);
          g_assert_cmpuint (len, <=, 500);
          if (next + len != 1001 + sizeof bytes)
            g_assert_cmpuint (len, ==, 500); /* full-sized until the tail */
          next += len;
        }
      fixture_inject (f, ACK, 5001, next, NULL); /* open the congestion window */
    }
  fixture_expect_nothing (f);
}

static void
test_peer_window_limits_sending (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.8.6: no more than SND.UNA + SND.WND - SND.NXT octets are sent");
  f->peer_window = 300;
  fixture_established (f);
  guint8 bytes[1000];
  memset (bytes, 'w', sizeof bytes);
  g_assert_cmpuint (tcp_conn_send (f->conn, bytes, sizeof bytes), ==, sizeof bytes);
  gsize sent = 0;
  while (fixture_sent_count (f) > 0)
    {
      TcpSegment *seg = fixture_pop (f);
      g_assert_cmpuint (seg->seq, ==, 1001 + sent);
      sent += tcp_segment_payload_len (seg);
    }
  g_assert_cmpuint (sent, ==, 300);
  /* ACK of all 300 with the window still 300: the next 300 go out. */
  fixture_inject (f, ACK, 5001, 1301, NULL);
  sent = 0;
  while (fixture_sent_count (f) > 0)
    {
      TcpSegment *seg = fixture_pop (f);
      g_assert_cmpuint (seg->seq, ==, 1301 + sent);
      sent += tcp_segment_payload_len (seg);
    }
  g_assert_cmpuint (sent, ==, 300);
}

static void
test_window_update_opens_sending (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4: a window update (same ACK, larger SEG.WND) updates SND.WND");
  f->peer_window = 2;
  fixture_established (f);
  g_assert_cmpuint (tcp_conn_send (f->conn, (const guint8 *) "hello", 5), ==, 5);
  fixture_expect_segment (f, ACK, 1001, 5001, 2);
  fixture_expect_nothing (f);
  f->peer_window = 100;
  fixture_inject (f, ACK, 5001, 1001, NULL);
  fixture_expect_segment (f, ACK, 1003, 5001, 3);
}

static void
test_send_buffer_limit (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.2 SEND: at most the free send-buffer space is queued");
  f->config.snd_buffer = 100;
  f->peer_window = 10;
  fixture_established (f);
  guint8 bytes[150];
  memset (bytes, 's', sizeof bytes);
  g_assert_cmpuint (tcp_conn_send_space (f->conn), ==, 100);
  g_assert_cmpuint (tcp_conn_send (f->conn, bytes, sizeof bytes), ==, 100);
  g_assert_cmpuint (tcp_conn_send_space (f->conn), ==, 0);
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 100);
}

/* ---- half-close ------------------------------------------------------------ */

static void
test_fin_wait_1_peer_data_received (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-1: the peer may still send; its text is processed as in ESTABLISHED");
  fixture_fin_wait_1 (f);
  fixture_inject (f, ACK, 5001, 1001, "more");
  fixture_expect_segment (f, ACK, 1002, 5005, 0);
  g_autofree char *got = fixture_receive (f, 100);
  g_assert_cmpstr (got, ==, "more");
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_1);
}

static void
test_fin_wait_2_peer_data_received (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-2 (half-close): the peer's text is still delivered");
  fixture_fin_wait_2 (f);
  fixture_inject (f, ACK, 5001, 1002, "more");
  fixture_expect_segment (f, ACK, 1002, 5005, 0);
  g_autofree char *got = fixture_receive (f, 100);
  g_assert_cmpstr (got, ==, "more");
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_2);
}

/* ---- acceptability (RFC 9293 3.10.7.4 Table 6) ---------------------------- */

static void
test_len0_in_window_accepted (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 Table 6, SEG.LEN = 0, RCV.WND > 0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND is "
                  "acceptable (its ACK is processed, no reply)");
  fixture_established (f);
  tcp_conn_send (f->conn, (const guint8 *) "0123456789", 10);
  fixture_expect_segment (f, ACK, 1001, 5001, 10);
  fixture_inject (f, ACK, 5001 + 9999, 1011, NULL); /* last octet of the window */
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 0);
}

static void
test_len0_at_right_edge_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 Table 6, SEG.LEN = 0: SEG.SEQ = RCV.NXT+RCV.WND is not acceptable -> "
                  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop");
  fixture_established (f);
  tcp_conn_send (f->conn, (const guint8 *) "0123456789", 10);
  fixture_expect_segment (f, ACK, 1001, 5001, 10);
  fixture_inject (f, ACK, 5001 + 10000, 1011, NULL);
  fixture_expect_segment (f, ACK, 1011, 5001, 0);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 10); /* its ACK field was not processed */
}

static void
test_len0_before_rcv_nxt_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 Table 6, SEG.LEN = 0: SEG.SEQ < RCV.NXT is not acceptable -> ACK, drop");
  fixture_established (f);
  fixture_inject (f, ACK, 5000, 1001, NULL);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_expect_nothing (f);
}

static void
test_data_straddling_left_edge_trimmed (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 Table 6, SEG.LEN > 0: acceptable if its end lies in the window; the old "
                  "part is trimmed, only the new text is delivered");
  fixture_established (f);
  fixture_inject (f, ACK, 5001, 1001, "hello");
  fixture_expect_segment (f, ACK, 1001, 5006, 0);
  g_autofree char *first = fixture_receive (f, 100);
  g_assert_cmpstr (first, ==, "hello");
  fixture_inject (f, ACK, 5001, 1001, "helloworld"); /* retransmission with more data */
  fixture_expect_segment (f, ACK, 1001, 5011, 0);
  fixture_expect_nothing (f);

  GByteArray *out = g_byte_array_new ();
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (TcpByteSpan));
  g_assert_cmpuint (tcp_conn_receive (f->conn, 100, out, spans), ==, 5);
  g_assert_cmpmem (out->data, out->len, "world", 5);
  g_assert_cmpuint (spans->len, ==, 1);
  g_assert_cmpuint (g_array_index (spans, TcpByteSpan, 0).stream_offset, ==, 5);
  g_array_unref (spans);
  g_byte_array_unref (out);
}

static void
test_data_straddling_right_edge_trimmed (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4: a segment starting in the window but ending beyond it is "
                  "acceptable; the part beyond RCV.NXT+RCV.WND is trimmed");
  fixture_established (f);
  gsize n = 10000 + 10;
  guint8 *bytes = g_malloc (n);
  memset (bytes, 'r', n);
  fixture_inject_bytes (f, ACK, 5001, 1001, bytes, n);
  g_free (bytes);
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1001, 15001, 0);
  g_assert_cmpuint (ack->window, ==, 0);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 10000);
}

static void
test_data_entirely_old_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 Table 6, SEG.LEN > 0: a duplicate entirely below RCV.NXT is not acceptable -> "
                  "ACK, nothing delivered twice");
  fixture_established (f);
  fixture_inject (f, ACK, 5001, 1001, "hello");
  fixture_expect_segment (f, ACK, 1001, 5006, 0);
  fixture_inject (f, ACK, 5001, 1001, "hello");
  fixture_expect_segment (f, ACK, 1001, 5006, 0);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 5);
}

static void
test_data_beyond_window_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 Table 6, SEG.LEN > 0: entirely at or beyond RCV.NXT+RCV.WND is not acceptable -> ACK");
  fixture_established (f);
  fixture_inject (f, ACK, 5001 + 10000, 1001, "future");
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 0);
}

/* Fills a 100-octet receive buffer without reading: RCV.WND = 0. */
static void
zero_window (TcpFixture *f)
{
  f->config.rcv_buffer = 100;
  fixture_established (f);
  guint8 bytes[100];
  memset (bytes, 'z', sizeof bytes);
  fixture_inject_bytes (f, ACK, 5001, 1001, bytes, sizeof bytes);
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1001, 5101, 0);
  g_assert_cmpuint (ack->window, ==, 0);
  tcp_conn_send (f->conn, (const guint8 *) "0123456789", 10);
  fixture_expect_segment (f, ACK, 1001, 5101, 10);
}

static void
test_zero_window_len0_at_rcv_nxt_accepted (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 Table 6, SEG.LEN = 0, RCV.WND = 0: SEG.SEQ = RCV.NXT is acceptable");
  zero_window (f);
  fixture_inject (f, ACK, 5101, 1011, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 0);
}

static void
test_zero_window_len0_elsewhere_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 Table 6, SEG.LEN = 0, RCV.WND = 0: SEG.SEQ != RCV.NXT is not acceptable -> ACK "
                  "(its valid ACK is still processed, 3.10.7.4 first)");
  zero_window (f);
  fixture_inject (f, ACK, 5102, 1011, NULL);
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1011, 5101, 0);
  g_assert_cmpuint (ack->window, ==, 0);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 0);
}

static void
test_zero_window_valid_ack_processed (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 first: with RCV.WND = 0, special allowance accepts valid ACKs: "
                  "the ACK of a zero-window probe beyond RCV.NXT acknowledges our data, no timeout");
  zero_window (f);
  /* The peer probed our closed window (one octet at 5101, dropped), so its
   * SND.NXT is 5102; its ACKs of our 10 octets carry SEQ = 5102. */
  fixture_inject (f, ACK, 5101, 1001, "p");
  fixture_expect_segment (f, ACK, 1011, 5101, 0);
  fixture_inject (f, ACK, 5102, 1011, NULL);
  fixture_expect_segment (f, ACK, 1011, 5101, 0);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "ack-only");
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 0);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 100);
  /* Nothing left to retransmit: a quarter of an hour later still open. */
  fixture_advance (f, 15 * 60 * SIM_S);
  fixture_expect_nothing (f);
  g_assert_cmpuint (f->failed, ==, 0);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_zero_window_ack_text_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 first: a data segment let in for its ACK with RCV.WND = 0 "
                  "has its ACK processed, its text and FIN dropped");
  zero_window (f);
  fixture_inject (f, ACK | FIN, 5101, 1011, "late");
  fixture_expect_segment (f, ACK, 1011, 5101, 0);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 0);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 100);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_zero_window_data_not_acceptable (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 Table 6, SEG.LEN > 0, RCV.WND = 0: not acceptable -> ACK, text not delivered");
  zero_window (f);
  fixture_inject (f, ACK, 5101, 1001, "x");
  TcpSegment *ack = fixture_pop (f);
  g_assert_true (tcp_segment_has (ack, TCP_FLAG_ACK));
  g_assert_cmpuint (ack->seq, ==, 1011);
  g_assert_cmpuint (ack->ack, ==, 5101);
  g_assert_cmpuint (tcp_segment_payload_len (ack), ==, 0);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 100);
}

static void
test_zero_window_reopens_after_read (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.8.6.2.2: after the user reads, the window opens and data is acceptable again");
  zero_window (f);
  g_autofree char *got = fixture_receive (f, 100);
  g_assert_cmpuint (strlen (got), ==, 100);
  while (fixture_sent_count (f) > 0) /* a window update, if any */
    {
      TcpSegment *upd = fixture_pop (f);
      g_assert_cmpuint (upd->ack, ==, 5101);
      g_assert_cmpuint (upd->window, >, 0);
    }
  fixture_inject (f, ACK, 5101, 1011, "x");
  fixture_expect_segment (f, ACK, 1011, 5102, 0);
}

static void
test_old_ack_ignored (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4 ESTABLISHED: SEG.ACK < SND.UNA is a duplicate and can be ignored");
  fixture_established (f);
  tcp_conn_send (f->conn, (const guint8 *) "0123456789", 10);
  fixture_expect_segment (f, ACK, 1001, 5001, 10);
  fixture_inject (f, ACK, 5001, 1011, NULL);
  fixture_inject (f, ACK, 5001, 1005, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 0);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_zero_window_probe (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.8.6.1 (MUST-36): with a zero send window, probe it with one octet of new data");
  fixture_established (f);
  f->peer_window = 0;
  fixture_inject (f, ACK, 5001, 1001, NULL); /* the peer closes its window */
  tcp_conn_send (f->conn, (const guint8 *) "hello", 5);
  fixture_expect_nothing (f);
  fixture_advance (f, 60 * SIM_S);
  TcpSegment *probe = fixture_pop (f);
  g_assert_cmpuint (probe->seq, ==, 1001);
  g_assert_cmpuint (tcp_segment_payload_len (probe), ==, 1);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
test_send_after_close_refused (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.2 SEND in FIN-WAIT-1: \"error: connection closing\", nothing is queued");
  fixture_fin_wait_1 (f);
  g_assert_cmpuint (tcp_conn_send (f->conn, (const guint8 *) "late", 4), ==, 0);
  fixture_expect_nothing (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TCP_TEST ("/tcp/established/in-order-data-delivered-and-acked", test_in_order_data_delivered);
  TCP_TEST ("/tcp/established/receive-partial", test_receive_partial);
  TCP_TEST ("/tcp/established/out-of-order-queued-until-gap-fills", test_out_of_order_queued);
  TCP_TEST ("/tcp/established/receive-spans-carry-provenance", test_receive_spans_carry_provenance);
  TCP_TEST ("/tcp/established/partial-receive-span-offset", test_partial_receive_span_offset);
  TCP_TEST ("/tcp/established/send-data-and-ack", test_send_data);
  TCP_TEST ("/tcp/established/send-segments-at-most-mss", test_send_segments_at_most_mss);
  TCP_TEST ("/tcp/established/peer-window-limits-sending", test_peer_window_limits_sending);
  TCP_TEST ("/tcp/established/window-update-opens-sending", test_window_update_opens_sending);
  TCP_TEST ("/tcp/established/send-buffer-limit", test_send_buffer_limit);
  TCP_TEST ("/tcp/fin-wait-1/peer-data-still-received", test_fin_wait_1_peer_data_received);
  TCP_TEST ("/tcp/fin-wait-2/peer-data-still-received", test_fin_wait_2_peer_data_received);
  TCP_TEST ("/tcp/acceptability/len0-in-window-accepted", test_len0_in_window_accepted);
  TCP_TEST ("/tcp/acceptability/len0-at-right-edge-acked", test_len0_at_right_edge_acked);
  TCP_TEST ("/tcp/acceptability/len0-before-rcv-nxt-acked", test_len0_before_rcv_nxt_acked);
  TCP_TEST ("/tcp/acceptability/data-straddling-left-edge-trimmed", test_data_straddling_left_edge_trimmed);
  TCP_TEST ("/tcp/acceptability/data-straddling-right-edge-trimmed", test_data_straddling_right_edge_trimmed);
  TCP_TEST ("/tcp/acceptability/data-entirely-old-acked", test_data_entirely_old_acked);
  TCP_TEST ("/tcp/acceptability/data-beyond-window-acked", test_data_beyond_window_acked);
  TCP_TEST ("/tcp/acceptability/zero-window-len0-at-rcv-nxt-accepted", test_zero_window_len0_at_rcv_nxt_accepted);
  TCP_TEST ("/tcp/acceptability/zero-window-len0-elsewhere-acked", test_zero_window_len0_elsewhere_acked);
  TCP_TEST ("/tcp/acceptability/zero-window-data-not-acceptable", test_zero_window_data_not_acceptable);
  TCP_TEST ("/tcp/acceptability/zero-window-valid-ack-processed", test_zero_window_valid_ack_processed);
  TCP_TEST ("/tcp/acceptability/zero-window-ack-text-dropped", test_zero_window_ack_text_dropped);
  TCP_TEST ("/tcp/acceptability/zero-window-reopens-after-read", test_zero_window_reopens_after_read);
  TCP_TEST ("/tcp/established/old-ack-ignored", test_old_ack_ignored);
  TCP_TEST ("/tcp/established/zero-window-probe", test_zero_window_probe);
  TCP_TEST ("/tcp/fin-wait-1/send-after-close-refused", test_send_after_close_refused);

  return g_test_run ();
}
