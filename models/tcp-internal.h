/* tcp-internal.h: the TCP model's private structures (TCB, listener, stack)
 * and the functions the tcp-*.c files share. Not for the socket layer.
 *
 * Layout: tcp-stack.c (tables, demux, trace helpers), tcp-conn.c (TCB life
 * cycle, user calls), tcp-input.c (SEGMENT ARRIVES, RFC 9293 3.10.7),
 * tcp-output.c (segments, send queue, retransmission), tcp-timers.c
 * (RFC 6298), tcp-time-wait.c (TIME-WAIT records), tcp-isn.c (ISS). */
#pragma once

#include "tcp.h"

G_BEGIN_DECLS

/* What a per-port list entry is; kept in the first byte of TcpConn and of
 * the TIME-WAIT record (tcp_entry_kind), so one list can hold both in
 * creation order. */
typedef enum {
  TCP_ENTRY_CONN = 1,
  TCP_ENTRY_TIME_WAIT,
} TcpEntryKind;

static inline TcpEntryKind
tcp_entry_kind (gconstpointer entry)
{
  return (TcpEntryKind) *(const guint8 *) entry;
}

/* An entry's place in its port's list: the list is threaded through the
 * entries themselves (TcpConn, TcpTimeWait), so linking allocates nothing. */
typedef struct {
  gpointer prev;
  gpointer next;
} TcpPortLink;

/* The entries bound to one local port, creation order. */
typedef struct {
  gpointer head;
  gpointer tail;
  guint length;
} TcpPortList;

struct _TcpStack {
  SimEngine *engine;
  char *host_name;
  TcpConfig config;       /* fixed after tcp_stack_new: the TIME-WAIT ring relies on it */
  TcpIncarnations *incarnations;
  TcpOutputFunc output;
  gpointer output_data;
  /* TCBs by 4-tuple (tcp-stack.c): open addressing, linear probing, each
   * slot with its tuple's hash; backward-shift deletion. Never iterated
   * in slot order for anything that shows. */
  struct _TcpConnSlot *conn_slots;
  guint conn_slots_mask;  /* slots - 1; no table while conn_slots is NULL */
  guint n_conns;
  /* TIME-WAIT records (tcp-time-wait.c): an open-addressing table by
   * 4-tuple (linear probing, pointer slots, backward-shift deletion) and a
   * FIFO ring in expiry order; only the ring head's timer is in the event
   * queue (tw_timer, for the record tw_armed). */
  guint32 *tw_slots;      /* record index + 1; 0 = empty */
  guint tw_slots_mask;    /* slots - 1; no table while tw_slots is NULL */
  guint32 *tw_ring;       /* record index + 1; 0 = gone */
  guint64 tw_ring_head;   /* ring positions only grow; slot = pos & mask */
  guint64 tw_ring_tail;
  guint64 tw_ring_mask;
  SimEventId tw_timer;
  struct _TcpTimeWait *tw_armed;
  gboolean tw_teardown;
  /* Records come from blocks of TCP_TW_BLOCK (no malloc header each) and
   * are named by their index in them (4-byte table and ring slots); freed
   * ones are kept on a list threaded through them for reuse. */
  struct _TcpTimeWait *tw_free;
  GPtrArray *tw_blocks;
  GHashTable *ports;      /* local port -> TcpPortList, creation order; lookup only */
  /* Freed TCBs kept for reuse with their (emptied) buffers, linked through
   * port_link.next: a connection's life then allocates nothing. */
  struct _TcpConn *conn_spare;
  guint n_conn_spare;
  GQueue listeners;       /* TcpListener, creation order */
  GQueue dead_listeners;  /* closed by a crash, freed by tcp_listener_close */
  guint n_time_waits;

  /* RFC 6528 / Linux ISN secret, drawn lazily from "isn-secret:<host>". */
  guint64 isn_secret[2];
  gboolean isn_secret_valid;
  /* Linux ts_secret (secure_tcp_ts_off), from "ts-secret:<host>". */
  guint64 ts_secret[2];
  gboolean ts_secret_valid;

  /* Host crash and reboot (tcp_stack_crash / tcp_stack_reboot). */
  gboolean down;          /* crashed, not yet rebooted: no input, no output */
  SimTime quiet_until;    /* RFC 9293 3.4.3 quiet time: no segments before */
};

struct _TcpListener {
  TcpStack *stack;
  NetEndpoint local;
  guint backlog;
  guint64 id;
  TcpListenerCallbacks callbacks;
  gpointer user;
  GQueue children;     /* TcpConn not yet accepted (SYN-RECEIVED or queued) */
  GQueue accept_queue; /* TcpConn that reached ESTABLISHED, FIFO */
  gboolean dead;       /* the host crashed: out of the stack, awaiting close */
  gboolean v6only;     /* IPV6_V6ONLY: an IPv6 wildcard takes no IPv4 SYN */
};

/* Linux sk_acceptq_is_full (include/net/sock.h): "sk_ack_backlog >
 * sk_max_ack_backlog", on the accept queue only; `>`, so listen (s, N)
 * holds N + 1 established connections (Linux commit 64a146513f8f). */
static inline gboolean
tcp_listener_accept_queue_full (const TcpListener *listener)
{
  return listener->accept_queue.length > listener->backlog;
}

/* Notifications collected while a TCB is being processed and delivered when
 * the outermost entry point leaves it (see tcp_conn_leave). */
enum {
  TCP_NOTIFY_ESTABLISHED = 1 << 0,
  TCP_NOTIFY_ACCEPTABLE = 1 << 1, /* to the listener */
  TCP_NOTIFY_READABLE = 1 << 2,
  TCP_NOTIFY_SENDABLE = 1 << 3,
};

struct _TcpConn {
  guint8 kind;           /* TCP_ENTRY_CONN (tcp_entry_kind) */
  gboolean port_linked;  /* in its port's list, at port_link */
  TcpStack *stack;
  NetFourTuple tuple;
  guint64 id;
  guint32 incarnation;
  TcpState state;
  TcpError error;
  guint bind_flags;
  TcpConnCallbacks callbacks;
  gpointer user;
  TcpPortLink port_link; /* our place in the stack's per-port list */

  /* Passive open: the listener until accepted (RFC 9293 note 1, MUST-11:
   * remember that SYN-RECEIVED was reached from LISTEN). */
  TcpListener *listener;
  gboolean passive;
  gboolean in_accept_queue;
  gboolean orphan;

  /* Life cycle and re-entrancy: `busy` counts active entry points; a dead
   * TCB is out of every table and is freed when busy drops to 0. */
  guint busy;
  gboolean dead;
  guint notify;

  /* RFC 9293 3.3.1 send sequence variables. */
  TcpSeq iss;
  TcpSeq snd_una;
  TcpSeq snd_nxt;
  guint32 snd_wnd;
  guint32 max_snd_wnd;   /* RFC 5961 5.2 MAX.SND.WND */
  TcpSeq snd_wl1;
  TcpSeq snd_wl2;
  guint16 peer_mss;
  gboolean peer_sack_ok;   /* the peer's SYN offered SACK-permitted (RFC 2018 2) */
  gboolean peer_wscale_ok; /* the peer's SYN carried window scale (RFC 7323 2.2) */
  /* Receive sequence variables; RCV.WND is computed (tcp_conn_rcv_wnd). */
  TcpSeq irs;
  TcpSeq rcv_nxt;
  guint32 rcv_adv_wnd;   /* window in our last segment */
  guint32 rcv_ssthresh;  /* rcv_wnd_linux: tp->rcv_ssthresh, the window's ceiling; 0
                          * until tcp_select_initial_window() ran (first SYN/SYN,ACK) */
  guint32 rcv_wnd_linux; /* rcv_wnd_linux: tp->rcv_wnd, the window last announced in
                          * bytes (after a SYN or SYN,ACK: the initial rcv_wnd) */
  TcpSeq rcv_wup;        /* tp->rcv_wup: RCV.NXT when rcv_wnd_linux was announced */
  gboolean rcv_wnd_announced;
  SimTime syn_first_sent; /* when our first SYN left (Linux retrans_stamp) */
  SimTime rexmit_stamp;   /* Linux retrans_stamp: when the first RTO retransmission
                           * of the current episode left (0: none) */
  gboolean tlp_sent;      /* a tail loss probe went since the last new ACK
                           * (Linux tp->tlp_high_seq) */

  /* RFC 7323 timestamps: negotiated in SYN and SYN,ACK (3.2). */
  gboolean ts_ok;
  guint32 ts_recent;     /* TS.Recent (4.3) */
  TcpSeq last_ack_sent;  /* Last.ACK.sent (4.3) */
  guint32 ts_offset;     /* added to our TS clock (Linux secure_tcp_ts_off) */
  guint32 syn_tsecr;     /* TSecr of our SYN: 0, or the taken-over record's TS.Recent */

  /* Send buffer: every byte not yet acknowledged, sent or not. Byte 0 has
   * stream offset snd_buf_off and sequence number ISS + 1 + snd_buf_off. */
  GByteArray *snd_buf;
  guint64 snd_buf_off;
  gboolean fin_queued;   /* user CLOSE: FIN after the queued data */
  gboolean fin_sent;
  TcpSeq fin_seq;
  gboolean ack_pending;  /* an ACK is owed; any segment we send clears it */

  /* Receive buffer, in order, with provenance per chunk. */
  GByteArray *rcv_buf;
  GArray *rcv_spans;     /* TcpByteSpan */
  GQueue ooo;            /* TcpSegment refs beyond RCV.NXT, by SEG.SEQ */
  gboolean fin_received;
  /* Provenance (not TCP): the sequence numbers [stale_lo, stale_hi) were
   * filled by bytes of another incarnation (stale_inc); tcp.data-lost. */
  gboolean has_stale;
  guint32 stale_inc;
  TcpSeq stale_lo;
  TcpSeq stale_hi;

  /* RFC 6298 retransmission timer (also the persist timer). */
  SimEventId rexmit_timer;
  guint retries;         /* retransmissions of the current head */
  gboolean rexmit_rearmed; /* the timer runs for a re-arm (tcp_timers_rexmit_rearm),
                            * not for the RTO */
  gboolean persist;      /* zero-window probing (RFC 9293 3.8.6.1) */
  guint persist_backoff; /* probes sent in this episode */
  SimTime rto;
  SimTime srtt;
  SimTime rttvar;
  gboolean have_rtt;
  gboolean rtt_timing;   /* one segment timed at a time (Karn) */
  TcpSeq rtt_seq;        /* timed segment's end */
  SimTime rtt_start;

  /* An orphan in FIN-WAIT-2 is deleted when this fires (fin_wait_2_timeout). */
  SimEventId fin_wait_2_timer;
  SimEventId delack_timer; /* delack_ato: the delayed ACK (Linux ICSK_TIME_DACK) */
};

/* --- tcp-stack.c: tables, trace helpers --- */
SimTime     tcp_stack_now             (TcpStack *stack);
gboolean    tcp_stack_tracing         (TcpStack *stack);
/* Whether a trace sink reads events of this kind. */
gboolean    tcp_stack_traces          (TcpStack *stack, const char *kind);
void        tcp_stack_add_conn        (TcpStack *stack, TcpConn *conn);
void        tcp_stack_remove_conn     (TcpStack *stack, TcpConn *conn);
/* The entries on `port` (NULL if none); the next one after `entry`. */
TcpPortList *tcp_stack_port_list      (TcpStack *stack, guint16 port);
gpointer    tcp_stack_port_next       (gconstpointer entry);
/* `entry` (a TcpConn or TcpTimeWait) goes to the end of its port's list,
 * leaves it, or hands its place to `by` (a TCB becoming a record). */
void        tcp_stack_port_append     (TcpStack *stack, guint16 port, gpointer entry);
void        tcp_stack_port_unlink     (TcpStack *stack, guint16 port, gpointer entry);
void        tcp_stack_port_replace    (TcpStack *stack, guint16 port, gpointer entry, gpointer by);
TcpListener *tcp_stack_find_listener  (TcpStack *stack, NetEndpoint local);
/* The orphaned FIN-WAIT-2 TCB of `tuple` when fin_wait_2_minisock is on. */
TcpConn    *tcp_stack_find_fin_wait_2_minisock (TcpStack *stack, const NetFourTuple *tuple);
/* Hands a segment to the network: trace "tcp.send", output, unref. */
void        tcp_stack_send            (TcpStack *stack, TcpSegment *seg, guint64 conn_id,
                                       guint32 inc, const char *why);
void        tcp_trace_state           (TcpStack *stack, guint64 conn_id, guint32 inc,
                                       const NetFourTuple *tuple, TcpState from,
                                       TcpState to, const char *reason);
void        tcp_trace_recv            (TcpStack *stack, const TcpSegment *seg, guint64 conn_id,
                                       guint32 inc, const char *state, const char *verdict,
                                       const char *rule);
void        tcp_trace_timer           (TcpStack *stack, guint64 conn_id, const char *timer,
                                       const char *action, SimTime at, gint backoff,
                                       const char *text);
/* The same in two steps, for callers whose text costs work: NULL when no
 * sink reads "tcp.timer"; set the text when sim_trace_needs_text (ev). */
SimTraceEvent *tcp_trace_timer_begin  (TcpStack *stack, guint64 conn_id, const char *timer,
                                       const char *action, SimTime at, gint backoff);
void        tcp_trace_publish         (TcpStack *stack, SimTraceEvent *ev);
void        tcp_trace_error           (TcpStack *stack, guint64 conn_id, TcpError error);
/* Our RFC 7323 TS clock: offset + now x ts_clock_hz / 1 s, mod 2^32. */
guint32     tcp_stack_ts_clock        (TcpStack *stack, guint32 offset);
/* RFC 7323 5.3 R1: TSval < TS.Recent, wrap-safe (TS arithmetic mod 2^32). */
static inline gboolean
tcp_ts_before (guint32 a, guint32 b)
{
  return (gint32) (a - b) < 0;
}
const char *tcp_error_errno_name      (TcpError error);
/* RFC 9293 3.5.2 group 1 reply to a segment nobody owns (never to a RST);
 * also the one RST form for a SYN in the window of a synchronized TCB or a
 * TIME-WAIT record (RFC 793 3.9 rules). */
void        tcp_stack_send_reset_for  (TcpStack *stack, const TcpSegment *seg,
                                       guint64 conn_id, guint32 inc, const char *why);

/* --- tcp-conn.c: life cycle --- */
TcpConn    *tcp_conn_new              (TcpStack *stack, const NetFourTuple *tuple,
                                       guint32 incarnation);
/* The same with a forced ISS (a SYN that reopened a TIME-WAIT record). */
TcpConn    *tcp_conn_new_with_iss     (TcpStack *stack, const NetFourTuple *tuple,
                                       guint32 incarnation, TcpSeq iss);
void        tcp_conn_set_state        (TcpConn *conn, TcpState to, const char *reason);
void        tcp_conn_enter            (TcpConn *conn);
void        tcp_conn_leave            (TcpConn *conn);
/* Tears the TCB down: state CLOSED, out of the tables, timers off, then
 * failed(error) unless TCP_ERROR_NONE, then released. */
void        tcp_conn_destroy          (TcpConn *conn, TcpError error, const char *reason);
/* Hands the TCB over to a TIME-WAIT record (released fires, no failed). */
void        tcp_conn_release_quietly  (TcpConn *conn);
void        tcp_conn_free             (TcpConn *conn);
/* Stack teardown: frees the TCBs kept for reuse. */
void        tcp_conn_free_spares      (TcpStack *stack);
guint32     tcp_conn_rcv_wnd          (TcpConn *conn);
guint16     tcp_conn_own_mss          (TcpConn *conn);
guint32     tcp_conn_rcv_wnd_linux    (TcpConn *conn);
/* The window of a segment being sent (tcp_select_window() records it). */
guint32     tcp_conn_announce_wnd     (TcpConn *conn);
guint16     tcp_conn_eff_mss          (TcpConn *conn);
/* SYN-RECEIVED -> ESTABLISHED bookkeeping (accept queue or established). */
void        tcp_conn_became_established (TcpConn *conn, TcpState from, const char *reason);
void        tcp_conn_append_received  (TcpConn *conn, const guint8 *data, gsize len,
                                       const TcpSegment *seg, guint64 offset);

/* --- tcp-input.c --- */
void        tcp_input_conn            (TcpConn *conn, TcpSegment *seg);
/* `iss` non-NULL: the child's ISS is forced (TIME-WAIT reopened by SYN). */
void        tcp_input_listen          (TcpListener *listener, TcpSegment *seg,
                                       const TcpSeq *iss);

/* --- tcp-output.c --- */
TcpSegment *tcp_output_segment_new    (TcpConn *conn, TcpSeq seq, guint8 flags);
void        tcp_output_syn            (TcpConn *conn, gboolean retransmission, const char *why);
void        tcp_output_ack            (TcpConn *conn, const char *why);
void        tcp_output_rst            (TcpConn *conn, TcpSeq seq, const char *why);
/* <SEQ=seq><ACK=RCV.NXT><CTL=RST,ACK> (abort_rst_ack). */
void        tcp_output_rst_ack        (TcpConn *conn, TcpSeq seq, const char *why);
/* Sends what the peer window and the send buffer allow, then the FIN. */
void        tcp_output_push           (TcpConn *conn);
/* RFC 6298 (5.4): retransmits the earliest unacknowledged segment. */
void        tcp_output_retransmit     (TcpConn *conn, const char *why);
/* RFC 9293 3.8.6.1: one byte beyond a zero window. */
void        tcp_output_probe          (TcpConn *conn, const char *why);
/* Bytes of the send buffer already sent (SND.NXT - first data seq). */
guint32     tcp_output_sent_bytes     (TcpConn *conn);
TcpSeq      tcp_output_buf_seq        (TcpConn *conn);

/* --- tcp-timers.c --- */
/* (Re)starts the retransmission (or persist) timer for the current RTO:
 * RFC 6298 (5.1) start, (5.3) restart on new data acknowledged, (5.6)
 * restart after a retransmission. */
void        tcp_timers_rexmit_start   (TcpConn *conn);
void        tcp_timers_rexmit_stop    (TcpConn *conn);
/* Reschedules the retransmission timer `interval` from now (not the RTO). */
void        tcp_timers_rexmit_rearm   (TcpConn *conn, SimTime interval, const char *why);
/* Linux TCP_TIMEOUT_MIN, 2 jiffies at config->hz. */
SimTime     tcp_timers_timeout_min    (const TcpConfig *config);
void        tcp_timers_persist_start  (TcpConn *conn);
/* The window opened: persist off, SND.NXT back to SND.UNA (an unacked
 * FIN is unsent again), timer stopped; the caller pushes. */
void        tcp_timers_persist_leave  (TcpConn *conn);
void        tcp_timers_rtt_sample     (TcpConn *conn, SimTime r);
/* Our SYN was acknowledged: RFC 6298 (5.7) RTO of 3 s if it timed out. */
void        tcp_timers_handshake_done (TcpConn *conn);
void        tcp_timers_stop_all       (TcpConn *conn);
/* Sends the pending ACK after `ato` (Linux tcp_send_delayed_ack). */
void        tcp_timers_delack_start   (TcpConn *conn, SimTime ato);
/* Starts the orphaned FIN-WAIT-2 timer if the TCB is an orphan in
 * FIN-WAIT-2, fin_wait_2_timeout is not 0 and it is not running yet. */
void        tcp_timers_fin_wait_2_start (TcpConn *conn);

G_END_DECLS
