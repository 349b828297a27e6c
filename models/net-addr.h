/* net-addr.h: IPv4 addresses, endpoints and four-tuples (host byte order). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NET_IP4_ANY 0u

typedef struct {
  guint32 ip;   /* host byte order; 0 = wildcard (INADDR_ANY) */
  guint16 port; /* 0 = any / unbound */
} NetEndpoint;

/* A connection as seen from one end. */
typedef struct {
  NetEndpoint local;
  NetEndpoint remote;
} NetFourTuple;

gboolean  net_ip4_parse             (const char *text, guint32 *ip);
void      net_ip4_append            (GString *out, guint32 ip);
void      net_endpoint_append       (GString *out, NetEndpoint ep);
/* "10.0.0.1:80" (or "*:0") into buf, which it returns; no allocation. */
#define NET_ENDPOINT_TEXT_SIZE 22
const char *net_endpoint_format     (char buf[NET_ENDPOINT_TEXT_SIZE], NetEndpoint ep);
char     *net_endpoint_to_string    (NetEndpoint ep);
/* "10.0.0.2:80-10.0.0.1:4000" */
void      net_four_tuple_append     (GString *out, const NetFourTuple *tuple);
NetFourTuple net_four_tuple_reverse (const NetFourTuple *tuple);
gboolean  net_endpoint_equal        (NetEndpoint a, NetEndpoint b);
gboolean  net_four_tuple_equal      (const NetFourTuple *a, const NetFourTuple *b);
guint     net_four_tuple_hash       (const NetFourTuple *tuple);
/* GHashTable adaptors for keys that are NetFourTuple pointers. */
guint     net_four_tuple_hash_func  (gconstpointer key);
gboolean  net_four_tuple_equal_func (gconstpointer a, gconstpointer b);

G_END_DECLS
