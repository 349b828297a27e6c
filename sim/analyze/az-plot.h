/* az-plot.h: a capture as a twsim JSON lines trace (tcp.send, link.send,
 * tcp.recv per segment; hosts named by address), so that plots/ draws it
 * like a run: ladder and time-sequence graphs. Each (tuple, incarnation)
 * becomes a connection id. */
#pragma once

#include "az-tracker.h"

G_BEGIN_DECLS

typedef struct _AzPlot AzPlot;

AzPlot  *az_plot_open    (const char *trace_path, GError **error);
/* An AzSegmentFunc: pass the AzPlot as data. */
void     az_plot_segment (const AzTuple *t, int d, guint inc, gboolean old,
                          const CapSegment *seg, gpointer plot);
gboolean az_plot_commit  (AzPlot *plot, GError **error);
void     az_plot_abandon (AzPlot *plot);

G_END_DECLS
