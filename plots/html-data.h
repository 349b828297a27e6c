/* html-data.h: a loaded trace as the JSON the viewer's JavaScript reads
 * (plots/viewer/viewer.js, "The data"): every event, segment event and
 * state change as arrays, repeated strings as indices into string tables. */
#pragma once

#include "plot-trace.h"

G_BEGIN_DECLS

/* Appends the JSON object for `trace`, keeping at most `max_events`. */
void html_data_write (GString *out, const PlotTrace *trace, const char *name, guint64 max_events);

G_END_DECLS
