/* host-settings.c: one table of host settings, one of link settings. */
#include "host-settings.h"

#include "scenario-parser.h"
#include "sim-suggest.h"
#include "personality.h"

#include <errno.h>

#include <string.h>

typedef gboolean (*SettingApplyFunc) (const char *value, TcpConfig *config, const char **problem);

typedef struct {
  const char *key;
  const char *meaning;
  SettingApplyFunc apply;
} HostSetting;

static gboolean
parse_duration_value (const char *value, SimTime *out, const char **problem)
{
  return sim_time_parse_duration (value, out, problem);
}

static gboolean
parse_uint_value (const char *value, guint64 max, guint64 *out, const char **problem)
{
  guint64 v = 0;
  GError *error = NULL;
  if (!g_ascii_string_to_unsigned (value, 10, 0, max, &v, &error))
    {
      g_clear_error (&error);
      *problem = "expected a whole number in range";
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_switch_value (const char *value, gboolean *out, const char **problem)
{
  if (strcmp (value, "on") == 0 || strcmp (value, "1") == 0)
    *out = TRUE;
  else if (strcmp (value, "off") == 0 || strcmp (value, "0") == 0)
    *out = FALSE;
  else
    {
      *problem = "expected on or off";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_msl (const char *value, TcpConfig *c, const char **problem)
{
  if (!parse_duration_value (value, &c->msl, problem))
    return FALSE;
  if (c->msl > 3600 * SIM_S)
    {
      *problem = "MSL above one hour is not supported";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_isn (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "clock") == 0)
    {
      c->isn_kind = TCP_ISN_CLOCK_4US;
      return TRUE;
    }
  /* RFC 6528 / RFC 9293 3.4.1: 4 us clock + keyed hash of the 4-tuple. */
  if (strcmp (value, "rfc6528") == 0)
    {
      c->isn_kind = TCP_ISN_RFC6528;
      return TRUE;
    }
  /* Linux secure_tcp_seq: hash + 64 ns clock. */
  if (strcmp (value, "linux") == 0)
    {
      c->isn_kind = TCP_ISN_LINUX;
      return TRUE;
    }
  if (strcmp (value, "random") == 0)
    {
      c->isn_kind = TCP_ISN_RANDOM;
      return TRUE;
    }
  if (g_str_has_prefix (value, "fixed:"))
    {
      guint64 v;
      if (!parse_uint_value (value + 6, G_MAXUINT32, &v, problem))
        return FALSE;
      c->isn_kind = TCP_ISN_FIXED;
      c->isn_fixed = (guint32) v;
      return TRUE;
    }
  *problem = "expected fixed:N (0 <= N < 2^32), clock, rfc6528, linux or random";
  return FALSE;
}

static gboolean
apply_rto (const char *value, TcpConfig *c, const char **problem)
{
  if (!parse_duration_value (value, &c->rto_initial, problem))
    return FALSE;
  if (c->rto_initial <= 0)
    {
      *problem = "the RTO must be positive";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_rto_min (const char *value, TcpConfig *c, const char **problem)
{
  return parse_duration_value (value, &c->rto_min, problem);
}

static gboolean
apply_rto_max (const char *value, TcpConfig *c, const char **problem)
{
  return parse_duration_value (value, &c->rto_max, problem);
}

static gboolean
apply_retries (const char *value, guint *out, const char **problem)
{
  guint64 v;
  if (!parse_uint_value (value, 100, &v, problem))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static gboolean
apply_syn_retries (const char *value, TcpConfig *c, const char **problem)
{
  return apply_retries (value, &c->syn_retries, problem);
}

static gboolean
apply_synack_retries (const char *value, TcpConfig *c, const char **problem)
{
  return apply_retries (value, &c->synack_retries, problem);
}

static gboolean
apply_data_retries (const char *value, TcpConfig *c, const char **problem)
{
  return apply_retries (value, &c->data_retries, problem);
}

static gboolean
apply_rcvbuf (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v;
  if (!parse_uint_value (value, 1 << 30, &v, problem))
    return FALSE;
  c->rcv_buffer = (guint32) v;
  return TRUE;
}

static gboolean
apply_rcv_window (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "linux") == 0)
    c->rcv_wnd_linux = TRUE;
  else if (strcmp (value, "free") == 0)
    c->rcv_wnd_linux = FALSE;
  else
    {
      *problem = "expected free or linux";
      return FALSE;
    }
  return TRUE;
}

/* Linux tcp_rmem[2]: with rcv_wnd_linux, the window scale follows it
 * (tcp_select_initial_window), unless window scaling is off. */
static gboolean
apply_rmem_max (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v;
  if (!parse_uint_value (value, G_MAXINT32, &v, problem))
    return FALSE;
  c->rmem_max = (guint32) v;
  if (c->rcv_wnd_linux && c->wscale >= 0)
    c->wscale = tcp_config_linux_wscale (c->rmem_max);
  return TRUE;
}

static gboolean
apply_sndbuf (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v;
  if (!parse_uint_value (value, 1 << 30, &v, problem) || v == 0)
    {
      *problem = "expected a positive whole number of bytes";
      return FALSE;
    }
  c->snd_buffer = (guint32) v;
  return TRUE;
}

static gboolean
apply_mss (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v;
  if (!parse_uint_value (value, 65535, &v, problem) || v < 1)
    {
      *problem = "expected an MSS of 1..65535 bytes";
      return FALSE;
    }
  c->mss = (guint16) v;
  return TRUE;
}

static gboolean
apply_challenge_acks (const char *value, TcpConfig *c, const char **problem)
{
  return parse_switch_value (value, &c->challenge_acks, problem);
}

static gboolean
apply_time_wait_rst (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "close") == 0)
    c->time_wait_rst = TCP_TW_RST_CLOSE;
  else if (strcmp (value, "ignore") == 0)
    c->time_wait_rst = TCP_TW_RST_IGNORE;
  else
    {
      *problem = "expected close (RFC 9293) or ignore (RFC 1337 F1)";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_time_wait_syn (const char *value, TcpConfig *c, const char **problem)
{
  static const struct {
    const char *name;
    TcpTimeWaitSynPolicy policy;
  } names[] = {
    { "challenge", TCP_TW_SYN_CHALLENGE }, /* RFC 5961 4.2 / RFC 9293 3.10.7.4 */
    { "rfc793", TCP_TW_SYN_RFC793 },       /* RFC 793 3.9 */
    { "rfc1122", TCP_TW_SYN_RFC1122 },     /* RFC 1122 4.2.2.13 / RFC 9293 3.6.1 */
    { "rfc6191", TCP_TW_SYN_RFC6191 },     /* RFC 6191 2 */
    { "linux", TCP_TW_SYN_LINUX },         /* tcp_timewait_state_process */
    { "bsd", TCP_TW_SYN_BSD },             /* FreeBSD tcp_twcheck */
    { "reject", TCP_TW_SYN_REJECT },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (value, names[i].name) == 0)
      {
        c->time_wait_syn = names[i].policy;
        return TRUE;
      }
  *problem = "expected challenge, rfc793, rfc1122, rfc6191, linux, bsd or reject";
  return FALSE;
}

static gboolean
apply_time_wait (const char *value, TcpConfig *c, const char **problem)
{
  if (!parse_duration_value (value, &c->time_wait, problem))
    return FALSE;
  c->time_wait_linux = FALSE; /* no longer TCP_TIMEWAIT_LEN: the setting's own length */
  if (c->time_wait <= 0 || c->time_wait > 7200 * SIM_S)
    {
      *problem = "expected a duration above 0 and at most 2 hours";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_timestamps (const char *value, TcpConfig *c, const char **problem)
{
  return parse_switch_value (value, &c->timestamps, problem);
}

static gboolean
apply_ts_hz (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v;
  /* RFC 7323 5.4: at least 1 tick a second, at most one every 59 ns. */
  if (!parse_uint_value (value, 16000000, &v, problem) || v < 1)
    {
      *problem = "expected 1..16000000 ticks a second (RFC 7323 5.4)";
      return FALSE;
    }
  c->ts_clock_hz = (guint32) v;
  return TRUE;
}

static gboolean
apply_ts_random_offset (const char *value, TcpConfig *c, const char **problem)
{
  gboolean on;
  if (!parse_switch_value (value, &on, problem))
    return FALSE;
  c->ts_offset = on ? TCP_TS_OFFSET_FOUR_TUPLE : TCP_TS_OFFSET_NONE;
  return TRUE;
}

/* What keys the TS clock offset. */
static gboolean
apply_ts_offset (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "none") == 0)
    c->ts_offset = TCP_TS_OFFSET_NONE;
  else if (strcmp (value, "addresses") == 0)
    c->ts_offset = TCP_TS_OFFSET_ADDRESSES;  /* Linux secure_tcp_ts_off */
  else if (strcmp (value, "four-tuple") == 0)
    c->ts_offset = TCP_TS_OFFSET_FOUR_TUPLE; /* Linux secure_tcp_seq_and_ts_off */
  else
    {
      *problem = "expected none, addresses (Linux secure_tcp_ts_off) or four-tuple "
                 "(Linux secure_tcp_seq_and_ts_off)";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_fin_timeout (const char *value, TcpConfig *c, const char **problem)
{
  c->fin_wait_2_rule = NULL; /* the setting's own value, no personality's */
  return parse_duration_value (value, &c->fin_wait_2_timeout, problem);
}

static gboolean
apply_syn_sent_rearm (const char *value, TcpConfig *c, const char **problem)
{
  return parse_switch_value (value, &c->syn_sent_rearm, problem);
}

/* Linux CONFIG_HZ: 100, 250, 300 or 1000 jiffies a second. */
static gboolean
apply_hz (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v;
  if (!parse_uint_value (value, 1000, &v, problem) || (v != 100 && v != 250 && v != 300 && v != 1000))
    {
      *problem = "expected 100, 250, 300 or 1000 (Linux CONFIG_HZ)";
      return FALSE;
    }
  c->hz = (guint) v;
  return TRUE;
}

static gboolean
apply_fin_wait_2_orphan (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "tcb") == 0)
    c->fin_wait_2_minisock = FALSE; /* RFC 9293 */
  else if (strcmp (value, "minisock") == 0)
    c->fin_wait_2_minisock = TRUE;  /* Linux tcp_time_wait(sk, TCP_FIN_WAIT2, tmo) */
  else
    {
      *problem = "expected tcb (RFC 9293) or minisock (Linux tcp_time_wait(sk, TCP_FIN_WAIT2))";
      return FALSE;
    }
  return TRUE;
}

/* How RTO follows from SRTT and RTTVAR. */
static gboolean
apply_rto_formula (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "rfc6298") == 0)
    c->rto_linux = FALSE; /* RFC 6298 (2.3) */
  else if (strcmp (value, "linux") == 0)
    c->rto_linux = TRUE;  /* Linux tcp_set_rto */
  else
    {
      *problem = "expected rfc6298 (SRTT + max(G, 4 x RTTVAR)) or linux "
                 "(SRTT + max(4 x RTTVAR, rto_min), tcp_set_rto)";
      return FALSE;
    }
  return TRUE;
}

/* Retransmissions of an orphan in FIN-WAIT-1, CLOSING or LAST-ACK. */
static gboolean
apply_orphan_retries (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v;
  if (strcmp (value, "data") == 0)
    {
      c->orphan_retries = -1;
      return TRUE;
    }
  if (!parse_uint_value (value, 255, &v, problem))
    return FALSE;
  c->orphan_retries = (gint) v;
  return TRUE;
}

/* A retransmitted SYN in a passive SYN-RECEIVED. */
static gboolean
apply_syn_recv_dup_syn (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "ack") == 0)
    c->dup_syn_resends_synack = FALSE; /* RFC 9293 3.10.7.4 first */
  else if (strcmp (value, "synack") == 0)
    c->dup_syn_resends_synack = TRUE;  /* Linux tcp_check_req */
  else
    {
      *problem = "expected ack (RFC 9293 3.10.7.4) or synack (Linux tcp_check_req)";
      return FALSE;
    }
  return TRUE;
}

/* The reset an ABORT sends in a synchronized state. */
static gboolean
apply_abort_rst (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "rst") == 0)
    c->abort_rst_ack = FALSE;  /* RFC 9293 3.10.5 */
  else if (strcmp (value, "rst+ack") == 0)
    c->abort_rst_ack = TRUE;   /* Linux tcp_send_active_reset */
  else
    {
      *problem = "expected rst (RFC 9293 3.10.5) or rst+ack (Linux tcp_send_active_reset)";
      return FALSE;
    }
  return TRUE;
}

/* Which segments restart the TIME-WAIT timer. */
static gboolean
apply_time_wait_restart (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "fin") == 0)
    c->time_wait_restart = TCP_TW_RESTART_FIN;   /* RFC 9293 3.10.7.4 */
  else if (strcmp (value, "linux") == 0)
    c->time_wait_restart = TCP_TW_RESTART_LINUX; /* Linux tcp_timewait_state_process */
  else
    {
      *problem = "expected fin (RFC 9293 3.10.7.4: only a retransmitted FIN) or linux "
                 "(tcp_timewait_state_process)";
      return FALSE;
    }
  return TRUE;
}

/* The crossing SYN,ACK of a simultaneous open, in SYN-RECEIVED. */
static gboolean
apply_simopen_synack (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "rfc") == 0)
    c->simultaneous_open_synack = FALSE; /* RFC 9293 3.10.7.4 first, Appendix A.2 */
  else if (strcmp (value, "linux") == 0)
    c->simultaneous_open_synack = TRUE;  /* Linux tcp_validate_incoming */
  else
    {
      *problem = "expected rfc (RFC 9293 3.10.7.4: rejected, ACK sent) or linux "
                 "(tcp_validate_incoming: accepted, ESTABLISHED)";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_sack (const char *value, TcpConfig *c, const char **problem)
{
  return parse_switch_value (value, &c->sack_permitted, problem);
}

/* RFC 7323 2.3: a shift count of at most 14; off: no window scale option. */
static gboolean
apply_wscale (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v = 0;
  if (strcmp (value, "off") == 0)
    {
      c->wscale = -1;
      return TRUE;
    }
  if (!parse_uint_value (value, 14, &v, problem))
    {
      *problem = "expected off or a shift count from 0 to 14 (RFC 7323 2.3)";
      return FALSE;
    }
  c->wscale = (gint) v;
  return TRUE;
}

static const HostSetting host_settings[] = {
  { "msl", "maximum segment lifetime; TIME-WAIT lasts 2 x msl (default 120s, RFC 9293 3.4.2)", apply_msl },
  { "isn", "initial sequence numbers: fixed:N, clock (RFC 793 4 us clock; default), rfc6528 (clock + keyed hash of the 4-tuple), linux (hash + 64 ns clock) or random", apply_isn },
  { "rto", "initial retransmission timeout (default 1s, RFC 6298 2.1)", apply_rto },
  { "rto_min", "lower bound of the RTO (default 1s, RFC 6298 2.4)", apply_rto_min },
  { "rto_max", "upper bound of the RTO (default 60s, RFC 6298 2.5)", apply_rto_max },
  { "syn_retries", "SYN retransmissions before connect() fails with ETIMEDOUT (default 7, RFC 9293 3.8.3: at least 3 min)", apply_syn_retries },
  { "synack_retries", "SYN,ACK retransmissions before a half-open connection is dropped (default 7)", apply_synack_retries },
  { "data_retries", "data/FIN retransmissions before the connection times out (default 15)", apply_data_retries },
  { "rcvbuf", "receive buffer in bytes, the largest window announced (default 65535; linux: tcp_rmem[1] 131072, of which half is announced)", apply_rcvbuf },
  { "rcv_window", "the window announced: free (the free space of the receive buffer, RFC 9293 3.8.6.2.2; default) or linux (half of rcvbuf, rounded down to the MSS, aligned to the scale unit: tcp_select_initial_window, __tcp_select_window)", apply_rcv_window },
  { "rmem_max", "Linux tcp_rmem[2] in bytes: with the linux receive window, the window scale offered is ilog2(max(it, 212992)) - 15 (tcp_select_initial_window)", apply_rmem_max },
  { "sndbuf", "send buffer in bytes (default 65536)", apply_sndbuf },
  { "mss", "maximum segment size announced in SYN (default 1460)", apply_mss },
  { "challenge_acks", "on/off: RFC 5961 challenge ACKs for RST and SYN (default: the personality's, off for textbook)", apply_challenge_acks },
  { "time_wait_rst", "close (RFC 9293, TIME-WAIT assassination) or ignore (RFC 1337 F1) (default close)", apply_time_wait_rst },
  { "time_wait_syn", "SYN in TIME-WAIT: challenge (RFC 5961; default), rfc793, rfc1122, rfc6191, linux, bsd or reject", apply_time_wait_syn },
  { "syn_sent_rearm", "on/off: after its RST for an unacceptable ACK in SYN-SENT (no retransmission yet), send the SYN again after TCP_TIMEOUT_MIN, 2 jiffies (Linux tcp_rcv_synsent_state_process; default off)", apply_syn_sent_rearm },
  { "hz", "Linux jiffies a second, CONFIG_HZ (linux: 250, as Debian builds it); TCP_TIMEOUT_MIN is 2 jiffies", apply_hz },
  { "fin_wait_2_orphan", "an orphaned FIN-WAIT-2: tcb (a connection, connect() onto it fails; default) or minisock (Linux: a TIME-WAIT minisocket, connect() from a bound port takes it over, tcp_twsk_unique)", apply_fin_wait_2_orphan },
  { "rto_formula", "RTO from the RTT estimate: rfc6298 (SRTT + max(G, 4 x RTTVAR), clamped; default) or linux (SRTT + max(4 x RTTVAR, rto_min), tcp_set_rto)", apply_rto_formula },
  { "orphan_retries", "retransmissions before a closed socket in FIN-WAIT-1, CLOSING or LAST-ACK gives up: data (as data_retries; default) or N (Linux tcp_orphan_retries; 0 means 8 while RTO < rto_max)", apply_orphan_retries },
  { "syn_recv_dup_syn", "a retransmitted SYN in SYN-RECEIVED (passive): ack (RFC 9293 3.10.7.4 first: not acceptable, ACK sent; default) or synack (Linux tcp_check_req: the SYN,ACK again at once)", apply_syn_recv_dup_syn },
  { "abort_rst", "the reset of an abort (SO_LINGER {1,0}, close() with unread data): rst (RFC 9293 3.10.5 <SEQ=SND.NXT><CTL=RST>; default) or rst+ack (Linux tcp_send_active_reset: ACK=RCV.NXT too)", apply_abort_rst },
  { "time_wait_restart", "what restarts the TIME-WAIT timer: fin (RFC 9293 3.10.7.4: a retransmitted FIN only; default) or linux (tcp_timewait_state_process: a bare ACK at RCV.NXT, and every PAWS-rejected or ACK-carrying segment, which is ACKed)", apply_time_wait_restart },
  { "time_wait", "TIME-WAIT length, overriding 2 x msl (Linux: fixed 60s)", apply_time_wait },
  { "timestamps", "on/off: RFC 7323 timestamps and PAWS, negotiated in SYN and SYN,ACK (default off)", apply_timestamps },
  { "ts_hz", "RFC 7323 timestamp clock in ticks a second (default 1000)", apply_ts_hz },
  { "ts_offset", "what keys the secret TSval offset: none (default), addresses (Linux secure_tcp_ts_off, kernels before 6.18) or four-tuple (Linux secure_tcp_seq_and_ts_off, 6.18); either way every incarnation of a four-tuple continues one TS clock", apply_ts_offset },
  { "ts_random_offset", "on/off: ts_offset=four-tuple or none", apply_ts_random_offset },
  { "fin_timeout", "an orphaned FIN-WAIT-2 is deleted after this long; 0 = never, as RFC 9293 (Linux tcp_fin_timeout 60s)", apply_fin_timeout },
  { "sack", "on/off: offer SACK-permitted in SYN (RFC 2018; the option only, SACK blocks are not modelled)", apply_sack },
  { "wscale", "window scale shift offered in SYN, 0..14, or off (RFC 7323 2.2; the option only, windows are not scaled)", apply_wscale },
  { "simopen_synack", "crossing SYN,ACK of a simultaneous open in SYN-RECEIVED: rfc (RFC 9293 3.10.7.4: SEG.SEQ = RCV.NXT - 1 is rejected and ACKed, ESTABLISHED one trip later; default) or linux (tcp_validate_incoming accepts it: ESTABLISHED at once, RFC 9293 Figure 7)", apply_simopen_synack },
};

static GString *
known_keys (void)
{
  GString *keys = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (host_settings); i++)
    g_string_append_printf (keys, "%s%s", i ? ", " : "", host_settings[i].key);
  g_string_append (keys, ", personality, port_range, tw_reuse, tw_reuse_delay, bind_rules, linger_timeout, "
                         "unread_rst, reserved_ports, connect_dup, bindv6only");
  return keys;
}

gboolean
host_settings_apply (const GPtrArray *settings, TcpConfig *config, GError **error)
{
  for (guint i = 0; i < settings->len; i++)
    {
      const ScenarioSetting *s = g_ptr_array_index (settings, i);
      const HostSetting *found = NULL;
      for (gsize k = 0; k < G_N_ELEMENTS (host_settings) && found == NULL; k++)
        if (strcmp (host_settings[k].key, s->key) == 0)
          found = &host_settings[k];
      if (found == NULL)
        {
          g_autoptr (GString) keys = known_keys ();
          g_auto (GStrv) words = g_strsplit (keys->str, ", ", -1);
          g_autofree char *hint = sim_suggest_hint (s->key, strlen (s->key),
                                                    (const char *const *) words);
          scenario_set_error_at (error, &s->key_loc, SCENARIO_ERROR_INVALID,
                                 "unknown host setting '%s'%s (known: %s)", s->key, hint,
                                 keys->str);
          return FALSE;
        }
      const char *problem = NULL;
      if (!found->apply (s->value, config, &problem))
        {
          scenario_set_error_at (error, &s->value_loc, SCENARIO_ERROR_INVALID,
                                 "bad value '%s' for %s: %s", s->value, s->key, problem);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- personality and socket-layer settings (issue 3) ---------------------- */

typedef gboolean (*SockSettingApplyFunc) (const char *value, SockConfig *config, const char **problem);

typedef struct {
  const char *key;
  const char *meaning;
  SockSettingApplyFunc apply;
} SockSetting;

static gboolean
apply_port_range (const char *value, SockConfig *c, const char **problem)
{
  g_auto (GStrv) parts = g_strsplit (value, "-", 3);
  guint64 lo = 0, hi = 0;
  *problem = "expected LOW-HIGH with 1 <= LOW <= HIGH <= 65535, as in 32768-60999";
  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, 65535, &lo, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 1, 65535, &hi, NULL) || lo > hi)
    return FALSE;
  c->port_low = (guint16) lo;
  c->port_high = (guint16) hi;
  return TRUE;
}

static gboolean
apply_tw_reuse (const char *value, SockConfig *c, const char **problem)
{
  guint64 v;
  if (!g_ascii_string_to_unsigned (value, 10, 0, 2, &v, NULL))
    {
      *problem = "expected 0 (off), 1 (on) or 2 (loopback only)";
      return FALSE;
    }
  c->tw_reuse = (guint) v;
  return TRUE;
}

static gboolean
apply_tw_reuse_delay (const char *value, SockConfig *c, const char **problem)
{
  return sim_time_parse_duration (value, &c->tw_reuse_delay, problem);
}

static gboolean
apply_bind_rules (const char *value, SockConfig *c, const char **problem)
{
  if (bind_rule_set_from_name (value, &c->bind_rules))
    return TRUE;
  *problem = "expected linux, bsd, windows or textbook";
  return FALSE;
}

static gboolean
apply_linger_timeout (const char *value, SockConfig *c, const char **problem)
{
  if (strcmp (value, "orphan") == 0)
    c->linger_timeout = SOCK_LINGER_TIMEOUT_ORPHAN;
  else if (strcmp (value, "abort") == 0)
    c->linger_timeout = SOCK_LINGER_TIMEOUT_ABORT;
  else
    {
      *problem = "expected orphan (Linux, BSD) or abort (RST)";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_unread_rst (const char *value, SockConfig *c, const char **problem)
{
  return parse_switch_value (value, &c->unread_close_rst, problem);
}

static gboolean
apply_reserved_ports (const char *value, SockConfig *c, const char **problem)
{
  return parse_switch_value (value, &c->reserved_ports, problem);
}

static gboolean
apply_bindv6only (const char *value, SockConfig *c, const char **problem)
{
  if (strcmp (value, "0") != 0 && strcmp (value, "1") != 0)
    {
      *problem = "expected 0 (dual-stack, Linux net.ipv6.bindv6only) or 1 (IPv6 only)";
      return FALSE;
    }
  c->bindv6only = value[0] == '1';
  return TRUE;
}

static gboolean
apply_connect_dup (const char *value, SockConfig *c, const char **problem)
{
  if (strcmp (value, "EADDRNOTAVAIL") == 0)
    c->connect_dup_errno = EADDRNOTAVAIL;
  else if (strcmp (value, "EADDRINUSE") == 0)
    c->connect_dup_errno = EADDRINUSE;
  else
    {
      *problem = "expected EADDRNOTAVAIL (Linux) or EADDRINUSE (BSD)";
      return FALSE;
    }
  return TRUE;
}

static const SockSetting sock_settings[] = {
  { "port_range", "ephemeral ports LOW-HIGH (linux 32768-60999)", apply_port_range },
  { "tw_reuse", "Linux tcp_tw_reuse: 0 off, 1 on, 2 loopback only", apply_tw_reuse },
  { "tw_reuse_delay", "Linux tcp_tw_reuse_delay: how old a TIME-WAIT record must be before tw_reuse takes it (1000ms)", apply_tw_reuse_delay },
  { "bind_rules", "bind()/listen() port sharing: linux, bsd, windows or textbook", apply_bind_rules },
  { "linger_timeout", "SO_LINGER {1,N} when N runs out: orphan (close returns, FIN goes on) or abort (RST)", apply_linger_timeout },
  { "unread_rst", "on/off: close() with unread data sends RST (RFC 9293 3.6.1 SHLD-2; default: the personality's)", apply_unread_rst },
  { "reserved_ports", "on/off: ports below 1024 need uid 0 (EACCES)", apply_reserved_ports },
  { "connect_dup", "connect() to a 4-tuple in use fails with EADDRNOTAVAIL (Linux) or EADDRINUSE (BSD)", apply_connect_dup },
  { "bindv6only", "IPV6_V6ONLY of a new IPv6 socket: 0 dual-stack (Linux net.ipv6.bindv6only), 1 IPv6 only (FreeBSD net.inet6.ip6.v6only)", apply_bindv6only },
};

gboolean
host_settings_apply_host (const GPtrArray *settings, TcpConfig *tcp, SockConfig *sock,
                          GError **error)
{
  /* personality= first, whatever its place on the line; then every other
   * key overrides one field of it, in file order. */
  const ScenarioSetting *ps = scenario_settings_find (settings, "personality");
  const Personality *p = personality_find (ps != NULL ? ps->value : "rfc9293");
  if (p == NULL)
    {
      scenario_set_error_at (error, &ps->value_loc, SCENARIO_ERROR_INVALID,
                             "unknown personality '%s' (known: %s)", ps->value,
                             personality_names ());
      return FALSE;
    }
  personality_apply (p, tcp, sock);
  g_autoptr (GPtrArray) tcp_settings = g_ptr_array_new ();
  for (guint i = 0; i < settings->len; i++)
    {
      ScenarioSetting *s = g_ptr_array_index (settings, i);
      const SockSetting *found = NULL;
      for (gsize k = 0; k < G_N_ELEMENTS (sock_settings) && found == NULL; k++)
        if (strcmp (sock_settings[k].key, s->key) == 0)
          found = &sock_settings[k];
      if (s == ps)
        continue;
      if (found == NULL)
        {
          g_ptr_array_add (tcp_settings, s);
          continue;
        }
      const char *problem = NULL;
      if (!found->apply (s->value, sock, &problem))
        {
          scenario_set_error_at (error, &s->value_loc, SCENARIO_ERROR_INVALID,
                                 "bad value '%s' for %s: %s", s->value, s->key, problem);
          return FALSE;
        }
    }
  return host_settings_apply (tcp_settings, tcp, error);
}

/* link_settings_apply: see link-settings.c. */

void
host_settings_describe (GString *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (host_settings); i++)
    g_string_append_printf (out, "  %-15s %s\n", host_settings[i].key, host_settings[i].meaning);
  g_string_append_printf (out, "  %-15s %s (%s; default rfc9293; applied before the other keys)\n",
                          "personality", "the base row of settings", personality_names ());
  for (gsize i = 0; i < G_N_ELEMENTS (sock_settings); i++)
    g_string_append_printf (out, "  %-15s %s\n", sock_settings[i].key, sock_settings[i].meaning);
  link_settings_describe (out);
}
