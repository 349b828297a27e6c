/* runner-checks.c: expectations, faults and the closing report. */
#include "runner-internal.h"

#include "sim-text.h"

#include <string.h>

GByteArray *
runner_bytes_read (ScenarioRunner *r, Host *host, guint64 sock_id)
{
  g_autofree char *key = g_strdup_printf ("%s/%" G_GUINT64_FORMAT, host_name (host), sock_id);
  GByteArray *bytes = g_hash_table_lookup (r->bytes_read, key);
  if (bytes == NULL)
    {
      bytes = g_byte_array_new ();
      g_hash_table_insert (r->bytes_read, g_steal_pointer (&key), bytes);
    }
  return bytes;
}

gboolean
runner_check_traced (ScenarioRunner *r)
{
  return sim_trace_reads_fields (sim_engine_trace (r->engine), "scenario.check");
}

/* what, expected and actual may be NULL for a check that held when
 * runner_check_traced is FALSE. */
void
runner_record_check (ScenarioRunner *r, const ScenarioLoc *loc, const char *host, gboolean ok,
                     const char *what, const char *expected, const char *actual)
{
  runner_record_check_detail (r, loc, host, ok, what, expected, actual, NULL);
}

static void
failure_free (gpointer p)
{
  RunnerFailure *f = p;
  g_free (f->what);
  g_free (f->expected);
  g_free (f->actual);
  g_free (f->detail);
  g_free (f);
}

const RunnerFailure *
scenario_runner_failure (ScenarioRunner *r, guint i)
{
  return r->failure_details != NULL && i < r->failure_details->len
             ? g_ptr_array_index (r->failure_details, i) : NULL;
}

static void
check_text (SimTraceEvent *ev, const ScenarioLoc *loc, gboolean ok, const char *what,
            const char *expected, const char *actual)
{
  if (ok)
    {
      /* The narration already showed the full value (a verdict, the bytes
       * read); the check line only confirms it. The JSON keeps it whole. */
      glong shown = g_utf8_strlen (actual, -1);
      if (shown > 60)
        {
          g_autofree char *head = g_utf8_substring (actual, 0, 57);
          sim_trace_text (ev, "line %u: %s = %s..., as expected", loc->line, what, head);
        }
      else
        sim_trace_text (ev, "line %u: %s = %s, as expected", loc->line, what, actual);
    }
  else
    sim_trace_text (ev, "line %u: EXPECTATION FAILED: %s: expected %s vs actual %s",
                    loc->line, what, expected, actual);
}

void
runner_record_check_detail (ScenarioRunner *r, const ScenarioLoc *loc, const char *host,
                            gboolean ok, const char *what, const char *expected,
                            const char *actual, const char *detail)
{
  r->checked++;
  if (!ok)
    {
      g_ptr_array_add (r->failures, g_strdup_printf ("%s:%u: %s: expected %s vs actual %s",
                                                     loc->file, loc->line, what, expected, actual));
      if (r->failure_details == NULL)
        r->failure_details = g_ptr_array_new_with_free_func (failure_free);
      RunnerFailure *f = g_new0 (RunnerFailure, 1);
      f->loc = *loc;
      f->what = g_strdup (what);
      f->expected = g_strdup (expected);
      f->actual = g_strdup (actual);
      f->detail = g_strdup (detail);
      g_ptr_array_add (r->failure_details, f);
    }
  SimTrace *trace = sim_engine_trace (r->engine);
  if (!sim_trace_wants (trace, "scenario.check"))
    return;
  SimTraceEvent *ev = sim_trace_begin (trace, sim_engine_now (r->engine), "scenario.check", host);
  sim_trace_field_int (ev, "line", loc->line);
  sim_trace_field_bool (ev, "ok", ok);
  sim_trace_field_str (ev, "what", what);
  sim_trace_field_str (ev, "expected", expected);
  sim_trace_field_str (ev, "actual", actual);
  /* what, expected and actual may be NULL when no sink reads the text
   * (runner_check_traced). */
  if (sim_trace_needs_text (ev))
    check_text (ev, loc, ok, what, expected, actual);
  sim_trace_publish (trace, ev);
}

static VarBinding *
binding_for (HostProgram *prog, const char *var)
{
  return g_hash_table_lookup (prog->vars, var);
}

static void
check_state (ScenarioRunner *r, HostProgram *prog, const ScenarioStep *step)
{
  VarBinding *b = binding_for (prog, step->var);
  guint64 conn = b != NULL && b->sock_id != 0 ? sock_conn_id (prog->host, b->sock_id) : 0;
  const char *actual = tcp_state_name (conn != 0 ? runner_conn_state (r, conn) : TCP_STATE_CLOSED);
  g_autofree char *what = g_strdup_printf ("state of %s", step->var);
  runner_record_check (r, &step->loc, host_name (prog->host), strcmp (actual, step->state) == 0,
                       what, step->state, actual);
}

static void
check_read (ScenarioRunner *r, HostProgram *prog, const ScenarioStep *step)
{
  VarBinding *b = binding_for (prog, step->var);
  GByteArray *got = b != NULL && b->sock_id != 0 ? runner_bytes_read (r, prog->host, b->sock_id) : NULL;
  gsize want_len;
  const guint8 *want = g_bytes_get_data (step->expect_bytes, &want_len);
  gboolean ok = got != NULL && got->len == want_len
                && (want_len == 0 || memcmp (got->data, want, want_len) == 0);
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GString) actual = g_string_new (NULL);
  sim_text_append_quoted (expected, want, want_len);
  if (got != NULL)
    sim_text_append_quoted (actual, got->data, got->len);
  else
    g_string_append (actual, "\"\"");
  g_autofree char *what = g_strdup_printf ("bytes read from %s", step->var);
  runner_record_check (r, &step->loc, host_name (prog->host), ok, what, expected->str, actual->str);
}

/* `expect [no] corruption [HOST VAR]`, `expect [no] hazard NAME`: against
 * the verdicts found up to this instant. */
static void
check_verdict (ScenarioRunner *r, HostProgram *prog, const ScenarioStep *step)
{
  const char *host = NULL;
  guint64 sock_id = 0;
  g_autofree char *what = NULL;
  if (prog != NULL && step->var != NULL)
    {
      VarBinding *b = binding_for (prog, step->var);
      host = host_name (prog->host);
      sock_id = b != NULL ? b->sock_id : G_MAXUINT64;
      what = g_strdup_printf ("corruption read from %s", step->var);
    }
  else if (step->verdict == SCENARIO_VERDICT_CORRUPTION)
    what = g_strdup ("corruption");
  else
    what = g_strdup_printf ("hazard %s", scenario_verdict_kind_to_string (step->verdict));
  guint n = verdicts_count (r->verdicts, step->verdict, host, sock_id);
  const char *first = verdicts_first_text (r->verdicts, step->verdict, host, sock_id);
  gboolean ok = step->negated ? n == 0 : n > 0;
  g_autofree char *actual = n == 0 ? g_strdup ("none") : g_strdup_printf ("%u (%s)", n, first);
  runner_record_check (r, &step->loc, host, ok, what, step->negated ? "none" : "at least one",
                       actual);
}

void
runner_check_expect (ScenarioRunner *r, HostProgram *prog, const ScenarioStep *step)
{
  switch (step->kind)
    {
    case SCENARIO_STEP_EXPECT_STATE:
      check_state (r, prog, step);
      break;
    case SCENARIO_STEP_EXPECT_READ:
      check_read (r, prog, step);
      break;
    case SCENARIO_STEP_EXPECT_VERDICT:
      check_verdict (r, prog, step);
      break;
    case SCENARIO_STEP_CALLS:
    case SCENARIO_STEP_FAULT:
    case SCENARIO_STEP_CRASH:
    case SCENARIO_STEP_REBOOT:
    case SCENARIO_STEP_INJECT:
    case SCENARIO_STEP_EXPECT_SEGMENT:
      g_assert_not_reached ();
    }
}

void
runner_arm_fault (ScenarioRunner *r, const ScenarioStep *step)
{
  Host *from = network_find_host (r->network, step->from);
  Host *to = network_find_host (r->network, step->to);
  Link *link = network_link (r->network, from, to);
  g_autofree char *origin = g_strdup_printf ("%s:%u", step->loc.file, step->loc.line);
  LinkFault fault = { LINK_FAULT_DROP, step->flags, step->needs_data, origin };
  fault.has_seq = step->has_seq;
  fault.seq_lo = step->seq_lo;
  fault.seq_hi = step->seq_hi;
  fault.payload = step->payload;
  fault.nth = step->nth;
  fault.copies = step->copies;
  fault.delay = step->fault_delay;
  fault.until = step->hold_until;
  switch (step->action)
    {
    case SCENARIO_FAULT_DROP:
      fault.action = LINK_FAULT_DROP;
      break;
    case SCENARIO_FAULT_DUPLICATE:
      fault.action = LINK_FAULT_DUPLICATE;
      break;
    case SCENARIO_FAULT_DELAY:
      fault.action = LINK_FAULT_DELAY;
      break;
    case SCENARIO_FAULT_HOLD:
      fault.action = LINK_FAULT_HOLD;
      break;
    }
  link_direction_add_fault (link_direction_from (link, from), &fault);
}

static void
report_unfinished (ScenarioRunner *r, GString *out, guint *missing)
{
  for (guint i = 0; i < r->programs->len; i++)
    {
      HostProgram *prog = g_ptr_array_index (r->programs, i);
      g_autofree char *blocked = program_describe_blocked (prog);
      if (blocked != NULL)
        g_string_append_printf (out, "  note: %s\n", blocked);
    }
  *missing = r->expectations > r->checked ? r->expectations - r->checked : 0;
}

void
scenario_runner_report (ScenarioRunner *r, SimRunOutcome outcome, GString *out)
{
  static const char *const outcomes[] = {
    [SIM_RUN_IDLE] = "nothing left to happen",
    [SIM_RUN_TIME_LIMIT] = "time limit reached",
    [SIM_RUN_EVENT_CAP] = "event cap reached",
    [SIM_RUN_STOPPED] = "stopped",
  };
  g_autofree char *now = sim_time_format (sim_engine_now (r->engine));
  g_autofree char *ended = r->ended && outcome == SIM_RUN_STOPPED
                               ? g_strdup_printf ("'end' on line %u", r->script->end_loc.line)
                               : NULL;
  g_string_append_printf (out, "End of run at %s (%s), %" G_GUINT64_FORMAT " events, seed %" G_GUINT64_FORMAT ".\n",
                          now, ended != NULL ? ended : outcomes[outcome],
                          sim_engine_events_run (r->engine), r->seed);
  guint missing = 0;
  report_unfinished (r, out, &missing);
  verdicts_report (r->verdicts, out);
  guint held = r->checked - r->failures->len;
  g_string_append_printf (out, "Expectations: %u checked, %u held, %u failed", r->checked, held,
                          r->failures->len);
  if (missing > 0)
    g_string_append_printf (out, ", %u never checked (the run ended first)", missing);
  g_string_append (out, ".\n");
  for (guint i = 0; i < r->failures->len; i++)
    g_string_append_printf (out, "FAILED %s\n", (const char *) g_ptr_array_index (r->failures, i));
}

gboolean
scenario_runner_all_held (ScenarioRunner *r)
{
  return r->failures->len == 0 && r->checked >= r->expectations;
}
