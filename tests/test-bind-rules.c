/* test-bind-rules.c: bind()/listen()/connect() conflict rules per
 * personality (issue 3), table-driven. Each row is a short sequence of
 * socket calls on host "srv" (10.0.0.2, 10.0.1.2, 2001:db8::2) and a peer "peer"
 * (10.0.0.1, listening on 7000); every step but the last must succeed, and
 * the last one's result is checked against one column per personality:
 * linux, freebsd, macos, windows, rfc9293, textbook. Below the table, one
 * short named test per rule.
 *
 * Steps (";"-separated):
 * The result of a row is that of the first step that fails, or of the last.
 *
 *   X=tcp[:UID]  X=udp[:UID]   a socket in a process of that uid (default 0)
 *   X ra | X rp | X ex         SO_REUSEADDR, SO_REUSEPORT, SO_EXCLUSIVEADDRUSE
 *   X bind A:PORT              A: * (wildcard), 2 (10.0.0.2), 3 (10.0.1.2),
 *                              W6 ([::], the IPv6 wildcard), 6 (2001:db8::2)
 *   X v6only | X dual          IPV6_V6ONLY 1 | 0 (RFC 3493 5.3)
 *   X listen | X close | X connect PORT (to the peer, 10.0.0.1:PORT)
 *   tw OPTS PORT    a TIME-WAIT record of 10.0.0.2:PORT, left by a listener
 *                   with options OPTS (-, ra, rp, ex) whose accepted
 *                   connection closed first; the listener is closed
 *   est OPTS PORT   the same, but the accepted connection stays open
 *   ctw OPTS PORT   a TIME-WAIT record 10.0.0.2:PORT-10.0.0.1:7000 of a
 *                   client socket (options OPTS) that closed first */
#include "net-internal.h"
#include "personality.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PEER_IP net_addr_ip4 (0x0A000001u) /* 10.0.0.1 */
#define SRV_IP net_addr_ip4 (0x0A000002u)  /* 10.0.0.2 */
#define SRV_IP2 net_addr_ip4 (0x0A000102u) /* 10.0.1.2 */
static const guint8 srv_ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 }; /* 2001:db8::2 */

enum { LNX, FBSD, MAC, WIN, RFC, TXT, N_PERS };
static const char *const pers_names[N_PERS] = {
  "linux", "freebsd", "macos", "windows", "rfc9293", "textbook",
};

typedef struct {
  const char *name;
  const char *steps;
  const char *expect[N_PERS]; /* "0", "EADDRINUSE", ... */
} BindRow;

#define ALL(x) { x, x, x, x, x, x }
#define IU "EADDRINUSE"
#define NA "EADDRNOTAVAIL"
#define AC "EACCES"
#define AF "EAFNOSUPPORT"

static const BindRow rows[] = {
  /* plain binds */
  { "fresh-port", "A=tcp; A bind *:80", ALL ("0") },
  { "same-wildcard", "A=tcp; A bind *:80; B=tcp; B bind *:80", ALL (IU) },
  { "same-specific", "A=tcp; A bind 2:80; B=tcp; B bind 2:80", ALL (IU) },
  { "different-addresses", "A=tcp; A bind 2:80; B=tcp; B bind 3:80", ALL ("0") },
  { "different-ports", "A=tcp; A bind *:80; B=tcp; B bind *:81", ALL ("0") },
  { "wildcard-then-specific", "A=tcp; A bind *:80; B=tcp; B bind 2:80",
    { IU, IU, IU, "0", IU, IU } },
  { "specific-then-wildcard", "A=tcp; A bind 2:80; B=tcp; B bind *:80",
    { IU, IU, IU, "0", IU, IU } },
  { "wildcard-listener-then-specific", "A=tcp; A bind *:80; A listen; B=tcp; B bind 2:80",
    { IU, IU, IU, "0", IU, IU } },
  /* SO_REUSEADDR, bound sockets */
  { "ra-both-wildcard-bound", "A=tcp; A ra; A bind *:80; B=tcp; B ra; B bind *:80",
    { "0", IU, IU, "0", IU, IU } },
  { "ra-new-only-wildcard-bound", "A=tcp; A bind *:80; B=tcp; B ra; B bind *:80",
    { IU, IU, IU, AC, IU, IU } },
  { "ra-old-only-wildcard-bound", "A=tcp; A ra; A bind *:80; B=tcp; B bind *:80",
    { IU, IU, IU, IU, IU, IU } },
  { "ra-new-specific-beside-wildcard", "A=tcp; A bind *:80; B=tcp; B ra; B bind 2:80",
    { IU, "0", "0", "0", "0", "0" } },
  { "ra-new-wildcard-beside-specific", "A=tcp; A bind 2:80; B=tcp; B ra; B bind *:80",
    { IU, "0", "0", "0", "0", "0" } },
  { "ra-both-specific-beside-wildcard", "A=tcp; A ra; A bind *:80; B=tcp; B ra; B bind 2:80",
    ALL ("0") },
  { "ra-both-same-specific", "A=tcp; A ra; A bind 2:80; B=tcp; B ra; B bind 2:80",
    { "0", IU, IU, "0", IU, IU } },
  /* SO_REUSEADDR and listeners */
  { "ra-both-over-listener", "A=tcp; A ra; A bind *:80; A listen; B=tcp; B ra; B bind *:80",
    { IU, IU, IU, "0", IU, IU } },
  { "ra-specific-beside-wildcard-listener",
    "A=tcp; A ra; A bind *:80; A listen; B=tcp; B ra; B bind 2:80", { IU, "0", "0", "0", "0", "0" } },
  { "ra-new-specific-beside-plain-listener",
    "A=tcp; A bind *:80; A listen; B=tcp; B ra; B bind 2:80", { IU, "0", "0", "0", "0", "0" } },
  { "listen-rechecks-second-listener",
    "A=tcp; A ra; A bind *:80; B=tcp; B ra; B bind *:80; A listen; B listen",
    { IU, IU, IU, "0", IU, IU } },
  { "listen-rechecks-first-listen-ok", "A=tcp; A ra; A bind *:80; B=tcp; B ra; B bind *:80; A listen",
    { "0", IU, IU, "0", IU, IU } },
  { "listen-rechecks-specific-beside-wildcard",
    "A=tcp; A ra; A bind *:80; B=tcp; B ra; B bind 3:80; A listen; B listen",
    { IU, "0", "0", "0", "0", "0" } },
  { "listen-after-close-of-other", "A=tcp; A bind *:80; A listen; A close; B=tcp; B bind *:80; B listen",
    ALL ("0") },
  /* SO_REUSEPORT */
  { "rp-both-listeners", "A=tcp; A rp; A bind *:80; A listen; B=tcp; B rp; B bind *:80; B listen",
    { "0", "0", "0", IU, "0", "0" } },
  { "rp-both-bind", "A=tcp; A rp; A bind *:80; B=tcp; B rp; B bind *:80",
    { "0", "0", "0", IU, "0", "0" } },
  { "rp-new-only", "A=tcp; A bind *:80; B=tcp; B rp; B bind *:80", { IU, IU, IU, IU, IU, IU } },
  { "rp-old-only", "A=tcp; A rp; A bind *:80; B=tcp; B bind *:80", ALL (IU) },
  { "rp-other-user", "A=tcp:1000; A rp; A bind *:8080; B=tcp:1001; B rp; B bind *:8080",
    { IU, IU, IU, IU, IU, IU } },
  { "rp-same-user", "A=tcp:1000; A rp; A bind *:8080; B=tcp:1000; B rp; B bind *:8080",
    { "0", "0", "0", IU, "0", "0" } },
  { "rp-root-over-other-user", "A=tcp:1000; A rp; A bind *:8080; B=tcp; B rp; B bind *:8080",
    { IU, "0", "0", IU, "0", "0" } },
  { "rp-other-user-specific", "A=tcp:1000; A rp; A bind *:8080; B=tcp:1001; B rp; B ra; B bind 2:8080",
    { IU, IU, IU, AC, IU, IU } },
  { "ra-other-user-specific", "A=tcp:1000; A bind *:8080; B=tcp:1001; B ra; B bind 2:8080",
    { IU, IU, IU, AC, IU, IU } },
  { "ra-same-user-specific", "A=tcp:1000; A bind *:8080; B=tcp:1000; B ra; B bind 2:8080",
    { IU, "0", "0", "0", "0", "0" } },
  { "other-user-different-address", "A=tcp:1000; A bind 2:8080; B=tcp:1001; B bind 3:8080",
    ALL ("0") },
  /* reserved ports */
  { "reserved-port-root", "A=tcp; A bind *:80", ALL ("0") },
  { "reserved-port-user", "A=tcp:1000; A bind *:80", { AC, AC, "0", "0", AC, AC } },
  { "reserved-port-user-1024", "A=tcp:1000; A bind *:1024", ALL ("0") },
  { "reserved-port-user-1023", "A=tcp:1000; A bind 2:1023", { AC, AC, "0", "0", AC, AC } },
  /* TIME-WAIT records */
  { "tw-plain-rebind", "tw - 80; B=tcp; B bind *:80", { IU, IU, IU, "0", IU, IU } },
  { "tw-plain-rebind-specific", "tw - 80; B=tcp; B bind 2:80", { IU, IU, IU, "0", IU, IU } },
  { "tw-plain-rebind-other-address", "tw - 80; B=tcp; B bind 3:80", ALL ("0") },
  { "tw-new-ra-old-plain", "tw - 80; B=tcp; B ra; B bind *:80", { IU, "0", "0", "0", "0", "0" } },
  { "tw-both-ra", "tw ra 80; B=tcp; B ra; B bind *:80", ALL ("0") },
  { "tw-old-ra-new-plain", "tw ra 80; B=tcp; B bind *:80", { IU, IU, IU, "0", IU, IU } },
  { "tw-both-ra-then-listen", "tw ra 80; B=tcp; B ra; B bind *:80; B listen", ALL ("0") },
  { "tw-rp-both", "tw rp 80; B=tcp; B rp; B bind *:80", { "0", "0", "0", "0", "0", "0" } },
  { "tw-rp-other-user", "tw rp 8080; B=tcp:1001; B rp; B bind *:8080",
    { "0", "0", "0", "0", "0", "0" } },
  { "tw-exclusive-old", "tw ex 80; B=tcp; B bind *:80", { IU, IU, IU, IU, IU, IU } },
  { "tw-exclusive-new", "tw - 80; B=tcp; B ex; B bind *:80", { IU, IU, IU, IU, IU, IU } },
  { "tw-autobind-skips", "tw - 80; B=tcp; B bind *:0", ALL ("0") },
  /* established connections on the port (listener gone) */
  { "est-plain-rebind", "est - 80; B=tcp; B bind *:80", { IU, IU, IU, "0", IU, IU } },
  { "est-both-ra", "est ra 80; B=tcp; B ra; B bind *:80", ALL ("0") },
  { "est-new-ra", "est - 80; B=tcp; B ra; B bind *:80", { IU, "0", "0", "0", "0", "0" } },
  { "est-both-ra-listen", "est ra 80; B=tcp; B ra; B bind *:80; B listen", ALL ("0") },
  /* connect() */
  { "connect-fresh", "A=tcp; A connect 7000", ALL ("0") },
  { "connect-bound-port", "A=tcp; A bind 2:5000; A connect 7000", ALL ("0") },
  { "connect-duplicate-tw", "ctw ra 5000; B=tcp; B ra; B bind 2:5000; B connect 7000",
    { NA, IU, IU, IU, IU, "0" } },
  { "connect-tw-other-peer-port", "ctw ra 5000; B=tcp; B ra; B bind 2:5000; B connect 7001",
    ALL ("0") },
  { "connect-rebind-client-port-plain", "ctw - 5000; B=tcp; B bind 2:5000",
    { IU, IU, IU, "0", IU, IU } },
  { "connect-rebind-client-port-ra", "ctw - 5000; B=tcp; B ra; B bind 2:5000",
    { IU, "0", "0", "0", "0", "0" } },
  { "connect-duplicate-established",
    "A=tcp; A ra; A bind 2:5000; A connect 7000; B=tcp; B ra; B bind 2:5000; B connect 7000",
    { NA, IU, IU, IU, IU, IU } },
  { "connect-autobind-after-tw", "ctw - 5000; B=tcp; B connect 7000", ALL ("0") },
  /* UDP */
  { "udp-plain-duplicate", "A=udp; A bind *:53; B=udp; B bind *:53", ALL (IU) },
  { "udp-ra-both", "A=udp; A ra; A bind *:53; B=udp; B ra; B bind *:53",
    { "0", IU, IU, "0", IU, IU } },
  { "udp-rp-both", "A=udp; A rp; A bind *:53; B=udp; B rp; B bind *:53",
    { "0", "0", "0", IU, "0", "0" } },
  { "udp-rp-other-user", "A=udp:1000; A rp; A bind *:5353; B=udp:1001; B rp; B bind *:5353",
    { IU, IU, IU, IU, IU, IU } },
  { "udp-ra-specific-beside-wildcard", "A=udp; A bind *:53; B=udp; B ra; B bind 2:53",
    { IU, "0", "0", "0", "0", "0" } },
  { "udp-and-tcp-separate", "A=tcp; A bind *:53; A listen; B=udp; B bind *:53", ALL ("0") },
  { "tcp-after-udp", "A=udp; A bind *:53; B=tcp; B bind *:53", ALL ("0") },
  { "udp-ra-old-only", "A=udp; A ra; A bind *:53; B=udp; B bind *:53", ALL (IU) },
  /* Windows exclusive use */
  { "ex-first-blocks-ra", "A=tcp; A ex; A bind *:80; B=tcp; B ra; B bind *:80",
    { IU, IU, IU, AC, IU, IU } },
  { "ex-second-over-plain", "A=tcp; A bind 2:80; B=tcp; B ex; B bind *:80",
    { IU, IU, IU, IU, IU, IU } },
  { "ex-specific-over-ex-wildcard", "A=tcp; A ex; A bind *:80; B=tcp; B ex; B bind 2:80",
    { IU, IU, IU, AC, IU, IU } },
  /* IPv6 and dual stack (RFC 3493 5.3 IPV6_V6ONLY). Without it a [::]
   * socket also holds the IPv4 port (Linux ipv6_rcv_saddr_equal, FreeBSD
   * in6_pcbbind). The default is bindv6only: linux 0, freebsd 1, macos 0,
   * windows 1, rfc9293/textbook 0 (RFC 3493: off). */
  { "v6-wildcard-holds-v4-port", "A=tcp; A bind W6:80; B=tcp; B bind *:80",
    { IU, "0", IU, "0", IU, IU } },
  { "v4-wildcard-holds-v6-wildcard", "A=tcp; A bind *:80; B=tcp; B bind W6:80",
    { IU, "0", IU, "0", IU, IU } },
  { "v6-wildcard-listener-holds-v4-specific", "A=tcp; A bind W6:80; A listen; B=tcp; B bind 2:80",
    { IU, "0", IU, "0", IU, IU } },
  { "v6only-wildcard-beside-v4-wildcard", "A=tcp; A v6only; A bind W6:80; B=tcp; B bind *:80",
    ALL ("0") },
  { "dual-wildcard-holds-v4-wildcard", "A=tcp; A dual; A bind W6:80; B=tcp; B bind *:80",
    ALL (IU) },
  { "v6-specific-beside-v4-wildcard", "A=tcp; A bind *:80; B=tcp; B bind 6:80", ALL ("0") },
  { "v6-specific-under-v6-wildcard", "A=tcp; A bind W6:80; B=tcp; B bind 6:80",
    { IU, IU, IU, "0", IU, IU } },
  { "v6only-after-bind-einval", "A=tcp; A bind W6:80; A v6only", ALL ("EINVAL") },
  { "v6only-on-ipv4-socket-enoprotoopt", "A=tcp; A bind *:80; A v6only", ALL ("ENOPROTOOPT") },
  { "ipv4-address-on-ipv6-socket", "A=tcp; A v6only; A bind 2:80", ALL (AF) },
};

/* ---- the bench ----------------------------------------------------------- */

typedef struct {
  gboolean done;
  gint64 ret;
  int err;
  char *why;
} Out;

typedef struct {
  SimEngine *engine;
  Network *net;
  Host *srv, *peer;
  int peer_listener;
  GHashTable *vars; /* name -> GINT_TO_POINTER (fd + 1) */
  GHashTable *uids; /* uid -> GUINT_TO_POINTER (pid + 1) */
} Bench;

static void
on_done (const SockResult *r, gpointer user)
{
  Out *o = user;
  o->done = TRUE;
  o->ret = r->ret;
  o->err = r->err;
  g_free (o->why);
  o->why = g_strdup (r->why);
}

static void
noop (gpointer data)
{
}

static void
run_for (Bench *b, SimTime d)
{
  SimTime t = sim_engine_now (b->engine) + d;
  sim_engine_schedule_at (b->engine, t, noop, NULL);
  sim_engine_run (b->engine, t, 0);
}

static Bench *
bench_new (const char *personality)
{
  Bench *b = g_new0 (Bench, 1);
  b->engine = sim_engine_new (1);
  b->net = network_new (b->engine);
  TcpConfig tcp;
  SockConfig sock;
  personality_apply (personality_find (personality), &tcp, &sock);
  NetAddr srv_ips[] = { SRV_IP, SRV_IP2, net_addr_ip6 (srv_ip6) }, peer_ip = PEER_IP;
  b->srv = network_add_host (b->net, "srv", srv_ips, 3, &tcp);
  sock_configure (b->srv, &sock);
  TcpConfig peer_tcp;
  tcp_config_init_rfc9293 (&peer_tcp);
  b->peer = network_add_host (b->net, "peer", &peer_ip, 1, &peer_tcp);
  Link *link = network_link (b->net, b->srv, b->peer);
  link_direction_set_delay (link_direction_from (link, b->srv), SIM_MS);
  link_direction_set_delay (link_direction_from (link, b->peer), SIM_MS);
  b->vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  b->uids = g_hash_table_new (g_direct_hash, g_direct_equal);
  /* The peer listens on 7000 and 7001. */
  Out o = { 0 };
  for (guint16 port = 7000; port <= 7001; port++)
    {
      sock_socket (b->peer, on_done, &o);
      int fd = (int) o.ret;
      if (port == 7000)
        b->peer_listener = fd;
      sock_bind (b->peer, fd, (NetEndpoint){ PEER_IP, port }, on_done, &o);
      sock_listen (b->peer, fd, 64, on_done, &o);
      g_assert_cmpint (o.ret, ==, 0);
    }
  g_free (o.why);
  return b;
}

static void
bench_free (Bench *b)
{
  network_free (b->net);
  sim_engine_free (b->engine);
  g_hash_table_destroy (b->vars);
  g_hash_table_destroy (b->uids);
  g_free (b);
}

static guint
pid_for_uid (Bench *b, guint uid)
{
  if (uid == 0)
    return 0;
  gpointer v = g_hash_table_lookup (b->uids, GUINT_TO_POINTER (uid));
  if (v != NULL)
    return GPOINTER_TO_UINT (v) - 1;
  g_autofree char *name = g_strdup_printf ("user%u", uid);
  guint pid = sock_process_new (b->srv, name, uid);
  g_hash_table_insert (b->uids, GUINT_TO_POINTER (uid), GUINT_TO_POINTER (pid + 1));
  return pid;
}

static int
var_fd (Bench *b, const char *name)
{
  gpointer v = g_hash_table_lookup (b->vars, name);
  g_assert_nonnull (v);
  return GPOINTER_TO_INT (v) - 1;
}

static NetEndpoint
parse_local (const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, ":", 2);
  NetAddr ip = strcmp (parts[0], "*") == 0 ? NET_IP4_ANY
               : strcmp (parts[0], "W6") == 0 ? NET_IP6_ANY
               : strcmp (parts[0], "6") == 0 ? net_addr_ip6 (srv_ip6)
               : strcmp (parts[0], "2") == 0 ? SRV_IP : SRV_IP2;
  return (NetEndpoint){ ip, (guint16) g_ascii_strtoull (parts[1], NULL, 10) };
}

static void
apply_opts (Bench *b, int fd, const char *opts, Out *o)
{
  if (strcmp (opts, "ra") == 0)
    sock_setsockopt (b->srv, fd, SOCK_OPT_REUSEADDR, 1, on_done, o);
  else if (strcmp (opts, "rp") == 0)
    sock_setsockopt (b->srv, fd, SOCK_OPT_REUSEPORT, 1, on_done, o);
  else if (strcmp (opts, "ex") == 0)
    sock_setsockopt (b->srv, fd, SOCK_OPT_EXCLUSIVEADDRUSE, 1, on_done, o);
  else if (strcmp (opts, "v6only") == 0 || strcmp (opts, "dual") == 0)
    sock_setsockopt (b->srv, fd, SOCK_OPT_V6ONLY, opts[0] == 'v', on_done, o);
}

/* The peer accepts whatever is queued and closes it. */
static void
peer_drain (Bench *b)
{
  Out o = { 0 };
  sock_accept (b->peer, b->peer_listener, on_done, &o);
  run_for (b, 5 * SIM_MS);
  if (o.done && o.ret >= 0)
    sock_close (b->peer, (int) o.ret, on_done, &o);
  g_free (o.why);
}

/* tw/est: a listener on 10.0.0.2:PORT with OPTS; the peer connects; the
 * server's accepted socket closes first (tw) or stays open (est). */
static void
make_server_conn (Bench *b, const char *opts, guint16 port, gboolean close_it)
{
  Out o = { 0 };
  sock_socket (b->srv, on_done, &o);
  int l = (int) o.ret;
  apply_opts (b, l, opts, &o);
  sock_bind (b->srv, l, (NetEndpoint){ SRV_IP, port }, on_done, &o);
  g_assert_cmpint (o.ret, ==, 0);
  sock_listen (b->srv, l, 8, on_done, &o);
  Out po = { 0 };
  sock_socket (b->peer, on_done, &po);
  int pc = (int) po.ret;
  sock_connect (b->peer, pc, (NetEndpoint){ SRV_IP, port }, on_done, &po);
  run_for (b, 10 * SIM_MS);
  Out ao = { 0 };
  sock_accept (b->srv, l, on_done, &ao);
  g_assert_cmpint (ao.ret, >=, 0);
  if (close_it)
    {
      sock_close (b->srv, (int) ao.ret, on_done, &o);
      run_for (b, 10 * SIM_MS);
      sock_close (b->peer, pc, on_done, &po);
      run_for (b, 10 * SIM_MS);
      g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (b->srv)), >, 0);
    }
  sock_close (b->srv, l, on_done, &o);
  g_free (o.why);
  g_free (po.why);
  g_free (ao.why);
}

/* ctw: a client socket on 10.0.0.2:PORT to the peer's 7000 closes first. */
static void
make_client_time_wait (Bench *b, const char *opts, guint16 port)
{
  Out o = { 0 };
  sock_socket (b->srv, on_done, &o);
  int c = (int) o.ret;
  apply_opts (b, c, opts, &o);
  sock_bind (b->srv, c, (NetEndpoint){ SRV_IP, port }, on_done, &o);
  g_assert_cmpint (o.ret, ==, 0);
  sock_connect (b->srv, c, (NetEndpoint){ PEER_IP, 7000 }, on_done, &o);
  run_for (b, 10 * SIM_MS);
  g_assert_cmpint (o.ret, ==, 0);
  sock_close (b->srv, c, on_done, &o);
  run_for (b, 10 * SIM_MS);
  peer_drain (b);
  run_for (b, 10 * SIM_MS);
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (b->srv)), >, 0);
  g_free (o.why);
}

/* Runs one step; returns its result (errno name or "0"; caller frees). */
static char *
run_step (Bench *b, const char *step, char **why)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (step));
  g_auto (GStrv) w = g_strsplit (trimmed, " ", 4);
  Out o = { 0 };
  guint n = g_strv_length (w);
  if (strcmp (w[0], "tw") == 0 || strcmp (w[0], "est") == 0)
    make_server_conn (b, w[1], (guint16) atoi (w[2]), strcmp (w[0], "tw") == 0);
  else if (strcmp (w[0], "ctw") == 0)
    make_client_time_wait (b, w[1], (guint16) atoi (w[2]));
  else if (strchr (w[0], '=') != NULL)
    {
      g_auto (GStrv) kv = g_strsplit (w[0], "=", 2);
      g_auto (GStrv) tu = g_strsplit (kv[1], ":", 2);
      guint uid = tu[1] != NULL ? (guint) atoi (tu[1]) : 0;
      SockType type = strcmp (tu[0], "udp") == 0 ? SOCK_TYPE_DGRAM : SOCK_TYPE_STREAM;
      sock_socket_in (b->srv, pid_for_uid (b, uid), type, on_done, &o);
      g_hash_table_insert (b->vars, g_strdup (kv[0]), GINT_TO_POINTER ((int) o.ret + 1));
    }
  else
    {
      int fd = var_fd (b, w[0]);
      g_assert_cmpuint (n, >=, 2);
      if (strcmp (w[1], "bind") == 0)
        sock_bind (b->srv, fd, parse_local (w[2]), on_done, &o);
      else if (strcmp (w[1], "listen") == 0)
        sock_listen (b->srv, fd, 8, on_done, &o);
      else if (strcmp (w[1], "close") == 0)
        sock_close (b->srv, fd, on_done, &o);
      else if (strcmp (w[1], "connect") == 0)
        {
          sock_connect (b->srv, fd, (NetEndpoint){ PEER_IP, (guint16) atoi (w[2]) }, on_done, &o);
          run_for (b, 10 * SIM_MS);
        }
      else
        apply_opts (b, fd, w[1], &o);
    }
  *why = o.why;
  if (!o.done)
    return g_strdup ("0"); /* macro steps */
  return g_strdup (o.ret == -1 ? sock_errno_name (o.err) : "0");
}

static void
test_row (const BindRow *row, guint pers)
{
  Bench *b = bench_new (pers_names[pers]);
  g_auto (GStrv) steps = g_strsplit (row->steps, ";", -1);
  guint n = g_strv_length (steps);
  char *got = NULL, *why = NULL;
  guint i = 0;
  for (; i < n; i++)
    {
      g_free (got);
      g_free (why);
      got = run_step (b, steps[i], &why);
      if (strcmp (got, "0") != 0)
        break; /* the sequence stops at its first failure */
    }
  if (strcmp (got, row->expect[pers]) != 0)
    g_test_message ("%s [%s] step %u '%s': expected %s, got %s (%s)", row->name,
                    pers_names[pers], MIN (i + 1, n), steps[MIN (i, n - 1)], row->expect[pers], got,
                    why != NULL ? why : "");
  g_assert_cmpstr (got, ==, row->expect[pers]);
  g_free (got);
  g_free (why);
  bench_free (b);
}

static void
test_table (gconstpointer data)
{
  guint pers = GPOINTER_TO_UINT (data);
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    test_row (&rows[i], pers);
  g_assert_cmpuint (G_N_ELEMENTS (rows), >=, 60);
}

/* ---- one short test per rule --------------------------------------------- */

/* Runs `steps` on `pers` and returns the last step's result and reason. */
static char *
last_result (const char *pers, const char *steps, char **why)
{
  Bench *b = bench_new (pers);
  g_auto (GStrv) v = g_strsplit (steps, ";", -1);
  char *got = NULL;
  *why = NULL;
  for (guint i = 0; v[i] != NULL; i++)
    {
      g_free (got);
      g_free (*why);
      got = run_step (b, v[i], why);
    }
  bench_free (b);
  return got;
}

#define RULE_TEST(fn, pers, steps, want, why_part)                   \
  static void fn (void)                                              \
  {                                                                  \
    char *why = NULL;                                                \
    g_autofree char *got = last_result (pers, steps, &why);          \
    g_assert_cmpstr (got, ==, want);                                 \
    if ((why_part) != NULL)                                          \
      {                                                              \
        g_assert_nonnull (why);                                      \
        g_assert_nonnull (strstr (why, (why_part) != NULL ? (why_part) : "")); \
      }                                                              \
    g_free (why);                                                    \
  }

RULE_TEST (test_linux_reuseaddr_both, "linux", "tw - 80; B=tcp; B ra; B bind *:80", IU,
           "a TIME-WAIT record of 10.0.0.2:80-10.0.0.1:")
RULE_TEST (test_linux_tw_keeps_flags, "linux", "tw ra 80; B=tcp; B ra; B bind *:80", "0", NULL)
RULE_TEST (test_linux_never_over_listener, "linux",
           "A=tcp; A ra; A bind *:80; A listen; B=tcp; B ra; B bind *:80", IU,
           "SO_REUSEADDR never shares with a listener")
RULE_TEST (test_linux_listen_rechecks, "linux",
           "A=tcp; A ra; A bind *:80; B=tcp; B ra; B bind *:80; A listen; B listen", IU,
           "listen() checks the port again")
RULE_TEST (test_bsd_new_socket_only, "freebsd", "tw - 80; B=tcp; B ra; B bind *:80", "0", NULL)
RULE_TEST (test_bsd_specific_beside_wildcard, "freebsd",
           "A=tcp; A bind *:80; A listen; B=tcp; B ra; B bind 2:80", "0", NULL)
RULE_TEST (test_linux_wildcard_specific, "linux", "A=tcp; A bind 2:80; B=tcp; B ra; B bind *:80", IU,
           NULL)
RULE_TEST (test_reuseport_same_owner, "linux",
           "A=tcp:1000; A rp; A bind *:8080; A listen; B=tcp:1000; B rp; B bind *:8080; B listen", "0",
           NULL)
RULE_TEST (test_reuseport_other_owner, "linux",
           "A=tcp:1000; A rp; A bind *:8080; B=tcp:1001; B rp; B bind *:8080", IU, "uid 1001")
RULE_TEST (test_reuseport_tw_skips_owner, "linux", "tw rp 8080; B=tcp:1001; B rp; B bind *:8080", "0",
           NULL)
RULE_TEST (test_connect_dup_linux, "linux", "ctw ra 5000; B=tcp; B ra; B bind 2:5000; B connect 7000",
           NA, "is held by a TIME-WAIT record without timestamps")
RULE_TEST (test_connect_dup_bsd, "freebsd", "ctw ra 5000; B=tcp; B ra; B bind 2:5000; B connect 7000",
           IU, "is held by a TIME-WAIT record (the bsd rules never take one over")
RULE_TEST (test_textbook_discards_time_wait, "textbook", "tw - 80; B=tcp; B ra; B bind *:80", "0",
           "discarded 1 TIME-WAIT record")
RULE_TEST (test_udp_duplicate, "linux", "A=udp; A bind *:53; B=udp; B bind *:53", IU, "UDP")
RULE_TEST (test_reserved_port, "linux", "A=tcp:1000; A bind *:80", AC, "reserved port")
RULE_TEST (test_windows_exclusive, "windows", "A=tcp; A ex; A bind *:80; B=tcp; B ra; B bind *:80", AC,
           "SO_EXCLUSIVEADDRUSE")

static void
test_textbook_record_gone (void)
{
  Bench *b = bench_new ("textbook");
  char *why = NULL;
  g_free (run_step (b, "tw - 80", &why));
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (b->srv)), ==, 1);
  g_free (run_step (b, "B=tcp", &why));
  g_free (run_step (b, "B ra", &why));
  g_free (why);
  g_autofree char *got = run_step (b, "B bind *:80", &why);
  g_assert_cmpstr (got, ==, "0");
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (b->srv)), ==, 0);
  g_free (why);
  bench_free (b);
}

/* Port 0: the range, then exhaustion (EADDRINUSE for bind, EADDRNOTAVAIL
 * for connect). */
static void
test_ephemeral_exhaustion (void)
{
  Bench *b = bench_new ("linux");
  SockConfig sc = *sock_config (b->srv);
  sc.port_low = 40000;
  sc.port_high = 40001;
  sock_configure (b->srv, &sc);
  Out o = { 0 };
  for (int i = 0; i < 2; i++)
    {
      sock_socket (b->srv, on_done, &o);
      sock_bind (b->srv, (int) o.ret, (NetEndpoint){ NET_IP4_ANY, 0 }, on_done, &o);
      g_assert_cmpint (o.ret, ==, 0);
    }
  sock_socket (b->srv, on_done, &o);
  int fd = (int) o.ret;
  sock_bind (b->srv, fd, (NetEndpoint){ NET_IP4_ANY, 0 }, on_done, &o);
  g_assert_cmpint (o.err, ==, EADDRINUSE);
  sock_connect (b->srv, fd, (NetEndpoint){ PEER_IP, 7000 }, on_done, &o);
  g_assert_cmpint (o.err, ==, EADDRNOTAVAIL);
  g_assert_nonnull (strstr (o.why, "40000-40001"));
  g_free (o.why);
  bench_free (b);
}

/* exit() closes every socket of the process as close() would. */
static void
test_process_exit_closes (void)
{
  Bench *b = bench_new ("linux");
  guint pid = sock_process_new (b->srv, "web", 1000);
  Out o = { 0 };
  sock_socket_in (b->srv, pid, SOCK_TYPE_STREAM, on_done, &o);
  int l = (int) o.ret;
  sock_bind (b->srv, l, (NetEndpoint){ NET_IP4_ANY, 8080 }, on_done, &o);
  sock_listen (b->srv, l, 8, on_done, &o);
  g_assert_cmpuint (sock_process_exit (b->srv, pid, "exited"), ==, 1);
  sock_socket (b->srv, on_done, &o);
  sock_bind (b->srv, (int) o.ret, (NetEndpoint){ NET_IP4_ANY, 8080 }, on_done, &o);
  g_assert_cmpint (o.ret, ==, 0);
  sock_socket_in (b->srv, pid, SOCK_TYPE_STREAM, on_done, &o);
  g_assert_cmpint (o.err, ==, EBADF);
  g_free (o.why);
  bench_free (b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  for (guint p = 0; p < N_PERS; p++)
    {
      g_autofree char *path = g_strdup_printf ("/bind-rules/table/%s", pers_names[p]);
      g_test_add_data_func (path, GUINT_TO_POINTER (p), test_table);
    }
  g_test_add_func ("/bind-rules/linux/reuseaddr-needed-on-both", test_linux_reuseaddr_both);
  g_test_add_func ("/bind-rules/linux/time-wait-keeps-creator-flags", test_linux_tw_keeps_flags);
  g_test_add_func ("/bind-rules/linux/reuseaddr-never-over-listener", test_linux_never_over_listener);
  g_test_add_func ("/bind-rules/linux/listen-checks-again", test_linux_listen_rechecks);
  g_test_add_func ("/bind-rules/linux/wildcard-conflicts-with-specific", test_linux_wildcard_specific);
  g_test_add_func ("/bind-rules/bsd/reuseaddr-new-socket-only", test_bsd_new_socket_only);
  g_test_add_func ("/bind-rules/bsd/specific-beside-wildcard", test_bsd_specific_beside_wildcard);
  g_test_add_func ("/bind-rules/reuseport/same-owner-two-listeners", test_reuseport_same_owner);
  g_test_add_func ("/bind-rules/reuseport/other-owner-refused", test_reuseport_other_owner);
  g_test_add_func ("/bind-rules/reuseport/owner-check-skipped-for-time-wait", test_reuseport_tw_skips_owner);
  g_test_add_func ("/bind-rules/connect/duplicate-tuple-linux-eaddrnotavail", test_connect_dup_linux);
  g_test_add_func ("/bind-rules/connect/duplicate-tuple-bsd-eaddrinuse", test_connect_dup_bsd);
  g_test_add_func ("/bind-rules/textbook/reuseaddr-takes-time-wait-port", test_textbook_discards_time_wait);
  g_test_add_func ("/bind-rules/textbook/time-wait-records-discarded", test_textbook_record_gone);
  g_test_add_func ("/bind-rules/udp/duplicate-bind", test_udp_duplicate);
  g_test_add_func ("/bind-rules/reserved-port-needs-root", test_reserved_port);
  g_test_add_func ("/bind-rules/windows/exclusiveaddruse", test_windows_exclusive);
  g_test_add_func ("/bind-rules/ephemeral/exhaustion", test_ephemeral_exhaustion);
  g_test_add_func ("/bind-rules/process/exit-closes-sockets", test_process_exit_closes);
  return g_test_run ();
}
