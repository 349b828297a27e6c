/* test-sim-time.c: exact parsing and formatting of virtual time. */
#include "sim-time.h"

typedef struct {
  const char *text;
  SimTime expected;
} GoodDuration;

static void
test_parse_exact (void)
{
  static const GoodDuration cases[] = {
    { "0ms", 0 },
    { "7ns", 7 },
    { "250us", 250 * SIM_US },
    { "10ms", 10 * SIM_MS },
    { "1.5s", 1500 * SIM_MS },
    { "0.000000001s", 1 },
    { "1.25ms", 1250 * SIM_US },
    { "240s", 240 * SIM_S },
  };
  g_test_summary ("Durations convert exactly to integer nanoseconds, once, at parse time.");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SimTime t = -1;
      const char *msg = NULL;
      g_assert_true (sim_time_parse_duration (cases[i].text, &t, &msg));
      g_assert_cmpint (t, ==, cases[i].expected);
    }
}

static void
test_parse_rejects (void)
{
  static const char *const bad[] = {
    "", "ms", "10", "10xs", "1.2.3s", "1.s", "1.5ns", "0.0000000001s",
    "99999999999999999999s", "-5ms", "5 ms",
  };
  g_test_summary ("Bad durations are rejected with a message, never truncated.");
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      SimTime t = 0;
      const char *msg = NULL;
      g_assert_false (sim_time_parse_duration (bad[i], &t, &msg));
      g_assert_nonnull (msg);
    }
}

static void
test_format (void)
{
  g_test_summary ("Times print as seconds, at least to the millisecond, exactly.");
  char *s = sim_time_format (0);
  g_assert_cmpstr (s, ==, "0.000s");
  g_free (s);
  s = sim_time_format (1500 * SIM_MS);
  g_assert_cmpstr (s, ==, "1.500s");
  g_free (s);
  s = sim_time_format (20 * SIM_MS + 5);
  g_assert_cmpstr (s, ==, "0.020000005s");
  g_free (s);
  s = sim_time_format (240 * SIM_S + 10 * SIM_US);
  g_assert_cmpstr (s, ==, "240.00001s");
  g_free (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/time/parse-exact", test_parse_exact);
  g_test_add_func ("/sim/time/parse-rejects", test_parse_rejects);
  g_test_add_func ("/sim/time/format", test_format);
  return g_test_run ();
}
