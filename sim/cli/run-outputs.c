/* run-outputs.c: the outputs of `twsim run` (run-outputs.h). */
#include "run-outputs.h"

#include "cli.h"
#include "temp-files.h"
#include "html-viewer.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static guint
host_name_width (const ScenarioScript *script)
{
  guint width = 4;
  for (guint i = 0; i < script->hosts->len; i++)
    width = MAX (width, (guint) strlen (((ScenarioHost *) g_ptr_array_index (script->hosts, i))->name));
  return width;
}

/* `run --plot` without `--trace`: the trace goes to a temporary file. */
static char *
temporary_trace_path (void)
{
  char *path = NULL;
  GError *error = NULL;
  int fd = g_file_open_tmp ("twsim-plot-XXXXXX.jsonl", &path, &error);
  if (fd < 0)
    {
      g_printerr ("twsim: %s\n", error->message);
      g_error_free (error);
      return NULL;
    }
  close (fd);
  temp_files_add (path);
  return path;
}

/* Two paths naming one file: the same inode if both exist, else the same
 * absolute name; "-" is stdout. A character device may take both outputs
 * (nothing is renamed over it; /dev/null twice is fine). */
static gboolean
same_file (const char *a, const char *b)
{
  if (strcmp (a, "-") == 0 || strcmp (b, "-") == 0)
    return strcmp (a, b) == 0;
  GStatBuf sa, sb;
  if (g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && !S_ISCHR (sa.st_mode);
  g_autofree char *ca = g_canonicalize_filename (a, NULL);
  g_autofree char *cb = g_canonicalize_filename (b, NULL);
  return strcmp (ca, cb) == 0;
}

gboolean
run_outputs_check_paths (const char *scenario_path, const RunOutputOptions *opts)
{
  const char *problem = NULL, *option = NULL, *path = NULL;
  if (opts->trace_path != NULL && same_file (opts->trace_path, scenario_path))
    option = "--trace", path = opts->trace_path, problem = "the scenario file itself";
  else if (opts->pcap_path != NULL && same_file (opts->pcap_path, scenario_path))
    option = "--pcap", path = opts->pcap_path, problem = "the scenario file itself";
  else if (opts->trace_path != NULL && opts->pcap_path != NULL
           && same_file (opts->trace_path, opts->pcap_path))
    option = "--pcap", path = opts->pcap_path, problem = "the same file as --trace";
  if (problem == NULL)
    return TRUE;
  g_printerr ("twsim: %s %s: %s\n", option, path, problem);
  return FALSE;
}

static gboolean
open_failed (GError *error)
{
  g_printerr ("twsim: %s\n", error->message);
  g_error_free (error);
  return FALSE;
}

static LadderText *
ladder_for (const ScenarioScript *script)
{
  GPtrArray *names = g_ptr_array_new ();
  for (guint i = 0; i < script->hosts->len; i++)
    g_ptr_array_add (names, ((ScenarioHost *) g_ptr_array_index (script->hosts, i))->name);
  LadderText *ladder = ladder_text_new ((const char *const *) names->pdata, names->len,
                                        isatty (STDOUT_FILENO));
  g_ptr_array_free (names, TRUE);
  return ladder;
}

gboolean
run_outputs_open (RunOutputs *o, ScenarioRunner *runner, const ScenarioScript *script,
                  const RunOutputOptions *opts)
{
  SimTrace *trace = sim_engine_trace (scenario_runner_engine (runner));
  GError *error = NULL;
  o->trace_path = opts->trace_path;
  if ((opts->plot_dir != NULL || opts->html_path != NULL) && o->trace_path == NULL)
    {
      o->trace_path = o->plot_trace = temporary_trace_path ();
      if (o->trace_path == NULL)
        return FALSE;
    }
  if (o->trace_path != NULL)
    {
      o->jsonl = trace_jsonl_open (o->trace_path, &error);
      if (o->jsonl == NULL)
        return open_failed (error);
      sim_trace_add_sink_for (trace, trace_jsonl_sink, o->jsonl, NULL, trace_jsonl_wants_text);
    }
  if (opts->pcap_path != NULL)
    {
      o->pcap = pcap_writer_open (opts->pcap_path, &error);
      if (o->pcap == NULL)
        return open_failed (error);
      network_add_tap (scenario_runner_network (runner), pcap_writer_tap, o->pcap);
    }
  if (opts->ladder)
    {
      o->ladder = ladder_for (script);
      sim_trace_add_sink (trace, ladder_text_sink, o->ladder);
    }
  if (!opts->quiet)
    {
      if (opts->brief || opts->relative)
        {
          NarrationStyle style = { .brief = opts->brief,
                                   .relative = opts->brief || opts->relative };
          o->story = narration_story_new (stdout, host_name_width (script), &style);
          sim_trace_add_sink (trace, narration_story_sink, o->story);
        }
      else
        {
          o->narration = narration_new (stdout, host_name_width (script));
          sim_trace_add_sink (trace, narration_sink, o->narration);
        }
      /* The brief view fits 100 columns: it names the file, not the folder it is in. */
      g_autofree char *shown = opts->brief ? g_path_get_basename (script->path)
                                           : g_strdup (script->path);
      printf ("twsim %s: %s, seed %" G_GUINT64_FORMAT "\n", PACKAGE_VERSION, shown,
              scenario_runner_seed (runner));
    }
  return TRUE;
}

void
run_outputs_print_ladder (RunOutputs *o)
{
  /* A trace on stdout (`--trace -`) comes before what follows it there. */
  if (o->jsonl != NULL)
    trace_jsonl_flush (o->jsonl);
  if (o->ladder == NULL)
    return;
  g_autoptr (GString) text = g_string_new (NULL);
  ladder_text_render (o->ladder, text);
  fputs (text->str, stdout);
}

gboolean
run_outputs_commit (RunOutputs *o, const RunOutputOptions *opts)
{
  gboolean ok = TRUE;
  GError *error = NULL;
  if (o->pcap != NULL && !pcap_writer_commit (g_steal_pointer (&o->pcap), &error))
    ok = open_failed (error);
  if (o->jsonl != NULL && !trace_jsonl_commit (g_steal_pointer (&o->jsonl), &error))
    ok = open_failed (error);
  else if (ok && opts->plot_dir != NULL)
    {
      PlotOptions plot_opts = { 0 };
      ok = cli_plot_trace_file (o->trace_path, opts->plot_dir, &plot_opts) == EXIT_SUCCESS;
    }
  if (ok && opts->html_path != NULL)
    ok = cli_html_trace_files (&o->trace_path, &opts->title, 1, HTML_VIEWER_MAX_EVENTS, opts->html_path) == EXIT_SUCCESS;
  return ok;
}

void
run_outputs_close (RunOutputs *o)
{
  pcap_writer_abandon (o->pcap);
  trace_jsonl_abandon (o->jsonl);
  if (o->plot_trace != NULL)
    {
      temp_files_remove (o->plot_trace);
      g_unlink (o->plot_trace);
    }
  g_free (o->plot_trace);
  ladder_text_free (o->ladder);
  narration_free (o->narration);
  narration_story_free (o->story);
}
