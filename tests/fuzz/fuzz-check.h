/* fuzz-check.h: what every harness checks besides crashes and sanitizer
 * reports: an error message has the house form "NAME:LINE:COL: what". */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

/* Aborts (a finding for the fuzzer) unless message starts with
 * "name:LINE:COL: " with LINE and COL positive decimals. */
static inline void
fuzz_check_located (const char *message, const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("^%s:[1-9][0-9]*:[1-9][0-9]*: [^\\n]", name);
  if (!g_regex_match_simple (pattern, message, 0, 0))
    {
      fprintf (stderr, "error message not in %s:line:col form: %s\n", name, message);
      abort ();
    }
}
