/* cap-fixture.c: see cap-fixture.h. Formats: pcap (tcpdump.org
 * "manpages/pcap-savefile.5"), pcapng (RFC draft-ietf-opsawg-pcapng:
 * SHB, IDB, EPB), link headers per tcpdump.org/linktypes. */
#include "cap-fixture.h"

#include <string.h>

static void
free_record (gpointer p)
{
  CapRecord *r = p;
  g_bytes_unref (r->data);
  g_free (r);
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

GPtrArray *
cap_fixture_records (const char *path)
{
  gchar *buf = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &buf, &len, NULL));
  const guint8 *p = (const guint8 *) buf;
  g_assert_cmpuint (len, >=, 24);
  gboolean nano = le32 (p) == 0xa1b23c4d;
  g_assert_true (nano || le32 (p) == 0xa1b2c3d4);
  GPtrArray *out = g_ptr_array_new_with_free_func (free_record);
  for (gsize off = 24; off + 16 <= len;)
    {
      guint32 caplen = le32 (p + off + 8);
      g_assert_cmpuint (off + 16 + caplen, <=, len);
      CapRecord *r = g_new0 (CapRecord, 1);
      r->t = (gint64) le32 (p + off) * 1000000000 + (gint64) le32 (p + off + 4) * (nano ? 1 : 1000);
      r->data = g_bytes_new (p + off + 16, caplen);
      g_ptr_array_add (out, r);
      off += 16 + caplen;
    }
  g_free (buf);
  return out;
}

static void
put16be (GByteArray *b, guint16 v)
{
  guint8 x[2] = { v >> 8, v & 0xff };
  g_byte_array_append (b, x, 2);
}

static void
put32le (GByteArray *b, guint32 v)
{
  guint8 x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (b, x, 4);
}

/* IPv4 -> IPv6 with addresses 2001:db8::<v4 address> (TCP checksum left). */
static void
append_ipv6 (GByteArray *b, const guint8 *v4, gsize len)
{
  guint ihl = (v4[0] & 0x0f) * 4u;
  guint16 payload = (guint16) (((v4[2] << 8) | v4[3]) - ihl);
  guint8 h[40] = { 0x60, 0, 0, 0, payload >> 8, payload & 0xff, 6, 64 };
  for (int i = 0; i < 2; i++)
    {
      guint8 *a = h + 8 + 16 * i;
      a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8;
      memcpy (a + 12, v4 + 12 + 4 * i, 4);
    }
  g_byte_array_append (b, h, 40);
  g_byte_array_append (b, v4 + ihl, len - ihl);
}

static GByteArray *
wrap_packet (const guint8 *ip, gsize len, CapWrap wrap)
{
  static const guint8 macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
  GByteArray *b = g_byte_array_new ();
  switch (wrap)
    {
    case CAP_WRAP_ETHERNET:
    case CAP_WRAP_PCAPNG_ETHERNET:
      g_byte_array_append (b, macs, 12);
      put16be (b, 0x0800);
      g_byte_array_append (b, ip, len);
      break;
    case CAP_WRAP_ETHERNET_VLAN_IPV6:
      g_byte_array_append (b, macs, 12);
      put16be (b, 0x8100);
      put16be (b, 42);
      put16be (b, 0x86dd);
      append_ipv6 (b, ip, len);
      break;
    case CAP_WRAP_SLL:
      {
        guint8 h[14] = { 0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0 };
        g_byte_array_append (b, h, 14);
        put16be (b, 0x0800);
        g_byte_array_append (b, ip, len);
        break;
      }
    case CAP_WRAP_SLL2:
      {
        put16be (b, 0x0800);
        guint8 h[18] = { 0, 0, 0, 0, 0, 2, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0 };
        g_byte_array_append (b, h, 18);
        g_byte_array_append (b, ip, len);
        break;
      }
    case CAP_WRAP_RAW_IPV6:
      append_ipv6 (b, ip, len);
      break;
    }
  return b;
}

static guint32
wrap_link (CapWrap wrap)
{
  switch (wrap)
    {
    case CAP_WRAP_ETHERNET:
    case CAP_WRAP_ETHERNET_VLAN_IPV6:
    case CAP_WRAP_PCAPNG_ETHERNET:
      return 1;
    case CAP_WRAP_SLL:
      return 113;
    case CAP_WRAP_SLL2:
      return 276;
    case CAP_WRAP_RAW_IPV6:
      return 101;
    }
  return 101;
}

static void
pcap_header (GByteArray *f, guint32 link)
{
  put32le (f, 0xa1b23c4d); /* nanosecond pcap */
  guint8 v[4] = { 2, 0, 4, 0 };
  g_byte_array_append (f, v, 4);
  put32le (f, 0);
  put32le (f, 0);
  put32le (f, 262144);
  put32le (f, link);
}

static void
pcap_record (GByteArray *f, gint64 t, const guint8 *data, gsize len)
{
  put32le (f, (guint32) (t / 1000000000));
  put32le (f, (guint32) (t % 1000000000));
  put32le (f, (guint32) len);
  put32le (f, (guint32) len);
  g_byte_array_append (f, data, len);
}

static void
pcapng_block (GByteArray *f, guint32 type, const GByteArray *body)
{
  guint32 pad = (4 - body->len % 4) % 4;
  guint32 total = 12 + body->len + pad;
  put32le (f, type);
  put32le (f, total);
  g_byte_array_append (f, body->data, body->len);
  guint8 zero[4] = { 0 };
  g_byte_array_append (f, zero, pad);
  put32le (f, total);
}

static void
pcapng_header (GByteArray *f, guint32 link)
{
  GByteArray *shb = g_byte_array_new ();
  put32le (shb, 0x1a2b3c4d);
  guint8 v[4] = { 1, 0, 0, 0 };
  g_byte_array_append (shb, v, 4);
  put32le (shb, 0xffffffff);
  put32le (shb, 0xffffffff);
  pcapng_block (f, 0x0a0d0d0a, shb);
  g_byte_array_unref (shb);
  GByteArray *idb = g_byte_array_new ();
  put32le (idb, link); /* link type (16 bits) + reserved */
  put32le (idb, 262144);
  /* if_tsresol = 9: nanoseconds */
  guint8 opt[8] = { 9, 0, 1, 0, 9, 0, 0, 0 };
  g_byte_array_append (idb, opt, 8);
  put32le (idb, 0);
  pcapng_block (f, 1, idb);
  g_byte_array_unref (idb);
}

static void
pcapng_record (GByteArray *f, gint64 t, const guint8 *data, gsize len)
{
  GByteArray *epb = g_byte_array_new ();
  put32le (epb, 0);
  put32le (epb, (guint32) ((guint64) t >> 32));
  put32le (epb, (guint32) ((guint64) t & 0xffffffff));
  put32le (epb, (guint32) len);
  put32le (epb, (guint32) len);
  g_byte_array_append (epb, data, len);
  guint8 zero[4] = { 0 };
  g_byte_array_append (epb, zero, (4 - len % 4) % 4);
  pcapng_block (f, 6, epb);
  g_byte_array_unref (epb);
}

void
cap_fixture_write (const char *path, GPtrArray *records, CapWrap wrap)
{
  GByteArray *f = g_byte_array_new ();
  gboolean ng = wrap == CAP_WRAP_PCAPNG_ETHERNET;
  if (ng)
    pcapng_header (f, wrap_link (wrap));
  else
    pcap_header (f, wrap_link (wrap));
  for (guint i = 0; i < records->len; i++)
    {
      CapRecord *r = g_ptr_array_index (records, i);
      gsize len = 0;
      const guint8 *ip = g_bytes_get_data (r->data, &len);
      GByteArray *pkt = wrap_packet (ip, len, wrap);
      if (ng)
        pcapng_record (f, r->t, pkt->data, pkt->len);
      else
        pcap_record (f, r->t, pkt->data, pkt->len);
      g_byte_array_unref (pkt);
    }
  g_assert_true (g_file_set_contents (path, (const char *) f->data, f->len, NULL));
  g_byte_array_unref (f);
}

void
cap_fixture_write_raw (const char *path, guint32 link, const guint8 *const *pkts, const gsize *lens,
                       gsize n)
{
  GByteArray *f = g_byte_array_new ();
  pcap_header (f, link);
  for (gsize i = 0; i < n; i++)
    pcap_record (f, (gint64) i * 1000, pkts[i], lens[i]);
  g_assert_true (g_file_set_contents (path, (const char *) f->data, f->len, NULL));
  g_byte_array_unref (f);
}
