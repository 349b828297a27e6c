/* ladder-text.c: collects segments and state changes from the trace, then
 * draws them as rows of a ladder. */
#include "ladder-text.h"

#include <string.h>

#define TIME_WIDTH 12
#define COLUMN_WIDTH 46

typedef enum {
  ROW_SEGMENT,
  ROW_DROP,
  ROW_STATE,
} RowKind;

typedef struct {
  RowKind kind;
  SimTime time;
  SimTime arrive;
  int from;       /* column index */
  int to;         /* column index; -1 when unknown */
  guint64 seg;
  guint copy;
  char *label;    /* "SYN,ACK 5000:1001 (0) #1", or "SYN-SENT" for states */
} Row;

struct _LadderText {
  GPtrArray *hosts;  /* char * */
  GArray *rows;      /* Row */
  GHashTable *stale; /* seg id -> 1, lookups only */
  gboolean colour;
};

static void
row_clear (gpointer p)
{
  g_free (((Row *) p)->label);
}

LadderText *
ladder_text_new (const char *const *hosts, guint n_hosts, gboolean colour)
{
  LadderText *l = g_new0 (LadderText, 1);
  l->hosts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_hosts; i++)
    g_ptr_array_add (l->hosts, g_strdup (hosts[i]));
  l->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (l->rows, row_clear);
  l->stale = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  l->colour = colour;
  return l;
}

void
ladder_text_free (LadderText *l)
{
  if (l == NULL)
    return;
  g_ptr_array_free (l->hosts, TRUE);
  g_array_free (l->rows, TRUE);
  g_hash_table_destroy (l->stale);
  g_free (l);
}

static int
column_of (LadderText *l, const char *host)
{
  for (guint i = 0; host != NULL && i < l->hosts->len; i++)
    if (strcmp (g_ptr_array_index (l->hosts, i), host) == 0)
      return (int) i;
  return -1;
}

/* "client->server" -> the two columns. */
static void
columns_of_link (LadderText *l, const char *link, int *from, int *to)
{
  *from = *to = -1;
  if (link == NULL)
    return;
  g_auto (GStrv) ends = g_strsplit (link, "->", 2);
  if (ends[0] != NULL && ends[1] != NULL)
    {
      *from = column_of (l, ends[0]);
      *to = column_of (l, ends[1]);
    }
}

static char *
segment_label (const SimTraceEvent *ev)
{
  GString *s = g_string_new (sim_trace_event_str (ev, "flags"));
  g_string_append_printf (s, " %" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " (%" G_GINT64_FORMAT ")",
                          sim_trace_event_int (ev, "seq", 0), sim_trace_event_int (ev, "ack", 0),
                          sim_trace_event_int (ev, "len", 0));
  gint64 inc = sim_trace_event_int (ev, "seg_inc", 0);
  if (inc != 0)
    g_string_append_printf (s, " #%" G_GINT64_FORMAT, inc);
  return g_string_free (s, FALSE);
}

static void
add_row (LadderText *l, Row row)
{
  g_array_append_val (l->rows, row);
}

void
ladder_text_sink (const SimTraceEvent *ev, gpointer data)
{
  LadderText *l = data;
  /* A segment injected straight into a host is drawn as if sent over a
   * link without delay (net.inject has the same fields then). */
  gboolean direct_inject = strcmp (ev->kind, "net.inject") == 0
                           && sim_trace_event_str (ev, "link") != NULL;
  if (strcmp (ev->kind, "link.send") == 0 || strcmp (ev->kind, "link.drop") == 0 || direct_inject)
    {
      Row row = { strcmp (ev->kind, "link.drop") != 0 ? ROW_SEGMENT : ROW_DROP, ev->time };
      columns_of_link (l, sim_trace_event_str (ev, "link"), &row.from, &row.to);
      row.arrive = sim_trace_event_int (ev, "arrive", ev->time);
      row.seg = (guint64) sim_trace_event_int (ev, "seg", 0);
      row.copy = (guint) sim_trace_event_int (ev, "copy", 0);
      row.label = segment_label (ev);
      add_row (l, row);
    }
  else if (strcmp (ev->kind, "net.drop") == 0)
    {
      Row row = { ROW_DROP, ev->time, ev->time, column_of (l, ev->host), -1 };
      row.seg = (guint64) sim_trace_event_int (ev, "seg", 0);
      row.label = segment_label (ev);
      add_row (l, row);
    }
  else if (strcmp (ev->kind, "tcp.state") == 0)
    {
      Row row = { ROW_STATE, ev->time, ev->time, column_of (l, ev->host), -1 };
      row.label = g_strdup (sim_trace_event_str (ev, "to"));
      add_row (l, row);
    }
  else if (strcmp (ev->kind, "tcp.recv") == 0 && sim_trace_event_int (ev, "stale", 0))
    {
      gint64 seg = sim_trace_event_int (ev, "seg", 0);
      g_hash_table_insert (l->stale, g_memdup2 (&seg, sizeof seg), GINT_TO_POINTER (1));
    }
}

static const char *
colour_for (LadderText *l, const Row *row)
{
  if (!l->colour)
    return "";
  gint64 seg = (gint64) row->seg;
  if (row->kind == ROW_DROP)
    return "\033[31m";                  /* red: lost */
  if (row->kind == ROW_STATE)
    return "\033[1;34m";                /* bold blue: state */
  if (g_hash_table_contains (l->stale, &seg) || row->copy != 0)
    return "\033[1;35m";                /* magenta: stale or duplicate */
  if (strstr (row->label, "RST") != NULL)
    return "\033[1;31m";
  if (strstr (row->label, "SYN") != NULL || strstr (row->label, "FIN") != NULL)
    return "\033[32m";
  return "";
}

/* Writes `text` into line at column x, extending it with spaces. */
static void
put_at (GString *line, gsize x, const char *text)
{
  while (line->len < x)
    g_string_append_c (line, ' ');
  gsize n = strlen (text);
  if (line->len < x + n)
    g_string_set_size (line, x + n);
  memcpy (line->str + x, text, n);
}

static gsize
column_x (int column)
{
  return TIME_WIDTH + 2 + (gsize) column * COLUMN_WIDTH;
}

static void
draw_arrow (GString *line, const Row *row, gboolean stale)
{
  gboolean rightwards = row->to < 0 || row->to > row->from;
  gsize a = column_x (row->from), b = row->to >= 0 ? column_x (row->to) : a + COLUMN_WIDTH / 2;
  gsize left = MIN (a, b), right = MAX (a, b);
  for (gsize x = left; x <= right; x++)
    put_at (line, x, "-");
  put_at (line, left, "|");
  put_at (line, right, "|");
  if (row->kind == ROW_DROP)
    put_at (line, rightwards ? right - 3 : left + 3, "X"); /* lost on the way */
  else
    put_at (line, rightwards ? right - 1 : left + 1, rightwards ? ">" : "<");
  g_autofree char *label = g_strdup_printf (" %s%s%s ", row->label, row->copy ? " dup" : "",
                                            stale ? " STALE" : "");
  gsize len = strlen (label), span = right - left;
  gsize x = len + 4 < span ? left + (span - len) / 2 : left + 2;
  put_at (line, x, label);
}

void
ladder_text_render (LadderText *l, GString *out)
{
  GString *line = g_string_new (NULL);
  for (guint i = 0; i < l->hosts->len; i++)
    put_at (line, column_x ((int) i), g_ptr_array_index (l->hosts, i));
  g_string_append_printf (out, "%s\n", line->str);
  for (guint r = 0; r < l->rows->len; r++)
    {
      const Row *row = &g_array_index (l->rows, Row, r);
      if (row->from < 0)
        continue;
      g_string_truncate (line, 0);
      g_autofree char *t = sim_time_format (row->time);
      g_string_append_printf (line, "%*s", TIME_WIDTH, t);
      gint64 seg = (gint64) row->seg;
      gboolean stale = g_hash_table_contains (l->stale, &seg);
      if (row->kind == ROW_STATE)
        {
          g_autofree char *state = g_strdup_printf ("[%s]", row->label);
          put_at (line, column_x (row->from), state);
        }
      else
        {
          draw_arrow (line, row, stale);
          if (row->kind == ROW_SEGMENT && row->arrive != row->time)
            {
              g_autofree char *arrive = sim_time_format (row->arrive);
              g_string_append_printf (line, "  arrives %s", arrive);
            }
        }
      const char *colour = colour_for (l, row);
      g_string_append_printf (out, "%s%s%s\n", colour, line->str, *colour ? "\033[0m" : "");
    }
  g_string_free (line, TRUE);
}
