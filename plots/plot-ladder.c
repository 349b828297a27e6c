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

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 300
#define MAX_CUTS 32
#define LABEL_AT 0.3      /* labels sit this far along their arrow */

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
} Cut;

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
  GArray *marker_labels;  /* MarkerLabel per trace->corruptions entry */
  GArray *state_label_y;  /* gint64 per trace->states entry: display ns */
  gint64 label_bottom;    /* lowest edge of a label, display ns */
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

/* Cuts the idle stretches: a gap more than 10x the median spacing of the
 * instants drawn and more than a quarter of what is left is drawn small. */
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
      for (guint i = 0; i < gaps->len && l->axis.cuts->len < MAX_CUTS; i++)
        {
          Cut *gap = &g_array_index (gaps, Cut, i);
          gint64 g = gap->b - gap->a;
          if (g <= 10 * median || g * 8 <= span)
            break;
          gint64 rest = span - g;
          gap->size = MAX (3 * median, rest * 6 / 100);
          if (gap->size >= g)
            break;
          span = rest + gap->size;
          g_array_append_val (l->axis.cuts, *gap);
        }
      g_array_sort (l->axis.cuts, compare_cut);
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

static void
append_tick (GString *gp, gboolean *first, const TimeAxis *axis, gint64 t)
{
  g_string_append (gp, *first ? "" : ", ");
  *first = FALSE;
  g_string_append_c (gp, '"');
  append_time_label (gp, t);
  g_string_append (gp, "\" ");
  plot_append_ms (gp, axis_map (axis, t));
}

/* Ticks at round times in each uncut section, plus each section's start. */
static void
append_ytics (GString *gp, Ladder *l)
{
  const TimeAxis *axis = &l->axis;
  gint64 step = nice_step (axis->span);
  gboolean first = TRUE;
  g_string_append (gp, "set ytics (");
  for (guint i = 0; i <= axis->cuts->len; i++)
    {
      gint64 from = i == 0 ? l->lo : g_array_index (axis->cuts, Cut, i - 1).b;
      gint64 to = i == axis->cuts->len ? l->hi : g_array_index (axis->cuts, Cut, i).a;
      append_tick (gp, &first, axis, from);
      gint64 t = (from / step + 1) * step;
      for (; t <= to; t += step)
        if (t - from >= step / 2)
          append_tick (gp, &first, axis, t);
    }
  g_string_append (gp, ")\n");
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

/* "c3: SYN-RECEIVED" when the host has several connections. */
static char *
state_text (const PlotStateChange *c, GHashTable *several)
{
  GString *text = g_string_new (NULL);
  if (g_hash_table_contains (several, c->host))
    g_string_append_printf (text, "c%" G_GINT64_FORMAT ": ", c->conn);
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

/* "270.000 ms cut (nothing on the wire)" */
static char *
cut_text (const Cut *c)
{
  GString *text = g_string_new ("");
  append_duration (text, c->b - c->a);
  g_string_append (text, " cut (nothing on the wire)");
  return g_string_free (text, FALSE);
}

static gint64
cut_middle (const Ladder *l, guint i)
{
  const Cut *c = &g_array_index (l->axis.cuts, Cut, i);
  return (axis_map (&l->axis, c->a) + axis_map (&l->axis, c->b)) / 2;
}

/* Text boxes, for placing labels where they do not cover one another:
 * x in column units, y in display ns. */
typedef struct {
  double x0, x1;
  gint64 y0, y1;
} Box;

typedef struct {
  double x_per_px;
  gint64 y_per_px;
  GArray *boxes;        /* Box, placed so far */
  GArray *lines;        /* Box around each flat arrow, by arrow index */
} Placer;

static Box
text_box (const Placer *p, double x_centre, gint64 y, gsize chars, double px_per_char)
{
  double half = ((double) chars * px_per_char + 8) / 2 * p->x_per_px;
  gint64 half_h = 8 * p->y_per_px;
  Box b = { x_centre - half, x_centre + half, y - half_h, y + half_h };
  return b;
}

static gboolean
boxes_meet (const Box *b, const Box *o)
{
  return b->x0 < o->x1 && o->x0 < b->x1 && b->y0 < o->y1 && o->y0 < b->y1;
}

static gboolean
box_free (const Placer *p, const Box *b)
{
  for (guint i = 0; i < p->boxes->len; i++)
    if (boxes_meet (b, &g_array_index (p->boxes, Box, i)))
      return FALSE;
  return TRUE;
}

/* Also clear of the flat arrows other than `own`. */
static gboolean
box_clear_of_arrows (const Placer *p, const Box *b, guint own)
{
  for (guint i = 0; i < p->lines->len; i++)
    if (i != own && boxes_meet (b, &g_array_index (p->lines, Box, i)))
      return FALSE;
  return TRUE;
}

/* Characters as drawn: UTF-8 sequences count one. */
static gsize
text_chars (const char *s)
{
  return g_utf8_validate (s, -1, NULL) ? (gsize) g_utf8_strlen (s, -1) : strlen (s);
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

typedef struct {
  double x;         /* label centre */
  gint64 y;
  char *text;
} MarkerLabel;

/* The labels of stale, duplicate and delayed segments also keep clear
 * of the other arrows that run nearly flat (30 px or less). */
static void
note_flat_arrows (const Ladder *l, Placer *p)
{
  for (guint i = 0; i < l->arrows->len; i++)
    {
      const Arrow *a = &g_array_index (l->arrows, Arrow, i);
      gint64 y0 = arrow_y0 (l, a), y1 = arrow_y1 (l, a);
      Box b = { MIN (a->from_col, a->to_x), MAX (a->from_col, a->to_x),
                MIN (y0, y1) - 3 * p->y_per_px, MAX (y0, y1) + 3 * p->y_per_px };
      if (ABS (y1 - y0) > 30 * p->y_per_px)
        b.x1 = b.x0; /* steep: left out */
      g_array_append_val (p->lines, b);
    }
}

static void
reserve_cut_labels (const Ladder *l, Placer *p)
{
  int n = (int) l->hosts->len;
  for (guint i = 0; i < l->axis.cuts->len; i++)
    {
      g_autofree char *text = cut_text (&g_array_index (l->axis.cuts, Cut, i));
      Box b = text_box (p, (n - 1) / 2.0, cut_middle (l, i), strlen (text), 7.0);
      g_array_append_val (p->boxes, b);
    }
}

/* Beside its star, toward the middle, moved down until it is free. */
static void
place_corruption_label (Ladder *l, Placer *p, guint i)
{
  int n = (int) l->hosts->len;
  const PlotMarker *m = &g_array_index (l->trace->corruptions, PlotMarker, i);
  MarkerLabel *ml = &g_array_index (l->marker_labels, MarkerLabel, i);
  int col = host_column (l, m->host);
  ml->text = corruption_text (l, m);
  double width = ((double) text_chars (ml->text) * 8.5 + 8) * p->x_per_px;
  double side = col == n - 1 && n > 1 ? -1 : 1;
  ml->x = col + side * (0.06 + width / 2);
  ml->y = marker_y (l, i);
  Box b = text_box (p, ml->x, ml->y, text_chars (ml->text), 8.5);
  while (!box_free (p, &b))
    {
      b.y0 += 16 * p->y_per_px;
      b.y1 += 16 * p->y_per_px;
      ml->y += 16 * p->y_per_px;
    }
  g_array_append_val (p->boxes, b);
}

static void
place_corruption_labels (Ladder *l, Placer *p)
{
  for (guint i = 0; i < l->trace->corruptions->len; i++)
    if (marker_in_window (l, &g_array_index (l->trace->corruptions, PlotMarker, i)))
      place_corruption_label (l, p, i);
}

/* Beside the column at the change, moved down when it would overlap the
 * label above it on the same host (`last_y`: host -> lowest free y). */
static void
place_state_label (Ladder *l, Placer *p, guint i, GHashTable *several, GHashTable *last_y)
{
  const PlotStateChange *c = &g_array_index (l->trace->states, PlotStateChange, i);
  int col = host_column (l, c->host);
  gint64 y = state_y (l, i);
  gint64 *below = g_hash_table_lookup (last_y, c->host);
  if (below != NULL && y < *below)
    y = *below;
  g_array_index (l->state_label_y, gint64, i) = y;
  if (below == NULL)
    g_hash_table_insert (last_y, (gpointer) c->host, below = g_new (gint64, 1));
  *below = y + 15 * p->y_per_px;
  g_autofree char *text = state_text (c, several);
  gsize chars = text_chars (text);
  double half = ((double) chars * 7.8 + 8) / 2 * p->x_per_px;
  Box b = text_box (p, col == 0 ? col - 0.04 - half : col + 0.04 + half, y, chars, 7.8);
  g_array_append_val (p->boxes, b);
}

static void
place_state_labels (Ladder *l, Placer *p)
{
  g_autoptr (GHashTable) several = hosts_with_several_connections (l->trace);
  g_array_set_size (l->state_label_y, l->trace->states->len);
  g_autoptr (GHashTable) last_y = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  for (guint i = 0; i < l->trace->states->len; i++)
    if (state_in_window (l, &g_array_index (l->trace->states, PlotStateChange, i)))
      place_state_label (l, p, i, several, last_y);
}

/* Stale, duplicate and delayed segments: their labels are always shown and
 * keep clear of the flat arrows. */
static gboolean
is_notable (const Arrow *a)
{
  return a->cat == CAT_STALE || a->cat == CAT_DUPLICATE || a->cat == CAT_DELAYED;
}

/* Tries the places along arrow `i` in turn and takes the first free one;
 * the label stays at the first place tried when none is. Returns whether
 * one was free. */
static gboolean
place_arrow_label (const Ladder *l, Placer *p, guint i)
{
  static const double along[] = { 0.3, 0.5, 0.7, 0.2, 0.4, 0.6, 0.8, 0.12, 0.88 };
  /* A stale segment's label goes near where it arrives, in the newer
   * connection. */
  static const double along_stale[] = { 0.75, 0.65, 0.85, 0.55, 0.45, 0.35, 0.25, 0.92 };
  Arrow *a = &g_array_index (l->arrows, Arrow, i);
  gint64 y0 = arrow_y0 (l, a), y1 = arrow_y1 (l, a);
  g_autofree char *text = label_text (a);
  gsize chars = text_chars (text);
  gboolean stale = a->cat == CAT_STALE;
  guint tries = stale ? G_N_ELEMENTS (along_stale) : G_N_ELEMENTS (along);
  for (guint k = 0; k < tries; k++)
    {
      double at = stale ? along_stale[k] : along[k];
      if (a->cat == CAT_DROPPED)
        at = MIN (at + 0.2, 0.9);
      double x = a->from_col + at * (a->to_x - a->from_col);
      gint64 y = y0 + (gint64) (at * (double) (y1 - y0));
      Box b = text_box (p, x, y, chars, a->cat == CAT_STALE ? 7.8 : 7.0);
      gboolean clear = box_free (p, &b);
      if (clear && is_notable (a))
        clear = box_clear_of_arrows (p, &b, i);
      if (k == 0 || clear)
        {
          a->label_x = x;
          a->label_y = y;
        }
      if (clear)
        {
          g_array_append_val (p->boxes, b);
          return TRUE;
        }
    }
  return FALSE;
}

/* Stale and duplicates first; returns how many labels were hidden. */
static guint
place_arrow_labels (Ladder *l, Placer *p)
{
  static const Category order[] = { CAT_STALE, CAT_DUPLICATE, CAT_DELAYED, CAT_DROPPED,
                                    CAT_REXMIT, CAT_NORMAL };
  guint hidden = 0;
  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    for (guint i = 0; i < l->arrows->len; i++)
      {
        Arrow *a = &g_array_index (l->arrows, Arrow, i);
        if (a->cat != order[o])
          continue;
        gboolean placed = place_arrow_label (l, p, i);
        a->show_label = placed || is_notable (a);
        if (!a->show_label)
          hidden++;
      }
  return hidden;
}

/* Places every label: corruption first, beside its star (toward the
 * middle), then the state labels, moved down when they would overlap the
 * one above, then the arrows' labels, stale and duplicates first, each at
 * the first free place along its arrow. An arrow label with no free place
 * is hidden (the data keeps it), unless it is stale, a duplicate or a
 * delayed one. Returns how many were hidden. */
static guint
place_labels (Ladder *l)
{
  int n = (int) l->hosts->len;
  Placer p = {
    .x_per_px = (n - 1 + 1.6) / (PLOT_WIDTH - 150),
    .y_per_px = MAX (l->axis.span * 108 / 100 / (PLOT_HEIGHT - 230), 1),
    .boxes = g_array_new (FALSE, FALSE, sizeof (Box)),
    .lines = g_array_new (FALSE, FALSE, sizeof (Box)),
  };
  note_flat_arrows (l, &p);
  reserve_cut_labels (l, &p);
  place_corruption_labels (l, &p);
  place_state_labels (l, &p);
  guint hidden = place_arrow_labels (l, &p);
  for (guint i = 0; i < p.boxes->len; i++)
    l->label_bottom = MAX (l->label_bottom, g_array_index (p.boxes, Box, i).y1);
  g_array_unref (p.boxes);
  g_array_unref (p.lines);
  return hidden;
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
  g_string_append_printf (plot, ", \\\n  '' index %u using 5:($13 > 0 ? $6 : NaN):7 with labels boxed center font ',%d' tc rgb '%s' notitle",
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

static void
append_state_row (const Ladder *l, GString *t, guint i, int col, int side, GHashTable *several)
{
  const PlotStateChange *c = &g_array_index (l->trace->states, PlotStateChange, i);
  g_string_append_printf (t, "%.2f ", col + (side == 0 ? -0.04 : 0.04));
  plot_append_ms (t, state_y (l, i));
  g_string_append_c (t, ' ');
  g_autofree char *text = state_text (c, several);
  plot_append_data_str (t, text);
  g_string_append_printf (t, " %d ", col);
  plot_append_ms (t, c->t);
  g_string_append_printf (t, " %" G_GINT64_FORMAT " ", c->conn);
  plot_append_ms (t, g_array_index (l->state_label_y, gint64, i));
  g_string_append_c (t, '\n');
}

/* Side 0: the states of the first column, labelled left of it; side 1:
 * those of the other columns, labelled right of theirs. */
static void
write_state_side (Ladder *l, PlotData *dat, GString *plot, int side, GHashTable *several)
{
  guint idx = 0;
  gboolean started = FALSE;
  for (guint i = 0; i < l->trace->states->len; i++)
    {
      const PlotStateChange *c = &g_array_index (l->trace->states, PlotStateChange, i);
      int col = host_column (l, c->host);
      if (!state_in_window (l, c) || (col == 0) != (side == 0))
        continue;
      if (!started)
        {
          idx = plot_data_block (dat, side == 0 ? "states, left of the first column"
                                                : "states, right of their column",
                                 "label_x y \"state\" column t_ms conn label_y");
          started = TRUE;
        }
      append_state_row (l, dat->text, i, col, side, several);
    }
  if (!started)
    return;
  g_string_append_printf (plot, ", \\\n  'ladder.dat' index %u using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' %s",
                          idx, side == 0 ? "title 'TCP state change'" : "notitle");
  g_string_append_printf (plot, ", \\\n  '' index %u using 1:7:3 with labels %s font ',11' tc rgb '#1b2631' notitle",
                          idx, side == 0 ? "right" : "left");
}

/* States along the columns: outside the first column, right of others;
 * the dot at the change, the label moved down if it would overlap. */
static void
write_states (Ladder *l, PlotData *dat, GString *plot)
{
  g_autoptr (GHashTable) several = hosts_with_several_connections (l->trace);
  for (int side = 0; side < 2; side++)
    write_state_side (l, dat, plot, side, several);
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
  const MarkerLabel *ml = &g_array_index (l->marker_labels, MarkerLabel, i);
  g_string_append_printf (t, "%d ", host_column (l, m->host));
  plot_append_ms (t, marker_y (l, i));
  g_string_append_c (t, ' ');
  plot_append_ms (t, m->t);
  g_string_append_printf (t, " %.3f ", ml->x);
  plot_append_ms (t, ml->y);
  g_string_append_c (t, ' ');
  plot_append_data_str (t, ml->text);
  g_string_append_printf (t, " %" G_GINT64_FORMAT "\n", m->seg);
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
          guint idx = plot_data_block (dat, "corruption", "x y t_ms label_x label_y \"label\" seg");
          g_string_append_printf (plot, ", \\\n  'ladder.dat' index %u using 1:2 with points pt 3 ps 4 lw 3 lc rgb '#e6007e' title 'corruption (stale bytes read)'",
                                  idx);
          g_string_append_printf (plot, ", \\\n  '' index %u using 4:5:6 with labels boxed center font ',12' tc rgb '#e6007e' notitle",
                                  idx);
          any_corruption = TRUE;
        }
      append_corruption_row (l, dat->text, i);
    }
}

static void
write_data (Ladder *l, PlotData *dat, GString *plot)
{
  write_arrows (l, dat, plot);
  write_states (l, dat, plot);
  write_stale_rings (l, dat, plot);
  write_corruptions (l, dat, plot);
}

static void
write_script (Ladder *l, GString *gp, const GString *plot, guint hidden)
{
  g_autoptr (GString) title = g_string_new ("Ladder diagram: segments between hosts, time running down");
  plot_script_begin (gp, "ladder",
                     "ladder diagram, one column per host, time running down, one arrow per segment",
                     title->str);
  int n = (int) l->hosts->len;
  gint64 pad = l->axis.span * 4 / 100;
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
  g_string_append (gp, "set yrange [");
  plot_append_ms (gp, MAX (l->axis.span + pad, l->label_bottom + pad / 2));
  g_string_append (gp, ":");
  plot_append_ms (gp, -pad);
  g_string_append (gp, "]\n"
                       "set ylabel 'time (ms; grey bands: idle time cut short)'\n"
                       "set grid ytics lc rgb '#e0e0e0'\n"
                       "set key below horizontal box spacing 1.2 width 1\n");
  append_ytics (gp, l);
  for (int i = 0; i < n; i++)
    g_string_append_printf (gp, "set arrow from %d, graph 0 to %d, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back\n",
                            i, i);
  for (guint i = 0; i < l->axis.cuts->len; i++)
    {
      const Cut *c = &g_array_index (l->axis.cuts, Cut, i);
      gint64 y0 = axis_map (&l->axis, c->a), y1 = axis_map (&l->axis, c->b);
      gint64 margin = (y1 - y0) / 4;
      g_string_append_printf (gp, "set object %u rect from graph 0, first ", i + 1);
      plot_append_ms (gp, y0 + margin);
      g_string_append (gp, " to graph 1, first ");
      plot_append_ms (gp, y1 - margin);
      g_string_append (gp, " fc rgb '#ececec' fs solid 1 noborder behind\n");
      g_autofree char *text = cut_text (c);
      g_string_append (gp, "set label ");
      plot_append_gp_str (gp, text);
      g_string_append (gp, " at graph 0.5, first ");
      plot_append_ms (gp, cut_middle (l, i));
      g_string_append (gp, " center font ',10' tc rgb '#606060'\n");
    }
  if (hidden > 0)
    g_string_append_printf (gp, "set title '%s' . \"\\n\" . '(%u label%s hidden where arrows are too close: see ladder.dat, or use --from/--to)'\n",
                            title->str, hidden, hidden > 1 ? "s" : "");
  g_string_append (gp, "plot NaN notitle");
  g_string_append (gp, plot->str);
  g_string_append_c (gp, '\n');
  plot_script_end (gp);
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
    .marker_labels = g_array_new (FALSE, TRUE, sizeof (MarkerLabel)),
    .state_label_y = g_array_new (FALSE, TRUE, sizeof (gint64)),
    .instants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
  };
  learn_topology (&l);
  select_arrows (&l, opts, notes);
  build_axis (&l);
  assign_slots (&l);
  make_room (&l);

  PlotData dat;
  plot_data_init (&dat, "");
  g_string_append (dat.text, "# ladder.dat: the ladder diagram drawn by ladder.gp (written by twsim).\n"
                             "# Columns (x): ");
  for (guint i = 0; i < l.hosts->len; i++)
    {
      g_string_append_printf (dat.text, "%s%u = ", i > 0 ? ", " : "", i);
      plot_append_comment_text (dat.text, g_ptr_array_index (l.hosts, i));
    }
  g_string_append (dat.text, "\n# y is the display time in ms (real time with idle stretches cut short);\n"
                             "# t_*_ms columns are the real times. Time window: ");
  plot_append_ms (dat.text, l.lo);
  g_string_append (dat.text, " ms to ");
  plot_append_ms (dat.text, l.hi);
  g_string_append (dat.text, " ms.\n");
  for (guint i = 0; i < l.axis.cuts->len; i++)
    {
      const Cut *c = &g_array_index (l.axis.cuts, Cut, i);
      g_string_append (dat.text, "# cut: ");
      plot_append_ms (dat.text, c->a);
      g_string_append (dat.text, " ms to ");
      plot_append_ms (dat.text, c->b);
      g_string_append (dat.text, " ms drawn ");
      plot_append_ms (dat.text, c->size);
      g_string_append (dat.text, " ms tall\n");
    }
  g_string_append (dat.text, "\n");
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
  g_ptr_array_unref (l.hosts);
  g_hash_table_destroy (l.endpoints);
  g_hash_table_destroy (l.names);
  g_hash_table_destroy (l.stale);
  g_hash_table_destroy (l.delays);
  g_array_unref (l.arrows);
  g_array_unref (l.state_slots);
  g_array_unref (l.marker_slots);
  for (guint i = 0; i < l.marker_labels->len; i++)
    g_free (g_array_index (l.marker_labels, MarkerLabel, i).text);
  g_array_unref (l.marker_labels);
  g_array_unref (l.state_label_y);
  g_array_unref (l.axis.cuts);
  g_array_unref (l.axis.rooms);
  g_hash_table_destroy (l.instants);
  return ok;
}
