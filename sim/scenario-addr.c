/* scenario-addr.c: the addresses of the scenario language (IPv4 and IPv6),
 * compared and printed as the model prints them. */
#include "scenario-script.h"

#include <arpa/inet.h>
#include <string.h>

ScenarioAddr
scenario_addr_ip4 (guint32 v)
{
  ScenarioAddr a = { SCENARIO_ADDR_IPV4, { (guint8) (v >> 24), (guint8) (v >> 16),
                                           (guint8) (v >> 8), (guint8) v } };
  return a;
}

guint32
scenario_addr_ip4_value (ScenarioAddr a)
{
  if (a.family != SCENARIO_ADDR_IPV4)
    return 0;
  return (guint32) a.bytes[0] << 24 | (guint32) a.bytes[1] << 16 | (guint32) a.bytes[2] << 8
         | a.bytes[3];
}

gboolean
scenario_addr_is_any (ScenarioAddr a)
{
  static const guint8 zero[16] = { 0 };
  return memcmp (a.bytes, zero, 16) == 0;
}

gboolean
scenario_addr_equal (ScenarioAddr a, ScenarioAddr b)
{
  return a.family == b.family && memcmp (a.bytes, b.bytes, 16) == 0;
}

/* RFC 1122 3.2.1.3 (g) 127.0.0.0/8; RFC 4291 2.5.3 ::1. */
gboolean
scenario_addr_is_loopback (ScenarioAddr a)
{
  static const guint8 one[16] = { [15] = 1 };
  if (a.family == SCENARIO_ADDR_IPV4)
    return a.bytes[0] == 127;
  return memcmp (a.bytes, one, 16) == 0;
}

void
scenario_addr_append (GString *out, ScenarioAddr a)
{
  char text[INET6_ADDRSTRLEN];
  if (a.family == SCENARIO_ADDR_IPV4)
    g_string_append_printf (out, "%u.%u.%u.%u", a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]);
  else if (inet_ntop (AF_INET6, a.bytes, text, sizeof text) != NULL)
    g_string_append (out, text);
}

/* RFC 4291 2.2 text forms (inet_pton(AF_INET6)): "2001:db8::1", "::",
 * "::ffff:10.0.0.1". len bytes of text, not NUL-terminated. */
gboolean
scenario_addr_parse_ip6 (const char *text, gsize len, ScenarioAddr *out)
{
  char buf[INET6_ADDRSTRLEN + 1];
  if (len == 0 || len >= sizeof buf)
    return FALSE;
  memcpy (buf, text, len);
  buf[len] = '\0';
  ScenarioAddr a = { SCENARIO_ADDR_IPV6, { 0 } };
  if (inet_pton (AF_INET6, buf, a.bytes) != 1)
    return FALSE;
  *out = a;
  return TRUE;
}
