/* sweep-spec.c: what a sweep varies (sweep.h): the seed range, the varied
 * keys and their grid, and putting a grid point's settings into a script. */
#include "sweep.h"

#include <stdlib.h>
#include <string.h>

#define SWEEP_MAX_RUNS G_GUINT64_CONSTANT (1000000000000)

static const char *const verdict_codes[SWEEP_N_VERDICTS] = { "H1", "H2", "H3", "TWA", "REUSE" };

const char *
sweep_verdict_code (guint v)
{
  g_return_val_if_fail (v < SWEEP_N_VERDICTS, "?");
  return verdict_codes[v];
}

static void
sweep_key_free (gpointer p)
{
  SweepKey *k = p;
  g_free (k->spec);
  g_free (k->host);
  g_free (k->from);
  g_free (k->to);
  g_free (k->key);
  g_ptr_array_unref (k->values);
  g_free (k);
}

SweepSpec *
sweep_spec_new (const char *scenario, guint64 seed_first, guint64 seed_last)
{
  SweepSpec *spec = g_new0 (SweepSpec, 1);
  spec->scenario = g_strdup (scenario);
  spec->seed_first = seed_first;
  spec->seed_last = seed_last;
  spec->keys = g_ptr_array_new_with_free_func (sweep_key_free);
  return spec;
}

void
sweep_spec_free (SweepSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->scenario);
  g_ptr_array_unref (spec->keys);
  g_free (spec);
}

static gboolean
parse_u64 (const char *text, guint64 *out)
{
  if (text[0] < '0' || text[0] > '9')
    return FALSE;
  char *end = NULL;
  errno = 0;
  *out = g_ascii_strtoull (text, &end, 10);
  return errno == 0 && end != NULL && *end == '\0';
}

gboolean
sweep_parse_seeds (const char *text, guint64 *first, guint64 *last, GError **error)
{
  const char *dots = strstr (text, "..");
  gboolean ok;
  if (dots == NULL)
    {
      *first = 1;
      ok = parse_u64 (text, last) && *last >= 1;
    }
  else
    {
      g_autofree char *head = g_strndup (text, (gsize) (dots - text));
      ok = parse_u64 (head, first) && parse_u64 (dots + 2, last) && *first <= *last;
    }
  if (!ok)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--seeds %s: expected FIRST..LAST (e.g. 1..1000, FIRST <= LAST) or a count N", text);
  return ok;
}

/* "A-B" or "A->B" into the pair. */
static gboolean
parse_link_pair (SweepKey *k, const char *pair)
{
  const char *arrow = strstr (pair, "->");
  const char *dash = strchr (pair, '-');
  const char *sep = arrow != NULL ? arrow : dash;
  if (sep == NULL || sep == pair)
    return FALSE;
  k->both_directions = arrow == NULL;
  k->from = g_strndup (pair, (gsize) (sep - pair));
  k->to = g_strdup (sep + (arrow != NULL ? 2 : 1));
  return k->to[0] != '\0' && strchr (k->to, '-') == NULL;
}

/* "host.NAME.KEY" or "link.PAIR.KEY" into k. */
static gboolean
parse_key_path (SweepKey *k, const char *path)
{
  const char *first_dot = strchr (path, '.');
  const char *last_dot = strrchr (path, '.');
  if (first_dot == NULL || last_dot == first_dot || last_dot[1] == '\0')
    return FALSE;
  g_autofree char *middle = g_strndup (first_dot + 1, (gsize) (last_dot - first_dot - 1));
  k->key = g_strdup (last_dot + 1);
  if (g_str_has_prefix (path, "host."))
    {
      k->kind = SWEEP_KEY_HOST;
      k->host = strcmp (middle, "*") == 0 ? NULL : g_strdup (middle);
      return middle[0] != '\0';
    }
  if (g_str_has_prefix (path, "link."))
    {
      k->kind = SWEEP_KEY_LINK;
      return parse_link_pair (k, middle);
    }
  return FALSE;
}

gboolean
sweep_spec_add_vary (SweepSpec *spec, const char *text, GError **error)
{
  const char *eq = strchr (text, '=');
  SweepKey *k = g_new0 (SweepKey, 1);
  k->values = g_ptr_array_new_with_free_func (g_free);
  k->spec = eq != NULL ? g_strndup (text, (gsize) (eq - text)) : g_strdup (text);
  gboolean ok = eq != NULL && parse_key_path (k, k->spec);
  if (ok)
    {
      g_auto (GStrv) values = g_strsplit (eq + 1, ",", -1);
      for (guint i = 0; values[i] != NULL; i++)
        {
          ok = ok && values[i][0] != '\0';
          g_ptr_array_add (k->values, g_strdup (values[i]));
        }
      ok = ok && k->values->len > 0;
    }
  if (!ok)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--vary %s: expected host.NAME.KEY=V1,V2,... (NAME may be *), "
                   "link.A-B.KEY=V1,... or link.A->B.KEY=V1,... with no empty value", text);
      sweep_key_free (k);
      return FALSE;
    }
  g_ptr_array_add (spec->keys, k);
  if ((guint64) sweep_spec_points (spec) * sweep_spec_seeds (spec) > SWEEP_MAX_RUNS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--vary %s: the grid times the seeds exceeds 10^12 runs", text);
      return FALSE;
    }
  return TRUE;
}

guint
sweep_spec_points (const SweepSpec *spec)
{
  guint64 n = 1;
  for (guint k = 0; k < spec->keys->len && n <= G_MAXUINT; k++)
    n *= ((SweepKey *) g_ptr_array_index (spec->keys, k))->values->len;
  return n > G_MAXUINT ? G_MAXUINT : (guint) n;
}

guint64
sweep_spec_seeds (const SweepSpec *spec)
{
  return spec->seed_last - spec->seed_first + 1;
}

const char *
sweep_point_value (const SweepSpec *spec, guint point, guint k)
{
  /* The last key varies fastest. */
  guint rest = point;
  for (guint j = spec->keys->len; j > k + 1; j--)
    rest /= ((SweepKey *) g_ptr_array_index (spec->keys, j - 1))->values->len;
  const SweepKey *key = g_ptr_array_index (spec->keys, k);
  return g_ptr_array_index (key->values, rest % key->values->len);
}

void
sweep_point_describe (const SweepSpec *spec, guint point, GString *out)
{
  for (guint k = 0; k < spec->keys->len; k++)
    g_string_append_printf (out, "%s%s=%s", k > 0 ? " " : "",
                            ((SweepKey *) g_ptr_array_index (spec->keys, k))->spec,
                            sweep_point_value (spec, point, k));
  if (spec->keys->len == 0)
    g_string_append (out, "as written");
}

static gboolean
apply_host_key (const SweepKey *k, const char *value, ScenarioScript *script, GError **error)
{
  gboolean found = FALSE;
  for (guint h = 0; h < script->hosts->len; h++)
    {
      ScenarioHost *host = g_ptr_array_index (script->hosts, h);
      if (k->host != NULL && strcmp (host->name, k->host) != 0)
        continue;
      scenario_settings_put (host->settings, k->key, value, &host->loc);
      found = TRUE;
    }
  if (!found)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--vary %s: %s has no host '%s'", k->spec, script->path, k->host);
  return found;
}

/* The link line a sweep adds at the end of the script for this pair, so
 * that its settings override the file's own (the runner applies link lines
 * in file order). */
static ScenarioLink *
sweep_link (const SweepKey *k, ScenarioScript *script, const ScenarioLoc *loc)
{
  for (guint i = script->links->len; i > 0; i--)
    {
      ScenarioLink *l = g_ptr_array_index (script->links, i - 1);
      if (l->loc.line == 0 && strcmp (l->from, k->from) == 0 && strcmp (l->to, k->to) == 0
          && l->both_directions == k->both_directions)
        return l;
    }
  ScenarioLink *l = scenario_link_new (k->from, k->to, k->both_directions, loc);
  l->loc.line = 0; /* marks a link line of the sweep's own */
  g_ptr_array_add (script->links, l);
  return l;
}

static gboolean
apply_link_key (const SweepKey *k, const char *value, ScenarioScript *script, GError **error)
{
  const char *names[2] = { k->from, k->to };
  const ScenarioHost *hosts[2] = { NULL, NULL };
  for (guint i = 0; i < 2; i++)
    {
      hosts[i] = scenario_script_find_host (script, names[i]);
      if (hosts[i] == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--vary %s: %s has no host '%s'", k->spec, script->path, names[i]);
          return FALSE;
        }
    }
  ScenarioLink *link = sweep_link (k, script, &hosts[0]->loc);
  scenario_settings_put (link->settings, k->key, value, &hosts[0]->loc);
  return TRUE;
}

gboolean
sweep_apply_point (const SweepSpec *spec, guint point, ScenarioScript *script, GError **error)
{
  for (guint k = 0; k < spec->keys->len; k++)
    {
      const SweepKey *key = g_ptr_array_index (spec->keys, k);
      const char *value = sweep_point_value (spec, point, k);
      gboolean ok = FALSE;
      switch (key->kind)
        {
        case SWEEP_KEY_HOST:
          ok = apply_host_key (key, value, script, error);
          break;
        case SWEEP_KEY_LINK:
          ok = apply_link_key (key, value, script, error);
          break;
        }
      if (!ok)
        return FALSE;
    }
  return TRUE;
}
