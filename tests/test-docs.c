/* test-docs.c: every complete scenario shown in the documentation (a fenced
 * block that begins with `seed` or `host`, after comments) parses, runs and
 * holds all its expectations, so the examples people copy are real. */
#include "scenario-parser.h"
#include "scenario-runner.h"

#include <string.h>

typedef struct {
  char *name;   /* "README.md:69" */
  char *text;
} DocExample;

static GPtrArray *examples;

static gboolean
is_complete_scenario (const char *block)
{
  g_auto (GStrv) lines = g_strsplit (block, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      while (*l == ' ')
        l++;
      if (*l == '\0' || *l == '#')
        continue;
      return g_str_has_prefix (l, "seed ") || g_str_has_prefix (l, "host ");
    }
  return FALSE;
}

/* Collects the fenced blocks without a language tag (``` alone). */
static void
collect_examples (const char *root, const char *doc)
{
  g_autofree char *path = g_build_filename (root, doc, NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *block = NULL;
  guint start = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (!g_str_has_prefix (lines[i], "```"))
        {
          if (block != NULL)
            g_string_append_printf (block, "%s\n", lines[i]);
          continue;
        }
      if (block == NULL && strcmp (lines[i], "```") == 0)
        {
          block = g_string_new (NULL);
          start = i + 2; /* 1-based line of the block's first line */
        }
      else if (block == NULL)
        {
          /* a tagged block (```sh): skip to its end */
          while (lines[i + 1] != NULL && !g_str_has_prefix (lines[i + 1], "```"))
            i++;
          if (lines[i + 1] != NULL)
            i++;
        }
      else
        {
          char *body = g_string_free (block, FALSE);
          block = NULL;
          if (!is_complete_scenario (body))
            {
              g_free (body);
              continue;
            }
          DocExample *ex = g_new0 (DocExample, 1);
          ex->name = g_strdup_printf ("%s:%u", doc, start);
          ex->text = body;
          g_ptr_array_add (examples, ex);
        }
    }
  if (block != NULL)
    g_string_free (block, TRUE);
}

static void
test_example_runs (gconstpointer data)
{
  const DocExample *ex = data;
  GError *error = NULL;
  ScenarioScript *script = scenario_parse_string (ex->text, -1, ex->name, &error);
  g_assert_no_error (error);
  if (script == NULL)
    return;
  ScenarioRunner *runner = scenario_runner_new (script, FALSE, 0, &error);
  g_assert_no_error (error);
  if (runner != NULL)
    {
      SimRunOutcome outcome = scenario_runner_run (runner, 600 * SIM_S, 1000000);
      GString *report = g_string_new (NULL);
      scenario_runner_report (runner, outcome, report);
      if (!scenario_runner_all_held (runner))
        g_test_message ("%s", report->str);
      g_assert_true (scenario_runner_all_held (runner));
      g_string_free (report, TRUE);
      scenario_runner_free (runner);
    }
  scenario_script_free (script);
}

static void
example_free (gpointer p)
{
  DocExample *ex = p;
  g_free (ex->name);
  g_free (ex->text);
  g_free (ex);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  examples = g_ptr_array_new_with_free_func (example_free);
  collect_examples (root != NULL ? root : ".", "README.md");
  collect_examples (root != NULL ? root : ".", "scenarios/README.md");
  g_assert_cmpuint (examples->len, >=, 2);
  for (guint i = 0; i < examples->len; i++)
    {
      DocExample *ex = g_ptr_array_index (examples, i);
      g_autofree char *name = g_strdup_printf ("/docs/example/%s", ex->name);
      g_test_add_data_func (name, ex, test_example_runs);
    }
  int rc = g_test_run ();
  g_ptr_array_free (examples, TRUE);
  return rc;
}
