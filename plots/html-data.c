/* html-data.c: the viewer's data (html-data.h). Field order is the
 * contract with plots/viewer/viewer.js ("The data"). */
#include "html-data.h"

#include "html-json.h"
#include "plot-names.h"

#include <string.h>

/* Interned strings -> index, in order of first use. */
typedef struct {
  GHashTable *index;
  GPtrArray *names;
} Table;

static gint64
table_id (Table *t, const char *s)
{
  if (s == NULL)
    return -1;
  gpointer found;
  if (g_hash_table_lookup_extended (t->index, s, NULL, &found))
    return GPOINTER_TO_INT (found);
  g_hash_table_insert (t->index, (gpointer) s, GINT_TO_POINTER (t->names->len));
  g_ptr_array_add (t->names, (gpointer) s);
  return t->names->len - 1;
}

static void
table_write (GString *out, const char *key, const Table *t)
{
  g_string_append_printf (out, ",\n\"%s\":[", key);
  for (guint i = 0; i < t->names->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      html_json_str (out, g_ptr_array_index (t->names, i));
    }
  g_string_append_c (out, ']');
}

static const char *
seg_kind_name (PlotSegKind kind)
{
  switch (kind)
    {
    case PLOT_SEG_TCP_SEND:
      return "tcp.send";
    case PLOT_SEG_TCP_RECV:
      return "tcp.recv";
    case PLOT_SEG_LINK_SEND:
      return "link.send";
    case PLOT_SEG_LINK_DROP:
      return "link.drop";
    case PLOT_SEG_NET_DROP:
      return "net.drop";
    case PLOT_SEG_LINK_DUP:
      return "link.dup";
    case PLOT_SEG_LINK_DELAY:
      return "link.delay";
    }
  return "?";
}

static void
sep (GString *out, guint i)
{
  g_string_append (out, i > 0 ? ",\n[" : "\n[");
}

static void
ints (GString *out, const gint64 *v, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_string_append_c (out, ',');
      html_json_int (out, v[i]);
    }
}

/* [t, kind, host, text, rule, verdict, why, seg, copy, conn, inc];
 * rule, verdict and why index "strs". */
static void
write_events (GString *out, const PlotTrace *trace, guint64 shown, Table *hosts, Table *kinds,
              Table *strs)
{
  g_string_append (out, ",\n\"ev\":[");
  for (guint i = 0; i < shown; i++)
    {
      const PlotEvent *e = &g_array_index (trace->events, PlotEvent, i);
      sep (out, i);
      html_json_int (out, e->t);
      g_string_append_printf (out, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",",
                              table_id (kinds, e->kind), table_id (hosts, e->host));
      html_json_str (out, e->text);
      ints (out, (gint64[]) { table_id (strs, e->rule), table_id (strs, e->verdict), table_id (strs, e->why),
                              e->seg, e->copy, e->conn, e->inc }, 7);
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ']');
}

/* [order, kind, t, arrive, host, src, dst, flags, link,
 *  seg, seq, ack, len, win, seg_conn, seg_inc, copy, rexmit, conn, inc, stale];
 * src, dst, flags and link index "strs". */
static void
write_segments (GString *out, const PlotTrace *trace, guint64 shown, Table *hosts, Table *strs)
{
  g_string_append (out, ",\n\"seg\":[");
  guint n = 0;
  for (guint i = 0; i < trace->segments->len; i++)
    {
      const PlotSegment *s = &g_array_index (trace->segments, PlotSegment, i);
      if (s->order >= shown)
        break;
      sep (out, n++);
      g_string_append_printf (out, "%" G_GUINT64_FORMAT ",\"%s\",", s->order, seg_kind_name (s->kind));
      html_json_int (out, s->t);
      ints (out, (gint64[]) { s->arrive, table_id (hosts, s->host), table_id (strs, s->src),
                              table_id (strs, s->dst), table_id (strs, s->flags), table_id (strs, s->link),
                              s->seg, s->seq, s->ack, s->len, s->win, s->seg_conn, s->seg_inc, s->copy,
                              s->rexmit ? 1 : 0, s->conn, s->inc, s->stale ? 1 : 0 }, 18);
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ']');
}

/* [order, host, conn, inc, from, to, why, local, remote, name]; from ...
 * name index "strs"; name is the connection's (plot-names.h). */
static void
write_states (GString *out, const PlotTrace *trace, guint64 shown, Table *hosts, Table *strs,
              GHashTable *names)
{
  g_string_append (out, ",\n\"st\":[");
  guint n = 0;
  for (guint i = 0; i < trace->states->len; i++)
    {
      const PlotStateChange *c = &g_array_index (trace->states, PlotStateChange, i);
      if (c->order >= shown)
        break;
      sep (out, n++);
      g_string_append_printf (out, "%" G_GUINT64_FORMAT ",%" G_GINT64_FORMAT, c->order,
                              table_id (hosts, c->host));
      ints (out, (gint64[]) { c->conn, c->inc, table_id (strs, c->from), table_id (strs, c->to),
                              table_id (strs, c->why), table_id (strs, c->local), table_id (strs, c->remote),
                              table_id (strs, plot_conn_names_get (names, c->host, c->conn)) }, 8);
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ']');
}

void
html_data_write (GString *out, const PlotTrace *trace, const char *name, guint64 max_events)
{
  guint64 shown = MIN ((guint64) trace->events->len, max_events);
  Table hosts = { g_hash_table_new (NULL, NULL), g_ptr_array_new () };
  Table kinds = { g_hash_table_new (NULL, NULL), g_ptr_array_new () };
  Table strs = { g_hash_table_new (NULL, NULL), g_ptr_array_new () };
  g_string_append (out, "{\"name\":");
  html_json_str (out, name);
  g_string_append_printf (out, ",\"events\":%u,\"shown\":%" G_GUINT64_FORMAT ",\"t_end\":%" G_GINT64_FORMAT,
                          trace->events->len, shown, trace->t_end);
  write_events (out, trace, shown, &hosts, &kinds, &strs);
  write_segments (out, trace, shown, &hosts, &strs);
  /* The names stay alive until "strs" is written. */
  g_autoptr (GHashTable) names = plot_conn_names_new (trace);
  write_states (out, trace, shown, &hosts, &strs, names);
  table_write (out, "hosts", &hosts);
  table_write (out, "kinds", &kinds);
  table_write (out, "strs", &strs);
  g_string_append (out, "}");
  g_hash_table_unref (hosts.index);
  g_hash_table_unref (kinds.index);
  g_hash_table_unref (strs.index);
  g_ptr_array_free (strs.names, TRUE);
  g_ptr_array_free (hosts.names, TRUE);
  g_ptr_array_free (kinds.names, TRUE);
}
