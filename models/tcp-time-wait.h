/* tcp-time-wait.h: TIME-WAIT as its own module (FreeBSD tcp_twstart /
 * tcp_twcheck, Linux inet_timewait_sock). A closed connection leaves a
 * compact record, not a TCB: enough to re-ACK a retransmitted FIN, screen
 * old duplicates and block the 4-tuple for 2 x MSL (RFC 9293 3.4.2,
 * MUST-13). */
#pragma once

#include "tcp-internal.h"

G_BEGIN_DECLS

typedef struct _TcpTimeWait TcpTimeWait;

/* What a segment arriving in TIME-WAIT leads to. */
typedef enum {
  TCP_TW_DROP,            /* nothing to do */
  TCP_TW_ACK,             /* send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
  TCP_TW_ACK_AND_RESTART, /* retransmitted FIN: ACK it, restart 2 MSL */
  TCP_TW_CHALLENGE_ACK,   /* RFC 5961 3.2 / 4.2: the same ACK, as a challenge */
  TCP_TW_RST_AND_CLOSE,   /* RFC 793: in-window SYN: RST, then CLOSED */
  TCP_TW_CLOSE,           /* valid RST: CLOSED (TIME-WAIT assassination) */
  TCP_TW_PAWS_ACK,        /* RFC 7323 5.3 R1: TSval < TS.Recent: ACK and drop */
  TCP_TW_RECYCLE,         /* a SYN reopens: the record goes, a listener takes the SYN */
  TCP_TW_RESTART,         /* Linux: bare ACK at RCV.NXT: restart, TS.Recent updated,
                           * nothing sent */
  TCP_TW_IGNORE_TS,       /* Linux, tcp_rfc1337=1: exact RST ignored, TS.Recent
                           * updated, no restart */
} TcpTimeWaitVerdict;

/* 104 bytes on LP64 (tests/test-tcp-paws.c checks <= 104). The four-tuple
 * is kept compact: an IPv4 one as two 4-byte addresses and two ports; any
 * other (IPv6) in a separate allocation (`wide`). Besides the record: a
 * 4-byte slot in the stack's 4-tuple table and one in the expiry ring
 * (record indexes, not pointers). Read the four-tuple with
 * tcp_time_wait_tuple. */
struct _TcpTimeWait {
  guint8 kind;            /* TCP_ENTRY_TIME_WAIT (tcp_entry_kind) */
  guint8 ts_used;         /* the old connection had negotiated timestamps */
  guint8 queued;          /* in the expiry ring, timer running */
  guint8 port_linked;     /* in its port's list, at port_link */
  guint16 bind_flags;
  guint16 local_port;
  guint16 remote_port;
  guint8 is_wide;         /* addr.wide holds the tuple */
  TcpSeq snd_nxt;
  TcpSeq rcv_nxt;
  guint32 rcv_wnd;
  guint32 incarnation;
  /* RFC 7323 (Linux tw_ts_recent): what PAWS and RFC 6191 need. */
  guint32 ts_recent;      /* TS.Recent of the old connection */
  guint32 ts_offset;      /* our TS clock offset, for TSopt in our ACKs */
  guint32 last_oow_ack;   /* Linux tw_last_oow_ack_time: when the last rate-limited
                           * ACK left, in ms (a u32 clock, as jiffies); 0: none yet */
  guint32 index;          /* in the stack's record blocks */
  guint32 ring_pos;       /* position in the stack's expiry ring, modulo 2^32 */
  union {
    struct {
      guint32 local;      /* NetAddr bytes[0..3], network order */
      guint32 remote;
    } ip4;
    NetFourTuple *wide;   /* not two plain IPv4 addresses: the whole tuple */
  } addr;
  guint64 conn_id;
  TcpStack *stack;
  TcpPortLink port_link;  /* place in the stack's per-port list */
  SimEventTicket timer;   /* 2 x MSL (or the time_wait setting): its place in
                           * the event order, queued while at the ring head */
};

/* The TCB `conn` (which has sent its ACK of the peer's FIN) enters
 * TIME-WAIT from `from`: the record replaces it in the tables, the 2 MSL
 * timer starts, and the TcpConn is released (and freed when idle). */
TcpTimeWait       *tcp_time_wait_enter           (TcpConn *conn, TcpState from, const char *reason);
/* Decides what `seg` means in TIME-WAIT; `rule` gets the citation (free it). */
TcpTimeWaitVerdict tcp_time_wait_check           (const TcpTimeWait *tw, const TcpSegment *seg,
                                                  char **rule);
/* The ISS a SYN that reopens `tw` gives the new connection, per the
 * time_wait_syn policy (RFC 1122 4.2.2.13 condition 1; Linux +65537). */
TcpSeq             tcp_time_wait_reopen_iss      (const TcpTimeWait *tw);
/* Checks and acts; the record may be gone afterwards (CLOSE verdicts). */
TcpTimeWaitVerdict tcp_time_wait_segment_arrives (TcpTimeWait *tw, TcpSegment *seg);
/* How long TIME-WAIT lasts on `stack`: time_wait, or 2 x MSL. */
SimTime            tcp_time_wait_duration        (TcpStack *stack);
/* The 2 MSL timer fired: CLOSED, the record is deleted. */
void               tcp_time_wait_expire          (TcpTimeWait *tw);
/* Deletes the record now (reason for the trace); the stack's tables too. */
void               tcp_time_wait_close           (TcpTimeWait *tw, const char *reason);
/* Frees without trace or table upkeep (stack teardown). */
void               tcp_time_wait_free            (TcpTimeWait *tw);

/* The record's four-tuple, local end first. */
NetFourTuple       tcp_time_wait_tuple           (const TcpTimeWait *tw);

/* The stack's TIME-WAIT table. */
TcpTimeWait       *tcp_time_wait_lookup          (TcpStack *stack, const NetFourTuple *tuple);
/* Every record, in expiry order (caller frees the list, not the records). */
GList             *tcp_time_wait_list            (TcpStack *stack);
/* Stack teardown: frees every record and the tables, without trace. */
void               tcp_time_wait_free_all        (TcpStack *stack);

G_END_DECLS
