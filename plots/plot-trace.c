/* plot-trace.c: reads a JSON lines trace (README "JSON lines trace") into
 * the plot model, one line at a time, checking the keys the plots use.
 * twsim's own flat lines go through plot-scan.c; any other line through
 * json-glib. Both give the same members, so the same checks and errors. */
#include "plot-trace.h"

#include "input-file.h"
#include "plot-scan.h"
#include "trace-v1.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (twsim-plot-error-quark, plot_error)

typedef struct {
  PlotTrace *trace;
  const char *path;
  guint64 line;
  guint column;       /* 1-based column of a JSON syntax error, 0 = unknown */
  JsonObject *obj;     /* the line parsed by json-glib, or */
  PlotFlatLine *flat;  /* the line scanned (when obj is NULL) */
  const char *kind;
  GError **error;
  GHashTable *reads;  /* "host/sock" -> ReadSeen: the last read of a socket */
  gboolean keep_events; /* fill trace->events (the viewer) */
} LineReader;

typedef struct {
  const char *data;
  const char *incs;
} ReadSeen;

const char *
plot_trace_intern (PlotTrace *trace, const char *s)
{
  return s != NULL ? g_string_chunk_insert_const (trace->strings, s) : NULL;
}

/* 2^50 ns is 13 days of virtual time. */
#define PLOT_TRACE_MAX_INTEGER (G_GINT64_CONSTANT (1) << 50)

static gboolean
fail (LineReader *r, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (LineReader *r, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *raw = g_strdup_vprintf (format, args);
  va_end (args);
  /* The text may quote bytes of the line (json-glib does): never pass on
   * invalid UTF-8 to a terminal or a log. */
  g_autofree char *what = g_utf8_make_valid (raw, -1);
  g_set_error (r->error, PLOT_ERROR, PLOT_ERROR_BAD_TRACE, "%s:%" G_GUINT64_FORMAT ":%u: %s",
               r->path, r->line, r->column != 0 ? r->column : 1, what);
  return FALSE;
}

/* A member of the line, whichever way it was read. */
static PlotValue
member (LineReader *r, const char *key)
{
  if (r->obj == NULL)
    return plot_flat_get (r->flat, key);
  PlotValue v = { PLOT_VAL_NONE, 0, NULL };
  JsonNode *node = json_object_get_member (r->obj, key);
  if (node == NULL)
    return v;
  v.type = PLOT_VAL_OTHER;
  if (JSON_NODE_HOLDS_NULL (node))
    v.type = PLOT_VAL_NULL;
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      v.type = PLOT_VAL_INT;
      v.i = json_node_get_int (node);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      v.type = PLOT_VAL_BOOL;
      v.i = json_node_get_boolean (node) ? 1 : 0;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      v.type = PLOT_VAL_STR;
      v.s = json_node_get_string (node);
    }
  return v;
}

static gboolean
has_member (LineReader *r, const char *key)
{
  return member (r, key).type != PLOT_VAL_NONE;
}

static gboolean
get_int (LineReader *r, const char *key, gint64 *out)
{
  PlotValue v = member (r, key);
  if (v.type != PLOT_VAL_INT)
    return fail (r, "%s: \"%s\" is missing or not an integer", r->kind, key);
  *out = v.i;
  /* Every integer twsim writes is a count, an id, a sequence number (< 2^32)
   * or a time in ns; a bound keeps the axis arithmetic far from overflow. */
  if (*out < 0 || *out > PLOT_TRACE_MAX_INTEGER)
    return fail (r, "%s: \"%s\" = %" G_GINT64_FORMAT " is out of range 0..%" G_GINT64_FORMAT,
                 r->kind, key, *out, (gint64) PLOT_TRACE_MAX_INTEGER);
  return TRUE;
}

/* An optional integer: absent gives the fallback, a wrong type is an error. */
static gboolean
get_int_or (LineReader *r, const char *key, gint64 fallback, gint64 *out)
{
  if (!has_member (r, key))
    {
      *out = fallback;
      return TRUE;
    }
  return get_int (r, key, out);
}

static gboolean
get_bool_or (LineReader *r, const char *key, gboolean *out)
{
  PlotValue v = member (r, key);
  if (v.type == PLOT_VAL_NONE)
    {
      *out = FALSE;
      return TRUE;
    }
  if (v.type != PLOT_VAL_BOOL)
    return fail (r, "%s: \"%s\" is not true or false", r->kind, key);
  *out = v.i != 0;
  return TRUE;
}

/* A string, interned; `nullable` accepts null (gives NULL). */
static gboolean
get_str (LineReader *r, const char *key, gboolean nullable, const char **out)
{
  PlotValue v = member (r, key);
  if (nullable && v.type == PLOT_VAL_NULL)
    {
      *out = NULL;
      return TRUE;
    }
  if (v.type != PLOT_VAL_STR)
    return fail (r, "%s: \"%s\" is missing or not a string", r->kind, key);
  *out = plot_trace_intern (r->trace, v.s);
  return TRUE;
}

static gboolean
read_segment (LineReader *r, PlotSegKind kind, gint64 t, const char *host)
{
  PlotSegment s = {
    .kind = kind, .order = r->trace->n_events - 1, .t = t, .host = host, .arrive = -1,
    .conn = -1, .inc = -1,
  };
  if (!get_int (r, "seg", &s.seg) || !get_str (r, "src", FALSE, &s.src)
      || !get_str (r, "dst", FALSE, &s.dst) || !get_str (r, "flags", FALSE, &s.flags)
      || !get_int (r, "seq", &s.seq) || !get_int (r, "ack", &s.ack)
      || !get_int (r, "len", &s.len) || !get_int_or (r, "win", 0, &s.win)
      || !get_int_or (r, "seg_conn", -1, &s.seg_conn) || !get_int_or (r, "seg_inc", 0, &s.seg_inc)
      || !get_int_or (r, "copy", 0, &s.copy) || !get_bool_or (r, "rexmit", &s.rexmit))
    return FALSE;
  if (s.len < 0)
    return fail (r, "%s: \"len\" is negative", r->kind);
  switch (kind)
    {
    case PLOT_SEG_TCP_SEND:
      if (!get_int (r, "conn", &s.conn) || !get_int_or (r, "inc", 0, &s.inc))
        return FALSE;
      break;
    case PLOT_SEG_TCP_RECV:
      if (!get_int_or (r, "conn", -1, &s.conn) || !get_int_or (r, "inc", 0, &s.inc)
          || !get_bool_or (r, "stale", &s.stale))
        return FALSE;
      break;
    case PLOT_SEG_LINK_SEND:
    case PLOT_SEG_LINK_DUP:
    case PLOT_SEG_LINK_DELAY:
      if (!get_str (r, "link", FALSE, &s.link) || !get_int (r, "arrive", &s.arrive))
        return FALSE;
      if (s.arrive < t)
        return fail (r, "%s: \"arrive\" is before \"t\"", r->kind);
      break;
    case PLOT_SEG_LINK_DROP:
      if (!get_str (r, "link", FALSE, &s.link))
        return FALSE;
      break;
    case PLOT_SEG_NET_DROP:
      break;
    }
  g_array_append_val (r->trace->segments, s);
  return TRUE;
}

static gboolean
read_state (LineReader *r, gint64 t, const char *host)
{
  PlotStateChange c = { .order = r->trace->n_events - 1, .t = t, .host = host };
  if (!get_int (r, "conn", &c.conn) || !get_int_or (r, "inc", 0, &c.inc)
      || !get_str (r, "local", FALSE, &c.local) || !get_str (r, "remote", FALSE, &c.remote)
      || !get_str (r, "from", FALSE, &c.from) || !get_str (r, "to", FALSE, &c.to))
    return FALSE;
  /* The reason is the text's "FROM -> TO (why)"; without the narration,
   * the trace's rest of it: " (why)". */
  PlotValue text = member (r, "text");
  PlotValue rest = member (r, "x");
  g_autofree char *joined = NULL;
  if (text.type != PLOT_VAL_STR && rest.type == PLOT_VAL_STR)
    {
      joined = g_strdup_printf ("%s -> %s%s", c.from, c.to, rest.s);
      text.type = PLOT_VAL_STR;
      text.s = joined;
    }
  if (text.type == PLOT_VAL_STR)
    {
      const char *s = text.s;
      g_autofree char *head = g_strdup_printf ("%s -> %s (", c.from, c.to);
      gsize len = strlen (s);
      if (g_str_has_prefix (s, head) && len > strlen (head) && s[len - 1] == ')')
        {
          g_autofree char *why = g_strndup (s + strlen (head), len - strlen (head) - 1);
          c.why = plot_trace_intern (r->trace, why);
        }
    }
  g_array_append_val (r->trace->states, c);
  return TRUE;
}

static char *
read_key (const char *host, gint64 sock)
{
  return g_strdup_printf ("%p/%" G_GINT64_FORMAT, (gpointer) host, sock);
}

/* sock.call of a read: remembered for the corruption verdict that follows. */
static gboolean
read_call (LineReader *r, const char *host)
{
  gint64 sock;
  if (!has_member (r, "data"))
    return TRUE;
  if (!get_int_or (r, "sock", -1, &sock))
    return FALSE;
  ReadSeen *seen = g_new0 (ReadSeen, 1);
  if (!get_str (r, "data", FALSE, &seen->data)
      || (has_member (r, "incs") && !get_str (r, "incs", FALSE, &seen->incs)))
    {
      g_free (seen);
      return FALSE;
    }
  g_hash_table_insert (r->reads, read_key (host, sock), seen);
  return TRUE;
}

static const char *opt_str (LineReader *r, const char *key);

/* Every call, for the ladder; a read's data also for the corruption
 * marker that follows it. */
static gboolean
read_call_event (LineReader *r, gint64 t, const char *host)
{
  PlotCall c = { .order = r->trace->n_events - 1, .t = t, .host = host,
                 .call = opt_str (r, "call"), .args = opt_str (r, "args") };
  const char *err = opt_str (r, "errno");
  c.err = err != NULL && *err != '\0' ? err : NULL;
  /* A call's result may be -1: only printed, so any integer will do. */
  PlotValue ret = member (r, "ret");
  c.ret = ret.type == PLOT_VAL_INT ? ret.i : 0;
  if (c.call != NULL)
    g_array_append_val (r->trace->calls, c);
  return read_call (r, host);
}

static gboolean
read_marker (LineReader *r, gint64 t, const char *host, GArray *into)
{
  PlotMarker m = { .order = r->trace->n_events - 1, .t = t, .host = host };
  if (!get_int_or (r, "conn", -1, &m.conn) || !get_int_or (r, "inc", -1, &m.inc)
      || !get_int_or (r, "seg", 0, &m.seg) || !get_int_or (r, "seg_inc", -1, &m.seg_inc))
    return FALSE;
  gint64 sock;
  if (!get_int_or (r, "sock", -1, &sock))
    return FALSE;
  g_autofree char *key = read_key (host, sock);
  const ReadSeen *seen = sock >= 0 ? g_hash_table_lookup (r->reads, key) : NULL;
  if (seen != NULL)
    {
      m.data = seen->data;
      m.incs = seen->incs;
    }
  g_array_append_val (into, m);
  return TRUE;
}

/* tcp.data-lost: a marker whose seg_inc is the incarnation whose stale
 * bytes took the place of the lost ones. */
static gboolean
read_lost (LineReader *r, gint64 t, const char *host)
{
  PlotMarker m = { .order = r->trace->n_events - 1, .t = t, .host = host };
  if (!get_int_or (r, "conn", -1, &m.conn) || !get_int_or (r, "inc", -1, &m.inc)
      || !get_int_or (r, "seg", 0, &m.seg) || !get_int_or (r, "stale_inc", -1, &m.seg_inc))
    return FALSE;
  g_array_append_val (r->trace->data_lost, m);
  return TRUE;
}

static gboolean
read_timer (LineReader *r, gint64 t, const char *host)
{
  const char *timer, *action;
  PlotTimer tw = { .t = t, .host = host };
  if (!get_str (r, "timer", FALSE, &timer) || !get_str (r, "action", FALSE, &action))
    return FALSE;
  if (strcmp (timer, "time-wait") != 0 || strcmp (action, "set") != 0)
    return TRUE;
  if (!get_int (r, "conn", &tw.conn) || !get_int (r, "at", &tw.at))
    return FALSE;
  g_array_append_val (r->trace->time_waits, tw);
  return TRUE;
}

/* twsim writes one flat object per line. json-glib's parser recurses once
 * per level, so a line of 100 000 '[' would overflow the stack: deeper
 * lines are refused before it sees them. */
#define PLOT_TRACE_MAX_DEPTH 1

/* The 1-based column of the first '[' or '{' nested deeper than
 * PLOT_TRACE_MAX_DEPTH (outside strings), or 0. */
static guint
too_deep_at (const char *text, gsize len)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > PLOT_TRACE_MAX_DEPTH)
            return (guint) MIN (i + 1, G_MAXUINT);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return 0;
}
static gboolean read_event (LineReader *r);
static gboolean read_line (LineReader *r, JsonParser *parser, const char *text, gsize len);

/* An optional key for the viewer's event list: a wrong type is ignored
 * here (the kinds the plots draw check their keys strictly). */
static const char *
opt_str (LineReader *r, const char *key)
{
  PlotValue v = member (r, key);
  return v.type == PLOT_VAL_STR ? plot_trace_intern (r->trace, v.s) : NULL;
}

static gint64
opt_int (LineReader *r, const char *key)
{
  PlotValue v = member (r, key);
  return v.type == PLOT_VAL_INT && v.i >= 0 && v.i <= PLOT_TRACE_MAX_INTEGER ? v.i : -1;
}

static void
keep_event (LineReader *r, gint64 t, const char *kind, const char *host)
{
  PlotEvent e = {
    .order = r->trace->n_events - 1, .t = t, .kind = kind, .host = host,
    .text = opt_str (r, "text"), .rule = opt_str (r, "rule"), .verdict = opt_str (r, "verdict"),
    .why = opt_str (r, "why"), .seg = opt_int (r, "seg"), .copy = opt_int (r, "copy"),
    .conn = opt_int (r, "conn"), .inc = opt_int (r, "inc"),
  };
  g_array_append_val (r->trace->events, e);
}

/* One line of the file: the header first, then events, each expanded
 * into its full object (trace-v1.h) and read as such. */
static gboolean
read_file_line (LineReader *r, JsonParser *parser, TraceV1 *v1, GString *full, const char *text,
                gsize len)
{
  g_autofree char *why = NULL;
  r->column = 0;
  if (len == 0)
    return fail (r, "empty line (one JSON object per line expected)");
  if (r->line == 1)
    return trace_v1_header (text, len, &why, &r->column) ? TRUE : fail (r, "%s", why);
  g_string_truncate (full, 0);
  if (!trace_v1_expand (v1, text, len, full, &why, &r->column))
    return fail (r, "%s", why);
  r->column = 0;
  if (full->len == 0)
    return TRUE; /* a definition of keys */
  return read_line (r, parser, full->str, full->len);
}

static gboolean
read_line (LineReader *r, JsonParser *parser, const char *text, gsize len)
{
  GError *json_error = NULL;
  r->obj = NULL;
  if (plot_scan_flat (r->flat, text, len))
    return read_event (r);
  r->column = too_deep_at (text, len);
  if (r->column != 0)
    return fail (r, "nested deeper than a twsim trace (one flat JSON object per line)");
  if (!json_parser_load_from_data (parser, text, (gssize) len, &json_error))
    {
      /* json-glib says "<data>:LINE:COLUMN: what"; the line is ours. */
      const char *what = json_error->message;
      const char *column = "";
      if (g_str_has_prefix (what, "<data>:1:"))
        {
          column = what + strlen ("<data>:1:");
          what = strchr (column, ':') != NULL ? strchr (column, ':') + 1 : column;
        }
      if (*column != '\0' && what != column)
        r->column = (guint) g_ascii_strtoull (column, NULL, 10);
      fail (r, "not valid JSON:%s", what);
      g_error_free (json_error);
      return FALSE;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (r, "not a JSON object");
  r->obj = json_node_get_object (root);
  return read_event (r);
}

static gboolean
read_event (LineReader *r)
{
  r->kind = "event";
  gint64 t;
  const char *kind, *host;
  if (!get_int (r, "t", &t) || !get_str (r, "kind", FALSE, &kind))
    return FALSE;
  r->kind = kind;
  if (t < 0)
    return fail (r, "\"t\" is negative");
  if (!get_str (r, "host", TRUE, &host))
    return FALSE;
  PlotTrace *trace = r->trace;
  if (trace->n_events == 0)
    trace->t_begin = t;
  trace->t_begin = MIN (trace->t_begin, t);
  trace->t_end = MAX (trace->t_end, t);
  trace->n_events++;
  if (r->keep_events)
    keep_event (r, t, kind, host);

  if (strcmp (kind, "tcp.send") == 0)
    return read_segment (r, PLOT_SEG_TCP_SEND, t, host);
  if (strcmp (kind, "tcp.recv") == 0)
    return read_segment (r, PLOT_SEG_TCP_RECV, t, host);
  if (strcmp (kind, "link.send") == 0)
    return read_segment (r, PLOT_SEG_LINK_SEND, t, host);
  /* An injection straight into a host carries link and arrive: drawn as a
   * send over a link without delay. */
  if (strcmp (kind, "net.inject") == 0 && has_member (r, "link"))
    return read_segment (r, PLOT_SEG_LINK_SEND, t, host);
  if (strcmp (kind, "link.drop") == 0)
    return read_segment (r, PLOT_SEG_LINK_DROP, t, host);
  if (strcmp (kind, "link.dup") == 0)
    return read_segment (r, PLOT_SEG_LINK_DUP, t, host);
  if (strcmp (kind, "link.delay") == 0)
    return read_segment (r, PLOT_SEG_LINK_DELAY, t, host);
  if (strcmp (kind, "net.drop") == 0)
    return read_segment (r, PLOT_SEG_NET_DROP, t, host);
  if (strcmp (kind, "tcp.state") == 0)
    return read_state (r, t, host);
  if (strcmp (kind, "tcp.timer") == 0)
    return read_timer (r, t, host);
  if (strcmp (kind, "sock.call") == 0)
    return read_call_event (r, t, host);
  if (strcmp (kind, "verdict.corruption") == 0)
    return read_marker (r, t, host, trace->corruptions);
  if (strcmp (kind, "tcp.stale-data") == 0)
    return read_marker (r, t, host, trace->stale_data);
  if (strcmp (kind, "tcp.data-lost") == 0)
    return read_lost (r, t, host);
  return TRUE;
}

static PlotTrace *read_file (FILE *file, const char *path, gboolean keep_events, GError **error);

static PlotTrace *
load (const char *path, gboolean keep_events, GError **error)
{
  GError *open_error = NULL;
  FILE *file = input_file_open (path, &open_error);
  if (file == NULL)
    {
      g_set_error_literal (error, PLOT_ERROR, PLOT_ERROR_IO, open_error->message);
      g_error_free (open_error);
      return NULL;
    }
  PlotTrace *trace = read_file (file, path, keep_events, error);
  fclose (file);
  return trace;
}

PlotTrace *
plot_trace_read (FILE *file, const char *path, GError **error)
{
  return read_file (file, path, FALSE, error);
}

static PlotTrace *
read_file (FILE *file, const char *path, gboolean keep_events, GError **error)
{
  PlotTrace *trace = g_new0 (PlotTrace, 1);
  trace->strings = g_string_chunk_new (4096);
  trace->events = g_array_new (FALSE, FALSE, sizeof (PlotEvent));
  trace->segments = g_array_new (FALSE, FALSE, sizeof (PlotSegment));
  trace->states = g_array_new (FALSE, FALSE, sizeof (PlotStateChange));
  trace->corruptions = g_array_new (FALSE, FALSE, sizeof (PlotMarker));
  trace->stale_data = g_array_new (FALSE, FALSE, sizeof (PlotMarker));
  trace->time_waits = g_array_new (FALSE, FALSE, sizeof (PlotTimer));
  trace->calls = g_array_new (FALSE, FALSE, sizeof (PlotCall));
  trace->data_lost = g_array_new (FALSE, FALSE, sizeof (PlotMarker));

  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GHashTable) reads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  PlotFlatLine flat;
  plot_flat_line_init (&flat);
  LineReader r = { .trace = trace, .path = path, .error = error, .reads = reads, .flat = &flat,
                   .keep_events = keep_events };
  g_autoptr (TraceV1) v1 = trace_v1_new ();
  /* Only the viewer shows the narration. */
  trace_v1_set_narrate (v1, keep_events);
  g_autoptr (GString) full = g_string_new (NULL);
  char *buf = NULL;
  size_t cap = 0;
  ssize_t n;
  gboolean ok = TRUE;
  while (ok && (n = getline (&buf, &cap, file)) >= 0)
    {
      r.line++;
      gsize len = (gsize) n;
      if (len > 0 && buf[len - 1] == '\n')
        len--;
      if (len > 0 && buf[len - 1] == '\r')
        len--;
      ok = read_file_line (&r, parser, v1, full, buf, len);
    }
  if (ok && ferror (file))
    {
      int saved = errno;
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_IO, "cannot read %s: %s", path, g_strerror (saved));
      ok = FALSE;
    }
  if (ok && r.line == 0)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_BAD_TRACE, "%s:1:1: empty file, not a twsim trace "
                   "(its first line is the header %s)", path, TRACE_V1_HEADER);
      ok = FALSE;
    }
  if (ok && trace->n_events == 0)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_BAD_TRACE, "%s:2:1: the trace holds no events", path);
      ok = FALSE;
    }
  free (buf);
  plot_flat_line_clear (&flat);
  if (!ok)
    {
      plot_trace_free (trace);
      return NULL;
    }
  return trace;
}

PlotTrace *
plot_trace_load (const char *path, GError **error)
{
  return load (path, FALSE, error);
}

PlotTrace *
plot_trace_load_all (const char *path, GError **error)
{
  return load (path, TRUE, error);
}

void
plot_trace_free (PlotTrace *trace)
{
  if (trace == NULL)
    return;
  g_string_chunk_free (trace->strings);
  g_array_unref (trace->events);
  g_array_unref (trace->segments);
  g_array_unref (trace->states);
  g_array_unref (trace->corruptions);
  g_array_unref (trace->stale_data);
  g_array_unref (trace->time_waits);
  g_array_unref (trace->calls);
  g_array_unref (trace->data_lost);
  g_free (trace);
}
