/* net-bench.c: the two-host bench of the socket-layer tests (net-bench.h). */
#include "net-bench.h"

#include "personality.h"

static const guint8 srv6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 }; /* 2001:db8::2 */
static const guint8 cli6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }; /* 2001:db8::1 */

static void
out_free (gpointer p)
{
  NetOut *o = p;
  g_free (o->why);
  if (o->data != NULL)
    g_bytes_unref (o->data);
  g_free (o);
}

NetBench *
net_bench_new (const char *personality, gboolean cli_has_ip6)
{
  NetBench *b = g_new0 (NetBench, 1);
  b->engine = sim_engine_new (1);
  b->net = network_new (b->engine);
  b->outs = g_ptr_array_new_with_free_func (out_free);
  TcpConfig tcp;
  SockConfig sock;
  personality_apply (personality_find (personality), &tcp, &sock);
  NetAddr srv_ips[] = { net_addr_ip4 (0x0A000002u), net_addr_ip6 (srv6) };
  NetAddr cli_ips[] = { net_addr_ip4 (0x0A000001u), net_addr_ip6 (cli6) };
  b->srv = network_add_host (b->net, "srv", srv_ips, 2, &tcp);
  b->cli = network_add_host (b->net, "cli", cli_ips, cli_has_ip6 ? 2 : 1, &tcp);
  sock_configure (b->srv, &sock);
  sock_configure (b->cli, &sock);
  Link *link = network_link (b->net, b->srv, b->cli);
  link_direction_set_delay (link_direction_from (link, b->srv), SIM_MS);
  link_direction_set_delay (link_direction_from (link, b->cli), SIM_MS);
  return b;
}

void
net_bench_free (NetBench *b)
{
  network_free (b->net);
  sim_engine_free (b->engine);
  g_ptr_array_unref (b->outs);
  g_free (b);
}

NetOut *
net_bench_out (NetBench *b)
{
  NetOut *o = g_new0 (NetOut, 1);
  g_ptr_array_add (b->outs, o);
  return o;
}

void
net_bench_on_done (const SockResult *r, gpointer out)
{
  NetOut *o = out;
  o->done = TRUE;
  o->ret = r->ret;
  o->err = r->err;
  g_free (o->why);
  o->why = g_strdup (r->why);
  if (r->data != NULL)
    o->data = g_bytes_ref (r->data);
}

static void
noop (gpointer data)
{
}

void
net_bench_run_for (NetBench *b, SimTime d)
{
  SimTime t = sim_engine_now (b->engine) + d;
  sim_engine_schedule_at (b->engine, t, noop, NULL);
  sim_engine_run (b->engine, t, 0);
}
