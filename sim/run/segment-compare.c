/* segment-compare.c: an expected segment against a sent one, field by
 * field in packetdrill's order (run_packet.c verify_outbound_live_packet:
 * IP length, TCP header fields, options, payload), and both written out. */
#include "segment-compare.h"

#include <string.h>

/* packetdrill's notation of a segment: "S. 0:0(0) ack 1 win 65535 <...>". */
static void
append_pkt_flags (GString *out, guint8 flags)
{
  if (flags & TCP_FLAG_FIN)
    g_string_append_c (out, 'F');
  if (flags & TCP_FLAG_SYN)
    g_string_append_c (out, 'S');
  if (flags & TCP_FLAG_RST)
    g_string_append_c (out, 'R');
  if (flags & TCP_FLAG_PSH)
    g_string_append_c (out, 'P');
  if (flags & TCP_FLAG_ACK)
    g_string_append_c (out, '.');
  if (flags & TCP_FLAG_URG)
    g_string_append_c (out, 'U');
}

/* The actual segment in script space (seq relative, window unscaled). */
void
segment_append_actual_pkt (GString *out, const TcpSegment *seg, guint32 seq, guint32 ack,
                           guint32 win)
{
  gsize len = tcp_segment_payload_len (seg);
  append_pkt_flags (out, seg->flags);
  g_string_append_printf (out, " %u:%u(%" G_GSIZE_FORMAT ")", seq, seq + (guint32) len, len);
  if (seg->flags & TCP_FLAG_ACK)
    g_string_append_printf (out, " ack %u", ack);
  g_string_append_printf (out, " win %u", win);
  GString *opts = g_string_new (NULL);
  tcp_segment_append_options (opts, seg);
  if (opts->len > 0)
    g_string_append_printf (out, " <%s>", opts->str);
  g_string_free (opts, TRUE);
}

void
segment_append_actual (GString *out, const TcpSegment *seg)
{
  static const struct {
    guint8 bit;
    const char *name;
  } order[] = {
    { TCP_FLAG_SYN, "SYN" }, { TCP_FLAG_FIN, "FIN" }, { TCP_FLAG_RST, "RST" },
    { TCP_FLAG_PSH, "PSH" }, { TCP_FLAG_ACK, "ACK" }, { TCP_FLAG_URG, "URG" },
  };
  const char *sep = "";
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if (seg->flags & order[i].bit)
      {
        g_string_append_printf (out, "%s%s", sep, order[i].name);
        sep = "|";
      }
  if (*sep == '\0')
    g_string_append (out, "none");
  g_string_append_printf (out, " seq=%u", seg->seq);
  if (seg->flags & TCP_FLAG_ACK)
    g_string_append_printf (out, " ack=%u", seg->ack);
  g_string_append_printf (out, " win=%u len=%" G_GSIZE_FORMAT, seg->window,
                          tcp_segment_payload_len (seg));
  if (seg->mss != 0 && (seg->flags & TCP_FLAG_SYN))
    g_string_append_printf (out, " mss=%u", seg->mss);
  if (seg->has_wscale)
    g_string_append_printf (out, " wscale=%u", seg->wscale);
  if (seg->sack_ok)
    g_string_append (out, " sack_ok=on");
  if (seg->has_timestamps)
    g_string_append_printf (out, " ts=%u/%u", seg->tsval, seg->tsecr);
  g_string_append (out, " to ");
  net_endpoint_append (out, seg->dst);
}

static char *
field_error (const char *name, guint32 expected, guint32 actual)
{
  return g_strdup_printf ("live packet field %s: expected: %u (0x%x) vs actual: %u (0x%x)", name,
                          expected, expected, actual, actual);
}

static guint8
option_kind_of (ScenarioOptionKind kind)
{
  switch (kind)
    {
    case SCENARIO_OPT_EOL: return TCP_OPT_EOL;
    case SCENARIO_OPT_NOP: return TCP_OPT_NOP;
    case SCENARIO_OPT_MSS: return TCP_OPT_MSS;
    case SCENARIO_OPT_WSCALE: return TCP_OPT_WSCALE;
    case SCENARIO_OPT_SACK_OK: return TCP_OPT_SACK_OK;
    case SCENARIO_OPT_TS: return TCP_OPT_TIMESTAMPS;
    }
  return TCP_OPT_EOL;
}

static guint
padded (guint bytes)
{
  return (bytes + 3) / 4 * 4;
}

/* packetdrill compares the options kind by kind, in order; MSS and window
 * scale by value too; timestamp values are not compared. */
static char *
compare_options_exact (const ScenarioSegment *e, const TcpSegment *seg)
{
  guint8 kinds[TCP_MAX_OPTIONS];
  guint n = tcp_segment_option_kinds (seg, kinds);
  if (n != e->options->len)
    return g_strdup ("bad outbound TCP options");
  for (guint i = 0; i < n; i++)
    {
      const ScenarioOption *o = &g_array_index (e->options, ScenarioOption, i);
      if (option_kind_of (o->kind) != kinds[i])
        return g_strdup ("bad outbound TCP options");
      if ((o->kind == SCENARIO_OPT_MSS && o->value != seg->mss)
          || (o->kind == SCENARIO_OPT_WSCALE && o->value != seg->wscale))
        return g_strdup_printf ("bad value outbound TCP option %u", kinds[i]);
    }
  return NULL;
}

/* A scenario's options: those listed must be there (MSS and window scale
 * with these values); options=none: none at all. */
static char *
compare_options_listed (const ScenarioSegment *e, const TcpSegment *seg)
{
  guint8 kinds[TCP_MAX_OPTIONS];
  if (e->options->len == 0)
    return tcp_segment_option_kinds (seg, kinds) == 0 ? NULL : g_strdup ("options");
  for (guint i = 0; i < e->options->len; i++)
    {
      const ScenarioOption *o = &g_array_index (e->options, ScenarioOption, i);
      gboolean ok = TRUE;
      switch (o->kind)
        {
        case SCENARIO_OPT_EOL:
        case SCENARIO_OPT_NOP:
          break;
        case SCENARIO_OPT_MSS:
          ok = (seg->flags & TCP_FLAG_SYN) && seg->mss == o->value;
          break;
        case SCENARIO_OPT_WSCALE:
          ok = seg->has_wscale && seg->wscale == o->value;
          break;
        case SCENARIO_OPT_SACK_OK:
          ok = seg->sack_ok;
          break;
        case SCENARIO_OPT_TS:
          ok = seg->has_timestamps;
          break;
        }
      if (!ok)
        return g_strdup ("options");
    }
  return NULL;
}

static guint
expected_option_bytes (const ScenarioSegment *e, const TcpSegment *seg)
{
  if (!e->has_options)
    {
      guint8 kinds[TCP_MAX_OPTIONS];
      guint n = tcp_segment_option_kinds (seg, kinds), bytes = 0;
      for (guint i = 0; i < n; i++)
        bytes += tcp_option_kind_length (kinds[i]);
      return padded (bytes);
    }
  guint bytes = 0;
  for (guint i = 0; i < e->options->len; i++)
    bytes += tcp_option_kind_length (option_kind_of (g_array_index (e->options, ScenarioOption, i).kind));
  return padded (bytes);
}

static guint
actual_option_bytes (const TcpSegment *seg)
{
  guint8 kinds[TCP_MAX_OPTIONS];
  guint n = tcp_segment_option_kinds (seg, kinds), bytes = 0;
  for (guint i = 0; i < n; i++)
    bytes += tcp_option_kind_length (kinds[i]);
  return padded (bytes);
}

/* The first difference, in packetdrill's order of checks (IP length,
 * data offset, flags, seq, ack, window, options, payload), or NULL. */
char *
segment_compare (const ScenarioSegment *e, const TcpSegment *seg, guint32 seq, guint32 seg_ack,
                 guint32 win)
{
  guint32 len = (guint32) tcp_segment_payload_len (seg);
  guint32 e_len = e->has_len ? e->len : e->payload != NULL ? (guint32) g_bytes_get_size (e->payload) : len;
  guint e_opt = expected_option_bytes (e, seg), a_opt = actual_option_bytes (seg);
  if (e_len != len || (e->relative && e_opt != a_opt))
    return field_error ("ipv4_total_length", 40 + e_opt + e_len, 40 + a_opt + len);
  static const struct {
    guint8 bit;
    const char *name;
  } flags[] = {
    { TCP_FLAG_FIN, "tcp_fin" }, { TCP_FLAG_SYN, "tcp_syn" }, { TCP_FLAG_RST, "tcp_rst" },
    { TCP_FLAG_PSH, "tcp_psh" }, { TCP_FLAG_ACK, "tcp_ack" }, { TCP_FLAG_URG, "tcp_urg" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (flags); i++)
    if ((e->flags & flags[i].bit) != (seg->flags & flags[i].bit))
      return field_error (flags[i].name, (e->flags & flags[i].bit) != 0,
                          (seg->flags & flags[i].bit) != 0);
  if (e->has_seq && e->seq != seq)
    return field_error ("tcp_seq", e->seq, seq);
  guint32 ack = (seg->flags & TCP_FLAG_ACK) ? seg_ack : 0;
  if (e->has_ack && e->ack != ack)
    return field_error ("tcp_ack_seq", e->ack, ack);
  if (e->has_win && e->win != win)
    return field_error ("tcp_window", e->win, win);
  if (e->has_options)
    {
      char *bad = e->relative ? compare_options_exact (e, seg) : compare_options_listed (e, seg);
      if (bad != NULL)
        return bad;
    }
  if (e->payload != NULL && len > 0
      && (g_bytes_get_size (e->payload) != len
          || memcmp (g_bytes_get_data (e->payload, NULL), g_bytes_get_data (seg->payload, NULL), len) != 0))
    return g_strdup ("incorrect outbound data payload");
  return NULL;
}

char *
segment_timing_error (SimTime time, SimTime lo, SimTime hi, SimTime now)
{
  SimTime tol = time - lo;
  SimTime end = hi - tol;
  double s = 1e-9;
  if (end > time)
    return g_strdup_printf ("timing error: expected outbound packet in time range %.6f~%.6f sec "
                            "but happened at %.6f sec", time * s, end * s, now * s);
  return g_strdup_printf ("timing error: expected outbound packet at %.6f sec but happened at "
                          "%.6f sec; tolerance %.6f sec", time * s, now * s, tol * s);
}

