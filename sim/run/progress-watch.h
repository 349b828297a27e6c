/* progress-watch.h: stops a run that no longer makes progress. Progress is
 * a TCP state change, a socket call, bytes accepted into a connection, a
 * timer firing or an expectation checked. A run whose events go on
 * without any of these (an endless ACK loop, RFC 1337 H2) for
 * max_idle_events trace events or max_idle_time of virtual time is stopped
 * (sim_engine_stop) and the watch says why. */
#pragma once

#include "sim-engine.h"

G_BEGIN_DECLS

#define PROGRESS_WATCH_DEFAULT_EVENTS 1000000
#define PROGRESS_WATCH_DEFAULT_TIME (600 * SIM_S)

typedef struct _ProgressWatch ProgressWatch;

/* 0 turns a limit off. Attaches itself to the engine's trace. */
ProgressWatch *progress_watch_new     (SimEngine *engine, guint64 max_idle_events,
                                       SimTime max_idle_time);
void           progress_watch_free    (ProgressWatch *watch);
/* NULL while the run progressed; else why it was stopped (owned by the
 * watch), e.g. "no progress for 600.000s of virtual time (...)". */
const char    *progress_watch_stalled (const ProgressWatch *watch);

G_END_DECLS
