/* link.h: one direction of a point-to-point link.
 *
 * Random impairments, each drawn from its own seeded stream
 * sim_engine_rng (engine, "link:A->B:<purpose>") so that adding a link or an
 * impairment never changes another's draws, in this order per segment:
 *   1. queue: with a rate, a segment waits for the ones before it to be
 *      serialised; beyond the queue limit it is dropped (tail drop);
 *   2. loss ("loss"): dropped with probability loss;
 *   3. delay + jitter ("jitter"): uniform in [0, jitter] or normal with
 *      standard deviation jitter (clipped at 0);
 *   4. reordering ("reorder"): with probability reorder, reorder_delay more;
 *   5. duplication ("dup", "dup_delay"): with probability dup a copy
 *      (same id, copy = 1) arrives dup_delay later, dup_delay uniform in
 *      [dup_delay_min, dup_delay_max].
 * Targeted one-shot faults act before all of these (see LinkFault). */
#pragma once

#include "network.h"

G_BEGIN_DECLS

typedef enum {
  LINK_FAULT_DROP,      /* the segment is lost */
  LINK_FAULT_DUPLICATE, /* `copies` copies arrive delay, 2 x delay, ... after it */
  LINK_FAULT_DELAY,     /* the segment arrives delay later than it would */
  LINK_FAULT_HOLD,      /* the segment arrives at `until` (absolute) */
} LinkFaultAction;

typedef enum {
  LINK_JITTER_UNIFORM,
  LINK_JITTER_NORMAL,
} LinkJitterDist;

typedef struct {
  LinkFaultAction action;
  guint8 flags;        /* the segment must carry all these TcpFlag bits */
  gboolean needs_data; /* and payload, when TRUE */
  char *origin;        /* where it was armed, e.g. "scenario.scn:12", for narration */
  gboolean has_seq;    /* and SEG.SEQ in [seq_lo, seq_hi] (wrapping compare) */
  guint32 seq_lo, seq_hi;
  GBytes *payload;     /* and a payload containing these bytes, or NULL */
  guint nth;           /* act on the nth matching segment (0 or 1 = the next) */
  guint copies;        /* DUPLICATE: how many copies (0 or 1 = one) */
  SimTime delay;       /* DUPLICATE: copy delay; DELAY: extra delay */
  SimTime until;       /* HOLD: absolute arrival time */
  guint seen;          /* matches so far (internal) */
} LinkFault;

typedef struct {
  SimTime delay;            /* one-way propagation delay */
  SimTime jitter;           /* 0 = none */
  LinkJitterDist jitter_dist;
  guint64 rate_bps;         /* 0 = infinite (no serialisation time) */
  guint queue_limit;        /* segments waiting or in transmission; 0 = no limit */
  double loss;              /* probability, 0..1 */
  double dup;               /* probability, 0..1 */
  SimTime dup_delay_min, dup_delay_max;
  double reorder;           /* probability, 0..1 */
  SimTime reorder_delay;
} LinkParams;

void     link_direction_set_delay (LinkDirection *dir, SimTime delay);
SimTime  link_direction_delay     (LinkDirection *dir);
const LinkParams *link_direction_params (LinkDirection *dir);
/* Replaces all parameters at once (values are assumed validated). */
void     link_direction_set_params (LinkDirection *dir, const LinkParams *params);
/* Arms a one-shot fault for the nth next matching segment (deep copy). */
void     link_direction_add_fault (LinkDirection *dir, const LinkFault *fault);
/* Puts a segment on this direction (takes no ownership; refs as needed). */
void     link_direction_send      (LinkDirection *dir, TcpSegment *seg);
const char *link_direction_name   (LinkDirection *dir); /* "client->server" */
/* "duplicate next data seq=1001 copy_delay=2s" (for narration). */
void     link_fault_describe      (GString *out, const LinkFault *fault);

G_END_DECLS
