/* scenario-runner.c: setup, per-host programs and the schedule. */
#include "scenario-runner.h"

#include "host-settings.h"
#include "runner-internal.h"
#include "scenario-parser.h"

#include <string.h>

/* Connection ids as keys in the pointer itself: no allocation per state
 * change. (Ids count connections: they fit a pointer.) */
static gpointer
conn_key (guint64 conn_id)
{
  return GSIZE_TO_POINTER ((gsize) conn_id);
}

static void
track_state (const SimTraceEvent *ev, gpointer data)
{
  ScenarioRunner *r = data;
  if (strcmp (ev->kind, "tcp.state") != 0)
    return;
  const char *to = sim_trace_event_str (ev, "to");
  TcpState state;
  if (to == NULL || !tcp_state_from_name (to, &state))
    return;
  guint64 conn = (guint64) sim_trace_event_int (ev, "conn", 0);
  g_hash_table_insert (r->conn_states, conn_key (conn), GINT_TO_POINTER (state + 1));
}

TcpState
runner_conn_state (ScenarioRunner *r, guint64 conn_id)
{
  gpointer v = g_hash_table_lookup (r->conn_states, conn_key (conn_id));
  return v != NULL ? (TcpState) (GPOINTER_TO_INT (v) - 1) : TCP_STATE_CLOSED;
}

static void
program_free (gpointer p)
{
  HostProgram *prog = p;
  g_hash_table_destroy (prog->vars);
  g_queue_clear (&prog->lines);
  g_free (prog);
}

static HostProgram *
program_for (ScenarioRunner *r, const char *name)
{
  for (guint i = 0; i < r->programs->len; i++)
    {
      HostProgram *p = g_ptr_array_index (r->programs, i);
      if (strcmp (p->subject, name) == 0)
        return p;
    }
  return NULL;
}

static gboolean
add_hosts (ScenarioRunner *r, GError **error)
{
  for (guint i = 0; i < r->script->hosts->len; i++)
    {
      const ScenarioHost *sh = g_ptr_array_index (r->script->hosts, i);
      TcpConfig config;
      SockConfig sock;
      if (!host_settings_apply_host (sh->settings, &config, &sock, error))
        return FALSE;
      /* A scripted peer: its stack is never reached (network_deliver). */
      Host *host = network_add_host (r->network, sh->name, (const NetAddr *) (gpointer) sh->addrs->data,
                                     sh->addrs->len, &config);
      if (host == NULL)
        {
          scenario_set_error_at (error, &sh->loc, SCENARIO_ERROR_INVALID,
                                 "host '%s' cannot be added (name or address in use)", sh->name);
          return FALSE;
        }
      sock_configure (host, &sock);
      network_set_scripted (host, sh->scripted);
      HostProgram *prog = g_new0 (HostProgram, 1);
      prog->runner = r;
      prog->host = host;
      prog->subject = host_name (host);
      prog->vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_queue_init (&prog->lines);
      g_ptr_array_add (r->programs, prog);
    }
  /* `process NAME on HOST uid=N`: a program of its own, with its own
   * sockets and user. */
  for (guint i = 0; i < r->script->processes->len; i++)
    {
      const ScenarioProcess *sp = g_ptr_array_index (r->script->processes, i);
      HostProgram *prog = g_new0 (HostProgram, 1);
      prog->runner = r;
      prog->host = network_find_host (r->network, sp->host);
      g_assert (prog->host != NULL); /* the parser checked the name */
      prog->subject = sp->name;
      prog->uid = sp->uid;
      prog->pid = sock_process_new (prog->host, sp->name, sp->uid);
      prog->vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_queue_init (&prog->lines);
      g_ptr_array_add (r->programs, prog);
    }
  return TRUE;
}

static gboolean
add_links (ScenarioRunner *r, GError **error)
{
  for (guint i = 0; i < r->script->links->len; i++)
    {
      const ScenarioLink *sl = g_ptr_array_index (r->script->links, i);
      Host *from = network_find_host (r->network, sl->from);
      Host *to = network_find_host (r->network, sl->to);
      g_assert (from != NULL && to != NULL); /* the parser checked the names */
      Link *link = network_link (r->network, from, to);
      if (!link_settings_apply (sl->settings, link_direction_from (link, from), error))
        return FALSE;
      if (sl->both_directions && !link_settings_apply (sl->settings, link_direction_from (link, to), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
script_has_link (const ScenarioScript *script, const char *a, const char *b)
{
  for (guint i = 0; i < script->links->len; i++)
    {
      const ScenarioLink *l = g_ptr_array_index (script->links, i);
      if ((strcmp (l->from, a) == 0 && strcmp (l->to, b) == 0)
          || (strcmp (l->from, b) == 0 && strcmp (l->to, a) == 0))
        return TRUE;
    }
  return FALSE;
}

/* An expectation at time T looks at the state after everything else that
 * happens at T. */
static void
expect_at_end_of_instant (gpointer data)
{
  ScheduledStep *s = data;
  runner_check_expect (s->runner, s->program, s->step);
}

gboolean
runner_hold_if_blocked (ScenarioRunner *r, ScheduledStep *s)
{
  if (!r->script->sequential || r->blocking == NULL || s->index <= r->blocking->index)
    return FALSE;
  s->held = TRUE;
  return TRUE;
}

static void
step_due (gpointer data)
{
  ScheduledStep *s = data;
  if (runner_hold_if_blocked (s->runner, s))
    return;
  switch (s->step->kind)
    {
    case SCENARIO_STEP_CALLS:
      s->due = TRUE;
      program_poke (s->program);
      break;
    case SCENARIO_STEP_FAULT:
      runner_arm_fault (s->runner, s->step);
      break;
    case SCENARIO_STEP_EXPECT_STATE:
    case SCENARIO_STEP_EXPECT_READ:
    case SCENARIO_STEP_EXPECT_VERDICT:
      sim_engine_at_end_of_instant (s->runner->engine, expect_at_end_of_instant, s);
      break;
    case SCENARIO_STEP_CRASH:
      runner_crash_host (s->runner, s->step);
      break;
    case SCENARIO_STEP_REBOOT:
      runner_reboot_host (s->runner, s->step);
      break;
    case SCENARIO_STEP_INJECT:
      runner_inject (s->runner, s->step);
      break;
    case SCENARIO_STEP_EXPECT_SEGMENT:
      /* Checked as the host sends (runner-segments.c); in a sequential
       * script the lines after it wait until it is resolved. */
      if (s->runner->script->sequential && !s->resolved)
        s->runner->blocking = s;
      break;
    }
  s->done = TRUE;
}

/* `TIME end`: stop once every event and expectation of that instant has
 * run (this item is queued after the expectations' own). */
static void
end_of_script (gpointer data)
{
  ScenarioRunner *r = data;
  r->ended = TRUE;
  sim_engine_stop (r->engine);
}

static void
end_due (gpointer data)
{
  ScenarioRunner *r = data;
  sim_engine_at_end_of_instant (r->engine, end_of_script, r);
}

static gboolean
schedule_steps (ScenarioRunner *r, GError **error)
{
  for (guint i = 0; i < r->script->steps->len; i++)
    {
      const ScenarioStep *step = g_ptr_array_index (r->script->steps, i);
      ScheduledStep *s = g_new0 (ScheduledStep, 1);
      s->runner = r;
      s->step = step;
      if (step->kind == SCENARIO_STEP_EXPECT_READ)
        r->keeps_reads = TRUE;
      s->index = i;
      s->time = step->time;
      s->time_lo = step->time_lo;
      s->time_hi = step->time_hi;
      if (step->kind == SCENARIO_STEP_FAULT)
        {
          Host *from = network_find_host (r->network, step->from);
          Host *to = network_find_host (r->network, step->to);
          if (from == NULL || to == NULL || !script_has_link (r->script, step->from, step->to))
            {
              g_free (s);
              scenario_set_error_at (error, &step->loc, SCENARIO_ERROR_INVALID,
                                     "no link between '%s' and '%s' to put a fault on",
                                     step->from, step->to);
              return FALSE;
            }
        }
      else if (step->kind == SCENARIO_STEP_EXPECT_VERDICT && step->host == NULL)
        r->expectations++;
      else if (step->kind == SCENARIO_STEP_INJECT)
        g_assert (network_find_host (r->network, step->host) != NULL); /* the parser checked */
      else if (step->kind == SCENARIO_STEP_EXPECT_SEGMENT)
        runner_segments_add (r, s);
      else if (step->kind == SCENARIO_STEP_CRASH || step->kind == SCENARIO_STEP_REBOOT)
        g_assert (network_find_host (r->network, step->host) != NULL); /* the parser checked */
      else
        {
          s->program = program_for (r, step->host);
          g_assert (s->program != NULL);
          if (step->kind == SCENARIO_STEP_CALLS)
            g_queue_push_tail (&s->program->lines, s);
          else
            r->expectations++;
        }
      if (step->kind == SCENARIO_STEP_CALLS)
        for (guint c = 0; c < step->n_calls; c++)
          r->expectations += (&step->calls[c])->has_expect ? 1 : 0;
      g_ptr_array_add (r->scheduled, s);
      s->event = sim_engine_schedule_at (r->engine, step->time, step_due, s);
    }
  /* Scheduled after every step, so it runs after those of its instant. */
  if (r->script->has_end)
    sim_engine_schedule_at (r->engine, r->script->end_time, end_due, r);
  return TRUE;
}

ScenarioRunner *
scenario_runner_new (const ScenarioScript *script, gboolean seed_given, guint64 seed, GError **error)
{
  ScenarioRunner *r = g_new0 (ScenarioRunner, 1);
  r->script = script;
  r->seed = seed_given ? seed : script->has_seed ? script->seed : 1;
  r->engine = sim_engine_new (r->seed);
  r->network = network_new (r->engine);
  r->programs = g_ptr_array_new_with_free_func (program_free);
  r->scheduled = g_ptr_array_new_with_free_func (g_free);
  r->failures = g_ptr_array_new_with_free_func (g_free);
  r->conn_states = g_hash_table_new (g_direct_hash, g_direct_equal);
  r->conn_views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_destroy);
  r->ts_map = g_hash_table_new (g_direct_hash, g_direct_equal);
  r->bytes_read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_byte_array_unref);
  static const char *const state_kinds[] = { "tcp.state", NULL };
  sim_trace_add_sink_for (sim_engine_trace (r->engine), track_state, r, state_kinds, NULL);
  r->verdicts = verdicts_new (r->engine);
  runner_segments_init (r);
  if (!add_hosts (r, error) || !add_links (r, error) || !schedule_steps (r, error))
    {
      scenario_runner_free (r);
      return NULL;
    }
  return r;
}

void
scenario_runner_free (ScenarioRunner *r)
{
  if (r == NULL)
    return;
  network_free (r->network);
  sim_engine_free (r->engine);
  verdicts_free (r->verdicts);
  g_ptr_array_free (r->programs, TRUE);
  g_ptr_array_free (r->scheduled, TRUE);
  g_ptr_array_free (r->failures, TRUE);
  if (r->failure_details != NULL)
    g_ptr_array_free (r->failure_details, TRUE);
  if (r->segment_queues != NULL)
    g_hash_table_destroy (r->segment_queues);
  g_hash_table_destroy (r->conn_views);
  g_hash_table_destroy (r->ts_map);
  g_hash_table_destroy (r->conn_states);
  g_hash_table_destroy (r->bytes_read);
  g_free (r);
}

SimEngine *
scenario_runner_engine (ScenarioRunner *r)
{
  return r->engine;
}

Network *
scenario_runner_network (ScenarioRunner *r)
{
  return r->network;
}

Verdicts *
scenario_runner_verdicts (ScenarioRunner *r)
{
  return r->verdicts;
}

guint64
scenario_runner_seed (ScenarioRunner *r)
{
  return r->seed;
}

SimRunOutcome
scenario_runner_run (ScenarioRunner *r, SimTime until, guint64 max_events)
{
  return sim_engine_run (r->engine, until, max_events);
}

SimTime
scenario_runner_last_step_time (ScenarioRunner *r)
{
  SimTime last = 0;
  for (guint i = 0; i < r->scheduled->len; i++)
    {
      const ScheduledStep *s = g_ptr_array_index (r->scheduled, i);
      last = MAX (last, s->time);
      if (s->step->kind == SCENARIO_STEP_EXPECT_SEGMENT && s->time_hi < G_MAXINT64 / 4)
        last = MAX (last, s->time_hi);
    }
  return last;
}

guint
scenario_runner_checked (ScenarioRunner *r)
{
  return r->checked;
}

guint
scenario_runner_failures (ScenarioRunner *r)
{
  return r->failures->len;
}

/* packetdrill run.c adjust_relative_event_times: a relative time counts
 * from when the previous event happened. A `>` line's packet may come at
 * another time than the line's own (a range, `*`, the tolerance); the
 * relative-timed lines after it, up to the first absolute one, move by as
 * much. Lines already run stay. */
void
runner_shift_after (ScenarioRunner *r, ScheduledStep *s, SimTime delta)
{
  SimTime now = sim_engine_now (r->engine);
  s->resolved = TRUE;
  if (r->blocking == s)
    r->blocking = NULL;
  gboolean chain = TRUE; /* relative times still count from s */
  for (guint j = s->index + 1; j < r->scheduled->len; j++)
    {
      ScheduledStep *n = g_ptr_array_index (r->scheduled, j);
      chain = chain && n->step->time_relative;
      gboolean pending = sim_engine_is_pending (r->engine, n->event);
      if (!n->held && !(pending && chain && delta != 0))
        {
          if (n->deadline_held)
            runner_segments_move_deadline (r, n);
          continue;
        }
      if (pending)
        sim_engine_cancel (r->engine, n->event);
      n->held = FALSE;
      n->time = MAX (chain ? n->time + delta : n->time, now);
      n->event = sim_engine_schedule_at (r->engine, n->time, step_due, n);
      if (n->step->kind == SCENARIO_STEP_EXPECT_SEGMENT && n->time_hi < G_MAXINT64 / 4 && chain)
        {
          n->time_lo = MAX (n->time_lo + delta, 0);
          n->time_hi = n->time_hi + delta;
        }
      runner_segments_move_deadline (r, n);
    }
}
