/* plot-render.h: `twsim plot` and `twsim run --plot`: every plot of a
 * trace written into one directory as data (*.dat), gnuplot scripts (*.gp)
 * and, when gnuplot is installed, images (*.png, *.svg). */
#pragma once

#include "plot-output.h"

G_BEGIN_DECLS

/* Writes the data and scripts into DIR (created if missing), then renders
 * them with gnuplot if it is on PATH. Messages for the user (windows
 * chosen, gnuplot missing or warning) are added to `notes`. */
gboolean plot_render       (const PlotTrace *trace, const char *dir, const PlotOptions *opts,
                            GPtrArray *notes, GError **error);
/* The same from a saved JSON lines trace. */
gboolean plot_render_file  (const char *trace_path, const char *dir, const PlotOptions *opts,
                            GPtrArray *notes, GError **error);

/* The pieces every set of plots uses: the directory (created if missing),
 * then gnuplot run on each script NAME.gp in it (scripts: char* names, the
 * first named in the note written when gnuplot is missing). */
gboolean plot_make_dir       (const char *dir, GError **error);
gboolean plot_render_scripts (const char *dir, GPtrArray *scripts, GPtrArray *notes,
                              GError **error);

G_END_DECLS
