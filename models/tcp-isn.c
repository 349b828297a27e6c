/* tcp-isn.c: initial send sequence numbers (RFC 9293 3.4.1). The one switch
 * below is the extension point for more generators (RFC 6528 hash + clock,
 * Linux-like 64 ns clock, ...). */
#include "tcp-isn.h"

/* RFC 9293 3.4.1 (MUST-8): "a (possibly fictitious) 32 bit clock ... that
 * increments roughly every 4 microseconds". Virtual time only. */
static TcpSeq
tcp_isn_clock_4us (SimTime now)
{
  return (TcpSeq) ((guint64) now / 4000u);
}

TcpSeq
tcp_isn_generate (const TcpConfig *config, SimTime now, const NetFourTuple *tuple)
{
  switch (config->isn_kind)
    {
    case TCP_ISN_FIXED:
      /* Deliberately unsafe: every incarnation starts at the same ISN. */
      return config->isn_fixed;
    case TCP_ISN_CLOCK_4US:
      /* The clock part of RFC 9293 3.4.1 only. The RFC 6528 term
       * F(localip, localport, remoteip, remoteport, secretkey) (SHLD-1)
       * will be a separate TcpIsnKind using `tuple`. */
      return tcp_isn_clock_4us (now);
    }
  g_return_val_if_reached (0);
}
