/* plot-tseq.c: time-sequence graphs, one per connection (tcp.send `conn`).
 *
 * y is the sequence space of the connection's sending direction relative to
 * its ISN (the seq of its first SYN, else of its first segment): data
 * segments are vertical bars seq..seq+len (SYN and FIN count one each), the
 * peer's ACKs (its tcp.send on the reversed 4-tuple, same incarnation) a
 * step line, ack+win a dashed step line. Sequence numbers are unwrapped
 * modulo 2^32. Above a threshold, points are merged per pixel column. */
#include "plot-tseq.h"

#include "plot-names.h"
#include "plot-ticks.h"

#include <stdlib.h>
#include <string.h>

#define MAX_GRAPHS 40
#define DECIMATE_THRESHOLD 20000
#define BUCKETS 1600
#define MAX_Y_TICKS 9

static const char *const inc_colours[] = {
  "#1f5fa8", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#7f7f7f",
};

typedef struct {
  gint64 t;
  gint64 lo, hi;       /* relative sequence numbers */
  gint64 raw;          /* seq or ack as on the wire */
  gint64 extra;        /* len or win */
} Point;

typedef struct {
  gint64 inc;
  GArray *data;        /* Point: lo..hi, raw seq, extra len */
  GArray *acks;        /* Point: lo = ack, hi = ack + win, raw ack, extra win */
} Series;

typedef struct {
  gint64 last_raw;
  gint64 last_rel;
} Unwrap;

typedef struct {
  gint64 conn;
  const char *host, *src, *dst;
  gint64 isn;
  gint64 inc;
  gint64 own_inc;      /* the incarnation of the sending connection (its name) */
  Unwrap seq_state, ack_state, mark_state, stale_state;
  GPtrArray *series;   /* Series, by incarnation */
  GArray *rexmits;     /* Point: lo = mark */
  GArray *dups;        /* Point: lo = mark, raw = copy, extra = arrival */
  GArray *stale;       /* Point: lo..hi, raw = seq, extra = sender's incarnation */
  GArray *flag_points; /* Point: lo = y, raw = index in flag_names */
  gint64 t_min, t_max, y_min, y_max;
  gint64 win_max;      /* highest window edge; shown only if not far above */
  guint decimated_from;
  char *name;          /* "client #2 (10.0.0.1:4000 > 10.0.0.2:80)" */
  char *stem;          /* "client-2": the files are tseq-STEM.* */
} Graph;

static const char *const flag_names[] = { "SYN", "FIN", "RST" };

static gint64
unwrap (Unwrap *u, gint64 raw)
{
  gint32 delta = (gint32) (guint32) ((guint64) raw - (guint64) u->last_raw);
  u->last_rel += delta;
  u->last_raw = raw;
  return u->last_rel;
}

static void
unwrap_init (Unwrap *u, gint64 isn)
{
  u->last_raw = isn;
  u->last_rel = 0;
}

static gboolean
has_flag (const PlotSegment *s, const char *flag)
{
  /* flags look like "SYN,ACK"; every name is distinct as a substring. */
  return strstr (s->flags, flag) != NULL;
}

static void
series_free (gpointer data)
{
  Series *s = data;
  g_array_unref (s->data);
  g_array_unref (s->acks);
  g_free (s);
}

static Series *
series_for (Graph *g, gint64 inc)
{
  for (guint i = 0; i < g->series->len; i++)
    {
      Series *s = g_ptr_array_index (g->series, i);
      if (s->inc == inc)
        return s;
    }
  Series *s = g_new0 (Series, 1);
  s->inc = inc;
  s->data = g_array_new (FALSE, FALSE, sizeof (Point));
  s->acks = g_array_new (FALSE, FALSE, sizeof (Point));
  g_ptr_array_add (g->series, s);
  return s;
}

static void
extend (Graph *g, gint64 t, gint64 lo, gint64 hi)
{
  g->t_min = MIN (g->t_min, t);
  g->t_max = MAX (g->t_max, t);
  g->y_min = MIN (g->y_min, lo);
  g->y_max = MAX (g->y_max, hi);
}

static void
graph_free (gpointer data)
{
  Graph *g = data;
  g_ptr_array_unref (g->series);
  g_array_unref (g->rexmits);
  g_array_unref (g->dups);
  g_array_unref (g->stale);
  g_array_unref (g->flag_points);
  g_free (g->name);
  g_free (g->stem);
  g_free (g);
}

static Graph *
graph_new (const PlotSegment *first)
{
  Graph *g = g_new0 (Graph, 1);
  g->conn = first->conn;
  g->host = first->host;
  g->src = first->src;
  g->dst = first->dst;
  g->inc = first->seg_inc;
  g->own_inc = first->inc > 0 ? first->inc : first->seg_inc;
  g->isn = first->seq;
  g->series = g_ptr_array_new_with_free_func (series_free);
  g->rexmits = g_array_new (FALSE, FALSE, sizeof (Point));
  g->dups = g_array_new (FALSE, FALSE, sizeof (Point));
  g->stale = g_array_new (FALSE, FALSE, sizeof (Point));
  g->flag_points = g_array_new (FALSE, FALSE, sizeof (Point));
  g->t_min = G_MAXINT64;
  g->t_max = G_MININT64;
  g->y_min = G_MAXINT64;
  g->y_max = G_MININT64;
  g->win_max = G_MININT64;
  return g;
}

static int
compare_graphs (gconstpointer a, gconstpointer b)
{
  const Graph *x = *(Graph *const *) a, *y = *(Graph *const *) b;
  return x->conn < y->conn ? -1 : x->conn > y->conn;
}

/* The connections that listened: a listening socket has no sequence
 * space of its own (its RSTs answer segments for no connection). */
static GHashTable *
listeners_of (const PlotTrace *trace)
{
  GHashTable *listeners = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < trace->states->len; i++)
    {
      const PlotStateChange *c = &g_array_index (trace->states, PlotStateChange, i);
      if (strcmp (c->to, "LISTEN") == 0)
        g_hash_table_add (listeners, g_memdup2 (&c->conn, sizeof c->conn));
    }
  return listeners;
}

/* One graph per connection that sent something, by connection id; none
 * for a listener or for the segments a stack sends for no connection
 * (conn 0: a RST answering a stray segment). */
static GPtrArray *
build_graphs (const PlotTrace *trace)
{
  GPtrArray *graphs = g_ptr_array_new_with_free_func (graph_free);
  g_autoptr (GHashTable) by_conn = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GHashTable) listeners = listeners_of (trace);
  for (guint i = 0; i < trace->segments->len; i++)
    {
      const PlotSegment *s = &g_array_index (trace->segments, PlotSegment, i);
      if (s->kind != PLOT_SEG_TCP_SEND || s->conn <= 0 || g_hash_table_contains (listeners, &s->conn))
        continue;
      Graph *g = g_hash_table_lookup (by_conn, &s->conn);
      if (g == NULL)
        {
          g = graph_new (s);
          g_ptr_array_add (graphs, g);
          g_hash_table_insert (by_conn, &g->conn, g);
        }
    }
  g_ptr_array_sort (graphs, compare_graphs);
  return graphs;
}

/* Each graph's human name and its unique file stem (plot-names.h). */
static void
name_graphs (GPtrArray *graphs)
{
  g_autoptr (GPtrArray) stems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) ports = g_ptr_array_new ();
  for (guint i = 0; i < graphs->len; i++)
    {
      Graph *g = g_ptr_array_index (graphs, i);
      PlotConnId id = { .host = g->host, .inc = g->own_inc, .local = g->src, .remote = g->dst };
      g->name = plot_conn_name (&id);
      g_ptr_array_add (stems, plot_conn_stem (&id));
      g_ptr_array_add (ports, (gpointer) plot_endpoint_port (g->src));
    }
  plot_conn_stems_unique (stems, ports);
  for (guint i = 0; i < graphs->len; i++)
    {
      Graph *g = g_ptr_array_index (graphs, i);
      g->stem = g_strdup_printf ("tseq-%s", (const char *) g_ptr_array_index (stems, i));
    }
}

/* The ISN from the first SYN the connection sent, wherever it is. */
static void
find_isn (const PlotTrace *trace, Graph *g)
{
  for (guint i = 0; i < trace->segments->len; i++)
    {
      const PlotSegment *s = &g_array_index (trace->segments, PlotSegment, i);
      if (s->kind == PLOT_SEG_TCP_SEND && s->conn == g->conn && has_flag (s, "SYN"))
        {
          g->isn = s->seq;
          return;
        }
    }
}

static void
collect (const PlotTrace *trace, Graph *g)
{
  find_isn (trace, g);
  unwrap_init (&g->seq_state, g->isn);
  unwrap_init (&g->ack_state, g->isn);
  unwrap_init (&g->mark_state, g->isn);
  unwrap_init (&g->stale_state, g->isn);
  for (guint i = 0; i < trace->segments->len; i++)
    {
      const PlotSegment *s = &g_array_index (trace->segments, PlotSegment, i);
      if (s->kind == PLOT_SEG_TCP_SEND && s->conn == g->conn)
        {
          gboolean syn = has_flag (s, "SYN"), fin = has_flag (s, "FIN"), rst = has_flag (s, "RST");
          if (s->len == 0 && !syn && !fin && !rst)
            continue;
          gint64 lo = unwrap (&g->seq_state, s->seq);
          Point p = { .t = s->t, .lo = lo, .hi = lo + s->len + syn + fin, .raw = s->seq, .extra = s->len };
          if (s->len > 0 || syn || fin)
            g_array_append_val (series_for (g, s->seg_inc)->data, p);
          extend (g, p.t, p.lo, p.hi);
          if (s->rexmit)
            {
              Point m = { .t = s->t, .lo = p.lo + (p.hi - p.lo) / 2 };
              g_array_append_val (g->rexmits, m);
            }
          for (guint f = 0; f < G_N_ELEMENTS (flag_names); f++)
            if (has_flag (s, flag_names[f]))
              {
                Point m = { .t = s->t, .lo = f == 1 ? p.hi : p.lo, .raw = f };
                g_array_append_val (g->flag_points, m);
              }
        }
      else if (s->kind == PLOT_SEG_TCP_SEND && s->src == g->dst && s->dst == g->src
               && has_flag (s, "ACK") && (g->inc <= 0 || s->seg_inc == g->inc))
        {
          gint64 ack = unwrap (&g->ack_state, s->ack);
          Point p = { .t = s->t, .lo = ack, .hi = ack + s->win, .raw = s->ack, .extra = s->win };
          g_array_append_val (series_for (g, s->seg_inc)->acks, p);
          extend (g, p.t, p.lo, p.lo);
          g->win_max = MAX (g->win_max, p.hi);
        }
      else if (s->kind == PLOT_SEG_LINK_DUP && s->seg_conn == g->conn)
        {
          gint64 lo = unwrap (&g->mark_state, s->seq);
          Point m = { .t = s->t, .lo = lo + s->len / 2, .raw = s->copy, .extra = s->arrive };
          g_array_append_val (g->dups, m);
          extend (g, m.t, m.lo, m.lo);
        }
      else if (s->kind == PLOT_SEG_TCP_RECV && s->stale && s->src == g->src && s->dst == g->dst
               && g->inc > 0 && s->inc == g->inc && s->seg_inc != g->inc)
        {
          /* A segment of an older incarnation reached this one's peer. */
          gint64 lo = unwrap (&g->stale_state, s->seq);
          Point m = { .t = s->t, .lo = lo, .hi = lo + MAX (s->len, 1), .raw = s->seq, .extra = s->seg_inc };
          g_array_append_val (g->stale, m);
          extend (g, m.t, m.lo, m.hi);
        }
    }
}

/* Merges the points of each pixel column: bars into one bar spanning them
 * all, steps into their first and last points. */
static guint
decimate (GArray *points, gboolean bars, gint64 t0, gint64 span)
{
  if (points->len == 0)
    return 0;
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (Point));
  gint64 bucket = -1;
  guint first_in_bucket = 0;
  for (guint i = 0; i < points->len; i++)
    {
      Point p = g_array_index (points, Point, i);
      gint64 b = (p.t - t0) * BUCKETS / span;
      if (b != bucket)
        {
          bucket = b;
          first_in_bucket = out->len;
          g_array_append_val (out, p);
          continue;
        }
      if (bars)
        {
          Point *q = &g_array_index (out, Point, out->len - 1);
          q->lo = MIN (q->lo, p.lo);
          q->hi = MAX (q->hi, p.hi);
        }
      else if (out->len == first_in_bucket + 1)
        g_array_append_val (out, p);
      else
        g_array_index (out, Point, out->len - 1) = p;
    }
  g_array_set_size (points, 0);
  g_array_append_vals (points, out->data, out->len);
  return points->len;
}

static guint
count_points (const Graph *g)
{
  guint n = g->rexmits->len + g->dups->len + g->stale->len + g->flag_points->len;
  for (guint i = 0; i < g->series->len; i++)
    {
      const Series *s = g_ptr_array_index (g->series, i);
      n += s->data->len + s->acks->len;
    }
  return n;
}

static void
maybe_decimate (Graph *g)
{
  guint before = count_points (g);
  if (before <= DECIMATE_THRESHOLD || g->t_max <= g->t_min)
    return;
  gint64 span = g->t_max - g->t_min + 1;
  for (guint i = 0; i < g->series->len; i++)
    {
      Series *s = g_ptr_array_index (g->series, i);
      decimate (s->data, TRUE, g->t_min, span);
      decimate (s->acks, FALSE, g->t_min, span);
    }
  decimate (g->rexmits, FALSE, g->t_min, span);
  decimate (g->dups, FALSE, g->t_min, span);
  decimate (g->stale, TRUE, g->t_min, span);
  decimate (g->flag_points, FALSE, g->t_min, span);
  g->decimated_from = before;
}

static void
write_points (GString *t, const GArray *points, gboolean with_hi)
{
  for (guint i = 0; i < points->len; i++)
    {
      const Point *p = &g_array_index (points, Point, i);
      plot_append_s (t, p->t);
      g_string_append_printf (t, " %" G_GINT64_FORMAT, p->lo);
      if (with_hi)
        g_string_append_printf (t, " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                                p->hi, p->raw, p->extra);
      g_string_append_c (t, '\n');
    }
}

static void
write_series_data (PlotData *dat, GString *plot, const char *dat_name, const Series *s,
                   const char *colour, const char *inc)
{
  g_autofree char *title = g_strdup_printf ("data%s", inc);
  guint idx = plot_data_block (dat, title, "t_s seq_from seq_to seq_raw len");
  write_points (dat->text, s->data, TRUE);
  g_string_append_printf (plot, ", \\\n  '%s' index %u using 1:2:(0):($3-$2) with vectors heads size screen 0.006,90 lw 2.5 lc rgb '%s' title 'data%s (seq..seq+len)'",
                          dat_name, idx, colour, inc);
}

static void
write_series_acks (PlotData *dat, GString *plot, const char *dat_name, const Series *s,
                   const char *colour, const char *inc, gboolean window_off_top)
{
  g_autofree char *title = g_strdup_printf ("ACKs from the peer%s", inc);
  guint idx = plot_data_block (dat, title, "t_s ack ack_plus_win ack_raw win");
  write_points (dat->text, s->acks, TRUE);
  g_string_append_printf (plot, ", \\\n  '%s' index %u using 1:2 with steps lw 2 lc rgb '%s' title 'ACK from the peer%s'",
                          dat_name, idx, colour, inc);
  g_string_append_printf (plot, ", \\\n  '%s' index %u using 1:3 with steps lw 1.5 dt 2 lc rgb '%s' title 'window edge (ack+win)%s%s'",
                          dat_name, idx, colour, inc, window_off_top ? ", above the top" : "");
}

/* Data and ACKs of each incarnation, one colour per incarnation. */
static void
write_all_series (PlotData *dat, GString *plot, const char *dat_name, const Graph *g,
                  gboolean window_off_top)
{
  for (guint i = 0; i < g->series->len; i++)
    {
      const Series *s = g_ptr_array_index (g->series, i);
      const char *colour = inc_colours[i % G_N_ELEMENTS (inc_colours)];
      g_autofree char *inc = s->inc > 0 ? g_strdup_printf (" #%" G_GINT64_FORMAT, s->inc) : g_strdup ("");
      if (s->data->len > 0)
        write_series_data (dat, plot, dat_name, s, colour, inc);
      if (s->acks->len > 0)
        write_series_acks (dat, plot, dat_name, s, colour, inc, window_off_top);
    }
}

static void
write_rexmits (PlotData *dat, GString *plot, const char *dat_name, const Graph *g)
{
  if (g->rexmits->len == 0)
    return;
  guint idx = plot_data_block (dat, "retransmissions", "t_s seq_mid");
  write_points (dat->text, g->rexmits, FALSE);
  g_string_append_printf (plot, ", \\\n  '%s' index %u using 1:2 with points pt 6 ps 2.5 lw 2 lc rgb '#e07000' title 'retransmission'",
                          dat_name, idx);
}

static void
write_dup_points (GString *t, const GArray *dups)
{
  for (guint i = 0; i < dups->len; i++)
    {
      const Point *p = &g_array_index (dups, Point, i);
      plot_append_s (t, p->t);
      g_string_append_printf (t, " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " ", p->lo, p->raw);
      plot_append_s (t, p->extra);
      g_string_append_c (t, '\n');
    }
}

static void
write_dups (PlotData *dat, GString *plot, const char *dat_name, const Graph *g)
{
  if (g->dups->len == 0)
    return;
  guint idx = plot_data_block (dat, "duplicates made by a link (at the copy's send time)",
                               "t_s seq_mid copy arrive_s");
  write_dup_points (dat->text, g->dups);
  g_string_append_printf (plot, ", \\\n  '%s' index %u using 1:2 with points pt 4 ps 2.5 lw 2 lc rgb '#8e44ad' title 'duplicate (link copy)'",
                          dat_name, idx);
}

static void
write_stale (PlotData *dat, GString *plot, const char *dat_name, const Graph *g)
{
  if (g->stale->len == 0)
    return;
  guint idx = plot_data_block (dat, "stale segments of an older incarnation that reached the peer",
                               "t_s seq_from seq_to seq_raw sender_inc");
  write_points (dat->text, g->stale, TRUE);
  /* Drawn first, wide and half transparent (alpha in the colour's first
   * byte), so the real segment sent at nearly the same time stays in
   * sight on top of it. */
  g_string_append_printf (plot, ", \\\n  '%s' index %u using 1:2:(0):($3-$2) with vectors nohead lw 10 lc rgb '#80d4001a' title 'stale copy of an older incarnation, at its arrival (pale, under)'",
                          dat_name, idx);
}


/* The top of the y range: the window edge only when it does not squash
 * the data flat; `off_top` says when it was left out. */
static gint64
graph_y_max (const Graph *g, gboolean *off_top)
{
  gint64 y_max = g->y_max;
  *off_top = FALSE;
  if (g->win_max > y_max)
    {
      if (g->win_max - y_max <= MAX (y_max - g->y_min, 1000))
        y_max = g->win_max;
      else
        *off_top = TRUE;
    }
  return y_max;
}

/* Explicit y tick labels: whole bytes at a round step, so no two are
 * alike and none reads "-0". */
static void
append_y_tics (GString *gp, gint64 lo, gint64 hi)
{
  gint64 step = plot_tick_step (hi - lo, MAX_Y_TICKS, 1);
  g_string_append (gp, "set ytics (");
  for (gint64 y = plot_tick_first (lo, step); y <= hi; y += step)
    g_string_append_printf (gp, "%s'%" G_GINT64_FORMAT "' %" G_GINT64_FORMAT,
                            y > plot_tick_first (lo, step) ? ", " : "", y, y);
  g_string_append (gp, ")\n");
}

/* What the graph shows: its x range (ns) and y range (bytes). */
typedef struct {
  gint64 t_lo, t_hi;
  gint64 y_lo, y_hi;
} View;

static View
view_of (const Graph *g)
{
  gboolean window_off_top;
  gint64 y_max = graph_y_max (g, &window_off_top);
  gint64 t_pad = MAX ((g->t_max - g->t_min) / 25, 1000000);
  gint64 y_pad = MAX ((y_max - g->y_min) / 12, 1);
  View v = { g->t_min - t_pad, g->t_max + t_pad, g->y_min - y_pad, y_max + y_pad };
  return v;
}

/* The graph's frame in the image, px: the script sets these margins, so a
 * label placed here in pixels is where gnuplot draws it. */
#define MARGIN_LEFT_PX 100.0
#define MARGIN_RIGHT_PX 30.0
#define MARGIN_TOP_PX 60.0
#define MARGIN_BOTTOM_PX 70.0
#define FRAME_W_PX (PLOT_WIDTH - MARGIN_LEFT_PX - MARGIN_RIGHT_PX)
#define FRAME_H_PX (PLOT_HEIGHT - MARGIN_TOP_PX - MARGIN_BOTTOM_PX)
#define CHAR_EM 0.8     /* a character's width, in font sizes (pngcairo's Sans draws 0.76) */
#define LINE_EM 1.3     /* a line's height, in font sizes */
#define GAP_PX 4.0      /* the least room between two labels */
#define NUDGE_PX 8.0    /* a label's distance from its point */
#define KEY_FONT 12.0

typedef struct {
  double x0, x1, y0, y1;   /* px from the frame's bottom left */
} Box;

static gboolean
boxes_meet (const Box *a, const Box *b)
{
  return a->x0 < b->x1 + GAP_PX && b->x0 < a->x1 + GAP_PX
         && a->y0 < b->y1 + GAP_PX && b->y0 < a->y1 + GAP_PX;
}

/* One kind of text label: its style, and the rows placed left- and
 * right-aligned (two data blocks, one `with labels` clause each). */
typedef struct {
  const char *what;        /* the data blocks' comment */
  const char *colour;
  double font;             /* points */
  GString *left, *right;   /* rows "t y \"text\"" */
} LabelKind;

/* Where labels go: the view, and the boxes already taken (the key first). */
typedef struct {
  View v;
  GArray *taken;           /* Box */
} Placer;

static double
px_of_t (const View *v, gint64 t)
{
  return (double) (t - v->t_lo) / (double) (v->t_hi - v->t_lo) * FRAME_W_PX;
}

static double
px_of_y (const View *v, gint64 y)
{
  return (double) (y - v->y_lo) / (double) (v->y_hi - v->y_lo) * FRAME_H_PX;
}

/* The key, inside the top left corner: one row a title, as wide as the
 * longest title and its sample. */
static Box
key_box (const GString *plot)
{
  guint rows = 0;
  gsize longest = 0;
  for (const char *p = strstr (plot->str, " title '"); p != NULL; p = strstr (p + 1, " title '"))
    {
      const char *text = p + strlen (" title '");
      const char *close = strchr (text, '\'');
      gsize n = close != NULL ? g_utf8_strlen (text, close - text) : 0;
      longest = MAX (longest, n);
      rows++;
    }
  double w = (double) longest * CHAR_EM * KEY_FONT + 90.0;
  double h = (double) rows * 1.1 * LINE_EM * KEY_FONT + 12.0;
  Box b = { 0, w, FRAME_H_PX - h, FRAME_H_PX };
  return b;
}

/* TEXT beside the point (t, y): right of it and above, left and above,
 * right and below, left and below, the first place that leaves the
 * frame's inside and touches no label taken. FALSE when there is none:
 * the label is left out. */
static gboolean
place_label (Placer *pl, LabelKind *kind, gint64 t, gint64 y, const char *text)
{
  double px = px_of_t (&pl->v, t), py = px_of_y (&pl->v, y);
  double w = (double) g_utf8_strlen (text, -1) * CHAR_EM * kind->font;
  double h = LINE_EM * kind->font;
  static const int sides[4][2] = { { 1, 1 }, { -1, 1 }, { 1, -1 }, { -1, -1 } };
  for (guint c = 0; c < G_N_ELEMENTS (sides); c++)
    {
      double ax = px + sides[c][0] * NUDGE_PX, ay = py + sides[c][1] * (h / 2 + 2);
      Box b = { sides[c][0] > 0 ? ax : ax - w, sides[c][0] > 0 ? ax + w : ax, ay - h / 2, ay + h / 2 };
      gboolean room = b.x0 >= 0 && b.x1 <= FRAME_W_PX && b.y0 >= 0 && b.y1 <= FRAME_H_PX;
      for (guint k = 0; k < pl->taken->len && room; k++)
        room = !boxes_meet (&b, &g_array_index (pl->taken, Box, k));
      if (!room)
        continue;
      g_array_append_val (pl->taken, b);
      GString *rows = sides[c][0] > 0 ? kind->left : kind->right;
      gint64 at_t = pl->v.t_lo + (gint64) (ax / FRAME_W_PX * (double) (pl->v.t_hi - pl->v.t_lo));
      plot_append_s (rows, at_t);
      g_string_append_printf (rows, " %.3f \"%s\"\n",
                              (double) pl->v.y_lo + ay / FRAME_H_PX * (double) (pl->v.y_hi - pl->v.y_lo),
                              text);
      return TRUE;
    }
  return FALSE;
}

static void
write_label_kind (PlotData *dat, GString *plot, const char *dat_name, LabelKind *kind)
{
  GString *blocks[2] = { kind->left, kind->right };
  static const char *const align[2] = { "left", "right" };
  for (guint i = 0; i < 2; i++)
    {
      if (blocks[i]->len == 0)
        continue;
      g_autofree char *what = g_strdup_printf ("%s, %s-aligned at the label's place", kind->what, align[i]);
      guint idx = plot_data_block (dat, what, "t_s y \"text\"");
      g_string_append (dat->text, blocks[i]->str);
      g_string_append_printf (plot, ", \\\n  '%s' index %u using 1:2:3 with labels %s font ',%g' tc rgb '%s' notitle",
                              dat_name, idx, align[i], kind->font, kind->colour);
    }
  g_string_free (kind->left, TRUE);
  g_string_free (kind->right, TRUE);
}

/* The text labels, most telling first: which incarnation a stale copy
 * came from, when each link copy arrives, then SYN, FIN and RST. A label
 * that would touch one already placed (SYNs retransmitted a second apart
 * on a 2 minute graph), the key, or the frame is left out. */
static void
write_labels (PlotData *dat, GString *plot, const char *dat_name, const Graph *g)
{
  Placer pl = { view_of (g), g_array_new (FALSE, FALSE, sizeof (Box)) };
  Box key = key_box (plot);
  g_array_append_val (pl.taken, key);
  LabelKind stale = { "stale copies: the incarnation they came from", "#d4001a", 11,
                      g_string_new (NULL), g_string_new (NULL) };
  LabelKind copies = { "link copies: when they arrive", "#8e44ad", 10,
                       g_string_new (NULL), g_string_new (NULL) };
  LabelKind flags = { "SYN, FIN and RST (labels that would touch another left out)", "#333333", 11,
                      g_string_new (NULL), g_string_new (NULL) };
  for (guint i = 0; i < g->stale->len; i++)
    {
      const Point *p = &g_array_index (g->stale, Point, i);
      g_autofree char *text = g_strdup_printf ("#%" G_GINT64_FORMAT " STALE", p->extra);
      place_label (&pl, &stale, p->t, p->hi, text);
    }
  for (guint i = 0; i < g->dups->len; i++)
    {
      const Point *p = &g_array_index (g->dups, Point, i);
      g_autofree char *text = g_strdup_printf ("copy %" G_GINT64_FORMAT " arrives %.3f s", p->raw,
                                               (double) p->extra / 1e9);
      place_label (&pl, &copies, p->t, p->lo, text);
    }
  for (guint i = 0; i < g->flag_points->len; i++)
    {
      const Point *p = &g_array_index (g->flag_points, Point, i);
      place_label (&pl, &flags, p->t, p->lo, flag_names[p->raw]);
    }
  write_label_kind (dat, plot, dat_name, &stale);
  write_label_kind (dat, plot, dat_name, &copies);
  write_label_kind (dat, plot, dat_name, &flags);
  g_array_unref (pl.taken);
}

static GString *
graph_script (const Graph *g, const char *name, const char *who, const GString *plot)
{
  View v = view_of (g);
  GString *gp = g_string_new (NULL);
  g_autofree char *about = g_strdup_printf ("time-sequence graph of %s", who);
  g_autofree char *title = g_strdup_printf ("Time-sequence graph: %s", who);
  plot_script_begin (gp, name, about, title);
  g_autofree char *ylabel = g_strdup_printf ("sequence number (bytes from ISN %" G_GINT64_FORMAT ")", g->isn);
  g_string_append (gp, "set xlabel 'time (s)'\nset ylabel ");
  plot_append_gp_str (gp, ylabel);
  g_string_append_printf (gp, "\nset lmargin at screen %.6f\nset rmargin at screen %.6f\n"
                              "set tmargin at screen %.6f\nset bmargin at screen %.6f\n",
                          MARGIN_LEFT_PX / PLOT_WIDTH, 1.0 - MARGIN_RIGHT_PX / PLOT_WIDTH,
                          1.0 - MARGIN_TOP_PX / PLOT_HEIGHT, MARGIN_BOTTOM_PX / PLOT_HEIGHT);
  g_string_append (gp, "set key inside top left box opaque spacing 1.1\n"
                       "set grid lc rgb '#e0e0e0'\n"
                       "set format x '%g'\n");
  append_y_tics (gp, v.y_lo, v.y_hi);
  g_string_append (gp, "set xrange [");
  plot_append_s (gp, v.t_lo);
  g_string_append_c (gp, ':');
  plot_append_s (gp, v.t_hi);
  g_string_append_printf (gp, "]\nset yrange [%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT "]\n",
                          v.y_lo, v.y_hi);
  g_string_append (gp, plot->str);
  g_string_append_c (gp, '\n');
  plot_script_end (gp);
  return gp;
}

static gboolean
write_graph (const Graph *g, const char *dir, GPtrArray *scripts, GError **error)
{
  g_autofree char *name = g_strdup (g->stem);
  g_autofree char *dat_name = g_strdup_printf ("%s.dat", name);
  g_autofree char *gp_name = g_strdup_printf ("%s.gp", name);
  const char *who = g->name;
  g_autoptr (GString) header = g_string_new (NULL);
  g_string_append_printf (header, "# %s: time-sequence graph of ", dat_name);
  plot_append_comment_text (header, who);
  g_string_append_printf (header,
    " drawn by %s (written by twsim).\n"
    "# Times in s; sequence numbers in bytes from the ISN %" G_GINT64_FORMAT " (seq of the first SYN sent).\n"
    "%s\n",
    gp_name, g->isn,
    g->decimated_from > 0 ? "# Points merged per pixel column (too many to draw one by one).\n" : "");
  PlotData dat;
  plot_data_init (&dat, header->str);
  gboolean window_off_top;
  graph_y_max (g, &window_off_top);
  g_autoptr (GString) plot = g_string_new ("plot NaN notitle");
  write_stale (&dat, plot, dat_name, g);
  write_all_series (&dat, plot, dat_name, g, window_off_top);
  write_rexmits (&dat, plot, dat_name, g);
  write_dups (&dat, plot, dat_name, g);
  write_labels (&dat, plot, dat_name, g);
  g_autoptr (GString) gp = graph_script (g, name, who, plot);

  gboolean ok = plot_write_file (dir, dat_name, dat.text, error)
                && plot_write_file (dir, gp_name, gp, error);
  if (ok)
    g_ptr_array_add (scripts, g_steal_pointer (&name));
  plot_data_clear (&dat);
  return ok;
}

gboolean
plot_tseq_write (const PlotTrace *trace, const PlotOptions *opts, const char *dir,
                 GPtrArray *scripts, GPtrArray *notes, GError **error)
{
  g_autoptr (GPtrArray) graphs = build_graphs (trace);
  name_graphs (graphs);
  if (graphs->len > MAX_GRAPHS)
    {
      g_ptr_array_add (notes, g_strdup_printf ("tseq: %u connections sent segments; graphs for the first %u opened only",
                                               graphs->len, MAX_GRAPHS));
      g_ptr_array_set_size (graphs, MAX_GRAPHS);
    }
  for (guint i = 0; i < graphs->len; i++)
    {
      Graph *g = g_ptr_array_index (graphs, i);
      collect (trace, g);
      if (g->t_max < g->t_min)
        continue;
      maybe_decimate (g);
      if (g->decimated_from > 0)
        g_ptr_array_add (notes, g_strdup_printf ("%s: %u points merged per pixel column into %u",
                                                 g->stem, g->decimated_from, count_points (g)));
      if (!write_graph (g, dir, scripts, error))
        return FALSE;
    }
  return TRUE;
}
