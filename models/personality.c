/* personality.c: the personality table. One row per system; every value
 * cites where it comes from (a kernel function or setting, an RFC, or a
 * vendor's documentation). Values a source does not give are marked
 * "not documented" and fall back to RFC 9293 / RFC 6298. */
#include "personality.h"

#include <errno.h>

static const Personality personalities[] = {
  {
    .name = "linux",
    .summary = "Linux 6.x defaults",
    /* TIME-WAIT is the constant TCP_TIMEWAIT_LEN; MSL is implicit (half of it). */
    .msl = 30 * SIM_S,
    .time_wait = 60 * SIM_S,
    .fin_wait_2 = 60 * SIM_S,
    .fin_wait_2_minisock = TRUE,
    .fin_wait_2_rule = "Linux tcp_fin_timeout",
    .time_wait_rst = TCP_TW_RST_CLOSE,
    .time_wait_syn = TCP_TW_SYN_LINUX,
    .challenge_acks = TRUE,
    .time_wait_restart = TCP_TW_RESTART_LINUX,
    .isn = TCP_ISN_LINUX,
    .timestamps = TRUE,
    .ts_offset = TCP_TS_OFFSET_FOUR_TUPLE,
    .rto_initial = 1 * SIM_S, .rto_min = 200 * SIM_MS, .rto_max = 120 * SIM_S,
    .rto_linux = TRUE, .orphan_retries = 0,
    .syn_retries = 6, .synack_retries = 5, .data_retries = 15,
    .port_low = 32768, .port_high = 60999,
    .bind_rules = BIND_RULES_LINUX,
    .connect_dup_errno = EADDRNOTAVAIL,
    .reserved_ports = TRUE,
    .tw_reuse = 2,
    .bindv6only = FALSE,
    .linger_timeout = SOCK_LINGER_TIMEOUT_ORPHAN,
    .unread_close_rst = TRUE,
    .abort_rst_ack = TRUE, .abort_rst_options = TRUE,
    .syn_linear_timeouts = 4, .invalid_ratelimit = 500 * SIM_MS, .tlp = TRUE,
    .delack_ato = 40 * SIM_MS,
    .simopen_synack = TRUE,
    .dup_syn_synack = TRUE,
    .syn_sent_rearm = TRUE, .hz = 250,
    .option_layout = TCP_LAYOUT_LINUX,
    .sack_permitted = TRUE,
    .wscale = 7,
    .rcv_wnd_linux = TRUE, .rcvbuf = 131072, .rmem_max = 6291456,
    .source = {
      [PERSONALITY_MSL] = "implicit: include/net/tcp.h TCP_TIMEWAIT_LEN is 60 s = 2 x 30 s",
      [PERSONALITY_TIME_WAIT] = "include/net/tcp.h #define TCP_TIMEWAIT_LEN (60*HZ), not tunable",
      [PERSONALITY_FIN_WAIT_2] = "net.ipv4.tcp_fin_timeout 60 s, TCP_FIN_TIMEOUT",
      [PERSONALITY_TIME_WAIT_RST] = "tcp_timewait_state_process(): RST kills TIME-WAIT, tcp_rfc1337=0",
      [PERSONALITY_TIME_WAIT_SYN] = "tcp_timewait_state_process(): SYN with higher seq or newer TSval reopens",
      [PERSONALITY_CHALLENGE_ACKS] = "tcp_validate_incoming(): tcp_send_challenge_ack() for an inexact RST (3.2, since 3.6) and any SYN (4.2); tcp_ack(): ACK below SND.UNA - MAX.SND.WND (5.2)",
      [PERSONALITY_FIN_WAIT_2_MINISOCK] = "tcp_time_wait(sk, TCP_FIN_WAIT2, tmo): a timewait minisocket, which connect() from a bound port takes over (tcp_twsk_unique; never by tcp_tw_reuse since 6.11)",
      [PERSONALITY_TIME_WAIT_RESTART] = "tcp_timewait_state_process() (6.x): bare ACK at rcv_nxt restarts (TS.Recent updated); PAWS-rejected or ACK-carrying segments are ACKed (SYNs and empty segments at most once per tcp_invalid_ratelimit 500 ms: tcp_timewait_check_oow_rate_limit) and restart; exact RST with tcp_rfc1337=1 ignored, no restart",
      [PERSONALITY_ISN] = "secure_tcp_seq(): siphash of the 4-tuple + clock (RFC 6528 style)",
      [PERSONALITY_TIMESTAMPS] = "net.ipv4.tcp_timestamps=1; TSval offset per four-tuple, secure_tcp_seq_and_ts_off() (6.18; earlier: per address pair, secure_tcp_ts_off())",
      [PERSONALITY_RTO] = "TCP_TIMEOUT_INIT 1 s, TCP_RTO_MIN 200 ms, TCP_RTO_MAX 120 s; before the RTO a tail loss probe (tcp_early_retrans 3, tcp_schedule_loss_probe: PTO = 2 x SRTT + TCP_RTO_MIN with one segment out, + TCP_TIMEOUT_MIN with more, at most the RTO; needs SACK); data and FIN in one segment ACKed after TCP_ATO_MIN 40 ms (tcp_fin() pingpong, tcp_send_delayed_ack)",
      [PERSONALITY_RTO_FORMULA] = "tcp_set_rto()/__tcp_set_rto(): srtt + rttvar, rttvar >= tcp_rto_min (200 ms): SRTT + max(4 x RTTVAR, 200 ms); tcp_bound_rto() caps",
      [PERSONALITY_RETRIES] = "tcp_syn_retries 6, tcp_synack_retries 5, tcp_retries2 15; tcp_syn_linear_timeouts 4 (since 6.5, commit ccce324dabfe): tcp_retransmit_timer() keeps the SYN's RTO for total_rto <= 4, and SYN-SENT gives up once (2^(tcp_syn_retries+1) - 1) x 1 s passed (tcp_model_timeout(), as observed on 6.18)",
      [PERSONALITY_ORPHAN_RETRIES] = "net.ipv4.tcp_orphan_retries 0: tcp_orphan_retries() makes it 8 while RTO < TCP_RTO_MAX (net/ipv4/tcp_timer.c)",
      [PERSONALITY_PORTS] = "net.ipv4.ip_local_port_range 32768 60999",
      [PERSONALITY_BIND_RULES] = "inet_bind_conflict(), socket(7)",
      [PERSONALITY_CONNECT_DUP] = "__inet_check_established() returns -EADDRNOTAVAIL",
      [PERSONALITY_RESERVED_PORTS] = "inet_bind(): port < 1024 needs CAP_NET_BIND_SERVICE (EACCES)",
      [PERSONALITY_TW_REUSE] = "net.ipv4.tcp_tw_reuse default 2 = loopback only",
      [PERSONALITY_BINDV6ONLY] = "net.ipv6.bindv6only default 0 (ip-sysctl.rst); inet6_create(): sk_ipv6only = bindv6only: a [::] listener is dual-stack",
      [PERSONALITY_LINGER] = "__tcp_close(): linger 0 or unread data -> RST; timeout -> close returns, FIN goes on",
      [PERSONALITY_UNREAD_CLOSE] = "tcp_close(): data_was_unread -> tcp_send_active_reset(), TCP_CLOSE, no FIN (RFC 9293 3.6.1 SHLD-2)",
      [PERSONALITY_ABORT_RST] = "tcp_send_active_reset(): TCPHDR_ACK | TCPHDR_RST, seq tcp_acceptable_seq(), ack rcv_nxt; sent by tcp_transmit_skb(), so with timestamps and the tcp_select_window() window",
      [PERSONALITY_SIMOPEN_SYNACK] = "tcp_validate_incoming(): crossing SYN,ACK in SYN_RECV accepted (\"goto pass\"), ESTABLISHED, no ACK sent; since 6.11 (commit 23e89e8ee7be, 6.6.y stable), 3.6-6.10 sent a challenge ACK",
      [PERSONALITY_DUP_SYN] = "tcp_check_req(): \"pure retransmitted SYN\" (seq == rcv_isn, SYN only) -> inet_rtx_syn_ack(), SYN,ACK at once",
      [PERSONALITY_SYN_SENT_REARM] = "tcp_rcv_synsent_state_process(): unacceptable ACK, no retransmission yet -> timer at TCP_TIMEOUT_MIN (2 jiffies); HZ 250 as Debian builds it (CONFIG_HZ_250)",
      [PERSONALITY_SYN_OPTIONS] = "tcp_options_write() and tcp_syn_options(): <mss,sackOK,TS,nop,wscale>; wscale from tcp_select_initial_window(): ilog2(max(tcp_rmem[2] 6 MiB, net.core.rmem_max)) - 15 = 7",
      [PERSONALITY_RCV_WINDOW] = "tcp_rmem[1] 131072 = sk_rcvbuf (tcp_init_sock); window = tcp_win_from_space() = half (TCP_DEFAULT_SCALING_RATIO), rounded down to the MSS by tcp_select_initial_window(), aligned to the scale unit by __tcp_select_window()",
    },
  },
  {
    .name = "freebsd",
    .summary = "FreeBSD (main) defaults",
    .msl = 30 * SIM_S,
    .time_wait = 0,
    .fin_wait_2 = 600 * SIM_S,
    .fin_wait_2_minisock = FALSE,
    .fin_wait_2_rule = "FreeBSD TP_MAXIDLE, tcp_usrclosed()",
    .time_wait_rst = TCP_TW_RST_IGNORE,
    .time_wait_syn = TCP_TW_SYN_BSD,
    .challenge_acks = TRUE,
    .time_wait_restart = TCP_TW_RESTART_FIN,
    .isn = TCP_ISN_RFC6528,
    .timestamps = TRUE,
    .ts_offset = TCP_TS_OFFSET_FOUR_TUPLE,
    .rto_initial = 1 * SIM_S, .rto_min = 30 * SIM_MS, .rto_max = 64 * SIM_S,
    .rto_linux = FALSE, .orphan_retries = -1,
    .syn_retries = 12, .synack_retries = 12, .data_retries = 12,
    .port_low = 10000, .port_high = 65535,
    .bind_rules = BIND_RULES_BSD,
    .connect_dup_errno = EADDRINUSE,
    .reserved_ports = TRUE,
    .tw_reuse = 0,
    .bindv6only = TRUE,
    .linger_timeout = SOCK_LINGER_TIMEOUT_ORPHAN,
    .unread_close_rst = FALSE,
    .abort_rst_ack = TRUE,
    .simopen_synack = FALSE,
    .dup_syn_synack = FALSE,
    .syn_sent_rearm = FALSE, .hz = 0,
    .option_layout = TCP_LAYOUT_FREEBSD,
    .sack_permitted = TRUE,
    .wscale = 6,
    .source = {
      [PERSONALITY_MSL] = "net.inet.tcp.msl, TCPTV_MSL = 30 s",
      [PERSONALITY_TIME_WAIT] = "2 x msl = 60 s, tcp_timer_activate(tp, TT_2MSL, 2 * V_tcp_msl)",
      [PERSONALITY_FIN_WAIT_2] = "TP_MAXIDLE = 8 x 75 s (60 s only with fast_finwait2_recycle=1)",
      [PERSONALITY_TIME_WAIT_RST] = "tcp_twcheck(): RST is dropped",
      [PERSONALITY_TIME_WAIT_SYN] = "tcp_twcheck(): SYN with SEQ_GT(seq, rcv_nxt) recycles",
      [PERSONALITY_CHALLENGE_ACKS] = "tcp_input.c: tcp_send_challenge_ack() unless net.inet.tcp.insecure_rst / insecure_syn (both 0 by default)",
      [PERSONALITY_FIN_WAIT_2_MINISOCK] = "a full TCB (tcp_usrclosed); connect() gets EADDRINUSE",
      [PERSONALITY_TIME_WAIT_RESTART] = "tcp_twcheck(): only the retransmitted FIN restarts (tcp_tw_2msl_reset)",
      [PERSONALITY_ISN] = "tcp_new_isn(): keyed hash of the 4-tuple + time (RFC 6528)",
      [PERSONALITY_TIMESTAMPS] = "net.inet.tcp.rfc1323=1; TSval offset per connection, tcp_new_ts_offset() (ts_offset_per_conn=1)",
      [PERSONALITY_RTO] = "TCPTV_RTOBASE 1 s, TCPTV_MIN hz/33 ~ 30 ms, TCPTV_REXMTMAX 64 s",
      [PERSONALITY_RTO_FORMULA] = "tcp_xmit_timer(): RFC 6298 style (TCP_REXMTVAL), clamped by TCPTV_MIN",
      [PERSONALITY_RETRIES] = "TCP_MAXRXTSHIFT 12 (establishment also capped by TCPTV_KEEP_INIT 75 s)",
      [PERSONALITY_ORPHAN_RETRIES] = "no orphan limit: TCP_MAXRXTSHIFT as any connection (tcp_timer_rexmt)",
      [PERSONALITY_PORTS] = "net.inet.ip.portrange.first/last 10000-65535",
      [PERSONALITY_BIND_RULES] = "in_pcbbind_setup() / in_pcblookup_local()",
      [PERSONALITY_CONNECT_DUP] = "in_pcbconnect_setup(): EADDRINUSE for an existing 4-tuple",
      [PERSONALITY_RESERVED_PORTS] = "in_pcbbind_setup(): lport <= ipport_reservedhigh needs PRIV_NETINET_RESERVEDPORT",
      [PERSONALITY_TW_REUSE] = "no tcp_tw_reuse (nolocaltimewait only for local peers)",
      [PERSONALITY_BINDV6ONLY] = "net.inet6.ip6.v6only default 1 (sys/netinet6/in6_proto.c V_ip6_v6only = 1; ip6(4)): [::] is IPv6 only",
      [PERSONALITY_LINGER] = "soclose(): waits up to the linger time, then detaches; linger 0 drops (RST)",
      [PERSONALITY_UNREAD_CLOSE] = "tcp_usrreq.c tcp_disconnect(): sbflush(&so->so_rcv), then FIN: unread data dropped without RST",
      [PERSONALITY_SIMOPEN_SYNACK] = "not researched: RFC 9293 3.10.7.4 (rejected, ACK sent); Appendix A.2: OS mitigations differ",
      [PERSONALITY_ABORT_RST] = "tcp_drop() -> tcp_output(): tcp_outflags[TCPS_CLOSED] = TH_RST|TH_ACK (tcp_fsm.h)",
      [PERSONALITY_DUP_SYN] = "not researched: RFC 9293 3.10.7.4 first (not acceptable, ACK sent)",
      [PERSONALITY_SYN_SENT_REARM] = "not researched: RFC 9293 3.10.7.3 (RST sent, timer left)",
      [PERSONALITY_SYN_OPTIONS] = "tcp_addoptions(): MSS, nop+wscale, sackOK, TS in TOF_ bit order; request_r_scale in tcp_connect(): smallest with 65535 << s >= sb_max (2 MiB) = 6",
      [PERSONALITY_RCV_WINDOW] = "RFC 9293 3.8.6.2.2: the free receive-buffer space (65535 bytes, not researched further for this system)",
    },
  },
  {
    .name = "macos",
    .summary = "macOS (XNU 11417) defaults",
    .msl = 15 * SIM_S,
    .time_wait = 0,
    .fin_wait_2 = 60 * SIM_S,
    .fin_wait_2_minisock = FALSE,
    .fin_wait_2_rule = "macOS TCPTV_FINWAIT2",
    .time_wait_rst = TCP_TW_RST_IGNORE,
    .time_wait_syn = TCP_TW_SYN_BSD,
    .challenge_acks = TRUE,
    .time_wait_restart = TCP_TW_RESTART_FIN,
    .isn = TCP_ISN_RFC6528,
    .timestamps = TRUE,
    .ts_offset = TCP_TS_OFFSET_FOUR_TUPLE,
    .rto_initial = 1 * SIM_S, .rto_min = 30 * SIM_MS, .rto_max = 64 * SIM_S,
    .rto_linux = FALSE, .orphan_retries = -1,
    .syn_retries = 12, .synack_retries = 12, .data_retries = 12,
    .port_low = 49152, .port_high = 65535,
    .bind_rules = BIND_RULES_BSD,
    .connect_dup_errno = EADDRINUSE,
    .reserved_ports = FALSE,
    .tw_reuse = 0,
    .bindv6only = FALSE,
    .linger_timeout = SOCK_LINGER_TIMEOUT_ORPHAN,
    .unread_close_rst = TRUE,
    .abort_rst_ack = TRUE,
    .simopen_synack = FALSE,
    .dup_syn_synack = FALSE,
    .syn_sent_rearm = FALSE, .hz = 0,
    .option_layout = TCP_LAYOUT_XNU,
    .sack_permitted = TRUE,
    .wscale = 6,
    .source = {
      [PERSONALITY_MSL] = "net.inet.tcp.msl, TCPTV_MSL = 15 s",
      [PERSONALITY_TIME_WAIT] = "2 x msl = 30 s, add_to_time_wait(tp, 2 * tcp_msl)",
      [PERSONALITY_FIN_WAIT_2] = "TCPTV_FINWAIT2 60 s, net.inet.tcp.fin_timeout",
      [PERSONALITY_TIME_WAIT_RST] = "tcp_input.c: RST in TIME-WAIT is ignored",
      [PERSONALITY_TIME_WAIT_SYN] = "tcp_input.c: SYN with SEQ_GT(seq, rcv_nxt) closes TIME-WAIT, new ISN",
      [PERSONALITY_CHALLENGE_ACKS] = "tcp_input.c: net.inet.tcp.do_rfc5961=1 (\"full RFC 5961 compliance\"), challengeack_limit 10/s",
      [PERSONALITY_FIN_WAIT_2_MINISOCK] = "a full TCB; connect() gets EADDRINUSE",
      [PERSONALITY_TIME_WAIT_RESTART] = "tcp_input.c TIME_WAIT: only the retransmitted FIN restarts 2 MSL",
      [PERSONALITY_ISN] = "tcp_new_isn(): hashed, per 4-tuple (RFC 6528 style)",
      [PERSONALITY_TIMESTAMPS] = "net.inet.tcp.rfc1323=1; TSval offset not researched: per four-tuple as FreeBSD",
      [PERSONALITY_RTO] = "TCPTV_RTOBASE 1 s, TCPTV_REXMTMIN ~ 30 ms, TCPTV_REXMTMAX 64 s",
      [PERSONALITY_RTO_FORMULA] = "tcp_xmit_timer(): RFC 6298 style, clamped by TCPTV_REXMTMIN",
      [PERSONALITY_RETRIES] = "TCP_MAXRXTSHIFT 12, TCPTV_KEEP_INIT 75 s",
      [PERSONALITY_ORPHAN_RETRIES] = "no orphan limit: TCP_MAXRXTSHIFT as any connection",
      [PERSONALITY_PORTS] = "IPPORT_HIFIRSTAUTO-IPPORT_HILASTAUTO 49152-65535",
      [PERSONALITY_BIND_RULES] = "in_pcbbind(), classic BSD",
      [PERSONALITY_CONNECT_DUP] = "tcp_connect() (tcp_usrreq.c): EADDRINUSE for an existing 4-tuple",
      [PERSONALITY_RESERVED_PORTS] = "macOS 10.14 and later let any user bind ports below 1024",
      [PERSONALITY_TW_REUSE] = "no such knob",
      [PERSONALITY_BINDV6ONLY] = "XNU bsd/netinet6/ip6_input.c ip6_v6only = 0 (net.inet6.ip6.v6only): dual-stack",
      [PERSONALITY_LINGER] = "soclose() waits, capped at TCP_LINGERTIME 120 s, then detaches",
      [PERSONALITY_UNREAD_CLOSE] = "tcp_usrreq.c tcp_disconnect(): so_rcv.sb_cc != 0 or reassembly queue -> tcp_drop(): RST",
      [PERSONALITY_SIMOPEN_SYNACK] = "not researched: RFC 9293 3.10.7.4 (rejected, ACK sent); Appendix A.2: OS mitigations differ",
      [PERSONALITY_ABORT_RST] = "tcp_drop() -> tcp_output(): tcp_outflags[TCPS_CLOSED] = TH_RST|TH_ACK (tcp_fsm.h)",
      [PERSONALITY_DUP_SYN] = "not researched: RFC 9293 3.10.7.4 first (not acceptable, ACK sent)",
      [PERSONALITY_SYN_SENT_REARM] = "not researched: RFC 9293 3.10.7.3 (RST sent, timer left)",
      [PERSONALITY_SYN_OPTIONS] = "tcp_output() (XNU): MSS, nop+wscale, nop,nop,TS, sackOK, eol; wscale 6 as in FreeBSD (not researched further)",
      [PERSONALITY_RCV_WINDOW] = "RFC 9293 3.8.6.2.2: the free receive-buffer space (65535 bytes, not researched further for this system)",
    },
  },
  {
    .name = "windows",
    .summary = "Windows, documented behaviour only",
    .msl = 120 * SIM_S,
    .time_wait = 120 * SIM_S,
    .fin_wait_2 = 0,
    .fin_wait_2_minisock = FALSE,
    .fin_wait_2_rule = "no FIN-WAIT-2 timeout documented",
    .time_wait_rst = TCP_TW_RST_CLOSE,
    .time_wait_syn = TCP_TW_SYN_CHALLENGE,
    .challenge_acks = TRUE,
    .time_wait_restart = TCP_TW_RESTART_FIN,
    .isn = TCP_ISN_RFC6528,
    .timestamps = FALSE,
    .ts_offset = TCP_TS_OFFSET_NONE,
    .rto_initial = 1 * SIM_S, .rto_min = 1 * SIM_S, .rto_max = 60 * SIM_S,
    .rto_linux = FALSE, .orphan_retries = -1,
    .syn_retries = 2, .synack_retries = 2, .data_retries = 5,
    .port_low = 49152, .port_high = 65535,
    .bind_rules = BIND_RULES_WINDOWS,
    .connect_dup_errno = EADDRINUSE,
    .reserved_ports = FALSE,
    .tw_reuse = 0,
    .bindv6only = TRUE,
    .linger_timeout = SOCK_LINGER_TIMEOUT_ABORT,
    .unread_close_rst = TRUE,
    .abort_rst_ack = FALSE,
    .simopen_synack = FALSE,
    .dup_syn_synack = FALSE,
    .syn_sent_rearm = FALSE, .hz = 0,
    .option_layout = TCP_LAYOUT_WINDOWS,
    .sack_permitted = TRUE,
    .wscale = 8,
    .source = {
      [PERSONALITY_MSL] = "TechNet: \"By default, the MSL is defined to be 120 seconds\"",
      [PERSONALITY_TIME_WAIT] = "TcpTimedWaitDelay, Server 2003 docs default 0x78 = 120 s (Win2000: 240 s)",
      [PERSONALITY_FIN_WAIT_2] = "not documented: no timeout modelled",
      [PERSONALITY_FIN_WAIT_2_MINISOCK] = "not documented: a connection like any other",
      [PERSONALITY_TIME_WAIT_RST] = "not documented: RFC 9293 3.10.7.4 (RST closes TIME-WAIT)",
      [PERSONALITY_TIME_WAIT_SYN] = "not documented: RFC 9293 3.10.7.4 (challenge ACK)",
      [PERSONALITY_CHALLENGE_ACKS] = "not documented: RFC 9293 3.10.7.4 (RFC 5961 3.2, 4.2, 5.2 folded in)",
      [PERSONALITY_TIME_WAIT_RESTART] = "not documented: RFC 9293 3.10.7.4 (a retransmitted FIN restarts)",
      [PERSONALITY_ISN] = "not documented: RFC 9293 3.4.1 SHLD-1 (RFC 6528) assumed",
      [PERSONALITY_TIMESTAMPS] = "netsh interface tcp show global: \"RFC 1323 Timestamps: disabled\"",
      [PERSONALITY_RTO] = "not documented here: RFC 6298 values",
      [PERSONALITY_RTO_FORMULA] = "not documented: RFC 6298 (2.3)",
      [PERSONALITY_RETRIES] = "TcpMaxConnectRetransmissions 2, TcpMaxDataRetransmissions 5 (TCP/IP registry docs)",
      [PERSONALITY_ORPHAN_RETRIES] = "not documented: TcpMaxDataRetransmissions",
      [PERSONALITY_PORTS] = "49152-65535 since Vista (was 1025-5000)",
      [PERSONALITY_BIND_RULES] = "\"Sharing Transport Addresses\" table, SO_EXCLUSIVEADDRUSE docs",
      [PERSONALITY_CONNECT_DUP] = "connect(): WSAEADDRINUSE \"could be delayed until the connect function\"",
      [PERSONALITY_RESERVED_PORTS] = "no privileged ports in the Winsock documentation",
      [PERSONALITY_TW_REUSE] = "no such knob; SO_REUSEADDR / SO_EXCLUSIVEADDRUSE instead",
      [PERSONALITY_BINDV6ONLY] = "Winsock \"Dual-Stack Sockets\": IPV6_V6ONLY is TRUE by default since Windows Vista",
      [PERSONALITY_LINGER] = "closesocket(): linger timeout expiry ends the connection abortively",
      [PERSONALITY_UNREAD_CLOSE] = "not documented: RFC 9293 3.6.1 SHLD-2 (RST)",
      [PERSONALITY_ABORT_RST] = "not documented: RFC 9293 3.10.5 <SEQ=SND.NXT><CTL=RST>",
      [PERSONALITY_SIMOPEN_SYNACK] = "not documented: RFC 9293 3.10.7.4 (rejected, ACK sent)",
      [PERSONALITY_DUP_SYN] = "not documented: RFC 9293 3.10.7.4 first (not acceptable, ACK sent)",
      [PERSONALITY_SYN_SENT_REARM] = "not documented: RFC 9293 3.10.7.3 (RST sent, timer left)",
      [PERSONALITY_SYN_OPTIONS] = "not documented: the order Windows 10 SYNs show (MSS, nop+wscale 8, nop,nop,sackOK)",
      [PERSONALITY_RCV_WINDOW] = "RFC 9293 3.8.6.2.2: the free receive-buffer space (65535 bytes, not researched further for this system)",
    },
  },
  {
    .name = "rfc9293",
    .summary = "the RFC text (RFC 9293, RFC 6298), BSD sockets",
    .msl = 120 * SIM_S,
    .time_wait = 0,
    .fin_wait_2 = 0,
    .fin_wait_2_minisock = FALSE,
    .fin_wait_2_rule = "RFC 9293 has no FIN-WAIT-2 timeout",
    .time_wait_rst = TCP_TW_RST_CLOSE,
    .time_wait_syn = TCP_TW_SYN_CHALLENGE,
    .challenge_acks = TRUE,
    .time_wait_restart = TCP_TW_RESTART_FIN,
    .isn = TCP_ISN_CLOCK_4US,
    .timestamps = FALSE,
    .ts_offset = TCP_TS_OFFSET_NONE,
    .rto_initial = 1 * SIM_S, .rto_min = 1 * SIM_S, .rto_max = 60 * SIM_S,
    .syn_retries = 7, .synack_retries = 7, .data_retries = 15,
    .rto_linux = FALSE, .orphan_retries = -1,
    .port_low = 49152, .port_high = 65535,
    .bind_rules = BIND_RULES_BSD,
    .connect_dup_errno = EADDRINUSE,
    .reserved_ports = TRUE,
    .tw_reuse = 0,
    .bindv6only = FALSE,
    .linger_timeout = SOCK_LINGER_TIMEOUT_ORPHAN,
    .unread_close_rst = TRUE,
    .abort_rst_ack = FALSE,
    .simopen_synack = FALSE,
    .dup_syn_synack = FALSE,
    .syn_sent_rearm = FALSE, .hz = 0,
    .option_layout = TCP_LAYOUT_RFC7323,
    .sack_permitted = FALSE,
    .wscale = -1,
    .source = {
      [PERSONALITY_MSL] = "RFC 9293 3.4.2: MSL \"is taken to be 2 minutes\"",
      [PERSONALITY_TIME_WAIT] = "RFC 9293 3.3.2 / MUST-13: 2 x MSL",
      [PERSONALITY_FIN_WAIT_2] = "RFC 9293 has no FIN-WAIT-2 timeout",
      [PERSONALITY_FIN_WAIT_2_MINISOCK] = "RFC 9293: a TCB like any other",
      [PERSONALITY_TIME_WAIT_RST] = "RFC 9293 3.10.7.4: a valid RST closes TIME-WAIT",
      [PERSONALITY_TIME_WAIT_SYN] = "RFC 9293 3.10.7.4 / RFC 5961 4.2: challenge ACK",
      [PERSONALITY_CHALLENGE_ACKS] = "RFC 9293 3.10.7.4 second, fourth, fifth: RFC 5961 3.2, 4.2, 5.2 (MAY-12)",
      [PERSONALITY_ISN] = "RFC 9293 3.4.1 MUST-8: a 4 us clock",
      [PERSONALITY_TIMESTAMPS] = "RFC 9293 does not require RFC 7323",
      [PERSONALITY_RTO] = "RFC 6298 (2.1) 1 s, (2.4) 1 s, (2.5) 60 s",
      [PERSONALITY_RETRIES] = "RFC 9293 3.8.3: SYN R2 >= 3 min (MUST-23): 7 SYN retransmissions, given up after 183 s; data R2 >= 100 s: Linux's 15",
      [PERSONALITY_TIME_WAIT_RESTART] = "RFC 9293 3.10.7.4 fifth/eighth: a retransmitted FIN restarts the 2 MSL timeout",
      [PERSONALITY_RTO_FORMULA] = "RFC 6298 (2.3) SRTT + max(G, 4 x RTTVAR), (2.4) min, (2.5) max",
      [PERSONALITY_ORPHAN_RETRIES] = "RFC 9293 has no orphan limit: R2 as for data (3.8.3)",
      [PERSONALITY_PORTS] = "RFC 6335 6: dynamic ports 49152-65535",
      [PERSONALITY_BIND_RULES] = "the RFC defines no socket API: 4.4BSD's in_pcbbind",
      [PERSONALITY_CONNECT_DUP] = "4.4BSD in_pcbconnect: EADDRINUSE",
      [PERSONALITY_RESERVED_PORTS] = "4.4BSD convention: ports below IPPORT_RESERVED (1024) need root",
      [PERSONALITY_TW_REUSE] = "none: TIME-WAIT lasts 2 x MSL (MUST-13)",
      [PERSONALITY_BINDV6ONLY] = "RFC 3493 5.3: IPV6_V6ONLY \"by default ... turned off\"",
      [PERSONALITY_LINGER] = "RFC 9293 3.10.4 CLOSE is graceful; socket(7) linger semantics",
      [PERSONALITY_UNREAD_CLOSE] = "RFC 9293 3.6.1 SHLD-2 (RFC 1122 4.2.2.13): CLOSE with received data pending SHOULD send RST",
      [PERSONALITY_ABORT_RST] = "RFC 9293 3.10.5 ABORT: \"<SEQ=SND.NXT><CTL=RST>\"",
      [PERSONALITY_SIMOPEN_SYNACK] = "RFC 9293 3.10.7.4 first: SEG.SEQ = RCV.NXT - 1 fails Table 6, ACK sent (Appendix A.2)",
      [PERSONALITY_DUP_SYN] = "RFC 9293 3.10.7.4 first: SEG.SEQ = RCV.NXT - 1 is not acceptable, ACK sent",
      [PERSONALITY_SYN_SENT_REARM] = "RFC 9293 3.10.7.3: <SEQ=SEG.ACK><CTL=RST>, the retransmission timer runs on",
      [PERSONALITY_SYN_OPTIONS] = "RFC 9293 3.7.1: MSS only (RFC 7323 Appendix A layout when timestamps are on)",
      [PERSONALITY_RCV_WINDOW] = "RFC 9293 3.8.6.2.2: the free receive-buffer space (65535 bytes, not researched further for this system)",
    },
  },
  {
    .name = "textbook",
    .summary = "what textbooks teach: RFC 793, 4.4BSD, \"SO_REUSEADDR skips TIME-WAIT\"",
    .msl = 120 * SIM_S,
    .time_wait = 0,
    .fin_wait_2 = 675 * SIM_S,
    .fin_wait_2_minisock = FALSE,
    .fin_wait_2_rule = "4.4BSD tcp_usrclosed(): 10 min + 75 s",
    .time_wait_rst = TCP_TW_RST_CLOSE,
    .time_wait_syn = TCP_TW_SYN_RFC1122,
    .challenge_acks = FALSE,
    .time_wait_restart = TCP_TW_RESTART_FIN,
    .isn = TCP_ISN_CLOCK_4US,
    .timestamps = FALSE,
    .ts_offset = TCP_TS_OFFSET_NONE,
    .rto_initial = 1 * SIM_S, .rto_min = 1 * SIM_S, .rto_max = 64 * SIM_S,
    .rto_linux = FALSE, .orphan_retries = -1,
    .syn_retries = 12, .synack_retries = 12, .data_retries = 12,
    .port_low = 1024, .port_high = 5000,
    .bind_rules = BIND_RULES_TEXTBOOK,
    .connect_dup_errno = EADDRINUSE,
    .reserved_ports = TRUE,
    .tw_reuse = 0,
    .bindv6only = FALSE,
    .linger_timeout = SOCK_LINGER_TIMEOUT_ABORT,
    .unread_close_rst = FALSE,
    .abort_rst_ack = FALSE,
    .simopen_synack = FALSE,
    .dup_syn_synack = FALSE,
    .syn_sent_rearm = FALSE, .hz = 0,
    .option_layout = TCP_LAYOUT_RFC7323,
    .sack_permitted = FALSE,
    .wscale = -1,
    .source = {
      [PERSONALITY_MSL] = "RFC 793 3.3: MSL 2 minutes",
      [PERSONALITY_TIME_WAIT] = "RFC 793: 2 x MSL = 4 minutes",
      [PERSONALITY_FIN_WAIT_2] = "4.4BSD: 10 min + 75 s (Stevens, TCP/IP Illustrated vol. 1, 18.6)",
      [PERSONALITY_FIN_WAIT_2_MINISOCK] = "RFC 793: a TCB like any other",
      [PERSONALITY_TIME_WAIT_RST] = "RFC 793 3.9: RST closes TIME-WAIT",
      [PERSONALITY_TIME_WAIT_SYN] = "RFC 1122 4.2.2.13: a SYN above RCV.NXT reopens",
      [PERSONALITY_CHALLENGE_ACKS] = "RFC 793 3.9: a RST or SYN anywhere in the window resets; RFC 5961 is from 2010",
      [PERSONALITY_ISN] = "RFC 793 3.3: a 4 us clock",
      [PERSONALITY_TIMESTAMPS] = "RFC 793 has none",
      [PERSONALITY_RTO] = "RFC 6298 1 s; 4.4BSD TCPTV_REXMTMAX 64 s",
      [PERSONALITY_RETRIES] = "4.4BSD TCP_MAXRXTSHIFT 12: a SYN is given up after 511 s, over RFC 1122 4.2.3.5's 3 min (4.4BSD's 75 s TCPTV_KEEP_INIT not modelled)",
      [PERSONALITY_TIME_WAIT_RESTART] = "RFC 793 3.9: a retransmitted FIN restarts the 2 MSL timeout",
      [PERSONALITY_RTO_FORMULA] = "RFC 6298 (2.3); 4.4BSD TCP_REXMTVAL",
      [PERSONALITY_ORPHAN_RETRIES] = "4.4BSD: TCP_MAXRXTSHIFT as any connection",
      [PERSONALITY_PORTS] = "4.4BSD ephemeral ports 1024-5000 (Stevens, UNP 2.9)",
      [PERSONALITY_BIND_RULES] = "BSD rules, and SO_REUSEADDR discards TIME-WAIT records (the myth)",
      [PERSONALITY_CONNECT_DUP] = "\"connect: address already in use\"",
      [PERSONALITY_RESERVED_PORTS] = "4.4BSD IPPORT_RESERVED 1024",
      [PERSONALITY_TW_REUSE] = "none",
      [PERSONALITY_BINDV6ONLY] = "RFC 3493 5.3: IPV6_V6ONLY \"by default ... turned off\"",
      [PERSONALITY_LINGER] = "UNP 7.5 / Bernat: linger timeout -> RST, data discarded",
      [PERSONALITY_UNREAD_CLOSE] = "4.4BSD tcp_disconnect(): sbflush(&so->so_rcv), then FIN (no RST)",
      [PERSONALITY_ABORT_RST] = "RFC 793 3.9 ABORT: <SEQ=SND.NXT><CTL=RST>",
      [PERSONALITY_SIMOPEN_SYNACK] = "RFC 793 3.9: the acceptability test as written, ACK sent",
      [PERSONALITY_DUP_SYN] = "RFC 793 3.9 first: not acceptable, ACK sent",
      [PERSONALITY_SYN_SENT_REARM] = "RFC 793 3.9: RST sent, the retransmission timer runs on",
      [PERSONALITY_SYN_OPTIONS] = "RFC 793 3.1: MSS only",
      [PERSONALITY_RCV_WINDOW] = "RFC 9293 3.8.6.2.2: the free receive-buffer space (65535 bytes, not researched further for this system)",
    },
  },
};

const Personality *
personality_all (guint *n)
{
  *n = G_N_ELEMENTS (personalities);
  return personalities;
}

const Personality *
personality_find (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (personalities); i++)
    if (g_strcmp0 (personalities[i].name, name) == 0)
      return &personalities[i];
  return NULL;
}

const char *
personality_names (void)
{
  return "linux, freebsd, macos, windows, rfc9293, textbook";
}

void
personality_apply (const Personality *p, TcpConfig *tcp, SockConfig *sock)
{
  tcp_config_init_rfc9293 (tcp);
  tcp->msl = p->msl;
  tcp->time_wait = p->time_wait;
  /* include/net/tcp.h TCP_TIMEWAIT_LEN: the linux row's 60 s. */
  tcp->time_wait_linux = p->time_wait_restart == TCP_TW_RESTART_LINUX && p->time_wait > 0;
  tcp->fin_wait_2_timeout = p->fin_wait_2;
  tcp->fin_wait_2_minisock = p->fin_wait_2_minisock;
  tcp->fin_wait_2_rule = p->fin_wait_2_rule;
  tcp->time_wait_rst = p->time_wait_rst;
  tcp->time_wait_syn = p->time_wait_syn;
  tcp->challenge_acks = p->challenge_acks;
  tcp->time_wait_restart = p->time_wait_restart;
  tcp->isn_kind = p->isn;
  tcp->timestamps = p->timestamps;
  tcp->ts_offset = p->ts_offset;
  tcp->rto_initial = p->rto_initial;
  tcp->rto_min = p->rto_min;
  tcp->rto_max = p->rto_max;
  tcp->syn_retries = p->syn_retries;
  tcp->synack_retries = p->synack_retries;
  tcp->data_retries = p->data_retries;
  tcp->rto_linux = p->rto_linux;
  tcp->orphan_retries = p->orphan_retries;
  tcp->simultaneous_open_synack = p->simopen_synack;
  tcp->abort_rst_ack = p->abort_rst_ack;
  tcp->abort_rst_options = p->abort_rst_options;
  tcp->syn_linear_timeouts = p->syn_linear_timeouts;
  tcp->invalid_ratelimit = p->invalid_ratelimit;
  tcp->tlp = p->tlp;
  tcp->delack_ato = p->delack_ato;
  tcp->dup_syn_resends_synack = p->dup_syn_synack;
  tcp->syn_sent_rearm = p->syn_sent_rearm;
  tcp->hz = p->hz;
  tcp->option_layout = p->option_layout;
  tcp->sack_permitted = p->sack_permitted;
  tcp->wscale = p->wscale;
  tcp->rcv_wnd_linux = p->rcv_wnd_linux;
  tcp->rmem_max = p->rmem_max;
  if (p->rcvbuf > 0)
    tcp->rcv_buffer = p->rcvbuf;
  if (p->rcv_wnd_linux && p->wscale >= 0)
    tcp->wscale = tcp_config_linux_wscale (p->rmem_max);

  sock_config_init_linux (sock);
  sock->port_low = p->port_low;
  sock->port_high = p->port_high;
  sock->bind_rules = p->bind_rules;
  sock->connect_dup_errno = p->connect_dup_errno;
  sock->reserved_ports = p->reserved_ports;
  sock->tw_reuse = p->tw_reuse;
  sock->bindv6only = p->bindv6only;
  sock->linger_timeout = p->linger_timeout;
  sock->unread_close_rst = p->unread_close_rst;
}

static void
append_time (GString *out, SimTime t)
{
  if (t == 0)
    g_string_append (out, "none");
  else if (t % SIM_S == 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "s", t / SIM_S);
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT "ms", t / SIM_MS);
}

static const char *
isn_name (TcpIsnKind isn)
{
  switch (isn)
    {
    case TCP_ISN_FIXED: return "fixed";
    case TCP_ISN_CLOCK_4US: return "clock";
    case TCP_ISN_RFC6528: return "rfc6528";
    case TCP_ISN_LINUX: return "linux";
    case TCP_ISN_RANDOM: return "random";
    }
  return "?";
}

static const char *
tw_syn_name (TcpTimeWaitSynPolicy syn)
{
  switch (syn)
    {
    case TCP_TW_SYN_CHALLENGE: return "challenge";
    case TCP_TW_SYN_RFC793: return "rfc793";
    case TCP_TW_SYN_RFC1122: return "rfc1122";
    case TCP_TW_SYN_RFC6191: return "rfc6191";
    case TCP_TW_SYN_LINUX: return "linux";
    case TCP_TW_SYN_BSD: return "bsd";
    case TCP_TW_SYN_REJECT: return "reject";
    }
  return "?";
}

char *
personality_value (const Personality *p, PersonalityField field)
{
  GString *out = g_string_new (NULL);
  switch (field)
    {
    case PERSONALITY_MSL:
      append_time (out, p->msl);
      break;
    case PERSONALITY_TIME_WAIT:
      append_time (out, p->time_wait != 0 ? p->time_wait : 2 * p->msl);
      break;
    case PERSONALITY_FIN_WAIT_2:
      append_time (out, p->fin_wait_2);
      break;
    case PERSONALITY_FIN_WAIT_2_MINISOCK:
      g_string_append (out, p->fin_wait_2_minisock ? "minisock" : "tcb");
      break;
    case PERSONALITY_TIME_WAIT_RST:
      g_string_append (out, p->time_wait_rst == TCP_TW_RST_CLOSE ? "close" : "ignore");
      break;
    case PERSONALITY_TIME_WAIT_SYN:
      g_string_append (out, tw_syn_name (p->time_wait_syn));
      break;
    case PERSONALITY_CHALLENGE_ACKS:
      g_string_append (out, p->challenge_acks ? "on" : "off");
      break;
    case PERSONALITY_TIME_WAIT_RESTART:
      g_string_append (out, p->time_wait_restart == TCP_TW_RESTART_LINUX ? "linux" : "fin");
      break;
    case PERSONALITY_ISN:
      g_string_append (out, isn_name (p->isn));
      break;
    case PERSONALITY_TIMESTAMPS:
      g_string_append (out, p->timestamps ? "on" : "off");
      if (p->timestamps && p->ts_offset == TCP_TS_OFFSET_FOUR_TUPLE)
        g_string_append (out, "/4-tuple");
      else if (p->timestamps && p->ts_offset == TCP_TS_OFFSET_ADDRESSES)
        g_string_append (out, "/addrs");
      break;
    case PERSONALITY_RTO:
      append_time (out, p->rto_initial);
      g_string_append_c (out, '/');
      append_time (out, p->rto_min);
      g_string_append_c (out, '/');
      append_time (out, p->rto_max);
      break;
    case PERSONALITY_RTO_FORMULA:
      g_string_append (out, p->rto_linux ? "linux" : "rfc6298");
      break;
    case PERSONALITY_ORPHAN_RETRIES:
      if (p->orphan_retries < 0)
        g_string_append (out, "data");
      else if (p->orphan_retries == 0)
        g_string_append (out, "0 (8)");
      else
        g_string_append_printf (out, "%d", p->orphan_retries);
      break;
    case PERSONALITY_RETRIES:
      g_string_append_printf (out, "%u/%u/%u", p->syn_retries, p->synack_retries, p->data_retries);
      break;
    case PERSONALITY_PORTS:
      g_string_append_printf (out, "%u-%u", p->port_low, p->port_high);
      break;
    case PERSONALITY_BIND_RULES:
      g_string_append (out, bind_rule_set_name (p->bind_rules));
      break;
    case PERSONALITY_CONNECT_DUP:
      g_string_append (out, sock_errno_name (p->connect_dup_errno));
      break;
    case PERSONALITY_RESERVED_PORTS:
      g_string_append (out, p->reserved_ports ? "on" : "off");
      break;
    case PERSONALITY_TW_REUSE:
      g_string_append_printf (out, "%u", p->tw_reuse);
      break;
    case PERSONALITY_BINDV6ONLY:
      g_string_append (out, p->bindv6only ? "1" : "0");
      break;
    case PERSONALITY_LINGER:
      g_string_append (out, p->linger_timeout == SOCK_LINGER_TIMEOUT_ABORT ? "abort" : "orphan");
      break;
    case PERSONALITY_UNREAD_CLOSE:
      g_string_append (out, p->unread_close_rst ? "rst" : "fin");
      break;
    case PERSONALITY_ABORT_RST:
      g_string_append (out, p->abort_rst_ack ? "rst+ack" : "rst");
      break;
    case PERSONALITY_SIMOPEN_SYNACK:
      g_string_append (out, p->simopen_synack ? "linux" : "rfc");
      break;
    case PERSONALITY_DUP_SYN:
      g_string_append (out, p->dup_syn_synack ? "synack" : "ack");
      break;
    case PERSONALITY_SYN_SENT_REARM:
      if (p->syn_sent_rearm)
        {
          /* TCP_TIMEOUT_MIN: 2 jiffies (tcp-timers.c). */
          append_time (out, 2 * SIM_S / p->hz);
          g_string_append_printf (out, " (HZ %u)", p->hz);
        }
      else
        g_string_append (out, "none");
      break;
    case PERSONALITY_SYN_OPTIONS:
      {
        TcpSegment syn = { .flags = TCP_FLAG_SYN, .mss = 1460, .layout = p->option_layout,
                           .sack_ok = p->sack_permitted, .has_wscale = p->wscale >= 0,
                           .wscale = (guint8) MAX (p->wscale, 0), .has_timestamps = p->timestamps };
        GString *opts = g_string_new (NULL);
        tcp_segment_append_options (opts, &syn);
        /* The values of TS vary; the table shows where the option goes. */
        g_string_replace (opts, "TS val 0 ecr 0", "TS", 0);
        g_string_append (out, opts->str);
        g_string_free (opts, TRUE);
      }
      break;
    case PERSONALITY_RCV_WINDOW:
      if (p->rcv_wnd_linux)
        g_string_append_printf (out, "linux %u", p->rcvbuf);
      else
        g_string_append_printf (out, "free %u", p->rcvbuf > 0 ? p->rcvbuf : 65535u);
      break;
    case PERSONALITY_N_FIELDS:
      break;
    }
  return g_string_free (out, FALSE);
}

const char *
personality_field_name (PersonalityField field)
{
  static const char *const names[PERSONALITY_N_FIELDS] = {
    [PERSONALITY_MSL] = "msl",
    [PERSONALITY_TIME_WAIT] = "time_wait",
    [PERSONALITY_FIN_WAIT_2] = "fin_wait_2",
    [PERSONALITY_FIN_WAIT_2_MINISOCK] = "fin_wait_2_orphan",
    [PERSONALITY_TIME_WAIT_RST] = "time_wait_rst",
    [PERSONALITY_TIME_WAIT_SYN] = "time_wait_syn",
    [PERSONALITY_CHALLENGE_ACKS] = "challenge_acks",
    [PERSONALITY_TIME_WAIT_RESTART] = "time_wait_restart",
    [PERSONALITY_ISN] = "isn",
    [PERSONALITY_TIMESTAMPS] = "timestamps",
    [PERSONALITY_RTO] = "rto init/min/max",
    [PERSONALITY_RTO_FORMULA] = "rto_formula",
    [PERSONALITY_RETRIES] = "retries syn/synack/data",
    [PERSONALITY_ORPHAN_RETRIES] = "orphan_retries",
    [PERSONALITY_PORTS] = "port_range",
    [PERSONALITY_BIND_RULES] = "bind_rules",
    [PERSONALITY_CONNECT_DUP] = "connect_dup",
    [PERSONALITY_RESERVED_PORTS] = "reserved_ports",
    [PERSONALITY_TW_REUSE] = "tw_reuse",
    [PERSONALITY_BINDV6ONLY] = "bindv6only",
    [PERSONALITY_LINGER] = "linger",
    [PERSONALITY_UNREAD_CLOSE] = "unread_rst",
    [PERSONALITY_ABORT_RST] = "abort_rst",
    [PERSONALITY_SIMOPEN_SYNACK] = "simopen_synack",
    [PERSONALITY_DUP_SYN] = "syn_recv_dup_syn",
    [PERSONALITY_SYN_SENT_REARM] = "syn_sent_rearm",
    [PERSONALITY_SYN_OPTIONS] = "syn_options",
    [PERSONALITY_RCV_WINDOW] = "rcv_window",
  };
  return field < PERSONALITY_N_FIELDS ? names[field] : "?";
}

void
personality_describe (GString *out)
{
  guint n = G_N_ELEMENTS (personalities);
  g_string_append_printf (out, "%-24s", "setting");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, " %-14s", personalities[i].name);
  g_string_append_c (out, '\n');
  for (guint f = 0; f < PERSONALITY_N_FIELDS; f++)
    {
      g_string_append_printf (out, "%-24s", personality_field_name (f));
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *v = personality_value (&personalities[i], f);
          g_string_append_printf (out, " %-14s", v);
        }
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "\nlinger: what close() with SO_LINGER {1, N} does when N runs out (orphan: "
                        "returns, FIN goes on; abort: RST).\n"
                        "unread_rst: close() with received data not yet read (rst: RST instead "
                        "of FIN, no TIME-WAIT; fin: the data is dropped, FIN as usual).\n"
                        "simopen_synack: the crossing SYN,ACK of a simultaneous open in SYN-RECEIVED "
                        "(rfc: rejected and ACKed; linux: accepted, ESTABLISHED at once).\n"
                        "challenge_acks: RFC 5961 3.2, 4.2, 5.2 challenge ACKs for an inexact RST, "
                        "a SYN, an ACK too old (off: RFC 793 3.9, an in-window RST or SYN resets).\n"
                        "timestamps: on/4-tuple: the TSval offset is a keyed hash of the four-tuple (on/addrs: "
                        "of the two addresses), the same for every incarnation.\n"
                        "abort_rst: the reset an abort sends in a synchronized state (rst: "
                        "<SEQ=SND.NXT><CTL=RST>; rst+ack: also ACK=RCV.NXT).\n"
                        "fin_wait_2_orphan: what an orphaned FIN-WAIT-2 is (tcb: a connection; minisock: "
                        "a TIME-WAIT minisocket that connect() may take over).\n"
                        "rto_formula: rfc6298 SRTT + max(G, 4 x RTTVAR) clamped to rto_min; linux SRTT + "
                        "max(4 x RTTVAR, rto_min). orphan_retries: retransmissions of a closed "
                        "socket in FIN-WAIT-1/CLOSING/LAST-ACK (data: as data_retries; 0 (8): "
                        "Linux's 0, which means 8).\n"
                        "syn_sent_rearm: after its RST for an unacceptable ACK in SYN-SENT, the SYN goes "
                        "again this soon (none: at the RTO).\n"
                        "bindv6only: IPV6_V6ONLY of a new IPv6 socket (0: a [::] listener also "
                        "takes IPv4 peers, as ::ffff:a.b.c.d; 1: IPv6 only), RFC 3493 5.3.\n"
                        "rcv_window: the window announced (free N: the free space of an N-byte "
                        "receive buffer; linux N: half of sk_rcvbuf N, rounded as tcp_select_window).\n"
                        "syn_recv_dup_syn: a retransmitted SYN in SYN-RECEIVED (ack: RFC 9293 "
                        "3.10.7.4 first; synack: the SYN,ACK is sent again at once).\n");
  for (guint i = 0; i < n; i++)
    {
      const Personality *p = &personalities[i];
      g_string_append_printf (out, "\n%s: %s\n", p->name, p->summary);
      for (guint f = 0; f < PERSONALITY_N_FIELDS; f++)
        {
          g_autofree char *v = personality_value (p, f);
          g_string_append_printf (out, "  %-24s %-14s %s\n", personality_field_name (f), v,
                                  p->source[f]);
        }
    }
}
