/* test-inputs.c: what twsim reads. Only a regular file is read: a FIFO
 * (which would block for ever), a device (/dev/zero never ends) or a
 * directory is refused at once, naming the file, with exit 2; a scenario
 * larger than 64 MiB is refused before it is read; write(c, 2147483647)
 * makes its filler as the send buffer takes it, not 2 GB up front. */
#define _DEFAULT_SOURCE /* mknod, makedev */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static char *tmp_dir;

static void
assert_refused (const char *const *args, const char *path, const char *why)
{
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_autofree char *msg = g_strdup_printf ("cannot read %s: %s", path, why);
  g_assert_nonnull (strstr (o.err, msg));
  cli_outcome_clear (&o);
}

static void
test_fifo_refused (void)
{
  g_autofree char *fifo = g_build_filename (tmp_dir, "in.fifo", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  const char *run[] = { "run", fifo, NULL };
  assert_refused (run, fifo, "not a regular file");
  const char *plot[] = { "plot", fifo, "--out", "plots", NULL };
  assert_refused (plot, fifo, "not a regular file");
}

static void
test_device_refused (void)
{
  g_autofree char *zero = g_build_filename (tmp_dir, "zero", NULL);
  /* The numbers of /dev/zero, on a node of our own. */
  if (mknod (zero, S_IFCHR | 0666, makedev (1, 5)) != 0)
    {
      g_test_skip ("cannot create a device node here (not root?)");
      return;
    }
  const char *check[] = { "check", zero, NULL };
  assert_refused (check, zero, "not a regular file");
  const char *plot[] = { "plot", zero, "--out", "plots", NULL };
  assert_refused (plot, zero, "not a regular file");
}

static void
test_directory_refused (void)
{
  const char *run[] = { "run", tmp_dir, NULL };
  assert_refused (run, tmp_dir, "is a directory");
  const char *plot[] = { "plot", tmp_dir, "--out", "plots", NULL };
  assert_refused (plot, tmp_dir, "is a directory");
}

static void
test_oversized_scenario_refused (void)
{
  g_autofree char *big = g_build_filename (tmp_dir, "big.scn", NULL);
  g_assert_true (g_file_set_contents (big, "host a 10.0.0.1\n", -1, NULL));
  /* Sparse: 64 MiB + 1 byte that take no room on disk. */
  g_assert_cmpint (truncate (big, (64 << 20) + 1), ==, 0);
  const char *check[] = { "check", big, NULL };
  assert_refused (check, big, "larger than the limit of 64 MiB");
}

static void
test_huge_write_made_lazily (void)
{
  g_autofree char *scn = g_build_filename (tmp_dir, "huge-write.scn", NULL);
  g_assert_true (g_file_set_contents (scn,
    "host client 10.0.0.1\n"
    "host server 10.0.0.2\n"
    "link client server delay=1ms\n"
    "0ms server s = socket(); bind(s, 10.0.0.2:80) = 0; listen(s, 1) = 0; a = accept(s)\n"
    "0ms client c = socket(); connect(c, 10.0.0.2:80) = 0; write(c, 2147483647)\n", -1, NULL));
  const char *run[] = { "run", "-q", scn, "--until", "50ms", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, run, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
  /* The largest child so far: far below the 2 GB of an eager filler. */
  struct rusage usage;
  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  g_assert_cmpint (usage.ru_maxrss, <, 512 * 1024); /* KiB */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  tmp_dir = g_dir_make_tmp ("twsim-inputs-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/inputs/fifo-refused", test_fifo_refused);
  g_test_add_func ("/inputs/device-refused", test_device_refused);
  g_test_add_func ("/inputs/directory-refused", test_directory_refused);
  g_test_add_func ("/inputs/oversized-scenario-refused", test_oversized_scenario_refused);
  g_test_add_func ("/inputs/huge-write-made-lazily", test_huge_write_made_lazily);
  int status = g_test_run ();
  if (status == 0)
    cli_remove_tree (tmp_dir);
  return status;
}
