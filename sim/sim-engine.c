/* sim-engine.c: virtual clock and event loop over SimEventQueue. */
#include "sim-engine.h"

struct _SimEngine {
  SimEventQueue *queue;
  SimTime now;
  guint64 seed;
  guint64 executed;
  guint64 scheduled;
  guint64 cancelled;
  guint reserved;        /* tickets reserved and not yet queued or cancelled */
  gboolean stop_requested;
  SimTrace *trace;
  GHashTable *streams; /* purpose -> SimRng; looked up only, never iterated */
  GQueue end_of_instant; /* EndOfInstant, FIFO */
};

typedef struct {
  SimEventFunc func;
  gpointer data;
} EndOfInstant;

SimEngine *
sim_engine_new (guint64 seed)
{
  SimEngine *e = g_new0 (SimEngine, 1);
  e->queue = sim_event_queue_new ();
  e->seed = seed;
  e->trace = sim_trace_new ();
  g_queue_init (&e->end_of_instant);
  e->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) sim_rng_free);
  return e;
}

void
sim_engine_free (SimEngine *e)
{
  if (e == NULL)
    return;
  sim_event_queue_free (e->queue);
  sim_trace_free (e->trace);
  g_hash_table_destroy (e->streams);
  g_queue_clear_full (&e->end_of_instant, g_free);
  g_free (e);
}

SimTime
sim_engine_now (const SimEngine *e)
{
  return e->now;
}

guint64
sim_engine_seed (const SimEngine *e)
{
  return e->seed;
}

SimTrace *
sim_engine_trace (SimEngine *e)
{
  return e->trace;
}

SimEventId
sim_engine_schedule_at (SimEngine *e, SimTime time, SimEventFunc func, gpointer data)
{
  /* ns-3 Simulator::Schedule: an event in the past is a programming error. */
  g_assert (time >= e->now);
  g_assert (func != NULL);
  e->scheduled++;
  return sim_event_queue_push (e->queue, time, func, data);
}

SimEventId
sim_engine_schedule_after (SimEngine *e, SimTime delay, SimEventFunc func, gpointer data)
{
  g_assert (delay >= 0); /* "Negative delay" is a bug in the caller */
  g_assert (delay <= G_MAXINT64 - e->now);
  return sim_engine_schedule_at (e, e->now + delay, func, data);
}

gboolean
sim_engine_cancel (SimEngine *e, SimEventId id)
{
  gboolean was_pending = sim_event_queue_cancel (e->queue, id);
  if (was_pending)
    e->cancelled++;
  return was_pending;
}

void
sim_engine_cancel_clear (SimEngine *e, SimEventId *id)
{
  sim_engine_cancel (e, *id);
  *id = SIM_EVENT_ID_NONE;
}

SimEventTicket
sim_engine_reserve_at (SimEngine *e, SimTime time)
{
  g_assert (time >= e->now);
  e->scheduled++;
  e->reserved++;
  SimEventTicket t = { time, sim_event_queue_reserve_seq (e->queue) };
  return t;
}

SimEventId
sim_engine_schedule_ticket (SimEngine *e, SimEventTicket ticket, SimEventFunc func, gpointer data)
{
  g_assert (ticket.time >= e->now);
  g_assert (func != NULL);
  g_assert (e->reserved > 0);
  e->reserved--;
  return sim_event_queue_push_seq (e->queue, ticket.time, ticket.seq, func, data);
}

void
sim_engine_cancel_ticket (SimEngine *e, SimEventTicket ticket)
{
  g_assert (e->reserved > 0);
  e->reserved--;
  e->cancelled++;
}

gboolean
sim_engine_is_pending (SimEngine *e, SimEventId id)
{
  return sim_event_queue_is_pending (e->queue, id);
}

SimTime
sim_engine_time_of (SimEngine *e, SimEventId id)
{
  return sim_event_queue_time_of (e->queue, id);
}

/* Runs one end-of-instant callback; FALSE when there is none. */
static gboolean
run_end_of_instant (SimEngine *e)
{
  EndOfInstant *item = g_queue_pop_head (&e->end_of_instant);
  if (item == NULL)
    return FALSE;
  SimEventFunc func = item->func;
  gpointer data = item->data;
  g_free (item);
  func (data);
  return TRUE;
}

void
sim_engine_at_end_of_instant (SimEngine *e, SimEventFunc func, gpointer data)
{
  EndOfInstant *item = g_new (EndOfInstant, 1);
  item->func = func;
  item->data = data;
  g_queue_push_tail (&e->end_of_instant, item);
}

SimRunOutcome
sim_engine_run (SimEngine *e, SimTime until, guint64 max_events)
{
  guint64 run_here = 0;
  e->stop_requested = FALSE;
  for (;;)
    {
      SimTime next;
      if (e->stop_requested)
        return SIM_RUN_STOPPED;
      gboolean have_next = sim_event_queue_peek_time (e->queue, &next);
      if ((!have_next || next > e->now) && run_end_of_instant (e))
        continue;
      if (!have_next)
        return SIM_RUN_IDLE;
      if (next > until)
        {
          if (until > e->now)
            e->now = until;
          return SIM_RUN_TIME_LIMIT;
        }
      if (max_events != 0 && run_here >= max_events)
        return SIM_RUN_EVENT_CAP;
      SimEventFunc func;
      gpointer data;
      sim_event_queue_pop (e->queue, &next, &func, &data);
      g_assert (next >= e->now); /* time never runs backwards */
      e->now = next;
      e->executed++;
      run_here++;
      func (data);
    }
}

void
sim_engine_stop (SimEngine *e)
{
  e->stop_requested = TRUE;
}

guint64
sim_engine_events_run (const SimEngine *e)
{
  return e->executed;
}

guint64
sim_engine_events_scheduled (const SimEngine *e)
{
  return e->scheduled;
}

guint64
sim_engine_events_cancelled (const SimEngine *e)
{
  return e->cancelled;
}

guint
sim_engine_events_pending (SimEngine *e)
{
  return sim_event_queue_live_count (e->queue) + e->reserved;
}

gboolean
sim_engine_next_time (SimEngine *e, SimTime *time)
{
  return sim_event_queue_peek_time (e->queue, time);
}

SimRng *
sim_engine_rng (SimEngine *e, const char *purpose)
{
  SimRng *rng = g_hash_table_lookup (e->streams, purpose);
  if (rng == NULL)
    {
      rng = sim_rng_new (e->seed, purpose);
      g_hash_table_insert (e->streams, g_strdup (purpose), rng);
    }
  return rng;
}
