/* temp-files.c: the table of temporaries and the signal handler that
 * removes them (temp-files.h). */
#include "temp-files.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

/* A slot holds a path the handler may unlink at any moment: it is set only
 * once the string is complete and cleared before the string is freed. */
static char *volatile slots[TEMP_FILES_MAX];
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void
on_signal (int sig)
{
  for (guint i = 0; i < TEMP_FILES_MAX; i++)
    if (slots[i] != NULL)
      unlink (slots[i]);
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
install_handlers (void)
{
  static gboolean installed;
  if (installed)
    return;
  installed = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (cleanup_signals); i++)
    {
      struct sigaction old, sa;
      memset (&sa, 0, sizeof sa);
      sa.sa_handler = on_signal;
      sigemptyset (&sa.sa_mask);
      /* A signal the process was started ignoring (nohup) stays ignored. */
      if (sigaction (cleanup_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
        sigaction (cleanup_signals[i], &sa, NULL);
    }
}

void
temp_files_add (const char *path)
{
  install_handlers ();
  for (guint i = 0; i < TEMP_FILES_MAX; i++)
    if (slots[i] == NULL)
      {
        slots[i] = g_strdup (path);
        return;
      }
}

void
temp_files_remove (const char *path)
{
  for (guint i = 0; i < TEMP_FILES_MAX; i++)
    {
      char *p = slots[i];
      if (p != NULL && strcmp (p, path) == 0)
        {
          slots[i] = NULL;
          g_free (p);
          return;
        }
    }
}
