/* compare-outputs.c: the ladders of `twsim compare`. */
#include "compare-outputs.h"

#include "plot-compare.h"
#include "plot-render.h"
#include "trace-jsonl.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void
compare_run_init (CompareRun *run)
{
  run->lines = g_ptr_array_new_with_free_func (g_free);
  run->verdicts = g_ptr_array_new_with_free_func (g_free);
  run->hosts = g_ptr_array_new_with_free_func (g_free);
}

void
compare_run_clear (CompareRun *run)
{
  g_free (run->name);
  g_ptr_array_unref (run->lines);
  g_ptr_array_unref (run->verdicts);
  g_ptr_array_unref (run->hosts);
  ladder_text_free (run->ladder);
  trace_jsonl_free_in_memory (run->jsonl);
}

void
compare_outputs_attach (CompareRun *run, SimTrace *trace, const CompareOutputOptions *opts)
{
  if (opts->ladder)
    {
      run->ladder = ladder_text_new ((const char *const *) run->hosts->pdata, run->hosts->len,
                                     isatty (STDOUT_FILENO));
      sim_trace_add_sink (trace, ladder_text_sink, run->ladder);
    }
  if (opts->plot_dir != NULL)
    {
      run->jsonl = trace_jsonl_new_in_memory ();
      sim_trace_add_sink_for (trace, trace_jsonl_sink, run->jsonl, NULL, trace_jsonl_wants_text);
    }
}

void
compare_outputs_ladders (GString *out, CompareRun *a, CompareRun *b)
{
  if (a->ladder == NULL || b->ladder == NULL)
    return;
  g_autofree char *ta = g_strdup_printf ("A: %s", a->name);
  g_autofree char *tb = g_strdup_printf ("B: %s", b->name);
  LadderText *ladders[2] = { a->ladder, b->ladder };
  const char *titles[2] = { ta, tb };
  ladder_text_render_together (ladders, titles, 2, out);
  g_string_append_c (out, '\n');
}

/* The trace kept in memory, read back as the plots read a file. */
static PlotTrace *
trace_of (const CompareRun *run, GError **error)
{
  const GString *lines = trace_jsonl_lines (run->jsonl);
  FILE *f = fmemopen (lines->str, MAX (lines->len, 1), "r");
  if (f == NULL)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_IO, "cannot read the trace of %s", run->name);
      return NULL;
    }
  PlotTrace *trace = plot_trace_read (f, run->name, error);
  fclose (f);
  return trace;
}

/* "A: file.scn" (with its settings), or only the settings when both runs
 * are of one file. */
static char *
panel_title (char letter, const CompareRun *run, const CompareRun *other)
{
  g_autofree char *base = g_path_get_basename (run->path);
  g_autofree char *sets = run->sets != NULL && run->sets[0] != NULL ? g_strjoinv (" ", run->sets) : NULL;
  gboolean one_file = g_strcmp0 (run->path, other->path) == 0;
  if (sets == NULL)
    return g_strdup_printf ("%c: %s%s", letter, base, one_file ? " as written" : "");
  if (one_file)
    return g_strdup_printf ("%c: with %s", letter, sets);
  return g_strdup_printf ("%c: %s with %s", letter, base, sets);
}

/* "CORRUPTION (also: reuse)", "no corruption (also: assassination)" or
 * "no corruption, no hazard". */
static char *
outcome_of (const CompareRun *run)
{
  gboolean corrupted = FALSE;
  g_autoptr (GString) others = g_string_new (NULL);
  for (guint i = 0; i < run->verdicts->len; i++)
    {
      const char *v = g_ptr_array_index (run->verdicts, i);
      g_autofree char *kind = g_strndup (v, strcspn (v, "\t"));
      if (strcmp (kind, "corruption") == 0)
        corrupted = TRUE;
      else if (strstr (others->str, kind) == NULL)
        g_string_append_printf (others, "%s%s", others->len > 0 ? ", " : "", kind);
    }
  if (others->len == 0)
    return g_strdup (corrupted ? "CORRUPTION" : "no corruption, no hazard");
  return g_strdup_printf ("%s (also: %s)", corrupted ? "CORRUPTION" : "no corruption", others->str);
}

gboolean
compare_outputs_plot (CompareRun *a, CompareRun *b, const CompareOutputOptions *opts)
{
  if (opts->plot_dir == NULL)
    return TRUE;
  GError *error = NULL;
  g_autoptr (PlotTrace) ta = trace_of (a, &error);
  g_autoptr (PlotTrace) tb = ta != NULL ? trace_of (b, &error) : NULL;
  g_autoptr (GPtrArray) scripts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = tb != NULL && plot_make_dir (opts->plot_dir, &error);
  if (ok)
    {
      g_autofree char *title_a = panel_title ('A', a, b);
      g_autofree char *title_b = panel_title ('B', b, a);
      g_autofree char *outcome_a = outcome_of (a);
      g_autofree char *outcome_b = outcome_of (b);
      ComparePanel panels[2] = { { ta, title_a, outcome_a }, { tb, title_b, outcome_b } };
      ok = plot_compare_write (panels, (const char *const *) a->hosts->pdata, a->hosts->len,
                               "The same story under two settings, on one time axis",
                               opts->plot_dir, scripts, &error)
           && plot_render_scripts (opts->plot_dir, scripts, notes, &error);
    }
  for (guint i = 0; i < notes->len; i++)
    g_printerr ("twsim: %s\n", (const char *) g_ptr_array_index (notes, i));
  if (!ok)
    {
      g_printerr ("twsim: %s\n", error->message);
      g_error_free (error);
    }
  return ok;
}
