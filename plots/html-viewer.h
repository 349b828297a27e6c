/* html-viewer.h: the interactive viewer, one self-contained HTML page
 * (inline CSS, JavaScript and SVG; nothing fetched) showing one trace, or
 * two side by side with their cursors locked on virtual time. The page is
 * the same bytes for the same traces. */
#pragma once

#include "plot-trace.h"

G_BEGIN_DECLS

/* Events of one trace the page carries by default; later ones are left
 * out and the page says how many. */
#define HTML_VIEWER_MAX_EVENTS 60000

/* Appends the page for `n` traces (1 or 2), each titled by its name,
 * keeping at most max_events of each. */
void html_viewer_write (GString *out, PlotTrace *const *traces, const char *const *names, guint n,
                        guint64 max_events);

G_END_DECLS
