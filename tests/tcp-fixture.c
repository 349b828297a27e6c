/* tcp-fixture.c: see tcp-fixture.h. */
#include "tcp-fixture.h"

#include <string.h>

/* ---- callbacks ---------------------------------------------------------- */

static void
on_established (TcpConn *conn, gpointer user)
{
  TcpFixture *f = user;
  f->established++;
}

static void
on_readable (TcpConn *conn, gpointer user)
{
  TcpFixture *f = user;
  f->readable++;
}

static void
on_sendable (TcpConn *conn, gpointer user)
{
  TcpFixture *f = user;
  f->sendable++;
}

static void
on_failed (TcpConn *conn, TcpError error, gpointer user)
{
  TcpFixture *f = user;
  f->failed++;
  f->last_error = error;
}

static void
on_released (TcpConn *conn, gpointer user)
{
  TcpFixture *f = user;
  f->released++;
  if (conn == f->conn)
    f->conn = NULL; /* the pointer must not be used any more */
}

static void
on_acceptable (TcpListener *listener, gpointer user)
{
  TcpFixture *f = user;
  f->acceptable++;
}

const TcpConnCallbacks fixture_conn_callbacks = {
  .established = on_established,
  .readable = on_readable,
  .sendable = on_sendable,
  .failed = on_failed,
  .released = on_released,
};

const TcpListenerCallbacks fixture_listener_callbacks = {
  .acceptable = on_acceptable,
};

/* ---- trace sink --------------------------------------------------------- */

static void
trace_sink (const SimTraceEvent *ev, gpointer data)
{
  TcpFixture *f = data;

  if (strcmp (ev->kind, "tcp.state") == 0)
    {
      gint64 id = sim_trace_event_int (ev, "conn", 0);
      const char *from = sim_trace_event_str (ev, "from");
      const char *to = sim_trace_event_str (ev, "to");
      if (to == NULL)
        return;
      if (!g_hash_table_contains (f->states, &id))
        f->newest_conn_id = (guint64) id;
      g_hash_table_insert (f->states, g_memdup2 (&id, sizeof id), g_strdup (to));
      g_ptr_array_add (f->transitions,
                       g_strdup_printf ("%" G_GINT64_FORMAT ":%s->%s", id,
                                        from != NULL ? from : "?", to));
    }
  else if (strcmp (ev->kind, "tcp.recv") == 0)
    {
      const char *verdict = sim_trace_event_str (ev, "verdict");
      g_ptr_array_add (f->verdicts, g_strdup (verdict != NULL ? verdict : "?"));
      const char *rule = sim_trace_event_str (ev, "rule");
      g_ptr_array_add (f->rules, g_strdup (rule != NULL ? rule : "?"));
    }
  g_ptr_array_add (f->events, g_strdup_printf ("%s: %s", ev->kind, ev->text->str));
}

/* ---- output capture ----------------------------------------------------- */

static void
capture_output (TcpSegment *seg, gpointer data)
{
  TcpFixture *f = data;
  g_queue_push_tail (&f->sent, tcp_segment_ref (seg));
}

/* ---- setup -------------------------------------------------------------- */

void
fixture_setup (TcpFixture *f, gconstpointer data)
{
  memset (f, 0, sizeof *f);
  f->engine = sim_engine_new (1);
  f->incarnations = tcp_incarnations_new ();
  g_queue_init (&f->sent);
  f->popped = g_ptr_array_new_with_free_func ((GDestroyNotify) tcp_segment_unref);
  f->states = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  f->verdicts = g_ptr_array_new_with_free_func (g_free);
  f->transitions = g_ptr_array_new_with_free_func (g_free);
  f->rules = g_ptr_array_new_with_free_func (g_free);
  f->events = g_ptr_array_new_with_free_func (g_free);
  sim_trace_add_sink (sim_engine_trace (f->engine), trace_sink, f);

  tcp_config_init_rfc9293 (&f->config);
  f->config.isn_kind = TCP_ISN_FIXED;
  f->config.isn_fixed = FIX_ISS;
  f->config.msl = FIX_MSL;
  f->config.challenge_acks = TRUE;
  f->config.time_wait_rst = TCP_TW_RST_CLOSE;
  f->config.rcv_buffer = 10000;
  f->config.snd_buffer = 65536;
  f->config.rto_initial = 1 * SIM_S;
  f->config.rto_min = 1 * SIM_S;
  f->config.rto_max = 60 * SIM_S;

  f->peer_iss = FIX_PEER_ISS;
  f->peer_window = 65535;
  f->peer_mss = 1460;
  f->peer_conn_id = FIX_PEER_CONN_ID;
  f->peer_incarnation = 1;
  f->last_error = TCP_ERROR_NONE;

  f->tuple.local.ip = FIX_A_IP;
  f->tuple.local.port = FIX_A_PORT;
  f->tuple.remote.ip = FIX_B_IP;
  f->tuple.remote.port = FIX_B_PORT;
}

void
fixture_teardown (TcpFixture *f, gconstpointer data)
{
  if (f->stack != NULL)
    tcp_stack_free (f->stack);
  f->stack = NULL;
  f->conn = NULL;
  f->listener = NULL;
  g_queue_clear_full (&f->sent, (GDestroyNotify) tcp_segment_unref);
  g_ptr_array_unref (f->popped);
  g_hash_table_unref (f->states);
  g_ptr_array_unref (f->verdicts);
  g_ptr_array_unref (f->transitions);
  g_ptr_array_unref (f->rules);
  g_ptr_array_unref (f->events);
  tcp_incarnations_free (f->incarnations);
  sim_engine_free (f->engine);
}

TcpStack *
fixture_stack (TcpFixture *f)
{
  if (f->stack == NULL)
    {
      f->iss = f->config.isn_fixed;
      f->stack = tcp_stack_new (f->engine, "A", &f->config, f->incarnations,
                                capture_output, f);
      g_assert_nonnull (f->stack);
    }
  return f->stack;
}

/* ---- time --------------------------------------------------------------- */

static void
time_marker (gpointer data)
{
}

SimTime
fixture_now (TcpFixture *f)
{
  return sim_engine_now (f->engine);
}

void
fixture_run_until (TcpFixture *f, SimTime t)
{
  g_assert_cmpint (t, >=, sim_engine_now (f->engine));
  fixture_stack (f);
  /* A marker event makes the clock land exactly on t even when no timer
   * is pending (the engine stops at the last event when idle). */
  sim_engine_schedule_at (f->engine, t, time_marker, NULL);
  sim_engine_run (f->engine, t, 0);
  g_assert_cmpint (sim_engine_now (f->engine), ==, t);
}

void
fixture_advance (TcpFixture *f, SimTime d)
{
  fixture_run_until (f, sim_engine_now (f->engine) + d);
}

/* ---- the peer ----------------------------------------------------------- */

TcpSegment *
fixture_make_segment (TcpFixture *f, guint8 flags, TcpSeq seq, TcpSeq ack,
                      const guint8 *payload, gsize length)
{
  TcpSegment *seg = tcp_segment_new ();
  seg->src = f->tuple.remote;
  seg->dst = f->tuple.local;
  seg->seq = seq;
  seg->ack = ack;
  seg->flags = flags;
  seg->window = f->peer_window;
  seg->mss = (flags & TCP_FLAG_SYN) ? f->peer_mss : 0;
  if (payload != NULL && length > 0)
    seg->payload = g_bytes_new (payload, length);
  seg->conn_id = f->peer_conn_id;
  seg->incarnation = f->peer_incarnation;
  /* First payload byte: seq (or seq + 1 after a SYN); byte 0 is ISS + 1. */
  TcpSeq first = seq + ((flags & TCP_FLAG_SYN) ? 1 : 0);
  seg->stream_offset = (guint32) (first - (f->peer_iss + 1));
  seg->id = ++f->next_seg_id;
  return seg;
}

void
fixture_deliver (TcpFixture *f, TcpSegment *seg)
{
  tcp_stack_segment_arrives (fixture_stack (f), seg);
  tcp_segment_unref (seg);
}

void
fixture_inject_bytes (TcpFixture *f, guint8 flags, TcpSeq seq, TcpSeq ack,
                      const guint8 *payload, gsize length)
{
  fixture_deliver (f, fixture_make_segment (f, flags, seq, ack, payload, length));
}

void
fixture_inject (TcpFixture *f, guint8 flags, TcpSeq seq, TcpSeq ack, const char *payload)
{
  fixture_inject_bytes (f, flags, seq, ack, (const guint8 *) payload,
                        payload != NULL ? strlen (payload) : 0);
}

void
fixture_inject_ts (TcpFixture *f, guint8 flags, TcpSeq seq, TcpSeq ack, const char *payload,
                   guint32 tsval, guint32 tsecr)
{
  TcpSegment *seg = fixture_make_segment (f, flags, seq, ack, (const guint8 *) payload,
                                          payload != NULL ? strlen (payload) : 0);
  seg->has_timestamps = TRUE;
  seg->tsval = tsval;
  seg->tsecr = tsecr;
  fixture_deliver (f, seg);
}

/* ---- expectations ------------------------------------------------------- */

static char *
describe (NetEndpoint src, NetEndpoint dst, guint8 flags, TcpSeq seq, TcpSeq ack, gsize len)
{
  GString *s = g_string_new (NULL);
  net_endpoint_append (s, src);
  g_string_append (s, " > ");
  net_endpoint_append (s, dst);
  g_string_append_c (s, ' ');
  tcp_flags_append (s, flags & ~TCP_FLAG_PSH);
  g_string_append_printf (s, " seq=%u", seq);
  if (flags & TCP_FLAG_ACK)
    g_string_append_printf (s, " ack=%u", ack);
  g_string_append_printf (s, " len=%" G_GSIZE_FORMAT, len);
  return g_string_free (s, FALSE);
}

static char *
describe_segment (const TcpSegment *seg)
{
  return describe (seg->src, seg->dst, seg->flags, seg->seq, seg->ack,
                   tcp_segment_payload_len (seg));
}

guint
fixture_sent_count (TcpFixture *f)
{
  return g_queue_get_length (&f->sent);
}

TcpSegment *
fixture_pop_at (TcpFixture *f, const char *file, int line, const char *func)
{
  TcpSegment *seg = g_queue_pop_head (&f->sent);
  if (seg == NULL)
    {
      g_assertion_message (G_LOG_DOMAIN, file, line, func,
                           "expected a segment from A, but A sent nothing");
      return NULL;
    }
  g_ptr_array_add (f->popped, seg);
  return seg;
}

TcpSegment *
fixture_expect_segment_at (TcpFixture *f, const char *file, int line, const char *func,
                           guint8 flags, TcpSeq seq, TcpSeq ack, gsize len)
{
  g_autofree char *want = describe (f->tuple.local, f->tuple.remote, flags, seq, ack, len);
  TcpSegment *seg = g_queue_pop_head (&f->sent);
  if (seg == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("expected segment [%s], but A sent nothing", want);
      g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
      return NULL;
    }
  g_ptr_array_add (f->popped, seg);
  g_autofree char *got = describe_segment (seg);
  if (strcmp (got, want) != 0)
    g_assertion_message_cmpstr (G_LOG_DOMAIN, file, line, func,
                                "segment sent by A", got, "==", want);
  return seg;
}

void
fixture_expect_nothing_at (TcpFixture *f, const char *file, int line, const char *func)
{
  TcpSegment *seg = g_queue_peek_head (&f->sent);
  if (seg == NULL)
    return;
  g_autofree char *got = describe_segment (seg);
  g_autofree char *msg = g_strdup_printf ("expected no segment, but A sent [%s]%s", got,
                                          g_queue_get_length (&f->sent) > 1 ? " and more" : "");
  g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

/* ---- states ------------------------------------------------------------- */

const char *
fixture_traced_state (TcpFixture *f, guint64 conn_id)
{
  gint64 id = (gint64) conn_id;
  return g_hash_table_lookup (f->states, &id);
}

const char *
fixture_last_rule (TcpFixture *f)
{
  if (f->rules->len == 0)
    return NULL;
  return g_ptr_array_index (f->rules, f->rules->len - 1);
}

static gboolean
event_is_kind (const char *entry, const char *kind)
{
  gsize n = strlen (kind);
  return strncmp (entry, kind, n) == 0 && entry[n] == ':';
}

guint
fixture_count_events (TcpFixture *f, const char *kind)
{
  guint n = 0;
  for (guint i = 0; i < f->events->len; i++)
    if (event_is_kind (g_ptr_array_index (f->events, i), kind))
      n++;
  return n;
}

const char *
fixture_last_event_text (TcpFixture *f, const char *kind)
{
  for (guint i = f->events->len; i > 0; i--)
    {
      const char *e = g_ptr_array_index (f->events, i - 1);
      if (event_is_kind (e, kind))
        return e + strlen (kind) + 2;
    }
  return NULL;
}

const char *
fixture_last_verdict (TcpFixture *f)
{
  if (f->verdicts->len == 0)
    return NULL;
  return g_ptr_array_index (f->verdicts, f->verdicts->len - 1);
}

static void
state_failure (const char *file, int line, const char *func, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static void
state_failure (const char *file, int line, const char *func, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

void
fixture_assert_state_at (TcpFixture *f, const char *file, int line, const char *func,
                         TcpState expected)
{
  const char *want = tcp_state_name (expected);
  const char *traced = fixture_traced_state (f, f->conn_id);
  TcpStack *stack = fixture_stack (f);

  if (g_strcmp0 (traced, want) != 0)
    {
      g_autofree char *what = g_strdup_printf ("state of conn %" G_GUINT64_FORMAT
                                               " (last tcp.state \"to\")", f->conn_id);
      g_assertion_message_cmpstr (G_LOG_DOMAIN, file, line, func, what,
                                  traced != NULL ? traced : "(never traced)", "==", want);
    }

  TcpConn *found = tcp_stack_find_conn (stack, &f->tuple);
  gboolean tw = tcp_stack_has_time_wait (stack, &f->tuple);
  if (expected == TCP_STATE_CLOSED || expected == TCP_STATE_TIME_WAIT)
    {
      if (found != NULL)
        state_failure (file, line, func,
                       "expected %s, but tcp_stack_find_conn still finds a TCB in %s",
                       want, tcp_state_name (tcp_conn_state (found)));
      if (f->conn != NULL)
        state_failure (file, line, func,
                       "expected %s, but `released` did not fire for the connection", want);
      if (tw != (expected == TCP_STATE_TIME_WAIT))
        state_failure (file, line, func, "expected %s, but tcp_stack_has_time_wait is %s",
                       want, tw ? "TRUE" : "FALSE");
    }
  else
    {
      if (f->conn != NULL && tcp_conn_state (f->conn) != expected)
        g_assertion_message_cmpstr (G_LOG_DOMAIN, file, line, func, "tcp_conn_state",
                                    tcp_state_name (tcp_conn_state (f->conn)), "==", want);
      if (tw)
        state_failure (file, line, func,
                       "expected %s, but tcp_stack_has_time_wait is TRUE", want);
    }
}

/* ---- reading ------------------------------------------------------------ */

char *
fixture_receive (TcpFixture *f, gsize max)
{
  g_assert_nonnull (f->conn);
  GByteArray *out = g_byte_array_new ();
  gsize n = tcp_conn_receive (f->conn, max, out, NULL);
  g_assert_cmpuint (n, ==, out->len);
  char *s = g_strndup ((const char *) out->data, out->len);
  g_byte_array_unref (out);
  return s;
}

/* ---- state builders ----------------------------------------------------- */

void
fixture_use_passive_tuple (TcpFixture *f, guint16 peer_port)
{
  f->tuple.local.ip = FIX_A_IP;
  f->tuple.local.port = FIX_LISTEN_PORT;
  f->tuple.remote.ip = FIX_B_IP;
  f->tuple.remote.port = peer_port;
}

/* RFC 9293 3.10.1 OPEN (active): <SEQ=ISS><CTL=SYN>, SYN-SENT. */
void
fixture_syn_sent (TcpFixture *f)
{
  TcpStack *stack = fixture_stack (f);
  f->conn = tcp_stack_connect (stack, &f->tuple, &fixture_conn_callbacks, f);
  g_assert_nonnull (f->conn);
  f->conn_id = tcp_conn_id (f->conn);
  fixture_expect_segment (f, SYN, f->iss, 0, 0);
  fixture_assert_state (f, TCP_STATE_SYN_SENT);
}

/* SYN-SENT + <SEQ=PEER_ISS><ACK=ISS+1><CTL=SYN,ACK> -> ESTABLISHED, ACK. */
void
fixture_established (TcpFixture *f)
{
  fixture_syn_sent (f);
  fixture_inject (f, SYN | ACK, f->peer_iss, f->iss + 1, NULL);
  fixture_expect_segment (f, ACK, f->iss + 1, f->peer_iss + 1, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
  g_assert_cmpuint (f->established, ==, 1);
}

void
fixture_listen (TcpFixture *f, guint backlog)
{
  NetEndpoint local = { FIX_A_IP, FIX_LISTEN_PORT };
  f->listener = tcp_stack_listen (fixture_stack (f), local, backlog,
                                  &fixture_listener_callbacks, f);
  g_assert_nonnull (f->listener);
  fixture_use_passive_tuple (f, FIX_B_CLIENT_PORT);
}

/* LISTEN + SYN -> child in SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. */
void
fixture_syn_received_passive (TcpFixture *f)
{
  if (f->listener == NULL)
    fixture_listen (f, 8);
  guint64 before = f->newest_conn_id;
  fixture_inject (f, SYN, f->peer_iss, 0, NULL);
  fixture_expect_segment (f, SYN | ACK, f->iss, f->peer_iss + 1, 0);
  g_assert_cmpuint (f->newest_conn_id, !=, before); /* the child was traced */
  f->conn_id = f->newest_conn_id;
  fixture_assert_state (f, TCP_STATE_SYN_RECEIVED);
}

/* SYN-RECEIVED + ACK of the SYN -> ESTABLISHED, then accept(). */
void
fixture_established_passive (TcpFixture *f)
{
  fixture_syn_received_passive (f);
  fixture_inject (f, ACK, f->peer_iss + 1, f->iss + 1, NULL);
  fixture_expect_nothing (f);
  f->conn = tcp_listener_accept (f->listener);
  g_assert_nonnull (f->conn);
  tcp_conn_set_callbacks (f->conn, &fixture_conn_callbacks, f);
  g_assert_cmpuint (tcp_conn_id (f->conn), ==, f->conn_id);
  fixture_assert_state (f, TCP_STATE_ESTABLISHED);
}

static void
ensure_established (TcpFixture *f)
{
  if (f->conn == NULL)
    fixture_established (f);
}

/* ESTABLISHED + CLOSE -> FIN-WAIT-1, <SEQ=ISS+1><ACK=RCV.NXT><CTL=FIN,ACK>. */
void
fixture_fin_wait_1 (TcpFixture *f)
{
  ensure_established (f);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, f->iss + 1, f->peer_iss + 1, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_1);
}

/* FIN-WAIT-1 + ACK of our FIN -> FIN-WAIT-2. */
void
fixture_fin_wait_2 (TcpFixture *f)
{
  fixture_fin_wait_1 (f);
  fixture_inject (f, ACK, f->peer_iss + 1, f->iss + 2, NULL);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_FIN_WAIT_2);
}

/* FIN-WAIT-1 + FIN not acknowledging ours -> CLOSING, ACK it. */
void
fixture_closing (TcpFixture *f)
{
  fixture_fin_wait_1 (f);
  fixture_inject (f, FIN | ACK, f->peer_iss + 1, f->iss + 1, NULL);
  fixture_expect_segment (f, ACK, f->iss + 2, f->peer_iss + 2, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSING);
}

/* FIN-WAIT-2 + FIN -> TIME-WAIT, ACK it. */
void
fixture_time_wait (TcpFixture *f)
{
  fixture_fin_wait_2 (f);
  fixture_inject (f, FIN | ACK, f->peer_iss + 1, f->iss + 2, NULL);
  fixture_expect_segment (f, ACK, f->iss + 2, f->peer_iss + 2, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_TIME_WAIT);
}

/* ESTABLISHED + FIN -> CLOSE-WAIT, ACK it. */
void
fixture_close_wait (TcpFixture *f)
{
  ensure_established (f);
  fixture_inject (f, FIN | ACK, f->peer_iss + 1, f->iss + 1, NULL);
  fixture_expect_segment (f, ACK, f->iss + 1, f->peer_iss + 2, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_CLOSE_WAIT);
}

/* CLOSE-WAIT + CLOSE -> LAST-ACK, FIN sent. */
void
fixture_last_ack (TcpFixture *f)
{
  fixture_close_wait (f);
  tcp_conn_close (f->conn);
  fixture_expect_segment (f, FIN | ACK, f->iss + 1, f->peer_iss + 2, 0);
  fixture_expect_nothing (f);
  fixture_assert_state (f, TCP_STATE_LAST_ACK);
}
