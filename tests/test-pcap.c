/* test-pcap.c: the pcap capture is valid IPv4+TCP and IPv6+TCP for tshark:
 * no malformed packets, good IP and TCP checksums, and the expected
 * conversations. */
#include "cli-fixture.h"
#include "pcap-writer.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir;

static char *
make_capture (const char *scenario, const char *name)
{
  g_autofree char *scn = g_build_filename (g_getenv ("TWSIM_SOURCE_ROOT"), "scenarios", scenario, NULL);
  char *pcap = g_build_filename (tmp_dir, name, NULL);
  const char *argv[] = { g_getenv ("TWSIM"), "run", "--quiet", scn, "--pcap", pcap, NULL };
  CliOutcome o = cli_spawn (tmp_dir, argv, NULL);
  g_assert_cmpint (o.status, ==, 0);
  cli_outcome_clear (&o);
  g_assert_true (g_file_test (pcap, G_FILE_TEST_IS_REGULAR));
  return pcap;
}

static gboolean
have_tshark (void)
{
  g_autofree char *path = g_find_program_in_path ("tshark");
  if (path == NULL)
    g_test_skip ("tshark is not installed (apt-get install tshark)");
  return path != NULL;
}

static void
test_checksums_are_correct (void)
{
  g_test_summary ("IPv4 header and TCP checksums (RFC 1071 over the pseudo-header) verify.");
  /* Known packet: checksum of header + data folds to zero when verified. */
  TcpSegment *seg = tcp_segment_new ();
  seg->src = (NetEndpoint){ net_addr_ip4 (0x0a000001), 4000 };
  seg->dst = (NetEndpoint){ net_addr_ip4 (0x0a000002), 80 };
  seg->seq = 1000;
  seg->ack = 5001;
  seg->flags = TCP_FLAG_ACK | TCP_FLAG_PSH;
  seg->window = 65535;
  seg->payload = g_bytes_new_static ("hello", 5);
  GByteArray *pkt = g_byte_array_new ();
  pcap_encode_ipv4_tcp (pkt, seg);
  g_assert_cmpuint (pkt->len, ==, 20 + 20 + 5);
  guint32 sum = 0;
  for (guint i = 0; i < 20; i += 2)
    sum += (guint32) (pkt->data[i] << 8 | pkt->data[i + 1]);
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  g_assert_cmpuint (sum, ==, 0xffff);
  g_byte_array_unref (pkt);
  tcp_segment_unref (seg);
}

static void
test_ipv6_checksum_covers_pseudo_header (void)
{
  g_test_summary ("RFC 8200 8.1: the TCP checksum of an IPv6 packet covers the pseudo-header "
                  "(source, destination, upper-layer length, next header 6); IPv6 has no "
                  "header checksum (RFC 8200 3).");
  static const guint8 a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
  static const guint8 b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
  TcpSegment *seg = tcp_segment_new ();
  seg->src = (NetEndpoint){ net_addr_ip6 (a), 4000 };
  seg->dst = (NetEndpoint){ net_addr_ip6 (b), 80 };
  seg->seq = 1000;
  seg->ack = 5001;
  seg->flags = TCP_FLAG_ACK | TCP_FLAG_PSH;
  seg->window = 65535;
  seg->payload = g_bytes_new_static ("hello", 5);
  GByteArray *pkt = g_byte_array_new ();
  pcap_encode_ip_tcp (pkt, seg);
  g_assert_cmpuint (pkt->len, ==, 40 + 20 + 5);
  g_assert_cmpuint (pkt->data[0] >> 4, ==, 6);                    /* version */
  g_assert_cmpuint (pkt->data[4] << 8 | pkt->data[5], ==, 25);    /* payload length */
  g_assert_cmpuint (pkt->data[6], ==, 6);                         /* next header: TCP */
  g_assert_cmpmem (pkt->data + 8, 16, a, 16);
  g_assert_cmpmem (pkt->data + 24, 16, b, 16);
  /* Pseudo-header + segment sums to 0xffff when the checksum is right. */
  guint32 sum = 0;
  for (guint i = 8; i < 40; i += 2)
    sum += (guint32) (pkt->data[i] << 8 | pkt->data[i + 1]);
  sum += 25 + 6;
  for (guint i = 40; i < pkt->len; i += 2)
    sum += (guint32) (pkt->data[i] << 8 | (i + 1 < pkt->len ? pkt->data[i + 1] : 0));
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  g_assert_cmpuint (sum, ==, 0xffff);
  g_byte_array_unref (pkt);
  tcp_segment_unref (seg);
}

static void
test_tshark_reads_ipv6_capture (void)
{
  g_test_summary ("tshark reads a dual-stack capture: IPv6 and IPv4 packets, no malformed "
                  "packet, every TCP checksum good.");
  if (!have_tshark ())
    return;
  g_autofree char *pcap = make_capture ("sockets/ipv6-dual-stack.scn", "dual-stack.pcap");
  const char *argv[] = { "tshark", "-n", "-r", pcap, "-o", "ip.check_checksum:TRUE",
                         "-o", "tcp.check_checksum:TRUE", "-V", NULL };
  CliOutcome o = cli_spawn (tmp_dir, argv, NULL);
  g_assert_cmpint (o.status, ==, 0);
  const char *out = o.out;
  g_assert_null (strstr (out, "Malformed"));
  g_assert_null (strstr (out, "status: Bad]"));
  g_assert_null (strstr (out, "Status: Bad]"));
  g_assert_null (strstr (out, "[incorrect"));
  g_assert_nonnull (strstr (out, "Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8::2"));
  g_assert_nonnull (strstr (out, "Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2"));
  g_assert_nonnull (strstr (out, "[Checksum Status: Good]"));
  cli_outcome_clear (&o);
}

static void
test_tshark_reads_udp_capture (void)
{
  g_test_summary ("tshark reads UDP datagrams (RFC 768 header, checksum over the "
                  "pseudo-header with protocol 17) with no malformed packet and good checksums.");
  if (!have_tshark ())
    return;
  g_autofree char *pcap = make_capture ("sockets/udp-connect-reuseport.scn", "udp.pcap");
  const char *argv[] = { "tshark", "-n", "-r", pcap, "-o", "ip.check_checksum:TRUE",
                         "-o", "udp.check_checksum:TRUE", "-V", NULL };
  CliOutcome o = cli_spawn (tmp_dir, argv, NULL);
  g_assert_cmpint (o.status, ==, 0);
  const char *out = o.out;
  g_assert_null (strstr (out, "Malformed"));
  g_assert_null (strstr (out, "status: Bad]"));
  g_assert_null (strstr (out, "Status: Bad]"));
  g_assert_nonnull (strstr (out, "User Datagram Protocol, Src Port: 32768, Dst Port: 4433"));
  g_assert_nonnull (strstr (out, "[Checksum Status: Good]"));
  cli_outcome_clear (&o);
}

static void
test_tshark_reads_flagship_capture (void)
{
  g_test_summary ("tshark reads the capture with no malformed packet and no bad checksum.");
  if (!have_tshark ())
    return;
  g_autofree char *pcap = make_capture ("close/final-ack-lost.scn", "final-ack-lost.pcap");
  const char *argv[] = { "tshark", "-n", "-r", pcap, "-o", "ip.check_checksum:TRUE",
                         "-o", "tcp.check_checksum:TRUE", "-V", NULL };
  CliOutcome o = cli_spawn (tmp_dir, argv, NULL);
  g_assert_cmpint (o.status, ==, 0);
  const char *out = o.out;
  g_assert_null (strstr (out, "Malformed"));
  g_assert_null (strstr (out, "status: Bad]"));
  g_assert_null (strstr (out, "Status: Bad]"));
  g_assert_null (strstr (out, "[incorrect"));
  g_assert_nonnull (strstr (out, "Transmission Control Protocol"));
  g_assert_nonnull (strstr (out, "[Header checksum status: Good]"));
  g_assert_nonnull (strstr (out, "[Checksum Status: Good]"));
  g_assert_nonnull (strstr (out, "Maximum segment size: 1460 bytes"));
  cli_outcome_clear (&o);
}

static void
test_tshark_lists_the_conversation (void)
{
  g_test_summary ("tshark -z conv,tcp lists the client-server conversation with all its frames.");
  if (!have_tshark ())
    return;
  g_autofree char *pcap = make_capture ("close/final-ack-lost.scn", "conv.pcap");
  const char *argv[] = { "tshark", "-n", "-q", "-r", pcap, "-z", "conv,tcp", NULL };
  CliOutcome o = cli_spawn (tmp_dir, argv, NULL);
  g_assert_cmpint (o.status, ==, 0);
  const char *out = o.out;
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "10.0.0.1:"));
  g_assert_nonnull (strstr (out, "10.0.0.2:80"));
  cli_outcome_clear (&o);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  tmp_dir = g_dir_make_tmp ("twsim-pcap-XXXXXX", NULL);
  g_test_add_func ("/pcap/checksums-are-correct", test_checksums_are_correct);
  g_test_add_func ("/pcap/tshark-reads-flagship-capture", test_tshark_reads_flagship_capture);
  g_test_add_func ("/pcap/tshark-lists-the-conversation", test_tshark_lists_the_conversation);
  g_test_add_func ("/pcap/ipv6-checksum-covers-pseudo-header",
                   test_ipv6_checksum_covers_pseudo_header);
  g_test_add_func ("/pcap/tshark-reads-ipv6-capture", test_tshark_reads_ipv6_capture);
  g_test_add_func ("/pcap/tshark-reads-udp-capture", test_tshark_reads_udp_capture);
  int rc = g_test_run ();
  cli_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
