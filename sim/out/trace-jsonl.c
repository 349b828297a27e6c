/* trace-jsonl.c: streaming JSON lines writer with atomic commit. */
#include "trace-jsonl.h"

#include "atomic-file.h"


struct _TraceJsonl {
  AtomicFile *file;
  GString *line;
};

/* RFC 8259 string: UTF-8 passes through; control characters are escaped;
 * a byte that is not valid UTF-8 becomes U+FFFD. */
/* Bytes that a JSON string can carry as they are: printable ASCII other
 * than '"' and '\\'. */
static gboolean
plain_byte (guchar c)
{
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void
trace_jsonl_append_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  const char *p = s;
  while (*p != '\0')
    {
      /* The common case, a run of plain bytes, in one copy. */
      const char *run = p;
      while (plain_byte ((guchar) *p))
        p++;
      if (p > run)
        {
          g_string_append_len (out, run, p - run);
          continue;
        }
      guchar c = (guchar) *p;
      if (c >= 0x80)
        {
          gunichar ch = g_utf8_get_char_validated (p, -1);
          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            {
              g_string_append (out, "\\ufffd");
              p++;
              continue;
            }
          const char *next = g_utf8_next_char (p);
          g_string_append_len (out, p, next - p);
          p = next;
          continue;
        }
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
      p++;
    }
  g_string_append_c (out, '"');
}

/* Decimal, without printf: a trace line has a dozen integers. */
static void
append_int (GString *out, gint64 v)
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
  gsize at = out->len;
  g_string_set_size (out, at + (gsize) n);
  for (int i = 0; i < n; i++)
    out->str[at + (gsize) i] = buf[n - 1 - i];
}

void
trace_jsonl_format (GString *out, const SimTraceEvent *ev)
{
  g_string_append (out, "{\"t\":");
  append_int (out, ev->time);
  g_string_append (out, ",\"i\":");
  append_int (out, (gint64) ev->index);
  g_string_append (out, ",\"kind\":");
  trace_jsonl_append_string (out, ev->kind);
  g_string_append (out, ",\"host\":");
  if (ev->host != NULL)
    trace_jsonl_append_string (out, ev->host);
  else
    g_string_append (out, "null");
  for (guint i = 0; i < ev->n_fields; i++)
    {
      const SimTraceField *f = &ev->fields[i];
      g_string_append_c (out, ',');
      trace_jsonl_append_string (out, f->key);
      g_string_append_c (out, ':');
      switch (f->type)
        {
        case SIM_FIELD_INT:
          append_int (out, f->i);
          break;
        case SIM_FIELD_BOOL:
          g_string_append (out, f->i ? "true" : "false");
          break;
        case SIM_FIELD_STR:
          trace_jsonl_append_string (out, f->s);
          break;
        }
    }
  g_string_append (out, ",\"text\":");
  trace_jsonl_append_string (out, ev->text->str);
  g_string_append_c (out, '}');
}

TraceJsonl *
trace_jsonl_open (const char *path, GError **error)
{
  AtomicFile *file = atomic_file_open (path, error);
  if (file == NULL)
    return NULL;
  TraceJsonl *w = g_new0 (TraceJsonl, 1);
  w->file = file;
  w->line = g_string_new (NULL);
  return w;
}

void
trace_jsonl_sink (const SimTraceEvent *ev, gpointer data)
{
  TraceJsonl *w = data;
  g_string_truncate (w->line, 0);
  trace_jsonl_format (w->line, ev);
  g_string_append_c (w->line, '\n');
  atomic_file_write (w->file, w->line->str, w->line->len);
}

gboolean
trace_jsonl_commit (TraceJsonl *w, GError **error)
{
  gboolean ok = atomic_file_commit (w->file, error);
  g_string_free (w->line, TRUE);
  g_free (w);
  return ok;
}

void
trace_jsonl_abandon (TraceJsonl *w)
{
  if (w == NULL)
    return;
  atomic_file_abandon (w->file);
  g_string_free (w->line, TRUE);
  g_free (w);
}
