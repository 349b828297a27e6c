/* test-user-messages.c: what twsim says to a user who got something
 * slightly wrong, and in which characters: "did you mean" for near-miss
 * keywords, a socket variable used after exit() is an error with a hint,
 * UTF-8 from GLib whatever the locale (numbers stay "C"), and gnuplot's
 * locale chatter is not reported as a problem of the plot. */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir;

static const char *const head =
  "host a 10.0.0.1\n"
  "host b 10.0.0.2\n"
  "link a b delay=1ms\n";

typedef struct {
  const char *name;
  const char *body;    /* after `head` */
  const char *message; /* expected in stderr */
} NearMiss;

static const NearMiss near_misses[] = {
  { "state-with-underscore", "0ms a s = socket()\n1ms expect a s state TIME_WAIT\n",
    "unknown TCP state 'TIME_WAIT', did you mean 'TIME-WAIT'?" },
  { "selector-with-comma", "0ms link a->b drop next SYN,ACK\n",
    "flags in a selector are joined by '|', not ',', did you mean 'SYN|ACK'?" },
  { "host-setting", "host c 10.0.0.3 mls=1s\n",
    "unknown host setting 'mls', did you mean 'msl'?" },
  { "link-setting", "host c 10.0.0.3\nlink a c delya=1ms\n",
    "unknown link setting 'delya', did you mean 'delay'?" },
  { "directive", "linke a b delay=1ms\n", "unknown directive 'linke', did you mean 'link'?" },
  { "fault-action", "0ms link a->b dorp next SYN\n",
    "unknown fault action 'dorp', did you mean 'drop'?" },
  { "call", "0ms a s = sockt()\n", "unknown call 'sockt', did you mean 'socket'?" },
  { "socket-option", "0ms a s = socket(); setsockopt(s, SO_REUSEADR, 1)\n",
    "unknown socket option 'SO_REUSEADR', did you mean 'SO_REUSEADDR'?" },
  { "expectation", "0ms a s = socket()\n1ms expect a s stat CLOSED\n",
    "unknown expectation 'stat', did you mean 'state'?" },
  { "selector-word", "0ms link a->b drop next SNY\n",
    "unknown segment selector 'SNY', did you mean 'SYN'?" },
};

static CliOutcome
check_text (const char *name, const char *text)
{
  g_autofree char *file = g_strdup_printf ("%s.scn", name);
  g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  const char *args[] = { "check", path, NULL };
  return cli_run_twsim (tmp_dir, args, NULL);
}

static void
test_near_miss_keyword_suggests_the_word (gconstpointer data)
{
  const NearMiss *m = data;
  g_autofree char *text = g_strconcat (head, m->body, NULL);
  CliOutcome o = check_text (m->name, text);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, m->message));
  cli_outcome_clear (&o);
}

static void
test_far_word_gets_no_suggestion (void)
{
  g_test_summary ("A word far from every keyword gets the list, not a guess.");
  g_autofree char *text = g_strconcat (head, "host c 10.0.0.3 colour=blue\n", NULL);
  CliOutcome o = check_text ("far", text);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "unknown host setting 'colour' (known: msl,"));
  g_assert_null (strstr (o.err, "did you mean"));
  cli_outcome_clear (&o);
}

static void
test_variable_after_exit_is_an_error (void)
{
  g_test_summary ("A socket variable used after exit() closed it is an error at its line, "
                  "with a hint; assigning it again makes it usable.");
  g_autofree char *text = g_strconcat (head, "0ms a s = socket(); bind(s, *:80) = 0\n"
                                       "1ms a exit()\n"
                                       "2ms expect a s state CLOSED\n", NULL);
  CliOutcome o = check_text ("after-exit", text);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "after-exit.scn:6:14: socket 's' on a was closed by exit() "
                                   "on line 5"));
  g_assert_nonnull (strstr (o.err, "hint: check it before the exit()"));
  cli_outcome_clear (&o);
  g_autofree char *again = g_strconcat (head, "0ms a s = socket(); bind(s, *:80) = 0\n"
                                        "1ms a exit()\n"
                                        "2ms a s = socket(); bind(s, *:80) = 0\n"
                                        "3ms expect a s state CLOSED\n", NULL);
  o = check_text ("assigned-again", again);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
}

static char **
c_locale_env (void)
{
  char **envp = g_get_environ ();
  envp = g_environ_unsetenv (envp, "LANG");
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_unsetenv (envp, "LC_CTYPE");
  return g_environ_setenv (envp, "LC_ALL", "C", TRUE);
}

static void
test_c_locale_still_speaks_utf8 (void)
{
  g_test_summary ("Under LC_ALL=C, --help shows [OPTION…] and a missing file's message is UTF-8.");
  char **envp = c_locale_env ();
  const char *help[] = { "run", "--help", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, help, envp);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "[OPTION…]"));
  cli_outcome_clear (&o);
  const char *missing[] = { "check", "no-such-file.scn", NULL };
  o = cli_run_twsim (tmp_dir, missing, envp);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, "cannot read no-such-file.scn: "));
  g_assert_true (g_utf8_validate (o.err, -1, NULL));
  g_assert_null (strchr (o.err, '?'));
  cli_outcome_clear (&o);
  g_strfreev (envp);
}

static void
test_output_does_not_depend_on_locale (void)
{
  g_test_summary ("The narration is byte for byte the same under LC_ALL=C and C.UTF-8.");
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  const char *args[] = { "run", "scenarios/hazards/stale-data-corrupts-new-connection.scn", NULL };
  char **c_env = c_locale_env ();
  char **utf_env = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
  CliOutcome a = cli_run_twsim (root, args, c_env);
  CliOutcome b = cli_run_twsim (root, args, utf_env);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpstr (a.out, ==, b.out);
  g_assert_nonnull (strstr (a.out, "— SYN (active open)"));
  cli_outcome_clear (&a);
  cli_outcome_clear (&b);
  g_strfreev (c_env);
  g_strfreev (utf_env);
}

static void
test_gnuplot_locale_warning_is_not_a_problem (void)
{
  g_test_summary ("What gnuplot says about locales is not passed on as a note or an error; "
                  "gnuplot runs under LC_ALL=C.UTF-8.");
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autofree char *bin = g_build_filename (tmp_dir, "bin", NULL);
  g_autofree char *fake = g_build_filename (bin, "gnuplot", NULL);
  g_autofree char *seen = g_build_filename (tmp_dir, "gnuplot-locale", NULL);
  g_autofree char *plots = g_build_filename (tmp_dir, "plots", NULL);
  g_assert_cmpint (g_mkdir (bin, 0755), ==, 0);
  g_autofree char *script = g_strdup_printf (
    "#!/bin/sh\necho \"$LC_ALL\" > '%s'\n"
    "png=$(printf '%%s' \"$2\" | sed -n \"s/^png_out = [\\\"']\\([^\\\"']*\\)[\\\"'].*/\\1/p\")\n"
    "svg=$(printf '%%s' \"$2\" | sed -n \"s/.*svg_out = [\\\"']\\([^\\\"']*\\)[\\\"'].*/\\1/p\")\n"
    "echo image > \"$png\"; echo image > \"$svg\"\n"
    "echo 'Warning: locale \"xx_YY.UTF-8\" not available, using C' >&2\nexit 0\n", seen);
  g_assert_true (g_file_set_contents (fake, script, -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  /* The fake comes first; sed from the system. */
  g_autofree char *path = g_strdup_printf ("%s:/usr/bin:/bin", bin);
  char **envp = g_environ_setenv (g_get_environ (), "PATH", path, TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "xx_YY.UTF-8", TRUE);
  const char *args[] = { "run", "--quiet", "--plot", plots,
                         "scenarios/handshake/three-way-handshake.scn", NULL };
  CliOutcome o = cli_run_twsim (root, args, envp);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_null (strstr (o.err, "locale"));
  g_assert_null (strstr (o.err, "gnuplot says"));
  g_autofree char *lc = NULL;
  g_assert_true (g_file_get_contents (seen, &lc, NULL, NULL));
  g_assert_cmpstr (g_strstrip (lc), ==, "C.UTF-8");
  cli_outcome_clear (&o);
  g_strfreev (envp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("twsim-messages-XXXXXX", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (near_misses); i++)
    {
      g_autofree char *path = g_strdup_printf ("/messages/near-miss-suggests/%s", near_misses[i].name);
      g_test_add_data_func (path, &near_misses[i], test_near_miss_keyword_suggests_the_word);
    }
  g_test_add_func ("/messages/far-word-gets-no-suggestion", test_far_word_gets_no_suggestion);
  g_test_add_func ("/messages/variable-after-exit-is-an-error", test_variable_after_exit_is_an_error);
  g_test_add_func ("/messages/c-locale-still-speaks-utf8", test_c_locale_still_speaks_utf8);
  g_test_add_func ("/messages/output-does-not-depend-on-locale", test_output_does_not_depend_on_locale);
  g_test_add_func ("/messages/gnuplot-locale-warning-is-not-a-problem",
                   test_gnuplot_locale_warning_is_not_a_problem);
  int status = g_test_run ();
  cli_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
