/* plot-ticks.c: round tick steps (see plot-ticks.h). */
#include "plot-ticks.h"

gint64
plot_tick_step (gint64 span, guint max_ticks, gint64 min_step)
{
  static const gint64 mantissas[] = { 1, 2, 5 };
  max_ticks = MAX (max_ticks, 1);
  span = MAX (span, 1);
  for (gint64 power = 1; power <= G_MAXINT64 / 10; power *= 10)
    for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
      {
        gint64 step = mantissas[i] * power;
        if (step >= min_step && span / step < (gint64) max_ticks)
          return step;
      }
  return MAX (span, min_step);
}

gint64
plot_tick_first (gint64 v, gint64 step)
{
  gint64 q = v / step;
  if (q * step < v)
    q++;
  return q * step;
}
