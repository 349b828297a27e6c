/* trace-jsonl.c: streaming JSON lines writer with atomic commit. */
#include "trace-jsonl.h"

#include "atomic-file.h"
#include "trace-v1.h"
#include "trace-v1-line.h"

#include <string.h>


struct _TraceJsonl {
  AtomicFile *file;
  GString *line;   /* lines not yet written, up to BATCH_BYTES */
  GString *full;   /* the values of the event being written */
  TraceV1Line members; /* the event's members, pointing into full */
  TraceV1 *v1;     /* what the file's earlier lines let this one leave out */
};

/* Bytes that a JSON string can carry as they are: printable ASCII other
 * than '"' and '\\'. */
static gboolean
plain_byte (guchar c)
{
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* Room for s as a JSON string: the quotes and 6 bytes a byte at worst. */
static gsize
string_room (const char *s)
{
  return 2 + 6 * strlen (s);
}

static char *
put (char *p, const char *s, gsize n)
{
  memcpy (p, s, n);
  return p + n;
}

/* RFC 8259 string: UTF-8 passes through; control characters are escaped;
 * a byte that is not valid UTF-8 becomes U+FFFD. Writes at p (string_room
 * bytes at most), returns the end. */
static char *
put_string (char *p, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  *p++ = '"';
  while (*s != '\0')
    {
      /* The common case, a run of plain bytes, in one copy. */
      const char *run = s;
      while (plain_byte ((guchar) *s))
        s++;
      if (s > run)
        {
          p = put (p, run, (gsize) (s - run));
          continue;
        }
      guchar c = (guchar) *s;
      if (c >= 0x80)
        {
          gunichar ch = g_utf8_get_char_validated (s, -1);
          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            {
              p = put (p, "\\ufffd", 6);
              s++;
              continue;
            }
          const char *next = g_utf8_next_char (s);
          p = put (p, s, (gsize) (next - s));
          s = next;
          continue;
        }
      switch (c)
        {
        case '"': p = put (p, "\\\"", 2); break;
        case '\\': p = put (p, "\\\\", 2); break;
        case '\n': p = put (p, "\\n", 2); break;
        case '\r': p = put (p, "\\r", 2); break;
        case '\t': p = put (p, "\\t", 2); break;
        default:
          /* Control characters and DEL. */
          p = put (p, "\\u00", 4);
          *p++ = hex[c >> 4];
          *p++ = hex[c & 15];
        }
      s++;
    }
  *p++ = '"';
  return p;
}

void
trace_jsonl_append_string (GString *out, const char *s)
{
  gsize at = out->len;
  g_string_set_size (out, at + string_room (s));
  char *end = put_string (out->str + at, s);
  g_string_truncate (out, (gsize) (end - out->str));
}

/* Decimal, without printf: a trace line has a dozen integers (at most 20
 * bytes). */
static char *
put_int (char *p, gint64 v)
{
  char buf[24];
  int n = 0;
  guint64 u = v < 0 ? (guint64) 0 - (guint64) v : (guint64) v;
  do
    {
      buf[n++] = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u != 0);
  if (v < 0)
    buf[n++] = '-';
  while (n > 0)
    *p++ = buf[--n];
  return p;
}

#define INT_ROOM 24

static gsize
event_room (const SimTraceEvent *ev)
{
  gsize room = 64 + string_room (ev->kind) + (ev->host != NULL ? string_room (ev->host) : 4)
               + string_room (ev->text->str);
  for (guint i = 0; i < ev->n_fields; i++)
    {
      const SimTraceField *f = &ev->fields[i];
      room += 2 + string_room (f->key) + (f->type == SIM_FIELD_STR ? string_room (f->s) : INT_ROOM);
    }
  return room;
}

/* Writes the event at p (event_room bytes at most); returns the end. */
static char *
put_event (char *p, const SimTraceEvent *ev)
{
  p = put (p, "{\"t\":", 5);
  p = put_int (p, ev->time);
  p = put (p, ",\"i\":", 5);
  p = put_int (p, (gint64) ev->index);
  p = put (p, ",\"kind\":", 8);
  p = put_string (p, ev->kind);
  p = put (p, ",\"host\":", 8);
  p = ev->host != NULL ? put_string (p, ev->host) : put (p, "null", 4);
  for (guint i = 0; i < ev->n_fields; i++)
    {
      const SimTraceField *f = &ev->fields[i];
      *p++ = ',';
      p = put_string (p, f->key);
      *p++ = ':';
      switch (f->type)
        {
        case SIM_FIELD_INT:
          p = put_int (p, f->i);
          break;
        case SIM_FIELD_BOOL:
          p = f->i ? put (p, "true", 4) : put (p, "false", 5);
          break;
        case SIM_FIELD_STR:
          p = put_string (p, f->s);
          break;
        }
    }
  p = put (p, ",\"text\":", 8);
  p = put_string (p, ev->text->str);
  *p++ = '}';
  return p;
}

void
trace_jsonl_format (GString *out, const SimTraceEvent *ev)
{
  gsize at = out->len;
  g_string_set_size (out, at + event_room (ev));
  char *end = put_event (out->str + at, ev);
  g_string_truncate (out, (gsize) (end - out->str));
}

TraceJsonl *
trace_jsonl_open (const char *path, GError **error)
{
  AtomicFile *file = atomic_file_open (path, error);
  if (file == NULL)
    return NULL;
  TraceJsonl *w = g_new0 (TraceJsonl, 1);
  w->file = file;
  w->line = g_string_new (TRACE_V1_HEADER "\n");
  w->full = g_string_new (NULL);
  w->v1 = trace_v1_new ();
  return w;
}

TraceJsonl *
trace_jsonl_new_in_memory (void)
{
  TraceJsonl *w = g_new0 (TraceJsonl, 1);
  w->line = g_string_new (TRACE_V1_HEADER "\n");
  w->full = g_string_new (NULL);
  w->v1 = trace_v1_new ();
  return w;
}

/* Lines are handed to the file in batches of about this many bytes. */
#define BATCH_BYTES (256 * 1024)

/* In memory (no file), the lines stay where they are. */
static void
flush_lines (TraceJsonl *w)
{
  if (w->file == NULL)
    return;
  if (w->line->len > 0)
    atomic_file_write (w->file, w->line->str, w->line->len);
  g_string_truncate (w->line, 0);
}

/* Kinds whose narration is, by construction, what trace-v1-text.c derives
 * from their fields: tcp-stack.c tcp_stack_send and tcp_trace_recv (TCP
 * segments only), socket.c call_finish and call_block. */
static const char *const derived_kinds[] = { "tcp.send", "tcp.recv", "sock.call", "sock.block", NULL };

static gboolean
derived_kind (const char *kind)
{
  for (guint i = 0; derived_kinds[i] != NULL; i++)
    if (strcmp (kind, derived_kinds[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
trace_jsonl_wants_text (const SimTraceEvent *ev)
{
  return !derived_kind (ev->kind);
}

/* The event's members (as trace_jsonl_format writes them), their values
 * written into `values`, which is sized once so that they stay put. */
static void
event_members (GString *values, const SimTraceEvent *ev, TraceV1Line *line)
{
  g_string_set_size (values, event_room (ev));
  char *p = values->str;
  trace_v1_line_clear (line);
#define MEMBER(key, put_value)                                            \
  do                                                                      \
    {                                                                     \
      char *start = p;                                                    \
      p = put_value;                                                      \
      trace_v1_line_add (line, key, strlen (key), start, (gsize) (p - start)); \
    }                                                                     \
  while (0)
  MEMBER ("t", put_int (p, ev->time));
  MEMBER ("i", put_int (p, (gint64) ev->index));
  MEMBER ("kind", put_string (p, ev->kind));
  MEMBER ("host", ev->host != NULL ? put_string (p, ev->host) : put (p, "null", 4));
  for (guint i = 0; i < ev->n_fields; i++)
    {
      const SimTraceField *f = &ev->fields[i];
      switch (f->type)
        {
        case SIM_FIELD_INT:
          MEMBER (f->key, put_int (p, f->i));
          break;
        case SIM_FIELD_BOOL:
          MEMBER (f->key, f->i ? put (p, "true", 4) : put (p, "false", 5));
          break;
        case SIM_FIELD_STR:
          MEMBER (f->key, put_string (p, f->s));
          break;
        }
    }
  /* No text: no sink asked for it, the reader derives it. */
  if (ev->text->len > 0 || !derived_kind (ev->kind))
    MEMBER ("text", put_string (p, ev->text->str));
#undef MEMBER
}

void
trace_jsonl_sink (const SimTraceEvent *ev, gpointer data)
{
  TraceJsonl *w = data;
  event_members (w->full, ev, &w->members);
  trace_v1_compact (w->v1, &w->members, w->line);
  g_string_append_c (w->line, '\n');
  if (w->line->len >= BATCH_BYTES)
    flush_lines (w);
}

void
trace_jsonl_flush (TraceJsonl *w)
{
  flush_lines (w);
}

static void
writer_free (TraceJsonl *w)
{
  g_string_free (w->line, TRUE);
  g_string_free (w->full, TRUE);
  trace_v1_free (w->v1);
  g_free (w);
}

gboolean
trace_jsonl_commit (TraceJsonl *w, GError **error)
{
  flush_lines (w);
  gboolean ok = atomic_file_commit (w->file, error);
  writer_free (w);
  return ok;
}

const GString *
trace_jsonl_lines (const TraceJsonl *w)
{
  return w->line;
}

void
trace_jsonl_free_in_memory (TraceJsonl *w)
{
  if (w != NULL)
    writer_free (w);
}

void
trace_jsonl_abandon (TraceJsonl *w)
{
  if (w == NULL)
    return;
  atomic_file_abandon (w->file);
  writer_free (w);
}
