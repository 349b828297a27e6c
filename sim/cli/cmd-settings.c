/* cmd-settings.c: `twsim settings`: the host and link settings a scenario
 * may use, with their defaults and sources (host-settings.h). */
#include "cli.h"

#include "host-settings.h"

#include <stdio.h>

int
cmd_settings (int argc, char **argv)
{
  g_autoptr (GString) out = g_string_new ("Host settings (host NAME ADDR key=value ...):\n");
  host_settings_describe (out);
  fputs (out->str, stdout);
  return EXIT_SUCCESS;
}
