/* plot-time-axis.c: a time axis with quiet stretches cut short (see
 * plot-time-axis.h). */
#include "plot-time-axis.h"

#include "plot-output.h"
#include "plot-ticks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TICKS 9
#define TICK_GAP_PX 10.0
/* A stretch is cut when it is over this many times the median stretch
 * and over a quarter of the stretches still drawn to scale. */
#define CUT_OVER_MEDIAN 200
#define CUT_SHARE 4

static int
compare_times (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* The key times sorted, each once. */
static GArray *
sorted_keys (const GArray *keys)
{
  GArray *sorted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (sorted, keys->data, keys->len);
  g_array_sort (sorted, compare_times);
  guint n = 0;
  for (guint i = 0; i < sorted->len; i++)
    if (n == 0 || g_array_index (sorted, gint64, i) != g_array_index (sorted, gint64, n - 1))
      g_array_index (sorted, gint64, n++) = g_array_index (sorted, gint64, i);
  g_array_set_size (sorted, n);
  return sorted;
}

static gint64
gap (const GArray *times, guint i)
{
  return g_array_index (times, gint64, i + 1) - g_array_index (times, gint64, i);
}

/* The longest stretch not yet cut, or -1. */
static gint
longest_uncut (const GArray *times, const gboolean *cut)
{
  gint best = -1;
  for (guint i = 0; i + 1 < times->len; i++)
    if (!cut[i] && (best < 0 || gap (times, i) > gap (times, (guint) best)))
      best = (gint) i;
  return best;
}

/* The stretches not cut, together. */
static gint64
uncut_total (const GArray *times, const gboolean *cut)
{
  gint64 sum = 0;
  for (guint i = 0; i + 1 < times->len; i++)
    sum += cut[i] ? 0 : gap (times, i);
  return sum;
}

/* The median stretch between two key times (the lower of two middles):
 * the usual spacing of what happens. */
static gint64
median_gap (const GArray *times)
{
  g_autoptr (GArray) gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i + 1 < times->len; i++)
    {
      gint64 g = gap (times, i);
      g_array_append_val (gaps, g);
    }
  g_array_sort (gaps, compare_times);
  return g_array_index (gaps, gint64, (gaps->len - 1) / 2);
}

static void
choose_cuts (const GArray *times, gboolean *cut, guint max_cuts)
{
  if (times->len < 3)
    return;
  gint64 usual = median_gap (times);
  for (guint n = 0; n < max_cuts; n++)
    {
      gint i = longest_uncut (times, cut);
      gint64 g = gap (times, (guint) i);
      if (g <= CUT_OVER_MEDIAN * usual || g <= uncut_total (times, cut) / CUT_SHARE)
        return;
      cut[i] = TRUE;
    }
}

static void
add_piece (GArray *pieces, gint64 t_from, gint64 t_to, gint64 width, gboolean cut)
{
  gint64 x = pieces->len > 0 ? g_array_index (pieces, PlotAxisPiece, pieces->len - 1).x_to : t_from;
  PlotAxisPiece p = { .t_from = t_from, .t_to = t_to, .x_from = x, .x_to = x + width, .cut = cut };
  g_array_append_val (pieces, p);
}

PlotTimeAxis *
plot_time_axis_new (const GArray *keys, guint max_cuts)
{
  g_autoptr (GArray) times = sorted_keys (keys);
  g_autofree gboolean *cut = g_new0 (gboolean, MAX (times->len, 1));
  choose_cuts (times, cut, max_cuts);
  gint64 drawn = 0;
  for (guint i = 0; i + 1 < times->len; i++)
    drawn += cut[i] ? 0 : gap (times, i);
  /* A cut is drawn an eighth of the stretches drawn to scale wide. */
  gint64 cut_width = MAX (drawn / 8, 1);
  PlotTimeAxis *axis = g_new0 (PlotTimeAxis, 1);
  axis->pieces = g_array_new (FALSE, FALSE, sizeof (PlotAxisPiece));
  gint64 from = g_array_index (times, gint64, 0);
  for (guint i = 0; i + 1 < times->len; i++)
    {
      gint64 a = g_array_index (times, gint64, i), b = g_array_index (times, gint64, i + 1);
      if (!cut[i])
        continue;
      if (a > from)
        add_piece (axis->pieces, from, a, a - from, FALSE);
      add_piece (axis->pieces, a, b, cut_width, TRUE);
      from = b;
    }
  gint64 last = g_array_index (times, gint64, times->len - 1);
  if (last > from || axis->pieces->len == 0)
    add_piece (axis->pieces, from, last, last - from, FALSE);
  return axis;
}

void
plot_time_axis_free (PlotTimeAxis *axis)
{
  g_array_unref (axis->pieces);
  g_free (axis);
}

gint64
plot_time_axis_x (const PlotTimeAxis *axis, gint64 t)
{
  const PlotAxisPiece *first = &g_array_index (axis->pieces, PlotAxisPiece, 0);
  if (t <= first->t_from)
    return first->x_from - (first->t_from - t);
  for (guint i = 0; i < axis->pieces->len; i++)
    {
      const PlotAxisPiece *p = &g_array_index (axis->pieces, PlotAxisPiece, i);
      if (t > p->t_to)
        continue;
      if (!p->cut)
        return p->x_from + (t - p->t_from);
      double f = (double) (t - p->t_from) / (double) (p->t_to - p->t_from);
      return p->x_from + (gint64) (f * (double) (p->x_to - p->x_from));
    }
  const PlotAxisPiece *end = &g_array_index (axis->pieces, PlotAxisPiece, axis->pieces->len - 1);
  return end->x_to + (t - end->t_to);
}

gint64
plot_time_axis_x_end (const PlotTimeAxis *axis)
{
  return g_array_index (axis->pieces, PlotAxisPiece, axis->pieces->len - 1).x_to;
}

guint
plot_time_axis_cuts (const PlotTimeAxis *axis)
{
  guint n = 0;
  for (guint i = 0; i < axis->pieces->len; i++)
    n += g_array_index (axis->pieces, PlotAxisPiece, i).cut;
  return n;
}

/* Seconds to `decimals` places, rounded, without trailing zeros:
 * "60.22", "0.5", "2". */
static char *
seconds_text (gint64 ns, guint decimals)
{
  gint64 unit = 1;
  for (guint i = decimals; i < 9; i++)
    unit *= 10;
  g_autoptr (GString) s = g_string_new (NULL);
  plot_append_s (s, (ns + unit / 2) / unit * unit);
  if (strchr (s->str, '.') != NULL)
    {
      while (s->str[s->len - 1] == '0')
        g_string_truncate (s, s->len - 1);
      if (s->str[s->len - 1] == '.')
        g_string_truncate (s, s->len - 1);
    }
  return g_strdup (s->str);
}

typedef struct {
  gint64 x;
  char *text;
} Tick;

static void
tick_clear (gpointer data)
{
  g_free (((Tick *) data)->text);
}

/* The decimals a step of `step` ns needs, and never fewer than ms. */
static guint
decimals_of (gint64 step)
{
  guint d = 9;
  while (d > 3 && step % 10 == 0)
    {
      step /= 10;
      d--;
    }
  return d;
}

/* Adds a tick at real time t unless its label would touch one taken or
 * read the same. */
static void
offer_tick (GArray *ticks, const PlotTimeAxis *axis, gint64 t, guint decimals, double px_per_ns)
{
  Tick tick = { .x = plot_time_axis_x (axis, t), .text = seconds_text (t, decimals) };
  double w = PLOT_TEXT_PX (strlen (tick.text));
  for (guint i = 0; i < ticks->len; i++)
    {
      const Tick *o = &g_array_index (ticks, Tick, i);
      double apart = fabs ((double) (tick.x - o->x)) * px_per_ns;
      if (apart < (w + PLOT_TEXT_PX (strlen (o->text))) / 2 + TICK_GAP_PX
          || strcmp (tick.text, o->text) == 0)
        {
          g_free (tick.text);
          return;
        }
    }
  g_array_append_val (ticks, tick);
}

static int
compare_ticks (gconstpointer a, gconstpointer b)
{
  gint64 x = ((const Tick *) a)->x, y = ((const Tick *) b)->x;
  return x < y ? -1 : x > y;
}

void
plot_time_axis_append_tics (const PlotTimeAxis *axis, GString *gp, double px_per_ns)
{
  g_autoptr (GArray) ticks = g_array_new (FALSE, FALSE, sizeof (Tick));
  g_array_set_clear_func (ticks, tick_clear);
  gint64 drawn = 0;
  for (guint i = 0; i < axis->pieces->len; i++)
    {
      const PlotAxisPiece *p = &g_array_index (axis->pieces, PlotAxisPiece, i);
      drawn += p->cut ? 0 : p->t_to - p->t_from;
    }
  gint64 step = plot_tick_step (drawn, MAX_TICKS, 1);
  guint decimals = decimals_of (step);
  /* First the real times either side of each cut, then round times. */
  for (guint i = 0; i < axis->pieces->len; i++)
    {
      const PlotAxisPiece *p = &g_array_index (axis->pieces, PlotAxisPiece, i);
      if (p->cut)
        offer_tick (ticks, axis, p->t_to, decimals, px_per_ns);
    }
  for (guint i = 0; i < axis->pieces->len; i++)
    {
      const PlotAxisPiece *p = &g_array_index (axis->pieces, PlotAxisPiece, i);
      if (p->cut)
        offer_tick (ticks, axis, p->t_from, decimals, px_per_ns);
    }
  for (guint i = 0; i < axis->pieces->len; i++)
    {
      const PlotAxisPiece *p = &g_array_index (axis->pieces, PlotAxisPiece, i);
      for (gint64 t = plot_tick_first (p->t_from, step); !p->cut && t <= p->t_to; t += step)
        offer_tick (ticks, axis, t, decimals, px_per_ns);
    }
  g_array_sort (ticks, compare_ticks);
  g_string_append (gp, "set xtics font ',11' (");
  for (guint i = 0; i < ticks->len; i++)
    {
      const Tick *t = &g_array_index (ticks, Tick, i);
      g_string_append_printf (gp, "%s'%s' ", i > 0 ? ", " : "", t->text);
      plot_append_s (gp, t->x);
    }
  g_string_append (gp, ")\n");
}

/* "58 s", "1.5 s", "250 ms": a cut's real length, short. */
static char *
length_text (gint64 ns)
{
  if (ns >= 10 * (gint64) 1000000000)
    return g_strdup_printf ("%" G_GINT64_FORMAT " s", ns / 1000000000);
  if (ns >= 1000000000)
    return g_strdup_printf ("%.1f s", (double) ns / 1e9);
  return g_strdup_printf ("%" G_GINT64_FORMAT " ms", ns / 1000000);
}

void
plot_time_axis_append_cuts (const PlotTimeAxis *axis, GString *gp, double px_per_ns)
{
  for (guint i = 0; i < axis->pieces->len; i++)
    {
      const PlotAxisPiece *p = &g_array_index (axis->pieces, PlotAxisPiece, i);
      if (!p->cut)
        continue;
      g_string_append (gp, "set object rect from ");
      plot_append_s (gp, p->x_from);
      g_string_append (gp, ", graph 0 to ");
      plot_append_s (gp, p->x_to);
      g_string_append (gp, ", graph 1 behind fc rgb '#e8e8e8' fs solid 1 noborder\n");
      for (int edge = 0; edge < 2; edge++)
        {
          g_string_append (gp, "set arrow from ");
          plot_append_s (gp, edge == 0 ? p->x_from : p->x_to);
          g_string_append (gp, ", graph 0 to ");
          plot_append_s (gp, edge == 0 ? p->x_from : p->x_to);
          g_string_append (gp, ", graph 1 nohead dt 2 lw 1.5 lc rgb '#606060' front\n");
        }
      g_autofree char *len = length_text (p->t_to - p->t_from);
      g_autofree char *text = g_strdup_printf ("// %s", len);
      /* Said only where it fits above its band (cuts may lie side by side). */
      if (PLOT_TEXT_PX (strlen (text)) + TICK_GAP_PX > (double) (p->x_to - p->x_from) * px_per_ns)
        continue;
      g_string_append (gp, "set label ");
      plot_append_gp_str (gp, text);
      g_string_append (gp, " at ");
      plot_append_s (gp, p->x_from + (p->x_to - p->x_from) / 2);
      g_string_append (gp, ", graph 1 center offset 0,0.7 font ',10' tc rgb '#404040' front\n");
    }
}
