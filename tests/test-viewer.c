/* test-viewer.c: the viewer page (`twsim html`, `twsim run --html`) as a
 * user meets it. Without a browser: one self-contained file, the same bytes
 * every time, hostile trace text kept inside its <script> element, usage
 * errors. In Debian's headless chromium (skipped, saying so, when it is not
 * installed): the page steps to given events (URL hook ?actions=, real key
 * presses and clicks) and the test reads back, through the DOM, the state
 * highlighted in each host's diagram, the transition lit, the narration and
 * its rule, and a clicked segment's details; two traces stay locked on
 * virtual time; a run of 10^4 segments paints and steps fast; the
 * flagship's screenshot at the corruption event has the right size. Every
 * page load fails the test on any console message or script error. */
#include "cli-fixture.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define WIDTH 1280
#define HEIGHT 900

static char *tmp_dir;
static char *flag_trace;    /* the flagship's trace */
static char *flag_page;     /* its page, from `twsim run --html` */
static char *linux_trace;   /* the same exchange between Linux hosts */
static char *chromium;      /* NULL: not installed */

static const char *const flagship = "scenarios/hazards/stale-data-corrupts-new-connection.scn";

static char *
in_tmp (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static char *
source_path (const char *rel)
{
  return g_build_filename (g_getenv ("TWSIM_SOURCE_ROOT"), rel, NULL);
}

static char *
read_all (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
twsim_ok (const char *const *args)
{
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  if (o.status != 0)
    g_printerr ("%s%s", o.out, o.err);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
}

static gboolean
need_browser (void)
{
  if (chromium != NULL)
    return TRUE;
  g_test_skip ("chromium is not installed (apt-get install chromium): browser checks skipped");
  return FALSE;
}

/* Runs headless chromium on url with `mode` ("--dump-dom" or
 * "--screenshot=FILE"); fails on a console message. Returns stdout. */
static char *
browse (const char *mode, const char *url)
{
  g_autofree char *profile = in_tmp ("chromium-profile");
  g_autofree char *profile_arg = g_strconcat ("--user-data-dir=", profile, NULL);
  g_autofree char *size = g_strdup_printf ("--window-size=%d,%d", WIDTH, HEIGHT);
  const char *argv[] = {
    chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
    "--no-first-run", "--no-default-browser-check", "--disable-extensions",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0", profile_arg, size, mode, url, NULL,
  };
  CliOutcome o = cli_spawn (tmp_dir, argv, NULL);
  g_assert_cmpint (o.status, ==, 0);
  /* Chromium logs every console message of the page as ":CONSOLE". */
  if (strstr (o.err, ":CONSOLE") != NULL || strstr (o.err, "Uncaught") != NULL)
    {
      g_printerr ("%s", o.err);
      g_assert_not_reached ();
    }
  char *out = g_steal_pointer (&o.out);
  cli_outcome_clear (&o);
  return out;
}

static char *
page_url (const char *page, const char *query)
{
  g_autofree char *uri = g_filename_to_uri (page, NULL, NULL);
  g_assert_nonnull (uri);
  return g_strconcat (uri, query, NULL);
}

/* The page's DOM after load; the script ran without error. */
static char *
dump_dom (const char *page, const char *query)
{
  g_autofree char *url = page_url (page, query);
  char *dom = browse ("--dump-dom", url);
  g_assert_nonnull (strstr (dom, "data-ready=\"1\""));
  g_assert_null (strstr (dom, "data-error="));
  return dom;
}

static char *
unescape_text (const char *s)
{
  GString *out = g_string_new (NULL);
  while (*s != '\0')
    {
      const struct { const char *ent; char c; } ents[] = {
        { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' }, { "&nbsp;", ' ' },
      };
      gboolean done = FALSE;
      for (gsize i = 0; i < G_N_ELEMENTS (ents) && !done; i++)
        if (g_str_has_prefix (s, ents[i].ent))
          {
            g_string_append_c (out, ents[i].c);
            s += strlen (ents[i].ent);
            done = TRUE;
          }
      if (!done)
        g_string_append_c (out, *s++);
    }
  return g_string_free (out, FALSE);
}

/* The snapshots the page wrote for ?actions=...,snap: one JSON object per
 * pane per snap, as the DOM showed them. */
static GPtrArray *
probe (const char *page, const char *actions)
{
  g_autofree char *query = g_strconcat ("?actions=", actions, NULL);
  g_autofree char *dom = dump_dom (page, query);
  const char *open = "<pre id=\"twsim-probe\">";
  const char *start = strstr (dom, open);
  g_assert_nonnull (start);
  start += strlen (open);
  const char *end = strstr (start, "</pre>");
  g_assert_nonnull (end);
  g_autofree char *raw = g_strndup (start, (gsize) (end - start));
  g_autofree char *text = unescape_text (raw);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *snaps = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      GError *error = NULL;
      JsonNode *node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      g_ptr_array_add (snaps, node);
    }
  return snaps;
}

static JsonObject *
snap (GPtrArray *snaps, guint i)
{
  g_assert_cmpuint (i, <, snaps->len);
  return json_node_get_object (g_ptr_array_index (snaps, i));
}

static const char *
str (JsonObject *o, const char *key)
{
  return json_object_get_string_member (o, key);
}

static JsonObject *
diagram (JsonObject *s, const char *host)
{
  return json_object_get_object_member (json_object_get_object_member (s, "diagrams"), host);
}

static gboolean
current_arrow (JsonObject *s, const char *prefix)
{
  JsonArray *cur = json_object_get_array_member (s, "current");
  for (guint i = 0; i < json_array_get_length (cur); i++)
    if (g_str_has_prefix (json_array_get_string_element (cur, i), prefix))
      return TRUE;
  return FALSE;
}

/* ---- without a browser ---- */

static void
test_page_is_self_contained_and_deterministic (void)
{
  g_autofree char *page = read_all (flag_page);
  g_assert_true (g_str_has_prefix (page, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (page, "class=\"twsim-trace\""));
  /* Nothing fetched: no external script, style sheet, image or URL but the
   * SVG namespace name. */
  g_assert_null (strstr (page, "<link"));
  g_assert_null (strstr (page, " src="));
  g_assert_null (strstr (page, "url(http"));
  g_auto (GStrv) parts = g_strsplit (page, "http", -1);
  for (guint i = 1; parts[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (parts[i], "://www.w3.org/2000/svg"));
  g_assert_cmpuint (strlen (page), <, 500 * 1024);

  g_autofree char *a = in_tmp ("a.html");
  g_autofree char *b = in_tmp ("b.html");
  twsim_ok ((const char *const[]) { "html", flag_trace, "--out", a, NULL });
  twsim_ok ((const char *const[]) { "html", flag_trace, "--out", b, NULL });
  g_autofree char *ta = read_all (a);
  g_autofree char *tb = read_all (b);
  g_assert_cmpstr (ta, ==, tb);
}

static const char hostile_text[] =
  "</script><script>document.title=\"pwned\"</script><!-- \xe2\x80\xa8 \xe2\x80\xa9 <b>&amp;";

static char *
write_hostile_trace (void)
{
  g_autofree char *escaped = g_strescape (hostile_text, "\xe2\x80\xa8\xa9");
  g_autoptr (GString) t = g_string_new ("{\"v\":1,\"twsim\":\"trace\"}\n");
  g_string_append_printf (t, "{\"t\":0,\"i\":0,\"k\":\"tcp.state\",\"h\":\"h</script>\",\"conn\":1,\"inc\":1,"
                             "\"local\":\"a\",\"remote\":\"b\",\"from\":\"CLOSED\",\"to\":\"LISTEN\",\"text\":\"%s\"}\n",
                          escaped);
  g_string_append_printf (t, "{\"t\":5,\"i\":1,\"k\":\"sock.call\",\"h\":\"h</script>\",\"rule\":\"%s\",\"text\":\"%s\"}\n",
                          escaped, escaped);
  char *path = in_tmp ("hostile.jsonl");
  g_assert_true (g_file_set_contents (path, t->str, (gssize) t->len, NULL));
  return path;
}

static void
test_hostile_trace_strings_stay_text (void)
{
  g_autofree char *trace = write_hostile_trace ();
  g_autofree char *page_path = in_tmp ("hostile.html");
  twsim_ok ((const char *const[]) { "html", trace, "--out", page_path, NULL });
  g_autofree char *page = read_all (page_path);
  /* One </script> per script element: two (data, code), no more. */
  guint closes = 0;
  for (const char *p = strstr (page, "</script"); p != NULL; p = strstr (p + 1, "</script"))
    closes++;
  g_assert_cmpuint (closes, ==, 2);
  g_assert_null (strstr (page, "<!--"));
  g_assert_null (strstr (page, "\xe2\x80\xa8"));
  g_assert_null (strstr (page, "\xe2\x80\xa9"));
  if (!need_browser ())
    return;
  g_autoptr (GPtrArray) snaps = probe (page_path, "go:0,snap,go:1,snap");
  g_assert_cmpstr (str (snap (snaps, 0), "text"), ==, hostile_text);
  g_assert_cmpstr (str (snap (snaps, 0), "host"), ==, "h</script>");
  g_assert_nonnull (strstr (str (snap (snaps, 1), "rule"), hostile_text));
  g_autofree char *dom = dump_dom (page_path, "");
  g_assert_null (strstr (dom, "pwned</title>"));
}

static void
test_usage_and_bad_traces (void)
{
  g_autofree char *page = in_tmp ("x.html");
  g_autofree char *bad = in_tmp ("bad.jsonl");
  g_assert_true (g_file_set_contents (bad, "{\"v\":1,\"twsim\":\"trace\"}\n{\"t\":0,\"k\":\"tcp.state\"\n", -1, NULL));
  struct { const char *args[6]; const char *says; } cases[] = {
    { { "html", flag_trace, NULL }, "--out" },
    { { "html", "--out", page, NULL }, "one or two" },
    { { "html", flag_trace, flag_trace, flag_trace, "--out", page }, "one or two" },
    { { "html", bad, "--out", page, NULL }, "bad.jsonl:2:" },
    { { "html", flag_trace, "--max-events", "0", "--out", page }, "--max-events" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[7] = { NULL };
      memcpy (args, cases[i].args, sizeof cases[i].args);
      CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
      g_assert_cmpint (o.status, ==, 2);
      g_assert_nonnull (strstr (o.err, cases[i].says));
      cli_outcome_clear (&o);
    }
  g_assert_false (g_file_test (page, G_FILE_TEST_EXISTS));
}

/* ---- in the browser ---- */

static void
test_steps_show_state_transition_narration_and_segment (void)
{
  if (!need_browser ())
    return;
  /* 28: server receives the handshake's last ACK; 29: SYN-RECEIVED ->
   * ESTABLISHED; 128: the stale copy accepted; v v: next verdicts. */
  g_autoptr (GPtrArray) snaps = probe (flag_page,
    "go:27,key:ArrowRight,key:ArrowRight,key:ArrowRight,key:ArrowLeft,snap,"
    "click:back,snap,go:128,snap,click:first,key:v,snap,key:v,snap,seg:4.1,snap,decision:3,snap");

  JsonObject *s = snap (snaps, 0);
  g_assert_cmpstr (str (s, "index"), ==, "event 29 / 144");
  g_assert_cmpstr (str (s, "kind"), ==, "tcp.state");
  g_assert_cmpstr (str (s, "text"), ==, "SYN-RECEIVED -> ESTABLISHED (our SYN,ACK was acknowledged)");
  JsonObject *server = diagram (s, "server");
  g_assert_cmpstr (str (server, "state"), ==, "ESTABLISHED");
  g_assert_cmpstr (str (server, "lit"), ==, "SYN-RECEIVED->ESTABLISHED");
  g_assert_true (json_object_get_boolean_member (server, "just"));
  g_assert_cmpstr (str (server, "label"), ==, "rcv ACK of SYN");
  g_assert_cmpstr (str (diagram (s, "client"), "state"), ==, "ESTABLISHED");
  g_assert_false (json_object_get_boolean_member (diagram (s, "client"), "just"));

  s = snap (snaps, 1);   /* one back: the ACK arriving in SYN-RECEIVED */
  g_assert_cmpstr (str (s, "index"), ==, "event 28 / 144");
  g_assert_cmpstr (str (s, "kind"), ==, "tcp.recv");
  g_assert_cmpstr (str (diagram (s, "server"), "state"), ==, "SYN-RECEIVED");
  g_assert_cmpstr (str (diagram (s, "server"), "lit"), ==, "LISTEN->SYN-RECEIVED");
  g_assert_nonnull (strstr (str (s, "rule"), "in window [1001, 66536): RFC 9293 3.10.7.4, accepted"));
  g_assert_true (current_arrow (s, "3.0 arrow cat-normal"));

  s = snap (snaps, 2);   /* the old copy accepted by incarnation #2 */
  g_assert_cmpstr (str (s, "time"), ==, "2.110 s");
  g_assert_cmpstr (str (s, "host"), ==, "server");
  g_assert_nonnull (strstr (str (s, "text"), "(duplicate 1) in ESTABLISHED: accepted"));
  g_assert_nonnull (strstr (str (s, "rule"), "RFC 9293 3.10.7.4"));
  g_assert_true (current_arrow (s, "4.1 arrow cat-stale"));
  g_assert_nonnull (strstr (str (diagram (s, "server"), "caption"), "#2"));

  s = snap (snaps, 3);   /* first verdict: port reuse at 1.000 s */
  g_assert_cmpstr (str (s, "kind"), ==, "verdict.reuse");
  g_assert_cmpstr (str (s, "time"), ==, "1.000 s");
  s = snap (snaps, 4);   /* next: the corruption */
  g_assert_cmpstr (str (s, "kind"), ==, "verdict.corruption");
  g_assert_cmpstr (str (s, "time"), ==, "2.200 s");
  g_assert_true (g_str_has_prefix (str (s, "text"), "CORRUPTION: server read \"balance=100\""));

  s = snap (snaps, 5);   /* the stale copy clicked: its connections selected */
  g_assert_true (g_str_has_prefix (str (diagram (s, "client"), "caption"), "client #1 (10.0.0.1:4000 > 10.0.0.2:80): "));
  g_assert_cmpstr (str (diagram (s, "client"), "state"), ==, "CLOSED");
  g_assert_true (g_str_has_prefix (str (diagram (s, "server"), "caption"), "server #2 (10.0.0.2:80 > 10.0.0.1:4000): "));
  g_assert_cmpstr (str (diagram (s, "server"), "state"), ==, "ESTABLISHED");
  JsonObject *sel = json_object_get_object_member (s, "selected");
  g_assert_cmpstr (str (sel, "seg"), ==, "4.1");
  const char *details = str (sel, "text");
  const char *expected[] = {
    "Segment 4, copy 1: PSH,ACK client → server", "seq1001", "len11",
    "sent byclient #1 (10.0.0.1:4000 > 10.0.0.2:80)", "copy 1 made by the link (not the original)",
    "left0.100 s", "arrived2.110 s", "server #2 (10.0.0.2:80 > 10.0.0.1:4000): STALE",
    "link.dup", "tcp.recv", "accepted", "rule: in window [1001, 66536): RFC 9293 3.10.7.4, accepted",
    "tcp.stale-data", "accepted 11 bytes of incarnation #1 into incarnation #2", "verdict.corruption",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    if (strstr (details, expected[i]) == NULL)
      g_error ("segment details lack \"%s\": %s", expected[i], details);

  s = snap (snaps, 6);   /* its fourth decision clicked: the cursor goes there */
  g_assert_cmpstr (str (s, "kind"), ==, "tcp.stale-data");
}

static void
test_rst_transition_outside_figure_5_is_dashed (void)
{
  if (!need_browser ())
    return;
  g_autofree char *scn = source_path ("scenarios/hazards/time-wait-assassination.scn");
  g_autofree char *page = in_tmp ("twa.html");
  twsim_ok ((const char *const[]) { "run", scn, "--quiet", "--html", page, NULL });
  g_autoptr (GPtrArray) snaps = probe (page, "verdict:0,snap");
  JsonObject *s = snap (snaps, 0);
  g_assert_cmpstr (str (s, "kind"), ==, "verdict.assassination");
  JsonObject *server = diagram (s, "server");
  g_assert_cmpstr (str (server, "state"), ==, "CLOSED");
  g_assert_cmpstr (str (server, "lit"), ==, "TIME-WAIT->CLOSED");
  g_assert_cmpstr (str (server, "label"), ==, "rcv RST (not in Figure 5)");
  g_assert_nonnull (strstr (str (server, "transition"), "TIME-WAIT assassination"));
}

static void
test_two_traces_lock_on_virtual_time (void)
{
  if (!need_browser ())
    return;
  g_autofree char *page = in_tmp ("both.html");
  twsim_ok ((const char *const[]) { "html", flag_trace, linux_trace, "--out", page, NULL });
  g_autoptr (GPtrArray) snaps = probe (page, "verdict:1,snap,key:ArrowLeft,snap");
  g_assert_cmpuint (snaps->len, ==, 4);
  /* The corruption marker of the textbook run, at 2.200 s: the Linux pane
   * shows its last event at or before 2.200 s. */
  g_assert_cmpstr (str (snap (snaps, 0), "kind"), ==, "verdict.corruption");
  g_assert_cmpint (json_object_get_int_member (snap (snaps, 1), "pane"), ==, 1);
  const char *t0 = str (snap (snaps, 0), "time");
  const char *t1 = str (snap (snaps, 1), "time");
  g_assert_cmpfloat (g_ascii_strtod (t1, NULL), <=, g_ascii_strtod (t0, NULL));
  g_assert_cmpfloat (g_ascii_strtod (t1, NULL), >, 2.0);
  /* Stepping back one event in the first pane moves the second with it. */
  const char *t2 = str (snap (snaps, 2), "time");
  const char *t3 = str (snap (snaps, 3), "time");
  g_assert_cmpfloat (g_ascii_strtod (t3, NULL), <=, g_ascii_strtod (t2, NULL));
}

/* A run of n segments, each sent, put on the link and received. */
static char *
write_large_trace (guint n)
{
  g_autoptr (GString) t = g_string_new ("{\"v\":1,\"twsim\":\"trace\"}\n");
  guint i = 0;
  g_string_append_printf (t, "{\"t\":0,\"i\":%u,\"k\":\"tcp.state\",\"h\":\"a\",\"conn\":1,\"inc\":1,\"local\":\"10.0.0.1:1\","
                             "\"remote\":\"10.0.0.2:2\",\"from\":\"SYN-SENT\",\"to\":\"ESTABLISHED\",\"text\":\"SYN-SENT -> ESTABLISHED\"}\n", i++);
  for (guint k = 0; k < n; k++)
    {
      gint64 at = (gint64) k * 1000000;
      g_autofree char *seg = g_strdup_printf ("\"seg\":%u,\"src\":\"10.0.0.1:1\",\"dst\":\"10.0.0.2:2\",\"flags\":\"ACK\",\"seq\":%u,"
                                              "\"ack\":1,\"len\":100,\"win\":65535,\"seg_conn\":1,\"seg_inc\":1,\"copy\":0,\"rexmit\":false",
                                              k + 1, 1000 + 100 * k);
      g_string_append_printf (t, "{\"t\":%" G_GINT64_FORMAT ",\"i\":%u,\"k\":\"tcp.send\",\"h\":\"a\",%s,\"conn\":1,\"inc\":1,\"why\":\"data\",\"text\":\"send %u\"}\n",
                              at, i++, seg, k);
      g_string_append_printf (t, "{\"t\":%" G_GINT64_FORMAT ",\"i\":%u,\"k\":\"link.send\",\"h\":\"a\",%s,\"link\":\"a->b\",\"arrive\":%" G_GINT64_FORMAT ",\"text\":\"a->b %u\"}\n",
                              at, i++, seg, at + 500000, k);
      g_string_append_printf (t, "{\"t\":%" G_GINT64_FORMAT ",\"i\":%u,\"k\":\"tcp.recv\",\"h\":\"b\",%s,\"conn\":2,\"inc\":1,\"state\":\"ESTABLISHED\","
                                 "\"verdict\":\"accepted\",\"rule\":\"in window\",\"stale\":false,\"text\":\"recv %u\"}\n",
                              at + 500000, i++, seg, k);
    }
  char *path = in_tmp ("large.jsonl");
  g_assert_true (g_file_set_contents (path, t->str, (gssize) t->len, NULL));
  return path;
}

static double
attr_ms (const char *dom, const char *name)
{
  g_autofree char *key = g_strdup_printf ("%s=\"", name);
  const char *at = strstr (dom, key);
  g_assert_nonnull (at);
  return g_ascii_strtod (at + strlen (key), NULL);
}

static void
test_large_run_loads_steps_and_is_cut (void)
{
  g_autofree char *trace = write_large_trace (10000);
  g_autofree char *page = in_tmp ("large.html");
  g_autofree char *cut = in_tmp ("cut.html");
  twsim_ok ((const char *const[]) { "html", trace, "--out", page, NULL });
  twsim_ok ((const char *const[]) { "html", trace, "--max-events", "1000", "--out", cut, NULL });
  if (!need_browser ())
    return;
  /* The page reports its own timings (parse, model, first drawing; one
   * step): measured and logged here, not asserted (speed is a benchmark's
   * business, never a timed test's); the page must load and step. */
  double best_start = G_MAXDOUBLE, best_step = G_MAXDOUBLE;
  for (guint tries = 0; tries < 3; tries++)
    {
      g_autofree char *dom = dump_dom (page, "?bench=100");
      best_start = MIN (best_start, attr_ms (dom, "data-script-ms"));
      best_step = MIN (best_step, attr_ms (dom, "data-step-ms"));
      g_test_message ("10^4 segments: viewer start %.1f ms (page %.1f ms since navigation), step %.2f ms",
                      attr_ms (dom, "data-script-ms"), attr_ms (dom, "data-start-ms"), attr_ms (dom, "data-step-ms"));
    }
  g_test_message ("10^4 segments, best of 3 loads: viewer start %.1f ms, step %.2f ms",
                  best_start, best_step);
  g_assert_cmpfloat (best_start, >, 0);
  g_assert_cmpfloat (best_step, >=, 0);
  g_autofree char *dom = dump_dom (cut, "");
  g_assert_nonnull (strstr (dom, "This trace has 30001 events; the page shows the first 1000 (up to 0.332500 s) "
                                 "and leaves out the other 29001."));
}

static void
check_png_size (const char *path)
{
  gsize len = 0;
  g_autofree char *png = NULL;
  g_assert_true (g_file_get_contents (path, &png, &len, NULL));
  g_assert_cmpuint (len, >, 20000);  /* not a blank page */
  g_assert_cmpmem (png, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (png + 12, 4, "IHDR", 4);
  const guchar *u = (const guchar *) png;
  guint32 w = (guint32) u[16] << 24 | (guint32) u[17] << 16 | (guint32) u[18] << 8 | u[19];
  guint32 h = (guint32) u[20] << 24 | (guint32) u[21] << 16 | (guint32) u[22] << 8 | u[23];
  g_assert_cmpuint (w, ==, WIDTH);
  g_assert_cmpuint (h, ==, HEIGHT);
}

static void
test_flagship_screenshot_at_corruption (void)
{
  g_autofree char *gallery = source_path ("plots/gallery/viewer-flagship.png");
  check_png_size (gallery);
  if (!need_browser ())
    return;
  g_autofree char *shot = in_tmp ("viewer-flagship.png");
  g_autofree char *mode = g_strconcat ("--screenshot=", shot, NULL);
  g_autofree char *url = page_url (flag_page, "?verdict=corruption&seg=4.1");
  g_free (browse (mode, url));
  check_png_size (shot);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("twsim-viewer-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  const char *env = g_getenv ("TWSIM_CHROMIUM");
  chromium = env != NULL ? g_strdup (env) : g_find_program_in_path ("chromium");
  if (chromium == NULL)
    g_test_message ("chromium is not installed: the browser checks will be skipped");
  flag_trace = in_tmp ("flagship.jsonl");
  flag_page = in_tmp ("flagship.html");
  linux_trace = in_tmp ("linux.jsonl");
  g_autofree char *scn = source_path (flagship);
  g_autofree char *linux_scn = source_path ("scenarios/hazards/linux-time-wait-screens-stale-data.scn");
  twsim_ok ((const char *const[]) { "run", scn, "--quiet", "--trace", flag_trace, "--html", flag_page, NULL });
  twsim_ok ((const char *const[]) { "run", linux_scn, "--quiet", "--trace", linux_trace, NULL });

  g_test_add_func ("/viewer/page-is-self-contained-and-deterministic", test_page_is_self_contained_and_deterministic);
  g_test_add_func ("/viewer/hostile-trace-strings-stay-text", test_hostile_trace_strings_stay_text);
  g_test_add_func ("/viewer/usage-and-bad-traces", test_usage_and_bad_traces);
  g_test_add_func ("/viewer/steps-show-state-transition-narration-and-segment",
                   test_steps_show_state_transition_narration_and_segment);
  g_test_add_func ("/viewer/rst-transition-outside-figure-5-is-dashed", test_rst_transition_outside_figure_5_is_dashed);
  g_test_add_func ("/viewer/two-traces-lock-on-virtual-time", test_two_traces_lock_on_virtual_time);
  g_test_add_func ("/viewer/large-run-loads-steps-and-is-cut", test_large_run_loads_steps_and_is_cut);
  g_test_add_func ("/viewer/flagship-screenshot-at-corruption", test_flagship_screenshot_at_corruption);
  int status = g_test_run ();
  cli_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (chromium);
  g_free (flag_trace);
  g_free (flag_page);
  g_free (linux_trace);
  return status;
}
