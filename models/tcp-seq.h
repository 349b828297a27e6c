/* tcp-seq.h: sequence-number arithmetic modulo 2^32 (RFC 9293 3.4: "all
 * arithmetic dealing with sequence numbers must be performed modulo 2**32").
 * Comparisons are wrap-safe: a is "before" b when (int32)(a - b) < 0. */
#pragma once

#include <glib.h>

typedef guint32 TcpSeq;

static inline gboolean tcp_seq_lt (TcpSeq a, TcpSeq b) { return (gint32) (a - b) < 0; }
static inline gboolean tcp_seq_leq (TcpSeq a, TcpSeq b) { return (gint32) (a - b) <= 0; }
static inline gboolean tcp_seq_gt (TcpSeq a, TcpSeq b) { return (gint32) (a - b) > 0; }
static inline gboolean tcp_seq_geq (TcpSeq a, TcpSeq b) { return (gint32) (a - b) >= 0; }
/* lo <= x < hi, all mod 2^32 */
static inline gboolean
tcp_seq_in_range (TcpSeq x, TcpSeq lo, TcpSeq hi)
{
  return (guint32) (x - lo) < (guint32) (hi - lo);
}
static inline TcpSeq tcp_seq_max (TcpSeq a, TcpSeq b) { return tcp_seq_gt (a, b) ? a : b; }
static inline TcpSeq tcp_seq_min (TcpSeq a, TcpSeq b) { return tcp_seq_lt (a, b) ? a : b; }
