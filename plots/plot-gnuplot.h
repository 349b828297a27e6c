/* plot-gnuplot.h: running gnuplot on a script written by a plot, so that
 * each image appears whole or not at all. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Full path of gnuplot found on PATH, or NULL. */
char     *plot_gnuplot_find   (void);
/* Runs `gnuplot NAME.gp` in DIR with png_out/svg_out set to temporary
 * names in DIR, then renames them to NAME.png and NAME.svg. A failure
 * (non-zero exit, no image) gives PLOT_ERROR_GNUPLOT naming the script and
 * quoting gnuplot's stderr; warnings on stderr after a success are
 * returned in *warnings (NULL when there are none). */
gboolean  plot_gnuplot_render (const char *gnuplot, const char *dir, const char *name,
                               char **warnings, GError **error);

G_END_DECLS
