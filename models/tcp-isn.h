/* tcp-isn.h: initial send sequence numbers (RFC 9293 3.4.1). */
#pragma once

#include "tcp-internal.h"

G_BEGIN_DECLS

/* The ISS for a new connection on `tuple` (local/remote as seen by us),
 * from the stack's configured generator. Secrets and random draws come
 * from the engine's seeded streams, so runs are reproducible. */
TcpSeq  tcp_isn_generate (TcpStack *stack, const NetFourTuple *tuple);
/* SipHash-2-4 (Aumasson and Bernstein, 2012) of `len` bytes under a
 * 128-bit key: the keyed PRF of the RFC 6528 and Linux generators. */
guint64 tcp_isn_siphash  (const guint64 key[2], const guint8 *data, gsize len);
/* The TS clock offset for `tuple` per config ts_offset: 0, a keyed hash of
 * the two addresses (Linux secure_tcp_ts_off) or the upper half of the
 * ISN hash of the four-tuple (Linux secure_tcp_seq_and_ts_off). The same
 * for every incarnation of a four-tuple. */
guint32 tcp_isn_ts_offset (TcpStack *stack, const NetFourTuple *tuple);
/* Forgets the hash secrets (a crashed host draws a new one at boot). */
void    tcp_isn_forget_secret (TcpStack *stack);

G_END_DECLS
