/* test-tcp-paws.c: RFC 7323 timestamps and PAWS. A's TS clock runs at
 * 1 kHz from time 0 (no offset); the tests start at 1 s, so A's TSval is
 * 1000 there. The peer's TSvals start at PEER_TS. */
#include "tcp-fixture.h"
#include "tcp-time-wait.h" /* sizeof (TcpTimeWait) */

#define PEER_TS 5000u

/* Timestamps on, A at 1 s sends <SYN> with TSopt; the peer answers
 * <SYN,ACK> with TSval PEER_TS: negotiated, A's ACK echoes PEER_TS. */
static void
established_ts (TcpFixture *f)
{
  f->config.timestamps = TRUE;
  fixture_advance (f, 1 * SIM_S);
  fixture_syn_sent (f);
  fixture_inject_ts (f, SYN | ACK, 5000, 1001, NULL, PEER_TS, 1000);
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1001, 5001, 0);
  g_assert_true (ack->has_timestamps);
  g_assert_cmpuint (ack->tsval, ==, 1000);
  g_assert_cmpuint (ack->tsecr, ==, PEER_TS);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

/* ... then A closes first, every peer segment with TSopt: TIME-WAIT with
 * TS.Recent PEER_TS + 2. */
static void
time_wait_ts (TcpFixture *f)
{
  established_ts (f);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, 1001, 5001, 0);
  fixture_inject_ts (f, ACK, 5001, 1002, NULL, PEER_TS + 1, 1000);
  fixture_inject_ts (f, FIN | ACK, 5001, 1002, NULL, PEER_TS + 2, 1000);
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1002, 5002, 0);
  g_assert_cmpuint (ack->tsecr, ==, PEER_TS + 2);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

static void
test_ts_off_by_default (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("timestamps=off (rfc9293 default): the SYN carries no TSopt");
  g_assert_false (f->config.timestamps);
  fixture_stack (f);
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  TcpSegment *syn = fixture_expect_segment (f, SYN, 1000, 0, 0);
  g_assert_false (syn->has_timestamps);
}

static void
test_ts_syn_carries_tsopt (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 3.2: a TCP MAY send TSopt in its <SYN>; TSecr is 0");
  f->config.timestamps = TRUE;
  fixture_advance (f, 1 * SIM_S);
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  TcpSegment *syn = fixture_expect_segment (f, SYN, 1000, 0, 0);
  g_assert_true (syn->has_timestamps);
  g_assert_cmpuint (syn->tsval, ==, 1000);
  g_assert_cmpuint (syn->tsecr, ==, 0);
}

static void
test_ts_negotiated (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 3.2: TSopt in <SYN> and <SYN,ACK>: negotiated, every later "
                  "segment carries it, TSecr = TS.Recent");
  established_ts (f);
  fixture_advance (f, 5 * SIM_MS);
  tcp_conn_send (f->conn, (const guint8 *) "abc", 3);
  TcpSegment *data_seg = fixture_expect_segment (f, ACK, 1001, 5001, 3);
  g_assert_true (data_seg->has_timestamps);
  g_assert_cmpuint (data_seg->tsval, ==, 1005);
  g_assert_cmpuint (data_seg->tsecr, ==, PEER_TS);
}

static void
test_ts_not_negotiated_without_synack_tsopt (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 3.2: a <SYN,ACK> without TSopt: timestamps stay off");
  f->config.timestamps = TRUE;
  fixture_established (f);
  tcp_conn_send (f->conn, (const guint8 *) "abc", 3);
  TcpSegment *data_seg = fixture_expect_segment (f, ACK, 1001, 5001, 3);
  g_assert_false (data_seg->has_timestamps);
}

static void
test_ts_passive_synack_echoes (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 3.2: the <SYN,ACK> carries TSopt only if the <SYN> did, "
                  "TSecr = the SYN's TSval");
  f->config.timestamps = TRUE;
  fixture_listen (f, 8);
  fixture_inject_ts (f, SYN, 5000, 0, NULL, 777, 0);
  TcpSegment *synack = fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  g_assert_true (synack->has_timestamps);
  g_assert_cmpuint (synack->tsecr, ==, 777);
}

static void
test_ts_passive_no_tsopt (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 3.2: a <SYN> without TSopt gets a <SYN,ACK> without it");
  f->config.timestamps = TRUE;
  fixture_listen (f, 8);
  fixture_inject (f, SYN, 5000, 0, NULL);
  TcpSegment *synack = fixture_expect_segment (f, SYN | ACK, 1000, 5001, 0);
  g_assert_false (synack->has_timestamps);
}

static void
test_ts_recent_updated_r3 (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 5.3 R3: SEG.TSval >= TS.Recent and SEG.SEQ <= Last.ACK.sent: "
                  "TS.Recent <- SEG.TSval (echoed in the ACK)");
  established_ts (f);
  fixture_inject_ts (f, ACK, 5001, 1001, "hi", PEER_TS + 5, 1000);
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1001, 5003, 0);
  g_assert_cmpuint (ack->tsecr, ==, PEER_TS + 5);
}

static void
test_ts_recent_not_updated_out_of_order (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 4.3: a segment beyond Last.ACK.sent does not update TS.Recent");
  established_ts (f);
  fixture_inject_ts (f, ACK, 5003, 1001, "later", PEER_TS + 9, 1000);
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1001, 5001, 0);
  g_assert_cmpuint (ack->tsecr, ==, PEER_TS);
}

static void
test_paws_stale_tsval (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 5.3 R1: SEG.TSval < TS.Recent (no RST): not acceptable, ACK sent, "
                  "segment dropped");
  established_ts (f);
  fixture_inject_ts (f, ACK, 5001, 1001, "old", PEER_TS - 1, 1000);
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1001, 5001, 0);
  g_assert_cmpuint (ack->tsecr, ==, PEER_TS);
  fixture_expect_nothing (f);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "paws");
  g_assert_cmpstr (fixture_last_rule (f), ==,
                   "PAWS: TSval 4999 < TS.Recent 5000 (RFC 7323 5.3 R1), ACK sent");
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 0);
}

static void
test_paws_tsval_wraps (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 5.3: TSvals compare modulo 2^32: 3 is newer than 2^32 - 3");
  f->config.timestamps = TRUE;
  fixture_syn_sent (f);
  fixture_inject_ts (f, SYN | ACK, 5000, 1001, NULL, G_MAXUINT32 - 2, 0);
  fixture_expect_segment (f, ACK, 1001, 5001, 0);
  fixture_inject_ts (f, ACK, 5001, 1001, "new", 3, 0);
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1001, 5004, 0);
  g_assert_cmpuint (ack->tsecr, ==, 3);
}

static void
test_paws_rst_exempt (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 5.2: a <RST> is not subjected to the PAWS check");
  established_ts (f);
  fixture_inject_ts (f, RST, 5001, 0, NULL, 1, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSED);
  g_assert_cmpint (f->last_error, ==, TCP_ERROR_RESET);
}

static void
test_ts_missing_tsopt_dropped (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 3.2: a non-<RST> segment without TSopt after negotiation is "
                  "silently dropped");
  established_ts (f);
  fixture_inject (f, ACK, 5001, 1001, "bare");
  fixture_expect_nothing (f);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "dropped");
  g_assert_cmpuint (tcp_conn_readable (f->conn), ==, 0);
}

static void
test_ts_hz (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("ts_hz: TSval = offset + now x hz (RFC 7323 5.4: 1 ms .. 1 s a tick)");
  f->config.timestamps = TRUE;
  f->config.ts_clock_hz = 10;
  fixture_advance (f, 2500 * SIM_MS);
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  TcpSegment *syn = fixture_expect_segment (f, SYN, 1000, 0, 0);
  g_assert_cmpuint (syn->tsval, ==, 25);
}

static void
test_ts_offset_addresses (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("ts_offset=addresses (Linux secure_tcp_ts_off): the TS clock offset is a keyed "
                  "hash of the address pair: another port keeps it, another peer changes it");
  f->config.timestamps = TRUE;
  f->config.ts_offset = TCP_TS_OFFSET_ADDRESSES;
  NetFourTuple t2 = f->tuple, t3 = f->tuple;
  t2.local.port++;
  t3.remote.ip = net_addr_ip4 (net_addr_ip4_value (t3.remote.ip) + 1);
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  TcpSegment *a = fixture_pop (f);
  tcp_stack_connect (fixture_stack (f), &t2, NULL, NULL);
  TcpSegment *b = fixture_pop (f);
  tcp_stack_connect (fixture_stack (f), &t3, NULL, NULL);
  TcpSegment *c = fixture_pop (f);
  g_assert_true (a->has_timestamps && b->has_timestamps && c->has_timestamps);
  g_assert_cmpuint (a->tsval, !=, 0);
  g_assert_cmpuint (a->tsval, ==, b->tsval);
  g_assert_cmpuint (a->tsval, !=, c->tsval);
}

static void
test_ts_offset_four_tuple (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("ts_offset=four-tuple (Linux 6.18 secure_tcp_seq_and_ts_off): another port "
                  "gets another TS clock offset");
  f->config.timestamps = TRUE;
  f->config.ts_offset = TCP_TS_OFFSET_FOUR_TUPLE;
  NetFourTuple t2 = f->tuple;
  t2.local.port++;
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  TcpSegment *a = fixture_pop (f);
  tcp_stack_connect (fixture_stack (f), &t2, NULL, NULL);
  TcpSegment *b = fixture_pop (f);
  g_assert_cmpuint (a->tsval, !=, b->tsval);
}

/* Incarnation #2 of a four-tuple continues the TS clock of #1, so its SYN
 * is never older than the TIME-WAIT record's TS.Recent, whatever the
 * secret (data: the TcpTsOffsetKind). */
static void
test_ts_offset_incarnations_share_clock (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux secure_tcp_seq_and_ts_off / secure_tcp_ts_off: every incarnation of a "
                  "four-tuple continues the same TS clock");
  f->config.timestamps = TRUE;
  f->config.ts_offset = (TcpTsOffsetKind) GPOINTER_TO_INT (data);
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  TcpSegment *first = fixture_pop (f);
  tcp_conn_abort (f->conn);
  while (fixture_sent_count (f) > 0)
    fixture_pop (f);
  fixture_advance (f, 500 * SIM_MS);
  tcp_stack_connect (fixture_stack (f), &f->tuple, NULL, NULL);
  TcpSegment *second = fixture_pop (f);
  g_assert_cmpuint (second->tsval - first->tsval, ==, 500);
}

static void
test_time_wait_keeps_timestamps (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("TIME-WAIT keeps TS.Recent: its ACK of a retransmitted FIN carries TSopt; "
                  "the record stays small (<= 104 bytes with Linux's tw_last_oow_ack_time; an "
                  "IPv6 four-tuple, as the skc_v6_daddr/skc_v6_rcv_saddr of Linux "
                  "sock_common, is kept on the side)");
  time_wait_ts (f);
  fixture_advance (f, 1 * SIM_S);
  fixture_inject_ts (f, FIN | ACK, 5001, 1002, NULL, PEER_TS + 3, 1000);
  TcpSegment *ack = fixture_expect_segment (f, ACK, 1002, 5002, 0);
  g_assert_true (ack->has_timestamps);
  g_assert_cmpuint (ack->tsval, ==, 2000);
  g_assert_cmpuint (ack->tsecr, ==, PEER_TS + 2);
  g_assert_cmpuint (sizeof (TcpTimeWait), <=, 104);
}

static void
test_paws_in_time_wait (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 7323 5.3 R1 in TIME-WAIT: an older TSval is answered with an ACK and "
                  "dropped");
  time_wait_ts (f);
  fixture_inject_ts (f, FIN | ACK, 5001, 1002, NULL, PEER_TS - 100, 1000);
  fixture_expect_segment (f, ACK, 1002, 5002, 0);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "paws");
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  TCP_TEST ("/tcp/timestamps/off-by-default", test_ts_off_by_default);
  TCP_TEST ("/tcp/timestamps/syn-carries-tsopt", test_ts_syn_carries_tsopt);
  TCP_TEST ("/tcp/timestamps/negotiated-in-syn-and-syn-ack", test_ts_negotiated);
  TCP_TEST ("/tcp/timestamps/not-negotiated-without-syn-ack-tsopt",
            test_ts_not_negotiated_without_synack_tsopt);
  TCP_TEST ("/tcp/timestamps/passive-syn-ack-echoes-tsval", test_ts_passive_synack_echoes);
  TCP_TEST ("/tcp/timestamps/passive-syn-without-tsopt", test_ts_passive_no_tsopt);
  TCP_TEST ("/tcp/timestamps/ts-recent-updated-r3", test_ts_recent_updated_r3);
  TCP_TEST ("/tcp/timestamps/ts-recent-not-updated-beyond-last-ack-sent",
            test_ts_recent_not_updated_out_of_order);
  TCP_TEST ("/tcp/timestamps/missing-tsopt-dropped", test_ts_missing_tsopt_dropped);
  TCP_TEST ("/tcp/timestamps/ts-hz-scales-clock", test_ts_hz);
  TCP_TEST ("/tcp/timestamps/secure_tcp_ts_off-offset-per-address-pair", test_ts_offset_addresses);
  TCP_TEST ("/tcp/timestamps/secure_tcp_seq_and_ts_off-offset-per-four-tuple",
            test_ts_offset_four_tuple);
  g_test_add ("/tcp/timestamps/secure_tcp_seq_and_ts_off-incarnations-share-clock", TcpFixture,
              GINT_TO_POINTER (TCP_TS_OFFSET_FOUR_TUPLE), fixture_setup,
              test_ts_offset_incarnations_share_clock, fixture_teardown);
  g_test_add ("/tcp/timestamps/secure_tcp_ts_off-incarnations-share-clock", TcpFixture,
              GINT_TO_POINTER (TCP_TS_OFFSET_ADDRESSES), fixture_setup,
              test_ts_offset_incarnations_share_clock, fixture_teardown);
  TCP_TEST ("/tcp/paws/stale-tsval-acked-and-dropped", test_paws_stale_tsval);
  TCP_TEST ("/tcp/paws/tsval-compares-mod-2-32", test_paws_tsval_wraps);
  TCP_TEST ("/tcp/paws/rst-not-subject-to-paws", test_paws_rst_exempt);
  TCP_TEST ("/tcp/paws/time-wait-keeps-timestamps", test_time_wait_keeps_timestamps);
  TCP_TEST ("/tcp/paws/time-wait-rejects-stale-tsval", test_paws_in_time_wait);
  return g_test_run ();
}
