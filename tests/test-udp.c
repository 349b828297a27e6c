/* test-udp.c: UDP connect(), send and receive as far as the bind and
 * SO_REUSEPORT stories need them, one test per rule. Hosts "srv"
 * (10.0.0.2, 2001:db8::2) and "cli" (10.0.0.1), 1 ms apart, Linux
 * personality. */
#include "net-bench.h"
#include "personality.h"

#include <errno.h>
#include <string.h>

#define CLI_IP net_addr_ip4 (0x0A000001u) /* 10.0.0.1 */
#define SRV_IP net_addr_ip4 (0x0A000002u) /* 10.0.0.2 */

typedef NetOut Out;
typedef NetBench Bench;

static int
udp_socket (Bench *b, Host *h, gboolean reuseport)
{
  Out *o = net_bench_out (b);
  sock_socket_in (h, 0, SOCK_TYPE_DGRAM, net_bench_on_done, o);
  if (reuseport)
    sock_setsockopt (h, (int) o->ret, SOCK_OPT_REUSEPORT, 1, net_bench_on_done, net_bench_out (b));
  return (int) o->ret;
}

static Out *
x_bind (Bench *b, Host *h, int fd, NetAddr ip, guint16 port)
{
  Out *o = net_bench_out (b);
  sock_bind (h, fd, (NetEndpoint){ ip, port }, net_bench_on_done, o);
  return o;
}

static Out *
x_connect (Bench *b, Host *h, int fd, NetAddr ip, guint16 port)
{
  Out *o = net_bench_out (b);
  sock_connect (h, fd, (NetEndpoint){ ip, port }, net_bench_on_done, o);
  return o;
}

static Out *
x_write (Bench *b, Host *h, int fd, const char *text)
{
  Out *o = net_bench_out (b);
  GBytes *d = g_bytes_new (text, strlen (text));
  sock_write (h, fd, d, net_bench_on_done, o);
  g_bytes_unref (d);
  return o;
}

static Out *
x_read (Bench *b, Host *h, int fd, gsize max)
{
  Out *o = net_bench_out (b);
  sock_read (h, fd, max, net_bench_on_done, o);
  return o;
}

static void
assert_ret (const Out *o, gint64 ret)
{
  g_assert_true (o->done);
  if (o->ret != ret && o->ret < 0)
    g_test_message ("unexpected %s: %s", sock_errno_name (o->err), o->why);
  g_assert_cmpint (o->ret, ==, ret);
}

static void
assert_read (const Out *o, const char *text)
{
  assert_ret (o, (gint64) strlen (text));
  g_assert_cmpmem (g_bytes_get_data (o->data, NULL), g_bytes_get_size (o->data), text,
                   strlen (text));
}

static void
test_connect_autobinds_sends_nothing (void)
{
  g_test_summary ("Linux inet_dgram_connect(): connect() on an unbound UDP socket takes an "
                  "ephemeral port and the route's source address; no packet is sent");
  Bench *b = net_bench_new ("linux", FALSE);
  int u = udp_socket (b, b->cli, FALSE);
  Out *c = x_connect (b, b->cli, u, SRV_IP, 53);
  assert_ret (c, 0);
  g_assert_cmpstr (c->why, ==, "local 10.0.0.1:32768; no packet is sent (UDP has no handshake)");
  /* The port is taken: another UDP bind to it fails. */
  g_assert_cmpint (x_bind (b, b->cli, udp_socket (b, b->cli, FALSE), NET_IP4_ANY, 32768)->ret,
                   ==, -1);
  net_bench_free (b);
}

static void
test_send_unconnected_edestaddrreq (void)
{
  g_test_summary ("Linux udp_sendmsg(): send() without a destination on an unconnected UDP "
                  "socket fails with EDESTADDRREQ");
  Bench *b = net_bench_new ("linux", FALSE);
  Out *w = x_write (b, b->cli, udp_socket (b, b->cli, FALSE), "x");
  assert_ret (w, -1);
  g_assert_cmpint (w->err, ==, EDESTADDRREQ);
  net_bench_free (b);
}

static void
test_datagrams_keep_boundaries (void)
{
  g_test_summary ("RFC 768: each send() is one datagram; read() returns one datagram, the "
                  "part beyond its buffer discarded (udp(7) MSG_TRUNC)");
  Bench *b = net_bench_new ("linux", FALSE);
  int s = udp_socket (b, b->srv, FALSE);
  assert_ret (x_bind (b, b->srv, s, NET_IP4_ANY, 53), 0);
  int c = udp_socket (b, b->cli, FALSE);
  assert_ret (x_connect (b, b->cli, c, SRV_IP, 53), 0);
  assert_ret (x_write (b, b->cli, c, "first"), 5);
  assert_ret (x_write (b, b->cli, c, "second"), 6);
  net_bench_run_for (b, 2 * SIM_MS);
  assert_read (x_read (b, b->srv, s, 100), "first");
  assert_read (x_read (b, b->srv, s, 3), "sec");
  Out *r = x_read (b, b->srv, s, 100);
  g_assert_false (r->done); /* the rest of "second" is gone: it blocks */
  net_bench_free (b);
}

static void
test_connected_socket_filters_and_wins (void)
{
  g_test_summary ("Linux compute_score(): a UDP socket connected to the sender ranks above "
                  "the unconnected sockets of its SO_REUSEPORT group; it takes only its "
                  "peer's datagrams");
  Bench *b = net_bench_new ("linux", FALSE);
  int open = udp_socket (b, b->srv, TRUE);
  assert_ret (x_bind (b, b->srv, open, NET_IP4_ANY, 4433), 0);
  int conn = udp_socket (b, b->srv, TRUE);
  assert_ret (x_bind (b, b->srv, conn, SRV_IP, 4433), 0);
  assert_ret (x_connect (b, b->srv, conn, CLI_IP, 5000), 0);
  int from5000 = udp_socket (b, b->cli, FALSE);
  assert_ret (x_bind (b, b->cli, from5000, CLI_IP, 5000), 0);
  assert_ret (x_connect (b, b->cli, from5000, SRV_IP, 4433), 0);
  int from6000 = udp_socket (b, b->cli, FALSE);
  assert_ret (x_bind (b, b->cli, from6000, CLI_IP, 6000), 0);
  assert_ret (x_connect (b, b->cli, from6000, SRV_IP, 4433), 0);
  assert_ret (x_write (b, b->cli, from5000, "peer"), 4);
  assert_ret (x_write (b, b->cli, from6000, "other"), 5);
  net_bench_run_for (b, 2 * SIM_MS);
  assert_read (x_read (b, b->srv, conn, 100), "peer");
  assert_read (x_read (b, b->srv, open, 100), "other");
  net_bench_free (b);
}

static void
test_reuseport_flow_sticks (void)
{
  g_test_summary ("Linux reuseport_select_sock(): among equal SO_REUSEPORT sockets a flow's "
                  "datagrams always reach the same one (a hash of the four-tuple)");
  Bench *b = net_bench_new ("linux", FALSE);
  int u[2];
  for (int i = 0; i < 2; i++)
    {
      u[i] = udp_socket (b, b->srv, TRUE);
      assert_ret (x_bind (b, b->srv, u[i], NET_IP4_ANY, 4433), 0);
    }
  int c = udp_socket (b, b->cli, FALSE);
  assert_ret (x_connect (b, b->cli, c, SRV_IP, 4433), 0);
  for (int i = 0; i < 4; i++)
    assert_ret (x_write (b, b->cli, c, "d"), 1);
  net_bench_run_for (b, 2 * SIM_MS);
  Out *r0 = x_read (b, b->srv, u[0], 10);
  Out *r1 = x_read (b, b->srv, u[1], 10);
  g_assert_true (r0->done != r1->done); /* one socket has them all */
  int got = r0->done ? u[0] : u[1];
  for (int i = 0; i < 3; i++)
    assert_read (x_read (b, b->srv, got, 10), "d");
  net_bench_free (b);
}

static void
test_dual_stack_udp_socket (void)
{
  g_test_summary ("RFC 3493 5.3 for UDP: a [::] socket without IPV6_V6ONLY receives IPv4 "
                  "datagrams (Linux compute_score: ipv6_only_sock() excludes only a "
                  "V6ONLY one)");
  Bench *b = net_bench_new ("linux", FALSE);
  int s6 = udp_socket (b, b->srv, FALSE);
  assert_ret (x_bind (b, b->srv, s6, NET_IP6_ANY, 53), 0);
  int c = udp_socket (b, b->cli, FALSE);
  assert_ret (x_connect (b, b->cli, c, SRV_IP, 53), 0);
  assert_ret (x_write (b, b->cli, c, "v4"), 2);
  net_bench_run_for (b, 2 * SIM_MS);
  assert_read (x_read (b, b->srv, s6, 10), "v4");
  net_bench_free (b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/udp/connect/autobinds-and-sends-nothing", test_connect_autobinds_sends_nothing);
  g_test_add_func ("/udp/send/unconnected-edestaddrreq", test_send_unconnected_edestaddrreq);
  g_test_add_func ("/udp/recv/one-datagram-per-read-msg-trunc", test_datagrams_keep_boundaries);
  g_test_add_func ("/udp/reuseport/connected-socket-ranks-first", test_connected_socket_filters_and_wins);
  g_test_add_func ("/udp/reuseport/flow-sticks-to-one-socket", test_reuseport_flow_sticks);
  g_test_add_func ("/udp/ipv6/dual-stack-socket-receives-ipv4", test_dual_stack_udp_socket);
  return g_test_run ();
}
