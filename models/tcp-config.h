/* tcp-config.h: the TCP settings of one host. Personalities (linux, freebsd,
 * rfc9293, textbook, ...) fill this in; scenarios override single fields. */
#pragma once

#include "sim-time.h"
#include "tcp-segment.h"

G_BEGIN_DECLS

typedef enum {
  TCP_ISN_FIXED,     /* always isn_fixed: makes sequence spaces overlap on purpose */
  TCP_ISN_CLOCK_4US, /* RFC 793 3.3 / RFC 9293 3.4.1: a clock ticking every 4 us */
  TCP_ISN_RFC6528,   /* RFC 6528 / RFC 9293 3.4.1 SHLD-1: 4 us clock + keyed hash of the 4-tuple */
  TCP_ISN_LINUX,     /* Linux secure_tcp_seq: siphash of the 4-tuple + (ns >> 6) */
  TCP_ISN_RANDOM,    /* a uniform 32-bit draw per connection (no clock at all) */
} TcpIsnKind;

typedef enum {
  TCP_TW_RST_CLOSE, /* RFC 9293 3.10.7.4 (and RFC 793): a valid RST closes TIME-WAIT */
  TCP_TW_RST_IGNORE /* RFC 1337 F1: ignore RST in TIME-WAIT */
} TcpTimeWaitRstPolicy;

/* What a SYN arriving in TIME-WAIT does (tcp-time-wait.c has the rules). */
typedef enum {
  TCP_TW_SYN_CHALLENGE, /* RFC 5961 4.2 / RFC 9293 3.10.7.4: challenge ACK (RFC 793
                         * rules when challenge_acks is off) */
  TCP_TW_SYN_RFC793,    /* RFC 793 3.9: in-window SYN -> RST and CLOSED, else ACK */
  TCP_TW_SYN_RFC1122,   /* RFC 1122 4.2.2.13 / RFC 9293 3.6.1 MAY-2: SEQ > RCV.NXT reopens */
  TCP_TW_SYN_RFC6191,   /* RFC 6191: timestamps decide whether a SYN reopens */
  TCP_TW_SYN_LINUX,     /* Linux tcp_timewait_state_process: seq or TSval newer reopens */
  TCP_TW_SYN_BSD,       /* FreeBSD tcp_twcheck: SEQ_GT(seq, rcv_nxt) recycles, else drop */
  TCP_TW_SYN_REJECT,    /* drop every SYN silently */
} TcpTimeWaitSynPolicy;

/* The RFC 7323 TS clock's offset (tcp-isn.c). Both keyed kinds give every
 * incarnation of a four-tuple the same clock. */
typedef enum {
  TCP_TS_OFFSET_NONE,       /* TSval = the clock itself */
  TCP_TS_OFFSET_ADDRESSES,  /* Linux secure_tcp_ts_off(net, saddr, daddr): a keyed hash
                             * of the two addresses, no ports (kernels before
                             * secure_tcp_seq_and_ts_off) */
  TCP_TS_OFFSET_FOUR_TUPLE, /* Linux secure_tcp_seq_and_ts_off() (6.18): the upper half
                             * of the ISN's siphash of the four-tuple; FreeBSD
                             * tcp_new_ts_offset() (ts_offset_per_conn=1) */
} TcpTsOffsetKind;

/* Which segments restart the TIME-WAIT timer (tcp-time-wait.c). */
typedef enum {
  TCP_TW_RESTART_FIN,   /* RFC 9293 3.10.7.4 fifth/eighth, FreeBSD tcp_twcheck: only a
                         * retransmitted FIN; other segments are ACKed or dropped */
  TCP_TW_RESTART_LINUX, /* Linux tcp_timewait_state_process (6.x): a bare ACK at
                         * RCV.NXT restarts silently and updates TS.Recent; every
                         * other non-RST segment is ACKed, and restarts the timer
                         * when PAWS rejects it or it carries ACK */
} TcpTimeWaitRestartPolicy;

typedef struct {
  SimTime msl;                  /* TIME-WAIT lasts 2 x msl (RFC 9293 3.4.2, MUST-13) */
  TcpIsnKind isn_kind;
  guint32 isn_fixed;
  SimTime rto_initial;          /* RFC 6298 (2.1): 1 s */
  SimTime rto_min;              /* RFC 6298 (2.4): 1 s */
  SimTime rto_max;              /* RFC 6298 (2.5): at least 60 s */
  guint syn_retries;            /* SYN retransmissions before ETIMEDOUT */
  guint synack_retries;         /* SYN,ACK retransmissions before giving up */
  guint data_retries;           /* data/FIN retransmissions before ETIMEDOUT */
  gint orphan_retries;          /* an orphan (closed socket) in FIN-WAIT-1, CLOSING or
                                 * LAST-ACK gives up after this many; -1: data_retries
                                 * (RFC 9293); 0: Linux tcp_orphan_retries() default,
                                 * 8 while RTO < rto_max, else 0 */
  gboolean rto_linux;           /* RTO = SRTT + max(4 x RTTVAR, rto_min), capped at
                                 * rto_max (Linux tcp_set_rto); FALSE: RFC 6298 (2.3)
                                 * SRTT + max(G, 4 x RTTVAR), then clamped (2.4, 2.5) */
  guint32 rcv_buffer;           /* receive buffer = maximum RCV.WND, bytes (rcv_wnd_linux:
                                 * sk_rcvbuf, tcp_rmem[1]; the window is half of it) */
  guint syn_linear_timeouts;    /* Linux tcp_syn_linear_timeouts: the first N SYN
                                 * retransmissions keep the initial RTO (no backoff),
                                 * and SYN-SENT gives up by time, tcp_model_timeout();
                                 * 0: RFC 6298 backoff and a count of syn_retries */
  SimTime invalid_ratelimit;    /* Linux tcp_invalid_ratelimit: TIME-WAIT ACKs of
                                 * SYNs and empty segments at most once this often
                                 * (tcp_oow_rate_limited); 0: no limit */
  SimTime delack_ato;           /* Linux TCP_ATO_MIN (HZ/25, 40 ms): data and FIN in one
                                 * segment in ESTABLISHED are ACKed this late
                                 * (tcp_fin() enters pingpong mode, __tcp_ack_snd_check()
                                 * -> tcp_send_delayed_ack() with icsk_ack.ato); 0: at once */
  gboolean tlp;                 /* Linux tail loss probe (tcp_early_retrans 3,
                                 * tcp_schedule_loss_probe): with SACK negotiated,
                                 * the first timeout of a flight is a probe at the
                                 * PTO, without backoff or retry count */
  gboolean abort_rst_options;   /* the abort's RST,ACK (abort_rst_ack) carries timestamps
                                 * and the receive window like any segment: Linux
                                 * tcp_send_active_reset() -> tcp_transmit_skb() */
  gboolean rcv_wnd_linux;       /* RCV.WND as Linux computes it (tcp-conn.c
                                 * tcp_conn_rcv_wnd): tcp_select_initial_window(),
                                 * __tcp_select_window(); FALSE: the free buffer space */
  guint32 rmem_max;             /* rcv_wnd_linux: tcp_rmem[2], which sets the window
                                 * scale offered (tcp_select_initial_window) */
  guint32 snd_buffer;           /* send buffer, bytes */
  guint16 mss;                  /* our MSS, announced in SYN (RFC 9293 3.7.1) */
  gboolean challenge_acks;      /* RFC 5961 3 and 4 (RFC 9293 3.10.7.4) */
  TcpTimeWaitRstPolicy time_wait_rst;
  TcpTimeWaitSynPolicy time_wait_syn;
  TcpTimeWaitRestartPolicy time_wait_restart;
  SimTime time_wait;            /* TIME-WAIT length; 0 = 2 x msl (Linux: fixed 60 s) */
  gboolean time_wait_linux;     /* time_wait is Linux's TCP_TIMEWAIT_LEN (60 s whatever
                                 * the MSL), for the narration */
  gboolean timestamps;          /* RFC 7323 TSopt and PAWS, offered in SYN and SYN,ACK */
  guint32 ts_clock_hz;          /* RFC 7323 5.4: 1 Hz .. 1 kHz recommended; 0 = 1000 */
  TcpTsOffsetKind ts_offset;    /* what keys the secret TS clock offset (RFC 7323 5.4
                                 * leaves the origin free) */
  SimTime fin_wait_2_timeout;   /* an orphaned connection (no socket) in FIN-WAIT-2 is
                                 * deleted silently after this long; 0 = never (RFC 9293
                                 * has no such timeout). Linux tcp_fin_timeout 60 s,
                                 * FreeBSD TP_MAXIDLE 600 s */
  gboolean dup_syn_resends_synack; /* a passive SYN-RECEIVED answers a retransmitted SYN
                                 * (SEG.SEQ = IRS, SYN only) with its SYN,ACK at once
                                 * (Linux tcp_check_req, "pure retransmitted SYN");
                                 * FALSE: RFC 9293 3.10.7.4 first, it is not
                                 * acceptable and gets an ACK */
  gboolean syn_sent_rearm;      /* after answering an unacceptable ACK in SYN-SENT with
                                 * RST, and before any SYN retransmission, re-arm the
                                 * retransmission timer at TCP_TIMEOUT_MIN, 2 jiffies
                                 * (Linux tcp_rcv_synsent_state_process) */
  guint hz;                     /* Linux jiffies a second (CONFIG_HZ): TCP_TIMEOUT_MIN
                                 * is 2 jiffies; 0 = 1000 */
  gboolean fin_wait_2_minisock; /* an orphan in FIN-WAIT-2 is a TIME-WAIT minisocket
                                 * (Linux tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)):
                                 * connect() may take its four-tuple over as it takes a
                                 * TIME-WAIT record (tcp_twsk_unique) */
  gboolean abort_rst_ack;       /* ABORT in a synchronized state sends <SEQ=SND.NXT>
                                 * <ACK=RCV.NXT><CTL=RST,ACK> (Linux
                                 * tcp_send_active_reset; BSD tcp_drop ->
                                 * tcp_outflags[TCPS_CLOSED]); FALSE: the RFC 9293
                                 * 3.10.5 <SEQ=SND.NXT><CTL=RST> */
  const char *fin_wait_2_rule;  /* static text naming where fin_wait_2_timeout comes from
                                 * ("Linux tcp_fin_timeout", "FreeBSD TP_MAXIDLE"), for
                                 * the narration; NULL: the fin_timeout setting */
  gboolean simultaneous_open_synack; /* accept the crossing SYN,ACK of a simultaneous
                                 * open in SYN-RECEIVED (SEG.SEQ + 1 = RCV.NXT,
                                 * SEG.LEN = 1, SEG.ACK = SND.NXT) and complete the
                                 * handshake on it, as RFC 9293 Figure 7 draws it:
                                 * Linux tcp_validate_incoming (>= 6.11). FALSE: the
                                 * literal 3.10.7.4 test rejects it and answers with
                                 * an ACK (Appendix A.2) */
  TcpOptionLayout option_layout; /* order and padding of the options we send */
  gboolean sack_permitted;      /* RFC 2018: SACK-permitted offered in SYN (and in the
                                 * SYN,ACK when the SYN had it); SACK blocks themselves
                                 * are not modelled */
  gint wscale;                  /* RFC 7323 2.2: shift offered in SYN (and in the SYN,ACK
                                 * when the SYN had one); -1 = none. Only the option is
                                 * modelled: windows stay in bytes */
} TcpConfig;

/* The plain text of RFC 9293 with RFC 6298 timers: MSL 2 min, RTO 1 s..60 s. */
void tcp_config_init_rfc9293 (TcpConfig *config);

/* Linux's window scale for a tcp_rmem[2] of rmem_max bytes. */
gint tcp_config_linux_wscale (guint32 rmem_max);

G_END_DECLS
