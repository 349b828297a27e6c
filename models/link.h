/* link.h: one direction of a point-to-point link: a delay, and targeted
 * faults. Random jitter, loss, duplication and reordering come later and
 * draw from the stream sim_engine_rng (engine, "link:A->B"). */
#pragma once

#include "network.h"

G_BEGIN_DECLS

typedef enum {
  LINK_FAULT_DROP,
} LinkFaultAction;

typedef struct {
  LinkFaultAction action;
  guint8 flags;        /* the segment must carry all these TcpFlag bits */
  gboolean needs_data; /* and payload, when TRUE */
  char *origin;        /* where it was armed, e.g. "scenario.scn:12", for narration */
} LinkFault;

void     link_direction_set_delay (LinkDirection *dir, SimTime delay);
SimTime  link_direction_delay     (LinkDirection *dir);
/* Arms a one-shot fault for the next matching segment (copied). */
void     link_direction_add_fault (LinkDirection *dir, const LinkFault *fault);
/* Puts a segment on this direction (takes no ownership; refs as needed). */
void     link_direction_send      (LinkDirection *dir, TcpSegment *seg);
const char *link_direction_name   (LinkDirection *dir); /* "client->server" */

G_END_DECLS
