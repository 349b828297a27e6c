/* sim-event-queue.h: the pending-event set, a binary heap ordered strictly by
 * (time, insertion sequence number). Events live in a slab; handles carry a
 * generation so that a handle stays safe after its event fired or was
 * cancelled (ns-3 EventId, lazy cancellation). */
#pragma once

#include "sim-time.h"

G_BEGIN_DECLS

typedef void (*SimEventFunc) (gpointer data);

/* A handle to a scheduled event. The zero value refers to no event. */
typedef struct {
  guint32 slot;       /* 1-based slab index; 0 = none */
  guint32 generation; /* matches the slot's generation while pending */
} SimEventId;

#define SIM_EVENT_ID_NONE ((SimEventId){ 0, 0 })

typedef struct _SimEventQueue SimEventQueue;

SimEventQueue *sim_event_queue_new        (void);
void           sim_event_queue_free       (SimEventQueue *queue);
SimEventId     sim_event_queue_push       (SimEventQueue *queue,
                                           SimTime        time,
                                           SimEventFunc   func,
                                           gpointer       data);
gboolean       sim_event_queue_cancel     (SimEventQueue *queue,
                                           SimEventId     id);
gboolean       sim_event_queue_is_pending (SimEventQueue *queue,
                                           SimEventId     id);
SimTime        sim_event_queue_time_of    (SimEventQueue *queue,
                                           SimEventId     id);
/* Removes the earliest live event; FALSE when none is left. */
gboolean       sim_event_queue_pop        (SimEventQueue *queue,
                                           SimTime       *time,
                                           SimEventFunc  *func,
                                           gpointer      *data);
gboolean       sim_event_queue_peek_time  (SimEventQueue *queue,
                                           SimTime       *time);
guint          sim_event_queue_live_count (SimEventQueue *queue);
/* Takes the next insertion sequence number now, without scheduling: an
 * event pushed later with that number (sim_event_queue_push_seq) sorts
 * exactly as if it had been pushed at the moment of the reservation. Lets
 * a model keep many equal-delay timers in a FIFO of its own and keep only
 * the earliest in the heap (TIME-WAIT records), with the very same order. */
guint64        sim_event_queue_reserve_seq (SimEventQueue *queue);
SimEventId     sim_event_queue_push_seq   (SimEventQueue *queue,
                                           SimTime        time,
                                           guint64        seq,
                                           SimEventFunc   func,
                                           gpointer       data);

G_END_DECLS
