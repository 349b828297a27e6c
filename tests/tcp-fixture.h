/* tcp-fixture.h: one TcpStack under test ("host A", 10.0.0.1) whose output is
 * captured instead of sent; the test plays the peer (10.0.0.2) by building
 * segments by hand. Virtual time is driven through the SimEngine; tests
 * never sleep.
 *
 * The numbers every test can rely on: A's ISS is FIX_ISS (1000, pinned with
 * TCP_ISN_FIXED), the peer's ISS is FIX_PEER_ISS (5000). After the
 * handshake A has SND.NXT = 1001 and RCV.NXT = 5001.
 *
 * Usage:
 *   static void
 *   test_fin_wait_2_fin (TcpFixture *f, gconstpointer data)
 *   {
 *     g_test_summary ("RFC 9293 3.10.7.4 FIN-WAIT-2: FIN -> TIME-WAIT, ACK it");
 *     fixture_fin_wait_2 (f);
 *     fixture_inject (f, FIN | ACK, 5001, 1002, NULL);
 *     fixture_expect_segment (f, ACK, 1002, 5002, 0);
 *     fixture_assert_state (f, TCP_STATE_TIME_WAIT);
 *   }
 *   ...
 *   TCP_TEST ("/tcp/fin-wait-2/fin-enters-time-wait", test_fin_wait_2_fin);
 *
 * Tests that need another configuration change f->config before the first
 * call that touches the stack (the stack is created lazily). */
#pragma once

#include "tcp.h"

G_BEGIN_DECLS

/* Short names for the control bits, as the RFC writes them. */
#define FIN TCP_FLAG_FIN
#define SYN TCP_FLAG_SYN
#define RST TCP_FLAG_RST
#define PSH TCP_FLAG_PSH
#define ACK TCP_FLAG_ACK

#define FIX_A_IP        net_addr_ip4 (0x0A000001u) /* 10.0.0.1, host under test */
#define FIX_B_IP        net_addr_ip4 (0x0A000002u) /* 10.0.0.2, the peer the test plays */
#define FIX_A_PORT      4000        /* A's port for active opens */
#define FIX_B_PORT      80          /* the peer's port for active opens */
#define FIX_LISTEN_PORT 80          /* A listens here for passive opens */
#define FIX_B_CLIENT_PORT 5555      /* the peer's port for passive opens */

#define FIX_ISS      1000u
#define FIX_PEER_ISS 5000u
#define FIX_MSL      (60 * SIM_S)

#define FIX_PEER_CONN_ID 99 /* provenance of the segments the peer sends */

typedef struct {
  SimEngine *engine;
  TcpIncarnations *incarnations;
  TcpStack *stack; /* created lazily from config by fixture_stack() */
  TcpConfig config;

  GQueue sent;         /* TcpSegment *: what A sent, oldest first */
  GPtrArray *popped;   /* segments taken out of `sent`, kept until teardown */
  guint64 next_seg_id;

  /* The connection the test talks about, as seen from A. */
  NetFourTuple tuple;
  TcpConn *conn;       /* NULL once `released` fired for it */
  guint64 conn_id;     /* 0 = unknown */
  TcpListener *listener;

  /* A's and the peer's initial sequence numbers. */
  TcpSeq iss;
  TcpSeq peer_iss;
  /* What the peer puts in its segments. */
  guint32 peer_window;
  guint16 peer_mss;
  guint64 peer_conn_id;
  guint32 peer_incarnation;

  /* Callback counts. */
  guint established;
  guint readable;
  guint sendable;
  guint failed;
  guint released;
  guint acceptable;
  TcpError last_error;

  /* From the trace. */
  GHashTable *states;    /* conn id (guint64 *) -> char * "to" state */
  guint64 newest_conn_id; /* last conn id seen for the first time in tcp.state */
  GPtrArray *verdicts;   /* char *: tcp.recv verdicts, in order */
  GPtrArray *transitions; /* char *: "conn:FROM->TO" */
  GPtrArray *rules;      /* char *: tcp.recv rules, in order */
  GPtrArray *events;     /* char *: "kind: text" of every trace event */
} TcpFixture;

void fixture_setup    (TcpFixture *f, gconstpointer data);
void fixture_teardown (TcpFixture *f, gconstpointer data);

#define TCP_TEST(path, func) \
  g_test_add ((path), TcpFixture, NULL, fixture_setup, (func), fixture_teardown)

TcpStack *fixture_stack (TcpFixture *f);
extern const TcpConnCallbacks fixture_conn_callbacks;
extern const TcpListenerCallbacks fixture_listener_callbacks;

/* Time. fixture_advance moves virtual time forward by exactly d (running
 * every timer due until then); fixture_run_until to an absolute time. */
SimTime fixture_now       (TcpFixture *f);
void    fixture_advance   (TcpFixture *f, SimTime d);
void    fixture_run_until (TcpFixture *f, SimTime t);

/* The peer. Segments go from f->tuple.remote to f->tuple.local, with window
 * f->peer_window, MSS option f->peer_mss on SYNs, and provenance
 * (peer_conn_id, peer_incarnation, offset from peer_iss). */
TcpSegment *fixture_make_segment (TcpFixture *f, guint8 flags, TcpSeq seq, TcpSeq ack,
                                  const guint8 *payload, gsize length);
void        fixture_deliver      (TcpFixture *f, TcpSegment *seg); /* takes seg */
void        fixture_inject       (TcpFixture *f, guint8 flags, TcpSeq seq, TcpSeq ack,
                                  const char *payload);
void        fixture_inject_bytes (TcpFixture *f, guint8 flags, TcpSeq seq, TcpSeq ack,
                                  const guint8 *payload, gsize length);

/* What A sent. Flags are compared exactly except PSH; ack only when the
 * expected flags include ACK; len is the payload length. The returned
 * segment stays valid until teardown. */
TcpSegment *fixture_expect_segment_at (TcpFixture *f, const char *file, int line,
                                       const char *func, guint8 flags, TcpSeq seq,
                                       TcpSeq ack, gsize len);
#define fixture_expect_segment(f, flags, seq, ack, len) \
  fixture_expect_segment_at ((f), __FILE__, __LINE__, G_STRFUNC, (flags), (seq), (ack), (len))
void        fixture_expect_nothing_at (TcpFixture *f, const char *file, int line,
                                       const char *func);
#define fixture_expect_nothing(f) \
  fixture_expect_nothing_at ((f), __FILE__, __LINE__, G_STRFUNC)
/* The next captured segment, whatever it is (test fails if none). */
TcpSegment *fixture_pop_at (TcpFixture *f, const char *file, int line, const char *func);
#define fixture_pop(f) fixture_pop_at ((f), __FILE__, __LINE__, G_STRFUNC)
guint       fixture_sent_count (TcpFixture *f);

/* State of f->conn_id: the last tcp.state "to" in the trace, cross-checked
 * with tcp_conn_state (live TCB), tcp_stack_find_conn and
 * tcp_stack_has_time_wait (TIME-WAIT record / CLOSED). */
void        fixture_assert_state_at (TcpFixture *f, const char *file, int line,
                                     const char *func, TcpState expected);
#define fixture_assert_state(f, expected) \
  fixture_assert_state_at ((f), __FILE__, __LINE__, G_STRFUNC, (expected))
/* The last traced state of a connection id, or NULL if never traced. */
const char *fixture_traced_state (TcpFixture *f, guint64 conn_id);
/* The verdict of the last tcp.recv event, or NULL. */
const char *fixture_last_verdict (TcpFixture *f);

/* The rule of the last tcp.recv event, or NULL. */
const char *fixture_last_rule (TcpFixture *f);
/* Trace events of one kind ("tcp.assassinated", ...): how many, and the
 * text of the last one (NULL if none). */
guint       fixture_count_events     (TcpFixture *f, const char *kind);
const char *fixture_last_event_text  (TcpFixture *f, const char *kind);

/* The peer sends a segment with an RFC 7323 TSopt. */
void        fixture_inject_ts        (TcpFixture *f, guint8 flags, TcpSeq seq, TcpSeq ack,
                                      const char *payload, guint32 tsval, guint32 tsecr);

/* RECEIVE up to max bytes from f->conn, as a NUL-terminated string. */
char       *fixture_receive (TcpFixture *f, gsize max);

/* State builders, each from the previous one (the RFC way). The FIN-WAIT,
 * CLOSE-WAIT ... builders start from fixture_established() unless a
 * connection is already open (so fixture_established_passive() first works
 * too). */
void fixture_syn_sent            (TcpFixture *f);
void fixture_established         (TcpFixture *f);
void fixture_listen              (TcpFixture *f, guint backlog);
void fixture_syn_received_passive (TcpFixture *f);
void fixture_established_passive (TcpFixture *f);
void fixture_fin_wait_1          (TcpFixture *f);
void fixture_fin_wait_2          (TcpFixture *f);
void fixture_closing             (TcpFixture *f);
void fixture_time_wait           (TcpFixture *f);
void fixture_close_wait          (TcpFixture *f);
void fixture_last_ack            (TcpFixture *f);

/* Points f->tuple at a passive-open tuple with the given peer port. */
void fixture_use_passive_tuple   (TcpFixture *f, guint16 peer_port);

G_END_DECLS
