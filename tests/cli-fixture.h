/* cli-fixture.h: running the twsim command (or another program) from a
 * test, the way a user does, and cleaning up after it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int status;  /* exit status */
  char *out;   /* standard output */
  char *err;   /* standard error */
} CliOutcome;

/* Runs argv[0] (looked up in PATH) in cwd; envp NULL = inherit. */
CliOutcome cli_spawn         (const char *cwd, const char *const *argv, char **envp);
/* Runs $TWSIM with args (NULL-terminated) in cwd. */
CliOutcome cli_run_twsim     (const char *cwd, const char *const *args, char **envp);
void       cli_outcome_clear (CliOutcome *outcome);
/* Removes dir and everything below it. */
void       cli_remove_tree   (const char *dir);

G_END_DECLS
