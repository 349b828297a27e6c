/* narration.h: the narrated timeline, a trace sink that writes one line
 * per event: virtual time, host, what happened and why. */
#pragma once

#include "sim-trace.h"
#include <stdio.h>

G_BEGIN_DECLS

typedef struct _Narration Narration;

/* host_width: the column width for host names. */
Narration *narration_new  (FILE *out, guint host_width);
void       narration_free (Narration *narration);
void       narration_sink (const SimTraceEvent *event, gpointer narration);

G_END_DECLS
