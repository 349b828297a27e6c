/* trace-jsonl.h: the JSON lines trace, one object per trace event with
 * stable keys (see README "JSON lines trace"). The file is written to a
 * temporary name beside the target and renamed into place only when the
 * run completes: it is written whole or not at all. */
#pragma once

#include "sim-trace.h"

G_BEGIN_DECLS

typedef struct _TraceJsonl TraceJsonl;

TraceJsonl *trace_jsonl_open   (const char *path, GError **error);
/* A trace kept in memory, whole (header and every line), for a reader in
 * the same process (twsim compare's plots). */
TraceJsonl *trace_jsonl_new_in_memory (void);
const GString *trace_jsonl_lines (const TraceJsonl *writer);
void        trace_jsonl_free_in_memory (TraceJsonl *writer);
void        trace_jsonl_sink   (const SimTraceEvent *event, gpointer writer);
/* The sink's text predicate (sim_trace_add_sink_for) for a run of the
 * models: the narration of tcp.send, tcp.recv, sock.call and sock.block
 * is never needed (a reader derives it from the fields), so a run that
 * narrates nothing else does not format it. */
gboolean    trace_jsonl_wants_text (const SimTraceEvent *event);
/* Flushes and renames into place; on failure removes the temporary file. */
/* Hands the lines written so far to the file (for `--trace -`, before the
 * report follows them on stdout). */
void        trace_jsonl_flush  (TraceJsonl *writer);
gboolean    trace_jsonl_commit (TraceJsonl *writer, GError **error);
/* Removes the temporary file; the target is left untouched. */
void        trace_jsonl_abandon (TraceJsonl *writer);
/* A JSON string literal (RFC 8259): UTF-8 kept, control characters
 * escaped, invalid bytes as U+FFFD. */
void        trace_jsonl_append_string (GString *out, const char *text);
/* One event as a full JSON object (every key, as the bus published it;
 * the file holds it compacted, trace-v1.h), without newline. */
void        trace_jsonl_format (GString *out, const SimTraceEvent *event);

G_END_DECLS
