/* test-link.c: a link direction on its own. Segments are put on a link by
 * hand; delivery into the destination's TcpStack is replaced by a recorder
 * (network_set_deliver_func), so that no TCP behaviour enters these tests.
 * Virtual time only advances through sim_engine_run. */
#include "net-internal.h"

#include <string.h>

#define CLIENT_IP net_addr_ip4 (0x0A000001u) /* 10.0.0.1 */
#define SERVER_IP net_addr_ip4 (0x0A000002u) /* 10.0.0.2 */

typedef struct {
  guint64 id;
  SimTime at;
  char *to;
  guint8 flags;
  TcpSeq seq;
  guint32 copy;
} Arrival;

typedef struct {
  SimEngine *engine;
  Network *net;
  Host *client;
  Host *server;
  LinkDirection *c2s;
  LinkDirection *s2c;
  GArray *arrivals;   /* Arrival */
  GPtrArray *events;  /* char *: "kind|text" of every trace event */
  GArray *sent_ids;   /* guint64: seg of every link.send */
  GPtrArray *drops;   /* char *: why of link.drop / net.drop */
} Fixture;

static void
record_arrival (Host *to, TcpSegment *seg, gpointer data)
{
  Fixture *f = data;
  Arrival a = { seg->id, sim_engine_now (f->engine), g_strdup (host_name (to)),
                seg->flags, seg->seq, seg->copy };
  g_array_append_val (f->arrivals, a);
}

static void
sink (const SimTraceEvent *ev, gpointer data)
{
  Fixture *f = data;
  g_ptr_array_add (f->events, g_strdup_printf ("%s|%s", ev->kind, ev->text->str));
  if (strcmp (ev->kind, "link.send") == 0)
    {
      guint64 id = (guint64) sim_trace_event_int (ev, "seg", 0);
      g_array_append_val (f->sent_ids, id);
    }
  if (strcmp (ev->kind, "link.drop") == 0 || strcmp (ev->kind, "net.drop") == 0)
    g_ptr_array_add (f->drops, g_strdup (sim_trace_event_str (ev, "why")));
}

static void
arrival_clear (gpointer p)
{
  g_free (((Arrival *) p)->to);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  TcpConfig config;
  tcp_config_init_rfc9293 (&config);
  config.isn_kind = TCP_ISN_FIXED;
  config.isn_fixed = 1000;
  f->engine = sim_engine_new (1);
  f->net = network_new (f->engine);
  NetAddr cip = CLIENT_IP, sip = SERVER_IP;
  f->client = network_add_host (f->net, "client", &cip, 1, &config);
  f->server = network_add_host (f->net, "server", &sip, 1, &config);
  Link *link = network_link (f->net, f->client, f->server);
  f->c2s = link_direction_from (link, f->client);
  f->s2c = link_direction_from (link, f->server);
  link_direction_set_delay (f->c2s, 10 * SIM_MS);
  link_direction_set_delay (f->s2c, 10 * SIM_MS);
  f->arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  g_array_set_clear_func (f->arrivals, arrival_clear);
  f->events = g_ptr_array_new_with_free_func (g_free);
  f->sent_ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  f->drops = g_ptr_array_new_with_free_func (g_free);
  network_set_deliver_func (f->net, record_arrival, f);
  sim_trace_add_sink (sim_engine_trace (f->engine), sink, f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  network_free (f->net);
  sim_engine_free (f->engine);
  g_array_free (f->arrivals, TRUE);
  g_ptr_array_free (f->events, TRUE);
  g_array_free (f->sent_ids, TRUE);
  g_ptr_array_free (f->drops, TRUE);
}

static TcpSegment *
make_segment (NetAddr src_ip, NetAddr dst_ip, guint8 flags, TcpSeq seq, const char *payload)
{
  TcpSegment *seg = tcp_segment_new ();
  seg->src = (NetEndpoint){ src_ip, 4000 };
  seg->dst = (NetEndpoint){ dst_ip, 80 };
  seg->flags = flags;
  seg->seq = seq;
  seg->window = 65535;
  if (payload != NULL)
    seg->payload = g_bytes_new (payload, strlen (payload));
  return seg;
}

static void
send_on (LinkDirection *dir, guint8 flags, TcpSeq seq, const char *payload)
{
  g_autoptr (TcpSegment) seg = make_segment (host_primary_ip (dir->from),
                                             host_primary_ip (dir->to), flags, seq, payload);
  link_direction_send (dir, seg);
}

static void
arm_drop (LinkDirection *dir, guint8 flags, gboolean needs_data, const char *origin)
{
  LinkFault fault = { LINK_FAULT_DROP, flags, needs_data, (char *) origin };
  link_direction_add_fault (dir, &fault);
}

static const Arrival *
arrival (Fixture *f, guint i)
{
  g_assert_cmpuint (i, <, f->arrivals->len);
  return &g_array_index (f->arrivals, Arrival, i);
}

static void
noop (gpointer data)
{
}

static void
test_delay_exact (Fixture *f, gconstpointer data)
{
  g_test_summary ("a segment arrives exactly `delay` after it was sent");
  sim_engine_schedule_at (f->engine, 5 * SIM_MS, noop, NULL);
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpint (sim_engine_now (f->engine), ==, 5 * SIM_MS);
  send_on (f->c2s, TCP_FLAG_SYN, 1000, NULL);
  sim_engine_run (f->engine, 15 * SIM_MS - 1, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 0);
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 1);
  g_assert_cmpint (arrival (f, 0)->at, ==, 15 * SIM_MS);
  g_assert_cmpstr (arrival (f, 0)->to, ==, "server");
  g_assert_cmpint (link_direction_delay (f->c2s), ==, 10 * SIM_MS);
  g_assert_cmpstr (link_direction_name (f->c2s), ==, "client->server");
  g_assert_cmpstr (link_direction_name (f->s2c), ==, "server->client");
}

static void
test_directions_independent (Fixture *f, gconstpointer data)
{
  g_test_summary ("each direction has its own delay");
  link_direction_set_delay (f->s2c, 3 * SIM_MS);
  send_on (f->c2s, TCP_FLAG_SYN, 1, NULL);
  send_on (f->s2c, TCP_FLAG_SYN | TCP_FLAG_ACK, 2, NULL);
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 2);
  g_assert_cmpstr (arrival (f, 0)->to, ==, "client");
  g_assert_cmpint (arrival (f, 0)->at, ==, 3 * SIM_MS);
  g_assert_cmpstr (arrival (f, 1)->to, ==, "server");
  g_assert_cmpint (arrival (f, 1)->at, ==, 10 * SIM_MS);
}

static void
test_fifo_equal_times (Fixture *f, gconstpointer data)
{
  g_test_summary ("segments sent at the same instant arrive in sending order");
  for (TcpSeq s = 1; s <= 5; s++)
    send_on (f->c2s, TCP_FLAG_ACK, s, "x");
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpuint (arrival (f, i)->seq, ==, i + 1);
      g_assert_cmpint (arrival (f, i)->at, ==, 10 * SIM_MS);
    }
}

static void
test_zero_delay (Fixture *f, gconstpointer data)
{
  g_test_summary ("delay 0 (the default) delivers at the same instant, later in order");
  link_direction_set_delay (f->c2s, 0);
  send_on (f->c2s, TCP_FLAG_SYN, 1, NULL);
  g_assert_cmpuint (f->arrivals->len, ==, 0); /* never synchronously */
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 1);
  g_assert_cmpint (arrival (f, 0)->at, ==, 0);
}

static void
test_fault_drops_next_match_only (Fixture *f, gconstpointer data)
{
  g_test_summary ("a one-shot fault drops exactly the next matching segment");
  arm_drop (f->c2s, TCP_FLAG_FIN, FALSE, "x.scn:12");
  send_on (f->c2s, TCP_FLAG_ACK, 1, NULL);                 /* passes: no FIN */
  send_on (f->c2s, TCP_FLAG_FIN | TCP_FLAG_ACK, 2, NULL);  /* dropped */
  send_on (f->c2s, TCP_FLAG_FIN | TCP_FLAG_ACK, 3, NULL);  /* passes: fault spent */
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 2);
  g_assert_cmpuint (arrival (f, 0)->seq, ==, 1);
  g_assert_cmpuint (arrival (f, 1)->seq, ==, 3);
  g_assert_cmpuint (f->drops->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->drops, 0), ==, "fault armed at x.scn:12: drop next FIN");
}

static void
test_fault_needs_data (Fixture *f, gconstpointer data)
{
  g_test_summary ("a fault that needs data lets bare segments with the flags through");
  arm_drop (f->c2s, TCP_FLAG_ACK, TRUE, "y.scn:3");
  send_on (f->c2s, TCP_FLAG_ACK, 1, NULL);      /* no payload: passes */
  send_on (f->c2s, TCP_FLAG_ACK, 2, "hello");   /* dropped */
  send_on (f->c2s, TCP_FLAG_ACK, 7, "world");   /* passes */
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 2);
  g_assert_cmpuint (arrival (f, 0)->seq, ==, 1);
  g_assert_cmpuint (arrival (f, 1)->seq, ==, 7);
  g_assert_cmpstr (g_ptr_array_index (f->drops, 0), ==,
                   "fault armed at y.scn:3: drop next ACK with data");
}

static void
test_fault_other_direction_passes (Fixture *f, gconstpointer data)
{
  g_test_summary ("a fault armed on one direction ignores the other");
  arm_drop (f->c2s, TCP_FLAG_SYN, FALSE, "z.scn:1");
  send_on (f->s2c, TCP_FLAG_SYN, 1, NULL);
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 1);
  g_assert_cmpuint (f->drops->len, ==, 0);
}

static void
test_faults_in_arming_order (Fixture *f, gconstpointer data)
{
  g_test_summary ("two armed faults are spent one per matching segment");
  arm_drop (f->c2s, TCP_FLAG_ACK, FALSE, "a.scn:1");
  arm_drop (f->c2s, TCP_FLAG_ACK, FALSE, "a.scn:2");
  send_on (f->c2s, TCP_FLAG_ACK, 1, NULL);
  send_on (f->c2s, TCP_FLAG_ACK, 2, NULL);
  send_on (f->c2s, TCP_FLAG_ACK, 3, NULL);
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 1);
  g_assert_cmpuint (arrival (f, 0)->seq, ==, 3);
  g_assert_cmpuint (f->drops->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->drops, 0), "fault armed at a.scn:1"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->drops, 1), "fault armed at a.scn:2"));
}

static void
test_no_route_traced (Fixture *f, gconstpointer data)
{
  g_test_summary ("a segment to an address nobody owns is dropped with net.drop");
  g_autoptr (TcpSegment) seg = make_segment (CLIENT_IP, net_addr_ip4 (0x0A000009u), TCP_FLAG_SYN, 1, NULL);
  network_route (seg, f->client);
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 0);
  g_assert_cmpuint (f->drops->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->drops, 0), ==, "no route to 10.0.0.9");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->events, 0), "net.drop|"));
}

static void
test_no_link_traced (Fixture *f, gconstpointer data)
{
  g_test_summary ("a host without a link to the destination drops the segment");
  TcpConfig config;
  tcp_config_init_rfc9293 (&config);
  NetAddr ip = net_addr_ip4 (0x0A000003u);
  Host *lonely = network_add_host (f->net, "lonely", &ip, 1, &config);
  g_autoptr (TcpSegment) seg = make_segment (ip, SERVER_IP, TCP_FLAG_SYN, 1, NULL);
  network_route (seg, lonely);
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 0);
  g_assert_cmpstr (g_ptr_array_index (f->drops, 0), ==,
                   "no route to 10.0.0.2 (no link lonely->server)");
}

static void
test_route_uses_link (Fixture *f, gconstpointer data)
{
  g_test_summary ("routing picks the link to the host that owns the destination");
  g_autoptr (TcpSegment) seg = make_segment (SERVER_IP, CLIENT_IP, TCP_FLAG_RST, 9, NULL);
  network_route (seg, f->server);
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 1);
  g_assert_cmpstr (arrival (f, 0)->to, ==, "client");
  g_assert_cmpint (arrival (f, 0)->at, ==, 10 * SIM_MS);
  g_assert_cmpuint (arrival (f, 0)->id, ==, seg->id); /* the id is set on the sender's object */
}

static void
test_segment_ids_increase (Fixture *f, gconstpointer data)
{
  g_test_summary ("the network numbers segments 1, 2, 3 ... as they go on the wire");
  for (TcpSeq s = 0; s < 3; s++)
    {
      g_autoptr (TcpSegment) seg = make_segment (CLIENT_IP, SERVER_IP, TCP_FLAG_ACK, s, NULL);
      network_route (seg, f->client);
    }
  g_autoptr (TcpSegment) back = make_segment (SERVER_IP, CLIENT_IP, TCP_FLAG_ACK, 9, NULL);
  network_route (back, f->server);
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->sent_ids->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (g_array_index (f->sent_ids, guint64, i), ==, i + 1);
  g_assert_cmpuint (f->arrivals->len, ==, 4);
}


static void
test_free_with_segments_in_flight (Fixture *f, gconstpointer data)
{
  g_test_summary ("freeing the network cancels deliveries still in flight");
  send_on (f->c2s, TCP_FLAG_SYN, 1, "payload");
  g_assert_cmpuint (sim_engine_events_pending (f->engine), ==, 1);
  /* teardown frees the network with the segment in flight (ASan checks) */
}

static void
test_add_host_rejects_duplicates (Fixture *f, gconstpointer data)
{
  g_test_summary ("host names and addresses are unique in a network");
  TcpConfig config;
  tcp_config_init_rfc9293 (&config);
  NetAddr ip = CLIENT_IP;
  char *reason = NULL;
  g_assert_null (network_add_host_checked (f->net, "other", &ip, 1, &config, &reason));
  g_assert_cmpstr (reason, ==, "address 10.0.0.1 is already used by host client");
  g_free (reason);
  ip = net_addr_ip4 (0x0A000005u);
  g_assert_null (network_add_host_checked (f->net, "client", &ip, 1, &config, &reason));
  g_assert_cmpstr (reason, ==, "a host named client already exists");
  g_free (reason);
  g_assert_true (network_find_host (f->net, "server") == f->server);
  g_assert_true (network_host_for_ip (f->net, SERVER_IP) == f->server);
  g_assert_null (network_host_for_ip (f->net, net_addr_ip4 (0x0A000005u)));
  g_assert_true (network_link (f->net, f->server, f->client) == f->c2s->link);
}

static void
arm (LinkDirection *dir, const LinkFault *fault)
{
  link_direction_add_fault (dir, fault);
}

static void
test_fault_duplicate (Fixture *f, gconstpointer data)
{
  g_test_summary ("duplicate: the original on time, copies 1..n at D, 2D later, same id");
  LinkFault fault = { LINK_FAULT_DUPLICATE, 0, TRUE, (char *) "d.scn:1" };
  fault.copies = 2;
  fault.delay = 2 * SIM_S;
  arm (f->c2s, &fault);
  send_on (f->c2s, TCP_FLAG_ACK, 1, "balance=100");
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 3);
  g_assert_cmpint (arrival (f, 0)->at, ==, 10 * SIM_MS);
  g_assert_cmpuint (arrival (f, 0)->copy, ==, 0);
  g_assert_cmpint (arrival (f, 1)->at, ==, 10 * SIM_MS + 2 * SIM_S);
  g_assert_cmpuint (arrival (f, 1)->copy, ==, 1);
  g_assert_cmpint (arrival (f, 2)->at, ==, 10 * SIM_MS + 4 * SIM_S);
  g_assert_cmpuint (arrival (f, 2)->copy, ==, 2);
  g_assert_cmpuint (arrival (f, 1)->id, ==, arrival (f, 0)->id);
}

static void
test_fault_delay_and_hold (Fixture *f, gconstpointer data)
{
  g_test_summary ("delay adds D to one segment; hold delivers at an absolute time");
  LinkFault delay = { LINK_FAULT_DELAY, TCP_FLAG_FIN, FALSE, (char *) "x:1" };
  delay.delay = 500 * SIM_MS;
  LinkFault hold = { LINK_FAULT_HOLD, TCP_FLAG_SYN, FALSE, (char *) "x:2" };
  hold.until = 3 * SIM_S;
  arm (f->c2s, &delay);
  arm (f->c2s, &hold);
  send_on (f->c2s, TCP_FLAG_SYN, 1, NULL);
  send_on (f->c2s, TCP_FLAG_FIN | TCP_FLAG_ACK, 2, NULL);
  send_on (f->c2s, TCP_FLAG_ACK, 3, NULL);
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 3);
  g_assert_cmpuint (arrival (f, 0)->seq, ==, 3);
  g_assert_cmpint (arrival (f, 0)->at, ==, 10 * SIM_MS);
  g_assert_cmpuint (arrival (f, 1)->seq, ==, 2);
  g_assert_cmpint (arrival (f, 1)->at, ==, 510 * SIM_MS);
  g_assert_cmpuint (arrival (f, 2)->seq, ==, 1);
  g_assert_cmpint (arrival (f, 2)->at, ==, 3 * SIM_S);
}

static void
test_fault_seq_payload_nth (Fixture *f, gconstpointer data)
{
  g_test_summary ("seq range, payload and nth narrow the segment a fault takes");
  LinkFault fault = { LINK_FAULT_DROP, 0, FALSE, (char *) "y:1" };
  fault.has_seq = TRUE;
  fault.seq_lo = 100;
  fault.seq_hi = 200;
  fault.payload = g_bytes_new_static ("bal", 3);
  fault.nth = 2;
  arm (f->c2s, &fault);
  g_bytes_unref (fault.payload);
  send_on (f->c2s, TCP_FLAG_ACK, 150, "balance");  /* 1st match: passes */
  send_on (f->c2s, TCP_FLAG_ACK, 250, "balance");  /* seq out of range */
  send_on (f->c2s, TCP_FLAG_ACK, 160, "other");    /* payload differs */
  send_on (f->c2s, TCP_FLAG_ACK, 170, "a balance"); /* 2nd match: dropped */
  send_on (f->c2s, TCP_FLAG_ACK, 180, "balance");  /* spent */
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 4);
  g_assert_cmpuint (f->drops->len, ==, 1);
  for (guint i = 0; i < f->arrivals->len; i++)
    g_assert_cmpuint (arrival (f, i)->seq, !=, 170);
  g_assert_cmpstr (g_ptr_array_index (f->drops, 0), ==,
                   "fault armed at y:1: drop next segment seq=100-200 payload=\"bal\" nth=2");
}

static void
test_random_loss_and_dup (Fixture *f, gconstpointer data)
{
  g_test_summary ("loss=1 drops all; dup=1 copies all with the delay in range");
  LinkParams p = *link_direction_params (f->c2s);
  p.loss = 1.0;
  link_direction_set_params (f->c2s, &p);
  p = *link_direction_params (f->s2c);
  p.dup = 1.0;
  p.dup_delay_min = 1 * SIM_S;
  p.dup_delay_max = 3 * SIM_S;
  link_direction_set_params (f->s2c, &p);
  for (guint i = 0; i < 5; i++)
    {
      send_on (f->c2s, TCP_FLAG_ACK, i, NULL);
      send_on (f->s2c, TCP_FLAG_ACK, 100 + i, NULL);
    }
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->drops->len, ==, 5);
  g_assert_cmpuint (f->arrivals->len, ==, 10);
  for (guint i = 0; i < f->arrivals->len; i++)
    {
      const Arrival *a = arrival (f, i);
      g_assert_cmpstr (a->to, ==, "client");
      if (a->copy == 1)
        g_assert_true (a->at >= 10 * SIM_MS + SIM_S && a->at <= 10 * SIM_MS + 3 * SIM_S);
      else
        g_assert_cmpint (a->at, ==, 10 * SIM_MS);
    }
}

static void
test_rate_and_queue (Fixture *f, gconstpointer data)
{
  g_test_summary ("rate: serialisation in order; queue: tail drop beyond the limit");
  LinkParams p = *link_direction_params (f->c2s);
  p.rate_bps = 8000; /* 1000 bytes a second: a 40-byte header takes 40 ms */
  p.queue_limit = 2;
  link_direction_set_params (f->c2s, &p);
  send_on (f->c2s, TCP_FLAG_ACK, 1, NULL);
  send_on (f->c2s, TCP_FLAG_ACK, 2, NULL);
  send_on (f->c2s, TCP_FLAG_ACK, 3, NULL); /* queue full: dropped */
  sim_engine_run (f->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (f->arrivals->len, ==, 2);
  g_assert_cmpint (arrival (f, 0)->at, ==, 40 * SIM_MS + 10 * SIM_MS);
  g_assert_cmpint (arrival (f, 1)->at, ==, 80 * SIM_MS + 10 * SIM_MS);
  g_assert_cmpstr (g_ptr_array_index (f->drops, 0), ==, "queue full (2 segments): tail drop");
}

static void
record_time (Host *to, TcpSegment *seg, gpointer data)
{
  SimEngine *engine = network_engine (to->network);
  SimTime at = sim_engine_now (engine);
  g_array_append_val ((GArray *) data, at);
}

static void
test_jitter_seeded (Fixture *f, gconstpointer data)
{
  g_test_summary ("jitter stays in [delay, delay + jitter] and repeats with the seed");
  GArray *runs[2];
  for (int round = 0; round < 2; round++)
    {
      SimEngine *engine = sim_engine_new (42);
      Network *net = network_new (engine);
      TcpConfig config;
      tcp_config_init_rfc9293 (&config);
      NetAddr a = CLIENT_IP, b = SERVER_IP;
      Host *ha = network_add_host (net, "a", &a, 1, &config);
      Host *hb = network_add_host (net, "b", &b, 1, &config);
      LinkDirection *dir = link_direction_from (network_link (net, ha, hb), ha);
      LinkParams p = *link_direction_params (dir);
      p.delay = 10 * SIM_MS;
      p.jitter = 5 * SIM_MS;
      link_direction_set_params (dir, &p);
      runs[round] = g_array_new (FALSE, FALSE, sizeof (SimTime));
      network_set_deliver_func (net, record_time, runs[round]);
      for (int i = 0; i < 8; i++)
        {
          g_autoptr (TcpSegment) seg = make_segment (CLIENT_IP, SERVER_IP, TCP_FLAG_RST, i, NULL);
          link_direction_send (dir, seg);
        }
      sim_engine_run (engine, SIM_TIME_NEVER, 0);
      network_free (net);
      sim_engine_free (engine);
    }
  g_assert_cmpuint (runs[0]->len, ==, 8);
  gboolean varied = FALSE;
  for (guint i = 0; i < runs[0]->len; i++)
    {
      SimTime at = g_array_index (runs[0], SimTime, i);
      g_assert_true (at >= 10 * SIM_MS && at <= 15 * SIM_MS);
      g_assert_cmpint (at, ==, g_array_index (runs[1], SimTime, i));
      varied |= at != g_array_index (runs[0], SimTime, 0);
    }
  g_assert_true (varied);
  g_array_free (runs[0], TRUE);
  g_array_free (runs[1], TRUE);
}

#define LINK_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  LINK_TEST ("/link/delay/exact", test_delay_exact);
  LINK_TEST ("/link/delay/directions-independent", test_directions_independent);
  LINK_TEST ("/link/delay/zero", test_zero_delay);
  LINK_TEST ("/link/order/fifo-for-equal-times", test_fifo_equal_times);
  LINK_TEST ("/link/fault/drops-next-match-only", test_fault_drops_next_match_only);
  LINK_TEST ("/link/fault/needs-data", test_fault_needs_data);
  LINK_TEST ("/link/fault/other-direction-passes", test_fault_other_direction_passes);
  LINK_TEST ("/link/fault/spent-in-arming-order", test_faults_in_arming_order);
  LINK_TEST ("/link/route/no-route-traced", test_no_route_traced);
  LINK_TEST ("/link/route/no-link-traced", test_no_link_traced);
  LINK_TEST ("/link/route/uses-link-to-owner", test_route_uses_link);
  LINK_TEST ("/link/id/increase-from-1", test_segment_ids_increase);
  LINK_TEST ("/link/free/in-flight", test_free_with_segments_in_flight);
  LINK_TEST ("/network/add-host/unique", test_add_host_rejects_duplicates);
  LINK_TEST ("/link/fault/duplicate", test_fault_duplicate);
  LINK_TEST ("/link/fault/delay-and-hold", test_fault_delay_and_hold);
  LINK_TEST ("/link/fault/seq-payload-nth", test_fault_seq_payload_nth);
  LINK_TEST ("/link/random/loss-and-dup", test_random_loss_and_dup);
  LINK_TEST ("/link/rate/serialisation-and-tail-drop", test_rate_and_queue);
  LINK_TEST ("/link/random/jitter-seeded", test_jitter_seeded);
  return g_test_run ();
}
