/* verdicts.h: the ground-truth judge of a run. A trace sink that follows
 * connection incarnations and the fate of every segment, plus one hook for
 * the bytes an application reads, and decides:
 *
 *   corruption     RFC 1337 H1: an application read bytes that another
 *                  incarnation of its four-tuple sent;
 *   H2             RFC 1337 H2: the two ends are desynchronised (ACK loop
 *                  without progress; criterion in verdicts.c);
 *   H3             RFC 1337 H3: a connection was reset or refused by a
 *                  segment of an older incarnation, or by a reply to one;
 *   assassination  RFC 1337 TWA: a RST closed a TIME-WAIT record;
 *   reuse          a four-tuple got a new incarnation before the previous
 *                  incarnation's TIME-WAIT would have ended (2 x MSL),
 *                  because the record was cut short.
 *
 * Each verdict is published as a "verdict.<kind>" trace event (at the end
 * of the instant it was found in), listed in the closing summary, and can
 * be checked with `expect [no] corruption|hazard NAME`. */
#pragma once

#include "scenario-script.h"
#include "sim-engine.h"

G_BEGIN_DECLS

typedef struct _Verdicts Verdicts;

/* Subscribes to the engine's trace. */
Verdicts *verdicts_new        (SimEngine *engine);
void      verdicts_free       (Verdicts *verdicts);
/* An application on `host` read `data` from socket sock_id, whose
 * connection is conn_id; spans are the TcpByteSpan origins of the bytes. */
void      verdicts_note_read  (Verdicts *verdicts, const char *host, guint64 sock_id,
                               guint64 conn_id, GBytes *data, GArray *spans);
/* How many verdicts of this kind were found so far; for corruption, only
 * those read on (host, sock_id) when host is not NULL. */
guint     verdicts_count      (Verdicts *verdicts, ScenarioVerdictKind kind,
                               const char *host, guint64 sock_id);
/* The text of the first such verdict, or NULL. */
const char *verdicts_first_text (Verdicts *verdicts, ScenarioVerdictKind kind,
                                 const char *host, guint64 sock_id);
/* The closing summary: every verdict, then "No corruption: why" if none. */
void      verdicts_report     (Verdicts *verdicts, GString *out);
/* For `twsim matrix`: "H1 H3 TWA", "none". */
void      verdicts_append_codes (Verdicts *verdicts, GString *out);

G_END_DECLS
