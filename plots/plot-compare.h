/* plot-compare.h: two runs of one story side by side as one slide: a
 * ladder per run (one column per host, time running down), both on the
 * same time axis, so that where they part is level in both. Writes
 * compare.dat and compare.gp. */
#pragma once

#include "plot-output.h"
#include "plot-trace.h"

G_BEGIN_DECLS

typedef struct {
  const PlotTrace *trace;
  const char *title;   /* "A: flagship.scn as written" */
  const char *outcome; /* its second line: "CORRUPTION" */
} ComparePanel;

/* hosts: the columns, in order, the same for both runs. Adds "compare" to
 * `scripts`. */
gboolean plot_compare_write (const ComparePanel panels[2], const char *const *hosts,
                             guint n_hosts, const char *title, const char *dir,
                             GPtrArray *scripts, GError **error);

G_END_DECLS
