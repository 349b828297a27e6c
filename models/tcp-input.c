/* tcp-input.c: SEGMENT ARRIVES, RFC 9293 3.10.7, in the RFC's order: the
 * per-state entries for LISTEN (3.10.7.2) and SYN-SENT (3.10.7.3), then for
 * SYN-RECEIVED and the synchronized states (3.10.7.4): first the sequence
 * number, second RST, (third security: not modelled), fourth SYN, fifth
 * ACK, (sixth URG: ignored), seventh segment text, eighth FIN.
 *
 * Each arrival publishes one "tcp.recv" event, at the point where its fate
 * is decided and before the actions it causes.
 *
 * Simplification (documented): no delayed ACKs; every segment that carries
 * data or a FIN is acknowledged at once (or by the data we send back). */
#include "tcp-internal.h"
#include "tcp-time-wait.h"

#include <stdarg.h>
#include <string.h>

/* Publishes the "tcp.recv" verdict for a TCB. */
static void tcp_input_verdict (TcpConn *conn, const TcpSegment *seg, const char *verdict,
                               const char *format, ...) G_GNUC_PRINTF (4, 5);

static void
tcp_input_verdict (TcpConn *conn, const TcpSegment *seg, const char *verdict,
                   const char *format, ...)
{
  if (!tcp_stack_traces (conn->stack, "tcp.recv"))
    return;
  if (strchr (format, '%') == NULL) /* most rules: no arguments */
    {
      tcp_trace_recv (conn->stack, seg, conn->id, conn->incarnation,
                      tcp_state_name (conn->state), verdict, format);
      return;
    }
  /* Into a stack buffer: every traced arrival has a rule. */
  char buf[512];
  va_list args;
  va_start (args, format);
  int n = g_vsnprintf (buf, sizeof buf, format, args);
  va_end (args);
  char *rule = NULL;
  if (n < 0 || (gsize) n >= sizeof buf)
    {
      va_start (args, format);
      rule = g_strdup_vprintf (format, args);
      va_end (args);
    }
  tcp_trace_recv (conn->stack, seg, conn->id, conn->incarnation,
                  tcp_state_name (conn->state), verdict, rule != NULL ? rule : buf);
  g_free (rule);
}

static TcpSeq
tcp_input_data_start (const TcpSegment *seg)
{
  return seg->seq + ((seg->flags & TCP_FLAG_SYN) ? 1 : 0);
}

static gboolean
tcp_input_fin_acked (TcpConn *conn)
{
  return conn->fin_sent && tcp_seq_gt (conn->snd_una, conn->fin_seq);
}

/* Provenance (not TCP): the segment was sent by another incarnation of the
 * 4-tuple than the one receiving it. */
static gboolean
tcp_input_is_stale (const TcpConn *conn, const TcpSegment *seg)
{
  return seg->incarnation != 0 && conn->incarnation != 0
         && seg->incarnation != conn->incarnation;
}

/* "tcp.killed-by-stale": a segment of another incarnation is about to
 * reset or kill this connection in SYN-SENT, SYN-RECEIVED or ESTABLISHED
 * (RFC 1337 hazard H3, "the new connection may die"). Called before the
 * teardown, with the rule that does it. */
static void
tcp_input_note_killed (TcpConn *conn, const TcpSegment *seg, const char *rule)
{
  switch (conn->state)
    {
    case TCP_STATE_SYN_SENT:
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_ESTABLISHED:
      break;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      return;
    }
  if (!tcp_input_is_stale (conn, seg) || !tcp_stack_tracing (conn->stack))
    return;
  SimTrace *trace = sim_engine_trace (conn->stack->engine);
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (conn->stack), "tcp.killed-by-stale",
                                       conn->stack->host_name);
  sim_trace_field_int (ev, "conn", (gint64) conn->id);
  sim_trace_field_int (ev, "inc", conn->incarnation);
  sim_trace_field_int (ev, "seg_inc", seg->incarnation);
  sim_trace_field_int (ev, "seg", (gint64) seg->id);
  sim_trace_field_str (ev, "state", tcp_state_name (conn->state));
  sim_trace_field_str (ev, "rule", rule);
  GString *flags = g_string_new (NULL);
  tcp_flags_append (flags, seg->flags);
  sim_trace_text (ev, "incarnation #%u in %s killed by %s seq=%u of incarnation #%u (%s)",
                  conn->incarnation, tcp_state_name (conn->state), flags->str, seg->seq,
                  seg->incarnation, rule);
  g_string_free (flags, TRUE);
  sim_trace_publish (trace, ev);
}

/* "tcp.stale-data": `len` bytes of another incarnation were just accepted
 * into the receive buffer at `seq` (RFC 1337 hazard H1). */
static void
tcp_input_note_stale_data (TcpConn *conn, const TcpSegment *seg, TcpSeq seq, guint32 len,
                           guint64 offset, TcpSeq wnd_lo, TcpSeq wnd_hi)
{
  if (!tcp_input_is_stale (conn, seg) || !tcp_stack_tracing (conn->stack))
    return;
  SimTrace *trace = sim_engine_trace (conn->stack->engine);
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (conn->stack), "tcp.stale-data",
                                       conn->stack->host_name);
  char *rule = g_strdup_printf ("in window [%u, %u): RFC 9293 3.10.7.4", wnd_lo, wnd_hi);
  sim_trace_field_int (ev, "conn", (gint64) conn->id);
  sim_trace_field_int (ev, "inc", conn->incarnation);
  sim_trace_field_int (ev, "seg_inc", seg->incarnation);
  sim_trace_field_int (ev, "seg", (gint64) seg->id);
  sim_trace_field_int (ev, "seq", seq);
  sim_trace_field_int (ev, "len", len);
  sim_trace_field_int (ev, "offset", (gint64) offset);
  sim_trace_field_str (ev, "rule", rule);
  sim_trace_text (ev, "accepted %u bytes of incarnation #%u into incarnation #%u (%s)",
                  len, seg->incarnation, conn->incarnation, rule);
  g_free (rule);
  sim_trace_publish (trace, ev);
}

/* "tcp.data-lost": bytes this incarnation really sent are discarded as
 * old duplicates because bytes of another incarnation filled the same
 * sequence numbers first (RFC 1337 hazard H1 seen from the victim): the
 * ACK that follows covers them, so their sender believes them delivered. */
static void
tcp_input_note_data_lost (TcpConn *conn, const TcpSegment *seg, TcpSeq lo, TcpSeq hi)
{
  if (!conn->has_stale || tcp_input_is_stale (conn, seg) || seg->incarnation == 0)
    return;
  TcpSeq a = tcp_seq_gt (lo, conn->stale_lo) ? lo : conn->stale_lo;
  TcpSeq b = tcp_seq_lt (hi, conn->stale_hi) ? hi : conn->stale_hi;
  if (!tcp_seq_lt (a, b) || !tcp_stack_tracing (conn->stack))
    return;
  SimTrace *trace = sim_engine_trace (conn->stack->engine);
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (conn->stack), "tcp.data-lost",
                                       conn->stack->host_name);
  sim_trace_field_int (ev, "conn", (gint64) conn->id);
  sim_trace_field_int (ev, "inc", conn->incarnation);
  sim_trace_field_int (ev, "seg", (gint64) seg->id);
  sim_trace_field_int (ev, "stale_inc", conn->stale_inc);
  sim_trace_field_int (ev, "seq", a);
  sim_trace_field_int (ev, "len", b - a);
  sim_trace_text (ev, "new data discarded: these %u bytes of incarnation #%u are dropped as a "
                  "duplicate, since incarnation #%u's old copy took their sequence numbers "
                  "first; the ACK covers them, so its sender believes it delivered",
                  b - a, conn->incarnation, conn->stale_inc);
  sim_trace_publish (trace, ev);
}

/* "tcp.ack-unsent": the segment acknowledges data we never sent and we
 * answer with an ACK (RFC 1337 hazard H2: two such ends loop). */
static void
tcp_input_note_ack_unsent (TcpConn *conn, const TcpSegment *seg)
{
  if (!tcp_stack_tracing (conn->stack))
    return;
  SimTrace *trace = sim_engine_trace (conn->stack->engine);
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (conn->stack), "tcp.ack-unsent",
                                       conn->stack->host_name);
  sim_trace_field_int (ev, "conn", (gint64) conn->id);
  sim_trace_field_int (ev, "inc", conn->incarnation);
  sim_trace_field_int (ev, "seg_inc", seg->incarnation);
  sim_trace_field_int (ev, "seg", (gint64) seg->id);
  sim_trace_field_int (ev, "ack", seg->ack);
  sim_trace_field_int (ev, "snd_nxt", conn->snd_nxt);
  sim_trace_text (ev, "ACK %u acknowledges data not yet sent (SND.NXT %u), segment of "
                  "incarnation #%u: ACK sent (RFC 9293 3.10.7.4 fifth)",
                  seg->ack, conn->snd_nxt, seg->incarnation);
  sim_trace_publish (trace, ev);
}

/* ------------------------------------------------------------------ */
/* LISTEN (RFC 9293 3.10.7.2)                                          */

void
tcp_input_listen (TcpListener *listener, TcpSegment *seg, const TcpSeq *iss)
{
  TcpStack *stack = listener->stack;
  /* "First, check for a RST: An incoming RST segment could not be valid
   * since it could not have been sent in response to anything sent by this
   * incarnation of the connection. An incoming RST should be ignored." */
  if (seg->flags & TCP_FLAG_RST)
    {
      tcp_trace_recv (stack, seg, listener->id, 0, "LISTEN", "dropped",
                      "RST in LISTEN: RFC 9293 3.10.7.2, ignored");
      return;
    }
  /* "Second, check for an ACK: Any acknowledgment is bad if it arrives on a
   * connection still in the LISTEN state. An acceptable reset segment should
   * be formed for any arriving ACK-bearing segment: <SEQ=SEG.ACK><CTL=RST>" */
  if (seg->flags & TCP_FLAG_ACK)
    {
      tcp_trace_recv (stack, seg, listener->id, 0, "LISTEN", "rst",
                      "ACK in LISTEN: RFC 9293 3.10.7.2, RST sent");
      tcp_stack_send_reset_for (stack, seg, listener->id, 0,
                                "RST: ACK to a listener (RFC 9293 3.10.7.2)");
      return;
    }
  if (!(seg->flags & TCP_FLAG_SYN))
    {
      tcp_trace_recv (stack, seg, listener->id, 0, "LISTEN", "dropped",
                      "no SYN in LISTEN: RFC 9293 3.10.7.2 fourth, dropped");
      return;
    }
  /* Linux tcp_conn_request: "if (sk_acceptq_is_full(sk)) ... goto drop":
   * a full accept queue drops the SYN silently. The SYN queue (children in
   * SYN-RECEIVED) is not limited here: Linux bounds it separately
   * (somaxconn, tcp_max_syn_backlog) and by default answers with SYN
   * cookies when it is full. */
  if (tcp_listener_accept_queue_full (listener))
    {
      if (tcp_stack_tracing (stack))
        {
          char *rule = g_strdup_printf ("accept queue full (%u > backlog %u): Linux "
                                        "tcp_conn_request, SYN dropped",
                                        listener->accept_queue.length, listener->backlog);
          tcp_trace_recv (stack, seg, listener->id, 0, "LISTEN", "dropped", rule);
          g_free (rule);
        }
      return;
    }
  if (iss == NULL)
    tcp_trace_recv (stack, seg, listener->id, 0, "LISTEN", "new",
                    "SYN in LISTEN: RFC 9293 3.10.7.2 third, new connection");
  else if (tcp_stack_tracing (stack))
    {
      char *rule = g_strdup_printf ("SYN that reopened TIME-WAIT: RFC 9293 3.10.7.2 third, "
                                    "new connection with ISS %u", *iss);
      tcp_trace_recv (stack, seg, listener->id, 0, "LISTEN", "new", rule);
      g_free (rule);
    }

  /* The child adopts the SYN's provenance: the incarnation that sent it. */
  NetFourTuple tuple = { seg->dst, seg->src };
  guint32 inc = seg->incarnation != 0 ? seg->incarnation
                                      : tcp_incarnations_next (stack->incarnations, &tuple);
  TcpConn *child = iss != NULL ? tcp_conn_new_with_iss (stack, &tuple, inc, *iss)
                                : tcp_conn_new (stack, &tuple, inc);
  child->passive = TRUE;
  child->listener = listener;
  g_queue_push_tail (&listener->children, child);
  tcp_conn_enter (child);
  /* "Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ ... ISS should be
   * selected and a SYN segment sent of the form
   * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. SND.NXT is set to ISS+1 and
   * SND.UNA to ISS." Text in the SYN is not queued (simplification: the
   * SYN,ACK acknowledges only the SYN, so the peer sends it again). */
  child->irs = seg->seq;
  child->rcv_nxt = seg->seq + 1;
  if (seg->mss != 0)
    child->peer_mss = seg->mss;
  child->peer_sack_ok = seg->sack_ok;
  child->peer_wscale_ok = seg->has_wscale;
  child->snd_wnd = seg->window;
  child->max_snd_wnd = seg->window;
  child->snd_wl1 = seg->seq;
  child->snd_wl2 = child->iss;
  /* RFC 7323 3.2: a SYN,ACK may carry TSopt only if the SYN did; then the
   * option is on for the connection, TS.Recent <- SEG.TSval (4.3). */
  if (stack->config.timestamps && seg->has_timestamps)
    {
      child->ts_ok = TRUE;
      child->ts_recent = seg->tsval;
    }
  child->last_ack_sent = child->rcv_nxt;
  child->state = TCP_STATE_SYN_RECEIVED;
  tcp_trace_state (stack, child->id, child->incarnation, &child->tuple, TCP_STATE_LISTEN,
                   TCP_STATE_SYN_RECEIVED, "SYN received");
  tcp_output_syn (child, FALSE, "SYN,ACK (passive open)");
  tcp_conn_leave (child);
}

/* ------------------------------------------------------------------ */
/* Text and FIN (seventh and eighth), shared with the out-of-order queue */

static void tcp_input_fin (TcpConn *conn, const char *how);

static gboolean
tcp_input_state_takes_text (TcpState state)
{
  switch (state)
    {
    /* RFC 9293 3.10.7.4 seventh: "ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2:
     * Once in the ESTABLISHED state, it is possible to deliver segment
     * data to user RECEIVE buffers." */
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
      return TRUE;
    /* "CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: This should not occur
     * since a FIN has been received from the remote side. Ignore the
     * segment text." */
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
    case TCP_STATE_SYN_RECEIVED:
      return FALSE;
    }
  return FALSE;
}

/* Delivers the part of `seg` at and after RCV.NXT, trimmed to RCV.WND, then
 * its FIN if everything before the FIN is now in. */
static void
tcp_input_take (TcpConn *conn, const TcpSegment *seg)
{
  TcpSeq start = tcp_input_data_start (seg);
  gsize plen = tcp_segment_payload_len (seg);
  guint32 skip = conn->rcv_nxt - start;
  if (skip > 0 && plen > 0)
    tcp_input_note_data_lost (conn, seg, start, start + (guint32) MIN ((gsize) skip, plen));
  if (skip < plen)
    {
      guint32 take = MIN ((guint32) plen - skip, tcp_conn_rcv_wnd (conn));
      if (take > 0)
        {
          const guint8 *data = g_bytes_get_data (seg->payload, NULL);
          tcp_input_note_stale_data (conn, seg, conn->rcv_nxt, take, seg->stream_offset + skip,
                                     conn->rcv_nxt, conn->rcv_nxt + tcp_conn_rcv_wnd (conn));
          if (tcp_input_is_stale (conn, seg))
            {
              if (!conn->has_stale)
                conn->stale_lo = conn->rcv_nxt;
              conn->has_stale = TRUE;
              conn->stale_inc = seg->incarnation;
              conn->stale_hi = conn->rcv_nxt + take;
            }
          tcp_conn_append_received (conn, data + skip, take, seg, seg->stream_offset + skip);
          conn->rcv_nxt += take;
          conn->notify |= TCP_NOTIFY_READABLE;
        }
    }
  /* RFC 9293 3.10.7.4 eighth: the FIN counts once all text before it is
   * in (it may have been trimmed away with the window). */
  if ((seg->flags & TCP_FLAG_FIN) && !conn->fin_received
      && start + (guint32) plen == conn->rcv_nxt)
    tcp_input_fin (conn, "FIN received");
}

/* SHLD-31: segments beyond RCV.NXT are held, in SEG.SEQ order. */
static void
tcp_input_hold (TcpConn *conn, TcpSegment *seg)
{
  TcpSeq start = tcp_input_data_start (seg);
  GList *l = conn->ooo.head;
  while (l != NULL && tcp_seq_leq (tcp_input_data_start (l->data), start))
    {
      TcpSegment *held = l->data;
      if (tcp_input_data_start (held) == start
          && tcp_segment_len (held) >= tcp_segment_len (seg))
        return; /* the same bytes are already held */
      l = l->next;
    }
  tcp_segment_ref (seg);
  if (l == NULL)
    g_queue_push_tail (&conn->ooo, seg);
  else
    g_queue_insert_before (&conn->ooo, l, seg);
}

/* Held segments that RCV.NXT has now reached are processed in order. */
static void
tcp_input_merge_held (TcpConn *conn)
{
  while (!conn->dead && conn->ooo.length > 0)
    {
      TcpSegment *held = g_queue_peek_head (&conn->ooo);
      if (tcp_seq_gt (tcp_input_data_start (held), conn->rcv_nxt))
        break;
      g_queue_pop_head (&conn->ooo);
      if (!conn->fin_received && tcp_input_state_takes_text (conn->state))
        tcp_input_take (conn, held);
      tcp_segment_unref (held);
    }
}

static void
tcp_input_text (TcpConn *conn, TcpSegment *seg)
{
  gsize plen = tcp_segment_payload_len (seg);
  if (plen == 0 && !(seg->flags & TCP_FLAG_FIN))
    return;
  if (!tcp_input_state_takes_text (conn->state) || conn->fin_received)
    return;
  /* "Send an acknowledgment of the form <SEQ=SND.NXT><ACK=RCV.NXT>
   * <CTL=ACK>" (piggybacked on outgoing data if any). */
  conn->ack_pending = TRUE;
  if (tcp_seq_gt (tcp_input_data_start (seg), conn->rcv_nxt))
    {
      tcp_input_hold (conn, seg);
      return;
    }
  tcp_input_take (conn, seg);
  tcp_input_merge_held (conn);
}

/* Our ACK of the peer's FIN goes out, then the TCB becomes a TIME-WAIT
 * record (RFC 9293 3.10.7.4 eighth: "start the time-wait timer, turn off
 * the other timers"). */
static void
tcp_input_enter_time_wait (TcpConn *conn, const char *reason)
{
  TcpState from = conn->state;
  if (conn->ack_pending)
    tcp_output_ack (conn, "ACK of FIN");
  tcp_time_wait_enter (conn, from, reason);
}

/* RFC 9293 3.10.7.4 eighth, check the FIN bit. */
static void
tcp_input_fin (TcpConn *conn, const char *how)
{
  /* "advance RCV.NXT over the FIN ... signal the user 'connection
   * closing'" */
  conn->rcv_nxt++;
  conn->fin_received = TRUE;
  conn->ack_pending = TRUE;
  conn->notify |= TCP_NOTIFY_READABLE;
  g_queue_clear_full (&conn->ooo, (GDestroyNotify) tcp_segment_unref);
  switch (conn->state)
    {
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_ESTABLISHED:
      /* "Enter the CLOSE-WAIT state." */
      tcp_conn_set_state (conn, TCP_STATE_CLOSE_WAIT, how);
      break;
    case TCP_STATE_FIN_WAIT_1:
      /* "If our FIN has been ACKed (perhaps in this segment), then enter
       * TIME-WAIT ...; otherwise, enter the CLOSING state." (note 2) */
      if (tcp_input_fin_acked (conn))
        tcp_input_enter_time_wait (conn, "FIN received, our FIN acknowledged");
      else
        tcp_conn_set_state (conn, TCP_STATE_CLOSING, "simultaneous close: FIN received");
      break;
    case TCP_STATE_FIN_WAIT_2:
      /* "Enter the TIME-WAIT state. Start the time-wait timer, turn off
       * the other timers." */
      tcp_input_enter_time_wait (conn, how);
      break;
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
      /* "Remain in the ... state." */
      break;
    }
}

/* ------------------------------------------------------------------ */
/* SYN-SENT (RFC 9293 3.10.7.3)                                        */

/* Linux tcp_rcv_synsent_state_process(): on an unacceptable ACK, "Previous
 * FIN/ACK or RST/ACK might be ignored. if (icsk->icsk_retransmits == 0)
 * inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, TCP_TIMEOUT_MIN,
 * TCP_RTO_MAX)", then reset_and_undo. The SYN goes again 2 jiffies later,
 * so a connect() whose SYN met a TIME-WAIT record's ACK completes in
 * milliseconds instead of after the initial RTO. */
static void
tcp_input_syn_sent_rearm (TcpConn *conn)
{
  const TcpConfig *config = &conn->stack->config;
  if (!config->syn_sent_rearm || conn->retries != 0)
    return;
  tcp_timers_rexmit_rearm (conn, tcp_timers_timeout_min (config),
                           "TCP_TIMEOUT_MIN, Linux tcp_rcv_synsent_state_process");
}

static void
tcp_input_syn_sent (TcpConn *conn, TcpSegment *seg)
{
  gboolean ack_ok = FALSE;
  /* "First, check the ACK bit: If SEG.ACK =< ISS or SEG.ACK > SND.NXT,
   * send a reset (unless the RST bit is set, if so drop the segment and
   * return) <SEQ=SEG.ACK><CTL=RST>" */
  if (seg->flags & TCP_FLAG_ACK)
    {
      if (tcp_seq_leq (seg->ack, conn->iss) || tcp_seq_gt (seg->ack, conn->snd_nxt))
        {
          if (seg->flags & TCP_FLAG_RST)
            {
              tcp_input_verdict (conn, seg, "dropped",
                                 "RST with ACK %u outside (ISS %u, SND.NXT %u]: RFC 9293 3.10.7.3, dropped",
                                 seg->ack, conn->iss, conn->snd_nxt);
              tcp_input_syn_sent_rearm (conn);
              return;
            }
          tcp_input_verdict (conn, seg, "rst",
                             "ACK %u outside (ISS %u, SND.NXT %u]: RFC 9293 3.10.7.3, RST sent",
                             seg->ack, conn->iss, conn->snd_nxt);
          tcp_output_rst (conn, seg->ack, "RST: unacceptable ACK in SYN-SENT (RFC 9293 3.10.7.3)");
          tcp_input_syn_sent_rearm (conn);
          return;
        }
      ack_ok = TRUE;
    }
  /* "Second, check the RST bit: If the ACK was acceptable, then signal to
   * the user 'error: connection reset', drop the segment, enter CLOSED
   * state, delete TCB, and return. Otherwise (no ACK), drop the segment." */
  if (seg->flags & TCP_FLAG_RST)
    {
      if (!ack_ok)
        {
          tcp_input_verdict (conn, seg, "dropped",
                             "RST without ACK in SYN-SENT: RFC 9293 3.10.7.3, dropped");
          return;
        }
      tcp_input_verdict (conn, seg, "reset",
                         "RST acknowledging our SYN: RFC 9293 3.10.7.3, connection refused");
      tcp_input_note_killed (conn, seg,
                             "RST acknowledging our SYN: RFC 9293 3.10.7.3, connection refused");
      tcp_conn_destroy (conn, TCP_ERROR_REFUSED, "RST: connection refused");
      return;
    }
  /* "Fifth, if neither of the SYN or RST bits is set, then drop the
   * segment and return." */
  if (!(seg->flags & TCP_FLAG_SYN))
    {
      tcp_input_verdict (conn, seg, "dropped",
                         "no SYN or RST in SYN-SENT: RFC 9293 3.10.7.3 fifth, dropped");
      return;
    }
  /* "Fourth, check the SYN bit: RCV.NXT is set to SEG.SEQ+1, IRS is set to
   * SEG.SEQ." */
  conn->irs = seg->seq;
  conn->rcv_nxt = seg->seq + 1;
  if (seg->mss != 0)
    conn->peer_mss = seg->mss;
  conn->peer_sack_ok = seg->sack_ok;
  conn->peer_wscale_ok = seg->has_wscale;
  conn->snd_wnd = seg->window;
  conn->max_snd_wnd = MAX (conn->max_snd_wnd, seg->window);
  conn->snd_wl1 = seg->seq;
  conn->snd_wl2 = seg->ack;
  conn->last_ack_sent = conn->rcv_nxt;
  /* RFC 7323 3.2: TSopt is on only if our SYN and the peer's SYN (or
   * SYN,ACK) both carried it; TS.Recent <- SEG.TSval (4.3). */
  if (conn->stack->config.timestamps && seg->has_timestamps)
    {
      conn->ts_ok = TRUE;
      conn->ts_recent = seg->tsval;
    }
  if (!ack_ok)
    {
      /* Provenance (not TCP): both ends opened actively and each drew an
       * incarnation; both keep the lower one, so they agree. */
      if (seg->incarnation != 0 && seg->incarnation < conn->incarnation)
        conn->incarnation = seg->incarnation;
      /* "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
       * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it." (MUST-10) */
      tcp_input_verdict (conn, seg, "accepted",
                         "SYN in SYN-SENT: RFC 9293 3.10.7.3 fourth, simultaneous open");
      tcp_conn_set_state (conn, TCP_STATE_SYN_RECEIVED, "simultaneous open: SYN received");
      tcp_output_syn (conn, FALSE, "SYN,ACK (simultaneous open)");
      return;
    }
  tcp_input_verdict (conn, seg, "accepted",
                     "SYN,ACK acknowledging our SYN: RFC 9293 3.10.7.3 fourth, ESTABLISHED");
  /* "SND.UNA should be advanced to equal SEG.ACK ... If SND.UNA > ISS (our
   * SYN has been ACKed), change the connection state to ESTABLISHED, form
   * an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it." */
  conn->snd_una = seg->ack;
  if (conn->rtt_timing && tcp_seq_geq (seg->ack, conn->rtt_seq))
    {
      tcp_timers_rtt_sample (conn, tcp_stack_now (conn->stack) - conn->rtt_start);
      conn->rtt_timing = FALSE;
    }
  tcp_timers_handshake_done (conn);
  conn->retries = 0;
  tcp_timers_rexmit_stop (conn);
  tcp_conn_set_state (conn, TCP_STATE_ESTABLISHED, "SYN,ACK received");
  conn->notify |= TCP_NOTIFY_ESTABLISHED;
  conn->ack_pending = TRUE;
  /* "If there are other controls or text in the segment, then continue
   * processing at the sixth step." */
  tcp_input_text (conn, seg);
  if (conn->dead)
    return;
  tcp_output_push (conn);
  if (conn->ack_pending)
    tcp_output_ack (conn, "ACK of SYN,ACK");
}

/* ------------------------------------------------------------------ */
/* SYN-RECEIVED and the synchronized states (RFC 9293 3.10.7.4)        */

/* Second, check the RST bit: the per-state consequences. */
static void
tcp_input_reset (TcpConn *conn)
{
  switch (conn->state)
    {
    case TCP_STATE_SYN_RECEIVED:
      /* "If this connection was initiated with a passive OPEN (i.e., came
       * from the LISTEN state), then return this connection to LISTEN
       * state" (the listener stays; the child goes). "If this connection
       * was initiated with an active OPEN ..., then the connection was
       * refused; signal the user 'connection refused'." */
      if (conn->passive)
        tcp_conn_destroy (conn, TCP_ERROR_NONE, "RST: back to LISTEN");
      else
        tcp_conn_destroy (conn, TCP_ERROR_REFUSED, "RST: connection refused");
      break;
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
      /* "any outstanding RECEIVEs and SEND should receive 'reset'
       * responses ... signal 'connection reset', enter CLOSED". */
      tcp_conn_destroy (conn, TCP_ERROR_RESET, "RST: connection reset");
      break;
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      /* "enter the CLOSED state, delete the TCB, and return." */
      tcp_conn_destroy (conn, TCP_ERROR_NONE, "RST received");
      break;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
      break;
    }
}

/* RFC 9293 3.8.6.1 (MUST-36) and RFC 1122 4.2.2.17: "As long as the
 * receiving TCP continues to send acknowledgments in response to the probe
 * segments, the sending TCP MUST allow the connection to stay open." An
 * ACK of SND.UNA that leaves the send window at zero while something is
 * outstanding answers a probe: a zero-window probe octet, or data or a FIN
 * sent before the window closed (a FIN occupies sequence space, so a
 * receiver with RCV.WND = 0 drops it and ACKs, Table 6). From then on the
 * timer is the persist timer, and answered probes are not retransmission
 * failures (retries back to 0); unanswered ones still count. */
static void
tcp_input_probe_answered (TcpConn *conn, TcpSeq ack)
{
  if (ack != conn->snd_una || conn->snd_wnd != 0 || conn->snd_una == conn->snd_nxt)
    return;
  if (!conn->persist)
    {
      conn->persist = TRUE;
      conn->persist_backoff = 0;
    }
  conn->retries = 0;
}

/* Fifth, check the ACK field (ESTABLISHED processing and the per-state
 * additions). Returns FALSE when the TCB is gone. */
static gboolean
tcp_input_ack (TcpConn *conn, const TcpSegment *seg)
{
  TcpSeq ack = seg->ack;
  if (tcp_seq_lt (conn->snd_una, ack) && tcp_seq_leq (ack, conn->snd_nxt))
    {
      /* "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK. Any
       * segments on the retransmission queue that are thereby entirely
       * acknowledged are removed." */
      guint32 acked = ack - conn->snd_una;
      gboolean syn_acked = conn->snd_una == conn->iss;
      if (syn_acked)
        acked--; /* our SYN */
      if (conn->fin_sent && tcp_seq_gt (ack, conn->fin_seq))
        acked--; /* our FIN */
      acked = MIN (acked, conn->snd_buf->len);
      if (acked > 0)
        {
          g_byte_array_remove_range (conn->snd_buf, 0, acked);
          conn->snd_buf_off += acked;
        }
      conn->snd_una = ack;
      /* RFC 6298 (2.2)/(2.3), Karn: only a segment sent once is timed. */
      if (conn->rtt_timing && tcp_seq_geq (ack, conn->rtt_seq))
        {
          tcp_timers_rtt_sample (conn, tcp_stack_now (conn->stack) - conn->rtt_start);
          conn->rtt_timing = FALSE;
        }
      if (syn_acked)
        tcp_timers_handshake_done (conn);
      conn->retries = 0;
      conn->tlp_sent = FALSE; /* Linux tcp_process_tlp_ack(): the probe's episode ends */
      conn->rexmit_stamp = 0;
      /* RFC 6298 (5.2): all outstanding data acknowledged: stop the timer;
       * (5.3) new data acknowledged: restart it. */
      if (conn->snd_una == conn->snd_nxt)
        tcp_timers_rexmit_stop (conn);
      else
        tcp_timers_rexmit_start (conn);
      if (acked > 0 || conn->snd_una == conn->snd_nxt)
        conn->notify |= TCP_NOTIFY_SENDABLE;
    }
  /* "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated.
   * If (SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)),
   * set SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ, and set
   * SND.WL2 <- SEG.ACK." */
  if (tcp_seq_leq (conn->snd_una, ack) && tcp_seq_leq (ack, conn->snd_nxt)
      && (tcp_seq_lt (conn->snd_wl1, seg->seq)
          || (conn->snd_wl1 == seg->seq && tcp_seq_leq (conn->snd_wl2, ack))))
    {
      conn->snd_wnd = seg->window;
      conn->snd_wl1 = seg->seq;
      conn->snd_wl2 = ack;
      conn->max_snd_wnd = MAX (conn->max_snd_wnd, seg->window);
      /* The window opened: leave persist; what the peer did not take goes
       * out again (tcp_output_push, after the text). */
      if (conn->persist && conn->snd_wnd > 0)
        tcp_timers_persist_leave (conn);
    }
  tcp_input_probe_answered (conn, ack);

  switch (conn->state)
    {
    case TCP_STATE_FIN_WAIT_1:
      /* "if the FIN segment is now acknowledged, then enter FIN-WAIT-2":
       * done by tcp_input_fin_wait_1_acked after the eighth step, which
       * alone knows whether this segment's FIN got in (TIME-WAIT, Figure 5
       * note 2) or was trimmed away with the window. */
      break;
    case TCP_STATE_CLOSING:
      /* "if the ACK acknowledges our FIN, then enter the TIME-WAIT state;
       * otherwise, ignore the segment." */
      if (tcp_input_fin_acked (conn))
        {
          tcp_time_wait_enter (conn, TCP_STATE_CLOSING, "our FIN was acknowledged");
          return FALSE;
        }
      break;
    case TCP_STATE_LAST_ACK:
      /* "The only thing that can arrive in this state is an acknowledgment
       * of our FIN. If our FIN is now acknowledged, delete the TCB, enter
       * the CLOSED state, and return." */
      if (tcp_input_fin_acked (conn))
        {
          tcp_conn_destroy (conn, TCP_ERROR_NONE, "our FIN was acknowledged");
          return FALSE;
        }
      break;
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_TIME_WAIT:
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
      break;
    }
  return TRUE;
}

/* RFC 7323 5.3 PAWS, before the sequence number check. These helpers
 * return FALSE when the segment goes no further. */
static gboolean
tcp_input_screen_paws (TcpConn *conn, TcpSegment *seg)
{
  /* RFC 7323 5.3, before the sequence number check. RSTs are exempt: "A
   * TCP MUST NOT ... subject [RST] to the PAWS check" (5.2); so is their
   * TSval for TS.Recent. The 24-day idle rule (5.5) that invalidates
   * TS.Recent is not modelled (no scenario idles that long). */
  if (conn->ts_ok && !(seg->flags & TCP_FLAG_RST))
    {
      if (!seg->has_timestamps)
        {
          /* RFC 7323 3.2: "If a non-<RST> segment is received without a
           * TSopt, a TCP SHOULD silently drop the segment." */
          tcp_input_verdict (conn, seg, "dropped",
                             "no TSopt after timestamps were negotiated: RFC 7323 3.2, dropped");
          return FALSE;
        }
      if (tcp_ts_before (seg->tsval, conn->ts_recent))
        {
          /* R1: "If ... SEG.TSval < TS.Recent, TS.Recent is valid, and if
           * the RST bit is not set, then treat the arriving segment as not
           * acceptable: Send an acknowledgment in reply ... and drop". */
          tcp_input_verdict (conn, seg, "paws",
                             "PAWS: TSval %u < TS.Recent %u (RFC 7323 5.3 R1), ACK sent",
                             seg->tsval, conn->ts_recent);
          tcp_output_ack (conn, "ACK of PAWS-rejected segment (RFC 7323 5.3 R1)");
          return FALSE;
        }
    }
  return TRUE;
}

/* The crossing SYN,ACK of a simultaneous open (RFC 9293 3.5, Figure 7
 * line 6): in SYN-RECEIVED reached from an active OPEN, the peer's SYN,ACK
 * repeats its SYN (SEG.SEQ = IRS = RCV.NXT - 1, SEG.LEN = 1: no text, no
 * FIN) and acknowledges ours (SEG.ACK = SND.NXT). The literal test of
 * 3.10.7.4 rejects it (Appendix A.2). With simultaneous_open_synack it is
 * taken as Linux does since 6.11 (commit 23e89e8ee7be): tcp_validate_incoming
 * "if (sk->sk_state == TCP_SYN_RECV && sk->sk_socket && th->ack &&
 * seq + 1 == end_seq && seq + 1 == tp->rcv_nxt && ack_seq == tp->snd_nxt)
 * goto pass;" (tcp_sequence lets it through, end_seq = rcv_wup), and
 * tcp_rcv_state_process, now ESTABLISHED, "goto consume"s it: no ACK is
 * sent (here: no text, no FIN, so none is due). Passive
 * children are not sockets in Linux (request socks, tcp_check_req), and an
 * orphan has no sk_socket: both keep the RFC rules. */
static gboolean
tcp_input_crossing_synack (const TcpConn *conn, const TcpSegment *seg)
{
  return conn->stack->config.simultaneous_open_synack
         && conn->state == TCP_STATE_SYN_RECEIVED && !conn->passive && !conn->orphan
         && (seg->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST))
              == (TCP_FLAG_SYN | TCP_FLAG_ACK)
         && tcp_segment_len (seg) == 1 && seg->seq + 1 == conn->rcv_nxt
         && seg->ack == conn->snd_nxt;
}

/* RFC 9293 3.10.7.4 first: "If the RCV.WND is zero, no segments will be
 * acceptable, but special allowance should be made to accept valid ACKs,
 * URGs, and RSTs." An unacceptable segment that carries an ACK (no SYN, no
 * RST) still has its ACK field checked and processed (fifth step); its
 * text and FIN are dropped and an ACK is sent, as for any unacceptable
 * segment. Without this, a host whose window is closed ignores every
 * acknowledgment of its own data sent after the peer's zero-window probe
 * (SEG.SEQ = RCV.NXT + 1) and times out with everything acknowledged. A
 * RST needs no allowance: only SEG.SEQ = RCV.NXT may reset (RFC 5961 3.2),
 * and that is acceptable in a zero window (Table 6); URG is not modelled. */
static gboolean
tcp_input_zero_window_ack (const TcpConn *conn, const TcpSegment *seg, guint32 wnd)
{
  return wnd == 0 && (seg->flags & (TCP_FLAG_ACK | TCP_FLAG_SYN | TCP_FLAG_RST)) == TCP_FLAG_ACK
         && conn->state != TCP_STATE_SYN_RECEIVED;
}

/* RFC 9293 3.10.7.4 first: the sequence number (Table 6). `*ack_only` is
 * set when the segment goes on for its ACK alone (zero-window allowance). */
static gboolean
tcp_input_screen_seq (TcpConn *conn, TcpSegment *seg, gboolean *ack_only)
{
  guint32 wnd = tcp_conn_rcv_wnd (conn);
  *ack_only = FALSE;
  /* First, check sequence number. "If an incoming segment is not
   * acceptable, an acknowledgment should be sent in reply (unless the RST
   * bit is set, if so drop the segment and return)". The crossing SYN,ACK
   * of a simultaneous open passes when the Linux option is on. */
  if (!tcp_segment_acceptable (seg, conn->rcv_nxt, wnd) && !tcp_input_crossing_synack (conn, seg))
    {
      if (tcp_input_zero_window_ack (conn, seg, wnd))
        {
          *ack_only = TRUE;
          return TRUE;
        }
      if (seg->flags & TCP_FLAG_RST)
        {
          tcp_input_verdict (conn, seg, "dropped",
                             "RST outside RCV.WND [%u, %u): RFC 9293 3.10.7.4, dropped",
                             conn->rcv_nxt, conn->rcv_nxt + wnd);
          return FALSE;
        }
      tcp_input_verdict (conn, seg, "ack",
                         "outside RCV.WND [%u, %u): RFC 9293 3.10.7.4, ACK sent",
                         conn->rcv_nxt, conn->rcv_nxt + wnd);
      if (tcp_segment_payload_len (seg) > 0)
        tcp_input_note_data_lost (conn, seg, tcp_input_data_start (seg),
                                  tcp_input_data_start (seg)
                                    + (guint32) tcp_segment_payload_len (seg));
      tcp_output_ack (conn, "ACK of unacceptable segment (RFC 9293 3.10.7.4)");
      return FALSE;
    }

  /* RFC 7323 5.3 R3: "If an arriving segment satisfies SEG.TSval >=
   * TS.Recent and SEG.SEQ <= Last.ACK.sent, then record its timestamp in
   * TS.Recent." (R1 already rejected older TSvals; not for RSTs, 5.2.) */
  if (conn->ts_ok && !(seg->flags & TCP_FLAG_RST)
      && tcp_seq_leq (seg->seq, conn->last_ack_sent))
    conn->ts_recent = seg->tsval;
  return TRUE;
}

/* RFC 9293 3.10.7.4 second: the RST bit (with RFC 5961 3). */
static gboolean
tcp_input_screen_rst (TcpConn *conn, TcpSegment *seg)
{
  const TcpConfig *config = &conn->stack->config;
  guint32 wnd = tcp_conn_rcv_wnd (conn);
  /* Second, check the RST bit. */
  if (seg->flags & TCP_FLAG_RST)
    {
      if (config->challenge_acks && seg->seq != conn->rcv_nxt)
        {
          /* RFC 5961 3.2: in the window but not exactly RCV.NXT. */
          tcp_input_verdict (conn, seg, "challenge-ack",
                             "RST in window, not at RCV.NXT %u: RFC 5961 3.2, challenge ACK",
                             conn->rcv_nxt);
          tcp_output_ack (conn, "challenge ACK (RFC 5961 3.2)");
          return FALSE;
        }
      if (config->challenge_acks)
        tcp_input_verdict (conn, seg, "reset", "RST at RCV.NXT %u: RFC 5961 3.2, connection reset",
                           conn->rcv_nxt);
      else
        tcp_input_verdict (conn, seg, "reset",
                           "RST in window [%u, %u): RFC 9293 3.10.7.4 second, connection reset",
                           conn->rcv_nxt, conn->rcv_nxt + wnd);
      tcp_input_note_killed (conn, seg,
                             config->challenge_acks
                               ? "RST at RCV.NXT: RFC 5961 3.2, connection reset"
                               : "RST in window: RFC 9293 3.10.7.4 second, connection reset");
      tcp_input_reset (conn);
      return FALSE;
    }
  return TRUE;
}

/* RFC 9293 3.10.7.4 fourth: the SYN bit (with RFC 5961 4). */
static gboolean
tcp_input_screen_syn (TcpConn *conn, TcpSegment *seg)
{
  const TcpConfig *config = &conn->stack->config;
  /* Third, security: not modelled. Fourth, check the SYN bit. Linux
   * tcp_validate_incoming "goto pass" skips this step (no challenge ACK)
   * for the crossing SYN,ACK of a simultaneous open. */
  if ((seg->flags & TCP_FLAG_SYN) && !tcp_input_crossing_synack (conn, seg))
    {
      if (conn->state == TCP_STATE_SYN_RECEIVED && conn->passive)
        {
          /* "If the connection was initiated with a passive OPEN, then
           * return this connection to the LISTEN state and return." */
          tcp_input_verdict (conn, seg, "reset",
                             "SYN in SYN-RECEIVED (passive): RFC 9293 3.10.7.4 fourth, back to LISTEN");
          tcp_input_note_killed (conn, seg, "SYN in SYN-RECEIVED (passive): "
                                            "RFC 9293 3.10.7.4 fourth, back to LISTEN");
          tcp_conn_destroy (conn, TCP_ERROR_NONE, "SYN received: back to LISTEN");
          return FALSE;
        }
      if (config->challenge_acks)
        {
          /* RFC 5961 4.2: "irrespective of the sequence number, TCP
           * endpoints MUST send a 'challenge ACK'". */
          tcp_input_verdict (conn, seg, "challenge-ack",
                             "SYN in %s: RFC 5961 4.2, challenge ACK",
                             tcp_state_name (conn->state));
          tcp_output_ack (conn, "challenge ACK (RFC 5961 4.2)");
          return FALSE;
        }
      /* RFC 793 3.9: "If the SYN is in the window it is an error, send a
       * reset, ... enter the CLOSED state, delete the TCB". The RST takes
       * the form of RFC 9293 3.5.2. */
      tcp_input_verdict (conn, seg, "reset",
                         "SYN in window: RFC 793 3.9 fourth, RST sent, connection reset");
      tcp_input_note_killed (conn, seg,
                             "SYN in window: RFC 793 3.9 fourth, RST sent, connection reset");
      tcp_stack_send_reset_for (conn->stack, seg, conn->id, conn->incarnation,
                                "RST: SYN in window (RFC 793 3.9)");
      tcp_conn_destroy (conn, TCP_ERROR_RESET, "SYN in window: connection reset");
      return FALSE;
    }
  return TRUE;
}

/* RFC 9293 3.10.7.4 fifth: the ACK checks that drop the segment (with
 * RFC 5961 5); tcp_input_ack does the rest. */
static gboolean
tcp_input_screen_ack (TcpConn *conn, TcpSegment *seg)
{
  const TcpConfig *config = &conn->stack->config;
  /* Fifth, check the ACK field. "if the ACK bit is off, drop the segment
   * and return". */
  if (!(seg->flags & TCP_FLAG_ACK))
    {
      tcp_input_verdict (conn, seg, "dropped", "no ACK bit: RFC 9293 3.10.7.4 fifth, dropped");
      return FALSE;
    }
  if (conn->state == TCP_STATE_SYN_RECEIVED)
    {
      /* "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state ...
       * If the segment acknowledgment is not acceptable, form a reset
       * segment <SEQ=SEG.ACK><CTL=RST> and send it." */
      if (!(tcp_seq_lt (conn->snd_una, seg->ack) && tcp_seq_leq (seg->ack, conn->snd_nxt)))
        {
          tcp_input_verdict (conn, seg, "rst",
                             "ACK %u outside (SND.UNA %u, SND.NXT %u] in SYN-RECEIVED: RFC 9293 3.10.7.4 fifth, RST sent",
                             seg->ack, conn->snd_una, conn->snd_nxt);
          tcp_output_rst (conn, seg->ack, "RST: unacceptable ACK in SYN-RECEIVED (RFC 9293 3.10.7.4)");
          return FALSE;
        }
      /* Linux tcp_check_req: the child cannot be created while the accept
       * queue is full (tcp_v4_syn_recv_sock "if (sk_acceptq_is_full(sk))
       * goto exit_overflow"); with tcp_abort_on_overflow = 0 the ACK is
       * dropped and the connection stays in SYN-RECEIVED, its SYN,ACK
       * retransmitted until the queue has room. */
      if (conn->passive && conn->listener != NULL
          && tcp_listener_accept_queue_full (conn->listener))
        {
          tcp_input_verdict (conn, seg, "dropped",
                             "accept queue full (%u > backlog %u): Linux tcp_check_req "
                             "listen_overflow, ACK dropped", conn->listener->accept_queue.length,
                             conn->listener->backlog);
          return FALSE;
        }
    }
  else
    {
      /* RFC 5961 5.2 (MAY-12): acceptable only if
       * (SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT. */
      TcpSeq low = conn->snd_una - conn->max_snd_wnd;
      if (config->challenge_acks && tcp_seq_lt (seg->ack, low))
        {
          tcp_input_verdict (conn, seg, "challenge-ack",
                             "ACK %u below SND.UNA - MAX.SND.WND %u: RFC 5961 5.2, ACK sent",
                             seg->ack, low);
          tcp_output_ack (conn, "challenge ACK (RFC 5961 5.2)");
          return FALSE;
        }
      /* "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then
       * send an ACK, drop the segment, and return." */
      if (tcp_seq_gt (seg->ack, conn->snd_nxt))
        {
          tcp_input_verdict (conn, seg, "ack",
                             "ACK %u of unsent data (SND.NXT %u): RFC 9293 3.10.7.4 fifth, ACK sent",
                             seg->ack, conn->snd_nxt);
          tcp_input_note_ack_unsent (conn, seg);
          tcp_output_ack (conn, "ACK: ACK of unsent data (RFC 9293 3.10.7.4)");
          return FALSE;
        }
    }
  return TRUE;
}

/* Steps one to five decide the segment's fate (third, security, is not
 * modelled); returns TRUE when it goes on to the actions (ACK, text,
 * FIN). */
static gboolean
tcp_input_screen (TcpConn *conn, TcpSegment *seg, gboolean *ack_only)
{
  if (!tcp_input_screen_paws (conn, seg) || !tcp_input_screen_seq (conn, seg, ack_only)
      || !tcp_input_screen_rst (conn, seg) || !tcp_input_screen_syn (conn, seg)
      || !tcp_input_screen_ack (conn, seg))
    return FALSE;

  guint32 wnd = tcp_conn_rcv_wnd (conn);
  /* RFC 9293 3.6.1 SHLD-2 (RFC 1122 4.2.2.13): after a half-duplex CLOSE,
   * "if new data is received after CLOSE is called, its TCP SHOULD send a
   * RST to show that data was lost". Every personality does: Linux
   * tcp_rcv_state_process ("If new data arrive after half-duplex close,
   * reset"), FreeBSD, XNU and 4.4BSD tcp_input ("If new data are received
   * on a connection after the user processes are gone, then RST the other
   * end"). Only for orphans: after shutdown(WR) the socket still reads. */
  gsize plen = tcp_segment_payload_len (seg);
  if (conn->orphan && plen > 0
      && (conn->state == TCP_STATE_FIN_WAIT_1 || conn->state == TCP_STATE_FIN_WAIT_2)
      && tcp_seq_gt (seg->seq + (guint32) plen, conn->rcv_nxt))
    {
      tcp_input_verdict (conn, seg, "rst",
                         "new data after close: RFC 9293 3.6.1 SHLD-2, RST sent");
      tcp_stack_send_reset_for (conn->stack, seg, conn->id, conn->incarnation,
                                "RST: data after close (RFC 9293 3.6.1 SHLD-2)");
      tcp_conn_destroy (conn, TCP_ERROR_NONE, "new data after close");
      return FALSE;
    }

  if (*ack_only)
    tcp_input_verdict (conn, seg, "ack-only",
                       "RCV.WND = 0, SEG.SEQ %u (RCV.NXT %u): RFC 9293 3.10.7.4 first, "
                       "valid ACK processed, text dropped, ACK sent",
                       seg->seq, conn->rcv_nxt);
  else if (tcp_input_crossing_synack (conn, seg))
    tcp_input_verdict (conn, seg, "accepted",
                       "crossing SYN,ACK of a simultaneous open: Linux tcp_validate_incoming "
                       "waives RFC 9293 3.10.7.4 (Appendix A.2), ESTABLISHED");
  else if ((plen > 0 || (seg->flags & TCP_FLAG_FIN))
      && tcp_seq_gt (tcp_input_data_start (seg), conn->rcv_nxt))
    tcp_input_verdict (conn, seg, "queued",
                       "beyond RCV.NXT %u, in window: RFC 9293 3.10.7.4 seventh, held out of order",
                       conn->rcv_nxt);
  else
    tcp_input_verdict (conn, seg, "accepted", "in window [%u, %u): RFC 9293 3.10.7.4, accepted",
                       conn->rcv_nxt, conn->rcv_nxt + wnd);
  return TRUE;
}

/* RFC 9293 3.10.7.4 fifth, FIN-WAIT-1: "In addition to the processing for
 * the ESTABLISHED state, if the FIN segment is now acknowledged, then
 * enter FIN-WAIT-2". Decided after the eighth step: a FIN that arrived
 * with the ACK has already taken the TCB to TIME-WAIT (note 2); a FIN that
 * the window trimmed away must not keep it in FIN-WAIT-1 (where, with
 * nothing left to retransmit, no timer runs and an orphan would never
 * get its FIN-WAIT-2 timeout). */
static void
tcp_input_fin_wait_1_acked (TcpConn *conn)
{
  if (conn->state == TCP_STATE_FIN_WAIT_1 && tcp_input_fin_acked (conn))
    tcp_conn_set_state (conn, TCP_STATE_FIN_WAIT_2, "our FIN was acknowledged");
}

/* Linux tcp_check_req() (net/ipv4/tcp_minisocks.c): "Check for pure
 * retransmitted SYN": "TCP_SKB_CB(skb)->seq == tcp_rsk(req)->rcv_isn &&
 * flg == TCP_FLAG_SYN && !paws_reject" -> inet_rtx_syn_ack() resends the
 * SYN,ACK at once and the request timer is rescheduled. Only a request
 * socket (passive open) does this (seen on Linux 6.18: a second SYN,ACK
 * within 0.8 s, before the 1 s SYN,ACK timer). TRUE when handled. */
static gboolean
tcp_input_dup_syn_in_syn_received (TcpConn *conn, TcpSegment *seg)
{
  if (!conn->stack->config.dup_syn_resends_synack || conn->state != TCP_STATE_SYN_RECEIVED
      || !conn->passive || seg->flags != TCP_FLAG_SYN || seg->seq != conn->irs)
    return FALSE;
  if (conn->ts_ok && seg->has_timestamps && tcp_ts_before (seg->tsval, conn->ts_recent))
    return FALSE; /* paws_reject: the RFC path answers it */
  tcp_input_verdict (conn, seg, "synack",
                     "retransmitted SYN (SEQ = IRS %u) in SYN-RECEIVED: Linux tcp_check_req, "
                     "SYN,ACK sent again", conn->irs);
  tcp_output_syn (conn, TRUE, "SYN,ACK again for a retransmitted SYN (Linux tcp_check_req)");
  tcp_timers_rexmit_start (conn);
  return TRUE;
}

static void
tcp_input_synchronized (TcpConn *conn, TcpSegment *seg)
{
  if (tcp_input_dup_syn_in_syn_received (conn, seg))
    return;
  gboolean ack_only = FALSE;
  if (!tcp_input_screen (conn, seg, &ack_only))
    return;
  if (conn->state == TCP_STATE_SYN_RECEIVED)
    {
      /* "enter ESTABLISHED state and continue processing with the
       * variables below set to: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ,
       * SND.WL2 <- SEG.ACK" */
      conn->snd_wnd = seg->window;
      conn->max_snd_wnd = MAX (conn->max_snd_wnd, seg->window);
      conn->snd_wl1 = seg->seq;
      conn->snd_wl2 = seg->ack;
      tcp_conn_became_established (conn, TCP_STATE_SYN_RECEIVED, "our SYN,ACK was acknowledged");
    }
  if (!tcp_input_ack (conn, seg))
    return;
  /* Sixth, URG: ignored. Seventh, segment text; eighth, FIN. A segment
   * let in for its ACK alone (zero window) is acknowledged instead. */
  if (ack_only)
    conn->ack_pending = TRUE;
  else
    tcp_input_text (conn, seg);
  if (conn->dead)
    return;
  tcp_input_fin_wait_1_acked (conn);
  tcp_output_push (conn);
  if (conn->ack_pending && ack_only)
    tcp_output_ack (conn, "ACK: RCV.WND = 0, text and FIN dropped (RFC 9293 3.10.7.4)");
  else if (conn->ack_pending && conn->stack->config.delack_ato > 0
           && (seg->flags & TCP_FLAG_FIN) && tcp_segment_payload_len (seg) > 0
           && conn->state == TCP_STATE_CLOSE_WAIT)
    /* Linux: tcp_fin() in ESTABLISHED enters pingpong mode, so
     * __tcp_ack_snd_check() is no quick ACK: tcp_send_delayed_ack() with
     * the ato the data set (tcp_event_data_recv: TCP_ATO_MIN). */
    tcp_timers_delack_start (conn, conn->stack->config.delack_ato);
  else if (conn->ack_pending)
    tcp_output_ack (conn, (seg->flags & TCP_FLAG_FIN) ? "ACK of FIN" : "ACK of data");
}

void
tcp_input_conn (TcpConn *conn, TcpSegment *seg)
{
  tcp_conn_enter (conn);
  switch (conn->state)
    {
    case TCP_STATE_SYN_SENT:
      tcp_input_syn_sent (conn, seg);
      break;
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
      tcp_input_synchronized (conn, seg);
      break;
    case TCP_STATE_TIME_WAIT:
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
      /* Not in the TCB table in these states. */
      g_warn_if_reached ();
      break;
    }
  tcp_conn_leave (conn);
}
