/* az-plot.c: see az-plot.h. */
#include "az-plot.h"

#include "az-states.h"
#include "trace-jsonl.h"

#include <arpa/inet.h>

struct _AzPlot {
  SimTrace *trace;
  TraceJsonl *out;
  GHashTable *conns;   /* "tuple#inc" -> conn id */
  GHashTable *sides;   /* "tuple#inc" -> AzSides, inferred states */
  guint64 next_seg;
};

AzPlot *
az_plot_open (const char *trace_path, GError **error)
{
  TraceJsonl *out = trace_jsonl_open (trace_path, error);
  if (out == NULL)
    return NULL;
  AzPlot *p = g_new0 (AzPlot, 1);
  p->out = out;
  p->trace = sim_trace_new ();
  sim_trace_add_sink (p->trace, trace_jsonl_sink, out);
  p->conns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p->sides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return p;
}

static void
free_plot (AzPlot *p)
{
  sim_trace_free (p->trace);
  g_hash_table_unref (p->conns);
  g_hash_table_unref (p->sides);
  g_free (p);
}

gboolean
az_plot_commit (AzPlot *p, GError **error)
{
  gboolean ok = trace_jsonl_commit (p->out, error);
  free_plot (p);
  return ok;
}

void
az_plot_abandon (AzPlot *p)
{
  if (p == NULL)
    return;
  trace_jsonl_abandon (p->out);
  free_plot (p);
}

static char *
az_plot_host (const CapEndpoint *e)
{
  char buf[INET6_ADDRSTRLEN] = "";
  inet_ntop (e->family == 4 ? AF_INET : AF_INET6, e->addr, buf, sizeof buf);
  return g_strdup (buf);
}

static gint64
conn_id (AzPlot *p, const AzTuple *t, guint inc)
{
  char *key = g_strdup_printf ("%s#%u", t->name, inc);
  gpointer v = g_hash_table_lookup (p->conns, key);
  if (v != NULL)
    {
      g_free (key);
      return GPOINTER_TO_SIZE (v);
    }
  gsize id = g_hash_table_size (p->conns) + 1;
  g_hash_table_insert (p->conns, key, GSIZE_TO_POINTER (id));
  return (gint64) id;
}

static void
flags_text (GString *s, guint8 f)
{
  static const struct { guint8 bit; const char *name; } names[] = {
    { CAP_FLAG_SYN, "SYN" }, { CAP_FLAG_RST, "RST" }, { CAP_FLAG_PSH, "PSH" },
    { CAP_FLAG_FIN, "FIN" }, { CAP_FLAG_ACK, "ACK" }, { CAP_FLAG_URG, "URG" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (f & names[i].bit)
      g_string_append_printf (s, "%s%s", s->len > 0 ? "," : "", names[i].name);
}

static void
segment_fields (SimTraceEvent *ev, guint64 id, const char *src, const char *dst,
                const char *flags, const CapSegment *seg, gint64 conn, guint inc)
{
  sim_trace_field_int (ev, "seg", (gint64) id);
  sim_trace_field_str (ev, "src", src);
  sim_trace_field_str (ev, "dst", dst);
  sim_trace_field_str (ev, "flags", flags);
  sim_trace_field_int (ev, "seq", seg->seq);
  sim_trace_field_int (ev, "ack", seg->ack);
  sim_trace_field_int (ev, "len", seg->len);
  sim_trace_field_int (ev, "win", seg->win);
  sim_trace_field_int (ev, "seg_conn", conn);
  sim_trace_field_int (ev, "seg_inc", inc);
}

static AzSides *
sides_of (AzPlot *p, const AzTuple *t, guint inc, gboolean *created)
{
  char *key = g_strdup_printf ("%s#%u", t->name, inc);
  AzSides *s = g_hash_table_lookup (p->sides, key);
  *created = s == NULL;
  if (s != NULL)
    {
      g_free (key);
      return s;
    }
  s = g_new0 (AzSides, 1);
  g_hash_table_insert (p->sides, key, s);
  return s;
}

static void
publish_change (AzPlot *p, const AzTuple *t, guint inc, const AzStateChange *ch,
                const CapSegment *seg)
{
  int side = ch->side;
  g_autofree char *host = az_plot_host (&t->ep[side]);
  SimTraceEvent *ev = sim_trace_begin (p->trace, seg->t, "tcp.state", host);
  sim_trace_field_int (ev, "conn", 2 * conn_id (p, t, inc) + side);
  sim_trace_field_int (ev, "inc", inc);
  sim_trace_field_str (ev, "local", t->ep_name[side]);
  sim_trace_field_str (ev, "remote", t->ep_name[1 - side]);
  sim_trace_field_str (ev, "from", ch->from);
  sim_trace_field_str (ev, "to", ch->to);
  sim_trace_text (ev, "%s -> %s (%s, inferred from packet %" G_GUINT64_FORMAT ")", ch->from,
                  ch->to, ch->why, seg->number);
  sim_trace_publish (p->trace, ev);
}

/* Side d speaks in a newer incarnation: its side of the previous one ended. */
static void
close_previous (AzPlot *p, const AzTuple *t, int d, guint inc, const CapSegment *seg)
{
  gboolean created = FALSE;
  AzSides *prev = sides_of (p, t, inc - 1, &created);
  if (created || prev->state[d] == NULL || g_str_equal (prev->state[d], "CLOSED"))
    return;
  AzStateChange ch = { d, prev->state[d], "CLOSED", "a newer incarnation took the four-tuple" };
  prev->state[d] = "CLOSED";
  publish_change (p, t, inc - 1, &ch, seg);
}

/* tcp.state events for the states the segment implies, in the
 * incarnation it belongs to (an old RST closes an old TIME-WAIT); each side
 * of an incarnation is a row of its own (conn = 2 x id + side). */
static void
publish_states (AzPlot *p, const AzTuple *t, int d, guint inc, const CapSegment *seg)
{
  AzStateChange ch[4];
  gboolean created = FALSE;
  AzSides *sides = sides_of (p, t, inc, &created);
  if (inc > 1 && inc == t->n_incs)
    close_previous (p, t, d, inc, seg);
  guint n = az_states_step (sides, d, seg, ch);
  for (guint i = 0; i < n; i++)
    publish_change (p, t, inc, &ch[i], seg);
}

void
az_plot_segment (const AzTuple *t, int d, guint inc, gboolean old, const CapSegment *seg,
                 gpointer data)
{
  AzPlot *p = data;
  guint64 id = ++p->next_seg;
  gint64 conn = conn_id (p, t, inc);
  g_autofree char *from = az_plot_host (&seg->src);
  g_autofree char *to = az_plot_host (&seg->dst);
  g_autoptr (GString) flags = g_string_new (NULL);
  flags_text (flags, seg->flags);
  const char *src = t->ep_name[d], *dst = t->ep_name[1 - d];

  SimTraceEvent *ev = sim_trace_begin (p->trace, seg->t, "tcp.send", from);
  segment_fields (ev, id, src, dst, flags->str, seg, conn, inc);
  sim_trace_field_int (ev, "conn", conn);
  sim_trace_field_int (ev, "inc", inc);
  sim_trace_text (ev, "send %s seq=%u ack=%u len=%u (#%u, packet %" G_GUINT64_FORMAT ")",
                  flags->str, seg->seq, seg->ack, seg->len, inc, seg->number);
  sim_trace_publish (p->trace, ev);

  g_autofree char *link = g_strdup_printf ("%s-%s", from, to);
  ev = sim_trace_begin (p->trace, seg->t, "link.send", from);
  segment_fields (ev, id, src, dst, flags->str, seg, conn, inc);
  sim_trace_field_str (ev, "link", link);
  sim_trace_field_int (ev, "arrive", seg->t);
  sim_trace_publish (p->trace, ev);

  ev = sim_trace_begin (p->trace, seg->t, "tcp.recv", to);
  segment_fields (ev, id, src, dst, flags->str, seg, conn, inc);
  /* The receiver is in the newest incarnation; an old segment reaches it. */
  sim_trace_field_int (ev, "conn", conn_id (p, t, t->n_incs));
  sim_trace_field_int (ev, "inc", t->n_incs);
  sim_trace_field_bool (ev, "stale", old);
  sim_trace_text (ev, "recv %s seq=%u%s", flags->str, seg->seq, old ? " (old incarnation)" : "");
  sim_trace_publish (p->trace, ev);
  publish_states (p, t, d, inc, seg);
}
