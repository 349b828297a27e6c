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
  if (seg->injected)
    g_string_append (out, " (injected)");
}

void
tcp_segment_trace_fields (SimTraceEvent *ev, const TcpSegment *seg)
{
  char ep[NET_ENDPOINT_TEXT_SIZE];
  GString *s = g_string_sized_new (16);
  sim_trace_field_int (ev, "seg", (gint64) seg->id);
  sim_trace_field_str (ev, "src", net_endpoint_format (ep, seg->src));
  sim_trace_field_str (ev, "dst", net_endpoint_format (ep, seg->dst));
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
  if (seg->injected)
    sim_trace_field_bool (ev, "injected", TRUE);
  g_string_free (s, TRUE);
}

/* --- options on the wire --- */

typedef struct {
  guint8 *kinds;
  guint n;
  guint bytes;
} OptionRun;

guint
tcp_option_kind_length (guint8 kind)
{
  switch (kind)
    {
    case TCP_OPT_MSS: return 4;        /* RFC 9293 3.2: kind 2, length 4 */
    case TCP_OPT_WSCALE: return 3;     /* RFC 7323 2.2: kind 3, length 3 */
    case TCP_OPT_SACK_OK: return 2;    /* RFC 2018 2: kind 4, length 2 */
    case TCP_OPT_TIMESTAMPS: return 10; /* RFC 7323 3.2: kind 8, length 10 */
    default: return 1;                 /* EOL, NOP */
    }
}

static void
run_put (OptionRun *r, guint8 kind)
{
  if (r->n >= TCP_MAX_OPTIONS)
    return;
  r->kinds[r->n++] = kind;
  r->bytes += tcp_option_kind_length (kind);
}

/* Pads with NOPs until bytes % modulo == rest (and at least one byte when
 * nonzero_first), as FreeBSD tcp_addoptions() does before each option. */
static void
run_pad_nop (OptionRun *r, guint modulo, guint rest, gboolean nonzero_first)
{
  while ((nonzero_first && r->bytes == 0) || r->bytes % modulo != rest)
    run_put (r, TCP_OPT_NOP);
}

static void
run_pad_eol (OptionRun *r)
{
  while (r->bytes % 4 != 0)
    run_put (r, TCP_OPT_EOL);
}

/* Linux tcp_options_write() (net/ipv4/tcp_output.c): MSS; then TS, with
 * SACK-permitted folded into its first word when both go; else SACK-
 * permitted after two NOPs; then NOP and window scale. */
static void
layout_linux (OptionRun *r, const TcpSegment *seg, gboolean mss)
{
  if (mss)
    run_put (r, TCP_OPT_MSS);
  if (seg->has_timestamps)
    {
      if (seg->sack_ok)
        run_put (r, TCP_OPT_SACK_OK);
      else
        {
          run_put (r, TCP_OPT_NOP);
          run_put (r, TCP_OPT_NOP);
        }
      run_put (r, TCP_OPT_TIMESTAMPS);
    }
  else if (seg->sack_ok)
    {
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_SACK_OK);
    }
  if (seg->has_wscale)
    {
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_WSCALE);
    }
}

/* FreeBSD tcp_addoptions() (sys/netinet/tcp_output.c): options in the
 * order of their TOF_ bits (MSS, SCALE, SACKPERM, TS), window scale after
 * NOPs to an odd offset, SACK-permitted to an even one, timestamps to
 * offset 2 mod 4; then EOL to a 32-bit boundary. */
static void
layout_freebsd (OptionRun *r, const TcpSegment *seg, gboolean mss)
{
  if (mss)
    run_put (r, TCP_OPT_MSS);
  if (seg->has_wscale)
    {
      run_pad_nop (r, 2, 1, TRUE);
      run_put (r, TCP_OPT_WSCALE);
    }
  if (seg->sack_ok)
    {
      run_pad_nop (r, 2, 0, FALSE);
      run_put (r, TCP_OPT_SACK_OK);
    }
  if (seg->has_timestamps)
    {
      run_pad_nop (r, 4, 2, TRUE);
      run_put (r, TCP_OPT_TIMESTAMPS);
    }
  run_pad_eol (r);
}

/* XNU tcp_output() (bsd/netinet/tcp_output.c): MSS; NOP, window scale;
 * TCPOPT_TSTAMP_HDR (NOP, NOP, TS); SACK-permitted; EOL to 32 bits. */
static void
layout_xnu (OptionRun *r, const TcpSegment *seg, gboolean mss)
{
  if (mss)
    run_put (r, TCP_OPT_MSS);
  if (seg->has_wscale)
    {
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_WSCALE);
    }
  if (seg->has_timestamps)
    {
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_TIMESTAMPS);
    }
  if (seg->sack_ok)
    run_put (r, TCP_OPT_SACK_OK);
  run_pad_eol (r);
}

/* RFC 7323 Appendix A (NOP, NOP, TS; NOP, window scale) for the plain
 * RFC personalities; Windows has no published source, its order here is
 * that of its SYNs as captured (MSS, NOP, WS, NOP, NOP, SACK-permitted). */
static void
layout_aligned (OptionRun *r, const TcpSegment *seg, gboolean mss, gboolean windows)
{
  if (mss)
    run_put (r, TCP_OPT_MSS);
  if (windows && seg->has_wscale)
    {
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_WSCALE);
    }
  if (seg->has_timestamps)
    {
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_TIMESTAMPS);
    }
  if (!windows && seg->has_wscale)
    {
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_WSCALE);
    }
  if (seg->sack_ok)
    {
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_NOP);
      run_put (r, TCP_OPT_SACK_OK);
    }
}

guint
tcp_segment_option_kinds (const TcpSegment *seg, guint8 *kinds)
{
  OptionRun r = { kinds, 0, 0 };
  /* RFC 9293 3.7.1: MSS only in SYN segments. */
  gboolean mss = seg->mss != 0 && (seg->flags & TCP_FLAG_SYN);
  gboolean any = mss || seg->has_timestamps || seg->sack_ok || seg->has_wscale;
  if (!any)
    return 0;
  switch (seg->layout)
    {
    case TCP_LAYOUT_LINUX:
      layout_linux (&r, seg, mss);
      break;
    case TCP_LAYOUT_FREEBSD:
      layout_freebsd (&r, seg, mss);
      break;
    case TCP_LAYOUT_XNU:
      layout_xnu (&r, seg, mss);
      break;
    case TCP_LAYOUT_WINDOWS:
      layout_aligned (&r, seg, mss, TRUE);
      break;
    case TCP_LAYOUT_RFC7323:
      layout_aligned (&r, seg, mss, FALSE);
      break;
    }
  return r.n;
}

void
tcp_segment_append_options (GString *out, const TcpSegment *seg)
{
  guint8 kinds[TCP_MAX_OPTIONS];
  guint n = tcp_segment_option_kinds (seg, kinds);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      switch (kinds[i])
        {
        case TCP_OPT_EOL: g_string_append (out, "eol"); break;
        case TCP_OPT_NOP: g_string_append (out, "nop"); break;
        case TCP_OPT_MSS: g_string_append_printf (out, "mss %u", seg->mss); break;
        case TCP_OPT_WSCALE: g_string_append_printf (out, "wscale %u", seg->wscale); break;
        case TCP_OPT_SACK_OK: g_string_append (out, "sackOK"); break;
        case TCP_OPT_TIMESTAMPS:
          g_string_append_printf (out, "TS val %u ecr %u", seg->tsval, seg->tsecr);
          break;
        default: break;
        }
    }
}
