/* plot-output.h: what every plot writes: data files in plain columns with
 * header comments, split into gnuplot index blocks, and gnuplot scripts
 * that render NAME.png and NAME.svg. Files are written whole or not at
 * all (temporary name in the directory, then rename). */
#pragma once

#include "plot-trace.h"

G_BEGIN_DECLS

/* Slide-sized images. */
#define PLOT_WIDTH 1280
#define PLOT_HEIGHT 800

typedef struct {
  gboolean from_given;
  gint64 from;           /* ns */
  gboolean to_given;
  gint64 to;             /* ns */
  guint ladder_limit;    /* segments in the default ladder window; 0 = 300 */
} PlotOptions;

/* A data file being built: blocks are numbered 0, 1, ... in the order they
 * are started (gnuplot `index N`); each starts with "# [N] TITLE". */
typedef struct {
  GString *text;
  guint blocks;
} PlotData;

void     plot_data_init        (PlotData *data, const char *header);
guint    plot_data_block       (PlotData *data, const char *title, const char *columns);
void     plot_data_clear       (PlotData *data);

/* "12.345678" ms and "1.234567890" s from ns, exact and locale-free. */
void     plot_append_ms        (GString *out, gint64 ns);
void     plot_append_s         (GString *out, gint64 ns);
/* A double-quoted string for a data file (quotes inside become ', a
 * backslash, which could escape the closing quote, becomes /). */
void     plot_append_data_str  (GString *out, const char *s);
/* A single-quoted gnuplot string literal for a script. Control
 * characters (newlines above all) become spaces in both. */
void     plot_append_gp_str    (GString *out, const char *s);
/* Text for a `#` comment in a script or a data file: control characters
 * become spaces and it never ends in a backslash (gnuplot would join the
 * next line to the comment). */
void     plot_append_comment_text (GString *out, const char *s);

/* The characters of a plot's NAME (file names NAME.gp, NAME.dat, ...). */
#define PLOT_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

/* The script head (NAME in PLOT_NAME_CHARS): comments, defaults for png_out/svg_out, the PNG
 * terminal (pngcairo, else png) and the title. */
void     plot_script_begin     (GString *gp, const char *name, const char *about,
                                const char *title);
/* The script tail: the same plot again as SVG, then outputs closed. */
void     plot_script_end       (GString *gp);

/* Writes DIR/NAME atomically. */
gboolean plot_write_file       (const char *dir, const char *name, const GString *contents,
                                GError **error);

G_END_DECLS
