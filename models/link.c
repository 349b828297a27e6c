/* link.c: one point-to-point link = two independent directions.
 *
 * A direction carries each segment through, in this order: targeted
 * one-shot faults; the queue (rate and queue limit); random loss; delay and
 * jitter; random reordering; random duplication. Every random draw comes
 * from a stream named "link:A->B:<purpose>" (see link.h). Segments sent at
 * the same instant with the same delay arrive in the order they were sent
 * (the engine orders events by (time, sequence number)). */
#include "net-internal.h"

#include <math.h>
#include <string.h>

typedef struct _LinkDelivery LinkDelivery;
struct _LinkDelivery {
  LinkDirection *dir;
  TcpSegment *seg;    /* our reference, held until delivered */
  SimEventId event;
  LinkDelivery *prev; /* in dir's in-flight list; `next` also links the spares */
  LinkDelivery *next;
};

/* Bytes on the wire for serialisation: IPv4 (20) + TCP (20) headers, the
 * timestamps option (12 with padding) and the payload. */
static guint64
wire_bytes (const TcpSegment *seg)
{
  return 40 + (seg->has_timestamps ? 12 : 0) + tcp_segment_payload_len (seg);
}

static void
fault_free (gpointer p)
{
  LinkFault *f = p;
  g_free (f->origin);
  if (f->payload != NULL)
    g_bytes_unref (f->payload);
  g_free (f);
}

static SimRng *
direction_rng (LinkDirection *dir, SimEngine *engine, const char *purpose)
{
  g_autofree char *name = g_strdup_printf ("link:%s:%s", dir->name, purpose);
  return sim_engine_rng (engine, name);
}

static void
direction_init (LinkDirection *dir, Link *link, Host *from, Host *to)
{
  SimEngine *engine = link->network->engine;
  dir->link = link;
  dir->from = from;
  dir->to = to;
  dir->name = g_strdup_printf ("%s->%s", host_name (from), host_name (to));
  memset (&dir->params, 0, sizeof dir->params);
  dir->params.jitter_dist = LINK_JITTER_UNIFORM;
  dir->faults = g_ptr_array_new_with_free_func (fault_free);
  dir->in_flight_head = dir->in_flight_tail = dir->spare = NULL;
  dir->tx_ends = g_array_new (FALSE, FALSE, sizeof (SimTime));
  dir->tx_ends_head = 0;
  dir->busy_until = 0;
  dir->rng_loss = direction_rng (dir, engine, "loss");
  dir->rng_jitter = direction_rng (dir, engine, "jitter");
  dir->rng_reorder = direction_rng (dir, engine, "reorder");
  dir->rng_dup = direction_rng (dir, engine, "dup");
  dir->rng_dup_delay = direction_rng (dir, engine, "dup_delay");
}

static void
direction_clear (LinkDirection *dir)
{
  SimEngine *engine = dir->link->network->engine;
  LinkDelivery *d, *next;
  for (d = dir->in_flight_head; d != NULL; d = next)
    {
      next = d->next;
      sim_engine_cancel (engine, d->event);
      tcp_segment_unref (d->seg);
      g_free (d);
    }
  for (d = dir->spare; d != NULL; d = next)
    {
      next = d->next;
      g_free (d);
    }
  g_array_free (dir->tx_ends, TRUE);
  g_ptr_array_free (dir->faults, TRUE);
  g_free (dir->name);
}

Link *
link_new (Network *network, Host *a, Host *b)
{
  Link *l = g_new0 (Link, 1);
  l->network = network;
  direction_init (&l->ab, l, a, b);
  direction_init (&l->ba, l, b, a);
  return l;
}

void
link_free (Link *l)
{
  if (l == NULL)
    return;
  direction_clear (&l->ab);
  direction_clear (&l->ba);
  g_free (l);
}

void
link_direction_set_delay (LinkDirection *dir, SimTime delay)
{
  g_return_if_fail (delay >= 0);
  dir->params.delay = delay;
}

SimTime
link_direction_delay (LinkDirection *dir)
{
  return dir->params.delay;
}

const LinkParams *
link_direction_params (LinkDirection *dir)
{
  return &dir->params;
}

void
link_direction_set_params (LinkDirection *dir, const LinkParams *params)
{
  g_return_if_fail (params->delay >= 0 && params->jitter >= 0);
  g_return_if_fail (params->dup_delay_min >= 0 && params->dup_delay_max >= params->dup_delay_min);
  dir->params = *params;
}

const char *
link_direction_name (LinkDirection *dir)
{
  return dir->name;
}

void
link_direction_add_fault (LinkDirection *dir, const LinkFault *fault)
{
  LinkFault *f = g_new (LinkFault, 1);
  *f = *fault;
  f->origin = g_strdup (fault->origin);
  f->payload = fault->payload != NULL ? g_bytes_ref (fault->payload) : NULL;
  f->seen = 0;
  g_ptr_array_add (dir->faults, f);
}

/* TRUE when `needle` occurs in `hay` (memmem is not in C11/POSIX). */
static gboolean
bytes_contain (GBytes *hay, GBytes *needle)
{
  gsize hlen = 0, nlen = 0;
  const guint8 *h = hay != NULL ? g_bytes_get_data (hay, &hlen) : NULL;
  const guint8 *n = g_bytes_get_data (needle, &nlen);
  if (nlen == 0)
    return TRUE;
  for (gsize i = 0; h != NULL && i + nlen <= hlen; i++)
    if (memcmp (h + i, n, nlen) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
fault_matches (const LinkFault *f, const TcpSegment *seg)
{
  if ((seg->flags & f->flags) != f->flags)
    return FALSE;
  if (f->needs_data && tcp_segment_payload_len (seg) == 0)
    return FALSE;
  /* Sequence numbers wrap (RFC 9293 3.4): SEG.SEQ - lo <= hi - lo. */
  if (f->has_seq && (guint32) (seg->seq - f->seq_lo) > (guint32) (f->seq_hi - f->seq_lo))
    return FALSE;
  if (f->payload != NULL && !bytes_contain (seg->payload, f->payload))
    return FALSE;
  return TRUE;
}

static void
append_time (GString *out, SimTime t)
{
  sim_time_append (out, t);
}

/* "drop next FIN", "duplicate next data segment seq=1001 (copy 2s later)". */
void
link_fault_describe (GString *out, const LinkFault *f)
{
  switch (f->action)
    {
    case LINK_FAULT_DROP:
      g_string_append (out, "drop next ");
      break;
    case LINK_FAULT_DUPLICATE:
      g_string_append (out, "duplicate next ");
      break;
    case LINK_FAULT_DELAY:
      g_string_append (out, "delay next ");
      break;
    case LINK_FAULT_HOLD:
      g_string_append (out, "hold next ");
      break;
    }
  if (f->flags != 0)
    {
      tcp_flags_append (out, f->flags);
      if (f->needs_data)
        g_string_append (out, " with data");
    }
  else
    g_string_append (out, f->needs_data ? "data segment" : "segment");
  if (f->has_seq && f->seq_lo == f->seq_hi)
    g_string_append_printf (out, " seq=%u", f->seq_lo);
  else if (f->has_seq)
    g_string_append_printf (out, " seq=%u-%u", f->seq_lo, f->seq_hi);
  if (f->payload != NULL)
    {
      gsize len;
      const char *p = g_bytes_get_data (f->payload, &len);
      g_autofree char *raw = g_strndup (p != NULL ? p : "", len);
      g_autofree char *esc = g_strescape (raw, NULL);
      g_string_append_printf (out, " payload=\"%s\"", esc);
    }
  if (f->nth > 1)
    g_string_append_printf (out, " nth=%u", f->nth);
  switch (f->action)
    {
    case LINK_FAULT_DROP:
      break;
    case LINK_FAULT_DUPLICATE:
      if (f->copies > 1)
        g_string_append_printf (out, " copies=%u", f->copies);
      g_string_append (out, " copy_delay=");
      append_time (out, f->delay);
      break;
    case LINK_FAULT_DELAY:
      g_string_append (out, " by=");
      append_time (out, f->delay);
      break;
    case LINK_FAULT_HOLD:
      g_string_append (out, " until=");
      append_time (out, f->until);
      break;
    }
}

/* Takes the delivery out of the in-flight list and keeps it for reuse. */
static void
delivery_retire (LinkDirection *dir, LinkDelivery *d)
{
  if (d->prev != NULL)
    d->prev->next = d->next;
  else
    dir->in_flight_head = d->next;
  if (d->next != NULL)
    d->next->prev = d->prev;
  else
    dir->in_flight_tail = d->prev;
  d->seg = NULL;
  d->prev = NULL;
  d->next = dir->spare;
  dir->spare = d;
}

static void
deliver (gpointer data)
{
  LinkDelivery *d = data;
  LinkDirection *dir = d->dir;
  TcpSegment *seg = d->seg;
  delivery_retire (dir, d);
  network_deliver (dir->link->network, dir->to, seg);
  tcp_segment_unref (seg);
}

static void
schedule_delivery (LinkDirection *dir, TcpSegment *seg, SimTime arrive)
{
  LinkDelivery *d = dir->spare;
  if (d != NULL)
    dir->spare = d->next;
  else
    d = g_new (LinkDelivery, 1);
  d->dir = dir;
  d->seg = tcp_segment_ref (seg);
  d->prev = dir->in_flight_tail;
  d->next = NULL;
  if (dir->in_flight_tail != NULL)
    dir->in_flight_tail->next = d;
  else
    dir->in_flight_head = d;
  dir->in_flight_tail = d;
  d->event = sim_engine_schedule_at (dir->link->network->engine, arrive, deliver, d);
}

/* link.drop / link.send / link.dup / link.delay, with the segment fields. */
static void
trace_link (LinkDirection *dir, const char *kind, const TcpSegment *seg, SimTime arrive,
            const char *why)
{
  SimEngine *engine = dir->link->network->engine;
  SimTrace *trace = sim_engine_trace (engine);
  if (!sim_trace_wants (trace, kind))
    return;
  SimTime now = sim_engine_now (engine);
  SimTraceEvent *ev = sim_trace_begin (trace, now, kind, host_name (dir->from));
  tcp_segment_trace_fields (ev, seg);
  sim_trace_field_str (ev, "link", dir->name);
  if (arrive >= 0)
    sim_trace_field_int (ev, "arrive", arrive);
  if (why != NULL)
    sim_trace_field_str (ev, "why", why);
  if (!sim_trace_needs_text (ev))
    {
      sim_trace_publish (trace, ev);
      return;
    }
  GString *sum = g_string_new (NULL);
  tcp_segment_append_summary (sum, seg);
  GString *at = g_string_new (NULL);
  if (arrive >= 0)
    sim_time_append (at, arrive);
  if (strcmp (kind, "link.drop") == 0)
    sim_trace_text (ev, "%s lost seg %" G_GUINT64_FORMAT " %s (%s)", dir->name, seg->id,
                    sum->str, why);
  else if (strcmp (kind, "link.dup") == 0)
    sim_trace_text (ev, "%s duplicated seg %" G_GUINT64_FORMAT " %s: the copy arrives at %s (%s)",
                    dir->name, seg->id, sum->str, at->str, why);
  else if (strcmp (kind, "link.delay") == 0)
    sim_trace_text (ev, "%s delays seg %" G_GUINT64_FORMAT " %s: it arrives at %s (%s)",
                    dir->name, seg->id, sum->str, at->str, why);
  else
    sim_trace_text (ev, "%s %s", dir->name, sum->str);
  sim_trace_publish (trace, ev);
  g_string_free (at, TRUE);
  g_string_free (sum, TRUE);
}

static char *
fault_why (const LinkFault *f)
{
  GString *why = g_string_new ("fault armed at ");
  g_string_append (why, f->origin != NULL ? f->origin : "?");
  g_string_append (why, ": ");
  link_fault_describe (why, f);
  return g_string_free (why, FALSE);
}

/* The first armed fault whose nth match this segment is, stolen from the
 * list; NULL when none acts. One fault at most acts on a segment. */
static LinkFault *
take_fault (LinkDirection *dir, const TcpSegment *seg)
{
  for (guint i = 0; i < dir->faults->len; i++)
    {
      LinkFault *f = g_ptr_array_index (dir->faults, i);
      if (!fault_matches (f, seg))
        continue;
      f->seen++;
      if (f->seen >= MAX (f->nth, 1))
        return g_ptr_array_steal_index (dir->faults, i);
    }
  return NULL;
}

/* Frees the serialisation slots of segments already on the wire. */
static void
queue_expire (LinkDirection *dir, SimTime now)
{
  GArray *ends = dir->tx_ends;
  while (dir->tx_ends_head < ends->len && g_array_index (ends, SimTime, dir->tx_ends_head) <= now)
    dir->tx_ends_head++;
  /* Drop the expired prefix once it is at least half the array. */
  if (dir->tx_ends_head > 0 && dir->tx_ends_head * 2 >= ends->len)
    {
      g_array_remove_range (ends, 0, dir->tx_ends_head);
      dir->tx_ends_head = 0;
    }
}

/* Segments waiting or in transmission. */
static guint
queue_length (const LinkDirection *dir)
{
  return dir->tx_ends->len - dir->tx_ends_head;
}

/* Propagation delay with jitter, drawn from "jitter". */
static SimTime
draw_delay (LinkDirection *dir)
{
  const LinkParams *p = &dir->params;
  SimTime d = p->delay;
  if (p->jitter <= 0)
    return d;
  switch (p->jitter_dist)
    {
    case LINK_JITTER_UNIFORM:
      d += (SimTime) sim_rng_below (dir->rng_jitter, (guint64) p->jitter + 1);
      break;
    case LINK_JITTER_NORMAL:
      {
        double x = sim_rng_normal (dir->rng_jitter) * (double) p->jitter;
        double total = (double) d + x; /* |x| <= 6 jitter: no overflow */
        d = total < 0 ? 0 : (SimTime) llround (total);
      }
      break;
    }
  return d;
}

/* 1. Serialisation: a segment starts when the previous one is done.
 * Returns FALSE, traced, when the queue is full (tail drop); else sets
 * `depart` to when its last bit is on the wire. */
static gboolean
serialise (LinkDirection *dir, const TcpSegment *seg, SimTime now, SimTime *depart)
{
  const LinkParams *p = &dir->params;
  *depart = now;
  if (p->rate_bps == 0)
    return TRUE;
  queue_expire (dir, now);
  if (p->queue_limit > 0 && queue_length (dir) >= p->queue_limit)
    {
      g_autofree char *why = g_strdup_printf ("queue full (%u segments): tail drop",
                                              p->queue_limit);
      trace_link (dir, "link.drop", seg, -1, why);
      return FALSE;
    }
  SimTime start = MAX (now, dir->busy_until);
  /* Time to clock the bits out, rounded up to whole nanoseconds. */
  guint64 bits = wire_bytes (seg) * 8;
  SimTime tx = (SimTime) ((bits * SIM_S + p->rate_bps - 1) / p->rate_bps);
  dir->busy_until = start + tx;
  g_array_append_val (dir->tx_ends, dir->busy_until);
  *depart = dir->busy_until;
  return TRUE;
}

/* 2. Random loss, drawn from "loss"; traced. */
static gboolean
lost_at_random (LinkDirection *dir, const TcpSegment *seg)
{
  const LinkParams *p = &dir->params;
  if (!(p->loss > 0 && sim_rng_chance (dir->rng_loss, p->loss)))
    return FALSE;
  g_autofree char *why = g_strdup_printf ("random loss (loss=%g)", p->loss);
  trace_link (dir, "link.drop", seg, -1, why);
  return TRUE;
}

/* The arrival once a delay or hold fault has acted. */
static SimTime
fault_arrival (const LinkFault *fault, SimTime arrive, SimTime now)
{
  if (fault != NULL && fault->action == LINK_FAULT_DELAY)
    return arrive + fault->delay;
  if (fault != NULL && fault->action == LINK_FAULT_HOLD)
    return MAX (fault->until, now);
  return arrive;
}

/* A duplicate fault's copies, `delay` apart after the original; returns
 * how many. */
static guint32
send_fault_copies (LinkDirection *dir, const TcpSegment *seg, const LinkFault *fault,
                   SimTime arrive, const char *fwhy)
{
  guint32 copy_no = 0;
  for (guint k = 1; k <= MAX (fault->copies, 1); k++)
    {
      g_autoptr (TcpSegment) copy = tcp_segment_copy (seg);
      copy->copy = ++copy_no;
      SimTime at = arrive + (SimTime) k * fault->delay;
      trace_link (dir, "link.dup", copy, at, fwhy);
      schedule_delivery (dir, copy, at);
    }
  return copy_no;
}

/* Random duplication, drawn from "dup", the copy's extra delay from
 * "dup_delay"; the copy is numbered after `copies_so_far`. */
static void
duplicate_at_random (LinkDirection *dir, const TcpSegment *seg, SimTime arrive,
                     guint32 copies_so_far)
{
  const LinkParams *p = &dir->params;
  if (!(p->dup > 0 && sim_rng_chance (dir->rng_dup, p->dup)))
    return;
  SimTime extra = p->dup_delay_min;
  if (p->dup_delay_max > p->dup_delay_min)
    extra += (SimTime) sim_rng_below (dir->rng_dup_delay,
                                      (guint64) (p->dup_delay_max - p->dup_delay_min) + 1);
  g_autoptr (TcpSegment) copy = tcp_segment_copy (seg);
  copy->copy = copies_so_far + 1;
  g_autofree char *why = g_strdup_printf ("random duplication (dup=%g)", p->dup);
  trace_link (dir, "link.dup", copy, arrive + extra, why);
  schedule_delivery (dir, copy, arrive + extra);
}

/* Carries the segment through the steps of the direction (see the top of
 * this file); `fault` is the targeted fault acting on it, if any. */
static void
carry_segment (LinkDirection *dir, TcpSegment *seg, const LinkFault *fault)
{
  SimTime now = sim_engine_now (dir->link->network->engine);
  const LinkParams *p = &dir->params;
  g_autofree char *fwhy = fault != NULL ? fault_why (fault) : NULL;
  if (fault != NULL && fault->action == LINK_FAULT_DROP)
    {
      trace_link (dir, "link.drop", seg, -1, fwhy);
      return;
    }
  SimTime depart;
  if (!serialise (dir, seg, now, &depart) || lost_at_random (dir, seg))
    return;

  /* 3. Delay and jitter; 4. reordering. */
  SimTime original_arrive = depart + draw_delay (dir);
  gboolean reordered = p->reorder > 0 && sim_rng_chance (dir->rng_reorder, p->reorder);
  if (reordered)
    original_arrive += p->reorder_delay;
  SimTime arrive = fault_arrival (fault, original_arrive, now);

  trace_link (dir, "link.send", seg, arrive, NULL);
  if (reordered)
    {
      g_autofree char *why = g_strdup_printf ("random reordering (reorder=%g)", p->reorder);
      trace_link (dir, "link.delay", seg, arrive, why);
    }
  if (arrive != original_arrive)
    trace_link (dir, "link.delay", seg, arrive, fwhy);
  schedule_delivery (dir, seg, arrive);

  /* 5. Duplication: targeted copies, then a random one. */
  guint32 copies = 0;
  if (fault != NULL && fault->action == LINK_FAULT_DUPLICATE)
    copies = send_fault_copies (dir, seg, fault, arrive, fwhy);
  duplicate_at_random (dir, seg, arrive, copies);
}

void
link_direction_send (LinkDirection *dir, TcpSegment *seg)
{
  Network *n = dir->link->network;
  if (seg->id == 0) /* sent straight onto the link, not through the router */
    seg->id = network_next_segment_id (n);

  LinkFault *fault = take_fault (dir, seg);
  carry_segment (dir, seg, fault);
  if (fault != NULL)
    fault_free (fault);
}
