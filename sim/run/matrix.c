/* matrix.c: `twsim matrix FILES...`. Each scenario runs once as written
 * and once per defence variant that applies to it; a variant is a list of
 * host settings put on every host after the scenario's own (replacing a
 * key the scenario sets). The scenario's expectations are ignored here:
 * the cell is the set of hazards the verdicts found (verdicts.h).
 *
 * Which variants apply is the scenario's to say, in a comment line
 *
 *   # matrix: isn=clock timestamps=on
 *
 * naming variants by their settings (several such lines add up). A file
 * without one gets every variant. A variant that does not apply, because
 * the scenario is about that very knob or its story has nothing the knob
 * acts on, is not run and its cell reads "n/a". */
#include "matrix.h"
#include "trace-jsonl.h"
#include "csv.h"

#include <string.h>

#include "scenario-parser.h"
#include "scenario-runner.h"
#include "verdicts.h"

#define MATRIX_EVENT_CAP 2000000

typedef struct {
  const char *label;
  const char *settings; /* space-separated key=value */
  const char *why;
} MatrixVariant;

/* The defences against the RFC 1337 hazards, one knob each (sources in
 * tcp-config.h). */
static const MatrixVariant variants[] = {
  { "as written", "", "the scenario as it is" },
  { "TW kept on rebind", "bind_rules=bsd",
    "SO_REUSEADDR only relaxes bind(); the TIME-WAIT record stays" },
  { "TW 60 s", "time_wait=60s", "a full TIME-WAIT (2 x MSL with MSL = 30 s, as Linux and FreeBSD)" },
  { "F1: RST ignored in TW", "time_wait_rst=ignore", "RFC 1337 F1" },
  { "RFC 5961", "challenge_acks=on", "RFC 5961 challenge ACKs for inexact RSTs and SYNs" },
  { "ISN clock", "isn=clock", "RFC 793 / RFC 9293 3.4.1 4 us clock" },
  { "ISN rfc6528", "isn=rfc6528", "RFC 6528: clock + keyed hash of the four-tuple" },
  { "PAWS", "timestamps=on", "RFC 7323 timestamps and PAWS on both ends" },
};

static void
cell_free (gpointer p)
{
  MatrixCell *c = p;
  g_free (c->scenario);
  g_free (c->variant);
  g_free (c->settings);
  g_free (c->hazards);
  g_free (c);
}

static char *
scenario_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  if (g_str_has_suffix (base, ".scn"))
    base[strlen (base) - 4] = '\0';
  return g_steal_pointer (&base);
}

/* Puts key=value on every host, replacing the key if the host has it. */
static void
override_hosts (ScenarioScript *script, const char *settings)
{
  g_auto (GStrv) pairs = g_strsplit (settings, " ", -1);
  for (guint p = 0; pairs[p] != NULL; p++)
    {
      const char *eq = strchr (pairs[p], '=');
      if (eq == NULL)
        continue;
      g_autofree char *key = g_strndup (pairs[p], (gsize) (eq - pairs[p]));
      for (guint h = 0; h < script->hosts->len; h++)
        {
          ScenarioHost *host = g_ptr_array_index (script->hosts, h);
          scenario_settings_put (host->settings, key, eq + 1, &host->loc);
        }
    }
}

#define MATRIX_MARK "matrix:"

/* Reads the `# matrix: SETTINGS...` lines of a scenario into applies[]
 * (one flag per variant; "as written" always applies). No such line: all
 * variants apply. An unknown name is an error at its file:line. */
static gboolean
read_applicable (const char *path, gboolean applies[], GError **error)
{
  g_autofree char *text = NULL;
  GError *io_error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &io_error))
    {
      g_set_error (error, G_FILE_ERROR, io_error->code, "%s: cannot read: %s", path,
                   io_error->message);
      g_error_free (io_error);
      return FALSE;
    }
  gboolean declared = FALSE;
  for (gsize v = 0; v < G_N_ELEMENTS (variants); v++)
    applies[v] = v == 0;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      const char *p = lines[l];
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p != '#')
        continue;
      p++;
      while (*p == ' ' || *p == '\t')
        p++;
      if (!g_str_has_prefix (p, MATRIX_MARK))
        continue;
      declared = TRUE;
      g_auto (GStrv) words = g_strsplit_set (p + strlen (MATRIX_MARK), " \t\r", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          if (words[w][0] == '\0')
            continue;
          gsize v = 1;
          while (v < G_N_ELEMENTS (variants) && strcmp (variants[v].settings, words[w]) != 0)
            v++;
          if (v == G_N_ELEMENTS (variants))
            {
              g_autoptr (GString) known = g_string_new (NULL);
              for (gsize k = 1; k < G_N_ELEMENTS (variants); k++)
                g_string_append_printf (known, "%s%s", k > 1 ? " " : "", variants[k].settings);
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "%s:%u: unknown matrix variant '%s' (known: %s)", path, l + 1,
                           words[w], known->str);
              return FALSE;
            }
          applies[v] = TRUE;
        }
    }
  if (!declared)
    for (gsize v = 0; v < G_N_ELEMENTS (variants); v++)
      applies[v] = TRUE;
  return TRUE;
}

static char *
run_variant (const char *path, const MatrixVariant *variant, GError **error)
{
  g_autoptr (ScenarioScript) script = scenario_parse_file (path, error);
  if (script == NULL)
    return NULL;
  override_hosts (script, variant->settings);
  GError *local = NULL;
  ScenarioRunner *r = scenario_runner_new (script, FALSE, 0, &local);
  if (r == NULL)
    {
      char *cell = g_strdup_printf ("error: %s", local->message);
      g_error_free (local);
      return cell;
    }
  SimRunOutcome outcome = scenario_runner_run (r, SIM_TIME_NEVER, MATRIX_EVENT_CAP);
  GString *codes = g_string_new (NULL);
  verdicts_append_codes (scenario_runner_verdicts (r), codes);
  if (outcome == SIM_RUN_EVENT_CAP)
    g_string_append (codes, " (event cap)");
  scenario_runner_free (r);
  return g_string_free (codes, FALSE);
}

GPtrArray *
matrix_run (const char *const *files, guint n_files, GError **error)
{
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (cell_free);
  for (guint f = 0; f < n_files; f++)
    {
      gboolean applies[G_N_ELEMENTS (variants)];
      if (!read_applicable (files[f], applies, error))
        return NULL;
      for (gsize v = 0; v < G_N_ELEMENTS (variants); v++)
        {
          char *hazards = applies[v] ? run_variant (files[f], &variants[v], error)
                                     : g_strdup ("n/a");
          if (hazards == NULL)
            return NULL;
          MatrixCell *c = g_new0 (MatrixCell, 1);
          c->scenario = scenario_name (files[f]);
          c->variant = g_strdup (variants[v].label);
          c->settings = g_strdup (variants[v].settings);
          c->hazards = hazards;
          g_ptr_array_add (cells, c);
        }
    }
  return g_steal_pointer (&cells);
}

void
matrix_format_table (GPtrArray *cells, GString *out)
{
  guint nv = G_N_ELEMENTS (variants);
  g_string_append (out, "| scenario |");
  for (guint v = 0; v < nv; v++)
    g_string_append_printf (out, " %s |", variants[v].label);
  g_string_append (out, "\n|---|");
  for (guint v = 0; v < nv; v++)
    g_string_append (out, "---|");
  g_string_append_c (out, '\n');
  for (guint i = 0; i + nv <= cells->len; i += nv)
    {
      const MatrixCell *first = g_ptr_array_index (cells, i);
      g_string_append_printf (out, "| %s |", first->scenario);
      for (guint v = 0; v < nv; v++)
        {
          const MatrixCell *c = g_ptr_array_index (cells, i + v);
          g_string_append_printf (out, " %s |", c->hazards);
        }
      g_string_append_c (out, '\n');
    }
}

void
matrix_format_csv (GPtrArray *cells, GString *out)
{
  g_string_append (out, "scenario,variant,settings,hazards\n");
  for (guint i = 0; i < cells->len; i++)
    {
      const MatrixCell *c = g_ptr_array_index (cells, i);
      csv_append_field (out, c->scenario);
      g_string_append_c (out, ',');
      csv_append_field (out, c->variant);
      g_string_append_c (out, ',');
      csv_append_field (out, c->settings);
      g_string_append_c (out, ',');
      csv_append_field (out, c->hazards);
      g_string_append_c (out, '\n');
    }
}

void
matrix_format_json (GPtrArray *cells, GString *out)
{
  g_string_append (out, "[\n");
  for (guint i = 0; i < cells->len; i++)
    {
      const MatrixCell *c = g_ptr_array_index (cells, i);
      g_string_append (out, "  {\"scenario\": ");
      trace_jsonl_append_string (out, c->scenario);
      g_string_append (out, ", \"variant\": ");
      trace_jsonl_append_string (out, c->variant);
      g_string_append (out, ", \"settings\": ");
      trace_jsonl_append_string (out, c->settings);
      g_string_append (out, ", \"hazards\": [");
      if (!g_str_has_prefix (c->hazards, "error:") && strcmp (c->hazards, "none") != 0
          && strcmp (c->hazards, "n/a") != 0)
        {
          g_auto (GStrv) codes = g_strsplit (c->hazards, " ", -1);
          guint n = 0;
          for (guint k = 0; codes[k] != NULL; k++)
            if (codes[k][0] != '\0' && codes[k][0] != '(' && strcmp (codes[k], "cap)") != 0)
              {
                g_string_append (out, n++ > 0 ? ", " : "");
                trace_jsonl_append_string (out, codes[k]);
              }
        }
      g_string_append (out, "], \"cell\": ");
      trace_jsonl_append_string (out, c->hazards);
      g_string_append_printf (out, "}%s\n", i + 1 < cells->len ? "," : "");
    }
  g_string_append (out, "]\n");
}

void
matrix_describe_variants (GString *out)
{
  for (gsize v = 0; v < G_N_ELEMENTS (variants); v++)
    g_string_append_printf (out, "  %-22s %-22s %s\n", variants[v].label,
                            variants[v].settings[0] != '\0' ? variants[v].settings : "-",
                            variants[v].why);
}
