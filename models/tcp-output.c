/* tcp-output.c: building and sending segments: SYN and SYN,ACK, ACK, RST,
 * data cut from the send buffer by MSS and peer window, FIN, the
 * retransmission of the earliest unacknowledged segment and the zero-window
 * probe.
 *
 * The send buffer keeps every unacknowledged byte, so it is also the
 * retransmission queue: a retransmission is cut again from it at SND.UNA.
 * Simplifications (documented): no congestion control (RFC 5681) yet, so
 * sending is limited only by the peer window and the send buffer; no
 * Nagle and no sender-side SWS avoidance; a FIN is sent even into a zero
 * window (the peer drops it and ACKs; that ACK turns the timer into the
 * persist timer, tcp-input.c tcp_input_probe_answered). */
#include "tcp-internal.h"

/* Sequence number of the first byte in the send buffer. */
TcpSeq
tcp_output_buf_seq (TcpConn *conn)
{
  return conn->iss + 1 + (guint32) conn->snd_buf_off;
}

guint32
tcp_output_sent_bytes (TcpConn *conn)
{
  TcpSeq first = tcp_output_buf_seq (conn);
  if (!tcp_seq_gt (conn->snd_nxt, first))
    return 0;
  guint32 sent = conn->snd_nxt - first;
  if (conn->fin_sent)
    sent--;
  return MIN (sent, conn->snd_buf->len);
}

TcpSegment *
tcp_output_segment_new (TcpConn *conn, TcpSeq seq, guint8 flags)
{
  TcpSegment *seg = tcp_segment_new ();
  seg->src = conn->tuple.local;
  seg->dst = conn->tuple.remote;
  seg->seq = seq;
  seg->flags = flags;
  seg->layout = conn->stack->config.option_layout;
  if (flags & TCP_FLAG_ACK)
    {
      seg->ack = conn->rcv_nxt;
      conn->ack_pending = FALSE;
      /* tcp_event_ack_sent(): inet_csk_clear_xmit_timer(sk, ICSK_TIME_DACK). */
      sim_engine_cancel_clear (conn->stack->engine, &conn->delack_timer);
      /* RFC 7323 4.3: Last.ACK.sent, the ACK field of our last segment. */
      conn->last_ack_sent = conn->rcv_nxt;
    }
  /* RFC 7323 3.2: "Once TSopt has been successfully negotiated ... the TSopt
   * MUST be sent in every non-<RST> segment". TSecr is TS.Recent (4.3),
   * zero without an ACK (3.2). RSTs go without (the option is a MAY there). */
  if (conn->ts_ok && !(flags & TCP_FLAG_RST))
    {
      seg->has_timestamps = TRUE;
      seg->tsval = tcp_stack_ts_clock (conn->stack, conn->ts_offset);
      seg->tsecr = (flags & TCP_FLAG_ACK) ? conn->ts_recent : 0;
    }
  if (flags & TCP_FLAG_RST)
    seg->window = 0;
  else
    {
      /* RCV.WND: the free receive-buffer space. */
      seg->window = tcp_conn_announce_wnd (conn);
      conn->rcv_adv_wnd = seg->window;
    }
  seg->conn_id = conn->id;
  seg->incarnation = conn->incarnation;
  /* Provenance: the stream offset this sequence number stands for (SYN
   * occupies none). */
  TcpSeq first = tcp_output_buf_seq (conn);
  seg->stream_offset = conn->snd_buf_off
                       + (tcp_seq_gt (seq, first) ? (guint64) (seq - first) : 0);
  return seg;
}

static void
tcp_output_emit (TcpConn *conn, TcpSegment *seg, const char *why)
{
  tcp_stack_send (conn->stack, seg, conn->id, conn->incarnation, why);
}

static void
tcp_output_start_rtt (TcpConn *conn, TcpSeq end)
{
  if (conn->rtt_timing)
    return;
  conn->rtt_timing = TRUE;
  conn->rtt_seq = end;
  conn->rtt_start = tcp_stack_now (conn->stack);
}

/* RFC 9293 3.10.1 / 3.10.7.2-3: <SEQ=ISS><CTL=SYN> in SYN-SENT,
 * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> in SYN-RECEIVED; both carry our MSS
 * (RFC 9293 3.7.1). */
void
tcp_output_syn (TcpConn *conn, gboolean retransmission, const char *why)
{
  guint8 flags = TCP_FLAG_SYN;
  /* Every state after SYN-SENT has received the peer's SYN: SYN,ACK. (A
   * CLOSE in SYN-RECEIVED reaches FIN-WAIT-1 with our SYN unacknowledged.) */
  if (conn->state != TCP_STATE_SYN_SENT)
    flags |= TCP_FLAG_ACK;
  TcpSegment *seg = tcp_output_segment_new (conn, conn->iss, flags);
  seg->mss = tcp_conn_own_mss (conn);
  /* RFC 2018 2: SACK-permitted "MUST NOT be sent on non-SYN segments", and
   * goes in a SYN,ACK only after a SYN that had it; RFC 7323 2.2: window
   * scale likewise ("MAY be sent in a <SYN,ACK> segment only if the
   * corresponding option was received in the initial <SYN> segment"). */
  gboolean active = conn->state == TCP_STATE_SYN_SENT;
  const TcpConfig *config = &conn->stack->config;
  seg->sack_ok = config->sack_permitted && (active || conn->peer_sack_ok);
  seg->has_wscale = config->wscale >= 0 && (active || conn->peer_wscale_ok);
  seg->wscale = (guint8) MAX (config->wscale, 0);
  /* RFC 7323 3.2: "A TCP MAY send the TSopt in an initial <SYN> segment"
   * (TSecr 0); the SYN,ACK carries it only if the SYN did (ts_ok). */
  if (conn->state == TCP_STATE_SYN_SENT && conn->stack->config.timestamps)
    {
      seg->has_timestamps = TRUE;
      seg->tsval = tcp_stack_ts_clock (conn->stack, conn->ts_offset);
      /* RFC 7323 3.2: TSecr SHOULD be 0 without ACK. Linux tcp_syn_options()
       * puts "opts->tsecr = tp->rx_opt.ts_recent" in every SYN, which after
       * tcp_twsk_unique() is the TIME-WAIT record's tw_ts_recent: syn_tsecr
       * (0 unless the connection took over a record). */
      seg->tsecr = conn->syn_tsecr;
    }
  seg->stream_offset = 0;
  seg->retransmission = retransmission;
  if (!retransmission)
    {
      conn->syn_first_sent = tcp_stack_now (conn->stack);
      conn->snd_nxt = conn->iss + 1;
      tcp_output_start_rtt (conn, conn->snd_nxt);
    }
  tcp_output_emit (conn, seg, why);
  /* RFC 6298 (5.1): start the timer if it is not running. A retransmission
   * leaves it to its caller (5.6 restarts it once, after the backoff). */
  if (!retransmission && !sim_engine_is_pending (conn->stack->engine, conn->rexmit_timer))
    tcp_timers_rexmit_start (conn);
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
void
tcp_output_ack (TcpConn *conn, const char *why)
{
  TcpSegment *seg = tcp_output_segment_new (conn, conn->snd_nxt, TCP_FLAG_ACK);
  tcp_output_emit (conn, seg, why);
}

/* <SEQ=seq><CTL=RST> */
void
tcp_output_rst (TcpConn *conn, TcpSeq seq, const char *why)
{
  TcpSegment *seg = tcp_output_segment_new (conn, seq, TCP_FLAG_RST);
  tcp_output_emit (conn, seg, why);
}

void
tcp_output_rst_ack (TcpConn *conn, TcpSeq seq, const char *why)
{
  TcpSegment *seg = tcp_output_segment_new (conn, seq, TCP_FLAG_RST | TCP_FLAG_ACK);
  if (conn->stack->config.abort_rst_options)
    {
      /* Linux tcp_send_active_reset() hands the RST,ACK to tcp_transmit_skb():
       * tcp_established_options() adds TSopt (TSecr = ts_recent) and
       * tcp_select_window() the window, as for any segment. */
      if (conn->ts_ok)
        {
          seg->has_timestamps = TRUE;
          seg->tsval = tcp_stack_ts_clock (conn->stack, conn->ts_offset);
          seg->tsecr = conn->ts_recent;
        }
      seg->window = tcp_conn_announce_wnd (conn);
    }
  tcp_output_emit (conn, seg, why);
}

/* A segment with `len` bytes from the send buffer starting at `seq`. */
static void
tcp_output_data (TcpConn *conn, TcpSeq seq, guint32 len, gboolean fin,
                 gboolean retransmission, const char *why)
{
  guint8 flags = TCP_FLAG_ACK;
  if (fin)
    flags |= TCP_FLAG_FIN;
  TcpSegment *seg = tcp_output_segment_new (conn, seq, flags);
  if (len > 0)
    {
      guint32 at = seq - tcp_output_buf_seq (conn);
      g_assert (at + len <= conn->snd_buf->len);
      seg->payload = g_bytes_new (conn->snd_buf->data + at, len);
      /* PSH on the segment that empties what is queued (RFC 9293 3.9.1). */
      if (at + len == conn->snd_buf->len)
        seg->flags |= TCP_FLAG_PSH;
    }
  seg->retransmission = retransmission;
  tcp_output_emit (conn, seg, why);
}

static gboolean
tcp_output_may_send_data (TcpConn *conn)
{
  if (conn->dead || conn->fin_sent || conn->snd_una == conn->iss)
    return FALSE;
  switch (conn->state)
    {
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_FIN_WAIT_1: /* data queued before CLOSE still goes out */
    case TCP_STATE_CLOSING:    /* ... also after the peer's FIN came in */
    case TCP_STATE_LAST_ACK:
      return TRUE;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_TIME_WAIT:
      return FALSE;
    }
  return FALSE;
}

/* RFC 9293 3.10.4: CLOSE in SYN-RECEIVED with nothing to send forms a FIN
 * at once, before our SYN is acknowledged. */
static gboolean
tcp_output_fin_before_syn_acked (TcpConn *conn)
{
  return !conn->dead && conn->state == TCP_STATE_FIN_WAIT_1 && conn->snd_una == conn->iss
         && conn->fin_queued && !conn->fin_sent && conn->snd_buf->len == 0;
}

/* RFC 9293 3.10.4 CLOSE: "form a FIN segment and send it": the FIN takes
 * the sequence number SND.NXT, then SND.NXT advances over it. */
static void
tcp_output_fin (TcpConn *conn, const char *why)
{
  TcpSeq seq = conn->snd_nxt;
  conn->snd_nxt++;
  conn->fin_sent = TRUE;
  conn->fin_seq = seq;
  tcp_output_data (conn, seq, 0, TRUE, FALSE, why);
}

void
tcp_output_push (TcpConn *conn)
{
  if (tcp_output_fin_before_syn_acked (conn))
    {
      tcp_output_fin (conn, "FIN (CLOSE in SYN-RECEIVED)");
      return;
    }
  if (!tcp_output_may_send_data (conn))
    return;
  guint32 mss = tcp_conn_eff_mss (conn);
  gboolean sent_any = FALSE;
  for (;;)
    {
      guint32 unsent = conn->snd_buf->len - tcp_output_sent_bytes (conn);
      TcpSeq wnd_end = conn->snd_una + conn->snd_wnd;
      guint32 usable = tcp_seq_gt (wnd_end, conn->snd_nxt) ? wnd_end - conn->snd_nxt : 0;
      if (unsent == 0)
        break;
      if (usable == 0)
        {
          /* RFC 9293 3.8.6.1: a zero window with data waiting and nothing
           * in flight: probe on the retransmission timer. */
          if (conn->snd_wnd == 0 && conn->snd_una == conn->snd_nxt)
            tcp_timers_persist_start (conn);
          break;
        }
      guint32 n = MIN (MIN (unsent, usable), mss);
      gboolean fin = conn->fin_queued && n == unsent;
      TcpSeq seq = conn->snd_nxt;
      conn->snd_nxt += n + (fin ? 1 : 0);
      if (fin)
        {
          conn->fin_sent = TRUE;
          conn->fin_seq = conn->snd_nxt - 1;
        }
      tcp_output_data (conn, seq, n, fin, FALSE, fin ? "data and FIN" : "data");
      tcp_output_start_rtt (conn, conn->snd_nxt);
      sent_any = TRUE;
    }
  if (conn->fin_queued && !conn->fin_sent
      && tcp_output_sent_bytes (conn) == conn->snd_buf->len)
    {
      /* RFC 9293 3.10.4: all queued data is segmentized, send the FIN. */
      tcp_output_fin (conn, "FIN (CLOSE)");
      tcp_output_start_rtt (conn, conn->snd_nxt);
      sent_any = TRUE;
    }
  /* RFC 6298 (5.1): start the timer if it is not running. */
  if (sent_any && !sim_engine_is_pending (conn->stack->engine, conn->rexmit_timer))
    tcp_timers_rexmit_start (conn);
}

void
tcp_output_retransmit (TcpConn *conn, const char *why)
{
  switch (conn->state)
    {
    case TCP_STATE_SYN_SENT:
      tcp_output_syn (conn, TRUE, why);
      return;
    case TCP_STATE_SYN_RECEIVED:
      if (conn->snd_una == conn->iss)
        {
          tcp_output_syn (conn, TRUE, why);
          return;
        }
      break;
    case TCP_STATE_FIN_WAIT_1:
      if (conn->snd_una == conn->iss)
        {
          /* Closed in SYN-RECEIVED: the SYN,ACK comes first again. */
          tcp_output_syn (conn, TRUE, why);
          return;
        }
      break;
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
      break;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_TIME_WAIT:
      return;
    }
  if (conn->snd_una == conn->snd_nxt)
    return;
  guint32 outstanding = tcp_output_sent_bytes (conn);
  guint32 n = MIN (outstanding, (guint32) tcp_conn_eff_mss (conn));
  gboolean fin = conn->fin_sent && n == outstanding;
  tcp_output_data (conn, conn->snd_una, n, fin, TRUE, why);
}

void
tcp_output_probe (TcpConn *conn, const char *why)
{
  guint32 unsent = conn->snd_buf->len - tcp_output_sent_bytes (conn);
  if (unsent == 0 || conn->fin_sent)
    return;
  TcpSeq seq = conn->snd_nxt;
  conn->snd_nxt++;
  tcp_output_data (conn, seq, 1, FALSE, FALSE, why);
}
