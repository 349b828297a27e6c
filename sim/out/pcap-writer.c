/* pcap-writer.c: libpcap file format, nanosecond variant, LINKTYPE_RAW. */
#include "pcap-writer.h"

#include "atomic-file.h"

#include <string.h>


#define PCAP_MAGIC_NANOSECONDS 0xa1b23c4du
#define LINKTYPE_RAW 101 /* raw IPv4/IPv6, no link-layer header */

struct _PcapWriter {
  AtomicFile *file;
  GByteArray *packet;
  GHashTable *shifts; /* "src>dst" -> window scale shift + 1 from its SYN; lookups only */
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

/* The options in the sender's own order and padding
 * (tcp_segment_option_kinds). */
static void
append_tcp_options (GByteArray *out, const TcpSegment *seg)
{
  guint8 kinds[TCP_MAX_OPTIONS];
  guint n = tcp_segment_option_kinds (seg, kinds);
  for (guint i = 0; i < n; i++)
    {
      guint8 head[2] = { kinds[i], (guint8) tcp_option_kind_length (kinds[i]) };
      switch (kinds[i])
        {
        case TCP_OPT_EOL:
        case TCP_OPT_NOP:
          g_byte_array_append (out, head, 1);
          break;
        case TCP_OPT_MSS:
          g_byte_array_append (out, head, 2);
          put16 (out, seg->mss);
          break;
        case TCP_OPT_WSCALE:
          g_byte_array_append (out, head, 2);
          g_byte_array_append (out, &seg->wscale, 1);
          break;
        case TCP_OPT_SACK_OK:
          g_byte_array_append (out, head, 2);
          break;
        case TCP_OPT_TIMESTAMPS:
          g_byte_array_append (out, head, 2);
          put32 (out, seg->tsval);
          put32 (out, seg->tsecr);
          break;
        default:
          break;
        }
    }
}

/* TCP header (RFC 9293 3.1), options and payload; returns where the TCP
 * header starts. The checksum is left 0 for set_tcp_checksum. */
static guint
append_tcp (GByteArray *out, const TcpSegment *seg, guint16 window)
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
  put16 (out, window);
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
append_transport (GByteArray *out, const TcpSegment *seg, guint16 window, guint8 *proto)
{
  *proto = seg->udp ? 17 : 6;
  return seg->udp ? append_udp (out, seg) : append_tcp (out, seg, window);
}

/* TTL / hop limit 64 as Linux sends; 255 marks a segment a script injected. */
static guint8
hop_limit (const TcpSegment *seg)
{
  return seg->injected ? 255 : 64;
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

static void
encode_ipv4 (GByteArray *out, const TcpSegment *seg, guint16 window)
{
  guint ip_start = out->len;

  /* IPv4 header (RFC 791), 20 bytes, checksum filled in below. */
  guint8 ver_ihl_tos[2] = { 0x45, 0 };
  g_byte_array_append (out, ver_ihl_tos, 2);
  put16 (out, 0);                        /* total length, below */
  put16 (out, (guint16) (seg->id & 0xffff)); /* identification */
  put16 (out, 0x4000);                   /* DF */
  guint8 ttl_proto[2] = { hop_limit (seg), seg->udp ? 17 : 6 };
  g_byte_array_append (out, ttl_proto, 2);
  put16 (out, 0);                        /* header checksum, below */
  g_byte_array_append (out, seg->src.ip.bytes, 4);
  g_byte_array_append (out, seg->dst.ip.bytes, 4);

  guint8 proto;
  guint tcp_start = append_transport (out, seg, window, &proto);
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

static void
encode_ipv6 (GByteArray *out, const TcpSegment *seg, guint16 window)
{
  guint ip_start = out->len;

  /* IPv6 header (RFC 8200 3), 40 bytes: version 6, traffic class and flow
   * label 0, payload length below, next header 6 (TCP), hop limit 64. */
  put32 (out, 6u << 28);
  put16 (out, 0);                        /* payload length, below */
  guint8 next_hop[2] = { seg->udp ? 17 : 6, hop_limit (seg) };
  g_byte_array_append (out, next_hop, 2);
  g_byte_array_append (out, seg->src.ip.bytes, 16);
  g_byte_array_append (out, seg->dst.ip.bytes, 16);

  guint8 proto;
  guint tcp_start = append_transport (out, seg, window, &proto);
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

static void
encode (GByteArray *out, const TcpSegment *seg, guint16 window)
{
  if (net_addr_is_ip6 (seg->src.ip))
    encode_ipv6 (out, seg, window);
  else
    encode_ipv4 (out, seg, window);
}

/* Without a connection's history: the window field as the model counts it. */
static guint16
plain_window (const TcpSegment *seg)
{
  return (guint16) MIN (seg->window, 65535u);
}

void
pcap_encode_ipv4_tcp (GByteArray *out, const TcpSegment *seg)
{
  encode_ipv4 (out, seg, plain_window (seg));
}

void
pcap_encode_ipv6_tcp (GByteArray *out, const TcpSegment *seg)
{
  encode_ipv6 (out, seg, plain_window (seg));
}

void
pcap_encode_ip_tcp (GByteArray *out, const TcpSegment *seg)
{
  encode (out, seg, plain_window (seg));
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
  w->shifts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Global header, little-endian fields as the magic number shows. */
  guint32 header[6] = { PCAP_MAGIC_NANOSECONDS, 2 | (4u << 16), 0, 0, 65535, LINKTYPE_RAW };
  for (int i = 0; i < 6; i++)
    header[i] = GUINT32_TO_LE (header[i]);
  atomic_file_write (w->file, header, sizeof header);
  return w;
}

static char *
direction_key (NetEndpoint from, NetEndpoint to)
{
  char a[NET_ENDPOINT_TEXT_SIZE], b[NET_ENDPOINT_TEXT_SIZE];
  return g_strconcat (net_endpoint_format (a, from), ">", net_endpoint_format (b, to), NULL);
}

/* The 16-bit window field on the wire. The model counts windows in bytes;
 * once both SYNs carried window scale, the field holds the window shifted
 * right by the sender's shift (RFC 7323 2.3), never in a SYN. */
static guint16
wire_window (PcapWriter *w, const TcpSegment *seg)
{
  g_autofree char *key = direction_key (seg->src, seg->dst);
  if (seg->flags & TCP_FLAG_SYN)
    {
      g_hash_table_insert (w->shifts, g_steal_pointer (&key),
                           GUINT_TO_POINTER (seg->has_wscale ? seg->wscale + 1u : 0u));
      return (guint16) MIN (seg->window, 65535u);
    }
  g_autofree char *back = direction_key (seg->dst, seg->src);
  guint ours = GPOINTER_TO_UINT (g_hash_table_lookup (w->shifts, key));
  guint theirs = GPOINTER_TO_UINT (g_hash_table_lookup (w->shifts, back));
  guint32 win = ours > 0 && theirs > 0 ? seg->window >> MIN (ours - 1, 14u) : seg->window;
  return (guint16) MIN (win, 65535u);
}

void
pcap_writer_tap (Host *to, const TcpSegment *seg, SimTime when, gpointer data)
{
  PcapWriter *w = data;
  g_byte_array_set_size (w->packet, 0);
  encode (w->packet, seg, wire_window (w, seg));
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
  g_hash_table_destroy (w->shifts);
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
  g_hash_table_destroy (w->shifts);
  g_free (w);
}
