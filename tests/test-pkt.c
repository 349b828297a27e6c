/* test-pkt.c: `twsim packetdrill`. Bad input: one table row per error,
 * each run through the command, which must exit 2 with "t.pkt:LINE:COL: "
 * and say what is wrong. Good input: one short test per rule of the
 * packetdrill language, run in virtual time through the library. */
#include "cli-fixture.h"
#include "pkt-run.h"

#include <glib/gstdio.h>
#include <string.h>

#define SOCK "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"

typedef struct {
  const char *name;
  guint line, col;
  const char *says;   /* a piece of the message */
  const char *text;
  gsize length;       /* 0: NUL-terminated */
} BadPkt;

static const BadPkt bad_cases[] = {
  { "not-a-time", 1, 1, "expected a time", "socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" },
  { "time-backwards", 2, 1, "time runs backwards", "1 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n0.5 close(3) = 0\n" },
  { "time-finer-than-ns", 1, 1, "finer than a nanosecond", "0.0000000001 close(3) = 0\n" },
  { "range-backwards", 1, 1, "ends before it starts", "0.2~0.1 > S 0:0(0)\n" },
  { "unterminated-comment", 1, 1, "unterminated comment", "/* nothing ends this\n" SOCK },
  { "unterminated-shell", 1, 1, "unterminated shell command", "`../common/defaults.sh\n" },
  { "unknown-shell-command", 1, 2, "runs no shell", "`rm -rf /tmp/x`\n" SOCK },
  { "unknown-sysctl", 1, 2, "tcp_ecn is not modelled", "`sysctl -q net.ipv4.tcp_ecn=1`\n" SOCK },
  { "bad-sysctl-value", 1, 2, "bad value '7'", "`sysctl -q net.ipv4.tcp_rfc1337=7`\n" SOCK },
  { "shell-second-line", 2, 1, "ifconfig", "`../common/defaults.sh\nifconfig tun0 up`\n" SOCK },
  { "no-flags", 2, 5, "expected TCP flags", SOCK "0 < 0:0(0) win 100\n" },
  { "ecn-flag", 2, 6, "ECN flag 'E'", SOCK "0 < SE 0:0(0) win 100\n" },
  { "flag-twice", 2, 6, "appears twice", SOCK "0 < SS 0:0(0) win 100\n" },
  { "seq-without-colon", 2, 9, "expected ':'", SOCK "0 < S 0 win 100\n" },
  { "seq-end-mismatch", 2, 9, "is not start 0 + length 0", SOCK "0 < S 0:5(0) win 100\n" },
  { "inbound-without-win", 2, 5, "window must be specified", SOCK "0 < S 0:0(0)\n" },
  { "inbound-range-time", 2, 1, "one exact time", SOCK "0~1 < S 0:0(0) win 100\n" },
  { "unknown-option", 2, 23, "unknown or unmodelled TCP option 'md5'", SOCK "0 < S 0:0(0) win 100 <md5 1>\n" },
  { "sack-blocks", 2, 29, "SACK blocks are not modelled", SOCK "0 < . 1:1(0) ack 1 win 100 <sack 1:2>\n" },
  { "ts-without-ecr", 2, 31, "'ecr'", SOCK "0 < S 0:0(0) win 100 <TS val 1>\n" },
  { "mss-too-big", 2, 27, "out of range", SOCK "0 < S 0:0(0) win 100 <mss 70000>\n" },
  { "options-not-closed", 2, 31, "expected '>'", SOCK "0 < S 0:0(0) win 100 <mss 1460\n" },
  { "junk-after-packet", 2, 22, "the end of the line", SOCK "0 < S 0:0(0) win 100 foo\n" },
  { "win-too-big", 2, 18, "out of range", SOCK "0 < S 0:0(0) win 70000\n" },
  { "fd-not-open", 1, 9, "fd 3 is not open", "0 close(3) = 0\n" },
  { "wrong-argument-count", 1, 3, "takes 3 arguments but got 2", "0 socket(..., SOCK_STREAM) = 3\n" },
  { "udp-socket", 1, 15, "socket type", "0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n" },
  { "unknown-errno", 1, 46, "unknown errno 'EFOO'", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = -1 EFOO\n" },
  { "missing-result", 1, 40, "expected '='", "0 socket(..., SOCK_STREAM, IPPROTO_TCP)\n" },
  { "unmodelled-sockopt", 2, 29, "SO_RCVBUF is not modelled", SOCK "0 setsockopt(3, SOL_SOCKET, SO_RCVBUF, [1000], 4) = 0\n" },
  { "linger-without-braces", 2, 40, "{onoff=N, linger=N}", SOCK "0 setsockopt(3, SOL_SOCKET, SO_LINGER, [1], 4) = 0\n" },
  { "fcntl-getfl", 2, 3, "takes 3 arguments but got 2", SOCK "0 fcntl(3, F_GETFL) = 2\n" },
  { "unmodelled-getsockopt", 2, 29, "an option getsockopt() models", SOCK "0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [0], [4]) = 0\n" },
  { "unterminated-string", 2, 12, "unterminated string", SOCK "0 write(3, \"abc, 3) = 3\n" },
  { "unknown-call", 2, 3, "unknown or unmodelled call 'frobnicate'", SOCK "0 frobnicate(3) = 0\n" },
  { "call-at-any-time", 2, 3, "one start time", SOCK "* close(3) = 0\n" },
  { "no-event", 2, 1, "no event", "// only a comment\n" },
  { "nul-byte", 2, 1, "NUL byte", SOCK "\0 close(3) = 0\n", sizeof SOCK + 15 },
  { "bad-linger-field", 2, 41, "unknown field 'onof'", SOCK "0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onof=1, linger=0}, 8) = 0\n" },
  { "unmodelled-fcntl-flag", 2, 21, "O_APPEND is not modelled", SOCK "0 fcntl(3, F_SETFL, O_APPEND) = 0\n" },
};

static void
test_bad_input (gconstpointer data)
{
  const BadPkt *c = data;
  g_autofree char *dir = g_dir_make_tmp ("twsim-pkt-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.pkt", NULL);
  g_assert_true (g_file_set_contents (path, c->text, c->length ? (gssize) c->length : -1, NULL));
  const char *args[] = { "packetdrill", "t.pkt", NULL };
  CliOutcome o = cli_run_twsim (dir, args, NULL);
  g_test_message ("%s", o.err);
  g_autofree char *prefix = g_strdup_printf ("t.pkt:%u:%u: ", c->line, c->col);
  g_assert_cmpint (o.status, ==, 2);
  if (!g_str_has_prefix (o.err, prefix) || strstr (o.err, c->says) == NULL)
    g_error ("expected '%s...%s' but got '%s'", prefix, c->says, o.err);
  cli_outcome_clear (&o);
  cli_remove_tree (dir);
}

/* --- good input, through the library --- */

static int
run_text (const char *text, const char *personality, GString *message)
{
  PktOptions opts;
  pkt_options_init (&opts);
  if (personality != NULL)
    opts.personality = personality;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScenarioScript) script = pkt_read_string (text, -1, "t.pkt", &opts, &error);
  g_assert_no_error (error);
  ScenarioRunner *r = scenario_runner_new (script, FALSE, 0, &error);
  g_assert_no_error (error);
  int status = pkt_run_loaded (r, script, message);
  scenario_runner_free (r);
  g_test_message ("%s", message->str);
  return status;
}

#define LISTEN SOCK \
  "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n" \
  "+0 bind(3, ..., ...) = 0\n" \
  "+0 listen(3, 1) = 0\n"
#define SYN_IN "+0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
#define SYNACK_OUT "+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 1000 ecr 100,nop,wscale 7>\n"
#define ACK_IN "+.01 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 110 ecr 1000>\n"

/* Outbound sequence numbers count from the ISN of the host's SYN,ACK;
 * inbound ACK numbers likewise. */
static void
test_relative_sequence_numbers (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text (LISTEN SYN_IN SYNACK_OUT ACK_IN "+0 accept(3, ..., ...) = 4\n"
                             "+0 write(4, ..., 10) = 10\n"
                             "+0 > P. 1:11(10) ack 1 <...>\n", NULL, msg), ==, 0);
  g_string_truncate (msg, 0);
  g_assert_cmpint (run_text (LISTEN SYN_IN SYNACK_OUT ACK_IN "+0 accept(3, ..., ...) = 4\n"
                             "+0 write(4, ..., 10) = 10\n"
                             "+0 > P. 5:15(10) ack 1 <...>\n", NULL, msg), ==, 1);
  g_assert_nonnull (strstr (msg->str, "t.pkt:10: error handling packet: live packet field tcp_seq: "
                                      "expected: 5 (0x5) vs actual: 1 (0x1)"));
}

/* A packet sent outside [time - tolerance, time + tolerance] fails with
 * packetdrill's timing error. */
static void
test_timing_tolerance (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text (LISTEN SYN_IN "+0.1 > S. 0:0(0) ack 1 <...>\n", NULL, msg), ==, 1);
  g_assert_nonnull (strstr (msg->str, "timing error: expected outbound packet at 0.100000 sec but "
                                      "happened at 0.000000 sec; tolerance 0.012500 sec"));
  g_string_truncate (msg, 0);
  g_assert_cmpint (run_text (LISTEN SYN_IN "+0.003 > S. 0:0(0) ack 1 <...>\n", NULL, msg), ==, 0);
}

/* `<...>` leaves the options unchecked; no `<>` means none. */
static void
test_options_any_or_none (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text (LISTEN SYN_IN "+0 > S. 0:0(0) ack 1 <...>\n", NULL, msg), ==, 0);
  g_assert_cmpint (run_text (LISTEN SYN_IN "+0 > S. 0:0(0) ack 1\n", NULL, msg), ==, 1);
  g_assert_nonnull (strstr (msg->str, "ipv4_total_length"));
}

/* A call's result and errno are checked: packetdrill's runtime error. */
static void
test_call_result (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text (SOCK "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
                             "+0 connect(3, ..., ...) = 0\n", NULL, msg), ==, 1);
  g_assert_nonnull (strstr (msg->str, "t.pkt:3: runtime error in connect call: Expected result 0 "
                                      "but got -1 EINPROGRESS"));
}

/* sysctl -q net.ipv4.tcp_timestamps=0: the SYN goes without TS. */
static void
test_sysctl_mapped (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text ("`../common/defaults.sh\nsysctl -q net.ipv4.tcp_timestamps=0`\n"
                             SOCK "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
                             "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
                             "+0 > S 0:0(0) <mss 1460,nop,nop,sackOK,nop,wscale 8>\n", NULL, msg),
                   ==, 0);
}

/* The same script under FreeBSD: its SYN,ACK options differ in order. */
static void
test_personality_differs (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text (LISTEN SYN_IN SYNACK_OUT, "freebsd", msg), ==, 1);
  g_assert_nonnull (strstr (msg->str, "bad outbound TCP options"));
}

/* After a '>' line in a time range, later relative times count from when
 * its packet came, and nothing after it runs before it came. */
static void
test_relative_after_range (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text (LISTEN SYN_IN SYNACK_OUT ACK_IN "+0 accept(3, ..., ...) = 4\n"
                             "+0 write(4, ..., 10) = 10\n"
                             "+0 > P. 1:11(10) ack 1 <...>\n"
                             "+.1~+2 > P. 1:11(10) ack 1 <...>\n"
                             "+.01 < . 1:1(0) ack 11 win 257 <nop,nop,TS val 200 ecr 1000>\n"
                             "+0 close(4) = 0\n"
                             "+0 > F. 11:11(0) ack 1 <...>\n", NULL, msg), ==, 0);
}

/* `*`: the packet may come at any time. */
static void
test_any_time (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text (LISTEN SYN_IN "* > S. 0:0(0) ack 1 <...>\n"
                             "+.5 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 110 ecr 0>\n"
                             "+0 accept(3, ..., ...) = 4\n", NULL, msg), ==, 0);
}

/* --any-options: '>' options unchecked, so FreeBSD's order passes. */
static void
test_any_options (void)
{
  PktOptions opts;
  pkt_options_init (&opts);
  opts.personality = "freebsd";
  opts.any_options = TRUE;
  g_autoptr (GString) msg = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScenarioScript) script = pkt_read_string (LISTEN SYN_IN SYNACK_OUT, -1, "t.pkt", &opts, &error);
  g_assert_no_error (error);
  ScenarioRunner *r = scenario_runner_new (script, FALSE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pkt_run_loaded (r, script, msg), ==, 0);
  scenario_runner_free (r);
}

/* Windows are scaled once both SYNs carried window scale (RFC 7323 2.3):
 * Linux announces half of tcp_rmem[1] 131072, 65160 bytes (45 x 1448),
 * rounded down to the unit of 128 once data came in: 509. */
static void
test_window_scaled (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text (LISTEN SYN_IN SYNACK_OUT ACK_IN "+0 accept(3, ..., ...) = 4\n"
                             "+0 < P. 1:11(10) ack 1 win 257 <nop,nop,TS val 120 ecr 1000>\n"
                             "+0 > . 1:1(0) ack 11 win 509 <...>\n", NULL, msg), ==, 0);
}

/* A missing packet fails at its deadline. */
static void
test_missing_packet (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text (LISTEN "+0 > S. 0:0(0) ack 1 <...>\n", NULL, msg), ==, 1);
  g_assert_nonnull (strstr (msg->str, "t.pkt:5: error handling packet: timing error"));
}

/* START...END: a blocking call must return at END, within the tolerance. */
static void
test_blocking_call_time (void)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_assert_cmpint (run_text (LISTEN SYN_IN SYNACK_OUT "+0...0.01 accept(3, ..., ...) = 4\n" ACK_IN,
                             NULL, msg), ==, 0);
  g_assert_cmpint (run_text (LISTEN SYN_IN SYNACK_OUT "+0...0.5 accept(3, ..., ...) = 4\n" ACK_IN,
                             NULL, msg), ==, 1);
  g_assert_nonnull (strstr (msg->str, "t.pkt:7: timing error: expected system call return at "
                                      "0.500000 sec but happened at 0.010000 sec"));
}

/* A packetdrill run is a normal run: --trace, --pcap and --ladder work,
 * and direct injections are drawn like any segment. */
static void
test_run_outputs (void)
{
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autofree char *script = g_build_filename (root, "tests", "pkt", "passive-open-close.pkt", NULL);
  g_autofree char *dir = g_dir_make_tmp ("twsim-pkt-XXXXXX", NULL);
  const char *args[] = { "packetdrill", "--trace", "t.jsonl", "--pcap", "t.pcap", "--ladder",
                         script, NULL };
  CliOutcome o = cli_run_twsim (dir, args, NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_nonnull (strstr (o.out, "|<------"));
  g_assert_nonnull (strstr (o.out, "--- SYN 0:0 (0) ---"));
  g_autofree char *trace = g_build_filename (dir, "t.jsonl", NULL);
  g_autofree char *pcap = g_build_filename (dir, "t.pcap", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (trace, &text, NULL, NULL));
  /* A definition of keys names it; its rows hold true. */
  g_assert_nonnull (strstr (text, ",rexmit,injected,"));
  g_assert_true (g_file_test (pcap, G_FILE_TEST_IS_REGULAR));
  cli_outcome_clear (&o);
  cli_remove_tree (dir);
}

/* --table: a Markdown row per script, a column per personality. */
static void
test_table (void)
{
  const char *root = g_getenv ("TWSIM_SOURCE_ROOT");
  g_autofree char *dir = g_build_filename (root, "tests", "pkt", NULL);
  const char *const names[] = { "linux", "freebsd", NULL };
  PktOptions opts;
  pkt_options_init (&opts);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (pkt_table (dir, names, &opts, out, &error));
  g_assert_nonnull (strstr (out->str, "| script | linux | freebsd |\n|---|---|---|\n"));
  g_assert_nonnull (strstr (out->str, "| passive-open-close.pkt | pass | FAIL line 10: error handling "
                                      "packet: bad outbound TCP options |"));
  /* Every unit input passes under linux: the last row says so. */
  guint n = 0;
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    n += g_str_has_suffix (name, ".pkt") ? 1 : 0;
  g_autofree char *row = g_strdup_printf ("| **passed** | %u/%u | ", n, n);
  g_assert_nonnull (strstr (out->str, row));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pkt/bad/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_bad_input);
    }
  g_test_add_func ("/pkt/run/relative-sequence-numbers", test_relative_sequence_numbers);
  g_test_add_func ("/pkt/run/timing-tolerance", test_timing_tolerance);
  g_test_add_func ("/pkt/run/options-any-or-none", test_options_any_or_none);
  g_test_add_func ("/pkt/run/call-result", test_call_result);
  g_test_add_func ("/pkt/run/sysctl-mapped", test_sysctl_mapped);
  g_test_add_func ("/pkt/run/personality-differs", test_personality_differs);
  g_test_add_func ("/pkt/run/window-scaled", test_window_scaled);
  g_test_add_func ("/pkt/run/any-options", test_any_options);
  g_test_add_func ("/pkt/run/relative-after-range", test_relative_after_range);
  g_test_add_func ("/pkt/run/any-time", test_any_time);
  g_test_add_func ("/pkt/run/missing-packet", test_missing_packet);
  g_test_add_func ("/pkt/run/blocking-call-time", test_blocking_call_time);
  g_test_add_func ("/pkt/run-outputs", test_run_outputs);
  g_test_add_func ("/pkt/table", test_table);
  return g_test_run ();
}
