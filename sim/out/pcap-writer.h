/* pcap-writer.h: a pcap capture of every segment as it is delivered, as
 * IPv4 or IPv6 + TCP with correct checksums, TCP options (MSS, timestamps) and
 * virtual timestamps in nanoseconds. Written to a temporary name and renamed
 * into place when the run ends: whole or not at all. */
#pragma once

#include "network.h"

G_BEGIN_DECLS

typedef struct _PcapWriter PcapWriter;

PcapWriter *pcap_writer_open    (const char *path, GError **error);
/* A NetworkTapFunc: pass the writer as data to network_add_tap(). */
void        pcap_writer_tap     (Host *to, const TcpSegment *seg, SimTime when, gpointer writer);
gboolean    pcap_writer_commit  (PcapWriter *writer, GError **error);
void        pcap_writer_abandon (PcapWriter *writer);
/* Encodes one segment as an IPv4 or IPv6 packet, as its addresses are
 * (tests use these directly). */
void        pcap_encode_ipv4_tcp (GByteArray *out, const TcpSegment *seg);
void        pcap_encode_ipv6_tcp (GByteArray *out, const TcpSegment *seg);
void        pcap_encode_ip_tcp   (GByteArray *out, const TcpSegment *seg);

G_END_DECLS
