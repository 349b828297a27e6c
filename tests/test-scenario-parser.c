/* test-scenario-parser.c: the scenario language front end.
 *
 * Bad input: one table row per error, each checking the GError code and the
 * "path:line:col: " prefix. Good input: full scenarios checked node by node
 * and through scenario_script_dump(). Fuzz: truncations and byte mutations
 * of a valid scenario never crash and always fail with a located error. */
#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "scenario-parser.h"

#define PATH "test.scn"

/* Two hosts on lines 1-2; S adds socket s on client at line 3. */
#define P "host client 10.0.0.1\nhost server 10.0.0.2\n"
#define S P "0ms client s = socket()\n"
/* P plus a scripted peer on line 3. */
#define G P "peer p 10.0.0.9\n"

typedef struct {
  const char *name;
  ScenarioError code;
  guint line, col;
  const char *text;
  gssize length; /* 0: NUL-terminated */
} BadCase;

static const BadCase bad_cases[] = {
  { "unknown-host", SCENARIO_ERROR_UNKNOWN_HOST, 3, 5,
    P "0ms srever s = socket()\n" },
  { "unknown-host-not-declared-yet", SCENARIO_ERROR_UNKNOWN_HOST, 1, 5,
    "0ms client s = socket()\nhost client 10.0.0.1\n" },
  { "unknown-host-in-link", SCENARIO_ERROR_UNKNOWN_HOST, 3, 13,
    P "link client srv delay=10ms\n" },
  { "unknown-host-in-fault", SCENARIO_ERROR_UNKNOWN_HOST, 3, 9,
    P "1s link cli->server drop next SYN\n" },
  { "bad-time-unit", SCENARIO_ERROR_BAD_TIME, 3, 1,
    P "10xs client s = socket()\n" },
  { "bad-time-two-dots", SCENARIO_ERROR_BAD_TIME, 3, 1,
    P "1.2.3s client s = socket()\n" },
  { "bad-time-no-unit", SCENARIO_ERROR_BAD_TIME, 3, 1,
    P "10 client s = socket()\n" },
  { "bad-time-relative-no-unit", SCENARIO_ERROR_BAD_TIME, 3, 1,
    P "+50 client s = socket()\n" },
  { "bad-time-fraction-too-fine", SCENARIO_ERROR_BAD_TIME, 3, 1,
    P "1.5ns client s = socket()\n" },
  { "time-backwards", SCENARIO_ERROR_TIME_BACKWARDS, 5, 1,
    S "50ms client close(s)\n40ms client s = socket()\n" },
  { "time-backwards-after-relative", SCENARIO_ERROR_TIME_BACKWARDS, 6, 1,
    S "10ms client close(s)\n+10ms client s = socket()\n15ms client close(s)\n" },
  { "missing-rparen", SCENARIO_ERROR_SYNTAX, 4, 31,
    S "1ms client bind(s, 10.0.0.1:80; listen(s, 1)\n" },
  { "missing-lparen", SCENARIO_ERROR_SYNTAX, 4, 18,
    S "1ms client close s)\n" },
  { "bad-address-octet", SCENARIO_ERROR_BAD_ADDRESS, 1, 8,
    "host a 10.0.0.300\n" },
  { "bad-address-three-parts", SCENARIO_ERROR_BAD_ADDRESS, 1, 8,
    "host a 10.0.0\n" },
  { "bad-address-in-endpoint", SCENARIO_ERROR_BAD_ADDRESS, 4, 23,
    S "1ms client connect(s, 10.0.256.2:80)\n" },
  { "bad-port-range", SCENARIO_ERROR_BAD_ADDRESS, 4, 29,
    S "1ms client bind(s, 10.0.0.1:70000)\n" },
  { "bad-port-missing", SCENARIO_ERROR_BAD_ADDRESS, 4, 29,
    S "1ms client bind(s, 10.0.0.1:)\n" },
  { "endpoint-needs-port", SCENARIO_ERROR_BAD_ADDRESS, 4, 20,
    S "1ms client bind(s, 10.0.0.1)\n" },
  { "host-address-with-port", SCENARIO_ERROR_BAD_ADDRESS, 1, 8,
    "host a 10.0.0.1:80\n" },
  { "host-wildcard-address", SCENARIO_ERROR_BAD_ADDRESS, 1, 8,
    "host a 0.0.0.0\n" },
  { "wildcard-without-port", SCENARIO_ERROR_SYNTAX, 4, 20,
    S "1ms client bind(s, *)\n" },
  { "unknown-call", SCENARIO_ERROR_UNKNOWN_CALL, 3, 16,
    P "0ms client s = sockett()\n" },
  { "unknown-call-unassigned", SCENARIO_ERROR_UNKNOWN_CALL, 4, 12,
    S "0ms client sned(s, \"x\")\n" },
  { "wrong-arg-count", SCENARIO_ERROR_BAD_ARGUMENTS, 4, 12,
    S "1ms client bind(s)\n" },
  { "wrong-arg-count-socket", SCENARIO_ERROR_BAD_ARGUMENTS, 3, 16,
    P "0ms client s = socket(SOCK_STREAM, 0)\n" },
  { "wrong-arg-kind", SCENARIO_ERROR_BAD_ARGUMENTS, 4, 22,
    S "1ms client listen(s, \"8\")\n" },
  { "socket-type", SCENARIO_ERROR_BAD_ARGUMENTS, 3, 23,
    P "0ms client s = socket(SOCK_RAW)\n" },
  { "bad-shutdown-mode", SCENARIO_ERROR_BAD_ARGUMENTS, 4, 24,
    S "1ms client shutdown(s, SHUT_BOTH)\n" },
  { "linger-needs-pair", SCENARIO_ERROR_BAD_ARGUMENTS, 4, 37,
    S "1ms client setsockopt(s, SO_LINGER, 1)\n" },
  { "read-data-length", SCENARIO_ERROR_BAD_ARGUMENTS, 4, 28,
    S "1ms client read(s, 10) = 3 \"ab\"\n" },
  { "data-on-write-result", SCENARIO_ERROR_BAD_ARGUMENTS, 4, 31,
    S "1ms client write(s, \"ab\") = 2 \"ab\"\n" },
  { "negative-result", SCENARIO_ERROR_BAD_ARGUMENTS, 4, 23,
    S "1ms client close(s) = -2\n" },
  { "negative-count", SCENARIO_ERROR_BAD_ARGUMENTS, 4, 20,
    S "1ms client read(s, -1)\n" },
  { "unknown-option", SCENARIO_ERROR_UNKNOWN_OPTION, 4, 26,
    S "1ms client setsockopt(s, SO_REUSEADR, 1)\n" },
  { "unknown-variable", SCENARIO_ERROR_UNKNOWN_VARIABLE, 4, 18,
    S "1ms client close(x)\n" },
  { "variable-of-other-host", SCENARIO_ERROR_UNKNOWN_VARIABLE, 4, 18,
    S "1ms server close(s)\n" },
  { "variable-before-assignment", SCENARIO_ERROR_UNKNOWN_VARIABLE, 3, 18,
    P "0ms client close(s); s = socket()\n" },
  { "variable-in-expect", SCENARIO_ERROR_UNKNOWN_VARIABLE, 4, 18,
    S "1s expect client a state CLOSED\n" },
  { "unknown-errno", SCENARIO_ERROR_UNKNOWN_ERRNO, 4, 41,
    S "1ms client connect(s, 10.0.0.2:80) = -1 ECONNREFUSD\n" },
  { "missing-errno", SCENARIO_ERROR_SYNTAX, 4, 40,
    S "1ms client connect(s, 10.0.0.2:80) = -1\n" },
  { "unknown-state", SCENARIO_ERROR_UNKNOWN_STATE, 4, 26,
    S "1s expect client s state TIME_WAIT\n" },
  { "unterminated-string", SCENARIO_ERROR_BAD_STRING, 4, 21,
    S "1ms client write(s, \"abc)\n" },
  { "unterminated-string-at-eof", SCENARIO_ERROR_BAD_STRING, 4, 21,
    S "1ms client write(s, \"abc" },
  { "bad-escape", SCENARIO_ERROR_BAD_STRING, 4, 23,
    S "1ms client write(s, \"a\\qb\")\n" },
  { "bad-hex-escape", SCENARIO_ERROR_BAD_STRING, 4, 23,
    S "1ms client write(s, \"a\\x4g\")\n" },
  { "duplicate-host", SCENARIO_ERROR_DUPLICATE_HOST, 2, 6,
    "host a 10.0.0.1\nhost a 10.0.0.2\n" },
  { "duplicate-address", SCENARIO_ERROR_DUPLICATE_ADDRESS, 2, 18,
    "host a 10.0.0.1\nhost b 10.0.0.3, 10.0.0.1\n" },
  { "duplicate-address-same-host", SCENARIO_ERROR_DUPLICATE_ADDRESS, 1, 17,
    "host a 10.0.0.1,10.0.0.1\n" },
  { "duplicate-seed", SCENARIO_ERROR_DUPLICATE_SEED, 3, 1,
    "seed 1\n# again\nseed 2\n" },
  { "duplicate-setting", SCENARIO_ERROR_INVALID, 1, 24,
    "host a 10.0.0.1 msl=1s msl=2s\n" },
  { "link-to-itself", SCENARIO_ERROR_INVALID, 3, 13,
    P "link client client delay=1ms\n" },
  { "fault-to-itself", SCENARIO_ERROR_INVALID, 3, 17,
    P "1s link client->client drop next any\n" },
  { "reserved-host-name", SCENARIO_ERROR_INVALID, 1, 6,
    "host expect 10.0.0.1\n" },
  { "reserved-host-name-crash", SCENARIO_ERROR_INVALID, 1, 6,
    "host crash 10.0.0.1\n" },
  { "crash-unknown-host", SCENARIO_ERROR_UNKNOWN_HOST, 3, 10,
    P "1s crash srv\n" },
  { "crash-twice", SCENARIO_ERROR_INVALID, 4, 10,
    P "1s crash client\n2s crash client\n" },
  { "crash-takes-no-setting", SCENARIO_ERROR_INVALID, 3, 17,
    P "1s crash client quiet=1s\n" },
  { "reboot-unknown-setting", SCENARIO_ERROR_INVALID, 3, 18,
    P "1s reboot client wait=1s\n" },
  { "reboot-bad-quiet", SCENARIO_ERROR_BAD_TIME, 3, 24,
    P "1s reboot client quiet=10x\n" },
  { "line-on-crashed-host", SCENARIO_ERROR_INVALID, 5, 4,
    S "1s crash client\n2s client close(s)\n" },
  { "line-of-process-on-crashed-host", SCENARIO_ERROR_INVALID, 5, 4,
    P "process web on client\n1s crash client\n2s web s = socket()\n" },
  { "socket-not-assigned", SCENARIO_ERROR_INVALID, 3, 12,
    P "0ms client socket()\n" },
  { "assign-non-socket", SCENARIO_ERROR_INVALID, 4, 12,
    S "1ms client x = close(s)\n" },
  { "bad-selector", SCENARIO_ERROR_BAD_SELECTOR, 3, 34,
    P "1s link client->server drop next SYNACK\n" },
  { "bad-selector-any-combined", SCENARIO_ERROR_BAD_SELECTOR, 3, 38,
    P "1s link client->server drop next any|SYN\n" },
  { "bad-selector-twice", SCENARIO_ERROR_BAD_SELECTOR, 3, 42,
    P "1s link client->server drop next SYN|ACK|SYN\n" },
  { "bad-selector-missing", SCENARIO_ERROR_BAD_SELECTOR, 3, 38,
    P "1s link client->server drop next SYN|\n" },
  { "unknown-fault-action", SCENARIO_ERROR_UNKNOWN_ACTION, 3, 24,
    P "1s link client->server mangle next SYN\n" },
  { "fault-needs-direction", SCENARIO_ERROR_SYNTAX, 3, 16,
    P "1s link client server drop next SYN\n" },
  { "fault-needs-next", SCENARIO_ERROR_SYNTAX, 3, 29,
    P "1s link client->server drop SYN\n" },
  { "unknown-expect-kind", SCENARIO_ERROR_UNKNOWN_EXPECT, 4, 20,
    S "1s expect client s flavour sweet\n" },
  { "expect-unknown-hazard", SCENARIO_ERROR_UNKNOWN_EXPECT, 4, 18,
    S "1s expect hazard H4\n" },
  { "end-twice", SCENARIO_ERROR_AFTER_END, 5, 4,
    S "5s end\n6s end\n" },
  { "expect-after-end", SCENARIO_ERROR_AFTER_END, 5, 1,
    S "5s end\n6s expect no corruption\n" },
  { "expect-at-end-time-after-end", SCENARIO_ERROR_AFTER_END, 5, 1,
    S "5s end\n5s expect client s state CLOSED\n" },
  { "call-after-end", SCENARIO_ERROR_AFTER_END, 5, 1,
    S "5s end\n+0s client close(s)\n" },
  { "fault-after-end", SCENARIO_ERROR_AFTER_END, 5, 1,
    S "5s end\n7s link client->server drop next SYN\n" },
  { "end-backwards", SCENARIO_ERROR_TIME_BACKWARDS, 5, 1,
    S "5s client close(s)\n4s end\n" },
  { "end-with-trailing-words", SCENARIO_ERROR_SYNTAX, 4, 8,
    S "5s end now\n" },
  { "end-names-no-host", SCENARIO_ERROR_INVALID, 3, 6,
    P "host end 10.0.0.3\n" },
  { "fault-duplicate-needs-copy-delay", SCENARIO_ERROR_SYNTAX, 3, 24,
    P "1s link client->server duplicate next data\n" },
  { "fault-option-of-other-action", SCENARIO_ERROR_INVALID, 3, 39,
    P "1s link client->server drop next data by=1s\n" },
  { "fault-bad-seq", SCENARIO_ERROR_INVALID, 3, 43,
    P "1s link client->server drop next data seq=1-2-3\n" },
  { "fault-hold-until-in-past", SCENARIO_ERROR_INVALID, 3, 45,
    P "2s link client->server hold next data until=1s\n" },
  { "nul-byte", SCENARIO_ERROR_SYNTAX, 2, 1,
    "seed 1\n\000\n", 9 },
  { "nul-byte-in-line", SCENARIO_ERROR_SYNTAX, 1, 7,
    "host a\000 10.0.0.1\n", 17 },
  { "odd-byte", SCENARIO_ERROR_SYNTAX, 1, 17,
    "host a 10.0.0.1 \200\n" },
  { "control-byte", SCENARIO_ERROR_SYNTAX, 1, 8,
    "seed 1 \001\n" },
  { "huge-seed", SCENARIO_ERROR_BAD_NUMBER, 1, 6,
    "seed 99999999999999999999\n" },
  { "negative-seed", SCENARIO_ERROR_BAD_NUMBER, 1, 6,
    "seed -1\n" },
  { "huge-argument", SCENARIO_ERROR_BAD_NUMBER, 4, 22,
    S "1ms client listen(s, 9223372036854775808)\n" },
  { "negative-time", SCENARIO_ERROR_BAD_NUMBER, 3, 1,
    P "-5ms client s = socket()\n" },
  { "unknown-directive", SCENARIO_ERROR_SYNTAX, 1, 1,
    "hots a 10.0.0.1\n" },
  { "trailing-token", SCENARIO_ERROR_SYNTAX, 1, 8,
    "seed 1 2\n" },
  { "missing-setting-value", SCENARIO_ERROR_SYNTAX, 1, 21,
    "host a 10.0.0.1 msl= rto=1s\n" },
  { "setting-without-equals", SCENARIO_ERROR_SYNTAX, 1, 21,
    "host a 10.0.0.1 msl 30s\n" },
  { "lone-minus", SCENARIO_ERROR_SYNTAX, 2, 8,
    "host a 10.0.0.1\nlink a - b\n" },
  { "trailing-semicolon", SCENARIO_ERROR_SYNTAX, 4, 21,
    S "1ms client close(s);\n" },
  { "comment-does-not-hide-error", SCENARIO_ERROR_UNKNOWN_HOST, 3, 5,
    P "0ms nobody close(s) # comment\n" },
  { "crlf-line-endings", SCENARIO_ERROR_UNKNOWN_HOST, 3, 5,
    "host a 10.0.0.1\r\n\r\n0ms b s = socket()\r\n" },
  { "peer-with-settings", SCENARIO_ERROR_INVALID, 3, 17,
    P "peer p 10.0.0.9 msl=1s\n" },
  { "peer-makes-calls", SCENARIO_ERROR_INVALID, 4, 5,
    G "0ms p s = socket()\n" },
  { "peer-reserved-name", SCENARIO_ERROR_INVALID, 1, 6,
    "host inject 10.0.0.1\n" },
  { "inject-no-source", SCENARIO_ERROR_SYNTAX, 4, 12,
    G "0ms inject SYN\n" },
  { "inject-no-arrow", SCENARIO_ERROR_SYNTAX, 4, 26,
    G "0ms inject 10.0.0.9:4000 10.0.0.2:80 SYN\n" },
  { "inject-to-nobody", SCENARIO_ERROR_UNKNOWN_HOST, 4, 29,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.7:80 SYN\n" },
  { "inject-to-peer", SCENARIO_ERROR_UNKNOWN_HOST, 4, 29,
    G "0ms inject 10.0.0.1:4000 -> 10.0.0.9:80 SYN\n" },
  { "inject-bad-flag", SCENARIO_ERROR_BAD_SELECTOR, 4, 45,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN|AKC\n" },
  { "inject-flag-twice", SCENARIO_ERROR_BAD_SELECTOR, 4, 45,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN|SYN\n" },
  { "inject-unknown-field", SCENARIO_ERROR_SYNTAX, 4, 45,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN sek=1\n" },
  { "inject-len-field", SCENARIO_ERROR_SYNTAX, 4, 45,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN len=1\n" },
  { "inject-seq-too-big", SCENARIO_ERROR_INVALID, 4, 49,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN seq=4294967296\n" },
  { "inject-wscale-too-big", SCENARIO_ERROR_INVALID, 4, 52,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN wscale=15\n" },
  { "inject-bad-ts", SCENARIO_ERROR_INVALID, 4, 48,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN ts=100\n" },
  { "inject-bad-via", SCENARIO_ERROR_INVALID, 4, 49,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN via=air\n" },
  { "inject-payload-not-string", SCENARIO_ERROR_SYNTAX, 4, 53,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN payload=abc\n" },
  { "inject-field-twice", SCENARIO_ERROR_INVALID, 4, 51,
    G "0ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN seq=1 seq=2\n" },
  { "expect-segment-unknown-host", SCENARIO_ERROR_UNKNOWN_HOST, 4, 20,
    G "0ms expect segment nobody SYN\n" },
  { "expect-segment-of-peer", SCENARIO_ERROR_INVALID, 4, 20,
    G "0ms expect segment p SYN\n" },
  { "expect-segment-bad-destination", SCENARIO_ERROR_SYNTAX, 4, 30,
    G "0ms expect segment server -> p SYN\n" },
  { "expect-segment-via", SCENARIO_ERROR_SYNTAX, 4, 31,
    G "0ms expect segment server SYN via=link\n" },
  { "expect-segment-bad-within", SCENARIO_ERROR_INVALID, 4, 38,
    G "0ms expect segment server SYN within=5\n" },
  { "expect-segment-bad-options", SCENARIO_ERROR_INVALID, 4, 39,
    G "0ms expect segment server SYN options=some\n" },
};

static void
test_bad_input (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *prefix = g_strdup_printf (PATH ":%u:%u: ", c->line, c->col);

  g_autoptr (ScenarioScript) script
      = scenario_parse_string (c->text, c->length != 0 ? c->length : -1, PATH, &error);
  g_assert_null (script);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, SCENARIO_ERROR, (gint) c->code);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("expected the message to start with '%s' but got '%s'", prefix,
             error->message);
}

/* A few messages in full: they say what was expected and what was found. */
static void
test_messages (void)
{
  static const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { P "0ms srever s = socket()\n",
      PATH ":3:5: unknown host 'srever' (declared hosts: client, server)" },
    { S "50ms client close(s)\n40ms client s = socket()\n",
      PATH ":5:1: time runs backwards: 40ms is before 50ms on line 4" },
    { S "1ms client bind(s, 10.0.0.1:80; listen(s, 1)\n",
      PATH ":4:31: expected ',' or ')' but found ';'" },
    { S "1ms client bind(s, 10.0.0.1:70000)\n",
      PATH ":4:29: port 70000 is out of range 0-65535" },
    { "host a 10.0.0.300\n", PATH ":1:8: bad IPv4 address '10.0.0.300'" },
    { S "1ms client close(x)\n",
      PATH ":4:18: unknown socket 'x' on host client (assigned so far: s)" },
    { S "1ms client bind(s)\n",
      PATH ":4:12: bind() takes 2 arguments but got 1 (usage: bind(V, ADDRESS:PORT))" },
    { "host a 10.0.0.1\nhost a 10.0.0.2\n",
      PATH ":2:6: host 'a' is already declared on line 1" },
    /* IPv6 (RFC 4291 2.2 text forms; [ADDRESS]:PORT as in RFC 3986 3.2.2). */
    { "host a 2001:db8:::1\n",
      PATH ":1:8: bad IPv6 address '2001:db8:::1' (RFC 4291 2.2 text form, as in 2001:db8::1)" },
    { S "1ms client connect(s, [2001:db8::2:80)\n",
      PATH ":4:23: '[' starts an IPv6 address and needs a ']', as in [2001:db8::1]:80" },
    { S "1ms client connect(s, [2001:db8::2]:70000)\n",
      PATH ":4:37: port 70000 is out of range 0-65535" },
    { S "1ms client bind(s, [2001:db8::1]:80)\n",
      PATH ":4:20: host 'client' has no IPv6 address, so it cannot use 2001:db8::1: give it "
           "one, as in host client 10.0.0.1, 2001:db8::1" },
    { "host a 10.0.0.1, 2001:db8::1\n0ms a s = socket(); connect(s, [::ffff:10.0.0.2]:80)\n",
      PATH ":2:32: v4-mapped addresses (::ffff:a.b.c.d) are not modelled in bind() and "
           "connect(): write the IPv4 address (a [::] socket still takes IPv4 peers)" },
    { "host a ::1\n",
      PATH ":1:8: ::1 is a loopback address, which every host has: give the host another address" },
    { "host a ::\n",
      PATH ":1:8: :: is the wildcard address and cannot be a host's address" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ScenarioScript) script = scenario_parse_string (cases[i].text, -1, PATH,
                                                                 &error);
      g_assert_null (script);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static const char full_scenario[] =
  "# A full scenario touching every construct.\n"                        /* 1 */
  "seed 18446744073709551615\n"                                            /* 2 */
  "host client 10.0.0.1 personality=linux\n"                             /* 3 */
  "host server 10.0.0.2, 10.0.1.2 isn=fixed:1000 msl=30s  # two addrs\n" /* 4 */
  "link client server delay=10ms\n"                                      /* 5 */
  "link client->server loss=0.5\n"                                       /* 6 */
  "\n"                                                                   /* 7 */
  "0ms\tserver s = socket(SOCK_STREAM); setsockopt(s, SO_REUSEADDR, 1)\n" /* 8 */
  "0ms    server  bind(s, *:80) = 0; listen(s, 8) = 0\n"                  /* 9 */
  "0ms    client  c = socket(); setsockopt(c, SO_LINGER, {1, 0})\n"       /* 10 */
  "+1.5ms client  bind(c, 10.0.0.1:4000) = 0; connect(c, 10.0.0.2:80) = 0\n" /* 11 */
  "50ms   server  a = accept(s)\n"                                       /* 12 */
  "100ms  client  write(c, \"balance=100\") = 11; write(c, 1000)\n"      /* 13 */
  "100ms  link client->server drop next ACK|data\n"                      /* 14 */
  "+50ms  server  read(a, 100) = 11 \"balance=100\"\n"                   /* 15 */
  "200ms  link server -> client drop next FIN\n"                         /* 16 */
  "200ms  link server->client drop next any\n"                           /* 17 */
  "300ms  client  connect(c, 10.0.0.2:81) = -1 ECONNREFUSED; shutdown(c, SHUT_WR); close(c)\n"
  "3s     expect server a state TIME-WAIT\n"                             /* 19 */
  "3s     expect server a read \"bal#\\x00\\\"\\\\\\n\" # comment\n";   /* 20 */

static const char full_dump[] =
  "seed 18446744073709551615\n"
  "host client 10.0.0.1 personality=linux\n"
  "host server 10.0.0.2,10.0.1.2 isn=fixed:1000 msl=30s\n"
  "link client server delay=10ms\n"
  "link client->server loss=0.5\n"
  "0ms server s = socket(SOCK_STREAM); setsockopt(s, SO_REUSEADDR, 1)\n"
  "0ms server bind(s, *:80) = 0; listen(s, 8) = 0\n"
  "0ms client c = socket(); setsockopt(c, SO_LINGER, {1, 0})\n"
  "1500us client bind(c, 10.0.0.1:4000) = 0; connect(c, 10.0.0.2:80) = 0\n"
  "50ms server a = accept(s)\n"
  "100ms client write(c, \"balance=100\") = 11; write(c, 1000)\n"
  "100ms link client->server drop next ACK|data\n"
  "150ms server read(a, 100) = 11 \"balance=100\"\n"
  "200ms link server->client drop next FIN\n"
  "200ms link server->client drop next any\n"
  "300ms client connect(c, 10.0.0.2:81) = -1 ECONNREFUSED; shutdown(c, SHUT_WR); close(c)\n"
  "3s expect server a state TIME-WAIT\n"
  "3s expect server a read \"bal#\\x00\\\"\\\\\\n\"\n";

static ScenarioScript *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  ScenarioScript *script = scenario_parse_string (text, -1, PATH, &error);

  g_assert_no_error (error);
  g_assert_nonnull (script);
  return script;
}

static void
assert_loc (const ScenarioLoc *loc, guint line, guint col)
{
  g_assert_cmpstr (loc->file, ==, PATH);
  g_assert_cmpuint (loc->line, ==, line);
  g_assert_cmpuint (loc->col, ==, col);
}

static const ScenarioStep *
step_at (const ScenarioScript *script, guint i)
{
  g_assert_cmpuint (i, <, script->steps->len);
  return g_ptr_array_index (script->steps, i);
}

static const ScenarioCall *
call_at (const ScenarioStep *step, guint i)
{
  g_assert_cmpint (step->kind, ==, SCENARIO_STEP_CALLS);
  g_assert_cmpuint (i, <, step->n_calls);
  return &step->calls[i];
}

static const ScenarioArg *
arg_at (const ScenarioCall *call, guint i)
{
  g_assert_cmpuint (i, <, call->n_args);
  return &call->args[i];
}

static void
assert_bytes (GBytes *bytes, const char *expected, gsize len)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, len);
}

static void
test_full_hosts_and_links (void)
{
  g_autoptr (ScenarioScript) script = parse_ok (full_scenario);

  g_assert_cmpstr (script->path, ==, PATH);
  g_assert_true (script->has_seed);
  g_assert_cmpuint (script->seed, ==, G_MAXUINT64);
  assert_loc (&script->seed_loc, 2, 1);

  g_assert_cmpuint (script->hosts->len, ==, 2);
  const ScenarioHost *server = scenario_script_find_host (script, "server");
  g_assert_nonnull (server);
  assert_loc (&server->loc, 4, 6);
  g_assert_cmpuint (server->addrs->len, ==, 2);
  g_assert_cmphex (scenario_addr_ip4_value (g_array_index (server->addrs, ScenarioAddr, 0)), ==, 0x0a000002);
  g_assert_cmphex (scenario_addr_ip4_value (g_array_index (server->addrs, ScenarioAddr, 1)), ==, 0x0a000102);
  g_assert_true (scenario_script_find_address (script, scenario_addr_ip4 (0x0a000102)) == server);
  g_assert_null (scenario_script_find_host (script, "nobody"));

  g_assert_cmpuint (server->settings->len, ==, 2);
  const ScenarioSetting *isn = g_ptr_array_index (server->settings, 0);
  g_assert_cmpstr (isn->key, ==, "isn");
  g_assert_cmpstr (isn->value, ==, "fixed:1000");
  assert_loc (&isn->key_loc, 4, 32);
  assert_loc (&isn->value_loc, 4, 36);
  g_assert_cmpstr (scenario_settings_find (server->settings, "msl")->value, ==, "30s");
  g_assert_null (scenario_settings_find (server->settings, "rto"));

  g_assert_cmpuint (script->links->len, ==, 2);
  const ScenarioLink *both = g_ptr_array_index (script->links, 0);
  const ScenarioLink *one = g_ptr_array_index (script->links, 1);
  g_assert_true (both->both_directions);
  g_assert_cmpstr (both->from, ==, "client");
  g_assert_cmpstr (both->to, ==, "server");
  assert_loc (&both->loc, 5, 1);
  g_assert_false (one->both_directions);
  g_assert_cmpstr (scenario_settings_find (one->settings, "loss")->value, ==, "0.5");
  assert_loc (&((ScenarioSetting *) g_ptr_array_index (one->settings, 0))->value_loc, 6, 26);
}

static void
test_full_calls (void)
{
  g_autoptr (ScenarioScript) script = parse_ok (full_scenario);
  const ScenarioStep *step;
  const ScenarioCall *call;

  g_assert_cmpuint (script->steps->len, ==, 13);

  step = step_at (script, 0);
  assert_loc (&step->loc, 8, 1);
  g_assert_cmpint (step->time, ==, 0);
  g_assert_cmpstr (step->host, ==, "server");
  call = call_at (step, 0);
  g_assert_cmpint (call->kind, ==, SCENARIO_CALL_SOCKET);
  g_assert_cmpstr (call->assign_to, ==, "s");
  assert_loc (&call->loc, 8, 12);
  g_assert_cmpstr (arg_at (call, 0)->ident, ==, "SOCK_STREAM");
  g_assert_false (call->has_expect);
  call = call_at (step, 1);
  g_assert_cmpint (call->kind, ==, SCENARIO_CALL_SETSOCKOPT);
  g_assert_null (call->assign_to);
  g_assert_cmpint (arg_at (call, 2)->kind, ==, SCENARIO_ARG_INT);
  g_assert_cmpint (arg_at (call, 2)->num, ==, 1);
  assert_loc (&arg_at (call, 2)->loc, 8, 65);

  call = call_at (step_at (script, 1), 0); /* bind(s, *:80) = 0 */
  g_assert_cmpint (arg_at (call, 1)->kind, ==, SCENARIO_ARG_ENDPOINT);
  g_assert_true (scenario_addr_is_any (arg_at (call, 1)->ip));
  g_assert_cmpuint (arg_at (call, 1)->port, ==, 80);
  g_assert_true (call->has_expect);
  g_assert_cmpint (call->expect_ret, ==, 0);
  g_assert_null (call->expect_errno_name);

  call = call_at (step_at (script, 2), 1); /* setsockopt(c, SO_LINGER, {1, 0}) */
  g_assert_cmpint (arg_at (call, 2)->kind, ==, SCENARIO_ARG_PAIR);
  g_assert_cmpint (arg_at (call, 2)->pair[0], ==, 1);
  g_assert_cmpint (arg_at (call, 2)->pair[1], ==, 0);

  step = step_at (script, 3); /* +1.5ms */
  g_assert_cmpint (step->time, ==, 1500 * SIM_US);
  call = call_at (step, 1);
  g_assert_cmphex (scenario_addr_ip4_value (arg_at (call, 1)->ip), ==, 0x0a000002);

  call = call_at (step_at (script, 4), 0);
  g_assert_cmpint (call->kind, ==, SCENARIO_CALL_ACCEPT);
  g_assert_cmpstr (call->assign_to, ==, "a");

  step = step_at (script, 5);
  assert_bytes (arg_at (call_at (step, 0), 1)->bytes, "balance=100", 11);
  g_assert_cmpint (call_at (step, 0)->expect_ret, ==, 11);
  g_assert_cmpint (arg_at (call_at (step, 1), 1)->kind, ==, SCENARIO_ARG_INT);

  step = step_at (script, 7); /* +50ms after 100ms */
  g_assert_cmpint (step->time, ==, 150 * SIM_MS);
  call = call_at (step, 0);
  g_assert_cmpint (call->kind, ==, SCENARIO_CALL_READ);
  assert_bytes (call->expect_data, "balance=100", 11);

  step = step_at (script, 10);
  call = call_at (step, 0);
  g_assert_cmpint (call->expect_ret, ==, -1);
  g_assert_cmpint (call->expect_errno, ==, ECONNREFUSED);
  g_assert_cmpstr (call->expect_errno_name, ==, "ECONNREFUSED");
  g_assert_cmpstr (arg_at (call_at (step, 1), 1)->ident, ==, "SHUT_WR");
  g_assert_cmpint (call_at (step, 2)->kind, ==, SCENARIO_CALL_CLOSE);
  assert_loc (&call_at (step, 2)->loc, 18, 81);
}

static void
test_full_faults_and_expects (void)
{
  g_autoptr (ScenarioScript) script = parse_ok (full_scenario);
  const ScenarioStep *step;

  step = step_at (script, 6);
  g_assert_cmpint (step->kind, ==, SCENARIO_STEP_FAULT);
  assert_loc (&step->loc, 14, 1);
  g_assert_cmpint (step->time, ==, 100 * SIM_MS);
  g_assert_null (step->host);
  g_assert_cmpstr (step->from, ==, "client");
  g_assert_cmpstr (step->to, ==, "server");
  g_assert_cmpint (step->action, ==, SCENARIO_FAULT_DROP);
  g_assert_cmphex (step->flags, ==, SCENARIO_TCP_ACK);
  g_assert_true (step->needs_data);

  step = step_at (script, 8);
  g_assert_cmpstr (step->from, ==, "server");
  g_assert_cmphex (step->flags, ==, SCENARIO_TCP_FIN);
  g_assert_false (step->needs_data);
  step = step_at (script, 9);
  g_assert_cmphex (step->flags, ==, 0);
  g_assert_false (step->needs_data);

  step = step_at (script, 11);
  g_assert_cmpint (step->kind, ==, SCENARIO_STEP_EXPECT_STATE);
  assert_loc (&step->loc, 19, 1);
  g_assert_cmpstr (step->var, ==, "a");
  g_assert_cmpstr (step->state, ==, "TIME-WAIT");
  step = step_at (script, 12);
  g_assert_cmpint (step->kind, ==, SCENARIO_STEP_EXPECT_READ);
  g_assert_cmpint (step->time, ==, 3 * SIM_S);
  g_assert_cmpstr (step->host, ==, "server");
  g_assert_cmpstr (step->var, ==, "a");
  assert_bytes (step->expect_bytes, "bal#\0\"\\\n", 8);
}

static void
test_full_dump (void)
{
  g_autoptr (ScenarioScript) script = parse_ok (full_scenario);
  g_autoptr (GString) out = g_string_new (NULL);

  scenario_script_dump (script, out);
  g_assert_cmpstr (out->str, ==, full_dump);

  /* The dump is itself a valid scenario with the same dump. */
  g_autoptr (ScenarioScript) again = parse_ok (out->str);
  g_autoptr (GString) out2 = g_string_new (NULL);
  scenario_script_dump (again, out2);
  g_assert_cmpstr (out2->str, ==, full_dump);
}

static void
test_states (void)
{
  static const char *const states[] = {
    "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
    "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
  };
  g_autoptr (GString) text = g_string_new (S);

  for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
    g_string_append_printf (text, "+1ms expect client s state %s\n", states[i]);
  g_autoptr (ScenarioScript) script = parse_ok (text->str);
  g_assert_cmpuint (script->steps->len, ==, 1 + G_N_ELEMENTS (states));
  for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
    {
      const ScenarioStep *step = step_at (script, (guint) i + 1);
      g_assert_cmpint (step->kind, ==, SCENARIO_STEP_EXPECT_STATE);
      g_assert_cmpstr (step->state, ==, states[i]);
      g_assert_cmpint (step->time, ==, (SimTime) (i + 1) * SIM_MS);
    }
}

/* IPv6 host addresses (bare, or in brackets) and endpoints ([::]:80 is the
 * IPv6 wildcard); the dump writes them back in RFC 5952 form. */
static void
test_ipv6_forms (void)
{
  static const guint8 db8_2[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
  g_autoptr (ScenarioScript) script = parse_ok (
      "host a 10.0.0.1, 2001:db8::1\n"
      "host b [2001:DB8:0:0:0:0:0:2], fe80::2\n"
      "0ms a s = socket(); bind(s, [::]:80); connect(s, [2001:db8::2]:8080)\n");
  const ScenarioHost *b = scenario_script_find_host (script, "b");
  g_assert_cmpuint (b->addrs->len, ==, 2);
  ScenarioAddr first = g_array_index (b->addrs, ScenarioAddr, 0);
  g_assert_cmpint (first.family, ==, SCENARIO_ADDR_IPV6);
  g_assert_cmpmem (first.bytes, 16, db8_2, 16);
  g_assert_true (scenario_script_find_address (script, first) == b);
  const ScenarioCall *call = call_at (step_at (script, 0), 1);
  g_assert_cmpint (arg_at (call, 1)->ip.family, ==, SCENARIO_ADDR_IPV6);
  g_assert_true (scenario_addr_is_any (arg_at (call, 1)->ip));
  g_assert_cmpuint (arg_at (call, 1)->port, ==, 80);
  call = call_at (step_at (script, 0), 2);
  g_assert_cmpmem (arg_at (call, 1)->ip.bytes, 16, db8_2, 16);
  g_assert_cmpuint (arg_at (call, 1)->port, ==, 8080);
  g_autoptr (GString) out = g_string_new (NULL);
  scenario_script_dump (script, out);
  g_assert_nonnull (strstr (out->str, "host a 10.0.0.1,2001:db8::1\n"));
  g_assert_nonnull (strstr (out->str, "host b 2001:db8::2,fe80::2\n"));
  g_assert_nonnull (strstr (out->str, "bind(s, [::]:80)"));
  g_assert_nonnull (strstr (out->str, "connect(s, [2001:db8::2]:8080)"));
  g_autoptr (ScenarioScript) again = parse_ok (out->str);
  g_assert_cmpuint (again->hosts->len, ==, 2);
}

static void
test_small_forms (void)
{
  /* Empty input, only comments, no final newline, CRLF, first time relative
   * to 0, reassigned accept variable, '-' inside identifiers. */
  g_autoptr (ScenarioScript) empty = parse_ok ("");
  g_assert_false (empty->has_seed);
  g_assert_cmpuint (empty->hosts->len + empty->links->len + empty->steps->len, ==, 0);
  g_autoptr (ScenarioScript) comments = parse_ok ("# nothing\n   # at all\n\n");
  g_assert_cmpuint (comments->steps->len, ==, 0);

  g_autoptr (ScenarioScript) script = parse_ok (
      "host a-1 10.0.0.1\r\nhost b_2 10.0.0.2\r\n"
      "+2ms a-1 s = socket(); a = accept(s); a = accept(s)\r\n"
      "link a-1->b_2\n"
      "2ms link b_2->a-1 drop next SYN|ACK|RST|PSH|URG|FIN|data\n"
      "2ms expect a-1 a state FIN-WAIT-1");
  g_assert_nonnull (scenario_script_find_host (script, "a-1"));
  const ScenarioStep *step = step_at (script, 0);
  g_assert_cmpint (step->time, ==, 2 * SIM_MS);
  g_assert_cmpuint (step->n_calls, ==, 3);
  const ScenarioLink *link = g_ptr_array_index (script->links, 0);
  g_assert_cmpstr (link->from, ==, "a-1");
  g_assert_cmpstr (link->to, ==, "b_2");
  g_assert_false (link->both_directions);
  g_assert_cmpuint (link->settings->len, ==, 0);
  g_assert_cmphex (step_at (script, 1)->flags, ==, 0x3f);
  g_assert_true (step_at (script, 1)->needs_data);
  g_assert_cmpstr (step_at (script, 2)->state, ==, "FIN-WAIT-1");
}

static void
test_end (void)
{
  /* `TIME end` is not a step: the script records when and where; a
   * relative time counts from the line before; directives may follow. */
  g_autoptr (ScenarioScript) script = parse_ok (
      S "2s expect hazard H2\n+1.5s end # stop the loop\nlink client server delay=1ms\n");
  g_assert_cmpuint (script->steps->len, ==, 2);
  g_assert_true (script->has_end);
  g_assert_cmpint (script->end_time, ==, 3500 * SIM_MS);
  assert_loc (&script->end_loc, 5, 1);
  g_autoptr (GString) out = g_string_new (NULL);
  scenario_script_dump (script, out);
  g_assert_true (g_str_has_suffix (out->str, "2s expect hazard H2\n3500ms end\n"));
  g_autoptr (ScenarioScript) again = parse_ok (out->str);
  g_assert_true (again->has_end);
  g_assert_cmpint (again->end_time, ==, 3500 * SIM_MS);
  g_autoptr (ScenarioScript) none = parse_ok (S);
  g_assert_false (none->has_end);
}

static void
test_crash_reboot (void)
{
  /* `crash HOST` and `reboot HOST [quiet=D]` are steps; a host runs lines
   * again after its reboot; expectations may look at it while it is down. */
  g_autoptr (ScenarioScript) script = parse_ok (
      S "1s crash client\n1s expect client s state CLOSED\n2s reboot client quiet=30s\n"
        "3s client s = socket()\n4s reboot server\n");
  g_assert_cmpuint (script->steps->len, ==, 6);
  const ScenarioStep *crash = g_ptr_array_index (script->steps, 1);
  const ScenarioStep *reboot = g_ptr_array_index (script->steps, 3);
  const ScenarioStep *plain = g_ptr_array_index (script->steps, 5);
  g_assert_cmpint (crash->kind, ==, SCENARIO_STEP_CRASH);
  g_assert_cmpstr (crash->host, ==, "client");
  assert_loc (&crash->loc, 4, 1);
  g_assert_cmpint (reboot->kind, ==, SCENARIO_STEP_REBOOT);
  g_assert_cmpint (reboot->quiet_time, ==, 30 * SIM_S);
  g_assert_cmpint (plain->kind, ==, SCENARIO_STEP_REBOOT);
  g_assert_cmpint (plain->quiet_time, ==, 0);
  g_autoptr (GString) out = g_string_new (NULL);
  scenario_script_dump (script, out);
  g_assert_nonnull (strstr (out->str, "1s crash client\n"));
  g_assert_nonnull (strstr (out->str, "2s reboot client quiet=30s\n"));
  g_assert_nonnull (strstr (out->str, "4s reboot server\n"));
  g_autoptr (ScenarioScript) again = parse_ok (out->str);
  g_assert_cmpuint (again->steps->len, ==, 6);
}

static void
test_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("scenario-XXXXXX.scn", &path, &error);

  g_assert_no_error (error);
  g_close (fd, NULL);
  g_assert_true (g_file_set_contents (path, "seed 3\nseed 4\n", -1, &error));
  g_assert_null (scenario_parse_file (path, &error));
  g_assert_error (error, SCENARIO_ERROR, SCENARIO_ERROR_DUPLICATE_SEED);
  g_autofree char *prefix = g_strdup_printf ("%s:2:1: ", path);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "seed 3\n", -1, &error));
  g_autoptr (ScenarioScript) script = scenario_parse_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (script->seed, ==, 3);
  g_assert_cmpstr (script->seed_loc.file, ==, path);
  g_unlink (path);

  g_assert_null (scenario_parse_file (path, &error));
  g_assert_error (error, SCENARIO_ERROR, SCENARIO_ERROR_IO);
}

static void
test_set_error_at (void)
{
  g_autoptr (GError) error = NULL;
  ScenarioLoc loc = { "x.scn", 12, 7 };

  scenario_set_error_at (&error, &loc, SCENARIO_ERROR_INVALID, "bad %s", "rto");
  g_assert_error (error, SCENARIO_ERROR, SCENARIO_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "x.scn:12:7: bad rto");
  scenario_set_error_at (NULL, &loc, SCENARIO_ERROR_INVALID, "ignored");
}

/* Parses text; either it succeeds or fails with a located SCENARIO_ERROR. */
static void
parse_anything (const char *text, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScenarioScript) script = scenario_parse_string (text, (gssize) len, "fuzz",
                                                             &error);
  if (script != NULL)
    {
      g_assert_no_error (error);
      return;
    }
  g_assert_nonnull (error);
  g_assert_true (error->domain == SCENARIO_ERROR);
  g_assert_true (g_regex_match_simple ("^fuzz:[1-9][0-9]*:[1-9][0-9]*: ", error->message,
                                       0, 0));
}

static void
test_fuzz_truncate (void)
{
  gsize len = strlen (full_scenario);

  /* Every prefix, in a heap copy of exactly that size so ASan sees overreads. */
  for (gsize i = 0; i <= len; i++)
    {
      g_autofree char *copy = g_memdup2 (full_scenario, i == 0 ? 1 : i);
      parse_anything (copy, i);
    }
}

static void
test_fuzz_mutate (void)
{
  static const char alphabet[] = "\0\n\r\t \"\\#+-*>=|(){},;:.0123456789xsmSYN_aZ\x80\xff";
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240601);
  gsize len = strlen (full_scenario);

  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *copy = g_memdup2 (full_scenario, len);
      guint edits = (guint) g_rand_int_range (rand, 1, 6);
      for (guint e = 0; e < edits; e++)
        {
          gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) len);
          if (g_rand_boolean (rand))
            copy[at] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
          else
            copy[at] = (char) g_rand_int_range (rand, 0, 256);
        }
      gsize cut = g_rand_boolean (rand) ? len : (gsize) g_rand_int_range (rand, 0, (gint32) len);
      parse_anything (copy, cut);
    }
}

/* Looking a host up by name or address is a hash lookup: 10^5 hosts, each
 * checked against all before it, parse in under a second (sanitizers
 * slow everything down about five times). */
#if defined(__SANITIZE_ADDRESS__)
#define PARSE_BUDGET_US (5 * G_USEC_PER_SEC)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PARSE_BUDGET_US (5 * G_USEC_PER_SEC)
#endif
#endif
#ifndef PARSE_BUDGET_US
#define PARSE_BUDGET_US G_USEC_PER_SEC
#endif

static void
test_many_hosts_parse_fast (void)
{
  const guint n = 100000;
  g_autoptr (GString) text = g_string_sized_new (n * 32);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "host h%u 10.%u.%u.%u\n", i, i / 62500, i / 250 % 250,
                            i % 250 + 1);
  g_string_append (text, "0ms h99999 c = socket()\n");
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  ScenarioScript *script = scenario_parse_string (text->str, (gssize) text->len, "many.scn", &error);
  gint64 took = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_nonnull (script);
  g_assert_cmpuint (script->hosts->len, ==, n);
  g_assert_true (scenario_script_find_address (script, scenario_addr_ip4 ((10u << 24) | (1u << 16) | (149u << 8) | 250u))
                 == scenario_script_find_host (script, "h99999"));
  g_test_message ("%u hosts parsed in %" G_GINT64_FORMAT " us", n, took);
  g_assert_cmpint (took, <, PARSE_BUDGET_US);
  scenario_script_free (script);
}

/* peer, inject and expect segment survive a dump and a second parse. */
static void
test_segments (void)
{
  static const char *const text =
    G "100ms inject 10.0.0.9:4000 -> 10.0.0.2:80 SYN|ACK seq=1 ack=2 win=100 payload=\"hi\" "
    "mss=1460 wscale=7 sack_ok=on ts=5/6 via=direct\n"
    "110ms expect segment server -> 10.0.0.9:4000 ACK seq=2 ack=3 len=0 within=1ms\n"
    "120ms expect segment server -> 10.0.0.9 RST options=none\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (ScenarioScript) script = scenario_parse_string (text, -1, PATH, &error);
  g_assert_no_error (error);
  const ScenarioHost *peer = scenario_script_find_host (script, "p");
  g_assert_true (peer->scripted);
  const ScenarioStep *inj = g_ptr_array_index (script->steps, 0);
  g_assert_cmpint (inj->kind, ==, SCENARIO_STEP_INJECT);
  g_assert_cmpstr (inj->host, ==, "server");
  g_assert_cmpuint (inj->segment->flags, ==, SCENARIO_TCP_SYN | SCENARIO_TCP_ACK);
  g_assert_cmpuint (inj->segment->options->len, ==, 4);
  g_assert_true (inj->segment->direct);
  const ScenarioStep *exp = g_ptr_array_index (script->steps, 1);
  g_assert_cmpint (exp->kind, ==, SCENARIO_STEP_EXPECT_SEGMENT);
  g_assert_cmpint (exp->time_lo, ==, 109 * SIM_MS);
  g_assert_cmpint (exp->time_hi, ==, 111 * SIM_MS);
  g_autoptr (GString) dump = g_string_new (NULL);
  scenario_script_dump (script, dump);
  g_assert_nonnull (strstr (dump->str, "peer p 10.0.0.9"));
  g_autoptr (ScenarioScript) again = scenario_parse_string (dump->str, -1, PATH, &error);
  g_assert_no_error (error);
  g_autoptr (GString) dump2 = g_string_new (NULL);
  scenario_script_dump (again, dump2);
  g_assert_cmpstr (dump->str, ==, dump2->str);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scenario/parse/error/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_bad_input);
    }
  g_test_add_func ("/scenario/parse/error/messages", test_messages);
  g_test_add_func ("/scenario/parse/error/set-error-at", test_set_error_at);
  g_test_add_func ("/scenario/parse/ok/hosts-and-links", test_full_hosts_and_links);
  g_test_add_func ("/scenario/parse/ok/calls", test_full_calls);
  g_test_add_func ("/scenario/parse/ok/faults-and-expects", test_full_faults_and_expects);
  g_test_add_func ("/scenario/parse/ok/dump", test_full_dump);
  g_test_add_func ("/scenario/parse/ok/states", test_states);
  g_test_add_func ("/scenario/parse/ok/small-forms", test_small_forms);
  g_test_add_func ("/scenario/parse/ok/ipv6-addresses-and-endpoints", test_ipv6_forms);
  g_test_add_func ("/scenario/parse/ok/end", test_end);
  g_test_add_func ("/scenario/parse/ok/crash-reboot", test_crash_reboot);
  g_test_add_func ("/scenario/parse/ok/segments", test_segments);
  g_test_add_func ("/scenario/parse/file", test_file);
  g_test_add_func ("/scenario/parse/many-hosts-parse-fast", test_many_hosts_parse_fast);
  g_test_add_func ("/scenario/parse/fuzz/truncate", test_fuzz_truncate);
  g_test_add_func ("/scenario/parse/fuzz/mutate", test_fuzz_mutate);
  return g_test_run ();
}
