/* cli-fixture.c: process spawning and temporary directories for tests. */
#include "cli-fixture.h"

#include <glib/gstdio.h>
#include <sys/wait.h>

CliOutcome
cli_spawn (const char *cwd, const char *const *argv, char **envp)
{
  CliOutcome o = { -1, NULL, NULL };
  int wait_status = 0;
  GError *error = NULL;
  g_assert_true (g_spawn_sync (cwd, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &o.out, &o.err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status)); /* a signal means a crash */
  o.status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_test_message ("%s %s: exit %d, stderr: %s", argv[0], argv[1] != NULL ? argv[1] : "",
                  o.status, o.err != NULL ? o.err : "");
  return o;
}

CliOutcome
cli_run_twsim (const char *cwd, const char *const *args, char **envp)
{
  const char *twsim = g_getenv ("TWSIM");
  g_assert_nonnull (twsim);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) twsim);
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  return cli_spawn (cwd, (const char *const *) argv->pdata, envp);
}

void
cli_outcome_clear (CliOutcome *o)
{
  g_clear_pointer (&o->out, g_free);
  g_clear_pointer (&o->err, g_free);
}

void
cli_remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        cli_remove_tree (path);
      else
        g_unlink (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
}
