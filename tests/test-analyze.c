/* test-analyze.c: `twsim analyze` on captures made here: twsim's own
 * --pcap of every hazard scenario (the verdicts of the run must be found
 * on the wire, or be one the wire cannot show), the same capture in every
 * supported link type, IPv6 and pcapng, broken captures (exit 2 naming the
 * packet, no partial output), and a long capture whose memory stays
 * bounded by the live four-tuples. */
#include "cap-fixture.h"
#include "cli-fixture.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir;

/* ---- agreement: run verdicts vs analyze verdicts ------------------------ */

typedef struct {
  const char *scenario;     /* under scenarios/hazards */
  const char *args[4];      /* analyze options besides --msl 30s */
  const char *run;          /* the run's verdicts, space separated, sorted */
  const char *analyze;      /* analyze's verdicts */
  const char *note;         /* why they differ, if they do */
} Agreement;

/* The run's H1 is CORRUPTION (an application read old bytes); on the wire
 * the nearest is H1-RISK (old bytes inside the window, and ACCEPTED when
 * the receiver ACKs them). What the application read is not on the wire. */
static const Agreement agreements[] = {
  { "ack-loop-h2", { "--personality", "textbook" }, "H2 REUSE", "H1-RISK H2 REUSE",
    "H1-RISK: the old bytes were accepted (ACKed) but never read; reads are not on the wire" },
  { "crash-reboot-quiet-time", { "--personality", "textbook" }, "REUSE", "REUSE", "" },
  { "crash-reboot-within-msl", { "--personality", "textbook" }, "H1 REUSE", "H1-RISK REUSE", "" },
  { "fast-connection-outruns-isn-clock", { "--personality", "textbook" }, "H1 REUSE", "H1-RISK REUSE", "" },
  { "final-ack-lost-no-time-wait", { "--personality", "textbook" }, "H3", "H3", "" },
  { "isn-choice-decides-overlap-clock", { "--personality", "textbook" }, "REUSE", "REUSE STALE",
    "STALE: the old segment fell outside the window (the run lists it under old segments)" },
  { "isn-choice-decides-overlap-fixed", { "--personality", "textbook" }, "H1 REUSE", "H1-RISK REUSE", "" },
  { "isn-choice-decides-overlap-rfc6528", { "--personality", "textbook" }, "REUSE", "REUSE STALE",
    "STALE: outside the window, as the run says" },
  { "linux-time-wait-screens-stale-data", { "--personality", "linux" }, "REUSE", "REUSE STALE",
    "STALE: dropped by PAWS, as the run says" },
  { "new-connection-killed-in-syn-sent", { "--personality", "textbook" }, "H3 REUSE", "H3 REUSE", "" },
  { "paws-drops-stale-segment", { "--personality", "textbook" }, "REUSE", "REUSE STALE",
    "STALE: dropped by PAWS, as the run says" },
  { "stale-data-corrupts-new-connection", { "--personality", "textbook" }, "H1 REUSE", "H1-RISK REUSE", "" },
  { "syn-below-rcv-nxt-assassinates", { "--personality", "textbook" }, "H1 REUSE TWA",
    "H1-RISK REUSE STALE TWA", "STALE: the TIME-WAIT's ACK reaching the new SYN-SENT" },
  { "time-wait-assassination-f1", { "--personality", "textbook", "--rfc1337" }, "", "",
    "the server's time_wait_rst=ignore is given to analyze as --rfc1337" },
  { "time-wait-assassination", { "--personality", "textbook" }, "TWA", "TWA", "" },
};

static char *
run_verdicts (const char *out)
{
  static const struct { const char *marker, *name; } marks[] = {
    { "CORRUPTION:", "H1" }, { "  H2 (RFC 1337)", "H2" }, { "  H3 (RFC 1337)", "H3" },
    { "PORT REUSE WITHOUT TIME-WAIT", "REUSE" }, { "TIME-WAIT ASSASSINATION", "TWA" },
  };
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (marks); i++)
    if (strstr (out, marks[i].marker) != NULL)
      g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", marks[i].name);
  return g_string_free (s, FALSE);
}

/* The verdicts in analyze's narration: lines whose text starts "NAME: ". */
static char *
analyze_verdicts (const char *out)
{
  static const char *const names[] = { "H1-RISK", "H2", "H3", "REUSE", "STALE", "TWA" };
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *marker = g_strdup_printf ("  %s: ", names[i]);
      if (strstr (out, marker) != NULL)
        g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", names[i]);
    }
  return g_string_free (s, FALSE);
}

static char *
capture_path (const char *scenario)
{
  g_autofree char *name = g_strdup_printf ("%s.pcap", scenario);
  return g_build_filename (tmp_dir, name, NULL);
}

static CliOutcome
analyze (const char *pcap, const char *const *extra)
{
  const char *args[16] = { "analyze", pcap, "--msl", "30s" };
  gsize n = 4;
  for (gsize i = 0; extra != NULL && extra[i] != NULL && n < 15; i++)
    args[n++] = extra[i];
  args[n] = NULL;
  return cli_run_twsim (tmp_dir, args, NULL);
}

static void
test_agrees_with_run (gconstpointer data)
{
  const Agreement *a = data;
  g_autofree char *scn = g_strdup_printf ("%s/scenarios/hazards/%s.scn",
                                          g_getenv ("TWSIM_SOURCE_ROOT"), a->scenario);
  g_autofree char *pcap = capture_path (a->scenario);
  const char *run_args[] = { "run", "--quiet", scn, "--pcap", pcap, NULL };
  CliOutcome run = cli_run_twsim (tmp_dir, run_args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_autofree char *rv = run_verdicts (run.out);
  g_assert_cmpstr (rv, ==, a->run);
  CliOutcome an = analyze (pcap, a->args);
  g_assert_cmpint (an.status, ==, 0);
  g_autofree char *av = analyze_verdicts (an.out);
  g_test_message ("| %s | %s | %s | %s |", a->scenario, rv, av, a->note);
  g_assert_cmpstr (av, ==, a->analyze);
  /* Every run verdict is found on the wire (H1 as H1-RISK). */
  g_auto (GStrv) each = g_strsplit (rv, " ", -1);
  for (guint i = 0; each[i] != NULL && each[i][0] != '\0'; i++)
    {
      const char *want = g_str_equal (each[i], "H1") ? "H1-RISK" : each[i];
      g_auto (GStrv) found = g_strsplit (av, " ", -1);
      g_assert_true (g_strv_contains ((const char *const *) found, want));
    }
  cli_outcome_clear (&run);
  cli_outcome_clear (&an);
}

/* ---- link types, IPv6, pcapng ------------------------------------------- */

static char *
summary_counts (const char *out)
{
  const char *p = strstr (out, "REUSE 1");
  p = p != NULL ? g_strrstr (out, "REUSE ") : NULL;
  g_assert_nonnull (p);
  return g_strndup (p, strcspn (p, "\n"));
}

static void
test_link_types_read_alike (void)
{
  g_test_summary ("Ethernet, VLAN-tagged IPv6, Linux cooked SLL and SLL2, raw IPv6 and pcapng "
                  "captures of the flagship give the same verdicts as twsim's raw IPv4 pcap.");
  g_autofree char *scn = g_strdup_printf ("%s/scenarios/hazards/syn-below-rcv-nxt-assassinates.scn",
                                          g_getenv ("TWSIM_SOURCE_ROOT"));
  g_autofree char *pcap = g_build_filename (tmp_dir, "links.pcap", NULL);
  const char *run_args[] = { "run", "--quiet", scn, "--pcap", pcap, NULL };
  CliOutcome run = cli_run_twsim (tmp_dir, run_args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  const char *const tb[] = { "--personality", "textbook", NULL };
  CliOutcome base = analyze (pcap, tb);
  g_assert_cmpint (base.status, ==, 0);
  g_autofree char *want = summary_counts (base.out);
  g_autoptr (GPtrArray) records = cap_fixture_records (pcap);
  static const struct { CapWrap wrap; const char *name, *link; } wraps[] = {
    { CAP_WRAP_ETHERNET, "eth.pcap", "EN10MB" },
    { CAP_WRAP_ETHERNET_VLAN_IPV6, "vlan6.pcap", "EN10MB" },
    { CAP_WRAP_SLL, "sll.pcap", "LINUX_SLL" },
    { CAP_WRAP_SLL2, "sll2.pcap", "LINUX_SLL2" },
    { CAP_WRAP_RAW_IPV6, "raw6.pcap", "RAW" },
    { CAP_WRAP_PCAPNG_ETHERNET, "eth.pcapng", "EN10MB" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (wraps); i++)
    {
      g_autofree char *path = g_build_filename (tmp_dir, wraps[i].name, NULL);
      cap_fixture_write (path, records, wraps[i].wrap);
      CliOutcome o = analyze (path, tb);
      g_assert_cmpint (o.status, ==, 0);
      g_autofree char *got = summary_counts (o.out);
      g_autofree char *link = g_strdup_printf ("(%s)", wraps[i].link);
      g_test_message ("%s: %s", wraps[i].name, got);
      g_assert_cmpstr (got, ==, want);
      g_assert_nonnull (strstr (o.out, link));
      if (wraps[i].wrap == CAP_WRAP_RAW_IPV6 || wraps[i].wrap == CAP_WRAP_ETHERNET_VLAN_IPV6)
        g_assert_nonnull (strstr (o.out, "[2001:db8::a00:1]:4000"));
      cli_outcome_clear (&o);
    }
  cli_outcome_clear (&run);
  cli_outcome_clear (&base);
}

/* ---- broken captures ----------------------------------------------------- */

static void
expect_bad (const char *name, const char *message)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *json = g_build_filename (tmp_dir, "bad.jsonl", NULL);
  g_remove (json);
  const char *args[] = { "analyze", path, "--json", json, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_test_message ("%s -> %s", name, o.err);
  g_assert_cmpint (o.status, ==, 2);
  g_assert_nonnull (strstr (o.err, message));
  g_assert_true (g_str_has_prefix (o.err, path));
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  cli_outcome_clear (&o);
}

static const guint8 ip_tcp[40] = {
  0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
  0x0f, 0xa0, 0, 80, 0, 0, 3, 0xe8, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
};

static void
write_one (const char *name, guint32 link, const guint8 *pkt, gsize len)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  const guint8 *pkts[2] = { ip_tcp, pkt };
  gsize lens[2] = { sizeof ip_tcp, len };
  cap_fixture_write_raw (path, link, pkts, lens, 2);
}

static void
test_broken_captures_exit_2 (void)
{
  g_test_summary ("House rule: bad input is 'file: what is wrong' (with the packet number) and "
                  "exit 2; no partial --json file.");
  g_autofree char *empty = g_build_filename (tmp_dir, "empty.pcap", NULL);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  expect_bad ("empty.pcap", "truncated dump file");
  g_autofree char *garbage = g_build_filename (tmp_dir, "garbage.pcap", NULL);
  g_assert_true (g_file_set_contents (garbage, "not a capture at all\n", -1, NULL));
  expect_bad ("garbage.pcap", "unknown file format");
  expect_bad ("missing.pcap", "No such file");

  write_one ("short-tcp.pcap", 101, ip_tcp, 30);
  expect_bad ("short-tcp.pcap", "packet 2: truncated TCP header");
  guint8 doff[40];
  memcpy (doff, ip_tcp, 40);
  doff[32] = 0x30;
  write_one ("doff.pcap", 101, doff, 40);
  expect_bad ("doff.pcap", "packet 2: bad TCP data offset");
  guint8 opts[48];
  memcpy (opts, ip_tcp, 40);
  opts[3] = 48;
  opts[32] = 0x70;
  memset (opts + 40, 0, 8);
  opts[40] = 8;
  opts[41] = 40; /* a timestamps option longer than the header */
  write_one ("option.pcap", 101, opts, 48);
  expect_bad ("option.pcap", "packet 2: malformed TCP option");
  guint8 ihl[40];
  memcpy (ihl, ip_tcp, 40);
  ihl[0] = 0x43;
  write_one ("ihl.pcap", 101, ihl, 40);
  expect_bad ("ihl.pcap", "packet 2: bad IPv4 header");
  guint8 total[40];
  memcpy (total, ip_tcp, 40);
  total[3] = 30;
  write_one ("total.pcap", 101, total, 40);
  expect_bad ("total.pcap", "packet 2: truncated TCP header");
  write_one ("eth.pcap", 1, ip_tcp, 10);
  expect_bad ("eth.pcap", "packet 2: truncated Ethernet header");
  write_one ("sll.pcap", 113, ip_tcp, 12);
  expect_bad ("sll.pcap", "packet 2: truncated Linux cooked (SLL) header");
  write_one ("wifi.pcap", 105, ip_tcp, 40);
  expect_bad ("wifi.pcap", "link type 105");

  /* A capture cut in the middle of a packet. */
  g_autofree char *whole = g_build_filename (tmp_dir, "whole.pcap", NULL);
  const guint8 *pkts[3] = { ip_tcp, ip_tcp, ip_tcp };
  gsize lens[3] = { 40, 40, 40 };
  cap_fixture_write_raw (whole, 101, pkts, lens, 3);
  gchar *buf = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (whole, &buf, &len, NULL));
  g_autofree char *cut = g_build_filename (tmp_dir, "cut.pcap", NULL);
  g_assert_true (g_file_set_contents (cut, buf, (gssize) len - 7, NULL));
  g_free (buf);
  expect_bad ("cut.pcap", "packet 3: truncated dump file");
}

static void
test_every_prefix_of_a_capture_is_handled (void)
{
  g_test_summary ("No input can crash: every truncation of a real capture is read or refused "
                  "with exit 2.");
  g_autofree char *scn = g_strdup_printf ("%s/scenarios/hazards/time-wait-assassination.scn",
                                          g_getenv ("TWSIM_SOURCE_ROOT"));
  g_autofree char *pcap = g_build_filename (tmp_dir, "prefix-src.pcap", NULL);
  const char *run_args[] = { "run", "--quiet", scn, "--pcap", pcap, NULL };
  CliOutcome run = cli_run_twsim (tmp_dir, run_args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_outcome_clear (&run);
  gchar *buf = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (pcap, &buf, &len, NULL));
  g_autofree char *cut = g_build_filename (tmp_dir, "prefix.pcap", NULL);
  for (gsize n = 0; n < len; n += 13)
    {
      g_assert_true (g_file_set_contents (cut, buf, (gssize) n, NULL));
      const char *args[] = { "analyze", "-q", cut, NULL };
      CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
      g_assert_true (o.status == 0 || o.status == 2);
      if (o.status == 2)
        g_assert_true (g_str_has_prefix (o.err, cut));
      cli_outcome_clear (&o);
    }
  g_free (buf);
}

static void
test_mutated_captures_never_crash (void)
{
  g_test_summary ("No input can crash: 100 captures with random bytes changed (fixed seed) are "
                  "each read or refused with exit 2.");
  g_autofree char *scn = g_strdup_printf ("%s/scenarios/hazards/syn-below-rcv-nxt-assassinates.scn",
                                          g_getenv ("TWSIM_SOURCE_ROOT"));
  g_autofree char *pcap = g_build_filename (tmp_dir, "mutate-src.pcap", NULL);
  const char *run_args[] = { "run", "--quiet", scn, "--pcap", pcap, NULL };
  CliOutcome run = cli_run_twsim (tmp_dir, run_args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_outcome_clear (&run);
  gchar *buf = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (pcap, &buf, &len, NULL));
  g_autoptr (GRand) rand = g_rand_new_with_seed (17);
  g_autofree char *bad = g_build_filename (tmp_dir, "mutated.pcap", NULL);
  for (int round = 0; round < 100; round++)
    {
      g_autofree gchar *copy = g_memdup2 (buf, len);
      for (int k = 0; k < 1 + round % 8; k++)
        copy[g_rand_int_range (rand, 24, (gint32) len)] = (gchar) g_rand_int_range (rand, 0, 256);
      g_assert_true (g_file_set_contents (bad, copy, (gssize) len, NULL));
      const char *args[] = { "analyze", "-q", bad, "--json", "mutated.jsonl", NULL };
      CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
      if (o.status != 0 && o.status != 2)
        g_test_message ("round %d: exit %d: %s", round, o.status, o.err);
      g_assert_true (o.status == 0 || o.status == 2);
      cli_outcome_clear (&o);
    }
  g_free (buf);
}

/* ---- memory bounded by live four-tuples ---------------------------------- */

static void
put_le32 (GByteArray *b, guint32 v)
{
  guint8 x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (b, x, 4);
}

/* n connections, one every `gap` ns, each SYN / SYN,ACK / FIN / ACK. */
static void
write_churn (const char *path, guint n, gint64 gap)
{
  GByteArray *f = g_byte_array_new ();
  guint8 head[24] = { 0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                      0, 0, 4, 0, 101, 0, 0, 0 };
  g_byte_array_append (f, head, 24);
  for (guint i = 0; i < n; i++)
    {
      static const guint8 flags[4] = { 0x02, 0x12, 0x11, 0x10 };
      for (int k = 0; k < 4; k++)
        {
          guint8 p[40];
          memcpy (p, ip_tcp, 40);
          guint16 port = (guint16) (1024 + i % 60000);
          p[15] = (guint8) (1 + i / 60000);
          p[20] = port >> 8;
          p[21] = port & 0xff;
          if (k % 2 == 1)
            {
              guint8 tmp[6];
              memcpy (tmp, p + 12, 4); memcpy (p + 12, p + 16, 4); memcpy (p + 16, tmp, 4);
              memcpy (tmp, p + 20, 2); memcpy (p + 20, p + 22, 2); memcpy (p + 22, tmp, 2);
            }
          p[33] = flags[k];
          gint64 t = (gint64) i * gap + k * 1000;
          put_le32 (f, (guint32) (t / 1000000000));
          put_le32 (f, (guint32) (t % 1000000000));
          put_le32 (f, 40);
          put_le32 (f, 40);
          g_byte_array_append (f, p, 40);
        }
    }
  g_assert_true (g_file_set_contents (path, (const char *) f->data, f->len, NULL));
  g_byte_array_unref (f);
}

static void
test_memory_bounded_by_live_tuples (void)
{
  g_test_summary ("A long capture is streamed: four-tuples idle for TIME-WAIT + MSL are "
                  "forgotten, so the live count stays near rate x horizon.");
  g_autofree char *path = g_build_filename (tmp_dir, "churn.pcap", NULL);
  /* 50 000 connections, one every 100 ms: 5000 s of capture; the horizon
   * (60 s + 30 s) holds about 900 of them. */
  write_churn (path, 50000, 100 * G_GINT64_CONSTANT (1000000));
  const char *args[] = { "analyze", "-q", path, "--json", "churn.jsonl", NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_autofree char *json = g_build_filename (tmp_dir, "churn.jsonl", NULL);
  gchar *text = NULL;
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
  const char *summary = g_strrstr (text, "four-tuples (at most ");
  g_assert_nonnull (summary);
  guint live = (guint) g_ascii_strtoull (summary + strlen ("four-tuples (at most "), NULL, 10);
  g_test_message ("50000 four-tuples, at most %u live", live);
  g_assert_nonnull (strstr (text, "50000 four-tuples"));
  g_assert_cmpuint (live, <=, 1100);
  g_free (text);
  cli_outcome_clear (&o);
}

/* ---- mid-stream start and usage ----------------------------------------- */

static void
test_mid_stream_start_opens_an_incarnation (void)
{
  g_test_summary ("A capture that begins after the handshake still splits the four-tuple: the "
                  "first incarnation opens with no SYN, the reuse is still found.");
  g_autofree char *scn = g_strdup_printf ("%s/scenarios/hazards/stale-data-corrupts-new-connection.scn",
                                          g_getenv ("TWSIM_SOURCE_ROOT"));
  g_autofree char *pcap = g_build_filename (tmp_dir, "mid-src.pcap", NULL);
  const char *run_args[] = { "run", "--quiet", scn, "--pcap", pcap, NULL };
  CliOutcome run = cli_run_twsim (tmp_dir, run_args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_autoptr (GPtrArray) records = cap_fixture_records (pcap);
  g_ptr_array_remove_range (records, 0, 3);
  g_autofree char *mid = g_build_filename (tmp_dir, "mid.pcap", NULL);
  cap_fixture_write (mid, records, CAP_WRAP_ETHERNET);
  const char *const tb[] = { "--personality", "textbook", NULL };
  CliOutcome o = analyze (mid, tb);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "incarnation #1, the capture began mid-connection"));
  g_assert_nonnull (strstr (o.out, "incarnation #2, SYN"));
  g_assert_nonnull (strstr (o.out, "  REUSE: "));
  g_assert_nonnull (strstr (o.out, "  H1-RISK: "));
  cli_outcome_clear (&run);
  cli_outcome_clear (&o);
}

static void
test_usage_errors_exit_2 (void)
{
  g_test_summary ("No capture, two captures, an unknown personality or a bad --msl: exit 2.");
  static const char *const cases[][5] = {
    { "analyze", NULL },
    { "analyze", "a.pcap", "b.pcap", NULL },
    { "analyze", "a.pcap", "--personality", "plan9", NULL },
    { "analyze", "a.pcap", "--msl", "forever", NULL },
    { "analyze", "a.pcap", "--msl", "0s", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CliOutcome o = cli_run_twsim (tmp_dir, cases[i], NULL);
      g_assert_cmpint (o.status, ==, 2);
      g_assert_cmpstr (o.err, !=, "");
      cli_outcome_clear (&o);
    }
}

/* ---- --plot --------------------------------------------------------------- */

static void
test_plot_draws_the_capture (void)
{
  g_test_summary ("--plot DIR: the capture as a twsim trace drawn by plots/: ladder with the "
                  "old segment as a stale arrival, inferred state timeline, time-sequence.");
  g_autofree char *scn = g_strdup_printf ("%s/scenarios/hazards/stale-data-corrupts-new-connection.scn",
                                          g_getenv ("TWSIM_SOURCE_ROOT"));
  g_autofree char *pcap = g_build_filename (tmp_dir, "plot.pcap", NULL);
  const char *run_args[] = { "run", "--quiet", scn, "--pcap", pcap, NULL };
  CliOutcome run = cli_run_twsim (tmp_dir, run_args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_autofree char *dir = g_build_filename (tmp_dir, "plots", NULL);
  const char *args[] = { "analyze", "-q", pcap, "--personality", "textbook", "--plot", dir, NULL };
  CliOutcome o = cli_run_twsim (tmp_dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  static const char *const files[] = { "capture.jsonl", "ladder.dat", "ladder.gp", "states.dat",
                                       "states.gp", "tseq-10_0_0_1-1.dat" };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *f = g_build_filename (dir, files[i], NULL);
      g_assert_true (g_file_test (f, G_FILE_TEST_IS_REGULAR));
    }
  g_autofree char *ladder = g_build_filename (dir, "ladder.dat", NULL);
  gchar *text = NULL;
  g_assert_true (g_file_get_contents (ladder, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "#1 STALE \xe2\x86\x92 #2"));
  g_free (text);
  g_autofree char *states = g_build_filename (dir, "states.dat", NULL);
  g_assert_true (g_file_get_contents (states, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "TIME-WAIT"));
  g_free (text);
  cli_outcome_clear (&run);
  cli_outcome_clear (&o);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("twsim-analyze-XXXXXX", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (agreements); i++)
    {
      g_autofree char *name = g_strdup_printf ("/analyze/agrees-with-run/%s", agreements[i].scenario);
      g_test_add_data_func (name, &agreements[i], test_agrees_with_run);
    }
  g_test_add_func ("/analyze/link-types-ipv6-and-pcapng-read-alike", test_link_types_read_alike);
  g_test_add_func ("/analyze/broken-captures-exit-2-naming-the-packet", test_broken_captures_exit_2);
  g_test_add_func ("/analyze/every-prefix-of-a-capture-is-handled", test_every_prefix_of_a_capture_is_handled);
  g_test_add_func ("/analyze/memory-bounded-by-live-four-tuples", test_memory_bounded_by_live_tuples);
  g_test_add_func ("/analyze/plot-draws-the-capture", test_plot_draws_the_capture);
  g_test_add_func ("/analyze/mid-stream-start-opens-an-incarnation", test_mid_stream_start_opens_an_incarnation);
  g_test_add_func ("/analyze/usage-errors-exit-2", test_usage_errors_exit_2);
  g_test_add_func ("/analyze/mutated-captures-never-crash", test_mutated_captures_never_crash);
  int rc = g_test_run ();
  cli_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
