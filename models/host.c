/* host.c: a named host with IPv4 addresses, its TCP stack and its socket
 * table. */
#include "net-internal.h"

Host *
host_new (Network *network, const char *name, const NetAddr *addrs,
          guint n_addrs, const TcpConfig *config)
{
  Host *h = g_new0 (Host, 1);
  h->network = network;
  h->name = g_strdup (name);
  h->addrs = g_array_sized_new (FALSE, FALSE, sizeof (NetAddr), n_addrs);
  g_array_append_vals (h->addrs, addrs, n_addrs);
  h->tcp = tcp_stack_new (network->engine, h->name, config, network->incarnations,
                          network_route, h);
  h->sockets = sock_table_new (h);
  return h;
}

void
host_free (Host *h)
{
  if (h == NULL)
    return;
  /* The stack goes first: whatever it reports while dying reaches sockets
   * that still exist (and ignore it, as the host is dying). */
  h->dying = TRUE;
  tcp_stack_free (h->tcp);
  h->tcp = NULL;
  sock_table_free (h->sockets);
  g_array_free (h->addrs, TRUE);
  g_free (h->name);
  g_free (h);
}

const char *
host_name (Host *h)
{
  return h->name;
}

Network *
host_network (Host *h)
{
  return h->network;
}

TcpStack *
host_tcp (Host *h)
{
  return h->tcp;
}

gboolean
host_owns_ip (Host *h, NetAddr ip)
{
  for (guint i = 0; i < h->addrs->len; i++)
    if (net_addr_equal (g_array_index (h->addrs, NetAddr, i), ip))
      return TRUE;
  return FALSE;
}

NetAddr
host_primary_ip (Host *h)
{
  return g_array_index (h->addrs, NetAddr, 0);
}

/* The first address of the family, or the wildcard of that family when the
 * host has none. */
NetAddr
host_primary_ip_of (Host *h, NetFamily family)
{
  for (guint i = 0; i < h->addrs->len; i++)
    if (g_array_index (h->addrs, NetAddr, i).family == family)
      return g_array_index (h->addrs, NetAddr, i);
  return family == NET_FAMILY_IPV6 ? NET_IP6_ANY : NET_IP4_ANY;
}

gboolean
host_has_family (Host *h, NetFamily family)
{
  return !net_addr_is_any (host_primary_ip_of (h, family));
}

const GArray *
host_addresses (Host *h)
{
  return h->addrs;
}
