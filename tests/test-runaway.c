/* test-runaway.c: a run that goes on without progress (RFC 1337 H2: an ACK
 * loop that never ends) is stopped with a message naming the scenario and
 * exit status 3, by default after 10 minutes of virtual time; both limits
 * are settable and can be turned off. Memory follows the segments alive,
 * not the length of the run. */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

static char *tmp_dir;
static char *loop_scn;

/* The H2 scenario of the suite without its `end`: the loop never stops. */
static void
write_endless_loop (void)
{
  g_autofree char *src = g_build_filename (g_getenv ("TWSIM_SOURCE_ROOT"), "scenarios", "hazards",
                                           "ack-loop-h2.scn", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (src, &text, NULL, NULL));
  g_autoptr (GString) s = g_string_new (text);
  g_assert_cmpuint (g_string_replace (s, "\n3s     end\n", "\n", 0), ==, 1);
  loop_scn = g_build_filename (tmp_dir, "endless-ack-loop.scn", NULL);
  g_assert_true (g_file_set_contents (loop_scn, s->str, -1, NULL));
}

static void
test_ack_loop_stopped_for_no_progress (void)
{
  const char *args[] = { "run", "-q", loop_scn, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 3);
  g_assert_nonnull (strstr (o.err, "endless-ack-loop.scn: run stopped at 603.000s: no progress for 600.005s"));
  g_assert_nonnull (strstr (o.out, "(stopped)"));
  cli_outcome_clear (&o);
}

static void
test_idle_event_limit_settable (void)
{
  const char *args[] = { "run", "-q", loop_scn, "--max-idle-events", "1000", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 3);
  g_assert_nonnull (strstr (o.err, " and 1000 trace events "));
  cli_outcome_clear (&o);
}

static void
test_idle_limits_off (void)
{
  const char *args[] = { "run", "-q", loop_scn, "--max-idle-events", "0", "--max-idle-time", "0",
                         "--max-events", "20000", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "(event cap reached)"));
  g_assert_cmpstr (o.err, ==, "");
  cli_outcome_clear (&o);
}

/* Before, the verdict tracker kept ~200 B per event for the whole run:
 * 150 000 events of the loop took 35 MB more. Sanitizers keep freed memory
 * in quarantine, so the bound is only checked without them. */
static void
test_memory_follows_live_segments (void)
{
#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("AddressSanitizer's quarantine holds freed memory");
  return;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  g_test_skip ("AddressSanitizer's quarantine holds freed memory");
  return;
#endif
#endif
  const char *args[] = { "run", "-q", loop_scn, "--max-idle-events", "0", "--max-idle-time", "0",
                         "--max-events", "150000", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
  struct rusage usage;
  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  g_test_message ("largest child: %ld KiB", usage.ru_maxrss);
  g_assert_cmpint (usage.ru_maxrss, <, 20 * 1024); /* KiB */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  tmp_dir = g_dir_make_tmp ("twsim-runaway-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  write_endless_loop ();
  g_test_add_func ("/runaway/ack-loop-stopped-for-no-progress", test_ack_loop_stopped_for_no_progress);
  g_test_add_func ("/runaway/idle-event-limit-settable", test_idle_event_limit_settable);
  g_test_add_func ("/runaway/idle-limits-off", test_idle_limits_off);
  g_test_add_func ("/runaway/memory-follows-live-segments", test_memory_follows_live_segments);
  int status = g_test_run ();
  if (status == 0)
    cli_remove_tree (tmp_dir);
  g_free (loop_scn);
  return status;
}
