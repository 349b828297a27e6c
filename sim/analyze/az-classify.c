/* az-classify.c: see az-classify.h. The evidence, strongest first:
 * - a SYN opens an incarnation unless it repeats the current one's ISN
 *   (a retransmission, RFC 9293 3.8.1) or an older one's (a duplicate);
 * - a SYN,ACK belongs to the incarnation whose SYN it acknowledges;
 * - a TSval inside an older incarnation's range and below the newest
 *   one's first (RFC 7323 5: TSvals of one connection only grow);
 * - the same bytes at the same sequence numbers as an older incarnation's
 *   data segment, which the newest one never sent (a duplicate);
 * - the sequence number: inside the newest incarnation's space (up to
 *   SND.MAX plus the peer's window) or inside only an older one's. */
#include "az-classify.h"

#include "tcp-seq.h"

static gboolean
seq_in (guint32 x, guint32 lo, guint32 hi)
{
  return tcp_seq_leq (lo, x) && tcp_seq_leq (x, hi);
}

static guint32
side_low (const AzSide *s)
{
  return s->isn_known ? s->isn : s->lo;
}

static gboolean
fits_current (const AzInc *inc, int d, const CapSegment *seg)
{
  const AzSide *s = &inc->side[d];
  const AzSide *peer = &inc->side[1 - d];
  /* RFC 9293 3.10.7: a RST carries the sender's SND.NXT (or SEG.ACK of
   * what it answers), never beyond what the sender has sent. */
  if (seg->flags & CAP_FLAG_RST)
    return seq_in (seg->seq, side_low (s), s->snd_max);
  guint32 wnd = peer->known ? MAX (peer->win, 1460u) : 65535u;
  return seq_in (seg->seq, side_low (s), s->snd_max + wnd);
}

static gboolean
fits_sent (const AzInc *inc, int d, const CapSegment *seg)
{
  const AzSide *s = &inc->side[d];
  return s->known && seq_in (seg->seq, side_low (s), s->snd_max);
}

static gboolean
ts_says_old (const AzInc *cur, const AzInc *old, int d, const CapSegment *seg)
{
  const AzSide *c = &cur->side[d];
  const AzSide *o = &old->side[d];
  return seg->has_ts && c->ts_known && o->ts_known
         && seq_in (seg->tsval, o->ts_first, o->ts_last) && tcp_seq_lt (seg->tsval, c->ts_first);
}

static AzClass
make (AzClassKind kind, AzInc *inc, const char *evidence)
{
  AzClass c = { kind, inc, evidence, 0 };
  return c;
}

static AzClass
classify_syn (const AzTuple *t, AzInc *cur, int d, const CapSegment *seg)
{
  if (cur == NULL)
    return make (AZ_CLASS_NEW, NULL, "SYN");
  gboolean open = !az_inc_over (cur);
  if (open && cur->client == d && cur->side[d].isn_known && cur->side[d].isn == seg->seq)
    return make (AZ_CLASS_CURRENT, cur, "a retransmitted SYN");
  if (open && cur->client != d && !cur->side[d].known)
    return make (AZ_CLASS_CURRENT, cur, "simultaneous open");
  for (guint j = t->incs->len - 1; open && j-- > 0;)
    {
      AzInc *old = g_ptr_array_index (t->incs, j);
      if (old->client == d && old->side[d].isn_known && old->side[d].isn == seg->seq)
        return make (AZ_CLASS_OLD, old, "it repeats the SYN (same ISN) of an older incarnation");
    }
  return make (AZ_CLASS_NEW, NULL, "SYN");
}

static AzClass
classify_synack (const AzTuple *t, AzInc *cur, int d, const CapSegment *seg)
{
  int c = 1 - d;
  if (cur->client == c && cur->side[c].isn_known && seg->ack == cur->side[c].isn + 1)
    return make (AZ_CLASS_CURRENT, cur, "SYN,ACK");
  for (guint j = t->incs->len - 1; j-- > 0;)
    {
      AzInc *old = g_ptr_array_index (t->incs, j);
      if (old->client == c && old->side[c].isn_known && seg->ack == old->side[c].isn + 1)
        return make (AZ_CLASS_OLD, old, "it acknowledges the SYN of an older incarnation");
    }
  return make (AZ_CLASS_CURRENT, cur, "SYN,ACK");
}

static AzClass
classify_other (const AzTuple *t, AzInc *cur, int d, const CapSegment *seg)
{
  for (guint j = t->incs->len - 1; j-- > 0;)
    {
      AzInc *old = g_ptr_array_index (t->incs, j);
      if (ts_says_old (cur, old, d, seg))
        return make (AZ_CLASS_OLD, old, "its TSval lies in the older incarnation's range, below the newer one's first");
      guint64 first = 0;
      if (az_inc_has_print (old, d, seg, &first) && !az_inc_has_print (cur, d, seg, NULL))
        {
          AzClass c = make (AZ_CLASS_OLD, old, "same bytes at the same sequence numbers as an older incarnation's segment");
          c.print_packet = first;
          return c;
        }
    }
  if (cur->side[d].known && fits_current (cur, d, seg))
    return make (AZ_CLASS_CURRENT, cur, "in sequence");
  for (guint j = t->incs->len - 1; j-- > 0;)
    {
      AzInc *old = g_ptr_array_index (t->incs, j);
      if (fits_sent (old, d, seg))
        return make (AZ_CLASS_OLD, old, "its sequence number lies in the older incarnation's space, not the newer one's");
    }
  return make (AZ_CLASS_CURRENT, cur, "out of sequence");
}

AzClass
az_classify (const AzTuple *t, int d, const CapSegment *seg)
{
  AzInc *cur = az_tuple_newest (t);
  gboolean syn = (seg->flags & CAP_FLAG_SYN) != 0;
  gboolean ack = (seg->flags & CAP_FLAG_ACK) != 0;
  if (syn && !ack)
    return classify_syn (t, cur, d, seg);
  if (cur == NULL)
    return make (AZ_CLASS_NEW, NULL, "capture began mid-connection");
  if (syn)
    return classify_synack (t, cur, d, seg);
  return classify_other (t, cur, d, seg);
}
