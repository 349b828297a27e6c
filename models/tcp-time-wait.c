/* tcp-time-wait.c: TIME-WAIT records (RFC 9293 3.10.7.4 per-step rules for
 * TIME-WAIT, RFC 5961, RFC 1337). Rule order follows RFC 9293 3.10.7.4:
 * sequence check and RST, SYN, ACK, text, FIN. */
#include "tcp-time-wait.h"

static void tcp_time_wait_timer_fired (gpointer data);

/* RFC 9293 3.4.2 (MUST-13): 2 x MSL, a named policy of this module. */
static SimTime
tcp_time_wait_duration (TcpStack *stack)
{
  return 2 * stack->config.msl;
}

static void
tcp_time_wait_start_timer (TcpTimeWait *tw, const char *what)
{
  TcpStack *stack = tw->stack;
  SimTime d = tcp_time_wait_duration (stack);
  sim_engine_cancel_clear (stack->engine, &tw->timer);
  tw->timer = sim_engine_schedule_after (stack->engine, d, tcp_time_wait_timer_fired, tw);
  if (tcp_stack_tracing (stack))
    {
      char *ds = sim_time_format (d);
      char *text = g_strdup_printf ("time-wait timer %s for %s (2 x MSL)", what, ds);
      tcp_trace_timer (stack, tw->conn_id, "time-wait", "set", tcp_stack_now (stack) + d, -1, text);
      g_free (text);
      g_free (ds);
    }
}

TcpTimeWait *
tcp_time_wait_enter (TcpConn *conn, TcpState from, const char *reason)
{
  TcpStack *stack = conn->stack;
  TcpTimeWait *tw = g_new0 (TcpTimeWait, 1);
  tw->kind = TCP_ENTRY_TIME_WAIT;
  tw->stack = stack;
  tw->tuple = conn->tuple;
  tw->snd_nxt = conn->snd_nxt;
  tw->rcv_nxt = conn->rcv_nxt;
  tw->rcv_wnd = tcp_conn_rcv_wnd (conn);
  tw->conn_id = conn->id;
  tw->incarnation = conn->incarnation;
  tw->bind_flags = conn->bind_flags;
  tw->timer = SIM_EVENT_ID_NONE;

  /* The record takes the TCB's place in the per-port list (creation order). */
  tw->port_link = conn->port_link;
  conn->port_link = NULL;
  if (tw->port_link != NULL)
    tw->port_link->data = tw;
  conn->state = TCP_STATE_TIME_WAIT;
  tcp_trace_state (stack, tw->conn_id, tw->incarnation, &tw->tuple, from,
                   TCP_STATE_TIME_WAIT, reason);
  tcp_conn_release_quietly (conn); /* out of the conn table, released */
  g_hash_table_insert (stack->time_waits, &tw->tuple, tw);
  stack->n_time_waits++;
  /* RFC 9293 3.10.7.4 eighth: "start the time-wait timer, turn off the
   * other timers". */
  tcp_time_wait_start_timer (tw, "set");
  return tw;
}

/* RFC 9293 3.10.7.4 Table 6, with TIME-WAIT's frozen RCV.NXT and RCV.WND. */
static gboolean
tcp_time_wait_acceptable (const TcpTimeWait *tw, const TcpSegment *seg)
{
  guint32 len = tcp_segment_len (seg);
  TcpSeq end = tw->rcv_nxt + tw->rcv_wnd;
  if (len == 0 && tw->rcv_wnd == 0)
    return seg->seq == tw->rcv_nxt;
  if (len == 0)
    return tcp_seq_in_range (seg->seq, tw->rcv_nxt, end);
  if (tw->rcv_wnd == 0)
    return FALSE;
  return tcp_seq_in_range (seg->seq, tw->rcv_nxt, end)
         || tcp_seq_in_range (seg->seq + len - 1, tw->rcv_nxt, end);
}

TcpTimeWaitVerdict
tcp_time_wait_check (const TcpTimeWait *tw, const TcpSegment *seg, const char **rule)
{
  const TcpConfig *config = &tw->stack->config;
  gboolean acceptable = tcp_time_wait_acceptable (tw, seg);

  if (seg->flags & TCP_FLAG_RST)
    {
      if (config->time_wait_rst == TCP_TW_RST_IGNORE)
        {
          *rule = "RST in TIME-WAIT: RFC 1337 F1, ignored";
          return TCP_TW_DROP;
        }
      if (!acceptable)
        {
          *rule = "RST outside RCV.WND: RFC 9293 3.10.7.4 first, dropped";
          return TCP_TW_DROP;
        }
      if (config->challenge_acks && seg->seq != tw->rcv_nxt)
        {
          *rule = "RST in window, not at RCV.NXT: RFC 5961 3.2, challenge ACK";
          return TCP_TW_CHALLENGE_ACK;
        }
      *rule = "valid RST in TIME-WAIT: RFC 9293 3.10.7.4 second, CLOSED (TIME-WAIT assassination, RFC 1337)";
      return TCP_TW_CLOSE;
    }
  if (seg->flags & TCP_FLAG_SYN)
    {
      if (config->challenge_acks)
        {
          *rule = "SYN in TIME-WAIT: RFC 5961 4.2, challenge ACK";
          return TCP_TW_CHALLENGE_ACK;
        }
      if (acceptable)
        {
          *rule = "SYN in window: RFC 793 3.9 fourth, RST and CLOSED";
          return TCP_TW_RST_AND_CLOSE;
        }
      *rule = "SYN outside RCV.WND: RFC 793 3.9 first, ACK sent";
      return TCP_TW_ACK;
    }
  /* RFC 9293 3.10.7.4 fifth and eighth (TIME-WAIT): "The only thing that can
   * arrive in this state is a retransmission of the remote FIN. Acknowledge
   * it, and restart the 2 MSL timeout." The FIN sits just before RCV.NXT,
   * so it is recognised before the window test would only ACK it. */
  if ((seg->flags & TCP_FLAG_FIN) && (seg->flags & TCP_FLAG_ACK)
      && seg->seq + tcp_segment_len (seg) == tw->rcv_nxt)
    {
      *rule = "retransmitted FIN: RFC 9293 3.10.7.4 fifth, ACK and restart 2 MSL";
      return TCP_TW_ACK_AND_RESTART;
    }
  if (!acceptable)
    {
      *rule = "outside RCV.WND: RFC 9293 3.10.7.4 first, ACK sent";
      return TCP_TW_ACK;
    }
  if (!(seg->flags & TCP_FLAG_ACK))
    {
      *rule = "no ACK bit: RFC 9293 3.10.7.4 fifth, dropped";
      return TCP_TW_DROP;
    }
  if (seg->flags & TCP_FLAG_FIN)
    {
      *rule = "FIN in TIME-WAIT: RFC 9293 3.10.7.4 eighth, ACK and restart 2 MSL";
      return TCP_TW_ACK_AND_RESTART;
    }
  if (tcp_segment_payload_len (seg) > 0)
    {
      *rule = "data in TIME-WAIT: RFC 9293 3.10.7.4 seventh, text ignored, ACK sent";
      return TCP_TW_ACK;
    }
  *rule = "ACK in TIME-WAIT: RFC 9293 3.10.7.4 fifth, nothing to do";
  return TCP_TW_DROP;
}

static const char *
tcp_time_wait_verdict_name (TcpTimeWaitVerdict v)
{
  switch (v)
    {
    case TCP_TW_DROP:
      return "dropped";
    case TCP_TW_ACK:
    case TCP_TW_ACK_AND_RESTART:
      return "time-wait";
    case TCP_TW_CHALLENGE_ACK:
      return "challenge-ack";
    case TCP_TW_RST_AND_CLOSE:
      return "rst";
    case TCP_TW_CLOSE:
      return "reset";
    }
  return "?";
}

static void
tcp_time_wait_send (TcpTimeWait *tw, guint8 flags, const char *why)
{
  TcpSegment *seg = tcp_segment_new ();
  seg->src = tw->tuple.local;
  seg->dst = tw->tuple.remote;
  seg->seq = tw->snd_nxt;
  seg->ack = (flags & TCP_FLAG_ACK) ? tw->rcv_nxt : 0;
  seg->flags = flags;
  seg->window = (flags & TCP_FLAG_RST) ? 0 : tw->rcv_wnd;
  seg->conn_id = tw->conn_id;
  seg->incarnation = tw->incarnation;
  /* The record keeps no stream offset; a segment without payload has none
   * to report. */
  seg->stream_offset = 0;
  tcp_stack_send (tw->stack, seg, tw->conn_id, tw->incarnation, why);
}

TcpTimeWaitVerdict
tcp_time_wait_segment_arrives (TcpTimeWait *tw, TcpSegment *seg)
{
  const char *rule = NULL;
  TcpTimeWaitVerdict v = tcp_time_wait_check (tw, seg, &rule);
  tcp_trace_recv (tw->stack, seg, tw->conn_id, tw->incarnation, "TIME-WAIT",
                  tcp_time_wait_verdict_name (v), rule);
  switch (v)
    {
    case TCP_TW_DROP:
      break;
    case TCP_TW_ACK:
      tcp_time_wait_send (tw, TCP_FLAG_ACK, "ACK from TIME-WAIT (RFC 9293 3.10.7.4)");
      break;
    case TCP_TW_ACK_AND_RESTART:
      tcp_time_wait_send (tw, TCP_FLAG_ACK, "ACK of retransmitted FIN (TIME-WAIT)");
      tcp_time_wait_start_timer (tw, "restarted");
      break;
    case TCP_TW_CHALLENGE_ACK:
      tcp_time_wait_send (tw, TCP_FLAG_ACK, (seg->flags & TCP_FLAG_RST)
                          ? "challenge ACK (RFC 5961 3.2)" : "challenge ACK (RFC 5961 4.2)");
      break;
    case TCP_TW_RST_AND_CLOSE:
      tcp_time_wait_send (tw, TCP_FLAG_RST, "RST: SYN in window (RFC 793 3.9)");
      tcp_time_wait_close (tw, "in-window SYN (RFC 793 3.9)");
      break;
    case TCP_TW_CLOSE:
      tcp_time_wait_close (tw, "RST: TIME-WAIT assassination (RFC 1337)");
      break;
    }
  return v;
}

void
tcp_time_wait_close (TcpTimeWait *tw, const char *reason)
{
  TcpStack *stack = tw->stack;
  tcp_trace_state (stack, tw->conn_id, tw->incarnation, &tw->tuple, TCP_STATE_TIME_WAIT,
                   TCP_STATE_CLOSED, reason);
  g_hash_table_remove (stack->time_waits, &tw->tuple);
  g_assert (stack->n_time_waits > 0);
  stack->n_time_waits--;
  if (tw->port_link != NULL)
    tcp_stack_port_unlink (stack, tw->tuple.local.port, tw->port_link);
  tw->port_link = NULL;
  tcp_time_wait_free (tw);
}

void
tcp_time_wait_expire (TcpTimeWait *tw)
{
  if (tcp_stack_tracing (tw->stack))
    tcp_trace_timer (tw->stack, tw->conn_id, "time-wait", "fired", tcp_stack_now (tw->stack),
                     -1, "time-wait timer fired (2 x MSL elapsed)");
  tw->timer = SIM_EVENT_ID_NONE;
  tcp_time_wait_close (tw, "2 x MSL elapsed");
}

static void
tcp_time_wait_timer_fired (gpointer data)
{
  tcp_time_wait_expire (data);
}

void
tcp_time_wait_free (TcpTimeWait *tw)
{
  if (tw == NULL)
    return;
  sim_engine_cancel_clear (tw->stack->engine, &tw->timer);
  g_free (tw);
}
