/* test-docs.c: every complete scenario shown in the documentation (a fenced
 * block that begins with `seed` or `host`, after comments) parses, runs and
 * holds all its expectations, so the examples people copy are real; and the
 * settings tables of scenarios/README.md are the code's lists. */
#include "host-settings.h"
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

/* The keys of one table of scenarios/README.md: the rows "| `key` | ..."
 * after the line `title` up to the first line that is not a row. */
static GPtrArray *
readme_table_keys (const char *root, const char *title)
{
  g_autofree char *path = g_build_filename (root, "scenarios", "README.md", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  const char *at = strstr (text, title);
  g_assert_nonnull (at);
  const char *table = strstr (at, "\n|");
  g_assert_nonnull (table);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (table + 1, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] == '|'; i++)
    if (g_str_has_prefix (lines[i], "| `"))
      {
        const char *k = lines[i] + 3;
        const char *end = strchr (k, '`');
        g_assert_nonnull (end);
        g_ptr_array_add (keys, g_strndup (k, end - k));
      }
  return keys;
}

static gboolean
has_key (GPtrArray *keys, const char *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (g_str_equal (g_ptr_array_index (keys, i), key))
      return TRUE;
  return FALSE;
}

/* The keys the runner accepts, as its "unknown host setting" error lists them. */
static GPtrArray *
accepted_host_keys (void)
{
  ScenarioSetting bogus = { .key = (char *) "no_such_key", .value = (char *) "1" };
  g_autoptr (GPtrArray) settings = g_ptr_array_new ();
  g_ptr_array_add (settings, &bogus);
  TcpConfig config;
  tcp_config_init_rfc9293 (&config);
  GError *error = NULL;
  g_assert_false (host_settings_apply (settings, &config, &error));
  const char *list = strstr (error->message, "(known: ");
  g_assert_nonnull (list);
  g_autofree char *inner = g_strndup (list + 8, strlen (list + 8) - 1);
  g_error_free (error);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) parts = g_strsplit (inner, ", ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    g_ptr_array_add (keys, g_strdup (parts[i]));
  return keys;
}

/* The keys `twsim settings` describes: "  key  text" (host) and
 * "  link: key  text". */
static void
described_keys (GPtrArray *host, GPtrArray *link)
{
  g_autoptr (GString) out = g_string_new (NULL);
  host_settings_describe (out);
  g_auto (GStrv) lines = g_strsplit (out->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      if (!g_str_has_prefix (l, "  "))
        continue;
      l += 2;
      GPtrArray *into = host;
      if (g_str_has_prefix (l, "link: "))
        {
          l += 6;
          into = link;
        }
      g_ptr_array_add (into, g_strndup (l, strcspn (l, " ")));
    }
}

static void
test_settings_tables_list_every_key (void)
{
  g_test_summary ("scenarios/README.md's host and link settings tables list exactly the keys "
                  "the runner accepts and `twsim settings` describes, and every isn value.");
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autoptr (GPtrArray) host_doc = readme_table_keys (root, "Host settings");
  g_autoptr (GPtrArray) link_doc = readme_table_keys (root, "Link settings:");
  g_autoptr (GPtrArray) accepted = accepted_host_keys ();
  g_autoptr (GPtrArray) host_code = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) link_code = g_ptr_array_new_with_free_func (g_free);
  described_keys (host_code, link_code);
  g_assert_cmpuint (accepted->len, >, 10);
  g_assert_cmpuint (link_code->len, >, 5);
  for (guint i = 0; i < accepted->len; i++)
    {
      const char *k = g_ptr_array_index (accepted, i);
      if (!has_key (host_doc, k))
        g_error ("host setting '%s' is accepted but not in scenarios/README.md", k);
      if (!has_key (host_code, k))
        g_error ("host setting '%s' is accepted but `twsim settings` does not describe it", k);
    }
  for (guint i = 0; i < host_doc->len; i++)
    if (!has_key (accepted, g_ptr_array_index (host_doc, i)))
      g_error ("scenarios/README.md documents host setting '%s', which the runner refuses",
               (const char *) g_ptr_array_index (host_doc, i));
  for (guint i = 0; i < link_code->len; i++)
    if (!has_key (link_doc, g_ptr_array_index (link_code, i)))
      g_error ("link setting '%s' is not in scenarios/README.md",
               (const char *) g_ptr_array_index (link_code, i));
  g_assert_cmpuint (link_doc->len, ==, link_code->len);
  /* Every isn value the runner takes is in its row. */
  g_autofree char *path = g_build_filename (root, "scenarios", "README.md", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  const char *row = strstr (text, "| `isn` |");
  g_assert_nonnull (row);
  g_autofree char *line = g_strndup (row, strcspn (row, "\n"));
  const char *isn_values[] = { "`fixed:N`", "`clock`", "`rfc6528`", "`linux`", "`random`" };
  for (gsize i = 0; i < G_N_ELEMENTS (isn_values); i++)
    g_assert_nonnull (strstr (line, isn_values[i]));
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
  g_test_add_func ("/docs/settings-tables-list-every-key", test_settings_tables_list_every_key);
  int rc = g_test_run ();
  g_ptr_array_free (examples, TRUE);
  return rc;
}
