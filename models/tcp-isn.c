/* tcp-isn.c: initial send sequence numbers (RFC 9293 3.4.1), one generator
 * per TcpIsnKind:
 *
 *   fixed    every connection starts at isn_fixed (the hazard, on purpose);
 *   clock    RFC 793 3.3 / RFC 9293 3.4.1 MUST-8: a 4 us clock;
 *   rfc6528  RFC 6528 / RFC 9293 3.4.1 SHLD-1: ISN = M + F(4-tuple, secret),
 *            M the 4 us clock, F SipHash-2-4 truncated to 32 bits;
 *   linux    Linux secure_tcp_seq(): siphash(saddr, daddr, sport, dport,
 *            net_secret) + (ktime_get_real_ns() >> 6), a 64 ns tick
 *            (net/core/secure_seq.c);
 *   random   a uniform 32-bit draw per connection from stream "isn:<host>".
 *
 * The RFC 7323 TS clock offset of the linux personality comes from here
 * too (tcp_isn_ts_offset), as Linux keeps both in secure_seq.c.
 *
 * Only virtual time is used. The secret is drawn from the seeded stream
 * "isn-secret:<host>" the first time it is needed, and again after a host
 * crash (a rebooted host has a new secret, as Linux draws net_secret at
 * boot), so a run is reproducible from its seed. */
#include "tcp-isn.h"
#include <string.h>

/* ---- SipHash-2-4 -------------------------------------------------------- */

static inline guint64
rotl64 (guint64 x, int b)
{
  return (x << b) | (x >> (64 - b));
}

#define SIPROUND                                                        \
  G_STMT_START                                                          \
  {                                                                     \
    v0 += v1; v1 = rotl64 (v1, 13); v1 ^= v0; v0 = rotl64 (v0, 32);    \
    v2 += v3; v3 = rotl64 (v3, 16); v3 ^= v2;                           \
    v0 += v3; v3 = rotl64 (v3, 21); v3 ^= v0;                           \
    v2 += v1; v1 = rotl64 (v1, 17); v1 ^= v2; v2 = rotl64 (v2, 32);    \
  }                                                                     \
  G_STMT_END

static guint64
load_le64 (const guint8 *p)
{
  guint64 v = 0;
  for (int i = 7; i >= 0; i--)
    v = (v << 8) | p[i];
  return v;
}

guint64
tcp_isn_siphash (const guint64 key[2], const guint8 *data, gsize len)
{
  guint64 v0 = G_GUINT64_CONSTANT (0x736f6d6570736575) ^ key[0];
  guint64 v1 = G_GUINT64_CONSTANT (0x646f72616e646f6d) ^ key[1];
  guint64 v2 = G_GUINT64_CONSTANT (0x6c7967656e657261) ^ key[0];
  guint64 v3 = G_GUINT64_CONSTANT (0x7465646279746573) ^ key[1];
  gsize full = len - (len % 8);
  for (gsize i = 0; i < full; i += 8)
    {
      guint64 m = load_le64 (data + i);
      v3 ^= m;
      SIPROUND;
      SIPROUND;
      v0 ^= m;
    }
  guint64 b = ((guint64) len) << 56;
  for (gsize i = 0; i < len % 8; i++)
    b |= ((guint64) data[full + i]) << (8 * i);
  v3 ^= b;
  SIPROUND;
  SIPROUND;
  v0 ^= b;
  v2 ^= 0xff;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}

#undef SIPROUND

/* ---- generators --------------------------------------------------------- */

/* RFC 9293 3.4.1 (MUST-8): "a (possibly fictitious) 32 bit clock ... that
 * increments roughly every 4 microseconds". Virtual time only. */
static TcpSeq
tcp_isn_clock_4us (SimTime now)
{
  return (TcpSeq) ((guint64) now / 4000u);
}

static const guint64 *
tcp_isn_secret (TcpStack *stack)
{
  if (!stack->isn_secret_valid)
    {
      char *purpose = g_strdup_printf ("isn-secret:%s", stack->host_name);
      SimRng *rng = sim_engine_rng (stack->engine, purpose);
      stack->isn_secret[0] = sim_rng_next_u64 (rng);
      stack->isn_secret[1] = sim_rng_next_u64 (rng);
      stack->isn_secret_valid = TRUE;
      g_free (purpose);
    }
  return stack->isn_secret;
}

void
tcp_isn_forget_secret (TcpStack *stack)
{
  stack->isn_secret_valid = FALSE;
  stack->ts_secret_valid = FALSE;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

/* F(localip, localport, remoteip, remoteport, secretkey) (RFC 6528 3,
 * RFC 9293 3.4.1): SipHash-2-4 over the 4-tuple, low 32 bits. RFC 6528
 * suggests MD5; any PRF that "MUST NOT be computable from the outside"
 * (MUST-9) serves, and SipHash is what Linux uses. The layout follows
 * Linux siphash_3u32(saddr, daddr, sport << 16 | dport). */
/* The two addresses as the hash sees them: 4 bytes each for IPv4 (Linux
 * secure_tcp_seq), 16 each for IPv6 (secure_tcpv6_seq hashes the in6_addrs).
 * Returns the length written. */
static gsize
put_addrs (guint8 *p, const NetFourTuple *tuple)
{
  gsize n = net_addr_is_ip6 (tuple->local.ip) ? 16 : 4;
  memcpy (p, tuple->local.ip.bytes, n);
  memcpy (p + n, tuple->remote.ip.bytes, n);
  return 2 * n;
}

static guint64
tcp_isn_hash64 (TcpStack *stack, const NetFourTuple *tuple)
{
  guint8 buf[36];
  gsize n = put_addrs (buf, tuple);
  put_be32 (buf + n, ((guint32) tuple->local.port << 16) | tuple->remote.port);
  return tcp_isn_siphash (tcp_isn_secret (stack), buf, n + 4);
}

/* The low half: Linux's "seq" of secure_tcp_seq_and_ts_off(). */
static guint32
tcp_isn_hash (TcpStack *stack, const NetFourTuple *tuple)
{
  return (guint32) tcp_isn_hash64 (stack, tuple);
}

/* The TS clock offset, keyed per ts_offset (RFC 7323 5.4 leaves the
 * clock's origin free):
 *
 *   addresses   Linux secure_tcp_ts_off(net, saddr, daddr) (before 6.18):
 *               "siphash_2u32(saddr, daddr, &ts_secret)", the two addresses
 *               only, under its own secret, drawn from "ts-secret:<host>";
 *   four-tuple  Linux secure_tcp_seq_and_ts_off(net, saddr, daddr, sport,
 *               dport) (6.18): one siphash of the four-tuple under
 *               net_secret, "seq" its low half (the ISN's hash, above) and
 *               "ts_off" its high half.
 *
 * tcp_v4_connect() passes (saddr, daddr, sport, dport), a passive open the
 * SYN's (daddr, saddr, dest, source): (local, remote) both ways. Either
 * way every incarnation of a four-tuple runs the same TS clock. Secrets are
 * drawn again after a crash. */
guint32
tcp_isn_ts_offset (TcpStack *stack, const NetFourTuple *tuple)
{
  switch (stack->config.ts_offset)
    {
    case TCP_TS_OFFSET_NONE:
      return 0;
    case TCP_TS_OFFSET_FOUR_TUPLE:
      return (guint32) (tcp_isn_hash64 (stack, tuple) >> 32);
    case TCP_TS_OFFSET_ADDRESSES:
      break;
    }
  if (!stack->ts_secret_valid)
    {
      char *purpose = g_strdup_printf ("ts-secret:%s", stack->host_name);
      SimRng *rng = sim_engine_rng (stack->engine, purpose);
      stack->ts_secret[0] = sim_rng_next_u64 (rng);
      stack->ts_secret[1] = sim_rng_next_u64 (rng);
      stack->ts_secret_valid = TRUE;
      g_free (purpose);
    }
  guint8 buf[32];
  gsize n = put_addrs (buf, tuple);
  return (guint32) tcp_isn_siphash (stack->ts_secret, buf, n);
}

TcpSeq
tcp_isn_generate (TcpStack *stack, const NetFourTuple *tuple)
{
  const TcpConfig *config = &stack->config;
  SimTime now = tcp_stack_now (stack);
  switch (config->isn_kind)
    {
    case TCP_ISN_FIXED:
      /* Deliberately unsafe: every incarnation starts at the same ISN. */
      return config->isn_fixed;
    case TCP_ISN_CLOCK_4US:
      /* The clock part of RFC 9293 3.4.1 only. */
      return tcp_isn_clock_4us (now);
    case TCP_ISN_RFC6528:
      /* RFC 6528 3 / RFC 9293 3.4.1 (SHLD-1): "ISN = M + F(localip,
       * localport, remoteip, remoteport, secretkey) where M is the 4
       * microsecond timer". Per 4-tuple the ISN still grows with the
       * clock; different 4-tuples get unrelated offsets. */
      return tcp_isn_clock_4us (now) + tcp_isn_hash (stack, tuple);
    case TCP_ISN_LINUX:
      /* Linux secure_tcp_seq() -> seq_scale(): hash +
       * (ktime_get_real_ns() >> 6), "period of 274 s". */
      return tcp_isn_hash (stack, tuple) + (TcpSeq) ((guint64) now >> 6);
    case TCP_ISN_RANDOM:
      {
        /* No clock: nothing orders one incarnation after the other. */
        char *purpose = g_strdup_printf ("isn:%s", stack->host_name);
        TcpSeq isn = sim_rng_next_u32 (sim_engine_rng (stack->engine, purpose));
        g_free (purpose);
        return isn;
      }
    }
  g_return_val_if_reached (0);
}
