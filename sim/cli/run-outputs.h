/* run-outputs.h: everything `twsim run` writes besides its report: the
 * narration, the JSON lines trace, the pcap, the terminal ladder and the
 * plots, attached to a runner before the run and committed after it. */
#pragma once

#include "ladder-text.h"
#include "narration.h"
#include "narration-story.h"
#include "pcap-writer.h"
#include "scenario-runner.h"
#include "trace-jsonl.h"

G_BEGIN_DECLS

typedef struct {
  gboolean quiet;          /* no narration */
  gboolean brief;          /* --brief: the story for a class (narration-story.h) */
  gboolean relative;       /* --relative: sequence numbers from each ISN */
  gboolean ladder;         /* terminal ladder at the end */
  const char *trace_path;  /* --trace, or NULL */
  const char *pcap_path;   /* --pcap, or NULL */
  const char *plot_dir;    /* --plot, or NULL */
  const char *html_path;   /* --html, or NULL */
  const char *title;       /* the viewer page's title: the scenario */
} RunOutputOptions;

typedef struct {
  Narration *narration;
  NarrationStory *story;   /* instead of narration, for --brief / --relative */
  TraceJsonl *jsonl;
  PcapWriter *pcap;
  LadderText *ladder;
  char *plot_trace; /* temporary trace for --plot without --trace */
  const char *trace_path;
} RunOutputs;

/* Before anything is read or written: refuses (prints why, FALSE) an
 * output naming the scenario file, or --trace and --pcap naming one file. */
gboolean run_outputs_check_paths (const char *scenario_path, const RunOutputOptions *opts);
/* Opens every requested output and attaches it to the runner; prints the
 * error and returns FALSE when one cannot be opened. */
gboolean run_outputs_open   (RunOutputs *o, ScenarioRunner *runner, const ScenarioScript *script,
                             const RunOutputOptions *opts);
/* Prints the terminal ladder of the finished run, if one was asked for. */
void     run_outputs_print_ladder (RunOutputs *o);
/* Commits the files of a finished run and draws its plots; FALSE if one failed. */
gboolean run_outputs_commit (RunOutputs *o, const RunOutputOptions *opts);
/* Abandons whatever was not committed and frees everything. */
void     run_outputs_close  (RunOutputs *o);

G_END_DECLS
