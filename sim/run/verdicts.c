/* verdicts.c: detection of RFC 1337's hazards from the trace and the
 * ground truth the simulator carries (see verdicts.h).
 *
 * Provenance. Every segment carries the incarnation that sent it
 * (seg_inc). A segment sent by no connection (a RST from CLOSED, RFC 9293
 * 3.5.2) or by a TIME-WAIT record in reply to another segment inherits, as
 * its "effective incarnation", that of the segment it answers: a reply is a
 * tcp.send by the same host at the same instant as the tcp.recv before it.
 * A segment is stale at a receiver when its effective incarnation is older
 * than the receiving connection's, or than the newest incarnation of the
 * four-tuple when it reaches no connection. Replies to stale segments are
 * "tainted" (caused by a stale segment), and so are replies to those.
 *
 * H2 criterion (documented in the README): RFC 1337 H2 is a permanent
 * disagreement that RFC 793 turns into an endless ACK exchange. We call it
 * H2 when a chain of four segments exists in which each one is an ACK that
 * a connection sent because the previous one was unacceptable (RFC 9293
 * 3.10.7.4 first check, or an ACK of data never sent, fifth check, both
 * "ACK sent" and nothing else changes), and the fourth is again unacceptable
 * at its receiver: two full round trips with neither SND.UNA nor RCV.NXT
 * moving on either side.
 *
 * Nothing here iterates a GHashTable into output: verdicts and stale
 * arrivals are kept in arrays in the order they happened. */
#include "verdicts.h"
#include "sim-kind-map.h"

#include <string.h>

#include "tcp.h"

#define H2_CHAIN 4

typedef struct {
  ScenarioVerdictKind kind;
  SimTime time;
  char *host;
  guint64 sock_id;   /* corruption: the reading socket */
  guint64 conn_id;
  guint32 inc;
  guint64 seg;       /* the segment at fault, 0 if none */
  char *text;        /* the full sentence */
} Verdict;

typedef struct {
  guint32 inc;
  const char *host;  /* in Verdicts.names */
  char *tuple;       /* normalised four-tuple key */
  SimTime tw_expiry; /* when its TIME-WAIT timer would fire; 0 = none */
  char *tw_length;   /* what that timer is ("2 x MSL, RFC 9293 3.4.2", Linux's
                        "TCP_TIMEWAIT_LEN: ..."), from its "set" text */
  gboolean in_time_wait;
} ConnInfo;

typedef struct {
  const char *host;  /* in Verdicts.names, as rule */
  guint64 conn_id;   /* receiving connection */
  guint64 seg;
  guint32 seq;
  guint32 seg_inc;
  guint64 offset;
  guint64 len;
  guint32 copy;
  SimTime time;
  const char *rule;
} AcceptedData;

typedef struct {
  char *text;        /* "seg 17 (#1 seq=1001 len=11) at 2.110s reached ..." */
  gboolean accepted; /* its data went into a newer incarnation */
} StaleArrival;

typedef struct {
  char *tuple;
  char *host;
  guint32 inc;
  SimTime cut_at;
  SimTime would_end;
  char *why;
  char *length;      /* the record's TIME-WAIT length, as its timer said */
  gboolean reported;
} CutTimeWait;

typedef struct {
  guint64 seg;       /* the segment received last at this host */
  SimTime time;
  guint32 eff_inc;
  gboolean stale;
  guint32 taint;     /* != 0: provoked by a stale segment of this incarnation */
  guint h2_depth;    /* > 0: it was an unacceptable segment answered by an ACK */
  gboolean valid;
} LastRecv;

/* What a segment in flight carries besides its own incarnation. Kept only
 * for a segment that has something to carry, and only until its last copy
 * arrives or is dropped, so memory follows the segments alive, not the
 * length of the run. */
typedef struct {
  guint32 eff;       /* effective incarnation when the segment has none (a reply), else 0 */
  guint32 taint;     /* != 0: provoked by a stale segment of this incarnation */
  guint h2_depth;    /* > 0: an ACK answering an unacceptable segment, chain depth */
  guint copies;      /* copies still on their way */
} SegInfo;

struct _Verdicts {
  SimEngine *engine;
  GPtrArray *verdicts;     /* Verdict *, in order found */
  GPtrArray *pending;      /* Verdict *, borrowed: still to be published */
  gboolean flush_armed;
  GHashTable *conns;       /* conn id -> ConnInfo; lookups only */
  GHashTable *latest_inc;  /* tuple -> newest incarnation; lookups only */
  GHashTable *segs;        /* seg id -> SegInfo, while a copy is on its way; lookups only */
  GHashTable *last_recv;   /* host -> LastRecv; lookups only */
  GHashTable *reported;    /* "kind/conn" set, one verdict per connection; lookups only */
  GArray *accepted;        /* AcceptedData */
  GPtrArray *stale;        /* StaleArrival * */
  GPtrArray *cut;          /* CutTimeWait * */
  GStringChunk *names;     /* host names and rule texts, each kept once */
  GString *tuple;          /* the four-tuple key of the event at hand */
  SimKindMap dispatch;     /* ev->kind -> index in verdicts_dispatch */
};

static void
verdict_free (gpointer p)
{
  Verdict *v = p;
  g_free (v->host);
  g_free (v->text);
  g_free (v);
}

static void
conn_info_free (gpointer p)
{
  ConnInfo *c = p;
  g_free (c->tw_length);
  g_free (c->tuple);
  g_free (c);
}

static void
stale_free (gpointer p)
{
  StaleArrival *s = p;
  g_free (s->text);
  g_free (s);
}

static void
cut_free (gpointer p)
{
  CutTimeWait *c = p;
  g_free (c->tuple);
  g_free (c->host);
  g_free (c->why);
  g_free (c->length);
  g_free (c);
}

static const char *
kind_event (ScenarioVerdictKind kind)
{
  switch (kind)
    {
    case SCENARIO_VERDICT_CORRUPTION:
      return "verdict.corruption";
    case SCENARIO_VERDICT_H2:
      return "verdict.h2";
    case SCENARIO_VERDICT_H3:
      return "verdict.h3";
    case SCENARIO_VERDICT_ASSASSINATION:
      return "verdict.assassination";
    case SCENARIO_VERDICT_REUSE:
      return "verdict.reuse";
    }
  return "verdict.?";
}

static const char *
kind_code (ScenarioVerdictKind kind)
{
  switch (kind)
    {
    case SCENARIO_VERDICT_CORRUPTION:
      return "H1";
    case SCENARIO_VERDICT_H2:
      return "H2";
    case SCENARIO_VERDICT_H3:
      return "H3";
    case SCENARIO_VERDICT_ASSASSINATION:
      return "TWA";
    case SCENARIO_VERDICT_REUSE:
      return "REUSE";
    }
  return "?";
}

/* ---- publishing ---------------------------------------------------------- */

static void
flush_pending (gpointer data)
{
  Verdicts *v = data;
  SimTrace *trace = sim_engine_trace (v->engine);
  v->flush_armed = FALSE;
  for (guint i = 0; i < v->pending->len; i++)
    {
      Verdict *d = g_ptr_array_index (v->pending, i);
      if (!sim_trace_active (trace))
        continue;
      SimTraceEvent *ev = sim_trace_begin (trace, sim_engine_now (v->engine),
                                           kind_event (d->kind), d->host);
      sim_trace_field_str (ev, "verdict", scenario_verdict_kind_to_string (d->kind));
      sim_trace_field_int (ev, "conn", (gint64) d->conn_id);
      sim_trace_field_int (ev, "inc", d->inc);
      if (d->sock_id != 0)
        sim_trace_field_int (ev, "sock", (gint64) d->sock_id);
      sim_trace_field_int (ev, "seg", (gint64) d->seg);
      sim_trace_field_int (ev, "at", d->time);
      sim_trace_text (ev, "%s", d->text);
      sim_trace_publish (trace, ev);
    }
  g_ptr_array_set_size (v->pending, 0);
}

/* Records a verdict now (expectations see it at once) and publishes it at
 * the end of the instant: a sink must not publish from inside another
 * event. Takes `text`. Returns FALSE if (kind, key) was already reported. */
static gboolean
add_verdict (Verdicts *v, ScenarioVerdictKind kind, const char *key, const char *host,
             guint64 sock_id, guint64 conn_id, guint32 inc, guint64 seg, char *text)
{
  if (key != NULL)
    {
      char *k = g_strdup_printf ("%s/%s", kind_code (kind), key);
      if (g_hash_table_contains (v->reported, k))
        {
          g_free (k);
          g_free (text);
          return FALSE;
        }
      g_hash_table_add (v->reported, k);
    }
  Verdict *d = g_new0 (Verdict, 1);
  d->kind = kind;
  d->time = sim_engine_now (v->engine);
  d->host = g_strdup (host);
  d->sock_id = sock_id;
  d->conn_id = conn_id;
  d->inc = inc;
  d->seg = seg;
  d->text = text;
  g_ptr_array_add (v->verdicts, d);
  g_ptr_array_add (v->pending, d);
  if (!v->flush_armed)
    {
      v->flush_armed = TRUE;
      sim_engine_at_end_of_instant (v->engine, flush_pending, v);
    }
  return TRUE;
}

/* ---- helpers ----------------------------------------------------------- */

/* The normalised four-tuple key of two endpoints, in v->tuple (valid until
 * the next call), or NULL. */
static const char *
tuple_key (Verdicts *v, const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return NULL;
  gboolean in_order = strcmp (a, b) <= 0;
  g_string_assign (v->tuple, in_order ? a : b);
  g_string_append (v->tuple, " <-> ");
  g_string_append (v->tuple, in_order ? b : a);
  return v->tuple->str;
}

/* One copy of a host name or rule text for the whole run (NULL stays NULL). */
static const char *
kept_name (Verdicts *v, const char *name)
{
  return name != NULL ? g_string_chunk_insert_const (v->names, name) : NULL;
}

static ConnInfo *
conn_info (Verdicts *v, guint64 conn_id)
{
  return g_hash_table_lookup (v->conns, &conn_id);
}

static guint32
latest_inc (Verdicts *v, const char *tuple)
{
  return tuple != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (v->latest_inc, tuple)) : 0;
}

static guint64 *
id_key (guint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static char *
time_text (SimTime t)
{
  return sim_time_format (t);
}

static void
append_quoted (GString *out, const guint8 *data, gsize len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];
      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c >= 0x20 && c < 0x7f)
        g_string_append_c (out, (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_printf (out, "\\x%02x", c);
    }
  g_string_append_c (out, '"');
}

/* ---- trace events ------------------------------------------------------ */

static void
report_reuse (Verdicts *v, CutTimeWait *cut, const char *host, guint64 conn, guint32 inc,
              SimTime now)
{
  if (cut->reported)
    return;
  cut->reported = TRUE;
  g_autofree char *at = time_text (cut->cut_at);
  g_autofree char *end = time_text (cut->would_end);
  g_autofree char *when = time_text (now);
  char *text = g_strdup_printf (
      "PORT REUSE WITHOUT TIME-WAIT: %s has incarnation #%u (seen at %s), but %s's TIME-WAIT "
      "record of incarnation #%u ended at %s (%s) instead of at %s (%s): "
      "old duplicates of #%u may still be in flight",
      cut->tuple, inc, when, cut->host, cut->inc, at, cut->why, end,
      cut->length != NULL ? cut->length : "2 x MSL, RFC 9293 3.4.2", cut->inc);
  add_verdict (v, SCENARIO_VERDICT_REUSE, NULL, host, 0, conn, inc, 0, text);
}

static void
on_state (Verdicts *v, const SimTraceEvent *ev)
{
  guint64 conn = (guint64) sim_trace_event_int (ev, "conn", 0);
  guint32 inc = (guint32) sim_trace_event_int (ev, "inc", 0);
  const char *from = sim_trace_event_str (ev, "from");
  const char *to = sim_trace_event_str (ev, "to");
  const char *tuple = tuple_key (v, sim_trace_event_str (ev, "local"),
                                 sim_trace_event_str (ev, "remote"));
  if (conn == 0 || inc == 0 || tuple == NULL || from == NULL || to == NULL)
    return;
  ConnInfo *c = conn_info (v, conn);
  if (c == NULL)
    {
      c = g_new0 (ConnInfo, 1);
      c->inc = inc;
      c->host = kept_name (v, ev->host);
      c->tuple = g_strdup (tuple);
      g_hash_table_insert (v->conns, id_key (conn), c);
    }
  else if (inc < c->inc)
    {
      /* A simultaneous open: both ends drew an incarnation and both keep
       * the lower one (tcp-input.c, SYN in SYN-SENT). The higher one never
       * had a connection of its own, so it is not the newest either. */
      if (latest_inc (v, tuple) == c->inc)
        g_hash_table_insert (v->latest_inc, g_strdup (tuple), GUINT_TO_POINTER (inc));
      c->inc = inc;
    }
  if (inc > latest_inc (v, tuple))
    {
      g_hash_table_insert (v->latest_inc, g_strdup (tuple), GUINT_TO_POINTER (inc));
      /* A new incarnation: was the previous one's TIME-WAIT cut short? */
      for (guint i = 0; i < v->cut->len; i++)
        {
          CutTimeWait *cut = g_ptr_array_index (v->cut, i);
          if (strcmp (cut->tuple, tuple) == 0 && cut->inc < inc && ev->time < cut->would_end)
            report_reuse (v, cut, ev->host, conn, inc, ev->time);
        }
    }
  if (strcmp (to, "TIME-WAIT") == 0)
    c->in_time_wait = TRUE;
  if (strcmp (from, "TIME-WAIT") == 0 && strcmp (to, "CLOSED") == 0)
    {
      c->in_time_wait = FALSE;
      if (c->tw_expiry > ev->time)
        {
          CutTimeWait *cut = g_new0 (CutTimeWait, 1);
          cut->tuple = g_strdup (tuple);
          cut->host = g_strdup (ev->host);
          cut->inc = inc;
          cut->cut_at = ev->time;
          cut->would_end = c->tw_expiry;
          cut->length = g_strdup (c->tw_length);
          /* "TIME-WAIT -> CLOSED (why)": keep the why. */
          const char *open = strchr (ev->text->str, '(');
          cut->why = open != NULL ? g_strndup (open + 1, strlen (open + 1) - 1)
                                  : g_strdup ("cut short");
          g_ptr_array_add (v->cut, cut);
          /* The new incarnation may be older than the cut: its SYN is
           * what got the record killed (RFC 1337 TWA, Linux reopen). */
          if (latest_inc (v, tuple) > inc)
            report_reuse (v, cut, ev->host, conn, latest_inc (v, tuple), ev->time);
        }
    }
}

static void
on_timer (Verdicts *v, const SimTraceEvent *ev)
{
  const char *timer = sim_trace_event_str (ev, "timer");
  const char *action = sim_trace_event_str (ev, "action");
  if (timer == NULL || action == NULL || strcmp (timer, "time-wait") != 0)
    return;
  ConnInfo *c = conn_info (v, (guint64) sim_trace_event_int (ev, "conn", 0));
  if (c == NULL)
    return;
  if (strcmp (action, "fired") == 0)
    c->tw_expiry = 0;
  else if (strcmp (action, "cancelled") != 0)
    {
      c->tw_expiry = sim_trace_event_int (ev, "at", 0);
      /* "time-wait timer set for 60.000s (LENGTH)": keep LENGTH. */
      const char *open = strstr (ev->text->str, " (");
      g_free (c->tw_length);
      c->tw_length = open != NULL ? g_strndup (open + 2, strlen (open + 2) - 1) : NULL;
    }
}

static LastRecv *
last_recv (Verdicts *v, const char *host)
{
  LastRecv *l = g_hash_table_lookup (v->last_recv, host != NULL ? host : "");
  if (l == NULL)
    {
      l = g_new0 (LastRecv, 1);
      g_hash_table_insert (v->last_recv, g_strdup (host != NULL ? host : ""), l);
    }
  return l;
}

/* A reply: a segment sent by the same host at the same instant as the
 * segment it received last. */
static void
on_send (Verdicts *v, const SimTraceEvent *ev)
{
  guint64 seg = (guint64) sim_trace_event_int (ev, "seg", 0);
  guint32 seg_inc = (guint32) sim_trace_event_int (ev, "seg_inc", 0);
  LastRecv *l = last_recv (v, ev->host);
  gboolean reply = l->valid && l->time == ev->time;
  SegInfo info = {
    /* A segment with an incarnation of its own needs no entry for it. */
    .eff = seg_inc == 0 && reply ? l->eff_inc : 0,
    .taint = reply && (l->stale || l->taint != 0) ? (l->stale ? l->eff_inc : l->taint) : 0,
    .h2_depth = reply ? l->h2_depth : 0,
    .copies = 1,
  };
  if (info.eff != 0 || info.taint != 0 || info.h2_depth != 0)
    g_hash_table_insert (v->segs, id_key (seg), g_memdup2 (&info, sizeof info));
}

static SegInfo *
seg_info (Verdicts *v, guint64 seg)
{
  return g_hash_table_lookup (v->segs, &seg);
}

/* A copy of the segment arrived or was dropped: the entry goes with the last. */
static void
seg_copy_gone (Verdicts *v, const SimTraceEvent *ev)
{
  guint64 seg = (guint64) sim_trace_event_int (ev, "seg", 0);
  SegInfo *info = seg_info (v, seg);
  if (info != NULL && --info->copies == 0)
    g_hash_table_remove (v->segs, &seg);
}

/* A link made one more copy. */
static void
on_dup (Verdicts *v, const SimTraceEvent *ev)
{
  SegInfo *info = seg_info (v, (guint64) sim_trace_event_int (ev, "seg", 0));
  if (info != NULL)
    info->copies++;
}

static gboolean
verdict_is (const char *verdict, const char *what)
{
  return verdict != NULL && strcmp (verdict, what) == 0;
}

static void
note_stale_arrival (Verdicts *v, const SimTraceEvent *ev, guint32 eff, guint32 inc,
                    const char *state, const char *verdict, const char *rule)
{
  g_autofree char *at = time_text (ev->time);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "seg %" G_GINT64_FORMAT " (%s of incarnation #%u, seq=%" G_GINT64_FORMAT
                          " len=%" G_GINT64_FORMAT "%s) reached %s at %s in %s",
                          sim_trace_event_int (ev, "seg", 0), sim_trace_event_str (ev, "flags"),
                          eff, sim_trace_event_int (ev, "seq", 0), sim_trace_event_int (ev, "len", 0),
                          sim_trace_event_int (ev, "copy", 0) > 0 ? ", a duplicate" : "",
                          ev->host != NULL ? ev->host : "?", at, state);
  if (strcmp (state, "TIME-WAIT") == 0 && inc != 0)
    g_string_append_printf (s, " (the record of incarnation #%u)", inc);
  else if (inc != 0)
    g_string_append_printf (s, " (incarnation #%u)", inc);
  g_string_append_printf (s, ": %s, %s", verdict, rule);
  StaleArrival *a = g_new0 (StaleArrival, 1);
  a->text = g_string_free (s, FALSE);
  a->accepted = verdict_is (verdict, "accepted") || verdict_is (verdict, "queued");
  g_ptr_array_add (v->stale, a);
}

/* A tcp.recv as the detectors below see it. */
typedef struct {
  const SimTraceEvent *ev;
  guint64 seg;
  guint64 conn;
  guint32 inc;
  guint32 seg_inc;
  const char *state;
  const char *verdict;
  const char *rule;
  const char *tuple;
  guint32 eff;       /* effective incarnation of the segment */
  guint32 taint;     /* != 0: a reply provoked by a stale segment of this incarnation */
  gboolean stale;    /* older than the receiving connection (or the newest of the tuple) */
  gboolean tainted;  /* provoked by an incarnation older than this one */
} Arrival;

/* The segment received last at this host, for the replies it provokes. */
static LastRecv *
remember_last_recv (Verdicts *v, const Arrival *r)
{
  LastRecv *l = last_recv (v, r->ev->host);
  l->valid = TRUE;
  l->seg = r->seg;
  l->time = r->ev->time;
  l->eff_inc = r->eff;
  l->stale = r->stale;
  l->taint = r->taint;
  l->h2_depth = 0;
  return l;
}

/* Data into a connection: remembered to name the segment behind a read. */
static void
remember_accepted_data (Verdicts *v, const Arrival *r)
{
  const SimTraceEvent *ev = r->ev;
  gint64 len = sim_trace_event_int (ev, "len", 0);
  if (!(len > 0 && r->conn != 0 && (verdict_is (r->verdict, "accepted") || verdict_is (r->verdict, "queued"))))
    return;
  AcceptedData a = { 0 };
  a.host = kept_name (v, ev->host);
  a.conn_id = r->conn;
  a.seg = r->seg;
  a.seq = (guint32) sim_trace_event_int (ev, "seq", 0);
  a.seg_inc = r->seg_inc;
  a.offset = (guint64) sim_trace_event_int (ev, "offset", 0);
  a.len = (guint64) len;
  a.copy = (guint32) sim_trace_event_int (ev, "copy", 0);
  a.time = ev->time;
  a.rule = kept_name (v, r->rule);
  g_array_append_val (v->accepted, a);
}

/* TIME-WAIT assassination: a RST closed the record (RFC 1337 TWA). */
static void
check_assassination (Verdicts *v, const Arrival *r)
{
  const SimTraceEvent *ev = r->ev;
  if (!(strcmp (r->state, "TIME-WAIT") == 0 && verdict_is (r->verdict, "reset")))
    return;
  g_autofree char *key = g_strdup_printf ("%" G_GUINT64_FORMAT, r->conn);
  g_autofree char *at = time_text (ev->time);
  ConnInfo *c = conn_info (v, r->conn);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "TIME-WAIT ASSASSINATION: %s's TIME-WAIT record of incarnation #%u "
                          "was closed at %s by RST seg %" G_GUINT64_FORMAT " seq=%" G_GINT64_FORMAT,
                          ev->host, r->inc, at, r->seg, sim_trace_event_int (ev, "seq", 0));
  if (c != NULL && c->tw_expiry > ev->time)
    {
      g_autofree char *left = time_text (c->tw_expiry - ev->time);
      g_string_append_printf (s, ", %s before its TIME-WAIT (%s) would have ended", left,
                              c->tw_length != NULL ? c->tw_length : "2 x MSL");
    }
  g_string_append_printf (s, "%s: %s; RFC 1337 F1 (time_wait_rst=ignore) would keep it",
                          r->stale ? ", a segment of an older incarnation"
                          : r->tainted ? ", provoked by a segment of an older incarnation" : "",
                          r->rule);
  add_verdict (v, SCENARIO_VERDICT_ASSASSINATION, key, ev->host, 0, r->conn, r->inc, r->seg,
               g_string_free (s, FALSE));
}

/* H3: a connection reset or refused by a stale segment or a reply to one. */
static void
check_h3 (Verdicts *v, const Arrival *r)
{
  const SimTraceEvent *ev = r->ev;
  if (!((verdict_is (r->verdict, "reset") || verdict_is (r->verdict, "refused"))
        && strcmp (r->state, "TIME-WAIT") != 0 && (r->stale || r->tainted) && r->conn != 0))
    return;
  g_autofree char *key = g_strdup_printf ("%" G_GUINT64_FORMAT, r->conn);
  g_autofree char *at = time_text (ev->time);
  g_autofree char *cause = r->stale ? g_strdup_printf ("a segment of the older incarnation #%u", r->eff)
                                    : g_strdup_printf ("a reply provoked by a segment of the older "
                                                       "incarnation #%u", r->taint);
  char *text = g_strdup_printf (
      "H3 (RFC 1337): incarnation #%u on %s (%s) was killed at %s by seg %" G_GUINT64_FORMAT
      " %s seq=%" G_GINT64_FORMAT ", %s: %s",
      r->inc, ev->host, r->state, at, r->seg, sim_trace_event_str (ev, "flags"),
      sim_trace_event_int (ev, "seq", 0), cause, r->rule);
  add_verdict (v, SCENARIO_VERDICT_H3, key, ev->host, 0, r->conn, r->inc, r->seg, text);
}

/* H2: unacceptable, answered with an ACK, and the chain goes on. */
static void
check_h2 (Verdicts *v, const Arrival *r, LastRecv *l)
{
  const SimTraceEvent *ev = r->ev;
  if (!(verdict_is (r->verdict, "ack") && r->inc != 0))
    return;
  const SegInfo *info = seg_info (v, r->seg);
  guint depth = (info != NULL ? info->h2_depth : 0) + 1;
  l->h2_depth = depth;
  if (depth < H2_CHAIN)
    return;
  const char *tuple = r->tuple;
  g_autofree char *key = g_strdup (tuple != NULL ? tuple : "?");
  g_autofree char *at = time_text (ev->time);
  char *text = g_strdup_printf (
      "H2 (RFC 1337): the ends of %s are desynchronised: by %s, %u ACKs in a row were each "
      "sent because the previous one was unacceptable, and neither side moved (last: "
      "seg %" G_GUINT64_FORMAT " on %s in %s: %s)",
      tuple != NULL ? tuple : "?", at, depth, r->seg, ev->host, r->state, r->rule);
  add_verdict (v, SCENARIO_VERDICT_H2, key, ev->host, 0, r->conn, r->inc, r->seg, text);
}

/* Whose the segment is and whether it is stale or provoked by a stale one. */
static void
classify_arrival (Verdicts *v, Arrival *r)
{
  const SegInfo *info = seg_info (v, r->seg);
  r->eff = r->seg_inc;
  if (r->eff == 0 && info != NULL)
    r->eff = info->eff;
  guint32 against = r->inc != 0 ? r->inc : latest_inc (v, r->tuple);
  r->stale = r->eff != 0 && against != 0 && r->eff < against;
  r->taint = info != NULL ? info->taint : 0;
  /* Only a reply provoked by an incarnation older than this one counts. */
  r->tainted = r->taint != 0 && r->inc != 0 && r->taint < r->inc;
}

static void
on_recv (Verdicts *v, const SimTraceEvent *ev)
{
  const char *tuple = tuple_key (v, sim_trace_event_str (ev, "src"), sim_trace_event_str (ev, "dst"));
  Arrival r = {
    .ev = ev,
    .seg = (guint64) sim_trace_event_int (ev, "seg", 0),
    .conn = (guint64) sim_trace_event_int (ev, "conn", 0),
    .inc = (guint32) sim_trace_event_int (ev, "inc", 0),
    .seg_inc = (guint32) sim_trace_event_int (ev, "seg_inc", 0),
    .state = sim_trace_event_str (ev, "state"),
    .verdict = sim_trace_event_str (ev, "verdict"),
    .rule = sim_trace_event_str (ev, "rule"),
    .tuple = tuple,
  };
  if (r.state == NULL || r.verdict == NULL || r.rule == NULL)
    {
      seg_copy_gone (v, ev);
      return;
    }
  classify_arrival (v, &r);
  LastRecv *l = remember_last_recv (v, &r);
  if (r.stale)
    note_stale_arrival (v, ev, r.eff, r.inc, r.state, r.verdict, r.rule);
  remember_accepted_data (v, &r);
  check_assassination (v, &r);
  check_h3 (v, &r);
  check_h2 (v, &r, l);
  seg_copy_gone (v, ev);
}

static void
on_model_event (Verdicts *v, const SimTraceEvent *ev)
{
  /* Explicit events from the TCP model, when it publishes them. */
  guint64 conn = (guint64) sim_trace_event_int (ev, "conn", 0);
  guint32 inc = (guint32) sim_trace_event_int (ev, "inc", 0);
  guint64 seg = (guint64) sim_trace_event_int (ev, "seg", 0);
  g_autofree char *key = g_strdup_printf ("%" G_GUINT64_FORMAT, conn);
  g_autofree char *at = time_text (ev->time);
  if (strcmp (ev->kind, "tcp.assassinated") == 0)
    add_verdict (v, SCENARIO_VERDICT_ASSASSINATION, key, ev->host, 0, conn, inc, seg,
                 g_strdup_printf ("TIME-WAIT ASSASSINATION: %s's TIME-WAIT record of incarnation "
                                  "#%u was closed at %s: %s", ev->host, inc, at, ev->text->str));
  else if (strcmp (ev->kind, "tcp.killed-by-stale") == 0)
    add_verdict (v, SCENARIO_VERDICT_H3, key, ev->host, 0, conn, inc, seg,
                 g_strdup_printf ("H3 (RFC 1337): incarnation #%u on %s was killed at %s: %s",
                                  inc, ev->host, at, ev->text->str));
}

/* The kinds verdicts_sink reads, and the texts it quotes: the model's
 * own account of an assassination or a kill, and why a TIME-WAIT record
 * was cut short ("TIME-WAIT -> CLOSED (why)"). */
static const char *const verdicts_kinds[] = {
  "tcp.recv", "tcp.send", "tcp.state", "tcp.timer", "tcp.assassinated", "tcp.killed-by-stale", NULL,
};

static gboolean
verdicts_wants_text (const SimTraceEvent *ev)
{
  if (strcmp (ev->kind, "tcp.state") != 0)
    return strcmp (ev->kind, "tcp.assassinated") == 0
           || strcmp (ev->kind, "tcp.killed-by-stale") == 0;
  return g_strcmp0 (sim_trace_event_str (ev, "from"), "TIME-WAIT") == 0
         && g_strcmp0 (sim_trace_event_str (ev, "to"), "CLOSED") == 0;
}

/* What verdicts_sink dispatches on: verdicts_kinds and the copies of
 * segments that a link duplicated or dropped. */
static const char *const verdicts_dispatch[] = {
  "tcp.recv", "tcp.send", "tcp.state", "tcp.timer", "tcp.assassinated", "tcp.killed-by-stale",
  "link.dup", "link.drop", "net.drop", NULL,
};
enum {
  ON_RECV, ON_SEND, ON_STATE, ON_TIMER, ON_ASSASSINATED, ON_KILLED_BY_STALE,
  ON_LINK_DUP, ON_LINK_DROP, ON_NET_DROP,
};

static void
verdicts_sink (const SimTraceEvent *ev, gpointer data)
{
  Verdicts *v = data;
  int kind = sim_kind_map_find (&v->dispatch, ev->kind);
  if (kind == ON_RECV)
    on_recv (v, ev);
  else if (kind == ON_SEND)
    on_send (v, ev);
  else if (kind == ON_STATE)
    on_state (v, ev);
  else if (kind == ON_TIMER)
    on_timer (v, ev);
  else if (kind == ON_ASSASSINATED || kind == ON_KILLED_BY_STALE)
    on_model_event (v, ev);
  else if (kind == ON_LINK_DUP)
    on_dup (v, ev);
  else if (kind == ON_LINK_DROP || kind == ON_NET_DROP)
    seg_copy_gone (v, ev);
}

/* ---- reads: H1 ---------------------------------------------------------- */

static const AcceptedData *
find_carrier (Verdicts *v, const char *host, guint64 conn_id, guint32 inc, guint64 lo, guint64 hi)
{
  for (guint i = 0; i < v->accepted->len; i++)
    {
      const AcceptedData *a = &g_array_index (v->accepted, AcceptedData, i);
      if (a->conn_id == conn_id && a->seg_inc == inc && g_strcmp0 (a->host, host) == 0
          && a->offset < hi && lo < a->offset + a->len)
        return a;
    }
  return NULL;
}

void
verdicts_note_read (Verdicts *v, const char *host, guint64 sock_id, guint64 conn_id,
                    GBytes *data, GArray *spans)
{
  if (spans == NULL || data == NULL)
    return;
  ConnInfo *c = conn_info (v, conn_id);
  if (c == NULL)
    return;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);
  gsize pos = 0;
  for (guint i = 0; i < spans->len; i++)
    {
      const TcpByteSpan *sp = &g_array_index (spans, TcpByteSpan, i);
      gsize n = MIN (sp->length, len - pos);
      if (sp->incarnation != 0 && sp->incarnation != c->inc)
        {
          g_autofree char *at = time_text (sim_engine_now (v->engine));
          GString *s = g_string_new ("CORRUPTION: ");
          g_string_append_printf (s, "%s read ", host);
          append_quoted (s, bytes + pos, n);
          g_string_append_printf (s, " (bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT " of this read; "
                                  "incarnation #%u's stream offset %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
                                  ") on incarnation #%u at %s",
                                  pos, pos + n, sp->incarnation, sp->stream_offset,
                                  sp->stream_offset + n, c->inc, at);
          const AcceptedData *a = find_carrier (v, host, conn_id, sp->incarnation, sp->stream_offset,
                                                sp->stream_offset + n);
          guint64 seg = 0;
          if (a != NULL)
            {
              g_autofree char *when = time_text (a->time);
              seg = a->seg;
              g_string_append_printf (s, "; segment %" G_GUINT64_FORMAT " seq=%u%s arrived at %s and "
                                      "was accepted: %s",
                                      a->seg, a->seq, a->copy > 0 ? " (a link duplicate)" : "",
                                      when, a->rule);
            }
          add_verdict (v, SCENARIO_VERDICT_CORRUPTION, NULL, host, sock_id, conn_id, c->inc, seg,
                       g_string_free (s, FALSE));
        }
      pos += n;
      if (pos >= len)
        break;
    }
}

/* ---- queries and the summary --------------------------------------------- */

static gboolean
verdict_matches (const Verdict *d, ScenarioVerdictKind kind, const char *host, guint64 sock_id)
{
  if (d->kind != kind)
    return FALSE;
  if (host != NULL && (g_strcmp0 (d->host, host) != 0 || d->sock_id != sock_id))
    return FALSE;
  return TRUE;
}

guint
verdicts_count (Verdicts *v, ScenarioVerdictKind kind, const char *host, guint64 sock_id)
{
  guint n = 0;
  for (guint i = 0; i < v->verdicts->len; i++)
    n += verdict_matches (g_ptr_array_index (v->verdicts, i), kind, host, sock_id) ? 1 : 0;
  return n;
}

const char *
verdicts_first_text (Verdicts *v, ScenarioVerdictKind kind, const char *host, guint64 sock_id)
{
  for (guint i = 0; i < v->verdicts->len; i++)
    {
      const Verdict *d = g_ptr_array_index (v->verdicts, i);
      if (verdict_matches (d, kind, host, sock_id))
        return d->text;
    }
  return NULL;
}

void
verdicts_report (Verdicts *v, GString *out)
{
  g_string_append (out, "Verdicts:\n");
  for (guint i = 0; i < v->verdicts->len; i++)
    {
      const Verdict *d = g_ptr_array_index (v->verdicts, i);
      g_string_append_printf (out, "  %s\n", d->text);
    }
  if (verdicts_count (v, SCENARIO_VERDICT_CORRUPTION, NULL, 0) > 0)
    return;
  if (v->stale->len == 0)
    {
      g_string_append (out, "  No corruption: no application read bytes of another incarnation; "
                            "no segment of an older incarnation reached a newer one.\n");
      return;
    }
  g_string_append (out, "  No corruption: no application read bytes of another incarnation. "
                        "Old segments that arrived:\n");
  for (guint i = 0; i < v->stale->len; i++)
    {
      const StaleArrival *a = g_ptr_array_index (v->stale, i);
      g_string_append_printf (out, "    %s%s\n", a->text,
                              a->accepted ? " (accepted, but never read)" : "");
    }
}

void
verdicts_append_codes (Verdicts *v, GString *out)
{
  static const ScenarioVerdictKind order[] = {
    SCENARIO_VERDICT_CORRUPTION, SCENARIO_VERDICT_H2, SCENARIO_VERDICT_H3,
    SCENARIO_VERDICT_ASSASSINATION, SCENARIO_VERDICT_REUSE,
  };
  gsize start = out->len;
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if (verdicts_count (v, order[i], NULL, 0) > 0)
      g_string_append_printf (out, "%s%s", out->len > start ? " " : "", kind_code (order[i]));
  if (out->len == start)
    g_string_append (out, "none");
}

Verdicts *
verdicts_new (SimEngine *engine)
{
  Verdicts *v = g_new0 (Verdicts, 1);
  v->engine = engine;
  v->verdicts = g_ptr_array_new_with_free_func (verdict_free);
  v->pending = g_ptr_array_new ();
  v->conns = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, conn_info_free);
  v->latest_inc = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  v->segs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  v->last_recv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  v->reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  v->accepted = g_array_new (FALSE, TRUE, sizeof (AcceptedData));
  v->names = g_string_chunk_new (1024);
  v->tuple = g_string_new (NULL);
  v->stale = g_ptr_array_new_with_free_func (stale_free);
  v->cut = g_ptr_array_new_with_free_func (cut_free);
  sim_kind_map_init (&v->dispatch, verdicts_dispatch);
  sim_trace_add_sink_for (sim_engine_trace (engine), verdicts_sink, v, verdicts_kinds,
                          verdicts_wants_text);
  return v;
}

void
verdicts_free (Verdicts *v)
{
  if (v == NULL)
    return;
  g_ptr_array_free (v->pending, TRUE);
  g_ptr_array_free (v->verdicts, TRUE);
  g_hash_table_destroy (v->conns);
  g_hash_table_destroy (v->latest_inc);
  g_hash_table_destroy (v->segs);
  g_hash_table_destroy (v->last_recv);
  g_hash_table_destroy (v->reported);
  g_array_free (v->accepted, TRUE);
  g_ptr_array_free (v->stale, TRUE);
  g_ptr_array_free (v->cut, TRUE);
  g_string_chunk_free (v->names);
  g_string_free (v->tuple, TRUE);
  g_free (v);
}
