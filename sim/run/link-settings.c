/* link-settings.c: the `key=value` settings of `link` lines, one table.
 * Values are validated here (file:line:col errors); the link model takes
 * them as they are. */
#include "host-settings.h"

#include "scenario-parser.h"
#include "sim-suggest.h"

#include <math.h>
#include <string.h>

typedef gboolean (*LinkSettingApplyFunc) (const char *value, LinkParams *p, const char **problem);

typedef struct {
  const char *key;
  const char *meaning;
  LinkSettingApplyFunc apply;
} LinkSetting;

static gboolean
parse_nonneg_duration (const char *value, SimTime *out, const char **problem)
{
  if (!sim_time_parse_duration (value, out, problem))
    return FALSE;
  if (*out < 0)
    {
      *problem = "a duration here must not be negative";
      return FALSE;
    }
  if (*out > 24 * 3600 * SIM_S)
    {
      *problem = "a duration here must be at most one day";
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_probability (const char *value, double *out, const char **problem)
{
  char *end = NULL;
  double v = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !isfinite (v) || v < 0.0 || v > 1.0)
    {
      *problem = "expected a probability from 0 to 1, as in 0.01";
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
apply_delay (const char *value, LinkParams *p, const char **problem)
{
  return parse_nonneg_duration (value, &p->delay, problem);
}

static gboolean
apply_jitter (const char *value, LinkParams *p, const char **problem)
{
  return parse_nonneg_duration (value, &p->jitter, problem);
}

static gboolean
apply_jitter_dist (const char *value, LinkParams *p, const char **problem)
{
  if (strcmp (value, "uniform") == 0)
    p->jitter_dist = LINK_JITTER_UNIFORM;
  else if (strcmp (value, "normal") == 0)
    p->jitter_dist = LINK_JITTER_NORMAL;
  else
    {
      *problem = "expected uniform or normal";
      return FALSE;
    }
  return TRUE;
}

/* "100Mbit", "1.5Mbit", "64kbit", "1Gbit", "9600bit" (bits per second). */
static gboolean
apply_rate (const char *value, LinkParams *p, const char **problem)
{
  static const struct {
    const char *unit;
    double scale;
  } units[] = {
    { "Gbit", 1e9 }, { "Mbit", 1e6 }, { "kbit", 1e3 }, { "bit", 1.0 },
  };
  char *end = NULL;
  double v = g_ascii_strtod (value, &end);
  *problem = "expected a rate such as 100Mbit, 64kbit, 1Gbit or 9600bit";
  if (end == value || !isfinite (v) || v <= 0)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (end, units[i].unit) == 0)
      {
        double bps = v * units[i].scale;
        if (bps < 1.0 || bps > 1e12)
          {
            *problem = "the rate must be from 1bit to 1000Gbit per second";
            return FALSE;
          }
        p->rate_bps = (guint64) llround (bps);
        return TRUE;
      }
  return FALSE;
}

static gboolean
apply_queue (const char *value, LinkParams *p, const char **problem)
{
  guint64 v = 0;
  if (!g_ascii_string_to_unsigned (value, 10, 0, 1000000, &v, NULL))
    {
      *problem = "expected a number of segments from 0 (no limit) to 1000000";
      return FALSE;
    }
  p->queue_limit = (guint) v;
  return TRUE;
}

static gboolean
apply_loss (const char *value, LinkParams *p, const char **problem)
{
  return parse_probability (value, &p->loss, problem);
}

static gboolean
apply_dup (const char *value, LinkParams *p, const char **problem)
{
  return parse_probability (value, &p->dup, problem);
}

/* "1s" or "1s..3s": uniform between the two. */
static gboolean
apply_dup_delay (const char *value, LinkParams *p, const char **problem)
{
  const char *dots = strstr (value, "..");
  if (dots == NULL)
    {
      if (!parse_nonneg_duration (value, &p->dup_delay_min, problem))
        return FALSE;
      p->dup_delay_max = p->dup_delay_min;
      return TRUE;
    }
  g_autofree char *lo = g_strndup (value, (gsize) (dots - value));
  SimTime a, b;
  if (!parse_nonneg_duration (lo, &a, problem) || !parse_nonneg_duration (dots + 2, &b, problem))
    return FALSE;
  if (b < a)
    {
      *problem = "the range MIN..MAX must not run backwards";
      return FALSE;
    }
  p->dup_delay_min = a;
  p->dup_delay_max = b;
  return TRUE;
}

static gboolean
apply_reorder (const char *value, LinkParams *p, const char **problem)
{
  return parse_probability (value, &p->reorder, problem);
}

static gboolean
apply_reorder_delay (const char *value, LinkParams *p, const char **problem)
{
  return parse_nonneg_duration (value, &p->reorder_delay, problem);
}

static const LinkSetting link_settings[] = {
  { "delay", "one-way propagation delay (default 0)", apply_delay },
  { "jitter", "extra random delay: uniform in [0, jitter] or normal with this deviation (default 0)", apply_jitter },
  { "jitter_dist", "uniform or normal (default uniform)", apply_jitter_dist },
  { "rate", "bit rate, so serialisation takes time: 100Mbit, 64kbit (default: infinite)", apply_rate },
  { "queue", "segments waiting or being sent before tail drop, with a rate (default 0 = no limit)", apply_queue },
  { "loss", "probability that a segment is lost (default 0)", apply_loss },
  { "dup", "probability that a segment is duplicated (default 0)", apply_dup },
  { "dup_delay", "extra delay of the copy: D, or MIN..MAX uniform (default 0)", apply_dup_delay },
  { "reorder", "probability that a segment is held back by reorder_delay (default 0)", apply_reorder },
  { "reorder_delay", "how long a reordered segment is held back (default 0)", apply_reorder_delay },
};

gboolean
link_settings_apply (const GPtrArray *settings, LinkDirection *dir, GError **error)
{
  LinkParams params = *link_direction_params (dir);
  for (guint i = 0; i < settings->len; i++)
    {
      const ScenarioSetting *s = g_ptr_array_index (settings, i);
      const LinkSetting *found = NULL;
      for (gsize k = 0; k < G_N_ELEMENTS (link_settings) && found == NULL; k++)
        if (strcmp (link_settings[k].key, s->key) == 0)
          found = &link_settings[k];
      if (found == NULL)
        {
          g_autoptr (GString) keys = g_string_new (NULL);
          for (gsize k = 0; k < G_N_ELEMENTS (link_settings); k++)
            g_string_append_printf (keys, "%s%s", k ? ", " : "", link_settings[k].key);
          g_auto (GStrv) words = g_strsplit (keys->str, ", ", -1);
          g_autofree char *hint = sim_suggest_hint (s->key, strlen (s->key),
                                                    (const char *const *) words);
          scenario_set_error_at (error, &s->key_loc, SCENARIO_ERROR_INVALID,
                                 "unknown link setting '%s'%s (known: %s)", s->key, hint,
                                 keys->str);
          return FALSE;
        }
      const char *problem = NULL;
      if (!found->apply (s->value, &params, &problem))
        {
          scenario_set_error_at (error, &s->value_loc, SCENARIO_ERROR_INVALID,
                                 "bad value '%s' for %s: %s", s->value, s->key, problem);
          return FALSE;
        }
    }
  link_direction_set_params (dir, &params);
  return TRUE;
}

void
link_settings_describe (GString *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (link_settings); i++)
    g_string_append_printf (out, "  link: %-13s %s\n", link_settings[i].key, link_settings[i].meaning);
}
