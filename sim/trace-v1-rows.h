/* trace-v1-rows.h: events as rows of values under numbered definitions of
 * their keys (trace-v1-rows.c), for trace-v1.c. */
#pragma once

#include "trace-v1-line.h"

G_BEGIN_DECLS

typedef struct _TraceV1Rows TraceV1Rows;

TraceV1Rows *trace_v1_rows_new    (void);
void         trace_v1_rows_free   (TraceV1Rows *rows);
/* Writer: the members of a compact event (one of them "k", the kind) as a
 * row, after its definition line when its keys are new. */
void         trace_v1_rows_encode (TraceV1Rows *rows, const TraceV1Line *obj, GString *out);
/* Reader: a definition line (*is_definition), a row or a compact object
 * (both split into `event`, whose members point into the line and the
 * definitions). */
gboolean     trace_v1_rows_decode (TraceV1Rows *rows, const char *text, gsize len,
                                   TraceV1Line *event, gboolean *is_definition, char **why,
                                   guint *column);

G_END_DECLS
