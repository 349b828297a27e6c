/* test-tcp-isn.c: initial sequence numbers (RFC 9293 3.4.1, RFC 6528, Linux
 * secure_tcp_seq, seeded random draws) and the host crash / reboot of RFC
 * 9293 3.4.3 (quiet time). A's ISS is read from the SYN it sends. */
#include "tcp-fixture.h"
#include "tcp-isn.h" /* tcp_isn_siphash; TcpConn fields */

#include <string.h>

/* A connects on `tuple` at the current time; returns its ISS and removes
 * the TCB again (ABORT in SYN-SENT sends nothing). */
static TcpSeq
connect_isn (TcpFixture *f, guint16 local_port, guint16 remote_port)
{
  NetFourTuple t = { { FIX_A_IP, local_port }, { FIX_B_IP, remote_port } };
  TcpConn *conn = tcp_stack_connect (fixture_stack (f), &t, NULL, NULL);
  g_assert_nonnull (conn);
  TcpSegment *syn = fixture_pop (f);
  g_assert_true (syn->flags == SYN);
  tcp_conn_abort (conn);
  fixture_expect_nothing (f);
  return syn->seq;
}

static void
test_isn_fixed (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("isn=fixed:N: every connection starts at N, whatever the time or 4-tuple");
  f->config.isn_kind = TCP_ISN_FIXED;
  f->config.isn_fixed = 1234;
  g_assert_cmpuint (connect_isn (f, 4000, 80), ==, 1234);
  fixture_advance (f, 7 * SIM_S);
  g_assert_cmpuint (connect_isn (f, 4001, 80), ==, 1234);
}

static void
test_isn_clock_4us (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.4.1 MUST-8: the ISN clock ticks every 4 us of virtual time");
  f->config.isn_kind = TCP_ISN_CLOCK_4US;
  g_assert_cmpuint (connect_isn (f, 4000, 80), ==, 0);
  fixture_advance (f, 4 * SIM_MS);
  g_assert_cmpuint (connect_isn (f, 4000, 80), ==, 1000);
}

static void
test_isn_rfc6528 (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 6528 / RFC 9293 3.4.1 SHLD-1: ISN = M + F(4-tuple, secret): unrelated "
                  "per 4-tuple, and each grows with the 4 us clock");
  f->config.isn_kind = TCP_ISN_RFC6528;
  fixture_advance (f, 1 * SIM_S);
  TcpSeq a = connect_isn (f, 4000, 80);
  TcpSeq b = connect_isn (f, 4001, 80);
  g_assert_cmpuint (a, !=, b);
  g_assert_cmpuint (a, !=, (TcpSeq) (SIM_S / 4000)); /* not the bare clock */
  fixture_advance (f, 4 * SIM_MS);
  g_assert_cmpuint (connect_isn (f, 4000, 80), ==, a + 1000);
  g_assert_cmpuint (connect_isn (f, 4001, 80), ==, b + 1000);
}

static void
test_isn_linux (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("Linux secure_tcp_seq: siphash(4-tuple) + (ns >> 6), a 64 ns tick");
  f->config.isn_kind = TCP_ISN_LINUX;
  TcpSeq a = connect_isn (f, 4000, 80);
  TcpSeq b = connect_isn (f, 4001, 80);
  g_assert_cmpuint (a, !=, b);
  fixture_advance (f, 64 * SIM_US);
  g_assert_cmpuint (connect_isn (f, 4000, 80), ==, a + 1000);
}

/* The ISS of A's first SYN in a fresh simulation seeded with `seed`. */
static TcpSeq
first_isn_with_seed (guint64 seed, TcpIsnKind kind)
{
  SimEngine *engine = sim_engine_new (seed);
  TcpIncarnations *inc = tcp_incarnations_new ();
  TcpConfig config;
  tcp_config_init_rfc9293 (&config);
  config.isn_kind = kind;
  TcpStack *stack = tcp_stack_new (engine, "A", &config, inc, NULL, NULL);
  NetFourTuple t = { { FIX_A_IP, 4000 }, { FIX_B_IP, 80 } };
  TcpConn *conn = tcp_stack_connect (stack, &t, NULL, NULL);
  TcpSeq iss = conn->iss;
  tcp_stack_free (stack);
  tcp_incarnations_free (inc);
  sim_engine_free (engine);
  return iss;
}

static void
test_isn_random_reproducible (void)
{
  g_test_summary ("isn=random: a uniform draw from stream \"isn:<host>\": the same seed gives "
                  "the same ISNs, another seed others");
  g_assert_cmpuint (first_isn_with_seed (7, TCP_ISN_RANDOM), ==,
                    first_isn_with_seed (7, TCP_ISN_RANDOM));
  g_assert_cmpuint (first_isn_with_seed (7, TCP_ISN_RANDOM), !=,
                    first_isn_with_seed (8, TCP_ISN_RANDOM));
}

static void
test_isn_rfc6528_secret_from_seed (void)
{
  g_test_summary ("RFC 6528 secret from stream \"isn-secret:<host>\": reproducible per seed");
  g_assert_cmpuint (first_isn_with_seed (7, TCP_ISN_RFC6528), ==,
                    first_isn_with_seed (7, TCP_ISN_RFC6528));
  g_assert_cmpuint (first_isn_with_seed (7, TCP_ISN_RFC6528), !=,
                    first_isn_with_seed (8, TCP_ISN_RFC6528));
}

static void
test_isn_random_differs_per_connection (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("isn=random: consecutive connections draw different ISNs (no clock order)");
  f->config.isn_kind = TCP_ISN_RANDOM;
  g_assert_cmpuint (connect_isn (f, 4000, 80), !=, connect_isn (f, 4000, 80));
}

static void
test_isn_siphash_vector (void)
{
  g_test_summary ("SipHash-2-4 reference vector (Aumasson and Bernstein, appendix A): "
                  "key 00..0f, message 00..0e -> a129ca6149be45e5");
  guint8 key_bytes[16];
  guint8 msg[15];
  for (guint i = 0; i < 16; i++)
    key_bytes[i] = (guint8) i;
  for (guint i = 0; i < 15; i++)
    msg[i] = (guint8) i;
  guint64 key[2] = { 0, 0 };
  for (int i = 7; i >= 0; i--)
    {
      key[0] = (key[0] << 8) | key_bytes[i];
      key[1] = (key[1] << 8) | key_bytes[8 + i];
    }
  g_assert_cmphex (tcp_isn_siphash (key, msg, sizeof msg), ==,
                   G_GUINT64_CONSTANT (0xa129ca6149be45e5));
}

/* ---- crash and reboot ---------------------------------------------------- */

static void
test_crash_vanishes_silently (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("host crash: TCBs, TIME-WAIT records and listeners vanish without a segment");
  fixture_time_wait (f);                 /* a TIME-WAIT record on A:4000 */
  fixture_listen (f, 8);
  fixture_established_passive (f);       /* and an accepted connection on A:80 */
  guint64 live = f->conn_id;
  g_assert_cmpuint (f->released, ==, 1); /* the TIME-WAIT TCB's */
  tcp_stack_crash (fixture_stack (f));
  fixture_expect_nothing (f);
  g_assert_cmpstr (fixture_traced_state (f, live), ==, "CLOSED");
  g_assert_cmpstr (fixture_traced_state (f, tcp_listener_id (f->listener)), ==, "CLOSED");
  g_assert_cmpuint (tcp_stack_time_wait_count (fixture_stack (f)), ==, 0);
  g_assert_cmpuint (f->released, ==, 2);
  g_assert_cmpuint (f->failed, ==, 0);
  g_assert_nonnull (strstr (fixture_last_event_text (f, "tcp.state"), "host crashed"));
  g_assert_true (tcp_stack_is_down (fixture_stack (f)));
  tcp_listener_close (f->listener); /* still valid, now frees it */
  f->listener = NULL;
}

static void
test_crash_down_drops_arrivals (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("a crashed host (not yet rebooted) answers nothing, not even with RST");
  fixture_established (f);
  tcp_stack_crash (fixture_stack (f));
  fixture_inject (f, ACK, 5001, 1001, "hello");
  fixture_expect_nothing (f);
  g_assert_cmpstr (fixture_last_verdict (f), ==, "dropped");
}

static void
test_reboot_quiet_time (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 793 3.3 / RFC 9293 3.4.3 quiet time: no segment for quiet_time after "
                  "reboot; the SYN goes out on the first retransmission after it");
  fixture_stack (f);
  tcp_stack_reboot (fixture_stack (f), 10 * SIM_S);
  f->conn = tcp_stack_connect (fixture_stack (f), &f->tuple, &fixture_conn_callbacks, f);
  g_assert_nonnull (f->conn);
  /* RTO 1 s, doubling: retransmissions at 1, 3, 7 s are suppressed too. */
  fixture_run_until (f, 15 * SIM_S - 1);
  fixture_expect_nothing (f);
  g_assert_cmpuint (fixture_count_events (f, "tcp.quiet"), ==, 4);
  fixture_run_until (f, 15 * SIM_S);
  TcpSegment *syn = fixture_expect_segment (f, SYN, 1000, 0, 0);
  g_assert_true (syn->retransmission);
}

static void
test_reboot_fixed_isn_restarts (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.4.3 hazard: after a reboot isn=fixed:N starts at N again");
  f->config.isn_fixed = 777;
  g_assert_cmpuint (connect_isn (f, 4000, 80), ==, 777);
  tcp_stack_reboot (fixture_stack (f), 0);
  g_assert_cmpuint (connect_isn (f, 4000, 80), ==, 777);
}

static void
test_reboot_clock_isn_continues (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.4.1: the 4 us ISN clock is virtual time and survives a reboot");
  f->config.isn_kind = TCP_ISN_CLOCK_4US;
  fixture_advance (f, 2 * SIM_S);
  tcp_stack_reboot (fixture_stack (f), 0);
  fixture_advance (f, 2 * SIM_S);
  g_assert_cmpuint (connect_isn (f, 4000, 80), ==, 1000000);
}

static void
test_reboot_new_secret (TcpFixture *f, gconstpointer data)
{
  g_test_summary ("isn=rfc6528: a rebooted host draws a new secret, so F(4-tuple) changes");
  f->config.isn_kind = TCP_ISN_RFC6528;
  TcpSeq before = connect_isn (f, 4000, 80);
  tcp_stack_reboot (fixture_stack (f), 0);
  g_assert_cmpuint (connect_isn (f, 4000, 80), !=, before);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  TCP_TEST ("/tcp/isn/fixed-is-always-n", test_isn_fixed);
  TCP_TEST ("/tcp/isn/clock-ticks-every-4us", test_isn_clock_4us);
  TCP_TEST ("/tcp/isn/rfc6528-differs-per-tuple-and-grows-with-clock", test_isn_rfc6528);
  TCP_TEST ("/tcp/isn/linux-hash-plus-64ns-clock", test_isn_linux);
  TCP_TEST ("/tcp/isn/random-differs-per-connection", test_isn_random_differs_per_connection);
  g_test_add_func ("/tcp/isn/random-reproducible-with-seed", test_isn_random_reproducible);
  g_test_add_func ("/tcp/isn/rfc6528-secret-from-seed", test_isn_rfc6528_secret_from_seed);
  g_test_add_func ("/tcp/isn/siphash-2-4-reference-vector", test_isn_siphash_vector);
  TCP_TEST ("/tcp/crash/everything-vanishes-silently", test_crash_vanishes_silently);
  TCP_TEST ("/tcp/crash/down-host-drops-arrivals", test_crash_down_drops_arrivals);
  TCP_TEST ("/tcp/reboot/quiet-time-suppresses-segments", test_reboot_quiet_time);
  TCP_TEST ("/tcp/reboot/fixed-isn-restarts-at-n", test_reboot_fixed_isn_restarts);
  TCP_TEST ("/tcp/reboot/clock-isn-continues", test_reboot_clock_isn_continues);
  TCP_TEST ("/tcp/reboot/rfc6528-new-secret", test_reboot_new_secret);
  return g_test_run ();
}
