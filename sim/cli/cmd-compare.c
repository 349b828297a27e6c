/* cmd-compare.c: `twsim compare A.scn B.scn`: the same story under two
 * settings (textbook vs linux server, TIME-WAIT kept vs discarded). Both
 * runs are narrated as `run --brief` would (relative numbers, no timers,
 * no held expectations, no scenario line numbers), the narrations are
 * compared line by line, and the report says how long they agree, where
 * they first part, and how their verdicts differ. */
#include "cli.h"

#include "narration-story.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  GPtrArray *lines;    /* the brief narration, one line each */
  GPtrArray *verdicts; /* "kind\ttext" of each verdict.* event */
  guint64 seed;
} Story;

static void
verdict_sink (const SimTraceEvent *ev, gpointer data)
{
  Story *s = data;
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

static gboolean
tell (const char *path, Story *s)
{
  ScenarioScript *script = NULL;
  ScenarioRunner *runner = cli_load_scenario (path, FALSE, 0, &script);
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
verdict_of (const Story *s, const char *kind)
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
report_verdicts (GString *out, const Story *a, const Story *b)
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
report (GString *out, const char *pa, const Story *a, const char *pb, const Story *b)
{
  g_string_append_printf (out, "A: %s (seed %" G_GUINT64_FORMAT ")\nB: %s (seed %" G_GUINT64_FORMAT ")\n",
                          pa, a->seed, pb, b->seed);
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

int
cmd_compare (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("A.scn B.scn - the same story under two settings");
  g_option_context_set_summary (ctx, "Runs both scenarios, narrates each as `twsim run --brief` does, and says how\n"
                                "long the two stories agree, where they first part, and how their verdicts\n"
                                "(corruption, port reuse, assassination, H2, H3) differ.\n\n"
                                "Exit status: 0 compared, 2 bad input or usage.");
  if (!cli_parse_options (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  if (argc != 3)
    return cli_usage_error ("compare needs two scenario files");
  Story a = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free), 0 };
  Story b = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free), 0 };
  int status = EXIT_BAD_INPUT;
  if (tell (argv[1], &a) && tell (argv[2], &b))
    {
      g_autoptr (GString) out = g_string_new (NULL);
      report (out, argv[1], &a, argv[2], &b);
      fputs (out->str, stdout);
      status = EXIT_SUCCESS;
    }
  g_ptr_array_free (a.lines, TRUE);
  g_ptr_array_free (a.verdicts, TRUE);
  g_ptr_array_free (b.lines, TRUE);
  g_ptr_array_free (b.verdicts, TRUE);
  return status;
}
