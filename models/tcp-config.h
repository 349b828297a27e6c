/* tcp-config.h: the TCP settings of one host. Personalities (linux, freebsd,
 * rfc9293, textbook, ...) fill this in; scenarios override single fields. */
#pragma once

#include "sim-time.h"

G_BEGIN_DECLS

typedef enum {
  TCP_ISN_FIXED,    /* always isn_fixed: makes sequence spaces overlap on purpose */
  TCP_ISN_CLOCK_4US /* RFC 793 3.3 / RFC 9293 3.4.1: a clock ticking every 4 us */
} TcpIsnKind;

typedef enum {
  TCP_TW_RST_CLOSE, /* RFC 9293 3.10.7.4 (and RFC 793): a valid RST closes TIME-WAIT */
  TCP_TW_RST_IGNORE /* RFC 1337 F1: ignore RST in TIME-WAIT */
} TcpTimeWaitRstPolicy;

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
  guint32 rcv_buffer;           /* receive buffer = maximum RCV.WND, bytes */
  guint32 snd_buffer;           /* send buffer, bytes */
  guint16 mss;                  /* our MSS, announced in SYN (RFC 9293 3.7.1) */
  gboolean challenge_acks;      /* RFC 5961 3 and 4 (RFC 9293 3.10.7.4) */
  TcpTimeWaitRstPolicy time_wait_rst;
} TcpConfig;

/* The plain text of RFC 9293 with RFC 6298 timers: MSL 2 min, RTO 1 s..60 s. */
void tcp_config_init_rfc9293 (TcpConfig *config);

G_END_DECLS
