/* test-sim-engine.c: the clock, run limits, accounting, random streams and
 * the trace bus. */
#include "sim-engine.h"
#include "sim-kind-map.h"

typedef struct {
  SimEngine *engine;
  GArray *times; /* SimTime at which each callback ran */
} Recorder;

static void
note_time (gpointer data)
{
  Recorder *r = data;
  SimTime now = sim_engine_now (r->engine);
  g_array_append_val (r->times, now);
}

static Recorder *
recorder_new (guint64 seed)
{
  Recorder *r = g_new0 (Recorder, 1);
  r->engine = sim_engine_new (seed);
  r->times = g_array_new (FALSE, FALSE, sizeof (SimTime));
  return r;
}

static void
recorder_free (Recorder *r)
{
  sim_engine_free (r->engine);
  g_array_free (r->times, TRUE);
  g_free (r);
}

static void
test_run_until_time (void)
{
  g_test_summary ("run(until) executes events up to and including `until`, then the clock stands at `until`.");
  Recorder *r = recorder_new (1);
  sim_engine_schedule_at (r->engine, 10, note_time, r);
  sim_engine_schedule_at (r->engine, 20, note_time, r);
  sim_engine_schedule_at (r->engine, 30, note_time, r);
  g_assert_cmpint (sim_engine_run (r->engine, 20, 0), ==, SIM_RUN_TIME_LIMIT);
  g_assert_cmpuint (r->times->len, ==, 2);
  g_assert_cmpint (sim_engine_now (r->engine), ==, 20);
  g_assert_cmpint (sim_engine_run (r->engine, SIM_TIME_NEVER, 0), ==, SIM_RUN_IDLE);
  g_assert_cmpint (sim_engine_now (r->engine), ==, 30);
  recorder_free (r);
}

static void
test_run_event_cap (void)
{
  g_test_summary ("run(max_events) stops after exactly that many events.");
  Recorder *r = recorder_new (1);
  for (int i = 0; i < 5; i++)
    sim_engine_schedule_after (r->engine, i, note_time, r);
  g_assert_cmpint (sim_engine_run (r->engine, SIM_TIME_NEVER, 3), ==, SIM_RUN_EVENT_CAP);
  g_assert_cmpuint (r->times->len, ==, 3);
  g_assert_cmpuint (sim_engine_events_pending (r->engine), ==, 2);
  recorder_free (r);
}

static void
test_accounting (void)
{
  g_test_summary ("Every scheduled event is run, cancelled or still pending.");
  Recorder *r = recorder_new (1);
  SimEventId ids[6];
  for (int i = 0; i < 6; i++)
    ids[i] = sim_engine_schedule_after (r->engine, 10 * i, note_time, r);
  sim_engine_cancel (r->engine, ids[1]);
  sim_engine_cancel_clear (r->engine, &ids[4]);
  g_assert_cmpuint (ids[4].slot, ==, 0);
  sim_engine_run (r->engine, 25, 0);
  g_assert_cmpuint (sim_engine_events_scheduled (r->engine), ==,
                    sim_engine_events_run (r->engine) + sim_engine_events_cancelled (r->engine)
                        + sim_engine_events_pending (r->engine));
  g_assert_cmpint (sim_engine_time_of (r->engine, ids[5]), ==, 50);
  g_assert_false (sim_engine_is_pending (r->engine, ids[0]));
  recorder_free (r);
}

typedef struct {
  SimEngine *engine;
  int depth;
} Chain;

static void
chain_step (gpointer data)
{
  Chain *c = data;
  if (++c->depth < 100)
    sim_engine_schedule_after (c->engine, 0, chain_step, c);
}

static void
test_zero_delay_runs_at_same_time (void)
{
  g_test_summary ("An event may schedule another at delay 0; time does not move.");
  Chain c = { sim_engine_new (1), 0 };
  sim_engine_schedule_at (c.engine, 7, chain_step, &c);
  sim_engine_run (c.engine, SIM_TIME_NEVER, 0);
  g_assert_cmpint (c.depth, ==, 100);
  g_assert_cmpint (sim_engine_now (c.engine), ==, 7);
  sim_engine_free (c.engine);
}

static void
nothing (gpointer data)
{
}

static void
test_negative_delay_asserts (void)
{
  g_test_summary ("A negative delay is a programming error and aborts (ns-3 'Negative delay').");
  if (g_test_subprocess ())
    {
      SimEngine *e = sim_engine_new (1);
      sim_engine_schedule_after (e, -1, nothing, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
}

static void
test_time_never_runs_backwards (void)
{
  g_test_summary ("Scheduling before the current time aborts: time never runs backwards.");
  if (g_test_subprocess ())
    {
      SimEngine *e = sim_engine_new (1);
      sim_engine_schedule_at (e, 100, nothing, NULL);
      sim_engine_run (e, SIM_TIME_NEVER, 0);
      sim_engine_schedule_at (e, 99, nothing, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
}

static void
test_rng_streams_are_independent (void)
{
  g_test_summary ("Each purpose has its own stream: drawing from one never shifts another.");
  SimEngine *a = sim_engine_new (7), *b = sim_engine_new (7);
  guint64 x1 = sim_rng_next_u64 (sim_engine_rng (a, "link:client->server"));
  for (int i = 0; i < 10; i++)
    sim_rng_next_u64 (sim_engine_rng (b, "isn:server"));
  guint64 x2 = sim_rng_next_u64 (sim_engine_rng (b, "link:client->server"));
  g_assert_cmpuint (x1, ==, x2);
  g_assert_true (sim_engine_rng (a, "isn:server") != sim_engine_rng (a, "link:client->server"));
  sim_engine_free (a);
  sim_engine_free (b);
}

static void
test_rng_depends_on_seed (void)
{
  g_test_summary ("The same seed gives the same draws; another seed gives others.");
  SimRng *a = sim_rng_new (7, "loss"), *b = sim_rng_new (7, "loss"), *c = sim_rng_new (8, "loss");
  gboolean differs = FALSE;
  for (int i = 0; i < 16; i++)
    {
      guint64 va = sim_rng_next_u64 (a), vb = sim_rng_next_u64 (b), vc = sim_rng_next_u64 (c);
      g_assert_cmpuint (va, ==, vb);
      differs |= va != vc;
    }
  g_assert_true (differs);
  for (int i = 0; i < 1000; i++)
    {
      g_assert_cmpuint (sim_rng_below (a, 10), <, 10);
      double u = sim_rng_uniform (a);
      g_assert_true (u >= 0.0 && u < 1.0);
    }
  sim_rng_free (a);
  sim_rng_free (b);
  sim_rng_free (c);
}

static void
test_rng_normal_is_standard (void)
{
  g_test_summary ("Normal draws (integers only, Irwin-Hall) have mean 0 and variance 1 and stay in [-6, 6).");
  SimRng *rng = sim_rng_new (3, "jitter");
  double sum = 0, sum_sq = 0;
  const int n = 100000;
  for (int i = 0; i < n; i++)
    {
      double x = sim_rng_normal (rng);
      g_assert_true (x >= -6.0 && x < 6.0);
      sum += x;
      sum_sq += x * x;
    }
  double mean = sum / n, variance = sum_sq / n - mean * mean;
  g_assert_cmpfloat_with_epsilon (mean, 0.0, 0.02);
  g_assert_cmpfloat_with_epsilon (variance, 1.0, 0.03);
  sim_rng_free (rng);
}

static void
collect (const SimTraceEvent *ev, gpointer data)
{
  g_string_append_printf (data, "%" G_GUINT64_FORMAT ":%s:%s:%" G_GINT64_FORMAT ";",
                          ev->index, ev->kind, ev->text->str,
                          sim_trace_event_int (ev, "n", -1));
}

static void
test_trace_bus_delivers_in_order (void)
{
  g_test_summary ("The trace bus hands every event to every sink, in publication order.");
  SimTrace *t = sim_trace_new ();
  g_assert_false (sim_trace_active (t));
  GString *one = g_string_new (NULL), *two = g_string_new (NULL);
  sim_trace_add_sink (t, collect, one);
  sim_trace_add_sink (t, collect, two);
  for (int i = 0; i < 3; i++)
    {
      SimTraceEvent *ev = sim_trace_begin (t, i, "test.event", "h");
      sim_trace_field_int (ev, "n", i * 10);
      sim_trace_text (ev, "e%d", i);
      sim_trace_publish (t, ev);
    }
  g_assert_cmpstr (one->str, ==, "0:test.event:e0:0;1:test.event:e1:10;2:test.event:e2:20;");
  g_assert_cmpstr (one->str, ==, two->str);
  g_string_free (one, TRUE);
  g_string_free (two, TRUE);
  sim_trace_free (t);
}

static void
publish_one (SimTrace *t, const char *kind, const char *to)
{
  SimTraceEvent *ev = sim_trace_begin (t, 0, kind, "h");
  sim_trace_field_str (ev, "to", to);
  sim_trace_text (ev, "-> %s", to);
  sim_trace_publish (t, ev);
}

static gboolean
wants_closed (const SimTraceEvent *ev)
{
  return g_strcmp0 (sim_trace_event_str (ev, "to"), "CLOSED") == 0;
}

static void
test_trace_sinks_get_what_they_read (void)
{
  g_test_summary ("A sink gets only the kinds it reads, and text only when it reads it: "
                  "a kind nobody reads is not wanted, and text is formatted only for a "
                  "sink that reads it.");
  static const char *const states[] = { "tcp.state", NULL };
  SimTrace *t = sim_trace_new ();
  GString *fields = g_string_new (NULL), *quoting = g_string_new (NULL);
  sim_trace_add_sink_for (t, collect, fields, states, NULL);
  sim_trace_add_sink_for (t, collect, quoting, states, wants_closed);
  g_assert_true (sim_trace_wants (t, "tcp.state"));
  g_assert_false (sim_trace_wants (t, "sock.call"));
  publish_one (t, "tcp.state", "LISTEN");
  publish_one (t, "sock.call", "ignored");
  publish_one (t, "tcp.state", "CLOSED");
  /* Text is per event, not per sink: the quoting sink's wish fills it for both. */
  g_assert_cmpstr (fields->str, ==, "0:tcp.state::-1;2:tcp.state:-> CLOSED:-1;");
  g_assert_cmpstr (quoting->str, ==, fields->str);
  g_string_free (fields, TRUE);
  g_string_free (quoting, TRUE);
  sim_trace_free (t);
}

static void
publish_n (SimTrace *t, const char *kind, gint64 n)
{
  SimTraceEvent *ev = sim_trace_begin (t, 0, kind, "h");
  sim_trace_field_int (ev, "n", n);
  sim_trace_publish (t, ev);
}

static void
test_trace_counting_sink_reads_its_field_kinds (void)
{
  g_test_summary ("A counting sink takes every event but makes only the fields of its "
                  "field kinds needed; a sink that reads a kind makes its fields needed.");
  static const char *const timers[] = { "tcp.timer", NULL };
  static const char *const states[] = { "tcp.state", NULL };
  SimTrace *t = sim_trace_new ();
  GString *counted = g_string_new (NULL), *read = g_string_new (NULL);
  sim_trace_add_counting_sink (t, collect, counted, timers);
  g_assert_true (sim_trace_wants (t, "tcp.state"));
  g_assert_false (sim_trace_reads_fields (t, "tcp.state"));
  g_assert_true (sim_trace_reads_fields (t, "tcp.timer"));
  publish_n (t, "tcp.state", 5);
  publish_n (t, "tcp.timer", 7);
  g_assert_cmpstr (counted->str, ==, "0:tcp.state::-1;1:tcp.timer::7;");
  sim_trace_add_sink_for (t, collect, read, states, NULL);
  g_assert_true (sim_trace_reads_fields (t, "tcp.state"));
  publish_n (t, "tcp.state", 9);
  g_assert_cmpstr (read->str, ==, "2:tcp.state::9;");
  g_assert_true (g_str_has_suffix (counted->str, "2:tcp.state::9;"));
  g_string_free (counted, TRUE);
  g_string_free (read, TRUE);
  sim_trace_free (t);
}

static void
test_kind_map_finds_names_by_content (void)
{
  g_test_summary ("A kind map answers as strcmp would, whatever the kind's address, "
                  "and -1 for a kind not in its list.");
  static const char *const names[] = { "tcp.recv", "tcp.send", NULL };
  SimKindMap map;
  sim_kind_map_init (&map, names);
  g_autofree char *send = g_strdup ("tcp.send");
  for (int round = 0; round < 2; round++)
    {
      g_assert_cmpint (sim_kind_map_find (&map, "tcp.recv"), ==, 0);
      g_assert_cmpint (sim_kind_map_find (&map, send), ==, 1);
      g_assert_cmpint (sim_kind_map_find (&map, "tcp.state"), ==, -1);
    }
}

static void
note_end_of_instant (gpointer data)
{
  Recorder *r = data;
  SimTime marker = -sim_engine_now (r->engine); /* negative marks the observer */
  g_array_append_val (r->times, marker);
}

static void
schedule_then_observe (gpointer data)
{
  Recorder *r = data;
  sim_engine_at_end_of_instant (r->engine, note_end_of_instant, r);
  sim_engine_schedule_after (r->engine, 0, note_time, r); /* same instant, later */
}

static void
test_end_of_instant_runs_last (void)
{
  g_test_summary ("An end-of-instant observer runs after every event of its instant, before time moves.");
  Recorder *r = recorder_new (1);
  sim_engine_schedule_at (r->engine, 10, schedule_then_observe, r);
  sim_engine_schedule_at (r->engine, 10, note_time, r);
  sim_engine_schedule_at (r->engine, 11, note_time, r);
  sim_engine_run (r->engine, SIM_TIME_NEVER, 0);
  g_assert_cmpuint (r->times->len, ==, 4);
  SimTime *t = (SimTime *) (gpointer) r->times->data;
  g_assert_cmpint (t[0], ==, 10);
  g_assert_cmpint (t[1], ==, 10);
  g_assert_cmpint (t[2], ==, -10);
  g_assert_cmpint (t[3], ==, 11);
  recorder_free (r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/engine/run-until-time", test_run_until_time);
  g_test_add_func ("/sim/engine/run-event-cap", test_run_event_cap);
  g_test_add_func ("/sim/engine/accounting", test_accounting);
  g_test_add_func ("/sim/engine/zero-delay-runs-at-same-time", test_zero_delay_runs_at_same_time);
  g_test_add_func ("/sim/engine/negative-delay-asserts", test_negative_delay_asserts);
  g_test_add_func ("/sim/engine/time-never-runs-backwards", test_time_never_runs_backwards);
  g_test_add_func ("/sim/engine/end-of-instant-runs-last", test_end_of_instant_runs_last);
  g_test_add_func ("/sim/rng/streams-are-independent", test_rng_streams_are_independent);
  g_test_add_func ("/sim/rng/depends-on-seed", test_rng_depends_on_seed);
  g_test_add_func ("/sim/rng/normal-is-standard", test_rng_normal_is_standard);
  g_test_add_func ("/sim/trace/bus-delivers-in-order", test_trace_bus_delivers_in_order);
  g_test_add_func ("/sim/trace/sinks-get-what-they-read", test_trace_sinks_get_what_they_read);
  g_test_add_func ("/sim/trace/counting-sink-reads-its-field-kinds",
                   test_trace_counting_sink_reads_its_field_kinds);
  g_test_add_func ("/sim/kind-map/finds-names-by-content", test_kind_map_finds_names_by_content);
  return g_test_run ();
}
