/* az-classify.h: which incarnation of its four-tuple a segment belongs to,
 * from the wire alone: SYNs and ISNs, timestamps, identical bytes at the
 * same sequence numbers, and sequence space. */
#pragma once

#include "az-model.h"

G_BEGIN_DECLS

typedef enum {
  AZ_CLASS_CURRENT,   /* the newest incarnation */
  AZ_CLASS_NEW,       /* starts a new incarnation */
  AZ_CLASS_OLD,       /* an older incarnation, arriving during a newer one */
} AzClassKind;

typedef struct {
  AzClassKind kind;
  AzInc *inc;             /* CURRENT, OLD */
  const char *evidence;   /* static: why it is OLD / how NEW began */
  guint64 print_packet;   /* OLD by identical bytes: the first copy */
} AzClass;

AzClass az_classify (const AzTuple *t, int d, const CapSegment *seg);

G_END_DECLS
