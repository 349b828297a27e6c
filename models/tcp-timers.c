/* tcp-timers.c: the retransmission timer of RFC 6298 (SRTT, RTTVAR, RTO,
 * Karn's rule, exponential backoff, clamps), retry limits, and the same
 * timer used as the persist timer for zero-window probes (RFC 9293
 * 3.8.6.1). Timers are engine events; the TCB keeps the SimEventId. */
#include "tcp-internal.h"

/* RFC 6298 (2.2): "G" the clock granularity; virtual time is exact, we
 * take 1 ms so that RTO never collapses onto SRTT. */
#define TCP_CLOCK_GRANULARITY SIM_MS
/* RFC 6298 (5.7): the RTO after a SYN timeout (Linux TCP_TIMEOUT_FALLBACK). */
#define TCP_RTO_FALLBACK (3 * SIM_S)

static void tcp_timers_rexmit_fired (gpointer data);

static const char *
tcp_timers_name (TcpConn *conn)
{
  return conn->persist ? "persist" : "retransmit";
}

/* RFC 6298 (2.4) rounds up to rto_min, (2.5) caps at rto_max. */
static SimTime
tcp_timers_clamp (TcpConn *conn, SimTime rto)
{
  const TcpConfig *c = &conn->stack->config;
  if (rto < c->rto_min)
    rto = c->rto_min;
  if (rto > c->rto_max)
    rto = c->rto_max;
  return rto;
}

/* RFC 9293 3.8.6.1: probes SHOULD be spaced exponentially; the persist
 * interval backs off on its own and leaves RTO alone. */
static SimTime
tcp_timers_interval (TcpConn *conn)
{
  if (!conn->persist)
    return conn->rto;
  SimTime interval = conn->rto;
  for (guint i = 0; i < conn->persist_backoff && interval < conn->stack->config.rto_max; i++)
    interval *= 2;
  return tcp_timers_clamp (conn, interval);
}

static gboolean tcp_timers_tlp_due (TcpConn *conn);
static SimTime  tcp_timers_pto     (TcpConn *conn, SimTime rto);

void
tcp_timers_rexmit_start (TcpConn *conn)
{
  TcpStack *stack = conn->stack;
  SimTime interval = tcp_timers_interval (conn);
  if (tcp_timers_tlp_due (conn))
    interval = tcp_timers_pto (conn, interval);
  conn->rexmit_rearmed = FALSE;
  sim_engine_cancel_clear (stack->engine, &conn->rexmit_timer);
  conn->rexmit_timer = sim_engine_schedule_after (stack->engine, interval,
                                                  tcp_timers_rexmit_fired, conn);
  SimTraceEvent *ev = tcp_trace_timer_begin (stack, conn->id, tcp_timers_name (conn), "set",
                                             tcp_stack_now (stack) + interval,
                                             (gint) (conn->persist ? conn->persist_backoff
                                                                   : conn->retries));
  if (ev != NULL)
    {
      if (sim_trace_needs_text (ev))
        {
          char *d = sim_time_format (interval);
          sim_trace_text (ev, "%s timer set for %s", tcp_timers_name (conn), d);
          g_free (d);
        }
      tcp_trace_publish (stack, ev);
    }
}

/* Linux TCP_TIMEOUT_MIN (include/net/tcp.h): "2U" jiffies, 8 ms with HZ=250. */
SimTime
tcp_timers_timeout_min (const TcpConfig *config)
{
  guint hz = config->hz != 0 ? config->hz : 1000;
  return 2 * SIM_S / hz;
}

void
tcp_timers_rexmit_rearm (TcpConn *conn, SimTime interval, const char *why)
{
  TcpStack *stack = conn->stack;
  conn->rexmit_rearmed = TRUE;
  sim_engine_cancel_clear (stack->engine, &conn->rexmit_timer);
  conn->rexmit_timer = sim_engine_schedule_after (stack->engine, interval,
                                                  tcp_timers_rexmit_fired, conn);
  if (tcp_stack_tracing (stack))
    {
      char *d = sim_time_format (interval);
      char *text = g_strdup_printf ("%s timer re-armed for %s (%s)", tcp_timers_name (conn), d,
                                    why);
      tcp_trace_timer (stack, conn->id, tcp_timers_name (conn), "set",
                       tcp_stack_now (stack) + interval, (gint) conn->retries, text);
      g_free (text);
      g_free (d);
    }
}

void
tcp_timers_rexmit_stop (TcpConn *conn)
{
  TcpStack *stack = conn->stack;
  if (!sim_engine_is_pending (stack->engine, conn->rexmit_timer))
    return;
  SimTime at = sim_engine_time_of (stack->engine, conn->rexmit_timer);
  sim_engine_cancel_clear (stack->engine, &conn->rexmit_timer);
  SimTraceEvent *ev = tcp_trace_timer_begin (stack, conn->id, tcp_timers_name (conn),
                                             "cancelled", at, (gint) conn->retries);
  if (ev != NULL)
    {
      sim_trace_text (ev, "%s timer cancelled", tcp_timers_name (conn));
      tcp_trace_publish (stack, ev);
    }
}

void
tcp_timers_persist_start (TcpConn *conn)
{
  if (sim_engine_is_pending (conn->stack->engine, conn->rexmit_timer))
    return;
  if (!conn->persist)
    conn->persist_backoff = 0;
  conn->persist = TRUE;
  tcp_timers_rexmit_start (conn);
}

/* The peer's window opened (RFC 9293 3.8.6.1): persist ends. Whatever
 * was sent beyond the old window (a probe octet, data, a FIN) counts as not
 * sent: SND.NXT goes back to SND.UNA and tcp_output_push sends it again
 * within the new window, the FIN after the data. */
void
tcp_timers_persist_leave (TcpConn *conn)
{
  conn->persist = FALSE;
  conn->snd_nxt = conn->snd_una;
  if (conn->fin_sent && !tcp_seq_gt (conn->snd_una, conn->fin_seq))
    conn->fin_sent = FALSE;
  conn->rtt_timing = FALSE;
  tcp_timers_rexmit_stop (conn);
}

void
tcp_timers_stop_all (TcpConn *conn)
{
  sim_engine_cancel_clear (conn->stack->engine, &conn->rexmit_timer);
  sim_engine_cancel_clear (conn->stack->engine, &conn->fin_wait_2_timer);
  sim_engine_cancel_clear (conn->stack->engine, &conn->delack_timer);
}

static void
tcp_timers_delack_fired (gpointer data)
{
  TcpConn *conn = data;
  conn->delack_timer = SIM_EVENT_ID_NONE;
  if (conn->dead || !conn->ack_pending)
    return;
  tcp_conn_enter (conn);
  tcp_output_ack (conn, "delayed ACK (Linux tcp_delack_timer, TCP_ATO_MIN)");
  tcp_conn_leave (conn);
}

/* Linux tcp_send_delayed_ack(): the ACK leaves after `ato` unless a segment
 * carries it first (tcp_event_ack_sent() clears the timer). */
void
tcp_timers_delack_start (TcpConn *conn, SimTime ato)
{
  if (conn->delack_timer.slot != 0)
    return;
  conn->delack_timer = sim_engine_schedule_after (conn->stack->engine, ato,
                                                  tcp_timers_delack_fired, conn);
}

/* RTO from SRTT and RTTVAR. RFC 6298 (2.3): "RTO <- SRTT + max (G,
 * K*RTTVAR)", rounded up to rto_min (2.4) and capped (2.5). Linux
 * __tcp_set_rto(): "(tp->srtt_us >> 3) + tp->rttvar_us", where
 * tcp_rtt_estimator() keeps rttvar_us at least tcp_rto_min_us(): RTO =
 * SRTT + max (4 x RTTVAR, rto_min); tcp_bound_rto() caps it at
 * TCP_RTO_MAX. (Linux's per-window mdev_max tracking is not modelled.) */
static SimTime
tcp_timers_rto_from_estimate (TcpConn *conn)
{
  const TcpConfig *c = &conn->stack->config;
  if (c->rto_linux)
    return MIN (conn->srtt + MAX (4 * conn->rttvar, c->rto_min), c->rto_max);
  return tcp_timers_clamp (conn, conn->srtt + MAX (TCP_CLOCK_GRANULARITY, 4 * conn->rttvar));
}

/* RFC 6298 (2.2) first sample and (2.3) later samples, alpha 1/8,
 * beta 1/4, K 4, in integer nanoseconds. */
void
tcp_timers_rtt_sample (TcpConn *conn, SimTime r)
{
  if (!conn->have_rtt)
    {
      conn->srtt = r;
      conn->rttvar = r / 2;
      conn->have_rtt = TRUE;
    }
  else
    {
      SimTime delta = conn->srtt > r ? conn->srtt - r : r - conn->srtt;
      conn->rttvar = (3 * conn->rttvar + delta) / 4; /* RTTVAR first */
      conn->srtt = (7 * conn->srtt + r) / 8;
    }
  conn->rto = tcp_timers_rto_from_estimate (conn);
}

/* Linux tcp_write_timeout(): for a SOCK_DEAD socket (an orphan) "retry_until
 * = tcp_orphan_retries(sk, alive)", alive = "icsk->icsk_rto < TCP_RTO_MAX".
 * tcp_orphan_retries() (net/ipv4/tcp_timer.c) takes the sysctl
 * tcp_orphan_retries (default 0), and "if (retries == 0 && alive) retries
 * = 8" ("8 corresponds to >100 seconds with minimal RTO of 200msec"). (The
 * sk_err_soft case, an ICMP error seen, is not modelled.) */
static guint
tcp_timers_orphan_retries (TcpConn *conn)
{
  const TcpConfig *c = &conn->stack->config;
  gboolean alive = conn->rto < c->rto_max;
  if (c->orphan_retries == 0 && alive)
    return 8;
  return (guint) c->orphan_retries;
}

/* RFC 6298 (5.7): "If the timer expires awaiting the ACK of a SYN segment
 * and the TCP implementation is using an RTO less than 3 seconds, the RTO
 * MUST be re-initialized to 3 seconds when data transmission begins".
 * Linux tcp_init_metrics(): no RTT sample from the handshake (srtt 0) ->
 * icsk_rto = TCP_TIMEOUT_FALLBACK (3 s). Here the handshake yields no
 * sample exactly when the SYN or SYN,ACK was retransmitted (Karn; RTT is
 * not taken from timestamps), so both conditions are the same. Not
 * modelled: Linux with timestamps measures the handshake RTT from TSecr
 * even after a retransmission and then keeps that RTO. Called when our
 * SYN is acknowledged, after any RTT sample. */
void
tcp_timers_handshake_done (TcpConn *conn)
{
  if (conn->have_rtt || conn->retries == 0 || conn->stack->config.rto_initial >= TCP_RTO_FALLBACK)
    return;
  conn->rto = tcp_timers_clamp (conn, TCP_RTO_FALLBACK);
  if (tcp_stack_tracing (conn->stack))
    tcp_trace_timer (conn->stack, conn->id, "retransmit", "rto", tcp_stack_now (conn->stack),
                     (gint) conn->retries,
                     "SYN timed out: RTO re-initialized to 3s for data (RFC 6298 5.7)");
}

/* Retransmissions allowed before giving up, by what is outstanding. */
static guint
tcp_timers_retry_limit (TcpConn *conn)
{
  const TcpConfig *c = &conn->stack->config;
  switch (conn->state)
    {
    case TCP_STATE_SYN_SENT:
      return c->syn_retries;
    case TCP_STATE_SYN_RECEIVED:
      return conn->passive ? c->synack_retries : c->syn_retries;
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
      if (conn->orphan && c->orphan_retries >= 0)
        return tcp_timers_orphan_retries (conn);
      return c->data_retries;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_TIME_WAIT:
      return c->data_retries;
    }
  return c->data_retries;
}

/* Linux tcp_model_timeout(boundary, rto_base): the time `boundary`
 * retransmissions with exponential backoff take, from rto_base, with the
 * RTO capped at rto_max. */
static SimTime
tcp_timers_model_timeout (const TcpConfig *c, guint boundary)
{
  guint thresh = 0;
  while (thresh < 30 && (c->rto_initial << (thresh + 1)) <= c->rto_max)
    thresh++;
  if (boundary <= thresh)
    return (SimTime) ((2u << boundary) - 1) * c->rto_initial;
  return (SimTime) ((2u << thresh) - 1) * c->rto_initial + (SimTime) (boundary - thresh) * c->rto_max;
}

/* Whether the retransmission timer gives up instead of retransmitting. With
 * syn_linear_timeouts, SYN-SENT gives up by time (tcp_write_timeout(): the
 * retransmissions tcp_syn_retries would take with backoff, measured from the
 * first SYN), as Linux 6.18 did in tests/packetdrill/sockets/
 * connect-syn-retries-timeout.pkt: tcp_syn_retries 2, SYNs at 0..5 s, ETIMEDOUT
 * at 7 s. */
static gboolean
tcp_timers_syn_given_up (TcpConn *conn)
{
  const TcpConfig *c = &conn->stack->config;
  if (c->syn_linear_timeouts > 0 && conn->state == TCP_STATE_SYN_SENT)
    return tcp_stack_now (conn->stack) - conn->syn_first_sent
           >= tcp_timers_model_timeout (c, c->syn_retries);
  /* Linux tcp_write_timeout() for an orphan (SOCK_DEAD): retransmits_timed_out(sk,
   * tcp_orphan_retries(), 0) counts time, tcp_model_timeout() from TCP_RTO_MIN,
   * since retrans_stamp (the first RTO retransmission; a tail loss probe does
   * not set it). tcp_orphan_retries 1: retransmissions at +RTO and +2 RTO,
   * given up once 600 ms passed since the first. */
  if (c->rto_linux && c->orphan_retries >= 0 && conn->orphan
      && (conn->state == TCP_STATE_FIN_WAIT_1 || conn->state == TCP_STATE_CLOSING
          || conn->state == TCP_STATE_LAST_ACK))
    {
      if (conn->retries == 0 || conn->rexmit_stamp == 0)
        return FALSE;
      TcpConfig base = *c;
      base.rto_initial = c->rto_min;
      return tcp_stack_now (conn->stack) - conn->rexmit_stamp
             >= tcp_timers_model_timeout (&base, tcp_timers_orphan_retries (conn));
    }
  return conn->retries >= tcp_timers_retry_limit (conn);
}

/* Linux tcp_schedule_loss_probe() (net/ipv4/tcp_output.c): a tail loss
 * probe is due when TLP is on, SACK was negotiated (tcp_is_sack), something
 * is outstanding, no RTO has fired and no probe went since the last new
 * ACK (tlp_high_seq). Not in SYN-SENT/SYN-RECEIVED (the SYN has its own
 * timer) nor while probing a zero window. */
static gboolean
tcp_timers_tlp_due (TcpConn *conn)
{
  const TcpConfig *c = &conn->stack->config;
  if (!c->tlp || conn->persist || conn->tlp_sent || conn->retries != 0
      || !c->sack_permitted || !conn->peer_sack_ok || conn->snd_una == conn->snd_nxt)
    return FALSE;
  switch (conn->state)
    {
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
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

/* The PTO: "Probe timeout is 2*rtt. Add minimum RTO to account for delayed
 * ack when there's one outstanding packet" (else TCP_TIMEOUT_MIN); no RTT
 * sample: TCP_TIMEOUT_INIT; "If the RTO formula yields an earlier time,
 * then use that time". */
static SimTime
tcp_timers_pto (TcpConn *conn, SimTime rto)
{
  const TcpConfig *c = &conn->stack->config;
  SimTime pto = c->rto_initial;
  if (conn->srtt > 0)
    pto = 2 * conn->srtt
          + ((guint32) (conn->snd_nxt - conn->snd_una) <= tcp_conn_eff_mss (conn)
               ? c->rto_min : tcp_timers_timeout_min (c));
  return MIN (pto, rto);
}

static void
tcp_timers_expired (TcpConn *conn)
{
  if (conn->persist && conn->snd_wnd > 0)
    {
      /* The window opened meanwhile: back to normal sending. */
      tcp_timers_persist_leave (conn);
      tcp_output_push (conn);
      return;
    }
  if (tcp_timers_tlp_due (conn))
    {
      /* tcp_send_loss_probe(): the last segment again, no backoff, no
       * retransmission counted (icsk_retransmits); tcp_rearm_rto() then
       * arms the RTO from now. */
      conn->tlp_sent = TRUE;
      conn->rtt_timing = FALSE;
      tcp_output_retransmit (conn, "tail loss probe (Linux tcp_send_loss_probe)");
      if (!conn->dead)
        tcp_timers_rexmit_start (conn);
      return;
    }
  if (tcp_timers_syn_given_up (conn))
    {
      /* Retries exhausted: ETIMEDOUT. Linux tcp_write_err sends no RST. */
      tcp_conn_destroy (conn, TCP_ERROR_TIMEOUT, "retransmissions exhausted");
      return;
    }
  gboolean rearmed = conn->rexmit_rearmed;
  SimTime expired = rearmed ? tcp_timers_timeout_min (&conn->stack->config)
                            : tcp_timers_interval (conn);
  conn->rexmit_rearmed = FALSE;
  conn->retries++;
  if (conn->rexmit_stamp == 0)
    conn->rexmit_stamp = MAX (tcp_stack_now (conn->stack), 1);
  /* Karn: no RTT sample from a retransmitted segment. */
  conn->rtt_timing = FALSE;
  char *d = sim_time_format (expired);
  char *why;
  if (conn->persist)
    {
      conn->persist_backoff++;
      why = g_strdup_printf ("zero-window probe #%u after %s (RFC 9293 3.8.6.1)",
                             conn->persist_backoff, d);
      if (conn->snd_una == conn->snd_nxt)
        tcp_output_probe (conn, why);
      else
        tcp_output_retransmit (conn, why);
    }
  else
    {
      /* RFC 6298 (5.5): "back off the timer", RTO <- RTO * 2, capped (2.5).
       * Linux tcp_retransmit_timer(): not in SYN-SENT while total_rto <=
       * tcp_syn_linear_timeouts. */
      if (!(conn->state == TCP_STATE_SYN_SENT
            && conn->retries <= conn->stack->config.syn_linear_timeouts))
        conn->rto = tcp_timers_clamp (conn, conn->rto * 2);
      why = rearmed ? g_strdup_printf ("retransmission #%u after TCP_TIMEOUT_MIN %s (Linux "
                                       "tcp_rcv_synsent_state_process)", conn->retries, d)
                    : g_strdup_printf ("retransmission #%u after RTO %s", conn->retries, d);
      /* RFC 6298 (5.4): retransmit the earliest unacknowledged segment. */
      tcp_output_retransmit (conn, why);
    }
  g_free (why);
  g_free (d);
  /* RFC 6298 (5.6): restart the timer with the backed-off RTO. */
  if (!conn->dead)
    tcp_timers_rexmit_start (conn);
}

static void
tcp_timers_rexmit_fired (gpointer data)
{
  TcpConn *conn = data;
  TcpStack *stack = conn->stack;
  conn->rexmit_timer = SIM_EVENT_ID_NONE;
  tcp_conn_enter (conn);
  SimTraceEvent *ev = tcp_trace_timer_begin (stack, conn->id, tcp_timers_name (conn), "fired",
                                             tcp_stack_now (stack), (gint) conn->retries);
  if (ev != NULL)
    {
      sim_trace_text (ev, "%s timer fired", tcp_timers_name (conn));
      tcp_trace_publish (stack, ev);
    }
  tcp_timers_expired (conn);
  tcp_conn_leave (conn);
}

/* --- orphaned FIN-WAIT-2 --- */

/* RFC 9293 has no FIN-WAIT-2 timeout: an orphan whose peer never sends FIN
 * would stay forever. Linux tcp_close() / tcp_rcv_state_process(): an
 * orphan (SOCK_DEAD) in FIN_WAIT2 becomes a TIME-WAIT minisocket of
 * substate FIN_WAIT2 that lives tcp_fin_time() (tcp_fin_timeout, 60 s) and
 * is then deleted without a segment (3.4). FreeBSD tcp_input():
 * "tcp_timer_activate(tp, TT_2MSL, (tcp_fast_finwait2_recycle) ?
 * tcp_finwait2_timeout : TP_MAXIDLE(tp))", then tcp_close() without RST.
 * Not modelled: Linux's floor of 3.5 x RTO, and FreeBSD re-arming the
 * timer while the connection is not idle. */
/* Whose rule the timeout is: the personality's own source, or the setting. */
static const char *
tcp_timers_fin_wait_2_rule (const TcpStack *stack)
{
  const char *rule = stack->config.fin_wait_2_rule;
  return rule != NULL ? rule : "the fin_timeout setting";
}

static void
tcp_timers_fin_wait_2_fired (gpointer data)
{
  TcpConn *conn = data;
  TcpStack *stack = conn->stack;
  conn->fin_wait_2_timer = SIM_EVENT_ID_NONE;
  tcp_conn_enter (conn);
  char *d = sim_time_format (stack->config.fin_wait_2_timeout);
  if (tcp_stack_tracing (stack))
    {
      char *text = g_strdup_printf ("orphaned FIN-WAIT-2 timer fired after %s", d);
      tcp_trace_timer (stack, conn->id, "fin-wait-2", "fired", tcp_stack_now (stack), -1, text);
      g_free (text);
    }
  if (!conn->dead && conn->state == TCP_STATE_FIN_WAIT_2)
    {
      char *reason = g_strdup_printf ("orphaned FIN-WAIT-2 for %s: deleted without RST (%s)", d,
                                      tcp_timers_fin_wait_2_rule (stack));
      tcp_conn_destroy (conn, TCP_ERROR_NONE, reason);
      g_free (reason);
    }
  g_free (d);
  tcp_conn_leave (conn);
}

void
tcp_timers_fin_wait_2_start (TcpConn *conn)
{
  TcpStack *stack = conn->stack;
  SimTime d = stack->config.fin_wait_2_timeout;
  if (d <= 0 || conn->dead || !conn->orphan || conn->state != TCP_STATE_FIN_WAIT_2
      || sim_engine_is_pending (stack->engine, conn->fin_wait_2_timer))
    return;
  conn->fin_wait_2_timer = sim_engine_schedule_after (stack->engine, d,
                                                      tcp_timers_fin_wait_2_fired, conn);
  if (tcp_stack_tracing (stack))
    {
      char *ds = sim_time_format (d);
      char *text = g_strdup_printf ("orphaned FIN-WAIT-2 timer set for %s (%s)", ds,
                                    tcp_timers_fin_wait_2_rule (stack));
      tcp_trace_timer (stack, conn->id, "fin-wait-2", "set", tcp_stack_now (stack) + d, -1, text);
      g_free (text);
      g_free (ds);
    }
}
