/* sweep-part.c: a shard's partial result (`twsim sweep --shard I/N
 * --part FILE`) and `twsim sweep-merge`, which adds shards up into exactly
 * the result of the unsharded sweep. A part is a GLib key file:
 *
 *   [sweep]
 *   format=twsim-sweep-part 1
 *   scenario=scenarios/hazards/x.scn
 *   seeds=1..1000
 *   vary=host.server.time_wait=0,1s;
 *   shard=2/4
 *   [points]
 *   0=runs;held;capped;H1;H2;H3;TWA;REUSE;
 *
 * Merging checks that every part describes the same sweep and that the
 * shards are 1..N, each exactly once. */
#include "sweep.h"

#include <string.h>

#define PART_FORMAT "twsim-sweep-part 1"
#define PART_FIELDS (3 + SWEEP_N_VERDICTS)

static char *
vary_text (const SweepKey *k)
{
  g_autoptr (GString) s = g_string_new (k->spec);
  for (guint i = 0; i < k->values->len; i++)
    g_string_append_printf (s, "%c%s", i == 0 ? '=' : ',',
                            (const char *) g_ptr_array_index (k->values, i));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

void
sweep_format_part (const SweepResult *result, guint shard_index, guint shard_count, GString *out)
{
  const SweepSpec *spec = result->spec;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_key_file_set_string (kf, "sweep", "format", PART_FORMAT);
  g_key_file_set_string (kf, "sweep", "scenario", spec->scenario);
  g_autofree char *seeds = g_strdup_printf ("%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT,
                                            spec->seed_first, spec->seed_last);
  g_key_file_set_string (kf, "sweep", "seeds", seeds);
  g_autoptr (GPtrArray) vary = g_ptr_array_new_with_free_func (g_free);
  for (guint k = 0; k < spec->keys->len; k++)
    g_ptr_array_add (vary, vary_text (g_ptr_array_index (spec->keys, k)));
  g_key_file_set_string_list (kf, "sweep", "vary", (const char *const *) vary->pdata, vary->len);
  g_autofree char *shard = g_strdup_printf ("%u/%u", shard_index + 1, shard_count);
  g_key_file_set_string (kf, "sweep", "shard", shard);
  for (guint p = 0; p < result->n_points; p++)
    {
      const SweepCounts *c = &result->points[p];
      g_autofree char *key = g_strdup_printf ("%u", p);
      g_autoptr (GString) v = g_string_new (NULL);
      g_string_append_printf (v, "%" G_GUINT64_FORMAT ";%" G_GUINT64_FORMAT ";%" G_GUINT64_FORMAT ";",
                              c->runs, c->held, c->capped);
      for (guint k = 0; k < SWEEP_N_VERDICTS; k++)
        g_string_append_printf (v, "%" G_GUINT64_FORMAT ";", c->verdict[k]);
      g_key_file_set_value (kf, "points", key, v->str);
    }
  g_autofree char *text = g_key_file_to_data (kf, NULL, NULL);
  g_string_append (out, text);
}

static gboolean
part_error (GError **error, const char *path, const char *what)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: %s", path, what);
  return FALSE;
}

/* The sweep a part describes, as a spec of its own. */
static SweepSpec *
part_spec (GKeyFile *kf, const char *path, GError **error)
{
  g_autofree char *format = g_key_file_get_string (kf, "sweep", "format", NULL);
  g_autofree char *scenario = g_key_file_get_string (kf, "sweep", "scenario", NULL);
  g_autofree char *seeds = g_key_file_get_string (kf, "sweep", "seeds", NULL);
  g_auto (GStrv) vary = g_key_file_get_string_list (kf, "sweep", "vary", NULL, NULL);
  guint64 first, last;
  if (format == NULL || strcmp (format, PART_FORMAT) != 0 || scenario == NULL || seeds == NULL)
    {
      part_error (error, path, "not a twsim sweep part (written by `twsim sweep --part`)");
      return NULL;
    }
  if (!sweep_parse_seeds (seeds, &first, &last, NULL))
    {
      part_error (error, path, "bad seeds");
      return NULL;
    }
  SweepSpec *spec = sweep_spec_new (scenario, first, last);
  for (guint i = 0; vary != NULL && vary[i] != NULL; i++)
    if (!sweep_spec_add_vary (spec, vary[i], NULL))
      {
        sweep_spec_free (spec);
        part_error (error, path, "bad vary");
        return NULL;
      }
  return spec;
}

static gboolean
same_spec (const SweepSpec *a, const SweepSpec *b)
{
  if (strcmp (a->scenario, b->scenario) != 0 || a->seed_first != b->seed_first
      || a->seed_last != b->seed_last || a->keys->len != b->keys->len)
    return FALSE;
  for (guint k = 0; k < a->keys->len; k++)
    {
      g_autofree char *x = vary_text (g_ptr_array_index (a->keys, k));
      g_autofree char *y = vary_text (g_ptr_array_index (b->keys, k));
      if (strcmp (x, y) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_shard (const char *text, guint *index, guint *count)
{
  guint64 i, n;
  char *end = NULL;
  i = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != '/')
    return FALSE;
  const char *rest = end + 1;
  n = g_ascii_strtoull (rest, &end, 10);
  if (end == rest || *end != '\0' || i < 1 || i > n || n > G_MAXUINT)
    return FALSE;
  *index = (guint) i - 1;
  *count = (guint) n;
  return TRUE;
}

/* "n;n;n;...;" into PART_FIELDS counts. */
static gboolean
parse_counts (const char *text, guint64 v[PART_FIELDS])
{
  g_auto (GStrv) fields = g_strsplit (text, ";", -1);
  guint n = g_strv_length (fields);
  if (n != PART_FIELDS + 1 || fields[PART_FIELDS][0] != '\0')
    return FALSE;
  for (guint i = 0; i < PART_FIELDS; i++)
    if (!g_ascii_string_to_unsigned (fields[i], 10, 0, G_MAXUINT64, &v[i], NULL))
      return FALSE;
  return TRUE;
}

/* Adds the part's counts into result. */
static gboolean
add_points (GKeyFile *kf, const char *path, SweepResult *result, GError **error)
{
  for (guint p = 0; p < result->n_points; p++)
    {
      g_autofree char *key = g_strdup_printf ("%u", p);
      g_autofree char *text = g_key_file_get_value (kf, "points", key, NULL);
      guint64 v[PART_FIELDS];
      if (text == NULL || !parse_counts (text, v))
        return part_error (error, path, "missing or malformed grid point counts");
      SweepCounts *c = &result->points[p];
      c->runs += v[0];
      c->held += v[1];
      c->capped += v[2];
      for (guint k = 0; k < SWEEP_N_VERDICTS; k++)
        c->verdict[k] += v[3 + k];
    }
  return TRUE;
}

/* Reads one part into result (creating it from the first part). */
static gboolean
merge_one (const char *path, SweepResult **result, gboolean **seen, guint *count, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  GError *local = NULL;
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
      g_error_free (local);
      return FALSE;
    }
  SweepSpec *spec = part_spec (kf, path, error);
  if (spec == NULL)
    return FALSE;
  g_autofree char *shard = g_key_file_get_string (kf, "sweep", "shard", NULL);
  guint index, n;
  if (shard == NULL || !parse_shard (shard, &index, &n))
    {
      sweep_spec_free (spec);
      return part_error (error, path, "missing or bad shard I/N");
    }
  if (*result == NULL)
    {
      *result = g_new0 (SweepResult, 1);
      (*result)->spec = spec;
      (*result)->owns_spec = TRUE;
      (*result)->n_points = sweep_spec_points (spec);
      (*result)->points = g_new0 (SweepCounts, (*result)->n_points);
      *count = n;
      *seen = g_new0 (gboolean, n);
    }
  else
    {
      gboolean same = same_spec ((*result)->spec, spec) && n == *count;
      sweep_spec_free (spec);
      if (!same)
        return part_error (error, path, "describes another sweep than the first part");
    }
  if ((*seen)[index])
    return part_error (error, path, "shard given twice");
  (*seen)[index] = TRUE;
  return add_points (kf, path, *result, error);
}

SweepResult *
sweep_merge_parts (const char *const *paths, guint n_paths, GError **error)
{
  SweepResult *result = NULL;
  g_autofree gboolean *seen = NULL;
  guint count = 0;
  for (guint i = 0; i < n_paths; i++)
    if (!merge_one (paths[i], &result, &seen, &count, error))
      {
        sweep_result_free (result);
        return NULL;
      }
  for (guint s = 0; s < count; s++)
    if (!seen[s])
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND,
                     "sweep-merge: shard %u/%u is missing", s + 1, count);
        sweep_result_free (result);
        return NULL;
      }
  for (guint p = 0; result != NULL && p < result->n_points; p++)
    if (result->points[p].runs != sweep_spec_seeds (result->spec))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                     "sweep-merge: grid point %u has %" G_GUINT64_FORMAT " runs, not one per seed",
                     p, result->points[p].runs);
        sweep_result_free (result);
        return NULL;
      }
  return result;
}
