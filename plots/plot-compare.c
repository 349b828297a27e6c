/* plot-compare.c: two ladders side by side on one time axis.
 *
 * Both panels share every scale: the same columns (xrange), the same time
 * axis and the same yrange, written once into compare.gp as variables both
 * panels use. The time axis is the union of the instants of both runs;
 * a stretch between two instants longer than six times the median spacing
 * is drawn that tall only, over a grey band saying how long it was, so a
 * 60 s TIME-WAIT and 10 ms of handshake both show. Arrows are drawn as the
 * links carried them (link.send, link.dup, link.drop; a link.delay moves
 * an arrival), an arrival whose tcp.recv says `stale` in red. */
#include "plot-compare.h"

#include <string.h>

#define SCRIPT_WIDTH 1920
#define SCRIPT_HEIGHT 1080
#define CUT_MEDIANS 15   /* a stretch this many median spacings long is cut */
#define CAP_MEDIANS 6    /* ...and drawn this tall */

typedef enum {
  CMP_NORMAL,
  CMP_REXMIT,
  CMP_DELAYED,
  CMP_COPY,
  CMP_STALE,
  CMP_REFUSED,
  CMP_DROPPED,
} CmpCategory;

#define N_CMP_CATEGORIES 7

/* The palette of the single ladder (plot-ladder.c), so a slide reads the same. */
static const struct {
  const char *title;
  const char *colour;
  const char *style;
} cmp_categories[N_CMP_CATEGORIES] = {
  [CMP_NORMAL] = { "segment", "#1f5fa8", "head filled size screen 0.008,20 lw 1.5" },
  [CMP_REXMIT] = { "retransmission", "#e07000", "head filled size screen 0.008,20 lw 2" },
  [CMP_DELAYED] = { "delayed or held (link)", "#138d75", "head filled size screen 0.008,20 lw 2 dt 3" },
  [CMP_COPY] = { "duplicate (link copy)", "#8e44ad", "head filled size screen 0.008,20 lw 2 dt 4" },
  [CMP_STALE] = { "stale, accepted (older incarnation)", "#d4001a", "head filled size screen 0.011,20 lw 3.5" },
  [CMP_REFUSED] = { "stale, refused (older incarnation)", "#1e8449", "head filled size screen 0.011,20 lw 3.5 dt 2" },
  [CMP_DROPPED] = { "dropped (X where lost)", "#808080", "nohead lw 1.5 dt 2" },
};

typedef struct {
  const PlotSegment *seg;
  int from;
  double to;          /* column reached (half way for drops) */
  gint64 t0, t1;      /* real ns */
  CmpCategory cat;
  gboolean delayed;
  gboolean show_label;
  double label_y;     /* display ms */
} CmpArrow;

typedef struct {
  GArray *real;       /* gint64 ns, sorted, unique */
  GArray *shown;      /* gint64 ns from the top, one per real instant */
  gint64 cut;         /* longest stretch drawn at its own length */
  gint64 cap;         /* how tall a longer one is drawn */
} CmpAxis;

typedef struct {
  const ComparePanel *panel;
  const char *const *hosts;
  guint n_hosts;
  GArray *arrows;     /* CmpArrow */
} CmpRun;

static int
column_of (const CmpRun *r, const char *host)
{
  for (guint i = 0; host != NULL && i < r->n_hosts; i++)
    if (strcmp (r->hosts[i], host) == 0)
      return (int) i;
  return -1;
}

/* "client->server" -> the receiving column, or -1. */
static int
receiver_of (const CmpRun *r, const char *link)
{
  const char *arrow = link != NULL ? strstr (link, "->") : NULL;
  return arrow != NULL ? column_of (r, arrow + 2) : -1;
}

static CmpArrow *
last_arrow_of (CmpRun *r, gint64 seg, gint64 copy)
{
  for (guint i = r->arrows->len; i > 0; i--)
    {
      CmpArrow *a = &g_array_index (r->arrows, CmpArrow, i - 1);
      if (a->seg->seg == seg && a->seg->copy == copy)
        return a;
    }
  return NULL;
}

static void
add_arrow (CmpRun *r, const PlotSegment *s)
{
  int from = column_of (r, s->host), to = receiver_of (r, s->link);
  if (from < 0 || to < 0)
    return;
  CmpArrow a = { .seg = s, .from = from, .to = to, .t0 = s->t, .t1 = s->arrive };
  if (s->kind == PLOT_SEG_LINK_DROP)
    {
      a.to = from + 0.5 * (to - from);
      a.t1 = s->t;
      a.cat = CMP_DROPPED;
    }
  else
    a.cat = s->copy > 0 ? CMP_COPY : s->rexmit ? CMP_REXMIT : CMP_NORMAL;
  g_array_append_val (r->arrows, a);
}

/* Did the stack take the stale segment's bytes (tcp.stale-data)? */
static gboolean
stale_bytes_accepted (const PlotTrace *t, const PlotSegment *recv)
{
  for (guint i = 0; i < t->stale_data->len; i++)
    {
      const PlotMarker *m = &g_array_index (t->stale_data, PlotMarker, i);
      if (m->seg == recv->seg && m->t == recv->t)
        return TRUE;
    }
  return FALSE;
}

/* The arrows of one run, from its link events. */
static void
collect_arrows (CmpRun *r)
{
  const PlotTrace *t = r->panel->trace;
  for (guint i = 0; i < t->segments->len; i++)
    {
      const PlotSegment *s = &g_array_index (t->segments, PlotSegment, i);
      CmpArrow *prev = s->kind == PLOT_SEG_LINK_DELAY || s->kind == PLOT_SEG_TCP_RECV
                         ? last_arrow_of (r, s->seg, s->copy) : NULL;
      switch (s->kind)
        {
        case PLOT_SEG_LINK_SEND:
        case PLOT_SEG_LINK_DUP:
        case PLOT_SEG_LINK_DROP:
          add_arrow (r, s);
          break;
        case PLOT_SEG_LINK_DELAY:
          if (prev != NULL)
            {
              prev->t1 = s->arrive;
              prev->delayed = TRUE;
              if (prev->cat == CMP_NORMAL || prev->cat == CMP_REXMIT)
                prev->cat = CMP_DELAYED;
            }
          break;
        case PLOT_SEG_TCP_RECV:
          /* Only a segment of an older incarnation is stale here: a new
           * SYN meeting an old TIME-WAIT record is not. */
          if (prev != NULL && s->stale && prev->t1 == s->t && s->seg_inc < s->inc)
            prev->cat = stale_bytes_accepted (t, s) ? CMP_STALE : CMP_REFUSED;
          break;
        case PLOT_SEG_TCP_SEND:
        case PLOT_SEG_NET_DROP:
          break;
        }
    }
}

static int
compare_ns (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
add_instant (GArray *times, gint64 t)
{
  g_array_append_val (times, t);
}

static void
collect_instants (const CmpRun *r, GArray *times)
{
  for (guint i = 0; i < r->arrows->len; i++)
    {
      const CmpArrow *a = &g_array_index (r->arrows, CmpArrow, i);
      add_instant (times, a->t0);
      add_instant (times, a->t1);
    }
  const PlotTrace *t = r->panel->trace;
  for (guint i = 0; i < t->states->len; i++)
    add_instant (times, g_array_index (t->states, PlotStateChange, i).t);
  for (guint i = 0; i < t->corruptions->len; i++)
    add_instant (times, g_array_index (t->corruptions, PlotMarker, i).t);
}

/* The shared axis: the union of both runs' instants, long stretches capped. */
static void
build_axis (CmpAxis *axis, const CmpRun runs[2])
{
  axis->real = g_array_new (FALSE, FALSE, sizeof (gint64));
  axis->shown = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  add_instant (times, 0);
  for (guint p = 0; p < 2; p++)
    collect_instants (&runs[p], times);
  g_array_sort (times, compare_ns);
  for (guint i = 0; i < times->len; i++)
    if (i == 0 || g_array_index (times, gint64, i) != g_array_index (times, gint64, i - 1))
      g_array_append_val (axis->real, g_array_index (times, gint64, i));
  g_autoptr (GArray) gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 1; i < axis->real->len; i++)
    add_instant (gaps, g_array_index (axis->real, gint64, i) - g_array_index (axis->real, gint64, i - 1));
  g_array_sort (gaps, compare_ns);
  gint64 median = gaps->len > 0 ? g_array_index (gaps, gint64, gaps->len / 2) : 1000000;
  axis->cap = MAX (CAP_MEDIANS * median, (gint64) 1000000);
  axis->cut = MAX (CUT_MEDIANS * median, (gint64) 1000000);
  gint64 y = 0;
  for (guint i = 0; i < axis->real->len; i++)
    {
      gint64 gap = i > 0 ? g_array_index (axis->real, gint64, i) - g_array_index (axis->real, gint64, i - 1) : 0;
      y += gap > axis->cut ? axis->cap : gap;
      g_array_append_val (axis->shown, y);
    }
}

/* Display ns of real time t (an instant of the axis, or between two). */
static gint64
axis_map (const CmpAxis *axis, gint64 t)
{
  guint lo = 0, hi = axis->real->len;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (g_array_index (axis->real, gint64, mid) <= t)
        lo = mid;
      else
        hi = mid;
    }
  gint64 base = g_array_index (axis->real, gint64, lo), y = g_array_index (axis->shown, gint64, lo);
  gint64 room = lo + 1 < axis->real->len ? g_array_index (axis->shown, gint64, lo + 1) - y : axis->cap;
  return y + CLAMP (t - base, (gint64) 0, room);
}

static gint64
axis_span (const CmpAxis *axis)
{
  return MAX (g_array_index (axis->shown, gint64, axis->shown->len - 1), (gint64) 1000000);
}

static char *
arrow_label (const CmpArrow *a)
{
  GString *s = g_string_new (NULL);
  if (a->cat == CMP_STALE)
    g_string_append (s, "STALE ");
  else if (a->cat == CMP_REFUSED)
    g_string_append (s, "stale, refused: ");
  else if (a->cat == CMP_COPY)
    g_string_append (s, "copy: ");
  g_string_append (s, a->seg->flags != NULL ? a->seg->flags : "?");
  if (a->seg->len > 0)
    g_string_append_printf (s, " %" G_GINT64_FORMAT "B", a->seg->len);
  if (a->seg->seg_inc > 0)
    g_string_append_printf (s, " #%" G_GINT64_FORMAT, a->seg->seg_inc);
  if (a->delayed)
    g_string_append (s, " held");
  return g_string_free (s, FALSE);
}

typedef struct {
  double x, y;
} CmpSpot;

/* Labels at the middle of their arrows; one too close to a label already
 * placed is left out. The link's copies, held and stale segments go first. */
static void
place_labels (CmpRun *r, const CmpAxis *axis)
{
  g_autoptr (GArray) taken = g_array_new (FALSE, FALSE, sizeof (CmpSpot));
  double sep = (double) axis_span (axis) / 1e6 / 38;
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < r->arrows->len; i++)
      {
        CmpArrow *a = &g_array_index (r->arrows, CmpArrow, i);
        gboolean special = a->cat == CMP_STALE || a->cat == CMP_REFUSED || a->cat == CMP_COPY
                           || a->cat == CMP_DELAYED;
        if (special != (pass == 0))
          continue;
        double x = (a->from + a->to) / 2, y = (double) (axis_map (axis, a->t0) + axis_map (axis, a->t1)) / 2e6;
        gboolean free = TRUE;
        for (guint k = 0; k < taken->len && free; k++)
          {
            const CmpSpot *o = &g_array_index (taken, CmpSpot, k);
            free = !(ABS (o->x - x) < 0.6 && ABS (o->y - y) < sep);
          }
        if (!free)
          continue;
        a->show_label = TRUE;
        a->label_y = y;
        CmpSpot spot = { x, y };
        g_array_append_val (taken, spot);
      }
}

static void
append_ms (GString *out, gint64 ns)
{
  plot_append_ms (out, ns);
}

static void
write_arrow_row (GString *t, const CmpArrow *a, const CmpAxis *axis)
{
  gint64 y0 = axis_map (axis, a->t0), y1 = axis_map (axis, a->t1);
  if (a->cat == CMP_DROPPED)
    y1 = y0 + axis->cap / 4;
  g_string_append_printf (t, "%d ", a->from);
  append_ms (t, y0);
  g_string_append_printf (t, " %.2f ", a->to - a->from);
  append_ms (t, y1 - y0);
  g_string_append_printf (t, " %.3f %.6f ", (a->from + a->to) / 2, a->label_y);
  g_autofree char *label = arrow_label (a);
  plot_append_data_str (t, label);
  g_string_append_printf (t, " %d ", a->show_label);
  append_ms (t, a->t0);
  g_string_append_c (t, ' ');
  append_ms (t, a->t1);
  g_string_append_c (t, '\n');
}

static void
write_arrows (const CmpRun *r, const CmpAxis *axis, PlotData *dat, GString *plot)
{
  for (guint cat = 0; cat < N_CMP_CATEGORIES; cat++)
    {
      gboolean any = FALSE;
      for (guint i = 0; i < r->arrows->len && !any; i++)
        any = g_array_index (r->arrows, CmpArrow, i).cat == cat;
      if (!any)
        continue;
      g_autofree char *block = g_strdup_printf ("%s: %s", r->panel->title, cmp_categories[cat].title);
      guint idx = plot_data_block (dat, block, "x y dx dy label_x label_y \"label\" shown t_send_ms t_arrive_ms");
      for (guint i = 0; i < r->arrows->len; i++)
        if (g_array_index (r->arrows, CmpArrow, i).cat == cat)
          write_arrow_row (dat->text, &g_array_index (r->arrows, CmpArrow, i), axis);
      const char *colour = cmp_categories[cat].colour;
      g_string_append_printf (plot, ", \\\n  'compare.dat' index %u using 1:2:3:4 with vectors %s lc rgb '%s' ",
                              idx, cmp_categories[cat].style, colour);
      g_string_append_printf (plot, "title '%s'", cmp_categories[cat].title);
      if (cat == CMP_DROPPED)
        g_string_append_printf (plot, ", \\\n  '' index %u using ($1+$3):($2+$4) with points pt 2 ps 2.5 lw 3 lc rgb '#c0392b' notitle",
                                idx);
      g_string_append_printf (plot, ", \\\n  '' index %u using 5:($8 > 0 ? $6 : NaN):7 with labels boxed center font ',%d' tc rgb '%s' notitle",
                              idx, cat == CMP_STALE || cat == CMP_REFUSED ? 12 : 10, colour);
    }
}

/* State changes: a dot on the column, the label left of the first column
 * and right of the others, moved down below the previous one if needed. */
static void
write_states (const CmpRun *r, const CmpAxis *axis, PlotData *dat, GString *plot)
{
  const PlotTrace *t = r->panel->trace;
  if (t->states->len == 0)
    return;
  g_autofree char *block = g_strdup_printf ("%s: TCP states", r->panel->title);
  guint idx = plot_data_block (dat, block, "x y label_x label_y \"state\" align t_ms");
  double sep = (double) axis_span (axis) / 1e6 / 45;
  g_autofree double *last = g_new0 (double, r->n_hosts);
  for (guint c = 0; c < r->n_hosts; c++)
    last[c] = -1e18;
  for (guint i = 0; i < t->states->len; i++)
    {
      const PlotStateChange *s = &g_array_index (t->states, PlotStateChange, i);
      int col = column_of (r, s->host);
      if (col < 0)
        continue;
      double y = (double) axis_map (axis, s->t) / 1e6;
      double ly = MAX (y, last[col] + sep);
      last[col] = ly;
      g_string_append_printf (dat->text, "%d %.6f %.2f %.6f ", col, y, col == 0 ? -0.05 : col + 0.05, ly);
      plot_append_data_str (dat->text, s->to != NULL ? s->to : "?");
      g_string_append_printf (dat->text, " %d ", col == 0 ? 0 : 1);
      append_ms (dat->text, s->t);
      g_string_append_c (dat->text, '\n');
    }
  g_string_append_printf (plot, ", \\\n  'compare.dat' index %u using 1:2 with points pt 7 ps 0.8 lc rgb '#1b2631' notitle", idx);
  g_string_append_printf (plot, ", \\\n  '' index %u using ($6 == 0 ? $3 : NaN):4:5 with labels right font ',10' tc rgb '#1b2631' notitle", idx);
  g_string_append_printf (plot, ", \\\n  '' index %u using ($6 == 1 ? $3 : NaN):4:5 with labels left font ',10' tc rgb '#1b2631' notitle", idx);
}

/* Where stale bytes were read: a star and CORRUPTION beside it. */
static void
write_corruptions (const CmpRun *r, const CmpAxis *axis, PlotData *dat, GString *plot)
{
  const PlotTrace *t = r->panel->trace;
  if (t->corruptions->len == 0)
    return;
  g_autofree char *block = g_strdup_printf ("%s: corruption", r->panel->title);
  guint idx = plot_data_block (dat, block, "x y label_x \"label\" t_ms");
  for (guint i = 0; i < t->corruptions->len; i++)
    {
      const PlotMarker *m = &g_array_index (t->corruptions, PlotMarker, i);
      int col = MAX (column_of (r, m->host), 0);
      g_string_append_printf (dat->text, "%d %.6f %.2f \"CORRUPTION\" ", col,
                              (double) axis_map (axis, m->t) / 1e6,
                              col + 1 < (int) r->n_hosts ? col + 0.3 : col - 0.3);
      append_ms (dat->text, m->t);
      g_string_append_c (dat->text, '\n');
    }
  g_string_append_printf (plot, ", \\\n  'compare.dat' index %u using 1:2 with points pt 3 ps 4 lw 3 lc rgb '#e6007e' notitle", idx);
  g_string_append_printf (plot, ", \\\n  '' index %u using 3:2:4 with labels boxed center font ',14' tc rgb '#e6007e' notitle", idx);
}

/* The grey bands of stretches drawn shorter than they were, and the time
 * ticks: every instant not too close to the tick above it. */
static void
write_axis_decor (GString *gp, const CmpAxis *axis)
{
  guint band = 0;
  for (guint i = 1; i < axis->real->len; i++)
    {
      gint64 a = g_array_index (axis->real, gint64, i - 1), b = g_array_index (axis->real, gint64, i);
      if (b - a <= axis->cut)
        continue;
      gint64 y = g_array_index (axis->shown, gint64, i - 1);
      g_string_append_printf (gp, "set object %u rect from graph 0, first ", ++band);
      append_ms (gp, y + axis->cap / 5);
      g_string_append (gp, " to graph 1, first ");
      append_ms (gp, y + axis->cap * 4 / 5);
      g_string_append (gp, " fc rgb '#ececec' fs solid 1 noborder behind\n");
      g_string_append_printf (gp, "set label %u '%.3f s cut' at graph 0.01, first ", band,
                              (double) (b - a) / 1e9);
      append_ms (gp, y + axis->cap / 2);
      g_string_append (gp, " left front font ',9' tc rgb '#606060'\n");
    }
  g_string_append (gp, "set ytics (");
  gint64 min_gap = axis_span (axis) / 30, last = G_MININT64 / 2;
  gboolean first = TRUE;
  for (guint i = 0; i < axis->real->len; i++)
    {
      gint64 y = g_array_index (axis->shown, gint64, i);
      if (y - last < min_gap)
        continue;
      last = y;
      g_string_append_printf (gp, "%s'%.3f s' ", first ? "" : ", ",
                              (double) g_array_index (axis->real, gint64, i) / 1e9);
      append_ms (gp, y);
      first = FALSE;
    }
  g_string_append (gp, ")\n");
}

static void
write_panel (GString *gp, const CmpRun *r, const CmpAxis *axis, PlotData *dat, guint p)
{
  g_autoptr (GString) plot = g_string_new (NULL);
  write_arrows (r, axis, dat, plot);
  write_states (r, axis, dat, plot);
  write_corruptions (r, axis, dat, plot);
  g_string_append_printf (gp, "\n  # Panel %c\n", 'A' + p);
  g_string_append_printf (gp, "  set lmargin at screen %s\n  set rmargin at screen %s\n",
                          p == 0 ? "0.07" : "0.55", p == 0 ? "0.47" : "0.95");
  g_string_append (gp, "  set tmargin at screen 0.86\n  set bmargin at screen 0.12\n"
                       "  set xrange [x_lo:x_hi]\n  set x2range [x_lo:x_hi]\n"
                       "  set yrange [y_bottom:y_top]\n  set title ");
  plot_append_gp_str (gp, r->panel->title);
  g_string_append (gp, " . \"\\n\" . ");
  plot_append_gp_str (gp, r->panel->outcome);
  g_string_append (gp, " font ',15'\n");
  g_string_append_printf (gp, "  set key at screen %s, 0.06 center horizontal maxrows 2 box spacing 1.2 width 1\n",
                          p == 0 ? "0.27" : "0.75");
  g_string_append_printf (gp, "  plot NaN notitle%s\n", plot->str);
}

static void
write_script_head (GString *gp, const CmpRun *r, const CmpAxis *axis, const char *title)
{
  g_string_append (gp, "# compare.gp: two runs of one story side by side, one ladder each, on the\n"
                       "# same time axis (the same xrange and yrange in both panels).\n"
                       "# Written by twsim. The data is in compare.dat. Rerun `gnuplot compare.gp`\n"
                       "# to write compare.png and compare.svg (twsim passes temporary names in\n"
                       "# png_out and svg_out).\n"
                       "reset\n"
                       "if (!exists(\"png_out\")) png_out = 'compare.png'\n"
                       "if (!exists(\"svg_out\")) svg_out = 'compare.svg'\n"
                       "set encoding utf8\n");
  gint64 span = axis_span (axis), pad = span * 3 / 100;
  g_string_append_printf (gp, "x_lo = -0.9\nx_hi = %u.9\ny_top = ", r->n_hosts - 1);
  append_ms (gp, -pad);
  g_string_append (gp, "\ny_bottom = ");
  append_ms (gp, span + pad);
  g_string_append (gp, "\nset style textbox opaque noborder margins 1,1\n"
                       "unset xtics\nset x2tics scale 0 font ',14' (");
  for (guint i = 0; i < r->n_hosts; i++)
    {
      g_string_append (gp, i > 0 ? ", " : "");
      plot_append_gp_str (gp, r->hosts[i]);
      g_string_append_printf (gp, " %u", i);
    }
  g_string_append (gp, ")\nset ylabel 'time (grey bands: stretches drawn short)'\n"
                       "set grid ytics lc rgb '#e0e0e0'\n");
  for (guint i = 0; i < r->n_hosts; i++)
    g_string_append_printf (gp, "set arrow from %u, graph 0 to %u, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back\n",
                            i, i);
  write_axis_decor (gp, axis);
  g_string_append (gp, "title_all = ");
  plot_append_gp_str (gp, title);
  g_string_append (gp, "\n");
}

static void
write_script (GString *gp, const CmpRun runs[2], const CmpAxis *axis, PlotData *dat,
              const char *title)
{
  write_script_head (gp, &runs[0], axis, title);
  g_autoptr (GString) panels = g_string_new (NULL);
  for (guint p = 0; p < 2; p++)
    write_panel (panels, &runs[p], axis, dat, p);
  /* Once as PNG, once as SVG: a multiplot cannot be replotted. */
  g_string_append_printf (gp, "do for [pass = 1:2] {\n"
                              "  if (pass == 1) {\n"
                              "    if (strstrt(GPVAL_TERMINALS, ' pngcairo ') > 0) {\n"
                              "      set terminal pngcairo size %d,%d noenhanced font 'Sans,12' linewidth 1.5\n"
                              "    } else {\n"
                              "      set terminal png size %d,%d noenhanced\n"
                              "    }\n"
                              "    set output png_out\n"
                              "  } else {\n"
                              "    set terminal svg size %d,%d noenhanced font 'Sans,12' linewidth 1.5 background rgb 'white'\n"
                              "    set output svg_out\n"
                              "  }\n"
                              "  set multiplot title title_all font ',18'\n",
                          SCRIPT_WIDTH, SCRIPT_HEIGHT, SCRIPT_WIDTH, SCRIPT_HEIGHT, SCRIPT_WIDTH,
                          SCRIPT_HEIGHT);
  g_string_append (gp, panels->str);
  g_string_append (gp, "  unset multiplot\n  set output\n}\nundefine png_out svg_out\n");
}

static void
write_axis_block (PlotData *dat, const CmpAxis *axis)
{
  plot_data_block (dat, "the shared time axis: each instant of either run and where it is drawn",
                   "t_ms y");
  for (guint i = 0; i < axis->real->len; i++)
    {
      append_ms (dat->text, g_array_index (axis->real, gint64, i));
      g_string_append_c (dat->text, ' ');
      append_ms (dat->text, g_array_index (axis->shown, gint64, i));
      g_string_append_c (dat->text, '\n');
    }
}

gboolean
plot_compare_write (const ComparePanel panels[2], const char *const *hosts, guint n_hosts,
                    const char *title, const char *dir, GPtrArray *scripts, GError **error)
{
  CmpRun runs[2];
  for (guint p = 0; p < 2; p++)
    {
      runs[p] = (CmpRun) { &panels[p], hosts, MAX (n_hosts, 1), g_array_new (FALSE, FALSE, sizeof (CmpArrow)) };
      collect_arrows (&runs[p]);
    }
  CmpAxis axis;
  build_axis (&axis, runs);
  for (guint p = 0; p < 2; p++)
    place_labels (&runs[p], &axis);
  PlotData dat;
  plot_data_init (&dat, "# compare.dat: two ladders side by side on one time axis, drawn by\n"
                        "# compare.gp (written by twsim). x: the host's column (0, 1, ...);\n"
                        "# y: display ms on the shared axis; t_*_ms: the real times.\n\n");
  write_axis_block (&dat, &axis);
  g_autoptr (GString) gp = g_string_new (NULL);
  write_script (gp, runs, &axis, &dat, title);
  gboolean ok = plot_write_file (dir, "compare.dat", dat.text, error)
                && plot_write_file (dir, "compare.gp", gp, error);
  if (ok)
    g_ptr_array_add (scripts, g_strdup ("compare"));
  plot_data_clear (&dat);
  for (guint p = 0; p < 2; p++)
    g_array_unref (runs[p].arrows);
  g_array_unref (axis.real);
  g_array_unref (axis.shown);
  return ok;
}
