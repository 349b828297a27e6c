/* cap-fixture.h: captures written by tests: the raw IPv4 packets of a
 * twsim --pcap file re-wrapped in other link types (Ethernet, Linux cooked
 * SLL and SLL2), as IPv6, and as pcapng; and broken captures. Test-side
 * writers only; twsim reads captures with libpcap. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  CAP_WRAP_ETHERNET,
  CAP_WRAP_SLL,
  CAP_WRAP_SLL2,
  CAP_WRAP_RAW_IPV6,
  CAP_WRAP_ETHERNET_VLAN_IPV6,
  CAP_WRAP_PCAPNG_ETHERNET,
} CapWrap;

/* The records of a classic pcap file: each one's time (ns) and bytes. */
typedef struct {
  gint64 t;
  GBytes *data;
} CapRecord;

/* Reads the records of a (nanosecond or microsecond) pcap file. */
GPtrArray *cap_fixture_records (const char *path);
/* Writes the records, re-wrapped, to path. */
void       cap_fixture_write   (const char *path, GPtrArray *records, CapWrap wrap);
/* A classic pcap with link type `link` and the given packets. */
void       cap_fixture_write_raw (const char *path, guint32 link, const guint8 *const *pkts,
                                  const gsize *lens, gsize n);

G_END_DECLS
