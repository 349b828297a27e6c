/* az-tracker.c: see az-tracker.h. */
#include "az-tracker.h"

#include <string.h>

struct _AzTracker {
  AzCtx ctx;
  GHashTable *tuples;      /* AzKey * -> AzTuple * (owned by the value) */
  gint64 last_sweep;
  guint peak_live;
  gint64 last_time;
  guint64 n_tuples;
  AzSegmentFunc on_segment;
  gpointer on_segment_data;
};

/* The key: both endpoints, lower first (the tuple's ep[] is the key). */
static guint
key_hash (gconstpointer p)
{
  const CapEndpoint *ep = p;
  guint h = 5381;
  for (int i = 0; i < 2; i++)
    {
      h = h * 33 + ep[i].family;
      for (int b = 0; b < 16; b++)
        h = h * 33 + ep[i].addr[b];
      h = h * 33 + ep[i].port;
    }
  return h;
}

static gboolean
key_equal (gconstpointer a, gconstpointer b)
{
  const CapEndpoint *x = a, *y = b;
  return cap_endpoint_compare (&x[0], &y[0]) == 0 && cap_endpoint_compare (&x[1], &y[1]) == 0;
}

AzTracker *
az_tracker_new (const AzRules *rules, SimTrace *trace)
{
  AzTracker *tr = g_new0 (AzTracker, 1);
  tr->ctx.rules = *rules;
  tr->ctx.report.trace = trace;
  tr->tuples = g_hash_table_new_full (key_hash, key_equal, NULL, (GDestroyNotify) az_tuple_free);
  return tr;
}

void
az_tracker_on_segment (AzTracker *tr, AzSegmentFunc fn, gpointer data)
{
  tr->on_segment = fn;
  tr->on_segment_data = data;
}

void
az_tracker_free (AzTracker *tr)
{
  if (tr == NULL)
    return;
  g_hash_table_unref (tr->tuples);
  g_free (tr);
}

guint az_tracker_peak_live (const AzTracker *tr) { return tr->peak_live; }
guint64 az_tracker_tuples (const AzTracker *tr) { return tr->n_tuples; }
gint64 az_tracker_last_time (const AzTracker *tr) { return tr->last_time; }
const AzReport *az_tracker_report (const AzTracker *tr) { return &tr->ctx.report; }

static int
tuple_order (gconstpointer a, gconstpointer b)
{
  const AzTuple *x = *(AzTuple *const *) a, *y = *(AzTuple *const *) b;
  int c = cap_endpoint_compare (&x->ep[0], &y->ep[0]);
  return c != 0 ? c : cap_endpoint_compare (&x->ep[1], &y->ep[1]);
}

/* Summarises and forgets the tuples idle since before `before` (all of
 * them when all is TRUE), in address order: deterministic output. */
static void
sweep (AzTracker *tr, gint64 before, gboolean all)
{
  GPtrArray *gone = g_ptr_array_new ();
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, tr->tuples);
  while (g_hash_table_iter_next (&it, NULL, &value))
    if (all || ((AzTuple *) value)->t_last < before)
      g_ptr_array_add (gone, value);
  g_ptr_array_sort (gone, tuple_order);
  for (guint i = 0; i < gone->len; i++)
    {
      AzTuple *t = g_ptr_array_index (gone, i);
      az_report_tuple (&tr->ctx.report, t);
      g_hash_table_remove (tr->tuples, t->ep);
    }
  g_ptr_array_free (gone, TRUE);
}

static AzTuple *
lookup (AzTracker *tr, const CapSegment *seg)
{
  CapEndpoint key[2];
  gboolean swap = cap_endpoint_compare (&seg->src, &seg->dst) > 0;
  key[0] = swap ? seg->dst : seg->src;
  key[1] = swap ? seg->src : seg->dst;
  AzTuple *t = g_hash_table_lookup (tr->tuples, key);
  if (t != NULL)
    return t;
  t = az_tuple_new (&seg->src, &seg->dst);
  g_hash_table_insert (tr->tuples, t->ep, t);
  tr->n_tuples++;
  tr->peak_live = MAX (tr->peak_live, g_hash_table_size (tr->tuples));
  return t;
}

static void
start_incarnation (AzTracker *tr, AzTuple *t, int d, const CapSegment *seg)
{
  AzInc *prev = az_tuple_newest (t);
  gboolean syn = (seg->flags & CAP_FLAG_SYN) != 0;
  AzInc *inc = az_tuple_add_inc (t, syn ? d : -1, seg->t, seg->number);
  g_autofree char *how = syn
    ? g_strdup_printf ("SYN, ISN %u%s", seg->seq, seg->has_ts ? ", timestamps offered" : ", no timestamps")
    : g_strdup ("the capture began mid-connection");
  az_report_incarnation (&tr->ctx.report, t, inc, seg, how);
  az_check_new (&tr->ctx, t, prev, inc, d, seg);
  az_inc_record (inc, d, seg);
}

void
az_tracker_feed (AzTracker *tr, const CapSegment *seg)
{
  /* Forget idle tuples: after TIME-WAIT + MSL nothing of theirs matters. */
  gint64 horizon = tr->ctx.rules.time_wait + tr->ctx.rules.msl;
  if (seg->t - tr->last_sweep >= horizon / 8)
    {
      sweep (tr, seg->t - horizon, FALSE);
      tr->last_sweep = seg->t;
    }
  tr->last_time = MAX (tr->last_time, seg->t);
  AzTuple *t = lookup (tr, seg);
  int d = az_tuple_side (t, seg);
  t->segments++;
  t->t_last = seg->t;
  AzClass cls = az_classify (t, d, seg);
  /* A RST that reached a TIME-WAIT belongs to that incarnation. */
  AzInc *tw = az_check_time_wait_rst (&tr->ctx, t, d, seg);
  gboolean twa = tw != NULL;
  if (twa && cls.kind != AZ_CLASS_NEW)
    cls.inc = tw;
  switch (cls.kind)
    {
    case AZ_CLASS_NEW:
      start_incarnation (tr, t, d, seg);
      break;
    case AZ_CLASS_CURRENT:
      if (!twa)
        az_check_current (&tr->ctx, t, cls.inc, d, seg);
      az_inc_record (cls.inc, d, seg);
      break;
    case AZ_CLASS_OLD:
      if (!twa)
        az_check_old (&tr->ctx, t, &cls, d, seg);
      az_inc_record (cls.inc, d, seg);
      break;
    }
  AzInc *inc = cls.kind == AZ_CLASS_NEW ? az_tuple_newest (t) : cls.inc;
  az_check_time_wait_start (inc, seg);
  if (tr->on_segment != NULL)
    tr->on_segment (t, d, inc->n, cls.kind == AZ_CLASS_OLD, seg, tr->on_segment_data);
}

void
az_tracker_finish (AzTracker *tr)
{
  sweep (tr, 0, TRUE);
}
