/* sweep-outputs.h: what `twsim sweep` and `twsim sweep-merge` print and
 * write from a result: the table on stdout, --csv, --json and --plot. */
#pragma once

#include "sweep.h"

G_BEGIN_DECLS

typedef struct {
  char *csv;
  char *json;
  char *plot_dir;
} SweepOutputOptions;

/* Returns EXIT_SUCCESS, or EXIT_BAD_INPUT when a file was not written. */
int sweep_outputs_write (const SweepResult *result, const SweepOutputOptions *opts);

G_END_DECLS
