/* az-checks.c: REUSE, old-incarnation segments (H1-RISK, STALE), TIME-WAIT
 * assassination (TWA), ACK loops (H2), new connections reset by old ones
 * (H3), and the ISN and timestamp facts. Rules: az-rules.c. */
#include "az-checks.h"

#include "tcp-seq.h"

static char *
dur (SimTime t)
{
  GString *s = g_string_new (NULL);
  sim_time_append (s, t);
  return g_string_free (s, FALSE);
}

static SimTime
tw_end (const AzCtx *c, const AzInc *inc)
{
  return inc->tw_start + c->rules.time_wait;
}

/* The previous incarnation of d is still open: no FIN from d acknowledged
 * by the peer and no RST (LAST-ACK, FIN-WAIT or ESTABLISHED on d). */
static gboolean
still_open (const AzInc *prev, int d)
{
  const AzSide *s = &prev->side[d];
  const AzSide *peer = &prev->side[1 - d];
  if (!s->known || prev->reset)
    return FALSE;
  return !(s->fin && peer->ack_known && tcp_seq_gt (peer->ack_max, s->fin_seq));
}

static void
check_reuse (AzCtx *c, AzTuple *t, AzInc *prev, AzInc *inc, int d, const CapSegment *seg)
{
  if (!prev->tw || seg->t >= tw_end (c, prev))
    return;
  int h = prev->tw_holder;
  g_autofree char *ago = dur (seg->t - prev->tw_start);
  g_autofree char *left = dur (tw_end (c, prev) - seg->t);
  g_autofree char *len = dur (c->rules.time_wait);
  const char *how;
  if (d == h)
    how = "by the TIME-WAIT holder itself (its TIME-WAIT was cut short or never kept: "
          "SO_REUSEADDR, tcp_tw_reuse, a restart or a crash)";
  else if (prev->tw_killed)
    how = "by the peer, after a RST had ended that TIME-WAIT (see TWA)";
  else if (az_rules_time_wait_syn_reopens (&c->rules, seg->seq, prev->side[h].ack_max,
                                           seg->has_ts && prev->side[d].ts_known, seg->tsval,
                                           prev->side[d].ts_last))
    how = "by the peer; this SYN is one the TIME-WAIT may accept as a new incarnation "
          "(RFC 9293 3.6.1 MAY-2 / RFC 1122 4.2.2.13, RFC 6191, Linux tcp_timewait_state_process)";
  else
    how = "by the peer; under this personality a TIME-WAIT would not accept this SYN "
          "(its ISN is not above RCV.NXT and no newer timestamp), so the holder no longer had it";
  t->reuse++;
  az_report_verdict (&c->report, AZ_VERDICT_REUSE, t, inc->n, seg, d, "RFC 9293 3.4.2, RFC 1337",
                     "%s reused by %s at packet %" G_GUINT64_FORMAT ", %s after incarnation #%u's "
                     "TIME-WAIT began on %s, %s before its %s (%s) would have ended; %s",
                     t->name, t->ep_name[d], seg->number, ago, prev->n, t->ep_name[h], left, len,
                     c->rules.personality->name, how);
}

void
az_check_new (AzCtx *c, AzTuple *t, AzInc *prev, AzInc *inc, int d, const CapSegment *seg)
{
  if (prev == NULL)
    return;
  check_reuse (c, t, prev, inc, d, seg);
  if (inc->client < 0 || !prev->side[d].known)
    return;
  /* RFC 9293 3.4.1 and RFC 1122 4.2.2.13: a new incarnation is safe from
   * the old one's duplicates when its ISN lies above the old sequence space. */
  gboolean above = tcp_seq_gt (seg->seq, prev->side[d].snd_max);
  az_report_fact (&c->report, "ISN", t, inc->n, seg, above,
                  "%s's new ISN %u is %s the highest sequence number incarnation #%u used (%u)%s",
                  t->ep_name[d], seg->seq, above ? "above" : "not above", prev->n,
                  prev->side[d].snd_max,
                  above ? "" : ": old segments can fall inside the new window (RFC 9293 3.4.1)");
}

/* The PAWS fact, once both SYNs of a later incarnation are seen. */
static void
fact_paws (AzCtx *c, AzTuple *t, AzInc *cur, int d, const CapSegment *seg)
{
  gboolean on = cur->side[1 - d].ts_syn && seg->has_ts;
  az_report_fact (&c->report, "PAWS", t, cur->n, seg, on,
                  on ? "timestamps are on in incarnation #%u: PAWS (RFC 7323 5.3) drops old "
                       "segments whose TSval is older than TS.Recent"
                     : "timestamps are off in incarnation #%u: no PAWS protection against old "
                       "segments (RFC 7323 5)", cur->n);
}

static void
check_h2 (AzCtx *c, AzTuple *t, AzInc *cur, int d, const CapSegment *seg)
{
  const AzSide *o = &cur->side[1 - d];
  if (seg->flags != CAP_FLAG_ACK || seg->len != 0 || !o->known || !o->ack_known)
    {
      cur->h2_chain = 0;
      cur->h2_last_dir = -1;
      return;
    }
  if (!az_rules_ack_unacceptable (seg->seq, seg->ack, o->snd_max, o->ack_max))
    {
      cur->h2_chain = 0;
      cur->h2_last_dir = -1;
      return;
    }
  cur->h2_chain = cur->h2_last_dir == 1 - d ? cur->h2_chain + 1 : 1;
  cur->h2_last_dir = d;
  if (cur->h2_chain < 4 || cur->h2_reported)
    return;
  cur->h2_reported = TRUE;
  t->h2++;
  az_report_verdict (&c->report, AZ_VERDICT_H2, t, cur->n, seg, d,
                     "RFC 1337 H2; RFC 9293 3.10.7.4",
                     "incarnation #%u's ends are desynchronised: %u ACKs in a row, each unacceptable "
                     "to its receiver (ACK of unsent data or SEQ below RCV.NXT) and answered by "
                     "another ACK", cur->n, cur->h2_chain);
}

/* H3 by a lingering old incarnation: d answers the new SYN with a RST that
 * the SYN-SENT side must accept, while d's previous incarnation was still
 * open on the wire. */
static void
check_h3_reply (AzCtx *c, AzTuple *t, AzInc *cur, int d, const CapSegment *seg)
{
  int o = 1 - d;
  if (!(seg->flags & CAP_FLAG_RST) || cur->client != o || cur->side[d].isn_known
      || cur->h3_reported || t->incs->len < 2)
    return;
  if (!az_rules_rst_resets_syn_sent (seg->flags & CAP_FLAG_ACK, seg->ack, cur->side[o].isn))
    return;
  AzInc *prev = g_ptr_array_index (t->incs, t->incs->len - 2);
  if (!still_open (prev, d))
    return;
  cur->h3_reported = TRUE;
  t->h3++;
  az_report_verdict (&c->report, AZ_VERDICT_H3, t, cur->n, seg, o,
                     "RFC 1337 H3; RFC 9293 3.10.7.3",
                     "incarnation #%u's SYN was answered with a RST by %s, which still held "
                     "incarnation #%u (%s); the RST acknowledges the SYN, so %s in SYN-SENT is reset",
                     cur->n, t->ep_name[d], prev->n,
                     prev->side[d].fin ? "its FIN was never acknowledged: LAST-ACK or CLOSING"
                                       : "it never sent a FIN",
                     t->ep_name[o]);
}

/* A stale data segment in the window: does the receiver acknowledge it? */
static void
check_pending (AzCtx *c, AzTuple *t, AzInc *cur, int d, const CapSegment *seg)
{
  if (!t->pending || t->pending_rcv != d || !(seg->flags & CAP_FLAG_ACK)
      || !tcp_seq_geq (seg->ack, t->pending_end))
    return;
  t->pending = FALSE;
  az_report_fact (&c->report, "ACCEPTED", t, cur->n, seg, FALSE,
                  "%s acknowledged up to %u, past the bytes of incarnation #%u: they entered "
                  "incarnation #%u's receive stream (whether the application read them cannot be "
                  "seen on the wire)", t->ep_name[d], seg->ack, t->pending_inc, cur->n);
}

/* Two data segments of the newest incarnation with the same sequence
 * numbers and different bytes: one was not sent by it. When the numbers
 * also lie in an older incarnation's space, the earlier one was most
 * likely that incarnation's duplicate, and it came first. */
static void
check_conflict (AzCtx *c, AzTuple *t, AzInc *cur, int d, const CapSegment *seg)
{
  guint64 first = 0;
  if (!az_inc_print_conflict (cur, d, seg, &first))
    return;
  for (guint j = t->incs->len - 1; j-- > 0;)
    {
      AzInc *old = g_ptr_array_index (t->incs, j);
      const AzSide *s = &old->side[d];
      guint32 lo = s->isn_known ? s->isn : s->lo;
      if (!s->known || tcp_seq_lt (seg->seq, lo) || tcp_seq_geq (seg->seq, s->snd_max))
        continue;
      t->h1++;
      old->stale_in++;
      az_report_verdict (&c->report, AZ_VERDICT_H1_RISK, t, cur->n, seg, 1 - d,
                         "RFC 9293 3.10.7.4 acceptability; RFC 1337 H1",
                         "packets %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT " carry different "
                         "bytes for seq %u..%u of incarnation #%u; these numbers also lie in "
                         "incarnation #%u's space, so packet %" G_GUINT64_FORMAT " was most likely "
                         "its old duplicate, taken into incarnation #%u's window first",
                         first, seg->number, seg->seq, seg->seq + seg->len, cur->n, old->n, first,
                         cur->n);
      return;
    }
}

void
az_check_current (AzCtx *c, AzTuple *t, AzInc *cur, int d, const CapSegment *seg)
{
  check_conflict (c, t, cur, d, seg);
  check_h2 (c, t, cur, d, seg);
  check_h3_reply (c, t, cur, d, seg);
  check_pending (c, t, cur, d, seg);
  if ((seg->flags & CAP_FLAG_SYN) && (seg->flags & CAP_FLAG_ACK) && !cur->side[d].isn_known
      && cur->n >= 2)
    fact_paws (c, t, cur, d, seg);
}

/* The receiver's RCV.NXT and window in the newest incarnation; FALSE when
 * it has no synchronized state for the sender yet. */
static gboolean
receiver_window (const AzInc *cur, int d, guint32 *rcv_nxt, guint32 *wnd)
{
  const AzSide *o = &cur->side[1 - d];
  if (o->ack_known)
    *rcv_nxt = o->ack_max;
  else if (cur->side[d].isn_known)
    *rcv_nxt = cur->side[d].isn + 1;
  else
    return FALSE;
  *wnd = o->known ? o->win : 65535;
  return TRUE;
}

static void
old_rst (AzCtx *c, AzTuple *t, AzInc *cur, AzInc *old, int d, const CapSegment *seg,
         gboolean synced, guint32 rcv_nxt, guint32 wnd)
{
  int o = 1 - d;
  gboolean syn_sent = cur->client == o && !cur->side[d].isn_known;
  gboolean resets = syn_sent
    ? az_rules_rst_resets_syn_sent (seg->flags & CAP_FLAG_ACK, seg->ack, cur->side[o].isn)
    : synced && az_rules_rst_resets (&c->rules, rcv_nxt, wnd, seg->seq);
  if (resets && !cur->h3_reported && !az_inc_over (cur))
    {
      cur->h3_reported = TRUE;
      t->h3++;
      az_report_verdict (&c->report, AZ_VERDICT_H3, t, cur->n, seg, o,
                         syn_sent ? "RFC 1337 H3; RFC 9293 3.10.7.3"
                                  : "RFC 1337 H3; RFC 9293 3.10.7.4 (RFC 5961 3.2 per personality)",
                         "incarnation #%u on %s was reset by a RST of incarnation #%u from %s "
                         "(seq %u; %s)", cur->n, t->ep_name[o], old->n, t->ep_name[d], seg->seq,
                         syn_sent ? "it acknowledges the new SYN" : "inside the receive window");
      return;
    }
  t->stale++;
  az_report_verdict (&c->report, AZ_VERDICT_STALE, t, cur->n, seg, o, "RFC 9293 3.10.7",
                     "RST of incarnation #%u (seq %u) reached %s during incarnation #%u and "
                     "cannot reset it", old->n, seg->seq, t->ep_name[o], cur->n);
}

/* H1-RISK: old bytes inside the newest incarnation's window; remembered
 * until the receiver acknowledges past them (ACCEPTED). */
static void
old_data_in_window (AzCtx *c, AzTuple *t, AzInc *cur, AzInc *old, int d, const CapSegment *seg,
                    guint32 rcv_nxt, guint32 wnd, const char *why)
{
  int o = 1 - d;
  t->h1++;
  old->stale_in++;
  t->pending = TRUE;
  t->pending_rcv = o;
  t->pending_end = seg->seq + seg->len;
  t->pending_inc = old->n;
  az_report_verdict (&c->report, AZ_VERDICT_H1_RISK, t, cur->n, seg, o,
                     "RFC 9293 3.10.7.4 acceptability; RFC 1337 H1",
                     "%u bytes of incarnation #%u (seq %u) reached %s inside incarnation #%u's "
                     "window [%u, %u) and can be accepted as its data; old because %s",
                     seg->len, old->n, seg->seq, t->ep_name[o], cur->n, rcv_nxt, rcv_nxt + wnd, why);
}

static void
old_segment_stale (AzCtx *c, AzTuple *t, AzInc *cur, AzInc *old, int d, const CapSegment *seg,
                   const char *fate, const char *why)
{
  old->stale_out++;
  t->stale++;
  az_report_verdict (&c->report, AZ_VERDICT_STALE, t, cur->n, seg, 1 - d, "RFC 9293 3.10.7.4",
                     "segment of incarnation #%u (seq %u, len %u) reached %s during incarnation "
                     "#%u: %s; old because %s", old->n, seg->seq, seg->len, t->ep_name[1 - d],
                     cur->n, fate, why);
}

void
az_check_old (AzCtx *c, AzTuple *t, const AzClass *cls, int d, const CapSegment *seg)
{
  AzInc *cur = az_tuple_newest (t);
  AzInc *old = cls->inc;
  int o = 1 - d;
  if (d == old->tw_holder)
    t->tw_answered_old = TRUE;
  guint32 rcv_nxt = 0, wnd = 0;
  gboolean synced = receiver_window (cur, d, &rcv_nxt, &wnd);
  if (seg->flags & CAP_FLAG_RST)
    {
      old_rst (c, t, cur, old, d, seg, synced, rcv_nxt, wnd);
      return;
    }
  /* RFC 9293 3.10.7.3: in SYN-SENT only a SYN,ACK for our SYN counts. */
  gboolean syn_sent = cur->client == o && !cur->side[d].isn_known;
  gboolean in = synced && !syn_sent
                && az_rules_acceptable (rcv_nxt, wnd, seg->seq, az_seg_seqlen (seg));
  gboolean paws = az_inc_ts_on (cur) && seg->has_ts && cur->side[d].ts_known
                  && az_rules_paws_drops (seg->tsval, cur->side[d].ts_last);
  g_autofree char *why = cls->print_packet != 0
    ? g_strdup_printf ("%s (packet %" G_GUINT64_FORMAT ")", cls->evidence, cls->print_packet)
    : g_strdup (cls->evidence);
  if (in && seg->len > 0 && !paws)
    old_data_in_window (c, t, cur, old, d, seg, rcv_nxt, wnd, why);
  else
    old_segment_stale (c, t, cur, old, d, seg,
                       paws ? "dropped by PAWS (its TSval is older than TS.Recent, RFC 7323 5.3)"
                       : !synced || syn_sent
                       ? "the receiver is not synchronized with the new incarnation yet (RFC 9293 3.10.7.3)"
                       : in ? "inside the window but carries no data"
                            : "outside the window: answered with an ACK and dropped (RFC 9293 3.10.7.4)",
                       why);
}

/* Whether the holder o of old's TIME-WAIT had already let the newest
 * incarnation take its place (it answered the new SYN, or the rules say
 * its TIME-WAIT accepted it). */
static gboolean
taken_over (const AzCtx *c, const AzTuple *t, const AzInc *old, const AzInc *cur, int o)
{
  if (old == cur)
    return FALSE;
  if (cur->side[o].known)
    return TRUE;
  if (t->tw_answered_old || cur->client < 0)
    return FALSE;
  const AzSide *cs = &cur->side[cur->client];
  return az_rules_time_wait_syn_reopens (&c->rules, cs->isn, old->side[o].ack_max,
                                         cs->ts_syn && old->side[1 - o].ts_known, cs->ts_first,
                                         old->side[1 - o].ts_last);
}

AzInc *
az_check_time_wait_rst (AzCtx *c, AzTuple *t, int d, const CapSegment *seg)
{
  int o = 1 - d;
  AzInc *cur = az_tuple_newest (t);
  if (!(seg->flags & CAP_FLAG_RST) || cur == NULL)
    return NULL;
  for (guint j = t->incs->len; j-- > 0;)
    {
      AzInc *x = g_ptr_array_index (t->incs, j);
      if (!x->tw || x->tw_holder != o || x->tw_killed || seg->t >= tw_end (c, x))
        continue;
      if (taken_over (c, t, x, cur, o))
        return NULL;
      /* RFC 9293 3.10.7.4 second check in TIME-WAIT: a RST in the window
       * (RCV.NXT of the holder); RFC 5961 3.2 and Linux
       * tcp_timewait_state_process ("seq == tw_rcv_nxt ... th->rst"):
       * only an exact one. */
      guint32 rcv_nxt = x->side[o].ack_max;
      if (!az_rules_rst_resets (&c->rules, rcv_nxt, x->side[o].win, seg->seq))
        return NULL;
      g_autofree char *after = dur (seg->t - x->tw_start);
      g_autofree char *left = dur (tw_end (c, x) - seg->t);
      if (!az_rules_time_wait_rst_kills (&c->rules))
        {
          az_report_fact (&c->report, "RFC1337", t, x->n, seg, TRUE,
                          "RST from %s reached %s's TIME-WAIT of incarnation #%u and is ignored "
                          "(RFC 1337 F1; %s)", t->ep_name[d], t->ep_name[o], x->n,
                          c->rules.personality->name);
          return x;
        }
      x->tw_killed = TRUE;
      t->twa++;
      az_report_verdict (&c->report, AZ_VERDICT_TWA, t, x->n, seg, o,
                         "RFC 1337 (TIME-WAIT assassination); RFC 9293 3.10.7.4",
                         "RST from %s (seq %u, RCV.NXT %u: %s) ended %s's TIME-WAIT of incarnation "
                         "#%u %s after it began, %s before it would have ended", t->ep_name[d],
                         seg->seq, rcv_nxt, seg->seq == rcv_nxt ? "exact" : "in the window",
                         t->ep_name[o], x->n, after, left);
      return x;
    }
  return NULL;
}

void
az_check_time_wait_start (AzInc *inc, const CapSegment *seg)
{
  if (inc->tw || inc->closer < 0 || inc->reset)
    return;
  int h = inc->closer;
  const AzSide *peer = &inc->side[1 - h];
  const AzSide *hs = &inc->side[h];
  /* RFC 9293 3.10.7.4 (FIN-WAIT-2 / CLOSING): the active closer enters
   * TIME-WAIT once it has the peer's FIN; on the wire, when it ACKs it. */
  if (peer->fin && hs->ack_known && tcp_seq_gt (hs->ack_max, peer->fin_seq))
    {
      inc->tw = TRUE;
      inc->tw_holder = h;
      inc->tw_start = seg->t;
    }
}
