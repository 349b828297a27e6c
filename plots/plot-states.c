/* plot-states.c: the state timeline. Each tcp.state event closes the
 * interval of the connection's previous state and opens one for the new
 * state; the last state of each connection lasts to the end of the trace.
 * The time axis cuts quiet stretches short (plot-time-axis.h), so a 60 s
 * TIME-WAIT and a second of handshakes both show. With very many
 * intervals, runs of intervals narrower than a pixel are merged so
 * gnuplot stays fast. */
#include "plot-states.h"

#include "plot-names.h"
#include "plot-time-axis.h"

#include <stdlib.h>
#include <string.h>

#define MERGE_THRESHOLD 20000
/* Row labels at most this many, so 11 pt lines never touch (about 16 px
 * a row in the bars' 660 px). */
#define MAX_ROW_LABELS 40
#define BARS_PX (PLOT_HEIGHT - 140)   /* the height of the bars' area */
#define TEXT_HEIGHT_PX 16.0           /* an 11 pt line */
#define MAX_CUTS 4
#define BAR_HALF 0.36   /* half the height of a bar, in rows */
#define GONE_HALF 0.08  /* half the height of the CLOSED line of a connection gone */
#define KEY_PX 290      /* the key and the right margin, right of the bars */

/* Fixed colours, in RFC 9293 order; text colour for labels inside bars. */
static const struct {
  const char *name;
  const char *colour;
  const char *text;
} state_styles[] = {
  { "CLOSED", "#c8c8c8", "#000000" },
  { "LISTEN", "#a6cee3", "#000000" },
  { "SYN-SENT", "#fdbf6f", "#000000" },
  { "SYN-RECEIVED", "#ff7f00", "#000000" },
  { "ESTABLISHED", "#33a02c", "#ffffff" },
  { "FIN-WAIT-1", "#cab2d6", "#000000" },
  { "FIN-WAIT-2", "#6a3d9a", "#ffffff" },
  { "CLOSE-WAIT", "#1f78b4", "#ffffff" },
  { "CLOSING", "#fb9a99", "#000000" },
  { "LAST-ACK", "#b15928", "#ffffff" },
  { "TIME-WAIT", "#e31a1c", "#ffffff" },
};

#define OTHER_STYLE G_N_ELEMENTS (state_styles)

typedef struct {
  gint64 t0, t1;
  guint style;          /* index in state_styles, OTHER_STYLE for others */
  const char *state;
  const char *end_why;  /* why it ended ("2 x MSL elapsed", "TCP_TIMEWAIT_LEN
                           elapsed"), NULL if it did not */
  gint64 msl_end;       /* TIME-WAIT: when its 2 x MSL timer would fire (after its
                           last restart), or -1 */
  guint restarts;       /* TIME-WAIT: times its timer was set again (a FIN again) */
} Interval;

typedef struct {
  gint64 conn, inc;
  const char *host, *local, *remote;
  char *name;           /* plot_conn_name */
  GArray *intervals;    /* Interval */
} Row;

static guint
style_of (const char *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_styles); i++)
    if (strcmp (state_styles[i].name, state) == 0)
      return i;
  return OTHER_STYLE;
}

static void
row_free (gpointer data)
{
  Row *row = data;
  g_array_unref (row->intervals);
  g_free (row->name);
  g_free (row);
}

static GPtrArray *
build_rows (const PlotTrace *trace)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr (GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < trace->states->len; i++)
    {
      const PlotStateChange *c = &g_array_index (trace->states, PlotStateChange, i);
      char *key = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, c->conn, c->inc);
      Row *row = g_hash_table_lookup (index, key);
      if (row == NULL)
        {
          row = g_new0 (Row, 1);
          row->conn = c->conn;
          row->inc = c->inc;
          row->host = c->host;
          row->local = c->local;
          row->remote = c->remote;
          row->intervals = g_array_new (FALSE, FALSE, sizeof (Interval));
          g_ptr_array_add (rows, row);
          g_hash_table_insert (index, key, row);
        }
      else
        g_free (key);
      if (row->intervals->len > 0)
        {
          Interval *last = &g_array_index (row->intervals, Interval, row->intervals->len - 1);
          last->t1 = c->t;
          last->end_why = c->why;
          if (last->t1 == last->t0)
            g_array_set_size (row->intervals, row->intervals->len - 1);
        }
      Interval next = { .t0 = c->t, .t1 = trace->t_end, .style = style_of (c->to), .state = c->to,
                        .msl_end = -1 };
      g_array_append_val (row->intervals, next);
    }
  return rows;
}

static gboolean
is_time_wait (const Interval *iv)
{
  return strcmp (iv->state, "TIME-WAIT") == 0;
}

/* The TIME-WAIT timer settings of the trace by connection: key -> GArray
 * of PlotTimer *, in trace order. */
static GHashTable *
timers_by_conn (const PlotTrace *trace)
{
  GHashTable *by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  for (guint k = 0; k < trace->time_waits->len; k++)
    {
      const PlotTimer *tw = &g_array_index (trace->time_waits, PlotTimer, k);
      char *key = plot_conn_key (tw->host, tw->conn);
      GPtrArray *list = g_hash_table_lookup (by, key);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (by, g_strdup (key), list);
        }
      g_ptr_array_add (list, (gpointer) tw);
      g_free (key);
    }
  return by;
}

/* A TIME-WAIT's timer: set on entry, set again by each FIN that asks for
 * the ACK once more (RFC 9293 3.10.7.4 "restart the 2 MSL timeout"; Linux
 * tcp_timewait_state_process reschedules it); its 2 x MSL ends at the
 * last setting. */
static void
attach_timers (Row *row, GHashTable *timers)
{
  g_autofree char *key = plot_conn_key (row->host, row->conn);
  GPtrArray *mine = g_hash_table_lookup (timers, key);
  for (guint i = 0; i < row->intervals->len && mine != NULL; i++)
    {
      Interval *iv = &g_array_index (row->intervals, Interval, i);
      if (!is_time_wait (iv))
        continue;
      for (guint k = 0; k < mine->len; k++)
        {
          const PlotTimer *tw = g_ptr_array_index (mine, k);
          if (tw->t < iv->t0 || tw->t > iv->t1)
            continue;
          iv->restarts += iv->msl_end >= 0;
          iv->msl_end = tw->at;
        }
    }
}

/* Timers and the human name of each row (plot-names.h). */
static void
finish_rows (GPtrArray *rows, const PlotTrace *trace)
{
  g_autoptr (GHashTable) names = plot_conn_names_new (trace);
  g_autoptr (GHashTable) timers = timers_by_conn (trace);
  for (guint r = 0; r < rows->len; r++)
    {
      Row *row = g_ptr_array_index (rows, r);
      attach_timers (row, timers);
      row->name = g_strdup (plot_conn_names_get (names, row->host, row->conn));
    }
}

/* Merges runs of intervals shorter than `pixel` into one bar, coloured as
 * the first of them. */
static guint
merge_row (Row *row, gint64 pixel)
{
  g_autoptr (GArray) merged = g_array_new (FALSE, FALSE, sizeof (Interval));
  for (guint i = 0; i < row->intervals->len; i++)
    {
      Interval iv = g_array_index (row->intervals, Interval, i);
      Interval *last = merged->len > 0 ? &g_array_index (merged, Interval, merged->len - 1) : NULL;
      if (last != NULL && last->t1 - last->t0 < pixel && iv.t1 - iv.t0 < pixel)
        {
          last->t1 = iv.t1;
          continue;
        }
      g_array_append_val (merged, iv);
    }
  g_array_unref (row->intervals);
  row->intervals = g_steal_pointer (&merged);
  return row->intervals->len;
}

static void
append_row_label (GString *out, const Row *row)
{
  plot_append_gp_str (out, row->name);
}

static void
append_duration (GString *out, gint64 ns)
{
  if (ns >= 1000000000)
    g_string_append_printf (out, "%.3f s", (double) ns / 1e9);
  else
    g_string_append_printf (out, "%.1f ms", (double) ns / 1e6);
}

/* Merges runs of intervals narrower than a pixel when there are too many
 * intervals for gnuplot to draw fast, and notes it. */
static void
merge_if_crowded (GPtrArray *rows, gint64 span, GPtrArray *notes)
{
  guint total = 0;
  for (guint i = 0; i < rows->len; i++)
    total += ((Row *) g_ptr_array_index (rows, i))->intervals->len;
  if (total <= MERGE_THRESHOLD)
    return;
  guint after = 0;
  for (guint i = 0; i < rows->len; i++)
    after += merge_row (g_ptr_array_index (rows, i), span / PLOT_WIDTH);
  g_ptr_array_add (notes, g_strdup_printf ("states: %u state intervals; runs narrower than a pixel merged into %u bars",
                                           total, after));
}

/* Where the bars go: the time axis (quiet stretches cut), which rows are
 * labelled, the left margin that holds their labels, the x range and the
 * bars' pixels per ns of drawn time. */
typedef struct {
  PlotTimeAxis *axis;
  guint every;          /* label every n-th row */
  double lmargin;       /* screen fraction */
  gint64 x_begin, x_end;
  double px_per_ns;
} Layout;

static gboolean
is_gone (const Interval *iv)
{
  return strcmp (iv->state, "CLOSED") == 0;
}

static void
append_x (GString *t, const Layout *l, gint64 at)
{
  plot_append_s (t, plot_time_axis_x (l->axis, at));
}

/* The middle of t0..t1 as drawn (a cut inside makes it differ from the
 * middle in time). */
static void
append_x_mid (GString *t, const Layout *l, gint64 t0, gint64 t1)
{
  gint64 x0 = plot_time_axis_x (l->axis, t0), x1 = plot_time_axis_x (l->axis, t1);
  plot_append_s (t, x0 + (x1 - x0) / 2);
}

static void
append_bar (GString *t, const Layout *l, const Row *row, guint r, const Interval *iv)
{
  double half = is_gone (iv) ? GONE_HALF : BAR_HALF;
  append_x_mid (t, l, iv->t0, iv->t1);
  g_string_append_printf (t, " %u ", r);
  append_x (t, l, iv->t0);
  g_string_append_c (t, ' ');
  append_x (t, l, iv->t1);
  g_string_append_printf (t, " %.2f %.2f ", r - half, r + half);
  plot_append_data_str (t, iv->state);
  g_string_append_printf (t, " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " ", row->conn, row->inc);
  plot_append_s (t, iv->t0);
  g_string_append_c (t, ' ');
  plot_append_s (t, iv->t1);
  g_string_append_c (t, '\n');
}

/* One data block and one plot clause per style that some bar has, in
 * state_styles order. A connection gone (CLOSED) is a thin grey line, so
 * the dead do not fill the picture. */
static void
write_style_bars (PlotData *dat, GString *plot, GPtrArray *rows, const Layout *l, guint style)
{
  gboolean started = FALSE;
  for (guint r = 0; r < rows->len; r++)
    {
      const Row *row = g_ptr_array_index (rows, r);
      for (guint i = 0; i < row->intervals->len; i++)
        {
          const Interval *iv = &g_array_index (row->intervals, Interval, i);
          if (iv->style != style)
            continue;
          if (!started)
            {
              const char *name = style < OTHER_STYLE ? state_styles[style].name : "other states";
              guint idx = plot_data_block (dat, name, "x_mid row x_from x_to row_low row_high \"state\" conn inc t_from_s t_to_s");
              g_string_append_printf (plot, ", \\\n  'states.dat' index %u using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '%s' title '%s%s'",
                                      idx, style < OTHER_STYLE ? state_styles[style].colour : "#8c6d31",
                                      name, style == 0 ? " (gone)" : "");
              started = TRUE;
            }
          append_bar (dat->text, l, row, r, iv);
        }
    }
}

static void
write_bars (PlotData *dat, GString *plot, GPtrArray *rows, const Layout *l)
{
  for (guint style = 0; style <= OTHER_STYLE; style++)
    write_style_bars (dat, plot, rows, l, style);
}

/* The times the axis must show: every state change, the end of the
 * trace, each TIME-WAIT timer set and where its 2 x MSL would end. */
static GArray *
key_times (const PlotTrace *trace, GPtrArray *rows)
{
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (keys, trace->t_begin);
  g_array_append_val (keys, trace->t_end);
  for (guint k = 0; k < trace->time_waits->len; k++)
    g_array_append_val (keys, g_array_index (trace->time_waits, PlotTimer, k).t);
  for (guint r = 0; r < rows->len; r++)
    {
      const Row *row = g_ptr_array_index (rows, r);
      for (guint i = 0; i < row->intervals->len; i++)
        {
          const Interval *iv = &g_array_index (row->intervals, Interval, i);
          g_array_append_val (keys, iv->t0);
          if (iv->msl_end > iv->t1)
            g_array_append_val (keys, iv->msl_end);
        }
    }
  return keys;
}

static Layout
layout_of (const PlotTrace *trace, GPtrArray *rows)
{
  Layout l;
  g_autoptr (GArray) keys = key_times (trace, rows);
  l.axis = plot_time_axis_new (keys, MAX_CUTS);
  l.every = (rows->len + MAX_ROW_LABELS - 1) / MAX_ROW_LABELS;
  glong widest = 0;
  for (guint r = 0; r < rows->len; r += l.every)
    widest = MAX (widest, g_utf8_strlen (((Row *) g_ptr_array_index (rows, r))->name, -1));
  l.lmargin = MIN (0.5, (PLOT_TEXT_PX (widest) + 40) / PLOT_WIDTH);
  l.x_begin = plot_time_axis_x (l.axis, trace->t_begin);
  gint64 drawn = MAX (plot_time_axis_x_end (l.axis) - l.x_begin, 1);
  l.x_end = l.x_begin + drawn + drawn / 50;
  /* The bars' width in pixels: the plot less the margin and the key. */
  l.px_per_ns = (PLOT_WIDTH * (1 - l.lmargin) - KEY_PX) / (double) (l.x_end - l.x_begin);
  return l;
}

/* The labels of the bars: those inside go straight into the data, those
 * below TIME-WAIT bars, the outlines of a TIME-WAIT cut short and the
 * marks of a TIME-WAIT restarted are collected and written as blocks of
 * their own after them. */
typedef struct {
  PlotData *dat;
  GString *plot;
  const Layout *layout;
  gboolean labels, below, ghosts, restarts;
  GString *below_text;
  GString *ghost_text;
  GString *restart_text;
} BarLabels;

/* A TIME-WAIT that ended for a reason other than its 2 x MSL timer. */
static gboolean
is_cut_short (const Interval *iv)
{
  return is_time_wait (iv) && iv->end_why != NULL && !g_str_has_suffix (iv->end_why, " elapsed");
}

/* "STATE duration", and for a TIME-WAIT how often it restarted and why
 * it ended: "(2 x MSL)" or the reason up to its parenthesis; `brief`, up
 * to its first ':' or ',' too ("taken over"). */
static GString *
interval_text (const Interval *iv, gboolean brief)
{
  GString *text = g_string_new (iv->state);
  g_string_append_c (text, ' ');
  append_duration (text, iv->t1 - iv->t0);
  if (iv->restarts > 0)
    g_string_append_printf (text, ", restarted %ux", iv->restarts);
  if (is_time_wait (iv) && iv->end_why != NULL && !is_cut_short (iv))
    {
      /* "(2 x MSL)", "(TCP_TIMEWAIT_LEN)": the close reason less " elapsed". */
      g_string_append (text, " (");
      g_string_append_len (text, iv->end_why, (gssize) (strlen (iv->end_why) - strlen (" elapsed")));
      g_string_append (text, ")");
    }
  else if (is_cut_short (iv))
    {
      gsize len = strlen (iv->end_why);
      const char *paren = strstr (iv->end_why, " (");
      len = paren != NULL ? (gsize) (paren - iv->end_why) : len;
      len = brief ? MIN (len, strcspn (iv->end_why, ":,")) : len;
      g_string_append (text, " (");
      g_string_append_len (text, iv->end_why, (gssize) len);
      g_string_append (text, ")");
    }
  return text;
}

static double
text_ns (const BarLabels *bl, const char *text)
{
  return (PLOT_TEXT_PX (g_utf8_strlen (text, -1)) + 12) / bl->layout->px_per_ns;
}

static gboolean
text_fits_bar (const BarLabels *bl, const Interval *iv, const char *text)
{
  const PlotTimeAxis *axis = bl->layout->axis;
  double bar = (double) (plot_time_axis_x (axis, iv->t1) - plot_time_axis_x (axis, iv->t0));
  return text_ns (bl, text) <= bar;
}

static void
append_inside_label (BarLabels *bl, guint r, const Interval *iv, const char *text)
{
  if (!bl->labels)
    {
      guint idx = plot_data_block (bl->dat, "labels inside bars", "x_mid row \"text\" text_rgb");
      g_string_append_printf (bl->plot, ", \\\n  'states.dat' index %u using 1:2:3:4 with labels center font ',11' tc rgb variable notitle",
                              idx);
      bl->labels = TRUE;
    }
  append_x_mid (bl->dat->text, bl->layout, iv->t0, iv->t1);
  g_string_append_printf (bl->dat->text, " %u ", r);
  plot_append_data_str (bl->dat->text, text);
  const char *rgb = iv->style < OTHER_STYLE ? state_styles[iv->style].text : "#ffffff";
  g_string_append_printf (bl->dat->text, " %ld\n", strtol (rgb + 1, NULL, 16));
}

/* The dashed outline of the rest of a TIME-WAIT's 2 x MSL, to where its
 * last timer would have fired, even past the end of the trace. */
static void
append_ghost (BarLabels *bl, const Row *row, guint r, const Interval *iv)
{
  bl->ghosts = TRUE;
  GString *g = bl->ghost_text;
  append_x_mid (g, bl->layout, iv->t1, iv->msl_end);
  g_string_append_printf (g, " %u ", r);
  append_x (g, bl->layout, iv->t1);
  g_string_append_c (g, ' ');
  append_x (g, bl->layout, iv->msl_end);
  g_string_append_printf (g, " %.2f %.2f ", r - BAR_HALF, r + BAR_HALF);
  plot_append_s (g, iv->msl_end);
  g_string_append_printf (g, " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                          row->conn, row->inc);
}

/* A white line across the TIME-WAIT bar where its timer was set again,
 * with a mark above the bar. */
static void
append_restarts (BarLabels *bl, const Row *row, guint r, const Interval *iv,
                 const PlotTrace *trace)
{
  for (guint k = 0; k < trace->time_waits->len; k++)
    {
      const PlotTimer *tw = &g_array_index (trace->time_waits, PlotTimer, k);
      if (tw->host != row->host || tw->conn != row->conn || tw->t <= iv->t0 || tw->t > iv->t1)
        continue;
      bl->restarts = TRUE;
      append_x (bl->restart_text, bl->layout, tw->t);
      g_string_append_printf (bl->restart_text, " %.2f %.2f ", r - BAR_HALF, 2 * BAR_HALF);
      plot_append_s (bl->restart_text, tw->at);
      g_string_append_printf (bl->restart_text, " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                              row->conn, row->inc);
    }
}

/* Below the bar, from its start, moved left so it ends inside the frame. */
static void
append_below_label (BarLabels *bl, const Row *row, guint r, const Interval *iv, const char *text)
{
  bl->below = TRUE;
  gint64 x = plot_time_axis_x (bl->layout->axis, iv->t0);
  gint64 room = bl->layout->x_end - (gint64) text_ns (bl, text);
  plot_append_s (bl->below_text, MAX (bl->layout->x_begin, MIN (x, room)));
  g_string_append_printf (bl->below_text, " %.2f ", r + BAR_HALF + 0.15);
  plot_append_data_str (bl->below_text, text);
  g_string_append_printf (bl->below_text, " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                          row->conn, row->inc);
}

static void
label_interval (BarLabels *bl, const Row *row, guint r, const Interval *iv,
                const PlotTrace *trace)
{
  gboolean time_wait = is_time_wait (iv);
  gboolean cut_short = is_cut_short (iv);
  if (time_wait)
    append_restarts (bl, row, r, iv, trace);
  if (cut_short && iv->msl_end > iv->t1)
    append_ghost (bl, row, r, iv);
  if (is_gone (iv))
    return;
  /* When 2 x MSL would have ended: the end of the dashed outline, said in
   * words too when the line still fits the frame; a long reason is said
   * briefly when it does not. */
  gint64 x_room = bl->layout->x_end - bl->layout->x_begin;
  g_autoptr (GString) text = interval_text (iv, FALSE);
  if (text_ns (bl, text->str) > (double) x_room)
    {
      g_string_free (text, TRUE);
      text = interval_text (iv, TRUE);
    }
  gboolean fits = text_fits_bar (bl, iv, text->str);
  if (fits)
    append_inside_label (bl, r, iv, text->str);
  if (cut_short && iv->msl_end > iv->t1)
    {
      gsize len = text->len;
      g_string_append (text, "; 2 x MSL would end at ");
      append_duration (text, iv->msl_end);
      if (text_ns (bl, text->str) > (double) x_room)
        g_string_truncate (text, len);
    }
  if (time_wait && (!fits || cut_short))
    append_below_label (bl, row, r, iv, text->str);
}

static void
write_collected_labels (BarLabels *bl)
{
  if (bl->ghosts)
    {
      guint ghost_idx = plot_data_block (bl->dat, "the rest of a TIME-WAIT cut short (to its 2 x MSL)",
                                         "x_mid row x_from x_to row_low row_high msl_end_s conn inc");
      g_string_append (bl->dat->text, bl->ghost_text->str);
      g_string_append_printf (bl->plot, ", \\\n  'states.dat' index %u using 1:2:3:4:5:6 with boxxyerror lc rgb '#e31a1c' dt 2 lw 2 fs empty border lc rgb '#e31a1c' title '2 x MSL not waited'",
                              ghost_idx);
    }
  if (bl->restarts)
    {
      guint idx = plot_data_block (bl->dat, "TIME-WAIT restarted (its 2 x MSL set again)",
                                   "x row_low bar_height msl_end_s conn inc");
      g_string_append (bl->dat->text, bl->restart_text->str);
      g_string_append_printf (bl->plot, ", \\\n  'states.dat' index %u using 1:2:(0):3 with vectors nohead lw 3 lc rgb '#ffffff' notitle",
                              idx);
      g_string_append_printf (bl->plot, ", \\\n  'states.dat' index %u using 1:2 with points pt 11 ps 1.6 lc rgb '#202020' title 'TIME-WAIT restart'",
                              idx);
    }
  if (bl->below)
    {
      guint below_idx = plot_data_block (bl->dat, "TIME-WAIT labels below their bars", "x_from y \"text\" conn inc");
      g_string_append (bl->dat->text, bl->below_text->str);
      g_string_append_printf (bl->plot, ", \\\n  'states.dat' index %u using 1:2:3 with labels left font ',11' tc rgb '#a01010' notitle",
                              below_idx);
    }
}

/* Names and durations inside the bars wide enough to hold them. A
 * TIME-WAIT always says how long it lasted, how often it restarted and
 * why it ended; when it is too short for that, the text goes below the
 * bar, and a TIME-WAIT cut short shows the rest of its 2 x MSL as a
 * dashed outline. */
static void
write_bar_labels (PlotData *dat, GString *plot, GPtrArray *rows, const Layout *layout,
                  const PlotTrace *trace)
{
  g_autoptr (GString) below_text = g_string_new (NULL);
  g_autoptr (GString) ghost_text = g_string_new (NULL);
  g_autoptr (GString) restart_text = g_string_new (NULL);
  BarLabels bl = { .dat = dat, .plot = plot, .layout = layout, .below_text = below_text,
                   .ghost_text = ghost_text, .restart_text = restart_text };
  for (guint r = 0; r < rows->len && rows->len <= MAX_ROW_LABELS; r++)
    {
      const Row *row = g_ptr_array_index (rows, r);
      for (guint i = 0; i < row->intervals->len; i++)
        label_interval (&bl, row, r, &g_array_index (row->intervals, Interval, i), trace);
    }
  /* A label below a bar sits half a row down: it needs a row of two lines. */
  if (BARS_PX / (double) rows->len < 2 * TEXT_HEIGHT_PX + 2)
    {
      g_string_truncate (bl.below_text, 0);
      bl.below = FALSE;
    }
  write_collected_labels (&bl);
}

static void
append_row_tics (GString *gp, GPtrArray *rows, guint every)
{
  /* Room under the last row for the label below its bar. */
  g_string_append_printf (gp, "set yrange [%u.9:-0.6]\nset ytics scale 0 font ',11' (", rows->len - 1);
  for (guint r = 0; r < rows->len; r += every)
    {
      g_string_append (gp, r > 0 ? ", " : "");
      append_row_label (gp, g_ptr_array_index (rows, r));
      g_string_append_printf (gp, " %u", r);
    }
  g_string_append (gp, ")\n");
}

static GString *
states_script (GPtrArray *rows, const Layout *layout, const GString *plot)
{
  GString *gp = g_string_new (NULL);
  plot_script_begin (gp, "states", "state timeline, one row per connection, one bar per TCP state",
                     "TCP state timeline (TIME-WAIT should last 2 x MSL)");
  g_string_append (gp, "set xlabel 'time (s)'\n"
                       "set label 'host #incarnation (local > remote)' at screen 0.01, graph 1 left offset 0,1.2 font ',11'\n"
                       "set key outside right top vertical box spacing 1.1\n"
                       "set grid xtics lc rgb '#e0e0e0'\n"
                       "set xrange [");
  plot_append_s (gp, layout->x_begin);
  g_string_append (gp, ":");
  plot_append_s (gp, layout->x_end);
  /* gnuplot overestimates the width of proportional text: set it. */
  g_string_append_printf (gp, "]\nset lmargin at screen %.3f\n", layout->lmargin);
  plot_time_axis_append_tics (layout->axis, gp, layout->px_per_ns);
  plot_time_axis_append_cuts (layout->axis, gp, layout->px_per_ns);
  append_row_tics (gp, rows, layout->every);
  g_string_append (gp, plot->str);
  if (plot_time_axis_cuts (layout->axis) > 0)
    g_string_append (gp, ", \\\n  NaN with boxes fs solid 1 noborder lc rgb '#e8e8e8' title 'quiet, drawn short'");
  g_string_append_c (gp, '\n');
  plot_script_end (gp);
  return gp;
}

gboolean
plot_states_write (const PlotTrace *trace, const PlotOptions *opts, const char *dir,
                   GPtrArray *scripts, GPtrArray *notes, GError **error)
{
  if (trace->states->len == 0)
    {
      g_ptr_array_add (notes, g_strdup ("states: the trace has no tcp.state events; no state timeline"));
      return TRUE;
    }
  g_autoptr (GPtrArray) rows = build_rows (trace);
  finish_rows (rows, trace);
  gint64 span = MAX (trace->t_end - trace->t_begin, 1);
  merge_if_crowded (rows, span, notes);

  PlotData dat;
  plot_data_init (&dat, "# states.dat: the state timeline drawn by states.gp (written by twsim).\n"
                        "# One row per connection incarnation (row 0 at the top), one bar per state.\n"
                        "# x columns are positions on the drawn axis in s: quiet stretches are drawn\n"
                        "# short (the tick labels and the t_*_s columns give real times in s).\n"
                        "# The last state of each connection lasts to the end of the trace.\n");
  g_autoptr (GString) plot = g_string_new ("plot NaN notitle");
  Layout layout = layout_of (trace, rows);
  write_bars (&dat, plot, rows, &layout);
  write_bar_labels (&dat, plot, rows, &layout, trace);
  g_autoptr (GString) gp = states_script (rows, &layout, plot);

  gboolean ok = plot_write_file (dir, "states.dat", dat.text, error)
                && plot_write_file (dir, "states.gp", gp, error);
  if (ok)
    g_ptr_array_add (scripts, g_strdup ("states"));
  plot_data_clear (&dat);
  plot_time_axis_free (layout.axis);
  return ok;
}
