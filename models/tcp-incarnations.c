/* tcp-incarnations.c: numbering of the incarnations of each 4-tuple and of
 * connection ids. Shared by all the stacks of one network; ground truth for
 * provenance, invisible to TCP itself. */
#include "tcp.h"

/* One counter per 4-tuple ever used, inline in an open-addressing table
 * (linear probing; a slot with count 0 is empty; nothing is ever removed):
 * no allocation per connection, 20 bytes a slot. */
typedef struct {
  NetFourTuple key; /* normalised */
  guint32 count;
} IncSlot;

struct _TcpIncarnations {
  IncSlot *slots;
  guint mask;       /* slots - 1 */
  guint used;
  guint64 last_id;
  guint64 last_segment_id;
};

TcpIncarnations *
tcp_incarnations_new (void)
{
  TcpIncarnations *inc = g_new0 (TcpIncarnations, 1);
  inc->slots = g_new0 (IncSlot, 64);
  inc->mask = 63;
  return inc;
}

void
tcp_incarnations_free (TcpIncarnations *inc)
{
  if (inc == NULL)
    return;
  g_free (inc->slots);
  g_free (inc);
}

static gboolean
endpoint_before (NetEndpoint a, NetEndpoint b)
{
  int c = net_addr_compare (a.ip, b.ip);
  return c < 0 || (c == 0 && a.port < b.port);
}

/* Both directions of a connection share one counter: the key puts the
 * smaller endpoint first. */
static NetFourTuple
normalise (const NetFourTuple *tuple)
{
  if (endpoint_before (tuple->remote, tuple->local))
    return net_four_tuple_reverse (tuple);
  return *tuple;
}

static IncSlot *
inc_find (IncSlot *slots, guint mask, const NetFourTuple *key)
{
  for (guint i = net_four_tuple_hash (key) & mask;; i = (i + 1) & mask)
    if (slots[i].count == 0 || net_four_tuple_equal (&slots[i].key, key))
      return &slots[i];
}

guint32
tcp_incarnations_next (TcpIncarnations *inc, const NetFourTuple *tuple)
{
  NetFourTuple key = normalise (tuple);
  IncSlot *slot = inc_find (inc->slots, inc->mask, &key);
  if (slot->count == 0)
    {
      if ((guint64) (inc->used + 1) * 4 > (guint64) (inc->mask + 1) * 3)
        {
          guint size = (inc->mask + 1) * 2;
          IncSlot *slots = g_new0 (IncSlot, size);
          for (guint i = 0; i <= inc->mask; i++)
            if (inc->slots[i].count != 0)
              *inc_find (slots, size - 1, &inc->slots[i].key) = inc->slots[i];
          g_free (inc->slots);
          inc->slots = slots;
          inc->mask = size - 1;
          slot = inc_find (inc->slots, inc->mask, &key);
        }
      inc->used++;
      slot->key = key;
    }
  return ++slot->count;
}

guint64
tcp_incarnations_new_id (TcpIncarnations *inc)
{
  return ++inc->last_id;
}

guint64
tcp_incarnations_new_segment_id (TcpIncarnations *inc)
{
  return ++inc->last_segment_id;
}
