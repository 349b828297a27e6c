/* runner-segments.c: `inject` and `expect segment`. Injected segments are
 * built from the line and put on the network (network_inject); every
 * segment a host sends is compared, in order, with that host's pending
 * `expect segment` lines. Lines from a packetdrill script (segment
 * ->relative) count sequence numbers from the ISN the host under test
 * chose, as packetdrill does: the host's SYN or SYN,ACK sets it. */
#include "runner-internal.h"

#include "segment-compare.h"
#include "sim-text.h"

#include <string.h>

/* What a host under test showed on one connection (keyed by the host and
 * the remote endpoint). */
typedef struct {
  gboolean isn_known;
  guint32 local_isn;
  gint local_wscale;   /* shift in the host's SYN or SYN,ACK; -1 none or unseen */
  gint remote_wscale;  /* shift in the injected SYN or SYN,ACK; -1 none or unseen */
  guint16 local_port;  /* the host's port on this connection; 0 unseen */
  gboolean remote_base_known;
  guint32 remote_base; /* packetdrill: the remote's numbers count from the
                        * first SYN it sent to the socket followed (its ISN,
                        * taken as written); a host SYN (connect(), a new
                        * socket) starts over */
} ConnView;

/* The pending `expect segment` lines of one host, in file order. */
typedef struct {
  GQueue pending;      /* ScheduledStep* */
  SimTime gate;        /* segments sent before this are not checked */
} SegmentQueue;

static void
segment_queue_free (gpointer p)
{
  SegmentQueue *q = p;
  g_queue_clear (&q->pending);
  g_free (q);
}

static ConnView *
conn_view (ScenarioRunner *r, const char *host, NetAddr ip, guint16 port)
{
  GHashTable *views = g_hash_table_lookup (r->conn_views, host);
  if (views == NULL)
    {
      views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (r->conn_views, g_strdup (host), views);
    }
  char ep[NET_ENDPOINT_TEXT_SIZE];
  net_endpoint_format (ep, (NetEndpoint){ ip, port });
  ConnView *v = g_hash_table_lookup (views, ep);
  if (v == NULL)
    {
      v = g_new0 (ConnView, 1);
      v->local_wscale = -1;
      v->remote_wscale = -1;
      g_hash_table_insert (views, g_strdup (ep), v);
    }
  return v;
}

/* Dropping the host's whole table costs what its views cost to make, so a
 * socket() is not a scan of every view of every host. */
void
runner_segments_new_socket (ScenarioRunner *r, const char *host)
{
  g_hash_table_remove (r->conn_views, host);
}

static gint
find_option (const ScenarioSegment *seg, ScenarioOptionKind kind)
{
  for (guint i = 0; seg->has_options && i < seg->options->len; i++)
    if (g_array_index (seg->options, ScenarioOption, i).kind == kind)
      return (gint) i;
  return -1;
}

/* RFC 7323 2.3: windows are scaled once both SYNs carried the option, and
 * never in a SYN. */
static gboolean
scaled (const ConnView *v, guint8 flags)
{
  return !(flags & TCP_FLAG_SYN) && v->local_wscale >= 0 && v->remote_wscale >= 0;
}

/* --- inject --- */

static guint32
map_ts_ecr (ScenarioRunner *r, guint32 script_ecr)
{
  gpointer live;
  if (g_hash_table_lookup_extended (r->ts_map, GUINT_TO_POINTER (script_ecr), NULL, &live))
    return GPOINTER_TO_UINT (live);
  if (r->ts_first_known)
    return r->ts_first_live + (script_ecr - r->ts_first_script);
  return script_ecr;
}

static void
apply_option (ScenarioRunner *r, TcpSegment *seg, const ScenarioOption *o, gboolean relative)
{
  switch (o->kind)
    {
    case SCENARIO_OPT_EOL:
    case SCENARIO_OPT_NOP:
      break;
    case SCENARIO_OPT_MSS:
      seg->mss = (guint16) o->value;
      break;
    case SCENARIO_OPT_WSCALE:
      seg->has_wscale = TRUE;
      seg->wscale = (guint8) o->value;
      break;
    case SCENARIO_OPT_SACK_OK:
      seg->sack_ok = TRUE;
      break;
    case SCENARIO_OPT_TS:
      seg->has_timestamps = TRUE;
      seg->tsval = o->value;
      seg->tsecr = relative ? map_ts_ecr (r, o->ecr) : o->ecr;
      break;
    }
}

static TcpSegment *
build_injected (ScenarioRunner *r, const ScenarioStep *step)
{
  const ScenarioSegment *s = step->segment;
  ConnView *v = conn_view (r, step->host, runner_net_addr (s->src_ip), s->src_port);
  TcpSegment *seg = tcp_segment_new ();
  seg->src = (NetEndpoint){ runner_net_addr (s->src_ip), s->src_port };
  /* Port 0 (packetdrill, active open): the port the host's SYN came from. */
  seg->dst = (NetEndpoint){ runner_net_addr (s->dst_ip), s->dst_port != 0 ? s->dst_port : v->local_port };
  seg->flags = s->flags;
  seg->seq = s->seq;
  seg->ack = s->ack;
  seg->window = s->win;
  seg->layout = TCP_LAYOUT_LINUX;
  if (s->payload != NULL && g_bytes_get_size (s->payload) > 0)
    seg->payload = g_bytes_ref (s->payload);
  for (guint i = 0; s->has_options && i < s->options->len; i++)
    apply_option (r, seg, &g_array_index (s->options, ScenarioOption, i), s->relative);
  if (!s->relative)
    return seg;
  /* packetdrill: the remote's first SYN to the followed socket is taken as
   * written, its later numbers count from that ISN; ACK numbers count from
   * the ISN the host chose; windows are scaled by the shift the
   * remote announced (RFC 7323 2.3). */
  if (seg->flags & TCP_FLAG_SYN)
    v->remote_wscale = seg->has_wscale ? seg->wscale : -1;
  if ((seg->flags & TCP_FLAG_SYN) && !v->remote_base_known)
    {
      v->remote_base_known = TRUE;
      v->remote_base = seg->seq;
    }
  else if (v->remote_base_known)
    seg->seq += v->remote_base;
  if ((seg->flags & TCP_FLAG_ACK) && v->isn_known)
    seg->ack += v->local_isn;
  if (scaled (v, seg->flags))
    seg->window = (guint32) MIN ((guint64) seg->window << v->remote_wscale, G_MAXUINT32);
  return seg;
}

void
runner_inject (ScenarioRunner *r, const ScenarioStep *step)
{
  g_autoptr (TcpSegment) seg = build_injected (r, step);
  gboolean ok = network_inject (r->network, seg, step->segment->direct);
  g_assert (ok); /* the parser checked that a host owns the destination */
}

/* --- expect segment --- */

static void
note_ts (ScenarioRunner *r, const ScenarioSegment *e, const TcpSegment *seg)
{
  gint i = find_option (e, SCENARIO_OPT_TS);
  if (i < 0 || !seg->has_timestamps)
    return;
  guint32 script_val = g_array_index (e->options, ScenarioOption, i).value;
  g_hash_table_insert (r->ts_map, GUINT_TO_POINTER (script_val), GUINT_TO_POINTER (seg->tsval));
  if (!r->ts_first_known)
    {
      r->ts_first_known = TRUE;
      r->ts_first_script = script_val;
      r->ts_first_live = seg->tsval;
    }
}

static void
check_sent (ScenarioRunner *r, ScheduledStep *s, const TcpSegment *seg, SimTime now)
{
  const ScenarioStep *step = s->step;
  const ScenarioSegment *e = step->segment;
  ConnView *v = conn_view (r, step->host, seg->dst.ip, seg->dst.port);
  guint32 seq = e->relative && v->isn_known ? seg->seq - v->local_isn : seg->seq;
  guint32 win = e->relative && scaled (v, seg->flags) ? seg->window >> v->local_wscale : seg->window;
  guint32 ack = e->relative && v->remote_base_known ? seg->ack - v->remote_base : seg->ack;
  g_autofree char *detail = segment_compare (e, seg, seq, ack, win);
  if (detail == NULL && (now < s->time_lo || now > s->time_hi))
    detail = segment_timing_error (s->time, s->time_lo, s->time_hi, now);
  if (e->relative)
    note_ts (r, e, seg);
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GString) actual = g_string_new (NULL);
  if (e->relative)
    {
      /* run_packet.c's dumps: "%9.6f" seconds, then the packet. */
      g_string_append_printf (expected, "%9.6f %s", s->time * 1e-9, e->text != NULL ? e->text : "?");
      g_string_append_printf (actual, "%9.6f ", now * 1e-9);
      segment_append_actual_pkt (actual, seg, seq, ack, win);
    }
  else
    {
      scenario_segment_append (expected, e);
      segment_append_actual (actual, seg);
      if (detail != NULL && g_str_has_prefix (detail, "timing error"))
        {
          g_autofree char *at = sim_time_format (now);
          g_string_append_printf (actual, " at %s", at);
        }
    }
  g_autofree char *what = g_strdup_printf ("segment sent by %s", step->host);
  runner_record_check_detail (r, &step->loc, step->host, detail == NULL, what, expected->str,
                              actual->str, detail);
  if (e->relative)
    runner_shift_after (r, s, now - s->time);
}

/* A SYN or SYN,ACK of a host tells its ISN, its port and its window
 * scale on that connection. */
static void
learn_from_sent (ScenarioRunner *r, Host *from, const TcpSegment *seg)
{
  if (!r->follows_segments || !(seg->flags & TCP_FLAG_SYN) || seg->injected)
    return;
  ConnView *v = conn_view (r, host_name (from), seg->dst.ip, seg->dst.port);
  /* packetdrill keeps the followed socket's ISN: the SYN,ACK of a new
   * incarnation (a SYN into TIME-WAIT) counts from the old one. */
  if (v->isn_known && (seg->flags & TCP_FLAG_ACK))
    return;
  v->isn_known = TRUE;
  v->local_isn = seg->seq;
  if (!(seg->flags & TCP_FLAG_ACK))
    v->remote_base_known = FALSE; /* an active open: a new socket followed */
  v->local_port = seg->src.port;
  v->local_wscale = seg->has_wscale ? seg->wscale : -1;
}

/* `expect segment HOST VAR`: the segment was sent by the connection the
 * socket VAR of HOST's own program has (or last had). */
static gboolean
sent_on_var (ScenarioRunner *r, Host *from, const char *var, const TcpSegment *seg)
{
  for (guint i = 0; i < r->programs->len; i++)
    {
      HostProgram *prog = g_ptr_array_index (r->programs, i);
      if (prog->host != from || strcmp (prog->subject, host_name (from)) != 0)
        continue;
      VarBinding *b = g_hash_table_lookup (prog->vars, var);
      return b != NULL && b->sock_id != 0 && sock_conn_id (from, b->sock_id) == seg->conn_id;
    }
  return FALSE;
}

static void
segment_sent (Host *from, const TcpSegment *seg, SimTime when, gpointer data)
{
  ScenarioRunner *r = data;
  learn_from_sent (r, from, seg);
  SegmentQueue *q = r->segment_queues != NULL ? g_hash_table_lookup (r->segment_queues, host_name (from)) : NULL;
  if (q == NULL || g_queue_is_empty (&q->pending) || when < q->gate || seg->injected)
    return;
  ScheduledStep *head = g_queue_peek_head (&q->pending);
  const ScenarioSegment *e = head->step->segment;
  if ((!scenario_addr_is_any (e->dst_ip) && !net_addr_equal (runner_net_addr (e->dst_ip), seg->dst.ip)) || (e->dst_port != 0 && e->dst_port != seg->dst.port))
    return;
  if (head->step->var != NULL && !sent_on_var (r, from, head->step->var, seg))
    return;
  g_queue_pop_head (&q->pending);
  sim_engine_cancel_clear (r->engine, &head->deadline);
  check_sent (r, head, seg, when);
}

/* The deadline of a line: nothing (more) was sent by its latest time. */
static void
deadline_check (gpointer data)
{
  ScheduledStep *s = data;
  ScenarioRunner *r = s->runner;
  const ScenarioStep *step = s->step;
  SegmentQueue *q = g_hash_table_lookup (r->segment_queues, step->host);
  if (q == NULL || g_queue_find (&q->pending, s) == NULL)
    return;
  if (r->script->sequential && r->blocking != NULL && s->index > r->blocking->index)
    {
      s->deadline_held = TRUE; /* the line has not started yet */
      return;
    }
  g_queue_remove (&q->pending, s);
  g_autoptr (GString) expected = g_string_new (NULL);
  if (step->segment->relative)
    g_string_append_printf (expected, "%9.6f %s", s->time * 1e-9,
                            step->segment->text != NULL ? step->segment->text : "?");
  else
    scenario_segment_append (expected, step->segment);
  g_autofree char *by = sim_time_format (s->time_hi);
  g_autofree char *actual = g_strdup_printf ("nothing sent by %s", by);
  g_autofree char *detail = g_strdup_printf ("timing error: expected outbound packet at %.6f sec "
                                             "but none was sent by %.6f sec",
                                             s->time * 1e-9, s->time_hi * 1e-9);
  g_autofree char *what = g_strdup_printf ("segment sent by %s", step->host);
  runner_record_check_detail (r, &step->loc, step->host, FALSE, what, expected->str, actual,
                              detail);
  if (step->segment->relative)
    runner_shift_after (r, s, sim_engine_now (r->engine) - s->time);
}

static void
deadline_due (gpointer data)
{
  ScheduledStep *s = data;
  sim_engine_at_end_of_instant (s->runner->engine, deadline_check, s);
}

void
runner_segments_add (ScenarioRunner *r, ScheduledStep *s)
{
  const ScenarioStep *step = s->step;
  if (r->segment_queues == NULL)
    r->segment_queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, segment_queue_free);
  SegmentQueue *q = g_hash_table_lookup (r->segment_queues, step->host);
  if (q == NULL)
    {
      q = g_new0 (SegmentQueue, 1);
      g_queue_init (&q->pending);
      q->gate = step->time_lo;
      g_hash_table_insert (r->segment_queues, g_strdup (step->host), q);
    }
  /* packetdrill sees every packet the host sends from the start. */
  q->gate = step->segment->relative ? 0 : MIN (q->gate, step->time_lo);
  g_queue_push_tail (&q->pending, s);
  r->expectations++;
  s->deadline = sim_engine_schedule_at (r->engine, s->time_hi, deadline_due, s);
}

void
runner_segments_move_deadline (ScenarioRunner *r, ScheduledStep *s)
{
  if (s->step->kind != SCENARIO_STEP_EXPECT_SEGMENT || s->resolved)
    return;
  if (!s->deadline_held && !sim_engine_is_pending (r->engine, s->deadline))
    return;
  if (!s->deadline_held)
    sim_engine_cancel (r->engine, s->deadline);
  s->deadline_held = FALSE;
  SimTime at = MAX (s->time_hi, sim_engine_now (r->engine));
  s->deadline = sim_engine_schedule_at (r->engine, at, deadline_due, s);
}

void
runner_segments_init (ScenarioRunner *r)
{
  /* Only `inject` and `expect segment` lines read what a host showed. */
  for (guint i = 0; i < r->script->steps->len && !r->follows_segments; i++)
    {
      const ScenarioStep *step = g_ptr_array_index (r->script->steps, i);
      r->follows_segments = step->kind == SCENARIO_STEP_INJECT
                            || step->kind == SCENARIO_STEP_EXPECT_SEGMENT;
    }
  network_add_send_tap (r->network, segment_sent, r);
}

