/* test-scenarios.c: every scenario in scenarios/ runs and all of its own
 * expectations hold; changing any single expectation makes it fail and
 * name the right line; the same scenario twice gives a byte-identical
 * JSON lines trace; every expectation holds for seeds 1 to 100 (the seed
 * overriding the file's `seed`) unless the file pins its seed with a
 * "# pin-seed: <reason>" comment; the v1 trace file (trace-v1.h) gives
 * back every member of every event. */
#include "scenario-parser.h"
#include "scenario-runner.h"
#include "trace-jsonl.h"
#include "trace-v1.h"
#include "trace-v1-line.h"
#include "personality.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
find_scenarios (const char *dir, GPtrArray *found)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return found;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  /* Sorted, so the test order never depends on the file system. */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          find_scenarios (path, found);
          g_free (path);
        }
      else if (g_str_has_suffix (path, ".scn"))
        g_ptr_array_add (found, path);
      else
        g_free (path);
    }
  g_ptr_array_free (names, TRUE);
  return found;
}

static void
collect_jsonl (const SimTraceEvent *ev, gpointer data)
{
  trace_jsonl_format (data, ev);
  g_string_append_c (data, '\n');
}

/* Runs a parsed script under its own seed, or `seed` when seed_given;
 * returns the number of failures (and the trace). */
static guint
run_script_seeded (const ScenarioScript *script, gboolean seed_given, guint64 seed,
                   GString *trace, GPtrArray *report_lines)
{
  GError *error = NULL;
  ScenarioRunner *r = scenario_runner_new (script, seed_given, seed, &error);
  g_assert_no_error (error);
  if (trace != NULL)
    sim_trace_add_sink (sim_engine_trace (scenario_runner_engine (r)), collect_jsonl, trace);
  SimRunOutcome outcome = scenario_runner_run (r, SIM_TIME_NEVER, 5000000);
  GString *report = g_string_new (NULL);
  scenario_runner_report (r, outcome, report);
  guint failed = scenario_runner_all_held (r) ? 0 : MAX (1, scenario_runner_failures (r));
  if (report_lines != NULL)
    g_ptr_array_add (report_lines, g_string_free (report, FALSE));
  else
    g_string_free (report, TRUE);
  scenario_runner_free (r);
  return failed;
}

static guint
run_script (const ScenarioScript *script, GString *trace, GPtrArray *report_lines)
{
  return run_script_seeded (script, FALSE, 0, trace, report_lines);
}

static ScenarioScript *
parse_or_die (const char *path)
{
  GError *error = NULL;
  ScenarioScript *script = scenario_parse_file (path, &error);
  g_assert_no_error (error);
  return script;
}

static void
test_scenario_holds (gconstpointer data)
{
  const char *path = data;
  ScenarioScript *script = parse_or_die (path);
  GPtrArray *report = g_ptr_array_new_with_free_func (g_free);
  guint failed = run_script (script, NULL, report);
  if (failed != 0)
    g_test_message ("%s", (const char *) g_ptr_array_index (report, 0));
  g_assert_cmpuint (failed, ==, 0);
  g_ptr_array_free (report, TRUE);
  scenario_script_free (script);
}

static void
mutate_call (ScenarioCall *call)
{
  if (call->expect_ret == -1)
    {
      gboolean was_eperm = call->expect_errno == EPERM;
      call->expect_errno = was_eperm ? EACCES : EPERM;
      call->expect_errno_name = was_eperm ? "EACCES" : "EPERM";
    }
  else
    call->expect_ret += 1;
}

static void
mutate_step (ScenarioStep *step)
{
  if (step->kind == SCENARIO_STEP_EXPECT_STATE)
    {
      const char *other = strcmp (step->state, "CLOSING") != 0 ? "CLOSING" : "LISTEN";
      g_free (step->state);
      step->state = g_strdup (other);
    }
  else if (step->kind == SCENARIO_STEP_EXPECT_VERDICT)
    step->negated = !step->negated; /* `expect corruption` <-> `expect no corruption` */
  else
    {
      gsize len;
      const guint8 *old = g_bytes_get_data (step->expect_bytes, &len);
      GByteArray *longer = g_byte_array_new ();
      g_byte_array_append (longer, old, (guint) len);
      g_byte_array_append (longer, (const guint8 *) "?", 1);
      g_bytes_unref (step->expect_bytes);
      step->expect_bytes = g_byte_array_free_to_bytes (longer);
    }
}

/* Changes the index-th expectation in place; FALSE when there is none.
 * *line gets its line number. */
static gboolean
mutate_expectation (ScenarioScript *script, guint index, guint *line)
{
  guint seen = 0;
  for (guint i = 0; i < script->steps->len; i++)
    {
      ScenarioStep *step = g_ptr_array_index (script->steps, i);
      if (step->kind == SCENARIO_STEP_EXPECT_STATE || step->kind == SCENARIO_STEP_EXPECT_READ
          || step->kind == SCENARIO_STEP_EXPECT_VERDICT)
        {
          if (seen++ == index)
            {
              *line = step->loc.line;
              mutate_step (step);
              return TRUE;
            }
          continue;
        }
      if (step->kind != SCENARIO_STEP_CALLS)
        continue;
      for (guint c = 0; c < step->n_calls; c++)
        {
          ScenarioCall *call = &step->calls[c];
          if (call->has_expect && seen++ == index)
            {
              *line = call->loc.line;
              mutate_call (call);
              return TRUE;
            }
        }
    }
  return FALSE;
}

static void
test_every_expectation_can_fail (gconstpointer data)
{
  const char *path = data;
  guint mutated = 0;
  for (guint index = 0;; index++)
    {
      ScenarioScript *script = parse_or_die (path);
      guint line = 0;
      if (!mutate_expectation (script, index, &line))
        {
          scenario_script_free (script);
          break;
        }
      GPtrArray *report = g_ptr_array_new_with_free_func (g_free);
      guint failed = run_script (script, NULL, report);
      const char *text = g_ptr_array_index (report, 0);
      g_autofree char *where = g_strdup_printf ("FAILED %s:%u: ", path, line);
      if (failed == 0 || strstr (text, where) == NULL)
        g_test_message ("changing the expectation on line %u did not fail it:\n%s", line, text);
      g_assert_cmpuint (failed, >, 0);
      g_assert_nonnull (strstr (text, where));
      g_assert_nonnull (strstr (text, " vs actual "));
      g_ptr_array_free (report, TRUE);
      scenario_script_free (script);
      mutated++;
    }
  g_assert_cmpuint (mutated, >, 0);
}

/* The plain TCP stories (one incarnation per four-tuple) must not produce
 * any verdict: a hazard reported there would be a false alarm. */
static void
test_clean_story_has_no_verdict (gconstpointer data)
{
  const char *path = data;
  ScenarioScript *script = parse_or_die (path);
  GPtrArray *report = g_ptr_array_new_with_free_func (g_free);
  run_script (script, NULL, report);
  const char *text = g_ptr_array_index (report, 0);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Verdicts:\n  No corruption: no application read bytes of another "
                                  "incarnation; no segment of an older incarnation reached a newer one.\n"
                                  "Expectations:"));
  g_ptr_array_free (report, TRUE);
  scenario_script_free (script);
}

static gboolean
is_clean_story (const char *rel)
{
  static const char *const dirs[] = { "handshake/", "data/", "close/", "loss/", "bench/" };
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (g_str_has_prefix (rel, dirs[i]))
      return TRUE;
  return FALSE;
}

/* A scenario may pin its seed only by saying why, on a comment line of the
 * form "# pin-seed: <reason>"; every other scenario must hold under every
 * seed, so that its story does not depend on a lucky draw. */
#define PIN_SEED_MARK "# pin-seed:"
#define SEEDS_TRIED 100

static gboolean
pins_its_seed (const char *path)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      while (*line == ' ' || *line == '\t')
        line++;
      if (g_str_has_prefix (line, PIN_SEED_MARK) && line[strlen (PIN_SEED_MARK)] != '\0')
        return TRUE;
    }
  return FALSE;
}

static void
test_holds_for_every_seed (gconstpointer data)
{
  const char *path = data;
  if (pins_its_seed (path))
    {
      g_test_skip ("the scenario pins its seed (" PIN_SEED_MARK " comment)");
      return;
    }
  ScenarioScript *script = parse_or_die (path);
  for (guint64 seed = 1; seed <= SEEDS_TRIED; seed++)
    {
      GPtrArray *report = g_ptr_array_new_with_free_func (g_free);
      guint failed = run_script_seeded (script, TRUE, seed, NULL, report);
      if (failed != 0)
        g_test_message ("--seed %" G_GUINT64_FORMAT ":\n%s", seed,
                        (const char *) g_ptr_array_index (report, 0));
      g_assert_cmpuint (failed, ==, 0);
      g_ptr_array_free (report, TRUE);
      if (failed != 0)
        break;
    }
  scenario_script_free (script);
}

/* How many scenarios pin their seed; printed, and bounded so that pinning
 * stays the exception. */
static void
test_count_pinned_seeds (gconstpointer data)
{
  const GPtrArray *paths = data;
  guint pinned = 0;
  for (guint i = 0; i < paths->len; i++)
    if (pins_its_seed (g_ptr_array_index (paths, i)))
      {
        g_test_message ("pins its seed: %s", (const char *) g_ptr_array_index (paths, i));
        pinned++;
      }
  g_test_message ("%u of %u scenarios pin their seed; the others hold for seeds 1 to %d",
                  pinned, paths->len, SEEDS_TRIED);
  g_assert_cmpuint (pinned * 10, <=, paths->len);
}

/* Citations a reader of the repository cannot follow: section numbers of
 * the background notes, the design guide and the seed documents, which
 * live outside it, and paths into the folder that holds them. Written as
 * patterns so that this file does not cite them itself. Returns the first
 * citation found (to be freed), or NULL. */
static char *
unfindable_citation (const char *text)
{
  static const char *const pattern =
    "\\bfacts [0-9]|\\bGUIDE [0-9]|\\.\\./sh[a]red|\\bseeds? 0[0-9]|\\[S";
  g_autoptr (GRegex) re = g_regex_new (pattern, G_REGEX_RAW, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  if (!g_regex_match (re, text, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 0);
}

static void
test_cites_findable_sources (gconstpointer data)
{
  const char *path = data;
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_autofree char *mark = unfindable_citation (text);
  if (mark != NULL)
    g_test_message ("%s cites \"%s...\", which is not in this repository", path, mark);
  g_assert_null (mark);
}

/* `twsim personalities` prints every source: the same rule. */
static void
test_personality_sources_findable (void)
{
  GString *out = g_string_new (NULL);
  personality_describe (out);
  g_autofree char *mark = unfindable_citation (out->str);
  if (mark != NULL)
    g_test_message ("the personality table cites \"%s...\"", mark);
  g_assert_null (mark);
  g_string_free (out, TRUE);
}

static void
test_same_seed_same_trace (gconstpointer data)
{
  const char *path = data;
  ScenarioScript *script = parse_or_die (path);
  GString *first = g_string_new (NULL), *second = g_string_new (NULL);
  run_script (script, first, NULL);
  run_script (script, second, NULL);
  g_assert_cmpuint (first->len, >, 0);
  g_assert_cmpuint (first->len, ==, second->len);
  g_assert_true (memcmp (first->str, second->str, first->len) == 0);
  g_string_free (first, TRUE);
  g_string_free (second, TRUE);
  scenario_script_free (script);
}

/* A flat object's members as sorted "key=value" strings. */
static GPtrArray *
sorted_members (const char *text, gsize len)
{
  TraceV1Line line;
  const char *why;
  guint column;
  g_assert_true (trace_v1_line_split (&line, text, len, &why, &column));
  GPtrArray *members = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < line.n; i++)
    g_ptr_array_add (members, g_strdup_printf ("%.*s=%.*s", (int) line.members[i].key_len,
                                               line.members[i].key, (int) line.members[i].value_len,
                                               line.members[i].value));
  g_ptr_array_sort (members, compare_names);
  return members;
}

/* Runs the script with the full events collected (when `full` is not
 * NULL) and the v1 trace written by the --trace writer, as `twsim run`
 * adds it, into `file` (its contents). */
static void
run_with_trace_file (const ScenarioScript *script, GString *full, GString *file)
{
  GError *error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("twsim-v1-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "t.jsonl", NULL);
  ScenarioRunner *r = scenario_runner_new (script, FALSE, 0, &error);
  g_assert_no_error (error);
  TraceJsonl *writer = trace_jsonl_open (path, &error);
  g_assert_no_error (error);
  SimTrace *trace = sim_engine_trace (scenario_runner_engine (r));
  if (full != NULL)
    sim_trace_add_sink (trace, collect_jsonl, full);
  sim_trace_add_sink_for (trace, trace_jsonl_sink, writer, NULL, trace_jsonl_wants_text);
  scenario_runner_run (r, SIM_TIME_NEVER, 5000000);
  g_assert_true (trace_jsonl_commit (writer, &error));
  scenario_runner_free (r);
  g_autofree char *contents = NULL;
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_string_assign (file, contents);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_trace_v1_gives_back_every_event (gconstpointer data)
{
  ScenarioScript *script = parse_or_die (data);
  g_autoptr (GString) full = g_string_new (NULL);
  g_autoptr (GString) narrated = g_string_new (NULL);
  g_autoptr (GString) file = g_string_new (NULL);
  /* Narrated (text formatted for the collector), then with the trace
   * alone (text left unformatted where the reader derives it): the same
   * file. */
  run_with_trace_file (script, full, narrated);
  run_with_trace_file (script, NULL, file);
  g_assert_cmpstr (file->str, ==, narrated->str);
  g_auto (GStrv) events = g_strsplit (full->str, "\n", -1);
  /* Far smaller than the full events, and read back whole. */
  g_assert_cmpuint (file->len * 2, <, full->len);
  g_auto (GStrv) lines = g_strsplit (file->str, "\n", -1);
  g_autofree char *why = NULL;
  guint column;
  g_assert_true (trace_v1_header (lines[0], strlen (lines[0]), &why, &column));
  g_autoptr (TraceV1) reader = trace_v1_new ();
  g_autoptr (GString) back = g_string_new (NULL);
  guint next = 0;
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_string_truncate (back, 0);
      gboolean ok = trace_v1_expand (reader, lines[i], strlen (lines[i]), back, &why, &column);
      if (!ok)
        g_test_message ("line %u: %s", i + 1, why);
      g_assert_true (ok);
      if (back->len == 0)
        continue;
      GPtrArray *want = sorted_members (events[next], strlen (events[next]));
      GPtrArray *got = sorted_members (back->str, back->len);
      g_assert_cmpuint (got->len, ==, want->len);
      for (guint m = 0; m < want->len && m < got->len; m++)
        g_assert_cmpstr (g_ptr_array_index (got, m), ==, g_ptr_array_index (want, m));
      g_ptr_array_free (want, TRUE);
      g_ptr_array_free (got, TRUE);
      next++;
    }
  g_assert_cmpstr (events[next], ==, "");
  scenario_script_free (script);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autofree char *dir = g_build_filename (root != NULL ? root : ".", "scenarios", NULL);
  GPtrArray *paths = find_scenarios (dir, g_ptr_array_new_with_free_func (g_free));
  g_assert_cmpuint (paths->len, >, 0);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      const char *rel = path + strlen (dir) + 1;
      g_autofree char *holds = g_strdup_printf ("/scenario/holds/%s", rel);
      g_autofree char *mutants = g_strdup_printf ("/scenario/each-expectation-can-fail/%s", rel);
      g_autofree char *determinism = g_strdup_printf ("/scenario/same-seed-same-trace/%s", rel);
      g_test_add_data_func (holds, path, test_scenario_holds);
      g_test_add_data_func (mutants, path, test_every_expectation_can_fail);
      g_test_add_data_func (determinism, path, test_same_seed_same_trace);
      g_autofree char *v1 = g_strdup_printf ("/scenario/trace-v1-gives-back-every-event/%s", rel);
      g_test_add_data_func (v1, path, test_trace_v1_gives_back_every_event);
      g_autofree char *cites = g_strdup_printf ("/scenario/cites-findable-sources/%s", rel);
      g_test_add_data_func (cites, path, test_cites_findable_sources);
      g_autofree char *seeds = g_strdup_printf ("/scenario/holds-for-seeds-1-to-100/%s", rel);
      g_test_add_data_func (seeds, path, test_holds_for_every_seed);
      if (is_clean_story (rel))
        {
          g_autofree char *clean = g_strdup_printf ("/scenario/no-false-verdict/%s", rel);
          g_test_add_data_func (clean, path, test_clean_story_has_no_verdict);
        }
    }
  g_test_add_data_func ("/scenario/pinned-seed-count", paths, test_count_pinned_seeds);
  g_test_add_func ("/scenario/personality-sources-findable", test_personality_sources_findable);
  int rc = g_test_run ();
  g_ptr_array_free (paths, TRUE);
  return rc;
}
