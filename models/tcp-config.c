/* tcp-config.c: the "rfc9293" personality, the plain text of the RFCs. */
#include "tcp-config.h"

/* Fills `config` with the values the RFCs themselves give. */
void
tcp_config_init_rfc9293 (TcpConfig *config)
{
  g_return_if_fail (config != NULL);
  *config = (TcpConfig){ 0 };
  /* RFC 9293 3.4.2: "MSL ... is taken to be 2 minutes. This is an
   * engineering choice"; TIME-WAIT lasts 2 x MSL (MUST-13). */
  config->msl = 120 * SIM_S;
  /* RFC 9293 3.4.1 (MUST-8): ISNs from a clock ticking every 4 us. */
  config->isn_kind = TCP_ISN_CLOCK_4US;
  config->isn_fixed = 0;
  /* RFC 6298 (2.1): RTO starts at 1 s; (2.4): RTO below 1 s SHOULD be
   * rounded up to 1 s; (2.5): a maximum MAY be imposed if at least 60 s. */
  config->rto_initial = 1 * SIM_S;
  config->rto_min = 1 * SIM_S;
  config->rto_max = 60 * SIM_S;
  /* The RFC gives bounds in time, the counts meet them with the RTOs
   * above. RFC 9293 3.8.3 (MUST-23) / RFC 1122 4.2.3.5: "R2 for a SYN
   * segment MUST be set large enough to provide retransmission of the
   * segment for at least 3 minutes" (a SYN,ACK is a SYN segment too): 7
   * retransmissions, 1+2+4+8+16+32+60 s, then one more RTO of 60 s: given
   * up after 183 s (Linux's 6 give up after 127 s). Data: R2 >= 100 s;
   * Linux's tcp_retries2 15 (about 15 min at rto_max 60 s). */
  config->syn_retries = 7;
  config->synack_retries = 7;
  config->data_retries = 15;
  /* 65535: the largest window without RFC 7323 scaling; the send buffer is
   * a round 64 KiB. */
  config->rcv_buffer = 65535;
  config->rcv_wnd_linux = FALSE;
  config->abort_rst_options = FALSE;
  config->tlp = FALSE;
  config->delack_ato = 0;
  config->invalid_ratelimit = 0;
  config->syn_linear_timeouts = 0;
  config->rmem_max = 0;
  config->snd_buffer = 65536;
  /* RFC 9293 3.7.1: an Ethernet-sized MSS (1500 - 40). */
  config->mss = 1460;
  /* RFC 9293 3.10.7.4 incorporates RFC 5961 3, 4 and 5. */
  config->challenge_acks = TRUE;
  /* RFC 9293 3.10.7.4 "Second, check the RST bit": TIME-WAIT enters CLOSED
   * on a valid RST (what RFC 1337 calls TIME-WAIT assassination). */
  config->time_wait_rst = TCP_TW_RST_CLOSE;
  /* RFC 9293 3.10.7.4 fourth: a SYN in a synchronized state (TIME-WAIT
   * included) gets a challenge ACK (RFC 5961 4.2). */
  config->time_wait_syn = TCP_TW_SYN_CHALLENGE;
  /* RFC 9293 3.10.7.4: only a retransmitted FIN restarts the 2 MSL timer. */
  config->time_wait_restart = TCP_TW_RESTART_FIN;
  /* 0: TIME-WAIT lasts 2 x MSL (RFC 9293 3.4.2, MUST-13). */
  config->time_wait = 0;
  /* RFC 9293 does not require RFC 7323; the plain text runs without
   * timestamps. 1 kHz is Linux's TS clock (RFC 7323 5.4: 1 ms .. 1 s). */
  config->timestamps = FALSE;
  config->ts_clock_hz = 1000;
  config->ts_offset = TCP_TS_OFFSET_NONE;
  /* RFC 9293 3.10.7.4 (FIN-WAIT-2) waits for the peer's FIN without a
   * limit: an orphan whose peer never closes stays forever. */
  config->fin_wait_2_timeout = 0;
  /* RFC 9293 3.10.7.4 first: the crossing SYN,ACK of a simultaneous open
   * has SEG.SEQ = IRS = RCV.NXT - 1 and fails the acceptability test; it is
   * answered with an ACK, and those ACKs complete the handshake one trip
   * after Figure 7 (Appendix A.2 names the problem, fixes none). */
  config->simultaneous_open_synack = FALSE;
  /* RFC 9293 3.10.5 ABORT: "<SEQ=SND.NXT><CTL=RST>". */
  config->abort_rst_ack = FALSE;
  /* RFC 9293 3.10.7.3: the RST for an unacceptable ACK leaves the timer. */
  config->syn_sent_rearm = FALSE;
  config->time_wait_linux = FALSE;
  config->fin_wait_2_rule = NULL;
  /* An orphaned FIN-WAIT-2 is a TCB like any other (RFC 9293 has no orphans). */
  config->fin_wait_2_minisock = FALSE;
  config->hz = 0;
  /* RFC 6298 (2.3)-(2.5); an orphan retries as long as any connection. */
  config->rto_linux = FALSE;
  config->orphan_retries = -1;
  /* RFC 9293 3.10.7.4 first: a duplicate SYN in SYN-RECEIVED gets an ACK. */
  config->dup_syn_resends_synack = FALSE;
  /* RFC 9293 3.7.1: MSS is the one option the plain text sends; RFC 7323
   * Appendix A lays out timestamps (when a scenario turns them on). */
  config->option_layout = TCP_LAYOUT_RFC7323;
  config->sack_permitted = FALSE;
  config->wscale = -1;
}

/* tcp_select_initial_window() (net/ipv4/tcp_output.c): "Set window scaling
 * on max possible window": space = max(tcp_rmem[2], net.core.rmem_max),
 * rcv_wscale = clamp(ilog2(space) - 15, 0, TCP_MAX_WSCALE 14). rmem_max is
 * 212992 by default (SK_RMEM_MAX), below any tcp_rmem[2] that matters here. */
gint
tcp_config_linux_wscale (guint32 rmem_max)
{
  guint32 space = MAX (rmem_max, 212992u);
  gint log = 0;
  while (log < 31 && (space >> (log + 1)) != 0)
    log++;
  return CLAMP (log - 15, 0, 14);
}
