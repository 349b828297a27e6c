/* cmd-check.c: `twsim check FILE`: parse and validate a scenario (hosts,
 * links, settings, socket calls) without running it. */
#include "cli.h"

#include <stdio.h>

int
cmd_check (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE - parse and validate a scenario");
  if (!cli_parse_options (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  if (argc != 2)
    return cli_usage_error ("check needs exactly one scenario FILE");
  ScenarioScript *script = NULL;
  ScenarioRunner *runner = cli_load_scenario (argv[1], FALSE, 0, &script);
  if (runner == NULL)
    return EXIT_BAD_INPUT;
  printf ("%s: ok (%u hosts, %u links, %u timed lines)\n", argv[1], script->hosts->len,
          script->links->len, script->steps->len);
  scenario_runner_free (runner);
  scenario_script_free (script);
  return EXIT_SUCCESS;
}
