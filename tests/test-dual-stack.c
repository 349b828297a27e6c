/* test-dual-stack.c: IPv6 sockets, dual-stack listeners and loopback, one
 * test per rule. Hosts "srv" (10.0.0.2, 2001:db8::2) and "cli" (10.0.0.1,
 * 2001:db8::1), 1 ms apart, with the personality the test names. */
#include "net-bench.h"
#include "personality.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CLI_IP net_addr_ip4 (0x0A000001u) /* 10.0.0.1 */
#define SRV_IP net_addr_ip4 (0x0A000002u) /* 10.0.0.2 */
#define LOOP_IP net_addr_ip4 (0x7F000001u) /* 127.0.0.1 */
static const guint8 cli6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }; /* 2001:db8::1 */
static const guint8 srv6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 }; /* 2001:db8::2 */
static const guint8 loop6[16] = { [15] = 1 };                        /* ::1 */

typedef NetOut Out;
typedef NetBench Bench;

static int
x_socket (Bench *b, Host *h)
{
  Out *o = net_bench_out (b);
  sock_socket (h, net_bench_on_done, o);
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
x_v6only (Bench *b, Host *h, int fd, int on)
{
  Out *o = net_bench_out (b);
  sock_setsockopt (h, fd, SOCK_OPT_V6ONLY, on, net_bench_on_done, o);
  return o;
}

/* A listener on ip:port (after IPV6_V6ONLY = v6only if >= 0). */
static int
x_listener (Bench *b, Host *h, NetAddr ip, guint16 port, int v6only)
{
  int fd = x_socket (b, h);
  if (v6only >= 0)
    g_assert_cmpint (x_v6only (b, h, fd, v6only)->ret, ==, 0);
  g_assert_cmpint (x_bind (b, h, fd, ip, port)->ret, ==, 0);
  Out *o = net_bench_out (b);
  sock_listen (h, fd, 8, net_bench_on_done, o);
  g_assert_cmpint (o->ret, ==, 0);
  return fd;
}

static Out *
x_connect (Bench *b, Host *h, int fd, NetAddr ip, guint16 port)
{
  Out *o = net_bench_out (b);
  sock_connect (h, fd, (NetEndpoint){ ip, port }, net_bench_on_done, o);
  return o;
}

static Out *
x_accept (Bench *b, Host *h, int fd)
{
  Out *o = net_bench_out (b);
  sock_accept (h, fd, net_bench_on_done, o);
  return o;
}

static void
assert_ok (const Out *o)
{
  g_assert_true (o->done);
  if (o->ret < 0)
    g_test_message ("unexpected %s: %s", sock_errno_name (o->err), o->why);
  g_assert_cmpint (o->ret, >=, 0);
}

static void
assert_err (const Out *o, int err)
{
  g_assert_true (o->done);
  g_assert_cmpint (o->ret, ==, -1);
  g_assert_cmpstr (sock_errno_name (o->err), ==, sock_errno_name (err));
}

/* ---- addresses ----------------------------------------------------------- */

static char *
round_trip (const char *text)
{
  NetAddr a;
  g_assert_true (net_addr_parse (text, &a));
  return net_addr_to_string (a);
}

static void
test_addr_text (void)
{
  g_test_summary ("RFC 4291 2.2 text forms parse; RFC 5952 4 prints them: lower case, "
                  "the longest run of zero fields as ::, v4-mapped as ::ffff:a.b.c.d");
  static const char *const cases[][2] = {
    { "2001:DB8:0:0:0:0:0:1", "2001:db8::1" },
    { "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
    { "::", "::" },
    { "::1", "::1" },
    { "::ffff:10.0.0.1", "::ffff:10.0.0.1" },
    { "10.0.0.1", "10.0.0.1" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = round_trip (cases[i][0]);
      g_assert_cmpstr (out, ==, cases[i][1]);
    }
  NetAddr a;
  g_assert_false (net_addr_parse ("2001:db8:::1", &a));
  g_assert_false (net_addr_parse ("10.0.0.256", &a));
  g_assert_false (net_addr_parse ("1.2.3", &a));
}

static void
test_addr_kinds (void)
{
  g_test_summary ("RFC 1122 3.2.1.3 (g) 127/8 and RFC 4291 2.5.3 ::1 are loopback; "
                  "RFC 4291 2.5.5.2 ::ffff:a.b.c.d maps an IPv4 address and back; "
                  "0.0.0.0 and :: are the wildcards of their families");
  g_assert_true (net_addr_is_loopback (net_addr_ip4 (0x7F000001u)));
  g_assert_true (net_addr_is_loopback (net_addr_ip4 (0x7F0A0B0Cu)));
  g_assert_false (net_addr_is_loopback (SRV_IP));
  g_assert_true (net_addr_is_loopback (net_addr_ip6 (loop6)));
  g_assert_false (net_addr_is_loopback (net_addr_ip6 (srv6)));
  NetAddr mapped = net_addr_v4_mapped (CLI_IP);
  g_assert_true (net_addr_is_v4_mapped (mapped));
  g_assert_true (net_addr_equal (net_addr_unmapped (mapped), CLI_IP));
  g_assert_false (net_addr_equal (mapped, CLI_IP));
  g_assert_true (net_addr_is_any (NET_IP4_ANY) && net_addr_is_any (NET_IP6_ANY));
  g_assert_false (net_addr_equal (NET_IP4_ANY, NET_IP6_ANY));
  g_assert_cmpint (net_addr_compare (CLI_IP, SRV_IP), <, 0);
  g_assert_cmpint (net_addr_compare (SRV_IP, net_addr_ip6 (cli6)), <, 0);
  g_assert_cmpuint (net_addr_ip4_value (SRV_IP), ==, 0x0A000002u);
}

/* ---- IPv6 and dual stack ---------------------------------------------- */

static void
test_ipv6_connection (void)
{
  g_test_summary ("RFC 9293 over IPv6 (RFC 8200): a connection between 2001:db8::1 and "
                  "[2001:db8::2]:80 is established; its source is the host's IPv6 address");
  Bench *b = net_bench_new ("linux", TRUE);
  int l = x_listener (b, b->srv, NET_IP6_ANY, 80, -1);
  Out *a = x_accept (b, b->srv, l);
  int c = x_socket (b, b->cli);
  Out *rc = x_connect (b, b->cli, c, net_addr_ip6 (srv6), 80);
  net_bench_run_for (b, 10 * SIM_MS);
  assert_ok (rc);
  assert_ok (a);
  g_assert_true (g_str_has_prefix (a->why, "from [2001:db8::1]:"));
  net_bench_free (b);
}

static void
keep_time_wait_tuple (const NetFourTuple *tuple, TcpState state, guint bind_flags,
                      guint64 conn_id, gpointer data)
{
  if (state == TCP_STATE_TIME_WAIT)
    *(NetFourTuple *) data = *tuple;
}

static void
test_ipv6_time_wait_record_keeps_tuple (void)
{
  g_test_summary ("RFC 9293 3.4.2 over IPv6: the TIME-WAIT record of an IPv6 connection "
                  "keeps its whole four-tuple (16-byte addresses, as Linux sock_common's "
                  "skc_v6_daddr): it is found by that tuple and listed on its port");
  Bench *b = net_bench_new ("linux", TRUE);
  int l = x_listener (b, b->srv, NET_IP6_ANY, 80, -1);
  Out *a = x_accept (b, b->srv, l);
  int c = x_socket (b, b->cli);
  Out *rc = x_connect (b, b->cli, c, net_addr_ip6 (srv6), 80);
  net_bench_run_for (b, 10 * SIM_MS);
  assert_ok (rc);
  assert_ok (a);
  sock_close (b->cli, c, net_bench_on_done, net_bench_out (b));
  net_bench_run_for (b, 10 * SIM_MS);
  sock_close (b->srv, (int) a->ret, net_bench_on_done, net_bench_out (b));
  net_bench_run_for (b, 10 * SIM_MS);
  TcpStack *stack = host_tcp (b->cli);
  g_assert_cmpuint (tcp_stack_time_wait_count (stack), ==, 1);
  const char *port = strstr (a->why, "]:");
  g_assert_nonnull (port);
  NetFourTuple seen = { 0 };
  tcp_stack_foreach_on_port (stack, (guint16) atoi (port + 2), keep_time_wait_tuple, &seen);
  g_assert_true (net_addr_equal (seen.local.ip, net_addr_ip6 (cli6)));
  g_assert_true (net_addr_equal (seen.remote.ip, net_addr_ip6 (srv6)));
  g_assert_cmpuint (seen.remote.port, ==, 80);
  g_assert_true (tcp_stack_time_wait_lookup (stack, &seen, NULL));
  net_bench_free (b);
}

static void
record_syn_mss (Host *to, const TcpSegment *seg, SimTime when, gpointer data)
{
  guint *mss = data;
  if ((seg->flags & TCP_FLAG_SYN) && *mss == 0)
    *mss = seg->mss;
}

static guint
first_syn_mss (NetAddr to)
{
  Bench *b = net_bench_new ("linux", TRUE);
  guint mss = 0;
  network_add_tap (b->net, record_syn_mss, &mss);
  x_listener (b, b->srv, NET_IP6_ANY, 80, -1);
  Out *rc = x_connect (b, b->cli, x_socket (b, b->cli), to, 80);
  net_bench_run_for (b, 10 * SIM_MS);
  assert_ok (rc);
  net_bench_free (b);
  return mss;
}

static void
test_ipv6_mss (void)
{
  g_test_summary ("RFC 9293 3.7.1: the MSS is the MTU less the fixed IP and TCP headers: "
                  "1460 over IPv4, 1440 over IPv6 (40-byte header, RFC 8200 3)");
  g_assert_cmpuint (first_syn_mss (SRV_IP), ==, 1460);
  g_assert_cmpuint (first_syn_mss (net_addr_ip6 (srv6)), ==, 1440);
}

static void
test_v4_peer_is_v4_mapped (void)
{
  g_test_summary ("RFC 3493 3.7, RFC 4291 2.5.5.2: an IPv4 client of a dual-stack [::] "
                  "listener (Linux bindv6only=0) is accepted as ::ffff:10.0.0.1");
  Bench *b = net_bench_new ("linux", TRUE);
  int l = x_listener (b, b->srv, NET_IP6_ANY, 80, -1);
  Out *a = x_accept (b, b->srv, l);
  int c = x_socket (b, b->cli);
  Out *rc = x_connect (b, b->cli, c, SRV_IP, 80);
  net_bench_run_for (b, 10 * SIM_MS);
  assert_ok (rc);
  assert_ok (a);
  g_assert_true (g_str_has_prefix (a->why, "from [::ffff:10.0.0.1]:"));
  net_bench_free (b);
}

static void
test_v6only_listener_refuses_ipv4 (void)
{
  g_test_summary ("RFC 3493 5.3: a [::] listener with IPV6_V6ONLY takes no IPv4 SYN; the "
                  "IPv4 client is refused (RST, RFC 9293 3.5.2)");
  Bench *b = net_bench_new ("linux", TRUE);
  x_listener (b, b->srv, NET_IP6_ANY, 80, 1);
  int c = x_socket (b, b->cli);
  Out *rc = x_connect (b, b->cli, c, SRV_IP, 80);
  net_bench_run_for (b, 10 * SIM_MS);
  assert_err (rc, ECONNREFUSED);
  net_bench_free (b);
}

static void
test_freebsd_v6only_default (void)
{
  g_test_summary ("FreeBSD net.inet6.ip6.v6only=1: a [::] listener is IPv6 only by "
                  "default, so an IPv4 client is refused");
  Bench *b = net_bench_new ("freebsd", TRUE);
  x_listener (b, b->srv, NET_IP6_ANY, 80, -1);
  int c = x_socket (b, b->cli);
  Out *rc = x_connect (b, b->cli, c, SRV_IP, 80);
  net_bench_run_for (b, 10 * SIM_MS);
  assert_err (rc, ECONNREFUSED);
  net_bench_free (b);
}

static int
x_reuseport_listener (Bench *b, NetAddr ip)
{
  int fd = x_socket (b, b->srv);
  Out *o = net_bench_out (b);
  sock_setsockopt (b->srv, fd, SOCK_OPT_REUSEPORT, 1, net_bench_on_done, o);
  assert_ok (x_bind (b, b->srv, fd, ip, 80));
  sock_listen (b->srv, fd, 8, net_bench_on_done, o);
  assert_ok (o);
  return fd;
}

static void
test_ipv4_listener_before_dual_stack (void)
{
  g_test_summary ("Linux compute_score(): for an IPv4 SYN an AF_INET listener ranks above a "
                  "dual-stack [::] one of the same port (both SO_REUSEPORT)");
  Bench *b = net_bench_new ("linux", TRUE);
  int l6 = x_reuseport_listener (b, NET_IP6_ANY);
  int l4 = x_reuseport_listener (b, NET_IP4_ANY);
  Out *a6 = x_accept (b, b->srv, l6);
  Out *a4 = x_accept (b, b->srv, l4);
  int c = x_socket (b, b->cli);
  Out *rc = x_connect (b, b->cli, c, SRV_IP, 80);
  net_bench_run_for (b, 10 * SIM_MS);
  assert_ok (rc);
  g_assert_false (a6->done);
  assert_ok (a4);
  g_assert_true (g_str_has_prefix (a4->why, "from 10.0.0.1:"));
  net_bench_free (b);
}

static void
test_family_is_fixed (void)
{
  g_test_summary ("Linux tcp_v6_connect(): an AF_INET6 socket given an AF_INET address "
                  "fails with EAFNOSUPPORT (and tcp_v4_connect() the other way round)");
  Bench *b = net_bench_new ("linux", TRUE);
  int s = x_socket (b, b->cli);
  assert_ok (x_bind (b, b->cli, s, net_addr_ip6 (cli6), 0));
  assert_err (x_connect (b, b->cli, s, SRV_IP, 80), EAFNOSUPPORT);
  int t = x_socket (b, b->cli);
  assert_ok (x_bind (b, b->cli, t, CLI_IP, 0));
  assert_err (x_connect (b, b->cli, t, net_addr_ip6 (srv6), 80), EAFNOSUPPORT);
  net_bench_free (b);
}

static void
test_v6only_rules (void)
{
  g_test_summary ("Linux do_ipv6_setsockopt(IPV6_V6ONLY): EINVAL once the socket has a "
                  "port; ENOPROTOOPT on an IPv4 socket");
  Bench *b = net_bench_new ("linux", TRUE);
  int s = x_socket (b, b->srv);
  assert_ok (x_bind (b, b->srv, s, NET_IP6_ANY, 80));
  assert_err (x_v6only (b, b->srv, s, 1), EINVAL);
  int t = x_socket (b, b->srv);
  assert_ok (x_bind (b, b->srv, t, SRV_IP, 81));
  assert_err (x_v6only (b, b->srv, t, 1), ENOPROTOOPT);
  net_bench_free (b);
}

static void
test_no_ipv6_address_enetunreach (void)
{
  g_test_summary ("A host without an IPv6 address has no IPv6 route: connect() to "
                  "[2001:db8::2]:80 fails with ENETUNREACH (Linux ip6_route_output)");
  Bench *b = net_bench_new ("linux", FALSE);
  int c = x_socket (b, b->cli);
  assert_err (x_connect (b, b->cli, c, net_addr_ip6 (srv6), 80), ENETUNREACH);
  net_bench_free (b);
}

/* ---- loopback ------------------------------------------------------------ */

/* A listener on `bound`, a client of the same host connecting to `to`. */
static void
connect_to_self (NetAddr bound, NetAddr to, const char *from)
{
  Bench *b = net_bench_new ("linux", TRUE);
  int l = x_listener (b, b->srv, bound, 80, -1);
  Out *a = x_accept (b, b->srv, l);
  int c = x_socket (b, b->srv);
  Out *rc = x_connect (b, b->srv, c, to, 80);
  net_bench_run_for (b, 1 * SIM_MS);
  assert_ok (rc);
  assert_ok (a);
  g_test_message ("accept: %s", a->why);
  g_assert_true (g_str_has_prefix (a->why, from));
  net_bench_free (b);
}

static void
test_loopback_127 (void)
{
  g_test_summary ("RFC 1122 3.2.1.3 (g): a host reaches itself at 127.0.0.1; the "
                  "connection's source is 127.0.0.1 too (the lo route's src)");
  connect_to_self (NET_IP4_ANY, LOOP_IP, "from 127.0.0.1:");
}

static void
test_loopback_ip6 (void)
{
  g_test_summary ("RFC 4291 2.5.3: a host reaches itself at ::1");
  connect_to_self (NET_IP6_ANY, net_addr_ip6 (loop6), "from [::1]:");
}

static void
test_loopback_own_address (void)
{
  g_test_summary ("A connection to one of the host's own addresses stays on the host "
                  "(Linux: the local table routes it over lo), with that address as source");
  connect_to_self (NET_IP4_ANY, SRV_IP, "from 10.0.0.2:");
}

static void
test_bind_loopback_address (void)
{
  g_test_summary ("bind() to 127.0.0.1 or ::1 succeeds on every host: they are the lo "
                  "device's (Linux inet_addr_type() is RTN_LOCAL)");
  Bench *b = net_bench_new ("linux", TRUE);
  assert_ok (x_bind (b, b->cli, x_socket (b, b->cli), LOOP_IP, 80));
  assert_ok (x_bind (b, b->cli, x_socket (b, b->cli), net_addr_ip6 (loop6), 80));
  net_bench_free (b);
}

/* A restarted local client: a connection from this host to `to`:80 whose
 * client closes first leaves a TIME-WAIT record on the single ephemeral
 * port; 2 s later (older than tcp_tw_reuse_delay) connect() from an
 * unbound socket needs that port again. */
static Out *
reconnect_over_time_wait (Bench *b, NetAddr to)
{
  SockConfig sock = *sock_config (b->srv);
  sock.port_low = sock.port_high = 40000;
  sock.tw_reuse = 2;
  sock_configure (b->srv, &sock);
  int l = x_listener (b, b->srv, NET_IP4_ANY, 80, -1);
  Out *a = x_accept (b, b->srv, l);
  int c = x_socket (b, b->srv);
  Out *first = x_connect (b, b->srv, c, to, 80);
  net_bench_run_for (b, 1 * SIM_MS);
  assert_ok (first);
  assert_ok (a);
  Out *cc = net_bench_out (b);
  sock_close (b->srv, c, net_bench_on_done, cc);
  net_bench_run_for (b, 1 * SIM_MS);
  Out *sc = net_bench_out (b);
  sock_close (b->srv, (int) a->ret, net_bench_on_done, sc);
  net_bench_run_for (b, 2 * SIM_S);
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (b->srv)), ==, 1);
  Out *again = x_accept (b, b->srv, l);
  Out *rc = x_connect (b, b->srv, x_socket (b, b->srv), to, 80);
  net_bench_run_for (b, 1 * SIM_MS);
  (void) again;
  return rc;
}

static void
test_tw_reuse_2_takes_loopback_record (void)
{
  g_test_summary ("Linux tcp_twsk_unique(), tcp_tw_reuse=2: a TIME-WAIT record toward "
                  "127.0.0.1 (ipv4_is_loopback(tw_daddr)) is taken over by connect()");
  Bench *b = net_bench_new ("linux", TRUE);
  assert_ok (reconnect_over_time_wait (b, LOOP_IP));
  net_bench_free (b);
}

static void
test_tw_reuse_2_not_own_address (void)
{
  g_test_summary ("Linux tcp_twsk_unique(), tcp_tw_reuse=2: a record toward the host's own "
                  "10.0.0.2 is not loopback (\"Still does not detect *everything* that goes "
                  "through lo\"): connect() finds no port, EADDRNOTAVAIL");
  Bench *b = net_bench_new ("linux", TRUE);
  assert_err (reconnect_over_time_wait (b, SRV_IP), EADDRNOTAVAIL);
  net_bench_free (b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ipv6/addr/rfc4291-parse-rfc5952-print", test_addr_text);
  g_test_add_func ("/ipv6/addr/loopback-v4-mapped-wildcards", test_addr_kinds);
  g_test_add_func ("/ipv6/connect/established-over-ipv6", test_ipv6_connection);
  g_test_add_func ("/ipv6/connect/mss-1440-over-ipv6", test_ipv6_mss);
  g_test_add_func ("/ipv6/time-wait/record-keeps-whole-tuple",
                   test_ipv6_time_wait_record_keeps_tuple);
  g_test_add_func ("/ipv6/accept/ipv4-peer-is-v4-mapped", test_v4_peer_is_v4_mapped);
  g_test_add_func ("/ipv6/listen/v6only-listener-refuses-ipv4", test_v6only_listener_refuses_ipv4);
  g_test_add_func ("/ipv6/listen/freebsd-v6only-by-default", test_freebsd_v6only_default);
  g_test_add_func ("/ipv6/listen/ipv4-listener-ranks-above-dual-stack", test_ipv4_listener_before_dual_stack);
  g_test_add_func ("/ipv6/socket/family-is-fixed-eafnosupport", test_family_is_fixed);
  g_test_add_func ("/ipv6/setsockopt/v6only-einval-after-bind-enoprotoopt-on-ipv4",
                   test_v6only_rules);
  g_test_add_func ("/ipv6/connect/no-ipv6-address-enetunreach", test_no_ipv6_address_enetunreach);
  g_test_add_func ("/loopback/connect-127.0.0.1", test_loopback_127);
  g_test_add_func ("/loopback/connect-ipv6-loopback", test_loopback_ip6);
  g_test_add_func ("/loopback/connect-own-address", test_loopback_own_address);
  g_test_add_func ("/loopback/bind-loopback-address", test_bind_loopback_address);
  g_test_add_func ("/loopback/tw-reuse-2-takes-loopback-record",
                   test_tw_reuse_2_takes_loopback_record);
  g_test_add_func ("/loopback/tw-reuse-2-own-address-is-not-loopback",
                   test_tw_reuse_2_not_own_address);
  return g_test_run ();
}
