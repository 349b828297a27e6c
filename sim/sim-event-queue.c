/* sim-event-queue.c: binary heap of (time, seq, slot) over an event slab. */
#include "sim-event-queue.h"

typedef struct {
  SimTime time;
  guint64 seq;
  guint32 slot;
} HeapEntry;

typedef struct {
  SimEventFunc func;
  gpointer data;
  guint32 generation;
  gboolean pending;   /* scheduled and neither fired nor cancelled */
  gboolean in_heap;   /* still referenced by a heap entry (lazy cancel) */
  SimTime time;
  guint32 next_free;  /* free-list link, 1-based; 0 = end */
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

static void
sift_up (GArray *heap, guint i)
{
  HeapEntry *e = (HeapEntry *) heap->data;
  HeapEntry moving = e[i];
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      if (!entry_before (&moving, &e[parent]))
        break;
      e[i] = e[parent];
      i = parent;
    }
  e[i] = moving;
}

static void
sift_down (GArray *heap, guint i)
{
  HeapEntry *e = (HeapEntry *) heap->data;
  guint n = heap->len;
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
      e[i] = e[child];
      i = child;
    }
  e[i] = moving;
}

static Slot *
slot_at (SimEventQueue *q, guint32 slot)
{
  return &g_array_index (q->slots, Slot, slot - 1);
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

SimEventId
sim_event_queue_push (SimEventQueue *q, SimTime time, SimEventFunc func, gpointer data)
{
  guint32 s = slot_alloc (q);
  Slot *slot = slot_at (q, s);
  slot->func = func;
  slot->data = data;
  slot->pending = TRUE;
  slot->in_heap = TRUE;
  slot->time = time;
  HeapEntry entry = { time, q->next_seq++, s };
  g_array_append_val (q->heap, entry);
  sift_up (q->heap, q->heap->len - 1);
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

/* Lazy cancellation: the heap entry stays and is skipped when it surfaces.
 * Cancelling a fired, cancelled or empty handle is a harmless no-op. */
gboolean
sim_event_queue_cancel (SimEventQueue *q, SimEventId id)
{
  Slot *slot = slot_for_id (q, id);
  if (slot == NULL)
    return FALSE;
  slot->pending = FALSE;
  slot->func = NULL;
  slot->data = NULL;
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

static void
heap_remove_top (GArray *heap)
{
  HeapEntry *e = (HeapEntry *) heap->data;
  e[0] = e[heap->len - 1];
  g_array_set_size (heap, heap->len - 1);
  if (heap->len > 0)
    sift_down (heap, 0);
}

/* Drops cancelled entries from the top so that the top is live. */
static void
discard_cancelled_top (SimEventQueue *q)
{
  while (q->heap->len > 0)
    {
      HeapEntry top = g_array_index (q->heap, HeapEntry, 0);
      Slot *slot = slot_at (q, top.slot);
      if (slot->pending)
        return;
      heap_remove_top (q->heap);
      slot->in_heap = FALSE;
      slot_release (q, top.slot);
    }
}

gboolean
sim_event_queue_peek_time (SimEventQueue *q, SimTime *time)
{
  discard_cancelled_top (q);
  if (q->heap->len == 0)
    return FALSE;
  *time = g_array_index (q->heap, HeapEntry, 0).time;
  return TRUE;
}

gboolean
sim_event_queue_pop (SimEventQueue *q, SimTime *time, SimEventFunc *func, gpointer *data)
{
  discard_cancelled_top (q);
  if (q->heap->len == 0)
    return FALSE;
  HeapEntry top = g_array_index (q->heap, HeapEntry, 0);
  heap_remove_top (q->heap);
  Slot *slot = slot_at (q, top.slot);
  *time = top.time;
  *func = slot->func;
  *data = slot->data;
  slot->pending = FALSE;
  slot->in_heap = FALSE;
  slot_release (q, top.slot);
  q->live--;
  return TRUE;
}

guint
sim_event_queue_live_count (SimEventQueue *q)
{
  return q->live;
}
