/* pkt-run.c: a .pkt script run to its end, its first failure in
 * packetdrill's words, and the table of a folder under several
 * personalities. */
#include "pkt-run.h"

#include <string.h>

SimTime
pkt_script_end (const ScenarioScript *script)
{
  SimTime end = 0;
  for (guint i = 0; i < script->steps->len; i++)
    {
      const ScenarioStep *st = g_ptr_array_index (script->steps, i);
      end = MAX (end, st->time);
      if (st->kind == SCENARIO_STEP_EXPECT_SEGMENT && st->time_hi < G_MAXINT64 / 4)
        end = MAX (end, st->time_hi);
      /* packetdrill waits for a blocking call to return at its END. */
      for (guint c = 0; st->kind == SCENARIO_STEP_CALLS && c < st->n_calls; c++)
        {
          const ScenarioCall *call = &st->calls[c];
          if (call->has_return_window)
            end = MAX (end, call->return_hi);
        }
    }
  return end;
}

static void
format_failure (const RunnerFailure *f, GString *out)
{
  if (f->detail != NULL && strcmp (f->what, "system call return time") == 0)
    g_string_append_printf (out, "%s:%u: %s\n", f->loc.file, f->loc.line, f->detail);
  else if (f->detail != NULL)
    {
      /* run_packet.c's wording: the error, then both packets. */
      g_string_append_printf (out, "%s:%u: error handling packet: %s\n", f->loc.file, f->loc.line,
                              f->detail);
      g_string_append_printf (out, "script packet: %s\n", f->expected);
      g_string_append_printf (out, "actual packet: %s\n", f->actual);
    }
  else if (g_str_has_suffix (f->what, "()"))
    g_string_append_printf (out, "%s:%u: runtime error in %.*s call: Expected result %s but got %s\n",
                            f->loc.file, f->loc.line, (int) strlen (f->what) - 2, f->what,
                            f->expected, f->actual);
  else
    g_string_append_printf (out, "%s:%u: %s: expected %s vs actual %s\n", f->loc.file,
                            f->loc.line, f->what, f->expected, f->actual);
}

int
pkt_run_loaded (ScenarioRunner *runner, const ScenarioScript *script, GString *message)
{
  /* The script ends with its last line; lines move when a `>` packet comes
   * at another time than its line's (runner_shift_after), so the end is
   * looked at again whenever the run reaches it. */
  SimTime end = pkt_script_end (script);
  SimRunOutcome outcome;
  for (;;)
    {
      outcome = scenario_runner_run (runner, end, 5000000);
      SimTime moved = scenario_runner_last_step_time (runner);
      if (outcome != SIM_RUN_TIME_LIMIT || moved <= end)
        break;
      end = moved;
    }
  const RunnerFailure *f = scenario_runner_failure (runner, 0);
  if (f != NULL)
    {
      format_failure (f, message);
      return 1;
    }
  if (!scenario_runner_all_held (runner))
    {
      /* A call still blocked when the script ended: the report says which. */
      g_autoptr (GString) report = g_string_new (NULL);
      scenario_runner_report (runner, outcome, report);
      g_auto (GStrv) lines = g_strsplit (report->str, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (g_str_has_prefix (lines[i], "  note: "))
          g_string_append_printf (message, "%s\n", lines[i] + 8);
      if (message->len == 0)
        g_string_append_printf (message, "%s: an expectation was never checked\n", script->path);
      return 1;
    }
  return 0;
}

int
pkt_run_file (const char *path, const PktOptions *opts, GString *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScenarioScript) script = pkt_read_file (path, opts, &error);
  if (script == NULL)
    {
      g_string_append_printf (message, "%s\n", error->message);
      return 2;
    }
  ScenarioRunner *runner = scenario_runner_new (script, FALSE, 0, &error);
  if (runner == NULL)
    {
      g_string_append_printf (message, "%s\n", error->message);
      return 2;
    }
  int status = pkt_run_loaded (runner, script, message);
  scenario_runner_free (runner);
  return status;
}

/* "FAIL line 12: live packet field tcp_seq: ..." from a message. */
static char *
table_cell (int status, const char *message)
{
  if (status == 0)
    return g_strdup ("pass");
  g_auto (GStrv) lines = g_strsplit (message, "\n", 2);
  const char *first = lines[0] != NULL ? lines[0] : "";
  /* skip "path:" */
  const char *rest = strstr (first, ".pkt:");
  rest = rest != NULL ? rest + 5 : first;
  GString *cell = g_string_new (status == 2 ? "error line " : "FAIL line ");
  for (const char *c = rest; *c != '\0'; c++)
    {
      if (*c == '|')
        g_string_append (cell, "\\|");
      else if (cell->len < 160)
        g_string_append_c (cell, *c);
    }
  return g_string_free (cell, FALSE);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

gboolean
pkt_table (const char *dir, const char *const *personalities, const PktOptions *opts,
           GString *out, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return FALSE;
  /* DIR/NAME.pkt and DIR/SUB/NAME.pkt (a suite in folders), named from DIR. */
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *sub = g_build_filename (dir, name, NULL);
      if (g_str_has_suffix (name, ".pkt"))
        g_ptr_array_add (names, g_strdup (name));
      else if (g_file_test (sub, G_FILE_TEST_IS_DIR))
        {
          g_autoptr (GDir) sd = g_dir_open (sub, 0, NULL);
          const char *inner;
          while (sd != NULL && (inner = g_dir_read_name (sd)) != NULL)
            if (g_str_has_suffix (inner, ".pkt"))
              g_ptr_array_add (names, g_strdup_printf ("%s/%s", name, inner));
        }
    }
  g_ptr_array_sort (names, compare_names);
  g_string_append (out, "| script |");
  for (guint p = 0; personalities[p] != NULL; p++)
    g_string_append_printf (out, " %s |", personalities[p]);
  g_string_append (out, "\n|---|");
  for (guint p = 0; personalities[p] != NULL; p++)
    g_string_append (out, "---|");
  g_string_append_c (out, '\n');
  guint n_personalities = g_strv_length ((char **) personalities);
  g_autofree guint *passed = g_new0 (guint, n_personalities + 1);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_string_append_printf (out, "| %s |", file);
      for (guint p = 0; personalities[p] != NULL; p++)
        {
          PktOptions o = *opts;
          o.personality = personalities[p];
          g_autoptr (GString) message = g_string_new (NULL);
          int status = pkt_run_file (path, &o, message);
          passed[p] += status == 0 ? 1 : 0;
          g_autofree char *cell = table_cell (status, message->str);
          g_string_append_printf (out, " %s |", cell);
        }
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "| **passed** |");
  for (guint p = 0; p < n_personalities; p++)
    g_string_append_printf (out, " %u/%u |", passed[p], names->len);
  g_string_append_c (out, '\n');
  return TRUE;
}
