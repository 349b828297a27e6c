/* ladder-text.h: the ladder (sequence) diagram drawn in a terminal, for
 * people without gnuplot: one column per host, time running down, one row
 * per segment, per state change and per verdict. A copy made by the link,
 * or a segment it held or delayed, is drawn twice: a stub when it leaves
 * and an arrow when it arrives, where it matters. Lines fit
 * LADDER_TEXT_WIDTH display columns for up to 4 hosts. Colour when the
 * output is a terminal. */
#pragma once

#include "sim-trace.h"
#include "sim-time.h"
#include <stdio.h>

G_BEGIN_DECLS

#define LADDER_TEXT_WIDTH 100

typedef struct _LadderText LadderText;

/* hosts: the host names in column order. */
LadderText *ladder_text_new    (const char *const *hosts, guint n_hosts, gboolean colour);
void        ladder_text_sink   (const SimTraceEvent *event, gpointer ladder);
/* The host header, every row, then the legend line. */
void        ladder_text_render (LadderText *ladder, GString *out);
/* Adds the time of every row to `times` (SimTime, unsorted). */
void        ladder_text_add_times (LadderText *ladder, GArray *times);
/* As ladder_text_render, but with a row for each of `times` (sorted, no
 * repeats, a superset of the ladder's own): a time where the ladder has
 * nothing is an empty row, so two ladders drawn so line up. */
void        ladder_text_render_aligned (LadderText *ladder, const GArray *times, GString *out);
/* Several ladders one after the other, each under its title, with the
 * same time rows (the union of their times). */
void        ladder_text_render_together (LadderText *const *ladders, const char *const *titles,
                                         guint n, GString *out);
/* The legend line, without colour. */
const char *ladder_text_legend (void);
void        ladder_text_free   (LadderText *ladder);

G_END_DECLS
