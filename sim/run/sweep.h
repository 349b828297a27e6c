/* sweep.h: `twsim sweep`: one scenario run under many seeds and a grid of
 * settings, counting in how many runs each hazard was found.
 *
 * A sweep is a scenario, a seed range and a list of varied keys
 *
 *   host.NAME.KEY=V1,V2,...    a host setting (NAME `*`: every host)
 *   link.A-B.KEY=V1,V2,...     a link setting, both directions
 *   link.A->B.KEY=V1,V2,...    a link setting, one direction
 *
 * whose full grid (the first key varies slowest) is run once per seed.
 * Every run is independent and deterministic, so a point's counts are the
 * same however the runs are split between workers or machines (shards). */
#pragma once

#include <glib.h>

#include "scenario-script.h"

G_BEGIN_DECLS

/* The hazards a run can show (verdicts.h), in report order. */
#define SWEEP_N_VERDICTS 5

typedef enum {
  SWEEP_KEY_HOST,
  SWEEP_KEY_LINK,
} SweepKeyKind;

typedef struct {
  char *spec;            /* as given: "host.server.time_wait" */
  SweepKeyKind kind;
  char *host;            /* HOST: the host name, or NULL for every host */
  char *from, *to;       /* LINK: the pair */
  gboolean both_directions;
  char *key;             /* the setting */
  GPtrArray *values;     /* char*, in the order given */
} SweepKey;

typedef struct {
  char *scenario;        /* the file as given */
  guint64 seed_first, seed_last;
  GPtrArray *keys;       /* SweepKey* */
} SweepSpec;

/* What the runs of one grid point found. */
typedef struct {
  guint64 runs;
  guint64 held;                        /* runs whose expectations all held */
  guint64 verdict[SWEEP_N_VERDICTS];   /* runs with at least one such verdict */
  guint64 capped;                      /* runs stopped by the event cap */
} SweepCounts;

typedef struct {
  SweepSpec *spec;
  guint n_points;
  SweepCounts *points;   /* n_points */
  gboolean owns_spec;    /* merged results own the spec they rebuilt */
} SweepResult;

/* The short code of verdict v (0 .. SWEEP_N_VERDICTS-1): "H1", "H2", "H3",
 * "TWA", "REUSE". */
const char *sweep_verdict_code (guint v);

SweepSpec *sweep_spec_new       (const char *scenario, guint64 seed_first, guint64 seed_last);
void       sweep_spec_free      (SweepSpec *spec);
/* Parses "1..100" (or "N": 1..N). */
gboolean   sweep_parse_seeds    (const char *text, guint64 *first, guint64 *last, GError **error);
/* Adds one `--vary KEY=V1,V2,...`; checks its form (not the values). */
gboolean   sweep_spec_add_vary  (SweepSpec *spec, const char *text, GError **error);
guint      sweep_spec_points    (const SweepSpec *spec);
guint64    sweep_spec_seeds     (const SweepSpec *spec);
/* The value of key k at grid point p. */
const char *sweep_point_value   (const SweepSpec *spec, guint point, guint k);
/* "host.server.time_wait=1s link.client-server.dup=0.01" */
void       sweep_point_describe (const SweepSpec *spec, guint point, GString *out);

/* Puts grid point p's settings into the script (idempotent: every point
 * sets every varied key). Hosts and links named must exist. */
gboolean   sweep_apply_point    (const SweepSpec *spec, guint point, ScenarioScript *script,
                                 GError **error);

/* Runs every (point, seed) pair whose global index i (point-major) has
 * i % shard_count == shard_index, on `jobs` worker processes. Checks every
 * point's settings first (one runner built per point). Each run stops
 * after max_events events (0: no cap). progress, when not
 * NULL, is called now and then in the parent with runs done and total. */
typedef void (*SweepProgress) (guint64 done, guint64 total, gpointer data);
SweepResult *sweep_run          (SweepSpec *spec, ScenarioScript *script, guint jobs,
                                 guint shard_index, guint shard_count, guint64 max_events,
                                 SweepProgress progress, gpointer progress_data,
                                 GError **error);
/* Frees the counts, not the spec (unless the result owns it: merge). */
void         sweep_result_free  (SweepResult *result);

/* 95 % Wilson score interval of k successes in n trials. */
void       sweep_wilson         (guint64 k, guint64 n, double *low, double *high);

/* Reports: a Markdown table, CSV and JSON with the same cells. */
void       sweep_format_table   (const SweepResult *result, GString *out);
void       sweep_format_csv     (const SweepResult *result, GString *out);
void       sweep_format_json    (const SweepResult *result, GString *out);

/* A shard's partial result, and merging shards into the whole sweep's. */
void         sweep_format_part  (const SweepResult *result, guint shard_index,
                                 guint shard_count, GString *out);
SweepResult *sweep_merge_parts  (const char *const *paths, guint n_paths, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SweepSpec, sweep_spec_free)

G_END_DECLS
