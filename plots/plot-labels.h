/* plot-labels.h: placing text labels where they cover no other label, no
 * line the placer was told of (arrows, columns) and stay inside the
 * frame. Everything is in pixels of the image, y running down.
 *
 * Text extents are estimated from the character count: pngcairo's Sans
 * (DejaVu Sans) averages about 0.72 em per character of our labels
 * (measured on the ladder's PNGs: 7.1 px per character at 10 pt, 8.3 at
 * 11, 8.6 at 12); the placer counts 0.78 em and a line 1.6 em tall, so
 * an estimate errs on the side of room. tests/test-plot-labels.c checks
 * the result with its own, slightly smaller estimate. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double x0, y0, x1, y1;   /* px, x0 <= x1, y0 <= y1 */
} PlotBox;

typedef enum {
  PLOT_ALIGN_LEFT,         /* the text starts at x */
  PLOT_ALIGN_CENTER,
  PLOT_ALIGN_RIGHT,        /* the text ends at x */
} PlotAlign;

typedef struct {
  PlotBox frame;           /* labels stay inside */
  GArray *boxes;           /* PlotBox: labels placed so far */
  GArray *lines;           /* lines to keep clear of (PlotLine) */
} PlotPlacer;

/* Owner 0: a line no label may cover; n > 0: a line label n may cover
 * (its own arrow). */
typedef struct {
  double x0, y0, x1, y1;
  guint owner;
} PlotLine;

void     plot_placer_init     (PlotPlacer *p, PlotBox frame);
void     plot_placer_clear    (PlotPlacer *p);
void     plot_placer_add_line (PlotPlacer *p, double x0, double y0, double x1, double y1,
                               guint owner);
/* Marks a box as taken. */
void     plot_placer_take     (PlotPlacer *p, const PlotBox *b);
/* Inside the frame and clear of every label placed so far. */
gboolean plot_placer_room     (const PlotPlacer *p, const PlotBox *b);
/* plot_placer_room, and clear of every line but those of `owner`. */
gboolean plot_placer_clear_of_lines (const PlotPlacer *p, const PlotBox *b, guint owner);

/* How strictly a label keeps clear of lines: its whole box, only its
 * glyphs (the middle of the box: an opaque box may cover a line's edge
 * but no line crosses the text), or not at all. */
typedef enum {
  PLOT_CLEAR_BOX,
  PLOT_CLEAR_TEXT,
  PLOT_CLEAR_NONE,
} PlotClearance;

/* plot_placer_room, and clear of the lines but those of `owner` as
 * `how` says. */
gboolean plot_placer_fits     (const PlotPlacer *p, const PlotBox *b, guint owner,
                               PlotClearance how);

/* The box of `text` in a font of `points`, anchored at (x, y) (its
 * vertical middle at y). */
PlotBox  plot_label_box       (double x, double y, const char *text, int points,
                               PlotAlign align);
/* Characters as drawn: a UTF-8 sequence counts one. */
gsize    plot_text_chars      (const char *text);
/* A line of text in a font of `points`, px. */
double   plot_line_height     (int points);

G_END_DECLS
