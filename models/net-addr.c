/* net-addr.c: address parsing, printing and hashing. */
#include "net-addr.h"

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

void
net_endpoint_append (GString *out, NetEndpoint ep)
{
  if (ep.ip == NET_IP4_ANY)
    g_string_append_c (out, '*');
  else
    net_ip4_append (out, ep.ip);
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

const char *
net_endpoint_format (char buf[NET_ENDPOINT_TEXT_SIZE], NetEndpoint ep)
{
  char *p = buf;
  if (ep.ip == NET_IP4_ANY)
    *p++ = '*';
  else
    for (int shift = 24; shift >= 0; shift -= 8)
      {
        p = put_uint (p, (ep.ip >> shift) & 0xff);
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
  return a.ip == b.ip && a.port == b.port;
}

gboolean
net_four_tuple_equal (const NetFourTuple *a, const NetFourTuple *b)
{
  return net_endpoint_equal (a->local, b->local) && net_endpoint_equal (a->remote, b->remote);
}

guint
net_four_tuple_hash (const NetFourTuple *t)
{
  guint64 h = ((guint64) t->local.ip << 32 | t->remote.ip) * 0x9e3779b97f4a7c15ULL;
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
