/* tcp-incarnations.c: numbering of the incarnations of each 4-tuple and of
 * connection ids. Shared by all the stacks of one network; ground truth for
 * provenance, invisible to TCP itself. */
#include "tcp.h"

#include <string.h>

/* One counter per 4-tuple ever used, inline in open-addressing tables
 * (linear probing; a slot with count 0 is empty; nothing is ever removed):
 * no allocation per connection. Two IPv4 addresses take a 16-byte slot
 * (four per cache line); any other tuple a 44-byte one in a second table. */
typedef struct {
  guint32 a, b;     /* the addresses' bytes[0..3], normalised order */
  guint16 pa, pb;
  guint32 count;
} IncSlot4;

typedef struct {
  NetFourTuple key; /* normalised */
  guint32 count;
} IncSlot;

typedef struct {
  gpointer slots;   /* IncSlot4 or IncSlot */
  guint mask;       /* slots - 1 */
  guint used;
} IncTable;

struct _TcpIncarnations {
  IncTable narrow;  /* IncSlot4 */
  IncTable wide;    /* IncSlot */
  guint64 last_id;
  guint64 last_segment_id;
};

TcpIncarnations *
tcp_incarnations_new (void)
{
  TcpIncarnations *inc = g_new0 (TcpIncarnations, 1);
  inc->narrow.slots = g_new0 (IncSlot4, 64);
  inc->narrow.mask = 63;
  inc->wide.slots = g_new0 (IncSlot, 64);
  inc->wide.mask = 63;
  return inc;
}

void
tcp_incarnations_free (TcpIncarnations *inc)
{
  if (inc == NULL)
    return;
  g_free (inc->narrow.slots);
  g_free (inc->wide.slots);
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

/* MurmurHash3's 64-bit finaliser over the packed key. */
static guint
inc4_hash (const IncSlot4 *k)
{
  guint64 h = ((guint64) k->a << 32 | k->b) ^ (((guint64) k->pa << 16 | k->pb) << 13);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return (guint) h;
}

static IncSlot4 *
inc4_find (IncSlot4 *slots, guint mask, const IncSlot4 *key)
{
  for (guint i = inc4_hash (key) & mask;; i = (i + 1) & mask)
    if (slots[i].count == 0
        || (slots[i].a == key->a && slots[i].b == key->b && slots[i].pa == key->pa
            && slots[i].pb == key->pb))
      return &slots[i];
}

/* At most 3/4 of the slots used once `table` takes one more. */
static gboolean
inc_table_full (const IncTable *table)
{
  return (guint64) (table->used + 1) * 4 > (guint64) (table->mask + 1) * 3;
}

static guint32 *
inc4_counter (IncTable *t, const IncSlot4 *key)
{
  IncSlot4 *slot = inc4_find (t->slots, t->mask, key);
  if (slot->count != 0)
    return &slot->count;
  if (inc_table_full (t))
    {
      guint size = (t->mask + 1) * 2;
      IncSlot4 *old = t->slots, *slots = g_new0 (IncSlot4, size);
      for (guint i = 0; i <= t->mask; i++)
        if (old[i].count != 0)
          *inc4_find (slots, size - 1, &old[i]) = old[i];
      g_free (old);
      t->slots = slots;
      t->mask = size - 1;
      slot = inc4_find (slots, t->mask, key);
    }
  t->used++;
  *slot = *key;
  return &slot->count;
}

static guint32 *
inc_counter (IncTable *t, const NetFourTuple *key)
{
  IncSlot *slot = inc_find (t->slots, t->mask, key);
  if (slot->count != 0)
    return &slot->count;
  if (inc_table_full (t))
    {
      guint size = (t->mask + 1) * 2;
      IncSlot *old = t->slots, *slots = g_new0 (IncSlot, size);
      for (guint i = 0; i <= t->mask; i++)
        if (old[i].count != 0)
          *inc_find (slots, size - 1, &old[i].key) = old[i];
      g_free (old);
      t->slots = slots;
      t->mask = size - 1;
      slot = inc_find (slots, t->mask, key);
    }
  t->used++;
  slot->key = *key;
  return &slot->count;
}

/* Plain IPv4 (family IPv4, nothing beyond bytes[0..3]). */
static gboolean
addr_is_narrow (NetAddr a)
{
  static const guint8 zeros[12] = { 0 };
  return a.family == NET_FAMILY_IPV4 && memcmp (a.bytes + 4, zeros, 12) == 0;
}

guint32
tcp_incarnations_next (TcpIncarnations *inc, const NetFourTuple *tuple)
{
  NetFourTuple key = normalise (tuple);
  if (addr_is_narrow (key.local.ip) && addr_is_narrow (key.remote.ip))
    {
      IncSlot4 k = { 0 };
      memcpy (&k.a, key.local.ip.bytes, 4);
      memcpy (&k.b, key.remote.ip.bytes, 4);
      k.pa = key.local.port;
      k.pb = key.remote.port;
      return ++*inc4_counter (&inc->narrow, &k);
    }
  return ++*inc_counter (&inc->wide, &key);
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
