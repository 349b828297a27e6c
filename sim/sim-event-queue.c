/* sim-event-queue.c: binary heap of (time, seq, slot) over an event slab.
 *
 * The heap is indexed: each slot knows its heap position, so a cancelled
 * event leaves the heap at once (O(log n)) instead of waiting to surface.
 * The heap then holds live events only: with many restarted timers (every
 * RFC 6298 timer restart is a cancel and a push) it stays small. The order
 * is the same strict (time, seq) order either way. */
#include "sim-event-queue.h"

typedef struct {
  SimTime time;
  guint64 seq;
  guint32 slot;
} HeapEntry;

typedef struct {
  SimEventFunc func;
  gpointer data;
  SimTime time;
  guint32 generation;
  guint32 heap_pos;   /* index in the heap while pending */
  guint32 next_free;  /* free-list link, 1-based; 0 = end */
  gboolean pending;   /* scheduled and neither fired nor cancelled */
} Slot;

struct _SimEventQueue {
  GArray *heap;   /* HeapEntry */
  GArray *slots;  /* Slot */
  guint32 free_head;
  guint64 next_seq;
  guint live;
};

SimEventQueue *
sim_event_queue_new (void)
{
  SimEventQueue *q = g_new0 (SimEventQueue, 1);
  q->heap = g_array_new (FALSE, FALSE, sizeof (HeapEntry));
  q->slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  return q;
}

void
sim_event_queue_free (SimEventQueue *queue)
{
  if (queue == NULL)
    return;
  g_array_free (queue->heap, TRUE);
  g_array_free (queue->slots, TRUE);
  g_free (queue);
}

/* The strict order: earlier time first, then earlier insertion. Two entries
 * never compare equal because sequence numbers are unique. */
static inline gboolean
entry_before (const HeapEntry *a, const HeapEntry *b)
{
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static Slot *
slot_at (SimEventQueue *q, guint32 slot)
{
  return &g_array_index (q->slots, Slot, slot - 1);
}

static inline void
heap_place (SimEventQueue *q, HeapEntry *e, guint i, const HeapEntry *entry)
{
  e[i] = *entry;
  slot_at (q, entry->slot)->heap_pos = i;
}

static void
sift_up (SimEventQueue *q, guint i)
{
  HeapEntry *e = (HeapEntry *) q->heap->data;
  HeapEntry moving = e[i];
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      if (!entry_before (&moving, &e[parent]))
        break;
      heap_place (q, e, i, &e[parent]);
      i = parent;
    }
  heap_place (q, e, i, &moving);
}

static void
sift_down (SimEventQueue *q, guint i)
{
  HeapEntry *e = (HeapEntry *) q->heap->data;
  guint n = q->heap->len;
  HeapEntry moving = e[i];
  for (;;)
    {
      guint child = 2 * i + 1;
      if (child >= n)
        break;
      if (child + 1 < n && entry_before (&e[child + 1], &e[child]))
        child++;
      if (!entry_before (&e[child], &moving))
        break;
      heap_place (q, e, i, &e[child]);
      i = child;
    }
  heap_place (q, e, i, &moving);
}

/* Removes the entry at heap position i. */
static void
heap_remove_at (SimEventQueue *q, guint i)
{
  HeapEntry *e = (HeapEntry *) q->heap->data;
  guint last = q->heap->len - 1;
  if (i != last)
    {
      HeapEntry moved = e[last];
      g_array_set_size (q->heap, last);
      heap_place (q, e, i, &moved);
      if (i > 0 && entry_before (&moved, &e[(i - 1) / 2]))
        sift_up (q, i);
      else
        sift_down (q, i);
    }
  else
    g_array_set_size (q->heap, last);
}

static guint32
slot_alloc (SimEventQueue *q)
{
  if (q->free_head != 0)
    {
      guint32 s = q->free_head;
      q->free_head = slot_at (q, s)->next_free;
      return s;
    }
  g_array_set_size (q->slots, q->slots->len + 1);
  return q->slots->len;
}

static void
slot_release (SimEventQueue *q, guint32 s)
{
  Slot *slot = slot_at (q, s);
  slot->generation++;
  slot->func = NULL;
  slot->data = NULL;
  slot->next_free = q->free_head;
  q->free_head = s;
}

guint64
sim_event_queue_reserve_seq (SimEventQueue *q)
{
  return q->next_seq++;
}

SimEventId
sim_event_queue_push (SimEventQueue *q, SimTime time, SimEventFunc func, gpointer data)
{
  return sim_event_queue_push_seq (q, time, q->next_seq++, func, data);
}

SimEventId
sim_event_queue_push_seq (SimEventQueue *q, SimTime time, guint64 seq, SimEventFunc func,
                          gpointer data)
{
  guint32 s = slot_alloc (q);
  Slot *slot = slot_at (q, s);
  slot->func = func;
  slot->data = data;
  slot->pending = TRUE;
  slot->time = time;
  HeapEntry entry = { time, seq, s };
  g_array_append_val (q->heap, entry);
  sift_up (q, q->heap->len - 1);
  q->live++;
  return (SimEventId){ s, slot->generation };
}

static Slot *
slot_for_id (SimEventQueue *q, SimEventId id)
{
  if (id.slot == 0 || id.slot > q->slots->len)
    return NULL;
  Slot *slot = slot_at (q, id.slot);
  if (slot->generation != id.generation || !slot->pending)
    return NULL;
  return slot;
}

/* Cancelling a fired, cancelled or empty handle is a harmless no-op. */
gboolean
sim_event_queue_cancel (SimEventQueue *q, SimEventId id)
{
  Slot *slot = slot_for_id (q, id);
  if (slot == NULL)
    return FALSE;
  slot->pending = FALSE;
  heap_remove_at (q, slot->heap_pos);
  slot_release (q, id.slot);
  q->live--;
  return TRUE;
}

gboolean
sim_event_queue_is_pending (SimEventQueue *q, SimEventId id)
{
  return slot_for_id (q, id) != NULL;
}

SimTime
sim_event_queue_time_of (SimEventQueue *q, SimEventId id)
{
  Slot *slot = slot_for_id (q, id);
  return slot != NULL ? slot->time : SIM_TIME_NEVER;
}

gboolean
sim_event_queue_peek_time (SimEventQueue *q, SimTime *time)
{
  if (q->heap->len == 0)
    return FALSE;
  *time = g_array_index (q->heap, HeapEntry, 0).time;
  return TRUE;
}

gboolean
sim_event_queue_pop (SimEventQueue *q, SimTime *time, SimEventFunc *func, gpointer *data)
{
  if (q->heap->len == 0)
    return FALSE;
  HeapEntry top = g_array_index (q->heap, HeapEntry, 0);
  heap_remove_at (q, 0);
  Slot *slot = slot_at (q, top.slot);
  *time = top.time;
  *func = slot->func;
  *data = slot->data;
  slot->pending = FALSE;
  slot_release (q, top.slot);
  q->live--;
  return TRUE;
}

guint
sim_event_queue_live_count (SimEventQueue *q)
{
  return q->live;
}
