/* az-tracker.h: the four-tuples of a capture, streamed. Each segment is
 * classified (az-classify), checked (az-checks) and recorded; a tuple idle
 * for longer than TIME-WAIT + MSL is summarised and forgotten, so memory is
 * bounded by the tuples live within that horizon, not by the capture. */
#pragma once

#include "az-checks.h"

G_BEGIN_DECLS

/* Each segment after classification: for the plots. */
typedef void (*AzSegmentFunc) (const AzTuple *t, int d, guint inc, gboolean old,
                               const CapSegment *seg, gpointer data);

typedef struct _AzTracker AzTracker;

AzTracker *az_tracker_new      (const AzRules *rules, SimTrace *trace);
void       az_tracker_on_segment (AzTracker *tr, AzSegmentFunc fn, gpointer data);
void       az_tracker_feed     (AzTracker *tr, const CapSegment *seg);
/* Summarises the tuples still live, in address order. */
void       az_tracker_finish   (AzTracker *tr);
guint      az_tracker_peak_live (const AzTracker *tr);
guint64    az_tracker_tuples   (const AzTracker *tr);
/* The time of the latest segment fed. */
gint64     az_tracker_last_time (const AzTracker *tr);
const AzReport *az_tracker_report (const AzTracker *tr);
void       az_tracker_free     (AzTracker *tr);

G_END_DECLS
