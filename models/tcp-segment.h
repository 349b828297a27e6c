/* tcp-segment.h: a TCP segment in flight, plus its provenance (ground truth
 * that the simulator carries alongside and TCP never looks at). */
#pragma once

#include "net-addr.h"
#include "tcp-seq.h"
#include "sim-trace.h"

G_BEGIN_DECLS

/* RFC 9293 3.1 control bits, in header bit order. */
typedef enum {
  TCP_FLAG_FIN = 0x01,
  TCP_FLAG_SYN = 0x02,
  TCP_FLAG_RST = 0x04,
  TCP_FLAG_PSH = 0x08,
  TCP_FLAG_ACK = 0x10,
  TCP_FLAG_URG = 0x20,
} TcpFlag;

/* TCP option kinds (RFC 9293 3.1, RFC 7323, RFC 2018). */
typedef enum {
  TCP_OPT_EOL = 0,
  TCP_OPT_NOP = 1,
  TCP_OPT_MSS = 2,
  TCP_OPT_WSCALE = 3,
  TCP_OPT_SACK_OK = 4,
  TCP_OPT_TIMESTAMPS = 8,
} TcpOptionKind;

/* How a system orders and pads the options it sends (tcp-segment.c has
 * each one's source). Only the options a segment carries are laid out. */
typedef enum {
  TCP_LAYOUT_RFC7323, /* mss; nop,nop,TS; nop,wscale; nop,nop,sackOK (RFC 7323 App. A) */
  TCP_LAYOUT_LINUX,   /* mss; sackOK,TS or nop,nop,TS; nop,nop,sackOK; nop,wscale */
  TCP_LAYOUT_FREEBSD, /* mss; nop,wscale; sackOK; TS; each padded; eol to 32 bits */
  TCP_LAYOUT_XNU,     /* mss; nop,wscale; nop,nop,TS; sackOK; eol to 32 bits */
  TCP_LAYOUT_WINDOWS, /* mss; nop,wscale; nop,nop,TS; nop,nop,sackOK */
} TcpOptionLayout;

#define TCP_MAX_OPTIONS 40 /* option bytes: at most 40, so at most 40 kinds */

typedef struct {
  guint ref_count;
  NetEndpoint src;
  NetEndpoint dst;
  TcpSeq seq;
  TcpSeq ack;
  guint8 flags;
  guint32 window;        /* receive window in bytes (no scaling modelled) */
  guint16 mss;           /* MSS option (SYN only); 0 = absent */
  gboolean has_timestamps; /* RFC 7323 TSopt present */
  guint32 tsval;
  guint32 tsecr;
  GBytes *payload;       /* NULL when the segment carries no data */
  gboolean sack_ok;      /* RFC 2018 SACK-permitted option (SYN only) */
  gboolean has_wscale;   /* RFC 7323 2.2 window scale option (SYN only) */
  guint8 wscale;         /* its shift count */
  TcpOptionLayout layout; /* the sender's option order and padding */

  /* Provenance: invisible to TCP, used for narration and verdicts. */
  guint64 conn_id;       /* sending TCB (or TIME-WAIT record); 0 = none */
  guint32 incarnation;   /* incarnation of the 4-tuple that sent it: 1, 2, ...; 0 = none */
  guint64 stream_offset; /* sender stream offset of the first payload byte */
  guint64 id;            /* unique per transmission, set by the network */
  guint32 copy;          /* 0 = original; n = n-th duplicate made by a link */
  gboolean retransmission;
  gboolean injected;     /* made by a scenario's `inject` (or a .pkt `<` line) */
} TcpSegment;

TcpSegment *tcp_segment_new            (void);
TcpSegment *tcp_segment_ref            (TcpSegment *seg);
void        tcp_segment_unref          (TcpSegment *seg);
/* A new segment with the same header, payload and provenance (refcount 1). */
TcpSegment *tcp_segment_copy           (const TcpSegment *seg);
gsize       tcp_segment_payload_len    (const TcpSegment *seg);
/* SEG.LEN: payload octets plus one each for SYN and FIN (RFC 9293 3.4). */
guint32     tcp_segment_len            (const TcpSegment *seg);
/* RFC 9293 3.10.7.4 Table 6 (first, check sequence number): is `seg`
 * acceptable to a receiver at RCV.NXT `rcv_nxt` with RCV.WND `rcv_wnd`?
 * Shared by the TCB (tcp-input.c) and the TIME-WAIT record. */
gboolean    tcp_segment_acceptable     (const TcpSegment *seg, TcpSeq rcv_nxt,
                                        guint32 rcv_wnd);
gboolean    tcp_segment_has            (const TcpSegment *seg, TcpFlag flag);
/* "SYN,ACK" style, "-" when no flag is set. */
void        tcp_flags_append           (GString *out, guint8 flags);
/* "10.0.0.1:4000 > 10.0.0.2:80 SYN,ACK seq=1000 ack=5001 len=0 win=65535" */
void        tcp_segment_append_summary (GString *out, const TcpSegment *seg);
/* Adds the standard segment fields to a trace event: seg, src, dst, flags,
 * seq, ack, len, win, [tsval, tsecr], seg_conn, seg_inc, offset, copy, rexmit. */
void        tcp_segment_trace_fields   (SimTraceEvent *ev, const TcpSegment *seg);
/* The option kinds the segment carries, in wire order with the sender's
 * NOP and EOL padding (seg->layout); returns how many (<= TCP_MAX_OPTIONS). */
guint       tcp_segment_option_kinds   (const TcpSegment *seg, guint8 *kinds);
/* Bytes an option of this kind takes on the wire (EOL and NOP: 1). */
guint       tcp_option_kind_length     (guint8 kind);
/* packetdrill's notation: "mss 1460,sackOK,TS val 5 ecr 0,nop,wscale 7";
 * nothing when the segment has no option. */
void        tcp_segment_append_options (GString *out, const TcpSegment *seg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcpSegment, tcp_segment_unref)

G_END_DECLS
