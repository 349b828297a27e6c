/* cmd-compare.c: `twsim compare A.scn B.scn` or `twsim compare S.scn --set
 * HOST.KEY=VALUE`: the same story under two settings (textbook vs linux
 * server, TIME-WAIT kept vs discarded). Both runs are narrated as `run
 * --brief` would (relative numbers, no timers, no held expectations, no
 * scenario line numbers), the narrations are compared line by line, and
 * the report says how long they agree, where they first part, and how
 * their verdicts differ. --ladder draws both terminal ladders on the same
 * time rows; --plot DIR draws both ladders side by side on one time axis
 * (compare-outputs.c). */
#include "cli.h"

#include "compare-outputs.h"
#include "host-override.h"
#include "narration-story.h"
#include "scenario-parser.h"

#include <stdio.h>
#include <string.h>

static void
verdict_sink (const SimTraceEvent *ev, gpointer data)
{
  CompareRun *s = data;
  if (!g_str_has_prefix (ev->kind, "verdict."))
    return;
  const char *kind = sim_trace_event_str (ev, "verdict");
  g_ptr_array_add (s->verdicts, g_strdup_printf ("%s\t%s", kind != NULL ? kind : ev->kind + 8,
                                                 ev->text->str));
}

/* A failed expectation names a line of its own file: not the story. */
static gboolean
line_is_story (const char *line)
{
  return strstr (line, "EXPECTATION FAILED") == NULL;
}

/* The script of the run with its --set settings put in, and its runner;
 * NULL (said on stderr) on bad input. */
static ScenarioRunner *
load (CompareRun *s, ScenarioScript **script_out)
{
  GError *error = NULL;
  g_autoptr (ScenarioScript) script = scenario_parse_file (s->path, &error);
  for (guint i = 0; script != NULL && s->sets != NULL && s->sets[i] != NULL; i++)
    if (!host_override_put (script, s->option, s->sets[i], &error))
      {
        g_printerr ("twsim: %s\n", error->message);
        g_error_free (error);
        return NULL;
      }
  ScenarioRunner *runner = script != NULL ? scenario_runner_new (script, FALSE, 0, &error) : NULL;
  if (runner == NULL)
    {
      g_autoptr (GString) msg = g_string_new (error->message);
      if (script != NULL && s->sets != NULL && s->sets[0] != NULL)
        {
          /* The setting is located at its host line: say where it came from. */
          g_autofree char *sets = g_strjoinv (" ", s->sets);
          g_string_append_printf (msg, " (at %s %s)", s->option, sets);
        }
      g_printerr ("%s\n", msg->str);
      g_error_free (error);
      return NULL;
    }
  for (guint h = 0; h < script->hosts->len; h++)
    g_ptr_array_add (s->hosts, g_strdup (((ScenarioHost *) g_ptr_array_index (script->hosts, h))->name));
  *script_out = g_steal_pointer (&script);
  return runner;
}

static gboolean
tell (CompareRun *s, const CompareOutputOptions *opts)
{
  ScenarioScript *script = NULL;
  ScenarioRunner *runner = load (s, &script);
  if (runner == NULL)
    return FALSE;
  s->seed = scenario_runner_seed (runner);
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream (&buf, &len);
  g_assert (mem != NULL);
  NarrationStyle style = { .brief = TRUE, .relative = TRUE, .width = G_MAXUINT };
  NarrationStory *story = narration_story_new (mem, 8, &style);
  SimTrace *trace = sim_engine_trace (scenario_runner_engine (runner));
  sim_trace_add_sink (trace, narration_story_sink, story);
  sim_trace_add_sink (trace, verdict_sink, s);
  compare_outputs_attach (s, trace, opts);
  scenario_runner_run (runner, SIM_TIME_NEVER, 50000000);
  fclose (mem);
  narration_story_free (story);
  g_auto (GStrv) lines = g_strsplit (buf, "\n", -1);
  free (buf);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && line_is_story (lines[i]))
      g_ptr_array_add (s->lines, g_strdup (lines[i]));
  scenario_runner_free (runner);
  scenario_script_free (script);
  return TRUE;
}

/* The first verdict text of `kind` in s, or NULL. */
static const char *
verdict_of (const CompareRun *s, const char *kind)
{
  gsize n = strlen (kind);
  for (guint i = 0; i < s->verdicts->len; i++)
    {
      const char *v = g_ptr_array_index (s->verdicts, i);
      if (strncmp (v, kind, n) == 0 && v[n] == '\t')
        return v + n + 1;
    }
  return NULL;
}

static void
report_verdicts (GString *out, const CompareRun *a, const CompareRun *b)
{
  static const char *const kinds[] = { "corruption", "reuse", "assassination", "H2", "H3", NULL };
  g_string_append (out, "Verdicts:\n");
  for (guint k = 0; kinds[k] != NULL; k++)
    {
      const char *va = verdict_of (a, kinds[k]);
      const char *vb = verdict_of (b, kinds[k]);
      if (va == NULL && vb == NULL)
        continue;
      const char *where = va != NULL && vb != NULL ? "both runs" : va != NULL ? "A only" : "B only";
      g_string_append_printf (out, "  %-13s %s\n", kinds[k], where);
      if (va != NULL)
        g_string_append_printf (out, "    A: %s\n", va);
      if (vb != NULL)
        g_string_append_printf (out, "    B: %s\n", vb);
    }
  gboolean ca = verdict_of (a, "corruption") != NULL, cb = verdict_of (b, "corruption") != NULL;
  if (ca != cb)
    g_string_append_printf (out, "  The difference that matters: %s corrupted, %s did not.\n",
                            ca ? "A" : "B", ca ? "B" : "A");
  else if (!ca)
    g_string_append (out, "  Neither run read bytes of another incarnation.\n");
}

static void
report (GString *out, const CompareRun *a, const CompareRun *b)
{
  g_string_append_printf (out, "A: %s (seed %" G_GUINT64_FORMAT ")\nB: %s (seed %" G_GUINT64_FORMAT ")\n",
                          a->name, a->seed, b->name, b->seed);
  guint i = 0;
  while (i < a->lines->len && i < b->lines->len
         && g_str_equal (g_ptr_array_index (a->lines, i), g_ptr_array_index (b->lines, i)))
    i++;
  if (i == a->lines->len && i == b->lines->len)
    g_string_append_printf (out, "The two runs tell the same story (%u lines).\n", i);
  else
    {
      g_string_append_printf (out, "The two runs agree for %u lines; they first part here "
                              "(the lines before, then each run's next lines):\n", i);
      for (guint k = i >= 2 ? i - 2 : 0; k < i; k++)
        g_string_append_printf (out, "     %s\n", (const char *) g_ptr_array_index (a->lines, k));
      for (guint k = i; k < i + 3 && k < a->lines->len; k++)
        g_string_append_printf (out, "  A  %s\n", (const char *) g_ptr_array_index (a->lines, k));
      if (i >= a->lines->len)
        g_string_append (out, "  A  (the run has ended)\n");
      for (guint k = i; k < i + 3 && k < b->lines->len; k++)
        g_string_append_printf (out, "  B  %s\n", (const char *) g_ptr_array_index (b->lines, k));
      if (i >= b->lines->len)
        g_string_append (out, "  B  (the run has ended)\n");
    }
  report_verdicts (out, a, b);
}

/* "file.scn" or "file.scn with server.personality=linux". */
static char *
run_name (const char *path, char **sets)
{
  if (sets == NULL || sets[0] == NULL)
    return g_strdup (path);
  g_autofree char *joined = g_strjoinv (" ", sets);
  return g_strdup_printf ("%s with %s", path, joined);
}

int
cmd_compare (int argc, char **argv)
{
  g_auto (GStrv) b_sets = NULL;
  g_auto (GStrv) a_sets = NULL;
  CompareOutputOptions opts = { 0 };
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &b_sets,
      "A host setting of run B, as if written on its host line (repeatable; HOST may be *)", "HOST.KEY=VALUE" },
    { "a-set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a_sets,
      "The same for run A", "HOST.KEY=VALUE" },
    { "ladder", 0, 0, G_OPTION_ARG_NONE, &opts.ladder,
      "Both terminal ladders, one after the other, on the same time rows", NULL },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &opts.plot_dir,
      "Both ladders side by side on one time axis, as one slide: DIR/compare.png, .svg, .gp, .dat", "DIR" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("A.scn B.scn | S.scn --set HOST.KEY=VALUE - the same story under two settings");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx, "Runs both scenarios (or one scenario twice: as written, or with --a-set,\n"
                                "as run A; with --set as run B), narrates each as `twsim run --brief` does,\n"
                                "and says how long the two stories agree, where they first part, and how\n"
                                "their verdicts (corruption, port reuse, assassination, H2, H3) differ.\n\n"
                                "  twsim compare scenarios/hazards/stale-data-corrupts-new-connection.scn \\\n"
                                "      --set '*.personality=linux' --plot slide\n\n"
                                "Exit status: 0 compared, 2 bad input or usage.");
  if (!cli_parse_options (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  gboolean any_set = (a_sets != NULL && a_sets[0] != NULL) || (b_sets != NULL && b_sets[0] != NULL);
  if (argc != 3 && !(argc == 2 && any_set))
    return cli_usage_error ("compare needs two scenario files, or one with --set HOST.KEY=VALUE");
  CompareRun a = { .path = argv[1], .sets = a_sets, .option = "--a-set" };
  CompareRun b = { .path = argv[argc - 1], .sets = b_sets, .option = "--set" };
  CompareRun *runs[2] = { &a, &b };
  for (guint i = 0; i < 2; i++)
    {
      compare_run_init (runs[i]);
      runs[i]->name = run_name (runs[i]->path, runs[i]->sets);
    }
  int status = EXIT_BAD_INPUT;
  if (tell (&a, &opts) && tell (&b, &opts))
    {
      g_autoptr (GString) out = g_string_new (NULL);
      compare_outputs_ladders (out, &a, &b);
      report (out, &a, &b);
      fputs (out->str, stdout);
      fflush (stdout);
      status = compare_outputs_plot (&a, &b, &opts) ? EXIT_SUCCESS : EXIT_BAD_INPUT;
    }
  for (guint i = 0; i < 2; i++)
    compare_run_clear (runs[i]);
  g_free (opts.plot_dir);
  return status;
}
