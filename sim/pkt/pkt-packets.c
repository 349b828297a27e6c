/* pkt-packets.c: `<` and `>` lines: flags, START:END(LEN), ack, win and
 * options, into INJECT and EXPECT_SEGMENT steps with packetdrill's
 * relative sequence numbers. */
#include "pkt-cursor.h"

#include <string.h>

static gboolean
read_flags (Reader *r, ScenarioSegment *seg, GError **error)
{
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  gboolean any = FALSE;
  for (;;)
    {
      ScenarioLoc loc = pkt_here (r);
      guint8 bit = 0;
      switch (pkt_peek (r))
        {
        case 'F': bit = SCENARIO_TCP_FIN; break;
        case 'S': bit = SCENARIO_TCP_SYN; break;
        case 'R': bit = SCENARIO_TCP_RST; break;
        case 'P': bit = SCENARIO_TCP_PSH; break;
        case '.': bit = SCENARIO_TCP_ACK; break;
        case 'U': bit = SCENARIO_TCP_URG; break;
        case 'E': case 'W': case 'A':
          return pkt_fail (error, &loc, SCENARIO_ERROR_INVALID,
                       "ECN flag '%c' is not modelled (flags: F S R P . U)", pkt_peek (r));
        default:
          if (!any)
            return pkt_fail_expected (r, "TCP flags (F S R P . U, as in S. or F.)", error);
          return TRUE;
        }
      if (seg->flags & bit)
        return pkt_fail (error, &loc, SCENARIO_ERROR_BAD_SELECTOR, "flag '%c' appears twice", pkt_peek (r));
      seg->flags |= bit;
      any = TRUE;
      pkt_step (r);
    }
}

static void
add_option (ScenarioSegment *seg, ScenarioOptionKind kind, guint32 value, guint32 ecr)
{
  ScenarioOption o = { kind, value, ecr };
  g_array_append_val (seg->options, o);
}

static gboolean
read_option (Reader *r, ScenarioSegment *seg, GError **error)
{
  guint64 a = 0, b = 0;
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  ScenarioLoc loc = pkt_here (r);
  g_autofree char *name = pkt_read_word (r);
  if (strcmp (name, "nop") == 0)
    add_option (seg, SCENARIO_OPT_NOP, 0, 0);
  else if (strcmp (name, "eol") == 0)
    add_option (seg, SCENARIO_OPT_EOL, 0, 0);
  else if (strcmp (name, "sackOK") == 0)
    add_option (seg, SCENARIO_OPT_SACK_OK, 0, 0);
  else if (strcmp (name, "mss") == 0)
    {
      if (!pkt_read_number (r, 65535, "an MSS", &a, error))
        return FALSE;
      add_option (seg, SCENARIO_OPT_MSS, (guint32) a, 0);
    }
  else if (strcmp (name, "wscale") == 0)
    {
      /* RFC 7323 2.3: shift counts above 14 are taken as 14; the byte
       * itself may hold any value. */
      if (!pkt_read_number (r, 255, "a window scale shift", &a, error))
        return FALSE;
      add_option (seg, SCENARIO_OPT_WSCALE, (guint32) a, 0);
    }
  else if (strcmp (name, "TS") == 0)
    {
      if (!pkt_accept_word (r, "val", error))
        return *error == NULL && pkt_fail_expected (r, "'val' (TS val N ecr N)", error);
      if (!pkt_read_number (r, G_MAXUINT32, "a TS value", &a, error))
        return FALSE;
      if (!pkt_accept_word (r, "ecr", error))
        return *error == NULL && pkt_fail_expected (r, "'ecr' (TS val N ecr N)", error);
      if (!pkt_read_number (r, G_MAXUINT32, "a TS echo reply", &b, error))
        return FALSE;
      add_option (seg, SCENARIO_OPT_TS, (guint32) a, (guint32) b);
    }
  else if (strcmp (name, "sack") == 0)
    return pkt_fail (error, &loc, SCENARIO_ERROR_INVALID,
                 "SACK blocks are not modelled (only the SACK-permitted option, sackOK)");
  else if (*name == '\0')
    return pkt_fail_expected (r, "a TCP option (nop, eol, mss N, wscale N, sackOK, TS val N ecr N)",
                          error);
  else
    return pkt_fail (error, &loc, SCENARIO_ERROR_INVALID,
                 "unknown or unmodelled TCP option '%s' (known: nop, eol, mss, wscale, sackOK, TS)",
                 name);
  return TRUE;
}

/* `<...>` (any options: not checked) or `<opt, opt, ...>`. */
static gboolean
read_options (Reader *r, ScenarioSegment *seg, GError **error)
{
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  if (pkt_peek (r) == '.' && pkt_peek_at (r, 1) == '.' && pkt_peek_at (r, 2) == '.')
    {
      pkt_step (r);
      pkt_step (r);
      pkt_step (r);
      seg->has_options = FALSE;
      return pkt_expect_char (r, '>', error);
    }
  do
    {
      if (!read_option (r, seg, error))
        return FALSE;
    }
  while (pkt_accept_char (r, ',', error));
  return *error == NULL && pkt_expect_char (r, '>', error);
}

static gboolean
read_seq_spec (Reader *r, ScenarioSegment *seg, guint32 *len, GError **error)
{
  guint64 start = 0, end = 0, n = 0;
  if (!pkt_read_number (r, G_MAXUINT32, "a sequence number START:END(LENGTH)", &start, error)
      || !pkt_expect_char (r, ':', error))
    return FALSE;
  ScenarioLoc end_loc = pkt_here (r);
  if (!pkt_read_number (r, G_MAXUINT32, "the end sequence number", &end, error)
      || !pkt_expect_char (r, '(', error)
      || !pkt_read_number (r, 65535, "a payload length", &n, error)
      || !pkt_expect_char (r, ')', error))
    return FALSE;
  if ((guint32) (start + n) != (guint32) end)
    return pkt_fail (error, &end_loc, SCENARIO_ERROR_INVALID,
                 "end %" G_GUINT64_FORMAT " is not start %" G_GUINT64_FORMAT " + length %" G_GUINT64_FORMAT,
                 end, start, n);
  seg->has_seq = TRUE;
  seg->seq = (guint32) start;
  *len = (guint32) n;
  return TRUE;
}

/* What follows START:END(LEN): `ack N`, `win N`, `<options>`, in order. */
static gboolean
read_packet_tail (Reader *r, ScenarioSegment *seg, gboolean *has_options, GError **error)
{
  guint64 v = 0;
  if (pkt_accept_word (r, "ack", error))
    {
      if (!pkt_read_number (r, G_MAXUINT32, "an ACK number", &v, error))
        return FALSE;
      seg->has_ack = TRUE;
      seg->ack = (guint32) v;
    }
  if (*error == NULL && pkt_accept_word (r, "win", error))
    {
      if (!pkt_read_number (r, 65535, "a window", &v, error))
        return FALSE;
      seg->has_win = TRUE;
      seg->win = (guint32) v;
    }
  if (*error == NULL && pkt_accept_char (r, '<', error))
    {
      *has_options = TRUE;
      seg->has_options = TRUE;
      return read_options (r, seg, error);
    }
  return *error == NULL;
}

gboolean
pkt_read_packet (Reader *r, const PktTime *t, const ScenarioLoc *loc, gsize line_start,
             GError **error)
{
  gboolean inbound = pkt_peek (r) == '<';
  pkt_step (r);
  g_autoptr (ScenarioStep) st = scenario_step_new (inbound ? SCENARIO_STEP_INJECT
                                                           : SCENARIO_STEP_EXPECT_SEGMENT,
                                                   loc, t->start);
  st->host = g_intern_static_string ("local");
  st->time_relative = t->relative;
  ScenarioSegment *seg = st->segment = scenario_segment_new ();
  seg->relative = TRUE;
  guint32 len = 0;
  gboolean has_options = FALSE;
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  ScenarioLoc flags_loc = pkt_here (r);
  if (!read_flags (r, seg, error) || !read_seq_spec (r, seg, &len, error)
      || !read_packet_tail (r, seg, &has_options, error) || !pkt_skip_blanks (r, error))
    return FALSE;
  if (!pkt_at_line_end (r))
    return pkt_fail_expected (r, "ack N, win N, <options> or the end of the line", error);
  /* The packet as written, without its direction: "S. 0:0(0) ack 1 <...>". */
  gsize begin = line_start + 1, end = r->pos;
  while (begin < end && (r->text[begin] == ' ' || r->text[begin] == '\t'))
    begin++;
  while (end > begin && g_ascii_isspace (r->text[end - 1]))
    end--;
  seg->text = g_strndup (r->text + begin, end - begin);
  guint16 remote_port = r->connect_mode ? PKT_PORT : PKT_REMOTE_PORT;
  if (inbound)
    {
      if (t->any || t->end != t->start)
        return pkt_fail (error, loc, SCENARIO_ERROR_BAD_TIME,
                     "an inbound packet needs one exact time (no '*' or range)");
      if (!seg->has_win)
        return pkt_fail (error, &flags_loc, SCENARIO_ERROR_INVALID,
                     "window must be specified for inbound packets (win N)");
      seg->src_ip = scenario_addr_ip4 (PKT_REMOTE_IP);
      seg->src_port = remote_port;
      seg->dst_ip = scenario_addr_ip4 (PKT_LOCAL_IP);
      seg->dst_port = r->connect_mode ? 0 : PKT_PORT; /* 0: the port the host chose */
      seg->has_options = has_options;
      /* packetdrill writes the packet into the tun device and the kernel
       * has handled it before the next line runs: straight in, now. */
      seg->direct = TRUE;
      if (len > 0)
        seg->payload = g_bytes_new_take (g_malloc0 (len), len);
    }
  else
    {
      seg->dst_ip = scenario_addr_ip4 (PKT_REMOTE_IP);
      seg->has_len = TRUE;
      seg->len = len;
      /* No <...> at all: the packet must carry no option (packetdrill
       * compares the option bytes); <...>: options not checked. */
      if (!has_options)
        seg->has_options = TRUE;
      if (r->opts->any_options)
        seg->has_options = FALSE;
      /* packetdrill's tolerance: tolerance_usecs, or 12.5 % of the time
       * since the previous event if that is more (config.c,
       * tolerance_percent). */
      SimTime tol = MAX (r->opts->tolerance, (t->start - r->last_time) / 8);
      st->time_lo = t->any ? 0 : MAX (t->start - tol, 0);
      st->time_hi = t->any ? G_MAXINT64 / 2 : t->end + tol;
    }
  g_ptr_array_add (r->script->steps, g_steal_pointer (&st));
  return TRUE;
}

