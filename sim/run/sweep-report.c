/* sweep-report.c: a sweep's result as a table per grid point, CSV and
 * JSON; every probability with its 95 % Wilson score interval (Wilson
 * 1927; it stays inside [0, 1] and is sound at k = 0 or k = n, where the
 * normal approximation collapses to a zero-width interval). */
#include "sweep.h"

#include "csv.h"
#include "trace-jsonl.h"

#include <math.h>

/* z for a two-sided 95 % interval. */
#define WILSON_Z 1.959963984540054

void
sweep_wilson (guint64 k, guint64 n, double *low, double *high)
{
  if (n == 0)
    {
      *low = 0.0;
      *high = 1.0;
      return;
    }
  double nn = (double) n;
  double p = (double) k / nn;
  double z2 = WILSON_Z * WILSON_Z;
  double denom = 1.0 + z2 / nn;
  double center = (p + z2 / (2.0 * nn)) / denom;
  double half = WILSON_Z * sqrt (p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
  *low = MAX (0.0, center - half);
  *high = MIN (1.0, center + half);
  if (k == 0)
    *low = 0.0;
  if (k == n)
    *high = 1.0;
}

/* A probability with 6 decimals, independent of the locale. */
static void
append_prob (GString *out, double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6f", x));
}

static double
prob (guint64 k, guint64 n)
{
  return n == 0 ? 0.0 : (double) k / (double) n;
}

void
sweep_format_table (const SweepResult *result, GString *out)
{
  const SweepSpec *spec = result->spec;
  g_string_append_printf (out, "Sweep of %s, seeds %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT
                          ", %u grid point%s\n", spec->scenario, spec->seed_first, spec->seed_last,
                          result->n_points, result->n_points == 1 ? "" : "s");
  for (guint p = 0; p < result->n_points; p++)
    {
      const SweepCounts *c = &result->points[p];
      g_string_append (out, "\n");
      sweep_point_describe (spec, p, out);
      g_string_append_printf (out, ": %" G_GUINT64_FORMAT " runs, expectations held in %"
                              G_GUINT64_FORMAT, c->runs, c->held);
      if (c->capped > 0)
        g_string_append_printf (out, ", %" G_GUINT64_FORMAT " stopped by the event cap", c->capped);
      g_string_append (out, "\n\n| verdict | runs | probability | 95 % interval |\n|---|---:|---:|---|\n");
      for (guint v = 0; v < SWEEP_N_VERDICTS; v++)
        {
          double lo, hi;
          sweep_wilson (c->verdict[v], c->runs, &lo, &hi);
          g_string_append_printf (out, "| %s | %" G_GUINT64_FORMAT " | ", sweep_verdict_code (v),
                                  c->verdict[v]);
          append_prob (out, prob (c->verdict[v], c->runs));
          g_string_append (out, " | [");
          append_prob (out, lo);
          g_string_append (out, ", ");
          append_prob (out, hi);
          g_string_append (out, "] |\n");
        }
    }
}

void
sweep_format_csv (const SweepResult *result, GString *out)
{
  const SweepSpec *spec = result->spec;
  g_string_append (out, "point");
  for (guint k = 0; k < spec->keys->len; k++)
    {
      g_string_append_c (out, ',');
      csv_append_field (out, ((SweepKey *) g_ptr_array_index (spec->keys, k))->spec);
    }
  g_string_append (out, ",runs,held,capped");
  for (guint v = 0; v < SWEEP_N_VERDICTS; v++)
    {
      const char *code = sweep_verdict_code (v);
      g_string_append_printf (out, ",%s,%s_p,%s_low,%s_high", code, code, code, code);
    }
  g_string_append_c (out, '\n');
  for (guint p = 0; p < result->n_points; p++)
    {
      const SweepCounts *c = &result->points[p];
      g_string_append_printf (out, "%u", p);
      for (guint k = 0; k < spec->keys->len; k++)
        {
          g_string_append_c (out, ',');
          csv_append_field (out, sweep_point_value (spec, p, k));
        }
      g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT,
                              c->runs, c->held, c->capped);
      for (guint v = 0; v < SWEEP_N_VERDICTS; v++)
        {
          double lo, hi;
          sweep_wilson (c->verdict[v], c->runs, &lo, &hi);
          g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",", c->verdict[v]);
          append_prob (out, prob (c->verdict[v], c->runs));
          g_string_append_c (out, ',');
          append_prob (out, lo);
          g_string_append_c (out, ',');
          append_prob (out, hi);
        }
      g_string_append_c (out, '\n');
    }
}

static void
json_point (const SweepResult *result, guint p, GString *out)
{
  const SweepSpec *spec = result->spec;
  const SweepCounts *c = &result->points[p];
  g_string_append_printf (out, "    {\"point\": %u, \"settings\": {", p);
  for (guint k = 0; k < spec->keys->len; k++)
    {
      g_string_append (out, k > 0 ? ", " : "");
      trace_jsonl_append_string (out, ((SweepKey *) g_ptr_array_index (spec->keys, k))->spec);
      g_string_append (out, ": ");
      trace_jsonl_append_string (out, sweep_point_value (spec, p, k));
    }
  g_string_append_printf (out, "}, \"runs\": %" G_GUINT64_FORMAT ", \"held\": %" G_GUINT64_FORMAT
                          ", \"capped\": %" G_GUINT64_FORMAT ", \"verdicts\": {",
                          c->runs, c->held, c->capped);
  for (guint v = 0; v < SWEEP_N_VERDICTS; v++)
    {
      double lo, hi;
      sweep_wilson (c->verdict[v], c->runs, &lo, &hi);
      g_string_append_printf (out, "%s\"%s\": {\"count\": %" G_GUINT64_FORMAT ", \"p\": ",
                              v > 0 ? ", " : "", sweep_verdict_code (v), c->verdict[v]);
      append_prob (out, prob (c->verdict[v], c->runs));
      g_string_append (out, ", \"low\": ");
      append_prob (out, lo);
      g_string_append (out, ", \"high\": ");
      append_prob (out, hi);
      g_string_append (out, "}");
    }
  g_string_append_printf (out, "}}%s\n", p + 1 < result->n_points ? "," : "");
}

void
sweep_format_json (const SweepResult *result, GString *out)
{
  const SweepSpec *spec = result->spec;
  g_string_append (out, "{\n  \"scenario\": ");
  trace_jsonl_append_string (out, spec->scenario);
  g_string_append_printf (out, ",\n  \"seeds\": {\"first\": %" G_GUINT64_FORMAT ", \"last\": %"
                          G_GUINT64_FORMAT "},\n  \"confidence\": 0.95,\n  \"interval\": \"wilson\",\n"
                          "  \"points\": [\n", spec->seed_first, spec->seed_last);
  for (guint p = 0; p < result->n_points; p++)
    json_point (result, p, out);
  g_string_append (out, "  ]\n}\n");
}
