/* compare-outputs.h: what `twsim compare` keeps of each run besides its
 * narration, and draws at the end: the two terminal ladders on the same
 * time rows (--ladder), and the two ladders side by side as one slide
 * (--plot DIR, plot-compare.c). */
#pragma once

#include "ladder-text.h"
#include "sim-trace.h"

G_BEGIN_DECLS

typedef struct {
  const char *path;     /* the scenario file */
  char **sets;          /* HOST.KEY=VALUE put into it, or NULL */
  const char *option;   /* "--set" or "--a-set", for messages */
  char *name;           /* "file.scn with server.personality=linux" */
  GPtrArray *lines;     /* the brief narration, one line each */
  GPtrArray *verdicts;  /* "kind\ttext" of each verdict.* event */
  GPtrArray *hosts;     /* host names, in file order */
  guint64 seed;
  LadderText *ladder;   /* --ladder */
  struct _TraceJsonl *jsonl; /* --plot: the trace, as JSON lines, in memory */
} CompareRun;

typedef struct {
  gboolean ladder;
  char *plot_dir;
} CompareOutputOptions;

void     compare_run_init        (CompareRun *run);
void     compare_run_clear       (CompareRun *run);
/* Before the run: the sinks its outputs need (run->hosts known). */
void     compare_outputs_attach  (CompareRun *run, SimTrace *trace,
                                  const CompareOutputOptions *opts);
/* Both ladders with their titles, when --ladder was given. */
void     compare_outputs_ladders (GString *out, CompareRun *a, CompareRun *b);
/* The slide into opts->plot_dir, when given; FALSE (said on stderr) when
 * it cannot be written. */
gboolean compare_outputs_plot    (CompareRun *a, CompareRun *b, const CompareOutputOptions *opts);

G_END_DECLS
