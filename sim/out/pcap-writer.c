/* pcap-writer.c: libpcap file format, nanosecond variant, LINKTYPE_RAW. */
#include "pcap-writer.h"

#include "atomic-file.h"


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

static void encode (GByteArray *out, const TcpSegment *seg, guint16 window);

void
pcap_encode_ipv4_tcp (GByteArray *out, const TcpSegment *seg)
{
  encode (out, seg, (guint16) MIN (seg->window, 65535u));
}

static void
encode (GByteArray *out, const TcpSegment *seg, guint16 window)
{
  gsize payload_len;
  const guint8 *payload = seg->payload != NULL ? g_bytes_get_data (seg->payload, &payload_len) : NULL;
  if (payload == NULL)
    payload_len = 0;
  guint ip_start = out->len;

  /* IPv4 header (RFC 791), 20 bytes, checksum filled in below. */
  guint8 ver_ihl_tos[2] = { 0x45, 0 };
  g_byte_array_append (out, ver_ihl_tos, 2);
  put16 (out, 0);                        /* total length, below */
  put16 (out, (guint16) (seg->id & 0xffff)); /* identification */
  put16 (out, 0x4000);                   /* DF */
  /* TTL 64 as Linux sends; 255 marks a segment a script injected. */
  guint8 ttl_proto[2] = { seg->injected ? 255 : 64, 6 };
  g_byte_array_append (out, ttl_proto, 2);
  put16 (out, 0);                        /* header checksum, below */
  put32 (out, seg->src.ip);
  put32 (out, seg->dst.ip);

  /* TCP header (RFC 9293 3.1). */
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

  guint total = out->len - ip_start;
  set16 (out, ip_start + 2, (guint16) total);
  set16 (out, ip_start + 10, fold (sum16 (out->data + ip_start, 20, 0)));

  /* TCP checksum over the pseudo-header (RFC 9293 3.1). */
  guint tcp_len = out->len - tcp_start;
  guint32 src = seg->src.ip, dst = seg->dst.ip;
  guint8 p[12] = { src >> 24, (src >> 16) & 0xff, (src >> 8) & 0xff, src & 0xff,
                   dst >> 24, (dst >> 16) & 0xff, (dst >> 8) & 0xff, dst & 0xff,
                   0, 6, (guint8) (tcp_len >> 8), (guint8) (tcp_len & 0xff) };
  guint32 sum = sum16 (p, sizeof p, 0);
  sum = sum16 (out->data + tcp_start, tcp_len, sum);
  set16 (out, tcp_start + 16, fold (sum));
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
  return g_strdup_printf ("%u:%u>%u:%u", from.ip, from.port, to.ip, to.port);
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
