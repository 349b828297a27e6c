/* net-addr.c: address parsing, printing and hashing. */
#include "net-addr.h"

#include <arpa/inet.h>
#include <string.h>

gboolean
net_ip4_parse (const char *text, guint32 *ip)
{
  guint32 value = 0;
  const char *p = text;
  for (int part = 0; part < 4; part++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      guint octet = 0;
      int digits = 0;
      while (g_ascii_isdigit (*p))
        {
          octet = octet * 10 + (guint) (*p++ - '0');
          if (++digits > 3 || octet > 255)
            return FALSE;
        }
      value = (value << 8) | octet;
      if (part < 3 && *p++ != '.')
        return FALSE;
    }
  if (*p != '\0')
    return FALSE;
  *ip = value;
  return TRUE;
}

/* Decimal digits of v (no printf: addresses are printed for every traced
 * segment). */
static void
append_uint (GString *out, guint v)
{
  char buf[12];
  int n = 0;
  do
    {
      buf[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  while (n > 0)
    g_string_append_c (out, buf[--n]);
}

void
net_ip4_append (GString *out, guint32 ip)
{
  append_uint (out, ip >> 24);
  g_string_append_c (out, '.');
  append_uint (out, (ip >> 16) & 0xff);
  g_string_append_c (out, '.');
  append_uint (out, (ip >> 8) & 0xff);
  g_string_append_c (out, '.');
  append_uint (out, ip & 0xff);
}

NetAddr
net_addr_ip4 (guint32 v)
{
  NetAddr a = { NET_FAMILY_IPV4, { (guint8) (v >> 24), (guint8) (v >> 16), (guint8) (v >> 8),
                                   (guint8) v } };
  return a;
}

guint32
net_addr_ip4_value (NetAddr a)
{
  if (a.family != NET_FAMILY_IPV4)
    return 0;
  return (guint32) a.bytes[0] << 24 | (guint32) a.bytes[1] << 16 | (guint32) a.bytes[2] << 8
         | a.bytes[3];
}

NetAddr
net_addr_ip6 (const guint8 bytes[16])
{
  NetAddr a = { NET_FAMILY_IPV6, { 0 } };
  memcpy (a.bytes, bytes, 16);
  return a;
}

gboolean
net_addr_is_ip6 (NetAddr a)
{
  return a.family == NET_FAMILY_IPV6;
}

gboolean
net_addr_is_any (NetAddr a)
{
  static const guint8 zero[16] = { 0 };
  return memcmp (a.bytes, zero, 16) == 0;
}

gboolean
net_addr_equal (NetAddr a, NetAddr b)
{
  return a.family == b.family && memcmp (a.bytes, b.bytes, 16) == 0;
}

int
net_addr_compare (NetAddr a, NetAddr b)
{
  if (a.family != b.family)
    return a.family < b.family ? -1 : 1;
  return memcmp (a.bytes, b.bytes, 16);
}

gboolean
net_addr_is_loopback (NetAddr a)
{
  static const guint8 one[16] = { [15] = 1 };
  if (a.family == NET_FAMILY_IPV4)
    return a.bytes[0] == 127; /* Linux ipv4_is_loopback() */
  return memcmp (a.bytes, one, 16) == 0; /* Linux ipv6_addr_loopback() */
}

gboolean
net_addr_is_v4_mapped (NetAddr a)
{
  static const guint8 prefix[12] = { [10] = 0xff, [11] = 0xff };
  return a.family == NET_FAMILY_IPV6 && memcmp (a.bytes, prefix, 12) == 0;
}

NetAddr
net_addr_v4_mapped (NetAddr ip4)
{
  NetAddr a = { NET_FAMILY_IPV6, { [10] = 0xff, [11] = 0xff } };
  memcpy (a.bytes + 12, ip4.bytes, 4);
  return a;
}

NetAddr
net_addr_unmapped (NetAddr a)
{
  if (!net_addr_is_v4_mapped (a))
    return a;
  NetAddr v4 = { NET_FAMILY_IPV4, { 0 } };
  memcpy (v4.bytes, a.bytes + 12, 4);
  return v4;
}

gboolean
net_addr_parse (const char *text, NetAddr *out)
{
  guint32 v4;
  guint8 v6[16];
  if (net_ip4_parse (text, &v4))
    *out = net_addr_ip4 (v4);
  else if (strchr (text, ':') != NULL && inet_pton (AF_INET6, text, v6) == 1)
    *out = net_addr_ip6 (v6);
  else
    return FALSE;
  return TRUE;
}

void
net_addr_append (GString *out, NetAddr a)
{
  char text[NET_ADDR_STRLEN];
  G_STATIC_ASSERT (NET_ADDR_STRLEN >= INET6_ADDRSTRLEN);
  if (a.family == NET_FAMILY_IPV4)
    net_ip4_append (out, net_addr_ip4_value (a));
  else if (inet_ntop (AF_INET6, a.bytes, text, sizeof text) != NULL)
    g_string_append (out, text);
}

char *
net_addr_to_string (NetAddr a)
{
  GString *s = g_string_new (NULL);
  net_addr_append (s, a);
  return g_string_free (s, FALSE);
}

/* For IPv4, the address value itself (as before IPv6 existed). */
guint
net_addr_hash (NetAddr a)
{
  if (a.family == NET_FAMILY_IPV4)
    return net_addr_ip4_value (a);
  guint32 h = 0x811c9dc5u;
  for (int i = 0; i < 16; i++)
    h = (h ^ a.bytes[i]) * 0x01000193u;
  return h;
}

guint
net_addr_hash_func (gconstpointer key)
{
  return net_addr_hash (*(const NetAddr *) key);
}

gboolean
net_addr_equal_func (gconstpointer a, gconstpointer b)
{
  return net_addr_equal (*(const NetAddr *) a, *(const NetAddr *) b);
}

void
net_endpoint_append (GString *out, NetEndpoint ep)
{
  if (net_addr_is_ip6 (ep.ip))
    {
      g_string_append_c (out, '[');
      net_addr_append (out, ep.ip);
      g_string_append_printf (out, "]:%u", ep.port);
      return;
    }
  if (net_addr_is_any (ep.ip))
    g_string_append_c (out, '*');
  else
    net_ip4_append (out, net_addr_ip4_value (ep.ip));
  g_string_append_c (out, ':');
  append_uint (out, ep.port);
}

/* Writes v's digits at p; returns the end. */
static char *
put_uint (char *p, guint v)
{
  char tmp[12];
  int n = 0;
  do
    {
      tmp[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  while (n > 0)
    *p++ = tmp[--n];
  return p;
}

/* "[2001:db8::1]" into p; returns the end. */
static char *
put_ip6 (char *p, NetAddr a)
{
  *p++ = '[';
  if (inet_ntop (AF_INET6, a.bytes, p, NET_ADDR_STRLEN) != NULL)
    p += strlen (p);
  *p++ = ']';
  return p;
}

const char *
net_endpoint_format (char buf[NET_ENDPOINT_TEXT_SIZE], NetEndpoint ep)
{
  char *p = buf;
  guint32 ip = net_addr_ip4_value (ep.ip);
  if (net_addr_is_ip6 (ep.ip))
    p = put_ip6 (p, ep.ip);
  else if (net_addr_is_any (ep.ip))
    *p++ = '*';
  else
    for (int shift = 24; shift >= 0; shift -= 8)
      {
        p = put_uint (p, (ip >> shift) & 0xff);
        if (shift > 0)
          *p++ = '.';
      }
  *p++ = ':';
  p = put_uint (p, ep.port);
  *p = '\0';
  return buf;
}

char *
net_endpoint_to_string (NetEndpoint ep)
{
  GString *s = g_string_new (NULL);
  net_endpoint_append (s, ep);
  return g_string_free (s, FALSE);
}

void
net_four_tuple_append (GString *out, const NetFourTuple *t)
{
  net_endpoint_append (out, t->local);
  g_string_append_c (out, '-');
  net_endpoint_append (out, t->remote);
}

NetFourTuple
net_four_tuple_reverse (const NetFourTuple *t)
{
  return (NetFourTuple){ t->remote, t->local };
}

gboolean
net_endpoint_equal (NetEndpoint a, NetEndpoint b)
{
  return net_addr_equal (a.ip, b.ip) && a.port == b.port;
}

gboolean
net_four_tuple_equal (const NetFourTuple *a, const NetFourTuple *b)
{
  return net_endpoint_equal (a->local, b->local) && net_endpoint_equal (a->remote, b->remote);
}

guint
net_four_tuple_hash (const NetFourTuple *t)
{
  guint64 h = ((guint64) net_addr_hash (t->local.ip) << 32 | net_addr_hash (t->remote.ip))
              * 0x9e3779b97f4a7c15ULL;
  h ^= ((guint64) t->local.port << 16 | t->remote.port) * 0xc2b2ae3d27d4eb4fULL;
  return (guint) (h ^ (h >> 32));
}

guint
net_four_tuple_hash_func (gconstpointer key)
{
  return net_four_tuple_hash (key);
}

gboolean
net_four_tuple_equal_func (gconstpointer a, gconstpointer b)
{
  return net_four_tuple_equal (a, b);
}
