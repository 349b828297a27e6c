/* link.c: one point-to-point link = two independent directions. A direction
 * delays every segment by a fixed amount; segments sent at the same instant
 * arrive in the order they were sent (the engine orders events by (time,
 * sequence number)). One-shot faults drop the next matching segment. */
#include "net-internal.h"

typedef struct {
  LinkDirection *dir;
  TcpSegment *seg;  /* our reference, held until delivered */
  SimEventId event;
  GList *node;      /* in dir->in_flight */
} LinkDelivery;

static void
fault_free (gpointer p)
{
  LinkFault *f = p;
  g_free (f->origin);
  g_free (f);
}

static void
direction_init (LinkDirection *dir, Link *link, Host *from, Host *to)
{
  dir->link = link;
  dir->from = from;
  dir->to = to;
  dir->name = g_strdup_printf ("%s->%s", host_name (from), host_name (to));
  dir->delay = 0;
  dir->faults = g_ptr_array_new_with_free_func (fault_free);
  g_queue_init (&dir->in_flight);
}

static void
direction_clear (LinkDirection *dir)
{
  SimEngine *engine = dir->link->network->engine;
  LinkDelivery *d;
  while ((d = g_queue_pop_head (&dir->in_flight)) != NULL)
    {
      sim_engine_cancel (engine, d->event);
      tcp_segment_unref (d->seg);
      g_free (d);
    }
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
  dir->delay = delay;
}

SimTime
link_direction_delay (LinkDirection *dir)
{
  return dir->delay;
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
  g_ptr_array_add (dir->faults, f);
}

static gboolean
fault_matches (const LinkFault *f, const TcpSegment *seg)
{
  if ((seg->flags & f->flags) != f->flags)
    return FALSE;
  if (f->needs_data && tcp_segment_payload_len (seg) == 0)
    return FALSE;
  return TRUE;
}

/* "drop next FIN", "drop next data segment", "drop next SYN,ACK with data". */
static void
fault_describe (GString *out, const LinkFault *f)
{
  switch (f->action)
    {
    case LINK_FAULT_DROP:
      g_string_append (out, "drop next ");
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
}

static void
deliver (gpointer data)
{
  LinkDelivery *d = data;
  LinkDirection *dir = d->dir;
  g_queue_delete_link (&dir->in_flight, d->node);
  network_deliver (dir->link->network, dir->to, d->seg);
  tcp_segment_unref (d->seg);
  g_free (d);
}

void
link_direction_send (LinkDirection *dir, TcpSegment *seg)
{
  Network *n = dir->link->network;
  SimEngine *engine = n->engine;
  SimTrace *trace = sim_engine_trace (engine);
  SimTime now = sim_engine_now (engine);

  if (seg->id == 0) /* sent straight onto the link, not through the router */
    seg->id = network_next_segment_id (n);

  for (guint i = 0; i < dir->faults->len; i++)
    {
      LinkFault *f = g_ptr_array_index (dir->faults, i);
      if (!fault_matches (f, seg))
        continue;
      /* One-shot: the fault is spent on this segment. */
      LinkFault *spent = g_ptr_array_steal_index (dir->faults, i);
      if (sim_trace_active (trace))
        {
          GString *why = g_string_new ("fault armed at ");
          g_string_append (why, spent->origin != NULL ? spent->origin : "?");
          g_string_append (why, ": ");
          fault_describe (why, spent);
          SimTraceEvent *ev = sim_trace_begin (trace, now, "link.drop", host_name (dir->from));
          tcp_segment_trace_fields (ev, seg);
          sim_trace_field_str (ev, "link", dir->name);
          sim_trace_field_str (ev, "why", why->str);
          GString *sum = g_string_new (NULL);
          tcp_segment_append_summary (sum, seg);
          sim_trace_text (ev, "%s lost %s (%s)", dir->name, sum->str, why->str);
          sim_trace_publish (trace, ev);
          g_string_free (sum, TRUE);
          g_string_free (why, TRUE);
        }
      fault_free (spent);
      return;
    }

  /* Random impairments would be drawn here, in a fixed order, from
   * sim_engine_rng (engine, "link:<name>"): loss, then duplication (the copy
   * keeps seg->id and gets copy = n), then jitter/reordering of the delay. */
  SimTime arrive = now + dir->delay;
  if (sim_trace_active (trace))
    {
      SimTraceEvent *ev = sim_trace_begin (trace, now, "link.send", host_name (dir->from));
      tcp_segment_trace_fields (ev, seg);
      sim_trace_field_str (ev, "link", dir->name);
      sim_trace_field_int (ev, "arrive", arrive);
      GString *sum = g_string_new (NULL);
      tcp_segment_append_summary (sum, seg);
      sim_trace_text (ev, "%s %s", dir->name, sum->str);
      sim_trace_publish (trace, ev);
      g_string_free (sum, TRUE);
    }

  LinkDelivery *d = g_new0 (LinkDelivery, 1);
  d->dir = dir;
  d->seg = tcp_segment_ref (seg);
  g_queue_push_tail (&dir->in_flight, d);
  d->node = dir->in_flight.tail;
  d->event = sim_engine_schedule_at (engine, arrive, deliver, d);
}
