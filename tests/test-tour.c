/* test-tour.c: the guided tour (scenarios/tour/): every lesson of
 * scenarios/tour/lessons has its scenario, its committed picture and the
 * data the picture was drawn from, still what a fresh run draws (the .dat
 * and .gp are compared; PNG bytes vary with the gnuplot build), and the
 * tour's README presents the lessons in order with their pictures. */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  char *num;
  char *picture; /* ladder or states */
  char *scenario;
} Lesson;

static GPtrArray *
read_lessons (const char *root)
{
  g_autofree char *path = g_build_filename (root, "scenarios", "tour", "lessons", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  GPtrArray *lessons = g_ptr_array_new ();
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[i], " ", 3);
      g_assert_cmpuint (g_strv_length (f), ==, 3);
      Lesson *l = g_new0 (Lesson, 1);
      l->num = g_strdup (f[0]);
      l->picture = g_strdup (f[1]);
      l->scenario = g_strdup (f[2]);
      g_ptr_array_add (lessons, l);
    }
  return lessons;
}

static void
lesson_free (gpointer p)
{
  Lesson *l = p;
  g_free (l->num);
  g_free (l->picture);
  g_free (l->scenario);
  g_free (l);
}

static void
assert_same_file (const char *committed, const char *fresh)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_assert_true (g_file_get_contents (committed, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (fresh, &b, NULL, NULL));
  if (strcmp (a, b) != 0)
    g_error ("%s is not what a fresh run draws: run scenarios/tour/make-pictures", committed);
}

static void
test_tour_has_8_to_12_lessons_in_order (void)
{
  g_test_summary ("scenarios/tour/lessons lists 8 to 12 lessons, numbered 01, 02, ... in order, "
                  "each with an existing scenario and a picture kind (ladder or states).");
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autoptr (GPtrArray) lessons = read_lessons (root);
  g_ptr_array_set_free_func (lessons, lesson_free);
  g_assert_cmpuint (lessons->len, >=, 8);
  g_assert_cmpuint (lessons->len, <=, 12);
  for (guint i = 0; i < lessons->len; i++)
    {
      Lesson *l = g_ptr_array_index (lessons, i);
      g_autofree char *want = g_strdup_printf ("%02u", i + 1);
      g_assert_cmpstr (l->num, ==, want);
      g_assert_true (g_str_equal (l->picture, "ladder") || g_str_equal (l->picture, "states"));
      g_autofree char *scn = g_build_filename (root, l->scenario, NULL);
      g_assert_true (g_file_test (scn, G_FILE_TEST_IS_REGULAR));
    }
}

static void
test_tour_pictures_are_current (void)
{
  g_test_summary ("Each lesson's committed picture exists, and the .dat and .gp it was drawn "
                  "from are byte for byte what `twsim run --plot` draws today.");
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autoptr (GPtrArray) lessons = read_lessons (root);
  g_ptr_array_set_free_func (lessons, lesson_free);
  g_autofree char *tmp = g_dir_make_tmp ("twsim-tour-XXXXXX", NULL);
  /* No gnuplot on PATH: only the data and the scripts are written. */
  g_autofree char *empty = g_build_filename (tmp, "no-bin", NULL);
  char **envp = g_environ_setenv (g_get_environ (), "PATH", empty, TRUE);
  for (guint i = 0; i < lessons->len; i++)
    {
      Lesson *l = g_ptr_array_index (lessons, i);
      g_autofree char *dir = g_build_filename (tmp, l->num, NULL);
      const char *args[] = { "run", "--quiet", "--plot", dir, l->scenario, NULL };
      CliOutcome o = cli_run_twsim (root, args, envp);
      g_assert_cmpint (o.status, ==, 0);
      cli_outcome_clear (&o);
      for (guint k = 0; k < 3; k++)
        {
          const char *ext = (const char *[]) { "dat", "gp", "png" }[k];
          g_autofree char *name = g_strdup_printf ("%s-%s.%s", l->num, l->picture, ext);
          g_autofree char *committed = g_build_filename (root, "scenarios", "tour", "pictures",
                                                         name, NULL);
          g_assert_true (g_file_test (committed, G_FILE_TEST_IS_REGULAR));
          if (k == 2)
            continue;
          g_autofree char *fname = g_strdup_printf ("%s.%s", l->picture, ext);
          g_autofree char *fresh = g_build_filename (dir, fname, NULL);
          assert_same_file (committed, fresh);
        }
    }
  g_strfreev (envp);
  cli_remove_tree (tmp);
}

static void
test_tour_readme_follows_the_lessons (void)
{
  g_test_summary ("scenarios/tour/README.md shows every lesson in order: its number, its "
                  "scenario's command and its picture; the main README links the tour and "
                  "shows every lesson's picture.");
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autoptr (GPtrArray) lessons = read_lessons (root);
  g_ptr_array_set_free_func (lessons, lesson_free);
  g_autofree char *path = g_build_filename (root, "scenarios", "tour", "README.md", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  const char *at = text;
  for (guint i = 0; i < lessons->len; i++)
    {
      Lesson *l = g_ptr_array_index (lessons, i);
      g_autofree char *heading = g_strdup_printf ("## %s.", l->num);
      g_autofree char *cmd = g_strdup_printf ("twsim run --brief %s", l->scenario);
      g_autofree char *pic = g_strdup_printf ("(pictures/%s-%s.png)", l->num, l->picture);
      const char *h = strstr (at, heading);
      if (h == NULL)
        g_error ("README.md: no \"%s\" after lesson %u", heading, i);
      const char *next = strstr (h + 1, "\n## ");
      gsize span = next != NULL ? (gsize) (next - h) : strlen (h);
      g_autofree char *section = g_strndup (h, span);
      if (strstr (section, cmd) == NULL || strstr (section, pic) == NULL)
        g_error ("README.md lesson %s: needs `%s` and %s", l->num, cmd, pic);
      at = h + 1;
    }
  g_autofree char *main_path = g_build_filename (root, "README.md", NULL);
  g_autofree char *main_text = NULL;
  g_assert_true (g_file_get_contents (main_path, &main_text, NULL, NULL));
  g_assert_nonnull (strstr (main_text, "(scenarios/tour/README.md)"));
  for (guint i = 0; i < lessons->len; i++)
    {
      Lesson *l = g_ptr_array_index (lessons, i);
      g_autofree char *img = g_strdup_printf ("<img src=\"scenarios/tour/pictures/%s-%s.png\"", l->num,
                                              l->picture);
      if (strstr (main_text, img) == NULL)
        g_error ("README.md does not show lesson %s's picture (%s)", l->num, img);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tour/has-8-to-12-lessons-in-order", test_tour_has_8_to_12_lessons_in_order);
  g_test_add_func ("/tour/pictures-are-current", test_tour_pictures_are_current);
  g_test_add_func ("/tour/readme-follows-the-lessons", test_tour_readme_follows_the_lessons);
  return g_test_run ();
}
