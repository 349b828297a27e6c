/* plot-output.c: data files, script boilerplate and atomic writes shared by
 * the plots (temporaries registered in temp-files.h). */
#include "plot-output.h"

#include "temp-files.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

void
plot_data_init (PlotData *data, const char *header)
{
  data->text = g_string_new (header);
  data->blocks = 0;
}

guint
plot_data_block (PlotData *data, const char *title, const char *columns)
{
  /* gnuplot separates index blocks by two blank lines. */
  if (data->blocks > 0)
    g_string_append (data->text, "\n\n");
  g_string_append_printf (data->text, "# [%u] ", data->blocks);
  plot_append_comment_text (data->text, title);
  g_string_append_printf (data->text, "\n# %s\n", columns);
  return data->blocks++;
}

void
plot_data_clear (PlotData *data)
{
  if (data->text != NULL)
    g_string_free (data->text, TRUE);
  data->text = NULL;
}

static void
append_fixed (GString *out, gint64 ns, gint64 unit, int decimals)
{
  if (ns < 0)
    {
      g_string_append_c (out, '-');
      ns = -ns;
    }
  g_string_append_printf (out, "%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT, ns / unit, decimals,
                          ns % unit);
}

void
plot_append_ms (GString *out, gint64 ns)
{
  append_fixed (out, ns, 1000000, 6);
}

void
plot_append_s (GString *out, gint64 ns)
{
  append_fixed (out, ns, 1000000000, 9);
}

/* A control character (a newline, a carriage return, ...) would end a
 * line of a script or a data file: it becomes a space. */
static char
plain_char (char c)
{
  return ((unsigned char) c < 0x20 || c == 0x7f) ? ' ' : c;
}

void
plot_append_data_str (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    g_string_append_c (out, *p == '"' ? '\'' : (*p == '\\' ? '/' : plain_char (*p)));
  g_string_append_c (out, '"');
}

void
plot_append_gp_str (GString *out, const char *s)
{
  /* In single quotes gnuplot takes everything literally; '' is one '. */
  g_string_append_c (out, '\'');
  for (const char *p = s; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, plain_char (*p));
    }
  g_string_append_c (out, '\'');
}

void
plot_append_comment_text (GString *out, const char *s)
{
  for (const char *p = s; *p; p++)
    g_string_append_c (out, plain_char (*p));
  /* gnuplot joins a line ending in a backslash to the next, comments too. */
  if (out->len > 0 && out->str[out->len - 1] == '\\')
    g_string_append_c (out, ' ');
}

void
plot_script_begin (GString *gp, const char *name, const char *about, const char *title)
{
  /* Names are ours ("ladder", "tseq-3"); canonical all the same, since
   * they land in comments and in quoted file names. */
  g_autofree char *plain = g_strcanon (g_strdup (name), PLOT_NAME_CHARS, '_');
  g_string_append_printf (gp, "# %s.gp: ", plain);
  plot_append_comment_text (gp, about);
  g_string_append_printf (gp,
    "\n"
    "# Written by twsim. The data is in %s.dat (plain columns, described in its\n"
    "# header). Edit freely and rerun `gnuplot %s.gp`: it writes %s.png and\n"
    "# %s.svg (twsim passes temporary names in png_out and svg_out).\n"
    "reset\n"
    "if (!exists(\"png_out\")) png_out = '%s.png'\n"
    "if (!exists(\"svg_out\")) svg_out = '%s.svg'\n"
    "set encoding utf8\n"
    "if (strstrt(GPVAL_TERMINALS, ' pngcairo ') > 0) {\n"
    "  set terminal pngcairo size %d,%d noenhanced font 'Sans,12' linewidth 1.5\n"
    "} else {\n"
    "  set terminal png size %d,%d noenhanced\n"
    "}\n"
    "set output png_out\n"
    "set title ",
    plain, plain, plain, plain, plain, plain,
    PLOT_WIDTH, PLOT_HEIGHT, PLOT_WIDTH, PLOT_HEIGHT);
  plot_append_gp_str (gp, title);
  g_string_append (gp, " font ',16'\n");
}

void
plot_script_end (GString *gp)
{
  g_string_append_printf (gp,
    "\n# The same plot as SVG.\n"
    "set terminal svg size %d,%d noenhanced font 'Sans,12' linewidth 1.5 background rgb 'white'\n"
    "set output svg_out\n"
    "replot\n"
    "set output\n"
    "undefine png_out svg_out\n",
    PLOT_WIDTH, PLOT_HEIGHT);
}

static gboolean
write_failed (GError **error, const char *what, const char *path, int err)
{
  g_set_error (error, PLOT_ERROR, PLOT_ERROR_IO, "cannot %s %s: %s", what, path, g_strerror (err));
  return FALSE;
}

static gboolean
write_all (int fd, const GString *contents)
{
  gsize done = 0;
  while (done < contents->len)
    {
      ssize_t n = write (fd, contents->str + done, contents->len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  return TRUE;
}

gboolean
plot_write_file (const char *dir, const char *name, const GString *contents, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *tmp = g_strdup_printf ("%s.tmp-XXXXXX", path);
  int fd = g_mkstemp (tmp);
  if (fd < 0)
    return write_failed (error, "create", path, errno);
  /* Removed on SIGINT, SIGTERM and SIGHUP like every other temporary. */
  temp_files_add (tmp);
  mode_t mask = umask (0);
  umask (mask);
  int err = 0;
  errno = 0;
  if (fchmod (fd, 0666 & ~mask) != 0 || !write_all (fd, contents))
    err = errno != 0 ? errno : EIO;
  if (close (fd) != 0 && err == 0)
    err = errno;
  temp_files_remove (tmp);
  if (err == 0 && g_rename (tmp, path) != 0)
    err = errno;
  if (err != 0)
    {
      g_unlink (tmp);
      return write_failed (error, "write", path, err);
    }
  return TRUE;
}
