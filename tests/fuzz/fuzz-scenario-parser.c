/* fuzz-scenario-parser.c: any bytes parse into a script or give one
 * "fuzz.scn:LINE:COL: what" error. */
#include "fuzz-check.h"
#include "scenario-parser.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  GError *error = NULL;
  ScenarioScript *script = scenario_parse_string ((const char *) data, (gssize) size, "fuzz.scn",
                                                  &error);
  if (script == NULL)
    {
      fuzz_check_located (error->message, "fuzz\\.scn");
      g_error_free (error);
      return 0;
    }
  GString *dump = g_string_new (NULL);
  scenario_script_dump (script, dump);
  g_string_free (dump, TRUE);
  scenario_script_free (script);
  return 0;
}
