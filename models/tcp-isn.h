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
/* The TS clock offset for `tuple` when ts_random_offset is on: a keyed
 * hash of (local address, remote address), ports left out (Linux
 * secure_tcp_ts_off), so it is the same for every connection between the
 * two addresses. */
guint32 tcp_isn_ts_offset (TcpStack *stack, const NetFourTuple *tuple);
/* Forgets the hash secrets (a crashed host draws a new one at boot). */
void    tcp_isn_forget_secret (TcpStack *stack);

G_END_DECLS
