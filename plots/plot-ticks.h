/* plot-ticks.h: round tick steps, so axis labels are distinct, round and
 * never "-0" (1, 2 or 5 times a power of ten, in integer units). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The smallest step of 1, 2 or 5 x 10^k, at least `min_step`, that puts
 * at most `max_ticks` ticks on `span`. */
gint64 plot_tick_step (gint64 span, guint max_ticks, gint64 min_step);

/* The first multiple of `step` at or above `v` (floor division, so
 * negative values work too). */
gint64 plot_tick_first (gint64 v, gint64 step);

G_END_DECLS
