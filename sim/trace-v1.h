/* trace-v1.h: the JSON lines trace on disk, version 1 (README "JSON lines
 * trace"), and its expansion back into the full event objects that the
 * trace bus publishes.
 *
 * A full event is one flat object: {"t","i","kind","host", fields...,
 * "text"}. On disk a v1 trace starts with the header line
 * TRACE_V1_HEADER, then one compact line per event: "k" and "h" for kind
 * and host (no "h": null), "i" only when it is not the previous plus one,
 * a segment's fields once ("s" refers to them), fields at their default
 * left out, and the narration only where it cannot be derived from the
 * fields ("x": what follows the derived part, or "text": all of it).
 *
 * Both directions work on the JSON text of a line, never decoding a
 * string: the writer compacts the line it formatted, a reader expands each
 * line and parses the result as before. Writer and reader keep the same
 * small state (the last segments and connections seen), so expansion gives
 * back every member of the full line. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TRACE_V1_VERSION 1
#define TRACE_V1_HEADER "{\"v\":1,\"twsim\":\"trace\"}"

typedef struct _TraceV1 TraceV1;

/* One state per direction and per file. */
TraceV1  *trace_v1_new     (void);
void      trace_v1_free    (TraceV1 *v1);

/* Writer: appends the compact form of one full event line (no newline). */
void      trace_v1_compact (TraceV1 *v1, const char *full, gsize len, GString *out);

/* The same from the members of the full line (trace-v1-line.h), as the
 * writer records them while formatting it. */
struct _TraceV1Line;
void      trace_v1_compact_members (TraceV1 *v1, const struct _TraceV1Line *full, GString *out);

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
