/* tcp-segment.c: segment lifetime, length and printing. */
#include "tcp-segment.h"

#include <string.h>

/* Freed segments are kept for reuse (a few per thread): a simulation
 * allocates and frees one per transmission. Not under AddressSanitizer,
 * which should see every segment's life. */
#if defined(__SANITIZE_ADDRESS__)
#define TCP_SEGMENT_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TCP_SEGMENT_CACHE 0
#endif
#endif
#ifndef TCP_SEGMENT_CACHE
#define TCP_SEGMENT_CACHE 256
#endif

#if TCP_SEGMENT_CACHE > 0
static _Thread_local TcpSegment *segment_cache; /* linked through `payload` */
static _Thread_local guint segment_cache_len;
#endif

static TcpSegment *
segment_alloc (void)
{
#if TCP_SEGMENT_CACHE > 0
  TcpSegment *seg = segment_cache;
  if (seg != NULL)
    {
      segment_cache = (TcpSegment *) (gpointer) seg->payload;
      segment_cache_len--;
      return seg;
    }
#endif
  return g_new (TcpSegment, 1);
}

TcpSegment *
tcp_segment_new (void)
{
  TcpSegment *seg = segment_alloc ();
  memset (seg, 0, sizeof *seg);
  seg->ref_count = 1;
  return seg;
}

TcpSegment *
tcp_segment_ref (TcpSegment *seg)
{
  seg->ref_count++;
  return seg;
}

void
tcp_segment_unref (TcpSegment *seg)
{
  if (seg == NULL || --seg->ref_count > 0)
    return;
  if (seg->payload != NULL)
    g_bytes_unref (seg->payload);
#if TCP_SEGMENT_CACHE > 0
  if (segment_cache_len < TCP_SEGMENT_CACHE)
    {
      seg->payload = (GBytes *) (gpointer) segment_cache;
      segment_cache = seg;
      segment_cache_len++;
      return;
    }
#endif
  g_free (seg);
}

TcpSegment *
tcp_segment_copy (const TcpSegment *seg)
{
  TcpSegment *copy = segment_alloc ();
  *copy = *seg;
  copy->ref_count = 1;
  if (copy->payload != NULL)
    g_bytes_ref (copy->payload);
  return copy;
}

gsize
tcp_segment_payload_len (const TcpSegment *seg)
{
  return seg->payload != NULL ? g_bytes_get_size (seg->payload) : 0;
}

guint32
tcp_segment_len (const TcpSegment *seg)
{
  return (guint32) tcp_segment_payload_len (seg)
         + ((seg->flags & TCP_FLAG_SYN) ? 1 : 0)
         + ((seg->flags & TCP_FLAG_FIN) ? 1 : 0);
}

/* RFC 9293 3.10.7.4 Table 6:
 *   SEG.LEN 0,  RCV.WND 0:  SEG.SEQ = RCV.NXT
 *   SEG.LEN 0,  RCV.WND >0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *   SEG.LEN >0, RCV.WND 0:  not acceptable
 *   SEG.LEN >0, RCV.WND >0: the first or the last octet in the window. */
gboolean
tcp_segment_acceptable (const TcpSegment *seg, TcpSeq rcv_nxt, guint32 rcv_wnd)
{
  guint32 len = tcp_segment_len (seg);
  TcpSeq end = rcv_nxt + rcv_wnd;
  if (len == 0 && rcv_wnd == 0)
    return seg->seq == rcv_nxt;
  if (len == 0)
    return tcp_seq_in_range (seg->seq, rcv_nxt, end);
  if (rcv_wnd == 0)
    return FALSE;
  return tcp_seq_in_range (seg->seq, rcv_nxt, end)
         || tcp_seq_in_range (seg->seq + len - 1, rcv_nxt, end);
}

gboolean
tcp_segment_has (const TcpSegment *seg, TcpFlag flag)
{
  return (seg->flags & flag) != 0;
}

void
tcp_flags_append (GString *out, guint8 flags)
{
  /* Printed in the order people say them: SYN,ACK / FIN,ACK / RST,ACK. */
  static const struct {
    guint8 bit;
    const char *name;
  } order[] = {
    { TCP_FLAG_SYN, "SYN" }, { TCP_FLAG_FIN, "FIN" }, { TCP_FLAG_RST, "RST" },
    { TCP_FLAG_PSH, "PSH" }, { TCP_FLAG_ACK, "ACK" }, { TCP_FLAG_URG, "URG" },
  };
  gboolean first = TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    {
      if (!(flags & order[i].bit))
        continue;
      if (!first)
        g_string_append_c (out, ',');
      g_string_append (out, order[i].name);
      first = FALSE;
    }
  if (first)
    g_string_append_c (out, '-');
}

void
tcp_segment_append_summary (GString *out, const TcpSegment *seg)
{
  net_endpoint_append (out, seg->src);
  g_string_append (out, " > ");
  net_endpoint_append (out, seg->dst);
  g_string_append_c (out, ' ');
  if (seg->udp)
    {
      g_string_append_printf (out, "UDP len=%" G_GSIZE_FORMAT, tcp_segment_payload_len (seg));
      return;
    }
  tcp_flags_append (out, seg->flags);
  g_string_append_printf (out, " seq=%u", seg->seq);
  if (seg->flags & TCP_FLAG_ACK)
    g_string_append_printf (out, " ack=%u", seg->ack);
  g_string_append_printf (out, " len=%" G_GSIZE_FORMAT " win=%u",
                          tcp_segment_payload_len (seg), seg->window);
  if (seg->has_timestamps)
    g_string_append_printf (out, " TS=%u/%u", seg->tsval, seg->tsecr);
  if (seg->incarnation != 0)
    g_string_append_printf (out, " #%u", seg->incarnation);
  if (seg->copy != 0)
    g_string_append_printf (out, " (duplicate %u)", seg->copy);
}

void
tcp_segment_trace_fields (SimTraceEvent *ev, const TcpSegment *seg)
{
  GString *s = g_string_new (NULL);
  sim_trace_field_int (ev, "seg", (gint64) seg->id);
  net_endpoint_append (s, seg->src);
  sim_trace_field_str (ev, "src", s->str);
  g_string_truncate (s, 0);
  net_endpoint_append (s, seg->dst);
  sim_trace_field_str (ev, "dst", s->str);
  g_string_truncate (s, 0);
  tcp_flags_append (s, seg->flags);
  sim_trace_field_str (ev, "flags", s->str);
  sim_trace_field_int (ev, "seq", seg->seq);
  sim_trace_field_int (ev, "ack", seg->ack);
  sim_trace_field_int (ev, "len", (gint64) tcp_segment_payload_len (seg));
  sim_trace_field_int (ev, "win", seg->window);
  if (seg->has_timestamps)
    {
      sim_trace_field_int (ev, "tsval", seg->tsval);
      sim_trace_field_int (ev, "tsecr", seg->tsecr);
    }
  sim_trace_field_int (ev, "seg_conn", (gint64) seg->conn_id);
  sim_trace_field_int (ev, "seg_inc", seg->incarnation);
  sim_trace_field_int (ev, "offset", (gint64) seg->stream_offset);
  sim_trace_field_int (ev, "copy", seg->copy);
  sim_trace_field_bool (ev, "rexmit", seg->retransmission);
  g_string_free (s, TRUE);
}
