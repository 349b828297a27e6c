/* cmd-personalities.c: `twsim personalities`: one row of settings per
 * system, each with its source (personality.h). */
#include "cli.h"

#include "personality.h"

#include <stdio.h>

int
cmd_personalities (int argc, char **argv)
{
  g_autoptr (GString) out = g_string_new (NULL);
  personality_describe (out);
  fputs (out->str, stdout);
  return EXIT_SUCCESS;
}
