/* test-tcp-seq.c: sequence-number arithmetic modulo 2^32 (RFC 9293 3.4),
 * and a whole connection whose sequence numbers cross the 2^32 wrap. */
#include "tcp-fixture.h"

#include <string.h>

/* ---- pure comparisons ---------------------------------------------------- */

static void
test_lt_across_wrap (void)
{
  g_test_summary ("RFC 9293 3.4: 0xFFFFFFFF is before 0 (arithmetic modulo 2^32)");
  g_assert_true (tcp_seq_lt (0xFFFFFFFFu, 0));
  g_assert_false (tcp_seq_lt (0, 0xFFFFFFFFu));
  g_assert_true (tcp_seq_lt (0xFFFFFFF0u, 0x10));
  g_assert_true (tcp_seq_lt (1000, 1001));
  g_assert_false (tcp_seq_lt (1001, 1000));
  g_assert_false (tcp_seq_lt (7, 7));
}

static void
test_gt_across_wrap (void)
{
  g_test_summary ("RFC 9293 3.4: 0 is after 0xFFFFFFFF (arithmetic modulo 2^32)");
  g_assert_true (tcp_seq_gt (0, 0xFFFFFFFFu));
  g_assert_true (tcp_seq_gt (0x10, 0xFFFFFFF0u));
  g_assert_false (tcp_seq_gt (0xFFFFFFFFu, 0));
  g_assert_false (tcp_seq_gt (7, 7));
}

static void
test_leq_geq_equal (void)
{
  g_test_summary ("RFC 9293 3.4: =< and >= hold for equal numbers, also at the wrap");
  g_assert_true (tcp_seq_leq (0xFFFFFFFFu, 0xFFFFFFFFu));
  g_assert_true (tcp_seq_geq (0, 0));
  g_assert_true (tcp_seq_leq (0xFFFFFFFFu, 0));
  g_assert_false (tcp_seq_leq (0, 0xFFFFFFFFu));
  g_assert_true (tcp_seq_geq (0, 0xFFFFFFFFu));
  g_assert_false (tcp_seq_geq (0xFFFFFFFFu, 0));
}

static void
test_half_space (void)
{
  g_test_summary ("RFC 9293 3.4: numbers less than 2^31 apart compare by the short way round");
  g_assert_true (tcp_seq_lt (0, 0x7FFFFFFFu));
  g_assert_true (tcp_seq_gt (0x80000001u, 0x00000002u));
  g_assert_true (tcp_seq_lt (0x80000001u, 0x00000000u));
}

static void
test_in_range_across_wrap (void)
{
  g_test_summary ("RFC 9293 3.4: a window [0xFFFFFFF0, 0x10) contains 0xFFFFFFFF and 0, not 0x10");
  g_assert_true (tcp_seq_in_range (0xFFFFFFF0u, 0xFFFFFFF0u, 0x10));
  g_assert_true (tcp_seq_in_range (0xFFFFFFFFu, 0xFFFFFFF0u, 0x10));
  g_assert_true (tcp_seq_in_range (0, 0xFFFFFFF0u, 0x10));
  g_assert_true (tcp_seq_in_range (0xF, 0xFFFFFFF0u, 0x10));
  g_assert_false (tcp_seq_in_range (0x10, 0xFFFFFFF0u, 0x10));
  g_assert_false (tcp_seq_in_range (0xFFFFFFEFu, 0xFFFFFFF0u, 0x10));
}

static void
test_in_range_empty (void)
{
  g_test_summary ("RFC 9293 3.4: an empty window (RCV.WND = 0) contains nothing");
  g_assert_false (tcp_seq_in_range (5000, 5000, 5000));
  g_assert_false (tcp_seq_in_range (0, 0, 0));
}

static void
test_min_max_across_wrap (void)
{
  g_test_summary ("RFC 9293 3.4: max/min pick the later/earlier number modulo 2^32");
  g_assert_cmpuint (tcp_seq_max (0xFFFFFFFFu, 3), ==, 3);
  g_assert_cmpuint (tcp_seq_min (0xFFFFFFFFu, 3), ==, 0xFFFFFFFFu);
  g_assert_cmpuint (tcp_seq_max (10, 20), ==, 20);
  g_assert_cmpuint (tcp_seq_min (10, 20), ==, 10);
}

/* ---- a connection across the wrap --------------------------------------- */

#define WRAP_ISS      0xFFFFFFF0u
#define WRAP_PEER_ISS 0xFFFFFFF8u

static void
wrap_established (TcpFixture *f)
{
  f->config.isn_fixed = WRAP_ISS;
  f->peer_iss = WRAP_PEER_ISS;
  fixture_established (f);
}

static void
test_handshake_across_wrap (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.4: ISS = 0xFFFFFFF0, peer ISS = 0xFFFFFFF8; the handshake works");
  wrap_established (f); /* SYN seq=0xFFFFFFF0; ACK seq=0xFFFFFFF1 ack=0xFFFFFFF9 */
  g_assert_cmpuint (f->established, ==, 1);
}

static void
test_send_across_wrap (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.4: 32 bytes from SND.NXT = 0xFFFFFFF1 are acknowledged by ACK = 0x11");
  wrap_established (f);
  guint8 bytes[32];
  memset (bytes, 'x', sizeof bytes);
  g_assert_cmpuint (tcp_conn_send (f->conn, bytes, sizeof bytes), ==, sizeof bytes);
  fixture_expect_segment (f, ACK, 0xFFFFFFF1u, 0xFFFFFFF9u, 32);
  fixture_inject (f, ACK, 0xFFFFFFF9u, 0x11, NULL);
  fixture_expect_nothing (f);
  g_assert_cmpuint (tcp_conn_unacked (f->conn), ==, 0);
  /* The next byte goes out at 0x11. */
  g_assert_cmpuint (tcp_conn_send (f->conn, (const guint8 *) "y", 1), ==, 1);
  fixture_expect_segment (f, ACK, 0x11, 0xFFFFFFF9u, 1);
}

static void
test_receive_across_wrap (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.4: data spanning 0xFFFFFFF9..0x8 is in window and acknowledged with 0x9");
  wrap_established (f);
  fixture_inject (f, ACK, 0xFFFFFFF9u, 0xFFFFFFF1u, "0123456789abcdef");
  fixture_expect_segment (f, ACK, 0xFFFFFFF1u, 0x9, 0);
  fixture_inject (f, ACK, 0x9, 0xFFFFFFF1u, "ghij");
  fixture_expect_segment (f, ACK, 0xFFFFFFF1u, 0xD, 0);
  g_autofree char *got = fixture_receive (f, 100);
  g_assert_cmpstr (got, ==, "0123456789abcdefghij");
}

static void
test_old_segment_across_wrap_acked (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.10.7.4: after the wrap, a segment from before it (0xFFFFFFF9) is old: ACK");
  wrap_established (f);
  fixture_inject (f, ACK, 0xFFFFFFF9u, 0xFFFFFFF1u, "0123456789abcdef");
  fixture_expect_segment (f, ACK, 0xFFFFFFF1u, 0x9, 0);
  fixture_inject (f, ACK, 0xFFFFFFF9u, 0xFFFFFFF1u, "0123");
  fixture_expect_segment (f, ACK, 0xFFFFFFF1u, 0x9, 0);
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 16);
}

static void
test_close_across_wrap (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.4: the FIN handshake works with sequence numbers across the wrap");
  f->config.isn_fixed = 0xFFFFFFFEu; /* SND.NXT = 0xFFFFFFFF, FIN takes it, next is 0 */
  f->peer_iss = 0xFFFFFFFEu;
  fixture_time_wait (f);        /* FIN seq=0xFFFFFFFF, final ACK seq=0 ack=0 */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tcp/seq/lt-across-wrap", test_lt_across_wrap);
  g_test_add_func ("/tcp/seq/gt-across-wrap", test_gt_across_wrap);
  g_test_add_func ("/tcp/seq/leq-geq-equal", test_leq_geq_equal);
  g_test_add_func ("/tcp/seq/half-space", test_half_space);
  g_test_add_func ("/tcp/seq/in-range-across-wrap", test_in_range_across_wrap);
  g_test_add_func ("/tcp/seq/in-range-empty", test_in_range_empty);
  g_test_add_func ("/tcp/seq/min-max-across-wrap", test_min_max_across_wrap);
  TCP_TEST ("/tcp/seq/handshake-across-wrap", test_handshake_across_wrap);
  TCP_TEST ("/tcp/seq/send-across-wrap", test_send_across_wrap);
  TCP_TEST ("/tcp/seq/receive-across-wrap", test_receive_across_wrap);
  TCP_TEST ("/tcp/seq/old-segment-across-wrap-acked", test_old_segment_across_wrap_acked);
  TCP_TEST ("/tcp/seq/close-across-wrap", test_close_across_wrap);

  return g_test_run ();
}
