/* trace-v1.c: compacting full event lines into the v1 trace and expanding
 * them back (trace-v1.h). What a line may leave out, and how a reader
 * gets it back:
 *   "i"              the previous event's plus one (0 for the first);
 *   "host"           null when there is no "h";
 *   segment fields   "s": N instead of "seg": N, when the last line that
 *                    gave segment N's fields in full was also the last to
 *                    give any segment with the same N mod SLOTS;
 *   "copy"           0, in an event that carries a segment;
 *   tcp.state        "local", "remote" as in the connection's last
 *                    tcp.state, "from" its last "to" (same rule of SLOTS);
 *   defaults         the values of `defaults` below;
 *   scenario.check   "actual" of a check that held: the "expected";
 *   "text"           what trace-v1-text.c derives from the fields: none
 *                    when it is all the text, "x" the rest when the text
 *                    begins with it, else "text" whole. */
#include "trace-v1.h"

#include "trace-v1-line.h"
#include "trace-v1-rows.h"

#include <string.h>

#define SLOTS 4096

typedef struct {
  gint64 seg;        /* -1: empty */
  GString *body;     /* ,"src":...,"rexmit":false (the segment keys but copy) */
} SegSlot;

typedef struct {
  gint64 conn;       /* -1: empty */
  GString *local, *remote, *to;
} ConnSlot;

struct _TraceV1 {
  guint64 next_index;
  SegSlot segs[SLOTS];
  ConnSlot conns[SLOTS];
  TraceV1Line line;
  TraceV1Line full;
  GString *body;
  GString *head;
  GString *last_t;   /* the previous event's "t" and "host", as written */
  GString *last_h;
  TraceV1Rows *rows;
  gboolean narrate;  /* reader: derive "text" (else pass on "x") */
  gboolean row;      /* reader: the line is a row (its members have no column) */
};

/* Keys of a segment's own fields (tcp_segment_trace_fields), "seg" and
 * "copy" aside. */
static const char *const segment_keys[] = {
  "src", "dst", "flags", "seq", "ack", "len", "win", "tsval", "tsecr",
  "seg_conn", "seg_inc", "offset", "rexmit", "injected", NULL,
};

typedef struct {
  const char *kind;
  gsize kind_len;
  const char *key;
  const char *raw;
  const char *when_key;   /* the default holds when this member is when_raw */
  const char *when_raw;
} Default;

static const Default defaults[] = {
#define KIND(k) k, sizeof (k) - 1
  { KIND ("sock.call"), "args", "\"\"" },
  { KIND ("sock.call"), "errno", "\"\"" },
  { KIND ("sock.call"), "why", "\"\"" },
  { KIND ("sock.block"), "args", "\"\"" },
  { KIND ("tcp.timer"), "backoff", "0", "timer", "\"retransmit\"" },
  { KIND ("tcp.recv"), "stale", "false" },
#undef KIND
};

TraceV1 *
trace_v1_new (void)
{
  TraceV1 *v1 = g_new0 (TraceV1, 1);
  for (guint i = 0; i < SLOTS; i++)
    {
      v1->segs[i].seg = -1;
      v1->conns[i].conn = -1;
    }
  v1->body = g_string_new (NULL);
  v1->head = g_string_new (NULL);
  v1->last_t = g_string_new (NULL);
  v1->last_h = g_string_new ("null");
  v1->rows = trace_v1_rows_new ();
  v1->narrate = TRUE;
  return v1;
}

void
trace_v1_free (TraceV1 *v1)
{
  if (v1 == NULL)
    return;
  for (guint i = 0; i < SLOTS; i++)
    {
      if (v1->segs[i].body != NULL)
        g_string_free (v1->segs[i].body, TRUE);
      if (v1->conns[i].local != NULL)
        {
          g_string_free (v1->conns[i].local, TRUE);
          g_string_free (v1->conns[i].remote, TRUE);
          g_string_free (v1->conns[i].to, TRUE);
        }
    }
  g_string_free (v1->body, TRUE);
  g_string_free (v1->head, TRUE);
  g_string_free (v1->last_t, TRUE);
  g_string_free (v1->last_h, TRUE);
  trace_v1_rows_free (v1->rows);
  g_free (v1);
}

/* --- shared rules --- */

/* "t", "i", "k", "h", "x", "kind", "host", "text". */
static gboolean
is_envelope (const TraceV1Member *m)
{
  if (m->key_len == 1)
    switch (m->key[0])
      {
      case 't': case 'i': case 'k': case 'h': case 'x':
        return TRUE;
      default:
        return FALSE;
      }
  return m->key_len == 4
         && (memcmp (m->key, "kind", 4) == 0 || memcmp (m->key, "host", 4) == 0
             || memcmp (m->key, "text", 4) == 0);
}

static gboolean
is_segment_key (const TraceV1Member *m)
{
  for (guint i = 0; segment_keys[i] != NULL; i++)
    if (trace_v1_key_is (m, segment_keys[i]))
      return TRUE;
  return FALSE;
}

/* The index of the first field (not an envelope member), or line->n. */
static guint
first_field (const TraceV1Line *line)
{
  guint i = 0;
  while (i < line->n && is_envelope (&line->members[i]))
    i++;
  return i;
}

static guint
next_field (const TraceV1Line *line, guint i)
{
  i++;
  while (i < line->n && is_envelope (&line->members[i]))
    i++;
  return i;
}

/* Whether the fields begin "seg", "src": an event that carries a segment. */
static gboolean
carries_segment (const TraceV1Line *line)
{
  guint f = first_field (line);
  guint g = next_field (line, f);
  return g < line->n && trace_v1_key_is (&line->members[f], "seg")
         && trace_v1_key_is (&line->members[g], "src");
}

static void
append_member (GString *out, const TraceV1Member *m, const char *key)
{
  TRACE_V1_CAT (out, ",\"");
  if (key != NULL)
    trace_v1_cat (out, key, strlen (key));
  else
    trace_v1_cat (out, m->key, m->key_len);
  TRACE_V1_CAT (out, "\":");
  trace_v1_cat (out, m->value, m->value_len);
}

/* The segment's body: its segment keys after "seg" (copy aside), as
 * written; marks in `in_body` which members they are. */
static void
segment_body (const TraceV1Line *line, GString *body, gboolean *in_body)
{
  g_string_truncate (body, 0);
  for (guint i = next_field (line, first_field (line)); i < line->n; i = next_field (line, i))
    {
      const TraceV1Member *m = &line->members[i];
      if (trace_v1_key_is (m, "copy"))
        continue;
      if (!is_segment_key (m))
        break;
      append_member (body, m, NULL);
      in_body[i] = TRUE;
    }
}

static SegSlot *
seg_slot (TraceV1 *v1, gint64 seg)
{
  return &v1->segs[(guint64) seg % SLOTS];
}

static void
slot_set (GString **s, const TraceV1Member *m)
{
  if (*s == NULL)
    *s = g_string_new (NULL);
  g_string_truncate (*s, 0);
  if (m != NULL)
    trace_v1_cat (*s, m->value, m->value_len);
}

static gboolean
slot_is (const GString *s, const TraceV1Member *m)
{
  return s != NULL && m != NULL && s->len == m->value_len && memcmp (s->str, m->value, s->len) == 0;
}

static const char *
kind_of (const TraceV1Line *line, const char *key, gsize *len)
{
  const char *k = trace_v1_string (trace_v1_line_get (line, key), len);
  if (k == NULL)
    *len = 0;
  return k != NULL ? k : "";
}

static gboolean
kind_is (const char *k, gsize len, const char *kind)
{
  return len == strlen (kind) && memcmp (k, kind, len) == 0;
}

/* The connection slot of a tcp.state event, or NULL. */
static ConnSlot *
conn_slot (TraceV1 *v1, const TraceV1Line *line, gint64 *conn)
{
  if (!trace_v1_int (trace_v1_line_get (line, "conn"), conn) || *conn < 0)
    return NULL;
  return &v1->conns[(guint64) *conn % SLOTS];
}

/* After a tcp.state event (full form): its connection's slot. */
static void
remember_state (TraceV1 *v1, const TraceV1Line *full)
{
  gint64 conn;
  ConnSlot *c = conn_slot (v1, full, &conn);
  if (c == NULL)
    return;
  c->conn = conn;
  slot_set (&c->local, trace_v1_line_get (full, "local"));
  slot_set (&c->remote, trace_v1_line_get (full, "remote"));
  slot_set (&c->to, trace_v1_line_get (full, "to"));
}

/* Whether defaults[i] applies to an event of kind k. */
static gboolean
default_applies (const TraceV1Line *line, const char *k, gsize klen, guint i)
{
  return klen == defaults[i].kind_len && memcmp (k, defaults[i].kind, klen) == 0
         && (defaults[i].when_key == NULL
             || trace_v1_value_is (trace_v1_line_get (line, defaults[i].when_key), defaults[i].when_raw));
}

static gboolean
is_default (const TraceV1Line *line, const char *k, gsize klen, const TraceV1Member *m)
{
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (default_applies (line, k, klen, i) && trace_v1_key_is (m, defaults[i].key)
        && trace_v1_value_is (m, defaults[i].raw))
      return TRUE;
  return FALSE;
}

/* --- writer --- */

/* Whether a tcp.state field can be left out: the slot gives it. */
static gboolean
state_known (const ConnSlot *c, const TraceV1Member *m)
{
  if (c == NULL)
    return FALSE;
  if (trace_v1_key_is (m, "local"))
    return slot_is (c->local, m);
  if (trace_v1_key_is (m, "remote"))
    return slot_is (c->remote, m);
  if (trace_v1_key_is (m, "from"))
    return slot_is (c->to, m);
  return FALSE;
}

/* Adds a member to the compact event. */
static void
put (TraceV1Line *out, const char *key, gsize key_len, const char *value, gsize value_len,
     gboolean quote)
{
  TraceV1Member *m = &out->members[out->n++];
  m->key = key;
  m->key_len = key_len;
  m->value = value;
  m->value_len = value_len;
  m->quote = quote;
}

static void
put_member (TraceV1Line *out, const TraceV1Member *m)
{
  put (out, m->key, m->key_len, m->value, m->value_len, FALSE);
}

static void
compact_text (TraceV1 *v1, const TraceV1Line *line, TraceV1Line *out)
{
  gsize len;
  const TraceV1Member *given = trace_v1_line_get (line, "text");
  const char *text = trace_v1_string (given, &len);
  if (text == NULL)
    return;
  GString *head = v1->head;
  g_string_truncate (head, 0);
  trace_v1_text_head (line, head);
  if (head->len == len && memcmp (head->str, text, len) == 0)
    return;
  if (head->len > 0 && head->len < len && memcmp (head->str, text, head->len) == 0)
    put (out, "x", 1, text + head->len, len - head->len, TRUE);
  else
    put_member (out, given);
}

/* Whether the field at i is left out of the compact event. */
static gboolean
left_out (const TraceV1Line *line, const char *k, gsize klen, guint i, const gboolean *omit_body,
          const ConnSlot *conn, gboolean segment)
{
  const TraceV1Member *m = &line->members[i];
  if (omit_body[i])
    return TRUE;
  if (segment && trace_v1_key_is (m, "copy") && trace_v1_value_is (m, "0"))
    return TRUE;
  if (conn != NULL && state_known (conn, m))
    return TRUE;
  if (kind_is (k, klen, "scenario.check") && trace_v1_key_is (m, "actual")
      && trace_v1_value_is (trace_v1_line_get (line, "ok"), "true"))
    {
      const TraceV1Member *e = trace_v1_line_get (line, "expected");
      return e != NULL && e->value_len == m->value_len && memcmp (e->value, m->value, m->value_len) == 0;
    }
  return is_default (line, k, klen, m);
}

/* The segment fields of a line: left out ("s") when its slot holds them. */
static gboolean
compact_segment (TraceV1 *v1, const TraceV1Line *line, gboolean *in_body)
{
  gint64 seg;
  segment_body (line, v1->body, in_body);
  if (!trace_v1_int (&line->members[first_field (line)], &seg) || seg < 0)
    return FALSE;
  SegSlot *slot = seg_slot (v1, seg);
  if (slot->seg == seg && slot->body != NULL && g_string_equal (slot->body, v1->body))
    return TRUE;
  slot->seg = seg;
  if (slot->body == NULL)
    slot->body = g_string_new (NULL);
  g_string_assign (slot->body, v1->body->str);
  return FALSE;
}

/* "k"; "t" and "h" are left out when the previous event had the same. */
static void
compact_envelope (TraceV1 *v1, const TraceV1Line *line, const TraceV1Member *kind, TraceV1Line *out)
{
  const TraceV1Member *t = trace_v1_line_get (line, "t");
  const TraceV1Member *i = trace_v1_line_get (line, "i");
  const TraceV1Member *host = trace_v1_line_get (line, "host");
  const char *h = host != NULL ? host->value : "null";
  gsize h_len = host != NULL ? host->value_len : 4;
  put (out, "k", 1, kind->value, kind->value_len, FALSE);
  if (t != NULL && !slot_is (v1->last_t, t))
    {
      put_member (out, t);
      slot_set (&v1->last_t, t);
    }
  gint64 index;
  if (i != NULL && trace_v1_int (i, &index))
    {
      if ((guint64) index != v1->next_index)
        put_member (out, i);
      v1->next_index = (guint64) index + 1;
    }
  if (v1->last_h->len != h_len || memcmp (v1->last_h->str, h, h_len) != 0)
    {
      put (out, "h", 1, h, h_len, FALSE);
      g_string_truncate (v1->last_h, 0);
      trace_v1_cat (v1->last_h, h, h_len);
    }
}

/* The compact event of a full line: its members but those left out. */
static void
compact_event (TraceV1 *v1, const TraceV1Line *line, const TraceV1Member *kind, TraceV1Line *out)
{
  out->n = 0;
  out->indexed = FALSE;
  compact_envelope (v1, line, kind, out);
  gboolean in_body[TRACE_V1_MAX_MEMBERS] = { FALSE };
  gboolean omit_body[TRACE_V1_MAX_MEMBERS] = { FALSE };
  gboolean segment = carries_segment (line);
  gboolean known = segment && compact_segment (v1, line, in_body);
  if (known)
    memcpy (omit_body, in_body, sizeof omit_body);
  gsize klen;
  const char *k = trace_v1_string (kind, &klen);
  gboolean state = kind_is (k, klen, "tcp.state");
  gint64 conn;
  ConnSlot *c = state ? conn_slot (v1, line, &conn) : NULL;
  if (c != NULL && c->conn != conn)
    c = NULL;
  guint first = first_field (line);
  for (guint f = first; f < line->n; f = next_field (line, f))
    {
      if (left_out (line, k, klen, f, omit_body, c, segment))
        continue;
      const TraceV1Member *m = &line->members[f];
      if (known && f == first)
        put (out, "s", 1, m->value, m->value_len, FALSE);
      else
        put_member (out, m);
    }
  compact_text (v1, line, out);
  if (state)
    remember_state (v1, line);
}

void
trace_v1_compact (TraceV1 *v1, const TraceV1Line *full, GString *out)
{
  gsize klen;
  const TraceV1Member *kind = trace_v1_line_get (full, "kind");
  if (kind == NULL || trace_v1_string (kind, &klen) == NULL)
    return;
  compact_event (v1, full, kind, &v1->full);
  trace_v1_rows_encode (v1->rows, &v1->full, out);
}

/* --- reader --- */

/* Decimal digits of n into buf (24 bytes); returns their number. */
static gsize
format_index (char *buf, guint64 n)
{
  char tmp[24];
  gsize len = 0;
  do
    {
      tmp[len++] = (char) ('0' + n % 10);
      n /= 10;
    }
  while (n != 0);
  for (gsize i = 0; i < len; i++)
    buf[i] = tmp[len - 1 - i];
  return len;
}

/* ,"key":raw */
static void
append_raw (GString *out, const char *key, const char *raw, gsize raw_len)
{
  TRACE_V1_CAT (out, ",\"");
  trace_v1_cat (out, key, strlen (key));
  TRACE_V1_CAT (out, "\":");
  trace_v1_cat (out, raw, raw_len);
}


static gboolean
fail (char **why, guint *column, guint at, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (char **why, guint *column, guint at, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  *why = g_strdup_vprintf (format, args);
  va_end (args);
  *column = at;
  return FALSE;
}

static guint
column_of (const char *line, const TraceV1Member *m)
{
  return (guint) MIN ((gsize) (m->key - 1 - line) + 1, G_MAXUINT);
}

void
trace_v1_set_narrate (TraceV1 *v1, gboolean narrate)
{
  v1->narrate = narrate;
}

/* Where a member of the line being expanded begins; 1 in a row. */
static guint
column_in (const TraceV1 *v1, const char *text, const TraceV1Member *m)
{
  return v1->row ? 1 : column_of (text, m);
}

gboolean
trace_v1_header (const char *line, gsize len, char **why, guint *column)
{
  TraceV1Line split;
  const char *bad;
  if (!trace_v1_line_split (&split, line, len, &bad, column))
    return fail (why, column, *column, "not a twsim trace: the first line is not the header "
                 "%s (%s)", TRACE_V1_HEADER, bad);
  const TraceV1Member *v = trace_v1_line_get (&split, "v");
  if (v == NULL)
    return fail (why, column, 1, "not a twsim trace of version %d: the first line is not the "
                 "header %s (a trace written by an older twsim: run the scenario again)",
                 TRACE_V1_VERSION, TRACE_V1_HEADER);
  gint64 version;
  if (!trace_v1_int (v, &version) || version != TRACE_V1_VERSION)
    return fail (why, column, (guint) (v->value - line) + 1,
                 "trace version %.*s: this twsim reads version %d", (int) MIN (v->value_len, 20),
                 v->value, TRACE_V1_VERSION);
  return TRUE;
}

/* Appends the segment fields of "s": N from its slot. */
static gboolean
expand_segment (TraceV1 *v1, const char *text, const TraceV1Member *s, GString *out,
                char **why, guint *column)
{
  gint64 seg;
  if (!trace_v1_int (s, &seg) || seg < 0)
    return fail (why, column, column_in (v1, text, s), "\"s\" is not a segment number");
  SegSlot *slot = seg_slot (v1, seg);
  if (slot->seg != seg)
    return fail (why, column, column_in (v1, text, s),
                 "\"s\": %" G_GINT64_FORMAT " refers to a segment no earlier line gave in full", seg);
  TRACE_V1_CAT (out, ",\"seg\":");
  trace_v1_cat (out, s->value, s->value_len);
  trace_v1_cat (out, slot->body->str, slot->body->len);
  return TRUE;
}

/* The tcp.state fields the slot gives back. */
static void
expand_state (TraceV1 *v1, const TraceV1Line *line, GString *out)
{
  gint64 conn;
  const ConnSlot *c = conn_slot (v1, line, &conn);
  if (c == NULL || c->conn != conn)
    return;
  static const char *const keys[] = { "local", "remote", "from" };
  const GString *values[] = { c->local, c->remote, c->to };
  for (guint i = 0; i < 3; i++)
    if (trace_v1_line_get (line, keys[i]) == NULL && values[i]->len > 0)
      append_raw (out, keys[i], values[i]->str, values[i]->len);
}

static void
expand_defaults (const TraceV1Line *line, const char *k, gsize klen, GString *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (default_applies (line, k, klen, i) && trace_v1_line_get (line, defaults[i].key) == NULL)
      append_raw (out, defaults[i].key, defaults[i].raw, strlen (defaults[i].raw));
  const TraceV1Member *expected = trace_v1_line_get (line, "expected");
  if (kind_is (k, klen, "scenario.check") && expected != NULL
      && trace_v1_value_is (trace_v1_line_get (line, "ok"), "true")
      && trace_v1_line_get (line, "actual") == NULL)
    append_member (out, expected, "actual");
}

/* The fields of the compact line, each segment given back in full. */
static gboolean
expand_fields (TraceV1 *v1, const char *text, GString *out, char **why, guint *column)
{
  const TraceV1Line *line = &v1->line;
  guint first = first_field (line);
  gboolean by_ref = first < line->n && trace_v1_key_is (&line->members[first], "s");
  gboolean full = carries_segment (line);
  if (full)
    {
      gboolean in_body[TRACE_V1_MAX_MEMBERS] = { FALSE };
      gint64 seg;
      segment_body (line, v1->body, in_body);
      if (trace_v1_int (&line->members[first], &seg) && seg >= 0)
        {
          SegSlot *slot = seg_slot (v1, seg);
          slot->seg = seg;
          if (slot->body == NULL)
            slot->body = g_string_new (NULL);
          g_string_assign (slot->body, v1->body->str);
        }
    }
  for (guint f = first; f < line->n; f = next_field (line, f))
    {
      const TraceV1Member *m = &line->members[f];
      if (f == first && by_ref)
        {
          if (!expand_segment (v1, text, m, out, why, column))
            return FALSE;
          continue;
        }
      append_member (out, m, NULL);
    }
  if ((by_ref || full) && trace_v1_line_get (line, "copy") == NULL)
    TRACE_V1_CAT (out, ",\"copy\":0");
  return TRUE;
}

/* Closes the full line with its text: given, or derived (plus "x"); the
 * full line without its text is split into v1->full first. */
static gboolean
expand_text (TraceV1 *v1, GString *out, gsize start, gboolean state, const TraceV1Member *given,
             const TraceV1Member *rest, char **why, guint *column)
{
  g_string_append_c (out, '}');
  const char *bad;
  guint at;
  if ((state || v1->narrate) && !trace_v1_line_split (&v1->full, out->str + start, out->len - start, &bad, &at))
    return fail (why, column, 1, "%s", bad);
  if (state)
    remember_state (v1, &v1->full);
  if (!v1->narrate)
    {
      g_string_truncate (out, out->len - 1);
      if (given != NULL || rest != NULL)
        append_member (out, given != NULL ? given : rest, NULL);
      g_string_append_c (out, '}');
      return TRUE;
    }
  /* v1->full points into out: the head is derived before out grows. */
  GString *head = v1->head;
  g_string_truncate (head, 0);
  if (given == NULL)
    trace_v1_text_head (&v1->full, head);
  g_string_truncate (out, out->len - 1);
  if (given != NULL)
    {
      append_member (out, given, NULL);
      g_string_append_c (out, '}');
      return TRUE;
    }
  TRACE_V1_CAT (out, ",\"text\":\"");
  trace_v1_cat (out, head->str, head->len);
  gsize len;
  const char *x = trace_v1_string (rest, &len);
  if (x != NULL)
    trace_v1_cat (out, x, len);
  TRACE_V1_CAT (out, "\"}");
  return TRUE;
}

/* The envelope of the full line: "t", "i", "kind", "host". */
static gboolean
expand_envelope (TraceV1 *v1, const char *text, GString *out, char **why, guint *column)
{
  const TraceV1Line *line = &v1->line;
  const TraceV1Member *t = trace_v1_line_get (line, "t");
  const TraceV1Member *k = trace_v1_line_get (line, "k");
  const TraceV1Member *i = trace_v1_line_get (line, "i");
  const TraceV1Member *h = trace_v1_line_get (line, "h");
  if (k == NULL)
    return fail (why, column, 1, "\"k\" (the event's kind) is missing");
  if (t != NULL)
    slot_set (&v1->last_t, t);
  else if (v1->last_t->len == 0)
    return fail (why, column, 1, "\"t\" (the event's time) is missing, and no event before gives it");
  if (h != NULL)
    {
      g_string_truncate (v1->last_h, 0);
      trace_v1_cat (v1->last_h, h->value, h->value_len);
    }
  gint64 index = (gint64) v1->next_index;
  if (i != NULL && (!trace_v1_int (i, &index) || index < 0))
    return fail (why, column, column_in (v1, text, i), "\"i\" is not an event index");
  v1->next_index = (guint64) index + 1;
  TRACE_V1_CAT (out, "{\"t\":");
  trace_v1_cat (out, v1->last_t->str, v1->last_t->len);
  char digits[24];
  TRACE_V1_CAT (out, ",\"i\":");
  trace_v1_cat (out, digits, format_index (digits, (guint64) index));
  append_member (out, k, "kind");
  TRACE_V1_CAT (out, ",\"host\":");
  trace_v1_cat (out, v1->last_h->str, v1->last_h->len);
  return TRUE;
}

/* One compact event (v1->line, of the line `text`) into its full line. */
static gboolean
expand_object (TraceV1 *v1, const char *text, GString *out, char **why, guint *column)
{
  const TraceV1Line *line = &v1->line;
  const TraceV1Member *given = trace_v1_line_get (line, "text");
  const TraceV1Member *rest = trace_v1_line_get (line, "x");
  if (given != NULL && rest != NULL)
    return fail (why, column, column_in (v1, text, rest), "both \"text\" and \"x\"");
  gsize start = out->len;
  if (!expand_envelope (v1, text, out, why, column) || !expand_fields (v1, text, out, why, column))
    return FALSE;
  gsize klen;
  const char *kind = kind_of (line, "k", &klen);
  if (kind_is (kind, klen, "tcp.state"))
    expand_state (v1, line, out);
  expand_defaults (line, kind, klen, out);
  return expand_text (v1, out, start, kind_is (kind, klen, "tcp.state"), given, rest, why, column);
}

gboolean
trace_v1_expand (TraceV1 *v1, const char *text, gsize len, GString *out, char **why,
                 guint *column)
{
  gboolean definition;
  if (!trace_v1_rows_decode (v1->rows, text, len, &v1->line, &definition, why, column))
    return FALSE;
  if (definition)
    return TRUE;
  gsize at = 0;
  while (at < len && g_ascii_isspace (text[at]))
    at++;
  v1->row = at < len && text[at] == '[';
  return expand_object (v1, text, out, why, column);
}
