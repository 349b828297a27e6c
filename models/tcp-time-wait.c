/* tcp-time-wait.c: TIME-WAIT records (RFC 9293 3.10.7.4 per-step rules for
 * TIME-WAIT, RFC 5961, RFC 1337, RFC 7323 PAWS). Rule order follows RFC
 * 9293 3.10.7.4: sequence check and RST, SYN, ACK, text, FIN.
 *
 * A SYN is judged by the time_wait_syn policy (challenge, rfc793, rfc1122,
 * rfc6191, linux, bsd, reject). A SYN that reopens the 4-tuple closes the
 * record and is handed to the LISTEN socket of its port with the ISS the
 * policy demands (the demux "recycle"); the new connection is the next
 * incarnation of the 4-tuple (the SYN's own). Not modelled: RFC 1122
 * condition (2), going back to TIME-WAIT when the reopening SYN turns out
 * to be an old duplicate (Linux does not either: "RED-PEN" in
 * tcp_minisocks.c); TS.Recent is frozen when the record is made. */
#include "tcp-time-wait.h"
#include "tcp-isn.h"

static void tcp_time_wait_timer_fired (gpointer data);

/* RFC 9293 3.4.2 (MUST-13): 2 x MSL, unless the time_wait setting fixes
 * it (Linux TCP_TIMEWAIT_LEN: 60 s whatever the MSL, facts 3.4). */
SimTime
tcp_time_wait_duration (TcpStack *stack)
{
  if (stack->config.time_wait > 0)
    return stack->config.time_wait;
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
      char *text = g_strdup_printf ("time-wait timer %s for %s (%s)", what, ds,
                                    stack->config.time_wait > 0 ? "time_wait setting"
                                                                : "2 x MSL");
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
  tw->ts_used = conn->ts_ok ? 1 : 0;
  tw->ts_recent = conn->ts_recent;
  tw->ts_offset = conn->ts_offset;

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

/* RFC 793 3.9 (and RFC 9293 without RFC 5961): "If the SYN is in the
 * window it is an error, send a reset"; outside the window, step one
 * answers with an ACK. */
static TcpTimeWaitVerdict
tcp_time_wait_syn_rfc793 (gboolean acceptable, char **rule)
{
  if (acceptable)
    {
      *rule = g_strdup ("SYN in window: RFC 793 3.9 fourth, RST and CLOSED");
      return TCP_TW_RST_AND_CLOSE;
    }
  *rule = g_strdup ("SYN outside RCV.WND: RFC 793 3.9 first, ACK sent");
  return TCP_TW_ACK;
}

/* A SYN (without RST) in TIME-WAIT, per the time_wait_syn policy. Only a
 * SYN without ACK may reopen (Linux "th->syn && !th->rst && !th->ack",
 * FreeBSD "(thflags & (TH_SYN | TH_ACK)) == TH_SYN"). */
static TcpTimeWaitVerdict
tcp_time_wait_check_syn (const TcpTimeWait *tw, const TcpSegment *seg, gboolean acceptable,
                         char **rule)
{
  const TcpConfig *config = &tw->stack->config;
  gboolean pure = !(seg->flags & TCP_FLAG_ACK);
  gboolean seq_above = tcp_seq_gt (seg->seq, tw->rcv_nxt);
  gboolean has_ts = tw->ts_used && seg->has_timestamps;
  gboolean ts_newer = has_ts && tcp_ts_before (tw->ts_recent, seg->tsval);
  gboolean ts_older = has_ts && tcp_ts_before (seg->tsval, tw->ts_recent);

  switch (config->time_wait_syn)
    {
    case TCP_TW_SYN_CHALLENGE:
      if (config->challenge_acks)
        {
          /* RFC 9293 3.10.7.4 fourth / RFC 5961 4.2: "irrespective of the
           * sequence number, TCP endpoints MUST send a 'challenge ACK'". */
          *rule = g_strdup ("SYN in TIME-WAIT: RFC 5961 4.2, challenge ACK");
          return TCP_TW_CHALLENGE_ACK;
        }
      return tcp_time_wait_syn_rfc793 (acceptable, rule);
    case TCP_TW_SYN_RFC793:
      return tcp_time_wait_syn_rfc793 (acceptable, rule);
    case TCP_TW_SYN_RFC1122:
      /* RFC 1122 4.2.2.13 / RFC 9293 3.6.1 (MAY-2): "it MAY accept a new
       * SYN from the remote TCP to reopen the connection directly from
       * TIME-WAIT state, if it: (1) assigns its initial sequence number
       * for the new connection to be larger than the largest sequence
       * number it used on the previous connection incarnation". A SYN
       * beyond RCV.NXT cannot be an old duplicate of the old connection. */
      if (pure && seq_above)
        {
          *rule = g_strdup_printf ("SYN with SEQ %u > RCV.NXT %u: RFC 1122 4.2.2.13 / "
                                   "RFC 9293 3.6.1 MAY-2, reopens", seg->seq, tw->rcv_nxt);
          return TCP_TW_RECYCLE;
        }
      return tcp_time_wait_syn_rfc793 (acceptable, rule);
    case TCP_TW_SYN_RFC6191:
      /* RFC 6191 2 (facts 2.2), BCP 159, RFC 9293 3.6.1 SHLD-4. */
      if (!pure)
        return tcp_time_wait_syn_rfc793 (acceptable, rule);
      if (tw->ts_used)
        {
          if (seg->has_timestamps && ts_newer)
            {
              *rule = g_strdup_printf ("SYN TSval %u > last TSval %u: RFC 6191 2, reopens",
                                       seg->tsval, tw->ts_recent);
              return TCP_TW_RECYCLE;
            }
          if (seg->has_timestamps && seg->tsval == tw->ts_recent && seq_above)
            {
              *rule = g_strdup_printf ("SYN TSval %u = last TSval, SEQ %u > RCV.NXT %u: "
                                       "RFC 6191 2, reopens", seg->tsval, seg->seq, tw->rcv_nxt);
              return TCP_TW_RECYCLE;
            }
          if (!seg->has_timestamps && seq_above)
            {
              *rule = g_strdup_printf ("SYN without TSopt, SEQ %u > RCV.NXT %u: RFC 6191 2, "
                                       "reopens", seg->seq, tw->rcv_nxt);
              return TCP_TW_RECYCLE;
            }
          *rule = g_strdup ("SYN neither newer by TSval nor by SEQ: RFC 6191 2, silently "
                            "dropped (TIME-WAIT stays)");
          return TCP_TW_DROP;
        }
      if (seg->has_timestamps)
        {
          *rule = g_strdup ("old connection without timestamps, SYN with TSopt: RFC 6191 2, "
                            "reopens");
          return TCP_TW_RECYCLE;
        }
      if (seq_above)
        {
          *rule = g_strdup_printf ("SYN with SEQ %u > RCV.NXT %u: RFC 6191 2, reopens",
                                   seg->seq, tw->rcv_nxt);
          return TCP_TW_RECYCLE;
        }
      *rule = g_strdup ("SYN with SEQ not above RCV.NXT: RFC 6191 2, silently dropped "
                        "(TIME-WAIT stays)");
      return TCP_TW_DROP;
    case TCP_TW_SYN_LINUX:
      /* Linux tcp_timewait_state_process (facts 3.4 step 3): "th->syn &&
       * !th->rst && !th->ack && !paws_reject && (after(seq, rcv_nxt) ||
       * (saw_tstamp && (s32)(tw_ts_recent - rcv_tsval) < 0))". */
      if (pure && !ts_older && (seq_above || ts_newer))
        {
          *rule = g_strdup_printf ("SYN with seq %u %s: Linux tcp_timewait_state_process, "
                                   "reopens with ISN snd_nxt + 65537",
                                   seg->seq, seq_above ? "after rcv_nxt" : "and a newer TSval");
          return TCP_TW_RECYCLE;
        }
      /* Step 5: "if (paws_reject || th->ack) inet_twsk_reschedule(tw,
       * TCP_TIMEWAIT_LEN)"; the ACK goes out either way. An ACKless SYN
       * "may be both old duplicate and new good SYN ... Do not reschedule
       * in the last case". */
      if (ts_older)
        {
          *rule = g_strdup_printf ("PAWS: TSval %u < TS.Recent %u (RFC 7323 5.3 R1; Linux "
                                   "tcp_timewait_state_process), ACK sent, timer restarted",
                                   seg->tsval, tw->ts_recent);
          return TCP_TW_ACK_AND_RESTART;
        }
      if (!pure)
        {
          *rule = g_strdup ("SYN,ACK in TIME-WAIT: Linux tcp_timewait_state_process, ACK sent, "
                            "timer restarted");
          return TCP_TW_ACK_AND_RESTART;
        }
      *rule = g_strdup_printf ("SYN with seq %u not after rcv_nxt %u: Linux "
                               "tcp_timewait_state_process, ACK sent (timer not restarted)",
                               seg->seq, tw->rcv_nxt);
      return TCP_TW_ACK;
    case TCP_TW_SYN_BSD:
      /* FreeBSD tcp_twcheck (facts 3.4): "(thflags & (TH_SYN | TH_ACK)) ==
       * TH_SYN && SEQ_GT(th->th_seq, tw->rcv_nxt)": close the record and
       * look up again; a SYN not above rcv_nxt has no ACK: dropped; a
       * SYN,ACK is not an exact duplicate ACK: ACKed. No PAWS. */
      if (pure && seq_above)
        {
          *rule = g_strdup_printf ("SYN with SEQ %u > rcv_nxt %u: FreeBSD tcp_twcheck, "
                                   "TIME-WAIT recycled", seg->seq, tw->rcv_nxt);
          return TCP_TW_RECYCLE;
        }
      if (pure)
        {
          *rule = g_strdup_printf ("SYN with SEQ %u not above rcv_nxt %u, no ACK bit: "
                                   "FreeBSD tcp_twcheck, dropped", seg->seq, tw->rcv_nxt);
          return TCP_TW_DROP;
        }
      *rule = g_strdup ("SYN,ACK in TIME-WAIT: FreeBSD tcp_twcheck, ACK sent");
      return TCP_TW_ACK;
    case TCP_TW_SYN_REJECT:
      *rule = g_strdup ("SYN in TIME-WAIT: time_wait_syn=reject, silently dropped");
      return TCP_TW_DROP;
    }
  *rule = g_strdup ("?");
  return TCP_TW_DROP;
}

TcpTimeWaitVerdict
tcp_time_wait_check (const TcpTimeWait *tw, const TcpSegment *seg, char **rule)
{
  const TcpConfig *config = &tw->stack->config;
  gboolean acceptable = tcp_time_wait_acceptable (tw, seg);

  /* RFC 7323 5.2: RSTs are not subject to PAWS. */
  if (seg->flags & TCP_FLAG_RST)
    {
      if (config->time_wait_rst == TCP_TW_RST_IGNORE)
        {
          *rule = g_strdup ("RST in TIME-WAIT: RFC 1337 F1, ignored");
          return TCP_TW_DROP;
        }
      if (!acceptable)
        {
          *rule = g_strdup ("RST outside RCV.WND: RFC 9293 3.10.7.4 first, dropped");
          return TCP_TW_DROP;
        }
      if (config->challenge_acks && seg->seq != tw->rcv_nxt)
        {
          *rule = g_strdup ("RST in window, not at RCV.NXT: RFC 5961 3.2, challenge ACK");
          return TCP_TW_CHALLENGE_ACK;
        }
      *rule = g_strdup ("valid RST in TIME-WAIT: RFC 9293 3.10.7.4 second, CLOSED "
                        "(TIME-WAIT assassination, RFC 1337)");
      return TCP_TW_CLOSE;
    }
  if (seg->flags & TCP_FLAG_SYN)
    return tcp_time_wait_check_syn (tw, seg, acceptable, rule);
  /* RFC 7323 5.3 R1 (TIME-WAIT is a synchronized state): an older TSval is
   * not acceptable, "Send an acknowledgment in reply ... and drop". */
  if (tw->ts_used && seg->has_timestamps && tcp_ts_before (seg->tsval, tw->ts_recent))
    {
      *rule = g_strdup_printf ("PAWS: TSval %u < TS.Recent %u (RFC 7323 5.3 R1), ACK sent",
                               seg->tsval, tw->ts_recent);
      return TCP_TW_PAWS_ACK;
    }
  /* RFC 9293 3.10.7.4 fifth and eighth (TIME-WAIT): "The only thing that can
   * arrive in this state is a retransmission of the remote FIN. Acknowledge
   * it, and restart the 2 MSL timeout." The FIN sits just before RCV.NXT,
   * so it is recognised before the window test would only ACK it. */
  if ((seg->flags & TCP_FLAG_FIN) && (seg->flags & TCP_FLAG_ACK)
      && seg->seq + tcp_segment_len (seg) == tw->rcv_nxt)
    {
      *rule = g_strdup ("retransmitted FIN: RFC 9293 3.10.7.4 fifth, ACK and restart 2 MSL");
      return TCP_TW_ACK_AND_RESTART;
    }
  if (!acceptable)
    {
      *rule = g_strdup ("outside RCV.WND: RFC 9293 3.10.7.4 first, ACK sent");
      return TCP_TW_ACK;
    }
  if (!(seg->flags & TCP_FLAG_ACK))
    {
      *rule = g_strdup ("no ACK bit: RFC 9293 3.10.7.4 fifth, dropped");
      return TCP_TW_DROP;
    }
  if (seg->flags & TCP_FLAG_FIN)
    {
      *rule = g_strdup ("FIN in TIME-WAIT: RFC 9293 3.10.7.4 eighth, ACK and restart 2 MSL");
      return TCP_TW_ACK_AND_RESTART;
    }
  if (tcp_segment_payload_len (seg) > 0)
    {
      *rule = g_strdup ("data in TIME-WAIT: RFC 9293 3.10.7.4 seventh, text ignored, ACK sent");
      return TCP_TW_ACK;
    }
  *rule = g_strdup ("ACK in TIME-WAIT: RFC 9293 3.10.7.4 fifth, nothing to do");
  return TCP_TW_DROP;
}

TcpSeq
tcp_time_wait_reopen_iss (const TcpTimeWait *tw)
{
  TcpStack *stack = tw->stack;
  switch (stack->config.time_wait_syn)
    {
    case TCP_TW_SYN_LINUX:
      {
        /* Linux tcp_timewait_state_process: "u32 isn = tcptw->tw_snd_nxt +
         * 65535 + 2; if (isn == 0) isn++;" (facts 2.4, 3.4). */
        TcpSeq isn = tw->snd_nxt + 65535 + 2;
        return isn != 0 ? isn : 1;
      }
    case TCP_TW_SYN_BSD:
      /* FreeBSD closes the record and the syncache draws a fresh ISN
       * (tcp_new_isn); nothing ties it to the old sequence space. (4.4BSD
       * used snd_nxt + TCP_ISSINCR.) */
      return tcp_isn_generate (stack, &tw->tuple);
    case TCP_TW_SYN_RFC1122:
    case TCP_TW_SYN_RFC6191:
    case TCP_TW_SYN_CHALLENGE:
    case TCP_TW_SYN_RFC793:
    case TCP_TW_SYN_REJECT:
      {
        /* RFC 1122 4.2.2.13 condition (1): larger than the largest
         * sequence number used before (SND.NXT - 1). When the generator
         * does not give that (fixed, or a clock that fell behind), jump a
         * maximum window past SND.NXT as Linux does. */
        TcpSeq isn = tcp_isn_generate (stack, &tw->tuple);
        if (tcp_seq_geq (isn, tw->snd_nxt))
          return isn;
        return tw->snd_nxt + 65535 + 2;
      }
    }
  return tw->snd_nxt + 65535 + 2;
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
    case TCP_TW_PAWS_ACK:
      return "paws";
    case TCP_TW_RECYCLE:
      return "recycle";
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
  /* RFC 7323 3.2: TSopt on every non-RST segment of a timestamp
   * connection, TSecr = TS.Recent. */
  if (tw->ts_used && !(flags & TCP_FLAG_RST))
    {
      seg->has_timestamps = TRUE;
      seg->tsval = tcp_stack_ts_clock (tw->stack, tw->ts_offset);
      seg->tsecr = tw->ts_recent;
    }
  seg->conn_id = tw->conn_id;
  seg->incarnation = tw->incarnation;
  /* The record keeps no stream offset; a segment without payload has none
   * to report. */
  seg->stream_offset = 0;
  tcp_stack_send (tw->stack, seg, tw->conn_id, tw->incarnation, why);
}

/* "tcp.assassinated": a RST closed the record (RFC 1337 TWA). */
static void
tcp_time_wait_note_assassinated (TcpTimeWait *tw, const TcpSegment *seg)
{
  TcpStack *stack = tw->stack;
  if (!tcp_stack_tracing (stack))
    return;
  SimTrace *trace = sim_engine_trace (stack->engine);
  SimTraceEvent *ev = sim_trace_begin (trace, tcp_stack_now (stack), "tcp.assassinated",
                                       stack->host_name);
  sim_trace_field_int (ev, "conn", (gint64) tw->conn_id);
  sim_trace_field_int (ev, "inc", tw->incarnation);
  sim_trace_field_int (ev, "seg", (gint64) seg->id);
  sim_trace_field_int (ev, "seg_inc", seg->incarnation);
  sim_trace_field_int (ev, "seq", seg->seq);
  sim_trace_text (ev, "TIME-WAIT assassinated by RST seq=%u (RFC 1337 TWA; RFC 9293 3.10.7.4 "
                  "closes TIME-WAIT on a valid RST)", seg->seq);
  sim_trace_publish (trace, ev);
}

TcpTimeWaitVerdict
tcp_time_wait_segment_arrives (TcpTimeWait *tw, TcpSegment *seg)
{
  TcpStack *stack = tw->stack;
  char *rule = NULL;
  TcpTimeWaitVerdict v = tcp_time_wait_check (tw, seg, &rule);
  TcpListener *listener = NULL;
  if (v == TCP_TW_RECYCLE)
    {
      /* The demux "recycle": look up the LISTEN socket of the port again. */
      listener = tcp_stack_find_listener (stack, seg->dst);
      if (listener == NULL && stack->config.time_wait_syn != TCP_TW_SYN_BSD)
        {
          /* Linux tcp_v4_rcv: TCP_TW_SYN without a listener falls through
           * "to ACK"; the record stays. */
          char *r = g_strdup_printf ("%s; no listener: ACK sent, TIME-WAIT stays", rule);
          g_free (rule);
          rule = r;
          v = TCP_TW_ACK;
        }
      else if (listener == NULL)
        {
          /* FreeBSD: the record is closed first, the new lookup finds
           * nothing: RFC 9293 3.5.2 group 1 RST. */
          char *r = g_strdup_printf ("%s; no listener: RST (RFC 9293 3.5.2)", rule);
          g_free (rule);
          rule = r;
        }
    }
  tcp_trace_recv (stack, seg, tw->conn_id, tw->incarnation, "TIME-WAIT",
                  tcp_time_wait_verdict_name (v), rule);
  g_free (rule);
  switch (v)
    {
    case TCP_TW_DROP:
      break;
    case TCP_TW_ACK:
      tcp_time_wait_send (tw, TCP_FLAG_ACK, "ACK from TIME-WAIT (RFC 9293 3.10.7.4)");
      break;
    case TCP_TW_PAWS_ACK:
      tcp_time_wait_send (tw, TCP_FLAG_ACK, "ACK of PAWS-rejected segment (RFC 7323 5.3 R1)");
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
      tcp_time_wait_note_assassinated (tw, seg);
      tcp_time_wait_close (tw, "RST: TIME-WAIT assassination (RFC 1337)");
      break;
    case TCP_TW_RECYCLE:
      if (listener != NULL)
        {
          TcpSeq iss = tcp_time_wait_reopen_iss (tw);
          tcp_time_wait_close (tw, "reopened by a new SYN");
          tcp_input_listen (listener, seg, &iss);
        }
      else
        {
          tcp_time_wait_close (tw, "recycled by a new SYN (FreeBSD tcp_twcheck)");
          tcp_stack_send_reset_for (stack, seg, 0, 0, "RST: no connection (RFC 9293 3.5.2)");
        }
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
  gboolean fixed = tw->stack->config.time_wait > 0;
  if (tcp_stack_tracing (tw->stack))
    tcp_trace_timer (tw->stack, tw->conn_id, "time-wait", "fired", tcp_stack_now (tw->stack),
                     -1, fixed ? "time-wait timer fired (time_wait elapsed)"
                               : "time-wait timer fired (2 x MSL elapsed)");
  tw->timer = SIM_EVENT_ID_NONE;
  tcp_time_wait_close (tw, fixed ? "time_wait elapsed" : "2 x MSL elapsed");
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
