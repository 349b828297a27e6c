/* scenario-runner.h: binds a parsed script to the engine and the models,
 * drives each host's program through the socket API, and checks the
 * script's expectations ("file:line: expected X vs actual Y"). */
#pragma once

#include "scenario-script.h"
#include "sim-engine.h"
#include "network.h"

G_BEGIN_DECLS

typedef struct _ScenarioRunner ScenarioRunner;

/* Builds hosts, links and the schedule. Bad settings give a GError with
 * file:line:col. `seed` overrides the script's seed when seed_given. */
ScenarioRunner *scenario_runner_new      (const ScenarioScript *script,
                                          gboolean seed_given,
                                          guint64 seed,
                                          GError **error);
void            scenario_runner_free     (ScenarioRunner *runner);
SimEngine      *scenario_runner_engine   (ScenarioRunner *runner);
Network        *scenario_runner_network  (ScenarioRunner *runner);
guint64         scenario_runner_seed     (ScenarioRunner *runner);
/* The hazards found so far (verdicts.h). */
typedef struct _Verdicts Verdicts;
Verdicts       *scenario_runner_verdicts (ScenarioRunner *runner);
SimRunOutcome   scenario_runner_run      (ScenarioRunner *runner,
                                          SimTime until,
                                          guint64 max_events);
/* The latest time a line of the script is due at, as lines stand now
 * (packetdrill lines move when a `>` packet comes early or late). */
SimTime         scenario_runner_last_step_time (ScenarioRunner *runner);
guint           scenario_runner_checked  (ScenarioRunner *runner);
guint           scenario_runner_failures (ScenarioRunner *runner);
/* The closing report: outcome, then each failed expectation. */
void            scenario_runner_report   (ScenarioRunner *runner,
                                          SimRunOutcome outcome,
                                          GString *out);

G_END_DECLS

G_BEGIN_DECLS
/* The i-th failed expectation: where, and what, expected and actual
 * separately; detail is packetdrill's wording for segments, or NULL. */
typedef struct {
  ScenarioLoc loc;
  char *what;
  char *expected;
  char *actual;
  char *detail;
} RunnerFailure;
const RunnerFailure *scenario_runner_failure (ScenarioRunner *runner, guint i);
/* TRUE when every expectation was checked and held. */
gboolean        scenario_runner_all_held (ScenarioRunner *runner);
G_END_DECLS
