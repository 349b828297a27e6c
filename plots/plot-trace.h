/* plot-trace.h: a saved JSON lines trace loaded into the small in-memory
 * model the plots are drawn from: segments (as TCP and the links saw them),
 * state changes and corruption markers. Only the kinds and keys the plots
 * use are kept; other kinds are skipped, unknown keys ignored. */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

#define PLOT_ERROR (plot_error_quark ())

typedef enum {
  PLOT_ERROR_BAD_TRACE,    /* FILE:LINE: what is wrong */
  PLOT_ERROR_IO,           /* cannot read or write a file */
  PLOT_ERROR_GNUPLOT,      /* gnuplot failed on a script */
} PlotErrorCode;

GQuark plot_error_quark (void);

typedef enum {
  PLOT_SEG_TCP_SEND,
  PLOT_SEG_TCP_RECV,
  PLOT_SEG_LINK_SEND,
  PLOT_SEG_LINK_DROP,
  PLOT_SEG_NET_DROP,
  PLOT_SEG_LINK_DUP,    /* a copy made by a link: its own arrival */
  PLOT_SEG_LINK_DELAY,  /* a segment delayed or held: its new arrival */
} PlotSegKind;

/* One segment event. Strings are interned in the trace (compare pointers);
 * integer keys a kind does not carry are -1. */
typedef struct {
  PlotSegKind kind;
  guint64 order;     /* position in the trace: 0 for its first event */
  gint64 t;          /* ns */
  gint64 arrive;     /* link.send, link.dup, link.delay: arrival time, ns */
  const char *host;  /* sender (tcp.send, links) or receiver (tcp.recv); may be NULL */
  const char *src;   /* "10.0.0.1:4000" */
  const char *dst;
  const char *flags; /* "SYN,ACK" */
  const char *link;  /* link.*: "client->server", else NULL */
  gint64 seg;
  gint64 seq;
  gint64 ack;
  gint64 len;
  gint64 win;
  gint64 seg_conn;
  gint64 seg_inc;
  gint64 copy;
  gboolean rexmit;
  gint64 conn;       /* tcp.send / tcp.recv */
  gint64 inc;
  gboolean stale;    /* tcp.recv */
} PlotSegment;

typedef struct {
  guint64 order;
  gint64 t;
  const char *host;
  gint64 conn;
  gint64 inc;
  const char *local;
  const char *remote;
  const char *from;
  const char *to;
  const char *why;   /* "discarded on rebind (...)" from the text, or NULL */
} PlotStateChange;

/* A `verdict.corruption` or a `tcp.stale-data` event. Integer keys the
 * event does not carry are -1. */
typedef struct {
  guint64 order;
  gint64 t;
  const char *host;
  gint64 conn;
  gint64 inc;        /* the incarnation that read (accepted) the bytes */
  gint64 seg;        /* the segment that carried them (0: unknown) */
  gint64 seg_inc;    /* tcp.stale-data: the incarnation that sent them */
  const char *data;  /* corruption: what the read returned (escaped), or NULL */
  const char *incs;  /* corruption: its incarnation spans "#1:0-11", or NULL */
} PlotMarker;

/* A TIME-WAIT timer set: when 2 x MSL would end. */
typedef struct {
  gint64 t;
  const char *host;
  gint64 conn;
  gint64 at;
} PlotTimer;

/* A `sock.call` (the ladder draws them on the host's column). Strings
 * absent from the event are NULL. */
typedef struct {
  guint64 order;
  gint64 t;
  const char *host;
  const char *call;   /* "bind" */
  const char *args;   /* "s, *:80" as the script wrote them */
  gint64 ret;
  const char *err;    /* "EADDRINUSE", or NULL when the call succeeded */
} PlotCall;

/* Every event of the trace, whatever its kind, for the viewer: the
 * narration line and the judge's words on it. Strings absent from the
 * event are NULL, integers -1. */
typedef struct {
  guint64 order;
  gint64 t;
  const char *kind;
  const char *host;
  const char *text;
  const char *rule;     /* tcp.recv, tcp.stale-data, ... */
  const char *verdict;  /* tcp.recv: "accepted", "dropped", ...; verdict.*: its name */
  const char *why;      /* tcp.send, link.*, sock.*: the reason given */
  gint64 seg;           /* the segment it is about */
  gint64 copy;
  gint64 conn;
  gint64 inc;
} PlotEvent;

typedef struct {
  GStringChunk *strings;
  GArray *events;       /* PlotEvent, every event in trace order (plot_trace_load_all) */
  GArray *segments;     /* PlotSegment, in trace order */
  GArray *states;       /* PlotStateChange, in trace order */
  GArray *corruptions;  /* PlotMarker, from `verdict.corruption` */
  GArray *stale_data;   /* PlotMarker, from `tcp.stale-data` */
  GArray *time_waits;   /* PlotTimer, from `tcp.timer` time-wait set */
  GArray *calls;        /* PlotCall, from `sock.call` */
  GArray *data_lost;    /* PlotMarker, from `tcp.data-lost` (seg_inc: stale_inc) */
  gint64 t_begin;       /* first event time, ns */
  gint64 t_end;         /* last event time, ns */
  guint64 n_events;
} PlotTrace;

/* Reads a JSON lines trace. Bad input gives PLOT_ERROR_BAD_TRACE with
 * "FILE:LINE: what is wrong". */
PlotTrace  *plot_trace_load  (const char *path, GError **error);
/* The same from an open stream (not closed); path names it in messages. */
PlotTrace  *plot_trace_read  (FILE *file, const char *path, GError **error);
/* The same, keeping every event in `events` too (the viewer). */
PlotTrace  *plot_trace_load_all (const char *path, GError **error);
void        plot_trace_free  (PlotTrace *trace);
/* Interns a string in the trace (NULL stays NULL). */
const char *plot_trace_intern (PlotTrace *trace, const char *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlotTrace, plot_trace_free)

G_END_DECLS
