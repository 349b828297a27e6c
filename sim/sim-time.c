/* sim-time.c: parsing and formatting of virtual time. */
#include "sim-time.h"

#include <string.h>

static const struct {
  const char *suffix;
  SimTime unit;
  int digits; /* decimal digits that still fit in whole nanoseconds */
} time_units[] = {
  { "ns", SIM_NS, 0 },
  { "us", SIM_US, 3 },
  { "ms", SIM_MS, 6 },
  { "s", SIM_S, 9 },
};

/* Parses "10ms", "1.5s", "250us", "7ns" exactly into nanoseconds.
 * A unit is required. On failure returns FALSE and a static message. */
gboolean
sim_time_parse_duration (const char *text, SimTime *out, const char **error_message)
{
  const char *p = text;
  guint64 whole = 0, frac = 0;
  int frac_digits = 0;

  if (!g_ascii_isdigit (*p))
    {
      *error_message = "a duration starts with a digit, as in 10ms";
      return FALSE;
    }
  for (; g_ascii_isdigit (*p); p++)
    {
      if (whole > G_MAXINT64 / 10)
        {
          *error_message = "duration is too large";
          return FALSE;
        }
      whole = whole * 10 + (guint64) (*p - '0');
    }
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        {
          *error_message = "expected digits after the decimal point";
          return FALSE;
        }
      for (; g_ascii_isdigit (*p); p++, frac_digits++)
        {
          if (frac_digits >= 9)
            {
              *error_message = "too many decimal places (the resolution is 1ns)";
              return FALSE;
            }
          frac = frac * 10 + (guint64) (*p - '0');
        }
    }
  for (gsize i = 0; i < G_N_ELEMENTS (time_units); i++)
    {
      if (strcmp (p, time_units[i].suffix) != 0)
        continue;
      if (frac_digits > time_units[i].digits)
        {
          *error_message = "the fraction is finer than 1ns";
          return FALSE;
        }
      SimTime unit = time_units[i].unit;
      if (whole > (guint64) (G_MAXINT64 / unit) / 2)
        {
          *error_message = "duration is too large";
          return FALSE;
        }
      SimTime frac_ns = (SimTime) frac;
      for (int d = frac_digits; d < 9; d++)
        frac_ns *= 10;
      /* frac_ns is now in units of 1e-9 of the unit */
      *out = (SimTime) whole * unit + frac_ns * unit / SIM_S;
      return TRUE;
    }
  *error_message = *p == '\0'
                       ? "a duration needs a unit: ns, us, ms or s"
                       : "unknown time unit (use ns, us, ms or s)";
  return FALSE;
}

/* Appends t as seconds: "1.250s", "0.000001500s"; trailing zeros trimmed to
 * milliseconds at least, so the same instant always prints the same way. */
void
sim_time_append (GString *out, SimTime t)
{
  if (t == SIM_TIME_NEVER)
    {
      g_string_append (out, "never");
      return;
    }
  if (t < 0)
    {
      g_string_append_c (out, '-');
      t = -t;
    }
  SimTime secs = t / SIM_S, ns = t % SIM_S;
  char frac[10];
  g_snprintf (frac, sizeof frac, "%09" G_GINT64_FORMAT, ns);
  int len = 9;
  while (len > 3 && frac[len - 1] == '0')
    len--;
  g_string_append_printf (out, "%" G_GINT64_FORMAT ".%.*ss", secs, len, frac);
}

char *
sim_time_format (SimTime t)
{
  GString *s = g_string_new (NULL);
  sim_time_append (s, t);
  return g_string_free (s, FALSE);
}
