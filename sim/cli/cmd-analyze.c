/* cmd-analyze.c: `twsim analyze CAPTURE [--personality P] [--msl T]
 * [--rfc1337] [--json FILE] [--plot DIR] [--quiet]`: a pcap or pcapng
 * capture split into incarnations per four-tuple and checked for the
 * TIME-WAIT hazards (sim/analyze). Exit status: 0 analysed, 2 bad input
 * or usage (a capture error names the packet). */
#include "cli.h"

#include "az-plot.h"
#include "az-tracker.h"
#include "narration.h"
#include "trace-jsonl.h"

#include <errno.h>
#include <stdio.h>

typedef struct {
  char *personality;
  char *msl;
  gboolean rfc1337;
  char *json_path;
  char *plot_dir;
  gboolean quiet;
} AnalyzeOptions;

typedef struct {
  SimTrace *trace;
  Narration *narration;
  TraceJsonl *json;
  AzPlot *plot;
  char *plot_trace;
} AnalyzeOutputs;

static gboolean
analyze_rules (const AnalyzeOptions *o, AzRules *rules)
{
  const Personality *p = personality_find (o->personality != NULL ? o->personality : "linux");
  if (p == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("--personality %s: not one of %s", o->personality,
                                              personality_names ());
      cli_usage_error (msg);
      return FALSE;
    }
  SimTime msl = 0;
  const char *problem = NULL;
  if (o->msl != NULL && (!sim_time_parse_duration (o->msl, &msl, &problem) || msl <= 0))
    {
      g_printerr ("twsim: --msl %s: %s\n", o->msl, problem != NULL ? problem : "must be positive");
      return FALSE;
    }
  az_rules_init (rules, p, o->msl != NULL, msl);
  rules->rfc1337 = o->rfc1337;
  return TRUE;
}

static gboolean
outputs_open (AnalyzeOutputs *out, const AnalyzeOptions *o)
{
  GError *error = NULL;
  out->trace = sim_trace_new ();
  if (!o->quiet)
    {
      out->narration = narration_new (stdout, 21);
      sim_trace_add_sink (out->trace, narration_sink, out->narration);
    }
  if (o->json_path != NULL)
    {
      out->json = trace_jsonl_open (o->json_path, &error);
      if (out->json == NULL)
        goto fail;
      sim_trace_add_sink (out->trace, trace_jsonl_sink, out->json);
    }
  if (o->plot_dir != NULL)
    {
      if (g_mkdir_with_parents (o->plot_dir, 0755) != 0)
        {
          g_printerr ("twsim: cannot create %s: %s\n", o->plot_dir, g_strerror (errno));
          return FALSE;
        }
      out->plot_trace = g_build_filename (o->plot_dir, "capture.jsonl", NULL);
      out->plot = az_plot_open (out->plot_trace, &error);
      if (out->plot == NULL)
        goto fail;
    }
  return TRUE;
fail:
  g_printerr ("twsim: %s\n", error->message);
  g_error_free (error);
  return FALSE;
}

/* Commits the files when ok, else removes them; frees everything. */
static gboolean
outputs_close (AnalyzeOutputs *out, gboolean ok)
{
  GError *error = NULL;
  if (out->json != NULL && ok && !trace_jsonl_commit (out->json, &error))
    ok = FALSE;
  else if (out->json != NULL && !ok)
    trace_jsonl_abandon (out->json);
  if (out->plot != NULL && ok && !az_plot_commit (out->plot, error == NULL ? &error : NULL))
    ok = FALSE;
  else if (out->plot != NULL && !ok)
    az_plot_abandon (out->plot);
  if (error != NULL)
    {
      g_printerr ("twsim: %s\n", error->message);
      g_error_free (error);
    }
  narration_free (out->narration);
  sim_trace_free (out->trace);
  return ok;
}

static void
publish_summary (SimTrace *trace, const CapReader *r, const AzTracker *tr, const char *path)
{
  const AzReport *rep = az_tracker_report (tr);
  SimTraceEvent *ev = sim_trace_begin (trace, az_tracker_last_time (tr), "analyze.summary", NULL);
  sim_trace_field_str (ev, "capture", path);
  sim_trace_field_str (ev, "link", cap_reader_link_name (r));
  sim_trace_field_int (ev, "packets", (gint64) cap_reader_packets (r));
  sim_trace_field_int (ev, "skipped", (gint64) cap_reader_skipped (r));
  sim_trace_field_int (ev, "tuples", (gint64) az_tracker_tuples (tr));
  sim_trace_field_int (ev, "peak_live_tuples", az_tracker_peak_live (tr));
  GString *counts = g_string_new (NULL);
  for (int v = AZ_VERDICT_REUSE; v <= AZ_VERDICT_H3; v++)
    {
      sim_trace_field_int (ev, az_verdict_name ((AzVerdict) v), (gint64) rep->verdicts[v]);
      g_string_append_printf (counts, "%s%s %" G_GUINT64_FORMAT, v == 0 ? "" : ", ",
                              az_verdict_name ((AzVerdict) v), rep->verdicts[v]);
    }
  sim_trace_text (ev, "%s (%s): %" G_GUINT64_FORMAT " packets (%" G_GUINT64_FORMAT
                  " not TCP), %" G_GUINT64_FORMAT " four-tuples (at most %u live); %s", path,
                  cap_reader_link_name (r), cap_reader_packets (r), cap_reader_skipped (r),
                  az_tracker_tuples (tr), az_tracker_peak_live (tr), counts->str);
  g_string_free (counts, TRUE);
  sim_trace_publish (trace, ev);
}

static gboolean
analyze_capture (const char *path, const AzRules *rules, AnalyzeOutputs *out)
{
  GError *error = NULL;
  CapReader *r = cap_reader_open (path, &error);
  if (r == NULL)
    {
      g_printerr ("%s\n", error->message);
      g_error_free (error);
      return FALSE;
    }
  AzTracker *tr = az_tracker_new (rules, out->trace);
  if (out->plot != NULL)
    az_tracker_on_segment (tr, az_plot_segment, out->plot);
  CapSegment seg;
  CapReadResult res;
  while ((res = cap_reader_next (r, &seg, &error)) == CAP_READ_SEGMENT)
    az_tracker_feed (tr, &seg);
  gboolean ok = res == CAP_READ_END;
  if (ok)
    {
      az_tracker_finish (tr);
      publish_summary (out->trace, r, tr, path);
    }
  else
    {
      fflush (stdout);
      g_printerr ("%s\n", error->message);
      g_error_free (error);
    }
  az_tracker_free (tr);
  cap_reader_close (r);
  return ok;
}

int
cmd_analyze (int argc, char **argv)
{
  AnalyzeOptions o = { 0 };
  GOptionEntry entries[] = {
    { "personality", 'p', 0, G_OPTION_ARG_STRING, &o.personality, "Judge by this OS personality (default linux)", "P" },
    { "msl", 0, 0, G_OPTION_ARG_STRING, &o.msl, "Maximum segment lifetime; TIME-WAIT is then 2 x T (e.g. 30s)", "T" },
    { "rfc1337", 0, 0, G_OPTION_ARG_NONE, &o.rfc1337, "TIME-WAIT ignores RST (RFC 1337 F1, Linux tcp_rfc1337=1)", NULL },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &o.json_path, "Write the findings as JSON lines to FILE", "FILE" },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &o.plot_dir, "Draw the capture (ladder, time-sequence) into DIR", "DIR" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, "No narration on standard output", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("CAPTURE - find port reuse and stale segments in a pcap or pcapng capture");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Splits every four-tuple into incarnations and reports, in capture order:\n"
    "REUSE (a four-tuple reused before TIME-WAIT would have ended), H1-RISK (old\n"
    "data inside a new incarnation's window), STALE (old segments outside it or\n"
    "screened), TWA (a RST ended a TIME-WAIT), H2 (ACK loop), H3 (a new connection\n"
    "reset by an old one), and ISN / PAWS facts.\n"
    "Exit status: 0 analysed, 2 bad capture or usage.");
  gboolean parsed = cli_parse_options (ctx, &argc, &argv);
  int status = EXIT_BAD_INPUT;
  AzRules rules;
  AnalyzeOutputs out = { 0 };
  if (!parsed)
    goto done;
  if (argc != 2)
    {
      status = cli_usage_error ("analyze needs exactly one CAPTURE file");
      goto done;
    }
  if (!analyze_rules (&o, &rules))
    goto done;
  gboolean ok = outputs_open (&out, &o) && analyze_capture (argv[1], &rules, &out);
  ok = outputs_close (&out, ok);
  if (ok && o.plot_dir != NULL)
    {
      PlotOptions popts = { 0 };
      status = cli_plot_trace_file (out.plot_trace, o.plot_dir, &popts);
    }
  else
    status = ok ? EXIT_SUCCESS : EXIT_BAD_INPUT;
  g_free (out.plot_trace);
done:
  g_free (o.personality);
  g_free (o.msl);
  g_free (o.json_path);
  g_free (o.plot_dir);
  return status;
}
