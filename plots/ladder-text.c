/* ladder-text.c: collects segments, state changes and verdicts from the
 * trace, then draws them as rows of a ladder.
 *
 * A segment the link delivers after its ordinary delay is one arrow on the
 * row of its sending. A copy the link made (link.dup), or a segment it held
 * or delayed (link.delay), is a stub `|~~` on the row of its sending and a
 * `~~>|` arrow on the row of its arrival (the tcp.recv of the same segment
 * id and copy number); that arrival says whether it was stale. */
#include "ladder-text.h"

#include <string.h>

/* Room kept right of the last column for a state such as [SYN-RECEIVED]. */
#define RIGHT_ROOM 16
#define MAX_GAP 72
#define MIN_GAP 8

typedef enum {
  ROW_SEGMENT, /* an arrow on the row of its sending */
  ROW_DROP,    /* lost on the way: half an arrow ending in X */
  ROW_DEPART,  /* a copy, held or delayed segment leaving: a stub */
  ROW_ARRIVE,  /* ...and arriving: a wavy arrow */
  ROW_STATE,
  ROW_MARK,    /* a verdict or an event that decides the story */
} RowKind;

typedef struct {
  RowKind kind;
  SimTime time;
  guint order;    /* event order, for rows of the same time */
  int from;       /* column index */
  int to;         /* column index; -1 when unknown */
  gint64 seg;
  gint64 copy;
  gboolean stale; /* its arrival was accepted from another incarnation */
  char *label;    /* "SYN,ACK 5000:1001 (0) #1", "SYN-SENT", "CORRUPTION" */
} Row;

/* A copy or held segment between its sending and its arrival. */
typedef struct {
  int from, to;
  SimTime sent;
  char *label;
} InFlight;

struct _LadderText {
  GPtrArray *hosts;       /* char * */
  GArray *rows;           /* Row */
  GHashTable *in_flight;  /* "seg/copy" -> InFlight*, lookups only */
  SimTime last_time;
  gboolean colour;
  gsize time_width;
  gsize gap;              /* columns between two hosts' lifelines */
};

static void
row_clear (gpointer p)
{
  g_free (((Row *) p)->label);
}

static void
in_flight_free (gpointer p)
{
  InFlight *f = p;
  g_free (f->label);
  g_free (f);
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
  l->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, in_flight_free);
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
  g_hash_table_destroy (l->in_flight);
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

static char *
flight_key (const SimTraceEvent *ev)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, sim_trace_event_int (ev, "seg", 0),
                          sim_trace_event_int (ev, "copy", 0));
}

static void
add_row (LadderText *l, Row row)
{
  row.order = l->rows->len;
  g_array_append_val (l->rows, row);
}

static Row
row_of_link_event (LadderText *l, const SimTraceEvent *ev, RowKind kind)
{
  Row row = { .kind = kind, .time = ev->time };
  columns_of_link (l, sim_trace_event_str (ev, "link"), &row.from, &row.to);
  row.seg = sim_trace_event_int (ev, "seg", 0);
  row.copy = sim_trace_event_int (ev, "copy", 0);
  return row;
}

/* The segment of `ev` leaves now and arrives at its "arrive": a stub row
 * saying why (`what`), and a note for its arrival. */
static void
depart (LadderText *l, const SimTraceEvent *ev, const char *what)
{
  Row row = row_of_link_event (l, ev, ROW_DEPART);
  g_autofree char *at = sim_time_format (sim_trace_event_int (ev, "arrive", ev->time));
  g_autofree char *seg_label = segment_label (ev);
  row.label = row.copy > 0 ? g_strdup_printf ("%s copy %" G_GINT64_FORMAT ", arrives %s",
                                              seg_label, row.copy, at)
                           : g_strdup_printf ("%s %s, arrives %s", seg_label, what, at);
  InFlight *f = g_new0 (InFlight, 1);
  f->from = row.from;
  f->to = row.to;
  f->sent = ev->time;
  f->label = g_strdup_printf ("%s %s", seg_label, row.copy > 0 ? "copy" : what);
  g_hash_table_replace (l->in_flight, flight_key (ev), f);
  add_row (l, row);
}

/* link.delay after link.send: the arrow already drawn becomes a stub. */
static void
delay_last_arrow (LadderText *l, const SimTraceEvent *ev)
{
  gint64 seg = sim_trace_event_int (ev, "seg", 0), copy = sim_trace_event_int (ev, "copy", 0);
  for (guint r = l->rows->len; r > 0; r--)
    {
      Row *row = &g_array_index (l->rows, Row, r - 1);
      if (row->kind == ROW_SEGMENT && row->seg == seg && row->copy == copy)
        {
          g_array_remove_index (l->rows, r - 1);
          break;
        }
    }
  const char *why = sim_trace_event_str (ev, "why");
  depart (l, ev, why != NULL && strstr (why, "hold") != NULL ? "held" : "delayed");
}

/* " STALE" on a segment of another incarnation that was accepted; with
 * the receiver's verdict when it was not: " STALE (paws)". */
static char *
stale_note (const SimTraceEvent *recv)
{
  const char *verdict = sim_trace_event_str (recv, "verdict");
  if (verdict == NULL || strcmp (verdict, "accepted") == 0)
    return g_strdup (" STALE");
  return g_strdup_printf (" STALE (%s)", verdict);
}

static void
mark_stale_arrow (LadderText *l, const SimTraceEvent *recv)
{
  gint64 seg = sim_trace_event_int (recv, "seg", 0), copy = sim_trace_event_int (recv, "copy", 0);
  for (guint r = l->rows->len; r > 0; r--)
    {
      Row *row = &g_array_index (l->rows, Row, r - 1);
      if (row->kind == ROW_SEGMENT && row->seg == seg && row->copy == copy)
        {
          g_autofree char *note = stale_note (recv);
          char *label = g_strconcat (row->label, note, NULL);
          g_free (row->label);
          row->label = label;
          row->stale = TRUE;
          return;
        }
    }
}

/* A segment reaches a host: a copy or held segment is drawn now. */
static void
arrive (LadderText *l, const SimTraceEvent *ev)
{
  g_autofree char *key = flight_key (ev);
  gboolean stale = sim_trace_event_int (ev, "stale", 0) != 0;
  InFlight *f = g_hash_table_lookup (l->in_flight, key);
  if (f == NULL)
    {
      if (stale)
        mark_stale_arrow (l, ev);
      return;
    }
  g_autofree char *sent = sim_time_format (f->sent);
  Row row = { .kind = ROW_ARRIVE, .time = ev->time, .from = f->from, .to = f->to,
              .seg = sim_trace_event_int (ev, "seg", 0), .copy = sim_trace_event_int (ev, "copy", 0),
              .stale = stale };
  g_autofree char *note = stale ? stale_note (ev) : g_strdup ("");
  row.label = g_strdup_printf ("%s, sent %s%s", f->label, sent, note);
  add_row (l, row);
  g_hash_table_remove (l->in_flight, key);
}

/* A mark on the host's column: what the story hinges on. */
static void
mark (LadderText *l, const SimTraceEvent *ev, char *label)
{
  Row row = { .kind = ROW_MARK, .time = ev->time, .from = column_of (l, ev->host), .to = -1 };
  row.label = label;
  if (row.from < 0)
    row.from = 0;
  add_row (l, row);
}

/* "PORT REUSE WITHOUT TIME-WAIT: ..." -> "PORT REUSE WITHOUT TIME-WAIT". */
static char *
verdict_label (const SimTraceEvent *ev)
{
  const char *text = ev->text != NULL ? ev->text->str : "";
  const char *colon = strchr (text, ':');
  if (colon != NULL && colon > text && colon - text <= 40)
    return g_strdup_printf ("** %.*s **", (int) (colon - text), text);
  return g_ascii_strup (ev->kind + strlen ("verdict."), -1);
}

static void
mark_event (LadderText *l, const SimTraceEvent *ev)
{
  gint64 len = sim_trace_event_int (ev, "len", 0);
  if (g_str_has_prefix (ev->kind, "verdict."))
    mark (l, ev, verdict_label (ev));
  else if (strcmp (ev->kind, "tcp.stale-data") == 0)
    mark (l, ev, g_strdup_printf ("!! stale accepted: %" G_GINT64_FORMAT " bytes of #%" G_GINT64_FORMAT
                                  " into #%" G_GINT64_FORMAT, len,
                                  sim_trace_event_int (ev, "seg_inc", 0), sim_trace_event_int (ev, "inc", 0)));
  else if (strcmp (ev->kind, "tcp.data-lost") == 0)
    mark (l, ev, g_strdup_printf ("!! new data discarded: %" G_GINT64_FORMAT " bytes of #%" G_GINT64_FORMAT,
                                  len, sim_trace_event_int (ev, "inc", 0)));
  else if (strcmp (ev->kind, "tcp.killed-by-stale") == 0)
    mark (l, ev, g_strdup ("!! killed by a stale segment"));
  else if (strcmp (ev->kind, "tcp.assassinated") == 0)
    mark (l, ev, g_strdup ("!! TIME-WAIT assassinated"));
}

static void
add_link_row (LadderText *l, const SimTraceEvent *ev, RowKind kind)
{
  Row row = row_of_link_event (l, ev, kind);
  row.label = segment_label (ev);
  add_row (l, row);
}

void
ladder_text_sink (const SimTraceEvent *ev, gpointer data)
{
  LadderText *l = data;
  l->last_time = MAX (l->last_time, ev->time);
  /* A segment injected straight into a host is drawn as if sent over a
   * link without delay (net.inject has the same fields then). */
  gboolean direct_inject = strcmp (ev->kind, "net.inject") == 0
                           && sim_trace_event_str (ev, "link") != NULL;
  if (strcmp (ev->kind, "link.send") == 0 || direct_inject)
    add_link_row (l, ev, ROW_SEGMENT);
  else if (strcmp (ev->kind, "link.drop") == 0)
    add_link_row (l, ev, ROW_DROP);
  else if (strcmp (ev->kind, "link.dup") == 0)
    depart (l, ev, "copy");
  else if (strcmp (ev->kind, "link.delay") == 0)
    delay_last_arrow (l, ev);
  else if (strcmp (ev->kind, "net.drop") == 0)
    {
      Row row = { .kind = ROW_DROP, .time = ev->time, .from = column_of (l, ev->host), .to = -1 };
      row.seg = sim_trace_event_int (ev, "seg", 0);
      row.label = segment_label (ev);
      add_row (l, row);
    }
  else if (strcmp (ev->kind, "tcp.state") == 0)
    {
      Row row = { .kind = ROW_STATE, .time = ev->time, .from = column_of (l, ev->host), .to = -1 };
      row.label = g_strdup (sim_trace_event_str (ev, "to"));
      add_row (l, row);
    }
  else if (strcmp (ev->kind, "tcp.recv") == 0)
    arrive (l, ev);
  else
    mark_event (l, ev);
}

/* ---- drawing ---- */

static const char *
colour_for (LadderText *l, const Row *row)
{
  if (!l->colour)
    return "";
  switch (row->kind)
    {
    case ROW_DROP:
      return "\033[31m";                /* red: lost */
    case ROW_STATE:
      return "\033[1;34m";              /* bold blue: state */
    case ROW_MARK:
      return "\033[1;41;37m";           /* white on red: the verdict */
    case ROW_DEPART:
    case ROW_ARRIVE:
      return row->stale ? "\033[1;31m" : "\033[1;35m"; /* magenta: copy or held */
    case ROW_SEGMENT:
      break;
    }
  if (row->stale)
    return "\033[1;31m";
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
column_x (const LadderText *l, int column)
{
  return l->time_width + 2 + (gsize) column * l->gap;
}

/* `text` at x, moved left so that it ends within the width; cut when even
 * that is too long. */
static void
put_within (GString *line, gsize x, const char *text)
{
  gsize n = strlen (text);
  if (n > LADDER_TEXT_WIDTH)
    n = LADDER_TEXT_WIDTH;
  if (x + n > LADDER_TEXT_WIDTH)
    x = LADDER_TEXT_WIDTH - n;
  g_autofree char *cut = g_strndup (text, n);
  put_at (line, x, cut);
}

/* A label on the arrow between left and right when it fits, else beside
 * it (right, then left), else on the line `above` the arrow, from its left
 * end and within the width. */
static void
put_label (GString *line, GString *above, gsize left, gsize right, const char *label)
{
  g_autofree char *padded = g_strdup_printf (" %s ", label);
  gsize n = strlen (padded), span = right - left;
  if (n + 4 <= span)
    put_at (line, left + 2 + (span - 4 - n) / 2, padded);
  else if (right + 1 + n <= LADDER_TEXT_WIDTH)
    put_at (line, right + 1, padded);
  else if (n + 1 <= left)
    put_at (line, left - 1 - n + 1, padded);
  else
    put_within (above, left + 1, padded);
}

static gboolean
rightwards (const Row *row)
{
  return row->to < 0 || row->to > row->from;
}

static void
draw_arrow (LadderText *l, GString *line, GString *above, const Row *row, const char *label)
{
  gsize a = column_x (l, row->from);
  gsize b = row->to >= 0 && row->to != row->from ? column_x (l, row->to)
                                                 : a + MAX (l->gap / 2, (gsize) MIN_GAP);
  if (row->to < 0 && row->kind == ROW_DROP)
    b = a + MAX (l->gap / 2, (gsize) MIN_GAP);
  gsize left = MIN (a, b), right = MAX (a, b);
  const char *shaft = row->kind == ROW_ARRIVE ? "~" : "-";
  for (gsize x = left; x <= right; x++)
    put_at (line, x, shaft);
  put_at (line, left, "|");
  put_at (line, right, "|");
  if (row->kind == ROW_DROP)
    {
      /* Lost on the way: the arrow stops halfway. */
      gsize mid = left + (right - left) / 2;
      for (gsize x = rightwards (row) ? mid + 1 : left + 1; x < (rightwards (row) ? right : mid); x++)
        put_at (line, x, " ");
      put_at (line, mid, "X");
      put_label (line, above, rightwards (row) ? left : mid, rightwards (row) ? mid : right, label);
      return;
    }
  put_at (line, rightwards (row) ? right - 1 : left + 1, rightwards (row) ? ">" : "<");
  put_label (line, above, left, right, label);
}

/* The stub of a copy or held segment leaving: `|~~` towards the receiver,
 * then the label. */
static void
draw_departure (LadderText *l, GString *line, const Row *row)
{
  gsize x = column_x (l, row->from);
  g_autofree char *label = g_strdup_printf (" %s", row->label);
  if (rightwards (row))
    {
      put_at (line, x, "|~~");
      put_within (line, x + 3, label);
    }
  else
    {
      put_at (line, x - 2, "~~|");
      gsize n = strlen (label) + 1;
      put_within (line, x >= n + 2 ? x - 2 - n : 0, label);
    }
}

static void
draw_lifelines (LadderText *l, GString *line)
{
  for (guint i = 0; i < l->hosts->len; i++)
    put_at (line, column_x (l, (int) i), ":");
}

static void
draw_row (LadderText *l, const Row *row, GString *line, GString *above)
{
  switch (row->kind)
    {
    case ROW_STATE:
      {
        g_autofree char *state = g_strdup_printf ("[%s]", row->label);
        put_within (line, column_x (l, row->from), state);
      }
      break;
    case ROW_MARK:
      put_within (line, column_x (l, row->from), row->label);
      break;
    case ROW_DEPART:
      draw_departure (l, line, row);
      break;
    case ROW_SEGMENT:
    case ROW_DROP:
    case ROW_ARRIVE:
      draw_arrow (l, line, above, row, row->label);
      break;
    }
}

static gint
row_order (gconstpointer pa, gconstpointer pb)
{
  const Row *a = pa, *b = pb;
  if (a->time != b->time)
    return a->time < b->time ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

/* The time column and the gap between lifelines, so that a line fits the
 * width with up to 4 hosts. */
static void
lay_out (LadderText *l, const GArray *times)
{
  l->time_width = 6;
  for (guint i = 0; i < times->len; i++)
    {
      g_autofree char *t = sim_time_format (g_array_index (times, SimTime, i));
      l->time_width = MAX (l->time_width, strlen (t));
    }
  guint n = MAX (l->hosts->len, 2);
  gsize room = LADDER_TEXT_WIDTH - (l->time_width + 2) - RIGHT_ROOM;
  l->gap = CLAMP (room / (n - 1), (gsize) MIN_GAP, (gsize) MAX_GAP);
  g_array_sort (l->rows, row_order);
}

static void
emit_line (LadderText *l, GString *out, GString *line, const char *colour)
{
  while (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);
  g_string_append_printf (out, "%s%s%s\n", colour, line->str, *colour ? "\033[0m" : "");
  (void) l;
}

static void
start_line (LadderText *l, GString *line, SimTime t, gboolean show_time)
{
  g_string_truncate (line, 0);
  g_autofree char *text = show_time ? sim_time_format (t) : g_strdup ("");
  g_string_append_printf (line, "%*s", (int) l->time_width, text);
  draw_lifelines (l, line);
}

const char *
ladder_text_legend (void)
{
  return "legend: --> segment  ~~> copy or held segment, at its arrival  X lost  [STATE]  "
         "!! ** verdict";
}

static void
render_header (LadderText *l, GString *out, GString *line)
{
  g_string_truncate (line, 0);
  for (guint i = 0; i < l->hosts->len; i++)
    put_within (line, column_x (l, (int) i), g_ptr_array_index (l->hosts, i));
  emit_line (l, out, line, "");
}

void
ladder_text_add_times (LadderText *l, GArray *times)
{
  for (guint r = 0; r < l->rows->len; r++)
    {
      const Row *row = &g_array_index (l->rows, Row, r);
      if (row->from >= 0)
        g_array_append_val (times, row->time);
    }
}

void
ladder_text_render_aligned (LadderText *l, const GArray *times, GString *out)
{
  lay_out (l, times);
  GString *line = g_string_new (NULL);
  GString *above = g_string_new (NULL);
  render_header (l, out, line);
  guint r = 0;
  for (guint i = 0; i < times->len; i++)
    {
      SimTime t = g_array_index (times, SimTime, i);
      gboolean drawn = FALSE;
      for (; r < l->rows->len && g_array_index (l->rows, Row, r).time <= t; r++)
        {
          const Row *row = &g_array_index (l->rows, Row, r);
          if (row->from < 0)
            continue;
          start_line (l, above, t, !drawn);
          g_autofree char *bare = g_strdup (above->str);
          start_line (l, line, t, FALSE);
          draw_row (l, row, line, above);
          if (strcmp (above->str, bare) != 0)
            emit_line (l, out, above, colour_for (l, row));
          else
            g_string_overwrite_len (line, 0, above->str, MIN (l->time_width, line->len));
          emit_line (l, out, line, colour_for (l, row));
          drawn = TRUE;
        }
      if (!drawn)
        {
          start_line (l, line, t, TRUE);
          emit_line (l, out, line, "");
        }
    }
  g_string_append_printf (out, "%s\n", ladder_text_legend ());
  g_string_free (line, TRUE);
  g_string_free (above, TRUE);
}

static gint
time_order (gconstpointer pa, gconstpointer pb)
{
  SimTime a = *(const SimTime *) pa, b = *(const SimTime *) pb;
  return a < b ? -1 : a > b;
}

/* Sorts `times` and removes repeats. */
static void
times_unique (GArray *times)
{
  g_array_sort (times, time_order);
  guint kept = 0;
  for (guint i = 0; i < times->len; i++)
    if (kept == 0 || g_array_index (times, SimTime, kept - 1) != g_array_index (times, SimTime, i))
      g_array_index (times, SimTime, kept++) = g_array_index (times, SimTime, i);
  g_array_set_size (times, kept);
}

void
ladder_text_render (LadderText *l, GString *out)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (SimTime));
  ladder_text_add_times (l, times);
  times_unique (times);
  ladder_text_render_aligned (l, times, out);
}

void
ladder_text_render_together (LadderText *const *ladders, const char *const *titles, guint n,
                             GString *out)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (SimTime));
  for (guint i = 0; i < n; i++)
    ladder_text_add_times (ladders[i], times);
  times_unique (times);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (out, "%s%s\n", i > 0 ? "\n" : "", titles[i]);
      ladder_text_render_aligned (ladders[i], times, out);
    }
}
