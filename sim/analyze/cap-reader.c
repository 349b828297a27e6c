/* cap-reader.c: libpcap in, CapSegment out. Header layouts: Ethernet II
 * and IEEE 802.1Q/802.1ad tags; Linux cooked capture v1 (16 bytes,
 * protocol at offset 14) and v2 (20 bytes, protocol at offset 0), see
 * https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and
 * LINKTYPE_LINUX_SLL2.html; BSD loopback (4-byte family in host order);
 * IPv4 RFC 791, IPv6 RFC 8200 section 4 (extension headers), TCP RFC 9293
 * section 3.1 and options RFC 7323 section 2 (window scale) and 3
 * (timestamps). */
#define _DEFAULT_SOURCE 1
#include "cap-reader.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <string.h>

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

#define ETHERTYPE_V4 0x0800
#define ETHERTYPE_V6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define IPPROTO_TCP_NUMBER 6

G_DEFINE_QUARK (cap-error-quark, cap_error)

struct _CapReader {
  pcap_t *pcap;
  char *path;
  int link;
  guint64 packets, skipped;
  gboolean have_base;
  gint64 base_s;
};

/* A bounded view of the captured bytes of one packet. */
typedef struct {
  const guint8 *p;
  guint32 len;
} Bytes;

typedef enum {
  DECODE_OK,
  DECODE_SKIP,
  DECODE_BAD,
} Decode;

static guint16
get16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static guint32
get32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

CapReader *
cap_reader_open (const char *path, GError **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  pcap_t *pcap = pcap_open_offline_with_tstamp_precision (path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (pcap == NULL)
    {
      /* libpcap names the file itself when it cannot open it. */
      gboolean named = g_str_has_prefix (errbuf, path) && errbuf[strlen (path)] == ':';
      g_set_error (error, CAP_ERROR, 0, "%s%s%s", named ? "" : path, named ? "" : ": ", errbuf);
      return NULL;
    }
  int link = pcap_datalink (pcap);
  switch (link)
    {
    case DLT_EN10MB: case DLT_LINUX_SLL: case DLT_LINUX_SLL2: case DLT_RAW:
    case DLT_IPV4: case DLT_IPV6: case DLT_NULL: case DLT_LOOP:
      break;
    default:
      {
        const char *name = pcap_datalink_val_to_name (link);
        g_set_error (error, CAP_ERROR, 0, "%s: link type %d (%s) is not supported "
                     "(Ethernet, Linux cooked SLL/SLL2, raw IP and loopback are)",
                     path, link, name != NULL ? name : "unknown");
        pcap_close (pcap);
        return NULL;
      }
    }
  CapReader *r = g_new0 (CapReader, 1);
  r->pcap = pcap;
  r->path = g_strdup (path);
  r->link = link;
  return r;
}

void
cap_reader_close (CapReader *r)
{
  if (r == NULL)
    return;
  pcap_close (r->pcap);
  g_free (r->path);
  g_free (r);
}

guint64 cap_reader_packets (const CapReader *r) { return r->packets; }
guint64 cap_reader_skipped (const CapReader *r) { return r->skipped; }

const char *
cap_reader_link_name (const CapReader *r)
{
  const char *name = pcap_datalink_val_to_name (r->link);
  return name != NULL ? name : "unknown";
}

static Decode
bad (CapReader *r, GError **error, const char *what)
{
  g_set_error (error, CAP_ERROR, 0, "%s: packet %" G_GUINT64_FORMAT ": %s", r->path, r->packets, what);
  return DECODE_BAD;
}

/* The link layer: sets *ethertype (0x0800 / 0x86dd, or 0 for "look at the
 * IP version") and advances b past the link header. */
static Decode
decode_link (CapReader *r, Bytes *b, guint16 *ethertype, GError **error)
{
  guint32 hdr = 0;
  switch (r->link)
    {
    case DLT_EN10MB:
      if (b->len < 14)
        return bad (r, error, "truncated Ethernet header");
      *ethertype = get16 (b->p + 12);
      hdr = 14;
      for (int tags = 0; tags < 2 && (*ethertype == ETHERTYPE_VLAN || *ethertype == ETHERTYPE_QINQ); tags++)
        {
          if (b->len < hdr + 4)
            return bad (r, error, "truncated VLAN tag");
          *ethertype = get16 (b->p + hdr + 2);
          hdr += 4;
        }
      break;
    case DLT_LINUX_SLL:
      if (b->len < 16)
        return bad (r, error, "truncated Linux cooked (SLL) header");
      *ethertype = get16 (b->p + 14);
      hdr = 16;
      break;
    case DLT_LINUX_SLL2:
      if (b->len < 20)
        return bad (r, error, "truncated Linux cooked (SLL2) header");
      *ethertype = get16 (b->p);
      hdr = 20;
      break;
    case DLT_NULL:
    case DLT_LOOP:
      if (b->len < 4)
        return bad (r, error, "truncated loopback header");
      *ethertype = 0;
      hdr = 4;
      break;
    default: /* DLT_RAW, DLT_IPV4, DLT_IPV6: an int, not an enum */
      *ethertype = 0;
      break;
    }
  b->p += hdr;
  b->len -= hdr;
  return DECODE_OK;
}

/* IPv4: fills the addresses and leaves b on the TCP header, its length
 * cut to the IP payload. */
static Decode
decode_ipv4 (CapReader *r, Bytes *b, CapSegment *seg, guint32 *ip_payload, GError **error)
{
  if (b->len < 20)
    return bad (r, error, "truncated IPv4 header");
  guint ihl = (b->p[0] & 0x0f) * 4u;
  if ((b->p[0] >> 4) != 4 || ihl < 20)
    return bad (r, error, "bad IPv4 header (version or header length)");
  if (b->len < ihl)
    return bad (r, error, "truncated IPv4 header");
  guint total = get16 (b->p + 2);
  if (total < ihl)
    return bad (r, error, "IPv4 total length is shorter than its header");
  if (b->p[9] != IPPROTO_TCP_NUMBER || (get16 (b->p + 6) & 0x1fff) != 0)
    return DECODE_SKIP; /* not TCP, or a fragment after the first */
  seg->src.family = seg->dst.family = 4;
  memcpy (seg->src.addr, b->p + 12, 4);
  memcpy (seg->dst.addr, b->p + 16, 4);
  *ip_payload = total - ihl;
  b->p += ihl;
  b->len -= ihl;
  return DECODE_OK;
}

static Decode
decode_ipv6 (CapReader *r, Bytes *b, CapSegment *seg, guint32 *ip_payload, GError **error)
{
  if (b->len < 40)
    return bad (r, error, "truncated IPv6 header");
  if ((b->p[0] >> 4) != 6)
    return bad (r, error, "bad IPv6 header (version)");
  guint32 payload = get16 (b->p + 4);
  guint8 next = b->p[6];
  seg->src.family = seg->dst.family = 6;
  memcpy (seg->src.addr, b->p + 8, 16);
  memcpy (seg->dst.addr, b->p + 24, 16);
  b->p += 40;
  b->len -= 40;
  /* RFC 8200 4.1: hop-by-hop (0), routing (43), fragment (44), destination
   * options (60); at most 8 of them. */
  for (int i = 0; i < 8 && next != IPPROTO_TCP_NUMBER; i++)
    {
      if (next != 0 && next != 43 && next != 44 && next != 60)
        return DECODE_SKIP;
      if (b->len < 8)
        return bad (r, error, "truncated IPv6 extension header");
      guint32 ext = next == 44 ? 8 : (b->p[1] + 1u) * 8u;
      if (next == 44 && (get16 (b->p + 2) & 0xfff8) != 0)
        return DECODE_SKIP;
      if (b->len < ext || payload < ext)
        return bad (r, error, "truncated IPv6 extension header");
      next = b->p[0];
      b->p += ext;
      b->len -= ext;
      payload -= ext;
    }
  if (next != IPPROTO_TCP_NUMBER)
    return DECODE_SKIP;
  *ip_payload = payload;
  return DECODE_OK;
}

/* RFC 9293 3.1 option list: kind 0 ends it, 1 is one byte of padding,
 * every other kind has a length byte >= 2. */
static Decode
decode_options (CapReader *r, const guint8 *p, guint32 n, CapSegment *seg, GError **error)
{
  guint32 i = 0;
  while (i < n)
    {
      guint8 kind = p[i];
      if (kind == 0)
        break;
      if (kind == 1)
        {
          i++;
          continue;
        }
      if (i + 1 >= n || p[i + 1] < 2 || i + p[i + 1] > n)
        return bad (r, error, "malformed TCP option");
      guint8 olen = p[i + 1];
      if (kind == 2 && olen == 4)
        seg->mss = get16 (p + i + 2);
      else if (kind == 3 && olen == 3)
        seg->wscale = MIN (p[i + 2], 14); /* RFC 7323 2.3: at most 14 */
      else if (kind == 8 && olen == 10)
        {
          seg->has_ts = TRUE;
          seg->tsval = get32 (p + i + 2);
          seg->tsecr = get32 (p + i + 6);
        }
      i += olen;
    }
  return DECODE_OK;
}

static Decode
decode_tcp (CapReader *r, Bytes *b, guint32 ip_payload, CapSegment *seg, GError **error)
{
  if (b->len < 20 || ip_payload < 20)
    return bad (r, error, "truncated TCP header");
  guint doff = (b->p[12] >> 4) * 4u;
  if (doff < 20)
    return bad (r, error, "bad TCP data offset (below 20 bytes)");
  if (b->len < doff)
    return bad (r, error, "truncated TCP header");
  if (ip_payload < doff)
    return bad (r, error, "TCP data offset beyond the IP payload");
  seg->src.port = get16 (b->p);
  seg->dst.port = get16 (b->p + 2);
  seg->seq = get32 (b->p + 4);
  seg->ack = get32 (b->p + 8);
  seg->flags = b->p[13] & 0x3f;
  seg->win = get16 (b->p + 14);
  seg->len = ip_payload - doff;
  seg->wscale = -1;
  if (decode_options (r, b->p + 20, doff - 20, seg, error) == DECODE_BAD)
    return DECODE_BAD;
  seg->payload = b->p + doff;
  seg->payload_caplen = MIN (b->len - doff, seg->len);
  return DECODE_OK;
}

static Decode
decode_packet (CapReader *r, Bytes b, CapSegment *seg, GError **error)
{
  guint16 ethertype = 0;
  Decode d = decode_link (r, &b, &ethertype, error);
  if (d != DECODE_OK)
    return d;
  if (ethertype == 0)
    {
      if (b.len < 1)
        return bad (r, error, "truncated IP header");
      guint v = b.p[0] >> 4;
      ethertype = v == 4 ? ETHERTYPE_V4 : v == 6 ? ETHERTYPE_V6 : 1;
    }
  guint32 ip_payload = 0;
  if (ethertype == ETHERTYPE_V4)
    d = decode_ipv4 (r, &b, seg, &ip_payload, error);
  else if (ethertype == ETHERTYPE_V6)
    d = decode_ipv6 (r, &b, seg, &ip_payload, error);
  else
    return DECODE_SKIP;
  if (d != DECODE_OK)
    return d;
  return decode_tcp (r, &b, ip_payload, seg, error);
}

CapReadResult
cap_reader_next (CapReader *r, CapSegment *seg, GError **error)
{
  for (;;)
    {
      struct pcap_pkthdr *hdr = NULL;
      const u_char *data = NULL;
      int rc = pcap_next_ex (r->pcap, &hdr, &data);
      if (rc == PCAP_ERROR_BREAK)
        return CAP_READ_END;
      r->packets++;
      if (rc != 1)
        {
          g_set_error (error, CAP_ERROR, 0, "%s: packet %" G_GUINT64_FORMAT ": %s", r->path,
                       r->packets, pcap_geterr (r->pcap));
          return CAP_READ_ERROR;
        }
      memset (seg, 0, sizeof *seg);
      seg->number = r->packets;
      if (!r->have_base)
        {
          r->have_base = TRUE;
          r->base_s = hdr->ts.tv_sec;
        }
      seg->t = ((gint64) hdr->ts.tv_sec - r->base_s) * G_GINT64_CONSTANT (1000000000)
               + (gint64) hdr->ts.tv_usec; /* nanoseconds: PCAP_TSTAMP_PRECISION_NANO */
      Bytes b = { data, MIN (hdr->caplen, hdr->len) };
      switch (decode_packet (r, b, seg, error))
        {
        case DECODE_OK:
          return CAP_READ_SEGMENT;
        case DECODE_SKIP:
          r->skipped++;
          continue;
        case DECODE_BAD:
          return CAP_READ_ERROR;
        }
    }
}

void
cap_endpoint_append (GString *out, const CapEndpoint *e)
{
  char buf[INET6_ADDRSTRLEN] = "";
  if (e->family == 4)
    {
      inet_ntop (AF_INET, e->addr, buf, sizeof buf);
      g_string_append_printf (out, "%s:%u", buf, e->port);
    }
  else
    {
      inet_ntop (AF_INET6, e->addr, buf, sizeof buf);
      g_string_append_printf (out, "[%s]:%u", buf, e->port);
    }
}

int
cap_endpoint_compare (const CapEndpoint *a, const CapEndpoint *b)
{
  if (a->family != b->family)
    return a->family < b->family ? -1 : 1;
  int c = memcmp (a->addr, b->addr, 16);
  if (c != 0)
    return c < 0 ? -1 : 1;
  return a->port < b->port ? -1 : a->port > b->port ? 1 : 0;
}
