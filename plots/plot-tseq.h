/* plot-tseq.h: time-sequence graphs (tcptrace/Stevens style), one per
 * connection that sent segments: data as bars seq..seq+len relative to the
 * ISN, the peer's ACKs and advertised window as step lines, retransmissions
 * and duplicates marked, one colour per incarnation. Writes tseq-NAME.dat
 * and tseq-NAME.gp, NAME the connection's (plot-names.h: "client-2"). */
#pragma once

#include "plot-output.h"

G_BEGIN_DECLS

/* Adds "tseq-NAME" to `scripts` for each connection; none for a
 * listener. */
gboolean plot_tseq_write (const PlotTrace *trace, const PlotOptions *opts, const char *dir,
                          GPtrArray *scripts, GPtrArray *notes, GError **error);

G_END_DECLS
