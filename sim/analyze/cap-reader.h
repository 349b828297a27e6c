/* cap-reader.h: TCP segments out of a pcap or pcapng capture, read with
 * libpcap. Link types: Ethernet (with up to two VLAN tags), Linux cooked
 * (SLL, SLL2), raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6) and BSD loopback;
 * IPv4 and IPv6 (extension headers walked). Packets that are not TCP, and
 * IP fragments after the first, are skipped and counted. A header that is
 * cut short or inconsistent is an error naming the packet number; one
 * packet is held in memory at a time. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CAP_FLAG_FIN 0x01
#define CAP_FLAG_SYN 0x02
#define CAP_FLAG_RST 0x04
#define CAP_FLAG_PSH 0x08
#define CAP_FLAG_ACK 0x10
#define CAP_FLAG_URG 0x20

/* One endpoint: family 4 or 6, the address in network order (IPv4 in the
 * first 4 bytes, the rest zero), the port in host order. */
typedef struct {
  guint8 family;
  guint8 addr[16];
  guint16 port;
} CapEndpoint;

typedef struct {
  guint64 number;        /* 1-based packet number in the file */
  gint64 t;              /* nanoseconds, see cap_reader_next() */
  CapEndpoint src, dst;
  guint32 seq, ack;
  guint8 flags;          /* CAP_FLAG_* */
  guint16 win;           /* as on the wire, unscaled */
  guint32 len;           /* payload length from the IP header */
  const guint8 *payload; /* the captured part of the payload, valid until the next call */
  guint32 payload_caplen;
  gboolean has_ts;       /* RFC 7323 timestamps option */
  guint32 tsval, tsecr;
  gint wscale;           /* RFC 7323 window scale option; -1 absent */
  guint16 mss;           /* 0 absent */
} CapSegment;

typedef enum {
  CAP_READ_SEGMENT,
  CAP_READ_END,
  CAP_READ_ERROR,
} CapReadResult;

#define CAP_ERROR (cap_error_quark ())
GQuark cap_error_quark (void);

typedef struct _CapReader CapReader;

/* "FILE: what is wrong" on failure. */
CapReader    *cap_reader_open    (const char *path, GError **error);
/* Times are nanoseconds from the whole second of the first packet (a
 * twsim capture, which starts at virtual 0, keeps its virtual times).
 * Errors read "FILE: packet N: what is wrong". */
CapReadResult cap_reader_next    (CapReader *r, CapSegment *seg, GError **error);
guint64       cap_reader_packets (const CapReader *r);
guint64       cap_reader_skipped (const CapReader *r);
const char   *cap_reader_link_name (const CapReader *r);
void          cap_reader_close   (CapReader *r);

/* "10.0.0.1:4000", "[2001:db8::1]:80" */
void          cap_endpoint_append (GString *out, const CapEndpoint *e);
int           cap_endpoint_compare (const CapEndpoint *a, const CapEndpoint *b);

G_END_DECLS
