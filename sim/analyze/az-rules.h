/* az-rules.h: the TCP rules `twsim analyze` applies to what it saw, each
 * with its source (RFC 9293, RFC 1337, RFC 7323, RFC 6191, RFC 5961 and
 * Linux tcp_timewait_state_process). Pure functions of numbers. */
#pragma once

#include "personality.h"

G_BEGIN_DECLS

typedef struct {
  const Personality *personality;
  SimTime msl;            /* --msl, or the personality's */
  SimTime time_wait;      /* 2 x --msl, or the personality's TIME-WAIT */
  gboolean rfc1337;       /* --rfc1337: TIME-WAIT ignores RST whatever the personality */
} AzRules;

void     az_rules_init (AzRules *r, const Personality *p, gboolean msl_given, SimTime msl);

/* RFC 9293 3.10.7.4, first check: the four cases of segment acceptability. */
gboolean az_rules_acceptable (guint32 rcv_nxt, guint32 rcv_wnd, guint32 seq, guint32 seqlen);

/* RFC 7323 5.3 R1 (PAWS): a segment whose TSval is older than TS.Recent is
 * dropped (a RST is exempt on Linux: tcp_paws_reject(..., rst)). */
gboolean az_rules_paws_drops (guint32 tsval, guint32 ts_recent);

/* RFC 9293 3.10.7.3 (SYN-SENT): a RST is acceptable only if its ACK
 * acknowledges our SYN (SEG.ACK = ISS + 1). */
gboolean az_rules_rst_resets_syn_sent (gboolean has_ack, guint32 ack, guint32 iss);

/* RFC 9293 3.10.7.4 (synchronized states) with RFC 5961 3.2: a RST in the
 * window resets; with challenge ACKs only an exact SEG.SEQ = RCV.NXT does. */
gboolean az_rules_rst_resets (const AzRules *r, guint32 rcv_nxt, guint32 rcv_wnd, guint32 seq);

/* RFC 9293 3.10.7.4 TIME-WAIT (a valid RST closes it) versus RFC 1337 F1
 * (ignore it): which one the personality follows. */
gboolean az_rules_time_wait_rst_kills (const AzRules *r);

/* Whether a SYN arriving in TIME-WAIT starts a new incarnation, per the
 * personality: RFC 1122 4.2.2.13 (SEG.SEQ > RCV.NXT), RFC 6191
 * (timestamps), Linux tcp_timewait_state_process (either), FreeBSD
 * tcp_twcheck, RFC 5961 4.2 / RFC 9293 (challenge ACK: never). */
gboolean az_rules_time_wait_syn_reopens (const AzRules *r, guint32 seq, guint32 rcv_nxt,
                                         gboolean ts, guint32 tsval, guint32 ts_recent);

/* RFC 9293 3.10.7.4 fifth check: an ACK for something not yet sent
 * (SEG.ACK > SND.NXT) is answered with an ACK and dropped; with the first
 * check (a zero-length segment below RCV.NXT) these make the RFC 1337 H2
 * ACK loop. */
gboolean az_rules_ack_unacceptable (guint32 seg_seq, guint32 seg_ack, guint32 snd_nxt,
                                    guint32 rcv_nxt);

G_END_DECLS
