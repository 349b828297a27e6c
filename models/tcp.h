/* tcp.h: the TCP model's public interface, as used by the socket layer and
 * the host. One TcpStack per host holds that host's TCBs (TcpConn),
 * TIME-WAIT records and listeners, demultiplexes arriving segments (exact
 * 4-tuple, then TIME-WAIT, then LISTEN) and runs RFC 9293 3.10.
 *
 * Ownership: the stack owns every TcpConn, TcpListener and TIME-WAIT record.
 * A TcpConn pointer held by the socket layer stays valid until the
 * `released` callback fires for it (the TCB is deleted, or becomes a
 * TIME-WAIT record); after that it must not be used. Connection ids stay
 * meaningful forever (the TIME-WAIT record and the trace keep them). */
#pragma once

#include "sim-engine.h"
#include "net-addr.h"
#include "tcp-config.h"
#include "tcp-segment.h"
#include "tcp-state.h"

G_BEGIN_DECLS

typedef struct _TcpStack TcpStack;
typedef struct _TcpConn TcpConn;
typedef struct _TcpListener TcpListener;
typedef struct _TcpIncarnations TcpIncarnations;

/* Why a connection failed; the socket layer maps these to errno. */
typedef enum {
  TCP_ERROR_NONE,
  TCP_ERROR_REFUSED,  /* RST in SYN-SENT (ECONNREFUSED) */
  TCP_ERROR_RESET,    /* RST in a synchronized state (ECONNRESET) */
  TCP_ERROR_TIMEOUT,  /* retransmissions exhausted (ETIMEDOUT) */
  TCP_ERROR_ABORTED,  /* local ABORT (the user's own close/abort) */
} TcpError;

/* Bytes handed to the application, with their ground-truth origin. */
typedef struct {
  guint64 conn_id;       /* TCB that sent them */
  guint32 incarnation;   /* incarnation of the 4-tuple that sent them */
  guint64 stream_offset; /* offset in the sender's stream */
  gsize length;
} TcpByteSpan;

typedef struct {
  /* SYN-SENT or SYN-RECEIVED -> ESTABLISHED (connect() may return). */
  void (*established) (TcpConn *conn, gpointer user);
  /* In-order data or the peer's FIN became readable. */
  void (*readable) (TcpConn *conn, gpointer user);
  /* Send-buffer space freed, or everything sent was acknowledged. */
  void (*sendable) (TcpConn *conn, gpointer user);
  /* Reset, refused or timed out; `released` follows. */
  void (*failed) (TcpConn *conn, TcpError error, gpointer user);
  /* The TCB goes away now (CLOSED, or turned into a TIME-WAIT record). */
  void (*released) (TcpConn *conn, gpointer user);
} TcpConnCallbacks;

typedef struct {
  /* The accept queue became non-empty. */
  void (*acceptable) (TcpListener *listener, gpointer user);
} TcpListenerCallbacks;

/* Sends a segment on the wire; the callee takes its own reference. */
typedef void (*TcpOutputFunc) (TcpSegment *seg, gpointer data);

/* Shared by all stacks of one network: numbers the incarnations of each
 * 4-tuple (#1, #2, ...) and hands out connection ids. */
TcpIncarnations *tcp_incarnations_new    (void);
void             tcp_incarnations_free   (TcpIncarnations *inc);
guint32          tcp_incarnations_next   (TcpIncarnations *inc, const NetFourTuple *tuple);
guint64          tcp_incarnations_new_id (TcpIncarnations *inc);
/* Segment ids: one counter for the whole network, so every transmission
 * has a unique id from the moment TCP sends it. */
guint64          tcp_incarnations_new_segment_id (TcpIncarnations *inc);

TcpStack    *tcp_stack_new             (SimEngine *engine,
                                        const char *host_name,
                                        const TcpConfig *config,
                                        TcpIncarnations *incarnations,
                                        TcpOutputFunc output,
                                        gpointer output_data);
void         tcp_stack_free            (TcpStack *stack);
const TcpConfig *tcp_stack_config      (TcpStack *stack);
/* A segment addressed to this host arrived (borrowed reference). */
void         tcp_stack_segment_arrives (TcpStack *stack, TcpSegment *seg);

/* RFC 9293 3.10.1 OPEN, active: creates a TCB in SYN-SENT and sends SYN. */
TcpConn     *tcp_stack_connect         (TcpStack *stack,
                                        const NetFourTuple *tuple,
                                        const TcpConnCallbacks *callbacks,
                                        gpointer user);
/* RFC 9293 3.10.1 OPEN, passive. local.ip may be NET_IP4_ANY. */
TcpListener *tcp_stack_listen          (TcpStack *stack,
                                        NetEndpoint local,
                                        guint backlog,
                                        const TcpListenerCallbacks *callbacks,
                                        gpointer user);

/* RFC 3493 5.3 IPV6_V6ONLY: an IPv6 wildcard listener takes IPv4 SYNs
 * too unless v6only (the default: FALSE). */
void         tcp_listener_set_v6only   (TcpListener *listener, gboolean v6only);

/* Lookups for the bind/connect rules. */
TcpConn     *tcp_stack_find_conn       (TcpStack *stack, const NetFourTuple *tuple);
gboolean     tcp_stack_has_time_wait   (TcpStack *stack, const NetFourTuple *tuple);
/* Visits every TCB and TIME-WAIT record whose local port is `port`, in
 * creation order. `bind_flags` is what tcp_conn_set_bind_flags stored. */
typedef void (*TcpPortVisitFunc) (const NetFourTuple *tuple, TcpState state,
                                  guint bind_flags, guint64 conn_id, gpointer data);
void         tcp_stack_foreach_on_port (TcpStack *stack, guint16 port,
                                        TcpPortVisitFunc func, gpointer data);
/* Deletes the TIME-WAIT records for a local endpoint (the `textbook` rule
 * "SO_REUSEADDR discards TIME-WAIT"); returns how many were discarded. */
guint        tcp_stack_discard_time_wait (TcpStack *stack, NetEndpoint local);
guint        tcp_stack_time_wait_count (TcpStack *stack);

/* What a TIME-WAIT record remembers of its connection, for the connect()
 * rules (Linux tcp_twsk_unique: tw_snd_nxt, tw_ts_recent_stamp,
 * tw_ts_recent, tw_entry_stamp). */
typedef struct {
  guint64 conn_id;
  guint32 incarnation;
  guint32 snd_nxt;     /* SND.NXT of the old connection */
  gboolean ts_used;    /* the old connection used RFC 7323 timestamps */
  guint32 ts_recent;   /* its TS.Recent (meaningful when ts_used) */
  SimTime created;     /* when its current TIME-WAIT period began: entry, or the
                          last restart of its timer */
  guint bind_flags;
  gboolean fin_wait_2; /* the holder is an orphaned FIN-WAIT-2 TCB, which Linux
                          keeps as a TIME-WAIT minisocket (fin_wait_2_minisock) */
} TcpTimeWaitInfo;

/* TRUE (and *out filled, if not NULL) when a TIME-WAIT record holds the
 * exact 4-tuple, or, with fin_wait_2_minisock, an orphaned FIN-WAIT-2 TCB
 * (then `created` is now: it is never old enough for tcp_tw_reuse). */
gboolean     tcp_stack_time_wait_lookup (TcpStack *stack, const NetFourTuple *tuple,
                                         TcpTimeWaitInfo *out);
/* RFC 9293 3.10.1 OPEN, active, over a TIME-WAIT record of the same
 * 4-tuple (Linux tcp_twsk_unique; the caller has decided the record is
 * reusable), or over an orphaned FIN-WAIT-2 TCB with fin_wait_2_minisock
 * (Linux's FIN_WAIT2 timewait minisocket): the record is discarded (traced "TIME-WAIT -> CLOSED
 * (taken over: `why`)") and the new TCB starts with ISS = old SND.NXT +
 * 65537 ("write_seq = tw_snd_nxt + 65535 + 2", never 0) and, if the old
 * connection used timestamps, inherits TS.Recent and the TS clock offset
 * (the offset is keyed by the four-tuple, or by the addresses, so the new
 * connection would draw the same one anyway: Linux secure_tcp_seq_and_ts_off,
 * earlier secure_tcp_ts_off). Returns
 * NULL, doing nothing, when neither holds the 4-tuple. */
TcpConn     *tcp_stack_connect_take_over (TcpStack *stack,
                                          const NetFourTuple *tuple,
                                          const char *why,
                                          const TcpConnCallbacks *callbacks,
                                          gpointer user);

/* Host crash: every TCB, TIME-WAIT record and listener vanishes silently
 * (traced "X -> CLOSED (host crashed)"; TCBs get `released`, no `failed`;
 * listener pointers stay valid until tcp_listener_close). The stack is then
 * down: arriving segments are dropped and nothing is sent. */
void         tcp_stack_crash           (TcpStack *stack);
/* The host is up again (crashing first if it was not down). For quiet_time
 * (RFC 793 3.3 / RFC 9293 3.4.3 quiet time, typically MSL) every segment
 * the stack would send is suppressed and traced as "tcp.quiet"; TCBs
 * created meanwhile retransmit once it is over. */
void         tcp_stack_reboot          (TcpStack *stack, SimTime quiet_time);
gboolean     tcp_stack_is_down         (TcpStack *stack);

/* The listener. Children that reach ESTABLISHED wait in its accept queue. */
TcpConn     *tcp_listener_accept       (TcpListener *listener); /* NULL if empty */
guint        tcp_listener_queue_length (TcpListener *listener);
NetEndpoint  tcp_listener_local        (TcpListener *listener);
guint64      tcp_listener_id           (TcpListener *listener);
/* RFC 9293 3.10.4 CLOSE in LISTEN; connections not yet accepted are reset
 * (Linux inet_csk_listen_stop). Frees the listener. */
void         tcp_listener_close        (TcpListener *listener);

/* User calls on a connection (RFC 9293 3.10). */
void         tcp_conn_set_callbacks    (TcpConn *conn, const TcpConnCallbacks *callbacks, gpointer user);
/* SEND: queues up to the free send-buffer space; returns bytes queued. */
gsize        tcp_conn_send             (TcpConn *conn, const guint8 *data, gsize length);
gsize        tcp_conn_send_space       (TcpConn *conn);
/* Bytes queued or in flight, not yet acknowledged (for SO_LINGER). */
gsize        tcp_conn_unacked          (TcpConn *conn);
/* RECEIVE: moves up to max in-order bytes into out, and their origin into
 * spans (TcpByteSpan, may be NULL). Returns the number of bytes. */
gsize        tcp_conn_receive          (TcpConn *conn, gsize max, GByteArray *out, GArray *spans);
gsize        tcp_conn_readable         (TcpConn *conn);
/* TRUE once the peer's FIN was received and all data before it was read. */
gboolean     tcp_conn_at_eof           (TcpConn *conn);
/* CLOSE: a FIN follows the queued data (half-close: we may still receive). */
void         tcp_conn_close            (TcpConn *conn);
/* ABORT: RST where RFC 9293 3.10.5 says so; the TCB is deleted and no
 * TIME-WAIT is left. `released` fires before this returns. */
void         tcp_conn_abort            (TcpConn *conn);
/* The socket let go (close()): callbacks stop; new data arriving after the
 * FIN is answered with RST (Linux tcp_rcv_state_process). An orphan in
 * FIN-WAIT-2 is deleted silently (no RST) once it has been there for
 * TcpConfig.fin_wait_2_timeout, when that is not 0 (Linux tcp_fin_timeout). */
void         tcp_conn_orphan           (TcpConn *conn);
void         tcp_conn_set_bind_flags   (TcpConn *conn, guint flags);
TcpState     tcp_conn_state            (TcpConn *conn);
TcpError     tcp_conn_error            (TcpConn *conn);
guint64      tcp_conn_id               (TcpConn *conn);
guint32      tcp_conn_incarnation      (TcpConn *conn);
const NetFourTuple *tcp_conn_tuple     (TcpConn *conn);

G_END_DECLS
