/* plot-output.c: data files, script boilerplate and atomic writes shared by
 * the plots. */
#include "plot-output.h"

#include <errno.h>

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
  g_string_append_printf (data->text, "# [%u] %s\n# %s\n", data->blocks, title, columns);
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

void
plot_append_data_str (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    g_string_append_c (out, *p == '"' ? '\'' : (*p == '\n' ? ' ' : *p));
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
      g_string_append_c (out, *p == '\n' ? ' ' : *p);
    }
  g_string_append_c (out, '\'');
}

void
plot_script_begin (GString *gp, const char *name, const char *about, const char *title)
{
  g_string_append_printf (gp,
    "# %s.gp: %s\n"
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
    name, about, name, name, name, name, name, name,
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

gboolean
plot_write_file (const char *dir, const char *name, const GString *contents, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GError *local = NULL;
  if (!g_file_set_contents (path, contents->str, (gssize) contents->len, &local))
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}
