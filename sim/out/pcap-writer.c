/* pcap-writer.c: libpcap file format, nanosecond variant, LINKTYPE_RAW. */
#include "pcap-writer.h"

#include "atomic-file.h"

#include <string.h>


#define PCAP_MAGIC_NANOSECONDS 0xa1b23c4du
#define LINKTYPE_RAW 101 /* raw IPv4/IPv6, no link-layer header */
#define TCP_OPTION_NOP 1
#define TCP_OPTION_MSS 2
#define TCP_OPTION_TIMESTAMPS 8

struct _PcapWriter {
  AtomicFile *file;
  GByteArray *packet;
};

static void
put16 (GByteArray *out, guint16 v)
{
  guint8 b[2] = { v >> 8, v & 0xff };
  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
  g_byte_array_append (out, b, 4);
}

static void
set16 (GByteArray *out, guint offset, guint16 v)
{
  out->data[offset] = v >> 8;
  out->data[offset + 1] = v & 0xff;
}

/* RFC 1071 one's-complement sum over 16-bit words. */
static guint32
sum16 (const guint8 *data, gsize len, guint32 sum)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += (guint32) (data[i] << 8 | data[i + 1]);
  if (len & 1)
    sum += (guint32) data[len - 1] << 8;
  return sum;
}

static guint16
fold (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

static void
append_tcp_options (GByteArray *out, const TcpSegment *seg)
{
  if (seg->mss != 0 && (seg->flags & TCP_FLAG_SYN))
    {
      guint8 mss[2] = { TCP_OPTION_MSS, 4 };
      g_byte_array_append (out, mss, 2);
      put16 (out, seg->mss);
    }
  if (seg->has_timestamps)
    {
      /* RFC 7323 Appendix A layout: NOP, NOP, kind 8, length 10. */
      guint8 ts[4] = { TCP_OPTION_NOP, TCP_OPTION_NOP, TCP_OPTION_TIMESTAMPS, 10 };
      g_byte_array_append (out, ts, 4);
      put32 (out, seg->tsval);
      put32 (out, seg->tsecr);
    }
}

/* TCP header (RFC 9293 3.1), options and payload; returns where the TCP
 * header starts. The checksum is left 0 for set_tcp_checksum. */
static guint
append_tcp (GByteArray *out, const TcpSegment *seg)
{
  gsize payload_len;
  const guint8 *payload = seg->payload != NULL ? g_bytes_get_data (seg->payload, &payload_len) : NULL;
  if (payload == NULL)
    payload_len = 0;
  guint tcp_start = out->len;
  put16 (out, seg->src.port);
  put16 (out, seg->dst.port);
  put32 (out, seg->seq);
  put32 (out, (seg->flags & TCP_FLAG_ACK) ? seg->ack : 0);
  put16 (out, 0);                        /* data offset and flags, below */
  put16 (out, (guint16) MIN (seg->window, 65535u)); /* no window scaling modelled */
  put16 (out, 0);                        /* checksum, below */
  put16 (out, 0);                        /* urgent pointer */
  append_tcp_options (out, seg);
  while ((out->len - tcp_start) % 4 != 0)
    {
      guint8 eol = 0;
      g_byte_array_append (out, &eol, 1);
    }
  guint tcp_header_len = out->len - tcp_start;
  set16 (out, tcp_start + 12, (guint16) ((tcp_header_len / 4) << 12 | seg->flags));
  if (payload_len > 0)
    g_byte_array_append (out, payload, (guint) payload_len);
  return tcp_start;
}

/* UDP header (RFC 768) and payload; returns where the header starts. */
static guint
append_udp (GByteArray *out, const TcpSegment *seg)
{
  gsize payload_len = tcp_segment_payload_len (seg);
  guint udp_start = out->len;
  put16 (out, seg->src.port);
  put16 (out, seg->dst.port);
  put16 (out, (guint16) (8 + payload_len));
  put16 (out, 0);                        /* checksum, below */
  if (payload_len > 0)
    g_byte_array_append (out, g_bytes_get_data (seg->payload, NULL), (guint) payload_len);
  return udp_start;
}

/* The transport header and payload: TCP, or UDP for a datagram. *proto gets
 * the IP protocol number (6, 17). */
static guint
append_transport (GByteArray *out, const TcpSegment *seg, guint8 *proto)
{
  *proto = seg->udp ? 17 : 6;
  return seg->udp ? append_udp (out, seg) : append_tcp (out, seg);
}

/* The TCP or UDP checksum: RFC 1071 over the pseudo-header, then the
 * segment. A UDP sum of 0 is sent as 0xffff (RFC 768, RFC 8200 8.1). */
static void
set_tcp_checksum (GByteArray *out, guint tcp_start, guint8 proto, const guint8 *pseudo,
                  gsize pseudo_len)
{
  gboolean udp = proto == 17;
  guint32 sum = sum16 (pseudo, pseudo_len, 0);
  sum = sum16 (out->data + tcp_start, out->len - tcp_start, sum);
  guint16 folded = fold (sum);
  set16 (out, tcp_start + (udp ? 6 : 16), udp && folded == 0 ? 0xffff : folded);
}

void
pcap_encode_ipv4_tcp (GByteArray *out, const TcpSegment *seg)
{
  guint ip_start = out->len;

  /* IPv4 header (RFC 791), 20 bytes, checksum filled in below. */
  guint8 ver_ihl_tos[2] = { 0x45, 0 };
  g_byte_array_append (out, ver_ihl_tos, 2);
  put16 (out, 0);                        /* total length, below */
  put16 (out, (guint16) (seg->id & 0xffff)); /* identification */
  put16 (out, 0x4000);                   /* DF */
  guint8 ttl_proto[2] = { 64, seg->udp ? 17 : 6 };
  g_byte_array_append (out, ttl_proto, 2);
  put16 (out, 0);                        /* header checksum, below */
  g_byte_array_append (out, seg->src.ip.bytes, 4);
  g_byte_array_append (out, seg->dst.ip.bytes, 4);

  guint8 proto;
  guint tcp_start = append_transport (out, seg, &proto);
  guint total = out->len - ip_start;
  set16 (out, ip_start + 2, (guint16) total);
  set16 (out, ip_start + 10, fold (sum16 (out->data + ip_start, 20, 0)));

  /* TCP checksum over the pseudo-header (RFC 9293 3.1). */
  guint tcp_len = out->len - tcp_start;
  guint8 p[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, proto, (guint8) (tcp_len >> 8), (guint8) (tcp_len & 0xff) };
  memcpy (p, seg->src.ip.bytes, 4);
  memcpy (p + 4, seg->dst.ip.bytes, 4);
  set_tcp_checksum (out, tcp_start, proto, p, sizeof p);
}

void
pcap_encode_ipv6_tcp (GByteArray *out, const TcpSegment *seg)
{
  guint ip_start = out->len;

  /* IPv6 header (RFC 8200 3), 40 bytes: version 6, traffic class and flow
   * label 0, payload length below, next header 6 (TCP), hop limit 64. */
  put32 (out, 6u << 28);
  put16 (out, 0);                        /* payload length, below */
  guint8 next_hop[2] = { seg->udp ? 17 : 6, 64 };
  g_byte_array_append (out, next_hop, 2);
  g_byte_array_append (out, seg->src.ip.bytes, 16);
  g_byte_array_append (out, seg->dst.ip.bytes, 16);

  guint8 proto;
  guint tcp_start = append_transport (out, seg, &proto);
  guint tcp_len = out->len - tcp_start;
  set16 (out, ip_start + 4, (guint16) tcp_len);

  /* RFC 8200 8.1 (RFC 9293 3.1): source, destination, upper-layer packet
   * length (32 bits), 24 zero bits, next header. */
  guint8 p[40] = { 0 };
  memcpy (p, seg->src.ip.bytes, 16);
  memcpy (p + 16, seg->dst.ip.bytes, 16);
  p[34] = (guint8) (tcp_len >> 8);
  p[35] = (guint8) (tcp_len & 0xff);
  p[39] = proto;
  set_tcp_checksum (out, tcp_start, proto, p, sizeof p);
}

void
pcap_encode_ip_tcp (GByteArray *out, const TcpSegment *seg)
{
  if (net_addr_is_ip6 (seg->src.ip))
    pcap_encode_ipv6_tcp (out, seg);
  else
    pcap_encode_ipv4_tcp (out, seg);
}

PcapWriter *
pcap_writer_open (const char *path, GError **error)
{
  AtomicFile *file = atomic_file_open (path, error);
  if (file == NULL)
    return NULL;
  PcapWriter *w = g_new0 (PcapWriter, 1);
  w->file = file;
  w->packet = g_byte_array_new ();
  /* Global header, little-endian fields as the magic number shows. */
  guint32 header[6] = { PCAP_MAGIC_NANOSECONDS, 2 | (4u << 16), 0, 0, 65535, LINKTYPE_RAW };
  for (int i = 0; i < 6; i++)
    header[i] = GUINT32_TO_LE (header[i]);
  atomic_file_write (w->file, header, sizeof header);
  return w;
}

void
pcap_writer_tap (Host *to, const TcpSegment *seg, SimTime when, gpointer data)
{
  PcapWriter *w = data;
  g_byte_array_set_size (w->packet, 0);
  pcap_encode_ip_tcp (w->packet, seg);
  guint32 record[4] = {
    GUINT32_TO_LE ((guint32) (when / SIM_S)),
    GUINT32_TO_LE ((guint32) (when % SIM_S)),
    GUINT32_TO_LE (w->packet->len),
    GUINT32_TO_LE (w->packet->len),
  };
  atomic_file_write (w->file, record, sizeof record);
  atomic_file_write (w->file, w->packet->data, w->packet->len);
}

gboolean
pcap_writer_commit (PcapWriter *w, GError **error)
{
  gboolean ok = atomic_file_commit (w->file, error);
  g_byte_array_unref (w->packet);
  g_free (w);
  return ok;
}

void
pcap_writer_abandon (PcapWriter *w)
{
  if (w == NULL)
    return;
  atomic_file_abandon (w->file);
  g_byte_array_unref (w->packet);
  g_free (w);
}
