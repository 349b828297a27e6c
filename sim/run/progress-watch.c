/* progress-watch.c: a trace sink that counts the events since the last
 * sign of progress (progress-watch.h). */
#include "progress-watch.h"
#include "sim-kind-map.h"

#include <string.h>

struct _ProgressWatch {
  SimEngine *engine;
  guint64 max_idle_events;
  SimTime max_idle_time;
  guint64 idle_events;  /* events since the last progress */
  SimTime last_progress;
  char *stalled;        /* why the run was stopped, or NULL */
  SimKindMap kinds;     /* ev->kind -> index in progress_kinds */
};

/* The kinds that are progress, then the two that may be. */
static const char *const progress_kinds[] = {
  "tcp.state", "sock.call", "sock.block", "sock.exit", "sock.crash", "sock.reboot",
  "scenario.check", "tcp.timer", "tcp.recv", NULL,
};
enum { ALWAYS_PROGRESS = 7, TIMER = 7, RECV = 8 };

static gboolean
is_progress (ProgressWatch *w, const SimTraceEvent *ev)
{
  int kind = sim_kind_map_find (&w->kinds, ev->kind);
  if (kind < 0)
    return FALSE;
  if (kind < ALWAYS_PROGRESS)
    return TRUE;
  if (kind == TIMER)
    return g_strcmp0 (sim_trace_event_str (ev, "action"), "fired") == 0;
  g_assert (kind == RECV);
  const char *verdict = sim_trace_event_str (ev, "verdict");
  return sim_trace_event_int (ev, "len", 0) > 0
         && (g_strcmp0 (verdict, "accepted") == 0 || g_strcmp0 (verdict, "queued") == 0);
}

static void
stop (ProgressWatch *w, const SimTraceEvent *ev)
{
  g_autofree char *idle = sim_time_format (ev->time - w->last_progress);
  w->stalled = g_strdup_printf (
    "no progress for %s of virtual time and %" G_GUINT64_FORMAT " trace events (no state change, "
    "socket call, byte accepted, timer fired or expectation checked; the last event was %s)",
    idle, w->idle_events, ev->kind);
  sim_engine_stop (w->engine);
}

static void
watch_sink (const SimTraceEvent *ev, gpointer data)
{
  ProgressWatch *w = data;
  if (w->stalled != NULL)
    return;
  if (is_progress (w, ev))
    {
      w->idle_events = 0;
      w->last_progress = ev->time;
      return;
    }
  w->idle_events++;
  if ((w->max_idle_events != 0 && w->idle_events >= w->max_idle_events)
      || (w->max_idle_time != 0 && ev->time - w->last_progress >= w->max_idle_time))
    stop (w, ev);
}

ProgressWatch *
progress_watch_new (SimEngine *engine, guint64 max_idle_events, SimTime max_idle_time)
{
  ProgressWatch *w = g_new0 (ProgressWatch, 1);
  w->engine = engine;
  w->max_idle_events = max_idle_events;
  w->max_idle_time = max_idle_time;
  w->last_progress = sim_engine_now (engine);
  sim_kind_map_init (&w->kinds, progress_kinds);
  /* Every kind of event counts, but the watch never reads their text, and
   * reads the fields of timers and receptions only. */
  static const char *const field_kinds[] = { "tcp.timer", "tcp.recv", NULL };
  sim_trace_add_counting_sink (sim_engine_trace (engine), watch_sink, w, field_kinds);
  return w;
}

void
progress_watch_free (ProgressWatch *w)
{
  if (w == NULL)
    return;
  g_free (w->stalled);
  g_free (w);
}

const char *
progress_watch_stalled (const ProgressWatch *w)
{
  return w->stalled;
}
