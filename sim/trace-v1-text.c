/* trace-v1-text.c: the narration of an event as its fields give it, in the
 * words the models use (tcp-segment.c tcp_segment_append_summary,
 * tcp-stack.c, link.c, network.c, tcp-timers.c, socket.c, runner-checks.c). A v1
 * trace leaves out whatever part of an event's text this gives; when the
 * models say something else, the trace simply keeps the text, so a
 * difference costs bytes, never words. Works on the raw JSON text of the
 * members: the result is the text as the JSON string would hold it. */
#include "trace-v1-line.h"

#include "sim-time.h"

#include <string.h>

#define EM_DASH "\xe2\x80\x94"

typedef struct {
  const TraceV1Line *line;
  GString *out;
  gboolean ok;
} Head;

static const TraceV1Member *
get (Head *h, const char *key)
{
  const TraceV1Member *m = trace_v1_line_get (h->line, key);
  if (m == NULL)
    h->ok = FALSE;
  return m;
}

static void
lit (Head *h, const char *s)
{
  trace_v1_cat (h->out, s, strlen (s));
}

/* A string member's characters (as escaped in the line). */
static void
str (Head *h, const char *key)
{
  gsize len;
  const char *s = trace_v1_string (get (h, key), &len);
  if (s == NULL)
    h->ok = FALSE;
  else
    trace_v1_cat (h->out, s, len);
}

/* An integer member as written. */
static void
num (Head *h, const char *key)
{
  gint64 v;
  const TraceV1Member *m = get (h, key);
  if (!trace_v1_int (m, &v))
    h->ok = FALSE;
  else
    trace_v1_cat (h->out, m->value, m->value_len);
}

static gboolean
present (Head *h, const char *key)
{
  return trace_v1_line_get (h->line, key) != NULL;
}

static gboolean
is (Head *h, const char *key, const char *raw)
{
  return trace_v1_value_is (trace_v1_line_get (h->line, key), raw);
}

/* Whether the "flags" string holds the flag name (a comma-separated token). */
static gboolean
has_flag (Head *h, const char *flag)
{
  gsize len, n = strlen (flag);
  const char *s = trace_v1_string (trace_v1_line_get (h->line, "flags"), &len);
  for (gsize at = 0; s != NULL && at + n <= len;)
    {
      if (memcmp (s + at, flag, n) == 0 && (at + n == len || s[at + n] == ','))
        return TRUE;
      const char *comma = memchr (s + at, ',', len - at);
      if (comma == NULL)
        break;
      at = (gsize) (comma - s) + 1;
    }
  return FALSE;
}

/* tcp_segment_append_summary. */
static void
summary (Head *h)
{
  str (h, "src");
  lit (h, " > ");
  str (h, "dst");
  lit (h, " ");
  str (h, "flags");
  lit (h, " seq=");
  num (h, "seq");
  if (has_flag (h, "ACK"))
    {
      lit (h, " ack=");
      num (h, "ack");
    }
  lit (h, " len=");
  num (h, "len");
  lit (h, " win=");
  num (h, "win");
  if (present (h, "tsval"))
    {
      lit (h, " TS=");
      num (h, "tsval");
      lit (h, "/");
      num (h, "tsecr");
    }
  if (present (h, "seg_inc") && !is (h, "seg_inc", "0"))
    {
      lit (h, " #");
      num (h, "seg_inc");
    }
  if (present (h, "copy") && !is (h, "copy", "0"))
    {
      lit (h, " (duplicate ");
      num (h, "copy");
      lit (h, ")");
    }
  if (is (h, "injected", "true"))
    lit (h, " (injected)");
}

static gint64
int_of (Head *h, const char *key)
{
  gint64 v = 0;
  if (!trace_v1_int (get (h, key), &v))
    h->ok = FALSE;
  return v;
}

/* The time from "t" to the member `key` (sim_time_format). */
static void
span_to (Head *h, const char *key)
{
  gint64 d = int_of (h, key) - int_of (h, "t");
  if (h->ok)
    sim_time_append (h->out, d);
}

/* When a link says the segment arrives (sim_time_append). */
static void
arrival (Head *h)
{
  gint64 at = int_of (h, "arrive");
  if (h->ok)
    sim_time_append (h->out, at);
}

/* socket.c append_duration. */
static void
duration (Head *h, gint64 d)
{
  if (d != 0 && d % SIM_S == 0)
    g_string_append_printf (h->out, "%" G_GINT64_FORMAT "s", d / SIM_S);
  else if (d != 0 && d % SIM_MS == 0)
    g_string_append_printf (h->out, "%" G_GINT64_FORMAT "ms", d / SIM_MS);
  else if (d != 0 && d % SIM_US == 0)
    g_string_append_printf (h->out, "%" G_GINT64_FORMAT "us", d / SIM_US);
  else
    g_string_append_printf (h->out, "%" G_GINT64_FORMAT "ns", d);
}

static void
sock_call (Head *h)
{
  str (h, "call");
  lit (h, "(");
  str (h, "args");
  lit (h, ") = ");
  num (h, "ret");
  if (!is (h, "errno", "\"\""))
    {
      lit (h, " ");
      str (h, "errno");
    }
  if (present (h, "data") && int_of (h, "ret") > 0)
    {
      lit (h, " \\\"");
      str (h, "data");
      lit (h, "\\\"");
    }
  if (present (h, "blocked_since"))
    {
      gint64 d = int_of (h, "t") - int_of (h, "blocked_since");
      lit (h, " after ");
      duration (h, d);
    }
  if (!is (h, "why", "\"\""))
    {
      lit (h, ": ");
      str (h, "why");
    }
}

/* runner-checks.c shortens an actual value of more than 60 characters:
 * only a short plain one is derived. */
static gboolean
short_plain (Head *h, const char *key)
{
  gsize len;
  const char *s = trace_v1_string (trace_v1_line_get (h->line, key), &len);
  if (s == NULL || len > 60)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if ((guchar) s[i] >= 0x80 || s[i] == '\\')
      return FALSE;
  return TRUE;
}

static void
check (Head *h)
{
  lit (h, "line ");
  num (h, "line");
  if (is (h, "ok", "true"))
    {
      if (!short_plain (h, "actual"))
        h->ok = FALSE;
      lit (h, ": ");
      str (h, "what");
      lit (h, " = ");
      str (h, "actual");
      lit (h, ", as expected");
      return;
    }
  lit (h, ": EXPECTATION FAILED: ");
  str (h, "what");
  lit (h, ": expected ");
  str (h, "expected");
  lit (h, " vs actual ");
  str (h, "actual");
}

static void
link_event (Head *h, const char *kind)
{
  str (h, "link");
  if (strcmp (kind, "link.send") == 0)
    {
      lit (h, " ");
      summary (h);
      return;
    }
  lit (h, strcmp (kind, "link.drop") == 0 ? " lost seg "
          : strcmp (kind, "link.dup") == 0 ? " duplicated seg " : " delays seg ");
  num (h, "seg");
  lit (h, " ");
  summary (h);
  if (strcmp (kind, "link.dup") == 0 || strcmp (kind, "link.delay") == 0)
    {
      lit (h, strcmp (kind, "link.dup") == 0 ? ": the copy arrives at " : ": it arrives at ");
      arrival (h);
    }
  lit (h, " (");
  str (h, "why");
  lit (h, ")");
}

static void
timer (Head *h)
{
  str (h, "timer");
  if (is (h, "action", "\"set\""))
    {
      lit (h, " timer set for ");
      span_to (h, "at");
    }
  else if (is (h, "action", "\"cancelled\""))
    lit (h, " timer cancelled");
  else if (is (h, "action", "\"fired\""))
    lit (h, " timer fired");
  else
    h->ok = FALSE;
}

static void
derive (Head *h, const char *kind)
{
  if (strcmp (kind, "tcp.send") == 0)
    {
      lit (h, "send ");
      summary (h);
      lit (h, " " EM_DASH " ");
      str (h, "why");
    }
  else if (strcmp (kind, "tcp.recv") == 0)
    {
      lit (h, "recv ");
      summary (h);
      lit (h, " in ");
      str (h, "state");
      lit (h, ": ");
      str (h, "verdict");
      lit (h, " " EM_DASH " ");
      str (h, "rule");
    }
  else if (strcmp (kind, "net.inject") == 0)
    {
      /* network.c: the rest (", straight into the host") stays in "x". */
      lit (h, "script puts on the wire: ");
      summary (h);
    }
  else if (g_str_has_prefix (kind, "link."))
    link_event (h, kind);
  else if (strcmp (kind, "tcp.state") == 0)
    {
      str (h, "from");
      lit (h, " -> ");
      str (h, "to");
    }
  else if (strcmp (kind, "tcp.timer") == 0)
    timer (h);
  else if (strcmp (kind, "sock.call") == 0)
    sock_call (h);
  else if (strcmp (kind, "sock.block") == 0)
    {
      str (h, "call");
      lit (h, "(");
      str (h, "args");
      lit (h, ") blocks");
    }
  else if (strcmp (kind, "scenario.check") == 0)
    check (h);
  else
    h->ok = FALSE;
}

void
trace_v1_text_head (const TraceV1Line *line, GString *out)
{
  gsize len;
  const char *k = trace_v1_string (trace_v1_line_get (line, "kind"), &len);
  if (k == NULL || len > 40)
    return;
  char kind[48];
  memcpy (kind, k, len);
  kind[len] = '\0';
  Head h = { line, out, TRUE };
  gsize at = out->len;
  derive (&h, kind);
  if (!h.ok)
    g_string_truncate (out, at);
}
