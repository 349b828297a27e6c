/* az-states.c: see az-states.h. Transitions: RFC 9293 3.3.2 figure 5 and
 * 3.10.7 (SEGMENT ARRIVES). */
#include "az-states.h"

#include "tcp-seq.h"

static void
move (AzSides *s, int side, const char *to, const char *why, AzStateChange *out, guint *n)
{
  const char *from = s->state[side] != NULL ? s->state[side] : "CLOSED";
  if (g_str_equal (from, to) || *n >= 4)
    return;
  out[*n] = (AzStateChange) { side, from, to, why };
  (*n)++;
  s->state[side] = to;
}

static gboolean
is (const AzSides *s, int side, const char *state)
{
  return s->state[side] != NULL && g_str_equal (s->state[side], state);
}

/* The ACK of d acknowledges o's SYN or FIN. */
static void
on_ack (AzSides *s, int d, const CapSegment *seg, AzStateChange *out, guint *n)
{
  int o = 1 - d;
  if (!(seg->flags & CAP_FLAG_ACK))
    return;
  if (is (s, o, "SYN-SENT") && (seg->flags & CAP_FLAG_SYN))
    move (s, o, "ESTABLISHED", "SYN,ACK received", out, n);
  if (is (s, o, "SYN-RECEIVED") && s->isn_known[o] && tcp_seq_gt (seg->ack, s->isn[o]))
    move (s, o, "ESTABLISHED", "its SYN acknowledged", out, n);
  if (!s->fin[o] || !tcp_seq_gt (seg->ack, s->fin_seq[o]))
    return;
  if (is (s, o, "FIN-WAIT-1"))
    move (s, o, "FIN-WAIT-2", "its FIN acknowledged", out, n);
  else if (is (s, o, "CLOSING"))
    move (s, o, "TIME-WAIT", "its FIN acknowledged", out, n);
  else if (is (s, o, "LAST-ACK"))
    move (s, o, "CLOSED", "its FIN acknowledged", out, n);
}

static void
on_fin (AzSides *s, int d, const CapSegment *seg, AzStateChange *out, guint *n)
{
  int o = 1 - d;
  if (!(seg->flags & CAP_FLAG_FIN))
    return;
  s->fin[d] = TRUE;
  s->fin_seq[d] = seg->seq + seg->len + ((seg->flags & CAP_FLAG_SYN) ? 1 : 0);
  if (is (s, d, "CLOSE-WAIT"))
    move (s, d, "LAST-ACK", "FIN sent", out, n);
  else if (is (s, d, "ESTABLISHED") || is (s, d, "SYN-RECEIVED"))
    move (s, d, "FIN-WAIT-1", "FIN sent", out, n);
  if (is (s, o, "ESTABLISHED"))
    move (s, o, "CLOSE-WAIT", "FIN received", out, n);
  else if (is (s, o, "FIN-WAIT-2"))
    move (s, o, "TIME-WAIT", "FIN received", out, n);
  else if (is (s, o, "FIN-WAIT-1"))
    move (s, o, "CLOSING", "FIN received, its own FIN not yet acknowledged", out, n);
}

guint
az_states_step (AzSides *s, int d, const CapSegment *seg, AzStateChange out[4])
{
  guint n = 0;
  int o = 1 - d;
  if (seg->flags & CAP_FLAG_RST)
    {
      if (s->state[o] != NULL && !is (s, o, "CLOSED") && !is (s, o, "LISTEN"))
        move (s, o, "CLOSED", "RST received", out, &n);
      return n;
    }
  if (seg->flags & CAP_FLAG_SYN)
    {
      if (!s->isn_known[d])
        {
          s->isn_known[d] = TRUE;
          s->isn[d] = seg->seq;
        }
      if (!(seg->flags & CAP_FLAG_ACK))
        move (s, d, "SYN-SENT", "SYN sent", out, &n);
      else if (!is (s, d, "SYN-SENT"))
        move (s, d, "SYN-RECEIVED", "SYN received, SYN,ACK sent", out, &n);
    }
  on_ack (s, d, seg, out, &n);
  on_fin (s, d, seg, out, &n);
  return n;
}
