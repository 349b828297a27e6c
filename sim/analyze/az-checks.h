/* az-checks.h: the hazards looked for at each segment, once it is known
 * which incarnation it belongs to. Each check reports through AzReport. */
#pragma once

#include "az-classify.h"
#include "az-report.h"
#include "az-rules.h"

G_BEGIN_DECLS

typedef struct {
  AzRules rules;
  AzReport report;
} AzCtx;

/* A new incarnation `inc` follows `prev` (NULL: the first). */
void az_check_new (AzCtx *c, AzTuple *t, AzInc *prev, AzInc *inc, int d, const CapSegment *seg);
/* A segment of the newest incarnation, before it is recorded. */
void az_check_current (AzCtx *c, AzTuple *t, AzInc *cur, int d, const CapSegment *seg);
/* A segment of an older incarnation arriving during the newest one. */
void az_check_old (AzCtx *c, AzTuple *t, const AzClass *cls, int d, const CapSegment *seg);
/* A RST that reaches a TIME-WAIT: the incarnation whose TIME-WAIT it
 * reached (the RST belongs to it), or NULL. */
AzInc   *az_check_time_wait_rst (AzCtx *c, AzTuple *t, int d, const CapSegment *seg);
/* After a segment is recorded: did the closer's TIME-WAIT begin? */
void az_check_time_wait_start (AzInc *inc, const CapSegment *seg);

G_END_DECLS
