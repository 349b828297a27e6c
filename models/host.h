/* host.h: a host: a name, IPv4 addresses, a TCP stack and a socket layer. */
#pragma once

#include "network.h"

G_BEGIN_DECLS

const char  *host_name          (Host *host);
Network     *host_network       (Host *host);
TcpStack    *host_tcp           (Host *host);
gboolean     host_owns_ip       (Host *host, NetAddr ip);
NetAddr      host_primary_ip    (Host *host);
NetAddr      host_primary_ip_of (Host *host, NetFamily family);
gboolean     host_has_family    (Host *host, NetFamily family);
/* The first of the host's addresses, for the trace and routing. */
const GArray *host_addresses    (Host *host); /* NetAddr */

G_END_DECLS
