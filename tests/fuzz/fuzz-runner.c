/* fuzz-runner.c: any script that parses runs to its end, to its virtual
 * time cap or to its event cap without a crash; a setting the runner
 * refuses gives "fuzz.scn:LINE:COL: what". */
#include "fuzz-check.h"
#include "scenario-parser.h"
#include "scenario-runner.h"

/* Small caps keep one execution in the milliseconds. */
#define FUZZ_MAX_EVENTS 20000
#define FUZZ_MAX_TIME (G_GINT64_CONSTANT (600) * 1000000000)

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  GError *error = NULL;
  ScenarioScript *script = scenario_parse_string ((const char *) data, (gssize) size, "fuzz.scn",
                                                  &error);
  if (script == NULL)
    {
      g_error_free (error);
      return 0;
    }
  ScenarioRunner *runner = scenario_runner_new (script, FALSE, 0, &error);
  if (runner == NULL)
    {
      fuzz_check_located (error->message, "fuzz\\.scn");
      g_error_free (error);
      scenario_script_free (script);
      return 0;
    }
  SimRunOutcome outcome = scenario_runner_run (runner, FUZZ_MAX_TIME, FUZZ_MAX_EVENTS);
  GString *report = g_string_new (NULL);
  scenario_runner_report (runner, outcome, report);
  g_string_free (report, TRUE);
  scenario_runner_free (runner);
  scenario_script_free (script);
  return 0;
}
