/* tcp-stack.c: one host's TCP: the tables (TCBs, TIME-WAIT records,
 * listeners), demultiplexing of arriving segments, the "no connection"
 * reply, and the trace helpers every tcp-*.c file uses.
 *
 * Demux order (lwIP, FreeBSD): exact 4-tuple, then TIME-WAIT, then LISTEN
 * (a listener on the specific address before a wildcard one), else RFC 9293
 * 3.5.2 group 1. The state machine itself lives in tcp-input.c. */
#include "tcp-internal.h"
#include "tcp-time-wait.h"

static void
port_queue_free (gpointer p)
{
  GQueue *q = p;
  g_queue_free (q);
}

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
  stack->conns = g_hash_table_new (net_four_tuple_hash_func, net_four_tuple_equal_func);
  stack->time_waits = g_hash_table_new (net_four_tuple_hash_func, net_four_tuple_equal_func);
  stack->ports = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, port_queue_free);
  g_queue_init (&stack->listeners);
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
      GQueue *q = p->data;
      for (GList *l = q->head; l != NULL; l = l->next)
        {
          if (*(TcpEntryKind *) l->data == TCP_ENTRY_TIME_WAIT)
            tcp_time_wait_free (l->data);
          else
            {
              TcpConn *conn = l->data;
              conn->port_link = NULL;
              tcp_conn_free (conn);
            }
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
  g_hash_table_destroy (stack->conns);
  g_hash_table_destroy (stack->time_waits);
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

/* --- per-port lists (creation order, for the bind rules) --- */

GQueue *
tcp_stack_port_list (TcpStack *stack, guint16 port, gboolean create)
{
  GQueue *q = g_hash_table_lookup (stack->ports, GUINT_TO_POINTER ((guint) port));
  if (q == NULL && create)
    {
      q = g_queue_new ();
      g_hash_table_insert (stack->ports, GUINT_TO_POINTER ((guint) port), q);
    }
  return q;
}

void
tcp_stack_port_unlink (TcpStack *stack, guint16 port, GList *link)
{
  GQueue *q = tcp_stack_port_list (stack, port, FALSE);
  g_return_if_fail (q != NULL);
  g_queue_delete_link (q, link);
  if (q->length == 0)
    g_hash_table_remove (stack->ports, GUINT_TO_POINTER ((guint) port));
}

void
tcp_stack_add_conn (TcpStack *stack, TcpConn *conn)
{
  g_hash_table_insert (stack->conns, &conn->tuple, conn);
  GQueue *q = tcp_stack_port_list (stack, conn->tuple.local.port, TRUE);
  g_queue_push_tail (q, conn);
  conn->port_link = q->tail;
}

void
tcp_stack_remove_conn (TcpStack *stack, TcpConn *conn)
{
  if (g_hash_table_lookup (stack->conns, &conn->tuple) == conn)
    g_hash_table_remove (stack->conns, &conn->tuple);
  if (conn->port_link != NULL)
    tcp_stack_port_unlink (stack, conn->tuple.local.port, conn->port_link);
  conn->port_link = NULL;
}

/* --- lookups --- */

TcpConn *
tcp_stack_find_conn (TcpStack *stack, const NetFourTuple *tuple)
{
  return g_hash_table_lookup (stack->conns, tuple);
}

gboolean
tcp_stack_has_time_wait (TcpStack *stack, const NetFourTuple *tuple)
{
  return g_hash_table_lookup (stack->time_waits, tuple) != NULL;
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
  GQueue *q = tcp_stack_port_list (stack, port, FALSE);
  if (q == NULL)
    return;
  /* Copy first: the visitor may not change the tables, but be safe. */
  GPtrArray *entries = g_ptr_array_new ();
  for (GList *l = q->head; l != NULL; l = l->next)
    g_ptr_array_add (entries, l->data);
  for (guint i = 0; i < entries->len; i++)
    {
      gpointer e = g_ptr_array_index (entries, i);
      if (*(TcpEntryKind *) e == TCP_ENTRY_TIME_WAIT)
        {
          TcpTimeWait *tw = e;
          func (&tw->tuple, TCP_STATE_TIME_WAIT, tw->bind_flags, tw->conn_id, data);
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
  GQueue *q = tcp_stack_port_list (stack, local.port, FALSE);
  if (q == NULL)
    return 0;
  GPtrArray *victims = g_ptr_array_new ();
  for (GList *l = q->head; l != NULL; l = l->next)
    {
      TcpTimeWait *tw = l->data;
      if (tw->kind == TCP_ENTRY_TIME_WAIT
          && (local.ip == NET_IP4_ANY || tw->tuple.local.ip == local.ip))
        g_ptr_array_add (victims, tw);
    }
  guint n = victims->len;
  for (guint i = 0; i < n; i++)
    tcp_time_wait_close (g_ptr_array_index (victims, i),
                         "discarded on rebind (SO_REUSEADDR, textbook model)");
  g_ptr_array_free (victims, TRUE);
  return n;
}

/* Specific-address listener first, then the wildcard (Linux
 * inet_lhash2_lookup scoring, BSD in_pcblookup). */
TcpListener *
tcp_stack_find_listener (TcpStack *stack, NetEndpoint local)
{
  TcpListener *wildcard = NULL;
  for (GList *l = stack->listeners.head; l != NULL; l = l->next)
    {
      TcpListener *listener = l->data;
      if (listener->local.port != local.port)
        continue;
      if (listener->local.ip == local.ip)
        return listener;
      if (listener->local.ip == NET_IP4_ANY && wildcard == NULL)
        wildcard = listener;
    }
  return wildcard;
}

/* --- segment arrival (demux) --- */

void
tcp_stack_segment_arrives (TcpStack *stack, TcpSegment *seg)
{
  NetFourTuple tuple = { seg->dst, seg->src };
  TcpConn *conn = tcp_stack_find_conn (stack, &tuple);
  if (conn != NULL)
    {
      tcp_input_conn (conn, seg);
      return;
    }
  TcpTimeWait *tw = g_hash_table_lookup (stack->time_waits, &tuple);
  if (tw != NULL)
    {
      tcp_time_wait_segment_arrives (tw, seg);
      return;
    }
  TcpListener *listener = tcp_stack_find_listener (stack, seg->dst);
  if (listener != NULL)
    {
      tcp_input_listen (listener, seg);
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

/* --- trace helpers --- */

void
tcp_stack_send (TcpStack *stack, TcpSegment *seg, guint64 conn_id, guint32 inc, const char *why)
{
  SimTrace *trace = sim_engine_trace (stack->engine);
  if (seg->id == 0)
    seg->id = tcp_incarnations_new_segment_id (stack->incarnations);
  if (sim_trace_active (trace))
    {
      SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (stack), "tcp.send",
                                           stack->host_name);
      tcp_segment_trace_fields (ev, seg);
      sim_trace_field_int (ev, "conn", (gint64) conn_id);
      sim_trace_field_int (ev, "inc", inc);
      sim_trace_field_str (ev, "why", why);
      GString *s = g_string_new ("send ");
      tcp_segment_append_summary (s, seg);
      sim_trace_text (ev, "%s — %s", s->str, why);
      g_string_free (s, TRUE);
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
  if (!sim_trace_active (trace))
    return;
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (stack), "tcp.state",
                                       stack->host_name);
  GString *s = g_string_new (NULL);
  sim_trace_field_int (ev, "conn", (gint64) conn_id);
  sim_trace_field_int (ev, "inc", inc);
  net_endpoint_append (s, tuple->local);
  sim_trace_field_str (ev, "local", s->str);
  g_string_truncate (s, 0);
  net_endpoint_append (s, tuple->remote);
  sim_trace_field_str (ev, "remote", s->str);
  sim_trace_field_str (ev, "from", tcp_state_name (from));
  sim_trace_field_str (ev, "to", tcp_state_name (to));
  if (reason != NULL)
    sim_trace_text (ev, "%s -> %s (%s)", tcp_state_name (from), tcp_state_name (to), reason);
  else
    sim_trace_text (ev, "%s -> %s", tcp_state_name (from), tcp_state_name (to));
  g_string_free (s, TRUE);
  sim_trace_publish (trace, ev);
}

void
tcp_trace_recv (TcpStack *stack, const TcpSegment *seg, guint64 conn_id, guint32 inc,
                const char *state, const char *verdict, const char *rule)
{
  SimTrace *trace = sim_engine_trace (stack->engine);
  if (!sim_trace_active (trace))
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
  GString *s = g_string_new (NULL);
  tcp_segment_append_summary (s, seg);
  sim_trace_text (ev, "recv %s in %s: %s — %s", s->str, state, verdict, rule);
  g_string_free (s, TRUE);
  sim_trace_publish (trace, ev);
}

void
tcp_trace_timer (TcpStack *stack, guint64 conn_id, const char *timer, const char *action,
                 SimTime at, gint backoff, const char *text)
{
  SimTrace *trace = sim_engine_trace (stack->engine);
  if (!sim_trace_active (trace))
    return;
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (stack), "tcp.timer",
                                       stack->host_name);
  sim_trace_field_int (ev, "conn", (gint64) conn_id);
  sim_trace_field_str (ev, "timer", timer);
  sim_trace_field_str (ev, "action", action);
  sim_trace_field_int (ev, "at", at);
  if (backoff >= 0)
    sim_trace_field_int (ev, "backoff", backoff);
  sim_trace_text (ev, "%s", text);
  sim_trace_publish (trace, ev);
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
