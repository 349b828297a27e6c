/* tcp-conn.c: the TCB's life cycle (create, state changes, notifications,
 * teardown) and the user calls of RFC 9293 3.10.1-3.10.6 on connections and
 * listeners.
 *
 * Re-entrancy: user callbacks may call back in (close, abort, receive).
 * Every entry point brackets its work with tcp_conn_enter/leave; the
 * established/acceptable/readable/sendable notifications are collected and
 * delivered by the outermost leave, and a TCB torn down meanwhile is only
 * marked dead and freed when the last entry point leaves. */
#include "tcp-internal.h"
#include "tcp-isn.h"
#include "tcp-time-wait.h"

#include <string.h>

static TcpConn *tcp_conn_new_full (TcpStack *stack, const NetFourTuple *tuple,
                                   guint32 incarnation, const TcpSeq *iss);

TcpConn *
tcp_conn_new (TcpStack *stack, const NetFourTuple *tuple, guint32 incarnation)
{
  return tcp_conn_new_full (stack, tuple, incarnation, NULL);
}

TcpConn *
tcp_conn_new_with_iss (TcpStack *stack, const NetFourTuple *tuple, guint32 incarnation,
                       TcpSeq iss)
{
  return tcp_conn_new_full (stack, tuple, incarnation, &iss);
}

/* How many freed TCBs a stack keeps for reuse; none under AddressSanitizer,
 * which should see every TCB's life. */
#if defined(__SANITIZE_ADDRESS__)
#define TCP_CONN_SPARES 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TCP_CONN_SPARES 0
#endif
#endif
#ifndef TCP_CONN_SPARES
#define TCP_CONN_SPARES 64
#endif
static const guint tcp_conn_spares_max = TCP_CONN_SPARES;

/* A zeroed TCB with empty buffers: a spare one if the stack has one. */
static TcpConn *
tcp_conn_alloc (TcpStack *stack)
{
  TcpConn *conn = stack->conn_spare;
  if (conn == NULL)
    {
      conn = g_new0 (TcpConn, 1);
      conn->snd_buf = g_byte_array_new ();
      conn->rcv_buf = g_byte_array_new ();
      conn->rcv_spans = g_array_new (FALSE, FALSE, sizeof (TcpByteSpan));
      return conn;
    }
  stack->conn_spare = conn->port_link.next;
  stack->n_conn_spare--;
  GByteArray *snd_buf = conn->snd_buf, *rcv_buf = conn->rcv_buf;
  GArray *rcv_spans = conn->rcv_spans;
  memset (conn, 0, sizeof *conn);
  conn->snd_buf = snd_buf;
  conn->rcv_buf = rcv_buf;
  conn->rcv_spans = rcv_spans;
  return conn;
}

static TcpConn *
tcp_conn_new_full (TcpStack *stack, const NetFourTuple *tuple, guint32 incarnation,
                   const TcpSeq *iss)
{
  TcpConn *conn = tcp_conn_alloc (stack);
  conn->kind = TCP_ENTRY_CONN;
  conn->stack = stack;
  conn->tuple = *tuple;
  conn->id = tcp_incarnations_new_id (stack->incarnations);
  conn->incarnation = incarnation;
  conn->state = TCP_STATE_CLOSED;
  g_queue_init (&conn->ooo);
  /* RFC 9293 3.7.1 (MUST-15): without an MSS option assume 536 (IPv4)
   * or 1220 (IPv6: RFC 8200 5, 1280 - 60). */
  conn->peer_mss = net_addr_is_ip6 (tuple->local.ip) ? 1220 : 536;
  /* RFC 6298 (2.1): RTO <- 1 s (configurable) before any sample. */
  conn->rto = stack->config.rto_initial;
  conn->iss = iss != NULL ? *iss : tcp_isn_generate (stack, tuple);
  /* RFC 7323 5.4 leaves the TS clock's origin free. Linux offsets it by a
   * keyed hash (tcp_v4_connect(), tcp_conn_request(): tsoffset from
   * secure_tcp_seq_and_ts_off, earlier secure_tcp_ts_off), so every
   * incarnation of a four-tuple continues the same clock (tcp-isn.c). */
  if (stack->config.timestamps)
    conn->ts_offset = tcp_isn_ts_offset (stack, tuple);
  conn->snd_una = conn->iss;
  conn->snd_nxt = conn->iss;
  tcp_stack_add_conn (stack, conn);
  return conn;
}

static void
tcp_conn_release_memory (TcpConn *conn)
{
  g_byte_array_unref (conn->snd_buf);
  g_byte_array_unref (conn->rcv_buf);
  g_array_unref (conn->rcv_spans);
  g_free (conn);
}

void
tcp_conn_free (TcpConn *conn)
{
  if (conn == NULL)
    return;
  tcp_timers_stop_all (conn);
  g_queue_clear_full (&conn->ooo, (GDestroyNotify) tcp_segment_unref);
  TcpStack *stack = conn->stack;
  if (stack->n_conn_spare < tcp_conn_spares_max)
    {
      g_byte_array_set_size (conn->snd_buf, 0);
      g_byte_array_set_size (conn->rcv_buf, 0);
      g_array_set_size (conn->rcv_spans, 0);
      conn->port_link.next = stack->conn_spare;
      stack->conn_spare = conn;
      stack->n_conn_spare++;
      return;
    }
  tcp_conn_release_memory (conn);
}

void
tcp_conn_free_spares (TcpStack *stack)
{
  while (stack->conn_spare != NULL)
    {
      TcpConn *conn = stack->conn_spare;
      stack->conn_spare = conn->port_link.next;
      tcp_conn_release_memory (conn);
    }
  stack->n_conn_spare = 0;
}

void
tcp_conn_set_state (TcpConn *conn, TcpState to, const char *reason)
{
  TcpState from = conn->state;
  conn->state = to;
  tcp_trace_state (conn->stack, conn->id, conn->incarnation, &conn->tuple, from, to, reason);
  if (to == TCP_STATE_FIN_WAIT_2 && conn->orphan)
    tcp_timers_fin_wait_2_start (conn);
}

/* --- entry/leave and notifications --- */

void
tcp_conn_enter (TcpConn *conn)
{
  conn->busy++;
}

static gboolean
tcp_conn_may_call (TcpConn *conn)
{
  return !conn->dead && !conn->orphan;
}

static void
tcp_conn_deliver (TcpConn *conn)
{
  while (!conn->dead && conn->notify != 0)
    {
      if (conn->notify & TCP_NOTIFY_ESTABLISHED)
        {
          conn->notify &= ~(guint) TCP_NOTIFY_ESTABLISHED;
          if (tcp_conn_may_call (conn) && conn->callbacks.established != NULL)
            conn->callbacks.established (conn, conn->user);
        }
      else if (conn->notify & TCP_NOTIFY_ACCEPTABLE)
        {
          conn->notify &= ~(guint) TCP_NOTIFY_ACCEPTABLE;
          TcpListener *listener = conn->listener;
          if (listener != NULL && conn->in_accept_queue
              && listener->callbacks.acceptable != NULL)
            listener->callbacks.acceptable (listener, listener->user);
        }
      else if (conn->notify & TCP_NOTIFY_READABLE)
        {
          conn->notify &= ~(guint) TCP_NOTIFY_READABLE;
          if (tcp_conn_may_call (conn) && conn->callbacks.readable != NULL)
            conn->callbacks.readable (conn, conn->user);
        }
      else if (conn->notify & TCP_NOTIFY_SENDABLE)
        {
          conn->notify &= ~(guint) TCP_NOTIFY_SENDABLE;
          if (tcp_conn_may_call (conn) && conn->callbacks.sendable != NULL)
            conn->callbacks.sendable (conn, conn->user);
        }
    }
}

void
tcp_conn_leave (TcpConn *conn)
{
  g_assert (conn->busy > 0);
  if (conn->busy == 1)
    tcp_conn_deliver (conn);
  if (--conn->busy == 0 && conn->dead)
    tcp_conn_free (conn);
}

/* --- teardown --- */

static void
tcp_conn_unlink_listener (TcpConn *conn)
{
  TcpListener *listener = conn->listener;
  if (listener == NULL)
    return;
  g_queue_remove (&listener->children, conn);
  if (conn->in_accept_queue)
    g_queue_remove (&listener->accept_queue, conn);
  conn->in_accept_queue = FALSE;
  conn->listener = NULL;
}

/* Out of every table and timer; `released` is the last callback. */
static void
tcp_conn_detach (TcpConn *conn)
{
  conn->dead = TRUE;
  conn->notify = 0;
  tcp_timers_stop_all (conn);
  tcp_conn_unlink_listener (conn);
  tcp_stack_remove_conn (conn->stack, conn);
  g_queue_clear_full (&conn->ooo, (GDestroyNotify) tcp_segment_unref);
}

static void
tcp_conn_release (TcpConn *conn)
{
  tcp_conn_enter (conn);
  if (!conn->orphan && conn->callbacks.released != NULL)
    conn->callbacks.released (conn, conn->user);
  conn->orphan = TRUE; /* nothing more is said to the user */
  tcp_conn_leave (conn);
}

void
tcp_conn_destroy (TcpConn *conn, TcpError error, const char *reason)
{
  if (conn->dead)
    return;
  tcp_conn_enter (conn);
  TcpState from = conn->state;
  conn->error = error;
  tcp_conn_detach (conn);
  conn->state = TCP_STATE_CLOSED;
  tcp_trace_state (conn->stack, conn->id, conn->incarnation, &conn->tuple, from,
                   TCP_STATE_CLOSED, reason);
  /* The user's own ABORT is recorded (tcp_conn_error) but not reported
   * back through `failed`. */
  if (error != TCP_ERROR_NONE && error != TCP_ERROR_ABORTED)
    {
      tcp_trace_error (conn->stack, conn->id, error);
      if (!conn->orphan && conn->callbacks.failed != NULL)
        conn->callbacks.failed (conn, error, conn->user);
    }
  tcp_conn_release (conn);
  tcp_conn_leave (conn);
}

void
tcp_conn_release_quietly (TcpConn *conn)
{
  if (conn->dead)
    return;
  tcp_conn_enter (conn);
  tcp_conn_detach (conn);
  tcp_conn_release (conn);
  tcp_conn_leave (conn);
}

/* --- helpers shared with input/output --- */

/* RCV.WND: the free space of the receive buffer. Out-of-order data is not
 * counted against it (a simplification). The right edge never moves left:
 * RCV.NXT and the buffer grow together. */
guint32
tcp_conn_rcv_wnd (TcpConn *conn)
{
  const TcpConfig *config = &conn->stack->config;
  guint32 cap = config->rcv_buffer;
  if (config->rcv_wnd_linux)
    return tcp_conn_rcv_wnd_linux (conn);
  return conn->rcv_buf->len >= cap ? 0 : cap - conn->rcv_buf->len;
}

/* RFC 9293 3.7.1: the MSS we announce is the MTU less the fixed IP and TCP
 * headers; config.mss is IPv4's (1500 - 40), and the IPv6 header is 20
 * bytes longer (RFC 8200 3): 1440, as Linux tcp_v6 announces. */
guint16
tcp_conn_own_mss (TcpConn *conn)
{
  guint16 mss = conn->stack->config.mss;
  return net_addr_is_ip6 (conn->tuple.local.ip) && mss > 20 ? (guint16) (mss - 20) : mss;
}

/* Linux (net/ipv4/tcp_output.c). tcp_win_from_space() turns buffer bytes into
 * window bytes with tp->scaling_ratio, TCP_DEFAULT_SCALING_RATIO 128/256 until
 * full-sized segments are measured (tcp_measure_rcv_mss): half. */
static guint32
linux_win_from_space (guint32 space)
{
  return space / 2;
}

/* The shift we announced and the peer accepted (RFC 7323 2.2), or 0. */
static guint
linux_rcv_wscale (TcpConn *conn)
{
  const TcpConfig *config = &conn->stack->config;
  return config->wscale > 0 && conn->peer_wscale_ok && conn->state != TCP_STATE_SYN_SENT
           ? (guint) config->wscale : 0;
}

/* tcp_select_initial_window(), called with tcp_full_space() by
 * tcp_openreq_init_rwin() (passive: mss = advmss less the 12 timestamp bytes
 * when the SYN had them) and tcp_connect_init() (active: advmss, less them
 * only when tp->rx_opt.ts_recent_stamp came from a TIME-WAIT record taken
 * over): the space rounded down to a multiple of that mss. It is the first
 * rcv_wnd and rcv_ssthresh. */
static void
linux_init_rcv_ssthresh (TcpConn *conn)
{
  const TcpConfig *config = &conn->stack->config;
  guint32 space = linux_win_from_space (config->rcv_buffer);
  gboolean ts = conn->passive ? conn->ts_ok : conn->syn_tsecr != 0;
  guint32 mss = config->mss > 12 && ts ? config->mss - 12u : config->mss;
  if (mss > 0 && space > mss)
    space -= space % mss;
  conn->rcv_ssthresh = MAX (space, 1u);
}

guint32
tcp_conn_rcv_wnd_linux (TcpConn *conn)
{
  const TcpConfig *config = &conn->stack->config;
  if (conn->rcv_ssthresh == 0)
    linux_init_rcv_ssthresh (conn);
  /* RFC 7323 2.2: the window of a SYN is never scaled; Linux's SYN and
   * SYN,ACK carry min(rcv_wnd, 65535) (tcp_transmit_skb, tcp_make_synack). */
  if (conn->state == TCP_STATE_SYN_SENT || conn->state == TCP_STATE_SYN_RECEIVED)
    return MIN (conn->rcv_ssthresh, 65535u);
  /* __tcp_select_window(): free_space = tcp_space() (the buffer not taken
   * by queued data, as window) rounded down to the scale unit; above
   * rcv_ssthresh it is rcv_ssthresh aligned up to the unit. Queued bytes
   * stand for skb->truesize. */
  guint32 unit = 1u << linux_rcv_wscale (conn);
  guint32 queued = MIN (conn->rcv_buf->len, config->rcv_buffer);
  guint32 free_space = linux_win_from_space (config->rcv_buffer - queued);
  free_space -= free_space % unit;
  if (free_space > conn->rcv_ssthresh)
    free_space = (conn->rcv_ssthresh + unit - 1) / unit * unit;
  /* tcp_select_window(): "Never shrink the offered window"
   * (tcp_shrink_window 0): below what is left of the last window
   * (tcp_receive_window(): rcv_wup + rcv_wnd - rcv_nxt), that aligned up. */
  if (conn->rcv_wnd_announced)
    {
      gint64 cur = conn->rcv_wnd_linux;
      if (tcp_seq_gt (conn->rcv_nxt, conn->rcv_wup))
        cur -= (gint64) (guint32) (conn->rcv_nxt - conn->rcv_wup);
      if (cur > (gint64) free_space)
        free_space = (guint32) ((cur + unit - 1) / unit * unit);
    }
  return free_space;
}

guint32
tcp_conn_announce_wnd (TcpConn *conn)
{
  guint32 wnd = tcp_conn_rcv_wnd (conn);
  if (conn->stack->config.rcv_wnd_linux)
    {
      /* tcp_select_window(): tp->rcv_wnd = new_win; tp->rcv_wup = tp->rcv_nxt.
       * A SYN,ACK leaves the child the request's unclamped rcv_wnd
       * (tcp_create_openreq_child). */
      gboolean syn = conn->state == TCP_STATE_SYN_SENT || conn->state == TCP_STATE_SYN_RECEIVED;
      conn->rcv_wnd_linux = syn ? conn->rcv_ssthresh : wnd;
      conn->rcv_wup = conn->rcv_nxt;
      conn->rcv_wnd_announced = TRUE;
    }
  return wnd;
}

/* RFC 9293 3.7.1: segments carry at most min(our MSS, the peer's MSS). */
guint16
tcp_conn_eff_mss (TcpConn *conn)
{
  guint16 ours = tcp_conn_own_mss (conn);
  return MAX (1, MIN (ours, conn->peer_mss));
}

void
tcp_conn_append_received (TcpConn *conn, const guint8 *data, gsize len,
                          const TcpSegment *seg, guint64 offset)
{
  if (len == 0)
    return;
  g_byte_array_append (conn->rcv_buf, data, (guint) len);
  /* Observed on Linux 6.18 (tests/packetdrill, e.g. close/active-close-server,
   * time-wait/new-syn-no-ts): once data has arrived, the window is
   * rcv_ssthresh rounded down to the scale unit (1052 and 1049 x 256) where
   * before it was rounded up (1053, 1050), and stays so after the data is
   * read. The kernel path that lowers rcv_ssthresh was not pinned down; this
   * reproduces what the kernel sends. */
  if (conn->stack->config.rcv_wnd_linux)
    {
      if (conn->rcv_ssthresh == 0)
        (void) tcp_conn_rcv_wnd_linux (conn);
      guint32 unit = 1u << linux_rcv_wscale (conn);
      if (conn->rcv_ssthresh > unit)
        conn->rcv_ssthresh -= conn->rcv_ssthresh % unit;
    }
  if (conn->rcv_spans->len > 0)
    {
      TcpByteSpan *last = &g_array_index (conn->rcv_spans, TcpByteSpan, conn->rcv_spans->len - 1);
      if (last->conn_id == seg->conn_id && last->incarnation == seg->incarnation
          && last->stream_offset + last->length == offset)
        {
          last->length += len;
          return;
        }
    }
  TcpByteSpan span = { seg->conn_id, seg->incarnation, offset, len };
  g_array_append_val (conn->rcv_spans, span);
}

/* SYN-RECEIVED -> ESTABLISHED (or on to CLOSE-WAIT): a passive child joins
 * the accept queue (the listener's signal); an active one is established. */
void
tcp_conn_became_established (TcpConn *conn, TcpState from, const char *reason)
{
  tcp_conn_set_state (conn, TCP_STATE_ESTABLISHED, reason);
  if (conn->listener != NULL)
    {
      conn->in_accept_queue = TRUE;
      g_queue_push_tail (&conn->listener->accept_queue, conn);
      conn->notify |= TCP_NOTIFY_ACCEPTABLE;
    }
  else
    conn->notify |= TCP_NOTIFY_ESTABLISHED;
  /* RFC 9293 3.10.4: a CLOSE issued in SYN-RECEIVED was queued until now. */
  if (conn->fin_queued)
    tcp_conn_set_state (conn, TCP_STATE_FIN_WAIT_1, "queued CLOSE");
}

/* --- OPEN --- */

/* What a take-over inherits from the TIME-WAIT record (RFC 7323). */
typedef struct {
  guint32 ts_recent;
  guint32 ts_offset;
} TcpInheritedTs;

/* RFC 9293 3.10.1 OPEN (active): a new TCB for `tuple`, the next
 * incarnation, ISS drawn by the generator unless `iss` forces it, then
 * "<SEQ=ISS><CTL=SYN>, SND.UNA <- ISS, SND.NXT <- ISS+1, enter SYN-SENT". */
static TcpConn *
tcp_conn_open_active (TcpStack *stack, const NetFourTuple *tuple, const TcpSeq *iss,
                      const TcpInheritedTs *ts, const char *reason, const char *why,
                      const TcpConnCallbacks *callbacks, gpointer user)
{
  guint32 inc = tcp_incarnations_next (stack->incarnations, tuple);
  TcpConn *conn = tcp_conn_new_full (stack, tuple, inc, iss);
  if (ts != NULL)
    {
      /* TS.Recent waits for the SYN,ACK to confirm timestamps (RFC 7323
       * 3.2); it starts from the old connection's value, and our TSvals
       * continue the old clock. */
      conn->ts_recent = ts->ts_recent;
      conn->ts_offset = ts->ts_offset;
      /* Linux tcp_twsk_unique: "tp->rx_opt.ts_recent = tcptw->tw_ts_recent",
       * which tcp_syn_options() echoes as the SYN's TSecr. */
      conn->syn_tsecr = ts->ts_recent;
    }
  if (callbacks != NULL)
    conn->callbacks = *callbacks;
  conn->user = user;
  tcp_conn_enter (conn);
  tcp_conn_set_state (conn, TCP_STATE_SYN_SENT, reason);
  tcp_output_syn (conn, FALSE, why);
  tcp_conn_leave (conn);
  return conn;
}

TcpConn *
tcp_stack_connect (TcpStack *stack, const NetFourTuple *tuple,
                   const TcpConnCallbacks *callbacks, gpointer user)
{
  g_return_val_if_fail (tuple != NULL, NULL);
  g_return_val_if_fail (tcp_stack_find_conn (stack, tuple) == NULL, NULL);
  return tcp_conn_open_active (stack, tuple, NULL, NULL, "active open", "SYN (active open)",
                               callbacks, user);
}

/* Linux: an orphan in FIN-WAIT-2 lives on as a TIME-WAIT minisocket
 * (tcp_rcv_state_process / __tcp_close: "tcp_time_wait(sk, TCP_FIN_WAIT2,
 * tmo)"), so __inet_check_established finds it as a timewait sock and asks
 * tcp_twsk_unique, which takes it over exactly like a TIME-WAIT record:
 * "write_seq = tw_snd_nxt + 65535 + 2", TS.Recent inherited. The orphan
 * goes without a segment. */
static TcpConn *
tcp_conn_take_over_fin_wait_2 (TcpConn *old, const char *why,
                               const TcpConnCallbacks *callbacks, gpointer user)
{
  TcpStack *stack = old->stack;
  NetFourTuple tuple = old->tuple;
  TcpSeq iss = old->snd_nxt + 65535 + 2;
  if (iss == 0)
    iss = 1;
  gboolean ts_used = old->ts_ok;
  TcpInheritedTs ts = { old->ts_recent, old->ts_offset };
  char *reason = g_strdup_printf ("taken over as a TIME-WAIT minisocket: %s",
                                  why != NULL ? why : "connect()");
  tcp_conn_destroy (old, TCP_ERROR_NONE, reason);
  g_free (reason);
  return tcp_conn_open_active (stack, &tuple, &iss, ts_used ? &ts : NULL,
                               "active open over an orphaned FIN-WAIT-2",
                               "SYN (active open, ISS = old SND.NXT + 65537)", callbacks, user);
}

/* Linux tcp_twsk_unique (net/ipv4/tcp_ipv4.c): "tp->write_seq =
 * tcptw->tw_snd_nxt + 65535 + 2" (never 0), "tp->rx_opt.ts_recent =
 * tcptw->tw_ts_recent"; __inet_check_established then deschedules the
 * record. */
TcpConn *
tcp_stack_connect_take_over (TcpStack *stack, const NetFourTuple *tuple, const char *why,
                             const TcpConnCallbacks *callbacks, gpointer user)
{
  g_return_val_if_fail (tuple != NULL, NULL);
  TcpConn *fw2 = tcp_stack_find_fin_wait_2_minisock (stack, tuple);
  if (fw2 != NULL)
    return tcp_conn_take_over_fin_wait_2 (fw2, why, callbacks, user);
  g_return_val_if_fail (tcp_stack_find_conn (stack, tuple) == NULL, NULL);
  TcpTimeWait *tw = tcp_time_wait_lookup (stack, tuple);
  if (tw == NULL)
    return NULL;
  TcpSeq iss = tw->snd_nxt + 65535 + 2;
  if (iss == 0)
    iss = 1;
  gboolean ts_used = tw->ts_used;
  TcpInheritedTs ts = { tw->ts_recent, tw->ts_offset };
  char *reason = g_strdup_printf ("taken over: %s", why != NULL ? why : "connect()");
  tcp_time_wait_close (tw, reason);
  g_free (reason);
  return tcp_conn_open_active (stack, tuple, &iss, ts_used ? &ts : NULL,
                               "active open over a TIME-WAIT record",
                               "SYN (active open, ISS = old SND.NXT + 65537)", callbacks, user);
}

TcpListener *
tcp_stack_listen (TcpStack *stack, NetEndpoint local, guint backlog,
                  const TcpListenerCallbacks *callbacks, gpointer user)
{
  TcpListener *listener = g_new0 (TcpListener, 1);
  listener->stack = stack;
  listener->local = local;
  listener->backlog = backlog;
  listener->id = tcp_incarnations_new_id (stack->incarnations);
  if (callbacks != NULL)
    listener->callbacks = *callbacks;
  listener->user = user;
  g_queue_init (&listener->children);
  g_queue_init (&listener->accept_queue);
  g_queue_push_tail (&stack->listeners, listener);
  NetFourTuple t = { local, { NET_IP4_ANY, 0 } };
  tcp_trace_state (stack, listener->id, 0, &t, TCP_STATE_CLOSED, TCP_STATE_LISTEN,
                   "passive open");
  return listener;
}

/* --- listener calls --- */

TcpConn *
tcp_listener_accept (TcpListener *listener)
{
  TcpConn *conn = g_queue_pop_head (&listener->accept_queue);
  if (conn == NULL)
    return NULL;
  g_queue_remove (&listener->children, conn);
  conn->in_accept_queue = FALSE;
  conn->listener = NULL;
  return conn;
}

guint
tcp_listener_queue_length (TcpListener *listener)
{
  return listener->accept_queue.length;
}

NetEndpoint
tcp_listener_local (TcpListener *listener)
{
  return listener->local;
}

void
tcp_listener_set_v6only (TcpListener *listener, gboolean v6only)
{
  listener->v6only = v6only;
}

guint64
tcp_listener_id (TcpListener *listener)
{
  return listener->id;
}

/* RFC 9293 3.10.4 CLOSE in LISTEN. Linux inet_csk_listen_stop: children
 * still in SYN-RECEIVED (request socks) are dropped silently; the ones in
 * the accept queue are disconnected with RST. */
void
tcp_listener_close (TcpListener *listener)
{
  TcpStack *stack = listener->stack;
  if (listener->dead)
    {
      /* Already gone with a host crash (tcp_stack_crash). */
      g_queue_remove (&stack->dead_listeners, listener);
      g_free (listener);
      return;
    }
  while (listener->children.length > 0)
    {
      TcpConn *child = g_queue_peek_head (&listener->children);
      if (child->state == TCP_STATE_SYN_RECEIVED)
        tcp_conn_destroy (child, TCP_ERROR_NONE, "listener closed");
      else
        tcp_conn_abort (child);
      /* Either way the child left the list (tcp_conn_detach). */
    }
  g_queue_remove (&stack->listeners, listener);
  NetFourTuple t = { listener->local, { NET_IP4_ANY, 0 } };
  tcp_trace_state (stack, listener->id, 0, &t, TCP_STATE_LISTEN, TCP_STATE_CLOSED,
                   "listener closed");
  g_queue_clear (&listener->accept_queue);
  g_free (listener);
}

/* --- connection calls --- */

void
tcp_conn_set_callbacks (TcpConn *conn, const TcpConnCallbacks *callbacks, gpointer user)
{
  if (callbacks != NULL)
    conn->callbacks = *callbacks;
  else
    memset (&conn->callbacks, 0, sizeof conn->callbacks);
  conn->user = user;
}

static gboolean
tcp_conn_may_queue_data (TcpConn *conn)
{
  if (conn->dead || conn->fin_queued)
    return FALSE;
  switch (conn->state)
    {
    /* RFC 9293 3.10.2: SEND in SYN-SENT/SYN-RECEIVED queues the data. */
    case TCP_STATE_SYN_SENT:
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_CLOSE_WAIT:
      return TRUE;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      return FALSE;
    }
  return FALSE;
}

gsize
tcp_conn_send_space (TcpConn *conn)
{
  if (!tcp_conn_may_queue_data (conn))
    return 0;
  guint32 cap = conn->stack->config.snd_buffer;
  return conn->snd_buf->len >= cap ? 0 : cap - conn->snd_buf->len;
}

gsize
tcp_conn_send (TcpConn *conn, const guint8 *data, gsize length)
{
  gsize n = MIN (length, tcp_conn_send_space (conn));
  if (n == 0)
    return 0;
  g_byte_array_append (conn->snd_buf, data, (guint) n);
  tcp_conn_enter (conn);
  tcp_output_push (conn);
  tcp_conn_leave (conn);
  return n;
}

gsize
tcp_conn_unacked (TcpConn *conn)
{
  return conn->snd_buf->len;
}

gsize
tcp_conn_readable (TcpConn *conn)
{
  return conn->rcv_buf->len;
}

gboolean
tcp_conn_at_eof (TcpConn *conn)
{
  return conn->fin_received && conn->rcv_buf->len == 0;
}

/* RFC 9293 3.10.3 RECEIVE. Still allowed while `released` runs (the socket
 * layer may drain the buffer then). Reading may reopen a closed window: the
 * receiver side of SWS avoidance (RFC 9293 3.8.6.2.2) sends a window update
 * once at least one MSS or half the buffer is free again. */
gsize
tcp_conn_receive (TcpConn *conn, gsize max, GByteArray *out, GArray *spans)
{
  gsize n = MIN (max, (gsize) conn->rcv_buf->len);
  if (n == 0)
    return 0;
  if (out != NULL)
    g_byte_array_append (out, conn->rcv_buf->data, (guint) n);
  g_byte_array_remove_range (conn->rcv_buf, 0, (guint) n);
  gsize left = n;
  guint used = 0;
  while (left > 0 && used < conn->rcv_spans->len)
    {
      TcpByteSpan *sp = &g_array_index (conn->rcv_spans, TcpByteSpan, used);
      gsize take = MIN (left, sp->length);
      if (spans != NULL)
        {
          TcpByteSpan part = { sp->conn_id, sp->incarnation, sp->stream_offset, take };
          g_array_append_val (spans, part);
        }
      sp->stream_offset += take;
      sp->length -= take;
      left -= take;
      if (sp->length == 0)
        used++;
    }
  g_array_remove_range (conn->rcv_spans, 0, used);

  if (!conn->dead && tcp_state_is_synchronized (conn->state) && !conn->fin_received)
    {
      guint32 wnd = tcp_conn_rcv_wnd (conn);
      guint32 threshold = MIN ((guint32) tcp_conn_eff_mss (conn),
                               conn->stack->config.rcv_buffer / 2);
      if (conn->rcv_adv_wnd < threshold && wnd >= threshold)
        {
          tcp_conn_enter (conn);
          tcp_output_ack (conn, "window update");
          tcp_conn_leave (conn);
        }
    }
  return n;
}

/* RFC 9293 3.10.4 CLOSE. */
void
tcp_conn_close (TcpConn *conn)
{
  if (conn->dead)
    return;
  tcp_conn_enter (conn);
  switch (conn->state)
    {
    case TCP_STATE_SYN_SENT:
      /* "Delete the TCB and return 'error: closing' responses to any queued
       * SENDs, or RECEIVEs." */
      tcp_conn_destroy (conn, TCP_ERROR_NONE, "CLOSE in SYN-SENT");
      break;
    case TCP_STATE_SYN_RECEIVED:
      /* "If no SENDs have been issued and there is no pending data to send,
       * then form a FIN segment and send it ...; otherwise, queue for
       * processing after entering ESTABLISHED state." */
      conn->fin_queued = TRUE;
      if (conn->snd_buf->len == 0)
        {
          tcp_conn_set_state (conn, TCP_STATE_FIN_WAIT_1, "CLOSE in SYN-RECEIVED");
          tcp_output_push (conn);
        }
      break;
    case TCP_STATE_ESTABLISHED:
      /* "Queue this until all preceding SENDs have been segmentized, then
       * form a FIN segment and send it. In any case, enter FIN-WAIT-1." */
      conn->fin_queued = TRUE;
      tcp_conn_set_state (conn, TCP_STATE_FIN_WAIT_1, "CLOSE");
      tcp_output_push (conn);
      break;
    case TCP_STATE_CLOSE_WAIT:
      /* "Queue this request until all preceding SENDs have been
       * segmentized; then send a FIN segment, enter LAST-ACK state." */
      conn->fin_queued = TRUE;
      tcp_conn_set_state (conn, TCP_STATE_LAST_ACK, "CLOSE");
      tcp_output_push (conn);
      break;
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      /* "error: connection closing": nothing to do. */
      break;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
      break;
    }
  tcp_conn_leave (conn);
}

/* RFC 9293 3.10.5 ABORT. */
void
tcp_conn_abort (TcpConn *conn)
{
  if (conn->dead)
    return;
  tcp_conn_enter (conn);
  switch (conn->state)
    {
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
      if (conn->stack->config.abort_rst_ack)
        {
          /* Linux tcp_send_active_reset(): "tcp_init_nondata_skb(skb,
           * tcp_acceptable_seq(sk), TCPHDR_ACK | TCPHDR_RST)": R. with
           * ack = RCV.NXT (from tcp_disconnect for SO_LINGER {1,0}, and
           * __tcp_close with unread data). Both seen as flags 0x14 on
           * Linux 6.18. */
          tcp_output_rst_ack (conn, conn->snd_nxt,
                              "RST,ACK: abort (Linux tcp_send_active_reset)");
          break;
        }
      /* "Send a reset segment: <SEQ=SND.NXT><CTL=RST>". */
      tcp_output_rst (conn, conn->snd_nxt, "RST: abort (RFC 9293 3.10.5)");
      break;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      /* No RST: "respond with 'ok' and delete the TCB". */
      break;
    }
  tcp_conn_destroy (conn, TCP_ERROR_ABORTED, "ABORT");
  tcp_conn_leave (conn);
}

/* The socket let go (close()). An orphan in FIN-WAIT-2 waits indefinitely,
 * as the RFC says, unless fin_wait_2_timeout is set (Linux tcp_fin_timeout:
 * tcp-timers.c); the timer starts now, or when it reaches FIN-WAIT-2. */
void
tcp_conn_orphan (TcpConn *conn)
{
  conn->orphan = TRUE;
  /* Nobody will read what is still buffered: FreeBSD and 4.4BSD
   * tcp_disconnect() sbflush(&so->so_rcv) (where unread data did not
   * already turn the close into a RST, RFC 9293 3.6.1 SHLD-2). */
  g_byte_array_set_size (conn->rcv_buf, 0);
  g_array_set_size (conn->rcv_spans, 0);
  conn->notify = 0;
  memset (&conn->callbacks, 0, sizeof conn->callbacks);
  conn->user = NULL;
  tcp_timers_fin_wait_2_start (conn);
}

void
tcp_conn_set_bind_flags (TcpConn *conn, guint flags)
{
  conn->bind_flags = flags;
}

TcpState
tcp_conn_state (TcpConn *conn)
{
  return conn->state;
}

TcpError
tcp_conn_error (TcpConn *conn)
{
  return conn->error;
}

guint64
tcp_conn_id (TcpConn *conn)
{
  return conn->id;
}

guint32
tcp_conn_incarnation (TcpConn *conn)
{
  return conn->incarnation;
}

const NetFourTuple *
tcp_conn_tuple (TcpConn *conn)
{
  return &conn->tuple;
}
