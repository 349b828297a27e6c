/* az-rules.c: see az-rules.h; every rule names its source. */
#include "az-rules.h"

#include "tcp-seq.h"

void
az_rules_init (AzRules *r, const Personality *p, gboolean msl_given, SimTime msl)
{
  r->personality = p;
  r->msl = msl_given ? msl : p->msl;
  /* RFC 9293 3.4.2 / 3.10.7.4: TIME-WAIT lasts 2 x MSL; a personality may
   * fix its own length (Linux TCP_TIMEWAIT_LEN = 60 s, Windows 120 s). */
  if (msl_given || p->time_wait == 0)
    r->time_wait = 2 * r->msl;
  else
    r->time_wait = p->time_wait;
}

gboolean
az_rules_acceptable (guint32 rcv_nxt, guint32 rcv_wnd, guint32 seq, guint32 seqlen)
{
  /* RFC 9293 3.10.7.4: "There are four cases for the acceptability test
   * for an incoming segment". */
  guint32 wnd_end = rcv_nxt + rcv_wnd;
  gboolean start_in = tcp_seq_leq (rcv_nxt, seq) && tcp_seq_lt (seq, wnd_end);
  if (seqlen == 0)
    return rcv_wnd == 0 ? seq == rcv_nxt : start_in;
  if (rcv_wnd == 0)
    return FALSE;
  guint32 last = seq + seqlen - 1;
  return start_in || (tcp_seq_leq (rcv_nxt, last) && tcp_seq_lt (last, wnd_end));
}

gboolean
az_rules_paws_drops (guint32 tsval, guint32 ts_recent)
{
  /* RFC 7323 5.3 R1: "If SEG.TSval < TS.Recent ... the segment is not
   * acceptable" (modular comparison, RFC 7323 5.2). */
  return tcp_seq_lt (tsval, ts_recent);
}

gboolean
az_rules_rst_resets_syn_sent (gboolean has_ack, guint32 ack, guint32 iss)
{
  /* RFC 9293 3.10.7.3: "If the ACK bit is set ... If SEG.ACK =< ISS or
   * SEG.ACK > SND.NXT ... discard"; "If the RST bit is set, if the ACK
   * was acceptable, then signal to the user 'error: connection reset'". */
  return has_ack && ack == iss + 1;
}

gboolean
az_rules_rst_resets (const AzRules *r, guint32 rcv_nxt, guint32 rcv_wnd, guint32 seq)
{
  /* RFC 5961 3.2: exact match resets, in-window only earns a challenge ACK. */
  if (r->personality->challenge_acks)
    return seq == rcv_nxt;
  /* RFC 9293 3.10.7.4, second check: a RST in the window resets. */
  return az_rules_acceptable (rcv_nxt, MAX (rcv_wnd, 1), seq, 0);
}

gboolean
az_rules_time_wait_rst_kills (const AzRules *r)
{
  if (r->rfc1337)
    return FALSE; /* RFC 1337 F1; Linux net.ipv4.tcp_rfc1337 = 1 */
  switch (r->personality->time_wait_rst)
    {
    case TCP_TW_RST_CLOSE:
      /* RFC 9293 3.10.7.4: "TIME-WAIT STATE: If the RST bit is set, then
       * enter the CLOSED state"; Linux with tcp_rfc1337 = 0. */
      return TRUE;
    case TCP_TW_RST_IGNORE:
      /* RFC 1337 section 3, fix F1: "Ignore RST segments in TIME-WAIT". */
      return FALSE;
    }
  return TRUE;
}

gboolean
az_rules_time_wait_syn_reopens (const AzRules *r, guint32 seq, guint32 rcv_nxt,
                                gboolean ts, guint32 tsval, guint32 ts_recent)
{
  gboolean seq_above = tcp_seq_gt (seq, rcv_nxt);
  gboolean ts_newer = ts && tcp_seq_gt (tsval, ts_recent);
  switch (r->personality->time_wait_syn)
    {
    case TCP_TW_SYN_RFC1122:
    case TCP_TW_SYN_BSD:
      /* RFC 1122 4.2.2.13 (RFC 9293 3.6.1 MAY-2): accept a SYN whose
       * sequence number is above the largest used; FreeBSD tcp_twcheck:
       * SEQ_GT(th->th_seq, tp->rcv_nxt). */
      return seq_above;
    case TCP_TW_SYN_RFC6191:
      /* RFC 6191 section 2: with timestamps, a newer TSval decides; without,
       * fall back to the sequence number. */
      return ts ? ts_newer : seq_above;
    case TCP_TW_SYN_LINUX:
      /* Linux tcp_timewait_state_process: "if (th->syn && !th->rst &&
       * !th->ack && !paws_reject && (after(seq, rcv_nxt) ||
       * (tmp_opt.saw_tstamp && (s32)(ts_recent - rcv_tsval) < 0)))". */
      return seq_above || ts_newer;
    case TCP_TW_SYN_CHALLENGE:
    case TCP_TW_SYN_RFC793:
    case TCP_TW_SYN_REJECT:
      /* RFC 5961 4.2 / RFC 9293 3.10.7.4: a SYN in a synchronized state
       * earns a challenge ACK; RFC 793: RST; reject: dropped. */
      return FALSE;
    }
  return FALSE;
}

gboolean
az_rules_ack_unacceptable (guint32 seg_seq, guint32 seg_ack, guint32 snd_nxt, guint32 rcv_nxt)
{
  /* RFC 9293 3.10.7.4 fifth check, ESTABLISHED: "If the ACK acks something
   * not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment";
   * first check: a zero-length segment with SEG.SEQ < RCV.NXT is not
   * acceptable and is answered with an ACK. RFC 1337 H2: the two feed
   * each other. */
  return tcp_seq_gt (seg_ack, snd_nxt) || tcp_seq_lt (seg_seq, rcv_nxt);
}
