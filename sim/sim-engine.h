/* sim-engine.h: the discrete-event engine. Knows nothing about TCP. */
#pragma once

#include "sim-event-queue.h"
#include "sim-rng.h"
#include "sim-trace.h"

G_BEGIN_DECLS

typedef enum {
  SIM_RUN_IDLE,        /* no event left */
  SIM_RUN_TIME_LIMIT,  /* the next event lies beyond the limit */
  SIM_RUN_EVENT_CAP,   /* the cap on executed events was reached */
  SIM_RUN_STOPPED,     /* sim_engine_stop() was called */
} SimRunOutcome;

typedef struct _SimEngine SimEngine;

SimEngine    *sim_engine_new            (guint64 seed);
void          sim_engine_free           (SimEngine *engine);
SimTime       sim_engine_now            (const SimEngine *engine);
guint64       sim_engine_seed           (const SimEngine *engine);
SimTrace     *sim_engine_trace          (SimEngine *engine);

/* Schedules func(data) at an absolute time, which must not lie in the past. */
SimEventId    sim_engine_schedule_at    (SimEngine   *engine,
                                         SimTime      time,
                                         SimEventFunc func,
                                         gpointer     data);
/* Schedules func(data) after a delay, which must not be negative. */
SimEventId    sim_engine_schedule_after (SimEngine   *engine,
                                         SimTime      delay,
                                         SimEventFunc func,
                                         gpointer     data);
gboolean      sim_engine_cancel         (SimEngine *engine, SimEventId id);
/* Cancels *id if pending and resets it to SIM_EVENT_ID_NONE. */
void          sim_engine_cancel_clear   (SimEngine *engine, SimEventId *id);
gboolean      sim_engine_is_pending     (SimEngine *engine, SimEventId id);

/* A reserved place in the event order: (time, sequence number). Reserving
 * counts as scheduling an event (and it is pending) but puts nothing in the
 * queue yet; sim_engine_schedule_ticket later queues func(data) exactly
 * where an event scheduled at reservation time would have been, and
 * sim_engine_cancel_ticket drops a ticket never queued. For models that
 * keep many timers of equal delay in a FIFO of their own (TIME-WAIT). */
typedef struct {
  SimTime time;
  guint64 seq;
} SimEventTicket;

SimEventTicket sim_engine_reserve_at    (SimEngine *engine, SimTime time);
/* Queues a reserved ticket; its time must not lie in the past. */
SimEventId    sim_engine_schedule_ticket (SimEngine      *engine,
                                          SimEventTicket  ticket,
                                          SimEventFunc    func,
                                          gpointer        data);
void          sim_engine_cancel_ticket  (SimEngine *engine, SimEventTicket ticket);
SimTime       sim_engine_time_of        (SimEngine *engine, SimEventId id);

/* Runs events with time <= until (SIM_TIME_NEVER for no limit), at most
 * max_events of them (0 for no cap). Time ends at the last event run, or at
 * `until` when the limit was reached. */
SimRunOutcome sim_engine_run            (SimEngine *engine,
                                         SimTime    until,
                                         guint64    max_events);
void          sim_engine_stop           (SimEngine *engine);
guint64       sim_engine_events_run     (const SimEngine *engine);
guint64       sim_engine_events_scheduled (const SimEngine *engine);
guint64       sim_engine_events_cancelled (const SimEngine *engine);
guint         sim_engine_events_pending (SimEngine *engine);
/* Runs func(data) once every event of the current instant has run, before
 * the clock moves on (it may itself schedule events at the same instant).
 * Used for observations such as "expect state at T". */
void          sim_engine_at_end_of_instant (SimEngine   *engine,
                                            SimEventFunc func,
                                            gpointer     data);
/* The time of the earliest pending event; FALSE when none is pending. */
gboolean      sim_engine_next_time      (SimEngine *engine, SimTime *time);

/* A named random stream derived from the run seed and the purpose, so that
 * adding one stream never changes the draws of another. Owned by the engine;
 * the same name returns the same stream. */
SimRng       *sim_engine_rng            (SimEngine *engine, const char *purpose);

G_END_DECLS
