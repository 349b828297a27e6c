/* test-outputs.c: where `twsim run` may write. A regular file is replaced
 * whole or not at all; a FIFO, a character device and stdout (`-`) are
 * written straight through and never renamed over; a directory, the
 * scenario itself or two outputs naming one file are refused before the
 * run; an interrupted run leaves no temporary file behind. */
#define _DEFAULT_SOURCE /* mknod, makedev */
#include "cli-fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmp_dir;

/* Seven events: a trace of a few kB, less than a pipe holds. */
static const char short_scenario[] =
  "host client 10.0.0.1 isn=fixed:1000\n"
  "host server 10.0.0.2 isn=fixed:5000\n"
  "link client server delay=10ms\n"
  "0ms client c = socket(); connect(c, 10.0.0.2:81) = -1 ECONNREFUSED\n";

/* Long enough to be interrupted: megabytes of data one segment at a time. */
static const char long_scenario[] =
  "host client 10.0.0.1\n"
  "host server 10.0.0.2\n"
  "link client server delay=1ms\n"
  "0ms server s = socket(); bind(s, 10.0.0.2:80) = 0; listen(s, 1) = 0; a = accept(s); read(a, 50000000) = 50000000\n"
  "0ms client c = socket(); connect(c, 10.0.0.2:80) = 0; write(c, 50000000) = 50000000\n";

/* A fresh directory holding NAME.scn with text; returns the dir. */
static char *
fresh_dir (const char *name, const char *text, char **scenario)
{
  char *dir = g_build_filename (tmp_dir, name, NULL);
  g_assert_cmpint (g_mkdir (dir, 0777), ==, 0);
  *scenario = g_build_filename (dir, "s.scn", NULL);
  g_assert_true (g_file_set_contents (*scenario, text, -1, NULL));
  return dir;
}

static void
assert_no_temporaries (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    g_assert_null (strstr (name, ".tmp-"));
  if (d != NULL)
    g_dir_close (d);
}

static void
test_fifo_written_through (void)
{
  g_autofree char *scn = NULL;
  g_autofree char *dir = fresh_dir ("fifo", short_scenario, &scn);
  g_autofree char *fifo = g_build_filename (dir, "trace.fifo", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  /* Read and write ends in one: twsim's open does not wait for a reader. */
  int fd = open (fifo, O_RDWR | O_NONBLOCK);
  g_assert_cmpint (fd, >=, 0);
  const char *args[] = { "run", scn, "-q", "--trace", fifo, NULL };
  CliOutcome o = cli_run_twsim (dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  char buf[256] = { 0 };
  g_assert_cmpint (read (fd, buf, sizeof buf - 1), >, 0);
  g_assert_true (g_str_has_prefix (buf, "{\"v\":1,"));
  close (fd);
  GStatBuf st;
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  assert_no_temporaries (dir);
  cli_outcome_clear (&o);
}

static void
test_char_device_written_through (void)
{
  g_autofree char *scn = NULL;
  g_autofree char *dir = fresh_dir ("chardev", short_scenario, &scn);
  g_autofree char *dev = g_build_filename (dir, "null", NULL);
  /* The numbers of /dev/null, on a node of our own. */
  if (mknod (dev, S_IFCHR | 0666, makedev (1, 3)) != 0)
    {
      g_test_skip ("cannot create a device node here (not root?)");
      return;
    }
  /* Both outputs on one device is fine: nothing is renamed. */
  const char *args[] = { "run", scn, "-q", "--trace", dev, "--pcap", dev, NULL };
  CliOutcome o = cli_run_twsim (dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  GStatBuf st;
  g_assert_cmpint (g_lstat (dev, &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  g_assert_cmpuint (st.st_rdev, ==, makedev (1, 3));
  assert_no_temporaries (dir);
  cli_outcome_clear (&o);
}

static void
test_stdout_dash (void)
{
  g_autofree char *scn = NULL;
  g_autofree char *dir = fresh_dir ("stdout", short_scenario, &scn);
  const char *args[] = { "run", scn, "-q", "--trace", "-", NULL };
  CliOutcome o = cli_run_twsim (dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_true (g_str_has_prefix (o.out, "{\"v\":1,"));
  g_autofree char *dash = g_build_filename (dir, "-", NULL);
  g_assert_false (g_file_test (dash, G_FILE_TEST_EXISTS));
  cli_outcome_clear (&o);
}

/* An output that cannot be written is an error before the run: exit 2, the
 * message names the option's file, nothing is narrated. */
static void
assert_refused (const char *dir, const char *const *args, const char *what)
{
  CliOutcome o = cli_run_twsim (dir, args, NULL);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, what));
  g_assert_cmpstr (o.out, ==, "");
  cli_outcome_clear (&o);
}

static void
test_directory_refused_before_run (void)
{
  g_autofree char *scn = NULL;
  g_autofree char *dir = fresh_dir ("directory", short_scenario, &scn);
  const char *trace[] = { "run", scn, "--trace", dir, NULL };
  g_autofree char *trace_msg = g_strdup_printf ("cannot write %s: Is a directory", dir);
  assert_refused (dir, trace, trace_msg);
  const char *pcap[] = { "run", scn, "--pcap", dir, NULL };
  assert_refused (dir, pcap, trace_msg);
}

static void
test_scenario_as_output_refused (void)
{
  g_autofree char *scn = NULL;
  g_autofree char *dir = fresh_dir ("collide-scenario", short_scenario, &scn);
  g_autofree char *msg = g_strdup_printf ("--trace %s: the scenario file itself", scn);
  const char *trace[] = { "run", scn, "--trace", scn, NULL };
  assert_refused (dir, trace, msg);
  const char *pcap[] = { "run", scn, "--pcap", "s.scn", NULL };
  assert_refused (dir, pcap, "--pcap s.scn: the scenario file itself");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (scn, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, short_scenario);
}

static void
test_trace_and_pcap_same_file_refused (void)
{
  g_autofree char *scn = NULL;
  g_autofree char *dir = fresh_dir ("collide-outputs", short_scenario, &scn);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  const char *args[] = { "run", scn, "--trace", out, "--pcap", "./out", NULL };
  assert_refused (dir, args, "--pcap ./out: the same file as --trace");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  const char *dashes[] = { "run", scn, "--trace", "-", "--pcap", "-", NULL };
  assert_refused (dir, dashes, "--pcap -: the same file as --trace");
}

static void
test_interrupt_removes_temporaries (void)
{
  g_autofree char *scn = NULL;
  g_autofree char *dir = fresh_dir ("interrupt", long_scenario, &scn);
  const char *twsim = g_getenv ("TWSIM");
  const char *argv[] = { twsim, "run", scn, "--trace", "t.jsonl", "--pcap", "t.pcap",
                         "--max-events", "5000000", NULL };
  GPid pid;
  int out_fd;
  GError *error = NULL;
  g_assert_true (g_spawn_async_with_pipes (dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  /* The narration starts once the outputs are open: wait for its first
   * bytes, then interrupt. */
  char buf[64];
  ssize_t n;
  while ((n = read (out_fd, buf, sizeof buf)) < 0 && errno == EINTR)
    ;
  g_assert_cmpint (n, >, 0);
  g_assert_cmpint (kill (pid, SIGINT), ==, 0);
  close (out_fd);
  int wait_status = 0;
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  /* It dies of the signal, as an interrupted program should. */
  g_assert_true (WIFSIGNALED (wait_status));
  g_assert_cmpint (WIFSIGNALED (wait_status) ? WTERMSIG (wait_status) : 0, ==, SIGINT);
  assert_no_temporaries (dir);
  g_autofree char *trace = g_build_filename (dir, "t.jsonl", NULL);
  g_assert_false (g_file_test (trace, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  tmp_dir = g_dir_make_tmp ("twsim-outputs-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/outputs/fifo-written-through", test_fifo_written_through);
  g_test_add_func ("/outputs/char-device-written-through", test_char_device_written_through);
  g_test_add_func ("/outputs/stdout-dash", test_stdout_dash);
  g_test_add_func ("/outputs/directory-refused-before-run", test_directory_refused_before_run);
  g_test_add_func ("/outputs/scenario-as-output-refused", test_scenario_as_output_refused);
  g_test_add_func ("/outputs/trace-and-pcap-same-file-refused", test_trace_and_pcap_same_file_refused);
  g_test_add_func ("/outputs/interrupt-removes-temporaries", test_interrupt_removes_temporaries);
  int status = g_test_run ();
  if (status == 0)
    cli_remove_tree (tmp_dir);
  return status;
}
