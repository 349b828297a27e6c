/* host.c: a named host with IPv4 addresses, its TCP stack and its socket
 * table. */
#include "net-internal.h"

Host *
host_new (Network *network, const char *name, const guint32 *addrs,
          guint n_addrs, const TcpConfig *config)
{
  Host *h = g_new0 (Host, 1);
  h->network = network;
  h->name = g_strdup (name);
  h->addrs = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n_addrs);
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
host_owns_ip (Host *h, guint32 ip)
{
  for (guint i = 0; i < h->addrs->len; i++)
    if (g_array_index (h->addrs, guint32, i) == ip)
      return TRUE;
  return FALSE;
}

guint32
host_primary_ip (Host *h)
{
  return g_array_index (h->addrs, guint32, 0);
}

const GArray *
host_addresses (Host *h)
{
  return h->addrs;
}
