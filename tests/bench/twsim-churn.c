/* twsim-churn.c: the churn benchmark workload (issue 6), driven through the
 * TCP model's own interface (tcp.h) on a real Network with one link.
 *
 * A client host and a server host on a 100 Mbit/s link with 1 ms of delay.
 * The client opens N connections, one every 1 ms of virtual time; each
 * sends 1000 bytes and closes; the server reads them and closes at EOF.
 * Every connection ends with the client in TIME-WAIT; MSL is 2 s (option
 * --msl) and the run lasts until every TIME-WAIT record has expired.
 *
 * 4-tuples: the client has --addrs addresses (default 16: 10.1.0.1 ..) and
 * connection i uses address i mod addrs and port 1024 + (i / addrs) mod
 * 64512, so up to 16 x 64512 = 1 032 192 4-tuples are distinct and 10^6
 * records can be alive at once (--msl 1000).
 *
 * Prints one line of key=value pairs (see main). Exit status 0 only when
 * every byte arrived, every connection entered TIME-WAIT and every record
 * expired. Not a unit test: tests/bench/run times it. */
#include "network.h"
#include "host.h"
#include "link.h"
#include "tcp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define CHURN_BYTES 1000
#define CHURN_PORT_LOW 1024
#define CHURN_PORTS (65536 - CHURN_PORT_LOW)
#define RSS_POLL_EVERY 4096

typedef struct {
  SimEngine *engine;
  Network *network;
  Host *client;
  Host *server;
  TcpStack *cstack;
  TcpStack *sstack;
  NetAddr server_ip;
  NetAddr *client_ips;
  guint n_addrs;
  guint64 n;
  guint64 opened;
  guint64 bytes_received;
  guint64 time_wait_entered;
  guint64 server_closed;
  guint64 segments;
  guint64 failures;
  guint peak_time_waits;
  /* RSS, polled every RSS_POLL_EVERY connections entering TIME-WAIT and
   * when the last one does. The steady-state probe is that last poll: the
   * most records alive (all of them at --msl 1000) and no table in the
   * middle of a resize, whose old and new arrays make the peak (maxrss). */
  long rss_start_kb;
  long rss_probe_kb;
  long rss_poll_max_kb;   /* the largest polled RSS */
  guint probe_time_waits;
  GByteArray *scratch;
} Churn;

static guint8 payload[CHURN_BYTES];

static long
rss_now_kb (void)
{
  FILE *f = fopen ("/proc/self/statm", "r");
  long size = 0, resident = 0;
  if (f == NULL)
    return 0;
  if (fscanf (f, "%ld %ld", &size, &resident) != 2)
    resident = 0;
  fclose (f);
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

static void
count_segment (Host *to, const TcpSegment *seg, SimTime when, gpointer data)
{
  Churn *c = data;
  c->segments++;
}

/* --- client --- */

static void
client_established (TcpConn *conn, gpointer user)
{
  Churn *c = user;
  if (tcp_conn_send (conn, payload, CHURN_BYTES) != CHURN_BYTES)
    c->failures++;
  tcp_conn_close (conn);
}

static void
client_failed (TcpConn *conn, TcpError error, gpointer user)
{
  Churn *c = user;
  c->failures++;
}

static void
client_released (TcpConn *conn, gpointer user)
{
  Churn *c = user;
  if (tcp_conn_state (conn) != TCP_STATE_TIME_WAIT)
    {
      c->failures++;
      return;
    }
  c->time_wait_entered++;
  /* The record is inserted right after `released`. */
  guint now_tw = tcp_stack_time_wait_count (c->cstack) + 1;
  if (now_tw > c->peak_time_waits)
    c->peak_time_waits = now_tw;
  if (c->time_wait_entered % RSS_POLL_EVERY == 0 || c->time_wait_entered == c->n)
    {
      long rss = rss_now_kb ();
      if (rss > c->rss_poll_max_kb)
        c->rss_poll_max_kb = rss;
      if (c->time_wait_entered == c->n)
        {
          c->rss_probe_kb = rss;
          c->probe_time_waits = now_tw;
        }
    }
}

static const TcpConnCallbacks client_callbacks = {
  .established = client_established,
  .failed = client_failed,
  .released = client_released,
};

static void
open_next (gpointer data)
{
  Churn *c = data;
  guint64 i = c->opened++;
  NetFourTuple tuple;
  tuple.local.ip = c->client_ips[i % c->n_addrs];
  tuple.local.port = (guint16) (CHURN_PORT_LOW + (i / c->n_addrs) % CHURN_PORTS);
  tuple.remote.ip = c->server_ip;
  tuple.remote.port = 80;
  if (tcp_stack_connect (c->cstack, &tuple, &client_callbacks, c) == NULL)
    c->failures++;
  if (c->opened < c->n)
    sim_engine_schedule_after (c->engine, SIM_MS, open_next, c);
}

/* --- server --- */

static void
server_readable (TcpConn *conn, gpointer user)
{
  Churn *c = user;
  gsize n;
  while ((n = tcp_conn_receive (conn, 65536, NULL, NULL)) > 0)
    c->bytes_received += n;
  if (tcp_conn_at_eof (conn))
    {
      /* Close once: the TCB may report readable again in LAST-ACK. */
      TcpState s = tcp_conn_state (conn);
      if (s == TCP_STATE_CLOSE_WAIT)
        {
          c->server_closed++;
          tcp_conn_close (conn);
        }
    }
}

static void
server_failed (TcpConn *conn, TcpError error, gpointer user)
{
  Churn *c = user;
  c->failures++;
}

static void
server_released (TcpConn *conn, gpointer user)
{
}

static const TcpConnCallbacks server_callbacks = {
  .readable = server_readable,
  .failed = server_failed,
  .released = server_released,
};

static void
server_acceptable (TcpListener *listener, gpointer user)
{
  Churn *c = user;
  TcpConn *conn;
  while ((conn = tcp_listener_accept (listener)) != NULL)
    {
      tcp_conn_set_callbacks (conn, &server_callbacks, c);
      server_readable (conn, c);
    }
}

static const TcpListenerCallbacks listener_callbacks = {
  .acceptable = server_acceptable,
};

static double
wall_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

int
main (int argc, char **argv)
{
  gint64 n = 1000;
  double msl_s = 2.0;
  gint n_addrs = 16;
  GOptionEntry entries[] = {
    { "connections", 'n', 0, G_OPTION_ARG_INT64, &n, "connections (default 1000)", "N" },
    { "msl", 0, 0, G_OPTION_ARG_DOUBLE, &msl_s, "MSL in seconds (default 2)", "S" },
    { "addrs", 0, 0, G_OPTION_ARG_INT, &n_addrs, "client addresses (default 16)", "K" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  GError *error = NULL;
  GOptionContext *ctx = g_option_context_new ("- twsim churn benchmark");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  g_option_context_free (ctx);
  if (n < 1 || n_addrs < 1 || n_addrs > 250 || msl_s <= 0
      || (guint64) n > (guint64) n_addrs * CHURN_PORTS * (msl_s > 4.0 ? 1 : 1000))
    {
      fprintf (stderr, "bad arguments\n");
      return 2;
    }
  memset (payload, 'x', sizeof payload);

  Churn c = { 0 };
  c.n = (guint64) n;
  c.n_addrs = (guint) n_addrs;
  c.engine = sim_engine_new (1);
  c.network = network_new (c.engine);
  TcpConfig config;
  tcp_config_init_rfc9293 (&config);
  config.msl = (SimTime) (msl_s * (double) SIM_S);
  c.client_ips = g_new (NetAddr, n_addrs);
  for (gint i = 0; i < n_addrs; i++)
    c.client_ips[i] = net_addr_ip4 ((10u << 24) | (1u << 16) | (guint32) (i + 1)); /* 10.1.0.i+1 */
  c.server_ip = net_addr_ip4 ((10u << 24) | (2u << 16) | 1u);                  /* 10.2.0.1 */
  c.client = network_add_host (c.network, "client", c.client_ips, (guint) n_addrs, &config);
  c.server = network_add_host (c.network, "server", &c.server_ip, 1, &config);
  c.cstack = host_tcp (c.client);
  c.sstack = host_tcp (c.server);
  Link *link = network_link (c.network, c.client, c.server);
  LinkParams params = { 0 };
  params.delay = SIM_MS;
  params.rate_bps = 100000000;
  link_direction_set_params (link_direction_from (link, c.client), &params);
  link_direction_set_params (link_direction_from (link, c.server), &params);
  network_add_tap (c.network, count_segment, &c);

  NetEndpoint local = { c.server_ip, 80 };
  tcp_stack_listen (c.sstack, local, 1024, &listener_callbacks, &c);
  sim_engine_schedule_at (c.engine, 0, open_next, &c);

  c.rss_start_kb = rss_now_kb ();
  double t0 = wall_now ();
  sim_engine_run (c.engine, SIM_TIME_NEVER, 0);
  double wall = wall_now () - t0;

  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  guint64 events = sim_engine_events_run (c.engine);
  guint left = tcp_stack_time_wait_count (c.cstack);
  gboolean ok = c.failures == 0 && c.bytes_received == c.n * CHURN_BYTES
                && c.time_wait_entered == c.n && left == 0 && c.server_closed == c.n;
  double tw_bytes = c.probe_time_waits > 0
                      ? (double) (c.rss_probe_kb - c.rss_start_kb) * 1024.0 / c.probe_time_waits
                      : 0.0;
  printf ("prog=twsim n=%" G_GUINT64_FORMAT " msl=%g wall=%.6f events=%" G_GUINT64_FORMAT
          " segments=%" G_GUINT64_FORMAT " bytes=%" G_GUINT64_FORMAT
          " time_wait_entered=%" G_GUINT64_FORMAT " time_wait_left=%u peak_time_waits=%u"
          " probe_time_waits=%u rss_start_kb=%ld rss_probe_kb=%ld rss_poll_max_kb=%ld tw_bytes=%.1f"
          " maxrss_kb=%ld end_s=%.3f scheduled=%" G_GUINT64_FORMAT " cancelled=%" G_GUINT64_FORMAT
          " ok=%d\n",
          c.n, msl_s, wall, events, c.segments, c.bytes_received, c.time_wait_entered, left,
          c.peak_time_waits, c.probe_time_waits, c.rss_start_kb, c.rss_probe_kb,
          c.rss_poll_max_kb, tw_bytes,
          ru.ru_maxrss, (double) sim_engine_now (c.engine) / (double) SIM_S,
          sim_engine_events_scheduled (c.engine), sim_engine_events_cancelled (c.engine), ok ? 1 : 0);
  if (!ok)
    fprintf (stderr, "churn: FAILED: failures=%" G_GUINT64_FORMAT " bytes=%" G_GUINT64_FORMAT
             " time_wait=%" G_GUINT64_FORMAT " left=%u server_closed=%" G_GUINT64_FORMAT "\n",
             c.failures, c.bytes_received, c.time_wait_entered, left, c.server_closed);
  network_free (c.network);
  sim_engine_free (c.engine);
  g_free (c.client_ips);
  return ok ? 0 : 1;
}
