/* cmd-sweep.c: `twsim sweep FILE --seeds 1..N [--vary KEY=V1,V2,...]...`:
 * how often each hazard happens, over seeds and a grid of settings, on
 * every core (sweep.h). `--shard I/N --part FILE` runs one slice of the
 * runs and writes a partial result for `twsim sweep-merge`. */
#include "cli.h"
#include "sweep-outputs.h"

#include "scenario-parser.h"

#include <stdio.h>
#include <unistd.h>

#define SWEEP_DEFAULT_EVENT_CAP 1000000

typedef struct {
  char *seeds;
  char **vary;
  gint jobs;
  char *shard;
  char *part;
  gint64 max_events;
  SweepOutputOptions out;
} SweepOptions;

typedef struct {
  gint64 started;   /* monotonic µs: only for the progress line */
  gint64 last;
} Progress;

/* On a terminal: done/total, runs/s and time left, at most 5 times a second. */
static void
show_progress (guint64 done, guint64 total, gpointer data)
{
  Progress *pr = data;
  gint64 now = g_get_monotonic_time ();
  if (done < total && now - pr->last < 200000)
    return;
  pr->last = now;
  double secs = (double) (now - pr->started) / 1e6;
  double rate = secs > 0 ? (double) done / secs : 0.0;
  double left = rate > 0 ? (double) (total - done) / rate : 0.0;
  g_printerr ("\rsweep: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " runs, %.0f runs/s, %.0f s left   ",
              done, total, rate, left);
  if (done == total)
    g_printerr ("\n");
}

static gboolean
parse_shard (const char *text, guint *index, guint *count)
{
  guint64 i, n;
  g_auto (GStrv) parts = text != NULL ? g_strsplit (text, "/", 3) : NULL;
  if (text == NULL)
    {
      *index = 0;
      *count = 1;
      return TRUE;
    }
  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT, &i, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT, &n, NULL) || i > n)
    return FALSE;
  *index = (guint) i - 1;
  *count = (guint) n;
  return TRUE;
}

/* The spec from the options; prints what is wrong. */
static SweepSpec *
build_spec (const char *file, const SweepOptions *o)
{
  guint64 first, last;
  GError *error = NULL;
  if (!sweep_parse_seeds (o->seeds != NULL ? o->seeds : "1..100", &first, &last, &error))
    {
      cli_usage_error (error->message);
      g_error_free (error);
      return NULL;
    }
  SweepSpec *spec = sweep_spec_new (file, first, last);
  for (guint i = 0; o->vary != NULL && o->vary[i] != NULL; i++)
    if (!sweep_spec_add_vary (spec, o->vary[i], &error))
      {
        cli_usage_error (error->message);
        g_error_free (error);
        sweep_spec_free (spec);
        return NULL;
      }
  return spec;
}

static int
write_part (const SweepResult *result, guint index, guint count, const char *path)
{
  g_autoptr (GString) text = g_string_new (NULL);
  sweep_format_part (result, index, count, text);
  if (!cli_write_whole (path, text))
    return EXIT_BAD_INPUT;
  guint64 runs = 0;
  for (guint p = 0; p < result->n_points; p++)
    runs += result->points[p].runs;
  printf ("shard %u/%u: %" G_GUINT64_FORMAT " runs, partial result in %s\n", index + 1, count,
          runs, path);
  return EXIT_SUCCESS;
}

static int
sweep_file (const char *file, SweepOptions *o)
{
  guint shard_index, shard_count;
  if (!parse_shard (o->shard, &shard_index, &shard_count))
    return cli_usage_error ("--shard takes I/N with 1 <= I <= N");
  if ((o->shard != NULL) != (o->part != NULL))
    return cli_usage_error ("--shard and --part go together (the part file is the shard's result)");
  if (o->jobs < 1 || o->max_events < 0)
    return cli_usage_error ("--jobs takes a positive number, --max-events a non-negative one");
  g_autoptr (SweepSpec) spec = build_spec (file, o);
  if (spec == NULL)
    return EXIT_BAD_INPUT;
  GError *error = NULL;
  g_autoptr (ScenarioScript) script = scenario_parse_file (file, &error);
  Progress pr = { .started = g_get_monotonic_time () };
  SweepResult *result = script == NULL ? NULL
    : sweep_run (spec, script, (guint) o->jobs, shard_index, shard_count, (guint64) o->max_events,
                 isatty (STDERR_FILENO) ? show_progress : NULL, &pr, &error);
  if (result == NULL)
    {
      g_printerr ("%s\n", error->message);
      g_error_free (error);
      return EXIT_BAD_INPUT;
    }
  int status = o->part != NULL ? write_part (result, shard_index, shard_count, o->part)
                               : sweep_outputs_write (result, &o->out);
  sweep_result_free (result);
  return status;
}

int
cmd_sweep (int argc, char **argv)
{
  SweepOptions o = { .jobs = (gint) g_get_num_processors (), .max_events = SWEEP_DEFAULT_EVENT_CAP };
  GOptionEntry entries[] = {
    { "seeds", 0, 0, G_OPTION_ARG_STRING, &o.seeds, "Run every grid point once per seed FIRST..LAST (or 1..N); default 1..100", "RANGE" },
    { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.vary, "Vary a setting: host.NAME.KEY=V1,V2,... (NAME * for every host), link.A-B.KEY=... or link.A->B.KEY=...; repeat for a grid", "KEY=V1,..." },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &o.jobs, "Worker processes (default: the number of CPUs)", "N" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &o.out.csv, "Also write the cells as CSV to FILE (whole or not at all)", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &o.out.json, "Also write the cells as JSON to FILE (whole or not at all)", "FILE" },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &o.out.plot_dir, "Draw probability against the first varied setting into DIR", "DIR" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &o.shard, "Run only the I-th of N disjoint slices of the runs (with --part)", "I/N" },
    { "part", 0, 0, G_OPTION_ARG_FILENAME, &o.part, "Write the shard's partial result to FILE, for `twsim sweep-merge`", "FILE" },
    { "max-events", 0, 0, G_OPTION_ARG_INT64, &o.max_events, "Stop each run after N events (default 1000000; 0 = no cap)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE - run a scenario over seeds and settings, count the hazards");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "For each grid point (every combination of the --vary values, the first\n"
    "varying slowest) runs the scenario once per seed and counts the runs in\n"
    "which each verdict was found: H1 (corruption), H2, H3, TWA (TIME-WAIT\n"
    "assassination), REUSE; the probability of each with its 95 % Wilson\n"
    "interval; and the runs whose own expectations held. The counts are the\n"
    "same whatever --jobs and however --shard splits the runs.\n"
    "Exit status: 0 results written, 2 bad input, usage or a file not written.");
  int status;
  if (!cli_parse_options (ctx, &argc, &argv))
    status = EXIT_BAD_INPUT;
  else if (argc != 2)
    status = cli_usage_error ("sweep needs exactly one scenario FILE");
  else
    status = sweep_file (argv[1], &o);
  g_free (o.seeds);
  g_strfreev (o.vary);
  g_free (o.shard);
  g_free (o.part);
  g_free (o.out.csv);
  g_free (o.out.json);
  g_free (o.out.plot_dir);
  return status;
}
