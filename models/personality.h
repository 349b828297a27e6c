/* personality.h: operating-system personalities as data. Each one is a row
 * of settings for the TCP layer (TcpConfig) and the socket layer
 * (SockConfig), every value with its source; `twsim personalities` prints
 * the table. A scenario picks one with `personality=NAME` and may override
 * any single field after it. */
#pragma once

#include "socket.h"
#include "tcp-config.h"

G_BEGIN_DECLS

/* The settings a personality fixes, one source each. */
typedef enum {
  PERSONALITY_MSL,
  PERSONALITY_TIME_WAIT,
  PERSONALITY_FIN_WAIT_2,
  PERSONALITY_FIN_WAIT_2_MINISOCK,
  PERSONALITY_TIME_WAIT_RST,
  PERSONALITY_TIME_WAIT_SYN,
  PERSONALITY_CHALLENGE_ACKS,
  PERSONALITY_TIME_WAIT_RESTART,
  PERSONALITY_ISN,
  PERSONALITY_TIMESTAMPS,
  PERSONALITY_RTO,
  PERSONALITY_RTO_FORMULA,
  PERSONALITY_RETRIES,
  PERSONALITY_ORPHAN_RETRIES,
  PERSONALITY_PORTS,
  PERSONALITY_BIND_RULES,
  PERSONALITY_CONNECT_DUP,
  PERSONALITY_RESERVED_PORTS,
  PERSONALITY_TW_REUSE,
  PERSONALITY_BINDV6ONLY,
  PERSONALITY_LINGER,
  PERSONALITY_UNREAD_CLOSE,
  PERSONALITY_ABORT_RST,
  PERSONALITY_SIMOPEN_SYNACK,
  PERSONALITY_DUP_SYN,
  PERSONALITY_SYN_SENT_REARM,
  PERSONALITY_SYN_OPTIONS,
  PERSONALITY_RCV_WINDOW,
  PERSONALITY_N_FIELDS,
} PersonalityField;

typedef struct {
  const char *name;
  const char *summary;
  SimTime msl;
  SimTime time_wait;         /* 0: 2 x msl */
  SimTime fin_wait_2;        /* orphaned FIN-WAIT-2 lifetime; 0: none */
  gboolean fin_wait_2_minisock; /* TcpConfig.fin_wait_2_minisock */
  const char *fin_wait_2_rule;  /* TcpConfig.fin_wait_2_rule: the timeout's short source */
  TcpTimeWaitRstPolicy time_wait_rst;
  TcpTimeWaitSynPolicy time_wait_syn;
  gboolean challenge_acks;   /* RFC 5961 3.2, 4.2, 5.2: TcpConfig.challenge_acks */
  TcpTimeWaitRestartPolicy time_wait_restart;
  TcpIsnKind isn;
  gboolean timestamps;
  TcpTsOffsetKind ts_offset;
  SimTime rto_initial, rto_min, rto_max;
  gboolean rto_linux;        /* TcpConfig.rto_linux */
  guint syn_retries, synack_retries, data_retries;
  gint orphan_retries;       /* TcpConfig.orphan_retries */
  guint16 port_low, port_high;
  BindRuleSet bind_rules;
  int connect_dup_errno;
  gboolean reserved_ports;
  guint tw_reuse;
  gboolean bindv6only;       /* SockConfig.bindv6only: IPV6_V6ONLY of a new socket */
  SockLingerTimeout linger_timeout;
  gboolean unread_close_rst; /* RFC 9293 3.6.1 SHLD-2: close() with unread data -> RST */
  gboolean abort_rst_ack;    /* TcpConfig.abort_rst_ack */
  gboolean abort_rst_options; /* TcpConfig.abort_rst_options */
  guint syn_linear_timeouts; /* TcpConfig.syn_linear_timeouts */
  SimTime invalid_ratelimit; /* TcpConfig.invalid_ratelimit */
  gboolean tlp;              /* TcpConfig.tlp */
  SimTime delack_ato;        /* TcpConfig.delack_ato */
  gboolean simopen_synack;   /* TcpConfig.simultaneous_open_synack */
  gboolean dup_syn_synack;   /* TcpConfig.dup_syn_resends_synack */
  gboolean syn_sent_rearm;   /* TcpConfig.syn_sent_rearm */
  guint hz;                  /* TcpConfig.hz */
  TcpOptionLayout option_layout; /* TcpConfig.option_layout */
  gboolean sack_permitted;   /* TcpConfig.sack_permitted */
  gint wscale;               /* TcpConfig.wscale; -1 none */
  gboolean rcv_wnd_linux;    /* TcpConfig.rcv_wnd_linux */
  guint32 rcvbuf;            /* TcpConfig.rcv_buffer; 0: RFC default 65535 */
  guint32 rmem_max;          /* TcpConfig.rmem_max (rcv_wnd_linux) */
  const char *source[PERSONALITY_N_FIELDS];
} Personality;

/* The rows, in table order; *n gets their number. */
const Personality *personality_all     (guint *n);
const Personality *personality_find    (const char *name);
/* "linux, freebsd, macos, windows, rfc9293, textbook" (static) */
const char        *personality_names   (void);
/* Fills both configs from the row (fields not in the row: RFC 9293). */
void               personality_apply   (const Personality *p, TcpConfig *tcp, SockConfig *sock);
/* The value of one field as printed ("60s", "32768-60999"); caller frees. */
char              *personality_value   (const Personality *p, PersonalityField field);
const char        *personality_field_name (PersonalityField field);
/* The whole table with its sources, for `twsim personalities`. */
void               personality_describe (GString *out);

G_END_DECLS
