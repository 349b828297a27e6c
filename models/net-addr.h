/* net-addr.h: IPv4 and IPv6 addresses, endpoints and four-tuples.
 *
 * NetAddr is the one address type of the model. An IPv4 address keeps its
 * four bytes (network order) in bytes[0..3] and zeros after; family 0 is
 * IPv4, so a zeroed NetAddr is 0.0.0.0 (INADDR_ANY). An IPv6 address
 * (RFC 4291 2.2) has all sixteen. Compare and print addresses only through
 * the helpers below. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  NET_FAMILY_IPV4 = 0,
  NET_FAMILY_IPV6 = 1,
} NetFamily;

typedef struct {
  guint8 family;    /* NetFamily */
  guint8 bytes[16]; /* network order; IPv4 in bytes[0..3] */
} NetAddr;

/* Longest texts, NUL included: an address (as INET6_ADDRSTRLEN) and an
 * endpoint "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535". */
#define NET_ADDR_STRLEN     46
#define NET_ENDPOINT_STRLEN 54

#define NET_IP4_ANY ((NetAddr){ NET_FAMILY_IPV4, { 0 } })
#define NET_IP6_ANY ((NetAddr){ NET_FAMILY_IPV6, { 0 } })

typedef struct {
  NetAddr ip;   /* the wildcard (0.0.0.0 or ::) = any */
  guint16 port; /* 0 = any / unbound */
} NetEndpoint;

/* A connection as seen from one end. */
typedef struct {
  NetEndpoint local;
  NetEndpoint remote;
} NetFourTuple;

gboolean  net_ip4_parse             (const char *text, guint32 *ip);
void      net_ip4_append            (GString *out, guint32 ip);

/* An IPv4 address from its host-order value, and back (0 for IPv6). */
NetAddr   net_addr_ip4              (guint32 host_order);
guint32   net_addr_ip4_value        (NetAddr a);
NetAddr   net_addr_ip6              (const guint8 bytes[16]);
gboolean  net_addr_is_ip6           (NetAddr a);
/* 0.0.0.0 or :: (RFC 4291 2.5.2). */
gboolean  net_addr_is_any           (NetAddr a);
gboolean  net_addr_equal            (NetAddr a, NetAddr b);
/* IPv4 before IPv6, then numeric order. */
int       net_addr_compare          (NetAddr a, NetAddr b);
/* 127.0.0.0/8 (RFC 1122 3.2.1.3 (g)) or ::1 (RFC 4291 2.5.3). */
gboolean  net_addr_is_loopback      (NetAddr a);
/* ::ffff:a.b.c.d (RFC 4291 2.5.5.2) and the conversions both ways. */
gboolean  net_addr_is_v4_mapped     (NetAddr a);
NetAddr   net_addr_v4_mapped        (NetAddr ip4);
/* The IPv4 address inside a v4-mapped one; any other address unchanged. */
NetAddr   net_addr_unmapped         (NetAddr a);
/* "10.0.0.1", "2001:db8::1", "::ffff:10.0.0.1". */
gboolean  net_addr_parse            (const char *text, NetAddr *out);
/* RFC 5952 text for IPv6, dotted quad for IPv4. */
void      net_addr_append           (GString *out, NetAddr a);
char     *net_addr_to_string        (NetAddr a);
guint     net_addr_hash             (NetAddr a);
/* GHashTable adaptors for keys that are NetAddr pointers. */
guint     net_addr_hash_func        (gconstpointer key);
gboolean  net_addr_equal_func       (gconstpointer a, gconstpointer b);

/* "10.0.0.1:80", "*:80" (0.0.0.0), "[2001:db8::1]:80", "[::]:80". */
void      net_endpoint_append       (GString *out, NetEndpoint ep);
/* "10.0.0.1:80" (or "*:0") into buf, which it returns; no allocation. */
#define NET_ENDPOINT_TEXT_SIZE NET_ENDPOINT_STRLEN
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
