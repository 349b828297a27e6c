/* network.c: hosts by name and address, point-to-point links between them,
 * and routing: a segment from host H to destination address D travels over
 * the link between H and the host that owns D. */
#include "net-internal.h"

Network *
network_new (SimEngine *engine)
{
  Network *n = g_new0 (Network, 1);
  n->engine = engine;
  n->hosts = g_ptr_array_new ();
  n->host_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  n->host_by_ip = g_hash_table_new (net_addr_hash_func, net_addr_equal_func);
  n->links = g_ptr_array_new ();
  n->incarnations = tcp_incarnations_new ();
  return n;
}

void
network_free (Network *n)
{
  if (n == NULL)
    return;
  /* Links first: their pending deliveries point into the hosts' stacks. */
  loopback_free_pending (n);
  for (guint i = 0; i < n->links->len; i++)
    link_free (g_ptr_array_index (n->links, i));
  g_ptr_array_free (n->links, TRUE);
  for (guint i = 0; i < n->hosts->len; i++)
    host_free (g_ptr_array_index (n->hosts, i));
  g_ptr_array_free (n->hosts, TRUE);
  g_hash_table_destroy (n->host_by_name);
  g_hash_table_destroy (n->host_by_ip);
  if (n->taps != NULL)
    g_array_free (n->taps, TRUE);
  if (n->send_taps != NULL)
    g_array_free (n->send_taps, TRUE);
  tcp_incarnations_free (n->incarnations);
  g_free (n);
}

SimEngine *
network_engine (Network *n)
{
  return n->engine;
}

Host *
network_add_host_checked (Network *n, const char *name, const NetAddr *addrs,
                          guint n_addrs, const TcpConfig *config, char **reason)
{
  g_return_val_if_fail (name != NULL && config != NULL, NULL);
  if (g_hash_table_contains (n->host_by_name, name))
    {
      if (reason != NULL)
        *reason = g_strdup_printf ("a host named %s already exists", name);
      return NULL;
    }
  if (n_addrs == 0)
    {
      if (reason != NULL)
        *reason = g_strdup_printf ("host %s needs at least one address", name);
      return NULL;
    }
  for (guint i = 0; i < n_addrs; i++)
    {
      const char *problem = NULL;
      Host *owner = NULL;
      if (net_addr_is_any (addrs[i]))
        problem = "is the wildcard address";
      else if ((owner = g_hash_table_lookup (n->host_by_ip, &addrs[i])) != NULL)
        problem = "is already used by host ";
      else
        for (guint j = 0; j < i; j++)
          if (net_addr_equal (addrs[j], addrs[i]))
            problem = "is listed twice";
      if (problem != NULL)
        {
          if (reason != NULL)
            {
              GString *s = g_string_new ("address ");
              net_addr_append (s, addrs[i]);
              g_string_append_printf (s, " %s%s", problem, owner != NULL ? owner->name : "");
              *reason = g_string_free (s, FALSE);
            }
          return NULL;
        }
    }

  Host *h = host_new (n, name, addrs, n_addrs, config);
  g_ptr_array_add (n->hosts, h);
  g_hash_table_insert (n->host_by_name, h->name, h);
  for (guint i = 0; i < n_addrs; i++)
    g_hash_table_insert (n->host_by_ip, &g_array_index (h->addrs, NetAddr, i), h);
  return h;
}

Host *
network_add_host (Network *n, const char *name, const NetAddr *addrs,
                  guint n_addrs, const TcpConfig *config)
{
  return network_add_host_checked (n, name, addrs, n_addrs, config, NULL);
}

Host *
network_find_host (Network *n, const char *name)
{
  return g_hash_table_lookup (n->host_by_name, name);
}

/* The last bytes of an address differ most between the hosts of a run. */
static guint
route_cache_slot (NetAddr ip)
{
  guint last = ip.family == NET_FAMILY_IPV4 ? 3 : 15;
  return (ip.bytes[last] ^ (guint) ip.bytes[last - 1] << 2) & 63;
}

Host *
network_host_for_ip (Network *n, NetAddr ip)
{
  if (net_addr_is_any (ip))
    return NULL;
  guint slot = route_cache_slot (ip);
  if (n->route_cache[slot].host != NULL && net_addr_equal (n->route_cache[slot].ip, ip))
    return n->route_cache[slot].host;
  Host *host = g_hash_table_lookup (n->host_by_ip, &ip);
  if (host != NULL)
    {
      n->route_cache[slot].ip = ip;
      n->route_cache[slot].host = host;
    }
  return host;
}

static Link *
find_link (Network *n, Host *a, Host *b)
{
  for (guint i = 0; i < n->links->len; i++)
    {
      Link *l = g_ptr_array_index (n->links, i);
      if ((l->ab.from == a && l->ab.to == b) || (l->ab.from == b && l->ab.to == a))
        return l;
    }
  return NULL;
}

Link *
network_link (Network *n, Host *a, Host *b)
{
  g_return_val_if_fail (a != NULL && b != NULL && a != b, NULL);
  Link *l = find_link (n, a, b);
  if (l == NULL)
    {
      l = link_new (n, a, b);
      g_ptr_array_add (n->links, l);
    }
  return l;
}

LinkDirection *
link_direction_from (Link *link, Host *from)
{
  if (link->ab.from == from)
    return &link->ab;
  if (link->ba.from == from)
    return &link->ba;
  return NULL;
}

guint64
network_next_segment_id (Network *n)
{
  return tcp_incarnations_new_segment_id (n->incarnations);
}

void
network_set_deliver_func (Network *n, NetDeliverFunc func, gpointer data)
{
  n->deliver = func;
  n->deliver_data = data;
}

typedef struct {
  NetworkTapFunc func;
  gpointer data;
} NetworkTap;

void
network_add_tap (Network *n, NetworkTapFunc func, gpointer data)
{
  if (n->taps == NULL)
    n->taps = g_array_new (FALSE, FALSE, sizeof (NetworkTap));
  NetworkTap tap = { func, data };
  g_array_append_val (n->taps, tap);
}

void
network_add_send_tap (Network *n, NetworkTapFunc func, gpointer data)
{
  if (n->send_taps == NULL)
    n->send_taps = g_array_new (FALSE, FALSE, sizeof (NetworkTap));
  NetworkTap tap = { func, data };
  g_array_append_val (n->send_taps, tap);
}

static void
run_taps (Network *n, GArray *taps, Host *host, const TcpSegment *seg)
{
  for (guint i = 0; taps != NULL && i < taps->len; i++)
    {
      NetworkTap *tap = &g_array_index (taps, NetworkTap, i);
      tap->func (host, seg, sim_engine_now (n->engine), tap->data);
    }
}

void
network_set_scripted (Host *host, gboolean scripted)
{
  host->scripted = scripted;
}

gboolean
network_host_is_scripted (Host *host)
{
  return host->scripted;
}

void
network_deliver (Network *n, Host *to, TcpSegment *seg)
{
  run_taps (n, n->taps, to, seg);
  if (to->scripted)
    return; /* nothing behind a scripted peer's address: swallowed */
  if (seg->udp)
    sock_udp_arrives (to, seg);
  else if (n->deliver != NULL)
    n->deliver (to, seg, n->deliver_data);
  else
    tcp_stack_segment_arrives (to->tcp, seg);
}

static void
trace_drop (Network *n, Host *from, TcpSegment *seg, const char *why)
{
  SimTrace *trace = sim_engine_trace (n->engine);
  if (!sim_trace_active (trace))
    return;
  SimTraceEvent *ev = sim_trace_begin (trace, sim_engine_now (n->engine), "net.drop", from->name);
  tcp_segment_trace_fields (ev, seg);
  sim_trace_field_str (ev, "why", why);
  GString *s = g_string_new (NULL);
  tcp_segment_append_summary (s, seg);
  sim_trace_text (ev, "dropped %s: %s", s->str, why);
  g_string_free (s, TRUE);
  sim_trace_publish (trace, ev);
}

/* The TcpOutputFunc of every stack. TCP numbers each transmission from the
 * network-wide counter when it sends it; a segment that arrives here without
 * an id (from a test driver) gets one now. */
void
network_route (TcpSegment *seg, gpointer data)
{
  Host *from = data;
  Network *n = from->network;
  TcpSegment *wire = tcp_segment_ref (seg);
  if (wire->id == 0)
    wire->id = network_next_segment_id (n);

  run_taps (n, n->send_taps, from, wire);
  /* 127.0.0.0/8 and ::1 are every host's own (RFC 1122 3.2.1.3 (g), RFC
   * 4291 2.5.3); a host's own address goes over lo too. */
  Host *to = net_addr_is_loopback (wire->dst.ip) ? from : network_host_for_ip (n, wire->dst.ip);
  Link *link = to != NULL && to != from ? find_link (n, from, to) : NULL;
  if (to == from)
    loopback_send (n, from, wire);
  else if (link == NULL)
    {
      GString *why = g_string_new ("no route to ");
      net_addr_append (why, wire->dst.ip);
      if (to != NULL)
        g_string_append_printf (why, " (no link %s->%s)", from->name, to->name);
      trace_drop (n, from, wire, why->str);
      g_string_free (why, TRUE);
    }
  else
    link_direction_send (link_direction_from (link, from), wire);
  tcp_segment_unref (wire);
}

/* net.inject; a direct injection also gets the path and arrival time a
 * link.send has ("FROM->TO", FROM the host owning the source address or
 * the address itself), so that ladders and plots draw it. */
static void
trace_inject (Network *n, Host *from, Host *to, const TcpSegment *seg, gboolean direct)
{
  SimTrace *trace = sim_engine_trace (n->engine);
  if (!sim_trace_active (trace))
    return;
  SimTime now = sim_engine_now (n->engine);
  SimTraceEvent *ev = sim_trace_begin (trace, now, "net.inject", to->name);
  tcp_segment_trace_fields (ev, seg);
  sim_trace_field_bool (ev, "direct", direct);
  if (direct)
    {
      GString *path = g_string_new (NULL);
      if (from != NULL)
        g_string_append (path, from->name);
      else
        net_addr_append (path, seg->src.ip);
      g_string_append_printf (path, "->%s", to->name);
      sim_trace_field_str (ev, "link", path->str);
      sim_trace_field_int (ev, "arrive", now);
      g_string_free (path, TRUE);
    }
  GString *s = g_string_new (NULL);
  tcp_segment_append_summary (s, seg);
  sim_trace_text (ev, "script puts on the wire: %s%s", s->str, direct ? ", straight into the host" : "");
  g_string_free (s, TRUE);
  sim_trace_publish (trace, ev);
}

gboolean
network_inject (Network *n, TcpSegment *seg, gboolean direct)
{
  Host *to = network_host_for_ip (n, seg->dst.ip);
  if (to == NULL)
    return FALSE;
  TcpSegment *wire = tcp_segment_ref (seg);
  wire->injected = TRUE;
  if (wire->id == 0)
    wire->id = network_next_segment_id (n);
  Host *from = network_host_for_ip (n, wire->src.ip);
  Link *link = !direct && from != NULL && from != to ? find_link (n, from, to) : NULL;
  trace_inject (n, from, to, wire, link == NULL);
  if (from != NULL)
    run_taps (n, n->send_taps, from, wire);
  if (link != NULL)
    link_direction_send (link_direction_from (link, from), wire);
  else
    network_deliver (n, to, wire);
  tcp_segment_unref (wire);
  return TRUE;
}
