/* tcp-incarnations.c: numbering of the incarnations of each 4-tuple and of
 * connection ids. Shared by all the stacks of one network; ground truth for
 * provenance, invisible to TCP itself. */
#include "tcp.h"

struct _TcpIncarnations {
  GHashTable *counters; /* normalised NetFourTuple* -> guint32 count; lookup only */
  guint64 last_id;
  guint64 last_segment_id;
};

TcpIncarnations *
tcp_incarnations_new (void)
{
  TcpIncarnations *inc = g_new0 (TcpIncarnations, 1);
  inc->counters = g_hash_table_new_full (net_four_tuple_hash_func,
                                         net_four_tuple_equal_func, g_free, NULL);
  return inc;
}

void
tcp_incarnations_free (TcpIncarnations *inc)
{
  if (inc == NULL)
    return;
  g_hash_table_destroy (inc->counters);
  g_free (inc);
}

static gboolean
endpoint_before (NetEndpoint a, NetEndpoint b)
{
  return a.ip < b.ip || (a.ip == b.ip && a.port < b.port);
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

guint32
tcp_incarnations_next (TcpIncarnations *inc, const NetFourTuple *tuple)
{
  NetFourTuple key = normalise (tuple);
  gpointer value;
  guint32 n = 0;
  if (g_hash_table_lookup_extended (inc->counters, &key, NULL, &value))
    n = GPOINTER_TO_UINT (value);
  n++;
  g_hash_table_replace (inc->counters, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (n));
  return n;
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
