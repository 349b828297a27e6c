/* az-model.c: bookkeeping of four-tuples and incarnations seen on the wire. */
#include "az-model.h"

#include "tcp-seq.h"

#include <string.h>

AzTuple *
az_tuple_new (const CapEndpoint *a, const CapEndpoint *b)
{
  AzTuple *t = g_new0 (AzTuple, 1);
  gboolean swap = cap_endpoint_compare (a, b) > 0;
  t->ep[0] = swap ? *b : *a;
  t->ep[1] = swap ? *a : *b;
  for (int i = 0; i < 2; i++)
    {
      GString *s = g_string_new (NULL);
      cap_endpoint_append (s, &t->ep[i]);
      t->ep_name[i] = g_string_free (s, FALSE);
    }
  t->name = g_strdup_printf ("%s <-> %s", t->ep_name[0], t->ep_name[1]);
  t->incs = g_ptr_array_new_with_free_func (g_free);
  return t;
}

void
az_tuple_free (AzTuple *t)
{
  if (t == NULL)
    return;
  g_ptr_array_unref (t->incs);
  g_free (t->name);
  g_free (t->ep_name[0]);
  g_free (t->ep_name[1]);
  g_free (t);
}

AzInc *
az_tuple_newest (const AzTuple *t)
{
  return t->incs->len > 0 ? g_ptr_array_index (t->incs, t->incs->len - 1) : NULL;
}

AzInc *
az_tuple_add_inc (AzTuple *t, int client, gint64 now, guint64 packet)
{
  if (t->incs->len >= AZ_KEEP_INCS)
    g_ptr_array_remove_index (t->incs, 0);
  AzInc *inc = g_new0 (AzInc, 1);
  inc->n = ++t->n_incs;
  inc->client = client;
  inc->t_first = inc->t_last = now;
  inc->first_packet = packet;
  inc->closer = -1;
  inc->tw_holder = -1;
  inc->h2_last_dir = -1;
  inc->side[0].wscale = inc->side[1].wscale = -1;
  g_ptr_array_add (t->incs, inc);
  t->pending = FALSE;
  t->tw_answered_old = FALSE;
  return inc;
}

int
az_tuple_side (const AzTuple *t, const CapSegment *seg)
{
  return cap_endpoint_compare (&seg->src, &t->ep[0]) == 0 ? 0 : 1;
}

guint32
az_seg_seqlen (const CapSegment *seg)
{
  return seg->len + ((seg->flags & CAP_FLAG_SYN) ? 1 : 0) + ((seg->flags & CAP_FLAG_FIN) ? 1 : 0);
}

gboolean
az_inc_over (const AzInc *inc)
{
  return inc->reset || (inc->side[0].fin && inc->side[1].fin);
}

gboolean
az_inc_ts_on (const AzInc *inc)
{
  return inc->side[0].ts_syn && inc->side[1].ts_syn;
}

/* FNV-1a over the captured payload. */
static guint32
payload_hash (const CapSegment *seg)
{
  guint32 h = 2166136261u;
  for (guint32 i = 0; i < seg->payload_caplen; i++)
    h = (h ^ seg->payload[i]) * 16777619u;
  return h;
}

gboolean
az_inc_has_print (const AzInc *inc, int d, const CapSegment *seg, guint64 *packet)
{
  if (seg->len == 0)
    return FALSE;
  const AzSide *s = &inc->side[d];
  guint32 h = payload_hash (seg);
  for (guint i = 0; i < s->n_prints; i++)
    if (s->prints[i].seq == seg->seq && s->prints[i].len == seg->len && s->prints[i].hash == h)
      {
        if (packet != NULL)
          *packet = s->prints[i].packet;
        return TRUE;
      }
  return FALSE;
}

gboolean
az_inc_print_conflict (const AzInc *inc, int d, const CapSegment *seg, guint64 *packet)
{
  if (seg->len == 0)
    return FALSE;
  const AzSide *s = &inc->side[d];
  guint32 h = payload_hash (seg);
  for (guint i = 0; i < s->n_prints; i++)
    if (s->prints[i].seq == seg->seq && s->prints[i].len == seg->len && s->prints[i].hash != h)
      {
        *packet = s->prints[i].packet;
        return TRUE;
      }
  return FALSE;
}

static void
record_print (AzSide *s, const CapSegment *seg)
{
  if (seg->len == 0)
    return;
  AzPrint p = { seg->seq, seg->len, payload_hash (seg), seg->number };
  s->prints[s->next_print] = p;
  s->next_print = (s->next_print + 1) % AZ_FINGERPRINTS;
  if (s->n_prints < AZ_FINGERPRINTS)
    s->n_prints++;
}

static void
record_syn (AzInc *inc, AzSide *s, const CapSegment *seg)
{
  if (!(seg->flags & CAP_FLAG_SYN))
    return;
  if (!s->isn_known)
    {
      s->isn_known = TRUE;
      s->isn = seg->seq;
    }
  s->ts_syn = seg->has_ts;
  s->wscale = seg->wscale;
  (void) inc;
}

/* RFC 7323 2.2: the window field of a SYN is never scaled; afterwards it is
 * shifted by the scale the sender announced, when both sides announced one. */
static guint32
scaled_window (const AzInc *inc, int d, const CapSegment *seg)
{
  gboolean both = inc->side[0].wscale >= 0 && inc->side[1].wscale >= 0;
  if ((seg->flags & CAP_FLAG_SYN) || !both)
    return seg->win;
  return (guint32) seg->win << inc->side[d].wscale;
}

void
az_inc_record (AzInc *inc, int d, const CapSegment *seg)
{
  AzSide *s = &inc->side[d];
  guint32 end = seg->seq + az_seg_seqlen (seg);
  record_syn (inc, s, seg);
  if (!s->known)
    {
      s->known = TRUE;
      s->lo = seg->seq;
      s->snd_max = end;
    }
  else if (!(seg->flags & CAP_FLAG_RST))
    {
      if (tcp_seq_lt (seg->seq, s->lo))
        s->lo = seg->seq;
      s->snd_max = tcp_seq_max (s->snd_max, end);
    }
  if (seg->flags & CAP_FLAG_ACK)
    {
      s->ack_max = s->ack_known ? tcp_seq_max (s->ack_max, seg->ack) : seg->ack;
      s->ack_known = TRUE;
    }
  s->win = scaled_window (inc, d, seg);
  if (seg->has_ts)
    {
      if (!s->ts_known)
        s->ts_first = seg->tsval;
      else if (tcp_seq_lt (seg->tsval, s->ts_first))
        s->ts_first = seg->tsval;
      s->ts_last = s->ts_known ? tcp_seq_max (s->ts_last, seg->tsval) : seg->tsval;
      s->ts_known = TRUE;
    }
  if ((seg->flags & CAP_FLAG_FIN) && !s->fin)
    {
      s->fin = TRUE;
      s->fin_seq = seg->seq + seg->len;
      if (inc->closer < 0)
        inc->closer = d;
    }
  if (seg->flags & CAP_FLAG_RST)
    {
      s->rst = TRUE;
      inc->reset = TRUE;
    }
  record_print (s, seg);
  inc->t_last = seg->t;
}
