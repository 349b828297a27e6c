/* trace-v1.h: the JSON lines trace on disk, version 1 (README "JSON lines
 * trace"), and its expansion back into the full event objects that the
 * trace bus publishes.
 *
 * A full event is one flat object: {"t","i","kind","host", fields...,
 * "text"}. On disk a v1 trace starts with the header line
 * TRACE_V1_HEADER; each event is then a row of values, [N, ...], under
 * definition N of its keys (a line {"d":N,"k":KIND,"keys":"..."} before
 * its first row). An event leaves out "t" and "h" (the host) when they
 * are the previous event's, "i" when it is the previous plus one, a
 * segment's fields after the first time ("s" refers to them), fields at
 * their default, and the narration where the fields give it ("x": what
 * follows the derived part, or "text": all of it).
 *
 * Both directions work on the JSON text of the members, never decoding a
 * string: the writer compacts the members it formatted, a reader expands
 * each line into the full object and parses that as before. Writer and
 * reader keep the same small state (the last segments and connections
 * seen), so expansion gives back every member of the full event. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TRACE_V1_VERSION 1
#define TRACE_V1_HEADER "{\"v\":1,\"twsim\":\"trace\"}"

typedef struct _TraceV1 TraceV1;

/* One state per direction and per file. */
TraceV1  *trace_v1_new     (void);
void      trace_v1_free    (TraceV1 *v1);

/* Writer: appends one event, from the members of its full object
 * (trace-v1-line.h), as a row (after its definition line when new); no
 * newline at the end. */
struct _TraceV1Line;
void      trace_v1_compact (TraceV1 *v1, const struct _TraceV1Line *full, GString *out);

/* Reader: whether expansion gives each event its "text" (the default);
 * without, an event keeps only the "text" or "x" the line gave, and
 * expansion is much faster (the plots read no narration). */
void      trace_v1_set_narrate (TraceV1 *v1, gboolean narrate);
/* Reader: checks the header line. FALSE: *why says what is wrong and
 * *column where (1-based). */
gboolean  trace_v1_header  (const char *line, gsize len, char **why, guint *column);
/* Reader: appends the full form of one compact line (no newline); a
 * definition line appends nothing. FALSE: *why and *column as above. */
gboolean  trace_v1_expand  (TraceV1 *v1, const char *line, gsize len, GString *out,
                            char **why, guint *column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TraceV1, trace_v1_free)

G_END_DECLS
