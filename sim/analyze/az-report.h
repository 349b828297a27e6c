/* az-report.h: what `twsim analyze` found, published on a SimTrace bus so
 * that the narration and JSON lines writers of a run print it. Kinds:
 * "analyze.incarnation", "analyze.verdict" (REUSE, H1-RISK, STALE, TWA,
 * H2, H3), "analyze.fact" (PAWS, ISN), "analyze.tuple" (a four-tuple's
 * summary when it is forgotten) and "analyze.summary". */
#pragma once

#include "az-model.h"
#include "sim-trace.h"

G_BEGIN_DECLS

typedef struct {
  SimTrace *trace;
  guint64 verdicts[6];   /* by AzVerdict */
} AzReport;

typedef enum {
  AZ_VERDICT_REUSE,
  AZ_VERDICT_H1_RISK,
  AZ_VERDICT_STALE,
  AZ_VERDICT_TWA,
  AZ_VERDICT_H2,
  AZ_VERDICT_H3,
} AzVerdict;

const char *az_verdict_name (AzVerdict v);

void az_report_incarnation (AzReport *r, const AzTuple *t, const AzInc *inc,
                            const CapSegment *seg, const char *how);
void az_report_verdict     (AzReport *r, AzVerdict v, const AzTuple *t, guint inc,
                            const CapSegment *seg, int host_side, const char *rule,
                            const char *format, ...) G_GNUC_PRINTF (8, 9);
void az_report_fact        (AzReport *r, const char *fact, const AzTuple *t, guint inc,
                            const CapSegment *seg, gboolean good, const char *format, ...)
                            G_GNUC_PRINTF (7, 8);
void az_report_tuple       (AzReport *r, const AzTuple *t);

G_END_DECLS
