/* sweep-outputs.c: a sweep's outputs (sweep-outputs.h). */
#include "sweep-outputs.h"

#include "cli.h"
#include "plot-sweep.h"

#include <stdio.h>

/* The verdicts to draw: those found in some run; H1 when none was. */
static void
verdicts_seen (const SweepResult *result, gboolean seen[SWEEP_N_VERDICTS])
{
  gboolean any = FALSE;
  for (guint v = 0; v < SWEEP_N_VERDICTS; v++)
    {
      seen[v] = FALSE;
      for (guint p = 0; p < result->n_points; p++)
        seen[v] = seen[v] || result->points[p].verdict[v] > 0;
      any = any || seen[v];
    }
  if (!any)
    seen[0] = TRUE;
}

/* The settings of point p other than the first varied key. */
static void
describe_rest (const SweepSpec *spec, guint point, GString *out)
{
  for (guint k = 1; k < spec->keys->len; k++)
    g_string_append_printf (out, " %s=%s", ((SweepKey *) g_ptr_array_index (spec->keys, k))->spec,
                            sweep_point_value (spec, point, k));
}

/* x: the first varied key's values; a series per verdict and per value of
 * the other keys (points are ordered with the first key slowest). */
static PlotSweep *
sweep_plot (const SweepResult *result)
{
  const SweepSpec *spec = result->spec;
  const SweepKey *first = spec->keys->len > 0 ? g_ptr_array_index (spec->keys, 0) : NULL;
  g_autofree char *title = g_strdup_printf ("%s, seeds %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT,
                                            spec->scenario, spec->seed_first, spec->seed_last);
  PlotSweep *plot = plot_sweep_new (title, first != NULL ? first->spec : "scenario");
  guint n_x = first != NULL ? first->values->len : 1;
  for (guint x = 0; x < n_x; x++)
    g_ptr_array_add (plot->x_values,
                     g_strdup (first != NULL ? g_ptr_array_index (first->values, x) : "as written"));
  guint rest = result->n_points / n_x;
  gboolean seen[SWEEP_N_VERDICTS];
  verdicts_seen (result, seen);
  for (guint v = 0; v < SWEEP_N_VERDICTS; v++)
    for (guint r = 0; seen[v] && r < rest; r++)
      {
        g_autoptr (GString) name = g_string_new (sweep_verdict_code (v));
        describe_rest (spec, r, name);
        PlotSweepSeries *s = plot_sweep_add_series (plot, name->str);
        for (guint x = 0; x < n_x; x++)
          {
            const SweepCounts *c = &result->points[x * rest + r];
            s->p[x] = c->runs > 0 ? (double) c->verdict[v] / (double) c->runs : 0.0;
            sweep_wilson (c->verdict[v], c->runs, &s->low[x], &s->high[x]);
          }
      }
  return plot;
}

static int
write_plot (const SweepResult *result, const char *dir)
{
  g_autoptr (PlotSweep) plot = sweep_plot (result);
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  gboolean ok = plot_sweep_write (plot, dir, notes, &error);
  for (guint i = 0; i < notes->len; i++)
    g_printerr ("twsim: %s\n", (const char *) g_ptr_array_index (notes, i));
  if (!ok)
    {
      g_printerr ("twsim: %s\n", error->message);
      g_error_free (error);
      return EXIT_BAD_INPUT;
    }
  return EXIT_SUCCESS;
}

int
sweep_outputs_write (const SweepResult *result, const SweepOutputOptions *opts)
{
  g_autoptr (GString) table = g_string_new (NULL);
  sweep_format_table (result, table);
  fputs (table->str, stdout);
  int status = EXIT_SUCCESS;
  if (opts->csv != NULL)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      sweep_format_csv (result, text);
      if (!cli_write_whole (opts->csv, text))
        status = EXIT_BAD_INPUT;
    }
  if (opts->json != NULL)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      sweep_format_json (result, text);
      if (!cli_write_whole (opts->json, text))
        status = EXIT_BAD_INPUT;
    }
  if (opts->plot_dir != NULL && write_plot (result, opts->plot_dir) != EXIT_SUCCESS)
    status = EXIT_BAD_INPUT;
  return status;
}
