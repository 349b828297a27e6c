/* test-socket.c: the BSD socket layer, one rule per test, on two hosts
 * (client 10.0.0.1, server 10.0.0.2) joined by a 10 ms link in each
 * direction. Virtual time advances only through sim_engine_run; results are
 * collected from the SockDoneFunc and from the trace. */
#include "net-internal.h"
#include "personality.h"

#include <errno.h>
#include <string.h>

#define C_IP net_addr_ip4 (0x0A000001u) /* 10.0.0.1 */
#define S_IP net_addr_ip4 (0x0A000002u) /* 10.0.0.2 */
#define DELAY (10 * SIM_MS)

typedef struct _Fixture Fixture;

typedef struct {
  Fixture *f;
  gboolean done;
  gint64 ret;
  int err;
  char *why;
  guint64 sock_id;
  GByteArray *data;
  SimTime at;
} Res;

typedef struct {
  const char *kind;
  char *host;
  SimTime time;
  char *text;
  gint64 conn;
  char *to;
  char *flags;
  char *call;
  char *errname;
  char *data;
  char *incs;
  gint64 sock;
  gint64 ret;
  gint64 blocked_since; /* -1 when absent */
  gint64 seq;           /* segments: SEG.SEQ; -1 when absent */
} Ev;

struct _Fixture {
  SimEngine *engine;
  Network *net;
  Host *client;
  Host *server;
  TcpConfig config;
  GPtrArray *results; /* Res * */
  GPtrArray *events;  /* Ev * */
};

/* ---- fixture ------------------------------------------------------------ */

static char *
dup_field (const SimTraceEvent *ev, const char *key)
{
  return g_strdup (sim_trace_event_str (ev, key));
}

static void
sink (const SimTraceEvent *e, gpointer data)
{
  Fixture *f = data;
  Ev *ev = g_new0 (Ev, 1);
  ev->kind = e->kind;
  ev->host = g_strdup (e->host);
  ev->time = e->time;
  ev->text = g_strdup (e->text->str);
  ev->conn = sim_trace_event_int (e, "conn", -1);
  ev->to = dup_field (e, "to");
  ev->flags = dup_field (e, "flags");
  ev->call = dup_field (e, "call");
  ev->errname = dup_field (e, "errno");
  ev->data = dup_field (e, "data");
  ev->incs = dup_field (e, "incs");
  ev->sock = sim_trace_event_int (e, "sock", -1);
  ev->ret = sim_trace_event_int (e, "ret", G_MININT64);
  ev->blocked_since = sim_trace_event_int (e, "blocked_since", -1);
  ev->seq = sim_trace_event_int (e, "seq", -1);
  g_ptr_array_add (f->events, ev);
  if (g_test_verbose ())
    g_test_message ("%" G_GINT64_FORMAT " %s %s: %s", e->time, e->host, e->kind, e->text->str);
}

static void
ev_free (gpointer p)
{
  Ev *ev = p;
  g_free (ev->host);
  g_free (ev->text);
  g_free (ev->to);
  g_free (ev->flags);
  g_free (ev->call);
  g_free (ev->errname);
  g_free (ev->data);
  g_free (ev->incs);
  g_free (ev);
}

static void
res_free (gpointer p)
{
  Res *r = p;
  g_free (r->why);
  if (r->data != NULL)
    g_byte_array_unref (r->data);
  g_free (r);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  tcp_config_init_rfc9293 (&f->config);
  f->config.isn_kind = TCP_ISN_FIXED;
  f->config.isn_fixed = 1000;
  /* data: "timestamps" turns RFC 7323 on for both hosts. */
  if (data != NULL && g_str_has_prefix (data, "timestamps"))
    f->config.timestamps = TRUE;
  /* "timestamps-minisock": and orphaned FIN-WAIT-2s are Linux minisockets. */
  if (data != NULL && strcmp (data, "timestamps-minisock") == 0)
    f->config.fin_wait_2_minisock = TRUE;
  f->engine = sim_engine_new (1);
  f->results = g_ptr_array_new_with_free_func (res_free);
  f->events = g_ptr_array_new_with_free_func (ev_free);
  sim_trace_add_sink (sim_engine_trace (f->engine), sink, f);
  f->net = network_new (f->engine);
  NetAddr cip = C_IP, sip = S_IP;
  f->client = network_add_host (f->net, "client", &cip, 1, &f->config);
  f->server = network_add_host (f->net, "server", &sip, 1, &f->config);
  Link *link = network_link (f->net, f->client, f->server);
  link_direction_set_delay (link_direction_from (link, f->client), DELAY);
  link_direction_set_delay (link_direction_from (link, f->server), DELAY);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  network_free (f->net);
  sim_engine_free (f->engine);
  g_ptr_array_free (f->results, TRUE);
  g_ptr_array_free (f->events, TRUE);
}

static void
noop (gpointer data)
{
}

/* Runs every event up to and including t; time then stands at t. */
static void
run_until (Fixture *f, SimTime t)
{
  if (t > sim_engine_now (f->engine))
    sim_engine_schedule_at (f->engine, t, noop, NULL);
  sim_engine_run (f->engine, t, 0);
  g_assert_cmpint (sim_engine_now (f->engine), ==, t);
}

static void
on_done (const SockResult *r, gpointer user)
{
  Res *res = user;
  g_assert_false (res->done); /* exactly one completion per call */
  res->done = TRUE;
  res->ret = r->ret;
  res->err = r->err;
  res->why = g_strdup (r->why);
  res->sock_id = r->sock_id;
  res->at = sim_engine_now (res->f->engine);
  if (r->data != NULL)
    {
      gsize len;
      const guint8 *bytes = g_bytes_get_data (r->data, &len);
      res->data = g_byte_array_new ();
      g_byte_array_append (res->data, bytes, (guint) len);
    }
}

static Res *
res_new (Fixture *f)
{
  Res *r = g_new0 (Res, 1);
  r->f = f;
  g_ptr_array_add (f->results, r);
  return r;
}

static Res *
done_now (Res *r)
{
  g_assert_true (r->done);
  return r;
}

/* ---- call wrappers ------------------------------------------------------ */

static int
x_socket (Fixture *f, Host *h)
{
  Res *r = res_new (f);
  sock_socket (h, on_done, r);
  done_now (r);
  g_assert_cmpint (r->ret, >=, 3);
  g_assert_cmpuint (r->sock_id, >, 0);
  return (int) r->ret;
}

static Res *
x_setsockopt (Fixture *f, Host *h, int fd, SockOption opt, int value)
{
  Res *r = res_new (f);
  sock_setsockopt (h, fd, opt, value, on_done, r);
  return done_now (r);
}

static Res *
x_linger (Fixture *f, Host *h, int fd, gboolean on, int seconds)
{
  Res *r = res_new (f);
  sock_set_linger (h, fd, on, seconds, on_done, r);
  return done_now (r);
}

static Res *
x_bind (Fixture *f, Host *h, int fd, NetAddr ip, guint16 port)
{
  Res *r = res_new (f);
  sock_bind (h, fd, (NetEndpoint){ ip, port }, on_done, r);
  return done_now (r);
}

static Res *
x_listen (Fixture *f, Host *h, int fd, int backlog)
{
  Res *r = res_new (f);
  sock_listen (h, fd, backlog, on_done, r);
  return done_now (r);
}

static Res *
x_accept (Fixture *f, Host *h, int fd)
{
  Res *r = res_new (f);
  sock_accept (h, fd, on_done, r);
  return r;
}

static Res *
x_connect (Fixture *f, Host *h, int fd, NetAddr ip, guint16 port)
{
  Res *r = res_new (f);
  sock_connect (h, fd, (NetEndpoint){ ip, port }, on_done, r);
  return r;
}

static Res *
x_write (Fixture *f, Host *h, int fd, const char *text)
{
  Res *r = res_new (f);
  GBytes *b = g_bytes_new (text, strlen (text));
  sock_write (h, fd, b, on_done, r);
  g_bytes_unref (b);
  return r;
}

static Res *
x_read (Fixture *f, Host *h, int fd, gsize max)
{
  Res *r = res_new (f);
  sock_read (h, fd, max, on_done, r);
  return r;
}

static Res *
x_shutdown (Fixture *f, Host *h, int fd, SockShutdownHow how)
{
  Res *r = res_new (f);
  sock_shutdown (h, fd, how, on_done, r);
  return done_now (r);
}

static Res *
x_close (Fixture *f, Host *h, int fd)
{
  Res *r = res_new (f);
  sock_close (h, fd, on_done, r);
  return r;
}

static void
assert_ok (Res *r, gint64 ret)
{
  g_assert_true (r->done);
  if (r->ret == -1)
    g_test_message ("unexpected error %s: %s", sock_errno_name (r->err), r->why);
  g_assert_cmpint (r->ret, ==, ret);
  g_assert_cmpint (r->err, ==, 0);
}

static void
assert_err (Res *r, int err)
{
  g_assert_true (r->done);
  g_assert_cmpint (r->ret, ==, -1);
  g_assert_cmpstr (sock_errno_name (r->err), ==, sock_errno_name (err));
}

static void
assert_data (Res *r, const char *text)
{
  g_assert_true (r->done);
  g_assert_nonnull (r->data);
  g_assert_cmpint (r->ret, ==, (gint64) strlen (text));
  g_assert_cmpmem (r->data->data, r->data->len, text, strlen (text));
}

/* ---- trace queries ------------------------------------------------------ */

static guint
count_sent (Fixture *f, const char *host, const char *flags)
{
  guint n = 0;
  for (guint i = 0; i < f->events->len; i++)
    {
      Ev *ev = g_ptr_array_index (f->events, i);
      if (strcmp (ev->kind, "link.send") == 0 && strcmp (ev->host, host) == 0
          && strcmp (ev->flags, flags) == 0)
        n++;
    }
  return n;
}

static gboolean
reached_state (Fixture *f, guint64 conn, const char *state)
{
  for (guint i = 0; i < f->events->len; i++)
    {
      Ev *ev = g_ptr_array_index (f->events, i);
      if (strcmp (ev->kind, "tcp.state") == 0 && ev->conn == (gint64) conn
          && g_strcmp0 (ev->to, state) == 0)
        return TRUE;
    }
  return FALSE;
}

static Ev *
last_event (Fixture *f, const char *kind, const char *call)
{
  for (guint i = f->events->len; i-- > 0;)
    {
      Ev *ev = g_ptr_array_index (f->events, i);
      if (strcmp (ev->kind, kind) == 0 && (call == NULL || g_strcmp0 (ev->call, call) == 0))
        return ev;
    }
  return NULL;
}

/* ---- scenarios ---------------------------------------------------------- */

typedef struct {
  int lfd;         /* server listener */
  int sfd;         /* server's accepted socket */
  int cfd;         /* client socket */
  guint64 c_sock;  /* client socket id */
  guint64 s_sock;  /* accepted socket id */
} Pair;

static int
x_listener (Fixture *f, gboolean reuseaddr)
{
  int lfd = x_socket (f, f->server);
  if (reuseaddr)
    assert_ok (x_setsockopt (f, f->server, lfd, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->server, lfd, S_IP, 80), 0);
  assert_ok (x_listen (f, f->server, lfd, 5), 0);
  return lfd;
}

/* Listener on 10.0.0.2:80, client connected and accepted, at t = 20 ms. */
static Pair
establish (Fixture *f, gboolean reuseaddr)
{
  Pair p;
  SimTime t0 = sim_engine_now (f->engine);
  p.lfd = x_listener (f, reuseaddr);
  Res *ra = x_accept (f, f->server, p.lfd);
  Res *rs = res_new (f);
  sock_socket (f->client, on_done, rs);
  p.cfd = (int) rs->ret;
  p.c_sock = rs->sock_id;
  Res *rc = x_connect (f, f->client, p.cfd, S_IP, 80);
  run_until (f, t0 + 2 * DELAY);
  assert_ok (rc, 0);
  run_until (f, t0 + 3 * DELAY);
  g_assert_true (ra->done);
  g_assert_cmpint (ra->ret, >=, 3);
  p.sfd = (int) ra->ret;
  p.s_sock = ra->sock_id;
  return p;
}

/* The server closes first and so holds TIME-WAIT for 10.0.0.2:80; the
 * listener is closed as well. */
static Pair
server_time_wait (Fixture *f, gboolean reuseaddr)
{
  Pair p = establish (f, reuseaddr);
  assert_ok (x_close (f, f->server, p.lfd), 0);
  assert_ok (x_close (f, f->server, p.sfd), 0);
  Res *rr = x_read (f, f->client, p.cfd, 100);
  run_until (f, sim_engine_now (f->engine) + 2 * DELAY);
  assert_ok (rr, 0); /* EOF */
  assert_ok (x_close (f, f->client, p.cfd), 0);
  run_until (f, sim_engine_now (f->engine) + 3 * DELAY);
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->server)), ==, 1);
  return p;
}

/* ---- socket / fds ------------------------------------------------------- */

static void
test_fds_lowest_free (Fixture *f, gconstpointer data)
{
  g_test_summary ("POSIX: a new descriptor is the lowest free number (from 3)");
  int a = x_socket (f, f->client);
  int b = x_socket (f, f->client);
  g_assert_cmpint (a, ==, 3);
  g_assert_cmpint (b, ==, 4);
  assert_ok (x_close (f, f->client, a), 0);
  g_assert_cmpint (x_socket (f, f->client), ==, 3);
  g_assert_cmpint (x_socket (f, f->client), ==, 5);
  g_assert_cmpint (x_socket (f, f->server), ==, 3); /* per host */
}

static void
test_setsockopt_ebadf (Fixture *f, gconstpointer data)
{
  g_test_summary ("setsockopt on a descriptor that is not a socket: EBADF");
  assert_err (x_setsockopt (f, f->client, 7, SOCK_OPT_REUSEADDR, 1), EBADF);
  assert_err (x_linger (f, f->client, 7, TRUE, 0), EBADF);
}

/* ---- bind --------------------------------------------------------------- */

static void
test_bind_ebadf (Fixture *f, gconstpointer data)
{
  g_test_summary ("bind on a bad descriptor: EBADF");
  Res *r = x_bind (f, f->client, 3, C_IP, 4000);
  assert_err (r, EBADF);
  Ev *ev = last_event (f, "sock.call", "bind");
  g_assert_nonnull (ev);
  g_assert_cmpstr (ev->errname, ==, "EBADF");
  g_assert_cmpstr (ev->text, ==, "bind(3, 10.0.0.1:4000) = -1 EBADF: fd 3 is not an open socket");
}

static void
test_bind_eaddrnotavail (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_bind: an address the host does not own: EADDRNOTAVAIL");
  int fd = x_socket (f, f->client);
  Res *r = x_bind (f, f->client, fd, S_IP, 4000);
  assert_err (r, EADDRNOTAVAIL);
  g_assert_cmpstr (r->why, ==, "10.0.0.2 is not an address of host client");
  assert_ok (x_bind (f, f->client, fd, NET_IP4_ANY, 4000), 0); /* the wildcard is fine */
}

static void
test_bind_einval_twice (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_bind: binding a bound socket again: EINVAL");
  int fd = x_socket (f, f->client);
  assert_ok (x_bind (f, f->client, fd, C_IP, 4000), 0);
  assert_err (x_bind (f, f->client, fd, C_IP, 4001), EINVAL);
}

static void
test_bind_eaddrinuse_same_port (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux: a second bind to a bound port without options: EADDRINUSE");
  int a = x_socket (f, f->server);
  int b = x_socket (f, f->server);
  assert_ok (x_bind (f, f->server, a, S_IP, 80), 0);
  Res *r = x_bind (f, f->server, b, S_IP, 80);
  assert_err (r, EADDRINUSE);
  g_assert_cmpstr (r->why, ==, "port 80 is held by a bound socket (fd 3) on 10.0.0.2:80 "
                               "created without SO_REUSEADDR");
  assert_ok (x_bind (f, f->server, b, S_IP, 81), 0);
}

static void
test_bind_wildcard_conflicts (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_rcv_saddr_equal(match_wildcard): *:80 and 10.0.0.2:80 conflict");
  int a = x_socket (f, f->server);
  int b = x_socket (f, f->server);
  assert_ok (x_bind (f, f->server, a, NET_IP4_ANY, 80), 0);
  assert_err (x_bind (f, f->server, b, S_IP, 80), EADDRINUSE);
}

static void
test_bind_reuseaddr_both_bound (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux: SO_REUSEADDR on both sockets shares a port nobody listens on");
  int a = x_socket (f, f->server);
  int b = x_socket (f, f->server);
  assert_ok (x_setsockopt (f, f->server, a, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->server, a, S_IP, 80), 0);
  Res *r = x_bind (f, f->server, b, S_IP, 80);
  assert_err (r, EADDRINUSE); /* only the old one has it */
  g_assert_cmpstr (r->why, ==, "port 80 is held by a bound socket (fd 3) on 10.0.0.2:80 and "
                               "this socket has no SO_REUSEADDR");
  assert_ok (x_setsockopt (f, f->server, b, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->server, b, S_IP, 80), 0);
}

static void
test_bind_reuseaddr_never_with_listener (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux socket(7): SO_REUSEADDR never shares with a LISTENing socket");
  int lfd = x_listener (f, TRUE);
  int b = x_socket (f, f->server);
  assert_ok (x_setsockopt (f, f->server, b, SOCK_OPT_REUSEADDR, 1), 0);
  Res *r = x_bind (f, f->server, b, NET_IP4_ANY, 80);
  assert_err (r, EADDRINUSE);
  g_assert_true (g_str_has_prefix (r->why, "port 80 is held by a listening socket (fd 3) on 10.0.0.2:80"));
  /* SO_REUSEPORT on both would share it. */
  assert_ok (x_setsockopt (f, f->server, lfd, SOCK_OPT_REUSEPORT, 1), 0);
  assert_ok (x_setsockopt (f, f->server, b, SOCK_OPT_REUSEPORT, 1), 0);
  assert_ok (x_bind (f, f->server, b, NET_IP4_ANY, 80), 0);
}

static void
test_bind_reuseaddr_time_wait (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux: SO_REUSEADDR on old and new socket binds over TIME-WAIT");
  server_time_wait (f, TRUE);
  int fd = x_socket (f, f->server);
  assert_ok (x_setsockopt (f, f->server, fd, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->server, fd, S_IP, 80), 0);
  assert_ok (x_listen (f, f->server, fd, 5), 0); /* listen's re-check passes too */
  /* The TIME-WAIT record stays: SO_REUSEADDR only relaxes bind. */
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->server)), ==, 1);
}

static void
test_bind_time_wait_without_reuseaddr (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux: TIME-WAIT of a socket without SO_REUSEADDR keeps the port");
  server_time_wait (f, FALSE);
  int fd = x_socket (f, f->server);
  assert_ok (x_setsockopt (f, f->server, fd, SOCK_OPT_REUSEADDR, 1), 0);
  Res *r = x_bind (f, f->server, fd, S_IP, 80);
  assert_err (r, EADDRINUSE);
  g_assert_cmpstr (r->why, ==, "port 80 is held by a TIME-WAIT record of "
                               "10.0.0.2:80-10.0.0.1:32768 created without SO_REUSEADDR");
  Ev *ev = last_event (f, "sock.call", "bind");
  g_assert_nonnull (strstr (ev->text, "TIME-WAIT"));
}

static void
test_bind_time_wait_new_without_reuseaddr (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux: SO_REUSEADDR only on the old socket is not enough");
  server_time_wait (f, TRUE);
  int fd = x_socket (f, f->server);
  Res *r = x_bind (f, f->server, fd, S_IP, 80);
  assert_err (r, EADDRINUSE);
  g_assert_nonnull (strstr (r->why, "TIME-WAIT"));
  g_assert_nonnull (strstr (r->why, "this socket has no SO_REUSEADDR"));
}

static void
test_bind_ephemeral (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux ip_local_port_range: port 0 picks 32768, then the next free one");
  int a = x_socket (f, f->client);
  int b = x_socket (f, f->client);
  int c = x_socket (f, f->client);
  assert_ok (x_bind (f, f->client, c, C_IP, 32769), 0);
  Res *ra = x_bind (f, f->client, a, NET_IP4_ANY, 0);
  assert_ok (ra, 0);
  g_assert_cmpstr (ra->why, ==, "port 32768");
  Res *rb = x_bind (f, f->client, b, C_IP, 0);
  assert_ok (rb, 0);
  g_assert_cmpstr (rb->why, ==, "port 32770"); /* 32769 is taken */
}

/* ---- listen ------------------------------------------------------------- */

static void
test_listen_einval_connected (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_listen: listen on a connected socket: EINVAL");
  Pair p = establish (f, FALSE);
  assert_err (x_listen (f, f->client, p.cfd, 5), EINVAL);
  assert_err (x_listen (f, f->server, p.sfd, 5), EINVAL);
  assert_err (x_listen (f, f->server, 42, 5), EBADF);
}

static void
test_listen_autobinds (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_autobind: listen on an unbound socket takes an ephemeral port");
  int fd = x_socket (f, f->server);
  assert_ok (x_listen (f, f->server, fd, 0), 0);
  int c = x_socket (f, f->client);
  Res *rc = x_connect (f, f->client, c, S_IP, 32768);
  run_until (f, 2 * DELAY);
  assert_ok (rc, 0);
}

static void
test_listen_recheck (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_csk_listen_start: the second of two SO_REUSEADDR sockets cannot listen");
  int a = x_socket (f, f->server);
  int b = x_socket (f, f->server);
  assert_ok (x_setsockopt (f, f->server, a, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_setsockopt (f, f->server, b, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->server, a, S_IP, 80), 0);
  assert_ok (x_bind (f, f->server, b, S_IP, 80), 0);
  assert_ok (x_listen (f, f->server, a, 5), 0);
  Res *r = x_listen (f, f->server, b, 5);
  assert_err (r, EADDRINUSE);
  g_assert_true (g_str_has_prefix (r->why, "port 80 is held by a listening socket (fd 3)"));
  assert_ok (x_listen (f, f->server, a, 10), 0); /* again: only the backlog */
}

/* ---- connect ------------------------------------------------------------ */

static void
test_connect_blocks_until_established (Fixture *f, gconstpointer data)
{
  g_test_summary ("connect blocks until ESTABLISHED: one round trip, 2 x delay");
  x_listener (f, FALSE);
  int fd = x_socket (f, f->client);
  Res *r = x_connect (f, f->client, fd, S_IP, 80);
  g_assert_false (r->done);
  Ev *block = last_event (f, "sock.block", "connect");
  g_assert_nonnull (block);
  g_assert_cmpstr (block->text, ==, "connect(3, 10.0.0.2:80) blocks");
  run_until (f, 2 * DELAY - 1);
  g_assert_false (r->done);
  run_until (f, 2 * DELAY);
  assert_ok (r, 0);
  g_assert_cmpint (r->at, ==, 2 * DELAY);
  Ev *ev = last_event (f, "sock.call", "connect");
  g_assert_cmpstr (ev->text, ==, "connect(3, 10.0.0.2:80) = 0 after 20ms");
  g_assert_cmpint (ev->blocked_since, ==, 0);
}

static void
test_connect_econnrefused (Fixture *f, gconstpointer data)
{
  g_test_summary ("RST in SYN-SENT (nothing listens): ECONNREFUSED after one round trip");
  int fd = x_socket (f, f->client);
  Res *r = x_connect (f, f->client, fd, S_IP, 80);
  run_until (f, SIM_S / 2);
  assert_err (r, ECONNREFUSED);
  g_assert_cmpint (r->at, ==, 2 * DELAY);
  /* Reported once: the socket is unconnected again. */
  Res *rr = x_read (f, f->client, fd, 10);
  assert_err (rr, ENOTCONN);
}

static void
test_connect_eisconn (Fixture *f, gconstpointer data)
{
  g_test_summary ("POSIX connect on a connected socket: EISCONN");
  Pair p = establish (f, FALSE);
  assert_err (done_now (x_connect (f, f->client, p.cfd, S_IP, 80)), EISCONN);
  /* Linux inet_stream_connect answers EISCONN on a listener too. */
  assert_err (done_now (x_connect (f, f->server, p.lfd, C_IP, 80)), EISCONN);
}

static void
test_connect_ealready (Fixture *f, gconstpointer data)
{
  g_test_summary ("POSIX connect while a connect is in progress: EALREADY");
  x_listener (f, FALSE);
  int fd = x_socket (f, f->client);
  Res *r1 = x_connect (f, f->client, fd, S_IP, 80);
  assert_err (done_now (x_connect (f, f->client, fd, S_IP, 80)), EALREADY);
  run_until (f, 2 * DELAY);
  assert_ok (r1, 0);
}

static void
test_connect_eaddrnotavail_time_wait (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux __inet_check_established: the 4-tuple is in TIME-WAIT: EADDRNOTAVAIL");
  x_listener (f, TRUE);
  int fd = x_socket (f, f->client);
  assert_ok (x_setsockopt (f, f->client, fd, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->client, fd, C_IP, 4000), 0);
  Res *ra = x_accept (f, f->server, 3);
  Res *rc = x_connect (f, f->client, fd, S_IP, 80);
  run_until (f, 3 * DELAY);
  assert_ok (rc, 0);
  /* The client closes first and keeps TIME-WAIT. */
  assert_ok (x_close (f, f->client, fd), 0);
  Res *rr = x_read (f, f->server, (int) ra->ret, 10);
  run_until (f, 5 * DELAY);
  assert_ok (rr, 0);
  assert_ok (x_close (f, f->server, (int) ra->ret), 0);
  run_until (f, 8 * DELAY);
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->client)), ==, 1);

  int fd2 = x_socket (f, f->client);
  assert_ok (x_setsockopt (f, f->client, fd2, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->client, fd2, C_IP, 4000), 0);
  Res *r = done_now (x_connect (f, f->client, fd2, S_IP, 80));
  assert_err (r, EADDRNOTAVAIL);
  g_assert_cmpstr (r->why, ==, "10.0.0.1:4000-10.0.0.2:80 is held by a TIME-WAIT record "
                               "without timestamps (Linux tcp_twsk_unique takes one over only "
                               "when the old connection used timestamps; its port may be bound "
                               "again, but not used toward the same peer until TIME-WAIT ends)");
}

/* ---- Linux TIME-WAIT take-over on connect() (tcp_twsk_unique) ----------- */

/* The client, bound to 10.0.0.1:4000 (or autobound when port is 0), talks
 * to the server's 80 and closes first: TIME-WAIT on the client. */
static void
client_time_wait (Fixture *f, guint16 port)
{
  x_listener (f, TRUE);
  int fd = x_socket (f, f->client);
  if (port != 0)
    {
      /* Linux: the later bind() of the port needs SO_REUSEADDR on both. */
      assert_ok (x_setsockopt (f, f->client, fd, SOCK_OPT_REUSEADDR, 1), 0);
      assert_ok (x_bind (f, f->client, fd, C_IP, port), 0);
    }
  Res *ra = x_accept (f, f->server, 3);
  Res *rc = x_connect (f, f->client, fd, S_IP, 80);
  SimTime t0 = sim_engine_now (f->engine);
  run_until (f, t0 + 3 * DELAY);
  assert_ok (rc, 0);
  assert_ok (x_close (f, f->client, fd), 0);
  Res *rr = x_read (f, f->server, (int) ra->ret, 10);
  run_until (f, t0 + 5 * DELAY);
  assert_ok (rr, 0);
  assert_ok (x_close (f, f->server, (int) ra->ret), 0);
  run_until (f, t0 + 8 * DELAY);
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->client)), ==, 1);
}

static gint64
last_syn_seq (Fixture *f, const char *host)
{
  for (guint i = f->events->len; i > 0; i--)
    {
      Ev *ev = g_ptr_array_index (f->events, i - 1);
      if (strcmp (ev->kind, "link.send") == 0 && strcmp (ev->host, host) == 0
          && strcmp (ev->flags, "SYN") == 0)
        return ev->seq;
    }
  return -1;
}

static void
test_tw_takeover_bound_port (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_twsk_unique: bind()+connect() onto a TIME-WAIT 4-tuple that used "
                  "timestamps takes the record over at once: ISS = old SND.NXT + 65537");
  client_time_wait (f, 4000);
  NetFourTuple tuple = { { C_IP, 4000 }, { S_IP, 80 } };
  TcpTimeWaitInfo tw;
  g_assert_true (tcp_stack_time_wait_lookup (host_tcp (f->client), &tuple, &tw));
  g_assert_true (tw.ts_used);
  int fd = x_socket (f, f->client);
  assert_ok (x_setsockopt (f, f->client, fd, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->client, fd, C_IP, 4000), 0);
  Res *r = x_connect (f, f->client, fd, S_IP, 80);
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->client)), ==, 0);
  g_assert_cmpint (last_syn_seq (f, "client"), ==, (gint64) (guint32) (tw.snd_nxt + 65537));
  run_until (f, sim_engine_now (f->engine) + 2 * DELAY);
  assert_ok (r, 0);
  g_assert_nonnull (strstr (r->why, "took over the TIME-WAIT record of 10.0.0.1:4000-10.0.0.2:80 "
                                    "(timestamps were used;"));
}

/* The client, bound to 10.0.0.1:4000 with SO_REUSEADDR, closes first; the
 * server ACKs the FIN but keeps its end open: the client's orphan waits in
 * FIN-WAIT-2. */
static void
client_fin_wait_2 (Fixture *f)
{
  x_listener (f, TRUE);
  int fd = x_socket (f, f->client);
  assert_ok (x_setsockopt (f, f->client, fd, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->client, fd, C_IP, 4000), 0);
  Res *ra = x_accept (f, f->server, 3);
  Res *rc = x_connect (f, f->client, fd, S_IP, 80);
  SimTime t0 = sim_engine_now (f->engine);
  run_until (f, t0 + 3 * DELAY);
  assert_ok (rc, 0);
  assert_ok (ra, (gint64) ra->ret);
  assert_ok (x_close (f, f->client, fd), 0);
  run_until (f, t0 + 6 * DELAY);
  NetFourTuple tuple = { { C_IP, 4000 }, { S_IP, 80 } };
  TcpConn *orphan = tcp_stack_find_conn (host_tcp (f->client), &tuple);
  g_assert_nonnull (orphan);
  g_assert_cmpint (tcp_conn_state (orphan), ==, TCP_STATE_FIN_WAIT_2);
}

static void
test_fin_wait_2_minisock_taken_over (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_time_wait(sk, TCP_FIN_WAIT2, tmo) + tcp_twsk_unique: bind()+connect() "
                  "onto an orphaned FIN-WAIT-2 four-tuple takes it over like a TIME-WAIT record");
  client_fin_wait_2 (f);
  NetFourTuple tuple = { { C_IP, 4000 }, { S_IP, 80 } };
  TcpTimeWaitInfo tw;
  g_assert_true (tcp_stack_time_wait_lookup (host_tcp (f->client), &tuple, &tw));
  g_assert_true (tw.fin_wait_2 && tw.ts_used);
  int fd = x_socket (f, f->client);
  assert_ok (x_setsockopt (f, f->client, fd, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->client, fd, C_IP, 4000), 0);
  Res *r = x_connect (f, f->client, fd, S_IP, 80);
  g_assert_cmpint (last_syn_seq (f, "client"), ==, (gint64) (guint32) (tw.snd_nxt + 65537));
  /* The server's old end (CLOSE-WAIT) answers the SYN with a challenge ACK,
   * the client's RST resets it, and the retransmitted SYN gets through. */
  run_until (f, sim_engine_now (f->engine) + 2 * SIM_S);
  assert_ok (r, 0);
  g_assert_nonnull (r->why);
  g_assert_nonnull (strstr (r->why, "took over the orphaned FIN-WAIT-2"));
}

static void
test_fin_wait_2_tcb_eaddrnotavail (Fixture *f, gconstpointer data)
{
  g_test_summary ("fin_wait_2_orphan=tcb: connect() onto the four-tuple of an orphaned FIN-WAIT-2 "
                  "connection fails with EADDRNOTAVAIL (Linux __inet_check_established "
                  "without the minisocket)");
  client_fin_wait_2 (f);
  int fd = x_socket (f, f->client);
  assert_ok (x_setsockopt (f, f->client, fd, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->client, fd, C_IP, 4000), 0);
  Res *r = done_now (x_connect (f, f->client, fd, S_IP, 80));
  assert_err (r, EADDRNOTAVAIL);
}

static void
test_tw_takeover_needs_timestamps (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_twsk_unique: a TIME-WAIT record without timestamps is never taken "
                  "over: EADDRNOTAVAIL, even with tcp_tw_reuse=1");
  SockConfig sc = *sock_config (f->client);
  sc.tw_reuse = 1;
  sock_configure (f->client, &sc);
  client_time_wait (f, 4000);
  run_until (f, sim_engine_now (f->engine) + 2 * SIM_S);
  int fd = x_socket (f, f->client);
  assert_ok (x_setsockopt (f, f->client, fd, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->client, fd, C_IP, 4000), 0);
  Res *r = done_now (x_connect (f, f->client, fd, S_IP, 80));
  assert_err (r, EADDRNOTAVAIL);
  g_assert_nonnull (strstr (r->why, "is held by a TIME-WAIT record without timestamps"));
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->client)), ==, 1);
}

/* An unbound socket whose only ephemeral port is held by TIME-WAIT. */
static Res *
autobind_over_time_wait (Fixture *f, guint tw_reuse, SimTime wait)
{
  SockConfig sc = *sock_config (f->client);
  sc.port_low = sc.port_high = 50000;
  sc.tw_reuse = tw_reuse;
  sock_configure (f->client, &sc);
  client_time_wait (f, 0);
  run_until (f, sim_engine_now (f->engine) + wait);
  int fd = x_socket (f, f->client);
  return x_connect (f, f->client, fd, S_IP, 80);
}

static void
test_tw_reuse_off (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_tw_reuse=0: connect() on an unbound socket does not take a "
                  "TIME-WAIT 4-tuple: the range is used up, EADDRNOTAVAIL");
  Res *r = done_now (autobind_over_time_wait (f, 0, 2 * SIM_S));
  assert_err (r, EADDRNOTAVAIL);
  g_assert_nonnull (strstr (r->why, "(1 of the 1 by TIME-WAIT records; tcp_tw_reuse is 0)"));
}

static void
test_tw_reuse_loopback_only (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_tw_reuse=2 (default): only toward loopback; 10.0.0.2 is not");
  assert_err (done_now (autobind_over_time_wait (f, 2, 2 * SIM_S)), EADDRNOTAVAIL);
}

static void
test_tw_reuse_on (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_tw_reuse=1: after tcp_tw_reuse_delay (1 s) connect() takes the "
                  "TIME-WAIT 4-tuple over");
  Res *r = autobind_over_time_wait (f, 1, 2 * SIM_S);
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->client)), ==, 0);
  run_until (f, sim_engine_now (f->engine) + 2 * DELAY);
  assert_ok (r, 0);
  g_assert_nonnull (strstr (r->why, "tcp_tw_reuse; Linux tcp_twsk_unique"));
}

static void
test_tw_reuse_delay (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_tw_reuse_delay: a record younger than 1 s is not reused yet");
  Res *r = done_now (autobind_over_time_wait (f, 1, 500 * SIM_MS));
  assert_err (r, EADDRNOTAVAIL);
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->client)), ==, 1);
}

static void
test_tw_takeover_bsd_never (Fixture *f, gconstpointer data)
{
  g_test_summary ("FreeBSD in_pcbconnect_setup: no take-over, EADDRINUSE even with timestamps");
  SockConfig sc = *sock_config (f->client);
  sc.bind_rules = BIND_RULES_BSD;
  sc.connect_dup_errno = EADDRINUSE;
  sock_configure (f->client, &sc);
  client_time_wait (f, 4000);
  int fd = x_socket (f, f->client);
  assert_ok (x_setsockopt (f, f->client, fd, SOCK_OPT_REUSEADDR, 1), 0);
  assert_ok (x_bind (f, f->client, fd, C_IP, 4000), 0);
  assert_err (done_now (x_connect (f, f->client, fd, S_IP, 80)), EADDRINUSE);
}

/* ---- orphaned FIN-WAIT-2 ------------------------------------------------- */

/* The client closes; the server reads EOF but never closes. */
static guint64
client_orphan_in_fin_wait_2 (Fixture *f, SimTime timeout)
{
  f->config.fin_wait_2_timeout = timeout;
  /* The stacks copied the config when the hosts were made: make new ones. */
  network_free (f->net);
  f->net = network_new (f->engine);
  NetAddr cip = C_IP, sip = S_IP;
  f->client = network_add_host (f->net, "client", &cip, 1, &f->config);
  f->server = network_add_host (f->net, "server", &sip, 1, &f->config);
  Link *link = network_link (f->net, f->client, f->server);
  link_direction_set_delay (link_direction_from (link, f->client), DELAY);
  link_direction_set_delay (link_direction_from (link, f->server), DELAY);
  Pair p = establish (f, FALSE);
  guint64 conn = sock_conn_id (f->client, p.c_sock);
  assert_ok (x_close (f, f->client, p.cfd), 0);
  run_until (f, sim_engine_now (f->engine) + 3 * DELAY);
  g_assert_true (reached_state (f, conn, "FIN-WAIT-2"));
  return conn;
}

static void
test_fin_wait_2_timeout (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_fin_timeout: an orphan in FIN-WAIT-2 is deleted after the timeout, "
                  "without a RST");
  guint64 conn = client_orphan_in_fin_wait_2 (f, 60 * SIM_S);
  guint rst = count_sent (f, "client", "RST");
  run_until (f, sim_engine_now (f->engine) + 59 * SIM_S);
  g_assert_false (reached_state (f, conn, "CLOSED"));
  run_until (f, sim_engine_now (f->engine) + 2 * SIM_S);
  g_assert_true (reached_state (f, conn, "CLOSED"));
  g_assert_cmpuint (count_sent (f, "client", "RST"), ==, rst);
  g_assert_null (tcp_stack_find_conn (host_tcp (f->client),
                                      &(NetFourTuple){ { C_IP, 0 }, { S_IP, 80 } }));
}

static void
test_fin_wait_2_forever (Fixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293: without a timeout an orphan waits in FIN-WAIT-2 for the peer's FIN "
                  "forever");
  guint64 conn = client_orphan_in_fin_wait_2 (f, 0);
  run_until (f, sim_engine_now (f->engine) + 3600 * SIM_S);
  g_assert_false (reached_state (f, conn, "CLOSED"));
}

/* ---- host crash and reboot ----------------------------------------------- */

static void
test_crash_forgets_sockets (Fixture *f, gconstpointer data)
{
  g_test_summary ("host crash: sockets vanish without a segment, blocked calls never return, "
                  "the peer's next segment gets RST (RFC 9293 3.5.2 half-open)");
  Pair p = establish (f, FALSE);
  Res *blocked = x_read (f, f->server, p.sfd, 10);
  guint sent = f->events->len;
  g_assert_cmpuint (sock_host_crash (f->server), ==, 2);
  for (guint i = sent; i < f->events->len; i++)
    g_assert_cmpstr (((Ev *) g_ptr_array_index (f->events, i))->kind, !=, "link.send");
  run_until (f, sim_engine_now (f->engine) + 5 * DELAY);
  g_assert_false (blocked->done);
  /* Down: nothing answers, not even with RST. */
  assert_ok (done_now (x_write (f, f->client, p.cfd, "x")), 1);
  run_until (f, sim_engine_now (f->engine) + 5 * DELAY);
  g_assert_cmpuint (count_sent (f, "server", "RST"), ==, 0);
  /* Up again: the retransmission meets a host without the connection. */
  sock_host_reboot (f->server, 0);
  run_until (f, sim_engine_now (f->engine) + 3 * SIM_S);
  g_assert_cmpuint (count_sent (f, "server", "RST"), ==, 1);
  Res *r = x_read (f, f->client, p.cfd, 10);
  assert_err (done_now (r), ECONNRESET);
  /* Process 0 lives again; the old descriptors do not. */
  assert_err (done_now (x_close (f, f->server, p.sfd)), EBADF);
  int fd = x_socket (f, f->server);
  assert_ok (x_bind (f, f->server, fd, S_IP, 80), 0);
}

/* ---- accept ------------------------------------------------------------- */

static void
test_accept_einval_not_listening (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_csk_accept: accept on a socket not listening: EINVAL");
  int fd = x_socket (f, f->server);
  assert_err (done_now (x_accept (f, f->server, fd)), EINVAL);
  assert_err (done_now (x_accept (f, f->server, 9)), EBADF);
}

static void
test_accept_blocks_until_connection (Fixture *f, gconstpointer data)
{
  g_test_summary ("accept blocks until a connection completes the handshake");
  int lfd = x_listener (f, FALSE);
  Res *ra = x_accept (f, f->server, lfd);
  g_assert_false (ra->done);
  run_until (f, SIM_S);
  g_assert_false (ra->done);
  int fd = x_socket (f, f->client);
  x_connect (f, f->client, fd, S_IP, 80);
  /* SYN arrives at +10 ms, the ACK of the SYN,ACK at +30 ms. */
  run_until (f, SIM_S + 3 * DELAY - 1);
  g_assert_false (ra->done);
  run_until (f, SIM_S + 3 * DELAY);
  assert_ok (ra, 4);
  g_assert_cmpuint (ra->sock_id, ==, 2);
  g_assert_cmpstr (ra->why, ==, "from 10.0.0.1:32768");
  g_assert_cmpuint (sock_conn_id (f->server, ra->sock_id), !=, 0);
  g_assert_cmpuint (sock_conn_id (f->server, ra->sock_id), !=, sock_conn_id (f->server, 1));
}

/* ---- read / write ------------------------------------------------------- */

static void
test_read_blocks_until_data (Fixture *f, gconstpointer data)
{
  g_test_summary ("read blocks until data arrives, and names its origin");
  Pair p = establish (f, FALSE);
  Res *rr = x_read (f, f->server, p.sfd, 100);
  g_assert_false (rr->done);
  SimTime t = sim_engine_now (f->engine);
  assert_ok (done_now (x_write (f, f->client, p.cfd, "hello")), 5);
  run_until (f, t + DELAY);
  assert_data (rr, "hello");
  g_assert_cmpint (rr->at, ==, t + DELAY);
  Ev *ev = last_event (f, "sock.call", "read");
  g_assert_cmpstr (ev->data, ==, "hello");
  g_assert_cmpstr (ev->incs, ==, "#1:0-5");
  g_assert_cmpint (ev->blocked_since, ==, t);
  g_assert_cmpstr (ev->text, ==, "read(4, 100) = 5 \"hello\" after 10ms");
}

static void
test_read_partial (Fixture *f, gconstpointer data)
{
  g_test_summary ("read returns at most max bytes; the rest stays readable");
  Pair p = establish (f, FALSE);
  x_write (f, f->client, p.cfd, "hello world");
  run_until (f, sim_engine_now (f->engine) + DELAY);
  assert_data (done_now (x_read (f, f->server, p.sfd, 5)), "hello");
  assert_data (done_now (x_read (f, f->server, p.sfd, 100)), " world");
  Ev *ev = last_event (f, "sock.call", "read");
  g_assert_cmpstr (ev->incs, ==, "#1:5-11");
}

static void
test_read_eof (Fixture *f, gconstpointer data)
{
  g_test_summary ("read after the peer's FIN and all data returns 0");
  Pair p = establish (f, FALSE);
  x_write (f, f->client, p.cfd, "bye");
  assert_ok (x_shutdown (f, f->client, p.cfd, SOCK_SHUT_WR), 0);
  run_until (f, sim_engine_now (f->engine) + DELAY);
  assert_data (done_now (x_read (f, f->server, p.sfd, 100)), "bye");
  assert_ok (done_now (x_read (f, f->server, p.sfd, 100)), 0);
  assert_ok (done_now (x_read (f, f->server, p.sfd, 100)), 0);
}

static void
test_read_eof_wakes_blocked (Fixture *f, gconstpointer data)
{
  g_test_summary ("a blocked read returns 0 when the FIN arrives");
  Pair p = establish (f, FALSE);
  Res *rr = x_read (f, f->server, p.sfd, 100);
  SimTime t = sim_engine_now (f->engine);
  assert_ok (x_close (f, f->client, p.cfd), 0);
  run_until (f, t + DELAY);
  assert_ok (rr, 0);
  g_assert_cmpint (rr->at, ==, t + DELAY);
}

static void
test_read_enotconn (Fixture *f, gconstpointer data)
{
  g_test_summary ("read on a socket never connected: ENOTCONN (also on a listener, as Linux)");
  int fd = x_socket (f, f->client);
  assert_err (done_now (x_read (f, f->client, fd, 10)), ENOTCONN);
  int lfd = x_listener (f, FALSE);
  assert_err (done_now (x_read (f, f->server, lfd, 10)), ENOTCONN);
}

static void
test_read_after_shut_rd (Fixture *f, gconstpointer data)
{
  g_test_summary ("a read after shutdown(SHUT_RD) returns 0");
  Pair p = establish (f, FALSE);
  Res *rr = x_read (f, f->server, p.sfd, 10);
  assert_ok (x_shutdown (f, f->server, p.sfd, SOCK_SHUT_RD), 0);
  run_until (f, sim_engine_now (f->engine));
  assert_ok (rr, 0); /* the blocked one wakes up */
  assert_ok (done_now (x_read (f, f->server, p.sfd, 10)), 0);
}

static void
test_read_shut_rd_queued_first (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux tcp_recvmsg: after shutdown(SHUT_RD) the bytes already queued are "
                  "read first, then 0");
  Pair p = establish (f, FALSE);
  assert_ok (x_write (f, f->client, p.cfd, "hello"), 5);
  run_until (f, sim_engine_now (f->engine) + 2 * DELAY);
  assert_ok (x_shutdown (f, f->server, p.sfd, SOCK_SHUT_RD), 0);
  Res *r = done_now (x_read (f, f->server, p.sfd, 10));
  assert_ok (r, 5);
  assert_data (r, "hello");
  assert_ok (done_now (x_read (f, f->server, p.sfd, 10)), 0);
}

static void
test_shutdown_listener_wr_noop (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_shutdown: LISTEN + SHUT_WR -> 0, still listening");
  int lfd = x_listener (f, FALSE);
  assert_ok (x_shutdown (f, f->server, lfd, SOCK_SHUT_WR), 0);
  Res *ra = x_accept (f, f->server, lfd);
  int cfd = x_socket (f, f->client);
  Res *rc = x_connect (f, f->client, cfd, S_IP, 80);
  run_until (f, 3 * DELAY);
  assert_ok (rc, 0);
  g_assert_true (ra->done);
  g_assert_cmpint (ra->ret, >=, 3);
}

static void
test_shutdown_listener_rd_stops (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_shutdown: LISTEN + SHUT_RD -> tcp_disconnect: 0, no longer "
                  "listening (accept EINVAL, SYN refused), the bound port kept");
  int lfd = x_listener (f, FALSE);
  Res *ra = x_accept (f, f->server, lfd);
  assert_ok (x_shutdown (f, f->server, lfd, SOCK_SHUT_RD), 0);
  run_until (f, sim_engine_now (f->engine));
  assert_err (ra, EINVAL);
  assert_err (done_now (x_accept (f, f->server, lfd)), EINVAL);
  int cfd = x_socket (f, f->client);
  Res *rc = x_connect (f, f->client, cfd, S_IP, 80);
  run_until (f, 2 * DELAY);
  assert_err (rc, ECONNREFUSED);
  /* bind() chose the port (SOCK_BINDPORT_LOCK): listen() works again. */
  assert_ok (x_listen (f, f->server, lfd, 5), 0);
}

static void
test_shutdown_syn_sent_disconnects (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_shutdown: SYN-SENT -> tcp_disconnect: 0; the blocked connect() "
                  "gets ECONNRESET (sk_err), no RST is sent");
  x_listener (f, FALSE);
  int cfd = x_socket (f, f->client);
  Res *rc = x_connect (f, f->client, cfd, S_IP, 80);
  g_assert_false (rc->done);
  assert_ok (x_shutdown (f, f->client, cfd, SOCK_SHUT_RDWR), 0);
  run_until (f, sim_engine_now (f->engine));
  assert_err (rc, ECONNRESET);
  g_assert_cmpuint (count_sent (f, "client", "RST"), ==, 0);
  /* Unconnected again: shutdown now says ENOTCONN, connect() may retry. */
  assert_err (x_shutdown (f, f->client, cfd, SOCK_SHUT_WR), ENOTCONN);
  run_until (f, sim_engine_now (f->engine) + 3 * DELAY); /* the old SYN's answer is reset */
  Res *rc2 = x_connect (f, f->client, cfd, S_IP, 80);
  run_until (f, sim_engine_now (f->engine) + 3 * DELAY);
  assert_ok (rc2, 0);
}

static void
test_read_econnreset_once (Fixture *f, gconstpointer data)
{
  g_test_summary ("a reset surfaces once: read -1 ECONNRESET, then 0; write EPIPE");
  Pair p = establish (f, FALSE);
  Res *rr = x_read (f, f->client, p.cfd, 10);
  assert_ok (x_linger (f, f->server, p.sfd, TRUE, 0), 0);
  assert_ok (x_close (f, f->server, p.sfd), 0); /* RST */
  run_until (f, sim_engine_now (f->engine) + DELAY);
  assert_err (rr, ECONNRESET);
  assert_ok (done_now (x_read (f, f->client, p.cfd, 10)), 0);
  assert_err (done_now (x_write (f, f->client, p.cfd, "x")), EPIPE);
}

static void
test_write_econnreset_first (Fixture *f, gconstpointer data)
{
  g_test_summary ("after a reset, the first write reports ECONNRESET, the next EPIPE");
  Pair p = establish (f, FALSE);
  assert_ok (x_linger (f, f->server, p.sfd, TRUE, 0), 0);
  assert_ok (x_close (f, f->server, p.sfd), 0);
  run_until (f, sim_engine_now (f->engine) + DELAY);
  assert_err (done_now (x_write (f, f->client, p.cfd, "x")), ECONNRESET);
  assert_err (done_now (x_write (f, f->client, p.cfd, "x")), EPIPE);
}

static void
test_write_epipe_after_shutdown (Fixture *f, gconstpointer data)
{
  g_test_summary ("write after shutdown(SHUT_WR): EPIPE");
  Pair p = establish (f, FALSE);
  assert_ok (x_shutdown (f, f->client, p.cfd, SOCK_SHUT_WR), 0);
  assert_err (done_now (x_write (f, f->client, p.cfd, "late")), EPIPE);
  run_until (f, sim_engine_now (f->engine) + DELAY);
  g_assert_cmpuint (count_sent (f, "client", "FIN,ACK"), ==, 1);
}

static void
test_write_epipe_unconnected (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux sk_stream_wait_connect: write on an unconnected socket: EPIPE");
  int fd = x_socket (f, f->client);
  assert_err (done_now (x_write (f, f->client, fd, "x")), EPIPE);
  assert_err (x_shutdown (f, f->client, fd, SOCK_SHUT_WR), ENOTCONN);
  /* After a refused connect too (the error itself is reported once). */
  Res *rc = x_connect (f, f->client, fd, S_IP, 81);
  run_until (f, 2 * DELAY);
  assert_err (rc, ECONNREFUSED);
  assert_err (done_now (x_write (f, f->client, fd, "x")), EPIPE);
}

static void
test_write_blocked_gets_connect_error (Fixture *f, gconstpointer data)
{
  g_test_summary ("a write blocked on a connecting socket reports the failure once");
  int fd = x_socket (f, f->client);
  Res *rc = x_connect (f, f->client, fd, S_IP, 81);
  Res *rw = x_write (f, f->client, fd, "early");
  g_assert_false (rw->done);
  run_until (f, 2 * DELAY);
  assert_err (rc, ECONNREFUSED); /* connect() was first in line */
  assert_err (rw, EPIPE);
}

static void
test_write_blocks_when_full (Fixture *f, gconstpointer data)
{
  g_test_summary ("write blocks while the send buffer is full and returns the full count");
  f->config.snd_buffer = 4;
  /* Hosts created with the small buffer. */
  network_free (f->net);
  f->net = network_new (f->engine);
  NetAddr cip = C_IP, sip = S_IP;
  f->client = network_add_host (f->net, "client", &cip, 1, &f->config);
  f->server = network_add_host (f->net, "server", &sip, 1, &f->config);
  Link *link = network_link (f->net, f->client, f->server);
  link_direction_set_delay (link_direction_from (link, f->client), DELAY);
  link_direction_set_delay (link_direction_from (link, f->server), DELAY);
  Pair p = establish (f, FALSE);
  Res *rw = x_write (f, f->client, p.cfd, "0123456789");
  g_assert_false (rw->done);
  run_until (f, sim_engine_now (f->engine) + 10 * DELAY);
  assert_ok (rw, 10);
  assert_data (done_now (x_read (f, f->server, p.sfd, 100)), "0123456789");
}

/* ---- close -------------------------------------------------------------- */

static void
test_close_ebadf_twice (Fixture *f, gconstpointer data)
{
  g_test_summary ("close on a closed descriptor: EBADF");
  int fd = x_socket (f, f->client);
  assert_ok (x_close (f, f->client, fd), 0);
  assert_err (x_close (f, f->client, fd), EBADF);
}

static void
test_close_unread_data_rst (Fixture *f, gconstpointer data)
{
  g_test_summary ("RFC 9293 3.6.1 SHLD-2, Linux tcp_close(): close with unread data sends RST");
  Pair p = establish (f, FALSE);
  x_write (f, f->client, p.cfd, "unread");
  run_until (f, sim_engine_now (f->engine) + DELAY);
  Res *rc = x_close (f, f->server, p.sfd);
  assert_ok (rc, 0);
  g_assert_nonnull (strstr (rc->why, "6 unread bytes"));
  run_until (f, sim_engine_now (f->engine) + DELAY);
  g_assert_cmpuint (count_sent (f, "server", "RST") + count_sent (f, "server", "RST,ACK"), ==, 1);
  g_assert_cmpuint (count_sent (f, "server", "FIN,ACK"), ==, 0);
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->server)), ==, 0);
  assert_err (done_now (x_read (f, f->client, p.cfd, 10)), ECONNRESET);
}

/* close() with unread data under a personality's socket settings (the
 * server's): RST where unread_close_rst is on, FIN where it is off. */
static void
test_close_unread_personality (Fixture *f, gconstpointer data)
{
  const char *name = data;
  g_test_summary ("RFC 9293 3.6.1 SHLD-2, one rule per personality: close() with unread data "
                  "sends RST (linux tcp_close, macos tcp_disconnect, windows and rfc9293: the RFC) "
                  "or drops the data and sends FIN (freebsd, textbook: tcp_disconnect sbflush)");
  const Personality *pers = personality_find (name);
  g_assert_nonnull (pers);
  TcpConfig tcp;
  SockConfig sock;
  personality_apply (pers, &tcp, &sock);
  sock_configure (f->server, &sock);
  gboolean rst = g_strcmp0 (name, "freebsd") != 0 && g_strcmp0 (name, "textbook") != 0;
  g_assert_cmpint (pers->unread_close_rst, ==, rst);
  Pair p = establish (f, FALSE);
  x_write (f, f->client, p.cfd, "unread");
  run_until (f, sim_engine_now (f->engine) + DELAY);
  assert_ok (x_close (f, f->server, p.sfd), 0);
  run_until (f, sim_engine_now (f->engine) + DELAY);
  guint rsts = count_sent (f, "server", "RST") + count_sent (f, "server", "RST,ACK");
  g_assert_cmpuint (rsts, ==, rst ? 1 : 0);
  g_assert_cmpuint (count_sent (f, "server", "FIN,ACK"), ==, rst ? 0 : 1);
}

static void
test_close_linger_zero (Fixture *f, gconstpointer data)
{
  g_test_summary ("SO_LINGER {1, 0}: abortive close, RST and no TIME-WAIT");
  Pair p = establish (f, FALSE);
  assert_ok (x_linger (f, f->client, p.cfd, TRUE, 0), 0);
  assert_ok (x_close (f, f->client, p.cfd), 0);
  run_until (f, sim_engine_now (f->engine) + 5 * DELAY);
  g_assert_cmpuint (count_sent (f, "client", "RST") + count_sent (f, "client", "RST,ACK"), ==, 1);
  g_assert_cmpuint (count_sent (f, "client", "FIN,ACK"), ==, 0);
  guint64 conn = sock_conn_id (f->client, p.c_sock);
  g_assert_true (reached_state (f, conn, "CLOSED"));
  g_assert_false (reached_state (f, conn, "TIME-WAIT"));
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->client)), ==, 0);
}

static void
test_close_leaves_time_wait (Fixture *f, gconstpointer data)
{
  g_test_summary ("an orderly close by the active closer ends in TIME-WAIT");
  Pair p = establish (f, FALSE);
  assert_ok (x_close (f, f->client, p.cfd), 0);
  Res *rr = x_read (f, f->server, p.sfd, 10);
  run_until (f, sim_engine_now (f->engine) + DELAY);
  assert_ok (rr, 0);
  assert_ok (x_close (f, f->server, p.sfd), 0);
  run_until (f, sim_engine_now (f->engine) + 2 * DELAY);
  guint64 conn = sock_conn_id (f->client, p.c_sock);
  g_assert_cmpuint (conn, !=, 0);
  g_assert_true (reached_state (f, conn, "TIME-WAIT"));
  g_assert_false (reached_state (f, sock_conn_id (f->server, p.s_sock), "TIME-WAIT"));
  g_assert_cmpuint (tcp_stack_time_wait_count (host_tcp (f->client)), ==, 1);
}

static void
test_close_listener_resets_pending (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux inet_csk_listen_stop: closing a listener resets unaccepted connections");
  int lfd = x_listener (f, FALSE);
  int fd = x_socket (f, f->client);
  Res *rc = x_connect (f, f->client, fd, S_IP, 80);
  run_until (f, 3 * DELAY);
  assert_ok (rc, 0); /* in the server's accept queue, never accepted */
  assert_ok (x_close (f, f->server, lfd), 0);
  Res *rr = x_read (f, f->client, fd, 10);
  run_until (f, 5 * DELAY);
  assert_err (rr, ECONNRESET);
}

static void
test_close_blocked_read_ebadf (Fixture *f, gconstpointer data)
{
  g_test_summary ("calls blocked on a descriptor end with EBADF when it is closed");
  Pair p = establish (f, FALSE);
  Res *rr = x_read (f, f->server, p.sfd, 10);
  Res *ra = x_accept (f, f->server, p.lfd);
  g_assert_false (rr->done);
  assert_ok (x_close (f, f->server, p.sfd), 0);
  assert_err (rr, EBADF);
  assert_ok (x_close (f, f->server, p.lfd), 0);
  assert_err (ra, EBADF);
}

static void
test_close_linger_waits_for_ack (Fixture *f, gconstpointer data)
{
  g_test_summary ("socket(7) SO_LINGER {1, N}: close blocks until the FIN is acknowledged");
  Pair p = establish (f, FALSE);
  assert_ok (x_linger (f, f->client, p.cfd, TRUE, 5), 0);
  x_write (f, f->client, p.cfd, "data");
  SimTime t = sim_engine_now (f->engine);
  Res *rc = x_close (f, f->client, p.cfd);
  g_assert_false (rc->done);
  run_until (f, t + 2 * DELAY);
  assert_ok (rc, 0);
  g_assert_cmpint (rc->at, ==, t + 2 * DELAY);
}

static void
test_close_linger_timeout (Fixture *f, gconstpointer data)
{
  g_test_summary ("Linux: SO_LINGER timeout returns 0 and leaves the FIN to the stack");
  Pair p = establish (f, FALSE);
  /* Lose everything the client sends from now on. */
  Link *link = network_link (f->net, f->client, f->server);
  LinkDirection *c2s = link_direction_from (link, f->client);
  for (int i = 0; i < 20; i++)
    {
      LinkFault fault = { LINK_FAULT_DROP, TCP_FLAG_ACK, FALSE, (char *) "test" };
      link_direction_add_fault (c2s, &fault);
    }
  assert_ok (x_linger (f, f->client, p.cfd, TRUE, 1), 0);
  SimTime t = sim_engine_now (f->engine);
  Res *rc = x_close (f, f->client, p.cfd);
  run_until (f, t + SIM_S - 1);
  g_assert_false (rc->done);
  run_until (f, t + SIM_S);
  assert_ok (rc, 0);
  g_assert_nonnull (strstr (rc->why, "timeout"));
  g_assert_cmpuint (count_sent (f, "client", "RST") + count_sent (f, "client", "RST,ACK"), ==, 0);
}

/* ---- ids and names ------------------------------------------------------ */

static void
test_conn_id_survives_close (Fixture *f, gconstpointer data)
{
  g_test_summary ("sock_conn_id answers for a socket after close()");
  g_assert_cmpuint (sock_conn_id (f->client, 1), ==, 0);
  Pair p = establish (f, FALSE);
  guint64 before = sock_conn_id (f->client, p.c_sock);
  g_assert_cmpuint (before, !=, 0);
  assert_ok (x_close (f, f->client, p.cfd), 0);
  run_until (f, sim_engine_now (f->engine) + SIM_S);
  g_assert_cmpuint (sock_conn_id (f->client, p.c_sock), ==, before);
  g_assert_cmpuint (sock_conn_id (f->client, 99), ==, 0);
  g_assert_cmpuint (sock_conn_id (f->server, 1), !=, 0); /* the listener's id */
}

static void
test_errno_names (Fixture *f, gconstpointer data)
{
  g_test_summary ("errno names as in <errno.h>");
  g_assert_cmpstr (sock_errno_name (ECONNREFUSED), ==, "ECONNREFUSED");
  g_assert_cmpstr (sock_errno_name (EADDRINUSE), ==, "EADDRINUSE");
  g_assert_cmpstr (sock_errno_name (EAGAIN), ==, "EAGAIN");
  g_assert_cmpstr (sock_errno_name (ENETUNREACH), ==, "ENETUNREACH");
  g_assert_cmpstr (sock_errno_name (0), ==, "E?");
  g_assert_cmpstr (sock_errno_name (-5), ==, "E?");
}

#define SOCK_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define SOCK_TS_TEST(path, func) \
  g_test_add (path, Fixture, "timestamps", fixture_setup, func, fixture_teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  SOCK_TEST ("/socket/socket/fds-lowest-free", test_fds_lowest_free);
  SOCK_TEST ("/socket/setsockopt/ebadf", test_setsockopt_ebadf);
  SOCK_TEST ("/socket/bind/ebadf", test_bind_ebadf);
  SOCK_TEST ("/socket/bind/eaddrnotavail-foreign-address", test_bind_eaddrnotavail);
  SOCK_TEST ("/socket/bind/einval-already-bound", test_bind_einval_twice);
  SOCK_TEST ("/socket/bind/eaddrinuse-same-port", test_bind_eaddrinuse_same_port);
  SOCK_TEST ("/socket/bind/eaddrinuse-wildcard-vs-specific", test_bind_wildcard_conflicts);
  SOCK_TEST ("/socket/bind/reuseaddr-needs-both", test_bind_reuseaddr_both_bound);
  SOCK_TEST ("/socket/bind/reuseaddr-never-shares-with-listener", test_bind_reuseaddr_never_with_listener);
  SOCK_TEST ("/socket/bind/reuseaddr-both-allows-time-wait", test_bind_reuseaddr_time_wait);
  SOCK_TEST ("/socket/bind/eaddrinuse-time-wait-without-reuseaddr", test_bind_time_wait_without_reuseaddr);
  SOCK_TEST ("/socket/bind/eaddrinuse-time-wait-new-without-reuseaddr", test_bind_time_wait_new_without_reuseaddr);
  SOCK_TEST ("/socket/bind/ephemeral-port", test_bind_ephemeral);
  SOCK_TEST ("/socket/listen/einval-connected", test_listen_einval_connected);
  SOCK_TEST ("/socket/listen/autobinds", test_listen_autobinds);
  SOCK_TEST ("/socket/listen/recheck-eaddrinuse", test_listen_recheck);
  SOCK_TEST ("/socket/connect/blocks-until-established", test_connect_blocks_until_established);
  SOCK_TEST ("/socket/connect/econnrefused", test_connect_econnrefused);
  SOCK_TEST ("/socket/connect/eisconn", test_connect_eisconn);
  SOCK_TEST ("/socket/connect/ealready", test_connect_ealready);
  SOCK_TEST ("/socket/connect/eaddrnotavail-time-wait-tuple", test_connect_eaddrnotavail_time_wait);
  SOCK_TS_TEST ("/socket/tw-reuse/bound-port-takes-over-at-once", test_tw_takeover_bound_port);
  g_test_add ("/socket/tw-reuse/linux-tcp_time_wait-fin-wait-2-minisock-taken-over", Fixture,
              "timestamps-minisock", fixture_setup, test_fin_wait_2_minisock_taken_over,
              fixture_teardown);
  SOCK_TS_TEST ("/socket/tw-reuse/fin-wait-2-tcb-eaddrnotavail", test_fin_wait_2_tcb_eaddrnotavail);
  SOCK_TEST ("/socket/tw-reuse/needs-timestamps", test_tw_takeover_needs_timestamps);
  SOCK_TS_TEST ("/socket/tw-reuse/off-eaddrnotavail", test_tw_reuse_off);
  SOCK_TS_TEST ("/socket/tw-reuse/2-loopback-only", test_tw_reuse_loopback_only);
  SOCK_TS_TEST ("/socket/tw-reuse/1-takes-over", test_tw_reuse_on);
  SOCK_TS_TEST ("/socket/tw-reuse/delay-1s", test_tw_reuse_delay);
  SOCK_TS_TEST ("/socket/tw-reuse/bsd-never", test_tw_takeover_bsd_never);
  SOCK_TEST ("/socket/fin-wait-2/orphan-deleted-after-timeout", test_fin_wait_2_timeout);
  SOCK_TEST ("/socket/fin-wait-2/no-timeout-waits-forever", test_fin_wait_2_forever);
  SOCK_TEST ("/socket/crash/sockets-vanish-peer-gets-rst", test_crash_forgets_sockets);
  SOCK_TEST ("/socket/accept/einval-not-listening", test_accept_einval_not_listening);
  SOCK_TEST ("/socket/accept/blocks-until-connection", test_accept_blocks_until_connection);
  SOCK_TEST ("/socket/read/blocks-until-data", test_read_blocks_until_data);
  SOCK_TEST ("/socket/read/partial", test_read_partial);
  SOCK_TEST ("/socket/read/eof-returns-0", test_read_eof);
  SOCK_TEST ("/socket/read/eof-wakes-blocked-read", test_read_eof_wakes_blocked);
  SOCK_TEST ("/socket/read/enotconn", test_read_enotconn);
  SOCK_TEST ("/socket/read/after-shut-rd-returns-0", test_read_after_shut_rd);
  SOCK_TEST ("/socket/read/shut-rd-returns-queued-data-first", test_read_shut_rd_queued_first);
  SOCK_TEST ("/socket/shutdown/listen-shut-wr-noop", test_shutdown_listener_wr_noop);
  SOCK_TEST ("/socket/shutdown/listen-shut-rd-stops-listening", test_shutdown_listener_rd_stops);
  SOCK_TEST ("/socket/shutdown/syn-sent-disconnects", test_shutdown_syn_sent_disconnects);
  SOCK_TEST ("/socket/read/econnreset-once", test_read_econnreset_once);
  SOCK_TEST ("/socket/write/econnreset-then-epipe", test_write_econnreset_first);
  SOCK_TEST ("/socket/write/epipe-after-shutdown", test_write_epipe_after_shutdown);
  SOCK_TEST ("/socket/write/epipe-unconnected", test_write_epipe_unconnected);
  SOCK_TEST ("/socket/write/blocked-during-connect-fails", test_write_blocked_gets_connect_error);
  SOCK_TEST ("/socket/write/blocks-when-buffer-full", test_write_blocks_when_full);
  SOCK_TEST ("/socket/close/ebadf-twice", test_close_ebadf_twice);
  SOCK_TEST ("/socket/close/unread-data-sends-rst", test_close_unread_data_rst);
  static const char *const personalities[] = { "linux", "freebsd", "macos", "windows", "rfc9293", "textbook" };
  for (guint i = 0; i < G_N_ELEMENTS (personalities); i++)
    {
      g_autofree char *path = g_strdup_printf ("/socket/close/unread-data/%s", personalities[i]);
      g_test_add (path, Fixture, personalities[i], fixture_setup, test_close_unread_personality,
                  fixture_teardown);
    }
  SOCK_TEST ("/socket/close/linger-zero-aborts-without-time-wait", test_close_linger_zero);
  SOCK_TEST ("/socket/close/leaves-time-wait", test_close_leaves_time_wait);
  SOCK_TEST ("/socket/close/listener-resets-pending", test_close_listener_resets_pending);
  SOCK_TEST ("/socket/close/blocked-calls-get-ebadf", test_close_blocked_read_ebadf);
  SOCK_TEST ("/socket/close/linger-waits-for-ack", test_close_linger_waits_for_ack);
  SOCK_TEST ("/socket/close/linger-timeout-returns-0", test_close_linger_timeout);
  SOCK_TEST ("/socket/conn-id/survives-close", test_conn_id_survives_close);
  SOCK_TEST ("/socket/errno/names", test_errno_names);
  return g_test_run ();
}
