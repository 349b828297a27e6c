/* plot-ladder.h: the ladder (sequence) diagram: one column per host, time
 * running down, one arrow per segment on a link, TCP states along the
 * columns. Writes ladder.dat and ladder.gp. */
#pragma once

#include "plot-output.h"

G_BEGIN_DECLS

/* Adds "ladder" to `scripts`; notices for the user go to `notes`. */
gboolean plot_ladder_write (const PlotTrace *trace, const PlotOptions *opts, const char *dir,
                            GPtrArray *scripts, GPtrArray *notes, GError **error);

G_END_DECLS
