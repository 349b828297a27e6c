/* plot-time-axis.h: a piecewise time axis. When a few quiet stretches
 * (nothing happens: a 60 s TIME-WAIT running out, a trace ending long
 * before a 2 x MSL would) dwarf the rest, each is drawn short as a grey
 * cut with its length above it, so the 60 s and the second of action
 * both show. Positions on the axis are ns of drawn time; the tick labels
 * give real times. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gint64 t_from, t_to;   /* real time, ns */
  gint64 x_from, x_to;   /* position on the axis, ns of drawn time */
  gboolean cut;          /* a quiet stretch drawn short */
} PlotAxisPiece;

typedef struct {
  GArray *pieces;        /* PlotAxisPiece, in time order, end to end */
} PlotTimeAxis;

/* An axis over the times in `keys` (ns, any order, at least one) at
 * which something is drawn; at most `max_cuts` quiet stretches are cut,
 * longest first. A stretch is cut when it is over 200 times the median
 * stretch between key times (the usual spacing of events) and over a
 * quarter of what is still drawn to scale: it would squash the rest. */
PlotTimeAxis *plot_time_axis_new        (const GArray *keys, guint max_cuts);
void          plot_time_axis_free       (PlotTimeAxis *axis);
/* The position of real time t (times beyond the ends are extrapolated 1:1). */
gint64        plot_time_axis_x          (const PlotTimeAxis *axis, gint64 t);
gint64        plot_time_axis_x_end      (const PlotTimeAxis *axis);
guint         plot_time_axis_cuts       (const PlotTimeAxis *axis);
/* "set xtics (...)": the real times either side of each cut, then round
 * real times in the pieces drawn to scale, none closer than its text is
 * wide (`px_per_ns`: pixels per ns of drawn time), no two alike. */
void          plot_time_axis_append_tics (const PlotTimeAxis *axis, GString *gp, double px_per_ns);
/* Each cut: a grey band behind the bars, dashed edges in front, and its
 * real length above the frame ("// 58 s") where that fits. */
void          plot_time_axis_append_cuts (const PlotTimeAxis *axis, GString *gp, double px_per_ns);

/* The width in pixels of a label of n characters at the plots' 11 pt. */
#define PLOT_TEXT_PX(n) ((double) (n) * 7.8)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlotTimeAxis, plot_time_axis_free)

G_END_DECLS
