/* sim-trace.h: the trace bus. Models publish structured events here; sinks
 * (narration, JSON lines, the scenario runner, plots) subscribe. Nothing in
 * the models prints directly.
 *
 * Usage:
 *   if (sim_trace_wants (trace, "tcp.state")) {
 *     SimTraceEvent *ev = sim_trace_begin (trace, now, "tcp.state", "client");
 *     sim_trace_field_str (ev, "from", "FIN-WAIT-1");
 *     if (sim_trace_needs_text (ev))
 *       sim_trace_text (ev, "FIN-WAIT-1 -> FIN-WAIT-2");
 *     sim_trace_publish (trace, ev);
 *   }
 *
 * Sinks say what they read (sim_trace_add_sink_for): the kinds of event,
 * and whether they read the narration text. An event of a kind no sink
 * reads is not built at all (sim_trace_wants is FALSE), and its text is
 * formatted only when a sink that reads it is attached: sim_trace_text is
 * a no-op otherwise, and sim_trace_needs_text lets an emitter skip the
 * work of preparing it. Text is set after the fields: a sink's text
 * predicate may look at them. Likewise a counting sink (one that takes
 * every event but reads the fields of only a few kinds) does not make the
 * fields of the other kinds needed: sim_trace_field_* are no-ops when no
 * sink taking the event reads them, and sim_trace_reads_fields /
 * sim_trace_needs_fields let an emitter skip preparing them. A sink that
 * reads text reads the fields too.
 */
#pragma once

#include "sim-time.h"

G_BEGIN_DECLS

typedef enum {
  SIM_FIELD_INT,
  SIM_FIELD_STR,
  SIM_FIELD_BOOL,
} SimFieldType;

typedef struct {
  const char *key;   /* static string */
  SimFieldType type;
  gint64 i;          /* INT and BOOL */
  const char *s;     /* STR; valid during publication */
} SimTraceField;

typedef struct {
  SimTime time;
  guint64 index;      /* 0, 1, 2 ... in publication order */
  const char *kind;   /* static dotted name, e.g. "tcp.segment.send" */
  const char *host;   /* host name or NULL; valid during publication */
  GString *text;      /* one-line narration without time and host; empty
                       * unless a sink that reads text takes this event */
  SimTraceField *fields; /* in the order they were added */
  guint n_fields;
} SimTraceEvent;

typedef void (*SimTraceSink) (const SimTraceEvent *event, gpointer data);
/* Whether a sink reads the text of this event (its fields are set). */
typedef gboolean (*SimTraceTextWanted) (const SimTraceEvent *event);

typedef struct _SimTrace SimTrace;

SimTrace      *sim_trace_new          (void);
void           sim_trace_free         (SimTrace *trace);
/* Sinks are called in the order they were added. sim_trace_add_sink: a
 * sink that reads every kind and every text (narration, the JSON lines
 * trace). sim_trace_add_sink_for: kinds, a NULL-terminated list of the
 * kinds the sink reads (NULL: all; the list must outlive the trace);
 * wants_text, when it reads the text (NULL: never; sim_trace_text_always). */
void           sim_trace_add_sink     (SimTrace *trace, SimTraceSink sink, gpointer data);
void           sim_trace_add_sink_for (SimTrace *trace, SimTraceSink sink, gpointer data,
                                       const char *const *kinds, SimTraceTextWanted wants_text);
gboolean       sim_trace_text_always  (const SimTraceEvent *event);
/* A sink that takes every kind, reads no text and reads the fields only of
 * field_kinds (NULL-terminated, outliving the trace; NULL: none). */
void           sim_trace_add_counting_sink (SimTrace *trace, SimTraceSink sink, gpointer data,
                                            const char *const *field_kinds);
/* Any sink at all / any sink that reads this kind. */
gboolean       sim_trace_active       (const SimTrace *trace);
gboolean       sim_trace_wants        (SimTrace *trace, const char *kind);
gboolean       sim_trace_needs_text   (SimTraceEvent *event);
/* Does a sink that takes this kind (this event) read its fields? */
gboolean       sim_trace_reads_fields (SimTrace *trace, const char *kind);
gboolean       sim_trace_needs_fields (SimTraceEvent *event);
SimTraceEvent *sim_trace_begin        (SimTrace *trace, SimTime time,
                                       const char *kind, const char *host);
void           sim_trace_field_int    (SimTraceEvent *event, const char *key, gint64 value);
void           sim_trace_field_str    (SimTraceEvent *event, const char *key, const char *value);
void           sim_trace_field_bool   (SimTraceEvent *event, const char *key, gboolean value);
void           sim_trace_text         (SimTraceEvent *event, const char *format, ...) G_GNUC_PRINTF (2, 3);
void           sim_trace_publish      (SimTrace *trace, SimTraceEvent *event);

const SimTraceField *sim_trace_event_field (const SimTraceEvent *event, const char *key);
/* Convenience lookups; return the default when the field is absent. */
gint64         sim_trace_event_int    (const SimTraceEvent *event, const char *key, gint64 fallback);
const char    *sim_trace_event_str    (const SimTraceEvent *event, const char *key);

G_END_DECLS
