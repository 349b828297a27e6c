/* test-packetdrill-suite.c: every script of tests/packetdrill/ (verified
 * against Linux 6.18 with real packetdrill) runs under
 * `twsim packetdrill FILE --personality linux`: the ones not listed in
 * tests/packetdrill/linux-known-failures.txt must pass, the listed ones must
 * still fail (so the list stays honest). And `twsim packetdrill --table`
 * reproduces the personality table in the README. */
#include "cli-fixture.h"

#include <glib.h>
#include <string.h>

#define SUITE "tests/packetdrill"
#define KNOWN SUITE "/linux-known-failures.txt"
#define TABLE_PERSONALITIES "linux,freebsd,rfc9293,textbook"
#define BEGIN_MARK "<!-- twsim packetdrill --table tests/packetdrill --personality " \
                   TABLE_PERSONALITIES ": begin -->\n"
#define END_MARK "<!-- twsim packetdrill --table: end -->"

static const char *
source_root (void)
{
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  return root != NULL ? root : ".";
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* "close/active-close-client.pkt", ... : SUITE/SUB/NAME.pkt, sorted. */
static GPtrArray *
suite_scripts (void)
{
  g_autofree char *dir = g_build_filename (source_root (), SUITE, NULL);
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *sub;
  while ((sub = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, sub, NULL);
      GDir *sd = g_dir_open (path, 0, NULL);
      const char *name;
      while (sd != NULL && (name = g_dir_read_name (sd)) != NULL)
        if (g_str_has_suffix (name, ".pkt"))
          g_ptr_array_add (names, g_strdup_printf ("%s/%s", sub, name));
      if (sd != NULL)
        g_dir_close (sd);
    }
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  return names;
}

/* SCRIPT -> reason, from the known-failures file. */
static GHashTable *
known_failures (void)
{
  g_autofree char *path = g_build_filename (source_root (), KNOWN, NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  GHashTable *known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      if (*line == '\0' || *line == '#')
        continue;
      const char *colon = strstr (line, ".pkt: ");
      g_assert_nonnull (colon);
      g_autofree char *script = g_strndup (line, (gsize) (colon + 4 - line));
      const char *reason = colon + 6;
      g_assert_cmpuint (strlen (reason), >, 0);
      g_assert_false (g_hash_table_contains (known, script));
      g_hash_table_insert (known, g_steal_pointer (&script), g_strdup (reason));
    }
  return known;
}

static void
test_script (gconstpointer data)
{
  const char *script = data;
  g_autoptr (GHashTable) known = known_failures ();
  const char *reason = g_hash_table_lookup (known, script);
  g_autofree char *file = g_build_filename (SUITE, script, NULL);
  const char *args[] = { "packetdrill", file, "--personality", "linux", NULL };
  CliOutcome o = cli_run_twsim (source_root (), args, NULL);
  g_test_message ("%s%s", o.out, o.err);
  if (reason == NULL)
    {
      g_test_summary ("passes under linux");
      g_assert_cmpint (o.status, ==, 0);
    }
  else
    {
      g_test_summary ("a known failure: still fails under linux (else remove it from the list)");
      g_test_message ("known failure: %s", reason);
      g_assert_cmpint (o.status, ==, 1);
    }
  cli_outcome_clear (&o);
}

/* Every script the list names exists. */
static void
test_known_list (void)
{
  g_test_summary ("every script in the known-failures list exists in the suite");
  g_autoptr (GHashTable) known = known_failures ();
  g_autoptr (GPtrArray) scripts = suite_scripts ();
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, known);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      gboolean found = FALSE;
      for (guint i = 0; i < scripts->len && !found; i++)
        found = strcmp (g_ptr_array_index (scripts, i), key) == 0;
      if (!found)
        g_test_message ("listed but not in the suite: %s", (const char *) key);
      g_assert_true (found);
    }
  g_assert_cmpuint (scripts->len, ==, 59);
}

static void
test_readme_table (void)
{
  g_test_summary ("twsim packetdrill --table reproduces the personality table in the README");
  g_autofree char *readme_path = g_build_filename (source_root (), "README.md", NULL);
  g_autofree char *readme = NULL;
  g_assert_true (g_file_get_contents (readme_path, &readme, NULL, NULL));
  const char *begin = strstr (readme, BEGIN_MARK);
  g_assert_nonnull (begin);
  begin += strlen (BEGIN_MARK);
  const char *end = strstr (begin, END_MARK);
  g_assert_nonnull (end);
  g_autofree char *committed = g_strndup (begin, (gsize) (end - begin));
  const char *args[] = { "packetdrill", "--table", SUITE, "--personality", TABLE_PERSONALITIES,
                         NULL };
  CliOutcome o = cli_run_twsim (source_root (), args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_cmpstr (o.out, ==, committed);
  cli_outcome_clear (&o);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GPtrArray) scripts = suite_scripts ();
  for (guint i = 0; i < scripts->len; i++)
    {
      const char *script = g_ptr_array_index (scripts, i);
      g_autofree char *name = g_strdup_printf ("/packetdrill-suite/linux/%s", script);
      g_test_add_data_func (name, script, test_script);
    }
  g_test_add_func ("/packetdrill-suite/known-failures-listed", test_known_list);
  g_test_add_func ("/packetdrill-suite/readme-table", test_readme_table);
  return g_test_run ();
}
