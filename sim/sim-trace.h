/* sim-trace.h: the trace bus. Models publish structured events here; sinks
 * (narration, JSON lines, the scenario runner, plots) subscribe. Nothing in
 * the models prints directly.
 *
 * Usage:
 *   if (sim_trace_active (trace)) {
 *     SimTraceEvent *ev = sim_trace_begin (trace, now, "tcp.state", "client");
 *     sim_trace_field_str (ev, "from", "FIN-WAIT-1");
 *     sim_trace_text (ev, "FIN-WAIT-1 -> FIN-WAIT-2");
 *     sim_trace_publish (trace, ev);
 *   }
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
  char *s;           /* STR, owned */
} SimTraceField;

typedef struct {
  SimTime time;
  guint64 index;      /* 0, 1, 2 ... in publication order */
  const char *kind;   /* static dotted name, e.g. "tcp.segment.send" */
  char *host;         /* host name or NULL */
  GString *text;      /* one-line narration without time and host */
  GArray *fields;     /* SimTraceField, in the order they were added */
} SimTraceEvent;

typedef void (*SimTraceSink) (const SimTraceEvent *event, gpointer data);

typedef struct _SimTrace SimTrace;

SimTrace      *sim_trace_new          (void);
void           sim_trace_free         (SimTrace *trace);
/* Sinks are called in the order they were added. */
void           sim_trace_add_sink     (SimTrace *trace, SimTraceSink sink, gpointer data);
gboolean       sim_trace_active       (const SimTrace *trace);
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
