/* plot-names.h: how a picture names a connection to a person, in one
 * place: "client #2 (10.0.0.1:4000 > 10.0.0.2:80)" in titles, legends and
 * row labels, "client-2" in file names. The trace's `conn` id is an
 * internal counter and never shown. */
#pragma once

#include "plot-trace.h"

G_BEGIN_DECLS

/* What names a connection: the host it lives on, the incarnation of its
 * four-tuple (0 when none: a listener), its endpoints as in the trace
 * ("10.0.0.1:4000", "*:0") and whether it is a listening socket. */
typedef struct {
  const char *host;      /* may be NULL */
  gint64 inc;
  const char *local;
  const char *remote;
  gboolean listening;
  guint nth;             /* a listener: the how-manieth on its address (0, 1: the first) */
} PlotConnId;

/* "client #2 (10.0.0.1:4000 > 10.0.0.2:80)"; a listener is
 * "server listener (10.0.0.2:80)", the next one on that address "server
 * listener 2 (10.0.0.2:80)"; without an incarnation the "#N" is left
 * out. */
char *plot_conn_name (const PlotConnId *id);

/* The file-name stem of a connection, in PLOT_NAME_CHARS: "client-2"
 * (host and incarnation); "server-listener-80", "server-listener-80-2". */
char *plot_conn_stem (const PlotConnId *id);

/* The port of an endpoint "10.0.0.1:4000" or "[2001:db8::1]:80" (the
 * text after its last ':'), or "" when it has none. */
const char *plot_endpoint_port (const char *endpoint);

/* Makes the stems in `stems` (char *, one per connection, in a fixed
 * order) unique: a stem shared by several gets "-pPORT" (their local
 * port, from `local_ports`), then "-N" (N its position among those still
 * alike). Deterministic: depends only on the order given. */
void  plot_conn_stems_unique (GPtrArray *stems, const GPtrArray *local_ports);

/* The key of connection `conn` of `host` (interned in the trace) in the
 * tables below and wherever a plot indexes by connection: "HOST/CONN". */
char *plot_conn_key (const char *host, gint64 conn);

/* The name of every connection of a trace that has a tcp.state event, from
 * its first one (a listener: its first state is LISTEN; listeners on one
 * host and address are numbered in the order they appear). */
GHashTable *plot_conn_names_new (const PlotTrace *trace);
/* A connection's name on its host's column, where the host is said
 * already: "#2" (its incarnation), "listener", "listener 2". */
char *plot_conn_column_name (const PlotConnId *id);
/* The column name of every connection of a trace, as plot_conn_names_new;
 * two of one host alike get their local port: "#1 :4000", "#1 :4001". */
GHashTable *plot_conn_column_names_new (const PlotTrace *trace);

/* The name of connection `conn` of `host` (interned in the trace), or
 * NULL when it has no state. */
const char *plot_conn_names_get (GHashTable *names, const char *host, gint64 conn);

G_END_DECLS
