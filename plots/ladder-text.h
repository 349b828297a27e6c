/* ladder-text.h: the ladder (sequence) diagram drawn in a terminal, for
 * people without gnuplot: one column per host, time running down, one row
 * per segment and per state change. Colour when the output is a terminal. */
#pragma once

#include "sim-trace.h"
#include <stdio.h>

G_BEGIN_DECLS

typedef struct _LadderText LadderText;

/* hosts: the host names in column order. */
LadderText *ladder_text_new    (const char *const *hosts, guint n_hosts, gboolean colour);
void        ladder_text_sink   (const SimTraceEvent *event, gpointer ladder);
void        ladder_text_render (LadderText *ladder, GString *out);
void        ladder_text_free   (LadderText *ladder);

G_END_DECLS
