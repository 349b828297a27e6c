/* az-states.h: the RFC 9293 3.3.2 state of each side of an incarnation,
 * inferred from the segments seen (as a capture point sees them: a segment
 * counts as received when it is seen). For the state timeline plot. */
#pragma once

#include "cap-reader.h"

G_BEGIN_DECLS

typedef struct {
  const char *state[2];   /* static names; NULL before anything is seen */
  gboolean fin[2];
  guint32 fin_seq[2];
  gboolean isn_known[2];
  guint32 isn[2];
} AzSides;

typedef struct {
  int side;
  const char *from, *to, *why;   /* static */
} AzStateChange;

/* Applies seg (from side d); writes up to 4 changes; returns their number. */
guint az_states_step (AzSides *s, int d, const CapSegment *seg, AzStateChange out[4]);

G_END_DECLS
