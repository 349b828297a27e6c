/* plot-states.h: the state timeline: one row per connection incarnation,
 * one coloured bar per state interval (TIME-WAIT's 2 x MSL shows as a long
 * bar). Writes states.dat and states.gp. */
#pragma once

#include "plot-output.h"

G_BEGIN_DECLS

/* Adds "states" to `scripts` (nothing when the trace has no tcp.state). */
gboolean plot_states_write (const PlotTrace *trace, const PlotOptions *opts, const char *dir,
                            GPtrArray *scripts, GPtrArray *notes, GError **error);

G_END_DECLS
