/* segment-compare.h: an `expect segment` line against the segment a host
 * sent: the first difference, in packetdrill's order and words
 * (run_packet.c: "live packet field tcp_seq: expected: 1 (0x1) vs actual:
 * 2 (0x2)", "bad outbound TCP options", timing errors), and the actual
 * segment written for messages. */
#pragma once

#include "scenario-script.h"
#include "tcp-segment.h"

G_BEGIN_DECLS

/* The first field of `seg` that differs from `expected`, or NULL. `seq`,
 * `ack` and `win` are the segment's as the line counts them (relative to
 * the ISNs, unscaled, for packetdrill lines). */
char *segment_compare             (const ScenarioSegment *expected, const TcpSegment *seg,
                                   guint32 seq, guint32 ack, guint32 win);
/* "timing error: expected outbound packet at T sec but happened at U sec;
 * tolerance X sec" (or "in time range A~B sec ..."), for a line at `time`
 * that accepts [lo, hi]. */
char *segment_timing_error        (SimTime time, SimTime lo, SimTime hi, SimTime now);
/* packetdrill's notation: "S. 0:0(0) ack 1 win 65535 <mss 1460,...>". */
void  segment_append_actual_pkt   (GString *out, const TcpSegment *seg, guint32 seq, guint32 ack,
                                   guint32 win);
/* The scenario language's: "SYN|ACK seq=5000 ack=1001 win=65535 len=0 ... to A:P". */
void  segment_append_actual       (GString *out, const TcpSegment *seg);

G_END_DECLS
