/* plot-gnuplot.c: runs gnuplot on one script; images are renamed into place
 * only after gnuplot succeeded. */
#include "plot-gnuplot.h"

#include "plot-output.h"
#include "temp-files.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *
plot_gnuplot_find (void)
{
  return g_find_program_in_path ("gnuplot");
}

/* Creates an empty DIR/NAME.EXT.tmp-XXXXXX for gnuplot to overwrite. */
static char *
make_temp (const char *dir, const char *name, const char *ext, GError **error)
{
  g_autofree char *base = g_strdup_printf ("%s.%s.tmp-XXXXXX", name, ext);
  char *path = g_build_filename (dir, base, NULL);
  int fd = g_mkstemp (path);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_IO, "cannot create %s: %s", path,
                   g_strerror (saved));
      g_free (path);
      return NULL;
    }
  /* mkstemp makes it private; images are as readable as any other file. */
  mode_t mask = umask (0);
  umask (mask);
  if (fchmod (fd, 0666 & ~mask) != 0)
    g_debug ("cannot chmod %s: %s", path, g_strerror (errno));
  close (fd);
  temp_files_add (path);
  return path;
}

static gboolean
rename_into_place (const char *tmp, const char *dir, const char *name, const char *ext,
                   const char *script, GError **error)
{
  GStatBuf st;
  g_autofree char *base = g_strdup_printf ("%s.%s", name, ext);
  g_autofree char *path = g_build_filename (dir, base, NULL);
  if (g_stat (tmp, &st) != 0 || st.st_size == 0)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_GNUPLOT, "%s: gnuplot wrote no %s", script, base);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_IO, "cannot write %s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* gnuplot runs in C.UTF-8 whatever the user's locale: the labels are
 * UTF-8 and the numbers take a '.', and a missing locale makes no noise.
 * What it still says about locales is dropped: it is not about the plot. */
static char **
gnuplot_environ (void)
{
  char **envp = g_get_environ ();
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  return envp;
}

static void
drop_locale_lines (char *text)
{
  if (text == NULL)
    return;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *kept = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (lines[i], -1);
      if (strstr (lower, "locale") != NULL)
        continue;
      if (kept->len > 0 || lines[i][0] != '\0')
        g_string_append_printf (kept, "%s%s", kept->len > 0 ? "\n" : "", lines[i]);
    }
  g_assert (kept->len <= strlen (text));
  memcpy (text, kept->str, kept->len + 1);
  g_string_free (kept, TRUE);
}

gboolean
plot_gnuplot_render (const char *gnuplot, const char *dir, const char *name, char **warnings,
                     GError **error)
{
  *warnings = NULL;
  g_autofree char *script = g_strdup_printf ("%s.gp", name);
  g_autofree char *png_tmp = make_temp (dir, name, "png", error);
  if (png_tmp == NULL)
    return FALSE;
  g_autofree char *svg_tmp = make_temp (dir, name, "svg", error);
  if (svg_tmp == NULL)
    {
      temp_files_remove (png_tmp);
      g_unlink (png_tmp);
      return FALSE;
    }
  g_autoptr (GString) vars = g_string_new ("png_out = ");
  g_autofree char *png_base = g_path_get_basename (png_tmp);
  g_autofree char *svg_base = g_path_get_basename (svg_tmp);
  plot_append_gp_str (vars, png_base);
  g_string_append (vars, "; svg_out = ");
  plot_append_gp_str (vars, svg_base);

  const char *argv[] = { gnuplot, "-e", vars->str, script, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;
  GError *spawn_error = NULL;
  char **envp = gnuplot_environ ();
  gboolean ok = g_spawn_sync (dir, (char **) argv, envp, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                              &out, &err, &wait_status, &spawn_error);
  g_strfreev (envp);
  if (ok)
    drop_locale_lines (err);
  if (!ok)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_GNUPLOT, "%s: cannot run %s: %s", script,
                   gnuplot, spawn_error->message);
      g_error_free (spawn_error);
    }
  else if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
    {
      g_autofree char *why = WIFEXITED (wait_status)
        ? g_strdup_printf ("exit status %d", WEXITSTATUS (wait_status))
        : g_strdup ("killed by a signal");
      g_strstrip (err);
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_GNUPLOT, "%s: gnuplot failed (%s)%s%s", script,
                   why, *err ? ":\n" : "", err);
      ok = FALSE;
    }
  if (ok)
    ok = rename_into_place (png_tmp, dir, name, "png", script, error)
         && rename_into_place (svg_tmp, dir, name, "svg", script, error);
  temp_files_remove (png_tmp);
  temp_files_remove (svg_tmp);
  g_unlink (png_tmp);
  g_unlink (svg_tmp);
  if (ok)
    {
      g_autoptr (GString) said = g_string_new (g_strstrip (out));
      if (said->len > 0 && *g_strstrip (err))
        g_string_append_c (said, '\n');
      g_string_append (said, err);
      if (said->len > 0)
        *warnings = g_strdup (said->str);
    }
  return ok;
}
