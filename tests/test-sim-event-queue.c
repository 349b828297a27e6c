/* test-sim-event-queue.c: strict (time, sequence) order and lazy cancel. */
#include "sim-event-queue.h"

static GString *log_buffer;

static void
record (gpointer data)
{
  g_string_append_printf (log_buffer, "%s ", (const char *) data);
}

static void
drain (SimEventQueue *q)
{
  SimTime t;
  SimEventFunc f;
  gpointer d;
  SimTime last = G_MININT64;
  while (sim_event_queue_pop (q, &t, &f, &d))
    {
      g_assert_cmpint (t, >=, last);
      last = t;
      f (d);
    }
}

static void
setup_log (void)
{
  if (log_buffer == NULL)
    log_buffer = g_string_new (NULL);
  g_string_truncate (log_buffer, 0);
}

static void
test_orders_by_time (void)
{
  g_test_summary ("Events run in time order whatever order they were scheduled in.");
  setup_log ();
  SimEventQueue *q = sim_event_queue_new ();
  sim_event_queue_push (q, 30, record, "c");
  sim_event_queue_push (q, 10, record, "a");
  sim_event_queue_push (q, 20, record, "b");
  drain (q);
  g_assert_cmpstr (log_buffer->str, ==, "a b c ");
  sim_event_queue_free (q);
}

static void
test_fifo_for_equal_times (void)
{
  g_test_summary ("Events at the same time run in insertion order (the sequence number breaks ties).");
  setup_log ();
  SimEventQueue *q = sim_event_queue_new ();
  static const char *names[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };
  for (int i = 0; i < 10; i++)
    sim_event_queue_push (q, 5, record, (gpointer) names[i]);
  drain (q);
  g_assert_cmpstr (log_buffer->str, ==, "0 1 2 3 4 5 6 7 8 9 ");
  sim_event_queue_free (q);
}

static void
test_cancel_is_lazy_and_safe (void)
{
  g_test_summary ("A cancelled event never runs; cancelling twice, or after firing, is harmless.");
  setup_log ();
  SimEventQueue *q = sim_event_queue_new ();
  SimEventId a = sim_event_queue_push (q, 1, record, "a");
  SimEventId b = sim_event_queue_push (q, 2, record, "b");
  g_assert_true (sim_event_queue_is_pending (q, b));
  g_assert_true (sim_event_queue_cancel (q, b));
  g_assert_false (sim_event_queue_cancel (q, b));
  g_assert_false (sim_event_queue_is_pending (q, b));
  g_assert_cmpuint (sim_event_queue_live_count (q), ==, 1);
  drain (q);
  g_assert_cmpstr (log_buffer->str, ==, "a ");
  g_assert_false (sim_event_queue_cancel (q, a));
  g_assert_false (sim_event_queue_cancel (q, SIM_EVENT_ID_NONE));
  sim_event_queue_free (q);
}

static void
test_stale_handle_after_slot_reuse (void)
{
  g_test_summary ("A handle to a fired event cannot cancel the new event that reuses its slot.");
  setup_log ();
  SimEventQueue *q = sim_event_queue_new ();
  SimEventId old = sim_event_queue_push (q, 1, record, "old");
  drain (q);
  SimEventId fresh = sim_event_queue_push (q, 2, record, "new");
  g_assert_cmpuint (old.slot, ==, fresh.slot);
  g_assert_false (sim_event_queue_cancel (q, old));
  g_assert_true (sim_event_queue_is_pending (q, fresh));
  drain (q);
  g_assert_cmpstr (log_buffer->str, ==, "old new ");
  sim_event_queue_free (q);
}

static void
test_many_events_stay_sorted (void)
{
  g_test_summary ("Ten thousand events with colliding times come out sorted by (time, seq).");
  SimEventQueue *q = sim_event_queue_new ();
  guint64 state = 42;
  for (int i = 0; i < 10000; i++)
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      sim_event_queue_push (q, (SimTime) (state >> 54), record, GINT_TO_POINTER (i));
    }
  SimTime t, last = -1;
  SimEventFunc f;
  gpointer d;
  int last_index = -1;
  guint n = 0;
  while (sim_event_queue_pop (q, &t, &f, &d))
    {
      int index = GPOINTER_TO_INT (d);
      g_assert_true (t > last || (t == last && index > last_index));
      last = t;
      last_index = index;
      n++;
    }
  g_assert_cmpuint (n, ==, 10000);
  sim_event_queue_free (q);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/event-queue/orders-by-time", test_orders_by_time);
  g_test_add_func ("/sim/event-queue/fifo-for-equal-times", test_fifo_for_equal_times);
  g_test_add_func ("/sim/event-queue/cancel-is-lazy-and-safe", test_cancel_is_lazy_and_safe);
  g_test_add_func ("/sim/event-queue/stale-handle-after-slot-reuse", test_stale_handle_after_slot_reuse);
  g_test_add_func ("/sim/event-queue/many-events-stay-sorted", test_many_events_stay_sorted);
  int rc = g_test_run ();
  if (log_buffer != NULL)
    g_string_free (log_buffer, TRUE);
  return rc;
}
