/* plot-ladder.c: the ladder diagram.
 *
 * Arrows come from link-level events (link.send, link.dup, link.drop,
 * net.drop): one per segment copy put on a link, from the sender's column
 * at send time to the receiver's column at arrival time; drops end halfway
 * in an X. A link.delay moves the arrival of the arrow it follows (or is an
 * arrow of its own). An arrow whose arrival tcp.recv (same seg id, copy and
 * time) says `stale` is drawn as stale. Endpoints are mapped to hosts
 * through tcp.send (src) and tcp.recv (dst).
 *
 * Time runs down in ms. Idle stretches much longer than the usual spacing
 * of events (an RTO, TIME-WAIT's 2 x MSL) are cut out of the axis and drawn
 * as a grey band saying how long they were, so the segments stay legible. */
#include "plot-ladder.h"

#include "plot-labels.h"
#include "plot-names.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 300
#define MAX_CUTS 32
/* The graph's margins in the image, px (set in the script, so that labels
 * can be placed in pixels). */
/* The left margin holds the y label and the tick labels: MARGIN_LEFT_BASE
 * px and TICK_CHAR_PX per character of the longest. */
#define MARGIN_LEFT_BASE 48
#define TICK_CHAR_PX 9
#define MARGIN_RIGHT 25
#define MARGIN_TOP 105
/* The bottom margin holds the key: MARGIN_BOTTOM_BASE px and a row of
 * KEY_ROW_PX per two entries (gnuplot lays them out in two columns or
 * more). */
#define MARGIN_BOTTOM_BASE 30
#define KEY_ROW_PX 21
#define LABEL_GAP_PX 18   /* between a column and the labels beside it */
#define BRACKET_GAP_PX 9  /* between a column and its TIME-WAIT bracket */
/* A hidden label has 0 in its data's `shown` column; the scripts put it
 * far outside the y range rather than at NaN: gnuplot 5.4 crashes on a
 * `with labels` plot whose every point is undefined, and draws no label
 * whose point is out of range. */
#define HIDDEN_Y "1e30"
#define SHOWN_Y(col, shown) "($" #shown " > 0 ? $" #col " : " HIDDEN_Y ")"

typedef enum {
  CAT_NORMAL,
  CAT_REXMIT,
  CAT_DELAYED,
  CAT_DUPLICATE,
  CAT_STALE,
  CAT_DROPPED,
} Category;

#define N_CATEGORIES 6

static const struct {
  const char *title;
  const char *colour;
  const char *style;
} categories[N_CATEGORIES] = {
  [CAT_NORMAL] = { "segment", "#1f5fa8", "head filled size screen 0.010,20 lw 1.5" },
  [CAT_REXMIT] = { "retransmission", "#e07000", "head filled size screen 0.010,20 lw 2" },
  [CAT_DELAYED] = { "delayed or held (link)", "#138d75", "head filled size screen 0.010,20 lw 2 dt 3" },
  [CAT_DUPLICATE] = { "duplicate (link copy)", "#8e44ad", "head filled size screen 0.010,20 lw 2 dt 4" },
  [CAT_STALE] = { "stale (older incarnation)", "#d4001a", "head filled size screen 0.013,20 lw 3.5" },
  [CAT_DROPPED] = { "dropped (X where lost)", "#808080", "nohead lw 1.5 dt 2" },
};

typedef struct {
  const PlotSegment *seg;
  int from_col;
  double to_x;      /* column reached (half way for drops) */
  gint64 t0, t1;    /* real times, ns */
  guint slot0;      /* rows below t0 / t1 for events at the same instant */
  guint slot1;
  double label_x;
  gint64 label_y;   /* display ns */
  gboolean show_label;
  gboolean delayed; /* a link.delay moved its arrival */
  const PlotSegment *recv; /* the tcp.recv of its arrival, if stale */
  Category cat;
} Arrow;

typedef struct {
  gint64 a, b, size;  /* real [a, b] drawn `size` ns tall */
  guint in_flight;    /* arrows that cross it */
  double label_x;     /* its label's centre, columns */
} Cut;

/* A label beside a point, placed in the frame where it covers no other. */
typedef struct {
  double x;           /* the point labelled: columns, display ns */
  gint64 y;
  char *text;
  int points;         /* font size */
  double gap;         /* px between the point and the text */
  gboolean shown;
  gboolean leader;    /* moved off its point's level: a leader line */
  gboolean may_rise;  /* may move up as well as down */
  gboolean keeps_off_lines; /* hidden rather than over an arrow */
  double label_x;     /* the text's centre */
  gint64 label_y;
  double leader_x;    /* the text's edge nearer the point */
} Spot;

typedef enum {
  MARK_CALL,          /* a socket call and its result, on its host's column */
  MARK_LOST,          /* real data discarded as a duplicate (tcp.data-lost) */
  MARK_BRACKET,       /* a TIME-WAIT's 2 x MSL, its label */
} MarkKind;

typedef struct {
  MarkKind kind;
  guint col;
  double x;           /* the marker, columns and display ns */
  gint64 y;
  int side;           /* bracket: -1 left of the column, 1 right */
  gboolean failed;    /* call: it returned an error */
  gint64 t;           /* real time */
  Spot spot;
} Mark;

/* A TIME-WAIT record's 2 x MSL beside its column: from entering TIME-WAIT
 * to when its (last) timer would end, ticks where a re-ACKed FIN
 * restarted it, and dashed past the point where it was cut short. */
typedef struct {
  double x;           /* columns */
  int side;
  gint64 y_in, y_out, y_planned;  /* display ns */
  gint64 t_in, t_out, t_planned;  /* real ns */
  gboolean cut;
  gboolean timed;     /* the trace has its timer (a capture has not) */
  GArray *restarts;   /* gint64 display ns of each restart */
} Bracket;

typedef struct {
  gint64 t, extra;    /* room for rows of events at instant t */
} Room;

typedef struct {
  gint64 origin;
  GArray *cuts;       /* Cut, by a */
  GArray *rooms;      /* Room, by t */
  gint64 span;        /* display span, ns */
} TimeAxis;

typedef struct {
  const PlotTrace *trace;
  GPtrArray *hosts;       /* interned names, column order */
  GHashTable *endpoints;  /* interned endpoint -> interned host */
  GHashTable *names;      /* host name -> interned host name */
  GHashTable *stale;      /* "seg/copy/t" of a stale arrival -> its tcp.recv */
  GHashTable *delays;     /* interned link -> delay ns (first seen) */
  GArray *arrows;
  GArray *state_slots;    /* guint per trace->states entry */
  GArray *marker_slots;   /* guint per trace->corruptions entry */
  GArray *marker_labels;  /* Spot per trace->corruptions entry */
  GArray *state_labels;   /* Spot per trace->states entry */
  GArray *marks;          /* Mark: socket calls, discarded data, bracket labels */
  GArray *brackets;       /* Bracket per TIME-WAIT in the window */
  gint64 y_top, y_bottom; /* the y range, display ns */
  int margin_bottom;      /* px, room for the key */
  int margin_left;        /* px, room for the time axis */
  gint64 lo, hi;
  TimeAxis axis;
  gint64 row_step;        /* display ns between rows at one instant */
  GHashTable *instants;   /* "host/t" -> Instant */
} Ladder;

static int
host_column (Ladder *l, const char *host)
{
  if (host == NULL)
    return -1;
  for (guint i = 0; i < l->hosts->len; i++)
    if (g_ptr_array_index (l->hosts, i) == host)
      return (int) i;
  return -1;
}

static void
add_host (Ladder *l, const char *host)
{
  if (host != NULL && host_column (l, host) < 0)
    g_ptr_array_add (l->hosts, (gpointer) host);
}

static gboolean
is_link_event (const PlotSegment *s)
{
  switch (s->kind)
    {
    case PLOT_SEG_LINK_SEND:
    case PLOT_SEG_LINK_DUP:
    case PLOT_SEG_LINK_DELAY:
    case PLOT_SEG_LINK_DROP:
    case PLOT_SEG_NET_DROP:
      return TRUE;
    case PLOT_SEG_TCP_SEND:
    case PLOT_SEG_TCP_RECV:
      return FALSE;
    }
  return FALSE;
}

static char *
stale_key (gint64 seg, gint64 copy, gint64 t)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, seg, copy, t);
}

/* The receiving host: from the endpoint map, else the link's name "a->b". */
static const char *
receiver (Ladder *l, const PlotSegment *s)
{
  const char *host = g_hash_table_lookup (l->endpoints, s->dst);
  if (host != NULL || s->link == NULL)
    return host;
  const char *arrow = strstr (s->link, "->");
  return arrow != NULL ? g_hash_table_lookup (l->names, arrow + 2) : NULL;
}

static void
learn_topology (Ladder *l)
{
  const PlotTrace *trace = l->trace;
  for (guint i = 0; i < trace->segments->len; i++)
    {
      const PlotSegment *s = &g_array_index (trace->segments, PlotSegment, i);
      if (s->host == NULL)
        continue;
      g_hash_table_insert (l->names, (gpointer) s->host, (gpointer) s->host);
      if (s->kind == PLOT_SEG_TCP_SEND)
        g_hash_table_insert (l->endpoints, (gpointer) s->src, (gpointer) s->host);
      else if (s->kind == PLOT_SEG_TCP_RECV)
        {
          g_hash_table_insert (l->endpoints, (gpointer) s->dst, (gpointer) s->host);
          if (s->stale)
            g_hash_table_insert (l->stale, stale_key (s->seg, s->copy, s->t), (gpointer) s);
        }
      else if (s->kind == PLOT_SEG_LINK_SEND && !g_hash_table_contains (l->delays, s->link))
        g_hash_table_insert (l->delays, (gpointer) s->link, GSIZE_TO_POINTER ((gsize) (s->arrive - s->t)));
    }
  /* Columns: senders in order of their first segment, then receivers,
   * then hosts that only changed state. */
  for (guint i = 0; i < trace->segments->len; i++)
    {
      const PlotSegment *s = &g_array_index (trace->segments, PlotSegment, i);
      if (is_link_event (s))
        {
          add_host (l, s->host);
          add_host (l, receiver (l, s));
        }
    }
  for (guint i = 0; i < trace->states->len; i++)
    add_host (l, g_array_index (trace->states, PlotStateChange, i).host);
}

/* Once its arrival is known. */
static Category
categorise (Ladder *l, Arrow *a)
{
  const PlotSegment *s = a->seg;
  switch (s->kind)
    {
    case PLOT_SEG_LINK_DROP:
    case PLOT_SEG_NET_DROP:
      return CAT_DROPPED;
    case PLOT_SEG_LINK_SEND:
    case PLOT_SEG_LINK_DUP:
    case PLOT_SEG_LINK_DELAY:
    case PLOT_SEG_TCP_SEND:
    case PLOT_SEG_TCP_RECV:
      break;
    }
  g_autofree char *key = stale_key (s->seg, s->copy, a->t1);
  a->recv = g_hash_table_lookup (l->stale, key);
  if (a->recv != NULL)
    return CAT_STALE;
  if (s->copy > 0)
    return CAT_DUPLICATE;
  if (a->delayed || s->kind == PLOT_SEG_LINK_DELAY)
    return CAT_DELAYED;
  if (s->rexmit)
    return CAT_REXMIT;
  return CAT_NORMAL;
}

static void
select_arrows (Ladder *l, const PlotOptions *opts, GPtrArray *notes)
{
  const PlotTrace *trace = l->trace;
  guint limit = opts->ladder_limit > 0 ? opts->ladder_limit : DEFAULT_LIMIT;
  gboolean windowed = opts->from_given || opts->to_given;
  guint total = 0;
  l->lo = opts->from_given ? opts->from : trace->t_begin;
  l->hi = opts->to_given ? opts->to : trace->t_end;
  /* "seg/copy" -> 1 + index of its last arrow, for link.delay. */
  g_autoptr (GHashTable) last_arrow = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < trace->segments->len; i++)
    {
      const PlotSegment *s = &g_array_index (trace->segments, PlotSegment, i);
      if (!is_link_event (s) || s->t < l->lo || s->t > l->hi)
        continue;
      char *key = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, s->seg, s->copy);
      if (s->kind == PLOT_SEG_LINK_DELAY)
        {
          guint k = GPOINTER_TO_UINT (g_hash_table_lookup (last_arrow, key));
          Arrow *prev = k > 0 ? &g_array_index (l->arrows, Arrow, k - 1) : NULL;
          if (prev != NULL && prev->seg->t == s->t && prev->seg->host == s->host)
            {
              /* The segment drawn already: it arrives later. */
              prev->t1 = s->arrive;
              prev->delayed = TRUE;
              g_free (key);
              continue;
            }
        }
      total++;
      if ((!windowed && l->arrows->len >= limit) || host_column (l, s->host) < 0)
        {
          g_free (key);
          continue;
        }
      Arrow a = { .seg = s, .from_col = host_column (l, s->host), .t0 = s->t };
      int to_col = host_column (l, receiver (l, s));
      if (to_col < 0)
        to_col = a.from_col + 1 < (int) l->hosts->len ? a.from_col + 1 : a.from_col - 1;
      if (s->kind == PLOT_SEG_LINK_DROP || s->kind == PLOT_SEG_NET_DROP)
        {
          gpointer delay = s->link != NULL ? g_hash_table_lookup (l->delays, s->link) : NULL;
          a.to_x = a.from_col + 0.5 * (to_col - a.from_col);
          a.t1 = s->t + (gint64) GPOINTER_TO_SIZE (delay) / 2;
        }
      else
        {
          a.to_x = to_col;
          a.t1 = s->arrive;
        }
      g_array_append_val (l->arrows, a);
      g_hash_table_insert (last_arrow, key, GUINT_TO_POINTER (l->arrows->len));
    }
  for (guint i = 0; i < l->arrows->len; i++)
    {
      Arrow *a = &g_array_index (l->arrows, Arrow, i);
      a->cat = categorise (l, a);
    }
  if (!windowed && total > l->arrows->len && l->arrows->len > 0)
    {
      const Arrow *last = &g_array_index (l->arrows, Arrow, l->arrows->len - 1);
      l->hi = last->t1;
      GString *msg = g_string_new (NULL);
      g_string_append_printf (msg, "ladder: %u segments; showing the first %u (", total,
                              l->arrows->len);
      plot_append_ms (msg, l->lo);
      g_string_append (msg, " ms to ");
      plot_append_ms (msg, l->hi);
      g_string_append (msg, " ms); choose another window with --from T --to T");
      g_ptr_array_add (notes, g_string_free (msg, FALSE));
    }
  for (guint i = 0; i < l->arrows->len; i++)
    l->hi = MAX (l->hi, g_array_index (l->arrows, Arrow, i).t1);
  /* So many state changes would not be readable either. */
  guint states = 0;
  for (guint i = 0; i < trace->states->len && !windowed; i++)
    {
      const PlotStateChange *c = &g_array_index (trace->states, PlotStateChange, i);
      if (c->t < l->lo || c->t > l->hi || ++states <= 2 * limit)
        continue;
      l->hi = MAX (c->t - 1, l->lo);
      g_ptr_array_add (notes, g_strdup_printf ("ladder: more than %u state changes; showing those before %.6f ms; choose another window with --from T --to T",
                                               2 * limit, (double) c->t / 1e6));
      break;
    }
}

static gboolean
state_in_window (Ladder *l, const PlotStateChange *c)
{
  return c->t >= l->lo && c->t <= l->hi && host_column (l, c->host) >= 0;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static int
compare_gap_desc (gconstpointer a, gconstpointer b)
{
  const Cut *x = a, *y = b;
  gint64 gx = x->b - x->a, gy = y->b - y->a;
  if (gx != gy)
    return gx > gy ? -1 : 1;
  return x->a < y->a ? -1 : x->a > y->a;
}

static int
compare_cut (gconstpointer a, gconstpointer b)
{
  const Cut *x = a, *y = b;
  return x->a < y->a ? -1 : x->a > y->a;
}

/* The segments on the wire all through each cut: the arrows drawn, and
 * those sent before the window that arrive after the cut. */
static void
count_in_flight (Ladder *l)
{
  for (guint i = 0; i < l->axis.cuts->len; i++)
    {
      Cut *c = &g_array_index (l->axis.cuts, Cut, i);
      for (guint k = 0; k < l->arrows->len; k++)
        {
          const Arrow *a = &g_array_index (l->arrows, Arrow, k);
          if (a->t0 <= c->a && a->t1 >= c->b)
            c->in_flight++;
        }
      for (guint k = 0; k < l->trace->segments->len; k++)
        {
          const PlotSegment *s = &g_array_index (l->trace->segments, PlotSegment, k);
          gboolean carried = s->kind == PLOT_SEG_LINK_SEND || s->kind == PLOT_SEG_LINK_DUP
                             || s->kind == PLOT_SEG_LINK_DELAY;
          if (carried && s->t < l->lo && s->arrive >= c->b)
            c->in_flight++;
        }
    }
}

/* How tall each of `k` cuts is drawn when `uncut` ns of the window stay
 * uncut: 6 % of that, and tall enough for its label (CUT_MIN_PX of a
 * graph about GRAPH_PX tall, the cuts included). */
#define CUT_MIN_PX 22
#define GRAPH_PX 560
static gint64
cut_size (gint64 median, gint64 uncut, guint k)
{
  double f = (double) CUT_MIN_PX / GRAPH_PX;
  gint64 for_label = (gint64) ((double) uncut * f / MAX (1 - k * f, 0.2));
  return MAX (MAX (3 * median, uncut * 6 / 100), for_label);
}

/* Cuts the idle stretches: a gap more than 10x the median spacing of the
 * instants drawn, and 3x as long as its band, is drawn as a band. */
static void
build_axis (Ladder *l)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (times, l->lo);
  g_array_append_val (times, l->hi);
  for (guint i = 0; i < l->arrows->len; i++)
    {
      const Arrow *a = &g_array_index (l->arrows, Arrow, i);
      g_array_append_val (times, a->t0);
      g_array_append_val (times, a->t1);
    }
  for (guint i = 0; i < l->trace->states->len; i++)
    {
      const PlotStateChange *c = &g_array_index (l->trace->states, PlotStateChange, i);
      if (state_in_window (l, c))
        g_array_append_val (times, c->t);
    }
  for (guint i = 0; i < l->trace->corruptions->len; i++)
    {
      const PlotMarker *m = &g_array_index (l->trace->corruptions, PlotMarker, i);
      if (m->t >= l->lo && m->t <= l->hi)
        g_array_append_val (times, m->t);
    }
  g_array_sort (times, compare_gint64);

  g_autoptr (GArray) gaps = g_array_new (FALSE, FALSE, sizeof (Cut));
  g_autoptr (GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 1; i < times->len; i++)
    {
      gint64 a = g_array_index (times, gint64, i - 1), b = g_array_index (times, gint64, i);
      if (b > a)
        {
          Cut gap = { a, b, 0 };
          gint64 size = b - a;
          g_array_append_val (gaps, gap);
          g_array_append_val (sizes, size);
        }
    }
  l->axis.origin = l->lo;
  l->axis.cuts = g_array_new (FALSE, FALSE, sizeof (Cut));
  gint64 span = l->hi - l->lo;
  if (gaps->len > 0)
    {
      g_array_sort (sizes, compare_gint64);
      gint64 median = g_array_index (sizes, gint64, sizes->len / 2);
      g_array_sort (gaps, compare_gap_desc);
      /* Every cut is drawn as tall as the others, from what stays uncut, so
       * that a long first cut does not dwarf the action left. */
      gint64 uncut = span;
      guint k = 0;
      for (guint i = 0; i < gaps->len && k < MAX_CUTS; i++)
        {
          const Cut *gap = &g_array_index (gaps, Cut, i);
          gint64 g = gap->b - gap->a;
          /* Worth cutting: far above the usual spacing, and at least 3x
           * as long as it is drawn; the bands stay under 40 % of the
           * graph. */
          if (g <= 10 * median || 3 * cut_size (median, uncut - g, k + 1) > g
              || (k + 1) * CUT_MIN_PX > GRAPH_PX * 2 / 5)
            break;
          uncut -= g;
          k++;
          g_array_append_val (l->axis.cuts, *gap);
        }
      for (guint i = 0; i < l->axis.cuts->len; i++)
        g_array_index (l->axis.cuts, Cut, i).size = cut_size (median, uncut, k);
      span = uncut + k * cut_size (median, uncut, k);
      g_array_sort (l->axis.cuts, compare_cut);
      count_in_flight (l);
    }
  l->axis.span = span > 0 ? span : 1000000;
  l->axis.rooms = g_array_new (FALSE, FALSE, sizeof (Room));
  l->row_step = l->axis.span * 4 / 100;
}

/* Display position of real time t, ns from the top of the window. */
static gint64
axis_map (const TimeAxis *axis, gint64 t)
{
  gint64 d = t - axis->origin;
  for (guint i = 0; i < axis->cuts->len; i++)
    {
      const Cut *c = &g_array_index (axis->cuts, Cut, i);
      if (t >= c->b)
        d -= (c->b - c->a) - c->size;
      else
        {
          if (t > c->a)
            d -= (t - c->a) - (gint64) ((double) (t - c->a) * (double) c->size / (double) (c->b - c->a));
          break;
        }
    }
  for (guint i = 0; i < axis->rooms->len; i++)
    {
      const Room *r = &g_array_index (axis->rooms, Room, i);
      if (r->t >= t)
        break;
      d += r->extra;
    }
  return d;
}

/* Events of one host at one instant are drawn in trace order, a few
 * pixels apart when they would overlap: a second send, a second arrival, an
 * arrival after a send or a second state change moves down one row; a send
 * right after an arrival stays level with it (the reply bounces off). */
typedef struct {
  guint row;
  gboolean sent, arrived, changed;
} Instant;

typedef enum {
  SLOT_SEND,
  SLOT_ARRIVAL,
  SLOT_STATE,
  SLOT_MARKER,
} SlotUse;

static guint
take_slot (GHashTable *instants, const char *host, gint64 t, SlotUse use)
{
  g_autofree char *key = g_strdup_printf ("%p/%" G_GINT64_FORMAT, (gpointer) host, t);
  Instant *in = g_hash_table_lookup (instants, key);
  if (in == NULL)
    {
      in = g_new0 (Instant, 1);
      g_hash_table_insert (instants, g_steal_pointer (&key), in);
    }
  gboolean clash = FALSE;
  switch (use)
    {
    case SLOT_SEND:
      clash = in->sent;
      break;
    case SLOT_ARRIVAL:
      clash = in->arrived || in->sent;
      break;
    case SLOT_STATE:
      clash = in->changed;
      break;
    case SLOT_MARKER:
      break;
    }
  if (clash)
    {
      in->row++;
      in->sent = in->arrived = in->changed = FALSE;
    }
  switch (use)
    {
    case SLOT_SEND:
      in->sent = TRUE;
      break;
    case SLOT_ARRIVAL:
      in->arrived = TRUE;
      break;
    case SLOT_STATE:
      in->changed = TRUE;
      break;
    case SLOT_MARKER:
      break;
    }
  return in->row;
}

static gpointer
arrival_key (const PlotSegment *s)
{
  return GSIZE_TO_POINTER ((gsize) (s->seg * 1024 + s->copy) + 1);
}

static int
compare_room (gconstpointer a, gconstpointer b)
{
  const Room *x = a, *y = b;
  return x->t < y->t ? -1 : x->t > y->t;
}

/* Makes room below each instant for its extra rows, so that they do not
 * run into what happens next. */
static void
make_room (Ladder *l)
{
  g_autoptr (GHashTable) rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, l->instants);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Instant *in = value;
      if (in->row == 0)
        continue;
      gint64 t = g_ascii_strtoll (strchr (key, '/') + 1, NULL, 10);
      guint most = GPOINTER_TO_UINT (g_hash_table_lookup (rows, &t));
      if (in->row > most)
        g_hash_table_insert (rows, g_memdup2 (&t, sizeof t), GUINT_TO_POINTER (in->row));
    }
  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Room r = { *(gint64 *) key, GPOINTER_TO_UINT (value) * l->row_step };
      g_array_append_val (l->axis.rooms, r);
      l->axis.span += r.extra;
    }
  g_array_sort (l->axis.rooms, compare_room);
}

/* Walks segments, state changes and markers together in trace order. */
static void
assign_slots (Ladder *l)
{
  const PlotTrace *trace = l->trace;
  GHashTable *instants = l->instants;
  g_autoptr (GHashTable) arrow_of = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GHashTable) in_flight = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < l->arrows->len; i++)
    g_hash_table_insert (arrow_of, (gpointer) g_array_index (l->arrows, Arrow, i).seg,
                         GUINT_TO_POINTER (i + 1));
  g_array_set_size (l->state_slots, trace->states->len);
  g_array_set_size (l->marker_slots, trace->corruptions->len);
  guint is = 0, ic = 0, im = 0;
  const guint64 none = G_MAXUINT64;
  while (is < trace->segments->len || ic < trace->states->len || im < trace->corruptions->len)
    {
      const PlotSegment *s = is < trace->segments->len ? &g_array_index (trace->segments, PlotSegment, is) : NULL;
      const PlotStateChange *c = ic < trace->states->len ? &g_array_index (trace->states, PlotStateChange, ic) : NULL;
      const PlotMarker *m = im < trace->corruptions->len ? &g_array_index (trace->corruptions, PlotMarker, im) : NULL;
      guint64 os = s != NULL ? s->order : none, oc = c != NULL ? c->order : none;
      guint64 om = m != NULL ? m->order : none;
      if (os < oc && os < om)
        {
          is++;
          guint a = GPOINTER_TO_UINT (g_hash_table_lookup (arrow_of, s));
          if (a > 0)
            {
              Arrow *arrow = &g_array_index (l->arrows, Arrow, a - 1);
              /* A link's copy leaves with its original. */
              arrow->slot0 = take_slot (instants, s->host, s->t,
                                        s->kind == PLOT_SEG_LINK_DUP ? SLOT_MARKER : SLOT_SEND);
              arrow->slot1 = arrow->cat == CAT_DROPPED ? arrow->slot0 : 0;
              if (arrow->cat != CAT_DROPPED)
                g_hash_table_insert (in_flight, arrival_key (s), GUINT_TO_POINTER (a));
            }
          else if (s->kind == PLOT_SEG_TCP_RECV)
            {
              a = GPOINTER_TO_UINT (g_hash_table_lookup (in_flight, arrival_key (s)));
              Arrow *arrow = a > 0 ? &g_array_index (l->arrows, Arrow, a - 1) : NULL;
              if (arrow != NULL && arrow->t1 == s->t && arrow->to_x == host_column (l, s->host))
                {
                  arrow->slot1 = take_slot (instants, s->host, s->t, SLOT_ARRIVAL);
                  g_hash_table_remove (in_flight, arrival_key (s));
                }
            }
        }
      else if (oc < om)
        {
          if (state_in_window (l, c))
            g_array_index (l->state_slots, guint, ic) = take_slot (instants, c->host, c->t, SLOT_STATE);
          ic++;
        }
      else
        {
          g_array_index (l->marker_slots, guint, im) = take_slot (instants, m->host, m->t, SLOT_MARKER);
          im++;
        }
    }
}

static void
append_time_label (GString *out, gint64 ns)
{
  /* ms, without trailing zeros. */
  g_autoptr (GString) s = g_string_new (NULL);
  plot_append_ms (s, ns);
  while (s->str[s->len - 1] == '0')
    g_string_truncate (s, s->len - 1);
  if (s->str[s->len - 1] == '.')
    g_string_truncate (s, s->len - 1);
  g_string_append (out, s->str);
}

static void
append_duration (GString *out, gint64 ns)
{
  if (ns >= 1000000000)
    g_string_append_printf (out, "%.3f s", (double) ns / 1e9);
  else
    g_string_append_printf (out, "%.3f ms", (double) ns / 1e6);
}

static gint64
nice_step (gint64 span)
{
  gint64 raw = MAX (span / 10, 1);
  gint64 p = 1;
  while (p * 10 <= raw)
    p *= 10;
  if (raw >= 5 * p)
    return 5 * p;
  if (raw >= 2 * p)
    return 2 * p;
  return p;
}

/* Ticks are written from the top down; one closer than MIN_TICK_PX to
 * the one above is left out, so that tick labels never overlap. */
#define MIN_TICK_PX 16

typedef struct {
  gboolean first;
  gint64 last_y;      /* display ns of the last tick written */
  gint64 min_gap;     /* display ns; 0 before the y range is known */
} Ticks;

static void
append_tick (GString *gp, Ticks *ticks, const TimeAxis *axis, gint64 t)
{
  gint64 y = axis_map (axis, t);
  if (!ticks->first && y - ticks->last_y < ticks->min_gap)
    return;
  g_string_append (gp, ticks->first ? "" : ", ");
  ticks->first = FALSE;
  ticks->last_y = y;
  g_string_append_c (gp, '"');
  append_time_label (gp, t);
  g_string_append (gp, "\" ");
  plot_append_ms (gp, y);
}

/* Ticks at round times in each uncut section, plus each section's start. */
static void
append_ytics (GString *gp, Ladder *l)
{
  const TimeAxis *axis = &l->axis;
  gint64 step = nice_step (axis->span);
  double graph_px = PLOT_HEIGHT - MARGIN_TOP - l->margin_bottom;
  Ticks ticks = { .first = TRUE,
                  .min_gap = (gint64) ((double) (l->y_bottom - l->y_top) * MIN_TICK_PX / graph_px) };
  g_string_append (gp, "set ytics (");
  for (guint i = 0; i <= axis->cuts->len; i++)
    {
      gint64 from = i == 0 ? l->lo : g_array_index (axis->cuts, Cut, i - 1).b;
      gint64 to = i == axis->cuts->len ? l->hi : g_array_index (axis->cuts, Cut, i).a;
      append_tick (gp, &ticks, axis, from);
      gint64 t = (from / step + 1) * step;
      for (; t <= to; t += step)
        if (t - from >= step / 2)
          append_tick (gp, &ticks, axis, t);
    }
  g_string_append (gp, ")\n");
}

/* The longest tick label, in characters (they are "..." quoted). */
static int
longest_tick (Ladder *l)
{
  g_autoptr (GString) tics = g_string_new (NULL);
  append_ytics (tics, l);
  int longest = 0, len = 0;
  gboolean in = FALSE;
  for (const char *c = tics->str; *c != '\0'; c++)
    if (*c == '"')
      {
        if (in)
          longest = MAX (longest, len);
        in = !in;
        len = 0;
      }
    else if (in)
      len++;
  return longest;
}

/* "FLAGS seq:ack (len)", then "#n" after the first incarnation, "copy n"
 * for a link's copy, "delayed", and for a stale arrival "#n STALE → #m". */
static char *
label_text (const Arrow *a)
{
  const PlotSegment *s = a->seg;
  GString *text = g_string_new (NULL);
  g_string_append_printf (text, "%s %" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " (%" G_GINT64_FORMAT ")",
                          s->flags, s->seq, s->ack, s->len);
  if (a->cat == CAT_STALE)
    g_string_append_printf (text, " #%" G_GINT64_FORMAT " STALE \xe2\x86\x92 #%" G_GINT64_FORMAT,
                            s->seg_inc, a->recv->inc);
  else if (s->seg_inc > 1)
    g_string_append_printf (text, " #%" G_GINT64_FORMAT, s->seg_inc);
  if (s->copy > 0 && a->cat != CAT_STALE)
    g_string_append_printf (text, " copy %" G_GINT64_FORMAT, s->copy);
  if (a->delayed || s->kind == PLOT_SEG_LINK_DELAY)
    g_string_append (text, " delayed");
  return g_string_free (text, FALSE);
}

/* Hosts with more than one connection: their state labels name it. */
static GHashTable *
hosts_with_several_connections (const PlotTrace *trace)
{
  GHashTable *several = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GHashTable) first_conn = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  for (guint i = 0; i < trace->states->len; i++)
    {
      const PlotStateChange *c = &g_array_index (trace->states, PlotStateChange, i);
      gint64 *conn = g_hash_table_lookup (first_conn, c->host);
      if (conn == NULL)
        g_hash_table_insert (first_conn, (gpointer) c->host, g_memdup2 (&c->conn, sizeof c->conn));
      else if (*conn != c->conn)
        g_hash_table_add (several, (gpointer) c->host);
    }
  return several;
}

/* "#2: SYN-RECEIVED" when the host has several connections (its column
 * name: plot-names.h). */
static char *
state_text (const PlotStateChange *c, GHashTable *several, GHashTable *names)
{
  GString *text = g_string_new (NULL);
  if (g_hash_table_contains (several, c->host))
    g_string_append_printf (text, "%s: ", plot_conn_names_get (names, c->host, c->conn));
  g_string_append (text, c->to);
  /* A TIME-WAIT that ended before 2 x MSL says why. */
  if (strcmp (c->from, "TIME-WAIT") == 0 && c->why != NULL && !g_str_has_suffix (c->why, " elapsed"))
    {
      const char *paren = strstr (c->why, " (");
      g_string_append (text, " (");
      g_string_append_len (text, c->why, paren != NULL ? paren - c->why : (gssize) strlen (c->why));
      g_string_append (text, ")");
    }
  return g_string_free (text, FALSE);
}

/* "270.000 ms cut (nothing on the wire)", or when arrows cross the cut
 * "1.075 s cut (1 segment in flight)": the band is then a break the
 * arrow passes through, not idle time. */
static char *
cut_text (const Cut *c)
{
  GString *text = g_string_new ("");
  append_duration (text, c->b - c->a);
  if (c->in_flight == 0)
    g_string_append (text, " cut (nothing on the wire)");
  else
    g_string_append_printf (text, " cut (%u segment%s in flight)", c->in_flight,
                            c->in_flight > 1 ? "s" : "");
  return g_string_free (text, FALSE);
}

static gint64
cut_middle (const Ladder *l, guint i)
{
  const Cut *c = &g_array_index (l->axis.cuts, Cut, i);
  return (axis_map (&l->axis, c->a) + axis_map (&l->axis, c->b)) / 2;
}

static gint64
arrow_y0 (const Ladder *l, const Arrow *a)
{
  return axis_map (&l->axis, a->t0) + a->slot0 * l->row_step;
}

static gint64
arrow_y1 (const Ladder *l, const Arrow *a)
{
  return axis_map (&l->axis, a->t1) + a->slot1 * l->row_step;
}

static gint64
state_y (const Ladder *l, guint i)
{
  const PlotStateChange *c = &g_array_index (l->trace->states, PlotStateChange, i);
  return axis_map (&l->axis, c->t) + g_array_index (l->state_slots, guint, i) * l->row_step;
}

static gint64
marker_y (const Ladder *l, guint i)
{
  const PlotMarker *m = &g_array_index (l->trace->corruptions, PlotMarker, i);
  return axis_map (&l->axis, m->t) + g_array_index (l->marker_slots, guint, i) * l->row_step;
}

static gboolean
marker_in_window (const Ladder *l, const PlotMarker *m)
{
  return host_column ((Ladder *) l, m->host) >= 0 && m->t >= l->lo && m->t <= l->hi;
}

/* CORRUPTION: read “balance=100” of #1 (seg 4, 2.110 s) */
static char *
corruption_text (const Ladder *l, const PlotMarker *m)
{
  GString *text = g_string_new ("CORRUPTION");
  if (m->data != NULL)
    {
      g_string_append (text, ": read \xe2\x80\x9c");
      if (g_utf8_validate (m->data, -1, NULL) && g_utf8_strlen (m->data, -1) > 24)
        {
          g_string_append_len (text, m->data, g_utf8_offset_to_pointer (m->data, 22) - m->data);
          g_string_append (text, "\xe2\x80\xa6");
        }
      else
        g_string_append (text, m->data);
      g_string_append (text, "\xe2\x80\x9d");
      /* The other incarnations in the read's spans "#1:0-11 #2:11-20". */
      gboolean first = TRUE;
      for (const char *p = m->incs != NULL ? strchr (m->incs, '#') : NULL; p != NULL;
           p = strchr (p + 1, '#'))
        {
          gint64 inc = g_ascii_strtoll (p + 1, NULL, 10);
          g_autofree char *tag = g_strdup_printf ("#%" G_GINT64_FORMAT, inc);
          if (inc == m->inc || strstr (text->str, tag) != NULL)
            continue;
          g_string_append_printf (text, "%s%s", first ? " of " : ", ", tag);
          first = FALSE;
        }
    }
  const PlotMarker *carrier = NULL;
  for (guint i = 0; i < l->trace->stale_data->len; i++)
    {
      const PlotMarker *s = &g_array_index (l->trace->stale_data, PlotMarker, i);
      if (s->host == m->host && s->seg == m->seg && s->t <= m->t)
        carrier = s;
    }
  if (carrier != NULL)
    {
      g_string_append_printf (text, " (seg %" G_GINT64_FORMAT ", ", carrier->seg);
      append_duration (text, carrier->t);
      g_string_append (text, ")");
    }
  return g_string_free (text, FALSE);
}

/* Image pixels of a place on the ladder (x in columns, y display ns). */
static double
px_x (const Ladder *l, double x)
{
  double x_min = -0.8, x_max = (double) l->hosts->len - 1 + 0.8;
  return l->margin_left + (x - x_min) / (x_max - x_min) * (PLOT_WIDTH - l->margin_left - MARGIN_RIGHT);
}

static double
px_y (const Ladder *l, gint64 y)
{
  return MARGIN_TOP + (double) (y - l->y_top) / (double) (l->y_bottom - l->y_top)
                        * (PLOT_HEIGHT - MARGIN_TOP - l->margin_bottom);
}

static double
x_of_px (const Ladder *l, double px)
{
  double x_min = -0.8, x_max = (double) l->hosts->len - 1 + 0.8;
  return x_min + (px - l->margin_left) / (PLOT_WIDTH - l->margin_left - MARGIN_RIGHT) * (x_max - x_min);
}

static gint64
y_of_px (const Ladder *l, double py)
{
  return l->y_top + (gint64) ((py - MARGIN_TOP) / (PLOT_HEIGHT - MARGIN_TOP - l->margin_bottom)
                              * (double) (l->y_bottom - l->y_top));
}

/* Stale, duplicate and delayed segments: their labels are placed first
 * and shown even where they must cross another arrow. */
static gboolean
is_notable (const Arrow *a)
{
  return a->cat == CAT_STALE || a->cat == CAT_DUPLICATE || a->cat == CAT_DELAYED;
}

static void
note_lines (const Ladder *l, PlotPlacer *p)
{
  for (guint i = 0; i < l->arrows->len; i++)
    {
      const Arrow *a = &g_array_index (l->arrows, Arrow, i);
      plot_placer_add_line (p, px_x (l, a->from_col), px_y (l, arrow_y0 (l, a)), px_x (l, a->to_x),
                            px_y (l, arrow_y1 (l, a)), i + 1);
    }
  for (guint i = 0; i < l->hosts->len; i++)
    plot_placer_add_line (p, px_x (l, i), MARGIN_TOP, px_x (l, i), PLOT_HEIGHT - l->margin_bottom, 0);
  for (guint i = 0; i < l->brackets->len; i++)
    {
      const Bracket *b = &g_array_index (l->brackets, Bracket, i);
      double x = px_x (l, b->x);
      plot_placer_add_line (p, x, px_y (l, b->y_in), x, px_y (l, b->y_planned), 0);
    }
}

/* A marker drawn at (x, y) keeps labels off a square `half` px around it. */
static void
reserve_marker (const Ladder *l, PlotPlacer *p, double x, gint64 y, double half)
{
  double cx = px_x (l, x), cy = px_y (l, y);
  PlotBox b = { cx - half, cy - half, cx + half, cy + half };
  plot_placer_take (p, &b);
}

static void
reserve_markers (const Ladder *l, PlotPlacer *p)
{
  for (guint i = 0; i < l->arrows->len; i++)
    {
      const Arrow *a = &g_array_index (l->arrows, Arrow, i);
      if (a->cat == CAT_DROPPED)
        reserve_marker (l, p, a->to_x, arrow_y1 (l, a), 10);
    }
  for (guint i = 0; i < l->trace->corruptions->len; i++)
    if (marker_in_window (l, &g_array_index (l->trace->corruptions, PlotMarker, i)))
      reserve_marker (l, p, host_column ((Ladder *) l, g_array_index (l->trace->corruptions, PlotMarker, i).host),
                      marker_y (l, i), 16);
  for (guint i = 0; i < l->marks->len; i++)
    {
      const Mark *m = &g_array_index (l->marks, Mark, i);
      /* A bracket's label has no marker of its own. */
      if (m->kind != MARK_BRACKET)
        reserve_marker (l, p, m->x, m->y, m->kind == MARK_CALL ? 5 : 14);
    }
}

/* Takes the first place that fits `how` among `sides` of the point (x, y),
 * `gap` px off it: on the first side at y, then up to three lines lower;
 * then the same on the other side; then further down on both (never
 * higher, but for a bracket's label: labels of one column keep the
 * order of their events). Returns
 * whether one fitted. */
static gboolean
try_beside (const Ladder *l, PlotPlacer *p, Spot *spot, const int *sides, guint n_sides,
            PlotClearance how)
{
  static const int near[] = { 0, 1, 2, 3 };
  static const int far[] = { 4, 5, 6, 7 };
  /* A bracket's label may also rise: it follows no event. */
  static const int near_rising[] = { 0, -1, 1, -2 };
  static const int far_rising[] = { 2, -3, 3, -4 };
  double cx = px_x (l, spot->x), cy = px_y (l, spot->y);
  double h = plot_line_height (spot->points);
  for (guint round = 0; round <= n_sides; round++)
    {
      const int *offsets = round < n_sides ? (spot->may_rise ? near_rising : near)
                                            : (spot->may_rise ? far_rising : far);
      guint n_offsets = round < n_sides ? G_N_ELEMENTS (near) : G_N_ELEMENTS (far);
      for (guint k = 0; k < n_offsets; k++)
        for (guint s = round < n_sides ? round : 0; s < (round < n_sides ? round + 1 : n_sides); s++)
          {
            double y = cy + offsets[k] * h;
            PlotBox b = plot_label_box (cx + sides[s] * spot->gap, y, spot->text, spot->points,
                                        sides[s] < 0 ? PLOT_ALIGN_RIGHT : PLOT_ALIGN_LEFT);
            if (!plot_placer_fits (p, &b, 0, how))
              continue;
            plot_placer_take (p, &b);
            spot->label_x = x_of_px (l, (b.x0 + b.x1) / 2);
            spot->label_y = y_of_px (l, y);
            spot->leader = offsets[k] != 0;
            spot->leader_x = x_of_px (l, sides[s] < 0 ? b.x1 : b.x0);
            spot->shown = TRUE;
            return TRUE;
          }
    }
  return FALSE;
}

/* Beside its point, clear of lines if it can be, else with its text
 * clear of them, else (unless it keeps off lines) only clear of labels;
 * not shown when none is free. */
static gboolean
place_beside (const Ladder *l, PlotPlacer *p, Spot *spot, const int *sides, guint n_sides)
{
  return try_beside (l, p, spot, sides, n_sides, PLOT_CLEAR_BOX)
         || try_beside (l, p, spot, sides, n_sides, PLOT_CLEAR_TEXT)
         || (!spot->keeps_off_lines && try_beside (l, p, spot, sides, n_sides, PLOT_CLEAR_NONE));
}

/* Outside the first and last column first, else right of it. */
static guint
outer_sides (const Ladder *l, int col, int *sides)
{
  int n = (int) l->hosts->len;
  sides[0] = col == 0 && n > 1 ? -1 : 1;
  sides[1] = -sides[0];
  return 2;
}

static void
spot_init (Spot *spot, double x, gint64 y, char *text, int points, double gap)
{
  *spot = (Spot) { .x = x, .y = y, .text = text, .points = points, .gap = gap };
}

/* The cut labels at the band's middle, where no arrow passes. */
static void
place_cut_labels (Ladder *l, PlotPlacer *p)
{
  static const double along[] = { 0.5, 0.3, 0.7, 0.15, 0.85 };
  double gx0 = l->margin_left, gw = PLOT_WIDTH - l->margin_left - MARGIN_RIGHT;
  for (guint i = 0; i < l->axis.cuts->len; i++)
    {
      Cut *c = &g_array_index (l->axis.cuts, Cut, i);
      g_autofree char *text = cut_text (c);
      double y = px_y (l, cut_middle (l, i));
      c->label_x = x_of_px (l, gx0 + gw / 2);
      for (int pass = 0; pass < 2; pass++)
        for (guint k = 0; k < G_N_ELEMENTS (along); k++)
          {
            PlotBox b = plot_label_box (gx0 + along[k] * gw, y, text, 10, PLOT_ALIGN_CENTER);
            if (!plot_placer_fits (p, &b, 0, pass == 0 ? PLOT_CLEAR_BOX : PLOT_CLEAR_NONE))
              continue;
            c->label_x = x_of_px (l, gx0 + along[k] * gw);
            plot_placer_take (p, &b);
            pass = 2;
            break;
          }
    }
}

static void
place_corruption_labels (Ladder *l, PlotPlacer *p)
{
  for (guint i = 0; i < l->trace->corruptions->len; i++)
    {
      const PlotMarker *m = &g_array_index (l->trace->corruptions, PlotMarker, i);
      if (!marker_in_window (l, m))
        continue;
      Spot *spot = &g_array_index (l->marker_labels, Spot, i);
      int col = host_column (l, m->host), n = (int) l->hosts->len;
      spot_init (spot, col, marker_y (l, i), corruption_text (l, m), 12, 22);
      /* Toward the middle first. */
      int sides[2] = { col == n - 1 && n > 1 ? -1 : 1, col == n - 1 && n > 1 ? 1 : -1 };
      place_beside (l, p, spot, sides, 2);
    }
}

/* The marks of one kind; calls: only the failed ones, or only the others. */
static void
place_mark_labels (Ladder *l, PlotPlacer *p, MarkKind kind, gboolean failed)
{
  for (guint i = 0; i < l->marks->len; i++)
    {
      Mark *m = &g_array_index (l->marks, Mark, i);
      if (m->kind != kind || (kind == MARK_CALL && m->failed != failed))
        continue;
      int sides[2];
      outer_sides (l, (int) m->col, sides);
      if (kind == MARK_CALL && m->col > 0 && m->col + 1 < l->hosts->len)
        sides[0] = -1, sides[1] = 1;
      if (kind == MARK_BRACKET)
        sides[0] = m->side, sides[1] = -m->side;
      place_beside (l, p, &m->spot, sides, 2);
    }
}

static void
place_state_labels (Ladder *l, PlotPlacer *p)
{
  g_autoptr (GHashTable) several = hosts_with_several_connections (l->trace);
  g_autoptr (GHashTable) names = plot_conn_column_names_new (l->trace);
  g_array_set_size (l->state_labels, l->trace->states->len);
  for (guint i = 0; i < l->trace->states->len; i++)
    {
      const PlotStateChange *c = &g_array_index (l->trace->states, PlotStateChange, i);
      if (!state_in_window (l, c))
        continue;
      int col = host_column (l, c->host), sides[2];
      Spot *spot = &g_array_index (l->state_labels, Spot, i);
      spot_init (spot, col, state_y (l, i), state_text (c, several, names), 11, LABEL_GAP_PX);
      place_beside (l, p, spot, sides, outer_sides (l, col, sides));
    }
}

/* Tries the places along arrow `i` in turn and takes the first free one:
 * free of labels and of other arrows, or for a notable one, when none is,
 * free of labels only. Returns whether one was free. */
static gboolean
place_arrow_label (const Ladder *l, PlotPlacer *p, guint i)
{
  static const double along[] = { 0.3, 0.5, 0.7, 0.2, 0.4, 0.6, 0.8, 0.12, 0.88 };
  /* A stale segment's label goes near where it arrives, in the newer
   * connection. */
  static const double along_stale[] = { 0.75, 0.65, 0.85, 0.55, 0.45, 0.35, 0.25, 0.92 };
  Arrow *a = &g_array_index (l->arrows, Arrow, i);
  gint64 y0 = arrow_y0 (l, a), y1 = arrow_y1 (l, a);
  g_autofree char *text = label_text (a);
  gboolean stale = a->cat == CAT_STALE;
  guint tries = stale ? G_N_ELEMENTS (along_stale) : G_N_ELEMENTS (along);
  static const PlotClearance passes[] = { PLOT_CLEAR_BOX, PLOT_CLEAR_TEXT, PLOT_CLEAR_NONE };
  for (guint pass = 0; pass < (is_notable (a) ? 3u : 2u); pass++)
    for (guint k = 0; k < tries; k++)
      {
        double at = stale ? along_stale[k] : along[k];
        if (a->cat == CAT_DROPPED)
          at = MIN (at + 0.2, 0.9);
        double x = a->from_col + at * (a->to_x - a->from_col);
        gint64 y = y0 + (gint64) (at * (double) (y1 - y0));
        PlotBox b = plot_label_box (px_x (l, x), px_y (l, y), text, stale ? 11 : 10,
                                    PLOT_ALIGN_CENTER);
        if (k == 0 && pass == 0)
          {
            a->label_x = x;
            a->label_y = y;
          }
        if (!plot_placer_fits (p, &b, i + 1, passes[pass]))
          continue;
        a->label_x = x;
        a->label_y = y;
        plot_placer_take (p, &b);
        return TRUE;
      }
  return FALSE;
}

/* The notable arrows' labels (stale first), or the others' (dropped
 * first); returns how many were hidden. */
static guint
place_arrow_labels (Ladder *l, PlotPlacer *p, gboolean notable)
{
  static const Category order[] = { CAT_STALE, CAT_DUPLICATE, CAT_DELAYED, CAT_DROPPED,
                                    CAT_REXMIT, CAT_NORMAL };
  guint hidden = 0;
  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    for (guint i = 0; i < l->arrows->len; i++)
      {
        Arrow *a = &g_array_index (l->arrows, Arrow, i);
        if (a->cat != order[o] || is_notable (a) != notable)
          continue;
        a->show_label = place_arrow_label (l, p, i);
        if (!a->show_label)
          hidden++;
      }
  return hidden;
}

static guint
hidden_spots (const GArray *spots, gsize stride, gsize offset)
{
  guint hidden = 0;
  for (guint i = 0; i < spots->len; i++)
    {
      const Spot *s = (const Spot *) (spots->data + i * stride + offset);
      if (s->text != NULL && !s->shown)
        hidden++;
    }
  return hidden;
}

/* Places every label in the frame where it covers no other: the cut
 * labels where no arrow crosses, the corruption beside its star (toward
 * the middle), the discarded data, the failed socket calls, the labels of
 * stale, duplicate and delayed segments, the state changes, the TIME-WAIT
 * brackets beside their column (outside the first and last column
 * first), moved down a line at a time until free, with a leader line
 * when moved; then the other arrows' labels; each arrow label at the
 * first place along its arrow free of labels and other arrows (else with
 * its text clear of them; a notable one, else anywhere free of labels);
 * then the other socket calls, placed like the states. A label with no
 * free place is hidden (the data keeps it). Returns how many were
 * hidden. */
static guint
place_labels (Ladder *l)
{
  PlotBox frame = { l->margin_left, MARGIN_TOP, PLOT_WIDTH - MARGIN_RIGHT, PLOT_HEIGHT - l->margin_bottom };
  PlotPlacer p;
  plot_placer_init (&p, frame);
  note_lines (l, &p);
  reserve_markers (l, &p);
  place_cut_labels (l, &p);
  place_corruption_labels (l, &p);
  place_mark_labels (l, &p, MARK_LOST, FALSE);
  place_mark_labels (l, &p, MARK_CALL, TRUE);
  guint hidden = place_arrow_labels (l, &p, TRUE);
  place_state_labels (l, &p);
  place_mark_labels (l, &p, MARK_BRACKET, FALSE);
  hidden += place_arrow_labels (l, &p, FALSE);
  place_mark_labels (l, &p, MARK_CALL, FALSE);
  plot_placer_clear (&p);
  return hidden + hidden_spots (l->state_labels, sizeof (Spot), 0)
         + hidden_spots (l->marks, sizeof (Mark), G_STRUCT_OFFSET (Mark, spot))
         + hidden_spots (l->marker_labels, sizeof (Spot), 0);
}


/* The arrival of the segment whose bytes were accepted as stale: the head
 * of its arrow, else the host's column at that time. */
static void
stale_arrival_point (const Ladder *l, const PlotMarker *m, double *x, gint64 *y)
{
  int col = host_column ((Ladder *) l, m->host);
  *x = col;
  *y = axis_map (&l->axis, m->t);
  for (guint i = 0; i < l->arrows->len; i++)
    {
      const Arrow *a = &g_array_index (l->arrows, Arrow, i);
      if (a->seg->seg == m->seg && a->t1 == m->t && a->to_x == col && a->cat != CAT_DROPPED)
        *y = arrow_y1 (l, a);
    }
}

static gboolean
has_category (const Ladder *l, Category cat)
{
  for (guint i = 0; i < l->arrows->len; i++)
    if (g_array_index (l->arrows, Arrow, i).cat == cat)
      return TRUE;
  return FALSE;
}

static void
append_arrow_row (const Ladder *l, GString *t, const Arrow *a)
{
  gint64 y0 = arrow_y0 (l, a), y1 = arrow_y1 (l, a);
  double dx = a->to_x - a->from_col;
  g_string_append_printf (t, "%d ", a->from_col);
  plot_append_ms (t, y0);
  g_string_append_printf (t, " %.2f ", dx);
  plot_append_ms (t, y1 - y0);
  g_string_append_printf (t, " %.3f ", a->label_x);
  plot_append_ms (t, a->label_y);
  g_string_append_c (t, ' ');
  g_autofree char *text = label_text (a);
  plot_append_data_str (t, text);
  g_string_append_c (t, ' ');
  plot_append_ms (t, a->t0);
  g_string_append_c (t, ' ');
  plot_append_ms (t, a->t1);
  g_string_append_printf (t, " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " ", a->seg->seg,
                          a->seg->copy);
  plot_append_data_str (t, a->seg->host);
  g_string_append_printf (t, " %d\n", a->show_label);
}

/* The arrows of one category, their X where dropped, and their labels. */
static void
append_category_plot (GString *plot, Category cat, guint idx)
{
  const char *colour = categories[cat].colour;
  g_string_append_printf (plot, ", \\\n  'ladder.dat' index %u using 1:2:3:4 with vectors %s lc rgb '%s' title '%s'",
                          idx, categories[cat].style, colour, categories[cat].title);
  if (cat == CAT_DROPPED)
    g_string_append_printf (plot, ", \\\n  '' index %u using ($1+$3):($2+$4) with points pt 2 ps 3 lw 3 lc rgb '#c0392b' notitle",
                            idx);
  g_string_append_printf (plot, ", \\\n  '' index %u using 5:($13 > 0 ? $6 : " HIDDEN_Y "):7 with labels boxed center font ',%d' tc rgb '%s' notitle",
                          idx, cat == CAT_STALE ? 11 : 10, colour);
}

/* One block per category that has arrows, in category order. */
static void
write_arrows (const Ladder *l, PlotData *dat, GString *plot)
{
  const char *columns =
    "x_from y_from dx dy label_x label_y \"label\" t_send_ms t_arrive_ms seg copy sender label_shown";
  for (guint cat = 0; cat < N_CATEGORIES; cat++)
    {
      if (!has_category (l, cat))
        continue;
      guint idx = plot_data_block (dat, categories[cat].title, columns);
      for (guint i = 0; i < l->arrows->len; i++)
        {
          const Arrow *a = &g_array_index (l->arrows, Arrow, i);
          if (a->cat == cat)
            append_arrow_row (l, dat->text, a);
        }
      append_category_plot (plot, cat, idx);
    }
}

/* The y of a label (where it was first tried, when hidden). */
static void
append_label_y (GString *t, const Spot *spot)
{
  plot_append_ms (t, spot->shown ? spot->label_y : spot->y);
}

static void
append_state_row (const Ladder *l, GString *t, guint i, int col)
{
  const PlotStateChange *c = &g_array_index (l->trace->states, PlotStateChange, i);
  const Spot *spot = &g_array_index (l->state_labels, Spot, i);
  g_string_append_printf (t, "%.3f ", spot->label_x);
  plot_append_ms (t, state_y (l, i));
  g_string_append_c (t, ' ');
  plot_append_data_str (t, spot->text);
  g_string_append_printf (t, " %d ", col);
  plot_append_ms (t, c->t);
  g_string_append_printf (t, " %" G_GINT64_FORMAT " ", c->conn);
  append_label_y (t, spot);
  g_string_append_printf (t, " %d\n", spot->shown);
}

/* States along the columns: the dot at the change, the label beside it. */
static void
write_states (Ladder *l, PlotData *dat, GString *plot)
{
  gboolean started = FALSE;
  guint idx = 0;
  for (guint i = 0; i < l->trace->states->len; i++)
    {
      const PlotStateChange *c = &g_array_index (l->trace->states, PlotStateChange, i);
      if (!state_in_window (l, c))
        continue;
      if (!started)
        idx = plot_data_block (dat, "TCP state changes, labelled beside their column",
                               "label_x y \"state\" column t_ms conn label_y shown");
      started = TRUE;
      append_state_row (l, dat->text, i, host_column (l, c->host));
    }
  if (!started)
    return;
  g_string_append_printf (plot, ", \\\n  'ladder.dat' index %u using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' title 'TCP state change'",
                          idx);
  g_string_append_printf (plot, ", \\\n  '' index %u using 1:" SHOWN_Y (7, 8) ":3 with labels center boxed font ',11' tc rgb '#1b2631' notitle",
                          idx);
}


static void
append_stale_ring_row (const Ladder *l, GString *t, const PlotMarker *m)
{
  double x;
  gint64 y;
  stale_arrival_point (l, m, &x, &y);
  g_string_append_printf (t, "%.2f ", x);
  plot_append_ms (t, y);
  g_string_append_c (t, ' ');
  plot_append_ms (t, m->t);
  g_string_append_printf (t, " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                          m->seg, m->seg_inc, m->inc);
}

/* Where stale bytes were accepted: a ring on the arrival. */
static void
write_stale_rings (const Ladder *l, PlotData *dat, GString *plot)
{
  gboolean any_stale = FALSE;
  for (guint i = 0; i < l->trace->stale_data->len; i++)
    {
      const PlotMarker *m = &g_array_index (l->trace->stale_data, PlotMarker, i);
      if (!marker_in_window (l, m))
        continue;
      if (!any_stale)
        {
          guint idx = plot_data_block (dat, "stale bytes accepted (tcp.stale-data)",
                                       "x y t_ms seg seg_inc inc");
          g_string_append_printf (plot, ", \\\n  'ladder.dat' index %u using 1:2 with points pt 6 ps 3.5 lw 3 lc rgb '#e6007e' title 'stale bytes accepted'",
                                  idx);
          any_stale = TRUE;
        }
      append_stale_ring_row (l, dat->text, m);
    }
}

static void
append_corruption_row (Ladder *l, GString *t, guint i)
{
  const PlotMarker *m = &g_array_index (l->trace->corruptions, PlotMarker, i);
  const Spot *spot = &g_array_index (l->marker_labels, Spot, i);
  g_string_append_printf (t, "%d ", host_column (l, m->host));
  plot_append_ms (t, marker_y (l, i));
  g_string_append_c (t, ' ');
  plot_append_ms (t, m->t);
  g_string_append_printf (t, " %.3f ", spot->label_x);
  append_label_y (t, spot);
  g_string_append_c (t, ' ');
  plot_append_data_str (t, spot->text);
  g_string_append_printf (t, " %" G_GINT64_FORMAT " %d\n", m->seg, spot->shown);
}

/* Where stale bytes were read: a star and its label. */
static void
write_corruptions (Ladder *l, PlotData *dat, GString *plot)
{
  gboolean any_corruption = FALSE;
  for (guint i = 0; i < l->trace->corruptions->len; i++)
    {
      const PlotMarker *m = &g_array_index (l->trace->corruptions, PlotMarker, i);
      if (!marker_in_window (l, m))
        continue;
      if (!any_corruption)
        {
          guint idx = plot_data_block (dat, "corruption", "x y t_ms label_x label_y \"label\" seg shown");
          g_string_append_printf (plot, ", \\\n  'ladder.dat' index %u using 1:2 with points pt 3 ps 4 lw 3 lc rgb '#e6007e' title 'corruption (stale bytes read)'",
                                  idx);
          g_string_append_printf (plot, ", \\\n  '' index %u using 4:" SHOWN_Y (5, 8) ":6 with labels boxed center font ',12' tc rgb '#e6007e' notitle",
                                  idx);
          any_corruption = TRUE;
        }
      append_corruption_row (l, dat->text, i);
    }
}

static const struct {
  const char *block;
  const char *title;
  const char *point;   /* gnuplot point style */
  const char *colour;
  int points;          /* font size */
} mark_styles[] = {
  [MARK_CALL] = { "socket calls and their results", "socket call (= result)", "pt 13 ps 1.1",
                  "#1e6b30", 10 },
  [MARK_LOST] = { "real data discarded as a duplicate (tcp.data-lost)",
                  "real data discarded", "pt 5 ps 2.2", "#d35400", 11 },
  [MARK_BRACKET] = { "TIME-WAIT brackets, their labels", "TIME-WAIT 2 x MSL", "pt 7 ps 0",
                     "#c0392b", 10 },
};

static void
append_mark_row (const Ladder *l, GString *t, const Mark *m)
{
  g_string_append_printf (t, "%.3f ", m->x);
  plot_append_ms (t, m->y);
  g_string_append_printf (t, " %.3f ", m->spot.label_x);
  append_label_y (t, &m->spot);
  g_string_append_c (t, ' ');
  plot_append_data_str (t, m->spot.text);
  g_string_append_c (t, ' ');
  plot_append_ms (t, m->t);
  g_string_append_c (t, ' ');
  plot_append_data_str (t, g_ptr_array_index (l->hosts, m->col));
  g_string_append_printf (t, " %d %d\n", m->failed, m->spot.shown);
}

/* Calls, discarded data and bracket labels: a marker (calls: red when
 * the call failed) and its label. */
static void
write_marks (Ladder *l, PlotData *dat, GString *plot, MarkKind kind)
{
  guint idx = 0;
  gboolean started = FALSE, any_failed = FALSE;
  for (guint i = 0; i < l->marks->len; i++)
    {
      const Mark *m = &g_array_index (l->marks, Mark, i);
      if (m->kind != kind)
        continue;
      any_failed = any_failed || m->failed;
      if (!started)
        idx = plot_data_block (dat, mark_styles[kind].block,
                               "x y label_x label_y \"label\" t_ms host failed shown");
      started = TRUE;
      append_mark_row (l, dat->text, m);
    }
  if (!started)
    return;
  const char *colour = mark_styles[kind].colour;
  /* Markers in their own colour, those of failed calls red (each with
   * its own key entry; the other rows out of range). */
  if (kind != MARK_BRACKET)
    g_string_append_printf (plot, ", \\\n  'ladder.dat' index %u using 1:($8 > 0 ? " HIDDEN_Y " : $2) with points %s lc rgb '%s' title '%s'",
                            idx, mark_styles[kind].point, colour, mark_styles[kind].title);
  if (any_failed)
    g_string_append_printf (plot, ", \\\n  'ladder.dat' index %u using 1:($8 > 0 ? $2 : " HIDDEN_Y ") with points %s lc rgb '#b03a2e' title 'failed socket call'",
                            idx, mark_styles[kind].point);
  g_string_append_printf (plot, ", \\\n  '' index %u using 3:" SHOWN_Y (4, 9) ":5:($8 > 0 ? 0xb03a2e : 0x%s) with labels boxed center font ',%d' tc rgb variable notitle",
                          idx, colour + 1, mark_styles[kind].points);
}

static void
append_vector (GString *t, double x0, gint64 y0, double x1, gint64 y1, int kind)
{
  g_string_append_printf (t, "%.3f ", x0);
  plot_append_ms (t, y0);
  g_string_append_printf (t, " %.3f ", x1 - x0);
  plot_append_ms (t, y1 - y0);
  g_string_append_printf (t, " %d\n", kind);
}

/* Kind 0: waited (solid), 1: not waited (dashed), 2: a restart tick. */
static void
append_bracket_rows (const Ladder *l, GString *t, const Bracket *b)
{
  double serif = b->side * 10.0 * (x_of_px (l, 1) - x_of_px (l, 0));
  gint64 waited_to = b->cut ? b->y_out : b->y_planned;
  append_vector (t, b->x, b->y_in, b->x, waited_to, 0);
  append_vector (t, b->x, b->y_in, b->x - serif, b->y_in, 0);
  append_vector (t, b->x, waited_to, b->x - serif, waited_to, b->cut ? 1 : 0);
  if (b->cut)
    append_vector (t, b->x, b->y_out, b->x, b->y_planned, 1);
  for (guint i = 0; i < b->restarts->len; i++)
    {
      gint64 y = g_array_index (b->restarts, gint64, i);
      append_vector (t, b->x + serif, y, b->x - 1.5 * serif, y, 2);
    }
}

static void
write_brackets (Ladder *l, PlotData *dat, GString *plot)
{
  if (l->brackets->len == 0)
    return;
  guint idx = plot_data_block (dat, "TIME-WAIT 2 x MSL brackets (kind 0: waited, 1: not waited, cut short; 2: restarted)",
                               "x y dx dy kind");
  for (guint i = 0; i < l->brackets->len; i++)
    append_bracket_rows (l, dat->text, &g_array_index (l->brackets, Bracket, i));
  g_string_append_printf (plot, ", \\\n  'ladder.dat' index %u using 1:2:3:($5 == 1 ? NaN : $4) with vectors nohead lw 2.5 lc rgb '#c0392b' title '2 x MSL (tick: restarted)'",
                          idx);
  g_string_append_printf (plot, ", \\\n  '' index %u using 1:2:3:($5 == 1 ? $4 : NaN) with vectors nohead lw 2 dt 2 lc rgb '#c0392b' title '2 x MSL not waited'",
                          idx);
}

/* Labels moved off their point's level: a thin line back to it. */
static void
append_leader (GString *t, const Spot *spot, guint *count)
{
  if (!spot->shown || !spot->leader)
    return;
  append_vector (t, spot->x, spot->y, spot->leader_x, spot->label_y, 0);
  (*count)++;
}

static void
write_leaders (Ladder *l, PlotData *dat, GString *plot)
{
  g_autoptr (GString) rows = g_string_new (NULL);
  guint count = 0;
  for (guint i = 0; i < l->state_labels->len; i++)
    append_leader (rows, &g_array_index (l->state_labels, Spot, i), &count);
  for (guint i = 0; i < l->marks->len; i++)
    append_leader (rows, &g_array_index (l->marks, Mark, i).spot, &count);
  for (guint i = 0; i < l->marker_labels->len; i++)
    append_leader (rows, &g_array_index (l->marker_labels, Spot, i), &count);
  if (count == 0)
    return;
  guint idx = plot_data_block (dat, "leader lines of labels moved off their point", "x y dx dy kind");
  g_string_append (dat->text, rows->str);
  g_string_append_printf (plot, ", \\\n  'ladder.dat' index %u using 1:2:3:4 with vectors nohead lw 0.8 lc rgb '#909090' notitle",
                          idx);
}

static void
write_data (Ladder *l, PlotData *dat, GString *plot)
{
  write_leaders (l, dat, plot);
  write_brackets (l, dat, plot);
  write_arrows (l, dat, plot);
  write_states (l, dat, plot);
  write_marks (l, dat, plot, MARK_CALL);
  write_marks (l, dat, plot, MARK_BRACKET);
  write_marks (l, dat, plot, MARK_LOST);
  write_stale_rings (l, dat, plot);
  write_corruptions (l, dat, plot);
}

static void
append_cut (Ladder *l, GString *gp, guint i)
{
  const Cut *c = &g_array_index (l->axis.cuts, Cut, i);
  gint64 y0 = axis_map (&l->axis, c->a), y1 = axis_map (&l->axis, c->b);
  gint64 margin = (y1 - y0) / 10;
  g_string_append_printf (gp, "set object %u rect from graph 0, first ", i + 1);
  plot_append_ms (gp, y0 + margin);
  g_string_append (gp, " to graph 1, first ");
  plot_append_ms (gp, y1 - margin);
  /* A cut that segments cross is a break with dashed edges. */
  g_string_append (gp, c->in_flight == 0 ? " fc rgb '#ececec' fs solid 1 noborder behind\n"
                                         : " fc rgb '#f4f4f4' fs solid 1 border lc rgb '#a0a0a0' dt 2 behind\n");
  g_autofree char *text = cut_text (c);
  g_string_append (gp, "set label ");
  plot_append_gp_str (gp, text);
  g_string_append_printf (gp, " at first %.3f, first ", c->label_x);
  plot_append_ms (gp, cut_middle (l, i));
  g_string_append (gp, " center font ',10' tc rgb '#606060'\n");
}

static void
write_script (Ladder *l, GString *gp, const GString *plot, guint hidden)
{
  g_autoptr (GString) title = g_string_new ("Ladder diagram: segments between hosts, time running down");
  plot_script_begin (gp, "ladder",
                     "ladder diagram, one column per host, time running down, one arrow per segment",
                     title->str);
  int n = (int) l->hosts->len;
  g_string_append (gp, "set style textbox opaque noborder margins 1,1\n"
                       "unset xtics\n"
                       "set x2tics scale 0 font ',14' (");
  for (int i = 0; i < n; i++)
    {
      g_string_append (gp, i > 0 ? ", " : "");
      plot_append_gp_str (gp, g_ptr_array_index (l->hosts, i));
      g_string_append_printf (gp, " %d", i);
    }
  g_string_append_printf (gp, ")\n"
                              "set xrange [-0.8:%d.8]\n"
                              "set x2range [-0.8:%d.8]\n",
                          n - 1, n - 1);
  g_string_append_printf (gp, "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
                              "set tmargin at screen %.6f\nset bmargin at screen %.6f\n",
                          (double) l->margin_left / PLOT_WIDTH, 1 - (double) MARGIN_RIGHT / PLOT_WIDTH,
                          1 - (double) MARGIN_TOP / PLOT_HEIGHT, (double) l->margin_bottom / PLOT_HEIGHT);
  g_string_append (gp, "set yrange [");
  plot_append_ms (gp, l->y_bottom);
  g_string_append (gp, ":");
  plot_append_ms (gp, l->y_top);
  g_string_append (gp, "]\n"
                       "set ylabel 'time (ms; grey bands: time cut short)'\n"
                       "set grid ytics lc rgb '#e0e0e0'\n"
                       "set key at screen 0.5, screen 0.005 center bottom horizontal box spacing 1.1 width 1 maxrows 4\n");
  append_ytics (gp, l);
  for (int i = 0; i < n; i++)
    g_string_append_printf (gp, "set arrow from %d, graph 0 to %d, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back\n",
                            i, i);
  for (guint i = 0; i < l->axis.cuts->len; i++)
    append_cut (l, gp, i);
  /* Always a second title line, so that the script's commands are the
   * same whatever its strings: empty, or how many labels are hidden. */
  g_string_append_printf (gp, "set title '%s' . \"\\n\" . '", title->str);
  if (hidden > 0)
    g_string_append_printf (gp, "(%u label%s hidden where there is no room: see ladder.dat, or use --from/--to)",
                            hidden, hidden > 1 ? "s" : "");
  g_string_append (gp, "'\n");
  g_string_append (gp, "plot NaN notitle");
  g_string_append (gp, plot->str);
  g_string_append_c (gp, '\n');
  plot_script_end (gp);
}

/* Calls that bind, connect, listen, accept, close or set an option, and
 * every call that failed: in socket scenarios they are the story.
 * socket() and successful reads and writes are left out (the segments
 * and the corruption marker tell those). */
static gboolean
call_is_drawn (const PlotCall *c)
{
  if (c->err != NULL || c->ret < 0)
    return TRUE;
  return strcmp (c->call, "socket") != 0 && strcmp (c->call, "read") != 0
         && strcmp (c->call, "write") != 0;
}

static void
add_mark (Ladder *l, MarkKind kind, int col, double x, gint64 y, gint64 t, char *text)
{
  Mark m = { .kind = kind, .col = (guint) col, .x = x, .y = y, .t = t };
  spot_init (&m.spot, x, y, text, mark_styles[kind].points,
             kind == MARK_BRACKET ? LABEL_GAP_PX - BRACKET_GAP_PX : LABEL_GAP_PX);
  g_array_append_val (l->marks, m);
}

static void
add_call_marks (Ladder *l)
{
  for (guint i = 0; i < l->trace->calls->len; i++)
    {
      const PlotCall *c = &g_array_index (l->trace->calls, PlotCall, i);
      int col = host_column (l, c->host);
      if (col < 0 || c->t < l->lo || c->t > l->hi || !call_is_drawn (c))
        continue;
      char *text = g_strdup_printf ("%s(%s) = %" G_GINT64_FORMAT "%s%s", c->call,
                                    c->args != NULL ? c->args : "", c->ret,
                                    c->err != NULL ? " " : "", c->err != NULL ? c->err : "");
      add_mark (l, MARK_CALL, col, col, axis_map (&l->axis, c->t), c->t, text);
      Mark *mark = &g_array_index (l->marks, Mark, l->marks->len - 1);
      mark->failed = c->err != NULL || c->ret < 0;
      /* A successful call is hidden rather than drawn over an arrow. */
      mark->spot.keeps_off_lines = !mark->failed;
    }
}

/* At the head of the arrow that carried the discarded data. */
static void
add_lost_marks (Ladder *l)
{
  for (guint i = 0; i < l->trace->data_lost->len; i++)
    {
      const PlotMarker *m = &g_array_index (l->trace->data_lost, PlotMarker, i);
      int col = host_column (l, m->host);
      if (!marker_in_window (l, m))
        continue;
      gint64 y = axis_map (&l->axis, m->t);
      for (guint k = 0; k < l->arrows->len; k++)
        {
          const Arrow *a = &g_array_index (l->arrows, Arrow, k);
          if (a->seg->seg == m->seg && a->t1 == m->t && a->to_x == col && a->cat != CAT_DROPPED)
            y = arrow_y1 (l, a);
        }
      char *text = g_strdup_printf ("#%" G_GINT64_FORMAT "'s real data discarded as a duplicate", m->inc);
      add_mark (l, MARK_LOST, col, col, y, m->t, text);
    }
}

/* "2 x MSL, 60.000 s", "2 x MSL restarted 1x, 61.000 s in all", "2 x MSL
 * cut short: 59.720 s not waited". */
static char *
bracket_text (const Bracket *b)
{
  if (!b->timed)
    {
      /* Without its timer (a capture) only how long it lasted is known. */
      GString *text = g_string_new ("TIME-WAIT lasted ");
      append_duration (text, MIN (b->t_out, b->t_planned) - b->t_in);
      if (b->t_out == G_MAXINT64)
        g_string_append (text, " (still on at the end)");
      return g_string_free (text, FALSE);
    }
  GString *text = g_string_new ("2 x MSL");
  if (b->cut)
    {
      g_string_append (text, " cut short: ");
      append_duration (text, b->t_planned - b->t_out);
      g_string_append (text, " not waited");
    }
  else
    {
      if (b->restarts->len > 0)
        g_string_append_printf (text, " restarted %ux", b->restarts->len);
      g_string_append (text, ", ");
      append_duration (text, b->t_planned - b->t_in);
      if (b->restarts->len > 0)
        g_string_append (text, " in all");
    }
  if (b->cut && b->restarts->len > 0)
    g_string_append_printf (text, ", restarted %ux", b->restarts->len);
  return g_string_free (text, FALSE);
}

/* The TIME-WAIT that state change `i` enters: until the next change of the
 * same connection, its timer sets (the later ones are restarts). */
static void
add_bracket (Ladder *l, guint i)
{
  const PlotTrace *trace = l->trace;
  const PlotStateChange *c = &g_array_index (trace->states, PlotStateChange, i);
  int col = host_column (l, c->host);
  Bracket b = { .t_in = c->t, .t_out = G_MAXINT64, .restarts = g_array_new (FALSE, FALSE, sizeof (gint64)) };
  for (guint k = i + 1; k < trace->states->len && b.t_out == G_MAXINT64; k++)
    {
      const PlotStateChange *next = &g_array_index (trace->states, PlotStateChange, k);
      if (next->host == c->host && next->conn == c->conn)
        b.t_out = next->t;
    }
  b.t_planned = b.t_out;
  gboolean set = FALSE;
  for (guint k = 0; k < trace->time_waits->len; k++)
    {
      const PlotTimer *tw = &g_array_index (trace->time_waits, PlotTimer, k);
      if (tw->host != c->host || tw->conn != c->conn || tw->t < b.t_in || tw->t > b.t_out)
        continue;
      if (set && tw->t > b.t_in && tw->t <= l->hi)
        {
          gint64 y = axis_map (&l->axis, tw->t);
          g_array_append_val (b.restarts, y);
        }
      b.t_planned = tw->at;
      set = TRUE;
    }
  b.timed = set;
  if (b.t_planned == G_MAXINT64)
    b.t_planned = l->hi;
  b.cut = b.t_out < b.t_planned;
  b.side = col == 0 && l->hosts->len > 1 ? -1 : 1;
  b.x = x_of_px (l, px_x (l, col) + b.side * BRACKET_GAP_PX);
  b.y_in = state_y (l, i);
  b.y_out = axis_map (&l->axis, MIN (b.t_out, l->hi));
  b.y_planned = axis_map (&l->axis, MIN (b.t_planned, l->hi));
  g_array_append_val (l->brackets, b);
  Bracket *added = &g_array_index (l->brackets, Bracket, l->brackets->len - 1);
  gint64 waited_to = b.cut ? b.y_out : b.y_planned;
  add_mark (l, MARK_BRACKET, col, b.x, (b.y_in + waited_to) / 2, b.t_in, bracket_text (added));
  Mark *mark = &g_array_index (l->marks, Mark, l->marks->len - 1);
  mark->side = b.side;
  mark->spot.may_rise = TRUE;
}

static void
add_brackets (Ladder *l)
{
  for (guint i = 0; i < l->trace->states->len; i++)
    {
      const PlotStateChange *c = &g_array_index (l->trace->states, PlotStateChange, i);
      if (state_in_window (l, c) && strcmp (c->to, "TIME-WAIT") == 0)
        add_bracket (l, i);
    }
}

static gboolean
has_mark (const Ladder *l, MarkKind kind)
{
  for (guint i = 0; i < l->marks->len; i++)
    if (g_array_index (l->marks, Mark, i).kind == kind)
      return TRUE;
  return FALSE;
}

static gboolean
has_marker_in_window (const Ladder *l, const GArray *markers)
{
  for (guint i = 0; i < markers->len; i++)
    if (marker_in_window (l, &g_array_index (markers, PlotMarker, i)))
      return TRUE;
  return FALSE;
}

/* The entries of the key, as the write_* functions title them. */
static guint
key_entries (const Ladder *l)
{
  guint n = 0;
  for (guint cat = 0; cat < N_CATEGORIES; cat++)
    n += has_category (l, cat);
  for (guint i = 0; i < l->trace->states->len; i++)
    if (state_in_window ((Ladder *) l, &g_array_index (l->trace->states, PlotStateChange, i)))
      {
        n++;
        break;
      }
  n += has_mark (l, MARK_CALL) + has_mark (l, MARK_LOST);
  for (guint i = 0; i < l->marks->len; i++)
    if (g_array_index (l->marks, Mark, i).failed)
      {
        n++;
        break;
      }
  n += l->brackets->len > 0 ? 2 : 0;
  n += has_marker_in_window (l, l->trace->stale_data) + has_marker_in_window (l, l->trace->corruptions);
  return n;
}

static void
write_header (const Ladder *l, PlotData *dat)
{
  g_string_append (dat->text, "# ladder.dat: the ladder diagram drawn by ladder.gp (written by twsim).\n"
                              "# Columns (x): ");
  for (guint i = 0; i < l->hosts->len; i++)
    {
      g_string_append_printf (dat->text, "%s%u = ", i > 0 ? ", " : "", i);
      plot_append_comment_text (dat->text, g_ptr_array_index (l->hosts, i));
    }
  g_string_append (dat->text, "\n# y is the display time in ms (real time with idle stretches cut short);\n"
                              "# t_*_ms columns are the real times. Time window: ");
  plot_append_ms (dat->text, l->lo);
  g_string_append (dat->text, " ms to ");
  plot_append_ms (dat->text, l->hi);
  g_string_append (dat->text, " ms.\n");
  for (guint i = 0; i < l->axis.cuts->len; i++)
    {
      const Cut *c = &g_array_index (l->axis.cuts, Cut, i);
      g_string_append (dat->text, "# cut: ");
      plot_append_ms (dat->text, c->a);
      g_string_append (dat->text, " ms to ");
      plot_append_ms (dat->text, c->b);
      g_string_append (dat->text, " ms drawn ");
      plot_append_ms (dat->text, c->size);
      g_string_append_printf (dat->text, " ms tall, %u segment(s) in flight across it\n", c->in_flight);
    }
  g_string_append (dat->text, "\n");
}

static void
free_spots (GArray *spots, gsize stride, gsize offset)
{
  for (guint i = 0; i < spots->len; i++)
    g_free (((Spot *) (spots->data + i * stride + offset))->text);
  g_array_unref (spots);
}

static void
ladder_clear (Ladder *l)
{
  g_ptr_array_unref (l->hosts);
  g_hash_table_destroy (l->endpoints);
  g_hash_table_destroy (l->names);
  g_hash_table_destroy (l->stale);
  g_hash_table_destroy (l->delays);
  g_array_unref (l->arrows);
  g_array_unref (l->state_slots);
  g_array_unref (l->marker_slots);
  free_spots (l->marker_labels, sizeof (Spot), 0);
  free_spots (l->state_labels, sizeof (Spot), 0);
  free_spots (l->marks, sizeof (Mark), G_STRUCT_OFFSET (Mark, spot));
  for (guint i = 0; i < l->brackets->len; i++)
    g_array_unref (g_array_index (l->brackets, Bracket, i).restarts);
  g_array_unref (l->brackets);
  g_array_unref (l->axis.cuts);
  g_array_unref (l->axis.rooms);
  g_hash_table_destroy (l->instants);
}

gboolean
plot_ladder_write (const PlotTrace *trace, const PlotOptions *opts, const char *dir,
                   GPtrArray *scripts, GPtrArray *notes, GError **error)
{
  Ladder l = {
    .trace = trace,
    .hosts = g_ptr_array_new (),
    .endpoints = g_hash_table_new (g_direct_hash, g_direct_equal),
    .names = g_hash_table_new (g_str_hash, g_str_equal),
    .stale = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .delays = g_hash_table_new (g_direct_hash, g_direct_equal),
    .arrows = g_array_new (FALSE, FALSE, sizeof (Arrow)),
    .state_slots = g_array_new (FALSE, TRUE, sizeof (guint)),
    .marker_slots = g_array_new (FALSE, TRUE, sizeof (guint)),
    .marker_labels = g_array_new (FALSE, TRUE, sizeof (Spot)),
    .state_labels = g_array_new (FALSE, TRUE, sizeof (Spot)),
    .marks = g_array_new (FALSE, TRUE, sizeof (Mark)),
    .brackets = g_array_new (FALSE, TRUE, sizeof (Bracket)),
    .instants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
  };
  learn_topology (&l);
  select_arrows (&l, opts, notes);
  build_axis (&l);
  assign_slots (&l);
  make_room (&l);
  gint64 pad = l.axis.span * 4 / 100;
  l.y_top = -pad;
  l.y_bottom = l.axis.span + pad;
  l.margin_bottom = MARGIN_BOTTOM_BASE + KEY_ROW_PX;
  l.margin_left = MARGIN_LEFT_BASE + TICK_CHAR_PX * longest_tick (&l);
  add_call_marks (&l);
  add_lost_marks (&l);
  add_brackets (&l);
  l.margin_bottom = MARGIN_BOTTOM_BASE + KEY_ROW_PX * (int) ((key_entries (&l) + 1) / 2);

  PlotData dat;
  plot_data_init (&dat, "");
  write_header (&l, &dat);
  g_autoptr (GString) plot = g_string_new (NULL);
  g_array_set_size (l.marker_labels, trace->corruptions->len);
  guint hidden = place_labels (&l);
  write_data (&l, &dat, plot);
  if (dat.blocks == 0)
    {
      plot_data_block (&dat, "nothing in this window", "x y");
      g_string_append (dat.text, "0 0\n");
    }
  g_autoptr (GString) gp = g_string_new (NULL);
  write_script (&l, gp, plot, hidden);

  gboolean ok = plot_write_file (dir, "ladder.dat", dat.text, error)
                && plot_write_file (dir, "ladder.gp", gp, error);
  if (ok)
    g_ptr_array_add (scripts, g_strdup ("ladder"));
  plot_data_clear (&dat);
  ladder_clear (&l);
  return ok;
}
