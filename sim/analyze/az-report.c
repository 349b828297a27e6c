/* az-report.c: findings as trace events (see az-report.h). */
#include "az-report.h"

#include <stdarg.h>

const char *
az_verdict_name (AzVerdict v)
{
  switch (v)
    {
    case AZ_VERDICT_REUSE: return "REUSE";
    case AZ_VERDICT_H1_RISK: return "H1-RISK";
    case AZ_VERDICT_STALE: return "STALE";
    case AZ_VERDICT_TWA: return "TWA";
    case AZ_VERDICT_H2: return "H2";
    case AZ_VERDICT_H3: return "H3";
    }
  return "?";
}

static SimTraceEvent *
begin (AzReport *r, const char *kind, const AzTuple *t, guint inc, const CapSegment *seg,
       const char *host)
{
  SimTraceEvent *ev = sim_trace_begin (r->trace, seg->t, kind, host);
  sim_trace_field_str (ev, "tuple", t->name);
  sim_trace_field_int (ev, "inc", inc);
  sim_trace_field_int (ev, "packet", (gint64) seg->number);
  return ev;
}

void
az_report_incarnation (AzReport *r, const AzTuple *t, const AzInc *inc, const CapSegment *seg,
                       const char *how)
{
  int d = az_tuple_side (t, seg);
  SimTraceEvent *ev = begin (r, "analyze.incarnation", t, inc->n, seg, t->ep_name[d]);
  sim_trace_field_str (ev, "from", t->ep_name[d]);
  sim_trace_field_str (ev, "to", t->ep_name[1 - d]);
  sim_trace_field_bool (ev, "mid_stream", inc->client < 0);
  if (inc->client >= 0)
    sim_trace_field_int (ev, "isn", seg->seq);
  sim_trace_field_bool (ev, "timestamps", seg->has_ts);
  sim_trace_text (ev, "%s -> %s: incarnation #%u, %s (packet %" G_GUINT64_FORMAT ")",
                  t->ep_name[d], t->ep_name[1 - d], inc->n, how, seg->number);
  sim_trace_publish (r->trace, ev);
}

void
az_report_verdict (AzReport *r, AzVerdict v, const AzTuple *t, guint inc, const CapSegment *seg,
                   int host_side, const char *rule, const char *format, ...)
{
  r->verdicts[v]++;
  va_list args;
  va_start (args, format);
  char *what = g_strdup_vprintf (format, args);
  va_end (args);
  SimTraceEvent *ev = begin (r, "analyze.verdict", t, inc, seg, t->ep_name[host_side]);
  sim_trace_field_str (ev, "verdict", az_verdict_name (v));
  sim_trace_field_str (ev, "rule", rule);
  sim_trace_text (ev, "%s: %s — %s", az_verdict_name (v), what, rule);
  sim_trace_publish (r->trace, ev);
  g_free (what);
}

void
az_report_fact (AzReport *r, const char *fact, const AzTuple *t, guint inc, const CapSegment *seg,
                gboolean good, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  char *what = g_strdup_vprintf (format, args);
  va_end (args);
  SimTraceEvent *ev = begin (r, "analyze.fact", t, inc, seg, t->ep_name[az_tuple_side (t, seg)]);
  sim_trace_field_str (ev, "fact", fact);
  sim_trace_field_bool (ev, "protects", good);
  sim_trace_text (ev, "%s: %s", fact, what);
  sim_trace_publish (r->trace, ev);
  g_free (what);
}

void
az_report_tuple (AzReport *r, const AzTuple *t)
{
  SimTraceEvent *ev = sim_trace_begin (r->trace, t->t_last, "analyze.tuple", NULL);
  sim_trace_field_str (ev, "tuple", t->name);
  sim_trace_field_int (ev, "incarnations", t->n_incs);
  sim_trace_field_int (ev, "segments", (gint64) t->segments);
  sim_trace_field_int (ev, "reuse", t->reuse);
  sim_trace_field_int (ev, "h1_risk", t->h1);
  sim_trace_field_int (ev, "stale", t->stale);
  sim_trace_field_int (ev, "twa", t->twa);
  sim_trace_field_int (ev, "h2", t->h2);
  sim_trace_field_int (ev, "h3", t->h3);
  /* Narrated only when there is something to say (JSON lines get all). */
  if (t->n_incs > 1 || t->reuse + t->h1 + t->stale + t->twa + t->h2 + t->h3 > 0)
    sim_trace_text (ev, "%s: %u incarnation%s, %" G_GUINT64_FORMAT " segments; REUSE %u, "
                    "H1-RISK %u, STALE %u, TWA %u, H2 %u, H3 %u", t->name, t->n_incs,
                    t->n_incs == 1 ? "" : "s", t->segments, t->reuse, t->h1, t->stale, t->twa,
                    t->h2, t->h3);
  sim_trace_publish (r->trace, ev);
}
