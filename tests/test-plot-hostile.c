/* test-plot-hostile.c: a trace is a file people share, so every string in
 * it is hostile: plotting a trace whose strings carry newlines, carriage
 * returns, quotes, backslashes and gnuplot commands runs no command, gives
 * scripts that parse exactly like those of a harmless trace, and data
 * files whose lines are all comments or rows. */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir;

/* One trace with every kind the plots read; @A and @B stand for the two
 * host names, @S for every other string that is free text. */
static const char trace_template[] =
  "{\"v\":1,\"twsim\":\"trace\"}\n"
  "{\"t\":0,\"i\":1,\"k\":\"tcp.state\",\"h\":\"@A\",\"conn\":1,\"inc\":1,\"local\":\"@S\",\"remote\":\"@S\",\"from\":\"CLOSED\",\"to\":\"SYN-SENT\",\"text\":\"CLOSED -> SYN-SENT (@S)\"}\n"
  "{\"t\":0,\"i\":2,\"k\":\"tcp.send\",\"h\":\"@A\",\"seg\":1,\"src\":\"@S\",\"dst\":\"@S\",\"flags\":\"@S\",\"seq\":1000,\"ack\":0,\"len\":0,\"win\":65535,\"conn\":1,\"inc\":1,\"text\":\"@S\"}\n"
  "{\"t\":0,\"i\":3,\"k\":\"link.send\",\"h\":\"@A\",\"seg\":1,\"src\":\"@S\",\"dst\":\"@S\",\"flags\":\"@S\",\"seq\":1000,\"ack\":0,\"len\":0,\"link\":\"@A->@B\",\"arrive\":10000000,\"text\":\"@S\"}\n"
  "{\"t\":0,\"i\":4,\"k\":\"tcp.timer\",\"h\":\"@A\",\"conn\":1,\"timer\":\"time-wait\",\"action\":\"set\",\"at\":900000000,\"text\":\"@S\"}\n"
  "{\"t\":10000000,\"i\":5,\"k\":\"tcp.recv\",\"h\":\"@B\",\"seg\":1,\"src\":\"@S\",\"dst\":\"@S\",\"flags\":\"@S\",\"seq\":1000,\"ack\":0,\"len\":5,\"conn\":2,\"inc\":1,\"stale\":true,\"text\":\"@S\"}\n"
  "{\"t\":10000000,\"i\":6,\"k\":\"tcp.state\",\"h\":\"@B\",\"conn\":2,\"inc\":1,\"local\":\"@S\",\"remote\":\"@S\",\"from\":\"LISTEN\",\"to\":\"@S\",\"text\":\"@S\"}\n"
  "{\"t\":10000000,\"i\":7,\"k\":\"tcp.stale-data\",\"h\":\"@B\",\"conn\":2,\"inc\":1,\"seg\":1,\"seg_inc\":0,\"text\":\"@S\"}\n"
  "{\"t\":20000000,\"i\":8,\"k\":\"sock.call\",\"h\":\"@B\",\"sock\":3,\"data\":\"@S\",\"incs\":\"@S\",\"text\":\"@S\"}\n"
  "{\"t\":20000000,\"i\":9,\"k\":\"verdict.corruption\",\"h\":\"@B\",\"conn\":2,\"inc\":1,\"sock\":3,\"seg\":1,\"text\":\"@S\"}\n"
  "{\"t\":30000000,\"i\":10,\"k\":\"tcp.send\",\"h\":\"@B\",\"seg\":2,\"src\":\"@S\",\"dst\":\"@S\",\"flags\":\"RST\",\"seq\":0,\"ack\":1001,\"len\":0,\"conn\":2,\"inc\":1,\"text\":\"@S\"}\n";

/* JSON-escaped: a newline and a carriage return each followed by a command,
 * quotes of both kinds closing a string early, a backslash before the
 * newline and one at the end (gnuplot joins a line ending in one). */
static const char hostile[] =
  "x\\n!touch PWNED\\nsystem(\\\"touch PWNED\\\")\\r"
  "system('touch PWNED')\\r\\n' . system('touch PWNED') . '"
  "\\\" . system(\\\"touch PWNED\\\") . \\\"\\\\\\n#\\u000b\\u0000\\\\";

static char *
trace_with (const char *a, const char *b, const char *s)
{
  g_autoptr (GString) t = g_string_new (trace_template);
  g_string_replace (t, "@A", a, 0);
  g_string_replace (t, "@B", b, 0);
  g_string_replace (t, "@S", s, 0);
  return g_strdup (t->str);
}

/* Plots `text` as NAME.jsonl into tmp_dir/NAME/ and returns that dir. */
static char *
plot_trace (const char *name, const char *text)
{
  g_autofree char *file = g_strdup_printf ("%s.jsonl", name);
  g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
  char *dir = g_build_filename (tmp_dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  const char *args[] = { "plot", path, "--out", dir, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
  return dir;
}

/* What gnuplot sees outside strings and comments, line by line, with each
 * number as 0: the commands of a script. Single quotes double a quote, double quotes take
 * a backslash escape. */
static char *
script_commands (const char *script)
{
  g_autoptr (GString) out = g_string_new (NULL);
  char quote = 0;
  for (const char *p = script; *p; p++)
    {
      if (quote == 0 && *p == '#')
        {
          while (p[1] != '\0' && p[1] != '\n')
            p++;
          g_assert_true (*p != '\\'); /* a comment must not swallow the next line */
          continue;
        }
      if (quote == 0 && (*p == '\'' || *p == '"'))
        quote = *p;
      else if (quote == '"' && *p == '\\' && p[1] != '\0')
        p++;
      else if (quote != 0 && *p == quote)
        {
          if (quote == '\'' && p[1] == '\'')
            p++;
          else
            quote = 0;
        }
      else if (quote == 0 || *p == '\n' || *p == '\r')
        {
          g_assert_true (quote == 0); /* no string runs past the end of a line */
          /* Numbers (margins, ranges) follow the length of the strings. */
          if (!g_ascii_isdigit (*p) || out->len == 0 || !g_ascii_isdigit (out->str[out->len - 1]))
            g_string_append_c (out, g_ascii_isdigit (*p) ? '0' : *p);
        }
    }
  return g_strdup (out->str);
}

#define PLOT_NAME_CHARS_FOR_TEST "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

/* The stem of the one tseq-b*.gp in dir, or NULL. */
static char *
tseq_of_b (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  char *found = NULL;
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "tseq-b") && g_str_has_suffix (name, ".gp"))
      {
        g_assert_null (found);
        g_free (found);
        found = g_strndup (name, strlen (name) - 3);
      }
  if (d != NULL)
    g_dir_close (d);
  g_assert_nonnull (found);
  return found;
}

static void
assert_same_commands_of (const char *dir, const char *name, const char *harmless_dir,
                         const char *harmless_name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *harmless_path = g_build_filename (harmless_dir, harmless_name, NULL);
  g_autofree char *script = NULL, *harmless = NULL;
  if (!g_file_get_contents (path, &script, NULL, NULL)
      || !g_file_get_contents (harmless_path, &harmless, NULL, NULL))
    {
      g_test_fail_printf ("%s: not written", name);
      return;
    }
  g_autofree char *commands = script_commands (script);
  g_autofree char *harmless_commands = script_commands (harmless);
  g_assert_cmpstr (commands, ==, harmless_commands);
}

static void
assert_same_commands (const char *dir, const char *harmless_dir, const char *name)
{
  assert_same_commands_of (dir, name, harmless_dir, name);
}

/* Every line of a data file is a comment, empty, or starts with a number. */
static void
assert_data_lines (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = NULL;
  if (!g_file_get_contents (path, &data, NULL, NULL))
    {
      g_test_fail_printf ("%s: not written", name);
      return;
    }
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      g_assert_null (strchr (l, '\r'));
      g_assert_true (l[0] == '\0' || l[0] == '#' || l[0] == '-' || g_ascii_isdigit (l[0]));
      if (l[0] == '#')
        g_assert_false (g_str_has_suffix (l, "\\"));
    }
}

static void
test_trace_strings_run_no_command (void)
{
  g_autofree char *a = g_strdup_printf ("a%s", hostile);
  g_autofree char *b = g_strdup_printf ("b%s", hostile);
  g_autofree char *evil = trace_with (a, b, hostile);
  g_autofree char *plain = trace_with ("a", "b", "s");
  g_autofree char *dir = plot_trace ("hostile", evil);
  g_autofree char *harmless_dir = plot_trace ("harmless", plain);

  g_autofree char *pwned = g_build_filename (dir, "PWNED", NULL);
  g_autofree char *pwned_top = g_build_filename (tmp_dir, "PWNED", NULL);
  g_assert_false (g_file_test (pwned, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (pwned_top, G_FILE_TEST_EXISTS));
  const char *scripts[] = { "ladder.gp", "states.gp" };
  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    assert_same_commands (dir, harmless_dir, scripts[i]);
  const char *data[] = { "ladder.dat", "states.dat" };
  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    assert_data_lines (dir, data[i]);
  /* The time-sequence graph of host b's connection: its file is named
   * after the host, made safe (every character outside [A-Za-z0-9_-] an
   * underscore). */
  g_autofree char *tseq = tseq_of_b (dir);
  g_autofree char *harmless_tseq = tseq_of_b (harmless_dir);
  g_assert_cmpstr (harmless_tseq, ==, "tseq-b-1");
  g_assert_true (g_str_has_prefix (tseq, "tseq-bx_"));
  g_assert_cmpuint (strspn (tseq, PLOT_NAME_CHARS_FOR_TEST), ==, strlen (tseq));
  g_autofree char *tseq_gp = g_strdup_printf ("%s.gp", tseq);
  g_autofree char *harmless_gp = g_strdup_printf ("%s.gp", harmless_tseq);
  g_autofree char *tseq_dat = g_strdup_printf ("%s.dat", tseq);
  assert_same_commands_of (dir, tseq_gp, harmless_dir, harmless_gp);
  assert_data_lines (dir, tseq_dat);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  tmp_dir = g_dir_make_tmp ("twsim-plot-hostile-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/plot-hostile/trace-strings-run-no-command", test_trace_strings_run_no_command);
  int status = g_test_run ();
  if (status == 0)
    cli_remove_tree (tmp_dir);
  return status;
}
