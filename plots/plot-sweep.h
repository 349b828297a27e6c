/* plot-sweep.h: `twsim sweep --plot DIR`: the probability of each verdict
 * against the first varied setting, one line per verdict (and per value of
 * the other varied settings), with 95 % interval error bars. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *title;      /* "H1", or "H1 link.a-b.dup=0.01" */
  double *p;        /* n_x each */
  double *low;
  double *high;
} PlotSweepSeries;

typedef struct {
  char *title;              /* the plot's title */
  char *x_label;            /* the first varied key */
  GPtrArray *x_values;      /* char*: its values, in order */
  GPtrArray *series;        /* PlotSweepSeries* */
} PlotSweep;

PlotSweep       *plot_sweep_new        (const char *title, const char *x_label);
void             plot_sweep_free       (PlotSweep *sweep);
PlotSweepSeries *plot_sweep_add_series (PlotSweep *sweep, const char *title);
/* Writes DIR/sweep.dat and DIR/sweep.gp, then renders sweep.png and
 * sweep.svg with gnuplot if it is on PATH (notes: as plot_render). */
gboolean         plot_sweep_write      (const PlotSweep *sweep, const char *dir, GPtrArray *notes,
                                        GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlotSweep, plot_sweep_free)

G_END_DECLS
