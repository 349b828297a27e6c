/* tcp-stack.c: one host's TCP: the tables (TCBs, TIME-WAIT records,
 * listeners), demultiplexing of arriving segments, the "no connection"
 * reply, and the trace helpers every tcp-*.c file uses.
 *
 * Demux order (lwIP, FreeBSD): exact 4-tuple, then TIME-WAIT, then LISTEN
 * (a listener on the specific address before a wildcard one), else RFC 9293
 * 3.5.2 group 1. The state machine itself lives in tcp-input.c. */
#include "tcp-internal.h"
#include "tcp-isn.h"
#include "tcp-time-wait.h"

TcpStack *
tcp_stack_new (SimEngine *engine, const char *host_name, const TcpConfig *config,
               TcpIncarnations *incarnations, TcpOutputFunc output, gpointer output_data)
{
  g_return_val_if_fail (engine != NULL && config != NULL && incarnations != NULL, NULL);
  TcpStack *stack = g_new0 (TcpStack, 1);
  stack->engine = engine;
  stack->host_name = g_strdup (host_name);
  stack->config = *config;
  stack->incarnations = incarnations;
  stack->output = output;
  stack->output_data = output_data;
  stack->ports = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_queue_init (&stack->listeners);
  g_queue_init (&stack->dead_listeners);
  return stack;
}

/* Frees everything without callbacks or trace: the simulation is over. */
void
tcp_stack_free (TcpStack *stack)
{
  if (stack == NULL)
    return;
  GList *ports = g_hash_table_get_values (stack->ports);
  for (GList *p = ports; p != NULL; p = p->next)
    {
      TcpPortList *q = p->data;
      gpointer next;
      for (gpointer e = q->head; e != NULL; e = next)
        {
          next = tcp_stack_port_next (e);
          if (tcp_entry_kind (e) == TCP_ENTRY_TIME_WAIT)
            continue; /* tcp_time_wait_free_all */
          TcpConn *conn = e;
          conn->port_linked = FALSE;
          tcp_conn_free (conn);
        }
    }
  g_list_free (ports);
  for (GList *l = stack->listeners.head; l != NULL; l = l->next)
    {
      TcpListener *listener = l->data;
      g_queue_clear (&listener->children);
      g_queue_clear (&listener->accept_queue);
      g_free (listener);
    }
  g_queue_clear (&stack->listeners);
  g_queue_clear_full (&stack->dead_listeners, g_free);
  g_free (stack->conn_slots);
  tcp_conn_free_spares (stack);
  tcp_time_wait_free_all (stack);
  g_hash_table_destroy (stack->ports);
  g_free (stack->host_name);
  g_free (stack);
}

const TcpConfig *
tcp_stack_config (TcpStack *stack)
{
  return &stack->config;
}

SimTime
tcp_stack_now (TcpStack *stack)
{
  return sim_engine_now (stack->engine);
}

gboolean
tcp_stack_tracing (TcpStack *stack)
{
  return sim_trace_active (sim_engine_trace (stack->engine));
}

gboolean
tcp_stack_traces (TcpStack *stack, const char *kind)
{
  return sim_trace_wants (sim_engine_trace (stack->engine), kind);
}

/* --- per-port lists (creation order, for the bind rules) --- */

static TcpPortLink *
port_link_of (gpointer entry)
{
  if (tcp_entry_kind (entry) == TCP_ENTRY_TIME_WAIT)
    return &((TcpTimeWait *) entry)->port_link;
  return &((TcpConn *) entry)->port_link;
}

static void
port_set_linked (gpointer entry, gboolean linked)
{
  if (tcp_entry_kind (entry) == TCP_ENTRY_TIME_WAIT)
    ((TcpTimeWait *) entry)->port_linked = linked ? 1 : 0;
  else
    ((TcpConn *) entry)->port_linked = linked;
}

TcpPortList *
tcp_stack_port_list (TcpStack *stack, guint16 port)
{
  return g_hash_table_lookup (stack->ports, GUINT_TO_POINTER ((guint) port));
}

gpointer
tcp_stack_port_next (gconstpointer entry)
{
  return port_link_of ((gpointer) entry)->next;
}

void
tcp_stack_port_append (TcpStack *stack, guint16 port, gpointer entry)
{
  TcpPortList *q = tcp_stack_port_list (stack, port);
  if (q == NULL)
    {
      q = g_new0 (TcpPortList, 1);
      g_hash_table_insert (stack->ports, GUINT_TO_POINTER ((guint) port), q);
    }
  TcpPortLink *link = port_link_of (entry);
  link->prev = q->tail;
  link->next = NULL;
  if (q->tail != NULL)
    port_link_of (q->tail)->next = entry;
  else
    q->head = entry;
  q->tail = entry;
  q->length++;
  port_set_linked (entry, TRUE);
}

void
tcp_stack_port_unlink (TcpStack *stack, guint16 port, gpointer entry)
{
  TcpPortList *q = tcp_stack_port_list (stack, port);
  g_return_if_fail (q != NULL);
  TcpPortLink *link = port_link_of (entry);
  if (link->prev != NULL)
    port_link_of (link->prev)->next = link->next;
  else
    q->head = link->next;
  if (link->next != NULL)
    port_link_of (link->next)->prev = link->prev;
  else
    q->tail = link->prev;
  link->prev = link->next = NULL;
  port_set_linked (entry, FALSE);
  if (--q->length == 0)
    g_hash_table_remove (stack->ports, GUINT_TO_POINTER ((guint) port));
}

void
tcp_stack_port_replace (TcpStack *stack, guint16 port, gpointer entry, gpointer by)
{
  TcpPortList *q = tcp_stack_port_list (stack, port);
  g_return_if_fail (q != NULL);
  TcpPortLink *link = port_link_of (entry);
  *port_link_of (by) = *link;
  if (link->prev != NULL)
    port_link_of (link->prev)->next = by;
  else
    q->head = by;
  if (link->next != NULL)
    port_link_of (link->next)->prev = by;
  else
    q->tail = by;
  link->prev = link->next = NULL;
  port_set_linked (entry, FALSE);
  port_set_linked (by, TRUE);
}

/* --- the TCB table --- */

struct _TcpConnSlot {
  guint hash;
  TcpConn *conn;          /* NULL: empty */
};

/* The slot holding `tuple`, or the empty slot that ends its probe. */
static struct _TcpConnSlot *
conn_slot_find (TcpStack *stack, const NetFourTuple *tuple, guint hash)
{
  guint mask = stack->conn_slots_mask;
  for (guint i = hash & mask;; i = (i + 1) & mask)
    {
      struct _TcpConnSlot *slot = &stack->conn_slots[i];
      if (slot->conn == NULL
          || (slot->hash == hash && net_four_tuple_equal (&slot->conn->tuple, tuple)))
        return slot;
    }
}

static void
conn_table_grow (TcpStack *stack)
{
  guint size = stack->conn_slots != NULL ? stack->conn_slots_mask + 1 : 0;
  struct _TcpConnSlot *old = stack->conn_slots;
  guint new_size = size != 0 ? size * 2 : 64;
  stack->conn_slots = g_new0 (struct _TcpConnSlot, new_size);
  stack->conn_slots_mask = new_size - 1;
  for (guint i = 0; i < size; i++)
    if (old[i].conn != NULL)
      *conn_slot_find (stack, &old[i].conn->tuple, old[i].hash) = old[i];
  g_free (old);
}

/* A TCB already under the tuple is replaced (as g_hash_table_insert did). */
static void
conn_table_insert (TcpStack *stack, TcpConn *conn)
{
  guint size = stack->conn_slots != NULL ? stack->conn_slots_mask + 1 : 0;
  if ((guint64) (stack->n_conns + 1) * 4 > (guint64) size * 3)
    conn_table_grow (stack);
  guint hash = net_four_tuple_hash (&conn->tuple);
  struct _TcpConnSlot *slot = conn_slot_find (stack, &conn->tuple, hash);
  if (slot->conn == NULL)
    stack->n_conns++;
  slot->hash = hash;
  slot->conn = conn;
}

/* Backward-shift deletion of the slot at i. */
static void
conn_table_delete_at (TcpStack *stack, guint i)
{
  guint mask = stack->conn_slots_mask;
  struct _TcpConnSlot *slots = stack->conn_slots;
  for (guint j = (i + 1) & mask; slots[j].conn != NULL; j = (j + 1) & mask)
    {
      /* The entry at j may move to the hole at i unless its home slot lies
       * cyclically in (i, j]. */
      guint home = slots[j].hash & mask;
      gboolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays)
        {
          slots[i] = slots[j];
          i = j;
        }
    }
  slots[i].conn = NULL;
  stack->n_conns--;
}

void
tcp_stack_add_conn (TcpStack *stack, TcpConn *conn)
{
  conn_table_insert (stack, conn);
  tcp_stack_port_append (stack, conn->tuple.local.port, conn);
}

void
tcp_stack_remove_conn (TcpStack *stack, TcpConn *conn)
{
  if (stack->conn_slots != NULL)
    {
      struct _TcpConnSlot *slot
        = conn_slot_find (stack, &conn->tuple, net_four_tuple_hash (&conn->tuple));
      if (slot->conn == conn)
        conn_table_delete_at (stack, (guint) (slot - stack->conn_slots));
    }
  if (conn->port_linked)
    tcp_stack_port_unlink (stack, conn->tuple.local.port, conn);
}

/* --- lookups --- */

TcpConn *
tcp_stack_find_conn (TcpStack *stack, const NetFourTuple *tuple)
{
  if (stack->conn_slots == NULL)
    return NULL;
  return conn_slot_find (stack, tuple, net_four_tuple_hash (tuple))->conn;
}

gboolean
tcp_stack_has_time_wait (TcpStack *stack, const NetFourTuple *tuple)
{
  return tcp_time_wait_lookup (stack, tuple) != NULL;
}

TcpConn *
tcp_stack_find_fin_wait_2_minisock (TcpStack *stack, const NetFourTuple *tuple)
{
  TcpConn *conn = tcp_stack_find_conn (stack, tuple);
  if (conn == NULL || !stack->config.fin_wait_2_minisock || !conn->orphan
      || conn->state != TCP_STATE_FIN_WAIT_2)
    return NULL;
  return conn;
}

/* Linux tcp_time_wait(sk, TCP_FIN_WAIT2, tmo) copies tw_snd_nxt,
 * tw_ts_recent and tw_ts_recent_stamp (set only when timestamps were seen)
 * from the socket, as for a TIME-WAIT record. */
static gboolean
tcp_stack_fin_wait_2_info (TcpStack *stack, const NetFourTuple *tuple, TcpTimeWaitInfo *out)
{
  TcpConn *conn = tcp_stack_find_fin_wait_2_minisock (stack, tuple);
  if (conn == NULL)
    return FALSE;
  if (out != NULL)
    *out = (TcpTimeWaitInfo){
      .conn_id = conn->id,
      .incarnation = conn->incarnation,
      .snd_nxt = conn->snd_nxt,
      .ts_used = conn->ts_ok,
      .ts_recent = conn->ts_recent,
      .created = tcp_stack_now (stack),
      .bind_flags = conn->bind_flags,
      .fin_wait_2 = TRUE,
    };
  return TRUE;
}

gboolean
tcp_stack_time_wait_lookup (TcpStack *stack, const NetFourTuple *tuple, TcpTimeWaitInfo *out)
{
  const TcpTimeWait *tw = tcp_time_wait_lookup (stack, tuple);
  if (tw == NULL)
    return tcp_stack_fin_wait_2_info (stack, tuple, out);
  if (out != NULL)
    *out = (TcpTimeWaitInfo){
      .conn_id = tw->conn_id,
      .incarnation = tw->incarnation,
      .snd_nxt = tw->snd_nxt,
      .ts_used = tw->ts_used,
      .ts_recent = tw->ts_recent,
      /* No room in the record (104 bytes): the start of its current
       * TIME-WAIT period, deadline minus length. That is its creation
       * unless a retransmitted FIN restarted the timer. */
      .created = tw->timer.time - tcp_time_wait_duration (stack),
      .bind_flags = tw->bind_flags,
    };
  return TRUE;
}

guint
tcp_stack_time_wait_count (TcpStack *stack)
{
  return stack->n_time_waits;
}

/* Listeners are not visited: they carry no bind flags and the socket layer
 * owns the listening sockets. */
void
tcp_stack_foreach_on_port (TcpStack *stack, guint16 port, TcpPortVisitFunc func, gpointer data)
{
  TcpPortList *q = tcp_stack_port_list (stack, port);
  if (q == NULL)
    return;
  /* Copy first: the visitor may not change the tables, but be safe. */
  GPtrArray *entries = g_ptr_array_new ();
  for (gpointer e = q->head; e != NULL; e = tcp_stack_port_next (e))
    g_ptr_array_add (entries, e);
  for (guint i = 0; i < entries->len; i++)
    {
      gpointer e = g_ptr_array_index (entries, i);
      if (tcp_entry_kind (e) == TCP_ENTRY_TIME_WAIT)
        {
          TcpTimeWait *tw = e;
          NetFourTuple tuple = tcp_time_wait_tuple (tw);
          func (&tuple, TCP_STATE_TIME_WAIT, tw->bind_flags, tw->conn_id, data);
        }
      else
        {
          TcpConn *conn = e;
          func (&conn->tuple, conn->state, conn->bind_flags, conn->id, data);
        }
    }
  g_ptr_array_free (entries, TRUE);
}

/* The `textbook` rule: SO_REUSEADDR discards TIME-WAIT for `local`
 * (local.ip NET_IP4_ANY matches every address). */
guint
tcp_stack_discard_time_wait (TcpStack *stack, NetEndpoint local)
{
  TcpPortList *q = tcp_stack_port_list (stack, local.port);
  if (q == NULL)
    return 0;
  GPtrArray *victims = g_ptr_array_new ();
  for (gpointer e = q->head; e != NULL; e = tcp_stack_port_next (e))
    if (tcp_entry_kind (e) == TCP_ENTRY_TIME_WAIT
        && (net_addr_is_any (local.ip)
            || net_addr_equal (tcp_time_wait_tuple (e).local.ip, local.ip)))
      g_ptr_array_add (victims, e);
  guint n = victims->len;
  for (guint i = 0; i < n; i++)
    tcp_time_wait_close (g_ptr_array_index (victims, i),
                         "discarded on rebind (SO_REUSEADDR, textbook model)");
  g_ptr_array_free (victims, TRUE);
  return n;
}

/* How well a listener matches a local address: 3 the address itself, 2
 * the wildcard of its family, 1 a dual-stack IPv6 wildcard for an IPv4
 * address, 0 not at all. Linux __inet_lookup_listener looks up the
 * address, then INADDR_ANY, and compute_score() ranks an AF_INET socket
 * above an AF_INET6 one for IPv4 ("if (sk->sk_family == PF_INET)
 * score++"), skipping ipv6_only_sock(); inet6_lookup_listener never
 * returns an AF_INET socket for IPv6. BSD in_pcblookup, in6_pcblookup
 * likewise (RFC 3493 5.3). */
static int
listener_score (const TcpListener *listener, NetAddr local)
{
  NetAddr own = listener->local.ip;
  if (net_addr_equal (own, local))
    return 3;
  if (!net_addr_is_any (own))
    return 0;
  if (own.family == local.family)
    return 2;
  return net_addr_is_ip6 (own) && !listener->v6only ? 1 : 0;
}

/* Specific-address listener first, then the wildcard (Linux
 * inet_lhash2_lookup scoring, BSD in_pcblookup); the first of the best. */
TcpListener *
tcp_stack_find_listener (TcpStack *stack, NetEndpoint local)
{
  TcpListener *best = NULL;
  int best_score = 0;
  for (GList *l = stack->listeners.head; l != NULL; l = l->next)
    {
      TcpListener *listener = l->data;
      if (listener->local.port != local.port)
        continue;
      int score = listener_score (listener, local.ip);
      if (score > best_score)
        {
          best = listener;
          best_score = score;
        }
    }
  return best;
}

/* --- segment arrival (demux) --- */

void
tcp_stack_segment_arrives (TcpStack *stack, TcpSegment *seg)
{
  NetFourTuple tuple = { seg->dst, seg->src };
  if (stack->down)
    {
      tcp_trace_recv (stack, seg, 0, 0, "CLOSED", "dropped",
                      "host crashed and not rebooted: no TCP, dropped");
      return;
    }
  TcpConn *conn = tcp_stack_find_conn (stack, &tuple);
  if (conn != NULL)
    {
      tcp_input_conn (conn, seg);
      return;
    }
  TcpTimeWait *tw = tcp_time_wait_lookup (stack, &tuple);
  if (tw != NULL)
    {
      tcp_time_wait_segment_arrives (tw, seg);
      return;
    }
  TcpListener *listener = tcp_stack_find_listener (stack, seg->dst);
  if (listener != NULL)
    {
      tcp_input_listen (listener, seg, NULL);
      return;
    }
  /* RFC 9293 3.5.2 group 1: "If the connection does not exist (CLOSED),
   * then a reset is sent in response to any incoming segment except another
   * reset." */
  if (seg->flags & TCP_FLAG_RST)
    {
      tcp_trace_recv (stack, seg, 0, 0, "CLOSED", "dropped",
                      "RST to no connection: RFC 9293 3.5.2, dropped");
      return;
    }
  tcp_trace_recv (stack, seg, 0, 0, "CLOSED", "rst",
                  "no connection: RFC 9293 3.5.2, RST sent");
  tcp_stack_send_reset_for (stack, seg, 0, 0, "RST: no connection (RFC 9293 3.5.2)");
}

/* RFC 9293 3.5.2 group 1: ACK on: <SEQ=SEG.ACK><CTL=RST>; ACK off:
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
void
tcp_stack_send_reset_for (TcpStack *stack, const TcpSegment *seg, guint64 conn_id,
                          guint32 inc, const char *why)
{
  g_return_if_fail (!(seg->flags & TCP_FLAG_RST));
  TcpSegment *rst = tcp_segment_new ();
  rst->src = seg->dst;
  rst->dst = seg->src;
  if (seg->flags & TCP_FLAG_ACK)
    {
      rst->seq = seg->ack;
      rst->flags = TCP_FLAG_RST;
    }
  else
    {
      rst->seq = 0;
      rst->ack = seg->seq + tcp_segment_len (seg);
      rst->flags = TCP_FLAG_RST | TCP_FLAG_ACK;
    }
  rst->conn_id = conn_id;
  rst->incarnation = inc;
  tcp_stack_send (stack, rst, conn_id, inc, why);
}

/* --- RFC 7323 timestamp clock --- */

/* RFC 7323 5.4: the TS clock ticks ts_clock_hz times a second of virtual
 * time (1 ms .. 1 s per tick recommended; Linux 1 kHz). */
guint32
tcp_stack_ts_clock (TcpStack *stack, guint32 offset)
{
  guint64 hz = stack->config.ts_clock_hz != 0 ? stack->config.ts_clock_hz : 1000;
  SimTime now = tcp_stack_now (stack);
  guint64 t = now > 0 ? (guint64) now : 0;
  guint64 sec = (guint64) SIM_S;
  guint64 ticks = (t / sec) * hz + (t % sec) * hz / sec;
  return offset + (guint32) ticks;
}

/* --- host crash and reboot --- */

static gint
compare_conn_ids (gconstpointer a, gconstpointer b)
{
  const TcpConn *x = a;
  const TcpConn *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

static gint
compare_time_wait_ids (gconstpointer a, gconstpointer b)
{
  const TcpTimeWait *x = a;
  const TcpTimeWait *y = b;
  return x->conn_id < y->conn_id ? -1 : x->conn_id > y->conn_id;
}

/* The host crashed: every TCB, TIME-WAIT record and listener vanishes
 * without a segment (the peer learns nothing). Each is traced "X -> CLOSED
 * (host crashed)"; TCBs are released (no `failed`); listeners are marked
 * dead and freed by tcp_listener_close. Until tcp_stack_reboot the stack
 * neither sends nor receives. */
void
tcp_stack_crash (TcpStack *stack)
{
  g_return_if_fail (stack != NULL);
  if (stack->down)
    return;
  stack->down = TRUE;
  stack->quiet_until = 0;

  /* In creation order; each kept alive by enter/leave while the others'
   * `released` callbacks run. */
  GList *conns = NULL;
  for (guint i = 0; stack->conn_slots != NULL && i <= stack->conn_slots_mask; i++)
    if (stack->conn_slots[i].conn != NULL)
      conns = g_list_prepend (conns, stack->conn_slots[i].conn);
  conns = g_list_sort (conns, compare_conn_ids);
  for (GList *l = conns; l != NULL; l = l->next)
    tcp_conn_enter (l->data);
  for (GList *l = conns; l != NULL; l = l->next)
    tcp_conn_destroy (l->data, TCP_ERROR_NONE, "host crashed");
  for (GList *l = conns; l != NULL; l = l->next)
    tcp_conn_leave (l->data);
  g_list_free (conns);

  GList *tws = g_list_sort (tcp_time_wait_list (stack), compare_time_wait_ids);
  for (GList *l = tws; l != NULL; l = l->next)
    tcp_time_wait_close (l->data, "host crashed");
  g_list_free (tws);

  while (stack->listeners.length > 0)
    {
      TcpListener *listener = g_queue_pop_head (&stack->listeners);
      listener->dead = TRUE;
      g_queue_clear (&listener->children);
      g_queue_clear (&listener->accept_queue);
      g_queue_push_tail (&stack->dead_listeners, listener);
      NetFourTuple t = { listener->local, { NET_IP4_ANY, 0 } };
      tcp_trace_state (stack, listener->id, 0, &t, TCP_STATE_LISTEN, TCP_STATE_CLOSED,
                       "host crashed");
    }
  /* A rebooted host draws a new ISN secret (Linux draws net_secret at
   * boot); the 4 us clock is virtual time and simply continues; isn=fixed
   * starts again at N (the hazard RFC 9293 3.4.3 describes). */
  tcp_isn_forget_secret (stack);
}

/* The host is up again, with no TCP state. RFC 793 3.3 / RFC 9293 3.4.3
 * quiet time: for quiet_time (typically the MSL; 0 for none) every segment
 * is suppressed (tcp_stack_suppress). A stack that is up crashes first. */
void
tcp_stack_reboot (TcpStack *stack, SimTime quiet_time)
{
  g_return_if_fail (stack != NULL);
  if (!stack->down)
    tcp_stack_crash (stack);
  stack->down = FALSE;
  SimTime now = tcp_stack_now (stack);
  stack->quiet_until = quiet_time > 0 ? now + quiet_time : 0;
  if (quiet_time > 0 && tcp_stack_tracing (stack))
    {
      char *d = sim_time_format (quiet_time);
      char *text = g_strdup_printf ("quiet time %s after reboot: no segments are sent "
                                    "(RFC 793 3.3 / RFC 9293 3.4.3)", d);
      tcp_trace_timer (stack, 0, "quiet", "set", stack->quiet_until, -1, text);
      g_free (text);
      g_free (d);
    }
}

gboolean
tcp_stack_is_down (TcpStack *stack)
{
  return stack->down;
}

/* --- trace helpers --- */

/* A crashed host sends nothing; a rebooted one keeps quiet until
 * quiet_until. RFC 793 3.3 / RFC 9293 3.4.3: after a crash a TCP must
 * "wait an MSL before assigning any sequence numbers" (the "quiet time").
 * The segment is dropped here, after the TCB has counted it as sent: a SYN
 * or data goes out again by retransmission once the quiet time is over.
 * New connections are not refused (connect() proceeds; its SYN waits for
 * the RTO). */
static gboolean
tcp_stack_suppress (TcpStack *stack, TcpSegment *seg, guint64 conn_id, guint32 inc,
                    const char *why)
{
  SimTime now = tcp_stack_now (stack);
  if (!stack->down && now >= stack->quiet_until)
    return FALSE;
  SimTrace *trace = sim_engine_trace (stack->engine);
  if (sim_trace_active (trace))
    {
      SimTraceEvent *ev = sim_trace_begin (trace, now, "tcp.quiet", stack->host_name);
      tcp_segment_trace_fields (ev, seg);
      sim_trace_field_int (ev, "conn", (gint64) conn_id);
      sim_trace_field_int (ev, "inc", inc);
      sim_trace_field_str (ev, "why", why);
      const char *rule = stack->down ? "host crashed: nothing is sent"
                                     : "quiet time after reboot: RFC 793 3.3 / "
                                       "RFC 9293 3.4.3, segment not sent";
      sim_trace_field_str (ev, "rule", rule);
      if (!stack->down)
        sim_trace_field_int (ev, "until", stack->quiet_until);
      GString *str = g_string_new (NULL);
      tcp_segment_append_summary (str, seg);
      sim_trace_text (ev, "suppressed %s — %s", str->str, rule);
      g_string_free (str, TRUE);
      sim_trace_publish (trace, ev);
    }
  tcp_segment_unref (seg);
  return TRUE;
}

void
tcp_stack_send (TcpStack *stack, TcpSegment *seg, guint64 conn_id, guint32 inc, const char *why)
{
  if (tcp_stack_suppress (stack, seg, conn_id, inc, why))
    return;
  SimTrace *trace = sim_engine_trace (stack->engine);
  if (seg->id == 0)
    seg->id = tcp_incarnations_new_segment_id (stack->incarnations);
  if (sim_trace_wants (trace, "tcp.send"))
    {
      SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (stack), "tcp.send",
                                           stack->host_name);
      tcp_segment_trace_fields (ev, seg);
      sim_trace_field_int (ev, "conn", (gint64) conn_id);
      sim_trace_field_int (ev, "inc", inc);
      sim_trace_field_str (ev, "why", why);
      if (sim_trace_needs_text (ev))
        {
          GString *s = g_string_new ("send ");
          tcp_segment_append_summary (s, seg);
          sim_trace_text (ev, "%s — %s", s->str, why);
          g_string_free (s, TRUE);
        }
      sim_trace_publish (trace, ev);
    }
  if (stack->output != NULL)
    stack->output (seg, stack->output_data);
  tcp_segment_unref (seg);
}

void
tcp_trace_state (TcpStack *stack, guint64 conn_id, guint32 inc, const NetFourTuple *tuple,
                 TcpState from, TcpState to, const char *reason)
{
  SimTrace *trace = sim_engine_trace (stack->engine);
  if (!sim_trace_wants (trace, "tcp.state"))
    return;
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (stack), "tcp.state",
                                       stack->host_name);
  char ep[NET_ENDPOINT_TEXT_SIZE];
  sim_trace_field_int (ev, "conn", (gint64) conn_id);
  sim_trace_field_int (ev, "inc", inc);
  sim_trace_field_str (ev, "local", net_endpoint_format (ep, tuple->local));
  sim_trace_field_str (ev, "remote", net_endpoint_format (ep, tuple->remote));
  sim_trace_field_str (ev, "from", tcp_state_name (from));
  sim_trace_field_str (ev, "to", tcp_state_name (to));
  if (reason != NULL)
    sim_trace_text (ev, "%s -> %s (%s)", tcp_state_name (from), tcp_state_name (to), reason);
  else
    sim_trace_text (ev, "%s -> %s", tcp_state_name (from), tcp_state_name (to));
  sim_trace_publish (trace, ev);
}

void
tcp_trace_recv (TcpStack *stack, const TcpSegment *seg, guint64 conn_id, guint32 inc,
                const char *state, const char *verdict, const char *rule)
{
  SimTrace *trace = sim_engine_trace (stack->engine);
  if (!sim_trace_wants (trace, "tcp.recv"))
    return;
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (stack), "tcp.recv",
                                       stack->host_name);
  tcp_segment_trace_fields (ev, seg);
  sim_trace_field_int (ev, "conn", (gint64) conn_id);
  sim_trace_field_int (ev, "inc", inc);
  sim_trace_field_str (ev, "state", state);
  sim_trace_field_str (ev, "verdict", verdict);
  sim_trace_field_str (ev, "rule", rule);
  sim_trace_field_bool (ev, "stale", seg->incarnation != 0 && inc != 0 && seg->incarnation != inc);
  if (sim_trace_needs_text (ev))
    {
      GString *s = g_string_new (NULL);
      tcp_segment_append_summary (s, seg);
      sim_trace_text (ev, "recv %s in %s: %s — %s", s->str, state, verdict, rule);
      g_string_free (s, TRUE);
    }
  sim_trace_publish (trace, ev);
}

SimTraceEvent *
tcp_trace_timer_begin (TcpStack *stack, guint64 conn_id, const char *timer, const char *action,
                       SimTime at, gint backoff)
{
  SimTrace *trace = sim_engine_trace (stack->engine);
  if (!sim_trace_wants (trace, "tcp.timer"))
    return NULL;
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (stack), "tcp.timer",
                                       stack->host_name);
  sim_trace_field_int (ev, "conn", (gint64) conn_id);
  sim_trace_field_str (ev, "timer", timer);
  sim_trace_field_str (ev, "action", action);
  sim_trace_field_int (ev, "at", at);
  if (backoff >= 0)
    sim_trace_field_int (ev, "backoff", backoff);
  return ev;
}

void
tcp_trace_publish (TcpStack *stack, SimTraceEvent *ev)
{
  sim_trace_publish (sim_engine_trace (stack->engine), ev);
}

void
tcp_trace_timer (TcpStack *stack, guint64 conn_id, const char *timer, const char *action,
                 SimTime at, gint backoff, const char *text)
{
  SimTraceEvent *ev = tcp_trace_timer_begin (stack, conn_id, timer, action, at, backoff);
  if (ev == NULL)
    return;
  sim_trace_text (ev, "%s", text);
  tcp_trace_publish (stack, ev);
}

const char *
tcp_error_errno_name (TcpError error)
{
  switch (error)
    {
    case TCP_ERROR_NONE:
      return "";
    case TCP_ERROR_REFUSED:
      return "ECONNREFUSED";
    case TCP_ERROR_RESET:
      return "ECONNRESET";
    case TCP_ERROR_TIMEOUT:
      return "ETIMEDOUT";
    case TCP_ERROR_ABORTED:
      return "ECONNABORTED";
    }
  return "?";
}

void
tcp_trace_error (TcpStack *stack, guint64 conn_id, TcpError error)
{
  SimTrace *trace = sim_engine_trace (stack->engine);
  if (!sim_trace_active (trace))
    return;
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (stack), "tcp.error",
                                       stack->host_name);
  sim_trace_field_int (ev, "conn", (gint64) conn_id);
  sim_trace_field_str (ev, "error", tcp_error_errno_name (error));
  switch (error)
    {
    case TCP_ERROR_REFUSED:
      sim_trace_text (ev, "connection refused (ECONNREFUSED)");
      break;
    case TCP_ERROR_RESET:
      sim_trace_text (ev, "connection reset by peer (ECONNRESET)");
      break;
    case TCP_ERROR_TIMEOUT:
      sim_trace_text (ev, "connection timed out (ETIMEDOUT)");
      break;
    case TCP_ERROR_ABORTED:
      sim_trace_text (ev, "connection aborted (ECONNABORTED)");
      break;
    case TCP_ERROR_NONE:
      sim_trace_text (ev, "no error");
      break;
    }
  sim_trace_publish (trace, ev);
}
