/* plot-render.c: writes every plot of a trace, then runs gnuplot on each. */
#include "plot-render.h"

#include "plot-gnuplot.h"
#include "plot-ladder.h"
#include "plot-states.h"
#include "plot-tseq.h"

#include <errno.h>
#include <glib/gstdio.h>

static gboolean
render_scripts (const char *gnuplot, const char *dir, GPtrArray *scripts, GPtrArray *notes,
                GError **error)
{
  g_autoptr (GString) failures = g_string_new (NULL);
  for (guint i = 0; i < scripts->len; i++)
    {
      const char *name = g_ptr_array_index (scripts, i);
      char *warnings = NULL;
      GError *local = NULL;
      if (!plot_gnuplot_render (gnuplot, dir, name, &warnings, &local))
        {
          g_string_append_printf (failures, "%s%s", failures->len > 0 ? "\n" : "", local->message);
          g_error_free (local);
        }
      else if (warnings != NULL)
        g_ptr_array_add (notes, g_strdup_printf ("%s.gp: gnuplot says: %s", name, warnings));
      g_free (warnings);
    }
  if (failures->len > 0)
    {
      g_set_error_literal (error, PLOT_ERROR, PLOT_ERROR_GNUPLOT, failures->str);
      return FALSE;
    }
  return TRUE;
}

gboolean
plot_make_dir (const char *dir, GError **error)
{
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int saved = errno;
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_IO, "cannot create directory %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
plot_render_scripts (const char *dir, GPtrArray *scripts, GPtrArray *notes, GError **error)
{
  g_autofree char *gnuplot = plot_gnuplot_find ();
  if (gnuplot == NULL)
    {
      g_autofree char *quoted = g_shell_quote (dir);
      const char *first = scripts->len > 0 ? g_ptr_array_index (scripts, 0) : "ladder";
      g_ptr_array_add (notes, g_strdup_printf (
        "gnuplot is not installed: wrote the data (*.dat) and scripts (*.gp) to %s.\n"
        "To render them as PNG and SVG, install gnuplot and run:\n"
        "  cd %s && gnuplot %s.gp\n"
        "or, for every plot:\n"
        "  cd %s && for f in *.gp; do gnuplot \"$f\"; done",
        dir, quoted, first, quoted));
      return TRUE;
    }
  return render_scripts (gnuplot, dir, scripts, notes, error);
}

gboolean
plot_render (const PlotTrace *trace, const char *dir, const PlotOptions *opts, GPtrArray *notes,
             GError **error)
{
  if (!plot_make_dir (dir, error))
    return FALSE;
  g_autoptr (GPtrArray) scripts = g_ptr_array_new_with_free_func (g_free);
  if (!plot_ladder_write (trace, opts, dir, scripts, notes, error)
      || !plot_states_write (trace, opts, dir, scripts, notes, error)
      || !plot_tseq_write (trace, opts, dir, scripts, notes, error))
    return FALSE;
  return plot_render_scripts (dir, scripts, notes, error);
}

gboolean
plot_render_file (const char *trace_path, const char *dir, const PlotOptions *opts,
                  GPtrArray *notes, GError **error)
{
  g_autoptr (PlotTrace) trace = plot_trace_load (trace_path, error);
  if (trace == NULL)
    return FALSE;
  return plot_render (trace, dir, opts, notes, error);
}
